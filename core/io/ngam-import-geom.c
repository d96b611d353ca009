/* ngam-import-geom.c — fitting a source geometry to the layer: parts,
 * validity and repair
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Points and lines are checked here in C (finite coordinates; a line needs
 * two distinct vertices); only polygons go through GEOS, for
 * GEOSisValid and GEOSMakeValid, and for a point on a polygon when a point
 * layer is given areas.
 */
#define G_LOG_DOMAIN "ngam-io"

#include "config.h"

#include <math.h>

#include "ngam-context.h"
#include "ngam-import-read.h"

/* Copies part @part (or polygon @part for polygon types) of @s into @out
 * as the layer's single type. */
void
ngam_import_extract_part (const NgamShape *s, guint part, NgamShapeType want, NgamShape *out)
{
  ngam_shape_begin (out, want);
  if (want == NGAM_SHAPE_MULTIPOLYGON)
    {
      guint r0 = s->type == NGAM_SHAPE_POLYGON || s->type == NGAM_SHAPE_MULTIPOLYGON ? s->poly_start[part] : 0;
      guint r1 = s->poly_start[part + 1];

      ngam_shape_new_poly (out);
      for (guint r = r0; r < r1; r++)
        {
          ngam_shape_new_part (out);
          for (guint i = s->part_start[r]; i < s->part_start[r + 1]; i++)
            ngam_shape_add_point (out, s->xy[2 * i], s->xy[2 * i + 1]);
        }
    }
  else
    {
      ngam_shape_new_part (out);
      for (guint i = s->part_start[part]; i < s->part_start[part + 1]; i++)
        ngam_shape_add_point (out, s->xy[2 * i], s->xy[2 * i + 1]);
    }
  ngam_shape_finish (out);
}

/* Makes @piece (a multipolygon) valid; FALSE when nothing polygonal is
 * left.  @reason gets GEOS's diagnosis when it was repaired. */
gboolean
ngam_import_repair_polygon (NgamShape *piece, char **reason, gboolean *repaired, GError **error)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  GEOSGeometry *g = ngam_shape_to_geos (piece, error);
  GEOSGeometry *fixed, *polys;
  g_autoptr(GPtrArray) parts = NULL;
  gboolean ok;

  *repaired = FALSE;
  if (g == NULL)
    return FALSE;
  if (GEOSisValid_r (h, g) == 1)
    {
      GEOSGeom_destroy_r (h, g);
      return TRUE;
    }
  {
    char *why = GEOSisValidReason_r (h, g);

    *reason = g_strdup (why ? why : "invalid");
    GEOSFree_r (h, why);
  }
  fixed = GEOSMakeValid_r (h, g);
  GEOSGeom_destroy_r (h, g);
  if (fixed == NULL)
    {
      g_set_error (error, NGAM_GEOM_ERROR, NGAM_GEOM_ERROR_GEOS, "GEOSMakeValid failed: %s", ngam_geos_last_error ());
      return FALSE;
    }
  /* Keep the polygonal part of what MakeValid returns (it may add the
   * collapsed pieces as lines or points). */
  parts = g_ptr_array_new ();
  for (int i = 0; i < GEOSGetNumGeometries_r (h, fixed); i++)
    {
      const GEOSGeometry *p = GEOSGetGeometryN_r (h, fixed, i);
      int t = GEOSGeomTypeId_r (h, p);

      if (t == GEOS_POLYGON && !GEOSisEmpty_r (h, p))
        g_ptr_array_add (parts, GEOSGeom_clone_r (h, p));
      else if (t == GEOS_MULTIPOLYGON)
        for (int j = 0; j < GEOSGetNumGeometries_r (h, p); j++)
          g_ptr_array_add (parts, GEOSGeom_clone_r (h, GEOSGetGeometryN_r (h, p, j)));
    }
  GEOSGeom_destroy_r (h, fixed);
  if (parts->len == 0)
    return FALSE;
  polys = GEOSGeom_createCollection_r (h, GEOS_MULTIPOLYGON, (GEOSGeometry **) parts->pdata, parts->len);
  ok = polys && ngam_shape_from_geos (piece, polys, error);
  if (polys)
    GEOSGeom_destroy_r (h, polys);
  if (ok && piece->type == NGAM_SHAPE_POLYGON)
    piece->type = NGAM_SHAPE_MULTIPOLYGON;
  *repaired = ok;
  return ok;
}

gboolean
ngam_import_point_on_surface (NgamShape *s, GError **error)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  GEOSGeometry *g = ngam_shape_to_geos (s, error);
  GEOSGeometry *p;
  gboolean ok;

  if (g == NULL)
    return FALSE;
  p = GEOSPointOnSurface_r (h, g);
  GEOSGeom_destroy_r (h, g);
  if (p == NULL)
    {
      g_set_error (error, NGAM_GEOM_ERROR, NGAM_GEOM_ERROR_GEOS, "no point on the polygon: %s", ngam_geos_last_error ());
      return FALSE;
    }
  ok = ngam_shape_from_geos (s, p, error);
  GEOSGeom_destroy_r (h, p);
  return ok;
}

guint
ngam_import_distinct_points (const NgamShape *s)
{
  guint n = s->n_points > 0 ? 1 : 0;

  for (guint i = 1; i < s->n_points; i++)
    if (s->xy[2 * i] != s->xy[2 * i - 2] || s->xy[2 * i + 1] != s->xy[2 * i - 1])
      n++;
  return n;
}

gboolean
ngam_import_finite_shape (const NgamShape *s)
{
  for (guint i = 0; i < 2 * s->n_points; i++)
    if (!isfinite (s->xy[i]))
      return FALSE;
  return TRUE;
}

/* Copies @src into @dst, reusing @dst's buffers. */
void
ngam_import_shape_assign (NgamShape *dst, const NgamShape *src)
{
  ngam_shape_begin (dst, src->type);
  if (src->n_polys > 0)
    for (guint p = 0; p < src->n_polys; p++)
      {
        ngam_shape_new_poly (dst);
        for (guint rr = src->poly_start[p]; rr < src->poly_start[p + 1]; rr++)
          {
            ngam_shape_new_part (dst);
            for (guint i = src->part_start[rr]; i < src->part_start[rr + 1]; i++)
              ngam_shape_add_point (dst, src->xy[2 * i], src->xy[2 * i + 1]);
          }
      }
  else
    for (guint rr = 0; rr < src->n_parts; rr++)
      {
        ngam_shape_new_part (dst);
        for (guint i = src->part_start[rr]; i < src->part_start[rr + 1]; i++)
          ngam_shape_add_point (dst, src->xy[2 * i], src->xy[2 * i + 1]);
      }
  ngam_shape_finish (dst);
}
