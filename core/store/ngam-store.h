/* ngam-store.h — the project store: one .ngam file (SQLite + SpatiaLite)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything outside core/store reaches the project through this header
 * alone; it names no SQLite type, so that a shared PostGIS backend can
 * implement the same calls later (ROADMAP item 5).
 */
#pragma once

#include <gio/gio.h>

#include "ngam-context.h"
#include "ngam-feature.h"
#include "ngam-layer.h"

G_BEGIN_DECLS

#define NGAM_STORE_ERROR (ngam_store_error_quark ())

typedef enum
{
  NGAM_STORE_ERROR_NOT_FOUND,     /* no such file, scenario or run */
  NGAM_STORE_ERROR_EXISTS,        /* create refused to overwrite */
  NGAM_STORE_ERROR_NOT_SQLITE,    /* not an SQLite database at all */
  NGAM_STORE_ERROR_NOT_PROJECT,   /* SQLite, but not a Ngầm project */
  NGAM_STORE_ERROR_TRUNCATED,     /* shorter than its header says */
  NGAM_STORE_ERROR_CORRUPT,       /* SQLite found damaged pages */
  NGAM_STORE_ERROR_NEWER,         /* written by a newer Ngầm */
  NGAM_STORE_ERROR_READ_ONLY,     /* cannot write the file or its folder */
  NGAM_STORE_ERROR_LOCKED,        /* another process is writing */
  NGAM_STORE_ERROR_INVALID,       /* a value or geometry the layer refuses */
  NGAM_STORE_ERROR_NO_EDIT,       /* nothing to undo / redo, or no edit open */
  NGAM_STORE_ERROR_FAILED,        /* any other SQLite failure */
  NGAM_STORE_ERROR_CANCELLED,
  NGAM_STORE_ERROR_CONFLICT,      /* changed by someone else since it was read */
} NgamStoreError;

/* The schema this build writes; files with a lower number are migrated
 * forward on open, files with a higher one are refused. */
#define NGAM_STORE_SCHEMA_VERSION 5

/* The page size of a new project file, in bytes (see ngam_store_create()). */
#define NGAM_STORE_PAGE_SIZE 16384

typedef enum
{
  NGAM_STORE_OPEN_DEFAULT = 0,
  NGAM_STORE_OPEN_READ_ONLY = 1 << 0,
} NgamStoreOpenFlags;

typedef enum
{
  NGAM_QUERY_DEFAULT = 0,
  NGAM_QUERY_SHAPE_ONLY = 1 << 0,       /* fid, operator and geometry: fastest */
  NGAM_QUERY_INCLUDE_RETIRED = 1 << 1,  /* also features a re-import retired */
  NGAM_QUERY_NO_PROVENANCE = 1 << 2,    /* the fields, but no source columns nor raw
                                         * attributes (left NULL): what a map draws */
} NgamQueryFlags;

/* A condition on one text field of a query: the feature's value is one of
 * @values (NULL-terminated), or with @exclude is not (a NULL value is
 * then kept).  What a map asks for when a class of features is too fine
 * for its scale: the backend's database drops the rows unread. */
typedef struct
{
  const char        *field;
  const char *const *values;
  gboolean           exclude;
} NgamQueryFilter;

typedef struct _NgamStore NgamStore;
typedef struct _NgamStoreWriter NgamStoreWriter;
typedef struct _NgamStoreCursor NgamStoreCursor;

GQuark            ngam_store_error_quark      (void);

NgamStore        *ngam_store_create           (const char *path, const char *crs, GError **error);
NgamStore        *ngam_store_open             (const char *path, NgamStoreOpenFlags flags, GError **error);
gboolean          ngam_store_file_is_project  (const char *path);
typedef void    (*NgamStoreWaitFunc)           (const char *path);
void              ngam_store_set_wait_func    (NgamStoreWaitFunc func);
gboolean          ngam_store_check_output     (const char *path, gboolean overwrite, GError **error);
void              ngam_store_close            (NgamStore *store);

const char       *ngam_store_get_path         (NgamStore *store);
/* The backend the project is kept by: "sqlite" (ngam-store-backend.h). */
const char       *ngam_store_get_backend_name (NgamStore *store);
int               ngam_store_get_srid         (NgamStore *store);
const char       *ngam_store_get_crs          (NgamStore *store);
int               ngam_store_get_schema_version (NgamStore *store);
gboolean          ngam_store_is_read_only     (NgamStore *store);
char             *ngam_store_dup_meta         (NgamStore *store, const char *key);
gboolean          ngam_store_set_meta         (NgamStore *store, const char *key, const char *value, GError **error);

/* Transactions nest (savepoints); every write happens inside one. */
gboolean          ngam_store_begin            (NgamStore *store, GError **error);
gboolean          ngam_store_begin_bulk       (NgamStore *store, GError **error);
gboolean          ngam_store_commit           (NgamStore *store, GError **error);
void              ngam_store_rollback         (NgamStore *store);
gboolean          ngam_store_in_transaction   (NgamStore *store);

/* Reading. */
gint64            ngam_store_count            (NgamStore *store, NgamLayerKind kind, GError **error);
gboolean          ngam_store_get_extent       (NgamStore *store, int kind, double bbox[4], GError **error);
gboolean          ngam_store_check_integrity  (NgamStore *store, char **problems, GError **error);
NgamFeature      *ngam_store_get_feature      (NgamStore *store, NgamLayerKind kind, gint64 fid, GError **error);

NgamStoreCursor  *ngam_store_query            (NgamStore *store, NgamLayerKind kind, const double *bbox,
                                               NgamQueryFlags flags, GError **error);
NgamStoreCursor  *ngam_store_query_filtered   (NgamStore *store, NgamLayerKind kind, const double *bbox,
                                               NgamQueryFlags flags, const NgamQueryFilter *filter,
                                               GError **error);
gboolean          ngam_store_cursor_next      (NgamStoreCursor *cursor, GError **error);
const NgamFeature *ngam_store_cursor_get      (NgamStoreCursor *cursor);
void              ngam_store_cursor_free      (NgamStoreCursor *cursor);

/* The widest value of each column of the layer's live features: the
 * NGAM_STORE_N_MEASURED common columns (fid, operator, source_file,
 * source_layer, source_fid, source_key), then the layer's fields; texts
 * in UTF-8 bytes, integers in digits (and sign), 0 for reals and for
 * columns with no value.  One scan (an export sizes its fields with it). */
#define NGAM_STORE_N_MEASURED 6
gboolean          ngam_store_measure_columns  (NgamStore *store, NgamLayerKind kind, gint64 *widths,
                                               GError **error);

/* Another connection to the same project, as a reader on another thread
 * (the map's tile loader) needs: a store is not shared across threads. */
NgamStore        *ngam_store_open_again       (NgamStore *store, NgamStoreOpenFlags flags, GError **error);

/* Sets the times the file's spatial metadata was stamped with to the
 * epoch, so that two projects made alike are byte-identical (the demo). */
gboolean          ngam_store_clear_time_stamps (NgamStore *store, GError **error);

/* Bulk writing (import, generator): inside a transaction; fast path that
 * maintains the spatial index itself.  Not journaled for undo. */
NgamStoreWriter  *ngam_store_writer_new       (NgamStore *store, NgamLayerKind kind, GError **error);
gboolean          ngam_store_writer_add       (NgamStoreWriter *writer, const NgamFeature *feature,
                                               gint64 *fid, GError **error);
gboolean          ngam_store_writer_finish    (NgamStoreWriter *writer, GError **error);
void              ngam_store_writer_free      (NgamStoreWriter *writer);

/* Editing, journaled for undo/redo in the same file.  One edit is one
 * transaction: begin, any number of changes, commit (or abort). */
gboolean          ngam_store_edit_begin       (NgamStore *store, const char *label, GError **error);
gboolean          ngam_store_edit_insert      (NgamStore *store, NgamFeature *feature, GError **error);
gboolean          ngam_store_edit_update      (NgamStore *store, const NgamFeature *feature, GError **error);
gboolean          ngam_store_edit_delete      (NgamStore *store, NgamLayerKind kind, gint64 fid, GError **error);
/* Optimistic locking: every change to a feature moves its row version on
 * (whoever makes it); an update checked against the version read is
 * refused (CONFLICT) when someone changed the feature in between. */
gint64            ngam_store_get_row_version  (NgamStore *store, NgamLayerKind kind, gint64 fid, GError **error);
gboolean          ngam_store_edit_update_checked (NgamStore *store, const NgamFeature *feature,
                                               gint64 row_version, GError **error);
gboolean          ngam_store_edit_commit      (NgamStore *store, GError **error);
void              ngam_store_edit_abort       (NgamStore *store);
gboolean          ngam_store_can_undo         (NgamStore *store);
gboolean          ngam_store_can_redo         (NgamStore *store);
char             *ngam_store_dup_undo_label   (NgamStore *store);
char             *ngam_store_dup_redo_label   (NgamStore *store);
gboolean          ngam_store_undo             (NgamStore *store, GError **error);
gboolean          ngam_store_redo             (NgamStore *store, GError **error);

/* Other programs writing the same file (QGIS through OGR or SpatiaLite,
 * the sqlite3 shell, another Ngầm): their edits, and what they can leave
 * behind (sqlite/ngam-sqlite-check.c). */

/* A bit of ngam_store_changed_outside()'s @layers beyond the layer kinds':
 * something changed that is not a layer's features (a setting, a result). */
#define NGAM_STORE_CHANGED_OTHER (1u << 31)

gboolean          ngam_store_changed_outside  (NgamStore *store, guint *layers, GError **error);

/* How many feature ids a finding lists (its count is always complete). */
#define NGAM_STORE_MAX_LISTED 20

/**
 * NgamStoreFinding:
 * @check: "integrity" (SQLite's own check), "spatial_index" or "reference"
 * @layer: (nullable): the layer it concerns
 * @field: (nullable): the field, for a reference
 * @count: how many features (or problems, for "integrity")
 * @fids: (element-type gint64): the first ids of those features
 * @message: what is wrong, for a person
 */
typedef struct
{
  char   *check;
  char   *layer;
  char   *field;
  gint64  count;
  GArray *fids;
  char   *message;
} NgamStoreFinding;

GPtrArray        *ngam_store_check            (NgamStore *store, GError **error);
void              ngam_store_finding_free     (NgamStoreFinding *finding);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamStore, ngam_store_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamStoreWriter, ngam_store_writer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamStoreCursor, ngam_store_cursor_free)

G_END_DECLS
