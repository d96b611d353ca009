#!/bin/sh
# map-redraw.sh — the desktop map's redraw from cached tiles after a pan
# (the editor issue's 60 Hz goal), under Xvfb
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Generates the demo town at N intersections (or uses PROJECT when given,
# e.g. tools/demo's, which holds a plan the window then shows), then runs
# bench/map-redraw in a 1600×1000 window under Xvfb: the application's
# window with GTK's cairo renderer, then the map view alone with the cairo
# renderer and, for comparison, the GL renderer on Mesa's software
# rasteriser.  At 0.5, 2, 8 and 32 m/px and the whole extent it waits for
# every tile, then pans by 24 px back and forth and times each frame on
# the window's frame clock; then the present floor, the same window with
# its whole area changing colour in every frame and nothing to compose.
# No peer: the goal is one 60 Hz frame, 16.7 ms.
#
# Usage: bench/map-redraw.sh [BUILD_DIR] [N | PROJECT.ngam] [FRAMES]
set -eu
. "$(dirname "$0")/common.sh"
bench_build "${1:-build}"
what=${2:-20000}
frames=${3:-60}
redraw=$(bench_program map-redraw)
bench_out "map-redraw"

case "$what" in
  *.ngam) project=$what ;;
  *)
    project=$out/town.ngam
    t0=$(now)
    "$batch" sample --out "$project" --size "$what" > /dev/null
    echo "demo town: $what intersections, generated in $(since "$t0") s"
    ;;
esac
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
run() {
  renderer=$1; shift
  GSK_RENDERER=$renderer GDK_DEBUG= GSETTINGS_BACKEND=memory \
    xvfb-run -a -s "-screen 0 1920x1200x24 -nolisten tcp" \
    "$redraw" "$project" 1600 1000 "$frames" "$@" 2>&1 | grep -v 'DEBUG\|dbus\|^$'
}
echo "== the application's window, GSK_RENDERER=cairo"
run cairo window
for renderer in cairo gl; do
  echo "== the map view alone, GSK_RENDERER=$renderer"
  run $renderer
done
