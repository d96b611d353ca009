/* ngam-store-writer.c — the bulk write path (import, generator)
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
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include <math.h>

#include "ngam-store-private.h"

struct _NgamStoreWriter
{
  NgamStore     *store;
  NgamLayerKind  kind;
  sqlite3_stmt  *insert;
  sqlite3_stmt  *index;
  GPtrArray     *triggers;   /* CREATE TRIGGER statements to restore */
  GByteArray    *blob;
  gint64         count;
  gboolean       finished;
};

static gboolean
drop_triggers (NgamStoreWriter  *w,
               GError          **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *table = ngam_layer_info (w->kind)->name;

  if (sqlite3_prepare_v2 (w->store->db,
                          "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1",
                          -1, &st, NULL) != SQLITE_OK)
    return ngam_store_set_sql_error (w->store, error, "cannot read triggers");
  sqlite3_bind_text (st, 1, table, -1, SQLITE_STATIC);
  while (sqlite3_step (st) == SQLITE_ROW)
    {
      g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (st, 0)));
      g_ptr_array_add (w->triggers, g_strdup ((const char *) sqlite3_column_text (st, 1)));
    }
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("DROP TRIGGER \"%s\"", (char *) names->pdata[i]);

      if (!ngam_store_exec (w->store, sql, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
restore_triggers (NgamStoreWriter  *w,
                  GError          **error)
{
  for (guint i = 0; i < w->triggers->len; i++)
    if (!ngam_store_exec (w->store, w->triggers->pdata[i], error))
      return FALSE;
  g_ptr_array_set_size (w->triggers, 0);
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
ngam_store_writer_new (NgamStore      *store,
                       NgamLayerKind   kind,
                       GError        **error)
{
  g_autoptr(NgamStoreWriter) w = g_new0 (NgamStoreWriter, 1);
  const NgamLayerInfo *info = ngam_layer_info (kind);
  g_autofree char *cols = ngam_store_columns_sql (kind);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *idx = NULL;

  g_return_val_if_fail (store != NULL, NULL);
  if (!ngam_store_in_transaction (store))
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_FAILED,
                   "%s: bulk writes need a transaction", store->path);
      return NULL;
    }
  w->store = store;
  w->kind = kind;
  w->triggers = g_ptr_array_new_with_free_func (g_free);
  w->blob = g_byte_array_sized_new (256);
  g_string_append_printf (sql, "INSERT INTO %s (%s) VALUES (?1", info->name, cols);
  for (guint i = 1; i < NGAM_STORE_N_COMMON + info->n_fields + 1; i++)
    g_string_append_printf (sql, ", ?%u", i + 1);
  g_string_append (sql, ")");
  idx = g_strdup_printf ("INSERT INTO idx_%s_geom (pkid, xmin, xmax, ymin, ymax) VALUES (?1, ?2, ?3, ?4, ?5)",
                         info->name);
  if (sqlite3_prepare_v2 (store->db, sql->str, -1, &w->insert, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (store->db, idx, -1, &w->index, NULL) != SQLITE_OK)
    return ngam_store_set_sql_error (store, error, "cannot prepare the bulk insert"), NULL;
  if (!drop_triggers (w, error))
    return NULL;
  return g_steal_pointer (&w);
}

/**
 * ngam_store_writer_add:
 * @fid: (out) (optional): the new feature's fid
 *
 * Appends one feature.  Its shape must be the layer's geometry type, not
 * empty and finite; anything else is refused naming the feature.
 */
gboolean
ngam_store_writer_add (NgamStoreWriter    *w,
                       const NgamFeature  *f,
                       gint64             *fid,
                       GError            **error)
{
  const NgamLayerInfo *info = ngam_layer_info (w->kind);
  const NgamShape *s = f->shape;
  gint64 id;

  g_return_val_if_fail (f->kind == w->kind, FALSE);
  g_return_val_if_fail (!w->finished, FALSE);

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
  ngam_shape_to_spatialite (s, w->store->srid, w->blob);
  sqlite3_reset (w->insert);
  ngam_store_bind_row (w->store, w->insert, f, w->blob);
  if (sqlite3_step (w->insert) != SQLITE_DONE)
    return ngam_store_set_sql_error (w->store, error, "cannot insert a feature");
  id = sqlite3_last_insert_rowid (w->store->db);
  sqlite3_reset (w->index);
  sqlite3_bind_int64 (w->index, 1, id);
  sqlite3_bind_double (w->index, 2, s->bbox[0]);
  sqlite3_bind_double (w->index, 3, s->bbox[2]);
  sqlite3_bind_double (w->index, 4, s->bbox[1]);
  sqlite3_bind_double (w->index, 5, s->bbox[3]);
  if (sqlite3_step (w->index) != SQLITE_DONE)
    return ngam_store_set_sql_error (w->store, error, "cannot index a feature");
  w->count++;
  if (fid)
    *fid = id;
  return TRUE;
}

/* Puts the layer's triggers back; the writer accepts no more features. */
gboolean
ngam_store_writer_finish (NgamStoreWriter  *w,
                          GError          **error)
{
  if (w->finished)
    return TRUE;
  g_clear_pointer (&w->insert, sqlite3_finalize);
  g_clear_pointer (&w->index, sqlite3_finalize);
  w->finished = TRUE;
  return restore_triggers (w, error);
}

void
ngam_store_writer_free (NgamStoreWriter *w)
{
  if (w == NULL)
    return;
  if (!w->finished && w->store && ngam_store_in_transaction (w->store))
    {
      g_autoptr(GError) error = NULL;

      if (!ngam_store_writer_finish (w, &error))
        g_warning ("%s", error->message);
    }
  g_clear_pointer (&w->insert, sqlite3_finalize);
  g_clear_pointer (&w->index, sqlite3_finalize);
  g_ptr_array_unref (w->triggers);
  g_byte_array_unref (w->blob);
  g_free (w);
}
