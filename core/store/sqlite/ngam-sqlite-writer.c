/* ngam-sqlite-writer.c — the bulk write path (import, generator)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SpatiaLite keeps its R*Tree in step through per-row triggers that parse
 * each geometry again and update statistics; for a million rows that is
 * most of the load time.  Inside the caller's transaction the writer drops
 * the layer's triggers, inserts rows and index entries itself (the MBR is
 * already in the NgamShape), and puts the triggers back before the
 * transaction ends, so other programs' edits keep the index right and a
 * rollback restores everything at once.
 *
 * Into a layer that is empty when the writer starts (a first import, the
 * demo generator) even that is too slow: SQLite's R*Tree rewrites a whole
 * 1.2 kB node for every row it inserts, and the attribute indexes take
 * rows in random key order.  There the writer keeps each row's rounded MBR
 * in a sorter on x as it comes (a fixed budget of memory, runs on disk
 * past it), drops the layer's attribute indexes, and at finish has the
 * R*Tree packed bottom-up (ngam-sqlite-rtree.c) on a helper thread while
 * SQLite re-creates the indexes with one sort each.  The operator index
 * stays (a bulk load has one operator or a few: its rows arrive in order),
 * so does the source-key index while the keys come as a few ascending
 * streams (watch_key()), and so do all of them while a caller's cursor is
 * open on the connection, as SQLite then refuses DROP INDEX; whatever was
 * dropped, and only that, is put back.
 *
 * ngam_store_writer_add_many() writes rows a few dozen to an INSERT (a
 * statement costs SQLite about as much as the rows it writes).
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ngam-sqlite-rtree.h"
#include "ngam-store-sync.h"

/* How many ascending streams of source keys a bulk load may interleave
 * and keep its key index live (see watch_key()). */
#define KEY_STREAMS 16

/* What a bulk load may keep in memory for its R*Tree, whatever its size:
 * the rows' cells (24 bytes each, sorted in runs on disk past this), and
 * half as much again each for the packed nodes and the rows' leaves. */
#define WRITER_SORT_MEMORY (8u << 20)

typedef struct _NgamSqliteWriter NgamSqliteWriter;

struct _NgamSqliteWriter
{
  NgamStoreWriter parent;   /* first: the store, and so its backend */
  NgamLayerKind  kind;
  sqlite3_stmt  *insert;
  sqlite3_stmt  *index;
  GPtrArray     *triggers;   /* CREATE TRIGGER statements to restore */
  GPtrArray     *indexes;    /* CREATE INDEX statements to restore (bulk) */
  NgamExtSort   *cells;      /* NgamRTreeCell by x, for the R*Tree packed at finish (bulk) */
  gsize          sort_memory; /* its budget */
  char          *key_index;  /* CREATE INDEX of the source-key index while it
                              * is kept live (bulk), else NULL */
  char          *tails[KEY_STREAMS];  /* the last key of each ascending stream, in order */
  guint          n_tails;
  guint64        keys_seen, keys_out_of_order;
  GByteArray    *blob;
  gint64         count;
  gboolean       bulk;
  gboolean       finished;
  sqlite3_stmt  *many[NGAM_STORE_WRITER_MAX_BATCH + 1];   /* INSERT of n rows, by n */
  guint          depth;      /* the store's transaction depth it works in */
};

static void
free_writer (NgamSqliteWriter *self)
{
  ngam_sqlite_writer_free ((NgamStoreWriter *) self);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamSqliteWriter, free_writer)


static gboolean
drop_triggers (NgamSqliteWriter  *w,
               GError           **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) sqls = g_ptr_array_new_with_free_func (g_free);
  const char *table = ngam_layer_info (w->kind)->name;

  if (sqlite3_prepare_v2 (NGAM_SQLITE (w->parent.store)->db,
                          "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1",
                          -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (w->parent.store, error, "cannot read triggers");
  sqlite3_bind_text (st, 1, table, -1, SQLITE_STATIC);
  while (sqlite3_step (st) == SQLITE_ROW)
    {
      g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (st, 0)));
      g_ptr_array_add (sqls, g_strdup ((const char *) sqlite3_column_text (st, 1)));
    }
  g_clear_pointer (&st, sqlite3_finalize);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("DROP TRIGGER \"%s\"", (char *) names->pdata[i]);

      if (!ngam_sqlite_exec (w->parent.store, sql, error))
        return FALSE;
      /* only what is gone is put back */
      g_ptr_array_add (w->triggers, g_steal_pointer (&sqls->pdata[i]));
    }
  return TRUE;
}

static gboolean
restore_triggers (NgamSqliteWriter  *w,
                  GError           **error)
{
  for (guint i = 0; i < w->triggers->len; i++)
    if (!ngam_sqlite_exec (w->parent.store, w->triggers->pdata[i], error))
      return FALSE;
  g_ptr_array_set_size (w->triggers, 0);
  return TRUE;
}

/* TRUE when neither the layer nor its spatial index has a row. */
static gboolean
layer_is_empty (NgamSqliteWriter  *w,
                gboolean          *empty,
                GError           **error)
{
  const char *t = ngam_layer_info (w->kind)->name;
  g_autofree char *sql = g_strdup_printf ("SELECT NOT EXISTS (SELECT 1 FROM %s) AND "
                                          "NOT EXISTS (SELECT 1 FROM idx_%s_geom_rowid)", t, t);
  g_autoptr(sqlite3_stmt) st = NULL;

  if (sqlite3_prepare_v2 (NGAM_SQLITE (w->parent.store)->db, sql, -1, &st, NULL) != SQLITE_OK ||
      sqlite3_step (st) != SQLITE_ROW)
    return ngam_sqlite_set_sql_error (w->parent.store, error, "cannot read the layer");
  *empty = sqlite3_column_int (st, 0) != 0;
  return TRUE;
}

/* TRUE when a statement of the connection other than the writer's own is
 * part-way through its rows (a caller's open cursor).  SQLite refuses
 * DROP INDEX then ("database table is locked"), while CREATE INDEX, DROP
 * TRIGGER and writes to other tables still work. */
static gboolean
reader_active (NgamSqliteWriter *w)
{
  sqlite3 *db = NGAM_SQLITE (w->parent.store)->db;

  for (sqlite3_stmt *st = sqlite3_next_stmt (db, NULL); st; st = sqlite3_next_stmt (db, st))
    if (sqlite3_stmt_busy (st) && sqlite3_stmt_readonly (st))
      return TRUE;
  return FALSE;
}

/* Drops the layer's attribute indexes, remembering each one it did drop:
 * finish re-creates exactly those.  With a cursor open on the connection
 * the indexes stay, and rows update them as they go. */
static gboolean
drop_indexes (NgamSqliteWriter  *w,
              GError           **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) sqls = g_ptr_array_new_with_free_func (g_free);

  if (sqlite3_prepare_v2 (NGAM_SQLITE (w->parent.store)->db,
                          "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 "
                          "AND sql IS NOT NULL ORDER BY name",
                          -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (w->parent.store, error, "cannot read indexes");
  sqlite3_bind_text (st, 1, ngam_layer_info (w->kind)->name, -1, SQLITE_STATIC);
  while (sqlite3_step (st) == SQLITE_ROW)
    {
      g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (st, 0)));
      g_ptr_array_add (sqls, g_strdup ((const char *) sqlite3_column_text (st, 1)));
    }
  g_clear_pointer (&st, sqlite3_finalize);
  if (reader_active (w))
    return TRUE;
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("DROP INDEX \"%s\"", (char *) names->pdata[i]);
      g_autofree char *by_operator = g_strdup_printf ("%s_operator", ngam_layer_info (w->kind)->name);
      g_autofree char *by_key = g_strdup_printf ("%s_source_key", ngam_layer_info (w->kind)->name);

      /* A bulk load has one operator (an import) or a few (the
       * generator): rows reach that index in order, at its end, for less
       * than re-reading the whole table to rebuild it. */
      if (strcmp (names->pdata[i], by_operator) == 0)
        continue;
      /* The key index stays while the keys come in order (watch_key()). */
      if (strcmp (names->pdata[i], by_key) == 0)
        {
          w->key_index = g_steal_pointer (&sqls->pdata[i]);
          continue;
        }

      if (sqlite3_exec (NGAM_SQLITE (w->parent.store)->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        {
          /* Locked by a statement we could not see: keep this index and
           * the rest, which is slower but right. */
          if ((sqlite3_errcode (NGAM_SQLITE (w->parent.store)->db) & 0xff) == SQLITE_LOCKED)
            return TRUE;
          return ngam_sqlite_set_sql_error (w->parent.store, error, "cannot drop an index");
        }
      g_ptr_array_add (w->indexes, g_steal_pointer (&sqls->pdata[i]));
    }
  return TRUE;
}

static gboolean
restore_indexes (NgamSqliteWriter  *w,
                 GError           **error)
{
  for (guint i = 0; i < w->indexes->len; i++)
    if (!ngam_sqlite_exec (w->parent.store, w->indexes->pdata[i], error))
      return FALSE;
  g_ptr_array_set_size (w->indexes, 0);
  return TRUE;
}

/**
 * ngam_store_writer_new:
 *
 * Starts a bulk load into one layer.  The store must be in a transaction
 * (ngam_store_begin()); call ngam_store_writer_finish() before committing.
 *
 * Returns: (transfer full): the writer, or %NULL with @error set.
 */
NgamStoreWriter *
ngam_sqlite_writer_new (NgamStore      *store,
                        NgamLayerKind   kind,
                        GError        **error)
{
  g_autoptr(NgamSqliteWriter) w = g_new0 (NgamSqliteWriter, 1);
  const NgamLayerInfo *info = ngam_layer_info (kind);
  g_autofree char *cols = ngam_sqlite_columns_sql (kind);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *idx = NULL;

  g_return_val_if_fail (store != NULL, NULL);
  if (!ngam_sqlite_in_transaction (store))
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_FAILED,
                   "%s: bulk writes need a transaction", store->path);
      return NULL;
    }
  w->parent.store = store;
  w->kind = kind;
  w->depth = NGAM_SQLITE (store)->depth;
  w->triggers = g_ptr_array_new_with_free_func (g_free);
  w->indexes = g_ptr_array_new_with_free_func (g_free);
  w->blob = g_byte_array_sized_new (256);
  g_string_append_printf (sql, "INSERT OR FAIL INTO %s (%s) VALUES (?1", info->name, cols);
  for (guint i = 1; i < NGAM_STORE_N_COMMON + info->n_fields + 1; i++)
    g_string_append_printf (sql, ", ?%u", i + 1);
  g_string_append (sql, ")");
  idx = g_strdup_printf ("INSERT INTO idx_%s_geom (pkid, xmin, xmax, ymin, ymax) VALUES (?1, ?2, ?3, ?4, ?5)",
                         info->name);
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, sql->str, -1, &w->insert, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, idx, -1, &w->index, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot prepare the bulk insert"), NULL;
  if (!drop_triggers (w, error))
    return NULL;
  if (!layer_is_empty (w, &w->bulk, error))
    return NULL;
  if (w->bulk && !drop_indexes (w, error))
    return NULL;
  w->sort_memory = WRITER_SORT_MEMORY;
  if (w->bulk)
    w->cells = ngam_rtree_cells_new (w->sort_memory);
  return (NgamStoreWriter *) g_steal_pointer (&w);
}

/* A shape the layer can store, or an error naming the feature. */
static gboolean
check_shape (NgamSqliteWriter   *w,
             const NgamFeature  *f,
             GError            **error)
{
  const NgamLayerInfo *info = ngam_layer_info (w->kind);
  const NgamShape *s = f->shape;

  if (s->type != info->shape || s->n_points == 0 ||
      !isfinite (s->bbox[0]) || !isfinite (s->bbox[1]) ||
      !isfinite (s->bbox[2]) || !isfinite (s->bbox[3]))
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                   "%s feature %s%s: the layer stores non-empty %s geometries, not %s%s",
                   info->name, f->source_key ? f->source_key : "",
                   f->source_key ? "" : "(new)", ngam_shape_type_name (info->shape),
                   s->n_points == 0 ? "empty " : "", ngam_shape_type_name (s->type));
      return FALSE;
    }
  return TRUE;
}

/* Indexes row @id of shape @s: a cell for the packed R*Tree (bulk), else
 * an R*Tree insert now. */
static gboolean
index_row (NgamSqliteWriter  *w,
           gint64             id,
           const NgamShape   *s,
           GError           **error)
{
  if (w->bulk)
    {
      NgamRTreeCell c;

      ngam_rtree_cell_init (&c, id, s->bbox);
      if (!ngam_ext_sort_add (w->cells, &c, error))
        return FALSE;
      w->count++;
      return TRUE;
    }
  sqlite3_reset (w->index);
  sqlite3_bind_int64 (w->index, 1, id);
  sqlite3_bind_double (w->index, 2, s->bbox[0]);
  sqlite3_bind_double (w->index, 3, s->bbox[2]);
  sqlite3_bind_double (w->index, 4, s->bbox[1]);
  sqlite3_bind_double (w->index, 5, s->bbox[3]);
  if (sqlite3_step (w->index) != SQLITE_DONE)
    return ngam_sqlite_set_sql_error (w->parent.store, error, "cannot index a feature");
  w->count++;
  return TRUE;
}

/* Whether the source-key index can stay live through a bulk load.  Most
 * operators' files list features by code ("VNPT-000123"), a few
 * operators or districts one after the other: the keys then arrive as a
 * handful of interleaved ascending streams, and each one lands next to
 * the one before it in the index, on a page SQLite still has in its cache
 * — cheaper than re-reading the whole table to rebuild the index at the
 * end (0.4 s of a 776,713-span import).  Keys in random order (hashes,
 * UUIDs) would touch a random page each instead, so the writer follows up
 * to KEY_STREAMS stream tails, and once more than 1 in 64 keys (after the
 * first 4,096) fits none of them it drops the index, to be rebuilt at
 * finish as before.  NULL keys sort first, all in one place. */
static gboolean
watch_key (NgamSqliteWriter  *w,
           const char        *key,
           GError           **error)
{
  guint lo = 0, hi = w->n_tails;

  if (w->key_index == NULL || key == NULL)
    return TRUE;
  w->keys_seen++;
  /* The tails are kept in order: the key continues the stream with the
   * greatest tail not above it (patience sorting), which stays in place. */
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (strcmp (w->tails[mid], key) <= 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo > 0)
    {
      g_free (w->tails[lo - 1]);
      w->tails[lo - 1] = g_strdup (key);
    }
  else if (w->n_tails < KEY_STREAMS)
    {
      memmove (w->tails + 1, w->tails, w->n_tails * sizeof (char *));
      w->tails[0] = g_strdup (key);
      w->n_tails++;
    }
  else
    {
      /* below every stream: the lowest one moves down to it */
      w->keys_out_of_order++;
      g_free (w->tails[0]);
      w->tails[0] = g_strdup (key);
    }
  if (w->keys_seen >= 4096 && w->keys_out_of_order > w->keys_seen / 64)
    {
      g_autofree char *drop = g_strdup_printf ("DROP INDEX \"%s_source_key\"", ngam_layer_info (w->kind)->name);

      g_debug ("%s: source keys out of order (%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT "): "
               "the key index is rebuilt at the end", ngam_layer_info (w->kind)->name,
               w->keys_out_of_order, w->keys_seen);
      if (sqlite3_exec (NGAM_SQLITE (w->parent.store)->db, drop, NULL, NULL, NULL) != SQLITE_OK)
        {
          /* a cursor we could not see: keep it live, slower but right */
          if ((sqlite3_errcode (NGAM_SQLITE (w->parent.store)->db) & 0xff) != SQLITE_LOCKED)
            return ngam_sqlite_set_sql_error (w->parent.store, error, "cannot drop an index");
          g_clear_pointer (&w->key_index, g_free);
          return TRUE;
        }
      g_ptr_array_add (w->indexes, g_steal_pointer (&w->key_index));
    }
  return TRUE;
}

/**
 * ngam_store_writer_add:
 * @fid: (out) (optional): the new feature's fid
 *
 * Appends one feature.  Its shape must be the layer's geometry type, not
 * empty and finite; anything else is refused naming the feature.
 */
gboolean
ngam_sqlite_writer_add (NgamStoreWriter    *self,
                        const NgamFeature  *f,
                        gint64             *fid,
                        GError            **error)
{
  NgamSqliteWriter *w = (NgamSqliteWriter *) self;
  gint64 id;

  g_return_val_if_fail (f->kind == w->kind, FALSE);
  g_return_val_if_fail (!w->finished, FALSE);

  if (!check_shape (w, f, error))
    return FALSE;
  ngam_shape_to_spatialite (f->shape, w->parent.store->srid, w->blob);
  sqlite3_reset (w->insert);
  ngam_sqlite_bind_row (w->parent.store, w->insert, f, w->blob);
  if (sqlite3_step (w->insert) != SQLITE_DONE)
    return ngam_sqlite_set_sql_error (w->parent.store, error, "cannot insert a feature");
  id = sqlite3_last_insert_rowid (NGAM_SQLITE (w->parent.store)->db);
  if (!index_row (w, id, f->shape, error) || !watch_key (w, f->source_key, error))
    return FALSE;
  if (fid)
    *fid = id;
  return TRUE;
}

/* The bulk statements say OR FAIL: a plain INSERT into a table with an
 * index may abort half-way, so SQLite first copies every page it is about
 * to change again into a statement journal, a temporary file as soon as a
 * statement changes more than a few pages — a third of the writes of a
 * bulk load.  OR FAIL keeps what a failing statement wrote; the caller
 * rolls the whole transaction back on any failure anyway. */
static sqlite3_stmt *
many_statement (NgamSqliteWriter  *w,
                guint              n,
                GError           **error)
{
  const NgamLayerInfo *info = ngam_layer_info (w->kind);
  g_autofree char *cols = NULL;
  g_autoptr(GString) sql = NULL;
  g_autoptr(GString) row = NULL;

  if (w->many[n])
    return w->many[n];
  cols = ngam_sqlite_columns_sql (w->kind);
  sql = g_string_new (NULL);
  row = g_string_new ("(?");
  for (guint i = 1; i < NGAM_STORE_N_COMMON + info->n_fields + 1; i++)
    g_string_append (row, ", ?");
  g_string_append_c (row, ')');
  g_string_printf (sql, "INSERT OR FAIL INTO %s (%s) VALUES %s", info->name, cols, row->str);
  for (guint i = 1; i < n; i++)
    g_string_append_printf (sql, ", %s", row->str);
  if (sqlite3_prepare_v2 (NGAM_SQLITE (w->parent.store)->db, sql->str, -1, &w->many[n], NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (w->parent.store, error, "cannot prepare the bulk insert"), NULL;
  return w->many[n];
}

static inline void
prefetch_row (const NgamFeature *f)
{
  const NgamLayerInfo *info = ngam_layer_info (f->kind);

  __builtin_prefetch (f->source_key);
  __builtin_prefetch (f->attrs);
  for (guint i = 0; i < info->n_fields; i++)
    if (f->values[i].s)
      __builtin_prefetch (f->values[i].s);
}

/* Encodes @shape as the project file keeps it (SpatiaLite's blob, in the
 * project's SRID).  Reads nothing of @store but what never changes while
 * it is open, so any thread may. */
void
ngam_sqlite_row_prepare (NgamStoreRow    *row,
                         NgamStore       *store,
                         const NgamShape *shape)
{
  ngam_shape_to_spatialite (shape, store->srid, row->bytes);
}

/**
 * ngam_store_writer_add_many:
 * @features: (array length=n): new features (fid 0)
 * @rows: (array length=n): their shapes, from ngam_store_row_prepare()
 * @attrs_lens: (nullable) (array length=n): the length of each one's raw
 *   attributes, or -1 (spares SQLite a strlen() of the longest text)
 * @n: at most %NGAM_STORE_WRITER_MAX_BATCH
 * @fids: (out caller-allocates) (array length=n): their fids
 *
 * As ngam_store_writer_add() for each feature, in one INSERT: a statement
 * costs SQLite about as much as the rows it writes.
 */
gboolean
ngam_sqlite_writer_add_many (NgamStoreWriter            *self,
                             NgamFeature *const         *features,
                             const NgamStoreRow *const  *rows,
                             const gssize               *attrs_lens,
                             guint                       n,
                             gint64                     *fids,
                             GError                    **error)
{
  NgamSqliteWriter *w = (NgamSqliteWriter *) self;
  sqlite3_stmt *st;
  gint64 last;

  g_return_val_if_fail (!w->finished, FALSE);
  g_return_val_if_fail (n <= NGAM_STORE_WRITER_MAX_BATCH, FALSE);

  if (n == 0)
    return TRUE;
  for (guint i = 0; i < n; i++)
    {
      g_return_val_if_fail (features[i]->kind == w->kind, FALSE);
      if (!check_shape (w, features[i], error))
        return FALSE;
    }
  if ((st = many_statement (w, n, error)) == NULL)
    return FALSE;
  sqlite3_reset (st);
  for (guint i = 0; i < n; i++)
    {
      /* The rows' own strings were written by the reader thread, on the
       * other core: ask for them a few rows ahead, so the misses overlap
       * instead of each stalling SQLite's strlen() and copy in turn. */
      if (i + 4 < n)
        prefetch_row (features[i + 4]);
      ngam_sqlite_bind_row_at (st, (int) (i * (NGAM_STORE_N_COMMON + ngam_layer_info (w->kind)->n_fields + 1)),
                              features[i], rows[i]->bytes, attrs_lens && features[i]->attrs ? attrs_lens[i] : -1);
    }
  if (sqlite3_step (st) != SQLITE_DONE)
    return ngam_sqlite_set_sql_error (w->parent.store, error, "cannot insert features");
  sqlite3_reset (st);
  /* SQLite gives each new row the largest rowid + 1, one after the other
   * (it would pick at random only past 2^63 − 1): the rows have the n ids
   * up to the last. */
  last = sqlite3_last_insert_rowid (NGAM_SQLITE (w->parent.store)->db);
  if (sqlite3_changes (NGAM_SQLITE (w->parent.store)->db) != (int) n || last < (gint64) n || last == G_MAXINT64)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_FAILED,
                   "%s: %s: the new rows did not get consecutive ids", w->parent.store->path, ngam_layer_info (w->kind)->name);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      fids[i] = last - (gint64) (n - 1 - i);
      if (!index_row (w, fids[i], features[i]->shape, error) ||
          !watch_key (w, features[i]->source_key, error))
        return FALSE;
    }
  return TRUE;
}

/* For tests: the memory the R*Tree's sort may use (before any row). */
void
ngam_sqlite_writer_set_sort_memory (NgamStoreWriter *self,
                                    gsize            bytes)
{
  NgamSqliteWriter *w = (NgamSqliteWriter *) self;

  g_return_if_fail (w->count == 0);

  if (w->bulk)
    {
      ngam_ext_sort_free (w->cells);
      w->cells = ngam_rtree_cells_new (bytes);
      w->sort_memory = bytes;
    }
}

/* Room for @n rows in the bulk load's memory, so that it is allocated once
 * (a growing array is briefly twice its size, and copied), up to the
 * writer's fixed budget. */
void
ngam_sqlite_writer_reserve (NgamStoreWriter *self,
                            gsize            n)
{
  NgamSqliteWriter *w = (NgamSqliteWriter *) self;
  if (w->bulk && w->cells)
    ngam_ext_sort_reserve (w->cells, n);
}

/* Completes the spatial index and the attribute indexes (bulk) and puts
 * the layer's triggers back; the writer accepts no more features. */
gboolean
ngam_sqlite_writer_finish (NgamStoreWriter  *self,
                           GError          **error)
{
  NgamSqliteWriter *w = (NgamSqliteWriter *) self;
  g_autoptr(NgamRTreePacker) pk = NULL;
  gboolean ok = TRUE;

  if (w->finished)
    return TRUE;
  g_clear_pointer (&w->insert, sqlite3_finalize);
  g_clear_pointer (&w->index, sqlite3_finalize);
  for (guint i = 0; i <= NGAM_STORE_WRITER_MAX_BATCH; i++)
    g_clear_pointer (&w->many[i], sqlite3_finalize);
  w->finished = TRUE;
  if (sqlite3_get_autocommit (NGAM_SQLITE (w->parent.store)->db))
    {
      /* SQLite rolled the whole transaction back by itself (a full disk,
       * an I/O error): the triggers and indexes came back with it, and
       * there is nothing to finish. */
      g_ptr_array_set_size (w->triggers, 0);
      g_ptr_array_set_size (w->indexes, 0);
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_FAILED,
                   "%s: the bulk write was rolled back", w->parent.store->path);
      return FALSE;
    }
  if (w->cells && ngam_ext_sort_count (w->cells) > 0)
    {
      /* read before the packer takes the cells */
      guint runs = ngam_ext_sort_runs (w->cells);
      gboolean threaded = ngam_ext_sort_count (w->cells) >= 4096;

      pk = ngam_rtree_packer_new (w->parent.store, ngam_layer_info (w->kind)->name,
                                  g_steal_pointer (&w->cells), w->sort_memory, error);
      ok = pk != NULL;
      if (ok)
        {
          /* the tree is sorted out on another core while SQLite sorts the
           * attribute indexes */
          gint64 t0 = g_get_monotonic_time (), t1, t2;
          GThread *thread = threaded ? g_thread_try_new ("ngam-rtree-pack", ngam_rtree_packer_run, pk, NULL) : NULL;

          if (thread == NULL)
            ngam_rtree_packer_run (pk);
          ok = restore_indexes (w, error);
          t1 = g_get_monotonic_time ();
          if (thread)
            g_thread_join (thread);
          t2 = g_get_monotonic_time ();
          ok = ok && ngam_rtree_packer_write (pk, error);
          g_debug ("%s: attribute indexes %.3f s; R*Tree of %" G_GUINT64_FORMAT " rows (%u runs on disk) "
                   "packed %.3f s later, written in %.3f s", ngam_layer_info (w->kind)->name,
                   (t1 - t0) / 1e6, ngam_rtree_packer_get_rows (pk), runs,
                   (t2 - t1) / 1e6, (g_get_monotonic_time () - t2) / 1e6);
        }
    }
  else
    ok = restore_indexes (w, error);
  g_clear_pointer (&w->cells, ngam_ext_sort_free);
  /* the triggers go back even after a failure, for the rollback's sake */
  if (!restore_triggers (w, ok ? error : NULL))
    return FALSE;
  return ok;
}

void
ngam_sqlite_writer_free (NgamStoreWriter *self)
{
  NgamSqliteWriter *w = (NgamSqliteWriter *) self;
  if (w == NULL)
    return;
  /* Unfinished: put the triggers and indexes back, unless the transaction
   * it worked in is gone (rolled back), which put them back already. */
  if (!w->finished && w->parent.store && NGAM_SQLITE (w->parent.store)->depth >= w->depth &&
      !sqlite3_get_autocommit (NGAM_SQLITE (w->parent.store)->db))
    {
      g_autoptr(GError) error = NULL;

      if (!ngam_sqlite_writer_finish (self, &error))
        g_warning ("%s", error->message);
    }
  g_clear_pointer (&w->insert, sqlite3_finalize);
  g_clear_pointer (&w->index, sqlite3_finalize);
  for (guint i = 0; i <= NGAM_STORE_WRITER_MAX_BATCH; i++)
    g_clear_pointer (&w->many[i], sqlite3_finalize);
  g_ptr_array_unref (w->triggers);
  g_ptr_array_unref (w->indexes);
  g_clear_pointer (&w->cells, ngam_ext_sort_free);
  g_free (w->key_index);
  for (guint i = 0; i < w->n_tails; i++)
    g_free (w->tails[i]);
  g_byte_array_unref (w->blob);
  g_free (w);
}
