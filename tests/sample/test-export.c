/* test-export.c — writing layers out through OGR, and reading them back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdal.h>
#include <glib/gstdio.h>
#include <math.h>
#include <ogr_api.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-export.h"
#include "ngam-sample.h"
#include "ngam-test-util.h"
#include "sample-test-util.h"

static char *town;

static gint64
export (NgamLayerKind  kind,
        const char    *path,
        const char    *format,
        const char    *crs)
{
  g_autoptr(NgamStore) store = sample_test_open (town);
  g_autoptr(GError) error = NULL;
  NgamExportOptions options = { kind, format, crs };
  gint64 n = -1;

  g_assert_true (ngam_export_layer (store, &options, path, &n, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return n;
}

/* Reads @path back with OGR and checks every feature against the project:
 * same count, same fid, same text (Vietnamese included), numbers and
 * geometry (within @tolerance: 0 for binary formats, what the text ones
 * round to otherwise). */
static void
check_round_trip (NgamLayerKind  kind,
                  const char    *path,
                  gboolean       short_names,
                  double         tolerance)
{
  g_autoptr(NgamStore) store = sample_test_open (town);
  g_autoptr(GError) error = NULL;
  const NgamLayerInfo *info = ngam_layer_info (kind);
  g_auto(GStrv) columns = ngam_export_columns (kind, short_names);
  GDALDatasetH ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  OGRLayerH layer;
  OGRFeatureDefnH defn;
  OGRFeatureH of;
  int idx[64];
  gint64 n = 0;

  g_assert_nonnull (ds);
  layer = GDALDatasetGetLayer (ds, 0);
  defn = OGR_L_GetLayerDefn (layer);
  for (guint i = 0; columns[i]; i++)
    {
      /* schema-less formats (GeoJSON) drop a column that is always empty;
       * the loop below checks it was */
      idx[i] = OGR_FD_GetFieldIndex (defn, columns[i]);
      if (idx[i] < 0 && (i == 0 || i == 2 || i == 5))
        g_error ("%s has no field %s", path, columns[i]);
      if (short_names)
        g_assert_cmpuint (strlen (columns[i]), <=, 10);
    }
  g_assert_cmpint (OGR_L_GetFeatureCount (layer, TRUE), ==, ngam_store_count (store, kind, NULL));
  OGR_L_ResetReading (layer);
  while ((of = OGR_L_GetNextFeature (layer)) != NULL)
    {
      gint64 fid = OGR_F_GetFieldAsInteger64 (of, idx[0]);
      g_autoptr(NgamFeature) f = ngam_store_get_feature (store, kind, fid, &error);
      OGRGeometryH geom = OGR_F_GetGeometryRef (of);
      g_autoptr(NgamShape) shape = ngam_shape_new ();
      g_autofree guint8 *wkb = NULL;
      gsize len;

      g_assert_no_error (error);
      g_assert_cmpstr (OGR_F_GetFieldAsString (of, idx[2]), ==, f->source_file);
      g_assert_cmpstr (OGR_F_GetFieldAsString (of, idx[5]), ==, f->source_key);
      if (f->operator_name)
        g_assert_cmpstr (OGR_F_GetFieldAsString (of, idx[1]), ==, f->operator_name);
      else if (idx[1] >= 0)
        g_assert_false (OGR_F_IsFieldSetAndNotNull (of, idx[1]) && *OGR_F_GetFieldAsString (of, idx[1]));
      for (guint i = 0; i < info->n_fields; i++)
        {
          int k = idx[NGAM_EXPORT_N_COMMON + i];

          if (ngam_feature_is_null (f, i))
            continue;
          if (k < 0)
            g_error ("%s has no field %s but feature %" G_GINT64_FORMAT " has a value",
                     path, columns[NGAM_EXPORT_N_COMMON + i], fid);
          switch (info->fields[i].type)
            {
            case NGAM_FIELD_TEXT:
              g_assert_cmpstr (OGR_F_GetFieldAsString (of, k), ==, ngam_feature_get_text (f, i));
              break;
            case NGAM_FIELD_REAL:
              g_assert_cmpfloat_with_epsilon (OGR_F_GetFieldAsDouble (of, k), ngam_feature_get_real (f, i), 1e-9);
              break;
            case NGAM_FIELD_INT:
            case NGAM_FIELD_BOOL:
            default:
              g_assert_cmpint (OGR_F_GetFieldAsInteger64 (of, k), ==, ngam_feature_get_int (f, i));
              break;
            }
        }
      g_assert_nonnull (geom);
      len = OGR_G_WkbSize (geom);
      wkb = g_malloc (len);
      OGR_G_ExportToIsoWkb (geom, wkbNDR, wkb);
      g_assert_true (ngam_shape_from_wkb (shape, wkb, len, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (shape->n_points, ==, f->shape->n_points);
      for (guint p = 0; p < 2 * shape->n_points; p++)
        if (fabs (shape->xy[p] - f->shape->xy[p]) > tolerance)
          g_error ("%s feature %" G_GINT64_FORMAT ": coordinate %u is %.17g, expected %.17g",
                   path, fid, p, shape->xy[p], f->shape->xy[p]);
      OGR_F_Destroy (of);
      n++;
    }
  g_assert_cmpint (n, >, 0);
  GDALClose (ds);
}

static void
test_shapefile (void)
{
  g_autofree char *path = sample_test_path ("poles.shp");
  g_autofree char *cpg = sample_test_path ("poles.cpg");
  g_autofree char *text = NULL;
  g_autoptr(NgamStore) store = sample_test_open (town);

  g_assert_cmpint (export (NGAM_LAYER_POLES, path, NULL, NULL), ==, ngam_store_count (store, NGAM_LAYER_POLES, NULL));
  g_assert_true (g_file_get_contents (cpg, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "UTF-8"));
  check_round_trip (NGAM_LAYER_POLES, path, TRUE, 0);
}

static void
test_geopackage (void)
{
  g_autofree char *path = sample_test_path ("poles.gpkg");

  export (NGAM_LAYER_POLES, path, NULL, NULL);
  check_round_trip (NGAM_LAYER_POLES, path, FALSE, 0);
}

/* Every text and integer field of a Shapefile is exactly as wide as its
 * longest value (in bytes: Vietnamese letters take two or three), as the
 * exporter measures them before it writes. */
static void
check_tight_widths (const char *path)
{
  GDALDatasetH ds = GDALOpenEx (path, GDAL_OF_VECTOR, NULL, NULL, NULL);
  OGRLayerH layer = GDALDatasetGetLayer (ds, 0);
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn (layer);
  int n = OGR_FD_GetFieldCount (defn);
  g_autofree int *longest = g_new0 (int, n);
  OGRFeatureH f;

  while ((f = OGR_L_GetNextFeature (layer)) != NULL)
    {
      for (int i = 0; i < n; i++)
        if (OGR_F_IsFieldSetAndNotNull (f, i))
          longest[i] = MAX (longest[i], (int) strlen (OGR_F_GetFieldAsString (f, i)));
      OGR_F_Destroy (f);
    }
  for (int i = 0; i < n; i++)
    {
      OGRFieldDefnH fd = OGR_FD_GetFieldDefn (defn, i);
      OGRFieldType t = OGR_Fld_GetType (fd);

      if (t == OFTString || t == OFTInteger64 || (t == OFTInteger && OGR_Fld_GetSubType (fd) == OFSTNone))
        {
          g_test_message ("%s: %s width %d, longest %d", path, OGR_Fld_GetNameRef (fd), OGR_Fld_GetWidth (fd), longest[i]);
          g_assert_cmpint (OGR_Fld_GetWidth (fd), ==, MAX (longest[i], 1));
        }
    }
  GDALClose (ds);
}

/* Ward names (Phường Thuận Thành…) and spans' long field names. */
static void
test_unicode_and_short_names (void)
{
  g_autofree char *wards = sample_test_path ("wards.shp");
  g_autofree char *spans = sample_test_path ("spans.shp");
  g_autofree char *streets = sample_test_path ("streets.geojson");
  g_auto(GStrv) cols = ngam_export_columns (NGAM_LAYER_DUCTS, TRUE);

  export (NGAM_LAYER_ADMIN, wards, NULL, NULL);
  check_round_trip (NGAM_LAYER_ADMIN, wards, TRUE, 0);
  check_tight_widths (wards);
  export (NGAM_LAYER_SPANS, spans, "ESRI Shapefile", NULL);
  check_round_trip (NGAM_LAYER_SPANS, spans, TRUE, 0);
  check_tight_widths (spans);
  export (NGAM_LAYER_STREETS, streets, NULL, NULL);
  check_round_trip (NGAM_LAYER_STREETS, streets, FALSE, 1e-6);
  g_assert_true (g_strv_contains ((const char * const *) cols, "duct_diam"));
  g_assert_true (g_strv_contains ((const char * const *) cols, "src_file"));
  g_assert_true (g_strv_contains ((const char * const *) cols, "source_key"));
  for (guint i = 0; cols[i]; i++)
    g_assert_cmpuint (strlen (cols[i]), <=, 10);
}

static void
test_reproject (void)
{
  g_autofree char *path = sample_test_path ("sites-4326.gpkg");
  GDALDatasetH ds;
  OGRLayerH layer;
  OGREnvelope env;

  export (NGAM_LAYER_SITES, path, NULL, "EPSG:4326");
  ds = GDALOpenEx (path, GDAL_OF_VECTOR, NULL, NULL, NULL);
  layer = GDALDatasetGetLayer (ds, 0);
  g_assert_cmpint (OGR_L_GetExtent (layer, &env, TRUE), ==, OGRERR_NONE);
  /* longitude first, around Huế */
  g_assert_cmpfloat (env.MinX, >, 107.4);
  g_assert_cmpfloat (env.MaxX, <, 107.8);
  g_assert_cmpfloat (env.MinY, >, 16.3);
  g_assert_cmpfloat (env.MaxY, <, 16.6);
  GDALClose (ds);
}

static void
test_formats (void)
{
  const char *names[] = { "zones.kml", "demand.csv", "routes.fgb", "manholes.geojson" };
  NgamLayerKind kinds[] = { NGAM_LAYER_ZONES, NGAM_LAYER_DEMAND, NGAM_LAYER_ROUTES, NGAM_LAYER_MANHOLES };
  g_autoptr(NgamStore) store = sample_test_open (town);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = sample_test_path (names[i]);
      GDALDatasetH ds;

      g_assert_cmpint (export (kinds[i], path, NULL, NULL), ==, ngam_store_count (store, kinds[i], NULL));
      ds = GDALOpenEx (path, GDAL_OF_VECTOR, NULL, NULL, NULL);
      g_assert_nonnull (ds);
      g_assert_cmpint (OGR_L_GetFeatureCount (GDALDatasetGetLayer (ds, 0), TRUE), ==,
                       ngam_store_count (store, kinds[i], NULL));
      GDALClose (ds);
    }
  g_assert_cmpstr (ngam_export_guess_format ("a/b.SHP"), ==, "ESRI Shapefile");
  g_assert_cmpstr (ngam_export_guess_format ("x.gpkg"), ==, "GPKG");
  g_assert_null (ngam_export_guess_format ("dir.d/noext"));
}

static void
test_refusals (void)
{
  g_autoptr(NgamStore) store = sample_test_open (town);
  g_autoptr(GError) error = NULL;
  g_autofree char *existing = sample_test_path ("exists.gpkg");
  g_autofree char *side = sample_test_path ("side.dbf");
  g_autofree char *side_shp = sample_test_path ("side.shp");
  g_autofree char *unknown = sample_test_path ("poles.xyz");
  g_autofree char *bad_crs = sample_test_path ("bad-crs.gpkg");
  g_autofree char *content = NULL;
  NgamExportOptions options = { NGAM_LAYER_POLES, NULL, NULL };

  g_assert_true (g_file_set_contents (existing, "keep me", -1, NULL));
  g_assert_false (ngam_export_layer (store, &options, existing, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, existing));
  g_assert_true (g_file_get_contents (existing, &content, NULL, NULL));
  g_assert_cmpstr (content, ==, "keep me");
  g_clear_error (&error);

  /* a Shapefile whose .dbf is already there would overwrite it */
  g_assert_true (g_file_set_contents (side, "keep me", -1, NULL));
  g_assert_false (ngam_export_layer (store, &options, side_shp, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_EXISTS);
  g_assert_false (g_file_test (side_shp, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_assert_false (ngam_export_layer (store, &options, unknown, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_FORMAT);
  g_clear_error (&error);
  options.format = "NoSuchDriver";
  g_assert_false (ngam_export_layer (store, &options, bad_crs, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "NoSuchDriver"));
  g_clear_error (&error);
  options.format = "GTiff";   /* a raster driver writes no layers */
  g_assert_false (ngam_export_layer (store, &options, bad_crs, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_FORMAT);
  g_clear_error (&error);

  options.format = NULL;
  options.crs = "EPSG:999999";
  g_assert_false (ngam_export_layer (store, &options, bad_crs, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_CRS);
  g_assert_false (g_file_test (bad_crs, G_FILE_TEST_EXISTS));
}

static void
cancel_soon (double fraction, const char *message, gpointer data)
{
  if (fraction > 0.2)
    g_cancellable_cancel (data);
}

/* A cancelled export leaves no file, not even a Shapefile's side files. */
static void
test_cancel (void)
{
  g_autoptr(NgamStore) store = sample_test_open (town);
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = sample_test_path ("cancelled.shp");
  g_autofree char *dbf = sample_test_path ("cancelled.dbf");
  g_autofree char *gpkg = sample_test_path ("cancelled.gpkg");
  NgamExportOptions options = { NGAM_LAYER_SPANS, NULL, NULL };

  g_assert_false (ngam_export_layer (store, &options, path, NULL, cancel_soon, cancellable, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dbf, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  g_cancellable_reset (cancellable);
  g_assert_false (ngam_export_layer (store, &options, gpkg, NULL, cancel_soon, cancellable, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (gpkg, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  int status;

  sample_test_init (&argc, &argv);
  town = sample_test_town ("town.ngam", 600, 3);

  g_test_add_func ("/export/shapefile", test_shapefile);
  g_test_add_func ("/export/geopackage", test_geopackage);
  g_test_add_func ("/export/unicode-and-short-names", test_unicode_and_short_names);
  g_test_add_func ("/export/reproject", test_reproject);
  g_test_add_func ("/export/formats", test_formats);
  g_test_add_func ("/export/refusals", test_refusals);
  g_test_add_func ("/export/cancel", test_cancel);
  status = sample_test_run ();
  g_free (town);
  return status;
}
