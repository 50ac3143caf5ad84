#!/usr/bin/env bash
# Runs the official IIIF Image API validator (PyPI iiif-validator) at level 2
# against `labelkit serve` on loopback, serving the validator's test image from
# Tests/Fixtures/iiif-validator twice: decoded whole, and from a tile store as a
# source over --pyramid-above-mp is served (the validator's checks assume its
# 1000x1000 image, so the large-source path is taken by lowering the threshold).
# The validator picks random squares and sizes, so each runs several times.
# Usage: iiif-validate.sh LABELKIT VENV [RUNS]
set -euo pipefail
labelkit=$1 venv=$2 runs=${3:-3}
id=67352ccc-d1b0-11e1-89ae-279075081939
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir "$work/root"
cp "$(dirname "$0")/../Fixtures/iiif-validator/$id.png" "$work/root/"
failures=0
validate() {  # validate NAME SERVE-FLAGS...
    local name=$1
    shift
    rm -f "$work/cache.sqlite"*
    rm -rf "$work/pyramids"
    # --strict-confined: the validator's size_noup test expects !w,h larger than the image to fail.
    "$labelkit" serve --root "$work/root" --db "$work/cache.sqlite" --port 0 --strict-confined --log-level warning \
        --pyramid-dir "$work/pyramids" "$@" 2> "$work/serve.log" &
    server=$!
    port=
    for _ in $(seq 100); do
        port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/serve.log")
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { echo "iiif-validate: the server did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
    # A tile store is built on the first request: wait until it is ready.
    served=$(python3 - "$port" "$id" <<'PY'
import json, sys, time, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
urllib.request.urlopen(f"{base}/iiif/3/{sys.argv[2]}/info.json").read()
for _ in range(600):
    status = json.load(urllib.request.urlopen(f"{base}/pyramids/{sys.argv[2]}"))
    if status.get("state") != "building":
        break
    time.sleep(0.1)
print(status.get("served_from"), status.get("state", ""))
PY
)
    echo "iiif-validate: $name: served from $served"
    for run in $(seq "$runs"); do
        out=$("$venv/bin/iiif-validate.py" -s "127.0.0.1:$port" -p iiif/3 -i "$id" --version=3.0 --level=2 2>&1) || true
        summary=$(printf '%s\n' "$out" | tail -1)
        echo "iiif-validate: $name, run $run: $summary"
        case "$summary" in
            *", 0 failures)"*) ;;
            *) printf '%s\n' "$out" | grep -B1 -A6 FAIL >&2 || printf '%s\n' "$out" >&2; failures=$((failures + 1)) ;;
        esac
    done
    kill "$server"
    wait "$server" 2>/dev/null || true
}
validate "decoded"
validate "tile store" --pyramid-above-mp 0.5
[ "$failures" -eq 0 ]
