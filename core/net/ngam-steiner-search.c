/* ngam-steiner-search.c — local search for Steiner trees
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The three neighbourhoods of Uchoa and Werneck (Fast local search for
 * Steiner trees in graphs, ALENEX 2010), after Minoux (1990) and Verhoeven,
 * Severens and Aarts (1996):
 *
 *  - key-path exchange: a key path (a path whose inner nodes are Steiner
 *    nodes of degree two) is removed, which cuts the tree in two; a
 *    shortest path between the two halves replaces it if it is cheaper.
 *    The halves are told apart by the preorder interval of the lower one,
 *    and the search starts from the smaller one.
 *  - key-vertex elimination: a Steiner node of degree three or more and
 *    its key paths are removed; the pieces left are joined again by a
 *    minimum spanning tree over their Voronoi regions (Mehlhorn's idea,
 *    restricted to the ball the removed paths spanned).
 *  - vertex insertion: a node next to the tree is added and the minimum
 *    spanning tree of the tree's edges plus the new node's recomputed, then
 *    pruned.
 *
 * Each move is applied as soon as it gains (first improvement); the loop
 * ends when a full round gains nothing or time runs out.
 */
#define G_LOG_DOMAIN "ngam-net"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-steiner-private.h"

static inline double
gain_eps (double cost)
{
  return 1e-9 * (1 + fabs (cost));
}

/* --- key-path exchange -------------------------------------------------- */

typedef struct
{
  guint  low, high;    /* the path runs up from low to its key ancestor */
  double cost;
} KeyPath;

static int
cmp_keypath (const void *a, const void *b)
{
  const KeyPath *x = a, *y = b;

  if (x->cost != y->cost)
    return x->cost > y->cost ? -1 : 1;
  return x->low < y->low ? -1 : x->low > y->low;
}

/* All key paths of the rooted tree, costliest first. */
static GArray *
key_paths (Solver *s)
{
  const NgamGraph *g = s->g;
  GArray *paths = g_array_new (FALSE, FALSE, sizeof (KeyPath));

  for (guint i = 1; i < s->order->len; i++)
    {
      guint x = g_array_index (s->order, guint, i), v = x;
      KeyPath kp = { x, 0, 0 };

      if (!ngam_tree_is_key (s, x))
        continue;
      do
        {
          guint e = s->parent[v];

          kp.cost += s->w[e];
          v = ngam_graph_edge_other (g, e, v);
        }
      while (!ngam_tree_is_key (s, v));
      kp.high = v;
      g_array_append_val (paths, kp);
    }
  if (paths->len > 1)
    qsort (paths->data, paths->len, sizeof (KeyPath), cmp_keypath);
  return paths;
}

/* Tries to replace one key path; TRUE when the tree changed. */
static gboolean
exchange_path (Solver *s, const KeyPath *kp, gboolean local)
{
  const NgamGraph *g = s->g;
  guint tick = 0;
  Search *q = &s->s1, *ball = &s->s2;
  guint x = kp->low, lo = s->tin[x], hi = s->tout[x], total = s->order->len, inner = 0;
  guint mk = ngam_solver_next_mark (s), found = G_MAXUINT;
  double bound = kp->cost - gain_eps (kp->cost);
  gboolean from_low;

  /* mark the path's inner nodes: free for the new path */
  for (guint v = ngam_graph_edge_other (g, s->parent[x], x); v != kp->high;
       v = ngam_graph_edge_other (g, s->parent[v], v))
    {
      s->mark[v] = mk;
      inner++;
    }
  from_low = hi - lo <= total - (hi - lo) - inner;
  ngam_search_begin (q, s->n);
  if (local)
    {
      /* On large graphs the search stays within the path's cost of the
       * path itself, and starts from the smaller half's nodes there: a
       * replacement far from the path is left to the Voronoi exchange. */
      ngam_search_begin (ball, s->n);
      for (guint v = x;; v = ngam_graph_edge_other (g, s->parent[v], v))
        {
          search_set (ball, v, 0, G_MAXUINT, 0);
          ngam_heap_push (&ball->heap, 0, v);
          if (v == kp->high)
            break;
        }
      while (ball->heap.len > 0)
        {
          NgamHeapItem it = ngam_heap_pop (&ball->heap);

          if ((++tick & 4095) == 0 && ngam_solver_should_stop (s))
            return FALSE;   /* out of time: the tree is untouched */
          if (it.key > ball->dist[it.node])
            continue;
          for (guint k = g->adj_start[it.node]; k < g->adj_start[it.node + 1]; k++)
            {
              guint u = g->adj_node[k];
              double nd = it.key + s->w[g->adj_edge[k]];

              if (nd <= bound && nd < search_dist (ball, u))
                {
                  search_set (ball, u, nd, g->adj_edge[k], 0);
                  ngam_heap_push (&ball->heap, nd, u);
                }
            }
        }
      for (guint i = 0; i < ball->touched->len; i++)
        {
          guint v = g_array_index (ball->touched, guint, i);
          gboolean below = s->tin[v] >= lo && s->tin[v] < hi;

          if (s->deg[v] == 0 || s->mark[v] == mk || below != from_low)
            continue;
          search_set (q, v, 0, G_MAXUINT, 0);
          ngam_heap_push (&q->heap, 0, v);
        }
    }
  else
    /* sources: the smaller half, at distance 0 */
    for (guint i = 0; i < total; i++)
      {
        guint v = g_array_index (s->order, guint, i);
        gboolean below = i >= lo && i < hi;

        if (s->mark[v] == mk || below != from_low)
          continue;
        search_set (q, v, 0, G_MAXUINT, 0);
        ngam_heap_push (&q->heap, 0, v);
      }
  while (q->heap.len > 0)
    {
      NgamHeapItem it = ngam_heap_pop (&q->heap);
      guint v = it.node;

      if ((++tick & 4095) == 0 && ngam_solver_should_stop (s))
        return FALSE;   /* out of time: the tree is untouched */
      if (it.key > q->dist[v])
        continue;
      if (it.key >= bound)
        break;
      if (s->deg[v] > 0 && s->mark[v] != mk)
        {
          gboolean below = s->tin[v] >= lo && s->tin[v] < hi;

          if (below != from_low)
            {
              found = v;
              break;
            }
        }
      for (guint k = g->adj_start[v]; k < g->adj_start[v + 1]; k++)
        {
          guint e = g->adj_edge[k], u = g->adj_node[k];
          double nd = it.key + s->w[e];

          if (nd < bound && nd < search_dist (q, u) && (!local || search_dist (ball, u) <= bound))
            {
              search_set (q, u, nd, e, 0);
              ngam_heap_push (&q->heap, nd, u);
            }
        }
    }
  if (found == G_MAXUINT)
    return FALSE;
  /* remove the old path, add the new one */
  for (guint v = x; v != kp->high;)
    {
      guint e = s->parent[v];

      v = ngam_graph_edge_other (g, e, v);
      ngam_tree_remove (s, e);
    }
  for (guint v = found; q->pred[v] != G_MAXUINT;)
    {
      guint e = q->pred[v];

      ngam_tree_add (s, e);
      v = ngam_graph_edge_other (g, e, v);
    }
  ngam_tree_prune (s);
  return TRUE;
}

gboolean
ngam_steiner_key_path_exchange (Solver *s)
{
  gboolean any = FALSE, changed = TRUE;

  while (changed && !ngam_solver_should_stop (s))
    {
      g_autoptr(GArray) paths = NULL;

      changed = FALSE;
      ngam_tree_root (s, G_MAXUINT);
      paths = key_paths (s);
      for (guint i = 0; i < paths->len && !ngam_solver_should_stop (s); i++)
        if (exchange_path (s, &g_array_index (paths, KeyPath, i), s->n > 5000))
          {
            /* the rooting is stale now: start over */
            changed = any = TRUE;
            break;
          }
    }
  return any;
}

/* --- key-vertex elimination --------------------------------------------- */

typedef struct
{
  double cost;
  guint  edge;
} Link;

/* Tries to remove Steiner node v (degree ≥ 3) and its key paths. */
static gboolean
eliminate_vertex (Solver *s, guint v)
{
  const NgamGraph *g = s->g;
  guint tick = 0;
  Search *ball = &s->s1, *vor = &s->s2;
  g_autoptr(GArray) removed = g_array_new (FALSE, FALSE, sizeof (guint));  /* edges */
  g_autoptr(GArray) ends = g_array_new (FALSE, FALSE, sizeof (guint));     /* child key nodes */
  guint mk = ngam_solver_next_mark (s), nc;
  double R = 0, total = 0;
  g_autofree Link *best = NULL;
  g_autoptr(GArray) chosen = g_array_new (FALSE, FALSE, sizeof (guint));

  /* the key path up */
  {
    guint u = v;

    do
      {
        guint e = s->parent[u];

        g_array_append_val (removed, e);
        R += s->w[e];
        u = ngam_graph_edge_other (g, e, u);
        if (!ngam_tree_is_key (s, u))
          s->mark[u] = mk;
      }
    while (!ngam_tree_is_key (s, u));
  }
  /* the key paths down */
  for (guint k = g->adj_start[v]; k < g->adj_start[v + 1]; k++)
    {
      guint e = g->adj_edge[k], u = g->adj_node[k];

      if (!s->in_tree[e] || e == s->parent[v])
        continue;
      while (TRUE)
        {
          g_array_append_val (removed, e);
          R += s->w[e];
          if (ngam_tree_is_key (s, u))
            break;
          s->mark[u] = mk;
          /* a Steiner node of degree two: its one child */
          for (guint j = g->adj_start[u]; j < g->adj_start[u + 1]; j++)
            if (s->in_tree[g->adj_edge[j]] && g->adj_edge[j] != e)
              {
                e = g->adj_edge[j];
                u = g->adj_node[j];
                break;
              }
        }
      g_array_append_val (ends, u);
    }
  s->mark[v] = mk;
  nc = ends->len + 1;   /* component 0: the part above v */

  /* The ball of radius R around v bounds where new joins are sought. */
  ngam_search_begin (ball, s->n);
  search_set (ball, v, 0, G_MAXUINT, 0);
  ngam_heap_push (&ball->heap, 0, v);
  ngam_search_begin (vor, s->n);
  while (ball->heap.len > 0)
    {
      NgamHeapItem it = ngam_heap_pop (&ball->heap);
      guint u = it.node;

      if ((++tick & 4095) == 0 && ngam_solver_should_stop (s))
        return FALSE;   /* out of time: the tree is untouched */
      if (it.key > ball->dist[u])
        continue;
      if (s->deg[u] > 0 && s->mark[u] != mk)
        {
          guint c = 0;

          if (s->tin[u] >= s->tin[v] && s->tin[u] < s->tout[v])
            for (guint i = 0; i < ends->len; i++)
              {
                guint z = g_array_index (ends, guint, i);

                if (s->tin[u] >= s->tin[z] && s->tin[u] < s->tout[z])
                  {
                    c = i + 1;
                    break;
                  }
              }
          search_set (vor, u, 0, G_MAXUINT, c);
          ngam_heap_push (&vor->heap, 0, u);
        }
      for (guint k = g->adj_start[u]; k < g->adj_start[u + 1]; k++)
        {
          guint w = g->adj_node[k];
          double nd = it.key + s->w[g->adj_edge[k]];

          if (nd <= R && nd < search_dist (ball, w))
            {
              search_set (ball, w, nd, g->adj_edge[k], 0);
              ngam_heap_push (&ball->heap, nd, w);
            }
        }
    }

  /* Voronoi regions of the pieces, inside the ball (vor->touched lists
   * every node reached, seeds included). */
  while (vor->heap.len > 0)
    {
      NgamHeapItem it = ngam_heap_pop (&vor->heap);
      guint u = it.node;

      if ((++tick & 4095) == 0 && ngam_solver_should_stop (s))
        return FALSE;   /* out of time: the tree is untouched */
      if (it.key > vor->dist[u])
        continue;
      for (guint k = g->adj_start[u]; k < g->adj_start[u + 1]; k++)
        {
          guint w = g->adj_node[k];
          double nd = it.key + s->w[g->adj_edge[k]];

          if (nd < R && nd < search_dist (vor, w) && search_dist (ball, w) <= R &&
              !(s->deg[w] > 0 && s->mark[w] != mk))
            {
              search_set (vor, w, nd, g->adj_edge[k], vor->label[u]);
              ngam_heap_push (&vor->heap, nd, w);
            }
        }
    }

  /* the cheapest boundary edge between each pair of pieces */
  best = g_new (Link, nc * nc);
  for (guint i = 0; i < nc * nc; i++)
    {
      best[i].cost = INFINITY;
      best[i].edge = G_MAXUINT;
    }
  for (guint i = 0; i < vor->touched->len; i++)
    {
      guint a = g_array_index (vor->touched, guint, i);

      for (guint k = g->adj_start[a]; k < g->adj_start[a + 1]; k++)
        {
          guint b = g->adj_node[k], e = g->adj_edge[k], la = vor->label[a], lb;
          double c;

          if (search_dist (vor, b) == INFINITY || (lb = vor->label[b]) == la)
            continue;
          c = vor->dist[a] + s->w[e] + vor->dist[b];
          if (c < best[la * nc + lb].cost)
            {
              best[la * nc + lb].cost = best[lb * nc + la].cost = c;
              best[la * nc + lb].edge = best[lb * nc + la].edge = e;
            }
        }
    }
  /* Prim over the pieces */
  {
    g_autofree double *key = g_new (double, nc);
    g_autofree guint *via = g_new (guint, nc);
    g_autofree gboolean *done = g_new0 (gboolean, nc);

    for (guint i = 0; i < nc; i++)
      {
        key[i] = best[i].cost;
        via[i] = best[i].edge;
      }
    done[0] = TRUE;
    for (guint step = 1; step < nc; step++)
      {
        guint pick = G_MAXUINT;

        for (guint i = 0; i < nc; i++)
          if (!done[i] && (pick == G_MAXUINT || key[i] < key[pick]))
            pick = i;
        if (pick == G_MAXUINT || !isfinite (key[pick]))
          return FALSE;
        total += key[pick];
        if (total >= R - gain_eps (R))
          return FALSE;
        done[pick] = TRUE;
        g_array_append_val (chosen, via[pick]);
        for (guint i = 0; i < nc; i++)
          if (!done[i] && best[pick * nc + i].cost < key[i])
            {
              key[i] = best[pick * nc + i].cost;
              via[i] = best[pick * nc + i].edge;
            }
      }
  }
  /* apply: drop v's key paths, add the joins with their Voronoi paths */
  for (guint i = 0; i < removed->len; i++)
    ngam_tree_remove (s, g_array_index (removed, guint, i));
  for (guint i = 0; i < chosen->len; i++)
    {
      guint e = g_array_index (chosen, guint, i);

      ngam_tree_add (s, e);
      for (int k = 0; k < 2; k++)
        for (guint u = g->edge_uv[2 * e + k]; vor->pred[u] != G_MAXUINT;)
          {
            guint pe = vor->pred[u];

            ngam_tree_add (s, pe);
            u = ngam_graph_edge_other (g, pe, u);
          }
    }
  ngam_tree_prune (s);
  return TRUE;
}

gboolean
ngam_steiner_key_vertex_elimination (Solver *s)
{
  gboolean any = FALSE, changed = TRUE;

  while (changed && !ngam_solver_should_stop (s))
    {
      g_autoptr(GArray) cand = g_array_new (FALSE, FALSE, sizeof (guint));

      changed = FALSE;
      ngam_tree_root (s, G_MAXUINT);
      for (guint i = 1; i < s->order->len; i++)
        {
          guint v = g_array_index (s->order, guint, i);

          if (!s->is_term[v] && s->deg[v] >= 3)
            g_array_append_val (cand, v);
        }
      for (guint i = 0; i < cand->len && !ngam_solver_should_stop (s); i++)
        {
          double before = ngam_tree_cost (s);
          g_autoptr(GArray) old = g_array_copy (s->tedges);

          if (!eliminate_vertex (s, g_array_index (cand, guint, i)))
            continue;
          /* The Voronoi paths of two pieces may share nodes outside the
           * tree; the union is then not a tree.  Check and undo. */
          if (ngam_tree_cost (s) < before - gain_eps (before))
            {
              ngam_tree_root (s, G_MAXUINT);
              if (s->order->len == s->tedges->len + 1)
                {
                  changed = any = TRUE;
                  break;
                }
            }
          ngam_tree_set (s, (guint *) old->data, old->len);
          ngam_tree_root (s, G_MAXUINT);
        }
    }
  return any;
}

/* --- vertex insertion --------------------------------------------------- */

static int
cmp_cost_edge (const void *a, const void *b, gpointer data)
{
  const double *w = data;
  guint x = *(const guint *) a, y = *(const guint *) b;

  if (w[x] != w[y])
    return w[x] < w[y] ? -1 : 1;
  return x < y ? -1 : x > y;
}

/* The tree's edges by cost into @sorted, its nodes into @nodes. */
static void
tree_edges_and_nodes (Solver *s, GArray *sorted, GArray *nodes)
{
  const NgamGraph *g = s->g;
  guint mk = ngam_solver_next_mark (s);

  ngam_tree_compact (s);
  g_array_set_size (sorted, 0);
  g_array_set_size (nodes, 0);
  g_array_append_vals (sorted, s->tedges->data, s->tedges->len);
  g_qsort_with_data (sorted->data, sorted->len, sizeof (guint), cmp_cost_edge, s->w);
  for (guint i = 0; i < sorted->len; i++)
    {
      guint e = g_array_index (sorted, guint, i);

      for (int k = 0; k < 2; k++)
        {
          guint x = g->edge_uv[2 * e + k];

          if (s->mark[x] == mk)
            continue;
          s->mark[x] = mk;
          g_array_append_val (nodes, x);
        }
    }
}

static inline gboolean
is_ancestor (Solver *s, guint a, guint b)
{
  return s->tin[a] <= s->tin[b] && s->tin[b] < s->tout[a];
}

/* Vertex insertion on large trees, one swap at a time: a node v outside
 * the tree joined to it by its cheapest edge (to x) and one more (to y)
 * closes a cycle through the tree path x ⇝ y; dropping that path's
 * costliest edge gains what it costs minus the two new edges.  The tree
 * path is walked over the rooted tree (up from x until an ancestor of y,
 * then up from y), so a candidate costs its paths, not the whole tree as
 * the spanning-tree evaluation does.  Swaps the best pair of each
 * candidate that gains, and prunes. */
static gboolean
insertion_by_swaps (Solver *s)
{
  const NgamGraph *g = s->g;
  g_autoptr(GArray) cands = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean any = FALSE;
  Search *q = &s->s2;

  ngam_tree_root (s, G_MAXUINT);
  /* candidates: outside nodes with two or more tree neighbours */
  ngam_search_begin (q, s->n);
  for (guint i = 0; i < s->order->len; i++)
    {
      guint x = g_array_index (s->order, guint, i);

      for (guint k = g->adj_start[x]; k < g->adj_start[x + 1]; k++)
        {
          guint u = g->adj_node[k];

          if (s->deg[u] > 0 || !isfinite (s->w[g->adj_edge[k]]))
            continue;
          if (q->stamp[u] != q->gen)
            search_set (q, u, 0, 0, 0);
          if (++q->label[u] == 2)
            g_array_append_val (cands, u);
        }
    }
  for (guint c = 0; c < cands->len && !ngam_solver_should_stop (s); c++)
    {
      guint v = g_array_index (cands, guint, c), e1 = G_MAXUINT, x;
      guint best_e2 = G_MAXUINT, best_drop = G_MAXUINT;
      double best_gain = 0;

      if (s->deg[v] > 0)
        continue;
      for (guint k = g->adj_start[v]; k < g->adj_start[v + 1]; k++)
        {
          guint e = g->adj_edge[k];

          if (s->deg[g->adj_node[k]] > 0 && isfinite (s->w[e]) && (e1 == G_MAXUINT || s->w[e] < s->w[e1]))
            e1 = e;
        }
      if (e1 == G_MAXUINT)
        continue;
      x = ngam_graph_edge_other (g, e1, v);
      for (guint k = g->adj_start[v]; k < g->adj_start[v + 1]; k++)
        {
          guint e2 = g->adj_edge[k], y = g->adj_node[k], a = x, b = y, drop = G_MAXUINT;
          double mx = -1;

          if (e2 == e1 || y == x || s->deg[y] == 0 || !isfinite (s->w[e2]))
            continue;
          while (!is_ancestor (s, a, b))
            {
              guint pe = s->parent[a];

              if (s->w[pe] > mx)
                {
                  mx = s->w[pe];
                  drop = pe;
                }
              a = ngam_graph_edge_other (g, pe, a);
            }
          while (b != a)
            {
              guint pe = s->parent[b];

              if (s->w[pe] > mx)
                {
                  mx = s->w[pe];
                  drop = pe;
                }
              b = ngam_graph_edge_other (g, pe, b);
            }
          if (drop != G_MAXUINT && mx - s->w[e1] - s->w[e2] > best_gain + gain_eps (mx))
            {
              best_gain = mx - s->w[e1] - s->w[e2];
              best_e2 = e2;
              best_drop = drop;
            }
        }
      if (best_e2 == G_MAXUINT)
        continue;
      ngam_tree_remove (s, best_drop);
      ngam_tree_add (s, e1);
      ngam_tree_add (s, best_e2);
      ngam_tree_prune (s);
      ngam_tree_root (s, G_MAXUINT);
      any = TRUE;
    }
  return any;
}

gboolean
ngam_steiner_vertex_insertion (Solver *s)
{
  const NgamGraph *g = s->g;
  gboolean any = FALSE, changed = TRUE;

  if (s->tedges->len > 200)
    {
      while (!ngam_solver_should_stop (s) && insertion_by_swaps (s))
        any = TRUE;
      return any;
    }

  while (changed && !ngam_solver_should_stop (s))
    {
      g_autoptr(GArray) sorted = NULL;
      g_autoptr(GArray) cands = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GArray) vedges = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GArray) mst = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
      double cost = ngam_tree_cost (s);

      changed = FALSE;
      sorted = g_array_new (FALSE, FALSE, sizeof (guint));
      tree_edges_and_nodes (s, sorted, nodes);
      /* candidates: non-tree nodes with at least two tree neighbours */
      {
        /* s2.label counts each outside node's tree neighbours */
        Search *q = &s->s2;

        ngam_search_begin (q, s->n);
        for (guint i = 0; i < nodes->len; i++)
          {
            guint x = g_array_index (nodes, guint, i);

            for (guint k = g->adj_start[x]; k < g->adj_start[x + 1]; k++)
              {
                guint u = g->adj_node[k];

                if (s->deg[u] > 0 || !isfinite (s->w[g->adj_edge[k]]))
                  continue;
                if (q->stamp[u] != q->gen)
                  search_set (q, u, 0, 0, 0);
                if (++q->label[u] == 2)
                  g_array_append_val (cands, u);
              }
          }
      }
      /* after a gain the round goes on with the candidates left (those
       * the new tree took skipped), rather than starting over: on large
       * trees each start over costs a pass over every candidate */
      for (guint c = 0; c < cands->len && !ngam_solver_should_stop (s); c++)
        {
          guint v = g_array_index (cands, guint, c), ti = 0, vi = 0;

          if (s->deg[v] > 0)
            continue;

          /* v's cheapest edge to each tree neighbour, sorted */
          g_array_set_size (vedges, 0);
          for (guint k = g->adj_start[v]; k < g->adj_start[v + 1]; k++)
            if (s->deg[g->adj_node[k]] > 0 && isfinite (s->w[g->adj_edge[k]]))
              g_array_append_val (vedges, g->adj_edge[k]);
          g_qsort_with_data (vedges->data, vedges->len, sizeof (guint), cmp_cost_edge, s->w);
          for (guint i = 0; i < nodes->len; i++)
            {
              guint x = g_array_index (nodes, guint, i);

              s->uf.parent[x] = x;
              s->uf.size[x] = 1;
            }
          s->uf.parent[v] = v;
          s->uf.size[v] = 1;
          /* Kruskal over the merged sorted lists */
          g_array_set_size (mst, 0);
          while (ti < sorted->len || vi < vedges->len)
            {
              guint e;

              if (vi >= vedges->len ||
                  (ti < sorted->len && cmp_cost_edge (&g_array_index (sorted, guint, ti),
                                                      &g_array_index (vedges, guint, vi), s->w) < 0))
                e = g_array_index (sorted, guint, ti++);
              else
                e = g_array_index (vedges, guint, vi++);
              if (ngam_uf_union (&s->uf, g->edge_uv[2 * e], g->edge_uv[2 * e + 1]))
                g_array_append_val (mst, e);
            }
          /* Only a tree where v kept two or more edges can gain, once its
           * freed Steiner leaves are pruned. */
          {
            guint kept = 0;

            for (guint i = 0; i < mst->len; i++)
              {
                guint e = g_array_index (mst, guint, i);

                if (g->edge_uv[2 * e] == v || g->edge_uv[2 * e + 1] == v)
                  kept++;
              }
            if (kept >= 2)
              {
                g_autoptr(GArray) old = g_array_copy (s->tedges);

                ngam_tree_set (s, (guint *) mst->data, mst->len);
                ngam_tree_prune (s);
                if (ngam_tree_cost (s) < cost - gain_eps (cost))
                  {
                    cost = ngam_tree_cost (s);
                    changed = any = TRUE;
                    tree_edges_and_nodes (s, sorted, nodes);
                  }
                else
                  ngam_tree_set (s, (guint *) old->data, old->len);
              }
          }
        }
    }
  return any;
}

/* --- vertex elimination ------------------------------------------------- */

/* Removes one Steiner node and re-spans the other nodes of the tree by a
 * minimum spanning tree of the subgraph they induce (the node-based
 * neighbourhood of Minoux).  On dense graphs the induced subgraph offers
 * edges the tree never used. */
gboolean
ngam_steiner_vertex_elimination (Solver *s)
{
  const NgamGraph *g = s->g;
  gboolean any = FALSE, changed = TRUE;

  while (changed && !ngam_solver_should_stop (s))
    {
      g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GArray) induced = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GArray) mst = g_array_new (FALSE, FALSE, sizeof (guint));
      double cost = ngam_tree_cost (s);
      guint mk = ngam_solver_next_mark (s);

      changed = FALSE;
      for (guint i = 0; i < s->tedges->len; i++)
        for (int k = 0; k < 2; k++)
          {
            guint v = g->edge_uv[2 * g_array_index (s->tedges, guint, i) + k];

            if (s->mark[v] != mk)
              {
                s->mark[v] = mk;
                g_array_append_val (nodes, v);
              }
          }
      for (guint i = 0; i < nodes->len; i++)
        {
          guint v = g_array_index (nodes, guint, i);

          for (guint k = g->adj_start[v]; k < g->adj_start[v + 1]; k++)
            {
              guint e = g->adj_edge[k], u = g->adj_node[k];

              if (s->mark[u] == mk && g->edge_uv[2 * e] == v && u != v && isfinite (s->w[e]))
                g_array_append_val (induced, e);
            }
        }
      g_qsort_with_data (induced->data, induced->len, sizeof (guint), cmp_cost_edge, s->w);
      for (guint c = 0; c < nodes->len && !changed && !ngam_solver_should_stop (s); c++)
        {
          guint v = g_array_index (nodes, guint, c), joined = 0;

          if (s->is_term[v] || s->deg[v] < 2)
            continue;
          for (guint i = 0; i < nodes->len; i++)
            {
              guint x = g_array_index (nodes, guint, i);

              s->uf.parent[x] = x;
              s->uf.size[x] = 1;
            }
          g_array_set_size (mst, 0);
          for (guint i = 0; i < induced->len && joined + 2 < nodes->len; i++)
            {
              guint e = g_array_index (induced, guint, i);

              if (g->edge_uv[2 * e] == v || g->edge_uv[2 * e + 1] == v)
                continue;
              if (ngam_uf_union (&s->uf, g->edge_uv[2 * e], g->edge_uv[2 * e + 1]))
                {
                  g_array_append_val (mst, e);
                  joined++;
                }
            }
          if (joined + 2 < nodes->len)
            continue;   /* the other nodes do not span without v */
          {
            g_autoptr(GArray) old = g_array_copy (s->tedges);

            ngam_tree_set (s, (guint *) mst->data, mst->len);
            ngam_tree_prune (s);
            if (ngam_tree_cost (s) < cost - gain_eps (cost))
              changed = any = TRUE;
            else
              ngam_tree_set (s, (guint *) old->data, old->len);
          }
        }
    }
  return any;
}

/* Rounds of the neighbourhoods and the MST step until none gains.  The
 * Voronoi key-path exchange handles every key path in one search and goes
 * first, with vertex insertion (and, on dense graphs, elimination); once
 * they are stuck, the per-path exchange (which also finds replacements
 * through the removed path's own nodes, on graphs small enough for it) and
 * then key-vertex elimination, the costliest. */
void
ngam_steiner_local_search (Solver *s)
{
  gboolean dense = s->m >= 3 * (guint64) s->n;

  while (!ngam_solver_should_stop (s))
    {
      gboolean improved = FALSE;

      improved |= ngam_tree_mst_prune (s);
      improved |= ngam_steiner_key_path_voronoi (s);
      improved |= ngam_steiner_vertex_insertion (s);
      if (dense)
        improved |= ngam_steiner_vertex_elimination (s);
      if (!improved)
        improved = ngam_steiner_key_path_exchange (s);
      if (!improved)
        improved = ngam_steiner_key_vertex_elimination (s);
      if (!improved)
        break;
    }
}
