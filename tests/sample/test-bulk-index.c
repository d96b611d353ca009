/* test-bulk-index.c — the store writer's packed R*Tree (the bulk path the
 * generator and the benchmark rely on)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loads point sets of every awkward size into an empty layer (one leaf
 * root, exactly one node, one more, several levels), with dense and with
 * scattered fids, then checks SQLite's own rtreecheck(), box queries
 * against a scan, that the attribute indexes come back, and that a
 * second, row-by-row writer keeps the packed tree sound.
 */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "ngam-core.h"
#include "ngam-test-util.h"
#include "sample-test-util.h"



/* Deterministic scattered points (a multiplicative hash, no GLib random). */
static void
point (guint i, double *x, double *y)
{
  guint32 a = i * 2654435761u, b = (i + 7) * 2246822519u;

  *x = 560000 + (a % 100000) / 10.0;
  *y = 1820000 + (b % 80000) / 10.0;
}

static void
load (NgamStore *store, guint n, gint64 fid_step, guint first)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_DEMAND);
  g_autoptr(NgamStoreWriter) w = ngam_store_writer_new (store, NGAM_LAYER_DEMAND, &error);

  g_assert_no_error (error);
  for (guint i = first; i < first + n; i++)
    {
      double x, y;
      gint64 fid;

      ngam_feature_reset (f);
      point (i, &x, &y);
      f->fid = fid_step ? 1000 + (gint64) i * fid_step : 0;
      f->source_key = g_strdup_printf ("k%u", i);
      f->operator_name = g_strdup (i % 2 ? "VNPT" : "Viettel");
      ngam_shape_begin (f->shape, NGAM_SHAPE_POINT);
      ngam_shape_add_point (f->shape, x, y);
      ngam_shape_finish (f->shape);
      g_assert_true (ngam_store_writer_add (w, f, &fid, &error));
      g_assert_no_error (error);
      if (fid_step)
        g_assert_cmpint (fid, ==, f->fid);
    }
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_assert_no_error (error);
}

static void
check (NgamStore  *store,
       const char *path,
       guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ok = ngam_test_sql_text (path, "SELECT rtreecheck('idx_demand_geom')");
  g_autofree char *count = ngam_test_sql_text (path, "SELECT count(*) FROM idx_demand_geom");
  g_autofree char *indexes = ngam_test_sql_text (path, "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master "
                                             "WHERE type = 'index' AND tbl_name = 'demand' ORDER BY name)");

  g_assert_cmpstr (ok, ==, "ok");
  g_assert_cmpint (g_ascii_strtoll (count, NULL, 10), ==, n);
  g_assert_cmpstr (indexes, ==, "demand_operator,demand_source_key");

  /* boxes of several sizes: the index finds what a scan finds */
  for (guint b = 0; b < 6; b++)
    {
      double box[4] = { 560000 + 1000 * b, 1820000 + 700 * b, 0, 0 };
      g_autoptr(GHashTable) hit = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      g_autoptr(NgamStoreCursor) q = NULL;
      g_autoptr(NgamStoreCursor) all = NULL;
      guint expected = 0;

      box[2] = box[0] + 300 * (b + 1) * (b + 1);
      box[3] = box[1] + 250 * (b + 1) * (b + 1);
      q = ngam_store_query (store, NGAM_LAYER_DEMAND, box, NGAM_QUERY_SHAPE_ONLY, &error);
      while (ngam_store_cursor_next (q, &error))
        {
          gint64 *fid = g_new (gint64, 1);

          *fid = ngam_store_cursor_get (q)->fid;
          g_hash_table_add (hit, fid);
        }
      g_assert_no_error (error);
      all = ngam_store_query (store, NGAM_LAYER_DEMAND, NULL, NGAM_QUERY_SHAPE_ONLY, &error);
      while (ngam_store_cursor_next (all, &error))
        {
          const NgamFeature *f = ngam_store_cursor_get (all);
          double x = f->shape->xy[0], y = f->shape->xy[1];

          if (x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3])
            {
              expected++;
              if (!g_hash_table_contains (hit, &f->fid))
                g_error ("n = %u, box %u: the index misses fid %" G_GINT64_FORMAT, n, b, f->fid);
            }
        }
      g_assert_no_error (error);
      /* the index keeps float boxes rounded outwards, so it may offer a
       * point a float's width outside the box, never fewer */
      g_assert_cmpuint (g_hash_table_size (hit), >=, expected);
      g_assert_cmpuint (g_hash_table_size (hit), <=, expected + expected / 100 + 2);
    }
}

static void
run_case (gconstpointer data)
{
  const guint *c = data;   /* n, fid step (0: the store's own ids) */
  g_autofree char *name = g_strdup_printf ("bulk-%u-%u.ngam", c[0], c[1]);
  g_autofree char *path = sample_test_path (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (path, "EPSG:9214", &error);

  g_assert_no_error (error);
  g_assert_true (ngam_store_begin (store, &error));
  load (store, c[0], c[1], 0);
  g_assert_true (ngam_store_commit (store, &error));
  check (store, path, c[0]);

  /* a second writer goes row by row into the packed tree */
  g_assert_true (ngam_store_begin (store, &error));
  load (store, 200, c[1], c[0]);
  g_assert_true (ngam_store_commit (store, &error));
  check (store, path, c[0] + 200);
}

int
main (int    argc,
      char **argv)
{
  static const guint cases[][2] = {
    { 1, 0 }, { 50, 0 }, { 51, 0 }, { 52, 0 }, { 2601, 0 }, { 2602, 0 }, { 20000, 0 },
    { 1, 3 }, { 52, 5 }, { 20000, 7 },
  };
  int status;

  sample_test_init (&argc, &argv);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/store/bulk-index/%u-%s", cases[i][0],
                                               cases[i][1] ? "scattered-fids" : "dense-fids");

      g_test_add_data_func (name, cases[i], run_case);
    }
  status = sample_test_run ();
  return status;
}
