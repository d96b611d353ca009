/* ngam-test-util.c — helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <sys/wait.h>

#include "ngam-test-util.h"

/* A fresh folder under the test's tmp; remove with ngam_test_rmdir(). */
char *
ngam_test_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("ngam-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
ngam_test_rmdir (const char *dir)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  if (dir == NULL || (d = g_dir_open (dir, 0, NULL)) == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);

      if (g_file_test (p, G_FILE_TEST_IS_DIR) && !g_file_test (p, G_FILE_TEST_IS_SYMLINK))
        ngam_test_rmdir (p);
      else
        g_unlink (p);
    }
  g_rmdir (dir);
}

/* The shared real-data corpus (../shared/data beside the checkout). */
const char *
ngam_test_shared_data (void)
{
  const char *d = g_getenv ("NGAM_SHARED_DATA");

  g_assert_nonnull (d);
  if (!g_file_test (d, G_FILE_TEST_IS_DIR))
    g_error ("the shared data folder %s is missing: the tests need ../shared/data beside the checkout", d);
  return d;
}

char *
ngam_test_shared_path (const char *relative)
{
  return g_build_filename (ngam_test_shared_data (), relative, NULL);
}

const char *
ngam_test_batch (void)
{
  const char *b = g_getenv ("NGAM_BATCH");

  g_assert_nonnull (b);
  return b;
}

/* Runs ngam-batch with the given arguments; returns its exit status and
 * (optionally) what it printed. */
int
ngam_test_run_batchv (char              **out,
                      char              **err,
                      const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (char *) ngam_test_batch ());
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                out, err, &status, &error);
  g_assert_no_error (error);
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return 128 + (WIFSIGNALED (status) ? WTERMSIG (status) : 0);
}

int
ngam_test_run_batch (char       **out,
                     char       **err,
                     const char  *first_arg,
                     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;
  const char *a;

  va_start (ap, first_arg);
  for (a = first_arg; a; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return ngam_test_run_batchv (out, err, (const char * const *) args->pdata);
}

char *
ngam_test_sha256_file (const char *path)
{
  g_autofree char *data = NULL;
  gsize len;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

/* Runs one SQL query on the file (read-only) and returns the first column
 * of the first row as text, or NULL. */
char *
ngam_test_sql_text (const char *path,
                    const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  char *out = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, sql, -1, &st, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (st) == SQLITE_ROW && sqlite3_column_text (st, 0))
    out = g_strdup ((const char *) sqlite3_column_text (st, 0));
  sqlite3_finalize (st);
  sqlite3_close (db);
  return out;
}

/* The fuzz tests' rounds and random numbers: the same each run, unless
 * NGAM_FUZZ_ROUNDS and NGAM_FUZZ_SEED ask for a longer or another search
 * (by hand, not in the suite).  @salt keeps one program's tests apart. */
guint
ngam_test_fuzz_rounds (guint by_default)
{
  const char *env = g_getenv ("NGAM_FUZZ_ROUNDS");

  return env ? (guint) g_ascii_strtoull (env, NULL, 10) : by_default;
}

GRand *
ngam_test_fuzz_rand (guint32 salt)
{
  const char *env = g_getenv ("NGAM_FUZZ_SEED");

  return g_rand_new_with_seed ((env ? (guint32) g_ascii_strtoull (env, NULL, 10) : 20261127) ^ salt);
}
