#!/usr/bin/env bash
# `make test-sanitize`: the Swift tests built and run under ThreadSanitizer, then under
# AddressSanitizer, each in its own build directory, against a throwaway PostgreSQL.
#   SANITIZERS="thread"        only one of them (default: "thread address")
#   ONLY_TARGETS="JSONTests"   only some test targets (default: every one of scripts/test.sh)
# Every target runs even after one fails; the script fails if any did.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/test-support.sh

# Every report is printed and any one fails the test process at exit (exitcode 66), so one run
# shows them all; the suppression file names the findings that are not ours, each with why.
export TSAN_OPTIONS="halt_on_error=0 exitcode=66 second_deadlock_stack=1 suppressions=$PWD/scripts/sanitizers/tsan.supp ${TSAN_OPTIONS:-}"
# Leak checking is off: the test processes exit with servers and pools deliberately left to
# the OS, and the Swift runtime's metadata caches look like leaks to LeakSanitizer.
export ASAN_OPTIONS="halt_on_error=1 detect_leaks=0 detect_stack_use_after_return=1 ${ASAN_OPTIONS:-}"

status=0
for sanitizer in ${SANITIZERS:-thread address}; do
    case $sanitizer in
        thread) build_path=.build-tsan ;;
        address) build_path=.build-asan ;;
        *) echo "unknown sanitizer $sanitizer"; exit 2 ;;
    esac
    echo "=== $sanitizer sanitizer ($build_path)"
    swift build --build-tests --sanitize="$sanitizer" --build-path "$build_path"
    # One test at a time: sanitized code runs several times slower, and tests that run side by
    # side would otherwise miss their own read timeouts, which says nothing about the code.
    KEEP_GOING=1 run_swift_test_targets --sanitize="$sanitizer" --build-path "$build_path" --no-parallel || status=1
done
exit $status
