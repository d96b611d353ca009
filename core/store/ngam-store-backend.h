/* ngam-store-backend.h — what a store backend implements
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to core/store.  The public headers (ngam-store.h,
 * ngam-store-sync.h, ngam-results.h, ngam-settings.h) are the store's one
 * face; every call there that touches the database goes through the
 * NgamStoreBackend of the store it is given (ngam-store.c dispatches).
 * The SQLite/SpatiaLite backend (sqlite/) is the only one today; a shared
 * PostGIS backend plugs in by filling another table, and nothing outside
 * core/store changes.
 *
 * A backend's store begins with an NgamStore, and each of its objects
 * (cursor, writer, sync run, nearest lookup, result run, result cursor)
 * with the matching base below: the public calls find the backend through
 * it.  A backend sets @backend, @path, @crs, @srid, @schema_version and
 * @read_only when it opens or creates a project; the accessors read them.
 * Its close frees all of it, those fields included.
 * Each slot has the contract of the public call of the same name
 * (ngam_store_<slot>, or ngam_<slot> for run_ and result_cursor_): the
 * same arguments, the same errors (NGAM_STORE_ERROR), the same ownership.
 * Every slot must be set.
 */
#pragma once

#include "ngam-results.h"
#include "ngam-store-sync.h"
#include "ngam-store.h"

G_BEGIN_DECLS

typedef struct _NgamStoreBackend NgamStoreBackend;

struct _NgamStore
{
  const NgamStoreBackend *backend;
  char                   *path;            /* the file (or, later, the connection) */
  char                   *crs;             /* "EPSG:9214" */
  int                     srid;
  int                     schema_version;
  gboolean                read_only;
};

struct _NgamStoreCursor  { NgamStore *store; };
struct _NgamStoreWriter  { NgamStore *store; };
struct _NgamStoreSync    { NgamStore *store; };
struct _NgamStoreNearest { NgamStore *store; };
struct _NgamRun          { NgamStore *store; };
struct _NgamResultCursor { NgamStore *store; };

/* ngam-store-sync.h's prepared row: a shape in the backend's own encoding
 * (ngam_store_row_prepare() fills it; SQLite: a SpatiaLite blob). */
struct _NgamStoreRow
{
  GByteArray *bytes;
};

struct _NgamStoreBackend
{
  const char *name;   /* "sqlite" */

  /* opening and closing (ngam-store.h); open and create fill the NgamStore */
  NgamStore *(*create) (const char *path, const char *crs, GError **error);
  NgamStore *(*open) (const char *path, NgamStoreOpenFlags flags, GError **error);
  gboolean (*file_is_project) (const char *path);
  void (*close) (NgamStore *store);

  /* the project's settings, as text (ngam-settings.h parses them) */
  char *(*dup_meta) (NgamStore *store, const char *key);
  gboolean (*set_meta) (NgamStore *store, const char *key, const char *value, GError **error);

  /* transactions: nested ones are savepoints */
  gboolean (*begin) (NgamStore *store, GError **error);
  gboolean (*begin_bulk) (NgamStore *store, GError **error);
  gboolean (*commit) (NgamStore *store, GError **error);
  void (*rollback) (NgamStore *store);
  gboolean (*in_transaction) (NgamStore *store);

  /* reading features */
  gint64 (*count) (NgamStore *store, NgamLayerKind kind, GError **error);
  gboolean (*get_extent) (NgamStore *store, int kind, double bbox[4], GError **error);
  gboolean (*check_integrity) (NgamStore *store, char **problems, GError **error);
  NgamFeature *(*get_feature) (NgamStore *store, NgamLayerKind kind, gint64 fid, GError **error);
  NgamStoreCursor *(*query) (NgamStore *store, NgamLayerKind kind, const double *bbox, NgamQueryFlags flags,
                             const NgamQueryFilter *filter, GError **error);
  gboolean (*cursor_next) (NgamStoreCursor *cursor, GError **error);
  const NgamFeature *(*cursor_get) (NgamStoreCursor *cursor);
  void (*cursor_free) (NgamStoreCursor *cursor);
  gboolean (*measure_columns) (NgamStore *store, NgamLayerKind kind, gint64 *widths, GError **error);
  NgamStore *(*open_again) (NgamStore *store, NgamStoreOpenFlags flags, GError **error);
  gboolean (*clear_time_stamps) (NgamStore *store, GError **error);

  /* the bulk writer (import, generator) */
  NgamStoreWriter *(*writer_new) (NgamStore *store, NgamLayerKind kind, GError **error);
  gboolean (*writer_add) (NgamStoreWriter *writer, const NgamFeature *feature, gint64 *fid, GError **error);
  gboolean (*writer_finish) (NgamStoreWriter *writer, GError **error);
  void (*writer_free) (NgamStoreWriter *writer);

  /* journaled edits, undo and redo, row versions */
  gboolean (*edit_begin) (NgamStore *store, const char *label, GError **error);
  gboolean (*edit_insert) (NgamStore *store, NgamFeature *feature, GError **error);
  gboolean (*edit_update) (NgamStore *store, const NgamFeature *feature, GError **error);
  gboolean (*edit_delete) (NgamStore *store, NgamLayerKind kind, gint64 fid, GError **error);
  gint64 (*get_row_version) (NgamStore *store, NgamLayerKind kind, gint64 fid, GError **error);
  gboolean (*edit_update_checked) (NgamStore *store, const NgamFeature *feature, gint64 row_version,
                                   GError **error);
  gboolean (*edit_commit) (NgamStore *store, GError **error);
  void (*edit_abort) (NgamStore *store);
  gboolean (*can_undo) (NgamStore *store);
  gboolean (*can_redo) (NgamStore *store);
  char *(*dup_undo_label) (NgamStore *store);
  char *(*dup_redo_label) (NgamStore *store);
  gboolean (*undo) (NgamStore *store, GError **error);
  gboolean (*redo) (NgamStore *store, GError **error);

  /* other programs' edits and what they leave behind */
  gboolean (*changed_outside) (NgamStore *store, guint *layers, GError **error);
  GPtrArray *(*check) (NgamStore *store, GError **error);

  /* the import log and re-import by source key (ngam-store-sync.h) */
  gint64 (*import_log_begin) (NgamStore *store, const char *source, const char *layer, NgamLayerKind kind,
                              const char *operator_name, GError **error);
  gboolean (*import_log_finish) (NgamStore *store, gint64 import_id, const char *report_json, GError **error);
  GStrv (*import_log_shared_layers) (NgamStore *store, NgamLayerKind kind, GError **error);
  NgamStoreSync *(*sync_new) (NgamStore *store, NgamLayerKind kind, const char *operator_name,
                              gint64 import_id, GError **error);
  void (*sync_set_memory_limit) (NgamStoreSync *sync, gsize max_entries);
  void (*sync_reserve) (NgamStoreSync *sync, gsize n);
  guint64 (*sync_hash_key) (const NgamStoreSync *sync, const char *layer, const char *key);
  void (*sync_prefetch) (NgamStoreSync *sync, guint64 hash, guint64 key_hash);
  gboolean (*sync_is_duplicate) (NgamStoreSync *sync, const NgamFeature *feature, guint64 hash,
                                 gboolean *duplicate, GError **error);
  gboolean (*sync_unique_key) (NgamStoreSync *sync, const char *layer, const char *key, guint64 *key_hash,
                               char **renamed, GError **error);
  gboolean (*sync_put) (NgamStoreSync *sync, NgamFeature *feature, const NgamStoreRow *row, gssize attrs_len,
                        guint64 hash, guint64 key_hash, NgamSyncAction *action, GError **error);
  gboolean (*sync_flush) (NgamStoreSync *sync, GError **error);
  gboolean (*sync_finish) (NgamStoreSync *sync, gboolean retire, GArray *retired_fids, guint max_listed,
                           gint64 *n_retired, GError **error);
  gint64 (*sync_count_existing) (NgamStoreSync *sync);
  gsize (*sync_get_spilled) (NgamStoreSync *sync);
  void (*sync_free) (NgamStoreSync *sync);

  /* a shape encoded ahead of the write, on any thread; the bulk writer's
   * many-row add */
  void (*row_prepare) (NgamStoreRow *row, NgamStore *store, const NgamShape *shape);
  gboolean (*writer_add_many) (NgamStoreWriter *writer, NgamFeature *const *features,
                               const NgamStoreRow *const *rows, const gssize *attrs_lens, guint n,
                               gint64 *fids, GError **error);
  void (*writer_reserve) (NgamStoreWriter *writer, gsize n);

  /* nearest-feature lookups for snapping */
  NgamStoreNearest *(*nearest_new) (NgamStore *store, NgamLayerKind kind, const double *bbox, GError **error);
  NgamStoreNearest *(*nearest_new_limited) (NgamStore *store, NgamLayerKind kind, const double *bbox,
                                            gsize max_points, double tile_side, GError **error);
  void (*nearest_set_lock) (NgamStoreNearest *nearest, GMutex *lock);
  gboolean (*nearest_find) (NgamStoreNearest *nearest, double x, double y, double tolerance, gint64 *fid,
                            double *px, double *py, double *distance, GError **error);
  gboolean (*nearest_any) (const NgamStoreNearest *nearest);
  gsize (*nearest_loaded) (const NgamStoreNearest *nearest);
  gboolean (*nearest_is_tiled) (const NgamStoreNearest *nearest, gsize *loads, double *side);
  void (*nearest_free) (NgamStoreNearest *nearest);

  /* scenarios, runs, result features and styles (ngam-results.h) */
  gint64 (*put_scenario) (NgamStore *store, const char *name, const char *settings, GError **error);
  NgamScenarioInfo *(*get_scenario) (NgamStore *store, const char *name, GError **error);
  GPtrArray *(*list_scenarios) (NgamStore *store, GError **error);
  gboolean (*delete_scenario) (NgamStore *store, const char *name, GError **error);
  GPtrArray *(*list_runs) (NgamStore *store, const char *scenario, const char *job, GError **error);
  NgamRunInfo *(*get_last_run) (NgamStore *store, const char *scenario, const char *job, GError **error);
  NgamRun *(*run_begin) (NgamStore *store, const char *scenario, const char *job, const char *settings,
                         GError **error);
  gint64 (*run_get_id) (NgamRun *run);
  gboolean (*run_add) (NgamRun *run, const NgamResultFeature *feature, GError **error);
  gboolean (*run_commit) (NgamRun *run, const char *summary, GError **error);
  void (*run_abort) (NgamRun *run);
  NgamResultCursor *(*query_results) (NgamStore *store, gint64 run_id, const char *layer, const double *bbox,
                                      GError **error);
  gboolean (*result_cursor_next) (NgamResultCursor *cursor, GError **error);
  const NgamResultFeature *(*result_cursor_get) (NgamResultCursor *cursor);
  void (*result_cursor_free) (NgamResultCursor *cursor);
  gint64 (*count_results) (NgamStore *store, gint64 run_id, const char *layer, GError **error);
  char *(*dup_style) (NgamStore *store, const char *layer, GError **error);
  gboolean (*set_style) (NgamStore *store, const char *layer, const char *style, GError **error);
};

/* The backends there are (each in its own folder here). */
extern const NgamStoreBackend ngam_sqlite_backend;   /* sqlite/ */

/* The backend of a project at @path (today always SQLite's). */
const NgamStoreBackend *ngam_store_backend_for_path (const char *path);

/* How many slots NgamStoreBackend has after @name, and whether the @i-th
 * is set (for the test that every backend sets them all). */
guint                   ngam_store_backend_n_slots  (void);
gboolean                ngam_store_backend_slot_is_set (const NgamStoreBackend *backend, guint i);

/* ngam_store_set_wait_func()'s function, or NULL. */
NgamStoreWaitFunc       ngam_store_get_wait_func    (void);

G_END_DECLS
