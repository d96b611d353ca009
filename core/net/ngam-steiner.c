/* ngam-steiner.c — Steiner trees: constructions, multi-start, pre-paid
 * edges and the prize-collecting form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first tree comes from Mehlhorn's construction (A faster
 * approximation algorithm for the Steiner problem in graphs, IPL 1988):
 * one multi-source Dijkstra splits the graph into the terminals' Voronoi
 * regions, a minimum spanning tree over the edges between regions picks
 * which terminals to join, and the region paths are expanded — a
 * 2-approximation in O(m log n).  Local search (ngam-steiner-search.c)
 * then improves it.  While time remains, further trees are built with the
 * shortest-path heuristic of Takahashi and Matsuyama (1980) from other
 * roots, on slightly perturbed costs to leave the last local optimum
 * (the multi-start of Ribeiro, Uchoa and Werneck, 2002), and the best tree
 * is kept.
 *
 * Pre-paid edges (existing ducts) simply cost nothing.  The prize-
 * collecting form (leave a terminal out and pay its prize instead) grows
 * the tree greedily while a terminal is worth more than its distance to
 * the tree, improves it by local search, then applies the "strong prune"
 * dynamic programme of Johnson, Minkoff and Phillips (SODA 2000), which
 * cuts every subtree whose prizes do not pay for it.
 */
#define G_LOG_DOMAIN "ngam-net"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-steiner-private.h"
#include "ngam-steiner-reduce.h"

void
ngam_steiner_result_free (NgamSteinerResult *r)
{
  if (r == NULL)
    return;
  g_array_unref (r->edges);
  g_array_unref (r->left_out);
  g_free (r);
}

static void
solver_clear (Solver *s)
{
  g_free (s->w);
  g_free (s->is_term);
  if (s->terms)
    g_array_unref (s->terms);
  ngam_search_clear (&s->s1);
  ngam_search_clear (&s->s2);
  g_free (s->in_tree);
  g_free (s->deg);
  if (s->tedges)
    g_array_unref (s->tedges);
  g_free (s->parent);
  g_free (s->tin);
  g_free (s->tout);
  if (s->order)
    g_array_unref (s->order);
  g_free (s->mark);
  ngam_uf_clear (&s->uf);
  ngam_solver_free_buckets (s);
  if (s->rand)
    g_rand_free (s->rand);
}

static gboolean
solver_init (Solver           *s,
             const NgamGraph  *g,
             const double     *costs,
             const gboolean   *prepaid,
             GError          **error)
{
  guint n = g->n_nodes, m = g->n_edges;

  memset (s, 0, sizeof *s);
  if (n >= 0x80000000u)
    {
      g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_TOO_LARGE,
                   "a graph of %u nodes is more than the Steiner solver can index", n);
      return FALSE;
    }
  if (!ngam_net_check_memory ((guint64) n * 90 + (guint64) m * 24, "the Steiner tree search", error))
    return FALSE;
  memset (s, 0, sizeof *s);
  s->g = g;
  s->n = n;
  s->m = m;
  s->w = g_new (double, MAX (m, 1));
  for (guint e = 0; e < m; e++)
    {
      double c = costs ? costs[e] : g->edge[e].length;

      if (!(c >= 0))
        {
          g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_INVALID,
                       "edge %u costs %g; costs must be 0 or more", e, c);
          return FALSE;
        }
      s->w[e] = prepaid && prepaid[e] && isfinite (c) ? 0 : c;
      if (g->edge_uv[2 * e] == g->edge_uv[2 * e + 1])
        s->w[e] = INFINITY;   /* a loop never helps a tree */
    }
  s->is_term = g_new0 (guint8, MAX (n, 1));
  s->terms = g_array_new (FALSE, FALSE, sizeof (guint));
  ngam_search_init (&s->s1, n);
  ngam_search_init (&s->s2, n);
  s->s2.touched = g_array_new (FALSE, FALSE, sizeof (guint));
  s->in_tree = g_new0 (guint8, MAX (m, 1));
  s->deg = g_new0 (guint, MAX (n, 1));
  s->tedges = g_array_new (FALSE, FALSE, sizeof (guint));
  s->parent = g_new (guint, MAX (n, 1));
  s->tin = g_new (guint, MAX (n, 1));
  s->tout = g_new (guint, MAX (n, 1));
  s->order = g_array_new (FALSE, FALSE, sizeof (guint));
  s->mark = g_new0 (guint, MAX (n, 1));
  ngam_uf_init (&s->uf, n);
  return TRUE;
}

static void
set_terminals (Solver *s, const guint *t, guint n)
{
  for (guint i = 0; i < s->terms->len; i++)
    s->is_term[g_array_index (s->terms, guint, i)] = 0;
  g_array_set_size (s->terms, 0);
  for (guint i = 0; i < n; i++)
    if (!s->is_term[t[i]])
      {
        s->is_term[t[i]] = 1;
        g_array_append_val (s->terms, t[i]);
      }
}

/* The least-cost test (Duin and Volgenant, 1989): an edge longer than
 * another path between its ends is in no optimal tree, since swapping it
 * for the path would be cheaper.  A Dijkstra from each node bounded by its
 * longest edge finds them; on dense graphs (SteinLib C16–C20 have 25 edges
 * per node) most edges go, and every later search is faster for it.
 * Road graphs are sparse and keep nearly all their edges, so they skip
 * this.  Each search stops after LEAST_COST_POPS settled nodes (a search
 * cut short only finds fewer edges to drop): with small integer weights
 * the longest edge's radius takes in most of a dense graph, and 2,500
 * full searches over SteinLib E-like graphs of 62,500 edges took 0.5 s
 * of a 3 s budget (5 s on a loaded machine, past the limit). */
#define LEAST_COST_POPS 256

static guint
reduce_least_cost (Solver *s)
{
  const NgamGraph *g = s->g;
  Search *q = &s->s1;
  guint removed = 0;

  if (s->m < 3 * (guint64) s->n)
    return 0;
  for (guint u = 0; u < s->n; u++)
    {
      double bound = 0;
      guint pops = 0;

      /* a deadline reached here leaves the rest of the edges as they are */
      if ((u & 63) == 0 && (ngam_net_now () > s->deadline || g_cancellable_is_cancelled (s->cancellable)))
        break;

      for (guint k = g->adj_start[u]; k < g->adj_start[u + 1]; k++)
        if (isfinite (s->w[g->adj_edge[k]]))
          bound = MAX (bound, s->w[g->adj_edge[k]]);
      ngam_search_begin (q, s->n);
      search_set (q, u, 0, G_MAXUINT, 0);
      ngam_heap_push (&q->heap, 0, u);
      while (q->heap.len > 0)
        {
          NgamHeapItem it = ngam_heap_pop (&q->heap);

          if (it.key > q->dist[it.node])
            continue;
          if (++pops > LEAST_COST_POPS)
            break;
          for (guint k = g->adj_start[it.node]; k < g->adj_start[it.node + 1]; k++)
            {
              guint v = g->adj_node[k];
              double nd = it.key + s->w[g->adj_edge[k]];

              if (nd <= bound && nd < search_dist (q, v))
                {
                  search_set (q, v, nd, g->adj_edge[k], 0);
                  ngam_heap_push (&q->heap, nd, v);
                }
            }
        }
      for (guint k = g->adj_start[u]; k < g->adj_start[u + 1]; k++)
        {
          guint e = g->adj_edge[k];

          if (isfinite (s->w[e]) && search_dist (q, g->adj_node[k]) < s->w[e])
            {
              s->w[e] = INFINITY;
              removed++;
            }
        }
    }
  return removed;
}

/* --- constructions ------------------------------------------------------ */

/* Shortest-path heuristic from @root with costs @wc: repeatedly joins the
 * terminal nearest to the tree.  Distances to the tree only shrink as it
 * grows, so one Dijkstra is continued from each new path rather than
 * restarted. */
gboolean
ngam_steiner_sph (Solver       *s,
                  guint         root,
                  const double *wc)
{
  const NgamGraph *g = s->g;
  Search *q = &s->s1;
  NgamHeap th = { 0 };
  guint mk = ngam_solver_next_mark (s), left = s->terms->len;

  ngam_tree_clear (s);
  ngam_search_begin (q, s->n);
  s->mark[root] = mk;
  if (s->is_term[root])
    left--;
  search_set (q, root, 0, G_MAXUINT, 0);
  ngam_heap_push (&q->heap, 0, root);
  while (left > 0)
    {
      NgamHeapItem best = { INFINITY, G_MAXUINT };

      while (q->heap.len > 0)
        {
          NgamHeapItem it = ngam_heap_pop (&q->heap);
          guint v = it.node;

          if (it.key > q->dist[v])
            continue;
          for (guint k = g->adj_start[v]; k < g->adj_start[v + 1]; k++)
            {
              guint u = g->adj_node[k];
              double nd = it.key + wc[g->adj_edge[k]];

              if (nd < search_dist (q, u))
                {
                  search_set (q, u, nd, g->adj_edge[k], 0);
                  ngam_heap_push (&q->heap, nd, u);
                  if (s->is_term[u] && s->mark[u] != mk)
                    ngam_heap_push (&th, nd, u);
                }
            }
        }
      while (th.len > 0)
        {
          NgamHeapItem it = ngam_heap_pop (&th);

          if (s->mark[it.node] != mk && it.key == search_dist (q, it.node))
            {
              best = it;
              break;
            }
        }
      if (best.node == G_MAXUINT)
        {
          ngam_heap_free (&th);
          return FALSE;   /* a terminal is unreachable */
        }
      for (guint v = best.node; s->mark[v] != mk;)
        {
          guint e = q->pred[v];

          s->mark[v] = mk;
          if (s->is_term[v])
            left--;
          search_set (q, v, 0, G_MAXUINT, 0);
          ngam_heap_push (&q->heap, 0, v);
          ngam_tree_add (s, e);
          v = ngam_graph_edge_other (g, e, v);
        }
    }
  ngam_heap_free (&th);
  return TRUE;
}

typedef struct
{
  double cost;
  guint  edge;
} Bridge;

static int
cmp_bridge (const void *a, const void *b)
{
  const Bridge *x = a, *y = b;

  if (x->cost != y->cost)
    return x->cost < y->cost ? -1 : 1;
  return x->edge < y->edge ? -1 : x->edge > y->edge;
}

/* Mehlhorn's construction over the true costs. */
gboolean
ngam_steiner_mehlhorn (Solver *s)
{
  const NgamGraph *g = s->g;
  Search *q = &s->s1;
  g_autoptr(GArray) bridges = g_array_new (FALSE, FALSE, sizeof (Bridge));
  guint joined = 0;

  ngam_tree_clear (s);
  ngam_search_begin (q, s->n);
  for (guint i = 0; i < s->terms->len; i++)
    {
      guint t = g_array_index (s->terms, guint, i);

      search_set (q, t, 0, G_MAXUINT, i);
      ngam_heap_push (&q->heap, 0, t);
      s->uf.parent[i] = i;
      s->uf.size[i] = 1;
    }
  ngam_search_run (s, q, INFINITY, TRUE, FALSE);
  for (guint e = 0; e < s->m; e++)
    {
      guint u = g->edge_uv[2 * e], v = g->edge_uv[2 * e + 1];
      Bridge b;

      if (!isfinite (s->w[e]) || search_dist (q, u) == INFINITY || search_dist (q, v) == INFINITY ||
          q->label[u] == q->label[v])
        continue;
      b.cost = q->dist[u] + s->w[e] + q->dist[v];
      b.edge = e;
      g_array_append_val (bridges, b);
    }
  if (bridges->len > 1)
    qsort (bridges->data, bridges->len, sizeof (Bridge), cmp_bridge);
  /* Kruskal over the terminals (the union-find is indexed by terminal) */
  for (guint i = 0; i < bridges->len && joined + 1 < s->terms->len; i++)
    {
      guint e = g_array_index (bridges, Bridge, i).edge;
      guint u = g->edge_uv[2 * e], v = g->edge_uv[2 * e + 1];

      if (!ngam_uf_union (&s->uf, q->label[u], q->label[v]))
        continue;
      joined++;
      ngam_tree_add (s, e);
      for (int k = 0; k < 2; k++)
        for (guint x = g->edge_uv[2 * e + k]; q->pred[x] != G_MAXUINT;)
          {
            guint pe = q->pred[x];

            ngam_tree_add (s, pe);
            x = ngam_graph_edge_other (g, pe, x);
          }
    }
  return joined + 1 >= s->terms->len;
}

/* --- the multi-start ---------------------------------------------------- */

typedef struct
{
  const NgamSteinerOptions *opt;
  NgamProgressFunc          progress;
  gpointer                  progress_data;
  double                    t0;
  guint                     n_starts;
  double                    first_cost;
  double                    lower;      /* proven bound: a tree this cheap is optimal */
  SteinerDual              *dual;       /* (nullable): the bound's reduced costs */
  double                    limit;
  guint                     eliminated;
  double                    fixed;      /* cost outside the instance solved (reductions) */
  gboolean                  whole;      /* every cost whole: so is the optimum */
} Run;

/* The bound @b of the instance solved as run->lower: rounded up when the
 * optimum (fixed part included) is whole. */
static void
run_set_lower (Run *run, double b)
{
  run->lower = run->whole ? ceil (b + run->fixed - 1e-6) - run->fixed : b - 1e-12 * fabs (b);
}

/* The elite pool: the best distinct trees found, cheapest first. */
#define ELITE_SIZE 8

typedef struct
{
  double  cost;
  GArray *edges;
} Elite;

static void
elite_clear (gpointer data)
{
  Elite *el = data;

  g_array_unref (el->edges);
}

static void
elite_offer (GArray *pool, double cost, GArray *edges)
{
  Elite el;
  guint at = pool->len;

  for (guint i = 0; i < pool->len; i++)
    {
      Elite *o = &g_array_index (pool, Elite, i);

      if (fabs (o->cost - cost) <= 1e-9 * (1 + cost) && o->edges->len == edges->len)
        return;   /* most likely the same tree */
      if (cost < o->cost && at == pool->len)
        at = i;
    }
  if (at >= ELITE_SIZE)
    return;
  el.cost = cost;
  el.edges = g_array_copy (edges);
  g_array_insert_val (pool, at, el);
  if (pool->len > ELITE_SIZE)
    g_array_remove_index (pool, pool->len - 1);
}

/* With a dual bound, each better tree lets reduced-cost elimination drop
 * edges no better tree can use; when that takes a good share of them,
 * the ascent is run again on what is left, which may raise the bound. */
static void
use_upper_bound (Solver *s, Run *run, double upper)
{
  guint removed, left = 0;

  if (run->dual == NULL)
    return;
  removed = ngam_steiner_dual_eliminate (s, run->dual, upper);
  run->eliminated += removed;
  for (guint e = 0; e < s->m; e++)
    left += isfinite (s->w[e]);
  if (removed > 0 && removed >= left / 10 && !ngam_solver_should_stop (s))
    {
      SteinerDual again = { 0 };

      ngam_steiner_dual_bound (s, 0.02 * run->limit, 2, &again);
      g_debug ("reduced-cost elimination: %u edges out, %u left; bound %.17g, again %.17g", removed, left,
               run->dual->bound, again.bound);
      if (again.bound > run->dual->bound)
        {
          run_set_lower (run, again.bound);
          ngam_steiner_dual_clear (run->dual);
          *run->dual = again;
          removed = ngam_steiner_dual_eliminate (s, run->dual, upper);
          run->eliminated += removed;
        }
      else
        ngam_steiner_dual_clear (&again);
    }
}

/* Connects s->terms; leaves the best tree in s and returns its cost.
 *
 * Starts cycle through four kinds: the shortest-path heuristic from a
 * random root on the true costs, the same on costs perturbed by up to a
 * quarter, — once there are two good trees — a recombination: the
 * heuristic run only over the union of two elite trees (on perturbed
 * costs), which keeps what good trees agree on and lets local search
 * settle the rest (solution recombination as in SCIP-Jack, Rehfeldt and
 * Koch), and the dual-ascent heuristic: the shortest-path heuristic over
 * the edges that a dual ascent (from a random root, on perturbed costs)
 * left at reduced cost 0.  The second start is that heuristic over the
 * bound's own ascent.  The search stops early once no start has gained
 * for a while, later when the gap to the bound is still large, at once
 * when the bound is reached. */
static double
solve_terminals (Solver *s, Run *run)
{
  g_autoptr(GArray) pool = g_array_new (FALSE, FALSE, sizeof (Elite));
  g_autofree double *wc = NULL;
  g_autofree guint8 *in_union = NULL;
  guint nt = s->terms->len, since = 0, max_starts = run->opt->max_starts;
  guint stagnation = max_starts > 0 ? G_MAXUINT : MAX (32, MIN (nt, 128));

  g_array_set_clear_func (pool, elite_clear);
  ngam_tree_clear (s);
  if (nt < 2)
    return 0;
  for (guint start = 0; !ngam_solver_should_stop (s) || start == 0; start++)
    {
      double c;

      if (max_starts > 0 && start >= max_starts)
        break;
      if (since >= stagnation)
        break;
      if (pool->len > 0 && g_array_index (pool, Elite, 0).cost <= run->lower)
        break;   /* proven optimal */
      if (start == 0)
        {
          if (!ngam_steiner_mehlhorn (s))
            return INFINITY;
        }
      else
        {
          guint root = g_array_index (s->terms, guint, g_rand_int_range (s->rand, 0, nt));
          guint kind = start % 4;
          double amp = kind == 1 ? 0 : 0.25 * g_rand_double (s->rand);
          gboolean guided = FALSE;

          if (wc == NULL)
            {
              wc = g_new (double, MAX (s->m, 1));
              in_union = g_new0 (guint8, MAX (s->m, 1));
            }
          if (run->dual && run->dual->graph && (start == 1 || kind == 3))
            {
              if (start == 1)
                {
                  root = run->dual->graph->root;
                  ngam_steiner_dual_saturated (s, run->dual->rc, wc);
                  guided = TRUE;
                }
              else
                guided = ngam_steiner_dual_guide (s, root, amp, wc);
            }
          if (guided)
            {
              if (!ngam_steiner_sph (s, root, wc))
                guided = FALSE;   /* an ascent cut short: the plain heuristic */
              else
                amp = -1;
            }
          if (amp < 0)
            ;
          else if (kind == 0 && pool->len >= 2)
            {
              guint a = g_rand_int_range (s->rand, 0, pool->len);
              guint b = (a + 1 + g_rand_int_range (s->rand, 0, pool->len - 1)) % pool->len;
              Elite *ea = &g_array_index (pool, Elite, a), *eb = &g_array_index (pool, Elite, b);

              for (guint i = 0; i < ea->edges->len; i++)
                in_union[g_array_index (ea->edges, guint, i)] = 1;
              for (guint i = 0; i < eb->edges->len; i++)
                in_union[g_array_index (eb->edges, guint, i)] = 1;
              for (guint e = 0; e < s->m; e++)
                wc[e] = in_union[e] ? s->w[e] * (1 + 0.1 * g_rand_double (s->rand)) : INFINITY;
              for (guint i = 0; i < ea->edges->len; i++)
                in_union[g_array_index (ea->edges, guint, i)] = 0;
              for (guint i = 0; i < eb->edges->len; i++)
                in_union[g_array_index (eb->edges, guint, i)] = 0;
            }
          else
            for (guint e = 0; e < s->m; e++)
              wc[e] = amp > 0 ? s->w[e] * (1 + amp * g_rand_double (s->rand)) : s->w[e];
          if (amp >= 0 && !ngam_steiner_sph (s, root, wc))
            return INFINITY;
        }
      ngam_tree_prune (s);
      if (start == 0)
        run->first_cost = ngam_tree_cost (s);
      ngam_steiner_local_search (s);
      c = ngam_tree_cost (s);
      run->n_starts++;
      since++;
      if (pool->len == 0 || c < g_array_index (pool, Elite, 0).cost - 1e-9 * (1 + c))
        {
          since = 0;
          elite_offer (pool, c, s->tedges);
          use_upper_bound (s, run, c);
          /* a large gap is worth more starts */
          if (max_starts == 0 && c > run->lower + 0.005 * c)
            stagnation = MAX (stagnation, 4 * MAX (32, MIN (nt, 128)));
          else if (max_starts == 0)
            stagnation = MAX (32, MIN (nt, 128));
        }
      else
        elite_offer (pool, c, s->tedges);
      if (run->progress && run->opt->time_limit > 0)
        run->progress (MIN (1.0, (ngam_net_now () - run->t0) / run->opt->time_limit),
                       "searching", run->progress_data);
    }
  if (pool->len == 0)
    return INFINITY;
  ngam_tree_set (s, (guint *) g_array_index (pool, Elite, 0).edges->data,
                 g_array_index (pool, Elite, 0).edges->len);
  return g_array_index (pool, Elite, 0).cost;
}

/* --- prize-collecting --------------------------------------------------- */

/* Grows the current tree (or @root alone) by every optional terminal whose
 * prize exceeds its distance to the tree, nearest-profit first. */
static void
grow_profitable (Solver *s, guint root, const double *prize)
{
  const NgamGraph *g = s->g;
  Search *q = &s->s1;
  NgamHeap th = { 0 };
  guint mk = ngam_solver_next_mark (s);

  ngam_search_begin (q, s->n);
  ngam_tree_compact (s);
  s->mark[root] = mk;
  search_set (q, root, 0, G_MAXUINT, 0);
  ngam_heap_push (&q->heap, 0, root);
  for (guint i = 0; i < s->tedges->len; i++)
    for (int k = 0; k < 2; k++)
      {
        guint v = g->edge_uv[2 * g_array_index (s->tedges, guint, i) + k];

        if (s->mark[v] != mk)
          {
            s->mark[v] = mk;
            search_set (q, v, 0, G_MAXUINT, 0);
            ngam_heap_push (&q->heap, 0, v);
          }
      }
  while (TRUE)
    {
      NgamHeapItem best = { INFINITY, G_MAXUINT };

      while (q->heap.len > 0)
        {
          NgamHeapItem it = ngam_heap_pop (&q->heap);
          guint v = it.node;

          if (it.key > q->dist[v])
            continue;
          for (guint k = g->adj_start[v]; k < g->adj_start[v + 1]; k++)
            {
              guint u = g->adj_node[k];
              double nd = it.key + s->w[g->adj_edge[k]];

              if (nd < search_dist (q, u))
                {
                  search_set (q, u, nd, g->adj_edge[k], 0);
                  ngam_heap_push (&q->heap, nd, u);
                  if (prize[u] > nd && s->mark[u] != mk)
                    ngam_heap_push (&th, nd - prize[u], u);
                }
            }
        }
      while (th.len > 0)
        {
          NgamHeapItem it = ngam_heap_pop (&th);

          if (s->mark[it.node] != mk && it.key == search_dist (q, it.node) - prize[it.node])
            {
              best = it;
              break;
            }
        }
      if (best.node == G_MAXUINT || best.key >= 0)
        break;
      for (guint v = best.node; s->mark[v] != mk;)
        {
          guint e = q->pred[v];

          s->mark[v] = mk;
          search_set (q, v, 0, G_MAXUINT, 0);
          ngam_heap_push (&q->heap, 0, v);
          ngam_tree_add (s, e);
          v = ngam_graph_edge_other (g, e, v);
        }
    }
  ngam_heap_free (&th);
}

/* Strong prune: net(v) = prize(v) + Σ max(0, net(c) − w(v, c)) over the
 * tree rooted at @root; keeps the subtree whose top has the best net
 * (the root's when a terminal is required) and cuts every child whose net
 * does not pay for its edge. */
static guint
strong_prune (Solver *s, guint root, const double *prize, gboolean rooted)
{
  const NgamGraph *g = s->g;
  guint n_order, top;
  g_autofree double *net = NULL;
  g_autoptr(GArray) keep = g_array_new (FALSE, FALSE, sizeof (guint));
  double best = -INFINITY;

  ngam_tree_compact (s);
  if (s->tedges->len == 0)
    return root;
  ngam_tree_root (s, root);
  n_order = s->order->len;
  if (n_order == 0)
    return root;
  net = g_new (double, n_order);
  for (guint i = 0; i < n_order; i++)
    net[i] = prize[g_array_index (s->order, guint, i)];
  /* children come after their parents in preorder: sweep backwards */
  for (guint i = n_order; i-- > 1;)
    {
      guint v = g_array_index (s->order, guint, i), e = s->parent[v];
      guint p = ngam_graph_edge_other (g, e, v);
      double gain = net[i] - s->w[e];

      if (gain > 0)
        net[s->tin[p]] += gain;
    }
  top = root;
  if (!rooted)
    for (guint i = 0; i < n_order; i++)
      if (net[i] > best)
        {
          best = net[i];
          top = g_array_index (s->order, guint, i);
        }
  /* keep top's subtree minus unprofitable children */
  {
    guint lo = s->tin[top], hi = s->tout[top];
    guint mk = ngam_solver_next_mark (s);

    s->mark[top] = mk;
    for (guint i = lo + 1; i < hi; i++)
      {
        guint v = g_array_index (s->order, guint, i), e = s->parent[v];
        guint p = ngam_graph_edge_other (g, e, v);

        if (s->mark[p] == mk && net[i] - s->w[e] > 0)
          {
            s->mark[v] = mk;
            g_array_append_val (keep, e);
          }
      }
  }
  ngam_tree_set (s, (guint *) keep->data, keep->len);
  return top;
}

static double
pc_objective (Solver *s, guint root, const NgamSteinerOptions *opt, GArray *left_out, double *penalty)
{
  double cost = ngam_tree_cost (s), pen = 0;
  guint mk = ngam_solver_next_mark (s);

  if (root != G_MAXUINT)
    s->mark[root] = mk;
  for (guint i = 0; i < s->tedges->len; i++)
    {
      guint e = g_array_index (s->tedges, guint, i);

      s->mark[s->g->edge_uv[2 * e]] = mk;
      s->mark[s->g->edge_uv[2 * e + 1]] = mk;
    }
  if (left_out)
    g_array_set_size (left_out, 0);
  for (guint i = 0; i < opt->n_terminals; i++)
    {
      guint t = opt->terminals[i];

      if (s->mark[t] == mk)
        continue;
      pen += opt->prizes[i];
      if (left_out)
        g_array_append_val (left_out, t);
    }
  if (penalty)
    *penalty = pen;
  return cost + pen;
}

static void set_disconnected_error (GError **error, const NgamSteinerOptions *opt, const guint *comp);

/* From the tree in @s (or @root alone): grow by the profitable terminals,
 * improve by local search over the terminals spanned, strong-prune; again
 * while the objective drops.  Keeps the best tree in @best. */
static double
pc_improve (Solver *s, Run *run, const NgamSteinerOptions *opt, const double *prize, const GArray *req,
            gboolean rooted, guint *root, GArray *best, guint *best_root, double best_obj)
{
  const NgamGraph *g = s->g;

  for (guint round = 0; round < 8 && !ngam_solver_should_stop (s); round++)
    {
      g_autoptr(GArray) terms = g_array_copy ((GArray *) req);
      double obj;
      guint mk;

      grow_profitable (s, *root, prize);
      /* the terminals now spanned, the root first */
      mk = ngam_solver_next_mark (s);
      if (!rooted)
        g_array_prepend_val (terms, *root);
      for (guint i = 0; i < terms->len; i++)
        s->mark[g_array_index (terms, guint, i)] = mk;
      for (guint i = 0; i < s->tedges->len; i++)
        for (int k = 0; k < 2; k++)
          {
            guint v = g->edge_uv[2 * g_array_index (s->tedges, guint, i) + k];

            if (prize[v] > 0 && s->mark[v] != mk)
              {
                s->mark[v] = mk;
                g_array_append_val (terms, v);
              }
          }
      set_terminals (s, (guint *) terms->data, terms->len);
      if (s->tedges->len > 0)
        {
          ngam_tree_prune (s);
          ngam_steiner_local_search (s);
        }
      *root = strong_prune (s, *root, prize, rooted);
      obj = pc_objective (s, *root, opt, NULL, NULL);
      run->n_starts++;
      if (!isinf (best_obj) && !(obj < best_obj - 1e-9 * (1 + best_obj)))
        break;
      best_obj = obj;
      *best_root = *root;
      g_array_set_size (best, 0);
      g_array_append_vals (best, s->tedges->data, s->tedges->len);
    }
  return best_obj;
}

/* The prize-collecting form.  Starts: (1) from the root (a required
 * terminal, else the largest prize) growing greedily; (2) from a Steiner
 * tree over every terminal worth anything, strong-pruned, which finds
 * groups of terminals that pay for a shared branch when none pays alone;
 * (3) when nothing is required, from other roots while time remains. */
static gboolean
solve_prize_collecting (Solver *s, Run *run, const NgamSteinerOptions *opt, const guint *comp,
                        NgamSteinerResult *res, GError **error)
{
  const NgamGraph *g = s->g;
  g_autofree double *prize = g_new0 (double, MAX (g->n_nodes, 1));
  g_autoptr(GArray) req = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) best = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) cand = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) roots = g_array_new (FALSE, FALSE, sizeof (guint));
  guint root = G_MAXUINT, best_root;
  double best_obj = INFINITY;
  gboolean rooted = FALSE;

  for (guint i = 0; i < opt->n_terminals; i++)
    {
      guint t = opt->terminals[i];

      if (isinf (opt->prizes[i]) && root == G_MAXUINT)
        {
          root = t;
          rooted = TRUE;
        }
      prize[t] += opt->prizes[i];
    }
  if (root == G_MAXUINT)
    for (guint i = 0; i < opt->n_terminals; i++)
      if (root == G_MAXUINT || prize[opt->terminals[i]] > prize[root])
        root = opt->terminals[i];
  if (root == G_MAXUINT)
    return TRUE;   /* no terminals */
  /* terminals outside the root's part of the graph cannot be reached */
  for (guint i = 0; i < opt->n_terminals; i++)
    {
      guint t = opt->terminals[i];

      if (comp[t] != comp[root])
        {
          if (isinf (opt->prizes[i]))
            {
              set_disconnected_error (error, opt, comp);
              return FALSE;
            }
          prize[t] = 0;
          continue;
        }
      if (isinf (opt->prizes[i]))
        g_array_append_val (req, t);
      if (prize[t] > 0)
        g_array_append_val (all, t);
    }
  best_root = root;

  /* (1) greedy from the root */
  ngam_tree_clear (s);
  if (req->len >= 2)
    {
      set_terminals (s, (guint *) req->data, req->len);
      solve_terminals (s, run);
    }
  {
    guint r = root;

    best_obj = pc_improve (s, run, opt, prize, req, rooted, &r, best, &best_root, INFINITY);
    run->first_cost = best_obj;
  }
  /* (2) a tree over everything worth something, then pruned */
  if (all->len >= 2 && !ngam_solver_should_stop (s))
    {
      guint r = root, cr = root;
      double obj;

      if (!rooted)
        {
          /* root the full tree at the terminal of largest prize */
          g_array_remove_index_fast (all, 0);
          g_array_prepend_val (all, root);
        }
      set_terminals (s, (guint *) all->data, all->len);
      solve_terminals (s, run);
      r = strong_prune (s, root, prize, rooted);
      g_array_set_size (cand, 0);
      obj = pc_improve (s, run, opt, prize, req, rooted, &r, cand, &cr, INFINITY);
      if (obj < best_obj - 1e-9 * (1 + best_obj))
        {
          best_obj = obj;
          best_root = cr;
          g_array_set_size (best, 0);
          g_array_append_vals (best, cand->data, cand->len);
        }
    }
  /* (3) other roots, largest prizes first */
  if (!rooted)
    {
      g_array_append_vals (roots, all->data, all->len);
      for (guint i = 0; i < roots->len && i < 16 && !ngam_solver_should_stop (s); i++)
        {
          guint r = g_array_index (roots, guint, i), cr = r;
          double obj;

          if (r == root)
            continue;
          ngam_tree_clear (s);
          g_array_set_size (cand, 0);
          obj = pc_improve (s, run, opt, prize, req, rooted, &r, cand, &cr, INFINITY);
          if (obj < best_obj - 1e-9 * (1 + best_obj))
            {
              best_obj = obj;
              best_root = cr;
              g_array_set_size (best, 0);
              g_array_append_vals (best, cand->data, cand->len);
            }
        }
    }
  /* no edge: the best is best_root alone */
  ngam_tree_set (s, (guint *) best->data, best->len);
  res->cost = ngam_tree_cost (s);
  pc_objective (s, best_root, opt, res->left_out, &res->penalty);
  res->first_cost = run->first_cost;
  return TRUE;
}

/* --- the bound ---------------------------------------------------------- */

/* The prize-collecting bound over the solver's costs (prepaid 0), with
 * each node's prizes summed; terminals nothing reaches pay theirs in
 * every solution and are in the bound through the root's arc anyway. */
static double
pc_lower_bound (Solver *s, const NgamSteinerOptions *opt, double upper, double deadline)
{
  g_autofree double *prize = g_new0 (double, MAX (s->n, 1));

  for (guint i = 0; i < opt->n_terminals; i++)
    prize[opt->terminals[i]] += opt->prizes[i];
  return ngam_steiner_pc_bound (s->n, s->m, s->g->edge_uv, s->w, prize, upper, deadline);
}

/* Rounds a bound up when every cost is whole (so is the optimum), and
 * down by a hair otherwise, for the rounding of the sums behind it. */
static double
round_bound (Solver *s, const NgamSteinerOptions *opt, double lb)
{
  gboolean whole = TRUE;

  if (!isfinite (lb))
    return lb;
  for (guint e = 0; e < s->m && whole; e++)
    whole = !isfinite (s->w[e]) || s->w[e] == floor (s->w[e]);
  for (guint i = 0; whole && opt->prizes && i < opt->n_terminals; i++)
    whole = !isfinite (opt->prizes[i]) || opt->prizes[i] == floor (opt->prizes[i]);
  return whole ? ceil (lb - 1e-6) : lb - 1e-12 * fabs (lb);
}

/* Keeps the bound at most the value found (above it only by rounding)
 * and sets the gap. */
static void
finish_bound (Solver *s, const NgamSteinerOptions *opt, NgamSteinerResult *res)
{
  double value = res->cost + res->penalty, lb = round_bound (s, opt, res->lower_bound);

  if (isfinite (lb))
    lb = MIN (lb, value);
  res->lower_bound = lb;
  if (!isfinite (lb))
    res->gap = NAN;
  else if (value > 0)
    res->gap = (value - lb) / value;
  else
    res->gap = lb == value ? 0 : NAN;
}

/* --- the plain Steiner problem ------------------------------------------ */

/* Reduces the instance (ngam-steiner-reduce.c), bounds and solves the
 * reduced one, and maps its tree back into @s; returns the cost. */
static double
solve_steiner (Solver *s, Run *run, const NgamSteinerOptions *opt, double limit, NgamSteinerResult *res)
{
  g_autoptr(NgamSteinerReduced) red = NULL;
  g_autoptr(GArray) mapped = g_array_new (FALSE, FALSE, sizeof (guint));
  SteinerDual dual = { 0 };
  Solver rs;
  double cost;

  set_terminals (s, opt->terminals, opt->n_terminals);
  ngam_tree_clear (s);
  for (guint e = 0; e < s->m; e++)
    res->usable_edges += isfinite (s->w[e]);
  res->reduced_edges = res->usable_edges;
  if (s->terms->len < 2)
    {
      res->lower_bound = 0;
      return 0;
    }
  red = ngam_steiner_reduce (s->g, s->w, (const guint *) s->terms->data, s->terms->len, run->t0 + 0.2 * limit);
  res->reduced_edges = red->graph->n_edges;
  if (!solver_init (&rs, red->graph, NULL, NULL, NULL))
    {
      solver_clear (&rs);
      return INFINITY;
    }
  rs.cancellable = s->cancellable;
  rs.deadline = s->deadline;
  rs.rand = g_rand_copy (s->rand);
  reduce_least_cost (&rs);
  ngam_solver_choose_buckets (&rs);
  set_terminals (&rs, (const guint *) red->terminals->data, red->terminals->len);
  /* the bound first: its reduced costs guide the search */
  ngam_steiner_dual_bound (&rs, 0.1 * limit, 8, &dual);
  res->lower_bound = dual.bound + red->fixed_cost;
  run->fixed = red->fixed_cost;
  run->whole = round_bound (s, opt, 0.5) == 1;
  run_set_lower (run, dual.bound);
  run->dual = &dual;
  run->limit = limit;
  cost = solve_terminals (&rs, run);
  run->dual = NULL;
  /* elimination may have run the ascent again, to a better bound */
  res->lower_bound = MAX (res->lower_bound, dual.bound + red->fixed_cost);
  run->first_cost += red->fixed_cost;
  res->first_cost = run->first_cost;
  if (isfinite (cost))
    {
      ngam_tree_compact (&rs);
      ngam_steiner_reduced_map (red, (const guint *) rs.tedges->data, rs.tedges->len, mapped);
      ngam_tree_set (s, (const guint *) mapped->data, mapped->len);
      cost = ngam_tree_cost (s);
    }
  s->stopped |= rs.stopped;
  ngam_steiner_dual_clear (&dual);
  solver_clear (&rs);
  return cost;
}

/* --- public ------------------------------------------------------------- */

static int
cmp_guint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

static gboolean
check_terminals (const NgamGraph *g, const double *w, const NgamSteinerOptions *opt, GError **error)
{
  for (guint i = 0; i < opt->n_terminals; i++)
    if (opt->terminals[i] >= g->n_nodes)
      {
        g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_INVALID,
                     "terminal %u is not a node of the graph (%u nodes)",
                     opt->terminals[i] + opt->label_offset, g->n_nodes);
        return FALSE;
      }
    else if (opt->prizes && !(opt->prizes[i] >= 0))
      {
        g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_INVALID,
                     "terminal %u has prize %g; prizes must be 0 or more",
                     opt->terminals[i] + opt->label_offset, opt->prizes[i]);
        return FALSE;
      }
  return TRUE;
}

static void
string_free (gpointer data)
{
  g_string_free (data, TRUE);
}

/* Names the parts of the graph the terminals fall in. */
static void
set_disconnected_error (GError **error, const NgamSteinerOptions *opt, const guint *comp)
{
  g_autoptr(GString) msg = g_string_new (NULL);
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, string_free);
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  guint shown = 0;

  for (guint i = 0; i < opt->n_terminals; i++)
    {
      guint t = opt->terminals[i], c = comp[t];
      GString *grp = g_hash_table_lookup (groups, GUINT_TO_POINTER (c));

      if (grp == NULL)
        {
          grp = g_string_new (NULL);
          g_hash_table_insert (groups, GUINT_TO_POINTER (c), grp);
          g_array_append_val (order, c);
        }
      if (grp->len < 200)
        g_string_append_printf (grp, "%s%u", grp->len ? ", " : "", t + opt->label_offset);
      else if (!g_str_has_suffix (grp->str, "…"))
        g_string_append (grp, ", …");
    }
  g_string_append_printf (msg, "the terminals lie in %u parts of the graph that no usable edge joins: ", order->len);
  for (guint i = 0; i < order->len && shown < 6; i++, shown++)
    {
      GString *grp = g_hash_table_lookup (groups, GUINT_TO_POINTER (g_array_index (order, guint, i)));

      g_string_append_printf (msg, "%s{%s}", i ? " | " : "", grp->str);
    }
  if (order->len > shown)
    g_string_append (msg, " | …");
  g_set_error_literal (error, NGAM_NET_ERROR, NGAM_NET_ERROR_DISCONNECTED, msg->str);
}

/**
 * ngam_steiner_solve:
 * @costs: (nullable): one cost per edge; the edges' lengths when NULL
 * @options: terminals and limits
 *
 * Finds a low-cost tree connecting the terminals (or, with prizes, the
 * terminals worth connecting).  One synchronous job; Ctrl-C or the time
 * limit end it with the best tree found so far.
 *
 * Returns: (transfer full): the tree, or NULL with @error set: terminals
 *   in parts of the graph no edge joins (NGAM_NET_ERROR_DISCONNECTED,
 *   naming them; in the prize-collecting form those are left out instead),
 *   a graph too large (NGAM_NET_ERROR_TOO_LARGE), cancellation before any
 *   tree was found.
 */
NgamSteinerResult *
ngam_steiner_solve (const NgamGraph           *g,
                    const double              *costs,
                    const NgamSteinerOptions  *opt,
                    NgamProgressFunc           progress,
                    gpointer                   progress_data,
                    GCancellable              *cancellable,
                    GError                   **error)
{
  Solver s;
  Run run = { opt, progress, progress_data, ngam_net_now (), 0, 0, -INFINITY };
  g_autoptr(NgamSteinerResult) res = g_new0 (NgamSteinerResult, 1);
  g_autofree guint *comp = NULL;
  double limit = opt->time_limit > 0 ? opt->time_limit : 10.0;

  g_return_val_if_fail (g != NULL && opt != NULL, NULL);
  res->edges = g_array_new (FALSE, FALSE, sizeof (guint));
  res->left_out = g_array_new (FALSE, FALSE, sizeof (guint));
  if (!solver_init (&s, g, costs, opt->prepaid, error))
    {
      solver_clear (&s);
      return NULL;
    }
  s.cancellable = cancellable;
  s.deadline = run.t0 + limit;
  s.rand = g_rand_new_with_seed ((guint32) (opt->seed ^ (opt->seed >> 32)));
  if (!check_terminals (g, s.w, opt, error))
    {
      solver_clear (&s);
      return NULL;
    }
  comp = g_new (guint, MAX (g->n_nodes, 1));
  ngam_graph_components_by_cost (g, s.w, comp);
  if (opt->prizes)
    {
      reduce_least_cost (&s);
      ngam_solver_choose_buckets (&s);
    }

  if (opt->prizes == NULL)
    {
      guint c0 = opt->n_terminals ? comp[opt->terminals[0]] : 0;

      for (guint i = 1; i < opt->n_terminals; i++)
        if (comp[opt->terminals[i]] != c0)
          {
            set_disconnected_error (error, opt, comp);
            solver_clear (&s);
            return NULL;
          }
      res->cost = solve_steiner (&s, &run, opt, limit, res);
    }
  else
    {
      /* the search leaves the bound a tenth of the time */
      s.deadline = run.t0 + 0.9 * limit;
      if (!solve_prize_collecting (&s, &run, opt, comp, res, error))
        {
          solver_clear (&s);
          return NULL;
        }
      res->lower_bound = pc_lower_bound (&s, opt, res->cost + res->penalty, run.t0 + limit);
    }
  finish_bound (&s, opt, res);
  if (!isfinite (res->cost))
    {
      g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_DISCONNECTED,
                   "no tree connects the terminals with usable edges");
      solver_clear (&s);
      return NULL;
    }
  ngam_tree_compact (&s);
  g_array_append_vals (res->edges, s.tedges->data, s.tedges->len);
  g_array_sort (res->edges, cmp_guint);
  res->n_starts = run.n_starts;
  res->timed_out = s.stopped && !g_cancellable_is_cancelled (cancellable);
  res->seconds = ngam_net_now () - run.t0;
  solver_clear (&s);
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_CANCELLED, "the Steiner tree search was cancelled");
      return NULL;
    }
  return g_steal_pointer (&res);
}

/**
 * ngam_steiner_check:
 * @cost: (out) (optional): the sum of the edges' costs
 *
 * Checks that @edges form a tree that spans every terminal (the test of a
 * solution file, and a guard on the solver).
 *
 * Returns: FALSE with NGAM_NET_ERROR_INVALID saying what is wrong.
 */
gboolean
ngam_steiner_check (const NgamGraph  *g,
                    const double     *costs,
                    const guint      *terminals,
                    guint             n_terminals,
                    const guint      *edges,
                    guint             n_edges,
                    double           *cost,
                    GError          **error)
{
  NgamUnionFind uf;
  double sum = 0;
  guint root = n_terminals ? terminals[0] : (n_edges ? g->edge_uv[2 * edges[0]] : 0);
  gboolean ok = TRUE;

  ngam_uf_init (&uf, g->n_nodes);
  for (guint i = 0; i < n_edges && ok; i++)
    {
      guint e = edges[i];

      if (e >= g->n_edges)
        {
          g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_INVALID, "edge %u is not in the graph", e);
          ok = FALSE;
        }
      else if (!ngam_uf_union (&uf, g->edge_uv[2 * e], g->edge_uv[2 * e + 1]))
        {
          g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_INVALID,
                       "edge %u–%u closes a cycle: not a tree", g->edge_uv[2 * e] + 1, g->edge_uv[2 * e + 1] + 1);
          ok = FALSE;
        }
      else
        sum += costs ? costs[e] : g->edge[e].length;
    }
  for (guint i = 0; i < n_terminals && ok; i++)
    if (terminals[i] >= g->n_nodes || ngam_uf_find (&uf, terminals[i]) != ngam_uf_find (&uf, root))
      {
        g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_INVALID,
                     "terminal %u is not connected to terminal %u", terminals[i] + 1, root + 1);
        ok = FALSE;
      }
  for (guint i = 0; i < n_edges && ok && n_terminals > 0; i++)
    if (ngam_uf_find (&uf, g->edge_uv[2 * edges[i]]) != ngam_uf_find (&uf, root))
      {
        g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_INVALID,
                     "edge %u–%u is not connected to the terminals", g->edge_uv[2 * edges[i]] + 1,
                     g->edge_uv[2 * edges[i] + 1] + 1);
        ok = FALSE;
      }
  ngam_uf_clear (&uf);
  if (ok && cost)
    *cost = sum;
  return ok;
}
