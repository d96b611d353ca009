/* ngam-plan-check.c — rule checks on the finished plan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each check recomputes what it checks from the plan's records rather than
 * trusting the stage that made them: continuity of every cable, fill of
 * every duct, methods against the zones, existing-duct capacity, the bank
 * against the largest arrangement, manhole spacing and forbidden places,
 * the budget of every phase, and totals that add up to the đồng.
 */
#define G_LOG_DOMAIN "ngam-plan"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ngam-plan-private.h"

void
plan_violation (Plan       *p,
                const char *rule,
                gint64      fid,
                const char *fmt,
                ...)
{
  va_list ap;
  Violation v = { rule, fid, NULL };

  va_start (ap, fmt);
  v.message = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_array_append_val (p->violations, v);
}

static guint
uf_find (guint *parent,
         guint  x)
{
  while (parent[x] != x)
    x = parent[x] = parent[parent[x]];
  return x;
}

static gint64
comp_span_fid (Plan *p,
               int   k)
{
  for (guint i = 0; i < p->spans->len; i++)
    if (g_array_index (p->spans, Span, i).comp == k)
      return g_array_index (p->spans, Span, i).fid;
  return -1;
}

static void
check_continuity (Plan *p)
{
  const NgamGraph *g = p->graph;
  g_autofree guint *parent = g_new (guint, MAX (g->n_nodes, 1));

  for (guint v = 0; v < g->n_nodes; v++)
    parent[v] = v;
  for (guint k = 0; k < p->comps->len; k++)
    {
      Comp *c = &g_array_index (p->comps, Comp, k);
      guint root = G_MAXUINT;
      gboolean broken = FALSE;

      for (guint i = 0; i < c->tree->len; i++)
        {
          guint e = g_array_index (c->tree, guint, i);

          if (plan_trench_find (p, c->group, e) < 0)
            broken = TRUE;
          parent[uf_find (parent, g->edge_uv[2 * e])] = uf_find (parent, g->edge_uv[2 * e + 1]);
        }
      for (guint i = 0; i < c->terminals->len && !broken; i++)
        {
          guint t = g_array_index (c->terminals, guint, i), r;
          gboolean out = FALSE;

          for (guint j = 0; c->left_out && j < c->left_out->len; j++)
            out |= g_array_index (c->left_out, guint, j) == t;
          if (out)
            continue;
          r = uf_find (parent, t);
          if (root == G_MAXUINT)
            root = r;
          else if (r != root)
            broken = TRUE;
        }
      if (broken)
        plan_violation (p, "continuity", comp_span_fid (p, (int) k),
                        _("the underground cable of %s's network around span %" PRId64 " is not continuous"),
                        ((Party *) g_ptr_array_index (p->parties, c->op))->name, comp_span_fid (p, (int) k));
      /* undo, touching only this tree's nodes */
      for (guint i = 0; i < c->tree->len; i++)
        {
          guint e = g_array_index (c->tree, guint, i);

          parent[g->edge_uv[2 * e]] = g->edge_uv[2 * e];
          parent[g->edge_uv[2 * e + 1]] = g->edge_uv[2 * e + 1];
        }
      for (guint i = 0; i < c->terminals->len; i++)
        parent[g_array_index (c->terminals, guint, i)] = g_array_index (c->terminals, guint, i);
    }
}

static void
check_trenches (Plan *p)
{
  const NgamPlanScenario *sc = p->sc;
  const NgamGraph *g = p->graph;
  g_autofree int *used = g_new0 (int, MAX (g->n_edges, 1));

  for (guint ti = 0; ti < p->trenches->len; ti++)
    {
      Trench *t = &g_array_index (p->trenches, Trench, ti);
      const NgamEdgeAttr *a = &g->edge[t->edge];
      gint64 fid = a->street_fid;
      NgamMethodFlags allowed = ngam_zone_allowed_methods (a->zones);
      const char *mname = ngam_method_info (t->method)->name;
      int need = 0;

      if ((allowed & t->method) == 0)
        {
          g_autofree char *zones = ngam_zone_flags_to_string (a->zones);

          plan_violation (p, "method", fid, _("street %" PRId64 ": %s is not allowed in %s"), fid, mname, zones);
        }
      if (t->method == NGAM_METHOD_BRIDGE_ATTACHMENT && !(a->flags & (NGAM_EDGE_BRIDGE | NGAM_EDGE_TUNNEL)))
        plan_violation (p, "method", fid, _("street %" PRId64 ": attachment where there is no bridge"), fid);
      for (guint i = 0; i < t->comps->len; i++)
        {
          Comp *c = &g_array_index (p->comps, Comp, g_array_index (t->comps, int, i));
          int ducts = plan_ducts_for (sc, c->cables, c->diameter_mm, t->duct_mm);
          int per = (c->cables + ducts - 1) / MAX (ducts, 1);
          double fill = per * c->diameter_mm * c->diameter_mm / (t->duct_mm * t->duct_mm);

          need += ducts;
          if (fill > plan_fill_limit (sc, per) + 1e-9)
            plan_violation (p, "fill", fid,
                            _("street %" PRId64 ": %d cable(s) of %g mm fill a %g mm duct to %.0f %% (limit %.0f %%)"),
                            fid, per, c->diameter_mm, t->duct_mm, 100 * fill, 100 * plan_fill_limit (sc, per));
        }
      if (t->method == NGAM_METHOD_DUCT_REUSE && (used[t->edge] += need) > p->edge_duct_free[t->edge])
        plan_violation (p, "capacity", fid, _("street %" PRId64 ": %d ducts needed, %d free in the existing duct"),
                        fid, used[t->edge], p->edge_duct_free[t->edge]);
      if (t->arrangement == -1)
        plan_violation (p, "arrangement", fid, _("street %" PRId64 ": %d ducts exceed the largest arrangement"),
                        fid, t->ducts + t->spare + t->power_ducts);
    }
}

static void
check_manholes (Plan *p)
{
  NgamGraph *g = p->graph;
  double clear = p->sc->intersection_clearance_m;
  g_autoptr(GArray) near = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < p->manholes->len; i++)
    {
      Manhole *mh = &g_array_index (p->manholes, Manhole, i);
      double box[4] = { mh->x - clear, mh->y - clear, mh->x + clear, mh->y + clear };
      gboolean bad = FALSE;

      if (clear <= 0)
        break;
      g_array_set_size (near, 0);
      ngam_graph_edges_near (g, box, near);
      for (guint j = 0; j < near->len && !bad; j++)
        for (int k = 0; k < 2 && !bad; k++)
          {
            guint v = g->edge_uv[2 * g_array_index (near, guint, j) + k];

            if (p->node_degree[v] >= 3 &&
                hypot (g->node_xy[2 * v] - mh->x, g->node_xy[2 * v + 1] - mh->y) < clear - 1e-6)
              bad = TRUE;
          }
      if (bad)
        plan_violation (p, "forbidden_place", g->edge[g_array_index (p->trenches, Trench, mh->trench).edge].street_fid,
                        _("a %s (%s) at (%.1f, %.1f) is within %g m of an intersection"),
                        mh->handhole ? "handhole" : "manhole", mh->reason, mh->x, mh->y, clear);
    }
  for (guint i = 0; i < p->gaps->len; i++)
    {
      double gap = g_array_index (p->gaps, double, i);

      if (gap > p->sc->manhole_spacing_m + 1e-6)
        plan_violation (p, "spacing", -1, _("%.1f m between two pull points (limit %g m)"), gap, p->sc->manhole_spacing_m);
    }
}

static void
check_totals (Plan *p)
{
  guint n = p->parties->len;
  gint64 items = 0, parties = 0;

  for (guint i = 0; i < p->items->len; i++)
    {
      Item *it = &g_array_index (p->items, Item, i);
      gint64 sum = 0;

      items += it->rounded;
      for (guint q = 0; q < n; q++)
        sum += it->shares[q];
      parties += sum;
      if (sum != it->rounded)
        plan_violation (p, "totals", -1, _("an item of %" PRId64 " VND is split into %" PRId64),
                        it->rounded, sum);
    }
  if (items != p->total || parties != p->total)
    plan_violation (p, "totals", -1, _("items %" PRId64 ", parties %" PRId64 ", total %" PRId64 " VND"),
                    items, parties, p->total);
  if (p->budget_per_year > 0)
    for (int year = 1; year <= p->years; year++)
      {
        gint64 cost = 0;

        for (guint i = 0; i < p->items->len; i++)
          if (g_array_index (p->items, Item, i).phase == year)
            cost += g_array_index (p->items, Item, i).rounded;
        if ((double) cost > p->budget_per_year + 0.5)
          plan_violation (p, "budget", -1, _("phase %d costs %" PRId64 " VND, more than the year's budget of %.0f"),
                          year, cost, p->budget_per_year);
      }
}

void
plan_check (Plan *p)
{
  check_continuity (p);
  check_trenches (p);
  check_manholes (p);
  check_totals (p);
}
