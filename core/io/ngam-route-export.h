/* ngam-route-export.h — writes a path over the street graph to a
 * GeoPackage or GeoJSON file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * core/net finds the path; writing it out through GDAL is core/io's, as
 * for the layers (ngam-export.h), so core/net stays pure computation.
 */
#pragma once

#include "ngam-export.h"
#include "ngam-route.h"

G_BEGIN_DECLS

gboolean    ngam_route_export           (const NgamGraph *graph, const NgamPath *path, const double *costs,
                                         const char *crs, const char *filename, gboolean overwrite,
                                         GError **error);

G_END_DECLS
