/* ngam-report-gpkg.c — the plan's layers as a GeoPackage for QGIS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One layer per kind of result, in the project CRS, with field names a GIS
 * user reads without a manual (street, ward, phase, year, method,
 * length_m, cost_vnd, operators…), and a default style for each in the
 * `layer_styles` table that QGIS reads when it opens a GeoPackage layer
 * (QML, the colours of the report's maps), so the layers look in QGIS as
 * they do in the report.
 */
#define G_LOG_DOMAIN "ngam-report"

#include "config.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ngam-gdal.h"
#include "ngam-render-results.h"
#include "ngam-report-private.h"
#include "ngam-zone.h"

typedef enum { F_TEXT, F_INT, F_REAL } FieldType;

typedef struct
{
  const char *name;      /* field in the GeoPackage */
  FieldType   type;
  const char *attr;      /* JSON attribute it comes from; NULL: a column */
} Field;

typedef struct
{
  const char         *name;      /* GeoPackage layer */
  const char         *source;    /* result layer */
  gboolean            gaps;      /* from the gaps run */
  OGRwkbGeometryType  type;
  const Field        *fields;
  guint               n_fields;
} Layer;

static const Field trench_fields[] = {
  { "street", F_TEXT, "street" }, { "ward", F_TEXT, NULL }, { "phase", F_INT, NULL },
  { "year", F_INT, NULL }, { "method", F_TEXT, "method" }, { "surface", F_TEXT, "surface" },
  { "length_m", F_REAL, "length_m" }, { "cost_vnd", F_REAL, NULL }, { "operators", F_TEXT, "operators" },
  { "cables", F_INT, "cables" }, { "zones", F_TEXT, "zones" }, { "funded", F_INT, "funded" },
  { "street_fid", F_INT, "street_fid" },
};

static const Field duct_fields[] = {
  { "street", F_TEXT, "street" }, { "ward", F_TEXT, NULL }, { "phase", F_INT, NULL },
  { "ducts", F_INT, "ducts" }, { "spare_ducts", F_INT, "spare_ducts" }, { "duct_mm", F_INT, "duct_mm" },
  { "arrangement", F_TEXT, "arrangement" }, { "width_mm", F_INT, "width_mm" },
  { "depth_m", F_REAL, "depth_m" }, { "length_m", F_REAL, "length_m" }, { "with_power", F_INT, "with_power" },
};

static const Field manhole_fields[] = {
  { "kind", F_TEXT, "kind" }, { "reason", F_TEXT, "reason" }, { "ward", F_TEXT, NULL },
  { "phase", F_INT, NULL }, { "cost_vnd", F_REAL, NULL }, { "moved_m", F_REAL, "moved_m" },
};

static const Field span_fields[] = {
  { "operator", F_TEXT, NULL }, { "phase", F_INT, NULL }, { "span_fid", F_INT, "span_fid" },
  { "match", F_TEXT, "match" },
};

static const Field pole_fields[] = {
  { "operator", F_TEXT, NULL }, { "phase", F_INT, NULL }, { "pole_fid", F_INT, "pole_fid" },
};

static const Field phase_fields[] = {
  { "phase", F_INT, NULL }, { "year", F_INT, "year" }, { "cost_vnd", F_REAL, NULL },
  { "trench_m", F_REAL, "trench_m" }, { "funded", F_INT, "funded" },
};

static const Field gap_fields[] = {
  { "ward", F_TEXT, NULL }, { "tech", F_TEXT, "tech" }, { "households", F_INT, "households" },
  { "population", F_INT, "population" },
};

static const Field hazard_fields[] = {
  { "zone_type", F_TEXT, "zone_type" }, { "name", F_TEXT, "name" }, { "depth_m", F_REAL, "depth_m" },
  { "aerial_m", F_REAL, "aerial_m" }, { "poles", F_INT, "poles" }, { "closures", F_INT, "closures" },
  { "sites", F_INT, "sites" }, { "households_cut", F_INT, "households_cut" },
  { "population_cut", F_INT, "population_cut" },
};

static const Layer layers[] = {
  { "trenches", "trench", FALSE, wkbLineString, trench_fields, G_N_ELEMENTS (trench_fields) },
  { "duct_banks", "trench", FALSE, wkbLineString, duct_fields, G_N_ELEMENTS (duct_fields) },
  { "manholes", "manhole", FALSE, wkbPoint, manhole_fields, G_N_ELEMENTS (manhole_fields) },
  { "spans_retired", "span_retired", FALSE, wkbLineString, span_fields, G_N_ELEMENTS (span_fields) },
  { "poles_to_remove", "pole_removed", FALSE, wkbPoint, pole_fields, G_N_ELEMENTS (pole_fields) },
  { "poles_freed", "pole_freed", FALSE, wkbPoint, pole_fields, G_N_ELEMENTS (pole_fields) },
  { "phases", "phase", FALSE, wkbMultiLineString, phase_fields, G_N_ELEMENTS (phase_fields) },
  { "gaps", "gap_area", TRUE, wkbMultiPolygon, gap_fields, G_N_ELEMENTS (gap_fields) },
  { "hazard_exposure", "hazard", TRUE, wkbMultiPolygon, hazard_fields, G_N_ELEMENTS (hazard_fields) },
};

static char *
rgba (double rgb[3])
{
  return g_strdup_printf ("%d,%d,%d,255", (int) lround (rgb[0] * 255), (int) lround (rgb[1] * 255),
                          (int) lround (rgb[2] * 255));
}

static void
qml_line_symbol (GString *q, guint name, double rgb[3], double width_mm, gboolean dashed)
{
  g_autofree char *c = rgba (rgb);
  char width[G_ASCII_DTOSTR_BUF_SIZE];

  /* QGIS reads "0.60", never the "0,60" of a Vietnamese locale's %f */
  g_ascii_formatd (width, sizeof width, "%.2f", width_mm);
  g_string_append_printf (q, "<symbol type=\"line\" name=\"%u\" alpha=\"1\" clip_to_extent=\"1\">"
                             "<layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" pass=\"0\">"
                             "<prop k=\"line_color\" v=\"%s\"/><prop k=\"line_width\" v=\"%s\"/>"
                             "<prop k=\"line_width_unit\" v=\"MM\"/><prop k=\"capstyle\" v=\"round\"/>"
                             "<prop k=\"joinstyle\" v=\"round\"/><prop k=\"line_style\" v=\"%s\"/>"
                             "</layer></symbol>",
                          name, c, width, dashed ? "dash" : "solid");
}

static void
qml_marker_symbol (GString *q, const char *shape, const char *fill, const char *outline, double size_mm)
{
  char size[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (size, sizeof size, "%.1f", size_mm);
  g_string_append_printf (q, "<symbol type=\"marker\" name=\"0\" alpha=\"1\" clip_to_extent=\"1\">"
                             "<layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">"
                             "<prop k=\"name\" v=\"%s\"/><prop k=\"color\" v=\"%s\"/>"
                             "<prop k=\"outline_color\" v=\"%s\"/><prop k=\"size\" v=\"%s\"/>"
                             "<prop k=\"size_unit\" v=\"MM\"/><prop k=\"outline_width\" v=\"0.3\"/>"
                             "</layer></symbol>",
                          shape, fill, outline, size);
}

static void
qml_fill_symbol (GString *q, const char *fill, const char *outline)
{
  g_string_append_printf (q, "<symbol type=\"fill\" name=\"0\" alpha=\"1\" clip_to_extent=\"1\">"
                             "<layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">"
                             "<prop k=\"color\" v=\"%s\"/><prop k=\"outline_color\" v=\"%s\"/>"
                             "<prop k=\"outline_width\" v=\"0.4\"/><prop k=\"style\" v=\"solid\"/>"
                             "</layer></symbol>",
                          fill, outline);
}

static const char qml_head[] = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
                               "<qgis version=\"3.22.0\" styleCategories=\"Symbology\">";

/* The QGIS style of @layer: the report's colours. */
static char *
layer_qml (NgamReportData *data, const Layer *layer)
{
  GString *q = g_string_new (qml_head);

  if (strcmp (layer->name, "trenches") == 0 || strcmp (layer->name, "phases") == 0)
    {
      g_string_append (q, "<renderer-v2 type=\"categorizedSymbol\" attr=\"phase\" symbollevels=\"0\" "
                          "forceraster=\"0\" enableorderby=\"0\"><categories>");
      for (guint i = 0; i < data->phases->len; i++)
        {
          NgamReportRow *r = data->phases->pdata[i];
          g_autofree char *label = ngam_report_phase_title (data->lang, r->phase, r->year);
          g_autofree char *esc = g_markup_escape_text (label, -1);

          g_string_append_printf (q, "<category value=\"%d\" label=\"%s\" symbol=\"%u\" render=\"true\"/>",
                                  r->phase, esc, i);
        }
      g_string_append (q, "</categories><symbols>");
      for (guint i = 0; i < data->phases->len; i++)
        {
          double rgb[3];

          ngam_render_phase_rgb (((NgamReportRow *) data->phases->pdata[i])->phase, rgb);
          qml_line_symbol (q, i, rgb, 1.2, FALSE);
        }
      g_string_append (q, "</symbols></renderer-v2>");
    }
  else if (strcmp (layer->name, "duct_banks") == 0)
    {
      g_string_append (q, "<renderer-v2 type=\"categorizedSymbol\" attr=\"method\" symbollevels=\"0\" "
                          "forceraster=\"0\" enableorderby=\"0\"><categories>");
      for (guint i = 0; i < NGAM_N_METHODS; i++)
        {
          const NgamMethodInfo *m = ngam_method_info_nth (i);
          g_autofree char *esc = g_markup_escape_text (ngam_report_tr (data->lang, m->title), -1);

          g_string_append_printf (q, "<category value=\"%s\" label=\"%s\" symbol=\"%u\" render=\"true\"/>",
                                  m->name, esc, i);
        }
      g_string_append (q, "</categories><symbols>");
      for (guint i = 0; i < NGAM_N_METHODS; i++)
        {
          double rgb[3];

          ngam_render_method_rgb (ngam_method_info_nth (i)->name, rgb);
          qml_line_symbol (q, i, rgb, 1.0, FALSE);
        }
      g_string_append (q, "</symbols></renderer-v2>");
    }
  else
    {
      g_string_append (q, "<renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" forceraster=\"0\" "
                          "enableorderby=\"0\"><symbols>");
      if (strcmp (layer->name, "manholes") == 0)
        qml_marker_symbol (q, "square", "33,33,33,255", "255,255,255,255", 2.0);
      else if (strcmp (layer->name, "poles_to_remove") == 0)
        qml_marker_symbol (q, "cross2", "158,15,15,255", "158,15,15,255", 1.6);
      else if (strcmp (layer->name, "poles_freed") == 0)
        qml_marker_symbol (q, "circle", "255,255,255,255", "77,77,77,255", 1.6);
      else if (strcmp (layer->name, "spans_retired") == 0)
        {
          double rgb[3] = { 0.35, 0.35, 0.35 };

          qml_line_symbol (q, 0, rgb, 0.3, TRUE);
        }
      else if (strcmp (layer->name, "gaps") == 0)
        qml_fill_symbol (q, "140,51,179,56", "115,38,153,230");
      else
        qml_fill_symbol (q, "230,77,26,46", "204,64,13,230");
      g_string_append (q, "</symbols></renderer-v2>");
    }
  g_string_append (q, "</qgis>");
  return g_string_free (q, FALSE);
}

static OGRGeometryH
ogr_geometry (const NgamShape *shape, OGRwkbGeometryType want)
{
  g_autoptr(GBytes) wkb = shape != NULL && shape->n_points > 0 ? ngam_shape_to_wkb (shape) : NULL;
  OGRGeometryH g = NULL;
  gsize len;
  const guchar *bytes;

  if (wkb == NULL)
    return NULL;
  bytes = g_bytes_get_data (wkb, &len);
  if (OGR_G_CreateFromWkbEx ((void *) bytes, NULL, &g, len) != OGRERR_NONE)
    return NULL;
  if (wkbFlatten (OGR_G_GetGeometryType (g)) != want)
    g = OGR_G_ForceTo (g, want, NULL);
  return g;
}

static gboolean
write_layer (NgamReportData  *data,
             GDALDatasetH     ds,
             OGRSpatialReferenceH srs,
             const Layer     *layer,
             GString         *sink,
             GCancellable    *cancellable,
             GError         **error)
{
  gint64 run = layer->gaps ? (data->gaps != NULL ? data->gaps->id : 0) : data->plan->id;
  g_autoptr(NgamResultCursor) cur = NULL;
  g_autoptr(JsonParser) parser = NULL;
  char **lco = NULL;
  OGRLayerH l;
  gboolean duct_banks = strcmp (layer->name, "duct_banks") == 0;

  if (run == 0)
    return TRUE;
  lco = CSLSetNameValue (lco, "SPATIAL_INDEX", "YES");
  l = GDALDatasetCreateLayer (ds, layer->name, srs, layer->type, lco);
  CSLDestroy (lco);
  if (l == NULL)
    return FALSE;
  for (guint i = 0; i < layer->n_fields; i++)
    {
      OGRFieldDefnH fd = OGR_Fld_Create (layer->fields[i].name,
                                         layer->fields[i].type == F_TEXT ? OFTString
                                         : layer->fields[i].type == F_INT ? OFTInteger64 : OFTReal);
      OGRErr err = OGR_L_CreateField (l, fd, TRUE);

      OGR_Fld_Destroy (fd);
      if (err != OGRERR_NONE)
        return FALSE;
    }
  cur = ngam_store_query_results (data->store, run, layer->source, NULL, error);
  if (cur == NULL)
    return FALSE;
  if (OGR_L_StartTransaction (l) != OGRERR_NONE)
    return FALSE;
  while (ngam_result_cursor_next (cur, error))
    {
      const NgamResultFeature *f = ngam_result_cursor_get (cur);
      g_auto(OGRFeatureH) of = NULL;
      OGRGeometryH g;
      JsonObject *attrs;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!ngam_report_data_in_area (data, f))
        continue;
      attrs = ngam_report_data_attrs (f, &parser);
      if (duct_banks && ngam_report_attr_real (attrs, "ducts", 0) <= 0)
        continue;
      of = OGR_F_Create (OGR_L_GetLayerDefn (l));
      for (guint i = 0; i < layer->n_fields; i++)
        {
          const Field *fd = &layer->fields[i];

          if (fd->attr != NULL)
            {
              JsonNode *n = attrs != NULL ? json_object_get_member (attrs, fd->attr) : NULL;

              if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
                continue;
              if (fd->type == F_TEXT)
                {
                  if (json_node_get_value_type (n) == G_TYPE_STRING)
                    OGR_F_SetFieldString (of, i, json_node_get_string (n));
                }
              else if (fd->type == F_INT)
                OGR_F_SetFieldInteger64 (of, i, (GIntBig) llround (ngam_report_attr_real (attrs, fd->attr, 0)));
              else
                OGR_F_SetFieldDouble (of, i, ngam_report_attr_real (attrs, fd->attr, 0));
            }
          else if (strcmp (fd->name, "ward") == 0 && f->ward != NULL)
            OGR_F_SetFieldString (of, i, f->ward);
          else if (strcmp (fd->name, "operator") == 0 && f->operator_name != NULL)
            OGR_F_SetFieldString (of, i, f->operator_name);
          else if (strcmp (fd->name, "phase") == 0 && f->phase >= 0)
            OGR_F_SetFieldInteger64 (of, i, f->phase);
          else if (strcmp (fd->name, "year") == 0 && f->phase >= 0)
            OGR_F_SetFieldInteger64 (of, i, ngam_report_data_phase_year (data, f->phase));
          else if (strcmp (fd->name, "cost_vnd") == 0 && !isnan (f->cost))
            OGR_F_SetFieldDouble (of, i, round (f->cost));
        }
      g = ogr_geometry (f->shape, layer->type);
      if (g != NULL)
        OGR_F_SetGeometryDirectly (of, g);
      if (OGR_L_CreateFeature (l, of) != OGRERR_NONE)
        return FALSE;
    }
  if (error != NULL && *error != NULL)
    return FALSE;
  return OGR_L_CommitTransaction (l) == OGRERR_NONE;
}

static gboolean
write_styles (NgamReportData *data, GDALDatasetH ds)
{
  static const char *const text_fields[] = {
    "f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName", "styleQML",
    "styleSLD", "description", "owner", "ui", "update_time",
  };
  OGRLayerH l = GDALDatasetCreateLayer (ds, "layer_styles", NULL, wkbNone, NULL);

  if (l == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (text_fields); i++)
    {
      OGRFieldDefnH fd = OGR_Fld_Create (text_fields[i], OFTString);

      OGR_L_CreateField (l, fd, TRUE);
      OGR_Fld_Destroy (fd);
      if (i == 6)
        {
          OGRFieldDefnH b = OGR_Fld_Create ("useAsDefault", OFTInteger);

          OGR_Fld_SetSubType (b, OFSTBoolean);
          OGR_L_CreateField (l, b, TRUE);
          OGR_Fld_Destroy (b);
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (layers); i++)
    {
      g_auto(OGRFeatureH) f = NULL;
      g_autofree char *qml = NULL;

      if (GDALDatasetGetLayerByName (ds, layers[i].name) == NULL)
        continue;
      qml = layer_qml (data, &layers[i]);
      f = OGR_F_Create (OGR_L_GetLayerDefn (l));
      OGR_F_SetFieldString (f, OGR_F_GetFieldIndex (f, "f_table_catalog"), "");
      OGR_F_SetFieldString (f, OGR_F_GetFieldIndex (f, "f_table_schema"), "");
      OGR_F_SetFieldString (f, OGR_F_GetFieldIndex (f, "f_table_name"), layers[i].name);
      OGR_F_SetFieldString (f, OGR_F_GetFieldIndex (f, "f_geometry_column"), "geom");
      OGR_F_SetFieldString (f, OGR_F_GetFieldIndex (f, "styleName"), layers[i].name);
      OGR_F_SetFieldString (f, OGR_F_GetFieldIndex (f, "styleQML"), qml);
      OGR_F_SetFieldString (f, OGR_F_GetFieldIndex (f, "styleSLD"), "");
      OGR_F_SetFieldInteger (f, OGR_F_GetFieldIndex (f, "useAsDefault"), 1);
      OGR_F_SetFieldString (f, OGR_F_GetFieldIndex (f, "description"), "Ngầm");
      OGR_F_SetFieldString (f, OGR_F_GetFieldIndex (f, "owner"), "");
      OGR_F_SetFieldString (f, OGR_F_GetFieldIndex (f, "ui"), "");
      OGR_F_SetFieldString (f, OGR_F_GetFieldIndex (f, "update_time"),
                            data->plan->finished != NULL ? data->plan->finished : "");
      if (OGR_L_CreateFeature (l, f) != OGRERR_NONE)
        return FALSE;
    }
  return TRUE;
}

/**
 * ngam_report_write_gpkg:
 *
 * Writes the layers to a new GeoPackage at @path (which must not exist).
 */
gboolean
ngam_report_write_gpkg (NgamReportData  *data,
                        const char      *path,
                        GCancellable    *cancellable,
                        GError         **error)
{
  g_autoptr(GString) sink = g_string_new (NULL);
  g_auto(OGRSpatialReferenceH) srs = OSRNewSpatialReference (NULL);
  g_auto(GDALDatasetH) ds = NULL;
  GDALDriverH driver;
  gboolean ok = TRUE;

  ngam_gdal_errors_push (sink);
  /* The file's timestamps are the run's, so two reports of one run agree. */
  if (data->plan->finished != NULL)
    CPLSetThreadLocalConfigOption ("OGR_CURRENT_DATE", data->plan->finished);
  driver = GDALGetDriverByName ("GPKG");
  if (driver != NULL)
    ds = GDALCreate (driver, path, 0, 0, 0, GDT_Unknown, NULL);
  if (ds == NULL)
    ok = FALSE;
  if (ok && OSRSetFromUserInput (srs, data->crs) != OGRERR_NONE)
    ok = FALSE;
  if (ok)
    OSRSetAxisMappingStrategy (srs, OAMS_TRADITIONAL_GIS_ORDER);
  for (guint i = 0; ok && i < G_N_ELEMENTS (layers); i++)
    ok = write_layer (data, ds, srs, &layers[i], sink, cancellable, error);
  if (ok)
    ok = write_styles (data, ds);
  if (ds != NULL)
    GDALClose (g_steal_pointer (&ds));
  CPLSetThreadLocalConfigOption ("OGR_CURRENT_DATE", NULL);
  ngam_gdal_errors_pop ();
  if (!ok && (error == NULL || *error == NULL))
    g_set_error (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_WRITE, _("Cannot write %s: %s"), path,
                 ngam_gdal_errors_reason (sink));
  return ok;
}
