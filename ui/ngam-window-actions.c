/* ngam-window-actions.c — what a project window can be asked to do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Actions are installed on the class ("win.open", "win.zoom-in", …) so
 * that buttons, menus, shortcuts and tests all go through the same door.
 */
#define G_LOG_DOMAIN "ngam-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "ngam-compare-window.h"
#include "ngam-window-private.h"

static void
open_file_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ngam_window_open_finish (NGAM_WINDOW (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ngam_window_show_error (NGAM_WINDOW (source), _("Cannot Open the Project"), error);
}

static void
open_file (NgamWindow *self,
           GFile      *file)
{
  ngam_window_open_async (self, file, open_file_done, NULL);
}

static GtkFileFilter *
project_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Ngầm projects"));
  gtk_file_filter_add_pattern (filter, "*.ngam");
  gtk_file_filter_add_mime_type (filter, "application/x-ngam-project");
  return filter;
}

#if GTK_CHECK_VERSION (4, 10, 0)

static void
open_dialog_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(NgamWindow) self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, &error);
  if (file != NULL)
    open_file (self, file);
}

static void
show_open_dialog (NgamWindow *self)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GtkFileFilter) filter = project_filter ();

  g_list_store_append (filters, filter);
  gtk_file_dialog_set_title (dialog, _("Open Project"));
  gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
  gtk_file_dialog_set_default_filter (dialog, filter);
  if (self->file != NULL)
    gtk_file_dialog_set_initial_file (dialog, self->file);
  gtk_file_dialog_open (dialog, GTK_WINDOW (self), NULL, open_dialog_done, g_object_ref (self));
}

#else /* GTK 4.8: the portal-friendly chooser of its time */

static void
open_chooser_response (GtkNativeDialog *chooser,
                       int              response,
                       NgamWindow      *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        open_file (self, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
show_open_dialog (NgamWindow *self)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Open Project"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), project_filter ());
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (open_chooser_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

#endif

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  show_open_dialog (NGAM_WINDOW (widget));
}

/* win.zoom-in and win.zoom-out: twice or half the detail. */
static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ngam_map_view_zoom (NGAM_WINDOW (widget)->map_view, g_str_equal (action_name, "win.zoom-in") ? 2.0 : 0.5);
}

static void
zoom_fit_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  ngam_window_zoom_to_fit (NGAM_WINDOW (widget));
}

static void
toggle_sidebar_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  GtkToggleButton *button = NGAM_WINDOW (widget)->sidebar_button;

  gtk_toggle_button_set_active (button, !gtk_toggle_button_get_active (button));
}

static void
toggle_table_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GtkToggleButton *button = NGAM_WINDOW (widget)->table_button;

  gtk_toggle_button_set_active (button, !gtk_toggle_button_get_active (button));
}

static void
show_all_layers_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ngam_layer_list_set_visible_layers (NGAM_WINDOW (widget)->layer_list, NGAM_RENDER_ALL_LAYERS);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  NgamWindow *self = NGAM_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  gboolean undo = g_str_equal (action_name, "win.undo");

  if (self->project == NULL)
    return;
  ngam_edit_layer_cancel (self->edit_layer);
  if (!(undo ? ngam_project_undo (self->project, &error) : ngam_project_redo (self->project, &error)))
    ngam_window_toast (self, error->message);
}

static GArray *
selected_of_kind (NgamWindow    *self,
                  NgamLayerKind  kind)
{
  GArray *fids = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n = 0;
  const NgamFeatureRef *refs = self->edit_layer ? ngam_edit_layer_get_selection (self->edit_layer, &n) : NULL;

  for (guint i = 0; i < n; i++)
    if (refs[i].kind == kind)
      g_array_append_val (fids, refs[i].fid);
  return fids;
}

/* win.delete: the selection, in one edit (poles take their spans). */
static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NgamWindow *self = NGAM_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->project == NULL)
    return;
  /* Spans first, so a pole's own deletion does not find them again. */
  for (int k = NGAM_N_LAYERS - 1; k >= 0 && error == NULL; k--)
    {
      g_autoptr(GArray) fids = selected_of_kind (self, k);

      if (fids->len > 0)
        ngam_project_delete_features (self->project, k, (const gint64 *) fids->data, fids->len, &error);
    }
  if (error != NULL)
    ngam_window_toast (self, error->message);
  else
    ngam_edit_layer_set_selection (self->edit_layer, NULL, 0);
}

static void
merge_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  NgamWindow *self = NGAM_WINDOW (widget);
  g_autoptr(GArray) spans = selected_of_kind (self, NGAM_LAYER_SPANS);
  g_autoptr(GError) error = NULL;

  if (self->project == NULL || spans->len != 2)
    return;
  if (ngam_project_merge_spans (self->project, g_array_index (spans, gint64, 0),
                                g_array_index (spans, gint64, 1), &error))
    {
      NgamFeatureRef ref = { NGAM_LAYER_SPANS, g_array_index (spans, gint64, 0) };

      ngam_edit_layer_set_selection (self->edit_layer, &ref, 1);
    }
  else
    ngam_window_toast (self, error->message);
}

static void
zoom_selection_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  NgamWindow *self = NGAM_WINDOW (widget);
  double bbox[4];

  if (!ngam_edit_layer_get_selection_bbox (self->edit_layer, bbox))
    return;
  /* A single pole is a box of no size: show 60 m around it. */
  if (bbox[2] - bbox[0] < 60 && bbox[3] - bbox[1] < 60)
    {
      double cx = (bbox[0] + bbox[2]) / 2, cy = (bbox[1] + bbox[3]) / 2;

      bbox[0] = cx - 30, bbox[2] = cx + 30, bbox[1] = cy - 30, bbox[3] = cy + 30;
    }
  ngam_map_view_zoom_to_bbox (self->map_view, bbox);
}

/* Escape: drop the span being drawn; a second Escape goes back to Select. */
static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NgamWindow *self = NGAM_WINDOW (widget);

  if (ngam_edit_layer_get_span_start (self->edit_layer) != 0)
    ngam_edit_layer_cancel (self->edit_layer);
  else
    ngam_edit_layer_set_tool (self->edit_layer, NGAM_EDIT_TOOL_SELECT);
}

static void
tool_change_state (GSimpleAction *action,
                   GVariant      *value,
                   gpointer       user_data)
{
  NgamWindow *self = user_data;
  NgamEditTool tool;

  if (ngam_edit_tool_from_string (g_variant_get_string (value, NULL), &tool))
    ngam_edit_layer_set_tool (self->edit_layer, tool);
}

static void
tool_changed (NgamEditLayer *layer,
              GParamSpec    *pspec,
              GSimpleAction *action)
{
  g_simple_action_set_state (action, g_variant_new_string (ngam_edit_tool_to_string (ngam_edit_layer_get_tool (layer))));
}

/* The "edit" group: its "tool" action has a state the tool buttons show. */
void
ngam_window_init_actions (NgamWindow *self)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) tool = g_simple_action_new_stateful ("tool", G_VARIANT_TYPE_STRING,
                                                                 g_variant_new_string ("select"));

  g_signal_connect (tool, "change-state", G_CALLBACK (tool_change_state), self);
  g_signal_connect_object (self->edit_layer, "notify::tool", G_CALLBACK (tool_changed), tool, 0);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (tool));
  self->tool_action = tool;
  gtk_widget_insert_action_group (GTK_WIDGET (self), "edit", G_ACTION_GROUP (group));
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ngam_window_import (NGAM_WINDOW (widget), NULL, 0);
}

/* win.plan and win.gaps: the Plan page, and the job. */
static void
analysis_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  NgamWindow *self = NGAM_WINDOW (widget);

  gtk_toggle_button_set_active (self->sidebar_button, TRUE);
  gtk_stack_set_visible_child_name (self->sidebar_stack, "plan");
  if (g_str_equal (action_name, "win.plan"))
    ngam_plan_panel_run_plan (self->plan_panel);
  else
    ngam_plan_panel_run_gaps (self->plan_panel);
}

static void
scenario_saved (NgamScenarioEditor *editor,
                const char         *name,
                NgamWindow         *self)
{
  g_autofree char *text = g_strdup_printf (_("Scenario “%s” kept in the project"), name);

  ngam_plan_panel_reload_scenarios (self->plan_panel, name);
  ngam_window_toast (self, text);
}

/* win.edit-scenario: the scenario chosen on the Plan page. */
static void
edit_scenario_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  NgamWindow *self = NGAM_WINDOW (widget);
  NgamScenarioEditor *editor;

  if (self->project == NULL)
    return;
  if (self->scenario_editor != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->scenario_editor));
      return;
    }
  editor = ngam_scenario_editor_new (GTK_WINDOW (self), self->project,
                                     ngam_plan_panel_get_scenario (self->plan_panel));
  self->scenario_editor = GTK_WIDGET (editor);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &self->scenario_editor);
  g_signal_connect_object (editor, "saved", G_CALLBACK (scenario_saved), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

/* win.report: the export dialog for the scenario chosen. */
static void
report_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  NgamWindow *self = NGAM_WINDOW (widget);
  NgamReportDialog *dialog;

  if (self->project == NULL)
    return;
  if (self->report_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->report_dialog));
      return;
    }
  dialog = ngam_report_dialog_new (GTK_WINDOW (self), self->project,
                                   ngam_plan_panel_get_scenario (self->plan_panel));
  self->report_dialog = GTK_WIDGET (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->report_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* win.compare: the scenario chosen beside another, on two linked maps. */
static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  NgamWindow *self = NGAM_WINDOW (widget);
  NgamCompareWindow *compare;
  g_autoptr(GPtrArray) list = NULL;
  const char *a, *b = NULL;

  if (self->project == NULL)
    return;
  if (self->compare_window != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->compare_window));
      return;
    }
  /* The scenario of the plan panel, against the first other one. */
  a = ngam_plan_panel_get_scenario (self->plan_panel);
  list = ngam_project_list_scenarios (self->project, NULL);
  for (guint i = 0; list != NULL && i < list->len && b == NULL; i++)
    if (g_strcmp0 (((NgamScenarioInfo *) list->pdata[i])->name, a) != 0)
      b = ((NgamScenarioInfo *) list->pdata[i])->name;
  compare = ngam_compare_window_new (GTK_WINDOW (self), self->project, a, b);
  self->compare_window = GTK_WIDGET (compare);
  g_object_add_weak_pointer (G_OBJECT (compare), (gpointer *) &self->compare_window);
  gtk_window_present (GTK_WINDOW (compare));
}

void
ngam_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.plan", NULL, analysis_action);
  gtk_widget_class_install_action (widget_class, "win.gaps", NULL, analysis_action);
  gtk_widget_class_install_action (widget_class, "win.edit-scenario", NULL, edit_scenario_action);
  gtk_widget_class_install_action (widget_class, "win.report", NULL, report_action);
  gtk_widget_class_install_action (widget_class, "win.compare", NULL, compare_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-table", NULL, toggle_table_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F8, 0, "win.toggle-table", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.import", NULL);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.redo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "win.merge-spans", NULL, merge_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-selection", NULL, zoom_selection_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "win.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_y, GDK_CONTROL_MASK, "win.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_period, GDK_CONTROL_MASK, "win.zoom-selection", NULL);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit", NULL, zoom_fit_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL, toggle_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.show-all-layers", NULL, show_all_layers_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "win.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

/* Map actions make sense only with a project open. */
void
ngam_window_update_actions (NgamWindow *self)
{
  gboolean open = self->file != NULL;
  gboolean editable = open && self->project && !ngam_project_is_read_only (self->project) &&
                      !ngam_project_get_busy (self->project);
  guint n_selected = 0;
  double extent[4];
  g_autoptr(GArray) spans = selected_of_kind (self, NGAM_LAYER_SPANS);

  if (self->edit_layer)
    ngam_edit_layer_get_selection (self->edit_layer, &n_selected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.import", editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.plan", editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.gaps", editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit-scenario", editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.report", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.compare", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo", editable && ngam_project_get_can_undo (self->project));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.redo", editable && ngam_project_get_can_redo (self->project));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete", editable && n_selected > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.merge-spans", editable && spans->len == 2 && n_selected == 2);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-selection", n_selected > 0);
  if (self->edit_layer)
    {
      if (self->tool_action)
        g_simple_action_set_enabled (self->tool_action, editable);
      if (!editable && ngam_edit_layer_get_tool (self->edit_layer) != NGAM_EDIT_TOOL_SELECT)
        ngam_edit_layer_set_tool (self->edit_layer, NGAM_EDIT_TOOL_SELECT);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-in", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-out", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-fit",
                                 open && self->project && ngam_project_get_extent (self->project, extent));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-all-layers", open);
}
