/* ngam-window.c — a project's main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window holds one NgamProject (core/project), which owns the main
 * thread's connection and announces every change; the layer list, the map
 * view (which reads on worker threads through connections of its own), its
 * edit layer and the inspector all listen to it.  The layer list's
 * "visible-layers" is bound to the map view's and to GSettings, so the
 * three always agree.  The project is opened on a worker thread
 * (ngam_window_open_async()); ngam_window_open() is the same, waited for.
 */
#define G_LOG_DOMAIN "ngam-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ngam-application.h"
#include "ngam-import-dialog.h"
#include "ngam-render.h"
#include "ngam-window-private.h"

G_DEFINE_FINAL_TYPE (NgamWindow, ngam_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SHOW_LABELS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One CSS pixel is 1/96 inch, as the scale ratio on screen assumes. */
#define METRES_PER_CSS_PIXEL (0.0254 / 96)

/* ---- settings mapping ---------------------------------------------------- */

/* The visible layers are kept as names in GSettings, so a new layer kind
 * or a reordering never scrambles what people chose. */
static gboolean
layers_from_setting (GValue   *value,
                     GVariant *variant,
                     gpointer  data)
{
  g_autofree const char **names = g_variant_get_strv (variant, NULL);
  guint mask = 0;

  for (guint i = 0; names[i] != NULL; i++)
    {
      NgamLayerKind kind;

      if (ngam_layer_kind_from_name (names[i], &kind))
        mask |= NGAM_RENDER_LAYER (kind);
    }
  g_value_set_uint (value, mask);
  return TRUE;
}

static GVariant *
layers_to_setting (const GValue       *value,
                   const GVariantType *type,
                   gpointer            data)
{
  guint mask = g_value_get_uint (value);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    if (mask & NGAM_RENDER_LAYER (k))
      g_ptr_array_add (names, (gpointer) ngam_layer_info (k)->name);
  return g_variant_new_strv ((const char * const *) names->pdata, names->len);
}

/* ---- status ------------------------------------------------------------------ */

/* "1 234 567.8" with thin spaces, as surveyors write coordinates. */
static char *
format_metres (double v)
{
  char raw[G_ASCII_DTOSTR_BUF_SIZE];
  g_autoptr(GString) s = g_string_new (v < 0 ? "−" : "");
  const char *dot = strchr (g_ascii_formatd (raw, sizeof raw, "%.1f", fabs (v)), '.');
  gsize int_len = dot ? (gsize) (dot - raw) : strlen (raw);

  for (gsize i = 0; i < int_len; i++)
    {
      if (i > 0 && (int_len - i) % 3 == 0)
        g_string_append (s, "\u2009");
      g_string_append_c (s, raw[i]);
    }
  if (dot)
    g_string_append (s, dot);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
pointer_moved (NgamMapView *map,
               gboolean     inside,
               double       x,
               double       y,
               NgamWindow  *self)
{
  g_autofree char *e = NULL, *n = NULL, *text = NULL;
  double ll[2] = { x, y };

  if (!inside)
    {
      gtk_label_set_text (self->position_label, "");
      return;
    }
  e = format_metres (x);
  n = format_metres (y);
  if (self->to_lonlat != NULL && ngam_transform_points (self->to_lonlat, ll, 1, NULL))
    {
      char lat[G_ASCII_DTOSTR_BUF_SIZE], lon[G_ASCII_DTOSTR_BUF_SIZE];

      /* one decimal point for both, whatever the locale (format_metres()) */
      text = g_strdup_printf ("E %s  N %s   %s° %s  %s° %s", e, n,
                              g_ascii_formatd (lat, sizeof lat, "%.5f", fabs (ll[1])), ll[1] >= 0 ? "N" : "S",
                              g_ascii_formatd (lon, sizeof lon, "%.5f", fabs (ll[0])), ll[0] >= 0 ? "E" : "W");
    }
  else
    text = g_strdup_printf ("E %s  N %s", e, n);
  gtk_label_set_text (self->position_label, text);
}

static void
scale_changed (NgamViewport *viewport,
               GParamSpec   *pspec,
               NgamWindow   *self)
{
  double ratio = ngam_viewport_get_scale (viewport) / METRES_PER_CSS_PIXEL;
  double p = pow (10, floor (log10 (ratio)) - 1);
  g_autofree char *rounded = NULL, *text = NULL;
  g_autoptr(GString) s = g_string_new (NULL);

  /* Two significant digits: 1:4 700, 1:120 000. */
  rounded = g_strdup_printf ("%.0f", MAX (1, round (ratio / p) * p));
  for (gsize i = 0, len = strlen (rounded); i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (s, "\u2009");
      g_string_append_c (s, rounded[i]);
    }
  text = g_strdup_printf ("1:%s", s->str);
  gtk_label_set_text (self->scale_label, text);
}

static void
render_failed (NgamMapView  *map,
               const GError *error,
               NgamWindow   *self)
{
  ngam_window_toast (self, error->message);
}

/* ---- the title ------------------------------------------------------------------ */

/**
 * ngam_window_folder_label:
 * @dir: an absolute folder
 * @home: the home folder
 *
 * The folder as GNOME apps name it under a file's name: `~` for the home
 * folder, `~/Projects/Huế` below it, and elsewhere only the folder's own
 * name (`/media/usb/Huế` → `Huế`): the full path of a USB stick or a
 * temporary folder says nothing a planner needs.
 *
 * Returns: (transfer full): the label.
 */
char *
ngam_window_folder_label (const char *dir,
                          const char *home)
{
  gsize home_len = home ? strlen (home) : 0;

  /* "/home/anna" and "/home/anna/" are the same folder. */
  while (home_len > 1 && home[home_len - 1] == G_DIR_SEPARATOR)
    home_len--;
  if (home_len > 1 && strncmp (dir, home, home_len) == 0)
    {
      if (dir[home_len] == '\0')
        return g_strdup ("~");
      if (dir[home_len] == G_DIR_SEPARATOR)
        return g_strconcat ("~", dir + home_len, NULL);
    }
  return g_path_get_basename (dir);
}

/* ---- the window ---------------------------------------------------------------- */

static void
close_project (NgamWindow *self)
{
  if (self->scenario_editor)
    gtk_window_destroy (GTK_WINDOW (self->scenario_editor));
  if (self->report_dialog)
    gtk_window_destroy (GTK_WINDOW (self->report_dialog));
  if (self->compare_window)
    gtk_window_destroy (GTK_WINDOW (self->compare_window));
  if (self->plan_panel)
    ngam_plan_panel_set_project (self->plan_panel, NULL, NULL);
  if (self->result_layer)
    ngam_result_layer_set_project (self->result_layer, NULL);
  if (self->project)
    ngam_project_watch_outside (self->project, 0);
  ngam_map_view_set_project (self->map_view, NULL);
  if (self->edit_layer)
    ngam_edit_layer_set_project (self->edit_layer, NULL);
  ngam_inspector_set_project (self->inspector, NULL);
  ngam_attribute_table_set_project (self->attribute_table, NULL, NULL);
  if (self->project)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_clear_pointer (&self->to_lonlat, ngam_transform_free);
  g_cancellable_cancel (self->legend_cancellable);
  g_clear_object (&self->legend_cancellable);
  g_clear_handle_id (&self->legend_source, g_source_remove);
  g_clear_object (&self->project);
  g_clear_object (&self->file);
}

static void
close_anyway_response (GObject    *dialog,
                       const char *response,
                       NgamWindow *self)
{
  if (g_strcmp0 (response, "stop") != 0)
    return;
  /* The import rolls back; the window closes once it has. */
  if (self->import_dialog != NULL &&
      ngam_import_dialog_get_cancellable (NGAM_IMPORT_DIALOG (self->import_dialog)) != NULL)
    g_cancellable_cancel (ngam_import_dialog_get_cancellable (NGAM_IMPORT_DIALOG (self->import_dialog)));
  if (self->plan_panel != NULL)
    ngam_plan_panel_cancel (self->plan_panel);
  g_object_set_data (G_OBJECT (self), "ngam-close-when-idle", GINT_TO_POINTER (1));
}

static gboolean
ngam_window_close_request (GtkWindow *window)
{
  NgamWindow *self = NGAM_WINDOW (window);

  /* Nothing is lost: a job still writing is asked about first. */
  if (self->project != NULL && ngam_project_get_busy (self->project))
    {
      gboolean job = self->plan_panel != NULL && ngam_plan_panel_get_running (self->plan_panel);
      const char *heading = job ? _("Stop the Analysis?") : _("Stop the Import?");
      const char *body = job ? _("A plan or a gaps analysis is writing to the project. Stopping it "
                                 "leaves the project as it was before.")
                             : _("An import is writing to the project. Stopping it "
                                 "leaves the project as it was before the import.");
      const char *keep = job ? _("_Keep Working") : _("_Keep Importing");
#if ADW_CHECK_VERSION (1, 5, 0)
      AdwDialog *dialog = adw_alert_dialog_new (heading, body);

      adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog), "keep", keep, "stop", _("_Stop and Close"), NULL);
      adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "stop", ADW_RESPONSE_DESTRUCTIVE);
      g_signal_connect (dialog, "response", G_CALLBACK (close_anyway_response), self);
      adw_dialog_present (dialog, GTK_WIDGET (window));
#else
      GtkWidget *dialog = adw_message_dialog_new (window, heading, body);

      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "keep", keep, "stop", _("_Stop and Close"), NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "stop", ADW_RESPONSE_DESTRUCTIVE);
      g_signal_connect (dialog, "response", G_CALLBACK (close_anyway_response), self);
      gtk_window_present (GTK_WINDOW (dialog));
#endif
      return TRUE;
    }

  if (self->settings != NULL)
    {
      int w, h;

      gtk_window_get_default_size (window, &w, &h);
      g_settings_set (self->settings, "window-size", "(ii)", w, h);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
    }
  return GTK_WINDOW_CLASS (ngam_window_parent_class)->close_request (window);
}

static gboolean on_drop (GtkDropTarget *target, const GValue *value, double x, double y, NgamWindow *self);
static void style_changed (NgamLayerList *list, NgamWindow *self);

static void
selection_changed (NgamEditLayer *layer,
                   NgamWindow    *self)
{
  guint n;
  const NgamFeatureRef *refs = ngam_edit_layer_get_selection (layer, &n);

  ngam_inspector_show (self->inspector, refs, n);
  if (n > 0)
    gtk_stack_set_visible_child_name (self->sidebar_stack, "feature");
  ngam_window_update_actions (self);
}

static void
edit_failed (GObject      *source,
             const GError *error,
             NgamWindow   *self)
{
  ngam_window_toast (self, error->message);
}

static void
job_finished (NgamPlanPanel *panel,
              const char    *job,
              const GError  *error,
              NgamWindow    *self)
{
  if (error == NULL)
    ngam_window_toast (self, g_str_equal (job, "plan") ? _("The plan is kept in the project")
                                                       : _("The coverage gaps are kept in the project"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
           !g_error_matches (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_CANCELLED) &&
           !g_error_matches (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_CANCELLED))
    ngam_window_show_error (self, g_str_equal (job, "plan") ? _("Cannot Plan") : _("Cannot Find the Gaps"),
                            error);
  ngam_window_update_actions (self);
}

static void
ngam_window_dispose (GObject *object)
{
  NgamWindow *self = NGAM_WINDOW (object);

  if (self->open_cancellable)
    g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
  if (self->import_dialog)
    gtk_window_destroy (GTK_WINDOW (self->import_dialog));
  if (self->scenario_editor)
    gtk_window_destroy (GTK_WINDOW (self->scenario_editor));
  if (self->report_dialog)
    gtk_window_destroy (GTK_WINDOW (self->report_dialog));
  if (self->compare_window)
    gtk_window_destroy (GTK_WINDOW (self->compare_window));
  g_clear_object (&self->job_cancellable);
  if (self->map_view != NULL)
    close_project (self);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), NGAM_TYPE_WINDOW);
  G_OBJECT_CLASS (ngam_window_parent_class)->dispose (object);
}

/* Street names are kept as the project's style of the layer "labels". */
static void
set_show_labels (NgamWindow *self,
                 gboolean    show)
{
  show = !!show;
  if (ngam_result_layer_get_labels (self->result_layer) == show)
    return;
  ngam_result_layer_set_labels (self->result_layer, show);
  if (self->project != NULL && !ngam_project_is_read_only (self->project) && !ngam_project_get_busy (self->project))
    {
      g_autoptr(GError) error = NULL;

      if (!ngam_project_set_style (self->project, "labels", show ? "[style]\nvisible=true\n" : NULL, &error))
        ngam_window_toast (self, error->message);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_LABELS]);
}

static void
ngam_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  NgamWindow *self = NGAM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SHOW_LABELS:
      g_value_set_boolean (value, self->result_layer && ngam_result_layer_get_labels (self->result_layer));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ngam_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  NgamWindow *self = NGAM_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SHOW_LABELS:
      set_show_labels (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ngam_window_class_init (NgamWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ngam_window_dispose;
  object_class->get_property = ngam_window_get_property;
  object_class->set_property = ngam_window_set_property;
  window_class->close_request = ngam_window_close_request;

  properties[PROP_SHOW_LABELS] =
    g_param_spec_boolean ("show-labels", NULL, "Whether street names are drawn on the map", FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (NGAM_TYPE_MAP_VIEW);
  g_type_ensure (NGAM_TYPE_LAYER_LIST);
  g_type_ensure (NGAM_TYPE_INSPECTOR);
  g_type_ensure (NGAM_TYPE_ATTRIBUTE_TABLE);
  g_type_ensure (NGAM_TYPE_PLAN_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/ngam/Ngam/ngam-window.ui");
  gtk_widget_class_bind_template_child (widget_class, NgamWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, NgamWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, NgamWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, NgamWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, NgamWindow, layer_list);
  gtk_widget_class_bind_template_child (widget_class, NgamWindow, map_view);
  gtk_widget_class_bind_template_child (widget_class, NgamWindow, position_label);
  gtk_widget_class_bind_template_child (widget_class, NgamWindow, scale_label);
  gtk_widget_class_bind_template_child (widget_class, NgamWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, NgamWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, NgamWindow, attribute_table);
  gtk_widget_class_bind_template_child (widget_class, NgamWindow, table_button);
  gtk_widget_class_bind_template_child (widget_class, NgamWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, NgamWindow, plan_panel);

  ngam_window_class_init_actions (widget_class);
  gtk_widget_class_install_property_action (widget_class, "win.show-labels", "show-labels");
}

static void
ngam_window_init (NgamWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Results under the edit overlay: the selection stays on top. */
  self->result_layer = ngam_result_layer_new (self->map_view);
  self->edit_layer = ngam_edit_layer_new (self->map_view);
  g_signal_connect (self->plan_panel, "finished", G_CALLBACK (job_finished), self);
  g_signal_connect (self->edit_layer, "selection-changed", G_CALLBACK (selection_changed), self);
  g_signal_connect (self->edit_layer, "failed", G_CALLBACK (edit_failed), self);
  g_signal_connect (self->inspector, "failed", G_CALLBACK (edit_failed), self);
  g_signal_connect (self->layer_list, "style-changed", G_CALLBACK (style_changed), self);
  {
    GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

    g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  }

  g_object_bind_property (self->layer_list, "visible-layers", self->map_view, "visible-layers",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect (self->map_view, "pointer-moved", G_CALLBACK (pointer_moved), self);
  g_signal_connect (self->map_view, "render-failed", G_CALLBACK (render_failed), self);
  g_signal_connect_object (ngam_map_view_get_viewport (self->map_view), "notify::scale",
                           G_CALLBACK (scale_changed), self, 0);
  scale_changed (ngam_map_view_get_viewport (self->map_view), NULL, self);

  self->settings = ngam_settings_new ();
  if (self->settings != NULL)
    {
      int w, h;

      g_settings_get (self->settings, "window-size", "(ii)", &w, &h);
      gtk_window_set_default_size (GTK_WINDOW (self), w, h);
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      g_settings_bind_with_mapping (self->settings, "visible-layers",
                                    self->layer_list, "visible-layers", G_SETTINGS_BIND_DEFAULT,
                                    layers_from_setting, layers_to_setting, NULL, NULL);
      g_settings_bind (self->settings, "show-sidebar", self->sidebar_button, "active",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "snap-tolerance", self->edit_layer, "snap-tolerance",
                       G_SETTINGS_BIND_GET);
    }
  ngam_window_init_actions (self);
  ngam_window_update_actions (self);
}

NgamWindow *
ngam_window_new (GtkApplication *application)
{
  return g_object_new (NGAM_TYPE_WINDOW, "application", application, NULL);
}

static void
counts_changed (NgamProject *project,
                NgamWindow  *self)
{
  gint64 counts[NGAM_N_LAYERS];

  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    counts[k] = ngam_project_get_count (project, k);
  ngam_layer_list_set_counts (self->layer_list, counts);
}

static void
undo_state_changed (NgamProject *project,
                    GParamSpec  *pspec,
                    NgamWindow  *self)
{
  ngam_window_update_actions (self);
  /* Asked to close while an import ran: now it has rolled back. */
  if (!ngam_project_get_busy (project) && g_object_get_data (G_OBJECT (self), "ngam-close-when-idle"))
    gtk_window_close (GTK_WINDOW (self));
}

static void
import_finished (NgamImportDialog *dialog,
                 NgamWindow       *self)
{
  const NgamImportReport *r = ngam_import_dialog_get_report (dialog);
  double extent[4];

  if (r != NULL)
    {
      g_autofree char *added = g_strdup_printf ("%" G_GINT64_FORMAT, r->added);
      g_autofree char *updated = g_strdup_printf ("%" G_GINT64_FORMAT, r->updated);
      g_autofree char *text = g_strdup_printf (_("%s: %s added, %s updated"), r->kind, added, updated);

      ngam_window_toast (self, text);
      /* A first import into an empty project: show it. */
      if (r->added > 0 && self->project && ngam_project_get_extent (self->project, extent) &&
          ngam_project_get_count (self->project, NGAM_LAYER_POLES) <= 0)
        ngam_map_view_zoom_to_bbox (self->map_view, extent);
    }
  ngam_window_update_actions (self);
}

/**
 * ngam_window_import:
 * @files: (array length=n_files): files to start with (may be empty)
 *
 * Opens the import dialog on the project shown.
 */
void
ngam_window_import (NgamWindow  *self,
                    GFile      **files,
                    guint        n_files)
{
  NgamImportDialog *dialog;

  if (self->project == NULL || ngam_project_is_read_only (self->project))
    {
      g_autofree char *why = self->project ? ngam_project_dup_read_only_message (self->project) : NULL;

      ngam_window_toast (self, why ? why : _("Open a project to import into"));
      return;
    }
  if (self->import_dialog != NULL)
    {
      for (guint i = 0; i < n_files; i++)
        ngam_import_dialog_add_file (NGAM_IMPORT_DIALOG (self->import_dialog), files[i]);
      gtk_window_present (GTK_WINDOW (self->import_dialog));
      return;
    }
  dialog = ngam_import_dialog_new (GTK_WINDOW (self), self->project);
  self->import_dialog = GTK_WIDGET (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->import_dialog);
  g_signal_connect_object (dialog, "finished", G_CALLBACK (import_finished), self, 0);
  for (guint i = 0; i < n_files; i++)
    ngam_import_dialog_add_file (dialog, files[i]);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Files dropped on the window: a project opens, anything else is offered
 * to the import dialog. */
static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         NgamWindow    *self)
{
  GSList *list = g_value_get_boxed (value);
  g_autoptr(GPtrArray) to_import = g_ptr_array_new ();

  for (GSList *l = list; l != NULL; l = l->next)
    {
      g_autofree char *name = g_file_get_basename (l->data);

      if (name && g_str_has_suffix (name, ".ngam"))
        {
          ngam_window_open_async (self, l->data, NULL, NULL);
          return TRUE;
        }
      g_ptr_array_add (to_import, l->data);
    }
  ngam_window_import (self, (GFile **) to_import->pdata, to_import->len);
  return TRUE;
}

/* ---- the legends of layers coloured by a field -------------------------------------- */

typedef struct
{
  NgamWindow   *window;   /* a reference */
  NgamProject  *project;
  NgamLayerKind kind;
  char         *field;
} CountJob;

static void
count_job_free (CountJob *job)
{
  g_object_unref (job->window);
  g_object_unref (job->project);
  g_free (job->field);
  g_free (job);
}

static gpointer
count_values (NgamStore    *store,
              gpointer      data,
              GCancellable *cancellable,
              GError      **error)
{
  CountJob *job = data;

  return ngam_render_style_count_categories (store, job->kind, job->field, cancellable, error);
}

static void
count_done (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  CountJob *job = data;
  NgamWindow *self = job->window;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cats = ngam_project_read_finish (NGAM_PROJECT (source), result, &error);

  /* A legend of another project, or of a field since changed, is dropped. */
  if (cats == NULL || job->project != self->project ||
      g_strcmp0 (job->field, ngam_layer_list_get_colour_by (self->layer_list, job->kind)) != 0)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("cannot count the values of %s.%s: %s", ngam_layer_info (job->kind)->name, job->field,
                   error->message);
    }
  else
    ngam_layer_list_set_categories (self->layer_list, job->kind, cats);
  count_job_free (job);
}

/* Counts the categories of every layer coloured by a field, on a worker
 * thread, and shows them as the layers' legends. */
static void
refresh_legends (NgamWindow *self)
{
  g_cancellable_cancel (self->legend_cancellable);
  g_clear_object (&self->legend_cancellable);
  if (self->project == NULL)
    return;
  self->legend_cancellable = g_cancellable_new ();
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      const char *field = ngam_layer_list_get_colour_by (self->layer_list, k);
      CountJob *job;

      if (field == NULL)
        {
          ngam_layer_list_set_categories (self->layer_list, k, NULL);
          continue;
        }
      job = g_new0 (CountJob, 1);
      job->window = g_object_ref (self);
      job->project = g_object_ref (self->project);
      job->kind = k;
      job->field = g_strdup (field);
      ngam_project_read_async (self->project, count_values, job, NULL, (GDestroyNotify) g_ptr_array_unref,
                               self->legend_cancellable, count_done, job);
    }
}

static gboolean
refresh_legends_later (gpointer data)
{
  NgamWindow *self = data;

  self->legend_source = 0;
  refresh_legends (self);
  return G_SOURCE_REMOVE;
}

/* An edit or an import may change a coloured layer's values: count them
 * again once the edits pause. */
static void
legend_project_changed (NgamProject  *project,
                        int           kind,
                        const double *bbox,
                        NgamWindow   *self)
{
  if (kind >= 0 && ngam_layer_list_get_colour_by (self->layer_list, kind) == NULL)
    return;
  if (self->legend_source == 0)
    self->legend_source = g_timeout_add (300, refresh_legends_later, self);
}

/* The layers' order and opacities as the project keeps them: a
 * [style] group per layer with position (0 at the bottom), opacity,
 * colour-by (the field colouring it, when not its usual look) and labels
 * (the field written beside its features). */
static void
load_styles (NgamWindow *self)
{
  NgamLayerKind order[NGAM_N_LAYERS];
  int position[NGAM_N_LAYERS];
  gboolean all = TRUE;

  memcpy (order, ngam_render_draw_order (), sizeof order);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      g_autofree char *text = ngam_project_dup_style (self->project, ngam_layer_info (k)->name);
      g_autoptr(GKeyFile) kf = g_key_file_new ();
      g_autoptr(GError) error = NULL;
      double opacity = 1.0;

      position[k] = -1;
      if (text != NULL && g_key_file_load_from_data (kf, text, -1, G_KEY_FILE_NONE, NULL))
        {
          opacity = g_key_file_get_double (kf, "style", "opacity", &error);
          if (error != NULL || !(opacity >= 0 && opacity <= 1))
            opacity = 1.0;
          g_clear_error (&error);
          position[k] = g_key_file_get_integer (kf, "style", "position", &error);
          if (error != NULL || position[k] < 0 || position[k] >= NGAM_N_LAYERS)
            position[k] = -1;
        }
      all = all && position[k] >= 0;
      ngam_layer_list_set_opacity (self->layer_list, k, opacity);
      ngam_map_view_set_layer_opacity (self->map_view, k, opacity);
      {
        g_autofree char *field = ngam_render_style_parse_colour_by (k, text);
        g_autofree char *label = ngam_render_style_parse_labels (k, text);

        ngam_layer_list_set_colour_by (self->layer_list, k, field);
        ngam_map_view_set_layer_colour_by (self->map_view, k, field);
        ngam_layer_list_set_label_by (self->layer_list, k, label);
        ngam_result_layer_set_label_by (self->result_layer, k, label);
      }
    }
  if (all)
    {
      guint seen = 0;

      for (guint k = 0; k < NGAM_N_LAYERS; k++)
        {
          order[position[k]] = k;
          seen |= NGAM_RENDER_LAYER (position[k]);
        }
      if (seen != NGAM_RENDER_ALL_LAYERS)   /* two layers in one place */
        memcpy (order, ngam_render_draw_order (), sizeof order);
    }
  ngam_layer_list_set_order (self->layer_list, order);
  ngam_map_view_set_layer_order (self->map_view, order);
  refresh_legends (self);
}

static void
style_changed (NgamLayerList *list,
               NgamWindow    *self)
{
  const NgamLayerKind *order = ngam_layer_list_get_order (list);
  gboolean recount = FALSE;

  ngam_map_view_set_layer_order (self->map_view, order);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      const char *field = ngam_layer_list_get_colour_by (list, k);

      if (g_strcmp0 (field, ngam_map_view_get_layer_colour_by (self->map_view, k)) != 0)
        {
          ngam_map_view_set_layer_colour_by (self->map_view, k, field);
          recount = TRUE;
        }
    }
  if (recount)
    refresh_legends (self);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    ngam_result_layer_set_label_by (self->result_layer, k, ngam_layer_list_get_label_by (list, k));
  for (guint i = 0; i < NGAM_N_LAYERS; i++)
    {
      NgamLayerKind k = order[i];
      g_autoptr(GKeyFile) kf = g_key_file_new ();
      g_autofree char *old = NULL, *text = NULL;
      g_autoptr(GError) error = NULL;

      ngam_map_view_set_layer_opacity (self->map_view, k, ngam_layer_list_get_opacity (list, k));
      if (self->project == NULL || ngam_project_is_read_only (self->project))
        continue;
      /* Other keys of the style (a renderer's) are kept as they are. */
      old = ngam_project_dup_style (self->project, ngam_layer_info (k)->name);
      if (old)
        g_key_file_load_from_data (kf, old, -1, G_KEY_FILE_KEEP_COMMENTS, NULL);
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        /* Percent steps, as the slider moves: "0.3", not 0.29999999999999999. */
        g_ascii_formatd (buf, sizeof buf, "%.2f", ngam_layer_list_get_opacity (list, k));
        g_key_file_set_value (kf, "style", "opacity", buf);
      }
      g_key_file_set_integer (kf, "style", "position", i);
      if (ngam_layer_list_get_colour_by (list, k) != NULL)
        g_key_file_set_string (kf, "style", "colour-by", ngam_layer_list_get_colour_by (list, k));
      else
        g_key_file_remove_key (kf, "style", "colour-by", NULL);
      if (ngam_layer_list_get_label_by (list, k) != NULL)
        g_key_file_set_string (kf, "style", "labels", ngam_layer_list_get_label_by (list, k));
      else
        g_key_file_remove_key (kf, "style", "labels", NULL);
      text = g_key_file_to_data (kf, NULL, NULL);
      if (g_strcmp0 (old, text) != 0 &&
          !ngam_project_set_style (self->project, ngam_layer_info (k)->name, text, &error))
        {
          ngam_window_toast (self, error->message);
          return;
        }
    }
}

/* Shows @project, replacing what the window showed. */
static void
set_project (NgamWindow  *self,
             GFile       *file,
             NgamProject *project)
{
  g_autoptr(NgamCrs) crs = NULL, wgs84 = NULL;
  g_autofree char *name = NULL, *parent = NULL, *dir = NULL, *subtitle = NULL, *why = NULL;
  const char *path = ngam_project_get_path (project);
  double extent[4];
  gboolean has_extent = ngam_project_get_extent (project, extent);

  close_project (self);
  self->file = g_object_ref (file);
  self->project = g_object_ref (project);

  /* Geographic coordinates in the status are a convenience: a CRS PROJ
   * cannot transform just leaves them out. */
  crs = ngam_crs_new (ngam_project_get_crs (project), NULL);
  wgs84 = ngam_crs_new_epsg (4326, NULL);
  if (crs != NULL && wgs84 != NULL)
    self->to_lonlat = ngam_transform_new (crs, wgs84, NULL);

  /* Title: the file; subtitle: where it is and how it is projected, by
   * the CRS's name ("VN-2000 / TM-3 107-00") rather than its code. */
  name = g_file_get_basename (file);
  parent = g_path_get_dirname (path);
  dir = ngam_window_folder_label (parent, g_get_home_dir ());
  subtitle = g_strdup_printf ("%s — %s%s", dir,
                              crs != NULL ? ngam_crs_get_name (crs) : ngam_project_get_crs (project),
                              ngam_project_is_read_only (project) ? _(" — read-only") : "");
  adw_window_title_set_title (self->window_title, name);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), name);

  counts_changed (project, self);
  g_signal_connect (project, "counts-changed", G_CALLBACK (counts_changed), self);
  g_signal_connect (project, "notify::can-undo", G_CALLBACK (undo_state_changed), self);
  g_signal_connect (project, "notify::can-redo", G_CALLBACK (undo_state_changed), self);
  g_signal_connect (project, "notify::busy", G_CALLBACK (undo_state_changed), self);
  g_signal_connect (project, "changed", G_CALLBACK (legend_project_changed), self);
  load_styles (self);
  ngam_map_view_set_project (self->map_view, project);
  ngam_edit_layer_set_project (self->edit_layer, project);
  ngam_inspector_set_project (self->inspector, project);
  ngam_attribute_table_set_project (self->attribute_table, project, self->edit_layer);
  ngam_result_layer_set_project (self->result_layer, project);
  {
    g_autofree char *labels = ngam_project_dup_style (project, "labels");

    ngam_result_layer_set_labels (self->result_layer, labels != NULL && strstr (labels, "visible=true") != NULL);
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_LABELS]);
  }
  ngam_plan_panel_set_project (self->plan_panel, project, self->result_layer);
  /* Another program (QGIS, ogr2ogr) editing the file: redraw what it changed. */
  ngam_project_watch_outside (project, 2000);
  if (has_extent)
    ngam_map_view_zoom_to_bbox (self->map_view, extent);
  gtk_stack_set_visible_child_name (self->stack, "map");
  ngam_window_update_actions (self);

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-project", path);
  {
    g_autofree char *uri = g_file_get_uri (file);

    gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
  }
  why = ngam_project_dup_read_only_message (project);
  if (why != NULL)
    ngam_window_toast (self, why);
  else if (!has_extent)
    ngam_window_toast (self, _("The project is empty: import data from the main menu"));
}

static char *
local_path (GFile   *file,
            GError **error)
{
  char *path = g_file_get_path (file);

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s is not a local file: copy it to this computer to open it"), uri);
    }
  return path;
}

/**
 * ngam_window_open:
 * @file: a project file (.ngam)
 *
 * Shows @file in this window, replacing the project shown before, and
 * waits for it.  A file that cannot be written, or that another window
 * edits, is shown read-only.  On failure the window keeps what it showed.
 *
 * Returns: TRUE when the project is open.
 */
gboolean
ngam_window_open (NgamWindow  *self,
                  GFile       *file,
                  GError     **error)
{
  g_autoptr(NgamProject) project = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (NGAM_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = local_path (file, error);
  if (path == NULL)
    return FALSE;
  project = ngam_project_open (path, NGAM_PROJECT_OPEN_DEFAULT, NULL, NULL, NULL, error);
  if (project == NULL)
    return FALSE;
  set_project (self, file, project);
  return TRUE;
}

static void
open_progress (double      fraction,
               const char *message,
               gpointer    user_data)
{
  NgamWindow *self = user_data;

  if (message != NULL)
    adw_status_page_set_description (self->loading_page, message);
}

static void
open_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  NgamWindow *self = g_task_get_source_object (task);
  g_autoptr(NgamProject) project = NULL;
  GError *error = NULL;

  project = ngam_project_open_finish (result, &error);
  if (project == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, self->project ? "map" : "empty");
      g_task_return_error (task, error);
      return;
    }
  set_project (self, g_task_get_task_data (task), project);
  g_task_return_boolean (task, TRUE);
}

/**
 * ngam_window_open_async:
 * @file: a project file (.ngam)
 *
 * ngam_window_open() on a worker thread: the window shows how the opening
 * goes meanwhile.
 */
void
ngam_window_open_async (NgamWindow          *self,
                        GFile               *file,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL, *name = NULL, *title = NULL;
  GError *error = NULL;

  g_return_if_fail (NGAM_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, ngam_window_open_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  path = local_path (file, &error);
  if (path == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->open_cancellable)
    g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
  self->open_cancellable = g_cancellable_new ();
  name = g_file_get_basename (file);
  title = g_strdup_printf (_("Opening %s"), name);
  adw_status_page_set_title (self->loading_page, title);
  adw_status_page_set_description (self->loading_page, NULL);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  ngam_project_open_async (path, NGAM_PROJECT_OPEN_DEFAULT, open_progress, self, self->open_cancellable,
                           open_done, g_steal_pointer (&task));
}

gboolean
ngam_window_open_finish (NgamWindow    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Returns: (transfer none) (nullable): the open project. */
NgamProject *
ngam_window_get_project (NgamWindow *self)
{
  g_return_val_if_fail (NGAM_IS_WINDOW (self), NULL);
  return self->project;
}

/* Returns: (transfer none): the map's edit layer (tools and selection). */
NgamEditLayer *
ngam_window_get_edit_layer (NgamWindow *self)
{
  g_return_val_if_fail (NGAM_IS_WINDOW (self), NULL);
  return self->edit_layer;
}

/* Returns: (transfer none): the inspector. */
NgamInspector *
ngam_window_get_inspector (NgamWindow *self)
{
  g_return_val_if_fail (NGAM_IS_WINDOW (self), NULL);
  return self->inspector;
}

/* Returns: (transfer none) (nullable): the open project file. */
GFile *
ngam_window_get_file (NgamWindow *self)
{
  g_return_val_if_fail (NGAM_IS_WINDOW (self), NULL);
  return self->file;
}

/* Whether the open project can be edited here (FALSE when none is open). */
gboolean
ngam_window_is_read_only (NgamWindow *self)
{
  g_return_val_if_fail (NGAM_IS_WINDOW (self), FALSE);
  return self->project != NULL && ngam_project_is_read_only (self->project);
}

/* Returns: (transfer none): the map. */
NgamMapView *
ngam_window_get_map_view (NgamWindow *self)
{
  g_return_val_if_fail (NGAM_IS_WINDOW (self), NULL);
  return self->map_view;
}

/* Returns: (transfer none): the Plan page. */
NgamPlanPanel *
ngam_window_get_plan_panel (NgamWindow *self)
{
  g_return_val_if_fail (NGAM_IS_WINDOW (self), NULL);
  return self->plan_panel;
}

/* Returns: (transfer none): the map's layer of result runs. */
NgamResultLayer *
ngam_window_get_result_layer (NgamWindow *self)
{
  g_return_val_if_fail (NGAM_IS_WINDOW (self), NULL);
  return self->result_layer;
}

/* Returns: (transfer none): the layer list. */
NgamLayerList *
ngam_window_get_layer_list (NgamWindow *self)
{
  g_return_val_if_fail (NGAM_IS_WINDOW (self), NULL);
  return self->layer_list;
}

/* Shows the whole project. */
void
ngam_window_zoom_to_fit (NgamWindow *self)
{
  double extent[4];

  g_return_if_fail (NGAM_IS_WINDOW (self));

  if (self->project != NULL && ngam_project_get_extent (self->project, extent))
    ngam_map_view_zoom_to_bbox (self->map_view, extent);
}

void
ngam_window_toast (NgamWindow *self,
                   const char *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* A failure the user must read: a dialog, not a toast. */
void
ngam_window_show_error (NgamWindow   *self,
                        const char   *heading,
                        const GError *error)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  AdwDialog *dialog = adw_alert_dialog_new (heading, error->message);

  adw_alert_dialog_add_response (ADW_ALERT_DIALOG (dialog), "close", _("_Close"));
  adw_dialog_present (dialog, GTK_WIDGET (self));
#else
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
#endif
}
