/* ngam-application.c — the desktop application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `ngam FILE.ngam…` opens a window per file; `ngam` alone opens the last
 * project, or the empty window that offers to open one.
 */
#define G_LOG_DOMAIN "ngam-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "ngam-application.h"
#include "ngam-core.h"
#include "ngam-window-private.h"

struct _NgamApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (NgamApplication, ngam_application, ADW_TYPE_APPLICATION)

/**
 * ngam_settings_schema_beside:
 * @bindir: the folder of the running executable
 *
 * Our schema compiled beside an executable that is not installed where
 * GLib looks: BUILD/app/ngam has it in BUILD/data (meson compiles it
 * there), a tree installed under another prefix in
 * PREFIX/share/glib-2.0/schemas.  As ngam_locale_dir() does for the
 * translations, so that `build/app/ngam`, run as the README says, keeps
 * its preferences and recent projects like an installed app.
 *
 * Returns: (transfer full) (nullable): the schema, or %NULL
 */
GSettingsSchema *
ngam_settings_schema_beside (const char *bindir)
{
  const char *relative[] = { "../data", "../share/glib-2.0/schemas" };

  for (guint i = 0; bindir != NULL && i < G_N_ELEMENTS (relative); i++)
    {
      g_autofree char *dir = g_build_filename (bindir, relative[i], NULL);
      g_autofree char *compiled = g_build_filename (dir, "gschemas.compiled", NULL);
      g_autoptr(GSettingsSchemaSource) source = NULL;
      GSettingsSchema *schema;

      if (!g_file_test (compiled, G_FILE_TEST_IS_REGULAR))
        continue;
      source = g_settings_schema_source_new_from_directory (dir, g_settings_schema_source_get_default (),
                                                            FALSE, NULL);
      if (source != NULL && (schema = g_settings_schema_source_lookup (source, APP_ID, FALSE)) != NULL)
        return schema;
    }
  return NULL;
}

static GSettingsSchema *
find_schema (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  GSettingsSchema *schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

  if (schema == NULL)
    {
      g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *bindir = exe ? g_path_get_dirname (exe) : NULL;

      schema = ngam_settings_schema_beside (bindir);
    }
  return schema;
}

/**
 * ngam_settings_new:
 *
 * The application's settings, when its schema is installed, found
 * through GSETTINGS_SCHEMA_DIR (as in `meson devenv` and the tests) or
 * compiled beside the executable (ngam_settings_schema_beside()).
 * Running without any is allowed: nothing is remembered.
 *
 * Returns: (transfer full) (nullable): the settings
 */
GSettings *
ngam_settings_new (void)
{
  static GSettingsSchema *schema;
  static gsize looked = 0;

  if (g_once_init_enter (&looked))
    {
      schema = find_schema ();
      if (schema == NULL)
        g_message ("the settings schema %s is not installed: window size, last project and "
                   "layer choices will not be kept (run from `meson devenv` to use the built one)",
                   APP_ID);
      g_once_init_leave (&looked, 1);
    }
  return schema ? g_settings_new_full (schema, NULL, NULL) : NULL;
}

static NgamWindow *
new_window (NgamApplication *self)
{
  return ngam_window_new (GTK_APPLICATION (self));
}

static void
reopen_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ngam_window_open_finish (NGAM_WINDOW (source), result, &error))
    ngam_window_toast (NGAM_WINDOW (source), error->message);
}

static void
open_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ngam_window_open_finish (NGAM_WINDOW (source), result, &error))
    ngam_window_show_error (NGAM_WINDOW (source), _("Cannot Open the Project"), error);
}

static void
ngam_application_activate (GApplication *app)
{
  NgamApplication *self = NGAM_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *last = NULL;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }
  window = GTK_WINDOW (new_window (self));
  settings = ngam_settings_new ();
  if (settings != NULL)
    last = g_settings_get_string (settings, "last-project");
  if (last != NULL && *last != '\0' && g_file_test (last, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(GFile) file = g_file_new_for_path (last);

      /* Reopening is a courtesy: if it fails, say so and start empty. */
      ngam_window_open_async (NGAM_WINDOW (window), file, reopen_done, NULL);
    }
  gtk_window_present (window);
}

static void
ngam_application_open (GApplication  *app,
                       GFile        **files,
                       int            n_files,
                       const char    *hint)
{
  NgamApplication *self = NGAM_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      NgamWindow *window = new_window (self);

      gtk_window_present (GTK_WINDOW (window));
      ngam_window_open_async (window, files[i], open_done, NULL);
    }
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = user_data;
  GtkWindow *parent = gtk_application_get_active_window (app);
  static const char *developers[] = { "The Ngầm developers", NULL };

#if ADW_CHECK_VERSION (1, 5, 0)
  AdwDialog *about = adw_about_dialog_new ();

#define ABOUT(f, ...) adw_about_dialog_set_##f (ADW_ABOUT_DIALOG (about), __VA_ARGS__)
#else
  GtkWidget *about = adw_about_window_new ();

  gtk_window_set_transient_for (GTK_WINDOW (about), parent);
#define ABOUT(f, ...) adw_about_window_set_##f (ADW_ABOUT_WINDOW (about), __VA_ARGS__)
#endif
  ABOUT (application_name, "Ngầm");
  ABOUT (application_icon, APP_ID);
  ABOUT (version, PACKAGE_VERSION);
  ABOUT (developer_name, _("The Ngầm developers"));
  ABOUT (developers, developers);
  ABOUT (license_type, GTK_LICENSE_GPL_3_0);
  ABOUT (comments, _("Plan the undergrounding of aerial telecom cables and find coverage gaps"));
  ABOUT (copyright, "© The Ngầm developers");
#undef ABOUT
#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_present (about, GTK_WIDGET (parent));
#else
  gtk_window_present (GTK_WINDOW (about));
#endif
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (app));

  /* Closing each window lets it save its state; the last one out ends the
   * application. */
  for (GList *l = windows; l != NULL; l = l->next)
    {
#if ADW_CHECK_VERSION (1, 5, 0)
      /* A window showing one of libadwaita's dialogs (an error it is
       * showing, say) closes the dialog, not itself, when asked to close. */
      if (ADW_IS_APPLICATION_WINDOW (l->data))
        {
          AdwDialog *dialog = adw_application_window_get_visible_dialog (l->data);

          if (dialog != NULL)
            adw_dialog_force_close (dialog);
        }
#endif
      gtk_window_close (l->data);
    }
}

static void
ngam_application_startup (GApplication *app)
{
  static const GActionEntry entries[] = {
    { .name = "about", .activate = about_action },
    { .name = "quit", .activate = quit_action },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (ngam_application_parent_class)->startup (app);
  ngam_core_init ();
  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
ngam_application_class_init (NgamApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = ngam_application_activate;
  app_class->open = ngam_application_open;
  app_class->startup = ngam_application_startup;
}

static void
ngam_application_init (NgamApplication *self)
{
}

NgamApplication *
ngam_application_new (void)
{
  return g_object_new (NGAM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/org/ngam/Ngam",
                       NULL);
}
