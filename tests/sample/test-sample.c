/* test-sample.c — the demo town generator: determinism, plausibility,
 * refusals and cancellation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-sample.h"
#include "ngam-test-util.h"
#include "sample-test-util.h"

/* One town for the read-only checks, made once. */
#define TOWN_SIZE 1500
static char *town;

/* Runs one SQL query on the file (read-only) and returns the first
 * column of the first row as text. */

static gint64
sql_int (const char *path,
         const char *sql)
{
  g_autofree char *t = ngam_test_sql_text (path, sql);

  return t ? g_ascii_strtoll (t, NULL, 10) : -1;
}

/* ---- determinism -------------------------------------------------- */

static void
test_same_seed_same_bytes (void)
{
  g_autofree char *a = sample_test_town ("same-a.ngam", 400, 7);
  g_autofree char *b = sample_test_town ("same-b.ngam", 400, 7);
  g_autofree char *ha = ngam_test_sha256_file (a);
  g_autofree char *hb = ngam_test_sha256_file (b);

  g_assert_nonnull (ha);
  g_assert_cmpstr (ha, ==, hb);
  /* and no clock went into it */
  g_assert_cmpint (sql_int (a, "SELECT count(*) FROM spatialite_history "
                               "WHERE timestamp <> '1970-01-01T00:00:00.000Z'"), ==, 0);
}

static void
test_other_seed_other_bytes (void)
{
  g_autofree char *a = sample_test_town ("seed-7.ngam", 400, 7);
  g_autofree char *b = sample_test_town ("seed-8.ngam", 400, 8);
  g_autofree char *ha = ngam_test_sha256_file (a);
  g_autofree char *hb = ngam_test_sha256_file (b);
  g_autofree char *pa = ngam_test_sql_text (a, "SELECT group_concat(hex(geom)) FROM (SELECT geom FROM poles ORDER BY fid LIMIT 50)");
  g_autofree char *pb = ngam_test_sql_text (b, "SELECT group_concat(hex(geom)) FROM (SELECT geom FROM poles ORDER BY fid LIMIT 50)");

  g_assert_cmpstr (ha, !=, hb);
  g_assert_cmpstr (pa, !=, pb);
}

/* ---- plausibility ----------------------------------------------------- */

static void
test_every_layer (void)
{
  g_autoptr(NgamStore) store = sample_test_open (town);
  g_autoptr(GError) error = NULL;
  g_autofree char *problems = NULL;
  g_autofree char *inter = ngam_store_dup_meta (store, "sample_intersections");
  gint64 n;

  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      const char *name = ngam_layer_info (k)->name;
      g_autofree char *sql = NULL;
      g_autofree char *check = NULL;

      n = ngam_store_count (store, k, &error);
      g_assert_no_error (error);
      if (n <= 0)
        g_error ("layer %s has %" G_GINT64_FORMAT " features", name, n);
      /* every feature names its source, with a key unique in the layer */
      sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE source_file IS NOT 'ngam-sample' OR source_key IS NULL", name);
      g_assert_cmpint (sql_int (town, sql), ==, 0);
      g_free (sql);
      sql = g_strdup_printf ("SELECT count(DISTINCT source_key) FROM %s", name);
      g_assert_cmpint (sql_int (town, sql), ==, n);
      /* the packed spatial index is a sound R*Tree */
      g_free (sql);
      sql = g_strdup_printf ("SELECT rtreecheck('idx_%s_geom')", name);
      check = ngam_test_sql_text (town, sql);
      g_assert_cmpstr (check, ==, "ok");
    }
  g_assert_true (ngam_store_check_integrity (store, &problems, &error));
  g_assert_no_error (error);
  /* --size is the number of intersections, roughly */
  g_assert_nonnull (inter);
  g_assert_cmpint (g_ascii_strtoll (inter, NULL, 10), >, TOWN_SIZE * 0.85);
  g_assert_cmpint (g_ascii_strtoll (inter, NULL, 10), <, TOWN_SIZE * 1.15);
}

/* Every geometry is valid and lies in Huế. */
static void
test_geometry (void)
{
  g_autoptr(NgamStore) store = sample_test_open (town);
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamCrs) crs = ngam_crs_new ("EPSG:9214", &error);
  g_autoptr(NgamCrs) wgs84 = ngam_crs_new_epsg (4326, &error);
  g_autoptr(NgamTransform) tr = ngam_transform_new (crs, wgs84, &error);
  GEOSContextHandle_t h = ngam_geos_context ();
  double bbox[4];

  g_assert_no_error (error);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      g_autoptr(NgamStoreCursor) c = ngam_store_query (store, k, NULL, NGAM_QUERY_SHAPE_ONLY, &error);

      g_assert_no_error (error);
      while (ngam_store_cursor_next (c, &error))
        {
          const NgamFeature *f = ngam_store_cursor_get (c);
          GEOSGeometry *g = ngam_shape_to_geos (f->shape, &error);

          g_assert_no_error (error);
          if (GEOSisValid_r (h, g) != 1)
            g_error ("%s feature %" G_GINT64_FORMAT " is not valid: %s", ngam_layer_info (k)->name,
                     f->fid, GEOSisValidReason_r (h, g));
          GEOSGeom_destroy_r (h, g);
        }
      g_assert_no_error (error);
    }
  g_assert_true (ngam_store_get_extent (store, -1, bbox, &error));
  g_assert_true (ngam_transform_points (tr, bbox, 2, &error));
  g_test_message ("extent: %.4f°E %.4f°N – %.4f°E %.4f°N", bbox[0], bbox[1], bbox[2], bbox[3]);
  g_assert_cmpfloat (bbox[0], >, 107.45);
  g_assert_cmpfloat (bbox[2], <, 107.71);
  g_assert_cmpfloat (bbox[1], >, 16.36);
  g_assert_cmpfloat (bbox[3], <, 16.56);
  g_assert_cmpfloat (bbox[0], <, 107.58);
  g_assert_cmpfloat (bbox[2], >, 107.58);
  g_assert_cmpfloat (bbox[1], <, 16.46);
  g_assert_cmpfloat (bbox[3], >, 16.46);
}

static double
point_segment (double px, double py, const double *a, const double *b)
{
  double dx = b[0] - a[0], dy = b[1] - a[1], l2 = dx * dx + dy * dy;
  double t = l2 > 0 ? ((px - a[0]) * dx + (py - a[1]) * dy) / l2 : 0;

  t = CLAMP (t, 0, 1);
  return hypot (px - a[0] - t * dx, py - a[1] - t * dy);
}

/* Poles stand at the kerb, spans run pole to pole 35–50 m apart, and each
 * pole line is shared: some pole pairs carry several operators. */
static void
test_poles_and_spans (void)
{
  g_autoptr(NgamStore) store = sample_test_open (town);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) poles = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(NgamStoreCursor) c = NULL;
  g_autoptr(GHashTable) ops = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int f_from = ngam_layer_field_index (NGAM_LAYER_SPANS, "from_pole");
  int f_to = ngam_layer_field_index (NGAM_LAYER_SPANS, "to_pole");
  int f_count = ngam_layer_field_index (NGAM_LAYER_SPANS, "fibre_count");
  int f_diam = ngam_layer_field_index (NGAM_LAYER_SPANS, "diameter_mm");
  int f_type = ngam_layer_field_index (NGAM_LAYER_SPANS, "cable_type");
  gint64 n_spans = 0, far = 0, checked = 0;
  double lo = G_MAXDOUBLE, hi = 0;

  c = ngam_store_query (store, NGAM_LAYER_POLES, NULL, NGAM_QUERY_SHAPE_ONLY, &error);
  while (ngam_store_cursor_next (c, &error))
    {
      const NgamFeature *f = ngam_store_cursor_get (c);
      gint64 *key = g_new (gint64, 1);
      double *xy = g_new (double, 2);

      *key = f->fid;
      xy[0] = f->shape->xy[0];
      xy[1] = f->shape->xy[1];
      g_hash_table_insert (poles, key, xy);
      /* every 7th pole: within 15 m of a street centre line */
      if (f->fid % 7 == 0)
        {
          double box[4] = { xy[0] - 20, xy[1] - 20, xy[0] + 20, xy[1] + 20 }, best = G_MAXDOUBLE;
          g_autoptr(NgamStoreCursor) s = ngam_store_query (store, NGAM_LAYER_STREETS, box, NGAM_QUERY_SHAPE_ONLY, &error);

          while (ngam_store_cursor_next (s, &error))
            {
              const NgamShape *l = ngam_store_cursor_get (s)->shape;

              for (guint i = 0; i + 1 < l->n_points; i++)
                best = MIN (best, point_segment (xy[0], xy[1], l->xy + 2 * i, l->xy + 2 * i + 2));
            }
          g_assert_no_error (error);
          checked++;
          if (best > 15)
            far++;
        }
    }
  g_assert_no_error (error);
  g_assert_cmpint (checked, >, 100);
  g_assert_cmpint (far, ==, 0);
  g_clear_pointer (&c, ngam_store_cursor_free);

  c = ngam_store_query (store, NGAM_LAYER_SPANS, NULL, NGAM_QUERY_DEFAULT, &error);
  while (ngam_store_cursor_next (c, &error))
    {
      const NgamFeature *f = ngam_store_cursor_get (c);
      gint64 from = ngam_feature_get_int (f, f_from), to = ngam_feature_get_int (f, f_to);
      const double *a = g_hash_table_lookup (poles, &from), *b = g_hash_table_lookup (poles, &to);
      const NgamShape *s = f->shape;
      double len = ngam_shape_length (s);

      if (a == NULL || b == NULL)
        g_error ("span %" G_GINT64_FORMAT ": pole %" G_GINT64_FORMAT " or %" G_GINT64_FORMAT " is missing",
                 f->fid, from, to);
      g_assert_cmpuint (s->n_points, ==, 2);
      g_assert_cmpfloat (s->xy[0], ==, a[0]);
      g_assert_cmpfloat (s->xy[1], ==, a[1]);
      g_assert_cmpfloat (s->xy[2], ==, b[0]);
      g_assert_cmpfloat (s->xy[3], ==, b[1]);
      lo = MIN (lo, len);
      hi = MAX (hi, len);
      g_assert_nonnull (f->operator_name);
      g_hash_table_add (ops, g_strdup (f->operator_name));
      g_assert_cmpint (ngam_feature_get_int (f, f_count), >, 0);
      g_assert_cmpfloat (ngam_feature_get_real (f, f_diam), >, 4);
      g_assert_true (g_strv_contains ((const char *[]) { "fibre", "copper", "coax", NULL },
                                      ngam_feature_get_text (f, f_type)));
      n_spans++;
    }
  g_assert_no_error (error);
  g_test_message ("%" G_GINT64_FORMAT " spans, %.2f–%.2f m", n_spans, lo, hi);
  g_assert_cmpfloat (lo, >=, 35 - 1e-6);
  g_assert_cmpfloat (hi, <=, 50 + 1e-6);
  g_assert_cmpuint (g_hash_table_size (ops), ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_true (g_hash_table_contains (ops, ((const char *[]) { "VNPT", "Viettel", "FPT", "MobiFone", "SCTV" })[i]));
  /* pole lines are shared */
  g_assert_cmpint (sql_int (town, "SELECT count(*) FROM (SELECT from_pole, to_pole FROM spans "
                                  "GROUP BY from_pole, to_pole HAVING count(DISTINCT operator) >= 3)"), >, 50);
  /* and turn corners: a pole where a row line and a column line meet */
  g_assert_cmpint (sql_int (town, "SELECT count(*) FROM poles WHERE fid IN (SELECT from_pole FROM spans "
                                  "WHERE source_key LIKE '%/c%') AND fid IN (SELECT from_pole FROM spans "
                                  "WHERE source_key LIKE '%/r%')"), >, 20);
}

/* Only bridges cross the river and only gate bridges the moat; the
 * citadel is a heritage zone, and the other zones are there. */
static void
test_landscape (void)
{
  g_autoptr(NgamStore) store = sample_test_open (town);
  g_autoptr(GError) error = NULL;
  GEOSContextHandle_t h = ngam_geos_context ();
  g_autoptr(GPtrArray) water = g_ptr_array_new ();
  g_autoptr(NgamStoreCursor) c = NULL;
  GEOSGeometry *all;
  const GEOSPreparedGeometry *prep;
  int z_type = ngam_layer_field_index (NGAM_LAYER_ZONES, "zone_type");
  int s_bridge = ngam_layer_field_index (NGAM_LAYER_STREETS, "bridge");
  int s_layer = ngam_layer_field_index (NGAM_LAYER_STREETS, "layer");
  int s_name = ngam_layer_field_index (NGAM_LAYER_STREETS, "name");
  guint bridges = 0, gates = 0, streets = 0;

  c = ngam_store_query (store, NGAM_LAYER_ZONES, NULL, NGAM_QUERY_DEFAULT, &error);
  while (ngam_store_cursor_next (c, &error))
    {
      const NgamFeature *f = ngam_store_cursor_get (c);

      if (g_strcmp0 (ngam_feature_get_text (f, z_type), "water") == 0)
        g_ptr_array_add (water, ngam_shape_to_geos (f->shape, &error));
    }
  g_assert_no_error (error);
  g_assert_cmpuint (water->len, >=, 2);
  all = GEOSGeom_createCollection_r (h, GEOS_GEOMETRYCOLLECTION, (GEOSGeometry **) water->pdata, water->len);
  prep = GEOSPrepare_r (h, all);
  g_clear_pointer (&c, ngam_store_cursor_free);

  c = ngam_store_query (store, NGAM_LAYER_STREETS, NULL, NGAM_QUERY_DEFAULT, &error);
  while (ngam_store_cursor_next (c, &error))
    {
      const NgamFeature *f = ngam_store_cursor_get (c);
      GEOSGeometry *g = ngam_shape_to_geos (f->shape, &error);
      gboolean wet = GEOSPreparedIntersects_r (h, prep, g) == 1;
      gboolean bridge = ngam_feature_get_bool (f, s_bridge);

      if (wet && !bridge)
        g_error ("street %" G_GINT64_FORMAT " (%s) crosses water without a bridge", f->fid,
                 ngam_feature_get_text (f, s_name));
      if (bridge)
        {
          g_assert_true (wet);
          g_assert_cmpint (ngam_feature_get_int (f, s_layer), ==, 1);
          if (g_str_has_prefix (ngam_feature_get_text (f, s_name), "Cầu "))
            bridges++;
          else if (g_str_has_prefix (ngam_feature_get_text (f, s_name), "Cửa "))
            gates++;
        }
      streets++;
      GEOSGeom_destroy_r (h, g);
    }
  g_assert_no_error (error);
  GEOSPreparedGeom_destroy_r (h, prep);
  GEOSGeom_destroy_r (h, all);
  g_test_message ("%u streets, %u bridges, %u citadel gates", streets, bridges, gates);
  g_assert_cmpuint (bridges, >=, 2);
  g_assert_cmpuint (gates, >=, 4);
  g_assert_cmpint (sql_int (town, "SELECT count(*) FROM streets WHERE name = 'Cầu Trường Tiền'"), ==, 1);

  g_assert_cmpint (sql_int (town, "SELECT count(*) FROM zones WHERE zone_type = 'heritage' AND name = 'Kinh Thành Huế'"), ==, 1);
  g_assert_cmpint (sql_int (town, "SELECT count(*) FROM zones WHERE zone_type = 'flood' AND level > 0"), >, 2);
  g_assert_cmpint (sql_int (town, "SELECT count(*) FROM zones WHERE zone_type = 'landslide' AND level >= 2"), >, 0);
  g_assert_cmpint (sql_int (town, "SELECT count(*) FROM zones WHERE zone_type = 'festival'"), >, 0);
  g_assert_cmpint (sql_int (town, "SELECT count(*) FROM streets WHERE festival = 1"), >, 10);
  /* kiệt: narrow concrete alleys; main roads wide and asphalt */
  g_assert_cmpint (sql_int (town, "SELECT count(*) FROM streets WHERE highway = 'alley' AND name LIKE 'Kiệt %'"), >, 100);
  g_assert_cmpint (sql_int (town, "SELECT max(width_m) FROM streets WHERE highway = 'alley'"), <=, 4);
  g_assert_cmpint (sql_int (town, "SELECT min(width_m) FROM streets WHERE highway = 'primary'"), >=, 15);
  g_assert_cmpint (sql_int (town, "SELECT count(DISTINCT surface) FROM streets"), >=, 4);
}

static void
test_attributes (void)
{
  g_autofree char *ward = ngam_test_sql_text (town, "SELECT name FROM admin WHERE name = 'Phường Thuận Thành'");
  g_autofree char *pole = ngam_test_sql_text (town, "SELECT code FROM poles WHERE owner = 'EVNCPC' LIMIT 1");

  /* full Unicode: two diacritics on one letter */
  g_assert_cmpstr (ward, ==, "Phường Thuận Thành");
  g_assert_true (g_utf8_validate (pole, -1, NULL));
  g_assert_true (g_str_has_prefix (pole, "ĐL-"));
  g_assert_cmpint (sql_int (town, "SELECT count(*) FROM admin WHERE level <> 'ward' OR name NOT LIKE 'Phường %'"), ==, 0);
  g_assert_cmpint (sql_int (town, "SELECT count(*) FROM ducts WHERE operator <> 'VNPT' OR duct_free > duct_count "
                                  "OR duct_free < 0"), ==, 0);
  g_assert_cmpint (sql_int (town, "SELECT count(*) FROM manholes WHERE operator = 'VNPT'"), >, 0);
  g_assert_cmpint (sql_int (town, "SELECT count(*) FROM sites WHERE radio NOT IN ('GSM', 'LTE', 'NR') "
                                  "OR range_m <= 0"), ==, 0);
  g_assert_cmpint (sql_int (town, "SELECT count(DISTINCT radio) FROM sites"), ==, 3);
  g_assert_cmpint (sql_int (town, "SELECT count(*) FROM demand WHERE households < 1"), ==, 0);
  g_assert_cmpint (sql_int (town, "SELECT count(*) FROM routes WHERE placement = 'underground'"), >, 0);
  g_assert_cmpint (sql_int (town, "SELECT count(*) FROM routes WHERE placement = 'aerial'"), >, 0);
}

/* The packed index answers box queries like a scan of every feature. */
static void
test_index_query (void)
{
  g_autoptr(NgamStore) store = sample_test_open (town);
  g_autoptr(GError) error = NULL;
  double ext[4], box[4];
  g_autoptr(GHashTable) hit = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gint64 expected = 0;

  g_assert_true (ngam_store_get_extent (store, NGAM_LAYER_DEMAND, ext, &error));
  box[0] = ext[0] + 0.3 * (ext[2] - ext[0]);
  box[1] = ext[1] + 0.4 * (ext[3] - ext[1]);
  box[2] = box[0] + 700;
  box[3] = box[1] + 500;
  {
    g_autoptr(NgamStoreCursor) c = ngam_store_query (store, NGAM_LAYER_DEMAND, box, NGAM_QUERY_SHAPE_ONLY, &error);

    while (ngam_store_cursor_next (c, &error))
      {
        gint64 *fid = g_new (gint64, 1);

        *fid = ngam_store_cursor_get (c)->fid;
        g_hash_table_add (hit, fid);
      }
  }
  {
    g_autoptr(NgamStoreCursor) c = ngam_store_query (store, NGAM_LAYER_DEMAND, NULL, NGAM_QUERY_SHAPE_ONLY, &error);

    while (ngam_store_cursor_next (c, &error))
      {
        const NgamFeature *f = ngam_store_cursor_get (c);
        double x = f->shape->xy[0], y = f->shape->xy[1];

        if (x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3])
          {
            expected++;
            g_assert_true (g_hash_table_contains (hit, &f->fid));
          }
      }
  }
  g_assert_no_error (error);
  g_assert_cmpint (expected, >, 10);
  /* float boxes, rounded outwards: a point a float's width outside may
   * come along, none inside may be missed */
  g_assert_cmpint (g_hash_table_size (hit), >=, expected);
  g_assert_cmpint (g_hash_table_size (hit), <=, expected + 2);
}

/* ---- refusals and cancellation ---------------------------------------- */

static void
test_bad_size (void)
{
  g_autofree char *path = sample_test_path ("bad-size.ngam");
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (path, "EPSG:9214", &error);
  NgamSampleOptions small = { 99, 1 }, big = { 1000001, 1 };

  g_assert_false (ngam_sample_generate (store, &small, NULL, NULL, NULL, &error));
  g_assert_error (error, NGAM_SAMPLE_ERROR, NGAM_SAMPLE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "99"));
  g_clear_error (&error);
  g_assert_false (ngam_sample_generate (store, &big, NULL, NULL, NULL, &error));
  g_assert_error (error, NGAM_SAMPLE_ERROR, NGAM_SAMPLE_ERROR_INVALID);
}

static void
test_not_empty (void)
{
  g_autofree char *path = sample_test_town ("twice.ngam", 100, 1);
  g_autofree char *before = ngam_test_sha256_file (path);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  NgamSampleOptions options = { 100, 2 };

  {
    g_autoptr(NgamStore) store = ngam_store_open (path, NGAM_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    g_assert_false (ngam_sample_generate (store, &options, NULL, NULL, NULL, &error));
    g_assert_error (error, NGAM_SAMPLE_ERROR, NGAM_SAMPLE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, path));
  }
  after = ngam_test_sha256_file (path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_wrong_crs (void)
{
  g_autofree char *path = sample_test_path ("lambert.ngam");
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (path, "EPSG:2154", &error);   /* France */
  NgamSampleOptions options = { 200, 1 };

  g_assert_no_error (error);
  g_assert_false (ngam_sample_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, NGAM_SAMPLE_ERROR, NGAM_SAMPLE_ERROR_CRS);
  g_assert_nonnull (strstr (error->message, "EPSG:2154"));
  g_assert_cmpint (ngam_store_count (store, NGAM_LAYER_POLES, NULL), ==, 0);
}

/* UTM 48N covers Huế too: the town is laid out in its metres. */
static void
test_utm (void)
{
  g_autofree char *path = sample_test_path ("utm.ngam");
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (path, "EPSG:32648", &error);
  NgamSampleOptions options = { 150, 1 };
  double bbox[4];

  g_assert_no_error (error);
  g_assert_true (ngam_sample_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ngam_store_get_extent (store, -1, bbox, &error));
  /* 107.58°E 16.46°N is about 775.3 km E, 1822.0 km N in UTM 48N */
  g_assert_cmpfloat (fabs ((bbox[0] + bbox[2]) / 2 - 775300), <, 3000);
  g_assert_cmpfloat (fabs ((bbox[1] + bbox[3]) / 2 - 1822000), <, 3000);
}

typedef struct
{
  GCancellable *cancellable;
  double        at;
  double        last;
  gboolean      monotonic;
} CancelAt;

static void
cancel_progress (double      fraction,
                 const char *message,
                 gpointer    data)
{
  CancelAt *c = data;

  if (fraction < c->last)
    c->monotonic = FALSE;
  c->last = fraction;
  if (fraction >= c->at)
    g_cancellable_cancel (c->cancellable);
}

static void
test_cancel (void)
{
  g_autofree char *path = sample_test_path ("cancel.ngam");
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (path, "EPSG:9214", &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *problems = NULL;
  NgamSampleOptions options = { 3000, 1 };
  CancelAt at = { cancellable, 0.5, 0, TRUE };
  gint64 triggers = sql_int (path, "SELECT count(*) FROM sqlite_master WHERE type IN ('trigger', 'index')");

  g_assert_false (ngam_sample_generate (store, &options, cancel_progress, &at, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (at.monotonic);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    g_assert_cmpint (ngam_store_count (store, k, NULL), ==, 0);
  g_assert_true (ngam_store_check_integrity (store, &problems, NULL));
  g_assert_false (ngam_store_in_transaction (store));
  ngam_store_close (g_steal_pointer (&store));
  /* the writers' dropped triggers and indexes came back with the rollback */
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM sqlite_master WHERE type IN ('trigger', 'index')"), ==, triggers);

  /* and the project still takes a town afterwards */
  g_clear_error (&error);
  store = ngam_store_open (path, NGAM_STORE_OPEN_DEFAULT, &error);
  options.size = 200;
  g_assert_true (ngam_sample_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  int status;

  sample_test_init (&argc, &argv);
  town = sample_test_town ("town.ngam", TOWN_SIZE, 1);

  g_test_add_func ("/sample/determinism/same-seed", test_same_seed_same_bytes);
  g_test_add_func ("/sample/determinism/other-seed", test_other_seed_other_bytes);
  g_test_add_func ("/sample/town/every-layer", test_every_layer);
  g_test_add_func ("/sample/town/geometry", test_geometry);
  g_test_add_func ("/sample/town/poles-and-spans", test_poles_and_spans);
  g_test_add_func ("/sample/town/landscape", test_landscape);
  g_test_add_func ("/sample/town/attributes", test_attributes);
  g_test_add_func ("/sample/town/index-query", test_index_query);
  g_test_add_func ("/sample/refuse/size", test_bad_size);
  g_test_add_func ("/sample/refuse/not-empty", test_not_empty);
  g_test_add_func ("/sample/refuse/crs", test_wrong_crs);
  g_test_add_func ("/sample/crs/utm", test_utm);
  g_test_add_func ("/sample/cancel", test_cancel);
  status = sample_test_run ();
  g_free (town);
  return status;
}
