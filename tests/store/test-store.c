/* test-store.c — the project file: create, open, every bad file, migration,
 * transactions, bulk writes, queries and the undo/redo journal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include "ngam-core.h"
#include "ngam-results.h"
#include "ngam-store-backend.h"
#include "sqlite/ngam-sqlite-private.h"
#include "ngam-test-util.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  fx->dir = ngam_test_tmpdir ();
  fx->path = g_build_filename (fx->dir, "p.ngam", NULL);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  ngam_test_rmdir (fx->dir);
  g_free (fx->dir);
  g_free (fx->path);
}

/* Adds n poles on a grid (10 m apart, 100 per row) in one transaction. */
static void
add_poles (NgamStore *store, guint n, gboolean commit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStoreWriter) w = NULL;
  g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_POLES);
  int code = ngam_layer_field_index (NGAM_LAYER_POLES, "code");

  g_assert_true (ngam_store_begin (store, &error));
  w = ngam_store_writer_new (store, NGAM_LAYER_POLES, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NgamShape) s = ngam_shape_new_point (560000 + 10.0 * (i % 100), 1820000 + 10.0 * (i / 100));
      g_autofree char *c = g_strdup_printf ("P%u", i);

      ngam_feature_reset (f);
      ngam_shape_free (f->shape);
      f->shape = g_steal_pointer (&s);
      f->operator_name = g_strdup (i % 2 ? "VNPT" : "Viettel");
      ngam_feature_set_text (f, code, c);
      g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (ngam_store_writer_finish (w, &error));
  if (commit)
    g_assert_true (ngam_store_commit (store, &error));
  else
    ngam_store_rollback (store);
  g_assert_no_error (error);
}

static void
assert_sound (NgamStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *problems = NULL;

  if (!ngam_store_check_integrity (store, &problems, &error))
    g_error ("integrity: %s", problems ? problems : error->message);
}

static void
raw_exec (const char *path, const char *sql)
{
  sqlite3 *db;
  char *msg = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
  sqlite3_close (db);
}

static void
test_create (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (fx->path, "EPSG:9214", &error);
  double bbox[4];

  g_assert_no_error (error);
  g_assert_cmpint (ngam_store_get_srid (store), ==, 9214);
  g_assert_cmpstr (ngam_store_get_crs (store), ==, "EPSG:9214");
  g_assert_cmpint (ngam_store_get_schema_version (store), ==, NGAM_STORE_SCHEMA_VERSION);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    g_assert_cmpint (ngam_store_count (store, k, &error), ==, 0);
  g_assert_false (ngam_store_get_extent (store, -1, bbox, &error));
  g_assert_no_error (error);
  assert_sound (store);
  g_clear_pointer (&store, ngam_store_close);

  store = ngam_store_open (fx->path, NGAM_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ngam_store_get_srid (store), ==, 9214);
  g_clear_pointer (&store, ngam_store_close);
  {
    /* the page size a new file is made with (the header says it) */
    g_autofree guint8 *head = NULL;
    gsize len = 0;

    g_assert_true (g_file_get_contents (fx->path, (char **) &head, &len, NULL));
    g_assert_cmpuint (len, >=, 100);
    g_assert_cmpuint ((guint) (head[16] << 8 | head[17]), ==, NGAM_STORE_PAGE_SIZE);
  }

  /* never overwrite */
  store = ngam_store_create (fx->path, "EPSG:9214", &error);
  g_assert_null (store);
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_EXISTS);
}

/* The public calls go through the store's backend: a project file gets
 * SQLite's, with every slot filled (a slot added to NgamStoreBackend and
 * not to ngam-sqlite-backend.c would be NULL here), and each object a
 * store makes finds its way back to the store, so to its backend. */
static void
test_backend (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (fx->path, "EPSG:9214", &error);
  g_autoptr(NgamStore) again = NULL;
  const NgamStoreBackend *backend = ngam_store_backend_for_path (fx->path);
  guint n = ngam_store_backend_n_slots ();

  g_assert_no_error (error);
  g_assert_true (backend == &ngam_sqlite_backend);
  g_assert_cmpstr (backend->name, ==, "sqlite");
  g_assert_cmpstr (ngam_store_get_backend_name (store), ==, "sqlite");
  g_assert_true (store->backend == backend);
  /* the slots are the function pointers after the name, every one set */
  g_assert_cmpuint (n, >, 80);
  g_assert_cmpuint (G_STRUCT_OFFSET (NgamStoreBackend, create) + n * sizeof (void (*) (void)), ==,
                    sizeof (NgamStoreBackend));
  for (guint i = 0; i < n; i++)
    if (!ngam_store_backend_slot_is_set (backend, i))
      g_error ("slot %u of the sqlite backend is not set", i);

  again = ngam_store_open_again (store, NGAM_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (again->backend == backend);
  g_assert_true (again != store);
  {
    g_autoptr(NgamStoreCursor) c = ngam_store_query (store, NGAM_LAYER_POLES, NULL, 0, &error);
    g_autoptr(NgamResultCursor) r = ngam_store_query_results (store, 1, NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (c->store == store);
    g_assert_true (r->store == store);
  }
  g_assert_true (ngam_store_begin (store, &error));
  {
    g_autoptr(NgamStoreWriter) w = ngam_store_writer_new (store, NGAM_LAYER_POLES, &error);

    g_assert_no_error (error);
    g_assert_true (w->store == store);
    g_assert_true (ngam_store_writer_finish (w, &error));
  }
  ngam_store_rollback (store);
  g_assert_cmpint (ngam_store_put_scenario (store, "base", "[plan]\n", &error), >, 0);
  {
    g_autoptr(NgamRun) run = ngam_run_begin (store, "base", "plan", NULL, &error);

    g_assert_no_error (error);
    g_assert_true (run->store == store);
  }
}

static void
test_create_not_metric (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (fx->path, "EPSG:4326", &error);

  g_assert_null (store);
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "metres"));
  g_assert_false (g_file_test (fx->path, G_FILE_TEST_EXISTS));
}

/* A CRS given as WKT without an EPSG code still makes a project. */
static void
test_create_custom_crs (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store =
    ngam_store_create (fx->path, "+proj=tmerc +lon_0=107.25 +k=0.9999 +x_0=500000 +ellps=WGS84 +units=m +type=crs", &error);

  g_assert_no_error (error);
  g_assert_cmpint (ngam_store_get_srid (store), ==, 990001);
  add_poles (store, 10, TRUE);
  assert_sound (store);
}

static void
expect_open_error (const char *path, NgamStoreOpenFlags flags, int code, const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = ngam_test_sha256_file (path);
  g_autoptr(NgamStore) store = ngam_store_open (path, flags, &error);
  g_autofree char *after = NULL;

  g_assert_null (store);
  g_assert_error (error, NGAM_STORE_ERROR, code);
  g_test_message ("%s", error->message);
  /* the message names the file and the cause */
  g_assert_nonnull (strstr (error->message, path));
  if (needle && !strstr (error->message, needle))
    g_error ("expected “%s” in: %s", needle, error->message);
  after = ngam_test_sha256_file (path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_open_missing (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (fx->path, 0, &error);

  g_assert_null (store);
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, fx->path));
  g_assert_false (g_file_test (fx->path, G_FILE_TEST_EXISTS));
}

static void
test_open_not_sqlite (Fixture *fx, gconstpointer data)
{
  g_assert_true (g_file_set_contents (fx->path, "ten_duong,loai_cap\nLê Lợi,Quang\n", -1, NULL));
  expect_open_error (fx->path, 0, NGAM_STORE_ERROR_NOT_SQLITE, "not an SQLite database");
  g_assert_true (g_file_set_contents (fx->path, "", 0, NULL));
  expect_open_error (fx->path, 0, NGAM_STORE_ERROR_NOT_SQLITE, "empty");
}

static void
test_open_not_project (Fixture *fx, gconstpointer data)
{
  raw_exec (fx->path, "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
  expect_open_error (fx->path, 0, NGAM_STORE_ERROR_NOT_PROJECT, "not a Ngầm project");
}

static void
make_project_with_data (Fixture *fx, guint n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (fx->path, "EPSG:9214", &error);

  g_assert_no_error (error);
  add_poles (store, n, TRUE);
}

static void
test_open_truncated (Fixture *fx, gconstpointer data)
{
  g_autofree char *bytes = NULL;
  gsize len;

  make_project_with_data (fx, 5000);
  g_assert_true (g_file_get_contents (fx->path, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (fx->path, bytes, len / 2, NULL));
  expect_open_error (fx->path, 0, NGAM_STORE_ERROR_TRUNCATED, "truncated");
  expect_open_error (fx->path, NGAM_STORE_OPEN_READ_ONLY, NGAM_STORE_ERROR_TRUNCATED, "truncated");
}

static void
test_open_corrupt (Fixture *fx, gconstpointer data)
{
  g_autofree char *bytes = NULL;
  gsize len;

  make_project_with_data (fx, 100);
  g_assert_true (g_file_get_contents (fx->path, &bytes, &len, NULL));
  /* Scribble over the schema table's page header and cell pointers
   * (page 1, after the 100-byte file header). */
  memset (bytes + 100, 0xA5, 400);
  g_assert_true (g_file_set_contents (fx->path, bytes, len, NULL));
  expect_open_error (fx->path, 0, NGAM_STORE_ERROR_CORRUPT, "damaged");
}

static void
test_open_newer (Fixture *fx, gconstpointer data)
{
  make_project_with_data (fx, 10);
  raw_exec (fx->path, "UPDATE meta SET value = '99' WHERE key = 'schema_version'");
  expect_open_error (fx->path, 0, NGAM_STORE_ERROR_NEWER, "newer Ngầm");
  expect_open_error (fx->path, NGAM_STORE_OPEN_READ_ONLY, NGAM_STORE_ERROR_NEWER, "schema 99");
}

static void
test_open_read_only (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = NULL;

  make_project_with_data (fx, 10);
  g_assert_cmpint (g_chmod (fx->path, 0444), ==, 0);
  expect_open_error (fx->path, 0, NGAM_STORE_ERROR_READ_ONLY, "read-only");
  store = ngam_store_open (fx->path, NGAM_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ngam_store_count (store, NGAM_LAYER_POLES, &error), ==, 10);
  g_assert_false (ngam_store_begin (store, &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_READ_ONLY);
  g_chmod (fx->path, 0644);
}

/* Another connection holds the write lock (as another program saving would):
 * opening for writing waits briefly, then says the file is locked. */
static void
test_open_locked (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = NULL;
  sqlite3 *db;

  make_project_with_data (fx, 10);
  g_assert_cmpint (sqlite3_open (fx->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE; INSERT INTO meta VALUES ('x', 'y')", NULL, NULL, NULL), ==, SQLITE_OK);
  store = ngam_store_open (fx->path, 0, &error);
  g_assert_null (store);
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "another program"));
  g_clear_error (&error);
  /* readers are not blocked by a writer */
  store = ngam_store_open (fx->path, NGAM_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_clear_pointer (&store, ngam_store_close);
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (db);
  store = ngam_store_open (fx->path, 0, &error);
  g_assert_no_error (error);
}

static gboolean
has_table (const char *path, const char *table)
{
  sqlite3 *db;
  sqlite3_stmt *st;
  gboolean found;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_master WHERE name = ?1", -1, &st, NULL);
  sqlite3_bind_text (st, 1, table, -1, SQLITE_STATIC);
  found = sqlite3_step (st) == SQLITE_ROW;
  sqlite3_finalize (st);
  sqlite3_close (db);
  return found;
}

/* What schema 3 added, taken away again: a schema-2 file. */
#define DOWN_TO_2 "DROP INDEX runs_scenario; DROP INDEX result_features_run;" \
                  "CREATE INDEX result_features_run ON result_features (run_id, layer);" \
                  "ALTER TABLE runs DROP COLUMN n_features; ALTER TABLE result_features DROP COLUMN seq;"

/* A schema-1 file (no style table, no run counts) is migrated forward on open. */
static void
test_migrate (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = NULL;

  make_project_with_data (fx, 10);
  /* what schema 5 added, too */
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      const char *t = ngam_layer_info (k)->name;
      g_autofree char *sql = g_strdup_printf ("DROP TRIGGER ngam_%s_row_version; ALTER TABLE %s DROP COLUMN row_version",
                                              t, t);

      raw_exec (fx->path, sql);
    }
  raw_exec (fx->path, DOWN_TO_2 "DROP TABLE ngam_styles; UPDATE meta SET value = '1' WHERE key = 'schema_version'");
  g_assert_false (has_table (fx->path, "ngam_styles"));
  /* read-only cannot migrate, and says how to */
  expect_open_error (fx->path, NGAM_STORE_OPEN_READ_ONLY, NGAM_STORE_ERROR_READ_ONLY, "older schema");
  store = ngam_store_open (fx->path, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ngam_store_get_schema_version (store), ==, NGAM_STORE_SCHEMA_VERSION);
  g_assert_cmpint (ngam_store_count (store, NGAM_LAYER_POLES, &error), ==, 10);
  g_clear_pointer (&store, ngam_store_close);
  g_assert_true (has_table (fx->path, "ngam_styles"));
  {
    g_autofree char *cols = ngam_test_sql_text (fx->path,
      "SELECT group_concat(name) FROM pragma_table_info('runs') WHERE name = 'n_features'");

    g_assert_cmpstr (cols, ==, "n_features");
  }
}

/* A migration that fails changes nothing: the version stays, no table is
 * half made. */
static void
test_migrate_failure (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = NULL;
  g_autofree char *v = NULL;

  make_project_with_data (fx, 10);
  /* the style table is already there, so migration 2 fails half-way */
  raw_exec (fx->path, "UPDATE meta SET value = '1' WHERE key = 'schema_version'");
  store = ngam_store_open (fx->path, 0, &error);
  g_assert_null (store);
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "cannot upgrade"));
  g_clear_error (&error);
  raw_exec (fx->path, "CREATE TEMP TABLE probe (x)");
  {
    sqlite3 *db;
    sqlite3_stmt *st;

    sqlite3_open (fx->path, &db);
    sqlite3_prepare_v2 (db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &st, NULL);
    g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
    v = g_strdup ((const char *) sqlite3_column_text (st, 0));
    sqlite3_finalize (st);
    sqlite3_close (db);
  }
  g_assert_cmpstr (v, ==, "1");
}

static void
test_write_rollback (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (fx->path, "EPSG:9214", &error);

  add_poles (store, 50, TRUE);
  add_poles (store, 1000, FALSE);
  g_assert_cmpint (ngam_store_count (store, NGAM_LAYER_POLES, &error), ==, 50);
  assert_sound (store);
  /* nested: the inner rollback keeps the outer work */
  g_assert_true (ngam_store_begin (store, &error));
  add_poles (store, 7, TRUE);
  add_poles (store, 9, FALSE);
  g_assert_true (ngam_store_commit (store, &error));
  g_assert_cmpint (ngam_store_count (store, NGAM_LAYER_POLES, &error), ==, 57);
  assert_sound (store);
}

static void
test_write_invalid (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (fx->path, "EPSG:9214", &error);
  g_autoptr(NgamStoreWriter) w = NULL;
  g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_POLES);
  double xy[] = { 0, 0, 1, 1 };

  g_assert_true (ngam_store_begin (store, &error));
  w = ngam_store_writer_new (store, NGAM_LAYER_POLES, &error);
  ngam_shape_free (f->shape);
  f->shape = ngam_shape_new_line (xy, 2);
  f->source_key = g_strdup ("VNPT:cot.shp:17");
  g_assert_false (ngam_store_writer_add (w, f, NULL, &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "VNPT:cot.shp:17"));
  g_assert_nonnull (strstr (error->message, "LINESTRING"));
  g_clear_pointer (&w, ngam_store_writer_free);
  ngam_store_rollback (store);
  assert_sound (store);
  g_assert_cmpint (ngam_store_count (store, NGAM_LAYER_POLES, &error), ==, 0);
}

/* The bbox query returns exactly the features a brute-force scan finds. */
static void
test_query_bbox (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (fx->path, "EPSG:9214", &error);
  double boxes[][4] = {
    { 560000, 1820000, 560000, 1820000 },
    { 560015, 1820015, 560155, 1820095 },
    { 0, 0, 1, 1 },
    { 559000, 1819000, 561000, 1821000 },
  };
  double bbox[4];

  add_poles (store, 2000, TRUE);
  g_assert_true (ngam_store_get_extent (store, NGAM_LAYER_POLES, bbox, &error));
  g_assert_cmpfloat_with_epsilon (bbox[0], 560000, 0.1);
  g_assert_cmpfloat_with_epsilon (bbox[3], 1820190, 0.1);
  for (guint b = 0; b < G_N_ELEMENTS (boxes); b++)
    {
      g_autoptr(NgamStoreCursor) c = ngam_store_query (store, NGAM_LAYER_POLES, boxes[b], 0, &error);
      guint got = 0, want = 0;

      g_assert_no_error (error);
      while (ngam_store_cursor_next (c, &error))
        {
          const NgamFeature *f = ngam_store_cursor_get (c);

          g_assert_true (f->shape->xy[0] >= boxes[b][0] && f->shape->xy[0] <= boxes[b][2]);
          g_assert_true (f->shape->xy[1] >= boxes[b][1] && f->shape->xy[1] <= boxes[b][3]);
          g_assert_nonnull (ngam_feature_get_text (f, ngam_feature_field (f, "code")));
          got++;
        }
      g_assert_no_error (error);
      for (guint i = 0; i < 2000; i++)
        {
          double x = 560000 + 10.0 * (i % 100), y = 1820000 + 10.0 * (i / 100);

          if (x >= boxes[b][0] && x <= boxes[b][2] && y >= boxes[b][1] && y <= boxes[b][3])
            want++;
        }
      g_assert_cmpuint (got, ==, want);
    }
}

static NgamFeature *
pole_at (double x, double y, const char *code)
{
  NgamFeature *f = ngam_feature_new (NGAM_LAYER_POLES);

  ngam_shape_free (f->shape);
  f->shape = ngam_shape_new_point (x, y);
  ngam_feature_set_text (f, ngam_feature_field (f, "code"), code);
  f->operator_name = g_strdup ("VNPT");
  return f;
}

static gint64
count_poles (NgamStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 n = ngam_store_count (store, NGAM_LAYER_POLES, &error);

  g_assert_no_error (error);
  return n;
}

static void
test_journal (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (fx->path, "EPSG:9214", &error);
  g_autoptr(NgamFeature) a = pole_at (560000, 1820000, "A");
  g_autoptr(NgamFeature) b = pole_at (560050, 1820000, "B");
  g_autoptr(NgamFeature) got = NULL;
  g_autofree char *label = NULL;
  gint64 fid_a;

  g_assert_false (ngam_store_can_undo (store));
  g_assert_false (ngam_store_undo (store, &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NO_EDIT);
  g_clear_error (&error);

  /* edit 1: add two poles */
  g_assert_true (ngam_store_edit_begin (store, "Add poles A and B", &error));
  g_assert_true (ngam_store_edit_insert (store, a, &error));
  g_assert_true (ngam_store_edit_insert (store, b, &error));
  g_assert_true (ngam_store_edit_commit (store, &error));
  g_assert_no_error (error);
  fid_a = a->fid;
  g_assert_cmpint (count_poles (store), ==, 2);

  /* edit 2: move A, delete B */
  a->shape->xy[0] += 7.5;
  g_assert_true (ngam_store_edit_begin (store, "Move A, remove B", &error));
  g_assert_true (ngam_store_edit_update (store, a, &error));
  g_assert_true (ngam_store_edit_delete (store, NGAM_LAYER_POLES, b->fid, &error));
  g_assert_true (ngam_store_edit_commit (store, &error));
  g_assert_cmpint (count_poles (store), ==, 1);

  /* an aborted edit leaves nothing, not even in the journal */
  g_assert_true (ngam_store_edit_begin (store, "Aborted", &error));
  g_assert_true (ngam_store_edit_delete (store, NGAM_LAYER_POLES, fid_a, &error));
  ngam_store_edit_abort (store);
  g_assert_cmpint (count_poles (store), ==, 1);
  label = ngam_store_dup_undo_label (store);
  g_assert_cmpstr (label, ==, "Move A, remove B");
  g_clear_pointer (&label, g_free);

  /* undo survives closing the file */
  g_clear_pointer (&store, ngam_store_close);
  store = ngam_store_open (fx->path, 0, &error);
  g_assert_no_error (error);

  g_assert_true (ngam_store_undo (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_poles (store), ==, 2);
  got = ngam_store_get_feature (store, NGAM_LAYER_POLES, fid_a, &error);
  g_assert_cmpfloat (got->shape->xy[0], ==, 560000);
  g_clear_pointer (&got, ngam_feature_free);
  got = ngam_store_get_feature (store, NGAM_LAYER_POLES, b->fid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ngam_feature_get_text (got, ngam_feature_field (got, "code")), ==, "B");
  g_clear_pointer (&got, ngam_feature_free);
  assert_sound (store);

  g_assert_true (ngam_store_undo (store, &error));
  g_assert_cmpint (count_poles (store), ==, 0);
  g_assert_false (ngam_store_can_undo (store));
  label = ngam_store_dup_redo_label (store);
  g_assert_cmpstr (label, ==, "Add poles A and B");
  g_clear_pointer (&label, g_free);

  g_assert_true (ngam_store_redo (store, &error));
  g_assert_true (ngam_store_redo (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_poles (store), ==, 1);
  got = ngam_store_get_feature (store, NGAM_LAYER_POLES, fid_a, &error);
  g_assert_cmpfloat (got->shape->xy[0], ==, 560007.5);
  g_clear_pointer (&got, ngam_feature_free);
  g_assert_false (ngam_store_can_redo (store));

  /* a new edit after an undo drops the redo stack */
  g_assert_true (ngam_store_undo (store, &error));
  g_assert_true (ngam_store_can_redo (store));
  g_assert_true (ngam_store_edit_begin (store, "Other", &error));
  g_assert_true (ngam_store_edit_delete (store, NGAM_LAYER_POLES, b->fid, &error));
  g_assert_true (ngam_store_edit_commit (store, &error));
  g_assert_false (ngam_store_can_redo (store));
  assert_sound (store);
}

/* An edit that fails half-way (wrong geometry type) is aborted by the
 * caller and leaves the project as it was. */
static void
test_journal_failure (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (fx->path, "EPSG:9214", &error);
  g_autoptr(NgamFeature) a = pole_at (560000, 1820000, "A");
  g_autoptr(NgamFeature) bad = pole_at (560000, 1820000, "bad");
  double xy[] = { 0, 0, 1, 1 };

  ngam_shape_free (bad->shape);
  bad->shape = ngam_shape_new_line (xy, 2);
  g_assert_true (ngam_store_edit_begin (store, "Two poles", &error));
  g_assert_true (ngam_store_edit_insert (store, a, &error));
  g_assert_false (ngam_store_edit_insert (store, bad, &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID);
  ngam_store_edit_abort (store);
  g_assert_cmpint (count_poles (store), ==, 0);
  g_assert_false (ngam_store_can_undo (store));
  assert_sound (store);
}

/* The journal mode the file's header records: 2 for WAL, 1 for a rollback
 * journal (https://sqlite.org/fileformat.html §1.3.3). */
static int
header_journal (const char *path)
{
  g_autofree char *bytes = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  g_assert_cmpuint (len, >=, 100);
  g_assert_cmpint (bytes[18], ==, bytes[19]);
  return bytes[18];
}

static char *
journal_mode (NgamStore *store)
{
  sqlite3_stmt *st;
  char *mode;

  g_assert_cmpint (sqlite3_prepare_v2 (ngam_sqlite_get_db (store), "PRAGMA journal_mode", -1, &st, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  mode = g_strdup ((const char *) sqlite3_column_text (st, 0));
  sqlite3_finalize (st);
  return mode;
}

/* A bulk transaction on a connection alone on its file runs on a rollback
 * journal, and WAL is back when it ends, committed or rolled back. */
static void
test_bulk_journal (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (fx->path, "EPSG:9214", &error);
  g_autofree char *journal = g_strconcat (fx->path, "-journal", NULL);
  g_autofree char *mode = NULL;

  add_poles (store, 100, TRUE);
  g_assert_cmpint (header_journal (fx->path), ==, 2);
  g_assert_true (ngam_store_begin_bulk (store, &error));
  mode = journal_mode (store);
  g_assert_cmpstr (mode, ==, "delete");
  g_clear_pointer (&mode, g_free);
  add_poles (store, 3000, TRUE);   /* nested: a savepoint */
  g_assert_true (g_file_test (journal, G_FILE_TEST_EXISTS));
  ngam_store_rollback (store);
  mode = journal_mode (store);
  g_assert_cmpstr (mode, ==, "wal");
  g_clear_pointer (&mode, g_free);
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
  g_assert_cmpint (header_journal (fx->path), ==, 2);
  g_assert_cmpint (ngam_store_count (store, NGAM_LAYER_POLES, &error), ==, 100);
  assert_sound (store);

  g_assert_true (ngam_store_begin_bulk (store, &error));
  add_poles (store, 3000, TRUE);
  g_assert_true (ngam_store_commit (store, &error));
  mode = journal_mode (store);
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (header_journal (fx->path), ==, 2);
  g_assert_cmpint (ngam_store_count (store, NGAM_LAYER_POLES, &error), ==, 3100);
  assert_sound (store);
  g_clear_pointer (&store, ngam_store_close);
  store = ngam_store_open (fx->path, NGAM_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ngam_store_count (store, NGAM_LAYER_POLES, &error), ==, 3100);
}

/* With another connection on the file (the desktop app's map readers) a
 * bulk transaction stays in WAL, and the reader keeps reading meanwhile. */
static void
test_bulk_shared (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (fx->path, "EPSG:9214", &error);
  g_autoptr(NgamStore) reader = NULL;
  g_autofree char *mode = NULL;

  add_poles (store, 100, TRUE);
  reader = ngam_store_open (fx->path, NGAM_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ngam_store_count (reader, NGAM_LAYER_POLES, &error), ==, 100);
  g_assert_true (ngam_store_begin_bulk (store, &error));
  mode = journal_mode (store);
  g_assert_cmpstr (mode, ==, "wal");
  add_poles (store, 2000, TRUE);
  g_assert_cmpint (ngam_store_count (reader, NGAM_LAYER_POLES, &error), ==, 100);
  g_assert_no_error (error);
  g_assert_true (ngam_store_commit (store, &error));
  g_assert_cmpint (ngam_store_count (reader, NGAM_LAYER_POLES, &error), ==, 2100);
  assert_sound (store);
}

/* Poles in a scrambled order, one bulk load, the R*Tree's sort given only
 * @memory bytes: with a few kilobytes it spills hundreds of runs to disk.
 * Returns a checksum of the whole index (nodes, parents, rows' leaves) and
 * its node count in @nodes. */
static char *
bulk_poles (const char *path, guint n, gsize memory, gint64 *nodes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (path, "EPSG:9214", &error);
  g_autoptr(NgamStoreWriter) w = NULL;
  g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_POLES);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  const char *tables[] = { "SELECT nodeno, data FROM idx_poles_geom_node ORDER BY nodeno",
                           "SELECT nodeno, parentnode FROM idx_poles_geom_parent ORDER BY nodeno",
                           "SELECT rowid, nodeno FROM idx_poles_geom_rowid ORDER BY rowid" };

  g_assert_no_error (error);
  g_assert_true (ngam_store_begin_bulk (store, &error));
  w = ngam_store_writer_new (store, NGAM_LAYER_POLES, &error);
  g_assert_no_error (error);
  ngam_sqlite_writer_set_sort_memory (w, memory);
  for (guint i = 0; i < n; i++)
    {
      guint k = (guint) (((guint64) i * 7919) % n);   /* n is not a multiple of 7919 */

      ngam_feature_reset (f);
      ngam_shape_free (f->shape);
      f->shape = ngam_shape_new_point (560000 + 3.0 * (k % 150), 1820000 + 3.0 * (k / 150));
      g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
    }
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_assert_true (ngam_store_commit (store, &error));
  g_assert_no_error (error);
  assert_sound (store);
  *nodes = 0;
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      sqlite3_stmt *st;

      g_assert_cmpint (sqlite3_prepare_v2 (ngam_sqlite_get_db (store), tables[t], -1, &st, NULL), ==, SQLITE_OK);
      while (sqlite3_step (st) == SQLITE_ROW)
        {
          gint64 a = sqlite3_column_int64 (st, 0);

          g_checksum_update (sum, (const guchar *) &a, sizeof a);
          g_checksum_update (sum, sqlite3_column_blob (st, 1), sqlite3_column_bytes (st, 1));
          *nodes += t == 0;
        }
      sqlite3_finalize (st);
    }
  return g_strdup (g_checksum_get_string (sum));
}

/* The bounded-memory packing builds the same tree as the in-memory one,
 * and the index finds exactly what a scan finds. */
static void
test_bulk_spill (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *small = g_build_filename (fx->dir, "small.ngam", NULL);
  g_autoptr(NgamStore) store = NULL;
  const guint n = 30011;
  gint64 nodes_spilled, nodes;
  g_autofree char *spilled = bulk_poles (small, n, 4096, &nodes_spilled);
  g_autofree char *in_memory = bulk_poles (fx->path, n, 64 << 20, &nodes);

  g_assert_cmpstr (spilled, ==, in_memory);
  g_assert_cmpint (nodes_spilled, ==, nodes);
  g_assert_cmpint (nodes, >, n / 60);
  store = ngam_store_open (small, 0, &error);
  g_assert_no_error (error);
  for (guint b = 0; b < 40; b++)
    {
      double x0 = 560000 + 11.0 * b, y0 = 1820000 + 17.0 * b;
      double box[4] = { x0, y0, x0 + 5.0 * b + 1, y0 + 3.0 * b + 1 };
      g_autoptr(NgamStoreCursor) c = ngam_store_query (store, NGAM_LAYER_POLES, box, 0, &error);
      guint got = 0, want = 0;

      while (ngam_store_cursor_next (c, &error))
        got++;
      g_assert_no_error (error);
      for (guint k = 0; k < n; k++)
        {
          double x = 560000 + 3.0 * (k % 150), y = 1820000 + 3.0 * (k / 150);

          want += x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3];
        }
      g_assert_cmpuint (got, ==, want);
    }
}

static gboolean
has_index (NgamStore *store, const char *name)
{
  sqlite3_stmt *st;
  gboolean found;

  g_assert_cmpint (sqlite3_prepare_v2 (ngam_sqlite_get_db (store),
                                       "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1",
                                       -1, &st, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (st, 1, name, -1, SQLITE_STATIC);
  found = sqlite3_step (st) == SQLITE_ROW;
  sqlite3_finalize (st);
  return found;
}

/* A bulk load keeps the source-key index live while the keys come as a
 * few interleaved ascending streams (three operators' codes), and drops
 * it to rebuild at the end when they come in random order; either way
 * the index is there and right when the load ends. */
static void
test_bulk_key_order (Fixture *fx, gconstpointer data)
{
  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_strdup_printf ("%s/keys%u.ngam", fx->dir, pass);
      g_autoptr(NgamStore) store = ngam_store_create (path, "EPSG:9214", &error);
      g_autoptr(NgamStoreWriter) w = NULL;
      g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_POLES);
      const char *ops[] = { "VNPT", "Viettel", "ĐL" };
      const guint n = 20000;
      GRand *rand = g_rand_new_with_seed (7);
      sqlite3_stmt *st;

      g_assert_true (ngam_store_begin_bulk (store, &error));
      w = ngam_store_writer_new (store, NGAM_LAYER_POLES, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < n; i++)
        {
          ngam_feature_reset (f);
          ngam_shape_free (f->shape);
          f->shape = ngam_shape_new_point (560000 + i % 200, 1820000 + i / 200);
          if (pass == 0)
            f->source_key = g_strdup_printf ("%s-%06u", ops[i % 7 % 3], i);
          else
            f->source_key = g_strdup_printf ("%08x-%u", g_rand_int (rand), i);
          g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
          if (i == n / 2)
            g_assert_cmpint (has_index (store, "poles_source_key"), ==, pass == 0);
        }
      g_rand_free (rand);
      g_assert_true (ngam_store_writer_finish (w, &error));
      g_assert_true (ngam_store_commit (store, &error));
      g_assert_no_error (error);
      g_assert_true (has_index (store, "poles_source_key"));
      assert_sound (store);
      /* the index answers a key lookup, through the index */
      g_assert_cmpint (sqlite3_prepare_v2 (ngam_sqlite_get_db (store),
                                           "SELECT count(*) FROM poles INDEXED BY poles_source_key "
                                           "WHERE source_key >= 'VNPT' AND source_key < 'VNPU'", -1, &st, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (st, 0), ==, pass == 0 ? 8572 : 0);
      sqlite3_finalize (st);
    }
}

/* SIGKILL in the middle of a stream of large transactions: the file opens,
 * is sound, and holds every transaction the child reported committed. */
static void
test_kill (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  /* beside this program, whether run by meson (G_TEST_BUILDDIR = tests/) or by hand */
  g_autofree char *child = g_test_build_filename (G_TEST_BUILT, "store-writer-child", NULL);
  const char *argv[] = { child, fx->path, data, NULL };
  g_autoptr(NgamStore) store = NULL;
  GPid pid;
  int out_fd;
  FILE *out;
  char line[64];
  gint64 committed = 0;
  guint lines = 0;

  if (!g_file_test (child, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_free (child);
      child = g_test_build_filename (G_TEST_BUILT, "store", "store-writer-child", NULL);
      argv[0] = child;
    }
  make_project_with_data (fx, 0);
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                           &pid, NULL, &out_fd, NULL, &error));
  out = fdopen (out_fd, "r");
  /* wait for six commits, then kill while the seventh is being written
   * (the child says "writing" half-way and waits; a fixed sleep here
   * missed it on a busy machine) */
  while (fgets (line, sizeof line, out) && !g_str_has_prefix (line, "writing"))
    {
      committed = g_ascii_strtoll (line, NULL, 10);
      lines++;
    }
  g_assert_cmpuint (lines, ==, 6);
  g_assert_true (g_str_has_prefix (line, "writing"));
  kill (pid, SIGKILL);
  fclose (out);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
  g_test_message ("child committed %" G_GINT64_FORMAT " poles before SIGKILL", committed);
  if (data)
    {
      /* killed in a bulk transaction: its rollback journal is left hot */
      g_autofree char *journal = g_strconcat (fx->path, "-journal", NULL);
      GStatBuf st;

      g_assert_cmpint (g_stat (journal, &st), ==, 0);
      g_assert_cmpint (st.st_size, >, 0);
    }

  store = ngam_store_open (fx->path, 0, &error);
  g_assert_no_error (error);
  assert_sound (store);
  g_assert_cmpint (count_poles (store), >=, committed);
  /* whole transactions only: the child commits 20,000 at a time */
  g_assert_cmpint (count_poles (store) % 20000, ==, 0);
}

/* A bulk load while another statement of the same connection still has a
 * row open (a caller's cursor): SQLite refuses DROP INDEX then ("database
 * table is locked"), so the writer must not need it, and must not restore
 * what it never dropped. */
static void
test_write_open_cursor (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (fx->path, "EPSG:9214", &error);
  g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_SPANS);
  g_autoptr(NgamStoreCursor) c = NULL;
  g_autoptr(NgamStoreWriter) w = NULL;
  int code = ngam_layer_field_index (NGAM_LAYER_SPANS, "code");
  double bbox[4] = { 560000, 1820000, 560100, 1820100 };
  guint seen = 0;

  add_poles (store, 500, TRUE);
  c = ngam_store_query (store, NGAM_LAYER_POLES, NULL, NGAM_QUERY_DEFAULT, &error);
  g_assert_true (ngam_store_cursor_next (c, &error));
  seen++;
  g_assert_true (ngam_store_begin (store, &error));
  /* the spans layer is empty: the writer would like to pack its R*Tree */
  w = ngam_store_writer_new (store, NGAM_LAYER_SPANS, &error);
  g_assert_no_error (error);
  g_assert_nonnull (w);
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *k = g_strdup_printf ("S%u", i);

      ngam_feature_reset (f);
      ngam_shape_begin (f->shape, NGAM_SHAPE_LINESTRING);
      ngam_shape_new_part (f->shape);
      ngam_shape_add_point (f->shape, 560000 + 10.0 * (i % 20), 1820000 + 10.0 * (i / 20));
      ngam_shape_add_point (f->shape, 560010 + 10.0 * (i % 20), 1820000 + 10.0 * (i / 20));
      ngam_shape_finish (f->shape);
      f->source_key = g_strdup (k);
      ngam_feature_set_text (f, code, k);
      g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
      g_assert_no_error (error);
      /* the cursor keeps reading between writes */
      if (ngam_store_cursor_next (c, &error))
        seen++;
      g_assert_no_error (error);
    }
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_assert_no_error (error);
  g_clear_pointer (&w, ngam_store_writer_free);
  g_assert_true (ngam_store_commit (store, &error));
  g_assert_no_error (error);
  while (ngam_store_cursor_next (c, &error))
    seen++;
  g_assert_no_error (error);
  g_assert_cmpuint (seen, ==, 500);
  g_clear_pointer (&c, ngam_store_cursor_free);

  /* everything in place: rows, spatial index, attribute indexes */
  g_assert_cmpint (ngam_store_count (store, NGAM_LAYER_SPANS, &error), ==, 300);
  assert_sound (store);
  {
    g_autoptr(NgamStoreCursor) q = ngam_store_query (store, NGAM_LAYER_SPANS, bbox, NGAM_QUERY_DEFAULT, &error);
    guint n = 0;

    while (ngam_store_cursor_next (q, &error))
      n++;
    g_assert_no_error (error);
    /* 11 rows (y ≤ 1820100) of 11 spans (starting at x ≤ 560100) */
    g_assert_cmpuint (n, ==, 11 * 11);
  }
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;

    g_assert_cmpint (sqlite3_open_v2 (fx->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master "
                                             "WHERE type IN ('index', 'trigger') AND tbl_name = 'spans' AND sql IS NOT NULL "
                                             "ORDER BY name)", -1, &st, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
    g_assert_nonnull (strstr ((const char *) sqlite3_column_text (st, 0), "spans_operator spans_source_key"));
    g_assert_nonnull (strstr ((const char *) sqlite3_column_text (st, 0), "ggi_spans_geom"));
    sqlite3_finalize (st);
    sqlite3_close (db);
  }
}

/* Collects "fid x y operator code" of every feature a query returns, in
 * order, checking each row the way @flags promises. */
static char *
query_rows (NgamStore *store, const double *bbox, NgamQueryFlags flags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStoreCursor) c = ngam_store_query (store, NGAM_LAYER_POLES, bbox, flags, &error);
  GString *rows = g_string_new (NULL);
  int code = ngam_layer_field_index (NGAM_LAYER_POLES, "code");

  g_assert_no_error (error);
  while (ngam_store_cursor_next (c, &error))
    {
      const NgamFeature *f = ngam_store_cursor_get (c);

      g_assert_false (f->retired);
      if (flags & NGAM_QUERY_NO_PROVENANCE)
        {
          g_assert_null (f->source_file);
          g_assert_null (f->source_key);
          g_assert_null (f->attrs);
        }
      else
        {
          g_assert_cmpstr (f->source_file, ==, "poles.shp");
          g_assert_cmpstr (f->attrs, ==, "{\"raw\":1}");
          g_assert_cmpint (f->source_fid, ==, f->fid - 1);
        }
      if (f->shape->n_points == 0)
        g_string_append_printf (rows, "%" G_GINT64_FORMAT " - - %s %s\n", f->fid,
                                f->operator_name, ngam_feature_get_text (f, code));
      else
        g_string_append_printf (rows, "%" G_GINT64_FORMAT " %.3f %.3f %s %s\n", f->fid, f->shape->xy[0],
                                f->shape->xy[1], f->operator_name, ngam_feature_get_text (f, code));
    }
  g_assert_no_error (error);
  return g_string_free (rows, FALSE);
}

typedef void (*PoleFill) (NgamFeature *f, guint i, gpointer data);

/* Writes @n poles 10 m apart in rows of @per_row from (560000.25,
 * 1820000.5), pole i filled in by @fill, in one bulk load. */
static void
write_pole_grid (NgamStore *store, guint n, guint per_row, PoleFill fill, gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStoreWriter) w = NULL;
  g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_POLES);

  g_assert_true (ngam_store_begin (store, &error));
  w = ngam_store_writer_new (store, NGAM_LAYER_POLES, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      ngam_feature_reset (f);
      ngam_shape_free (f->shape);
      f->shape = ngam_shape_new_point (560000.25 + 10.0 * (i % per_row), 1820000.5 + 10.0 * (i / per_row));
      fill (f, i, data);
      g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_assert_true (ngam_store_commit (store, &error));
  g_assert_no_error (error);
}

/* The layer's extent widened by @margin metres on every side. */
static void
pole_box (NgamStore *store, double margin, double box[4])
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ngam_store_get_extent (store, NGAM_LAYER_POLES, box, &error));
  g_assert_no_error (error);
  box[0] -= margin;
  box[1] -= margin;
  box[2] += margin;
  box[3] += margin;
}

static void
fill_imported_pole (NgamFeature *f, guint i, gpointer data)
{
  f->operator_name = g_strdup (i % 2 ? "VNPT" : "Viettel");
  f->source_file = g_strdup ("poles.shp");
  f->source_fid = i;
  f->attrs = g_strdup ("{\"raw\":1}");
  ngam_feature_take_text (f, ngam_layer_field_index (NGAM_LAYER_POLES, "code"), g_strdup_printf ("P%u", i));
}

/* The rows test_query_whole_extent() expects: every pole but the retired
 * fid 5 and fid 7 without a geometry, and without the last column when
 * @short_box. */
static char *
expected_rows (gboolean short_box)
{
  GString *want = g_string_new (NULL);

  for (guint i = 0; i < 2000; i++)
    if (i + 1 != 5 && i + 1 != 7 && !(short_box && i % 100 == 99))
      g_string_append_printf (want, "%u %.3f %.3f %s P%u\n", i + 1, 560000.25 + 10.0 * (i % 100),
                              1820000.5 + 10.0 * (i / 100), i % 2 ? "VNPT" : "Viettel", i);
  return g_string_free (want, FALSE);
}

/* A box that holds the whole layer (a map at full extent) is answered by
 * a scan of the table instead of the R*Tree: it must return the very rows
 * the index would, without the retired ones and without rows whose
 * geometry another program set to NULL; and a box that leaves one column
 * of poles out still goes through the index. */
static void
test_query_whole_extent (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (fx->path, "EPSG:9214", &error);
  double extent[4], around[4], most[4];
  g_autofree char *all = NULL, *covered = NULL, *lean = NULL, *indexed = NULL, *expected = NULL;
  g_autofree char *want = NULL;

  /* 2,000 poles, 10 m apart in rows of 100: the R*Tree has several levels */
  write_pole_grid (store, 2000, 100, fill_imported_pole, NULL);

  /* what a later edit or another program leaves behind */
  g_assert_cmpint (sqlite3_exec (NGAM_SQLITE (store)->db,
                                 "UPDATE poles SET retired = 1 WHERE fid = 5;"
                                 "UPDATE poles SET geom = NULL WHERE fid = 7;", NULL, NULL, NULL), ==, SQLITE_OK);
  pole_box (store, 0, extent);
  pole_box (store, 100, around);
  memcpy (most, around, sizeof most);
  most[2] = extent[2] - 5;  /* the last column, x = 560990.25, is left out */

  want = expected_rows (FALSE);
  all = query_rows (store, NULL, NGAM_QUERY_DEFAULT);
  covered = query_rows (store, around, NGAM_QUERY_DEFAULT);
  lean = query_rows (store, around, NGAM_QUERY_NO_PROVENANCE);
  indexed = query_rows (store, most, NGAM_QUERY_DEFAULT);
  g_assert_cmpstr (covered, ==, want);
  g_assert_cmpstr (lean, ==, want);
  /* without a box, the row with no geometry comes too */
  g_assert_nonnull (strstr (all, "\n6 560050.250 1820000.500 VNPT P5\n7 - - Viettel P6\n8 "));
  /* through the index: the same rows less the last column */
  expected = expected_rows (TRUE);
  g_assert_cmpstr (indexed, ==, expected);
  assert_sound (store);
}

/* "fid code" of every pole a filtered query returns, in order. */
static char *
filtered_rows (NgamStore *store, const double *bbox, const NgamQueryFilter *filter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStoreCursor) c = ngam_store_query_filtered (store, NGAM_LAYER_POLES, bbox,
                                                            NGAM_QUERY_NO_PROVENANCE, filter, &error);
  GString *rows = g_string_new (NULL);
  int code = ngam_layer_field_index (NGAM_LAYER_POLES, "code");

  g_assert_no_error (error);
  while (ngam_store_cursor_next (c, &error))
    {
      const NgamFeature *f = ngam_store_cursor_get (c);

      g_string_append_printf (rows, "%" G_GINT64_FORMAT " %s\n", f->fid,
                              ngam_feature_is_null (f, code) ? "-" : ngam_feature_get_text (f, code));
    }
  g_assert_no_error (error);
  return g_string_free (rows, FALSE);
}

/* The rows test_query_filtered() expects of each condition. */
typedef struct
{
  GString *a, *not_a, *a_left, *odd, *all;
} FilteredRows;

static const char *const filter_codes[] = { "A", "B", "x' OR 1=1 --" };

/* Codes A, B, the odd one and none in turn; each row where it belongs. */
static void
fill_coded_pole (NgamFeature *f, guint i, gpointer data)
{
  FilteredRows *want = data;
  const char *c = i % 4 < 3 ? filter_codes[i % 4] : NULL;
  g_autofree char *row = g_strdup_printf ("%u %s\n", i + 1, c ? c : "-");

  f->operator_name = g_strdup ("VNPT");
  if (c != NULL)
    ngam_feature_take_text (f, ngam_layer_field_index (NGAM_LAYER_POLES, "code"), g_strdup (c));
  g_string_append (want->all, row);
  g_string_append (i % 4 == 0 ? want->a : want->not_a, row);
  if (i % 4 == 0 || i % 4 == 2)
    g_string_append (want->odd, row);
  if (i % 4 == 0 && i % 20 < 10)
    g_string_append (want->a_left, row);
}

/* A condition on a text field keeps exactly the rows it names (or, to
 * exclude, the others and those with no value), through the index and
 * in a scan of the whole table alike, and a name that looks like SQL is
 * only a value. */
static void
test_query_filtered (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (fx->path, "EPSG:9214", &error);
  const char *const only_a[] = { "A", NULL };
  const char *const a_and_odd[] = { "A", "x' OR 1=1 --", NULL };
  const char *const none[] = { NULL };
  double around[4], left[4];
  FilteredRows want = { g_string_new (NULL), g_string_new (NULL), g_string_new (NULL),
                        g_string_new (NULL), g_string_new (NULL) };

  /* 400 poles 10 m apart in rows of 20 */
  g_assert_no_error (error);
  write_pole_grid (store, 400, 20, fill_coded_pole, &want);
  pole_box (store, 100, around);
  memcpy (left, around, sizeof left);
  left[2] = 560000.25 + 95;   /* the first ten columns: through the index */

  {
    NgamQueryFilter a = { "code", only_a, FALSE };
    NgamQueryFilter not_a = { "code", only_a, TRUE };
    NgamQueryFilter odd = { "code", a_and_odd, FALSE };
    NgamQueryFilter nothing = { "code", none, FALSE };
    NgamQueryFilter nothing_out = { "code", none, TRUE };
    g_autofree char *r1 = filtered_rows (store, around, &a);
    g_autofree char *r2 = filtered_rows (store, NULL, &a);
    g_autofree char *r3 = filtered_rows (store, around, &not_a);
    g_autofree char *r4 = filtered_rows (store, left, &a);
    g_autofree char *r5 = filtered_rows (store, around, &odd);
    g_autofree char *r6 = filtered_rows (store, around, &nothing);
    g_autofree char *r7 = filtered_rows (store, around, &nothing_out);
    g_autofree char *r8 = filtered_rows (store, around, NULL);

    g_assert_cmpstr (r1, ==, want.a->str);
    g_assert_cmpstr (r2, ==, want.a->str);
    g_assert_cmpstr (r3, ==, want.not_a->str);
    g_assert_cmpstr (r4, ==, want.a_left->str);
    g_assert_cmpstr (r5, ==, want.odd->str);
    g_assert_cmpstr (r6, ==, "");
    g_assert_cmpstr (r7, ==, want.all->str);
    g_assert_cmpstr (r8, ==, want.all->str);
  }
  g_string_free (want.a, TRUE);
  g_string_free (want.not_a, TRUE);
  g_string_free (want.a_left, TRUE);
  g_string_free (want.odd, TRUE);
  g_string_free (want.all, TRUE);
  assert_sound (store);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/store/create/basic", test_create);
  ADD ("/store/query/whole-extent", test_query_whole_extent);
  ADD ("/store/query/filtered", test_query_filtered);
  ADD ("/store/backend", test_backend);
  ADD ("/store/create/not-metric", test_create_not_metric);
  ADD ("/store/create/custom-crs", test_create_custom_crs);
  ADD ("/store/open/missing-file", test_open_missing);
  ADD ("/store/open/not-sqlite", test_open_not_sqlite);
  ADD ("/store/open/not-project", test_open_not_project);
  ADD ("/store/open/truncated", test_open_truncated);
  ADD ("/store/open/corrupt", test_open_corrupt);
  ADD ("/store/open/newer-schema", test_open_newer);
  ADD ("/store/open/read-only", test_open_read_only);
  ADD ("/store/open/locked", test_open_locked);
  ADD ("/store/migrate/forward", test_migrate);
  ADD ("/store/migrate/failure-changes-nothing", test_migrate_failure);
  ADD ("/store/write/rollback", test_write_rollback);
  ADD ("/store/write/invalid-geometry", test_write_invalid);
  ADD ("/store/query/bbox", test_query_bbox);
  ADD ("/store/journal/undo-redo", test_journal);
  ADD ("/store/journal/failed-edit", test_journal_failure);
  ADD ("/store/crash/sigkill-mid-write", test_kill);
  g_test_add ("/store/crash/sigkill-mid-bulk-write", Fixture, "--bulk", fixture_setup, test_kill, fixture_teardown);
  ADD ("/store/write/bulk-journal", test_bulk_journal);
  ADD ("/store/write/bulk-shared", test_bulk_shared);
  ADD ("/store/write/bulk-spilled-index", test_bulk_spill);
  ADD ("/store/write/bulk-key-order", test_bulk_key_order);
  ADD ("/store/write/open-cursor", test_write_open_cursor);
  return g_test_run ();
}
