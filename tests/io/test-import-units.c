/* test-import-units.c — the import's fast paths against the slow, obvious
 * ones: the pole grid against the store's own spatial query, the bounded
 * duplicate and key maps (in memory and spilled) against their contract,
 * the two-thread run stopped mid-way by a cancellation, a bad feature or a
 * failing write (the project unchanged each time), and numbers written
 * into the raw attributes as they read back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "import-util.h"
#include "ngam-import.h"
#include "sqlite/ngam-sqlite-private.h"
#include "ngam-store-sync.h"
#include "ngam-test-util.h"

static NgamFeature *
pole (double x, double y, const char *key)
{
  NgamFeature *f = ngam_feature_new (NGAM_LAYER_POLES);

  ngam_shape_begin (f->shape, NGAM_SHAPE_POINT);
  ngam_shape_new_part (f->shape);
  ngam_shape_add_point (f->shape, x, y);
  ngam_shape_finish (f->shape);
  f->source_key = g_strdup (key);
  f->operator_name = g_strdup ("VNPT");
  f->source_layer = g_strdup ("cot");
  f->attrs = g_strdup_printf ("{\"ma\":\"%s\"}", key);
  return f;
}

/* ---- the pole grid -------------------------------------------------------- */

/* The nearest live pole within @tol, by the store's R*Tree query (what the
 * import asked SQLite per span end before): fid 0 when none; of equally
 * near ones, the lowest fid. */
static gint64
nearest_by_query (NgamStore *store, double x, double y, double tol, double *dist)
{
  g_autoptr(GError) error = NULL;
  double box[4] = { x - tol, y - tol, x + tol, y + tol };
  g_autoptr(NgamStoreCursor) c = ngam_store_query (store, NGAM_LAYER_POLES, box, NGAM_QUERY_SHAPE_ONLY, &error);
  gint64 best = 0;

  *dist = INFINITY;
  g_assert_no_error (error);
  while (ngam_store_cursor_next (c, &error))
    {
      const NgamFeature *f = ngam_store_cursor_get (c);
      double d = hypot (f->shape->xy[0] - x, f->shape->xy[1] - y);

      if (d <= tol && (d < *dist || (d == *dist && f->fid < best)))
        {
          *dist = d;
          best = f->fid;
        }
    }
  g_assert_no_error (error);
  return best;
}

static void
test_nearest_grid (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (fx->project, NGAM_STORE_OPEN_DEFAULT, &error);
  g_autoptr(NgamStoreWriter) w = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  double boxes[2][4] = {
    { 560200, 1820200, 560600, 1820700 },   /* a few poles: through the R*Tree */
    { 559990, 1819990, 575010, 1830010 },   /* all of them: a scan of the table */
  };
  guint n = 3000, checked = 0, found = 0;

  /* clustered poles (some on top of each other), a far outlier, one
   * retired */
  g_assert_true (ngam_store_begin (store, &error));
  w = ngam_store_writer_new (store, NGAM_LAYER_POLES, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *k = g_strdup_printf ("P%u", i);
      double x = 560000 + g_rand_double_range (rand, 0, 1000), y = 1820000 + g_rand_double_range (rand, 0, 1000);
      g_autoptr(NgamFeature) f = NULL;

      if (i % 10 == 9)
        x = 560000 + 37.0 * (i % 7), y = 1820000 + 41.0 * (i % 5);   /* shared spots */
      if (i == n - 1)
        x = 575000, y = 1830000;
      f = pole (x, y, k);
      g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
    }
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_assert_true (ngam_store_commit (store, &error));
  g_assert_true (ngam_sqlite_exec (store, "UPDATE poles SET retired = 1 WHERE fid = 5", &error));
  g_assert_no_error (error);

  for (int b = 0; b < 3; b++)
    {
      const double *bbox = b == 0 ? NULL : boxes[b - 1];
      gboolean bounded = b == 1;
      g_autoptr(NgamStoreNearest) grid = ngam_store_nearest_new (store, NGAM_LAYER_POLES, bbox, &error);
      /* and in tiles, 400 poles at most in memory */
      g_autoptr(NgamStoreNearest) tiled = ngam_store_nearest_new_limited (store, NGAM_LAYER_POLES, bbox, 400, 0, &error);
      gsize loads = 0;

      g_assert_no_error (error);
      g_assert_false (ngam_store_nearest_is_tiled (grid, NULL, NULL));
      g_assert_true (ngam_store_nearest_is_tiled (tiled, NULL, NULL));
      g_assert_true (ngam_store_nearest_any (tiled));
      g_assert_true (ngam_store_nearest_any (grid));
      if (bounded)
        g_assert_cmpuint (ngam_store_nearest_loaded (grid), <, n / 2);
      else
        g_assert_cmpuint (ngam_store_nearest_loaded (grid), ==, n - 1);
      for (guint q = 0; q < 4000; q++)
        {
          double tol = (double[]) { 0.5, 3, 25, 1e-9 }[q % 4];
          double x, y, want_d, got_d = -1, px = 0, py = 0;
          gint64 want, got = -1;

          if (bounded)
            x = g_rand_double_range (rand, bbox[0] + tol, bbox[2] - tol), y = g_rand_double_range (rand, bbox[1] + tol, bbox[3] - tol);
          else if (b == 2 && q % 100 == 0)
            x = 575000 + g_rand_double_range (rand, -1, 1), y = 1830000;   /* the outlier */
          else
            x = 559990 + g_rand_double_range (rand, 0, 1020), y = 1819990 + g_rand_double_range (rand, 0, 1020);
          if (q % 13 == 0)
            {
              /* exactly on a pole (also the retired one's spot) */
              g_autoptr(NgamFeature) p = ngam_store_get_feature (store, NGAM_LAYER_POLES, 1 + q % n, &error);

              g_assert_no_error (error);
              x = p->shape->xy[0];
              y = p->shape->xy[1];
              if (bounded && !(x >= bbox[0] + tol && x <= bbox[2] - tol && y >= bbox[1] + tol && y <= bbox[3] - tol))
                continue;
            }
          want = nearest_by_query (store, x, y, tol, &want_d);
          g_assert_true (ngam_store_nearest_find (grid, x, y, tol, &got, &px, &py, &got_d, &error));
          g_assert_no_error (error);
          if (got != want)
            g_error ("(%.3f, %.3f) within %g m: the grid says pole %" G_GINT64_FORMAT " at %g m, the query %"
                     G_GINT64_FORMAT " at %g m", x, y, tol, got, got_d, want, want_d);
          {
            gint64 tf = -1;
            double tpx = 0, tpy = 0, td = -1;

            g_assert_true (ngam_store_nearest_find (tiled, x, y, tol, &tf, &tpx, &tpy, &td, &error));
            g_assert_no_error (error);
            g_assert_cmpint (tf, ==, got);
            if (got)
              {
                g_assert_cmpfloat (td, ==, got_d);
                g_assert_cmpfloat (tpx, ==, px);
                g_assert_cmpfloat (tpy, ==, py);
              }
            g_assert_cmpuint (ngam_store_nearest_loaded (tiled), <=, 400);
          }
          if (want)
            {
              g_autoptr(NgamFeature) p = ngam_store_get_feature (store, NGAM_LAYER_POLES, want, &error);

              g_assert_cmpfloat (got_d, ==, want_d);
              g_assert_cmpfloat (px, ==, p->shape->xy[0]);
              g_assert_cmpfloat (py, ==, p->shape->xy[1]);
              found++;
            }
          checked++;
        }
      g_assert_true (ngam_store_nearest_is_tiled (tiled, &loads, NULL));
      g_test_message ("box %d: %" G_GSIZE_FORMAT " tile queries", b, loads);
      g_assert_cmpuint (loads, >, 1);
    }
  g_test_message ("%u lookups, %u found a pole", checked, found);
  g_assert_cmpuint (found, >, checked / 10);
  g_assert_cmpuint (found, <, checked);
}

/* An empty layer and any tolerance: nothing, and no crash. */
static void
test_nearest_empty (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (fx->project, NGAM_STORE_OPEN_DEFAULT, &error);
  g_autoptr(NgamStoreNearest) grid = ngam_store_nearest_new (store, NGAM_LAYER_POLES, NULL, &error);
  gint64 fid = -1;
  double px, py, d;

  g_assert_no_error (error);
  g_assert_false (ngam_store_nearest_any (grid));
  g_assert_true (ngam_store_nearest_find (grid, 560000, 1820000, 1e300, &fid, &px, &py, &d, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fid, ==, 0);
}

/* Poles on a lattice whose lines are the tiles' borders (tiles of 10 m
 * from the box's corner): poles on edges and corners, lookups on them,
 * beside them and just beyond the tolerance, with tiles so small in
 * memory that most lookups load one.  The tiled answer is the one grid's. */
static void
test_nearest_tiles (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (fx->project, NGAM_STORE_OPEN_DEFAULT, &error);
  g_autoptr(NgamStoreWriter) w = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  double bbox[4] = { 560000, 1820000, 560200, 1820200 };
  guint checked = 0, found = 0;

  g_assert_true (ngam_store_begin (store, &error));
  w = ngam_store_writer_new (store, NGAM_LAYER_POLES, &error);
  g_assert_no_error (error);
  /* every 2.5 m from 559990 to 560210: on every border, and outside the
   * box too (those must not count) */
  for (guint i = 0; i <= 88; i++)
    for (guint j = 0; j <= 88; j++)
      {
        g_autofree char *k = g_strdup_printf ("L%u_%u", i, j);
        g_autoptr(NgamFeature) f = pole (559990 + 2.5 * i, 1819990 + 2.5 * j, k);

        if ((i * 7 + j * 3) % 5 == 0)
          continue;   /* holes, so that the nearest is sometimes across a border */
        g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
      }
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_assert_true (ngam_store_commit (store, &error));
  g_assert_no_error (error);

  for (int variant = 0; variant < 2; variant++)
    {
      g_autoptr(NgamStoreNearest) grid = ngam_store_nearest_new (store, NGAM_LAYER_POLES, bbox, &error);
      /* 10 m tiles hold 16 poles: a budget of 64 keeps four; the second
       * variant's 40 makes 10 m tiles too full, so they halve */
      gsize budget = variant == 0 ? 64 : 40;
      g_autoptr(NgamStoreNearest) tiled = ngam_store_nearest_new_limited (store, NGAM_LAYER_POLES, bbox, budget, 10.0,
                                                                          &error);
      gsize loads = 0;
      double side = 0;

      g_assert_no_error (error);
      g_assert_false (ngam_store_nearest_is_tiled (grid, NULL, NULL));
      for (guint q = 0; q < 6000; q++)
        {
          double tol = (double[]) { 0.5, 1.25, 1.2499999, 2.5, 3.6, 0 }[q % 6];
          /* on the lattice (so on tile borders), or near it */
          double x = 559995 + 2.5 * g_rand_int_range (rand, 0, 85), y = 1819995 + 2.5 * g_rand_int_range (rand, 0, 85);
          gint64 want = -1, got = -1;
          double wpx = 0, wpy = 0, wd = -1, gpx = 0, gpy = 0, gd = -1;

          if (q % 3 == 1)
            x += g_rand_double_range (rand, -1.3, 1.3);
          if (q % 3 == 2)
            y += (double[]) { 1.25, -1.25, 1.2500001, 0.3 }[q % 4];
          g_assert_true (ngam_store_nearest_find (grid, x, y, tol, &want, &wpx, &wpy, &wd, &error));
          g_assert_true (ngam_store_nearest_find (tiled, x, y, tol, &got, &gpx, &gpy, &gd, &error));
          g_assert_no_error (error);
          if (got != want)
            g_error ("(%.7f, %.7f) within %g m: tiles say pole %" G_GINT64_FORMAT ", the grid %" G_GINT64_FORMAT,
                     x, y, tol, got, want);
          if (want)
            {
              g_assert_cmpfloat (gd, ==, wd);
              g_assert_cmpfloat (gpx, ==, wpx);
              g_assert_cmpfloat (gpy, ==, wpy);
              /* never a pole outside the box */
              g_assert_true (wpx >= bbox[0] && wpx <= bbox[2] && wpy >= bbox[1] && wpy <= bbox[3]);
              found++;
            }
          g_assert_cmpuint (ngam_store_nearest_loaded (tiled), <=, budget);
          checked++;
        }
      g_assert_true (ngam_store_nearest_is_tiled (tiled, &loads, &side));
      g_test_message ("budget %" G_GSIZE_FORMAT ": tiles of %g m, %" G_GSIZE_FORMAT " tile queries", budget, side, loads);
      g_assert_cmpfloat (side, ==, variant == 0 ? 10.0 : 5.0);
      g_assert_cmpuint (loads, >, 100);
    }
  g_test_message ("%u lookups, %u found a pole", checked, found);
  g_assert_cmpuint (found, >, checked / 2);
  g_assert_cmpuint (found, <, checked);
}

/* ---- the run's duplicate and key maps ------------------------------------------- */

/* The key of the @i-th feature, @k, written @period features apart: the
 * first time as it is, each time after with the #2, #3… the sync gives
 * it, which becomes the feature's key.  *@key_hash (in: @k's hash) is
 * then the stored key's. */
static void
unique_key (NgamStoreSync *sync, NgamFeature *f, const char *k, guint i, guint period, guint64 *key_hash)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *renamed = NULL;

  g_assert_true (ngam_store_sync_unique_key (sync, "cot", k, key_hash, &renamed, &error));
  g_assert_no_error (error);
  if (i < period)
    g_assert_null (renamed);
  else
    {
      g_autofree char *want = g_strdup_printf ("K%u#%u", i % period, i / period + 1);

      g_assert_cmpstr (renamed, ==, want);
      g_free (f->source_key);
      f->source_key = g_steal_pointer (&renamed);
    }
}


/* A feature's shape, prepared as the importer's readers do. */
static NgamStoreRow *
prepared_row (NgamStore *store, const NgamShape *shape)
{
  NgamStoreRow *row = ngam_store_row_new ();

  ngam_store_row_prepare (row, store, shape);
  return row;
}

static void
check_maps (NgamStore *store, gsize limit, gboolean expect_spill, gboolean grouped)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStoreSync) sync = NULL;
  g_autoptr(GPtrArray) features = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_feature_free);
  g_autoptr(GPtrArray) blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_store_row_free);
  guint n = 500;
  gint64 id;

  g_assert_true (ngam_store_begin (store, &error));
  id = ngam_store_import_log_begin (store, "test", "cot", NGAM_LAYER_POLES, "VNPT", &error);
  sync = ngam_store_sync_new (store, NGAM_LAYER_POLES, "VNPT", id, &error);
  g_assert_no_error (error);
  if (limit)
    ngam_store_sync_set_memory_limit (sync, limit);
  for (guint i = 0; i < n; i++)
    {
      /* keys repeat every 100 features; contents every 250; and every
       * hash is one of 7, so nearly every check meets a hash that is
       * someone else's */
      g_autofree char *k = g_strdup_printf ("K%u", i % 100);
      NgamFeature *f = pole (560000 + i % 250, 1820000, k);
      NgamStoreRow *blob = prepared_row (store, f->shape);
      guint64 hash = (i % 250) % 7, key_hash = ngam_store_sync_hash_key (sync, "cot", k) % 3;
      gboolean dup = TRUE;
      NgamSyncAction action;

      g_free (f->attrs);
      f->attrs = g_strdup_printf ("{\"n\":%u}", i % 250);
      g_assert_true (ngam_store_sync_is_duplicate (sync, f, hash, &dup, &error));
      g_assert_no_error (error);
      g_assert_cmpint (dup, ==, i >= 250);
      /* grouped writes keep the features until a flush */
      g_ptr_array_add (features, f);
      g_ptr_array_add (blobs, blob);
      if (dup)
        continue;
      unique_key (sync, f, k, i, 100, &key_hash);
      g_assert_true (ngam_store_sync_put (sync, f, grouped ? blob : NULL, grouped ? (gssize) strlen (f->attrs) : -1, hash, key_hash,
                                          &action, &error));
      g_assert_no_error (error);
      g_assert_cmpint (action, ==, NGAM_SYNC_ADDED);
    }
  if (expect_spill)
    g_assert_cmpuint (ngam_store_sync_get_spilled (sync), >, 0);
  else
    g_assert_cmpuint (ngam_store_sync_get_spilled (sync), ==, 0);
  g_assert_true (ngam_store_sync_finish (sync, FALSE, NULL, 0, &(gint64) { 0 }, &error));
  g_assert_no_error (error);
  g_clear_pointer (&sync, ngam_store_sync_free);
  g_assert_cmpint (ngam_store_count (store, NGAM_LAYER_POLES, &error), ==, 250);
  ngam_store_rollback (store);
}

static void
test_maps_memory (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (fx->project, NGAM_STORE_OPEN_DEFAULT, &error);

  check_maps (store, 0, FALSE, FALSE);
  check_maps (store, 0, FALSE, TRUE);
}

/* Past the limit the maps move to sorted runs in a file and answer the
 * same. */
static void
test_maps_spilled (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (fx->project, NGAM_STORE_OPEN_DEFAULT, &error);

  check_maps (store, 1, TRUE, FALSE);
  check_maps (store, 37, TRUE, TRUE);
}

/* Many spills: 24,000 features through maps of 100 or 1,000 entries, so
 * runs are written and merged again and again (and a run's blocks of 512
 * hold the same hash across their border), and the Bloom filter before
 * them fills up.  Contents repeat every 9,000 features and keys every
 * 5,000; hashes are cut to 1,021 and 2,039 values, so every lookup meets
 * other features' hashes in memory and in the runs alike.  Each answer is
 * checked against what it must be. */
static void
check_maps_many (NgamStore *store, gsize limit, gsize expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStoreSync) sync = NULL;
  g_autoptr(GPtrArray) features = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_feature_free);
  g_autoptr(GPtrArray) blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_store_row_free);
  guint n = 24000, dups = 0;
  gint64 id;

  g_assert_true (ngam_store_begin (store, &error));
  id = ngam_store_import_log_begin (store, "test", "cot", NGAM_LAYER_POLES, "VNPT", &error);
  sync = ngam_store_sync_new (store, NGAM_LAYER_POLES, "VNPT", id, &error);
  g_assert_no_error (error);
  ngam_store_sync_set_memory_limit (sync, limit);
  ngam_store_sync_reserve (sync, expected);
  for (guint i = 0; i < n; i++)
    {
      guint c = i % 9000;
      g_autofree char *k = g_strdup_printf ("K%u", i % 5000);
      NgamFeature *f = pole (560000 + c % 300, 1820000 + c / 300, k);
      NgamStoreRow *blob = prepared_row (store, f->shape);
      guint64 hash = c % 1021, key_hash = ngam_store_sync_hash_key (sync, "cot", k) % 2039;
      gboolean dup = TRUE;
      NgamSyncAction action;

      g_free (f->attrs);
      f->attrs = g_strdup_printf ("{\"n\":%u}", c);
      g_assert_true (ngam_store_sync_is_duplicate (sync, f, hash, &dup, &error));
      g_assert_no_error (error);
      g_assert_cmpint (dup, ==, i >= 9000);
      g_ptr_array_add (features, f);
      g_ptr_array_add (blobs, blob);
      if (dup)
        {
          dups++;
          continue;
        }
      unique_key (sync, f, k, i, 5000, &key_hash);
      g_assert_true (ngam_store_sync_put (sync, f, blob, (gssize) strlen (f->attrs), hash, key_hash, &action, &error));
      g_assert_no_error (error);
      /* the group written, the caller may let go */
      if (i % 64 == 63)
        {
          g_assert_true (ngam_store_sync_flush (sync, &error));
          g_ptr_array_set_size (features, 0);
          g_ptr_array_set_size (blobs, 0);
        }
    }
  g_assert_cmpuint (ngam_store_sync_get_spilled (sync), >=, 2 * (9000 - limit));
  g_assert_true (ngam_store_sync_finish (sync, FALSE, NULL, 0, &(gint64) { 0 }, &error));
  g_assert_no_error (error);
  g_clear_pointer (&sync, ngam_store_sync_free);
  g_assert_cmpuint (dups, ==, n - 9000);
  g_assert_cmpint (ngam_store_count (store, NGAM_LAYER_POLES, &error), ==, 9000);
  ngam_store_rollback (store);
}

static void
test_maps_many_spills (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (fx->project, NGAM_STORE_OPEN_DEFAULT, &error);

  check_maps_many (store, 100, 0);
  check_maps_many (store, 1000, 24000);
}

/* ---- a run stopped mid-way ----------------------------------------------------- */

static void
write_many (const char *path, guint n, guint bad_at)
{
  const char *fields[] = { "ma_cot", NULL };
  g_autofree TestPoint *pts = g_new0 (TestPoint, n);
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      pts[i].x = 107.50 + (i % 300) * 0.0002;
      pts[i].y = 16.40 + (i / 300) * 0.0002;
      if (i == bad_at)
        pts[i].x = 550000, pts[i].y = 1810000;   /* metres in a file of degrees */
      g_ptr_array_add (keep, g_strdup_printf ("C%06u", i));
      pts[i].values[0] = keep->pdata[i];
    }
  test_write_points (path, 4326, fields, pts, n);
}

typedef struct
{
  GCancellable *cancellable;
  double        at;
  double        last;
} CancelAt;

static void
cancel_at (double fraction, const char *message, gpointer data)
{
  CancelAt *c = data;

  c->last = fraction;
  if (fraction >= c->at)
    g_cancellable_cancel (c->cancellable);
}

static gboolean
import (const char *project, const char *src, GCancellable *cancellable, NgamProgressFunc progress,
        gpointer progress_data, NgamStore *store_in, GError **error)
{
  const char *sources[] = { src, NULL };
  NgamImportOptions opt = { sources, NGAM_LAYER_POLES, NULL, "VNPT" };
  g_autoptr(NgamImportReport) report = NULL;
  g_autoptr(NgamStore) own = store_in ? NULL : ngam_store_open (project, NGAM_STORE_OPEN_DEFAULT, error);
  NgamStore *store = store_in ? store_in : own;

  if (store == NULL)
    return FALSE;
  if (!ngam_import_run (store, &opt, &report, progress, progress_data, cancellable, error))
    {
      g_assert_nonnull (report);
      return FALSE;
    }
  return TRUE;
}

static void
test_cancel_midway (Fixture *fx, gconstpointer data)
{
  g_autofree char *shp = g_build_filename (fx->dir, "many.shp", NULL);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CancelAt c = { cancellable, 0.5, 0 };

  write_many (shp, 30000, G_MAXUINT);
  /* a first import, so that the second has something to keep */
  g_assert_true (import (fx->project, shp, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  write_many (shp, 40000, G_MAXUINT);
  before = test_project_state (fx->project);
  g_assert_false (import (fx->project, shp, cancellable, cancel_at, &c, NULL, &error));
  g_assert_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_CANCELLED);
  g_assert_cmpfloat (c.last, <, 0.9);
  after = test_project_state (fx->project);
  g_assert_cmpstr (before, ==, after);
  /* and into an empty layer (the bulk path) */
  g_clear_error (&error);
  g_cancellable_reset (cancellable);
  c.at = 0.3;
  {
    g_autofree char *other = g_build_filename (fx->dir, "q.ngam", NULL);
    g_autoptr(NgamStore) s = ngam_store_create (other, "EPSG:9214", &error);
    g_autofree char *b2 = NULL, *a2 = NULL;

    g_clear_pointer (&s, ngam_store_close);
    b2 = test_project_state (other);
    g_assert_false (import (other, shp, cancellable, cancel_at, &c, NULL, &error));
    g_assert_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_CANCELLED);
    a2 = test_project_state (other);
    g_assert_cmpstr (b2, ==, a2);
  }
}

/* A feature far into the file that shows the file wrong: thousands of rows
 * are written by then, and none stays. */
static void
test_bad_feature_midway (Fixture *fx, gconstpointer data)
{
  g_autofree char *shp = g_build_filename (fx->dir, "bad.shp", NULL);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(GError) error = NULL;

  write_many (shp, 20000, 15000);
  before = test_project_state (fx->project);
  g_assert_false (import (fx->project, shp, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_COORDINATES);
  g_assert_nonnull (strstr (error->message, "bad.shp, feature 15000"));
  after = test_project_state (fx->project);
  g_assert_cmpstr (before, ==, after);
}

/* Core's refusals say what is missing in words any front end can show, and
 * which option settles them by their code; none names a command-line flag
 * (the CLI adds those: test-import-operator.c, test-import.c). */
static void
assert_neutral (const GError *error, GQuark domain, int code, NgamImportOption option, const char *words)
{
  g_autoptr(GRegex) flag = g_regex_new ("(^|[^-\\w])--[a-z]", 0, 0, NULL);

  g_assert_error ((GError *) error, domain, code);
  g_test_message ("%s", error->message);
  g_assert_false (g_regex_match (flag, error->message, 0, NULL));
  g_assert_nonnull (strstr (error->message, words));
  g_assert_cmpint (ngam_io_error_option (error), ==, option);
}

static void
test_front_end_neutral (Fixture *fx, gconstpointer data)
{
  g_autofree char *shp = g_build_filename (fx->dir, "nocrs.shp", NULL);
  g_autofree char *bad = g_build_filename (fx->dir, "bad.shp", NULL);
  g_autofree char *ok = g_build_filename (fx->dir, "ok.shp", NULL);
  g_autofree char *ini = g_build_filename (fx->dir, "owner.ini", NULL);
  g_autofree char *before = test_project_state (fx->project), *after = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (fx->project, NGAM_STORE_OPEN_DEFAULT, NULL);
  const char *fields[] = { "ma_cot", NULL };
  TestPoint pts[] = { { 107.58, 16.46, { "A" } } };
  const char *one[] = { shp, NULL }, *two[] = { ok, ok, NULL }, *okay[] = { ok, NULL };
  NgamImportOptions opt = { one, NGAM_LAYER_POLES };
  GError *error = NULL;

  test_write_points (shp, 0, fields, pts, 1);
  test_write_points (ok, 4326, fields, pts, 1);
  write_many (bad, 10, 5);
  g_assert_true (g_file_set_contents (ini, "[profile]\nkinds = poles\noperator_field = chu_so_huu\n", -1, NULL));

  g_assert_false (ngam_import_run (store, &opt, NULL, NULL, NULL, NULL, &error));
  assert_neutral (error, NGAM_IO_ERROR, NGAM_IO_ERROR_NO_CRS, NGAM_IMPORT_OPTION_CRS,
                  "give one for the source (an EPSG code such as EPSG:9214)");
  g_clear_error (&error);

  one[0] = bad;
  g_assert_false (ngam_import_run (store, &opt, NULL, NULL, NULL, NULL, &error));
  assert_neutral (error, NGAM_IO_ERROR, NGAM_IO_ERROR_COORDINATES, NGAM_IMPORT_OPTION_CRS,
                  "Give the right CRS for the source");
  g_clear_error (&error);

  opt.sources = okay;
  opt.source_name = "";
  g_assert_false (ngam_import_run (store, &opt, NULL, NULL, NULL, NULL, &error));
  assert_neutral (error, NGAM_IO_ERROR, NGAM_IO_ERROR_SOURCE_NAME, NGAM_IMPORT_OPTION_SOURCE_NAME,
                  "the source name is empty");
  g_clear_error (&error);
  opt.sources = two;
  opt.source_name = "x";
  g_assert_false (ngam_import_run (store, &opt, NULL, NULL, NULL, NULL, &error));
  assert_neutral (error, NGAM_IO_ERROR, NGAM_IO_ERROR_SOURCE_NAME, NGAM_IMPORT_OPTION_SOURCE_NAME,
                  "and 2 sources were given");
  g_clear_error (&error);

  opt.sources = okay;
  opt.source_name = NULL;
  opt.profile = ini;
  g_assert_false (ngam_import_run (store, &opt, NULL, NULL, NULL, NULL, &error));
  assert_neutral (error, NGAM_IO_ERROR, NGAM_IO_ERROR_NO_OPERATOR, NGAM_IMPORT_OPTION_OPERATOR,
                  "or give the operator for the import");
  g_clear_error (&error);

  /* an error of another kind settles by no option */
  g_assert_cmpint (ngam_io_error_option (NULL), ==, NGAM_IMPORT_OPTION_NONE);
  error = g_error_new_literal (NGAM_IO_ERROR, NGAM_IO_ERROR_OPEN, "x");
  g_assert_cmpint (ngam_io_error_option (error), ==, NGAM_IMPORT_OPTION_NONE);
  g_clear_error (&error);

  g_clear_pointer (&store, ngam_store_close);
  after = test_project_state (fx->project);
  g_assert_cmpstr (before, ==, after);
}

/* The writer thread fails (the disk is full, as far as SQLite knows) while
 * the reader is still reading: the error is the writer's, the project as
 * it was. */
static void
test_write_fails_midway (Fixture *fx, gconstpointer data)
{
  g_autofree char *shp = g_build_filename (fx->dir, "full.shp", NULL);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = NULL;
  g_autofree char *limit = NULL;
  sqlite3_stmt *st = NULL;
  int pages;

  write_many (shp, 30000, G_MAXUINT);
  before = test_project_state (fx->project);
  store = ngam_store_open (fx->project, NGAM_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (ngam_sqlite_get_db (store), "PRAGMA page_count", -1, &st, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  pages = sqlite3_column_int (st, 0);
  sqlite3_finalize (st);
  /* room for a few hundred features */
  limit = g_strdup_printf ("PRAGMA max_page_count = %d", pages + 40);
  g_assert_true (ngam_sqlite_exec (store, limit, &error));
  g_assert_false (import (fx->project, shp, NULL, NULL, NULL, store, &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "full.shp, feature "));
  g_clear_pointer (&store, ngam_store_close);
  after = test_project_state (fx->project);
  g_assert_cmpstr (before, ==, after);
}

/* ---- numbers in the raw attributes --------------------------------------------- */

static void
test_numbers (Fixture *fx, gconstpointer data)
{
  static const double values[] = { 5.7, 0.1 + 0.2, 1e-7, -2.5, 123456789.125, 1e15, 0, -0.0, 8999999.999999999,
                                   1.0 / 3, 12, 2.675, -1234567.0000001 };
  g_autofree char *shp = g_build_filename (fx->dir, "num.shp", NULL);
  g_autoptr(GError) error = NULL;
  GDALDatasetH ds;
  OGRLayerH layer;
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
  OGRFieldDefnH fd;
  int height = ngam_layer_field_index (NGAM_LAYER_POLES, "height_m");

  ngam_core_init ();
  OSRImportFromEPSG (srs, 4326);
  ds = GDALCreate (GDALGetDriverByName ("ESRI Shapefile"), shp, 0, 0, 0, GDT_Unknown, NULL);
  layer = GDALDatasetCreateLayer (ds, "num", srs, wkbPoint, NULL);
  fd = OGR_Fld_Create ("cao", OFTReal);
  OGR_Fld_SetWidth (fd, 33);
  OGR_Fld_SetPrecision (fd, 15);
  g_assert_cmpint (OGR_L_CreateField (layer, fd, TRUE), ==, OGRERR_NONE);
  OGR_Fld_Destroy (fd);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      OGRFeatureH feat = OGR_F_Create (OGR_L_GetLayerDefn (layer));
      OGRGeometryH g = OGR_G_CreateGeometry (wkbPoint);

      OGR_G_SetPoint_2D (g, 0, 107.5 + i * 0.001, 16.4);
      OGR_F_SetGeometryDirectly (feat, g);
      OGR_F_SetFieldDouble (feat, 0, values[i]);
      g_assert_cmpint (OGR_L_CreateFeature (layer, feat), ==, OGRERR_NONE);
      OGR_F_Destroy (feat);
    }
  GDALClose (ds);
  OSRDestroySpatialReference (srs);

  g_assert_true (import (fx->project, shp, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(NgamStore) store = ngam_store_open (fx->project, NGAM_STORE_OPEN_READ_ONLY, &error);
    g_autoptr(NgamStoreCursor) c = ngam_store_query (store, NGAM_LAYER_POLES, NULL, NGAM_QUERY_DEFAULT, &error);
    guint i = 0;

    while (ngam_store_cursor_next (c, &error))
      {
        const NgamFeature *f = ngam_store_cursor_get (c);
        g_autoptr(JsonParser) p = json_parser_new ();
        double in_file, in_json;
        OGRFeatureH back;

        /* what OGR reads from the .dbf is what the JSON must give back */
        ds = GDALOpenEx (shp, GDAL_OF_VECTOR, NULL, NULL, NULL);
        back = OGR_L_GetFeature (GDALDatasetGetLayer (ds, 0), f->source_fid);
        in_file = OGR_F_GetFieldAsDouble (back, 0);
        OGR_F_Destroy (back);
        GDALClose (ds);
        g_assert_true (json_parser_load_from_data (p, f->attrs, -1, &error));
        in_json = json_object_get_double_member (json_node_get_object (json_parser_get_root (p)), "cao");
        if (in_json != in_file || signbit (in_json) != signbit (in_file))
          g_error ("feature %" G_GINT64_FORMAT ": the file has %.17g, the JSON %s", f->source_fid, in_file, f->attrs);
        /* and the model field the same number */
        g_assert_cmpfloat (ngam_feature_get_real (f, height), ==, in_file);
        i++;
      }
    g_assert_no_error (error);
    g_assert_cmpuint (i, ==, G_N_ELEMENTS (values));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up_core, fn, fixture_tear_down)
  ADD ("/import/nearest/grid-as-query", test_nearest_grid);
  ADD ("/import/nearest/empty", test_nearest_empty);
  ADD ("/import/nearest/tiles-as-grid", test_nearest_tiles);
  ADD ("/import/maps/in-memory", test_maps_memory);
  ADD ("/import/maps/spilled", test_maps_spilled);
  ADD ("/import/maps/many-spills", test_maps_many_spills);
  ADD ("/import/run/cancel-midway", test_cancel_midway);
  ADD ("/import/run/bad-feature-midway", test_bad_feature_midway);
  ADD ("/import/run/write-fails-midway", test_write_fails_midway);
  ADD ("/import/run/front-end-neutral", test_front_end_neutral);
  ADD ("/import/values/numbers", test_numbers);
#undef ADD
  return g_test_run ();
}
