/* ngam-render-results.c — drawing a plan's and a gaps analysis's results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Results are drawn over a base map (ngam_render_map() of streets, zones
 * and wards) in the order a reader scans them: hazard zones and gap areas
 * as washes at the bottom, the aerial spans that come down as thin faint
 * lines (dashed at a ward's zoom), the trenches on top of them as thick
 * strokes with a white casing, then poles and manholes.  Features of one
 * style are drawn as one path, so a report's PDF and SVG hold one object
 * per colour rather than one per feature.  Sizes are in the caller's units
 * (pixels on screen, points on a PDF page), like the rest of the renderer.
 */
#define G_LOG_DOMAIN "ngam-render"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
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

/* Level of detail, in ground metres per unit (pixel or point) of the
 * picture.  A town-wide map shows what the plan builds: trenches, manholes
 * and, faint under them, the aerial spans that come down (a province-wide
 * map, smaller than 1:50,000, only the trenches).  Poles to remove,
 * handholes and the spans' dashes come in at a ward's zoom (1:7,500 on
 * paper), the power poles freed of telecom cable at 1:3,500 (the report's
 * legends say so). */
#define PAPER_M_PER_PT   (25.4 / 72 / 1000)
#define DETAIL_MAX_SCALE (7500 * PAPER_M_PER_PT)
#define FREED_MAX_SCALE  (3500 * PAPER_M_PER_PT)
#define TOWN_MAX_SCALE   (50000 * PAPER_M_PER_PT)

/* Vertices nearer than this (units) to the last one drawn add nothing. */
#define MIN_STEP 0.3

/**
 * ngam_render_results_shows:
 * @view: the picture
 * @layer: a result layer (ngam-results.h)
 *
 * Whether ngam_render_results() draws @layer at @view's scale, so that a
 * legend lists only what the map shows.
 */
gboolean
ngam_render_results_shows (const NgamRenderView *view,
                           const char           *layer)
{
  if (g_strcmp0 (layer, "pole_removed") == 0 || g_strcmp0 (layer, "handhole") == 0)
    return view->scale <= DETAIL_MAX_SCALE;
  if (g_strcmp0 (layer, "pole_freed") == 0)
    return view->scale <= FREED_MAX_SCALE;
  if (g_strcmp0 (layer, "manhole") == 0 || g_strcmp0 (layer, "span_retired") == 0)
    return view->scale <= TOWN_MAX_SCALE;
  return TRUE;
}

/* Features that share a stroke are drawn as one path: the PDF and the SVG
 * get one object per colour instead of one per feature, and the colours
 * stack in a fixed order whatever order the store gives. */
typedef struct
{
  int        key;        /* the order they are drawn in */
  double     rgb[3];
  GPtrArray *paths;      /* cairo_path_t */
} Bucket;

static void
bucket_clear (gpointer p)
{
  Bucket *b = p;

  g_ptr_array_unref (b->paths);
}

static Bucket *
bucket_get (GArray *buckets, int key, const double rgb[3])
{
  Bucket b = { key, { rgb[0], rgb[1], rgb[2] }, NULL };

  for (guint i = 0; i < buckets->len; i++)
    if (g_array_index (buckets, Bucket, i).key == key)
      return &g_array_index (buckets, Bucket, i);
  b.paths = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_path_destroy);
  g_array_append_val (buckets, b);
  return &g_array_index (buckets, Bucket, buckets->len - 1);
}

static int
bucket_cmp (gconstpointer a, gconstpointer b)
{
  const Bucket *x = a, *y = b;

  return x->key < y->key ? -1 : x->key > y->key;
}

static void
append_paths (cairo_t *cr, GPtrArray *paths)
{
  cairo_new_path (cr);
  for (guint i = 0; i < paths->len; i++)
    cairo_append_path (cr, paths->pdata[i]);
}

typedef struct
{
  cairo_t              *cr;
  const NgamRenderView *view;
  const NgamRenderResults *what;
  GCancellable         *cancellable;
  JsonParser           *parser;
  gboolean              detail;     /* at a ward's zoom or closer */
  GPtrArray            *casing;     /* cairo_path_t: every trench */
  GPtrArray            *halo;       /* cairo_path_t: the trenches of highlight_edges */
  GArray               *grey;       /* Bucket: trenches out of focus */
  GArray               *focus;      /* Bucket: trenches in focus, by phase or method */
  GPtrArray            *manholes;   /* cairo_path_t */
  GPtrArray            *handholes;  /* cairo_path_t */
  GHashTable           *segments;   /* spans drawn, by their ends to half a unit */
} Ctx;

static void
path_shape (Ctx *c, const NgamShape *s, gboolean close)
{
  for (guint p = 0; p < s->n_parts; p++)
    {
      guint first = s->part_start[p], last = s->part_start[p + 1] - 1;
      double lx = 0, ly = 0;

      for (guint i = first; i <= last; i++)
        {
          double px, py;

          ngam_render_view_to_pixel (c->view, s->xy[2 * i], s->xy[2 * i + 1], &px, &py);
          if (i == first)
            cairo_move_to (c->cr, px, py);
          else if (i == last || fabs (px - lx) + fabs (py - ly) >= MIN_STEP)
            cairo_line_to (c->cr, px, py);
          else
            continue;
          lx = px;
          ly = py;
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

static int
cmp_edge (gconstpointer a,
          gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Is @f's street edge one of highlight_edges (sorted: a binary search)? */
static gboolean
highlighted (Ctx *c, const NgamResultFeature *f)
{
  const GArray *edges = c->what->highlight_edges;
  JsonNode *root, *m;
  gint64 edge;

  if (f->attrs == NULL || !json_parser_load_from_data (c->parser, f->attrs, -1, NULL))
    return FALSE;
  root = json_parser_get_root (c->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (m = json_object_get_member (json_node_get_object (root), "edge")) == NULL ||
      !JSON_NODE_HOLDS_VALUE (m))
    return FALSE;
  edge = json_node_get_int (m);
  return bsearch (&edge, edges->data, edges->len, sizeof (gint64), cmp_edge) != NULL;
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

typedef gboolean (*DrawFunc) (Ctx *c, const NgamResultFeature *f);

static gboolean
view_holds (const double bbox[4], const double *extent)
{
  return extent != NULL && bbox[0] <= extent[0] && bbox[1] <= extent[1] && bbox[2] >= extent[2] &&
         bbox[3] >= extent[3];
}

static gboolean
each_feature (Ctx        *c,
              NgamStore  *store,
              gint64      run,
              const char *layer,
              DrawFunc    draw,
              GError    **error)
{
  g_autoptr(NgamResultCursor) cur = NULL;
  double bbox[4];

  ngam_render_view_get_bbox (c->view, 20, bbox);
  cur = ngam_store_query_results (store, run, layer, view_holds (bbox, c->what->extent) ? NULL : bbox, error);
  if (cur == NULL)
    return FALSE;
  while (ngam_result_cursor_next (cur, error))
    {
      if (g_cancellable_set_error_if_cancelled (c->cancellable, error))
        return FALSE;
      draw (c, ngam_result_cursor_get (cur));
    }
  return error == NULL || *error == NULL;
}

static gboolean
draw_area (Ctx *c, const NgamResultFeature *f)
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

/* The ends of a straight segment to half a unit, in either direction, as
 * one number; FALSE when they are too far out of the picture to pack. */
static gboolean
segment_key (Ctx *c, const NgamShape *s, gint64 *key)
{
  gint64 q[4];

  for (guint i = 0; i < 2; i++)
    {
      double px, py;

      ngam_render_view_to_pixel (c->view, s->xy[2 * i], s->xy[2 * i + 1], &px, &py);
      q[2 * i] = (gint64) floor (px * 2 + 0.5) + 4096;
      q[2 * i + 1] = (gint64) floor (py * 2 + 0.5) + 4096;
    }
  for (guint i = 0; i < 4; i++)
    if (q[i] < 0 || q[i] >= 16384)
      return FALSE;
  if (q[0] > q[2] || (q[0] == q[2] && q[1] > q[3]))
    {
      gint64 t0 = q[0], t1 = q[1];

      q[0] = q[2];
      q[1] = q[3];
      q[2] = t0;
      q[3] = t1;
    }
  *key = (q[0] << 42) | (q[1] << 28) | (q[2] << 14) | q[3];
  return TRUE;
}

/* Spans are added to one path, stroked once by the caller.  Operators'
 * spans often hang between the same two poles: each segment is drawn
 * once. */
static gboolean
add_span (Ctx *c, const NgamResultFeature *f)
{
  gint64 key;

  if (f->shape == NULL || f->shape->n_points < 2)
    return TRUE;
  if (f->shape->n_points == 2 && f->shape->n_parts == 1 && segment_key (c, f->shape, &key))
    {
      if (g_hash_table_contains (c->segments, &key))
        return TRUE;
      g_hash_table_add (c->segments, g_memdup2 (&key, sizeof key));
    }
  path_shape (c, f->shape, FALSE);
  return TRUE;
}

static int
method_index (const char *method)
{
  for (guint i = 0; i < G_N_ELEMENTS (method_colors); i++)
    if (g_strcmp0 (method, method_colors[i].method) == 0)
      return (int) i;
  return G_N_ELEMENTS (method_colors);
}

/* Every trench goes in the casing and in its colour's bucket: the grey of
 * the trenches out of focus, or its phase's or method's. */
static gboolean
add_trench (Ctx *c, const NgamResultFeature *f)
{
  cairo_path_t *path;
  double rgb[3];
  Bucket *b;

  if (f->shape == NULL || f->shape->n_points < 2)
    return TRUE;
  cairo_new_path (c->cr);
  path_shape (c, f->shape, FALSE);
  path = cairo_copy_path (c->cr);
  g_ptr_array_add (c->casing, cairo_copy_path (c->cr));
  if (c->what->highlight_edges != NULL && c->what->highlight_edges->len > 0 && highlighted (c, f))
    g_ptr_array_add (c->halo, cairo_copy_path (c->cr));
  if (!in_focus (c, f))
    {
      ngam_render_rgb_from_hex (0xbdbdbd, rgb);
      b = bucket_get (c->grey, 0, rgb);
    }
  else if (c->what->mode == NGAM_RENDER_RESULTS_BY_METHOD)
    {
      const char *method = attr_text (c, f, "method");

      ngam_render_method_rgb (method, rgb);
      b = bucket_get (c->focus, method_index (method), rgb);
    }
  else
    {
      ngam_render_phase_rgb (f->phase, rgb);
      /* Unphased (unfunded) work under the phases, then phase 1 on top. */
      b = bucket_get (c->focus, f->phase < 1 ? G_MAXINT : -f->phase, rgb);
    }
  g_ptr_array_add (b->paths, path);
  return TRUE;
}

static gboolean
add_manhole (Ctx *c, const NgamResultFeature *f)
{
  gboolean hand = g_strcmp0 (attr_text (c, f, "kind"), "handhole") == 0;
  double r = hand ? 1.8 : (c->detail ? 2.6 : 1.4), px, py;

  if (f->shape == NULL || f->shape->n_points == 0 || !in_focus (c, f) || (hand && !c->detail))
    return TRUE;
  ngam_render_view_to_pixel (c->view, f->shape->xy[0], f->shape->xy[1], &px, &py);
  cairo_new_path (c->cr);
  cairo_rectangle (c->cr, px - r, py - r, 2 * r, 2 * r);
  g_ptr_array_add (hand ? c->handholes : c->manholes, cairo_copy_path (c->cr));
  return TRUE;
}

/* Poles are added to the current path: crosses for the poles to remove,
 * rings for the poles freed, each set stroked once by the caller. */
static gboolean
add_pole (Ctx *c, const NgamResultFeature *f)
{
  cairo_t *cr = c->cr;
  gboolean removed = strcmp (f->layer, "pole_removed") == 0;
  double px, py, r = 1.6;

  if (f->shape == NULL || f->shape->n_points == 0)
    return TRUE;
  ngam_render_view_to_pixel (c->view, f->shape->xy[0], f->shape->xy[1], &px, &py);
  if (removed)
    {
      cairo_move_to (cr, px - r, py - r);
      cairo_line_to (cr, px + r, py + r);
      cairo_move_to (cr, px - r, py + r);
      cairo_line_to (cr, px + r, py - r);
    }
  else
    {
      cairo_new_sub_path (cr);
      cairo_arc (cr, px, py, 1.2, 0, 2 * G_PI);
      cairo_close_path (cr);
    }
  return TRUE;
}

static void
set_span_style (cairo_t *cr, gboolean detail)
{
  static const double dash[] = { 3, 2 };

  if (detail)
    {
      cairo_set_source_rgba (cr, 0.35, 0.35, 0.35, 0.8);
      cairo_set_line_width (cr, 0.7);
      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
    }
  else
    {
      cairo_set_source_rgba (cr, 0.40, 0.40, 0.40, 0.45);
      cairo_set_line_width (cr, 0.4);
      cairo_set_dash (cr, NULL, 0, 0);
    }
}

static void
set_pole_style (cairo_t *cr, gboolean removed)
{
  if (removed)
    {
      cairo_set_source_rgb (cr, 0.62, 0.06, 0.06);
      cairo_set_line_width (cr, 0.9);
    }
  else
    {
      cairo_set_source_rgb (cr, 0.30, 0.30, 0.30);
      cairo_set_line_width (cr, 0.6);
    }
}

/* Trench widths: full at a ward's zoom, thinner on a town-wide map so
 * that parallel streets stay apart, hairlines without a casing on a
 * province's, where blocks are a point or two across. */
static void
trench_widths (double scale, double *casing, double *focus, double *other)
{
  if (scale <= DETAIL_MAX_SCALE)
    {
      *casing = 5.0;
      *focus = 3.2;
      *other = 2.0;
    }
  else if (scale <= TOWN_MAX_SCALE)
    {
      *casing = 3.4;
      *focus = 2.2;
      *other = 1.4;
    }
  else
    {
      *casing = 0;
      *focus = 0.5;
      *other = 0.35;
    }
}

static void
draw_trenches (Ctx *c)
{
  cairo_t *cr = c->cr;
  double casing, focus, other;

  trench_widths (c->view->scale, &casing, &focus, &other);
  /* The differences: a wide translucent magenta under everything, which
   * no phase or method colour uses. */
  if (c->halo->len > 0)
    {
      append_paths (cr, c->halo);
      cairo_set_source_rgba (cr, 0.93, 0.0, 0.55, 0.55);
      cairo_set_line_width (cr, MAX (casing, focus) + 5);
      cairo_stroke (cr);
    }
  if (casing > 0)
    {
      append_paths (cr, c->casing);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, casing);
      cairo_stroke (cr);
    }
  for (int pass = 0; pass < 2; pass++)
    {
      GArray *buckets = pass == 0 ? c->grey : c->focus;

      g_array_sort (buckets, bucket_cmp);
      /* Drawn last is on top: the first key. */
      for (guint i = buckets->len; i-- > 0;)
        {
          Bucket *b = &g_array_index (buckets, Bucket, i);

          append_paths (cr, b->paths);
          ngam_render_set_rgb (cr, b->rgb);
          cairo_set_line_width (cr, pass == 0 ? other : focus);
          cairo_stroke (cr);
        }
    }
}

static void
draw_manholes (Ctx *c)
{
  cairo_t *cr = c->cr;
  double rim = c->detail ? 1.2 : 0.8;

  /* Manholes: black squares with a thin white rim that parts them from
   * the trench under them; handholes: white squares outlined in black. */
  append_paths (cr, c->manholes);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, rim);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
  cairo_fill (cr);
  append_paths (cr, c->handholes);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
}

/**
 * ngam_render_results:
 * @cr: where to draw, over a base map drawn for the same @view
 *
 * Draws the runs @what names, with the level of detail of @view's scale
 * (see ngam_render_results_shows()).  On failure the picture is half
 * drawn.
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
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) casing = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_path_destroy);
  g_autoptr(GPtrArray) halo = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_path_destroy);
  g_autoptr(GPtrArray) manholes = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_path_destroy);
  g_autoptr(GPtrArray) handholes = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_path_destroy);
  g_autoptr(GArray) grey = g_array_new (FALSE, FALSE, sizeof (Bucket));
  g_autoptr(GArray) focus = g_array_new (FALSE, FALSE, sizeof (Bucket));
  g_autoptr(GHashTable) segments = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  Ctx c = { cr, view, what, cancellable, parser, view->scale <= DETAIL_MAX_SCALE,
            casing, halo, grey, focus, manholes, handholes, segments };
  gboolean ok = TRUE;

  g_return_val_if_fail (store != NULL && cr != NULL && view != NULL && what != NULL, FALSE);

  g_array_set_clear_func (grey, bucket_clear);
  g_array_set_clear_func (focus, bucket_clear);
  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, view->width, view->height);
  cairo_clip (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (what->gaps && what->gaps_run > 0)
    ok = each_feature (&c, store, what->gaps_run, "hazard", draw_area, error) &&
         each_feature (&c, store, what->gaps_run, "gap_area", draw_area, error);
  if (ok && what->plan_run > 0)
    {
      if (ngam_render_results_shows (view, "span_retired"))
        {
          cairo_new_path (cr);
          ok = each_feature (&c, store, what->plan_run, "span_retired", add_span, error);
          set_span_style (cr, c.detail);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
        }
      ok = ok && each_feature (&c, store, what->plan_run, "trench", add_trench, error);
      if (ok)
        draw_trenches (&c);
      for (int removed = 0; ok && removed < 2; removed++)
        {
          const char *layer = removed ? "pole_removed" : "pole_freed";

          if (!ngam_render_results_shows (view, layer))
            continue;
          cairo_new_path (cr);
          ok = each_feature (&c, store, what->plan_run, layer, add_pole, error);
          if (!removed)
            {
              cairo_set_source_rgb (cr, 1, 1, 1);
              cairo_fill_preserve (cr);
            }
          set_pole_style (cr, removed);
          cairo_stroke (cr);
        }
      if (ngam_render_results_shows (view, "manhole"))
        {
          ok = ok && each_feature (&c, store, what->plan_run, "manhole", add_manhole, error);
          if (ok)
            draw_manholes (&c);
        }
    }
  cairo_restore (cr);
  return ok;
}

/**
 * ngam_render_result_swatch_at:
 * @scale: the map's metres per unit: the symbol as the map draws it at
 *   that scale (0 for the detailed one)
 *
 * The legend's symbol of a result layer: @layer as in ngam-results.h;
 * @value the phase ("1", "2"…) or method of a trench, NULL otherwise.
 */
void
ngam_render_result_swatch_at (cairo_t    *cr,
                              const char *layer,
                              const char *value,
                              double      scale,
                              double      x,
                              double      y,
                              double      width,
                              double      height)
{
  gboolean detail = scale <= DETAIL_MAX_SCALE;
  double cy = y + height / 2, cx = x + width / 2, rgb[3];

  cairo_save (cr);
  cairo_new_path (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (g_strcmp0 (layer, "trench") == 0)
    {
      double casing, focus, other;

      trench_widths (scale, &casing, &focus, &other);
      if (value != NULL && g_ascii_isdigit (*value))
        ngam_render_phase_rgb (atoi (value), rgb);
      else
        ngam_render_method_rgb (value, rgb);
      cairo_move_to (cr, x + 2, cy);
      cairo_line_to (cr, x + width - 2, cy);
      if (casing > 0)
        {
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_set_line_width (cr, casing);
          cairo_stroke_preserve (cr);
        }
      ngam_render_set_rgb (cr, rgb);
      /* Phase 0 is the grey of the trenches out of focus. */
      cairo_set_line_width (cr, value != NULL && strcmp (value, "0") == 0 ? other : focus);
      cairo_stroke (cr);
    }
  else if (g_strcmp0 (layer, "manhole") == 0 || g_strcmp0 (layer, "handhole") == 0)
    {
      gboolean hand = g_strcmp0 (layer, "handhole") == 0;
      double r = hand ? 1.8 : (detail ? 2.6 : 1.4);

      cairo_rectangle (cr, cx - r, cy - r, 2 * r, 2 * r);
      cairo_set_source_rgb (cr, 1, 1, 1);
      if (hand)
        cairo_fill_preserve (cr);
      else
        {
          cairo_set_line_width (cr, detail ? 1.2 : 0.8);
          cairo_stroke_preserve (cr);
        }
      cairo_set_source_rgb (cr, 0.13, 0.13, 0.13);
      cairo_set_line_width (cr, 1.0);
      if (hand)
        cairo_stroke (cr);
      else
        cairo_fill (cr);
    }
  else if (g_strcmp0 (layer, "span_retired") == 0)
    {
      cairo_move_to (cr, x + 2, cy);
      cairo_curve_to (cr, cx, cy + 3, cx, cy + 3, x + width - 2, cy);
      set_span_style (cr, detail);
      cairo_stroke (cr);
    }
  else if (g_strcmp0 (layer, "pole_removed") == 0 || g_strcmp0 (layer, "pole_freed") == 0)
    {
      gboolean removed = g_strcmp0 (layer, "pole_removed") == 0;
      double r = 1.6;

      if (removed)
        {
          cairo_move_to (cr, cx - r, cy - r);
          cairo_line_to (cr, cx + r, cy + r);
          cairo_move_to (cr, cx - r, cy + r);
          cairo_line_to (cr, cx + r, cy - r);
        }
      else
        {
          cairo_arc (cr, cx, cy, 1.2, 0, 2 * G_PI);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_fill_preserve (cr);
        }
      set_pole_style (cr, removed);
      cairo_stroke (cr);
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

/* The detailed symbol (a ward's zoom and closer). */
void
ngam_render_result_swatch (cairo_t    *cr,
                           const char *layer,
                           const char *value,
                           double      x,
                           double      y,
                           double      width,
                           double      height)
{
  ngam_render_result_swatch_at (cr, layer, value, 0, x, y, width, height);
}
