/* test-net-graph.c — the street graph: noding, levels, snapping,
 * near-misses, degenerate streets, zones, memory limit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "net-test-util.h"
#include "ngam-test-util.h"

#define S(wkt) { wkt, -1, -1, -1 }
#define BRIDGE(wkt) { wkt, 1, -1, -1 }

typedef struct
{
  NetTestProject  *project;
  NgamGraph       *graph;
  NgamGraphReport *report;
} Built;

static void
built_clear (Built *b)
{
  ngam_graph_report_free (b->report);
  ngam_graph_free (b->graph);
  net_test_project_free (b->project);
}

static void
build (Built *b, const NetTestStreet *streets, guint n, const NetTestZone *zones, guint nz, double snap)
{
  g_autoptr(GError) error = NULL;
  NgamGraphBuildOptions opt = NGAM_GRAPH_BUILD_OPTIONS_INIT;

  b->project = net_test_project_new (streets, n, zones, nz);
  opt.snap_tolerance = snap;
  b->graph = ngam_graph_build (b->project->store, &opt, &b->report, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (b->graph);
}

/* The node at (x, y), or fails. */
static guint
node_at (const NgamGraph *g, double x, double y)
{
  for (guint v = 0; v < g->n_nodes; v++)
    if (fabs (g->node_xy[2 * v] - x) < 1e-6 && fabs (g->node_xy[2 * v + 1] - y) < 1e-6)
      return v;
  g_error ("no node at (%g, %g)", x, y);
  return G_MAXUINT;
}

static guint
degree (const NgamGraph *g, guint v)
{
  return g->adj_start[v + 1] - g->adj_start[v];
}

static void
test_cross (void)
{
  NetTestStreet s[] = { S ("LINESTRING (0 0,100 0)"), S ("LINESTRING (50 -50,50 50)") };
  Built b = { 0 };

  build (&b, s, 2, NULL, 0, -1);
  g_assert_cmpuint (b.graph->n_nodes, ==, 5);
  g_assert_cmpuint (b.graph->n_edges, ==, 4);
  g_assert_cmpuint (b.report->n_crossings, ==, 1);
  g_assert_cmpuint (b.graph->n_components, ==, 1);
  g_assert_cmpuint (degree (b.graph, node_at (b.graph, 50, 0)), ==, 4);
  g_assert_cmpfloat_with_epsilon (ngam_graph_total_length (b.graph), 200, 1e-9);
  g_assert_cmpuint (b.report->n_dead_ends, ==, 4);
  g_assert_cmpuint (b.report->near_misses->len, ==, 0);
  g_assert_cmpfloat (b.report->snap_tolerance, ==, 0.5);   /* the project's default */
  /* attributes come along */
  g_assert_cmpstr (ngam_graph_get_string (b.graph, b.graph->edge[0].surface), ==, "asphalt");
  g_assert_cmpstr (ngam_graph_get_string (b.graph, b.graph->edge[0].highway), ==, "residential");
  g_assert_cmpfloat (b.graph->edge[0].width_m, ==, 6.5f);
  g_assert_cmpint (b.graph->edge[0].street_fid, >, 0);
  built_clear (&b);
}

/* A bridge passes over a street without meeting it; its ends join the
 * streets it lands on. */
static void
test_bridge (void)
{
  NetTestStreet s[] = {
    S ("LINESTRING (0 0,100 0)"),            /* passes under */
    BRIDGE ("LINESTRING (50 -50,50 50)"),
    S ("LINESTRING (0 -50,100 -50)"),        /* the bridge lands on it */
  };
  Built b = { 0 };

  build (&b, s, 3, NULL, 0, -1);
  g_assert_cmpuint (b.report->n_level_crossings, ==, 1);
  g_assert_cmpuint (b.report->n_crossings, ==, 0);
  g_assert_cmpuint (b.graph->n_nodes, ==, 6);
  g_assert_cmpuint (b.graph->n_edges, ==, 4);
  g_assert_cmpuint (b.graph->n_components, ==, 2);
  g_assert_cmpuint (degree (b.graph, node_at (b.graph, 50, -50)), ==, 3);
  for (guint e = 0; e < b.graph->n_edges; e++)
    if (b.graph->edge[e].flags & NGAM_EDGE_BRIDGE)
      g_assert_cmpint (b.graph->edge[e].level, ==, 1);
  built_clear (&b);
}

/* Explicit layers: a tunnel at −1 does not meet the ground; two streets
 * on the same raised layer do. */
static void
test_layers (void)
{
  NetTestStreet s[] = {
    S ("LINESTRING (0 0,100 0)"),
    { "LINESTRING (50 -50,50 50)", -1, 1, -1 },      /* tunnel */
    { "LINESTRING (200 0,300 0)", -1, -1, 2 },
    { "LINESTRING (250 -50,250 50)", 1, -1, 2 },    /* a bridge on layer 2 too */
  };
  Built b = { 0 };

  build (&b, s, 4, NULL, 0, -1);
  g_assert_cmpuint (b.report->n_level_crossings, ==, 1);
  g_assert_cmpuint (b.report->n_crossings, ==, 1);
  g_assert_cmpuint (b.graph->n_nodes, ==, 4 + 5);
  g_assert_cmpuint (b.graph->n_edges, ==, 2 + 4);
  built_clear (&b);
}

static void
test_t_junction (void)
{
  NetTestStreet s[] = { S ("LINESTRING (0 0,100 0)"), S ("LINESTRING (50 0,50 50)") };
  Built b = { 0 };

  build (&b, s, 2, NULL, 0, -1);
  g_assert_cmpuint (b.graph->n_nodes, ==, 4);
  g_assert_cmpuint (b.graph->n_edges, ==, 3);
  g_assert_cmpuint (degree (b.graph, node_at (b.graph, 50, 0)), ==, 3);
  built_clear (&b);
}

/* An end 30 cm short of a street: joined with the project's 0.5 m,
 * reported as a near-miss with 0.1 m. */
static void
test_snap_and_near_miss (void)
{
  NetTestStreet s[] = { S ("LINESTRING (0 0,100 0)"), S ("LINESTRING (50 0.3,50 50)") };
  Built b = { 0 };
  const NgamNearMiss *nm;

  build (&b, s, 2, NULL, 0, -1);
  g_assert_cmpuint (b.graph->n_edges, ==, 3);
  g_assert_cmpuint (b.report->n_snapped, >=, 1);
  g_assert_cmpuint (b.report->near_misses->len, ==, 0);
  built_clear (&b);

  build (&b, s, 2, NULL, 0, 0.1);
  g_assert_cmpuint (b.graph->n_edges, ==, 2);
  g_assert_cmpuint (b.graph->n_components, ==, 2);
  g_assert_cmpfloat (b.report->near_miss_distance, ==, 1.0);
  g_assert_cmpuint (b.report->near_misses->len, ==, 1);
  nm = &g_array_index (b.report->near_misses, NgamNearMiss, 0);
  g_assert_cmpfloat_with_epsilon (nm->x, 50, 1e-9);
  g_assert_cmpfloat_with_epsilon (nm->y, 0.3, 1e-9);
  g_assert_cmpfloat_with_epsilon (nm->distance, 0.3, 1e-9);
  g_assert_cmpfloat_with_epsilon (nm->nx, 50, 1e-9);
  g_assert_cmpfloat_with_epsilon (nm->ny, 0, 1e-9);
  g_assert_cmpint (nm->street_fid, ==, 2);
  g_assert_cmpint (nm->other_fid, ==, 1);
  built_clear (&b);
}

static void
test_near_miss_far (void)
{
  NetTestStreet s[] = { S ("LINESTRING (0 0,100 0)"), S ("LINESTRING (50 3,50 50)"), S ("LINESTRING (50 -20,50 -60)") };
  Built b = { 0 };
  const NgamNearMiss *nm;

  build (&b, s, 3, NULL, 0, -1);
  g_assert_cmpuint (b.graph->n_components, ==, 3);
  g_assert_cmpuint (b.report->near_misses->len, ==, 1);   /* 20 m is not near */
  nm = &g_array_index (b.report->near_misses, NgamNearMiss, 0);
  g_assert_cmpfloat_with_epsilon (nm->distance, 3, 1e-9);
  built_clear (&b);
}

/* Zero-length streets are left out and named; repeated vertices dropped;
 * a street drawn twice is kept once. */
static void
test_degenerate (void)
{
  NetTestStreet s[] = {
    S ("LINESTRING (0 0,0 0,100 0,100 0)"),
    S ("LINESTRING (10 10,10 10)"),
    S ("LINESTRING (0 0,100 0)"),
    S ("LINESTRING (0 0,50 0.0000001,100 0)"),
  };
  Built b = { 0 };
  const NgamStreetProblem *p;

  build (&b, s, 4, NULL, 0, -1);
  g_assert_cmpuint (b.report->n_streets, ==, 4);
  g_assert_cmpuint (b.report->skipped->len, ==, 1);
  p = &g_array_index (b.report->skipped, NgamStreetProblem, 0);
  g_assert_cmpint (p->street_fid, ==, 2);
  g_assert_cmpstr (p->reason, ==, "zero length");
  g_assert_cmpuint (b.report->n_repeated_points, ==, 3);
  g_assert_cmpuint (b.graph->n_nodes, ==, 3);   /* the bent copy touches at (50, 0) */
  g_assert_cmpuint (b.report->n_duplicate_edges, >=, 2);
  g_assert_cmpuint (b.graph->n_edges, ==, 2);
  built_clear (&b);
}

/* A ring street meeting the network at one point becomes two edges. */
static void
test_loop (void)
{
  NetTestStreet s[] = { S ("LINESTRING (0 0,10 0,10 10,0 10,0 0)"), S ("LINESTRING (-20 0,0 0)") };
  Built b = { 0 };

  build (&b, s, 2, NULL, 0, -1);
  g_assert_cmpuint (b.graph->n_nodes, ==, 3);
  g_assert_cmpuint (b.graph->n_edges, ==, 3);
  node_at (b.graph, 10, 10);
  g_assert_cmpfloat_with_epsilon (ngam_graph_total_length (b.graph), 60, 1e-9);
  for (guint e = 0; e < b.graph->n_edges; e++)
    g_assert_cmpuint (b.graph->edge_uv[2 * e], !=, b.graph->edge_uv[2 * e + 1]);
  built_clear (&b);
}

static void
test_components (void)
{
  NetTestStreet s[] = {
    S ("LINESTRING (0 0,100 0)"), S ("LINESTRING (50 -50,50 50)"),
    S ("LINESTRING (500 0,600 0)"),
  };
  Built b = { 0 };

  build (&b, s, 3, NULL, 0, -1);
  g_assert_cmpuint (b.graph->n_components, ==, 2);
  g_assert_cmpuint (b.graph->component_size[0], ==, 5);
  g_assert_cmpuint (b.graph->component_size[1], ==, 2);
  g_assert_cmpuint (b.graph->component[node_at (b.graph, 0, 0)], ==, 0);
  g_assert_cmpuint (b.graph->component[node_at (b.graph, 600, 0)], ==, 1);
  built_clear (&b);
}

static void
test_zones (void)
{
  NetTestStreet s[] = { S ("LINESTRING (0 0,100 0)"), S ("LINESTRING (50 -50,50 50)") };
  NetTestZone z[] = {
    { "MULTIPOLYGON (((5 -5,15 -5,15 5,5 5,5 -5)))", "flood" },
    { "MULTIPOLYGON (((45 20,55 20,55 30,45 30,45 20)))", "heritage" },
    { "MULTIPOLYGON (((300 300,310 300,310 310,300 300)))", "no_dig" },
    { "MULTIPOLYGON (((70 -5,80 -5,80 5,70 5,70 -5)))", "water" },
  };
  Built b = { 0 };
  guint flood = 0, heritage = 0, nodig = 0, water = 0;

  build (&b, s, 2, z, 4, -1);
  g_assert_cmpuint (b.report->n_zones, ==, 4);
  for (guint e = 0; e < b.graph->n_edges; e++)
    {
      const NgamEdgeAttr *a = &b.graph->edge[e];
      guint u = b.graph->edge_uv[2 * e], v = b.graph->edge_uv[2 * e + 1];
      double mx = (b.graph->node_xy[2 * u] + b.graph->node_xy[2 * v]) / 2;
      double my = (b.graph->node_xy[2 * u + 1] + b.graph->node_xy[2 * v + 1]) / 2;

      flood += (a->zones & NGAM_ZONE_FLOOD) != 0;
      heritage += (a->zones & NGAM_ZONE_HERITAGE) != 0;
      nodig += (a->zones & NGAM_ZONE_NO_DIG) != 0;
      water += (a->zones & NGAM_ZONE_WATER) != 0;
      if (a->zones & NGAM_ZONE_WATER)
        g_assert_true (mx == 75 && my == 0);
      if (a->zones & NGAM_ZONE_FLOOD)
        g_assert_true (mx == 25 && my == 0);
      if (a->zones & NGAM_ZONE_HERITAGE)
        g_assert_true (mx == 50 && my == 25);
    }
  g_assert_cmpuint (flood, ==, 1);
  g_assert_cmpuint (heritage, ==, 1);
  g_assert_cmpuint (nodig, ==, 0);
  g_assert_cmpuint (water, ==, 1);
  built_clear (&b);
}

/* Random segments noded here and by GEOS give the same pieces. */
static void
test_against_geos (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  GEOSContextHandle_t h = ngam_geos_context ();

  for (int round = 0; round < 5; round++)
    {
      NetTestStreet s[80];
      g_autoptr(GPtrArray) wkts = g_ptr_array_new_with_free_func (g_free);
      GEOSGeometry **lines = g_new (GEOSGeometry *, G_N_ELEMENTS (s));
      GEOSGeometry *coll, *noded;
      g_autoptr(GError) error = NULL;
      Built b = { 0 };
      double geos_len = 0;
      int n_geos;

      for (guint i = 0; i < G_N_ELEMENTS (s); i++)
        {
          char *w = g_strdup_printf ("LINESTRING (%.3f %.3f,%.3f %.3f,%.3f %.3f)",
                                     g_rand_double_range (rand, 0, 1000), g_rand_double_range (rand, 0, 1000),
                                     g_rand_double_range (rand, 0, 1000), g_rand_double_range (rand, 0, 1000),
                                     g_rand_double_range (rand, 0, 1000), g_rand_double_range (rand, 0, 1000));

          g_ptr_array_add (wkts, w);
          s[i].wkt = w;
          s[i].bridge = s[i].tunnel = s[i].layer = -1;
          lines[i] = ngam_geos_from_wkt (w, &error);
          g_assert_no_error (error);
        }
      build (&b, s, G_N_ELEMENTS (s), NULL, 0, 0);
      coll = GEOSGeom_createCollection_r (h, GEOS_MULTILINESTRING, lines, G_N_ELEMENTS (s));
      noded = GEOSNode_r (h, coll);
      g_assert_nonnull (noded);
      n_geos = GEOSGetNumGeometries_r (h, noded);
      for (int i = 0; i < n_geos; i++)
        {
          double l;

          GEOSLength_r (h, GEOSGetGeometryN_r (h, noded, i), &l);
          geos_len += l;
        }
      if ((int) b.graph->n_edges != n_geos)
        g_error ("round %d: %u edges here, %d pieces from GEOSNode", round, b.graph->n_edges, n_geos);
      g_assert_cmpfloat_with_epsilon (ngam_graph_total_length (b.graph), geos_len, 1e-6);
      GEOSGeom_destroy_r (h, noded);
      GEOSGeom_destroy_r (h, coll);
      g_free (lines);
      built_clear (&b);
    }
}

static void
test_locate (void)
{
  NetTestStreet s[] = { S ("LINESTRING (0 0,100 0)"), S ("LINESTRING (50 -50,50 50)") };
  Built b = { 0 };
  NgamGraphLocation loc;

  build (&b, s, 2, NULL, 0, -1);
  g_assert_true (ngam_graph_locate (b.graph, 25, 3, 10, &loc));
  g_assert_cmpfloat_with_epsilon (loc.x, 25, 1e-9);
  g_assert_cmpfloat_with_epsilon (loc.y, 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (loc.distance, 3, 1e-9);
  g_assert_cmpfloat_with_epsilon (loc.t, 0.5, 1e-9);   /* middle of (0 0, 50 0) */
  g_assert_false (ngam_graph_locate (b.graph, 25, 30, 10, &loc));
  g_assert_true (ngam_graph_locate (b.graph, 5000, 5000, INFINITY, &loc));
  g_assert_cmpuint (ngam_graph_nearest_node (b.graph, 49, 49), ==, node_at (b.graph, 50, 50));
  built_clear (&b);
}

static void
test_memory_limit (void)
{
  NetTestStreet s[] = { S ("LINESTRING (0 0,100 0)"), S ("LINESTRING (50 -50,50 50)") };
  g_autoptr(GError) error = NULL;
  g_autoptr(NetTestProject) p = net_test_project_new (s, 2, NULL, 0);
  NgamGraph *g;

  ngam_net_set_memory_limit (2000);
  g = ngam_graph_build (p->store, NULL, NULL, NULL, NULL, NULL, &error);
  ngam_net_set_memory_limit (0);
  g_assert_null (g);
  g_assert_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "t.ngam"));
  g_assert_nonnull (strstr (error->message, "MB"));
}

static void
test_cancel (void)
{
  NetTestStreet s[] = { S ("LINESTRING (0 0,100 0)") };
  g_autoptr(GError) error = NULL;
  g_autoptr(NetTestProject) p = net_test_project_new (s, 1, NULL, 0);
  g_autoptr(GCancellable) c = g_cancellable_new ();

  g_cancellable_cancel (c);
  g_assert_null (ngam_graph_build (p->store, NULL, NULL, NULL, NULL, c, &error));
  g_assert_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_CANCELLED);
}

static void
test_bad_tolerance (void)
{
  NetTestStreet s[] = { S ("LINESTRING (0 0,100 0)") };
  g_autoptr(GError) error = NULL;
  g_autoptr(NetTestProject) p = net_test_project_new (s, 1, NULL, 0);

  g_assert_true (ngam_store_begin (p->store, &error));
  g_assert_true (ngam_store_set_meta (p->store, "snap_tolerance_m", "half a metre", &error));
  g_assert_true (ngam_store_commit (p->store, &error));
  g_assert_null (ngam_graph_build (p->store, NULL, NULL, NULL, NULL, NULL, &error));
  /* the store's one rule for settings (ngam-settings.h) */
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "snap_tolerance_m is “half a metre”, not a distance in metres"));
}

int
main (int argc, char **argv)
{
  net_test_init (&argc, &argv);
  g_test_add_func ("/net/graph/cross", test_cross);
  g_test_add_func ("/net/graph/bridge", test_bridge);
  g_test_add_func ("/net/graph/layers", test_layers);
  g_test_add_func ("/net/graph/t-junction", test_t_junction);
  g_test_add_func ("/net/graph/snap-and-near-miss", test_snap_and_near_miss);
  g_test_add_func ("/net/graph/near-miss-far", test_near_miss_far);
  g_test_add_func ("/net/graph/degenerate", test_degenerate);
  g_test_add_func ("/net/graph/loop", test_loop);
  g_test_add_func ("/net/graph/components", test_components);
  g_test_add_func ("/net/graph/zones", test_zones);
  g_test_add_func ("/net/graph/against-geos", test_against_geos);
  g_test_add_func ("/net/graph/locate", test_locate);
  g_test_add_func ("/net/graph/memory-limit", test_memory_limit);
  g_test_add_func ("/net/graph/cancel", test_cancel);
  g_test_add_func ("/net/graph/bad-tolerance", test_bad_tolerance);
  return g_test_run ();
}
