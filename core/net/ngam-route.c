/* ngam-route.c — shortest paths: bidirectional A*, one-to-many and
 * many-to-many
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One-to-one queries run a bidirectional Dijkstra over reduced costs with
 * the "average" potential of Ikeda et al. (1994) as popularised by Goldberg
 * and Harrelson (A* meets graph theory, SODA 2005):
 *
 *   p(v) = ½ · k · (|v − t| − |v − s|)
 *
 * where k is the least cost per metre of any edge, so k·|v − t| never
 * exceeds the true cost from v to t.  Forward keys are d_f(v) + p(v) and
 * backward keys d_r(v) − p(v); both reduced graphs have non-negative
 * costs, and the search may stop as soon as the two smallest keys add up to
 * the best path seen (μ), exactly as plain bidirectional Dijkstra does.
 * For abstract graphs (no coordinates) or free edges k is 0 and this is
 * plain bidirectional Dijkstra.
 *
 * One-to-many searches (and so many-to-many, one per source and core) run
 * over Dial's buckets instead of the heap when every edge costs something
 * (see choose_buckets()).
 *
 * Every array is stamped with a query generation, so a query costs what it
 * visits and not O(n) to reset.
 */
#define G_LOG_DOMAIN "ngam-net"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-net-private.h"
#include "ngam-route.h"
#include "ngam-route-ch.h"

/* What a search knows of a node, in one place so that a relaxation
 * touches one cache line.  stamp is base (reached) or base + 1 (settled)
 * in the current query; anything lower is from an earlier one. */
typedef struct
{
  double dist;
  guint  stamp;
  guint  pred;     /* edge the node was reached by; G_MAXUINT for seeds */
} Label;

typedef struct
{
  Label   *lab;
  NgamHeap heap;
} Side;

struct _NgamRouter
{
  NgamGraph    *g;
  const double *cost;
  double        k;            /* cost per metre lower bound, 0 if none */
  gboolean      goal;
  gboolean      use_pot;      /* for the current query */
  double        sx, sy, tx, ty;
  guint         base;         /* stamp of the current query (even) */
  Side          side[2];
  /* costs in adjacency order, read sequentially by the searches */
  double       *adj_cost;
  gboolean      own_adj_cost;
  /* Dial's buckets for one-to-many (0 buckets: use the heap) */
  double        delta;
  guint         n_buckets;
  guint       **bucket;       /* nodes queued in each bucket */
  guint        *bucket_len, *bucket_cap;
  /* the contraction hierarchy, once prepared (main router only) */
  NgamCH       *ch;
};

typedef struct
{
  guint  node;
  double d;
} Seed;

double
ngam_edge_cost_length (const NgamGraph *graph,
                       guint            edge,
                       gpointer         user_data)
{
  return graph->edge[edge].length;
}

/**
 * ngam_edge_cost_avoiding:
 * @zone_mask: GUINT_TO_POINTER() of the #NgamZoneFlags to avoid
 *
 * The length, or INFINITY for an edge that crosses a zone of @zone_mask:
 * what `route --avoid` and any caller that keeps off zones use.
 */
double
ngam_edge_cost_avoiding (const NgamGraph *graph,
                         guint            edge,
                         gpointer         zone_mask)
{
  guint avoid = GPOINTER_TO_UINT (zone_mask);

  return (graph->edge[edge].zones & avoid) ? INFINITY : graph->edge[edge].length;
}

/**
 * ngam_graph_edge_costs:
 * @func: the cost model
 *
 * Prices every edge once, so that searches read an array rather than call
 * back per relaxation.
 *
 * Returns: (transfer full): @graph->n_edges costs, or NULL when the model
 *   gave a negative or NaN cost (the error names the edge and its street).
 */
double *
ngam_graph_edge_costs (const NgamGraph   *graph,
                       NgamEdgeCostFunc   func,
                       gpointer           user_data,
                       GError           **error)
{
  g_autofree double *c = g_new (double, MAX (graph->n_edges, 1));

  for (guint e = 0; e < graph->n_edges; e++)
    {
      c[e] = func (graph, e, user_data);
      if (!(c[e] >= 0))
        {
          g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_INVALID,
                       "the cost model gave %g for edge %u (street %" G_GINT64_FORMAT
                       "); costs must be 0 or more, or infinite for an edge that may not be used",
                       c[e], e, graph->edge[e].street_fid);
          return NULL;
        }
    }
  return g_steal_pointer (&c);
}

static void
side_init (Side *s, guint n)
{
  s->lab = g_new0 (Label, MAX (n, 1));
}

static void
side_clear (Side *s)
{
  g_clear_pointer (&s->lab, g_free);
  ngam_heap_free (&s->heap);
}

/* Geometric length of an edge (not its weight). */
static double
edge_geom_length (const NgamGraph *g, guint e)
{
  double len = 0;

  if (g->geom_start)
    {
      const double *xy = g->geom_xy + 2 * (gsize) g->geom_start[e];
      guint n = g->geom_start[e + 1] - g->geom_start[e];

      for (guint i = 1; i < n; i++)
        len += hypot (xy[2 * i] - xy[2 * i - 2], xy[2 * i + 1] - xy[2 * i - 1]);
      return len;
    }
  if (g->node_xy)
    {
      guint u = g->edge_uv[2 * e], v = g->edge_uv[2 * e + 1];

      return hypot (g->node_xy[2 * u] - g->node_xy[2 * v], g->node_xy[2 * u + 1] - g->node_xy[2 * v + 1]);
    }
  return 0;
}

/* Dial's algorithm (1969) with buckets as wide as the cheapest edge:
 * nothing in one bucket can improve another node of the same bucket, so a
 * bucket's nodes are all final when it is reached and the heap is not
 * needed.  The buckets form a ring as long as the dearest edge.  Only worth
 * it (and only exact) when every edge costs something and the ring stays
 * small. */
static void
choose_buckets (NgamRouter *r)
{
  double lo = INFINITY, hi = 0;

  for (guint e = 0; e < r->g->n_edges; e++)
    if (isfinite (r->cost[e]))
      {
        lo = MIN (lo, r->cost[e]);
        hi = MAX (hi, r->cost[e]);
      }
  if (!(lo > 0) || !isfinite (lo) || hi / lo > (1 << 20))
    return;
  r->delta = lo * (1 - 1e-9);
  r->n_buckets = (guint) ceil (hi / r->delta) + 2;
}

static NgamRouter *
router_alloc (NgamGraph *graph, const double *costs, double k, double *adj_cost)
{
  NgamRouter *r = g_new0 (NgamRouter, 1);

  r->g = graph;
  r->cost = costs;
  r->k = k;
  r->goal = TRUE;
  if (adj_cost == NULL)
    {
      adj_cost = g_new (double, 2 * (gsize) MAX (graph->n_edges, 1));
      for (guint i = 0; i < 2 * graph->n_edges; i++)
        adj_cost[i] = costs[graph->adj_edge[i]];
      r->own_adj_cost = TRUE;
    }
  r->adj_cost = adj_cost;
  choose_buckets (r);
  return r;
}

/**
 * ngam_router_new:
 * @graph: the graph
 * @costs: (array) (transfer none): one cost per edge, from
 *   ngam_graph_edge_costs(); must outlive the router
 *
 * A router holds the scratch arrays of its searches; use one per thread.
 *
 * Returns: (transfer full): the router, or NULL if the memory is refused.
 */
NgamRouter *
ngam_router_new (NgamGraph     *graph,
                 const double  *costs,
                 GError       **error)
{
  double k = INFINITY;

  g_return_val_if_fail (graph != NULL && costs != NULL, NULL);
  if (!ngam_net_check_memory ((guint64) graph->n_nodes * 2 * (8 + 4 + 4 + 4), "a route search", error))
    return NULL;
  /* The least cost per metre over all edges bounds every remaining cost
   * from below, so the potentials stay feasible.  Shrunk a hair so that
   * rounding cannot make a reduced cost negative. */
  if (graph->node_xy)
    for (guint e = 0; e < graph->n_edges && k > 0; e++)
      {
        double len = edge_geom_length (graph, e);

        if (len > 0 && isfinite (costs[e]))
          k = MIN (k, costs[e] / len);
      }
  if (!isfinite (k) || k <= 0)
    k = 0;
  return router_alloc (graph, costs, k * (1 - 1e-9), NULL);
}

void
ngam_router_free (NgamRouter *r)
{
  if (r == NULL)
    return;
  side_clear (&r->side[0]);
  side_clear (&r->side[1]);
  if (r->own_adj_cost)
    g_free (r->adj_cost);
  for (guint b = 0; r->bucket && b < r->n_buckets; b++)
    g_free (r->bucket[b]);
  g_free (r->bucket);
  g_free (r->bucket_len);
  g_free (r->bucket_cap);
  ngam_ch_free (r->ch);
  g_free (r);
}

/* Goal direction (A*) is on by default where the graph has coordinates;
 * tests switch it off to check both searches. */
void
ngam_router_set_goal_directed (NgamRouter *r,
                               gboolean    enabled)
{
  r->goal = enabled;
}

static void
next_generation (NgamRouter *r, int sides)
{
  if (r->side[0].lab == NULL)
    side_init (&r->side[0], r->g->n_nodes);
  if (sides > 1 && r->side[1].lab == NULL)
    side_init (&r->side[1], r->g->n_nodes);
  r->base += 2;
  if (r->base >= G_MAXUINT - 2)
    {
      for (int s = 0; s < 2; s++)
        if (r->side[s].lab)
          for (guint v = 0; v < r->g->n_nodes; v++)
            r->side[s].lab[v].stamp = 0;
      r->base = 2;
    }
  ngam_heap_clear (&r->side[0].heap);
  ngam_heap_clear (&r->side[1].heap);
}

/* The forward potential p(v); the backward one is −p(v). */
static inline double
potential (const NgamRouter *r, guint v)
{
  double x, y;

  if (!r->use_pot)
    return 0;
  x = r->g->node_xy[2 * v];
  y = r->g->node_xy[2 * v + 1];
  return 0.5 * r->k * (hypot (x - r->tx, y - r->ty) - hypot (x - r->sx, y - r->sy));
}

static void
seed (NgamRouter *r, int dir, guint v, double d)
{
  Side *s = &r->side[dir];

  if (!isfinite (d))
    return;
  if (s->lab[v].stamp >= r->base && s->lab[v].dist <= d)
    return;
  s->lab[v].stamp = r->base;
  s->lab[v].dist = d;
  s->lab[v].pred = G_MAXUINT;
  ngam_heap_push (&s->heap, d + (dir == 0 ? 1 : -1) * potential (r, v), v);
}

/* Runs the two searches from the seeded sides; returns μ and the node
 * where the best path meets (G_MAXUINT when no seeded path was better
 * than @mu0). */
static double
bidirectional (NgamRouter *r, double mu0, guint *meet)
{
  const NgamGraph *g = r->g;
  double mu = mu0;
  Side *f = &r->side[0], *b = &r->side[1];

  *meet = G_MAXUINT;
  /* A node seeded from both sides is a path already. */
  for (gsize i = 0; i < f->heap.len; i++)
    {
      guint v = f->heap.items[i].node;

      if (b->lab[v].stamp >= r->base && f->lab[v].dist + b->lab[v].dist < mu)
        {
          mu = f->lab[v].dist + b->lab[v].dist;
          *meet = v;
        }
    }
  while (TRUE)
    {
      double kf = ngam_heap_top_key (&f->heap), kb = ngam_heap_top_key (&b->heap);
      int dir;
      Side *s, *o;
      NgamHeapItem it;
      guint v;

      if (!(kf + kb < mu) || (kf == INFINITY && kb == INFINITY))
        break;
      dir = kf <= kb ? 0 : 1;
      s = &r->side[dir];
      o = &r->side[1 - dir];
      it = ngam_heap_pop (&s->heap);
      v = it.node;
      if (s->lab[v].stamp == r->base + 1)
        continue;
      s->lab[v].stamp = r->base + 1;
      for (guint k = g->adj_start[v]; k < g->adj_start[v + 1]; k++)
        {
          guint e = g->adj_edge[k], w = g->adj_node[k];
          double nd = s->lab[v].dist + r->cost[e];

          if (!(nd < INFINITY) || s->lab[w].stamp == r->base + 1)
            continue;
          if (s->lab[w].stamp < r->base || nd < s->lab[w].dist)
            {
              s->lab[w].stamp = r->base;
              s->lab[w].dist = nd;
              s->lab[w].pred = e;
              ngam_heap_push (&s->heap, nd + (dir == 0 ? 1 : -1) * potential (r, w), w);
              if (o->lab[w].stamp >= r->base && nd + o->lab[w].dist < mu)
                {
                  mu = nd + o->lab[w].dist;
                  *meet = w;
                }
            }
        }
    }
  return mu;
}

static void
set_points (NgamRouter *r, double sx, double sy, double tx, double ty)
{
  r->use_pot = r->goal && r->k > 0 && r->g->node_xy != NULL;
  r->sx = sx;
  r->sy = sy;
  r->tx = tx;
  r->ty = ty;
}

/**
 * ngam_router_cost:
 *
 * Returns: the least cost from node @from to node @to, INFINITY when there
 *   is no path.
 */
double
ngam_router_cost (NgamRouter *r,
                  guint       from,
                  guint       to)
{
  const double *xy = r->g->node_xy;
  guint meet;

  g_return_val_if_fail (from < r->g->n_nodes && to < r->g->n_nodes, INFINITY);
  next_generation (r, 2);
  if (xy)
    set_points (r, xy[2 * from], xy[2 * from + 1], xy[2 * to], xy[2 * to + 1]);
  else
    r->use_pot = FALSE;
  seed (r, 0, from, 0);
  seed (r, 1, to, 0);
  return bidirectional (r, INFINITY, &meet);
}

static NgamPath *
path_new (void)
{
  NgamPath *p = g_new0 (NgamPath, 1);

  p->edges = g_array_new (FALSE, FALSE, sizeof (guint));
  p->nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  p->from_edge = p->to_edge = G_MAXUINT;
  return p;
}

void
ngam_path_free (NgamPath *p)
{
  if (p == NULL)
    return;
  g_array_unref (p->edges);
  g_array_unref (p->nodes);
  g_free (p);
}

/* Walks the predecessor edges from the meeting node to both ends. */
static void
collect_path (NgamRouter *r, guint meet, NgamPath *p)
{
  const NgamGraph *g = r->g;
  guint v = meet;

  while (r->side[0].lab[v].pred != G_MAXUINT)
    {
      guint e = r->side[0].lab[v].pred;

      g_array_append_val (p->edges, e);
      g_array_append_val (p->nodes, v);
      v = ngam_graph_edge_other (g, e, v);
    }
  g_array_append_val (p->nodes, v);
  /* reverse the forward half */
  for (guint i = 0, j = p->edges->len - 1; p->edges->len > 0 && i < j; i++, j--)
    {
      guint t = g_array_index (p->edges, guint, i);

      g_array_index (p->edges, guint, i) = g_array_index (p->edges, guint, j);
      g_array_index (p->edges, guint, j) = t;
    }
  for (guint i = 0, j = p->nodes->len - 1; i < j; i++, j--)
    {
      guint t = g_array_index (p->nodes, guint, i);

      g_array_index (p->nodes, guint, i) = g_array_index (p->nodes, guint, j);
      g_array_index (p->nodes, guint, j) = t;
    }
  v = meet;
  while (r->side[1].lab[v].stamp >= r->base && r->side[1].lab[v].pred != G_MAXUINT)
    {
      guint e = r->side[1].lab[v].pred;

      g_array_append_val (p->edges, e);
      v = ngam_graph_edge_other (g, e, v);
      g_array_append_val (p->nodes, v);
    }
  for (guint i = 0; i < p->edges->len; i++)
    p->length += g->edge[g_array_index (p->edges, guint, i)].length;
}

/**
 * ngam_router_path:
 *
 * Returns: (transfer full): the least-cost path from node @from to node
 *   @to, or NULL with NGAM_NET_ERROR_DISCONNECTED when there is none.
 */
NgamPath *
ngam_router_path (NgamRouter  *r,
                  guint        from,
                  guint        to,
                  GError     **error)
{
  g_autoptr(NgamPath) p = NULL;
  double cost;
  guint meet;

  g_return_val_if_fail (from < r->g->n_nodes && to < r->g->n_nodes, NULL);
  next_generation (r, 2);
  if (r->g->node_xy)
    set_points (r, r->g->node_xy[2 * from], r->g->node_xy[2 * from + 1],
                r->g->node_xy[2 * to], r->g->node_xy[2 * to + 1]);
  else
    r->use_pot = FALSE;
  seed (r, 0, from, 0);
  seed (r, 1, to, 0);
  cost = bidirectional (r, INFINITY, &meet);
  if (!isfinite (cost))
    {
      g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_DISCONNECTED,
                   "no path from node %u (component %u) to node %u (component %u)",
                   from, r->g->component[from], to, r->g->component[to]);
      return NULL;
    }
  p = path_new ();
  p->cost = cost;
  collect_path (r, meet, p);
  return g_steal_pointer (&p);
}

/* The cost of the fraction @t of an edge costing @cost. */
static inline double
part_cost (double t, double cost)
{
  return t <= 0 ? 0 : t * cost;
}

/**
 * ngam_router_path_between:
 * @from: a point located on an edge (ngam_graph_locate())
 * @to: another
 *
 * The path between two points that lie inside edges: it starts along part
 * of @from's edge and ends along part of @to's.
 *
 * Returns: (transfer full): the path, or NULL with @error set.
 */
NgamPath *
ngam_router_path_between (NgamRouter               *r,
                          const NgamGraphLocation  *from,
                          const NgamGraphLocation  *to,
                          GError                  **error)
{
  const NgamGraph *g = r->g;
  g_autoptr(NgamPath) p = NULL;
  double cf, ct, mu0 = INFINITY, cost;
  guint meet;

  g_return_val_if_fail (from->edge < g->n_edges && to->edge < g->n_edges, NULL);
  cf = r->cost[from->edge];
  ct = r->cost[to->edge];
  next_generation (r, 2);
  set_points (r, from->x, from->y, to->x, to->y);
  /* A point at an end of its edge (a junction) reaches that node for
   * nothing, even when its edge is forbidden: 0 × INFINITY would be NaN. */
  seed (r, 0, g->edge_uv[2 * from->edge], part_cost (from->t, cf));
  seed (r, 0, g->edge_uv[2 * from->edge + 1], part_cost (1 - from->t, cf));
  seed (r, 1, g->edge_uv[2 * to->edge], part_cost (to->t, ct));
  seed (r, 1, g->edge_uv[2 * to->edge + 1], part_cost (1 - to->t, ct));
  if (from->edge == to->edge && isfinite (cf))
    mu0 = fabs (from->t - to->t) * cf;
  cost = bidirectional (r, mu0, &meet);
  if (!isfinite (cost))
    {
      g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_DISCONNECTED,
                   "no path from (%.2f, %.2f) on street %" G_GINT64_FORMAT " (component %u) "
                   "to (%.2f, %.2f) on street %" G_GINT64_FORMAT " (component %u)%s",
                   from->x, from->y, g->edge[from->edge].street_fid, g->component[g->edge_uv[2 * from->edge]],
                   to->x, to->y, g->edge[to->edge].street_fid, g->component[g->edge_uv[2 * to->edge]],
                   g->component[g->edge_uv[2 * from->edge]] != g->component[g->edge_uv[2 * to->edge]]
                   ? ": the streets are not connected" : ": the cost model forbids every way");
      return NULL;
    }
  p = path_new ();
  p->cost = cost;
  p->from_edge = from->edge;
  p->from_t = from->t;
  p->to_edge = to->edge;
  p->to_t = to->t;
  if (meet == G_MAXUINT)
    {
      /* inside one edge */
      p->length = fabs (from->t - to->t) * g->edge[from->edge].length;
      return g_steal_pointer (&p);
    }
  collect_path (r, meet, p);
  {
    guint first = g_array_index (p->nodes, guint, 0);
    guint last = g_array_index (p->nodes, guint, p->nodes->len - 1);

    p->length += (first == g->edge_uv[2 * from->edge] ? from->t : 1 - from->t) * g->edge[from->edge].length;
    p->length += (last == g->edge_uv[2 * to->edge] ? to->t : 1 - to->t) * g->edge[to->edge].length;
  }
  return g_steal_pointer (&p);
}

static inline guint
bucket_of (const NgamRouter *r, double d)
{
  return (guint) ((guint64) (d / r->delta) % r->n_buckets);
}

static inline void
bucket_push (NgamRouter *r, guint b, guint v)
{
  if (r->bucket_len[b] == r->bucket_cap[b])
    {
      r->bucket_cap[b] = r->bucket_cap[b] ? 2 * r->bucket_cap[b] : 64;
      r->bucket[b] = g_renew (guint, r->bucket[b], r->bucket_cap[b]);
    }
  r->bucket[b][r->bucket_len[b]++] = v;
}

/* The one-to-many search over Dial's buckets (see choose_buckets()); the
 * targets are marked in side[1] and @left of them remain.  A node whose
 * cost drops is queued again and its old entry skipped: it is settled by
 * then, as every entry it left behind lies in a later bucket. */
static void
one_to_many_dial (NgamRouter *r, guint source, guint left)
{
  const NgamGraph *g = r->g;
  const guint *adj_start = g->adj_start, *adj_node = g->adj_node, *adj_edge = g->adj_edge;
  const double *adj_cost = r->adj_cost;
  Label *lab = r->side[0].lab, *mark = r->side[1].lab;
  guint reached = r->base, settled = r->base + 1, empty = 0;
  guint64 cur = 0;

  if (r->bucket == NULL)
    {
      r->bucket = g_new0 (guint *, r->n_buckets);
      r->bucket_len = g_new0 (guint, r->n_buckets);
      r->bucket_cap = g_new0 (guint, r->n_buckets);
    }
  bucket_push (r, bucket_of (r, 0), source);
  /* stop when every target is settled, or after a whole empty ring */
  while (left > 0 && empty < r->n_buckets)
    {
      guint b = (guint) (cur++ % r->n_buckets);

      if (r->bucket_len[b] == 0)
        {
          empty++;
          continue;
        }
      empty = 0;
      for (guint i = 0; i < r->bucket_len[b] && left > 0; i++)
        {
          guint v = r->bucket[b][i];
          double dv = lab[v].dist;

          if (lab[v].stamp == settled)
            continue;
          lab[v].stamp = settled;
          if (mark[v].stamp >= reached)
            left--;
          for (guint k = adj_start[v]; k < adj_start[v + 1]; k++)
            {
              Label *lw = &lab[adj_node[k]];
              double nd = dv + adj_cost[k];

              if (lw->stamp < reached ? nd < INFINITY : (lw->stamp != settled && nd < lw->dist))
                {
                  lw->stamp = reached;
                  lw->dist = nd;
                  lw->pred = adj_edge[k];
                  bucket_push (r, bucket_of (r, nd), adj_node[k]);
                }
            }
        }
      r->bucket_len[b] = 0;
    }
  /* leave the ring empty for the next query */
  for (guint b = 0; b < r->n_buckets; b++)
    r->bucket_len[b] = 0;
}

/**
 * ngam_router_one_to_many:
 * @costs: (out caller-allocates) (array length=n_targets): least cost to
 *   each target, INFINITY when unreachable
 *
 * One Dijkstra from @source that stops once every target is settled.
 */
void
ngam_router_one_to_many (NgamRouter  *r,
                         guint        source,
                         const guint *targets,
                         guint        n_targets,
                         double      *costs)
{
  const NgamGraph *g = r->g;
  const guint *adj_start = g->adj_start, *adj_node = g->adj_node, *adj_edge = g->adj_edge;
  const double *adj_cost = r->adj_cost;
  Label *lab, *mark;
  NgamHeap *heap;
  guint left = 0, reached, settled;

  next_generation (r, 2);
  lab = r->side[0].lab;
  mark = r->side[1].lab;
  heap = &r->side[0].heap;
  reached = r->base;
  settled = r->base + 1;
  r->use_pot = FALSE;
  /* side[1]'s stamps mark the targets still to settle */
  for (guint i = 0; i < n_targets; i++)
    if (mark[targets[i]].stamp < reached)
      {
        mark[targets[i]].stamp = reached;
        left++;
      }
  seed (r, 0, source, 0);
  if (r->n_buckets > 0 && left > 0)
    {
      one_to_many_dial (r, source, left);
      ngam_heap_clear (heap);
    }
  while (left > 0 && heap->len > 0)
    {
      NgamHeapItem it = ngam_heap_pop (heap);
      guint v = it.node;

      if (lab[v].stamp == settled)
        continue;
      lab[v].stamp = settled;
      if (mark[v].stamp >= reached)
        left--;
      for (guint k = adj_start[v]; k < adj_start[v + 1]; k++)
        {
          Label *lw = &lab[adj_node[k]];
          double nd = it.key + adj_cost[k];

          if (lw->stamp < reached ? nd < INFINITY : nd < lw->dist)
            {
              lw->stamp = reached;
              lw->dist = nd;
              lw->pred = adj_edge[k];
              ngam_heap_push (heap, nd, adj_node[k]);
            }
        }
    }
  for (guint i = 0; i < n_targets; i++)
    costs[i] = lab[targets[i]].stamp == settled ? lab[targets[i]].dist : INFINITY;
}

typedef struct
{
  NgamRouter   *proto;
  const guint  *sources, *targets;
  guint         n_sources, n_targets;
  double       *matrix;
  gint          next;      /* atomic: next source row */
  gint          done;      /* atomic: rows finished */
  GCancellable *cancellable;
} ManyJob;

static void
many_work (ManyJob *job, NgamRouter *r)
{
  while (!g_cancellable_is_cancelled (job->cancellable))
    {
      gint i = g_atomic_int_add (&job->next, 1);

      if (i >= (gint) job->n_sources)
        break;
      ngam_router_one_to_many (r, job->sources[i], job->targets, job->n_targets,
                               job->matrix + (gsize) i * job->n_targets);
      g_atomic_int_inc (&job->done);
    }
}

static gpointer
many_thread (gpointer data)
{
  ManyJob *job = data;
  NgamRouter *r = router_alloc (job->proto->g, job->proto->cost, job->proto->k, job->proto->adj_cost);

  many_work (job, r);
  ngam_router_free (r);
  return NULL;
}

/* One Dijkstra per row, spread over the machine's cores. */
static gboolean
many_plain (NgamRouter       *r,
            const guint      *rows,
            guint             n_rows,
            const guint      *cols,
            guint             n_cols,
            double           *out,
            NgamProgressFunc  progress,
            gpointer          progress_data,
            GCancellable     *cancellable)
{
  ManyJob job = { 0 };
  guint n_threads = MIN (MAX (g_get_num_processors (), 1), MAX (n_rows, 1)) - 1;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();

  job.proto = r;
  job.sources = rows;
  job.targets = cols;
  job.n_sources = n_rows;
  job.n_targets = n_cols;
  job.matrix = out;
  job.cancellable = cancellable;
  if (n_threads > 0 &&
      !ngam_net_check_memory ((guint64) r->g->n_nodes * (n_threads + 1) * 2 * 20, "many-to-many routing", NULL))
    n_threads = 0;
  for (guint i = 0; i < n_threads; i++)
    g_ptr_array_add (threads, g_thread_new ("ngam-route", many_thread, &job));
  /* This thread works too, and alone reports progress. */
  while (!g_cancellable_is_cancelled (cancellable))
    {
      gint i = g_atomic_int_add (&job.next, 1);

      if (i >= (gint) n_rows)
        break;
      ngam_router_one_to_many (r, rows[i], cols, n_cols, out + (gsize) i * n_cols);
      g_atomic_int_inc (&job.done);
      if (progress)
        progress ((double) g_atomic_int_get (&job.done) / n_rows, "shortest paths", progress_data);
    }
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);
  return !g_cancellable_is_cancelled (cancellable);
}

/**
 * ngam_router_prepare_hierarchy:
 *
 * Contracts the graph under the router's costs once (see
 * ngam-route-ch.c) and keeps the hierarchy with the router, so that
 * every later ngam_router_many_to_many() answers by the bucket method.
 * Many-to-many prepares it by itself when the matrix is large enough to
 * pay for it; call this to prepare it ahead of smaller ones.
 *
 * Returns: FALSE when cancelled or refused for memory.
 */
gboolean
ngam_router_prepare_hierarchy (NgamRouter        *r,
                               NgamProgressFunc   progress,
                               gpointer           progress_data,
                               GCancellable      *cancellable,
                               GError           **error)
{
  if (r->ch == NULL)
    r->ch = ngam_ch_build (r->g, r->cost, progress, progress_data, cancellable, error);
  return r->ch != NULL;
}

/* Preparing the hierarchy costs about as much CPU as 130 plain searches
 * over the whole graph; over it, a row of the smaller side (upward search
 * and core search) costs about 0.3 of one and a column about 0.01
 * (measured on the generated town at 10^5 intersections,
 * bench/README.md): it pays once the smaller side has about 200 + 1/70
 * of the larger. */
static gboolean
hierarchy_pays (guint n_rows, guint n_cols)
{
  return n_rows >= 200 + n_cols / 70;
}

/**
 * ngam_router_many_to_many:
 * @matrix: (out caller-allocates): @n_sources × @n_targets costs, row per
 *   source
 *
 * With a contraction hierarchy (ngam_router_prepare_hierarchy(), or
 * prepared here when the matrix is large enough to pay for it, see
 * hierarchy_pays()) by the bucket method; otherwise one Dijkstra per
 * source or per target, whichever are fewer, spread over the machine's
 * cores.
 *
 * Returns: FALSE only when cancelled.
 */
gboolean
ngam_router_many_to_many (NgamRouter        *r,
                          const guint       *sources,
                          guint              n_sources,
                          const guint       *targets,
                          guint              n_targets,
                          double            *matrix,
                          NgamProgressFunc   progress,
                          gpointer           progress_data,
                          GCancellable      *cancellable,
                          GError           **error)
{
  gboolean flip = n_targets < n_sources;
  guint n_rows = flip ? n_targets : n_sources, n_cols = flip ? n_sources : n_targets;
  const guint *rows = flip ? targets : sources, *cols = flip ? sources : targets;
  g_autofree double *tmp = NULL;
  double *out;

  if (r->ch == NULL && hierarchy_pays (n_rows, n_cols))
    {
      g_autoptr(GError) local = NULL;

      /* a refusal for memory falls back to the searches below */
      if (!ngam_router_prepare_hierarchy (r, NULL, NULL, cancellable, &local) &&
          g_cancellable_is_cancelled (cancellable))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  /* The graph is undirected: the smaller side is searched from (the
   * hierarchy's dearer searches, or one Dijkstra each). */
  out = matrix;
  if (flip)
    out = tmp = g_new (double, (gsize) n_rows * n_cols);
  if (!(r->ch ? ngam_ch_many_to_many (r->ch, rows, n_rows, cols, n_cols, out, progress, progress_data, cancellable)
              : many_plain (r, rows, n_rows, cols, n_cols, out, progress, progress_data, cancellable)))
    {
      g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_CANCELLED, "routing was cancelled");
      return FALSE;
    }
  if (flip)
    for (guint i = 0; i < n_sources; i++)
      for (guint j = 0; j < n_targets; j++)
        matrix[(gsize) i * n_targets + j] = tmp[(gsize) j * n_sources + i];
  return TRUE;
}

/* --- geometry ------------------------------------------------------------ */

/* Appends the part of edge @e between fractions @t0 and @t1 (by length,
 * either way round) to @pts. */
static void
append_edge_range (GArray *pts, const NgamGraph *g, guint e, double t0, double t1)
{
  double buf[4], total = 0, run = 0, lo = MIN (t0, t1), hi = MAX (t0, t1);
  const double *xy;
  guint n, start = pts->len;
  g_autofree double *cum = NULL;

  if (g->geom_start)
    {
      xy = g->geom_xy + 2 * (gsize) g->geom_start[e];
      n = g->geom_start[e + 1] - g->geom_start[e];
    }
  else
    {
      guint u = g->edge_uv[2 * e], v = g->edge_uv[2 * e + 1];

      buf[0] = g->node_xy[2 * u];
      buf[1] = g->node_xy[2 * u + 1];
      buf[2] = g->node_xy[2 * v];
      buf[3] = g->node_xy[2 * v + 1];
      xy = buf;
      n = 2;
    }
  cum = g_new (double, n);
  cum[0] = 0;
  for (guint i = 1; i < n; i++)
    cum[i] = cum[i - 1] + hypot (xy[2 * i] - xy[2 * i - 2], xy[2 * i + 1] - xy[2 * i - 1]);
  total = cum[n - 1];
  /* forward from lo to hi, reversed afterwards if needed */
  for (guint i = 0; i + 1 < n; i++)
    {
      double a = total > 0 ? cum[i] / total : 0, b = total > 0 ? cum[i + 1] / total : 1;

      if (b < lo || a > hi)
        continue;
      if (pts->len == start)
        {
          double f = b > a ? (lo - a) / (b - a) : 0;
          double x = xy[2 * i] + CLAMP (f, 0, 1) * (xy[2 * i + 2] - xy[2 * i]);
          double y = xy[2 * i + 1] + CLAMP (f, 0, 1) * (xy[2 * i + 3] - xy[2 * i + 1]);

          g_array_append_val (pts, x);
          g_array_append_val (pts, y);
        }
      if (b < hi)
        {
          g_array_append_val (pts, xy[2 * i + 2]);
          g_array_append_val (pts, xy[2 * i + 3]);
        }
      else
        {
          double f = b > a ? (hi - a) / (b - a) : 1;
          double x = xy[2 * i] + CLAMP (f, 0, 1) * (xy[2 * i + 2] - xy[2 * i]);
          double y = xy[2 * i + 1] + CLAMP (f, 0, 1) * (xy[2 * i + 3] - xy[2 * i + 1]);

          g_array_append_val (pts, x);
          g_array_append_val (pts, y);
          break;
        }
      run = b;
    }
  (void) run;
  if (t0 > t1)
    {
      double *p = &g_array_index (pts, double, start);
      guint k = (pts->len - start) / 2;

      for (guint i = 0, j = k - 1; k > 0 && i < j; i++, j--)
        {
          double x = p[2 * i], y = p[2 * i + 1];

          p[2 * i] = p[2 * j];
          p[2 * i + 1] = p[2 * j + 1];
          p[2 * j] = x;
          p[2 * j + 1] = y;
        }
    }
}

/**
 * ngam_path_to_shape:
 *
 * Returns: (transfer full) (nullable): the path as one line in the graph's
 *   CRS, or NULL for abstract graphs.
 */
NgamShape *
ngam_path_to_shape (const NgamGraph *g,
                    const NgamPath  *p)
{
  g_autoptr(GArray) pts = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) clean = g_array_new (FALSE, FALSE, sizeof (double));

  if (g->node_xy == NULL)
    return NULL;
  if (p->from_edge != G_MAXUINT && p->nodes->len == 0)
    append_edge_range (pts, g, p->from_edge, p->from_t, p->to_t);
  else
    {
      if (p->from_edge != G_MAXUINT)
        {
          guint first = g_array_index (p->nodes, guint, 0);

          append_edge_range (pts, g, p->from_edge, p->from_t,
                             first == g->edge_uv[2 * p->from_edge] ? 0 : 1);
        }
      for (guint i = 0; i < p->edges->len; i++)
        {
          guint e = g_array_index (p->edges, guint, i), a = g_array_index (p->nodes, guint, i);

          append_edge_range (pts, g, e, a == g->edge_uv[2 * e] ? 0 : 1, a == g->edge_uv[2 * e] ? 1 : 0);
        }
      if (p->to_edge != G_MAXUINT)
        {
          guint last = g_array_index (p->nodes, guint, p->nodes->len - 1);

          append_edge_range (pts, g, p->to_edge, last == g->edge_uv[2 * p->to_edge] ? 0 : 1, p->to_t);
        }
      if (pts->len == 0 && p->nodes->len > 0)
        {
          guint v = g_array_index (p->nodes, guint, 0);

          g_array_append_vals (pts, g->node_xy + 2 * (gsize) v, 2);
        }
    }
  /* drop repeated vertices where pieces join */
  for (guint i = 0; i + 1 < pts->len; i += 2)
    {
      double x = g_array_index (pts, double, i), y = g_array_index (pts, double, i + 1);

      if (clean->len >= 2 && g_array_index (clean, double, clean->len - 2) == x &&
          g_array_index (clean, double, clean->len - 1) == y)
        continue;
      g_array_append_val (clean, x);
      g_array_append_val (clean, y);
    }
  if (clean->len == 2)
    g_array_append_vals (clean, clean->data, 2);
  return ngam_shape_new_line ((const double *) clean->data, clean->len / 2);
}
