/* net-steiner-gen.c — hard Steiner instances, generated deterministically
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SteinLib's series E are random graphs of 2,500 nodes with up to 62,500
 * edges, weights 1–10 and up to half the nodes terminal; its grid and
 * VLSI series are grid graphs with holes.  These are made the same way
 * (our own generator, not SteinLib's files): a random spanning tree first
 * so the graph is connected, then random extra edges (random graphs), or
 * a grid with a share of its edges left out and the rest kept connected
 * (grids); weights uniform in 1…10; terminals a random share of the
 * nodes.  The suite (tests/net/test-net-steiner-hard.c) and the benchmark
 * (bench/steiner-bench.c) read the same list.
 */
#include "config.h"

#include <math.h>

#include "net-steiner-gen.h"

const NetSteinerGenSpec net_steiner_gen_specs[] = {
  /* name       kind             nodes  edges   terminals seed */
  { "r2500-e5k-t625",   NET_STEINER_GEN_RANDOM, 2500, 5000, 625, 1 },
  { "r2500-e12k-t417",  NET_STEINER_GEN_RANDOM, 2500, 12500, 417, 2 },
  { "r2500-e12k-t1250", NET_STEINER_GEN_RANDOM, 2500, 12500, 1250, 3 },
  { "r2500-e62k-t625",  NET_STEINER_GEN_RANDOM, 2500, 62500, 625, 4 },
  { "r2500-e62k-t1250", NET_STEINER_GEN_RANDOM, 2500, 62500, 1250, 5 },
  { "r5000-e15k-t1000", NET_STEINER_GEN_RANDOM, 5000, 15000, 1000, 6 },
  { "g50x50-t500",      NET_STEINER_GEN_GRID, 2500, 0, 500, 7 },
  { "g70x70-t1000",     NET_STEINER_GEN_GRID, 4900, 0, 1000, 8 },
  { "g100x100-t2000",   NET_STEINER_GEN_GRID, 10000, 0, 2000, 9 },
  { "g100x100-t500",    NET_STEINER_GEN_GRID, 10000, 0, 500, 10 },
};
const guint net_steiner_gen_n_specs = G_N_ELEMENTS (net_steiner_gen_specs);

static void
add_edge (GArray *uv, GArray *w, GRand *rand, guint a, guint b)
{
  double c = g_rand_int_range (rand, 1, 11);

  g_array_append_val (uv, a);
  g_array_append_val (uv, b);
  g_array_append_val (w, c);
}

NgamSteinerInstance *
net_steiner_gen (const NetSteinerGenSpec *spec)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (spec->seed);
  g_autoptr(GArray) uv = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) w = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autofree guint *perm = g_new (guint, spec->nodes);
  NgamSteinerInstance *inst = g_new0 (NgamSteinerInstance, 1);
  guint n = spec->nodes;

  if (spec->kind == NET_STEINER_GEN_RANDOM)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
      g_autoptr(GArray) keys = g_array_sized_new (FALSE, FALSE, sizeof (gint64), spec->edges);

      g_array_set_size (keys, spec->edges);
      /* a random tree: node i joins a random earlier node */
      for (guint i = 1; i < n; i++)
        {
          guint j = g_rand_int_range (rand, 0, i);
          gint64 *k = &g_array_index (keys, gint64, uv->len / 2);

          *k = (gint64) j * n + i;
          g_hash_table_add (seen, k);
          add_edge (uv, w, rand, j, i);
        }
      while (uv->len / 2 < spec->edges)
        {
          guint a = g_rand_int_range (rand, 0, n), b = g_rand_int_range (rand, 0, n);
          gint64 *k = &g_array_index (keys, gint64, uv->len / 2);

          if (a == b)
            continue;
          *k = (gint64) MIN (a, b) * n + MAX (a, b);
          if (g_hash_table_contains (seen, k))
            continue;
          g_hash_table_add (seen, k);
          add_edge (uv, w, rand, a, b);
        }
    }
  else
    {
      /* a side × side grid; each edge is dropped with probability 1/5
       * unless dropping it would cut the grid (a union-find over the
       * edges kept, in a random order, keeps a spanning tree first) */
      guint side = 1;
      g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autofree guint *parent = NULL;

      while ((side + 1) * (side + 1) <= n)
        side++;
      n = side * side;
      parent = g_new (guint, n);
      for (guint v = 0; v < n; v++)
        parent[v] = v;
      for (guint v = 0; v < n; v++)
        {
          guint x = v % side, y = v / side, b;

          if (x + 1 < side)
            {
              b = v + 1;
              g_array_append_val (all, v);
              g_array_append_val (all, b);
            }
          if (y + 1 < side)
            {
              b = v + side;
              g_array_append_val (all, v);
              g_array_append_val (all, b);
            }
        }
      for (guint i = all->len / 2; i > 1; i--)
        {
          guint j = g_rand_int_range (rand, 0, i), a0, a1;

          a0 = g_array_index (all, guint, 2 * (i - 1));
          a1 = g_array_index (all, guint, 2 * (i - 1) + 1);
          g_array_index (all, guint, 2 * (i - 1)) = g_array_index (all, guint, 2 * j);
          g_array_index (all, guint, 2 * (i - 1) + 1) = g_array_index (all, guint, 2 * j + 1);
          g_array_index (all, guint, 2 * j) = a0;
          g_array_index (all, guint, 2 * j + 1) = a1;
        }
      for (guint i = 0; i < all->len / 2; i++)
        {
          guint a = g_array_index (all, guint, 2 * i), b = g_array_index (all, guint, 2 * i + 1);
          guint ra = a, rb = b;
          gboolean drop = g_rand_int_range (rand, 0, 5) == 0;

          while (parent[ra] != ra)
            ra = parent[ra] = parent[parent[ra]];
          while (parent[rb] != rb)
            rb = parent[rb] = parent[parent[rb]];
          if (ra == rb && drop)
            continue;
          parent[ra] = rb;
          add_edge (uv, w, rand, a, b);
        }
    }
  inst->graph = ngam_graph_new_from_edges (n, uv->len / 2, (guint *) uv->data, (double *) w->data, NULL, &error);
  g_assert_no_error (error);
  /* terminals: the first of a random permutation */
  for (guint i = 0; i < n; i++)
    perm[i] = i;
  for (guint i = n; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, i), t = perm[i - 1];

      perm[i - 1] = perm[j];
      perm[j] = t;
    }
  inst->terminals = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_vals (inst->terminals, perm, MIN (spec->terminals, n));
  inst->optimum = NAN;
  inst->name = g_strdup (spec->name);
  return inst;
}
