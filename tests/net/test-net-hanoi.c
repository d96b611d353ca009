/* test-net-hanoi.c — the real street graph of central Hà Nội: noding
 * figures, and every kind of shortest-path query against an independent
 * label-correcting search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "net-test-util.h"
#include "ngam-test-util.h"

/* The brute force: a FIFO label-correcting search (Bellman–Ford with a
 * queue), which shares no code and no idea with Dijkstra's heap. */
static void
reference (const NgamGraph *g, const double *cost, guint s, double *d)
{
  g_autofree guint *queue = g_new (guint, g->n_nodes);
  g_autofree gboolean *in = g_new0 (gboolean, g->n_nodes);
  guint head = 0, len = 0;

  for (guint v = 0; v < g->n_nodes; v++)
    d[v] = INFINITY;
  d[s] = 0;
  queue[0] = s;
  in[s] = TRUE;
  len = 1;
  while (len > 0)
    {
      guint v = queue[head];

      head = (head + 1) % g->n_nodes;
      len--;
      in[v] = FALSE;
      for (guint k = g->adj_start[v]; k < g->adj_start[v + 1]; k++)
        {
          guint w = g->adj_node[k];
          double nd = d[v] + cost[g->adj_edge[k]];

          if (nd < d[w])
            {
              d[w] = nd;
              if (!in[w])
                {
                  queue[(head + len) % g->n_nodes] = w;
                  len++;
                  in[w] = TRUE;
                }
            }
        }
    }
}

static gboolean
same_cost (double a, double b)
{
  if (isinf (a) || isinf (b))
    return a == b;
  return fabs (a - b) <= 1e-9 * (1 + fabs (b));
}

static void
test_hanoi (void)
{
  g_autoptr(NetTestProject) project = net_test_hanoi_project_new ();
  NgamStore *store = project->store;
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamGraphReport) report = NULL;
  g_autoptr(NgamGraph) g = NULL;
  g_autofree double *cost = NULL;
  g_autoptr(NgamRouter) r = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (2024);
  const guint n_sources = 12, n_targets = 300;
  g_autofree guint *sources = g_new (guint, n_sources);
  g_autofree guint *targets = g_new (guint, n_targets);
  g_autofree double *matrix = g_new (double, n_sources * n_targets);
  g_autofree double *d = NULL;
  g_autofree double *row = g_new (double, n_targets);
  guint checked = 0, reachable = 0, bridges = 0;

  g_assert_no_error (error);
  g = ngam_graph_build (store, NULL, &report, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("Hà Nội: %u streets → %u nodes, %u edges, %.1f km, %u components (largest %u nodes), "
                  "%u crossings, %u snapped, %u crossings not joined (levels), %u near-misses, %.3f s",
                  report->n_streets, g->n_nodes, g->n_edges, ngam_graph_total_length (g) / 1000,
                  g->n_components, g->component_size[0], report->n_crossings, report->n_snapped,
                  report->n_level_crossings, report->near_misses->len, report->seconds);
  /* what the data is known to hold (ogrinfo): 5,074 lines, 467 km, 46
   * bridges that pass over other streets */
  g_assert_cmpuint (report->n_streets, ==, 5074);
  g_assert_cmpfloat (ngam_graph_total_length (g), >, 460e3);
  g_assert_cmpfloat (ngam_graph_total_length (g), <, 475e3);
  g_assert_cmpuint (report->n_level_crossings, >, 0);
  for (guint e = 0; e < g->n_edges; e++)
    bridges += (g->edge[e].flags & NGAM_EDGE_BRIDGE) != 0;
  g_assert_cmpuint (bridges, >, 0);
  g_assert_cmpuint (g->n_nodes, >, 5000);
  g_assert_cmpuint (g->component_size[0], >, g->n_nodes * 8 / 10);
  /* every edge has a positive length and its ends are distinct nodes */
  for (guint e = 0; e < g->n_edges; e++)
    {
      g_assert_cmpfloat (g->edge[e].length, >, 0);
      g_assert_cmpuint (g->edge_uv[2 * e], !=, g->edge_uv[2 * e + 1]);
    }

  cost = ngam_graph_edge_costs (g, ngam_edge_cost_length, NULL, &error);
  r = ngam_router_new (g, cost, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n_sources; i++)
    sources[i] = g_rand_int_range (rand, 0, g->n_nodes);
  for (guint i = 0; i < n_targets; i++)
    targets[i] = g_rand_int_range (rand, 0, g->n_nodes);
  g_assert_true (ngam_router_many_to_many (r, sources, n_sources, targets, n_targets, matrix,
                                           NULL, NULL, NULL, &error));
  d = g_new (double, g->n_nodes);
  for (guint i = 0; i < n_sources; i++)
    {
      reference (g, cost, sources[i], d);
      ngam_router_one_to_many (r, sources[i], targets, n_targets, row);
      for (guint j = 0; j < n_targets; j++)
        {
          double want = d[targets[j]];

          if (!same_cost (matrix[i * n_targets + j], want) || !same_cost (row[j], want))
            g_error ("%u → %u: many-to-many %g, one-to-many %g, reference %g", sources[i], targets[j],
                     matrix[i * n_targets + j], row[j], want);
          /* one-to-one, goal-directed, on a share of the pairs */
          if (j % 10 == 0)
            {
              double c = ngam_router_cost (r, sources[i], targets[j]);

              if (!same_cost (c, want))
                g_error ("%u → %u: bidirectional A* %g, reference %g", sources[i], targets[j], c, want);
              if (isfinite (want))
                {
                  g_autoptr(NgamPath) p = ngam_router_path (r, sources[i], targets[j], &error);
                  g_autoptr(NgamShape) shape = NULL;

                  g_assert_no_error (error);
                  shape = ngam_path_to_shape (g, p);
                  g_assert_true (same_cost (p->length, want));
                  g_assert_cmpfloat (fabs (ngam_shape_length (shape) - want), <, 1e-6 * (1 + want));
                }
            }
          reachable += isfinite (want);
          checked++;
        }
    }
  g_test_message ("%u pairs checked against the reference (%u reachable)", checked, reachable);
  g_assert_cmpuint (reachable, >, checked / 2);
}

int
main (int argc, char **argv)
{
  net_test_init (&argc, &argv);
  g_test_add_func ("/net/hanoi/graph-and-paths", test_hanoi);
  return g_test_run ();
}
