/* test-batch-safety.c — what a new user broke in the CLI (issue 14): a
 * damaged project, empty names, side files of read-only opens, one style
 * of error for every command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>
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

/* `new ""` and `sample --out ""` printed "created" and exited 0. */
static void
test_empty_names (void)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "new", "", NULL), ==, 2);
  assert_contains (err, "ngam-batch new: the file name is empty");
  g_assert_null (strstr (out, "created"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "sample", "--out", "", NULL), ==, 2);
  assert_contains (err, "ngam-batch sample: --out: the file name is empty");
  g_assert_null (strstr (out, "created"));
}

/* One style: "ngam-batch COMMAND: message", the CLI's own words for
 * GOption's, exit 2 for every bad option value, a JSON error with --json,
 * a missing file named once. */
static void
test_error_style (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *project = g_build_filename (dir, "p.ngam", NULL);
  g_autofree char *stp = g_build_filename (dir, "apart.stp", NULL);
  g_autofree char *kml = g_build_filename (dir, "x.kml", NULL);
  g_autofree char *shp = g_build_filename (dir, "none.shp", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o;

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "new", project, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "info", project, "--bogus", NULL), ==, 2);
  g_assert_true (g_str_has_prefix (err, "ngam-batch info: unknown option --bogus\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "graph", project, "--snap", "x", NULL), ==, 2);
  g_assert_true (g_str_has_prefix (err, "ngam-batch graph: --snap takes a number, not “x”\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* bad values of options: usage, like a bad --kind */
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "new", kml, "--crs", "EPSG:1", NULL), ==, 2);
  assert_contains (err, "ngam-batch new: --crs: ");
  g_assert_false (g_file_test (kml, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "export", project, "--layer", "poles", "--out", kml,
                                        "--format", "Nope", NULL), ==, 2);
  assert_contains (err, "ngam-batch export: --format: GDAL has no vector driver that writes “Nope”");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* a format core cannot tell from the name: core's words, then the flag */
  {
    g_autofree char *dir = g_path_get_dirname (kml);
    g_autofree char *nope = g_build_filename (dir, "poles.nope", NULL);

    g_assert_cmpint (ngam_test_run_batch (&out, &err, "export", project, "--layer", "poles", "--out", nope, NULL),
                     ==, 1);
    assert_contains (err, "poles.nope: cannot tell the format from the extension; name the format to write "
                          "(GPKG, “ESRI Shapefile”, GeoJSON, CSV, KML, FlatGeobuf…) (--format NAME names it)\n");
    g_assert_false (g_file_test (nope, G_FILE_TEST_EXISTS));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "export", project, "--layer", "poles", "--out", kml,
                                        "--crs", "EPSG:1", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", project, shp, "--kind", "poles",
                                        "--encoding", "klingon", NULL), ==, 2);
  assert_contains (err, "ngam-batch import: --encoding: ");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", project, shp, "--kind", "poles",
                                        "--profile", "/no/such/profile.ini", NULL), ==, 2);
  assert_contains (err, "ngam-batch import: --profile: ");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", project, shp, "--kind", "poles",
                                        "--crs", "EPSG:1", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* --json: a JSON error object on stdout, for every command */
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "graph", project, "--json", NULL), ==, 1);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "command"), ==, "graph");
  g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "failed");
  assert_contains (json_object_get_string_member (o, "error"), "p.ngam: the project has no streets");
  assert_contains (err, "ngam-batch graph: ");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* a missing file named once; steiner's errors start with the file */
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "steiner", "/no/such.stp", NULL), ==, 1);
  g_assert_cmpstr (err, ==, "ngam-batch steiner: /no/such.stp: No such file or directory\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_true (g_file_set_contents (stp, "SECTION Graph\nNodes 4\nEdges 2\nE 1 2 1\nE 3 4 1\nEND\n"
                                      "SECTION Terminals\nTerminals 2\nT 1\nT 4\nEND\nEOF\n", -1, NULL));
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "steiner", stp, NULL), ==, 1);
  {
    g_autofree char *want = g_strdup_printf ("ngam-batch steiner: %s: the terminals lie in 2 parts", stp);

    g_assert_true (g_str_has_prefix (err, want));
  }
  ngam_test_rmdir (dir);
}

static void
assert_no_side_files (const char *project)
{
  g_autofree char *wal = g_strconcat (project, "-wal", NULL);
  g_autofree char *shm = g_strconcat (project, "-shm", NULL);

  if (g_file_test (wal, G_FILE_TEST_EXISTS) || g_file_test (shm, G_FILE_TEST_EXISTS))
    g_error ("%s: -wal or -shm left beside it", project);
}

/* info, export and graph left -wal and -shm beside the project, even a
 * read-only one; and the file stays byte for byte what it was. */
static void
test_read_only_side_files (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *project = poles_project (dir);
  g_autofree char *before = ngam_test_sha256_file (project);
  g_autofree char *cwd = g_get_current_dir ();

  assert_no_side_files (project);
  for (int protect = 0; protect < 2; protect++)
    {
      g_autofree char *out = NULL, *err = NULL, *after = NULL;
      g_autofree char *gpkg = g_strdup_printf ("poles%d.gpkg", protect);
      g_autofree char *gpkg_path = g_build_filename (dir, gpkg, NULL);

      if (protect)
        g_assert_cmpint (g_chmod (project, 0444), ==, 0);
      g_assert_cmpint (ngam_test_run_batch (&out, &err, "info", project, NULL), ==, 0);
      assert_no_side_files (project);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (ngam_test_run_batch (&out, &err, "graph", project, NULL), ==, 1);   /* no streets */
      assert_no_side_files (project);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      /* a relative output name, from the project's folder */
      g_assert_cmpint (g_chdir (dir), ==, 0);
      g_assert_cmpint (ngam_test_run_batch (&out, &err, "export", "p.ngam", "--layer", "poles", "--out", gpkg, NULL), ==, 0);
      g_assert_cmpint (g_chdir (cwd), ==, 0);
      assert_contains (out, "wrote 437 poles");
      g_assert_true (g_file_test (gpkg_path, G_FILE_TEST_IS_REGULAR));
      assert_no_side_files (project);
      after = ngam_test_sha256_file (project);
      g_assert_cmpstr (after, ==, before);
    }
  g_chmod (project, 0644);
  ngam_test_rmdir (dir);
}

/* A project another program is writing: the import says it waits, and
 * then advice an import can follow (not "open it read-only"). */
static void
test_locked (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *project = poles_project (dir);
  g_autofree char *src = ngam_test_shared_path ("osm/power_north_bayreuth.gpkg");
  g_autofree char *out = NULL, *err = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (project, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", project, src, "--kind", "poles",
                                        "--profile", "osm-power-poles", NULL), ==, 1);
  assert_contains (err, "ngam-batch import: waiting for another program to finish writing to ");
  assert_contains (err, "p.ngam is locked: another program has been writing to it for more than 1.5 s; "
                        "let it finish (or close the project there), then run this again");
  g_assert_null (strstr (err, "read-only"));
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (db);
  ngam_test_rmdir (dir);
}

/* Runs ngam-batch, sends it SIGINT (Ctrl-C) after @ms, returns its exit
 * status and stderr. */
static int
run_interrupted (char **err, guint ms, const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) ch = NULL;
  GPid pid;
  int fd, status = 0;
  gsize len;

  g_ptr_array_add (argv, (char *) ngam_test_batch ());
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD |
                                           G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, &pid, NULL, NULL, &fd, &error));
  g_usleep (ms * 1000);
  kill (pid, SIGINT);
  ch = g_io_channel_unix_new (fd);
  g_io_channel_set_close_on_unref (ch, TRUE);
  g_io_channel_read_to_end (ch, err, &len, NULL);
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

/* Ctrl-C reads the same in every command: "COMMAND cancelled: …". */
static void
test_cancelled (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *town = g_build_filename (dir, "town.ngam", NULL);
  g_autofree char *stp = ngam_test_shared_path ("steinlib/C/c18.stp");   /* runs on: its gap stays open */
  const char *sample[] = { "sample", "--out", town, "--size", "200000", NULL };
  const char *steiner[] = { "steiner", stp, "--time-limit", "60", "--max-starts", "100000000", NULL };
  g_autofree char *err = NULL;

  g_assert_cmpint (run_interrupted (&err, 700, sample), ==, 1);
  assert_contains (err, "ngam-batch sample: sample cancelled: nothing was written\n");
  g_assert_false (g_file_test (town, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_interrupted (&err, 700, steiner), ==, 1);
  assert_contains (err, "ngam-batch steiner: steiner cancelled: no tree was printed\n");
  ngam_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();
  g_test_add_func ("/batch/safety/damaged-metadata", test_damaged_metadata);
  g_test_add_func ("/batch/safety/empty-names", test_empty_names);
  g_test_add_func ("/batch/safety/error-style", test_error_style);
  g_test_add_func ("/batch/safety/read-only-side-files", test_read_only_side_files);
  g_test_add_func ("/batch/safety/locked", test_locked);
  g_test_add_func ("/batch/safety/cancelled", test_cancelled);
  return g_test_run ();
}
