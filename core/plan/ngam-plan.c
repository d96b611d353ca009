/* ngam-plan.c — ngam_plan_run(): the planner's stages, in order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything is computed in memory first; the project is written only at
 * the end, in one transaction (ngam-plan-write.c), so a failure or a
 * cancellation anywhere before leaves the file untouched, and one inside
 * the write rolls back.
 */
#define G_LOG_DOMAIN "ngam-plan"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ngam-plan-private.h"
#include "ngam-results.h"

void
plan_note (Plan       *p,
           const char *fmt,
           ...)
{
  va_list ap;

  va_start (ap, fmt);
  g_ptr_array_add (p->notes, g_strdup_vprintf (fmt, ap));
  va_end (ap);
}

gboolean
plan_cancelled (Plan    *p,
                GError **error)
{
  if (!g_cancellable_is_cancelled (p->cancellable))
    return FALSE;
  g_set_error (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_CANCELLED, _("the plan was cancelled"));
  return TRUE;
}

static void
party_free (gpointer data)
{
  Party *q = data;

  g_free (q->name);
  g_free (q);
}

static void
plan_clear (Plan *p)
{
  if (p->spans)
    for (guint i = 0; i < p->spans->len; i++)
      ngam_shape_free (g_array_index (p->spans, Span, i).shape);
  if (p->comps)
    for (guint i = 0; i < p->comps->len; i++)
      {
        Comp *c = &g_array_index (p->comps, Comp, i);

        g_array_unref (c->terminals);
        g_array_unref (c->tree);
        if (c->left_out)
          g_array_unref (c->left_out);
      }
  if (p->trenches)
    for (guint i = 0; i < p->trenches->len; i++)
      {
        Trench *t = &g_array_index (p->trenches, Trench, i);

        g_array_unref (t->comps);
        g_free (t->party_ducts);
        g_free (t->party_section);
      }
  if (p->items)
    for (guint i = 0; i < p->items->len; i++)
      g_free (g_array_index (p->items, Item, i).shares);
  if (p->corridors)
    for (guint i = 0; i < p->corridors->len; i++)
      {
        g_free (g_array_index (p->corridors, Corridor, i).name);
        g_array_unref (g_array_index (p->corridors, Corridor, i).trenches);
      }
  if (p->violations)
    for (guint i = 0; i < p->violations->len; i++)
      g_free (g_array_index (p->violations, Violation, i).message);
  if (p->crossings)
    for (guint i = 0; i < p->crossings->len; i++)
      g_array_unref (g_array_index (p->crossings, Crossing, i).parties);
  if (p->edge_duct_owner && p->graph)
    for (guint e = 0; e < p->graph->n_edges; e++)
      g_free (p->edge_duct_owner[e]);
  g_clear_pointer (&p->graph, ngam_graph_free);
  g_clear_pointer (&p->notes, g_ptr_array_unref);
  g_clear_pointer (&p->area, ngam_shape_free);
  g_clear_pointer (&p->street_names, g_ptr_array_unref);
  g_clear_pointer (&p->names, g_hash_table_unref);
  g_free (p->edge_ward);
  g_free (p->edge_flood);
  g_free (p->edge_in_scope);
  g_free (p->edge_duct_free);
  g_free (p->edge_duct_mm);
  g_free (p->edge_duct_owner);
  g_free (p->edge_method);
  g_free (p->edge_fixed);
  g_free (p->edge_len);
  g_free (p->node_degree);
  g_clear_pointer (&p->wards, g_ptr_array_unref);
  g_clear_pointer (&p->ward_shapes, g_ptr_array_unref);
  g_clear_pointer (&p->spans, g_array_unref);
  g_clear_pointer (&p->span_edges, g_array_unref);
  g_clear_pointer (&p->poles, g_hash_table_unref);
  g_clear_pointer (&p->pole_list, g_array_unref);
  g_clear_pointer (&p->parties, g_ptr_array_unref);
  g_clear_pointer (&p->comps, g_array_unref);
  g_clear_pointer (&p->trenches, g_array_unref);
  g_clear_pointer (&p->crossings, g_array_unref);
  g_clear_pointer (&p->manholes, g_array_unref);
  g_clear_pointer (&p->gaps, g_array_unref);
  g_clear_pointer (&p->items, g_array_unref);
  g_clear_pointer (&p->corridors, g_array_unref);
  g_clear_pointer (&p->violations, g_array_unref);
  g_clear_pointer (&p->retired, g_array_unref);
  g_clear_pointer (&p->removed, g_array_unref);
  g_clear_pointer (&p->freed, g_array_unref);
  g_clear_pointer (&p->risers, g_array_unref);
  g_clear_pointer (&p->summary, json_node_unref);
}

static void
plan_init (Plan *p)
{
  p->notes = g_ptr_array_new_with_free_func (g_free);
  p->wards = g_ptr_array_new_with_free_func (g_free);
  p->ward_shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_shape_free);
  p->spans = g_array_new (FALSE, FALSE, sizeof (Span));
  p->span_edges = g_array_new (FALSE, FALSE, sizeof (guint));
  p->pole_list = g_array_new (FALSE, FALSE, sizeof (gint64));
  p->parties = g_ptr_array_new_with_free_func (party_free);
  p->comps = g_array_new (FALSE, FALSE, sizeof (Comp));
  p->trenches = g_array_new (FALSE, FALSE, sizeof (Trench));
  p->crossings = g_array_new (FALSE, FALSE, sizeof (Crossing));
  p->manholes = g_array_new (FALSE, FALSE, sizeof (Manhole));
  p->gaps = g_array_new (FALSE, FALSE, sizeof (double));
  p->items = g_array_new (FALSE, FALSE, sizeof (Item));
  p->corridors = g_array_new (FALSE, FALSE, sizeof (Corridor));
  p->violations = g_array_new (FALSE, FALSE, sizeof (Violation));
  p->retired = g_array_new (FALSE, FALSE, sizeof (guint));
  p->removed = g_array_new (FALSE, FALSE, sizeof (PoleOut));
  p->freed = g_array_new (FALSE, FALSE, sizeof (PoleOut));
  p->risers = g_array_new (FALSE, FALSE, sizeof (PoleOut));
  p->power_party = -1;
  p->years = 1;
}

void
ngam_plan_result_free (NgamPlanResult *r)
{
  if (r == NULL)
    return;
  if (r->summary)
    json_node_unref (r->summary);
  g_free (r);
}

/* Returns: (transfer full): the summary as pretty JSON text. */
char *
ngam_plan_result_to_json (const NgamPlanResult *r)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, r->summary);
  return json_generator_to_data (gen, NULL);
}

/* The scenario to run: given, stored in the project, or the defaults. */
static NgamPlanScenario *
scenario_for (NgamStore             *store,
              const NgamPlanOptions *o,
              const char            *name,
              GError               **error)
{
  if (o->scenario)
    return ngam_plan_scenario_copy_with (o->scenario, o, error);
  {
    g_autoptr(NgamScenarioInfo) info = ngam_store_get_scenario (store, name, NULL);

    if (info)
      {
        g_autofree char *label = g_strdup_printf ("%s (scenario “%s”)", ngam_store_get_path (store), name);
        g_autoptr(NgamPlanScenario) stored = ngam_plan_scenario_parse (info->settings, -1, label, error);

        return stored ? ngam_plan_scenario_copy_with (stored, o, error) : NULL;
      }
  }
  {
    g_autoptr(NgamPlanScenario) defaults = ngam_plan_scenario_new ();

    (void) store;
    (void) name;
    return ngam_plan_scenario_copy_with (defaults, o, error);
  }
}

/**
 * ngam_plan_run:
 * @store: the project (open for writing unless @options says dry run)
 * @options: what to plan
 * @result: (out) (transfer full): the plan's summary and figures
 *
 * Plans the undergrounding of the aerial plant in scope and stores it as
 * the scenario's `plan` run, replacing its previous one.  Rule violations
 * are results (listed, counted in @result), not errors.
 *
 * Returns: FALSE with @error set when the scenario is refused, the project
 *   cannot be read or written, or @cancellable was cancelled; the project
 *   is then unchanged.
 */
/* For g_array_sort() of node and edge numbers. */
int
plan_cmp_guint (gconstpointer a,
                gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* The time each stage takes, in the debug log (G_MESSAGES_DEBUG=ngam-plan). */
static void
stage_done (gint64     *t0,
            const char *stage)
{
  gint64 now = g_get_monotonic_time ();

  g_debug ("%s: %.3f s", stage, (now - *t0) / 1e6);
  *t0 = now;
}

gboolean
ngam_plan_run (NgamStore             *store,
               const NgamPlanOptions *options,
               NgamPlanResult       **result,
               NgamProgressFunc       progress,
               gpointer               progress_data,
               GCancellable          *cancellable,
               GError               **error)
{
  NgamPlanOptions defaults = NGAM_PLAN_OPTIONS_INIT;
  const NgamPlanOptions *o = options ? options : &defaults;
  const char *name = o->scenario_name ? o->scenario_name : "default";
  g_autoptr(NgamPlanScenario) sc = NULL;
  g_autoptr(NgamPlanResult) r = g_new0 (NgamPlanResult, 1);
  Plan plan = { 0 }, *p = &plan;
  gboolean ok = FALSE;
  gint64 t0 = g_get_monotonic_time ();

  g_return_val_if_fail (store != NULL && result != NULL, FALSE);
  sc = scenario_for (store, o, name, error);
  if (sc == NULL)
    return FALSE;
  plan_init (p);
  p->store = store;
  p->sc = sc;
  p->no_sharing = o->no_sharing;
  p->with_power = sc->with_power;
  p->progress = progress;
  p->progress_data = progress_data;
  p->cancellable = cancellable;

  if (!plan_input (p, error) || !plan_match (p, error))
    goto out;
  if (p->with_power)
    {
      p->power_party = plan_party (p, sc->power_company && *sc->power_company ? sc->power_company : "power", TRUE);
      /* power cannot share a telecom duct: with power every trench is dug */
      for (guint e = 0; e < p->graph->n_edges; e++)
        p->edge_duct_free[e] = 0;
    }
  if (p->graph->n_edges == 0)
    plan_note (p, _("the project has no streets: nothing can be planned"));
  {
    guint in_scope = 0;

    for (guint i = 0; i < p->spans->len; i++)
      in_scope += g_array_index (p->spans, Span, i).in_scope;
    if (in_scope == 0)
      plan_note (p, _("no aerial span is in the scenario's scope: the plan is empty"));
  }
  stage_done (&t0, "input and match");
  if (!plan_design (p, error))
    goto out;
  stage_done (&t0, "plan_design");
  if (p->progress)
    p->progress (0.7, _("Proving how close the trench network is to the best"), p->progress_data);
  if (!plan_bound (p, error))
    goto out;
  stage_done (&t0, "plan_bound");
  if (p->progress)
    p->progress (0.75, _("Sizing duct banks and placing manholes"), p->progress_data);
  plan_ducts (p);
  stage_done (&t0, "plan_ducts");
  plan_manholes (p);
  stage_done (&t0, "plan_manholes");
  if (p->n_dropped > 0)
    plan_note (p, _("%u turn or end pull points lie within the clearance of an intersection on every trench "
                    "they could take: left to the neighbouring pull points"), p->n_dropped);
  plan_cost (p);
  stage_done (&t0, "plan_cost");
  plan_phase (p);
  stage_done (&t0, "plan_phase");
  plan_split (p);
  stage_done (&t0, "plan_split");
  plan_check (p);
  stage_done (&t0, "plan_check");
  if (p->comps->len > 0)
    plan_note (p, _("trenches reach the street node past the last pole of a cable ending mid-block"));
  if (plan_cancelled (p, error))
    goto out;
  p->summary = plan_summary (p);
  stage_done (&t0, "plan_summary");
  if (p->progress)
    p->progress (0.9, _("Storing the plan"), p->progress_data);
  if (!o->dry_run && !plan_write (p, name, &r->run_id, &r->n_features, error))
    goto out;
  r->summary = json_node_ref (p->summary);
  r->n_violations = p->violations->len;
  r->cost_vnd = p->total;
  if (p->progress)
    p->progress (1.0, NULL, p->progress_data);
  *result = g_steal_pointer (&r);
  ok = TRUE;
out:
  plan_clear (p);
  return ok;
}
