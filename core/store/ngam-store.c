/* ngam-store.c — the store's public face: every call goes to the store's backend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The public headers (ngam-store.h, ngam-store-sync.h, ngam-results.h)
 * name no database type; each call that reads or writes the project is
 * passed on to the NgamStoreBackend the store was opened with
 * (ngam-store-backend.h), found through the store or through the object
 * (cursor, writer, run, …) it is made on.  What is the same for every
 * backend lives here: the error domain, the accessors of what a backend
 * sets when it opens a project, the prepared row's bytes, the freeing of
 * plain result structs, the hash the importer and the sync run share.
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include <stddef.h>
#include <string.h>

#include "ngam-store-backend.h"

G_DEFINE_QUARK (ngam-store-error-quark, ngam_store_error)

/* ---- backends ------------------------------------------------------- */

/**
 * ngam_store_backend_for_path:
 * @path: a project file
 *
 * A project is one SQLite file today; a shared PostGIS project will be
 * named by a connection string its backend recognises.
 */
const NgamStoreBackend *
ngam_store_backend_for_path (const char *path)
{
  return &ngam_sqlite_backend;
}

typedef void (*NgamStoreSlot) (void);

guint
ngam_store_backend_n_slots (void)
{
  return (sizeof (NgamStoreBackend) - G_STRUCT_OFFSET (NgamStoreBackend, create)) / sizeof (NgamStoreSlot);
}

/* TRUE when slot @i (counted after @name) of @backend is set. */
gboolean
ngam_store_backend_slot_is_set (const NgamStoreBackend *backend,
                                guint                   i)
{
  NgamStoreSlot slot;

  g_return_val_if_fail (i < ngam_store_backend_n_slots (), FALSE);
  memcpy (&slot, (const char *) backend + G_STRUCT_OFFSET (NgamStoreBackend, create) + i * sizeof slot,
          sizeof slot);
  return slot != NULL;
}

static NgamStoreWaitFunc wait_func;

/**
 * ngam_store_set_wait_func:
 * @func: (nullable): called once when a read-write open has to wait for
 *   another program's write lock, with the file's path
 *
 * For the batch CLI, which tells its user what it waits for.
 */
void
ngam_store_set_wait_func (NgamStoreWaitFunc func)
{
  wait_func = func;
}

NgamStoreWaitFunc
ngam_store_get_wait_func (void)
{
  return wait_func;
}

/* ---- opening -------------------------------------------------------- */

/**
 * ngam_store_create:
 * @path: the new file; refused if it exists
 * @crs: the project CRS ("EPSG:9214"); must be projected, in metres
 *
 * Creates an empty project with every layer table.  Nothing is left behind
 * on failure.
 *
 * Returns: (transfer full): the open store, or %NULL with @error set.
 */
NgamStore *
ngam_store_create (const char  *path,
                   const char  *crs,
                   GError     **error)
{
  g_return_val_if_fail (path != NULL && crs != NULL, NULL);
  return ngam_store_backend_for_path (path)->create (path, crs, error);
}

/**
 * ngam_store_open:
 *
 * Opens a project.  Read-write opens migrate an older schema forward (in
 * one transaction) and fail if another process is writing.
 *
 * Returns: (transfer full): the store, or %NULL with @error set.
 */
NgamStore *
ngam_store_open (const char          *path,
                 NgamStoreOpenFlags   flags,
                 GError             **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  return ngam_store_backend_for_path (path)->open (path, flags, error);
}

/**
 * ngam_store_file_is_project:
 * @path: any file
 *
 * Tells whether @path is a Ngầm project, without locking it and without
 * leaving anything beside it.  A file that cannot be read is not one.
 */
gboolean
ngam_store_file_is_project (const char *path)
{
  g_return_val_if_fail (path != NULL, FALSE);
  return ngam_store_backend_for_path (path)->file_is_project (path);
}

void
ngam_store_close (NgamStore *store)
{
  if (store == NULL)
    return;
  store->backend->close (store);
}

/**
 * ngam_store_check_output:
 * @path: a file a job is about to write (an export, a route)
 * @overwrite: whether an existing file there may be replaced
 *
 * Refuses an output that exists, unless @overwrite; and a Ngầm project
 * always, since replacing one loses a planner's work.
 *
 * Returns: FALSE with NGAM_STORE_ERROR_EXISTS when @path must not be
 *   written.
 */
gboolean
ngam_store_check_output (const char  *path,
                         gboolean     overwrite,
                         GError     **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  if (ngam_store_file_is_project (path))
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_EXISTS,
                   "%s is a Ngầm project: an output never replaces one; choose another name", path);
      return FALSE;
    }
  if (!overwrite)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_EXISTS,
                   "%s already exists; choose another name or remove it first", path);
      return FALSE;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_EXISTS,
                   "%s is a folder; an output does not replace one", path);
      return FALSE;
    }
  return TRUE;
}

/* ---- what every backend sets when it opens a project ---------------- */

const char *
ngam_store_get_path (NgamStore *store)
{
  return store->path;
}

const char *
ngam_store_get_backend_name (NgamStore *store)
{
  return store->backend->name;
}

int
ngam_store_get_srid (NgamStore *store)
{
  return store->srid;
}

/* Returns: the project CRS as PROJ understands it ("EPSG:9214"). */
const char *
ngam_store_get_crs (NgamStore *store)
{
  return store->crs;
}

int
ngam_store_get_schema_version (NgamStore *store)
{
  return store->schema_version;
}

gboolean
ngam_store_is_read_only (NgamStore *store)
{
  return store->read_only;
}

/* ---- plain values --------------------------------------------------- */

NgamStoreRow *
ngam_store_row_new (void)
{
  NgamStoreRow *row = g_new0 (NgamStoreRow, 1);

  row->bytes = g_byte_array_new ();
  return row;
}

void
ngam_store_row_free (NgamStoreRow *row)
{
  if (row == NULL)
    return;
  g_byte_array_unref (row->bytes);
  g_free (row);
}

/* MurmurHash64A (Austin Appleby, public domain): fast, and good enough
 * that hashes of similar keys ("C001", "C002"…) spread evenly. */
guint64
ngam_hash64 (guint64     seed,
             const void *data,
             gsize       len)
{
  const guint64 m = 0xc6a4a7935bd1e995ULL;
  const int r = 47;
  const guint8 *p = data;
  guint64 h = seed ^ (len * m);

  for (; len >= 8; p += 8, len -= 8)
    {
      guint64 k;

      memcpy (&k, p, 8);
      k *= m;
      k ^= k >> r;
      k *= m;
      h ^= k;
      h *= m;
    }
  switch (len)
    {
    case 7: h ^= (guint64) p[6] << 48; G_GNUC_FALLTHROUGH;
    case 6: h ^= (guint64) p[5] << 40; G_GNUC_FALLTHROUGH;
    case 5: h ^= (guint64) p[4] << 32; G_GNUC_FALLTHROUGH;
    case 4: h ^= (guint64) p[3] << 24; G_GNUC_FALLTHROUGH;
    case 3: h ^= (guint64) p[2] << 16; G_GNUC_FALLTHROUGH;
    case 2: h ^= (guint64) p[1] << 8; G_GNUC_FALLTHROUGH;
    case 1: h ^= (guint64) p[0]; h *= m; break;
    default: break;
    }
  h ^= h >> r;
  h *= m;
  h ^= h >> r;
  return h;
}

void
ngam_store_finding_free (NgamStoreFinding *f)
{
  if (f == NULL)
    return;
  g_free (f->check);
  g_free (f->layer);
  g_free (f->field);
  g_clear_pointer (&f->fids, g_array_unref);
  g_free (f->message);
  g_free (f);
}

void
ngam_scenario_info_free (NgamScenarioInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->settings);
  g_free (info->created);
  g_free (info->modified);
  g_free (info);
}

void
ngam_run_info_free (NgamRunInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->scenario);
  g_free (info->job);
  g_free (info->started);
  g_free (info->finished);
  g_free (info->settings);
  g_free (info->summary);
  g_free (info);
}

/* ---- the rest: passed on to the backend ----------------------------- */

char *
ngam_store_dup_meta (NgamStore  *store,
                     const char *key)
{
  return store->backend->dup_meta (store, key);
}

gboolean
ngam_store_set_meta (NgamStore   *store,
                     const char  *key,
                     const char  *value,
                     GError     **error)
{
  return store->backend->set_meta (store, key, value, error);
}

gboolean
ngam_store_begin (NgamStore  *store,
                  GError    **error)
{
  return store->backend->begin (store, error);
}

gboolean
ngam_store_begin_bulk (NgamStore  *store,
                       GError    **error)
{
  return store->backend->begin_bulk (store, error);
}

gboolean
ngam_store_commit (NgamStore  *store,
                   GError    **error)
{
  return store->backend->commit (store, error);
}

void
ngam_store_rollback (NgamStore *store)
{
  store->backend->rollback (store);
}

gboolean
ngam_store_in_transaction (NgamStore *store)
{
  return store->backend->in_transaction (store);
}

gint64
ngam_store_count (NgamStore      *store,
                  NgamLayerKind   kind,
                  GError        **error)
{
  return store->backend->count (store, kind, error);
}

gboolean
ngam_store_get_extent (NgamStore  *store,
                       int         kind,
                       double      bbox[4],
                       GError    **error)
{
  return store->backend->get_extent (store, kind, bbox, error);
}

gboolean
ngam_store_check_integrity (NgamStore  *store,
                            char      **problems,
                            GError    **error)
{
  return store->backend->check_integrity (store, problems, error);
}

NgamFeature *
ngam_store_get_feature (NgamStore      *store,
                        NgamLayerKind   kind,
                        gint64          fid,
                        GError        **error)
{
  return store->backend->get_feature (store, kind, fid, error);
}

NgamStoreCursor *
ngam_store_query (NgamStore       *store,
                  NgamLayerKind    kind,
                  const double    *bbox,
                  NgamQueryFlags   flags,
                  GError         **error)
{
  return store->backend->query (store, kind, bbox, flags, NULL, error);
}

/**
 * ngam_store_query_filtered:
 * @filter: (nullable): only the features whose text field passes it
 *
 * ngam_store_query() with a condition on one field, checked by the
 * backend before a row is read.  A field the layer does not have, or one
 * that is not text, is a programming error.
 */
NgamStoreCursor *
ngam_store_query_filtered (NgamStore              *store,
                           NgamLayerKind           kind,
                           const double           *bbox,
                           NgamQueryFlags          flags,
                           const NgamQueryFilter  *filter,
                           GError                **error)
{
  if (filter != NULL)
    {
      int i = ngam_layer_field_index (kind, filter->field);

      g_return_val_if_fail (i >= 0 && ngam_layer_info (kind)->fields[i].type == NGAM_FIELD_TEXT, NULL);
      g_return_val_if_fail (filter->values != NULL, NULL);
    }
  return store->backend->query (store, kind, bbox, flags, filter, error);
}

gboolean
ngam_store_cursor_next (NgamStoreCursor  *cursor,
                        GError          **error)
{
  return cursor->store->backend->cursor_next (cursor, error);
}

const NgamFeature *
ngam_store_cursor_get (NgamStoreCursor *cursor)
{
  return cursor->store->backend->cursor_get (cursor);
}

void
ngam_store_cursor_free (NgamStoreCursor *cursor)
{
  if (cursor == NULL)
    return;
  cursor->store->backend->cursor_free (cursor);
}

gboolean
ngam_store_measure_columns (NgamStore      *store,
                            NgamLayerKind   kind,
                            gint64         *widths,
                            GError        **error)
{
  return store->backend->measure_columns (store, kind, widths, error);
}

NgamStore *
ngam_store_open_again (NgamStore           *store,
                       NgamStoreOpenFlags   flags,
                       GError             **error)
{
  return store->backend->open_again (store, flags, error);
}

gboolean
ngam_store_clear_time_stamps (NgamStore  *store,
                              GError    **error)
{
  return store->backend->clear_time_stamps (store, error);
}

NgamStoreWriter *
ngam_store_writer_new (NgamStore      *store,
                       NgamLayerKind   kind,
                       GError        **error)
{
  return store->backend->writer_new (store, kind, error);
}

gboolean
ngam_store_writer_add (NgamStoreWriter    *writer,
                       const NgamFeature  *feature,
                       gint64             *fid,
                       GError            **error)
{
  return writer->store->backend->writer_add (writer, feature, fid, error);
}

gboolean
ngam_store_writer_finish (NgamStoreWriter  *writer,
                          GError          **error)
{
  return writer->store->backend->writer_finish (writer, error);
}

void
ngam_store_writer_free (NgamStoreWriter *writer)
{
  if (writer == NULL)
    return;
  writer->store->backend->writer_free (writer);
}

gboolean
ngam_store_edit_begin (NgamStore   *store,
                       const char  *label,
                       GError     **error)
{
  return store->backend->edit_begin (store, label, error);
}

gboolean
ngam_store_edit_insert (NgamStore    *store,
                        NgamFeature  *feature,
                        GError      **error)
{
  return store->backend->edit_insert (store, feature, error);
}

gboolean
ngam_store_edit_update (NgamStore          *store,
                        const NgamFeature  *feature,
                        GError            **error)
{
  return store->backend->edit_update (store, feature, error);
}

gboolean
ngam_store_edit_delete (NgamStore      *store,
                        NgamLayerKind   kind,
                        gint64          fid,
                        GError        **error)
{
  return store->backend->edit_delete (store, kind, fid, error);
}

gint64
ngam_store_get_row_version (NgamStore      *store,
                            NgamLayerKind   kind,
                            gint64          fid,
                            GError        **error)
{
  return store->backend->get_row_version (store, kind, fid, error);
}

gboolean
ngam_store_edit_update_checked (NgamStore          *store,
                                const NgamFeature  *feature,
                                gint64              row_version,
                                GError            **error)
{
  return store->backend->edit_update_checked (store, feature, row_version, error);
}

gboolean
ngam_store_edit_commit (NgamStore  *store,
                        GError    **error)
{
  return store->backend->edit_commit (store, error);
}

void
ngam_store_edit_abort (NgamStore *store)
{
  store->backend->edit_abort (store);
}

gboolean
ngam_store_can_undo (NgamStore *store)
{
  return store->backend->can_undo (store);
}

gboolean
ngam_store_can_redo (NgamStore *store)
{
  return store->backend->can_redo (store);
}

char *
ngam_store_dup_undo_label (NgamStore *store)
{
  return store->backend->dup_undo_label (store);
}

char *
ngam_store_dup_redo_label (NgamStore *store)
{
  return store->backend->dup_redo_label (store);
}

gboolean
ngam_store_undo (NgamStore  *store,
                 GError    **error)
{
  return store->backend->undo (store, error);
}

gboolean
ngam_store_redo (NgamStore  *store,
                 GError    **error)
{
  return store->backend->redo (store, error);
}

gboolean
ngam_store_changed_outside (NgamStore  *store,
                            guint      *layers,
                            GError    **error)
{
  return store->backend->changed_outside (store, layers, error);
}

GPtrArray *
ngam_store_check (NgamStore  *store,
                  GError    **error)
{
  return store->backend->check (store, error);
}

gint64
ngam_store_import_log_begin (NgamStore      *store,
                             const char     *source,
                             const char     *layer,
                             NgamLayerKind   kind,
                             const char     *operator_name,
                             GError        **error)
{
  return store->backend->import_log_begin (store, source, layer, kind, operator_name, error);
}

gboolean
ngam_store_import_log_finish (NgamStore   *store,
                              gint64       import_id,
                              const char  *report_json,
                              GError     **error)
{
  return store->backend->import_log_finish (store, import_id, report_json, error);
}

GStrv
ngam_store_import_log_shared_layers (NgamStore      *store,
                                     NgamLayerKind   kind,
                                     GError        **error)
{
  return store->backend->import_log_shared_layers (store, kind, error);
}

NgamStoreSync *
ngam_store_sync_new (NgamStore      *store,
                     NgamLayerKind   kind,
                     const char     *operator_name,
                     gint64          import_id,
                     GError        **error)
{
  return store->backend->sync_new (store, kind, operator_name, import_id, error);
}

void
ngam_store_sync_set_memory_limit (NgamStoreSync *sync,
                                  gsize          max_entries)
{
  sync->store->backend->sync_set_memory_limit (sync, max_entries);
}

void
ngam_store_sync_reserve (NgamStoreSync *sync,
                         gsize          n)
{
  sync->store->backend->sync_reserve (sync, n);
}

guint64
ngam_store_sync_hash_key (const NgamStoreSync *sync,
                          const char          *layer,
                          const char          *key)
{
  return sync->store->backend->sync_hash_key (sync, layer, key);
}

void
ngam_store_sync_prefetch (NgamStoreSync *sync,
                          guint64        hash,
                          guint64        key_hash)
{
  sync->store->backend->sync_prefetch (sync, hash, key_hash);
}

gboolean
ngam_store_sync_is_duplicate (NgamStoreSync      *sync,
                              const NgamFeature  *feature,
                              guint64             hash,
                              gboolean           *duplicate,
                              GError            **error)
{
  return sync->store->backend->sync_is_duplicate (sync, feature, hash, duplicate, error);
}

gboolean
ngam_store_sync_unique_key (NgamStoreSync  *sync,
                            const char     *layer,
                            const char     *key,
                            guint64        *key_hash,
                            char          **renamed,
                            GError        **error)
{
  return sync->store->backend->sync_unique_key (sync, layer, key, key_hash, renamed, error);
}

gboolean
ngam_store_sync_put (NgamStoreSync       *sync,
                     NgamFeature         *feature,
                     const NgamStoreRow  *row,
                     gssize               attrs_len,
                     guint64              hash,
                     guint64              key_hash,
                     NgamSyncAction      *action,
                     GError             **error)
{
  return sync->store->backend->sync_put (sync, feature, row, attrs_len, hash, key_hash, action, error);
}

gboolean
ngam_store_sync_flush (NgamStoreSync  *sync,
                       GError        **error)
{
  return sync->store->backend->sync_flush (sync, error);
}

gboolean
ngam_store_sync_finish (NgamStoreSync  *sync,
                        gboolean        retire,
                        GArray         *retired_fids,
                        guint           max_listed,
                        gint64         *n_retired,
                        GError        **error)
{
  return sync->store->backend->sync_finish (sync, retire, retired_fids, max_listed, n_retired, error);
}

gint64
ngam_store_sync_count_existing (NgamStoreSync *sync)
{
  return sync->store->backend->sync_count_existing (sync);
}

gsize
ngam_store_sync_get_spilled (NgamStoreSync *sync)
{
  return sync->store->backend->sync_get_spilled (sync);
}

void
ngam_store_sync_free (NgamStoreSync *sync)
{
  if (sync == NULL)
    return;
  sync->store->backend->sync_free (sync);
}

void
ngam_store_row_prepare (NgamStoreRow    *row,
                        NgamStore       *store,
                        const NgamShape *shape)
{
  store->backend->row_prepare (row, store, shape);
}

gboolean
ngam_store_writer_add_many (NgamStoreWriter            *writer,
                            NgamFeature *const         *features,
                            const NgamStoreRow *const  *rows,
                            const gssize               *attrs_lens,
                            guint                       n,
                            gint64                     *fids,
                            GError                    **error)
{
  return writer->store->backend->writer_add_many (writer, features, rows, attrs_lens, n, fids, error);
}

void
ngam_store_writer_reserve (NgamStoreWriter *writer,
                           gsize            n)
{
  writer->store->backend->writer_reserve (writer, n);
}

NgamStoreNearest *
ngam_store_nearest_new (NgamStore      *store,
                        NgamLayerKind   kind,
                        const double   *bbox,
                        GError        **error)
{
  return store->backend->nearest_new (store, kind, bbox, error);
}

NgamStoreNearest *
ngam_store_nearest_new_limited (NgamStore      *store,
                                NgamLayerKind   kind,
                                const double   *bbox,
                                gsize           max_points,
                                double          tile_side,
                                GError        **error)
{
  return store->backend->nearest_new_limited (store, kind, bbox, max_points, tile_side, error);
}

void
ngam_store_nearest_set_lock (NgamStoreNearest *nearest,
                             GMutex           *lock)
{
  nearest->store->backend->nearest_set_lock (nearest, lock);
}

gboolean
ngam_store_nearest_find (NgamStoreNearest  *nearest,
                         double             x,
                         double             y,
                         double             tolerance,
                         gint64            *fid,
                         double            *px,
                         double            *py,
                         double            *distance,
                         GError           **error)
{
  return nearest->store->backend->nearest_find (nearest, x, y, tolerance, fid, px, py, distance, error);
}

gboolean
ngam_store_nearest_any (const NgamStoreNearest *nearest)
{
  return nearest->store->backend->nearest_any (nearest);
}

gsize
ngam_store_nearest_loaded (const NgamStoreNearest *nearest)
{
  return nearest->store->backend->nearest_loaded (nearest);
}

gboolean
ngam_store_nearest_is_tiled (const NgamStoreNearest *nearest,
                             gsize                  *loads,
                             double                 *side)
{
  return nearest->store->backend->nearest_is_tiled (nearest, loads, side);
}

void
ngam_store_nearest_free (NgamStoreNearest *nearest)
{
  if (nearest == NULL)
    return;
  nearest->store->backend->nearest_free (nearest);
}

gint64
ngam_store_put_scenario (NgamStore   *store,
                         const char  *name,
                         const char  *settings,
                         GError     **error)
{
  return store->backend->put_scenario (store, name, settings, error);
}

NgamScenarioInfo *
ngam_store_get_scenario (NgamStore   *store,
                         const char  *name,
                         GError     **error)
{
  return store->backend->get_scenario (store, name, error);
}

GPtrArray *
ngam_store_list_scenarios (NgamStore  *store,
                           GError    **error)
{
  return store->backend->list_scenarios (store, error);
}

gboolean
ngam_store_delete_scenario (NgamStore   *store,
                            const char  *name,
                            GError     **error)
{
  return store->backend->delete_scenario (store, name, error);
}

GPtrArray *
ngam_store_list_runs (NgamStore   *store,
                      const char  *scenario,
                      const char  *job,
                      GError     **error)
{
  return store->backend->list_runs (store, scenario, job, error);
}

NgamRunInfo *
ngam_store_get_last_run (NgamStore   *store,
                         const char  *scenario,
                         const char  *job,
                         GError     **error)
{
  return store->backend->get_last_run (store, scenario, job, error);
}

NgamRun *
ngam_run_begin (NgamStore   *store,
                const char  *scenario,
                const char  *job,
                const char  *settings,
                GError     **error)
{
  return store->backend->run_begin (store, scenario, job, settings, error);
}

gint64
ngam_run_get_id (NgamRun *run)
{
  return run->store->backend->run_get_id (run);
}

gboolean
ngam_run_add (NgamRun                  *run,
              const NgamResultFeature  *feature,
              GError                  **error)
{
  return run->store->backend->run_add (run, feature, error);
}

gboolean
ngam_run_commit (NgamRun     *run,
                 const char  *summary,
                 GError     **error)
{
  return run->store->backend->run_commit (run, summary, error);
}

void
ngam_run_abort (NgamRun *run)
{
  if (run == NULL)
    return;
  run->store->backend->run_abort (run);
}

NgamResultCursor *
ngam_store_query_results (NgamStore     *store,
                          gint64         run_id,
                          const char    *layer,
                          const double  *bbox,
                          GError       **error)
{
  return store->backend->query_results (store, run_id, layer, bbox, error);
}

gboolean
ngam_result_cursor_next (NgamResultCursor  *cursor,
                         GError           **error)
{
  return cursor->store->backend->result_cursor_next (cursor, error);
}

const NgamResultFeature *
ngam_result_cursor_get (NgamResultCursor *cursor)
{
  return cursor->store->backend->result_cursor_get (cursor);
}

void
ngam_result_cursor_free (NgamResultCursor *cursor)
{
  if (cursor == NULL)
    return;
  cursor->store->backend->result_cursor_free (cursor);
}

gint64
ngam_store_count_results (NgamStore   *store,
                          gint64       run_id,
                          const char  *layer,
                          GError     **error)
{
  return store->backend->count_results (store, run_id, layer, error);
}

char *
ngam_store_dup_style (NgamStore   *store,
                      const char  *layer,
                      GError     **error)
{
  return store->backend->dup_style (store, layer, error);
}

gboolean
ngam_store_set_style (NgamStore   *store,
                      const char  *layer,
                      const char  *style,
                      GError     **error)
{
  return store->backend->set_style (store, layer, style, error);
}
