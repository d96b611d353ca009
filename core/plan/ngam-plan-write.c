/* ngam-plan-write.c — the plan's JSON summary, and its result layers
 * written into the project through the results API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The summary's keys are the CLI's stable JSON (README "Planning"); the
 * result layers are those ngam-results.h lists for the `plan` job.  Every
 * list is in index order (trenches by group and edge, manholes as placed,
 * spans and poles by fid), so the same project and scenario give the same
 * rows.
 */
#define G_LOG_DOMAIN "ngam-plan"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ngam-plan-private.h"
#include "ngam-results.h"

static const char *const item_names[N_ITEMS] = {
  "trench", "reinstatement", "hdd_crossing", "street_crossing", "ducts", "manholes",
  "handholes", "cable_pulling", "risers", "pole_removal", "splice_closures", "duct_rent",
};
static const char *const item_units[N_ITEMS] = {
  "m", "m", "crossing", "crossing", "duct m", "each", "each", "cable m", "each", "each", "each", "m",
};

static void
member_int (JsonBuilder *b, const char *name, gint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

static void
member_double (JsonBuilder *b, const char *name, double v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, round (v * 1000) / 1000);
}

static void
member_string (JsonBuilder *b, const char *name, const char *v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, v ? v : "");
}

static const char *
ward_name (Plan *p,
           int   w)
{
  return w >= 0 ? g_ptr_array_index (p->wards, w) : "";
}

static const char *
party_name (Plan *p,
            int   q)
{
  return q >= 0 ? ((Party *) g_ptr_array_index (p->parties, q))->name : "";
}

JsonNode *
plan_summary (Plan *p)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint n = p->parties->len, nw = p->wards->len;
  double by_method[NGAM_N_METHODS] = { 0 }, trench_m = 0, cable_m = 0, funded = 0;
  g_autofree gint64 *party_cost = g_new0 (gint64, MAX (n, 1));
  g_autofree double *party_rent = g_new0 (double, MAX (n, 1));
  g_autofree gint64 *ward_cost = g_new0 (gint64, nw + 1);
  g_autofree double *ward_m = g_new0 (double, nw + 1);
  g_autofree guint *ward_poles = g_new0 (guint, nw + 1);
  int n_phases = p->years;
  g_autofree gint64 *phase_cost = g_new0 (gint64, n_phases + 1);
  g_autofree double *phase_m = g_new0 (double, n_phases + 1);
  gint64 bill[N_ITEMS] = { 0 };
  double bill_q[N_ITEMS] = { 0 };
  guint manholes = 0, handholes = 0;
  g_autofree gint64 *corridor_cost = g_new0 (gint64, MAX (p->corridors->len, 1));

  for (guint t = 0; t < p->trenches->len; t++)
    {
      Trench *tr = &g_array_index (p->trenches, Trench, t);
      double len = p->edge_len[tr->edge];

      by_method[g_bit_nth_lsf (tr->method, -1)] += len;
      trench_m += len;
      ward_m[p->edge_ward[tr->edge] >= 0 ? (guint) p->edge_ward[tr->edge] : nw] += len;
      phase_m[MIN (tr->phase, n_phases)] += len;
    }
  for (guint k = 0; k < p->comps->len; k++)
    {
      Comp *c = &g_array_index (p->comps, Comp, k);

      for (guint i = 0; i < c->tree->len; i++)
        cable_m += c->cables * p->edge_len[g_array_index (c->tree, guint, i)];
    }
  for (guint i = 0; i < p->items->len; i++)
    {
      Item *it = &g_array_index (p->items, Item, i);

      for (guint q = 0; q < n; q++)
        party_cost[q] += it->shares[q];
      if (it->item == ITEM_RENT && it->party >= 0)
        party_rent[it->party] += it->amount / MAX (p->sc->rent_years, 1e-9);
      ward_cost[it->ward >= 0 ? (guint) it->ward : nw] += it->rounded;
      phase_cost[MIN (it->phase, n_phases)] += it->rounded;
      bill[it->item] += it->rounded;
      if (it->trench >= 0)
        corridor_cost[g_array_index (p->trenches, Trench, it->trench).corridor] += it->rounded;
      bill_q[it->item] += it->quantity;
      if (it->phase > 0)
        funded += it->rounded;
    }
  for (guint i = 0; i < p->removed->len; i++)
    {
      int w = g_array_index (p->removed, PoleOut, i).ward;

      ward_poles[w >= 0 ? (guint) w : nw]++;
    }
  for (guint i = 0; i < p->manholes->len; i++)
    {
      if (g_array_index (p->manholes, Manhole, i).handhole)
        handholes++;
      else
        manholes++;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "notes");
  json_builder_begin_array (b);
  for (guint i = 0; i < p->notes->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (p->notes, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "sharing");
  json_builder_add_boolean_value (b, !p->no_sharing);
  json_builder_set_member_name (b, "with_power");
  json_builder_add_boolean_value (b, p->with_power);

  json_builder_set_member_name (b, "totals");
  json_builder_begin_object (b);
  member_int (b, "cost_vnd", p->total);
  member_int (b, "funded_cost_vnd", (gint64) funded);
  member_double (b, "trench_m", trench_m);
  json_builder_set_member_name (b, "trench_m_by_method");
  json_builder_begin_object (b);
  for (guint i = 0; i < NGAM_N_METHODS; i++)
    member_double (b, ngam_method_info_nth (i)->name, by_method[i]);
  json_builder_end_object (b);
  member_double (b, "cable_m", cable_m);
  member_int (b, "spans_retired", p->retired->len);
  member_int (b, "poles_removed", p->removed->len);
  member_int (b, "poles_freed", p->freed->len);
  member_int (b, "manholes", manholes);
  member_int (b, "handholes", handholes);
  member_int (b, "crossings", p->crossings->len);
  member_int (b, "risers", p->risers->len);
  member_int (b, "trenches", p->trenches->len);
  member_int (b, "components", p->comps->len);
  member_int (b, "spans_out_of_scope", p->n_out_of_scope);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "design");
  json_builder_begin_object (b);
  member_double (b, "objective_vnd", p->cost_design);
  member_double (b, "each_alone_vnd", p->cost_design_alone);
  member_double (b, "lower_bound_vnd", p->design_bound);
  json_builder_set_member_name (b, "gap");
  json_builder_add_double_value (b, p->cost_design > 0 ? MAX (0, p->cost_design - p->design_bound) / p->cost_design : 0);
  json_builder_set_member_name (b, "bound_complete");
  json_builder_add_boolean_value (b, p->design_bound_complete);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "bill");
  json_builder_begin_array (b);
  for (guint i = 0; i < N_ITEMS; i++)
    if (bill[i] > 0)
      {
        json_builder_begin_object (b);
        member_string (b, "item", item_names[i]);
        member_double (b, "quantity", bill_q[i]);
        member_string (b, "unit", item_units[i]);
        member_int (b, "cost_vnd", bill[i]);
        json_builder_end_object (b);
      }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "operators");
  json_builder_begin_array (b);
  for (guint q = 0; q < n; q++)
    {
      json_builder_begin_object (b);
      member_string (b, "operator", party_name (p, (int) q));
      member_int (b, "cost_vnd", party_cost[q]);
      json_builder_set_member_name (b, "share");
      json_builder_add_double_value (b, p->total > 0 ? (double) party_cost[q] / p->total : 0);
      member_double (b, "rent_per_year_vnd", party_rent[q]);
      json_builder_set_member_name (b, "power");
      json_builder_add_boolean_value (b, ((Party *) g_ptr_array_index (p->parties, q))->power);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  /* The years the work takes, not the years the budget was offered for:
   * a five-year budget spent in three lists three phases. */
  while (n_phases > 1 && phase_cost[n_phases] == 0 && phase_m[n_phases] == 0)
    n_phases--;
  json_builder_set_member_name (b, "phases");
  json_builder_begin_array (b);
  for (int ph = 1; ph <= n_phases; ph++)
    {
      json_builder_begin_object (b);
      member_int (b, "phase", ph);
      member_int (b, "year", ph);
      member_int (b, "cost_vnd", phase_cost[ph]);
      member_double (b, "trench_m", phase_m[ph]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "wards");
  json_builder_begin_array (b);
  for (guint w = 0; w <= nw; w++)
    if (ward_cost[w] > 0 || ward_m[w] > 0 || ward_poles[w] > 0)
      {
        json_builder_begin_object (b);
        member_string (b, "ward", w < nw ? ward_name (p, (int) w) : "");
        member_int (b, "cost_vnd", ward_cost[w]);
        member_double (b, "trench_m", ward_m[w]);
        member_int (b, "poles_removed", ward_poles[w]);
        json_builder_end_object (b);
      }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "unfunded");
  json_builder_begin_array (b);
  for (guint k = 0; k < p->corridors->len; k++)
    {
      Corridor *c = &g_array_index (p->corridors, Corridor, k);

      if (c->phase != 0)
        continue;
      json_builder_begin_object (b);
      member_int (b, "corridor", c->id);
      member_string (b, "street", c->name);
      member_int (b, "cost_vnd", corridor_cost[k]);
      member_double (b, "trench_m", c->length);
      member_double (b, "score", c->score);
      member_string (b, "reason", c->why);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "unmatched_spans");
  json_builder_begin_array (b);
  for (guint i = 0; i < p->spans->len; i++)
    {
      Span *s = &g_array_index (p->spans, Span, i);

      if (!s->in_scope || s->match != MATCH_NONE)
        continue;
      json_builder_begin_object (b);
      member_int (b, "fid", s->fid);
      member_string (b, "operator", party_name (p, s->op));
      member_string (b, "reason", s->reason);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "violations");
  json_builder_begin_array (b);
  for (guint i = 0; i < p->violations->len; i++)
    {
      Violation *v = &g_array_index (p->violations, Violation, i);

      json_builder_begin_object (b);
      member_string (b, "rule", v->rule);
      member_int (b, "fid", v->fid);
      member_string (b, "message", v->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static char *
attrs_text (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static int
cmp_name (gconstpointer a,
          gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static gboolean
add (NgamRun         *run,
     const char      *layer,
     int              phase,
     const char      *ward,
     const char      *op,
     double           cost,
     JsonBuilder     *attrs,
     const NgamShape *shape,
     guint           *n,
     GError         **error)
{
  g_autofree char *text = attrs_text (attrs);
  NgamResultFeature f = NGAM_RESULT_FEATURE_INIT;

  f.layer = layer;
  f.phase = phase;
  f.ward = ward && *ward ? ward : NULL;
  f.operator_name = op && *op ? op : NULL;
  f.cost = cost;
  f.attrs = text;
  f.shape = shape;
  (*n)++;
  return ngam_run_add (run, &f, error);
}

static gboolean write_features (Plan *p, NgamRun *run, guint *n_out, GError **error);

gboolean
plan_write (Plan        *p,
            const char  *scenario_name,
            gint64      *run_id,
            guint       *n_features,
            GError     **error)
{
  g_autofree char *settings = ngam_plan_scenario_to_text (p->sc);
  g_autoptr(NgamRun) run = NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *summary = NULL;
  g_autoptr(NgamScenarioInfo) info = NULL;
  guint n = 0;

  /* one transaction around the scenario's text and its run: a failure
   * anywhere leaves the project as it was */
  if (!ngam_store_begin (p->store, error))
    return FALSE;
  info = ngam_store_get_scenario (p->store, scenario_name, NULL);
  if ((info == NULL || (p->sc->text && g_strcmp0 (info->settings, p->sc->text) != 0)) &&
      ngam_store_put_scenario (p->store, scenario_name, p->sc->text ? p->sc->text : settings, error) <= 0)
    {
      ngam_store_rollback (p->store);
      return FALSE;
    }
  run = ngam_run_begin (p->store, scenario_name, "plan", settings, error);
  if (run == NULL)
    {
      ngam_store_rollback (p->store);
      return FALSE;
    }
  if (!write_features (p, run, &n, error))
    {
      g_clear_pointer (&run, ngam_run_abort);
      ngam_store_rollback (p->store);
      return FALSE;
    }
  json_generator_set_root (gen, p->summary);
  summary = json_generator_to_data (gen, NULL);
  *run_id = ngam_run_get_id (run);
  if (!ngam_run_commit (g_steal_pointer (&run), summary, error) || !ngam_store_commit (p->store, error))
    {
      ngam_store_rollback (p->store);
      return FALSE;
    }
  *n_features = n;
  return TRUE;
}

static gboolean
write_features (Plan     *p,
                NgamRun  *run,
                guint    *n_out,
                GError  **error)
{
  const NgamGraph *g = p->graph;
  guint n = 0;
  g_autofree gint64 *trench_cost = g_new0 (gint64, MAX (p->trenches->len, 1));

  /* each trench's cost: the items tied to it, in one pass */
  for (guint i = 0; i < p->items->len; i++)
    if (g_array_index (p->items, Item, i).trench >= 0)
      trench_cost[g_array_index (p->items, Item, i).trench] += g_array_index (p->items, Item, i).rounded;

  for (guint ti = 0; ti < p->trenches->len; ti++)
    {
      Trench *t = &g_array_index (p->trenches, Trench, ti);
      const NgamEdgeAttr *a = &g->edge[t->edge];
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(NgamShape) shape = ngam_graph_edge_shape (g, t->edge);
      g_autofree char *zones = ngam_zone_flags_to_string (a->zones);
      GString *ops = g_string_new (NULL);
      g_autofree char *arr = NULL;
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      double cost = 0;

      for (guint i = 0; i < t->comps->len; i++)
        {
          const char *name = party_name (p, g_array_index (p->comps, Comp, g_array_index (t->comps, int, i)).op);

          if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
            g_ptr_array_add (names, (gpointer) name);
        }
      if (t->power_ducts > 0)
        g_ptr_array_add (names, (gpointer) party_name (p, p->power_party));
      g_ptr_array_sort (names, cmp_name);
      for (guint i = 0; i < names->len; i++)
        g_string_append_printf (ops, "%s%s", i ? ";" : "", (char *) g_ptr_array_index (names, i));
      cost = (double) trench_cost[ti];
      arr = t->arrangement >= 0 ? g_strdup_printf ("%dx%d", p->sc->arr_layers[t->arrangement], p->sc->arr_ducts[t->arrangement])
                                : g_strdup ("");
      json_builder_begin_object (b);
      member_int (b, "street_fid", a->street_fid);
      member_string (b, "street", g_ptr_array_index (p->street_names, t->edge));
      member_string (b, "method", ngam_method_info (t->method)->name);
      member_string (b, "surface", ngam_graph_get_string (g, a->surface));
      member_double (b, "length_m", p->edge_len[t->edge]);
      member_int (b, "cables", t->cables);
      member_int (b, "ducts", t->ducts);
      member_int (b, "spare_ducts", t->spare);
      member_double (b, "duct_mm", t->duct_mm);
      member_string (b, "arrangement", arr);
      member_double (b, "width_mm", t->width_mm);
      member_double (b, "depth_m", t->depth_m);
      member_string (b, "operators", ops->str);
      member_string (b, "zones", zones);
      json_builder_set_member_name (b, "with_power");
      json_builder_add_boolean_value (b, t->power_ducts > 0);
      json_builder_set_member_name (b, "funded");
      json_builder_add_boolean_value (b, t->phase > 0);
      member_int (b, "group", t->group);
      member_int (b, "edge", t->edge);
      json_builder_end_object (b);
      g_string_free (ops, TRUE);
      if (!add (run, "trench", t->phase, ward_name (p, p->edge_ward[t->edge]), NULL, cost, b, shape, &n, error))
        return FALSE;
    }
  if (plan_cancelled (p, error))
    return FALSE;
  for (guint i = 0; i < p->manholes->len; i++)
    {
      Manhole *mh = &g_array_index (p->manholes, Manhole, i);
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(NgamShape) pt = ngam_shape_new_point (mh->x, mh->y);
      Trench *t = &g_array_index (p->trenches, Trench, mh->trench);

      json_builder_begin_object (b);
      member_string (b, "kind", mh->handhole ? "handhole" : "manhole");
      member_string (b, "reason", mh->reason);
      member_double (b, "moved_m", mh->moved_m);
      json_builder_end_object (b);
      if (!add (run, "manhole", mh->phase, ward_name (p, p->edge_ward[t->edge]), NULL,
                mh->handhole ? p->sc->handhole : p->sc->manhole, b, pt, &n, error))
        return FALSE;
    }
  for (guint i = 0; i < p->spans->len; i++)
    {
      Span *s = &g_array_index (p->spans, Span, i);
      g_autoptr(JsonBuilder) b = json_builder_new ();
      static const char *const kinds[] = { "", "street", "crossing", "path" };
      int t;

      if (!s->in_scope)
        continue;
      json_builder_begin_object (b);
      member_int (b, "span_fid", s->fid);
      if (s->retired)
        member_string (b, "match", kinds[s->match]);
      else
        member_string (b, "reason", s->reason);
      json_builder_end_object (b);
      t = s->retired ? plan_span_trench (p, s) : -1;
      if (!add (run, s->retired ? "span_retired" : "span_unmatched", s->retired ? s->phase : -1,
                t >= 0 ? ward_name (p, p->edge_ward[g_array_index (p->trenches, Trench, t).edge]) : NULL,
                party_name (p, s->op), NAN, b, s->shape, &n, error))
        return FALSE;
    }
  {
    GArray *outs[2] = { p->removed, p->freed };
    const char *layers[2] = { "pole_removed", "pole_freed" };

    for (int k = 0; k < 2; k++)
      for (guint i = 0; i < outs[k]->len; i++)
        {
          PoleOut *o = &g_array_index (outs[k], PoleOut, i);
          Pole *pole = g_hash_table_lookup (p->poles, &o->pole);
          g_autoptr(JsonBuilder) b = json_builder_new ();
          g_autoptr(NgamShape) pt = ngam_shape_new_point (pole->x, pole->y);

          json_builder_begin_object (b);
          member_int (b, "pole_fid", o->pole);
          json_builder_end_object (b);
          if (!add (run, layers[k], o->phase, ward_name (p, o->ward), pole->owner ? pole->owner : pole->operator_name,
                    k == 0 ? p->sc->pole_removal : NAN, b, pt, &n, error))
            return FALSE;
        }
  }
  for (int ph = 0; ph <= p->years; ph++)
    {
      g_autoptr(NgamShape) shape = ngam_shape_new ();
      g_autoptr(JsonBuilder) b = json_builder_new ();
      double cost = 0, len = 0;

      ngam_shape_begin (shape, NGAM_SHAPE_MULTILINESTRING);
      for (guint ti = 0; ti < p->trenches->len; ti++)
        {
          Trench *t = &g_array_index (p->trenches, Trench, ti);

          if (t->phase != ph)
            continue;
          ngam_shape_new_part (shape);
          for (guint k = g->geom_start[t->edge]; k < g->geom_start[t->edge + 1]; k++)
            ngam_shape_add_point (shape, g->geom_xy[2 * k], g->geom_xy[2 * k + 1]);
          len += p->edge_len[t->edge];
        }
      ngam_shape_finish (shape);
      for (guint i = 0; i < p->items->len; i++)
        if (g_array_index (p->items, Item, i).phase == ph)
          cost += g_array_index (p->items, Item, i).rounded;
      if (len == 0 && cost == 0)
        continue;
      json_builder_begin_object (b);
      member_int (b, "year", ph);
      member_double (b, "trench_m", len);
      json_builder_set_member_name (b, "funded");
      json_builder_add_boolean_value (b, ph > 0);
      json_builder_end_object (b);
      if (!add (run, "phase", ph, NULL, NULL, cost, b, len > 0 ? shape : NULL, &n, error))
        return FALSE;
    }
  if (plan_cancelled (p, error))
    return FALSE;
  *n_out = n;
  return TRUE;
}
