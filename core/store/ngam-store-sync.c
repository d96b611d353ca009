/* ngam-store-sync.c — re-import: match features by source key, update,
 * add and retire; the import log; nearest-feature lookups for snapping
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An import writes one layer inside the caller's transaction.  Features
 * are matched on their source key within a scope: the operator when one is
 * given (an operator's newer file replaces its older one, whatever the file
 * is called), else the source layer name (re-importing the same file).  What the
 * run has seen lives in TEMP tables, not in memory, so a million-feature
 * import keeps the same footprint as a small one:
 *
 *   ngam_hash_K  content hashes, to drop exact duplicates within the run
 *   ngam_keys_K  keys given out, to keep them unique within the scope
 *   ngam_seen_K  fids found unchanged, which the retire step must spare
 *
 * Rows added or updated carry the run's import_id, so they are spared too.
 * New rows go through NgamStoreWriter (its triggers are off for the run),
 * so updates keep the spatial index in step themselves.
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include <math.h>

#include "ngam-store-private.h"
#include "ngam-store-sync.h"

struct _NgamStoreSync
{
  NgamStore       *store;
  NgamLayerKind    kind;
  char            *operator_name;
  gint64           import_id;
  gint64           existing;      /* rows in scope when the run began */
  NgamStoreWriter *writer;
  sqlite3_stmt    *lookup;
  sqlite3_stmt    *update;
  sqlite3_stmt    *update_index;
  sqlite3_stmt    *hash;
  sqlite3_stmt    *key;
  sqlite3_stmt    *seen;
  GHashTable      *layers;        /* source layers written, when no operator */
  GByteArray      *blob;
};

/* ---- import log ------------------------------------------------------ */

/**
 * ngam_store_import_log_begin:
 *
 * Adds a row to the imports table (inside the caller's transaction).
 *
 * Returns: the import id features carry, or 0 with @error set.
 */
gint64
ngam_store_import_log_begin (NgamStore      *store,
                             const char     *source,
                             const char     *layer,
                             NgamLayerKind   kind,
                             const char     *operator_name,
                             GError        **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = g_date_time_format_iso8601 (now);

  if (sqlite3_prepare_v2 (store->db,
                          "INSERT INTO imports (started, source, layer, kind, operator) VALUES (?1, ?2, ?3, ?4, ?5)",
                          -1, &st, NULL) != SQLITE_OK)
    return ngam_store_set_sql_error (store, error, "cannot log the import"), 0;
  sqlite3_bind_text (st, 1, when, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 2, source, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 3, layer, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 4, ngam_layer_info (kind)->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 5, operator_name, -1, SQLITE_STATIC);
  if (sqlite3_step (st) != SQLITE_DONE)
    return ngam_store_set_sql_error (store, error, "cannot log the import"), 0;
  return sqlite3_last_insert_rowid (store->db);
}

gboolean
ngam_store_import_log_finish (NgamStore   *store,
                              gint64       import_id,
                              const char  *report_json,
                              GError     **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;

  if (sqlite3_prepare_v2 (store->db, "UPDATE imports SET report = ?2 WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
    return ngam_store_set_sql_error (store, error, "cannot log the import");
  sqlite3_bind_int64 (st, 1, import_id);
  sqlite3_bind_text (st, 2, report_json, -1, SQLITE_STATIC);
  if (sqlite3_step (st) != SQLITE_DONE)
    return ngam_store_set_sql_error (store, error, "cannot log the import");
  return TRUE;
}

/* ---- sync ------------------------------------------------------------ */

static gboolean
prepare (NgamStore *store, const char *sql, sqlite3_stmt **st, GError **error)
{
  if (sqlite3_prepare_v2 (store->db, sql, -1, st, NULL) != SQLITE_OK)
    return ngam_store_set_sql_error (store, error, "cannot prepare the import");
  return TRUE;
}

/**
 * ngam_store_sync_new:
 * @operator_name: (nullable): the scope; %NULL scopes by source layer
 * @import_id: from ngam_store_import_log_begin()
 *
 * Returns: (transfer full): the sync, or %NULL with @error set.
 */
NgamStoreSync *
ngam_store_sync_new (NgamStore      *store,
                     NgamLayerKind   kind,
                     const char     *operator_name,
                     gint64          import_id,
                     GError        **error)
{
  g_autoptr(NgamStoreSync) s = g_new0 (NgamStoreSync, 1);
  const NgamLayerInfo *info = ngam_layer_info (kind);
  const char *t = info->name;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *cols = ngam_store_columns_sql (kind);
  g_autofree char *tmp = NULL;
  g_autoptr(sqlite3_stmt) count = NULL;
  guint n_params = NGAM_STORE_N_COMMON + info->n_fields + 1;
  const char *scope = operator_name ? "operator = ?2" : "source_layer = ?4";

  s->store = store;
  s->kind = kind;
  s->operator_name = g_strdup (operator_name);
  s->import_id = import_id;
  s->layers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  s->blob = g_byte_array_new ();

  tmp = g_strdup_printf ("DROP TABLE IF EXISTS temp.ngam_hash_%s; DROP TABLE IF EXISTS temp.ngam_keys_%s;"
                         "DROP TABLE IF EXISTS temp.ngam_seen_%s;"
                         "CREATE TEMP TABLE ngam_hash_%s (h INTEGER PRIMARY KEY);"
                         "CREATE TEMP TABLE ngam_keys_%s (k TEXT PRIMARY KEY) WITHOUT ROWID;"
                         "CREATE TEMP TABLE ngam_seen_%s (fid INTEGER PRIMARY KEY);", t, t, t, t, t, t);
  if (!ngam_store_exec (store, tmp, error))
    return NULL;

  g_string_printf (sql, "SELECT count(*) FROM %s%s", t, operator_name ? " WHERE operator = ?1" : "");
  if (!prepare (store, sql->str, &count, error))
    return NULL;
  sqlite3_bind_text (count, 1, operator_name, -1, SQLITE_STATIC);
  if (sqlite3_step (count) != SQLITE_ROW)
    return ngam_store_set_sql_error (store, error, "cannot count the layer"), NULL;
  s->existing = sqlite3_column_int64 (count, 0);
  /* An open read cursor would keep the writer from dropping indexes. */
  g_clear_pointer (&count, sqlite3_finalize);

  /* The lookup uses ngam_store_bind_row()'s numbering: ?2 operator, ?4
   * source layer, ?6 source key, ?9 attrs, then the fields, then geom. */
  g_string_printf (sql, "SELECT fid, retired, (attrs IS ?9 AND geom IS ?%u", n_params);
  for (guint i = 0; i < info->n_fields; i++)
    g_string_append_printf (sql, " AND %s IS ?%u", info->fields[i].name, NGAM_STORE_N_COMMON + 1 + i);
  g_string_append_printf (sql, ") FROM %s WHERE source_key = ?6 AND %s", t, scope);
  if (!prepare (store, sql->str, &s->lookup, error))
    return NULL;

  g_string_printf (sql, "UPDATE %s SET (%s) = (?1", t, cols);
  for (guint i = 2; i <= n_params; i++)
    g_string_append_printf (sql, ", ?%u", i);
  g_string_append (sql, ") WHERE fid = ?1");
  if (!prepare (store, sql->str, &s->update, error))
    return NULL;
  g_string_printf (sql, "UPDATE idx_%s_geom SET xmin = ?2, xmax = ?3, ymin = ?4, ymax = ?5 WHERE pkid = ?1", t);
  if (!prepare (store, sql->str, &s->update_index, error))
    return NULL;
  g_string_printf (sql, "INSERT OR IGNORE INTO temp.ngam_hash_%s (h) VALUES (?1)", t);
  if (!prepare (store, sql->str, &s->hash, error))
    return NULL;
  g_string_printf (sql, "INSERT OR IGNORE INTO temp.ngam_keys_%s (k) VALUES (?1)", t);
  if (!prepare (store, sql->str, &s->key, error))
    return NULL;
  g_string_printf (sql, "INSERT OR IGNORE INTO temp.ngam_seen_%s (fid) VALUES (?1)", t);
  if (!prepare (store, sql->str, &s->seen, error))
    return NULL;

  s->writer = ngam_store_writer_new (store, kind, error);
  if (s->writer == NULL)
    return NULL;
  return g_steal_pointer (&s);
}

/* Rows of this layer in the scope before the run: 0 means a first import,
 * where no lookup is needed. */
gint64
ngam_store_sync_count_existing (NgamStoreSync *s)
{
  return s->existing;
}

/**
 * ngam_store_sync_note_duplicate:
 * @hash: a hash of the feature's geometry and raw attributes
 * @duplicate: (out): TRUE when the run already had this content
 */
gboolean
ngam_store_sync_note_duplicate (NgamStoreSync  *s,
                                guint64         hash,
                                gboolean       *duplicate,
                                GError        **error)
{
  sqlite3_reset (s->hash);
  sqlite3_bind_int64 (s->hash, 1, (sqlite3_int64) hash);
  if (sqlite3_step (s->hash) != SQLITE_DONE)
    return ngam_store_set_sql_error (s->store, error, "cannot check for duplicates");
  *duplicate = sqlite3_changes (s->store->db) == 0;
  return TRUE;
}

/**
 * ngam_store_sync_unique_key:
 * @layer: the feature's source layer
 * @collided: (out): TRUE when @key was taken and a suffix was added
 *
 * Returns: (transfer full): @key, or "@key#2", "@key#3"… when the run
 *   already gave @key to another feature of the scope.
 */
char *
ngam_store_sync_unique_key (NgamStoreSync  *s,
                            const char     *layer,
                            const char     *key,
                            gboolean       *collided,
                            GError        **error)
{
  *collided = FALSE;
  if (s->operator_name == NULL && !g_hash_table_contains (s->layers, layer))
    g_hash_table_add (s->layers, g_strdup (layer));
  for (guint n = 1;; n++)
    {
      g_autofree char *candidate = n == 1 ? g_strdup (key) : g_strdup_printf ("%s#%u", key, n);
      g_autofree char *scoped = s->operator_name ? NULL : g_strconcat (layer, "\x1f", candidate, NULL);

      sqlite3_reset (s->key);
      sqlite3_bind_text (s->key, 1, scoped ? scoped : candidate, -1, SQLITE_STATIC);
      if (sqlite3_step (s->key) != SQLITE_DONE)
        return ngam_store_set_sql_error (s->store, error, "cannot check source keys"), NULL;
      if (sqlite3_changes (s->store->db) > 0)
        return g_steal_pointer (&candidate);
      *collided = TRUE;
    }
}

static gboolean
update_row (NgamStoreSync  *s,
            NgamFeature    *f,
            GError        **error)
{
  const NgamShape *shape = f->shape;

  sqlite3_reset (s->update);
  ngam_store_bind_row (s->store, s->update, f, s->blob);
  if (sqlite3_step (s->update) != SQLITE_DONE)
    return ngam_store_set_sql_error (s->store, error, "cannot update a feature");
  sqlite3_reset (s->update_index);
  sqlite3_bind_int64 (s->update_index, 1, f->fid);
  sqlite3_bind_double (s->update_index, 2, shape->bbox[0]);
  sqlite3_bind_double (s->update_index, 3, shape->bbox[2]);
  sqlite3_bind_double (s->update_index, 4, shape->bbox[1]);
  sqlite3_bind_double (s->update_index, 5, shape->bbox[3]);
  if (sqlite3_step (s->update_index) != SQLITE_DONE)
    return ngam_store_set_sql_error (s->store, error, "cannot update the spatial index");
  return TRUE;
}

/**
 * ngam_store_sync_put:
 * @feature: (inout): its source key, layer, operator and import id set;
 *   its fid is set on return
 * @action: (out): what happened
 *
 * Adds the feature, or updates (or leaves) the one with the same key.
 */
gboolean
ngam_store_sync_put (NgamStoreSync   *s,
                     NgamFeature     *f,
                     NgamSyncAction  *action,
                     GError         **error)
{
  int rc;

  f->import_id = s->import_id;
  f->retired = FALSE;
  f->fid = 0;
  if (s->existing > 0 && f->source_key)
    {
      ngam_shape_to_spatialite (f->shape, s->store->srid, s->blob);
      sqlite3_reset (s->lookup);
      f->fid = 0;
      ngam_store_bind_row (s->store, s->lookup, f, s->blob);
      rc = sqlite3_step (s->lookup);
      if (rc == SQLITE_ROW)
        {
          gint64 fid = sqlite3_column_int64 (s->lookup, 0);
          gboolean was_retired = sqlite3_column_int (s->lookup, 1) != 0;
          gboolean same = sqlite3_column_int (s->lookup, 2) != 0;

          sqlite3_reset (s->lookup);
          f->fid = fid;
          if (same && !was_retired)
            {
              *action = NGAM_SYNC_UNCHANGED;
              sqlite3_reset (s->seen);
              sqlite3_bind_int64 (s->seen, 1, fid);
              if (sqlite3_step (s->seen) != SQLITE_DONE)
                return ngam_store_set_sql_error (s->store, error, "cannot note a feature");
              return TRUE;
            }
          *action = was_retired ? NGAM_SYNC_RESTORED : NGAM_SYNC_UPDATED;
          return update_row (s, f, error);
        }
      sqlite3_reset (s->lookup);
      if (rc != SQLITE_DONE)
        return ngam_store_set_sql_error (s->store, error, "cannot look a feature up");
      f->fid = 0;
    }
  *action = NGAM_SYNC_ADDED;
  return ngam_store_writer_add (s->writer, f, &f->fid, error);
}

/**
 * ngam_store_sync_finish:
 * @retire: retire the scope's features the run did not have
 * @retired_fids: (nullable) (element-type gint64): receives the first
 *   @max_listed retired fids
 * @n_retired: (out): how many were retired
 *
 * Retires what the newer file lacks and puts the layer's triggers back.
 */
gboolean
ngam_store_sync_finish (NgamStoreSync  *s,
                        gboolean        retire,
                        GArray         *retired_fids,
                        guint           max_listed,
                        gint64         *n_retired,
                        GError        **error)
{
  const char *t = ngam_layer_info (s->kind)->name;

  *n_retired = 0;
  if (!ngam_store_writer_finish (s->writer, error))
    return FALSE;
  if (retire && s->existing > 0)
    {
      g_autoptr(GString) where = g_string_new (NULL);
      g_autoptr(GString) sql = g_string_new (NULL);
      g_autoptr(sqlite3_stmt) sel = NULL;
      g_autoptr(sqlite3_stmt) upd = NULL;
      int rc;

      if (s->operator_name == NULL)
        {
          GHashTableIter it;
          gpointer layer;
          g_autofree char *tmp = g_strdup_printf ("DROP TABLE IF EXISTS temp.ngam_layers_%s;"
                                                  "CREATE TEMP TABLE ngam_layers_%s (layer TEXT PRIMARY KEY)", t, t);
          g_autoptr(sqlite3_stmt) ins = NULL;

          if (!ngam_store_exec (s->store, tmp, error))
            return FALSE;
          g_string_printf (sql, "INSERT OR IGNORE INTO temp.ngam_layers_%s (layer) VALUES (?1)", t);
          if (!prepare (s->store, sql->str, &ins, error))
            return FALSE;
          g_hash_table_iter_init (&it, s->layers);
          while (g_hash_table_iter_next (&it, &layer, NULL))
            {
              sqlite3_reset (ins);
              sqlite3_bind_text (ins, 1, layer, -1, SQLITE_STATIC);
              if (sqlite3_step (ins) != SQLITE_DONE)
                return ngam_store_set_sql_error (s->store, error, "cannot retire features");
            }
          g_string_printf (where, "source_layer IN (SELECT layer FROM temp.ngam_layers_%s)", t);
        }
      else
        g_string_printf (where, "operator = ?2");
      g_string_append_printf (where, " AND retired = 0 AND import_id IS NOT ?1"
                                     " AND fid NOT IN (SELECT fid FROM temp.ngam_seen_%s)", t);
      g_string_printf (sql, "SELECT fid FROM %s WHERE %s ORDER BY fid", t, where->str);
      if (!prepare (s->store, sql->str, &sel, error))
        return FALSE;
      sqlite3_bind_int64 (sel, 1, s->import_id);
      sqlite3_bind_text (sel, 2, s->operator_name, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (sel)) == SQLITE_ROW)
        {
          gint64 fid = sqlite3_column_int64 (sel, 0);

          if (retired_fids && retired_fids->len < max_listed)
            g_array_append_val (retired_fids, fid);
          (*n_retired)++;
        }
      if (rc != SQLITE_DONE)
        return ngam_store_set_sql_error (s->store, error, "cannot retire features");
      g_string_printf (sql, "UPDATE %s SET retired = 1, import_id = ?1 WHERE %s", t, where->str);
      if (!prepare (s->store, sql->str, &upd, error))
        return FALSE;
      sqlite3_bind_int64 (upd, 1, s->import_id);
      sqlite3_bind_text (upd, 2, s->operator_name, -1, SQLITE_STATIC);
      if (sqlite3_step (upd) != SQLITE_DONE)
        return ngam_store_set_sql_error (s->store, error, "cannot retire features");
    }
  return TRUE;
}

void
ngam_store_sync_free (NgamStoreSync *s)
{
  if (s == NULL)
    return;
  ngam_store_writer_free (s->writer);
  sqlite3_finalize (s->lookup);
  sqlite3_finalize (s->update);
  sqlite3_finalize (s->update_index);
  sqlite3_finalize (s->hash);
  sqlite3_finalize (s->key);
  sqlite3_finalize (s->seen);
  if (s->store && s->store->db)
    {
      const char *t = ngam_layer_info (s->kind)->name;
      g_autofree char *sql = g_strdup_printf ("DROP TABLE IF EXISTS temp.ngam_hash_%s;"
                                              "DROP TABLE IF EXISTS temp.ngam_keys_%s;"
                                              "DROP TABLE IF EXISTS temp.ngam_seen_%s;"
                                              "DROP TABLE IF EXISTS temp.ngam_layers_%s;", t, t, t, t);

      /* Best effort: temp tables vanish with the connection anyway. */
      sqlite3_exec (s->store->db, sql, NULL, NULL, NULL);
    }
  g_hash_table_unref (s->layers);
  g_byte_array_unref (s->blob);
  g_free (s->operator_name);
  g_free (s);
}

/* ---- nearest feature -------------------------------------------------- */

struct _NgamStoreNearest
{
  NgamStore    *store;
  NgamLayerKind kind;
  sqlite3_stmt *st;
  NgamShape    *shape;
  gint64        count;
};

/**
 * ngam_store_nearest_new:
 *
 * Finds the nearest live feature of a point layer (snapping span ends to
 * poles), through the layer's spatial index.
 */
NgamStoreNearest *
ngam_store_nearest_new (NgamStore      *store,
                        NgamLayerKind   kind,
                        GError        **error)
{
  g_autoptr(NgamStoreNearest) n = g_new0 (NgamStoreNearest, 1);
  const char *t = ngam_layer_info (kind)->name;
  /* Drive the query from the R*Tree: an IN (subquery) lets SQLite pick
   * the table first on some plans. */
  g_autofree char *sql = g_strdup_printf ("SELECT p.fid, p.geom FROM idx_%s_geom AS r CROSS JOIN %s AS p"
                                          " ON p.fid = r.pkid WHERE r.xmin <= ?3 AND r.xmax >= ?1"
                                          " AND r.ymin <= ?4 AND r.ymax >= ?2 AND p.retired = 0", t, t);

  n->store = store;
  n->kind = kind;
  n->shape = ngam_shape_new ();
  if (!prepare (store, sql, &n->st, error))
    return NULL;
  n->count = ngam_store_count (store, kind, error);
  if (n->count < 0)
    return NULL;
  return g_steal_pointer (&n);
}

gint64
ngam_store_nearest_count (NgamStoreNearest *n)
{
  return n->count;
}

/**
 * ngam_store_nearest_find:
 * @fid: (out): the nearest feature within @tolerance, or 0 when none
 * @px, @py: (out): its first vertex
 * @distance: (out): how far it is
 */
gboolean
ngam_store_nearest_find (NgamStoreNearest  *n,
                         double             x,
                         double             y,
                         double             tolerance,
                         gint64            *fid,
                         double            *px,
                         double            *py,
                         double            *distance,
                         GError           **error)
{
  int rc;
  double best = G_MAXDOUBLE;

  *fid = 0;
  sqlite3_reset (n->st);
  sqlite3_bind_double (n->st, 1, x - tolerance);
  sqlite3_bind_double (n->st, 2, y - tolerance);
  sqlite3_bind_double (n->st, 3, x + tolerance);
  sqlite3_bind_double (n->st, 4, y + tolerance);
  while ((rc = sqlite3_step (n->st)) == SQLITE_ROW)
    {
      const void *blob = sqlite3_column_blob (n->st, 1);
      double d;

      if (blob == NULL ||
          !ngam_shape_from_spatialite (n->shape, blob, sqlite3_column_bytes (n->st, 1), NULL) ||
          n->shape->n_points == 0)
        continue;
      d = hypot (n->shape->xy[0] - x, n->shape->xy[1] - y);
      if (d <= tolerance && d < best)
        {
          best = d;
          *fid = sqlite3_column_int64 (n->st, 0);
          *px = n->shape->xy[0];
          *py = n->shape->xy[1];
          *distance = d;
        }
    }
  sqlite3_reset (n->st);
  if (rc != SQLITE_DONE)
    return ngam_store_set_sql_error (n->store, error, "cannot look for the nearest feature");
  return TRUE;
}

void
ngam_store_nearest_free (NgamStoreNearest *n)
{
  if (n == NULL)
    return;
  sqlite3_finalize (n->st);
  ngam_shape_free (n->shape);
  g_free (n);
}
