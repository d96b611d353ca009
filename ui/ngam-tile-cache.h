/* ngam-tile-cache.h — rendered map tiles, least recently used first out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Tiles are square, this many logical pixels a side. */
#define NGAM_TILE_SIZE 256

/**
 * NgamTileKey:
 * @level: zoom level: the tile's scale is 2^(level/2) metres per pixel
 * @x: column: the tile covers eastings [x, x+1) × NGAM_TILE_SIZE × scale
 * @y: row, counted southwards: northings (-(y+1), -y] × NGAM_TILE_SIZE × scale
 * @layers: the layer mask it was drawn with
 * @generation: bumped whenever the project's contents change
 * @scale_factor: device pixels per logical pixel
 *
 * Everything a tile's picture depends on, so that equal keys mean equal
 * pictures.
 */
typedef struct
{
  gint32  level;
  gint32  x;
  gint32  y;
  guint32 layers;
  guint32 generation;
  gint32  scale_factor;
} NgamTileKey;

guint        ngam_tile_key_hash        (gconstpointer key);
gboolean     ngam_tile_key_equal       (gconstpointer a, gconstpointer b);
int          ngam_tile_level_for_scale (double scale);
double       ngam_tile_level_scale     (int level);
void         ngam_tile_key_get_bbox    (const NgamTileKey *key, double bbox[4]);
gboolean     ngam_tile_key_touches     (const NgamTileKey *key, guint layers, const double *bbox,
                                        double margin_px);

#define NGAM_TYPE_TILE_CACHE (ngam_tile_cache_get_type ())
G_DECLARE_FINAL_TYPE (NgamTileCache, ngam_tile_cache, NGAM, TILE_CACHE, GObject)

NgamTileCache *ngam_tile_cache_new        (gsize max_bytes);
GdkTexture    *ngam_tile_cache_lookup     (NgamTileCache *self, const NgamTileKey *key);
GdkTexture    *ngam_tile_cache_peek       (NgamTileCache *self, const NgamTileKey *key);
GdkTexture    *ngam_tile_cache_peek_any   (NgamTileCache *self, const NgamTileKey *key);
guint          ngam_tile_cache_mark_stale (NgamTileCache *self, guint layers, const double *bbox,
                                           double margin_px);
void           ngam_tile_cache_insert     (NgamTileCache *self, const NgamTileKey *key, GdkTexture *texture);
void           ngam_tile_cache_clear      (NgamTileCache *self);
guint          ngam_tile_cache_get_size   (NgamTileCache *self);
gsize          ngam_tile_cache_get_bytes  (NgamTileCache *self);
guint64        ngam_tile_cache_get_hits   (NgamTileCache *self);
guint64        ngam_tile_cache_get_misses (NgamTileCache *self);

G_END_DECLS
