#!/usr/bin/env bash
# gigapixel-source.sh OUT SIZE: writes a SIZE x SIZE baseline JPEG (quality 90)
# to OUT with vips (Debian's libvips-tools, installed when missing and running as root): a 4000 x 4000 textured tile (smooth gradients and noise)
# repeated. For the gigapixel benchmarks; never committed.
set -euo pipefail
out=$1 size=$2
if ! command -v vips >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libvips-tools >/dev/null
    else
        echo "gigapixel-source: vips is missing (apt-get install libvips-tools)" >&2
        exit 1
    fi
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/labelkit-source.XXXXXX")
trap 'rm -rf "$work"' EXIT
tile=4000
repeat=$(( (size + tile - 1) / tile ))
echo "generating a ${size}x${size} JPEG" >&2
vips xyz "$work/xy.v" "$tile" "$tile"
vips extract_band "$work/xy.v" "$work/x.v" 0
vips extract_band "$work/xy.v" "$work/y.v" 1
vips linear "$work/x.v" "$work/r.v" 0.05 20
vips linear "$work/y.v" "$work/g.v" 0.04 60
vips add "$work/x.v" "$work/y.v" "$work/s.v"
vips linear "$work/s.v" "$work/b.v" 0.02 30
vips gaussnoise "$work/n.v" "$tile" "$tile" --mean 0 --sigma 12
for c in r g b; do vips add "$work/$c.v" "$work/n.v" "$work/${c}n.v"; done
vips bandjoin "$work/rn.v $work/gn.v $work/bn.v" "$work/rgb.v"
vips cast "$work/rgb.v" "$work/rgb8.v" uchar
vips replicate "$work/rgb8.v" "$work/big.v" "$repeat" "$repeat"
vips crop "$work/big.v" "$out[Q=90]" 0 0 "$size" "$size"
