/* ngam-import-read.h — turning one source's features into rows for the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ngam-import-pipe.h"
#include "ngam-import-source.h"
#include "ngam-shapefile.h"
#include "ngam-store-sync.h"

G_BEGIN_DECLS

/* What every source of a run shares; read-only while reading, but for the
 * progress count. */
typedef struct
{
  const NgamImportOptions *opt;
  const NgamProfile       *profile;
  const char              *operator_name;
  NgamStoreNearest        *poles;          /* spans: the poles to snap to (the
                                            * reader's: tiles load as it reads) */
  double                   snap_tolerance;
  NgamStore               *store;          /* for ngam_store_row_prepare() only */
  const NgamCrs           *project_crs;
  double                   project_box[4]; /* where features may land: the project
                                            * CRS's area of use, widened */
  NgamImportPipe          *pipe;
  const NgamStoreSync     *sync;           /* for key hashes only */
  NgamProgressFunc         progress;
  gpointer                 progress_data;
  GCancellable            *cancellable;
  gint64                   total;          /* features in all sources, or 0 */
  gint64                   done;
} NgamImportContext;

typedef struct _NgamImportReader NgamImportReader;

/* Where a model field's value comes from in one source. */
typedef struct
{
  int                     field;    /* model field index */
  const NgamProfileField *pf;       /* nullable */
  GArray                 *src;      /* int: source field index, or -1 - tag index */
  GPtrArray              *tags;     /* tag names for tag refs */
  GArray                 *special;  /* NgamSourceRefType per ref */
} NgamImportFieldMap;

struct _NgamImportReader
{
  NgamImportSource *src;
  guint             index;
  int               n_fields;
  char            **names;           /* decoded field names */
  char            **json_names;      /* the same, as escaped JSON keys with ':' */
  gsize            *json_name_len;
  OGRFieldType     *types;
  int               other_tags;      /* field index, or -1 */
  GArray           *maps;            /* NgamImportFieldMap */
  GArray           *key_src;         /* int per key ref (as NgamImportFieldMap.src) */
  GPtrArray        *key_tags;
  GArray           *key_special;
  GArray           *filter_src;      /* int per profile filter */
  GPtrArray        *filter_tags;
  /* the profile's operator_field: empty when the run does not use it */
  GArray           *op_src;          /* int per ref (as NgamImportFieldMap.src) */
  GPtrArray        *op_tags;
  GArray           *op_special;
  GHashTable       *op_names;        /* every operator name given to a row:
                                      * rows borrow them until the reader
                                      * is freed (owned keys) */
  GHashTable       *op_cache;        /* field text → its operator (in
                                      * op_names, or NULL for none) */
  const char       *op_fallback;     /* in op_names; NULL for none */
  GString          *op_text;
  /* per-feature buffers, reused */
  NgamFeature      *feature;         /* what all pieces of a feature share */
  NgamShape        *shape;
  NgamShape        *piece;
  NgamShape        *line;
  GByteArray       *wkb;
  GString          *attrs;
  GString          *key;
  GString          *piece_key;
  GString          *vals;            /* field texts, NUL-separated */
  gssize           *voff;            /* per field: offset in vals, or -1 */
  double           *vnum;            /* per field: its number, or NaN */
  GHashTable       *examples;        /* codes whose example the report has */
  NgamImportBatch  *batch;           /* being filled, or NULL */
  NgamShpFile      *shp;             /* while reading a shapefile without OGR */
  gint64            n_read;
};

/* ngam-import-map.c */
void      ngam_import_json_escape       (GString *out, const char *s, gssize len);

/* ngam-import-geom.c */
void      ngam_import_extract_part      (const NgamShape *s, guint part, NgamShapeType want, NgamShape *out);
gboolean  ngam_import_repair_polygon    (NgamShape *piece, char **reason, gboolean *repaired, GError **error);
gboolean  ngam_import_point_on_surface  (NgamShape *s, GError **error);
guint     ngam_import_distinct_points   (const NgamShape *s);
gboolean  ngam_import_finite_shape      (const NgamShape *s);
void      ngam_import_shape_assign      (NgamShape *dst, const NgamShape *src);

static inline gboolean
ngam_import_polygon_shape (NgamShapeType t)
{
  return t == NGAM_SHAPE_POLYGON || t == NGAM_SHAPE_MULTIPOLYGON;
}


NgamImportReader *ngam_import_reader_new  (const NgamImportContext *ctx, NgamImportSource *src, guint index,
                                           GError **error);
const char       *ngam_import_reader_intern_operator (NgamImportReader *reader, const char *name);
gboolean          ngam_import_reader_run  (NgamImportReader *reader, NgamImportContext *ctx, GError **error);
void              ngam_import_reader_free (NgamImportReader *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamImportReader, ngam_import_reader_free)

G_END_DECLS
