#!/bin/sh
# store-load.sh — the project store's bulk load against ogr2ogr → SpatiaLite
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Generates the demo town at N intersections (default 10^5) with
# `ngam-batch sample`, exports all ten layers as shapefiles with
# `ngam-batch export`, then times on the same files, one run each, warm
# cache:
#   store     bench/store-load --mode=sequential: one thread, OGR reads
#             each shapefile, NgamStoreWriter writes a fresh project (one
#             transaction, R*Tree and attribute indexes included)
#   pipelined the same with a second thread reading ahead (2 cores)
#   write     every feature read into memory first: the store's own time
#   ogr2ogr   ogr2ogr -f SQLite -dsco SPATIALITE=YES -gt 65536, all files
#             into one fresh database in one run (its spatial index included)
# and prints wall and CPU times (user + system: less disturbed than wall
# time when other jobs share the machine), peak memory, the load average,
# and the ratios ogr2ogr / store (higher is better; the goal is ≥ 4).
#
# Usage: bench/store-load.sh [BUILD_DIR] [N]
set -eu
. "$(dirname "$0")/common.sh"
bench_build "${1:-build}"
n=${2:-100000}
load=$(bench_program store-load)
bench_out "store-load-$n"
layers="poles spans routes streets ducts manholes zones admin demand sites"
mkdir -p "$out/shp"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(now)
"$batch" sample --out "$out/town.ngam" --size "$n" > "$out/sample.txt"
sample_s=$(since "$t0")
args=""
for kind in $layers; do
  "$batch" export "$out/town.ngam" --layer $kind --out "$out/shp/$kind.shp" > /dev/null
  args="$args $kind=$out/shp/$kind.shp"
done
features=$(sed -n 's/^  total *//p' "$out/sample.txt")
sync; cat "$out"/shp/* > /dev/null   # same warm cache for everyone

measure "$load" --mode=sequential "$out/store.ngam" $args > "$out/store.json"
store_s=$(wall); store_cpu=$(cpu); store_mb=$(mb)

measure "$load" --mode=pipelined "$out/piped.ngam" $args > "$out/piped.json"
piped_s=$(wall); piped_cpu=$(cpu); piped_mb=$(mb)

# the program's own clock: from creating the project to closing it
measure "$load" --mode=preload "$out/write.ngam" $args > "$out/write.json"
write_s=$(sed -n 's/.*"seconds": \([0-9.]*\),.*/\1/p' "$out/write.json")
write_mb=$(mb)

sync
measure ogr2ogr -f SQLite -dsco SPATIALITE=YES -gt 65536 "$out/ogr.sqlite" "$out/shp" 2> "$out/ogr2ogr.log"
ogr_s=$(wall); ogr_cpu=$(cpu); ogr_mb=$(mb)

# both results hold every feature and a sound spatial index
for kind in $layers; do
  a=$(sqlite3 "$out/store.ngam" "SELECT count(*) FROM $kind")
  b=$(sqlite3 "$out/ogr.sqlite" "SELECT count(*) FROM $kind")
  c=$(sqlite3 "$out/store.ngam" "SELECT rtreecheck('idx_${kind}_geom')")
  [ "$a" = "$b" ] && [ "$c" = ok ] || { echo "store-load: $kind: store $a ($c), ogr2ogr $b" >&2; exit 1; }
done

printf 'N = %s: %s features in %s shapefiles (%s MB); sample %.1f s\n' "$n" "$features" \
  "$(echo $layers | wc -w)" "$(du -sm "$out/shp" | cut -f1)" "$sample_s"
printf '%-28s %8s %8s %8s\n' "" "wall s" "CPU s" "peak MB"
printf '%-28s %8.2f %8.2f %8d\n' "store (OGR read + write)" "$store_s" "$store_cpu" "$store_mb"
printf '%-28s %8.2f %8.2f %8d\n' "store, read-ahead thread" "$piped_s" "$piped_cpu" "$piped_mb"
printf '%-28s %8.2f %8s %8d\n' "store write only" "$write_s" "" "$write_mb"
printf '%-28s %8.2f %8.2f %8d\n' "ogr2ogr → SpatiaLite" "$ogr_s" "$ogr_cpu" "$ogr_mb"
printf 'ratio ogr2ogr / store, wall: %.2f (read-ahead %.2f, write only %.2f); CPU: %.2f; goal ≥ 4\n' \
  "$(echo "$ogr_s / $store_s" | bc -l)" "$(echo "$ogr_s / $piped_s" | bc -l)" \
  "$(echo "$ogr_s / $write_s" | bc -l)" "$(echo "$ogr_cpu / $store_cpu" | bc -l)"
echo "load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
