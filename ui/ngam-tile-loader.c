/* ngam-tile-loader.c — renders map tiles on worker threads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A tile is one call of the core renderer (ngam_render_map_styled(), with
 * the layers' colour-by fields) into a cairo
 * image surface whose pixels become a GdkMemoryTexture, done in a GTask
 * thread so the main loop never waits on SQLite or cairo.
 *
 * An SQLite connection must never be used by two threads at once, and
 * opening one per tile would cost more than many tiles take to draw.  The
 * loader therefore keeps a pool of read-only connections to the project,
 * each asked of the NgamProject (ngam_project_open_reader()):
 * a worker takes one (or opens one when all are busy), renders, and gives
 * it back.  So each connection is only ever used by the one worker that
 * holds it, the number of connections never exceeds the number of tiles
 * rendering at once, and WAL mode lets them all read while the main
 * thread's connection writes.
 */
#define G_LOG_DOMAIN "ngam-ui"

#include "config.h"

#include <cairo.h>

#include "ngam-core.h"
#include "ngam-project.h"
#include "ngam-render.h"
#include "ngam-tile-loader.h"

struct _NgamTileLoader
{
  GObject      parent_instance;

  NgamProject *project;
  GAsyncQueue *stores;    /* idle NgamStore*, each read-only */
  guint        n_stores;  /* atomic: connections opened */
  GMutex       style_lock;
  char        *colour_by[NGAM_N_LAYERS];  /* under style_lock: the field, or NULL */
};

G_DEFINE_FINAL_TYPE (NgamTileLoader, ngam_tile_loader, G_TYPE_OBJECT)

static void
ngam_tile_loader_finalize (GObject *object)
{
  NgamTileLoader *self = NGAM_TILE_LOADER (object);
  NgamStore *store;

  /* Every task holds a reference, so no worker has a store out now. */
  while ((store = g_async_queue_try_pop (self->stores)) != NULL)
    ngam_store_close (store);
  g_async_queue_unref (self->stores);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    g_free (self->colour_by[k]);
  g_mutex_clear (&self->style_lock);
  g_object_unref (self->project);
  G_OBJECT_CLASS (ngam_tile_loader_parent_class)->finalize (object);
}

static void
ngam_tile_loader_class_init (NgamTileLoaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ngam_tile_loader_finalize;
}

static void
ngam_tile_loader_init (NgamTileLoader *self)
{
  self->stores = g_async_queue_new ();
  g_mutex_init (&self->style_lock);
}

/**
 * ngam_tile_loader_set_colour_by:
 * @field: (nullable): the text field colouring @kind, or NULL for the
 *   layer's usual look
 *
 * Tiles rendered from now on colour @kind by @field; the caller forgets
 * the tiles it holds of @kind.  Any thread.
 */
void
ngam_tile_loader_set_colour_by (NgamTileLoader *self,
                                NgamLayerKind   kind,
                                const char     *field)
{
  g_return_if_fail (NGAM_IS_TILE_LOADER (self));
  g_return_if_fail (kind < NGAM_N_LAYERS);

  g_mutex_lock (&self->style_lock);
  g_free (self->colour_by[kind]);
  self->colour_by[kind] = g_strdup (field);
  g_mutex_unlock (&self->style_lock);
}

/**
 * ngam_tile_loader_new:
 * @project: the project to draw; the workers read it through
 *   connections of their own
 */
NgamTileLoader *
ngam_tile_loader_new (NgamProject *project)
{
  NgamTileLoader *self;

  g_return_val_if_fail (NGAM_IS_PROJECT (project), NULL);

  self = g_object_new (NGAM_TYPE_TILE_LOADER, NULL);
  self->project = g_object_ref (project);
  return self;
}

/* Returns: (transfer none): the project drawn. */
NgamProject *
ngam_tile_loader_get_project (NgamTileLoader *self)
{
  return self->project;
}

/* Connections opened so far (for tests and diagnostics). */
guint
ngam_tile_loader_get_n_stores (NgamTileLoader *self)
{
  return g_atomic_int_get (&self->n_stores);
}

static NgamStore *
take_store (NgamTileLoader  *self,
            GError         **error)
{
  NgamStore *store = g_async_queue_try_pop (self->stores);

  if (store == NULL)
    {
      store = ngam_project_open_reader (self->project, error);
      if (store != NULL)
        g_atomic_int_inc (&self->n_stores);
    }
  return store;
}

static void
give_store (NgamTileLoader *self,
            NgamStore      *store)
{
  g_async_queue_push (self->stores, store);
}

static void
free_pixels (gpointer data)
{
  g_free (data);
}

#define SURFACE_KEY "ngam-cairo-surface"

/**
 * ngam_texture_new_for_pixels:
 * @pixels: (transfer full): a picture drawn by cairo in CAIRO_FORMAT_ARGB32,
 *   allocated with g_malloc()
 * @width: its width in pixels
 * @height: its height
 * @stride: bytes from one row to the next
 *
 * The picture as a texture, with the same pixels kept as a cairo surface
 * beside it (no copy) for ngam_texture_get_cairo_surface().  cairo's ARGB32
 * is premultiplied native-endian ARGB, which is what GDK_MEMORY_DEFAULT
 * names.
 *
 * Returns: (transfer full): the texture
 */
GdkTexture *
ngam_texture_new_for_pixels (guchar *pixels,
                             int     width,
                             int     height,
                             int     stride)
{
  static const cairo_user_data_key_t pixels_key;
  g_autoptr(GBytes) bytes = g_bytes_new_with_free_func (pixels, (gsize) stride * height, free_pixels, pixels);
  GdkTexture *texture = gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, stride);
  cairo_surface_t *cs = cairo_image_surface_create_for_data (pixels, CAIRO_FORMAT_ARGB32, width, height, stride);

  /* The surface holds the pixels too, since cairo reads them when it lets
   * go of a surface a picture still refers to, which may be after the
   * texture is gone. */
  cairo_surface_set_user_data (cs, &pixels_key, g_bytes_ref (bytes), (cairo_destroy_func_t) g_bytes_unref);
  g_object_set_data_full (G_OBJECT (texture), SURFACE_KEY, cs, (GDestroyNotify) cairo_surface_destroy);
  return texture;
}

/**
 * ngam_texture_get_cairo_surface:
 * @texture: a texture
 *
 * @texture's pixels as a cairo image surface: the one
 * ngam_texture_new_for_pixels() kept, or a copy made once and kept with
 * the texture.  GTK 4.8's cairo renderer converts a texture node into a
 * new surface in every frame (through floats, a pixel at a time); views
 * drawn under that renderer paint these surfaces from a cairo node
 * instead, which composes a pan's frame several times faster
 * (bench/README.md, "Map redraw from cached tiles").
 *
 * Returns: (transfer none): the surface
 */
cairo_surface_t *
ngam_texture_get_cairo_surface (GdkTexture *texture)
{
  cairo_surface_t *surface = g_object_get_data (G_OBJECT (texture), SURFACE_KEY);

  if (surface == NULL)
    {
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, gdk_texture_get_width (texture),
                                            gdk_texture_get_height (texture));
      gdk_texture_download (texture, cairo_image_surface_get_data (surface),
                            cairo_image_surface_get_stride (surface));
      cairo_surface_mark_dirty (surface);
      g_object_set_data_full (G_OBJECT (texture), SURFACE_KEY, surface, (GDestroyNotify) cairo_surface_destroy);
    }
  return surface;
}

/**
 * ngam_tile_loader_render:
 *
 * Renders one tile synchronously; any thread.  The layers of the key's
 * mask are drawn on a transparent tile (the map paints the land colour
 * under all its layers); a tile where they draw nothing is 1×1, empty.
 *
 * Returns: (transfer full): the tile, or %NULL with @error set (including
 *   %G_IO_ERROR_CANCELLED).
 */
GdkTexture *
ngam_tile_loader_render (NgamTileLoader     *self,
                         const NgamTileKey  *key,
                         GCancellable       *cancellable,
                         GError            **error)
{
  int sf = MAX (1, key->scale_factor);
  int side = NGAM_TILE_SIZE * sf;
  int stride = cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, side);
  g_autoptr(GBytes) bytes = NULL;
  NgamRenderView view;
  NgamRenderStats stats = { 0 };
  NgamRenderStyle style = { { NULL } };
  char *colour_by[NGAM_N_LAYERS] = { NULL };
  guint drawn = 0;
  double bbox[4];
  guchar *pixels;
  cairo_surface_t *surface;
  cairo_t *cr;
  NgamStore *store;
  gboolean ok;

  g_return_val_if_fail (NGAM_IS_TILE_LOADER (self), NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  store = take_store (self, error);
  if (store == NULL)
    return NULL;

  ngam_tile_key_get_bbox (key, bbox);
  view.center_x = (bbox[0] + bbox[2]) / 2;
  view.center_y = (bbox[1] + bbox[3]) / 2;
  view.scale = ngam_tile_level_scale (key->level);
  view.width = view.height = NGAM_TILE_SIZE;

  /* Our own buffer, so the texture can take it without a copy. */
  pixels = g_malloc0 ((gsize) stride * side);
  surface = cairo_image_surface_create_for_data (pixels, CAIRO_FORMAT_ARGB32, side, side, stride);
  cairo_surface_set_device_scale (surface, sf, sf);
  cr = cairo_create (surface);
  /* A copy: the style may change while this tile renders. */
  g_mutex_lock (&self->style_lock);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    style.colour_by[k] = colour_by[k] = g_strdup (self->colour_by[k]);
  g_mutex_unlock (&self->style_lock);
  ok = ngam_render_map_styled (store, cr, &view, key->layers, NGAM_RENDER_NO_BACKGROUND, &style, &stats,
                               cancellable, error);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    g_free (colour_by[k]);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  give_store (self, store);
  if (!ok)
    {
      g_free (pixels);
      return NULL;
    }
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    drawn += stats.drawn[k];
  if (drawn == 0)
    {
      static const guint8 clear[4] = { 0 };

      g_free (pixels);
      bytes = g_bytes_new_static (clear, sizeof clear);
      return gdk_memory_texture_new (1, 1, GDK_MEMORY_DEFAULT, bytes, 4);
    }
  return ngam_texture_new_for_pixels (pixels, side, side, stride);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  NgamTileLoader *self = source_object;
  const NgamTileKey *key = task_data;
  GError *error = NULL;
  GdkTexture *texture;

  texture = ngam_tile_loader_render (self, key, cancellable, &error);
  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

void
ngam_tile_loader_render_async (NgamTileLoader     *self,
                               const NgamTileKey  *key,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (NGAM_IS_TILE_LOADER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ngam_tile_loader_render_async);
  g_task_set_task_data (task, g_memdup2 (key, sizeof *key), g_free);
  /* The renderer notices cancellation between features and returns soon;
   * the task must not complete before the worker has given its store back. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, render_thread);
}

/**
 * ngam_tile_loader_render_finish:
 *
 * Returns: (transfer full): the tile, or %NULL with @error set.
 */
GdkTexture *
ngam_tile_loader_render_finish (NgamTileLoader  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
