/* import-util.h — writing test shapefiles with raw .dbf bytes, reading
 * `ngam-batch import --json` reports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ngam-core.h"
#include "ngam-test-util.h"

/* Each test's own new project, p.ngam in a temporary folder. */
typedef struct
{
  char *dir;
  char *project;
} Fixture;

/* The project made as a user makes one, `ngam-batch new --crs` (@crs, a
 * string, or EPSG:9214 when NULL). */
static inline void
fixture_set_up (Fixture *f, gconstpointer crs)
{
  g_autofree char *err = NULL;

  f->dir = ngam_test_tmpdir ();
  f->project = g_build_filename (f->dir, "p.ngam", NULL);
  g_assert_cmpint (ngam_test_run_batch (NULL, &err, "new", f->project, "--crs", crs ? (const char *) crs : "EPSG:9214",
                                        NULL), ==, 0);
}

/* The same made through the core, without the CLI. */
static inline void
fixture_set_up_core (Fixture *f, gconstpointer crs)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = NULL;

  f->dir = ngam_test_tmpdir ();
  f->project = g_build_filename (f->dir, "p.ngam", NULL);
  store = ngam_store_create (f->project, crs ? (const char *) crs : "EPSG:9214", &error);
  g_assert_no_error (error);
}

static inline void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  ngam_test_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->project);
}

/* One point feature: x, y and the raw bytes of each text field. */
typedef struct
{
  double      x, y;
  const char *values[4];
} TestPoint;

/* Writes @path (.shp) with text fields @fields (raw bytes: ENCODING=""
 * so GDAL writes them untouched), a .prj for @epsg unless 0, no .cpg. */
static inline void
test_write_points (const char        *path,
                   int                epsg,
                   const char *const *fields,
                   const TestPoint   *points,
                   guint              n)
{
  GDALDriverH drv;
  GDALDatasetH ds;
  OGRLayerH layer;
  OGRSpatialReferenceH srs = NULL;
  char **lco = NULL;

  ngam_core_init ();
  drv = GDALGetDriverByName ("ESRI Shapefile");
  ds = GDALCreate (drv, path, 0, 0, 0, GDT_Unknown, NULL);
  g_assert_nonnull (ds);
  if (epsg)
    {
      srs = OSRNewSpatialReference (NULL);
      OSRImportFromEPSG (srs, epsg);
    }
  lco = CSLAddString (lco, "ENCODING=");
  layer = GDALDatasetCreateLayer (ds, "pts", srs, wkbPoint, lco);
  CSLDestroy (lco);
  g_assert_nonnull (layer);
  for (guint f = 0; fields && fields[f]; f++)
    {
      OGRFieldDefnH fd = OGR_Fld_Create (fields[f], OFTString);

      OGR_Fld_SetWidth (fd, 80);
      g_assert_cmpint (OGR_L_CreateField (layer, fd, TRUE), ==, OGRERR_NONE);
      OGR_Fld_Destroy (fd);
    }
  for (guint i = 0; i < n; i++)
    {
      OGRFeatureH feat = OGR_F_Create (OGR_L_GetLayerDefn (layer));
      OGRGeometryH g = OGR_G_CreateGeometry (wkbPoint);

      OGR_G_SetPoint_2D (g, 0, points[i].x, points[i].y);
      OGR_F_SetGeometryDirectly (feat, g);
      for (guint f = 0; fields && fields[f]; f++)
        if (points[i].values[f])
          OGR_F_SetFieldString (feat, f, points[i].values[f]);
      g_assert_cmpint (OGR_L_CreateFeature (layer, feat), ==, OGRERR_NONE);
      OGR_F_Destroy (feat);
    }
  GDALClose (ds);
  if (srs)
    OSRDestroySpatialReference (srs);
  {
    /* GDAL may write a .cpg of its own; the tests decide about that. */
    g_autofree char *stem = g_strndup (path, strlen (path) - 4);
    g_autofree char *cpg = g_strconcat (stem, ".cpg", NULL);

    g_unlink (cpg);
  }
}

/* Counts of every layer plus the import log, to prove "unchanged". */
static inline char *
test_project_state (const char *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (project, NGAM_STORE_OPEN_READ_ONLY, &error);
  GString *s = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      g_autoptr(NgamStoreCursor) c = ngam_store_query (store, k, NULL, NGAM_QUERY_INCLUDE_RETIRED, &error);
      gint64 n = 0, retired = 0;

      g_assert_no_error (error);
      while (ngam_store_cursor_next (c, &error))
        {
          n++;
          retired += ngam_store_cursor_get (c)->retired ? 1 : 0;
        }
      g_assert_no_error (error);
      g_string_append_printf (s, "%s=%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT " ", ngam_layer_info (k)->name, n, retired);
    }
  {
    g_autofree char *imports = ngam_store_dup_meta (store, "schema_version");

    g_string_append_printf (s, "schema=%s", imports);
  }
  return g_string_free (s, FALSE);
}

/* The JSON report `ngam-batch import --json` printed. */
static inline JsonObject *
parse_report (const char *out)
{
  g_autoptr(JsonParser) p = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (p, out, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (p)));
}

/* One of the report's totals. */
static inline gint64
total (JsonObject *report, const char *name)
{
  return json_object_get_int_member (json_object_get_object_member (report, "totals"), name);
}

/* The report of the first source. */
static inline JsonObject *
source0 (JsonObject *report)
{
  return json_array_get_object_element (json_object_get_array_member (report, "sources"), 0);
}

/* Every .shp and .zip under @dir, at any depth, sorted by path. */
static inline int
test_compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static inline void
test_collect_sources_in (const char *dir, GPtrArray *out)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *n;

  while (d && (n = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, n, NULL);
      g_autofree char *lower = g_ascii_strdown (n, -1);

      if (g_file_test (p, G_FILE_TEST_IS_DIR))
        test_collect_sources_in (p, out);
      else if (g_str_has_suffix (lower, ".shp") || g_str_has_suffix (lower, ".zip"))
        g_ptr_array_add (out, g_steal_pointer (&p));
    }
}

static inline void
test_collect_sources (const char *dir, GPtrArray *out)
{
  test_collect_sources_in (dir, out);
  g_ptr_array_sort (out, test_compare_paths);
}
