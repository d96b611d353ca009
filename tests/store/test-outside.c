/* test-outside.c — other programs editing the project file, as QGIS does
 * through OGR: features added with NULL in NOT NULL columns, edits the
 * store notices, poles deleted under their spans, and what `info` says
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdal.h>
#include <json-glib/json-glib.h>
#include <ogr_api.h>
#include <sqlite3.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-test-util.h"

typedef struct
{
  char      *dir;
  char      *path;
  NgamStore *store;
  gint64     poles[4];
  gint64     spans[3];
} Fixture;

static gint64
write_feature (NgamStore *store, NgamLayerKind kind, NgamShape *shape, gint64 from, gint64 to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStoreWriter) w = ngam_store_writer_new (store, kind, &error);
  g_autoptr(NgamFeature) f = ngam_feature_new (kind);
  gint64 fid = 0;

  g_assert_no_error (error);
  ngam_shape_free (f->shape);
  f->shape = shape;
  f->operator_name = g_strdup ("VNPT");
  if (kind == NGAM_LAYER_SPANS)
    {
      ngam_feature_set_int (f, ngam_layer_field_index (kind, "from_pole"), from);
      ngam_feature_set_int (f, ngam_layer_field_index (kind, "to_pole"), to);
    }
  g_assert_true (ngam_store_writer_add (w, f, &fid, &error));
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_assert_no_error (error);
  return fid;
}

/* Four poles 40 m apart on a street, three spans between them. */
static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fx->dir = ngam_test_tmpdir ();
  fx->path = g_build_filename (fx->dir, "p.ngam", NULL);
  fx->store = ngam_store_create (fx->path, "EPSG:9214", &error);
  g_assert_no_error (error);
  g_assert_true (ngam_store_begin (fx->store, &error));
  for (int i = 0; i < 4; i++)
    fx->poles[i] = write_feature (fx->store, NGAM_LAYER_POLES, ngam_shape_new_point (560000 + 40 * i, 1820000), 0, 0);
  for (int i = 0; i < 3; i++)
    {
      double xy[] = { 560000 + 40 * i, 1820000, 560040 + 40 * i, 1820000 };

      fx->spans[i] = write_feature (fx->store, NGAM_LAYER_SPANS, ngam_shape_new_line (xy, 2),
                                    fx->poles[i], fx->poles[i + 1]);
    }
  g_assert_true (ngam_store_commit (fx->store, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  ngam_store_close (fx->store);
  ngam_test_rmdir (fx->dir);
  g_free (fx->dir);
  g_free (fx->path);
}

static GDALDatasetH
ogr_open (const char *path)
{
  const char *drivers[] = { "SQLite", NULL };
  GDALDatasetH ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers, NULL, NULL);

  if (ds == NULL)
    g_error ("OGR cannot open %s: %s", path, CPLGetLastErrorMsg ());
  return ds;
}

/* Adds a pole as QGIS's ogr provider does: every field set, NULL where
 * the user typed nothing (only @code given); or, with @all_unset, no
 * field touched at all. */
static gint64
ogr_add_pole (GDALDatasetH ds, double x, double y, const char *code, gboolean all_unset)
{
  OGRLayerH layer = GDALDatasetGetLayerByName (ds, "poles");
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn (layer);
  OGRFeatureH f = OGR_F_Create (defn);
  OGRGeometryH pt = OGR_G_CreateGeometry (wkbPoint);
  gint64 fid;

  g_assert_nonnull (layer);
  for (int i = 0; i < OGR_FD_GetFieldCount (defn) && !all_unset; i++)
    {
      const char *name = OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i));

      if (code && strcmp (name, "code") == 0)
        OGR_F_SetFieldString (f, i, code);
      else
        OGR_F_SetFieldNull (f, i);
    }
  OGR_G_SetPoint_2D (pt, 0, x, y);
  OGR_F_SetGeometryDirectly (f, pt);
  if (OGR_L_CreateFeature (layer, f) != OGRERR_NONE)
    g_error ("OGR cannot add a pole: %s", CPLGetLastErrorMsg ());
  fid = OGR_F_GetFID (f);
  OGR_F_Destroy (f);
  return fid;
}

static char *
sql_text (Fixture *fx, const char *sql)
{
  return ngam_test_sql_text (fx->path, sql);
}

/* A NULL in a NOT NULL column (retired) becomes its default, on insert
 * and on update, and the spatial index stays right. */
static void
test_ogr_nulls (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  GDALDatasetH ds = ogr_open (fx->path);
  gint64 a, b;
  double box[] = { 560500, 1820400, 560700, 1820600 };

  a = ogr_add_pole (ds, 560600, 1820500, "QGIS-1", FALSE);
  b = ogr_add_pole (ds, 560610, 1820500, NULL, TRUE);
  /* and a QGIS user clears the field of an existing pole */
  {
    OGRLayerH layer = GDALDatasetGetLayerByName (ds, "poles");
    OGRFeatureH f = OGR_L_GetFeature (layer, fx->poles[0]);

    OGR_F_SetFieldNull (f, OGR_F_GetFieldIndex (f, "retired"));
    g_assert_cmpint (OGR_L_SetFeature (layer, f), ==, OGRERR_NONE);
    OGR_F_Destroy (f);
  }
  GDALClose (ds);
  g_assert_cmpint (a, >, 0);
  g_assert_cmpint (b, >, a);

  {
    g_autofree char *retired = sql_text (fx, "SELECT group_concat(fid || ':' || quote(retired) || ':' || "
                                             "quote(code), ' ') FROM poles ORDER BY fid");
    g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT ":0:NULL %" G_GINT64_FORMAT ":0:NULL %"
                                                 G_GINT64_FORMAT ":0:NULL %" G_GINT64_FORMAT ":0:NULL %"
                                                 G_GINT64_FORMAT ":0:'QGIS-1' %" G_GINT64_FORMAT ":0:NULL",
                                                 fx->poles[0], fx->poles[1], fx->poles[2], fx->poles[3], a, b);

    g_assert_cmpstr (retired, ==, expected);
  }
  /* the store sees both, through the spatial index */
  g_assert_cmpint (ngam_store_count (fx->store, NGAM_LAYER_POLES, &error), ==, 6);
  {
    g_autoptr(NgamStoreCursor) c = ngam_store_query (fx->store, NGAM_LAYER_POLES, box, 0, &error);
    guint n = 0;

    while (ngam_store_cursor_next (c, &error))
      {
        const NgamFeature *f = ngam_store_cursor_get (c);

        g_assert_cmpint (f->fid, ==, n == 0 ? a : b);
        g_assert_false (f->retired);
        n++;
      }
    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 2);
  }
  findings = ngam_store_check (fx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (findings->len, ==, 0);
}

/* A file of schema 3 gets the defaults when it is opened. */
static void
test_migrate_defaults (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db;
  int version = 0;
  sqlite3_stmt *st;
  GDALDatasetH ds;

  g_clear_pointer (&fx->store, ngam_store_close);
  g_assert_cmpint (sqlite3_open (fx->path, &db), ==, SQLITE_OK);
  /* what schema 5 added */
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      const char *t = ngam_layer_info (k)->name;
      g_autofree char *sql = g_strdup_printf ("DROP TRIGGER ngam_%s_row_version; ALTER TABLE %s DROP COLUMN row_version",
                                              t, t);

      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    }
  sqlite3_prepare_v2 (db, "PRAGMA schema_version", -1, &st, NULL);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  version = sqlite3_column_int (st, 0);
  sqlite3_finalize (st);
  {
    g_autofree char *sql = g_strdup_printf (
      "BEGIN; PRAGMA writable_schema=ON;"
      "UPDATE sqlite_master SET sql = replace(sql, 'NOT NULL ON CONFLICT REPLACE DEFAULT 0', 'NOT NULL DEFAULT 0')"
      " WHERE type = 'table';"
      "PRAGMA schema_version=%d; PRAGMA writable_schema=OFF;"
      "UPDATE meta SET value = '3' WHERE key = 'schema_version'; COMMIT;", version + 1);

    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  }
  sqlite3_close (db);
  {
    g_autofree char *n = sql_text (fx, "SELECT count(*) FROM sqlite_master WHERE sql LIKE '%ON CONFLICT REPLACE%'");

    g_assert_cmpstr (n, ==, "0");
  }

  /* before: QGIS's insert is refused */
  ds = ogr_open (fx->path);
  CPLPushErrorHandler (CPLQuietErrorHandler);
  {
    OGRLayerH layer = GDALDatasetGetLayerByName (ds, "poles");
    OGRFeatureH f = OGR_F_Create (OGR_L_GetLayerDefn (layer));

    OGR_F_SetFieldNull (f, OGR_F_GetFieldIndex (f, "retired"));
    g_assert_cmpint (OGR_L_CreateFeature (layer, f), !=, OGRERR_NONE);
    g_assert_nonnull (strstr (CPLGetLastErrorMsg (), "NOT NULL constraint failed: poles.retired"));
    OGR_F_Destroy (f);
  }
  CPLPopErrorHandler ();
  GDALClose (ds);

  fx->store = ngam_store_open (fx->path, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ngam_store_get_schema_version (fx->store), ==, NGAM_STORE_SCHEMA_VERSION);
  {
    g_autofree char *n = sql_text (fx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                       "AND sql LIKE '% retired INTEGER NOT NULL ON CONFLICT REPLACE DEFAULT 0,%'");
    g_autofree char *check = sql_text (fx, "PRAGMA integrity_check");
    g_autofree char *expected = g_strdup_printf ("%d", NGAM_N_LAYERS);

    g_assert_cmpstr (n, ==, expected);
    g_assert_cmpstr (check, ==, "ok");
  }
  /* after: accepted */
  ds = ogr_open (fx->path);
  g_assert_cmpint (ogr_add_pole (ds, 560600, 1820500, "QGIS-2", FALSE), >, 0);
  GDALClose (ds);
  g_assert_cmpint (ngam_store_count (fx->store, NGAM_LAYER_POLES, &error), ==, 5);
}

static void
test_changed_outside (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GDALDatasetH ds;
  guint layers = 42;

  /* the first call starts watching */
  g_assert_false (ngam_store_changed_outside (fx->store, &layers, &error));
  g_assert_cmpuint (layers, ==, 0);
  g_assert_false (ngam_store_changed_outside (fx->store, &layers, &error));

  /* QGIS adds a pole */
  ds = ogr_open (fx->path);
  ogr_add_pole (ds, 560600, 1820500, "QGIS-1", FALSE);
  GDALClose (ds);
  g_assert_true (ngam_store_changed_outside (fx->store, &layers, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (layers, ==, 1u << NGAM_LAYER_POLES);
  g_assert_false (ngam_store_changed_outside (fx->store, &layers, &error));
  g_assert_cmpuint (layers, ==, 0);

  /* this store's own edit is no outside change, and leaves the next one clear */
  {
    g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_SPANS);
    double xy[] = { 560000, 1820010, 560040, 1820010 };

    ngam_shape_free (f->shape);
    f->shape = ngam_shape_new_line (xy, 2);
    g_assert_true (ngam_store_edit_begin (fx->store, "add a span", &error));
    g_assert_true (ngam_store_edit_insert (fx->store, f, &error));
    g_assert_true (ngam_store_edit_commit (fx->store, &error));
    g_assert_no_error (error);
  }
  g_assert_false (ngam_store_changed_outside (fx->store, &layers, &error));

  /* QGIS deletes a span: only spans */
  ds = ogr_open (fx->path);
  g_assert_cmpint (OGR_L_DeleteFeature (GDALDatasetGetLayerByName (ds, "spans"), fx->spans[0]), ==, OGRERR_NONE);
  GDALClose (ds);
  g_assert_true (ngam_store_changed_outside (fx->store, &layers, &error));
  g_assert_cmpuint (layers, ==, 1u << NGAM_LAYER_SPANS);

  /* a setting changed in the sqlite3 shell: no layer to name */
  {
    sqlite3 *db;

    g_assert_cmpint (sqlite3_open (fx->path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE meta SET value = '0.75' WHERE key = 'snap_tolerance_m'",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  g_assert_true (ngam_store_changed_outside (fx->store, &layers, &error));
  g_assert_cmpuint (layers & NGAM_STORE_CHANGED_OTHER, !=, 0);
  g_assert_cmpuint (layers & (1u << NGAM_LAYER_ZONES), !=, 0);
  g_assert_false (ngam_store_changed_outside (fx->store, NULL, &error));

  /* a read-only connection (the map's) sees the writer's commits too */
  {
    g_autoptr(NgamStore) ro = ngam_store_open (fx->path, NGAM_STORE_OPEN_READ_ONLY, &error);

    g_assert_no_error (error);
    g_assert_false (ngam_store_changed_outside (ro, &layers, &error));
    ds = ogr_open (fx->path);
    ogr_add_pole (ds, 560700, 1820500, "QGIS-3", FALSE);
    GDALClose (ds);
    g_assert_true (ngam_store_changed_outside (ro, &layers, &error));
    g_assert_cmpuint (layers, ==, 1u << NGAM_LAYER_POLES);
  }
}

/* QGIS deletes a pole with spans on it: `info` lists the spans, exit 1,
 * and the same in JSON. */
static void
test_dangling (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  GDALDatasetH ds;
  const NgamStoreFinding *f;
  int status;

  status = ngam_test_run_batch (&out, &err, "info", fx->path, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "integrity:  ok"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* pole 1 carries spans 0 and 1 (to_pole of one, from_pole of the other) */
  ds = ogr_open (fx->path);
  g_assert_cmpint (OGR_L_DeleteFeature (GDALDatasetGetLayerByName (ds, "poles"), fx->poles[1]), ==, OGRERR_NONE);
  GDALClose (ds);

  findings = ngam_store_check (fx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (findings->len, ==, 2);
  f = findings->pdata[0];
  g_assert_cmpstr (f->check, ==, "reference");
  g_assert_cmpstr (f->layer, ==, "spans");
  g_assert_cmpstr (f->field, ==, "from_pole");
  g_assert_cmpint (f->count, ==, 1);
  g_assert_cmpuint (f->fids->len, ==, 1);
  g_assert_cmpint (g_array_index (f->fids, gint64, 0), ==, fx->spans[1]);
  f = findings->pdata[1];
  g_assert_cmpstr (f->field, ==, "to_pole");
  g_assert_cmpint (g_array_index (f->fids, gint64, 0), ==, fx->spans[0]);
  expected = g_strdup_printf ("layer spans: 1 feature has a to_pole that is no feature of poles (fid %"
                              G_GINT64_FORMAT "; the first points at %" G_GINT64_FORMAT
                              ", deleted by another program?)", fx->spans[0], fx->poles[1]);
  g_assert_cmpstr (f->message, ==, expected);

  status = ngam_test_run_batch (&out, &err, "info", fx->path, NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (out, "integrity:  2 findings\n  - layer spans: 1 feature has a from_pole"));
  g_assert_nonnull (strstr (out, expected));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = ngam_test_run_batch (&out, &err, "info", fx->path, "--json", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  {
    JsonObject *o = json_node_get_object (json_parser_get_root (parser));
    JsonArray *a = json_object_get_array_member (o, "findings");
    JsonObject *first = json_array_get_object_element (a, 0);

    g_assert_cmpuint (json_array_get_length (a), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (first, "check"), ==, "reference");
    g_assert_cmpstr (json_object_get_string_member (first, "field"), ==, "from_pole");
    g_assert_cmpint (json_object_get_int_member (first, "count"), ==, 1);
    g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (first, "fids"), 0), ==,
                     fx->spans[1]);
  }
}

/* An index left behind by a program that writes without SpatiaLite. */
static void
test_index_behind (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  sqlite3 *db;
  const NgamStoreFinding *f;
  g_autofree char *expected = NULL;

  g_assert_cmpint (sqlite3_open (fx->path, &db), ==, SQLITE_OK);
  /* a row moved 100 m without its entry, and an entry of no row */
  {
    g_autofree char *sql = g_strdup_printf ("DELETE FROM idx_poles_geom WHERE pkid = %" G_GINT64_FORMAT ";"
                                            "INSERT INTO idx_spans_geom VALUES (999, 0, 1, 0, 1);",
                                            fx->poles[2]);

    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  }
  sqlite3_close (db);
  findings = ngam_store_check (fx->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (findings->len, ==, 2);
  f = findings->pdata[0];
  g_assert_cmpstr (f->check, ==, "spatial_index");
  g_assert_cmpstr (f->layer, ==, "poles");
  g_assert_cmpint (g_array_index (f->fids, gint64, 0), ==, fx->poles[2]);
  expected = g_strdup_printf ("layer poles: 1 feature is missing from the spatial index or has a wrong box "
                              "there (fid %" G_GINT64_FORMAT "): map views and searches by area miss it "
                              "until the index is rebuilt", fx->poles[2]);
  g_assert_cmpstr (f->message, ==, expected);
  f = findings->pdata[1];
  g_assert_cmpstr (f->layer, ==, "spans");
  g_assert_cmpstr (f->message, ==, "layer spans: the spatial index has 1 entry for no feature with a geometry (fid 999)");
}

/* Every change moves a feature's row version on, whoever makes it; an
 * update checked against a stale version is refused. */
static void
test_row_version (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamFeature) f = NULL;
  gint64 pole = fx->poles[0], added;
  int code = ngam_layer_field_index (NGAM_LAYER_POLES, "code");
  GDALDatasetH ds;

  g_assert_cmpint (ngam_store_get_row_version (fx->store, NGAM_LAYER_POLES, pole, &error), ==, 1);
  g_assert_no_error (error);

  /* this store's edit, checked against the version read */
  f = ngam_store_get_feature (fx->store, NGAM_LAYER_POLES, pole, &error);
  ngam_feature_set_text (f, code, "P-1");
  g_assert_true (ngam_store_edit_begin (fx->store, "rename a pole", &error));
  g_assert_true (ngam_store_edit_update_checked (fx->store, f, 1, &error));
  g_assert_true (ngam_store_edit_commit (fx->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ngam_store_get_row_version (fx->store, NGAM_LAYER_POLES, pole, &error), ==, 2);

  /* QGIS edits it (OGR writes back the version it read) */
  ds = ogr_open (fx->path);
  {
    OGRLayerH layer = GDALDatasetGetLayerByName (ds, "poles");
    OGRFeatureH of = OGR_L_GetFeature (layer, pole);

    g_assert_cmpint (OGR_F_GetFieldAsInteger64 (of, OGR_F_GetFieldIndex (of, "row_version")), ==, 2);
    OGR_F_SetFieldString (of, OGR_F_GetFieldIndex (of, "code"), "P-1-QGIS");
    g_assert_cmpint (OGR_L_SetFeature (layer, of), ==, OGRERR_NONE);
    OGR_F_Destroy (of);
  }
  added = ogr_add_pole (ds, 560600, 1820500, "QGIS-1", FALSE);
  GDALClose (ds);
  g_assert_cmpint (ngam_store_get_row_version (fx->store, NGAM_LAYER_POLES, pole, &error), ==, 3);
  g_assert_cmpint (ngam_store_get_row_version (fx->store, NGAM_LAYER_POLES, added, &error), ==, 1);

  /* so the update made from what was read at version 2 is refused, and changes nothing */
  ngam_feature_set_text (f, code, "P-1-again");
  g_assert_true (ngam_store_edit_begin (fx->store, "rename a pole", &error));
  g_assert_false (ngam_store_edit_update_checked (fx->store, f, 2, &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "was changed elsewhere since it was read (version 2, now 3)"));
  g_clear_error (&error);
  ngam_store_edit_abort (fx->store);
  {
    g_autoptr(NgamFeature) now = ngam_store_get_feature (fx->store, NGAM_LAYER_POLES, pole, &error);

    g_assert_cmpstr (ngam_feature_get_text (now, code), ==, "P-1-QGIS");
  }
  g_assert_cmpint (ngam_store_get_row_version (fx->store, NGAM_LAYER_POLES, pole, &error), ==, 3);

  /* undo is a change too */
  g_assert_true (ngam_store_undo (fx->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ngam_store_get_row_version (fx->store, NGAM_LAYER_POLES, pole, &error), ==, 4);

  g_assert_cmpint (ngam_store_get_row_version (fx->store, NGAM_LAYER_POLES, 9999, &error), ==, 0);
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID);
}

/* ngam-batch imports into the file twice (a bulk load each time) while
 * this process has it open, read-write and read-only, as the window has
 * it: both connections see both imports, and nothing is damaged.  (Opening
 * the second store used to read the file's header through a descriptor
 * of its own, whose closing dropped the process's SQLite locks: the CLI
 * then deleted the WAL under both connections, which saw no more.) */
static void
test_bulk_outside (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) ro = ngam_store_open (fx->path, NGAM_STORE_OPEN_READ_ONLY, &error);
  guint layers = 0;

  g_assert_no_error (error);
  g_assert_false (ngam_store_changed_outside (fx->store, &layers, &error));
  g_assert_false (ngam_store_changed_outside (ro, &layers, &error));
  for (int round = 0; round < 2; round++)
    {
      g_autofree char *src = g_strdup_printf ("%s/poles-%d.geojson", fx->dir, round);
      g_autofree char *name = g_strdup_printf ("round-%d", round);
      g_autofree char *json = g_strdup_printf (
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"R%d-1\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[560500,1820100]}},"
        "{\"type\":\"Feature\",\"properties\":{\"code\":\"R%d-2\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[560540,1820100]}}]}",
        round, round);
      g_autofree char *out = NULL, *err = NULL;
      int status;

      g_assert_true (g_file_set_contents (src, json, -1, NULL));
      status = ngam_test_run_batch (&out, &err, "import", fx->path, src, "--kind", "poles", "--crs", "EPSG:9214",
                                    "--operator", round == 0 ? "FPT" : "SCTV", "--source-name", name, NULL);
      g_test_message ("%s%s", out, err);
      {
        /* the WAL this process's connections read is still there */
        g_autofree char *wal = g_strconcat (fx->path, "-wal", NULL);

        g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
      }
      g_assert_cmpint (status, ==, 0);
      g_assert_true (ngam_store_changed_outside (fx->store, &layers, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (layers & (1u << NGAM_LAYER_POLES), !=, 0);
      g_assert_cmpint (ngam_store_count (fx->store, NGAM_LAYER_POLES, &error), ==, 4 + 2 * (round + 1));
      g_assert_no_error (error);
      g_assert_true (ngam_store_changed_outside (ro, &layers, &error));
      g_assert_no_error (error);
      g_assert_cmpint (ngam_store_count (ro, NGAM_LAYER_POLES, &error), ==, 4 + 2 * (round + 1));
      g_assert_no_error (error);
    }
  /* and a connection opened now finds an undamaged file */
  {
    g_autoptr(NgamStore) again = ngam_store_open (fx->path, NGAM_STORE_OPEN_READ_ONLY, &error);

    g_assert_no_error (error);
    g_assert_cmpint (ngam_store_count (again, NGAM_LAYER_POLES, &error), ==, 8);
    g_assert_no_error (error);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();
  GDALAllRegister ();
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/store/outside/ogr-writes-null", test_ogr_nulls);
  ADD ("/store/outside/migrate-defaults", test_migrate_defaults);
  ADD ("/store/outside/changed", test_changed_outside);
  ADD ("/store/outside/dangling-references", test_dangling);
  ADD ("/store/outside/index-behind", test_index_behind);
  ADD ("/store/outside/row-version", test_row_version);
  ADD ("/store/outside/bulk-while-open", test_bulk_outside);
  return g_test_run ();
}
