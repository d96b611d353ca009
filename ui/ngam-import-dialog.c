/* ngam-import-dialog.c — importing operators' files from the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files (a shapefile's sidecars come along: the importer opens the .shp
 * and finds its .dbf, .prj and .cpg), the kind, the operator, the profile,
 * the encoding and, when a source has none, the CRS.  Every change of
 * these runs the same import as a dry run (ngam_import_run() with
 * dry_run, on a worker thread, writing nothing): its report is the
 * preview — the encoding detected and why, the CRS, the field mapping the
 * profile gives, how many features would be added — and a failure is
 * shown where it belongs (a source without a CRS shows the CRS row,
 * required).  Import runs it for real, with progress and a Cancel that
 * rolls everything back; the report stays on screen afterwards.
 */
#define G_LOG_DOMAIN "ngam-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ngam-import-dialog.h"
#include "ngam-shapefile.h"
#include "ngam-encoding.h"
#include "ngam-profile.h"

struct _NgamImportDialog
{
  AdwWindow         parent_instance;

  NgamProject      *project;
  GPtrArray        *files;         /* char* paths */

  GtkWidget        *import_button;
  GtkWidget        *cancel_button;
  AdwPreferencesGroup *files_group;
  GPtrArray        *file_rows;
  AdwComboRow      *kind_row;
  AdwEntryRow      *operator_row;
  AdwComboRow      *profile_row;
  AdwEntryRow      *encoding_row;
  AdwEntryRow      *crs_row;
  AdwPreferencesGroup *preview_group;
  GPtrArray        *preview_rows;
  GtkProgressBar   *progress;
  GtkLabel         *status;
  GStrv             profiles;      /* "" first: none */

  GCancellable     *cancellable;   /* the dry run or import running */
  guint             preview_source;
  gboolean          running_import;
  gboolean          preview_ok;
  gboolean          done;
  NgamImportReport *report;        /* the last one, dry or real */
  GError           *error;         /* the last failure */
};

G_DEFINE_FINAL_TYPE (NgamImportDialog, ngam_import_dialog, ADW_TYPE_WINDOW)

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule_preview (NgamImportDialog *self);

/* ---- options ------------------------------------------------------------------- */

static const char *
text_or_null (AdwEntryRow *row)
{
  const char *t = gtk_editable_get_text (GTK_EDITABLE (row));

  return t && *t ? t : NULL;
}

static void
fill_options (NgamImportDialog  *self,
              NgamImportOptions *o)
{
  guint profile = adw_combo_row_get_selected (self->profile_row);

  memset (o, 0, sizeof *o);
  g_ptr_array_add (self->files, NULL);
  o->sources = (const char * const *) self->files->pdata;
  g_ptr_array_remove_index (self->files, self->files->len - 1);
  o->kind = adw_combo_row_get_selected (self->kind_row);
  o->operator_name = text_or_null (self->operator_row);
  o->profile = profile > 0 && profile < g_strv_length (self->profiles) ? self->profiles[profile] : NULL;
  o->encoding = text_or_null (self->encoding_row);
  o->crs = text_or_null (self->crs_row);
}

/* ---- the preview ------------------------------------------------------------------ */

static void
clear_preview (NgamImportDialog *self)
{
  for (guint i = 0; i < self->preview_rows->len; i++)
    adw_preferences_group_remove (self->preview_group, self->preview_rows->pdata[i]);
  g_ptr_array_set_size (self->preview_rows, 0);
}

static void
preview_row (NgamImportDialog *self,
             const char       *title,
             const char       *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value && *value ? value : "—");
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (self->preview_group, row);
  g_ptr_array_add (self->preview_rows, row);
}

/* A few decoded texts of a shapefile's .dbf, as the import will read them. */
static char *
sample_text (const char *path,
             const char *encoding)
{
  g_autoptr(NgamDecoder) decoder = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  NgamShpFile *shp;
  NgamShpRecord rec = { 0 };
  g_autofree char *why_not = NULL;
  guint n = 0;

  if (!g_str_has_suffix (path, ".shp") || encoding == NULL)
    return NULL;
  decoder = ngam_decoder_new (encoding, NULL);
  shp = ngam_shp_open (path, &why_not);
  if (decoder == NULL || shp == NULL)
    {
      if (shp)
        ngam_shp_close (shp);
      return NULL;
    }
  while (n < 4 && ngam_shp_next (shp, &rec))
    {
      const NgamShpField *fields = ngam_shp_fields (shp);

      for (guint i = 0; i < ngam_shp_n_fields (shp) && n < 4; i++)
        {
          g_autofree char *raw = NULL, *text = NULL;

          if (fields[i].type != 'C' || rec.dbf == NULL)
            continue;
          raw = g_strndup ((const char *) rec.dbf + 1 + fields[i].offset, fields[i].width);
          g_strstrip (raw);
          if (*raw == '\0')
            continue;
          text = ngam_decoder_decode (decoder, raw, -1);
          if (out->len)
            g_string_append (out, " · ");
          g_string_append (out, text);
          n++;
        }
    }
  ngam_shp_close (shp);
  return out->len ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

static void
show_report (NgamImportDialog       *self,
             const NgamImportReport *r)
{
  clear_preview (self);
  for (guint i = 0; i < r->sources->len; i++)
    {
      NgamImportSourceReport *s = r->sources->pdata[i];
      g_autofree char *base = g_path_get_basename (s->path);
      g_autofree char *enc = s->encoding
        ? g_strdup_printf ("%s (%.0f %%) — %s", s->encoding, 100 * s->encoding_confidence,
                           s->encoding_reason ? s->encoding_reason : "")
        : NULL;
      g_autofree char *counts = NULL;
      g_autofree char *n_read = g_strdup_printf ("%" G_GINT64_FORMAT, s->read);
      g_autofree char *n_added = g_strdup_printf ("%" G_GINT64_FORMAT, s->added);
      g_autofree char *n_updated = g_strdup_printf ("%" G_GINT64_FORMAT, s->updated);
      g_autofree char *n_unchanged = g_strdup_printf ("%" G_GINT64_FORMAT, s->unchanged);
      g_autofree char *n_skipped = g_strdup_printf ("%" G_GINT64_FORMAT, s->skipped);
      g_autofree char *n_repaired = g_strdup_printf ("%" G_GINT64_FORMAT, s->repaired);
      g_autofree char *sample = sample_text (s->path, s->encoding);
      g_autoptr(GString) mapping = g_string_new (NULL);

      /* Numbers as strings: xgettext cannot read G_GINT64_FORMAT. */
      counts = g_strdup_printf (_("%s read: %s new, %s updated, %s unchanged, %s skipped, %s repaired"),
                                n_read, n_added, n_updated, n_unchanged, n_skipped, n_repaired);
      preview_row (self, base, counts);
      preview_row (self, _("Encoding"), enc);
      if (sample)
        preview_row (self, _("Sample of the text"), sample);
      preview_row (self, _("Coordinate system"), s->crs);
      for (guint j = 0; s->mapping && j < s->mapping->len; j++)
        {
          if (j)
            g_string_append_c (mapping, '\n');
          g_string_append (mapping, s->mapping->pdata[j]);
        }
      preview_row (self, _("Fields"), mapping->str);
      for (guint j = 0; s->warnings && j < s->warnings->len; j++)
        preview_row (self, _("Warning"), s->warnings->pdata[j]);
      for (guint j = 0; s->issues && j < s->issues->len; j++)
        {
          NgamImportIssue *issue = s->issues->pdata[j];
          g_autofree char *title = g_strdup_printf ("%s: %" G_GINT64_FORMAT, issue->code, issue->count);

          preview_row (self, title, issue->example);
        }
    }
}

static void
set_status (NgamImportDialog *self,
            const char       *text)
{
  gtk_label_set_text (self->status, text ? text : "");
}

static void
update_buttons (NgamImportDialog *self)
{
  gtk_widget_set_sensitive (self->import_button,
                            !self->running_import && !self->done && self->preview_ok && self->files->len > 0);
  gtk_button_set_label (GTK_BUTTON (self->cancel_button),
                        self->running_import ? _("_Stop") : self->done ? _("_Close") : _("_Cancel"));
}

static void
progress_cb (double      fraction,
             const char *message,
             gpointer    user_data)
{
  NgamImportDialog *self = user_data;

  if (!self->running_import)
    return;
  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->progress, fraction);
  else
    gtk_progress_bar_pulse (self->progress);
  if (message)
    set_status (self, message);
}

typedef struct
{
  NgamImportDialog *self;
  GCancellable     *cancellable;
  gboolean          real;
} Run;

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(NgamImportDialog) self = run->self;
  g_autoptr(GCancellable) cancellable = run->cancellable;
  g_autoptr(GError) error = NULL;
  NgamImportReport *report = ngam_project_import_finish (NGAM_PROJECT (source), result, &error);
  gboolean real = run->real;

  g_free (run);
  /* A preview another one replaced: its news is old. */
  if (cancellable != self->cancellable)
    {
      g_clear_pointer (&report, ngam_import_report_free);
      return;
    }
  self->running_import = FALSE;
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->report, ngam_import_report_free);
  g_clear_error (&self->error);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
  self->report = report;
  if (report == NULL)
    {
      gboolean no_crs = g_error_matches (error, NGAM_IO_ERROR, NGAM_IO_ERROR_NO_CRS);

      self->preview_ok = FALSE;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || real)
        {
          clear_preview (self);
          set_status (self, error->message);
        }
      /* A source without a CRS: ask for it. */
      if (no_crs)
        {
          gtk_widget_set_visible (GTK_WIDGET (self->crs_row), TRUE);
          gtk_widget_add_css_class (GTK_WIDGET (self->crs_row), "error");
        }
      self->error = g_steal_pointer (&error);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->crs_row), "error");
      show_report (self, report);
      self->preview_ok = TRUE;
      if (real)
        {
          g_autofree char *added = g_strdup_printf ("%" G_GINT64_FORMAT, report->added);
          g_autofree char *updated = g_strdup_printf ("%" G_GINT64_FORMAT, report->updated);
          g_autofree char *retired = g_strdup_printf ("%" G_GINT64_FORMAT, report->retired);
          g_autofree char *text = g_strdup_printf (_("Imported: %s added, %s updated, %s retired"),
                                                   added, updated, retired);

          self->done = TRUE;
          set_status (self, text);
        }
      else
        set_status (self, _("Nothing is written until you import"));
    }
  update_buttons (self);
  if (real)
    g_signal_emit (self, signals[FINISHED], 0);
}

static void
start (NgamImportDialog *self,
       gboolean          dry_run)
{
  NgamImportOptions o;

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->files->len == 0 || ngam_project_get_busy (self->project))
    return;
  fill_options (self, &o);
  o.dry_run = dry_run;
  self->cancellable = g_cancellable_new ();
  self->running_import = !dry_run;
  if (!dry_run)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->progress), TRUE);
      gtk_progress_bar_set_fraction (self->progress, 0);
      set_status (self, _("Importing…"));
    }
  else
    set_status (self, _("Reading the files…"));
  update_buttons (self);
  {
    Run *run = g_new0 (Run, 1);

    run->self = g_object_ref (self);
    run->cancellable = g_object_ref (self->cancellable);
    run->real = !dry_run;
    ngam_project_import_async (self->project, &o, progress_cb, self, self->cancellable, run_done, run);
  }
}

static gboolean
preview_idle (gpointer data)
{
  NgamImportDialog *self = data;

  self->preview_source = 0;
  if (self->running_import || self->done)
    return G_SOURCE_REMOVE;
  /* A preview running on the project: wait for it to give it back. */
  if (ngam_project_get_busy (self->project))
    {
      if (self->cancellable)
        g_cancellable_cancel (self->cancellable);
      schedule_preview (self);
      return G_SOURCE_REMOVE;
    }
  start (self, TRUE);
  return G_SOURCE_REMOVE;
}

static void
schedule_preview (NgamImportDialog *self)
{
  self->preview_ok = FALSE;
  update_buttons (self);
  g_clear_handle_id (&self->preview_source, g_source_remove);
  self->preview_source = g_timeout_add (150, preview_idle, self);
}

static void
option_changed (NgamImportDialog *self)
{
  if (!self->done)
    schedule_preview (self);
}

/* ---- files ----------------------------------------------------------------------- */

static void
rebuild_files (NgamImportDialog *self)
{
  for (guint i = 0; i < self->file_rows->len; i++)
    adw_preferences_group_remove (self->files_group, self->file_rows->pdata[i]);
  g_ptr_array_set_size (self->file_rows, 0);
  for (guint i = 0; i < self->files->len; i++)
    {
      g_autofree char *base = g_path_get_basename (self->files->pdata[i]);
      g_autofree char *dir = g_path_get_dirname (self->files->pdata[i]);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), base);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), dir);
      adw_preferences_group_add (self->files_group, row);
      g_ptr_array_add (self->file_rows, row);
    }
}

/**
 * ngam_import_dialog_add_file:
 * @file: a file (a shapefile's .shp: its sidecars come along), a folder
 *   or a .zip archive
 */
void
ngam_import_dialog_add_file (NgamImportDialog *self,
                             GFile            *file)
{
  g_autofree char *path = g_file_get_path (file);

  g_return_if_fail (NGAM_IS_IMPORT_DIALOG (self));

  if (path == NULL)
    return;
  /* The sidecars of a shapefile given by any of them: its .shp. */
  {
    static const char *sidecars[] = { ".dbf", ".shx", ".prj", ".cpg", ".qpj", ".sbn", ".sbx" };

    for (guint i = 0; i < G_N_ELEMENTS (sidecars); i++)
      if (g_str_has_suffix (path, sidecars[i]))
        {
          g_autofree char *stem = g_strndup (path, strlen (path) - 4);
          g_autofree char *shp = g_strconcat (stem, ".shp", NULL);

          if (g_file_test (shp, G_FILE_TEST_EXISTS))
            {
              g_free (path);
              path = g_steal_pointer (&shp);
            }
          break;
        }
  }
  for (guint i = 0; i < self->files->len; i++)
    if (g_str_equal (self->files->pdata[i], path))
      return;
  g_ptr_array_add (self->files, g_steal_pointer (&path));
  rebuild_files (self);
  option_changed (self);
}

static void
files_chosen (NgamImportDialog *self,
              GListModel       *files)
{
  for (guint i = 0; files && i < g_list_model_get_n_items (files); i++)
    {
      g_autoptr(GFile) f = g_list_model_get_item (files, i);

      ngam_import_dialog_add_file (self, f);
    }
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
choose_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(NgamImportDialog) self = data;
  g_autoptr(GListModel) files = gtk_file_dialog_open_multiple_finish (GTK_FILE_DIALOG (source), result, NULL);

  files_chosen (self, files);
}
#else
static void
chooser_response (GtkNativeDialog  *chooser,
                  int               response,
                  NgamImportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));

      files_chosen (self, files);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}
#endif

static void
add_files_clicked (NgamImportDialog *self)
{
#if GTK_CHECK_VERSION (4, 10, 0)
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

  gtk_file_dialog_set_title (dialog, _("Files to Import"));
  gtk_file_dialog_open_multiple (dialog, GTK_WINDOW (self), NULL, choose_done, g_object_ref (self));
#else
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Files to Import"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
#endif
}

/* ---- buttons ----------------------------------------------------------------------- */

static void
import_clicked (NgamImportDialog *self)
{
  start (self, FALSE);
}

static void
cancel_clicked (NgamImportDialog *self)
{
  if (self->running_import)
    {
      /* The import rolls back: the project is as it was. */
      g_cancellable_cancel (self->cancellable);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
ngam_import_dialog_close_request (GtkWindow *window)
{
  NgamImportDialog *self = NGAM_IMPORT_DIALOG (window);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->preview_source, g_source_remove);
  return GTK_WINDOW_CLASS (ngam_import_dialog_parent_class)->close_request (window);
}

/* ---- the object ---------------------------------------------------------------------- */

static void
ngam_import_dialog_dispose (GObject *object)
{
  NgamImportDialog *self = NGAM_IMPORT_DIALOG (object);

  g_clear_handle_id (&self->preview_source, g_source_remove);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->project);
  G_OBJECT_CLASS (ngam_import_dialog_parent_class)->dispose (object);
}

static void
ngam_import_dialog_finalize (GObject *object)
{
  NgamImportDialog *self = NGAM_IMPORT_DIALOG (object);

  g_ptr_array_unref (self->files);
  g_ptr_array_unref (self->file_rows);
  g_ptr_array_unref (self->preview_rows);
  g_strfreev (self->profiles);
  g_clear_pointer (&self->report, ngam_import_report_free);
  g_clear_error (&self->error);
  G_OBJECT_CLASS (ngam_import_dialog_parent_class)->finalize (object);
}

static void
ngam_import_dialog_class_init (NgamImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ngam_import_dialog_dispose;
  object_class->finalize = ngam_import_dialog_finalize;
  window_class->close_request = ngam_import_dialog_close_request;
  /**
   * NgamImportDialog::finished:
   *
   * The import (not a preview) ended: see ngam_import_dialog_get_report()
   * and ngam_import_dialog_get_error().
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static GtkWidget *
new_group (GtkWidget *page, const char *title)
{
  GtkWidget *g = adw_preferences_group_new ();

  if (title)
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (g), title);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (g));
  return g;
}

static void
ngam_import_dialog_init (NgamImportDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *add = gtk_button_new_with_mnemonic (_("_Add Files…"));
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) profiles = gtk_string_list_new (NULL);
  g_auto(GStrv) names = ngam_profile_list_names ();
  GtkWidget *g, *footer;
  GStrvBuilder *builder = g_strv_builder_new ();

  self->files = g_ptr_array_new_with_free_func (g_free);
  self->file_rows = g_ptr_array_new ();
  self->preview_rows = g_ptr_array_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Import"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 680);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  self->import_button = gtk_button_new_with_mnemonic (_("_Import"));
  gtk_widget_add_css_class (self->import_button, "suggested-action");
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->cancel_button);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->import_button);
  g_signal_connect_swapped (self->import_button, "clicked", G_CALLBACK (import_clicked), self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (cancel_clicked), self);
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);

  g = new_group (page, _("Files"));
  self->files_group = ADW_PREFERENCES_GROUP (g);
  gtk_widget_add_css_class (add, "flat");
  adw_preferences_group_set_header_suffix (self->files_group, add);
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (add_files_clicked), self);

  g = new_group (page, _("Import As"));
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    gtk_string_list_append (kinds, g_dgettext (GETTEXT_PACKAGE, ngam_layer_info (k)->title));
  self->kind_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->kind_row), _("Layer"));
  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (kinds));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), GTK_WIDGET (self->kind_row));
  self->operator_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->operator_row), _("Operator"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), GTK_WIDGET (self->operator_row));
  g_strv_builder_add (builder, "");
  gtk_string_list_append (profiles, _("None: fields by name"));
  for (guint i = 0; names && names[i]; i++)
    {
      g_strv_builder_add (builder, names[i]);
      gtk_string_list_append (profiles, names[i]);
    }
  self->profiles = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  self->profile_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->profile_row), _("Profile"));
  adw_combo_row_set_model (self->profile_row, G_LIST_MODEL (profiles));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), GTK_WIDGET (self->profile_row));
  self->encoding_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->encoding_row), _("Encoding (empty: detect)"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), GTK_WIDGET (self->encoding_row));
  self->crs_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->crs_row),
                                 _("Coordinate system of the files (EPSG:4326, EPSG:4756…)"));
  gtk_widget_set_visible (GTK_WIDGET (self->crs_row), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), GTK_WIDGET (self->crs_row));

  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (option_changed), self);
  g_signal_connect_swapped (self->profile_row, "notify::selected", G_CALLBACK (option_changed), self);
  g_signal_connect_swapped (self->operator_row, "changed", G_CALLBACK (option_changed), self);
  g_signal_connect_swapped (self->encoding_row, "changed", G_CALLBACK (option_changed), self);
  g_signal_connect_swapped (self->crs_row, "changed", G_CALLBACK (option_changed), self);

  g = new_group (page, _("What Will Be Imported"));
  self->preview_group = ADW_PREFERENCES_GROUP (g);

  footer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (footer, 12);
  gtk_widget_set_margin_end (footer, 12);
  gtk_widget_set_margin_bottom (footer, 12);
  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
  self->status = GTK_LABEL (gtk_label_new (_("Add the files to import")));
  gtk_label_set_wrap (self->status, TRUE);
  gtk_label_set_xalign (self->status, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "dim-label");
  gtk_box_append (GTK_BOX (footer), GTK_WIDGET (self->progress));
  gtk_box_append (GTK_BOX (footer), GTK_WIDGET (self->status));
  gtk_box_append (GTK_BOX (box), footer);
  adw_window_set_content (ADW_WINDOW (self), box);
  update_buttons (self);
}

/**
 * ngam_import_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @project: the project to import into
 */
NgamImportDialog *
ngam_import_dialog_new (GtkWindow   *parent,
                        NgamProject *project)
{
  NgamImportDialog *self;

  g_return_val_if_fail (NGAM_IS_PROJECT (project), NULL);

  self = g_object_new (NGAM_TYPE_IMPORT_DIALOG, "transient-for", parent, NULL);
  self->project = g_object_ref (project);
  return self;
}

void
ngam_import_dialog_set_kind (NgamImportDialog *self,
                             NgamLayerKind     kind)
{
  g_return_if_fail (NGAM_IS_IMPORT_DIALOG (self));
  adw_combo_row_set_selected (self->kind_row, kind);
}

/* Returns: (transfer none): the entry rows, for tests: "operator",
 * "encoding", "crs". */
GtkWidget *
ngam_import_dialog_get_row (NgamImportDialog *self,
                            const char       *name)
{
  g_return_val_if_fail (NGAM_IS_IMPORT_DIALOG (self), NULL);

  if (g_str_equal (name, "operator"))
    return GTK_WIDGET (self->operator_row);
  if (g_str_equal (name, "encoding"))
    return GTK_WIDGET (self->encoding_row);
  if (g_str_equal (name, "crs"))
    return GTK_WIDGET (self->crs_row);
  return NULL;
}

/* Whether a preview or the import is still running. */
gboolean
ngam_import_dialog_get_busy (NgamImportDialog *self)
{
  g_return_val_if_fail (NGAM_IS_IMPORT_DIALOG (self), FALSE);
  return self->cancellable != NULL || self->preview_source != 0;
}

/* Whether the Import button can be pressed now. */
gboolean
ngam_import_dialog_can_import (NgamImportDialog *self)
{
  g_return_val_if_fail (NGAM_IS_IMPORT_DIALOG (self), FALSE);
  return gtk_widget_get_sensitive (self->import_button);
}

/* Presses Import (as a click does). */
void
ngam_import_dialog_import (NgamImportDialog *self)
{
  g_return_if_fail (NGAM_IS_IMPORT_DIALOG (self));
  if (ngam_import_dialog_can_import (self))
    import_clicked (self);
}

/* Returns: (transfer none) (nullable): the last report, preview or import. */
const NgamImportReport *
ngam_import_dialog_get_report (NgamImportDialog *self)
{
  g_return_val_if_fail (NGAM_IS_IMPORT_DIALOG (self), NULL);
  return self->report;
}

/* Returns: (transfer none) (nullable): the last failure. */
const GError *
ngam_import_dialog_get_error (NgamImportDialog *self)
{
  g_return_val_if_fail (NGAM_IS_IMPORT_DIALOG (self), NULL);
  return self->error;
}

/* Returns: (transfer none): the cancellable of the running job, or NULL. */
GCancellable *
ngam_import_dialog_get_cancellable (NgamImportDialog *self)
{
  g_return_val_if_fail (NGAM_IS_IMPORT_DIALOG (self), NULL);
  return self->cancellable;
}
