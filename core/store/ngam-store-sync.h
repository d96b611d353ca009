/* ngam-store-sync.h — re-import: match features by source key, update,
 * add and retire; the import log; nearest-feature lookups for snapping
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ngam-store.h"

G_BEGIN_DECLS

typedef enum
{
  NGAM_SYNC_ADDED,       /* a key the project did not have */
  NGAM_SYNC_UPDATED,     /* same key, different content */
  NGAM_SYNC_UNCHANGED,   /* same key, same content: nothing written */
  NGAM_SYNC_RESTORED,    /* same key, was retired by an earlier import */
} NgamSyncAction;

/* The run's two maps (content hash → fid, key hash → fid) keep this many
 * entries each in memory (2 MiB of slots), then spill to sorted runs in a
 * temporary file behind a Bloom filter of at most twice that memory. */
#define NGAM_STORE_SYNC_MAX_ENTRIES ((gsize) 3 << 16)
/* The pole grid keeps at most this many points in memory (28 bytes each
 * and its cells', 14 to 22 MiB); past it, tiles load on demand from the
 * R*Tree. */
#define NGAM_STORE_NEAREST_MAX_POINTS ((gsize) 1 << 19)

typedef struct _NgamStoreSync NgamStoreSync;
typedef struct _NgamStoreNearest NgamStoreNearest;
typedef struct _NgamStoreRow NgamStoreRow;

gint64          ngam_store_import_log_begin  (NgamStore *store, const char *source, const char *layer,
                                              NgamLayerKind kind, const char *operator_name, GError **error);
gboolean        ngam_store_import_log_finish (NgamStore *store, gint64 import_id, const char *report_json,
                                              GError **error);
GStrv           ngam_store_import_log_shared_layers (NgamStore *store, NgamLayerKind kind, GError **error);

NgamStoreSync  *ngam_store_sync_new          (NgamStore *store, NgamLayerKind kind, const char *operator_name,
                                              gint64 import_id, GError **error);
void            ngam_store_sync_set_memory_limit (NgamStoreSync *sync, gsize max_entries);
void            ngam_store_sync_reserve      (NgamStoreSync *sync, gsize n);
guint64         ngam_store_sync_hash_key     (const NgamStoreSync *sync, const char *layer, const char *key);
void            ngam_store_sync_prefetch     (NgamStoreSync *sync, guint64 hash, guint64 key_hash);
gboolean        ngam_store_sync_is_duplicate (NgamStoreSync *sync, const NgamFeature *feature, guint64 hash,
                                              gboolean *duplicate, GError **error);
gboolean        ngam_store_sync_unique_key   (NgamStoreSync *sync, const char *layer, const char *key,
                                              guint64 *key_hash, char **renamed, GError **error);
gboolean        ngam_store_sync_put          (NgamStoreSync *sync, NgamFeature *feature, const NgamStoreRow *row,
                                              gssize attrs_len, guint64 hash, guint64 key_hash,
                                              NgamSyncAction *action, GError **error);
gboolean        ngam_store_sync_flush        (NgamStoreSync *sync, GError **error);
gboolean        ngam_store_sync_finish       (NgamStoreSync *sync, gboolean retire, GArray *retired_fids,
                                              guint max_listed, gint64 *n_retired, GError **error);
gint64          ngam_store_sync_count_existing (NgamStoreSync *sync);
gsize           ngam_store_sync_get_spilled  (NgamStoreSync *sync);
void            ngam_store_sync_free         (NgamStoreSync *sync);

guint64         ngam_hash64                  (guint64 seed, const void *data, gsize len);

/* A feature's shape as the store keeps it, made ahead of the write on
 * any thread (the importer's readers make theirs in parallel): what the
 * bulk calls below take instead of the shape.  Opaque, so that another
 * backend keeps another encoding (sqlite/ngam-sqlite-writer.c). */
NgamStoreRow   *ngam_store_row_new           (void);
void            ngam_store_row_prepare       (NgamStoreRow *row, NgamStore *store, const NgamShape *shape);
void            ngam_store_row_free          (NgamStoreRow *row);

/* The bulk writer's many-row INSERT (sqlite/ngam-sqlite-writer.c), for the import. */
#define NGAM_STORE_WRITER_MAX_BATCH 32
gboolean        ngam_store_writer_add_many   (NgamStoreWriter *writer, NgamFeature *const *features,
                                              const NgamStoreRow *const *rows, const gssize *attrs_lens, guint n,
                                              gint64 *fids, GError **error);
void            ngam_store_writer_reserve    (NgamStoreWriter *writer, gsize n);

NgamStoreNearest *ngam_store_nearest_new     (NgamStore *store, NgamLayerKind kind, const double *bbox,
                                              GError **error);
NgamStoreNearest *ngam_store_nearest_new_limited (NgamStore *store, NgamLayerKind kind, const double *bbox,
                                                  gsize max_points, double tile_side, GError **error);
void            ngam_store_nearest_set_lock  (NgamStoreNearest *nearest, GMutex *lock);
gboolean        ngam_store_nearest_find      (NgamStoreNearest *nearest, double x, double y, double tolerance,
                                              gint64 *fid, double *px, double *py, double *distance,
                                              GError **error);
gboolean        ngam_store_nearest_any       (const NgamStoreNearest *nearest);
gsize           ngam_store_nearest_loaded    (const NgamStoreNearest *nearest);
gboolean        ngam_store_nearest_is_tiled  (const NgamStoreNearest *nearest, gsize *loads, double *side);
void            ngam_store_nearest_free      (NgamStoreNearest *nearest);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamStoreSync, ngam_store_sync_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamStoreRow, ngam_store_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamStoreNearest, ngam_store_nearest_free)

G_END_DECLS
