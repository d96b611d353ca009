/* ngam-sqlite-store.c — the SQLite backend: opening, creating and reading
 * the project file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The project file is SQLite with SpatiaLite metadata in WAL mode, so a
 * crash loses nothing committed and readers never block the writer.
 * Opening checks the file before SQLite touches it (magic, truncation),
 * then the schema version, then takes the write lock once to learn whether
 * another process is writing: every refusal names the file and the cause
 * and leaves the file as it was.
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <spatialite.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ngam-sqlite-private.h"

/* Another writer holds the lock only for the length of a transaction:
 * wait this long before calling the file locked. */
#define BUSY_TIMEOUT_MS 1500

typedef struct _NgamSqliteCursor NgamSqliteCursor;

struct _NgamSqliteCursor
{
  NgamStoreCursor parent;   /* first: the store, and so its backend */
  sqlite3_stmt  *st;
  NgamFeature   *feature;
  gboolean       full;
};

sqlite3 *
ngam_sqlite_get_db (NgamStore *store)
{
  return NGAM_SQLITE (store)->db;
}

/* Turns the connection's last SQLite error into a GError; always FALSE. */
gboolean
ngam_sqlite_set_sql_error (NgamStore   *store,
                           GError     **error,
                           const char  *what)
{
  int code = sqlite3_extended_errcode (NGAM_SQLITE (store)->db) & 0xff;
  NgamStoreError e = NGAM_STORE_ERROR_FAILED;

  switch (code)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: e = NGAM_STORE_ERROR_LOCKED; break;
    case SQLITE_CORRUPT: e = NGAM_STORE_ERROR_CORRUPT; break;
    case SQLITE_NOTADB: e = NGAM_STORE_ERROR_NOT_SQLITE; break;
    case SQLITE_READONLY: e = NGAM_STORE_ERROR_READ_ONLY; break;
    case SQLITE_INTERRUPT: e = NGAM_STORE_ERROR_CANCELLED; break;
    default: break;
    }
  g_set_error (error, NGAM_STORE_ERROR, e, "%s: %s: %s",
               store->path, what, sqlite3_errmsg (NGAM_SQLITE (store)->db));
  return FALSE;
}

gboolean
ngam_sqlite_exec (NgamStore   *store,
                  const char  *sql,
                  GError     **error)
{
  char *msg = NULL;

  if (sqlite3_exec (NGAM_SQLITE (store)->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      int code = sqlite3_extended_errcode (NGAM_SQLITE (store)->db) & 0xff;

      g_set_error (error, NGAM_STORE_ERROR,
                   code == SQLITE_BUSY ? NGAM_STORE_ERROR_LOCKED
                   : code == SQLITE_CORRUPT ? NGAM_STORE_ERROR_CORRUPT
                   : code == SQLITE_NOTADB ? NGAM_STORE_ERROR_NOT_SQLITE
                   : code == SQLITE_READONLY ? NGAM_STORE_ERROR_READ_ONLY
                   : NGAM_STORE_ERROR_FAILED,
                   "%s: %s", store->path, msg ? msg : sqlite3_errstr (code));
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

static NgamStore *
store_alloc (const char *path)
{
  NgamSqliteStore *sq = g_new0 (NgamSqliteStore, 1);

  sq->parent.backend = &ngam_sqlite_backend;
  sq->parent.path = g_strdup (path);
  return &sq->parent;
}

/* Who else has the file open.  A bulk load leaves WAL for a rollback
 * journal (ngam_store_begin_bulk()), which is safe only when no other
 * connection is on the file: SQLite lets it happen while another
 * process's connections are idle, and the WAL is deleted under them (they
 * then read stale pages, or a "malformed" file).  So each process holds a
 * shared flock() on the project file while any of its stores has it open
 * (one descriptor per file and process, counted), and a bulk load leaves
 * WAL only when its store is the process's only one on the file and the
 * lock can be made exclusive, that is when no other process has it open.
 * flock() locks are apart from the fcntl() locks SQLite takes; and since
 * closing any descriptor of a file drops the process's fcntl() locks on
 * it, the descriptor is closed only with the process's last store on the
 * file, when none of its connections is left to hold one. */
typedef struct
{
  int   fd;
  guint refs;
} Users;

static GMutex users_lock;
static GHashTable *users_by_file;  /* "dev:ino" → Users */

static void
users_register (NgamStore *store)
{
  g_autofree char *key = NULL;
  Users *u;
  GStatBuf st;

  if (NGAM_SQLITE (store)->users_key != NULL || g_stat (store->path, &st) != 0)
    return;
  key = g_strdup_printf ("%llx:%llx", (unsigned long long) st.st_dev, (unsigned long long) st.st_ino);
  g_mutex_lock (&users_lock);
  if (users_by_file == NULL)
    users_by_file = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  u = g_hash_table_lookup (users_by_file, key);
  if (u == NULL)
    {
      int fd = g_open (store->path, O_RDONLY | O_CLOEXEC, 0);

      if (fd < 0)
        {
          g_mutex_unlock (&users_lock);
          return;
        }
      /* with a bulk load at work elsewhere (its lock exclusive) the store
       * goes unseen by the next one; SQLite's own locks still keep that
       * one in WAL while this store reads */
      flock (fd, LOCK_SH | LOCK_NB);
      u = g_new0 (Users, 1);
      u->fd = fd;
      g_hash_table_insert (users_by_file, g_strdup (key), u);
    }
  u->refs++;
  NGAM_SQLITE (store)->users_key = g_steal_pointer (&key);
  g_mutex_unlock (&users_lock);
}

static void
users_unregister (NgamStore *store)
{
  Users *u;

  if (NGAM_SQLITE (store)->users_key == NULL)
    return;
  g_mutex_lock (&users_lock);
  u = g_hash_table_lookup (users_by_file, NGAM_SQLITE (store)->users_key);
  if (u != NULL && --u->refs == 0)
    {
      close (u->fd);
      g_hash_table_remove (users_by_file, NGAM_SQLITE (store)->users_key);
    }
  g_mutex_unlock (&users_lock);
  g_clear_pointer (&NGAM_SQLITE (store)->users_key, g_free);
}

/* TRUE when this store is the only one with the file open, here and in
 * every other process; the lock is then exclusive until users_share(). */
static gboolean
users_alone (NgamStore *store)
{
  gboolean alone = FALSE;
  Users *u;

  if (NGAM_SQLITE (store)->users_key == NULL)
    return FALSE;
  g_mutex_lock (&users_lock);
  u = g_hash_table_lookup (users_by_file, NGAM_SQLITE (store)->users_key);
  if (u != NULL && u->refs == 1)
    {
      alone = flock (u->fd, LOCK_EX | LOCK_NB) == 0;
      /* flock() drops the old lock before it tries the new one: take the
       * shared one back */
      if (!alone)
        flock (u->fd, LOCK_SH);
    }
  g_mutex_unlock (&users_lock);
  return alone;
}

static void
users_share (NgamStore *store)
{
  Users *u;

  if (NGAM_SQLITE (store)->users_key == NULL)
    return;
  g_mutex_lock (&users_lock);
  u = g_hash_table_lookup (users_by_file, NGAM_SQLITE (store)->users_key);
  if (u != NULL)
    flock (u->fd, LOCK_SH);
  g_mutex_unlock (&users_lock);
}

/* Reads the first @len bytes of @path into @buf; returns how many, or -1
 * with errno set.  With a store of this process on the file it reads
 * through the process's descriptor: opening and closing another one
 * would drop every fcntl() lock the process's SQLite connections hold on
 * the file, and another process could then delete the WAL under them. */
static gssize
read_head (const char *path,
           guint8     *buf,
           gsize       len)
{
  GStatBuf st;
  gssize n = -1;
  FILE *f;

  if (g_stat (path, &st) == 0)
    {
      g_autofree char *key = g_strdup_printf ("%llx:%llx", (unsigned long long) st.st_dev,
                                              (unsigned long long) st.st_ino);
      Users *u;

      g_mutex_lock (&users_lock);
      u = users_by_file ? g_hash_table_lookup (users_by_file, key) : NULL;
      if (u != NULL)
        n = pread (u->fd, buf, len, 0);
      g_mutex_unlock (&users_lock);
      if (u != NULL)
        return n;
    }
  if ((f = g_fopen (path, "rb")) == NULL)
    return -1;
  n = (gssize) fread (buf, 1, len, f);
  fclose (f);
  return n;
}

void
ngam_sqlite_close (NgamStore *store)
{
  if (store == NULL)
    return;
  if (NGAM_SQLITE (store)->db)
    {
      while (NGAM_SQLITE (store)->depth > 0)
        ngam_sqlite_rollback (store);
      sqlite3_close_v2 (NGAM_SQLITE (store)->db);
    }
  if (NGAM_SQLITE (store)->spatialite_cache)
    spatialite_cleanup_ex (NGAM_SQLITE (store)->spatialite_cache);
  ngam_sqlite_watch_clear (store);
  users_unregister (store);
  g_free (store->path);
  g_free (store->crs);
  g_free (store);
}

static gboolean
store_connect (NgamStore   *store,
               int          flags,
               const char  *uri,
               GError     **error)
{
  int rc;

  rc = sqlite3_open_v2 (uri ? uri : store->path, &NGAM_SQLITE (store)->db,
                        flags | SQLITE_OPEN_NOMUTEX | (uri ? SQLITE_OPEN_URI : 0), NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, NGAM_STORE_ERROR,
                   rc == SQLITE_READONLY ? NGAM_STORE_ERROR_READ_ONLY : NGAM_STORE_ERROR_FAILED,
                   "%s: cannot open: %s", store->path,
                   NGAM_SQLITE (store)->db ? sqlite3_errmsg (NGAM_SQLITE (store)->db) : sqlite3_errstr (rc));
      return FALSE;
    }
  sqlite3_extended_result_codes (NGAM_SQLITE (store)->db, 1);
  sqlite3_busy_timeout (NGAM_SQLITE (store)->db, BUSY_TIMEOUT_MS);
  users_register (store);
  NGAM_SQLITE (store)->spatialite_cache = spatialite_alloc_connection ();
  spatialite_init_ex (NGAM_SQLITE (store)->db, NGAM_SQLITE (store)->spatialite_cache, 0);
  return TRUE;
}

/* Checks the first 100 bytes and the file size against the header, so that
 * a file that is not SQLite or was cut short is named as such instead of
 * surfacing as an obscure error later.  See https://sqlite.org/fileformat.html
 * §1.3: the in-header page count is valid when the change counter at 24
 * equals the version-valid-for number at 92. */
/* TRUE when a rollback journal with content lies beside @path. */
static gboolean
hot_journal (const char *path)
{
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);
  GStatBuf st;

  return g_stat (journal, &st) == 0 && st.st_size > 0;
}

static gboolean
check_header (const char  *path,
              GError     **error)
{
  guint8 h[100];
  GStatBuf st;
  gssize n;
  guint32 page_size, pages, change, valid_for;

  if (g_stat (path, &st) != 0)
    {
      int e = errno;

      g_set_error (error, NGAM_STORE_ERROR,
                   e == ENOENT ? NGAM_STORE_ERROR_NOT_FOUND : NGAM_STORE_ERROR_FAILED,
                   "%s: %s", path, g_strerror (e));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_SQLITE,
                   "%s is not a regular file", path);
      return FALSE;
    }
  n = read_head (path, h, sizeof h);
  if (n < 0)
    {
      int e = errno;

      g_set_error (error, NGAM_STORE_ERROR,
                   e == EACCES ? NGAM_STORE_ERROR_READ_ONLY : NGAM_STORE_ERROR_FAILED,
                   "%s: cannot read: %s", path, g_strerror (e));
      return FALSE;
    }
  if (n == 0)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_SQLITE,
                   "%s is empty: not a Ngầm project", path);
      return FALSE;
    }
  if (n < (gssize) sizeof h || memcmp (h, "SQLite format 3", 16) != 0)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_SQLITE,
                   "%s is not a Ngầm project: it is not an SQLite database", path);
      return FALSE;
    }
  page_size = (h[16] << 8) | h[17];
  if (page_size == 1)
    page_size = 65536;
  pages = GUINT32_FROM_BE (*(guint32 *) (h + 28));
  change = GUINT32_FROM_BE (*(guint32 *) (h + 24));
  valid_for = GUINT32_FROM_BE (*(guint32 *) (h + 92));
  /* A load killed half-way in rollback-journal mode (ngam_store_begin_bulk)
   * may leave a header that counts pages never written; its hot journal
   * makes SQLite roll that back on open, so the size says nothing then. */
  if (page_size >= 512 && change == valid_for && pages > 0 && !hot_journal (path) &&
      (guint64) st.st_size < (guint64) page_size * pages)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_TRUNCATED,
                   "%s is truncated: its header says %" G_GUINT64_FORMAT " bytes but the file has %"
                   G_GUINT64_FORMAT " (an interrupted copy or download?); restore it from a backup",
                   path, (guint64) page_size * pages, (guint64) st.st_size);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_meta_int (NgamStore   *store,
               const char  *key,
               int         *out,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL);
  if (rc != SQLITE_OK)
    {
      int code = sqlite3_extended_errcode (NGAM_SQLITE (store)->db) & 0xff;

      if (code == SQLITE_ERROR && strstr (sqlite3_errmsg (NGAM_SQLITE (store)->db), "no such table"))
        {
          g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_PROJECT,
                       "%s is an SQLite database but not a Ngầm project (it has no meta table)",
                       store->path);
          return FALSE;
        }
      if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
        {
          g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_CORRUPT,
                       "%s: the project file is damaged (%s); restore it from a backup",
                       store->path, sqlite3_errmsg (NGAM_SQLITE (store)->db));
          return FALSE;
        }
      return ngam_sqlite_set_sql_error (store, error, "cannot read the project settings");
    }
  sqlite3_bind_text (st, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    {
      *out = sqlite3_column_int (st, 0);
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_PROJECT,
                   "%s is not a Ngầm project: its meta table has no %s", store->path, key);
      return FALSE;
    }
  if ((rc & 0xff) == SQLITE_CORRUPT)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_CORRUPT,
                   "%s: the project file is damaged (%s); restore it from a backup",
                   store->path, sqlite3_errmsg (NGAM_SQLITE (store)->db));
      return FALSE;
    }
  return ngam_sqlite_set_sql_error (store, error, "cannot read the project settings");
}

/* TRUE for the tables a bulk job reads and rewrites anyway (the layers and
 * their R*Trees, the results, the undo rows): checking them on every open
 * would cost as much as reading the project. */
static gboolean
is_bulk_table (const char *name)
{
  if (g_str_has_prefix (name, "idx_") || strcmp (name, "result_features") == 0 ||
      strcmp (name, "journal_rows") == 0)
    return TRUE;
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    if (strcmp (name, ngam_layer_info (k)->name) == 0)
      return TRUE;
  return FALSE;
}

/* A bounded check of the pages every command relies on: the schema, the
 * settings, the import log and SpatiaLite's metadata tables, with their
 * indexes (PRAGMA quick_check of each, a few milliseconds whatever the
 * project's size).  Damage there was found only by `info`, while an
 * import went on writing into the file. */
static gboolean
check_schema_pages (NgamStore  *store,
                    GError    **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, "SELECT name FROM sqlite_master WHERE type = 'table' "
                          "AND sql NOT LIKE 'CREATE VIRTUAL%'", -1, &st, NULL) != SQLITE_OK)
    rc = sqlite3_extended_errcode (NGAM_SQLITE (store)->db);
  else
    {
      while ((rc = sqlite3_step (st)) == SQLITE_ROW)
        if (!is_bulk_table ((const char *) sqlite3_column_text (st, 0)))
          g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (st, 0)));
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_CORRUPT,
                   "%s: the project file is damaged: its list of tables cannot be read (%s); "
                   "restore it from a backup", store->path, sqlite3_errmsg (NGAM_SQLITE (store)->db));
      return FALSE;
    }
  for (guint i = 0; i < tables->len; i++)
    {
      g_autoptr(sqlite3_stmt) q = NULL;
      char *sql = sqlite3_mprintf ("PRAGMA quick_check(\"%w\")", (const char *) tables->pdata[i]);
      const char *line = NULL;

      rc = sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, sql, -1, &q, NULL);
      sqlite3_free (sql);
      if (rc == SQLITE_OK && (rc = sqlite3_step (q)) == SQLITE_ROW)
        line = (const char *) sqlite3_column_text (q, 0);
      if (rc == SQLITE_ROW && g_strcmp0 (line, "ok") == 0)
        continue;
      if (rc != SQLITE_ROW && (rc & 0xff) != SQLITE_CORRUPT && (rc & 0xff) != SQLITE_NOTADB)
        return ngam_sqlite_set_sql_error (store, error, "cannot check the file");
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_CORRUPT,
                   "%s: the project file is damaged: its table %s cannot be read (SQLite: %s); "
                   "restore it from a backup", store->path, (const char *) tables->pdata[i],
                   line ? line : sqlite3_errmsg (NGAM_SQLITE (store)->db));
      return FALSE;
    }
  return TRUE;
}

/**
 * ngam_store_create:
 * @path: the new file; refused if it exists
 * @crs: the project CRS ("EPSG:9214"); must be projected, in metres
 *
 * Creates an empty project with every layer table.  Nothing is left behind
 * on failure.
 *
 * Returns: (transfer full): the open store, or %NULL with @error set.
 */
NgamStore *
ngam_sqlite_create (const char  *path,
                    const char  *crs,
                    GError     **error)
{
  g_autoptr(NgamStore) store = NULL;

  g_return_val_if_fail (path != NULL && crs != NULL, NULL);

  ngam_core_init ();
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_EXISTS,
                   "%s already exists; choose another name or remove it first", path);
      return NULL;
    }
  store = store_alloc (path);
  if (!store_connect (store, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL, error))
    {
      g_unlink (path);
      return NULL;
    }
  /* 16 KiB pages: a bulk load writes a quarter of the pages through the
   * kernel (each new page of a file costs the kernel about as much as its
   * bytes), and SQLite balances its trees a quarter as often.  Measured on
   * the import bench's spans (776,713 rows): 4 KiB 3.7–4.0 s, 8 KiB
   * 3.5–3.8, 16 KiB 2.9–3.5, 32 and 64 KiB no better than 16.  The R*Tree
   * keeps its nodes of at most 51 entries whatever the page (SQLite caps
   * them); an edit writes its few pages to the WAL as 16 KiB frames
   * instead of 4, still well under a millisecond of I/O.  Only a new file
   * takes it: an existing project keeps the size it was made with. */
  if (!ngam_sqlite_exec (store, "PRAGMA page_size=" G_STRINGIFY (NGAM_STORE_PAGE_SIZE) ";"
                               "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                               "PRAGMA foreign_keys=ON;", error) ||
      !ngam_sqlite_begin (store, error))
    goto fail;
  if (!ngam_sqlite_schema_create (store, crs, error))
    {
      ngam_sqlite_rollback (store);
      goto fail;
    }
  if (!ngam_sqlite_commit (store, error))
    goto fail;
  return g_steal_pointer (&store);

fail:
  sqlite3_close_v2 (NGAM_SQLITE (store)->db);
  NGAM_SQLITE (store)->db = NULL;
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
  }
  return NULL;
}

/* The busy handler of the open's lock: BUSY_TIMEOUT_MS in steps of 50 ms,
 * saying so once. */
static int
wait_for_lock (void *data,
               int   count)
{
  NgamStore *store = data;
  NgamStoreWaitFunc wait_func = ngam_store_get_wait_func ();

  if (count == 0 && wait_func)
    wait_func (store->path);
  if (count * 50 >= BUSY_TIMEOUT_MS)
    return 0;
  sqlite3_sleep (50);
  return 1;
}

/* A read-only SQLite connection to a WAL file makes -wal and -shm files
 * and, unable to checkpoint, leaves them beside the project when it
 * closes, even beside a read-only file.  So, when no writer has a WAL
 * there: a writable file is opened read-write with query_only set (no
 * statement can write, and the last connection to close removes both
 * files, its WAL being empty); a file or folder that cannot be written is
 * opened immutable (nobody can be writing it).  With a WAL already there
 * (a writer at work, or one that crashed) or a rollback journal, a plain
 * read-only connection, which changes nothing of what it finds. */
static gboolean
connect_read_only (NgamStore   *store,
                   const char  *dir,
                   GError     **error)
{
  g_autofree char *wal = g_strconcat (store->path, "-wal", NULL);
  GStatBuf st;

  /* a WAL, or a rollback journal (a bulk load at work or killed): what is
   * there is not ours to checkpoint or roll back */
  if (g_file_test (wal, G_FILE_TEST_EXISTS) || hot_journal (store->path))
    return store_connect (store, SQLITE_OPEN_READONLY, NULL, error);
  if (g_stat (store->path, &st) == 0 && (st.st_mode & 0222) != 0 &&
      g_access (store->path, W_OK) == 0 && g_access (dir, W_OK) == 0)
    {
      if (!store_connect (store, SQLITE_OPEN_READWRITE, NULL, error))
        return FALSE;
      return ngam_sqlite_exec (store, "PRAGMA query_only=1", error);
    }
  {
    g_autofree char *abs = g_canonicalize_filename (store->path, NULL);
    g_autofree char *escaped = g_uri_escape_string (abs, "/", FALSE);
    g_autofree char *uri = g_strdup_printf ("file:%s?immutable=1", escaped);

    return store_connect (store, SQLITE_OPEN_READONLY, uri, error);
  }
}

/**
 * ngam_store_file_is_project:
 * @path: any file
 *
 * Tells whether @path is a Ngầm project (an SQLite file with the meta
 * table and its schema version), without locking it and without leaving
 * anything beside it.  A file that cannot be read is not one.
 */
gboolean
ngam_sqlite_file_is_project (const char *path)
{
  g_autofree char *uri = NULL, *wal = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  gboolean found = FALSE;
  guint8 h[16];

  g_return_val_if_fail (path != NULL, FALSE);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return FALSE;
  found = read_head (path, h, sizeof h) == (gssize) sizeof h && memcmp (h, "SQLite format 3", 16) == 0;
  if (!found)
    return FALSE;
  /* immutable: no lock, no -shm; a project whose schema still lies in its
   * WAL only (never checkpointed) counts as one too. */
  wal = g_strconcat (path, "-wal", NULL);
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    return TRUE;
  {
    g_autofree char *escaped = g_uri_escape_string (path, "/", FALSE);

    uri = g_strdup_printf ("file:%s?immutable=1", escaped);
  }
  found = FALSE;
  if (sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT 1 FROM meta WHERE key = 'schema_version'", -1, &st, NULL) == SQLITE_OK)
    found = sqlite3_step (st) == SQLITE_ROW;
  sqlite3_finalize (st);
  sqlite3_close (db);
  return found;
}

/**
 * ngam_store_open:
 *
 * Opens a project.  Read-write opens migrate an older schema forward (in
 * one transaction) and fail if another process is writing.
 *
 * Returns: (transfer full): the store, or %NULL with @error set.
 */
NgamStore *
ngam_sqlite_open (const char          *path,
                  NgamStoreOpenFlags   flags,
                  GError             **error)
{
  g_autoptr(NgamStore) store = NULL;
  gboolean read_only = (flags & NGAM_STORE_OPEN_READ_ONLY) != 0;
  g_autofree char *dir = NULL;
  g_autofree char *crs = NULL;
  int version = 0, srid = 0;

  g_return_val_if_fail (path != NULL, NULL);

  ngam_core_init ();
  if (!check_header (path, error))
    return NULL;
  dir = g_path_get_dirname (path);
  if (!read_only)
    {
      GStatBuf st;
      const char *why = NULL;

      /* A file with no write bit is read-only even for root, who would
       * otherwise pass access(): someone protected it on purpose. */
      if (g_stat (path, &st) == 0 && (st.st_mode & 0222) == 0)
        why = "the file has no write permission";
      else if (g_access (path, W_OK) != 0)
        why = "no write permission on the file";
      else if (g_access (dir, W_OK) != 0)
        why = "no write permission on its folder (SQLite needs it for the journal)";
      if (why)
        {
          g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_READ_ONLY,
                       "%s is read-only (%s): copy it somewhere writable, or open it read-only to view it",
                       path, why);
          return NULL;
        }
    }
  store = store_alloc (path);
  store->read_only = read_only;
  if (read_only)
    {
      if (!connect_read_only (store, dir, error))
        return NULL;
    }
  else if (!store_connect (store, SQLITE_OPEN_READWRITE, NULL, error))
    return NULL;
  if (!read_meta_int (store, "schema_version", &version, error))
    return NULL;
  if (version > NGAM_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NEWER,
                   "%s was written by a newer Ngầm (schema %d; this one reads up to %d): "
                   "update Ngầm to open it", path, version, NGAM_STORE_SCHEMA_VERSION);
      return NULL;
    }
  if (!read_meta_int (store, "srid", &srid, error))
    return NULL;
  if (!check_schema_pages (store, error))
    return NULL;
  store->srid = srid;
  store->schema_version = version;
  crs = ngam_sqlite_dup_meta (store, "crs");
  store->crs = g_steal_pointer (&crs);

  if (read_only)
    {
      if (version < NGAM_STORE_SCHEMA_VERSION)
        {
          g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_READ_ONLY,
                       "%s has an older schema (%d) and must be upgraded: open it read-write once",
                       path, version);
          return NULL;
        }
      return g_steal_pointer (&store);
    }

  if (!ngam_sqlite_exec (store, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                               "PRAGMA foreign_keys=ON;", error))
    return NULL;
  /* Take the write lock once: a migration needs it, and a writer that holds
   * it past the busy timeout is another program editing this file.  While
   * waiting, the wait function (the CLI's) says so. */
  sqlite3_busy_handler (NGAM_SQLITE (store)->db, wait_for_lock, store);
  if (sqlite3_exec (NGAM_SQLITE (store)->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    {
      int code = sqlite3_extended_errcode (NGAM_SQLITE (store)->db) & 0xff;

      if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_LOCKED,
                     "%s is locked: another program has been writing to it for more than %.1f s; "
                     "let it finish (or close the project there), then run this again",
                     path, BUSY_TIMEOUT_MS / 1000.0);
      else
        ngam_sqlite_set_sql_error (store, error, "cannot lock the project");
      return NULL;
    }
  sqlite3_busy_timeout (NGAM_SQLITE (store)->db, BUSY_TIMEOUT_MS);
  NGAM_SQLITE (store)->depth = 1;
  if (version < NGAM_STORE_SCHEMA_VERSION)
    {
      g_message ("%s: migrating schema %d → %d", path, version, NGAM_STORE_SCHEMA_VERSION);
      if (!ngam_sqlite_schema_migrate (store, version, error))
        {
          g_prefix_error (error, "cannot upgrade %s from schema %d: ", path, version);
          ngam_sqlite_rollback (store);
          return NULL;
        }
    }
  if (!ngam_sqlite_commit (store, error))
    return NULL;
  return g_steal_pointer (&store);
}

char *
ngam_sqlite_dup_meta (NgamStore  *store,
                      const char *key)
{
  g_autoptr(sqlite3_stmt) st = NULL;

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (st, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (st) == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (st, 0));
  return NULL;
}

gboolean
ngam_sqlite_set_meta (NgamStore   *store,
                      const char  *key,
                      const char  *value,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                          -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot write a setting");
  sqlite3_bind_text (st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step (st) != SQLITE_DONE)
    return ngam_sqlite_set_sql_error (store, error, "cannot write a setting");
  return TRUE;
}

/* ---- transactions --------------------------------------------------- */

gboolean
ngam_sqlite_begin (NgamStore  *store,
                   GError    **error)
{
  g_autofree char *sql = NULL;

  if (store->read_only)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_READ_ONLY,
                   "%s was opened read-only", store->path);
      return FALSE;
    }
  sql = NGAM_SQLITE (store)->depth == 0 ? g_strdup ("BEGIN IMMEDIATE")
                          : g_strdup_printf ("SAVEPOINT ngam_%u", NGAM_SQLITE (store)->depth);
  if (sqlite3_exec (NGAM_SQLITE (store)->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      int code = sqlite3_extended_errcode (NGAM_SQLITE (store)->db) & 0xff;

      if (code == SQLITE_BUSY)
        {
          g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_LOCKED,
                       "%s is locked: another program is writing to it", store->path);
          return FALSE;
        }
      return ngam_sqlite_set_sql_error (store, error, "cannot start a transaction");
    }
  NGAM_SQLITE (store)->depth++;
  return TRUE;
}

/* Sets the connection's journal mode; TRUE when it is @mode afterwards.
 * Leaving WAL needs the file to itself: with another connection on it,
 * SQLite says busy at once (no waiting) and the mode stays. */
static gboolean
set_journal_mode (NgamStore  *store,
                  const char *mode)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA journal_mode=%s", mode);
  g_autoptr(sqlite3_stmt) st = NULL;
  gboolean ok = FALSE;

  sqlite3_busy_timeout (NGAM_SQLITE (store)->db, 0);
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, sql, -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step (st) == SQLITE_ROW)
    ok = g_ascii_strcasecmp ((const char *) sqlite3_column_text (st, 0), mode) == 0;
  g_clear_pointer (&st, sqlite3_finalize);
  sqlite3_busy_timeout (NGAM_SQLITE (store)->db, BUSY_TIMEOUT_MS);
  return ok;
}

/* Back to WAL once a bulk transaction has ended, either way.  Should that
 * fail the data is safe all the same (the rollback journal is as durable),
 * and the next open sets WAL again. */
static void
end_bulk (NgamStore *store)
{
  if (!NGAM_SQLITE (store)->bulk)
    return;
  NGAM_SQLITE (store)->bulk = FALSE;
  users_share (store);
  if (!set_journal_mode (store, "wal"))
    g_debug ("%s: still in rollback-journal mode after a bulk load: %s", store->path,
             sqlite3_errmsg (NGAM_SQLITE (store)->db));
  sqlite3_exec (NGAM_SQLITE (store)->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
}

/**
 * ngam_store_begin_bulk:
 *
 * Starts a top-level transaction for a large load (an import, the demo
 * generator).  In WAL mode every page is written twice, into the WAL and
 * again into the file when it is checkpointed; a load's pages are mostly
 * new ones at the end of the file, which a rollback journal need not copy
 * at all, since rolling back only truncates the file.  So when this
 * connection has the file to itself the transaction runs in rollback-journal
 * mode (synchronous FULL), and WAL comes back when it commits or rolls
 * back.  A crash in the middle leaves a hot journal that the next open
 * rolls back, as it would roll back a WAL.  With other connections on the
 * file, in this process or another (the desktop app and its map readers),
 * it is an ordinary transaction: see users_register().
 * Nested in a transaction it is a savepoint, as ngam_store_begin().
 */
gboolean
ngam_sqlite_begin_bulk (NgamStore  *store,
                        GError    **error)
{
  if (NGAM_SQLITE (store)->depth == 0 && !store->read_only && users_alone (store))
    {
      if (set_journal_mode (store, "delete"))
        {
          NGAM_SQLITE (store)->bulk = TRUE;
          sqlite3_exec (NGAM_SQLITE (store)->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
        }
      else
        users_share (store);
    }
  if (!ngam_sqlite_begin (store, error))
    {
      end_bulk (store);
      return FALSE;
    }
  return TRUE;
}

gboolean
ngam_sqlite_commit (NgamStore  *store,
                    GError    **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (NGAM_SQLITE (store)->depth > 0, FALSE);
  sql = NGAM_SQLITE (store)->depth == 1 ? g_strdup ("COMMIT")
                          : g_strdup_printf ("RELEASE ngam_%u", NGAM_SQLITE (store)->depth - 1);
  if (sqlite3_exec (NGAM_SQLITE (store)->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot commit");
  NGAM_SQLITE (store)->depth--;
  if (NGAM_SQLITE (store)->depth == 0)
    {
      end_bulk (store);
      ngam_sqlite_watch_own_commit (store);
    }
  return TRUE;
}

/* Undoes everything since the matching ngam_store_begin(). */
void
ngam_sqlite_rollback (NgamStore *store)
{
  g_autofree char *sql = NULL;

  g_return_if_fail (NGAM_SQLITE (store)->depth > 0);
  /* SQLite rolls a whole transaction back by itself on some errors (a full
   * disk, I/O): then there is nothing left to undo. */
  if (sqlite3_get_autocommit (NGAM_SQLITE (store)->db))
    {
      NGAM_SQLITE (store)->depth--;
      if (NGAM_SQLITE (store)->depth == 0)
        end_bulk (store);
      return;
    }
  sql = NGAM_SQLITE (store)->depth == 1 ? g_strdup ("ROLLBACK")
                          : g_strdup_printf ("ROLLBACK TO ngam_%u; RELEASE ngam_%u",
                                             NGAM_SQLITE (store)->depth - 1, NGAM_SQLITE (store)->depth - 1);
  if (sqlite3_exec (NGAM_SQLITE (store)->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    g_warning ("%s: rollback failed: %s", store->path, sqlite3_errmsg (NGAM_SQLITE (store)->db));
  NGAM_SQLITE (store)->depth--;
  if (NGAM_SQLITE (store)->depth == 0)
    end_bulk (store);
}

gboolean
ngam_sqlite_in_transaction (NgamStore *store)
{
  return NGAM_SQLITE (store)->depth > 0;
}

/* ---- reading -------------------------------------------------------- */

gint64
ngam_sqlite_count (NgamStore      *store,
                   NgamLayerKind   kind,
                   GError        **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE retired = 0",
                                          ngam_layer_info (kind)->name);

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, sql, -1, &st, NULL) != SQLITE_OK ||
      sqlite3_step (st) != SQLITE_ROW)
    return ngam_sqlite_set_sql_error (store, error, "cannot count features"), -1;
  return sqlite3_column_int64 (st, 0);
}

/**
 * ngam_store_get_extent:
 * @kind: a layer kind, or -1 for all layers
 * @bbox: (out): minx, miny, maxx, maxy in the project CRS
 *
 * Read from the spatial index, so it costs nothing on big layers.
 *
 * Returns: FALSE without @error when the layer(s) are empty.
 */
gboolean
ngam_sqlite_get_extent (NgamStore  *store,
                        int         kind,
                        double      bbox[4],
                        GError    **error)
{
  gboolean any = FALSE;

  bbox[0] = bbox[1] = INFINITY;
  bbox[2] = bbox[3] = -INFINITY;
  for (int k = 0; k < NGAM_N_LAYERS; k++)
    {
      g_autoptr(sqlite3_stmt) st = NULL;
      g_autofree char *sql = NULL;

      if (kind >= 0 && k != kind)
        continue;
      sql = g_strdup_printf ("SELECT min(xmin), min(ymin), max(xmax), max(ymax), count(*) "
                             "FROM idx_%s_geom", ngam_layer_info (k)->name);
      if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, sql, -1, &st, NULL) != SQLITE_OK ||
          sqlite3_step (st) != SQLITE_ROW)
        return ngam_sqlite_set_sql_error (store, error, "cannot read the extent");
      if (sqlite3_column_int64 (st, 4) == 0)
        continue;
      any = TRUE;
      bbox[0] = MIN (bbox[0], sqlite3_column_double (st, 0));
      bbox[1] = MIN (bbox[1], sqlite3_column_double (st, 1));
      bbox[2] = MAX (bbox[2], sqlite3_column_double (st, 2));
      bbox[3] = MAX (bbox[3], sqlite3_column_double (st, 3));
    }
  return any;
}

/**
 * ngam_store_check_integrity:
 * @problems: (out): SQLite's report when not "ok"
 *
 * Runs PRAGMA integrity_check and checks every spatial index against its
 * table.  Returns: TRUE when the file is sound.
 */
gboolean
ngam_sqlite_check_integrity (NgamStore  *store,
                             char      **problems,
                             GError    **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  *problems = NULL;
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot check integrity");
  while (sqlite3_step (st) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (st, 0);

      if (g_strcmp0 (line, "ok") != 0)
        g_string_append_printf (out, "%s\n", line);
    }
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      g_autoptr(sqlite3_stmt) c = NULL;
      const char *name = ngam_layer_info (k)->name;
      g_autofree char *sql = g_strdup_printf ("SELECT (SELECT count(*) FROM %s WHERE geom IS NOT NULL),"
                                              " (SELECT count(*) FROM idx_%s_geom)", name, name);

      if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, sql, -1, &c, NULL) == SQLITE_OK &&
          sqlite3_step (c) == SQLITE_ROW &&
          sqlite3_column_int64 (c, 0) != sqlite3_column_int64 (c, 1))
        g_string_append_printf (out, "layer %s: %" G_GINT64_FORMAT " geometries but %"
                                G_GINT64_FORMAT " spatial index entries\n", name,
                                (gint64) sqlite3_column_int64 (c, 0), (gint64) sqlite3_column_int64 (c, 1));
    }
  if (out->len == 0)
    return TRUE;
  *problems = g_strdup (out->str);
  return FALSE;
}

char *
ngam_sqlite_columns_sql (NgamLayerKind kind)
{
  const NgamLayerInfo *info = ngam_layer_info (kind);
  GString *s = g_string_new ("fid, operator, source_file, source_layer, source_fid, "
                             "source_key, import_id, retired, attrs");

  for (guint i = 0; i < info->n_fields; i++)
    g_string_append_printf (s, ", %s", info->fields[i].name);
  g_string_append (s, ", geom");
  return g_string_free (s, FALSE);
}

static char *
col_strdup (sqlite3_stmt *st, int i)
{
  const unsigned char *t = sqlite3_column_text (st, i);

  return t ? g_strdup ((const char *) t) : NULL;
}

/* Fills @f from a full row (full = TRUE) or from fid, operator, geom. */
gboolean
ngam_sqlite_read_row (NgamStore     *store,
                      sqlite3_stmt  *st,
                      NgamFeature   *f,
                      gboolean       full,
                      GError       **error)
{
  const NgamLayerInfo *info = ngam_layer_info (f->kind);
  int geom_col;
  const void *blob;

  ngam_feature_reset (f);
  f->fid = sqlite3_column_int64 (st, 0);
  f->operator_name = col_strdup (st, 1);
  if (full)
    {
      f->source_file = col_strdup (st, 2);
      f->source_layer = col_strdup (st, 3);
      f->source_fid = sqlite3_column_type (st, 4) == SQLITE_NULL ? -1 : sqlite3_column_int64 (st, 4);
      f->source_key = col_strdup (st, 5);
      f->import_id = sqlite3_column_int64 (st, 6);
      f->retired = sqlite3_column_int (st, 7) != 0;
      f->attrs = col_strdup (st, 8);
      for (guint i = 0; i < info->n_fields; i++)
        {
          int c = NGAM_STORE_N_COMMON + i;

          if (sqlite3_column_type (st, c) == SQLITE_NULL)
            continue;
          switch (info->fields[i].type)
            {
            case NGAM_FIELD_TEXT:
              ngam_feature_set_text (f, i, (const char *) sqlite3_column_text (st, c));
              break;
            case NGAM_FIELD_REAL:
              ngam_feature_set_real (f, i, sqlite3_column_double (st, c));
              break;
            case NGAM_FIELD_INT:
            case NGAM_FIELD_BOOL:
            default:
              ngam_feature_set_int (f, i, sqlite3_column_int64 (st, c));
              break;
            }
        }
      geom_col = NGAM_STORE_N_COMMON + info->n_fields;
    }
  else
    geom_col = 2;
  blob = sqlite3_column_blob (st, geom_col);
  if (blob == NULL)
    return TRUE;
  if (!ngam_shape_from_spatialite (f->shape, blob, sqlite3_column_bytes (st, geom_col), error))
    {
      g_prefix_error (error, "%s: %s feature %" G_GINT64_FORMAT ": ", store->path, info->name, f->fid);
      return FALSE;
    }
  return TRUE;
}

/* Binds @f to parameters @base + 1.. in the full column order (fid NULL
 * when 0), the raw attributes @attrs_len bytes long (-1: up to their NUL),
 * @blob its shape already encoded (NULL: none): row @base / columns of a
 * many-row INSERT, or the only one when @base is 0. */
void
ngam_sqlite_bind_row_at (sqlite3_stmt      *st,
                         int                base,
                         const NgamFeature *f,
                         const GByteArray  *blob,
                         gssize             attrs_len)
{
  const NgamLayerInfo *info = ngam_layer_info (f->kind);
  int geom = base + NGAM_STORE_N_COMMON + 1 + (int) info->n_fields;

  if (f->fid > 0)
    sqlite3_bind_int64 (st, base + 1, f->fid);
  else
    sqlite3_bind_null (st, base + 1);
  sqlite3_bind_text (st, base + 2, f->operator_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, base + 3, f->source_file, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, base + 4, f->source_layer, -1, SQLITE_STATIC);
  if (f->source_fid >= 0)
    sqlite3_bind_int64 (st, base + 5, f->source_fid);
  else
    sqlite3_bind_null (st, base + 5);
  sqlite3_bind_text (st, base + 6, f->source_key, -1, SQLITE_STATIC);
  if (f->import_id > 0)
    sqlite3_bind_int64 (st, base + 7, f->import_id);
  else
    sqlite3_bind_null (st, base + 7);
  sqlite3_bind_int (st, base + 8, f->retired ? 1 : 0);
  sqlite3_bind_text (st, base + 9, f->attrs, (int) attrs_len, SQLITE_STATIC);
  for (guint i = 0; i < info->n_fields; i++)
    {
      int p = base + NGAM_STORE_N_COMMON + 1 + (int) i;
      const NgamValue *v = &f->values[i];

      if (v->is_null)
        sqlite3_bind_null (st, p);
      else if (info->fields[i].type == NGAM_FIELD_TEXT)
        sqlite3_bind_text (st, p, v->s, -1, SQLITE_STATIC);
      else if (info->fields[i].type == NGAM_FIELD_REAL)
        sqlite3_bind_double (st, p, v->d);
      else
        sqlite3_bind_int64 (st, p, v->i);
    }
  if (blob)
    sqlite3_bind_blob (st, geom, blob->data, blob->len, SQLITE_STATIC);
  else
    sqlite3_bind_null (st, geom);
}

/* Binds parameters 1.. in the full column order (fid NULL when 0). */
void
ngam_sqlite_bind_row (NgamStore         *store,
                      sqlite3_stmt      *st,
                      const NgamFeature *f,
                      GByteArray        *blob)
{
  ngam_sqlite_bind_row_at (st, 0, f, blob, -1);
}

NgamFeature *
ngam_sqlite_get_feature (NgamStore      *store,
                         NgamLayerKind   kind,
                         gint64          fid,
                         GError        **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(NgamFeature) f = ngam_feature_new (kind);
  g_autofree char *cols = ngam_sqlite_columns_sql (kind);
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s WHERE fid = ?1", cols,
                                          ngam_layer_info (kind)->name);
  int rc;

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, sql, -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot read a feature"), NULL;
  sqlite3_bind_int64 (st, 1, fid);
  rc = sqlite3_step (st);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                   "%s: no %s feature with fid %" G_GINT64_FORMAT,
                   store->path, ngam_layer_info (kind)->name, fid);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    return ngam_sqlite_set_sql_error (store, error, "cannot read a feature"), NULL;
  if (!ngam_sqlite_read_row (store, st, f, TRUE, error))
    return NULL;
  return g_steal_pointer (&f);
}

static float
get_be_float (const guint8 *p)
{
  guint32 u = ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
  float f;

  memcpy (&f, &u, sizeof f);
  return f;
}

/* TRUE when every feature of layer @name lies inside @bbox, read from the
 * root node of its R*Tree (SQLite's format: depth and cell count, then per
 * cell a 64-bit id and xmin, xmax, ymin, ymax as big-endian floats, which
 * the R*Tree rounds outwards).  A map of the whole project asks for every
 * feature, and a scan of the table in fid order reads them several times
 * faster than a join with the index that keeps them all. */
static gboolean
index_within (NgamStore    *store,
              const char   *name,
              const double *bbox)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT data FROM idx_%s_geom_node WHERE nodeno = 1", name);
  const guint8 *data;
  int len, n;

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, sql, -1, &st, NULL) != SQLITE_OK ||
      sqlite3_step (st) != SQLITE_ROW)
    return FALSE;
  data = sqlite3_column_blob (st, 0);
  len = sqlite3_column_bytes (st, 0);
  if (data == NULL || len < 4)
    return FALSE;
  n = (data[2] << 8) | data[3];
  if (n == 0 || 4 + n * 24 > len)
    return FALSE;
  for (int i = 0; i < n; i++)
    {
      const guint8 *cell = data + 4 + i * 24 + 8;

      if (get_be_float (cell) < bbox[0] || get_be_float (cell + 4) > bbox[2] ||
          get_be_float (cell + 8) < bbox[1] || get_be_float (cell + 12) > bbox[3])
        return FALSE;
    }
  return TRUE;
}

/**
 * ngam_store_query:
 * @bbox: (nullable): minx, miny, maxx, maxy: only features whose envelope
 *   meets it (through the spatial index)
 *
 * Returns: (transfer full): a cursor over the layer in fid order.
 */
NgamStoreCursor *
ngam_sqlite_query (NgamStore              *store,
                   NgamLayerKind           kind,
                   const double           *bbox,
                   NgamQueryFlags          flags,
                   const NgamQueryFilter  *filter,
                   GError                **error)
{
  guint n_values = filter != NULL ? g_strv_length ((char **) filter->values) : 0;
  const char *name = ngam_layer_info (kind)->name;
  gboolean full = (flags & NGAM_QUERY_SHAPE_ONLY) == 0;
  g_autofree char *cols = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);
  NgamSqliteCursor *c;
  sqlite3_stmt *st = NULL;

  if (!full)
    cols = g_strdup ("fid, operator, geom");
  else if (flags & NGAM_QUERY_NO_PROVENANCE)
    {
      const NgamLayerInfo *info = ngam_layer_info (kind);
      GString *s = g_string_new ("fid, operator, NULL, NULL, NULL, NULL, NULL, retired, NULL");

      for (guint i = 0; i < info->n_fields; i++)
        g_string_append_printf (s, ", %s", info->fields[i].name);
      g_string_append (s, ", geom");
      cols = g_string_free (s, FALSE);
    }
  else
    cols = ngam_sqlite_columns_sql (kind);
  g_string_append_printf (sql, "SELECT %s FROM %s WHERE 1", cols, name);
  if ((flags & NGAM_QUERY_INCLUDE_RETIRED) == 0)
    g_string_append (sql, " AND retired = 0");
  if (bbox && index_within (store, name, bbox))
    {
      g_string_append (sql, " AND geom IS NOT NULL");
      bbox = NULL;
    }
  if (bbox)
    g_string_append_printf (sql, " AND fid IN (SELECT pkid FROM idx_%s_geom"
                                 " WHERE xmax >= ?1 AND ymax >= ?2 AND xmin <= ?3 AND ymin <= ?4)", name);
  if (filter != NULL)
    {
      /* the field name is one of the layer's (checked by the caller), the
       * values are bound: ?5.. */
      if (filter->exclude)
        g_string_append_printf (sql, " AND (%s IS NULL OR %s NOT IN (", filter->field, filter->field);
      else
        g_string_append_printf (sql, " AND %s IN (", filter->field);
      for (guint i = 0; i < n_values; i++)
        g_string_append_printf (sql, "%s?%u", i ? ", " : "", i + 5);
      g_string_append (sql, filter->exclude ? "))" : ")");
    }
  g_string_append (sql, " ORDER BY fid");
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, sql->str, -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot query"), NULL;
  if (bbox)
    for (int i = 0; i < 4; i++)
      sqlite3_bind_double (st, i + 1, bbox[i]);
  for (guint i = 0; i < n_values; i++)
    sqlite3_bind_text (st, (int) i + 5, filter->values[i], -1, SQLITE_TRANSIENT);
  c = g_new0 (NgamSqliteCursor, 1);
  c->parent.store = store;
  c->st = st;
  c->full = full;
  c->feature = ngam_feature_new (kind);
  return &c->parent;
}

/**
 * ngam_store_cursor_next:
 *
 * Returns: TRUE when a feature was read (see ngam_store_cursor_get()); FALSE
 *   at the end, or with @error set on failure.
 */
gboolean
ngam_sqlite_cursor_next (NgamStoreCursor  *self,
                         GError          **error)
{
  NgamSqliteCursor *c = (NgamSqliteCursor *) self;
  int rc = sqlite3_step (c->st);

  if (rc == SQLITE_DONE)
    return FALSE;
  if (rc != SQLITE_ROW)
    return ngam_sqlite_set_sql_error (c->parent.store, error, "cannot read features");
  return ngam_sqlite_read_row (c->parent.store, c->st, c->feature, c->full, error);
}

/* Returns: (transfer none): the current feature, valid until the next call. */
const NgamFeature *
ngam_sqlite_cursor_get (NgamStoreCursor *self)
{
  NgamSqliteCursor *c = (NgamSqliteCursor *) self;
  return c->feature;
}

void
ngam_sqlite_cursor_free (NgamStoreCursor *self)
{
  NgamSqliteCursor *c = (NgamSqliteCursor *) self;
  if (c == NULL)
    return;
  sqlite3_finalize (c->st);
  ngam_feature_free (c->feature);
  g_free (c);
}

/**
 * ngam_store_measure_columns:
 * @widths: (out caller-allocates): NGAM_STORE_N_MEASURED + the layer's
 *   field count values
 */
gboolean
ngam_sqlite_measure_columns (NgamStore      *store,
                             NgamLayerKind   kind,
                             gint64         *widths,
                             GError        **error)
{
  static const char *const common[NGAM_STORE_N_MEASURED] = {
    "fid", "operator", "source_file", "source_layer", "source_fid", "source_key"
  };
  const NgamLayerInfo *info = ngam_layer_info (kind);
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  g_autoptr(sqlite3_stmt) st = NULL;
  guint n = NGAM_STORE_N_MEASURED + info->n_fields;

  for (guint i = 0; i < n; i++)
    {
      const char *column = i < NGAM_STORE_N_MEASURED ? common[i] : info->fields[i - NGAM_STORE_N_MEASURED].name;
      NgamFieldType type = i == 0 || i == 4 ? NGAM_FIELD_INT
                         : i < NGAM_STORE_N_MEASURED ? NGAM_FIELD_TEXT : info->fields[i - NGAM_STORE_N_MEASURED].type;

      if (i > 0)
        g_string_append (sql, ", ");
      if (type == NGAM_FIELD_TEXT)
        g_string_append_printf (sql, "coalesce(max(length(CAST(%s AS BLOB))), 0)", column);
      else if (type == NGAM_FIELD_INT)
        g_string_append_printf (sql, "coalesce(max(length(%s)), 0)", column);
      else
        g_string_append (sql, "0");
    }
  g_string_append_printf (sql, " FROM %s WHERE retired = 0", info->name);
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, sql->str, -1, &st, NULL) != SQLITE_OK ||
      sqlite3_step (st) != SQLITE_ROW)
    return ngam_sqlite_set_sql_error (store, error, "cannot measure the columns");
  for (guint i = 0; i < n; i++)
    widths[i] = sqlite3_column_int64 (st, (int) i);
  return TRUE;
}

/**
 * ngam_store_open_again:
 *
 * Opens another connection to the project @store is open on (its own
 * transactions, its own thread), as ngam_store_open() would.
 *
 * Returns: (transfer full): the new store, or NULL with @error set.
 */
NgamStore *
ngam_sqlite_open_again (NgamStore           *store,
                        NgamStoreOpenFlags   flags,
                        GError             **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  return ngam_sqlite_open (store->path, flags, error);
}
