#!/usr/bin/env bash
# The whole suite (`make test`): starts a throwaway PostgreSQL in a temporary directory,
# runs the Swift tests, then the interop tests with real Python clients against the real
# server binary, and stops the database whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

data_dir=$(mktemp -d /tmp/authserver-test-db.XXXXXX)
cleanup() {
    scripts/postgres.sh stop "$data_dir" >/dev/null 2>&1 || true
    rm -rf "$data_dir"
}
trap cleanup EXIT

TEST_DATABASE_URL=$(scripts/postgres.sh start --throwaway "$data_dir")
export TEST_DATABASE_URL
export TEST_PYTHON="$PWD/.venv/bin/python3"
export AUTHSERVER_BINARY="$PWD/.build/debug/authserver"

swift build --build-tests
# One process per test target: several targets' tests wait on sockets or timers, and each
# process's task threads are then theirs alone, so no target's timing depends on another's.
for target in ReactorTests JSONTests HTTPServerTests PostgresClientTests AuthCryptoTests OutboundTests AuthAppTests; do
    echo "== $target"
    swift test --skip-build --filter "^$target\." 2>&1 | grep -vE '^(◇|↳|✔ Test [^r])' || { echo "$target failed"; exit 1; }
done

.venv/bin/python3 -m pytest -q Tests/Interop
