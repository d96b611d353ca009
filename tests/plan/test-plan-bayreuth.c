/* test-plan-bayreuth.c — the planner on real streets: north of Bayreuth
 * (OpenStreetMap), its roads as streets, its power lines as the aerial
 * plant, in UTM 32N
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The 110 kV lines run across fields from tower to tower, 300 m and more
 * apart, far from most roads: a span is planned underground only when a
 * street runs within the match distance of both its towers, the rest are
 * listed as unmatched with the reason.  What must hold whatever the data:
 * no rule is broken, the totals add up, every span in scope is either
 * retired or listed, and the plan is the same twice.
 */
#include "config.h"

#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-test-util.h"

#define FI(layer, name) ((guint) ngam_layer_field_index (layer, name))

static char *
hstore_get (const char *tags,
            const char *key)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\"=>\"", key);
  const char *p, *end;

  if (tags == NULL || (p = strstr (tags, needle)) == NULL)
    return NULL;
  p += strlen (needle);
  end = strchr (p, '"');
  return end ? g_strndup (p, end - p) : NULL;
}

typedef struct
{
  double x, y;
  gint64 fid;
} Tower;

static guint
tower_hash (gconstpointer p)
{
  const Tower *t = p;

  return g_double_hash (&t->x) ^ (g_double_hash (&t->y) * 31);
}

static gboolean
tower_equal (gconstpointer a,
             gconstpointer b)
{
  const Tower *s = a, *t = b;

  return s->x == t->x && s->y == t->y;
}

/* Streets from `roads`; poles at every vertex of `power_lines` (towers),
 * one span between consecutive vertices, operator from the line's tag. */
static char *
bayreuth_project (const char *dir,
                  guint      *n_spans)
{
  g_autofree char *src = ngam_test_shared_path ("osm/power_north_bayreuth.gpkg");
  char *path = g_build_filename (dir, "bayreuth.ngam", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (path, "EPSG:25832", &error);
  g_autoptr(NgamCrs) wgs = ngam_crs_new_epsg (4326, &error);
  g_autoptr(NgamCrs) utm = ngam_crs_new_epsg (25832, &error);
  g_autoptr(NgamTransform) tr = ngam_transform_new (wgs, utm, &error);
  g_autoptr(NgamStoreWriter) w = NULL;
  g_autoptr(GHashTable) towers = g_hash_table_new_full (tower_hash, tower_equal, g_free, NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_shape_free);
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func (g_free);
  GDALDatasetH ds;
  OGRLayerH layer;
  OGRFeatureH of;

  g_assert_no_error (error);
  ds = GDALOpenEx (src, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  g_assert_nonnull (ds);
  g_assert_true (ngam_store_begin (store, &error));

  layer = GDALDatasetGetLayerByName (ds, "roads");
  w = ngam_store_writer_new (store, NGAM_LAYER_STREETS, &error);
  OGR_L_ResetReading (layer);
  while ((of = OGR_L_GetNextFeature (layer)) != NULL)
    {
      g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_STREETS);
      OGRGeometryH geom = OGR_F_GetGeometryRef (of);
      OGRFeatureDefnH defn = OGR_L_GetLayerDefn (layer);
      int i_name = OGR_FD_GetFieldIndex (defn, "name"), i_hw = OGR_FD_GetFieldIndex (defn, "highway");
      int i_tags = OGR_FD_GetFieldIndex (defn, "other_tags");
      const char *tags = i_tags >= 0 && OGR_F_IsFieldSetAndNotNull (of, i_tags) ? OGR_F_GetFieldAsString (of, i_tags) : NULL;
      g_autofree char *bridge = hstore_get (tags, "bridge");
      g_autofree char *surface = hstore_get (tags, "surface");

      if (geom == NULL || wkbFlatten (OGR_G_GetGeometryType (geom)) != wkbLineString || OGR_G_GetPointCount (geom) < 2)
        {
          OGR_F_Destroy (of);
          continue;
        }
      ngam_shape_begin (f->shape, NGAM_SHAPE_LINESTRING);
      ngam_shape_new_part (f->shape);
      for (int i = 0; i < OGR_G_GetPointCount (geom); i++)
        ngam_shape_add_point (f->shape, OGR_G_GetX (geom, i), OGR_G_GetY (geom, i));
      ngam_shape_finish (f->shape);
      g_assert_true (ngam_transform_points (tr, f->shape->xy, f->shape->n_points, &error));
      ngam_shape_finish (f->shape);
      if (i_name >= 0 && OGR_F_IsFieldSetAndNotNull (of, i_name))
        ngam_feature_set_text (f, FI (NGAM_LAYER_STREETS, "name"), OGR_F_GetFieldAsString (of, i_name));
      if (i_hw >= 0 && OGR_F_IsFieldSetAndNotNull (of, i_hw))
        ngam_feature_set_text (f, FI (NGAM_LAYER_STREETS, "highway"), OGR_F_GetFieldAsString (of, i_hw));
      ngam_feature_set_text (f, FI (NGAM_LAYER_STREETS, "surface"), surface ? surface : "asphalt");
      if (bridge && strcmp (bridge, "no") != 0)
        ngam_feature_set_bool (f, FI (NGAM_LAYER_STREETS, "bridge"), TRUE);
      g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
      OGR_F_Destroy (of);
    }
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_clear_pointer (&w, ngam_store_writer_free);

  layer = GDALDatasetGetLayerByName (ds, "power_lines");
  OGR_L_ResetReading (layer);
  while ((of = OGR_L_GetNextFeature (layer)) != NULL)
    {
      OGRGeometryH geom = OGR_F_GetGeometryRef (of);
      int i_tags = OGR_FD_GetFieldIndex (OGR_L_GetLayerDefn (layer), "other_tags");
      const char *tags = i_tags >= 0 && OGR_F_IsFieldSetAndNotNull (of, i_tags) ? OGR_F_GetFieldAsString (of, i_tags) : NULL;
      char *op = hstore_get (tags, "operator");
      NgamShape *s;

      if (geom == NULL || wkbFlatten (OGR_G_GetGeometryType (geom)) != wkbLineString)
        {
          g_free (op);
          OGR_F_Destroy (of);
          continue;
        }
      s = ngam_shape_new ();
      ngam_shape_begin (s, NGAM_SHAPE_LINESTRING);
      ngam_shape_new_part (s);
      for (int i = 0; i < OGR_G_GetPointCount (geom); i++)
        ngam_shape_add_point (s, OGR_G_GetX (geom, i), OGR_G_GetY (geom, i));
      ngam_shape_finish (s);
      g_assert_true (ngam_transform_points (tr, s->xy, s->n_points, &error));
      ngam_shape_finish (s);
      g_ptr_array_add (lines, s);
      g_ptr_array_add (ops, op ? op : g_strdup ("Bayernwerk"));
      OGR_F_Destroy (of);
    }
  GDALClose (ds);

  w = ngam_store_writer_new (store, NGAM_LAYER_POLES, &error);
  for (guint l = 0; l < lines->len; l++)
    {
      NgamShape *s = g_ptr_array_index (lines, l);

      for (guint i = 0; i < s->n_points; i++)
        {
          Tower key = { s->xy[2 * i], s->xy[2 * i + 1], 0 };

          if (!g_hash_table_contains (towers, &key))
            {
              g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_POLES);
              Tower *t = g_memdup2 (&key, sizeof key);

              ngam_shape_begin (f->shape, NGAM_SHAPE_POINT);
              ngam_shape_add_point (f->shape, key.x, key.y);
              ngam_shape_finish (f->shape);
              ngam_feature_set_text (f, FI (NGAM_LAYER_POLES, "owner"), g_ptr_array_index (ops, l));
              g_assert_true (ngam_store_writer_add (w, f, &t->fid, &error));
              g_hash_table_add (towers, t);
            }
        }
    }
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_clear_pointer (&w, ngam_store_writer_free);
  w = ngam_store_writer_new (store, NGAM_LAYER_SPANS, &error);
  *n_spans = 0;
  for (guint l = 0; l < lines->len; l++)
    {
      NgamShape *s = g_ptr_array_index (lines, l);

      for (guint i = 0; i + 1 < s->n_points; i++)
        {
          g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_SPANS);
          Tower a = { s->xy[2 * i], s->xy[2 * i + 1], 0 }, b = { s->xy[2 * i + 2], s->xy[2 * i + 3], 0 };
          Tower *ta = g_hash_table_lookup (towers, &a), *tb = g_hash_table_lookup (towers, &b);

          if (ta == tb)
            continue;
          ngam_shape_begin (f->shape, NGAM_SHAPE_LINESTRING);
          ngam_shape_add_point (f->shape, a.x, a.y);
          ngam_shape_add_point (f->shape, b.x, b.y);
          ngam_shape_finish (f->shape);
          f->operator_name = g_strdup (g_ptr_array_index (ops, l));
          ngam_feature_set_text (f, FI (NGAM_LAYER_SPANS, "cable_type"), "power");
          ngam_feature_set_int (f, FI (NGAM_LAYER_SPANS, "from_pole"), ta->fid);
          ngam_feature_set_int (f, FI (NGAM_LAYER_SPANS, "to_pole"), tb->fid);
          g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
          (*n_spans)++;
        }
    }
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_assert_true (ngam_store_commit (store, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_bayreuth (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  guint n_spans = 0;
  g_autofree char *path = bayreuth_project (dir, &n_spans);
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (path, NGAM_STORE_OPEN_DEFAULT, &error);
  /* towers stand in fields: match a span to a road within 150 m of both */
  g_autoptr(NgamPlanScenario) sc = ngam_plan_scenario_parse ("[rules]\nmatch_distance_m = 150\n", -1, "bayreuth.ini", &error);
  NgamPlanOptions o = NGAM_PLAN_OPTIONS_INIT;
  g_autoptr(NgamPlanResult) r1 = NULL, r2 = NULL;
  g_autofree char *j1 = NULL, *j2 = NULL;
  JsonObject *root, *t;
  JsonArray *ops, *unmatched;
  gint64 sum = 0;

  g_assert_no_error (error);
  o.scenario = sc;
  o.scenario_name = "bayreuth";
  g_assert_true (ngam_plan_run (store, &o, &r1, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ngam_plan_run (store, &o, &r2, NULL, NULL, NULL, &error));
  j1 = ngam_plan_result_to_json (r1);
  j2 = ngam_plan_result_to_json (r2);
  g_assert_cmpstr (j1, ==, j2);
  root = json_node_get_object (r1->summary);
  t = json_object_get_object_member (root, "totals");
  ops = json_object_get_array_member (root, "operators");
  unmatched = json_object_get_array_member (root, "unmatched_spans");
  for (guint i = 0; i < json_array_get_length (ops); i++)
    sum += json_object_get_int_member (json_array_get_object_element (ops, i), "cost_vnd");
  g_test_message ("Bayreuth: %u spans, %" G_GINT64_FORMAT " retired, %u unmatched, %.1f km trench, "
                  "%" G_GINT64_FORMAT " manholes, %" G_GINT64_FORMAT " handholes, %" G_GINT64_FORMAT " towers removed, "
                  "%" G_GINT64_FORMAT " VND, %u violations",
                  n_spans, json_object_get_int_member (t, "spans_retired"), json_array_get_length (unmatched),
                  json_object_get_double_member (t, "trench_m") / 1000, json_object_get_int_member (t, "manholes"),
                  json_object_get_int_member (t, "handholes"), json_object_get_int_member (t, "poles_removed"),
                  json_object_get_int_member (t, "cost_vnd"), r1->n_violations);
  for (guint i = 0; i < r1->n_violations; i++)
    g_test_message ("violation: %s", json_object_get_string_member (
      json_array_get_object_element (json_object_get_array_member (root, "violations"), i), "message"));
  g_assert_cmpuint (r1->n_violations, ==, 0);
  g_assert_cmpint (sum, ==, json_object_get_int_member (t, "cost_vnd"));
  g_assert_cmpint (json_object_get_int_member (t, "spans_retired") + json_array_get_length (unmatched), ==, n_spans);
  g_assert_cmpint (json_object_get_int_member (t, "spans_retired"), >, 0);
  ngam_test_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();
  GDALAllRegister ();
  g_test_add_func ("/plan/bayreuth", test_bayreuth);
  return g_test_run ();
}
