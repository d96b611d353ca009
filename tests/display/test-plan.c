/* test-plan.c — plan, gaps and report from the desktop window, under Xvfb,
 * and the map following another program's edit of the file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo town is generated, copied, and planned twice: by `ngam-batch
 * plan --json` on the copy and from the window's Plan page on the
 * original.  Same input, same plan: the window's tables must show the
 * CLI's figures, to the đồng, and the result layers must be drawn where
 * the trenches are.  A cancelled plan and a refused scenario leave the
 * project as it was.  The report is written from its dialog on a worker
 * thread, refuses to overwrite unless asked, and writes nothing when
 * cancelled.  A pole added by OGR (the GDAL C API, in a process of its
 * own as QGIS would be: this program run with --ogr-add-pole) while the
 * window is open appears on the map within the polling interval.
 *
 *   NGAM_SCREENSHOT_DIR=dir   also save the pictures there (plan.png,
 *                             plan-method.png, gaps.png, scenario.png,
 *                             report.png, outside.png)
 */
#include "config.h"

#include <gdal.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <math.h>
#include <ogr_api.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-render.h"
#include "ngam-render-results.h"
#include "ngam-results.h"
#include "ngam-test-util.h"
#include "ngam-ui.h"
#include "ngam-window-private.h"
#include "display-util.h"

static char *dir;
static char *project;
static char *self_exe;   /* this program, which is also the "other program" */
static NgamWindow *window;
static JsonParser *cli_plan;   /* `ngam-batch plan --json` of the copy */
static JsonParser *cli_gaps;

static NgamMapView *
map (void)
{
  return ngam_window_get_map_view (window);
}

static NgamPlanPanel *
panel (void)
{
  return ngam_window_get_plan_panel (window);
}

static NgamStore *
store (void)
{
  return ngam_project_get_store (ngam_window_get_project (window));
}

static JsonObject *
cli_root (JsonParser *parser)
{
  return json_node_get_object (json_parser_get_root (parser));
}

static void
save_shot (const Image *img, const char *name)
{
  const char *to = g_getenv ("NGAM_SCREENSHOT_DIR");
  g_autofree char *path = g_build_filename (to ? to : dir, name, NULL);

  save_png (img, path);
  g_test_message ("saved %s", path);
}

/* ---- waiting ---------------------------------------------------------------------- */

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
wait_until (gboolean (*done) (gpointer), gpointer data, const char *what)
{
  guint id = g_timeout_add (10, tick, NULL);
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("%s: not done in 120 s", what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
}

static gboolean
panel_idle (gpointer data)
{
  return !ngam_plan_panel_get_running (panel ());
}

static gboolean
results_drawn (gpointer data)
{
  return !ngam_result_layer_get_loading (ngam_window_get_result_layer (window)) &&
         !ngam_map_view_get_loading (map ());
}

static void
wait_for_results (void)
{
  wait_for_map (map ());
  wait_until (results_drawn, NULL, "the result layers");
  iterate_a_little ();
}

typedef struct
{
  char   *job;
  GError *error;
  guint   n;
} Finished;

static Finished finished;

static void
on_finished (NgamPlanPanel *p, const char *job, const GError *error, gpointer data)
{
  g_free (finished.job);
  g_clear_error (&finished.error);
  finished.job = g_strdup (job);
  finished.error = error ? g_error_copy (error) : NULL;
  finished.n++;
}

/* ---- reading tables --------------------------------------------------------------- */

static GtkColumnView *
table (NgamPlanTable t)
{
  return ngam_plan_panel_get_table (panel (), t);
}

static double
cell_number (NgamPlanTable t, guint row, guint column)
{
  return ngam_parse_number (ngam_result_table_get_cell (table (t), row, column));
}

static gint64
cli_int (JsonObject *o, const char *name)
{
  return json_object_get_int_member (o, name);
}

/* The row of @t whose first cell is @name, or -1. */
static int
find_row (NgamPlanTable t, const char *name)
{
  for (guint i = 0; i < ngam_result_table_get_n_rows (table (t)); i++)
    if (g_strcmp0 (ngam_result_table_get_cell (table (t), i, 0), name) == 0)
      return (int) i;
  return -1;
}

static void
count_ward_labels (GtkWidget *w, guint *wards, guint *whole)
{
  if (GTK_IS_LABEL (w) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (w)), "Phường"))
    {
      (*wards)++;
      *whole += !pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (w)));
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    count_ward_labels (c, wards, whole);
}

static guint
count_runs (const char *job)
{
  g_autoptr(NgamStore) other = ngam_store_open (project, NGAM_STORE_OPEN_READ_ONLY, NULL);
  g_autoptr(GPtrArray) runs = ngam_store_list_runs (other, NULL, job, NULL);

  g_assert_nonnull (runs);
  return runs->len;
}

/* ---- tests -------------------------------------------------------------------------- */

/* Cancel right after starting: the plan rolls back, no run and no
 * scenario is kept, and the page says the project is as it was. */
static void
test_plan_cancel (void)
{
  g_autoptr(GPtrArray) scenarios = NULL;
  guint n = finished.n;

  g_assert_cmpuint (count_runs ("plan"), ==, 0);
  ngam_plan_panel_run_plan (panel ());
  g_assert_true (ngam_plan_panel_get_running (panel ()));
  g_assert_true (ngam_project_get_busy (ngam_window_get_project (window)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (ngam_plan_panel_get_cancel_button (panel ()))));
  g_signal_emit_by_name (ngam_plan_panel_get_cancel_button (panel ()), "clicked");
  wait_until (panel_idle, NULL, "the cancelled plan");
  g_assert_cmpuint (finished.n, ==, n + 1);
  g_assert_nonnull (finished.error);
  g_test_message ("cancelled: %s", finished.error->message);
  g_assert_true (g_error_matches (finished.error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
                 g_error_matches (finished.error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_CANCELLED));
  g_assert_false (ngam_project_get_busy (ngam_window_get_project (window)));
  g_assert_cmpuint (count_runs ("plan"), ==, 0);
  scenarios = ngam_store_list_scenarios (store (), NULL);
  g_assert_cmpuint (scenarios->len, ==, 0);
  g_assert_cmpstr (gtk_label_get_text (ngam_plan_panel_get_status (panel ())), ==,
                   "Stopped: the project is as it was before");
  g_assert_cmpint (ngam_result_layer_get_plan_run (ngam_window_get_result_layer (window)), ==, 0);
}

/* win.plan on the demo: the bill, the wards, the operators and the totals
 * are the CLI's to the đồng; the bill's rows add up to its total; the
 * result layers are the stored run's and are drawn over the trenches. */
static void
test_plan_run (void)
{
  JsonObject *root = cli_root (cli_plan);
  JsonArray *bill = json_object_get_array_member (root, "bill");
  JsonArray *wards = json_object_get_array_member (root, "wards");
  JsonArray *ops = json_object_get_array_member (root, "operators");
  gint64 total = cli_int (json_object_get_object_member (root, "totals"), "cost_vnd");
  NgamResultLayer *layer = ngam_window_get_result_layer (window);
  g_autoptr(NgamRunInfo) run = NULL;
  g_autoptr(Image) with = NULL, without = NULL;
  double sum = 0;
  guint n = finished.n;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.plan", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->sidebar_stack), ==, "plan");
  wait_until (panel_idle, NULL, "the plan");
  g_assert_cmpuint (finished.n, ==, n + 1);
  g_assert_no_error (finished.error);
  g_assert_cmpstr (finished.job, ==, "plan");

  /* The bill: one row per item and the total. */
  g_assert_cmpuint (ngam_result_table_get_n_rows (table (NGAM_PLAN_TABLE_BILL)), ==, json_array_get_length (bill) + 1);
  for (guint i = 0; i < json_array_get_length (bill); i++)
    {
      JsonObject *b = json_array_get_object_element (bill, i);
      double cost = cell_number (NGAM_PLAN_TABLE_BILL, i, 3);

      g_test_message ("bill %s: %.0f VND (CLI %" G_GINT64_FORMAT ")", ngam_result_table_get_cell (table (NGAM_PLAN_TABLE_BILL), i, 0),
                      cost, cli_int (b, "cost_vnd"));
      g_assert_cmpfloat (cost, ==, (double) cli_int (b, "cost_vnd"));
      g_assert_cmpfloat_with_epsilon (cell_number (NGAM_PLAN_TABLE_BILL, i, 1),
                                      json_object_get_double_member (b, "quantity"), 0.051);
      g_assert_cmpstr (ngam_result_table_get_cell (table (NGAM_PLAN_TABLE_BILL), i, 2), ==,
                       json_object_get_string_member (b, "unit"));
      sum += cost;
    }
  g_assert_cmpstr (ngam_result_table_get_cell (table (NGAM_PLAN_TABLE_BILL), json_array_get_length (bill), 0), ==, "Total");
  g_assert_cmpfloat (cell_number (NGAM_PLAN_TABLE_BILL, json_array_get_length (bill), 3), ==, (double) total);
  g_assert_cmpfloat (sum, ==, (double) total);

  /* Per ward and per operator, by name. */
  g_assert_cmpuint (ngam_result_table_get_n_rows (table (NGAM_PLAN_TABLE_WARDS)), ==, json_array_get_length (wards));
  for (guint i = 0; i < json_array_get_length (wards); i++)
    {
      JsonObject *w = json_array_get_object_element (wards, i);
      int row = find_row (NGAM_PLAN_TABLE_WARDS, json_object_get_string_member (w, "ward"));

      g_assert_cmpint (row, >=, 0);
      g_assert_cmpfloat (cell_number (NGAM_PLAN_TABLE_WARDS, row, 2), ==, (double) cli_int (w, "cost_vnd"));
    }
  g_assert_cmpuint (ngam_result_table_get_n_rows (table (NGAM_PLAN_TABLE_OPERATORS)), ==, json_array_get_length (ops));
  for (guint i = 0; i < json_array_get_length (ops); i++)
    {
      JsonObject *o = json_array_get_object_element (ops, i);
      int row = find_row (NGAM_PLAN_TABLE_OPERATORS, json_object_get_string_member (o, "operator"));

      g_assert_cmpint (row, >=, 0);
      g_assert_cmpfloat (cell_number (NGAM_PLAN_TABLE_OPERATORS, row, 1), ==, (double) cli_int (o, "cost_vnd"));
    }
  g_assert_cmpfloat (cell_number (NGAM_PLAN_TABLE_INDICATORS, find_row (NGAM_PLAN_TABLE_INDICATORS, "Total cost (VND)"), 1),
                     ==, (double) total);
  g_assert_cmpfloat (cell_number (NGAM_PLAN_TABLE_INDICATORS, find_row (NGAM_PLAN_TABLE_INDICATORS, "Manholes"), 1), ==,
                     (double) cli_int (json_object_get_object_member (root, "totals"), "manholes"));
  /* each method's share of the trench, under the method's title; the
   * summary says how much of the trench length is in reused ducts */
  {
    double reuse = json_object_get_double_member (
      json_object_get_object_member (json_object_get_object_member (root, "totals"), "trench_m_by_method"),
      "duct_reuse");
    g_autofree char *rkm = ngam_format_number (reuse / 1000, 1);
    g_autofree char *said = g_strdup_printf (", %s km of it in reused ducts", rkm);

    g_assert_cmpfloat (reuse, >, 0);   /* the demo has ducts to reuse */
    g_test_message ("%s", gtk_label_get_text (ngam_plan_panel_get_status (panel ())));
    g_assert_nonnull (strstr (gtk_label_get_text (ngam_plan_panel_get_status (panel ())), said));
  }
  {
    JsonObject *by = json_object_get_object_member (json_object_get_object_member (root, "totals"),
                                                    "trench_m_by_method");
    int row = find_row (NGAM_PLAN_TABLE_INDICATORS, "  of which open cut under the sidewalk (km)");

    g_assert_cmpint (row, >=, 0);
    g_assert_cmpfloat_with_epsilon (cell_number (NGAM_PLAN_TABLE_INDICATORS, row, 1),
                                    json_object_get_double_member (by, "open_cut_sidewalk") / 1000, 0.0005);
    g_assert_cmpint (find_row (NGAM_PLAN_TABLE_INDICATORS, "  of which open_cut_sidewalk (km)"), ==, -1);
  }

  /* The map shows the run kept in the project. */
  run = ngam_store_get_last_run (store (), "default", "plan", NULL);
  g_assert_nonnull (run);
  g_assert_cmpint (ngam_result_layer_get_plan_run (layer), ==, run->id);
  {
    g_autoptr(NgamStore) copy = ngam_store_open (g_object_get_data (G_OBJECT (window), "test-copy"),
                                                 NGAM_STORE_OPEN_READ_ONLY, NULL);
    g_autoptr(NgamRunInfo) cli_run = ngam_store_get_last_run (copy, "default", "plan", NULL);

    g_assert_cmpint (run->n_features, ==, cli_run->n_features);
    g_assert_cmpint (ngam_store_count_results (store (), run->id, "trench", NULL), ==,
                     ngam_store_count_results (copy, cli_run->id, "trench", NULL));
  }

  /* Drawn where a trench is: near its middle vertex a pixel of the phase's
   * colour, which the map without the results has not. */
  {
    g_autoptr(NgamResultCursor) cur = ngam_store_query_results (store (), run->id, "trench", NULL, NULL);
    const NgamResultFeature *f;
    double x, y, px, py, rgb[3];
    graphene_rect_t b;
    double best_with = INFINITY, best_without = INFINITY;

    /* The longest of the first few, so it shows at 1 m per pixel. */
    g_assert_true (ngam_result_cursor_next (cur, NULL));
    f = ngam_result_cursor_get (cur);
    x = f->shape->xy[2 * (f->shape->n_points / 2)];
    y = f->shape->xy[2 * (f->shape->n_points / 2) + 1];
    if (f->shape->n_points == 2)
      x = (f->shape->xy[0] + f->shape->xy[2]) / 2, y = (f->shape->xy[1] + f->shape->xy[3]) / 2;
    ngam_render_phase_rgb (f->phase, rgb);
    ngam_viewport_set_center (ngam_map_view_get_viewport (map ()), x, y);
    ngam_viewport_set_scale (ngam_map_view_get_viewport (map ()), 1.0);
    wait_for_results ();
    with = render_widget (GTK_WIDGET (window));
    save_shot (with, "plan.png");
    g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (map ()), GTK_WIDGET (window), &b));
    ngam_viewport_to_widget (ngam_map_view_get_viewport (map ()), gtk_widget_get_width (GTK_WIDGET (map ())),
                             gtk_widget_get_height (GTK_WIDGET (map ())), x, y, &px, &py);
    ngam_result_layer_set_runs (layer, 0, 0);
    wait_for_results ();
    without = render_widget (GTK_WIDGET (window));
    for (int dy = -3; dy <= 3; dy++)
      for (int dx = -3; dx <= 3; dx++)
        {
          int ix = (int) (b.origin.x + px) + dx, iy = (int) (b.origin.y + py) + dy;

          best_with = MIN (best_with, distance (pixel (with, ix, iy), rgb3 (rgb)));
          best_without = MIN (best_without, distance (pixel (without, ix, iy), rgb3 (rgb)));
        }
    g_test_message ("trench of phase %d at (%.0f, %.0f): nearest to its colour %.3f with results, %.3f without",
                    f->phase, px, py, best_with, best_without);
    g_assert_cmpfloat (best_with, <, 0.15);
    g_assert_cmpfloat (best_without, >, 0.3);
    ngam_result_layer_set_runs (layer, run->id, 0);
    wait_for_results ();
  }
}

/* Closing the window while a plan writes asks first; keeping on lets the
 * plan finish, and the window stays. */
static void
test_close_asks (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint before = g_list_model_get_n_items (toplevels);

  ngam_plan_panel_run_plan (panel ());
  g_assert_true (ngam_plan_panel_get_running (panel ()));
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
#if ADW_CHECK_VERSION (1, 5, 0)
  /* libadwaita 1.5 and later: a dialog inside the window. */
  {
    AdwDialog *dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window));

    g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, before);
    g_assert_true (ADW_IS_ALERT_DIALOG (dialog));
    g_assert_cmpstr (adw_alert_dialog_get_heading (ADW_ALERT_DIALOG (dialog)), ==, "Stop the Analysis?");
    g_signal_emit_by_name (dialog, "response", "keep");
    adw_dialog_force_close (dialog);
  }
#else
  {
    AdwMessageDialog *dialog = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (w))
          dialog = ADW_MESSAGE_DIALOG (w);
      }
    g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, before + 1);
    g_assert_nonnull (dialog);
    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Stop the Analysis?");
    adw_message_dialog_response (dialog, "keep");
    gtk_window_destroy (GTK_WINDOW (dialog));
  }
#endif
  wait_until (panel_idle, NULL, "the plan kept on");
  g_assert_no_error (finished.error);
  iterate_a_little ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_false (ngam_project_get_busy (ngam_window_get_project (window)));
}

/* Trenches by method: the same place, drawn in other colours. */
static void
test_plan_by_method (void)
{
  g_autoptr(Image) phase = NULL, method = NULL;
  guint differ = 0;

  wait_for_results ();
  phase = render_widget (GTK_WIDGET (map ()));
  ngam_plan_panel_set_mode (panel (), NGAM_RENDER_RESULTS_BY_METHOD);
  g_assert_cmpint (ngam_result_layer_get_mode (ngam_window_get_result_layer (window)), ==, NGAM_RENDER_RESULTS_BY_METHOD);
  wait_for_results ();
  method = render_widget (GTK_WIDGET (map ()));
  save_shot (method, "plan-method.png");
  for (int y = 0; y < phase->height; y++)
    for (int x = 0; x < phase->width; x++)
      if (distance (pixel (phase, x, y), pixel (method, x, y)) > 0.1)
        differ++;
  g_test_message ("by method: %u pixels changed", differ);
  g_assert_cmpuint (differ, >, 200);
  ngam_plan_panel_set_mode (panel (), NGAM_RENDER_RESULTS_BY_PHASE);
  wait_for_results ();
}

/* The scenario editor: a negative cost is refused with its key, nothing
 * is kept; a valid one is kept under a new name with a street list, and
 * planning it prices every manhole at the new cost. */
static void
test_scenario_editor (void)
{
  NgamScenarioEditor *editor;
  GtkEditable *manhole, *years;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *kept = NULL;
  g_autoptr(GPtrArray) scenarios = NULL;
  int row;
  double quantity;
  guint n;

  before = ngam_project_dup_scenario (ngam_window_get_project (window), "default", NULL);
  g_assert_nonnull (before);   /* the plan kept it */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-scenario", NULL));
  editor = NGAM_SCENARIO_EDITOR (window->scenario_editor);
  g_assert_nonnull (editor);
  manhole = ngam_scenario_editor_get_entry (editor, "costs", "manhole");
  g_assert_nonnull (manhole);
  g_assert_cmpstr (gtk_editable_get_text (manhole), ==, "25000000");
  g_assert_cmpstr (gtk_editable_get_text (ngam_scenario_editor_get_entry (editor, "rules", "layer_pitch_m")), ==, "0.15");
  g_assert_nonnull (ngam_scenario_editor_get_entry (editor, "priorities", "budget_per_year"));
  g_assert_null (ngam_scenario_editor_get_entry (editor, "costs", "no_such_key"));
  /* A yes/no is a switch, a choice a list: the value written is the same. */
  {
    GtkWidget *power = ngam_scenario_editor_get_row (editor, "scope", "with_power");
    GtkWidget *split = ngam_scenario_editor_get_row (editor, "priorities", "split");
    GtkSwitch *sw;
    g_autofree char *on = NULL, *off = NULL, *equal = NULL, *ducts = NULL, *text = NULL;

    g_assert_nonnull (power);
    g_assert_null (ngam_scenario_editor_get_entry (editor, "scope", "with_power"));
    sw = g_object_get_data (G_OBJECT (power), "ngam-switch");
    g_assert_true (GTK_IS_SWITCH (sw));
    g_assert_false (gtk_switch_get_active (sw));
    gtk_switch_set_active (sw, TRUE);
    on = ngam_scenario_editor_dup_value (editor, "scope", "with_power");
    g_assert_cmpstr (on, ==, "true");
    text = ngam_scenario_editor_dup_text (editor);
    g_assert_nonnull (strstr (text, "with_power = true"));
    gtk_switch_set_active (sw, FALSE);
    off = ngam_scenario_editor_dup_value (editor, "scope", "with_power");
    g_assert_cmpstr (off, ==, "false");
    g_assert_true (ADW_IS_COMBO_ROW (split));
    g_assert_null (ngam_scenario_editor_get_entry (editor, "priorities", "split"));
    ducts = ngam_scenario_editor_dup_value (editor, "priorities", "split");
    g_assert_cmpstr (ducts, ==, "ducts");
    g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (split))), ==, 3);
    adw_combo_row_set_selected (ADW_COMBO_ROW (split), 2);
    equal = ngam_scenario_editor_dup_value (editor, "priorities", "split");
    g_assert_cmpstr (equal, ==, "equal");
    adw_combo_row_set_selected (ADW_COMBO_ROW (split), 0);
    g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (ngam_scenario_editor_get_row (editor, "rules", "turn_angle_deg")),
                              "0–180 °"));
  }

  /* A decimal comma, as a Vietnamese planner writes it, is the number's point. */
  {
    GtkEditable *pitch = ngam_scenario_editor_get_entry (editor, "rules", "layer_pitch_m");
    g_autofree char *value = NULL;

    gtk_editable_set_text (pitch, "0,2");
    g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (pitch), "error"));
    value = ngam_scenario_editor_dup_value (editor, "rules", "layer_pitch_m");
    g_assert_cmpstr (value, ==, "0.2");
    gtk_editable_set_text (pitch, "0.15");
  }

  /* Refused as typed, and again when saved: the key is named. */
  gtk_editable_set_text (manhole, "-5");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (manhole), "error"));
  g_assert_nonnull (ngam_scenario_editor_get_message (editor));
  g_assert_nonnull (strstr (ngam_scenario_editor_get_message (editor), "manhole"));
  g_assert_false (ngam_scenario_editor_save (editor, &error));
  g_assert_error (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_SCENARIO);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, "[costs] manhole"));
  g_assert_nonnull (strstr (error->message, "negative"));
  g_clear_error (&error);
  years = ngam_scenario_editor_get_entry (editor, "priorities", "years");
  gtk_editable_set_text (manhole, "50 000 000");
  gtk_editable_set_text (years, "0");
  g_assert_false (ngam_scenario_editor_save (editor, &error));
  g_assert_nonnull (strstr (error->message, "[priorities] years"));
  g_clear_error (&error);
  kept = ngam_project_dup_scenario (ngam_window_get_project (window), "default", NULL);
  g_assert_cmpstr (kept, ==, before);
  g_clear_pointer (&kept, g_free);

  /* A valid scenario under a new name, with two streets in scope. */
  gtk_editable_set_text (years, "3");
  gtk_editable_set_text (ngam_scenario_editor_get_name_entry (editor), "expensive manholes");
  g_assert_true (ngam_scenario_editor_add_street (editor, " Lê Lợi "));
  g_assert_true (ngam_scenario_editor_add_street (editor, "Hùng Vương"));
  g_assert_false (ngam_scenario_editor_add_street (editor, "Lê Lợi"));
  g_assert_false (ngam_scenario_editor_add_street (editor, "a;b"));
  g_assert_true (ngam_scenario_editor_remove_street (editor, "Hùng Vương"));
  g_assert_true (ngam_scenario_editor_add_street (editor, "Hùng Vương"));
  {
    g_autoptr(Image) img = NULL;

    iterate_a_little ();
    img = render_widget (GTK_WIDGET (editor));
    save_shot (img, "scenario.png");
  }
  /* No street list for the plan below: the whole town, priced anew. */
  g_assert_true (ngam_scenario_editor_remove_street (editor, "Lê Lợi"));
  g_assert_true (ngam_scenario_editor_remove_street (editor, "Hùng Vương"));
  g_assert_true (ngam_scenario_editor_save (editor, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (editor));
  kept = ngam_project_dup_scenario (ngam_window_get_project (window), "expensive manholes", NULL);
  g_assert_nonnull (kept);
  g_assert_nonnull (strstr (kept, "manhole = 50 000 000"));
  g_assert_nonnull (strstr (kept, "\nyears = 3\n"));
  g_assert_nonnull (strstr (kept, "\nstreets = \n"));
  scenarios = ngam_store_list_scenarios (store (), NULL);
  g_assert_cmpuint (scenarios->len, ==, 2);
  g_assert_cmpstr (ngam_plan_panel_get_scenario (panel ()), ==, "expensive manholes");
  /* No plan of it yet. */
  g_assert_cmpuint (ngam_result_table_get_n_rows (table (NGAM_PLAN_TABLE_BILL)), ==, 0);

  n = finished.n;
  ngam_plan_panel_run_plan (panel ());
  wait_until (panel_idle, NULL, "the plan of the new scenario");
  g_assert_cmpuint (finished.n, ==, n + 1);
  g_assert_no_error (finished.error);
  row = find_row (NGAM_PLAN_TABLE_BILL, "Manholes");
  g_assert_cmpint (row, >=, 0);
  quantity = cell_number (NGAM_PLAN_TABLE_BILL, row, 1);
  g_test_message ("%.0f manholes at 50 000 000: %s VND", quantity,
                  ngam_result_table_get_cell (table (NGAM_PLAN_TABLE_BILL), row, 3));
  g_assert_cmpfloat (quantity, >, 0);
  g_assert_cmpfloat (cell_number (NGAM_PLAN_TABLE_BILL, row, 3), ==, quantity * 50000000.0);

  /* A street list kept in the scenario plans those streets only. */
  {
    g_autoptr(GString) text = g_string_new (kept);
    g_autoptr(NgamStoreCursor) cur = ngam_store_query (store (), NGAM_LAYER_STREETS, NULL, 0, NULL);
    g_autofree char *name = NULL;
    char *at;
    double total_all = cell_number (NGAM_PLAN_TABLE_BILL, ngam_result_table_get_n_rows (table (NGAM_PLAN_TABLE_BILL)) - 1, 3);

    while (name == NULL && ngam_store_cursor_next (cur, NULL))
      {
        const NgamFeature *f = ngam_store_cursor_get (cur);
        int field = ngam_feature_field (f, "name");

        if (field >= 0 && !ngam_feature_is_null (f, field))
          name = g_strdup (ngam_feature_get_text (f, field));
      }
    g_assert_nonnull (name);
    at = strstr (text->str, "\nstreets = \n");
    g_string_insert (text, at - text->str + strlen ("\nstreets = "), name);
    g_assert_true (ngam_project_put_scenario (ngam_window_get_project (window), "one street", text->str, &error));
    g_assert_no_error (error);
    ngam_plan_panel_reload_scenarios (panel (), "one street");
    g_assert_cmpstr (ngam_plan_panel_get_scenario (panel ()), ==, "one street");
    ngam_plan_panel_run_plan (panel ());
    wait_until (panel_idle, NULL, "the plan of one street");
    g_assert_no_error (finished.error);
    g_test_message ("streets = %s: %s VND (all streets %.0f)", name,
                    ngam_result_table_get_cell (table (NGAM_PLAN_TABLE_BILL),
                                                ngam_result_table_get_n_rows (table (NGAM_PLAN_TABLE_BILL)) - 1, 3),
                    total_all);
    if (ngam_result_table_get_n_rows (table (NGAM_PLAN_TABLE_BILL)) > 0)
      g_assert_cmpfloat (cell_number (NGAM_PLAN_TABLE_BILL, ngam_result_table_get_n_rows (table (NGAM_PLAN_TABLE_BILL)) - 1, 3),
                         <, total_all);
  }
  g_assert_true (ngam_plan_panel_set_scenario (panel (), "default"));
  g_assert_cmpfloat (cell_number (NGAM_PLAN_TABLE_INDICATORS, find_row (NGAM_PLAN_TABLE_INDICATORS, "Total cost (VND)"), 1),
                     ==, (double) cli_int (json_object_get_object_member (cli_root (cli_plan), "totals"), "cost_vnd"));
}

static gboolean
compare_drawn (gpointer data)
{
  NgamCompareWindow *cw = data;

  return !ngam_compare_window_get_loading (cw) &&
         !ngam_result_layer_get_loading (ngam_compare_window_get_result_layer (cw, 0)) &&
         !ngam_result_layer_get_loading (ngam_compare_window_get_result_layer (cw, 1)) &&
         !ngam_map_view_get_loading (ngam_compare_window_get_map (cw, 0)) &&
         !ngam_map_view_get_loading (ngam_compare_window_get_map (cw, 1));
}

static gboolean
magenta (Rgb p)
{
  return p.r > 0.75 && p.g < 0.6 && p.b > 0.5 && p.r - p.g > 0.3 && p.b - p.g > 0.15;
}

/* Pixels magenta (the differences' halo, over land or white) in @a and
 * not in @b. */
static guint
count_halo (const Image *a, const Image *b)
{
  guint n = 0;

  for (int y = 0; y < MIN (a->height, b->height); y++)
    for (int x = 0; x < MIN (a->width, b->width); x++)
      if (magenta (pixel (a, x, y)) && !magenta (pixel (b, x, y)))
        n++;
  return n;
}

/* win.compare: the whole town against one street, side by side.  The
 * figures are `ngam-batch compare`'s, the maps follow each other, and the
 * streets only the whole town digs are haloed on its map and nowhere on
 * the other's. */
static void
test_compare (void)
{
  NgamCompareWindow *cw;
  const NgamPlanComparison *c;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) cli = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(Image) img = NULL;
  JsonObject *totals;
  GtkColumnView *t;
  NgamViewport *v0, *v1;
  guint halo[2];

  g_assert_true (ngam_plan_panel_set_scenario (panel (), "default"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL));
  cw = NGAM_COMPARE_WINDOW (window->compare_window);
  g_assert_nonnull (cw);
  gtk_window_set_default_size (GTK_WINDOW (cw), 1100, 760);
  g_assert_true (ngam_compare_window_set_scenarios (cw, "default", "one street"));
  g_assert_false (ngam_compare_window_set_scenarios (cw, "default", "no such scenario"));
  g_assert_true (ngam_compare_window_set_scenarios (cw, "default", "one street"));
  wait_until (compare_drawn, cw, "the comparison");
  c = ngam_compare_window_get_comparison (cw);
  g_assert_nonnull (c);

  /* The CLI's comparison of the same file, read-only beside the window. */
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "compare", project, "default", "one street", "--json", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (cli, out, -1, &error));
  g_assert_no_error (error);
  totals = json_object_get_object_member (json_node_get_object (json_parser_get_root (cli)), "totals");
  g_assert_cmpint (c->cost_vnd[0], ==, json_array_get_int_element (json_object_get_array_member (totals, "cost_vnd"), 0));
  g_assert_cmpint (c->cost_vnd[1], ==, json_array_get_int_element (json_object_get_array_member (totals, "cost_vnd"), 1));
  g_assert_cmpuint (c->edges_only_a->len, ==,
                    json_array_get_length (json_object_get_array_member (json_node_get_object (json_parser_get_root (cli)),
                                                                         "edges_only_a")));
  /* Saved from the window, the file is the CLI's JSON to the byte; a
   * folder that is not there is an error naming it, and leaves nothing. */
  {
    g_autofree char *path = g_build_filename (dir, "comparison.json", NULL);
    g_autofree char *missing = g_build_filename (dir, "no such folder", "comparison.json", NULL);
    g_autofree char *saved = NULL;
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GFile) nowhere = g_file_new_for_path (missing);
    g_autoptr(GError) save_error = NULL;

    g_assert_true (ngam_compare_window_save (cw, file, &save_error));
    g_assert_no_error (save_error);
    g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
    g_assert_cmpstr (saved, ==, out);
    g_assert_false (ngam_compare_window_save (cw, nowhere, &save_error));
    g_assert_nonnull (save_error);
    g_assert_nonnull (strstr (save_error->message, "no such folder"));
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
  /* Saved with a name ending in .csv, it is the CLI's CSV to the byte. */
  {
    g_autofree char *path = g_build_filename (dir, "comparison.CSV", NULL);
    g_autofree char *saved = NULL, *csv = NULL, *csv_err = NULL;
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GError) save_error = NULL;

    g_assert_cmpint (ngam_test_run_batch (&csv, &csv_err, "compare", project, "default", "one street", "--csv", NULL),
                     ==, 0);
    g_assert_true (ngam_compare_window_save (cw, file, &save_error));
    g_assert_no_error (save_error);
    g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
    g_assert_cmpstr (saved, ==, csv);
    g_assert_true (g_str_has_prefix (saved, "section,item,a,b,b_minus_a\r\n"));
  }

  /* One street digs less than the whole town; nothing it digs is not dug by the town. */
  g_assert_cmpint (c->cost_vnd[1], <, c->cost_vnd[0]);
  g_assert_cmpuint (c->edges_only_a->len, >, 0);
  g_assert_cmpuint (c->edges_only_b->len, ==, 0);

  /* The table: cost A, B and B − A, as the comparison has them. */
  t = ngam_compare_window_get_table (cw);
  g_assert_cmpstr (ngam_result_table_get_cell (t, 0, 0), ==, "Cost (VND)");
  g_assert_cmpfloat (ngam_parse_number (ngam_result_table_get_cell (t, 0, 1)), ==, (double) c->cost_vnd[0]);
  g_assert_cmpfloat (ngam_parse_number (ngam_result_table_get_cell (t, 0, 2)), ==, (double) c->cost_vnd[1]);
  g_assert_cmpfloat (ngam_parse_number (ngam_result_table_get_cell (t, 0, 3)), ==,
                     (double) (c->cost_vnd[1] - c->cost_vnd[0]));
  g_assert_cmpuint (ngam_result_table_get_n_rows (t), ==, 6 + c->operators->len + c->phases->len + c->wards->len);
  g_assert_nonnull (strstr (gtk_label_get_text (ngam_compare_window_get_status (cw)), "one street"));

  /* Each map its plan, haloed where the plans differ. */
  g_assert_cmpint (ngam_result_layer_get_plan_run (ngam_compare_window_get_result_layer (cw, 0)), ==, c->run_a);
  g_assert_cmpint (ngam_result_layer_get_plan_run (ngam_compare_window_get_result_layer (cw, 1)), ==, c->run_b);
  g_assert_cmpuint (ngam_result_layer_get_n_highlighted (ngam_compare_window_get_result_layer (cw, 0)), ==,
                    c->edges_only_a->len + c->edges_other_method->len);
  g_assert_cmpuint (ngam_result_layer_get_n_highlighted (ngam_compare_window_get_result_layer (cw, 1)), ==,
                    c->edges_only_b->len + c->edges_other_method->len);

  /* Linked: zooming the left map shows the same ground on the right. */
  v0 = ngam_map_view_get_viewport (ngam_compare_window_get_map (cw, 0));
  v1 = ngam_map_view_get_viewport (ngam_compare_window_get_map (cw, 1));
  ngam_viewport_set_scale (v0, ngam_viewport_get_scale (v0) / 2);
  ngam_viewport_set_center (v1, ngam_viewport_get_center_x (v1) + 30, ngam_viewport_get_center_y (v1) - 20);
  g_assert_cmpfloat (ngam_viewport_get_scale (v1), ==, ngam_viewport_get_scale (v0));
  g_assert_cmpfloat (ngam_viewport_get_center_x (v0), ==, ngam_viewport_get_center_x (v1));
  g_assert_cmpfloat (ngam_viewport_get_center_y (v0), ==, ngam_viewport_get_center_y (v1));
  ngam_viewport_set_scale (v0, ngam_viewport_get_scale (v0) * 2);
  wait_until (compare_drawn, cw, "the compared maps");

  img = render_widget (GTK_WIDGET (cw));
  save_shot (img, "compare.png");
  /* The halo is what the highlight adds: the left map with and without it. */
  {
    g_autoptr(Image) with = render_widget (GTK_WIDGET (ngam_compare_window_get_map (cw, 0)));
    g_autoptr(Image) without = NULL;

    ngam_result_layer_set_highlight (ngam_compare_window_get_result_layer (cw, 0), NULL);
    wait_until (compare_drawn, cw, "the left map without the halo");
    without = render_widget (GTK_WIDGET (ngam_compare_window_get_map (cw, 0)));
    halo[0] = count_halo (with, without);
    halo[1] = count_halo (without, with);
  }
  g_test_message ("edges only in default: %u, by another method: %u; pixels haloed %u, unhaloed %u",
                  c->edges_only_a->len, c->edges_other_method->len, halo[0], halo[1]);
  g_assert_cmpuint (halo[0], >, 500);
  g_assert_cmpuint (halo[1], ==, 0);

  /* A scenario with no plan says so, and the maps show none. */
  g_assert_true (ngam_project_put_scenario (ngam_window_get_project (window), "never planned",
                                            "[priorities]\nyears = 2\n", &error));
  g_assert_no_error (error);
  wait_until (compare_drawn, cw, "the scenarios again");
  g_assert_true (ngam_compare_window_set_scenarios (cw, "never planned", "default"));
  wait_until (compare_drawn, cw, "the comparison with no plan");
  g_assert_null (ngam_compare_window_get_comparison (cw));
  g_test_message ("%s", gtk_label_get_text (ngam_compare_window_get_status (cw)));
  g_assert_nonnull (strstr (gtk_label_get_text (ngam_compare_window_get_status (cw)), "never planned"));
  g_assert_cmpint (ngam_result_layer_get_plan_run (ngam_compare_window_get_result_layer (cw, 0)), ==, 0);
  gtk_window_destroy (GTK_WINDOW (cw));
  g_assert_null (window->compare_window);
}

/* win.gaps: the indicators of the whole project and of each ward are the
 * CLI's; the gaps run is drawn with the plan. */
static void
test_gaps (void)
{
  JsonObject *root = cli_root (cli_gaps);
  JsonObject *ind = json_object_get_object_member (root, "indicators");
  JsonArray *wards = json_object_get_array_member (root, "wards");
  g_autoptr(NgamRunInfo) run = NULL;
  g_autoptr(Image) img = NULL;
  guint n = finished.n;
  int row;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.gaps", NULL));
  wait_until (panel_idle, NULL, "the gaps");
  g_assert_cmpuint (finished.n, ==, n + 1);
  g_assert_no_error (finished.error);
  g_assert_cmpstr (finished.job, ==, "gaps");
  row = find_row (NGAM_PLAN_TABLE_GAPS, "Whole project");
  g_assert_cmpint (row, ==, 0);
  g_assert_cmpfloat (cell_number (NGAM_PLAN_TABLE_GAPS, row, 1), ==, (double) cli_int (ind, "households"));
  g_assert_cmpfloat_with_epsilon (cell_number (NGAM_PLAN_TABLE_GAPS, row, 2),
                                  100 * json_object_get_double_member (ind, "households_fibre_share"), 0.051);
  g_assert_cmpfloat_with_epsilon (cell_number (NGAM_PLAN_TABLE_GAPS, row, 6),
                                  100 * json_object_get_double_member (json_object_get_object_member (ind, "population_covered_share"), "5G"),
                                  0.051);
  g_assert_cmpuint (ngam_result_table_get_n_rows (table (NGAM_PLAN_TABLE_GAPS)), ==, json_array_get_length (wards) + 1);
  for (guint i = 0; i < json_array_get_length (wards); i++)
    {
      JsonObject *w = json_array_get_object_element (wards, i);

      row = find_row (NGAM_PLAN_TABLE_GAPS, json_object_get_string_member (w, "name"));
      g_assert_cmpint (row, >, 0);
      g_assert_cmpfloat (cell_number (NGAM_PLAN_TABLE_GAPS, row, 1), ==, (double) cli_int (w, "households"));
    }
  run = ngam_store_get_last_run (store (), "default", "gaps", NULL);
  g_assert_nonnull (run);
  g_assert_cmpint (ngam_result_layer_get_gaps_run (ngam_window_get_result_layer (window)), ==, run->id);
  g_assert_cmpint (ngam_result_layer_get_plan_run (ngam_window_get_result_layer (window)), >, 0);
  gtk_stack_set_visible_child_name (window->sidebar_stack, "plan");
  wait_for_results ();
  img = render_widget (GTK_WIDGET (window));
  save_shot (img, "gaps.png");
  /* the Totals and Gaps tabs, for a person to read */
  {
    const NgamPlanTable tabs[] = { NGAM_PLAN_TABLE_INDICATORS, NGAM_PLAN_TABLE_GAPS };
    const char *names[] = { "totals.png", "gaps-table.png" };

    for (guint k = 0; k < G_N_ELEMENTS (tabs); k++)
      {
        GtkWidget *t = GTK_WIDGET (table (tabs[k]));
        GtkNotebook *book = GTK_NOTEBOOK (gtk_widget_get_ancestor (t, GTK_TYPE_NOTEBOOK));
        g_autoptr(Image) shot = NULL;

        g_assert_nonnull (book);
        for (int i = 0; i < gtk_notebook_get_n_pages (book); i++)
          if (gtk_widget_is_ancestor (t, gtk_notebook_get_nth_page (book, i)))
            gtk_notebook_set_current_page (book, i);
        iterate_a_little ();
        shot = render_widget (GTK_WIDGET (window));
        save_shot (shot, names[k]);
      }
  }
  /* In the Gaps table, seven columns wide, the wards' names are read, not
   * cut to "Phườn…": most fit whole. */
  {
    guint wards = 0, whole = 0;

    count_ward_labels (GTK_WIDGET (table (NGAM_PLAN_TABLE_GAPS)), &wards, &whole);
    g_test_message ("ward names in the Gaps table: %u, %u whole", wards, whole);
    g_assert_cmpuint (wards, >=, 3);
    g_assert_cmpuint (2 * whole, >=, wards);
  }

  /* A scenario with the coverage analysis's settings: the editor keeps
   * them as they were, and the planner plans it. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *kept = NULL;
    NgamScenarioEditor *editor;

    g_assert_true (ngam_project_put_scenario (ngam_window_get_project (window), "with coverage",
                                              "[coverage]\nmax_drop_m = 250\n\n[costs]\nmanhole = 1\n", &error));
    g_assert_no_error (error);
    ngam_plan_panel_reload_scenarios (panel (), "with coverage");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-scenario", NULL));
    editor = NGAM_SCENARIO_EDITOR (window->scenario_editor);
    g_assert_cmpstr (gtk_editable_get_text (ngam_scenario_editor_get_entry (editor, "costs", "manhole")), ==, "1");
    gtk_editable_set_text (ngam_scenario_editor_get_entry (editor, "costs", "handhole"), "2");
    g_assert_true (ngam_scenario_editor_save (editor, &error));
    g_assert_no_error (error);
    gtk_window_destroy (GTK_WINDOW (editor));
    kept = ngam_project_dup_scenario (ngam_window_get_project (window), "with coverage", NULL);
    g_assert_nonnull (strstr (kept, "\n[coverage]\nmax_drop_m = 250\n"));
    g_assert_nonnull (strstr (kept, "\nhandhole = 2\n"));
    n = finished.n;
    ngam_plan_panel_run_plan (panel ());
    wait_until (panel_idle, NULL, "the plan of a scenario with coverage settings");
    g_assert_cmpuint (finished.n, ==, n + 1);
    g_assert_no_error (finished.error);
    g_assert_true (ngam_plan_panel_set_scenario (panel (), "default"));
  }
}

static gboolean
report_idle (gpointer data)
{
  return !ngam_report_dialog_get_running (data);
}

/* The report from its dialog: the files the CLI would name, written on a
 * worker thread; a second export is refused without touching them; a
 * cancelled export writes nothing. */
static void
test_report (void)
{
  NgamReportDialog *dialog;
  g_autofree char *out = g_build_filename (dir, "report", NULL);
  g_autofree char *other = g_build_filename (dir, "report-cancelled", NULL);
  g_autofree char *csv_before = NULL, *csv_after = NULL, *first = NULL;
  g_autoptr(GPtrArray) names = NULL;
  NgamReportOptions o = { 0 };
  GPtrArray *written;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.report", NULL));
  dialog = NGAM_REPORT_DIALOG (window->report_dialog);
  g_assert_nonnull (dialog);
  g_assert_true (g_str_has_suffix (ngam_report_dialog_get_folder (dialog), "report-default"));
  ngam_report_dialog_set_folder (dialog, out);
  ngam_report_dialog_set_formats (dialog, NGAM_REPORT_CSV | NGAM_REPORT_HTML);
  ngam_report_dialog_set_language (dialog, "en");
  ngam_report_dialog_export (dialog);
  g_assert_true (ngam_report_dialog_get_running (dialog));
  wait_until (report_idle, dialog, "the report");
  written = ngam_report_dialog_get_written (dialog);
  g_assert_nonnull (written);
  o.formats = NGAM_REPORT_CSV | NGAM_REPORT_HTML;
  o.out_dir = out;
  o.scenario = "default";
  o.language = "en";
  names = ngam_report_file_names (&o);
  g_assert_cmpuint (written->len, ==, names->len);
  for (guint i = 0; i < written->len; i++)
    {
      g_test_message ("written: %s", (char *) g_ptr_array_index (written, i));
      g_assert_true (g_file_test (g_ptr_array_index (written, i), G_FILE_TEST_IS_REGULAR));
    }
  {
    g_autoptr(Image) img = render_widget (GTK_WIDGET (dialog));

    save_shot (img, "report.png");
  }
  /* Again, not replacing: refused, the files as they were. */
  first = g_strdup (g_ptr_array_index (written, 0));
  g_test_message ("first name: %s", (char *) g_ptr_array_index (names, 0));
  csv_before = ngam_test_sha256_file (first);
  ngam_report_dialog_export (dialog);
  wait_until (report_idle, dialog, "the refused report");
  g_assert_null (ngam_report_dialog_get_written (dialog));
  g_test_message ("refused: %s", ngam_report_dialog_get_message (dialog));
  g_assert_nonnull (strstr (ngam_report_dialog_get_message (dialog), "exists"));
  csv_after = ngam_test_sha256_file (first);
  g_assert_cmpstr (csv_before, ==, csv_after);

  /* Cancelled at once: nothing written, not even the folder. */
  ngam_report_dialog_set_folder (dialog, other);
  ngam_report_dialog_set_formats (dialog, NGAM_REPORT_PDF | NGAM_REPORT_CSV);
  ngam_report_dialog_export (dialog);
  g_signal_emit_by_name (ngam_report_dialog_get_cancel_button (dialog), "clicked");
  wait_until (report_idle, dialog, "the cancelled report");
  g_assert_null (ngam_report_dialog_get_written (dialog));
  g_test_message ("cancelled: %s", ngam_report_dialog_get_message (dialog));
  g_assert_cmpstr (ngam_report_dialog_get_message (dialog), ==, "Stopped: nothing was written");
  {
    g_autoptr(GDir) d = g_dir_open (other, 0, NULL);

    g_assert_true (d == NULL || g_dir_read_name (d) == NULL);
  }
  gtk_window_destroy (GTK_WINDOW (dialog));
}

typedef struct
{
  guint changed_poles;
} Outside;

static void
outside_changed (NgamProject *p, int kind, const double *bbox, Outside *o)
{
  if (kind == NGAM_LAYER_POLES || kind == NGAM_PROJECT_ALL_LAYERS)
    o->changed_poles++;
}

static gboolean
outside_seen (gpointer data)
{
  Outside *o = data;

  return o->changed_poles > 0;
}

/* Another program adds a pole through OGR while the window is open: the
 * project notices within its polling interval, the map redraws, and the
 * new pole is drawn where OGR put it. */
static void
test_outside_change (void)
{
  NgamProject *p = ngam_window_get_project (window);
  Outside o = { 0 };
  double extent[4], x, y, px, py, bg[3];
  g_autoptr(Image) before = NULL, after = NULL;
  graphene_rect_t b;
  gint64 poles = ngam_project_get_count (p, NGAM_LAYER_POLES);
  gint64 t0;
  double far_before = 0, far_after = 0;

  /* A place with nothing on it: the middle of a ward, away from streets. */
  g_assert_true (ngam_project_get_extent (p, extent));
  x = extent[0] + 0.07 * (extent[2] - extent[0]);
  y = extent[1] + 0.07 * (extent[3] - extent[1]);
  ngam_plan_panel_set_scenario (panel (), "default");
  ngam_result_layer_set_runs (ngam_window_get_result_layer (window), 0, 0);
  ngam_viewport_set_center (ngam_map_view_get_viewport (map ()), x, y);
  ngam_viewport_set_scale (ngam_map_view_get_viewport (map ()), 0.25);
  wait_for_results ();
  before = render_widget (GTK_WIDGET (window));
  g_signal_connect (p, "changed", G_CALLBACK (outside_changed), &o);

  /* In a process of its own, as QGIS would be: GDAL's SQLite connection
   * closing in ours would drop the process's locks on the file (POSIX
   * locks are per process), SQLite's WAL locks among them. */
  {
    char xs[G_ASCII_DTOSTR_BUF_SIZE], ys[G_ASCII_DTOSTR_BUF_SIZE];
    const char *args[] = { self_exe, "--ogr-add-pole", project, xs, ys, NULL };
    g_autoptr(GError) error = NULL;
    int wait_status = 0;

    g_ascii_dtostr (xs, sizeof xs, x);
    g_ascii_dtostr (ys, sizeof ys, y);
    g_assert_true (g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                                 &wait_status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  }
  t0 = g_get_monotonic_time ();
  wait_until (outside_seen, &o, "the outside change");
  g_test_message ("seen after %.2f s", (g_get_monotonic_time () - t0) / 1e6);
  g_assert_cmpfloat ((g_get_monotonic_time () - t0) / 1e6, <, 4.0);
  wait_for_results ();
  after = render_widget (GTK_WIDGET (window));
  save_shot (after, "outside.png");
  g_signal_handlers_disconnect_by_data (p, &o);

  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (map ()), GTK_WIDGET (window), &b));
  ngam_viewport_to_widget (ngam_map_view_get_viewport (map ()), gtk_widget_get_width (GTK_WIDGET (map ())),
                           gtk_widget_get_height (GTK_WIDGET (map ())), x, y, &px, &py);
  ngam_render_background_rgb (bg);
  /* The pole's symbol is a few pixels across: the darkest near its place. */
  for (int dy = -3; dy <= 3; dy++)
    for (int dx = -3; dx <= 3; dx++)
      {
        int ix = (int) (b.origin.x + px) + dx, iy = (int) (b.origin.y + py) + dy;

        far_before = MAX (far_before, distance (pixel (before, ix, iy), rgb3 (bg)));
        far_after = MAX (far_after, distance (pixel (after, ix, iy), rgb3 (bg)));
      }
  g_test_message ("at the new pole, most unlike the land: before %.3f, after %.3f", far_before, far_after);
  g_assert_cmpfloat (far_before, <, 0.1);
  g_assert_cmpfloat (far_after, >, 0.5);
  /* The count follows, on its worker thread. */
  {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (ngam_project_get_count (p, NGAM_LAYER_POLES) != poles + 1 && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpint (ngam_project_get_count (p, NGAM_LAYER_POLES), ==, poles + 1);
  /* Our own edits are no outside change. */
  o.changed_poles = 0;
  g_assert_false (ngam_project_check_outside (p));
}

/* Street names over the map from the main menu: the reports' labeller
 * places some, the picture changes, and the choice is kept in the
 * project's styles; turned off, they are gone. */
static void
test_labels (void)
{
  NgamResultLayer *layer = ngam_window_get_result_layer (window);
  g_autoptr(Image) plain = NULL, named = NULL;
  double extent[4];
  guint differ = 0;

  g_assert_true (ngam_project_get_extent (ngam_window_get_project (window), extent));
  ngam_result_layer_set_runs (layer, 0, 0);
  ngam_viewport_set_center (ngam_map_view_get_viewport (map ()), (extent[0] + extent[2]) / 2,
                            (extent[1] + extent[3]) / 2);
  ngam_viewport_set_scale (ngam_map_view_get_viewport (map ()), 1.5);
  wait_for_results ();
  plain = render_widget (GTK_WIDGET (map ()));
  g_assert_false (ngam_result_layer_get_labels (layer));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-labels", NULL));
  g_assert_true (ngam_result_layer_get_labels (layer));
  wait_for_results ();
  named = render_widget (GTK_WIDGET (map ()));
  save_shot (named, "labels.png");
  for (int y = 0; y < plain->height; y++)
    for (int x = 0; x < plain->width; x++)
      if (distance (pixel (plain, x, y), pixel (named, x, y)) > 0.1)
        differ++;
  g_test_message ("%d street names, %u pixels changed", ngam_result_layer_get_n_labels (layer), differ);
  g_assert_cmpint (ngam_result_layer_get_n_labels (layer), >, 0);
  g_assert_cmpuint (differ, >, 300);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(NgamStore) other = ngam_store_open (project, NGAM_STORE_OPEN_READ_ONLY, &error);
    g_autofree char *style = NULL;

    g_assert_no_error (error);
    style = ngam_store_dup_style (other, "labels", NULL);

    g_assert_nonnull (style);
    g_assert_nonnull (strstr (style, "visible=true"));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-labels", NULL));
  g_assert_false (ngam_result_layer_get_labels (layer));
  wait_for_results ();
  g_assert_cmpint (ngam_result_layer_get_n_labels (layer), ==, 0);
  g_assert_null (ngam_project_dup_style (ngam_window_get_project (window), "labels"));
}

/* The other program: adds a pole through OGR (GDAL's C API). */
static int
ogr_add_pole (const char *path, double x, double y)
{
  GDALDatasetH ds;
  OGRLayerH layer;
  OGRFeatureH f;
  OGRGeometryH g;
  OGRErr err;

  GDALAllRegister ();
  ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, NULL, NULL);
  if (ds == NULL)
    return 2;
  layer = GDALDatasetGetLayerByName (ds, "poles");
  if (layer == NULL)
    return 3;
  f = OGR_F_Create (OGR_L_GetLayerDefn (layer));
  OGR_F_SetFieldString (f, OGR_F_GetFieldIndex (f, "operator"), "VNPT");
  g = OGR_G_CreateGeometry (wkbPoint);
  OGR_G_SetPoint_2D (g, 0, x, y);
  OGR_F_SetGeometryDirectly (f, g);
  err = OGR_L_CreateFeature (layer, f);
  OGR_F_Destroy (f);
  GDALClose (ds);
  return err == OGRERR_NONE ? 0 : 4;
}

int
main (int argc, char **argv)
{
  g_autofree char *out = NULL, *err = NULL, *copy = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (argc == 5 && g_str_equal (argv[1], "--ogr-add-pole"))
    return ogr_add_pole (argv[2], g_ascii_strtod (argv[3], NULL), g_ascii_strtod (argv[4], NULL));
  self_exe = g_canonicalize_filename (argv[0], NULL);
  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("LANGUAGE");
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  g_setenv ("GSETTINGS_SCHEMA_DIR", NGAM_TEST_SCHEMA_DIR, TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
  gtk_init ();
  adw_init ();
  ngam_core_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  dir = ngam_test_tmpdir ();
  project = g_build_filename (dir, "hue-demo.ngam", NULL);
  copy = g_build_filename (dir, "cli-copy.ngam", NULL);
  status = ngam_test_run_batch (&out, &err, "sample", "--out", project, "--size", "300", NULL);
  if (status != 0)
    g_error ("ngam-batch sample failed (%d): %s", status, err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    g_autofree char *bytes = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (project, &bytes, &len, NULL));
    g_assert_true (g_file_set_contents (copy, bytes, len, NULL));
  }
  status = ngam_test_run_batch (&out, &err, "plan", copy, "--json", NULL);
  if (status != 0)
    g_error ("ngam-batch plan failed (%d): %s", status, err);
  cli_plan = json_parser_new ();
  g_assert_true (json_parser_load_from_data (cli_plan, out, -1, NULL));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = ngam_test_run_batch (&out, &err, "gaps", copy, "--hazard", "all", "--json", NULL);
  if (status != 0)
    g_error ("ngam-batch gaps failed (%d): %s", status, err);
  cli_gaps = json_parser_new ();
  g_assert_true (json_parser_load_from_data (cli_gaps, out, -1, NULL));

  window = ngam_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  g_object_set_data_full (G_OBJECT (window), "test-copy", g_strdup (copy), g_free);
  file = g_file_new_for_path (project);
  g_assert_true (ngam_window_open (window, file, &error));
  g_assert_no_error (error);
  g_signal_connect (ngam_window_get_plan_panel (window), "finished", G_CALLBACK (on_finished), NULL);
  gtk_window_present (GTK_WINDOW (window));
  gtk_stack_set_visible_child_name (window->sidebar_stack, "plan");
  wait_for_map (map ());

  g_test_add_func ("/plan/cancel", test_plan_cancel);
  g_test_add_func ("/plan/run", test_plan_run);
  g_test_add_func ("/plan/close-asks", test_close_asks);
  g_test_add_func ("/plan/by-method", test_plan_by_method);
  g_test_add_func ("/plan/scenario-editor", test_scenario_editor);
  g_test_add_func ("/plan/compare", test_compare);
  g_test_add_func ("/plan/gaps", test_gaps);
  g_test_add_func ("/plan/report", test_report);
  g_test_add_func ("/plan/labels", test_labels);
  g_test_add_func ("/plan/outside-change", test_outside_change);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  iterate_a_little ();
  g_clear_object (&cli_plan);
  g_clear_object (&cli_gaps);
  g_free (finished.job);
  g_clear_error (&finished.error);
  ngam_test_rmdir (dir);
  g_free (dir);
  g_free (project);
  return status;
}
