/* ngam-import-pipe.h — the import's bounded queue of batches and its
 * writer thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Layering: ngam-import.c → ngam-import-read.c → ngam-import-pipe.c (and
 * ngam-import.c → the pipe, to make, start and close it).  The pipe calls
 * neither the reader nor the run.
 */
#pragma once

#include "ngam-import-source.h"
#include "ngam-store-sync.h"

G_BEGIN_DECLS

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

/* ngam-import.c: the pipe's life */
NgamImportPipe  *ngam_import_pipe_new    (NgamStoreSync *sync, NgamStore *store, GPtrArray *sources);
GMutex          *ngam_import_pipe_store_lock (NgamImportPipe *pipe);
gboolean         ngam_import_pipe_start  (NgamImportPipe *pipe, GError **error);
gboolean         ngam_import_pipe_close  (NgamImportPipe *pipe, GError **error);
void             ngam_import_pipe_free   (NgamImportPipe *pipe);

/* ngam-import-read.c: filling batches */
NgamImportBatch *ngam_import_pipe_get    (NgamImportPipe *pipe);
void             ngam_import_pipe_put    (NgamImportPipe *pipe, NgamImportBatch *batch);
NgamImportRow   *ngam_import_batch_add   (NgamImportBatch *batch, NgamLayerKind kind);
void             ngam_import_row_release (NgamFeature *feature);
gboolean         ngam_import_pipe_writer_busy (NgamImportPipe *pipe);
void             ngam_import_batch_note  (NgamImportBatch *batch, const char *code, gboolean skipped,
                                          gint64 fid, char *example);
void             ngam_import_row_prepare (NgamImportRow *row, const NgamStoreSync *sync, NgamStore *store);

double           ngam_import_thread_cpu_seconds (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamImportPipe, ngam_import_pipe_free)

G_END_DECLS
