#!/usr/bin/env bash
# `make fuzz`: builds each libFuzzer target (Fuzz/<Name>, with coverage and AddressSanitizer)
# and runs it for FUZZ_SECONDS from its checked-in seed corpus, FUZZ_JOBS targets at a time,
# at the lowest CPU priority. New inputs go to .build-fuzz/corpus/<Name>, crashes and invariant
# violations to .build-fuzz/artifacts/<Name>/; a finding's file belongs in Fuzz/Corpus/<Name>/
# once fixed, where `make test` replays it. Each target's libFuzzer statistics end up in
# .build-fuzz/logs/<Name>.log and a summary line in .build-fuzz/results.txt.
#   FUZZ_SECONDS=900   FUZZ_JOBS=2   FUZZ_TARGETS="JSONParser Cookies"   (default: every target)
set -euo pipefail
# The Swift runtime's backtracer reads other threads' stacks after a fatal error, which
# AddressSanitizer reports as a stack underflow of its own: libFuzzer's report is the one wanted.
export SWIFT_BACKTRACE=enable=no
# No leak checks, per input or at exit: Swift keeps enum tags in a pointer's spare bits, so
# LeakSanitizer misses such references and reports a target's static verifier as leaked.
export ASAN_OPTIONS="detect_leaks=0 ${ASAN_OPTIONS:-}"
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-900}
jobs=${FUZZ_JOBS:-2}
targets=${FUZZ_TARGETS:-$(ls Fuzz/Corpus)}
build_path=.build-fuzz
bin="$build_path/x86_64-unknown-linux-gnu/debug"

for target in $targets; do
    # -DFUZZING makes FuzzEntry.main hand over to libFuzzer's driver.
    nice -n 19 swift build -c debug --build-path "$build_path" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING --product "Fuzz$target"
done

mkdir -p "$build_path/logs"
: > "$build_path/results.txt"
run() {
    local target=$1 corpus="$build_path/corpus/$1" artifacts="$build_path/artifacts/$1/"
    mkdir -p "$corpus" "$artifacts"
    # The work corpus merges the seeds in each run; the checked-in one is read only.
    nice -n 19 "$bin/Fuzz$target" "$corpus" Fuzz/Corpus/"$target" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 -artifact_prefix="$artifacts" \
        > "$build_path/logs/$target.log" 2>&1 && status=clean || status="FOUND (see $artifacts)"
    echo "$target: $status, $(grep -o 'number_of_executed_units: *[0-9]*' "$build_path/logs/$target.log" | tail -1 | tr -s ' '), ${seconds}s" \
        | tee -a "$build_path/results.txt"
}
running=0
for target in $targets; do
    run "$target" &
    running=$((running + 1))
    if [[ $running -ge $jobs ]]; then wait -n || true; running=$((running - 1)); fi
done
wait
! grep -q FOUND "$build_path/results.txt"
