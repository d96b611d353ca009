/* ngam-import-private.h — shared between the import's files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ngam-import.h"
#include "ngam-store-sync.h"

G_BEGIN_DECLS

NgamImportReport       *ngam_import_report_new          (void);
NgamImportSourceReport *ngam_import_source_report_new   (const char *path);
void                    ngam_import_source_report_free  (NgamImportSourceReport *report);
void                    ngam_import_note                (NgamImportSourceReport *report, const char *code,
                                                         gboolean skipped, gint64 fid, const char *example);
gboolean                ngam_import_wants_example       (NgamImportSourceReport *report, const char *code);
gint64                 *ngam_import_operator_count      (NgamImportSourceReport *report, const char *operator_name);

/* Suggested source field for a model field when no profile maps it. */
const char *const      *ngam_import_synonyms            (const char *model_field);
char                   *ngam_import_fold_name           (const char *name);
char                   *ngam_hstore_get                 (const char *hstore, const char *key);

/* ---- the pipeline: a reader thread fills batches, the writer empties them
 * (ngam-import.c) --------------------------------------------------------- */

/* Something to tell about a feature, in the order the reader met it: the
 * writer replays it into the source's report before row @row. */
typedef struct
{
  guint        row;
  const char  *code;      /* static */
  gboolean     skipped;
  gint64       fid;
  char        *example;   /* owned, nullable */
} NgamImportNote;

/* One feature (or piece of one) ready for the store: everything but its
 * final key (the writer makes it unique) and its fid. */
typedef struct
{
  NgamFeature *feature;   /* owned slot, reused from batch to batch */
  guint64      hash;      /* of its shape and raw attributes */
  guint64      key_hash;  /* of its source key in the run's scope */
  NgamStoreRow *stored;   /* its shape as the store keeps it */
  gssize       attrs_len; /* the length of feature->attrs */
  gboolean     prepared;  /* hash, key_hash and stored are made */
  gsize       *caps;      /* sizes of the slot's buffers: attrs, key, values */
  const char  *key_buf;   /* the key buffer caps[1] is the size of */
} NgamImportRow;

typedef struct
{
  guint          source;      /* index of the source (and its report) */
  NgamImportRow *rows;
  guint          n_rows;
  guint          cap_rows;
  GArray        *notes;       /* NgamImportNote */
  gint64         read, filtered, repaired;
  gboolean       prepare;     /* the reader prepares its rows */
  gboolean       end;         /* no more batches after this one */
} NgamImportBatch;

typedef struct _NgamImportPipe NgamImportPipe;

NgamImportBatch *ngam_import_pipe_get    (NgamImportPipe *pipe);
void             ngam_import_pipe_put    (NgamImportPipe *pipe, NgamImportBatch *batch);
NgamImportRow   *ngam_import_batch_add   (NgamImportBatch *batch, NgamLayerKind kind);
void             ngam_import_row_release (NgamFeature *feature);
gboolean         ngam_import_pipe_writer_busy (NgamImportPipe *pipe);
void             ngam_import_batch_note  (NgamImportBatch *batch, const char *code, gboolean skipped,
                                          gint64 fid, char *example);

G_END_DECLS
