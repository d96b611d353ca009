/* report-fixture.c — projects with a plan run for the report tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The generated demo town (ngam-batch sample, 300 intersections) with a
 * `plan` run written through the results API as the planner writes one:
 * trenches along the town's real streets, manholes at their ends, the
 * town's real spans retired and poles removed, and the JSON summary added
 * up from those features.  The hand-made run has four trenches whose
 * lengths and costs were chosen so the totals are checked against figures
 * worked out by hand (see test-report.c).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-test-util.h"
#include "report-fixture.h"

static const char *const methods[] = { "open_cut_sidewalk", "open_cut_roadway", "micro_trench", "hdd" };

static double
shape_length (const NgamShape *s)
{
  double len = 0;

  for (guint p = 0; p < s->n_parts; p++)
    for (guint i = s->part_start[p] + 1; i < s->part_start[p + 1]; i++)
      len += hypot (s->xy[2 * i] - s->xy[2 * i - 2], s->xy[2 * i + 1] - s->xy[2 * i - 1]);
  return len;
}

static char *
new_demo (const char *dir, const char *name)
{
  g_autofree char *out = NULL, *err = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "sample", "--out", path, "--size", "300", NULL), ==, 0);
  return path;
}

/* The demo's wards, by point in polygon of a street's first vertex. */
static const char *
ward_of (GPtrArray *wards, GPtrArray *names, double x, double y)
{
  for (guint w = 0; w < wards->len; w++)
    {
      const NgamShape *s = wards->pdata[w];
      gboolean in = FALSE;

      for (guint p = 0; p < s->n_parts; p++)
        for (guint i = s->part_start[p], j = s->part_start[p + 1] - 1; i < s->part_start[p + 1]; j = i++)
          {
            double xi = s->xy[2 * i], yi = s->xy[2 * i + 1], xj = s->xy[2 * j], yj = s->xy[2 * j + 1];

            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
              in = !in;
          }
      if (in)
        return names->pdata[w];
    }
  return names->len > 0 ? names->pdata[0] : "?";
}

static void
add_point (NgamRun *run, const char *layer, double x, double y, int phase, const char *ward,
           const char *op, double cost, const char *attrs)
{
  g_autoptr(NgamShape) pt = ngam_shape_new_point (x, y);
  NgamResultFeature f = NGAM_RESULT_FEATURE_INIT;
  g_autoptr(GError) error = NULL;

  f.layer = layer;
  f.phase = phase;
  f.ward = ward;
  f.operator_name = op;
  f.cost = cost;
  f.attrs = attrs;
  f.shape = pt;
  g_assert_true (ngam_run_add (run, &f, &error));
}

typedef struct
{
  GString *json;
  double   by_method[G_N_ELEMENTS (methods)];
  double   ward_cost[16], ward_m[16];
  const char *ward_names[16];
  guint    n_wards;
  double   phase_m[8];
} Summary;

static guint
ward_index (Summary *s, const char *ward)
{
  for (guint i = 0; i < s->n_wards; i++)
    if (strcmp (s->ward_names[i], ward) == 0)
      return i;
  g_assert_cmpuint (s->n_wards, <, G_N_ELEMENTS (s->ward_names));
  s->ward_names[s->n_wards] = ward;
  return s->n_wards++;
}

static char *
summary_json (ReportFixture *fx, Summary *s, gboolean violation)
{
  GString *j = g_string_new ("{\"totals\":{");
  double vnpt = round (fx->cost * 0.6);

  g_string_append_printf (j, "\"cost_vnd\":%.0f,\"trench_m\":%.3f,\"cable_m\":%.3f,\"spans_retired\":%"
                             G_GINT64_FORMAT ",\"poles_removed\":%" G_GINT64_FORMAT ",\"poles_freed\":%"
                             G_GINT64_FORMAT ",\"manholes\":%" G_GINT64_FORMAT ",\"handholes\":%" G_GINT64_FORMAT
                             ",\"trench_m_by_method\":{",
                          fx->cost, fx->trench_m, 2 * fx->trench_m, fx->spans_retired, fx->poles_removed,
                          fx->poles_freed, fx->manholes, fx->handholes);
  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    g_string_append_printf (j, "%s\"%s\":%.3f", m ? "," : "", methods[m], s->by_method[m]);
  g_string_append (j, ",\"open_cut_unpaved\":0,\"bridge_attachment\":0,\"duct_reuse\":0}},\"operators\":[");
  fx->operator_cost[0] = vnpt;
  fx->operator_cost[1] = fx->cost - vnpt;
  g_string_append_printf (j, "{\"operator\":\"VNPT\",\"cost_vnd\":%.0f,\"share\":0.6},"
                             "{\"operator\":\"Viettel\",\"cost_vnd\":%.0f,\"share\":0.4}],\"phases\":[",
                          fx->operator_cost[0], fx->operator_cost[1]);
  for (guint p = 1; p <= fx->phases; p++)
    g_string_append_printf (j, "%s{\"phase\":%u,\"year\":%u,\"cost_vnd\":%.0f,\"trench_m\":%.3f}", p > 1 ? "," : "",
                            p, 2026 + p, fx->phase_cost[p], s->phase_m[p]);
  g_string_append (j, "],\"wards\":[");
  for (guint w = 0; w < s->n_wards; w++)
    {
      /* The demo's ward names hold no quote or backslash: no escaping. */
      const char *name = s->ward_names[w];

      g_string_append_printf (j, "%s{\"ward\":\"%s\",\"cost_vnd\":%.0f,\"trench_m\":%.3f}", w ? "," : "", name,
                              s->ward_cost[w], s->ward_m[w]);
    }
  g_string_append (j, "],\"unfunded\":[],\"unmatched_spans\":[],\"violations\":[");
  if (violation)
    g_string_append (j, "{\"rule\":\"fill\",\"fid\":7,\"message\":\"duct fill 61 % above the 53 % limit\"}");
  g_string_append (j, "]}");
  return g_string_free (j, FALSE);
}

/**
 * report_fixture_demo:
 *
 * The demo town with a plan run of scenario `default` over all its
 * streets, in three phases.
 */
char *
report_fixture_demo (const char    *dir,
                     const char    *name,
                     gboolean       violation,
                     gboolean       gaps,
                     ReportFixture *fx)
{
  char *path = new_demo (dir, name);
  g_autoptr(NgamStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamRun) run = NULL;
  g_autoptr(GPtrArray) wards = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_shape_free);
  g_autoptr(GPtrArray) ward_names = g_ptr_array_new_with_free_func (g_free);
  NgamShape *phase_shape[4] = { NULL };
  g_autofree char *summary = NULL;
  Summary s = { 0 };
  int name_i = ngam_layer_field_index (NGAM_LAYER_STREETS, "name");
  int highway_i = ngam_layer_field_index (NGAM_LAYER_STREETS, "highway");
  int festival_i = ngam_layer_field_index (NGAM_LAYER_STREETS, "festival");
  int admin_i = ngam_layer_field_index (NGAM_LAYER_ADMIN, "name");
  const char *settings = "[costs]\nopen_cut_roadway_per_m = 1500000\nopen_cut_sidewalk_per_m = 900000\n"
                         "micro_trench_per_m = 1200000\nhdd_per_m = 4000000\nmanhole = 12000000\n"
                         "handhole = 4000000\n[rules]\nmanhole_spacing_m = 150\n[budget]\nyears = 3\n"
                         "budget_per_year = 50000000000\n";

  memset (fx, 0, sizeof *fx);
  fx->phases = 3;
  store = ngam_store_open (path, NGAM_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ngam_store_put_scenario (store, "default", settings, &error), >, 0);
  g_assert_no_error (error);
  {
    g_autoptr(NgamStoreCursor) cur = ngam_store_query (store, NGAM_LAYER_ADMIN, NULL, NGAM_QUERY_DEFAULT, &error);

    while (ngam_store_cursor_next (cur, &error))
      {
        const NgamFeature *f = ngam_store_cursor_get (cur);

        g_ptr_array_add (wards, ngam_shape_copy (f->shape));
        g_ptr_array_add (ward_names, g_strdup (ngam_feature_get_text (f, admin_i)));
      }
    g_assert_no_error (error);
  }

  run = ngam_run_begin (store, "default", "plan", settings, &error);
  g_assert_no_error (error);
  {
    g_autoptr(NgamStoreCursor) cur = ngam_store_query (store, NGAM_LAYER_STREETS, NULL, NGAM_QUERY_DEFAULT, &error);
    static const double unit_cost[] = { 900000, 1500000, 1200000, 4000000 };
    guint i = 0;

    while (ngam_store_cursor_next (cur, &error))
      {
        const NgamFeature *f = ngam_store_cursor_get (cur);
        const char *highway = ngam_feature_get_text (f, highway_i);
        const char *street = ngam_feature_get_text (f, name_i);
        gboolean festival = !ngam_feature_is_null (f, festival_i) && ngam_feature_get_bool (f, festival_i);
        guint m = festival ? 2 : g_strcmp0 (highway, "alley") == 0 ? 0 : (i % 7 == 0 ? 3 : 1);
        double len = round (shape_length (f->shape) * 100) / 100, cost = round (len * unit_cost[m]);
        int phase = 1 + (int) (i % 3);
        const char *ward = ward_of (wards, ward_names, f->shape->xy[0], f->shape->xy[1]);
        NgamResultFeature t = NGAM_RESULT_FEATURE_INIT;
        g_autoptr(JsonBuilder) jb = json_builder_new ();
        g_autoptr(JsonNode) root = NULL;
        g_autofree char *attrs = NULL;
        guint w = ward_index (&s, ward);

        json_builder_begin_object (jb);
        json_builder_set_member_name (jb, "street_fid");
        json_builder_add_int_value (jb, f->fid);
        json_builder_set_member_name (jb, "street");
        json_builder_add_string_value (jb, street != NULL ? street : "");
        json_builder_set_member_name (jb, "method");
        json_builder_add_string_value (jb, methods[m]);
        json_builder_set_member_name (jb, "length_m");
        json_builder_add_double_value (jb, len);
        json_builder_set_member_name (jb, "ducts");
        json_builder_add_int_value (jb, 2 + i % 3);
        json_builder_set_member_name (jb, "arrangement");
        json_builder_add_string_value (jb, "1x4");
        json_builder_set_member_name (jb, "operators");
        json_builder_add_string_value (jb, i % 2 ? "VNPT;Viettel" : "VNPT");
        json_builder_set_member_name (jb, "funded");
        json_builder_add_boolean_value (jb, TRUE);
        json_builder_end_object (jb);
        root = json_builder_get_root (jb);
        attrs = json_to_string (root, FALSE);

        t.layer = "trench";
        t.phase = phase;
        t.ward = ward;
        t.cost = cost;
        t.attrs = attrs;
        t.shape = f->shape;
        g_assert_true (ngam_run_add (run, &t, &error));
        if (phase_shape[phase] == NULL)
          {
            phase_shape[phase] = ngam_shape_new ();
            ngam_shape_begin (phase_shape[phase], NGAM_SHAPE_MULTILINESTRING);
          }
        ngam_shape_new_part (phase_shape[phase]);
        for (guint k = 0; k < f->shape->n_points; k++)
          ngam_shape_add_point (phase_shape[phase], f->shape->xy[2 * k], f->shape->xy[2 * k + 1]);

        fx->trenches++;
        fx->trench_m += len;
        fx->cost += cost;
        fx->phase_cost[phase] += cost;
        s.phase_m[phase] += len;
        s.by_method[m] += len;
        s.ward_cost[w] += cost;
        s.ward_m[w] += len;
        if (i % 4 == 0)
          {
            gboolean hand = i % 8 == 4;
            double mc = hand ? 4000000 : 12000000;

            add_point (run, "manhole", f->shape->xy[0], f->shape->xy[1], phase, ward, NULL, mc,
                       hand ? "{\"kind\":\"handhole\",\"reason\":\"spacing\",\"moved_m\":0}"
                            : "{\"kind\":\"manhole\",\"reason\":\"branch\",\"moved_m\":0}");
            if (hand)
              fx->handholes++;
            else
              fx->manholes++;
            fx->cost += mc;
            fx->phase_cost[phase] += mc;
            s.ward_cost[w] += mc;
          }
        i++;
      }
    g_assert_no_error (error);
  }
  {
    g_autoptr(NgamStoreCursor) cur = ngam_store_query (store, NGAM_LAYER_SPANS, NULL, NGAM_QUERY_DEFAULT, &error);
    guint i = 0;

    while (ngam_store_cursor_next (cur, &error) && i < 400)
      {
        const NgamFeature *f = ngam_store_cursor_get (cur);
        NgamResultFeature t = NGAM_RESULT_FEATURE_INIT;
        g_autofree char *attrs = g_strdup_printf ("{\"span_fid\":%" G_GINT64_FORMAT ",\"match\":\"street\"}", f->fid);

        t.layer = "span_retired";
        t.phase = 1 + (int) (i % 3);
        t.operator_name = f->operator_name;
        t.attrs = attrs;
        t.shape = f->shape;
        g_assert_true (ngam_run_add (run, &t, &error));
        fx->spans_retired++;
        i++;
      }
  }
  {
    g_autoptr(NgamStoreCursor) cur = ngam_store_query (store, NGAM_LAYER_POLES, NULL, NGAM_QUERY_DEFAULT, &error);
    guint i = 0;

    while (ngam_store_cursor_next (cur, &error) && i < 180)
      {
        const NgamFeature *f = ngam_store_cursor_get (cur);
        g_autofree char *attrs = g_strdup_printf ("{\"pole_fid\":%" G_GINT64_FORMAT "}", f->fid);
        gboolean removed = i < 120;

        add_point (run, removed ? "pole_removed" : "pole_freed", f->shape->xy[0], f->shape->xy[1],
                   1 + (int) (i % 3), NULL, f->operator_name, NAN, attrs);
        if (removed)
          fx->poles_removed++;
        else
          fx->poles_freed++;
        i++;
      }
  }
  for (int p = 1; p <= 3; p++)
    {
      NgamResultFeature t = NGAM_RESULT_FEATURE_INIT;
      g_autofree char *attrs = g_strdup_printf ("{\"year\":%d,\"trench_m\":%.3f,\"funded\":true}", 2026 + p,
                                                s.phase_m[p]);

      ngam_shape_finish (phase_shape[p]);
      t.layer = "phase";
      t.phase = p;
      t.cost = fx->phase_cost[p];
      t.attrs = attrs;
      t.shape = phase_shape[p];
      g_assert_true (ngam_run_add (run, &t, &error));
      ngam_shape_free (phase_shape[p]);
    }
  summary = summary_json (fx, &s, violation);
  g_assert_true (ngam_run_commit (g_steal_pointer (&run), summary, &error));
  g_assert_no_error (error);

  if (gaps)
    {
      g_autoptr(NgamRun) g = ngam_run_begin (store, "default", "gaps", settings, &error);
      g_autoptr(NgamStoreCursor) cur = ngam_store_query (store, NGAM_LAYER_ZONES, NULL, NGAM_QUERY_DEFAULT, &error);
      int type_i = ngam_layer_field_index (NGAM_LAYER_ZONES, "zone_type");
      guint n = 0;

      while (ngam_store_cursor_next (cur, &error))
        {
          const NgamFeature *f = ngam_store_cursor_get (cur);
          NgamResultFeature t = NGAM_RESULT_FEATURE_INIT;
          g_autofree char *attrs = g_strdup_printf ("{\"zone_fid\":%" G_GINT64_FORMAT ",\"zone_type\":\"%s\","
                                                    "\"aerial_m\":%u,\"poles\":%u,\"households_cut\":%u}",
                                                    f->fid, ngam_feature_get_text (f, type_i), 100 * n, n, 10 * n);

          if (g_strcmp0 (ngam_feature_get_text (f, type_i), "flood") != 0)
            continue;
          t.layer = "hazard";
          t.attrs = attrs;
          t.shape = f->shape;
          g_assert_true (ngam_run_add (g, &t, &error));
          n++;
        }
      g_assert_cmpuint (n, >, 0);
      g_assert_true (ngam_run_commit (g_steal_pointer (&g),
                                      "{\"indicators\":{\"households\":817,\"households_fibre\":790,"
                                      "\"fibre_share\":0.967},\"hazards\":[{\"zone\":\"flood\",\"aerial_m\":1200,"
                                      "\"poles\":14,\"households_cut\":120}]}",
                                      &error));
      g_assert_no_error (error);
    }
  return path;
}

/**
 * report_fixture_hand:
 *
 * Four trenches on the demo's first four streets with lengths and costs
 * chosen by hand, two wards, two phases:
 *
 *   trench  ward                 phase  method             length_m   cost
 *   1       Phường Phú Hội       1      open_cut_roadway   100.25     150 375 000
 *   2       Phường Phú Hội       1      open_cut_sidewalk  200        180 000 000
 *   3       Phường Vĩnh Ninh     2      micro_trench       50.5        60 600 000
 *   4       Phường Vĩnh Ninh     2      open_cut_roadway   449.25     673 875 000
 *   manhole Phường Phú Hội       1                                     12 000 000
 *   handhole Phường Vĩnh Ninh    2                                      4 567 890
 *
 * Totals: 800 m; 1 081 417 890 ₫ (phase 1: 342 375 000, phase 2:
 * 739 042 890); Phú Hội 342 375 000, Vĩnh Ninh 739 042 890; VNPT 60 % =
 * 648 850 734, Viettel 432 567 156.
 */
char *
report_fixture_hand (const char    *dir,
                     ReportFixture *fx)
{
  static const struct { const char *ward; int phase; const char *method; double len, cost; } t[] = {
    { "Phường Phú Hội", 1, "open_cut_roadway", 100.25, 150375000 },
    { "Phường Phú Hội", 1, "open_cut_sidewalk", 200, 180000000 },
    { "Phường Vĩnh Ninh", 2, "micro_trench", 50.5, 60600000 },
    { "Phường Vĩnh Ninh", 2, "open_cut_roadway", 449.25, 673875000 },
  };
  char *path = new_demo (dir, "hand.ngam");
  g_autoptr(NgamStore) store = ngam_store_open (path, NGAM_STORE_OPEN_DEFAULT, NULL);
  g_autoptr(NgamStoreCursor) cur = ngam_store_query (store, NGAM_LAYER_STREETS, NULL, NGAM_QUERY_DEFAULT, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamRun) run = NULL;
  const char *summary =
    "{\"totals\":{\"cost_vnd\":1081417890,\"trench_m\":800,\"cable_m\":1600,\"spans_retired\":0,"
    "\"poles_removed\":0,\"poles_freed\":0,\"manholes\":1,\"handholes\":1,\"trench_m_by_method\":"
    "{\"open_cut_sidewalk\":200,\"open_cut_roadway\":549.5,\"open_cut_unpaved\":0,\"micro_trench\":50.5,"
    "\"hdd\":0,\"bridge_attachment\":0,\"duct_reuse\":0}},"
    "\"operators\":[{\"operator\":\"VNPT\",\"cost_vnd\":648850734,\"share\":0.6},"
    "{\"operator\":\"Viettel\",\"cost_vnd\":432567156,\"share\":0.4}],"
    "\"phases\":[{\"phase\":1,\"year\":2027,\"cost_vnd\":342375000,\"trench_m\":300.25},"
    "{\"phase\":2,\"year\":2028,\"cost_vnd\":739042890,\"trench_m\":499.75}],"
    "\"wards\":[{\"ward\":\"Phường Phú Hội\",\"cost_vnd\":342375000,\"trench_m\":300.25},"
    "{\"ward\":\"Phường Vĩnh Ninh\",\"cost_vnd\":739042890,\"trench_m\":499.75}],"
    "\"unfunded\":[],\"unmatched_spans\":[],\"violations\":[]}";

  memset (fx, 0, sizeof *fx);
  fx->cost = 1081417890;
  fx->trench_m = 800;
  fx->trenches = 4;
  fx->manholes = 1;
  fx->handholes = 1;
  fx->phases = 2;
  fx->phase_cost[1] = 342375000;
  fx->phase_cost[2] = 739042890;
  fx->operator_cost[0] = 648850734;
  fx->operator_cost[1] = 432567156;

  g_assert_cmpint (ngam_store_put_scenario (store, "default", "[costs]\nmanhole = 12000000\n", &error), >, 0);
  run = ngam_run_begin (store, "default", "plan", "[costs]\nmanhole = 12000000\n", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (t); i++)
    {
      const NgamFeature *f;
      NgamResultFeature r = NGAM_RESULT_FEATURE_INIT;
      g_autofree char *attrs = NULL;

      g_assert_true (ngam_store_cursor_next (cur, &error));
      f = ngam_store_cursor_get (cur);
      attrs = g_strdup_printf ("{\"street\":\"Đường số %u\",\"method\":\"%s\",\"length_m\":%.2f,\"ducts\":4,"
                               "\"operators\":\"VNPT;Viettel\"}", i + 1, t[i].method, t[i].len);
      r.layer = "trench";
      r.phase = t[i].phase;
      r.ward = t[i].ward;
      r.cost = t[i].cost;
      r.attrs = attrs;
      r.shape = f->shape;
      g_assert_true (ngam_run_add (run, &r, &error));
      if (i == 0 || i == 2)
        add_point (run, "manhole", f->shape->xy[0], f->shape->xy[1], t[i].phase, t[i].ward, NULL,
                   i == 0 ? 12000000 : 4567890, i == 0 ? "{\"kind\":\"manhole\"}" : "{\"kind\":\"handhole\"}");
    }
  g_assert_true (ngam_run_commit (g_steal_pointer (&run), summary, &error));
  g_assert_no_error (error);

  /* Scenario `violating`: one trench, and a plan that breaks a rule. */
  {
    g_autoptr(NgamStoreCursor) again = ngam_store_query (store, NGAM_LAYER_STREETS, NULL, NGAM_QUERY_DEFAULT, NULL);
    NgamResultFeature r = NGAM_RESULT_FEATURE_INIT;

    g_assert_cmpint (ngam_store_put_scenario (store, "violating", "[rules]\nfill_limit = 0.53\n", &error), >, 0);
    run = ngam_run_begin (store, "violating", "plan", "[rules]\nfill_limit = 0.53\n", &error);
    g_assert_no_error (error);
    g_assert_true (ngam_store_cursor_next (again, &error));
    r.layer = "trench";
    r.phase = 1;
    r.ward = "Phường Phú Hội";
    r.cost = 150375000;
    r.attrs = "{\"street\":\"Đường số 1\",\"method\":\"open_cut_roadway\",\"length_m\":100.25,\"ducts\":9}";
    r.shape = ngam_store_cursor_get (again)->shape;
    g_assert_true (ngam_run_add (run, &r, &error));
    g_assert_true (ngam_run_commit (g_steal_pointer (&run),
                                    "{\"totals\":{\"cost_vnd\":150375000,\"trench_m\":100.25},"
                                    "\"phases\":[{\"phase\":1,\"year\":2027,\"cost_vnd\":150375000,\"trench_m\":100.25}],"
                                    "\"wards\":[{\"ward\":\"Phường Phú Hội\",\"cost_vnd\":150375000,\"trench_m\":100.25}],"
                                    "\"violations\":[{\"rule\":\"fill\",\"fid\":7,"
                                    "\"message\":\"duct fill 61 % above the 53 % limit\"}]}",
                                    &error));
    g_assert_no_error (error);
  }
  return path;
}
