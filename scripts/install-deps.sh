#!/usr/bin/env bash
# Installs what building and testing need, only where it is missing: the C libraries
# (libpq-dev, libssl-dev) with pkg-config, the PostgreSQL server, and for `test` a Python
# virtual environment (.venv) with the interop clients (PyJWT, bcrypt, requests, FastAPI...).
#
#   scripts/install-deps.sh build     system packages
#   scripts/install-deps.sh test      system packages + .venv
#   scripts/install-deps.sh bench     system packages + wrk and nginx
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "install-deps: $*" >&2; }

missing=()
need() { dpkg -s "$1" >/dev/null 2>&1 || missing+=("$1"); }

need pkg-config
need libpq-dev
need libssl-dev
need libcurl4-openssl-dev
need ca-certificates
need postgresql
case "${1:-build}" in
    test) need python3-venv; need curl ;;
    bench) need wrk; need nginx-light; need curl ;;
esac

# Browser tests (Tests/Interop/test_browser.py): Debian's Chromium and its matching WebDriver
# (/usr/bin/chromium, /usr/bin/chromedriver), driven by Selenium from .venv. Selenium must never
# fetch a browser or driver of its own: none can be downloaded here, and Debian's pair match.
if [[ "${1:-build}" == test ]]; then
    need chromium
    need chromium-driver
fi

# python3-venv is moot where python3 already makes virtual environments (e.g. pyenv builds).
if [[ " ${missing[*]} " == *" python3-venv "* ]] && python3 -m venv --help >/dev/null 2>&1; then
    missing=("${missing[@]/python3-venv}")
fi
read -r -a missing <<< "${missing[*]}"

if ((${#missing[@]})); then
    if [[ $EUID -ne 0 ]]; then
        SUDO=sudo
    else
        SUDO=
    fi
    log "installing ${missing[*]}"
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if [[ "${1:-build}" == test ]]; then
    requirements=Tests/Interop/requirements.txt
    stamp=.venv/.installed
    if [[ ! -f $stamp || $requirements -nt $stamp ]]; then
        log "preparing .venv"
        python3 -m venv .venv
        .venv/bin/pip install --quiet --disable-pip-version-check -r "$requirements"
        touch "$stamp"
    fi
fi
