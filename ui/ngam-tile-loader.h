/* ngam-tile-loader.h — renders map tiles on worker threads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ngam-project.h"
#include "ngam-tile-cache.h"

G_BEGIN_DECLS

#define NGAM_TYPE_TILE_LOADER (ngam_tile_loader_get_type ())
G_DECLARE_FINAL_TYPE (NgamTileLoader, ngam_tile_loader, NGAM, TILE_LOADER, GObject)

NgamTileLoader *ngam_tile_loader_new           (NgamProject *project);
NgamProject    *ngam_tile_loader_get_project   (NgamTileLoader *self);
guint           ngam_tile_loader_get_n_stores  (NgamTileLoader *self);
void            ngam_tile_loader_set_colour_by (NgamTileLoader *self, NgamLayerKind kind, const char *field);

GdkTexture     *ngam_tile_loader_render        (NgamTileLoader     *self,
                                                const NgamTileKey  *key,
                                                GCancellable       *cancellable,
                                                GError            **error);
void            ngam_tile_loader_render_async  (NgamTileLoader     *self,
                                                const NgamTileKey  *key,
                                                GCancellable       *cancellable,
                                                GAsyncReadyCallback callback,
                                                gpointer            user_data);
GdkTexture     *ngam_tile_loader_render_finish (NgamTileLoader     *self,
                                                GAsyncResult       *result,
                                                GError            **error);

GdkTexture      *ngam_texture_new_for_pixels    (guchar *pixels, int width, int height, int stride);
cairo_surface_t *ngam_texture_get_cairo_surface (GdkTexture *texture);

G_END_DECLS
