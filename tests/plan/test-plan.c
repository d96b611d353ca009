/* test-plan.c — the planner on hand-made towns whose right answers are
 * worked out below, on the demo town, and on bad input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-render-results.h"
#include "ngam-results.h"
#include "ngam-sample.h"
#include "ngam-test-util.h"

typedef struct
{
  const char *wkt;
  const char *name;
  double      sidewalk;
  gboolean    bridge;
  gboolean    festival;
} TStreet;

typedef struct
{
  const char *wkt;
  const char *type;
} TZone;

typedef struct
{
  const char *op;
  double      x0, y0, x1, y1;   /* pole positions; poles are shared by position */
} TSpan;

typedef struct
{
  const TStreet *streets;
  guint          n_streets;
  const TZone   *zones;
  guint          n_zones;
  const TSpan   *spans;
  guint          n_spans;
  const char    *pole_owner;
  const TZone   *wards;        /* admin units of level "ward": wkt, name */
  guint          n_wards;
  const TZone   *ducts;        /* existing ducts, 2 free 100 mm: wkt, owner */
  guint          n_ducts;
} Town;

static void
shape_from_wkt (NgamFeature *f,
                const char  *wkt)
{
  g_autoptr(GError) error = NULL;
  GEOSGeometry *g = ngam_geos_from_wkt (wkt, &error);

  g_assert_no_error (error);
  g_assert_true (ngam_shape_from_geos (f->shape, g, &error));
  ngam_geos_free (g);
}

#define FI(layer, name) ((guint) ngam_layer_field_index (layer, name))

/* A project in UTM 48N holding the town. */
static NgamStore *
town_project (const char *path,
              const Town *t)
{
  g_autoptr(GError) error = NULL;
  NgamStore *store = ngam_store_create (path, "EPSG:32648", &error);
  g_autoptr(NgamStoreWriter) w = NULL;
  g_autoptr(GArray) pole_xy = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) pole_fid = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_no_error (error);
  g_assert_true (ngam_store_begin (store, &error));
  w = ngam_store_writer_new (store, NGAM_LAYER_STREETS, &error);
  for (guint i = 0; i < t->n_streets; i++)
    {
      g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_STREETS);

      shape_from_wkt (f, t->streets[i].wkt);
      ngam_feature_set_text (f, FI (NGAM_LAYER_STREETS, "name"), t->streets[i].name);
      ngam_feature_set_text (f, FI (NGAM_LAYER_STREETS, "highway"), "residential");
      ngam_feature_set_text (f, FI (NGAM_LAYER_STREETS, "surface"), "asphalt");
      ngam_feature_set_real (f, FI (NGAM_LAYER_STREETS, "width_m"), 7);
      ngam_feature_set_real (f, FI (NGAM_LAYER_STREETS, "sidewalk_m"), t->streets[i].sidewalk);
      ngam_feature_set_bool (f, FI (NGAM_LAYER_STREETS, "bridge"), t->streets[i].bridge);
      ngam_feature_set_bool (f, FI (NGAM_LAYER_STREETS, "festival"), t->streets[i].festival);
      g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
    }
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_clear_pointer (&w, ngam_store_writer_free);
  w = ngam_store_writer_new (store, NGAM_LAYER_ZONES, &error);
  for (guint i = 0; i < t->n_zones; i++)
    {
      g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_ZONES);

      shape_from_wkt (f, t->zones[i].wkt);
      ngam_feature_set_text (f, FI (NGAM_LAYER_ZONES, "zone_type"), t->zones[i].type);
      g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
    }
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_clear_pointer (&w, ngam_store_writer_free);
  w = ngam_store_writer_new (store, NGAM_LAYER_ADMIN, &error);
  for (guint i = 0; i < t->n_wards; i++)
    {
      g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_ADMIN);

      shape_from_wkt (f, t->wards[i].wkt);
      ngam_feature_set_text (f, FI (NGAM_LAYER_ADMIN, "name"), t->wards[i].type);
      ngam_feature_set_text (f, FI (NGAM_LAYER_ADMIN, "level"), "ward");
      g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
    }
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_clear_pointer (&w, ngam_store_writer_free);
  w = ngam_store_writer_new (store, NGAM_LAYER_DUCTS, &error);
  for (guint i = 0; i < t->n_ducts; i++)
    {
      g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_DUCTS);

      shape_from_wkt (f, t->ducts[i].wkt);
      f->operator_name = g_strdup (t->ducts[i].type);
      ngam_feature_set_int (f, FI (NGAM_LAYER_DUCTS, "duct_free"), 2);
      ngam_feature_set_real (f, FI (NGAM_LAYER_DUCTS, "duct_diameter_mm"), 100);
      g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
    }
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_clear_pointer (&w, ngam_store_writer_free);
  /* poles: one per distinct span end */
  w = ngam_store_writer_new (store, NGAM_LAYER_POLES, &error);
  for (guint i = 0; i < t->n_spans; i++)
    for (int end = 0; end < 2; end++)
      {
        double x = end ? t->spans[i].x1 : t->spans[i].x0, y = end ? t->spans[i].y1 : t->spans[i].y0;
        gboolean seen = FALSE;

        for (guint k = 0; k < pole_xy->len / 2 && !seen; k++)
          seen = g_array_index (pole_xy, double, 2 * k) == x && g_array_index (pole_xy, double, 2 * k + 1) == y;
        if (!seen)
          {
            g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_POLES);
            gint64 fid;

            ngam_shape_begin (f->shape, NGAM_SHAPE_POINT);
            ngam_shape_add_point (f->shape, x, y);
            ngam_shape_finish (f->shape);
            if (t->pole_owner)
              ngam_feature_set_text (f, FI (NGAM_LAYER_POLES, "owner"), t->pole_owner);
            g_assert_true (ngam_store_writer_add (w, f, &fid, &error));
            g_array_append_val (pole_xy, x);
            g_array_append_val (pole_xy, y);
            g_array_append_val (pole_fid, fid);
          }
      }
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_clear_pointer (&w, ngam_store_writer_free);
  w = ngam_store_writer_new (store, NGAM_LAYER_SPANS, &error);
  for (guint i = 0; i < t->n_spans; i++)
    {
      g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_SPANS);
      double xy[4] = { t->spans[i].x0, t->spans[i].y0, t->spans[i].x1, t->spans[i].y1 };

      for (int end = 0; end < 2; end++)
        for (guint k = 0; k < pole_xy->len / 2; k++)
          if (g_array_index (pole_xy, double, 2 * k) == xy[2 * end] && g_array_index (pole_xy, double, 2 * k + 1) == xy[2 * end + 1])
            ngam_feature_set_int (f, FI (NGAM_LAYER_SPANS, end ? "to_pole" : "from_pole"), g_array_index (pole_fid, gint64, k));
      ngam_shape_begin (f->shape, NGAM_SHAPE_LINESTRING);
      ngam_shape_add_point (f->shape, xy[0], xy[1]);
      ngam_shape_add_point (f->shape, xy[2], xy[3]);
      ngam_shape_finish (f->shape);
      f->operator_name = g_strdup (t->spans[i].op);
      ngam_feature_set_text (f, FI (NGAM_LAYER_SPANS, "cable_type"), "fibre");
      ngam_feature_set_real (f, FI (NGAM_LAYER_SPANS, "diameter_mm"), 10);
      ngam_feature_set_int (f, FI (NGAM_LAYER_SPANS, "cable_count"), 1);
      g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
    }
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_assert_true (ngam_store_commit (store, &error));
  g_assert_no_error (error);
  return store;
}

/* Round numbers, so the answers below can be worked out by hand. */
static const char *test_costs =
  "[costs]\n"
  "open_cut_sidewalk = 1000\nopen_cut_roadway = 2000\nopen_cut_unpaved = 500\nmicro_trench = 600\n"
  "hdd_per_m = 3000\nhdd_per_crossing = 7000\nbridge_attachment = 400\nstreet_crossing = 900\n"
  "reinstate_asphalt = 100\nduct_per_m = 10\nmicroduct_per_m = 5\nmanhole = 5000\nhandhole = 2000\n"
  "cable_pulling_per_m = 1\nriser = 50\npole_removal = 300\nsplice_closure = 70\nsealed_closure = 80\n"
  "flood_uplift = 0\nwidth_cost_share = 0\n";

static NgamPlanScenario *
scenario (const char *extra)
{
  g_autofree char *text = g_strconcat (test_costs, extra ? extra : "", NULL);
  g_autoptr(GError) error = NULL;
  NgamPlanScenario *sc = ngam_plan_scenario_parse (text, -1, "test.ini", &error);

  g_assert_no_error (error);
  return sc;
}

static double
design_member (JsonObject *root, const char *name)
{
  return json_object_get_double_member (json_object_get_object_member (root, "design"), name);
}

/* The design's proven bound is never above the design (a bound above it
 * would be wrong), and the gap printed is the one between them. */
static void
check_bound (JsonObject *root)
{
  JsonObject *d = json_object_get_object_member (root, "design");
  double obj = json_object_get_double_member (d, "objective_vnd");
  double lb = json_object_get_double_member (d, "lower_bound_vnd");
  double gap = json_object_get_double_member (d, "gap");

  g_assert_cmpfloat (lb, >=, 0);
  g_assert_cmpfloat (lb, <=, obj * (1 + 1e-9) + 1e-3);
  g_assert_true (json_object_get_boolean_member (d, "bound_complete"));
  g_assert_cmpfloat_with_epsilon (gap, obj > 0 ? MAX (0, obj - lb) / obj : 0, 1e-9);
}

static JsonObject *
run_plan (NgamStore              *store,
          const NgamPlanScenario *sc,
          gboolean                no_sharing,
          NgamPlanResult        **keep)
{
  NgamPlanOptions o = NGAM_PLAN_OPTIONS_INIT;
  g_autoptr(GError) error = NULL;
  NgamPlanResult *r = NULL;

  o.scenario = sc;
  o.no_sharing = no_sharing;
  o.dry_run = TRUE;
  g_assert_true (ngam_plan_run (store, &o, &r, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  *keep = r;
  check_bound (json_node_get_object (r->summary));
  return json_node_get_object (r->summary);
}

/* Every row of the scenario's last plan run, one text line each, in the
 * order written. */
static char *
run_rows (NgamStore  *store,
          const char *scenario_name,
          const char *layer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamRunInfo) info = ngam_store_get_last_run (store, scenario_name, "plan", &error);
  g_autoptr(NgamResultCursor) c = NULL;
  GString *s = g_string_new (NULL);

  g_assert_no_error (error);
  c = ngam_store_query_results (store, info->id, layer, NULL, &error);
  g_assert_no_error (error);
  while (ngam_result_cursor_next (c, &error))
    {
      const NgamResultFeature *f = ngam_result_cursor_get (c);
      g_autofree char *wkt = f->shape ? ngam_shape_to_wkt (f->shape) : g_strdup ("");

      g_string_append_printf (s, "%s|%d|%s|%s|%.3f|%s|%s\n", f->layer, f->phase, f->ward ? f->ward : "",
                              f->operator_name ? f->operator_name : "", f->cost, f->attrs ? f->attrs : "", wkt);
    }
  g_assert_no_error (error);
  return g_string_free (s, FALSE);
}

static JsonObject *
run_stored (NgamStore              *store,
            const NgamPlanScenario *sc,
            NgamPlanResult        **keep)
{
  NgamPlanOptions o = NGAM_PLAN_OPTIONS_INIT;
  g_autoptr(GError) error = NULL;
  NgamPlanResult *r = NULL;

  o.scenario = sc;
  o.scenario_name = "test";
  g_assert_true (ngam_plan_run (store, &o, &r, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r->run_id, >, 0);
  *keep = r;
  return json_node_get_object (r->summary);
}

static JsonObject *
totals (JsonObject *root)
{
  return json_object_get_object_member (root, "totals");
}

static double
by_method (JsonObject *root,
           const char *method)
{
  return json_object_get_double_member (json_object_get_object_member (totals (root), "trench_m_by_method"), method);
}

static gint64
operator_cost (JsonObject *root,
               const char *op)
{
  JsonArray *a = json_object_get_array_member (root, "operators");

  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);

      if (g_str_equal (json_object_get_string_member (o, "operator"), op))
        return json_object_get_int_member (o, "cost_vnd");
    }
  return -1;
}

static guint
n_violations (JsonObject *root)
{
  JsonArray *a = json_object_get_array_member (root, "violations");

  for (guint i = 0; i < json_array_get_length (a); i++)
    g_test_message ("violation: %s", json_object_get_string_member (json_array_get_object_element (a, i), "message"));
  return json_array_get_length (a);
}

/* One 200 m street (sidewalk 3 m: open cut under the sidewalk), poles 5 m
 * off it every 50 m, operators A and B each hanging a 10 mm fibre on
 * every span.  Poles owned by A. */
static const TStreet one_street[] = { { "LINESTRING(0 0, 200 0)", "Lê Lợi", 3, FALSE, FALSE } };
static const TSpan two_ops[] = {
  { "A", 0, 5, 50, 5 }, { "A", 50, 5, 100, 5 }, { "A", 100, 5, 150, 5 }, { "A", 150, 5, 200, 5 },
  { "B", 0, 5, 50, 5 }, { "B", 50, 5, 100, 5 }, { "B", 100, 5, 150, 5 }, { "B", 150, 5, 200, 5 },
};

static void
test_shared_trench (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "one.ngam", NULL);
  Town town = { one_street, 1, NULL, 0, two_ops, G_N_ELEMENTS (two_ops), "A" };
  g_autoptr(NgamStore) store = town_project (path, &town);
  g_autoptr(NgamPlanScenario) sc = scenario (NULL);
  g_autoptr(NgamPlanResult) r1 = NULL, r2 = NULL;
  JsonObject *shared = run_plan (store, sc, FALSE, &r1);
  JsonObject *alone = run_plan (store, sc, TRUE, &r2);

  /* Shared: one trench of 200 m.  Ducts: each operator 1 (10 mm in a
   * 100 mm duct fills 1 %), plus 1 spare = 3, over the handhole limit of 2:
   * manholes at both ends (street ends, not intersections) and one spacing
   * manhole at 150 m (200 > 150): 3 × 5000.  Shared items: trench
   * 1000 × 200 + reinstatement 100 × 200 + spare duct 10 × 200 + manholes
   * 15000 = 237000, split 1:1 by ducts = 118500 each.  Own items: duct
   * 10 × 200 + cable 1 × 200 = 2200 each.  The 5 poles lose every span:
   * removed, 300 each, paid by their owner A.
   * A = 118500 + 2200 + 1500 = 122200, B = 118500 + 2200 = 120700,
   * total 242900. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (totals (shared), "trench_m"), 200, 1e-6);
  g_assert_cmpfloat_with_epsilon (by_method (shared, "open_cut_sidewalk"), 200, 1e-6);
  g_assert_cmpint (json_object_get_int_member (totals (shared), "manholes"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (totals (shared), "handholes"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (totals (shared), "spans_retired"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (totals (shared), "poles_removed"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (totals (shared), "cost_vnd"), ==, 242900);
  g_assert_cmpint (operator_cost (shared, "A"), ==, 122200);
  g_assert_cmpint (operator_cost (shared, "B"), ==, 120700);
  g_assert_cmpint (n_violations (shared), ==, 0);
  /* The design prices the trench (1000 + 100 reinstatement) × 200 =
   * 220000 once, and each operator's duct and cable 11 × 200 = 2200:
   * 224400.  Its bound gives each operator half the trench: on one street
   * each tree is the street, so dual ascent is exact and the bound is
   * 2 × (110000 + 2200) = 224400 too: the design is proven best. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_object_get_object_member (shared, "design"),
                                                                 "objective_vnd"), 224400, 1e-3);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_object_get_object_member (shared, "design"),
                                                                 "lower_bound_vnd"), 224400, 1e-3);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (shared, "design"), "gap"), <,
                     1e-9);
  /* each operator alone pays the whole trench: 2 × (220000 + 2200) */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_object_get_object_member (shared, "design"),
                                                                 "each_alone_vnd"), 444400, 1e-3);

  /* Alone: two trenches of 200 m.  Each bank 1 duct + 1 spare = 2: three
   * handholes of 2000 each per trench.  Each operator: 200000 + 20000 +
   * 2000 (spare) + 2000 (duct) + 200 (cable) + 6000 = 230200; poles 1500
   * to A: total 461900. */
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (totals (alone), "trench_m"), 400, 1e-6);
  g_assert_cmpint (json_object_get_int_member (totals (alone), "handholes"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (totals (alone), "cost_vnd"), ==, 461900);
  g_assert_cmpint (operator_cost (alone, "A"), ==, 231700);
  g_assert_cmpint (operator_cost (alone, "B"), ==, 230200);
  g_assert_cmpint (n_violations (alone), ==, 0);
  ngam_test_rmdir (dir);
}

static void
test_with_power (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "power.ngam", NULL);
  Town town = { one_street, 1, NULL, 0, two_ops, G_N_ELEMENTS (two_ops), "A" };
  g_autoptr(NgamStore) store = town_project (path, &town);
  g_autoptr(NgamPlanScenario) sc = scenario ("[scope]\nwith_power = true\npower_company = EVNCPC\n");
  g_autoptr(NgamPlanResult) r = NULL;
  JsonObject *root = run_plan (store, sc, FALSE, &r);

  /* As test_shared_trench, with 2 power ducts: shared 237000 split by
   * ducts 1:1:2 → 59250, 59250, 118500; the power company's own ducts
   * 2 × 200 × 10 = 4000 and cable 400.  A = 59250 + 2200 + 1500 = 62950,
   * B = 61450, EVNCPC = 122900, total 247300. */
  g_assert_cmpint (json_object_get_int_member (totals (root), "cost_vnd"), ==, 247300);
  g_assert_cmpint (operator_cost (root, "EVNCPC"), ==, 122900);
  g_assert_cmpint (operator_cost (root, "A"), ==, 62950);
  g_assert_cmpint (operator_cost (root, "B"), ==, 61450);
  g_assert_true (json_object_get_boolean_member (root, "with_power"));
  g_assert_cmpint (n_violations (root), ==, 0);
  ngam_test_rmdir (dir);
}

/* A 300 m street whose middle 100 m cross a river: on a bridge, the
 * attachment; without, HDD (cost 3000 × 100 + 7000 set-up).  With
 * @heritage the bridge is a monument (a citadel gate over the moat, as in
 * the demo): nothing may be fixed to it, so HDD even though it is a
 * bridge. */
static void
river_case (gboolean bridge,
            gboolean heritage)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "river.ngam", NULL);
  TStreet streets[] = {
    { "LINESTRING(0 0, 100 0)", "Tây", 3, FALSE, FALSE },
    { "LINESTRING(100 0, 200 0)", "Cầu", 0, bridge, FALSE },
    { "LINESTRING(200 0, 300 0)", "Đông", 3, FALSE, FALSE },
  };
  TZone zones[] = { { "MULTIPOLYGON(((120 -60, 180 -60, 180 60, 120 60, 120 -60)))", "river" },
                    { "MULTIPOLYGON(((110 -60, 190 -60, 190 60, 110 60, 110 -60)))", "heritage" } };
  TSpan spans[] = {
    { "A", 0, 5, 50, 5 }, { "A", 50, 5, 100, 5 }, { "A", 100, 5, 150, 5 },
    { "A", 150, 5, 200, 5 }, { "A", 200, 5, 250, 5 }, { "A", 250, 5, 300, 5 },
  };
  Town town = { streets, 3, zones, heritage ? 2 : 1, spans, 6, NULL };
  gboolean attach = bridge && !heritage;
  g_autoptr(NgamStore) store = town_project (path, &town);
  g_autoptr(NgamPlanScenario) sc = scenario (NULL);
  g_autoptr(NgamPlanResult) r = NULL;
  JsonObject *root = run_plan (store, sc, FALSE, &r);

  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (totals (root), "trench_m"), 300, 1e-6);
  g_assert_cmpfloat_with_epsilon (by_method (root, "open_cut_sidewalk"), 200, 1e-6);
  g_assert_cmpfloat_with_epsilon (by_method (root, attach ? "bridge_attachment" : "hdd"), 100, 1e-6);
  g_assert_cmpfloat_with_epsilon (by_method (root, attach ? "hdd" : "bridge_attachment"), 0, 1e-6);
  g_assert_cmpfloat_with_epsilon (by_method (root, "micro_trench"), 0, 1e-6);
  g_assert_cmpfloat_with_epsilon (by_method (root, "open_cut_roadway"), 0, 1e-6);
  g_assert_cmpint (n_violations (root), ==, 0);
  ngam_test_rmdir (dir);
}

static void
test_river_bridge (void)
{
  river_case (TRUE, FALSE);
}

/* Two streets end to end, Tây (0–200) in ward Tây Lộc and Đông (200–400)
 * in ward Đông Ba; operator A hangs one 10 mm fibre along both; VNPT has
 * an existing duct with two free ducts 11 m off Đông. */
static void
test_wards_and_rent (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "wards.ngam", NULL);
  TStreet streets[] = {
    { "LINESTRING(0 0, 200 0)", "Tây", 3, FALSE, FALSE },
    { "LINESTRING(200 0, 400 0)", "Đông", 3, FALSE, FALSE },
  };
  TZone wards[] = { { "MULTIPOLYGON(((-50 -50, 200 -50, 200 50, -50 50, -50 -50)))", "Tây Lộc" },
                    { "MULTIPOLYGON(((200 -50, 450 -50, 450 50, 200 50, 200 -50)))", "Đông Ba" } };
  TZone ducts[] = { { "LINESTRING(200 11, 400 11)", "VNPT" } };
  TSpan spans[] = {
    { "A", 0, 5, 50, 5 }, { "A", 50, 5, 100, 5 }, { "A", 100, 5, 150, 5 }, { "A", 150, 5, 200, 5 },
    { "A", 200, 5, 250, 5 }, { "A", 250, 5, 300, 5 }, { "A", 300, 5, 350, 5 }, { "A", 350, 5, 400, 5 },
  };
  Town town = { streets, 2, NULL, 0, spans, 8, "A", wards, 2, ducts, 1 };
  g_autoptr(NgamStore) store = town_project (path, &town);
  g_autoptr(NgamPlanScenario) sc = scenario ("rent_upto_10mm = 5\nrent_years = 2\n");
  g_autoptr(NgamPlanResult) r = NULL;
  JsonObject *root = run_plan (store, sc, FALSE, &r);
  JsonArray *wl = json_object_get_array_member (root, "wards");

  /* Đông: dig (1000 + 100) × 200 + duct and cable 11 × 200 = 222200, or
   * rent VNPT's duct: 5 VND/m/month × 12 × 2 years × 200 m = 24000 plus
   * cable pulling 200: rent.  Tây is dug: trench 200000, reinstatement
   * 20000, 1 duct + 1 spare × 10 × 200 = 4000, handholes at 0, 150 and
   * 200 (2 ducts: handholes) 6000, cable 200.  The 9 poles come down,
   * 300 each, each tied to the trench of its first span: 0, 50, 100, 150
   * and 200 to Tây, 250 … 400 to Đông (span 200–250 starts at the
   * junction and runs along Đông only).
   * Tây Lộc = 200000 + 20000 + 4000 + 6000 + 200 + 5 × 300 = 231700;
   * Đông Ba = 24000 + 200 + 4 × 300 = 25400; total 257100.  A's rent is
   * 5 × 12 × 200 = 12000 a year. */
  g_assert_cmpfloat_with_epsilon (by_method (root, "open_cut_sidewalk"), 200, 1e-6);
  g_assert_cmpfloat_with_epsilon (by_method (root, "duct_reuse"), 200, 1e-6);
  g_assert_cmpint (json_object_get_int_member (totals (root), "handholes"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (totals (root), "manholes"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (totals (root), "poles_removed"), ==, 9);
  g_assert_cmpint (json_object_get_int_member (totals (root), "cost_vnd"), ==, 257100);
  g_assert_cmpint (json_array_get_length (wl), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *o = json_array_get_object_element (wl, i);
      const char *name = json_object_get_string_member (o, "ward");

      g_assert_true (g_str_equal (name, "Tây Lộc") || g_str_equal (name, "Đông Ba"));
      g_assert_cmpint (json_object_get_int_member (o, "cost_vnd"), ==, g_str_equal (name, "Tây Lộc") ? 231700 : 25400);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "trench_m"), 200, 1e-6);
      g_assert_cmpint (json_object_get_int_member (o, "poles_removed"), ==, g_str_equal (name, "Tây Lộc") ? 5 : 4);
    }
  /* The removed poles' and retired spans' features carry the ward they
   * are costed in: poles 5 and 4 as above; spans by the trench of their
   * first edge, the four west of 200 in Tây Lộc, the four from it in Đông Ba. */
  {
    const char *layers[] = { "pole_removed", "span_retired" };
    guint want[2][2] = { { 5, 4 }, { 4, 4 } };
    g_autoptr(NgamPlanResult) stored = NULL;

    run_stored (store, sc, &stored);

    for (guint k = 0; k < 2; k++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(NgamResultCursor) cur = ngam_store_query_results (store, stored->run_id, layers[k], NULL, &error);
        guint tay = 0, dong = 0;

        g_assert_no_error (error);
        while (ngam_result_cursor_next (cur, &error))
          {
            const NgamResultFeature *f = ngam_result_cursor_get (cur);

            g_assert_nonnull (f->ward);
            tay += g_str_equal (f->ward, "Tây Lộc");
            dong += g_str_equal (f->ward, "Đông Ba");
          }
        g_assert_no_error (error);
        g_assert_cmpuint (tay, ==, want[k][0]);
        g_assert_cmpuint (dong, ==, want[k][1]);
      }
  }
  g_assert_cmpint (operator_cost (root, "A"), ==, 257100);
  g_assert_cmpfloat_with_epsilon (
    json_object_get_double_member (json_array_get_object_element (json_object_get_array_member (root, "operators"), 0),
                                   "rent_per_year_vnd"), 12000, 1e-6);
  g_assert_cmpint (n_violations (root), ==, 0);

  /* The same town where the duct along Đông is A's own: A lays its cable
   * in it too (rent 24000 at most against 222200 dug) but pays no rent,
   * only the cable pulling, 200.  Đông Ba = 200 + 4 × 300 = 1400; the
   * total 231700 + 1400 = 233100; no rent a year. */
  {
    g_autofree char *own_path = g_build_filename (dir, "own.ngam", NULL);
    TZone own_ducts[] = { { "LINESTRING(200 11, 400 11)", "A" } };
    Town own_town = { streets, 2, NULL, 0, spans, 8, "A", wards, 2, own_ducts, 1 };
    g_autoptr(NgamStore) own_store = town_project (own_path, &own_town);
    g_autoptr(NgamPlanResult) own_r = NULL;
    JsonObject *own = run_plan (own_store, sc, FALSE, &own_r);
    JsonArray *own_wards = json_object_get_array_member (own, "wards");

    /* The design prices what the bill will: Tây dug, 222200 (above);
     * Đông reused, its pulling 200 and, in VNPT's duct, the rent 24000:
     * 246400; in A's own, 200 only: 222400.  On one street each tree is
     * the street, and the bound proves both. */
    g_assert_cmpfloat_with_epsilon (design_member (root, "objective_vnd"), 246400, 1e-3);
    g_assert_cmpfloat_with_epsilon (design_member (root, "lower_bound_vnd"), 246400, 1e-3);
    g_assert_cmpfloat_with_epsilon (design_member (own, "objective_vnd"), 222400, 1e-3);
    g_assert_cmpfloat_with_epsilon (design_member (own, "lower_bound_vnd"), 222400, 1e-3);
    g_assert_cmpfloat_with_epsilon (by_method (own, "duct_reuse"), 200, 1e-6);
    g_assert_cmpint (json_object_get_int_member (totals (own), "cost_vnd"), ==, 233100);
    for (guint i = 0; i < json_array_get_length (own_wards); i++)
      {
        JsonObject *o = json_array_get_object_element (own_wards, i);

        if (g_str_equal (json_object_get_string_member (o, "ward"), "Đông Ba"))
          g_assert_cmpint (json_object_get_int_member (o, "cost_vnd"), ==, 1400);
      }
    g_assert_cmpfloat_with_epsilon (
      json_object_get_double_member (json_array_get_object_element (json_object_get_array_member (own, "operators"), 0),
                                     "rent_per_year_vnd"), 0, 1e-6);
  }
  ngam_test_rmdir (dir);
}

static void
test_heritage_bridge (void)
{
  river_case (TRUE, TRUE);
}

static void
test_river_hdd (void)
{
  river_case (FALSE, FALSE);
}

/* A street across a heritage square: micro-trench (600 + 100 per metre,
 * cheaper than HDD at 3000), never open cut. */
static void
test_heritage (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "heritage.ngam", NULL);
  TZone zones[] = { { "MULTIPOLYGON(((-50 -50, 250 -50, 250 50, -50 50, -50 -50)))", "di_tich" } };
  Town town = { one_street, 1, zones, 1, two_ops, 4, NULL };
  g_autoptr(NgamStore) store = town_project (path, &town);
  g_autoptr(NgamPlanScenario) sc = scenario (NULL);
  g_autoptr(NgamPlanResult) r = NULL;
  JsonObject *root = run_plan (store, sc, FALSE, &r);

  /* one operator: 1 duct + 1 spare in microducts: handholes at 0, 150, 200 */
  g_assert_cmpfloat_with_epsilon (by_method (root, "micro_trench"), 200, 1e-6);
  g_assert_cmpfloat_with_epsilon (by_method (root, "open_cut_sidewalk"), 0, 1e-6);
  g_assert_cmpint (json_object_get_int_member (totals (root), "handholes"), ==, 3);
  /* 600 × 200 + 100 × 200 + microducts 5 × 200 × 2 + cable 200 + 3 × 2000
   * + 5 poles × 300 = 120000 + 20000 + 2000 + 200 + 6000 + 1500 */
  g_assert_cmpint (json_object_get_int_member (totals (root), "cost_vnd"), ==, 149700);
  g_assert_cmpint (n_violations (root), ==, 0);
  ngam_test_rmdir (dir);
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* 400 m straight, a cross street at x = 150.  Pull points at both ends;
 * the run passes the intersection, where no manhole may be within 15 m:
 * greedy placement 150 → stepped back to 135, then 285; gaps 135, 150,
 * 115: 4 manholes. */
static void
test_spacing (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "run.ngam", NULL);
  TStreet streets[] = {
    { "LINESTRING(0 0, 400 0)", "Dài", 3, FALSE, FALSE },
    { "LINESTRING(150 -100, 150 100)", "Ngang", 3, FALSE, FALSE },
  };
  TSpan spans[] = {
    { "A", 0, 5, 80, 5 }, { "A", 80, 5, 160, 5 }, { "A", 160, 5, 240, 5 },
    { "A", 240, 5, 320, 5 }, { "A", 320, 5, 400, 5 },
    { "B", 0, 5, 80, 5 }, { "B", 80, 5, 160, 5 }, { "B", 160, 5, 240, 5 },
    { "B", 240, 5, 320, 5 }, { "B", 320, 5, 400, 5 },
  };
  Town town = { streets, 2, NULL, 0, spans, G_N_ELEMENTS (spans), NULL };
  g_autoptr(NgamStore) store = town_project (path, &town);
  g_autoptr(NgamPlanScenario) sc = scenario (NULL);
  g_autoptr(NgamPlanResult) r = NULL;
  JsonObject *root = run_plan (store, sc, FALSE, &r);

  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (totals (root), "trench_m"), 400, 1e-6);
  g_assert_cmpint (json_object_get_int_member (totals (root), "manholes"), ==, 4);
  g_assert_cmpint (n_violations (root), ==, 0);
  {
    g_autoptr(NgamPlanResult) stored = NULL;
    g_autofree char *rows = NULL;
    g_auto(GStrv) lines = NULL;
    double xs[4];
    guint n = 0;

    run_stored (store, sc, &stored);
    rows = run_rows (store, "test", "manhole");
    lines = g_strsplit (rows, "\n", -1);
    for (guint i = 0; lines[i] && *lines[i]; i++)
      {
        const char *pt = strstr (lines[i], "POINT");
        double x, y;

        g_assert_nonnull (pt);
        g_assert_cmpint (sscanf (strchr (pt, '(') + 1, "%lf %lf", &x, &y), ==, 2);
        g_assert_cmpuint (n, <, 4);
        g_assert_cmpfloat_with_epsilon (y, 0, 1e-6);
        xs[n++] = x;
      }
    g_assert_cmpuint (n, ==, 4);
    /* in placement order: the two ends (nodes in order), then the run's */
    qsort (xs, 4, sizeof (double), cmp_double);
    g_assert_cmpfloat_with_epsilon (xs[0], 0, 1e-6);
    g_assert_cmpfloat_with_epsilon (xs[1], 135, 1e-6);
    g_assert_cmpfloat_with_epsilon (xs[2], 285, 1e-6);
    g_assert_cmpfloat_with_epsilon (xs[3], 400, 1e-6);
  }
  ngam_test_rmdir (dir);
}

/* A square block, spans along its bottom side only; the bottom street in
 * a no-dig zone: the trench goes round the other three sides (300 m). */
static void
test_route_around (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "around.ngam", NULL);
  TStreet streets[] = {
    { "LINESTRING(0 0, 100 0)", "Nam", 3, FALSE, FALSE },
    { "LINESTRING(100 0, 100 100)", "Đông", 3, FALSE, FALSE },
    { "LINESTRING(100 100, 0 100)", "Bắc", 3, FALSE, FALSE },
    { "LINESTRING(0 100, 0 0)", "Tây", 3, FALSE, FALSE },
  };
  TZone nodig[] = { { "MULTIPOLYGON(((10 -20, 90 -20, 90 20, 10 20, 10 -20)))", "no_dig" } };
  TSpan spans[] = { { "A", 0, -5, 50, -5 }, { "A", 50, -5, 100, -5 } };
  Town open = { streets, 4, NULL, 0, spans, 2, NULL };
  Town closed = { streets, 4, nodig, 1, spans, 2, NULL };
  g_autofree char *path2 = g_build_filename (dir, "around2.ngam", NULL);
  g_autoptr(NgamStore) s1 = town_project (path, &open);
  g_autoptr(NgamStore) s2 = town_project (path2, &closed);
  g_autoptr(NgamPlanScenario) sc = scenario (NULL);
  g_autoptr(NgamPlanResult) r1 = NULL, r2 = NULL;
  JsonObject *a = run_plan (s1, sc, FALSE, &r1);
  JsonObject *b = run_plan (s2, sc, FALSE, &r2);

  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (totals (a), "trench_m"), 100, 1e-6);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (totals (b), "trench_m"), 300, 1e-6);
  g_assert_cmpint (json_object_get_int_member (totals (b), "spans_retired"), ==, 2);
  g_assert_cmpint (n_violations (b), ==, 0);
  ngam_test_rmdir (dir);
}

/* Three streets 1 km apart, the same cost each; the middle one is a
 * festival street.  A budget of 1.5 corridors a year over 2 years funds
 * the festival street in year 1, the first of the others in year 2, and
 * leaves the last unfunded. */
static void
test_budget (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "budget.ngam", NULL);
  TStreet streets[] = {
    { "LINESTRING(0 0, 100 0)", "Một", 3, FALSE, FALSE },
    { "LINESTRING(0 1000, 100 1000)", "Hai", 3, FALSE, TRUE },
    { "LINESTRING(0 2000, 100 2000)", "Ba", 3, FALSE, FALSE },
  };
  TSpan spans[] = {
    { "A", 0, 5, 50, 5 }, { "A", 50, 5, 100, 5 },
    { "A", 0, 1005, 50, 1005 }, { "A", 50, 1005, 100, 1005 },
    { "A", 0, 2005, 50, 2005 }, { "A", 50, 2005, 100, 2005 },
  };
  Town town = { streets, 3, NULL, 0, spans, 6, NULL };
  g_autoptr(NgamStore) store = town_project (path, &town);
  /* each corridor: 1000 × 100 + 100 × 100 + 2 ducts × 10 × 100 + cable 100
   * + 2 handholes (0, 100) + 3 poles × 300 = 100000 + 10000 + 2000 + 100 +
   * 4000 + 900 = 117000 */
  g_autoptr(NgamPlanScenario) sc = scenario ("[priorities]\nbudget_per_year = 175500\nyears = 2\n");
  g_autoptr(NgamPlanResult) r = NULL;
  JsonObject *root = run_plan (store, sc, FALSE, &r);
  JsonArray *phases = json_object_get_array_member (root, "phases");
  JsonArray *unfunded = json_object_get_array_member (root, "unfunded");

  g_assert_cmpint (json_object_get_int_member (totals (root), "cost_vnd"), ==, 3 * 117000);
  g_assert_cmpint (json_array_get_length (phases), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (phases, 0), "cost_vnd"), ==, 117000);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (phases, 1), "cost_vnd"), ==, 117000);
  g_assert_cmpint (json_array_get_length (unfunded), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (unfunded, 0), "street"), ==, "Ba");
  g_assert_cmpint (json_object_get_int_member (totals (root), "funded_cost_vnd"), ==, 2 * 117000);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (unfunded, 0), "cost_vnd"), ==, 117000);
  g_assert_cmpint (n_violations (root), ==, 0);

  /* A five-year budget that pays for all three corridors in the first
   * year: the plan lists the one year the work takes, not four more
   * empty ones. */
  {
    g_autoptr(NgamPlanScenario) sc5 = scenario ("[priorities]\nbudget_per_year = 351000\nyears = 5\n");
    g_autoptr(NgamPlanResult) r5 = NULL;
    JsonObject *root5 = run_plan (store, sc5, FALSE, &r5);
    JsonArray *phases5 = json_object_get_array_member (root5, "phases");

    g_assert_cmpint (json_array_get_length (phases5), ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (phases5, 0), "cost_vnd"), ==, 3 * 117000);
    g_assert_cmpint (json_array_get_length (json_object_get_array_member (root5, "unfunded")), ==, 0);
    g_assert_cmpint (json_object_get_int_member (totals (root5), "funded_cost_vnd"), ==, 3 * 117000);
  }
  ngam_test_rmdir (dir);
}

/* Two parallel streets; the scope names one: only it is dug. */
static void
test_street_scope (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "scope.ngam", NULL);
  TStreet streets[] = {
    { "LINESTRING(0 0, 200 0)", "Lê Lợi", 3, FALSE, FALSE },
    { "LINESTRING(0 500, 300 500)", "Hùng Vương", 3, FALSE, FALSE },
  };
  TSpan spans[] = {
    { "A", 0, 5, 100, 5 }, { "A", 100, 5, 200, 5 },
    { "A", 0, 505, 100, 505 }, { "A", 100, 505, 200, 505 }, { "A", 200, 505, 300, 505 },
  };
  Town town = { streets, 2, NULL, 0, spans, 5, NULL };
  g_autoptr(NgamStore) store = town_project (path, &town);
  g_autoptr(NgamPlanScenario) sc = scenario ("[scope]\nstreets = Le Loi\n");
  g_autoptr(NgamPlanScenario) bad = scenario ("[scope]\nstreets = Lê Lợi; Trần Hưng Đạo\n");
  g_autoptr(NgamPlanResult) r = NULL, r2 = NULL;
  g_autoptr(GError) error = NULL;
  NgamPlanOptions o = NGAM_PLAN_OPTIONS_INIT;
  JsonObject *root = run_plan (store, sc, FALSE, &r);

  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (totals (root), "trench_m"), 200, 1e-6);
  g_assert_cmpint (json_object_get_int_member (totals (root), "spans_retired"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (totals (root), "spans_out_of_scope"), ==, 3);
  g_assert_cmpint (n_violations (root), ==, 0);

  o.scenario = bad;
  o.dry_run = TRUE;
  g_assert_false (ngam_plan_run (store, &o, &r2, NULL, NULL, NULL, &error));
  g_assert_error (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_SCENARIO);
  g_assert_nonnull (strstr (error->message, "[scope] streets:"));
  g_assert_nonnull (strstr (error->message, "Trần Hưng Đạo"));
  {
    /* the line of `streets =`: after the costs and the [scope] header */
    guint line = 2;
    g_autofree char *where = NULL;

    for (const char *c = test_costs; *c; c++)
      line += *c == '\n';
    where = g_strdup_printf ("test.ini:%u: [scope] streets:", line);
    g_assert_nonnull (strstr (error->message, where));
  }
  ngam_test_rmdir (dir);
}

/* The street-scope town with a ward round each street, planned twice:
 * scenario "a" digs Lê Lợi, "b" Lê Lợi and Hùng Vương.  The two streets do
 * not meet, so b digs Lê Lợi exactly as a does and the comparison's whole
 * difference is Hùng Vương.  One operator, poles nobody's (they come
 * down), handholes 150 m apart at most and at each end:
 *   Lê Lợi (200 m): open cut 200 × 1000 + asphalt 200 × 100 + 1 duct and
 *   1 spare 2 × 10 × 200 + handholes at 0, 150, 200 3 × 2000 + cable 200 +
 *   poles at 0, 100, 200 3 × 300 = 200000 + 20000 + 4000 + 6000 + 200 +
 *   900 = 231100;
 *   Hùng Vương (300 m): 300000 + 30000 + 6000 + handholes at 0, 150, 300
 *   6000 + 300 + 4 poles 1200 = 343500.
 * a costs 231100, b 574600, and only b digs 300 m of street. */
static void
test_compare (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "compare.ngam", NULL);
  TStreet streets[] = {
    { "LINESTRING(0 0, 200 0)", "Lê Lợi", 3, FALSE, FALSE },
    { "LINESTRING(0 500, 300 500)", "Hùng Vương", 3, FALSE, FALSE },
  };
  TSpan spans[] = {
    { "A", 0, 5, 100, 5 }, { "A", 100, 5, 200, 5 },
    { "A", 0, 505, 100, 505 }, { "A", 100, 505, 200, 505 }, { "A", 200, 505, 300, 505 },
  };
  TZone wards[] = { { "MULTIPOLYGON(((-50 -50, 350 -50, 350 250, -50 250, -50 -50)))", "Phường Một" },
                    { "MULTIPOLYGON(((-50 250, 350 250, 350 550, -50 550, -50 250)))", "Phường Hai" } };
  Town town = { streets, 2, NULL, 0, spans, 5, NULL, wards, 2 };
  g_autoptr(NgamStore) store = town_project (path, &town);
  g_autoptr(NgamPlanScenario) sc = scenario (NULL);
  g_autoptr(NgamPlanResult) ra = NULL, rb = NULL;
  g_autoptr(NgamPlanComparison) c = NULL, same = NULL, none = NULL, unknown = NULL;
  g_autoptr(GError) error = NULL;
  NgamPlanOptions o = NGAM_PLAN_OPTIONS_INIT;
  const char *wards_expected[][2] = { { "Phường Một", "231100" }, { "Phường Hai", "343500" } };

  o.scenario = sc;
  o.scenario_name = "a";
  o.streets = "Lê Lợi";
  g_assert_true (ngam_plan_run (store, &o, &ra, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  o.scenario_name = "b";
  o.streets = "Lê Lợi;Hùng Vương";
  g_assert_true (ngam_plan_run (store, &o, &rb, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ra->cost_vnd, ==, 231100);
  g_assert_cmpint (rb->cost_vnd, ==, 231100 + 343500);

  c = ngam_plan_compare (store, "a", "b", &error);
  g_assert_no_error (error);
  g_assert_nonnull (c);
  g_test_message ("a: run %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " VND, %.3f m; b: run %" G_GINT64_FORMAT
                  ", %" G_GINT64_FORMAT " VND, %.3f m; edges only in b: %u (%.3f m)",
                  c->run_a, c->cost_vnd[0], c->trench_m[0], c->run_b, c->cost_vnd[1], c->trench_m[1],
                  c->edges_only_b->len, c->length_only_b_m);
  g_assert_cmpstr (c->scenario_a, ==, "a");
  g_assert_cmpstr (c->scenario_b, ==, "b");
  g_assert_cmpint (c->run_a, ==, ra->run_id);
  g_assert_cmpint (c->run_b, ==, rb->run_id);
  g_assert_cmpint (c->cost_vnd[0], ==, ra->cost_vnd);
  g_assert_cmpint (c->cost_vnd[1], ==, rb->cost_vnd);
  g_assert_cmpfloat_with_epsilon (c->trench_m[0], 200, 1e-6);
  g_assert_cmpfloat_with_epsilon (c->trench_m[1], 500, 1e-6);
  g_assert_cmpint (c->spans_retired[0], ==, 2);
  g_assert_cmpint (c->spans_retired[1], ==, 5);
  g_assert_cmpint (c->poles_removed[0], ==, 3);
  g_assert_cmpint (c->poles_removed[1], ==, 7);
  g_assert_cmpint (c->handholes[0], ==, 3);
  g_assert_cmpint (c->handholes[1], ==, 6);
  g_assert_cmpint (c->manholes[0], ==, 0);
  g_assert_cmpint (c->manholes[1], ==, 0);

  /* the streets are 200 and 300 m of straight line: their edges add up to
   * that to rounding */
  g_assert_cmpuint (c->edges_only_a->len, ==, 0);
  g_assert_cmpfloat (c->length_only_a_m, ==, 0);
  g_assert_cmpuint (c->edges_only_b->len, >, 0);
  g_assert_cmpfloat_with_epsilon (c->length_only_b_m, 300, 1e-6);
  g_assert_cmpfloat_with_epsilon (c->length_only_b_m, c->trench_m[1] - c->trench_m[0], 1e-6);
  g_assert_cmpuint (c->edges_other_method->len, ==, 0);
  for (guint i = 1; i < c->edges_only_b->len; i++)
    g_assert_cmpint (g_array_index (c->edges_only_b, gint64, i - 1), <, g_array_index (c->edges_only_b, gint64, i));


  /* On the map B's extra street is haloed, Lê Lợi, dug by both, is not. */
  {
    NgamRenderView view = { 150, 250, 1.0, 400, 600 };
    NgamRenderResults what = { rb->run_id, 0, NGAM_RENDER_RESULTS_BY_PHASE, -1, NULL, FALSE, NULL,
                               c->edges_only_b };
    cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, view.width, view.height);
    cairo_t *cr = cairo_create (s);
    guint halo[2] = { 0, 0 };

    cairo_set_source_rgb (cr, 1, 1, 1);
    cairo_paint (cr);
    g_assert_true (ngam_render_results (store, cr, &view, &what, NULL, &error));
    g_assert_no_error (error);
    cairo_destroy (cr);
    cairo_surface_flush (s);
    /* Count haloed pixels (magenta at 55 % over white) in a band 12 px
     * each side of each street's middle third. */
    for (int street = 0; street < 2; street++)
      {
        double sy = street == 0 ? 0 : 500, px, py;

        ngam_render_view_to_pixel (&view, 100, sy, &px, &py);
        for (int y = (int) py - 12; y <= (int) py + 12; y++)
          for (int x = (int) px - 30; x <= (int) px + 30; x++)
            {
              guint32 v = *(guint32 *) (cairo_image_surface_get_data (s) + y * cairo_image_surface_get_stride (s) + 4 * x);
              int r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;

              if (r > 200 && g < 170 && b > 150 && b < 230)
                halo[street]++;
            }
      }
    g_test_message ("haloed pixels: Lê Lợi %u, Hùng Vương %u", halo[0], halo[1]);
    g_assert_cmpuint (halo[0], ==, 0);
    g_assert_cmpuint (halo[1], >, 100);
    cairo_surface_destroy (s);
  }

  /* B − A is Hùng Vương's ward, and all of it */
  g_assert_cmpuint (c->operators->len, ==, 1);
  g_assert_cmpstr (((NgamPlanCompareRow *) c->operators->pdata[0])->name, ==, "A");
  g_assert_cmpint (((NgamPlanCompareRow *) c->operators->pdata[0])->cost_a, ==, 231100);
  g_assert_cmpint (((NgamPlanCompareRow *) c->operators->pdata[0])->cost_b, ==, 574600);
  g_assert_cmpuint (c->phases->len, ==, 1);
  g_assert_cmpstr (((NgamPlanCompareRow *) c->phases->pdata[0])->name, ==, "1");
  g_assert_cmpuint (c->wards->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      const NgamPlanCompareRow *row = g_ptr_array_index (c->wards, i);

      g_assert_cmpstr (row->name, ==, wards_expected[i][0]);
      g_assert_cmpint (row->cost_a, ==, i == 0 ? 231100 : 0);
      g_assert_cmpint (row->cost_b, ==, g_ascii_strtoll (wards_expected[i][1], NULL, 10));
    }
  g_assert_cmpint (c->cost_vnd[1] - c->cost_vnd[0], ==,
                   ((NgamPlanCompareRow *) c->wards->pdata[1])->cost_b - ((NgamPlanCompareRow *) c->wards->pdata[1])->cost_a);

  /* the JSON keeps ngam-batch compare's members, wards and runs added */
  {
    g_autoptr(JsonNode) node = ngam_plan_comparison_to_json (c);
    JsonObject *root = json_node_get_object (node);
    JsonArray *wl = json_object_get_array_member (root, "wards");

    g_assert_cmpstr (json_object_get_string_member (root, "a"), ==, "a");
    g_assert_cmpint (json_object_get_int_member (root, "run_b"), ==, rb->run_id);
    g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (json_object_get_object_member (root, "totals"),
                                                                               "cost_vnd"), 1), ==, 574600);
    g_assert_cmpint (json_array_get_length (json_object_get_array_member (root, "edges_only_b")), ==, c->edges_only_b->len);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (wl, 1), "ward"), ==, "Phường Hai");
  }

  /* The CSV for a spreadsheet: every number worked out above, B − A in
   * the last column, metres to the centimetre, CRLF line ends. */
  {
    g_autofree char *csv = ngam_plan_comparison_to_csv (c);
    g_autofree char *expected = g_strdup_printf (
      "section,item,a,b,b_minus_a\r\n"
      "scenario,name,a,b,\r\n"
      "run,id,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",\r\n"
      "totals,cost_vnd,231100,574600,343500\r\n"
      "totals,trench_m,200.00,500.00,300.00\r\n"
      "totals,spans_retired,2,5,3\r\n"
      "totals,poles_removed,3,7,4\r\n"
      "totals,manholes,0,0,0\r\n"
      "totals,handholes,3,6,3\r\n"
      "operator,A,231100,574600,343500\r\n"
      "phase,1,231100,574600,343500\r\n"
      "ward,Phường Một,231100,231100,0\r\n"
      "ward,Phường Hai,0,343500,343500\r\n"
      "streets,edges_only,0,%u,%u\r\n"
      "streets,length_only_m,0.00,300.00,300.00\r\n"
      "streets,edges_other_method,0,0,0\r\n",
      ra->run_id, rb->run_id, c->edges_only_b->len, c->edges_only_b->len);

    g_assert_cmpstr (csv, ==, expected);
  }
  /* a field with a comma, a quote or a line break is quoted, quotes doubled */
  {
    g_autoptr(GString) out = g_string_new (NULL);

    ngam_csv_field (out, "Kim Long, Hương Long", FALSE);
    ngam_csv_field (out, "đường \"mới\"", FALSE);
    ngam_csv_field (out, NULL, FALSE);
    ngam_csv_field (out, "a\nb", TRUE);
    g_assert_cmpstr (out->str, ==, "\"Kim Long, Hương Long\",\"đường \"\"mới\"\"\",,\"a\nb\"\r\n");
  }

  /* a scenario with itself: the same run, nothing apart */
  same = ngam_plan_compare (store, "b", "b", &error);
  g_assert_no_error (error);
  g_assert_cmpint (same->run_a, ==, same->run_b);
  g_assert_cmpint (same->cost_vnd[0], ==, same->cost_vnd[1]);
  g_assert_cmpint (same->cost_vnd[0], ==, 574600);
  g_assert_cmpfloat (same->trench_m[0], ==, same->trench_m[1]);
  g_assert_cmpuint (same->edges_only_a->len, ==, 0);
  g_assert_cmpuint (same->edges_only_b->len, ==, 0);
  g_assert_cmpuint (same->edges_other_method->len, ==, 0);
  g_assert_cmpfloat (same->length_only_a_m, ==, 0);
  g_assert_cmpfloat (same->length_only_b_m, ==, 0);
  for (guint i = 0; i < same->wards->len; i++)
    g_assert_cmpint (((NgamPlanCompareRow *) same->wards->pdata[i])->cost_a, ==,
                     ((NgamPlanCompareRow *) same->wards->pdata[i])->cost_b);

  /* a scenario that was never planned, on either side, and one that is
   * not there */
  g_assert_cmpint (ngam_store_put_scenario (store, "chưa lập", ngam_plan_scenario_get_text (sc), &error), >, 0);
  g_assert_no_error (error);
  none = ngam_plan_compare (store, "a", "chưa lập", &error);
  g_assert_null (none);
  g_assert_error (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_NO_RUN);
  g_assert_nonnull (strstr (error->message, "“chưa lập”"));
  g_assert_null (strstr (error->message, "--"));
  g_clear_error (&error);
  none = ngam_plan_compare (store, "chưa lập", "b", &error);
  g_assert_null (none);
  g_assert_error (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_NO_RUN);
  g_clear_error (&error);
  unknown = ngam_plan_compare (store, "a", "nosuch", &error);
  g_assert_null (unknown);
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "nosuch"));
  ngam_test_rmdir (dir);
}

/* What an editor is told of each key: every key of the defaults has it,
 * of the type, bounds and unit default.ini gives. */
static void
test_key_info (void)
{
  g_autoptr(NgamPlanScenario) sc = ngam_plan_scenario_new ();
  g_autofree char *text = ngam_plan_scenario_to_text (sc);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_auto(GStrv) groups = NULL;
  NgamPlanKeyInfo info;
  guint n = 0;

  g_assert_true (g_key_file_load_from_data (kf, text, -1, G_KEY_FILE_NONE, NULL));
  groups = g_key_file_get_groups (kf, NULL);
  for (guint g = 0; groups[g]; g++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (kf, groups[g], NULL, NULL);

      for (guint k = 0; keys[k]; k++, n++)
        {
          if (!ngam_plan_scenario_key_info (groups[g], keys[k], &info))
            g_error ("[%s] %s has no key info", groups[g], keys[k]);
          g_assert_cmpstr (info.key, ==, keys[k]);
          g_assert_true (info.min <= info.max);
        }
    }
  g_assert_cmpuint (n, >, 60);
  g_assert_true (ngam_plan_scenario_key_info ("costs", "manhole", &info));
  g_assert_cmpint (info.type, ==, NGAM_PLAN_KEY_MONEY);
  g_assert_cmpstr (info.unit, ==, "VND");
  g_assert_true (ngam_plan_scenario_key_info ("costs", "hdd_per_m", &info));
  g_assert_cmpstr (info.unit, ==, "VND/m");
  g_assert_true (ngam_plan_scenario_key_info ("costs", "open_cut_roadway", &info));
  g_assert_cmpstr (info.unit, ==, "VND/m");
  g_assert_true (ngam_plan_scenario_key_info ("costs", "rent_upto_5mm", &info));
  g_assert_cmpstr (info.unit, ==, "VND/m/month");
  g_assert_true (ngam_plan_scenario_key_info ("costs", "flood_uplift", &info));
  g_assert_cmpint (info.type, ==, NGAM_PLAN_KEY_PERCENT);
  g_assert_cmpstr (info.unit, ==, "%");
  g_assert_true (ngam_plan_scenario_key_info ("rules", "turn_angle_deg", &info));
  g_assert_cmpint (info.type, ==, NGAM_PLAN_KEY_NUMBER);
  g_assert_cmpfloat (info.min, ==, 0);
  g_assert_cmpfloat (info.max, ==, 180);
  g_assert_cmpstr (info.unit, ==, "°");
  g_assert_true (ngam_plan_scenario_key_info ("rules", "duct_inner_mm", &info));
  g_assert_cmpstr (info.unit, ==, "mm");
  g_assert_true (ngam_plan_scenario_key_info ("rules", "cover_roadway_m", &info));
  g_assert_cmpstr (info.unit, ==, "m");
  g_assert_true (ngam_plan_scenario_key_info ("rules", "spare_ducts", &info));
  g_assert_null (info.unit);
  g_assert_true (ngam_plan_scenario_key_info ("priorities", "budget_per_year", &info));
  g_assert_cmpstr (info.unit, ==, "VND/year");
  g_assert_true (ngam_plan_scenario_key_info ("priorities", "years", &info));
  g_assert_cmpstr (info.unit, ==, "years");
  g_assert_cmpfloat (info.min, ==, 1);
  g_assert_true (ngam_plan_scenario_key_info ("scope", "with_power", &info));
  g_assert_cmpint (info.type, ==, NGAM_PLAN_KEY_BOOLEAN);
  g_assert_true (ngam_plan_scenario_key_info ("priorities", "split", &info));
  g_assert_cmpint (info.type, ==, NGAM_PLAN_KEY_CHOICE);
  g_assert_cmpuint (g_strv_length ((char **) info.choices), ==, 3);
  g_assert_cmpstr (info.choices[0], ==, "ducts");
  g_assert_true (ngam_plan_scenario_key_info ("scope", "streets", &info));
  g_assert_cmpint (info.type, ==, NGAM_PLAN_KEY_LIST);
  g_assert_false (ngam_plan_scenario_key_info ("costs", "no_such_key", &info));
  g_assert_false (ngam_plan_scenario_key_info ("nogroup", "manhole", &info));
}

static void
refused (const char *text,
         const char *expect)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamPlanScenario) sc = ngam_plan_scenario_parse (text, -1, "bad.ini", &error);

  g_assert_null (sc);
  g_assert_error (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_SCENARIO);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, expect));
}

static void
test_refusals (void)
{
  refused ("[costs]\nmanhole = 1\nmanhol = 2\n", "bad.ini:3: [costs] manhol: unknown key");
  refused ("# c\n[costs]\n\nmanhole = -5\n", "bad.ini:4: [costs] manhole: a cost cannot be negative");
  refused ("[rules]\nfill_one_cable = 120\n", "bad.ini:2: [rules] fill_one_cable:");
  refused ("[rules]\nspare_ducts = many\n", "bad.ini:2: [rules] spare_ducts: “many” is not a number");
  refused ("[weather]\nrain = 1\n", "bad.ini:1: [weather]: unknown group");
  refused ("[priorities]\nsplit = loudest\n", "bad.ini:2: [priorities] split:");
}

/* data/scenarios/default.ini parses to exactly the built-in defaults. */
static void
test_default_ini (void)
{
  g_autofree char *file = g_build_filename (g_getenv ("NGAM_SOURCE_ROOT"), "data", "scenarios", "default.ini", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamPlanScenario) sc = ngam_plan_scenario_load (file, &error);
  g_autoptr(NgamPlanScenario) def = ngam_plan_scenario_new ();
  g_autofree char *a = NULL, *b = NULL;

  g_assert_no_error (error);
  a = ngam_plan_scenario_to_text (sc);
  b = ngam_plan_scenario_to_text (def);
  g_assert_cmpstr (a, ==, b);
}

/* A scenario is text another run, the window or a colleague reads back:
 * its numbers in the C locale and as people write them (0.7, not
 * 0.69999999999999996), even when the planner's desktop is Vietnamese and
 * printf writes 0,7 there; and a size with decimals reads in any locale. */
static void
test_scenario_locale (void)
{
  const char *comma = ngam_test_comma_locale ();
  g_autoptr(NgamPlanScenario) def = ngam_plan_scenario_new ();
  g_autoptr(NgamPlanScenario) back = NULL, sized = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL, *again = NULL, *sized_text = NULL, *probe = NULL;

  if (comma == NULL)
    {
      g_test_skip ("no locale with a decimal comma here (Debian's locales package has vi_VN's source)");
      return;
    }
  g_assert_nonnull (setlocale (LC_NUMERIC, comma));
  probe = g_strdup_printf ("%.1f", 0.5);
  g_assert_cmpstr (probe, ==, "0,5");   /* the locale is in force */

  text = ngam_plan_scenario_to_text (def);
  g_assert_nonnull (strstr (text, "\ncover_roadway_m = 0.7\n"));
  g_assert_nonnull (strstr (text, "\ncoax_mm = 10.3\n"));
  g_assert_nonnull (strstr (text, "\nlayer_pitch_m = 0.15\n"));
  g_assert_nonnull (strstr (text, "\narrangements = 1x2:450/350;1x3:600/500;"));
  g_assert_null (strstr (text, "0,7"));
  g_assert_null (strstr (text, "9999999"));
  back = ngam_plan_scenario_parse (text, -1, "stored.ini", &error);
  g_assert_no_error (error);
  again = ngam_plan_scenario_to_text (back);
  g_assert_cmpstr (again, ==, text);

  sized = ngam_plan_scenario_parse ("[rules]\narrangements = 1x2: 450.5/350.25; 2x4:600/500\n", -1, "sized.ini", &error);
  g_assert_no_error (error);
  sized_text = ngam_plan_scenario_to_text (sized);
  g_assert_nonnull (strstr (sized_text, "\narrangements = 1x2:450.5/350.25;2x4:600/500\n"));
  /* a percentage reads back to its fraction in the fewest digits */
  {
    static const char *const shares[] = { "7", "0.1", "33.3", "53", "12.5", "99.99" };

    for (guint i = 0; i < G_N_ELEMENTS (shares); i++)
      {
        g_autofree char *in = g_strdup_printf ("[costs]\nwidth_cost_share = %s\n", shares[i]);
        g_autofree char *want = g_strdup_printf ("\nwidth_cost_share = %s\n", shares[i]);
        g_autoptr(NgamPlanScenario) p = ngam_plan_scenario_parse (in, -1, "share.ini", &error);
        g_autofree char *out = NULL;

        g_assert_no_error (error);
        out = ngam_plan_scenario_to_text (p);
        if (strstr (out, want) == NULL)
          g_error ("width_cost_share = %s was written back as %s", shares[i], strstr (out, "width_cost_share"));
      }
  }
  g_assert_null (ngam_plan_scenario_parse ("[rules]\narrangements = 1x2:450,5/350\n", -1, "comma.ini", NULL));
  g_assert_null (ngam_plan_scenario_parse ("[rules]\narrangements = 1x2:450/\n", -1, "cut.ini", NULL));
  g_assert_null (ngam_plan_scenario_parse ("[rules]\narrangements = 1x2:450/350 mm\n", -1, "unit.ini", NULL));
  setlocale (LC_NUMERIC, "C");
}

static void
test_empty (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "empty.ngam", NULL);
  g_autofree char *path2 = g_build_filename (dir, "nostreets.ngam", NULL);
  Town town = { one_street, 1, NULL, 0, two_ops, G_N_ELEMENTS (two_ops), "A" };
  Town bare = { NULL, 0, NULL, 0, two_ops, G_N_ELEMENTS (two_ops), "A" };
  g_autoptr(NgamStore) store = town_project (path, &town);
  g_autoptr(NgamStore) store2 = town_project (path2, &bare);
  g_autoptr(NgamPlanScenario) sc = scenario ("[scope]\noperators = Nobody\n");
  g_autoptr(NgamPlanScenario) sc2 = scenario (NULL);
  g_autoptr(NgamPlanResult) r = NULL, r2 = NULL;
  JsonObject *root = run_plan (store, sc, FALSE, &r);
  JsonObject *root2 = run_plan (store2, sc2, FALSE, &r2);

  g_assert_cmpint (json_object_get_int_member (totals (root), "cost_vnd"), ==, 0);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (root, "notes")), >=, 1);
  g_assert_nonnull (strstr (json_array_get_string_element (json_object_get_array_member (root, "notes"), 0), "scope"));
  g_assert_cmpint (json_object_get_int_member (totals (root2), "cost_vnd"), ==, 0);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (root2, "unmatched_spans")), ==, 8);
  g_assert_nonnull (strstr (json_array_get_string_element (json_object_get_array_member (root2, "notes"), 0), "no streets"));
  ngam_test_rmdir (dir);
}

/* The demo town: rules pass, totals add up, shares sum to the total, two
 * runs are identical, sharing much cheaper than each operator alone. */
static void
test_demo (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "demo.ngam", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (path, "EPSG:9214", &error);
  NgamSampleOptions so = { 600, 1 };
  g_autoptr(NgamPlanScenario) sc = ngam_plan_scenario_new ();
  g_autoptr(NgamPlanResult) r1 = NULL, r2 = NULL, r3 = NULL;
  JsonObject *a, *alone;
  g_autofree char *ja = NULL, *jb = NULL;
  gint64 total, sum = 0;
  const char *lists[] = { "operators", "phases", "wards", "bill" };

  g_assert_no_error (error);
  g_assert_true (ngam_sample_generate (store, &so, NULL, NULL, NULL, &error));
  a = run_plan (store, sc, FALSE, &r1);
  run_plan (store, sc, FALSE, &r2);
  alone = run_plan (store, sc, TRUE, &r3);
  ja = ngam_plan_result_to_json (r1);
  jb = ngam_plan_result_to_json (r2);
  g_assert_cmpstr (ja, ==, jb);
  g_assert_cmpint (n_violations (a), ==, 0);
  g_assert_cmpint (n_violations (alone), ==, 0);
  total = json_object_get_int_member (totals (a), "cost_vnd");
  g_assert_cmpint (total, >, 0);
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      JsonArray *arr = json_object_get_array_member (a, lists[l]);
      double shares = 0;

      sum = 0;
      for (guint i = 0; i < json_array_get_length (arr); i++)
        {
          JsonObject *o = json_array_get_object_element (arr, i);

          sum += json_object_get_int_member (o, "cost_vnd");
          if (l == 0)
            shares += json_object_get_double_member (o, "share");
        }
      g_assert_cmpint (sum, ==, total);
      if (l == 0)
        g_assert_cmpfloat_with_epsilon (shares, 1.0, 1e-3);
    }
  g_test_message ("demo 600: shared %" G_GINT64_FORMAT " VND, alone %" G_GINT64_FORMAT " VND", total,
                  json_object_get_int_member (totals (alone), "cost_vnd"));
  g_assert_cmpint (total, <, 0.7 * json_object_get_int_member (totals (alone), "cost_vnd"));
  g_assert_cmpint (json_object_get_int_member (totals (a), "spans_retired"), >, 0);
  g_assert_cmpint (json_object_get_int_member (totals (a), "manholes"), >, 0);
  ngam_test_rmdir (dir);
}

/* Stored twice, the rows are the same; a plan run again replaces the
 * previous one. */
static void
test_stored_rows (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "rows.ngam", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (path, "EPSG:9214", &error);
  NgamSampleOptions so = { 400, 3 };
  g_autoptr(NgamPlanScenario) sc = ngam_plan_scenario_new ();
  g_autoptr(NgamPlanResult) r1 = NULL, r2 = NULL;
  g_autofree char *a = NULL, *b = NULL;
  g_autoptr(GPtrArray) runs = NULL;

  g_assert_true (ngam_sample_generate (store, &so, NULL, NULL, NULL, &error));
  run_stored (store, sc, &r1);
  a = run_rows (store, "test", NULL);
  run_stored (store, sc, &r2);
  b = run_rows (store, "test", NULL);
  g_assert_cmpuint (strlen (a), >, 1000);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpint (ngam_store_count_results (store, r2->run_id, NULL, &error), ==, r2->n_features);
  runs = ngam_store_list_runs (store, "test", "plan", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);
  ngam_test_rmdir (dir);
}

static void
cancel_at_half (double fraction, const char *message, gpointer data)
{
  if (fraction >= 0.5)
    g_cancellable_cancel (data);
}

static void
cancel_at_store (double fraction, const char *message, gpointer data)
{
  if (fraction >= 0.9)
    g_cancellable_cancel (data);
}

static void
cancel_case (NgamProgressFunc when)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "cancel.ngam", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  NgamPlanOptions o = NGAM_PLAN_OPTIONS_INIT;
  NgamPlanResult *r = NULL;

  {
    g_autoptr(NgamStore) store = ngam_store_create (path, "EPSG:9214", &error);
    NgamSampleOptions so = { 400, 2 };

    g_assert_true (ngam_sample_generate (store, &so, NULL, NULL, NULL, &error));
  }
  before = ngam_test_sha256_file (path);
  {
    g_autoptr(NgamStore) store = ngam_store_open (path, NGAM_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    g_assert_false (ngam_plan_run (store, &o, &r, when, cancel, cancel, &error));
    g_assert_null (r);
    g_assert_error (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_CANCELLED);
  }
  after = ngam_test_sha256_file (path);
  g_assert_cmpstr (before, ==, after);
  ngam_test_rmdir (dir);
}

static void
test_cancel (void)
{
  cancel_case (cancel_at_half);
}

static void
test_cancel_storing (void)
{
  cancel_case (cancel_at_store);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();
  g_test_add_func ("/plan/town/shared-trench", test_shared_trench);
  g_test_add_func ("/plan/town/with-power", test_with_power);
  g_test_add_func ("/plan/town/river-bridge", test_river_bridge);
  g_test_add_func ("/plan/town/river-hdd", test_river_hdd);
  g_test_add_func ("/plan/town/heritage-bridge", test_heritage_bridge);
  g_test_add_func ("/plan/town/wards-and-rent", test_wards_and_rent);
  g_test_add_func ("/plan/town/heritage", test_heritage);
  g_test_add_func ("/plan/town/spacing", test_spacing);
  g_test_add_func ("/plan/town/route-around", test_route_around);
  g_test_add_func ("/plan/town/budget", test_budget);
  g_test_add_func ("/plan/town/street-scope", test_street_scope);
  g_test_add_func ("/plan/compare", test_compare);
  g_test_add_func ("/plan/scenario/refusals", test_refusals);
  g_test_add_func ("/plan/scenario/default-ini", test_default_ini);
  g_test_add_func ("/plan/scenario/key-info", test_key_info);
  g_test_add_func ("/plan/scenario/locale", test_scenario_locale);
  g_test_add_func ("/plan/empty", test_empty);
  g_test_add_func ("/plan/demo", test_demo);
  g_test_add_func ("/plan/stored-rows", test_stored_rows);
  g_test_add_func ("/plan/cancel", test_cancel);
  g_test_add_func ("/plan/cancel-storing", test_cancel_storing);
  return g_test_run ();
}
