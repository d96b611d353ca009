/* ngam-tile-cache.c — rendered map tiles, least recently used first out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The map view draws the world as a pyramid of square tiles, one pyramid
 * level per half octave of scale (2^(level/2) metres per pixel), so that a
 * tile shown between two levels is never stretched by more than √2 and a
 * continuous zoom reuses tiles.  A level-L tile's pixel grid is anchored at
 * the world origin, which makes the tile two levels up (double the scale)
 * cover exactly 2×2 tiles of level L.
 *
 * The cache is a hash table for lookup plus a queue in recency order
 * (head = most recent): lookup and insert are O(1), and when the textures
 * exceed the byte budget the tail goes, as in libshumate's
 * ShumateMemoryCache.
 */
#define G_LOG_DOMAIN "ngam-ui"

#include "config.h"

#include <math.h>

#include "ngam-tile-cache.h"

/* ---- keys ------------------------------------------------------------ */

guint
ngam_tile_key_hash (gconstpointer key)
{
  const NgamTileKey *k = key;
  guint h = 2166136261u;

  /* FNV-1a over the fields: cheap and well spread for small integers. */
#define MIX(v) (h = (h ^ (guint) (v)) * 16777619u)
  MIX (k->level);
  MIX (k->x);
  MIX (k->y);
  MIX (k->layers);
  MIX (k->generation);
  MIX (k->scale_factor);
#undef MIX
  return h;
}

gboolean
ngam_tile_key_equal (gconstpointer a,
                     gconstpointer b)
{
  const NgamTileKey *x = a, *y = b;

  return x->level == y->level && x->x == y->x && x->y == y->y &&
         x->layers == y->layers && x->generation == y->generation &&
         x->scale_factor == y->scale_factor;
}

/* The level whose scale is nearest to @scale in log terms. */
int
ngam_tile_level_for_scale (double scale)
{
  return (int) lround (2 * log2 (scale));
}

double
ngam_tile_level_scale (int level)
{
  return exp2 (level / 2.0);
}

/* The world box a tile covers: minx, miny, maxx, maxy. */
void
ngam_tile_key_get_bbox (const NgamTileKey *key,
                        double             bbox[4])
{
  double side = NGAM_TILE_SIZE * ngam_tile_level_scale (key->level);

  bbox[0] = key->x * side;
  bbox[2] = (key->x + 1.0) * side;
  bbox[3] = -key->y * side;
  bbox[1] = -(key->y + 1.0) * side;
}

/* ---- the cache --------------------------------------------------------- */

typedef struct
{
  NgamTileKey  key;
  GdkTexture  *texture;
  gsize        bytes;
  gboolean     stale;   /* its area changed: shown until redrawn, never a hit */
  GList        link;    /* in NgamTileCache.queue; data points back here */
} Entry;

struct _NgamTileCache
{
  GObject     parent_instance;

  GHashTable *entries;   /* NgamTileKey* (inside Entry) → Entry* */
  GQueue      queue;     /* most recent first */
  gsize       bytes;
  gsize       max_bytes;
  guint64     hits;
  guint64     misses;
};

G_DEFINE_FINAL_TYPE (NgamTileCache, ngam_tile_cache, G_TYPE_OBJECT)

static void
entry_free (gpointer data)
{
  Entry *e = data;

  g_object_unref (e->texture);
  g_free (e);
}

static void
ngam_tile_cache_finalize (GObject *object)
{
  NgamTileCache *self = NGAM_TILE_CACHE (object);

  g_hash_table_destroy (self->entries);
  G_OBJECT_CLASS (ngam_tile_cache_parent_class)->finalize (object);
}

static void
ngam_tile_cache_class_init (NgamTileCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ngam_tile_cache_finalize;
}

static void
ngam_tile_cache_init (NgamTileCache *self)
{
  self->entries = g_hash_table_new_full (ngam_tile_key_hash, ngam_tile_key_equal, NULL, entry_free);
  g_queue_init (&self->queue);
}

/**
 * ngam_tile_cache_new:
 * @max_bytes: texture memory to keep; the least recently used tiles go
 *   beyond it
 */
NgamTileCache *
ngam_tile_cache_new (gsize max_bytes)
{
  NgamTileCache *self = g_object_new (NGAM_TYPE_TILE_CACHE, NULL);

  self->max_bytes = max_bytes;
  return self;
}

static void
evict (NgamTileCache *self)
{
  /* Always keep the newest tile, however big. */
  while (self->bytes > self->max_bytes && self->queue.length > 1)
    {
      Entry *e = g_queue_peek_tail (&self->queue);

      g_queue_unlink (&self->queue, &e->link);
      self->bytes -= e->bytes;
      g_hash_table_remove (self->entries, &e->key);
    }
}

/**
 * ngam_tile_cache_lookup:
 *
 * Finds a tile to show; counts a hit or a miss and makes the tile the most
 * recently used.
 *
 * Returns: (transfer none) (nullable): the texture
 */
GdkTexture *
ngam_tile_cache_lookup (NgamTileCache     *self,
                        const NgamTileKey *key)
{
  Entry *e;

  g_return_val_if_fail (NGAM_IS_TILE_CACHE (self), NULL);

  e = g_hash_table_lookup (self->entries, key);
  if (e == NULL || e->stale)
    {
      self->misses++;
      return NULL;
    }
  self->hits++;
  g_queue_unlink (&self->queue, &e->link);
  g_queue_push_head_link (&self->queue, &e->link);
  return e->texture;
}

/* Like lookup, without counting or reordering: for questions such as
 * "is it there?" and stand-ins drawn while a tile renders. */
GdkTexture *
ngam_tile_cache_peek (NgamTileCache     *self,
                      const NgamTileKey *key)
{
  Entry *e;

  g_return_val_if_fail (NGAM_IS_TILE_CACHE (self), NULL);

  e = g_hash_table_lookup (self->entries, key);
  return e && !e->stale ? e->texture : NULL;
}

/* Like peek, stale tiles included: what to show until the new one comes. */
GdkTexture *
ngam_tile_cache_peek_any (NgamTileCache     *self,
                          const NgamTileKey *key)
{
  Entry *e;

  g_return_val_if_fail (NGAM_IS_TILE_CACHE (self), NULL);

  e = g_hash_table_lookup (self->entries, key);
  return e ? e->texture : NULL;
}

/* Whether a tile drawn with @key shows something of @layers in @bbox,
 * symbols reaching @margin_px beyond their geometry. */
gboolean
ngam_tile_key_touches (const NgamTileKey *key,
                       guint              layers,
                       const double      *bbox,
                       double             margin_px)
{
  double t[4], m = margin_px * ngam_tile_level_scale (key->level);

  if ((key->layers & layers) == 0)
    return FALSE;
  if (bbox == NULL)
    return TRUE;
  ngam_tile_key_get_bbox (key, t);
  return t[0] - m <= bbox[2] && bbox[0] <= t[2] + m && t[1] - m <= bbox[3] && bbox[1] <= t[3] + m;
}

/**
 * ngam_tile_cache_mark_stale:
 * @layers: the layers that changed (NGAM_RENDER_LAYER() bits)
 * @bbox: (nullable): where, project CRS; %NULL: everywhere
 * @margin_px: how far symbols reach beyond their geometry, in pixels
 *
 * Marks the tiles a change touches as stale: no longer hits, so they are
 * drawn again, but still at hand to show until they are (no blank flash).
 *
 * Returns: how many tiles were marked.
 */
guint
ngam_tile_cache_mark_stale (NgamTileCache *self,
                            guint          layers,
                            const double  *bbox,
                            double         margin_px)
{
  guint n = 0;

  g_return_val_if_fail (NGAM_IS_TILE_CACHE (self), 0);

  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      Entry *e = l->data;

      if (!e->stale && ngam_tile_key_touches (&e->key, layers, bbox, margin_px))
        {
          e->stale = TRUE;
          n++;
        }
    }
  return n;
}

void
ngam_tile_cache_insert (NgamTileCache     *self,
                        const NgamTileKey *key,
                        GdkTexture        *texture)
{
  Entry *e;

  g_return_if_fail (NGAM_IS_TILE_CACHE (self));
  g_return_if_fail (GDK_IS_TEXTURE (texture));

  e = g_hash_table_lookup (self->entries, key);
  if (e != NULL)
    {
      g_queue_unlink (&self->queue, &e->link);
      self->bytes -= e->bytes;
      g_hash_table_remove (self->entries, key);
    }
  e = g_new0 (Entry, 1);
  e->key = *key;
  e->texture = g_object_ref (texture);
  e->bytes = (gsize) gdk_texture_get_width (texture) * gdk_texture_get_height (texture) * 4;
  e->link.data = e;
  g_hash_table_insert (self->entries, &e->key, e);
  g_queue_push_head_link (&self->queue, &e->link);
  self->bytes += e->bytes;
  evict (self);
}

void
ngam_tile_cache_clear (NgamTileCache *self)
{
  g_return_if_fail (NGAM_IS_TILE_CACHE (self));

  g_queue_init (&self->queue);
  g_hash_table_remove_all (self->entries);
  self->bytes = 0;
}

guint
ngam_tile_cache_get_size (NgamTileCache *self)
{
  return g_hash_table_size (self->entries);
}

gsize
ngam_tile_cache_get_bytes (NgamTileCache *self)
{
  return self->bytes;
}

guint64
ngam_tile_cache_get_hits (NgamTileCache *self)
{
  return self->hits;
}

guint64
ngam_tile_cache_get_misses (NgamTileCache *self)
{
  return self->misses;
}
