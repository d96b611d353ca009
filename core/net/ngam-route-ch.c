/* ngam-route-ch.c — a contraction hierarchy, and many-to-many costs over
 * it by the bucket method
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Contraction (Geisberger et al., Contraction Hierarchies, WEA 2008): the
 * nodes are removed one at a time, least important first; removing v
 * joins each pair of its remaining neighbours u, w by a shortcut of cost
 * c(u,v) + c(v,w) unless a witness search from u that avoids v finds a
 * path no dearer.  A node's importance is what RoutingKit uses (Dibbelt,
 * Strasser, Wagner): its level (one more than the highest level among the
 * neighbours contracted before it) plus the shortcuts its removal adds per
 * arc it removes plus the original edges those shortcuts stand for per
 * original edge removed, estimated with one-hop witnesses.  The order is
 * updated lazily: a node whose neighbourhood changed since its estimate
 * is estimated again when it comes off the queue, and put back if it is
 * no longer the least.  Witness searches stop at a bound of settled
 * nodes, so they may miss a witness: that only adds a shortcut that is
 * not needed, never loses a path.  The graph is undirected and prices an
 * edge the same both ways, so one upward graph serves both directions.
 *
 * A grid-like town has no hierarchy to speak of at the top: the last few
 * per cent of the nodes end up densely linked and contracting them would
 * cost most of the time (35 s at 10^5 nodes with a full contraction).  So
 * contraction stops when the remaining graph's mean degree passes
 * CORE_DEGREE, and those nodes stay as the core, searched by plain
 * Dijkstra (a "core-based" hierarchy, as in Core-ALT).
 *
 * Queries run in rank space (the core above every contracted node): a
 * search from s only climbs to higher ranks, stops at the core, and a
 * node whose label can be beaten through a higher neighbour is not
 * expanded (stall on demand).  Many-to-many (Knopp et al., ALENEX 2007):
 * one upward search from each target leaves (target, cost) in a bucket at
 * every node it settles, core nodes included; from each source, one
 * upward search and then one Dijkstra in the core seeded with the core
 * nodes it reached; the buckets of every node settled are read, and the
 * least sum is the cost.  A shortest path climbs, may cross the core, and
 * descends, so this is exactly Dijkstra's cost, up to the order in which
 * the same edge costs are added.
 */
#define G_LOG_DOMAIN "ngam-net"

#include "config.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "ngam-graph.h"
#include "ngam-net-private.h"
#include "ngam-route-ch.h"

/* settled-node bound of a witness search */
/* Settled-node bounds of the witness searches: when a node is contracted,
 * and when its importance is estimated (1: only the arcs out of each
 * neighbour are looked at, a one-hop witness). */
#define WITNESS_POPS_CONTRACT 40
#define WITNESS_POPS_ESTIMATE 1
/* Contraction stops once the remaining graph's mean degree exceeds this:
 * on a grid-like town the last nodes are so densely linked that
 * contracting them costs more than searching them (bench/README.md). */
#define CORE_DEGREE 16.0

typedef struct
{
  guint  to;
  guint  hops;   /* original edges this arc stands for */
  double w;
} Arc;

typedef struct
{
  Arc  *a;
  guint len, cap;
} Adj;

struct _NgamCH
{
  guint    n;
  guint   *rank;       /* node → rank */
  guint   *up_start;   /* by rank, n + 1 */
  guint   *up_to;      /* ranks, each above its tail */
  double  *up_w;
  /* the core: ranks core_first… n − 1, left uncontracted, with the arcs
   * among them (core-local numbers) */
  guint    core_first;
  guint   *core_start;
  guint   *core_to;
  double  *core_w;
  guint64  n_shortcuts;
  double   seconds;
};

typedef struct
{
  guint     n;
  Adj      *adj;
  guint    *level;
  double   *prio;
  guint8   *done;
  guint8   *dirty;    /* neighbourhood changed since the last estimate */
  /* witness search */
  double   *dist;
  guint    *stamp;
  guint    *tstamp;   /* targets of the current search */
  guint     cur;
  NgamHeap  heap;
} Contractor;

static void
adj_push (Adj *d, guint to, double w, guint hops)
{
  if (d->len == d->cap)
    {
      d->cap = d->cap ? 2 * d->cap : 4;
      d->a = g_renew (Arc, d->a, d->cap);
    }
  d->a[d->len].to = to;
  d->a[d->len].w = w;
  d->a[d->len].hops = hops;
  d->len++;
}

/* Adds the arc u–w both ways, or lowers the one that is there. */
static gboolean
add_arc (Contractor *c, guint u, guint w, double cost, guint hops)
{
  Adj *du = &c->adj[u], *dw = &c->adj[w];

  for (guint k = 0; k < du->len; k++)
    if (du->a[k].to == w)
      {
        if (du->a[k].w <= cost)
          return FALSE;
        du->a[k].w = cost;
        du->a[k].hops = hops;
        for (guint l = 0; l < dw->len; l++)
          if (dw->a[l].to == u)
            {
              dw->a[l].w = cost;
              dw->a[l].hops = hops;
              break;
            }
        return FALSE;
      }
  adj_push (du, w, cost, hops);
  adj_push (dw, u, cost, hops);
  if (c->dirty)
    c->dirty[u] = c->dirty[w] = 1;
  return TRUE;
}

static void
next_stamp (Contractor *c)
{
  if (++c->cur == G_MAXUINT)
    {
      memset (c->stamp, 0, sizeof (guint) * c->n);
      memset (c->tstamp, 0, sizeof (guint) * c->n);
      c->cur = 1;
    }
  ngam_heap_clear (&c->heap);
}

/* Dijkstra from @u in the remaining graph without @skip, up to @limit and
 * WITNESS_POPS settled nodes, or until the @left targets marked in tstamp
 * are settled.  Tentative labels are left in dist/stamp: each is the cost
 * of some path, which is all a witness needs. */
static void
witness (Contractor *c, guint u, guint skip, double limit, guint left, guint max_pops)
{
  guint pops = 0;

  c->stamp[u] = c->cur;
  c->dist[u] = 0;
  ngam_heap_push (&c->heap, 0, u);
  while (c->heap.len > 0 && left > 0 && pops < max_pops)
    {
      NgamHeapItem it = ngam_heap_pop (&c->heap);
      const Adj *d;

      if (it.key > c->dist[it.node])
        continue;
      if (it.key > limit)
        break;
      pops++;
      if (c->tstamp[it.node] == c->cur)
        {
          left--;
          c->tstamp[it.node] = 0;
        }
      d = &c->adj[it.node];
      for (guint k = 0; k < d->len; k++)
        {
          guint x = d->a[k].to;
          double nd = it.key + d->a[k].w;

          if (x == skip || nd > limit)
            continue;
          if (c->stamp[x] != c->cur || nd < c->dist[x])
            {
              c->stamp[x] = c->cur;
              c->dist[x] = nd;
              ngam_heap_push (&c->heap, nd, x);
            }
        }
    }
}

/* Simulates (@apply FALSE) or performs the shortcuts of removing @v;
 * returns how many it needs and the original edges they stand for. */
static guint
shortcuts (Contractor *c, guint v, gboolean apply, guint *hops_out, guint64 *added)
{
  Adj *dv = &c->adj[v];
  guint n_short = 0, hops = 0;

  for (guint i = 0; i + 1 < dv->len; i++)
    {
      guint u = dv->a[i].to;
      double wu = dv->a[i].w, maxw = 0;

      next_stamp (c);
      for (guint j = i + 1; j < dv->len; j++)
        {
          maxw = MAX (maxw, dv->a[j].w);
          c->tstamp[dv->a[j].to] = c->cur;
        }
      witness (c, u, v, wu + maxw, dv->len - 1 - i, apply ? WITNESS_POPS_CONTRACT : WITNESS_POPS_ESTIMATE);
      for (guint j = i + 1; j < dv->len; j++)
        {
          guint w = dv->a[j].to;
          double need = wu + dv->a[j].w;

          if (c->stamp[w] == c->cur && c->dist[w] <= need)
            continue;
          n_short++;
          hops += dv->a[i].hops + dv->a[j].hops;
          if (apply && add_arc (c, u, w, need, dv->a[i].hops + dv->a[j].hops))
            (*added)++;
        }
    }
  if (hops_out)
    *hops_out = hops;
  return n_short;
}

static double
importance (Contractor *c, guint v)
{
  const Adj *dv = &c->adj[v];
  guint hops, n_short, removed_hops = 1;

  n_short = shortcuts (c, v, FALSE, &hops, NULL);

  for (guint k = 0; k < dv->len; k++)
    removed_hops += dv->a[k].hops;
  return c->level[v] + (double) n_short / (dv->len + 1) + (double) hops / removed_hops;
}

void
ngam_ch_free (NgamCH *ch)
{
  if (ch == NULL)
    return;
  g_free (ch->rank);
  g_free (ch->up_start);
  g_free (ch->up_to);
  g_free (ch->up_w);
  g_free (ch->core_start);
  g_free (ch->core_to);
  g_free (ch->core_w);
  g_free (ch);
}

guint64
ngam_ch_n_shortcuts (const NgamCH *ch)
{
  return ch->n_shortcuts;
}

double
ngam_ch_seconds (const NgamCH *ch)
{
  return ch->seconds;
}

static void
contractor_clear (Contractor *c)
{
  for (guint v = 0; c->adj && v < c->n; v++)
    g_free (c->adj[v].a);
  g_free (c->adj);
  g_free (c->level);
  g_free (c->prio);
  g_free (c->done);
  g_free (c->dirty);
  g_free (c->dist);
  g_free (c->stamp);
  g_free (c->tstamp);
  ngam_heap_free (&c->heap);
}

NgamCH *
ngam_ch_build (const NgamGraph  *g,
               const double     *cost,
               NgamProgressFunc  progress,
               gpointer          progress_data,
               GCancellable     *cancellable,
               GError          **error)
{
  g_autoptr(NgamCH) ch = NULL;
  Contractor c = { 0 };
  NgamHeap queue = { 0 };
  GArray *up_to = NULL, *up_w = NULL;
  guint n = g->n_nodes, next_rank = 0;
  guint64 arcs_left = 0;
  double t0 = ngam_net_now ();
  struct timespec cpu0, cpu1;
  guint64 added = 0;

  /* the contraction's graph, its shortcuts and the upward graph: about
   * three times the edges at 16 bytes each, plus per-node arrays */
  if (!ngam_net_check_memory ((guint64) g->n_edges * 3 * 2 * 16 + (guint64) n * 64,
                              "the contraction hierarchy", error))
    return NULL;
  ch = g_new0 (NgamCH, 1);
  ch->n = n;
  ch->rank = g_new (guint, MAX (n, 1));
  ch->up_start = g_new0 (guint, n + 1);
  c.n = n;
  c.adj = g_new0 (Adj, MAX (n, 1));
  c.level = g_new0 (guint, MAX (n, 1));
  c.prio = g_new0 (double, MAX (n, 1));
  c.done = g_new0 (guint8, MAX (n, 1));
  c.dist = g_new (double, MAX (n, 1));
  c.stamp = g_new0 (guint, MAX (n, 1));
  c.tstamp = g_new0 (guint, MAX (n, 1));
  /* usable edges, loops dropped, the cheapest of parallel ones kept */
  for (guint e = 0; e < g->n_edges; e++)
    {
      guint u = g->edge_uv[2 * e], v = g->edge_uv[2 * e + 1];

      if (u != v && isfinite (cost[e]))
        add_arc (&c, u, v, cost[e], 1);
    }
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &cpu0);
  c.dirty = g_new0 (guint8, MAX (n, 1));
  for (guint v = 0; v < n; v++)
    arcs_left += c.adj[v].len;
  arcs_left /= 2;
  for (guint v = 0; v < n; v++)
    {
      c.prio[v] = importance (&c, v);
      ngam_heap_push (&queue, c.prio[v], v);
    }
  up_to = g_array_sized_new (FALSE, FALSE, sizeof (guint), 2 * (gsize) g->n_edges);
  up_w = g_array_sized_new (FALSE, FALSE, sizeof (double), 2 * (gsize) g->n_edges);
  while (queue.len > 0)
    {
      NgamHeapItem it = ngam_heap_pop (&queue);
      guint v = it.node;
      Adj *dv = &c.adj[v];

      if (c.done[v] || it.key != c.prio[v])
        continue;
      /* lazy update: contract only if still the least important */
      if (c.dirty[v])
        {
          c.dirty[v] = 0;
          c.prio[v] = importance (&c, v);
          if (queue.len > 0 && c.prio[v] > ngam_heap_top_key (&queue))
            {
              ngam_heap_push (&queue, c.prio[v], v);
              continue;
            }
        }
      if ((next_rank & 1023) == 0)
        {
          if (g_cancellable_is_cancelled (cancellable))
            {
              g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_CANCELLED, "routing was cancelled");
              contractor_clear (&c);
              ngam_heap_free (&queue);
              g_array_unref (up_to);
              g_array_unref (up_w);
              return NULL;
            }
          if (progress)
            progress ((double) next_rank / MAX (n, 1), "contraction hierarchy", progress_data);
        }
      /* Once what is left is dense, contracting it costs more than
       * searching it: it stays as the core. */
      if (n - next_rank > 64 && 2.0 * arcs_left / (n - next_rank) > CORE_DEGREE)
        break;
      {
        guint64 before = added;

        shortcuts (&c, v, TRUE, NULL, &added);
        arcs_left += added - before;
        arcs_left -= dv->len;
      }
      c.done[v] = 1;
      ch->rank[v] = next_rank;
      ch->up_start[next_rank] = up_to->len;
      next_rank++;
      /* v's remaining arcs go up; node ids for now, ranks below */
      for (guint k = 0; k < dv->len; k++)
        {
          guint u = dv->a[k].to;
          Adj *du = &c.adj[u];

          g_array_append_val (up_to, u);
          g_array_append_val (up_w, dv->a[k].w);
          for (guint l = 0; l < du->len; l++)
            if (du->a[l].to == v)
              {
                du->a[l] = du->a[--du->len];
                break;
              }
          c.level[u] = MAX (c.level[u], c.level[v] + 1);
          c.dirty[u] = 1;
        }
      g_clear_pointer (&dv->a, g_free);
      dv->len = dv->cap = 0;
    }
  /* the core, in node order */
  ch->core_first = next_rank;
  for (guint v = 0; v < n; v++)
    if (!c.done[v])
      {
        ch->rank[v] = next_rank;
        ch->up_start[next_rank++] = up_to->len;
      }
  ch->up_start[n] = up_to->len;
  {
    guint nc = n - ch->core_first, k = 0;
    guint64 total = 0;

    ch->core_start = g_new (guint, nc + 1);
    for (guint v = 0; v < n; v++)
      if (!c.done[v])
        total += c.adj[v].len;
    ch->core_to = g_new (guint, MAX (total, 1));
    ch->core_w = g_new (double, MAX (total, 1));
    ch->core_start[0] = 0;
    for (guint v = 0; v < n; v++)
      if (!c.done[v])
        {
          guint i = ch->rank[v] - ch->core_first;

          for (guint a = 0; a < c.adj[v].len; a++, k++)
            {
              ch->core_to[k] = ch->rank[c.adj[v].a[a].to] - ch->core_first;
              ch->core_w[k] = c.adj[v].a[a].w;
            }
          ch->core_start[i + 1] = k;
        }
  }
  for (guint k = 0; k < up_to->len; k++)
    g_array_index (up_to, guint, k) = ch->rank[g_array_index (up_to, guint, k)];
  ch->up_to = (guint *) g_array_free (up_to, FALSE);
  ch->up_w = (double *) g_array_free (up_w, FALSE);
  ch->n_shortcuts = added;
  contractor_clear (&c);
  ngam_heap_free (&queue);
  ch->seconds = ngam_net_now () - t0;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &cpu1);
  g_debug ("contraction: %.3f s of CPU", (cpu1.tv_sec - cpu0.tv_sec) + (cpu1.tv_nsec - cpu0.tv_nsec) / 1e9);
  g_debug ("contraction hierarchy: %u nodes, %u upward arcs, %" G_GUINT64_FORMAT " shortcuts, core of %u nodes and %u arcs, %.3f s", n,
           ch->up_start[n], added, n - ch->core_first, ch->core_start[n - ch->core_first], ch->seconds);
  return g_steal_pointer (&ch);
}

/* --- queries ------------------------------------------------------------- */

typedef struct
{
  double d;
  guint  stamp;
} QLabel;

typedef struct
{
  QLabel  *lab;
  guint    cur;
  NgamHeap heap;
  GArray  *space_node;   /* settled ranks of the last search */
  GArray  *space_dist;
  /* the search in the core */
  QLabel  *clab;
  guint    ccur;
  NgamHeap cheap;
  GArray  *core_node;    /* core-local numbers settled, and their costs */
  GArray  *core_dist;
} Query;

static void
query_init (Query *q, const NgamCH *ch)
{
  memset (q, 0, sizeof *q);
  q->lab = g_new0 (QLabel, MAX (ch->n, 1));
  q->clab = g_new0 (QLabel, MAX (ch->n - ch->core_first, 1));
  q->space_node = g_array_new (FALSE, FALSE, sizeof (guint));
  q->space_dist = g_array_new (FALSE, FALSE, sizeof (double));
  q->core_node = g_array_new (FALSE, FALSE, sizeof (guint));
  q->core_dist = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
query_clear (Query *q)
{
  g_free (q->lab);
  g_free (q->clab);
  ngam_heap_free (&q->heap);
  ngam_heap_free (&q->cheap);
  g_array_unref (q->space_node);
  g_array_unref (q->space_dist);
  g_array_unref (q->core_node);
  g_array_unref (q->core_dist);
}

/* Dijkstra inside the core from the core nodes the last upward search
 * reached, at their costs: every least cost from the source to a core
 * node, in core_node/core_dist. */
static void
core_search (const NgamCH *ch, Query *q, const guint *bstart, guint n_bucketed)
{
  guint reached = 0;
  const guint *start = ch->core_start, *to = ch->core_to;
  const double *w = ch->core_w;
  QLabel *lab = q->clab;
  guint cur, nc = ch->n - ch->core_first;

  g_array_set_size (q->core_node, 0);
  g_array_set_size (q->core_dist, 0);
  if (nc == 0)
    return;
  if (++q->ccur == G_MAXUINT)
    {
      for (guint v = 0; v < nc; v++)
        lab[v].stamp = 0;
      q->ccur = 1;
    }
  cur = q->ccur;
  ngam_heap_clear (&q->cheap);
  for (guint k = 0; k < q->space_node->len; k++)
    {
      guint r = g_array_index (q->space_node, guint, k);

      if (r >= ch->core_first)
        {
          double d = g_array_index (q->space_dist, double, k);

          r -= ch->core_first;
          if (lab[r].stamp != cur || d < lab[r].d)
            {
              lab[r].stamp = cur;
              lab[r].d = d;
              ngam_heap_push (&q->cheap, d, r);
            }
        }
    }
  while (q->cheap.len > 0)
    {
      NgamHeapItem it = ngam_heap_pop (&q->cheap);
      guint v = it.node;

      if (it.key > lab[v].d)
        continue;
      g_array_append_val (q->core_node, v);
      g_array_append_val (q->core_dist, it.key);
      /* once every core node that holds a bucket is settled, the rest
       * cannot change the row */
      if (bstart[v + ch->core_first + 1] > bstart[v + ch->core_first] && ++reached == n_bucketed)
        break;
      for (guint k = start[v]; k < start[v + 1]; k++)
        {
          guint x = to[k];
          double nd = it.key + w[k];

          if (lab[x].stamp != cur || nd < lab[x].d)
            {
              lab[x].stamp = cur;
              lab[x].d = nd;
              ngam_heap_push (&q->cheap, nd, x);
            }
        }
    }
}

/* The upward search from rank @s: leaves the settled ranks that were not
 * stalled, with their costs, in space_node/space_dist. */
static void
up_search (const NgamCH *ch, Query *q, guint s)
{
  const guint *start = ch->up_start, *to = ch->up_to;
  const double *w = ch->up_w;
  QLabel *lab = q->lab;
  guint cur;

  if (++q->cur == G_MAXUINT)
    {
      for (guint v = 0; v < ch->n; v++)
        lab[v].stamp = 0;
      q->cur = 1;
    }
  cur = q->cur;
  g_array_set_size (q->space_node, 0);
  g_array_set_size (q->space_dist, 0);
  ngam_heap_clear (&q->heap);
  lab[s].stamp = cur;
  lab[s].d = 0;
  ngam_heap_push (&q->heap, 0, s);
  while (q->heap.len > 0)
    {
      NgamHeapItem it = ngam_heap_pop (&q->heap);
      guint v = it.node;
      gboolean stalled = FALSE;

      if (it.key > lab[v].d)
        continue;
      /* stall on demand: a higher neighbour reached more cheaply proves
       * this label is not a shortest path */
      for (guint k = start[v]; k < start[v + 1]; k++)
        if (lab[to[k]].stamp == cur && lab[to[k]].d + w[k] < it.key)
          {
            stalled = TRUE;
            break;
          }
      if (stalled)
        continue;
      g_array_append_val (q->space_node, v);
      g_array_append_val (q->space_dist, it.key);
      for (guint k = start[v]; k < start[v + 1]; k++)
        {
          guint x = to[k];
          double nd = it.key + w[k];

          if (lab[x].stamp != cur || nd < lab[x].d)
            {
              lab[x].stamp = cur;
              lab[x].d = nd;
              ngam_heap_push (&q->heap, nd, x);
            }
        }
    }
}

typedef struct
{
  guint  target;
  double d;
} BucketEntry;

typedef struct
{
  const NgamCH      *ch;
  const guint       *sources;
  guint              n_sources, n_targets;
  const guint       *bstart;
  const BucketEntry *bucket;
  guint              n_bucketed;   /* core nodes with a bucket */
  double            *matrix;
  gint               next, done;
  GCancellable      *cancellable;
} SourceJob;

static void
source_rows (SourceJob *job, Query *q, NgamProgressFunc progress, gpointer progress_data)
{
  while (!g_cancellable_is_cancelled (job->cancellable))
    {
      gint i = g_atomic_int_add (&job->next, 1);
      double *row;

      if (i >= (gint) job->n_sources)
        break;
      row = job->matrix + (gsize) i * job->n_targets;
      for (guint j = 0; j < job->n_targets; j++)
        row[j] = INFINITY;
      up_search (job->ch, q, job->ch->rank[job->sources[i]]);
      core_search (job->ch, q, job->bstart, job->n_bucketed);
      for (guint k = 0; k < q->space_node->len + q->core_node->len; k++)
        {
          gboolean below = k < q->space_node->len;
          guint x = below ? g_array_index (q->space_node, guint, k)
                          : g_array_index (q->core_node, guint, k - q->space_node->len) + job->ch->core_first;
          double d = below ? g_array_index (q->space_dist, double, k)
                           : g_array_index (q->core_dist, double, k - q->space_node->len);

          if (below && x >= job->ch->core_first)
            continue;   /* read once, at its least cost in the core */
          for (guint b = job->bstart[x]; b < job->bstart[x + 1]; b++)
            {
              double t = d + job->bucket[b].d;

              if (t < row[job->bucket[b].target])
                row[job->bucket[b].target] = t;
            }
        }
      g_atomic_int_inc (&job->done);
      if (progress)
        progress ((double) g_atomic_int_get (&job->done) / job->n_sources, "shortest paths", progress_data);
    }
}

static gpointer
source_thread (gpointer data)
{
  SourceJob *job = data;
  Query q;

  query_init (&q, job->ch);
  source_rows (job, &q, NULL, NULL);
  query_clear (&q);
  return NULL;
}

gboolean
ngam_ch_many_to_many (const NgamCH     *ch,
                      const guint      *sources,
                      guint             n_sources,
                      const guint      *targets,
                      guint             n_targets,
                      double           *matrix,
                      NgamProgressFunc  progress,
                      gpointer          progress_data,
                      GCancellable     *cancellable)
{
  Query q;
  g_autoptr(GArray) entry_node = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) entry = g_array_new (FALSE, FALSE, sizeof (BucketEntry));
  g_autofree guint *bstart = g_new0 (guint, ch->n + 1);
  g_autofree guint *fill = NULL;
  g_autofree BucketEntry *bucket = NULL;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  SourceJob job = { 0 };
  guint n_threads;

  query_init (&q, ch);
  /* the targets' upward searches fill the buckets */
  for (guint j = 0; j < n_targets; j++)
    {
      up_search (ch, &q, ch->rank[targets[j]]);
      for (guint k = 0; k < q.space_node->len; k++)
        {
          BucketEntry be = { j, g_array_index (q.space_dist, double, k) };

          g_array_append_val (entry_node, g_array_index (q.space_node, guint, k));
          g_array_append_val (entry, be);
          bstart[g_array_index (q.space_node, guint, k) + 1]++;
        }
    }
  for (guint v = 0; v < ch->n; v++)
    bstart[v + 1] += bstart[v];
  fill = g_memdup2 (bstart, sizeof (guint) * ch->n);
  bucket = g_new (BucketEntry, MAX (entry->len, 1));
  for (guint k = 0; k < entry->len; k++)
    bucket[fill[g_array_index (entry_node, guint, k)]++] = g_array_index (entry, BucketEntry, k);
  /* the sources' searches read them, on every core */
  job.ch = ch;
  job.sources = sources;
  job.n_sources = n_sources;
  job.n_targets = n_targets;
  job.bstart = bstart;
  job.bucket = bucket;
  for (guint v = ch->core_first; v < ch->n; v++)
    job.n_bucketed += bstart[v + 1] > bstart[v];
  job.matrix = matrix;
  job.cancellable = cancellable;
  n_threads = n_sources >= 32 ? MIN (g_get_num_processors (), n_sources / 16) - 1 : 0;
  if (n_threads > 0 && !ngam_net_check_memory ((guint64) ch->n * (n_threads + 1) * 2 * 16, "many-to-many routing", NULL))
    n_threads = 0;
  for (guint i = 0; i < n_threads; i++)
    g_ptr_array_add (threads, g_thread_new ("ngam-route-ch", source_thread, &job));
  source_rows (&job, &q, progress, progress_data);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);
  query_clear (&q);
  return !g_cancellable_is_cancelled (cancellable);
}
