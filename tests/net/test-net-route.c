/* test-net-route.c — shortest paths against brute force (Floyd–Warshall)
 * on hundreds of random graphs; paths, located ends, cost models, files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdal.h>
#include <glib/gstdio.h>
#include <math.h>
#include <ogr_api.h>
#include <string.h>

#include "net-test-util.h"
#include "ngam-route-export.h"
#include "ngam-test-util.h"

/* A path must walk its edges end to end and cost their sum. */
static void
check_path (const NgamGraph *g, const double *cost, const NgamPath *p, guint from, guint to)
{
  double sum = 0;

  g_assert_cmpuint (p->nodes->len, ==, p->edges->len + 1);
  g_assert_cmpuint (g_array_index (p->nodes, guint, 0), ==, from);
  g_assert_cmpuint (g_array_index (p->nodes, guint, p->nodes->len - 1), ==, to);
  for (guint i = 0; i < p->edges->len; i++)
    {
      guint e = g_array_index (p->edges, guint, i);
      guint a = g_array_index (p->nodes, guint, i), b = g_array_index (p->nodes, guint, i + 1);

      g_assert_true ((g->edge_uv[2 * e] == a && g->edge_uv[2 * e + 1] == b) ||
                     (g->edge_uv[2 * e] == b && g->edge_uv[2 * e + 1] == a));
      sum += cost[e];
    }
  g_assert_cmpfloat (sum, ==, p->cost);
}

static void
test_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint cases = 0, pairs = 0;

  for (int round = 0; round < 300; round++)
    {
      guint n = g_rand_int_range (rand, 2, 60), m = g_rand_int_range (rand, n / 2, 4 * n);
      gboolean xy = round % 2 == 0;
      g_autoptr(NgamGraph) g = net_test_random_graph (rand, n, m, 20, xy);
      g_autofree double *cost = ngam_graph_edge_costs (g, ngam_edge_cost_length, NULL, NULL);
      g_autofree double *d = net_test_floyd (g, cost);
      g_autoptr(NgamRouter) r = ngam_router_new (g, cost, NULL);
      g_autoptr(NgamRouter) plain = ngam_router_new (g, cost, NULL);
      g_autofree guint *all = g_new (guint, n);
      g_autofree double *row = g_new (double, n);
      guint ns = MIN (n, 5);
      g_autofree double *matrix = g_new (double, ns * n);
      g_autoptr(GError) error = NULL;

      ngam_router_set_goal_directed (plain, FALSE);
      for (guint i = 0; i < n; i++)
        all[i] = i;
      for (guint k = 0; k < 30; k++)
        {
          guint s = g_rand_int_range (rand, 0, n), t = g_rand_int_range (rand, 0, n);
          double want = d[s * n + t];
          g_autoptr(NgamPath) p = NULL;

          if (ngam_router_cost (r, s, t) != want || ngam_router_cost (plain, s, t) != want)
            g_error ("round %d (n %u, m %u): cost %u→%u is %g (A*) / %g (Dijkstra), brute force %g",
                     round, n, m, s, t, ngam_router_cost (r, s, t), ngam_router_cost (plain, s, t), want);
          p = ngam_router_path (r, s, t, &error);
          if (isinf (want))
            {
              g_assert_null (p);
              g_assert_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_DISCONNECTED);
              g_clear_error (&error);
            }
          else
            {
              g_assert_no_error (error);
              g_assert_cmpfloat (p->cost, ==, want);
              check_path (g, cost, p, s, t);
            }
          pairs++;
        }
      for (guint s = 0; s < ns; s++)
        {
          ngam_router_one_to_many (r, s, all, n, row);
          for (guint t = 0; t < n; t++)
            g_assert_cmpfloat (row[t], ==, d[s * n + t]);
        }
      g_assert_true (ngam_router_many_to_many (r, all, ns, all, n, matrix, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      for (guint s = 0; s < ns; s++)
        for (guint t = 0; t < n; t++)
          g_assert_cmpfloat (matrix[s * n + t], ==, d[s * n + t]);
      cases++;
    }
  g_test_message ("%u random graphs, %u one-to-one pairs checked", cases, pairs);
}

/* Points inside edges: the brute force tries both ends of both edges. */
static void
test_between (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);

  for (int round = 0; round < 100; round++)
    {
      guint n = g_rand_int_range (rand, 3, 40), m = g_rand_int_range (rand, n, 3 * n);
      g_autoptr(NgamGraph) g = net_test_random_graph (rand, n, m, 10, TRUE);
      g_autofree double *cost = ngam_graph_edge_costs (g, ngam_edge_cost_length, NULL, NULL);
      g_autofree double *d = net_test_floyd (g, cost);
      g_autoptr(NgamRouter) r = ngam_router_new (g, cost, NULL);

      for (int k = 0; k < 20; k++)
        {
          NgamGraphLocation a = { 0 }, b = { 0 };
          double want = INFINITY;
          g_autoptr(NgamPath) p = NULL;
          g_autoptr(GError) error = NULL;

          a.edge = g_rand_int_range (rand, 0, m);
          b.edge = k % 4 == 0 ? a.edge : (guint) g_rand_int_range (rand, 0, m);
          a.t = g_rand_double (rand);
          b.t = g_rand_double (rand);
          a.x = a.y = b.x = b.y = 0;
          for (int ea = 0; ea < 2; ea++)
            for (int eb = 0; eb < 2; eb++)
              {
                guint u = g->edge_uv[2 * a.edge + ea], v = g->edge_uv[2 * b.edge + eb];
                double c = (ea ? 1 - a.t : a.t) * cost[a.edge] + d[u * n + v] + (eb ? 1 - b.t : b.t) * cost[b.edge];

                want = MIN (want, c);
              }
          if (a.edge == b.edge)
            want = MIN (want, fabs (a.t - b.t) * cost[a.edge]);
          p = ngam_router_path_between (r, &a, &b, &error);
          if (isinf (want))
            {
              g_assert_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_DISCONNECTED);
              continue;
            }
          g_assert_no_error (error);
          if (fabs (p->cost - want) > 1e-9 * (1 + want))
            g_error ("round %d: %g between edges %u@%g and %u@%g, brute force %g",
                     round, p->cost, a.edge, a.t, b.edge, b.t, want);
        }
    }
}

/* Costs come from a function: forbidding edges changes the answers as the
 * brute force over the same costs says. */
static double
cost_forbid_even (const NgamGraph *g, guint e, gpointer data)
{
  return e % 2 == 0 ? INFINITY : g->edge[e].length * GPOINTER_TO_UINT (data);
}

/* Free edges (existing ducts): the bucket queue needs a positive cheapest
 * edge, so this takes the heap. */
static double
cost_some_free (const NgamGraph *g, guint e, gpointer data)
{
  return e % 3 == 0 ? 0 : g->edge[e].length;
}

static double
cost_negative (const NgamGraph *g, guint e, gpointer data)
{
  return e == 3 ? -1 : 1;
}

static void
test_cost_function (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);

  for (int round = 0; round < 50; round++)
    {
      guint n = g_rand_int_range (rand, 5, 40);
      g_autoptr(NgamGraph) g = net_test_random_graph (rand, n, 4 * n, 10, round % 2);
      g_autofree double *cost = ngam_graph_edge_costs (g, cost_forbid_even, GUINT_TO_POINTER (3), NULL);
      g_autofree double *d = net_test_floyd (g, cost);
      g_autoptr(NgamRouter) r = ngam_router_new (g, cost, NULL);

      for (guint s = 0; s < n; s++)
        for (guint t = 0; t < n; t++)
          g_assert_cmpfloat (ngam_router_cost (r, s, t), ==, d[s * n + t]);
      {
        g_autofree double *free_cost = ngam_graph_edge_costs (g, cost_some_free, NULL, NULL);
        g_autofree double *fd = net_test_floyd (g, free_cost);
        g_autoptr(NgamRouter) fr = ngam_router_new (g, free_cost, NULL);
        g_autofree guint *all = g_new (guint, n);
        g_autofree double *row = g_new (double, n);

        for (guint i = 0; i < n; i++)
          all[i] = i;
        for (guint s = 0; s < n; s++)
          {
            ngam_router_one_to_many (fr, s, all, n, row);
            for (guint t = 0; t < n; t++)
              {
                g_assert_cmpfloat (row[t], ==, fd[s * n + t]);
                g_assert_cmpfloat (ngam_router_cost (fr, s, t), ==, fd[s * n + t]);
              }
          }
      }
    }
  {
    g_autoptr(NgamGraph) g = net_test_random_graph (rand, 10, 10, 5, FALSE);
    g_autoptr(GError) error = NULL;

    g_assert_null (ngam_graph_edge_costs (g, cost_negative, NULL, &error));
    g_assert_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "edge 3"));
  }
}

/* On a real little street graph: the path's line, its length, the file. */
static void
test_street_path_and_file (void)
{
  NetTestStreet s[] = {
    { "LINESTRING (0 0,100 0)", -1, -1, -1 },
    { "LINESTRING (50 -50,50 0,50 50)", -1, -1, -1 },
    { "LINESTRING (100 0,100 100,0 100)", -1, -1, -1 },
    { "LINESTRING (500 0,600 0)", -1, -1, -1 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(NetTestProject) project = net_test_project_new (s, G_N_ELEMENTS (s), NULL, 0);
  NgamStore *store = project->store;
  g_autofree char *gpkg = g_build_filename (project->dir, "route.gpkg", NULL);
  g_autofree char *bad = g_build_filename (project->dir, "no", "such", "route.gpkg", NULL);
  g_autoptr(NgamGraph) g = ngam_graph_build (store, NULL, NULL, NULL, NULL, NULL, &error);
  g_autofree double *cost = ngam_graph_edge_costs (g, ngam_edge_cost_length, NULL, NULL);
  g_autoptr(NgamRouter) r = ngam_router_new (g, cost, NULL);
  g_autoptr(NgamPath) p = NULL;
  g_autoptr(NgamShape) shape = NULL;
  NgamGraphLocation a, b, c;
  GDALDatasetH ds;

  g_assert_no_error (error);
  /* from (10, 2) near the first street to (60, 100) on the third */
  g_assert_true (ngam_graph_locate (g, 10, 2, 50, &a));
  g_assert_true (ngam_graph_locate (g, 60, 101, 50, &b));
  p = ngam_router_path_between (r, &a, &b, &error);
  g_assert_no_error (error);
  /* 90 east, 100 north, 40 west */
  g_assert_cmpfloat_with_epsilon (p->cost, 230, 1e-9);
  g_assert_cmpfloat_with_epsilon (p->length, 230, 1e-9);
  shape = ngam_path_to_shape (g, p);
  g_assert_cmpfloat_with_epsilon (ngam_shape_length (shape), 230, 1e-9);
  g_assert_cmpfloat_with_epsilon (shape->xy[0], 10, 1e-9);
  g_assert_cmpfloat_with_epsilon (shape->xy[2 * shape->n_points - 2], 60, 1e-9);
  g_assert_cmpfloat_with_epsilon (shape->xy[2 * shape->n_points - 1], 100, 1e-9);

  g_assert_true (ngam_route_export (g, p, cost, ngam_store_get_crs (store), gpkg, FALSE, &error));
  g_assert_no_error (error);
  ds = GDALOpenEx (gpkg, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  g_assert_nonnull (ds);
  {
    OGRLayerH route = GDALDatasetGetLayerByName (ds, "route");
    OGRLayerH edges = GDALDatasetGetLayerByName (ds, "route_edges");
    OGRFeatureH f;

    g_assert_nonnull (route);
    g_assert_nonnull (edges);
    g_assert_cmpint (OGR_L_GetFeatureCount (route, TRUE), ==, 1);
    g_assert_cmpint (OGR_L_GetFeatureCount (edges, TRUE), ==, p->edges->len);
    f = OGR_L_GetNextFeature (route);
    g_assert_cmpfloat_with_epsilon (OGR_F_GetFieldAsDouble (f, OGR_F_GetFieldIndex (f, "cost")), 230, 1e-9);
    g_assert_cmpfloat_with_epsilon (OGR_G_Length (OGR_F_GetGeometryRef (f)), 230, 1e-9);
    OGR_F_Destroy (f);
  }
  GDALClose (ds);

  /* an existing file is kept unless replacing it is asked for; a project
   * never is replaced, asked or not, whatever its name */
  {
    g_autofree char *before = ngam_test_sha256_file (gpkg), *after = NULL;
    g_autofree char *copy = g_build_filename (project->dir, "copy.gpkg", NULL);
    g_autofree char *copy_before = NULL, *copy_after = NULL;

    g_assert_false (ngam_route_export (g, p, cost, ngam_store_get_crs (store), gpkg, FALSE, &error));
    g_assert_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_EXISTS);
    g_assert_nonnull (strstr (error->message, "already exists"));
    g_clear_error (&error);
    after = ngam_test_sha256_file (gpkg);
    g_assert_cmpstr (after, ==, before);
    g_assert_true (ngam_route_export (g, p, cost, ngam_store_get_crs (store), gpkg, TRUE, &error));
    g_assert_no_error (error);

    ngam_store_close (ngam_store_create (copy, "EPSG:32648", &error));
    g_assert_no_error (error);
    copy_before = ngam_test_sha256_file (copy);
    g_assert_false (ngam_route_export (g, p, cost, ngam_store_get_crs (store), copy, TRUE, &error));
    g_assert_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_EXISTS);
    g_assert_nonnull (strstr (error->message, "copy.gpkg is a Ngầm project"));
    g_clear_error (&error);
    copy_after = ngam_test_sha256_file (copy);
    g_assert_cmpstr (copy_after, ==, copy_before);
    g_assert_false (ngam_route_export (g, p, cost, ngam_store_get_crs (store), project->path, TRUE, &error));
    g_assert_nonnull (strstr (error->message, "is a Ngầm project"));
    g_clear_error (&error);
  }

  /* a folder that does not exist: an error, and no file */
  g_assert_false (ngam_route_export (g, p, cost, ngam_store_get_crs (store), bad, FALSE, &error));
  g_assert_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, "route.gpkg"));
  /* GDAL's own reason, caught by core/base's capture */
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "cannot create the file: "));
  g_assert_null (strstr (error->message, "GDAL gave no reason"));
  g_clear_error (&error);
  g_assert_false (ngam_route_export (g, p, cost, NULL, "/tmp/route.txt", FALSE, &error));
  g_assert_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_FORMAT);
  g_clear_error (&error);

  /* to the island: not connected, and said so */
  g_assert_true (ngam_graph_locate (g, 550, 1, 50, &c));
  g_clear_pointer (&p, ngam_path_free);
  p = ngam_router_path_between (r, &a, &c, &error);
  g_assert_null (p);
  g_assert_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_DISCONNECTED);
  g_assert_nonnull (strstr (error->message, "not connected"));
}

/* The contraction hierarchy's many-to-many against Floyd–Warshall, exactly
 * (whole weights, so every order of adding them gives the same sum): sparse
 * and dense random graphs (dense ones leave a core), loops and parallel
 * edges, free edges, edges forbidden by a zone, several components. */
static void
test_hierarchy_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint cells = 0;

  for (int round = 0; round < 160; round++)
    {
      guint n = g_rand_int_range (rand, 2, round % 4 == 3 ? 400 : 120);
      /* every fourth dense: mean degree 12 (contraction runs into a core)
       * or 24 (all core) */
      guint m = round % 4 == 3 ? (round % 8 == 3 ? 6 : 12) * n : (guint) g_rand_int_range (rand, n / 2, 4 * n);
      g_autoptr(NgamGraph) g = net_test_random_graph (rand, n, m, 20, round % 2 == 0);
      g_autofree double *cost = NULL, *d = NULL;
      g_autoptr(NgamRouter) r = NULL;
      g_autoptr(GError) error = NULL;
      guint ns = MIN (n, 30), nt = MIN (n, 40);
      g_autofree guint *src = g_new (guint, ns), *dst = g_new (guint, nt);
      g_autofree double *matrix = g_new (double, ns * nt);

      /* a zone on some edges, which the cost model forbids */
      for (guint e = 0; round % 3 == 0 && e < g->n_edges; e++)
        if (g_rand_int_range (rand, 0, 5) == 0)
          g->edge[e].zones = NGAM_ZONE_HERITAGE;
      cost = ngam_graph_edge_costs (g, ngam_edge_cost_avoiding, GUINT_TO_POINTER (NGAM_ZONE_HERITAGE), &error);
      g_assert_no_error (error);
      for (guint e = 0; round % 5 == 1 && e < g->n_edges; e++)
        if (g_rand_int_range (rand, 0, 6) == 0)
          cost[e] = 0;
      d = net_test_floyd (g, cost);
      r = ngam_router_new (g, cost, &error);
      g_assert_true (ngam_router_prepare_hierarchy (r, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < ns; i++)
        src[i] = g_rand_int_range (rand, 0, n);
      for (guint j = 0; j < nt; j++)
        dst[j] = g_rand_int_range (rand, 0, n);
      g_assert_true (ngam_router_many_to_many (r, src, ns, dst, nt, matrix, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < ns; i++)
        for (guint j = 0; j < nt; j++)
          if (matrix[i * nt + j] != d[src[i] * n + dst[j]])
            g_error ("round %d (n %u, m %u): hierarchy gives %.17g for %u→%u, Floyd–Warshall %.17g", round, n, m,
                     matrix[i * nt + j], src[i], dst[j], d[src[i] * n + dst[j]]);
      cells += ns * nt;
    }
  g_test_message ("%u matrix cells checked", cells);
}

/* A grid with real-valued costs and holes, large enough that contraction
 * stops at a core, and the hierarchy prepared by many-to-many itself:
 * against plain Dijkstra, to rounding (the same edge costs added in
 * another order). */
static void
test_hierarchy_grid (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  const guint side = 80, n = side * side;
  g_autoptr(GArray) uv = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) w = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(NgamGraph) g = NULL;
  g_autoptr(NgamRouter) r = NULL, plain = NULL;
  g_autoptr(GError) error = NULL;
  const guint ns = 300, nt = 260;
  g_autofree guint *src = g_new (guint, ns), *dst = g_new (guint, nt);
  g_autofree double *matrix = g_new (double, ns * nt), *row = g_new (double, nt);
  g_autofree double *cost = NULL;
  double worst = 0;
  guint unreachable = 0;

  for (guint y = 0; y < side; y++)
    for (guint x = 0; x < side; x++)
      for (int k = 0; k < 2; k++)
        {
          guint a = y * side + x, b = k == 0 ? a + 1 : a + side;
          double c = g_rand_double_range (rand, 1, 10);

          if ((k == 0 && x + 1 == side) || (k == 1 && y + 1 == side))
            continue;
          g_array_append_val (uv, a);
          g_array_append_val (uv, b);
          g_array_append_val (w, c);
        }
  g = ngam_graph_new_from_edges (n, w->len, (guint *) uv->data, (double *) w->data, NULL, &error);
  g_assert_no_error (error);
  cost = g_memdup2 (w->data, sizeof (double) * w->len);
  for (guint e = 0; e < w->len; e++)
    {
      guint a = g_array_index (uv, guint, 2 * e), b = g_array_index (uv, guint, 2 * e + 1);
      gboolean in_a = a % side < 12 && a / side < 12, in_b = b % side < 12 && b / side < 12;

      /* a few forbidden at random (dense enough to leave a core), and a
       * 12 × 12 corner cut off */
      if (g_rand_int_range (rand, 0, 100) < 3 || in_a != in_b)
        cost[e] = INFINITY;
    }
  r = ngam_router_new (g, cost, &error);
  plain = ngam_router_new (g, cost, &error);
  for (guint i = 0; i < ns; i++)
    src[i] = g_rand_int_range (rand, 0, n);
  for (guint j = 0; j < nt; j++)
    dst[j] = g_rand_int_range (rand, 0, n);
  /* 300 × 260: enough for many-to-many to prepare the hierarchy */
  g_assert_true (ngam_router_many_to_many (r, src, ns, dst, nt, matrix, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < ns; i++)
    {
      ngam_router_one_to_many (plain, src[i], dst, nt, row);
      for (guint j = 0; j < nt; j++)
        {
          double a = matrix[i * nt + j], b = row[j];

          if (isinf (b))
            {
              g_assert_true (isinf (a));
              unreachable++;
              continue;
            }
          worst = MAX (worst, fabs (a - b) / b);
        }
    }
  g_test_message ("%u cells, %u unreachable, worst relative difference %.3g", ns * nt, unreachable, worst);
  g_assert_cmpuint (unreachable, >, 0);
  g_assert_cmpfloat (worst, <=, 1e-12);
  /* the hierarchy is kept: a second matrix, transposed, agrees */
  {
    g_autofree double *back = g_new (double, nt * ns);

    g_assert_true (ngam_router_many_to_many (r, dst, nt, src, ns, back, NULL, NULL, NULL, &error));
    for (guint i = 0; i < ns; i++)
      for (guint j = 0; j < nt; j++)
        g_assert_true (back[j * ns + i] == matrix[i * nt + j] ||
                       fabs (back[j * ns + i] - matrix[i * nt + j]) <= 1e-12 * matrix[i * nt + j]);
  }
}

/* A cancelled preparation says so and leaves the router working. */
static void
test_hierarchy_cancel (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autoptr(NgamGraph) g = net_test_random_graph (rand, 3000, 6000, 20, FALSE);
  g_autofree double *cost = ngam_graph_edge_costs (g, ngam_edge_cost_length, NULL, NULL);
  g_autofree double *d = NULL;
  g_autoptr(NgamRouter) r = ngam_router_new (g, cost, NULL);
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint src[3] = { 0, 1, 2 }, dst[2] = { 5, 6 };
  double m[6], row[2];

  g_cancellable_cancel (cancel);
  g_assert_false (ngam_router_prepare_hierarchy (r, NULL, NULL, cancel, &error));
  g_assert_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (ngam_router_many_to_many (r, src, 3, dst, 2, m, NULL, NULL, NULL, &error));
  for (guint i = 0; i < 3; i++)
    {
      ngam_router_one_to_many (r, src[i], dst, 2, row);
      g_assert_cmpfloat (m[2 * i], ==, row[0]);
      g_assert_cmpfloat (m[2 * i + 1], ==, row[1]);
    }
}

int
main (int argc, char **argv)
{
  net_test_init (&argc, &argv);
  g_test_add_func ("/net/route/hierarchy-vs-floyd", test_hierarchy_random);
  g_test_add_func ("/net/route/hierarchy-grid-vs-dijkstra", test_hierarchy_grid);
  g_test_add_func ("/net/route/hierarchy-cancel", test_hierarchy_cancel);
  g_test_add_func ("/net/route/random-vs-floyd", test_random);
  g_test_add_func ("/net/route/between-vs-brute-force", test_between);
  g_test_add_func ("/net/route/cost-function", test_cost_function);
  g_test_add_func ("/net/route/street-path-and-file", test_street_path_and_file);
  return g_test_run ();
}
