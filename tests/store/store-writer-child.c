/* store-writer-child.c — writes transactions until it is killed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For /store/crash/sigkill-mid-write: commits 20,000 poles at a time and
 * prints the running total after each commit; the parent kills it with
 * SIGKILL half-way through the seventh, which says "writing" there and
 * waits to be killed.  With --bulk each transaction is a bulk one
 * (ngam_store_begin_bulk: a rollback journal instead of the WAL).
 *
 *   store-writer-child PROJECT [--bulk]
 */
#include "config.h"

#include <stdio.h>

#include "ngam-core.h"

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = NULL;
  g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_POLES);
  gint64 total = 0;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gboolean bulk = argc == 3 && g_strcmp0 (argv[2], "--bulk") == 0;

  if (argc != 2 && !bulk)
    return 2;
  store = ngam_store_open (argv[1], 0, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(NgamStoreWriter) w = NULL;

      if (!(bulk ? ngam_store_begin_bulk (store, &error) : ngam_store_begin (store, &error)) ||
          (w = ngam_store_writer_new (store, NGAM_LAYER_POLES, &error)) == NULL)
        g_error ("%s", error->message);
      for (int i = 0; i < 20000; i++)
        {
          ngam_feature_reset (f);
          ngam_shape_begin (f->shape, NGAM_SHAPE_POINT);
          ngam_shape_new_part (f->shape);
          ngam_shape_add_point (f->shape, 560000 + (total + i) % 1000, 1820000 + (total + i) / 1000);
          ngam_shape_finish (f->shape);
          f->attrs = g_strdup ("{\"so_hieu\":\"cột bê tông\"}");
          if (!ngam_store_writer_add (w, f, NULL, &error))
            g_error ("%s", error->message);
          /* the seventh transaction waits half-way for the parent's
           * SIGKILL, so that it lands mid-write however busy the machine */
          if (total == 6 * 20000 && i == 10000)
            {
              printf ("writing\n");
              fflush (stdout);
              g_usleep (30 * G_USEC_PER_SEC);
            }
        }
      if (!ngam_store_writer_finish (w, &error) || !ngam_store_commit (store, &error))
        g_error ("%s", error->message);
      total += 20000;
      printf ("%" G_GINT64_FORMAT "\n", total);
      fflush (stdout);
    }
  return 0;
}
