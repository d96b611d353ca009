/* ngam-gdal.h — GDAL's errors captured into GError, and cleanups for
 * GDAL and GEOS handles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GDAL reports through a per-thread error handler stack; every module that
 * calls GDAL pushes one sink around the calls and turns what it caught
 * into its own GError, so a message names the file and says what GDAL
 * said, whatever the module:
 *
 *   g_autoptr(GString) sink = g_string_new (NULL);
 *
 *   ngam_gdal_errors_push (sink);
 *   … GDAL calls; on a failure, ngam_gdal_errors_reason (sink) …
 *   ngam_gdal_errors_reset (sink);   (before a step judged on its own:
 *   GDALClose (ds);                   what failed there, and only that)
 *   if (ngam_gdal_errors_failed ()) …
 *   ngam_gdal_errors_pop ();
 */
#pragma once

#include <gdal.h>
#include <geos_c.h>
#include <glib.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

G_BEGIN_DECLS

void        ngam_gdal_errors_push   (GString *sink);
void        ngam_gdal_errors_pop    (void);
void        ngam_gdal_errors_reset  (GString *sink);
gboolean    ngam_gdal_errors_failed (void);
const char *ngam_gdal_errors_reason (const GString *sink);

void        ngam_geos_geom_free     (GEOSGeometry *geometry);

/* g_auto(GDALDatasetH) ds = GDALOpenEx (…); closes the dataset on scope exit. */
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (GDALDatasetH, GDALClose, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (OGRFeatureH, OGR_F_Destroy, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (OGRGeometryH, OGR_G_DestroyGeometry, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (OGRSpatialReferenceH, OSRRelease, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (OGRCoordinateTransformationH, OCTDestroyCoordinateTransformation, NULL)
/* g_autoptr(GEOSGeometry) g = …; destroyed in this thread's GEOS context. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GEOSGeometry, ngam_geos_geom_free)

G_END_DECLS
