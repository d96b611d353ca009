/* ngam-gdal.c — GDAL's errors captured into GError, and cleanups for
 * GDAL and GEOS handles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-core"

#include "config.h"

#include <cpl_error.h>
#include <glib/gi18n-lib.h>
#include <ogr_srs_api.h>

#include "ngam-context.h"
#include "ngam-gdal.h"

/* The sink keeps GDAL's last failure, or its first warning when nothing
 * failed: the failure is the reason, the warning often says why. */
static void CPL_STDCALL
capture_error (CPLErr      klass,
               CPLErrorNum no,
               const char *msg)
{
  GString *sink = CPLGetErrorHandlerUserData ();

  if (klass >= CE_Failure || sink->len == 0)
    g_string_assign (sink, msg);
  if (klass < CE_Failure)
    g_debug ("GDAL (%d/%d): %s", (int) klass, (int) no, msg);
}

/**
 * ngam_gdal_errors_push:
 * @sink: where GDAL's messages on this thread go until the matching
 *   ngam_gdal_errors_pop(); emptied first
 */
void
ngam_gdal_errors_push (GString *sink)
{
  g_return_if_fail (sink != NULL);
  g_string_truncate (sink, 0);
  CPLErrorReset ();
  CPLPushErrorHandlerEx (capture_error, sink);
}

void
ngam_gdal_errors_pop (void)
{
  CPLPopErrorHandler ();
}

/* Forgets what @sink caught so far (and GDAL's last error on this thread),
 * keeping the handler: for a step whose failure is told on its own, such
 * as closing a dataset, which is when most drivers write. */
void
ngam_gdal_errors_reset (GString *sink)
{
  g_return_if_fail (sink != NULL);
  g_string_truncate (sink, 0);
  CPLErrorReset ();
}

/* Returns: TRUE when GDAL reported a failure (not a warning) on this
 * thread since the push or the last reset. */
gboolean
ngam_gdal_errors_failed (void)
{
  return CPLGetLastErrorType () >= CE_Failure;
}

/* Returns: what GDAL said, or a sentence saying it said nothing. */
const char *
ngam_gdal_errors_reason (const GString *sink)
{
  return sink != NULL && sink->len > 0 ? sink->str : _("GDAL gave no reason");
}

void
ngam_geos_geom_free (GEOSGeometry *geometry)
{
  if (geometry != NULL)
    GEOSGeom_destroy_r (ngam_geos_context (), geometry);
}
