/* ngam-steiner-dual.c — dual ascent for the Steiner problem
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Wong (A dual ascent approach for Steiner tree problems on a directed
 * graph, Math. Programming 1984), as SCIP-Jack uses it (Rehfeldt and
 * Koch).  Each undirected edge becomes two arcs; a Steiner tree rooted at
 * terminal r is then an arborescence, and every set W of nodes holding a
 * terminal but not r must be entered by one of its arcs.  The dual of
 * that cut formulation gives each such W a value y_W ≥ 0 with, for every
 * arc a, Σ y_W over the cuts a enters ≤ c(a); the sum of the y_W is a
 * lower bound on every tree.  The reduced cost rc(a) is what is left of
 * c(a).
 *
 * The ascent keeps the dual feasible at every step, so the bound is valid
 * whenever it stops.  For a terminal t, W(t) is the set of nodes from
 * which t is reached by arcs of reduced cost 0.  While r ∉ W(t), the
 * cheapest arc entering W(t) gives the step Δ: y_W(t) += Δ, every arc
 * entering W(t) loses Δ, the cheapest reaches 0 and its tail joins W(t).
 * Arcs entering W(t) lose the same Δ at each step, so they sit in one
 * heap keyed by reduced cost plus the sum of the steps so far (no key is
 * ever updated); an arc's reduced cost is written back once t is done.
 * A terminal is done when W(t) reaches r or a terminal already joined to
 * r (then r ∈ W(t)), or another terminal still waiting (Wong's rule:
 * W(t') ⊆ W(t), so joining t' to r joins t, and raising W(t') is the
 * smaller cut).  At the end r reaches every terminal over arcs of reduced
 * cost 0.
 */
#define G_LOG_DOMAIN "ngam-net"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-steiner-private.h"

NgamDaGraph *
ngam_da_graph_new (guint         n,
                   guint         n_edges,
                   const guint  *edge_uv,
                   const double *w,
                   guint         extra_nodes,
                   guint         extra_arcs)
{
  NgamDaGraph *g = g_new0 (NgamDaGraph, 1);
  guint cap = 2 * n_edges + extra_arcs;

  g->n = n + extra_nodes;
  g->tail = g_new (guint, MAX (cap, 1));
  g->head = g_new (guint, MAX (cap, 1));
  g->cost = g_new (double, MAX (cap, 1));
  g->is_term = g_new0 (guint8, MAX (g->n, 1));
  for (guint e = 0; e < n_edges; e++)
    {
      guint u = edge_uv[2 * e], v = edge_uv[2 * e + 1];
      double c = u == v ? INFINITY : w[e];

      g->tail[2 * e] = u;
      g->head[2 * e] = v;
      g->cost[2 * e] = c;
      g->tail[2 * e + 1] = v;
      g->head[2 * e + 1] = u;
      g->cost[2 * e + 1] = c;
    }
  g->n_arcs = 2 * n_edges;
  g->root = G_MAXUINT;
  return g;
}

void
ngam_da_graph_add_arc (NgamDaGraph *g,
                       guint        tail,
                       guint        head,
                       double       cost)
{
  g->tail[g->n_arcs] = tail;
  g->head[g->n_arcs] = head;
  g->cost[g->n_arcs] = cost;
  g->n_arcs++;
}

static void
build_csr (guint n, guint m, const guint *key, const double *cost, guint **start_out, guint **arc_out)
{
  guint *start = g_new0 (guint, n + 2), *arc;

  for (guint a = 0; a < m; a++)
    if (isfinite (cost[a]))
      start[key[a] + 2]++;
  for (guint v = 0; v < n; v++)
    start[v + 2] += start[v + 1];
  arc = g_new (guint, MAX (start[n + 1], 1));
  for (guint a = 0; a < m; a++)
    if (isfinite (cost[a]))
      arc[start[key[a] + 1]++] = a;
  *start_out = start;
  *arc_out = arc;
}

void
ngam_da_graph_finish (NgamDaGraph *g)
{
  build_csr (g->n, g->n_arcs, g->head, g->cost, &g->in_start, &g->in_arc);
  build_csr (g->n, g->n_arcs, g->tail, g->cost, &g->out_start, &g->out_arc);
}

void
ngam_da_graph_free (NgamDaGraph *g)
{
  if (g == NULL)
    return;
  g_free (g->tail);
  g_free (g->head);
  g_free (g->cost);
  g_free (g->in_start);
  g_free (g->in_arc);
  g_free (g->out_start);
  g_free (g->out_arc);
  g_free (g->is_term);
  g_free (g);
}

enum { WAITING, DOMINATED, JOINED };

double
ngam_dual_ascent (const NgamDaGraph *g,
                  double            *rc,
                  gboolean           smallest_first,
                  double             deadline,
                  gboolean          *complete)
{
  g_autofree guint8 *state = g_new0 (guint8, MAX (g->n, 1));
  g_autofree guint *in_w = g_new0 (guint, MAX (g->n, 1));     /* generation stamp */
  g_autofree double *joined_at = g_new (double, MAX (g->n, 1)); /* offset when the node joined W */
  g_autoptr(GArray) pushed = g_array_new (FALSE, FALSE, sizeof (NgamHeapItem));
  NgamHeap heap = { 0 }, queue = { 0 };
  double bound = 0;
  guint gen = 0;
  gboolean aborted = FALSE;

  *complete = TRUE;
  for (guint a = 0; a < g->n_arcs; a++)
    rc[a] = g->cost[a];
  for (guint v = 0; v < g->n; v++)
    if (g->is_term[v] && v != g->root)
      ngam_heap_push (&queue, smallest_first ? 0 : v, v);

  /* Terminals in order of their numbers, each until it is done; or with
   * @smallest_first, by the size of their cut when last seen (Wong's
   * choice): one whose cut grows past twice the next one's is put back,
   * so that small cuts rise first.  Neither is always the better. */
  while (queue.len > 0)
    {
      guint t = ngam_heap_pop (&queue).node;
      double offset = 0;
      gboolean stop = FALSE;
      guint v = t, size = 0;

      if (state[t] != WAITING)
        continue;
      if (ngam_net_now () > deadline)
        {
          *complete = FALSE;
          break;
        }
      gen++;
      ngam_heap_clear (&heap);
      g_array_set_size (pushed, 0);
      /* v joins W: every arc into it from outside enters W now */
      while (TRUE)
        {
          in_w[v] = gen;
          joined_at[v] = offset;
          size++;
          /* On a large graph one terminal's cut can take in most of the
           * nodes: the deadline is checked inside it too.  Stopping here
           * keeps the dual feasible, as putting a terminal back does:
           * v's arcs from outside have lost nothing yet. */
          if ((size & 1023) == 0 && ngam_net_now () > deadline)
            {
              *complete = FALSE;
              aborted = TRUE;
              break;
            }
          for (guint k = g->in_start[v]; k < g->in_start[v + 1]; k++)
            {
              guint a = g->in_arc[k];

              if (in_w[g->tail[a]] != gen)
                {
                  NgamHeapItem it = { rc[a] + offset, a };

                  ngam_heap_push (&heap, it.key, a);
                  g_array_append_val (pushed, it);
                }
            }
          /* the next tail to join */
          v = G_MAXUINT;
          while (heap.len > 0)
            {
              NgamHeapItem it = heap.items[0];
              guint u = g->tail[it.node];

              if (in_w[u] == gen)
                {
                  ngam_heap_pop (&heap);
                  continue;
                }
              if (it.key > offset)
                {
                  if (smallest_first && size > 4 && size > 2 * ngam_heap_top_key (&queue))
                    {
                      /* a smaller cut waits: later */
                      ngam_heap_push (&queue, size, t);
                      stop = TRUE;
                      break;
                    }
                  bound += it.key - offset;
                  offset = it.key;
                }
              ngam_heap_pop (&heap);
              v = u;
              break;
            }
          if (stop)
            break;
          if (v == G_MAXUINT)
            {
              /* nothing enters W: the root cannot reach t (the caller
               * checks connectivity first; this only guards) */
              state[t] = JOINED;
              break;
            }
          if (v == g->root || (g->is_term[v] && state[v] == JOINED))
            {
              state[t] = JOINED;
              stop = TRUE;
            }
          else if (g->is_term[v] && state[v] == WAITING)
            {
              state[t] = DOMINATED;
              stop = TRUE;
            }
          if (stop)
            {
              in_w[v] = gen;
              joined_at[v] = offset;
              break;
            }
        }
      /* write the reduced costs back: each arc entering W lost every
       * step from its push until its tail joined W (or the end) */
      for (guint i = 0; i < pushed->len; i++)
        {
          const NgamHeapItem *it = &g_array_index (pushed, NgamHeapItem, i);
          guint u = g->tail[it->node];
          double end = in_w[u] == gen ? joined_at[u] : offset;

          rc[it->node] = MAX (0, it->key - end);
        }
      if (aborted)
        break;
    }
  ngam_heap_free (&queue);
  ngam_heap_free (&heap);
  return bound;
}

/* Dijkstra over @rc from the seeds already at distance 0 in @dist, along
 * out-arcs (@forward) or in-arcs. */
static void
rc_dijkstra (const NgamDaGraph *g, const double *rc, double *dist, gboolean forward)
{
  NgamHeap heap = { 0 };
  const guint *start = forward ? g->out_start : g->in_start, *arcs = forward ? g->out_arc : g->in_arc;

  for (guint v = 0; v < g->n; v++)
    if (dist[v] == 0)
      ngam_heap_push (&heap, 0, v);
  while (heap.len > 0)
    {
      NgamHeapItem it = ngam_heap_pop (&heap);

      if (it.key > dist[it.node])
        continue;
      for (guint k = start[it.node]; k < start[it.node + 1]; k++)
        {
          guint a = arcs[k], u = forward ? g->head[a] : g->tail[a];
          double nd = it.key + rc[a];

          if (nd < dist[u])
            {
              dist[u] = nd;
              ngam_heap_push (&heap, nd, u);
            }
        }
    }
  ngam_heap_free (&heap);
}

void
ngam_da_distances (const NgamDaGraph *g,
                   const double      *rc,
                   double            *from_root,
                   double            *to_term)
{
  for (guint v = 0; v < g->n; v++)
    {
      from_root[v] = v == g->root ? 0 : INFINITY;
      to_term[v] = g->is_term[v] && v != g->root ? 0 : INFINITY;
    }
  rc_dijkstra (g, rc, from_root, TRUE);
  rc_dijkstra (g, rc, to_term, FALSE);
}

/* --- prize-collecting --------------------------------------------------- */

/* The rooted prize-collecting problem as a Steiner arborescence problem
 * (the transformation of Rehfeldt and Koch, 2017): each terminal t worth
 * p > 0 gets a new terminal t′ with arcs t → t′ of cost 0 and r → t′ of
 * cost p.  An arborescence reaches t′ either through t (t is in the tree)
 * or straight from the root (t's prize is paid), so its least cost is the
 * prize-collecting optimum.  Nodes flagged in @out are left out of the
 * graph.  Returns the bound. */
static double
rooted_bound (guint n, guint n_edges, const guint *edge_uv, const double *w, const double *prize,
              guint root, const guint8 *out, double deadline, gboolean *complete)
{
  g_autoptr(NgamDaGraph) g = NULL;
  g_autofree double *wx = g_new (double, MAX (n_edges, 1));
  g_autofree double *rc = NULL;
  guint extra = 0, next;

  for (guint v = 0; v < n; v++)
    extra += v != root && !out[v] && prize[v] > 0 && isfinite (prize[v]);
  for (guint e = 0; e < n_edges; e++)
    wx[e] = out[edge_uv[2 * e]] || out[edge_uv[2 * e + 1]] ? INFINITY : w[e];
  g = ngam_da_graph_new (n, n_edges, edge_uv, wx, extra, 2 * extra);
  g->root = root;
  g->is_term[root] = 1;
  next = n;
  for (guint v = 0; v < n; v++)
    {
      if (v == root || out[v] || !(prize[v] > 0))
        continue;
      if (isinf (prize[v]))
        g->is_term[v] = 1;   /* required */
      else
        {
          g->is_term[next] = 1;
          ngam_da_graph_add_arc (g, v, next, 0);
          ngam_da_graph_add_arc (g, root, next, prize[v]);
          next++;
        }
    }
  ngam_da_graph_finish (g);
  rc = g_new (double, MAX (g->n_arcs, 1));
  return ngam_dual_ascent (g, rc, TRUE, deadline, complete);
}

/* A lower bound on the prize-collecting objective (tree cost plus the
 * prizes of the nodes left out) with per-node @prize (INFINITY: must be
 * in the tree).  With a required node it roots the transformation there.
 * Without, the optimum is the least over i of "t_1 … t_{i−1} left out,
 * t_i in the tree" (prizes in decreasing order), whose bound is
 * p_1 + … + p_{i−1} plus the rooted bound at t_i with t_1 … t_{i−1}
 * taken out of the graph; the case of every terminal out costs all the
 * prizes.  Cases are bounded in order until the prizes already left out
 * reach @upper (the value of a known solution) or time runs out; every
 * later case costs at least those prizes, which then bound the rest. */
double
ngam_steiner_pc_bound (guint         n,
                       guint         n_edges,
                       const guint  *edge_uv,
                       const double *w,
                       const double *prize,
                       double        upper,
                       double        deadline)
{
  g_autofree guint8 *out = g_new0 (guint8, MAX (n, 1));
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (NgamHeapItem));
  double best = INFINITY, paid = 0;
  gboolean complete;

  for (guint v = 0; v < n; v++)
    if (isinf (prize[v]))
      return rooted_bound (n, n_edges, edge_uv, w, prize, v, out, deadline, &complete);
  for (guint v = 0; v < n; v++)
    if (prize[v] > 0)
      {
        NgamHeapItem it = { -prize[v], v };

        g_array_append_val (order, it);
      }
  /* decreasing prize, then node number */
  for (guint i = 1; i < order->len; i++)
    for (guint j = i; j > 0; j--)
      {
        NgamHeapItem *a = &g_array_index (order, NgamHeapItem, j - 1), *b = a + 1, t;

        if (a->key < b->key || (a->key == b->key && a->node < b->node))
          break;
        t = *a;
        *a = *b;
        *b = t;
      }
  for (guint i = 0; i < order->len; i++)
    {
      guint t = g_array_index (order, NgamHeapItem, i).node;

      if (paid >= upper || ngam_net_now () > deadline)
        return MIN (best, paid);
      best = MIN (best, paid + rooted_bound (n, n_edges, edge_uv, w, prize, t, out, deadline, &complete));
      paid += prize[t];
      out[t] = 1;
    }
  return MIN (best, paid);
}

/* --- the solver's bound ------------------------------------------------- */

/* Dual ascent over the solver's graph and terminals from up to
 * @max_roots terminal roots (spread over the list of terminals) for @seconds
 * (the first root may take three times that); keeps the best bound with
 * its reduced costs and graph. */
double
ngam_steiner_dual_bound (Solver       *s,
                         double        seconds,
                         guint         max_roots,
                         SteinerDual  *dual)
{
  double t0 = ngam_net_now ();
  const NgamGraph *g = s->g;
  guint nt = s->terms->len;

  dual->bound = nt < 2 ? 0 : -INFINITY;
  if (nt < 2)
    return dual->bound;
  for (guint i = 0; i < max_roots; i++)
    {
      guint root = g_array_index (s->terms, guint, (guint) ((guint64) i * nt / max_roots));
      g_autoptr(NgamDaGraph) dg = ngam_da_graph_new (s->n, s->m, g->edge_uv, s->w, 0, 0);
      g_autofree double *rc = NULL;
      gboolean complete;
      double lb;

      double deadline = t0 + (i == 0 ? 3 : 1) * seconds;

      if (i > 0 && ngam_net_now () > deadline)
        break;
      for (guint k = 0; k < nt; k++)
        dg->is_term[g_array_index (s->terms, guint, k)] = 1;
      dg->root = root;
      ngam_da_graph_finish (dg);
      rc = g_new (double, MAX (dg->n_arcs, 1));
      lb = ngam_dual_ascent (dg, rc, i % 2 == 1, deadline, &complete);
      g_debug ("dual ascent from %u: bound %.17g%s, %.3f s", root, lb, complete ? "" : " (stopped)",
               ngam_net_now () - t0);
      if (lb > dual->bound)
        {
          ngam_steiner_dual_clear (dual);
          dual->bound = lb;
          dual->graph = g_steal_pointer (&dg);
          dual->rc = g_steal_pointer (&rc);
        }
      if (!complete)
        break;
    }
  return dual->bound;
}

void
ngam_steiner_dual_clear (SteinerDual *dual)
{
  g_clear_pointer (&dual->graph, ngam_da_graph_free);
  g_clear_pointer (&dual->rc, g_free);
  g_clear_pointer (&dual->from_root, g_free);
  g_clear_pointer (&dual->to_term, g_free);
}

/* --- what the reduced costs tell the search ------------------------------ */

/* Reduced-cost elimination (SCIP-Jack's, after Polzin and Vahdati
 * Daneshmand): a tree rooted at r that uses arc u → v costs at least
 * bound + d(r, u) + rc(u → v) + d(v, T), where d are distances over
 * the reduced costs and T the terminals other than r (the tree's paths
 * r ⇝ u and v ⇝ a terminal below v are disjoint, and every tree costs
 * at least the bound plus its reduced cost).  An edge whose two arcs
 * both exceed @upper, the cost of a tree in hand, is in no optimal tree;
 * nor is a Steiner node v with bound + d(r, v) + d(v, T) > @upper.  No
 * edge of a tree costing @upper can fail, so the tree in hand stays.
 * Sets the solver's cost of those edges to INFINITY; returns how many. */
guint
ngam_steiner_dual_eliminate (Solver      *s,
                             SteinerDual *dual,
                             double       upper)
{
  const NgamDaGraph *dg = dual->graph;
  double margin = 1e-9 * (1 + fabs (upper));
  guint removed = 0;

  if (dg == NULL || !isfinite (dual->bound) || !isfinite (upper))
    return 0;
  if (dual->from_root == NULL)
    {
      dual->from_root = g_new (double, MAX (dg->n, 1));
      dual->to_term = g_new (double, MAX (dg->n, 1));
      ngam_da_distances (dg, dual->rc, dual->from_root, dual->to_term);
    }
  for (guint e = 0; e < s->m; e++)
    {
      guint u = s->g->edge_uv[2 * e], v = s->g->edge_uv[2 * e + 1];
      double a, b;

      if (!isfinite (s->w[e]) || s->in_tree[e])
        continue;
      a = dual->bound + dual->from_root[u] + dual->rc[2 * e] + dual->to_term[v];
      b = dual->bound + dual->from_root[v] + dual->rc[2 * e + 1] + dual->to_term[u];
      if ((a > upper + margin && b > upper + margin) ||
          (!s->is_term[u] && dual->bound + dual->from_root[u] + dual->to_term[u] > upper + margin) ||
          (!s->is_term[v] && dual->bound + dual->from_root[v] + dual->to_term[v] > upper + margin))
        {
          s->w[e] = INFINITY;
          removed++;
        }
    }
  return removed;
}

/* The dual-ascent heuristic's graph: the edges with an arc of reduced
 * cost 0 (they join the root to every terminal once the ascent is
 * complete), at their true costs, the others out (INFINITY) in @wc. */
void
ngam_steiner_dual_saturated (Solver *s, const double *rc, double *wc)
{
  for (guint e = 0; e < s->m; e++)
    wc[e] = rc[2 * e] <= 0 || rc[2 * e + 1] <= 0 ? s->w[e] : INFINITY;
}

/* Dual ascent from @root on the solver's costs perturbed by up to @amp
 * (a share), for a start of the multi-start: fills @wc as
 * ngam_steiner_dual_saturated() does.  FALSE if the ascent did not
 * finish in time. */
gboolean
ngam_steiner_dual_guide (Solver *s, guint root, double amp, double *wc)
{
  g_autoptr(NgamDaGraph) dg = NULL;
  g_autofree double *pw = g_new (double, MAX (s->m, 1));
  g_autofree double *rc = NULL;
  gboolean complete;

  for (guint e = 0; e < s->m; e++)
    pw[e] = s->w[e] * (1 + amp * g_rand_double (s->rand));
  dg = ngam_da_graph_new (s->n, s->m, s->g->edge_uv, pw, 0, 0);
  for (guint k = 0; k < s->terms->len; k++)
    dg->is_term[g_array_index (s->terms, guint, k)] = 1;
  dg->root = root;
  ngam_da_graph_finish (dg);
  rc = g_new (double, MAX (dg->n_arcs, 1));
  ngam_dual_ascent (dg, rc, g_rand_boolean (s->rand), s->deadline, &complete);
  if (!complete)
    return FALSE;
  ngam_steiner_dual_saturated (s, rc, wc);
  return TRUE;
}
