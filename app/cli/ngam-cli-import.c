/* ngam-cli-import.c — `ngam-batch import`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-batch"

#include "config.h"

#include <stdio.h>

#include "ngam-cli.h"
#include "ngam-encoding.h"
#include "ngam-import.h"
#include "ngam-profile.h"

/* How the CLI sets each option core's messages say is missing: core names
 * no flag, the CLI adds it (ngam_io_error_option(), the warnings' options). */
static const char *const option_hints[NGAM_IMPORT_N_OPTIONS] = {
  [NGAM_IMPORT_OPTION_CRS] = "--crs EPSG:N gives the source's CRS",
  [NGAM_IMPORT_OPTION_OPERATOR] = "--operator NAME gives the operator",
  [NGAM_IMPORT_OPTION_LAYER] = "--layer NAME chooses the layer",
  [NGAM_IMPORT_OPTION_ENCODING] = "--encoding NAME sets the encoding",
  [NGAM_IMPORT_OPTION_SOURCE_NAME] = "--source-name NAME files the source under NAME; --dry-run shows what it would do",
  [NGAM_IMPORT_OPTION_ALLOW_EMPTY] = "--allow-empty retires them, --keep-missing keeps them",
};

static char *
fields_help (void)
{
  GString *s = g_string_new ("Model fields per kind (profiles map source fields onto these):\n");

  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      const NgamLayerInfo *info = ngam_layer_info (k);

      g_string_append_printf (s, "  %-9s", info->name);
      for (guint i = 0; i < info->n_fields; i++)
        g_string_append_printf (s, "%s%s", i ? ", " : " ", info->fields[i].name);
      g_string_append_c (s, '\n');
    }
  {
    g_auto(GStrv) names = ngam_profile_list_names ();
    g_autofree char *list = g_strjoinv (", ", names);

    g_string_append_printf (s, "\nShipped profiles: %s\n", *list ? list : "none found");
    g_string_append (s, "In a profile, lists are split on ';' (code = ma_cot;so_hieu: the first that is set);\n"
                        "a semicolon inside a field name or value is written \\; (code = ma\\;cot).\n");
  }
  g_string_append (s, "\nOperators: --operator (or the profile's operator) says whose all the features are, and\n"
                     "a re-import matches, updates and retires within that operator's features. A profile's\n"
                     "operator_field (e.g. chu_so_huu;don_vi, in vn-operator) instead reads each feature's\n"
                     "operator from the file, through its [values.operator] spellings: the field wins, and\n"
                     "--operator is only the fallback for features whose field is empty. Such a file holds\n"
                     "several operators' features, so its re-import matches within the file (by name), never\n"
                     "within one operator. A source without the field is an error unless --operator is given.\n");
  g_string_append (s, "\nRetiring: a newer file retires the features of its operator (or source name) that it no\n"
                     "longer has; the summary and the JSON give how many (retired, retired_fids). A source that\n"
                     "gives no feature at all would retire every one of them: that is refused, and nothing\n"
                     "written, unless --allow-empty (or --keep-missing, which retires nothing).\n");
  g_string_append (s, "\nExit status: 0 imported, 1 failed (the project is unchanged), 2 bad usage.");
  return g_string_free (s, FALSE);
}

int
ngam_cli_import (int    argc,
                 char **argv)
{
  g_autofree char *kind_name = NULL, *profile = NULL, *operator_name = NULL;
  g_autofree char *layer = NULL, *crs = NULL, *encoding = NULL, *help = NULL, *source_name = NULL;
  gboolean dry_run = FALSE, json = FALSE, keep_missing = FALSE, through_ogr = FALSE, allow_empty = FALSE;
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(NgamStore) store = NULL;
  g_autoptr(NgamImportReport) report = NULL;
  NgamImportOptions opt = { 0 };
  GError *error = NULL;
  gpointer progress_data = NULL;
  NgamProgressFunc progress;
  gboolean ok;
  int status;
  GOptionEntry entries[] = {
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_name, "Layer to fill (required)", "KIND" },
    { "profile", 0, 0, G_OPTION_ARG_FILENAME, &profile, "Field mapping profile: a .ini file or a shipped profile's name", "FILE.ini" },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name, "Whose network this is (VNPT, Viettel…); re-imports match within it. "
      "With a profile's operator_field, only the fallback for features whose field is empty (see below)", "NAME" },
    { "layer", 0, 0, G_OPTION_ARG_STRING, &layer, "Source layer to read when a source has several", "NAME" },
    { "source-name", 0, 0, G_OPTION_ARG_STRING, &source_name,
      "File the source's features under NAME instead of its layer (file) name: a newer copy of a shared file "
      "under a new file name, given the older one's name, replaces it", "NAME" },
    { "crs", 0, 0, G_OPTION_ARG_STRING, &crs, "The sources' CRS, when they have none (no .prj) or a wrong one", "EPSG:N" },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding, "Text encoding (UTF-8, TCVN3, VNI, VISCII, VPS, CP1258, CP1252…), overriding detection", "NAME" },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, "Check and report, write nothing", NULL },
    { "keep-missing", 0, 0, G_OPTION_ARG_NONE, &keep_missing, "Do not retire features a newer file no longer has", NULL },
    { "allow-empty", 0, 0, G_OPTION_ARG_NONE, &allow_empty,
      "Let sources with no features retire every feature they replace (refused otherwise)", NULL },
    { "read-through-ogr", 0, 0, G_OPTION_ARG_NONE, &through_ogr,
      "Read shapefiles through GDAL/OGR, not Ngầm's faster reader of its own (the result is the same)", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the report as JSON", NULL },
    { NULL }
  };

  ctx = ngam_cli_context ("import", "PROJECT.ngam SOURCE…",
                          "Imports operators' files (Shapefile, .zip of shapefiles, GeoPackage, GeoJSON, KML, CSV, "
                          "OSM…) into one layer of the project, all or nothing. Text encodings are detected, "
                          "coordinates reprojected, geometries checked and repaired; importing a newer file "
                          "updates, adds and retires features by their source key.");
  help = fields_help ();
  g_option_context_set_description (ctx, help);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!ngam_cli_parse (ctx, &argc, &argv, &status))
    return status;
  if (argc < 3)
    return ngam_cli_usage ("import", "expected PROJECT.ngam and at least one SOURCE");
  if (kind_name == NULL)
    return ngam_cli_usage ("import", "--kind is required (%s)", ngam_layer_kind_names ());
  if (!ngam_layer_kind_from_name (kind_name, &opt.kind))
    return ngam_cli_usage ("import", "unknown kind “%s” (%s)", kind_name, ngam_layer_kind_names ());
  /* a mistyped option is bad usage, found before any file is opened */
  if (crs && !ngam_cli_check_crs ("import", crs, &status))
    return status;
  if (encoding)
    {
      g_autoptr(NgamDecoder) d = ngam_decoder_new (encoding, &error);

      if (d == NULL)
        {
          status = ngam_cli_usage ("import", "--encoding: %s", error->message);
          g_clear_error (&error);
          return status;
        }
    }
  if (profile)
    {
      g_autofree char *found = ngam_profile_find (profile, &error);

      if (found == NULL)
        {
          status = ngam_cli_usage ("import", "--profile: %s", error->message);
          g_clear_error (&error);
          return status;
        }
    }

  store = ngam_store_open (argv[1], NGAM_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return ngam_cli_fail (error);

  opt.sources = (const char * const *) argv + 2;
  opt.profile = profile;
  opt.operator_name = operator_name;
  opt.layer = layer;
  opt.source_name = source_name;
  opt.crs = crs;
  opt.encoding = encoding;
  opt.dry_run = dry_run;
  opt.keep_missing = keep_missing;
  opt.allow_empty = allow_empty;
  opt.read_through_ogr = through_ogr;

  progress = ngam_cli_progress_func (&progress_data, "importing");
  ok = ngam_import_run (store, &opt, &report, progress, progress_data, ngam_cli_cancellable (), &error);
  ngam_cli_progress_done (progress_data);
  if (!ok && option_hints[ngam_io_error_option (error)])
    {
      char *msg = g_strdup_printf ("%s (%s)", error->message, option_hints[ngam_io_error_option (error)]);

      g_free (error->message);
      error->message = msg;
    }

  if (json && report)
    {
      g_autoptr(JsonNode) node = ngam_import_report_to_json (report);
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autofree char *text = NULL;

      if (!ok)
        {
          JsonObject *o = json_node_get_object (node);

          json_object_set_string_member (o, "error", error->message);
        }
      json_generator_set_pretty (gen, TRUE);
      json_generator_set_root (gen, node);
      text = json_generator_to_data (gen, NULL);
      printf ("%s\n", text);
      ngam_cli_json_printed ();
    }
  else if (report && ok)
    {
      g_autofree char *text = ngam_import_report_to_text_with_hints (report, option_hints);

      fputs (text, stdout);
    }
  if (!ok)
    return ngam_cli_fail (error);
  return NGAM_EXIT_OK;
}
