/* test-batch-safety.c — what a new user broke in the CLI (issue 14): a
 * damaged project, empty names, side files of read-only opens, one style
 * of error for every command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-test-util.h"

static void
assert_contains (const char *text, const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("expected “%s” in:\n%s", needle, text ? text : "(nothing)");
}

/* A project with the Bayreuth poles in it (437), made as a user would. */
static char *
poles_project (const char *dir)
{
  char *project = g_build_filename (dir, "p.ngam", NULL);
  g_autofree char *src = ngam_test_shared_path ("osm/power_north_bayreuth.gpkg");
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "new", project, "--crs", "EPSG:25832", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", project, src, "--kind", "poles",
                                        "--profile", "osm-power-poles", NULL), ==, 0);
  return project;
}

/* Random bytes over the root page of SpatiaLite's spatial_ref_sys. */
static void
damage_metadata (const char *project)
{
  g_autofree char *root = ngam_test_sql_text (project, "SELECT rootpage FROM sqlite_master "
                                                       "WHERE name = 'spatial_ref_sys'");
  g_autofree char *size = ngam_test_sql_text (project, "PRAGMA page_size");
  guint64 page = g_ascii_strtoull (root, NULL, 10), page_size = g_ascii_strtoull (size, NULL, 10);
  g_autoptr(GRand) rand = g_rand_new_with_seed (14);
  g_autofree guint8 *junk = g_malloc (page_size);
  FILE *f;

  g_assert_cmpuint (page, >, 1);
  for (guint64 i = 0; i < page_size; i++)
    junk[i] = (guint8) g_rand_int_range (rand, 0, 256);
  f = g_fopen (project, "r+b");
  g_assert_nonnull (f);
  g_assert_cmpint (fseek (f, (long) ((page - 1) * page_size), SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (junk, 1, page_size, f), ==, page_size);
  fclose (f);
}

/* import, export and graph exited 0 on such a copy, and import changed
 * it; info quoted SQLite's own report. */
static void
test_damaged_metadata (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *project = poles_project (dir);
  g_autofree char *src = ngam_test_shared_path ("osm/power_north_bayreuth.gpkg");
  g_autofree char *gpkg = g_build_filename (dir, "poles.gpkg", NULL);
  g_autofree char *before = NULL;
  const char *const runs[][9] = {
    { "import", project, src, "--kind", "poles", "--profile", "osm-power-poles", "--operator", "EVN" },
    { "export", project, "--layer", "poles", "--out", gpkg },
    { "graph", project },
    { "info", project },
  };

  damage_metadata (project);
  before = ngam_test_sha256_file (project);
  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_autofree char *out = NULL, *err = NULL, *after = NULL;
      const char *args[10] = { NULL };

      memcpy (args, runs[i], sizeof runs[i]);
      g_assert_cmpint (ngam_test_run_batchv (&out, &err, args), ==, 1);
      assert_contains (err, "p.ngam: the project file is damaged: its table spatial_ref_sys cannot be read");
      assert_contains (err, "restore it from a backup");
      after = ngam_test_sha256_file (project);
      g_assert_cmpstr (after, ==, before);
    }
  g_assert_false (g_file_test (gpkg, G_FILE_TEST_EXISTS));
  ngam_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();
  g_test_add_func ("/batch/safety/damaged-metadata", test_damaged_metadata);
  return g_test_run ();
}
