/* ngam-sqlite-sync.c — re-import: match features by source key, update,
 * add and retire
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An import writes one layer inside the caller's transaction.  Features
 * are matched on their source key within a scope, which the caller
 * chooses by passing an operator or not:
 *
 *  - an operator, when every feature of the run is that operator's (an
 *    operator's newer file replaces its older one, whatever the file is
 *    called, and the features of that operator it lacks are retired),
 *    but for the features a shared file gave that operator: those are the
 *    shared file's to update and retire (operator_scope_sql());
 *  - else the source layer name: a run with no operator, or one whose
 *    features carry their own operators (a profile's operator_field: one
 *    shared file with several operators' features).  Scoping such a run
 *    by one operator would retire every other operator's features and
 *    miss the ones that changed owner; by the layer, the same file
 *    re-imported matches itself, and a newer file of the same name
 *    updates, adds and retires within it, a feature that changed owner
 *    being an update.  A feature matches only if its operator is the same
 *    too, so a changed [values.operator] shows as updates.
 *
 * What the run has written must be remembered for two questions asked of
 * every feature: is it an exact duplicate of one already written, and is
 * its key already given out?  Each is a bounded map from a hash to the
 * fid written (ngam-store-fidmap.c); a hash match is only a candidate,
 * the row is read back and compared (same_content(), same_key()), so a
 * collision costs one row read and never a wrong answer.
 *
 * In a first import (nothing in the scope yet) every feature is new: they
 * wait in a small group (the caller keeps them alive until
 * ngam_store_sync_flush()) and go into one many-row INSERT; duplicate and
 * key checks look at the waiting group too.  When the scope already has
 * features (a re-import) each feature is also looked up by key; fids found
 * unchanged go to TEMP table ngam_seen_K, which the retire step spares.  Rows added or updated carry the run's
 * import_id, so they are spared too.  New rows go through NgamStoreWriter
 * (its triggers are off for the run), so updates keep the spatial index in
 * step themselves.
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-store-fidmap.h"
#include "ngam-sqlite-private.h"
#include "ngam-store-sync.h"

typedef struct _NgamSqliteSync NgamSqliteSync;

struct _NgamSqliteSync
{
  NgamStoreSync   parent;   /* first: the store, and so its backend */
  NgamLayerKind    kind;
  char            *operator_name;
  gint64           import_id;
  gint64           existing;      /* rows in scope when the run began */
  NgamStoreWriter *writer;
  sqlite3_stmt    *lookup;
  sqlite3_stmt    *update;
  sqlite3_stmt    *update_index;
  sqlite3_stmt    *seen;
  sqlite3_stmt    *read_content;  /* attrs, geom by fid */
  sqlite3_stmt    *read_key;      /* source_key, source_layer by fid */
  NgamFidMap           contents;      /* content hash → fid */
  NgamFidMap           keys;          /* key hash → fid */
  gsize            max_entries;
  GHashTable      *layers;        /* source layers written, when no operator */
  const char      *last_layer;    /* the last one seen, in layers */
  GByteArray      *blob;
  NgamShape       *shape;         /* rows read back */
  /* new rows waiting for one many-row INSERT (a first import): the
   * caller's, alive until ngam_store_sync_flush() */
  NgamFeature     *pending[NGAM_STORE_WRITER_MAX_BATCH];
  const NgamStoreRow *pending_row[NGAM_STORE_WRITER_MAX_BATCH];
  gssize           pending_attrs_len[NGAM_STORE_WRITER_MAX_BATCH];
  guint64          pending_hash[NGAM_STORE_WRITER_MAX_BATCH];
  guint64          pending_key_hash[NGAM_STORE_WRITER_MAX_BATCH];
  guint            n_pending;
};

static void
free_sync (NgamSqliteSync *self)
{
  ngam_sqlite_sync_free ((NgamStoreSync *) self);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamSqliteSync, free_sync)

/* The maps' 32-bit key of a 64-bit hash: folded, then mixed (MurmurHash3's
 * finaliser, a bijection) so that even hashes that are small numbers
 * spread over all 32 bits: a map files its keys by their top bits. */
static guint32
fold32 (guint64 h)
{
  guint32 k = (guint32) (h ^ (h >> 32));

  k ^= k >> 16;
  k *= 0x85ebca6bu;
  k ^= k >> 13;
  k *= 0xc2b2ae35u;
  k ^= k >> 16;
  return k;
}

static gboolean
prepare (NgamStore *store, const char *sql, sqlite3_stmt **st, GError **error)
{
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, sql, -1, st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot prepare the import");
  return TRUE;
}

/* The rows of layer @t an operator's run may match and retire: that
 * operator's, but for those a run with per-feature operators (no operator
 * of its own in the import log) last wrote, which are the shared file's:
 * an operator's own file must not retire what the province's inventory
 * says that operator has.  Parameter ?@param is the operator. */
static char *
operator_scope_sql (const char *t,
                    guint       param,
                    gboolean    by_key)
{
  /* By key, the source_key index must be the one used: "+" keeps SQLite
   * (which has no statistics to tell) from walking the operator's index,
   * all of the operator's rows for each feature. */
  return g_strdup_printf ("%soperator = ?%u AND NOT EXISTS (SELECT 1 FROM imports WHERE imports.id = %s.import_id"
                          " AND imports.operator IS NULL)", by_key ? "+" : "", param, t);
}

/**
 * ngam_store_sync_new:
 * @operator_name: (nullable): the scope, when every feature of the run is
 *   this operator's; %NULL scopes by source layer (a run whose features
 *   carry their own operators must pass %NULL: see the top of this file)
 * @import_id: from ngam_store_import_log_begin()
 *
 * Returns: (transfer full): the sync, or %NULL with @error set.
 */
NgamStoreSync *
ngam_sqlite_sync_new (NgamStore      *store,
                      NgamLayerKind   kind,
                      const char     *operator_name,
                      gint64          import_id,
                      GError        **error)
{
  g_autoptr(NgamSqliteSync) s = g_new0 (NgamSqliteSync, 1);
  const NgamLayerInfo *info = ngam_layer_info (kind);
  const char *t = info->name;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *cols = ngam_sqlite_columns_sql (kind);
  g_autofree char *tmp = NULL;
  g_autoptr(sqlite3_stmt) count = NULL;
  guint n_params = NGAM_STORE_N_COMMON + info->n_fields + 1;
  g_autofree char *scope = operator_name ? operator_scope_sql (t, 2, TRUE) : g_strdup ("source_layer = ?4");
  g_autofree char *count_scope = operator_scope_sql (t, 1, FALSE);

  s->parent.store = store;
  s->kind = kind;
  s->operator_name = g_strdup (operator_name);
  s->import_id = import_id;
  s->layers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  s->blob = g_byte_array_new ();
  s->shape = ngam_shape_new ();
  s->max_entries = NGAM_STORE_SYNC_MAX_ENTRIES;
  ngam_fid_map_init (&s->contents);
  ngam_fid_map_init (&s->keys);

  tmp = g_strdup_printf ("DROP TABLE IF EXISTS temp.ngam_seen_%s;"
                         "CREATE TEMP TABLE ngam_seen_%s (fid INTEGER PRIMARY KEY);", t, t);
  if (!ngam_sqlite_exec (store, tmp, error))
    return NULL;

  g_string_printf (sql, "SELECT count(*) FROM %s%s%s", t, operator_name ? " WHERE " : "", operator_name ? count_scope : "");
  if (!prepare (store, sql->str, &count, error))
    return NULL;
  sqlite3_bind_text (count, 1, operator_name, -1, SQLITE_STATIC);
  if (sqlite3_step (count) != SQLITE_ROW)
    return ngam_sqlite_set_sql_error (store, error, "cannot count the layer"), NULL;
  s->existing = sqlite3_column_int64 (count, 0);
  /* An open read cursor would keep the writer from dropping indexes. */
  g_clear_pointer (&count, sqlite3_finalize);

  /* The lookup uses ngam_sqlite_bind_row()'s numbering: ?2 operator, ?4
   * source layer, ?6 source key, ?9 attrs, then the fields, then geom. */
  g_string_printf (sql, "SELECT fid, retired, (attrs IS ?9 AND operator IS ?2 AND geom IS ?%u", n_params);
  for (guint i = 0; i < info->n_fields; i++)
    g_string_append_printf (sql, " AND %s IS ?%u", info->fields[i].name, NGAM_STORE_N_COMMON + 1 + i);
  g_string_append_printf (sql, ") FROM %s WHERE source_key = ?6 AND %s", t, scope);
  if (!prepare (store, sql->str, &s->lookup, error))
    return NULL;

  g_string_printf (sql, "UPDATE %s SET (%s) = (?1", t, cols);
  for (guint i = 2; i <= n_params; i++)
    g_string_append_printf (sql, ", ?%u", i);
  g_string_append (sql, "), row_version = row_version + 1 WHERE fid = ?1");
  if (!prepare (store, sql->str, &s->update, error))
    return NULL;
  g_string_printf (sql, "UPDATE idx_%s_geom SET xmin = ?2, xmax = ?3, ymin = ?4, ymax = ?5 WHERE pkid = ?1", t);
  if (!prepare (store, sql->str, &s->update_index, error))
    return NULL;
  g_string_printf (sql, "INSERT OR IGNORE INTO temp.ngam_seen_%s (fid) VALUES (?1)", t);
  if (!prepare (store, sql->str, &s->seen, error))
    return NULL;
  g_string_printf (sql, "SELECT attrs, geom FROM %s WHERE fid = ?1", t);
  if (!prepare (store, sql->str, &s->read_content, error))
    return NULL;
  g_string_printf (sql, "SELECT source_key, source_layer FROM %s WHERE fid = ?1", t);
  if (!prepare (store, sql->str, &s->read_key, error))
    return NULL;

  s->writer = ngam_sqlite_writer_new (store, kind, error);
  if (s->writer == NULL)
    return NULL;
  return (NgamStoreSync *) g_steal_pointer (&s);
}

/**
 * ngam_store_sync_set_memory_limit:
 * @max_entries: how many features each of the run's two maps keeps in
 *   memory before it moves them to a TEMP table (at least 1)
 *
 * For tests of the bounded path, and for machines with little memory.
 */
void
ngam_sqlite_sync_set_memory_limit (NgamStoreSync *self,
                                   gsize          max_entries)
{
  NgamSqliteSync *s = (NgamSqliteSync *) self;
  s->max_entries = MAX (max_entries, 1);
}

/**
 * ngam_store_sync_reserve:
 * @n: how many features the run expects
 *
 * Allocates the run's memory once for @n features (within the memory
 * limit) instead of growing it as they come.
 */
void
ngam_sqlite_sync_reserve (NgamStoreSync *self,
                          gsize          n)
{
  NgamSqliteSync *s = (NgamSqliteSync *) self;
  gsize want = ngam_fid_map_slots_for (MIN (n, s->max_entries));

  if (n == 0)
    return;
  s->contents.expected = s->keys.expected = n;
  if (s->contents.n_slots < want && s->contents.n == 0)
    ngam_fid_map_resize (&s->contents, want);
  if (s->keys.n_slots < want && s->keys.n == 0)
    ngam_fid_map_resize (&s->keys, want);
  ngam_sqlite_writer_reserve (s->writer, n);
}

/* Rows of this layer in the scope before the run: 0 means a first import,
 * where no lookup is needed. */
gint64
ngam_sqlite_sync_count_existing (NgamStoreSync *self)
{
  NgamSqliteSync *s = (NgamSqliteSync *) self;
  return s->existing;
}

/* How many entries went to the spill files (0 while memory sufficed). */
gsize
ngam_sqlite_sync_get_spilled (NgamStoreSync *self)
{
  NgamSqliteSync *s = (NgamSqliteSync *) self;
  return s->contents.spilled + s->keys.spilled;
}

static gboolean
same_shape (const NgamShape *a, const NgamShape *b)
{
  return a->type == b->type && a->n_points == b->n_points && a->n_parts == b->n_parts &&
         memcmp (a->xy, b->xy, sizeof (double) * 2 * a->n_points) == 0 &&
         memcmp (a->part_start, b->part_start, sizeof (guint) * (a->n_parts + 1)) == 0;
}

static gboolean
same_content (gpointer        owner,
              gint64          fid,
              gconstpointer   data,
              gboolean       *equal,
              GError        **error)
{
  NgamSqliteSync *s = owner;
  const NgamFeature *f = data;
  const NgamShape *a = f->shape, *b = s->shape;
  const char *attrs;
  const void *blob;
  int rc;

  *equal = FALSE;
  sqlite3_reset (s->read_content);
  sqlite3_bind_int64 (s->read_content, 1, fid);
  rc = sqlite3_step (s->read_content);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (s->read_content);
      return rc == SQLITE_DONE ? TRUE : ngam_sqlite_set_sql_error (s->parent.store, error, "cannot read a feature back");
    }
  attrs = (const char *) sqlite3_column_text (s->read_content, 0);
  blob = sqlite3_column_blob (s->read_content, 1);
  if (g_strcmp0 (attrs, f->attrs) == 0 && blob != NULL &&
      ngam_shape_from_spatialite (s->shape, blob, sqlite3_column_bytes (s->read_content, 1), NULL))
    *equal = same_shape (a, b);
  sqlite3_reset (s->read_content);
  return TRUE;
}

/**
 * ngam_store_sync_hash_key:
 * @layer: the feature's source layer
 *
 * The hash ngam_store_sync_unique_key() and ngam_store_sync_put() want
 * for @key in the sync's scope.  Safe to call from another thread.
 */
guint64
ngam_sqlite_sync_hash_key (const NgamStoreSync *self,
                           const char          *layer,
                           const char          *key)
{
  const NgamSqliteSync *s = (const NgamSqliteSync *) self;
  guint64 h = ngam_hash64 (0x6b6579, key, strlen (key));

  if (s->operator_name == NULL && layer)
    h = ngam_hash64 (h, layer, strlen (layer));
  return h;
}

/**
 * ngam_store_sync_prefetch:
 * @hash: the content hash of a feature ngam_store_sync_is_duplicate() will
 *   see soon
 * @key_hash: its key's (ngam_store_sync_hash_key())
 *
 * Starts loading the memory its duplicate and key checks will read: the
 * maps are larger than the caches, and a few rows ahead the wait is
 * hidden behind the row being written.
 */
void
ngam_sqlite_sync_prefetch (NgamStoreSync *self,
                           guint64        hash,
                           guint64        key_hash)
{
  NgamSqliteSync *s = (NgamSqliteSync *) self;
  guint32 h = fold32 (hash), kh = fold32 (key_hash);
  guint64 bits;

  if (s->contents.n > 0)
    __builtin_prefetch (&s->contents.slots[ngam_fid_map_pos (&s->contents, h)]);
  if (s->keys.n > 0)
    __builtin_prefetch (&s->keys.slots[ngam_fid_map_pos (&s->keys, kh)]);
  if (s->contents.spilled > 0)
    __builtin_prefetch (ngam_fid_map_filter_word (&s->contents, h, &bits));
  if (s->keys.spilled > 0)
    __builtin_prefetch (ngam_fid_map_filter_word (&s->keys, kh, &bits));
}

/**
 * ngam_store_sync_is_duplicate:
 * @feature: its shape and raw attributes are compared
 * @hash: a hash of exactly those (any function, the same for the run)
 * @duplicate: (out): TRUE when the run already wrote this content
 */
gboolean
ngam_sqlite_sync_is_duplicate (NgamStoreSync      *self,
                               const NgamFeature  *feature,
                               guint64             hash,
                               gboolean           *duplicate,
                               GError            **error)
{
  NgamSqliteSync *s = (NgamSqliteSync *) self;
  for (guint i = 0; i < s->n_pending; i++)
    if (s->pending_hash[i] == hash && g_strcmp0 (s->pending[i]->attrs, feature->attrs) == 0 &&
        same_shape (s->pending[i]->shape, feature->shape))
      {
        *duplicate = TRUE;
        return TRUE;
      }
  return ngam_fid_map_find (&s->contents, s, fold32 (hash), same_content, feature, duplicate, error);
}

typedef struct
{
  const char *key;
  const char *layer;   /* NULL when the operator is the scope */
} KeyProbe;

static gboolean
same_key (gpointer        owner,
          gint64          fid,
          gconstpointer   data,
          gboolean       *equal,
          GError        **error)
{
  NgamSqliteSync *s = owner;
  const KeyProbe *k = data;
  int rc;

  *equal = FALSE;
  sqlite3_reset (s->read_key);
  sqlite3_bind_int64 (s->read_key, 1, fid);
  rc = sqlite3_step (s->read_key);
  if (rc == SQLITE_ROW)
    *equal = g_strcmp0 ((const char *) sqlite3_column_text (s->read_key, 0), k->key) == 0 &&
             (k->layer == NULL || g_strcmp0 ((const char *) sqlite3_column_text (s->read_key, 1), k->layer) == 0);
  sqlite3_reset (s->read_key);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ngam_sqlite_set_sql_error (s->parent.store, error, "cannot read a feature back");
  return TRUE;
}

/**
 * ngam_store_sync_unique_key:
 * @layer: the feature's source layer
 * @key_hash: (inout): @key's hash (ngam_store_sync_hash_key()); on return,
 *   the hash of the key to store
 * @renamed: (out) (transfer full): %NULL when @key is free, else the key
 *   to store instead: "@key#2", "@key#3"…, as the run already gave @key
 *   to another feature of the scope
 */
gboolean
ngam_sqlite_sync_unique_key (NgamStoreSync  *self,
                             const char     *layer,
                             const char     *key,
                             guint64        *key_hash,
                             char          **renamed,
                             GError        **error)
{
  NgamSqliteSync *s = (NgamSqliteSync *) self;
  *renamed = NULL;
  if (s->operator_name == NULL && (s->last_layer == NULL || strcmp (s->last_layer, layer) != 0))
    {
      if (!g_hash_table_contains (s->layers, layer))
        g_hash_table_add (s->layers, g_strdup (layer));
      s->last_layer = g_hash_table_lookup (s->layers, layer);
    }
  for (guint n = 1;; n++)
    {
      g_autofree char *candidate = n == 1 ? NULL : g_strdup_printf ("%s#%u", key, n);
      KeyProbe probe = { candidate ? candidate : key, s->operator_name ? NULL : layer };
      guint64 h = candidate ? ngam_sqlite_sync_hash_key (&s->parent, layer, candidate) : *key_hash;
      gboolean taken = FALSE;

      for (guint i = 0; i < s->n_pending && !taken; i++)
        taken = s->pending_key_hash[i] == h && strcmp (s->pending[i]->source_key, probe.key) == 0 &&
                (probe.layer == NULL || g_strcmp0 (s->pending[i]->source_layer, probe.layer) == 0);
      if (!taken && !ngam_fid_map_find (&s->keys, s, fold32 (h), same_key, &probe, &taken, error))
        return FALSE;
      if (!taken)
        {
          *key_hash = h;
          *renamed = g_steal_pointer (&candidate);
          return TRUE;
        }
    }
}

static gboolean
update_row (NgamSqliteSync  *s,
            NgamFeature     *f,
            GError         **error)
{
  const NgamShape *shape = f->shape;

  sqlite3_reset (s->update);
  ngam_sqlite_bind_row (s->parent.store, s->update, f, s->blob);
  if (sqlite3_step (s->update) != SQLITE_DONE)
    return ngam_sqlite_set_sql_error (s->parent.store, error, "cannot update a feature");
  sqlite3_reset (s->update_index);
  sqlite3_bind_int64 (s->update_index, 1, f->fid);
  sqlite3_bind_double (s->update_index, 2, shape->bbox[0]);
  sqlite3_bind_double (s->update_index, 3, shape->bbox[2]);
  sqlite3_bind_double (s->update_index, 4, shape->bbox[1]);
  sqlite3_bind_double (s->update_index, 5, shape->bbox[3]);
  if (sqlite3_step (s->update_index) != SQLITE_DONE)
    return ngam_sqlite_set_sql_error (s->parent.store, error, "cannot update the spatial index");
  return TRUE;
}

static gboolean
put (NgamSqliteSync  *s,
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
      ngam_shape_to_spatialite (f->shape, s->parent.store->srid, s->blob);
      sqlite3_reset (s->lookup);
      ngam_sqlite_bind_row (s->parent.store, s->lookup, f, s->blob);
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
                return ngam_sqlite_set_sql_error (s->parent.store, error, "cannot note a feature");
              return TRUE;
            }
          *action = was_retired ? NGAM_SYNC_RESTORED : NGAM_SYNC_UPDATED;
          return update_row (s, f, error);
        }
      sqlite3_reset (s->lookup);
      if (rc != SQLITE_DONE)
        return ngam_sqlite_set_sql_error (s->parent.store, error, "cannot look a feature up");
      f->fid = 0;
    }
  *action = NGAM_SYNC_ADDED;
  return ngam_sqlite_writer_add (s->writer, f, &f->fid, error);
}

/**
 * ngam_store_sync_flush:
 *
 * Writes the features ngam_store_sync_put() keeps waiting for one INSERT;
 * after it, the caller may reuse them.
 */
gboolean
ngam_sqlite_sync_flush (NgamStoreSync  *self,
                        GError        **error)
{
  NgamSqliteSync *s = (NgamSqliteSync *) self;
  gint64 fids[NGAM_STORE_WRITER_MAX_BATCH];
  guint n = s->n_pending;

  if (n == 0)
    return TRUE;
  s->n_pending = 0;
  if (!ngam_sqlite_writer_add_many (s->writer, s->pending, s->pending_row, s->pending_attrs_len, n, fids, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      NgamFeature *f = s->pending[i];

      f->fid = fids[i];
      if (!ngam_fid_map_add (&s->contents, s->max_entries, fold32 (s->pending_hash[i]), f->fid, error) ||
          (f->source_key && !ngam_fid_map_add (&s->keys, s->max_entries, fold32 (s->pending_key_hash[i]), f->fid, error)))
        return FALSE;
    }
  return TRUE;
}

/**
 * ngam_store_sync_put:
 * @feature: (inout): its source key (from ngam_store_sync_unique_key()),
 *   layer, operator and import id set; its fid is set on return
 * @row: (nullable): its shape, from ngam_store_row_prepare(); with it, a new feature may wait for others to be
 *   written with (see ngam_store_sync_flush()): both must stay as they are
 *   until then
 * @attrs_len: the length of its raw attributes, or -1
 * @hash: as given to ngam_store_sync_is_duplicate()
 * @key_hash: its key's, from ngam_store_sync_unique_key()
 * @action: (out): what happened
 *
 * Adds the feature, or updates (or leaves) the one with the same key, and
 * remembers its content and key for the rest of the run.
 */
gboolean
ngam_sqlite_sync_put (NgamStoreSync       *self,
                      NgamFeature         *f,
                      const NgamStoreRow  *row,
                      gssize               attrs_len,
                      guint64              hash,
                      guint64              key_hash,
                      NgamSyncAction      *action,
                      GError             **error)
{
  NgamSqliteSync *s = (NgamSqliteSync *) self;
  if (s->existing == 0 && row && f->source_key)
    {
      /* a first import: every feature is new, written in groups */
      f->import_id = s->import_id;
      f->retired = FALSE;
      f->fid = 0;
      s->pending[s->n_pending] = f;
      s->pending_row[s->n_pending] = row;
      s->pending_attrs_len[s->n_pending] = attrs_len;
      s->pending_hash[s->n_pending] = hash;
      s->pending_key_hash[s->n_pending] = key_hash;
      s->n_pending++;
      *action = NGAM_SYNC_ADDED;
      return s->n_pending < NGAM_STORE_WRITER_MAX_BATCH || ngam_sqlite_sync_flush (&s->parent, error);
    }
  if (!ngam_sqlite_sync_flush (&s->parent, error) || !put (s, f, action, error))
    return FALSE;
  if (!ngam_fid_map_add (&s->contents, s->max_entries, fold32 (hash), f->fid, error))
    return FALSE;
  if (f->source_key && !ngam_fid_map_add (&s->keys, s->max_entries, fold32 (key_hash), f->fid, error))
    return FALSE;
  return TRUE;
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
ngam_sqlite_sync_finish (NgamStoreSync  *self,
                         gboolean        retire,
                         GArray         *retired_fids,
                         guint           max_listed,
                         gint64         *n_retired,
                         GError        **error)
{
  NgamSqliteSync *s = (NgamSqliteSync *) self;
  const char *t = ngam_layer_info (s->kind)->name;

  *n_retired = 0;
  if (!ngam_sqlite_sync_flush (&s->parent, error))
    return FALSE;
  if (s->contents.spilled || s->keys.spilled)
    g_debug ("the run's maps spilled %" G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT " entries (%u and %u runs);"
             " %" G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT " lookups read the file", s->contents.spilled, s->keys.spilled,
             s->contents.runs ? s->contents.runs->len : 0, s->keys.runs ? s->keys.runs->len : 0,
             s->contents.file_lookups, s->keys.file_lookups);
  /* no more lookups: the maps' memory goes before the writer's finish,
   * where the load's memory peaks */
  ngam_fid_map_clear (&s->contents);
  ngam_fid_map_clear (&s->keys);
  if (!ngam_sqlite_writer_finish (s->writer, error))
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

          if (!ngam_sqlite_exec (s->parent.store, tmp, error))
            return FALSE;
          g_string_printf (sql, "INSERT OR IGNORE INTO temp.ngam_layers_%s (layer) VALUES (?1)", t);
          if (!prepare (s->parent.store, sql->str, &ins, error))
            return FALSE;
          g_hash_table_iter_init (&it, s->layers);
          while (g_hash_table_iter_next (&it, &layer, NULL))
            {
              sqlite3_reset (ins);
              sqlite3_bind_text (ins, 1, layer, -1, SQLITE_STATIC);
              if (sqlite3_step (ins) != SQLITE_DONE)
                return ngam_sqlite_set_sql_error (s->parent.store, error, "cannot retire features");
            }
          g_string_printf (where, "source_layer IN (SELECT layer FROM temp.ngam_layers_%s)", t);
        }
      else
        {
          g_autofree char *scope = operator_scope_sql (t, 2, FALSE);

          g_string_assign (where, scope);
        }
      g_string_append_printf (where, " AND retired = 0 AND import_id IS NOT ?1"
                                     " AND fid NOT IN (SELECT fid FROM temp.ngam_seen_%s)", t);
      g_string_printf (sql, "SELECT fid FROM %s WHERE %s ORDER BY fid", t, where->str);
      if (!prepare (s->parent.store, sql->str, &sel, error))
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
        return ngam_sqlite_set_sql_error (s->parent.store, error, "cannot retire features");
      g_clear_pointer (&sel, sqlite3_finalize);
      g_string_printf (sql, "UPDATE %s SET retired = 1, import_id = ?1, row_version = row_version + 1 WHERE %s", t, where->str);
      if (!prepare (s->parent.store, sql->str, &upd, error))
        return FALSE;
      sqlite3_bind_int64 (upd, 1, s->import_id);
      sqlite3_bind_text (upd, 2, s->operator_name, -1, SQLITE_STATIC);
      if (sqlite3_step (upd) != SQLITE_DONE)
        return ngam_sqlite_set_sql_error (s->parent.store, error, "cannot retire features");
    }
  return TRUE;
}

void
ngam_sqlite_sync_free (NgamStoreSync *self)
{
  NgamSqliteSync *s = (NgamSqliteSync *) self;
  if (s == NULL)
    return;
  ngam_sqlite_writer_free (s->writer);
  sqlite3_finalize (s->lookup);
  sqlite3_finalize (s->update);
  sqlite3_finalize (s->update_index);
  sqlite3_finalize (s->seen);
  sqlite3_finalize (s->read_content);
  sqlite3_finalize (s->read_key);
  if (s->parent.store && NGAM_SQLITE (s->parent.store)->db)
    {
      const char *t = ngam_layer_info (s->kind)->name;
      g_autofree char *sql = g_strdup_printf ("DROP TABLE IF EXISTS temp.ngam_seen_%s;"
                                              "DROP TABLE IF EXISTS temp.ngam_layers_%s;", t, t);

      /* Best effort: temp tables vanish with the connection anyway. */
      sqlite3_exec (NGAM_SQLITE (s->parent.store)->db, sql, NULL, NULL, NULL);
    }
  ngam_fid_map_clear (&s->contents);
  ngam_fid_map_clear (&s->keys);
  g_hash_table_unref (s->layers);
  g_byte_array_unref (s->blob);
  ngam_shape_free (s->shape);
  g_free (s->operator_name);
  g_free (s);
}
