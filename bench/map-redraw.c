/* map-redraw.c — the desktop map's redraw from cached tiles after a pan
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The editor issue's 60 Hz goal: once the tiles of a view are in the
 * cache, a pan must be redrawn within one frame (16.7 ms).  The map view
 * of the window (NgamMapView, the same widget, worker threads and cache)
 * is shown WIDTH×HEIGHT under Xvfb with GTK's cairo renderer, the
 * software path a machine without GPU takes; at each scale it waits for
 * every tile, then pans back and forth by 24 px (the tiles stay those of
 * the cache) FRAMES times, and times each frame GTK draws on the window's
 * frame clock, before-paint to after-paint: layout, the snapshot (which
 * tiles, where, stand-ins), the render of the nodes into the window's
 * pixels and the present.  Tiles rendered during the pans
 * are counted: 0 means every frame came from the cache.
 *
 * With "window" after FRAMES the map is that of the application's window
 * (NgamWindow: header bar, sidebar, the map view with its result and edit
 * layers over it, a plan shown if the project has one), the frame all of
 * it, as a planner sees it; there is no present floor then, and the
 * frames composed by hand are the map view's.
 *
 * Usage: map-redraw PROJECT [WIDTH HEIGHT [FRAMES [window]]]
 * Prints per scale: scale, tiles cached, median, 95th percentile and worst
 * frame in ms, tiles rendered while panning; then the same for the window
 * with no layer shown ("no-layers") and for the present floor, the window
 * of that size repainted whole in one colour ("present-floor").
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ngam-core.h"
#include "ngam-ui.h"

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
wait_for (NgamMapView *map)
{
  gint64 deadline = g_get_monotonic_time () + 600 * G_USEC_PER_SEC;

  iterate ();
  while (!(gtk_widget_get_mapped (GTK_WIDGET (map)) && gtk_widget_get_width (GTK_WIDGET (map)) > 0 &&
           !ngam_map_view_get_loading (map)))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the map did not finish drawing in 600 s");
      g_main_context_iteration (NULL, TRUE);
    }
  iterate ();
}

/* One frame as GTK draws it, timed on the window's frame clock: from the
 * start of its before-paint phase to the end of after-paint (layout, the
 * snapshot of every widget, the render of the nodes and the X11 present). */
typedef struct
{
  gint64   t0, t_layout, t_paint;
  double   ms;
  gboolean done;
} Frame;

static double layout_ms_total, paint_ms_total;

static void
after_layout (GdkFrameClock *clock,
              Frame         *f)
{
  f->t_layout = g_get_monotonic_time ();
}

static void
after_paint_phase (GdkFrameClock *clock,
                   Frame         *f)
{
  f->t_paint = g_get_monotonic_time ();
}

static void
before_paint (GdkFrameClock *clock,
              Frame         *f)
{
  f->t0 = g_get_monotonic_time ();
}

static void
after_paint (GdkFrameClock *clock,
             Frame         *f)
{
  if (f->t0 == 0)
    return;
  f->ms = (g_get_monotonic_time () - f->t0) / 1000.0;
  if (f->t_layout > 0 && f->t_paint > 0)
    {
      layout_ms_total += (f->t_layout - f->t0) / 1000.0;
      paint_ms_total += (f->t_paint - f->t_layout) / 1000.0;
    }
  f->done = TRUE;
}

static double
pan_frame_ms (NgamViewport *vp,
              GdkFrameClock *clock,
              double         x,
              double         y)
{
  Frame f = { 0 };
  gulong b = g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint), &f);
  gulong a = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint), &f);
  gulong l = g_signal_connect (clock, "layout", G_CALLBACK (after_layout), &f);
  gulong p = g_signal_connect (clock, "paint", G_CALLBACK (after_paint_phase), &f);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  ngam_viewport_set_center (vp, x, y);
  while (!f.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, b);
  g_signal_handler_disconnect (clock, a);
  g_signal_handler_disconnect (clock, l);
  g_signal_handler_disconnect (clock, p);
  if (!f.done)
    g_error ("no frame was drawn after the pan");
  return f.ms;
}

/* The floor of GTK's present on this display: a window of the same size
 * whose whole area changes in every frame with nothing to compose (one
 * colour, alternating), so that every pixel is damaged and sent, as on a
 * pan of the map. */
static guint floor_frame;

static void
draw_floor (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        data)
{
  if (floor_frame % 2 == 0)
    cairo_set_source_rgb (cr, 0.95, 0.94, 0.90);
  else
    cairo_set_source_rgb (cr, 0.94, 0.95, 0.90);
  cairo_paint (cr);
}

static double
floor_frame_ms (GtkWidget     *area,
                GdkFrameClock *clock)
{
  Frame f = { 0 };
  gulong b = g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint), &f);
  gulong a = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint), &f);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  floor_frame++;
  gtk_widget_queue_draw (area);
  while (!f.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, b);
  g_signal_handler_disconnect (clock, a);
  if (!f.done)
    g_error ("no frame was drawn");
  return f.ms;
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamProject) project = NULL;
  int width = argc > 3 ? atoi (argv[2]) : 1600, height = argc > 3 ? atoi (argv[3]) : 1000;
  int frames = argc > 4 ? atoi (argv[4]) : 60;
  gboolean whole_window = argc > 5 && g_str_equal (argv[5], "window");
  double extent[4], cx, cy, scales[5];
  GtkWidget *window, *map;
  NgamViewport *vp;

  if (argc < 2)
    {
      fprintf (stderr, "usage: map-redraw PROJECT [WIDTH HEIGHT [FRAMES [window]]]\n");
      return 2;
    }
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
  g_set_prgname ("map-redraw");
  g_set_application_name ("map-redraw");
  gtk_init ();
  adw_init ();
  ngam_core_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  project = ngam_project_open (argv[1], NGAM_PROJECT_OPEN_READ_ONLY, NULL, NULL, NULL, &error);
  if (project == NULL)
    g_error ("%s", error->message);
  if (!ngam_project_get_extent (project, extent))
    g_error ("%s is empty", argv[1]);
  cx = (extent[0] + extent[2]) / 2;
  cy = (extent[1] + extent[3]) / 2;

  if (whole_window)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[1]);

      g_clear_object (&project);
      window = GTK_WIDGET (ngam_window_new (NULL));
      gtk_window_set_default_size (GTK_WINDOW (window), width, height);
      gtk_window_present (GTK_WINDOW (window));
      if (!ngam_window_open (NGAM_WINDOW (window), file, &error))
        g_error ("%s", error->message);
      map = GTK_WIDGET (ngam_window_get_map_view (NGAM_WINDOW (window)));
    }
  else
    {
      window = gtk_window_new ();
      map = ngam_map_view_new ();
      gtk_window_set_child (GTK_WINDOW (window), map);
      gtk_window_set_default_size (GTK_WINDOW (window), width, height);
      gtk_window_present (GTK_WINDOW (window));
      ngam_map_view_set_project (NGAM_MAP_VIEW (map), project);
    }
  vp = ngam_map_view_get_viewport (NGAM_MAP_VIEW (map));

  scales[0] = 0.5;
  scales[1] = 2;
  scales[2] = 8;
  scales[3] = 32;
  scales[4] = MAX ((extent[2] - extent[0]) / width, (extent[3] - extent[1]) / height) * 1.05;
  printf ("# %s, %d×%d px, %d frames per scale, GSK_RENDERER=%s\n", argv[1], width, height, frames,
          g_getenv ("GSK_RENDERER"));
  printf ("# scale_m_per_px tiles_cached median_ms p95_ms worst_ms tiles_rendered_while_panning\n");
  for (guint s = 0; s < G_N_ELEMENTS (scales); s++)
    {
      g_autofree double *ms = g_new (double, frames);
      NgamTileCache *cache = ngam_map_view_get_tile_cache (NGAM_MAP_VIEW (map));
      GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
      guint64 rendered;
      double scale = scales[s];

      ngam_viewport_set_scale (vp, scale);
      ngam_viewport_set_center (vp, cx, cy);
      /* Both places of the pan in the cache first. */
      wait_for (NGAM_MAP_VIEW (map));
      ngam_viewport_set_center (vp, cx + 24 * scale, cy);
      wait_for (NGAM_MAP_VIEW (map));
      ngam_viewport_set_center (vp, cx, cy);
      wait_for (NGAM_MAP_VIEW (map));
      rendered = ngam_map_view_get_n_rendered (NGAM_MAP_VIEW (map));
      for (int i = 0; i < frames; i++)
        {
          ms[i] = pan_frame_ms (vp, clock, cx + (i % 2 == 0 ? 24 : 0) * scale, cy);
          /* The same frame again by hand, its parts timed apart. */
          {
            g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (map);
            GtkSnapshot *snapshot = gtk_snapshot_new ();
            g_autoptr(GskRenderNode) node = NULL;
            g_autoptr(GdkTexture) texture = NULL;
            int w = gtk_widget_get_width (map), h = gtk_widget_get_height (map);
            gint64 t0 = g_get_monotonic_time (), t1;

            gdk_paintable_snapshot (paintable, snapshot, w, h);
            node = gtk_snapshot_free_to_node (snapshot);
            t1 = g_get_monotonic_time ();
            if (node != NULL)
              texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                                     &GRAPHENE_RECT_INIT (0, 0, w, h));
            layout_ms_total += (t1 - t0) / 1000.0;
            paint_ms_total += (g_get_monotonic_time () - t1) / 1000.0;
          }
        }
      rendered = ngam_map_view_get_n_rendered (NGAM_MAP_VIEW (map)) - rendered;
      g_printerr ("# %.2f m/px, by hand: snapshot %.2f ms, render to a texture %.2f ms a frame\n", scale,
                  layout_ms_total / frames, paint_ms_total / frames);
      layout_ms_total = paint_ms_total = 0;
      qsort (ms, frames, sizeof *ms, cmp_double);
      printf ("%.2f %u %.2f %.2f %.2f %" G_GUINT64_FORMAT "\n", scale, ngam_tile_cache_get_size (cache),
              ms[frames / 2], ms[(int) floor (0.95 * (frames - 1))], ms[frames - 1], rendered);
      fflush (stdout);
    }
  /* The floor of this display path: the same window and pans with no
   * layer shown (the land colour and the scale bar only). */
  {
    g_autofree double *ms = g_new (double, frames);
    GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

    ngam_map_view_set_visible_layers (NGAM_MAP_VIEW (map), 0);
    wait_for (NGAM_MAP_VIEW (map));
    for (int i = 0; i < frames; i++)
      ms[i] = pan_frame_ms (vp, clock, cx + (i % 2 == 0 ? 24 : 0) * scales[0], cy);
    qsort (ms, frames, sizeof *ms, cmp_double);
    printf ("no-layers 0 %.2f %.2f %.2f 0\n", ms[frames / 2], ms[(int) floor (0.95 * (frames - 1))], ms[frames - 1]);
  }
  /* The floor of the present itself: the whole window damaged in every
   * frame, nothing composed (see draw_floor()). */
  if (!whole_window)
  {
    g_autofree double *ms = g_new (double, frames);
    GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
    GtkWidget *area = gtk_drawing_area_new ();

    gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_floor, NULL, NULL);
    gtk_window_set_child (GTK_WINDOW (window), area);
    iterate ();
    for (int i = 0; i < frames; i++)
      ms[i] = floor_frame_ms (area, clock);
    qsort (ms, frames, sizeof *ms, cmp_double);
    printf ("present-floor 0 %.2f %.2f %.2f 0\n", ms[frames / 2], ms[(int) floor (0.95 * (frames - 1))],
            ms[frames - 1]);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
