/* ngam-steiner-tree.c — the Steiner solver's tree: edges, degrees,
 * pruning, MST of the spanned nodes, rooting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-net"

#include "config.h"

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
