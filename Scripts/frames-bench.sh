#!/usr/bin/env bash
# frames-bench.sh: the label stream over HTTP at human pace, beside GET /healthz,
# on SQLite (one `labelkit serve`) and on PostgreSQL with one and three replicas
# (a private cluster from Scripts/postgres.sh), each in a fresh database.
#
#   Scripts/frames-bench.sh                         # 50 annotators, 100 units each, --think-ms 100
#   USERS=20 REQUESTS=50 THINK_MS=50 Scripts/frames-bench.sh
#   MODES="sqlite pg1" Scripts/frames-bench.sh      # a subset
#   SKIP_BUILD=1 SCRATCH=.build-rel Scripts/frames-bench.sh   # use the binary as built
#
# Each mode starts its `labelkit serve` processes (with --token, so calls are
# authenticated as in production), runs `labelkit bench frames --url ... --probes 10`
# against them (100,000 frames, overlap 2) and prints one line: the mode and the
# bench's JSON (next/submit p50 and p99, /healthz p50 and p99 in the same run).
set -euo pipefail

cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
USERS=${USERS:-50}
REQUESTS=${REQUESTS:-100}
THINK_MS=${THINK_MS:-100}
FRAMES=${FRAMES:-100000}
MODES=${MODES:-sqlite pg1 pg3}
BASE_PORT=${BASE_PORT:-18100}
TOKEN=frames-bench-token

if [ -z "${SKIP_BUILD:-}" ]; then
    swift build -c release --product labelkit --scratch-path "$SCRATCH" >&2
fi
LABELKIT="$SCRATCH/release/labelkit"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/labelkit-frames-bench.XXXXXX")
PIDS=()
stop_servers() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    PIDS=()
}
cleanup() {
    stop_servers
    [ -n "${STARTED_POSTGRES:-}" ] && bash Scripts/postgres.sh stop >&2
    rm -rf "$WORK"
}
trap cleanup EXIT

for mode in $MODES; do
    replicas=1
    frames_db=()
    if [ "$mode" != sqlite ]; then
        replicas=${mode#pg}
        if [ -z "${PG_URL:-}" ]; then
            PG_URL=$(bash Scripts/postgres.sh start)
            STARTED_POSTGRES=1
        fi
        database="frames_bench_${mode}_$$"
        psql "$PG_URL" -qAt -c "CREATE DATABASE $database" >/dev/null
        frames_db=(--frames-db "${PG_URL%/*}/$database")
    fi
    urls=()
    for i in $(seq 1 "$replicas"); do
        port=$((BASE_PORT + i))
        "$LABELKIT" serve --root SampleImages --db "$WORK/$mode-$i.sqlite" --port "$port" --token "$TOKEN" \
            --log-level warning "${frames_db[@]}" 2>"$WORK/$mode-$i.log" &
        PIDS+=($!)
        urls+=(--url "http://127.0.0.1:$port")
    done
    for i in $(seq 1 "$replicas"); do
        for _ in $(seq 1 100); do
            curl -sf "http://127.0.0.1:$((BASE_PORT + i))/healthz" >/dev/null 2>&1 && break
            sleep 0.1
        done
    done
    echo "$mode $("$LABELKIT" bench frames "${urls[@]}" --token "$TOKEN" --frames "$FRAMES" --users "$USERS" \
        --requests "$REQUESTS" --overlap 2 --think-ms "$THINK_MS" --probes 10)"
    stop_servers
    # A database left behind would have autovacuum working on it during the next runs.
    [ -n "${database:-}" ] && psql "$PG_URL" -qAt -c "DROP DATABASE $database" >/dev/null
    database=
done
