#!/usr/bin/env bash
# A private PostgreSQL cluster for the tests: installed from Debian's packages when
# missing, created with initdb in a temporary folder, listening on loopback only.
#
#   Scripts/postgres.sh start    # prints the URL, e.g. postgres://labelkit@127.0.0.1:55432/labelkit
#   Scripts/postgres.sh stop     # stops the cluster and removes its folder
#   Scripts/postgres.sh url      # the URL of the running cluster
#   Scripts/postgres.sh run CMD  # CMD with LABELKIT_TEST_POSTGRES set to a fresh cluster,
#                                # stopped afterwards (CMD runs without it, and says so,
#                                # where PostgreSQL cannot be installed or started)
#
# The cluster's folder is $TMPDIR/labelkit-postgres-PORT (PG_DIR overrides), its
# port is PG_PORT (55432). initdb refuses to run as root, so as root the cluster
# runs as the `postgres` system user the package creates.
set -euo pipefail

cd "$(dirname "$0")/.."
PG_PORT=${PG_PORT:-55432}
PG_DIR=${PG_DIR:-${TMPDIR:-/tmp}/labelkit-postgres-$PG_PORT}
URL="postgres://labelkit@127.0.0.1:$PG_PORT/labelkit"

log() { echo "postgres: $*" >&2; }

bindir() {
    local pg_config
    for candidate in /usr/lib/postgresql/*/bin; do
        [ -x "$candidate/initdb" ] && pg_config=$candidate
    done
    [ -n "${pg_config:-}" ] && echo "$pg_config"
}

install() {
    [ -n "$(bindir)" ] && return 0
    if [ "$(id -u)" = 0 ]; then
        log "installing PostgreSQL from Debian's packages"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
        log "PostgreSQL is missing: run 'sudo apt-get install postgresql'"
        return 1
    fi
}

# Runs a PostgreSQL program as the cluster's owner.
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
    install
    local bin
    bin=$(bindir)
    if [ -f "$PG_DIR/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
        echo "$URL"
        return 0
    fi
    rm -rf "$PG_DIR"
    mkdir -p "$PG_DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
    as_owner "$bin/initdb" -D "$PG_DIR/data" -U labelkit --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log" >&2; return 1; }
    as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c max_connections=200 -c fsync=on" start >/dev/null \
        || { cat "$PG_DIR/server.log" >&2; return 1; }
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U labelkit labelkit
    log "cluster on 127.0.0.1:$PG_PORT ($PG_DIR)"
    echo "$URL"
}

stop() {
    local bin
    bin=$(bindir) || true
    if [ -n "$bin" ] && [ -d "$PG_DIR/data" ]; then
        as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_DIR"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
url) echo "$URL" ;;
run)
    shift
    if [ -n "${LABELKIT_TEST_POSTGRES:-}" ]; then
        "$@"
    elif url=$(start); then
        trap stop EXIT
        LABELKIT_TEST_POSTGRES=$url "$@"
    else
        log "no PostgreSQL here: the PostgreSQL test cases are skipped"
        "$@"
    fi
    ;;
*)
    echo "usage: $0 start|stop|url|run CMD..." >&2
    exit 2
    ;;
esac
