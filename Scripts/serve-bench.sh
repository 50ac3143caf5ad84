#!/usr/bin/env bash
# serve-bench.sh: Deep Zoom tile throughput of `labelkit serve` (warm render cache)
# against nginx serving the same tiles as static files (`labelkit tiles` output).
#
#   Scripts/serve-bench.sh                       # 4000x3000 JPEG, wrk -t2 -c64 -d8s, 5 rounds
#   DURATION=30 CONNECTIONS=128 Scripts/serve-bench.sh
#   SCRATCH=.build-tiles Scripts/serve-bench.sh  # use another SwiftPM scratch path
#   KEEP=1 Scripts/serve-bench.sh                # keep the temporary folder
#   SKIP_BUILD=1 SCRATCH=.build-tiles Scripts/serve-bench.sh   # use the binary as built
#   ROUNDS=5 DURATION=10 Scripts/serve-bench.sh  # more, shorter rounds
#
# Steps: release build; a seeded 4000x3000 JPEG (numpy + Pillow: the .venv-compare
# venv of `make compare`, else python3); `labelkit tiles --layout dzi` into
# WWW/dzi/; `labelkit serve` on the image, its cache warmed by fetching every
# tile of the full-resolution level once (a quiet one and one at the default log
# level, on two ports); `labelkit bench http-cap`; nginx (non-daemon,
# worker_processes auto, sendfile on, access_log off) serving WWW/, where the same
# URLs /dzi/{id}_files/{level}/{c}_{r}.jpg are static files. Then ROUNDS rounds of
# wrk with a Lua script cycling over those tile URLs against each server in turn.
# Prints each server's median requests/s and p99, and LabelKit's share of nginx's
# throughput (goal: >= 100%), of the HTTP layer's own cap (goal >= 90%), and the
# default configuration's (every request logged) share of the quiet one (goal >= 90%).
# Each share is the median over the rounds of the share within a round: the servers
# of one round run within a minute of each other, while this machine's speed can
# drift by 20% over a run, which moves a ratio of medians taken from different rounds.
# wrk, nginx and curl are installed with apt-get when missing (as root).
set -euo pipefail

cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-.build}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-8s}
ROUNDS=${ROUNDS:-5}
[[ $DURATION =~ ^[0-9]+$ ]] && DURATION="${DURATION}s"
WIDTH=${WIDTH:-4000}
HEIGHT=${HEIGHT:-3000}
LK_PORT=${LK_PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}
NAME=bench

log() { echo "serve-bench: $*" >&2; }

need=()
for tool in wrk nginx curl; do command -v "$tool" >/dev/null || need+=("$tool"); done
if ((${#need[@]})); then
    if [ "$(id -u)" = 0 ]; then
        log "installing ${need[*]}"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    else
        log "missing ${need[*]}: run 'sudo apt-get install ${need[*]}'"
        exit 1
    fi
fi
NGINX=$(command -v nginx)

PYTHON=${PYTHON:-}
if [ -z "$PYTHON" ]; then
    for candidate in .venv-compare/bin/python python3; do
        if command -v "$candidate" >/dev/null && "$candidate" -c 'import numpy, PIL' 2>/dev/null; then
            PYTHON=$candidate
            break
        fi
    done
fi
[ -n "$PYTHON" ] || { log "need numpy and Pillow (make compare creates .venv-compare with them)"; exit 1; }

if [ -z "${SKIP_BUILD:-}" ]; then
    log "building labelkit (release, --scratch-path $SCRATCH)"
    swift build -c release --product labelkit --scratch-path "$SCRATCH" >&2
fi
LABELKIT=$SCRATCH/release/labelkit

TMP=$(mktemp -d /tmp/labelkit-serve-bench.XXXXXX)
PIDS=() NGINX_PID=""
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
    [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
    if [ -n "${KEEP:-}" ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
mkdir -p "$TMP/images" "$TMP/www"

log "generating a ${WIDTH}x${HEIGHT} JPEG"
"$PYTHON" - "$TMP/images/$NAME.jpg" "$WIDTH" "$HEIGHT" <<'EOF'
import sys
import numpy as np
from PIL import Image
path, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(7)
y, x = np.mgrid[0:h, 0:w].astype(np.float32)
img = np.empty((h, w, 3), np.float32)
for c in range(3):
    fx, fy, ph = rng.uniform(2, 9), rng.uniform(2, 9), rng.uniform(0, 6.28)
    img[..., c] = 128 + 70 * np.sin(fx * x / w * 6.28 + ph) * np.cos(fy * y / h * 6.28) + 40 * (x / w - y / h)
img += rng.normal(0, 12, (h, w, 1)).astype(np.float32) + rng.normal(0, 6, (h, w, 3)).astype(np.float32)
Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(path, quality=90)
EOF

log "labelkit tiles --layout dzi"
"$LABELKIT" tiles "$TMP/images/$NAME.jpg" --layout dzi -o "$TMP/www/dzi" --quiet
chmod -R a+rX "$TMP"

# Tile URLs of the full-resolution level, as the server names them.
LEVEL=$(ls "$TMP/www/dzi/${NAME}_files" | sort -n | tail -1)
URLS=$TMP/urls.txt
(cd "$TMP/www/dzi/${NAME}_files/$LEVEL" && ls) | sort -V | sed "s|^|/dzi/${NAME}_files/$LEVEL/|" >"$URLS"
COUNT=$(wc -l <"$URLS")
log "$COUNT tiles at level $LEVEL"

{
    echo "local urls = {"
    sed 's|.*|  "&",|' "$URLS"
    echo "}"
    cat <<'EOF'
local n = #urls
local i = 0
function setup(thread)
  thread:set("offset", math.random(n))
end
function init(args)
  i = offset or 0
end
function request()
  i = i % n + 1
  return wrk.format("GET", urls[i])
end
EOF
} >"$TMP/cycle.lua"

wait_for() {  # url
    for _ in $(seq 1 100); do
        curl -sf -o /dev/null "$1" && return 0
        sleep 0.1
    done
    log "no answer from $1"
    return 1
}

run_wrk() {  # base url -> prints "rps p99_ms"
    local out
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$TMP/cycle.lua" "$1")
    echo "$out" >>"$TMP/wrk.log"
    local rps p99 errors
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}; print v}' <<<"$out")
    errors=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
    echo "$rps $p99 ${errors:-0}"
}

start_serve() {  # start_serve LOG-LEVEL PORT: a labelkit serve with its own cache, warmed
    # Runs in this shell (not a subshell), so the cleanup trap knows the server.
    "$LABELKIT" serve --root "$TMP/images" --db "$TMP/cache-$1.sqlite" --port "$2" --log-level "$1" \
        >/dev/null 2>"$TMP/serve-$1.log" &
    PIDS+=($!)
    wait_for "http://127.0.0.1:$2/healthz"
    log "warming the render cache of :$2 ($COUNT tiles, --log-level $1)"
    while read -r url; do curl -sf -o /dev/null "http://127.0.0.1:$2$url"; done <"$URLS"
}
QUIET_PORT=$LK_PORT LOGGED_PORT=$((LK_PORT + 2)) CAP_PORT=$((LK_PORT + 3))  # nginx: NGINX_PORT (18081)
log "starting labelkit serve on :$QUIET_PORT (--log-level warning) and :$LOGGED_PORT (default, every request logged)"
start_serve warning "$QUIET_PORT"
start_serve info "$LOGGED_PORT"

# The HTTP layer's ceiling: the same server, one route answering a constant
# body of the tiles' mean size (labelkit bench http-cap).
BYTES=$(cat "$TMP"/www/dzi/"${NAME}"_files/"$LEVEL"/*.jpg | wc -c)
BYTES=$((BYTES / COUNT))
log "labelkit bench http-cap ($BYTES-byte body) on :$CAP_PORT"
"$LABELKIT" bench http-cap --port "$CAP_PORT" --bytes "$BYTES" >/dev/null 2>"$TMP/cap.log" &
PIDS+=($!)
wait_for "http://127.0.0.1:$CAP_PORT$(head -1 "$URLS")"

mkdir -p "$TMP/nginx"
cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
$( [ "$(id -u)" = 0 ] && echo "user root;" )
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    sendfile on;
    tcp_nopush on;
    access_log off;
    keepalive_requests 100000;
    client_body_temp_path $TMP/nginx/body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $TMP/www;
    }
}
EOF
log "starting nginx on :$NGINX_PORT"
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" 2>"$TMP/nginx/stderr.log" &
NGINX_PID=$!
wait_for "http://127.0.0.1:$NGINX_PORT$(head -1 "$URLS")"
kill -0 "$NGINX_PID" 2>/dev/null || { log "nginx did not start: $(cat "$TMP/nginx/stderr.log")"; exit 1; }
while read -r url; do curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT$url"; done <"$URLS"

# All four servers stay up (idle ones cost nothing); each round runs wrk against
# each in turn, starting one later every round, so a drift in the machine's speed
# during the run weighs on all of them alike. The tables give each server's median.
SERVERS=(quiet cap logged nginx)
declare -A PORT=([quiet]=$QUIET_PORT [logged]=$LOGGED_PORT [cap]=$CAP_PORT [nginx]=$NGINX_PORT)
for ((round = 0; round < ROUNDS; round++)); do
    for ((k = 0; k < ${#SERVERS[@]}; k++)); do
        server=${SERVERS[$(((k + round) % ${#SERVERS[@]}))]}
        log "round $((round + 1))/$ROUNDS: wrk -t$THREADS -c$CONNECTIONS -d$DURATION against $server (:${PORT[$server]})"
        run_wrk "http://127.0.0.1:${PORT[$server]}" >>"$TMP/round-$server.txt"
    done
done
median() {  # median FILE COLUMN
    sort -g -k"$2,$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
row() {  # row SERVER: "rps p99 errors" medians, and every round's rps
    echo "$(median "$TMP/round-$1.txt" 1) $(median "$TMP/round-$1.txt" 2) $(awk '{ s += $3 } END { print s + 0 }' "$TMP/round-$1.txt") $(awk '{ printf "%s%.0f", (NR > 1 ? " / " : ""), $1 }' "$TMP/round-$1.txt")"
}
read -r LK_RPS LK_P99 LK_ERR LK_ROUNDS < <(row quiet)
read -r LOG_RPS LOG_P99 LOG_ERR LOG_ROUNDS < <(row logged)
read -r CAP_RPS CAP_P99 CAP_ERR CAP_ROUNDS < <(row cap)
read -r NG_RPS NG_P99 NG_ERR NG_ROUNDS < <(row nginx)

share() {  # share A B: "median% (each round's %)" of A's requests/s over B's, round by round
    paste "$TMP/round-$1.txt" "$TMP/round-$2.txt" | awk '{ r[NR] = 100 * $1 / $4 } END {
        n = NR; for (i = 1; i <= n; i++) s[i] = r[i]
        for (i = 2; i <= n; i++) { v = s[i]; j = i - 1; while (j > 0 && s[j] > v) { s[j + 1] = s[j]; j-- } s[j + 1] = v }
        m = n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
        printf "%.0f (", m; for (i = 1; i <= n; i++) printf "%s%.0f", (i > 1 ? " / " : ""), r[i]; printf ")\n" }'
}
read -r RATIO RATIO_ROUNDS < <(share quiet nginx)
MET=$(awk -v r="$RATIO" 'BEGIN { print (r >= 100 ? "yes" : "NO") }')
read -r CAP_RATIO CAP_RATIO_ROUNDS < <(share quiet cap)
CAP_MET=$(awk -v r="$CAP_RATIO" 'BEGIN { print (r >= 90 ? "yes" : "NO") }')
read -r LOG_RATIO LOG_RATIO_ROUNDS < <(share logged quiet)
LOG_MET=$(awk -v r="$LOG_RATIO" 'BEGIN { print (r >= 90 ? "yes" : "NO") }')
echo
echo "Deep Zoom tiles, ${WIDTH}x${HEIGHT} JPEG, level $LEVEL ($COUNT tiles, cycled), wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(nproc) cores, $ROUNDS rounds (medians)"
echo
echo "| server | requests/s | p99 (ms) | non-2xx | each round (req/s) |"
echo "|---|---:|---:|---:|---|"
echo "| labelkit serve (warm cache, --log-level warning) | $LK_RPS | $LK_P99 | $LK_ERR | $LK_ROUNDS |"
echo "| labelkit serve (warm cache, default: every request logged) | $LOG_RPS | $LOG_P99 | $LOG_ERR | $LOG_ROUNDS |"
echo "| labelkit bench http-cap (the HTTP layer alone, ${BYTES}-byte body) | $CAP_RPS | $CAP_P99 | $CAP_ERR | $CAP_ROUNDS |"
echo "| nginx (static labelkit tiles) | $NG_RPS | $NG_P99 | $NG_ERR | $NG_ROUNDS |"
echo
echo "Shares: median over the rounds of each round's ratio (every round's in brackets)."
echo "LabelKit / nginx: ${RATIO}% ${RATIO_ROUNDS} (goal >= 100%: $MET)"
echo "LabelKit / the HTTP layer's cap: ${CAP_RATIO}% ${CAP_RATIO_ROUNDS} (goal >= 90%: $CAP_MET)"
echo "default logging / quiet: ${LOG_RATIO}% ${LOG_RATIO_ROUNDS} (goal >= 90%: $LOG_MET)"
