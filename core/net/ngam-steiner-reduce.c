/* ngam-steiner-reduce.c — reductions of a Steiner instance before the
 * search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The classic tests of Duin and Volgenant (Reduction tests for the
 * Steiner problem in graphs, Networks 1989) that exact solvers such as
 * SCIP-Jack (Rehfeldt and Koch) run first; each keeps at least one
 * optimal tree:
 *
 *  - degree tests: a Steiner node of degree 1 goes with its edge; one of
 *    degree 2 is replaced by one edge between its neighbours costing the
 *    two (the cheaper of that and an edge already there is kept); a
 *    terminal of degree 1 needs its edge, which is fixed in the tree and
 *    contracted (the neighbour becomes a terminal);
 *  - an edge of cost 0 at a terminal (an existing duct) is in some
 *    optimal tree: fixed and contracted the same way;
 *  - parallel edges: only the cheapest stays;
 *  - special distance: an edge (u, v) costing more than the bottleneck
 *    Steiner distance s(u, v) — the least, over u–v paths, of the longest
 *    stretch between consecutive terminals — is in no optimal tree.  An
 *    upper bound on s(u, v) is enough: through the terminals nearest u
 *    and v (their Voronoi bases a and b), s(u, v) ≤ max(d(u, a),
 *    B(a, b), d(v, b)), where B(a, b) is the longest edge on the a–b path
 *    of a minimum spanning tree of the terminals' distance graph
 *    (Mehlhorn's edges between Voronoi regions, whose lengths are real
 *    paths; as the longest edge of their LCA in the Kruskal tree).
 *    Edges failing the test are deleted together: in increasing cost
 *    order each one's witness path uses only cheaper edges, and deleting
 *    an edge costlier than its s(u, v) changes no special distance, so
 *    every deletion stays valid after the ones before it.
 *
 * Each reduced edge remembers the original edges it stands for, so that
 * the tree found maps back.
 */
#define G_LOG_DOMAIN "ngam-net"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-net-private.h"
#include "ngam-steiner-reduce.h"

typedef struct
{
  guint orig, next;
} AncCell;

typedef struct
{
  guint    n;
  GArray  *eu, *ev, *ahead, *atail;   /* guint per edge */
  GArray  *ew;                        /* double per edge */
  GArray  *alive;                     /* guint8 per edge */
  GArray  *pool;                      /* AncCell */
  guint  **adj;
  guint   *adj_len, *adj_cap;
  guint   *deg;
  guint8  *term, *gone, *queued;
  guint    n_terms;
  guint    fixed_head, fixed_tail;
  double   fixed_cost;
  GArray  *work;
} RGraph;

#define EU(r, e) g_array_index ((r)->eu, guint, e)
#define EV(r, e) g_array_index ((r)->ev, guint, e)
#define EW(r, e) g_array_index ((r)->ew, double, e)
#define ALIVE(r, e) g_array_index ((r)->alive, guint8, e)

static void
queue_node (RGraph *r, guint v)
{
  if (!r->queued[v] && !r->gone[v])
    {
      r->queued[v] = 1;
      g_array_append_val (r->work, v);
    }
}

static void
adj_push (RGraph *r, guint v, guint e)
{
  if (r->adj_len[v] == r->adj_cap[v])
    {
      r->adj_cap[v] = MAX (4, 2 * r->adj_cap[v]);
      r->adj[v] = g_renew (guint, r->adj[v], r->adj_cap[v]);
    }
  r->adj[v][r->adj_len[v]++] = e;
}

/* Drops dead and moved edges from v's list. */
static void
adj_compact (RGraph *r, guint v)
{
  guint out = 0;

  for (guint i = 0; i < r->adj_len[v]; i++)
    {
      guint e = r->adj[v][i];

      if (ALIVE (r, e) && (EU (r, e) == v || EV (r, e) == v))
        r->adj[v][out++] = e;
    }
  r->adj_len[v] = out;
}

static inline guint
other_end (RGraph *r, guint e, guint v)
{
  return EU (r, e) == v ? EV (r, e) : EU (r, e);
}

static guint
add_edge (RGraph *r, guint u, guint v, double w, guint head, guint tail)
{
  guint e = r->eu->len;
  guint8 one = 1;

  g_array_append_val (r->eu, u);
  g_array_append_val (r->ev, v);
  g_array_append_val (r->ew, w);
  g_array_append_val (r->alive, one);
  g_array_append_val (r->ahead, head);
  g_array_append_val (r->atail, tail);
  adj_push (r, u, e);
  adj_push (r, v, e);
  r->deg[u]++;
  r->deg[v]++;
  return e;
}

static void
kill_edge (RGraph *r, guint e)
{
  ALIVE (r, e) = 0;
  r->deg[EU (r, e)]--;
  r->deg[EV (r, e)]--;
  queue_node (r, EU (r, e));
  queue_node (r, EV (r, e));
}

static void
chain_append (RGraph *r, guint *head, guint *tail, guint h2, guint t2)
{
  if (h2 == G_MAXUINT)
    return;
  if (*head == G_MAXUINT)
    *head = h2;
  else
    g_array_index (r->pool, AncCell, *tail).next = h2;
  *tail = t2;
}

/* Fixes edge e in the tree and merges node @gone into @keep. */
static void
contract (RGraph *r, guint e, guint keep, guint gone)
{
  chain_append (r, &r->fixed_head, &r->fixed_tail, g_array_index (r->ahead, guint, e),
                g_array_index (r->atail, guint, e));
  r->fixed_cost += EW (r, e);
  kill_edge (r, e);
  for (guint i = 0; i < r->adj_len[gone]; i++)
    {
      guint f = r->adj[gone][i];

      if (!ALIVE (r, f) || (EU (r, f) != gone && EV (r, f) != gone))
        continue;
      if (other_end (r, f, gone) == keep)
        {
          kill_edge (r, f);   /* would be a loop */
          continue;
        }
      if (EU (r, f) == gone)
        EU (r, f) = keep;
      else
        EV (r, f) = keep;
      r->deg[gone]--;
      r->deg[keep]++;
      adj_push (r, keep, f);
      queue_node (r, other_end (r, f, keep));
    }
  r->adj_len[gone] = 0;
  r->gone[gone] = 1;
  if (r->term[gone])
    {
      r->term[gone] = 0;
      if (r->term[keep])
        r->n_terms--;
      else
        r->term[keep] = 1;
    }
  queue_node (r, keep);
}

/* The first two live edges at v. */
static void
two_edges (RGraph *r, guint v, guint *e1, guint *e2)
{
  guint k = 0;

  *e1 = *e2 = G_MAXUINT;
  for (guint i = 0; i < r->adj_len[v] && k < 2; i++)
    {
      guint e = r->adj[v][i];

      if (ALIVE (r, e) && (EU (r, e) == v || EV (r, e) == v))
        {
          if (k++ == 0)
            *e1 = e;
          else if (e != *e1)
            *e2 = e;
          else
            k--;
        }
    }
}

/* A live edge between a and b, looked for from the end of smaller
 * degree (G_MAXUINT: none, or too many edges to look through). */
static guint
find_edge (RGraph *r, guint a, guint b)
{
  guint x = r->deg[a] <= r->deg[b] ? a : b, y = x == a ? b : a;

  if (r->deg[x] > 64)
    return G_MAXUINT;
  for (guint i = 0; i < r->adj_len[x]; i++)
    {
      guint e = r->adj[x][i];

      if (ALIVE (r, e) && ((EU (r, e) == x && EV (r, e) == y) || (EV (r, e) == x && EU (r, e) == y)))
        return e;
    }
  return G_MAXUINT;
}

/* Degree tests and zero-cost contractions at terminals, until the work
 * list is empty.  Returns how many edges went. */
static void
degree_tests (RGraph *r)
{
  while (r->work->len > 0 && r->n_terms > 1)
    {
      guint v = g_array_index (r->work, guint, r->work->len - 1), e1, e2;

      g_array_set_size (r->work, r->work->len - 1);
      r->queued[v] = 0;
      if (r->gone[v])
        continue;
      if (r->adj_len[v] > 2 * r->deg[v] + 8)
        adj_compact (r, v);
      if (!r->term[v])
        {
          if (r->deg[v] == 0)
            r->gone[v] = 1;
          else if (r->deg[v] == 1)
            {
              two_edges (r, v, &e1, &e2);
              kill_edge (r, e1);
              r->gone[v] = 1;
            }
          else if (r->deg[v] == 2)
            {
              guint a, b, old;
              double c;

              two_edges (r, v, &e1, &e2);
              a = other_end (r, e1, v);
              b = other_end (r, e2, v);
              c = EW (r, e1) + EW (r, e2);
              kill_edge (r, e1);
              kill_edge (r, e2);
              r->gone[v] = 1;
              if (a == b)
                continue;
              old = find_edge (r, a, b);
              if (old != G_MAXUINT && EW (r, old) <= c)
                continue;
              if (old != G_MAXUINT)
                kill_edge (r, old);
              {
                guint head = g_array_index (r->ahead, guint, e1), tail = g_array_index (r->atail, guint, e1);

                chain_append (r, &head, &tail, g_array_index (r->ahead, guint, e2), g_array_index (r->atail, guint, e2));
                add_edge (r, a, b, c, head, tail);
              }
            }
          continue;
        }
      /* a terminal */
      if (r->deg[v] == 1)
        {
          two_edges (r, v, &e1, &e2);
          contract (r, e1, other_end (r, e1, v), v);
          continue;
        }
      for (guint i = 0; i < r->adj_len[v]; i++)
        {
          guint e = r->adj[v][i];

          if (ALIVE (r, e) && (EU (r, e) == v || EV (r, e) == v) && EW (r, e) == 0)
            {
              contract (r, e, other_end (r, e, v), v);
              break;
            }
        }
    }
}

/* Keeps the cheapest of parallel edges. */
static void
parallel_edges (RGraph *r)
{
  g_autofree guint *seen = g_new (guint, r->n);   /* per neighbour: the edge kept, for node v */
  g_autofree guint *stamp = g_new0 (guint, r->n);

  for (guint v = 0; v < r->n; v++)
    {
      if (r->gone[v])
        continue;
      adj_compact (r, v);
      for (guint i = 0; i < r->adj_len[v]; i++)
        {
          guint e = r->adj[v][i], x = other_end (r, e, v);

          if (!ALIVE (r, e))
            continue;
          if (stamp[x] != v + 1)
            {
              stamp[x] = v + 1;
              seen[x] = e;
            }
          else if (seen[x] != e)
            {
              guint f = seen[x];

              if (EW (r, e) < EW (r, f) || (EW (r, e) == EW (r, f) && e < f))
                {
                  kill_edge (r, f);
                  seen[x] = e;
                }
              else
                kill_edge (r, e);
            }
        }
    }
}

/* --- special distance ---------------------------------------------------- */

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

#define LOG_LEVELS 20

/* Deletes the edges the special-distance test condemns; returns how
 * many. */
static guint
special_distance (RGraph *r)
{
  guint n = r->n, m = r->eu->len, nk = 0, removed = 0;
  g_autofree double *dist = g_new (double, n);
  g_autofree guint *base = g_new (guint, n);     /* terminal index */
  g_autofree guint *tid = g_new (guint, n);
  g_autoptr(GArray) cands = g_array_new (FALSE, FALSE, sizeof (Cand));
  g_autoptr(GArray) doomed = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree guint *kparent = NULL, *kdepth = NULL, *up = NULL, *uf = NULL, *top = NULL;
  g_autofree double *kweight = NULL;
  NgamHeap heap = { 0 };
  guint nkr;

  for (guint v = 0; v < n; v++)
    {
      dist[v] = INFINITY;
      base[v] = G_MAXUINT;
      if (!r->gone[v] && r->term[v])
        {
          tid[v] = nk++;
          dist[v] = 0;
          base[v] = tid[v];
          ngam_heap_push (&heap, 0, v);
        }
    }
  if (nk < 2)
    {
      ngam_heap_free (&heap);
      return 0;
    }
  while (heap.len > 0)
    {
      NgamHeapItem it = ngam_heap_pop (&heap);
      guint v = it.node;

      if (it.key > dist[v])
        continue;
      for (guint i = 0; i < r->adj_len[v]; i++)
        {
          guint e = r->adj[v][i], u;
          double nd;

          if (!ALIVE (r, e) || (EU (r, e) != v && EV (r, e) != v))
            continue;
          u = other_end (r, e, v);
          nd = it.key + EW (r, e);
          if (nd < dist[u])
            {
              dist[u] = nd;
              base[u] = base[v];
              ngam_heap_push (&heap, nd, u);
            }
        }
    }
  ngam_heap_free (&heap);
  for (guint e = 0; e < m; e++)
    {
      guint u = EU (r, e), v = EV (r, e);
      Cand c;

      if (!ALIVE (r, e) || base[u] == base[v] || base[u] == G_MAXUINT || base[v] == G_MAXUINT)
        continue;
      c.cost = dist[u] + EW (r, e) + dist[v];
      c.edge = e;
      g_array_append_val (cands, c);
    }
  qsort (cands->data, cands->len, sizeof (Cand), cmp_cand);
  /* Kruskal tree: leaves 0 … nk − 1, each union a new node weighing the
   * bridge's length */
  nkr = 2 * nk - 1;
  kparent = g_new (guint, nkr);
  kweight = g_new0 (double, nkr);
  uf = g_new (guint, nkr);
  top = g_new (guint, nkr);
  for (guint i = 0; i < nkr; i++)
    {
      kparent[i] = G_MAXUINT;
      uf[i] = i;
      top[i] = i;
    }
  {
    guint next = nk;

    for (guint i = 0; i < cands->len && next < nkr; i++)
      {
        const Cand *c = &g_array_index (cands, Cand, i);
        guint a = base[EU (r, c->edge)], b = base[EV (r, c->edge)];

        while (uf[a] != a)
          a = uf[a] = uf[uf[a]];
        while (uf[b] != b)
          b = uf[b] = uf[uf[b]];
        if (a == b)
          continue;
        kparent[top[a]] = next;
        kparent[top[b]] = next;
        kweight[next] = c->cost;
        uf[a] = b;
        top[b] = next;
        next++;
      }
  }
  /* depths (parents are numbered above their children) and lifting */
  kdepth = g_new0 (guint, nkr);
  up = g_new (guint, (gsize) LOG_LEVELS * nkr);
  for (guint i = nkr; i-- > 0;)
    {
      up[i] = kparent[i] == G_MAXUINT ? i : kparent[i];
      kdepth[i] = kparent[i] == G_MAXUINT ? 0 : kdepth[kparent[i]] + 1;
    }
  for (guint j = 1; j < LOG_LEVELS; j++)
    for (guint i = 0; i < nkr; i++)
      up[j * nkr + i] = up[(j - 1) * nkr + up[(j - 1) * nkr + i]];

  for (guint e = 0; e < m; e++)
    {
      guint u = EU (r, e), v = EV (r, e), a, b;
      double s, c = EW (r, e);

      if (!ALIVE (r, e) || base[u] == G_MAXUINT || base[v] == G_MAXUINT)
        continue;
      s = MAX (dist[u], dist[v]);
      if (!(c > s))
        continue;
      a = base[u];
      b = base[v];
      if (a != b)
        {
          if (kdepth[a] < kdepth[b])
            {
              guint t = a;
              a = b;
              b = t;
            }
          for (guint j = LOG_LEVELS; j-- > 0;)
            if (kdepth[a] - kdepth[b] >= (1u << j))
              a = up[j * nkr + a];
          for (guint j = LOG_LEVELS; j-- > 0 && a != b;)
            if (up[j * nkr + a] != up[j * nkr + b])
              {
                a = up[j * nkr + a];
                b = up[j * nkr + b];
              }
          if (a != b)
            {
              a = kparent[a];
              b = kparent[b];
            }
          s = a == b && a != G_MAXUINT ? MAX (s, kweight[a]) : INFINITY;
        }
      if (c > s + 1e-9 * c)
        g_array_append_val (doomed, e);
    }
  for (guint i = 0; i < doomed->len; i++)
    kill_edge (r, g_array_index (doomed, guint, i));
  removed = doomed->len;
  return removed;
}

/* --- the reduced instance ------------------------------------------------ */

static void
rgraph_free (RGraph *r)
{
  for (guint v = 0; v < r->n; v++)
    g_free (r->adj[v]);
  g_free (r->adj);
  g_free (r->adj_len);
  g_free (r->adj_cap);
  g_free (r->deg);
  g_free (r->term);
  g_free (r->gone);
  g_free (r->queued);
  g_array_unref (r->eu);
  g_array_unref (r->ev);
  g_array_unref (r->ew);
  g_array_unref (r->alive);
  g_array_unref (r->ahead);
  g_array_unref (r->atail);
  g_array_unref (r->pool);
  g_array_unref (r->work);
}

static guint
live_edges (RGraph *r)
{
  guint k = 0;

  for (guint e = 0; e < r->eu->len; e++)
    k += ALIVE (r, e);
  return k;
}

NgamSteinerReduced *
ngam_steiner_reduce (const NgamGraph *g,
                     const double    *w,
                     const guint     *terminals,
                     guint            n_terminals,
                     double           deadline)
{
  RGraph rg = { 0 }, *r = &rg;
  NgamSteinerReduced *red = g_new0 (NgamSteinerReduced, 1);
  g_autofree guint *new_id = NULL;
  g_autoptr(GArray) uv = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) wr = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  guint n = g->n_nodes, nn = 0;

  r->n = n;
  r->eu = g_array_new (FALSE, FALSE, sizeof (guint));
  r->ev = g_array_new (FALSE, FALSE, sizeof (guint));
  r->ew = g_array_new (FALSE, FALSE, sizeof (double));
  r->alive = g_array_new (FALSE, FALSE, sizeof (guint8));
  r->ahead = g_array_new (FALSE, FALSE, sizeof (guint));
  r->atail = g_array_new (FALSE, FALSE, sizeof (guint));
  r->pool = g_array_new (FALSE, FALSE, sizeof (AncCell));
  r->work = g_array_new (FALSE, FALSE, sizeof (guint));
  r->adj = g_new0 (guint *, MAX (n, 1));
  r->adj_len = g_new0 (guint, MAX (n, 1));
  r->adj_cap = g_new0 (guint, MAX (n, 1));
  r->deg = g_new0 (guint, MAX (n, 1));
  r->term = g_new0 (guint8, MAX (n, 1));
  r->gone = g_new0 (guint8, MAX (n, 1));
  r->queued = g_new0 (guint8, MAX (n, 1));
  r->fixed_head = r->fixed_tail = G_MAXUINT;
  for (guint e = 0; e < g->n_edges; e++)
    {
      guint u = g->edge_uv[2 * e], v = g->edge_uv[2 * e + 1], cell = r->pool->len;
      AncCell ac = { e, G_MAXUINT };

      if (u == v || !isfinite (w[e]))
        continue;
      g_array_append_val (r->pool, ac);
      add_edge (r, u, v, w[e], cell, cell);
      red->usable++;
    }
  for (guint i = 0; i < n_terminals; i++)
    if (!r->term[terminals[i]])
      {
        r->term[terminals[i]] = 1;
        r->n_terms++;
      }
  for (guint v = 0; v < n; v++)
    queue_node (r, v);
  degree_tests (r);
  if (r->n_terms > 1)
    parallel_edges (r);
  for (guint round = 0; round < 8 && r->n_terms > 1 && ngam_net_now () < deadline; round++)
    {
      guint before = live_edges (r), removed;

      degree_tests (r);
      removed = special_distance (r);
      degree_tests (r);
      g_debug ("reduction round %u: special distance %u, %u of %u edges left", round, removed,
               live_edges (r), before);
      if (live_edges (r) > before - before / 100 - 1)
        break;
    }
  /* one terminal left: every other node can go */
  if (r->n_terms <= 1)
    for (guint e = 0; e < r->eu->len; e++)
      if (ALIVE (r, e))
        kill_edge (r, e);

  /* the reduced graph, nodes renumbered */
  new_id = g_new (guint, MAX (n, 1));
  for (guint v = 0; v < n; v++)
    new_id[v] = G_MAXUINT;
  red->terminals = g_array_new (FALSE, FALSE, sizeof (guint));
  red->node_of = g_new (guint, MAX (n, 1));
  for (guint v = 0; v < n; v++)
    if (!r->gone[v] && (r->deg[v] > 0 || r->term[v]))
      {
        new_id[v] = nn;
        red->node_of[nn++] = v;
        if (r->term[v])
          g_array_append_val (red->terminals, new_id[v]);
      }
  red->anc = g_array_new (FALSE, FALSE, sizeof (guint));
  red->anc_start = NULL;
  {
    g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (guint));

    for (guint e = 0; e < r->eu->len; e++)
      {
        guint a, b;

        if (!ALIVE (r, e))
          continue;
        a = new_id[EU (r, e)];
        b = new_id[EV (r, e)];
        g_array_append_val (uv, a);
        g_array_append_val (uv, b);
        g_array_append_val (wr, EW (r, e));
        g_array_append_val (starts, red->anc->len);
        for (guint c = g_array_index (r->ahead, guint, e); c != G_MAXUINT;
             c = g_array_index (r->pool, AncCell, c).next)
          {
            g_array_append_val (red->anc, g_array_index (r->pool, AncCell, c).orig);
            if (c == g_array_index (r->atail, guint, e))
              break;
          }
      }
    g_array_append_val (starts, red->anc->len);
    red->anc_start = (guint *) g_array_free (g_steal_pointer (&starts), FALSE);
  }
  red->graph = ngam_graph_new_from_edges (nn, wr->len, (guint *) uv->data, (double *) wr->data, NULL, &error);
  g_assert_no_error (error);
  red->fixed = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint c = r->fixed_head; c != G_MAXUINT; c = g_array_index (r->pool, AncCell, c).next)
    {
      g_array_append_val (red->fixed, g_array_index (r->pool, AncCell, c).orig);
      if (c == r->fixed_tail)
        break;
    }
  red->fixed_cost = r->fixed_cost;
  rgraph_free (r);
  return red;
}

void
ngam_steiner_reduced_map (const NgamSteinerReduced *r,
                          const guint              *edges,
                          guint                     n_edges,
                          GArray                   *out)
{
  for (guint i = 0; i < n_edges; i++)
    for (guint k = r->anc_start[edges[i]]; k < r->anc_start[edges[i] + 1]; k++)
      g_array_append_val (out, g_array_index (r->anc, guint, k));
  g_array_append_vals (out, r->fixed->data, r->fixed->len);
}

void
ngam_steiner_reduced_free (NgamSteinerReduced *r)
{
  if (r == NULL)
    return;
  ngam_graph_free (r->graph);
  g_array_unref (r->terminals);
  g_array_unref (r->fixed);
  g_free (r->anc_start);
  g_array_unref (r->anc);
  g_free (r->node_of);
  g_free (r);
}
