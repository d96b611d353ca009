#!/usr/bin/env bash
# bench/gaps-bench.sh — coverage gaps: the union of the 29,716 OpenCelliD
# cells against SpatiaLite's ST_Union(ST_Buffer(…)) in one run, fibre
# reach and the whole `gaps --tech all --hazard all` on the 10^5 town
#
#   bench/gaps-bench.sh [BUILD_DIR]
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
. "$(dirname "$0")/common.sh"
bench_build "${1:-build}"
union=$(bench_program cover-union)
bench_out gaps
data=${NGAM_SHARED_DATA:-$bench_root/../shared/data}

echo "== union of the OpenCelliD France sample (EPSG:2154), Ngầm then SpatiaLite"
"$batch" new "$out/france.ngam" --crs EPSG:2154 >/dev/null
"$batch" import "$out/france.ngam" "$data/cells/opencellid_france_sample/towers.csv" --kind sites \
  --profile "$bench_root/data/profiles/opencellid.ini" | tail -n 1
"$union" "$out/france.ngam" | tee "$out/union.txt"

echo "== the 10^5 town"
"$batch" sample --out "$out/town.ngam" --size 100000 | tail -n 1
cp "$out/town.ngam" "$out/town-fibre.ngam"
"$batch" gaps "$out/town-fibre.ngam" --tech fibre --no-proposals --no-store --json > "$out/fibre.json"
python3 - "$out/fibre.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["seconds"]
print(f"fibre reach: {d['demand']['points']} demand points, {d['fibre']['access_points']} access points: "
      f"search {s['fibre']:.3f} s (all operators, then each), reading and locating {s['read']:.3f} s")
PY
t0=$(now)
"$batch" gaps "$out/town.ngam" --tech all --hazard all --json > "$out/all.json"
echo "gaps --tech all --hazard all: $(since "$t0") s"
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print("phases:", d["seconds"]); print("hazard zones:", len(d["hazards"]))' "$out/all.json"
