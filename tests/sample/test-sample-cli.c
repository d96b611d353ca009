/* test-sample-cli.c — `ngam-batch sample` and `ngam-batch export` as a
 * user runs them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "ngam-test-util.h"
#include "sample-test-util.h"


static void
test_sample_json (void)
{
  g_autofree char *a = sample_test_path ("a.ngam");
  g_autofree char *b = sample_test_path ("b.ngam");
  g_autofree char *out = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *err = NULL;
  g_autofree char *ha = NULL;
  g_autofree char *hb = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *layers;
  GList *names;

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "sample", "--out", a, "--size", "300", "--seed", "42",
                                        "--json", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "size"), ==, 300);
  g_assert_cmpint (json_object_get_int_member (root, "seed"), ==, 42);
  g_assert_cmpint (json_object_get_int_member (root, "intersections"), >, 200);
  layers = json_object_get_object_member (root, "layers");
  names = json_object_get_members (layers);
  g_assert_cmpuint (g_list_length (names), ==, 10);
  for (GList *l = names; l; l = l->next)
    if (json_object_get_int_member (layers, l->data) <= 0)
      g_error ("layer %s is empty", (char *) l->data);
  g_list_free (names);

  /* same seed, same bytes, whatever the time */
  g_assert_cmpint (ngam_test_run_batch (&out2, NULL, "sample", "-o", b, "--size", "300", "--seed", "42", NULL), ==, 0);
  ha = ngam_test_sha256_file (a);
  hb = ngam_test_sha256_file (b);
  g_assert_cmpstr (ha, ==, hb);
  /* info reads it, and it is sound */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, NULL, "info", a, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "integrity:  ok"));
}

static void
test_sample_usage (void)
{
  g_autofree char *p = sample_test_path ("usage.ngam");
  g_autofree char *err = NULL;

  g_assert_cmpint (ngam_test_run_batch (NULL, &err, "sample", "--size", "300", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--out"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (NULL, &err, "sample", "--out", p, "--size", "99", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--size"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (NULL, &err, "sample", "--out", p, "--size", "12ab", NULL), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (NULL, &err, "sample", "--out", p, "--seed", "-3", NULL), ==, 2);
  g_assert_false (g_file_test (p, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&err, NULL, "sample", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (err, "--seed"));
}

static void
test_sample_exists (void)
{
  g_autofree char *p = sample_test_path ("exists.ngam");
  g_autofree char *err = NULL;
  g_autofree char *content = NULL;

  g_assert_true (g_file_set_contents (p, "not a project", -1, NULL));
  g_assert_cmpint (ngam_test_run_batch (NULL, &err, "sample", "--out", p, "--size", "100", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "already exists"));
  g_assert_true (g_file_get_contents (p, &content, NULL, NULL));
  g_assert_cmpstr (content, ==, "not a project");
}

/* Ctrl-C during a long run: exit 1 and no file left behind. */
static void
test_sample_interrupted (void)
{
  g_autofree char *p = sample_test_path ("big.ngam");
  g_autofree char *wal = g_strconcat (p, "-wal", NULL);
  const char *argv[] = { ngam_test_batch (), "sample", "--out", p, "--size", "1000000", NULL };
  g_autoptr(GError) error = NULL;
  GPid pid;
  int status;

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL
                                | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  /* wait until it is writing */
  for (int i = 0; i < 200 && !g_file_test (wal, G_FILE_TEST_EXISTS); i++)
    g_usleep (20000);
  g_usleep (1500000);
  kill (pid, SIGINT);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_false (g_file_test (p, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_export (void)
{
  g_autofree char *project = sample_test_path ("export.ngam");
  g_autofree char *shp = sample_test_path ("poles.shp");
  g_autofree char *gpkg = sample_test_path ("wards.gpkg");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *listing = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  g_assert_cmpint (ngam_test_run_batch (&out, NULL, "sample", "--out", project, "--size", "200", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "export", project, "--layer", "poles", "--out", shp, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "ESRI Shapefile"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, NULL, "export", project, "--layer", "admin", "--out", gpkg,
                                        "--crs", "EPSG:4326", "--json", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "GPKG");
  g_assert_cmpint (json_object_get_int_member (root, "features"), >, 0);

  /* ogrinfo, a program that is not ours, reads the Vietnamese names */
  {
    const char *argv[] = { "ogrinfo", "-ro", "-al", "-q", gpkg, NULL };

    if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &listing, NULL, NULL, NULL))
      g_assert_nonnull (strstr (listing, "Phường"));
  }

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (NULL, &err, "export", project, "--layer", "poles", "--out", shp, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "already exists"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (NULL, &err, "export", project, "--layer", "pylons", "--out", shp, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "poles|spans"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (NULL, &err, "export", project, "--layer", "poles", NULL), ==, 2);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (NULL, &err, "export", project, "--layer", "poles", "--out",
                                        "x.unknownext", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "--format"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  sample_test_init (&argc, &argv);
  g_test_add_func ("/batch/sample/json", test_sample_json);
  g_test_add_func ("/batch/sample/usage", test_sample_usage);
  g_test_add_func ("/batch/sample/exists", test_sample_exists);
  g_test_add_func ("/batch/sample/interrupted", test_sample_interrupted);
  g_test_add_func ("/batch/export", test_export);
  status = sample_test_run ();
  return status;
}
