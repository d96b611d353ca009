/* test-settings.c — the project's typed settings (ngam-settings.h) and
 * the readers that use them: the importer and the graph builder refuse a
 * bad value by the same rule, with the same message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-graph-build.h"
#include "ngam-settings.h"
#include "ngam-test-util.h"

typedef struct
{
  char      *dir;
  char      *path;
  NgamStore *store;
} Fixture;

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fx->dir = ngam_test_tmpdir ();
  fx->path = g_build_filename (fx->dir, "p.ngam", NULL);
  fx->store = ngam_store_create (fx->path, "EPSG:9214", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  ngam_store_close (fx->store);
  ngam_test_rmdir (fx->dir);
  g_free (fx->dir);
  g_free (fx->path);
}

/* Every key the code reads is in the table, with a default or written at
 * creation, and its default passes its own parser. */
static void
test_table (void)
{
  guint n = 0;
  const NgamSettingInfo *all = ngam_settings_list (&n);

  g_assert_cmpuint (n, >=, 8);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (ngam_setting_lookup (all[i].key) == &all[i]);
      g_assert_nonnull (all[i].doc);
      if (all[i].default_value)
        g_assert_true (ngam_setting_parse (&all[i], all[i].default_value, NULL, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_null (ngam_setting_lookup ("snap_tolerance"));
  g_assert_false (ngam_setting_lookup ("snap_tolerance_m")->internal);
  g_assert_true (ngam_setting_lookup ("crs")->internal);
}

static const struct
{
  const char *text;
  gboolean    ok;
  double      value;
} snap_cases[] = {
  { "0.5", TRUE, 0.5 },
  { " 2.25 ", TRUE, 2.25 },
  { "0", TRUE, 0 },
  { "1000", TRUE, 1000 },
  { "1e2", TRUE, 100 },
  { "1000.5", FALSE, 0 },
  { "-0.1", FALSE, 0 },
  { "0,5", FALSE, 0 },        /* a comma, as a Vietnamese locale writes it */
  { "half a metre", FALSE, 0 },
  { "0.5 m", FALSE, 0 },
  { "", FALSE, 0 },
  { "nan", FALSE, 0 },
  { "inf", FALSE, 0 },
};

static void
test_parse (void)
{
  const NgamSettingInfo *snap = ngam_setting_lookup ("snap_tolerance_m");
  const NgamSettingInfo *srid = ngam_setting_lookup ("srid");

  for (guint i = 0; i < G_N_ELEMENTS (snap_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      double d = -1;
      gboolean ok = ngam_setting_parse (snap, snap_cases[i].text, &d, NULL, &error);

      if (ok != snap_cases[i].ok)
        g_error ("“%s”: expected %s, got %s", snap_cases[i].text, snap_cases[i].ok ? "ok" : "refused",
                 ok ? "ok" : error->message);
      if (ok)
        g_assert_cmpfloat (d, ==, snap_cases[i].value);
      else
        {
          g_autofree char *expected = g_strdup_printf ("the project setting snap_tolerance_m is “%s”, "
                                                       "not a distance in metres from 0 to 1000",
                                                       snap_cases[i].text);

          g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID);
          g_assert_cmpstr (error->message, ==, expected);
        }
    }
  {
    g_autoptr(GError) error = NULL;
    gint64 v = 0;

    g_assert_true (ngam_setting_parse (srid, "9214", NULL, &v, &error));
    g_assert_cmpint (v, ==, 9214);
    g_assert_false (ngam_setting_parse (srid, "9214.5", NULL, &v, &error));
    g_assert_cmpstr (error->message, ==, "the project setting srid is “9214.5”, not a whole number from 1 to 2147483647");
    g_clear_error (&error);
    g_assert_false (ngam_setting_parse (srid, "99999999999999999999", NULL, &v, &error));
    g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID);
  }
}

static void
test_store (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *crs = NULL;
  double d = 0;
  gint64 i = 0;

  /* created with the default; the CRS and the SRID as written */
  g_assert_true (ngam_store_get_setting_double (fx->store, "snap_tolerance_m", &d, &error));
  g_assert_cmpfloat (d, ==, 0.5);
  g_assert_true (ngam_store_get_setting_int (fx->store, "srid", &i, &error));
  g_assert_cmpint (i, ==, 9214);
  g_assert_true (ngam_store_get_setting_int (fx->store, "schema_version", &i, &error));
  g_assert_cmpint (i, ==, NGAM_STORE_SCHEMA_VERSION);
  crs = ngam_store_dup_setting_text (fx->store, "crs", &error);
  g_assert_cmpstr (crs, ==, "EPSG:9214");
  g_assert_no_error (error);

  /* a missing value falls back to the default */
  g_assert_true (ngam_store_begin (fx->store, &error));
  g_assert_true (ngam_store_set_setting (fx->store, "snap_tolerance_m", " 1.5 ", &error));
  g_assert_true (ngam_store_commit (fx->store, &error));
  g_assert_no_error (error);
  g_assert_true (ngam_store_get_setting_double (fx->store, "snap_tolerance_m", &d, &error));
  g_assert_cmpfloat (d, ==, 1.5);
  {
    g_autofree char *raw = ngam_store_dup_meta (fx->store, "snap_tolerance_m");

    g_assert_cmpstr (raw, ==, "1.5");
  }

  /* refusals of set: nothing written */
  g_assert_false (ngam_store_set_setting (fx->store, "snap_tolerance_m", "0,5", &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, fx->path));
  g_assert_nonnull (strstr (error->message, "snap_tolerance_m is “0,5”"));
  g_clear_error (&error);
  g_assert_false (ngam_store_set_setting (fx->store, "srid", "4326", &error));
  g_assert_nonnull (strstr (error->message, "is Ngầm's own and cannot be set (settings: snap_tolerance_m)"));
  g_clear_error (&error);
  g_assert_false (ngam_store_set_setting (fx->store, "snap", "1", &error));
  g_assert_nonnull (strstr (error->message, "there is no project setting snap (settings: snap_tolerance_m)"));
  g_clear_error (&error);
  g_assert_true (ngam_store_get_setting_double (fx->store, "snap_tolerance_m", &d, &error));
  g_assert_cmpfloat (d, ==, 1.5);

  /* a value written behind the store's back (QGIS, sqlite3) is refused on read */
  g_assert_true (ngam_store_set_meta (fx->store, "snap_tolerance_m", "1.5m", &error));
  g_assert_false (ngam_store_get_setting_double (fx->store, "snap_tolerance_m", &d, &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID);
  {
    g_autofree char *expected = g_strdup_printf ("%s: the project setting snap_tolerance_m is “1.5m”, "
                                                 "not a distance in metres from 0 to 1000", fx->path);

    g_assert_cmpstr (error->message, ==, expected);
  }
  g_clear_error (&error);

  /* asking for the wrong type, or a key that does not exist, is an error */
  g_assert_false (ngam_store_get_setting_int (fx->store, "snap_tolerance_m", &i, &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (ngam_store_get_setting_double (fx->store, "nothing", &d, &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID);
}

static void
test_read_only (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) ro = NULL;
  double d = 0;

  g_clear_pointer (&fx->store, ngam_store_close);
  ro = ngam_store_open (fx->path, NGAM_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (ngam_store_get_setting_double (ro, "snap_tolerance_m", &d, &error));
  g_assert_cmpfloat (d, ==, 0.5);
  g_assert_false (ngam_store_set_setting (ro, "snap_tolerance_m", "1", &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_READ_ONLY);
}

/* The importer used to fall back to 0.5 m on a bad value while the graph
 * builder refused it: both refuse it now, with the same message, and the
 * import writes nothing. */
static void
test_readers_refuse (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) graph_error = NULL;
  g_autofree char *src = g_build_filename (fx->dir, "poles.geojson", NULL);
  const char *sources[] = { src, NULL };
  NgamImportOptions opt = { 0 };
  NgamImportReport *report = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_true (g_file_set_contents (src,
    "{\"type\": \"FeatureCollection\", \"features\": ["
    "{\"type\": \"Feature\", \"properties\": {\"code\": \"P1\"},"
    " \"geometry\": {\"type\": \"Point\", \"coordinates\": [107.58, 16.46]}}]}", -1, &error));
  opt.sources = sources;
  opt.kind = NGAM_LAYER_POLES;
  opt.operator_name = "VNPT";

  g_assert_true (ngam_store_set_meta (fx->store, "snap_tolerance_m", "half a metre", &error));
  g_clear_pointer (&fx->store, ngam_store_close);
  before = ngam_test_sha256_file (fx->path);
  fx->store = ngam_store_open (fx->path, 0, &error);
  g_assert_false (ngam_import_run (fx->store, &opt, &report, NULL, NULL, NULL, &error));
  g_clear_pointer (&report, ngam_import_report_free);
  g_assert_null (ngam_graph_build (fx->store, NULL, NULL, NULL, NULL, NULL, &graph_error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID);
  g_assert_error (graph_error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "snap_tolerance_m is “half a metre”, not a distance in metres"));
  g_assert_cmpstr (graph_error->message, ==, error->message);
  g_clear_error (&error);
  g_assert_cmpint (ngam_store_count (fx->store, NGAM_LAYER_POLES, &error), ==, 0);
  g_clear_pointer (&fx->store, ngam_store_close);
  after = ngam_test_sha256_file (fx->path);
  g_assert_cmpstr (after, ==, before);

  /* set right, the same import goes through */
  fx->store = ngam_store_open (fx->path, 0, &error);
  g_assert_true (ngam_store_set_setting (fx->store, "snap_tolerance_m", "0.5", &error));
  g_assert_true (ngam_import_run (fx->store, &opt, &report, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&report, ngam_import_report_free);
  g_assert_cmpint (ngam_store_count (fx->store, NGAM_LAYER_POLES, &error), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();
  g_test_add_func ("/store/settings/table", test_table);
  g_test_add_func ("/store/settings/parse", test_parse);
  g_test_add ("/store/settings/store", Fixture, NULL, fixture_setup, test_store, fixture_teardown);
  g_test_add ("/store/settings/read-only", Fixture, NULL, fixture_setup, test_read_only, fixture_teardown);
  g_test_add ("/store/settings/readers-refuse-alike", Fixture, NULL, fixture_setup, test_readers_refuse,
              fixture_teardown);
  return g_test_run ();
}
