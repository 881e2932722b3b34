#!/usr/bin/env bash
# `make bench`: builds in release and runs scripts/bench.py (wrk against authserver and nginx on
# loopback, pgbench on the same statements, idle-connection memory, bcrypt against crypt(3),
# EdDSA/ES256/RS256 signatures against openssl speed, verify-token under EdDSA).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product authserver
swift build -c release --product crypto-bench
ulimit -n "$(ulimit -Hn)"
exec python3 scripts/bench.py "$@"
