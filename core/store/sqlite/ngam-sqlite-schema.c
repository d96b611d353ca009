/* ngam-sqlite-schema.c — the project file's schema and its migrations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A new file runs every migration from 0; an old file runs the ones it
 * lacks, inside the same transaction that bumps meta.schema_version, so a
 * migration either happens whole or not at all.  Never edit a migration
 * that has shipped: add the next one.
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include <string.h>

#include "ngam-crs.h"
#include "ngam-sqlite-private.h"

static const char *
sql_type (NgamFieldType t)
{
  switch (t)
    {
    case NGAM_FIELD_INT:
    case NGAM_FIELD_BOOL: return "INTEGER";
    case NGAM_FIELD_REAL: return "REAL";
    case NGAM_FIELD_TEXT:
    default: return "TEXT";
    }
}

/* Registers the project CRS in spatial_ref_sys from PROJ's own definition,
 * so any EPSG code (or custom WKT) works whatever SpatiaLite's built-in
 * table knows.  Custom CRSs get an SRID above EPSG's range. */
static gboolean
insert_srs (NgamStore   *store,
            const char  *definition,
            GError     **error)
{
  g_autoptr(NgamCrs) crs = ngam_crs_new (definition, error);
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autofree char *wkt = NULL;
  g_autofree char *proj4 = NULL;
  int srid;

  if (crs == NULL)
    return FALSE;
  if (!ngam_crs_is_metric (crs))
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                   "%s (%s) is not a projected CRS in metres; a project needs one "
                   "(for Huế: EPSG:9214, VN-2000 / TM-3 107-00)",
                   definition, ngam_crs_get_name (crs));
      return FALSE;
    }
  srid = ngam_crs_get_epsg (crs) > 0 ? ngam_crs_get_epsg (crs) : 990001;
  wkt = ngam_crs_dup_wkt (crs);
  proj4 = ngam_crs_dup_proj_string (crs);
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db,
                          "INSERT OR REPLACE INTO spatial_ref_sys "
                          "(srid, auth_name, auth_srid, ref_sys_name, proj4text, srtext) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot register the project CRS");
  sqlite3_bind_int (st, 1, srid);
  sqlite3_bind_text (st, 2, srid == 990001 ? "NGAM" : "epsg", -1, SQLITE_STATIC);
  sqlite3_bind_int (st, 3, srid);
  sqlite3_bind_text (st, 4, ngam_crs_get_name (crs), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, 5, proj4 ? proj4 : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, 6, wkt ? wkt : "", -1, SQLITE_TRANSIENT);
  if (sqlite3_step (st) != SQLITE_DONE)
    return ngam_sqlite_set_sql_error (store, error, "cannot register the project CRS");
  store->srid = srid;
  store->crs = ngam_crs_get_epsg (crs) > 0 ? g_strdup_printf ("EPSG:%d", srid) : g_strdup (definition);
  return TRUE;
}

static gboolean
create_layer_table (NgamStore            *store,
                    const NgamLayerInfo  *info,
                    GError              **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *geom = NULL;
  g_autofree char *idx = NULL;

  g_string_append_printf (sql,
                          "CREATE TABLE %s ("
                          " fid INTEGER PRIMARY KEY,"
                          " operator TEXT,"
                          " source_file TEXT,"
                          " source_layer TEXT,"
                          " source_fid INTEGER,"
                          " source_key TEXT,"
                          " import_id INTEGER,"
                          " retired INTEGER NOT NULL DEFAULT 0,"
                          " attrs TEXT",
                          info->name);
  for (guint i = 0; i < info->n_fields; i++)
    g_string_append_printf (sql, ", %s %s", info->fields[i].name, sql_type (info->fields[i].type));
  g_string_append (sql, ")");
  if (!ngam_sqlite_exec (store, sql->str, error))
    return FALSE;

  geom = g_strdup_printf ("SELECT AddGeometryColumn('%s', 'geom', %d, '%s', 'XY')",
                          info->name, store->srid, ngam_shape_type_name (info->shape));
  idx = g_strdup_printf ("SELECT CreateSpatialIndex('%s', 'geom');"
                         "CREATE INDEX %s_source_key ON %s (source_key);"
                         "CREATE INDEX %s_operator ON %s (operator);",
                         info->name, info->name, info->name, info->name, info->name);
  if (!ngam_sqlite_exec (store, geom, error) || !ngam_sqlite_exec (store, idx, error))
    return FALSE;
  return TRUE;
}

/* Version 1: SpatiaLite metadata, the project CRS, every layer, the import
 * log, scenarios and their results, and the undo/redo journal. */
static gboolean
migrate_to_1 (NgamStore   *store,
              const char  *crs,
              GError     **error)
{
  if (!ngam_sqlite_exec (store, "SELECT InitSpatialMetadata('NONE')", error))
    return FALSE;
  if (!insert_srs (store, crs, error))
    return FALSE;
  if (!ngam_sqlite_exec (store,
                        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
                        "CREATE TABLE imports ("
                        " id INTEGER PRIMARY KEY, started TEXT NOT NULL, source TEXT NOT NULL,"
                        " layer TEXT, kind TEXT NOT NULL, operator TEXT, report TEXT);"
                        "CREATE TABLE scenarios ("
                        " id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                        " settings TEXT NOT NULL, created TEXT NOT NULL, modified TEXT NOT NULL);"
                        "CREATE TABLE runs ("
                        " id INTEGER PRIMARY KEY,"
                        " scenario_id INTEGER NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,"
                        " job TEXT NOT NULL, started TEXT NOT NULL, finished TEXT,"
                        " settings TEXT, summary TEXT);"
                        "CREATE TABLE result_features ("
                        " fid INTEGER PRIMARY KEY,"
                        " run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
                        " layer TEXT NOT NULL, phase INTEGER, ward TEXT, operator TEXT,"
                        " cost REAL, attrs TEXT);"
                        "CREATE INDEX result_features_run ON result_features (run_id, layer);"
                        "CREATE TABLE journal_edits ("
                        " id INTEGER PRIMARY KEY, label TEXT NOT NULL, created TEXT NOT NULL,"
                        " undone INTEGER NOT NULL DEFAULT 0);"
                        "CREATE TABLE journal_rows ("
                        " edit_id INTEGER NOT NULL REFERENCES journal_edits(id) ON DELETE CASCADE,"
                        " seq INTEGER NOT NULL, layer TEXT NOT NULL, fid INTEGER NOT NULL,"
                        " before TEXT, after TEXT, PRIMARY KEY (edit_id, seq));",
                        error))
    return FALSE;
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    if (!create_layer_table (store, ngam_layer_info (k), error))
      return FALSE;
  {
    g_autofree char *sql = g_strdup_printf ("SELECT AddGeometryColumn('result_features', 'geom', %d, 'GEOMETRY', 'XY');"
                                            "SELECT CreateSpatialIndex('result_features', 'geom');",
                                            store->srid);
    if (!ngam_sqlite_exec (store, sql, error))
      return FALSE;
  }
  return ngam_sqlite_set_meta (store, "crs", store->crs, error) &&
         ngam_sqlite_set_meta (store, "srid", G_STRINGIFY (0), error);
}

/* Version 2: a style per layer (ROADMAP: layers and styles), kept apart
 * from QGIS's own layer_styles table so that saving a style in QGIS
 * cannot break ours. */
static gboolean
migrate_to_2 (NgamStore  *store,
              GError    **error)
{
  return ngam_sqlite_exec (store,
                          "CREATE TABLE ngam_styles ("
                          " layer TEXT PRIMARY KEY, style TEXT NOT NULL, modified TEXT NOT NULL)",
                          error);
}

/* Version 3: what the results API (ngam-results.h) keeps of a run: its
 * feature count, and each feature's place in the order the run wrote
 * them, which two runs of the same input share while their fids differ. */
static gboolean
migrate_to_3 (NgamStore  *store,
              GError    **error)
{
  return ngam_sqlite_exec (store,
                          "ALTER TABLE runs ADD COLUMN n_features INTEGER NOT NULL DEFAULT 0;"
                          "ALTER TABLE result_features ADD COLUMN seq INTEGER;"
                          "UPDATE result_features SET seq = fid;"
                          "UPDATE runs SET n_features = "
                          " (SELECT count(*) FROM result_features f WHERE f.run_id = runs.id);"
                          "DROP INDEX result_features_run;"
                          "CREATE INDEX result_features_run ON result_features (run_id, layer, seq);"
                          "CREATE INDEX runs_scenario ON runs (scenario_id, job);",
                          error);
}

/* Version 4: a NOT NULL column keeps its default when a client writes
 * NULL into it.  QGIS, through OGR, sends every field of a feature it
 * adds, NULL for those the user left empty, so DEFAULT alone never
 * applies and `retired` failed as NOT NULL; SQLite's ON CONFLICT REPLACE
 * on the NOT NULL constraint puts the default in instead (on INSERT and
 * UPDATE alike).  SQLite cannot alter a constraint, but this one changes
 * nothing stored, so the table's text is edited in place, as "ALTER TABLE:
 * making other kinds of table schema changes" (sqlite.org/lang_altertable.html
 * §7) describes for changing defaults and NOT NULL constraints. */
static gboolean
migrate_to_4 (NgamStore  *store,
              GError    **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autofree char *bump = NULL;
  int defensive = 0, version = 0;
  gboolean ok = FALSE;

  /* a library built defensive would ignore writable_schema */
  sqlite3_db_config (NGAM_SQLITE (store)->db, SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive);
  sqlite3_db_config (NGAM_SQLITE (store)->db, SQLITE_DBCONFIG_DEFENSIVE, 0, NULL);
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, "PRAGMA schema_version", -1, &st, NULL) != SQLITE_OK ||
      sqlite3_step (st) != SQLITE_ROW)
    {
      ngam_sqlite_set_sql_error (store, error, "cannot read the schema version");
      goto out;
    }
  version = sqlite3_column_int (st, 0);
  g_clear_pointer (&st, sqlite3_finalize);
  if (!ngam_sqlite_exec (store, "PRAGMA writable_schema=ON", error))
    goto out;
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      g_autofree char *sql = g_strdup_printf (
        "UPDATE sqlite_master SET sql = replace(sql, ' retired INTEGER NOT NULL DEFAULT 0,',"
        " ' retired INTEGER NOT NULL ON CONFLICT REPLACE DEFAULT 0,') "
        "WHERE type = 'table' AND name = '%s'", ngam_layer_info (k)->name);

      if (!ngam_sqlite_exec (store, sql, error))
        {
          sqlite3_exec (NGAM_SQLITE (store)->db, "PRAGMA writable_schema=OFF", NULL, NULL, NULL);
          goto out;
        }
    }
  bump = g_strdup_printf ("PRAGMA schema_version=%d; PRAGMA writable_schema=OFF", version + 1);
  ok = ngam_sqlite_exec (store, bump, error);

out:
  sqlite3_db_config (NGAM_SQLITE (store)->db, SQLITE_DBCONFIG_DEFENSIVE, defensive, NULL);
  return ok;
}

/* Version 5: a row version in every layer, for the optimistic locking a
 * shared database needs (read a feature with its version, write it back
 * only if the version is still the one read: ngam_store_edit_update_checked()).
 * Every change moves it on: the store's own writes say so in their
 * statements, and a trigger does it for other programs' updates (QGIS
 * writes back the version it read).  A client that writes NULL gets the
 * default, as for `retired` (version 4). */
static gboolean
migrate_to_5 (NgamStore  *store,
              GError    **error)
{
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      const char *t = ngam_layer_info (k)->name;
      g_autofree char *sql = g_strdup_printf (
        "ALTER TABLE %s ADD COLUMN row_version INTEGER NOT NULL ON CONFLICT REPLACE DEFAULT 1;"
        "CREATE TRIGGER ngam_%s_row_version AFTER UPDATE ON %s FOR EACH ROW"
        " WHEN NEW.row_version IS OLD.row_version BEGIN"
        " UPDATE %s SET row_version = OLD.row_version + 1 WHERE fid = NEW.fid; END;",
        t, t, t, t);

      if (!ngam_sqlite_exec (store, sql, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
ngam_sqlite_schema_migrate (NgamStore  *store,
                            int         from,
                            GError    **error)
{
  g_autofree char *v = NULL;

  g_assert (ngam_sqlite_in_transaction (store));
  if (from < 2 && !migrate_to_2 (store, error))
    return FALSE;
  if (from < 3 && !migrate_to_3 (store, error))
    return FALSE;
  if (from < 4 && !migrate_to_4 (store, error))
    return FALSE;
  if (from < 5 && !migrate_to_5 (store, error))
    return FALSE;
  v = g_strdup_printf ("%d", NGAM_STORE_SCHEMA_VERSION);
  if (!ngam_sqlite_set_meta (store, "schema_version", v, error))
    return FALSE;
  store->schema_version = NGAM_STORE_SCHEMA_VERSION;
  return TRUE;
}

gboolean
ngam_sqlite_schema_create (NgamStore   *store,
                           const char  *crs,
                           GError     **error)
{
  g_autofree char *srid = NULL;

  if (!migrate_to_1 (store, crs, error))
    return FALSE;
  srid = g_strdup_printf ("%d", store->srid);
  if (!ngam_sqlite_set_meta (store, "srid", srid, error) ||
      !ngam_sqlite_set_meta (store, "created_by", PACKAGE_NAME " " PACKAGE_VERSION, error) ||
      !ngam_sqlite_set_meta (store, "snap_tolerance_m", "0.5", error))
    return FALSE;
  return ngam_sqlite_schema_migrate (store, 1, error);
}

gboolean
ngam_sqlite_clear_time_stamps (NgamStore  *store,
                               GError    **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db,
                          "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'spatialite_history'",
                          -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot read the schema");
  if (sqlite3_step (st) != SQLITE_ROW)
    return TRUE;
  return ngam_sqlite_exec (store, "UPDATE spatialite_history SET timestamp = '1970-01-01T00:00:00.000Z'", error);
}
