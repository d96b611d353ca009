/* ngam-cli-report.c — `ngam-batch report`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-batch"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "ngam-cli.h"
#include "ngam-report.h"

static int
report_fail (GError *error, const char *project, const char *scenario)
{
  if (g_error_matches (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_EXISTS))
    fprintf (stderr, "ngam-batch report: %s (--force replaces it)\n", error->message);
  else if (g_error_matches (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_NO_RUN))
    fprintf (stderr, "ngam-batch report: %s: ngam-batch plan %s --scenario %s\n", error->message, project,
             scenario != NULL ? scenario : "default");
  else
    fprintf (stderr, "ngam-batch report: %s\n", error->message);
  g_error_free (error);
  return NGAM_EXIT_FAILURE;
}

int
ngam_cli_report (int    argc,
                 char **argv)
{
  g_autofree char *scenario = NULL;
  g_autofree char *formats = NULL;
  g_autofree char *lang = NULL;
  g_autofree char *area = NULL;
  g_autofree char *out = NULL;
  gboolean force = FALSE, json = FALSE, costs = FALSE;
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(NgamStore) store = NULL;
  g_autoptr(GPtrArray) written = NULL;
  NgamReportOptions options = { 0 };
  GError *error = NULL;
  gpointer progress_data = NULL;
  NgamProgressFunc progress;
  int status;
  gboolean ok;
  GOptionEntry entries[] = {
    { "scenario", 's', 0, G_OPTION_ARG_STRING, &scenario, "The scenario (default: default)", "NAME" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &formats,
      "What to write: pdf, html, csv, gpkg, opendata, separated by commas (default: pdf,html,csv,gpkg)", "LIST" },
    { "lang", 'l', 0, G_OPTION_ARG_STRING, &lang, "The report's language: vi or en (default: vi)", "vi|en" },
    { "area", 'a', 0, G_OPTION_ARG_STRING, &area, "Report on one ward only", "WARD" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "The folder the files go in (created if missing)", "DIR" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Replace report files that exist", NULL },
    { "opendata-costs", 0, 0, G_OPTION_ARG_NONE, &costs, "Give each street's cost in the open data too", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the files written as JSON", NULL },
    { NULL }
  };

  ctx = ngam_cli_context ("report", "PROJECT.ngam --out DIR",
                          "Writes the report of a scenario's last plan: a PDF (A4 text, A3 maps) and a "
                          "self-contained HTML page for the committee, CSV tables (bill of quantities, "
                          "operators, wards, phases), a GeoPackage with QGIS styles, and with --format opendata "
                          "the public works schedule (GeoJSON, CSV and metadata). Run `ngam-batch plan` first.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!ngam_cli_parse (ctx, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return ngam_cli_usage ("report", "expected one PROJECT.ngam");
  if (out == NULL)
    return ngam_cli_usage ("report", "--out DIR is required");
  if (lang != NULL && g_strcmp0 (lang, "vi") != 0 && g_strcmp0 (lang, "en") != 0)
    return ngam_cli_usage ("report", "--lang must be vi or en, not “%s”", lang);
  if (formats != NULL && !ngam_report_parse_formats (formats, &options.formats, &error))
    {
      int r = ngam_cli_usage ("report", "--format: %s", error->message);

      g_error_free (error);
      return r;
    }
  options.scenario = scenario;
  options.language = lang;
  options.area = area;
  options.out_dir = out;
  options.force = force;
  options.opendata_costs = costs;

  store = ngam_store_open (argv[1], NGAM_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    return report_fail (error, argv[1], scenario);
  progress = ngam_cli_progress_func (&progress_data, "report");
  ok = ngam_report_run (store, &options, &written, progress, progress_data, ngam_cli_cancellable (), &error);
  ngam_cli_progress_done (progress_data);
  if (!ok)
    return report_fail (error, argv[1], scenario);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "project");
      json_builder_add_string_value (b, argv[1]);
      json_builder_set_member_name (b, "scenario");
      json_builder_add_string_value (b, scenario != NULL ? scenario : "default");
      json_builder_set_member_name (b, "lang");
      json_builder_add_string_value (b, lang != NULL ? lang : "vi");
      json_builder_set_member_name (b, "files");
      json_builder_begin_array (b);
      for (guint i = 0; i < written->len; i++)
        json_builder_add_string_value (b, written->pdata[i]);
      json_builder_end_array (b);
      json_builder_end_object (b);
      ngam_cli_print_json (b);
    }
  else
    for (guint i = 0; i < written->len; i++)
      printf ("wrote %s\n", (char *) written->pdata[i]);
  return NGAM_EXIT_OK;
}
