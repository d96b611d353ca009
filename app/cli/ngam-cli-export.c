/* ngam-cli-export.c — `ngam-batch export`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-batch"

#include "config.h"

#include <stdio.h>

#include "ngam-cli.h"
#include "ngam-export.h"

#include <gdal.h>

int
ngam_cli_export (int    argc,
                 char **argv)
{
  g_autofree char *layer = NULL;
  g_autofree char *out = NULL;
  g_autofree char *format = NULL;
  g_autofree char *crs = NULL;
  gboolean json = FALSE, force = FALSE;
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(NgamStore) store = NULL;
  NgamExportOptions options = { 0 };
  GError *error = NULL;
  gpointer progress_data = NULL;
  NgamProgressFunc progress;
  gint64 written = 0;
  int status;
  gboolean ok;
  GOptionEntry entries[] = {
    { "layer", 'l', 0, G_OPTION_ARG_STRING, &layer, "The layer to write", "KIND" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "The output file (must not exist, unless --force)", "FILE" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Replace the output if it exists (never a Ngầm project)", NULL },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      "OGR driver (GPKG, “ESRI Shapefile”, GeoJSON, CSV, KML…); default: from the extension", "NAME" },
    { "crs", 0, 0, G_OPTION_ARG_STRING, &crs, "Reproject to this CRS (default: the project's)", "EPSG:N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON summary", NULL },
    { NULL }
  };
  g_autofree char *summary = g_strdup_printf ("Writes one layer (%s) with all its fields, the project fid, "
                                              "the operator and the source columns to any vector format "
                                              "GDAL writes. Shapefiles get short field names and a UTF-8 .cpg.",
                                              ngam_layer_kind_names ());

  ctx = ngam_cli_context ("export", "PROJECT.ngam --layer KIND --out FILE", summary);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!ngam_cli_parse (ctx, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return ngam_cli_usage ("export", "expected one PROJECT.ngam");
  if (layer == NULL || !ngam_layer_kind_from_name (layer, &options.kind))
    return ngam_cli_usage ("export", "--layer must be one of %s", ngam_layer_kind_names ());
  if (out == NULL || *out == '\0')
    return ngam_cli_usage ("export", "--out FILE is required");
  if (crs && !ngam_cli_check_crs ("export", crs, &status))
    return status;
  if (format && (GDALGetDriverByName (format) == NULL ||
                 GDALGetMetadataItem (GDALGetDriverByName (format), GDAL_DCAP_VECTOR, NULL) == NULL ||
                 GDALGetMetadataItem (GDALGetDriverByName (format), GDAL_DCAP_CREATE, NULL) == NULL))
    return ngam_cli_usage ("export", "--format: GDAL has no vector driver that writes “%s” (try GPKG, "
                           "“ESRI Shapefile”, GeoJSON, CSV, KML, FlatGeobuf)", format);
  options.format = format;
  options.overwrite = force;
  options.crs = crs;

  store = ngam_store_open (argv[1], NGAM_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    return ngam_cli_fail (error);
  progress = ngam_cli_progress_func (&progress_data, "export");
  ok = ngam_export_layer (store, &options, out, &written, progress, progress_data,
                          ngam_cli_cancellable (), &error);
  ngam_cli_progress_done (progress_data);
  if (!ok && g_error_matches (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_FORMAT) && format == NULL)
    {
      /* core names no flag: the CLI adds its own */
      char *msg = g_strdup_printf ("%s (--format NAME names it)", error->message);

      g_free (error->message);
      error->message = msg;
    }
  if (!ok)
    return ngam_cli_fail_exists (error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "project");
      json_builder_add_string_value (b, argv[1]);
      json_builder_set_member_name (b, "layer");
      json_builder_add_string_value (b, ngam_layer_info (options.kind)->name);
      json_builder_set_member_name (b, "out");
      json_builder_add_string_value (b, out);
      json_builder_set_member_name (b, "format");
      json_builder_add_string_value (b, format ? format : ngam_export_guess_format (out));
      json_builder_set_member_name (b, "crs");
      json_builder_add_string_value (b, crs ? crs : ngam_store_get_crs (store));
      json_builder_set_member_name (b, "features");
      json_builder_add_int_value (b, written);
      json_builder_end_object (b);
      ngam_cli_print_json (b);
    }
  else
    printf ("wrote %" G_GINT64_FORMAT " %s to %s (%s, %s)\n", written, ngam_layer_info (options.kind)->name,
            out, format ? format : ngam_export_guess_format (out), crs ? crs : ngam_store_get_crs (store));
  return NGAM_EXIT_OK;
}
