/* ngam-sqlite-import-log.c — the imports table: one row per source an
 * import wrote, with its report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include "ngam-sqlite-private.h"
#include "ngam-store-sync.h"

/**
 * ngam_store_import_log_begin:
 *
 * Adds a row to the imports table (inside the caller's transaction).
 *
 * Returns: the import id features carry, or 0 with @error set.
 */
gint64
ngam_sqlite_import_log_begin (NgamStore      *store,
                              const char     *source,
                              const char     *layer,
                              NgamLayerKind   kind,
                              const char     *operator_name,
                              GError        **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = g_date_time_format_iso8601 (now);

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db,
                          "INSERT INTO imports (started, source, layer, kind, operator) VALUES (?1, ?2, ?3, ?4, ?5)",
                          -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot log the import"), 0;
  sqlite3_bind_text (st, 1, when, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 2, source, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 3, layer, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 4, ngam_layer_info (kind)->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 5, operator_name, -1, SQLITE_STATIC);
  if (sqlite3_step (st) != SQLITE_DONE)
    return ngam_sqlite_set_sql_error (store, error, "cannot log the import"), 0;
  return sqlite3_last_insert_rowid (NGAM_SQLITE (store)->db);
}

gboolean
ngam_sqlite_import_log_finish (NgamStore   *store,
                               gint64       import_id,
                               const char  *report_json,
                               GError     **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, "UPDATE imports SET report = ?2 WHERE id = ?1", -1,
                          &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot log the import");
  sqlite3_bind_int64 (st, 1, import_id);
  sqlite3_bind_text (st, 2, report_json, -1, SQLITE_STATIC);
  if (sqlite3_step (st) != SQLITE_DONE)
    return ngam_sqlite_set_sql_error (store, error, "cannot log the import");
  return TRUE;
}

/**
 * ngam_store_import_log_shared_layers:
 *
 * The source layers under which live features of @kind are filed by runs
 * that matched them by source layer (no operator scope: shared files, or
 * no operator at all), sorted.  A full scan of the layer: for a hint to
 * people, not for every run.
 *
 * Returns: (transfer full): the names, or NULL with @error set
 */
GStrv
ngam_sqlite_import_log_shared_layers (NgamStore      *store,
                                      NgamLayerKind   kind,
                                      GError        **error)
{
  const char *t = ngam_layer_info (kind)->name;
  g_autofree char *sql = g_strdup_printf ("SELECT DISTINCT source_layer FROM %s WHERE retired = 0 AND "
                                          "source_layer IS NOT NULL AND import_id IN "
                                          "(SELECT id FROM imports WHERE operator IS NULL AND kind = ?1) "
                                          "ORDER BY source_layer", t);
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  int rc;

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, sql, -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot read the import log"), NULL;
  sqlite3_bind_text (st, 1, t, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    g_strv_builder_add (names, (const char *) sqlite3_column_text (st, 0));
  if (rc != SQLITE_DONE)
    return ngam_sqlite_set_sql_error (store, error, "cannot read the import log"), NULL;
  return g_strv_builder_end (names);
}
