#!/usr/bin/env bash
# The whole suite (`make test`): starts a throwaway PostgreSQL in a temporary directory,
# runs the Swift tests, then the interop tests with real Python clients against the real
# server binary, and stops the database whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/test-support.sh

export AUTHSERVER_BINARY="$PWD/.build/debug/authserver"

swift build --build-tests
run_swift_test_targets

.venv/bin/python3 -m pytest -q Tests/Interop
