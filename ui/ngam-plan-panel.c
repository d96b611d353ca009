/* ngam-plan-panel.c — plan and gaps from the window: run, cancel, results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sidebar's Plan page: which scenario, Plan and Find Gaps (the same
 * core calls as `ngam-batch plan` and `gaps`, through
 * ngam_project_plan_async() and ngam_project_gaps_async() on a worker
 * thread), a progress bar with Cancel while one runs, and what the last
 * runs of the scenario found, read back from the project (the results
 * API, not the job's own memory, so what shows after a restart is what
 * showed before): the result layers on the map (NgamResultLayer) and the
 * tables — bill of quantities, per ward, per operator, indicators and the
 * coverage gaps.  A failed or cancelled job leaves the project as it was
 * (the core rolls back) and says so.
 */
#define G_LOG_DOMAIN "ngam-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "ngam-core.h"
#include "ngam-plan-panel.h"
#include "ngam-result-table.h"
#include "ngam-results.h"

struct _NgamPlanPanel
{
  GtkBox           parent_instance;

  NgamProject     *project;
  NgamResultLayer *layer;    /* the map's, not ours */

  GtkStringList   *scenarios;
  GtkDropDown     *scenario_drop;
  GtkButton       *plan_button, *gaps_button, *cancel_button, *edit_button, *report_button;
  GtkWidget       *progress_box;
  GtkProgressBar  *progress;
  GtkLabel        *status;
  GtkDropDown     *mode_drop;
  GtkCheckButton  *show_check;
  GtkNotebook     *tables_book;
  GtkColumnView   *tables[NGAM_PLAN_N_TABLES];

  GCancellable    *cancellable;   /* the job running, or NULL */
  char            *job;
  gint64           plan_run, gaps_run;
  gboolean         loading_scenarios;
};

G_DEFINE_FINAL_TYPE (NgamPlanPanel, ngam_plan_panel, GTK_TYPE_BOX)

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- reading JSON ------------------------------------------------------------ */

static double
num (JsonObject *o,
     const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) != G_TYPE_STRING &&
         json_node_get_value_type (n) != G_TYPE_BOOLEAN ? json_node_get_double (n) : NAN;
}

static const char *
str (JsonObject *o,
     const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
         ? json_node_get_string (n) : "";
}

static JsonObject *
obj (JsonObject *o,
     const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
arr (JsonObject *o,
     const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static char *
percent (double share)
{
  g_autofree char *v = ngam_format_number (100 * share, 1);

  return isfinite (share) ? g_strdup_printf ("%s %%", v) : g_strdup ("–");
}

/* The bill's items as people read them. */
static const char *
item_label (const char *item)
{
  static const struct { const char *item; const char *label; } items[] = {
    { "trench", N_("Trench") },
    { "reinstatement", N_("Surface reinstatement") },
    { "ducts", N_("Ducts") },
    { "microducts", N_("Microducts") },
    { "manholes", N_("Manholes") },
    { "handholes", N_("Handholes") },
    { "cable_pulling", N_("Cable pulling") },
    { "pole_removal", N_("Pole removal") },
    { "splice_closures", N_("Splice closures") },
    { "duct_rent", N_("Rent of existing ducts") },
    { "hdd", N_("Horizontal drilling") },
    { "crossings", N_("Street crossings") },
    { "risers", N_("Risers") },
    { "bridge_attachment", N_("Bridge attachment") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    if (g_str_equal (items[i].item, item))
      return _(items[i].label);
  return item;
}

/* ---- the tables ------------------------------------------------------------------ */

static void
clear_plan_tables (NgamPlanPanel *self)
{
  for (guint t = 0; t < NGAM_PLAN_TABLE_GAPS; t++)
    ngam_result_table_clear (self->tables[t]);
}

static void
indicator (NgamPlanPanel *self,
           const char    *name,
           const char    *value)
{
  ngam_result_table_add_row (self->tables[NGAM_PLAN_TABLE_INDICATORS], name, value, NULL);
}

static void
fill_plan_tables (NgamPlanPanel *self,
                  JsonObject    *root)
{
  JsonObject *totals = obj (root, "totals"), *design = obj (root, "design");
  JsonArray *a;

  clear_plan_tables (self);
  a = arr (root, "bill");
  for (guint i = 0; a && i < json_array_get_length (a); i++)
    {
      JsonObject *b = json_array_get_object_element (a, i);
      /* counted items in whole numbers, lengths to the decimetre */
      g_autofree char *q = ngam_format_number (num (b, "quantity"), g_strcmp0 (str (b, "unit"), "each") == 0 ? 0 : 1);
      g_autofree char *c = ngam_format_vnd (num (b, "cost_vnd"));

      ngam_result_table_add_row (self->tables[NGAM_PLAN_TABLE_BILL], item_label (str (b, "item")), q,
                                 str (b, "unit"), c, NULL);
    }
  if (totals)
    {
      g_autofree char *c = ngam_format_vnd (num (totals, "cost_vnd"));

      ngam_result_table_add_row (self->tables[NGAM_PLAN_TABLE_BILL], _("Total"), "", "", c, NULL);
    }
  a = arr (root, "wards");
  for (guint i = 0; a && i < json_array_get_length (a); i++)
    {
      JsonObject *w = json_array_get_object_element (a, i);
      g_autofree char *m = ngam_format_number (num (w, "trench_m"), 0);
      g_autofree char *c = ngam_format_vnd (num (w, "cost_vnd"));

      ngam_result_table_add_row (self->tables[NGAM_PLAN_TABLE_WARDS], str (w, "ward"), m, c, NULL);
    }
  a = arr (root, "operators");
  for (guint i = 0; a && i < json_array_get_length (a); i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);
      g_autofree char *c = ngam_format_vnd (num (o, "cost_vnd"));
      g_autofree char *s = percent (num (o, "share"));
      g_autofree char *r = ngam_format_vnd (num (o, "rent_per_year_vnd"));

      ngam_result_table_add_row (self->tables[NGAM_PLAN_TABLE_OPERATORS], str (o, "operator"), c, s, r, NULL);
    }
  if (totals)
    {
      g_autofree char *cost = ngam_format_vnd (num (totals, "cost_vnd"));
      g_autofree char *funded = ngam_format_vnd (num (totals, "funded_cost_vnd"));
      g_autofree char *km = ngam_format_number (num (totals, "trench_m") / 1000, 3);
      g_autofree char *cable = ngam_format_number (num (totals, "cable_m") / 1000, 3);
      g_autofree char *spans = ngam_format_number (num (totals, "spans_retired"), 0);
      g_autofree char *poles = ngam_format_number (num (totals, "poles_removed"), 0);
      g_autofree char *manholes = ngam_format_number (num (totals, "manholes"), 0);
      g_autofree char *handholes = ngam_format_number (num (totals, "handholes"), 0);
      JsonObject *by = obj (totals, "trench_m_by_method");

      indicator (self, _("Total cost (VND)"), cost);
      indicator (self, _("Funded within the budget (VND)"), funded);
      indicator (self, _("Trench (km)"), km);
      if (by != NULL)
        {
          GList *members = json_object_get_members (by);

          for (GList *m = members; m != NULL; m = m->next)
            if (num (by, m->data) > 0)
              {
                /* the method's title, as the map's legend and the report
                 * give it, begun in lower case inside the phrase */
                const NgamMethodInfo *info = ngam_method_info (ngam_method_from_name (m->data));
                const char *title = info != NULL ? _(info->title) : (const char *) m->data;
                const char *rest = g_utf8_next_char (title);
                g_autofree char *first = g_utf8_strdown (title, rest - title);
                g_autofree char *lowered = g_strconcat (first, rest, NULL);
                g_autofree char *name = g_strdup_printf (_("  of which %s (km)"), lowered);
                g_autofree char *v = ngam_format_number (num (by, m->data) / 1000, 3);

                indicator (self, name, v);
              }
          g_list_free (members);
        }
      indicator (self, _("Cable laid (km)"), cable);
      indicator (self, _("Aerial spans retired"), spans);
      indicator (self, _("Poles removed"), poles);
      indicator (self, _("Manholes"), manholes);
      indicator (self, _("Handholes"), handholes);
    }
  if (design && isfinite (num (design, "each_alone_vnd")))
    {
      g_autofree char *alone = ngam_format_vnd (num (design, "each_alone_vnd"));

      indicator (self, _("Each operator alone (VND)"), alone);
    }
  if (design && isfinite (num (design, "lower_bound_vnd")))
    {
      g_autofree char *lb = ngam_format_vnd (num (design, "lower_bound_vnd"));
      g_autofree char *gap = percent (num (design, "gap"));

      indicator (self, _("Trench network: proven lower bound (VND)"), lb);
      indicator (self, _("Trench network: gap to the bound"), gap);
    }
  {
    g_autofree char *v = ngam_format_number (arr (root, "violations") ? json_array_get_length (arr (root, "violations")) : 0, 0);

    indicator (self, _("Rule violations"), v);
  }
}

static void
fill_gaps_table (NgamPlanPanel *self,
                 JsonObject    *root)
{
  GtkColumnView *t = self->tables[NGAM_PLAN_TABLE_GAPS];
  JsonObject *ind = obj (root, "indicators");
  JsonArray *wards = arr (root, "wards");
  const char *techs[] = { "2G", "3G", "4G", "5G" };

  ngam_result_table_clear (t);
  for (int i = -1; i < (int) (wards ? json_array_get_length (wards) : 0); i++)
    {
      JsonObject *w = i < 0 ? ind : json_array_get_object_element (wards, i);
      JsonObject *shares = obj (w, "population_covered_share");
      g_autofree char *hh = ngam_format_number (num (w, "households"), 0);
      g_autofree char *fibre = percent (num (w, "households_fibre_share"));
      char *cells[4];

      for (guint k = 0; k < 4; k++)
        cells[k] = percent (shares ? num (shares, techs[k]) : NAN);
      ngam_result_table_add_row (t, i < 0 ? _("Whole project") : str (w, "name"), hh, fibre,
                                 cells[0], cells[1], cells[2], cells[3], NULL);
      for (guint k = 0; k < 4; k++)
        g_free (cells[k]);
    }
}

/* ---- the runs shown ----------------------------------------------------------- */

static JsonObject *
parse_summary (JsonParser *parser,
               const char *text)
{
  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_node_get_object (json_parser_get_root (parser));
}

static void
show_runs (NgamPlanPanel *self)
{
  if (self->layer == NULL)
    return;
  if (gtk_check_button_get_active (self->show_check))
    ngam_result_layer_set_runs (self->layer, self->plan_run, self->gaps_run);
  else
    ngam_result_layer_set_runs (self->layer, 0, 0);
}

/* The scenario's last plan and gaps runs, as the project keeps them. */
static void
load_runs (NgamPlanPanel *self)
{
  NgamStore *store = self->project ? ngam_project_get_store (self->project) : NULL;
  const char *scenario = ngam_plan_panel_get_scenario (self);
  g_autoptr(NgamRunInfo) plan = NULL, gaps = NULL;
  g_autoptr(JsonParser) pp = json_parser_new (), gp = json_parser_new ();
  JsonObject *root;
  g_autoptr(GString) status = g_string_new (NULL);

  if (store == NULL)
    return;
  plan = ngam_store_get_last_run (store, scenario, "plan", NULL);
  gaps = ngam_store_get_last_run (store, scenario, "gaps", NULL);
  self->plan_run = plan ? plan->id : 0;
  self->gaps_run = gaps ? gaps->id : 0;
  root = plan ? parse_summary (pp, plan->summary) : NULL;
  if (root)
    {
      JsonObject *totals = obj (root, "totals");
      g_autofree char *cost = ngam_format_vnd (num (totals, "cost_vnd"));
      g_autofree char *km = ngam_format_number (num (totals, "trench_m") / 1000, 1);
      g_autoptr(GDateTime) utc = plan->finished ? g_date_time_new_from_iso8601 (plan->finished, NULL) : NULL;
      g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
      g_autofree char *when = local ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("");

      JsonObject *by = totals ? obj (totals, "trench_m_by_method") : NULL;
      double reuse = by != NULL ? num (by, "duct_reuse") : 0;

      fill_plan_tables (self, root);
      /* the trench length counts the reused ducts, the bill's trench does
       * not (the report says so too) */
      if (reuse > 0)
        {
          g_autofree char *reuse_km = ngam_format_number (reuse / 1000, 1);

          g_string_append_printf (status, _("Plan of %s: %s VND, %s km of trench, %s km of it in reused ducts"),
                                  when, cost, km, reuse_km);
        }
      else
        g_string_append_printf (status, _("Plan of %s: %s VND, %s km of trench"), when, cost, km);
    }
  else
    {
      clear_plan_tables (self);
      g_string_append (status, _("No plan yet for this scenario"));
    }
  root = gaps ? parse_summary (gp, gaps->summary) : NULL;
  if (root)
    {
      g_autofree char *fibre = percent (num (obj (root, "indicators"), "households_fibre_share"));

      fill_gaps_table (self, root);
      g_string_append_printf (status, _("\nGaps: households within fibre reach %s"), fibre);
    }
  else
    ngam_result_table_clear (self->tables[NGAM_PLAN_TABLE_GAPS]);
  gtk_label_set_text (self->status, status->str);
  show_runs (self);
}

/* ---- jobs ---------------------------------------------------------------------- */

static void
update_sensitivity (NgamPlanPanel *self)
{
  gboolean idle = self->cancellable == NULL;
  gboolean editable = self->project && !ngam_project_is_read_only (self->project) &&
                      !ngam_project_get_busy (self->project);

  gtk_widget_set_sensitive (GTK_WIDGET (self->plan_button), idle && editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->gaps_button), idle && editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scenario_drop), idle && self->project != NULL);
  gtk_widget_set_visible (self->progress_box, !idle);
}

static void
job_progress (double      fraction,
              const char *message,
              gpointer    user_data)
{
  NgamPlanPanel *self = user_data;

  if (self->cancellable == NULL)
    return;
  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->progress, CLAMP (fraction, 0, 1));
  if (message != NULL)
    gtk_progress_bar_set_text (self->progress, message);
}

static void
job_finished (NgamPlanPanel *self,
              const char    *job,
              GError        *error)
{
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->job, g_free);
  update_sensitivity (self);
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_CANCELLED) ||
          g_error_matches (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_CANCELLED))
        gtk_label_set_text (self->status, _("Stopped: the project is as it was before"));
      else
        gtk_label_set_text (self->status, error->message);
    }
  else
    load_runs (self);
  g_signal_emit (self, signals[FINISHED], 0, job, error);
}

static void
plan_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(NgamPlanPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamPlanResult) plan = ngam_project_plan_finish (NGAM_PROJECT (source), result, &error);

  job_finished (self, "plan", error);
}

static void
gaps_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(NgamPlanPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamGapsResult) gaps = ngam_project_gaps_finish (NGAM_PROJECT (source), result, &error);

  job_finished (self, "gaps", error);
}

static void
start_job (NgamPlanPanel *self,
           const char    *job,
           const char    *text)
{
  self->cancellable = g_cancellable_new ();
  self->job = g_strdup (job);
  gtk_progress_bar_set_fraction (self->progress, 0);
  gtk_progress_bar_set_text (self->progress, text);
  gtk_label_set_text (self->status, "");
  update_sensitivity (self);
}

/* Plans the scenario chosen (the one kept in the project under its name,
 * or the defaults of data/scenarios/default.ini for a new one). */
void
ngam_plan_panel_run_plan (NgamPlanPanel *self)
{
  g_return_if_fail (NGAM_IS_PLAN_PANEL (self));

  if (self->project == NULL || self->cancellable != NULL)
    return;
  start_job (self, "plan", _("Planning…"));
  ngam_project_plan_async (self->project, ngam_plan_panel_get_scenario (self), NULL, job_progress, self,
                           self->cancellable, plan_done, g_object_ref (self));
}

void
ngam_plan_panel_run_gaps (NgamPlanPanel *self)
{
  g_return_if_fail (NGAM_IS_PLAN_PANEL (self));

  if (self->project == NULL || self->cancellable != NULL)
    return;
  start_job (self, "gaps", _("Finding the coverage gaps…"));
  ngam_project_gaps_async (self->project, ngam_plan_panel_get_scenario (self), job_progress, self,
                           self->cancellable, gaps_done, g_object_ref (self));
}

gboolean
ngam_plan_panel_get_running (NgamPlanPanel *self)
{
  g_return_val_if_fail (NGAM_IS_PLAN_PANEL (self), FALSE);
  return self->cancellable != NULL;
}

/* Stops the job running: it rolls back, and the project stays as it was. */
void
ngam_plan_panel_cancel (NgamPlanPanel *self)
{
  g_return_if_fail (NGAM_IS_PLAN_PANEL (self));

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      gtk_progress_bar_set_text (self->progress, _("Stopping…"));
    }
}

/* ---- scenarios ---------------------------------------------------------------- */

const char *
ngam_plan_panel_get_scenario (NgamPlanPanel *self)
{
  guint i = gtk_drop_down_get_selected (self->scenario_drop);

  if (i == GTK_INVALID_LIST_POSITION || i >= g_list_model_get_n_items (G_LIST_MODEL (self->scenarios)))
    return "default";
  return gtk_string_list_get_string (self->scenarios, i);
}

gboolean
ngam_plan_panel_set_scenario (NgamPlanPanel *self,
                              const char    *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->scenarios)); i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->scenarios, i), name) == 0)
      {
        gtk_drop_down_set_selected (self->scenario_drop, i);
        return TRUE;
      }
  return FALSE;
}

/* The scenarios kept in the project, "default" always among them. */
void
ngam_plan_panel_reload_scenarios (NgamPlanPanel *self,
                                  const char    *select)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *keep = g_strdup (select ? select : ngam_plan_panel_get_scenario (self));
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  gboolean has_default = FALSE;

  g_return_if_fail (NGAM_IS_PLAN_PANEL (self));

  list = self->project ? ngam_project_list_scenarios (self->project, NULL) : NULL;
  for (guint i = 0; list && i < list->len; i++)
    {
      NgamScenarioInfo *s = g_ptr_array_index (list, i);

      has_default |= g_str_equal (s->name, "default");
      g_ptr_array_add (names, s->name);
    }
  if (!has_default)
    g_ptr_array_insert (names, 0, (gpointer) "default");
  g_ptr_array_add (names, NULL);
  self->loading_scenarios = TRUE;
  gtk_string_list_splice (self->scenarios, 0, g_list_model_get_n_items (G_LIST_MODEL (self->scenarios)),
                          (const char * const *) names->pdata);
  if (!ngam_plan_panel_set_scenario (self, keep))
    gtk_drop_down_set_selected (self->scenario_drop, 0);
  self->loading_scenarios = FALSE;
  load_runs (self);
}

static void
scenario_selected (NgamPlanPanel *self)
{
  if (!self->loading_scenarios)
    load_runs (self);
}

static void
runs_changed (NgamProject   *project,
              const char    *job,
              NgamPlanPanel *self)
{
  /* A run stored (ours, or another program's): the scenario may be new. */
  ngam_plan_panel_reload_scenarios (self, NULL);
}

static void
busy_changed (NgamProject   *project,
              GParamSpec    *pspec,
              NgamPlanPanel *self)
{
  update_sensitivity (self);
}

void
ngam_plan_panel_set_project (NgamPlanPanel   *self,
                             NgamProject     *project,
                             NgamResultLayer *layer)
{
  g_return_if_fail (NGAM_IS_PLAN_PANEL (self));

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  if (self->project)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_set_object (&self->project, project);
  self->layer = layer;
  self->plan_run = self->gaps_run = 0;
  if (project)
    {
      g_signal_connect (project, "runs-changed", G_CALLBACK (runs_changed), self);
      g_signal_connect (project, "notify::busy", G_CALLBACK (busy_changed), self);
      g_signal_connect (project, "notify::read-only", G_CALLBACK (busy_changed), self);
    }
  ngam_plan_panel_reload_scenarios (self, "default");
  update_sensitivity (self);
}

/* ---- the widget ---------------------------------------------------------------- */

void
ngam_plan_panel_set_mode (NgamPlanPanel         *self,
                          NgamRenderResultsMode  mode)
{
  gtk_drop_down_set_selected (self->mode_drop, mode == NGAM_RENDER_RESULTS_BY_METHOD ? 1 : 0);
}

static void
mode_selected (NgamPlanPanel *self)
{
  if (self->layer)
    ngam_result_layer_set_mode (self->layer, gtk_drop_down_get_selected (self->mode_drop) == 1
                                ? NGAM_RENDER_RESULTS_BY_METHOD : NGAM_RENDER_RESULTS_BY_PHASE);
}

GtkButton *
ngam_plan_panel_get_cancel_button (NgamPlanPanel *self)
{
  return self->cancel_button;
}

GtkColumnView *
ngam_plan_panel_get_table (NgamPlanPanel *self,
                           NgamPlanTable  table)
{
  g_return_val_if_fail (table < NGAM_PLAN_N_TABLES, NULL);
  return self->tables[table];
}

GtkLabel *
ngam_plan_panel_get_status (NgamPlanPanel *self)
{
  return self->status;
}

static void
ngam_plan_panel_dispose (GObject *object)
{
  NgamPlanPanel *self = NGAM_PLAN_PANEL (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  if (self->project)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_clear_object (&self->project);
  G_OBJECT_CLASS (ngam_plan_panel_parent_class)->dispose (object);
}

static void
ngam_plan_panel_finalize (GObject *object)
{
  NgamPlanPanel *self = NGAM_PLAN_PANEL (object);

  g_clear_object (&self->cancellable);
  g_free (self->job);
  G_OBJECT_CLASS (ngam_plan_panel_parent_class)->finalize (object);
}

static void
ngam_plan_panel_class_init (NgamPlanPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ngam_plan_panel_dispose;
  object_class->finalize = ngam_plan_panel_finalize;

  /**
   * NgamPlanPanel::finished:
   * @job: "plan" or "gaps"
   * @error: (nullable): why it failed or stopped
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "ngam-plan-panel");
}

static GtkWidget *
scrolled (GtkColumnView *view)
{
  GtkWidget *sw = gtk_scrolled_window_new ();

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (sw), GTK_WIDGET (view));
  gtk_widget_set_vexpand (sw, TRUE);
  return sw;
}

static void
ngam_plan_panel_init (NgamPlanPanel *self)
{
  GtkBox *box = GTK_BOX (self);
  GtkWidget *row, *label;
  const char *modes[] = { N_("By phase"), N_("By method"), NULL };
  const char *mode_labels[3] = { _(modes[0]), _(modes[1]), NULL };

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (box, 6);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 6);

  /* Scenario */
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  label = gtk_label_new (_("Scenario"));
  gtk_box_append (GTK_BOX (row), label);
  self->scenarios = gtk_string_list_new (NULL);
  self->scenario_drop = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (self->scenarios), NULL));
  gtk_widget_set_hexpand (GTK_WIDGET (self->scenario_drop), TRUE);
  g_signal_connect_swapped (self->scenario_drop, "notify::selected", G_CALLBACK (scenario_selected), self);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->scenario_drop));
  self->edit_button = GTK_BUTTON (gtk_button_new_from_icon_name ("document-edit-symbolic"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->edit_button), _("Edit the Scenario"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->edit_button), "win.edit-scenario");
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->edit_button));
  gtk_box_append (box, row);

  /* Run */
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_set_homogeneous (GTK_BOX (row), TRUE);
  self->plan_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Plan")));
  gtk_widget_add_css_class (GTK_WIDGET (self->plan_button), "suggested-action");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->plan_button),
                               _("Plan the undergrounding under this scenario and keep it in the project"));
  g_signal_connect_swapped (self->plan_button, "clicked", G_CALLBACK (ngam_plan_panel_run_plan), self);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->plan_button));
  self->gaps_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("Find _Gaps")));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->gaps_button),
                               _("Find who is left without mobile signal or fibre, and what a flood or landslide would cut"));
  g_signal_connect_swapped (self->gaps_button, "clicked", G_CALLBACK (ngam_plan_panel_run_gaps), self);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->gaps_button));
  gtk_box_append (box, row);

  /* Progress */
  self->progress_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (self->progress, TRUE);
  gtk_progress_bar_set_ellipsize (self->progress, PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (GTK_WIDGET (self->progress), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->progress), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self->progress_box), GTK_WIDGET (self->progress));
  self->cancel_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Cancel")));
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (ngam_plan_panel_cancel), self);
  gtk_box_append (GTK_BOX (self->progress_box), GTK_WIDGET (self->cancel_button));
  gtk_widget_set_visible (self->progress_box, FALSE);
  gtk_box_append (box, self->progress_box);

  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->status, TRUE);
  gtk_label_set_xalign (self->status, 0);
  gtk_label_set_selectable (self->status, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "dim-label");
  gtk_box_append (box, GTK_WIDGET (self->status));

  /* How the results show */
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->show_check = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (_("_Show on the map")));
  gtk_check_button_set_active (self->show_check, TRUE);
  g_signal_connect_swapped (self->show_check, "toggled", G_CALLBACK (show_runs), self);
  gtk_widget_set_hexpand (GTK_WIDGET (self->show_check), TRUE);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->show_check));
  self->mode_drop = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (mode_labels));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->mode_drop), _("Colour the trenches by phase or by construction method"));
  g_signal_connect_swapped (self->mode_drop, "notify::selected", G_CALLBACK (mode_selected), self);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->mode_drop));
  gtk_box_append (box, row);

  /* Tables */
  self->tables_book = GTK_NOTEBOOK (gtk_notebook_new ());
  gtk_notebook_set_scrollable (self->tables_book, TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->tables_book), TRUE);
  {
    const char *bill[] = { _("Item"), _("Quantity"), _("Unit"), _("Cost (VND)"), NULL };
    const char *wards[] = { _("Ward"), _("Trench (m)"), _("Cost (VND)"), NULL };
    const char *ops[] = { _("Operator"), _("Cost (VND)"), _("Share"), _("Rent a year (VND)"), NULL };
    const char *ind[] = { _("Indicator"), _("Value"), NULL };
    const char *gaps[] = { _("Ward"), _("Households"), _("Fibre"), "2G", "3G", "4G", "5G", NULL };
    const char *names[] = { "bill", "wards", "operators", "indicators", "gaps" };
    const char *titles[] = { N_("Bill"), N_("Wards"), N_("Operators"), N_("Totals"), N_("Gaps") };

    self->tables[NGAM_PLAN_TABLE_BILL] = ngam_result_table_new (bill, 0x2 | 0x8);
    self->tables[NGAM_PLAN_TABLE_WARDS] = ngam_result_table_new (wards, 0x2 | 0x4);
    self->tables[NGAM_PLAN_TABLE_OPERATORS] = ngam_result_table_new (ops, 0x2 | 0x4 | 0x8);
    self->tables[NGAM_PLAN_TABLE_INDICATORS] = ngam_result_table_new (ind, 0x2);
    self->tables[NGAM_PLAN_TABLE_GAPS] = ngam_result_table_new (gaps, 0x7e);
    for (guint t = 0; t < NGAM_PLAN_N_TABLES; t++)
      {
        GtkWidget *page = scrolled (self->tables[t]);

        gtk_widget_set_name (page, names[t]);
        gtk_notebook_append_page (self->tables_book, page, gtk_label_new (_(titles[t])));
      }
  }
  gtk_box_append (box, GTK_WIDGET (self->tables_book));

  self->report_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Export Report…")));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->report_button), "win.report");
  gtk_box_append (box, GTK_WIDGET (self->report_button));
  update_sensitivity (self);
}

GtkWidget *
ngam_plan_panel_new (void)
{
  return g_object_new (NGAM_TYPE_PLAN_PANEL, NULL);
}
