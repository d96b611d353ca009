/* ngam-report-opendata.c — the public works schedule for citizens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a province publishes on its open-data portal and its citizens' app
 * (Huế-S): per street, when it will be dug — name, ward, year and phase,
 * method, length, operators — as GeoJSON (RFC 7946: WGS 84 longitude and
 * latitude, written by GDAL, which reprojects) and as CSV, with a small
 * metadata file (title, licence, date, source, CRS).  Nothing that is not
 * public goes in: no costs unless the caller asks for them.
 */
#define G_LOG_DOMAIN "ngam-report"

#include "config.h"

#include <cpl_string.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ngam-gdal.h"
#include "ngam-report-private.h"
#include "ngam-zone.h"

static const char *
method_title (NgamReportData *data, const char *method)
{
  NgamMethodFlags f = ngam_method_from_name (method);

  return f != 0 ? ngam_report_tr (data->lang, ngam_method_info (f)->title) : method;
}

static gboolean
write_geojson (NgamReportData *data, const char *path, GError **error)
{
  g_autoptr(GString) sink = g_string_new (NULL);
  g_auto(OGRSpatialReferenceH) srs = OSRNewSpatialReference (NULL);
  g_auto(GDALDatasetH) ds = NULL;
  GDALDriverH driver = GDALGetDriverByName ("GeoJSON");
  static const char *const fields[] = { "street", "ward", "year", "phase", "method", "method_name",
                                        "length_m", "operators", "cost_vnd" };
  gboolean costs = data->options->opendata_costs;
  char **lco = NULL;
  OGRLayerH l = NULL;
  gboolean ok = TRUE;

  ngam_gdal_errors_push (sink);
  if (driver != NULL)
    ds = GDALCreate (driver, path, 0, 0, 0, GDT_Unknown, NULL);
  ok = ds != NULL && OSRSetFromUserInput (srs, data->crs) == OGRERR_NONE;
  if (ok)
    {
      OSRSetAxisMappingStrategy (srs, OAMS_TRADITIONAL_GIS_ORDER);
      lco = CSLSetNameValue (lco, "RFC7946", "YES");
      lco = CSLSetNameValue (lco, "COORDINATE_PRECISION", "7");
      lco = CSLSetNameValue (lco, "WRITE_NAME", "NO");
      l = GDALDatasetCreateLayer (ds, "works", srs, wkbMultiLineString, lco);
      CSLDestroy (lco);
      ok = l != NULL;
    }
  for (guint i = 0; ok && i < G_N_ELEMENTS (fields); i++)
    {
      OGRFieldDefnH fd;

      if (strcmp (fields[i], "cost_vnd") == 0 && !costs)
        continue;
      fd = OGR_Fld_Create (fields[i], (i == 2 || i == 3) ? OFTInteger : i == 6 ? OFTReal : OFTString);
      if (i == 6)
        OGR_Fld_SetPrecision (fd, 1);
      ok = OGR_L_CreateField (l, fd, TRUE) == OGRERR_NONE;
      OGR_Fld_Destroy (fd);
    }
  for (guint i = 0; ok && i < data->streets->len; i++)
    {
      NgamReportStreet *s = data->streets->pdata[i];
      g_auto(OGRFeatureH) f = OGR_F_Create (OGR_L_GetLayerDefn (l));
      g_autoptr(GBytes) wkb = s->shape != NULL ? ngam_shape_to_wkb (s->shape) : NULL;
      OGRGeometryH g = NULL;

      OGR_F_SetFieldString (f, 0, s->street);
      OGR_F_SetFieldString (f, 1, s->ward);
      OGR_F_SetFieldInteger (f, 2, s->year);
      OGR_F_SetFieldInteger (f, 3, s->phase);
      OGR_F_SetFieldString (f, 4, s->method);
      OGR_F_SetFieldString (f, 5, method_title (data, s->method));
      OGR_F_SetFieldDouble (f, 6, round (s->length_m * 10) / 10);
      OGR_F_SetFieldString (f, 7, s->operators);
      if (costs)
        OGR_F_SetFieldDouble (f, 8, round (s->cost));
      if (wkb != NULL)
        {
          gsize len;
          const guchar *bytes = g_bytes_get_data (wkb, &len);

          if (OGR_G_CreateFromWkbEx ((void *) bytes, NULL, &g, len) == OGRERR_NONE)
            OGR_F_SetGeometryDirectly (f, g);
        }
      ok = OGR_L_CreateFeature (l, f) == OGRERR_NONE;
    }
  if (ds != NULL)
    GDALClose (g_steal_pointer (&ds));
  ngam_gdal_errors_pop ();
  if (!ok)
    g_set_error (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_WRITE, _("Cannot write %s: %s"), path,
                 ngam_gdal_errors_reason (sink));
  return ok;
}

static gboolean
save (const char *path, GString *out, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (!g_file_set_contents_full (path, out->str, out->len, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    {
      g_set_error (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_WRITE, _("Cannot write %s: %s"), path,
                   local->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * ngam_report_write_opendata:
 *
 * Writes PREFIX-works.geojson, PREFIX-works.csv and
 * PREFIX-works-metadata.json into @dir.
 */
gboolean
ngam_report_write_opendata (NgamReportData  *data,
                            const char      *dir,
                            const char      *prefix,
                            GError         **error)
{
  g_autofree char *geojson = g_strdup_printf ("%s/%s-works.geojson", dir, prefix);
  g_autofree char *csv_path = g_strdup_printf ("%s/%s-works.csv", dir, prefix);
  g_autofree char *meta_path = g_strdup_printf ("%s/%s-works-metadata.json", dir, prefix);
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) meta = NULL;
  g_autofree char *title = NULL, *desc = NULL, *text = NULL;
  gboolean costs = data->options->opendata_costs;

  if (!write_geojson (data, geojson, error))
    return FALSE;

  g_string_append (csv, costs ? "street,ward,year,phase,method,method_name,length_m,operators,cost_vnd\r\n"
                              : "street,ward,year,phase,method,method_name,length_m,operators\r\n");
  for (guint i = 0; i < data->streets->len; i++)
    {
      NgamReportStreet *s = data->streets->pdata[i];
      g_autofree char *year = g_strdup_printf ("%d", s->year);
      g_autofree char *phase = g_strdup_printf ("%d", s->phase);
      g_autofree char *len = ngam_report_format_plain (s->length_m, 1);

      ngam_csv_field (csv, s->street, FALSE);
      ngam_csv_field (csv, s->ward, FALSE);
      ngam_csv_field (csv, year, FALSE);
      ngam_csv_field (csv, phase, FALSE);
      ngam_csv_field (csv, s->method, FALSE);
      ngam_csv_field (csv, method_title (data, s->method), FALSE);
      ngam_csv_field (csv, len, FALSE);
      ngam_csv_field (csv, s->operators, !costs);
      if (costs)
        {
          g_autofree char *cost = ngam_report_format_plain (s->cost, 0);

          ngam_csv_field (csv, cost, TRUE);
        }
    }
  if (!save (csv_path, csv, error))
    return FALSE;

  title = g_strdup (ngam_report_tr (data->lang, N_("Schedule of works for undergrounding telecom cables")));
  desc = g_strdup_printf (ngam_report_tr (data->lang, N_("For each street, the year and phase it will be dug, the "
                                                         "construction method, the trench length and the "
                                                         "operators whose cables go underground. Scenario “%s”.")),
                          data->scenario);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, title);
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, desc);
  json_builder_set_member_name (b, "language");
  json_builder_add_string_value (b, ngam_report_lang_code (data->lang));
  /* Data derived from OpenStreetMap stays under its share-alike licence. */
  json_builder_set_member_name (b, "license");
  json_builder_add_string_value (b, data->osm ? "ODbL-1.0" : "CC-BY-4.0");
  json_builder_set_member_name (b, "attribution");
  json_builder_add_string_value (b, data->osm ? "© OpenStreetMap contributors; plan: Ngầm" : "Plan: Ngầm");
  json_builder_set_member_name (b, "date");
  json_builder_add_string_value (b, data->plan->finished != NULL ? data->plan->finished : "");
  json_builder_set_member_name (b, "source");
  {
    g_autofree char *file = g_path_get_basename (ngam_store_get_path (data->store));
    g_autofree char *src = g_strdup_printf ("%s, scenario %s, plan run %" G_GINT64_FORMAT, file, data->scenario,
                                            data->plan->id);
    json_builder_add_string_value (b, src);
  }
  json_builder_set_member_name (b, "crs");
  json_builder_add_string_value (b, "EPSG:4326 (WGS 84, RFC 7946) for the GeoJSON; the CSV has no coordinates");
  json_builder_set_member_name (b, "includes_costs");
  json_builder_add_boolean_value (b, costs);
  json_builder_set_member_name (b, "files");
  json_builder_begin_array (b);
  {
    g_autofree char *g = g_path_get_basename (geojson), *c = g_path_get_basename (csv_path);

    json_builder_add_string_value (b, g);
    json_builder_add_string_value (b, c);
  }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "features");
  json_builder_add_int_value (b, data->streets->len);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  meta = g_string_new (text);
  g_string_append_c (meta, '\n');
  return save (meta_path, meta, error);
}
