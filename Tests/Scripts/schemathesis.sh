#!/usr/bin/env bash
# schemathesis.sh: fuzz the offload API (/v1) of `labelkit serve` on loopback
# against its own OpenAPI 3.1 document (GET /openapi.json) with schemathesis.
#
#   Tests/Scripts/schemathesis.sh LABELKIT [MAX_EXAMPLES]      # default 50 per operation
#   VENV=.venv-schemathesis PYTHON=python3.12 Tests/Scripts/schemathesis.sh .build/debug/labelkit
#
# Installs schemathesis (Tests/Scripts/schemathesis-requirements.txt, PyPI) into
# VENV when missing, with the newest Python >= 3.12 it finds (CPython 3.11.7's AST
# module trips Hypothesis with "AST constructor recursion depth mismatch"); without
# such a Python or without network it prints "skipped" and exits 0. Then starts LABELKIT
# serve on a free port over an empty temporary root, with a bearer token (so the
# auth checks run too), and runs `st run` with every check: no 5xx, responses,
# status codes and content types as the schema says, schema-violating input
# rejected, 405 with Allow for other methods, 401 without the token. Only
# positive_data_acceptance is left out: the schema cannot say that an RLE stream
# must decode or that a region type must exist, so a schema-valid body can still
# be a 422. Exits with schemathesis's status; prints the server log on failure.
set -euo pipefail

cd "$(dirname "$0")/../.."
LABELKIT=${1:?usage: schemathesis.sh LABELKIT [MAX_EXAMPLES]}
MAX_EXAMPLES=${2:-${MAX_EXAMPLES:-50}}
VENV=${VENV:-.venv-schemathesis}
REQUIREMENTS=Tests/Scripts/schemathesis-requirements.txt
TOKEN=schemathesis-token

if [ ! -f "$VENV/.installed" ] || [ "$REQUIREMENTS" -nt "$VENV/.installed" ]; then
    if [ -z "${PYTHON:-}" ]; then
        for candidate in python3.13 python3.12 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 python3; do
            if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then PYTHON=$candidate; break; fi
        done
        if [ -z "${PYTHON:-}" ]; then
            echo "schemathesis: skipped (needs Python >= 3.12; CPython 3.11's AST module trips Hypothesis)" >&2
            exit 0
        fi
    fi
    echo "schemathesis: installing into $VENV with $PYTHON" >&2
    rm -rf "$VENV"
    if ! { "$PYTHON" -m venv "$VENV" && "$VENV/bin/pip" install -q -r "$REQUIREMENTS"; }; then
        echo "schemathesis: skipped (could not install schemathesis)" >&2
        exit 0
    fi
    touch "$VENV/.installed"
fi

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/root"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$LABELKIT" serve --root "$WORK/root" --db "$WORK/cache.sqlite" --port "$PORT" --token "$TOKEN" \
    --max-mask-mp 16 --log-level warning >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
done

status=0
"$VENV/bin/st" run "http://127.0.0.1:$PORT/openapi.json" \
    --header "Authorization: Bearer $TOKEN" \
    --checks all --exclude-checks positive_data_acceptance \
    --max-examples "$MAX_EXAMPLES" --workers 2 --seed 42 \
    --request-timeout 30 --no-color || status=$?
kill -0 "$SERVER_PID" 2>/dev/null || { echo "schemathesis: the server died" >&2; status=1; }
if [ "$status" != 0 ]; then
    echo "== server log (last 50 lines)" >&2
    tail -50 "$WORK/server.log" >&2
fi
exit "$status"
