/* ngam-report.c — writing a scenario's report files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ngam_report_run() checks everything before it writes anything (the
 * plan exists, the files do not, unless replacing them was asked), then
 * writes every file into a hidden folder beside them and moves them into
 * place only when all are complete: a failed or cancelled report leaves
 * the folder as it was.
 */
#define G_LOG_DOMAIN "ngam-report"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ngam-report-private.h"
#include "ngam-zone.h"

G_DEFINE_QUARK (ngam-report-error-quark, ngam_report_error)

static const struct
{
  const char        *name;
  NgamReportFormats  flag;
} format_names[] = {
  { "pdf", NGAM_REPORT_PDF },
  { "html", NGAM_REPORT_HTML },
  { "csv", NGAM_REPORT_CSV },
  { "gpkg", NGAM_REPORT_GPKG },
  { "opendata", NGAM_REPORT_OPENDATA },
};

/**
 * ngam_report_parse_formats:
 * @list: names separated by commas: pdf, html, csv, gpkg, opendata
 */
gboolean
ngam_report_parse_formats (const char         *list,
                           NgamReportFormats  *formats,
                           GError            **error)
{
  g_auto(GStrv) names = g_strsplit (list, ",", -1);

  *formats = 0;
  for (guint i = 0; names[i] != NULL; i++)
    {
      char *name = g_strstrip (names[i]);
      gboolean known = FALSE;

      for (guint k = 0; k < G_N_ELEMENTS (format_names); k++)
        if (g_ascii_strcasecmp (name, format_names[k].name) == 0)
          {
            *formats |= format_names[k].flag;
            known = TRUE;
          }
      if (!known)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Unknown report format “%s”: the formats are pdf, html, csv, gpkg and opendata"), name);
          return FALSE;
        }
    }
  if (*formats == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("No report format named: the formats are pdf, html, csv, gpkg and opendata"));
      return FALSE;
    }
  return TRUE;
}

/* "ngam-default-vi", "ngam-default-vi-phu-hoi": names that any file system
 * and any URL take. */
static char *
file_prefix (const NgamReportOptions *options)
{
  g_autofree char *scenario = ngam_vocab_fold (options->scenario != NULL ? options->scenario : "default");
  g_autofree char *area = options->area != NULL ? ngam_vocab_fold (options->area) : NULL;
  GString *out = g_string_new ("ngam-");

  g_strcanon (scenario, "abcdefghijklmnopqrstuvwxyz0123456789_", '_');
  g_string_append (out, scenario);
  g_string_append_printf (out, "-%s", options->language != NULL ? options->language : "vi");
  if (area != NULL)
    {
      g_strcanon (area, "abcdefghijklmnopqrstuvwxyz0123456789_", '_');
      g_string_append_printf (out, "-%s", area);
    }
  return g_string_free (out, FALSE);
}

/**
 * ngam_report_file_names:
 *
 * Returns: (transfer full) (element-type utf8): the base names of the
 *   files @options asks for, in the order they are written.
 */
GPtrArray *
ngam_report_file_names (const NgamReportOptions *options)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *prefix = file_prefix (options);
  NgamReportFormats f = options->formats != 0 ? options->formats : NGAM_REPORT_DEFAULT_FORMATS;

  if (f & NGAM_REPORT_PDF)
    g_ptr_array_add (names, g_strdup_printf ("%s.pdf", prefix));
  if (f & NGAM_REPORT_HTML)
    g_ptr_array_add (names, g_strdup_printf ("%s.html", prefix));
  if (f & NGAM_REPORT_CSV)
    {
      static const char *const parts[] = { "bill", "operators", "wards", "phases" };

      for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
        g_ptr_array_add (names, g_strdup_printf ("%s-%s.csv", prefix, parts[i]));
    }
  if (f & NGAM_REPORT_GPKG)
    g_ptr_array_add (names, g_strdup_printf ("%s.gpkg", prefix));
  if (f & NGAM_REPORT_OPENDATA)
    {
      g_ptr_array_add (names, g_strdup_printf ("%s-works.geojson", prefix));
      g_ptr_array_add (names, g_strdup_printf ("%s-works.csv", prefix));
      g_ptr_array_add (names, g_strdup_printf ("%s-works-metadata.json", prefix));
    }
  return names;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

/* The HTML page and the GeoPackage are written on threads of their own
 * while the PDF is (each reads the project through its own read-only
 * connection; the data and the document are only read), so a report of
 * every format takes about as long as its longest part on two cores. */
typedef struct
{
  NgamReportData     data;          /* the caller's, with this job's store */
  NgamReportDoc     *doc;
  NgamReportFormats  format;
  char              *project;
  char              *path;
  GCancellable      *cancellable;
  GThread           *thread;
  double             seconds;
  gboolean           ok;
  GError            *error;
} WriterJob;

static gpointer
writer_job_run (gpointer p)
{
  WriterJob *j = p;
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(NgamStore) store = ngam_store_open (j->project, NGAM_STORE_OPEN_READ_ONLY, &j->error);

  if (store == NULL)
    return NULL;
  j->data.store = store;
  if (j->format == NGAM_REPORT_HTML)
    j->ok = ngam_report_write_html (&j->data, j->doc, j->path, j->cancellable, &j->error);
  else
    j->ok = ngam_report_write_gpkg (&j->data, j->path, j->cancellable, &j->error);
  j->data.store = NULL;
  j->seconds = g_timer_elapsed (timer, NULL);
  return NULL;
}

static void
forward_cancel (GCancellable *cancellable, gpointer job_cancel)
{
  g_cancellable_cancel (job_cancel);
}

/* Starts writing @format to @path on a thread; FALSE when the project has
 * no file to open a second connection on (the caller writes it itself). */
static gboolean
writer_job_start (WriterJob *j, NgamReportData *data, NgamReportDoc *doc, NgamReportFormats format,
                  const char *path, GCancellable *cancellable)
{
  const char *project = ngam_store_get_path (data->store);

  if (project == NULL || *project == '\0' || strcmp (project, ":memory:") == 0 ||
      !g_file_test (project, G_FILE_TEST_IS_REGULAR))
    return FALSE;
  j->data = *data;
  j->doc = doc;
  j->format = format;
  j->project = g_strdup (project);
  j->path = g_strdup (path);
  j->cancellable = cancellable;
  j->thread = g_thread_new ("ngam-report", writer_job_run, j);
  return TRUE;
}

/* Waits for @j; returns whether it wrote its file, else its error. */
static gboolean
writer_job_finish (WriterJob *j, const char *what, GError **error)
{
  gboolean ok;

  if (j->thread == NULL)
    return TRUE;
  g_thread_join (j->thread);
  j->thread = NULL;
  g_debug ("%s done in %.3f s (on its own thread)", what, j->seconds);
  ok = j->ok;
  if (!ok)
    {
      if (error != NULL && *error == NULL)
        g_propagate_error (error, g_steal_pointer (&j->error));
    }
  g_clear_error (&j->error);
  g_free (j->project);
  g_free (j->path);
  return ok;
}

/* The time of each step, for the benchmark (G_MESSAGES_DEBUG=ngam-report). */
static void
step_done (GTimer *timer, const char *what)
{
  g_debug ("%s done in %.3f s", what, g_timer_elapsed (timer, NULL));
  g_timer_start (timer);
}

static void
report_progress (NgamProgressFunc progress, gpointer data, double fraction, const char *message)
{
  if (progress != NULL)
    progress (fraction, message, data);
}

/**
 * ngam_report_run:
 * @store: the project, used by this thread only for the length of the call
 * @written: (out) (optional) (transfer full): the paths written
 *
 * Writes the report of @options->scenario's last plan in the formats and
 * the language asked, into @options->out_dir.
 *
 * Returns: TRUE when every file is written; on failure none is.
 */
gboolean
ngam_report_run (NgamStore                *store,
                 const NgamReportOptions  *options,
                 GPtrArray               **written,
                 NgamProgressFunc          progress,
                 gpointer                  progress_data,
                 GCancellable             *cancellable,
                 GError                  **error)
{
  g_autoptr(NgamReportLang) lang = NULL;
  g_autoptr(NgamReportData) data = NULL;
  g_autoptr(NgamReportDoc) doc = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *prefix = file_prefix (options);
  g_autofree char *stage = NULL;
  g_autoptr(GTimer) timer = NULL;
  WriterJob html_job = { 0 }, gpkg_job = { 0 };
  gboolean html_threaded = FALSE, gpkg_threaded = FALSE;
  g_autoptr(GCancellable) job_cancel = NULL;
  gulong forward = 0;
  NgamReportFormats formats = options->formats != 0 ? options->formats : NGAM_REPORT_DEFAULT_FORMATS;
  gboolean ok = TRUE;

  g_return_val_if_fail (store != NULL && options != NULL && options->out_dir != NULL, FALSE);

  lang = ngam_report_lang_new (options->language, error);
  if (lang == NULL)
    return FALSE;
  names = ngam_report_file_names (options);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (options->out_dir, names->pdata[i], NULL);

      if (!options->force && g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_EXISTS,
                       _("%s exists already: it is replaced only when asked, and nothing was written"), path);
          return FALSE;
        }
      g_ptr_array_add (paths, g_steal_pointer (&path));
    }

  report_progress (progress, progress_data, 0.0, _("Reading the plan"));
  timer = g_timer_new ();
  data = ngam_report_data_load (store, options, lang, cancellable, error);
  if (data == NULL)
    return FALSE;
  step_done (timer, "reading the runs");

  if (g_mkdir_with_parents (options->out_dir, 0755) != 0)
    {
      int e = errno;

      g_set_error (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_WRITE, _("Cannot create the folder %s: %s"),
                   options->out_dir, g_strerror (e));
      return FALSE;
    }
  {
    g_autofree char *tmpl = g_build_filename (options->out_dir, ".ngam-report-XXXXXX", NULL);

    stage = g_mkdtemp (g_steal_pointer (&tmpl));
    if (stage == NULL)
      {
        int e = errno;

        g_set_error (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_WRITE, _("Cannot write in the folder %s: %s"),
                     options->out_dir, g_strerror (e));
        return FALSE;
      }
  }

  if (formats & (NGAM_REPORT_PDF | NGAM_REPORT_HTML))
    {
      doc = ngam_report_doc_build (data);
      step_done (timer, "laying out the document");
    }
  job_cancel = g_cancellable_new ();
  if (cancellable != NULL)
    forward = g_cancellable_connect (cancellable, G_CALLBACK (forward_cancel), job_cancel, NULL);
  if (ok && (formats & NGAM_REPORT_HTML) && (formats & (NGAM_REPORT_PDF | NGAM_REPORT_GPKG)))
    {
      g_autofree char *path = g_strdup_printf ("%s/%s.html", stage, prefix);

      html_threaded = writer_job_start (&html_job, data, doc, NGAM_REPORT_HTML, path, job_cancel);
    }
  if (ok && (formats & NGAM_REPORT_GPKG) && (formats & (NGAM_REPORT_PDF | NGAM_REPORT_HTML)))
    {
      g_autofree char *path = g_strdup_printf ("%s/%s.gpkg", stage, prefix);

      gpkg_threaded = writer_job_start (&gpkg_job, data, NULL, NGAM_REPORT_GPKG, path, job_cancel);
    }
  if (ok && (formats & NGAM_REPORT_PDF))
    {
      g_autofree char *path = g_strdup_printf ("%s/%s.pdf", stage, prefix);

      report_progress (progress, progress_data, 0.1, _("Writing the PDF"));
      ok = ngam_report_write_pdf (data, doc, path, cancellable, error);
      step_done (timer, "pdf");
    }
  if (ok && (formats & NGAM_REPORT_HTML) && !html_threaded)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s.html", stage, prefix);

      report_progress (progress, progress_data, 0.5, _("Writing the HTML page"));
      ok = ngam_report_write_html (data, doc, path, cancellable, error);
      step_done (timer, "html");
    }
  if (ok && (formats & NGAM_REPORT_CSV))
    {
      report_progress (progress, progress_data, 0.75, _("Writing the CSV tables"));
      ok = ngam_report_write_csv (data, stage, prefix, error);
      step_done (timer, "csv");
    }
  if (ok && (formats & NGAM_REPORT_GPKG) && !gpkg_threaded)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s.gpkg", stage, prefix);

      report_progress (progress, progress_data, 0.8, _("Writing the GeoPackage"));
      ok = ngam_report_write_gpkg (data, path, cancellable, error);
      step_done (timer, "geopackage");
    }
  if (ok && (formats & NGAM_REPORT_OPENDATA))
    {
      report_progress (progress, progress_data, 0.9, _("Writing the open data"));
      ok = ngam_report_write_opendata (data, stage, prefix, error);
      step_done (timer, "open data");
    }
  /* A failure here cancels the threads' work, so they end soon. */
  if (!ok && (html_threaded || gpkg_threaded))
    g_cancellable_cancel (job_cancel);
  if (html_threaded)
    {
      report_progress (progress, progress_data, 0.92, _("Writing the HTML page"));
      ok = writer_job_finish (&html_job, "html", ok ? error : NULL) && ok;
    }
  if (gpkg_threaded)
    {
      report_progress (progress, progress_data, 0.96, _("Writing the GeoPackage"));
      ok = writer_job_finish (&gpkg_job, "geopackage", ok ? error : NULL) && ok;
    }
  if (forward != 0)
    g_cancellable_disconnect (cancellable, forward);
  if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;

  /* Everything is complete: into place, one rename each. */
  for (guint i = 0; ok && i < names->len; i++)
    {
      g_autofree char *from = g_build_filename (stage, names->pdata[i], NULL);

      if (g_rename (from, paths->pdata[i]) != 0)
        {
          int e = errno;

          g_set_error (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_WRITE, _("Cannot write %s: %s"),
                       (char *) paths->pdata[i], g_strerror (e));
          /* Those already moved go too: all or nothing. */
          for (guint j = 0; j < i; j++)
            g_remove (paths->pdata[j]);
          ok = FALSE;
        }
    }
  remove_tree (stage);
  if (!ok)
    return FALSE;
  report_progress (progress, progress_data, 1.0, NULL);
  if (written != NULL)
    *written = g_steal_pointer (&paths);
  return TRUE;
}
