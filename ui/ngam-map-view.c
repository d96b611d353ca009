/* ngam-map-view.c — the map widget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three parts, after libshumate's ShumateMap:
 *
 *  - the NgamViewport says where we look; gestures (drag to pan, scroll and
 *    pinch to zoom about the pointer, double click to zoom in) only change
 *    it;
 *  - when it changes, update_tiles() works out which tiles of the nearest
 *    pyramid level cover the widget, asks the NgamTileLoader to render the
 *    missing ones on worker threads (nearest the centre first, at most
 *    max_running at once) and cancels those no longer wanted;
 *  - snapshot() only places textures from the NgamTileCache: the tiles of
 *    the current level, and under them, while some are still rendering,
 *    the last complete set (the previous level or layer mask), scaled to
 *    fit, so the map never flashes blank while zooming or toggling layers.
 *
 * Tile updates are coalesced in one high-priority idle so that a zoom,
 * which notifies scale and centre separately, schedules its tiles once.
 *
 * The map listens to its NgamProject's ::changed: an edit marks stale only
 * the cached tiles its box touches (ngam_tile_cache_mark_stale()), cancels
 * the renders of those tiles still running, and redraws them; the stale
 * pictures stay on screen until the new ones arrive.
 *
 * Tiles are drawn per style group (the key's mask): a run of layers, in
 * the panel's order, that share one opacity and that the renderer draws
 * in that same order, so one call of the renderer draws the whole run.
 * With every layer opaque and in the usual order that is one group, one
 * tile per place; a layer faded or moved gets a group of its own, and the
 * groups are composed with their opacities in the panel's order.  Tiles
 * are transparent (the land colour is painted once under all groups); a
 * group with nothing in a tile caches a 1×1 stand-in.
 *
 * A pan let go while moving glides on (kinetic panning, as GTK's own
 * scrolled windows and libshumate do): the speed of the last 100 ms of
 * the drag, decaying exponentially with a time constant of KINETIC_TAU
 * seconds, so the glide covers speed × KINETIC_TAU in all; a press,
 * a scroll or a zoom stops it.  With animations off there is no glide.
 *
 * Like libshumate's ShumateMap, the map is a container: layer widgets
 * added with ngam_map_view_add_layer() (the edit overlay: selection, snap
 * indicator, the span being drawn) cover it, drawn above the tiles in the
 * order they were added.
 */
#define G_LOG_DOMAIN "ngam-ui"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-map-view.h"
#include "ngam-project.h"
#include "ngam-render.h"
#include "ngam-tile-loader.h"

/* Kinetic panning: how fast the glide slows, the slowest speed worth
 * gliding (pixels per second), and the samples the speed is taken from. */
#define KINETIC_TAU 0.325
#define KINETIC_MIN_SPEED 30.0
#define KINETIC_WINDOW_US (100 * 1000)
#define N_TRACK 8

/* Enough for a full-screen map at two levels and some panning around. */
#define CACHE_BYTES (96u * 1024 * 1024)

/* How far the renderer's symbols reach beyond their geometry, in pixels,
 * and streets' corridors in metres (see layer_margin_m() in ngam-render.c). */
#define SYMBOL_MARGIN_PX 16.0
#define STREET_MARGIN_M 30.0

struct _NgamMapView
{
  GtkWidget       parent_instance;

  NgamViewport   *viewport;
  NgamProject    *project;
  NgamTileLoader *loader;
  NgamTileCache  *cache;
  guint           visible_layers;
  guint           generation;
  NgamLayerKind   order[NGAM_N_LAYERS];     /* bottom first */
  double          opacity[NGAM_N_LAYERS];
  char           *colour_by[NGAM_N_LAYERS];  /* the field colouring each layer, or NULL */

  GHashTable     *inflight;      /* NgamTileKey* → GCancellable* */
  GArray         *queue;         /* NgamTileKey waiting, nearest first */
  GHashTable     *failed;        /* NgamTileKey* that failed this generation */
  guint           n_running;
  guint           max_running;
  guint           update_source;
  gboolean        loading;
  gboolean        reported_failure;
  guint64         n_rendered;
  guint64         n_stale;

  /* The last level/mask whose tiles all arrived: the stand-ins. */
  gboolean        have_complete;
  NgamTileKey     complete;        /* its mask: the layers it had */

  gboolean        fit_pending;
  double          fit_bbox[4];

  double          drag_center_x, drag_center_y;
  gboolean        hold_pan;      /* a tool took this press */
  char           *cursor_name;   /* the tool's, between drags */
  gboolean        panning;
  struct { gint64 t; double dx, dy; } track[N_TRACK];   /* the drag's last moves */
  guint           n_track;
  double          glide_vx, glide_vy;   /* pixels per second */
  gint64          glide_last;           /* frame time, µs */
  guint           glide_id;             /* tick callback */
  double          zoom_begin_scale;
  double          pointer_x, pointer_y;
  gboolean        pointer_inside;
};

G_DEFINE_FINAL_TYPE (NgamMapView, ngam_map_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_VIEWPORT,
  PROP_VISIBLE_LAYERS,
  PROP_LOADING,
  N_PROPS
};

enum {
  POINTER_MOVED,
  RENDER_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  NgamMapView  *self;
  NgamTileKey   key;
  GCancellable *cancellable;
} Request;

static void schedule_update (NgamMapView *self);

/* ---- tile geometry ----------------------------------------------------- */

/* The tiles of @level that meet the widget: columns x0..x1, rows y0..y1. */
static void
tile_range (NgamMapView *self,
            int          level,
            int          range[4])
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));
  double side = NGAM_TILE_SIZE * ngam_tile_level_scale (level);
  double minx, miny, maxx, maxy;

  ngam_viewport_from_widget (self->viewport, w, h, 0, h, &minx, &miny);
  ngam_viewport_from_widget (self->viewport, w, h, w, 0, &maxx, &maxy);
  range[0] = (int) floor (minx / side);
  range[2] = (int) ceil (maxx / side) - 1;
  range[1] = (int) floor (-maxy / side);
  range[3] = (int) ceil (-miny / side) - 1;
  range[2] = MAX (range[0], range[2]);
  range[3] = MAX (range[1], range[3]);
}

/* Where a tile lands in the widget, its edges snapped to device pixels so
 * that neighbours meet without seams or blur. */
static graphene_rect_t
tile_rect (NgamMapView       *self,
           const NgamTileKey *key,
           int                sf)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));
  double bbox[4], l, t, r, b;
  graphene_rect_t rect;

  ngam_tile_key_get_bbox (key, bbox);
  ngam_viewport_to_widget (self->viewport, w, h, bbox[0], bbox[3], &l, &t);
  ngam_viewport_to_widget (self->viewport, w, h, bbox[2], bbox[1], &r, &b);
  l = round (l * sf) / sf;
  t = round (t * sf) / sf;
  r = round (r * sf) / sf;
  b = round (b * sf) / sf;
  graphene_rect_init (&rect, l, t, r - l, b - t);
  return rect;
}

static NgamTileKey
current_key (NgamMapView *self)
{
  NgamTileKey key = { 0 };

  key.level = ngam_tile_level_for_scale (ngam_viewport_get_scale (self->viewport));
  key.layers = 0;   /* set per group: see compute_groups() */
  key.generation = self->generation;
  key.scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  return key;
}

/* Whether @kind has tiles at @level: visible, and not too small there
 * for the renderer to draw it at all. */
static gboolean
kind_drawn (NgamMapView   *self,
            NgamLayerKind  kind,
            int            level,
            guint          layers)
{
  return (layers & NGAM_RENDER_LAYER (kind)) != 0 &&
         ngam_tile_level_scale (level) <= ngam_render_layer_max_scale (kind);
}

typedef struct
{
  guint  mask;
  double opacity;
} Group;

static int
draw_index (NgamLayerKind kind)
{
  const NgamLayerKind *order = ngam_render_draw_order ();

  for (int i = 0; i < NGAM_N_LAYERS; i++)
    if (order[i] == kind)
      return i;
  return 0;
}

/* The style groups of @layers at @level, bottom first; returns how many. */
static guint
compute_groups (NgamMapView *self,
                int          level,
                guint        layers,
                Group        groups[NGAM_N_LAYERS])
{
  guint n = 0;
  int last = -1;

  for (guint i = 0; i < NGAM_N_LAYERS; i++)
    {
      NgamLayerKind k = self->order[i];
      int d = draw_index (k);

      if (!kind_drawn (self, k, level, layers) || self->opacity[k] <= 0)
        continue;
      if (n == 0 || groups[n - 1].opacity != self->opacity[k] || d < last)
        {
          groups[n].mask = 0;
          groups[n].opacity = self->opacity[k];
          n++;
        }
      groups[n - 1].mask |= NGAM_RENDER_LAYER (k);
      last = d;
    }
  return n;
}

/* ---- loading ------------------------------------------------------------ */

static void
set_loading (NgamMapView *self,
             gboolean     loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
refresh_loading (NgamMapView *self)
{
  set_loading (self, self->update_source != 0 || self->n_running > 0 || self->queue->len > 0);
}

/* Remembers the current level and mask as the stand-ins once every tile of
 * them is in the cache. */
static void
check_complete (NgamMapView *self)
{
  NgamTileKey key = current_key (self);
  int range[4];
  Group groups[NGAM_N_LAYERS];
  guint n_groups;

  if (self->loader == NULL || gtk_widget_get_width (GTK_WIDGET (self)) <= 0)
    return;
  n_groups = compute_groups (self, key.level, self->visible_layers, groups);
  tile_range (self, key.level, range);
  for (guint g = 0; g < n_groups; g++)
    {
      key.layers = groups[g].mask;
      for (key.y = range[1]; key.y <= range[3]; key.y++)
        for (key.x = range[0]; key.x <= range[2]; key.x++)
          if (ngam_tile_cache_peek (self->cache, &key) == NULL)
            return;
    }
  self->have_complete = TRUE;
  self->complete = key;
  self->complete.layers = self->visible_layers;
}

static void dispatch (NgamMapView *self);

static void
request_free (Request *req)
{
  g_object_unref (req->self);
  g_object_unref (req->cancellable);
  g_free (req);
}

static void
tile_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Request *req = user_data;
  NgamMapView *self = req->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  gboolean current;

  texture = ngam_tile_loader_render_finish (NGAM_TILE_LOADER (source), result, &error);
  self->n_running--;
  /* A request no longer in flight was cancelled: not wanted any more, or
   * its area changed after it started and it may show the old state. */
  current = g_hash_table_lookup (self->inflight, &req->key) == req->cancellable;
  if (current)
    g_hash_table_remove (self->inflight, &req->key);

  if (self->cache == NULL)   /* disposed meanwhile */
    {
      request_free (req);
      return;
    }
  if (texture != NULL && current && req->key.generation == self->generation)
    {
      ngam_tile_cache_insert (self->cache, &req->key, texture);
      self->n_rendered++;
      check_complete (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  else if (texture == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
           req->key.generation == self->generation)
    {
      /* Do not retry in a loop; a new project or an invalidate retries. */
      g_hash_table_add (self->failed, g_memdup2 (&req->key, sizeof req->key));
      if (!self->reported_failure)
        {
          self->reported_failure = TRUE;
          g_signal_emit (self, signals[RENDER_FAILED], 0, error);
        }
    }
  dispatch (self);
  refresh_loading (self);
  request_free (req);
}

static void
dispatch (NgamMapView *self)
{
  guint taken = 0;

  while (self->loader != NULL && self->n_running < self->max_running && taken < self->queue->len)
    {
      NgamTileKey *key = &g_array_index (self->queue, NgamTileKey, taken++);
      Request *req;

      if (g_hash_table_contains (self->inflight, key) || ngam_tile_cache_peek (self->cache, key))
        continue;
      req = g_new0 (Request, 1);
      req->self = g_object_ref (self);
      req->key = *key;
      req->cancellable = g_cancellable_new ();
      g_hash_table_insert (self->inflight, g_memdup2 (key, sizeof *key), g_object_ref (req->cancellable));
      self->n_running++;
      ngam_tile_loader_render_async (self->loader, key, req->cancellable, tile_done, req);
    }
  g_array_remove_range (self->queue, 0, taken);
}

typedef struct
{
  NgamTileKey key;
  double      distance;
} Wanted;

static int
wanted_cmp (gconstpointer a, gconstpointer b)
{
  const Wanted *x = a, *y = b;

  return x->distance < y->distance ? -1 : x->distance > y->distance;
}

static void
update_tiles (NgamMapView *self)
{
  g_autoptr(GArray) wanted = g_array_new (FALSE, FALSE, sizeof (Wanted));
  g_autoptr(GHashTable) wanted_set = NULL;
  NgamTileKey key = current_key (self);
  Group groups[NGAM_N_LAYERS];
  guint n_groups;
  double side, cx, cy;
  GHashTableIter iter;
  gpointer k, v;
  int range[4];

  g_array_set_size (self->queue, 0);
  if (self->loader == NULL || gtk_widget_get_width (GTK_WIDGET (self)) <= 0 ||
      gtk_widget_get_height (GTK_WIDGET (self)) <= 0)
    {
      refresh_loading (self);
      return;
    }

  side = NGAM_TILE_SIZE * ngam_tile_level_scale (key.level);
  cx = ngam_viewport_get_center_x (self->viewport);
  cy = ngam_viewport_get_center_y (self->viewport);
  tile_range (self, key.level, range);
  n_groups = compute_groups (self, key.level, self->visible_layers, groups);
  for (guint i = 0; i < n_groups; i++)
    {
      key.layers = groups[i].mask;
      for (key.y = range[1]; key.y <= range[3]; key.y++)
        for (key.x = range[0]; key.x <= range[2]; key.x++)
          {
            Wanted w = { key, 0 };
            double dx = (key.x + 0.5) * side - cx, dy = -(key.y + 0.5) * side - cy;

            if (ngam_tile_cache_peek (self->cache, &key) != NULL ||
                g_hash_table_contains (self->failed, &key))
              continue;
            /* Nearest the centre first; at one place, bottom layers first. */
            w.distance = dx * dx + dy * dy + i * 1e-6 * side * side;
            g_array_append_val (wanted, w);
          }
    }

  /* Tiles being drawn that are no longer wanted are cancelled. */
  wanted_set = g_hash_table_new (ngam_tile_key_hash, ngam_tile_key_equal);
  for (guint i = 0; i < wanted->len; i++)
    g_hash_table_add (wanted_set, &g_array_index (wanted, Wanted, i).key);
  g_hash_table_iter_init (&iter, self->inflight);
  while (g_hash_table_iter_next (&iter, &k, &v))
    if (!g_hash_table_contains (wanted_set, k))
      {
        g_cancellable_cancel (v);
        g_hash_table_iter_remove (&iter);
      }

  g_array_sort (wanted, wanted_cmp);
  for (guint i = 0; i < wanted->len; i++)
    g_array_append_val (self->queue, g_array_index (wanted, Wanted, i).key);
  dispatch (self);
  check_complete (self);
  refresh_loading (self);
}

static gboolean
update_idle (gpointer data)
{
  NgamMapView *self = data;

  self->update_source = 0;
  update_tiles (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_update (NgamMapView *self)
{
  if (self->update_source == 0)
    self->update_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_idle, self, NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  refresh_loading (self);
}

static void
cancel_all (NgamMapView *self)
{
  GHashTableIter iter;
  gpointer v;

  g_hash_table_iter_init (&iter, self->inflight);
  while (g_hash_table_iter_next (&iter, NULL, &v))
    g_cancellable_cancel (v);
  g_hash_table_remove_all (self->inflight);
  g_array_set_size (self->queue, 0);
}

/* ---- drawing ------------------------------------------------------------ */

/* Draws the tiles of @proto's level and mask: as texture nodes, or, when
 * @cr is given (GSK's cairo renderer), painted from their kept surfaces. */
static void
draw_level (NgamMapView       *self,
            GtkSnapshot       *snapshot,
            cairo_t           *cr,
            const NgamTileKey *proto,
            gboolean           count)
{
  NgamTileKey key = *proto;
  gboolean scaled = ngam_tile_level_scale (key.level) != ngam_viewport_get_scale (self->viewport);
  int range[4];

  tile_range (self, key.level, range);
  for (key.y = range[1]; key.y <= range[3]; key.y++)
    for (key.x = range[0]; key.x <= range[2]; key.x++)
      {
        GdkTexture *texture = count ? ngam_tile_cache_lookup (self->cache, &key)
                                    : ngam_tile_cache_peek (self->cache, &key);
        graphene_rect_t rect;

        /* A tile whose area changed shows its old picture until redrawn. */
        if (texture == NULL && count)
          texture = ngam_tile_cache_peek_any (self->cache, &key);
        /* Nothing of the layer here (the 1×1 stand-in). */
        if (texture == NULL || gdk_texture_get_width (texture) == 1)
          continue;
        rect = tile_rect (self, &key, MAX (1, key.scale_factor));
        /* A scaled texture's edge pixels are filtered against nothing and
         * fade: let each tile reach one device pixel under its right and
         * lower neighbours, so the seams show map, not background. */
        if (scaled)
          {
            rect.size.width += 1.0 / MAX (1, key.scale_factor);
            rect.size.height += 1.0 / MAX (1, key.scale_factor);
          }
        if (cr == NULL)
          {
            gtk_snapshot_append_texture (snapshot, texture, &rect);
            continue;
          }
        cairo_save (cr);
        cairo_rectangle (cr, rect.origin.x, rect.origin.y, rect.size.width, rect.size.height);
        cairo_clip (cr);
        cairo_translate (cr, rect.origin.x, rect.origin.y);
        cairo_scale (cr, rect.size.width / gdk_texture_get_width (texture),
                     rect.size.height / gdk_texture_get_height (texture));
        cairo_set_source_surface (cr, ngam_texture_get_cairo_surface (texture), 0, 0);
        if (!scaled)
          cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
        cairo_paint (cr);
        cairo_restore (cr);
      }
}

/* Appends one level's tiles of one group: see draw_level(). */
static void
append_level (NgamMapView       *self,
              GtkSnapshot       *snapshot,
              gboolean           use_cairo,
              const NgamTileKey *key,
              gboolean           count,
              double             w,
              double             h)
{
  cairo_t *cr;

  if (!use_cairo)
    {
      draw_level (self, snapshot, NULL, key, count);
      return;
    }
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  draw_level (self, snapshot, cr, key, count);
  cairo_destroy (cr);
}

static gboolean
level_incomplete (NgamMapView       *self,
                  const NgamTileKey *proto)
{
  NgamTileKey key = *proto;
  int range[4];

  tile_range (self, key.level, range);
  for (key.y = range[1]; key.y <= range[3]; key.y++)
    for (key.x = range[0]; key.x <= range[2]; key.x++)
      if (ngam_tile_cache_peek (self->cache, &key) == NULL)
        return TRUE;
  return FALSE;
}

static void
draw_scale_bar (NgamMapView *self,
                GtkSnapshot *snapshot,
                double       height)
{
  const double box_w = 180, box_h = 34;
  cairo_t *cr;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, height - box_h, box_w, box_h));
  ngam_render_scale_bar (cr, 14, height - 12, ngam_viewport_get_scale (self->viewport), 140);
  cairo_destroy (cr);
}

static void
ngam_map_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  NgamMapView *self = NGAM_MAP_VIEW (widget);
  double w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  NgamTileKey key;
  double bg[3];

  ngam_render_background_rgb (bg);
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { bg[0], bg[1], bg[2], 1 },
                             &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (self->loader != NULL)
    {
      Group groups[NGAM_N_LAYERS], old_groups[NGAM_N_LAYERS];
      guint n_groups, n_old = 0;
      gboolean stand_in;
      GtkNative *native = gtk_widget_get_native (widget);
      gboolean use_cairo = native != NULL && GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (native));

      key = current_key (self);
      stand_in = self->have_complete && self->complete.generation == self->generation &&
                 self->complete.scale_factor == key.scale_factor &&
                 abs (self->complete.level - key.level) <= 6 &&
                 !ngam_tile_key_equal (&self->complete, &key);
      n_groups = compute_groups (self, key.level, self->visible_layers, groups);
      /* While tiles render, the last complete set, scaled and composed
       * the same way, under them: the map never flashes blank. */
      if (stand_in)
        {
          gboolean incomplete = FALSE;

          for (guint g = 0; g < n_groups && !incomplete; g++)
            {
              key.layers = groups[g].mask;
              incomplete = level_incomplete (self, &key);
            }
          if (incomplete)
            n_old = compute_groups (self, self->complete.level, self->complete.layers, old_groups);
          for (guint g = 0; g < n_old; g++)
            {
              NgamTileKey old = self->complete;

              old.layers = old_groups[g].mask;
              if (old_groups[g].opacity < 1)
                gtk_snapshot_push_opacity (snapshot, old_groups[g].opacity);
              append_level (self, snapshot, use_cairo, &old, FALSE, w, h);
              if (old_groups[g].opacity < 1)
                gtk_snapshot_pop (snapshot);
            }
        }
      for (guint g = 0; g < n_groups; g++)
        {
          key.layers = groups[g].mask;
          if (groups[g].opacity < 1)
            gtk_snapshot_push_opacity (snapshot, groups[g].opacity);
          append_level (self, snapshot, use_cairo, &key, TRUE, w, h);
          if (groups[g].opacity < 1)
            gtk_snapshot_pop (snapshot);
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_snapshot_child (widget, child, snapshot);
  if (self->loader != NULL)
    draw_scale_bar (self, snapshot, h);
  gtk_snapshot_pop (snapshot);
}

/* ---- gestures ------------------------------------------------------------ */

/* ---- kinetic panning ----------------------------------------------------- */

static void
stop_glide (NgamMapView *self)
{
  if (self->glide_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->glide_id);
  self->glide_id = 0;
  self->glide_vx = self->glide_vy = 0;
}

static gboolean
glide_tick (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       data)
{
  NgamMapView *self = NGAM_MAP_VIEW (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  double dt = MAX (0, (now - self->glide_last) / 1e6);
  double decay = exp (-dt / KINETIC_TAU);
  double scale = ngam_viewport_get_scale (self->viewport);
  /* The distance an exponentially slowing glide covers in dt. */
  double dx = self->glide_vx * KINETIC_TAU * (1 - decay);
  double dy = self->glide_vy * KINETIC_TAU * (1 - decay);

  self->glide_last = now;
  ngam_viewport_set_center (self->viewport, ngam_viewport_get_center_x (self->viewport) - dx * scale,
                            ngam_viewport_get_center_y (self->viewport) + dy * scale);
  self->glide_vx *= decay;
  self->glide_vy *= decay;
  if (hypot (self->glide_vx, self->glide_vy) < KINETIC_MIN_SPEED)
    {
      self->glide_id = 0;
      self->glide_vx = self->glide_vy = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
track_drag (NgamMapView *self,
            double       dx,
            double       dy)
{
  if (self->n_track == N_TRACK)
    {
      memmove (self->track, self->track + 1, sizeof self->track[0] * (N_TRACK - 1));
      self->n_track--;
    }
  self->track[self->n_track].t = g_get_monotonic_time ();
  self->track[self->n_track].dx = dx;
  self->track[self->n_track].dy = dy;
  self->n_track++;
}

/* The drag's speed over its last 100 ms; FALSE when it had stopped. */
static gboolean
drag_speed (NgamMapView *self,
            double      *vx,
            double      *vy)
{
  gint64 now = g_get_monotonic_time ();
  guint first;

  if (self->n_track < 2 || now - self->track[self->n_track - 1].t > KINETIC_WINDOW_US / 2)
    return FALSE;
  for (first = 0; first + 1 < self->n_track && now - self->track[first].t > KINETIC_WINDOW_US; first++)
    ;
  if (first + 1 >= self->n_track || self->track[self->n_track - 1].t - self->track[first].t < 5000)
    return FALSE;
  {
    double span = (self->track[self->n_track - 1].t - self->track[first].t) / 1e6;

    *vx = (self->track[self->n_track - 1].dx - self->track[first].dx) / span;
    *vy = (self->track[self->n_track - 1].dy - self->track[first].dy) / span;
  }
  return TRUE;
}

static void
start_glide (NgamMapView *self)
{
  gboolean animate = TRUE;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  double vx, vy;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-enable-animations", &animate, NULL);
  if (!animate || clock == NULL || !drag_speed (self, &vx, &vy) || hypot (vx, vy) < KINETIC_MIN_SPEED)
    return;
  self->glide_vx = vx;
  self->glide_vy = vy;
  /* Frame times are monotonic µs too; the clock's last frame may be long ago. */
  self->glide_last = g_get_monotonic_time ();
  if (self->glide_id == 0)
    self->glide_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), glide_tick, NULL, NULL);
}

static void
drag_begin (GtkGestureDrag *gesture,
            double          x,
            double          y,
            NgamMapView    *self)
{
  stop_glide (self);
  self->n_track = 0;
  track_drag (self, 0, 0);
  self->drag_center_x = ngam_viewport_get_center_x (self->viewport);
  self->drag_center_y = ngam_viewport_get_center_y (self->viewport);
  gtk_widget_grab_focus (GTK_WIDGET (self));   /* for the arrow keys */
  self->panning = !self->hold_pan;
  if (self->panning)
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
}

static void
drag_update (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             NgamMapView    *self)
{
  double scale = ngam_viewport_get_scale (self->viewport);

  if (!self->panning)
    return;
  track_drag (self, dx, dy);
  ngam_viewport_set_center (self->viewport, self->drag_center_x - dx * scale,
                            self->drag_center_y + dy * scale);
}

static void
drag_end (GtkGestureDrag *gesture,
          double          dx,
          double          dy,
          NgamMapView    *self)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), self->cursor_name);
  if (self->panning)
    start_glide (self);
  self->hold_pan = FALSE;
  self->panning = FALSE;
}

static void
zoom_about_pointer (NgamMapView *self,
                    double       factor)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));
  double px = self->pointer_inside ? self->pointer_x : w / 2;
  double py = self->pointer_inside ? self->pointer_y : h / 2;

  ngam_viewport_zoom_at (self->viewport, factor, w, h, px, py);
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           NgamMapView              *self)
{
  /* A wheel notch is half an octave (one pyramid level); smooth scrolling
   * reports pixels, of which about 40 make a notch. */
  double steps = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL ? dy : dy / 40;

  if (steps == 0)
    return FALSE;
  stop_glide (self);
  zoom_about_pointer (self, exp2 (-steps / 2));
  return TRUE;
}

static void
emit_pointer (NgamMapView *self)
{
  double x = 0, y = 0;

  if (self->pointer_inside)
    ngam_viewport_from_widget (self->viewport, gtk_widget_get_width (GTK_WIDGET (self)),
                               gtk_widget_get_height (GTK_WIDGET (self)),
                               self->pointer_x, self->pointer_y, &x, &y);
  g_signal_emit (self, signals[POINTER_MOVED], 0, self->pointer_inside, x, y);
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           NgamMapView              *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
  self->pointer_inside = TRUE;
  emit_pointer (self);
}

static void
on_leave (GtkEventControllerMotion *controller,
          NgamMapView              *self)
{
  self->pointer_inside = FALSE;
  emit_pointer (self);
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            NgamMapView     *self)
{
  if (n_press == 2 && !self->hold_pan)
    ngam_viewport_zoom_at (self->viewport, 2.0, gtk_widget_get_width (GTK_WIDGET (self)),
                           gtk_widget_get_height (GTK_WIDGET (self)), x, y);
}

static void
zoom_begin (GtkGesture       *gesture,
            GdkEventSequence *sequence,
            NgamMapView      *self)
{
  stop_glide (self);
  self->zoom_begin_scale = ngam_viewport_get_scale (self->viewport);
}

static void
zoom_changed (GtkGestureZoom *gesture,
              double          delta,
              NgamMapView    *self)
{
  double x, y, target;

  if (delta <= 0 || !gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    return;
  target = self->zoom_begin_scale / delta;
  ngam_viewport_zoom_at (self->viewport, ngam_viewport_get_scale (self->viewport) / target,
                         gtk_widget_get_width (GTK_WIDGET (self)),
                         gtk_widget_get_height (GTK_WIDGET (self)), x, y);
}

/* Arrow keys move the map by a fifth of its size, as other map apps do. */
static gboolean
pan_key (GtkWidget *widget,
         GVariant  *args,
         gpointer   data)
{
  NgamMapView *self = NGAM_MAP_VIEW (widget);
  double fx, fy;

  g_variant_get (args, "(dd)", &fx, &fy);
  stop_glide (self);
  ngam_viewport_pan (self->viewport, fx * gtk_widget_get_width (widget) / 5,
                     fy * gtk_widget_get_height (widget) / 5);
  return TRUE;
}

/* ---- the widget ---------------------------------------------------------- */

static void
viewport_changed (NgamViewport *viewport,
                  GParamSpec   *pspec,
                  NgamMapView  *self)
{
  schedule_update (self);
  if (self->pointer_inside)
    emit_pointer (self);
}

static void
ngam_map_view_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  NgamMapView *self = NGAM_MAP_VIEW (widget);

  if (self->fit_pending && width > 0 && height > 0)
    {
      self->fit_pending = FALSE;
      ngam_viewport_fit (self->viewport, self->fit_bbox, width, height, 24);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);
  schedule_update (self);
}

static void
ngam_map_view_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  *minimum = 64;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 800 : 600;
}

static void
ngam_map_view_dispose (GObject *object)
{
  NgamMapView *self = NGAM_MAP_VIEW (object);

  GtkWidget *child;

  g_clear_handle_id (&self->update_source, g_source_remove);
  stop_glide (self);
  if (self->inflight)
    cancel_all (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  if (self->project)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_clear_object (&self->project);
  if (self->viewport)
    g_signal_handlers_disconnect_by_data (self->viewport, self);
  g_clear_object (&self->viewport);
  g_clear_object (&self->loader);
  g_clear_object (&self->cache);
  G_OBJECT_CLASS (ngam_map_view_parent_class)->dispose (object);
}

static void
ngam_map_view_finalize (GObject *object)
{
  NgamMapView *self = NGAM_MAP_VIEW (object);

  g_free (self->cursor_name);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    g_free (self->colour_by[k]);
  g_hash_table_destroy (self->inflight);
  g_hash_table_destroy (self->failed);
  g_array_unref (self->queue);
  G_OBJECT_CLASS (ngam_map_view_parent_class)->finalize (object);
}

static void
ngam_map_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  NgamMapView *self = NGAM_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_VIEWPORT:
      g_value_set_object (value, self->viewport);
      break;
    case PROP_VISIBLE_LAYERS:
      g_value_set_uint (value, self->visible_layers);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ngam_map_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  NgamMapView *self = NGAM_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_VISIBLE_LAYERS:
      ngam_map_view_set_visible_layers (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ngam_map_view_class_init (NgamMapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ngam_map_view_dispose;
  object_class->finalize = ngam_map_view_finalize;
  object_class->get_property = ngam_map_view_get_property;
  object_class->set_property = ngam_map_view_set_property;
  widget_class->snapshot = ngam_map_view_snapshot;
  widget_class->size_allocate = ngam_map_view_size_allocate;
  widget_class->measure = ngam_map_view_measure;

  properties[PROP_VIEWPORT] =
    g_param_spec_object ("viewport", NULL, "Where the map looks",
                         NGAM_TYPE_VIEWPORT, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VISIBLE_LAYERS] =
    g_param_spec_uint ("visible-layers", NULL, "Mask of NGAM_RENDER_LAYER() bits",
                       0, NGAM_RENDER_ALL_LAYERS, NGAM_RENDER_ALL_LAYERS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, "Whether tiles are still being drawn",
                          FALSE, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * NgamMapView::pointer-moved:
   * @inside: whether the pointer is over the map
   * @x: easting under the pointer, project CRS
   * @y: northing
   */
  signals[POINTER_MOVED] =
    g_signal_new ("pointer-moved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_BOOLEAN, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  /**
   * NgamMapView::render-failed:
   * @error: why a tile could not be drawn (the first failure only)
   */
  signals[RENDER_FAILED] =
    g_signal_new ("render-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Left, 0, pan_key, "(dd)", 1.0, 0.0);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Right, 0, pan_key, "(dd)", -1.0, 0.0);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Up, 0, pan_key, "(dd)", 0.0, 1.0);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Down, 0, pan_key, "(dd)", 0.0, -1.0);

  gtk_widget_class_set_css_name (widget_class, "ngam-map-view");
}

static void
ngam_map_view_init (NgamMapView *self)
{
  GtkGesture *drag, *click, *zoom;
  GtkEventController *scroll, *motion;

  self->viewport = ngam_viewport_new ();
  self->cache = ngam_tile_cache_new (CACHE_BYTES);
  self->visible_layers = NGAM_RENDER_ALL_LAYERS;
  memcpy (self->order, ngam_render_draw_order (), sizeof self->order);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    self->opacity[k] = 1.0;
  self->inflight = g_hash_table_new_full (ngam_tile_key_hash, ngam_tile_key_equal, g_free, g_object_unref);
  self->failed = g_hash_table_new_full (ngam_tile_key_hash, ngam_tile_key_equal, g_free, NULL);
  self->queue = g_array_new (FALSE, FALSE, sizeof (NgamTileKey));
  self->max_running = CLAMP (g_get_num_processors (), 2, 4);
  g_signal_connect (self->viewport, "notify", G_CALLBACK (viewport_changed), self);

  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  drag = gtk_gesture_drag_new ();
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (drag), "ngam-map-drag");
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  click = gtk_gesture_click_new ();
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (click), "ngam-map-click");
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  zoom = gtk_gesture_zoom_new ();
  g_signal_connect (zoom, "begin", G_CALLBACK (zoom_begin), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (zoom_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_name (scroll, "ngam-map-scroll");
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  motion = gtk_event_controller_motion_new ();
  gtk_event_controller_set_name (motion, "ngam-map-motion");
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  g_signal_connect_swapped (self, "notify::scale-factor", G_CALLBACK (schedule_update), self);
}

GtkWidget *
ngam_map_view_new (void)
{
  return g_object_new (NGAM_TYPE_MAP_VIEW, NULL);
}

/* Returns: (transfer none): the viewport the map follows. */
NgamViewport *
ngam_map_view_get_viewport (NgamMapView *self)
{
  g_return_val_if_fail (NGAM_IS_MAP_VIEW (self), NULL);
  return self->viewport;
}

static void
project_changed (NgamProject  *project,
                 int           kind,
                 const double *bbox,
                 NgamMapView  *self)
{
  guint layers = kind < 0 ? NGAM_RENDER_ALL_LAYERS : NGAM_RENDER_LAYER (kind);
  double grown[4];
  GHashTableIter iter;
  gpointer k, v;

  if (bbox != NULL)
    {
      double m = kind == NGAM_LAYER_STREETS || kind < 0 ? STREET_MARGIN_M : 0;

      grown[0] = bbox[0] - m;
      grown[1] = bbox[1] - m;
      grown[2] = bbox[2] + m;
      grown[3] = bbox[3] + m;
      bbox = grown;
    }
  self->n_stale += ngam_tile_cache_mark_stale (self->cache, layers, bbox, SYMBOL_MARGIN_PX);
  /* Renders of touched tiles already running may have read the old rows. */
  g_hash_table_iter_init (&iter, self->inflight);
  while (g_hash_table_iter_next (&iter, &k, &v))
    if (ngam_tile_key_touches (k, layers, bbox, SYMBOL_MARGIN_PX))
      {
        g_cancellable_cancel (v);
        g_hash_table_iter_remove (&iter);
      }
  g_hash_table_remove_all (self->failed);
  self->reported_failure = FALSE;
  self->have_complete = FALSE;
  schedule_update (self);
}

/**
 * ngam_map_view_set_project:
 * @project: (nullable): the project to draw, or %NULL for none
 *
 * The map reads @project on its worker threads through read-only
 * connections of their own, and redraws what its ::changed names.
 */
void
ngam_map_view_set_project (NgamMapView *self,
                           NgamProject *project)
{
  g_return_if_fail (NGAM_IS_MAP_VIEW (self));
  g_return_if_fail (project == NULL || NGAM_IS_PROJECT (project));

  cancel_all (self);
  g_clear_object (&self->loader);
  if (self->project)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_set_object (&self->project, project);
  if (project != NULL)
    {
      self->loader = ngam_tile_loader_new (project);
      for (guint k = 0; k < NGAM_N_LAYERS; k++)
        ngam_tile_loader_set_colour_by (self->loader, k, self->colour_by[k]);
      g_signal_connect (project, "changed", G_CALLBACK (project_changed), self);
    }
  ngam_map_view_invalidate (self);
}

/* Returns: (transfer none) (nullable): the project drawn. */
NgamProject *
ngam_map_view_get_project (NgamMapView *self)
{
  g_return_val_if_fail (NGAM_IS_MAP_VIEW (self), NULL);
  return self->project;
}

/**
 * ngam_map_view_add_layer:
 * @layer: a widget drawn over the map, the map's size (an overlay such as
 *   the edit layer); it should not be a target of pointer events, the
 *   map's gestures get them
 */
void
ngam_map_view_add_layer (NgamMapView *self,
                         GtkWidget   *layer)
{
  g_return_if_fail (NGAM_IS_MAP_VIEW (self));
  g_return_if_fail (GTK_IS_WIDGET (layer));

  gtk_widget_set_parent (layer, GTK_WIDGET (self));
}

/**
 * ngam_map_view_hold_pan:
 *
 * For a tool's gesture that took the current press (capture phase): the
 * map neither pans nor zooms with it.
 */
void
ngam_map_view_hold_pan (NgamMapView *self)
{
  g_return_if_fail (NGAM_IS_MAP_VIEW (self));
  self->hold_pan = TRUE;
}

/* Whether a pan let go is still gliding. */
gboolean
ngam_map_view_get_gliding (NgamMapView *self)
{
  g_return_val_if_fail (NGAM_IS_MAP_VIEW (self), FALSE);
  return self->glide_id != 0;
}

/* The pointer's shape over the map when not dragging (the tool's). */
void
ngam_map_view_set_cursor_name (NgamMapView *self,
                               const char  *name)
{
  g_return_if_fail (NGAM_IS_MAP_VIEW (self));

  g_free (self->cursor_name);
  self->cursor_name = g_strdup (name);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), name);
}

/**
 * ngam_map_view_set_layer_opacity:
 * @opacity: 0 (hidden) to 1 (opaque)
 *
 * The layer's style group changes: its tiles are drawn again once, then
 * any opacity is only composition.
 */
void
ngam_map_view_set_layer_opacity (NgamMapView   *self,
                                 NgamLayerKind  kind,
                                 double         opacity)
{
  g_return_if_fail (NGAM_IS_MAP_VIEW (self));
  g_return_if_fail (kind < NGAM_N_LAYERS);

  self->opacity[kind] = CLAMP (opacity, 0, 1);
  schedule_update (self);
}

double
ngam_map_view_get_layer_opacity (NgamMapView   *self,
                                 NgamLayerKind  kind)
{
  g_return_val_if_fail (NGAM_IS_MAP_VIEW (self), 1.0);
  g_return_val_if_fail (kind < NGAM_N_LAYERS, 1.0);
  return self->opacity[kind];
}

/**
 * ngam_map_view_set_layer_colour_by:
 * @field: (nullable): a text field @kind can be coloured by
 *   (ngam_render_style_can_colour_by()), or NULL for its usual look
 *
 * The layer's tiles are drawn again, the old ones shown until the new
 * arrive, as after an edit of the whole layer.
 */
void
ngam_map_view_set_layer_colour_by (NgamMapView   *self,
                                   NgamLayerKind  kind,
                                   const char    *field)
{
  g_return_if_fail (NGAM_IS_MAP_VIEW (self));
  g_return_if_fail (kind < NGAM_N_LAYERS);

  if (g_strcmp0 (self->colour_by[kind], field) == 0)
    return;
  g_free (self->colour_by[kind]);
  self->colour_by[kind] = g_strdup (field);
  if (self->loader != NULL)
    ngam_tile_loader_set_colour_by (self->loader, kind, field);
  project_changed (self->project, kind, NULL, self);
}

const char *
ngam_map_view_get_layer_colour_by (NgamMapView   *self,
                                   NgamLayerKind  kind)
{
  g_return_val_if_fail (NGAM_IS_MAP_VIEW (self), NULL);
  g_return_val_if_fail (kind < NGAM_N_LAYERS, NULL);
  return self->colour_by[kind];
}

/**
 * ngam_map_view_set_layer_order:
 * @order: (array fixed-size=10): every layer kind once, bottom first
 */
void
ngam_map_view_set_layer_order (NgamMapView         *self,
                               const NgamLayerKind *order)
{
  guint seen = 0;

  g_return_if_fail (NGAM_IS_MAP_VIEW (self));

  for (guint i = 0; i < NGAM_N_LAYERS; i++)
    {
      g_return_if_fail (order[i] < NGAM_N_LAYERS);
      seen |= NGAM_RENDER_LAYER (order[i]);
    }
  g_return_if_fail (seen == NGAM_RENDER_ALL_LAYERS);
  memcpy (self->order, order, sizeof self->order);
  schedule_update (self);
}

/* Returns: (array fixed-size=10): the layers, bottom first. */
const NgamLayerKind *
ngam_map_view_get_layer_order (NgamMapView *self)
{
  g_return_val_if_fail (NGAM_IS_MAP_VIEW (self), NULL);
  return self->order;
}

/* Tiles marked stale by changes since the view was made (for tests). */
guint64
ngam_map_view_get_n_stale (NgamMapView *self)
{
  g_return_val_if_fail (NGAM_IS_MAP_VIEW (self), 0);
  return self->n_stale;
}

/**
 * ngam_map_view_invalidate:
 *
 * Forgets every tile: call after the project's contents changed.
 */
void
ngam_map_view_invalidate (NgamMapView *self)
{
  g_return_if_fail (NGAM_IS_MAP_VIEW (self));

  self->generation++;
  self->have_complete = FALSE;
  self->reported_failure = FALSE;
  g_hash_table_remove_all (self->failed);
  ngam_tile_cache_clear (self->cache);
  schedule_update (self);
}

guint
ngam_map_view_get_visible_layers (NgamMapView *self)
{
  g_return_val_if_fail (NGAM_IS_MAP_VIEW (self), 0);
  return self->visible_layers;
}

void
ngam_map_view_set_visible_layers (NgamMapView *self,
                                  guint        layers)
{
  g_return_if_fail (NGAM_IS_MAP_VIEW (self));

  layers &= NGAM_RENDER_ALL_LAYERS;
  if (layers == self->visible_layers)
    return;
  self->visible_layers = layers;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_LAYERS]);
  schedule_update (self);
}

void
ngam_map_view_set_layer_visible (NgamMapView *self,
                                 guint        kind,
                                 gboolean     visible)
{
  g_return_if_fail (kind < NGAM_N_LAYERS);

  if (visible)
    ngam_map_view_set_visible_layers (self, self->visible_layers | NGAM_RENDER_LAYER (kind));
  else
    ngam_map_view_set_visible_layers (self, self->visible_layers & ~NGAM_RENDER_LAYER (kind));
}

/**
 * ngam_map_view_zoom_to_bbox:
 * @bbox: minx, miny, maxx, maxy, project CRS
 *
 * Shows all of @bbox; if the widget has no size yet, as soon as it has.
 */
void
ngam_map_view_zoom_to_bbox (NgamMapView  *self,
                            const double  bbox[4])
{
  int w, h;

  g_return_if_fail (NGAM_IS_MAP_VIEW (self));

  stop_glide (self);
  w = gtk_widget_get_width (GTK_WIDGET (self));
  h = gtk_widget_get_height (GTK_WIDGET (self));
  if (w > 0 && h > 0)
    {
      self->fit_pending = FALSE;
      ngam_viewport_fit (self->viewport, bbox, w, h, 24);
    }
  else
    {
      memcpy (self->fit_bbox, bbox, sizeof self->fit_bbox);
      self->fit_pending = TRUE;
    }
}

/* Zooms about the centre; @factor > 1 zooms in. */
void
ngam_map_view_zoom (NgamMapView *self,
                    double       factor)
{
  double w, h;

  g_return_if_fail (NGAM_IS_MAP_VIEW (self));

  w = gtk_widget_get_width (GTK_WIDGET (self));
  h = gtk_widget_get_height (GTK_WIDGET (self));
  ngam_viewport_zoom_at (self->viewport, factor, w, h, w / 2, h / 2);
}

gboolean
ngam_map_view_get_loading (NgamMapView *self)
{
  g_return_val_if_fail (NGAM_IS_MAP_VIEW (self), FALSE);
  return self->loading;
}

/* Returns: (transfer none): the view's tile cache (for diagnostics). */
NgamTileCache *
ngam_map_view_get_tile_cache (NgamMapView *self)
{
  g_return_val_if_fail (NGAM_IS_MAP_VIEW (self), NULL);
  return self->cache;
}

/* Tiles rendered since the view was made. */
guint64
ngam_map_view_get_n_rendered (NgamMapView *self)
{
  g_return_val_if_fail (NGAM_IS_MAP_VIEW (self), 0);
  return self->n_rendered;
}
