/* render-view.c — one map picture as the map view or a report draws it,
 * timed: the peer of QGIS's map renderer and gdal_rasterize in
 * bench/render-compare.sh
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   render-view PROJECT.ngam WIDTH HEIGHT full|M_PER_PX [OUT.png] [no-lod]
 *
 * "full" frames the whole project; a scale in metres per pixel centres
 * the picture on the project's middle.  The picture is drawn twice, the
 * first to warm the page cache as the peers' runs are warmed, and the
 * second is timed.  Prints "seconds features scale cx cy".
 *
 * NGAM_RENDER_VIEW_THREADS=N draws the picture as the map view fills a
 * window: 256-pixel tiles, each by itself, on N threads with a store
 * connection each (opened before the clock starts, as the view keeps
 * them), then put together.  Without it, one call on one thread.
 * NGAM_RENDER_VIEW_LAYERS=streets,routes draws those layers only,
 * NGAM_RENDER_VIEW_STATS prints what each layer drew (standard error) and
 * NGAM_RENDER_VIEW_PASSES=N draws the picture N times (default 2; for a
 * profiler, or for a steadier time): the first warms the caches, the time
 * printed is the best of the others.
 */
#include "config.h"

#include <cairo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-render.h"

#define TILE 256

typedef struct
{
  const NgamRenderView *view;
  guint                 layers;
  NgamRenderFlags       flags;
  cairo_surface_t     **tiles;     /* one per tile, filled by the threads */
  guint64              *drawn;     /* features drawn, per tile */
  int                   cols, rows;
  int                   next;      /* the next tile to take (atomic) */
  NgamStore           **stores;    /* one per thread */
  GError               *error;     /* the first failure */
  GMutex                lock;
} Tiled;

typedef struct
{
  Tiled *t;
  guint  index;
} Worker;

static gpointer
tile_worker (gpointer data)
{
  Worker *w = data;
  Tiled *t = w->t;
  int i;

  while ((i = g_atomic_int_add (&t->next, 1)) < t->cols * t->rows)
    {
      int col = i % t->cols, row = i / t->cols;
      int tw = MIN (TILE, t->view->width - col * TILE), th = MIN (TILE, t->view->height - row * TILE);
      NgamRenderView v = *t->view;
      NgamRenderStats stats;
      g_autoptr(GError) error = NULL;
      cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, tw, th);
      cairo_t *cr = cairo_create (s);

      /* the tile's centre, in the picture's frame */
      v.center_x = t->view->center_x + (col * TILE + tw / 2.0 - t->view->width / 2.0) * v.scale;
      v.center_y = t->view->center_y - (row * TILE + th / 2.0 - t->view->height / 2.0) * v.scale;
      v.width = tw;
      v.height = th;
      if (!ngam_render_map (t->stores[w->index], cr, &v, t->layers, t->flags | NGAM_RENDER_NO_BACKGROUND,
                            &stats, NULL, &error))
        {
          g_mutex_lock (&t->lock);
          if (t->error == NULL)
            t->error = g_steal_pointer (&error);
          g_mutex_unlock (&t->lock);
        }
      cairo_destroy (cr);
      t->tiles[i] = s;
      t->drawn[i] = 0;
      for (guint k = 0; k < NGAM_N_LAYERS; k++)
        t->drawn[i] += stats.drawn[k];
    }
  return NULL;
}

/* Draws @view into @surface tile by tile on @n_threads threads. */
static gboolean
render_tiled (Tiled *t, guint n_threads, cairo_surface_t *surface, guint64 *features)
{
  g_autofree GThread **threads = g_new0 (GThread *, n_threads);
  g_autofree Worker *workers = g_new0 (Worker, n_threads);
  double background[3];
  cairo_t *cr;

  t->cols = (t->view->width + TILE - 1) / TILE;
  t->rows = (t->view->height + TILE - 1) / TILE;
  t->tiles = g_new0 (cairo_surface_t *, t->cols * t->rows);
  t->drawn = g_new0 (guint64, t->cols * t->rows);
  t->next = 0;
  for (guint i = 0; i < n_threads; i++)
    {
      workers[i].t = t;
      workers[i].index = i;
      threads[i] = g_thread_new ("tile", tile_worker, &workers[i]);
    }
  for (guint i = 0; i < n_threads; i++)
    g_thread_join (threads[i]);
  /* the land under the tiles, as the map view paints it */
  cr = cairo_create (surface);
  ngam_render_background_rgb (background);
  cairo_set_source_rgb (cr, background[0], background[1], background[2]);
  cairo_paint (cr);
  *features = 0;
  for (int i = 0; i < t->cols * t->rows; i++)
    {
      cairo_set_source_surface (cr, t->tiles[i], (i % t->cols) * TILE, (i / t->cols) * TILE);
      cairo_paint (cr);
      cairo_surface_destroy (t->tiles[i]);
      *features += t->drawn[i];
    }
  cairo_destroy (cr);
  g_clear_pointer (&t->tiles, g_free);
  g_clear_pointer (&t->drawn, g_free);
  return t->error == NULL;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = NULL;
  double extent[4], t = 0;
  int width, height;
  NgamRenderView view;
  NgamRenderFlags flags = NGAM_RENDER_DEFAULT;
  guint layers = NGAM_RENDER_ALL_LAYERS;
  guint64 features = 0;
  cairo_surface_t *surface;
  int passes = g_getenv ("NGAM_RENDER_VIEW_PASSES") ? MAX (1, atoi (g_getenv ("NGAM_RENDER_VIEW_PASSES"))) : 2;

  if (argc < 5 || (width = atoi (argv[2])) < 16 || (height = atoi (argv[3])) < 16)
    {
      g_printerr ("usage: render-view PROJECT.ngam WIDTH HEIGHT full|M_PER_PX [OUT.png] [no-lod]\n");
      return 2;
    }
  if (argc > 6 && strcmp (argv[6], "no-lod") == 0)
    flags |= NGAM_RENDER_NO_LOD;
  /* NGAM_RENDER_VIEW_LAYERS=streets,routes draws those layers only, to
   * see where the time goes. */
  if (g_getenv ("NGAM_RENDER_VIEW_LAYERS") != NULL)
    {
      g_auto(GStrv) names = g_strsplit (g_getenv ("NGAM_RENDER_VIEW_LAYERS"), ",", -1);

      layers = 0;
      for (guint i = 0; names[i] != NULL; i++)
        for (guint k = 0; k < NGAM_N_LAYERS; k++)
          if (g_str_equal (names[i], ngam_layer_info (k)->name))
            layers |= NGAM_RENDER_LAYER (k);
    }
  ngam_core_init ();
  store = ngam_store_open (argv[1], NGAM_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL || !ngam_store_get_extent (store, -1, extent, &error))
    {
      g_printerr ("render-view: %s\n", error ? error->message : "empty project");
      return 1;
    }
  view.center_x = (extent[0] + extent[2]) / 2;
  view.center_y = (extent[1] + extent[3]) / 2;
  view.width = width;
  view.height = height;
  view.scale = strcmp (argv[4], "full") == 0
               ? MAX ((extent[2] - extent[0]) / width, (extent[3] - extent[1]) / height)
               : g_ascii_strtod (argv[4], NULL);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  if (g_getenv ("NGAM_RENDER_VIEW_THREADS") != NULL)
    {
      guint n = CLAMP (atoi (g_getenv ("NGAM_RENDER_VIEW_THREADS")), 1, 64);
      Tiled tiled = { &view, layers, flags };

      g_mutex_init (&tiled.lock);
      tiled.stores = g_new0 (NgamStore *, n);
      for (guint i = 0; i < n; i++)
        if ((tiled.stores[i] = ngam_store_open (argv[1], NGAM_STORE_OPEN_READ_ONLY, &error)) == NULL)
          {
            g_printerr ("render-view: %s\n", error->message);
            return 1;
          }
      for (int pass = 0; pass < passes; pass++)
        {
          gint64 t0 = g_get_monotonic_time ();
          double dt;

          if (!render_tiled (&tiled, n, surface, &features))
            {
              g_printerr ("render-view: %s\n", tiled.error->message);
              return 1;
            }
          dt = (g_get_monotonic_time () - t0) / 1e6;
          if (pass <= 1 || dt < t)
            t = dt;
        }
      for (guint i = 0; i < n; i++)
        ngam_store_close (tiled.stores[i]);
      g_free (tiled.stores);
    }
  for (int pass = 0; g_getenv ("NGAM_RENDER_VIEW_THREADS") == NULL && pass < passes; pass++)
    {
      NgamRenderStats stats;
      cairo_t *cr = cairo_create (surface);
      gint64 t0 = g_get_monotonic_time ();
      double dt;

      if (!ngam_render_map (store, cr, &view, layers, flags, &stats, NULL, &error))
        {
          g_printerr ("render-view: %s\n", error->message);
          return 1;
        }
      cairo_destroy (cr);
      dt = (g_get_monotonic_time () - t0) / 1e6;
      if (pass <= 1 || dt < t)
        t = dt;
      features = 0;
      for (guint k = 0; k < NGAM_N_LAYERS; k++)
        features += stats.drawn[k];
      /* NGAM_RENDER_VIEW_STATS: what each layer drew, on standard error */
      for (guint k = 0; pass == 1 && g_getenv ("NGAM_RENDER_VIEW_STATS") != NULL && k < NGAM_N_LAYERS; k++)
        g_printerr ("%s %u\n", ngam_layer_info (k)->name, (guint) stats.drawn[k]);
    }
  if (argc > 5 && *argv[5])
    cairo_surface_write_to_png (surface, argv[5]);
  cairo_surface_destroy (surface);
  g_print ("%.3f %" G_GUINT64_FORMAT " %.4f %.3f %.3f\n", t, features, view.scale, view.center_x, view.center_y);
  return 0;
}
