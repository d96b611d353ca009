/* ngam-render-results.c — drawing a plan's and a gaps analysis's results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Results are drawn over a base map (ngam_render_map() of streets, zones
 * and wards) in the order a reader scans them: hazard zones and gap areas
 * as washes at the bottom, the aerial spans that come down as thin dashed
 * lines, the trenches on top of them as thick strokes with a white casing,
 * then manholes and poles.  Sizes are in the caller's units (pixels on
 * screen, points on a PDF page), like the rest of the renderer.
 */
#define G_LOG_DOMAIN "ngam-render"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "ngam-render-private.h"
#include "ngam-render-results.h"

/* Phases in the order of urgency: warm first, then cool; beyond six the
 * colours repeat, darker. */
static const guint32 phase_colors[] = {
  0xc62828, 0xef6c00, 0xf9a825, 0x2e7d32, 0x1565c0, 0x6a1b9a,
};

void
ngam_render_phase_rgb (int     phase,
                       double  rgb[3])
{
  guint n = G_N_ELEMENTS (phase_colors);

  if (phase < 1)
    {
      ngam_render_rgb_from_hex (0x9e9e9e, rgb);   /* unphased, unfunded */
      return;
    }
  ngam_render_rgb_from_hex (phase_colors[(phase - 1) % n], rgb);
  if ((guint) (phase - 1) >= n)
    for (int i = 0; i < 3; i++)
      rgb[i] *= 0.6;
}

static const struct
{
  const char *method;
  guint32     rgb;
} method_colors[] = {
  { "open_cut_sidewalk", 0x2e7d32 },
  { "open_cut_roadway", 0x1565c0 },
  { "open_cut_unpaved", 0x8d6e63 },
  { "micro_trench", 0x8e24aa },
  { "hdd", 0xe65100 },
  { "bridge_attachment", 0x00838f },
  { "duct_reuse", 0xf9a825 },
};

void
ngam_render_method_rgb (const char *method,
                        double      rgb[3])
{
  for (guint i = 0; i < G_N_ELEMENTS (method_colors); i++)
    if (g_strcmp0 (method, method_colors[i].method) == 0)
      {
        ngam_render_rgb_from_hex (method_colors[i].rgb, rgb);
        return;
      }
  ngam_render_rgb_from_hex (0x424242, rgb);
}

typedef struct
{
  cairo_t              *cr;
  const NgamRenderView *view;
  const NgamRenderResults *what;
  GCancellable         *cancellable;
  JsonParser           *parser;
  double                inv_scale;
} Ctx;

static void
path_shape (Ctx *c, const NgamShape *s, gboolean close)
{
  for (guint p = 0; p < s->n_parts; p++)
    {
      for (guint i = s->part_start[p]; i < s->part_start[p + 1]; i++)
        {
          double px, py;

          ngam_render_view_to_pixel (c->view, s->xy[2 * i], s->xy[2 * i + 1], &px, &py);
          if (i == s->part_start[p])
            cairo_move_to (c->cr, px, py);
          else
            cairo_line_to (c->cr, px, py);
        }
      if (close)
        cairo_close_path (c->cr);
    }
}

static const char *
attr_text (Ctx *c, const NgamResultFeature *f, const char *name)
{
  JsonNode *root;
  JsonObject *o;

  if (f->attrs == NULL || !json_parser_load_from_data (c->parser, f->attrs, -1, NULL))
    return NULL;
  root = json_parser_get_root (c->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  o = json_node_get_object (root);
  return json_object_has_member (o, name) && JSON_NODE_HOLDS_VALUE (json_object_get_member (o, name))
         ? json_object_get_string_member (o, name) : NULL;
}

/* Is @f the part of the plan this map is about? */
static gboolean
in_focus (Ctx *c, const NgamResultFeature *f)
{
  if (c->what->only_phase >= 0 && f->phase != c->what->only_phase)
    return FALSE;
  if (c->what->only_ward != NULL && g_strcmp0 (f->ward, c->what->only_ward) != 0)
    return FALSE;
  return TRUE;
}

typedef gboolean (*DrawFunc) (Ctx *c, const NgamResultFeature *f, int pass);

static gboolean
each_feature (Ctx        *c,
              NgamStore  *store,
              gint64      run,
              const char *layer,
              int         pass,
              DrawFunc    draw,
              GError    **error)
{
  g_autoptr(NgamResultCursor) cur = NULL;
  double bbox[4];

  ngam_render_view_get_bbox (c->view, 20, bbox);
  cur = ngam_store_query_results (store, run, layer, bbox, error);
  if (cur == NULL)
    return FALSE;
  while (ngam_result_cursor_next (cur, error))
    {
      if (g_cancellable_set_error_if_cancelled (c->cancellable, error))
        return FALSE;
      draw (c, ngam_result_cursor_get (cur), pass);
    }
  return error == NULL || *error == NULL;
}

static gboolean
draw_area (Ctx *c, const NgamResultFeature *f, int pass)
{
  cairo_t *cr = c->cr;
  gboolean hazard = strcmp (f->layer, "hazard") == 0;

  if (f->shape == NULL || f->shape->n_points == 0)
    return TRUE;
  cairo_new_path (cr);
  path_shape (c, f->shape, TRUE);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  if (hazard)
    cairo_set_source_rgba (cr, 0.90, 0.30, 0.10, 0.18);
  else
    cairo_set_source_rgba (cr, 0.55, 0.20, 0.70, 0.22);
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, 1.2);
  if (hazard)
    cairo_set_source_rgba (cr, 0.80, 0.25, 0.05, 0.9);
  else
    cairo_set_source_rgba (cr, 0.45, 0.15, 0.60, 0.9);
  cairo_stroke (cr);
  return TRUE;
}

static gboolean
draw_span (Ctx *c, const NgamResultFeature *f, int pass)
{
  if (f->shape == NULL || f->shape->n_points < 2)
    return TRUE;
  path_shape (c, f->shape, FALSE);
  return TRUE;
}

static void
trench_rgb (Ctx *c, const NgamResultFeature *f, double rgb[3])
{
  if (!in_focus (c, f))
    ngam_render_rgb_from_hex (0xbdbdbd, rgb);
  else if (c->what->mode == NGAM_RENDER_RESULTS_BY_METHOD)
    ngam_render_method_rgb (attr_text (c, f, "method"), rgb);
  else
    ngam_render_phase_rgb (f->phase, rgb);
}

/* Pass 0: the white casing of every trench; pass 1: those out of focus;
 * pass 2: those in focus, so the map's subject is never hidden. */
static gboolean
draw_trench (Ctx *c, const NgamResultFeature *f, int pass)
{
  cairo_t *cr = c->cr;
  double rgb[3];
  gboolean focus = in_focus (c, f);

  if (f->shape == NULL || f->shape->n_points < 2)
    return TRUE;
  if ((pass == 1 && focus) || (pass == 2 && !focus))
    return TRUE;
  cairo_new_path (cr);
  path_shape (c, f->shape, FALSE);
  if (pass == 0)
    {
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 5.0);
    }
  else
    {
      trench_rgb (c, f, rgb);
      ngam_render_set_rgb (cr, rgb);
      cairo_set_line_width (cr, focus ? 3.2 : 2.0);
    }
  cairo_stroke (cr);
  return TRUE;
}

static gboolean
draw_manhole (Ctx *c, const NgamResultFeature *f, int pass)
{
  cairo_t *cr = c->cr;
  gboolean hand = g_strcmp0 (attr_text (c, f, "kind"), "handhole") == 0;
  double r = hand ? 1.8 : 2.6, px, py;

  if (f->shape == NULL || f->shape->n_points == 0 || !in_focus (c, f))
    return TRUE;
  ngam_render_view_to_pixel (c->view, f->shape->xy[0], f->shape->xy[1], &px, &py);
  cairo_new_path (cr);
  cairo_rectangle (cr, px - r, py - r, 2 * r, 2 * r);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
  cairo_set_line_width (cr, 1.0);
  if (hand)
    cairo_stroke (cr);
  else
    cairo_fill (cr);
  return TRUE;
}

static gboolean
draw_pole (Ctx *c, const NgamResultFeature *f, int pass)
{
  cairo_t *cr = c->cr;
  gboolean removed = strcmp (f->layer, "pole_removed") == 0;
  double px, py, r = 2.2;

  if (f->shape == NULL || f->shape->n_points == 0)
    return TRUE;
  ngam_render_view_to_pixel (c->view, f->shape->xy[0], f->shape->xy[1], &px, &py);
  cairo_new_path (cr);
  if (removed)
    {
      cairo_move_to (cr, px - r, py - r);
      cairo_line_to (cr, px + r, py + r);
      cairo_move_to (cr, px - r, py + r);
      cairo_line_to (cr, px + r, py - r);
      cairo_set_source_rgb (cr, 0.75, 0.05, 0.05);
      cairo_set_line_width (cr, 1.2);
      cairo_stroke (cr);
    }
  else
    {
      cairo_arc (cr, px, py, r * 0.8, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 0.30, 0.30, 0.30);
      cairo_set_line_width (cr, 0.8);
      cairo_stroke (cr);
    }
  return TRUE;
}

/**
 * ngam_render_results:
 * @cr: where to draw, over a base map drawn for the same @view
 *
 * Draws the runs @what names.  On failure the picture is half drawn.
 *
 * Returns: TRUE when the picture is complete.
 */
gboolean
ngam_render_results (NgamStore               *store,
                     cairo_t                 *cr,
                     const NgamRenderView    *view,
                     const NgamRenderResults *what,
                     GCancellable            *cancellable,
                     GError                 **error)
{
  static const double dash[] = { 3, 2 };
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  Ctx c = { cr, view, what, cancellable, parser, 1.0 / view->scale };
  gboolean ok = TRUE;

  g_return_val_if_fail (store != NULL && cr != NULL && view != NULL && what != NULL, FALSE);

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, view->width, view->height);
  cairo_clip (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (what->gaps && what->gaps_run > 0)
    ok = each_feature (&c, store, what->gaps_run, "hazard", 0, draw_area, error) &&
         each_feature (&c, store, what->gaps_run, "gap_area", 0, draw_area, error);
  if (ok && what->plan_run > 0)
    {
      cairo_new_path (cr);
      ok = each_feature (&c, store, what->plan_run, "span_retired", 0, draw_span, error);
      cairo_set_source_rgba (cr, 0.35, 0.35, 0.35, 0.8);
      cairo_set_line_width (cr, 0.7);
      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      for (int pass = 0; ok && pass < 3; pass++)
        ok = each_feature (&c, store, what->plan_run, "trench", pass, draw_trench, error);
      ok = ok && each_feature (&c, store, what->plan_run, "pole_freed", 0, draw_pole, error) &&
           each_feature (&c, store, what->plan_run, "pole_removed", 0, draw_pole, error) &&
           each_feature (&c, store, what->plan_run, "manhole", 0, draw_manhole, error);
    }
  cairo_restore (cr);
  return ok;
}

void
ngam_render_result_swatch (cairo_t    *cr,
                           const char *layer,
                           const char *value,
                           double      x,
                           double      y,
                           double      width,
                           double      height)
{
  double cy = y + height / 2, cx = x + width / 2, rgb[3];

  cairo_save (cr);
  cairo_new_path (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (g_strcmp0 (layer, "trench") == 0)
    {
      if (value != NULL && g_ascii_isdigit (*value))
        ngam_render_phase_rgb (atoi (value), rgb);
      else
        ngam_render_method_rgb (value, rgb);
      cairo_move_to (cr, x + 2, cy);
      cairo_line_to (cr, x + width - 2, cy);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 5);
      cairo_stroke_preserve (cr);
      ngam_render_set_rgb (cr, rgb);
      cairo_set_line_width (cr, 3.2);
      cairo_stroke (cr);
    }
  else if (g_strcmp0 (layer, "manhole") == 0 || g_strcmp0 (layer, "handhole") == 0)
    {
      gboolean hand = g_strcmp0 (layer, "handhole") == 0;
      double r = hand ? 1.8 : 2.6;

      cairo_rectangle (cr, cx - r, cy - r, 2 * r, 2 * r);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
      cairo_set_line_width (cr, 1.0);
      if (hand)
        cairo_stroke (cr);
      else
        cairo_fill (cr);
    }
  else if (g_strcmp0 (layer, "span_retired") == 0)
    {
      static const double dash[] = { 3, 2 };

      cairo_move_to (cr, x + 2, cy);
      cairo_curve_to (cr, cx, cy + 3, cx, cy + 3, x + width - 2, cy);
      cairo_set_source_rgba (cr, 0.35, 0.35, 0.35, 0.8);
      cairo_set_line_width (cr, 0.7);
      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
      cairo_stroke (cr);
    }
  else if (g_strcmp0 (layer, "pole_removed") == 0 || g_strcmp0 (layer, "pole_freed") == 0)
    {
      gboolean removed = g_strcmp0 (layer, "pole_removed") == 0;
      double r = 2.2;

      if (removed)
        {
          cairo_move_to (cr, cx - r, cy - r);
          cairo_line_to (cr, cx + r, cy + r);
          cairo_move_to (cr, cx - r, cy + r);
          cairo_line_to (cr, cx + r, cy - r);
          cairo_set_source_rgb (cr, 0.75, 0.05, 0.05);
          cairo_set_line_width (cr, 1.2);
          cairo_stroke (cr);
        }
      else
        {
          cairo_arc (cr, cx, cy, r * 0.8, 0, 2 * G_PI);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_fill_preserve (cr);
          cairo_set_source_rgb (cr, 0.30, 0.30, 0.30);
          cairo_set_line_width (cr, 0.8);
          cairo_stroke (cr);
        }
    }
  else if (g_strcmp0 (layer, "hazard") == 0 || g_strcmp0 (layer, "gap_area") == 0)
    {
      gboolean hazard = g_strcmp0 (layer, "hazard") == 0;

      cairo_rectangle (cr, x + 1.5, y + 1.5, width - 3, height - 3);
      if (hazard)
        cairo_set_source_rgba (cr, 0.90, 0.30, 0.10, 0.18);
      else
        cairo_set_source_rgba (cr, 0.55, 0.20, 0.70, 0.22);
      cairo_fill_preserve (cr);
      cairo_set_line_width (cr, 1.2);
      if (hazard)
        cairo_set_source_rgba (cr, 0.80, 0.25, 0.05, 0.9);
      else
        cairo_set_source_rgba (cr, 0.45, 0.15, 0.60, 0.9);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}
