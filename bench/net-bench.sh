#!/bin/sh
# net-bench.sh — the street network engine against pgRouting (and GRASS
# v.net.steiner when it is installed), on the generated town at 10^4 and
# 10^5 intersections.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   bench/net-bench.sh [BUILD_DIR] [SIZES]
#
# Needs: postgresql-15, postgresql-15-postgis-3, postgresql-15-pgrouting
# (Debian).  Starts a private PostgreSQL cluster on a unix socket in a
# temporary folder and stops it at the end, whatever happens.  As root the
# cluster runs as the postgres user.
#
# For each size: ngam-batch sample makes the town; net-bench (bench/
# net-bench.c) builds our graph, writes the same noded edges for pgRouting,
# picks the queries and times ours; pgRouting then builds its topology from
# those edges (pgr_createTopology), answers the same queries (pgr_dijkstra,
# pgr_dijkstraCost) and composes the 2-approximation of the Steiner tree
# (pgr_dijkstraCost between the terminals, pgr_kruskal on that complete
# graph, pgr_dijkstra to expand the chosen pairs); net-compare.py checks
# every cost agrees to 1e-6 relative and prints the ratios.  With
# grass-core installed, GRASS v.net.steiner builds the same two trees too
# (timed from the prepared network map; GRASS_TIMEOUT seconds at most).
set -eu

. "$(dirname "$0")/common.sh"
here=$bench_root/bench
bench_build "${1:-build}"
sizes=${2:-"10000 100000"}
bench=$(bench_program net-bench)
out=$here/out/net
pgbin=/usr/lib/postgresql/15/bin

[ -x "$pgbin/initdb" ] || { echo "PostgreSQL 15 is not installed (apt-get install postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting)" >&2; exit 1; }
mkdir -p "$out"

pgdir=$(mktemp -d /tmp/ngam-pg-XXXXXX)
grassdir=$(mktemp -d /tmp/ngam-grass-XXXXXX)
as_pg=""
if [ "$(id -u)" = 0 ]; then
  chown postgres "$pgdir"
  as_pg="runuser -u postgres --"
fi
stop () {
  $as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pgdir" "$grassdir"
}
trap stop EXIT INT TERM
$as_pg "$pgbin/initdb" -D "$pgdir/data" --auth=trust -U postgres >/dev/null
$as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
  -o "-k $pgdir -c listen_addresses='' -c shared_buffers=512MB -c work_mem=256MB -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
psql="psql -X -q -v ON_ERROR_STOP=1 -h $pgdir -U postgres"
$psql -d postgres -c "CREATE DATABASE bench" >/dev/null
$psql -d bench -c "CREATE EXTENSION postgis; CREATE EXTENSION pgrouting;" >/dev/null
pgr_version=$($psql -d bench -At -c "SELECT pgr_version()")
echo "pgRouting $pgr_version, PostGIS $($psql -d bench -At -c "SELECT postgis_lib_version()"), $(nproc) cores"

# GRASS v.net.steiner on the same edges and terminals, when grass-core is
# installed: prints "seconds cost" (or "timeout -" after GRASS_TIMEOUT s).
# The edges go in through ogr2ogr and v.in.ogr (same 13 341 / 133 121
# nodes as ours), the terminals as points joined to their nodes by v.net.
# v.net.steiner needs memory quadratic in the nodes (the kernel killed it
# at 24 GB on the 10^5 town), so it runs under a virtual memory cap.
GRASS_TIMEOUT=${GRASS_TIMEOUT:-900}
GRASS_MEMORY_KB=${GRASS_MEMORY_KB:-6000000}
grass_steiner () {
  dir=$1 k=$2
  loc=$grassdir/loc/PERMANENT
  g="grass $loc --exec"
  if [ ! -d "$grassdir/loc" ]; then
    grass -c EPSG:9214 -e "$grassdir/loc" >/dev/null 2>&1
  fi
  if [ ! -f "$dir/g-edges.gpkg" ]; then
    ogr2ogr -f GPKG "$dir/g-edges.gpkg" "CSV:$dir/edges.tsv" -oo HEADERS=NO \
      -oo GEOM_POSSIBLE_NAMES=field_3 -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:9214 -nln edges 2>/dev/null
  fi
  $g v.in.ogr input="$dir/g-edges.gpkg" output=net -o --overwrite >/dev/null 2>&1
  awk -F'\t' 'NR == FNR { t[$1] = ++n; next } ($1 in t) { printf "%s|%s|%d\n", $2, $3, t[$1] }' \
    "$dir/steiner$k.tsv" "$dir/nodes.tsv" > "$dir/g-terms$k.txt"
  $g v.in.ascii input="$dir/g-terms$k.txt" output=terms separator=pipe x=1 y=2 cat=3 --overwrite >/dev/null 2>&1
  $g v.net input=net points=terms output=netpts operation=connect threshold=0.01 --overwrite >/dev/null 2>&1
  start=$(now)
  status=0
  ( ulimit -v "$GRASS_MEMORY_KB"
    exec timeout "$GRASS_TIMEOUT" $g v.net.steiner input=netpts output=tree terminal_cats="1-$k" --overwrite ) \
    > "$dir/grass-steiner$k.log" 2>&1 || status=$?
  end=$(now)
  cost=$(sed -n 's/^Steiner tree costs = //p' "$dir/grass-steiner$k.log")
  if [ "$status" = 124 ]; then
    echo "timeout -"
  elif [ -z "$cost" ]; then
    echo "failed -"
  else
    echo "$start $end $cost" | awk '{ printf "%.3f %s\n", $2 - $1, $3 }'
  fi
}

# Runs SQL from stdin with \timing on; prints the sum of the times (ms).
timed () {
  $psql -d bench -At -f - 2>&1 | awk '/^Time: /{ t += $2 } END { printf "%.3f\n", t }'
}

for n in $sizes; do
  town=$out/town-$n.ngam
  dir=$out/$n
  mkdir -p "$dir"
  [ -f "$town" ] || "$batch" sample --out "$town" --size "$n" >/dev/null
  echo "== town of $n intersections: $town"
  "$bench" "$town" "$dir" 1

  # load the noded edges and our node table
  $psql -d bench >/dev/null <<SQL
SET client_min_messages = warning;
DROP TABLE IF EXISTS raw, edges, edges_vertices_pgr, nodes, nodemap, pairs, one_q, many_src, many_dst, t20, t100;
CREATE TABLE raw (id bigint, cost float8, wkt text);
\copy raw FROM '$dir/edges.tsv'
CREATE TABLE edges AS SELECT id, cost, ST_GeomFromText(wkt) AS the_geom, NULL::bigint AS source, NULL::bigint AS target FROM raw;
ALTER TABLE edges ADD PRIMARY KEY (id);
CREATE INDEX ON edges USING gist (the_geom);
CREATE TABLE nodes (id bigint, x float8, y float8);
\copy nodes FROM '$dir/nodes.tsv'
CREATE TABLE pairs (s bigint, t bigint);
\copy pairs FROM '$dir/pairs.tsv'
CREATE TABLE one_q (v bigint);
\copy one_q FROM '$dir/one.tsv'
CREATE TABLE many_src (v bigint);
\copy many_src FROM '$dir/many_src.tsv'
CREATE TABLE many_dst (v bigint);
\copy many_dst FROM '$dir/many_dst.tsv'
CREATE TABLE t20 (v bigint);
\copy t20 FROM '$dir/steiner20.tsv'
CREATE TABLE t100 (v bigint);
\copy t100 FROM '$dir/steiner100.tsv'
ANALYZE;
SQL

  # graph building: pgr_createTopology on the same edges
  topo_ms=$(timed <<SQL
\timing on
SELECT pgr_createTopology('edges', 0.000001, 'the_geom', 'id', clean := true);
SQL
)
  # our node numbers ↔ pgRouting's vertex ids, by coordinates
  $psql -d bench >/dev/null <<SQL
CREATE TABLE nodemap AS SELECT n.id AS ours, v.id AS pgr FROM nodes n JOIN edges_vertices_pgr v ON ST_X(v.the_geom) = n.x AND ST_Y(v.the_geom) = n.y;
CREATE INDEX ON nodemap (ours);
ANALYZE nodemap;
SQL
  mapped=$($psql -d bench -At -c "SELECT count(*) || ' of ' || (SELECT count(*) FROM nodes) || ' nodes matched, ' || (SELECT count(*) FROM edges_vertices_pgr) || ' pgRouting vertices' FROM nodemap")
  echo "topology: $mapped"

  esql="'SELECT id, source, target, cost FROM edges'"
  # one-to-one: the 20 pairs, one pgr_dijkstra each
  {
    printf '%s\n' '\timing on'
    $psql -d bench -At -F ' ' -c "SELECT a.pgr, b.pgr, p.s, p.t FROM pairs p JOIN nodemap a ON a.ours = p.s JOIN nodemap b ON b.ours = p.t" |
      while read -r a b s t; do
        echo "SELECT 'pair', $s, $t, agg_cost FROM pgr_dijkstra($esql, $a, $b, directed => false) WHERE edge = -1;"
      done
  } | $psql -d bench -At -F '	' -f - > "$dir/pg-pairs.out"
  one_ms=$(awk '/^Time: /{ t += $2; n++ } END { printf "%.3f\n", t / n }' "$dir/pg-pairs.out")
  grep '^pair' "$dir/pg-pairs.out" > "$dir/pg.tsv"

  # one-to-many 1 × 1000
  $psql -d bench -At -F '	' > "$dir/pg-one.out" <<SQL
\timing on
CREATE TEMP TABLE r AS SELECT start_vid, end_vid, agg_cost FROM pgr_dijkstraCost($esql,
  (SELECT m.pgr FROM nodemap m WHERE m.ours = (SELECT v FROM one_q LIMIT 1)),
  ARRAY(SELECT m.pgr FROM (SELECT v FROM one_q OFFSET 1) q JOIN nodemap m ON m.ours = q.v), directed => false);
\timing off
SELECT 'one', a.ours, b.ours, r.agg_cost FROM r JOIN nodemap a ON a.pgr = r.start_vid JOIN nodemap b ON b.pgr = r.end_vid;
SQL
  otm_ms=$(awk '/^Time: /{ print $2; exit }' "$dir/pg-one.out")
  grep '^one' "$dir/pg-one.out" >> "$dir/pg.tsv"

  # many-to-many 100 × 100
  $psql -d bench -At -F '	' > "$dir/pg-many.out" <<SQL
\timing on
CREATE TEMP TABLE r AS SELECT start_vid, end_vid, agg_cost FROM pgr_dijkstraCost($esql,
  ARRAY(SELECT m.pgr FROM many_src q JOIN nodemap m ON m.ours = q.v),
  ARRAY(SELECT m.pgr FROM many_dst q JOIN nodemap m ON m.ours = q.v), directed => false);
\timing off
SELECT 'many', a.ours, b.ours, r.agg_cost FROM r JOIN nodemap a ON a.pgr = r.start_vid JOIN nodemap b ON b.pgr = r.end_vid;
SQL
  mtm_ms=$(awk '/^Time: /{ print $2; exit }' "$dir/pg-many.out")
  grep '^many' "$dir/pg-many.out" >> "$dir/pg.tsv"

  # Steiner: the 2-approximation composed from pgRouting functions
  for k in 20 100; do
    $psql -d bench -At > "$dir/pg-steiner$k.out" <<SQL
\timing on
CREATE TEMP TABLE d AS SELECT * FROM pgr_dijkstraCost($esql,
  ARRAY(SELECT m.pgr FROM t$k q JOIN nodemap m ON m.ours = q.v),
  ARRAY(SELECT m.pgr FROM t$k q JOIN nodemap m ON m.ours = q.v), directed => false);
CREATE TEMP TABLE dd AS SELECT row_number() OVER (ORDER BY start_vid, end_vid) AS id, start_vid AS source, end_vid AS target, agg_cost AS cost FROM d WHERE start_vid < end_vid;
CREATE TEMP TABLE mst AS SELECT edge FROM pgr_kruskal('SELECT id, source, target, cost FROM dd');
CREATE TEMP TABLE tree AS SELECT DISTINCT p.edge FROM pgr_dijkstra($esql, 'SELECT source, target FROM dd WHERE id IN (SELECT edge FROM mst)', directed => false) p WHERE p.edge > 0;
\timing off
SELECT 'cost|' || sum(e.cost) FROM tree JOIN edges e ON e.id = tree.edge;
SQL
    st_ms=$(awk '/^Time: /{ t += $2 } END { printf "%.3f\n", t }' "$dir/pg-steiner$k.out")
    st_cost=$(awk -F'|' '/^cost\|/{ print $2 }' "$dir/pg-steiner$k.out")
    echo "steiner${k}_seconds	$(echo "$st_ms" | awk '{ printf "%.6f", $1 / 1000 }')" >> "$dir/pg-times.tsv.new"
    echo "steiner${k}_cost	$st_cost" >> "$dir/pg-times.tsv.new"
  done
  {
    echo "topology_seconds	$(echo "$topo_ms" | awk '{ printf "%.6f", $1 / 1000 }')"
    echo "one_to_one_seconds	$(echo "$one_ms" | awk '{ printf "%.6f", $1 / 1000 }')"
    echo "one_to_many_seconds	$(echo "$otm_ms" | awk '{ printf "%.6f", $1 / 1000 }')"
    echo "many_to_many_seconds	$(echo "$mtm_ms" | awk '{ printf "%.6f", $1 / 1000 }')"
    cat "$dir/pg-times.tsv.new"
  } > "$dir/pg-times.tsv"
  rm -f "$dir/pg-times.tsv.new"

  # our Steiner trees: within a 25th of pgRouting's time, and unbounded
  b20=$(awk -F'\t' '$1 == "steiner20_seconds" { printf "%.6f", $2 / 25 }' "$dir/pg-times.tsv")
  b100=$(awk -F'\t' '$1 == "steiner100_seconds" { printf "%.6f", $2 / 25 }' "$dir/pg-times.tsv")
  "$bench" --steiner "$town" "$dir" "$b20" "$b100"

  # the CLI end to end: graph from the project file plus one route
  s=$(awk -F'\t' '$1 == "pair" { print $2; exit }' "$dir/ours.tsv")
  t=$(awk -F'\t' '$1 == "pair" { print $3; exit }' "$dir/ours.tsv")
  from=$(awk -F'\t' -v id="$s" '$1 == id { print $2 "," $3 }' "$dir/nodes.tsv")
  to=$(awk -F'\t' -v id="$t" '$1 == id { print $2 "," $3 }' "$dir/nodes.tsv")
  start=$(now)
  "$batch" route "$town" --from "$from" --to "$to" >/dev/null
  end=$(now)
  echo "cli_route_seconds	$(echo "$start $end" | awk '{ printf "%.6f", $2 - $1 }')" >> "$dir/pg-times.tsv"

  if command -v grass >/dev/null 2>&1; then
    for k in 20 100; do
      echo "grass_steiner$k	$(grass_steiner "$dir" "$k")" >> "$dir/pg-times.tsv"
    done
  fi

  python3 "$here/net-compare.py" "$dir" "$n"
done
