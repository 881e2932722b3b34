# Sourced by scripts/test.sh and scripts/test-sanitize.sh: a throwaway PostgreSQL for the run,
# stopped whatever happens, and the Swift test targets run one process each.

SWIFT_TEST_TARGETS=(ReactorTests JSONTests HTTPServerTests PostgresClientTests AuthCryptoTests OutboundTests AuthAppTests FuzzCorpusTests)

test_db_dir=$(mktemp -d /tmp/authserver-test-db.XXXXXX)
stop_test_db() {
    scripts/postgres.sh stop "$test_db_dir" >/dev/null 2>&1 || true
    rm -rf "$test_db_dir"
}
trap stop_test_db EXIT

TEST_DATABASE_URL=$(scripts/postgres.sh start --throwaway "$test_db_dir")
export TEST_DATABASE_URL
export TEST_PYTHON="$PWD/.venv/bin/python3"

# One process per test target: several targets' tests wait on sockets or timers, and each
# process's task threads are then theirs alone, so no target's timing depends on another's.
# Arguments are passed to `swift test` (a build path, a sanitizer); targets come from
# $SWIFT_TEST_TARGETS unless ONLY_TARGETS names some.
run_swift_test_targets() {
    local target failed=()
    for target in ${ONLY_TARGETS:-${SWIFT_TEST_TARGETS[@]}}; do
        echo "== $target"
        swift test --skip-build "$@" --filter "^$target\." 2>&1 | grep -vE '^(◇|↳|✔ Test [^r])' || failed+=("$target")
        [[ ${#failed[@]} -eq 0 || -n ${KEEP_GOING:-} ]] || break
    done
    if [[ ${#failed[@]} -gt 0 ]]; then
        echo "failed: ${failed[*]}"
        return 1
    fi
}
