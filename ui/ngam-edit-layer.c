/* ngam-edit-layer.c — the map's edit overlay and its tools
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A layer child of the NgamMapView, after libshumate's ShumatePathLayer:
 * it draws what is live — the selection, the snap indicator, the span
 * being drawn, the pole being dragged — above the map's tiles, and turns
 * the pointer into edits of the NgamProject (core/project/ngam-project-
 * edit.c does the edits; this file only decides where the pointer is).
 *
 * Its gestures sit on the map widget in the capture phase, so they see a
 * press before the map's own pan and zoom gestures; when a tool takes the
 * press (a click that adds a pole, a drag that moves one) it tells the
 * map to hold its pan for that press (ngam_map_view_hold_pan()).
 *
 * Snapping: within the tolerance (pixels, converted at the current scale)
 * the pointer snaps to the nearest pole, else to the nearest vertex of a
 * line; the snapped point is drawn as a ring, and a span's ends are the
 * poles' own coordinates, never the pointer's.
 */
#define G_LOG_DOMAIN "ngam-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ngam-edit-layer.h"
#include "ngam-render.h"

typedef struct
{
  NgamFeatureRef ref;
  NgamShape     *shape;
} Selected;

struct _NgamEditLayer
{
  GtkWidget     parent_instance;

  NgamMapView  *map;       /* our parent: not a reference */
  NgamProject  *project;
  NgamEditTool  tool;
  double        tolerance;  /* pixels */
  GArray       *selection;  /* Selected */
  GArray       *refs;       /* NgamFeatureRef: the same, for callers */

  /* pointer and snapping */
  gboolean      pointer_inside;
  double        pointer_x, pointer_y;   /* widget */
  gboolean      has_snap;
  double        snap_x, snap_y;         /* world */
  gint64        snap_pole;              /* 0: a vertex, not a pole */

  /* drawing a span */
  gint64        span_start;             /* pole, or 0 */
  GArray       *span_via;               /* x, y doubles */

  /* dragging */
  gboolean      dragging;
  gboolean      box_select;
  NgamFeatureRef drag_ref;              /* pole, or line with drag_vertex */
  int           drag_vertex;            /* -1: the whole pole */
  double        drag_origin_x, drag_origin_y;   /* world */
  double        drag_x, drag_y;                 /* world, now */
  double        drag_start_px, drag_start_py;   /* widget */
  GArray       *drag_neighbours;       /* x, y of span vertices next to the pole */
};

G_DEFINE_FINAL_TYPE (NgamEditLayer, ngam_edit_layer, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TOOL,
  PROP_SNAP_TOLERANCE,
  N_PROPS
};

enum {
  SELECTION_CHANGED,
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *tool_names[] = { "select", "add-pole", "move", "draw-span", "split", "vertex" };

const char *
ngam_edit_tool_to_string (NgamEditTool tool)
{
  g_return_val_if_fail (tool < G_N_ELEMENTS (tool_names), NULL);
  return tool_names[tool];
}

gboolean
ngam_edit_tool_from_string (const char   *name,
                            NgamEditTool *tool)
{
  for (guint i = 0; i < G_N_ELEMENTS (tool_names); i++)
    if (g_strcmp0 (name, tool_names[i]) == 0)
      {
        *tool = i;
        return TRUE;
      }
  return FALSE;
}

/* ---- geometry helpers ------------------------------------------------------ */

static void
to_world (NgamEditLayer *self, double px, double py, double *x, double *y)
{
  GtkWidget *w = GTK_WIDGET (self->map);

  ngam_viewport_from_widget (ngam_map_view_get_viewport (self->map), gtk_widget_get_width (w),
                             gtk_widget_get_height (w), px, py, x, y);
}

static void
to_widget (NgamEditLayer *self, double x, double y, double *px, double *py)
{
  GtkWidget *w = GTK_WIDGET (self->map);

  ngam_viewport_to_widget (ngam_map_view_get_viewport (self->map), gtk_widget_get_width (w),
                           gtk_widget_get_height (w), x, y, px, py);
}

static double
tolerance_m (NgamEditLayer *self)
{
  return self->tolerance * ngam_viewport_get_scale (ngam_map_view_get_viewport (self->map));
}

static double
segment_distance (const double *a, const double *b, double x, double y)
{
  double dx = b[0] - a[0], dy = b[1] - a[1], len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? CLAMP (((x - a[0]) * dx + (y - a[1]) * dy) / len2, 0, 1) : 0;

  return hypot (a[0] + t * dx - x, a[1] + t * dy - y);
}

static gboolean
ring_contains (const double *xy, guint n, double x, double y)
{
  gboolean in = FALSE;

  for (guint i = 0, j = n - 1; i < n; j = i++)
    if ((xy[2 * i + 1] > y) != (xy[2 * j + 1] > y) &&
        x < (xy[2 * j] - xy[2 * i]) * (y - xy[2 * i + 1]) / (xy[2 * j + 1] - xy[2 * i + 1]) + xy[2 * i])
      in = !in;
  return in;
}

/* Distance from (x, y) to a shape; 0 inside a polygon. */
static double
shape_distance (const NgamShape *s, double x, double y)
{
  double best = INFINITY;

  if (s->type == NGAM_SHAPE_POINT || s->type == NGAM_SHAPE_MULTIPOINT)
    {
      for (guint i = 0; i < s->n_points; i++)
        best = MIN (best, hypot (s->xy[2 * i] - x, s->xy[2 * i + 1] - y));
      return best;
    }
  for (guint p = 0; p < s->n_parts; p++)
    {
      guint a = s->part_start[p], b = s->part_start[p + 1];

      for (guint i = a; i + 1 < b; i++)
        best = MIN (best, segment_distance (s->xy + 2 * i, s->xy + 2 * i + 2, x, y));
      if ((s->type == NGAM_SHAPE_POLYGON || s->type == NGAM_SHAPE_MULTIPOLYGON) && b > a + 2 &&
          ring_contains (s->xy + 2 * a, b - a, x, y))
        best = 0;
    }
  return best;
}

/* What one clicks first when features overlap: points, then lines, then
 * areas. */
static const NgamLayerKind hit_order[] = {
  NGAM_LAYER_POLES, NGAM_LAYER_MANHOLES, NGAM_LAYER_SITES, NGAM_LAYER_DEMAND,
  NGAM_LAYER_SPANS, NGAM_LAYER_ROUTES, NGAM_LAYER_DUCTS, NGAM_LAYER_STREETS,
  NGAM_LAYER_ZONES, NGAM_LAYER_ADMIN,
};

/* The nearest feature of @kind within @tol of (x, y). */
static gboolean
nearest (NgamEditLayer *self,
         NgamLayerKind  kind,
         double         x,
         double         y,
         double         tol,
         gint64        *fid,
         double        *distance)
{
  NgamStore *store = self->project ? ngam_project_get_store (self->project) : NULL;
  double bbox[4] = { x - tol, y - tol, x + tol, y + tol };
  g_autoptr(NgamStoreCursor) cur = NULL;
  double best = INFINITY;

  if (store == NULL)
    return FALSE;
  cur = ngam_store_query (store, kind, bbox, NGAM_QUERY_SHAPE_ONLY, NULL);
  while (cur != NULL && ngam_store_cursor_next (cur, NULL))
    {
      const NgamFeature *f = ngam_store_cursor_get (cur);
      double d = shape_distance (f->shape, x, y);

      /* Ties go to the lower fid, so hits do not depend on index order. */
      if (d <= tol && (d < best || (d == best && f->fid < *fid)))
        {
          best = d;
          *fid = f->fid;
        }
    }
  if (distance)
    *distance = best;
  return isfinite (best);
}

static gboolean
layer_visible (NgamEditLayer *self, NgamLayerKind kind)
{
  return (ngam_map_view_get_visible_layers (self->map) & NGAM_RENDER_LAYER (kind)) != 0;
}

/**
 * ngam_edit_layer_hit:
 * @px: widget x
 * @py: widget y
 * @hit: (out): what is there
 */
gboolean
ngam_edit_layer_hit (NgamEditLayer  *self,
                     double          px,
                     double          py,
                     NgamFeatureRef *hit)
{
  double x, y, tol = tolerance_m (self);

  g_return_val_if_fail (NGAM_IS_EDIT_LAYER (self), FALSE);

  to_world (self, px, py, &x, &y);
  for (guint i = 0; i < G_N_ELEMENTS (hit_order); i++)
    {
      gint64 fid = 0;

      if (layer_visible (self, hit_order[i]) && nearest (self, hit_order[i], x, y, tol, &fid, NULL))
        {
          hit->kind = hit_order[i];
          hit->fid = fid;
          return TRUE;
        }
    }
  return FALSE;
}

/* The nearest vertex of a visible line within the tolerance. */
static gboolean
nearest_vertex (NgamEditLayer  *self,
                double          x,
                double          y,
                NgamFeatureRef *ref,
                int            *vertex,
                double         *vx,
                double         *vy)
{
  static const NgamLayerKind lines[] = { NGAM_LAYER_SPANS, NGAM_LAYER_ROUTES, NGAM_LAYER_DUCTS, NGAM_LAYER_STREETS };
  NgamStore *store = self->project ? ngam_project_get_store (self->project) : NULL;
  double tol = tolerance_m (self), best = INFINITY;
  double bbox[4] = { x - tol, y - tol, x + tol, y + tol };

  if (store == NULL)
    return FALSE;
  for (guint k = 0; k < G_N_ELEMENTS (lines); k++)
    {
      g_autoptr(NgamStoreCursor) cur = NULL;

      if (!layer_visible (self, lines[k]))
        continue;
      cur = ngam_store_query (store, lines[k], bbox, NGAM_QUERY_SHAPE_ONLY, NULL);
      while (cur != NULL && ngam_store_cursor_next (cur, NULL))
        {
          const NgamFeature *f = ngam_store_cursor_get (cur);

          for (guint i = 0; i < f->shape->n_points; i++)
            {
              double d = hypot (f->shape->xy[2 * i] - x, f->shape->xy[2 * i + 1] - y);

              if (d <= tol && d < best)
                {
                  best = d;
                  ref->kind = lines[k];
                  ref->fid = f->fid;
                  *vertex = i;
                  *vx = f->shape->xy[2 * i];
                  *vy = f->shape->xy[2 * i + 1];
                }
            }
        }
    }
  return isfinite (best);
}

/* Where the pointer snaps: a pole, else a line's vertex, else nowhere. */
static void
update_snap (NgamEditLayer *self)
{
  gboolean had = self->has_snap;
  double x, y;
  gint64 pole = 0;

  self->has_snap = FALSE;
  self->snap_pole = 0;
  if (self->pointer_inside && self->project != NULL &&
      (self->tool == NGAM_EDIT_TOOL_DRAW_SPAN || self->tool == NGAM_EDIT_TOOL_MOVE ||
       self->tool == NGAM_EDIT_TOOL_VERTEX || (self->dragging && self->drag_vertex >= 0)))
    {
      to_world (self, self->pointer_x, self->pointer_y, &x, &y);
      if (nearest (self, NGAM_LAYER_POLES, x, y, tolerance_m (self), &pole, NULL))
        {
          g_autoptr(NgamFeature) f = ngam_store_get_feature (ngam_project_get_store (self->project),
                                                             NGAM_LAYER_POLES, pole, NULL);

          if (f != NULL && !(self->dragging && self->drag_vertex < 0 && pole == self->drag_ref.fid))
            {
              self->has_snap = TRUE;
              self->snap_pole = pole;
              self->snap_x = f->shape->xy[0];
              self->snap_y = f->shape->xy[1];
            }
        }
      if (!self->has_snap && self->tool != NGAM_EDIT_TOOL_DRAW_SPAN && !self->dragging)
        {
          NgamFeatureRef ref;
          int vertex;

          self->has_snap = nearest_vertex (self, x, y, &ref, &vertex, &self->snap_x, &self->snap_y);
        }
    }
  if (had || self->has_snap || self->span_start != 0 || self->dragging)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- selection ----------------------------------------------------------------- */

static void
selected_clear (gpointer data)
{
  Selected *s = data;

  g_clear_pointer (&s->shape, ngam_shape_free);
}

static void
reload_selection (NgamEditLayer *self)
{
  NgamStore *store = self->project ? ngam_project_get_store (self->project) : NULL;

  for (guint i = 0; i < self->selection->len;)
    {
      Selected *s = &g_array_index (self->selection, Selected, i);
      g_autoptr(NgamFeature) f = store ? ngam_store_get_feature (store, s->ref.kind, s->ref.fid, NULL) : NULL;

      if (f == NULL)
        {
          g_array_remove_index (self->selection, i);
          continue;
        }
      g_clear_pointer (&s->shape, ngam_shape_free);
      s->shape = ngam_shape_copy (f->shape);
      i++;
    }
  g_array_set_size (self->refs, 0);
  for (guint i = 0; i < self->selection->len; i++)
    g_array_append_val (self->refs, g_array_index (self->selection, Selected, i).ref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ngam_edit_layer_set_selection (NgamEditLayer        *self,
                               const NgamFeatureRef *refs,
                               guint                 n)
{
  g_return_if_fail (NGAM_IS_EDIT_LAYER (self));

  g_array_set_size (self->selection, 0);
  for (guint i = 0; i < n; i++)
    {
      Selected s = { refs[i], NULL };

      g_array_append_val (self->selection, s);
    }
  reload_selection (self);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

/**
 * ngam_edit_layer_get_selection:
 * @n: (out): how many
 *
 * Returns: (transfer none) (array length=n): the selected features, valid
 *   until the selection changes
 */
const NgamFeatureRef *
ngam_edit_layer_get_selection (NgamEditLayer *self,
                               guint         *n)
{
  g_return_val_if_fail (NGAM_IS_EDIT_LAYER (self), NULL);

  *n = self->refs->len;
  return (const NgamFeatureRef *) self->refs->data;
}

static gboolean
is_selected (NgamEditLayer *self, const NgamFeatureRef *ref)
{
  for (guint i = 0; i < self->selection->len; i++)
    {
      Selected *s = &g_array_index (self->selection, Selected, i);

      if (s->ref.kind == ref->kind && s->ref.fid == ref->fid)
        return TRUE;
    }
  return FALSE;
}

/* Whether segment a–b meets the box (Liang–Barsky). */
static gboolean
segment_meets_box (const double *a, const double *b, const double *box)
{
  double t0 = 0, t1 = 1, dx = b[0] - a[0], dy = b[1] - a[1];
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { a[0] - box[0], box[2] - a[0], a[1] - box[1], box[3] - a[1] };

  for (int i = 0; i < 4; i++)
    {
      if (p[i] == 0)
        {
          if (q[i] < 0)
            return FALSE;
          continue;
        }
      {
        double r = q[i] / p[i];

        if (p[i] < 0)
          t0 = MAX (t0, r);
        else
          t1 = MIN (t1, r);
      }
      if (t0 > t1)
        return FALSE;
    }
  return TRUE;
}

static gboolean
shape_meets_box (const NgamShape *s, const double *box)
{
  for (guint i = 0; i < s->n_points; i++)
    if (s->xy[2 * i] >= box[0] && s->xy[2 * i] <= box[2] && s->xy[2 * i + 1] >= box[1] && s->xy[2 * i + 1] <= box[3])
      return TRUE;
  if (s->type == NGAM_SHAPE_POINT || s->type == NGAM_SHAPE_MULTIPOINT)
    return FALSE;
  for (guint p = 0; p < s->n_parts; p++)
    for (guint i = s->part_start[p]; i + 1 < s->part_start[p + 1]; i++)
      if (segment_meets_box (s->xy + 2 * i, s->xy + 2 * i + 2, box))
        return TRUE;
  return FALSE;
}

/**
 * ngam_edit_layer_select_in_box:
 * @bbox: minx, miny, maxx, maxy, project CRS
 * @add: add to the selection instead of replacing it
 *
 * Selects the features of the visible network layers (not streets, zones
 * or wards, which a box would always catch) that meet @bbox.
 */
void
ngam_edit_layer_select_in_box (NgamEditLayer *self,
                               const double   bbox[4],
                               gboolean       add)
{
  static const NgamLayerKind kinds[] = {
    NGAM_LAYER_POLES, NGAM_LAYER_MANHOLES, NGAM_LAYER_SITES, NGAM_LAYER_DEMAND,
    NGAM_LAYER_SPANS, NGAM_LAYER_ROUTES, NGAM_LAYER_DUCTS,
  };
  NgamStore *store = self->project ? ngam_project_get_store (self->project) : NULL;
  g_autoptr(GArray) refs = g_array_new (FALSE, FALSE, sizeof (NgamFeatureRef));

  g_return_if_fail (NGAM_IS_EDIT_LAYER (self));

  if (add)
    for (guint i = 0; i < self->selection->len; i++)
      g_array_append_val (refs, g_array_index (self->selection, Selected, i).ref);
  for (guint k = 0; store != NULL && k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(NgamStoreCursor) cur = NULL;

      if (!layer_visible (self, kinds[k]))
        continue;
      cur = ngam_store_query (store, kinds[k], bbox, NGAM_QUERY_SHAPE_ONLY, NULL);
      while (cur != NULL && ngam_store_cursor_next (cur, NULL))
        {
          const NgamFeature *f = ngam_store_cursor_get (cur);
          NgamFeatureRef ref = { kinds[k], f->fid };

          if (shape_meets_box (f->shape, bbox) && !(add && is_selected (self, &ref)))
            g_array_append_val (refs, ref);
        }
    }
  ngam_edit_layer_set_selection (self, (const NgamFeatureRef *) refs->data, refs->len);
}

/* The box of the selection; FALSE when nothing is selected. */
gboolean
ngam_edit_layer_get_selection_bbox (NgamEditLayer *self,
                                    double         bbox[4])
{
  gboolean any = FALSE;

  for (guint i = 0; i < self->selection->len; i++)
    {
      const NgamShape *s = g_array_index (self->selection, Selected, i).shape;

      for (guint j = 0; s && j < s->n_points; j++)
        {
          double x = s->xy[2 * j], y = s->xy[2 * j + 1];

          if (!any)
            {
              bbox[0] = bbox[2] = x;
              bbox[1] = bbox[3] = y;
              any = TRUE;
            }
          bbox[0] = MIN (bbox[0], x);
          bbox[1] = MIN (bbox[1], y);
          bbox[2] = MAX (bbox[2], x);
          bbox[3] = MAX (bbox[3], y);
        }
    }
  return any;
}

/* ---- edits ----------------------------------------------------------------------- */

static void
report (NgamEditLayer *self, GError *error)
{
  if (error != NULL)
    g_signal_emit (self, signals[FAILED], 0, error);
}

static void
select_one (NgamEditLayer *self, NgamLayerKind kind, gint64 fid)
{
  NgamFeatureRef ref = { kind, fid };

  ngam_edit_layer_set_selection (self, &ref, 1);
}

static void
draw_span_click (NgamEditLayer *self, double x, double y)
{
  g_autoptr(GError) error = NULL;

  if (!self->has_snap || self->snap_pole == 0)
    {
      if (self->span_start == 0)
        {
          g_set_error_literal (&error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_INVALID,
                               _("A span starts on a pole: click one"));
          report (self, error);
          return;
        }
      /* A vertex on the way. */
      g_array_append_val (self->span_via, x);
      g_array_append_val (self->span_via, y);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  if (self->span_start == 0)
    {
      self->span_start = self->snap_pole;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  if (self->snap_pole == self->span_start)
    return;
  {
    gint64 fid = 0;
    gint64 start = self->span_start;
    guint n_via = self->span_via->len / 2;
    g_autofree double *via = g_memdup2 (self->span_via->data, sizeof (double) * self->span_via->len);

    ngam_edit_layer_cancel (self);
    if (ngam_project_add_span (self->project, start, self->snap_pole, via, n_via, NULL, &fid, &error))
      select_one (self, NGAM_LAYER_SPANS, fid);
    report (self, error);
  }
}

/* Ctrl+click on a vertex deletes it; a click on a line adds one there. */
static void
vertex_click (NgamEditLayer *self, double x, double y, gboolean delete)
{
  NgamStore *store = ngam_project_get_store (self->project);
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamFeature) f = NULL;
  g_autoptr(NgamShape) shape = NULL;
  NgamFeatureRef ref;
  double vx, vy;
  int vertex;

  if (store == NULL)
    return;
  if (delete)
    {
      if (!nearest_vertex (self, x, y, &ref, &vertex, &vx, &vy))
        return;
      f = ngam_store_get_feature (store, ref.kind, ref.fid, &error);
      if (f == NULL || f->shape->n_points <= 2 || vertex == 0 || vertex == (int) f->shape->n_points - 1)
        {
          if (error == NULL)
            g_set_error_literal (&error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_INVALID,
                                 _("A line keeps its two ends: delete the line instead"));
          report (self, error);
          return;
        }
      memmove (f->shape->xy + 2 * vertex, f->shape->xy + 2 * vertex + 2,
               sizeof (double) * 2 * (f->shape->n_points - vertex - 1));
      shape = ngam_shape_new_line (f->shape->xy, f->shape->n_points - 1);
      if (!ngam_project_set_shape (self->project, ref.kind, ref.fid, shape, _("Delete a vertex"), &error))
        report (self, error);
      return;
    }
  {
    static const NgamLayerKind lines[] = { NGAM_LAYER_SPANS, NGAM_LAYER_ROUTES, NGAM_LAYER_DUCTS };
    g_autoptr(GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));
    double best = INFINITY;
    guint seg = 0;
    gint64 fid = 0;

    for (guint k = 0; k < G_N_ELEMENTS (lines); k++)
      {
        double d;
        gint64 id = 0;

        if (layer_visible (self, lines[k]) && nearest (self, lines[k], x, y, tolerance_m (self), &id, &d) &&
            d < best)
          {
            best = d;
            ref.kind = lines[k];
            fid = id;
          }
      }
    if (!isfinite (best))
      return;
    ref.fid = fid;
    f = ngam_store_get_feature (store, ref.kind, ref.fid, &error);
    if (f == NULL)
      {
        report (self, error);
        return;
      }
    best = INFINITY;
    for (guint i = 0; i + 1 < f->shape->n_points; i++)
      {
        double d = segment_distance (f->shape->xy + 2 * i, f->shape->xy + 2 * i + 2, x, y);

        if (d < best)
          {
            best = d;
            seg = i;
          }
      }
    g_array_append_vals (xy, f->shape->xy, 2 * (seg + 1));
    g_array_append_val (xy, x);
    g_array_append_val (xy, y);
    g_array_append_vals (xy, f->shape->xy + 2 * (seg + 1), 2 * (f->shape->n_points - seg - 1));
    shape = ngam_shape_new_line ((const double *) xy->data, xy->len / 2);
    if (!ngam_project_set_shape (self->project, ref.kind, ref.fid, shape, _("Add a vertex"), &error))
      report (self, error);
  }
}

static void
click_pressed (GtkGestureClick *gesture,
               int              n_press,
               double           px,
               double           py,
               NgamEditLayer   *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  g_autoptr(GError) error = NULL;
  NgamFeatureRef hit;
  double x, y;

  if (self->project == NULL)
    return;
  self->pointer_x = px;
  self->pointer_y = py;
  self->pointer_inside = TRUE;
  update_snap (self);
  to_world (self, px, py, &x, &y);

  switch (self->tool)
    {
    case NGAM_EDIT_TOOL_SELECT:
      if (state & GDK_SHIFT_MASK)
        return;   /* Shift+drag: a box, see drag_begin() */
      if (ngam_edit_layer_hit (self, px, py, &hit))
        select_one (self, hit.kind, hit.fid);
      else if (self->selection->len > 0)
        ngam_edit_layer_set_selection (self, NULL, 0);
      return;   /* the map still pans on a drag and zooms on a double click */
    case NGAM_EDIT_TOOL_MOVE:
      return;   /* see drag_begin() */
    case NGAM_EDIT_TOOL_ADD_POLE:
      {
        gint64 fid = 0;

        ngam_map_view_hold_pan (self->map);
        if (ngam_project_add_pole (self->project, x, y, NULL, &fid, &error))
          select_one (self, NGAM_LAYER_POLES, fid);
        break;
      }
    case NGAM_EDIT_TOOL_DRAW_SPAN:
      ngam_map_view_hold_pan (self->map);
      draw_span_click (self, x, y);
      break;
    case NGAM_EDIT_TOOL_SPLIT:
      ngam_map_view_hold_pan (self->map);
      {
        gint64 fid = 0;

        if (!nearest (self, NGAM_LAYER_SPANS, x, y, tolerance_m (self), &fid, NULL))
          g_set_error_literal (&error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_INVALID,
                               _("Click on a span to split it there"));
        else
          ngam_project_split_span (self->project, fid, x, y, NULL, &error);
      }
      break;
    case NGAM_EDIT_TOOL_VERTEX:
      ngam_map_view_hold_pan (self->map);
      vertex_click (self, x, y, (state & GDK_CONTROL_MASK) != 0);
      break;
    }
  report (self, error);
}

static void
drag_begin (GtkGestureDrag *gesture,
            double          px,
            double          py,
            NgamEditLayer  *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  double x, y, tol;
  gint64 pole = 0;

  self->dragging = FALSE;
  if (self->project == NULL || ngam_project_get_store (self->project) == NULL)
    return;
  to_world (self, px, py, &x, &y);
  self->drag_start_px = px;
  self->drag_start_py = py;
  if (self->tool == NGAM_EDIT_TOOL_SELECT && (state & GDK_SHIFT_MASK))
    {
      ngam_map_view_hold_pan (self->map);
      self->dragging = self->box_select = TRUE;
      self->drag_x = self->drag_origin_x = x;
      self->drag_y = self->drag_origin_y = y;
      return;
    }
  if (self->tool != NGAM_EDIT_TOOL_MOVE)
    return;
  tol = tolerance_m (self);
  g_array_set_size (self->drag_neighbours, 0);
  if (layer_visible (self, NGAM_LAYER_POLES) && nearest (self, NGAM_LAYER_POLES, x, y, tol, &pole, NULL))
    {
      NgamStore *store = ngam_project_get_store (self->project);
      g_autoptr(NgamFeature) f = ngam_store_get_feature (store, NGAM_LAYER_POLES, pole, NULL);
      g_autoptr(NgamStoreCursor) cur = NULL;
      double b[4];

      if (f == NULL)
        return;
      self->drag_ref.kind = NGAM_LAYER_POLES;
      self->drag_ref.fid = pole;
      self->drag_vertex = -1;
      self->drag_origin_x = f->shape->xy[0];
      self->drag_origin_y = f->shape->xy[1];
      /* The vertices next to the pole on its spans: the rubber lines. */
      b[0] = b[2] = self->drag_origin_x;
      b[1] = b[3] = self->drag_origin_y;
      cur = ngam_store_query (store, NGAM_LAYER_SPANS, b, NGAM_QUERY_SHAPE_ONLY, NULL);
      while (cur != NULL && ngam_store_cursor_next (cur, NULL))
        {
          const NgamShape *s = ngam_store_cursor_get (cur)->shape;
          guint n = s->n_points;

          if (n < 2)
            continue;
          if (s->xy[0] == self->drag_origin_x && s->xy[1] == self->drag_origin_y)
            g_array_append_vals (self->drag_neighbours, s->xy + 2, 2);
          if (s->xy[2 * n - 2] == self->drag_origin_x && s->xy[2 * n - 1] == self->drag_origin_y)
            g_array_append_vals (self->drag_neighbours, s->xy + 2 * n - 4, 2);
        }
    }
  else
    {
      NgamFeatureRef ref;
      int vertex;
      double vx, vy;

      if (!nearest_vertex (self, x, y, &ref, &vertex, &vx, &vy))
        return;
      self->drag_ref = ref;
      self->drag_vertex = vertex;
      self->drag_origin_x = vx;
      self->drag_origin_y = vy;
    }
  ngam_map_view_hold_pan (self->map);
  self->dragging = TRUE;
  self->box_select = FALSE;
  self->drag_x = self->drag_origin_x;
  self->drag_y = self->drag_origin_y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_update (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             NgamEditLayer  *self)
{
  double scale = ngam_viewport_get_scale (ngam_map_view_get_viewport (self->map));

  if (!self->dragging)
    return;
  self->pointer_x = self->drag_start_px + dx;
  self->pointer_y = self->drag_start_py + dy;
  self->pointer_inside = TRUE;
  if (self->box_select)
    to_world (self, self->pointer_x, self->pointer_y, &self->drag_x, &self->drag_y);
  else
    {
      self->drag_x = self->drag_origin_x + dx * scale;
      self->drag_y = self->drag_origin_y - dy * scale;
      /* A dragged vertex lands exactly on a pole it is dropped on. */
      update_snap (self);
      if (self->drag_vertex >= 0 && self->has_snap && self->snap_pole != 0)
        {
          self->drag_x = self->snap_x;
          self->drag_y = self->snap_y;
        }
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end (GtkGestureDrag *gesture,
          double          dx,
          double          dy,
          NgamEditLayer  *self)
{
  g_autoptr(GError) error = NULL;

  if (!self->dragging)
    return;
  drag_update (gesture, dx, dy, self);
  self->dragging = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->box_select)
    {
      double b[4] = { MIN (self->drag_origin_x, self->drag_x), MIN (self->drag_origin_y, self->drag_y),
                      MAX (self->drag_origin_x, self->drag_x), MAX (self->drag_origin_y, self->drag_y) };

      self->box_select = FALSE;
      ngam_edit_layer_select_in_box (self, b, FALSE);
      return;
    }
  if (dx == 0 && dy == 0)
    return;
  if (self->drag_vertex < 0)
    {
      if (ngam_project_move_pole (self->project, self->drag_ref.fid, self->drag_x, self->drag_y, NULL, &error))
        select_one (self, NGAM_LAYER_POLES, self->drag_ref.fid);
    }
  else
    {
      g_autoptr(NgamFeature) f = ngam_store_get_feature (ngam_project_get_store (self->project),
                                                         self->drag_ref.kind, self->drag_ref.fid, &error);

      if (f != NULL && self->drag_vertex < (int) f->shape->n_points)
        {
          f->shape->xy[2 * self->drag_vertex] = self->drag_x;
          f->shape->xy[2 * self->drag_vertex + 1] = self->drag_y;
          ngam_project_set_shape (self->project, f->kind, f->fid, f->shape, _("Move a vertex"), &error);
        }
    }
  report (self, error);
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    px,
           double                    py,
           NgamEditLayer            *self)
{
  self->pointer_x = px;
  self->pointer_y = py;
  self->pointer_inside = TRUE;
  if (!self->dragging)
    update_snap (self);
}

static void
on_leave (GtkEventControllerMotion *controller,
          NgamEditLayer            *self)
{
  self->pointer_inside = FALSE;
  update_snap (self);
}

/* ---- drawing ------------------------------------------------------------------------- */

static void
path_shape (NgamEditLayer *self, cairo_t *cr, const NgamShape *s)
{
  for (guint p = 0; p < MAX (1u, s->n_parts); p++)
    {
      guint a = s->n_parts ? s->part_start[p] : 0, b = s->n_parts ? s->part_start[p + 1] : s->n_points;

      for (guint i = a; i < b; i++)
        {
          double px, py;

          to_widget (self, s->xy[2 * i], s->xy[2 * i + 1], &px, &py);
          if (i == a)
            cairo_move_to (cr, px, py);
          else
            cairo_line_to (cr, px, py);
        }
      if (s->type == NGAM_SHAPE_POLYGON || s->type == NGAM_SHAPE_MULTIPOLYGON)
        cairo_close_path (cr);
    }
}

static void
draw_point (cairo_t *cr, double px, double py, double r)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, px, py, r, 0, 2 * G_PI);
}

/* Everything the layer shows, in widget coordinates. */
static void
draw_overlay (NgamEditLayer *self,
              cairo_t       *cr)
{
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  /* The selection: a white halo and GNOME's accent blue. */
  for (guint i = 0; i < self->selection->len; i++)
    {
      const NgamShape *s = g_array_index (self->selection, Selected, i).shape;

      if (s == NULL)
        continue;
      if (s->type == NGAM_SHAPE_POINT || s->type == NGAM_SHAPE_MULTIPOINT)
        for (guint j = 0; j < s->n_points; j++)
          {
            double px, py;

            to_widget (self, s->xy[2 * j], s->xy[2 * j + 1], &px, &py);
            draw_point (cr, px, py, 7);
          }
      else
        path_shape (self, cr, s);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
      cairo_set_line_width (cr, 7);
      cairo_stroke_preserve (cr);
      cairo_set_source_rgb (cr, 0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0);
      cairo_set_line_width (cr, 3);
      cairo_stroke (cr);
    }

  /* The span being drawn: from its pole through its vertices to the
   * pointer (or the pole it would snap to), dashed. */
  if (self->span_start != 0 && ngam_project_get_store (self->project) != NULL)
    {
      g_autoptr(NgamFeature) start = ngam_store_get_feature (ngam_project_get_store (self->project),
                                                             NGAM_LAYER_POLES, self->span_start, NULL);
      double px, py;

      if (start != NULL)
        {
          static const double dash[] = { 6, 4 };

          to_widget (self, start->shape->xy[0], start->shape->xy[1], &px, &py);
          cairo_move_to (cr, px, py);
          for (guint i = 0; i + 1 < self->span_via->len; i += 2)
            {
              to_widget (self, g_array_index (self->span_via, double, i),
                         g_array_index (self->span_via, double, i + 1), &px, &py);
              cairo_line_to (cr, px, py);
            }
          if (self->has_snap && self->snap_pole != 0)
            to_widget (self, self->snap_x, self->snap_y, &px, &py);
          else
            px = self->pointer_x, py = self->pointer_y;
          if (self->pointer_inside || self->has_snap)
            cairo_line_to (cr, px, py);
          cairo_set_dash (cr, dash, 2, 0);
          cairo_set_source_rgb (cr, 0xe0 / 255.0, 0x1b / 255.0, 0x24 / 255.0);
          cairo_set_line_width (cr, 2.5);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
          to_widget (self, start->shape->xy[0], start->shape->xy[1], &px, &py);
          draw_point (cr, px, py, 6);
          cairo_fill (cr);
        }
    }

  /* A pole or vertex being dragged, with its rubber lines. */
  if (self->dragging && !self->box_select)
    {
      double px, py, qx, qy;

      to_widget (self, self->drag_x, self->drag_y, &px, &py);
      for (guint i = 0; i + 1 < self->drag_neighbours->len && self->drag_vertex < 0; i += 2)
        {
          to_widget (self, g_array_index (self->drag_neighbours, double, i),
                     g_array_index (self->drag_neighbours, double, i + 1), &qx, &qy);
          cairo_move_to (cr, qx, qy);
          cairo_line_to (cr, px, py);
        }
      cairo_set_source_rgba (cr, 0xe0 / 255.0, 0x1b / 255.0, 0x24 / 255.0, 0.8);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
      draw_point (cr, px, py, 6);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 0xe0 / 255.0, 0x1b / 255.0, 0x24 / 255.0);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
    }

  /* The box of a Shift+drag. */
  if (self->dragging && self->box_select)
    {
      double x0, y0, x1, y1;

      to_widget (self, self->drag_origin_x, self->drag_origin_y, &x0, &y0);
      to_widget (self, self->drag_x, self->drag_y, &x1, &y1);
      cairo_rectangle (cr, MIN (x0, x1), MIN (y0, y1), fabs (x1 - x0), fabs (y1 - y0));
      cairo_set_source_rgba (cr, 0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0, 0.15);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
    }

  /* The snap indicator: a ring on a pole, a square on a vertex. */
  if (self->has_snap)
    {
      double px, py;

      to_widget (self, self->snap_x, self->snap_y, &px, &py);
      if (self->snap_pole != 0)
        draw_point (cr, px, py, 10);
      else
        cairo_rectangle (cr, px - 6, py - 6, 12, 12);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 5);
      cairo_stroke_preserve (cr);
      cairo_set_source_rgb (cr, 0xc6 / 255.0, 0x46 / 255.0, 0x00 / 255.0);
      cairo_set_line_width (cr, 2.5);
      cairo_stroke (cr);
    }
}

/* The overlay is recorded first and handed to GTK only over the part of
 * the view it inks: with nothing selected or being drawn the layer adds
 * nothing to the frame, and a pan redraws the map's tiles alone.  (A
 * cairo node is rasterised over its whole bounds in every frame: a node
 * the size of the view cost as much as the tiles it lies on.) */
static void
ngam_edit_layer_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  NgamEditLayer *self = NGAM_EDIT_LAYER (widget);
  double w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  double ix, iy, iw, ih, x0, y0, x1, y1;
  cairo_surface_t *recording;
  cairo_t *cr;

  if (self->project == NULL || w <= 0 || h <= 0)
    return;
  recording = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cr = cairo_create (recording);
  draw_overlay (self, cr);
  cairo_destroy (cr);
  cairo_recording_surface_ink_extents (recording, &ix, &iy, &iw, &ih);
  x0 = MAX (0, floor (ix));
  y0 = MAX (0, floor (iy));
  x1 = MIN (w, ceil (ix + iw));
  y1 = MIN (h, ceil (iy + ih));
  if (iw > 0 && ih > 0 && x1 > x0 && y1 > y0)
    {
      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0));
      cairo_set_source_surface (cr, recording, 0, 0);
      cairo_paint (cr);
      cairo_destroy (cr);
    }
  cairo_surface_destroy (recording);
}

/* ---- the object -------------------------------------------------------------------------- */

static void
project_changed (NgamProject   *project,
                 int            kind,
                 const double  *bbox,
                 NgamEditLayer *self)
{
  reload_selection (self);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

static void
viewport_changed (NgamViewport *viewport, GParamSpec *pspec, NgamEditLayer *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ngam_edit_layer_dispose (GObject *object)
{
  NgamEditLayer *self = NGAM_EDIT_LAYER (object);

  ngam_edit_layer_set_project (self, NULL);
  G_OBJECT_CLASS (ngam_edit_layer_parent_class)->dispose (object);
}

static void
ngam_edit_layer_finalize (GObject *object)
{
  NgamEditLayer *self = NGAM_EDIT_LAYER (object);

  g_array_unref (self->selection);
  g_array_unref (self->refs);
  g_array_unref (self->span_via);
  g_array_unref (self->drag_neighbours);
  G_OBJECT_CLASS (ngam_edit_layer_parent_class)->finalize (object);
}

static void
ngam_edit_layer_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  NgamEditLayer *self = NGAM_EDIT_LAYER (object);

  switch (prop_id)
    {
    case PROP_TOOL:
      g_value_set_int (value, self->tool);
      break;
    case PROP_SNAP_TOLERANCE:
      g_value_set_double (value, self->tolerance);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ngam_edit_layer_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  NgamEditLayer *self = NGAM_EDIT_LAYER (object);

  switch (prop_id)
    {
    case PROP_TOOL:
      ngam_edit_layer_set_tool (self, g_value_get_int (value));
      break;
    case PROP_SNAP_TOLERANCE:
      ngam_edit_layer_set_snap_tolerance (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ngam_edit_layer_class_init (NgamEditLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ngam_edit_layer_dispose;
  object_class->finalize = ngam_edit_layer_finalize;
  object_class->get_property = ngam_edit_layer_get_property;
  object_class->set_property = ngam_edit_layer_set_property;
  widget_class->snapshot = ngam_edit_layer_snapshot;

  properties[PROP_TOOL] =
    g_param_spec_int ("tool", NULL, "The NgamEditTool in use", NGAM_EDIT_TOOL_SELECT, NGAM_EDIT_TOOL_VERTEX,
                      NGAM_EDIT_TOOL_SELECT, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SNAP_TOLERANCE] =
    g_param_spec_double ("snap-tolerance", NULL, "How near, in pixels, the pointer snaps", 1, 100, 12,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /**
   * NgamEditLayer::failed:
   * @error: why an edit was refused, for people
   */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
  gtk_widget_class_set_css_name (widget_class, "ngam-edit-layer");
}

static void
ngam_edit_layer_init (NgamEditLayer *self)
{
  self->tolerance = 12;
  self->selection = g_array_new (FALSE, TRUE, sizeof (Selected));
  g_array_set_clear_func (self->selection, selected_clear);
  self->refs = g_array_new (FALSE, FALSE, sizeof (NgamFeatureRef));
  self->span_via = g_array_new (FALSE, FALSE, sizeof (double));
  self->drag_neighbours = g_array_new (FALSE, FALSE, sizeof (double));
  self->drag_vertex = -1;
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

/**
 * ngam_edit_layer_new:
 * @map: the map it edits; the layer adds itself to it
 */
NgamEditLayer *
ngam_edit_layer_new (NgamMapView *map)
{
  NgamEditLayer *self = g_object_new (NGAM_TYPE_EDIT_LAYER, NULL);
  GtkGesture *click, *drag;
  GtkEventController *motion;

  self->map = map;
  ngam_map_view_add_layer (map, GTK_WIDGET (self));

  click = gtk_gesture_click_new ();
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (click), "ngam-edit-click");
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (click_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (map), GTK_EVENT_CONTROLLER (click));

  drag = gtk_gesture_drag_new ();
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (drag), "ngam-edit-drag");
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (drag), GTK_PHASE_CAPTURE);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (map), GTK_EVENT_CONTROLLER (drag));

  motion = gtk_event_controller_motion_new ();
  gtk_event_controller_set_name (motion, "ngam-edit-motion");
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (map), motion);

  g_signal_connect_object (ngam_map_view_get_viewport (map), "notify", G_CALLBACK (viewport_changed), self, 0);
  return self;
}

void
ngam_edit_layer_set_project (NgamEditLayer *self,
                             NgamProject   *project)
{
  g_return_if_fail (NGAM_IS_EDIT_LAYER (self));

  if (self->project == project)
    return;
  ngam_edit_layer_cancel (self);
  if (self->project)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_set_object (&self->project, project);
  if (project)
    g_signal_connect (project, "changed", G_CALLBACK (project_changed), self);
  if (self->selection->len > 0)
    ngam_edit_layer_set_selection (self, NULL, 0);
}

NgamEditTool
ngam_edit_layer_get_tool (NgamEditLayer *self)
{
  g_return_val_if_fail (NGAM_IS_EDIT_LAYER (self), NGAM_EDIT_TOOL_SELECT);
  return self->tool;
}

void
ngam_edit_layer_set_tool (NgamEditLayer *self,
                          NgamEditTool   tool)
{
  g_return_if_fail (NGAM_IS_EDIT_LAYER (self));

  if (self->tool == tool)
    return;
  ngam_edit_layer_cancel (self);
  self->tool = tool;
  ngam_map_view_set_cursor_name (self->map, tool == NGAM_EDIT_TOOL_SELECT ? NULL
                                 : tool == NGAM_EDIT_TOOL_MOVE ? "move" : "crosshair");
  update_snap (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
}

/* Drops the span being drawn and any drag (Escape). */
void
ngam_edit_layer_cancel (NgamEditLayer *self)
{
  g_return_if_fail (NGAM_IS_EDIT_LAYER (self));

  self->span_start = 0;
  g_array_set_size (self->span_via, 0);
  self->dragging = FALSE;
  self->box_select = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
ngam_edit_layer_get_snap_tolerance (NgamEditLayer *self)
{
  return self->tolerance;
}

void
ngam_edit_layer_set_snap_tolerance (NgamEditLayer *self,
                                    double         pixels)
{
  g_return_if_fail (NGAM_IS_EDIT_LAYER (self));
  self->tolerance = CLAMP (pixels, 1, 100);
}

/**
 * ngam_edit_layer_get_snap:
 * @x: (out) (optional): where the pointer snaps, project CRS
 * @y: (out) (optional):
 * @pole: (out) (optional): the pole it snaps to, or 0 for a vertex
 *
 * Returns: whether the pointer snaps now (the indicator is drawn).
 */
gboolean
ngam_edit_layer_get_snap (NgamEditLayer *self,
                          double        *x,
                          double        *y,
                          gint64        *pole)
{
  g_return_val_if_fail (NGAM_IS_EDIT_LAYER (self), FALSE);

  if (x)
    *x = self->snap_x;
  if (y)
    *y = self->snap_y;
  if (pole)
    *pole = self->snap_pole;
  return self->has_snap;
}

/* The pole the span being drawn starts on, or 0. */
gint64
ngam_edit_layer_get_span_start (NgamEditLayer *self)
{
  g_return_val_if_fail (NGAM_IS_EDIT_LAYER (self), 0);
  return self->span_start;
}
