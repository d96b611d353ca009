/* ngam-compare-window.c — two scenarios' plans side by side on two linked maps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two scenarios chosen at the top; under them two maps of the project,
 * each with its scenario's last plan as a result layer, whose viewports
 * follow each other (pan or zoom one, the other shows the same ground);
 * the street edges one plan digs and the other does not, or digs by
 * another method, haloed on the map of the plan that digs them.  Under
 * the maps a table of the totals, the costs per operator, per phase and
 * per ward, A, B and B − A.  The comparison is the core's
 * (ngam_plan_compare(), as `ngam-batch compare`), computed on a worker
 * thread with a reader of its own; a scenario with no plan says so.
 */
#define G_LOG_DOMAIN "ngam-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "ngam-compare-window.h"
#include "ngam-plan.h"
#include "ngam-result-layer.h"
#include "ngam-result-table.h"

struct _NgamCompareWindow
{
  AdwWindow           parent_instance;

  NgamProject        *project;
  GtkStringList      *scenarios;
  GtkDropDown        *drops[2];
  GtkLabel           *titles[2];
  NgamMapView        *maps[2];
  NgamResultLayer    *layers[2];
  GtkColumnView      *table;
  GtkLabel           *status;
  GtkWidget          *save;
  AdwToastOverlay    *toasts;
  GCancellable       *cancellable;
  NgamPlanComparison *comparison;
  gboolean            loading;
  gboolean            syncing;
};

G_DEFINE_FINAL_TYPE (NgamCompareWindow, ngam_compare_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_loading (NgamCompareWindow *self,
             gboolean           loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* ---- the table ---------------------------------------------------------------------- */

static void
add_money_row (NgamCompareWindow *self,
               const char        *name,
               gint64             a,
               gint64             b)
{
  g_autofree char *x = ngam_format_vnd (a), *y = ngam_format_vnd (b), *d = ngam_format_vnd (b - a);
  g_autofree char *signed_d = b > a ? g_strconcat ("+", d, NULL) : g_strdup (d);

  ngam_result_table_add_row (self->table, name, x, y, signed_d, NULL);
}

static void
add_number_row (NgamCompareWindow *self,
                const char        *name,
                double             a,
                double             b,
                int                decimals)
{
  g_autofree char *x = ngam_format_number (a, decimals), *y = ngam_format_number (b, decimals);
  g_autofree char *d = ngam_format_number (b - a, decimals);
  g_autofree char *signed_d = b - a > 0 ? g_strconcat ("+", d, NULL) : g_strdup (d);

  ngam_result_table_add_row (self->table, name, x, y, signed_d, NULL);
}

typedef enum { ROWS_OPERATORS, ROWS_PHASES, ROWS_WARDS } RowsKind;

static void
add_rows (NgamCompareWindow *self,
          GPtrArray         *rows,
          RowsKind           kind)
{
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      const NgamPlanCompareRow *r = rows->pdata[i];
      g_autofree char *name = NULL;

      switch (kind)
        {
        case ROWS_OPERATORS:
          /* TRANSLATORS: a row of the comparison table: the cost of one operator */
          name = g_strdup_printf (_("Operator %s"), r->name);
          break;
        case ROWS_PHASES:
          /* TRANSLATORS: a row of the comparison table: the cost of one phase (a year) */
          name = g_strdup_printf (_("Phase %s"), r->name);
          break;
        case ROWS_WARDS:
        default:
          /* TRANSLATORS: a row of the comparison table: the cost of work in one ward */
          name = *r->name ? g_strdup_printf (_("Ward %s"), r->name) : g_strdup (_("Outside every ward"));
          break;
        }
      add_money_row (self, name, r->cost_a, r->cost_b);
    }
}

static void
show_comparison (NgamCompareWindow *self)
{
  const NgamPlanComparison *c = self->comparison;
  g_autoptr(GArray) in_a = NULL, in_b = NULL;
  g_autofree char *status = NULL, *la = NULL, *lb = NULL;

  ngam_result_table_clear (self->table);
  gtk_widget_set_sensitive (self->save, c != NULL);
  if (c == NULL)
    {
      for (int s = 0; s < 2; s++)
        {
          ngam_result_layer_set_runs (self->layers[s], 0, 0);
          ngam_result_layer_set_highlight (self->layers[s], NULL);
        }
      return;
    }
  add_money_row (self, _("Cost (VND)"), c->cost_vnd[0], c->cost_vnd[1]);
  add_number_row (self, _("Trench (m)"), c->trench_m[0], c->trench_m[1], 0);
  add_number_row (self, _("Aerial spans retired"), c->spans_retired[0], c->spans_retired[1], 0);
  add_number_row (self, _("Poles removed"), c->poles_removed[0], c->poles_removed[1], 0);
  add_number_row (self, _("Manholes"), c->manholes[0], c->manholes[1], 0);
  add_number_row (self, _("Handholes"), c->handholes[0], c->handholes[1], 0);
  add_rows (self, c->operators, ROWS_OPERATORS);
  add_rows (self, c->phases, ROWS_PHASES);
  add_rows (self, c->wards, ROWS_WARDS);

  /* Each map halos what its plan digs and the other's does not, and what
   * both dig by different methods. */
  in_a = g_array_copy (c->edges_only_a);
  g_array_append_vals (in_a, c->edges_other_method->data, c->edges_other_method->len);
  in_b = g_array_copy (c->edges_only_b);
  g_array_append_vals (in_b, c->edges_other_method->data, c->edges_other_method->len);
  ngam_result_layer_set_runs (self->layers[0], c->run_a, 0);
  ngam_result_layer_set_runs (self->layers[1], c->run_b, 0);
  ngam_result_layer_set_highlight (self->layers[0], in_a);
  ngam_result_layer_set_highlight (self->layers[1], in_b);

  la = ngam_format_number (c->length_only_a_m, 0);
  lb = ngam_format_number (c->length_only_b_m, 0);
  status = g_strdup_printf (_("Street edges dug only in “%s”: %u (%s m); only in “%s”: %u (%s m); "
                              "by another method: %u. They are marked in magenta."),
                            c->scenario_a, c->edges_only_a->len, la, c->scenario_b, c->edges_only_b->len, lb,
                            c->edges_other_method->len);
  gtk_label_set_text (self->status, status);
}

/* ---- comparing ---------------------------------------------------------------------- */

typedef struct
{
  NgamCompareWindow *window;   /* a reference */
  char              *a, *b;
} Job;

static void
job_free (Job *job)
{
  g_object_unref (job->window);
  g_free (job->a);
  g_free (job->b);
  g_free (job);
}

static gpointer
compare_plans (NgamStore    *store,
               gpointer      data,
               GCancellable *cancellable,
               GError      **error)
{
  Job *job = data;

  return ngam_plan_compare (store, job->a, job->b, error);
}

static void
compare_done (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Job *job = data;
  NgamCompareWindow *self = job->window;
  g_autoptr(GError) error = NULL;
  NgamPlanComparison *c = ngam_project_read_finish (NGAM_PROJECT (source), result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_object (&self->cancellable);
      g_clear_pointer (&self->comparison, ngam_plan_comparison_free);
      self->comparison = c;
      if (c == NULL)
        gtk_label_set_text (self->status, error->message);
      show_comparison (self);
      set_loading (self, FALSE);
    }
  job_free (job);
}

static const char *
scenario_at (NgamCompareWindow *self,
             int                side)
{
  guint i = gtk_drop_down_get_selected (self->drops[side]);

  if (i == GTK_INVALID_LIST_POSITION || i >= g_list_model_get_n_items (G_LIST_MODEL (self->scenarios)))
    return NULL;
  return gtk_string_list_get_string (self->scenarios, i);
}

static void
compare (NgamCompareWindow *self)
{
  Job *job;

  if (self->syncing || self->project == NULL || scenario_at (self, 0) == NULL || scenario_at (self, 1) == NULL)
    return;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  for (int s = 0; s < 2; s++)
    gtk_label_set_text (self->titles[s], scenario_at (self, s));
  gtk_label_set_text (self->status, _("Comparing…"));
  set_loading (self, TRUE);
  job = g_new0 (Job, 1);
  job->window = g_object_ref (self);
  job->a = g_strdup (scenario_at (self, 0));
  job->b = g_strdup (scenario_at (self, 1));
  ngam_project_read_async (self->project, compare_plans, job, NULL, (GDestroyNotify) ngam_plan_comparison_free,
                           self->cancellable, compare_done, job);
}

static guint
position_of (NgamCompareWindow *self,
             const char        *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->scenarios));

  for (guint i = 0; name != NULL && i < n; i++)
    if (g_str_equal (gtk_string_list_get_string (self->scenarios, i), name))
      return i;
  return GTK_INVALID_LIST_POSITION;
}

/* The scenarios kept in the project, the choices kept by name. */
static void
reload_scenarios (NgamCompareWindow *self)
{
  g_autoptr(GPtrArray) list = ngam_project_list_scenarios (self->project, NULL);
  char *keep[2] = { g_strdup (scenario_at (self, 0)), g_strdup (scenario_at (self, 1)) };
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  gboolean syncing = self->syncing;
  guint n;

  for (guint i = 0; list != NULL && i < list->len; i++)
    g_ptr_array_add (names, ((NgamScenarioInfo *) list->pdata[i])->name);
  g_ptr_array_add (names, NULL);
  self->syncing = TRUE;
  gtk_string_list_splice (self->scenarios, 0, g_list_model_get_n_items (G_LIST_MODEL (self->scenarios)),
                          (const char *const *) names->pdata);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->scenarios));
  for (int s = 0; s < 2; s++)
    {
      guint pos = position_of (self, keep[s]);

      if (pos == GTK_INVALID_LIST_POSITION && n > 0)
        pos = MIN ((guint) s, n - 1);
      gtk_drop_down_set_selected (self->drops[s], pos);
    }
  self->syncing = syncing;
  g_free (keep[0]);
  g_free (keep[1]);
}

static void
runs_changed (NgamProject       *project,
              const char        *job,
              NgamCompareWindow *self)
{
  if (job != NULL && !g_str_equal (job, "plan"))
    return;
  reload_scenarios (self);
  compare (self);
}

/* ---- the window --------------------------------------------------------------------- */

static void
ngam_compare_window_dispose (GObject *object)
{
  NgamCompareWindow *self = NGAM_COMPARE_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  for (int s = 0; s < 2; s++)
    if (self->maps[s] != NULL)
      {
        ngam_result_layer_set_project (self->layers[s], NULL);
        ngam_map_view_set_project (self->maps[s], NULL);
      }
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_clear_object (&self->project);
  g_clear_pointer (&self->comparison, ngam_plan_comparison_free);
  G_OBJECT_CLASS (ngam_compare_window_parent_class)->dispose (object);
  /* After the drop-downs, which hold it too, are gone. */
  g_clear_object (&self->scenarios);
}

static void
ngam_compare_window_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  NgamCompareWindow *self = NGAM_COMPARE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ngam_compare_window_class_init (NgamCompareWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ngam_compare_window_dispose;
  object_class->get_property = ngam_compare_window_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, "A comparison is being computed", FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static GtkWidget *
map_column (NgamCompareWindow *self,
            int                side)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *frame = gtk_frame_new (NULL);

  self->titles[side] = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->titles[side]), "heading");
  gtk_widget_set_margin_top (GTK_WIDGET (self->titles[side]), 4);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->titles[side]), 4);
  self->maps[side] = NGAM_MAP_VIEW (ngam_map_view_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->maps[side]), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->maps[side]), TRUE);
  self->layers[side] = ngam_result_layer_new (self->maps[side]);
  gtk_frame_set_child (GTK_FRAME (frame), GTK_WIDGET (self->maps[side]));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->titles[side]));
  gtk_box_append (GTK_BOX (box), frame);
  return box;
}

/* ---- saving ------------------------------------------------------------------------ */

/**
 * ngam_compare_window_save:
 * @file: where, replaced whole or not at all
 *
 * Writes the comparison shown: as one CSV table
 * (ngam_plan_comparison_to_csv(), what `ngam-batch compare --csv` prints)
 * when @file's name ends in `.csv`, for a spreadsheet; otherwise as
 * `ngam-batch compare --json` prints it (ngam_plan_comparison_to_json()),
 * for a script or the record.
 *
 * Returns: TRUE when written; FALSE with @error set (and the file as it
 *   was) when there is no comparison yet or it cannot be written.
 */
gboolean
ngam_compare_window_save (NgamCompareWindow  *self,
                          GFile              *file,
                          GError            **error)
{
  g_autofree char *data = NULL, *base = NULL, *lower = NULL;

  g_return_val_if_fail (NGAM_IS_COMPARE_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (self->comparison == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("There is no comparison to save yet."));
      return FALSE;
    }
  base = g_file_get_basename (file);
  lower = g_ascii_strdown (base != NULL ? base : "", -1);
  if (g_str_has_suffix (lower, ".csv"))
    data = ngam_plan_comparison_to_csv (self->comparison);
  else
    {
      g_autoptr(JsonNode) root = ngam_plan_comparison_to_json (self->comparison);
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autofree char *text = NULL;

      json_generator_set_pretty (gen, TRUE);
      json_generator_set_root (gen, root);
      text = json_generator_to_data (gen, NULL);
      data = g_strconcat (text, "\n", NULL);
    }
  /* a new file beside the old one, renamed over it once whole */
  return g_file_replace_contents (file, data, strlen (data), NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, error);
}

/* The two formats the comparison is saved in, chosen by the name's end. */
static GtkFileFilter *
format_filter (gboolean csv)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, csv ? _("CSV table (.csv)") : _("JSON (.json)"));
  gtk_file_filter_add_suffix (filter, csv ? "csv" : "json");
  return filter;
}

static void
save_to (NgamCompareWindow *self,
         GFile             *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *message = NULL;

  if (ngam_compare_window_save (self, file, &error))
    message = g_strdup_printf (_("Comparison saved to %s"), name);
  else
    message = g_strdup_printf (_("Could not save the comparison: %s"), error->message);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

static char *
suggested_name (NgamCompareWindow *self)
{
  char *name = g_strdup_printf ("%s – %s.json", self->comparison->scenario_a, self->comparison->scenario_b);

  g_strdelimit (name, "/\\", '-');
  return name;
}

#if GTK_CHECK_VERSION (4, 10, 0)

static void
save_dialog_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(NgamCompareWindow) self = user_data;
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, NULL);

  if (file != NULL)
    save_to (self, file);
}

static void
show_save_dialog (NgamCompareWindow *self)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autofree char *name = NULL;

  if (self->comparison == NULL)
    return;
  name = suggested_name (self);
  {
    g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
    g_autoptr(GtkFileFilter) json = format_filter (FALSE), csv = format_filter (TRUE);

    g_list_store_append (filters, json);
    g_list_store_append (filters, csv);
    gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
  }
  gtk_file_dialog_set_title (dialog, _("Save Comparison"));
  gtk_file_dialog_set_initial_name (dialog, name);
  gtk_file_dialog_save (dialog, GTK_WINDOW (self), NULL, save_dialog_done, g_object_ref (self));
}

#else /* GTK 4.8 */

static void
save_chooser_response (GtkNativeDialog   *chooser,
                       int                response,
                       NgamCompareWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        save_to (self, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
show_save_dialog (NgamCompareWindow *self)
{
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;

  if (self->comparison == NULL)
    return;
  name = suggested_name (self);
  chooser = gtk_file_chooser_native_new (_("Save Comparison"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  {
    g_autoptr(GtkFileFilter) json = format_filter (FALSE), csv = format_filter (TRUE);

    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), json);
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (save_chooser_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

#endif

static gboolean
save_shortcut (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  show_save_dialog (NGAM_COMPARE_WINDOW (widget));
  return TRUE;
}

static void
ngam_compare_window_init (NgamCompareWindow *self)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *choose = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *maps = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_VERTICAL);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  const char *titles[] = { _("Figure"), "A", "B", _("B − A"), NULL };
  const char *labels[2] = { N_("Scenario A"), N_("Scenario B") };

  gtk_window_set_title (GTK_WINDOW (self), _("Compare Scenarios"));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (_("Compare Scenarios"), NULL));
  self->save = gtk_button_new_from_icon_name ("document-save-symbolic");
  gtk_widget_set_tooltip_text (self->save, _("Save the Comparison as JSON (Ctrl+S)"));
  gtk_widget_set_sensitive (self->save, FALSE);
  g_signal_connect_swapped (self->save, "clicked", G_CALLBACK (show_save_dialog), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->save);
  {
    GtkEventController *keys = gtk_shortcut_controller_new ();

    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                          gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>s"),
                                                            gtk_callback_action_new (save_shortcut, NULL, NULL)));
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
  }
  gtk_box_append (GTK_BOX (toolbar), header);

  self->scenarios = gtk_string_list_new (NULL);
  gtk_widget_set_halign (choose, GTK_ALIGN_CENTER);
  for (int s = 0; s < 2; s++)
    {
      GtkWidget *label = gtk_label_new (_(labels[s]));

      self->drops[s] = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->scenarios)), NULL));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->drops[s]), _(labels[s]));
      g_signal_connect_swapped (self->drops[s], "notify::selected", G_CALLBACK (compare), self);
      gtk_box_append (GTK_BOX (choose), label);
      gtk_box_append (GTK_BOX (choose), GTK_WIDGET (self->drops[s]));
      gtk_widget_set_margin_end (GTK_WIDGET (self->drops[s]), 18);
    }
  gtk_widget_set_margin_top (content, 6);
  gtk_widget_set_margin_start (content, 6);
  gtk_widget_set_margin_end (content, 6);
  gtk_widget_set_margin_bottom (content, 6);
  gtk_widget_set_vexpand (content, TRUE);
  gtk_box_append (GTK_BOX (content), choose);

  gtk_box_set_homogeneous (GTK_BOX (maps), TRUE);
  gtk_box_append (GTK_BOX (maps), map_column (self, 0));
  gtk_box_append (GTK_BOX (maps), map_column (self, 1));
  /* One ground under both maps: each viewport follows the other. */
  {
    const char *props[] = { "center-x", "center-y", "scale" };

    for (guint i = 0; i < G_N_ELEMENTS (props); i++)
      g_object_bind_property (ngam_map_view_get_viewport (self->maps[0]), props[i],
                              ngam_map_view_get_viewport (self->maps[1]), props[i],
                              G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  }

  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->status, TRUE);
  gtk_label_set_xalign (self->status, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "dim-label");
  self->table = ngam_result_table_new (titles, 0x2 | 0x4 | 0x8);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->table));
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 120);
  {
    GtkWidget *bottom = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

    gtk_box_append (GTK_BOX (bottom), GTK_WIDGET (self->status));
    gtk_widget_set_vexpand (scrolled, TRUE);
    gtk_box_append (GTK_BOX (bottom), scrolled);
    gtk_paned_set_start_child (GTK_PANED (paned), maps);
    gtk_paned_set_end_child (GTK_PANED (paned), bottom);
    gtk_paned_set_resize_end_child (GTK_PANED (paned), FALSE);
    gtk_paned_set_shrink_end_child (GTK_PANED (paned), FALSE);
  }
  gtk_widget_set_vexpand (paned, TRUE);
  gtk_box_append (GTK_BOX (content), paned);
  gtk_box_append (GTK_BOX (toolbar), content);
  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toasts, toolbar);
  adw_window_set_content (ADW_WINDOW (self), GTK_WIDGET (self->toasts));
}

/**
 * ngam_compare_window_new:
 * @scenario_a: (nullable): the first scenario shown, or the project's first
 * @scenario_b: (nullable): the second, or the project's next
 */
NgamCompareWindow *
ngam_compare_window_new (GtkWindow   *parent,
                         NgamProject *project,
                         const char  *scenario_a,
                         const char  *scenario_b)
{
  NgamCompareWindow *self = g_object_new (NGAM_TYPE_COMPARE_WINDOW, "default-width", 1100,
                                          "default-height", 760, NULL);
  double extent[4];

  g_return_val_if_fail (NGAM_IS_PROJECT (project), NULL);

  if (parent)
    gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  self->project = g_object_ref (project);
  for (int s = 0; s < 2; s++)
    {
      ngam_map_view_set_project (self->maps[s], project);
      ngam_result_layer_set_project (self->layers[s], project);
    }
  if (ngam_project_get_extent (project, extent))
    ngam_map_view_zoom_to_bbox (self->maps[0], extent);
  g_signal_connect (project, "runs-changed", G_CALLBACK (runs_changed), self);
  reload_scenarios (self);
  ngam_compare_window_set_scenarios (self, scenario_a, scenario_b);
  return self;
}

/**
 * ngam_compare_window_set_scenarios:
 * @a: (nullable): the scenario of the left map (NULL: keep it, or the first)
 * @b: (nullable): the scenario of the right map (NULL: keep it, or
 *   another than @a)
 *
 * Returns: whether both were found among the project's scenarios.
 */
gboolean
ngam_compare_window_set_scenarios (NgamCompareWindow *self,
                                   const char        *a,
                                   const char        *b)
{
  const char *want[2] = { a, b };
  guint pos[2];
  gboolean found = TRUE, syncing = self->syncing;

  g_return_val_if_fail (NGAM_IS_COMPARE_WINDOW (self), FALSE);

  /* A scenario saved since the list was read (the editor's): read it again. */
  if ((a != NULL && position_of (self, a) == GTK_INVALID_LIST_POSITION) ||
      (b != NULL && position_of (self, b) == GTK_INVALID_LIST_POSITION))
    reload_scenarios (self);
  for (int s = 0; s < 2; s++)
    {
      pos[s] = position_of (self, want[s]);
      if (pos[s] == GTK_INVALID_LIST_POSITION)
        {
          found = found && want[s] == NULL;
          pos[s] = gtk_drop_down_get_selected (self->drops[s]);
        }
    }
  /* One comparison for the two choices, not one for each. */
  self->syncing = TRUE;
  for (int s = 0; s < 2; s++)
    gtk_drop_down_set_selected (self->drops[s], pos[s]);
  self->syncing = syncing;
  compare (self);
  return found;
}

/* Returns: (transfer none) (nullable): the comparison shown, NULL while
 * computing or when one of the scenarios has no plan. */
const NgamPlanComparison *
ngam_compare_window_get_comparison (NgamCompareWindow *self)
{
  g_return_val_if_fail (NGAM_IS_COMPARE_WINDOW (self), NULL);
  return self->loading ? NULL : self->comparison;
}

gboolean
ngam_compare_window_get_loading (NgamCompareWindow *self)
{
  g_return_val_if_fail (NGAM_IS_COMPARE_WINDOW (self), FALSE);
  return self->loading;
}

/* Returns: (transfer none): the map of side 0 (A) or 1 (B). */
NgamMapView *
ngam_compare_window_get_map (NgamCompareWindow *self,
                             int                side)
{
  g_return_val_if_fail (NGAM_IS_COMPARE_WINDOW (self), NULL);
  g_return_val_if_fail (side == 0 || side == 1, NULL);
  return self->maps[side];
}

NgamResultLayer *
ngam_compare_window_get_result_layer (NgamCompareWindow *self,
                                      int                side)
{
  g_return_val_if_fail (NGAM_IS_COMPARE_WINDOW (self), NULL);
  g_return_val_if_fail (side == 0 || side == 1, NULL);
  return self->layers[side];
}

GtkColumnView *
ngam_compare_window_get_table (NgamCompareWindow *self)
{
  g_return_val_if_fail (NGAM_IS_COMPARE_WINDOW (self), NULL);
  return self->table;
}

GtkLabel *
ngam_compare_window_get_status (NgamCompareWindow *self)
{
  g_return_val_if_fail (NGAM_IS_COMPARE_WINDOW (self), NULL);
  return self->status;
}
