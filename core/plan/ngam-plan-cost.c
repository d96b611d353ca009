/* ngam-plan-cost.c — what comes down, and the bill: every cost as an item
 * tied to a trench, then split between the parties to the đồng
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A span comes down when its component's underground network reaches every
 * node the span mapped onto.  A pole whose every span comes down is removed,
 * unless it is the power company's (it carries power and stays, freed of
 * telecom cable).  Where an operator's cable comes down on one side of a
 * pole and stays aerial on the other, a riser takes it up the pole.
 *
 * Items shared by a trench's parties (civil works, reinstatement, HDD
 * set-up, spare ducts, manholes, crossings) are split by the scenario's
 * rule: each party's ducts, its cables' cross-section, or equally.  Each
 * item is rounded to whole đồng first, and split by largest remainders
 * (Hamilton's method; ties to the lower party number), so the parties'
 * shares of every item add up to the item and the parties' totals to the
 * plan's total exactly.
 */
#define G_LOG_DOMAIN "ngam-plan"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ngam-plan-private.h"

static void
add_item (Plan   *p,
          int     item,
          int     trench,
          int     party,
          double  amount,
          double  quantity)
{
  Item it = { 0 };

  if (!(amount > 0))
    return;
  it.item = item;
  it.trench = trench;
  it.crossing = -1;
  it.party = party;
  it.amount = amount;
  it.quantity = quantity;
  it.phase = 1;
  it.ward = trench >= 0 ? p->edge_ward[g_array_index (p->trenches, Trench, trench).edge] : -1;
  g_array_append_val (p->items, it);
}

static double
civil_rate (const NgamPlanScenario *sc,
            NgamMethodFlags         m)
{
  switch (m)
    {
    case NGAM_METHOD_OPEN_CUT_SIDEWALK: return sc->open_cut_sidewalk;
    case NGAM_METHOD_OPEN_CUT_ROADWAY: return sc->open_cut_roadway;
    case NGAM_METHOD_OPEN_CUT_UNPAVED: return sc->open_cut_unpaved;
    case NGAM_METHOD_MICRO_TRENCH: return sc->micro_trench;
    case NGAM_METHOD_HDD: return sc->hdd_per_m;
    case NGAM_METHOD_BRIDGE_ATTACHMENT: return sc->bridge_attachment;
    default: return 0;
    }
}

static void
trench_items (Plan *p,
              int   ti)
{
  const NgamPlanScenario *sc = p->sc;
  Trench *t = &g_array_index (p->trenches, Trench, ti);
  const NgamEdgeAttr *a = &p->graph->edge[t->edge];
  double len = p->edge_len[t->edge];
  Surface surf = ngam_plan_surface_of (ngam_graph_get_string (p->graph, a->surface));
  double uplift = a->zones & NGAM_ZONE_FLOOD ? 1 + sc->flood_uplift : 1;
  double duct_rate = t->method == NGAM_METHOD_MICRO_TRENCH ? sc->microduct_per_m : sc->duct_per_m;

  if (t->method == NGAM_METHOD_DUCT_REUSE)
    {
      for (guint i = 0; i < t->comps->len; i++)
        {
          Comp *c = &g_array_index (p->comps, Comp, g_array_index (t->comps, int, i));

          /* in its own duct it pays no rent, but its cable is pulled all the same */
          if (!plan_duct_is_own (p, t->edge, c->op))
            add_item (p, ITEM_RENT, ti, c->op, plan_comp_rent_per_m (p, c) * len, len);
          add_item (p, ITEM_CABLE, ti, c->op, c->cables * len * sc->cable_pulling_per_m, c->cables * len);
        }
      return;
    }
  {
    double factor = 1;

    if (t->method & NGAM_METHOD_OPEN_CUT)
      factor = MAX (0.5, 1 + sc->width_cost_share * (t->width_mm / sc->reference_width_mm - 1));
    add_item (p, ITEM_TRENCH, ti, -1, civil_rate (sc, t->method) * len * factor * uplift, len);
  }
  if ((t->method & NGAM_METHOD_OPEN_CUT) || t->method == NGAM_METHOD_MICRO_TRENCH)
    add_item (p, ITEM_REINSTATE, ti, -1, sc->reinstate[surf] * len, len);
  if (t->method == NGAM_METHOD_HDD)
    add_item (p, ITEM_HDD_CROSSING, ti, -1, sc->hdd_per_crossing, 1);
  for (guint i = 0; i < t->comps->len; i++)
    {
      Comp *c = &g_array_index (p->comps, Comp, g_array_index (t->comps, int, i));
      int ducts = plan_ducts_for (sc, c->cables, c->diameter_mm, t->duct_mm);

      add_item (p, ITEM_DUCT, ti, c->op, ducts * len * duct_rate, ducts * len);
      add_item (p, ITEM_CABLE, ti, c->op, c->cables * len * sc->cable_pulling_per_m, c->cables * len);
    }
  add_item (p, ITEM_DUCT, ti, -1, t->spare * len * duct_rate, t->spare * len);
  if (t->power_ducts > 0)
    {
      add_item (p, ITEM_DUCT, ti, p->power_party, t->power_ducts * len * duct_rate, t->power_ducts * len);
      add_item (p, ITEM_CABLE, ti, p->power_party, t->power_ducts * len * sc->cable_pulling_per_m, t->power_ducts * len);
    }
}

/* The trench a span's cost is tied to: one on an edge it maps onto. */
int
plan_span_trench (Plan       *p,
             const Span *s)
{
  Comp *c = &g_array_index (p->comps, Comp, s->comp);

  for (guint j = 0; j < s->n_edges; j++)
    {
      int t = plan_trench_find (p, c->group, g_array_index (p->span_edges, guint, s->edge_first + j));

      if (t >= 0)
        return t;
    }
  return c->tree->len > 0 ? plan_trench_find (p, c->group, g_array_index (c->tree, guint, 0)) : -1;
}

static gboolean
span_left_out (Plan       *p,
               const Span *s)
{
  Comp *c = &g_array_index (p->comps, Comp, s->comp);
  const NgamGraph *g = p->graph;

  if (c->left_out == NULL || c->left_out->len == 0)
    return FALSE;
  for (guint j = 0; j < s->n_edges; j++)
    {
      guint e = g_array_index (p->span_edges, guint, s->edge_first + j);

      for (guint i = 0; i < c->left_out->len; i++)
        {
          guint v = g_array_index (c->left_out, guint, i);

          if (g->edge_uv[2 * e] == v || g->edge_uv[2 * e + 1] == v)
            return TRUE;
        }
    }
  return FALSE;
}

typedef struct
{
  gint64      pole;
  const char *op;
  int         party;
  gboolean    retired;
  int         span;
} PoleUse;

static int
cmp_pole_use (gconstpointer a,
              gconstpointer b)
{
  const PoleUse *x = a, *y = b;
  int c;

  if (x->pole != y->pole)
    return x->pole < y->pole ? -1 : 1;
  if ((c = strcmp (x->op, y->op)) != 0)
    return c;
  return x->span - y->span;
}

static gboolean
power_owned (const Plan *p,
             const Pole *pole)
{
  const char *o = pole->owner;

  return o && ((p->sc->power_company && g_str_equal (o, p->sc->power_company)) || g_str_has_prefix (o, "EVN"));
}

static int
find_party (const Plan *p,
            const char *name)
{
  for (guint i = 0; name && i < p->parties->len; i++)
    if (g_str_equal (((Party *) g_ptr_array_index (p->parties, i))->name, name))
      return (int) i;
  return -1;
}

void
plan_cost (Plan *p)
{
  const NgamPlanScenario *sc = p->sc;
  const NgamGraph *g = p->graph;
  g_autoptr(GArray) uses = g_array_new (FALSE, FALSE, sizeof (PoleUse));

  /* what comes down */
  for (guint i = 0; i < p->spans->len; i++)
    {
      Span *s = &g_array_index (p->spans, Span, i);

      if (s->match == MATCH_NONE || s->comp < 0)
        continue;
      if (span_left_out (p, s))
        {
          s->match = MATCH_NONE;
          s->reason = "no street that may be dug joins it to the rest of its network";
          continue;
        }
      s->retired = TRUE;
      g_array_append_val (p->retired, i);
    }
  for (guint i = 0; i < p->spans->len; i++)
    {
      Span *s = &g_array_index (p->spans, Span, i);
      const char *op = g_intern_string (s->op >= 0 ? ((Party *) g_ptr_array_index (p->parties, s->op))->name : "");

      for (int end = 0; end < 2; end++)
        {
          gint64 pf = end ? s->to_pole : s->from_pole;
          PoleUse u = { pf, op, s->op, s->retired, (int) i };
          Pole *pole;

          if (pf < 0 || (pole = g_hash_table_lookup (p->poles, &pf)) == NULL)
            continue;
          g_array_append_val (uses, u);
          if (s->retired)
            {
              if (pole->n_retired++ == 0)
                {
                  pole->first_op = s->op;
                  pole->first_span = (int) i;
                }
              if (((Party *) g_ptr_array_index (p->parties, s->op))->power)
                pole->power_retired = TRUE;
            }
        }
    }
  /* risers: an operator's cable down on one side of a pole, up on the other */
  g_array_sort (uses, cmp_pole_use);
  for (guint i = 0; i < uses->len;)
    {
      guint j = i;
      int retired = -1;
      gboolean stays = FALSE;

      for (; j < uses->len && g_array_index (uses, PoleUse, j).pole == g_array_index (uses, PoleUse, i).pole &&
             g_array_index (uses, PoleUse, j).op == g_array_index (uses, PoleUse, i).op; j++)
        {
          PoleUse *u = &g_array_index (uses, PoleUse, j);

          if (u->retired && retired < 0)
            retired = u->span;
          else if (!u->retired)
            stays = TRUE;
        }
      if (retired >= 0 && stays)
        {
          Span *s = &g_array_index (p->spans, Span, retired);
          int t = plan_span_trench (p, s);
          PoleOut r = { g_array_index (uses, PoleUse, i).pole, s->op, 1,
                        t >= 0 ? p->edge_ward[g_array_index (p->trenches, Trench, t).edge] : -1 };

          g_array_append_val (p->risers, r);
          add_item (p, ITEM_RISER, t, s->op, sc->riser, 1);
        }
      i = j;
    }
  /* poles removed or freed, in fid order */
  for (guint i = 0; i < p->pole_list->len; i++)
    {
      gint64 fid = g_array_index (p->pole_list, gint64, i);
      Pole *pole = g_hash_table_lookup (p->poles, &fid);
      PoleOut out = { fid, -1, 1, -1 };
      int t;

      if (pole->n_spans == 0 || pole->n_retired < pole->n_spans)
        continue;
      /* tied to the trench of its first span that comes down, and so to
       * that trench's ward, which its feature carries too */
      t = plan_span_trench (p, &g_array_index (p->spans, Span, pole->first_span));
      out.ward = t >= 0 ? p->edge_ward[g_array_index (p->trenches, Trench, t).edge] : -1;
      if (power_owned (p, pole) && !pole->power_retired)
        {
          out.party = pole->first_op;
          g_array_append_val (p->freed, out);
          continue;
        }
      out.party = find_party (p, pole->owner);
      if (out.party < 0)
        out.party = find_party (p, pole->operator_name);
      if (out.party < 0)
        out.party = pole->first_op;
      g_array_append_val (p->removed, out);
      add_item (p, ITEM_POLE_REMOVAL, t, out.party, sc->pole_removal, 1);
    }

  /* the trenches' own items */
  for (guint t = 0; t < p->trenches->len; t++)
    trench_items (p, (int) t);
  for (guint i = 0; i < p->manholes->len; i++)
    {
      Manhole *mh = &g_array_index (p->manholes, Manhole, i);

      add_item (p, mh->handhole ? ITEM_HANDHOLE : ITEM_MANHOLE, mh->trench, -1,
                mh->handhole ? sc->handhole : sc->manhole, 1);
    }
  /* street crossings: one per street edge and group, shared by who crosses there */
  for (guint i = 0; i < p->spans->len; i++)
    {
      Span *s = &g_array_index (p->spans, Span, i);
      Comp *c;
      guint e;
      Crossing *cr = NULL;

      if (!s->retired || s->match != MATCH_CROSSING)
        continue;
      c = &g_array_index (p->comps, Comp, s->comp);
      e = g_array_index (p->span_edges, guint, s->edge_first);
      for (guint k = 0; k < p->crossings->len && cr == NULL; k++)
        {
          Crossing *x = &g_array_index (p->crossings, Crossing, k);

          if (x->edge == e && x->group == c->group)
            cr = x;
        }
      if (cr == NULL)
        {
          Crossing nc = { e, (s->x0 + s->x1) / 2, (s->y0 + s->y1) / 2, c->group, plan_span_trench (p, s), 1, NULL };

          nc.parties = g_array_new (FALSE, FALSE, sizeof (int));
          g_array_append_val (p->crossings, nc);
          cr = &g_array_index (p->crossings, Crossing, p->crossings->len - 1);
        }
      {
        gboolean has = FALSE;

        for (guint k = 0; k < cr->parties->len; k++)
          has |= g_array_index (cr->parties, int, k) == s->op;
        if (!has)
          g_array_append_val (cr->parties, s->op);
      }
    }
  for (guint k = 0; k < p->crossings->len; k++)
    {
      Crossing *x = &g_array_index (p->crossings, Crossing, k);
      Item it = { .item = ITEM_CROSSING, .trench = x->trench, .crossing = (int) k, .party = -1, .phase = 1,
                  .ward = p->edge_ward[x->edge], .amount = sc->street_crossing, .quantity = 1 };

      g_array_append_val (p->items, it);
    }
  /* splice closures where a component's cable branches */
  for (guint k = 0; k < p->comps->len; k++)
    {
      Comp *c = &g_array_index (p->comps, Comp, k);
      g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));

      for (guint i = 0; i < c->tree->len; i++)
        g_array_append_vals (nodes, &g->edge_uv[2 * g_array_index (c->tree, guint, i)], 2);
      g_array_sort (nodes, plan_cmp_guint);
      for (guint i = 0; i < nodes->len;)
        {
          guint j = i, v = g_array_index (nodes, guint, i);

          while (j < nodes->len && g_array_index (nodes, guint, j) == v)
            j++;
          if (j - i >= 3)
            {
              gboolean flood = FALSE;
              int tie = -1;

              for (guint a = g->adj_start[v]; a < g->adj_start[v + 1]; a++)
                {
                  int t = plan_trench_find (p, c->group, g->adj_edge[a]);

                  if (t >= 0)
                    {
                      flood |= (g->edge[g->adj_edge[a]].zones & NGAM_ZONE_FLOOD) != 0;
                      if (tie < 0)
                        tie = t;
                    }
                }
              add_item (p, ITEM_CLOSURE, tie, c->op, flood ? sc->sealed_closure : sc->splice_closure, 1);
            }
          i = j;
        }
    }
}

/* Weights of a shared item's parties. */
static void
item_weights (Plan       *p,
              const Item *it,
              double     *w)
{
  guint n = p->parties->len;

  memset (w, 0, sizeof (double) * n);
  if (it->item == ITEM_CROSSING)
    {
      Crossing *x = &g_array_index (p->crossings, Crossing, it->crossing);

      for (guint k = 0; k < x->parties->len; k++)
        {
          int q = g_array_index (x->parties, int, k);

          w[q] = 1;
          if (p->sc->split != SPLIT_EQUAL && x->trench >= 0)
            {
              Trench *t = &g_array_index (p->trenches, Trench, x->trench);
              double v = p->sc->split == SPLIT_DUCTS ? t->party_ducts[q] : t->party_section[q];

              w[q] = v > 0 ? v : 1;
            }
        }
      return;
    }
  {
    Trench *t = &g_array_index (p->trenches, Trench, it->trench);

    for (guint q = 0; q < n; q++)
      {
        double used = t->party_ducts[q];

        if (used <= 0)
          continue;
        w[q] = p->sc->split == SPLIT_DUCTS ? used : p->sc->split == SPLIT_SECTION ? t->party_section[q] : 1;
      }
  }
}

void
plan_split (Plan *p)
{
  guint n = p->parties->len;
  g_autofree double *w = g_new (double, MAX (n, 1));
  g_autofree double *frac = g_new (double, MAX (n, 1));

  p->total = 0;
  for (guint i = 0; i < p->items->len; i++)
    {
      Item *it = &g_array_index (p->items, Item, i);
      gint64 *shares = g_new0 (gint64, MAX (n, 1));

      it->rounded = (gint64) llround (it->amount);
      p->total += it->rounded;
      if (it->party >= 0 || n == 0)
        {
          if (n > 0)
            shares[it->party] = it->rounded;
        }
      else
        {
          double sum = 0;
          gint64 given = 0;

          item_weights (p, it, w);
          for (guint q = 0; q < n; q++)
            sum += w[q];
          if (sum <= 0)
            {
              for (guint q = 0; q < n; q++)
                w[q] = 1;
              sum = n;
            }
          for (guint q = 0; q < n; q++)
            {
              double exact = (double) it->rounded * w[q] / sum;

              shares[q] = (gint64) floor (exact);
              frac[q] = exact - shares[q];
              given += shares[q];
            }
          /* largest remainders, ties to the lower party number */
          while (given < it->rounded)
            {
              guint best = 0;

              for (guint q = 1; q < n; q++)
                if (frac[q] > frac[best] + 1e-12 || (w[best] == 0 && w[q] > 0 && fabs (frac[q] - frac[best]) <= 1e-12))
                  best = q;
              shares[best]++;
              frac[best] = -1;
              given++;
            }
        }
      it->shares = shares;
    }
}
