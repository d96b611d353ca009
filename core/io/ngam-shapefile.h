/* ngam-shapefile.h — reading a shapefile's records without OGR
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The import's fast path for the commonest source (see ngam-shapefile.c):
 * the .shx, .shp and .dbf read in large blocks through GDAL's VSI (so also
 * inside a .zip), each record given as OGR would give it: the feature id,
 * the .dbf record's bytes, and the shape as ISO WKB.  Whatever it does not
 * read exactly as OGR does is left to OGR: a whole file (open returns
 * NULL, saying why), or one record (NGAM_SHP_ASK_OGR).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _NgamShpFile NgamShpFile;

typedef enum
{
  NGAM_SHP_SHAPE,     /* wkb holds the shape */
  NGAM_SHP_NULL,      /* a null shape: no geometry */
  NGAM_SHP_DELETED,   /* deleted in the .dbf: OGR skips it */
  NGAM_SHP_ASK_OGR    /* a record this reader does not read as OGR would */
} NgamShpStatus;

typedef struct
{
  gint64         fid;        /* the record's index, OGR's FID */
  NgamShpStatus  status;
  const guint8  *dbf;        /* the .dbf record (its deletion flag first);
                              * valid until the next call */
  GByteArray    *wkb;        /* the reader's: valid until the next call */
} NgamShpRecord;

/* A field of the .dbf, as its header declares it. */
typedef struct
{
  char   type;               /* 'C', 'N' or 'F' */
  guint  offset;             /* in the record, after the deletion flag */
  guint  width;
} NgamShpField;

NgamShpFile        *ngam_shp_open        (const char *shp_path, char **why_not);
gint64              ngam_shp_n_records   (const NgamShpFile *file);
guint               ngam_shp_n_fields    (const NgamShpFile *file);
const NgamShpField *ngam_shp_fields      (const NgamShpFile *file);
gboolean            ngam_shp_next        (NgamShpFile *file, NgamShpRecord *record);
void                ngam_shp_close       (NgamShpFile *file);

char               *ngam_shp_sibling     (const char *shp_path, const char *ext);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamShpFile, ngam_shp_close)

G_END_DECLS
