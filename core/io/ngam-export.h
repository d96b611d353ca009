/* ngam-export.h — writes a project layer to any OGR vector format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ngam-store.h"

G_BEGIN_DECLS

#define NGAM_EXPORT_ERROR (ngam_export_error_quark ())

typedef enum
{
  NGAM_EXPORT_ERROR_EXISTS,    /* the output (or one of its side files) exists */
  NGAM_EXPORT_ERROR_FORMAT,    /* no OGR driver writes that format */
  NGAM_EXPORT_ERROR_CRS,       /* the target CRS is unknown or unreachable */
  NGAM_EXPORT_ERROR_WRITE,     /* GDAL could not write */
} NgamExportError;

/**
 * NgamExportOptions:
 * @kind: the layer to write
 * @format: (nullable): an OGR driver name ("GPKG", "ESRI Shapefile"…);
 *   %NULL guesses it from the output's extension
 * @crs: (nullable): the CRS to write in ("EPSG:4326"); %NULL keeps the
 *   project's
 * @overwrite: replace an existing output (never a Ngầm project)
 */
typedef struct
{
  NgamLayerKind  kind;
  const char    *format;
  const char    *crs;
  gboolean       overwrite;
} NgamExportOptions;

GQuark       ngam_export_error_quark    (void);

/* The columns written, in order: ngam_fid, operator, source_file,
 * source_layer, source_fid, source_key, then the layer's fields. */
#define NGAM_EXPORT_N_COMMON 6

const char  *ngam_export_guess_format   (const char *path);
GStrv        ngam_export_columns        (NgamLayerKind kind, gboolean short_names);

gboolean     ngam_export_layer          (NgamStore               *store,
                                         const NgamExportOptions *options,
                                         const char              *path,
                                         gint64                  *n_written,
                                         NgamProgressFunc         progress,
                                         gpointer                 progress_data,
                                         GCancellable            *cancellable,
                                         GError                 **error);

G_END_DECLS
