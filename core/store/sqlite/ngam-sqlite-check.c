/* ngam-sqlite-check.c — what other programs do to the file: their edits,
 * and what they can leave behind
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A project is an ordinary SpatiaLite file, and GIS users open it in QGIS
 * (through its spatialite and ogr providers) and edit it there.  Their
 * edits keep the spatial indexes right (SpatiaLite's triggers are in the
 * file), and since schema 4 a NULL written into a NOT NULL column becomes
 * its default (ngam-sqlite-schema.c).  Two things stay for the store to do:
 *
 * - notice the edits: SQLite's PRAGMA data_version changes exactly when
 *   another connection commits, and SpatiaLite's own triggers stamp each
 *   layer's last insert, update and delete in geometry_columns_time, which
 *   says which layers (the store's bulk writer drops those triggers while
 *   it loads, so its own loads leave the stamps alone);
 * - report what such edits can break, as findings rather than errors:
 *   a pole deleted in QGIS leaves spans whose from_pole or to_pole points
 *   at nothing, which the planner must refuse or repair; a program that
 *   writes the tables without SpatiaLite (the sqlite3 shell) leaves the
 *   spatial index behind.
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ngam-sqlite-private.h"

/* ---- edits from outside ---------------------------------------------- */

static gboolean
read_data_version (NgamStore  *store,
                   gint64     *version,
                   GError    **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, "PRAGMA data_version", -1, &st, NULL) != SQLITE_OK ||
      sqlite3_step (st) != SQLITE_ROW)
    return ngam_sqlite_set_sql_error (store, error, "cannot tell whether the file changed");
  *version = sqlite3_column_int64 (st, 0);
  return TRUE;
}

/* Each layer's SpatiaLite edit stamps, one text per layer ("" for none). */
static gboolean
read_stamps (NgamStore  *store,
             char       *stamps[NGAM_N_LAYERS],
             GError    **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  int rc;

  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    stamps[k] = NULL;
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db,
                          "SELECT lower(f_table_name), coalesce(last_insert, '') || ' ' || "
                          "coalesce(last_update, '') || ' ' || coalesce(last_delete, '') "
                          "FROM geometry_columns_time", -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot tell which layers changed");
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (st, 0);

      for (guint k = 0; k < NGAM_N_LAYERS; k++)
        if (g_strcmp0 (table, ngam_layer_info (k)->name) == 0)
          {
            g_free (stamps[k]);
            stamps[k] = g_strdup ((const char *) sqlite3_column_text (st, 1));
          }
    }
  if (rc != SQLITE_DONE)
    {
      for (guint k = 0; k < NGAM_N_LAYERS; k++)
        g_clear_pointer (&stamps[k], g_free);
      return ngam_sqlite_set_sql_error (store, error, "cannot tell which layers changed");
    }
  return TRUE;
}

void
ngam_sqlite_watch_clear (NgamStore *store)
{
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    g_clear_pointer (&NGAM_SQLITE (store)->stamps[k], g_free);
  NGAM_SQLITE (store)->watching = FALSE;
}

/* After this connection's own commit: what it changed is no outside
 * change, so the stamps it moved become the ones to compare with. */
void
ngam_sqlite_watch_own_commit (NgamStore *store)
{
  char *stamps[NGAM_N_LAYERS];

  if (!NGAM_SQLITE (store)->watching || !read_stamps (store, stamps, NULL))
    return;
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      g_free (NGAM_SQLITE (store)->stamps[k]);
      NGAM_SQLITE (store)->stamps[k] = stamps[k];
    }
}

/**
 * ngam_store_changed_outside:
 * @layers: (out) (optional): with TRUE, a bit (1 << kind) for each layer
 *   that another program edited, and %NGAM_STORE_CHANGED_OTHER when what
 *   changed cannot be placed in a layer (then every layer's bit is set
 *   too: the caller should reread everything)
 *
 * Cheap enough to poll from a main loop (two small reads).  The first call
 * starts watching and returns FALSE; each later one tells whether another
 * connection (QGIS, the sqlite3 shell, another Ngầm) committed a change to
 * the file since the call before.  This store's own commits never count.
 *
 * Returns: TRUE when the file changed outside; FALSE when it did not, or
 *   with @error set.
 */
gboolean
ngam_sqlite_changed_outside (NgamStore  *store,
                             guint      *layers,
                             GError    **error)
{
  char *stamps[NGAM_N_LAYERS];
  gint64 version = 0;
  guint changed = 0;

  g_return_val_if_fail (store != NULL, FALSE);
  if (layers)
    *layers = 0;
  if (!read_data_version (store, &version, error))
    return FALSE;
  if (NGAM_SQLITE (store)->watching && version == NGAM_SQLITE (store)->data_version)
    return FALSE;
  if (!read_stamps (store, stamps, error))
    return FALSE;
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      if (g_strcmp0 (stamps[k], NGAM_SQLITE (store)->stamps[k]) != 0)
        changed |= 1u << k;
      g_free (NGAM_SQLITE (store)->stamps[k]);
      NGAM_SQLITE (store)->stamps[k] = stamps[k];
    }
  NGAM_SQLITE (store)->data_version = version;
  if (!NGAM_SQLITE (store)->watching)
    {
      NGAM_SQLITE (store)->watching = TRUE;
      return FALSE;
    }
  /* a setting, a result, or a layer written without SpatiaLite's triggers */
  if (changed == 0)
    changed = ((1u << NGAM_N_LAYERS) - 1) | NGAM_STORE_CHANGED_OTHER;
  if (layers)
    *layers = changed;
  return TRUE;
}

/* ---- findings -------------------------------------------------------- */

static NgamStoreFinding *
finding_new (GPtrArray  *findings,
             const char *check,
             const char *layer,
             const char *field)
{
  NgamStoreFinding *f = g_new0 (NgamStoreFinding, 1);

  f->check = g_strdup (check);
  f->layer = g_strdup (layer);
  f->field = g_strdup (field);
  f->fids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_ptr_array_add (findings, f);
  return f;
}

static gboolean
check_sqlite (NgamStore  *store,
              GPtrArray  *findings,
              GError    **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  int rc;

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot check integrity");
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (st, 0);
      NgamStoreFinding *f;

      if (g_strcmp0 (line, "ok") == 0)
        continue;
      f = finding_new (findings, "integrity", NULL, NULL);
      f->count = 1;
      f->message = g_strdup_printf (_("SQLite finds the file damaged: %s"), line);
    }
  if (rc != SQLITE_DONE && (rc & 0xff) != SQLITE_CORRUPT)
    return ngam_sqlite_set_sql_error (store, error, "cannot check integrity");
  if (rc != SQLITE_DONE)
    {
      NgamStoreFinding *f = finding_new (findings, "integrity", NULL, NULL);

      f->count = 1;
      f->message = g_strdup_printf (_("SQLite finds the file damaged: %s"), sqlite3_errmsg (NGAM_SQLITE (store)->db));
    }
  return TRUE;
}

/* Appends @fid to @f's list while it is short. */
static void
finding_add_fid (NgamStoreFinding *f,
                 gint64            fid)
{
  if (f->fids->len < NGAM_STORE_MAX_LISTED)
    g_array_append_val (f->fids, fid);
}

static char *
fid_list (const NgamStoreFinding *f)
{
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < f->fids->len; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i ? ", " : "", g_array_index (f->fids, gint64, i));
  if (f->count > f->fids->len)
    g_string_append (ids, ", …");
  return g_string_free (ids, FALSE);
}

/* One table's spatial index against its geometries: the R*Tree's own
 * structure (SQLite's rtreecheck()), then every geometry's box against
 * its entry, and entries of no row, as SpatiaLite's CheckSpatialIndex()
 * does, but naming the features and writing nothing (CheckSpatialIndex
 * logs into spatialite_history, which a read-only file refuses).  The
 * R*Tree keeps floats rounded outwards, so a box may be larger than the
 * geometry's by a float's step and never smaller. */
static gboolean
check_index (NgamStore   *store,
             const char  *table,
             GPtrArray   *findings,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autofree char *tree = g_strdup_printf ("SELECT rtreecheck('idx_%s_geom')", table);
  g_autofree char *rows = g_strdup_printf (
    "SELECT t.fid FROM \"%s\" t LEFT JOIN \"idx_%s_geom\" i ON i.pkid = t.fid "
    "WHERE t.geom IS NOT NULL AND (i.pkid IS NULL"
    " OR i.xmin > MbrMinX(t.geom) OR i.xmax < MbrMaxX(t.geom)"
    " OR i.ymin > MbrMinY(t.geom) OR i.ymax < MbrMaxY(t.geom)"
    " OR MbrMinX(t.geom) - i.xmin > 1e-6 * abs(i.xmin) + 1e-6"
    " OR i.xmax - MbrMaxX(t.geom) > 1e-6 * abs(i.xmax) + 1e-6"
    " OR MbrMinY(t.geom) - i.ymin > 1e-6 * abs(i.ymin) + 1e-6"
    " OR i.ymax - MbrMaxY(t.geom) > 1e-6 * abs(i.ymax) + 1e-6) ORDER BY t.fid", table, table);
  g_autofree char *extra = g_strdup_printf (
    "SELECT i.pkid FROM \"idx_%s_geom\" i WHERE NOT EXISTS "
    "(SELECT 1 FROM \"%s\" t WHERE t.fid = i.pkid AND t.geom IS NOT NULL) ORDER BY i.pkid", table, table);
  NgamStoreFinding *f = NULL;
  int rc;

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, tree, -1, &st, NULL) != SQLITE_OK || sqlite3_step (st) != SQLITE_ROW)
    {
      f = finding_new (findings, "spatial_index", table, NULL);
      f->count = 1;
      f->message = g_strdup_printf (_("layer %s: its spatial index cannot be read: %s"),
                                    table, sqlite3_errmsg (NGAM_SQLITE (store)->db));
      return TRUE;
    }
  if (g_strcmp0 ((const char *) sqlite3_column_text (st, 0), "ok") != 0)
    {
      f = finding_new (findings, "spatial_index", table, NULL);
      f->count = 1;
      f->message = g_strdup_printf (_("layer %s: its spatial index is damaged: %s"),
                                    table, (const char *) sqlite3_column_text (st, 0));
      return TRUE;
    }
  g_clear_pointer (&st, sqlite3_finalize);

  for (int pass = 0; pass < 2; pass++)
    {
      g_autofree char *ids = NULL;

      f = NULL;
      if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, pass == 0 ? rows : extra, -1, &st, NULL) != SQLITE_OK)
        return ngam_sqlite_set_sql_error (store, error, "cannot check a spatial index");
      while ((rc = sqlite3_step (st)) == SQLITE_ROW)
        {
          if (f == NULL)
            f = finding_new (findings, "spatial_index", table, NULL);
          finding_add_fid (f, sqlite3_column_int64 (st, 0));
          f->count++;
        }
      if (rc != SQLITE_DONE)
        return ngam_sqlite_set_sql_error (store, error, "cannot check a spatial index");
      g_clear_pointer (&st, sqlite3_finalize);
      if (f == NULL)
        continue;
      ids = fid_list (f);
      f->message = pass == 0
        ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "layer %s: %" PRId64 " feature is missing from the spatial "
                                        "index or has a wrong box there (fid %s): map views and searches by "
                                        "area miss it until the index is rebuilt",
                                        "layer %s: %" PRId64 " features are missing from the spatial "
                                        "index or have a wrong box there (fids %s): map views and searches by "
                                        "area miss them until the index is rebuilt", f->count),
                           table, f->count, ids)
        : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "layer %s: the spatial index has %" PRId64 " entry for no "
                                        "feature with a geometry (fid %s)",
                                        "layer %s: the spatial index has %" PRId64 " entries for no "
                                        "feature with a geometry (fids %s)", f->count),
                           table, f->count, ids);
    }
  return TRUE;
}

/* The fields that hold another layer's fid. */
static const struct
{
  NgamLayerKind layer;
  const char   *field;
  NgamLayerKind target;
} references[] = {
  { NGAM_LAYER_SPANS, "from_pole", NGAM_LAYER_POLES },
  { NGAM_LAYER_SPANS, "to_pole", NGAM_LAYER_POLES },
};

/* Features (not retired) whose reference points at no feature at all. */
static gboolean
check_reference (NgamStore  *store,
                 guint       r,
                 GPtrArray  *findings,
                 GError    **error)
{
  const char *layer = ngam_layer_info (references[r].layer)->name;
  const char *target = ngam_layer_info (references[r].target)->name;
  const char *field = references[r].field;
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT a.fid, a.%s FROM %s a WHERE a.retired = 0 AND a.%s IS NOT NULL "
                                          "AND NOT EXISTS (SELECT 1 FROM %s b WHERE b.fid = a.%s) ORDER BY a.fid",
                                          field, layer, field, target, field);
  NgamStoreFinding *f = NULL;
  gint64 first_ref = 0;
  int rc;

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, sql, -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot check references");
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      gint64 fid = sqlite3_column_int64 (st, 0);

      if (f == NULL)
        {
          f = finding_new (findings, "reference", layer, field);
          first_ref = sqlite3_column_int64 (st, 1);
        }
      finding_add_fid (f, fid);
      f->count++;
    }
  if (rc != SQLITE_DONE)
    return ngam_sqlite_set_sql_error (store, error, "cannot check references");
  if (f)
    {
      g_autofree char *ids = fid_list (f);

      f->message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "layer %s: %" PRId64 " feature has a %s that is no "
                                                 "feature of %s (fid %s; the first points at %" PRId64
                                                 ", deleted by another program?)",
                                                 "layer %s: %" PRId64 " features have a %s that is no "
                                                 "feature of %s (fids %s; the first points at %" PRId64
                                                 ", deleted by another program?)", f->count),
                                    layer, f->count, field, target, ids, first_ref);
    }
  return TRUE;
}

/**
 * ngam_store_check:
 *
 * Checks the whole file: SQLite's integrity_check, every spatial index
 * against its table (result features' too), and the references between
 * layers.  What it finds are findings, not errors: a damaged file or a
 * dangling reference is the answer, and @error is set only when the
 * checks themselves cannot run.
 *
 * Returns: (transfer full) (element-type NgamStoreFinding): the findings,
 *   empty when the file is sound; NULL with @error set on failure.
 */
GPtrArray *
ngam_sqlite_check (NgamStore  *store,
                   GError    **error)
{
  g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_store_finding_free);

  g_return_val_if_fail (store != NULL, NULL);
  if (!check_sqlite (store, findings, error))
    return NULL;
  /* on a damaged file the other checks would only repeat it */
  if (findings->len > 0)
    return g_steal_pointer (&findings);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    if (!check_index (store, ngam_layer_info (k)->name, findings, error))
      return NULL;
  if (!check_index (store, "result_features", findings, error))
    return NULL;
  for (guint r = 0; r < G_N_ELEMENTS (references); r++)
    if (!check_reference (store, r, findings, error))
      return NULL;
  return g_steal_pointer (&findings);
}
