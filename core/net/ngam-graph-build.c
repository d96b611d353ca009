/* ngam-graph-build.c — the street graph of a project: noding, zones,
 * components and near-misses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Streets are noded the way a surveyor would join them:
 *
 *  - streets on one level (same OSM `layer`; a bridge without one is level
 *    1, a tunnel −1) meet wherever they cross or a vertex of one comes
 *    within the snap tolerance of the other;
 *  - streets on different levels meet only at their ends: a bridge's end
 *    joins the road it lands on, but a road passing under the bridge does
 *    not;
 *  - the junction points found are clustered within the tolerance (union-
 *    find over a hash grid) and each cluster becomes one node, so that a
 *    street stopping 30 cm short of another is joined to it.
 *
 * Segment pairs are found with a uniform grid: each pair is tested in the
 * one cell holding the lower-left corner of the overlap of their bounding
 * boxes, so no pair is tested twice and the work grows with the number of
 * segments, not its square.  Floating-point intersections are computed
 * once per pair and shared by both streets, so the two pieces meet at
 * exactly the same coordinates.
 */
#define G_LOG_DOMAIN "ngam-net"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-graph-build.h"
#include "ngam-net-private.h"
#include "ngam-settings.h"

/* Computed points closer than this (in metres) are the same point even
 * when the snap tolerance is zero: it absorbs rounding, nothing else. */
#define NGAM_NODE_EPSILON 1e-6

typedef struct
{
  gint64  fid;
  guint   p0, n;
  gint8   level;
  guint8  flags;
  guint16 surface, highway;
  float   width, sidewalk;
} Line;

typedef struct
{
  guint  line;
  guint  p;       /* global index of the segment's first point */
  double t;       /* 0…1 along the segment: the position is p + t */
  double x, y;
} Event;

typedef struct
{
  guint  u, v;
  guint  line;
  guint  g0, gn;  /* vertices in Builder.geom */
  double length;
  gboolean dropped;
} EdgeRec;

typedef struct
{
  NgamStore       *store;
  NgamGraphReport *report;
  GCancellable    *cancellable;
  NgamProgressFunc progress;
  gpointer         progress_data;
  double           tol, eps;

  GArray          *lines;    /* Line */
  GArray          *pts;      /* double x, y */
  GPtrArray       *strings;
  GHashTable      *string_ids;

  guint           *seg_p;
  guint           *seg_line;
  guint            n_seg;

  GArray          *events;   /* Event */
  GArray          *links;    /* guint pairs of events to join */

  guint           *ev_node;  /* per event */
  GArray          *nodes;    /* double x, y */
  GArray          *edges;    /* EdgeRec */
  GArray          *geom;     /* double x, y */
} Builder;

static void
builder_clear (Builder *b)
{
  g_clear_pointer (&b->lines, g_array_unref);
  g_clear_pointer (&b->pts, g_array_unref);
  g_clear_pointer (&b->strings, g_ptr_array_unref);
  g_clear_pointer (&b->string_ids, g_hash_table_unref);
  g_clear_pointer (&b->seg_p, g_free);
  g_clear_pointer (&b->seg_line, g_free);
  g_clear_pointer (&b->events, g_array_unref);
  g_clear_pointer (&b->links, g_array_unref);
  g_clear_pointer (&b->ev_node, g_free);
  g_clear_pointer (&b->nodes, g_array_unref);
  g_clear_pointer (&b->edges, g_array_unref);
  g_clear_pointer (&b->geom, g_array_unref);
}

void
ngam_graph_report_free (NgamGraphReport *r)
{
  if (r == NULL)
    return;
  g_array_unref (r->skipped);
  g_array_unref (r->near_misses);
  g_free (r);
}

static gboolean
check_cancel (Builder *b, GError **error)
{
  if (g_cancellable_is_cancelled (b->cancellable))
    {
      g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_CANCELLED, "building the street graph was cancelled");
      return FALSE;
    }
  return TRUE;
}

static void
report_progress (Builder *b, double fraction, const char *message)
{
  if (b->progress)
    b->progress (fraction, message, b->progress_data);
}

static guint16
intern (Builder *b, const char *text)
{
  gpointer id;

  if (text == NULL || *text == '\0')
    return 0;
  if (g_hash_table_lookup_extended (b->string_ids, text, NULL, &id))
    return GPOINTER_TO_UINT (id);
  if (b->strings->len >= G_MAXUINT16)
    return 0;
  g_ptr_array_add (b->strings, g_strdup (text));
  g_hash_table_insert (b->string_ids, b->strings->pdata[b->strings->len - 1],
                       GUINT_TO_POINTER (b->strings->len - 1));
  return b->strings->len - 1;
}

static void
add_problem (Builder *b, gint64 fid, const char *reason)
{
  NgamStreetProblem p = { fid, reason };

  g_array_append_val (b->report->skipped, p);
}

/* --- 1. reading ---------------------------------------------------------- */

static gboolean
read_streets (Builder *b, GError **error)
{
  g_autoptr(NgamStoreCursor) cur = NULL;
  const int f_highway = ngam_layer_field_index (NGAM_LAYER_STREETS, "highway");
  const int f_surface = ngam_layer_field_index (NGAM_LAYER_STREETS, "surface");
  const int f_width = ngam_layer_field_index (NGAM_LAYER_STREETS, "width_m");
  const int f_sidewalk = ngam_layer_field_index (NGAM_LAYER_STREETS, "sidewalk_m");
  const int f_bridge = ngam_layer_field_index (NGAM_LAYER_STREETS, "bridge");
  const int f_tunnel = ngam_layer_field_index (NGAM_LAYER_STREETS, "tunnel");
  const int f_layer = ngam_layer_field_index (NGAM_LAYER_STREETS, "layer");
  const int f_festival = ngam_layer_field_index (NGAM_LAYER_STREETS, "festival");
  gint64 total = ngam_store_count (b->store, NGAM_LAYER_STREETS, error);
  g_autofree char *what = NULL;
  guint64 n_read = 0;

  if (total < 0)
    return FALSE;
  what = g_strdup_printf ("the street graph of %s (%" G_GINT64_FORMAT " streets)",
                          ngam_store_get_path (b->store), total);
  /* Every street has at least two vertices; refuse before reading when even
   * that would not fit. */
  if (!ngam_net_check_memory (ngam_graph_estimate_bytes (2 * total, total, 2 * total) +
                              (guint64) total * 2 * 160, what, error))
    return FALSE;
  cur = ngam_store_query (b->store, NGAM_LAYER_STREETS, NULL, NGAM_QUERY_DEFAULT, error);
  if (cur == NULL)
    return FALSE;
  while (ngam_store_cursor_next (cur, error))
    {
      const NgamFeature *f = ngam_store_cursor_get (cur);
      const NgamShape *s = f->shape;
      Line line = { 0 };
      gboolean bridge, tunnel;
      guint kept = 0, parts;

      b->report->n_streets++;
      if ((++n_read & 4095) == 0)
        {
          if (!check_cancel (b, error))
            return FALSE;
          report_progress (b, 0.3 * n_read / MAX (total, 1), "reading streets");
        }
      if (s->type != NGAM_SHAPE_LINESTRING && s->type != NGAM_SHAPE_MULTILINESTRING)
        {
          add_problem (b, f->fid, s->type == NGAM_SHAPE_NONE ? "no geometry" : "not a line");
          continue;
        }
      bridge = !ngam_feature_is_null (f, f_bridge) && ngam_feature_get_bool (f, f_bridge);
      tunnel = !ngam_feature_is_null (f, f_tunnel) && ngam_feature_get_bool (f, f_tunnel);
      line.fid = f->fid;
      if (!ngam_feature_is_null (f, f_layer))
        line.level = (gint8) CLAMP (ngam_feature_get_int (f, f_layer), -100, 100);
      else
        line.level = bridge ? 1 : tunnel ? -1 : 0;
      line.flags = (bridge ? NGAM_EDGE_BRIDGE : 0) | (tunnel ? NGAM_EDGE_TUNNEL : 0) |
                   (!ngam_feature_is_null (f, f_festival) && ngam_feature_get_bool (f, f_festival)
                    ? NGAM_EDGE_FESTIVAL : 0);
      line.highway = intern (b, ngam_feature_get_text (f, f_highway));
      line.surface = intern (b, ngam_feature_get_text (f, f_surface));
      line.width = ngam_feature_is_null (f, f_width) ? NAN : ngam_feature_get_real (f, f_width);
      line.sidewalk = ngam_feature_is_null (f, f_sidewalk) ? NAN : ngam_feature_get_real (f, f_sidewalk);

      /* A multi-line street becomes one line per part. */
      parts = s->n_parts;
      for (guint part = 0; part < parts; part++)
        {
          guint start = b->pts->len / 2;
          gboolean bad = FALSE;

          kept = 0;
          for (guint i = s->part_start[part]; i < s->part_start[part + 1]; i++)
            {
              double x = s->xy[2 * i], y = s->xy[2 * i + 1];

              if (!isfinite (x) || !isfinite (y))
                {
                  bad = TRUE;
                  break;
                }
              if (kept > 0)
                {
                  double *last = &g_array_index (b->pts, double, b->pts->len - 2);

                  if (fabs (last[0] - x) <= NGAM_NODE_EPSILON && fabs (last[1] - y) <= NGAM_NODE_EPSILON)
                    {
                      b->report->n_repeated_points++;
                      continue;
                    }
                }
              g_array_append_val (b->pts, x);
              g_array_append_val (b->pts, y);
              kept++;
            }
          if (bad || kept < 2)
            {
              g_array_set_size (b->pts, 2 * start);
              add_problem (b, f->fid, bad ? "coordinates that are not numbers" : "zero length");
              continue;
            }
          line.p0 = start;
          line.n = kept;
          g_array_append_val (b->lines, line);
        }
    }
  return error == NULL || *error == NULL;
}

/* --- 2. junctions ------------------------------------------------------- */

static guint
add_event (Builder *b, guint line, guint p, double t, double x, double y)
{
  Event ev = { line, p, t, x, y };

  /* A vertex is the start of its segment rather than the end of the one
   * before, so that both spellings of a position compare equal. */
  if (t >= 1.0 && p + 2 < g_array_index (b->lines, Line, line).p0 + g_array_index (b->lines, Line, line).n)
    {
      ev.p = p + 1;
      ev.t = 0;
    }
  g_array_append_val (b->events, ev);
  return b->events->len - 1;
}

static void
link_events (Builder *b, guint a, guint c)
{
  g_array_append_val (b->links, a);
  g_array_append_val (b->links, c);
}

static inline gboolean
is_line_end (const Line *l, guint p, gboolean second)
{
  return second ? p + 2 == l->p0 + l->n : p == l->p0;
}

/* Joins where a vertex of segment (p, la) comes within the tolerance of
 * segment (q, lb). */
static void
vertex_on_segment (Builder *b, guint la, guint p, guint lb, guint q, gboolean same_level)
{
  const double *pts = (const double *) b->pts->data;
  const Line *line_a = &g_array_index (b->lines, Line, la);

  for (int k = 0; k < 2; k++)
    {
      double vx = pts[2 * (p + k)], vy = pts[2 * (p + k) + 1], u, d2;

      if (!same_level && !is_line_end (line_a, p, k == 1))
        continue;
      d2 = ngam_seg_dist2 (vx, vy, pts[2 * q], pts[2 * q + 1], pts[2 * q + 2], pts[2 * q + 3], &u);
      if (d2 <= b->tol * b->tol)
        {
          double qx = pts[2 * q] + u * (pts[2 * q + 2] - pts[2 * q]);
          double qy = pts[2 * q + 1] + u * (pts[2 * q + 3] - pts[2 * q + 1]);
          guint e1 = add_event (b, la, p, k, vx, vy);
          guint e2 = add_event (b, lb, q, u, qx, qy);

          link_events (b, e1, e2);
          if (d2 > b->eps * b->eps)
            b->report->n_snapped++;
        }
    }
}

static void
test_pair (Builder *b, guint sa, guint sb)
{
  const double *pts = (const double *) b->pts->data;
  guint p = b->seg_p[sa], q = b->seg_p[sb], la = b->seg_line[sa], lb = b->seg_line[sb];
  const Line *line_a = &g_array_index (b->lines, Line, la);
  const Line *line_b = &g_array_index (b->lines, Line, lb);
  gboolean same = line_a->level == line_b->level;
  double p0x = pts[2 * p], p0y = pts[2 * p + 1], p1x = pts[2 * p + 2], p1y = pts[2 * p + 3];
  double q0x = pts[2 * q], q0y = pts[2 * q + 1], q1x = pts[2 * q + 2], q1y = pts[2 * q + 3];
  double d1, d2, d3, d4;

  if (la == lb && (p + 1 == q || q + 1 == p))
    return;
  /* Orientation tests: a proper crossing has each segment's ends strictly
   * on both sides of the other. */
  d1 = (q1x - q0x) * (p0y - q0y) - (q1y - q0y) * (p0x - q0x);
  d2 = (q1x - q0x) * (p1y - q0y) - (q1y - q0y) * (p1x - q0x);
  d3 = (p1x - p0x) * (q0y - p0y) - (p1y - p0y) * (q0x - p0x);
  d4 = (p1x - p0x) * (q1y - p0y) - (p1y - p0y) * (q1x - p0x);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
    {
      if (same)
        {
          double t = d1 / (d1 - d2), u = d3 / (d3 - d4);
          double x = p0x + t * (p1x - p0x), y = p0y + t * (p1y - p0y);
          guint e1 = add_event (b, la, p, t, x, y);
          guint e2 = add_event (b, lb, q, u, x, y);

          link_events (b, e1, e2);
          b->report->n_crossings++;
        }
      else
        b->report->n_level_crossings++;
    }
  vertex_on_segment (b, la, p, lb, q, same);
  vertex_on_segment (b, lb, q, la, p, same);
}

static gboolean
find_junctions (Builder *b, GError **error)
{
  const double *pts = (const double *) b->pts->data;
  double bbox[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY }, cs, sum_len = 0, pad = b->tol;
  guint nx, ny;
  gsize n_cells;
  g_autofree guint *cell_start = NULL, *items = NULL, *fill = NULL;
  guint64 n_items = 0;
  guint s = 0;

  b->n_seg = b->pts->len / 2 - b->lines->len;
  b->seg_p = g_new (guint, MAX (b->n_seg, 1));
  b->seg_line = g_new (guint, MAX (b->n_seg, 1));
  for (guint l = 0; l < b->lines->len; l++)
    {
      const Line *line = &g_array_index (b->lines, Line, l);

      for (guint i = 0; i + 1 < line->n; i++, s++)
        {
          guint p = line->p0 + i;

          b->seg_p[s] = p;
          b->seg_line[s] = l;
          sum_len += hypot (pts[2 * p + 2] - pts[2 * p], pts[2 * p + 3] - pts[2 * p + 1]);
        }
    }
  for (guint i = 0; i < b->pts->len / 2; i++)
    {
      bbox[0] = MIN (bbox[0], pts[2 * i]);
      bbox[1] = MIN (bbox[1], pts[2 * i + 1]);
      bbox[2] = MAX (bbox[2], pts[2 * i]);
      bbox[3] = MAX (bbox[3], pts[2 * i + 1]);
    }
  bbox[0] -= pad;
  bbox[1] -= pad;
  bbox[2] += pad;
  bbox[3] += pad;
  cs = sqrt (MAX ((bbox[2] - bbox[0]) * (bbox[3] - bbox[1]), 1e-6) / MAX (b->n_seg, 1));
  cs = MAX (MAX (cs, sum_len / MAX (b->n_seg, 1)), 4 * b->tol);
  cs = MAX (cs, 1e-3);
  do
    {
      nx = (guint) MIN ((bbox[2] - bbox[0]) / cs + 1, 1u << 16);
      ny = (guint) MIN ((bbox[3] - bbox[1]) / cs + 1, 1u << 16);
      cs *= 1.5;
    }
  while ((guint64) nx * ny > 4 * (guint64) b->n_seg + 16);
  cs /= 1.5;
  n_cells = (gsize) nx * ny;
  cell_start = g_new0 (guint, n_cells + 1);

  for (int pass = 0; pass < 2; pass++)
    {
      for (s = 0; s < b->n_seg; s++)
        {
          guint p = b->seg_p[s];
          guint x0 = (guint) CLAMP ((MIN (pts[2 * p], pts[2 * p + 2]) - pad - bbox[0]) / cs, 0, nx - 1);
          guint x1 = (guint) CLAMP ((MAX (pts[2 * p], pts[2 * p + 2]) + pad - bbox[0]) / cs, 0, nx - 1);
          guint y0 = (guint) CLAMP ((MIN (pts[2 * p + 1], pts[2 * p + 3]) - pad - bbox[1]) / cs, 0, ny - 1);
          guint y1 = (guint) CLAMP ((MAX (pts[2 * p + 1], pts[2 * p + 3]) + pad - bbox[1]) / cs, 0, ny - 1);

          for (guint cy = y0; cy <= y1; cy++)
            for (guint cx = x0; cx <= x1; cx++)
              {
                gsize c = (gsize) cy * nx + cx;

                if (pass == 0)
                  {
                    cell_start[c + 1]++;
                    n_items++;
                  }
                else
                  items[fill[c]++] = s;
              }
        }
      if (pass == 0)
        {
          g_autofree char *what = g_strdup_printf ("noding the streets of %s", ngam_store_get_path (b->store));

          if (n_items >= G_MAXUINT ||
              !ngam_net_check_memory (n_items * 4 + n_cells * 8 +
                                      ngam_graph_estimate_bytes (b->pts->len, b->pts->len, b->pts->len),
                                      what, error))
            {
              if (n_items >= G_MAXUINT)
                g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_TOO_LARGE, "%s: too many segments", what);
              return FALSE;
            }
          for (gsize c = 0; c < n_cells; c++)
            cell_start[c + 1] += cell_start[c];
          fill = g_memdup2 (cell_start, sizeof (guint) * (n_cells + 1));
          items = g_new (guint, MAX (n_items, 1));
        }
    }

  for (gsize c = 0; c < n_cells; c++)
    {
      guint cx = c % nx, cy = c / nx;

      if ((c & 65535) == 0)
        {
          if (!check_cancel (b, error))
            return FALSE;
          report_progress (b, 0.3 + 0.3 * c / n_cells, "finding junctions");
        }
      for (guint i = cell_start[c]; i < cell_start[c + 1]; i++)
        {
          guint sa = items[i], p = b->seg_p[sa];
          double ax0 = MIN (pts[2 * p], pts[2 * p + 2]) - pad, ax1 = MAX (pts[2 * p], pts[2 * p + 2]) + pad;
          double ay0 = MIN (pts[2 * p + 1], pts[2 * p + 3]) - pad, ay1 = MAX (pts[2 * p + 1], pts[2 * p + 3]) + pad;

          for (guint j = i + 1; j < cell_start[c + 1]; j++)
            {
              guint sb = items[j], q = b->seg_p[sb];
              double bx0 = MIN (pts[2 * q], pts[2 * q + 2]) - pad, bx1 = MAX (pts[2 * q], pts[2 * q + 2]) + pad;
              double by0 = MIN (pts[2 * q + 1], pts[2 * q + 3]) - pad, by1 = MAX (pts[2 * q + 1], pts[2 * q + 3]) + pad;
              double rx, ry;

              if (bx0 > ax1 || bx1 < ax0 || by0 > ay1 || by1 < ay0)
                continue;
              /* Test the pair only in the cell of the overlap's corner. */
              rx = MAX (ax0, bx0);
              ry = MAX (ay0, by0);
              if ((guint) CLAMP ((rx - bbox[0]) / cs, 0, nx - 1) != cx ||
                  (guint) CLAMP ((ry - bbox[1]) / cs, 0, ny - 1) != cy)
                continue;
              test_pair (b, sa, sb);
            }
        }
    }
  return TRUE;
}

/* --- 3. nodes ----------------------------------------------------------- */

typedef struct
{
  gint64 cx, cy;
  guint  ev;
} CellKey;

static int
cmp_cellkey (const void *a, const void *b)
{
  const CellKey *x = a, *y = b;

  if (x->cx != y->cx)
    return x->cx < y->cx ? -1 : 1;
  if (x->cy != y->cy)
    return x->cy < y->cy ? -1 : 1;
  return x->ev < y->ev ? -1 : x->ev > y->ev;
}

static gsize
find_cell (const CellKey *keys, gsize n, gint64 cx, gint64 cy)
{
  gsize lo = 0, hi = n;

  while (lo < hi)
    {
      gsize mid = (lo + hi) / 2;

      if (keys[mid].cx < cx || (keys[mid].cx == cx && keys[mid].cy < cy))
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Every line end is a node; then events joined explicitly or lying within
 * the tolerance of each other become one node, at their mean position. */
static void
make_nodes (Builder *b)
{
  guint ne;
  double cell = MAX (b->tol, b->eps), tol2 = MAX (b->tol, b->eps) * MAX (b->tol, b->eps);
  g_autofree CellKey *keys = NULL;
  g_autofree guint *root_node = NULL;
  g_autofree double *sum = NULL;
  g_autofree guint *count = NULL;
  NgamUnionFind uf;

  for (guint l = 0; l < b->lines->len; l++)
    {
      const Line *line = &g_array_index (b->lines, Line, l);
      const double *pts = (const double *) b->pts->data;
      guint last = line->p0 + line->n - 1;

      add_event (b, l, line->p0, 0, pts[2 * line->p0], pts[2 * line->p0 + 1]);
      add_event (b, l, last - 1, 1, pts[2 * last], pts[2 * last + 1]);
    }
  ne = b->events->len;
  ngam_uf_init (&uf, ne);
  for (guint i = 0; i + 1 < b->links->len; i += 2)
    ngam_uf_union (&uf, g_array_index (b->links, guint, i), g_array_index (b->links, guint, i + 1));

  keys = g_new (CellKey, MAX (ne, 1));
  for (guint i = 0; i < ne; i++)
    {
      const Event *ev = &g_array_index (b->events, Event, i);

      keys[i].cx = (gint64) floor (ev->x / cell);
      keys[i].cy = (gint64) floor (ev->y / cell);
      keys[i].ev = i;
    }
  qsort (keys, ne, sizeof (CellKey), cmp_cellkey);
  for (gsize i = 0; i < ne;)
    {
      gsize j = i;

      while (j < ne && keys[j].cx == keys[i].cx && keys[j].cy == keys[i].cy)
        j++;
      /* This cell against itself and its neighbours. */
      for (int dx = -1; dx <= 1; dx++)
        for (int dy = -1; dy <= 1; dy++)
          {
            gsize k = (dx == 0 && dy == 0) ? i : find_cell (keys, ne, keys[i].cx + dx, keys[i].cy + dy);

            for (; k < ne && keys[k].cx == keys[i].cx + dx && keys[k].cy == keys[i].cy + dy; k++)
              for (gsize a = i; a < j; a++)
                {
                  const Event *ea = &g_array_index (b->events, Event, keys[a].ev);
                  const Event *ek = &g_array_index (b->events, Event, keys[k].ev);
                  double ddx = ea->x - ek->x, ddy = ea->y - ek->y;

                  if (keys[a].ev != keys[k].ev && ddx * ddx + ddy * ddy <= tol2)
                    ngam_uf_union (&uf, keys[a].ev, keys[k].ev);
                }
          }
      i = j;
    }

  root_node = g_new (guint, MAX (ne, 1));
  for (guint i = 0; i < ne; i++)
    root_node[i] = G_MAXUINT;
  b->ev_node = g_new (guint, MAX (ne, 1));
  for (guint i = 0; i < ne; i++)
    {
      guint r = ngam_uf_find (&uf, i);

      if (root_node[r] == G_MAXUINT)
        {
          root_node[r] = b->nodes->len / 2;
          g_array_set_size (b->nodes, b->nodes->len + 2);
        }
      b->ev_node[i] = root_node[r];
    }
  sum = g_new0 (double, b->nodes->len);
  count = g_new0 (guint, b->nodes->len / 2 + 1);
  for (guint i = 0; i < ne; i++)
    {
      const Event *ev = &g_array_index (b->events, Event, i);

      sum[2 * b->ev_node[i]] += ev->x;
      sum[2 * b->ev_node[i] + 1] += ev->y;
      count[b->ev_node[i]]++;
    }
  for (guint n = 0; n < b->nodes->len / 2; n++)
    {
      g_array_index (b->nodes, double, 2 * n) = sum[2 * n] / count[n];
      g_array_index (b->nodes, double, 2 * n + 1) = sum[2 * n + 1] / count[n];
    }
  ngam_uf_clear (&uf);
}

/* --- 4. edges ----------------------------------------------------------- */

static int
cmp_event_pos (const void *a, const void *b, gpointer data)
{
  const Event *ev = data;
  const Event *x = &ev[*(const guint *) a], *y = &ev[*(const guint *) b];

  if (x->p != y->p)
    return x->p < y->p ? -1 : 1;
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  return 0;
}

/* Appends a vertex to the edge that starts at vertex @g0, unless it
 * repeats the edge's last one. */
static void
geom_add (Builder *b, guint g0, double x, double y)
{
  guint n = b->geom->len;

  if (n >= 2 * g0 + 2 && g_array_index (b->geom, double, n - 2) == x && g_array_index (b->geom, double, n - 1) == y)
    return;
  g_array_append_val (b->geom, x);
  g_array_append_val (b->geom, y);
}

static double
geom_length (Builder *b, guint g0, guint gn)
{
  const double *xy = &g_array_index (b->geom, double, 2 * g0);
  double len = 0;

  for (guint i = 1; i < gn; i++)
    len += hypot (xy[2 * i] - xy[2 * i - 2], xy[2 * i + 1] - xy[2 * i - 1]);
  return len;
}

/* The point at @frac of the way along a stored polyline; *seg gets the
 * segment it falls in. */
static void
geom_point_at (Builder *b, guint g0, guint gn, double frac, double *x, double *y, guint *seg)
{
  const double *xy = &g_array_index (b->geom, double, 2 * g0);
  double want = frac * geom_length (b, g0, gn), run = 0;

  for (guint i = 1; i < gn; i++)
    {
      double l = hypot (xy[2 * i] - xy[2 * i - 2], xy[2 * i + 1] - xy[2 * i - 1]);

      if (run + l >= want || i == gn - 1)
        {
          double t = l > 0 ? CLAMP ((want - run) / l, 0, 1) : 0;

          *x = xy[2 * i - 2] + t * (xy[2 * i] - xy[2 * i - 2]);
          *y = xy[2 * i - 1] + t * (xy[2 * i + 1] - xy[2 * i - 1]);
          *seg = i - 1;
          return;
        }
      run += l;
    }
  *x = xy[0];
  *y = xy[1];
  *seg = 0;
}

static void
add_edge (Builder *b, guint u, guint v, guint line, guint g0)
{
  EdgeRec e = { u, v, line, g0, b->geom->len / 2 - g0, 0, FALSE };

  e.length = geom_length (b, e.g0, e.gn);
  g_array_append_val (b->edges, e);
}

/* One piece of a line between two events; a piece that returns to its
 * start node is a loop, split in the middle so that the graph stays
 * simple; a piece shorter than the tolerance is dropped. */
static void
emit_piece (Builder *b, guint line, const Event *s, guint ns, const Event *e, guint ne)
{
  const double *pts = (const double *) b->pts->data;
  const double *nodes = (const double *) b->nodes->data;
  double ps = s->p + s->t, pe = e->p + e->t;
  guint g0 = b->geom->len / 2, k0 = (guint) floor (ps) + 1, k1 = (guint) ceil (pe);

  geom_add (b, g0, nodes[2 * ns], nodes[2 * ns + 1]);
  for (guint k = k0; k < k1; k++)
    geom_add (b, g0, pts[2 * k], pts[2 * k + 1]);
  geom_add (b, g0, nodes[2 * ne], nodes[2 * ne + 1]);
  if (ns != ne)
    {
      add_edge (b, ns, ne, line, g0);
      return;
    }
  if (b->geom->len / 2 - g0 < 3 || geom_length (b, g0, b->geom->len / 2 - g0) <= 2 * MAX (b->tol, b->eps))
    {
      g_array_set_size (b->geom, 2 * g0);
      return;
    }
  {
    guint gn = b->geom->len / 2 - g0, seg, mid = b->nodes->len / 2, g1;
    double mx, my;
    g_autofree double *copy = g_memdup2 (&g_array_index (b->geom, double, 2 * g0), sizeof (double) * 2 * gn);

    geom_point_at (b, g0, gn, 0.5, &mx, &my, &seg);
    g_array_append_val (b->nodes, mx);
    g_array_append_val (b->nodes, my);
    g_array_set_size (b->geom, 2 * g0);
    for (guint i = 0; i <= seg; i++)
      geom_add (b, g0, copy[2 * i], copy[2 * i + 1]);
    geom_add (b, g0, mx, my);
    add_edge (b, ns, mid, line, g0);
    g1 = b->geom->len / 2;
    geom_add (b, g1, mx, my);
    for (guint i = seg + 1; i < gn; i++)
      geom_add (b, g1, copy[2 * i], copy[2 * i + 1]);
    add_edge (b, mid, ne, line, g1);
  }
}

static gboolean
make_edges (Builder *b, GError **error)
{
  guint nl = b->lines->len, ne = b->events->len;
  g_autofree guint *start = g_new0 (guint, nl + 1);
  g_autofree guint *order = g_new (guint, MAX (ne, 1));
  g_autofree guint *fill = NULL;
  const Event *ev = (const Event *) b->events->data;

  for (guint i = 0; i < ne; i++)
    start[ev[i].line + 1]++;
  for (guint l = 0; l < nl; l++)
    start[l + 1] += start[l];
  fill = g_memdup2 (start, sizeof (guint) * (nl + 1));
  for (guint i = 0; i < ne; i++)
    order[fill[ev[i].line]++] = i;

  for (guint l = 0; l < nl; l++)
    {
      guint a = start[l], z = start[l + 1], cur;

      if ((l & 4095) == 0)
        {
          if (!check_cancel (b, error))
            return FALSE;
          report_progress (b, 0.65 + 0.15 * l / MAX (nl, 1), "cutting streets into edges");
        }
      g_qsort_with_data (order + a, z - a, sizeof (guint), cmp_event_pos, (gpointer) ev);
      /* Consecutive events of one junction cluster give a piece shorter
       * than the tolerance, which emit_piece() drops: the next piece then
       * starts from the cluster's last event. */
      cur = order[a];
      for (guint i = a + 1; i < z; i++)
        {
          guint e = order[i];

          emit_piece (b, l, &ev[cur], b->ev_node[cur], &ev[e], b->ev_node[e]);
          cur = e;
        }
    }
  return TRUE;
}

/* Pieces of street drawn twice (same ends, same length and middle within
 * the tolerance) are kept once. */
static int
cmp_edge_ends (const void *a, const void *b, gpointer data)
{
  const EdgeRec *e = data;
  const EdgeRec *x = &e[*(const guint *) a], *y = &e[*(const guint *) b];
  guint x0 = MIN (x->u, x->v), x1 = MAX (x->u, x->v), y0 = MIN (y->u, y->v), y1 = MAX (y->u, y->v);

  if (x0 != y0)
    return x0 < y0 ? -1 : 1;
  if (x1 != y1)
    return x1 < y1 ? -1 : 1;
  return *(const guint *) a < *(const guint *) b ? -1 : 1;
}

static void
drop_duplicates (Builder *b)
{
  guint m = b->edges->len;
  g_autofree guint *order = g_new (guint, MAX (m, 1));
  EdgeRec *e = (EdgeRec *) b->edges->data;
  double tol = MAX (b->tol, b->eps);

  for (guint i = 0; i < m; i++)
    order[i] = i;
  g_qsort_with_data (order, m, sizeof (guint), cmp_edge_ends, e);
  for (guint i = 0; i < m;)
    {
      guint j = i + 1;

      while (j < m && MIN (e[order[j]].u, e[order[j]].v) == MIN (e[order[i]].u, e[order[i]].v) &&
             MAX (e[order[j]].u, e[order[j]].v) == MAX (e[order[i]].u, e[order[i]].v))
        j++;
      for (guint a = i; a < j; a++)
        for (guint c = a + 1; c < j; c++)
          {
            EdgeRec *x = &e[order[a]], *y = &e[order[c]];
            double mx1, my1, mx2, my2;
            guint s;

            if (x->dropped || y->dropped || fabs (x->length - y->length) > tol)
              continue;
            geom_point_at (b, x->g0, x->gn, 0.5, &mx1, &my1, &s);
            geom_point_at (b, y->g0, y->gn, 0.5, &mx2, &my2, &s);
            if (hypot (mx1 - mx2, my1 - my2) <= tol)
              {
                y->dropped = TRUE;
                b->report->n_duplicate_edges++;
              }
          }
      i = j;
    }
}

/* --- 5. the graph ------------------------------------------------------- */

static int
cmp_u64_pair (const void *a, const void *b)
{
  const guint64 *x = a, *y = b;

  return x[0] < y[0] ? -1 : x[0] > y[0];
}

static NgamGraph *
make_graph (Builder *b, GError **error)
{
  guint n_old = b->nodes->len / 2, n = 0, m = 0, n_pts = 0, pi = 0, ei = 0;
  const double *nodes = (const double *) b->nodes->data;
  const EdgeRec *e = (const EdgeRec *) b->edges->data;
  g_autofree guint *used = g_new0 (guint, MAX (n_old, 1));
  g_autofree guint64 *keys = NULL;
  g_autofree guint *renum = g_new (guint, MAX (n_old, 1));
  double bbox[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };
  NgamGraph *g;

  for (guint i = 0; i < b->edges->len; i++)
    if (!e[i].dropped)
      {
        used[e[i].u] = used[e[i].v] = 1;
        m++;
        n_pts += e[i].gn;
      }
  for (guint i = 0; i < n_old; i++)
    if (used[i])
      {
        n++;
        bbox[0] = MIN (bbox[0], nodes[2 * i]);
        bbox[1] = MIN (bbox[1], nodes[2 * i + 1]);
        bbox[2] = MAX (bbox[2], nodes[2 * i]);
        bbox[3] = MAX (bbox[3], nodes[2 * i + 1]);
      }
  /* Number the nodes along a Hilbert curve: a search then walks memory
   * nearly in order. */
  keys = g_new (guint64, 2 * (gsize) MAX (n, 1));
  for (guint i = 0, k = 0; i < n_old; i++)
    if (used[i])
      {
        keys[2 * k] = ngam_hilbert_key (nodes[2 * i], nodes[2 * i + 1], bbox);
        keys[2 * k + 1] = i;
        k++;
      }
  qsort (keys, n, 2 * sizeof (guint64), cmp_u64_pair);
  for (guint k = 0; k < n; k++)
    renum[keys[2 * k + 1]] = k;

  g = ngam_graph_alloc (n, m, n_pts, TRUE, error);
  if (g == NULL)
    return NULL;
  for (guint k = 0; k < n; k++)
    {
      g->node_xy[2 * k] = nodes[2 * keys[2 * k + 1]];
      g->node_xy[2 * k + 1] = nodes[2 * keys[2 * k + 1] + 1];
    }
  g_ptr_array_unref (g->strings);
  g->strings = g_ptr_array_ref (b->strings);
  for (guint i = 0; i < b->edges->len; i++)
    {
      const Line *line = &g_array_index (b->lines, Line, e[i].line);
      NgamEdgeAttr *a = &g->edge[ei];

      if (e[i].dropped)
        continue;
      g->edge_uv[2 * ei] = renum[e[i].u];
      g->edge_uv[2 * ei + 1] = renum[e[i].v];
      a->street_fid = line->fid;
      a->length = e[i].length;
      a->width_m = line->width;
      a->sidewalk_m = line->sidewalk;
      a->surface = line->surface;
      a->highway = line->highway;
      a->level = line->level;
      a->flags = line->flags;
      g->geom_start[ei] = pi;
      memcpy (g->geom_xy + 2 * (gsize) pi, &g_array_index (b->geom, double, 2 * e[i].g0),
              sizeof (double) * 2 * e[i].gn);
      pi += e[i].gn;
      ei++;
    }
  g->geom_start[m] = pi;
  ngam_graph_finish (g);
  return g;
}

/* --- 6. zones ----------------------------------------------------------- */

static gboolean
mark_zones (Builder *b, NgamGraph *g, GError **error)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  g_autoptr(NgamStoreCursor) cur = NULL;
  g_autoptr(GArray) near = g_array_new (FALSE, FALSE, sizeof (guint));
  const int f_type = ngam_layer_field_index (NGAM_LAYER_ZONES, "zone_type");

  cur = ngam_store_query (b->store, NGAM_LAYER_ZONES, NULL, NGAM_QUERY_DEFAULT, error);
  if (cur == NULL)
    return FALSE;
  while (ngam_store_cursor_next (cur, error))
    {
      const NgamFeature *f = ngam_store_cursor_get (cur);
      guint8 flag = ngam_zone_from_name (ngam_feature_get_text (f, f_type));
      GEOSGeometry *zone;
      const GEOSPreparedGeometry *prep;

      if (!check_cancel (b, error))
        return FALSE;
      b->report->n_zones++;
      if (flag == 0 || f->shape->type == NGAM_SHAPE_NONE || f->shape->n_points == 0)
        continue;
      zone = ngam_shape_to_geos (f->shape, error);
      if (zone == NULL)
        {
          g_prefix_error (error, "%s: zone %" G_GINT64_FORMAT ": ", ngam_store_get_path (b->store), f->fid);
          return FALSE;
        }
      prep = GEOSPrepare_r (h, zone);
      g_array_set_size (near, 0);
      ngam_graph_edges_near (g, f->shape->bbox, near);
      for (guint i = 0; i < near->len; i++)
        {
          guint e = g_array_index (near, guint, i), np = g->geom_start[e + 1] - g->geom_start[e];
          GEOSCoordSequence *seq;
          GEOSGeometry *line;

          if (g->edge[e].zones & flag)
            continue;
          seq = GEOSCoordSeq_copyFromBuffer_r (h, g->geom_xy + 2 * (gsize) g->geom_start[e], np, 0, 0);
          line = GEOSGeom_createLineString_r (h, seq);
          if (line && GEOSPreparedIntersects_r (h, prep, line) == 1)
            g->edge[e].zones |= flag;
          GEOSGeom_destroy_r (h, line);
        }
      GEOSPreparedGeom_destroy_r (h, prep);
      GEOSGeom_destroy_r (h, zone);
    }
  return error == NULL || *error == NULL;
}

/* --- 7. near-misses ----------------------------------------------------- */

static int
cmp_near_miss (const void *a, const void *b)
{
  const NgamNearMiss *x = a, *y = b;

  if (x->distance != y->distance)
    return x->distance < y->distance ? -1 : 1;
  return x->node < y->node ? -1 : x->node > y->node;
}

static void
find_near_misses (Builder *b, NgamGraph *g)
{
  g_autoptr(GArray) near = g_array_new (FALSE, FALSE, sizeof (guint));
  double r = b->report->near_miss_distance;

  for (guint v = 0; v < g->n_nodes; v++)
    {
      double x = g->node_xy[2 * v], y = g->node_xy[2 * v + 1], bbox[4] = { x - r, y - r, x + r, y + r };
      NgamNearMiss best = { v, x, y, 0, 0, INFINITY, -1, -1 };
      guint own;

      if (g->adj_start[v + 1] - g->adj_start[v] != 1)
        continue;
      b->report->n_dead_ends++;
      own = g->adj_edge[g->adj_start[v]];
      g_array_set_size (near, 0);
      ngam_graph_edges_near (g, bbox, near);
      for (guint i = 0; i < near->len; i++)
        {
          guint e = g_array_index (near, guint, i);
          const double *xy = g->geom_xy + 2 * (gsize) g->geom_start[e];
          guint np = g->geom_start[e + 1] - g->geom_start[e];

          if (e == own || g->edge_uv[2 * e] == v || g->edge_uv[2 * e + 1] == v)
            continue;
          for (guint k = 0; k + 1 < np; k++)
            {
              double t, d = sqrt (ngam_seg_dist2 (x, y, xy[2 * k], xy[2 * k + 1], xy[2 * k + 2], xy[2 * k + 3], &t));

              if (d < best.distance)
                {
                  best.distance = d;
                  best.nx = xy[2 * k] + t * (xy[2 * k + 2] - xy[2 * k]);
                  best.ny = xy[2 * k + 1] + t * (xy[2 * k + 3] - xy[2 * k + 1]);
                  best.other_fid = g->edge[e].street_fid;
                }
            }
        }
      if (best.distance <= r)
        {
          best.street_fid = g->edge[own].street_fid;
          g_array_append_val (b->report->near_misses, best);
        }
    }
  if (b->report->near_misses->len > 1)
    qsort (b->report->near_misses->data, b->report->near_misses->len, sizeof (NgamNearMiss), cmp_near_miss);
}

/**
 * ngam_graph_build:
 * @store: the project
 * @options: (nullable): tolerances; NULL for the project's
 * @report: (out) (optional) (transfer full): what the build found
 *
 * Builds the street graph of the project: one synchronous job, with
 * progress and cancellation.
 *
 * Returns: (transfer full): the graph, or NULL with @error set (a graph too
 *   large for memory is refused with NGAM_NET_ERROR_TOO_LARGE).
 */
NgamGraph *
ngam_graph_build (NgamStore                   *store,
                  const NgamGraphBuildOptions *options,
                  NgamGraphReport            **report,
                  NgamProgressFunc             progress,
                  gpointer                     progress_data,
                  GCancellable                *cancellable,
                  GError                     **error)
{
  NgamGraphBuildOptions defaults = NGAM_GRAPH_BUILD_OPTIONS_INIT;
  g_autoptr(NgamGraphReport) r = g_new0 (NgamGraphReport, 1);
  Builder b = { 0 };
  NgamGraph *g = NULL;
  double t0 = ngam_net_now ();

  g_return_val_if_fail (store != NULL, NULL);
  if (options == NULL)
    options = &defaults;
  r->skipped = g_array_new (FALSE, FALSE, sizeof (NgamStreetProblem));
  r->near_misses = g_array_new (FALSE, FALSE, sizeof (NgamNearMiss));
  r->snap_tolerance = options->snap_tolerance;
  if (r->snap_tolerance < 0 &&
      !ngam_store_get_setting_double (store, "snap_tolerance_m", &r->snap_tolerance, error))
    return NULL;
  if (!isfinite (r->snap_tolerance) || r->snap_tolerance > 1000)
    {
      g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_INVALID,
                   "a snap tolerance of %g m makes no sense for streets (0 to 1000 m)", r->snap_tolerance);
      return NULL;
    }
  r->near_miss_distance = options->near_miss_distance >= 0 ? options->near_miss_distance
                                                           : MAX (10 * r->snap_tolerance, 1.0);

  b.store = store;
  b.report = r;
  b.cancellable = cancellable;
  b.progress = progress;
  b.progress_data = progress_data;
  b.tol = r->snap_tolerance;
  b.eps = NGAM_NODE_EPSILON;
  b.tol = MAX (b.tol, b.eps);
  b.lines = g_array_new (FALSE, FALSE, sizeof (Line));
  b.pts = g_array_new (FALSE, FALSE, sizeof (double));
  b.strings = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (b.strings, g_strdup (""));
  b.string_ids = g_hash_table_new (g_str_hash, g_str_equal);
  b.events = g_array_new (FALSE, FALSE, sizeof (Event));
  b.links = g_array_new (FALSE, FALSE, sizeof (guint));
  b.nodes = g_array_new (FALSE, FALSE, sizeof (double));
  b.edges = g_array_new (FALSE, FALSE, sizeof (EdgeRec));
  b.geom = g_array_new (FALSE, FALSE, sizeof (double));

  if (read_streets (&b, error) &&
      find_junctions (&b, error))
    {
      report_progress (&b, 0.6, "joining junctions");
      make_nodes (&b);
      if (make_edges (&b, error))
        {
          drop_duplicates (&b);
          report_progress (&b, 0.8, "building the graph");
          g = make_graph (&b, error);
        }
    }
  if (g && !options->skip_zones)
    {
      report_progress (&b, 0.85, "marking zones");
      if (!mark_zones (&b, g, error))
        g_clear_pointer (&g, ngam_graph_free);
    }
  if (g)
    {
      report_progress (&b, 0.95, "looking for near-misses");
      find_near_misses (&b, g);
    }
  builder_clear (&b);
  if (g == NULL)
    return NULL;
  r->seconds = ngam_net_now () - t0;
  if (report)
    *report = g_steal_pointer (&r);
  return g;
}
