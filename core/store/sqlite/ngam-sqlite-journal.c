/* ngam-sqlite-journal.c — journaled edits, undo and redo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every journaled edit is one transaction that also writes, per row it
 * touches, the row's image before and after (JSON, geometry as WKB in
 * base64).  Undo writes the before-images back, redo the after-images,
 * each in its own transaction; a new edit drops the redo stack.  As the
 * journal lives in the project file, undo survives a restart and a crash
 * loses nothing that was committed.
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include <json-glib/json-glib.h>

#include "ngam-sqlite-private.h"

static char *
feature_to_json (const NgamFeature *f)
{
  const NgamLayerInfo *info = ngam_layer_info (f->kind);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) wkb = NULL;
  g_autofree char *b64 = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fid");
  json_builder_add_int_value (b, f->fid);
#define STR(name, v) if (v) { json_builder_set_member_name (b, name); json_builder_add_string_value (b, v); }
  STR ("operator", f->operator_name);
  STR ("source_file", f->source_file);
  STR ("source_layer", f->source_layer);
  STR ("source_key", f->source_key);
  STR ("attrs", f->attrs);
#undef STR
  json_builder_set_member_name (b, "source_fid");
  json_builder_add_int_value (b, f->source_fid);
  json_builder_set_member_name (b, "import_id");
  json_builder_add_int_value (b, f->import_id);
  json_builder_set_member_name (b, "retired");
  json_builder_add_boolean_value (b, f->retired);
  json_builder_set_member_name (b, "values");
  json_builder_begin_object (b);
  for (guint i = 0; i < info->n_fields; i++)
    {
      const NgamValue *v = &f->values[i];

      if (v->is_null)
        continue;
      json_builder_set_member_name (b, info->fields[i].name);
      if (info->fields[i].type == NGAM_FIELD_TEXT)
        json_builder_add_string_value (b, v->s);
      else if (info->fields[i].type == NGAM_FIELD_REAL)
        json_builder_add_double_value (b, v->d);
      else
        json_builder_add_int_value (b, v->i);
    }
  json_builder_end_object (b);
  if (f->shape->n_points > 0)
    {
      gsize len;
      const guint8 *data;

      wkb = ngam_shape_to_wkb (f->shape);
      data = g_bytes_get_data (wkb, &len);
      b64 = g_base64_encode (data, len);
      json_builder_set_member_name (b, "wkb");
      json_builder_add_string_value (b, b64);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static NgamFeature *
feature_from_json (NgamLayerKind   kind,
                   const char     *text,
                   GError        **error)
{
  const NgamLayerInfo *info = ngam_layer_info (kind);
  g_autoptr(JsonParser) p = json_parser_new ();
  g_autoptr(NgamFeature) f = ngam_feature_new (kind);
  JsonObject *o, *values;

  if (!json_parser_load_from_data (p, text, -1, error))
    return NULL;
  o = json_node_get_object (json_parser_get_root (p));
  f->fid = json_object_get_int_member (o, "fid");
  f->operator_name = g_strdup (json_object_get_string_member_with_default (o, "operator", NULL));
  f->source_file = g_strdup (json_object_get_string_member_with_default (o, "source_file", NULL));
  f->source_layer = g_strdup (json_object_get_string_member_with_default (o, "source_layer", NULL));
  f->source_key = g_strdup (json_object_get_string_member_with_default (o, "source_key", NULL));
  f->attrs = g_strdup (json_object_get_string_member_with_default (o, "attrs", NULL));
  f->source_fid = json_object_get_int_member_with_default (o, "source_fid", -1);
  f->import_id = json_object_get_int_member_with_default (o, "import_id", 0);
  f->retired = json_object_get_boolean_member_with_default (o, "retired", FALSE);
  values = json_object_get_object_member (o, "values");
  for (guint i = 0; values && i < info->n_fields; i++)
    {
      JsonNode *n = json_object_get_member (values, info->fields[i].name);

      if (n == NULL || JSON_NODE_HOLDS_NULL (n))
        continue;
      if (info->fields[i].type == NGAM_FIELD_TEXT)
        ngam_feature_set_text (f, i, json_node_get_string (n));
      else if (info->fields[i].type == NGAM_FIELD_REAL)
        ngam_feature_set_real (f, i, json_node_get_double (n));
      else
        ngam_feature_set_int (f, i, json_node_get_int (n));
    }
  if (json_object_has_member (o, "wkb"))
    {
      gsize len;
      g_autofree guint8 *wkb = g_base64_decode (json_object_get_string_member (o, "wkb"), &len);

      if (!ngam_shape_from_wkb (f->shape, wkb, len, NULL, error))
        return NULL;
    }
  return g_steal_pointer (&f);
}

/* Writes a whole row with its fid (insert or replace); the layer's
 * SpatiaLite triggers keep the spatial index in step. */
static gboolean
write_row (NgamStore          *store,
           const NgamFeature  *f,
           GError            **error)
{
  const NgamLayerInfo *info = ngam_layer_info (f->kind);
  g_autofree char *cols = ngam_sqlite_columns_sql (f->kind);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(GByteArray) blob = NULL;

  if (f->shape->n_points == 0 || f->shape->type != info->shape)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                   "the %s layer stores non-empty %s geometries, not %s",
                   info->name, ngam_shape_type_name (info->shape),
                   ngam_shape_type_name (f->shape->type));
      return FALSE;
    }
  blob = ngam_shape_to_spatialite (f->shape, store->srid, NULL);
  /* REPLACE is a delete and an insert: the row version goes on from the
   * replaced row's, and starts at 1 for a new one */
  g_string_append_printf (sql, "INSERT OR REPLACE INTO %s (%s, row_version) VALUES (?1", info->name, cols);
  for (guint i = 1; i < NGAM_STORE_N_COMMON + info->n_fields + 1; i++)
    g_string_append_printf (sql, ", ?%u", i + 1);
  g_string_append_printf (sql, ", coalesce((SELECT row_version FROM %s WHERE fid = ?1), 0) + 1)", info->name);
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, sql->str, -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot write a feature");
  ngam_sqlite_bind_row (store, st, f, blob);
  if (sqlite3_step (st) != SQLITE_DONE)
    return ngam_sqlite_set_sql_error (store, error, "cannot write a feature");
  return TRUE;
}

static gboolean
delete_row (NgamStore      *store,
            NgamLayerKind   kind,
            gint64          fid,
            GError        **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE fid = ?1", ngam_layer_info (kind)->name);

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, sql, -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot delete a feature");
  sqlite3_bind_int64 (st, 1, fid);
  if (sqlite3_step (st) != SQLITE_DONE)
    return ngam_sqlite_set_sql_error (store, error, "cannot delete a feature");
  return TRUE;
}

static gboolean
journal_row (NgamStore          *store,
             NgamLayerKind       kind,
             gint64              fid,
             const NgamFeature  *before,
             const NgamFeature  *after,
             GError            **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autofree char *b = before ? feature_to_json (before) : NULL;
  g_autofree char *a = after ? feature_to_json (after) : NULL;

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db,
                          "INSERT INTO journal_rows (edit_id, seq, layer, fid, before, after) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot journal an edit");
  sqlite3_bind_int64 (st, 1, NGAM_SQLITE (store)->edit_id);
  sqlite3_bind_int (st, 2, NGAM_SQLITE (store)->edit_seq++);
  sqlite3_bind_text (st, 3, ngam_layer_info (kind)->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 4, fid);
  sqlite3_bind_text (st, 5, b, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 6, a, -1, SQLITE_STATIC);
  if (sqlite3_step (st) != SQLITE_DONE)
    return ngam_sqlite_set_sql_error (store, error, "cannot journal an edit");
  return TRUE;
}

static gboolean
require_edit (NgamStore  *store,
              GError    **error)
{
  if (NGAM_SQLITE (store)->edit_id == 0)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NO_EDIT,
                   "%s: no edit is open (call ngam_sqlite_edit_begin first)", store->path);
      return FALSE;
    }
  return TRUE;
}

/**
 * ngam_store_edit_begin:
 * @label: what the edit does, for the Undo menu ("Move pole 12")
 *
 * Opens a journaled edit: a transaction that ends with
 * ngam_store_edit_commit() or ngam_store_edit_abort().
 */
gboolean
ngam_sqlite_edit_begin (NgamStore   *store,
                        const char  *label,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);

  g_return_val_if_fail (NGAM_SQLITE (store)->edit_id == 0, FALSE);
  if (!ngam_sqlite_begin (store, error))
    return FALSE;
  if (!ngam_sqlite_exec (store, "DELETE FROM journal_edits WHERE undone = 1", error) ||
      sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, "INSERT INTO journal_edits (label, created) VALUES (?1, ?2)",
                          -1, &st, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_text (st, 1, label, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 2, stamp, -1, SQLITE_STATIC);
  if (sqlite3_step (st) != SQLITE_DONE)
    {
      ngam_sqlite_set_sql_error (store, error, "cannot start an edit");
      goto fail;
    }
  NGAM_SQLITE (store)->edit_id = sqlite3_last_insert_rowid (NGAM_SQLITE (store)->db);
  NGAM_SQLITE (store)->edit_seq = 0;
  return TRUE;

fail:
  if (error && *error == NULL)
    ngam_sqlite_set_sql_error (store, error, "cannot start an edit");
  ngam_sqlite_rollback (store);
  return FALSE;
}

/* Inserts @feature (its fid is set on return). */
gboolean
ngam_sqlite_edit_insert (NgamStore    *store,
                         NgamFeature  *feature,
                         GError      **error)
{
  if (!require_edit (store, error))
    return FALSE;
  feature->fid = 0;
  if (!write_row (store, feature, error))
    return FALSE;
  feature->fid = sqlite3_last_insert_rowid (NGAM_SQLITE (store)->db);
  return journal_row (store, feature->kind, feature->fid, NULL, feature, error);
}

/* Replaces the stored feature with the same kind and fid. */
gboolean
ngam_sqlite_edit_update (NgamStore          *store,
                         const NgamFeature  *feature,
                         GError            **error)
{
  g_autoptr(NgamFeature) before = NULL;

  if (!require_edit (store, error))
    return FALSE;
  before = ngam_sqlite_get_feature (store, feature->kind, feature->fid, error);
  if (before == NULL || !write_row (store, feature, error))
    return FALSE;
  return journal_row (store, feature->kind, feature->fid, before, feature, error);
}

/**
 * ngam_store_get_row_version:
 *
 * Returns: the feature's row version (1 or more), or 0 with @error set.
 */
gint64
ngam_sqlite_get_row_version (NgamStore      *store,
                             NgamLayerKind   kind,
                             gint64          fid,
                             GError        **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT row_version FROM %s WHERE fid = ?1", ngam_layer_info (kind)->name);
  int rc;

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, sql, -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot read a feature"), 0;
  sqlite3_bind_int64 (st, 1, fid);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (st, 0);
  if (rc == SQLITE_DONE)
    g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                 "%s: no %s feature with fid %" G_GINT64_FORMAT, store->path, ngam_layer_info (kind)->name, fid);
  else
    ngam_sqlite_set_sql_error (store, error, "cannot read a feature");
  return 0;
}

/**
 * ngam_store_edit_update_checked:
 * @row_version: the version @feature had when it was read
 *
 * As ngam_store_edit_update(), but refused with %NGAM_STORE_ERROR_CONFLICT,
 * and nothing written, when the feature's row version is no longer
 * @row_version: another program (or connection) changed it since.
 */
gboolean
ngam_sqlite_edit_update_checked (NgamStore          *store,
                                 const NgamFeature  *feature,
                                 gint64              row_version,
                                 GError            **error)
{
  gint64 now;

  if (!require_edit (store, error))
    return FALSE;
  if ((now = ngam_sqlite_get_row_version (store, feature->kind, feature->fid, error)) == 0)
    return FALSE;
  if (now != row_version)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_CONFLICT,
                   "%s: %s feature %" G_GINT64_FORMAT " was changed elsewhere since it was read "
                   "(version %" G_GINT64_FORMAT ", now %" G_GINT64_FORMAT "): read it again",
                   store->path, ngam_layer_info (feature->kind)->name, feature->fid, row_version, now);
      return FALSE;
    }
  return ngam_sqlite_edit_update (store, feature, error);
}

gboolean
ngam_sqlite_edit_delete (NgamStore      *store,
                         NgamLayerKind   kind,
                         gint64          fid,
                         GError        **error)
{
  g_autoptr(NgamFeature) before = NULL;

  if (!require_edit (store, error))
    return FALSE;
  before = ngam_sqlite_get_feature (store, kind, fid, error);
  if (before == NULL || !delete_row (store, kind, fid, error))
    return FALSE;
  return journal_row (store, kind, fid, before, NULL, error);
}

gboolean
ngam_sqlite_edit_commit (NgamStore  *store,
                         GError    **error)
{
  if (!require_edit (store, error))
    return FALSE;
  if (!ngam_sqlite_commit (store, error))
    {
      ngam_sqlite_edit_abort (store);
      return FALSE;
    }
  NGAM_SQLITE (store)->edit_id = 0;
  return TRUE;
}

/* Drops the open edit; the project is as it was before edit_begin. */
void
ngam_sqlite_edit_abort (NgamStore *store)
{
  if (NGAM_SQLITE (store)->edit_id == 0)
    return;
  NGAM_SQLITE (store)->edit_id = 0;
  ngam_sqlite_rollback (store);
}

static gint64
find_edit (NgamStore *store, gboolean undone, char **label)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  const char *sql = undone
    ? "SELECT id, label FROM journal_edits WHERE undone = 1 ORDER BY id ASC LIMIT 1"
    : "SELECT id, label FROM journal_edits WHERE undone = 0 ORDER BY id DESC LIMIT 1";

  if (label)
    *label = NULL;
  if (NGAM_SQLITE (store)->db == NULL ||
      sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, sql, -1, &st, NULL) != SQLITE_OK ||
      sqlite3_step (st) != SQLITE_ROW)
    return 0;
  if (label)
    *label = g_strdup ((const char *) sqlite3_column_text (st, 1));
  return sqlite3_column_int64 (st, 0);
}

gboolean
ngam_sqlite_can_undo (NgamStore *store)
{
  return find_edit (store, FALSE, NULL) > 0;
}

gboolean
ngam_sqlite_can_redo (NgamStore *store)
{
  return find_edit (store, TRUE, NULL) > 0;
}

char *
ngam_sqlite_dup_undo_label (NgamStore *store)
{
  char *label;

  find_edit (store, FALSE, &label);
  return label;
}

char *
ngam_sqlite_dup_redo_label (NgamStore *store)
{
  char *label;

  find_edit (store, TRUE, &label);
  return label;
}

/* Applies the before-images (undo) in reverse order, or the after-images
 * (redo) in order, of one edit, and flips its state. */
static gboolean
replay (NgamStore  *store,
        gboolean    undo,
        GError    **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(sqlite3_stmt) flip = NULL;
  gint64 id = find_edit (store, !undo, NULL);

  if (id == 0)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NO_EDIT,
                   "%s: nothing to %s", store->path, undo ? "undo" : "redo");
      return FALSE;
    }
  if (!ngam_sqlite_begin (store, error))
    return FALSE;
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db,
                          undo ? "SELECT layer, fid, before FROM journal_rows WHERE edit_id = ?1 ORDER BY seq DESC"
                               : "SELECT layer, fid, after FROM journal_rows WHERE edit_id = ?1 ORDER BY seq ASC",
                          -1, &st, NULL) != SQLITE_OK)
    goto sql_fail;
  sqlite3_bind_int64 (st, 1, id);
  while (sqlite3_step (st) == SQLITE_ROW)
    {
      NgamLayerKind kind;
      const char *image = (const char *) sqlite3_column_text (st, 2);
      gint64 fid = sqlite3_column_int64 (st, 1);

      if (!ngam_layer_kind_from_name ((const char *) sqlite3_column_text (st, 0), &kind))
        continue;
      if (image == NULL)
        {
          if (!delete_row (store, kind, fid, error))
            goto fail;
        }
      else
        {
          g_autoptr(NgamFeature) f = feature_from_json (kind, image, error);

          if (f == NULL || !write_row (store, f, error))
            goto fail;
        }
    }
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, "UPDATE journal_edits SET undone = ?2 WHERE id = ?1",
                          -1, &flip, NULL) != SQLITE_OK)
    goto sql_fail;
  sqlite3_bind_int64 (flip, 1, id);
  sqlite3_bind_int (flip, 2, undo ? 1 : 0);
  if (sqlite3_step (flip) != SQLITE_DONE)
    goto sql_fail;
  return ngam_sqlite_commit (store, error);

sql_fail:
  ngam_sqlite_set_sql_error (store, error, undo ? "cannot undo" : "cannot redo");
fail:
  ngam_sqlite_rollback (store);
  return FALSE;
}

gboolean
ngam_sqlite_undo (NgamStore  *store,
                  GError    **error)
{
  return replay (store, TRUE, error);
}

gboolean
ngam_sqlite_redo (NgamStore  *store,
                  GError    **error)
{
  return replay (store, FALSE, error);
}
