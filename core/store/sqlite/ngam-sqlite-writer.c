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
 * rows in random key order.  There the writer sorts each row's rounded MBR
 * on x as it comes (an external sort, ngam-extsort.c: a fixed budget of
 * memory, runs on disk past it), drops the layer's attribute indexes, and
 * at finish packs the R*Tree bottom-up with Sort-Tile-Recursive
 * (Leutenegger, Lopez, Edgington: "STR: a simple and efficient algorithm
 * for R-tree packing", ICDE 1997) straight into its shadow tables, in the
 * node format documented at the top of SQLite's ext/rtree/rtree.c, and
 * re-creates the indexes with one sort each.  STR needs only one vertical
 * slice in memory at a time (√(rows × cells a node) cells), so a load of
 * any size packs in the same few megabytes.  rtreecheck() accepts the
 * result, and the full nodes make queries faster than an index grown row
 * by row.  The operator index stays (a bulk load has one operator or a
 * few: its rows arrive in order), so does the source-key index while the
 * keys come as a few ascending streams (watch_key()), and so do all of
 * them while a caller's cursor is open on the connection, as SQLite then
 * refuses DROP INDEX; whatever was dropped, and only that, is put back.
 * The packing runs on a helper thread while SQLite rebuilds the indexes;
 * it spools the nodes it makes (again within a budget), which are written
 * when both are done.
 *
 * ngam_store_writer_add_many() writes rows a few dozen to an INSERT (a
 * statement costs SQLite about as much as the rows it writes).
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ngam-extsort.h"
#include "ngam-sqlite-private.h"
#include "ngam-store-sync.h"

/* How many ascending streams of source keys a bulk load may interleave
 * and keep its key index live (see watch_key()). */
#define KEY_STREAMS 16

/* What a bulk load may keep in memory for its R*Tree, whatever its size:
 * the rows' cells (24 bytes each, sorted in runs on disk past this), and
 * half as much again each for the packed nodes and the rows' leaves. */
#define WRITER_SORT_MEMORY (8u << 20)

/* One R*Tree cell: a row's id and its MBR as the R*Tree stores it (float,
 * in column order xmin, xmax, ymin, ymax). */
typedef struct
{
  gint64 id;
  float  box[4];
} RCell;

typedef struct _NgamSqliteWriter NgamSqliteWriter;

struct _NgamSqliteWriter
{
  NgamStoreWriter parent;   /* first: the store, and so its backend */
  NgamLayerKind  kind;
  sqlite3_stmt  *insert;
  sqlite3_stmt  *index;
  GPtrArray     *triggers;   /* CREATE TRIGGER statements to restore */
  GPtrArray     *indexes;    /* CREATE INDEX statements to restore (bulk) */
  NgamExtSort   *cells;      /* RCell by x, for the R*Tree built at finish (bulk) */
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

/* ---- packing the R*Tree --------------------------------------------- */

/* SQLite's R*Tree keeps float coordinates rounded outwards, so that the
 * stored box always contains the true one (rtreeValueDown/Up in rtree.c). */
static float
round_down (double d)
{
  float f = (float) d;

  if (f > d)
    f = (float) (d * (d < 0 ? 1.0 + 1.0 / 8388608.0 : 1.0 - 1.0 / 8388608.0));
  return f;
}

static float
round_up (double d)
{
  float f = (float) d;

  if (f < d)
    f = (float) (d * (d < 0 ? 1.0 - 1.0 / 8388608.0 : 1.0 + 1.0 / 8388608.0));
  return f;
}

/* Cells in order of their centre on @axis (0: x, 2: y), ties by id. */
static inline gboolean
cell_before (const RCell *a, const RCell *b, int axis)
{
  double ca = (double) a->box[axis] + a->box[axis + 1], cb = (double) b->box[axis] + b->box[axis + 1];

  return ca < cb || (ca == cb && a->id < b->id);
}

static inline void
cell_swap (RCell *a, RCell *b)
{
  RCell t = *a;

  *a = *b;
  *b = t;
}

static void
cell_sift_down (RCell *c, gsize root, gsize n, int axis)
{
  for (gsize child; (child = 2 * root + 1) < n; root = child)
    {
      if (child + 1 < n && cell_before (&c[child], &c[child + 1], axis))
        child++;
      if (!cell_before (&c[root], &c[child], axis))
        return;
      cell_swap (&c[root], &c[child]);
    }
}

/* Sorts @n cells in place (introsort: quicksort, heapsort past a depth,
 * insertion sort for short runs).  glibc's qsort() is a merge sort that
 * first copies the whole array: for a million cells, 24 MB more at the
 * moment the load's memory peaks. */
static void
sort_cells (RCell *c, gsize n, int axis, guint depth)
{
  while (n > 16)
    {
      gsize i, j, mid = n / 2;
      RCell pivot;

      if (depth-- == 0)
        {
          for (gsize k = n / 2; k-- > 0;)
            cell_sift_down (c, k, n, axis);
          for (gsize k = n - 1; k > 0; k--)
            {
              cell_swap (&c[0], &c[k]);
              cell_sift_down (c, 0, k, axis);
            }
          return;
        }
      /* median of three as the pivot, then Hoare's partition */
      if (cell_before (&c[mid], &c[0], axis))
        cell_swap (&c[mid], &c[0]);
      if (cell_before (&c[n - 1], &c[0], axis))
        cell_swap (&c[n - 1], &c[0]);
      if (cell_before (&c[n - 1], &c[mid], axis))
        cell_swap (&c[n - 1], &c[mid]);
      pivot = c[mid];
      i = 0;
      j = n - 1;
      for (;;)
        {
          while (cell_before (&c[i], &pivot, axis))
            i++;
          while (cell_before (&pivot, &c[j], axis))
            j--;
          if (i >= j)
            break;
          cell_swap (&c[i], &c[j]);
          i++;
          j--;
        }
      /* c[0..j] ≤ pivot ≤ c[j+1..n): the smaller side by recursion */
      if (j + 1 < n - (j + 1))
        {
          sort_cells (c, j + 1, axis, depth);
          c += j + 1;
          n -= j + 1;
        }
      else
        {
          sort_cells (c + j + 1, n - (j + 1), axis, depth);
          n = j + 1;
        }
    }
  for (gsize k = 1; k < n; k++)
    for (gsize m = k; m > 0 && cell_before (&c[m], &c[m - 1], axis); m--)
      cell_swap (&c[m], &c[m - 1]);
}

static void
sort_cells_by_x (void *cells, gsize n, gpointer data)
{
  sort_cells (cells, n, 0, 2 * g_bit_storage (n));
}

static int
compare_cells_by_x (const void *a, const void *b, gpointer data)
{
  return cell_before (a, b, 0) ? -1 : cell_before (b, a, 0) ? 1 : 0;
}

/* Which leaf a row went to. */
typedef struct
{
  gint64 rowid;
  gint64 node;
} LeafPair;

static int
cmp_pair (const void *pa, const void *pb)
{
  const LeafPair *a = pa, *b = pb;

  return a->rowid < b->rowid ? -1 : a->rowid > b->rowid;
}

static void
sort_pairs (void *pairs, gsize n, gpointer data)
{
  qsort (pairs, n, sizeof (LeafPair), cmp_pair);
}

static int
compare_pairs (const void *a, const void *b, gpointer data)
{
  return cmp_pair (a, b);
}

/* The spool of packed nodes keeps them in the order they were made. */
static void
keep_order (void *records, gsize n, gpointer data)
{
}

static int
all_equal (const void *a, const void *b, gpointer data)
{
  return 0;
}

static void
put_be16 (guint8 *p, guint v)
{
  p[0] = v >> 8;
  p[1] = v;
}

static void
put_be64 (guint8 *p, guint64 v)
{
  for (int i = 7; i >= 0; i--, v >>= 8)
    p[i] = v & 0xff;
}

static guint64
get_be64 (const guint8 *p)
{
  guint64 v = 0;

  for (int i = 0; i < 8; i++)
    v = v << 8 | p[i];
  return v;
}

static void
put_float (guint8 *p, float f)
{
  guint32 u;

  memcpy (&u, &f, 4);
  p[0] = u >> 24;
  p[1] = u >> 16;
  p[2] = u >> 8;
  p[3] = u;
}

/* A packed node in the spool: its number, its level (0: a leaf, whose
 * cells are rows) and its bytes as the node table keeps them. */
typedef struct
{
  gint64 nodeno;
  guint  level;
  guint8 data[];
} SpooledNode;

/* The packing runs on a helper thread while SQLite rebuilds the attribute
 * indexes, so it touches no SQL: the nodes go to a spool and the rows'
 * leaves to a sort by row id, both written into the index afterwards. */
typedef struct
{
  NgamSqliteWriter *w;
  guint            cap;        /* cells per node */
  gsize            node_size;
  guint            depth;      /* levels above the leaves */
  gint64           next_node;
  NgamExtSort     *spool;      /* SpooledNode, in the order made; the root (1) last */
  NgamExtSort     *leaves;     /* LeafPair, by row id */
  SpooledNode     *scratch;
  GError          *error;
} Packer;

static void
packer_clear (Packer *pk)
{
  g_clear_pointer (&pk->spool, ngam_ext_sort_free);
  g_clear_pointer (&pk->leaves, ngam_ext_sort_free);
  g_clear_pointer (&pk->scratch, g_free);
  g_clear_error (&pk->error);
}

/* Lays out node @nodeno of @n cells, as documented at the top of SQLite's
 * ext/rtree/rtree.c: the root (1) carries the tree's depth, then the count
 * and each cell as a 64-bit id and four floats, all big-endian. */
static gboolean
spool_node (Packer      *pk,
            gint64       nodeno,
            guint        level,
            const RCell *cells,
            guint        n)
{
  SpooledNode *s = pk->scratch;

  s->nodeno = nodeno;
  s->level = level;
  memset (s->data, 0, pk->node_size);
  put_be16 (s->data, nodeno == 1 ? pk->depth : 0);
  put_be16 (s->data + 2, n);
  for (guint i = 0; i < n; i++)
    {
      guint8 *c = s->data + 4 + 24 * i;

      put_be64 (c, (guint64) cells[i].id);
      for (int k = 0; k < 4; k++)
        put_float (c + 8 + 4 * k, cells[i].box[k]);
    }
  return ngam_ext_sort_add (pk->spool, s, &pk->error);
}

/* Packs one level, its cells coming from @in sorted on x, into nodes (STR:
 * cut the x order into √P vertical slices, sort each by y, fill nodes in
 * order) and returns the level above, one cell per node, its id the node
 * number, in a new sorter on x.  A slice is √(n·cap) cells: the only part
 * of a level held in memory. */
static NgamExtSort *
pack_level (Packer      *pk,
            NgamExtSort *in,
            guint        level)
{
  guint64 n = ngam_ext_sort_count (in);
  guint64 nodes = (n + pk->cap - 1) / pk->cap;
  gsize slices = (gsize) ceil (sqrt ((double) nodes)), per_slice = slices * pk->cap;
  g_autoptr(NgamExtSort) up = ngam_ext_sort_new (sizeof (RCell), pk->w->sort_memory / 4,
                                                 sort_cells_by_x, compare_cells_by_x, NULL);
  g_autofree RCell *slice = g_new (RCell, MIN (per_slice, n));

  for (guint64 done = 0; done < n;)
    {
      gsize m = 0;

      while (m < per_slice && ngam_ext_sort_next (in, &slice[m], &pk->error))
        m++;
      if (pk->error)
        return NULL;
      if (m == 0)
        break;
      done += m;
      sort_cells (slice, m, 2, 2 * g_bit_storage (m));
      for (gsize i = 0; i < m; i += pk->cap)
        {
          guint k = (guint) MIN (pk->cap, m - i);
          RCell parent = { pk->next_node++, { INFINITY, -INFINITY, INFINITY, -INFINITY } };

          for (guint j = 0; j < k; j++)
            {
              const float *b = slice[i + j].box;

              parent.box[0] = MIN (parent.box[0], b[0]);
              parent.box[1] = MAX (parent.box[1], b[1]);
              parent.box[2] = MIN (parent.box[2], b[2]);
              parent.box[3] = MAX (parent.box[3], b[3]);
              if (level == 0)
                {
                  LeafPair lp = { slice[i + j].id, parent.id };

                  if (!ngam_ext_sort_add (pk->leaves, &lp, &pk->error))
                    return NULL;
                }
            }
          if (!spool_node (pk, parent.id, level, slice + i, k) ||
              !ngam_ext_sort_add (up, &parent, &pk->error))
            return NULL;
        }
    }
  if (!ngam_ext_sort_finish (up, &pk->error))
    return NULL;
  return g_steal_pointer (&up);
}

/* Computes the whole tree from the writer's cells, touching no SQL. */
static gpointer
pack_tree (gpointer data)
{
  Packer *pk = data;
  NgamSqliteWriter *w = pk->w;
  g_autoptr(NgamExtSort) level = g_steal_pointer (&w->cells);
  g_autofree RCell *root = NULL;
  guint n_root = 0;

  pk->next_node = 2;
  if (!ngam_ext_sort_finish (level, &pk->error))
    return NULL;
  while (ngam_ext_sort_count (level) > pk->cap)
    {
      NgamExtSort *up = pack_level (pk, level, pk->depth);

      if (up == NULL)
        return NULL;
      g_clear_pointer (&level, ngam_ext_sort_free);
      level = up;
      pk->depth++;
    }
  /* the root: node 1, over the last level */
  root = g_new (RCell, pk->cap);
  while (n_root < pk->cap && ngam_ext_sort_next (level, &root[n_root], &pk->error))
    {
      if (pk->depth == 0)
        {
          LeafPair lp = { root[n_root].id, 1 };

          if (!ngam_ext_sort_add (pk->leaves, &lp, &pk->error))
            return NULL;
        }
      n_root++;
    }
  if (pk->error || !spool_node (pk, 1, pk->depth, root, n_root))
    return NULL;
  if (ngam_ext_sort_finish (pk->spool, &pk->error))
    ngam_ext_sort_finish (pk->leaves, &pk->error);
  return NULL;
}

/* Rows per INSERT into idx_rowid: one statement per row costs more in
 * sqlite3_step() and binding than the insert itself. */
#define ROWIDS_PER_INSERT 64

static sqlite3_stmt *
prepare_rowids (NgamSqliteWriter *w, guint rows)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *st = NULL;

  g_string_printf (sql, "INSERT OR FAIL INTO idx_%s_geom_rowid (rowid, nodeno) VALUES (?, ?)", ngam_layer_info (w->kind)->name);
  for (guint i = 1; i < rows; i++)
    g_string_append (sql, ", (?, ?)");
  if (sqlite3_prepare_v2 (NGAM_SQLITE (w->parent.store)->db, sql->str, -1, &st, NULL) != SQLITE_OK)
    return NULL;
  return st;
}

/* Writes idx_rowid in rowid order, so that the table grows at its end. */
static gboolean
write_rowids (NgamSqliteWriter  *w,
              Packer            *pk,
              GError           **error)
{
  g_autoptr(sqlite3_stmt) many = NULL;
  g_autoptr(sqlite3_stmt) one = NULL;
  guint64 n = ngam_ext_sort_count (pk->leaves);
  LeafPair lp;

  if ((many = prepare_rowids (w, ROWIDS_PER_INSERT)) == NULL || (one = prepare_rowids (w, 1)) == NULL)
    return ngam_sqlite_set_sql_error (w->parent.store, error, "cannot write the spatial index");
  for (guint64 i = 0; i < n;)
    {
      sqlite3_stmt *st = n - i >= ROWIDS_PER_INSERT ? many : one;
      guint rows = st == many ? ROWIDS_PER_INSERT : 1;

      sqlite3_reset (st);
      for (guint k = 0; k < rows; k++, i++)
        {
          if (!ngam_ext_sort_next (pk->leaves, &lp, error))
            {
              if (error && *error == NULL)
                g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_FAILED,
                             "%s: the spatial index lost rows while packing", w->parent.store->path);
              return FALSE;
            }
          sqlite3_bind_int64 (st, 2 * k + 1, lp.rowid);
          sqlite3_bind_int64 (st, 2 * k + 2, lp.node);
        }
      if (sqlite3_step (st) != SQLITE_DONE)
        return ngam_sqlite_set_sql_error (w->parent.store, error, "cannot write the spatial index");
    }
  return TRUE;
}

/* Readies the layer's (empty) R*Tree for packing: the node size, and no
 * nodes.  FALSE with @error set on failure; @pk->cap is 0 when there is
 * nothing to pack. */
static gboolean
rtree_begin (NgamSqliteWriter  *w,
             Packer            *pk,
             GError           **error)
{
  const char *t = ngam_layer_info (w->kind)->name;
  g_autofree char *size_sql = g_strdup_printf ("SELECT length(data) FROM idx_%s_geom_node WHERE nodeno = 1", t);
  g_autofree char *clear_sql = g_strdup_printf ("DELETE FROM idx_%s_geom_node", t);
  g_autoptr(sqlite3_stmt) st = NULL;

  memset (pk, 0, sizeof *pk);
  pk->w = w;
  if (w->cells == NULL || ngam_ext_sort_count (w->cells) == 0)
    return TRUE;
  if (sqlite3_prepare_v2 (NGAM_SQLITE (w->parent.store)->db, size_sql, -1, &st, NULL) != SQLITE_OK ||
      sqlite3_step (st) != SQLITE_ROW)
    return ngam_sqlite_set_sql_error (w->parent.store, error, "cannot read the spatial index");
  pk->node_size = sqlite3_column_int (st, 0);
  if (pk->node_size < 4 + 2 * 24)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_CORRUPT,
                   "%s: the spatial index of %s has a %" G_GSIZE_FORMAT "-byte root node",
                   w->parent.store->path, t, pk->node_size);
      return FALSE;
    }
  g_clear_pointer (&st, sqlite3_finalize);
  if (!ngam_sqlite_exec (w->parent.store, clear_sql, error))
    return FALSE;
  pk->cap = (pk->node_size - 4) / 24;
  pk->scratch = g_malloc (sizeof (SpooledNode) + pk->node_size);
  pk->spool = ngam_ext_sort_new (sizeof (SpooledNode) + pk->node_size, w->sort_memory / 2,
                                 keep_order, all_equal, NULL);
  pk->leaves = ngam_ext_sort_new (sizeof (LeafPair), w->sort_memory / 2,
                                  sort_pairs, compare_pairs, NULL);
  return TRUE;
}

/* Writes the packed tree: its nodes, their parents, the rows' leaves. */
static gboolean
rtree_write (NgamSqliteWriter  *w,
             Packer            *pk,
             GError           **error)
{
  const char *t = ngam_layer_info (w->kind)->name;
  g_autofree char *node_sql = g_strdup_printf ("INSERT INTO idx_%s_geom_node (nodeno, data) VALUES (?1, ?2)", t);
  g_autofree char *parent_sql = g_strdup_printf ("INSERT INTO idx_%s_geom_parent (nodeno, parentnode) VALUES (?1, ?2)", t);
  g_autoptr(sqlite3_stmt) node = NULL;
  g_autoptr(sqlite3_stmt) parent = NULL;
  SpooledNode *s = pk->scratch;

  if (pk->error)
    {
      g_propagate_error (error, g_steal_pointer (&pk->error));
      return FALSE;
    }
  if (sqlite3_prepare_v2 (NGAM_SQLITE (w->parent.store)->db, node_sql, -1, &node, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (NGAM_SQLITE (w->parent.store)->db, parent_sql, -1, &parent, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (w->parent.store, error, "cannot write the spatial index");
  while (ngam_ext_sort_next (pk->spool, s, error))
    {
      sqlite3_reset (node);
      sqlite3_bind_int64 (node, 1, s->nodeno);
      sqlite3_bind_blob (node, 2, s->data, pk->node_size, SQLITE_STATIC);
      if (sqlite3_step (node) != SQLITE_DONE)
        return ngam_sqlite_set_sql_error (w->parent.store, error, "cannot write the spatial index");
      /* an inner node's cells are its children: each one's parent row */
      for (guint i = 0, n = (guint) s->data[2] << 8 | s->data[3]; s->level > 0 && i < n; i++)
        {
          sqlite3_reset (parent);
          sqlite3_bind_int64 (parent, 1, (gint64) get_be64 (s->data + 4 + 24 * i));
          sqlite3_bind_int64 (parent, 2, s->nodeno);
          if (sqlite3_step (parent) != SQLITE_DONE)
            return ngam_sqlite_set_sql_error (w->parent.store, error, "cannot write the spatial index");
        }
    }
  if (error && *error)
    return FALSE;
  /* the leaf level holds every row */
  return write_rowids (w, pk, error);
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
    w->cells = ngam_ext_sort_new (sizeof (RCell), w->sort_memory, sort_cells_by_x, compare_cells_by_x, NULL);
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
      RCell c = { id, { round_down (s->bbox[0]), round_up (s->bbox[2]),
                        round_down (s->bbox[1]), round_up (s->bbox[3]) } };

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
      w->cells = ngam_ext_sort_new (sizeof (RCell), bytes, sort_cells_by_x, compare_cells_by_x, NULL);
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
  Packer pk = { 0 };
  gboolean ok;

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
  ok = rtree_begin (w, &pk, error);
  if (ok && pk.cap > 0)
    {
      /* the tree is sorted out on another core while SQLite sorts the
       * attribute indexes */
      /* read before the packing takes the cells */
      guint runs = ngam_ext_sort_runs (w->cells);
      gint64 t0 = g_get_monotonic_time (), t1, t2;
      GThread *thread = ngam_ext_sort_count (w->cells) >= 4096 ? g_thread_try_new ("ngam-rtree-pack", pack_tree, &pk, NULL) : NULL;

      if (thread == NULL)
        pack_tree (&pk);
      ok = restore_indexes (w, error);
      t1 = g_get_monotonic_time ();
      if (thread)
        g_thread_join (thread);
      t2 = g_get_monotonic_time ();
      ok = ok && rtree_write (w, &pk, error);
      g_debug ("%s: attribute indexes %.3f s; R*Tree of %" G_GUINT64_FORMAT " rows (%u runs on disk) "
               "packed %.3f s later, written in %.3f s", ngam_layer_info (w->kind)->name,
               (t1 - t0) / 1e6, pk.leaves ? ngam_ext_sort_count (pk.leaves) : 0, runs,
               (t2 - t1) / 1e6, (g_get_monotonic_time () - t2) / 1e6);
    }
  else
    ok = ok && restore_indexes (w, error);
  packer_clear (&pk);
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
