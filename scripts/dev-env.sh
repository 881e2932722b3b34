#!/usr/bin/env bash
# `make run`'s first step: writes .env from .env.example with a freshly generated
# JWT_ACCESS_SECRET and SERVER_SECRET, so tokens and refresh grace windows survive restarts.
# An existing .env is left alone, except that a SERVER_SECRET it lacks is added.
set -euo pipefail
cd "$(dirname "$0")/.."
generate() { openssl rand -base64 48 | tr -d '\n'; }
if [[ ! -f .env ]]; then
    sed -e "s|^JWT_ACCESS_SECRET=.*|JWT_ACCESS_SECRET=$(generate)|" \
        -e "s|^SERVER_SECRET=.*|SERVER_SECRET=$(generate)|" .env.example > .env
    chmod 600 .env
    echo "Wrote .env with a generated JWT_ACCESS_SECRET and SERVER_SECRET (keep them secret; .env is git-ignored)." >&2
elif ! grep -qE '^SERVER_SECRET=.+' .env; then
    sed -i '/^SERVER_SECRET=$/d' .env
    echo "SERVER_SECRET=$(generate)" >> .env
    echo "Added a generated SERVER_SECRET to .env." >&2
fi
