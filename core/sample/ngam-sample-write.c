/* ngam-sample-write.c — the demo generator's feature helpers, walk and runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-sample"

#include "config.h"

#include <math.h>

#include "ngam-sample-gen.h"

/* ---- features ------------------------------------------------------- */

static int
field (NgamLayerKind kind,
       const char   *name)
{
  int i = ngam_layer_field_index (kind, name);

  g_assert (i >= 0);
  return i;
}

void
ngam_sample_set_text (NgamFeature *f, const char *name, const char *value)
{
  ngam_feature_set_text (f, field (f->kind, name), value);
}

void
ngam_sample_set_int (NgamFeature *f, const char *name, gint64 value)
{
  ngam_feature_set_int (f, field (f->kind, name), value);
}

void
ngam_sample_set_real (NgamFeature *f, const char *name, double value)
{
  ngam_feature_set_real (f, field (f->kind, name), value);
}

void
ngam_sample_set_bool (NgamFeature *f, const char *name, gboolean value)
{
  ngam_feature_set_bool (f, field (f->kind, name), value);
}

NgamFeature *
ngam_sample_feature_begin (SampleGen    *g,
                      NgamLayerKind kind,
                      const char   *operator_name)
{
  NgamFeature *f = g->f[kind];

  ngam_feature_reset (f);
  f->operator_name = g_strdup (operator_name);
  f->source_file = g_strdup (SAMPLE_SOURCE_FILE);
  f->source_layer = g_strdup (ngam_layer_info (kind)->name);
  return f;
}

gboolean
ngam_sample_feature_add (SampleGen          *g,
             NgamFeature  *f,
             gint64       *fid,
             GError      **error,
             const char   *key_format,
             ...)
{
  va_list ap;

  va_start (ap, key_format);
  f->source_key = g_strdup_vprintf (key_format, ap);
  va_end (ap);
  return ngam_store_writer_add (g->w[f->kind], f, fid, error);
}

void
ngam_sample_shape_point (SampleGen *g, NgamFeature *f, double u, double v)
{
  ngam_shape_begin (f->shape, NGAM_SHAPE_POINT);
  ngam_shape_add_point (f->shape, g->x0 + u, g->y0 + v);
  ngam_shape_finish (f->shape);
}

void
ngam_sample_shape_line_to (SampleGen *g, NgamShape *s, const double *uv, guint n)
{
  ngam_shape_begin (s, NGAM_SHAPE_LINESTRING);
  ngam_shape_new_part (s);
  for (guint k = 0; k < n; k++)
    ngam_shape_add_point (s, g->x0 + uv[2 * k], g->y0 + uv[2 * k + 1]);
  ngam_shape_finish (s);
}

void
ngam_sample_shape_line (SampleGen *g, NgamFeature *f, const double *uv, guint n)
{
  ngam_sample_shape_line_to (g, f->shape, uv, n);
}

gboolean
ngam_sample_open_writers (SampleGen            *g,
              GError        **error,
              NgamLayerKind   first,
              ...)
{
  va_list ap;
  int kind = first;

  va_start (ap, first);
  for (; kind >= 0; kind = va_arg (ap, int))
    if ((g->w[kind] = ngam_store_writer_new (g->store, kind, error)) == NULL)
      {
        va_end (ap);
        return FALSE;
      }
  va_end (ap);
  return TRUE;
}

gboolean
ngam_sample_close_writers (SampleGen *g,
                      GError   **error)
{
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    if (g->w[k])
      {
        gboolean ok = ngam_store_writer_finish (g->w[k], error);

        g_clear_pointer (&g->w[k], ngam_store_writer_free);
        if (!ok)
          return FALSE;
      }
  return TRUE;
}

/* ---- walking the grid ----------------------------------------------- */

gboolean
ngam_sample_check_cancel (SampleGen *g,
                     GError   **error)
{
  return !g_cancellable_set_error_if_cancelled (g->cancellable, error);
}

void
ngam_sample_report (SampleGen *g,
               double     fraction)
{
  if (g->progress)
    g->progress (g->p_start + g->p_span * fraction, g->p_message, g->progress_data);
}

/* Visits every street of the grid row by row: at each node, first the
 * street arriving from the south, then the one from the west.  Each pass
 * sees the same edges in the same order. */
gboolean
ngam_sample_walk (SampleGen     *g,
             SampleNodeFunc node,
             SampleEdgeFunc edge,
             SampleRowFunc  row_end,
             GError       **error)
{
  const NgamSampleTown *t = g->t;
  g_autofree guint *last_j = g_new (guint, t->nx);
  g_autofree double *u = g_new (double, t->nx);
  g_autofree double *v = g_new (double, t->nx);
  g_autofree double *lu = g_new (double, t->nx);
  g_autofree double *lv = g_new (double, t->nx);

  for (guint i = 0; i < t->nx; i++)
    last_j[i] = G_MAXUINT;
  for (guint j = 0; j < t->ny; j++)
    {
      guint prev = G_MAXUINT;

      if (!ngam_sample_check_cancel (g, error))
        return FALSE;
      for (guint i = 0; i < t->nx; i++)
        {
          guint16 fl = ngam_sample_flags (t, i, j);

          if (!(fl & NODE_EXISTS))
            continue;
          ngam_sample_town_node (t, i, j, &u[i], &v[i]);
          if (node)
            node (g, i, j);
          if (last_j[i] != G_MAXUINT && (ngam_sample_flags (t, i, last_j[i]) & NODE_N))
            {
              guint16 lf = ngam_sample_flags (t, i, last_j[i]);
              SampleEdge e = { TRUE, i, last_j[i], i, last_j[i], i, j,
                         { lu[i], lv[i] }, { u[i], v[i] },
                         (lf & NODE_N_CROSS) != 0, (lf & NODE_N_RIVER) != 0 };

              if (!edge (g, &e, error))
                return FALSE;
            }
          if (prev != G_MAXUINT && (ngam_sample_flags (t, prev, j) & NODE_E))
            {
              guint16 pf = ngam_sample_flags (t, prev, j);
              SampleEdge e = { FALSE, j, prev, prev, j, i, j,
                         { u[prev], v[prev] }, { u[i], v[i] },
                         (pf & NODE_E_CROSS) != 0, (pf & NODE_E_RIVER) != 0 };

              if (!edge (g, &e, error))
                return FALSE;
            }
          prev = i;
          last_j[i] = j;
          lu[i] = u[i];
          lv[i] = v[i];
        }
      if (row_end && !row_end (g, j, error))
        return FALSE;
      ngam_sample_report (g, (j + 1.0) / t->ny);
    }
  return TRUE;
}

/* ---- paths ---------------------------------------------------------- */

void
ngam_sample_paths_init (SampleGen     *g,
                   guint          n_kinds,
                   SamplePathFunc flush)
{
  g->n_kinds = n_kinds;
  g->flush = flush;
  g->row_paths = g_new0 (SamplePath, n_kinds);
  g->col_paths = g_new0 (SamplePath, (gsize) n_kinds * g->t->nx);
  for (guint k = 0; k < n_kinds; k++)
    g->row_paths[k].xy = g_array_new (FALSE, FALSE, sizeof (double));
  for (gsize k = 0; k < (gsize) n_kinds * g->t->nx; k++)
    g->col_paths[k].xy = g_array_new (FALSE, FALSE, sizeof (double));
}

void
ngam_sample_paths_free (SampleGen *g)
{
  if (g->row_paths)
    for (guint k = 0; k < g->n_kinds; k++)
      g_array_unref (g->row_paths[k].xy);
  if (g->col_paths)
    for (gsize k = 0; k < (gsize) g->n_kinds * g->t->nx; k++)
      g_array_unref (g->col_paths[k].xy);
  g_clear_pointer (&g->row_paths, g_free);
  g_clear_pointer (&g->col_paths, g_free);
  g->n_kinds = 0;
}

static SamplePath *
path_for (SampleGen        *g,
          const SampleEdge *e,
          guint             kind)
{
  return e->is_col ? &g->col_paths[(gsize) e->line * g->n_kinds + kind] : &g->row_paths[kind];
}

static gboolean
path_end (SampleGen  *g,
          SamplePath *p,
          GError    **error)
{
  gboolean ok = TRUE;

  if (p->xy->len >= 4)
    ok = g->flush (g, p, error);
  g_array_set_size (p->xy, 0);
  return ok;
}

/* Extends the path of @kind along @e's line with the points @uv (the first
 * one is a's), ending it first if it does not continue or changes chunk. */
gboolean
ngam_sample_path_extend (SampleGen        *g,
                    const SampleEdge *e,
                    guint             kind,
                    guint             op,
                    const double     *uv,
                    guint             n,
                    GError          **error)
{
  SamplePath *p = path_for (g, e, kind);
  guint chunk = e->pos / SAMPLE_CHUNK;

  if (p->xy->len > 0 && (p->end != e->pos || p->chunk != chunk))
    if (!path_end (g, p, error))
      return FALSE;
  if (p->xy->len == 0)
    {
      p->is_col = e->is_col;
      p->line = e->line;
      p->start = e->pos;
      p->chunk = chunk;
      p->op = op;
      g_array_append_vals (p->xy, uv, 2);
    }
  g_array_append_vals (p->xy, uv + 2, 2 * (n - 1));
  p->end = e->is_col ? e->bj : e->bi;
  return TRUE;
}

gboolean
ngam_sample_path_stop (SampleGen        *g,
                  const SampleEdge *e,
                  guint             kind,
                  GError          **error)
{
  return path_end (g, path_for (g, e, kind), error);
}

gboolean
ngam_sample_paths_row_end (SampleGen *g,
                      guint      j,
                      GError   **error)
{
  for (guint k = 0; k < g->n_kinds; k++)
    if (!path_end (g, &g->row_paths[k], error))
      return FALSE;
  return TRUE;
}

gboolean
ngam_sample_paths_finish (SampleGen *g,
                     GError   **error)
{
  for (gsize k = 0; k < (gsize) g->n_kinds * g->t->nx; k++)
    if (!path_end (g, &g->col_paths[k], error))
      return FALSE;
  return TRUE;
}

/* ---- zones from GEOS ------------------------------------------------ */

/* The polygons of @geom, as one multipolygon; NULL when there are none. */
static GEOSGeometry *
polygonal (GEOSContextHandle_t h,
           const GEOSGeometry *geom)
{
  int type = GEOSGeomTypeId_r (h, geom);
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  if (type == GEOS_POLYGON)
    g_ptr_array_add (parts, GEOSGeom_clone_r (h, geom));
  else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION)
    for (int k = 0; k < GEOSGetNumGeometries_r (h, geom); k++)
      {
        const GEOSGeometry *part = GEOSGetGeometryN_r (h, geom, k);

        if (GEOSGeomTypeId_r (h, part) == GEOS_POLYGON && !GEOSisEmpty_r (h, part))
          g_ptr_array_add (parts, GEOSGeom_clone_r (h, part));
      }
  if (parts->len == 0)
    return NULL;
  return GEOSGeom_createCollection_r (h, GEOS_MULTIPOLYGON, (GEOSGeometry **) parts->pdata, parts->len);
}

/* Writes a zone or ward clipped to the town's extent; takes @geom. */
gboolean
ngam_sample_add_area (SampleGen    *g,
                 NgamFeature  *f,
                 GEOSGeometry *geom,
                 GError      **error,
                 const char   *key)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  GEOSGeometry *clipped = GEOSIntersection_r (h, geom, g->clip);
  GEOSGeometry *poly;
  gboolean ok = TRUE;

  GEOSGeom_destroy_r (h, geom);
  if (clipped == NULL)
    {
      g_set_error (error, NGAM_SAMPLE_ERROR, NGAM_SAMPLE_ERROR_INVALID,
                   "cannot clip %s to the town: %s", key, ngam_geos_last_error ());
      return FALSE;
    }
  poly = polygonal (h, clipped);
  GEOSGeom_destroy_r (h, clipped);
  if (poly == NULL)
    return TRUE;   /* outside the town: nothing to write */
  if (!ngam_shape_from_geos (f->shape, poly, error))
    ok = FALSE;
  GEOSGeom_destroy_r (h, poly);
  if (!ok)
    return FALSE;
  f->shape->type = NGAM_SHAPE_MULTIPOLYGON;
  return ngam_sample_feature_add (g, f, NULL, error, "%s", key);
}

/* A polygon from rings in local coordinates (each closed here). */
GEOSGeometry *
ngam_sample_polygon_geos (SampleGen            *g,
                     const GArray  *const *rings,
                     guint                 n_rings,
                     GError              **error)
{
  NgamShape *s = g->scratch;

  ngam_shape_begin (s, NGAM_SHAPE_POLYGON);
  ngam_shape_new_poly (s);
  for (guint r = 0; r < n_rings; r++)
    {
      const double *uv = (const double *) rings[r]->data;
      guint n = rings[r]->len / 2;

      ngam_shape_new_part (s);
      for (guint k = 0; k < n; k++)
        ngam_shape_add_point (s, g->x0 + uv[2 * k], g->y0 + uv[2 * k + 1]);
      ngam_shape_add_point (s, g->x0 + uv[0], g->y0 + uv[1]);
    }
  ngam_shape_finish (s);
  return ngam_shape_to_geos (s, error);
}

void
ngam_sample_push (GArray *a, double u, double v)
{
  double p[2] = { u, v };

  g_array_append_vals (a, p, 2);
}

void
ngam_sample_push_square (GArray *a, double cu, double cv, double half)
{
  ngam_sample_push (a, cu - half, cv - half);
  ngam_sample_push (a, cu + half, cv - half);
  ngam_sample_push (a, cu + half, cv + half);
  ngam_sample_push (a, cu - half, cv + half);
}

