/* ngam-crs.h — coordinate reference systems and transforms (PROJ)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NGAM_CRS_ERROR (ngam_crs_error_quark ())

typedef enum
{
  NGAM_CRS_ERROR_UNKNOWN,     /* PROJ does not know the definition */
  NGAM_CRS_ERROR_NOT_METRIC,  /* a project CRS must be projected, in metres */
  NGAM_CRS_ERROR_TRANSFORM,   /* no usable transformation, or a point failed */
  NGAM_CRS_ERROR_EXTENT,      /* the data extent says nothing usable */
} NgamCrsError;

typedef struct _NgamCrs NgamCrs;
typedef struct _NgamTransform NgamTransform;

GQuark         ngam_crs_error_quark        (void);

NgamCrs       *ngam_crs_new                (const char *definition, GError **error);
NgamCrs       *ngam_crs_new_epsg           (int code, GError **error);
void           ngam_crs_free               (NgamCrs *crs);
int            ngam_crs_get_epsg           (const NgamCrs *crs);
const char    *ngam_crs_get_name           (const NgamCrs *crs);
const char    *ngam_crs_get_definition     (const NgamCrs *crs);
gboolean       ngam_crs_is_metric          (const NgamCrs *crs);
gboolean       ngam_crs_is_geographic      (const NgamCrs *crs);
char          *ngam_crs_dup_wkt            (const NgamCrs *crs);
char          *ngam_crs_dup_proj_string    (const NgamCrs *crs);
gboolean       ngam_crs_get_area_of_use    (const NgamCrs *crs, double *west, double *south, double *east, double *north);
gboolean       ngam_crs_equivalent         (const NgamCrs *a, const NgamCrs *b);
gboolean       ngam_crs_get_plausible_box  (const NgamCrs *crs, double box[4]);

int            ngam_crs_choose_for_extent  (double west, double south, double east, double north,
                                            char **reason, GError **error);

NgamTransform *ngam_transform_new          (const NgamCrs *from, const NgamCrs *to, GError **error);
void           ngam_transform_free         (NgamTransform *t);
gboolean       ngam_transform_is_identity  (const NgamTransform *t);
gboolean       ngam_transform_points       (NgamTransform *t, double *xy, gsize n_points, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamCrs, ngam_crs_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamTransform, ngam_transform_free)

G_END_DECLS
