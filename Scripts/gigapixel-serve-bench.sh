#!/usr/bin/env bash
# gigapixel-serve-bench.sh: `labelkit serve` on a generated SIZE x SIZE JPEG
# (40000 by default, never committed): the tile store's build in the
# background (503 + Retry-After meanwhile), then random Deep Zoom tiles, IIIF
# regions, XYZ tiles and a thumbnail over loopback, and the server's peak
# resident memory (Scripts/gigapixel-serve-client.py prints the figures).
#
#   Scripts/gigapixel-serve-bench.sh
#   SIZE=20000 Scripts/gigapixel-serve-bench.sh
#   LABELKIT=.build-rel/release/labelkit Scripts/gigapixel-serve-bench.sh   # that binary, no build
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${SIZE:-40000}
SCRATCH=${SCRATCH:-.build-rel}
if [ -z "${LABELKIT:-}" ]; then
    swift build -c release --product labelkit --scratch-path "$SCRATCH" >&2
    LABELKIT=$SCRATCH/release/labelkit
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/labelkit-gigapixel-serve.XXXXXX")
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
mkdir "$WORK/root"
Scripts/gigapixel-source.sh "$WORK/root/big.jpg" "$SIZE"
echo "source: $(du -h "$WORK/root/big.jpg" | cut -f1)" >&2
"$LABELKIT" serve --root "$WORK/root" --db "$WORK/cache.sqlite" --pyramid-dir "$WORK/pyramids" --port 0 \
    --log-level warning 2>"$WORK/serve.log" &
server=$!
port=
for _ in $(seq 100); do
    port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\).*|\1|p' "$WORK/serve.log")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { echo "gigapixel-serve-bench: the server did not start" >&2; cat "$WORK/serve.log" >&2; exit 1; }
python3 Scripts/gigapixel-serve-client.py "$port" "$server" big "$SIZE" "$SIZE"
echo "tile store: $(du -h "$WORK"/pyramids/*.tiles | cut -f1)"
