/* ngam-map-view.h — the map widget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ngam-project.h"
#include "ngam-tile-cache.h"
#include "ngam-viewport.h"

G_BEGIN_DECLS

#define NGAM_TYPE_MAP_VIEW (ngam_map_view_get_type ())
G_DECLARE_FINAL_TYPE (NgamMapView, ngam_map_view, NGAM, MAP_VIEW, GtkWidget)

GtkWidget     *ngam_map_view_new                 (void);
NgamViewport  *ngam_map_view_get_viewport        (NgamMapView *self);
void           ngam_map_view_set_project         (NgamMapView *self, NgamProject *project);
NgamProject   *ngam_map_view_get_project         (NgamMapView *self);
void           ngam_map_view_add_layer           (NgamMapView *self, GtkWidget *layer);
guint64        ngam_map_view_get_n_stale         (NgamMapView *self);
void           ngam_map_view_hold_pan            (NgamMapView *self);
gboolean       ngam_map_view_get_gliding         (NgamMapView *self);
void           ngam_map_view_set_layer_opacity   (NgamMapView *self, NgamLayerKind kind, double opacity);
double         ngam_map_view_get_layer_opacity   (NgamMapView *self, NgamLayerKind kind);
void           ngam_map_view_set_layer_colour_by (NgamMapView *self, NgamLayerKind kind, const char *field);
const char    *ngam_map_view_get_layer_colour_by (NgamMapView *self, NgamLayerKind kind);
void           ngam_map_view_set_layer_order     (NgamMapView *self, const NgamLayerKind *order);
const NgamLayerKind *ngam_map_view_get_layer_order (NgamMapView *self);
void           ngam_map_view_set_cursor_name     (NgamMapView *self, const char *name);
guint          ngam_map_view_get_visible_layers  (NgamMapView *self);
void           ngam_map_view_set_visible_layers  (NgamMapView *self, guint layers);
void           ngam_map_view_set_layer_visible   (NgamMapView *self, guint kind, gboolean visible);
void           ngam_map_view_zoom_to_bbox        (NgamMapView *self, const double bbox[4]);
void           ngam_map_view_zoom                (NgamMapView *self, double factor);
void           ngam_map_view_invalidate          (NgamMapView *self);
gboolean       ngam_map_view_get_loading         (NgamMapView *self);
NgamTileCache *ngam_map_view_get_tile_cache      (NgamMapView *self);
guint64        ngam_map_view_get_n_rendered      (NgamMapView *self);

G_END_DECLS
