#!/bin/sh
# render-compare.sh — Ngầm's map renderer against QGIS and gdal_rasterize,
# the same project, extent and picture size, in one run
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Generates the demo town at N intersections (`ngam-batch sample`), then
# draws it into WIDTH×HEIGHT (default 1600×1000) twice: the whole extent,
# and street level (0.5 m/px) around the centre.  For each:
#   ngam      bench/render-view, level of detail on, as the map view draws
#   ngam-all  the same with every feature (no level of detail), as a report
#   ngam-2t   level of detail, as the map view fills a window: 256-px
#             tiles, each its own query, on two threads (the cores here)
#   qgis      QGIS's QgsMapRendererSequentialJob and ParallelJob, all ten
#             layers, default symbols (bench/qgis-render.py; needs
#             `apt-get install qgis python3-qgis`, skipped without them)
#   gdal      gdal_rasterize burning the same ten layers into the same grid
#             (one value, no antialiasing: less work than ours)
# Every tool is warmed once and timed BENCH_REPEATS times (default 3),
# the best kept (gdal_rasterize, a process each time: the best of as
# many), so that a noisy moment of the machine does not decide a ratio.
# The pictures are left in bench/out/render-compare-N/ to be looked at.
#
# Usage: bench/render-compare.sh [BUILD_DIR] [N] [WIDTH] [HEIGHT]
set -eu
. "$(dirname "$0")/common.sh"
bench_build "${1:-build}"
n=${2:-100000}
width=${3:-1600}
height=${4:-1000}
view=$(bench_program render-view)
bench_out "render-compare-$n"

t0=$(now)
"$batch" sample --out "$out/town.ngam" --size "$n" > /dev/null
echo "demo town: $n intersections, $(du -h "$out/town.ngam" | cut -f1), generated in $(since "$t0") s"
# the town's pages on disk before any clock starts: writing them back
# while the first tool runs slowed it by half at 10^5
sync
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

set -- $("$batch" info "$out/town.ngam" | sed -n 's/^extent: *\([0-9.]*\), \([0-9.]*\) – \([0-9.]*\), \([0-9.]*\).*/\1 \2 \3 \4/p')
x0=$1 y0=$2 x1=$3 y1=$4

repeats=${BENCH_REPEATS:-3}
export BENCH_REPEATS=$repeats NGAM_RENDER_VIEW_PASSES=$((repeats + 1))
echo "each tool: the best of $repeats timed runs"

for what in full 0.5; do
  r=$("$view" "$out/town.ngam" "$width" "$height" "$what" "$out/ngam-$what.png")
  set -- $r
  ngam=$1 feats=$2 scale=$3 cx=$4 cy=$5
  # the picture's extent, as render-view framed it
  te=$(echo "$scale $cx $cy $width $height" | awk '{ printf "%.3f %.3f %.3f %.3f", $2 - $1 * $4 / 2, $3 - $1 * $5 / 2, $2 + $1 * $4 / 2, $3 + $1 * $5 / 2 }')
  all=$("$view" "$out/town.ngam" "$width" "$height" "$what" "$out/ngam-all-$what.png" no-lod | cut -d' ' -f1)
  tiled=$(NGAM_RENDER_VIEW_THREADS=2 "$view" "$out/town.ngam" "$width" "$height" "$what" "$out/ngam-2t-$what.png" | cut -d' ' -f1)
  echo "== $what ($scale m/px, extent $te)"
  echo "ngam, level of detail: $ngam s ($feats features)"
  echo "ngam, every feature:   $all s"
  echo "ngam, tiles, 2 threads: $tiled s"
  gdal=
  for i in $(seq "$repeats"); do
    rm -f "$out/gdal-$what.tif"
    t0=$(now)
    gdal_rasterize -q -l zones -l streets -l admin -l demand -l ducts -l routes -l spans -l manholes \
      -l poles -l sites -burn 255 -ot Byte -ts "$width" "$height" -te $te "$out/town.ngam" "$out/gdal-$what.tif"
    g=$(since "$t0")
    gdal=$(awk -v a="$gdal" -v b="$g" 'BEGIN { print (a == "" || b < a) ? b : a }')
  done
  echo "gdal_rasterize:        $gdal s"
  awk -v p="$gdal" -v g="$ngam" -v a="$all" -v t="$tiled" \
    'BEGIN { printf "ratio gdal/ngam: %.2f (every feature: %.2f; tiles on 2 threads: %.2f)\n", p / g, p / a, p / t }'
  if /usr/bin/python3 -c 'import qgis.core' 2> /dev/null; then
    q=$(QT_QPA_PLATFORM=offscreen /usr/bin/python3 "$bench_root/bench/qgis-render.py" "$out/town.ngam" \
        "$width" "$height" $te "$out/qgis-$what" 2> "$out/qgis-$what.log")
    seq=$(echo "$q" | sed -n 's/^sequential //p')
    par=$(echo "$q" | sed -n 's/^parallel //p')
    echo "qgis sequential:       $seq s"
    echo "qgis parallel:         $par s"
    awk -v s="$seq" -v p="$par" -v g="$ngam" -v a="$all" -v t="$tiled" \
      'BEGIN { printf "ratio qgis/ngam: sequential %.2f, parallel %.2f (every feature: %.2f, %.2f; parallel / tiles on 2 threads: %.2f)\n", s / g, p / g, s / a, p / a, p / t }'
  else
    echo "qgis: not installed (apt-get install qgis python3-qgis), skipped"
  fi
done
