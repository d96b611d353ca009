/* test-results.c — scenarios, runs, result features and styles
 * (ngam-results.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-results.h"
#include "ngam-test-util.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = NULL;

  fx->dir = ngam_test_tmpdir ();
  fx->path = g_build_filename (fx->dir, "p.ngam", NULL);
  store = ngam_store_create (fx->path, "EPSG:9214", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  ngam_test_rmdir (fx->dir);
  g_free (fx->dir);
  g_free (fx->path);
}

static NgamStore *
open_rw (Fixture *fx)
{
  g_autoptr(GError) error = NULL;
  NgamStore *store = ngam_store_open (fx->path, 0, &error);

  g_assert_no_error (error);
  return store;
}

/* Every column of a run's rows but fid and run_id, in write order, as one
 * text (read with plain SQLite, behind the store's back). */
static char *
dump_run (const char *path, gint64 run_id)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT group_concat(r, char(10)) FROM (SELECT quote(seq) || ' ' || quote(layer) || ' ' || "
    "quote(phase) || ' ' || quote(ward) || ' ' || quote(operator) || ' ' || quote(cost) || ' ' || "
    "quote(attrs) || ' ' || quote(hex(geom)) AS r FROM result_features WHERE run_id = %" G_GINT64_FORMAT
    " ORDER BY seq)", run_id);

  return ngam_test_sql_text (path, sql);
}

/* The spatial index of result_features agrees with the table and is a
 * sound R*Tree. */
static void
assert_index_right (const char *path)
{
  g_autofree char *geoms = ngam_test_sql_text (path, "SELECT count(*) FROM result_features WHERE geom IS NOT NULL");
  g_autofree char *entries = ngam_test_sql_text (path, "SELECT count(*) FROM idx_result_features_geom");
  g_autofree char *missing = ngam_test_sql_text (path,
    "SELECT count(*) FROM result_features f WHERE geom IS NOT NULL AND NOT EXISTS "
    "(SELECT 1 FROM idx_result_features_geom i WHERE i.pkid = f.fid)");
  g_autofree char *check = ngam_test_sql_text (path, "SELECT rtreecheck('idx_result_features_geom')");
  g_autofree char *triggers = ngam_test_sql_text (path,
    "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'result_features'");

  g_assert_cmpstr (geoms, ==, entries);
  g_assert_cmpstr (missing, ==, "0");
  g_assert_cmpstr (check, ==, "ok");
  /* SpatiaLite's 8: geometry constraint ×2, timestamps ×3, index ×3 */
  g_assert_cmpstr (triggers, ==, "8");
}

/* The features of the test run: a trench line, a manhole point, a gap
 * polygon, and a phase row with no geometry, phase, ward or cost. */
static void
add_features (NgamRun *run, guint copies, double dx)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < copies; i++)
    {
      double x = 560000 + dx * i;
      double line[] = { x, 1820000, x + 30, 1820040 };
      g_autoptr(NgamShape) trench = ngam_shape_new_line (line, 2);
      g_autoptr(NgamShape) manhole = ngam_shape_new_point (x + 30, 1820040);
      g_autoptr(NgamShape) area = ngam_shape_new ();
      g_autofree char *attrs = g_strdup_printf ("{\"street\": \"Lê Lợi\", \"length_m\": 50, \"i\": %u}", i);
      NgamResultFeature f = NGAM_RESULT_FEATURE_INIT;

      ngam_shape_begin (area, NGAM_SHAPE_POLYGON);
      ngam_shape_new_poly (area);
      ngam_shape_new_part (area);
      ngam_shape_add_point (area, x, 1821000);
      ngam_shape_add_point (area, x + 100, 1821000);
      ngam_shape_add_point (area, x + 100, 1821100);
      ngam_shape_add_point (area, x, 1821000);
      ngam_shape_finish (area);

      f.layer = "trench";
      f.phase = 1;
      f.ward = "Phú Hội";
      f.operator_name = "VNPT";
      f.cost = 1234567.5;
      f.attrs = attrs;
      f.shape = trench;
      g_assert_true (ngam_run_add (run, &f, &error));
      g_assert_no_error (error);

      f = (NgamResultFeature) NGAM_RESULT_FEATURE_INIT;
      f.layer = "manhole";
      f.phase = 0;
      f.cost = 0;
      f.attrs = "{\"kind\": \"manhole\", \"reason\": \"turn\"}";
      f.shape = manhole;
      g_assert_true (ngam_run_add (run, &f, &error));

      f = (NgamResultFeature) NGAM_RESULT_FEATURE_INIT;
      f.layer = "gap_area";
      f.ward = "Vĩnh Ninh";
      f.shape = area;
      g_assert_true (ngam_run_add (run, &f, &error));

      f = (NgamResultFeature) NGAM_RESULT_FEATURE_INIT;
      f.layer = "phase";
      g_assert_true (ngam_run_add (run, &f, &error));
      g_assert_no_error (error);
    }
}

static gint64
commit_run (NgamStore *store, const char *scenario, const char *job, guint copies, const char *summary)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamRun) run = ngam_run_begin (store, scenario, job, NULL, &error);
  gint64 id;

  g_assert_no_error (error);
  id = ngam_run_get_id (run);
  g_assert_cmpint (id, >, 0);
  add_features (run, copies, 1000);
  g_assert_true (ngam_run_commit (g_steal_pointer (&run), summary, &error));
  g_assert_no_error (error);
  return id;
}

static void
test_scenarios (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = open_rw (fx);
  g_autoptr(NgamScenarioInfo) a = NULL;
  g_autoptr(NgamScenarioInfo) b = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 id_a, id_b;

  id_a = ngam_store_put_scenario (store, "phường Phú Hội 2027", "[plan]\nbudget=5e9\n", &error);
  g_assert_no_error (error);
  id_b = ngam_store_put_scenario (store, "all", "[plan]\n", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id_a, >, 0);
  g_assert_cmpint (id_b, >, id_a);

  a = ngam_store_get_scenario (store, "phường Phú Hội 2027", &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->id, ==, id_a);
  g_assert_cmpstr (a->name, ==, "phường Phú Hội 2027");
  g_assert_cmpstr (a->settings, ==, "[plan]\nbudget=5e9\n");
  g_assert_cmpint (strlen (a->created), ==, strlen ("2026-12-02T07:00:00Z"));
  g_assert_cmpstr (a->created, ==, a->modified);
  g_clear_pointer (&a, ngam_scenario_info_free);

  /* replacing keeps the id and the creation time */
  g_assert_cmpint (ngam_store_put_scenario (store, "phường Phú Hội 2027", "[plan]\nbudget=7e9\n", &error), ==, id_a);
  a = ngam_store_get_scenario (store, "phường Phú Hội 2027", &error);
  g_assert_cmpstr (a->settings, ==, "[plan]\nbudget=7e9\n");
  g_assert_cmpint (a->id, ==, id_a);

  list = ngam_store_list_scenarios (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((NgamScenarioInfo *) list->pdata[0])->name, ==, "all");
  g_assert_cmpstr (((NgamScenarioInfo *) list->pdata[1])->name, ==, "phường Phú Hội 2027");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* deleting takes its runs and their features along */
  commit_run (store, "all", "plan", 3, "{}");
  commit_run (store, "phường Phú Hội 2027", "plan", 2, "{}");
  g_assert_true (ngam_store_delete_scenario (store, "all", &error));
  g_assert_no_error (error);
  b = ngam_store_get_scenario (store, "all", &error);
  g_assert_null (b);
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no scenario named “all”"));
  g_clear_error (&error);
  g_assert_false (ngam_store_delete_scenario (store, "all", &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  list = ngam_store_list_runs (store, NULL, NULL, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((NgamRunInfo *) list->pdata[0])->scenario, ==, "phường Phú Hội 2027");
  g_clear_pointer (&store, ngam_store_close);
  {
    g_autofree char *n = ngam_test_sql_text (fx->path, "SELECT count(*) FROM result_features");

    g_assert_cmpstr (n, ==, "8");
  }
  assert_index_right (fx->path);

  /* a name is needed */
  store = open_rw (fx);
  g_assert_cmpint (ngam_store_put_scenario (store, "", "[plan]\n", &error), ==, 0);
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID);
}

static void
check_feature (const NgamResultFeature *f, guint i, const char *layer)
{
  double x = 560000 + 1000.0 * i;

  g_assert_cmpstr (f->layer, ==, layer);
  g_assert_cmpint (f->fid, >, 0);
  if (g_str_equal (layer, "trench"))
    {
      g_autofree char *attrs = g_strdup_printf ("{\"street\": \"Lê Lợi\", \"length_m\": 50, \"i\": %u}", i);

      g_assert_cmpint (f->phase, ==, 1);
      g_assert_cmpstr (f->ward, ==, "Phú Hội");
      g_assert_cmpstr (f->operator_name, ==, "VNPT");
      g_assert_cmpfloat (f->cost, ==, 1234567.5);
      g_assert_cmpstr (f->attrs, ==, attrs);
      g_assert_nonnull (f->shape);
      g_assert_cmpint (f->shape->type, ==, NGAM_SHAPE_LINESTRING);
      g_assert_cmpuint (f->shape->n_points, ==, 2);
      g_assert_cmpfloat (f->shape->xy[0], ==, x);
      g_assert_cmpfloat (f->shape->xy[1], ==, 1820000);
      g_assert_cmpfloat (f->shape->xy[2], ==, x + 30);
      g_assert_cmpfloat (f->shape->xy[3], ==, 1820040);
    }
  else if (g_str_equal (layer, "manhole"))
    {
      g_assert_cmpint (f->phase, ==, 0);
      g_assert_null (f->ward);
      g_assert_null (f->operator_name);
      g_assert_cmpfloat (f->cost, ==, 0);
      g_assert_cmpstr (f->attrs, ==, "{\"kind\": \"manhole\", \"reason\": \"turn\"}");
      g_assert_cmpint (f->shape->type, ==, NGAM_SHAPE_POINT);
      g_assert_cmpfloat (f->shape->xy[0], ==, x + 30);
      g_assert_cmpfloat (f->shape->xy[1], ==, 1820040);
    }
  else if (g_str_equal (layer, "gap_area"))
    {
      g_assert_cmpint (f->phase, ==, -1);
      g_assert_cmpstr (f->ward, ==, "Vĩnh Ninh");
      g_assert_true (isnan (f->cost));
      g_assert_null (f->attrs);
      g_assert_cmpint (f->shape->type, ==, NGAM_SHAPE_POLYGON);
      g_assert_cmpuint (f->shape->n_points, ==, 4);
      g_assert_cmpfloat (f->shape->bbox[0], ==, x);
      g_assert_cmpfloat (f->shape->bbox[3], ==, 1821100);
    }
  else
    {
      g_assert_cmpstr (layer, ==, "phase");
      g_assert_cmpint (f->phase, ==, -1);
      g_assert_null (f->ward);
      g_assert_true (isnan (f->cost));
      g_assert_null (f->attrs);
      g_assert_null (f->shape);
    }
}

static void
test_run_read_back (Fixture *fx, gconstpointer data)
{
  static const char *const layers[] = { "trench", "manhole", "gap_area", "phase" };
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = open_rw (fx);
  g_autoptr(NgamResultCursor) c = NULL;
  g_autoptr(NgamRunInfo) last = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  gint64 id, prev = 0;
  guint n = 0;

  ngam_store_put_scenario (store, "s", "[plan]\nbudget=1\n", &error);
  g_assert_no_error (error);
  id = commit_run (store, "s", "plan", 5, "{\"totals\": {\"cost\": 42}}");

  /* every feature, in the order written */
  c = ngam_store_query_results (store, id, NULL, NULL, &error);
  g_assert_no_error (error);
  while (ngam_result_cursor_next (c, &error))
    {
      const NgamResultFeature *f = ngam_result_cursor_get (c);

      g_assert_cmpint (f->fid, >, prev);
      prev = f->fid;
      check_feature (f, n / 4, layers[n % 4]);
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 20);
  g_clear_pointer (&c, ngam_result_cursor_free);

  /* one layer */
  n = 0;
  c = ngam_store_query_results (store, id, "manhole", NULL, &error);
  while (ngam_result_cursor_next (c, &error))
    check_feature (ngam_result_cursor_get (c), n++, "manhole");
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 5);
  g_clear_pointer (&c, ngam_result_cursor_free);

  /* a box over copies 1 and 2 only (x 561000–562030; copy 3 starts at
   * 563000): 3 geometries each; the phase rows have none */
  {
    const double box[] = { 560999, 1819990, 562050, 1821200 };

    n = 0;
    c = ngam_store_query_results (store, id, NULL, box, &error);
    while (ngam_result_cursor_next (c, &error))
      {
        const NgamResultFeature *f = ngam_result_cursor_get (c);

        check_feature (f, 1 + n / 3, layers[n % 3]);
        n++;
      }
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 6);
    g_clear_pointer (&c, ngam_result_cursor_free);

    /* and a layer within it */
    n = 0;
    c = ngam_store_query_results (store, id, "gap_area", box, &error);
    while (ngam_result_cursor_next (c, &error))
      check_feature (ngam_result_cursor_get (c), 1 + n++, "gap_area");
    g_assert_cmpuint (n, ==, 2);
    g_clear_pointer (&c, ngam_result_cursor_free);
  }

  g_assert_cmpint (ngam_store_count_results (store, id, NULL, &error), ==, 20);
  g_assert_cmpint (ngam_store_count_results (store, id, "trench", &error), ==, 5);
  g_assert_cmpint (ngam_store_count_results (store, id, "nothing", &error), ==, 0);
  g_assert_cmpint (ngam_store_count_results (store, id + 100, NULL, &error), ==, 0);

  last = ngam_store_get_last_run (store, "s", "plan", &error);
  g_assert_no_error (error);
  g_assert_cmpint (last->id, ==, id);
  g_assert_cmpstr (last->scenario, ==, "s");
  g_assert_cmpstr (last->job, ==, "plan");
  g_assert_cmpstr (last->settings, ==, "[plan]\nbudget=1\n");
  g_assert_cmpstr (last->summary, ==, "{\"totals\": {\"cost\": 42}}");
  g_assert_cmpint (last->n_features, ==, 20);
  g_assert_nonnull (last->finished);
  g_assert_cmpstr (last->started, <=, last->finished);
  g_clear_pointer (&last, ngam_run_info_free);
  /* no gaps run yet: none, and no error */
  g_assert_null (ngam_store_get_last_run (store, "s", "gaps", &error));
  g_assert_no_error (error);

  /* a gaps run beside it does not replace the plan run */
  {
    g_autoptr(NgamRun) run = ngam_run_begin (store, "s", "gaps", "[gaps]\n", &error);

    add_features (run, 1, 1000);
    g_assert_true (ngam_run_commit (g_steal_pointer (&run), NULL, &error));
    g_assert_no_error (error);
  }
  runs = ngam_store_list_runs (store, "s", NULL, &error);
  g_assert_cmpuint (runs->len, ==, 2);
  g_assert_cmpstr (((NgamRunInfo *) runs->pdata[0])->job, ==, "plan");
  g_assert_cmpstr (((NgamRunInfo *) runs->pdata[1])->job, ==, "gaps");
  g_assert_cmpstr (((NgamRunInfo *) runs->pdata[1])->settings, ==, "[gaps]\n");
  g_assert_null (((NgamRunInfo *) runs->pdata[1])->summary);
  g_assert_cmpint (((NgamRunInfo *) runs->pdata[1])->n_features, ==, 4);
  g_clear_pointer (&runs, g_ptr_array_unref);
  runs = ngam_store_list_runs (store, NULL, "gaps", &error);
  g_assert_cmpuint (runs->len, ==, 1);

  g_clear_pointer (&store, ngam_store_close);
  assert_index_right (fx->path);
}

/* A run that is aborted, or fails, leaves the file byte for byte as it
 * was, and the previous run readable. */
static void
test_failed_run (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = open_rw (fx);
  g_autofree char *before = NULL;
  g_autofree char *dump = NULL;
  gint64 id;

  ngam_store_put_scenario (store, "s", "[plan]\n", &error);
  id = commit_run (store, "s", "plan", 4, "{\"a\": 1}");
  g_clear_pointer (&store, ngam_store_close);
  before = ngam_test_sha256_file (fx->path);
  dump = dump_run (fx->path, id);
  g_assert_nonnull (dump);

  /* aborted (as a job does when cancelled), with its rows written */
  store = open_rw (fx);
  {
    g_autoptr(NgamRun) run = ngam_run_begin (store, "s", "plan", NULL, &error);

    g_assert_no_error (error);
    add_features (run, 50, 10);
    /* freed without commit: g_autoptr aborts */
  }
  g_assert_false (ngam_store_in_transaction (store));
  {
    g_autoptr(NgamRunInfo) last = ngam_store_get_last_run (store, "s", "plan", &error);

    g_assert_cmpint (last->id, ==, id);
    g_assert_cmpint (ngam_store_count_results (store, id, NULL, &error), ==, 16);
  }

  /* failing: a feature refused half-way, then the job gives up */
  {
    g_autoptr(NgamRun) run = ngam_run_begin (store, "s", "plan", NULL, &error);
    NgamResultFeature bad = NGAM_RESULT_FEATURE_INIT;
    g_autoptr(NgamShape) inf = ngam_shape_new_point (INFINITY, 0);

    add_features (run, 3, 10);
    bad.layer = "trench";
    bad.shape = inf;
    g_assert_false (ngam_run_add (run, &bad, &error));
    g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "result feature 13 (layer trench) of the plan run"));
    g_clear_error (&error);
    bad.shape = NULL;
    bad.attrs = "[1, 2]";
    g_assert_false (ngam_run_add (run, &bad, &error));
    g_assert_nonnull (strstr (error->message, "not a JSON object"));
    g_clear_error (&error);
    bad.layer = NULL;
    g_assert_false (ngam_run_add (run, &bad, &error));
    g_assert_nonnull (strstr (error->message, "has no layer"));
    g_clear_error (&error);
    ngam_run_abort (g_steal_pointer (&run));
  }

  /* failing at commit: a transaction left open inside the run */
  {
    NgamRun *run = ngam_run_begin (store, "s", "plan", NULL, &error);

    add_features (run, 2, 10);
    g_assert_true (ngam_store_begin (store, &error));
    g_assert_false (ngam_run_commit (run, "{}", &error));
    g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "still open"));
    g_clear_error (&error);
    g_assert_false (ngam_store_in_transaction (store));
  }
  g_clear_pointer (&store, ngam_store_close);
  {
    g_autofree char *after = ngam_test_sha256_file (fx->path);
    g_autofree char *dump_after = dump_run (fx->path, id);

    g_assert_cmpstr (dump_after, ==, dump);
    g_assert_cmpstr (after, ==, before);
  }
  assert_index_right (fx->path);
}

/* Two runs of the same input: the second replaces the first, and their
 * rows are the same but for ids and times. */
static void
test_deterministic (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = open_rw (fx);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *runs = NULL;
  g_autofree char *expected = NULL;
  gint64 a, b;

  ngam_store_put_scenario (store, "s", "[plan]\n", &error);
  a = commit_run (store, "s", "plan", 6, "{\"x\": 1}");
  g_clear_pointer (&store, ngam_store_close);
  first = dump_run (fx->path, a);

  store = open_rw (fx);
  b = commit_run (store, "s", "plan", 6, "{\"x\": 1}");
  g_assert_cmpint (b, !=, a);
  g_clear_pointer (&store, ngam_store_close);
  second = dump_run (fx->path, b);
  g_assert_cmpstr (second, ==, first);
  g_assert_nonnull (strstr (second, "1 'trench' 1 'Phú Hội' 'VNPT' 1234567.5 "));
  /* the first is gone, index entries and all */
  g_assert_null (dump_run (fx->path, a));
  runs = ngam_test_sql_text (fx->path, "SELECT group_concat(id || ' ' || n_features || ' ' || summary) FROM runs");
  expected = g_strdup_printf ("%" G_GINT64_FORMAT " 24 {\"x\": 1}", b);
  g_assert_cmpstr (runs, ==, expected);
  assert_index_right (fx->path);
}

static void
test_styles (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = open_rw (fx);
  g_autofree char *s = NULL;
  const char *style = "[style]\nstroke=#1f78b4\nwidth=1.5\nlabel=tên đường\n";

  g_assert_null (ngam_store_dup_style (store, "poles", &error));
  g_assert_no_error (error);
  g_assert_true (ngam_store_set_style (store, "poles", style, &error));
  g_assert_true (ngam_store_set_style (store, "trench", "[style]\nstroke=#e31a1c\n", &error));
  g_assert_no_error (error);
  g_clear_pointer (&store, ngam_store_close);

  store = open_rw (fx);
  s = ngam_store_dup_style (store, "poles", &error);
  g_assert_cmpstr (s, ==, style);
  g_clear_pointer (&s, g_free);
  g_assert_true (ngam_store_set_style (store, "poles", "[style]\n", &error));
  s = ngam_store_dup_style (store, "poles", &error);
  g_assert_cmpstr (s, ==, "[style]\n");
  g_clear_pointer (&s, g_free);
  g_assert_true (ngam_store_set_style (store, "poles", NULL, &error));
  g_assert_null (ngam_store_dup_style (store, "poles", &error));
  s = ngam_store_dup_style (store, "trench", &error);
  g_assert_cmpstr (s, ==, "[style]\nstroke=#e31a1c\n");
  g_assert_no_error (error);
  g_assert_false (ngam_store_set_style (store, "", "[style]\n", &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID);
}

static void
test_refusals (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = open_rw (fx);
  g_autoptr(NgamRun) run = NULL;
  g_autoptr(NgamRun) inner = NULL;
  g_autofree char *before = NULL;

  /* unknown scenario */
  run = ngam_run_begin (store, "nowhere", "plan", NULL, &error);
  g_assert_null (run);
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no scenario named “nowhere”"));
  g_assert_nonnull (strstr (error->message, fx->path));
  g_clear_error (&error);
  g_assert_null (ngam_store_list_runs (store, "nowhere", NULL, &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (ngam_store_get_last_run (store, "nowhere", "plan", &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (ngam_store_in_transaction (store));

  /* a run inside another run */
  ngam_store_put_scenario (store, "s", "[plan]\n", &error);
  ngam_store_put_scenario (store, "t", "[gaps]\n", &error);
  run = ngam_run_begin (store, "s", "plan", NULL, &error);
  g_assert_no_error (error);
  add_features (run, 1, 10);
  inner = ngam_run_begin (store, "t", "gaps", NULL, &error);
  g_assert_null (inner);
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "cannot start a gaps run of “t” while a plan run is still open"));
  g_clear_error (&error);
  /* the open run goes on unharmed */
  add_features (run, 1, 10);
  g_assert_true (ngam_run_commit (g_steal_pointer (&run), NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(NgamRunInfo) last = ngam_store_get_last_run (store, "s", "plan", &error);

    g_assert_cmpint (last->n_features, ==, 8);
  }
  /* and the next one may start */
  run = ngam_run_begin (store, "t", "gaps", NULL, &error);
  g_assert_no_error (error);
  ngam_run_abort (g_steal_pointer (&run));

  /* read-only: nothing changes, each refusal says why */
  g_clear_pointer (&store, ngam_store_close);
  before = ngam_test_sha256_file (fx->path);
  store = ngam_store_open (fx->path, NGAM_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ngam_store_put_scenario (store, "u", "[plan]\n", &error), ==, 0);
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "opened read-only"));
  g_clear_error (&error);
  g_assert_null (ngam_run_begin (store, "s", "plan", NULL, &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (ngam_store_set_style (store, "poles", "[style]\n", &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (ngam_store_delete_scenario (store, "s", &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  /* reading works */
  {
    g_autoptr(GPtrArray) list = ngam_store_list_scenarios (store, &error);

    g_assert_cmpuint (list->len, ==, 2);
  }
  g_clear_pointer (&store, ngam_store_close);
  {
    g_autofree char *after = ngam_test_sha256_file (fx->path);

    g_assert_cmpstr (after, ==, before);
  }
}

/* 10^5 features in one run: time it, and read them back. */
static void
test_bulk (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = open_rw (fx);
  g_autoptr(NgamRun) run = NULL;
  g_autoptr(GTimer) timer = NULL;
  const guint n = 100000;
  double written = 0, replaced = 0;
  gint64 id;

  ngam_store_put_scenario (store, "s", "[plan]\n", &error);
  for (int pass = 0; pass < 2; pass++)
    {
      g_autoptr(NgamShape) line = ngam_shape_new ();

      timer = g_timer_new ();
      run = ngam_run_begin (store, "s", "plan", NULL, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < n; i++)
        {
          double xy[] = { 560000 + (i % 1000) * 5.0, 1820000 + (i / 1000) * 5.0,
                          560004 + (i % 1000) * 5.0, 1820003 + (i / 1000) * 5.0 };
          g_autofree char *attrs = g_strdup_printf ("{\"street_fid\": %u, \"method\": \"open_cut\"}", i);
          NgamResultFeature f = NGAM_RESULT_FEATURE_INIT;

          g_clear_pointer (&line, ngam_shape_free);
          line = ngam_shape_new_line (xy, 2);
          f.layer = "trench";
          f.phase = i % 3;
          f.ward = "Phú Hội";
          f.cost = i * 10.0;
          f.attrs = attrs;
          f.shape = line;
          if (!ngam_run_add (run, &f, &error))
            g_error ("%s", error->message);
        }
      id = ngam_run_get_id (run);
      g_assert_true (ngam_run_commit (g_steal_pointer (&run), "{}", &error));
      g_assert_no_error (error);
      if (pass == 0)
        written = g_timer_elapsed (timer, NULL);
      else
        replaced = g_timer_elapsed (timer, NULL);
      g_clear_pointer (&timer, g_timer_destroy);
    }
  g_test_message ("10^5 result features: %.2f s written, %.2f s written replacing as many", written, replaced);
  g_assert_cmpint (ngam_store_count_results (store, id, NULL, &error), ==, n);
  {
    /* the box over the first row of the grid: 1000 lines (y 1820000–1820003) */
    const double box[] = { 559000, 1819000, 566000, 1820002 };
    g_autoptr(NgamResultCursor) c = ngam_store_query_results (store, id, "trench", box, &error);
    guint k = 0;

    while (ngam_result_cursor_next (c, &error))
      {
        g_assert_cmpfloat (ngam_result_cursor_get (c)->cost, ==, k * 10.0);
        k++;
      }
    g_assert_cmpuint (k, ==, 1000);
  }
  g_clear_pointer (&store, ngam_store_close);
  assert_index_right (fx->path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/store/results/scenarios", test_scenarios);
  ADD ("/store/results/run-read-back", test_run_read_back);
  ADD ("/store/results/failed-run-keeps-previous", test_failed_run);
  ADD ("/store/results/same-input-same-rows", test_deterministic);
  ADD ("/store/results/styles", test_styles);
  ADD ("/store/results/refusals", test_refusals);
  ADD ("/store/results/bulk", test_bulk);
  return g_test_run ();
}
