/* ngam-steiner-tree.c — the Steiner solver's tree: edges, degrees,
 * pruning, MST of the spanned nodes, rooting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-net"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-steiner-private.h"

void
ngam_search_init (Search *s, guint n)
{
  s->dist = g_new (double, MAX (n, 1));
  s->pred = g_new (guint, MAX (n, 1));
  s->label = g_new (guint, MAX (n, 1));
  s->stamp = g_new0 (guint, MAX (n, 1));
  s->gen = 0;
  s->touched = NULL;
}

void
ngam_search_clear (Search *s)
{
  g_clear_pointer (&s->dist, g_free);
  g_clear_pointer (&s->pred, g_free);
  g_clear_pointer (&s->label, g_free);
  g_clear_pointer (&s->stamp, g_free);
  g_clear_pointer (&s->touched, g_array_unref);
  ngam_heap_free (&s->heap);
}

void
ngam_search_begin (Search *s, guint n)
{
  if (++s->gen == 0)
    {
      memset (s->stamp, 0, sizeof (guint) * MAX (n, 1));
      s->gen = 1;
    }
  ngam_heap_clear (&s->heap);
  if (s->touched)
    g_array_set_size (s->touched, 0);
}

/* Dial's buckets (1969), as wide as the cheapest edge, when every usable
 * edge costs something: see the router's choose_buckets(). */
void
ngam_solver_choose_buckets (Solver *s)
{
  double lo = INFINITY, hi = 0;

  s->delta = 0;
  s->n_buckets = 0;
  for (guint e = 0; e < s->m; e++)
    if (isfinite (s->w[e]))
      {
        lo = MIN (lo, s->w[e]);
        hi = MAX (hi, s->w[e]);
      }
  if (!(lo > 0) || !isfinite (lo) || hi / lo > (1 << 20))
    return;
  s->delta = lo * (1 - 1e-9);
  s->n_buckets = (guint) ceil (hi / s->delta) + 2;
  s->bucket = g_new0 (guint *, s->n_buckets);
  s->bucket_len = g_new0 (guint, s->n_buckets);
  s->bucket_cap = g_new0 (guint, s->n_buckets);
}

void
ngam_solver_free_buckets (Solver *s)
{
  for (guint b = 0; s->bucket && b < s->n_buckets; b++)
    g_free (s->bucket[b]);
  g_clear_pointer (&s->bucket, g_free);
  g_clear_pointer (&s->bucket_len, g_free);
  g_clear_pointer (&s->bucket_cap, g_free);
}

static inline guint
bucket_of (const Solver *s, double d)
{
  return (guint) ((guint64) (d / s->delta) % s->n_buckets);
}

static inline void
bucket_push (Solver *s, guint b, guint v)
{
  if (s->bucket_len[b] == s->bucket_cap[b])
    {
      s->bucket_cap[b] = s->bucket_cap[b] ? 2 * s->bucket_cap[b] : 64;
      s->bucket[b] = g_renew (guint, s->bucket[b], s->bucket_cap[b]);
    }
  s->bucket[b][s->bucket_len[b]++] = v;
}

/* Runs a Dijkstra from the nodes already seeded in @q (search_set() and a
 * push on its heap) over the solver's costs, reaching only costs below
 * @bound; with @labels, each node inherits the label of the node it was
 * reached from (Voronoi regions).  Dial's buckets when the costs allow,
 * the heap otherwise.  With @may_stop, it gives up (FALSE) when the time
 * limit passes, so that a move never overruns it by a whole search. */
gboolean
ngam_search_run (Solver *s, Search *q, double bound, gboolean labels, gboolean may_stop)
{
  const NgamGraph *g = s->g;
  const guint *adj_start = g->adj_start, *adj_node = g->adj_node, *adj_edge = g->adj_edge;
  guint tick = 0;

  if (s->n_buckets == 0)
    {
      while (q->heap.len > 0)
        {
          NgamHeapItem it = ngam_heap_pop (&q->heap);
          guint v = it.node;

          if (it.key > q->dist[v])
            continue;
          if (may_stop && (++tick & 4095) == 0 && ngam_solver_should_stop (s))
            {
              ngam_heap_clear (&q->heap);
              return FALSE;
            }
          for (guint k = adj_start[v]; k < adj_start[v + 1]; k++)
            {
              guint u = adj_node[k];
              double nd = it.key + s->w[adj_edge[k]];

              if (nd < bound && nd < search_dist (q, u))
                {
                  search_set (q, u, nd, adj_edge[k], labels ? q->label[v] : 0);
                  ngam_heap_push (&q->heap, nd, u);
                }
            }
        }
      return TRUE;
    }
  {
    guint empty = 0;
    guint64 cur = G_MAXUINT64;

    /* the seeds into their buckets, from the cheapest */
    for (gsize i = 0; i < q->heap.len; i++)
      {
        guint v = q->heap.items[i].node;
        guint64 idx = (guint64) (q->dist[v] / s->delta);

        if (q->heap.items[i].key > q->dist[v])
          continue;
        cur = MIN (cur, idx);
        bucket_push (s, bucket_of (s, q->dist[v]), v);
      }
    ngam_heap_clear (&q->heap);
    if (cur == G_MAXUINT64)
      return TRUE;
    while (empty < s->n_buckets)
      {
        guint b = (guint) (cur++ % s->n_buckets);

        if (s->bucket_len[b] == 0)
          {
            empty++;
            continue;
          }
        empty = 0;
        tick += s->bucket_len[b];
        if (may_stop && tick > 4096)
          {
            tick = 0;
            if (ngam_solver_should_stop (s))
              {
                for (guint i = 0; i < s->n_buckets; i++)
                  s->bucket_len[i] = 0;
                return FALSE;
              }
          }
        for (guint i = 0; i < s->bucket_len[b]; i++)
          {
            guint v = s->bucket[b][i];
            double dv = q->dist[v];

            /* an entry left behind by a cheaper later one */
            if (bucket_of (s, dv) != b)
              continue;
            for (guint k = adj_start[v]; k < adj_start[v + 1]; k++)
              {
                guint u = adj_node[k];
                double nd = dv + s->w[adj_edge[k]];

                if (nd < bound && nd < search_dist (q, u))
                  {
                    search_set (q, u, nd, adj_edge[k], labels ? q->label[v] : 0);
                    bucket_push (s, bucket_of (s, nd), u);
                  }
              }
          }
        s->bucket_len[b] = 0;
      }
  }
  return TRUE;
}

guint
ngam_solver_next_mark (Solver *s)
{
  if (++s->mark_gen == 0)
    {
      memset (s->mark, 0, sizeof (guint) * MAX (s->n, 1));
      s->mark_gen = 1;
    }
  return s->mark_gen;
}

/* Checked between moves: the time limit and Ctrl-C end the search with the
 * best tree so far. */
gboolean
ngam_solver_should_stop (Solver *s)
{
  if (s->stopped)
    return TRUE;
  if (g_cancellable_is_cancelled (s->cancellable) || ngam_net_now () > s->deadline)
    s->stopped = TRUE;
  return s->stopped;
}

void
ngam_tree_clear (Solver *s)
{
  for (guint i = 0; i < s->tedges->len; i++)
    {
      guint e = g_array_index (s->tedges, guint, i);

      if (s->in_tree[e])
        {
          s->in_tree[e] = 0;
          s->deg[s->g->edge_uv[2 * e]] = 0;
          s->deg[s->g->edge_uv[2 * e + 1]] = 0;
        }
    }
  g_array_set_size (s->tedges, 0);
}

void
ngam_tree_add (Solver *s, guint e)
{
  if (s->in_tree[e])
    return;
  s->in_tree[e] = 1;
  s->deg[s->g->edge_uv[2 * e]]++;
  s->deg[s->g->edge_uv[2 * e + 1]]++;
  g_array_append_val (s->tedges, e);
}

void
ngam_tree_remove (Solver *s, guint e)
{
  if (!s->in_tree[e])
    return;
  s->in_tree[e] = 0;
  s->deg[s->g->edge_uv[2 * e]]--;
  s->deg[s->g->edge_uv[2 * e + 1]]--;
}

void
ngam_tree_compact (Solver *s)
{
  guint out = 0;

  for (guint i = 0; i < s->tedges->len; i++)
    {
      guint e = g_array_index (s->tedges, guint, i);

      if (s->in_tree[e] == 1)
        {
          s->in_tree[e] = 2;   /* seen: drops duplicates */
          g_array_index (s->tedges, guint, out++) = e;
        }
    }
  g_array_set_size (s->tedges, out);
  for (guint i = 0; i < out; i++)
    s->in_tree[g_array_index (s->tedges, guint, i)] = 1;
}

double
ngam_tree_cost (Solver *s)
{
  double c = 0;

  ngam_tree_compact (s);
  for (guint i = 0; i < s->tedges->len; i++)
    c += s->w[g_array_index (s->tedges, guint, i)];
  return c;
}

void
ngam_tree_set (Solver *s, const guint *edges, guint n)
{
  ngam_tree_clear (s);
  for (guint i = 0; i < n; i++)
    ngam_tree_add (s, edges[i]);
}

/* Removes non-terminal leaves until none is left. */
void
ngam_tree_prune (Solver *s)
{
  const NgamGraph *g = s->g;
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));

  ngam_tree_compact (s);
  for (guint i = 0; i < s->tedges->len; i++)
    {
      guint e = g_array_index (s->tedges, guint, i);

      for (int k = 0; k < 2; k++)
        {
          guint v = g->edge_uv[2 * e + k];

          if (s->deg[v] == 1 && !s->is_term[v])
            g_array_append_val (stack, v);
        }
    }
  while (stack->len > 0)
    {
      guint v = g_array_index (stack, guint, stack->len - 1);

      g_array_set_size (stack, stack->len - 1);
      if (s->deg[v] != 1 || s->is_term[v])
        continue;
      for (guint k = g->adj_start[v]; k < g->adj_start[v + 1]; k++)
        {
          guint e = g->adj_edge[k];

          if (s->in_tree[e])
            {
              guint u = g->adj_node[k];

              ngam_tree_remove (s, e);
              if (s->deg[u] == 1 && !s->is_term[u])
                g_array_append_val (stack, u);
              break;
            }
        }
    }
  ngam_tree_compact (s);
}

static int
cmp_edge_cost (const void *a, const void *b, gpointer data)
{
  const double *w = data;
  guint x = *(const guint *) a, y = *(const guint *) b;

  if (w[x] != w[y])
    return w[x] < w[y] ? -1 : 1;
  return x < y ? -1 : x > y;
}

/* Replaces the tree by a minimum spanning tree of the subgraph its nodes
 * induce, then prunes: never worse, often better after a construction
 * (the classic last step of the shortest-path heuristic). */
gboolean
ngam_tree_mst_prune (Solver *s)
{
  const NgamGraph *g = s->g;
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) cand = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) mst = g_array_new (FALSE, FALSE, sizeof (guint));
  double before = ngam_tree_cost (s), after;
  guint mk = ngam_solver_next_mark (s);

  for (guint i = 0; i < s->tedges->len; i++)
    {
      guint e = g_array_index (s->tedges, guint, i);

      for (int k = 0; k < 2; k++)
        {
          guint v = g->edge_uv[2 * e + k];

          if (s->mark[v] != mk)
            {
              s->mark[v] = mk;
              g_array_append_val (nodes, v);
              s->uf.parent[v] = v;
              s->uf.size[v] = 1;
            }
        }
    }
  for (guint i = 0; i < nodes->len; i++)
    {
      guint v = g_array_index (nodes, guint, i);

      for (guint k = g->adj_start[v]; k < g->adj_start[v + 1]; k++)
        {
          guint e = g->adj_edge[k], u = g->adj_node[k];

          /* each edge once, from its u end */
          if (s->mark[u] == mk && u != v && g->edge_uv[2 * e] == v && isfinite (s->w[e]))
            g_array_append_val (cand, e);
        }
    }
  g_qsort_with_data (cand->data, cand->len, sizeof (guint), cmp_edge_cost, s->w);
  for (guint i = 0; i < cand->len && mst->len + 1 < nodes->len; i++)
    {
      guint e = g_array_index (cand, guint, i);

      if (ngam_uf_union (&s->uf, g->edge_uv[2 * e], g->edge_uv[2 * e + 1]))
        g_array_append_val (mst, e);
    }
  {
    /* keep the old tree if the MST is not better (equal costs: no churn) */
    g_autoptr(GArray) old = g_array_copy (s->tedges);

    ngam_tree_set (s, (guint *) mst->data, mst->len);
    ngam_tree_prune (s);
    after = ngam_tree_cost (s);
    if (after < before - 1e-9 * (1 + before))
      return TRUE;
    ngam_tree_set (s, (guint *) old->data, old->len);
    return FALSE;
  }
}

gboolean
ngam_tree_is_key (Solver *s, guint v)
{
  return s->is_term[v] || s->deg[v] >= 3;
}

/* Roots the tree at @root (G_MAXUINT: a terminal of the tree): parent
 * edges and the preorder, so that "is u below x" is
 * tin[x] ≤ tin[u] < tout[x]. */
void
ngam_tree_root (Solver *s, guint root)
{
  const NgamGraph *g = s->g;
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));

  ngam_tree_compact (s);
  g_array_set_size (s->order, 0);
  for (guint i = 0; i < s->tedges->len && root == G_MAXUINT; i++)
    {
      guint e = g_array_index (s->tedges, guint, i);

      if (s->is_term[g->edge_uv[2 * e]])
        root = g->edge_uv[2 * e];
      else if (s->is_term[g->edge_uv[2 * e + 1]])
        root = g->edge_uv[2 * e + 1];
    }
  if (root == G_MAXUINT)
    return;
  s->parent[root] = G_MAXUINT;
  g_array_append_val (stack, root);
  /* Iterative DFS; a node's tout is set when its subtree is done, which
   * the preorder gives as the order length when the stack pops back. */
  while (stack->len > 0)
    {
      guint v = g_array_index (stack, guint, stack->len - 1);

      if (v & 0x80000000u)
        {
          v &= 0x7fffffffu;
          s->tout[v] = s->order->len;
          g_array_set_size (stack, stack->len - 1);
          continue;
        }
      g_array_index (stack, guint, stack->len - 1) = v | 0x80000000u;
      s->tin[v] = s->order->len;
      g_array_append_val (s->order, v);
      for (guint k = g->adj_start[v]; k < g->adj_start[v + 1]; k++)
        {
          guint e = g->adj_edge[k], u = g->adj_node[k];

          if (s->in_tree[e] && e != s->parent[v])
            {
              s->parent[u] = e;
              g_array_append_val (stack, u);
            }
        }
    }
}
