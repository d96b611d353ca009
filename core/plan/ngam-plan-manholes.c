/* ngam-plan-manholes.c — pull points: manholes and handholes at branches,
 * sharp turns, method changes and ends, and along runs at most every L
 * metres, never within the set distance of an intersection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * QCVN 33:2011 forbids manholes at intersections, so a pull point that
 * falls on one (a branch usually does) is moved along its longest trench
 * to the clearance distance, and the runs between pull points count their
 * length from where it went.  Along a run the manholes are placed greedily
 * as far as the spacing allows, stepping back before any forbidden stretch
 * around an intersection the run passes: the fewest manholes that keep
 * every gap within L (the stations-on-a-road argument), as long as the
 * forbidden stretches are shorter than L.  Existing ducts keep their own
 * manholes.
 */
#define G_LOG_DOMAIN "ngam-plan"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-plan-private.h"

typedef struct
{
  int      trench;
  gboolean forward;   /* walked from the edge's u end to its v end */
  double   start;     /* chain distance at its start */
} Step;

typedef struct
{
  Plan    *p;
  int      group;
  guint   *adj_start; /* per node: offsets into adj */
  int     *adj;       /* trench indices */
  gboolean *pull;
  int     *moved_onto; /* per node: the trench its manhole moved onto, -1 */
  double  *moved_by;
  guint8  *visited;   /* per trench */
} Ctx;

static guint
trench_other (const Plan *p,
              int         t,
              guint       v)
{
  guint e = g_array_index (p->trenches, Trench, t).edge;

  return ngam_graph_edge_other (p->graph, e, v);
}

/* Unit direction leaving @v along edge @e's geometry. */
static void
leave_dir (const NgamGraph *g,
           guint            e,
           guint            v,
           double          *dx,
           double          *dy)
{
  guint a = g->geom_start[e], b = g->geom_start[e + 1];
  guint i0 = g->edge_uv[2 * e] == v ? a : b - 1, i1 = g->edge_uv[2 * e] == v ? a + 1 : b - 2;
  double x = g->geom_xy[2 * i1] - g->geom_xy[2 * i0], y = g->geom_xy[2 * i1 + 1] - g->geom_xy[2 * i0 + 1];
  double l = hypot (x, y);

  *dx = l > 0 ? x / l : 1;
  *dy = l > 0 ? y / l : 0;
}

static const char *
node_reason (Ctx   *c,
             guint  v,
             guint  deg)
{
  Plan *p = c->p;

  if (deg >= 3)
    return "branch";
  if (deg == 1)
    return "end";
  {
    int t0 = c->adj[c->adj_start[v]], t1 = c->adj[c->adj_start[v] + 1];
    Trench *a = &g_array_index (p->trenches, Trench, t0), *b = &g_array_index (p->trenches, Trench, t1);
    double ax, ay, bx, by, cosang, deviation;

    if (a->method != b->method)
      return "method";
    leave_dir (p->graph, a->edge, v, &ax, &ay);
    leave_dir (p->graph, b->edge, v, &bx, &by);
    cosang = CLAMP (ax * bx + ay * by, -1.0, 1.0);
    /* straight on is 180° between the two directions */
    deviation = 180.0 - acos (cosang) * 180.0 / G_PI;
    if (deviation > p->sc->turn_angle_deg)
      return "turn";
  }
  return NULL;
}

/* No street intersection within the clearance of (x, y). */
static gboolean
clear_of_intersections (Plan   *p,
                        double  x,
                        double  y)
{
  NgamGraph *g = p->graph;
  double c = p->sc->intersection_clearance_m;
  double box[4] = { x - c, y - c, x + c, y + c };
  g_autoptr(GArray) near = NULL;

  if (c <= 0)
    return TRUE;
  near = g_array_new (FALSE, FALSE, sizeof (guint));
  ngam_graph_edges_near (g, box, near);
  for (guint j = 0; j < near->len; j++)
    for (int k = 0; k < 2; k++)
      {
        guint v = g->edge_uv[2 * g_array_index (near, guint, j) + k];

        if (p->node_degree[v] >= 3 && hypot (g->node_xy[2 * v] - x, g->node_xy[2 * v + 1] - y) < c - 1e-6)
          return FALSE;
      }
  return TRUE;
}

static gboolean
is_handhole (const Plan   *p,
             const Trench *t)
{
  return t->method == NGAM_METHOD_MICRO_TRENCH ||
         t->ducts + t->spare + t->power_ducts <= (int) p->sc->handhole_max_ducts;
}

static void
add_manhole (Plan       *p,
             int         trench,
             double      along,
             const char *reason,
             double      moved,
             guint       node)
{
  Trench *t = &g_array_index (p->trenches, Trench, trench);
  Manhole mh = { 0 };

  plan_edge_point (p->graph, t->edge, along, &mh.x, &mh.y);
  mh.group = t->group;
  mh.trench = trench;
  mh.reason = reason;
  mh.handhole = is_handhole (p, t);
  mh.moved_m = moved;
  mh.node = node;
  g_array_append_val (p->manholes, mh);
}

/* The manhole of pull node @v: at the node, or, at an intersection, moved
 * along one of its dug trenches (longest first) to the first point at the
 * clearance from every intersection (a lane's mouth across the street
 * counts too), in steps of a metre along the whole trench. */
static void
place_node (Ctx        *c,
            guint       v,
            const char *reason)
{
  Plan *p = c->p;
  double clear = p->sc->intersection_clearance_m;
  int cand[64];
  guint nc = 0;

  for (guint i = c->adj_start[v]; i < c->adj_start[v + 1] && nc < G_N_ELEMENTS (cand); i++)
    if (g_array_index (p->trenches, Trench, c->adj[i]).method != NGAM_METHOD_DUCT_REUSE)
      cand[nc++] = c->adj[i];
  if (nc == 0)
    return;   /* only existing ducts here: their manholes serve */
  /* longest first, ties by trench number */
  for (guint i = 1; i < nc; i++)
    for (guint j = i; j > 0; j--)
      {
        double lj = p->edge_len[g_array_index (p->trenches, Trench, cand[j]).edge];
        double lk = p->edge_len[g_array_index (p->trenches, Trench, cand[j - 1]).edge];

        if (lj > lk + 1e-9 || (fabs (lj - lk) <= 1e-9 && cand[j] < cand[j - 1]))
          {
            int tmp = cand[j];

            cand[j] = cand[j - 1];
            cand[j - 1] = tmp;
          }
      }
  if (clear <= 0 ||
      (p->node_degree[v] < 3 && clear_of_intersections (p, p->graph->node_xy[2 * v], p->graph->node_xy[2 * v + 1])))
    {
      Trench *tr = &g_array_index (p->trenches, Trench, cand[0]);
      gboolean at_u = p->graph->edge_uv[2 * tr->edge] == v;

      c->moved_onto[v] = -1;
      add_manhole (p, cand[0], at_u ? 0 : p->edge_len[tr->edge], reason, 0, v);
      return;
    }
  for (guint i = 0; i <= nc; i++)
    {
      /* an end or a turn with no allowed place on its trenches is left to
       * the neighbouring pull points (an end rises at its pole); a branch
       * takes the longest trench at the clearance anyway (the check
       * reports it) */
      int t = cand[i < nc ? i : 0];
      Trench *tr = &g_array_index (p->trenches, Trench, t);
      double len = p->edge_len[tr->edge];
      gboolean at_u = p->graph->edge_uv[2 * tr->edge] == v;
      double start = p->node_degree[v] >= 3 ? MIN (clear, len / 2) : 1.0;

      if (i == nc && (g_str_equal (reason, "end") || g_str_equal (reason, "turn")))
        {
          c->moved_onto[v] = -1;
          c->p->n_dropped++;
          return;
        }
      for (double by = start; by <= len + 1e-9; by += 1.0)
        {
          double x, y, along = at_u ? by : len - by;

          plan_edge_point (p->graph, tr->edge, along, &x, &y);
          if (i == nc || clear_of_intersections (p, x, y))
            {
              c->moved_onto[v] = t;
              c->moved_by[v] = by;
              add_manhole (p, t, along, reason, by, G_MAXUINT);
              return;
            }
          if (i == nc)
            break;
        }
    }
}

/* Chain distance → (trench, distance from its u end). */
static void
chain_point (const Plan   *p,
             const GArray *steps,
             double        s,
             int          *trench,
             double       *along)
{
  guint i = 0;

  while (i + 1 < steps->len && g_array_index (steps, Step, i + 1).start <= s)
    i++;
  {
    const Step *st = &g_array_index (steps, Step, i);
    double len = p->edge_len[g_array_index (p->trenches, Trench, st->trench).edge];
    double local = CLAMP (s - st->start, 0, len);

    *trench = st->trench;
    *along = st->forward ? local : len - local;
  }
}

/* Walks the run from pull node @a along trench @t0 and places its
 * spacing manholes. */
static void
walk_chain (Ctx   *c,
            guint  a,
            int    t0)
{
  Plan *p = c->p;
  const NgamGraph *g = p->graph;
  double L = p->sc->manhole_spacing_m, clear = p->sc->intersection_clearance_m;
  g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (Step));
  g_autoptr(GArray) forbid = g_array_new (FALSE, FALSE, sizeof (double)); /* centres */
  guint v = a, b;
  int t = t0;
  double s = 0, s0, e0, prev;
  gboolean reuse;

  reuse = g_array_index (p->trenches, Trench, t0).method == NGAM_METHOD_DUCT_REUSE;
  for (;;)
    {
      Trench *tr = &g_array_index (p->trenches, Trench, t);
      Step st = { t, g->edge_uv[2 * tr->edge] == v, s };
      guint w = trench_other (p, t, v);

      c->visited[t] = 1;
      g_array_append_val (steps, st);
      s += p->edge_len[tr->edge];
      v = w;
      if (c->pull[v])
        break;
      if (p->node_degree[v] >= 3)
        g_array_append_val (forbid, s);
      /* the other trench at this degree-2 node */
      {
        int next = c->adj[c->adj_start[v]] == t ? c->adj[c->adj_start[v] + 1] : c->adj[c->adj_start[v]];

        if (c->visited[next])
          break;
        t = next;
      }
    }
  b = v;
  if (reuse)
    return;
  s0 = c->moved_onto[a] < 0 ? 0 : c->moved_onto[a] == t0 ? c->moved_by[a] : -c->moved_by[a];
  {
    int tl = g_array_index (steps, Step, steps->len - 1).trench;

    e0 = c->moved_onto[b] < 0 ? s : c->moved_onto[b] == tl ? s - c->moved_by[b] : s + c->moved_by[b];
  }
  prev = s0;
  while (e0 - prev > L + 1e-9)
    {
      double target = prev + L;
      int tr;
      double along;

      /* step back before a forbidden stretch around an intersection */
      for (guint i = 0; i < forbid->len; i++)
        {
          double f = g_array_index (forbid, double, i);

          if (target > f - clear && target < f + clear)
            target = f - clear > prev + 1e-6 ? f - clear : f + clear;
        }
      if (p->node_degree[b] >= 3 && target > s - clear && target < s)
        target = MAX (prev + 1e-6, s - clear);
      if (p->node_degree[a] >= 3 && target < clear && target > 0)
        target = clear;
      chain_point (p, steps, target, &tr, &along);
      /* step back, a metre at a time, off any intersection near the run */
      {
        double t2 = target, x, y;

        for (;;)
          {
            int tr2;
            double along2;

            chain_point (p, steps, t2, &tr2, &along2);
            plan_edge_point (p->graph, g_array_index (p->trenches, Trench, tr2).edge, along2, &x, &y);
            if (clear_of_intersections (p, x, y))
              {
                target = t2;
                tr = tr2;
                along = along2;
                break;
              }
            t2 -= 1.0;
            if (t2 <= prev + 1.0)
              break;
          }
      }
      add_manhole (p, tr, along, "spacing", 0, G_MAXUINT);
      {
        double gap = target - prev;

        g_array_append_val (p->gaps, gap);
      }
      prev = target;
    }
  {
    double gap = e0 - prev;

    g_array_append_val (p->gaps, gap);
  }
}

static void
group_manholes (Plan *p,
                int   group,
                int   first,
                int   end)
{
  const NgamGraph *g = p->graph;
  guint n = g->n_nodes;
  Ctx c = { p, group };
  g_autofree guint *deg = g_new0 (guint, n + 1);
  g_autofree guint *fill = NULL;

  c.adj_start = g_new0 (guint, n + 1);
  for (int t = first; t < end; t++)
    {
      guint e = g_array_index (p->trenches, Trench, t).edge;

      deg[g->edge_uv[2 * e]]++;
      deg[g->edge_uv[2 * e + 1]]++;
    }
  for (guint v = 0; v < n; v++)
    c.adj_start[v + 1] = c.adj_start[v] + deg[v];
  c.adj = g_new (int, MAX (c.adj_start[n], 1));
  fill = g_memdup2 (c.adj_start, sizeof (guint) * (n + 1));
  for (int t = first; t < end; t++)
    {
      guint e = g_array_index (p->trenches, Trench, t).edge;

      c.adj[fill[g->edge_uv[2 * e]]++] = t;
      c.adj[fill[g->edge_uv[2 * e + 1]]++] = t;
    }
  c.pull = g_new0 (gboolean, n);
  c.moved_onto = g_new (int, n);
  c.moved_by = g_new0 (double, n);
  c.visited = g_new0 (guint8, p->trenches->len);
  for (guint v = 0; v < n; v++)
    c.moved_onto[v] = -1;
  /* pull points at nodes, in node order */
  for (guint v = 0; v < n; v++)
    {
      const char *reason;

      if (deg[v] == 0)
        continue;
      reason = node_reason (&c, v, deg[v]);
      if (reason)
        {
          c.pull[v] = TRUE;
          place_node (&c, v, reason);
        }
    }
  for (guint v = 0; v < n; v++)
    if (c.pull[v])
      for (guint i = c.adj_start[v]; i < c.adj_start[v + 1]; i++)
        if (!c.visited[c.adj[i]])
          walk_chain (&c, v, c.adj[i]);
  /* closed loops with no pull point: start one at their lowest node */
  for (int t = first; t < end; t++)
    if (!c.visited[t])
      {
        guint e = g_array_index (p->trenches, Trench, t).edge;
        guint v = MIN (g->edge_uv[2 * e], g->edge_uv[2 * e + 1]);

        c.pull[v] = TRUE;
        place_node (&c, v, "spacing");
        walk_chain (&c, v, t);
      }
  g_free (c.adj_start);
  g_free (c.adj);
  g_free (c.pull);
  g_free (c.moved_onto);
  g_free (c.moved_by);
  g_free (c.visited);
}

void
plan_manholes (Plan *p)
{
  int n = (int) p->trenches->len;

  for (int first = 0; first < n;)
    {
      int group = g_array_index (p->trenches, Trench, first).group, end = first;

      while (end < n && g_array_index (p->trenches, Trench, end).group == group)
        end++;
      group_manholes (p, group, first, end);
      first = end;
    }
}
