#!/bin/bash
# bench/plan-bench.sh — the undergrounding plan of the generated town at
# 10^3, 10^4 and 10^5 intersections (10^6 with --large): wall time and peak
# memory of the shared plan and of the no-sharing baseline, and the saving.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench/plan-bench.sh [--build DIR] [--large]
# Goals (issue 10): 10^4 → 10^5 at most 15× the time; 10^5 under 30 s and
# 2 GB; 10^6 under 10 minutes and 8 GB.  Run by hand; figures go into
# bench/README.md.
set -euo pipefail
. "$(dirname "$0")/common.sh"

build_dir=build
sizes="1000 10000 100000"
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build_dir=$2; shift 2 ;;
    --large) sizes="$sizes 1000000"; shift ;;
    *) echo "usage: $0 [--build DIR] [--large]" >&2; exit 2 ;;
  esac
done
bench_build "$build_dir"
bench_out plan

printf "%-9s %-11s %9s %9s %18s %10s\n" size mode wall_s peak_MB cost_VND trench_km
for size in $sizes; do
  project=$out/town-$size.ngam
  "$batch" sample --out "$project" --size "$size" --seed 1 >/dev/null
  for mode in shared alone; do
    flag=""
    [ "$mode" = alone ] && flag=--no-sharing
    # --dry-run: the plan's own work, not the store's write of the results
    measure "$batch" plan "$project" --dry-run --json $flag > "$out/plan-$size-$mode.json" || true
    read -r cost km < <(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["totals"]
print(t["cost_vnd"], round(t["trench_m"] / 1000, 1))' "$out/plan-$size-$mode.json")
    printf "%-9s %-11s %9s %9s %18s %10s\n" "$size" "$mode" "$(wall)" "$(mb)" "$cost" "$km"
  done
  measure "$batch" plan "$project" >/dev/null || true
  printf "%-9s %-11s %9s %9s\n" "$size" stored "$(wall)" "$(mb)"
  python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["totals"]["cost_vnd"]
b = json.load(open(sys.argv[2]))["totals"]["cost_vnd"]
print(f"          sharing saves {100 * (1 - a / b):.1f} %")' "$out/plan-$size-shared.json" "$out/plan-$size-alone.json"
  rm -f "$project" "$project-wal" "$project-shm"
done
