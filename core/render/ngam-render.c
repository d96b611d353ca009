/* ngam-render.c — drawing the project's layers with cairo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The renderer reads each visible layer through the spatial index
 * (ngam_store_query() with the view's box, widened by the largest symbol so
 * that a tile draws the part of a neighbour's feature that reaches into it)
 * and draws it in the layer's style (ngam-render-style.c), bottom to top in
 * the order of ngam_render_draw_order().  It works in pixel units of the
 * caller's cairo user space, so a caller who wants HiDPI output sets a
 * device scale on its surface.
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
#include <string.h>

#include "ngam-render-private.h"
#include "ngam-zone.h"

G_DEFINE_QUARK (ngam-render-error-quark, ngam_render_error)

/* Coverage circles of sites are drawn up to this radius; the query for
 * sites is widened by as much so that no tile misses a neighbour's circle. */
#define SITE_RANGE_MAX_M 5000.0
/* m/px beyond which the map is antialiased the fast way (see ngam_render_map_styled()) */
#define NGAM_RENDER_FAST_AA_SCALE 2.0
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
  int                   colour_i[NGAM_N_LAYERS];  /* field to colour by, or -1 */
  double               *xy;          /* path_part()'s scratch, scratch_len vertices */
  guint8               *keep;
  guint                *stack;
  guint                 scratch_len;
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

static void
anchor_pattern (Ctx *c, cairo_pattern_t *p)
{
  cairo_matrix_t m;
  double ox, oy;

  /* Whole pixels: an integer translation lets pixman repeat the tile by
   * plain copies; a fractional one sent every pixel of a zone through
   * its general transform (a third of the zones' time at the whole extent
   * of the 20,000 town).  Tiles of one map differ by whole pixels, so
   * they still line up. */
  ngam_render_view_to_pixel (c->view, 0, 0, &ox, &oy);
  ox = floor (ox + 0.5);
  oy = floor (oy + 0.5);
  cairo_matrix_init_translate (&m, -fmod (ox, HATCH_SPACING), -fmod (oy, HATCH_SPACING));
  cairo_pattern_set_matrix (p, &m);
}

/* ---- paths ----------------------------------------------------------- */

/* Marks in @keep the vertices of @xy[a..b] (pixels) that Douglas and
 * Peucker's simplification keeps at @tol pixels: each stretch between two
 * kept vertices is replaced by its chord when no vertex in it is further
 * than @tol from the chord.  Iterative, with @stack of at least 2·n. */
static void
simplify (const double *xy, guint n, double tol, guint8 *keep, guint *stack)
{
  guint top = 0;

  memset (keep, 0, n);
  keep[0] = keep[n - 1] = 1;
  stack[top++] = 0;
  stack[top++] = n - 1;
  while (top > 0)
    {
      guint b = stack[--top], a = stack[--top];
      double ax = xy[2 * a], ay = xy[2 * a + 1];
      double dx = xy[2 * b] - ax, dy = xy[2 * b + 1] - ay;
      double len2 = dx * dx + dy * dy;
      double worst = 0;
      guint at = 0;

      for (guint i = a + 1; i < b; i++)
        {
          double ex = xy[2 * i] - ax, ey = xy[2 * i + 1] - ay;
          double d2;

          if (len2 > 0)
            {
              double cross = ex * dy - ey * dx;

              d2 = cross * cross / len2;
            }
          else
            d2 = ex * ex + ey * ey;
          if (d2 > worst)
            {
              worst = d2;
              at = i;
            }
        }
      if (worst > tol * tol)
        {
          keep[at] = 1;
          stack[top++] = a;
          stack[top++] = at;
          stack[top++] = at;
          stack[top++] = b;
        }
    }
}

/* Puts one part of @s, in pixels, in c->xy, dropping vertices within half
 * a pixel of the previous kept one (always keeping the last) and marks in
 * c->keep those to draw: with level of detail, the ones Douglas–Peucker's
 * simplification keeps at a third of a pixel (a bend nobody can see costs
 * cairo's stroker a join).  Returns the number of vertices in c->xy. */
static guint
prepare_part (Ctx             *c,
              const NgamShape *s,
              guint            part)
{
  guint a = s->part_start[part], b = s->part_start[part + 1];
  double lx = 0, ly = 0;
  guint n = 0;

  if (b - a > c->scratch_len)
    {
      c->scratch_len = MAX (b - a, 2 * c->scratch_len);
      c->xy = g_renew (double, c->xy, 2 * c->scratch_len);
      c->keep = g_renew (guint8, c->keep, c->scratch_len);
      c->stack = g_renew (guint, c->stack, 2 * c->scratch_len);
    }
  for (guint i = a; i < b; i++)
    {
      double px = c->hw + (s->xy[2 * i] - c->view->center_x) * c->inv_scale;
      double py = c->hh - (s->xy[2 * i + 1] - c->view->center_y) * c->inv_scale;

      if (n > 0 && i + 1 < b && (px - lx) * (px - lx) + (py - ly) * (py - ly) < 0.25)
        continue;
      c->xy[2 * n] = lx = px;
      c->xy[2 * n + 1] = ly = py;
      n++;
    }
  if (c->lod && n > 2)
    simplify (c->xy, n, 1.0 / 3, c->keep, c->stack);
  else if (n > 0)
    memset (c->keep, 1, n);
  return n;
}

/* Adds one part of @s to the current path (prepare_part()).  Returns the
 * number of vertices kept. */
static guint
path_part (Ctx             *c,
           const NgamShape *s,
           guint            part,
           gboolean         close)
{
  guint n = prepare_part (c, s, part);

  if (n == 0)
    return 0;
  cairo_move_to (c->cr, c->xy[0], c->xy[1]);
  for (guint i = 1; i < n; i++)
    if (c->keep[i])
      cairo_line_to (c->cr, c->xy[2 * i], c->xy[2 * i + 1]);
  if (close)
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
      NgamZoneStyle style;

      if (f->shape->n_points == 0 || too_small (c, f->shape, 1.0))
        {
          c->stats->skipped++;
          continue;
        }
      style = ngam_render_zone_style (ngam_feature_get_text (f, type_i));
      c->stats->zones |= ngam_zone_from_name (ngam_feature_get_text (f, type_i));
      cairo_new_path (cr);
      path_polygons (c, f->shape);
      cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
      ngam_render_paint_zone (c->cr, ngam_render_zone_look (style), c->hatch);
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
  const NgamStreetClass *klass;
  gboolean           festival;
  gboolean           bridge;
  cairo_path_t      *path;
  guint32            place;       /* Morton code of its middle, 16-px cells */
} StreetItem;

static int
street_item_cmp (gconstpointer a, gconstpointer b)
{
  const StreetItem *x = a, *y = b;
  guint32 xo = x->order >> 24, yo = y->order >> 24;   /* bridge and rank */

  if (xo != yo)
    return xo < yo ? -1 : 1;
  if (x->klass != y->klass)
    return x->klass < y->klass ? -1 : 1;
  if (x->width != y->width)
    return x->width < y->width ? -1 : 1;
  if (x->place != y->place)
    return x->place < y->place ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static guint32
spread_bits (guint32 v)
{
  v &= 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v;
}

/* Strokes @it and the items after it of the same class and width, up to
 * STREET_BATCH of them, as one path: streets close together (they are
 * sorted by place) in one call cost cairo a fraction of one call each,
 * while a path over the whole picture would cost more (one polygon with
 * thousands of edges on every row).  Returns how many were stroked. */
#define STREET_BATCH 64
static guint
stroke_batch (cairo_t *cr, GArray *items, guint i, guint end, gboolean festival_only, double extra)
{
  StreetItem *first = &g_array_index (items, StreetItem, i);
  guint n = 0, k;

  cairo_new_path (cr);
  for (k = i; k < end && n < STREET_BATCH; k++)
    {
      StreetItem *it = &g_array_index (items, StreetItem, k);

      if (it->klass != first->klass || it->width != first->width)
        break;
      if (festival_only && !it->festival)
        continue;
      cairo_append_path (cr, it->path);
      n++;
    }
  cairo_set_line_width (cr, first->width + extra);
  cairo_stroke (cr);
  return k - i;
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
  /* the festival streets' extent in pixels, [bridge]: x0, y0, x1, y1 */
  double halo[2][4] = { { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE },
                        { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE } };
  const NgamFeature *f;
  cairo_t *cr = c->cr;
  gboolean ok;

  while ((f = next_feature (c, cur, error)) != NULL)
    {
      StreetItem it = { 0 };
      double corridor;

      it.klass = ngam_render_street_class (ngam_feature_get_text (f, highway_i));
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
      {
        double mx, my;

        ngam_render_view_to_pixel (c->view, (f->shape->bbox[0] + f->shape->bbox[2]) / 2,
                                   (f->shape->bbox[1] + f->shape->bbox[3]) / 2, &mx, &my);
        it.place = spread_bits ((guint32) CLAMP (mx / 16 + 1024, 0, 65535)) |
                   spread_bits ((guint32) CLAMP (my / 16 + 1024, 0, 65535)) << 1;
      }
      if (it.festival)
        {
          double *h = halo[it.bridge], x0, y0, x1, y1, pad = it.width / 2 + 6;

          c->stats->festival++;

          ngam_render_view_to_pixel (c->view, f->shape->bbox[0], f->shape->bbox[1], &x0, &y0);
          ngam_render_view_to_pixel (c->view, f->shape->bbox[2], f->shape->bbox[3], &x1, &y1);
          h[0] = MIN (h[0], MIN (x0, x1) - pad);
          h[1] = MIN (h[1], MIN (y0, y1) - pad);
          h[2] = MAX (h[2], MAX (x0, x1) + pad);
          h[3] = MAX (h[3], MAX (y0, y1) + pad);
        }
      cairo_new_path (cr);
      path_lines (c, f->shape);
      it.path = cairo_copy_path (cr);
      g_array_append_val (items, it);
    }
  ok = error == NULL || *error == NULL;
  cairo_new_path (cr);
  g_array_sort (items, street_item_cmp);
  /* Without casings (zoomed out, streets a few pixels wide) a square cap
   * closes a junction as well as a round one, for a tenth less time. */
  cairo_set_line_cap (cr, casing ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_SQUARE);
  /* Streets a few pixels wide need no sixteen-step edges: cairo's fast
   * antialiasing (4×4 samples) looks the same there, for a quarter less
   * time (bench/README.md, stop 24). */
  if (c->lod && !casing)
    cairo_set_antialias (cr, CAIRO_ANTIALIAS_FAST);
  cairo_set_line_join (cr, casing ? CAIRO_LINE_JOIN_ROUND : CAIRO_LINE_JOIN_BEVEL);

  for (guint start = 0; ok && start < items->len;)
    {
      StreetItem *group = &g_array_index (items, StreetItem, start);
      guint end = start;

      while (end < items->len && g_array_index (items, StreetItem, end).bridge == group->bridge)
        end++;
      /* The halo is stroked opaque into a group over the festival streets'
       * extent and laid down once, translucent: two festival streets that
       * cross (two batches) would otherwise darken where they overlap. */
      if (halo[group->bridge][0] <= halo[group->bridge][2])
        {
          const double *h = halo[group->bridge];
          double x0 = floor (CLAMP (h[0], -1, c->view->width + 1));
          double y0 = floor (CLAMP (h[1], -1, c->view->height + 1));
          double x1 = ceil (CLAMP (h[2], -1, c->view->width + 1));
          double y1 = ceil (CLAMP (h[3], -1, c->view->height + 1));

          cairo_save (cr);
          cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
          cairo_clip (cr);
          cairo_push_group (cr);
          cairo_set_source_rgb (cr, FESTIVAL_HALO_RGB);
          for (guint i = start; i < end;)
            i += stroke_batch (cr, items, i, end, TRUE, FESTIVAL_HALO_EXTRA);
          cairo_pop_group_to_source (cr);
          cairo_paint_with_alpha (cr, FESTIVAL_HALO_ALPHA);
          cairo_restore (cr);
        }
      if (casing)
        for (guint i = start; i < end;)
          {
            StreetItem *it = &g_array_index (items, StreetItem, i);
            double rgb[3];

            ngam_render_rgb_from_hex (it->klass->fill, rgb);
            if (it->bridge)
              cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
            else if (it->klass->fill == 0xffffff)
              cairo_set_source_rgb (cr, 0.70, 0.67, 0.62);
            else
              cairo_set_source_rgb (cr, rgb[0] * 0.72, rgb[1] * 0.72, rgb[2] * 0.72);
            i += stroke_batch (cr, items, i, end, FALSE, it->bridge ? 3.0 : 1.6);
          }
      for (guint i = start; i < end;)
        {
          StreetItem *it = &g_array_index (items, StreetItem, i);
          double rgb[3];
          guint n;

          ngam_render_rgb_from_hex (it->klass->fill, rgb);
          if (!casing && it->klass->fill == 0xffffff)
            cairo_set_source_rgb (cr, 0.72, 0.70, 0.66);   /* white on land vanishes */
          else
            ngam_render_set_rgb (cr, rgb);
          n = stroke_batch (cr, items, i, end, FALSE, 0);
          c->stats->drawn[NGAM_LAYER_STREETS] += n;
          i += n;
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
  gboolean any = FALSE;

  /* One path for all the boundaries: a line two areas share is covered
   * once, not twice, which both halves the band's cost and keeps it one
   * shade all over. */
  cairo_new_path (cr);
  while ((f = next_feature (c, cur, error)) != NULL)
    {
      if (f->shape->n_points == 0 || too_small (c, f->shape, 2.0))
        {
          c->stats->skipped++;
          continue;
        }
      path_polygons (c, f->shape);
      c->stats->drawn[NGAM_LAYER_ADMIN]++;
      any = TRUE;
    }
  if (any && (error == NULL || *error == NULL))
    {
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      /* A soft band inside the line, as boundaries on printed maps have;
       * not beyond 30 m/px with level of detail, where wards are a few
       * bands across and the bands would fill them. */
      if (!c->lod || c->view->scale <= 30.0)
        {
          cairo_set_source_rgba (cr, 0.55, 0.35, 0.70, 0.25);
          cairo_set_line_width (cr, 6.0);
          cairo_stroke_preserve (cr);
        }
      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
      cairo_set_source_rgba (cr, 0.45, 0.25, 0.60, 0.90);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
  cairo_new_path (cr);
  return error == NULL || *error == NULL;
}

/* A line of draw_operator_lines() zoomed out, kept until all are read. */
typedef struct
{
  guint start, n;   /* its vertices in the buffer, pixels */
  guint look;       /* index of its colour and dash */
} BufferedLine;

typedef struct
{
  char     *key;
  gboolean  dashed;
} LineLook;

/* A segment's key: its end points rounded to the pixel grid anchored at the
 * world's origin, so that every tile of a map agrees, in either direction,
 * and its dash.  Two 64-bit halves mixed into one (splitmix64's
 * finaliser): a town's segments are 10^5, a false match one chance in
 * 10^9. */
static gpointer
segment_key (const double origin[2], const double *p, const double *q, gboolean dashed)
{
  double ox = origin[0], oy = origin[1];
  guint64 a = ((guint64) (guint32) lround (p[0] + ox) << 32) | (guint32) lround (oy - p[1]);
  guint64 b = ((guint64) (guint32) lround (q[0] + ox) << 32) | (guint32) lround (oy - q[1]);
  guint64 key;

  if (a > b)
    {
      guint64 t = a;

      a = b;
      b = t;
    }
  key = (a * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)) ^ b ^ (dashed ? G_GUINT64_CONSTANT (0x5bd1e9955bd1e995) : 0);
  key ^= key >> 31;
  key *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  key ^= key >> 29;
  return GSIZE_TO_POINTER (key);
}

static void
set_line_look (Ctx *c, const char *key, gboolean dashed, gboolean by_field)
{
  double rgb[3];

  if (by_field)
    ngam_render_category_rgb (key, rgb);
  else
    ngam_render_operator_rgb (key, rgb);
  cairo_set_source_rgba (c->cr, rgb[0], rgb[1], rgb[2], 0.9);
  if (dashed)
    {
      static const double dash[] = { 5, 3 };
      cairo_set_dash (c->cr, dash, 2, 0);
    }
  else
    cairo_set_dash (c->cr, NULL, 0, 0);
}

/* Zoomed out, where several operators' routes share a street, only the
 * topmost line along it, the last in fid order, is drawn (with its own
 * dash: an aerial line over a buried one lets it show through): it hides
 * the others anyway, and half a town's segments are such repeats.  The
 * lines are read first, the repeats found from the last one back, and
 * the rest drawn in order. */
static void
stroke_buffered_lines (Ctx     *c,
                       GArray  *pts,
                       GArray  *lines,
                       GArray  *looks,
                       gboolean by_field)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autofree guint8 *draw = g_malloc0 (MAX (pts->len / 2, 1));   /* per segment, at its first vertex */
  const double *xy = (const double *) pts->data;
  /* the world's origin in the picture's pixels, which segment_key() rounds from */
  const double origin[2] = { c->view->center_x * c->inv_scale - c->hw, c->view->center_y * c->inv_scale + c->hh };
  cairo_t *cr = c->cr;

  for (guint l = lines->len; l-- > 0;)
    {
      const BufferedLine *line = &g_array_index (lines, BufferedLine, l);
      gboolean dashed = g_array_index (looks, LineLook, line->look).dashed;

      for (guint i = line->start; i + 1 < line->start + line->n; i++)
        draw[i] = g_hash_table_add (seen, segment_key (origin, xy + 2 * i, xy + 2 * i + 2, dashed));
    }
  for (guint l = 0; l < lines->len;)
    {
      guint look = g_array_index (lines, BufferedLine, l).look;
      const LineLook *lk = &g_array_index (looks, LineLook, look);

      cairo_new_path (cr);
      for (; l < lines->len && g_array_index (lines, BufferedLine, l).look == look; l++)
        {
          const BufferedLine *line = &g_array_index (lines, BufferedLine, l);
          gboolean pen_down = FALSE;

          for (guint i = line->start; i + 1 < line->start + line->n; i++)
            {
              if (!draw[i])
                {
                  pen_down = FALSE;
                  continue;
                }
              if (!pen_down)
                cairo_move_to (cr, xy[2 * i], xy[2 * i + 1]);
              cairo_line_to (cr, xy[2 * i + 2], xy[2 * i + 3]);
              pen_down = TRUE;
            }
        }
      set_line_look (c, lk->key, lk->dashed, by_field);
      cairo_stroke (cr);
    }
}

static void
line_look_clear (gpointer data)
{
  g_free (((LineLook *) data)->key);
}

/* Lines coloured by operator, in fid order.  Consecutive features of one
 * operator (the usual order after an import) share one stroke, which is
 * much faster. */
static gboolean
draw_operator_lines (Ctx              *c,
                     NgamStoreCursor  *cur,
                     NgamLayerKind     kind,
                     double            width,
                     GError          **error)
{
  int placement_i = kind == NGAM_LAYER_ROUTES ? field (kind, "placement") : -1;
  int colour_i = c->colour_i[kind];
  gboolean buffered = c->lod && c->view->scale > 4.0;
  g_autoptr(GArray) pts = NULL, lines = NULL, looks = NULL;
  g_autofree char *current = NULL;
  gboolean current_dashed = FALSE, any = FALSE;
  const NgamFeature *f;
  cairo_t *cr = c->cr;

  if (buffered)
    {
      pts = g_array_new (FALSE, FALSE, sizeof (double));
      lines = g_array_new (FALSE, FALSE, sizeof (BufferedLine));
      looks = g_array_new (FALSE, FALSE, sizeof (LineLook));
      g_array_set_clear_func (looks, line_look_clear);
    }
  /* A span is one straight pole-to-pole segment, thinner than two pixels:
   * round caps would cost two flattened arcs each and show nothing.  Nor
   * do they show on a route beyond 4 m/px, a line two pixels across whose
   * vertices are pixels apart: plain caps and joins there draw a town's
   * routes a fifth faster. */
  cairo_set_line_cap (cr, kind == NGAM_LAYER_SPANS || c->view->scale > 4.0 ? CAIRO_LINE_CAP_BUTT
                                                                           : CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, c->view->scale > 4.0 ? CAIRO_LINE_JOIN_BEVEL : CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, width);
  cairo_new_path (cr);
  while ((f = next_feature (c, cur, error)) != NULL)
    {
      gboolean dashed = placement_i >= 0 &&
                        g_strcmp0 (ngam_feature_get_text (f, placement_i), "aerial") == 0;
      const char *key = colour_i >= 0 ? (ngam_feature_is_null (f, colour_i) ? NULL : ngam_feature_get_text (f, colour_i))
                                      : f->operator_name;

      if (f->shape->n_points < 2 || too_small (c, f->shape, 0.5))
        {
          c->stats->skipped++;
          continue;
        }
      c->stats->drawn[kind]++;
      if (!any || g_strcmp0 (current, key) != 0 || dashed != current_dashed)
        {
          if (any && !buffered)
            cairo_stroke (cr);
          g_free (current);
          current = g_strdup (key);
          current_dashed = dashed;
          if (buffered)
            {
              LineLook lk = { g_strdup (key), dashed };

              g_array_append_val (looks, lk);
            }
          else
            set_line_look (c, current, dashed, colour_i >= 0);
          any = TRUE;
        }
      if (!buffered)
        {
          path_lines (c, f->shape);
          continue;
        }
      for (guint p = 0; p < f->shape->n_parts; p++)
        {
          guint n = prepare_part (c, f->shape, p);
          BufferedLine line = { pts->len / 2, 0, looks->len - 1 };

          for (guint i = 0; i < n; i++)
            if (c->keep[i])
              {
                g_array_append_vals (pts, c->xy + 2 * i, 2);
                line.n++;
              }
          if (line.n >= 2)
            g_array_append_val (lines, line);
          else
            g_array_set_size (pts, line.start * 2);
        }
    }
  if (any && !buffered)
    cairo_stroke (cr);
  if (any && buffered && (error == NULL || *error == NULL))
    stroke_buffered_lines (c, pts, lines, looks, colour_i >= 0);
  cairo_new_path (cr);
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
  g_autoptr(GArray) cols = NULL;   /* per point, when coloured by a field */
  int colour_i = c->colour_i[kind];
  const NgamFeature *f;
  cairo_t *cr = c->cr;
  double rgb[3];

  if (colour_i >= 0)
    cols = g_array_new (FALSE, FALSE, sizeof (double) * 3);
  while ((f = next_feature (c, cur, error)) != NULL)
    {
      double p[2];
      double col[3];

      if (f->shape->n_points == 0)
        continue;
      if (cols != NULL)
        ngam_render_category_rgb (ngam_feature_is_null (f, colour_i) ? NULL : ngam_feature_get_text (f, colour_i), col);
      for (guint i = 0; i < f->shape->n_points; i++)
        {
          to_pixel (c, f->shape, i, &p[0], &p[1]);
          g_array_append_val (pts, p);
          if (cols != NULL)
            g_array_append_val (cols, col);
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

          /* Coloured by a field: each mark its own fill (fewer, larger
           * symbols are the planner's close-up case). */
          if (cols != NULL && pass == 1)
            {
              cairo_new_path (cr);
              ngam_render_set_rgb (cr, &g_array_index (cols, double, 3 * i));
            }

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
          if (cols != NULL && pass == 1)
            cairo_fill (cr);
        }
      if (cols != NULL && pass == 1)
        break;
      if (pass == 0)
        cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
      else
        {
          ngam_render_rgb_from_hex (body, rgb);
          ngam_render_set_rgb (cr, rgb);
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
  /* Sites closer than a symbol would pile up into a smear: the map keeps
   * one per cell of a grid s pixels wide anchored at the world's origin,
   * the first in fid order, and beyond 8 m/px, where a town's sites would
   * carpet the streets, one per cell three symbols wide.  The cell, not
   * the picture, decides, so two tiles agree on every site near their
   * border (the query's margin holds every cell a visible symbol can be
   * in: layer_margin_m()). */
  double cell = s * (c->view->scale > 8.0 ? 3.0 : 1.0) * c->view->scale;
  g_autoptr(GHashTable) taken = c->lod ? g_hash_table_new (NULL, NULL) : NULL;

  while ((f = next_feature (c, cur, error)) != NULL)
    {
      double p[3];

      if (f->shape->n_points == 0)
        continue;
      if (taken != NULL)
        {
          guint64 gx = (guint32) (gint32) floor (f->shape->xy[0] / cell);
          guint64 gy = (guint32) (gint32) floor (f->shape->xy[1] / cell);

          if (!g_hash_table_add (taken, GSIZE_TO_POINTER ((gx << 32 | gy) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15))))
            {
              c->stats->skipped++;
              continue;
            }
        }
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
  if (kind == NGAM_LAYER_SITES)
    return 24.0 * c->view->scale;   /* a symbol's reach and its thinning cell, 21 px at most (draw_sites()) */
  return px * c->view->scale;
}

/* Layers whose style depends on attributes are read whole; the others
 * only as fid, operator and geometry, which is much faster. */
static gboolean
needs_fields (Ctx *c, NgamLayerKind kind)
{
  return c->colour_i[kind] >= 0 || kind == NGAM_LAYER_STREETS || kind == NGAM_LAYER_ZONES ||
         kind == NGAM_LAYER_ROUTES || (kind == NGAM_LAYER_SITES && c->site_ranges);
}

static gboolean
draw_layer (Ctx            *c,
            NgamStore      *store,
            NgamLayerKind   kind,
            GError        **error)
{
  g_autoptr(NgamStoreCursor) cur = NULL;
  g_autoptr(GPtrArray) street_values = NULL;
  NgamQueryFilter filter = { 0 };
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
  /* Streets of the classes too fine for the scale are left in the file. */
  if (kind == NGAM_LAYER_STREETS && c->lod &&
      ngam_render_street_filter (scale, street_values = g_ptr_array_new_with_free_func (g_free), &filter.exclude))
    {
      filter.field = "highway";
      filter.values = (const char *const *) street_values->pdata;
    }
  cur = ngam_store_query_filtered (store, kind, bbox,
                                   needs_fields (c, kind) ? NGAM_QUERY_NO_PROVENANCE : NGAM_QUERY_SHAPE_ONLY,
                                   filter.field != NULL ? &filter : NULL, error);
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
  return ngam_render_map_styled (store, cr, view, layers, flags, NULL, stats, cancellable, error);
}

/**
 * ngam_render_map_styled:
 * @style: (nullable): fields to colour layers by; NULL is ngam_render_map()
 *
 * ngam_render_map() with the layers coloured by attribute as @style says.
 * A field a layer cannot be coloured by (ngam_render_style_can_colour_by())
 * is ignored, so a project with a stale style still draws.
 */
gboolean
ngam_render_map_styled (NgamStore             *store,
                        cairo_t               *cr,
                        const NgamRenderView  *view,
                        guint                  layers,
                        NgamRenderFlags        flags,
                        const NgamRenderStyle *style,
                        NgamRenderStats       *stats,
                        GCancellable          *cancellable,
                        GError               **error)
{
  NgamRenderStats local_stats;
  Ctx c = { 0 };
  const NgamLayerKind *draw_order = ngam_render_draw_order ();
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
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      const char *name = style != NULL ? style->colour_by[k] : NULL;

      c.colour_i[k] = ngam_render_style_can_colour_by (k, name) ? ngam_layer_field_index (k, name) : -1;
    }

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, view->width, view->height);
  cairo_clip (cr);
  /* Curves (dots, round joins) flattened to a quarter pixel: the eye cannot
   * tell, and cairo's default of a tenth costs a third more time. */
  cairo_set_tolerance (cr, 0.25);
  /* Zoomed out, cairo's fast antialiasing (a 4×4 sample grid instead of
   * its exact coverage) draws the whole map a third faster, and the two
   * pictures differ by a shade on some edge pixels: nothing one sees at a
   * scale where a street is two pixels across.  Close up, and in every
   * picture drawn without level of detail (a report's maps at 1:50,000
   * and closer), the exact one. */
  if (c.lod && view->scale > NGAM_RENDER_FAST_AA_SCALE)
    cairo_set_antialias (cr, CAIRO_ANTIALIAS_FAST);
  if ((flags & NGAM_RENDER_NO_BACKGROUND) == 0)
    {
      double background[3];

      ngam_render_background_rgb (background);
      ngam_render_set_rgb (cr, background);
      cairo_paint (cr);
    }
  ngam_render_zone_hatches_new (c.hatch);
  for (guint i = 0; i < G_N_ELEMENTS (c.hatch); i++)
    anchor_pattern (&c, c.hatch[i]);

  for (guint i = 0; ok && i < NGAM_N_LAYERS; i++)
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

  ngam_render_zone_hatches_free (c.hatch);
  g_free (c.xy);
  g_free (c.keep);
  g_free (c.stack);
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

