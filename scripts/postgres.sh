#!/usr/bin/env bash
# Manages a private PostgreSQL cluster for development (`make run`) and tests (`make test`).
#
#   scripts/postgres.sh install                     install the server and libpq-dev if missing
#   scripts/postgres.sh start [--throwaway] DIR [PORT]
#                                                   initialise DIR if needed, start it on 127.0.0.1
#                                                   (PORT, or a free one), create database
#                                                   `authserver`, print its URL on stdout
#   scripts/postgres.sh stop DIR                    stop the cluster in DIR (fast shutdown)
#   scripts/postgres.sh url DIR                     print the URL of the running cluster in DIR
#
# DIR is the data directory itself; the server log is DIR/server.log and the unix socket lives in
# DIR. Authentication is `trust` over the socket and loopback, and the superuser role is always
# `postgres` (also when run as another OS user), so the URL has the same shape everywhere.
# --throwaway trades durability for speed (fsync, synchronous_commit, full_page_writes off):
# for test clusters only, never for data you want to keep.
set -euo pipefail

readonly DATABASE=authserver
readonly SUPERUSER=postgres

log() { echo "postgres.sh: $*" >&2; }
die() { log "$*"; exit 1; }

usage() {
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

apt_install() {
    [[ $EUID -eq 0 ]] || die "missing $*; install it as root: apt-get install -y $*"
    log "installing $* with apt-get"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# Debian keeps the server binaries out of PATH (and `pg_config --bindir` names the client's).
server_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [[ -z $dir ]] && command -v pg_ctl >/dev/null; then
        dir=$(dirname "$(command -v pg_ctl)")
    fi
    echo "$dir"
}

install_if_missing() {
    [[ -n $(server_bindir) ]] || apt_install postgresql
    pkg-config --exists libpq 2>/dev/null || apt_install libpq-dev pkg-config
}

# initdb and pg_ctl refuse to run as root, so root runs them as the `postgres` OS user.
as_owner() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg() {
    local tool=$1
    shift
    as_owner "$BINDIR/$tool" "$@"
}

is_running() {
    pg pg_ctl status -D "$DIR" >/dev/null 2>&1
}

# postmaster.pid's fourth line is the port the running server listens on.
running_port() {
    sed -n 4p "$DIR/postmaster.pid"
}

url_for_port() {
    echo "postgresql://$SUPERUSER@127.0.0.1:$1/$DATABASE"
}

port_is_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

random_free_port() {
    local port
    for _ in $(seq 50); do
        port=$((20000 + RANDOM % 30000))
        if port_is_free "$port"; then
            echo "$port"
            return
        fi
    done
    die "no free port found"
}

prepare_directory() {
    mkdir -p "$DIR"
    if [[ $EUID -eq 0 ]]; then
        chown postgres:postgres "$DIR"
        runuser -u postgres -- test -w "$DIR" \
            || die "the postgres user cannot reach $DIR (every parent directory needs o+x)"
    fi
    chmod 700 "$DIR"
}

initialise_if_needed() {
    [[ -f $DIR/PG_VERSION ]] && return
    [[ -z $(ls -A "$DIR") ]] || die "$DIR is neither empty nor a PostgreSQL data directory"
    log "initialising a cluster in $DIR"
    pg initdb -D "$DIR" --username="$SUPERUSER" --auth=trust --encoding=UTF8 --locale=C >&2
    # Written once here rather than passed to pg_ctl, so a DIR holding spaces needs no quoting games.
    as_owner tee -a "$DIR/postgresql.conf" >/dev/null <<EOF

# Added by scripts/postgres.sh: loopback and the private socket only.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
EOF
}

start_server() {
    local port=$1 options="-p $port"
    if [[ $THROWAWAY == yes ]]; then
        # AuthAppTests run their suites at once, each test a server with a pool of its own: at 200
        # connections the suite peaked at the limit.
        options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400"
    fi
    pg pg_ctl start -D "$DIR" -l "$DIR/server.log" -o "$options" -w -t 30 >&2
}

wait_until_ready() {
    local port=$1
    for _ in $(seq 60); do
        "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$SUPERUSER" -d postgres && return
        sleep 0.5
    done
    die "the server on port $port did not become ready; see $DIR/server.log"
}

create_database_if_missing() {
    local port=$1 exists
    exists=$("$BINDIR/psql" -h 127.0.0.1 -p "$port" -U "$SUPERUSER" -d postgres -Atq \
        -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")
    if [[ -z $exists ]]; then
        log "creating database $DATABASE"
        "$BINDIR/createdb" -h 127.0.0.1 -p "$port" -U "$SUPERUSER" "$DATABASE"
    fi
}

command_start() {
    install_if_missing
    BINDIR=$(server_bindir)
    prepare_directory
    initialise_if_needed

    local port
    if is_running; then
        port=$(running_port)
        log "already running on port $port"
    elif [[ -n $PORT ]]; then
        port=$PORT
        log "starting on port $port"
        start_server "$port" || die "could not start; see $DIR/server.log"
    else
        # Another process may take a free port between the probe and the start: try a few.
        for attempt in 1 2 3 4 5; do
            port=$(random_free_port)
            log "starting on port $port"
            start_server "$port" && break
            [[ $attempt -lt 5 ]] || die "could not start; see $DIR/server.log"
        done
    fi
    wait_until_ready "$port"
    create_database_if_missing "$port"
    url_for_port "$port"
}

command_stop() {
    BINDIR=$(server_bindir)
    [[ -n $BINDIR ]] || die "PostgreSQL is not installed"
    if [[ ! -f $DIR/postmaster.pid ]] || ! is_running; then
        log "no server running in $DIR"
        return
    fi
    pg pg_ctl stop -D "$DIR" -m fast -w -t 30 >&2
}

command_url() {
    BINDIR=$(server_bindir)
    [[ -n $BINDIR ]] || die "PostgreSQL is not installed"
    is_running || die "no server running in $DIR"
    url_for_port "$(running_port)"
}

main() {
    [[ $# -ge 1 ]] || usage
    local command=$1
    shift
    THROWAWAY=no
    local positional=()
    for argument in "$@"; do
        case $argument in
            --throwaway) THROWAWAY=yes ;;
            -h | --help) usage ;;
            -*) die "unknown option $argument" ;;
            *) positional+=("$argument") ;;
        esac
    done

    if [[ $command == install ]]; then
        install_if_missing
        return
    fi
    [[ ${#positional[@]} -ge 1 ]] || usage
    # Absolute, because the server runs in another working directory and DIR goes into its config.
    DIR=$(realpath -m "${positional[0]}")
    PORT=${positional[1]:-}
    [[ -z $PORT || $PORT =~ ^[0-9]+$ ]] || die "PORT must be a number"

    case $command in
        start) command_start ;;
        stop) command_stop ;;
        url) command_url ;;
        *) usage ;;
    esac
}

main "$@"
