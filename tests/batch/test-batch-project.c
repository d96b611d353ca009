/* test-batch-project.c — ngam-batch new, info, --help and exit statuses,
 * run as a user would; and the project file as GDAL (so QGIS) sees it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-test-util.h"

static void
test_help (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *commands[] = { "new", "info", "sample", "import", "graph", "route", "steiner", "export" };

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "--help", NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *sub_out = NULL;

      g_assert_nonnull (strstr (out, commands[i]));
      g_assert_cmpint (ngam_test_run_batch (&sub_out, NULL, commands[i], "--help", NULL), ==, 0);
      g_assert_nonnull (strstr (sub_out, commands[i]));
    }
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (NULL, &err, NULL, NULL), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (NULL, &err, "frobnicate", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "unknown command"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (NULL, &err, "info", "--no-such-option", NULL), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (NULL, &err, "new", NULL), ==, 2);
}

static void
test_new_info (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "hue.ngam", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o, *layers;

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "new", path, "--crs", "EPSG:9214", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "EPSG:9214"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* never overwrite */
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "new", path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "already exists"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "info", path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "VN-2000 / TM-3 107-00"));
  g_assert_nonnull (strstr (out, "integrity:  ok"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "info", path, "--json", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (o, "schema_version"), ==, NGAM_STORE_SCHEMA_VERSION);
  g_assert_cmpstr (json_object_get_string_member (o, "crs"), ==, "EPSG:9214");
  g_assert_cmpstr (json_object_get_string_member (o, "integrity"), ==, "ok");
  layers = json_object_get_object_member (o, "layers");
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    g_assert_cmpint (json_object_get_int_member (layers, ngam_layer_info (k)->name), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* a bad CRS is a failure with a message, and leaves no file */
  {
    g_autofree char *other = g_build_filename (dir, "other.ngam", NULL);

    g_assert_cmpint (ngam_test_run_batch (&out, &err, "new", other, "--crs", "EPSG:4326", NULL), ==, 1);
    g_assert_nonnull (strstr (err, "not a projected CRS in metres"));
    g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  }
  ngam_test_rmdir (dir);
}

static void
test_info_bad_file (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "cot.ngam", NULL);
  g_autofree char *err = NULL;

  g_assert_true (g_file_set_contents (path, "not a database at all, just text\n", -1, NULL));
  g_assert_cmpint (ngam_test_run_batch (NULL, &err, "info", path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, path));
  g_assert_nonnull (strstr (err, "not an SQLite database"));
  ngam_test_rmdir (dir);
}

/* GDAL's SQLite driver (what QGIS uses) opens the project and sees every
 * layer with its geometry type and the project CRS. */
static void
test_gdal_sees_layers (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "hue.ngam", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *ogrinfo[] = { "ogrinfo", "-ro", "-so", "-al", path, NULL };
  int status;

  g_assert_cmpint (ngam_test_run_batch (NULL, NULL, "new", path, NULL), ==, 0);
  g_assert_true (g_spawn_sync (NULL, (char **) ogrinfo, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      g_autofree char *needle = g_strdup_printf ("Layer name: %s\n", ngam_layer_info (k)->name);

      if (!strstr (out, needle))
        g_error ("ogrinfo does not list %s:\n%s", ngam_layer_info (k)->name, out);
    }
  g_assert_nonnull (strstr (out, "Geometry: Point"));
  g_assert_nonnull (strstr (out, "Geometry: Line String"));
  g_assert_nonnull (strstr (out, "Geometry: Multi Polygon"));
  g_assert_nonnull (strstr (out, "VN-2000 / TM-3 107-00"));
  g_assert_nonnull (strstr (out, "Longitude of natural origin\",107"));
  ngam_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/batch/help-and-usage", test_help);
  g_test_add_func ("/batch/new-and-info", test_new_info);
  g_test_add_func ("/batch/info/bad-file", test_info_bad_file);
  g_test_add_func ("/batch/project/gdal-sees-layers", test_gdal_sees_layers);
  return g_test_run ();
}
