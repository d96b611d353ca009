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
  /* name       kind             nodes  edges   terminals seed family */
  { "r2500-e5k-t625",   NET_STEINER_GEN_RANDOM, 2500, 5000, 625, 1, "E-like" },
  { "r2500-e12k-t417",  NET_STEINER_GEN_RANDOM, 2500, 12500, 417, 2, "E-like" },
  { "r2500-e12k-t1250", NET_STEINER_GEN_RANDOM, 2500, 12500, 1250, 3, "E-like" },
  { "r2500-e62k-t625",  NET_STEINER_GEN_RANDOM, 2500, 62500, 625, 4, "E-like" },
  { "r2500-e62k-t1250", NET_STEINER_GEN_RANDOM, 2500, 62500, 1250, 5, "E-like" },
  { "r5000-e15k-t1000", NET_STEINER_GEN_RANDOM, 5000, 15000, 1000, 6, "PACE-like" },
  { "g50x50-t500",      NET_STEINER_GEN_GRID, 2500, 0, 500, 7, "grid" },
  { "g70x70-t1000",     NET_STEINER_GEN_GRID, 4900, 0, 1000, 8, "grid" },
  { "g100x100-t2000",   NET_STEINER_GEN_GRID, 10000, 0, 2000, 9, "grid" },
  { "g100x100-t500",    NET_STEINER_GEN_GRID, 10000, 0, 500, 10, "grid" },
  /* the rest of SteinLib E's shapes: 2,500 nodes; 3,125, 5,000, 12,500
   * or 62,500 edges; 5, 10, 417, 625 or 1,250 terminals */
  { "r2500-e3k-t5",     NET_STEINER_GEN_RANDOM, 2500, 3125, 5, 11, "E-like" },
  { "r2500-e3k-t10",    NET_STEINER_GEN_RANDOM, 2500, 3125, 10, 12, "E-like" },
  { "r2500-e3k-t417",   NET_STEINER_GEN_RANDOM, 2500, 3125, 417, 13, "E-like" },
  { "r2500-e3k-t625",   NET_STEINER_GEN_RANDOM, 2500, 3125, 625, 14, "E-like" },
  { "r2500-e3k-t1250",  NET_STEINER_GEN_RANDOM, 2500, 3125, 1250, 15, "E-like" },
  { "r2500-e5k-t5",     NET_STEINER_GEN_RANDOM, 2500, 5000, 5, 16, "E-like" },
  { "r2500-e5k-t10",    NET_STEINER_GEN_RANDOM, 2500, 5000, 10, 17, "E-like" },
  { "r2500-e5k-t417",   NET_STEINER_GEN_RANDOM, 2500, 5000, 417, 18, "E-like" },
  { "r2500-e5k-t1250",  NET_STEINER_GEN_RANDOM, 2500, 5000, 1250, 19, "E-like" },
  { "r2500-e12k-t5",    NET_STEINER_GEN_RANDOM, 2500, 12500, 5, 20, "E-like" },
  { "r2500-e12k-t10",   NET_STEINER_GEN_RANDOM, 2500, 12500, 10, 21, "E-like" },
  { "r2500-e12k-t625",  NET_STEINER_GEN_RANDOM, 2500, 12500, 625, 22, "E-like" },
  { "r2500-e62k-t5",    NET_STEINER_GEN_RANDOM, 2500, 62500, 5, 23, "E-like" },
  { "r2500-e62k-t10",   NET_STEINER_GEN_RANDOM, 2500, 62500, 10, 24, "E-like" },
  { "r2500-e62k-t417",  NET_STEINER_GEN_RANDOM, 2500, 62500, 417, 25, "E-like" },
  /* PACE 2018-like: road-like and VLSI-like graphs with wide weights */
  { "geo5000-t250",     NET_STEINER_GEN_GEOMETRIC, 5000, 0, 250, 26, "PACE-like", 1000 },
  { "geo5000-t1000",    NET_STEINER_GEN_GEOMETRIC, 5000, 0, 1000, 27, "PACE-like", 1000 },
  { "geo10000-t100",    NET_STEINER_GEN_GEOMETRIC, 10000, 0, 100, 28, "PACE-like", 1000 },
  { "g100x100-t100-w1000", NET_STEINER_GEN_GRID, 10000, 0, 100, 29, "PACE-like", 1000 },
  { "g100x100-t1000-w1000", NET_STEINER_GEN_GRID, 10000, 0, 1000, 30, "PACE-like", 1000 },
};
const guint net_steiner_gen_n_specs = G_N_ELEMENTS (net_steiner_gen_specs);

static void
add_edge (GArray *uv, GArray *w, GRand *rand, guint max_w, guint a, guint b)
{
  double c = g_rand_int_range (rand, 1, max_w + 1);

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
  guint n = spec->nodes, max_w = spec->max_w ? spec->max_w : 10;

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
          add_edge (uv, w, rand, max_w, j, i);
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
          add_edge (uv, w, rand, max_w, a, b);
        }
    }
  else if (spec->kind == NET_STEINER_GEN_GEOMETRIC)
    {
      /* points in a square; each joined to its 3 nearest (a bucket grid
       * finds them), the weight the distance scaled to 1…max_w, and a
       * random tree's edges added wherever the graph would be cut */
      g_autofree double *xy = g_new (double, 2 * n);
      g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
      g_autoptr(GArray) keys = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 4 * n);
      g_autofree guint *parent = g_new (guint, n);
      guint cells = MAX (1, (guint) sqrt (n / 2.0));
      g_autofree guint *cell_start = g_new0 (guint, cells * cells + 1);
      g_autofree guint *cell_node = g_new (guint, n);
      g_autofree guint *fill = NULL;
      double scale = (max_w - 1) / (3.0 / sqrt (n));   /* a typical 3-nearest distance → max_w */
      guint pieces = 0;

      for (guint v = 0; v < n; v++)
        {
          xy[2 * v] = g_rand_double (rand);
          xy[2 * v + 1] = g_rand_double (rand);
          cell_start[MIN ((guint) (xy[2 * v] * cells), cells - 1) * cells +
                     MIN ((guint) (xy[2 * v + 1] * cells), cells - 1) + 1]++;
          parent[v] = v;
        }
      for (guint c = 0; c < cells * cells; c++)
        cell_start[c + 1] += cell_start[c];
      fill = g_memdup2 (cell_start, sizeof (guint) * cells * cells);
      for (guint v = 0; v < n; v++)
        cell_node[fill[MIN ((guint) (xy[2 * v] * cells), cells - 1) * cells +
                       MIN ((guint) (xy[2 * v + 1] * cells), cells - 1)]++] = v;
      g_array_set_size (keys, 4 * n);
      for (guint v = 0; v < n; v++)
        {
          guint best[3] = { G_MAXUINT, G_MAXUINT, G_MAXUINT };
          double bd[3] = { INFINITY, INFINITY, INFINITY };
          int cx = MIN ((guint) (xy[2 * v] * cells), cells - 1), cy = MIN ((guint) (xy[2 * v + 1] * cells), cells - 1);

          for (int dx = -2; dx <= 2; dx++)
            for (int dy = -2; dy <= 2; dy++)
              {
                int x = cx + dx, y = cy + dy;

                if (x < 0 || y < 0 || x >= (int) cells || y >= (int) cells)
                  continue;
                for (guint k = cell_start[x * cells + y]; k < cell_start[x * cells + y + 1]; k++)
                  {
                    guint u = cell_node[k];
                    double d = hypot (xy[2 * u] - xy[2 * v], xy[2 * u + 1] - xy[2 * v + 1]);

                    if (u == v || d >= bd[2])
                      continue;
                    bd[2] = d;
                    best[2] = u;
                    for (int i = 2; i > 0 && bd[i] < bd[i - 1]; i--)
                      {
                        double td = bd[i];
                        guint tu = best[i];

                        bd[i] = bd[i - 1];
                        best[i] = best[i - 1];
                        bd[i - 1] = td;
                        best[i - 1] = tu;
                      }
                  }
              }
          for (int i = 0; i < 3; i++)
            {
              guint u = best[i], ra = u, rb = v;
              gint64 *k = &g_array_index (keys, gint64, uv->len / 2);
              double c;

              if (u == G_MAXUINT)
                continue;
              *k = (gint64) MIN (u, v) * n + MAX (u, v);
              if (g_hash_table_contains (seen, k))
                continue;
              g_hash_table_add (seen, k);
              c = MIN (max_w, 1 + floor (bd[i] * scale));
              g_array_append_val (uv, u);
              g_array_append_val (uv, v);
              g_array_append_val (w, c);
              while (parent[ra] != ra)
                ra = parent[ra] = parent[parent[ra]];
              while (parent[rb] != rb)
                rb = parent[rb] = parent[parent[rb]];
              parent[ra] = rb;
            }
        }
      /* join the pieces: each piece's root to a random node of another */
      for (guint v = 0; v < n; v++)
        if (parent[v] == v)
          pieces++;
      for (guint v = 0; v < n && pieces > 1; v++)
        {
          guint rv = v, ru, u;
          gint64 *k;

          while (parent[rv] != rv)
            rv = parent[rv] = parent[parent[rv]];
          if (rv != v || uv->len / 2 >= keys->len)
            continue;
          pieces--;
          do
            {
              u = g_rand_int_range (rand, 0, n);
              ru = u;
              while (parent[ru] != ru)
                ru = parent[ru] = parent[parent[ru]];
            }
          while (ru == rv);
          k = &g_array_index (keys, gint64, uv->len / 2);
          *k = (gint64) MIN (u, v) * n + MAX (u, v);
          g_hash_table_add (seen, k);
          add_edge (uv, w, rand, max_w, u, v);
          parent[rv] = ru;
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
          add_edge (uv, w, rand, max_w, a, b);
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
