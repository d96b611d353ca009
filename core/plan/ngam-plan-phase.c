/* ngam-plan-phase.c — corridors ranked by priority and packed into yearly
 * budgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A corridor is a connected run of one group's trenches along streets of
 * one name.  Its priority score is the weighted sum of five factors, each
 * between 0 and 1: hazard exposure (the share of its length in flood zones,
 * deeper floods counting more, or in landslide zones), heritage (share in
 * heritage zones), festival (share on festival streets), cable density
 * (cables it carries per metre of street, against the densest corridor:
 * the "spaghetti" index) and cost (one minus its cost per metre against the
 * dearest).  Years are filled greedily, highest score first, with what
 * fits in what is left of the year's budget, the multi-period budgeted
 * practice of DOMAIN.md ("priority-ordered greedy with dig-once
 * connectivity"): a corridor is eligible once it touches plant that exists
 * (an existing duct) or is built (an earlier corridor, or one funded
 * before it this year), or when it is the best of a trench network none of
 * which is built yet (its seed).  What no year funds is listed as
 * unfunded, with the reason.  Without a budget everything is phase 1.
 */
#define G_LOG_DOMAIN "ngam-plan"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-plan-private.h"

static guint
uf_find (guint *parent,
         guint  x)
{
  while (parent[x] != x)
    x = parent[x] = parent[parent[x]];
  return x;
}

static void
uf_union (guint *parent,
          guint  a,
          guint  b)
{
  a = uf_find (parent, a);
  b = uf_find (parent, b);
  if (a != b)
    parent[MAX (a, b)] = MIN (a, b);
}

/* Trenches of one group that meet at a node, joined: by street name
 * (@by_name) or all (the trench networks). */
static void
join_trenches (Plan    *p,
               guint   *parent,
               gboolean by_name)
{
  const NgamGraph *g = p->graph;
  guint nt = p->trenches->len;

  for (guint t = 0; t < nt; t++)
    parent[t] = t;
  for (guint v = 0; v < g->n_nodes; v++)
    {
      for (guint a = g->adj_start[v]; a < g->adj_start[v + 1]; a++)
        {
          guint e = g->adj_edge[a];

          for (int grp = 0; grp < p->n_groups; grp++)
            {
              int t = plan_trench_find (p, grp, e);

              if (t < 0)
                continue;
              /* join with every earlier trench of the group at v that qualifies */
              for (guint b = g->adj_start[v]; b < a; b++)
                {
                  int u = plan_trench_find (p, grp, g->adj_edge[b]);
                  const char *na, *nb;

                  if (u < 0)
                    continue;
                  na = g_ptr_array_index (p->street_names, e);
                  nb = g_ptr_array_index (p->street_names, g->adj_edge[b]);
                  if (!by_name || g_strcmp0 (na, nb) == 0)
                    uf_union (parent, (guint) t, (guint) u);
                }
            }
        }
    }
}

static int
cmp_by_score (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  const GArray *corridors = data;
  int x = *(const int *) a, y = *(const int *) b;
  double sx = g_array_index (corridors, Corridor, x).score, sy = g_array_index (corridors, Corridor, y).score;

  if (sx != sy)
    return sx > sy ? -1 : 1;
  return x - y;
}

/* A binary min-heap of ranks. */
static void
heap_push (GArray *heap,
           guint   v)
{
  guint i = heap->len;

  g_array_append_val (heap, v);
  while (i > 0 && g_array_index (heap, guint, (i - 1) / 2) > v)
    {
      g_array_index (heap, guint, i) = g_array_index (heap, guint, (i - 1) / 2);
      i = (i - 1) / 2;
    }
  g_array_index (heap, guint, i) = v;
}

static guint
heap_pop (GArray *heap)
{
  guint top = g_array_index (heap, guint, 0), last = g_array_index (heap, guint, heap->len - 1), i = 0, n;

  g_array_set_size (heap, heap->len - 1);
  n = heap->len;
  while (n > 0)
    {
      guint c = 2 * i + 1;

      if (c >= n)
        break;
      if (c + 1 < n && g_array_index (heap, guint, c + 1) < g_array_index (heap, guint, c))
        c++;
      if (g_array_index (heap, guint, c) >= last)
        break;
      g_array_index (heap, guint, i) = g_array_index (heap, guint, c);
      i = c;
    }
  if (n > 0)
    g_array_index (heap, guint, i) = last;
  return top;
}

void
plan_phase (Plan *p)
{
  const NgamPlanScenario *sc = p->sc;
  const NgamGraph *g = p->graph;
  guint nt = p->trenches->len;
  g_autofree guint *parent = g_new (guint, MAX (nt, 1));
  g_autofree guint *net = g_new (guint, MAX (nt, 1));
  g_autofree int *corr_of_root = g_new (int, MAX (nt, 1));
  g_autofree double *cables = NULL;
  g_autofree double *hazard = NULL, *heritage = NULL, *festival = NULL;
  g_autofree int *order = NULL;
  g_autofree guint8 *built = g_new0 (guint8, MAX (g->n_nodes, 1));
  g_autofree guint8 *started = g_new0 (guint8, MAX (nt, 1));
  double max_density = 0, max_cpm = 0, unattached = 0;
  guint nc;

  join_trenches (p, parent, TRUE);
  for (guint t = 0; t < nt; t++)
    corr_of_root[t] = -1;
  for (guint t = 0; t < nt; t++)
    {
      Trench *tr = &g_array_index (p->trenches, Trench, t);
      guint r = uf_find (parent, t);

      if (corr_of_root[r] < 0)
        {
          Corridor c = { 0 };
          const char *name = g_ptr_array_index (p->street_names, tr->edge);

          c.id = (int) p->corridors->len;
          c.name = g_strdup (name ? name : "");
          c.trenches = g_array_new (FALSE, FALSE, sizeof (int));
          corr_of_root[r] = c.id;
          g_array_append_val (p->corridors, c);
        }
      tr->corridor = corr_of_root[r];
      g_array_append_val (g_array_index (p->corridors, Corridor, tr->corridor).trenches, t);
    }
  join_trenches (p, net, FALSE);
  nc = p->corridors->len;
  cables = g_new0 (double, MAX (nc, 1));
  hazard = g_new0 (double, MAX (nc, 1));
  heritage = g_new0 (double, MAX (nc, 1));
  festival = g_new0 (double, MAX (nc, 1));
  for (guint t = 0; t < nt; t++)
    {
      Trench *tr = &g_array_index (p->trenches, Trench, t);
      Corridor *c = &g_array_index (p->corridors, Corridor, tr->corridor);
      const NgamEdgeAttr *a = &g->edge[tr->edge];
      double len = p->edge_len[tr->edge];
      double h = 0;

      c->length += len;
      cables[tr->corridor] += tr->cables * len;
      if (p->edge_flood[tr->edge] > 0 || (a->zones & NGAM_ZONE_FLOOD))
        h = 0.5 + 0.5 * MIN (2.0, MAX (p->edge_flood[tr->edge], 0)) / 2.0;
      if (a->zones & NGAM_ZONE_LANDSLIDE)
        h = 1;
      hazard[tr->corridor] += h * len;
      if (a->zones & NGAM_ZONE_HERITAGE)
        heritage[tr->corridor] += len;
      if ((a->zones & NGAM_ZONE_FESTIVAL) || (a->flags & NGAM_EDGE_FESTIVAL))
        festival[tr->corridor] += len;
    }
  for (guint i = 0; i < p->items->len; i++)
    {
      Item *it = &g_array_index (p->items, Item, i);

      if (it->trench >= 0)
        g_array_index (p->corridors, Corridor, g_array_index (p->trenches, Trench, it->trench).corridor).cost += it->amount;
      else
        unattached += it->amount;
    }
  for (guint k = 0; k < nc; k++)
    {
      Corridor *c = &g_array_index (p->corridors, Corridor, k);
      double l = MAX (c->length, 1e-9);

      max_density = MAX (max_density, cables[k] / l / l);
      max_cpm = MAX (max_cpm, c->cost / l);
    }
  for (guint k = 0; k < nc; k++)
    {
      Corridor *c = &g_array_index (p->corridors, Corridor, k);
      double l = MAX (c->length, 1e-9);
      double density = max_density > 0 ? (cables[k] / l / l) / max_density : 0;
      double cost = max_cpm > 0 ? 1 - (c->cost / l) / max_cpm : 0;

      c->score = sc->w_hazard * hazard[k] / l + sc->w_heritage * heritage[k] / l + sc->w_festival * festival[k] / l +
                 sc->w_density * density + sc->w_cost * cost;
    }
  /* corridors by score, highest first; ties by id */
  order = g_new (int, MAX (nc, 1));
  for (guint k = 0; k < nc; k++)
    order[k] = (int) k;
  g_qsort_with_data (order, (gint) nc, sizeof (int), cmp_by_score, p->corridors);
  p->budget_per_year = sc->budget_per_year;
  p->years = (int) sc->years;
  if (sc->budget_per_year <= 0)
    {
      p->years = 1;
      for (guint k = 0; k < nc; k++)
        g_array_index (p->corridors, Corridor, k).phase = 1;
    }
  else
    {
      g_autofree guint *rank = g_new (guint, MAX (nc, 1));
      g_autofree guint *node_start = g_new0 (guint, g->n_nodes + 1);
      g_autofree int *node_corr = NULL;
      g_autoptr(GArray) heap = g_array_new (FALSE, FALSE, sizeof (guint));

      for (guint e = 0; e < g->n_edges; e++)
        if (p->edge_duct_free[e] > 0 || p->edge_duct_mm[e] > 0)
          built[g->edge_uv[2 * e]] = built[g->edge_uv[2 * e + 1]] = 1;
      /* node → the corridors with a trench ending there */
      for (guint t = 0; t < nt; t++)
        {
          guint e = g_array_index (p->trenches, Trench, t).edge;

          node_start[g->edge_uv[2 * e] + 1]++;
          node_start[g->edge_uv[2 * e + 1] + 1]++;
        }
      for (guint v = 0; v < g->n_nodes; v++)
        node_start[v + 1] += node_start[v];
      node_corr = g_new (int, MAX (node_start[g->n_nodes], 1));
      {
        g_autofree guint *fill = g_memdup2 (node_start, sizeof (guint) * (g->n_nodes + 1));

        for (guint t = 0; t < nt; t++)
          {
            const Trench *tr = &g_array_index (p->trenches, Trench, t);

            node_corr[fill[g->edge_uv[2 * tr->edge]]++] = tr->corridor;
            node_corr[fill[g->edge_uv[2 * tr->edge + 1]]++] = tr->corridor;
          }
      }
      /* Each year funds, again and again, the corridor of highest
       * priority that fits what is left and joins plant that exists (or
       * starts its network, when nothing of it is built yet).  Candidates
       * wait in a heap by rank: one that does not fit stays out for the
       * year (what is left only shrinks); one that must wait for its
       * network comes back when a corridor beside it is built. */
      for (guint k = 0; k < nc; k++)
        rank[order[k]] = k;
      for (int year = 1; year <= p->years; year++)
        {
          double left = sc->budget_per_year - (year == 1 ? unattached : 0);

          heap->len = 0;
          for (guint k = 0; k < nc; k++)
            if (g_array_index (p->corridors, Corridor, order[k]).phase == 0)
              g_array_append_val (heap, k);   /* ranks in order: a heap already */
          while (heap->len > 0)
            {
              guint top = heap_pop (heap);
              Corridor *c = &g_array_index (p->corridors, Corridor, order[top]);
              gboolean touches = FALSE;
              guint root;

              if (c->phase != 0 || c->cost > left)
                continue;
              root = uf_find (net, (guint) g_array_index (c->trenches, int, 0));
              for (guint j = 0; j < c->trenches->len && !touches; j++)
                {
                  guint e = g_array_index (p->trenches, Trench, g_array_index (c->trenches, int, j)).edge;

                  touches = built[g->edge_uv[2 * e]] || built[g->edge_uv[2 * e + 1]];
                }
              if (!touches && started[root])
                continue;
              c->phase = year;
              left -= c->cost;
              started[root] = 1;
              for (guint j = 0; j < c->trenches->len; j++)
                {
                  guint e = g_array_index (p->trenches, Trench, g_array_index (c->trenches, int, j)).edge;

                  for (int end = 0; end < 2; end++)
                    {
                      guint v = g->edge_uv[2 * e + end];

                      if (built[v])
                        continue;
                      built[v] = 1;
                      /* the corridors at a node newly built may go now */
                      for (guint a = node_start[v]; a < node_start[v + 1]; a++)
                        if (g_array_index (p->corridors, Corridor, node_corr[a]).phase == 0)
                          heap_push (heap, rank[node_corr[a]]);
                    }
                }
            }
        }
      for (guint k = 0; k < nc; k++)
        {
          Corridor *c = &g_array_index (p->corridors, Corridor, k);

          if (c->phase == 0)
            c->why = c->cost > sc->budget_per_year ? "costs more than a year's budget"
                                                   : "the budget of the years planned is spent";
        }
    }
  /* phases down to everything tied to a corridor */
  for (guint t = 0; t < nt; t++)
    {
      Trench *tr = &g_array_index (p->trenches, Trench, t);

      tr->phase = g_array_index (p->corridors, Corridor, tr->corridor).phase;
    }
  for (guint i = 0; i < p->items->len; i++)
    {
      Item *it = &g_array_index (p->items, Item, i);

      it->phase = it->trench >= 0 ? g_array_index (p->trenches, Trench, it->trench).phase : 1;
    }
  for (guint i = 0; i < p->manholes->len; i++)
    {
      Manhole *mh = &g_array_index (p->manholes, Manhole, i);

      mh->phase = g_array_index (p->trenches, Trench, mh->trench).phase;
    }
  /* a span comes down once its whole component is built: the latest phase
   * of its trenches, 0 while any is unfunded */
  {
    g_autofree int *comp_phase = g_new0 (int, MAX (p->comps->len, 1));

    for (guint k = 0; k < p->comps->len; k++)
      {
        Comp *c = &g_array_index (p->comps, Comp, k);
        int ph = 1;

        for (guint i = 0; i < c->tree->len && ph > 0; i++)
          {
            int t = plan_trench_find (p, c->group, g_array_index (c->tree, guint, i));
            int tp = g_array_index (p->trenches, Trench, t).phase;

            ph = tp == 0 ? 0 : MAX (ph, tp);
          }
        comp_phase[k] = ph;
      }
    for (guint i = 0; i < p->spans->len; i++)
      {
        Span *s = &g_array_index (p->spans, Span, i);

        s->phase = s->retired ? comp_phase[s->comp] : -1;
      }
    for (guint i = 0; i < p->crossings->len; i++)
      {
        Crossing *x = &g_array_index (p->crossings, Crossing, i);

        x->phase = x->trench >= 0 ? g_array_index (p->trenches, Trench, x->trench).phase : 1;
      }
  }
  for (guint i = 0; i < p->spans->len; i++)
    {
      Span *s = &g_array_index (p->spans, Span, i);

      if (!s->retired)
        continue;
      for (int end = 0; end < 2; end++)
        {
          gint64 pf = end ? s->to_pole : s->from_pole;
          Pole *pole = pf >= 0 ? g_hash_table_lookup (p->poles, &pf) : NULL;

          /* the latest of its spans' phases; 0 (unfunded) while any is */
          if (pole && pole->phase != 0)
            pole->phase = s->phase == 0 ? 0 : MAX (pole->phase, s->phase);
        }
    }
  {
    GArray *outs[3] = { p->removed, p->freed, p->risers };

    for (int k = 0; k < 3; k++)
      for (guint i = 0; i < outs[k]->len; i++)
        {
          PoleOut *o = &g_array_index (outs[k], PoleOut, i);
          Pole *pole = g_hash_table_lookup (p->poles, &o->pole);

          o->phase = pole->phase < 0 ? 1 : pole->phase;
        }
  }
}
