/* sample-test-util.c — what the demo-town and export tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ngam-sample.h"
#include "ngam-test-util.h"
#include "sample-test-util.h"

static char *tmpdir;

/* g_test_init(), the core's set-up, and the program's temporary folder. */
void
sample_test_init (int    *argc,
                  char ***argv)
{
  g_test_init (argc, argv, NULL);
  ngam_core_init ();
  tmpdir = ngam_test_tmpdir ();
}

/* Returns: (transfer full): @name in the temporary folder. */
char *
sample_test_path (const char *name)
{
  g_assert_nonnull (tmpdir);
  return g_build_filename (tmpdir, name, NULL);
}

/* Generates the demo town of @size intersections from @seed into a new
 * project @name (EPSG:9214, as the CLI's default).
 *
 * Returns: (transfer full): its path. */
char *
sample_test_town (const char *name,
                  guint       size,
                  guint64     seed)
{
  g_autoptr(GError) error = NULL;
  char *path = sample_test_path (name);
  g_autoptr(NgamStore) store = ngam_store_create (path, "EPSG:9214", &error);
  NgamSampleOptions options = { size, seed };

  g_assert_no_error (error);
  g_assert_true (ngam_sample_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return path;
}

/* Opens @path read-only, or fails the test. */
NgamStore *
sample_test_open (const char *path)
{
  g_autoptr(GError) error = NULL;
  NgamStore *store = ngam_store_open (path, NGAM_STORE_OPEN_READ_ONLY, &error);

  g_assert_no_error (error);
  return store;
}

/* g_test_run(), then the temporary folder goes. */
int
sample_test_run (void)
{
  int status = g_test_run ();

  ngam_test_rmdir (tmpdir);
  g_clear_pointer (&tmpdir, g_free);
  return status;
}
