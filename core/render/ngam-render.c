/* ngam-render.c — drawing the project's layers with cairo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The renderer reads each visible layer through the spatial index
 * (ngam_store_query() with the view's box, widened by the largest symbol so
 * that a tile draws the part of a neighbour's feature that reaches into it)
 * and draws it in the layer's style, bottom to top in the order of
 * draw_order[].  It works in pixel units of the caller's cairo user space,
 * so a caller who wants HiDPI output sets a device scale on its surface.
 *
 * Level of detail follows the habit of web map styles (a "minzoom" per layer
 * and per street class): each layer has a largest scale at which it is read
 * at all (ngam_render_layer_max_scale()), street classes have their own, and
 * any feature whose envelope is under a pixel, or any vertex within half a
 * pixel of the previous one, is skipped.  Symbols are sized in pixels, so
 * that two tiles of one zoom level agree on every stroke that crosses their
 * border; patterns (hatching) are anchored at the world origin for the same
 * reason.
 *
 * Everything here may run on any thread: the caller owns the store (a
 * SQLite connection is never shared between threads) and the cairo_t, and
 * PangoCairo's default font map is per thread.
 */
#define G_LOG_DOMAIN "ngam-render"

#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "ngam-render.h"
#include "ngam-zone.h"

G_DEFINE_QUARK (ngam-render-error-quark, ngam_render_error)

/* Bottom to top. */
static const NgamLayerKind draw_order[] = {
  NGAM_LAYER_ZONES,
  NGAM_LAYER_STREETS,
  NGAM_LAYER_ADMIN,
  NGAM_LAYER_DEMAND,
  NGAM_LAYER_DUCTS,
  NGAM_LAYER_ROUTES,
  NGAM_LAYER_SPANS,
  NGAM_LAYER_MANHOLES,
  NGAM_LAYER_POLES,
  NGAM_LAYER_SITES,
};
G_STATIC_ASSERT (G_N_ELEMENTS (draw_order) == NGAM_N_LAYERS);

/* Land, like the paper of a town plan. */
static const double background[3] = { 0.949, 0.937, 0.914 };

/* Coverage circles of sites are drawn up to this radius; the query for
 * sites is widened by as much so that no tile misses a neighbour's circle. */
#define SITE_RANGE_MAX_M 5000.0
#define HATCH_SPACING 8      /* divides the tile size, so hatching meets across tiles */

#define N_HATCHES 3   /* see zone_hatches */

typedef struct
{
  cairo_t              *cr;
  const NgamRenderView *view;
  double                hw, hh;      /* half the picture, px */
  double                inv_scale;   /* px per metre */
  gboolean              lod;
  gboolean              site_ranges;
  NgamRenderStats      *stats;
  GCancellable         *cancellable;
  cairo_pattern_t      *hatch[N_HATCHES];
} Ctx;

/* ---- the view ------------------------------------------------------- */

void
ngam_render_view_to_pixel (const NgamRenderView *view,
                           double                x,
                           double                y,
                           double               *px,
                           double               *py)
{
  *px = view->width / 2.0 + (x - view->center_x) / view->scale;
  *py = view->height / 2.0 - (y - view->center_y) / view->scale;
}

void
ngam_render_view_from_pixel (const NgamRenderView *view,
                             double                px,
                             double                py,
                             double               *x,
                             double               *y)
{
  *x = view->center_x + (px - view->width / 2.0) * view->scale;
  *y = view->center_y - (py - view->height / 2.0) * view->scale;
}

/* The world box the picture shows, widened by @margin_px on every side. */
void
ngam_render_view_get_bbox (const NgamRenderView *view,
                           double                margin_px,
                           double                bbox[4])
{
  double hx = (view->width / 2.0 + margin_px) * view->scale;
  double hy = (view->height / 2.0 + margin_px) * view->scale;

  bbox[0] = view->center_x - hx;
  bbox[1] = view->center_y - hy;
  bbox[2] = view->center_x + hx;
  bbox[3] = view->center_y + hy;
}

/* ---- styles ---------------------------------------------------------- */

/* Returns: the NGAM_N_LAYERS kinds, bottom to top, as the map stacks them
 *   (a legend lists them the other way round). */
const NgamLayerKind *
ngam_render_draw_order (void)
{
  return draw_order;
}

/**
 * ngam_render_layer_max_scale:
 *
 * Returns: the largest scale (metres per pixel) at which the layer is drawn
 *   (INFINITY for always): beyond it its symbols would merge into a smear
 *   and reading them would cost time for nothing.
 */
double
ngam_render_layer_max_scale (NgamLayerKind kind)
{
  switch (kind)
    {
    case NGAM_LAYER_POLES: return 4.0;
    case NGAM_LAYER_MANHOLES: return 4.0;
    case NGAM_LAYER_DEMAND: return 2.5;
    case NGAM_LAYER_SPANS: return 6.0;
    case NGAM_LAYER_ROUTES: return 60.0;
    case NGAM_LAYER_DUCTS: return 60.0;
    case NGAM_LAYER_STREETS:
    case NGAM_LAYER_ZONES:
    case NGAM_LAYER_ADMIN:
    case NGAM_LAYER_SITES:
    case NGAM_N_LAYERS:
    default:
      return INFINITY;
    }
}

void
ngam_render_background_rgb (double rgb[3])
{
  memcpy (rgb, background, sizeof background);
}

static void
set_rgb (cairo_t *cr, const double rgb[3])
{
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
}

/* Operators that Huế planners meet every day keep their usual colours;
 * others get one of a palette chosen for distinctness (Tableau 10). */
static const struct
{
  const char *name;
  guint32     rgb;
} operator_colors[] = {
  { "VNPT", 0x1565c0 },
  { "Viettel", 0xd32f2f },
  { "FPT", 0xef6c00 },
  { "MobiFone", 0x6a1b9a },
  { "Vietnamobile", 0xc0a000 },
  { "SCTV", 0x00897b },
  { "VTVcab", 0x2e7d32 },
  { "CMC", 0xad1457 },
  { "EVN", 0x5d4037 },
};

static const guint32 palette[] = {
  0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
  0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0x6b6b6b,
};

static void
rgb_from_hex (guint32 hex, double rgb[3])
{
  rgb[0] = ((hex >> 16) & 0xff) / 255.0;
  rgb[1] = ((hex >> 8) & 0xff) / 255.0;
  rgb[2] = (hex & 0xff) / 255.0;
}

/* The colour of an operator's cables, stable across runs and machines. */
void
ngam_render_operator_rgb (const char *operator_name,
                          double      rgb[3])
{
  guint32 h = 5381;

  if (operator_name == NULL || *operator_name == '\0')
    {
      rgb_from_hex (0x555555, rgb);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (operator_colors); i++)
    if (g_ascii_strcasecmp (operator_name, operator_colors[i].name) == 0)
      {
        rgb_from_hex (operator_colors[i].rgb, rgb);
        return;
      }
  /* djb2 over the bytes: g_str_hash is not promised to stay the same. */
  for (const char *p = operator_name; *p; p++)
    h = h * 33 + (guchar) g_ascii_tolower (*p);
  rgb_from_hex (palette[h % G_N_ELEMENTS (palette)], rgb);
}

typedef struct
{
  const char *highway;
  int         rank;        /* drawing order: higher on top */
  double      width_m;     /* corridor when the data has no width */
  double      min_px;      /* never thinner than this */
  guint32     fill;
  double      max_scale;   /* m/px beyond which the class is not drawn */
} StreetClass;

/* Colours after OpenStreetMap Carto, which every GIS user reads fluently. */
static const StreetClass street_classes[] = {
  { "motorway", 7, 22, 4.0, 0xe892a2, INFINITY },
  { "trunk", 6, 18, 3.5, 0xf9b29c, INFINITY },
  { "primary", 5, 16, 3.5, 0xfcd6a4, INFINITY },
  { "secondary", 4, 12, 3.0, 0xf7fabf, INFINITY },
  { "tertiary", 3, 10, 2.5, 0xffffff, 40.0 },
  { "unclassified", 2, 7, 2.0, 0xffffff, 16.0 },
  { "residential", 2, 7, 2.0, 0xffffff, 16.0 },
  { "living_street", 2, 6, 2.0, 0xededed, 16.0 },
  { "service", 1, 4, 1.4, 0xffffff, 6.0 },
  { "alley", 1, 3, 1.4, 0xffffff, 6.0 },
  { "track", 1, 3, 1.2, 0xe6d7b8, 6.0 },
  { "pedestrian", 1, 5, 1.6, 0xdddde8, 6.0 },
  { "footway", 0, 2, 1.0, 0xfa8072, 3.0 },
  { "path", 0, 2, 1.0, 0xfa8072, 3.0 },
  { "cycleway", 0, 2, 1.0, 0x6f6ff0, 3.0 },
  { "steps", 0, 2, 1.0, 0xfa8072, 3.0 },
};

static const StreetClass street_default = { NULL, 2, 7, 2.0, 0xffffff, 16.0 };

static const StreetClass *
street_class (const char *highway)
{
  if (highway == NULL)
    return &street_default;
  for (guint i = 0; i < G_N_ELEMENTS (street_classes); i++)
    if (strcmp (highway, street_classes[i].highway) == 0)
      return &street_classes[i];
  /* "primary_link" and friends look like their class. */
  for (guint i = 0; i < G_N_ELEMENTS (street_classes); i++)
    {
      gsize n = strlen (street_classes[i].highway);

      if (strncmp (highway, street_classes[i].highway, n) == 0 && strcmp (highway + n, "_link") == 0)
        return &street_classes[i];
    }
  return &street_default;
}

typedef enum
{
  ZONE_FLOOD,
  ZONE_WATER,
  ZONE_HERITAGE,
  ZONE_FESTIVAL,
  ZONE_LANDSLIDE,
  ZONE_NO_DIG,
  ZONE_OTHER,
} ZoneStyle;

/* The look follows the one zone vocabulary (ngam-zone.h), aliases and all. */
static ZoneStyle
zone_style (const char *zone_type)
{
  switch (ngam_zone_from_name (zone_type))
    {
    case NGAM_ZONE_FLOOD: return ZONE_FLOOD;
    case NGAM_ZONE_WATER: return ZONE_WATER;
    case NGAM_ZONE_HERITAGE: return ZONE_HERITAGE;
    case NGAM_ZONE_FESTIVAL: return ZONE_FESTIVAL;
    case NGAM_ZONE_LANDSLIDE: return ZONE_LANDSLIDE;
    case NGAM_ZONE_NO_DIG: return ZONE_NO_DIG;
    default: return ZONE_OTHER;
    }
}

/* How each kind of zone looks: a wash, hatching over it, an outline. */
typedef struct
{
  double fill[4];       /* RGBA; alpha 0: no wash */
  int    hatch;         /* index into Ctx.hatch, or -1 */
  double line[4];
  double line_width;
  gboolean dashed;
} ZoneLook;

static const ZoneLook zone_looks[] = {
  [ZONE_FLOOD]     = { { 0.30, 0.55, 0.85, 0.16 }, -1, { 0.25, 0.50, 0.85, 0.55 }, 1.0, TRUE },
  [ZONE_WATER]     = { { 0.667, 0.827, 0.875, 1 }, -1, { 0.55, 0.72, 0.80, 1 }, 1.0, FALSE },
  [ZONE_HERITAGE]  = { { 0.80, 0.55, 0.25, 0.10 }, 0, { 0.60, 0.32, 0.10, 0.85 }, 1.6, FALSE },
  [ZONE_FESTIVAL]  = { { 0.95, 0.30, 0.60, 0.10 }, -1, { 0.85, 0.20, 0.55, 0.60 }, 1.0, FALSE },
  [ZONE_LANDSLIDE] = { { 0.55, 0.40, 0.20, 0.18 }, 2, { 0.45, 0.30, 0.15, 0.70 }, 1.0, FALSE },
  [ZONE_NO_DIG]    = { { 0 }, 1, { 0.80, 0.10, 0.10, 0.80 }, 1.4, FALSE },
  [ZONE_OTHER]     = { { 0.5, 0.5, 0.5, 0.10 }, -1, { 0.4, 0.4, 0.4, 0.6 }, 1.0, FALSE },
};

/* Fills and strokes the current path as a zone of @look; @hatch holds the
 * patterns its hatch index names.  The map and the legend both draw zones
 * through here, so they cannot drift apart. */
static void
paint_zone (cairo_t          *cr,
            const ZoneLook   *look,
            cairo_pattern_t **hatch)
{
  static const double dash[] = { 5, 3 };

  if (look->fill[3] > 0)
    {
      cairo_set_source_rgba (cr, look->fill[0], look->fill[1], look->fill[2], look->fill[3]);
      cairo_fill_preserve (cr);
    }
  if (look->hatch >= 0)
    {
      cairo_set_source (cr, hatch[look->hatch]);
      cairo_fill_preserve (cr);
    }
  cairo_set_source_rgba (cr, look->line[0], look->line[1], look->line[2], look->line[3]);
  cairo_set_line_width (cr, look->line_width);
  cairo_set_dash (cr, look->dashed ? dash : NULL, look->dashed ? G_N_ELEMENTS (dash) : 0, 0);
  cairo_stroke (cr);
}

/* A repeating tile of diagonal strokes (and the other diagonal too when
 * @cross) in the given colour, on transparent. */
static cairo_pattern_t *
hatch_pattern (guint32  hex,
               double   alpha,
               gboolean cross)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, HATCH_SPACING, HATCH_SPACING);
  cairo_t *cr = cairo_create (s);
  cairo_pattern_t *p;
  double rgb[3];

  rgb_from_hex (hex, rgb);
  cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], alpha);
  cairo_set_line_width (cr, 1.2);
  /* Three segments so the stroke continues across the tile's corners. */
  for (int k = -1; k <= 1; k++)
    {
      cairo_move_to (cr, k * HATCH_SPACING, HATCH_SPACING);
      cairo_line_to (cr, (k + 1) * HATCH_SPACING, 0);
      if (cross)
        {
          cairo_move_to (cr, k * HATCH_SPACING, 0);
          cairo_line_to (cr, (k + 1) * HATCH_SPACING, HATCH_SPACING);
        }
    }
  cairo_stroke (cr);
  cairo_destroy (cr);
  p = cairo_pattern_create_for_surface (s);
  cairo_surface_destroy (s);
  cairo_pattern_set_extend (p, CAIRO_EXTEND_REPEAT);
  return p;
}

/* The hatchings of zones (ZoneLook.hatch): heritage, no-dig, landslide. */
static void
zone_hatches_new (cairo_pattern_t *hatch[N_HATCHES])
{
  static const struct { guint32 hex; double alpha; gboolean cross; } zone_hatches[N_HATCHES] = {
    { 0x9c5a1e, 0.55, FALSE }, { 0xc62828, 0.50, TRUE }, { 0x6d4c2a, 0.35, FALSE },
  };

  for (guint i = 0; i < N_HATCHES; i++)
    hatch[i] = hatch_pattern (zone_hatches[i].hex, zone_hatches[i].alpha, zone_hatches[i].cross);
}

static void
zone_hatches_free (cairo_pattern_t *hatch[N_HATCHES])
{
  for (guint i = 0; i < N_HATCHES; i++)
    cairo_pattern_destroy (hatch[i]);
}

/* Anchors @p at the world origin, so the hatching of two tiles lines up. */
static void
anchor_pattern (Ctx *c, cairo_pattern_t *p)
{
  cairo_matrix_t m;
  double ox, oy;

  ngam_render_view_to_pixel (c->view, 0, 0, &ox, &oy);
  cairo_matrix_init_translate (&m, -fmod (ox, HATCH_SPACING), -fmod (oy, HATCH_SPACING));
  cairo_pattern_set_matrix (p, &m);
}

/* ---- paths ----------------------------------------------------------- */

/* Adds one part of @s to the current path, dropping vertices within half a
 * pixel of the previous kept one (always keeping the last).  Returns the
 * number of vertices kept. */
static guint
path_part (Ctx             *c,
           const NgamShape *s,
           guint            part,
           gboolean         close)
{
  guint a = s->part_start[part], b = s->part_start[part + 1];
  double lx = 0, ly = 0;
  guint n = 0;

  for (guint i = a; i < b; i++)
    {
      double px = c->hw + (s->xy[2 * i] - c->view->center_x) * c->inv_scale;
      double py = c->hh - (s->xy[2 * i + 1] - c->view->center_y) * c->inv_scale;

      if (n == 0)
        cairo_move_to (c->cr, px, py);
      else if (i + 1 < b && (px - lx) * (px - lx) + (py - ly) * (py - ly) < 0.25)
        continue;
      else
        cairo_line_to (c->cr, px, py);
      lx = px;
      ly = py;
      n++;
    }
  if (close && n > 0)
    cairo_close_path (c->cr);
  return n;
}

/* TRUE when @s is too small to see: under @min_px in both directions. */
static gboolean
too_small (Ctx *c, const NgamShape *s, double min_px)
{
  return c->lod &&
         (s->bbox[2] - s->bbox[0]) * c->inv_scale < min_px &&
         (s->bbox[3] - s->bbox[1]) * c->inv_scale < min_px;
}

static void
path_lines (Ctx *c, const NgamShape *s)
{
  for (guint p = 0; p < s->n_parts; p++)
    path_part (c, s, p, FALSE);
}

static void
path_polygons (Ctx *c, const NgamShape *s)
{
  for (guint p = 0; p < s->n_parts; p++)
    path_part (c, s, p, TRUE);
}

static void
to_pixel (Ctx *c, const NgamShape *s, guint i, double *px, double *py)
{
  *px = c->hw + (s->xy[2 * i] - c->view->center_x) * c->inv_scale;
  *py = c->hh - (s->xy[2 * i + 1] - c->view->center_y) * c->inv_scale;
}

/* Reads the next feature, or NULL at the end, on cancellation or on error
 * (then @error is set). */
static const NgamFeature *
next_feature (Ctx              *c,
              NgamStoreCursor  *cursor,
              GError          **error)
{
  if (g_cancellable_set_error_if_cancelled (c->cancellable, error))
    return NULL;
  if (!ngam_store_cursor_next (cursor, error))
    return NULL;
  return ngam_store_cursor_get (cursor);
}

static int
field (NgamLayerKind kind, const char *name)
{
  int i = ngam_layer_field_index (kind, name);

  g_assert (i >= 0);
  return i;
}

static double
real_or (const NgamFeature *f, int i, double fallback)
{
  return ngam_feature_is_null (f, i) ? fallback : ngam_feature_get_real (f, i);
}

/* ---- layers ---------------------------------------------------------- */

static gboolean
draw_zones (Ctx *c, NgamStoreCursor *cur, GError **error)
{
  int type_i = field (NGAM_LAYER_ZONES, "zone_type");
  const NgamFeature *f;
  cairo_t *cr = c->cr;

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  while ((f = next_feature (c, cur, error)) != NULL)
    {
      ZoneStyle style;

      if (f->shape->n_points == 0 || too_small (c, f->shape, 1.0))
        {
          c->stats->skipped++;
          continue;
        }
      style = zone_style (ngam_feature_get_text (f, type_i));
      cairo_new_path (cr);
      path_polygons (c, f->shape);
      cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
      paint_zone (c->cr, &zone_looks[style], c->hatch);
      c->stats->drawn[NGAM_LAYER_ZONES]++;
    }
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_WINDING);
  return error == NULL || *error == NULL;
}

typedef struct
{
  guint              order;       /* bridge, then rank, then reading order */
  double             width;       /* px */
  const StreetClass *klass;
  gboolean           festival;
  gboolean           bridge;
  cairo_path_t      *path;
} StreetItem;

static int
street_item_cmp (gconstpointer a, gconstpointer b)
{
  const StreetItem *x = a, *y = b;

  return x->order < y->order ? -1 : x->order > y->order;
}

static void
stroke_item (cairo_t *cr, const StreetItem *it, double width)
{
  cairo_new_path (cr);
  cairo_append_path (cr, it->path);
  cairo_set_line_width (cr, width);
  cairo_stroke (cr);
}

/* Streets are drawn in passes over all of them (festival halo, casing,
 * fill), lowest class first, bridges last with their own passes: that is
 * what makes junctions look joined instead of stacked. */
static gboolean
draw_streets (Ctx *c, NgamStoreCursor *cur, GError **error)
{
  int highway_i = field (NGAM_LAYER_STREETS, "highway");
  int width_i = field (NGAM_LAYER_STREETS, "width_m");
  int side_i = field (NGAM_LAYER_STREETS, "sidewalk_m");
  int bridge_i = field (NGAM_LAYER_STREETS, "bridge");
  int festival_i = field (NGAM_LAYER_STREETS, "festival");
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (StreetItem));
  double scale = c->view->scale;
  gboolean casing = scale <= 12.0;
  const NgamFeature *f;
  cairo_t *cr = c->cr;
  gboolean ok;

  while ((f = next_feature (c, cur, error)) != NULL)
    {
      StreetItem it = { 0 };
      double corridor;

      it.klass = street_class (ngam_feature_get_text (f, highway_i));
      if ((c->lod && scale > it.klass->max_scale) || f->shape->n_points < 2 ||
          too_small (c, f->shape, 0.5))
        {
          c->stats->skipped++;
          continue;
        }
      corridor = real_or (f, width_i, it.klass->width_m) + 2 * real_or (f, side_i, 0);
      it.width = MAX (it.klass->min_px, corridor * c->inv_scale);
      it.bridge = !ngam_feature_is_null (f, bridge_i) && ngam_feature_get_bool (f, bridge_i);
      it.festival = !ngam_feature_is_null (f, festival_i) && ngam_feature_get_bool (f, festival_i);
      it.order = ((it.bridge ? 1u : 0u) << 31) | ((guint) it.klass->rank << 24) | (items->len & 0xffffff);
      cairo_new_path (cr);
      path_lines (c, f->shape);
      it.path = cairo_copy_path (cr);
      g_array_append_val (items, it);
    }
  ok = error == NULL || *error == NULL;
  cairo_new_path (cr);
  g_array_sort (items, street_item_cmp);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  for (guint start = 0; ok && start < items->len;)
    {
      StreetItem *group = &g_array_index (items, StreetItem, start);
      guint end = start;

      while (end < items->len && g_array_index (items, StreetItem, end).bridge == group->bridge)
        end++;
      for (guint i = start; i < end; i++)
        {
          StreetItem *it = &g_array_index (items, StreetItem, i);

          if (!it->festival)
            continue;
          cairo_set_source_rgba (cr, 0.90, 0.20, 0.55, 0.35);
          stroke_item (cr, it, it->width + 9);
        }
      if (casing)
        for (guint i = start; i < end; i++)
          {
            StreetItem *it = &g_array_index (items, StreetItem, i);
            double rgb[3];

            rgb_from_hex (it->klass->fill, rgb);
            if (it->bridge)
              cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
            else if (it->klass->fill == 0xffffff)
              cairo_set_source_rgb (cr, 0.70, 0.67, 0.62);
            else
              cairo_set_source_rgb (cr, rgb[0] * 0.72, rgb[1] * 0.72, rgb[2] * 0.72);
            stroke_item (cr, it, it->width + (it->bridge ? 3.0 : 1.6));
          }
      for (guint i = start; i < end; i++)
        {
          StreetItem *it = &g_array_index (items, StreetItem, i);
          double rgb[3];

          rgb_from_hex (it->klass->fill, rgb);
          if (!casing && it->klass->fill == 0xffffff)
            cairo_set_source_rgb (cr, 0.72, 0.70, 0.66);   /* white on land vanishes */
          else
            set_rgb (cr, rgb);
          stroke_item (cr, it, it->width);
          c->stats->drawn[NGAM_LAYER_STREETS]++;
        }
      start = end;
    }
  for (guint i = 0; i < items->len; i++)
    cairo_path_destroy (g_array_index (items, StreetItem, i).path);
  return ok;
}

static gboolean
draw_admin (Ctx *c, NgamStoreCursor *cur, GError **error)
{
  static const double dash[] = { 8, 3, 2, 3 };
  const NgamFeature *f;
  cairo_t *cr = c->cr;

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  while ((f = next_feature (c, cur, error)) != NULL)
    {
      if (f->shape->n_points == 0 || too_small (c, f->shape, 2.0))
        {
          c->stats->skipped++;
          continue;
        }
      cairo_new_path (cr);
      path_polygons (c, f->shape);
      /* A soft band inside the line, as boundaries on printed maps have. */
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_set_source_rgba (cr, 0.55, 0.35, 0.70, 0.18);
      cairo_set_line_width (cr, 6.0);
      cairo_stroke_preserve (cr);
      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
      cairo_set_source_rgba (cr, 0.45, 0.25, 0.60, 0.90);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
      c->stats->drawn[NGAM_LAYER_ADMIN]++;
    }
  cairo_set_dash (cr, NULL, 0, 0);
  return error == NULL || *error == NULL;
}

/* Lines coloured by operator.  Consecutive features of one operator (the
 * usual order after an import) share one stroke, which is much faster. */
static gboolean
draw_operator_lines (Ctx              *c,
                     NgamStoreCursor  *cur,
                     NgamLayerKind     kind,
                     double            width,
                     GError          **error)
{
  int placement_i = kind == NGAM_LAYER_ROUTES ? field (kind, "placement") : -1;
  g_autofree char *current = NULL;
  gboolean current_dashed = FALSE, any = FALSE;
  const NgamFeature *f;
  cairo_t *cr = c->cr;

  /* A span is one straight pole-to-pole segment, thinner than two pixels:
   * round caps would cost two flattened arcs each and show nothing. */
  cairo_set_line_cap (cr, kind == NGAM_LAYER_SPANS ? CAIRO_LINE_CAP_BUTT : CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, width);
  cairo_new_path (cr);
  while ((f = next_feature (c, cur, error)) != NULL)
    {
      gboolean dashed = placement_i >= 0 &&
                        g_strcmp0 (ngam_feature_get_text (f, placement_i), "aerial") == 0;

      if (f->shape->n_points < 2 || too_small (c, f->shape, 0.5))
        {
          c->stats->skipped++;
          continue;
        }
      if (!any || g_strcmp0 (current, f->operator_name) != 0 || dashed != current_dashed)
        {
          double rgb[3];

          if (any)
            cairo_stroke (cr);
          g_free (current);
          current = g_strdup (f->operator_name);
          current_dashed = dashed;
          ngam_render_operator_rgb (current, rgb);
          cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], 0.9);
          if (dashed)
            {
              static const double dash[] = { 5, 3 };
              cairo_set_dash (cr, dash, 2, 0);
            }
          else
            cairo_set_dash (cr, NULL, 0, 0);
          any = TRUE;
        }
      path_lines (c, f->shape);
      c->stats->drawn[kind]++;
    }
  if (any)
    cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  return error == NULL || *error == NULL;
}

/* Duct banks: a dark band with a light core, like a pipe in section. */
static gboolean
draw_ducts (Ctx *c, NgamStoreCursor *cur, GError **error)
{
  const NgamFeature *f;
  cairo_t *cr = c->cr;
  gboolean any = FALSE;

  cairo_new_path (cr);
  while ((f = next_feature (c, cur, error)) != NULL)
    {
      if (f->shape->n_points < 2 || too_small (c, f->shape, 0.5))
        {
          c->stats->skipped++;
          continue;
        }
      path_lines (c, f->shape);
      c->stats->drawn[NGAM_LAYER_DUCTS]++;
      any = TRUE;
    }
  if (any)
    {
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_set_source_rgb (cr, 0.36, 0.25, 0.20);
      cairo_set_line_width (cr, 4.0);
      cairo_stroke_preserve (cr);
      cairo_set_source_rgb (cr, 0.84, 0.73, 0.55);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
    }
  cairo_new_path (cr);
  return error == NULL || *error == NULL;
}

typedef enum { MARK_DOT, MARK_SQUARE } Mark;

/* Point symbols in one or two fills for the whole layer: an outline colour
 * at radius + @halo under the body colour. */
static gboolean
draw_marks (Ctx              *c,
            NgamStoreCursor  *cur,
            NgamLayerKind     kind,
            Mark              mark,
            double            radius,
            double            halo,
            guint32           body,
            GError          **error)
{
  g_autoptr(GArray) pts = g_array_new (FALSE, FALSE, sizeof (double) * 2);
  const NgamFeature *f;
  cairo_t *cr = c->cr;
  double rgb[3];

  while ((f = next_feature (c, cur, error)) != NULL)
    {
      double p[2];

      if (f->shape->n_points == 0)
        continue;
      for (guint i = 0; i < f->shape->n_points; i++)
        {
          to_pixel (c, f->shape, i, &p[0], &p[1]);
          g_array_append_val (pts, p);
        }
      c->stats->drawn[kind]++;
    }
  if (error != NULL && *error != NULL)
    return FALSE;
  for (int pass = halo > 0 ? 0 : 1; pass < 2; pass++)
    {
      double r = pass == 0 ? radius + halo : radius;

      cairo_new_path (cr);
      for (guint i = 0; i < pts->len; i++)
        {
          const double *p = &g_array_index (pts, double, 2 * i);

          if (mark == MARK_DOT && r >= 1.5)
            {
              cairo_new_sub_path (cr);
              cairo_arc (cr, p[0], p[1], r, 0, 2 * G_PI);
            }
          else if (mark == MARK_DOT)
            {
              /* Under three pixels across a dot and a square of the same
               * area look alike, and squares fill several times faster. */
              double h = r * 0.886;   /* √π / 2 */

              cairo_rectangle (cr, p[0] - h, p[1] - h, 2 * h, 2 * h);
            }
          else
            cairo_rectangle (cr, p[0] - r, p[1] - r, 2 * r, 2 * r);
        }
      if (pass == 0)
        cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
      else
        {
          rgb_from_hex (body, rgb);
          set_rgb (cr, rgb);
        }
      cairo_fill (cr);
    }
  return TRUE;
}

/* Cell sites: a triangle, and when asked (coverage maps) the coverage
 * circle if it is big enough to say something.  Not by default: a town's
 * circles overlap until they tint everything. */
static gboolean
draw_sites (Ctx *c, NgamStoreCursor *cur, double detail, GError **error)
{
  int range_i = field (NGAM_LAYER_SITES, "range_m");
  g_autoptr(GArray) pts = g_array_new (FALSE, FALSE, sizeof (double) * 3);
  const NgamFeature *f;
  cairo_t *cr = c->cr;
  const double s = 6.0 * MAX (detail, 0.85);

  while ((f = next_feature (c, cur, error)) != NULL)
    {
      double p[3];

      if (f->shape->n_points == 0)
        continue;
      to_pixel (c, f->shape, 0, &p[0], &p[1]);
      p[2] = MIN (real_or (f, range_i, 0), SITE_RANGE_MAX_M) * c->inv_scale;
      g_array_append_val (pts, p);
      c->stats->drawn[NGAM_LAYER_SITES]++;
    }
  if (error != NULL && *error != NULL)
    return FALSE;

  cairo_set_line_width (cr, 1.0);
  for (guint i = 0; c->site_ranges && i < pts->len; i++)
    {
      const double *p = &g_array_index (pts, double, 3 * i);

      if (p[2] < 6 || (c->lod && p[2] > 4000))
        continue;
      cairo_new_path (cr);
      cairo_arc (cr, p[0], p[1], p[2], 0, 2 * G_PI);
      cairo_set_source_rgba (cr, 0.76, 0.09, 0.36, 0.05);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, 0.76, 0.09, 0.36, 0.35);
      cairo_stroke (cr);
    }
  cairo_new_path (cr);
  for (guint i = 0; i < pts->len; i++)
    {
      const double *p = &g_array_index (pts, double, 3 * i);

      cairo_move_to (cr, p[0], p[1] - s);
      cairo_line_to (cr, p[0] + s * 0.9, p[1] + s * 0.6);
      cairo_line_to (cr, p[0] - s * 0.9, p[1] + s * 0.6);
      cairo_close_path (cr);
    }
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, 2.5);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgb (cr, 0.76, 0.09, 0.36);
  cairo_fill (cr);
  return TRUE;
}

/* How far outside the picture a feature of @kind may lie and still paint
 * into it, in metres. */
static double
layer_margin_m (Ctx *c, NgamLayerKind kind)
{
  double px = 12.0;

  if (kind == NGAM_LAYER_STREETS)
    return px * c->view->scale + 30.0;   /* half the widest corridor */
  if (kind == NGAM_LAYER_SITES && c->site_ranges)
    return px * c->view->scale + SITE_RANGE_MAX_M;
  return px * c->view->scale;
}

/* Layers whose style depends on attributes are read whole; the others
 * only as fid, operator and geometry, which is much faster. */
static gboolean
needs_fields (Ctx *c, NgamLayerKind kind)
{
  return kind == NGAM_LAYER_STREETS || kind == NGAM_LAYER_ZONES ||
         kind == NGAM_LAYER_ROUTES || (kind == NGAM_LAYER_SITES && c->site_ranges);
}

static gboolean
draw_layer (Ctx            *c,
            NgamStore      *store,
            NgamLayerKind   kind,
            GError        **error)
{
  g_autoptr(NgamStoreCursor) cur = NULL;
  double bbox[4];
  double margin = layer_margin_m (c, kind);
  double scale = c->view->scale;
  /* Symbols grow a little as one zooms in, and stay legible zoomed out. */
  double detail = CLAMP (1.0 / sqrt (MAX (scale, 0.05)), 0.7, 1.6);
  gboolean ok = FALSE;

  ngam_render_view_get_bbox (c->view, 0, bbox);
  bbox[0] -= margin;
  bbox[1] -= margin;
  bbox[2] += margin;
  bbox[3] += margin;
  cur = ngam_store_query (store, kind, bbox,
                          needs_fields (c, kind) ? NGAM_QUERY_DEFAULT : NGAM_QUERY_SHAPE_ONLY, error);
  if (cur == NULL)
    return FALSE;

  cairo_save (c->cr);
  switch (kind)
    {
    case NGAM_LAYER_ZONES:
      ok = draw_zones (c, cur, error);
      break;
    case NGAM_LAYER_STREETS:
      ok = draw_streets (c, cur, error);
      break;
    case NGAM_LAYER_ADMIN:
      ok = draw_admin (c, cur, error);
      break;
    case NGAM_LAYER_DUCTS:
      ok = draw_ducts (c, cur, error);
      break;
    case NGAM_LAYER_ROUTES:
      ok = draw_operator_lines (c, cur, kind, 2.2, error);
      break;
    case NGAM_LAYER_SPANS:
      ok = draw_operator_lines (c, cur, kind, scale <= 1.0 ? 1.6 : 1.1, error);
      break;
    case NGAM_LAYER_MANHOLES:
      ok = draw_marks (c, cur, kind, MARK_SQUARE, 2.4 * detail, 1.0, 0x37474f, error);
      break;
    case NGAM_LAYER_POLES:
      ok = draw_marks (c, cur, kind, MARK_DOT, 1.7 * detail, scale <= 2.0 ? 0.9 : 0, 0x263238, error);
      break;
    case NGAM_LAYER_DEMAND:
      ok = draw_marks (c, cur, kind, MARK_SQUARE, 1.5 * detail, 0, 0x43a047, error);
      break;
    case NGAM_LAYER_SITES:
      ok = draw_sites (c, cur, detail, error);
      break;
    case NGAM_N_LAYERS:
    default:
      g_assert_not_reached ();
    }
  cairo_restore (c->cr);
  return ok;
}

/**
 * ngam_render_map:
 * @store: the project, used by this thread only for the length of the call
 * @cr: where to draw; the picture fills (0, 0)–(width, height) of its user space
 * @view: the part of the world to draw
 * @layers: which layers, a mask of NGAM_RENDER_LAYER() bits
 * @stats: (out) (optional): what was drawn
 * @cancellable: (nullable): checked between features
 *
 * Draws the background and the visible layers of @store.  On failure (a
 * store error, or cancellation: %G_IO_ERROR_CANCELLED) the picture is left
 * half drawn and must be thrown away.
 *
 * Returns: TRUE when the picture is complete.
 */
gboolean
ngam_render_map (NgamStore            *store,
                 cairo_t              *cr,
                 const NgamRenderView *view,
                 guint                 layers,
                 NgamRenderFlags       flags,
                 NgamRenderStats      *stats,
                 GCancellable         *cancellable,
                 GError              **error)
{
  NgamRenderStats local_stats;
  Ctx c = { 0 };
  gboolean ok = TRUE;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (cr != NULL && view != NULL, FALSE);

  if (!(view->width > 0 && view->height > 0 && view->scale > 0 && isfinite (view->scale) &&
        isfinite (view->center_x) && isfinite (view->center_y)))
    {
      g_set_error (error, NGAM_RENDER_ERROR, NGAM_RENDER_ERROR_INVALID_VIEW,
                   "cannot draw %s: invalid view (%d×%d px at %g m/px)",
                   ngam_store_get_path (store), view->width, view->height, view->scale);
      return FALSE;
    }
  if (stats == NULL)
    stats = &local_stats;
  memset (stats, 0, sizeof *stats);

  c.cr = cr;
  c.view = view;
  c.hw = view->width / 2.0;
  c.hh = view->height / 2.0;
  c.inv_scale = 1.0 / view->scale;
  c.lod = (flags & NGAM_RENDER_NO_LOD) == 0;
  c.site_ranges = (flags & NGAM_RENDER_SITE_RANGES) != 0;
  c.stats = stats;
  c.cancellable = cancellable;

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, view->width, view->height);
  cairo_clip (cr);
  /* Curves (dots, round joins) flattened to a quarter pixel: the eye cannot
   * tell, and cairo's default of a tenth costs a third more time. */
  cairo_set_tolerance (cr, 0.25);
  if ((flags & NGAM_RENDER_NO_BACKGROUND) == 0)
    {
      set_rgb (cr, background);
      cairo_paint (cr);
    }
  zone_hatches_new (c.hatch);
  for (guint i = 0; i < G_N_ELEMENTS (c.hatch); i++)
    anchor_pattern (&c, c.hatch[i]);

  for (guint i = 0; ok && i < G_N_ELEMENTS (draw_order); i++)
    {
      NgamLayerKind kind = draw_order[i];

      if ((layers & NGAM_RENDER_LAYER (kind)) == 0)
        continue;
      if (c.lod && view->scale > ngam_render_layer_max_scale (kind))
        {
          stats->layers_hidden_by_scale |= NGAM_RENDER_LAYER (kind);
          continue;
        }
      ok = draw_layer (&c, store, kind, error);
    }

  zone_hatches_free (c.hatch);
  cairo_restore (cr);
  if (ok && cairo_status (cr) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, NGAM_RENDER_ERROR, NGAM_RENDER_ERROR_INVALID_VIEW,
                   "cannot draw %s: %s", ngam_store_get_path (store),
                   cairo_status_to_string (cairo_status (cr)));
      return FALSE;
    }
  return ok;
}

/* ---- legend ---------------------------------------------------------- */

/**
 * ngam_render_legend_swatch:
 *
 * Draws the symbol of @kind into the given box: the same style as the
 * map, so a legend (layer list, report) always matches it.
 */
void
ngam_render_legend_swatch (cairo_t       *cr,
                           NgamLayerKind  kind,
                           double         x,
                           double         y,
                           double         width,
                           double         height)
{
  double cx = x + width / 2, cy = y + height / 2;
  double r = MIN (width, height) / 2;
  double rgb[3];

  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  switch (kind)
    {
    case NGAM_LAYER_ZONES:
      {
        /* Heritage: the zone planners look for first. */
        cairo_pattern_t *hatch[N_HATCHES];

        zone_hatches_new (hatch);
        cairo_rectangle (cr, x + 1.5, y + 1.5, width - 3, height - 3);
        paint_zone (cr, &zone_looks[ZONE_HERITAGE], hatch);
        zone_hatches_free (hatch);
      }
      break;
    case NGAM_LAYER_ADMIN:
      {
        static const double dash[] = { 5, 2, 1.5, 2 };

        cairo_rectangle (cr, x + 2, y + 2, width - 4, height - 4);
        cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
        cairo_set_source_rgba (cr, 0.45, 0.25, 0.60, 0.90);
        cairo_set_line_width (cr, 1.5);
        cairo_stroke (cr);
      }
      break;
    case NGAM_LAYER_STREETS:
      cairo_move_to (cr, x + 1, y + height - 3);
      cairo_line_to (cr, x + width - 1, y + 3);
      cairo_set_source_rgb (cr, 0.70, 0.67, 0.62);
      cairo_set_line_width (cr, r * 0.9);
      cairo_stroke_preserve (cr);
      rgb_from_hex (0xfcd6a4, rgb);
      set_rgb (cr, rgb);
      cairo_set_line_width (cr, r * 0.9 - 2);
      cairo_stroke (cr);
      break;
    case NGAM_LAYER_DUCTS:
      cairo_move_to (cr, x + 2, cy);
      cairo_line_to (cr, x + width - 2, cy);
      cairo_set_source_rgb (cr, 0.36, 0.25, 0.20);
      cairo_set_line_width (cr, 4.0);
      cairo_stroke_preserve (cr);
      cairo_set_source_rgb (cr, 0.84, 0.73, 0.55);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
      break;
    case NGAM_LAYER_ROUTES:
    case NGAM_LAYER_SPANS:
      {
        static const char *ops[] = { "VNPT", "Viettel", "FPT" };

        for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
          {
            double yy = y + height * (i + 1) / 4.0;

            ngam_render_operator_rgb (ops[i], rgb);
            set_rgb (cr, rgb);
            cairo_set_line_width (cr, kind == NGAM_LAYER_ROUTES ? 2.2 : 1.3);
            cairo_move_to (cr, x + 2, yy);
            if (kind == NGAM_LAYER_SPANS)   /* hung between poles: a sag */
              cairo_curve_to (cr, cx, yy + 3, cx, yy + 3, x + width - 2, yy);
            else
              cairo_line_to (cr, x + width - 2, yy);
            cairo_stroke (cr);
          }
      }
      break;
    case NGAM_LAYER_MANHOLES:
      cairo_rectangle (cr, cx - r * 0.45, cy - r * 0.45, r * 0.9, r * 0.9);
      rgb_from_hex (0x37474f, rgb);
      set_rgb (cr, rgb);
      cairo_fill (cr);
      break;
    case NGAM_LAYER_POLES:
      cairo_arc (cr, cx, cy, r * 0.35, 0, 2 * G_PI);
      rgb_from_hex (0x263238, rgb);
      set_rgb (cr, rgb);
      cairo_fill (cr);
      break;
    case NGAM_LAYER_DEMAND:
      rgb_from_hex (0x43a047, rgb);
      set_rgb (cr, rgb);
      for (int i = 0; i < 3; i++)
        cairo_rectangle (cr, x + width * (0.2 + 0.25 * i), y + height * (i % 2 ? 0.3 : 0.55),
                         r * 0.4, r * 0.4);
      cairo_fill (cr);
      break;
    case NGAM_LAYER_SITES:
      cairo_move_to (cr, cx, cy - r * 0.8);
      cairo_line_to (cr, cx + r * 0.75, cy + r * 0.55);
      cairo_line_to (cr, cx - r * 0.75, cy + r * 0.55);
      cairo_close_path (cr);
      cairo_set_source_rgb (cr, 0.76, 0.09, 0.36);
      cairo_fill (cr);
      break;
    case NGAM_N_LAYERS:
    default:
      break;
    }
  cairo_restore (cr);
}

/* ---- map furniture ----------------------------------------------------- */

/**
 * ngam_render_nice_distance:
 *
 * Returns: the largest 1, 2 or 5 × 10ⁿ metres not above @max_metres (what a
 *   scale bar should show), or 0 when @max_metres is not positive.
 */
double
ngam_render_nice_distance (double max_metres)
{
  double p, m;

  if (!(max_metres > 0) || !isfinite (max_metres))
    return 0;
  p = pow (10, floor (log10 (max_metres)));
  m = max_metres / p;
  /* Rounding noise: 0.999999 of a decade is the decade. */
  if (m >= 5 - 1e-9)
    return 5 * p;
  if (m >= 2 - 1e-9)
    return 2 * p;
  return p;
}

/* "500 m", "2 km", "1.5 km", "20 cm". */
char *
ngam_render_format_distance (double metres)
{
  if (metres >= 1000)
    return g_strdup_printf ("%g km", metres / 1000);
  if (metres >= 1 || metres == 0)
    return g_strdup_printf ("%g m", metres);
  return g_strdup_printf ("%g cm", metres * 100);
}

static void
draw_text (cairo_t    *cr,
           const char *text,
           double      x,
           double      y,
           double      anchor_x,
           double      anchor_y,
           const char *font)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  x -= w * anchor_x;
  y -= h * anchor_y;
  /* A light halo keeps the text readable over any map. */
  cairo_move_to (cr, x, y);
  pango_cairo_layout_path (cr, layout);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
  cairo_set_line_width (cr, 3);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
  cairo_move_to (cr, x, y);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (desc);
  g_object_unref (layout);
}

/**
 * ngam_render_scale_bar:
 * @x: left end of the bar
 * @y: baseline of the bar (its label sits above)
 * @metres_per_pixel: the map's scale
 * @max_width: the longest bar wanted, in the same units as @x
 *
 * Draws a two-part chequered bar of a round length with its label.
 *
 * Returns: the bar's width, or 0 if no round length fits.
 */
double
ngam_render_scale_bar (cairo_t *cr,
                       double   x,
                       double   y,
                       double   metres_per_pixel,
                       double   max_width)
{
  double metres = ngam_render_nice_distance (max_width * metres_per_pixel);
  double w = metres / metres_per_pixel;
  const double h = 5;
  g_autofree char *label = NULL;

  if (metres <= 0 || !(w >= 1))
    return 0;
  label = ngam_render_format_distance (metres);
  cairo_save (cr);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, x, y - h, w, h);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_stroke (cr);
  cairo_rectangle (cr, x, y - h, w / 2, h);
  cairo_fill (cr);
  draw_text (cr, "0", x, y - h - 2, 0.5, 1, "Sans 8");
  draw_text (cr, label, x + w, y - h - 2, 0.5, 1, "Sans 8");
  cairo_restore (cr);
  return w;
}

/**
 * ngam_render_north_arrow:
 * @x, @y: centre of the arrow
 * @size: its height
 *
 * A split arrowhead with an "N" above it.  The project CRS is a transverse
 * Mercator whose grid north is within a degree of true north anywhere a
 * province plan reaches, so the arrow points straight up.
 */
void
ngam_render_north_arrow (cairo_t *cr,
                         double   x,
                         double   y,
                         double   size)
{
  double h = size * 0.7, w = size * 0.28;
  double top = y - h / 2 + size * 0.15, bottom = y + h / 2 + size * 0.15;

  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, x, top);
  cairo_line_to (cr, x - w, bottom);
  cairo_line_to (cr, x, bottom - h * 0.25);
  cairo_close_path (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_stroke (cr);
  cairo_move_to (cr, x, top);
  cairo_line_to (cr, x + w, bottom);
  cairo_line_to (cr, x, bottom - h * 0.25);
  cairo_close_path (cr);
  cairo_fill_preserve (cr);
  cairo_stroke (cr);
  draw_text (cr, "N", x, top - 1, 0.5, 1, "Sans Bold 9");
  cairo_restore (cr);
}
