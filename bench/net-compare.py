#!/usr/bin/env python3
# net-compare.py — checks that our costs agree with pgRouting's and prints
# the side-by-side table of bench/net-bench.sh
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   net-compare.py DIR SIZE
import sys

d, size = sys.argv[1], sys.argv[2]


def read_kv(path):
    kv, rows = {}, []
    for line in open(path):
        f = line.rstrip("\n").split("\t")
        if len(f) == 2 and f[0].startswith("grass_"):
            kv[f[0]] = f[1]
        elif len(f) == 2:
            kv[f[0]] = float(f[1]) if f[1] not in ("", "NULL") else float("nan")
        elif len(f) >= 4:
            rows.append(f)
    return kv, rows


ours, our_rows = read_kv(f"{d}/ours.tsv")
ours.update(read_kv(f"{d}/ours-steiner.tsv")[0])
pg, _ = read_kv(f"{d}/pg-times.tsv")
_, pg_rows = read_kv(f"{d}/pg.tsv")

# every cost pgRouting gave, against ours
mine = {(r[0], r[1], r[2]): float(r[3]) for r in our_rows if r[0] in ("pair", "one", "many")}
worst, compared, missing = 0.0, 0, 0
for r in pg_rows:
    key = (r[0], r[1], r[2])
    if key not in mine:
        missing += 1
        continue
    a, b = mine[key], float(r[3])
    rel = abs(a - b) / max(abs(b), 1e-12)
    worst = max(worst, rel)
    compared += 1
expected = sum(1 for k in mine if k[0] in ("pair", "one", "many") and k[1] != k[2])
ok = worst <= 1e-6 and compared >= expected - 5
print(f"costs: {compared} compared with pgRouting, worst relative difference {worst:.2e}"
      f" ({'OK' if ok else 'DISAGREE'}; {missing} unmatched)")


def row(name, o, p, goal):
    ratio = p / o if o > 0 else float("inf")
    mark = "" if goal is None else ("  goal ≥ %d× %s" % (goal, "met" if ratio >= goal else "NOT met"))
    print(f"  {name:34s} {o * 1000:10.2f} ms {p * 1000:12.2f} ms {ratio:9.1f}×{mark}")


big = int(size) >= 100000
print(f"{'':36s} {'Ngầm':>13s} {'pgRouting':>15s} {'ratio':>10s}")
print(f"  graph: {int(ours['nodes'])} nodes, {int(ours['edges'])} edges, {int(ours['components'])} component(s)")
row("graph build vs pgr_createTopology", ours["graph_seconds"], pg["topology_seconds"], 50 if big else None)
row("one-to-one (mean of 20)", ours["one_to_one_seconds"], pg["one_to_one_seconds"], 20 if big else None)
row("one-to-many 1×1000", ours["one_to_many_seconds"], pg["one_to_many_seconds"], 20 if big else None)
row("many-to-many 100×100, hierarchy", ours["many_to_many_seconds"], pg["many_to_many_seconds"], 20 if big else None)
row("  hierarchy preparation", ours["ch_prepare_seconds"], pg["many_to_many_seconds"], None)
row("  100×100 preparation included", ours["ch_prepare_seconds"] + ours["many_to_many_seconds"],
    pg["many_to_many_seconds"], None)
row("  100×100 plain Dijkstra", ours["many_to_many_dijkstra_seconds"], pg["many_to_many_seconds"], None)
print(f"  (hierarchy against plain Dijkstra: worst relative difference {ours['many_to_many_ch_vs_dijkstra']:.2e})")
print(f"  (one-to-one without goal direction: {ours['one_to_one_dijkstra_seconds'] * 1000:.2f} ms;"
      f" ngam-batch route end to end, graph included: {pg['cli_route_seconds'] * 1000:.0f} ms)")
for k in (20, 100):
    pc = pg[f"steiner{k}_cost"]
    for mode, label in (("budget", "a 25th of pgRouting's time"), ("default", "default search")):
        o = ours[f"steiner{k}_{mode}_seconds"]
        oc = ours[f"steiner{k}_{mode}_cost"]
        row(f"Steiner {k} terminals, {label}", o, pg[f"steiner{k}_seconds"], 20 if big and mode == "budget" else None)
        print(f"  {'':34s} cost {oc:.1f} vs {pc:.1f} ({100 * (oc - pc) / pc:+.2f}%; {int(ours[f'steiner{k}_{mode}_starts'])} starts)")
    print(f"  {'':34s} Mehlhorn's tree alone costs {ours[f'steiner{k}_mehlhorn']:.1f}")
    gr = pg.get(f"grass_steiner{k}")
    if gr:
        secs, cost = gr.split()
        if secs == "timeout":
            print(f"  GRASS v.net.steiner, {k} terminals: did not finish within the timeout")
        elif secs == "failed":
            print(f"  GRASS v.net.steiner, {k} terminals: failed (out of the memory allowed; see grass-steiner{k}.log)")
        else:
            oc = ours[f"steiner{k}_default_cost"]
            print(f"  GRASS v.net.steiner, {k} terminals: {float(secs):.1f} s, cost {float(cost):.1f}"
                  f" (ours, default search: {ours[f'steiner{k}_default_seconds']:.1f} s,"
                  f" {100 * (oc - float(cost)) / float(cost):+.2f}%)")
