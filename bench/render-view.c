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
 */
#include "config.h"

#include <cairo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-render.h"

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
  for (int pass = 0; pass < 2; pass++)
    {
      NgamRenderStats stats;
      cairo_t *cr = cairo_create (surface);
      gint64 t0 = g_get_monotonic_time ();

      if (!ngam_render_map (store, cr, &view, layers, flags, &stats, NULL, &error))
        {
          g_printerr ("render-view: %s\n", error->message);
          return 1;
        }
      cairo_destroy (cr);
      t = (g_get_monotonic_time () - t0) / 1e6;
      features = 0;
      for (guint k = 0; k < NGAM_N_LAYERS; k++)
        features += stats.drawn[k];
    }
  if (argc > 5 && *argv[5])
    cairo_surface_write_to_png (surface, argv[5]);
  cairo_surface_destroy (surface);
  g_print ("%.3f %" G_GUINT64_FORMAT " %.4f %.3f %.3f\n", t, features, view.scale, view.center_x, view.center_y);
  return 0;
}
