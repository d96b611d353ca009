/* ngam-store-private.h — for core modules that need the SQLite handle
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only code inside core/ may include this; what it does with the handle
 * belongs in a store function as soon as a second backend exists.
 */
#pragma once

#include <sqlite3.h>

#include "ngam-store.h"

G_BEGIN_DECLS

struct _NgamStore
{
  sqlite3  *db;
  void     *spatialite_cache;
  char     *path;
  char     *crs;
  int       srid;
  int       schema_version;
  gboolean  read_only;
  guint     depth;         /* open savepoints */
  gboolean  bulk;          /* the open transaction writes through a rollback
                            * journal: WAL comes back when it ends */
  gint64    edit_id;       /* open journaled edit, or 0 */
  guint     edit_seq;
  struct _NgamRun *run;    /* open result run (ngam-store-results.c), or NULL */
};

sqlite3  *ngam_store_get_db        (NgamStore *store);
void      ngam_store_writer_set_sort_memory (NgamStoreWriter *w, gsize bytes);
gboolean  ngam_store_exec          (NgamStore *store, const char *sql, GError **error);
gboolean  ngam_store_set_sql_error (NgamStore *store, GError **error, const char *what);
gboolean  ngam_store_schema_create (NgamStore *store, const char *crs, GError **error);
gboolean  ngam_store_schema_migrate (NgamStore *store, int from, GError **error);

static inline void
ngam_sqlite_finalize (sqlite3_stmt *stmt)
{
  sqlite3_finalize (stmt);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, ngam_sqlite_finalize)

G_END_DECLS

G_BEGIN_DECLS
/* The column order every full-row statement uses: the nine common columns,
 * then the layer's fields, then geom. */
#define NGAM_STORE_N_COMMON 9
char     *ngam_store_columns_sql   (NgamLayerKind kind);
gboolean  ngam_store_read_row      (NgamStore *store, sqlite3_stmt *st, NgamFeature *f, gboolean full, GError **error);
void      ngam_store_bind_row      (NgamStore *store, sqlite3_stmt *st, const NgamFeature *f, GByteArray *blob);
void      ngam_store_bind_row_at   (sqlite3_stmt *st, int base, const NgamFeature *f, const GByteArray *blob,
                                    gssize attrs_len);
G_END_DECLS
