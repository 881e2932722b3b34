#!/usr/bin/env bash
# First run of `make run`: writes .env from .env.example with a freshly generated
# JWT_ACCESS_SECRET, so tokens survive restarts. An existing .env is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f .env ]] && exit 0
secret=$(openssl rand -base64 48 | tr -d '\n')
sed "s|^JWT_ACCESS_SECRET=.*|JWT_ACCESS_SECRET=${secret}|" .env.example > .env
chmod 600 .env
echo "Wrote .env with a generated JWT_ACCESS_SECRET (keep it secret; it is git-ignored)." >&2
