/* test-cover-real.c — coverage of real cells: the OpenCelliD France
 * sample imported with its profile, clipped to Paris, against SpatiaLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The independent computation is SpatiaLite's own SQL on the same file:
 * ST_Union(ST_Buffer(geom, range_m, 30)) of the cells, which builds its
 * polygons and its union without any of Ngầm's code.
 */
#include "config.h"

#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "cover-test-util.h"
#include "ngam-cover-private.h"
#include "ngam-results.h"
#include "ngam-test-util.h"

/* Paris, in Lambert-93 (EPSG:2154) */
#define BOX "642000, 6852000, 662000, 6872000"
static const double box[4] = { 642000, 6852000, 662000, 6872000 };

static char *dir, *path;

static double
spatialite_number (const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  char *msg = NULL;
  double v;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_enable_load_extension (db, 1);
  if (sqlite3_load_extension (db, "mod_spatialite", NULL, &msg) != SQLITE_OK)
    g_error ("mod_spatialite: %s", msg);
  if (sqlite3_prepare_v2 (db, sql, -1, &st, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  v = sqlite3_column_double (st, 0);
  sqlite3_finalize (st);
  sqlite3_close (db);
  return v;
}

static void
setup_project (void)
{
  g_autofree char *csv = ngam_test_shared_path ("cells/opencellid_france_sample/towers.csv");
  g_autofree char *profile = g_build_filename (g_getenv ("NGAM_SOURCE_ROOT"), "data", "profiles", "opencellid.ini", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = NULL;
  g_autoptr(NgamStoreWriter) w = NULL;
  g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_ADMIN);
  GEOSGeometry *g;

  dir = ngam_test_tmpdir ();
  path = g_build_filename (dir, "france.ngam", NULL);
  g_assert_cmpint (ngam_test_run_batch (NULL, NULL, "new", path, "--crs", "EPSG:2154", NULL), ==, 0);
  g_assert_cmpint (ngam_test_run_batch (NULL, NULL, "import", path, csv, "--kind", "sites", "--profile", profile,
                                        NULL), ==, 0);
  /* Paris as the one ward */
  store = ngam_store_open (path, NGAM_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ngam_store_count (store, NGAM_LAYER_SITES, &error), ==, 29716);
  g_assert_true (ngam_store_begin (store, &error));
  w = ngam_store_writer_new (store, NGAM_LAYER_ADMIN, &error);
  g = ngam_geos_from_wkt ("MULTIPOLYGON (((642000 6852000, 662000 6852000, 662000 6872000, 642000 6872000, "
                          "642000 6852000)))", &error);
  g_assert_true (ngam_shape_from_geos (f->shape, g, &error));
  ngam_geos_free (g);
  ngam_feature_set_text (f, ngam_layer_field_index (NGAM_LAYER_ADMIN, "name"), "Paris");
  ngam_feature_set_text (f, ngam_layer_field_index (NGAM_LAYER_ADMIN, "level"), "ward");
  g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_assert_true (ngam_store_commit (store, &error));
  g_assert_no_error (error);
}

/* The cells of Paris, unioned tile by tile, against SpatiaLite. */
static void
test_union_paris (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (path, NGAM_STORE_OPEN_READ_ONLY, &error);
  g_autoptr(NgamStoreCursor) cur = NULL;
  g_autoptr(GArray) pieces = g_array_new (FALSE, FALSE, sizeof (CoverPiece));
  const int f_range = ngam_layer_field_index (NGAM_LAYER_SITES, "range_m");
  GEOSContextHandle_t h = ngam_geos_context ();
  GEOSGeometry *u;
  double ours, theirs;

  g_assert_no_error (error);
  cur = ngam_store_query (store, NGAM_LAYER_SITES, box, NGAM_QUERY_DEFAULT, &error);
  while (ngam_store_cursor_next (cur, &error))
    {
      const NgamFeature *f = ngam_store_cursor_get (cur);
      CoverPiece p = { f->shape->xy[0], f->shape->xy[1], ngam_feature_get_real (f, f_range), 0, 360, f->fid, 0, -1 };

      g_assert_false (ngam_feature_is_null (f, f_range));
      if (p.x >= box[0] && p.x <= box[2] && p.y >= box[1] && p.y <= box[3])
        g_array_append_val (pieces, p);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (pieces->len, ==, 703);
  /* small tiles, so that many are at work */
  u = cover_union_pieces ((CoverPiece *) pieces->data, pieces->len, 30, 8, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (GEOSisValid_r (h, u));
  GEOSArea_r (h, u, &ours);
  GEOSGeom_destroy_r (h, u);
  theirs = spatialite_number ("SELECT ST_Area(ST_Union(ST_Buffer(geom, range_m, 30))) FROM sites "
                              "WHERE MbrWithin(geom, BuildMbr(" BOX "))");
  g_test_message ("Paris: %u cells, %.6f km² (SpatiaLite %.6f km²)", pieces->len, ours / 1e6, theirs / 1e6);
  g_assert_cmpfloat (fabs (ours - theirs), <=, 1e-3 * theirs);
}

/* The whole analysis on Paris: coverage per technology, valid, equal to
 * SpatiaLite's union clipped to the city; no demand: no share. */
static void
test_gaps_paris (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (path, NGAM_STORE_OPEN_DEFAULT, &error);
  g_autoptr(NgamGapsResult) r = NULL;
  g_autoptr(NgamResultCursor) cur = NULL;
  NgamGapsOptions opt = NGAM_GAPS_OPTIONS_INIT;
  GEOSContextHandle_t h = ngam_geos_context ();
  JsonObject *o;
  guint n = 0;

  g_assert_no_error (error);
  opt.area = "Paris";
  opt.techs = NGAM_GAPS_MOBILE;
  g_assert_true (ngam_gaps_run (store, &opt, &r, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  o = json_node_get_object (r->summary);
  g_assert_false (cover_test_has (o, "indicators.population_covered_share"));
  {
    g_autofree char *notes = json_to_string (json_object_get_member (o, "notes"), FALSE);

    g_assert_true (strstr (notes, "no demand points") != NULL);
  }
  cur = ngam_store_query_results (store, r->run_id, "coverage", NULL, &error);
  g_assert_no_error (error);
  while (ngam_result_cursor_next (cur, &error))
    {
      const NgamResultFeature *f = ngam_result_cursor_get (cur);
      g_autoptr(JsonParser) parser = json_parser_new ();
      const char *tech;
      g_autofree char *sql = NULL;
      GEOSGeometry *g = ngam_shape_to_geos (f->shape, &error);
      double ours, theirs;

      g_assert_no_error (error);
      g_assert_true (GEOSisValid_r (h, g));
      GEOSArea_r (h, g, &ours);
      GEOSGeom_destroy_r (h, g);
      g_assert_true (json_parser_load_from_data (parser, f->attrs, -1, &error));
      tech = json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "tech");
      sql = g_strdup_printf ("SELECT ST_Area(ST_Intersection(ST_Union(ST_Buffer(geom, range_m, 30)), BuildMbr(" BOX ")))"
                             " FROM sites WHERE radio = '%s' AND "
                             "MbrIntersects(BuildMbr(X(geom) - range_m, Y(geom) - range_m, X(geom) + range_m, "
                             "Y(geom) + range_m), BuildMbr(" BOX "))",
                             strcmp (tech, "2G") == 0 ? "GSM" : strcmp (tech, "3G") == 0 ? "UMTS" : "LTE");
      theirs = spatialite_number (sql);
      g_test_message ("%s in Paris: %.6f km² (SpatiaLite %.6f km²)", tech, ours / 1e6, theirs / 1e6);
      g_assert_cmpfloat (fabs (ours - theirs), <=, 1e-3 * theirs);
      n++;
    }
  g_assert_no_error (error);
  /* GSM and UMTS cells reach Paris; the sample's three LTE cells too? */
  g_assert_cmpuint (n, >=, 2);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();
  setup_project ();
  g_test_add_func ("/cover/real/union-paris", test_union_paris);
  g_test_add_func ("/cover/real/gaps-paris", test_gaps_paris);
  status = g_test_run ();
  ngam_test_rmdir (dir);
  g_free (dir);
  g_free (path);
  return status;
}
