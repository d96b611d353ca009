/* ngam-sqlite-private.h — the SQLite/SpatiaLite backend, inside core/store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Included by the backend's own files (core/store/sqlite/) and by tests
 * that look at the file itself; nothing else in the tree may include it,
 * nor sqlite3.h or spatialite.h (the build test store-private-stays-private
 * says so).  core/store/sqlite is not on the include path: a module that
 * wants it has to name the folder.
 */
#pragma once

#include <sqlite3.h>

#include "ngam-store-backend.h"

G_BEGIN_DECLS

typedef struct _NgamSqliteStore NgamSqliteStore;

struct _NgamSqliteStore
{
  NgamStore parent;        /* first: its backend, path, CRS */
  sqlite3  *db;
  void     *spatialite_cache;
  guint     depth;         /* open savepoints */
  gboolean  bulk;          /* the open transaction writes through a rollback
                            * journal: WAL comes back when it ends */
  gint64    edit_id;       /* open journaled edit, or 0 */
  guint     edit_seq;
  struct _NgamSqliteRun *run;  /* open result run (ngam-sqlite-results.c), or NULL */
  /* ngam_sqlite_changed_outside() (ngam-sqlite-check.c): what the last call
   * saw, once it has been called */
  gboolean  watching;
  gint64    data_version;
  char     *stamps[NGAM_N_LAYERS];   /* SpatiaLite's edit times of each layer */
  char     *users_key;     /* its file in the process's table of open files
                            * (ngam-sqlite-store.c, users_register()) */
};

/* The store as this backend's: only for stores it opened. */
#define NGAM_SQLITE(store) ((NgamSqliteStore *) (store))

sqlite3  *ngam_sqlite_get_db        (NgamStore *store);
void      ngam_sqlite_writer_set_sort_memory (NgamStoreWriter *writer, gsize bytes);
gboolean  ngam_sqlite_exec          (NgamStore *store, const char *sql, GError **error);
gboolean  ngam_sqlite_set_sql_error (NgamStore *store, GError **error, const char *what);
gboolean  ngam_sqlite_schema_create (NgamStore *store, const char *crs, GError **error);
gboolean  ngam_sqlite_schema_migrate (NgamStore *store, int from, GError **error);
void      ngam_sqlite_watch_own_commit (NgamStore *store);
void      ngam_sqlite_watch_clear   (NgamStore *store);

static inline void
ngam_sqlite_finalize (sqlite3_stmt *stmt)
{
  sqlite3_finalize (stmt);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, ngam_sqlite_finalize)

/* The column order every full-row statement uses: the nine common columns,
 * then the layer's fields, then geom. */
#define NGAM_STORE_N_COMMON 9
char     *ngam_sqlite_columns_sql   (NgamLayerKind kind);
gboolean  ngam_sqlite_read_row      (NgamStore *store, sqlite3_stmt *st, NgamFeature *f, gboolean full, GError **error);
void      ngam_sqlite_bind_row      (NgamStore *store, sqlite3_stmt *st, const NgamFeature *f, GByteArray *blob);
void      ngam_sqlite_bind_row_at   (sqlite3_stmt *st, int base, const NgamFeature *f, const GByteArray *blob,
                                     gssize attrs_len);

/* The backend's slots (ngam-sqlite-backend.c puts them in its table), each
 * the public call of the same name without the backend. */
NgamStore *ngam_sqlite_create (const char *path, const char *crs, GError **error);
NgamStore *ngam_sqlite_open (const char *path, NgamStoreOpenFlags flags, GError **error);
gboolean ngam_sqlite_file_is_project (const char *path);
void ngam_sqlite_close (NgamStore *store);
char *ngam_sqlite_dup_meta (NgamStore *store, const char *key);
gboolean ngam_sqlite_set_meta (NgamStore *store, const char *key, const char *value, GError **error);
gboolean ngam_sqlite_begin (NgamStore *store, GError **error);
gboolean ngam_sqlite_begin_bulk (NgamStore *store, GError **error);
gboolean ngam_sqlite_commit (NgamStore *store, GError **error);
void ngam_sqlite_rollback (NgamStore *store);
gboolean ngam_sqlite_in_transaction (NgamStore *store);
gint64 ngam_sqlite_count (NgamStore *store, NgamLayerKind kind, GError **error);
gboolean ngam_sqlite_get_extent (NgamStore *store, int kind, double bbox[4], GError **error);
gboolean ngam_sqlite_check_integrity (NgamStore *store, char **problems, GError **error);
NgamFeature *ngam_sqlite_get_feature (NgamStore *store, NgamLayerKind kind, gint64 fid, GError **error);
NgamStoreCursor *ngam_sqlite_query (NgamStore *store, NgamLayerKind kind, const double *bbox, NgamQueryFlags flags,
                                    const NgamQueryFilter *filter, GError **error);
gboolean ngam_sqlite_cursor_next (NgamStoreCursor *cursor, GError **error);
const NgamFeature *ngam_sqlite_cursor_get (NgamStoreCursor *cursor);
void ngam_sqlite_cursor_free (NgamStoreCursor *cursor);
gboolean ngam_sqlite_measure_columns (NgamStore *store, NgamLayerKind kind, gint64 *widths, GError **error);
NgamStore *ngam_sqlite_open_again (NgamStore *store, NgamStoreOpenFlags flags, GError **error);
gboolean ngam_sqlite_clear_time_stamps (NgamStore *store, GError **error);
NgamStoreWriter *ngam_sqlite_writer_new (NgamStore *store, NgamLayerKind kind, GError **error);
gboolean ngam_sqlite_writer_add (NgamStoreWriter *writer, const NgamFeature *feature, gint64 *fid, GError **error);
gboolean ngam_sqlite_writer_finish (NgamStoreWriter *writer, GError **error);
void ngam_sqlite_writer_free (NgamStoreWriter *writer);
gboolean ngam_sqlite_edit_begin (NgamStore *store, const char *label, GError **error);
gboolean ngam_sqlite_edit_insert (NgamStore *store, NgamFeature *feature, GError **error);
gboolean ngam_sqlite_edit_update (NgamStore *store, const NgamFeature *feature, GError **error);
gboolean ngam_sqlite_edit_delete (NgamStore *store, NgamLayerKind kind, gint64 fid, GError **error);
gint64 ngam_sqlite_get_row_version (NgamStore *store, NgamLayerKind kind, gint64 fid, GError **error);
gboolean ngam_sqlite_edit_update_checked (NgamStore *store, const NgamFeature *feature, gint64 row_version, GError **error);
gboolean ngam_sqlite_edit_commit (NgamStore *store, GError **error);
void ngam_sqlite_edit_abort (NgamStore *store);
gboolean ngam_sqlite_can_undo (NgamStore *store);
gboolean ngam_sqlite_can_redo (NgamStore *store);
char *ngam_sqlite_dup_undo_label (NgamStore *store);
char *ngam_sqlite_dup_redo_label (NgamStore *store);
gboolean ngam_sqlite_undo (NgamStore *store, GError **error);
gboolean ngam_sqlite_redo (NgamStore *store, GError **error);
gboolean ngam_sqlite_changed_outside (NgamStore *store, guint *layers, GError **error);
GPtrArray *ngam_sqlite_check (NgamStore *store, GError **error);
gint64 ngam_sqlite_import_log_begin (NgamStore *store, const char *source, const char *layer, NgamLayerKind kind, const char *operator_name, GError **error);
gboolean ngam_sqlite_import_log_finish (NgamStore *store, gint64 import_id, const char *report_json, GError **error);
GStrv ngam_sqlite_import_log_shared_layers (NgamStore *store, NgamLayerKind kind, GError **error);
NgamStoreSync *ngam_sqlite_sync_new (NgamStore *store, NgamLayerKind kind, const char *operator_name, gint64 import_id, GError **error);
void ngam_sqlite_sync_set_memory_limit (NgamStoreSync *sync, gsize max_entries);
void ngam_sqlite_sync_reserve (NgamStoreSync *sync, gsize n);
guint64 ngam_sqlite_sync_hash_key (const NgamStoreSync *sync, const char *layer, const char *key);
void ngam_sqlite_sync_prefetch (NgamStoreSync *sync, guint64 hash, guint64 key_hash);
gboolean ngam_sqlite_sync_is_duplicate (NgamStoreSync *sync, const NgamFeature *feature, guint64 hash, gboolean *duplicate, GError **error);
gboolean ngam_sqlite_sync_unique_key (NgamStoreSync *sync, const char *layer, const char *key, guint64 *key_hash, char **renamed, GError **error);
gboolean ngam_sqlite_sync_put (NgamStoreSync *sync, NgamFeature *feature, const NgamStoreRow *row, gssize attrs_len, guint64 hash, guint64 key_hash, NgamSyncAction *action, GError **error);
gboolean ngam_sqlite_sync_flush (NgamStoreSync *sync, GError **error);
gboolean ngam_sqlite_sync_finish (NgamStoreSync *sync, gboolean retire, GArray *retired_fids, guint max_listed, gint64 *n_retired, GError **error);
gint64 ngam_sqlite_sync_count_existing (NgamStoreSync *sync);
gsize ngam_sqlite_sync_get_spilled (NgamStoreSync *sync);
void ngam_sqlite_sync_free (NgamStoreSync *sync);
void ngam_sqlite_row_prepare (NgamStoreRow *row, NgamStore *store, const NgamShape *shape);
gboolean ngam_sqlite_writer_add_many (NgamStoreWriter *writer, NgamFeature *const *features, const NgamStoreRow *const *rows, const gssize *attrs_lens, guint n, gint64 *fids, GError **error);
void ngam_sqlite_writer_reserve (NgamStoreWriter *writer, gsize n);
NgamStoreNearest *ngam_sqlite_nearest_new (NgamStore *store, NgamLayerKind kind, const double *bbox, GError **error);
NgamStoreNearest *ngam_sqlite_nearest_new_limited (NgamStore *store, NgamLayerKind kind, const double *bbox, gsize max_points, double tile_side, GError **error);
void ngam_sqlite_nearest_set_lock (NgamStoreNearest *nearest, GMutex *lock);
gboolean ngam_sqlite_nearest_find (NgamStoreNearest *nearest, double x, double y, double tolerance, gint64 *fid, double *px, double *py, double *distance, GError **error);
gboolean ngam_sqlite_nearest_any (const NgamStoreNearest *nearest);
gsize ngam_sqlite_nearest_loaded (const NgamStoreNearest *nearest);
gboolean ngam_sqlite_nearest_is_tiled (const NgamStoreNearest *nearest, gsize *loads, double *side);
void ngam_sqlite_nearest_free (NgamStoreNearest *nearest);
gint64 ngam_sqlite_put_scenario (NgamStore *store, const char *name, const char *settings, GError **error);
NgamScenarioInfo *ngam_sqlite_get_scenario (NgamStore *store, const char *name, GError **error);
GPtrArray *ngam_sqlite_list_scenarios (NgamStore *store, GError **error);
gboolean ngam_sqlite_delete_scenario (NgamStore *store, const char *name, GError **error);
GPtrArray *ngam_sqlite_list_runs (NgamStore *store, const char *scenario, const char *job, GError **error);
NgamRunInfo *ngam_sqlite_get_last_run (NgamStore *store, const char *scenario, const char *job, GError **error);
NgamRun *ngam_sqlite_run_begin (NgamStore *store, const char *scenario, const char *job, const char *settings, GError **error);
gint64 ngam_sqlite_run_get_id (NgamRun *run);
gboolean ngam_sqlite_run_add (NgamRun *run, const NgamResultFeature *feature, GError **error);
gboolean ngam_sqlite_run_commit (NgamRun *run, const char *summary, GError **error);
void ngam_sqlite_run_abort (NgamRun *run);
NgamResultCursor *ngam_sqlite_query_results (NgamStore *store, gint64 run_id, const char *layer, const double *bbox, GError **error);
gboolean ngam_sqlite_result_cursor_next (NgamResultCursor *cursor, GError **error);
const NgamResultFeature *ngam_sqlite_result_cursor_get (NgamResultCursor *cursor);
void ngam_sqlite_result_cursor_free (NgamResultCursor *cursor);
gint64 ngam_sqlite_count_results (NgamStore *store, gint64 run_id, const char *layer, GError **error);
char *ngam_sqlite_dup_style (NgamStore *store, const char *layer, GError **error);
gboolean ngam_sqlite_set_style (NgamStore *store, const char *layer, const char *style, GError **error);

G_END_DECLS
