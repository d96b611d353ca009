/* ngam-import-read.h — turning one source's features into rows for the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ngam-import-source.h"
#include "ngam-store-sync.h"

G_BEGIN_DECLS

/* What every source of a run shares; read-only while reading, but for the
 * progress count. */
typedef struct
{
  const NgamImportOptions *opt;
  const NgamProfile       *profile;
  const char              *operator_name;
  const NgamStoreNearest  *poles;          /* spans: the poles to snap to */
  double                   snap_tolerance;
  int                      srid;           /* the project's, for SpatiaLite blobs */
  NgamImportPipe          *pipe;
  const NgamStoreSync     *sync;           /* for key hashes only */
  NgamProgressFunc         progress;
  gpointer                 progress_data;
  GCancellable            *cancellable;
  gint64                   total;          /* features in all sources, or 0 */
  gint64                   done;
} NgamImportContext;

typedef struct _NgamImportReader NgamImportReader;

NgamImportReader *ngam_import_reader_new  (const NgamImportContext *ctx, NgamImportSource *src, guint index);
gboolean          ngam_import_reader_run  (NgamImportReader *reader, NgamImportContext *ctx, GError **error);
void              ngam_import_reader_free (NgamImportReader *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamImportReader, ngam_import_reader_free)

G_END_DECLS
