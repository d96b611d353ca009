/* ngam-render-furniture.c — legend swatches, scale bar, north arrow
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a map carries besides the map: the desktop map view's layer list
 * and scale bar, and the reports' legends, scale bars and north arrows, all
 * drawn in the styles of ngam-render-style.c.
 */
#define G_LOG_DOMAIN "ngam-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-render-private.h"

/* ---- legend ---------------------------------------------------------- */

/**
 * ngam_render_legend_swatch:
 *
 * Draws the symbol of @kind into the given box: the same style as the
 * map, so a legend (layer list, report) always matches it.
 */
/**
 * ngam_render_festival_swatch:
 *
 * A festival street in a legend: the street's swatch over the map's halo.
 */
void
ngam_render_festival_swatch (cairo_t *cr,
                             double   x,
                             double   y,
                             double   width,
                             double   height)
{
  double r = MIN (width, height) / 2;

  cairo_save (cr);
  cairo_new_path (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_move_to (cr, x + 1 + r / 2, y + height - 3);
  cairo_line_to (cr, x + width - 1 - r / 2, y + 3);
  cairo_set_source_rgba (cr, FESTIVAL_HALO_RGB, FESTIVAL_HALO_ALPHA);
  cairo_set_line_width (cr, MIN (r * 0.9 + FESTIVAL_HALO_EXTRA, height));
  cairo_stroke (cr);
  cairo_restore (cr);
  ngam_render_legend_swatch (cr, NGAM_LAYER_STREETS, x, y, width, height);
}

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
  cairo_new_path (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  switch (kind)
    {
    case NGAM_LAYER_ZONES:
      {
        /* Heritage: the zone planners look for first. */
        cairo_pattern_t *hatch[N_HATCHES];

        ngam_render_zone_hatches_new (hatch);
        cairo_rectangle (cr, x + 1.5, y + 1.5, width - 3, height - 3);
        ngam_render_paint_zone (cr, ngam_render_zone_look (NGAM_ZONE_STYLE_HERITAGE), hatch);
        ngam_render_zone_hatches_free (hatch);
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
      ngam_render_rgb_from_hex (0xfcd6a4, rgb);
      ngam_render_set_rgb (cr, rgb);
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
            ngam_render_set_rgb (cr, rgb);
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
      ngam_render_rgb_from_hex (0x37474f, rgb);
      ngam_render_set_rgb (cr, rgb);
      cairo_fill (cr);
      break;
    case NGAM_LAYER_POLES:
      cairo_arc (cr, cx, cy, r * 0.35, 0, 2 * G_PI);
      ngam_render_rgb_from_hex (0x263238, rgb);
      ngam_render_set_rgb (cr, rgb);
      cairo_fill (cr);
      break;
    case NGAM_LAYER_DEMAND:
      ngam_render_rgb_from_hex (0x43a047, rgb);
      ngam_render_set_rgb (cr, rgb);
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

/* Text with a light halo, anchored at (@x, @y) by the fractions @anchor_x,
 * @anchor_y of its size (0, 0: top left; 0.5, 1: bottom centre). */
void
ngam_render_draw_text (cairo_t    *cr,
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
  ngam_render_draw_text (cr, "0", x, y - h - 2, 0.5, 1, "Sans 8");
  ngam_render_draw_text (cr, label, x + w, y - h - 2, 0.5, 1, "Sans 8");
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
  ngam_render_draw_text (cr, "N", x, top - 1, 0.5, 1, "Sans Bold 9");
  cairo_restore (cr);
}


/**
 * ngam_render_zone_swatch:
 * @zone_type: a zone type or alias (ngam-zone.h)
 *
 * Draws the look of one kind of zone into the given box, as the map
 * draws it: a report's legend lists the zones one by one.
 */
void
ngam_render_zone_swatch (cairo_t    *cr,
                         const char *zone_type,
                         double      x,
                         double      y,
                         double      width,
                         double      height)
{
  cairo_pattern_t *hatch[N_HATCHES];

  cairo_save (cr);
  cairo_new_path (cr);
  ngam_render_zone_hatches_new (hatch);
  cairo_rectangle (cr, x + 1.5, y + 1.5, width - 3, height - 3);
  ngam_render_paint_zone (cr, ngam_render_zone_look (ngam_render_zone_style (zone_type)), hatch);
  ngam_render_zone_hatches_free (hatch);
  cairo_restore (cr);
}
