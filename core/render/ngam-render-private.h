/* ngam-render-private.h — what the renderer's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The styles (ngam-render-style.c) are read by the drawing of the map
 * (ngam-render.c), of the results (ngam-render-results.c) and of the
 * legend (ngam-render-furniture.c), so that a legend can never drift from
 * what the map shows.
 */
#pragma once

#include <pango/pangocairo.h>

#include "ngam-render.h"

G_BEGIN_DECLS

#define HATCH_SPACING 8      /* divides the tile size, so hatching meets across tiles */
#define N_HATCHES     3      /* heritage, no-dig, landslide: see ngam_render_zone_hatches_new() */
/* A festival street's halo: this colour at this opacity, this many pixels
 * wider than the street (the map and the legends' swatch) */
#define FESTIVAL_HALO_RGB   0.90, 0.20, 0.55
#define FESTIVAL_HALO_ALPHA 0.35
#define FESTIVAL_HALO_EXTRA 9.0

typedef struct
{
  const char *highway;
  int         rank;        /* drawing order: higher on top */
  double      width_m;     /* corridor when the data has no width */
  double      min_px;      /* never thinner than this */
  guint32     fill;
  double      max_scale;   /* m/px beyond which the class is not drawn */
} NgamStreetClass;

typedef enum
{
  NGAM_ZONE_STYLE_FLOOD,
  NGAM_ZONE_STYLE_WATER,
  NGAM_ZONE_STYLE_HERITAGE,
  NGAM_ZONE_STYLE_FESTIVAL,
  NGAM_ZONE_STYLE_LANDSLIDE,
  NGAM_ZONE_STYLE_NO_DIG,
  NGAM_ZONE_STYLE_OTHER,
} NgamZoneStyle;

/* How each kind of zone looks: a wash, hatching over it, an outline. */
typedef struct
{
  double   fill[4];       /* RGBA; alpha 0: no wash */
  int      hatch;         /* index into the hatch patterns, or -1 */
  double   line[4];
  double   line_width;
  gboolean dashed;
} NgamZoneLook;

void                   ngam_render_rgb_from_hex   (guint32 hex, double rgb[3]);
void                   ngam_render_set_rgb        (cairo_t *cr, const double rgb[3]);
const NgamStreetClass *ngam_render_street_class   (const char *highway);
gboolean               ngam_render_street_filter  (double scale, GPtrArray *values, gboolean *exclude);
NgamZoneStyle          ngam_render_zone_style     (const char *zone_type);
const NgamZoneLook    *ngam_render_zone_look      (NgamZoneStyle style);
void                   ngam_render_paint_zone     (cairo_t *cr, const NgamZoneLook *look,
                                                   cairo_pattern_t **hatch);
void                   ngam_render_zone_hatches_new  (cairo_pattern_t *hatch[N_HATCHES]);
void                   ngam_render_zone_hatches_free (cairo_pattern_t *hatch[N_HATCHES]);

void                   ngam_render_draw_text      (cairo_t *cr, const char *text, double x, double y,
                                                   double anchor_x, double anchor_y, const char *font);

char *ngam_render_style_dup_key (const char *style, const char *key);

G_END_DECLS
