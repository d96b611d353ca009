/* test-cover-demo.c — the coverage analysis on the generated Huế demo:
 * gaps where the generator left them, the river flood zones' exposure
 * against SpatiaLite, every fibre proposal connected, indicators that add
 * up per ward
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "cover-test-util.h"
#include "ngam-results.h"
#include "ngam-sample.h"
#include "ngam-test-util.h"

static char *dir, *path;
static NgamGapsResult *full;     /* --hazard all, stored */

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
setup_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = NULL;
  NgamSampleOptions sopt = { 3000, 1 };
  NgamGapsOptions opt = NGAM_GAPS_OPTIONS_INIT;

  dir = ngam_test_tmpdir ();
  path = g_build_filename (dir, "demo.ngam", NULL);
  store = ngam_store_create (path, "EPSG:9214", &error);
  g_assert_no_error (error);
  g_assert_true (ngam_sample_generate (store, &sopt, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  opt.hazards = NGAM_ZONE_FLOOD | NGAM_ZONE_LANDSLIDE;
  g_assert_true (ngam_gaps_run (store, &opt, &full, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static double
sum_wards (JsonObject *o,
           const char *path_in_ward)
{
  JsonArray *wards = json_object_get_array_member (o, "wards");
  double s = 0;

  for (guint i = 0; i < json_array_get_length (wards); i++)
    {
      double v = cover_test_number (json_array_get_object_element (wards, i), path_in_ward);

      g_assert_false (isnan (v));
      s += v;
    }
  return s;
}

static void
test_indicators_add_up (void)
{
  JsonObject *o = json_node_get_object (full->summary);
  const char *techs[] = { "2G", "3G", "4G", "5G" };

  g_assert_cmpfloat (sum_wards (o, "households"), ==, cover_test_number (o, "demand.households"));
  g_assert_cmpfloat (sum_wards (o, "households_fibre"), ==, cover_test_number (o, "indicators.households_fibre"));
  g_assert_cmpfloat (sum_wards (o, "unserved_households"), ==, cover_test_number (o, "fibre.unserved_households"));
  for (guint t = 0; t < G_N_ELEMENTS (techs); t++)
    {
      g_autofree char *p = g_strdup_printf ("population_covered.%s", techs[t]);
      g_autofree char *q = g_strdup_printf ("indicators.population_covered.%s", techs[t]);
      g_autofree char *s = g_strdup_printf ("indicators.population_covered_share.%s", techs[t]);

      g_assert_cmpfloat_with_epsilon (sum_wards (o, p), cover_test_number (o, q), 1e-6);
      g_assert_cmpfloat_with_epsilon (cover_test_number (o, s),
                                      cover_test_number (o, q) / cover_test_number (o, "demand.population"), 1e-12);
    }
  /* the demo's households: the generator's own count */
  g_assert_cmpfloat (cover_test_number (o, "demand.households"), ==,
                     spatialite_number ("SELECT SUM(households) FROM demand"));
}

/* 5G only near the centre, no 3G at all: the gap points lie outside the
 * stored coverage of their technology, the covered demand inside. */
static void
test_gaps_where_left (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (path, NGAM_STORE_OPEN_READ_ONLY, &error);
  g_autoptr(NgamResultCursor) cur = NULL;
  JsonObject *o = json_node_get_object (full->summary);
  GEOSContextHandle_t h = ngam_geos_context ();
  GEOSGeometry *cov5 = NULL;
  const GEOSPreparedGeometry *prep;
  guint checked = 0;

  g_assert_no_error (error);
  g_assert_cmpfloat (cover_test_number (o, "indicators.population_covered_share.3G"), ==, 0);
  g_assert_cmpfloat (cover_test_number (o, "indicators.population_covered_share.5G"), >, 0.05);
  g_assert_cmpfloat (cover_test_number (o, "indicators.population_covered_share.5G"), <, 0.95);
  g_assert_cmpfloat (cover_test_number (o, "mobile.5G.uncovered_points"), >, 0);
  cur = ngam_store_query_results (store, full->run_id, "coverage", NULL, &error);
  while (ngam_result_cursor_next (cur, &error))
    {
      const NgamResultFeature *f = ngam_result_cursor_get (cur);

      if (strstr (f->attrs, "\"5G\""))
        cov5 = ngam_shape_to_geos (f->shape, &error);
    }
  g_assert_no_error (error);
  g_assert_nonnull (cov5);
  g_assert_true (GEOSisValid_r (h, cov5));
  prep = GEOSPrepare_r (h, cov5);
  g_clear_pointer (&cur, ngam_result_cursor_free);
  cur = ngam_store_query_results (store, full->run_id, "gap_point", NULL, &error);
  while (ngam_result_cursor_next (cur, &error))
    {
      const NgamResultFeature *f = ngam_result_cursor_get (cur);
      GEOSGeometry *pt;

      if (!strstr (f->attrs, "\"5G\""))
        continue;
      pt = ngam_shape_to_geos (f->shape, &error);
      g_assert_cmpint (GEOSPreparedContains_r (h, prep, pt), ==, 0);
      GEOSGeom_destroy_r (h, pt);
      checked++;
    }
  g_assert_no_error (error);
  g_assert_cmpfloat (checked, ==, cover_test_number (o, "mobile.5G.uncovered_points"));
  GEOSPreparedGeom_destroy_r (h, prep);
  GEOSGeom_destroy_r (h, cov5);
  /* fibre: every household has some operator's fibre near, but each
   * operator leaves some out */
  g_assert_cmpfloat (cover_test_number (o, "fibre.by_operator.MobiFone.households_share"), <, 0.9);
  g_assert_cmpfloat (cover_test_number (o, "fibre.by_operator.MobiFone.households_share"), >, 0.1);
}

/* The river flood zones: their plant against SpatiaLite's count of the
 * same poles and length of the same spans. */
static void
test_flood_exposure (void)
{
  JsonObject *o = json_node_get_object (full->summary);
  JsonArray *hz = json_object_get_array_member (o, "hazards");
  guint river = 0;
  double cut = 0;

  g_assert_cmpuint (json_array_get_length (hz), ==,
                    spatialite_number ("SELECT COUNT(*) FROM zones WHERE zone_type IN ('flood', 'landslide')"));
  for (guint i = 0; i < json_array_get_length (hz); i++)
    {
      JsonObject *z = json_array_get_object_element (hz, i);
      gint64 fid = (gint64) cover_test_number (z, "zone_fid");
      g_autofree char *q_poles = g_strdup_printf (
        "SELECT COUNT(*) FROM poles p, zones z WHERE z.fid = %" G_GINT64_FORMAT " AND ST_Intersects(z.geom, p.geom) "
        "AND p.ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'poles' AND search_frame = z.geom)", fid);
      g_autofree char *q_aerial = g_strdup_printf (
        "SELECT COALESCE(SUM(ST_Length(ST_Intersection(s.geom, z.geom))), 0) FROM spans s, zones z "
        "WHERE z.fid = %" G_GINT64_FORMAT " AND ST_Intersects(z.geom, s.geom)"
        "AND s.ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'spans' AND search_frame = z.geom)", fid);

      if (!strstr (json_object_get_string_member (z, "zone"), "sông Hương"))
        continue;
      river++;
      g_assert_cmpstr (json_object_get_string_member (z, "zone_type"), ==, "flood");
      g_assert_cmpfloat (cover_test_number (z, "plant.poles"), ==, spatialite_number (q_poles));
      g_assert_cmpfloat_with_epsilon (cover_test_number (z, "plant.aerial_m"), spatialite_number (q_aerial), 1e-6);
      cut += cover_test_number (z, "households_cut");
      g_assert_cmpfloat (cover_test_number (z, "households_cut"), <=, cover_test_number (o, "fibre.households_served"));
    }
  g_assert_cmpuint (river, >=, 4);
  g_assert_cmpfloat (cut, >, 0);
}

/* With a 60 m drop many households are left out: every extension starts
 * at an access point, and its cost is the catalogue's. */
static void
test_fibre_proposals_connected (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (path, NGAM_STORE_OPEN_READ_ONLY, &error);
  g_autoptr(NgamGapsResult) r = NULL;
  NgamGapsOptions opt = NGAM_GAPS_OPTIONS_INIT;
  GEOSContextHandle_t h = ngam_geos_context ();
  JsonObject *o;
  JsonArray *pf;
  double last = 0;

  opt.store_results = FALSE;
  opt.techs = NGAM_GAPS_FIBRE;
  opt.max_drop_m = 60;
  g_assert_true (ngam_gaps_run (store, &opt, &r, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  o = json_node_get_object (r->summary);
  g_assert_cmpfloat (cover_test_number (o, "indicators.households_fibre_share"), <, 0.95);
  pf = json_object_get_array_member (json_object_get_object_member (o, "proposals"), "fibre");
  g_assert_cmpuint (json_array_get_length (pf), >, 0);
  for (guint i = 0; i < json_array_get_length (pf); i++)
    {
      JsonObject *p = json_array_get_object_element (pf, i);
      double hh = cover_test_number (p, "households"), len = cover_test_number (p, "length_m");
      double cost = len * 900000 + hh * 1500000, x, y;
      GEOSGeometry *ap;

      g_assert_cmpfloat (hh, >, 0);
      g_assert_cmpfloat_with_epsilon (cover_test_number (p, "cost_vnd"), cost, 1e-3);
      g_assert_cmpfloat_with_epsilon (cover_test_number (p, "cost_per_household"), cost / hh, 1e-6);
      g_assert_cmpfloat (cover_test_number (p, "cost_per_household"), >=, last - 1e-6);
      last = cover_test_number (p, "cost_per_household");
      x = cover_test_number (p, "from_access_point.x");
      y = cover_test_number (p, "from_access_point.y");
      g_assert_false (isnan (x));
      ap = GEOSGeom_createPointFromXY_r (h, x, y);
      /* the access point is a pole on an active fibre span of the demo */
      {
        g_autofree char *sql = g_strdup_printf (
          "SELECT COUNT(*) FROM spans WHERE cable_type = 'fibre' AND status = 'active' AND "
          "(abs(X(StartPoint(geom)) - %.6f) < 0.01 AND abs(Y(StartPoint(geom)) - %.6f) < 0.01 OR "
          " abs(X(EndPoint(geom)) - %.6f) < 0.01 AND abs(Y(EndPoint(geom)) - %.6f) < 0.01)", x, y, x, y);

        g_assert_cmpfloat (spatialite_number (sql), >, 0);
      }
      GEOSGeom_destroy_r (h, ap);
    }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();
  setup_demo ();
  g_test_add_func ("/cover/demo/indicators-add-up", test_indicators_add_up);
  g_test_add_func ("/cover/demo/gaps-where-left", test_gaps_where_left);
  g_test_add_func ("/cover/demo/flood-exposure", test_flood_exposure);
  g_test_add_func ("/cover/demo/fibre-proposals-connected", test_fibre_proposals_connected);
  status = g_test_run ();
  ngam_gaps_result_free (full);
  ngam_test_rmdir (dir);
  g_free (dir);
  g_free (path);
  return status;
}
