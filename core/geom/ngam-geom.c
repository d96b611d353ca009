/* ngam-geom.c — Ngầm's plain geometry, and its bridges to WKB, SpatiaLite
 * blobs and GEOS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-geom"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-context.h"
#include "ngam-format.h"
#include "ngam-geom.h"

G_DEFINE_QUARK (ngam-geom-error-quark, ngam_geom_error)

NgamShape *
ngam_shape_new (void)
{
  return g_new0 (NgamShape, 1);
}

void
ngam_shape_free (NgamShape *shape)
{
  if (shape == NULL)
    return;
  g_free (shape->xy);
  g_free (shape->part_start);
  g_free (shape->poly_start);
  g_free (shape);
}

/* Empties the shape but keeps its buffers for reuse. */
void
ngam_shape_clear (NgamShape *shape)
{
  shape->type = NGAM_SHAPE_NONE;
  shape->n_points = shape->n_parts = shape->n_polys = 0;
  shape->bbox[0] = shape->bbox[1] = INFINITY;
  shape->bbox[2] = shape->bbox[3] = -INFINITY;
}

static void
reserve_points (NgamShape *s, guint n)
{
  if (n > s->cap_points)
    {
      s->cap_points = MAX (n, s->cap_points * 2 + 16);
      s->xy = g_renew (double, s->xy, 2 * (gsize) s->cap_points);
    }
}

static void
reserve_parts (NgamShape *s, guint n)
{
  if (n + 1 > s->cap_parts)
    {
      s->cap_parts = MAX (n + 1, s->cap_parts * 2 + 4);
      s->part_start = g_renew (guint, s->part_start, s->cap_parts);
    }
}

static void
reserve_polys (NgamShape *s, guint n)
{
  if (n + 1 > s->cap_polys)
    {
      s->cap_polys = MAX (n + 1, s->cap_polys * 2 + 2);
      s->poly_start = g_renew (guint, s->poly_start, s->cap_polys);
    }
}

void
ngam_shape_begin (NgamShape     *shape,
                  NgamShapeType  type)
{
  ngam_shape_clear (shape);
  shape->type = type;
  reserve_parts (shape, 0);
  shape->part_start[0] = 0;
  reserve_polys (shape, 0);
  shape->poly_start[0] = 0;
}

void
ngam_shape_new_poly (NgamShape *shape)
{
  if (shape->n_polys > 0)
    shape->poly_start[shape->n_polys] = shape->n_parts;
  reserve_polys (shape, shape->n_polys + 1);
  shape->n_polys++;
  shape->poly_start[shape->n_polys] = shape->n_parts;
}

void
ngam_shape_new_part (NgamShape *shape)
{
  reserve_parts (shape, shape->n_parts + 1);
  shape->part_start[shape->n_parts] = shape->n_points;
  shape->n_parts++;
  shape->part_start[shape->n_parts] = shape->n_points;
  if (shape->n_polys > 0)
    shape->poly_start[shape->n_polys] = shape->n_parts;
}

void
ngam_shape_add_point (NgamShape *shape,
                      double     x,
                      double     y)
{
  reserve_points (shape, shape->n_points + 1);
  shape->xy[2 * shape->n_points] = x;
  shape->xy[2 * shape->n_points + 1] = y;
  shape->n_points++;
  shape->part_start[shape->n_parts] = shape->n_points;
  if (x < shape->bbox[0]) shape->bbox[0] = x;
  if (y < shape->bbox[1]) shape->bbox[1] = y;
  if (x > shape->bbox[2]) shape->bbox[2] = x;
  if (y > shape->bbox[3]) shape->bbox[3] = y;
}

/* Closes the offsets tables; a point shape is given its single part. */
void
ngam_shape_finish (NgamShape *shape)
{
  if (shape->n_parts == 0 && shape->n_points > 0)
    {
      shape->n_parts = 1;
      reserve_parts (shape, 1);
      shape->part_start[0] = 0;
    }
  if (shape->n_parts > 0)
    shape->part_start[shape->n_parts] = shape->n_points;
  if (shape->n_polys > 0)
    shape->poly_start[shape->n_polys] = shape->n_parts;
}

NgamShape *
ngam_shape_copy (const NgamShape *shape)
{
  NgamShape *copy = ngam_shape_new ();

  *copy = *shape;
  copy->cap_points = MAX (shape->n_points, 1);
  copy->cap_parts = shape->n_parts + 1;
  copy->cap_polys = shape->n_polys + 1;
  copy->xy = g_memdup2 (shape->xy, sizeof (double) * 2 * copy->cap_points);
  if (shape->xy == NULL)
    copy->xy = g_new0 (double, 2);
  copy->part_start = g_new0 (guint, copy->cap_parts);
  if (shape->part_start)
    memcpy (copy->part_start, shape->part_start, sizeof (guint) * (shape->n_parts + 1));
  copy->poly_start = g_new0 (guint, copy->cap_polys);
  if (shape->poly_start && shape->n_polys > 0)
    memcpy (copy->poly_start, shape->poly_start, sizeof (guint) * (shape->n_polys + 1));
  return copy;
}

NgamShape *
ngam_shape_new_point (double x,
                      double y)
{
  NgamShape *s = ngam_shape_new ();

  ngam_shape_begin (s, NGAM_SHAPE_POINT);
  ngam_shape_new_part (s);
  ngam_shape_add_point (s, x, y);
  ngam_shape_finish (s);
  return s;
}

NgamShape *
ngam_shape_new_line (const double *xy,
                     guint         n_points)
{
  NgamShape *s = ngam_shape_new ();

  ngam_shape_begin (s, NGAM_SHAPE_LINESTRING);
  ngam_shape_new_part (s);
  for (guint i = 0; i < n_points; i++)
    ngam_shape_add_point (s, xy[2 * i], xy[2 * i + 1]);
  ngam_shape_finish (s);
  return s;
}

const char *
ngam_shape_type_name (NgamShapeType type)
{
  switch (type)
    {
    case NGAM_SHAPE_POINT: return "POINT";
    case NGAM_SHAPE_LINESTRING: return "LINESTRING";
    case NGAM_SHAPE_POLYGON: return "POLYGON";
    case NGAM_SHAPE_MULTIPOINT: return "MULTIPOINT";
    case NGAM_SHAPE_MULTILINESTRING: return "MULTILINESTRING";
    case NGAM_SHAPE_MULTIPOLYGON: return "MULTIPOLYGON";
    case NGAM_SHAPE_NONE:
    default: return "EMPTY";
    }
}

/* Length of all lines (or ring perimeters) in the shape's units. */
double
ngam_shape_length (const NgamShape *shape)
{
  double len = 0;

  for (guint p = 0; p < shape->n_parts; p++)
    for (guint i = shape->part_start[p] + 1; i < shape->part_start[p + 1]; i++)
      len += hypot (shape->xy[2 * i] - shape->xy[2 * i - 2],
                    shape->xy[2 * i + 1] - shape->xy[2 * i - 1]);
  return len;
}

gboolean
ngam_shape_equal (const NgamShape *a,
                  const NgamShape *b)
{
  if (a->type != b->type || a->n_points != b->n_points ||
      a->n_parts != b->n_parts || a->n_polys != b->n_polys)
    return FALSE;
  if (a->n_points && memcmp (a->xy, b->xy, sizeof (double) * 2 * a->n_points) != 0)
    return FALSE;
  if (a->n_parts && memcmp (a->part_start, b->part_start, sizeof (guint) * (a->n_parts + 1)) != 0)
    return FALSE;
  if (a->n_polys && memcmp (a->poly_start, b->poly_start, sizeof (guint) * (a->n_polys + 1)) != 0)
    return FALSE;
  return TRUE;
}

/* ---- WKB ------------------------------------------------------------ */

typedef struct
{
  const guint8 *p;
  const guint8 *end;
  gboolean      had_zm;
} WkbReader;

static gboolean
rd_u32 (WkbReader *r, gboolean le, guint32 *out)
{
  guint32 v;

  if (r->end - r->p < 4)
    return FALSE;
  memcpy (&v, r->p, 4);
  r->p += 4;
  *out = le ? GUINT32_FROM_LE (v) : GUINT32_FROM_BE (v);
  return TRUE;
}

static gboolean
rd_f64 (WkbReader *r, gboolean le, double *out)
{
  guint64 v;

  if (r->end - r->p < 8)
    return FALSE;
  memcpy (&v, r->p, 8);
  r->p += 8;
  v = le ? GUINT64_FROM_LE (v) : GUINT64_FROM_BE (v);
  memcpy (out, &v, 8);
  return TRUE;
}

static gboolean
rd_points (WkbReader *r, NgamShape *s, gboolean le, guint dims, guint32 n)
{
  if ((gsize) (r->end - r->p) / (8 * dims) < n)
    return FALSE;
  for (guint32 i = 0; i < n; i++)
    {
      double c[4];

      for (guint d = 0; d < dims; d++)
        if (!rd_f64 (r, le, &c[d]))
          return FALSE;
      ngam_shape_add_point (s, c[0], c[1]);
    }
  return TRUE;
}

/* Reads one geometry header; @base is the 2D type code, @dims 2 to 4. */
static gboolean
rd_header (WkbReader *r, gboolean *le, guint32 *base, guint *dims)
{
  guint32 t;
  gboolean z = FALSE, m = FALSE;

  if (r->p >= r->end)
    return FALSE;
  *le = (*r->p++ == 1);
  if (!rd_u32 (r, *le, &t))
    return FALSE;
  if (t & 0x80000000u) z = TRUE;
  if (t & 0x40000000u) m = TRUE;
  if (t & 0x20000000u)
    {
      guint32 srid;

      if (!rd_u32 (r, *le, &srid))
        return FALSE;
    }
  t &= 0x0fffffffu;
  switch (t / 1000)
    {
    case 1: z = TRUE; break;
    case 2: m = TRUE; break;
    case 3: z = m = TRUE; break;
    default: break;
    }
  *base = t % 1000;
  *dims = 2 + (z ? 1 : 0) + (m ? 1 : 0);
  if (z || m)
    r->had_zm = TRUE;
  return TRUE;
}

static gboolean
rd_body (WkbReader *r, NgamShape *s, gboolean le, guint32 base, guint dims, GError **error);

static gboolean
rd_line_or_ring (WkbReader *r, NgamShape *s, gboolean le, guint dims)
{
  guint32 n;

  if (!rd_u32 (r, le, &n))
    return FALSE;
  ngam_shape_new_part (s);
  return rd_points (r, s, le, dims, n);
}

static gboolean
rd_polygon (WkbReader *r, NgamShape *s, gboolean le, guint dims)
{
  guint32 n;

  if (!rd_u32 (r, le, &n))
    return FALSE;
  ngam_shape_new_poly (s);
  for (guint32 i = 0; i < n; i++)
    if (!rd_line_or_ring (r, s, le, dims))
      return FALSE;
  return TRUE;
}

static gboolean
rd_body (WkbReader   *r,
         NgamShape   *s,
         gboolean     le,
         guint32      base,
         guint        dims,
         GError     **error)
{
  guint32 n;

  switch (base)
    {
    case NGAM_SHAPE_POINT:
      {
        double c[4];

        for (guint d = 0; d < dims; d++)
          if (!rd_f64 (r, le, &c[d]))
            goto truncated;
        if (!isnan (c[0]) || !isnan (c[1]))
          {
            ngam_shape_new_part (s);
            ngam_shape_add_point (s, c[0], c[1]);
          }
        return TRUE;
      }
    case NGAM_SHAPE_LINESTRING:
      if (!rd_line_or_ring (r, s, le, dims))
        goto truncated;
      return TRUE;
    case NGAM_SHAPE_POLYGON:
      if (!rd_polygon (r, s, le, dims))
        goto truncated;
      return TRUE;
    case NGAM_SHAPE_MULTIPOINT:
    case NGAM_SHAPE_MULTILINESTRING:
    case NGAM_SHAPE_MULTIPOLYGON:
      if (!rd_u32 (r, le, &n))
        goto truncated;
      for (guint32 i = 0; i < n; i++)
        {
          gboolean le2;
          guint32 base2;
          guint dims2;

          if (!rd_header (r, &le2, &base2, &dims2))
            goto truncated;
          if (base2 != base - 3)
            {
              g_set_error (error, NGAM_GEOM_ERROR, NGAM_GEOM_ERROR_PARSE,
                           "a %s holds a part of WKB type %u",
                           ngam_shape_type_name (base), base2);
              return FALSE;
            }
          if (!rd_body (r, s, le2, base2, dims2, error))
            return FALSE;
        }
      return TRUE;
    default:
      g_set_error (error, NGAM_GEOM_ERROR, NGAM_GEOM_ERROR_UNSUPPORTED,
                   "geometry type %u (%s) is not used by Ngầm's layers",
                   base, base == 7 ? "GeometryCollection" : "curve, surface or TIN");
      return FALSE;
    }

truncated:
  g_set_error_literal (error, NGAM_GEOM_ERROR, NGAM_GEOM_ERROR_PARSE,
                       "the geometry's WKB is truncated");
  return FALSE;
}

/**
 * ngam_shape_from_wkb:
 * @had_zm: (out) (optional): set when Z or M values were dropped
 *
 * Parses ISO or extended WKB into @shape (reusing its buffers).  An empty
 * geometry gives a shape of its type with no points.
 */
gboolean
ngam_shape_from_wkb (NgamShape     *shape,
                     const guint8  *wkb,
                     gsize          len,
                     gboolean      *had_zm,
                     GError       **error)
{
  WkbReader r = { wkb, wkb + len, FALSE };
  gboolean le;
  guint32 base;
  guint dims;

  g_return_val_if_fail (shape != NULL, FALSE);

  if (!rd_header (&r, &le, &base, &dims))
    {
      g_set_error_literal (error, NGAM_GEOM_ERROR, NGAM_GEOM_ERROR_PARSE,
                           "the geometry's WKB is empty or truncated");
      return FALSE;
    }
  ngam_shape_begin (shape, base);
  if (!rd_body (&r, shape, le, base, dims, error))
    return FALSE;
  ngam_shape_finish (shape);
  if (had_zm)
    *had_zm = r.had_zm;
  return TRUE;
}

static void
wr_u32 (GByteArray *b, guint32 v)
{
  v = GUINT32_TO_LE (v);
  g_byte_array_append (b, (guint8 *) &v, 4);
}

static void
wr_pts (GByteArray *b, const double *xy, guint n)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  g_byte_array_append (b, (const guint8 *) xy, 16 * n);
#else
  for (guint i = 0; i < 2 * n; i++)
    {
      guint64 v;

      memcpy (&v, &xy[i], 8);
      v = GUINT64_TO_LE (v);
      g_byte_array_append (b, (guint8 *) &v, 8);
    }
#endif
}

static void
wkb_part (GByteArray *b, const NgamShape *s, guint part, gboolean with_count)
{
  guint start = s->part_start[part], n = s->part_start[part + 1] - start;

  if (with_count)
    wr_u32 (b, n);
  wr_pts (b, s->xy + 2 * start, n);
}

static void
wkb_header (GByteArray *b, guint32 type)
{
  guint8 le = 1;

  g_byte_array_append (b, &le, 1);
  wr_u32 (b, type);
}

static void
wkb_polygon (GByteArray *b, const NgamShape *s, guint poly)
{
  guint r0 = s->poly_start[poly], r1 = s->poly_start[poly + 1];

  wr_u32 (b, r1 - r0);
  for (guint r = r0; r < r1; r++)
    wkb_part (b, s, r, TRUE);
}

/**
 * ngam_shape_to_wkb:
 *
 * Returns: (transfer full): little-endian ISO WKB, 2D.
 */
GBytes *
ngam_shape_to_wkb (const NgamShape *s)
{
  GByteArray *b = g_byte_array_sized_new (9 + 16 * s->n_points);

  wkb_header (b, s->type);
  switch (s->type)
    {
    case NGAM_SHAPE_POINT:
      if (s->n_points > 0)
        wr_pts (b, s->xy, 1);
      else
        {
          double nan2[2] = { NAN, NAN };

          wr_pts (b, nan2, 1);
        }
      break;
    case NGAM_SHAPE_LINESTRING:
      if (s->n_parts > 0)
        wkb_part (b, s, 0, TRUE);
      else
        wr_u32 (b, 0);
      break;
    case NGAM_SHAPE_POLYGON:
      if (s->n_polys > 0)
        wkb_polygon (b, s, 0);
      else
        wr_u32 (b, 0);
      break;
    case NGAM_SHAPE_MULTIPOINT:
      wr_u32 (b, s->n_points);
      for (guint i = 0; i < s->n_points; i++)
        {
          wkb_header (b, NGAM_SHAPE_POINT);
          wr_pts (b, s->xy + 2 * i, 1);
        }
      break;
    case NGAM_SHAPE_MULTILINESTRING:
      wr_u32 (b, s->n_parts);
      for (guint p = 0; p < s->n_parts; p++)
        {
          wkb_header (b, NGAM_SHAPE_LINESTRING);
          wkb_part (b, s, p, TRUE);
        }
      break;
    case NGAM_SHAPE_MULTIPOLYGON:
      wr_u32 (b, s->n_polys);
      for (guint p = 0; p < s->n_polys; p++)
        {
          wkb_header (b, NGAM_SHAPE_POLYGON);
          wkb_polygon (b, s, p);
        }
      break;
    case NGAM_SHAPE_NONE:
    default:
      g_assert_not_reached ();
    }
  return g_byte_array_free_to_bytes (b);
}

static void
wkt_coords (GString *s, const NgamShape *shape, guint part)
{
  g_string_append_c (s, '(');
  for (guint i = shape->part_start[part]; i < shape->part_start[part + 1]; i++)
    {
      if (i > shape->part_start[part])
        g_string_append_c (s, ',');
      ngam_append_double (s, shape->xy[2 * i]);
      g_string_append_c (s, ' ');
      ngam_append_double (s, shape->xy[2 * i + 1]);
    }
  g_string_append_c (s, ')');
}

static void
wkt_poly (GString *s, const NgamShape *shape, guint poly)
{
  g_string_append_c (s, '(');
  for (guint r = shape->poly_start[poly]; r < shape->poly_start[poly + 1]; r++)
    {
      if (r > shape->poly_start[poly])
        g_string_append_c (s, ',');
      wkt_coords (s, shape, r);
    }
  g_string_append_c (s, ')');
}

/* WKT with round-trip precision, for messages, tests and exports. */
char *
ngam_shape_to_wkt (const NgamShape *shape)
{
  GString *s = g_string_new (ngam_shape_type_name (shape->type));

  if (shape->n_points == 0)
    {
      g_string_append (s, " EMPTY");
      return g_string_free (s, FALSE);
    }
  g_string_append_c (s, ' ');
  switch (shape->type)
    {
    case NGAM_SHAPE_POINT:
    case NGAM_SHAPE_LINESTRING:
      wkt_coords (s, shape, 0);
      break;
    case NGAM_SHAPE_POLYGON:
      wkt_poly (s, shape, 0);
      break;
    case NGAM_SHAPE_MULTIPOINT:
    case NGAM_SHAPE_MULTILINESTRING:
      g_string_append_c (s, '(');
      for (guint p = 0; p < shape->n_parts; p++)
        {
          if (p)
            g_string_append_c (s, ',');
          wkt_coords (s, shape, p);
        }
      g_string_append_c (s, ')');
      break;
    case NGAM_SHAPE_MULTIPOLYGON:
      g_string_append_c (s, '(');
      for (guint p = 0; p < shape->n_polys; p++)
        {
          if (p)
            g_string_append_c (s, ',');
          wkt_poly (s, shape, p);
        }
      g_string_append_c (s, ')');
      break;
    case NGAM_SHAPE_NONE:
    default:
      break;
    }
  return g_string_free (s, FALSE);
}

/* ---- SpatiaLite BLOB ------------------------------------------------ */

/* SpatiaLite's own format (gaiaToSpatiaLiteBlobWkb): 0x00, endianness,
 * SRID, MBR, 0x7C, class, body, 0xFE; parts of collections start with
 * 0x69.  Written here directly so that a bulk load needs no SQL function
 * call per row. */
enum { SPL_START = 0x00, SPL_MBR_END = 0x7C, SPL_ENTITY = 0x69, SPL_END = 0xFE };

static void
wr_f64 (GByteArray *b, double d)
{
  guint64 v;

  memcpy (&v, &d, 8);
  v = GUINT64_TO_LE (v);
  g_byte_array_append (b, (guint8 *) &v, 8);
}

/**
 * ngam_shape_to_spatialite:
 * @buffer: (nullable): a byte array to reuse, emptied first
 *
 * Returns: (transfer full): @buffer or a new array holding the blob.
 */
GByteArray *
ngam_shape_to_spatialite (const NgamShape *s,
                          int              srid,
                          GByteArray      *buffer)
{
  GByteArray *b = buffer ? buffer : g_byte_array_sized_new (60 + 16 * s->n_points);
  guint8 head[2] = { SPL_START, 0x01 };
  guint8 mark;

  g_return_val_if_fail (s->n_points > 0, NULL);

  g_byte_array_set_size (b, 0);
  g_byte_array_append (b, head, 2);
  wr_u32 (b, (guint32) srid);
  for (int i = 0; i < 4; i++)
    wr_f64 (b, s->bbox[i]);
  mark = SPL_MBR_END;
  g_byte_array_append (b, &mark, 1);
  wr_u32 (b, s->type);

  switch (s->type)
    {
    case NGAM_SHAPE_POINT:
      wr_pts (b, s->xy, 1);
      break;
    case NGAM_SHAPE_LINESTRING:
      wkb_part (b, s, 0, TRUE);
      break;
    case NGAM_SHAPE_POLYGON:
      wkb_polygon (b, s, 0);
      break;
    case NGAM_SHAPE_MULTIPOINT:
      wr_u32 (b, s->n_points);
      for (guint i = 0; i < s->n_points; i++)
        {
          mark = SPL_ENTITY;
          g_byte_array_append (b, &mark, 1);
          wr_u32 (b, NGAM_SHAPE_POINT);
          wr_pts (b, s->xy + 2 * i, 1);
        }
      break;
    case NGAM_SHAPE_MULTILINESTRING:
      wr_u32 (b, s->n_parts);
      for (guint p = 0; p < s->n_parts; p++)
        {
          mark = SPL_ENTITY;
          g_byte_array_append (b, &mark, 1);
          wr_u32 (b, NGAM_SHAPE_LINESTRING);
          wkb_part (b, s, p, TRUE);
        }
      break;
    case NGAM_SHAPE_MULTIPOLYGON:
      wr_u32 (b, s->n_polys);
      for (guint p = 0; p < s->n_polys; p++)
        {
          mark = SPL_ENTITY;
          g_byte_array_append (b, &mark, 1);
          wr_u32 (b, NGAM_SHAPE_POLYGON);
          wkb_polygon (b, s, p);
        }
      break;
    case NGAM_SHAPE_NONE:
    default:
      g_assert_not_reached ();
    }
  mark = SPL_END;
  g_byte_array_append (b, &mark, 1);
  return b;
}

/* Reads a SpatiaLite blob.  Only the plain XY classes (1–6) are accepted:
 * those are the only ones the store writes.  Foreign files go through GDAL. */
gboolean
ngam_shape_from_spatialite (NgamShape     *shape,
                            const guint8  *blob,
                            gsize          len,
                            GError       **error)
{
  WkbReader r;
  gboolean le;
  guint32 cls, n;

  if (len < 45 || blob[0] != SPL_START || blob[38] != SPL_MBR_END || blob[len - 1] != SPL_END)
    goto bad;
  le = blob[1] == 0x01;
  r.p = blob + 39;
  r.end = blob + len - 1;
  r.had_zm = FALSE;
  if (!rd_u32 (&r, le, &cls) || cls < 1 || cls > 6)
    goto bad;
  ngam_shape_begin (shape, cls);
  switch (cls)
    {
    case NGAM_SHAPE_POINT:
      ngam_shape_new_part (shape);
      if (!rd_points (&r, shape, le, 2, 1))
        goto bad;
      break;
    case NGAM_SHAPE_LINESTRING:
      if (!rd_line_or_ring (&r, shape, le, 2))
        goto bad;
      break;
    case NGAM_SHAPE_POLYGON:
      if (!rd_polygon (&r, shape, le, 2))
        goto bad;
      break;
    default:
      if (!rd_u32 (&r, le, &n))
        goto bad;
      for (guint32 i = 0; i < n; i++)
        {
          guint32 sub;

          if (r.p >= r.end || *r.p++ != SPL_ENTITY || !rd_u32 (&r, le, &sub) || sub != cls - 3)
            goto bad;
          if (sub == NGAM_SHAPE_POINT)
            {
              ngam_shape_new_part (shape);
              if (!rd_points (&r, shape, le, 2, 1))
                goto bad;
            }
          else if (sub == NGAM_SHAPE_LINESTRING)
            {
              if (!rd_line_or_ring (&r, shape, le, 2))
                goto bad;
            }
          else if (!rd_polygon (&r, shape, le, 2))
            goto bad;
        }
      break;
    }
  ngam_shape_finish (shape);
  return TRUE;

bad:
  g_set_error_literal (error, NGAM_GEOM_ERROR, NGAM_GEOM_ERROR_PARSE,
                       "not a 2D SpatiaLite geometry blob (written by another program?)");
  return FALSE;
}

/* ---- GEOS ----------------------------------------------------------- */

static gboolean
geos_fail (GError **error, const char *what)
{
  const char *msg = ngam_geos_last_error ();

  g_set_error (error, NGAM_GEOM_ERROR, NGAM_GEOM_ERROR_GEOS,
               "%s: %s", what, *msg ? msg : "GEOS failed without a message");
  ngam_geos_clear_error ();
  return FALSE;
}

void
ngam_geos_free (GEOSGeometry *geom)
{
  if (geom)
    GEOSGeom_destroy_r (ngam_geos_context (), geom);
}

static GEOSCoordSequence *
make_seq (GEOSContextHandle_t h, const NgamShape *s, guint part)
{
  guint start = s->part_start[part], n = s->part_start[part + 1] - start;

  return GEOSCoordSeq_copyFromBuffer_r (h, s->xy + 2 * start, n, 0, 0);
}

static GEOSGeometry *
make_polygon (GEOSContextHandle_t h, const NgamShape *s, guint poly)
{
  guint r0 = s->poly_start[poly], r1 = s->poly_start[poly + 1];
  GEOSGeometry *shell, **holes;
  GEOSGeometry *g;

  if (r1 == r0)
    return GEOSGeom_createEmptyPolygon_r (h);
  shell = GEOSGeom_createLinearRing_r (h, make_seq (h, s, r0));
  if (shell == NULL)
    return NULL;
  holes = g_new0 (GEOSGeometry *, MAX (r1 - r0 - 1, 1));
  for (guint r = r0 + 1; r < r1; r++)
    {
      holes[r - r0 - 1] = GEOSGeom_createLinearRing_r (h, make_seq (h, s, r));
      if (holes[r - r0 - 1] == NULL)
        {
          for (guint k = 0; k < r - r0 - 1; k++)
            GEOSGeom_destroy_r (h, holes[k]);
          GEOSGeom_destroy_r (h, shell);
          g_free (holes);
          return NULL;
        }
    }
  g = GEOSGeom_createPolygon_r (h, shell, holes, r1 - r0 - 1);
  g_free (holes);
  return g;
}

/**
 * ngam_shape_to_geos:
 *
 * Returns: (transfer full): a GEOS geometry in this thread's context; free
 *   with ngam_geos_free().
 */
GEOSGeometry *
ngam_shape_to_geos (const NgamShape  *s,
                    GError          **error)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  GEOSGeometry *g = NULL;

  ngam_geos_clear_error ();
  switch (s->type)
    {
    case NGAM_SHAPE_POINT:
      g = s->n_points ? GEOSGeom_createPointFromXY_r (h, s->xy[0], s->xy[1])
                      : GEOSGeom_createEmptyPoint_r (h);
      break;
    case NGAM_SHAPE_LINESTRING:
      g = s->n_parts ? GEOSGeom_createLineString_r (h, make_seq (h, s, 0))
                     : GEOSGeom_createEmptyLineString_r (h);
      break;
    case NGAM_SHAPE_POLYGON:
      g = s->n_polys ? make_polygon (h, s, 0) : GEOSGeom_createEmptyPolygon_r (h);
      break;
    case NGAM_SHAPE_MULTIPOINT:
    case NGAM_SHAPE_MULTILINESTRING:
    case NGAM_SHAPE_MULTIPOLYGON:
      {
        guint n = s->type == NGAM_SHAPE_MULTIPOLYGON ? s->n_polys
                  : s->type == NGAM_SHAPE_MULTIPOINT ? s->n_points : s->n_parts;
        g_autofree GEOSGeometry **parts = g_new0 (GEOSGeometry *, MAX (n, 1));
        int gtype = s->type == NGAM_SHAPE_MULTIPOINT ? GEOS_MULTIPOINT
                    : s->type == NGAM_SHAPE_MULTILINESTRING ? GEOS_MULTILINESTRING
                    : GEOS_MULTIPOLYGON;

        for (guint i = 0; i < n; i++)
          {
            if (s->type == NGAM_SHAPE_MULTIPOINT)
              parts[i] = GEOSGeom_createPointFromXY_r (h, s->xy[2 * i], s->xy[2 * i + 1]);
            else if (s->type == NGAM_SHAPE_MULTILINESTRING)
              parts[i] = GEOSGeom_createLineString_r (h, make_seq (h, s, i));
            else
              parts[i] = make_polygon (h, s, i);
            if (parts[i] == NULL)
              {
                for (guint k = 0; k < i; k++)
                  GEOSGeom_destroy_r (h, parts[k]);
                return geos_fail (error, "cannot build the geometry"), NULL;
              }
          }
        g = GEOSGeom_createCollection_r (h, gtype, parts, n);
        break;
      }
    case NGAM_SHAPE_NONE:
    default:
      g_set_error_literal (error, NGAM_GEOM_ERROR, NGAM_GEOM_ERROR_UNSUPPORTED,
                           "empty shape has no type");
      return NULL;
    }
  if (g == NULL)
    geos_fail (error, "cannot build the geometry");
  return g;
}

static gboolean
shape_add_geos_path (NgamShape *s, GEOSContextHandle_t h, const GEOSCoordSequence *seq)
{
  unsigned int n;

  if (!GEOSCoordSeq_getSize_r (h, seq, &n))
    return FALSE;
  ngam_shape_new_part (s);
  for (unsigned int i = 0; i < n; i++)
    {
      double x, y;

      if (!GEOSCoordSeq_getXY_r (h, seq, i, &x, &y))
        return FALSE;
      ngam_shape_add_point (s, x, y);
    }
  return TRUE;
}

static gboolean
shape_add_geos_polygon (NgamShape *s, GEOSContextHandle_t h, const GEOSGeometry *g)
{
  int nh;

  ngam_shape_new_poly (s);
  if (GEOSisEmpty_r (h, g))
    return TRUE;
  if (!shape_add_geos_path (s, h, GEOSGeom_getCoordSeq_r (h, GEOSGetExteriorRing_r (h, g))))
    return FALSE;
  nh = GEOSGetNumInteriorRings_r (h, g);
  for (int i = 0; i < nh; i++)
    if (!shape_add_geos_path (s, h, GEOSGeom_getCoordSeq_r (h, GEOSGetInteriorRingN_r (h, g, i))))
      return FALSE;
  return TRUE;
}

/**
 * ngam_shape_from_geos:
 *
 * Copies a GEOS point, line, polygon or their multi forms into @shape.
 * Collections of mixed types are refused.
 */
gboolean
ngam_shape_from_geos (NgamShape           *s,
                      const GEOSGeometry  *g,
                      GError             **error)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  int type = GEOSGeomTypeId_r (h, g);
  int n;

  switch (type)
    {
    case GEOS_POINT:
      ngam_shape_begin (s, NGAM_SHAPE_POINT);
      if (!GEOSisEmpty_r (h, g) && !shape_add_geos_path (s, h, GEOSGeom_getCoordSeq_r (h, g)))
        return geos_fail (error, "cannot read the point");
      break;
    case GEOS_LINESTRING:
    case GEOS_LINEARRING:
      ngam_shape_begin (s, NGAM_SHAPE_LINESTRING);
      if (!GEOSisEmpty_r (h, g) && !shape_add_geos_path (s, h, GEOSGeom_getCoordSeq_r (h, g)))
        return geos_fail (error, "cannot read the line");
      break;
    case GEOS_POLYGON:
      ngam_shape_begin (s, NGAM_SHAPE_POLYGON);
      if (!GEOSisEmpty_r (h, g) && !shape_add_geos_polygon (s, h, g))
        return geos_fail (error, "cannot read the polygon");
      break;
    case GEOS_MULTIPOINT:
    case GEOS_MULTILINESTRING:
    case GEOS_MULTIPOLYGON:
      ngam_shape_begin (s, type == GEOS_MULTIPOINT ? NGAM_SHAPE_MULTIPOINT
                           : type == GEOS_MULTILINESTRING ? NGAM_SHAPE_MULTILINESTRING
                           : NGAM_SHAPE_MULTIPOLYGON);
      n = GEOSGetNumGeometries_r (h, g);
      for (int i = 0; i < n; i++)
        {
          const GEOSGeometry *part = GEOSGetGeometryN_r (h, g, i);
          gboolean ok;

          if (GEOSisEmpty_r (h, part))
            continue;
          if (type == GEOS_MULTIPOLYGON)
            ok = shape_add_geos_polygon (s, h, part);
          else
            ok = shape_add_geos_path (s, h, GEOSGeom_getCoordSeq_r (h, part));
          if (!ok)
            return geos_fail (error, "cannot read a part");
        }
      break;
    default:
      g_set_error (error, NGAM_GEOM_ERROR, NGAM_GEOM_ERROR_UNSUPPORTED,
                   "GEOS returned a %s, which no layer stores", GEOSGeomType_r (h, g));
      return FALSE;
    }
  ngam_shape_finish (s);
  return TRUE;
}

GEOSGeometry *
ngam_geos_from_wkt (const char  *wkt,
                    GError     **error)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  GEOSWKTReader *reader = GEOSWKTReader_create_r (h);
  GEOSGeometry *g;

  ngam_geos_clear_error ();
  g = GEOSWKTReader_read_r (h, reader, wkt);
  GEOSWKTReader_destroy_r (h, reader);
  if (g == NULL)
    geos_fail (error, "cannot read WKT");
  return g;
}
