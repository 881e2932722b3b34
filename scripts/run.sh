#!/usr/bin/env bash
# `make run`: serves with the settings of the environment and of .env, the environment winning
# for every variable (the server reads .env itself, under the same rule). Only DATABASE_URL is
# looked up here: when neither names one, a development PostgreSQL is started under .data/.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${DATABASE_URL:-}" && -f .env ]]; then
    from_file=$(sed -n 's/^DATABASE_URL=//p' .env | tail -1)
    [[ -n $from_file ]] && DATABASE_URL=$from_file
fi
if [[ -z "${DATABASE_URL:-}" ]]; then
    DATABASE_URL=$(scripts/postgres.sh start "$PWD/.data/postgres" 55432)
    echo "Development PostgreSQL in .data/postgres: $DATABASE_URL (stop it with: make stop-dev-db)" >&2
fi
export DATABASE_URL
exec "${AUTHSERVER_BINARY:-.build/release/authserver}" serve
