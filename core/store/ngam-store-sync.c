/* ngam-store-sync.c — re-import: match features by source key, update,
 * add and retire; the import log; nearest-feature lookups for snapping
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An import writes one layer inside the caller's transaction.  Features
 * are matched on their source key within a scope: the operator when one is
 * given (an operator's newer file replaces its older one, whatever the file
 * is called), else the source layer name (re-importing the same file).
 *
 * What the run has written must be remembered for two questions asked of
 * every feature: is it an exact duplicate of one already written, and is
 * its key already given out?  Asking SQLite (a TEMP table insert per
 * feature) cost more than writing the feature itself, so each is a
 * multimap in memory from a 32-bit hash to the fid written: 8 bytes a
 * slot, at most three quarters full.  A hash match is only a candidate:
 * the row is read back and compared (content, or key and scope), so a
 * collision costs one row read and never a wrong answer.  The maps are
 * bounded: past ngam_store_sync_set_memory_limit() entries (3·2^20 by
 * default, 32 MiB a map) they move to TEMP tables and fill again, so a
 * file of any size keeps the same footprint, paying an indexed lookup per
 * feature once it is that big.
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

#include "ngam-store-private.h"
#include "ngam-store-sync.h"

/* A multimap from 32-bit hashes to fids: slot = hash << 32 | fid, 0 empty
 * (fids start at 1).  Entries past max_entries, or with a fid beyond 32
 * bits, go to a TEMP table. */
typedef struct
{
  guint64      *slots;
  gsize         n_slots;        /* a power of two, or 0 */
  guint         shift;          /* 64 − log2 (n_slots) */
  gsize         n;              /* entries in memory */
  gsize         spilled;        /* entries in the TEMP table */
  char         *table;          /* its name */
  sqlite3_stmt *spill_insert;
  sqlite3_stmt *spill_lookup;
} FidMap;

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
  sqlite3_stmt    *seen;
  sqlite3_stmt    *read_content;  /* attrs, geom by fid */
  sqlite3_stmt    *read_key;      /* source_key, source_layer by fid */
  FidMap           contents;      /* content hash → fid */
  FidMap           keys;          /* key hash → fid */
  gsize            max_entries;
  GHashTable      *layers;        /* source layers written, when no operator */
  const char      *last_layer;    /* the last one seen, in layers */
  GByteArray      *blob;
  NgamShape       *shape;         /* rows read back */
  /* new rows waiting for one many-row INSERT (a first import): the
   * caller's, alive until ngam_store_sync_flush() */
  NgamFeature     *pending[NGAM_STORE_WRITER_MAX_BATCH];
  GByteArray      *pending_blob[NGAM_STORE_WRITER_MAX_BATCH];
  gssize           pending_attrs_len[NGAM_STORE_WRITER_MAX_BATCH];
  guint64          pending_hash[NGAM_STORE_WRITER_MAX_BATCH];
  guint64          pending_key_hash[NGAM_STORE_WRITER_MAX_BATCH];
  guint            n_pending;
};

/* MurmurHash64A (Austin Appleby, public domain): fast, and good enough
 * that hashes of similar keys ("C001", "C002"…) spread evenly. */
guint64
ngam_hash64 (guint64      seed,
             const void  *data,
             gsize        len)
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

static guint32
fold32 (guint64 h)
{
  return (guint32) (h ^ (h >> 32));
}

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

/* ---- the run's memory: hash → fid ------------------------------------- */

static gboolean
prepare (NgamStore *store, const char *sql, sqlite3_stmt **st, GError **error)
{
  if (sqlite3_prepare_v2 (store->db, sql, -1, st, NULL) != SQLITE_OK)
    return ngam_store_set_sql_error (store, error, "cannot prepare the import");
  return TRUE;
}

static void
fid_map_init (FidMap *m, const char *table)
{
  memset (m, 0, sizeof *m);
  m->table = g_strdup (table);
}

static void
fid_map_clear (FidMap *m)
{
  g_free (m->slots);
  g_free (m->table);
  sqlite3_finalize (m->spill_insert);
  sqlite3_finalize (m->spill_lookup);
  memset (m, 0, sizeof *m);
}

static gsize
fid_map_pos (const FidMap *m, guint32 h)
{
  /* Fibonacci hashing: the top bits of h × 2^64/φ */
  return (gsize) (((guint64) h * 0x9E3779B97F4A7C15ULL) >> m->shift);
}

static void
fid_map_put_slot (FidMap *m, guint64 v)
{
  gsize mask = m->n_slots - 1, i = fid_map_pos (m, (guint32) (v >> 32));

  while (m->slots[i] != 0)
    i = (i + 1) & mask;
  m->slots[i] = v;
}

static void
fid_map_resize (FidMap *m, gsize n_slots)
{
  guint64 *old = m->slots;
  gsize n_old = m->n_slots;
  guint bits = 0;

  while (((gsize) 1 << bits) < n_slots)
    bits++;
  m->n_slots = (gsize) 1 << bits;
  m->shift = 64 - bits;
  m->slots = g_new0 (guint64, m->n_slots);
  for (gsize i = 0; i < n_old; i++)
    if (old[i])
      fid_map_put_slot (m, old[i]);
  g_free (old);
}

/* Moves every entry in memory to the TEMP table (and @extra_fid, which
 * does not fit a slot): the memory is reused from empty. */
static gboolean
fid_map_spill (FidMap        *m,
               NgamStore     *store,
               guint32        extra_h,
               gint64         extra_fid,
               GError       **error)
{
  if (m->spill_insert == NULL)
    {
      g_autofree char *create = g_strdup_printf ("DROP TABLE IF EXISTS temp.%s;"
                                                 "CREATE TEMP TABLE %s (h INTEGER NOT NULL, fid INTEGER NOT NULL);"
                                                 "CREATE INDEX temp.%s_h ON %s (h)", m->table, m->table, m->table, m->table);
      g_autofree char *ins = g_strdup_printf ("INSERT INTO temp.%s (h, fid) VALUES (?1, ?2)", m->table);
      g_autofree char *sel = g_strdup_printf ("SELECT fid FROM temp.%s WHERE h = ?1", m->table);

      if (!ngam_store_exec (store, create, error) ||
          !prepare (store, ins, &m->spill_insert, error) ||
          !prepare (store, sel, &m->spill_lookup, error))
        return FALSE;
    }
  for (gsize i = 0; i <= m->n_slots; i++)
    {
      guint64 v = i < m->n_slots ? m->slots[i] : 0;
      gint64 h = i < m->n_slots ? (gint64) (v >> 32) : extra_h;
      gint64 fid = i < m->n_slots ? (gint64) (v & 0xffffffffu) : extra_fid;

      if (fid == 0)
        continue;
      sqlite3_reset (m->spill_insert);
      sqlite3_bind_int64 (m->spill_insert, 1, h);
      sqlite3_bind_int64 (m->spill_insert, 2, fid);
      if (sqlite3_step (m->spill_insert) != SQLITE_DONE)
        return ngam_store_set_sql_error (store, error, "cannot remember the imported features");
      m->spilled++;
    }
  if (m->n_slots)
    memset (m->slots, 0, m->n_slots * sizeof (guint64));
  m->n = 0;
  return TRUE;
}

static gboolean
fid_map_add (FidMap      *m,
             NgamStore   *store,
             gsize        max_entries,
             guint32      h,
             gint64       fid,
             GError     **error)
{
  if (fid <= 0 || fid > G_MAXUINT32)
    return fid <= 0 || fid_map_spill (m, store, h, fid, error);
  if (m->n + 1 > max_entries)
    {
      if (!fid_map_spill (m, store, 0, 0, error))
        return FALSE;
    }
  if ((m->n + 1) * 4 > m->n_slots * 3)
    fid_map_resize (m, MAX (m->n_slots * 2, 1024));
  fid_map_put_slot (m, (guint64) h << 32 | (guint64) fid);
  m->n++;
  return TRUE;
}

/* Checks each fid filed under @h with @same until one says equal. */
typedef gboolean (*SameFunc) (NgamStoreSync *s, gint64 fid, gconstpointer data, gboolean *equal, GError **error);

static gboolean
fid_map_find (FidMap         *m,
              NgamStoreSync  *s,
              guint32         h,
              SameFunc        same,
              gconstpointer   data,
              gboolean       *found,
              GError        **error)
{
  *found = FALSE;
  if (m->n > 0)
    {
      gsize mask = m->n_slots - 1;

      for (gsize i = fid_map_pos (m, h); m->slots[i] != 0; i = (i + 1) & mask)
        if ((guint32) (m->slots[i] >> 32) == h)
          {
            if (!same (s, (gint64) (m->slots[i] & 0xffffffffu), data, found, error))
              return FALSE;
            if (*found)
              return TRUE;
          }
    }
  if (m->spilled > 0)
    {
      int rc;

      sqlite3_reset (m->spill_lookup);
      sqlite3_bind_int64 (m->spill_lookup, 1, h);
      while ((rc = sqlite3_step (m->spill_lookup)) == SQLITE_ROW)
        {
          gint64 fid = sqlite3_column_int64 (m->spill_lookup, 0);

          if (!same (s, fid, data, found, error))
            {
              sqlite3_reset (m->spill_lookup);
              return FALSE;
            }
          if (*found)
            break;
        }
      sqlite3_reset (m->spill_lookup);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return ngam_store_set_sql_error (s->store, error, "cannot look up the imported features");
    }
  return TRUE;
}

/* ---- sync ------------------------------------------------------------ */

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
  g_autofree char *name = NULL;
  g_autoptr(sqlite3_stmt) count = NULL;
  guint n_params = NGAM_STORE_N_COMMON + info->n_fields + 1;
  const char *scope = operator_name ? "operator = ?2" : "source_layer = ?4";

  s->store = store;
  s->kind = kind;
  s->operator_name = g_strdup (operator_name);
  s->import_id = import_id;
  s->layers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  s->blob = g_byte_array_new ();
  s->shape = ngam_shape_new ();
  s->max_entries = 3 << 20;
  name = g_strdup_printf ("ngam_contents_%s", t);
  fid_map_init (&s->contents, name);
  g_free (name);
  name = g_strdup_printf ("ngam_keys_%s", t);
  fid_map_init (&s->keys, name);

  tmp = g_strdup_printf ("DROP TABLE IF EXISTS temp.ngam_seen_%s;"
                         "CREATE TEMP TABLE ngam_seen_%s (fid INTEGER PRIMARY KEY);", t, t);
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
  g_string_printf (sql, "INSERT OR IGNORE INTO temp.ngam_seen_%s (fid) VALUES (?1)", t);
  if (!prepare (store, sql->str, &s->seen, error))
    return NULL;
  g_string_printf (sql, "SELECT attrs, geom FROM %s WHERE fid = ?1", t);
  if (!prepare (store, sql->str, &s->read_content, error))
    return NULL;
  g_string_printf (sql, "SELECT source_key, source_layer FROM %s WHERE fid = ?1", t);
  if (!prepare (store, sql->str, &s->read_key, error))
    return NULL;

  s->writer = ngam_store_writer_new (store, kind, error);
  if (s->writer == NULL)
    return NULL;
  return g_steal_pointer (&s);
}

/**
 * ngam_store_sync_set_memory_limit:
 * @max_entries: how many features each of the run's two maps keeps in
 *   memory before it moves them to a TEMP table (at least 1)
 *
 * For tests of the bounded path, and for machines with little memory.
 */
void
ngam_store_sync_set_memory_limit (NgamStoreSync *s,
                                  gsize          max_entries)
{
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
ngam_store_sync_reserve (NgamStoreSync *s,
                         gsize          n)
{
  gsize want = MIN (n, s->max_entries) / 3 * 4 + 1;

  if (n == 0)
    return;
  if (s->contents.n_slots < want && s->contents.n == 0)
    fid_map_resize (&s->contents, want);
  if (s->keys.n_slots < want && s->keys.n == 0)
    fid_map_resize (&s->keys, want);
  ngam_store_writer_reserve (s->writer, n);
}

/* Rows of this layer in the scope before the run: 0 means a first import,
 * where no lookup is needed. */
gint64
ngam_store_sync_count_existing (NgamStoreSync *s)
{
  return s->existing;
}

/* How many entries went to TEMP tables (0 while memory sufficed). */
gsize
ngam_store_sync_get_spilled (NgamStoreSync *s)
{
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
same_content (NgamStoreSync  *s,
              gint64          fid,
              gconstpointer   data,
              gboolean       *equal,
              GError        **error)
{
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
      return rc == SQLITE_DONE ? TRUE : ngam_store_set_sql_error (s->store, error, "cannot read a feature back");
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
ngam_store_sync_hash_key (const NgamStoreSync *s,
                          const char          *layer,
                          const char          *key)
{
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
ngam_store_sync_prefetch (NgamStoreSync *s,
                          guint64        hash,
                          guint64        key_hash)
{
  if (s->contents.n > 0)
    __builtin_prefetch (&s->contents.slots[fid_map_pos (&s->contents, fold32 (hash))]);
  if (s->keys.n > 0)
    __builtin_prefetch (&s->keys.slots[fid_map_pos (&s->keys, fold32 (key_hash))]);
}

/**
 * ngam_store_sync_is_duplicate:
 * @feature: its shape and raw attributes are compared
 * @hash: a hash of exactly those (any function, the same for the run)
 * @duplicate: (out): TRUE when the run already wrote this content
 */
gboolean
ngam_store_sync_is_duplicate (NgamStoreSync      *s,
                              const NgamFeature  *feature,
                              guint64             hash,
                              gboolean           *duplicate,
                              GError            **error)
{
  for (guint i = 0; i < s->n_pending; i++)
    if (s->pending_hash[i] == hash && g_strcmp0 (s->pending[i]->attrs, feature->attrs) == 0 &&
        same_shape (s->pending[i]->shape, feature->shape))
      {
        *duplicate = TRUE;
        return TRUE;
      }
  return fid_map_find (&s->contents, s, fold32 (hash), same_content, feature, duplicate, error);
}

typedef struct
{
  const char *key;
  const char *layer;   /* NULL when the operator is the scope */
} KeyProbe;

static gboolean
same_key (NgamStoreSync  *s,
          gint64          fid,
          gconstpointer   data,
          gboolean       *equal,
          GError        **error)
{
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
    return ngam_store_set_sql_error (s->store, error, "cannot read a feature back");
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
ngam_store_sync_unique_key (NgamStoreSync  *s,
                            const char     *layer,
                            const char     *key,
                            guint64        *key_hash,
                            char          **renamed,
                            GError        **error)
{
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
      guint64 h = candidate ? ngam_store_sync_hash_key (s, layer, candidate) : *key_hash;
      gboolean taken = FALSE;

      for (guint i = 0; i < s->n_pending && !taken; i++)
        taken = s->pending_key_hash[i] == h && strcmp (s->pending[i]->source_key, probe.key) == 0 &&
                (probe.layer == NULL || g_strcmp0 (s->pending[i]->source_layer, probe.layer) == 0);
      if (!taken && !fid_map_find (&s->keys, s, fold32 (h), same_key, &probe, &taken, error))
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

static gboolean
put (NgamStoreSync   *s,
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
 * ngam_store_sync_flush:
 *
 * Writes the features ngam_store_sync_put() keeps waiting for one INSERT;
 * after it, the caller may reuse them.
 */
gboolean
ngam_store_sync_flush (NgamStoreSync  *s,
                       GError        **error)
{
  gint64 fids[NGAM_STORE_WRITER_MAX_BATCH];
  guint n = s->n_pending;

  if (n == 0)
    return TRUE;
  s->n_pending = 0;
  if (!ngam_store_writer_add_many (s->writer, s->pending, s->pending_blob, s->pending_attrs_len, n, fids, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      NgamFeature *f = s->pending[i];

      f->fid = fids[i];
      if (!fid_map_add (&s->contents, s->store, s->max_entries, fold32 (s->pending_hash[i]), f->fid, error) ||
          (f->source_key && !fid_map_add (&s->keys, s->store, s->max_entries, fold32 (s->pending_key_hash[i]), f->fid, error)))
        return FALSE;
    }
  return TRUE;
}

/**
 * ngam_store_sync_put:
 * @feature: (inout): its source key (from ngam_store_sync_unique_key()),
 *   layer, operator and import id set; its fid is set on return
 * @blob: (nullable): its shape, from ngam_shape_to_spatialite() with the
 *   project's SRID; with it, a new feature may wait for others to be
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
ngam_store_sync_put (NgamStoreSync   *s,
                     NgamFeature     *f,
                     GByteArray      *blob,
                     gssize           attrs_len,
                     guint64          hash,
                     guint64          key_hash,
                     NgamSyncAction  *action,
                     GError         **error)
{
  if (s->existing == 0 && blob && f->source_key)
    {
      /* a first import: every feature is new, written in groups */
      f->import_id = s->import_id;
      f->retired = FALSE;
      f->fid = 0;
      s->pending[s->n_pending] = f;
      s->pending_blob[s->n_pending] = blob;
      s->pending_attrs_len[s->n_pending] = attrs_len;
      s->pending_hash[s->n_pending] = hash;
      s->pending_key_hash[s->n_pending] = key_hash;
      s->n_pending++;
      *action = NGAM_SYNC_ADDED;
      return s->n_pending < NGAM_STORE_WRITER_MAX_BATCH || ngam_store_sync_flush (s, error);
    }
  if (!ngam_store_sync_flush (s, error) || !put (s, f, action, error))
    return FALSE;
  if (!fid_map_add (&s->contents, s->store, s->max_entries, fold32 (hash), f->fid, error))
    return FALSE;
  if (f->source_key && !fid_map_add (&s->keys, s->store, s->max_entries, fold32 (key_hash), f->fid, error))
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
ngam_store_sync_finish (NgamStoreSync  *s,
                        gboolean        retire,
                        GArray         *retired_fids,
                        guint           max_listed,
                        gint64         *n_retired,
                        GError        **error)
{
  const char *t = ngam_layer_info (s->kind)->name;

  *n_retired = 0;
  if (!ngam_store_sync_flush (s, error))
    return FALSE;
  /* no more lookups: the maps' memory goes before the writer's finish,
   * where the load's memory peaks */
  g_clear_pointer (&s->contents.slots, g_free);
  g_clear_pointer (&s->keys.slots, g_free);
  s->contents.n_slots = s->keys.n_slots = 0;
  s->contents.n = s->keys.n = 0;
  /* the maps' statements must not hold a read open while indexes change */
  g_clear_pointer (&s->contents.spill_lookup, sqlite3_finalize);
  g_clear_pointer (&s->keys.spill_lookup, sqlite3_finalize);
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
      g_clear_pointer (&sel, sqlite3_finalize);
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
  sqlite3_finalize (s->seen);
  sqlite3_finalize (s->read_content);
  sqlite3_finalize (s->read_key);
  if (s->store && s->store->db)
    {
      const char *t = ngam_layer_info (s->kind)->name;
      g_autofree char *sql = g_strdup_printf ("DROP TABLE IF EXISTS temp.ngam_seen_%s;"
                                              "DROP TABLE IF EXISTS temp.ngam_layers_%s;"
                                              "DROP TABLE IF EXISTS temp.%s;"
                                              "DROP TABLE IF EXISTS temp.%s;",
                                              t, t, s->contents.table, s->keys.table);

      /* the maps' statements go first: a table in use cannot be dropped */
      fid_map_clear (&s->contents);
      fid_map_clear (&s->keys);
      /* Best effort: temp tables vanish with the connection anyway. */
      sqlite3_exec (s->store->db, sql, NULL, NULL, NULL);
    }
  fid_map_clear (&s->contents);
  fid_map_clear (&s->keys);
  g_hash_table_unref (s->layers);
  g_byte_array_unref (s->blob);
  ngam_shape_free (s->shape);
  g_free (s->operator_name);
  g_free (s);
}

/* ---- nearest feature -------------------------------------------------- */

/* The live points of a layer within the run's extent, loaded once into a
 * uniform grid (cells about the mean spacing, so a lookup reads a few
 * cells of about one point each): a span end is snapped in memory, with no
 * query per end. */
struct _NgamStoreNearest
{
  gboolean any;       /* the layer has live features */
  gsize    n;         /* points loaded */
  double   x0, y0, cell;
  guint    nx, ny;
  guint32 *start;     /* nx × ny + 1 offsets into xy and fid, by cell */
  double  *xy;
  gint64  *fid;
};

typedef struct
{
  gint64 fid;
  double x, y;
} NearPoint;

/* The cell of (x, y), clamped to one cell beyond the grid on each side
 * (so that any tolerance stays an integer range). */
static void
nearest_cell (const NgamStoreNearest *n, double x, double y, gint64 *ix, gint64 *iy)
{
  double fx = floor ((x - n->x0) / n->cell), fy = floor ((y - n->y0) / n->cell);

  *ix = (gint64) CLAMP (fx, -1.0, (double) n->nx);
  *iy = (gint64) CLAMP (fy, -1.0, (double) n->ny);
}

static void
nearest_build (NgamStoreNearest *n, GArray *points)
{
  NearPoint *p = (NearPoint *) points->data;
  double bbox[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };
  double w, h;
  gsize cells;
  g_autofree guint32 *fill = NULL;

  n->n = points->len;
  if (n->n == 0)
    return;
  for (gsize i = 0; i < n->n; i++)
    {
      bbox[0] = MIN (bbox[0], p[i].x);
      bbox[1] = MIN (bbox[1], p[i].y);
      bbox[2] = MAX (bbox[2], p[i].x);
      bbox[3] = MAX (bbox[3], p[i].y);
    }
  w = bbox[2] - bbox[0];
  h = bbox[3] - bbox[1];
  n->x0 = bbox[0];
  n->y0 = bbox[1];
  n->cell = sqrt (MAX (w * h, 1e-6) / n->n);
  if (!(n->cell > 0) || !isfinite (n->cell))
    n->cell = 1.0;
  /* a long thin extent would make too many cells: coarser, then */
  while ((w / n->cell + 1) * (h / n->cell + 1) > 4.0 * n->n + 64)
    n->cell *= 2;
  n->nx = (guint) (w / n->cell) + 1;
  n->ny = (guint) (h / n->cell) + 1;
  cells = (gsize) n->nx * n->ny;
  n->start = g_new0 (guint32, cells + 1);
  n->xy = g_new (double, 2 * n->n);
  n->fid = g_new (gint64, n->n);
  /* counting sort by cell */
  for (gsize i = 0; i < n->n; i++)
    {
      gint64 ix, iy;

      nearest_cell (n, p[i].x, p[i].y, &ix, &iy);
      ix = CLAMP (ix, 0, (gint64) n->nx - 1);
      iy = CLAMP (iy, 0, (gint64) n->ny - 1);
      n->start[iy * n->nx + ix + 1]++;
    }
  for (gsize c = 0; c < cells; c++)
    n->start[c + 1] += n->start[c];
  fill = g_memdup2 (n->start, sizeof (guint32) * cells);
  for (gsize i = 0; i < n->n; i++)
    {
      gint64 ix, iy;
      guint32 k;

      nearest_cell (n, p[i].x, p[i].y, &ix, &iy);
      ix = CLAMP (ix, 0, (gint64) n->nx - 1);
      iy = CLAMP (iy, 0, (gint64) n->ny - 1);
      k = fill[iy * n->nx + ix]++;
      n->xy[2 * k] = p[i].x;
      n->xy[2 * k + 1] = p[i].y;
      n->fid[k] = p[i].fid;
    }
}

/* The extent of a layer's R*Tree from its root node alone (the union of
 * its cells, in the node format of SQLite's ext/rtree/rtree.c: a 2-byte
 * depth, a 2-byte count, then 8-byte ids and four big-endian floats).
 * FALSE when the layer is empty. */
static gboolean
rtree_extent (NgamStore  *store,
              const char *table,
              double      extent[4],
              GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT data FROM idx_%s_geom_node WHERE nodeno = 1", table);
  g_autoptr(sqlite3_stmt) st = NULL;
  const guint8 *p;
  gsize len;
  guint n;

  extent[0] = extent[1] = INFINITY;
  extent[2] = extent[3] = -INFINITY;
  if (!prepare (store, sql, &st, error))
    return FALSE;
  if (sqlite3_step (st) != SQLITE_ROW)
    return FALSE;
  p = sqlite3_column_blob (st, 0);
  len = sqlite3_column_bytes (st, 0);
  if (p == NULL || len < 4)
    return FALSE;
  n = (guint) p[2] << 8 | p[3];
  for (guint i = 0; i < n && 4 + 24 * (i + 1) <= len; i++)
    {
      float box[4];

      for (int k = 0; k < 4; k++)
        {
          const guint8 *q = p + 4 + 24 * i + 8 + 4 * k;
          guint32 u = (guint32) q[0] << 24 | (guint32) q[1] << 16 | (guint32) q[2] << 8 | q[3];

          memcpy (&box[k], &u, 4);
        }
      extent[0] = MIN (extent[0], box[0]);
      extent[2] = MAX (extent[2], box[1]);
      extent[1] = MIN (extent[1], box[2]);
      extent[3] = MAX (extent[3], box[3]);
    }
  return n > 0;
}

/**
 * ngam_store_nearest_new:
 * @kind: a point layer
 * @bbox: (nullable): load only the features within it (minx, miny, maxx,
 *   maxy); %NULL loads the whole layer
 *
 * Loads the live features of a point layer (for snapping span ends to
 * poles) into memory: 28 bytes a point.
 */
NgamStoreNearest *
ngam_store_nearest_new (NgamStore      *store,
                        NgamLayerKind   kind,
                        const double   *bbox,
                        GError        **error)
{
  g_autoptr(NgamStoreNearest) n = g_new0 (NgamStoreNearest, 1);
  const char *t = ngam_layer_info (kind)->name;
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (NearPoint));
  g_autoptr(NgamShape) shape = ngam_shape_new ();
  double extent[4], all[4] = { -INFINITY, -INFINITY, INFINITY, INFINITY };
  gboolean scan;
  int rc;

  if (!rtree_extent (store, t, extent, error))
    {
      if (error && *error)
        return NULL;
      return g_steal_pointer (&n);   /* nothing to load */
    }
  if (bbox == NULL)
    bbox = all;
  /* Where the box holds much of the layer, reading the table in order
   * beats fetching rows in the R*Tree's order, page by page again. */
  {
    double w = MIN (bbox[2], extent[2]) - MAX (bbox[0], extent[0]);
    double h = MIN (bbox[3], extent[3]) - MAX (bbox[1], extent[1]);
    double area = MAX (extent[2] - extent[0], 1.0) * MAX (extent[3] - extent[1], 1.0);

    if (w < 0 || h < 0)
      return g_steal_pointer (&n);
    scan = MAX (w, 1.0) * MAX (h, 1.0) >= area / 4;
  }
  if (scan)
    sql = g_strdup_printf ("SELECT fid, geom FROM %s WHERE retired = 0", t);
  else
    /* Driven from the R*Tree: an IN (subquery) lets SQLite pick the table
     * first on some plans. */
    sql = g_strdup_printf ("SELECT p.fid, p.geom FROM idx_%s_geom AS r CROSS JOIN %s AS p"
                           " ON p.fid = r.pkid WHERE r.xmin <= ?3 AND r.xmax >= ?1"
                           " AND r.ymin <= ?4 AND r.ymax >= ?2 AND p.retired = 0", t, t);
  if (!prepare (store, sql, &st, error))
    return NULL;
  if (!scan)
    for (int i = 0; i < 4; i++)
      sqlite3_bind_double (st, i + 1, bbox[i]);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      const void *blob = sqlite3_column_blob (st, 1);
      NearPoint p;

      n->any = TRUE;
      if (blob == NULL || !ngam_shape_from_spatialite (shape, blob, sqlite3_column_bytes (st, 1), NULL) ||
          shape->n_points == 0)
        continue;
      p.fid = sqlite3_column_int64 (st, 0);
      p.x = shape->xy[0];
      p.y = shape->xy[1];
      if (p.x < bbox[0] || p.x > bbox[2] || p.y < bbox[1] || p.y > bbox[3])
        continue;
      g_array_append_val (points, p);
    }
  if (rc != SQLITE_DONE)
    return ngam_store_set_sql_error (store, error, "cannot read the layer to snap to"), NULL;
  g_clear_pointer (&st, sqlite3_finalize);
  if (!n->any)
    {
      g_autofree char *exists = g_strdup_printf ("SELECT EXISTS (SELECT 1 FROM %s WHERE retired = 0)", t);

      if (!prepare (store, exists, &st, error))
        return NULL;
      if (sqlite3_step (st) != SQLITE_ROW)
        return ngam_store_set_sql_error (store, error, "cannot read the layer to snap to"), NULL;
      n->any = sqlite3_column_int (st, 0) != 0;
    }
  nearest_build (n, points);
  return g_steal_pointer (&n);
}

/* TRUE when the layer has live features (loaded or not). */
gboolean
ngam_store_nearest_any (const NgamStoreNearest *n)
{
  return n->any;
}

gsize
ngam_store_nearest_loaded (const NgamStoreNearest *n)
{
  return n->n;
}

/**
 * ngam_store_nearest_find:
 * @fid: (out): the nearest feature within @tolerance, or 0 when none (of
 *   equally near ones, the lowest fid)
 * @px, @py: (out): its first vertex
 * @distance: (out): how far it is
 *
 * Safe to call from several threads at once.
 *
 * Returns: TRUE when a feature was found.
 */
gboolean
ngam_store_nearest_find (const NgamStoreNearest *n,
                         double                  x,
                         double                  y,
                         double                  tolerance,
                         gint64                 *fid,
                         double                 *px,
                         double                 *py,
                         double                 *distance)
{
  gint64 ix0, iy0, ix1, iy1;
  double best = INFINITY;

  *fid = 0;
  if (n->n == 0 || !(tolerance >= 0) || !isfinite (x) || !isfinite (y))
    return FALSE;
  nearest_cell (n, x - tolerance, y - tolerance, &ix0, &iy0);
  nearest_cell (n, x + tolerance, y + tolerance, &ix1, &iy1);
  if (ix1 < 0 || iy1 < 0 || ix0 >= (gint64) n->nx || iy0 >= (gint64) n->ny)
    return FALSE;
  ix0 = MAX (ix0, 0);
  iy0 = MAX (iy0, 0);
  ix1 = MIN (ix1, (gint64) n->nx - 1);
  iy1 = MIN (iy1, (gint64) n->ny - 1);
  for (gint64 iy = iy0; iy <= iy1; iy++)
    for (gint64 ix = ix0; ix <= ix1; ix++)
      {
        gsize c = (gsize) iy * n->nx + (gsize) ix;

        for (guint32 k = n->start[c]; k < n->start[c + 1]; k++)
          {
            double d = hypot (n->xy[2 * k] - x, n->xy[2 * k + 1] - y);

            if (d <= tolerance && (d < best || (d == best && n->fid[k] < *fid)))
              {
                best = d;
                *fid = n->fid[k];
                *px = n->xy[2 * k];
                *py = n->xy[2 * k + 1];
                *distance = d;
              }
          }
      }
  return *fid != 0;
}

void
ngam_store_nearest_free (NgamStoreNearest *n)
{
  if (n == NULL)
    return;
  g_free (n->start);
  g_free (n->xy);
  g_free (n->fid);
  g_free (n);
}
