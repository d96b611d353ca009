/* ngam-render.h — drawing the project's layers with cairo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One renderer for every map Ngầm draws: the desktop map view renders its
 * tiles with it on worker threads, the reports (ROADMAP item 3) will draw
 * their maps, legends, scale bars and north arrows with it into PDF pages.
 * It knows nothing of GTK: it takes a store, a view and a cairo_t.
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "ngam-store.h"

G_BEGIN_DECLS

#define NGAM_RENDER_ERROR (ngam_render_error_quark ())

typedef enum
{
  NGAM_RENDER_ERROR_INVALID_VIEW,  /* zero size, non-positive or non-finite scale */
} NgamRenderError;

/**
 * NgamRenderView:
 * @center_x: easting of the centre of the picture, project CRS
 * @center_y: northing of the centre
 * @scale: metres per pixel (ground distance of one pixel)
 * @width: picture width in pixels (cairo user units)
 * @height: picture height in pixels
 *
 * What part of the world a picture shows.  North is up; x grows east,
 * pixel y grows down.
 */
typedef struct
{
  double center_x;
  double center_y;
  double scale;
  int    width;
  int    height;
} NgamRenderView;

/* A bit per NgamLayerKind: which layers to draw. */
#define NGAM_RENDER_LAYER(kind) (1u << (kind))
#define NGAM_RENDER_ALL_LAYERS  ((1u << NGAM_N_LAYERS) - 1)

typedef enum
{
  NGAM_RENDER_DEFAULT       = 0,
  NGAM_RENDER_NO_BACKGROUND = 1 << 0,  /* leave the surface as it is below the layers */
  NGAM_RENDER_NO_LOD        = 1 << 1,  /* draw every feature at every scale (reports) */
  NGAM_RENDER_SITE_RANGES   = 1 << 2,  /* draw each cell site's coverage circle */
} NgamRenderFlags;

/**
 * NgamRenderStats:
 * @drawn: features drawn, per layer kind
 * @skipped: features read but too small to see at this scale
 * @layers_hidden_by_scale: layers not read at all because the scale is too
 *   small for them (a bit per kind)
 */
typedef struct
{
  guint drawn[NGAM_N_LAYERS];
  guint festival;              /* of the streets drawn, the festival ones */
  guint zones;                 /* the NgamZoneFlags of the zones drawn */
  guint skipped;
  guint layers_hidden_by_scale;
} NgamRenderStats;

/**
 * NgamRenderStyle:
 * @colour_by: per layer kind, the text field whose value colours the
 *   layer's features (categorised), or NULL for the layer's usual look.
 *   Only poles, manholes, demand, spans and routes honour it.
 *
 * How the project's layers are styled by attribute (kept in the project as
 * `colour-by=` in each layer's `[style]` group).  A NULL style, or one with
 * no field set, draws exactly the default look.
 */
typedef struct
{
  const char *colour_by[NGAM_N_LAYERS];
} NgamRenderStyle;

GQuark      ngam_render_error_quark     (void);

void        ngam_render_view_to_pixel   (const NgamRenderView *view, double x, double y,
                                         double *px, double *py);
void        ngam_render_view_from_pixel (const NgamRenderView *view, double px, double py,
                                         double *x, double *y);
void        ngam_render_view_get_bbox   (const NgamRenderView *view, double margin_px,
                                         double bbox[4]);

gboolean    ngam_render_map             (NgamStore            *store,
                                         cairo_t              *cr,
                                         const NgamRenderView *view,
                                         guint                 layers,
                                         NgamRenderFlags       flags,
                                         NgamRenderStats      *stats,
                                         GCancellable         *cancellable,
                                         GError              **error);

gboolean    ngam_render_map_styled      (NgamStore             *store,
                                         cairo_t               *cr,
                                         const NgamRenderView  *view,
                                         guint                  layers,
                                         NgamRenderFlags        flags,
                                         const NgamRenderStyle *style,
                                         NgamRenderStats       *stats,
                                         GCancellable          *cancellable,
                                         GError               **error);

gboolean    ngam_render_style_can_colour_by (NgamLayerKind kind, const char *field);
char       *ngam_render_style_parse_colour_by (NgamLayerKind kind, const char *style);

/**
 * NgamRenderCategory:
 * @value: (nullable): a value of the field a layer is coloured by, NULL
 *   for features without one
 * @count: the layer's live features with that value
 */
typedef struct
{
  char   *value;
  gint64  count;
} NgamRenderCategory;

GPtrArray  *ngam_render_style_count_categories (NgamStore *store, NgamLayerKind kind, const char *field,
                                                GCancellable *cancellable, GError **error);
void        ngam_render_category_free   (NgamRenderCategory *category);
void        ngam_render_category_rgb    (const char *value, double rgb[3]);

const NgamLayerKind *ngam_render_draw_order (void);
double      ngam_render_layer_max_scale (NgamLayerKind kind);
void        ngam_render_background_rgb  (double rgb[3]);
void        ngam_render_operator_rgb    (const char *operator_name, double rgb[3]);
void        ngam_render_legend_swatch   (cairo_t *cr, NgamLayerKind kind,
                                         double x, double y, double width, double height);
void        ngam_render_zone_swatch     (cairo_t *cr, const char *zone_type,
                                         double x, double y, double width, double height);
void        ngam_render_festival_swatch (cairo_t *cr, double x, double y, double width, double height);

int         ngam_render_street_labels   (NgamStore *store, cairo_t *cr, const NgamRenderView *view,
                                         int min_rank, const char *font, GCancellable *cancellable,
                                         GError **error);
gboolean    ngam_render_style_can_label_by (NgamLayerKind kind, const char *field);
char       *ngam_render_style_parse_labels (NgamLayerKind kind, const char *style);
int         ngam_render_feature_labels  (NgamStore *store, cairo_t *cr, const NgamRenderView *view,
                                         NgamLayerKind kind, const char *field, const char *font,
                                         GCancellable *cancellable, GError **error);

/* Map furniture, shared by the map view and the reports. */
double      ngam_render_nice_distance   (double max_metres);
char       *ngam_render_format_distance (double metres);
double      ngam_render_scale_bar       (cairo_t *cr, double x, double y,
                                         double metres_per_pixel, double max_width);
void        ngam_render_north_arrow     (cairo_t *cr, double x, double y, double size);

G_END_DECLS
