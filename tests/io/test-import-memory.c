/* test-import-memory.c — an import's memory does not grow with the file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Imports 2·10^4 and then 10^5 generated points (each with a text field and
 * a unique key) and compares the peak RSS of the two ngam-batch runs, read
 * with getrusage (RUSAGE_CHILDREN) after each.  Features stream through a
 * fixed number of batches; what the run remembers per feature (a duplicate
 * and a key entry, 8 bytes each at most three-quarters full, and the
 * R*Tree's 28 bytes) is about 60 bytes, so five times the features may
 * cost only a few more megabytes.  (bench/import-bench.sh does 10^6.)
 */
#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include "import-util.h"
#include "ngam-test-util.h"

static void
write_source (const char *path, guint n)
{
  const char *fields[] = { "ma_cot", "ten_duong", NULL };
  g_autofree TestPoint *pts = g_new0 (TestPoint, n);
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      pts[i].x = 107.50 + (i % 1000) * 0.0002;
      pts[i].y = 16.40 + (i / 1000) * 0.0002;
      g_ptr_array_add (keep, g_strdup_printf ("VNPT-%07u", i));
      pts[i].values[0] = keep->pdata[i];
      pts[i].values[1] = "Le Loi";
    }
  test_write_points (path, 4326, fields, pts, n);
}

static long
import_peak_kb (const char *dir, guint n)
{
  g_autofree char *shp = g_strdup_printf ("%s/src%u.shp", dir, n);
  g_autofree char *project = g_strdup_printf ("%s/p%u.ngam", dir, n);
  g_autofree char *out = NULL, *err = NULL;
  struct rusage ru;

  write_source (shp, n);
  g_assert_cmpint (ngam_test_run_batch (NULL, NULL, "new", project, NULL), ==, 0);
  if (ngam_test_run_batch (&out, &err, "import", project, shp, "--kind", "poles", "--operator", "VNPT", NULL) != 0)
    g_error ("import failed: %s", err);
  g_assert_nonnull (strstr (out, "added"));
  getrusage (RUSAGE_CHILDREN, &ru);
  return ru.ru_maxrss;
}

static void
test_bounded (void)
{
  g_autofree char *dir = NULL;
  long small, big;

#if defined(__SANITIZE_ADDRESS__)
  /* ASan's quarantine holds freed memory back: RSS says nothing there. */
  g_test_skip ("peak memory is meaningless under AddressSanitizer");
  return;
#endif
  dir = ngam_test_tmpdir ();
  small = import_peak_kb (dir, 20000);
  big = import_peak_kb (dir, 100000);

  g_test_message ("peak RSS: 2e4 features %ld kB, 1e5 features %ld kB", small, big);
  /* RUSAGE_CHILDREN keeps the largest child: big >= small always; the
   * difference is what 80,000 more features cost. */
  g_assert_cmpint (big - small, <, 24 * 1024);
  ngam_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/import/memory/bounded", test_bounded);
  return g_test_run ();
}
