/* bench-render.c — how fast core/render draws a project: map tiles at
 * several scales (what the map view does), and one big picture of the
 * whole project (what a report page does)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-render PROJECT.ngam [SIDE]
 *
 * Prints one line per scale: tiles drawn, features drawn, ms per tile;
 * then the whole extent drawn into SIDE×SIDE pixels (default 2048) with
 * every feature (no level of detail), as gdal_rasterize would burn it.
 */
#include "config.h"

#include <cairo.h>
#include <math.h>
#include <stdlib.h>

#include "ngam-core.h"
#include "ngam-render.h"

#define TILE 256

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

int
main (int argc, char **argv)
{
  static const double scales[] = { 0.5, 1, 2, 4, 8, 16 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = NULL;
  int side = argc > 2 ? atoi (argv[2]) : 2048;
  double extent[4];

  if (argc < 2 || side < 16)
    {
      g_printerr ("usage: bench-render PROJECT.ngam [SIDE]\n");
      return 2;
    }
  ngam_core_init ();
  store = ngam_store_open (argv[1], NGAM_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL || !ngam_store_get_extent (store, -1, extent, &error))
    {
      g_printerr ("bench-render: %s\n", error ? error->message : "empty project");
      return 1;
    }

  g_print ("%-8s %6s %10s %10s %9s\n", "m/px", "tiles", "features", "seconds", "ms/tile");
  for (guint s = 0; s < G_N_ELEMENTS (scales); s++)
    {
      double scale = scales[s], t0, t;
      double tile_m = TILE * scale;
      double cx = (extent[0] + extent[2]) / 2, cy = (extent[1] + extent[3]) / 2;
      guint64 features = 0;
      int n = 0;
      /* At most an 8×6 screenful of tiles around the centre, as a map
       * window shows; fewer when the project is smaller than that. */
      int nx = MIN (8, (int) ceil ((extent[2] - extent[0]) / tile_m));
      int ny = MIN (6, (int) ceil ((extent[3] - extent[1]) / tile_m));
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, TILE, TILE);

      t0 = now ();
      for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++)
          {
            NgamRenderView view = {
              cx + (i - nx / 2.0 + 0.5) * tile_m, cy + (j - ny / 2.0 + 0.5) * tile_m, scale, TILE, TILE
            };
            NgamRenderStats stats;
            cairo_t *cr = cairo_create (surface);

            if (!ngam_render_map (store, cr, &view, NGAM_RENDER_ALL_LAYERS, 0, &stats, NULL, &error))
              {
                g_printerr ("bench-render: %s\n", error->message);
                return 1;
              }
            cairo_destroy (cr);
            for (guint k = 0; k < NGAM_N_LAYERS; k++)
              features += stats.drawn[k];
            n++;
          }
      t = now () - t0;
      g_print ("%-8g %6d %10" G_GUINT64_FORMAT " %10.3f %9.2f\n", scale, n, features, t, 1000 * t / MAX (n, 1));
      cairo_surface_destroy (surface);
    }

  {
    double w = extent[2] - extent[0], h = extent[3] - extent[1];
    NgamRenderView view = { (extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2,
                            MAX (w, h) / side, side, side };
    NgamRenderStats stats;
    cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, side, side);
    cairo_t *cr = cairo_create (surface);
    guint64 features = 0;
    double t0 = now (), t;

    if (!ngam_render_map (store, cr, &view, NGAM_RENDER_ALL_LAYERS, NGAM_RENDER_NO_LOD, &stats, NULL, &error))
      {
        g_printerr ("bench-render: %s\n", error->message);
        return 1;
      }
    t = now () - t0;
    for (guint k = 0; k < NGAM_N_LAYERS; k++)
      features += stats.drawn[k];
    g_print ("whole extent %dx%d px at %.2f m/px, every feature: %" G_GUINT64_FORMAT " features in %.3f s\n",
             side, side, view.scale, features, t);
    if (g_getenv ("BENCH_PNG"))
      cairo_surface_write_to_png (surface, g_getenv ("BENCH_PNG"));
    cairo_destroy (cr);
    cairo_surface_destroy (surface);
  }
  return 0;
}
