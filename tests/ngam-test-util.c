/* ngam-test-util.c — helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <sys/wait.h>

#include "ngam-test-util.h"

/* The name of a locale whose decimal separator is a comma, as on a
 * Vietnamese desktop (vi_VN.UTF-8), for setlocale() in this process or
 * LC_ALL in a child's environment; NULL when this machine has none and
 * cannot make one.  When the system has not generated vi_VN, it is built
 * once with localedef (Debian's `locales` package has its source) into a
 * folder of the test's tmp, and LOCPATH set to it. */
const char *
ngam_test_comma_locale (void)
{
  static const char *const names[] = { "vi_VN.UTF-8", "vi_VN.utf8", "de_DE.UTF-8", "fr_FR.UTF-8" };
  static char *found;
  g_autofree char *was = g_strdup (setlocale (LC_NUMERIC, NULL));
  g_autofree char *localedef = g_find_program_in_path ("localedef");

  if (found != NULL)
    return found;
  for (guint i = 0; found == NULL && i < G_N_ELEMENTS (names); i++)
    if (setlocale (LC_NUMERIC, names[i]) != NULL && localeconv ()->decimal_point[0] == ',')
      found = g_strdup (names[i]);
  if (found == NULL && localedef != NULL &&
      g_file_test ("/usr/share/i18n/locales/vi_VN", G_FILE_TEST_EXISTS))
    {
      g_autofree char *dir = g_build_filename (g_get_tmp_dir (), "ngam-test-locales", NULL);
      g_autofree char *out = g_build_filename (dir, "vi_VN.UTF-8", NULL);

      /* built aside, then renamed into place whole: suites that run at
       * once never read a half-written locale */
      if (!g_file_test (out, G_FILE_TEST_IS_DIR))
        {
          g_autofree char *scratch = g_build_filename (g_get_tmp_dir (), "ngam-locale-XXXXXX", NULL);
          g_autofree char *built = NULL;
          const char *argv[] = { "localedef", "-i", "vi_VN", "-f", "UTF-8", NULL, NULL };
          int status = -1;

          g_mkdir_with_parents (dir, 0700);
          if (g_mkdtemp (scratch) != NULL)
            {
              built = g_build_filename (scratch, "vi_VN.UTF-8", NULL);
              argv[5] = built;
              if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                                G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL))
                g_rename (built, out);   /* fails when another suite got there first: theirs is whole */
              ngam_test_rmdir (scratch);
            }
        }
      g_setenv ("LOCPATH", dir, TRUE);
      if (setlocale (LC_NUMERIC, "vi_VN.UTF-8") != NULL && localeconv ()->decimal_point[0] == ',')
        found = g_strdup ("vi_VN.UTF-8");
      else
        g_unsetenv ("LOCPATH");
    }
  setlocale (LC_NUMERIC, was);
  return found;
}

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
