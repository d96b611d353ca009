/* test-map-units.c — the map view's parts that need no display: viewport
 * maths, the tile pyramid, the LRU tile cache, the tile loader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-test-util.h"
#include "ngam-ui.h"
#include "render-scene.h"

#define assert_close(a, b) g_assert_cmpfloat_with_epsilon ((a), (b), 1e-6 * MAX (1.0, fabs ((double) (b))))

static guint notifications;

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  notifications++;
}

static void
test_viewport_transform (void)
{
  g_autoptr(NgamViewport) vp = ngam_viewport_new ();
  double px, py, x, y;

  ngam_viewport_set_center (vp, 560000, 1820000);
  ngam_viewport_set_scale (vp, 2);
  /* The centre is the middle of the widget; north is up. */
  ngam_viewport_to_widget (vp, 800, 600, 560000, 1820000, &px, &py);
  assert_close (px, 400);
  assert_close (py, 300);
  ngam_viewport_to_widget (vp, 800, 600, 560100, 1820100, &px, &py);
  assert_close (px, 450);
  assert_close (py, 250);
  ngam_viewport_from_widget (vp, 800, 600, 0, 0, &x, &y);
  assert_close (x, 560000 - 800);
  assert_close (y, 1820000 + 600);
  /* Round trip anywhere. */
  for (int i = 0; i < 50; i++)
    {
      double wx = 559000 + 37.3 * i, wy = 1819000 + 51.9 * i;

      ngam_viewport_to_widget (vp, 800, 600, wx, wy, &px, &py);
      ngam_viewport_from_widget (vp, 800, 600, px, py, &x, &y);
      assert_close (x, wx);
      assert_close (y, wy);
    }
}

static void
test_viewport_pan (void)
{
  g_autoptr(NgamViewport) vp = ngam_viewport_new ();
  double px, py;

  ngam_viewport_set_center (vp, 1000, 2000);
  ngam_viewport_set_scale (vp, 0.5);
  /* Dragging the content 100 px right and 40 px down moves the world point
   * under the pointer with it. */
  ngam_viewport_pan (vp, 100, 40);
  assert_close (ngam_viewport_get_center_x (vp), 1000 - 50);
  assert_close (ngam_viewport_get_center_y (vp), 2000 + 20);
  ngam_viewport_to_widget (vp, 400, 400, 1000, 2000, &px, &py);
  assert_close (px, 200 + 100);
  assert_close (py, 200 + 40);
}

static void
test_viewport_zoom (void)
{
  g_autoptr(NgamViewport) vp = ngam_viewport_new ();
  const double factors[] = { 2, 0.5, 1.4142, 3, 0.1 };
  double x0, y0, x1, y1;

  ngam_viewport_set_center (vp, 560000, 1820000);
  ngam_viewport_set_scale (vp, 4);
  for (guint i = 0; i < G_N_ELEMENTS (factors); i++)
    {
      double scale = ngam_viewport_get_scale (vp);

      /* The world point under the pointer stays under it. */
      ngam_viewport_from_widget (vp, 800, 600, 123, 456, &x0, &y0);
      ngam_viewport_zoom_at (vp, factors[i], 800, 600, 123, 456);
      ngam_viewport_from_widget (vp, 800, 600, 123, 456, &x1, &y1);
      assert_close (x1, x0);
      assert_close (y1, y0);
      assert_close (ngam_viewport_get_scale (vp), scale / factors[i]);
    }

  /* At the limits the scale clamps, and the pointer point still holds. */
  ngam_viewport_set_scale (vp, NGAM_VIEWPORT_MIN_SCALE * 1.5);
  ngam_viewport_from_widget (vp, 800, 600, 700, 20, &x0, &y0);
  ngam_viewport_zoom_at (vp, 100, 800, 600, 700, 20);
  g_assert_cmpfloat (ngam_viewport_get_scale (vp), ==, NGAM_VIEWPORT_MIN_SCALE);
  ngam_viewport_from_widget (vp, 800, 600, 700, 20, &x1, &y1);
  assert_close (x1, x0);
  assert_close (y1, y0);
  ngam_viewport_set_scale (vp, 1e9);
  g_assert_cmpfloat (ngam_viewport_get_scale (vp), ==, NGAM_VIEWPORT_MAX_SCALE);
}

static void
test_viewport_fit (void)
{
  g_autoptr(NgamViewport) vp = ngam_viewport_new ();
  const double wide[4] = { 1000, 2000, 3000, 2500 };
  const double tall[4] = { 0, 0, 100, 1000 };
  const double empty[4] = { 10, 10, 0, 0 };
  const double point[4] = { 7, 8, 7, 8 };
  double px, py;

  g_assert_true (ngam_viewport_fit (vp, wide, 1000, 500, 0));
  assert_close (ngam_viewport_get_scale (vp), 2);
  assert_close (ngam_viewport_get_center_x (vp), 2000);
  assert_close (ngam_viewport_get_center_y (vp), 2250);
  /* With a margin, the box's corners land inside it. */
  g_assert_true (ngam_viewport_fit (vp, tall, 600, 500, 50));
  ngam_viewport_to_widget (vp, 600, 500, 0, 1000, &px, &py);
  g_assert_cmpfloat (py, >=, 50 - 1e-9);
  g_assert_cmpfloat (px, >=, 50 - 1e-9);
  ngam_viewport_to_widget (vp, 600, 500, 100, 0, &px, &py);
  g_assert_cmpfloat (py, <=, 450 + 1e-9);
  /* Nothing to fit, or nowhere to fit it: unchanged. */
  g_assert_false (ngam_viewport_fit (vp, empty, 600, 500, 0));
  g_assert_false (ngam_viewport_fit (vp, wide, 40, 40, 30));
  /* A single point: street level. */
  g_assert_true (ngam_viewport_fit (vp, point, 600, 500, 10));
  assert_close (ngam_viewport_get_center_x (vp), 7);
  assert_close (ngam_viewport_get_scale (vp), 1);
}

/* Gestures fire often: one change notifies each property once. */
static void
test_viewport_notify (void)
{
  g_autoptr(NgamViewport) vp = ngam_viewport_new ();

  g_signal_connect (vp, "notify", G_CALLBACK (count_notify), NULL);
  notifications = 0;
  ngam_viewport_set_center (vp, 5, 6);
  g_assert_cmpuint (notifications, ==, 2);
  ngam_viewport_set_center (vp, 5, 6);
  g_assert_cmpuint (notifications, ==, 2);
  ngam_viewport_zoom_at (vp, 2, 100, 100, 10, 10);
  g_assert_cmpuint (notifications, ==, 5);
  ngam_viewport_set_scale (vp, ngam_viewport_get_scale (vp));
  g_assert_cmpuint (notifications, ==, 5);
  g_object_set (vp, "scale", 3.0, NULL);
  g_assert_cmpuint (notifications, ==, 6);
}

static void
test_tile_levels (void)
{
  /* Half-octave levels: the nearest in log terms. */
  g_assert_cmpint (ngam_tile_level_for_scale (1), ==, 0);
  g_assert_cmpint (ngam_tile_level_for_scale (2), ==, 2);
  g_assert_cmpint (ngam_tile_level_for_scale (sqrt (2)), ==, 1);
  g_assert_cmpint (ngam_tile_level_for_scale (0.25), ==, -4);
  g_assert_cmpint (ngam_tile_level_for_scale (1.15), ==, 0);
  g_assert_cmpint (ngam_tile_level_for_scale (1.25), ==, 1);
  for (int level = -12; level <= 20; level++)
    g_assert_cmpint (ngam_tile_level_for_scale (ngam_tile_level_scale (level)), ==, level);
  /* Any scale is within a quarter octave of its level's: a tile is never
   * stretched or shrunk by more than 2^(1/4) on screen. */
  for (double s = 0.02; s < 2000; s *= 1.07)
    {
      double ratio = ngam_tile_level_scale (ngam_tile_level_for_scale (s)) / s;

      g_assert_cmpfloat (ratio, >=, exp2 (-0.25) - 1e-9);
      g_assert_cmpfloat (ratio, <=, exp2 (0.25) + 1e-9);
    }
}

static void
test_tile_bbox (void)
{
  NgamTileKey k = { 0 }, parent = { 0 };
  double b[4], p[4];

  k.level = 2;   /* 2 m/px: 512 m tiles */
  k.x = 3;
  k.y = -5;
  ngam_tile_key_get_bbox (&k, b);
  assert_close (b[0], 1536);
  assert_close (b[2], 2048);
  assert_close (b[3], 2560);   /* row -5 is north of the origin */
  assert_close (b[1], 2048);

  /* Two levels up, the tile containing it covers it exactly 2×2. */
  parent.level = 4;
  parent.x = 1;    /* floor (3 / 2) */
  parent.y = -3;   /* floor (-5 / 2) */
  ngam_tile_key_get_bbox (&parent, p);
  g_assert_cmpfloat (p[0], <=, b[0]);
  g_assert_cmpfloat (p[1], <=, b[1]);
  g_assert_cmpfloat (p[2], >=, b[2]);
  g_assert_cmpfloat (p[3], >=, b[3]);
  assert_close (p[2] - p[0], 2 * (b[2] - b[0]));
}

static GdkTexture *
texture (int side, guint8 value)
{
  g_autoptr(GBytes) bytes = NULL;
  guint8 *data = g_malloc (side * side * 4);

  memset (data, value, side * side * 4);
  bytes = g_bytes_new_take (data, side * side * 4);
  return gdk_memory_texture_new (side, side, GDK_MEMORY_DEFAULT, bytes, side * 4);
}

static NgamTileKey
key (int x)
{
  NgamTileKey k = { 0 };

  k.x = x;
  k.layers = NGAM_RENDER_ALL_LAYERS;
  k.scale_factor = 1;
  return k;
}

static void
test_cache_lru (void)
{
  /* Room for three 16×16 tiles. */
  g_autoptr(NgamTileCache) cache = ngam_tile_cache_new (3 * 16 * 16 * 4);
  NgamTileKey k0 = key (0), k1 = key (1), k2 = key (2), k3 = key (3), other = key (1);

  for (int i = 0; i < 3; i++)
    {
      NgamTileKey k = key (i);
      g_autoptr(GdkTexture) t = texture (16, i);

      ngam_tile_cache_insert (cache, &k, t);
    }
  g_assert_cmpuint (ngam_tile_cache_get_size (cache), ==, 3);
  g_assert_cmpuint (ngam_tile_cache_get_bytes (cache), ==, 3 * 16 * 16 * 4);

  /* Touch tile 0: tile 1 is now the least recently used and goes first. */
  g_assert_nonnull (ngam_tile_cache_lookup (cache, &k0));
  {
    g_autoptr(GdkTexture) t = texture (16, 3);

    ngam_tile_cache_insert (cache, &k3, t);
  }
  g_assert_cmpuint (ngam_tile_cache_get_size (cache), ==, 3);
  g_assert_null (ngam_tile_cache_peek (cache, &k1));
  g_assert_nonnull (ngam_tile_cache_peek (cache, &k0));
  g_assert_nonnull (ngam_tile_cache_peek (cache, &k2));
  g_assert_nonnull (ngam_tile_cache_peek (cache, &k3));

  /* Hits and misses are counted by lookup, not by peek. */
  g_assert_cmpuint (ngam_tile_cache_get_hits (cache), ==, 1);
  g_assert_null (ngam_tile_cache_lookup (cache, &k1));
  g_assert_nonnull (ngam_tile_cache_lookup (cache, &k2));
  g_assert_cmpuint (ngam_tile_cache_get_hits (cache), ==, 2);
  g_assert_cmpuint (ngam_tile_cache_get_misses (cache), ==, 1);

  /* Any field of the key makes another tile. */
  other.layers &= ~NGAM_RENDER_LAYER (NGAM_LAYER_POLES);
  g_assert_null (ngam_tile_cache_peek (cache, &other));
  other = key (2);
  other.generation = 1;
  g_assert_null (ngam_tile_cache_peek (cache, &other));
  other = key (2);
  other.scale_factor = 2;
  g_assert_null (ngam_tile_cache_peek (cache, &other));

  /* Replacing a tile keeps the byte count right. */
  {
    g_autoptr(GdkTexture) t = texture (16, 9);

    ngam_tile_cache_insert (cache, &k2, t);
    g_assert_true (ngam_tile_cache_peek (cache, &k2) == t);
  }
  g_assert_cmpuint (ngam_tile_cache_get_bytes (cache), ==, 3 * 16 * 16 * 4);

  /* One tile bigger than the budget is still kept (alone). */
  {
    NgamTileKey big = key (10);
    g_autoptr(GdkTexture) t = texture (64, 1);

    ngam_tile_cache_insert (cache, &big, t);
    g_assert_cmpuint (ngam_tile_cache_get_size (cache), ==, 1);
    g_assert_nonnull (ngam_tile_cache_peek (cache, &big));
  }
  ngam_tile_cache_clear (cache);
  g_assert_cmpuint (ngam_tile_cache_get_size (cache), ==, 0);
  g_assert_cmpuint (ngam_tile_cache_get_bytes (cache), ==, 0);
}

/* Many tiles through the cache: lookup and insert stay O(1). */
static void
test_cache_many (void)
{
  g_autoptr(NgamTileCache) cache = ngam_tile_cache_new (500 * 4 * 4 * 4);
  g_autoptr(GdkTexture) t = texture (4, 0);
  gint64 start = g_get_monotonic_time ();

  for (int i = 0; i < 200000; i++)
    {
      NgamTileKey k = key (i);

      ngam_tile_cache_insert (cache, &k, t);
      k = key (i / 2);
      ngam_tile_cache_lookup (cache, &k);
    }
  g_assert_cmpuint (ngam_tile_cache_get_size (cache), ==, 500);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

typedef struct
{
  GMainLoop  *loop;
  GdkTexture *texture;
  GError     *error;
} AsyncResult;

static void
rendered (GObject *source, GAsyncResult *result, gpointer data)
{
  AsyncResult *r = data;

  r->texture = ngam_tile_loader_render_finish (NGAM_TILE_LOADER (source), result, &r->error);
  g_main_loop_quit (r->loop);
}

/* The loader draws tiles on worker threads with its own connections. */
static void
test_loader (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "scene.ngam", NULL);
  g_autofree char *gone = g_build_filename (dir, "gone.ngam", NULL);
  g_autoptr(NgamTileLoader) loader = NULL;
  g_autoptr(NgamProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) t = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  AsyncResult r = { 0 };
  NgamTileKey k = key (0);

  scene_write (path);
  project = ngam_project_open (path, NGAM_PROJECT_OPEN_DEFAULT, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  loader = ngam_tile_loader_new (project);
  /* The tile holding the scene's centre at 1 m/px. */
  k.x = (int) floor (SCENE_X / NGAM_TILE_SIZE);
  k.y = (int) floor (-SCENE_Y / NGAM_TILE_SIZE);
  k.scale_factor = 2;

  r.loop = g_main_loop_new (NULL, FALSE);
  ngam_tile_loader_render_async (loader, &k, NULL, rendered, &r);
  g_main_loop_run (r.loop);
  g_assert_no_error (r.error);
  g_assert_nonnull (r.texture);
  /* HiDPI: twice the pixels. */
  g_assert_cmpint (gdk_texture_get_width (r.texture), ==, 2 * NGAM_TILE_SIZE);
  g_clear_object (&r.texture);

  /* A cancelled request reports so, and gives its connection back. */
  g_cancellable_cancel (cancelled);
  ngam_tile_loader_render_async (loader, &k, cancelled, rendered, &r);
  g_main_loop_run (r.loop);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);

  /* Reused, not reopened. */
  t = ngam_tile_loader_render (loader, &k, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ngam_tile_loader_get_n_stores (loader), ==, 1);
  g_main_loop_unref (r.loop);
  g_clear_object (&loader);
  g_clear_object (&project);

  /* A project whose file went away under it: the error names it. */
  scene_write (gone);
  project = ngam_project_open (gone, NGAM_PROJECT_OPEN_READ_ONLY, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_unlink (gone), ==, 0);
  loader = ngam_tile_loader_new (project);
  g_assert_null (ngam_tile_loader_render (loader, &k, NULL, &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, gone));
  g_clear_object (&loader);
  g_clear_object (&project);
  ngam_test_rmdir (dir);
}

/* A change marks stale exactly the tiles it touches (with the symbols'
 * margin), of the layers it touches: at level 0 a tile is 256 m a side,
 * tile (x, y) covering eastings [256x, 256x + 256) and northings
 * (-256(y + 1), -256y]. */
static void
test_cache_stale (void)
{
  g_autoptr(NgamTileCache) cache = ngam_tile_cache_new (64 * 16 * 16 * 4);
  const double near_left[4] = { 10, -10, 10, -10 };      /* inside (0, 0), far from its edges */
  const double near_edge[4] = { 250, -10, 250, -10 };    /* 6 m from (1, 0) */
  NgamTileKey k00 = key (0), k10 = key (1), k01 = key (0), spans_only = key (2);

  k01.y = 1;
  spans_only.layers = NGAM_RENDER_LAYER (NGAM_LAYER_SPANS);
  {
    NgamTileKey keys[] = { k00, k10, k01, spans_only };

    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      {
        g_autoptr(GdkTexture) t = texture (16, i);

        ngam_tile_cache_insert (cache, &keys[i], t);
      }
  }
  g_assert_true (ngam_tile_key_touches (&k00, NGAM_RENDER_LAYER (NGAM_LAYER_POLES), near_left, 16));
  g_assert_false (ngam_tile_key_touches (&k10, NGAM_RENDER_LAYER (NGAM_LAYER_POLES), near_left, 16));
  g_assert_true (ngam_tile_key_touches (&k10, NGAM_RENDER_LAYER (NGAM_LAYER_POLES), near_edge, 16));
  g_assert_false (ngam_tile_key_touches (&k10, NGAM_RENDER_LAYER (NGAM_LAYER_POLES), near_edge, 4));
  g_assert_false (ngam_tile_key_touches (&k01, NGAM_RENDER_LAYER (NGAM_LAYER_POLES), near_edge, 16));

  g_assert_cmpuint (ngam_tile_cache_mark_stale (cache, NGAM_RENDER_LAYER (NGAM_LAYER_POLES), near_left, 16), ==, 1);
  g_assert_null (ngam_tile_cache_peek (cache, &k00));
  g_assert_nonnull (ngam_tile_cache_peek_any (cache, &k00));   /* still shown meanwhile */
  g_assert_null (ngam_tile_cache_lookup (cache, &k00));
  g_assert_nonnull (ngam_tile_cache_peek (cache, &k10));
  /* A change of spans everywhere: every tile that draws spans, once. */
  g_assert_cmpuint (ngam_tile_cache_mark_stale (cache, NGAM_RENDER_LAYER (NGAM_LAYER_SPANS), NULL, 16), ==, 3);
  /* A layer no tile of it draws: none. */
  g_assert_cmpuint (ngam_tile_cache_mark_stale (cache, 0, NULL, 16), ==, 0);
  /* A fresh picture replaces the stale one. */
  {
    g_autoptr(GdkTexture) t = texture (16, 9);

    ngam_tile_cache_insert (cache, &k00, t);
    g_assert_true (ngam_tile_cache_peek (cache, &k00) == t);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();

  g_test_add_func ("/map/viewport/transform", test_viewport_transform);
  g_test_add_func ("/map/viewport/pan", test_viewport_pan);
  g_test_add_func ("/map/viewport/zoom-about-pointer", test_viewport_zoom);
  g_test_add_func ("/map/viewport/fit", test_viewport_fit);
  g_test_add_func ("/map/viewport/notify", test_viewport_notify);
  g_test_add_func ("/map/tiles/levels", test_tile_levels);
  g_test_add_func ("/map/tiles/bbox", test_tile_bbox);
  g_test_add_func ("/map/cache/lru", test_cache_lru);
  g_test_add_func ("/map/cache/many", test_cache_many);
  g_test_add_func ("/map/cache/stale", test_cache_stale);
  g_test_add_func ("/map/loader/render", test_loader);
  return g_test_run ();
}
