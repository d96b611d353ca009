#!/bin/sh
# import-bench.sh — `ngam-batch import` against ogr2ogr and a plain OGR read
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Generates the demo town at N intersections (default 10^5) with
# `ngam-batch sample`, exports poles, spans and streets as shapefiles with
# `ngam-batch export`, then times on the same files, one run each, warm
# cache:
#   floor  bench/ogr-read-floor: every feature read through the OGR C API
#   ogr2ogr -f SQLite -dsco SPATIALITE=YES -gt 65536 (one run per file)
#   ngam   ngam-batch import (poles, then spans snapped to them, then
#          streets), each with its wall and CPU times, its peak RSS and its
#          phases (the ngam-io and ngam-store debug logs: opening, reading
#          and writing on two threads, the maps' spills, the poles' tiles,
#          the indexes, the commit) kept in OUT/import-KIND.log
# and prints wall times and the ratios ngam/ogr2ogr and ngam/floor (lower
# is better; goals ≤ 0.25 and ≤ 2), and the floor's own peak RSS (what GDAL
# keeps: a shapefile's whole index).  The machine should be otherwise idle:
# the import uses both cores.
#
# Usage: bench/import-bench.sh [BUILD_DIR] [N]
set -eu
build=${1:-build}
n=${2:-100000}
src=$(cd "$(dirname "$0")/.." && pwd)
batch="$src/$build/app/ngam-batch"
floor="$src/$build/bench/ogr-read-floor"
out="$src/bench/out/import-$n"
rm -rf "$out"
mkdir -p "$out"

now () { date +%s.%N; }
# Peak RSS in kB of a command: GNU time when installed, else VmHWM from
# /proc polled while it runs.
peak () {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%M %U %S" -o "$out/.peak" "$@"
    return
  fi
  "$@" & pid=$!
  hwm=0
  while kill -0 $pid 2>/dev/null; do
    v=$(awk '/VmHWM/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0)
    [ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
    sleep 0.05
  done
  wait $pid
  echo "$hwm ? ?" > "$out/.peak"
}

"$batch" sample --out "$out/town.ngam" --size "$n" > /dev/null
if [ "$n" -le 200000 ]; then
  for kind in poles spans streets; do
    "$batch" export "$out/town.ngam" --layer $kind --out "$out/$kind.shp" > /dev/null
  done
else
  # At 10^6 `ngam-batch export` writes 254-character text fields and has
  # GDAL trim them (RESIZE), which rewrites the 7 GB .dbf once per field;
  # ogr2ogr writes the same columns 80 characters wide at once.
  common="fid AS ngam_fid, operator, source_file AS src_file, source_layer AS src_layer, source_fid, source_key"
  for q in "poles:code, height_m, material, owner, status" \
           "spans:code, cable_type, fibre_count AS fibres, diameter_mm AS diam_mm, cable_count AS cables, from_pole, to_pole, status" \
           "streets:name, highway, surface, width_m, sidewalk_m, bridge, tunnel, layer, festival"; do
    kind=${q%%:*}
    ogr2ogr -f "ESRI Shapefile" "$out/$kind.shp" "$out/town.ngam" -dialect SQLite -nln $kind -lco ENCODING=UTF-8 \
      -sql "SELECT $common, ${q#*:}, geom FROM $kind WHERE retired = 0" 2>/dev/null
  done
fi
files="$out/poles.shp $out/spans.shp $out/streets.shp"
crs=$("$batch" info "$out/town.ngam" --json --quick | sed -n 's/.*"crs" : "\(EPSG:[0-9]*\)".*/\1/p')
sync; cat "$out"/*.shp "$out"/*.dbf > /dev/null   # same warm cache for everyone

t0=$(now)
peak "$floor" $files > "$out/floor.txt"
t1=$(now)
floor_s=$(echo "$t1 - $t0" | bc)
floor_kb=$(cut -d' ' -f1 "$out/.peak")

t0=$(now)
for f in $files; do
  ogr2ogr -f SQLite -dsco SPATIALITE=YES -gt 65536 "$out/ogr.sqlite" "$f" -append 2>/dev/null
done
t1=$(now)
ogr_s=$(echo "$t1 - $t0" | bc)

"$batch" new "$out/import.ngam" --crs "$crs" > /dev/null
ngam_s=0
for kind in poles spans streets; do
  t0=$(now)
  G_MESSAGES_DEBUG=ngam-io,ngam-store peak "$batch" import "$out/import.ngam" "$out/$kind.shp" --kind $kind --operator bench \
    > "$out/import-$kind.log" 2>&1
  t1=$(now)
  s=$(echo "$t1 - $t0" | bc)
  ngam_s=$(echo "$ngam_s + $s" | bc)
  read kb user sys < "$out/.peak"
  echo "ngam $kind: ${s} s (CPU ${user} s user, ${sys} s system), peak ${kb} kB"
  sed -n 's/.*ngam-[a-z]*-DEBUG: [0-9:.]*: /    /p' "$out/import-$kind.log"
done

echo "features: $(cat "$out/floor.txt")"
echo "project: $(du -k "$out/import.ngam" | cut -f1) kB; ogr2ogr's: $(du -k "$out/ogr.sqlite" | cut -f1) kB"
echo "floor   ${floor_s} s, peak ${floor_kb} kB"
echo "ogr2ogr ${ogr_s} s"
echo "ngam    ${ngam_s} s"
echo "ngam/ogr2ogr $(echo "scale=3; $ngam_s / $ogr_s" | bc)   ngam/floor $(echo "scale=3; $ngam_s / $floor_s" | bc)"
