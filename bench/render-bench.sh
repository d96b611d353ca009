#!/bin/sh
# render-bench.sh — core/render (the map view's tiles and a report page's
# whole-project map) against gdal_rasterize on the same project
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Generates the demo town at N intersections (default 20000, about 330,000
# features) with `ngam-batch sample`, then, one run each:
#   tiles  bench-render: 256 px tiles around the centre at 0.5–16 m/px,
#          as the map view draws them (level of detail on)
#   whole  bench-render: the whole extent into SIDE×SIDE px, every feature
#          drawn in its style, antialiased (what a report page needs)
#   peer   gdal_rasterize: the same ten layers burnt into the same grid,
#          one value, no antialiasing (less work than ours: a floor)
# and prints the ratio peer/ngam for the whole picture (higher is better).
#
# Usage: bench/render-bench.sh [BUILD_DIR] [N] [SIDE]
set -eu
. "$(dirname "$0")/common.sh"
bench_build "${1:-build}"
n=${2:-20000}
side=${3:-2048}
bench=$(bench_program bench-render)
bench_out "render-$n"

"$batch" sample --out "$out/town.ngam" --size "$n" > /dev/null
echo "demo town: $n intersections, $(du -h "$out/town.ngam" | cut -f1)"

BENCH_PNG="$out/whole.png" "$bench" "$out/town.ngam" "$side" | tee "$out/ngam.txt"
ngam=$(sed -n 's/.* in \([0-9.]*\) s$/\1/p' "$out/ngam.txt")

# The same square grid over the extent as bench-render uses.
set -- $("$batch" info "$out/town.ngam" | sed -n 's/^extent: *\([0-9.]*\), \([0-9.]*\) – \([0-9.]*\), \([0-9.]*\).*/\1 \2 \3 \4/p')
te=$(echo "$1 $2 $3 $4" | awk '{ w = $3 - $1; h = $4 - $2; s = (w > h ? w : h) / 2;
  cx = ($1 + $3) / 2; cy = ($2 + $4) / 2; printf "%.3f %.3f %.3f %.3f", cx - s, cy - s, cx + s, cy + s }')
t0=$(now)
gdal_rasterize -q -l zones -l streets -l admin -l demand -l ducts -l routes -l spans -l manholes \
  -l poles -l sites -burn 255 -ot Byte -ts "$side" "$side" -te $te "$out/town.ngam" "$out/peer.tif"
peer=$(since "$t0")
echo "gdal_rasterize, same layers and grid: $peer s"
awk -v p="$peer" -v g="$ngam" 'BEGIN { printf "ratio peer/ngam (whole picture): %.2f\n", p / g }'
