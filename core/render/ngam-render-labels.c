/* ngam-render-labels.c — street names and feature labels on maps, without overlaps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A greedy labeller, as small-scale map makers place names by hand: the
 * most important streets first (class rank, then length on the page), one
 * label per street name, set along the longest piece of that street at
 * the angle of the piece's chord under the label, turned so that it never
 * reads upside down.  A candidate whose box (the rotated text's bounding
 * box, with a margin) meets one already placed or leaves the picture is
 * tried again a third of the way along, then dropped.  Enough for a
 * report's overview maps; the desktop map view has its own rules.
 */
#define G_LOG_DOMAIN "ngam-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-render-private.h"

typedef struct
{
  char   *name;
  int     rank;
  double  length;   /* px */
  double *xy;       /* the piece in pixels */
  guint   n;
} Candidate;

static void
candidate_free (gpointer p)
{
  Candidate *c = p;

  g_free (c->name);
  g_free (c->xy);
  g_free (c);
}

static int
candidate_cmp (gconstpointer a, gconstpointer b)
{
  const Candidate *x = *(Candidate **) a, *y = *(Candidate **) b;

  if (x->rank != y->rank)
    return x->rank > y->rank ? -1 : 1;
  if (x->length != y->length)
    return x->length > y->length ? -1 : 1;
  return strcmp (x->name, y->name);
}

/* The point at distance @at along the polyline. */
static void
point_at (const Candidate *c, double at, double *x, double *y)
{
  for (guint i = 1; i < c->n; i++)
    {
      double dx = c->xy[2 * i] - c->xy[2 * i - 2], dy = c->xy[2 * i + 1] - c->xy[2 * i - 1];
      double d = hypot (dx, dy);

      if (at <= d || i + 1 == c->n)
        {
          double t = d > 0 ? CLAMP (at / d, 0, 1) : 0;

          *x = c->xy[2 * i - 2] + t * dx;
          *y = c->xy[2 * i - 1] + t * dy;
          return;
        }
      at -= d;
    }
  *x = c->xy[0];
  *y = c->xy[1];
}

static gboolean
same_point (const double *a, const double *b)
{
  return fabs (a[0] - b[0]) < 0.5 && fabs (a[1] - b[1]) < 0.5;
}

/* Appends @piece (world xy, @n points) to @chain, reversed when @reverse,
 * without repeating the shared vertex. */
static void
append_piece (GArray *chain, const double *piece, guint n, gboolean reverse, gboolean skip_first)
{
  for (guint k = skip_first ? 1 : 0; k < n; k++)
    {
      guint i = reverse ? n - 1 - k : k;

      g_array_append_vals (chain, &piece[2 * i], 2);
    }
}

/* Joins the pieces end to end (greedily, at either end) and returns the
 * longest chain, in pixels. */
static Candidate *
chain_longest (const NgamRenderView *view, GPtrArray *pieces)
{
  g_autofree gboolean *used = g_new0 (gboolean, pieces->len);
  Candidate *best = g_new0 (Candidate, 1);

  for (guint s = 0; s < pieces->len; s++)
    {
      g_autoptr(GArray) chain = NULL;
      GArray *first = pieces->pdata[s];
      gboolean grew = TRUE;
      double length = 0;

      if (used[s])
        continue;
      used[s] = TRUE;
      chain = g_array_new (FALSE, FALSE, sizeof (double));
      append_piece (chain, (double *) first->data, first->len / 2, FALSE, FALSE);
      while (grew)
        {
          grew = FALSE;
          for (guint p = 0; p < pieces->len; p++)
            {
              GArray *piece = pieces->pdata[p];
              const double *xy = (const double *) piece->data;
              guint n = piece->len / 2;
              double *end = &g_array_index (chain, double, chain->len - 2);

              if (used[p])
                continue;
              if (same_point (end, &xy[0]) || same_point (end, &xy[2 * n - 2]))
                {
                  append_piece (chain, xy, n, !same_point (end, &xy[0]), TRUE);
                  used[p] = grew = TRUE;
                }
            }
        }
      for (guint i = 1; i < chain->len / 2; i++)
        length += hypot (g_array_index (chain, double, 2 * i) - g_array_index (chain, double, 2 * i - 2),
                         g_array_index (chain, double, 2 * i + 1) - g_array_index (chain, double, 2 * i - 1));
      length /= view->scale;
      if (length > best->length)
        {
          g_free (best->xy);
          best->length = length;
          best->n = chain->len / 2;
          best->xy = g_new (double, chain->len);
          for (guint i = 0; i < best->n; i++)
            ngam_render_view_to_pixel (view, g_array_index (chain, double, 2 * i),
                                       g_array_index (chain, double, 2 * i + 1), &best->xy[2 * i],
                                       &best->xy[2 * i + 1]);
        }
    }
  return best;
}

/* @layout centred on (@cx, @cy) at @angle, dark grey (@grey) on a white
 * halo @halo px wide of opacity @alpha, so it reads over any map. */
static void
show_haloed (cairo_t     *cr,
             PangoLayout *layout,
             double       cx,
             double       cy,
             double       angle,
             int          tw,
             int          th,
             double       halo,
             double       alpha,
             double       grey)
{
  cairo_save (cr);
  cairo_translate (cr, cx, cy);
  cairo_rotate (cr, angle);
  cairo_move_to (cr, -tw / 2.0, -th / 2.0);
  pango_cairo_layout_path (cr, layout);
  cairo_set_source_rgba (cr, 1, 1, 1, alpha);
  cairo_set_line_width (cr, halo);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
  cairo_move_to (cr, -tw / 2.0, -th / 2.0);
  cairo_set_source_rgb (cr, grey, grey, grey);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

static int
cmp_double (const double *a,
            const double *b)
{
  return *a < *b ? -1 : *a > *b;
}

/* The angle of the chord (x0, y0) → (x1, y1), turned so text along it
 * never reads upside down. */
static double
upright_angle (double x0, double y0, double x1, double y1)
{
  double angle = atan2 (y1 - y0, x1 - x0);

  if (angle > G_PI / 2)
    angle -= G_PI;
  else if (angle <= -G_PI / 2)
    angle += G_PI;
  return angle;
}

/* The bounding box of a @tw × @th text centred on (@cx, @cy) at @angle,
 * @pad px wider on each side and one taller. */
static void
label_box (double cx, double cy, double angle, int tw, int th, double pad, double box[4])
{
  double ca = fabs (cos (angle)), sa = fabs (sin (angle));
  double hw = (tw * ca + th * sa) / 2 + pad, hh = (tw * sa + th * ca) / 2 + 1;

  box[0] = cx - hw;
  box[1] = cy - hh;
  box[2] = cx + hw;
  box[3] = cy + hh;
}

static gboolean
boxes_meet (const double a[4], const double b[4])
{
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

/**
 * ngam_render_street_labels:
 * @min_rank: the least street class labelled (3: tertiary and above)
 * @font: a Pango font description ("DejaVu Sans 7")
 *
 * Writes the names of the main streets of @view into @cr.
 *
 * Returns: the number of labels placed, or -1 with @error set.
 */
int
ngam_render_street_labels (NgamStore            *store,
                           cairo_t              *cr,
                           const NgamRenderView *view,
                           int                   min_rank,
                           const char           *font,
                           GCancellable         *cancellable,
                           GError              **error)
{
  int name_i = ngam_layer_field_index (NGAM_LAYER_STREETS, "name");
  int highway_i = ngam_layer_field_index (NGAM_LAYER_STREETS, "highway");
  g_autoptr(GHashTable) by_name = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) ranks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) cands = g_ptr_array_new_with_free_func (candidate_free);
  g_autoptr(GArray) placed = g_array_new (FALSE, FALSE, sizeof (double) * 4);
  g_autoptr(NgamStoreCursor) cur = NULL;
  PangoFontDescription *desc;
  double bbox[4];
  int n_placed = 0;

  ngam_render_view_get_bbox (view, 0, bbox);
  cur = ngam_store_query (store, NGAM_LAYER_STREETS, bbox, NGAM_QUERY_DEFAULT, error);
  if (cur == NULL)
    return -1;
  /* Streets come cut at every junction: the pieces of one name are
   * joined end to end first, so a label has the street's length to sit on. */
  while (ngam_store_cursor_next (cur, error))
    {
      const NgamFeature *f = ngam_store_cursor_get (cur);
      const char *name = ngam_feature_get_text (f, name_i);
      const NgamStreetClass *k = ngam_render_street_class (ngam_feature_get_text (f, highway_i));
      GPtrArray *pieces;
      GArray *xy;
      guint n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;
      if (name == NULL || *name == '\0' || k->rank < min_rank || f->shape->n_parts == 0)
        continue;
      pieces = g_hash_table_lookup (by_name, name);
      if (pieces == NULL)
        {
          pieces = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
          g_hash_table_insert (by_name, g_strdup (name), pieces);
          g_hash_table_insert (ranks, g_strdup (name), GINT_TO_POINTER (k->rank));
        }
      else if (k->rank > GPOINTER_TO_INT (g_hash_table_lookup (ranks, name)))
        g_hash_table_insert (ranks, g_strdup (name), GINT_TO_POINTER (k->rank));
      n = f->shape->part_start[1] - f->shape->part_start[0];
      xy = g_array_sized_new (FALSE, FALSE, sizeof (double), 2 * n);
      g_array_append_vals (xy, f->shape->xy, 2 * n);
      g_ptr_array_add (pieces, xy);
    }
  if (error != NULL && *error != NULL)
    return -1;
  {
    g_autoptr(GList) names = g_hash_table_get_keys (by_name);

    for (GList *l = names; l != NULL; l = l->next)
      {
        GPtrArray *pieces = g_hash_table_lookup (by_name, l->data);
        Candidate *c = chain_longest (view, pieces);

        c->name = g_strdup (l->data);
        c->rank = GPOINTER_TO_INT (g_hash_table_lookup (ranks, l->data));
        g_ptr_array_add (cands, c);
      }
  }
  g_ptr_array_sort (cands, candidate_cmp);

  desc = pango_font_description_from_string (font);
  cairo_save (cr);
  for (guint i = 0; i < cands->len; i++)
    {
      Candidate *c = cands->pdata[i];
      PangoLayout *layout = pango_cairo_create_layout (cr);
      static const double where[] = { 0.5, 0.3, 0.7 };
      int tw, th;

      pango_layout_set_font_description (layout, desc);
      pango_layout_set_text (layout, c->name, -1);
      pango_layout_get_pixel_size (layout, &tw, &th);
      for (guint w = 0; w < G_N_ELEMENTS (where) && c->length > tw * 1.15; w++)
        {
          double mid = c->length * where[w], x0, y0, x1, y1, cx, cy, angle, box[4];
          gboolean free = TRUE;

          if (mid - tw / 2.0 < 0 || mid + tw / 2.0 > c->length)
            continue;
          point_at (c, mid - tw / 2.0, &x0, &y0);
          point_at (c, mid + tw / 2.0, &x1, &y1);
          angle = upright_angle (x0, y0, x1, y1);
          cx = (x0 + x1) / 2;
          cy = (y0 + y1) / 2;
          label_box (cx, cy, angle, tw, th, 2, box);
          if (box[0] < 2 || box[1] < 2 || box[2] > view->width - 2 || box[3] > view->height - 2)
            continue;
          for (guint p = 0; free && p < placed->len; p++)
            free = !boxes_meet (box, &g_array_index (placed, double, 4 * p));
          if (!free)
            continue;
          g_array_append_vals (placed, box, 1);
          show_haloed (cr, layout, cx, cy, angle, tw, th, 2.4, 0.9, 0.15);
          n_placed++;
          break;
        }
      g_object_unref (layout);
    }
  cairo_restore (cr);
  pango_font_description_free (desc);
  return n_placed;
}

/* ---- labels of features ------------------------------------------------------------- */

/**
 * ngam_render_style_can_label_by:
 *
 * Returns: whether @kind's features can be labelled by @field: a text or
 *   integer field of any layer but the streets (named by
 *   ngam_render_street_labels()).
 */
gboolean
ngam_render_style_can_label_by (NgamLayerKind  kind,
                                const char    *field)
{
  int i;

  if (kind == NGAM_LAYER_STREETS || kind >= NGAM_N_LAYERS)
    return FALSE;
  if (field == NULL || (i = ngam_layer_field_index (kind, field)) < 0)
    return FALSE;
  return ngam_layer_info (kind)->fields[i].type == NGAM_FIELD_TEXT ||
         ngam_layer_info (kind)->fields[i].type == NGAM_FIELD_INT;
}

/**
 * ngam_render_style_parse_labels:
 * @style: (nullable): the layer's style as the project keeps it
 *
 * Returns: (transfer full) (nullable): the field `labels=` names, when
 *   @kind can be labelled by it, or NULL for no labels.
 */
char *
ngam_render_style_parse_labels (NgamLayerKind  kind,
                                const char    *style)
{
  g_autofree char *field = ngam_render_style_dup_key (style, "labels");

  if (!ngam_render_style_can_label_by (kind, field))
    return NULL;
  return g_steal_pointer (&field);
}

/* Boxes placed so far, in a grid of 64-px cells: a label is checked
 * against the few boxes of its cells, not against every one. */
#define LABEL_CELL 64.0

typedef struct
{
  GHashTable *cells;   /* cell index → GArray of boxes (double[4]) */
} Placed;

static gint64
cell_key (int cx, int cy)
{
  return ((gint64) cx << 32) ^ (guint32) cy;
}

static gboolean
placed_free_at (Placed *p, const double box[4])
{
  for (int cy = (int) floor (box[1] / LABEL_CELL); cy <= (int) floor (box[3] / LABEL_CELL); cy++)
    for (int cx = (int) floor (box[0] / LABEL_CELL); cx <= (int) floor (box[2] / LABEL_CELL); cx++)
      {
        gint64 k = cell_key (cx, cy);
        GArray *a = g_hash_table_lookup (p->cells, &k);

        for (guint i = 0; a != NULL && i < a->len; i++)
          if (boxes_meet (box, &g_array_index (a, double, 4 * i)))
            return FALSE;
      }
  return TRUE;
}

static void
placed_add (Placed *p, const double box[4])
{
  for (int cy = (int) floor (box[1] / LABEL_CELL); cy <= (int) floor (box[3] / LABEL_CELL); cy++)
    for (int cx = (int) floor (box[0] / LABEL_CELL); cx <= (int) floor (box[2] / LABEL_CELL); cx++)
      {
        gint64 k = cell_key (cx, cy);
        GArray *a = g_hash_table_lookup (p->cells, &k);

        if (a == NULL)
          {
            a = g_array_new (FALSE, FALSE, sizeof (double) * 4);
            g_hash_table_insert (p->cells, g_memdup2 (&k, sizeof k), a);
          }
        g_array_append_vals (a, box, 1);
      }
}

/* A point inside the largest polygon of @s where a label fits best: on the
 * horizontal line through the polygon's centroid (its bounding box's
 * middle when the centroid is degenerate), the middle of the widest stretch
 * of that line inside the polygon, holes and all, so that a ward shaped
 * like a U is labelled on its land, not in its bay.  Only what lies in
 * @clip (the picture) counts: a ward larger than the map is labelled on
 * the part of it shown.  Returns the stretch's width in world units, 0
 * when there is none. */
static double
polygon_anchor (const NgamShape *s,
                const double     clip[4],
                double          *x,
                double          *y)
{
  g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  double best_area = -1, cy = 0, width = 0;
  guint best = 0;

  for (guint p = 0; p < s->n_polys; p++)
    {
      guint r = s->poly_start[p], a = s->part_start[r], b = s->part_start[r + 1];
      double area = 0, sy = 0;

      for (guint i = a; i + 1 < b; i++)
        {
          double cross = s->xy[2 * i] * s->xy[2 * i + 3] - s->xy[2 * i + 2] * s->xy[2 * i + 1];

          area += cross;
          sy += (s->xy[2 * i + 1] + s->xy[2 * i + 3]) * cross;
        }
      if (fabs (area) > best_area)
        {
          best_area = fabs (area);
          best = p;
          cy = area != 0 ? sy / (3 * area) : 0;
          if (area == 0)
            {
              double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;

              for (guint i = a; i < b; i++)
                lo = MIN (lo, s->xy[2 * i + 1]), hi = MAX (hi, s->xy[2 * i + 1]);
              cy = (lo + hi) / 2;
            }
        }
    }
  if (best_area < 0)
    return 0;
  /* A centroid off the picture: the middle of the part of the polygon shown. */
  if (cy < clip[1] || cy > clip[3])
    {
      double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;
      guint r = s->poly_start[best];

      for (guint i = s->part_start[r]; i < s->part_start[r + 1]; i++)
        lo = MIN (lo, s->xy[2 * i + 1]), hi = MAX (hi, s->xy[2 * i + 1]);
      cy = (MAX (lo, clip[1]) + MIN (hi, clip[3])) / 2;
    }
  /* Where the line crosses every ring of that polygon. */
  for (guint r = s->poly_start[best]; r < s->poly_start[best + 1]; r++)
    for (guint i = s->part_start[r]; i + 1 < s->part_start[r + 1]; i++)
      {
        double x0 = s->xy[2 * i], y0 = s->xy[2 * i + 1], x1 = s->xy[2 * i + 2], y1 = s->xy[2 * i + 3];

        if ((y0 > cy) != (y1 > cy))
          {
            double xi = x0 + (cy - y0) * (x1 - x0) / (y1 - y0);

            g_array_append_val (xs, xi);
          }
      }
  g_array_sort (xs, (GCompareFunc) cmp_double);
  for (guint i = 0; i + 1 < xs->len; i += 2)
    {
      double lo = MAX (g_array_index (xs, double, i), clip[0]);
      double hi = MIN (g_array_index (xs, double, i + 1), clip[2]);

      if (hi - lo > width)
        {
          width = hi - lo;
          *x = (lo + hi) / 2;
          *y = cy;
        }
    }
  return width;
}

#define MAX_FEATURE_LABELS 3000

/**
 * ngam_render_feature_labels:
 * @field: a field @kind can be labelled by (ngam_render_style_can_label_by())
 * @font: a Pango font description ("Sans 7")
 *
 * Writes each feature's @field beside it — right of a point, along the
 * middle of a line's longest segment, never upside down, inside a polygon
 * where it is widest (polygon_anchor()) — with a white
 * halo, skipping a label that would meet one already placed or leave the
 * picture; at most 3,000, in the store's order, so the same view gives the
 * same picture.  Nothing at scales where the layer itself is not drawn.
 *
 * Returns: the number of labels placed, or -1 with @error set.
 */
int
ngam_render_feature_labels (NgamStore            *store,
                            cairo_t              *cr,
                            const NgamRenderView *view,
                            NgamLayerKind         kind,
                            const char           *field,
                            const char           *font,
                            GCancellable         *cancellable,
                            GError              **error)
{
  g_autoptr(NgamStoreCursor) cur = NULL;
  g_autoptr(GHashTable) cells = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                       (GDestroyNotify) g_array_unref);
  Placed placed = { cells };
  PangoFontDescription *desc;
  PangoLayout *layout;
  GError *local = NULL;
  double bbox[4];
  int fi, n_placed = 0;
  guint n = 0;
  double c_inv_scale = 1.0 / view->scale;

  g_return_val_if_fail (ngam_render_style_can_label_by (kind, field), -1);

  if (view->scale > ngam_render_layer_max_scale (kind))
    return 0;
  fi = ngam_layer_field_index (kind, field);
  ngam_render_view_get_bbox (view, 0, bbox);
  cur = ngam_store_query (store, kind, bbox, NGAM_QUERY_DEFAULT, error);
  if (cur == NULL)
    return -1;
  desc = pango_font_description_from_string (font);
  layout = pango_cairo_create_layout (cr);
  pango_layout_set_font_description (layout, desc);
  cairo_save (cr);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  while (n_placed < MAX_FEATURE_LABELS && ngam_store_cursor_next (cur, &local))
    {
      const NgamFeature *f = ngam_store_cursor_get (cur);
      g_autofree char *text = NULL;
      double x, y, angle = 0, box[4];
      int tw, th;

      if ((++n & 0xff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, &local))
        break;
      if (ngam_feature_is_null (f, fi) || f->shape == NULL || f->shape->n_points == 0)
        continue;
      text = ngam_layer_info (kind)->fields[fi].type == NGAM_FIELD_INT
             ? g_strdup_printf ("%" G_GINT64_FORMAT, ngam_feature_get_int (f, fi))
             : g_strdup (ngam_feature_get_text (f, fi));
      if (text == NULL || *text == '\0')
        continue;
      pango_layout_set_text (layout, text, -1);
      pango_layout_get_pixel_size (layout, &tw, &th);
      if (f->shape->n_polys > 0)
        {
          double wx = 0, wy = 0;

          /* Inside the polygon, where it is wide enough for the text. */
          if (polygon_anchor (f->shape, bbox, &wx, &wy) * c_inv_scale < tw * 1.1)
            continue;
          ngam_render_view_to_pixel (view, wx, wy, &x, &y);
        }
      else if (f->shape->n_points == 1)
        {
          double px, py;

          /* Right of the point, centred on it vertically. */
          ngam_render_view_to_pixel (view, f->shape->xy[0], f->shape->xy[1], &px, &py);
          x = px + 4 + tw / 2.0;
          y = py;
        }
      else
        {
          double best = -1, x0 = 0, y0 = 0, x1 = 0, y1 = 0;

          for (guint i = 1; i < f->shape->n_points; i++)
            {
              double ax, ay, bx, by;

              ngam_render_view_to_pixel (view, f->shape->xy[2 * i - 2], f->shape->xy[2 * i - 1], &ax, &ay);
              ngam_render_view_to_pixel (view, f->shape->xy[2 * i], f->shape->xy[2 * i + 1], &bx, &by);
              if (hypot (bx - ax, by - ay) > best)
                {
                  best = hypot (bx - ax, by - ay);
                  x0 = ax, y0 = ay, x1 = bx, y1 = by;
                }
            }
          /* Only where the line is long enough to carry it. */
          if (best < tw * 1.1)
            continue;
          angle = upright_angle (x0, y0, x1, y1);
          x = (x0 + x1) / 2;
          y = (y0 + y1) / 2;
        }
      label_box (x, y, angle, tw, th, 1.5, box);
      if (box[0] < 1 || box[1] < 1 || box[2] > view->width - 1 || box[3] > view->height - 1 ||
          !placed_free_at (&placed, box))
        continue;
      placed_add (&placed, box);
      show_haloed (cr, layout, x, y, angle, tw, th, 2.2, 0.85, 0.13);
      n_placed++;
    }
  cairo_restore (cr);
  g_object_unref (layout);
  pango_font_description_free (desc);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return -1;
    }
  return n_placed;
}
