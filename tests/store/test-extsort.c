/* test-extsort.c — the external merge sort behind bounded-memory bulk loads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against qsort() on the same records: in memory, spilled to a few runs
 * and to hundreds, records of one or many bytes, duplicates; the spool
 * form keeps input order; an unusable temporary folder is an error that
 * names it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-extsort.h"

typedef struct
{
  guint64 key;
  guint32 seq;     /* position in the input */
  guint32 pad;
} Rec;

static int
cmp_rec (const void *a, const void *b)
{
  const Rec *x = a, *y = b;

  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
sort_recs (void *r, gsize n, gpointer data)
{
  qsort (r, n, sizeof (Rec), cmp_rec);
}

static int
compare_recs (const void *a, const void *b, gpointer data)
{
  return cmp_rec (a, b);
}

/* Sorts @n pseudo-random records (keys in [0, @range): duplicates when
 * small) with @memory bytes; checks the output against qsort(). */
static void
check_sort (guint n, guint64 range, gsize memory, guint min_runs)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamExtSort) s = ngam_ext_sort_new (sizeof (Rec), memory, sort_recs, compare_recs, NULL);
  g_autofree Rec *want = g_new (Rec, n);
  GRand *rand = g_rand_new_with_seed (n ^ (guint32) range);
  Rec r;
  guint got = 0;

  for (guint i = 0; i < n; i++)
    {
      want[i].key = (guint64) (g_rand_double (rand) * (double) range);
      want[i].seq = i;
      want[i].pad = 0;
      g_assert_true (ngam_ext_sort_add (s, &want[i], &error));
    }
  g_rand_free (rand);
  g_assert_true (ngam_ext_sort_finish (s, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ngam_ext_sort_runs (s), >=, min_runs);
  g_assert_cmpuint (ngam_ext_sort_count (s), ==, n);
  if (n > 0)
    qsort (want, n, sizeof (Rec), cmp_rec);
  while (ngam_ext_sort_next (s, &r, &error))
    {
      g_assert_cmpuint (got, <, n);
      g_assert_cmpmem (&r, sizeof r, &want[got], sizeof want[got]);
      got++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (got, ==, n);
  /* the end stays the end */
  g_assert_false (ngam_ext_sort_next (s, &r, &error));
  g_assert_no_error (error);
}

static void
test_in_memory (void)
{
  check_sort (0, 10, 1 << 20, 0);
  check_sort (1, 10, 1 << 20, 0);
  check_sort (5000, G_MAXUINT32, 1 << 20, 0);
  check_sort (5000, 3, 1 << 20, 0);
}

static void
test_runs (void)
{
  /* exactly full, one over, a few runs, hundreds of runs of a few records */
  check_sort (4096, G_MAXUINT32, 4096 * sizeof (Rec), 0);
  check_sort (4097, G_MAXUINT32, 4096 * sizeof (Rec), 2);
  check_sort (50000, G_MAXUINT32, 16384 * sizeof (Rec), 3);
  check_sort (50000, 7, 16384 * sizeof (Rec), 3);
  check_sort (20000, G_MAXUINT32, 64 * sizeof (Rec), 300);
  /* less memory than two records: two records a run all the same */
  check_sort (999, 100, 1, 400);
}

static void
keep_order (void *r, gsize n, gpointer data)
{
}

static int
all_equal (const void *a, const void *b, gpointer data)
{
  return 0;
}

/* Records of an odd size come back in the order they went in. */
static void
test_spool (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamExtSort) s = ngam_ext_sort_new (37, 37 * 100, keep_order, all_equal, NULL);
  guint8 rec[37];

  for (guint i = 0; i < 12345; i++)
    {
      memset (rec, (int) (i * 31), sizeof rec);
      memcpy (rec, &i, sizeof i);
      g_assert_true (ngam_ext_sort_add (s, rec, &error));
    }
  g_assert_true (ngam_ext_sort_finish (s, &error));
  g_assert_cmpuint (ngam_ext_sort_runs (s), >=, 100);
  for (guint i = 0; i < 12345; i++)
    {
      guint v;

      g_assert_true (ngam_ext_sort_next (s, rec, &error));
      memcpy (&v, rec, sizeof v);
      g_assert_cmpuint (v, ==, i);
      g_assert_cmpuint (rec[36], ==, (guint8) (i * 31));
    }
  g_assert_false (ngam_ext_sort_next (s, rec, &error));
  g_assert_no_error (error);
}

/* A temporary folder that does not exist: the run cannot be written, and
 * the error says where it tried. */
static void
test_no_tmpdir (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NgamExtSort) s = ngam_ext_sort_new (sizeof (Rec), 4 * sizeof (Rec), sort_recs, compare_recs, NULL);
      Rec r = { 0 };
      gboolean ok = TRUE;

      for (guint i = 0; ok && i < 10; i++)
        ok = ngam_ext_sort_add (s, &r, &error);
      g_assert_false (ok);
      g_assert_nonnull (error);
      g_printerr ("%s\n", error->message);
      return;
    }
  {
    g_autofree char *was = g_strdup (g_getenv ("TMPDIR"));

    /* the child inherits it (GLib 2.74 has no trap with its own environment) */
    g_setenv ("TMPDIR", "/nonexistent/ngam-tmp", TRUE);
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    if (was)
      g_setenv ("TMPDIR", was, TRUE);
    else
      g_unsetenv ("TMPDIR");
  }
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*/nonexistent/ngam-tmp*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/extsort/in-memory", test_in_memory);
  g_test_add_func ("/extsort/runs", test_runs);
  g_test_add_func ("/extsort/spool", test_spool);
  g_test_add_func ("/extsort/no-temporary-folder", test_no_tmpdir);
  return g_test_run ();
}
