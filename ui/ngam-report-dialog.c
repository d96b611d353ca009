/* ngam-report-dialog.c — exporting a scenario's report from the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The formats, the language and the folder, then ngam_report_run() — the
 * call `ngam-batch report` makes — on a worker thread through
 * ngam_project_report_async() (a read-only connection: editing goes on
 * meanwhile), with progress and Cancel.  The report writes every file or
 * none, so a refusal (a file exists and replacing was not asked, no plan
 * yet) or a cancel leaves the folder as it was; the dialog then says why.
 * Once written, the files are listed and the folder can be opened.
 */
#define G_LOG_DOMAIN "ngam-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "ngam-report-dialog.h"

struct _NgamReportDialog
{
  AdwWindow        parent_instance;

  NgamProject     *project;
  char            *scenario;
  char            *folder;

  GtkCheckButton  *formats[5];
  GtkDropDown     *language;
  GtkCheckButton  *replace;
  GtkCheckButton  *costs;
  AdwActionRow    *folder_row;
  GtkWidget       *export_button;
  GtkWidget       *progress_box;
  GtkProgressBar  *progress;
  GtkButton       *cancel_button;
  GtkLabel        *message;
  GtkWidget       *open_button;

  GCancellable    *cancellable;
  GPtrArray       *written;
};

G_DEFINE_FINAL_TYPE (NgamReportDialog, ngam_report_dialog, ADW_TYPE_WINDOW)

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const NgamReportFormats format_flags[5] = {
  NGAM_REPORT_PDF, NGAM_REPORT_HTML, NGAM_REPORT_CSV, NGAM_REPORT_GPKG, NGAM_REPORT_OPENDATA,
};

static void
set_message (NgamReportDialog *self,
             const char       *text)
{
  gtk_label_set_text (self->message, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message), text != NULL && *text != '\0');
}

static void
update (NgamReportDialog *self)
{
  gboolean idle = self->cancellable == NULL;

  gtk_widget_set_sensitive (self->export_button, idle && ngam_report_dialog_get_formats (self) != 0 &&
                            self->folder != NULL);
  gtk_widget_set_visible (self->progress_box, !idle);
  gtk_widget_set_visible (self->open_button, idle && self->written != NULL && self->written->len > 0);
}

void
ngam_report_dialog_set_folder (NgamReportDialog *self,
                               const char       *folder)
{
  g_return_if_fail (NGAM_IS_REPORT_DIALOG (self));

  g_free (self->folder);
  self->folder = g_strdup (folder);
  adw_action_row_set_subtitle (self->folder_row, folder ? folder : "");
  update (self);
}

const char *
ngam_report_dialog_get_folder (NgamReportDialog *self)
{
  return self->folder;
}

void
ngam_report_dialog_set_formats (NgamReportDialog  *self,
                                NgamReportFormats  formats)
{
  for (guint i = 0; i < G_N_ELEMENTS (format_flags); i++)
    gtk_check_button_set_active (self->formats[i], (formats & format_flags[i]) != 0);
}

NgamReportFormats
ngam_report_dialog_get_formats (NgamReportDialog *self)
{
  NgamReportFormats f = 0;

  for (guint i = 0; i < G_N_ELEMENTS (format_flags); i++)
    if (self->formats[i] && gtk_check_button_get_active (self->formats[i]))
      f |= format_flags[i];
  return f;
}

void
ngam_report_dialog_set_language (NgamReportDialog *self,
                                 const char       *language)
{
  gtk_drop_down_set_selected (self->language, g_strcmp0 (language, "en") == 0 ? 1 : 0);
}

void
ngam_report_dialog_set_replace (NgamReportDialog *self,
                                gboolean          replace)
{
  gtk_check_button_set_active (self->replace, replace);
}

static void
report_progress (double      fraction,
                 const char *message,
                 gpointer    user_data)
{
  NgamReportDialog *self = user_data;

  if (self->cancellable == NULL)
    return;
  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->progress, CLAMP (fraction, 0, 1));
  if (message)
    gtk_progress_bar_set_text (self->progress, message);
}

static void
report_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(NgamReportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *written = ngam_project_report_finish (NGAM_PROJECT (source), result, &error);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->written, g_ptr_array_unref);
  self->written = written;
  if (written != NULL)
    {
      g_autoptr(GString) s = g_string_new (NULL);

      g_string_append_printf (s, g_dngettext (NULL, "%u file written:", "%u files written:", written->len),
                              written->len);
      for (guint i = 0; i < written->len; i++)
        {
          g_autofree char *base = g_path_get_basename (g_ptr_array_index (written, i));

          g_string_append_printf (s, "\n%s", base);
        }
      gtk_label_set_text (self->message, s->str);
      gtk_widget_remove_css_class (GTK_WIDGET (self->message), "error");
      gtk_widget_set_visible (GTK_WIDGET (self->message), TRUE);
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->message), "error");
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, _("Stopped: nothing was written"));
      else
        set_message (self, error->message);
    }
  update (self);
  g_signal_emit (self, signals[FINISHED], 0, error);
}

/* Writes the report as the dialog says, on a worker thread. */
void
ngam_report_dialog_export (NgamReportDialog *self)
{
  NgamReportOptions o = { 0 };

  g_return_if_fail (NGAM_IS_REPORT_DIALOG (self));

  if (self->cancellable != NULL || self->folder == NULL)
    return;
  o.scenario = self->scenario;
  o.formats = ngam_report_dialog_get_formats (self);
  o.language = gtk_drop_down_get_selected (self->language) == 1 ? "en" : "vi";
  o.out_dir = self->folder;
  o.force = gtk_check_button_get_active (self->replace);
  o.opendata_costs = gtk_check_button_get_active (self->costs);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->written, g_ptr_array_unref);
  set_message (self, NULL);
  gtk_progress_bar_set_fraction (self->progress, 0);
  gtk_progress_bar_set_text (self->progress, _("Writing the report…"));
  update (self);
  ngam_project_report_async (self->project, &o, report_progress, self, self->cancellable, report_done,
                             g_object_ref (self));
}

gboolean
ngam_report_dialog_get_running (NgamReportDialog *self)
{
  return self->cancellable != NULL;
}

void
ngam_report_dialog_cancel (NgamReportDialog *self)
{
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
}

GtkButton *
ngam_report_dialog_get_cancel_button (NgamReportDialog *self)
{
  return self->cancel_button;
}

/* Returns: (transfer none) (nullable): the files the last export wrote. */
GPtrArray *
ngam_report_dialog_get_written (NgamReportDialog *self)
{
  return self->written;
}

const char *
ngam_report_dialog_get_message (NgamReportDialog *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->message)) ? gtk_label_get_text (self->message) : NULL;
}

/* ---- choosing the folder ------------------------------------------------------------ */

static void
chooser_response (GtkNativeDialog  *chooser,
                  int               response,
                  NgamReportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path)
        ngam_report_dialog_set_folder (self, path);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
choose_folder (NgamReportDialog *self)
{
  GtkFileChooserNative *chooser;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  chooser = gtk_file_chooser_native_new (_("Report Folder"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
open_folder (NgamReportDialog *self)
{
  g_autoptr(GFile) file = g_file_new_for_path (self->folder);
  g_autofree char *uri = g_file_get_uri (file);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* ---- the window ------------------------------------------------------------------------ */

static gboolean
ngam_report_dialog_close_request (GtkWindow *window)
{
  NgamReportDialog *self = NGAM_REPORT_DIALOG (window);

  /* Closing stops the export; it writes nothing then. */
  ngam_report_dialog_cancel (self);
  return GTK_WINDOW_CLASS (ngam_report_dialog_parent_class)->close_request (window);
}

static void
ngam_report_dialog_dispose (GObject *object)
{
  NgamReportDialog *self = NGAM_REPORT_DIALOG (object);

  ngam_report_dialog_cancel (self);
  g_clear_object (&self->project);
  G_OBJECT_CLASS (ngam_report_dialog_parent_class)->dispose (object);
}

static void
ngam_report_dialog_finalize (GObject *object)
{
  NgamReportDialog *self = NGAM_REPORT_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->written, g_ptr_array_unref);
  g_free (self->scenario);
  g_free (self->folder);
  G_OBJECT_CLASS (ngam_report_dialog_parent_class)->finalize (object);
}

static void
ngam_report_dialog_class_init (NgamReportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ngam_report_dialog_dispose;
  object_class->finalize = ngam_report_dialog_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = ngam_report_dialog_close_request;
  /**
   * NgamReportDialog::finished:
   * @error: (nullable): why nothing was written
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                    NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ngam_report_dialog_init (NgamReportDialog *self)
{
  GtkWidget *view = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *fg = adw_preferences_group_new (), *og = adw_preferences_group_new ();
  GtkWidget *row, *choose;
  const char *names[5] = { N_("PDF for the People’s Committee"), N_("HTML page with maps"),
                           N_("CSV tables"), N_("GeoPackage with QGIS styles"),
                           N_("Open data: the citizens’ works schedule") };
  const char *languages[] = { "Tiếng Việt", "English", NULL };

  self->export_button = gtk_button_new_with_mnemonic (_("_Export"));
  gtk_widget_add_css_class (self->export_button, "suggested-action");
  g_signal_connect_swapped (self->export_button, "clicked", G_CALLBACK (ngam_report_dialog_export), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->export_button);
  gtk_box_append (GTK_BOX (view), header);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (fg), _("Formats"));
  for (guint i = 0; i < G_N_ELEMENTS (format_flags); i++)
    {
      row = adw_action_row_new ();
      self->formats[i] = GTK_CHECK_BUTTON (gtk_check_button_new ());
      gtk_check_button_set_active (self->formats[i], (NGAM_REPORT_DEFAULT_FORMATS & format_flags[i]) != 0);
      g_signal_connect_swapped (self->formats[i], "toggled", G_CALLBACK (update), self);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(names[i]));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), GTK_WIDGET (self->formats[i]));
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (self->formats[i]));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (fg), row);
    }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (fg));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (og), _("Options"));
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Language"));
  self->language = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (languages));
  gtk_widget_set_valign (GTK_WIDGET (self->language), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->language));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (og), row);

  self->folder_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->folder_row), _("Folder"));
  choose = gtk_button_new_with_mnemonic (_("C_hoose…"));
  gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (choose, "clicked", G_CALLBACK (choose_folder), self);
  adw_action_row_add_suffix (self->folder_row, choose);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (og), GTK_WIDGET (self->folder_row));

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Replace files that exist"));
  self->replace = GTK_CHECK_BUTTON (gtk_check_button_new ());
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), GTK_WIDGET (self->replace));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (self->replace));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (og), row);

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Open data gives each operator’s cost"));
  self->costs = GTK_CHECK_BUTTON (gtk_check_button_new ());
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), GTK_WIDGET (self->costs));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (self->costs));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (og), row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (og));
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (view), page);

  self->progress_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_start (self->progress_box, 12);
  gtk_widget_set_margin_end (self->progress_box, 12);
  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (self->progress, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->progress), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->progress), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self->progress_box), GTK_WIDGET (self->progress));
  self->cancel_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Cancel")));
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (ngam_report_dialog_cancel), self);
  gtk_box_append (GTK_BOX (self->progress_box), GTK_WIDGET (self->cancel_button));
  gtk_box_append (GTK_BOX (view), self->progress_box);

  self->message = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->message, TRUE);
  gtk_label_set_xalign (self->message, 0);
  gtk_label_set_selectable (self->message, TRUE);
  gtk_widget_set_margin_start (GTK_WIDGET (self->message), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->message), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->message), 6);
  gtk_box_append (GTK_BOX (view), GTK_WIDGET (self->message));
  self->open_button = gtk_button_new_with_mnemonic (_("_Open the Folder"));
  gtk_widget_set_halign (self->open_button, GTK_ALIGN_END);
  gtk_widget_set_margin_end (self->open_button, 12);
  gtk_widget_set_margin_bottom (self->open_button, 12);
  gtk_widget_set_margin_top (self->open_button, 6);
  g_signal_connect_swapped (self->open_button, "clicked", G_CALLBACK (open_folder), self);
  gtk_box_append (GTK_BOX (view), self->open_button);
  adw_window_set_content (ADW_WINDOW (self), view);
  set_message (self, NULL);
  update (self);
}

/**
 * ngam_report_dialog_new:
 * @scenario: whose last plan to report
 *
 * The folder starts as `report-SCENARIO` beside the project file.
 *
 * Returns: (transfer none): the dialog, a window of its own.
 */
NgamReportDialog *
ngam_report_dialog_new (GtkWindow   *parent,
                        NgamProject *project,
                        const char  *scenario)
{
  NgamReportDialog *self = g_object_new (NGAM_TYPE_REPORT_DIALOG, "modal", TRUE, "default-width", 480,
                                         "default-height", 620, NULL);
  g_autofree char *dir = g_path_get_dirname (ngam_project_get_path (project));
  g_autofree char *base = g_strdup_printf ("report-%s", scenario);
  g_autofree char *folder = g_build_filename (dir, base, NULL);
  g_autofree char *title = g_strdup_printf (_("Report of “%s”"), scenario);

  if (parent)
    gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  gtk_window_set_title (GTK_WINDOW (self), title);
  self->project = g_object_ref (project);
  self->scenario = g_strdup (scenario);
  ngam_report_dialog_set_folder (self, folder);
  /* The language of the window, unless it is neither. */
  {
    const char *const *langs = g_get_language_names ();

    ngam_report_dialog_set_language (self, langs[0] && g_str_has_prefix (langs[0], "en") ? "en" : "vi");
  }
  return self;
}
