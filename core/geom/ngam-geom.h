/* ngam-geom.h — Ngầm's plain geometry, and its bridges to WKB, SpatiaLite
 * blobs and GEOS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <geos_c.h>

G_BEGIN_DECLS

#define NGAM_GEOM_ERROR (ngam_geom_error_quark ())

typedef enum
{
  NGAM_GEOM_ERROR_PARSE,       /* bytes that are not a geometry */
  NGAM_GEOM_ERROR_UNSUPPORTED, /* a geometry type the model does not use */
  NGAM_GEOM_ERROR_GEOS,        /* GEOS refused or failed */
} NgamGeomError;

/* The WKB type codes, 2D. */
typedef enum
{
  NGAM_SHAPE_NONE = 0,
  NGAM_SHAPE_POINT = 1,
  NGAM_SHAPE_LINESTRING = 2,
  NGAM_SHAPE_POLYGON = 3,
  NGAM_SHAPE_MULTIPOINT = 4,
  NGAM_SHAPE_MULTILINESTRING = 5,
  NGAM_SHAPE_MULTIPOLYGON = 6,
} NgamShapeType;

/**
 * NgamShape:
 * @type: the geometry type
 * @n_points: number of vertices; @xy holds 2 × @n_points doubles
 * @n_parts: number of paths: rings of polygons, lines of a (multi)line,
 *   points of a multipoint; @part_start has @n_parts + 1 offsets into the
 *   vertices
 * @n_polys: number of polygons; @poly_start has @n_polys + 1 offsets into
 *   the parts (0 for other types)
 * @bbox: minx, miny, maxx, maxy
 *
 * A flat, allocation-light 2D geometry: what the store reads and writes, the
 * renderer draws and the network engine walks.  GEOS is used only where its
 * algorithms are needed (validation, noding, predicates).
 */
typedef struct
{
  NgamShapeType type;
  guint         n_points;
  guint         n_parts;
  guint         n_polys;
  double       *xy;
  guint        *part_start;
  guint        *poly_start;
  double        bbox[4];
  /* capacities, so a shape can be reused as a read buffer */
  guint         cap_points, cap_parts, cap_polys;
} NgamShape;

GQuark      ngam_geom_error_quark      (void);

NgamShape  *ngam_shape_new             (void);
void        ngam_shape_free            (NgamShape *shape);
void        ngam_shape_clear           (NgamShape *shape);
NgamShape  *ngam_shape_copy            (const NgamShape *shape);
NgamShape  *ngam_shape_new_point       (double x, double y);
NgamShape  *ngam_shape_new_line        (const double *xy, guint n_points);

/* Building: begin a type, then add vertices; new_part starts a ring/line,
 * new_poly starts a polygon (its first ring follows). */
void        ngam_shape_begin           (NgamShape *shape, NgamShapeType type);
void        ngam_shape_new_poly        (NgamShape *shape);
void        ngam_shape_new_part        (NgamShape *shape);
void        ngam_shape_add_point       (NgamShape *shape, double x, double y);
void        ngam_shape_finish          (NgamShape *shape);

const char *ngam_shape_type_name       (NgamShapeType type);
double      ngam_shape_length          (const NgamShape *shape);
gboolean    ngam_shape_equal           (const NgamShape *a, const NgamShape *b);

/* WKB (ISO or extended; Z and M are dropped, 2D is kept). */
gboolean    ngam_shape_from_wkb        (NgamShape *shape, const guint8 *wkb, gsize len, gboolean *had_zm, GError **error);
GBytes     *ngam_shape_to_wkb          (const NgamShape *shape);
char       *ngam_shape_to_wkt          (const NgamShape *shape);

/* SpatiaLite's internal BLOB geometry format (what the project file stores). */
GByteArray *ngam_shape_to_spatialite   (const NgamShape *shape, int srid, GByteArray *buffer);
gboolean    ngam_shape_from_spatialite (NgamShape *shape, const guint8 *blob, gsize len, GError **error);

/* GEOS, through this thread's context. */
GEOSGeometry *ngam_shape_to_geos       (const NgamShape *shape, GError **error);
gboolean    ngam_shape_from_geos       (NgamShape *shape, const GEOSGeometry *geom, GError **error);
GEOSGeometry *ngam_geos_from_wkt       (const char *wkt, GError **error);
void        ngam_geos_free             (GEOSGeometry *geom);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamShape, ngam_shape_free)

G_END_DECLS
