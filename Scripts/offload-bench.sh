#!/usr/bin/env bash
# offload-bench.sh: throughput and p99 latency of `POST /v1/rasterize` (a 20-polygon
# Label Studio annotation on 1920x1080 -> Label Studio brush RLE JSON) on
# `labelkit serve`, against the same work in Python: OpenCV fillPoly +
# label-studio-converter mask2rle behind Flask under gunicorn (one sync worker
# per core). Both on this machine, both loaded by wrk with the same settings.
#
#   Scripts/offload-bench.sh                        # wrk -t2 -c16 -d15s on each
#   DURATION=30 CONNECTIONS=32 Scripts/offload-bench.sh
#   SCRATCH=.build-v1 Scripts/offload-bench.sh      # another SwiftPM scratch path
#
# Steps: release build of labelkit; Scripts/offload/make_annotation.py (seeded);
# labelkit serve (log level warning) and the anchor (Scripts/offload/anchor_server.py,
# venv .venv-offload from Scripts/offload/requirements.txt, PyPI); one request to
# each to check both answer an RLE of the same size; wrk with a Lua script posting
# the annotation. Prints requests/s and p99 for both and the ratio (goal >= 20x).
# wrk and curl are installed with apt-get when missing (as root).
set -euo pipefail

cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
DURATION=${DURATION:-15s}
[[ $DURATION =~ ^[0-9]+$ ]] && DURATION="${DURATION}s"
LK_PORT=${LK_PORT:-18090}
PY_PORT=${PY_PORT:-18091}
WORKERS=${WORKERS:-$(nproc)}
VENV=${VENV:-.venv-offload}

log() { echo "offload-bench: $*" >&2; }

need=()
for tool in wrk curl; do command -v "$tool" >/dev/null || need+=("$tool"); done
if ((${#need[@]})); then
    if [ "$(id -u)" = 0 ]; then
        log "installing ${need[*]}"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    else
        log "missing ${need[*]}: run 'sudo apt-get install ${need[*]}'"
        exit 1
    fi
fi

if [ ! -f "$VENV/.installed" ] || [ Scripts/offload/requirements.txt -nt "$VENV/.installed" ]; then
    log "installing the Python anchor into $VENV"
    python3 -m venv "$VENV" && "$VENV/bin/pip" install -q -r Scripts/offload/requirements.txt && touch "$VENV/.installed"
fi

log "release build ($SCRATCH)"
swift build -c release --product labelkit --scratch-path "$SCRATCH" >&2
LABELKIT="$SCRATCH/release/labelkit"

WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

python3 Scripts/offload/make_annotation.py "$WORK/annotation.json"
mkdir -p "$WORK/root"
"$LABELKIT" serve --root "$WORK/root" --db "$WORK/cache.sqlite" --port "$LK_PORT" --log-level warning \
    >"$WORK/labelkit.log" 2>&1 &
PIDS+=($!)
"$VENV/bin/gunicorn" -w "$WORKERS" -b "127.0.0.1:$PY_PORT" --chdir Scripts/offload --log-level warning \
    anchor_server:app >"$WORK/anchor.log" 2>&1 &
PIDS+=($!)

wait_up() {
    for _ in $(seq 1 150); do
        curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @"$WORK/annotation.json" \
            "http://127.0.0.1:$1/v1/rasterize" && return 0
        sleep 0.2
    done
    log "the server on port $1 did not come up"; cat "$WORK"/*.log >&2; exit 1
}
wait_up "$LK_PORT"
wait_up "$PY_PORT"

# Same request, both answers: an LS RLE of the same size.
for port in "$LK_PORT" "$PY_PORT"; do
    curl -fs -X POST -H 'Content-Type: application/json' --data-binary @"$WORK/annotation.json" \
        "http://127.0.0.1:$port/v1/rasterize" >"$WORK/answer-$port.json"
done
python3 - "$WORK/answer-$LK_PORT.json" "$WORK/answer-$PY_PORT.json" <<'PY' >&2
import json, sys
lk, py = (json.load(open(p)) for p in sys.argv[1:3])
assert (lk["width"], lk["height"]) == (py["width"], py["height"]) == (1920, 1080), "sizes differ"
print(f"offload-bench: answers: LabelKit {len(lk['rle'])} RLE bytes, Python {len(py['rle'])} RLE bytes "
      "(pixel-centre rule vs OpenCV's fill rule: edges differ by a pixel)")
PY

cat >"$WORK/post.lua" <<LUA
local f = io.open("$WORK/annotation.json", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
LUA

run_wrk() {
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/post.lua" "http://127.0.0.1:$1/v1/rasterize" \
        >"$WORK/wrk-$1.txt"
    cat "$WORK/wrk-$1.txt" >&2
    local rps p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk-$1.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk-$1.txt")
    errors=$(awk '/Non-2xx|Socket errors/ {print}' "$WORK/wrk-$1.txt")
    [ -z "$errors" ] || log "port $1: $errors"
    echo "$rps $p99"
}
log "wrk on LabelKit (-t$THREADS -c$CONNECTIONS -d$DURATION)"
read -r LK_RPS LK_P99 < <(run_wrk "$LK_PORT")
log "wrk on the Python anchor (gunicorn -w $WORKERS)"
read -r PY_RPS PY_P99 < <(run_wrk "$PY_PORT")

echo
echo "| server | requests/s | p99 latency |"
echo "|---|---:|---:|"
echo "| labelkit serve (POST /v1/rasterize -> LS RLE) | $LK_RPS | $LK_P99 |"
echo "| Flask + gunicorn -w $WORKERS, OpenCV fillPoly + label-studio-converter mask2rle | $PY_RPS | $PY_P99 |"
python3 -c "import sys; r = float(sys.argv[1]) / float(sys.argv[2]); print(f'throughput ratio: {r:.1f}x (goal >= 20x)')" "$LK_RPS" "$PY_RPS"
