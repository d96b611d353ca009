/* test-export-formats.c — every writable format the export offers, read
 * back with OGR value by value
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * KML put values under the wrong names (the driver adds Name and
 * Description before the fields the export creates, and values were set by
 * position).  Each format here is written and read back, and every column
 * of every feature compared with what the project holds, by the column's
 * exact name.
 */
#include "config.h"

#include <gdal.h>
#include <ogr_api.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-test-util.h"

typedef struct
{
  const char *driver;
  const char *ext;
} Format;

/* DXF and GPX are left out: their schemas are fixed, they keep no fields
 * of ours. */
static const Format formats[] = {
  { "GPKG", "gpkg" },
  { "ESRI Shapefile", "shp" },
  { "CSV", "csv" },
  { "GeoJSON", "geojson" },
  { "GeoJSONSeq", "geojsonl" },
  { "FlatGeobuf", "fgb" },
  { "KML", "kml" },
  { "LIBKML", "kml" },
  { "GML", "gml" },
  { "SQLite", "sqlite" },
  { "MapInfo File", "tab" },
};

static void
set_provenance (NgamFeature *f, const char *op, const char *file, gint64 sfid, const char *key)
{
  f->operator_name = g_strdup (op);
  f->source_file = g_strdup (file);
  f->source_layer = g_strdup ("lop1");
  f->source_fid = sfid;
  f->source_key = g_strdup (key);
}

static void
set (NgamFeature *f, const char *name, const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ngam_feature_set_by_name (f, name, text, &error));
  g_assert_no_error (error);
}

static char *
make_project (const char *dir)
{
  char *path = g_build_filename (dir, "p.ngam", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (path, "EPSG:9214", &error);
  g_autoptr(NgamStoreWriter) w = NULL;
  const char *poles[][5] = {
    /* code, height_m, material, owner, status */
    { "P-001", "8.5", "concrete", "Điện lực Huế", "active" },
    { "P-002", "10", "steel", "VNPT", "planned" },
  };
  const double street_xy[] = { 560000, 1820000, 560100, 1820050 };

  g_assert_no_error (error);
  g_assert_true (ngam_store_begin (store, &error));
  w = ngam_store_writer_new (store, NGAM_LAYER_POLES, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (poles); i++)
    {
      g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_POLES);

      ngam_shape_begin (f->shape, NGAM_SHAPE_POINT);
      ngam_shape_add_point (f->shape, 560000 + 10 * i, 1820000 + 5 * i);
      ngam_shape_finish (f->shape);
      set (f, "code", poles[i][0]);
      set (f, "height_m", poles[i][1]);
      set (f, "material", poles[i][2]);
      set (f, "owner", poles[i][3]);
      set (f, "status", poles[i][4]);
      set_provenance (f, i ? "Viettel" : "VNPT", i ? "cot_viettel.shp" : "cột_vnpt.shp", 7 + i, poles[i][0]);
      g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
    }
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_clear_pointer (&w, ngam_store_writer_free);
  w = ngam_store_writer_new (store, NGAM_LAYER_STREETS, &error);
  g_assert_no_error (error);
  {
    g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_STREETS);

    ngam_shape_begin (f->shape, NGAM_SHAPE_LINESTRING);
    ngam_shape_add_point (f->shape, street_xy[0], street_xy[1]);
    ngam_shape_add_point (f->shape, street_xy[2], street_xy[3]);
    ngam_shape_finish (f->shape);
    set (f, "name", "Lê Lợi");
    set (f, "highway", "primary");
    set (f, "surface", "asphalt");
    set (f, "width_m", "12.5");
    set (f, "sidewalk_m", "3");
    set (f, "bridge", "1");
    set (f, "tunnel", "0");
    set (f, "layer", "1");
    set (f, "festival", "1");
    set_provenance (f, "OSM", "roads.gpkg", 42, "way/42");
    g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
  }
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_assert_true (ngam_store_commit (store, &error));
  g_assert_no_error (error);
  return path;
}

/* The field called exactly @name (OGR's own lookup ignores case: KML's Name
 * would answer for ngam_fid's neighbours otherwise), else the one OGR
 * finds. */
static int
field_exactly (OGRFeatureDefnH defn, const char *name)
{
  for (int i = 0; i < OGR_FD_GetFieldCount (defn); i++)
    if (strcmp (OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i)), name) == 0)
      return i;
  /* KML keeps a street's name as the placemark's <name>, read as Name */
  return OGR_FD_GetFieldIndex (defn, name);
}

static void
check_value (const Format *fmt, const char *column, OGRFeatureH of, int k, const NgamFeature *nf, guint c)
{
  const NgamLayerInfo *info = ngam_layer_info (nf->kind);
  g_autofree char *expected = NULL;
  const char *got = OGR_F_GetFieldAsString (of, k);

  if (c < NGAM_EXPORT_N_COMMON)
    {
      switch (c)
        {
        case 0: expected = g_strdup_printf ("%" G_GINT64_FORMAT, nf->fid); break;
        case 1: expected = g_strdup (nf->operator_name); break;
        case 2: expected = g_strdup (nf->source_file); break;
        case 3: expected = g_strdup (nf->source_layer); break;
        case 4: expected = g_strdup_printf ("%" G_GINT64_FORMAT, nf->source_fid); break;
        default: expected = g_strdup (nf->source_key); break;
        }
      if (g_strcmp0 (got, expected) != 0)
        g_error ("%s: %s of feature %" G_GINT64_FORMAT ": expected “%s”, read back “%s”",
                 fmt->driver, column, nf->fid, expected, got);
      return;
    }
  c -= NGAM_EXPORT_N_COMMON;
  switch (info->fields[c].type)
    {
    case NGAM_FIELD_REAL:
      if (OGR_F_GetFieldAsDouble (of, k) != ngam_feature_get_real (nf, c))
        g_error ("%s: %s of feature %" G_GINT64_FORMAT ": expected %g, read back “%s”",
                 fmt->driver, column, nf->fid, ngam_feature_get_real (nf, c), got);
      break;
    case NGAM_FIELD_INT:
    case NGAM_FIELD_BOOL:
      if (OGR_F_GetFieldAsInteger64 (of, k) != ngam_feature_get_int (nf, c))
        g_error ("%s: %s of feature %" G_GINT64_FORMAT ": expected %" G_GINT64_FORMAT ", read back “%s”",
                 fmt->driver, column, nf->fid, ngam_feature_get_int (nf, c), got);
      break;
    case NGAM_FIELD_TEXT:
    default:
      if (g_strcmp0 (got, ngam_feature_get_text (nf, c)) != 0)
        g_error ("%s: %s of feature %" G_GINT64_FORMAT ": expected “%s”, read back “%s”",
                 fmt->driver, column, nf->fid, ngam_feature_get_text (nf, c), got);
      break;
    }
}

static void
round_trip (NgamStore *store, const char *dir, const Format *fmt, NgamLayerKind kind)
{
  const NgamLayerInfo *info = ngam_layer_info (kind);
  g_autofree char *name = g_strdup_printf ("%s-%s.%s", info->name, fmt->driver, fmt->ext);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStoreCursor) cur = NULL;
  NgamExportOptions options = { kind, fmt->driver, NULL, FALSE };
  g_auto(GStrv) columns = ngam_export_columns (kind, strcmp (fmt->driver, "ESRI Shapefile") == 0);
  GDALDatasetH ds;
  OGRLayerH layer;
  gint64 n = 0, n_read = 0;

  g_strdelimit (name, " ", '_');
  path = g_build_filename (dir, name, NULL);
  ngam_export_layer (store, &options, path, &n, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  g_assert_nonnull (ds);
  layer = GDALDatasetGetLayer (ds, 0);
  g_assert_nonnull (layer);
  cur = ngam_store_query (store, kind, NULL, NGAM_QUERY_DEFAULT, &error);
  g_assert_no_error (error);
  /* by ngam_fid: FlatGeobuf writes in the order of its spatial index */
  {
    g_autoptr(GHashTable) by_fid = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                          (GDestroyNotify) OGR_F_Destroy);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn (layer);
    int k_fid = field_exactly (defn, "ngam_fid");
    OGRFeatureH of;

    g_assert_cmpint (k_fid, >=, 0);
    OGR_L_ResetReading (layer);
    while ((of = OGR_L_GetNextFeature (layer)) != NULL)
      {
        gint64 *key = g_new (gint64, 1);

        *key = OGR_F_GetFieldAsInteger64 (of, k_fid);
        g_hash_table_insert (by_fid, key, of);
      }
    while (ngam_store_cursor_next (cur, &error))
      {
        const NgamFeature *nf = ngam_store_cursor_get (cur);

        of = g_hash_table_lookup (by_fid, &nf->fid);
        if (of == NULL)
          g_error ("%s: feature %" G_GINT64_FORMAT " not read back from %s", fmt->driver, nf->fid, path);
        n_read++;
        for (guint c = 0; columns[c]; c++)
          {
            int k = field_exactly (defn, columns[c]);

            if (k < 0)
              g_error ("%s: no field %s read back from %s", fmt->driver, columns[c], path);
            check_value (fmt, columns[c], of, k, nf, c);
          }
      }
  }
  g_assert_no_error (error);
  g_assert_cmpint (n_read, ==, n);
  g_assert_cmpint (OGR_L_GetFeatureCount (layer, TRUE), ==, n);
  GDALClose (ds);
}

static void
test_round_trip (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *project = make_project (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (project, NGAM_STORE_OPEN_READ_ONLY, &error);
  guint tried = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      if (GDALGetDriverByName (formats[i].driver) == NULL)
        {
          g_test_message ("this GDAL has no %s driver", formats[i].driver);
          continue;
        }
      round_trip (store, dir, &formats[i], NGAM_LAYER_POLES);
      round_trip (store, dir, &formats[i], NGAM_LAYER_STREETS);
      tried++;
    }
  /* GDAL 3.6 on Debian 12 has them all but LIBKML maybe */
  g_assert_cmpuint (tried, >=, G_N_ELEMENTS (formats) - 1);
  ngam_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();
  g_test_add_func ("/io/export/round-trip-every-format", test_round_trip);
  return g_test_run ();
}
