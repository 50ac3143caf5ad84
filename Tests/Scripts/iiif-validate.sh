#!/usr/bin/env bash
# Runs the official IIIF Image API validator (PyPI iiif-validator) at level 2
# against `labelkit serve` on loopback, serving the validator's test image from
# Tests/Fixtures/iiif-validator. The validator picks random squares and sizes,
# so it runs several times. Usage: iiif-validate.sh LABELKIT VENV [RUNS]
set -euo pipefail
labelkit=$1 venv=$2 runs=${3:-3}
id=67352ccc-d1b0-11e1-89ae-279075081939
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir "$work/root"
cp "$(dirname "$0")/../Fixtures/iiif-validator/$id.png" "$work/root/"
# --strict-confined: the validator's size_noup test expects !w,h larger than the image to fail.
"$labelkit" serve --root "$work/root" --db "$work/cache.sqlite" --port 0 --strict-confined --log-level warning \
    2> "$work/serve.log" &
server=$!
for _ in $(seq 100); do
    port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/serve.log")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { echo "iiif-validate: the server did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
failures=0
for run in $(seq "$runs"); do
    out=$("$venv/bin/iiif-validate.py" -s "127.0.0.1:$port" -p iiif/3 -i "$id" --version=3.0 --level=2 2>&1) || true
    summary=$(printf '%s\n' "$out" | tail -1)
    echo "iiif-validate: run $run: $summary"
    case "$summary" in
        *", 0 failures)"*) ;;
        *) printf '%s\n' "$out" | grep -B1 -A6 FAIL >&2 || printf '%s\n' "$out" >&2; failures=$((failures + 1)) ;;
    esac
done
[ "$failures" -eq 0 ]
