#!/usr/bin/env bash
# gigapixel-bench.sh: `labelkit tiles --layout dzi` against `vips dzsave` on a
# generated SIZE x SIZE JPEG (40000 by default, never committed): wall time and
# peak resident memory of each whole process (/usr/bin/time -v), and the two
# pyramids' file lists compared.
#
#   Scripts/gigapixel-bench.sh                       # 40000 x 40000
#   SIZE=20000 Scripts/gigapixel-bench.sh            # a smaller run
#   SKIP_BUILD=1 SCRATCH=.build-rel Scripts/gigapixel-bench.sh
#   LABELKIT=path/to/labelkit Scripts/gigapixel-bench.sh   # that binary, no build
#
# Needs Debian's libvips-tools (installed when missing and running as root) and
# /usr/bin/time. The source is a 4000 x 4000 textured tile (smooth gradients
# and noise) repeated by vips, saved at quality 90, baseline.
set -euo pipefail

cd "$(dirname "$0")/.."
SIZE=${SIZE:-40000}
SCRATCH=${SCRATCH:-.build-rel}
JOBS=${JOBS:-$(nproc)}
if [ -n "${LABELKIT:-}" ]; then
    :  # a binary given (make compare passes its own)
elif [ -z "${SKIP_BUILD:-}" ]; then
    swift build -c release --product labelkit --scratch-path "$SCRATCH" >&2
fi
LABELKIT=${LABELKIT:-$SCRATCH/release/labelkit}
[ -x /usr/bin/time ] || { echo "gigapixel-bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/labelkit-gigapixel.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
Scripts/gigapixel-source.sh "$WORK/big.jpg" "$SIZE"
echo "source: $(du -h "$WORK/big.jpg" | cut -f1)" >&2

measure() {  # measure NAME CMD...: prints "NAME seconds peak_MB"
    local name=$1
    shift
    /usr/bin/time -v "$@" 2>"$WORK/$name.time" >/dev/null
    local wall rss
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/$name.time" |
        awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/$name.time")
    echo "$name $wall $((rss / 1024))"
}

mkdir -p "$WORK/vips" "$WORK/lk"
read -r _ vips_s vips_mb < <(measure vips vips dzsave "$WORK/big.jpg" "$WORK/vips/big" --tile-size 254 --overlap 1 \
    --suffix ".jpg[Q=85]")
read -r _ lk_s lk_mb < <(measure labelkit "$LABELKIT" tiles "$WORK/big.jpg" --layout dzi -o "$WORK/lk" --quiet \
    --jobs "$JOBS")
# vips-properties.xml is vips' own metadata file, not a tile.
(cd "$WORK/vips" && find . -type f ! -name vips-properties.xml | sort) >"$WORK/vips.list"
(cd "$WORK/lk" && find . -type f | sort) >"$WORK/lk.list"
if cmp -s "$WORK/vips.list" "$WORK/lk.list"; then same="equal ($(wc -l <"$WORK/lk.list") files)"; else same="DIFFERENT"; fi
ratio=$(awk -v a="$vips_s" -v b="$lk_s" 'BEGIN { printf "%.2f", a / b }')
echo "| Deep Zoom pyramid (254/1, JPEG Q=85) of a ${SIZE}x${SIZE} JPEG, whole process, --jobs $JOBS | \`vips dzsave\` | ${vips_s} s, ${vips_mb} MB peak | ${lk_s} s, ${lk_mb} MB peak | ${ratio}x | file lists ${same} |"
[ "$same" != DIFFERENT ]
