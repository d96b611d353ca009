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

#include "ngam-window-private.h"

static void
open_file (NgamWindow *self,
           GFile      *file)
{
  g_autoptr(GError) error = NULL;

  if (!ngam_window_open (self, file, &error))
    ngam_window_show_error (self, _("Cannot Open the Project"), error);
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
show_all_layers_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ngam_layer_list_set_visible_layers (NGAM_WINDOW (widget)->layer_list, NGAM_RENDER_ALL_LAYERS);
}

void
ngam_window_class_init_actions (GtkWidgetClass *widget_class)
{
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

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-in", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-out", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.zoom-fit", open && self->has_extent);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-all-layers", open);
}
