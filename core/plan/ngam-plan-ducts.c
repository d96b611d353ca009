/* ngam-plan-ducts.c — trenches and their duct banks: cables, ducts under
 * the fill rules, spares, power, the TCVN 8700 arrangement, width, depth
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fill is the cables' cross-section over the duct's inner area: at most
 * 53 % for one cable, 31 % for two, 40 % for three or more (NEC chapter 9
 * practice, DOMAIN.md).  Each component (one operator's cable) gets its own
 * ducts, as operators do not share a duct; the bank adds the spare ducts
 * and, with power in the trench, the power company's ducts.  The bank
 * takes the smallest TCVN 8700 layers × ducts arrangement that holds it,
 * whose top width is the trench width (plus the separation from power).
 */
#define G_LOG_DOMAIN "ngam-plan"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-plan-private.h"

double
plan_fill_limit (const NgamPlanScenario *sc,
                 int                     cables)
{
  return cables <= 1 ? sc->fill_one : cables == 2 ? sc->fill_two : sc->fill_more;
}

/* Ducts of inner diameter @inner_mm that hold @cables cables of
 * @diameter_mm within the fill limits (one per cable when even one does
 * not fit: the check reports it). */
int
plan_ducts_for (const NgamPlanScenario *sc,
                int                     cables,
                double                  diameter_mm,
                double                  inner_mm)
{
  double ratio = (diameter_mm * diameter_mm) / (inner_mm * inner_mm);
  int per = 0;

  if (cables <= 0)
    return 0;
  for (int n = 1; n <= cables; n++)
    if (n * ratio <= plan_fill_limit (sc, n) + 1e-12)
      per = n;
  if (per == 0)
    return cables;
  return (cables + per - 1) / per;
}

/* Rent of an existing duct, VND per cable metre per year, by the cable's
 * outer diameter (the VNPT Hải Phòng tariff classes of DOMAIN.md). */
double
plan_rent_per_m (const NgamPlanScenario *sc,
                 double                  d)
{
  int k = d <= 5 ? 0 : d <= 10 ? 1 : d <= 15 ? 2 : d <= 20 ? 3 : d <= 35 ? 4 : 5;

  return sc->rent_tariff[k] * 12.0;
}

typedef struct
{
  int   group;
  guint edge;
  int   comp;
} Use;

static int
cmp_use (gconstpointer a,
         gconstpointer b)
{
  const Use *x = a, *y = b;

  if (x->group != y->group)
    return x->group < y->group ? -1 : 1;
  if (x->edge != y->edge)
    return x->edge < y->edge ? -1 : 1;
  return x->comp < y->comp ? -1 : x->comp > y->comp;
}

static void
size_bank (Plan   *p,
           Trench *t)
{
  const NgamPlanScenario *sc = p->sc;
  const NgamEdgeAttr *a = &p->graph->edge[t->edge];
  Surface surf = ngam_plan_surface_of (ngam_graph_get_string (p->graph, a->surface));
  int n_parties = (int) p->parties->len;
  int total;

  t->duct_mm = t->method == NGAM_METHOD_DUCT_REUSE ? p->edge_duct_mm[t->edge]
               : t->method == NGAM_METHOD_MICRO_TRENCH ? sc->microduct_inner_mm : sc->duct_inner_mm;
  t->party_ducts = g_new0 (double, n_parties);
  t->party_section = g_new0 (double, n_parties);
  t->cables = t->ducts = 0;
  t->fill = 0;
  for (guint i = 0; i < t->comps->len; i++)
    {
      Comp *c = &g_array_index (p->comps, Comp, g_array_index (t->comps, int, i));
      int ducts = plan_ducts_for (sc, c->cables, c->diameter_mm, t->duct_mm);
      int per = (c->cables + ducts - 1) / MAX (ducts, 1);
      double fill = per * c->diameter_mm * c->diameter_mm / (t->duct_mm * t->duct_mm);

      /* a cable that does not fit even alone is the check's business */
      t->fill = MAX (t->fill, fill);
      t->cables += c->cables;
      t->ducts += ducts;
      t->party_ducts[c->op] += ducts;
      t->party_section[c->op] += c->cables * G_PI * c->diameter_mm * c->diameter_mm / 4;
    }
  t->spare = t->method == NGAM_METHOD_DUCT_REUSE ? 0 : (int) sc->spare_ducts;
  t->power_ducts = 0;
  if (p->with_power && t->method != NGAM_METHOD_DUCT_REUSE)
    {
      t->power_ducts = (int) sc->power_ducts;
      t->party_ducts[p->power_party] += t->power_ducts;
      t->party_section[p->power_party] += t->power_ducts * G_PI * sc->cable_mm[CABLE_POWER] * sc->cable_mm[CABLE_POWER] / 4;
    }
  total = t->ducts + t->spare + t->power_ducts;
  /* the narrowest arrangement that holds the bank (TCVN 8700 lists 2×4
   * narrower than 1×3): the least ground to open */
  t->arrangement = -1;
  for (int i = 0; i < N_ARRANGEMENTS && sc->arr_ducts[i] > 0; i++)
    if (sc->arr_ducts[i] >= total &&
        (t->arrangement < 0 || sc->arr_top_mm[i] < sc->arr_top_mm[t->arrangement]))
      t->arrangement = i;
  t->width_mm = t->depth_m = 0;
  switch (t->method)
    {
    case NGAM_METHOD_OPEN_CUT_SIDEWALK:
    case NGAM_METHOD_OPEN_CUT_ROADWAY:
    case NGAM_METHOD_OPEN_CUT_UNPAVED:
      {
        int arr = t->arrangement >= 0 ? t->arrangement : N_ARRANGEMENTS - 1;
        double cover = t->method == NGAM_METHOD_OPEN_CUT_SIDEWALK ? sc->cover_sidewalk_m
                       : t->method == NGAM_METHOD_OPEN_CUT_ROADWAY ? sc->cover_roadway_m : sc->cover_unpaved_m;

        while (arr > 0 && sc->arr_ducts[arr] == 0)
          arr--;
        t->width_mm = sc->arr_top_mm[arr] + (t->power_ducts > 0 ? sc->power_separation_mm : 0);
        t->depth_m = cover + sc->arr_layers[arr] * sc->layer_pitch_m;
      }
      break;
    case NGAM_METHOD_MICRO_TRENCH:
      /* a saw cut: one layer of microducts side by side */
      t->width_mm = 20.0 + total * (sc->microduct_inner_mm + 5.0) + (t->power_ducts > 0 ? sc->power_separation_mm : 0);
      t->depth_m = 0.3;
      t->arrangement = -2;
      break;
    case NGAM_METHOD_HDD:
      t->width_mm = 0;
      t->depth_m = 1.5;
      t->arrangement = -2;
      break;
    default:
      t->arrangement = -2;  /* bridge, reuse: no new bank */
      break;
    }
  (void) surf;
}

/* Trenches from the components' trees: one per (group, edge), each
 * listing the components in it, in (group, edge) order. */
void
plan_ducts (Plan *p)
{
  g_autoptr(GArray) uses = g_array_new (FALSE, FALSE, sizeof (Use));
  /* free ducts left on each edge: groups (operators alone) take them in turn */
  g_autofree int *left = g_memdup2 (p->edge_duct_free, sizeof (int) * MAX (p->graph->n_edges, 1));

  for (guint k = 0; k < p->comps->len; k++)
    {
      Comp *c = &g_array_index (p->comps, Comp, k);

      for (guint i = 0; i < c->tree->len; i++)
        {
          Use u = { c->group, g_array_index (c->tree, guint, i), (int) k };

          g_array_append_val (uses, u);
        }
    }
  g_array_sort (uses, cmp_use);
  for (guint i = 0; i < uses->len;)
    {
      Use *u = &g_array_index (uses, Use, i);
      Trench t = { 0 };
      int need = 0;

      t.edge = u->edge;
      t.group = u->group;
      t.comps = g_array_new (FALSE, FALSE, sizeof (int));
      t.corridor = -1;
      for (; i < uses->len && g_array_index (uses, Use, i).group == t.group &&
             g_array_index (uses, Use, i).edge == t.edge; i++)
        {
          int k = g_array_index (uses, Use, i).comp;

          g_array_append_val (t.comps, k);
          need += g_array_index (p->comps, Comp, k).ducts;
        }
      /* an existing duct with room for every cable is reused; otherwise
       * the edge is dug (and where it may not be dug, the check says so) */
      if (left[t.edge] >= need && p->edge_in_scope[t.edge] && !p->with_power)
        {
          t.method = NGAM_METHOD_DUCT_REUSE;
          left[t.edge] -= need;
        }
      else if (p->edge_method[t.edge] != 0)
        t.method = p->edge_method[t.edge];
      else
        t.method = NGAM_METHOD_DUCT_REUSE;   /* over capacity: reported */
      size_bank (p, &t);
      g_array_append_val (p->trenches, t);
    }
}

/* The trench of @group on @edge, or -1 (binary search: trenches are in
 * (group, edge) order). */
int
plan_trench_find (Plan  *p,
                  int    group,
                  guint  edge)
{
  int lo = 0, hi = (int) p->trenches->len - 1;

  while (lo <= hi)
    {
      int mid = (lo + hi) / 2;
      Trench *t = &g_array_index (p->trenches, Trench, mid);

      if (t->group == group && t->edge == edge)
        return mid;
      if (t->group < group || (t->group == group && t->edge < edge))
        lo = mid + 1;
      else
        hi = mid - 1;
    }
  return -1;
}
