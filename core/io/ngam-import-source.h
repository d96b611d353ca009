/* ngam-import-source.h — opening a source: archives, layers, CRS, encoding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gdal.h>
#include <ogr_api.h>

#include "ngam-crs.h"
#include "ngam-gdal.h"
#include "ngam-encoding.h"
#include "ngam-import-private.h"
#include "ngam-profile.h"

G_BEGIN_DECLS

typedef struct
{
  char                   *display;       /* for people: path, or archive/member */
  char                   *open_path;     /* for GDAL */
  char                   *tmpdir;        /* a copy with a rebuilt .shx, or NULL */
  GDALDatasetH            ds;
  OGRLayerH               layer;
  char                   *layer_name;
  gint64                  n_features;    /* -1 when GDAL cannot tell cheaply */
  char                   *crs_definition;
  NgamCrs                *crs;
  NgamTransform          *transform;     /* to the project CRS */
  double                  plausible[4];  /* where coordinates may be, source CRS */
  char                   *declared_encoding;
  char                   *declared_by;
  NgamDecoder            *decoder;
  NgamImportSourceReport *report;        /* borrowed */
} NgamImportSource;

NgamImportSource *ngam_import_source_open (const char *path, const NgamImportOptions *options,
                                           const NgamProfile *profile, const NgamCrs *project_crs,
                                           NgamImportSourceReport *report, GError **error);
void              ngam_import_source_free (NgamImportSource *source);


G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamImportSource, ngam_import_source_free)

G_END_DECLS
