/* ngam-steiner-voronoi.c — key-path exchange for every key path at once,
 * from one Voronoi diagram of the tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Trying each key path with its own search (ngam-steiner-search.c) costs a
 * Dijkstra around half the tree per path: fine on SteinLib, too slow on a
 * town of 10^5 crossings.  Uchoa and Werneck (2010) instead compute the
 * Voronoi regions of all tree nodes once.  An edge (u, v) between the
 * regions of tree nodes a and b offers a path a ⇝ u – v ⇝ b of cost
 * d(u) + w + d(v) that could replace any key path on the tree path from a
 * to b.  Taking the candidate edges cheapest first and walking the tree of
 * key paths between a and b, each key path gets the cheapest replacement
 * that crosses it; every key path whose replacement is cheaper than itself
 * is an improving move.  The moves of a round are applied biggest gain
 * first, each if it still holds after those before it.
 *
 * Regions of a key path's inner nodes vanish when the path is removed, so a
 * candidate is never offered to the key path holding one of its ends.
 * Rounds repeat while one gains.  The
 * Voronoi search is cut at the cost of the costliest key path, beyond
 * which no candidate can gain.
 */
#define G_LOG_DOMAIN "ngam-net"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-steiner-private.h"

typedef struct
{
  double cost;
  guint  edge;
} Cand;

static int
cmp_cand (const void *a, const void *b)
{
  const Cand *x = a, *y = b;

  if (x->cost != y->cost)
    return x->cost < y->cost ? -1 : 1;
  return x->edge < y->edge ? -1 : x->edge > y->edge;
}

typedef struct
{
  guint  low, high;     /* key nodes: the path runs up from low to high */
  double cost;
  double best;          /* cheapest replacement found */
  guint  best_edge;
} KPath;

/* Whether the tree's edges join a and b (depth-first over tree edges). */
static gboolean
tree_connects (Solver *s, guint a, guint b)
{
  const NgamGraph *g = s->g;
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));
  guint mk = ngam_solver_next_mark (s);

  s->mark[a] = mk;
  g_array_append_val (stack, a);
  while (stack->len > 0)
    {
      guint v = g_array_index (stack, guint, stack->len - 1);

      g_array_set_size (stack, stack->len - 1);
      if (v == b)
        return TRUE;
      for (guint k = g->adj_start[v]; k < g->adj_start[v + 1]; k++)
        if (s->in_tree[g->adj_edge[k]] && s->mark[g->adj_node[k]] != mk)
          {
            s->mark[g->adj_node[k]] = mk;
            g_array_append_val (stack, g->adj_node[k]);
          }
    }
  return FALSE;
}

/* One round; TRUE when it improved the tree. */
static gboolean
voronoi_round (Solver *s)
{
  const NgamGraph *g = s->g;
  Search *q = &s->s2;
  g_autoptr(GArray) kps = g_array_new (FALSE, FALSE, sizeof (KPath));
  g_autoptr(GArray) cands = g_array_new (FALSE, FALSE, sizeof (Cand));
  g_autofree guint *kp_of = NULL;     /* per order index: key path of the edge above */
  g_autofree guint *kdepth = NULL;    /* per order index: depth in the key tree (key nodes) */
  guint n_order, left;
  double max_cost = 0;

  ngam_tree_root (s, G_MAXUINT);
  n_order = s->order->len;
  if (n_order < 3)
    return FALSE;
  kp_of = g_new (guint, n_order);
  kdepth = g_new0 (guint, n_order);
  /* key paths, and for every node the key path its parent edge is on;
   * preorder puts each parent before its children */
  kp_of[0] = G_MAXUINT;
  for (guint i = 1; i < n_order; i++)
    {
      guint x = g_array_index (s->order, guint, i);

      if (ngam_tree_is_key (s, x))
        {
          KPath kp = { x, 0, 0, INFINITY, G_MAXUINT };
          guint v = x;

          do
            {
              guint e = s->parent[v];

              kp.cost += s->w[e];
              v = ngam_graph_edge_other (g, e, v);
            }
          while (!ngam_tree_is_key (s, v));
          kp.high = v;
          max_cost = MAX (max_cost, kp.cost);
          g_array_append_val (kps, kp);
        }
    }
  /* label nodes with their key path: walk each path from its low end */
  for (guint k = 0; k < kps->len; k++)
    {
      KPath *kp = &g_array_index (kps, KPath, k);

      for (guint v = kp->low; v != kp->high; v = ngam_graph_edge_other (g, s->parent[v], v))
        kp_of[s->tin[v]] = k;
    }
  /* key depth of key nodes, in preorder */
  for (guint i = 1; i < n_order; i++)
    {
      guint x = g_array_index (s->order, guint, i);

      if (ngam_tree_is_key (s, x))
        kdepth[i] = kdepth[s->tin[g_array_index (kps, KPath, kp_of[i]).high]] + 1;
    }

  /* the Voronoi regions of the tree nodes, cut at the costliest path */
  ngam_search_begin (q, s->n);
  for (guint i = 0; i < n_order; i++)
    {
      guint v = g_array_index (s->order, guint, i);

      search_set (q, v, 0, G_MAXUINT, v);
      ngam_heap_push (&q->heap, 0, v);
    }
  if (!ngam_search_run (s, q, max_cost, TRUE, TRUE))
    return FALSE;
  /* candidate edges between regions (chords between tree nodes too) */
  for (guint i = 0; i < q->touched->len; i++)
    {
      guint a = g_array_index (q->touched, guint, i);

      for (guint k = g->adj_start[a]; k < g->adj_start[a + 1]; k++)
        {
          guint b = g->adj_node[k], e = g->adj_edge[k];
          Cand c;

          if (s->in_tree[e] || g->edge_uv[2 * e] != a || search_dist (q, b) == INFINITY ||
              q->label[a] == q->label[b])
            continue;
          c.cost = q->dist[a] + s->w[e] + q->dist[b];
          if (c.cost >= max_cost)
            continue;
          c.edge = e;
          g_array_append_val (cands, c);
        }
    }
  if (cands->len > 1)
    qsort (cands->data, cands->len, sizeof (Cand), cmp_cand);

  /* offer each candidate to the key paths between its two bases */
  left = kps->len;
  for (guint c = 0; c < cands->len && left > 0; c++)
    {
      const Cand *cd = &g_array_index (cands, Cand, c);
      guint e = cd->edge, ends[2], skip[2] = { G_MAXUINT, G_MAXUINT };

      for (int k = 0; k < 2; k++)
        {
          guint b = q->label[g->edge_uv[2 * e + k]], other = q->label[g->edge_uv[2 * e + 1 - k]];

          if (ngam_tree_is_key (s, b))
            ends[k] = b;
          else
            {
              /* an inner node: leave its path by the end towards the
               * other base, and never offer the candidate to that path */
              const KPath *kp = &g_array_index (kps, KPath, kp_of[s->tin[b]]);
              gboolean below = s->tin[other] >= s->tin[kp->low] && s->tin[other] < s->tout[kp->low];

              skip[k] = kp_of[s->tin[b]];
              ends[k] = below ? kp->low : kp->high;
            }
        }
      if (skip[0] != G_MAXUINT && skip[0] == skip[1])
        continue;   /* both ends inside one key path */
      /* walk up the key tree from both ends to their common ancestor */
      {
        guint a = ends[0], b = ends[1];

        while (a != b)
          {
            guint *deeper = kdepth[s->tin[a]] >= kdepth[s->tin[b]] ? &a : &b;
            guint kpi = kp_of[s->tin[*deeper]];
            KPath *kp = &g_array_index (kps, KPath, kpi);

            if (kpi != skip[0] && kpi != skip[1] && kp->best_edge == G_MAXUINT)
              {
                kp->best = cd->cost;
                kp->best_edge = e;
                left--;
              }
            *deeper = kp->high;
          }
      }
    }
  /* the improving key paths, biggest gain first; each move is applied if
   * it still holds after the ones before it */
  {
    g_autoptr(GArray) moves = g_array_new (FALSE, FALSE, sizeof (Cand));
    g_autoptr(GArray) kedges = g_array_new (FALSE, FALSE, sizeof (guint));
    g_autoptr(GArray) chain = g_array_new (FALSE, FALSE, sizeof (guint));
    g_autofree guint *kstart = g_new (guint, kps->len + 1);
    guint applied = 0;

    for (guint k = 0; k < kps->len; k++)
      {
        const KPath *kp = &g_array_index (kps, KPath, k);
        Cand mv = { -(kp->cost - kp->best), k };

        /* the path's edges, recorded while the rooting is fresh */
        kstart[k] = kedges->len;
        for (guint v = kp->low; v != kp->high; v = ngam_graph_edge_other (g, s->parent[v], v))
          g_array_append_val (kedges, s->parent[v]);
        if (kp->best_edge != G_MAXUINT && kp->cost - kp->best > 1e-9 * (1 + kp->cost))
          g_array_append_val (moves, mv);
      }
    kstart[kps->len] = kedges->len;
    if (moves->len == 0)
      return FALSE;
    qsort (moves->data, moves->len, sizeof (Cand), cmp_cand);
    for (guint i = 0; i < moves->len; i++)
      {
        guint k = g_array_index (moves, Cand, i).edge;
        const KPath *kp = &g_array_index (kps, KPath, k);
        guint e = kp->best_edge, a = q->label[g->edge_uv[2 * e]], b = q->label[g->edge_uv[2 * e + 1]];
        gboolean ok = TRUE;

        /* still a key path: all its edges, inner nodes of degree two */
        for (guint j = kstart[k]; j < kstart[k + 1] && ok; j++)
          {
            guint pe = g_array_index (kedges, guint, j);

            ok = s->in_tree[pe] == 1;
            if (ok && j > kstart[k])
              {
                /* the node shared with the edge before is inner */
                guint pv = g_array_index (kedges, guint, j - 1);
                guint inner = (g->edge_uv[2 * pe] == g->edge_uv[2 * pv] || g->edge_uv[2 * pe] == g->edge_uv[2 * pv + 1])
                              ? g->edge_uv[2 * pe] : g->edge_uv[2 * pe + 1];

                ok = s->deg[inner] == 2 && !s->is_term[inner];
              }
          }
        /* the replacement's own nodes must still be outside the tree */
        g_array_set_size (chain, 0);
        for (int end = 0; end < 2 && ok; end++)
          for (guint u = g->edge_uv[2 * e + end]; ok && q->pred[u] != G_MAXUINT;)
            {
              guint pe = q->pred[u];

              ok = s->deg[u] == 0;
              g_array_append_val (chain, pe);
              u = ngam_graph_edge_other (g, pe, u);
            }
        if (!ok || s->deg[a] == 0 || s->deg[b] == 0)
          continue;
        for (guint j = kstart[k]; j < kstart[k + 1]; j++)
          ngam_tree_remove (s, g_array_index (kedges, guint, j));
        /* earlier moves may have joined a and b another way: then the
         * path is no longer between them */
        if (applied > 0 && tree_connects (s, a, b))
          {
            for (guint j = kstart[k]; j < kstart[k + 1]; j++)
              ngam_tree_add (s, g_array_index (kedges, guint, j));
            continue;
          }
        ngam_tree_add (s, e);
        for (guint j = 0; j < chain->len; j++)
          ngam_tree_add (s, g_array_index (chain, guint, j));
        applied++;
      }
    ngam_tree_prune (s);
    return applied > 0;
  }
}

gboolean
ngam_steiner_key_path_voronoi (Solver *s)
{
  gboolean any = FALSE;

  while (!ngam_solver_should_stop (s) && voronoi_round (s))
    any = TRUE;
  return any;
}
