/* test-import-memory.c — an import's memory does not grow with the file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Imports 10^5 and then 10^6 generated points as poles (each with a text
 * field and a unique key), then into each project a few spans across the
 * whole town, snapped to those poles, and compares the peak RSS of the
 * ngam-batch runs, read with getrusage (RUSAGE_CHILDREN) after each.  The
 * 10^6 runs may cost at most 15 % + 8 MB more than the 10^5 ones.
 *
 * What must not grow: the duplicate and key maps (they spill to a file
 * past NGAM_STORE_SYNC_MAX_ENTRIES entries), the poles the spans snap to
 * (in tiles past NGAM_STORE_NEAREST_MAX_POINTS), the R*Tree's cells for
 * the packing (sorted outside memory past 8 MiB), the rows in flight (a
 * fixed number of batches).  Any of them unbounded fails the test: here
 * the 10^5 runs peak at 71 MB and the 10^6 ones at 86 MB (the limit is
 * 89 MB); with the maps' budget of before (3·2^20 entries) the 10^6 runs
 * peaked at 102 MB, with the whole grid of poles in memory at 111 MB.
 * The sources are CSV (lon, lat): GDAL reads them as a
 * stream, where a shapefile's reader keeps its whole index (8 bytes a
 * feature) and would blur the comparison.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "ngam-test-util.h"

/* A grid of @n points, 1,000 a row, 0.0002° (about 20 m) apart. */
static void
write_points (const char *path, guint n)
{
  FILE *f = fopen (path, "w");

  g_assert_nonnull (f);
  fputs ("lon,lat,ma_cot,ten_duong\n", f);
  for (guint i = 0; i < n; i++)
    fprintf (f, "%.4f,%.4f,VNPT-%07u,Le Loi\n", 107.5 + (i % 1000) * 0.0002, 16.4 + (i / 1000) * 0.0002, i);
  g_assert_cmpint (fclose (f), ==, 0);
}

/* Spans from pole to pole across the whole grid of @n points, one every
 * few rows, their ends 0.000001° (about 0.1 m) off: they snap to poles
 * all over the town. */
static void
write_spans (const char *path, guint n)
{
  FILE *f = fopen (path, "w");
  guint rows = n / 1000, k = 0;

  g_assert_nonnull (f);
  fputs ("wkt,ma_cap\n", f);
  for (guint r = 0; r < rows; r += MAX (rows / 40, 1))
    for (guint c = 0; c + 1 < 1000; c += 50)
      fprintf (f, "\"LINESTRING (%.6f %.4f, %.6f %.4f)\",C%u\n", 107.5 + c * 0.0002 + 0.000001, 16.4 + r * 0.0002,
               107.5 + (c + 1) * 0.0002 + 0.000001, 16.4 + r * 0.0002, k++);
  g_assert_cmpint (fclose (f), ==, 0);
}

static long
peak_kb (void)
{
  struct rusage ru;

  getrusage (RUSAGE_CHILDREN, &ru);
  return ru.ru_maxrss;
}

static void
import (const char *project, const char *csv, const char *kind, const char *want)
{
  g_autofree char *out = NULL, *err = NULL;

  if (ngam_test_run_batch (&out, &err, "import", project, csv, "--kind", kind, "--operator", "VNPT",
                           "--crs", "EPSG:4326", NULL) != 0)
    g_error ("import of %s failed: %s", csv, err);
  if (strstr (out, want) == NULL)
    g_error ("import of %s: “%s” expected in\n%s", csv, want, out);
}

/* The peak RSS of the runs importing @n points, then spans snapped to
 * them; the runs before count too (RUSAGE_CHILDREN keeps the largest). */
static long
import_peak_kb (const char *dir, guint n)
{
  g_autofree char *pts = g_strdup_printf ("%s/poles%u.csv", dir, n);
  g_autofree char *spans = g_strdup_printf ("%s/spans%u.csv", dir, n);
  g_autofree char *project = g_strdup_printf ("%s/p%u.ngam", dir, n);
  g_autofree char *added = g_strdup_printf ("%u added", n);

  write_points (pts, n);
  write_spans (spans, n);
  g_assert_cmpint (ngam_test_run_batch (NULL, NULL, "new", project, "--crs", "EPSG:9214", NULL), ==, 0);
  import (project, pts, "poles", added);
  g_unlink (pts);
  import (project, spans, "spans", "snapped");
  g_unlink (project);
  return peak_kb ();
}

static void
test_bounded (void)
{
  g_autofree char *dir = NULL;
  long small, big;

#if defined(__SANITIZE_ADDRESS__)
  /* Under AddressSanitizer ngam-batch is instrumented too.  Its quarantine
   * holds back every freed block up to 256 MB, which would make the peak
   * grow with the number of allocations, not with what the run keeps; with
   * no quarantine what is left of ASan (redzones, shadow memory: an eighth
   * of the heap) grows with the heap, so the same bound holds. */
  {
    const char *was = g_getenv ("ASAN_OPTIONS");
    g_autofree char *opts = g_strdup_printf ("%s%squarantine_size_mb=0:thread_local_quarantine_size_kb=0",
                                             was ? was : "", was && *was ? ":" : "");

    g_setenv ("ASAN_OPTIONS", opts, TRUE);
  }
#endif
  dir = ngam_test_tmpdir ();
  small = import_peak_kb (dir, 100000);
  big = import_peak_kb (dir, 1000000);

  g_test_message ("peak RSS: 1e5 features %ld kB, 1e6 features %ld kB", small, big);
  /* RUSAGE_CHILDREN keeps the largest child: big >= small always */
  if (big > small * 115 / 100 + 8 * 1024)
    g_error ("the import of 10^6 points peaked at %ld kB, 10^5 at %ld kB: more than 15 %% + 8 MB", big, small);
  ngam_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/import/memory/bounded", test_bounded);
  return g_test_run ();
}
