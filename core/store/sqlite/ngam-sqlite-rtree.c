/* ngam-sqlite-rtree.c — packing a layer's SpatiaLite R*Tree after a bulk load
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Into a layer that is empty when the bulk writer starts, rows come
 * faster than SQLite's R*Tree can take them one by one (it rewrites a
 * whole node for every row).  The writer keeps each row's cell in a sorter
 * on x instead (ngam_rtree_cells_new(): a fixed budget of memory, runs on
 * disk past it), and at finish this packs the tree bottom-up with
 * Sort-Tile-Recursive (Leutenegger, Lopez, Edgington: "STR: a simple and
 * efficient algorithm for R-tree packing", ICDE 1997) straight into its
 * shadow tables, in the node format documented at the top of SQLite's
 * ext/rtree/rtree.c.  STR needs only one vertical slice in memory at a
 * time (√(rows × cells a node) cells), so a load of any size packs in the
 * same few megabytes; rtreecheck() accepts the result, and the full nodes
 * make queries faster than an index grown row by row.
 *
 * The packing proper (ngam_rtree_packer_run()) touches no SQL, so the
 * writer runs it on a helper thread while SQLite rebuilds the attribute
 * indexes; it spools the nodes it makes (again within the budget), and
 * ngam_rtree_packer_write() writes them once both are done.
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ngam-sqlite-rtree.h"

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
cell_before (const NgamRTreeCell *a, const NgamRTreeCell *b, int axis)
{
  double ca = (double) a->box[axis] + a->box[axis + 1], cb = (double) b->box[axis] + b->box[axis + 1];

  return ca < cb || (ca == cb && a->id < b->id);
}

static inline void
cell_swap (NgamRTreeCell *a, NgamRTreeCell *b)
{
  NgamRTreeCell t = *a;

  *a = *b;
  *b = t;
}

static void
cell_sift_down (NgamRTreeCell *c, gsize root, gsize n, int axis)
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
sort_cells (NgamRTreeCell *c, gsize n, int axis, guint depth)
{
  while (n > 16)
    {
      gsize i, j, mid = n / 2;
      NgamRTreeCell pivot;

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
struct _NgamRTreePacker
{
  NgamStore       *store;
  char            *table;      /* the layer: its index is idx_<table>_geom */
  gsize            memory;     /* the budget of the sorts below */
  NgamExtSort     *cells;      /* NgamRTreeCell by x, until the packing takes them */
  guint            cap;        /* cells per node */
  gsize            node_size;
  guint            depth;      /* levels above the leaves */
  gint64           next_node;
  NgamExtSort     *spool;      /* SpooledNode, in the order made; the root (1) last */
  NgamExtSort     *leaves;     /* LeafPair, by row id */
  SpooledNode     *scratch;
  GError          *error;
};

void
ngam_rtree_packer_free (NgamRTreePacker *pk)
{
  if (pk == NULL)
    return;
  g_clear_pointer (&pk->cells, ngam_ext_sort_free);
  g_clear_pointer (&pk->spool, ngam_ext_sort_free);
  g_clear_pointer (&pk->leaves, ngam_ext_sort_free);
  g_clear_pointer (&pk->scratch, g_free);
  g_clear_error (&pk->error);
  g_free (pk->table);
  g_free (pk);
}

/* Lays out node @nodeno of @n cells, as documented at the top of SQLite's
 * ext/rtree/rtree.c: the root (1) carries the tree's depth, then the count
 * and each cell as a 64-bit id and four floats, all big-endian. */
static gboolean
spool_node (NgamRTreePacker     *pk,
            gint64               nodeno,
            guint                level,
            const NgamRTreeCell *cells,
            guint                n)
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
pack_level (NgamRTreePacker *pk,
            NgamExtSort     *in,
            guint            level)
{
  guint64 n = ngam_ext_sort_count (in);
  guint64 nodes = (n + pk->cap - 1) / pk->cap;
  gsize slices = (gsize) ceil (sqrt ((double) nodes)), per_slice = slices * pk->cap;
  g_autoptr(NgamExtSort) up = ngam_ext_sort_new (sizeof (NgamRTreeCell), pk->memory / 4,
                                                 sort_cells_by_x, compare_cells_by_x, NULL);
  g_autofree NgamRTreeCell *slice = g_new (NgamRTreeCell, MIN (per_slice, n));

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
          NgamRTreeCell parent = { pk->next_node++, { INFINITY, -INFINITY, INFINITY, -INFINITY } };

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

/**
 * ngam_rtree_packer_run:
 * @data: the packer
 *
 * Computes the whole tree from the cells, touching no SQL: a GThreadFunc,
 * so that it may run beside the connection's work.  A failure is kept for
 * ngam_rtree_packer_write() to report.
 *
 * Returns: NULL
 */
gpointer
ngam_rtree_packer_run (gpointer data)
{
  NgamRTreePacker *pk = data;
  g_autoptr(NgamExtSort) level = g_steal_pointer (&pk->cells);
  g_autofree NgamRTreeCell *root = NULL;
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
  root = g_new (NgamRTreeCell, pk->cap);
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
prepare_rowids (NgamRTreePacker *pk, guint rows)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *st = NULL;

  g_string_printf (sql, "INSERT OR FAIL INTO idx_%s_geom_rowid (rowid, nodeno) VALUES (?, ?)", pk->table);
  for (guint i = 1; i < rows; i++)
    g_string_append (sql, ", (?, ?)");
  if (sqlite3_prepare_v2 (NGAM_SQLITE (pk->store)->db, sql->str, -1, &st, NULL) != SQLITE_OK)
    return NULL;
  return st;
}

/* Writes idx_rowid in rowid order, so that the table grows at its end. */
static gboolean
write_rowids (NgamRTreePacker  *pk,
              GError          **error)
{
  g_autoptr(sqlite3_stmt) many = NULL;
  g_autoptr(sqlite3_stmt) one = NULL;
  guint64 n = ngam_ext_sort_count (pk->leaves);
  LeafPair lp;

  if ((many = prepare_rowids (pk, ROWIDS_PER_INSERT)) == NULL || (one = prepare_rowids (pk, 1)) == NULL)
    return ngam_sqlite_set_sql_error (pk->store, error, "cannot write the spatial index");
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
                             "%s: the spatial index lost rows while packing", pk->store->path);
              return FALSE;
            }
          sqlite3_bind_int64 (st, 2 * k + 1, lp.rowid);
          sqlite3_bind_int64 (st, 2 * k + 2, lp.node);
        }
      if (sqlite3_step (st) != SQLITE_DONE)
        return ngam_sqlite_set_sql_error (pk->store, error, "cannot write the spatial index");
    }
  return TRUE;
}

/**
 * ngam_rtree_packer_new:
 * @store: an SQLite store, in a transaction
 * @table: the layer's table, whose R*Tree (idx_@table_geom) is empty
 * @cells: (transfer full): the rows' cells, from ngam_rtree_cells_new()
 * @memory: the budget of each of the packer's sorts, as @cells had
 *
 * Readies the R*Tree for packing: reads its node size and removes its
 * (empty) root, which the packing writes anew.
 *
 * Returns: (transfer full): the packer, or NULL with @error set.
 */
NgamRTreePacker *
ngam_rtree_packer_new (NgamStore    *store,
                       const char   *table,
                       NgamExtSort  *cells,
                       gsize         memory,
                       GError      **error)
{
  g_autofree char *size_sql = g_strdup_printf ("SELECT length(data) FROM idx_%s_geom_node WHERE nodeno = 1", table);
  g_autofree char *clear_sql = g_strdup_printf ("DELETE FROM idx_%s_geom_node", table);
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(NgamRTreePacker) pk = g_new0 (NgamRTreePacker, 1);

  pk->store = store;
  pk->table = g_strdup (table);
  pk->cells = cells;
  pk->memory = memory;
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, size_sql, -1, &st, NULL) != SQLITE_OK ||
      sqlite3_step (st) != SQLITE_ROW)
    return ngam_sqlite_set_sql_error (store, error, "cannot read the spatial index"), NULL;
  pk->node_size = sqlite3_column_int (st, 0);
  if (pk->node_size < 4 + 2 * 24)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_CORRUPT,
                   "%s: the spatial index of %s has a %" G_GSIZE_FORMAT "-byte root node",
                   store->path, table, pk->node_size);
      return NULL;
    }
  g_clear_pointer (&st, sqlite3_finalize);
  if (!ngam_sqlite_exec (store, clear_sql, error))
    return NULL;
  pk->cap = (pk->node_size - 4) / 24;
  pk->scratch = g_malloc (sizeof (SpooledNode) + pk->node_size);
  pk->spool = ngam_ext_sort_new (sizeof (SpooledNode) + pk->node_size, memory / 2,
                                 keep_order, all_equal, NULL);
  pk->leaves = ngam_ext_sort_new (sizeof (LeafPair), memory / 2,
                                  sort_pairs, compare_pairs, NULL);
  return g_steal_pointer (&pk);
}

/* Writes the packed tree: its nodes, their parents, the rows' leaves
 * (after ngam_rtree_packer_run(), on the connection's thread). */
gboolean
ngam_rtree_packer_write (NgamRTreePacker  *pk,
                         GError          **error)
{
  const char *t = pk->table;
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
  if (sqlite3_prepare_v2 (NGAM_SQLITE (pk->store)->db, node_sql, -1, &node, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (NGAM_SQLITE (pk->store)->db, parent_sql, -1, &parent, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (pk->store, error, "cannot write the spatial index");
  while (ngam_ext_sort_next (pk->spool, s, error))
    {
      sqlite3_reset (node);
      sqlite3_bind_int64 (node, 1, s->nodeno);
      sqlite3_bind_blob (node, 2, s->data, pk->node_size, SQLITE_STATIC);
      if (sqlite3_step (node) != SQLITE_DONE)
        return ngam_sqlite_set_sql_error (pk->store, error, "cannot write the spatial index");
      /* an inner node's cells are its children: each one's parent row */
      for (guint i = 0, n = (guint) s->data[2] << 8 | s->data[3]; s->level > 0 && i < n; i++)
        {
          sqlite3_reset (parent);
          sqlite3_bind_int64 (parent, 1, (gint64) get_be64 (s->data + 4 + 24 * i));
          sqlite3_bind_int64 (parent, 2, s->nodeno);
          if (sqlite3_step (parent) != SQLITE_DONE)
            return ngam_sqlite_set_sql_error (pk->store, error, "cannot write the spatial index");
        }
    }
  if (error && *error)
    return FALSE;
  /* the leaf level holds every row */
  return write_rowids (pk, error);
}

/* Rows the packed tree holds (after ngam_rtree_packer_run()). */
guint64
ngam_rtree_packer_get_rows (NgamRTreePacker *pk)
{
  return pk->leaves ? ngam_ext_sort_count (pk->leaves) : 0;
}

/* A sorter of NgamRTreeCell on x, within @memory (runs on disk past it). */
NgamExtSort *
ngam_rtree_cells_new (gsize memory)
{
  return ngam_ext_sort_new (sizeof (NgamRTreeCell), memory, sort_cells_by_x, compare_cells_by_x, NULL);
}

/* The cell of row @id whose box is @bbox (minx, miny, maxx, maxy), rounded
 * outwards as SQLite's R*Tree rounds it. */
void
ngam_rtree_cell_init (NgamRTreeCell *cell,
                      gint64         id,
                      const double  *bbox)
{
  cell->id = id;
  cell->box[0] = round_down (bbox[0]);
  cell->box[1] = round_up (bbox[2]);
  cell->box[2] = round_down (bbox[1]);
  cell->box[3] = round_up (bbox[3]);
}
