#!/usr/bin/env bash
# bench/report-bench.sh — the plan's report of the generated town: the time
# and peak memory of each format (pdf, html, csv, gpkg, opendata) written
# alone, then of the whole report (every format in one run), and how much
# of the PDF's and the HTML's time is their maps (the core's debug log).
#
#   bench/report-bench.sh [--build DIR] [--size N] [--project FILE]
#
# Default: the 10^5 town (ngam-batch sample --size 100000 --seed 1), its
# plan and its gaps (--hazard all), made in bench/out/report first; with
# --project, a project that already has both runs is used as it is (it is
# only read).  Goal (issue 15): the whole report under 60 s on 2 cores,
# map rendering not the bottleneck.  Run by hand; figures go into
# bench/README.md (Reports).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
. "$(dirname "$0")/common.sh"

build_dir=build
size=100000
project=
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build_dir=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --project) project=$2; shift 2 ;;
    *) echo "usage: $0 [--build DIR] [--size N] [--project FILE]" >&2; exit 2 ;;
  esac
done
bench_build "$build_dir"
bench_out report

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -z "$project" ]; then
  project=$out/town.ngam
  measure "$batch" sample --out "$project" --size "$size" --seed 1 >/dev/null
  echo "sample --size $size: $(wall) s"
  measure "$batch" plan "$project" --json > "$out/plan.json"
  echo "plan: $(wall) s, $(mb) MB"
  measure "$batch" gaps "$project" --hazard all --json > "$out/gaps.json"
  echo "gaps: $(wall) s, $(mb) MB"
fi

printf "%-10s %8s %8s %8s %10s\n" format wall_s cpu_s peak_MB size_MB
for format in pdf html csv gpkg opendata all; do
  dir=$out/$format
  list=$format
  [ "$format" = all ] && list=pdf,html,csv,gpkg,opendata
  # The core's debug log (GLib writes it to stdout) times each step and
  # each map: how much of a format's time is its maps.
  measure env G_MESSAGES_DEBUG=ngam-report "$batch" report "$project" --out "$dir" --format "$list" \
    > "$out/$format.log" 2>&1
  printf "%-10s %8s %8s %8s %10s\n" "$format" "$(wall)" "$(cpu)" "$(mb)" \
    "$(du -sm "$dir" | cut -f1)"
done
for format in pdf html; do
  awk -v f="$format" '/map .* drawn in/ { n++; s += $(NF - 1) }
       / done in / { sub(/.*: /, ""); steps = steps "; " $0 }
       END { printf "%s: %d maps drawn in %.2f s%s\n", f, n, s, steps }' "$out/$format.log"
done
echo "pages: $(pdfinfo "$out/pdf/"*.pdf 2>/dev/null | awk '/^Pages:/ { print $2 }')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
