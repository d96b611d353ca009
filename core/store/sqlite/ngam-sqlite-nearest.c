/* ngam-sqlite-nearest.c — the nearest feature of a layer, for snapping
 * span ends to poles as an import reads them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The backend's part of snapping: the points come from the layer's table
 * and its R*Tree (its extent, and a tile's points by one query), so this
 * file is the SQLite backend's, behind ngam-store-sync.h.
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-sqlite-private.h"
#include "ngam-store-sync.h"

static gboolean
prepare (NgamStore *store, const char *sql, sqlite3_stmt **st, GError **error)
{
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, sql, -1, st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot prepare the import");
  return TRUE;
}

/* The live points of a layer within the run's extent, for snapping span
 * ends to poles with no query per end.  Up to max_points (28 bytes each)
 * they are loaded once into one uniform grid (cells about the mean
 * spacing, so a lookup reads a few cells of about one point each).  Past
 * it the layer is cut into square tiles, each loaded when a lookup first
 * needs it by one query of the R*Tree, into a grid of its own, and kept in
 * a least-recently-used list of at most max_points points: spans arrive
 * more or less along the streets, so the tiles about the current one are
 * the ones needed.  The tiles are small, max_points / 256 points each for
 * the layer's mean density, so that the list holds a few hundred of them
 * and a street's tiles are still there when the next street passes by: in
 * the 10^6 town (3.5·10^6 poles, 7.9·10^6 spans in the generator's order)
 * tiles of 3.3 km are read 1,529 times, each pole once, where 16 tiles of
 * 9 km (a budget of 2^18, 16 tiles) were read 10,097 times, every pole 52
 * times over: 176 s of the reader's CPU instead of about 4 (a simulation
 * of the list on the spans' order agrees with the runs' logs).
 * A tile holding more than a quarter of the budget halves the tiles (all
 * dropped): a dense town centre cannot overflow it.  Every point belongs
 * to exactly one tile (its lower-left corner's), and a lookup reads every
 * tile its tolerance square touches, so the answer is the one grid's, to
 * the fid. */
typedef struct
{
  gsize    n;
  double   x0, y0, cell;
  guint    nx, ny;
  guint32 *start;     /* nx × ny + 1 offsets into xy and fid, by cell */
  double  *xy;
  gint64  *fid;
} Grid;

typedef struct
{
  guint64 key;        /* ty × ntx + tx */
  Grid    grid;
  GList   link;       /* in the LRU queue, data the tile */
} Tile;

typedef struct _NgamSqliteNearest NgamSqliteNearest;

struct _NgamSqliteNearest
{
  NgamStoreNearest parent;    /* first: the store, and so its backend */
  gboolean      any;          /* the layer has live features */
  gsize         max_points;
  Grid          grid;         /* all of them, when not tiled */
  gboolean      tiled;
  sqlite3_stmt *tile_query;
  GMutex       *lock;         /* taken around tile queries */
  double        bbox[4];      /* points outside do not count */
  double        x0, y0, side; /* tiles */
  guint64       ntx, nty;
  GHashTable   *tiles;        /* key → Tile */
  GQueue        lru;          /* most recently used first */
  Tile         *last;         /* the last tile a lookup read */
  gsize         in_memory;    /* points in the tiles kept */
  gsize         loads;        /* tile queries made */
  NgamShape    *shape;
};

static void
free_nearest (NgamSqliteNearest *self)
{
  ngam_sqlite_nearest_free ((NgamStoreNearest *) self);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamSqliteNearest, free_nearest)

typedef struct
{
  gint64 fid;
  double x, y;
} NearPoint;

/* The cell of (x, y), clamped to one cell beyond the grid on each side
 * (so that any tolerance stays an integer range). */
static void
grid_cell (const Grid *g, double x, double y, gint64 *ix, gint64 *iy)
{
  double fx = floor ((x - g->x0) / g->cell), fy = floor ((y - g->y0) / g->cell);

  *ix = (gint64) CLAMP (fx, -1.0, (double) g->nx);
  *iy = (gint64) CLAMP (fy, -1.0, (double) g->ny);
}

static void
grid_clear (Grid *g)
{
  g_free (g->start);
  g_free (g->xy);
  g_free (g->fid);
  memset (g, 0, sizeof *g);
}

static void
grid_build (Grid *g, const NearPoint *p, gsize n)
{
  double bbox[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };
  double w, h;
  gsize cells;
  g_autofree guint32 *fill = NULL;

  g->n = n;
  if (n == 0)
    return;
  for (gsize i = 0; i < n; i++)
    {
      bbox[0] = MIN (bbox[0], p[i].x);
      bbox[1] = MIN (bbox[1], p[i].y);
      bbox[2] = MAX (bbox[2], p[i].x);
      bbox[3] = MAX (bbox[3], p[i].y);
    }
  w = bbox[2] - bbox[0];
  h = bbox[3] - bbox[1];
  g->x0 = bbox[0];
  g->y0 = bbox[1];
  g->cell = sqrt (MAX (w * h, 1e-6) / n);
  if (!(g->cell > 0) || !isfinite (g->cell))
    g->cell = 1.0;
  /* a long thin extent would make too many cells: coarser, then */
  while ((w / g->cell + 1) * (h / g->cell + 1) > 4.0 * n + 64)
    g->cell *= 2;
  g->nx = (guint) (w / g->cell) + 1;
  g->ny = (guint) (h / g->cell) + 1;
  cells = (gsize) g->nx * g->ny;
  g->start = g_new0 (guint32, cells + 1);
  g->xy = g_new (double, 2 * n);
  g->fid = g_new (gint64, n);
  /* counting sort by cell */
  for (gsize i = 0; i < n; i++)
    {
      gint64 ix, iy;

      grid_cell (g, p[i].x, p[i].y, &ix, &iy);
      ix = CLAMP (ix, 0, (gint64) g->nx - 1);
      iy = CLAMP (iy, 0, (gint64) g->ny - 1);
      g->start[iy * g->nx + ix + 1]++;
    }
  for (gsize c = 0; c < cells; c++)
    g->start[c + 1] += g->start[c];
  fill = g_memdup2 (g->start, sizeof (guint32) * cells);
  for (gsize i = 0; i < n; i++)
    {
      gint64 ix, iy;
      guint32 k;

      grid_cell (g, p[i].x, p[i].y, &ix, &iy);
      ix = CLAMP (ix, 0, (gint64) g->nx - 1);
      iy = CLAMP (iy, 0, (gint64) g->ny - 1);
      k = fill[iy * g->nx + ix]++;
      g->xy[2 * k] = p[i].x;
      g->xy[2 * k + 1] = p[i].y;
      g->fid[k] = p[i].fid;
    }
}

/* The nearest point of @g within @tolerance of (x, y) if nearer than
 * *best (or as near, with a lower fid): updates the out values. */
static void
grid_find (const Grid *g,
           double      x,
           double      y,
           double      tolerance,
           double     *best,
           gint64     *fid,
           double     *px,
           double     *py)
{
  gint64 ix0, iy0, ix1, iy1;

  if (g->n == 0)
    return;
  grid_cell (g, x - tolerance, y - tolerance, &ix0, &iy0);
  grid_cell (g, x + tolerance, y + tolerance, &ix1, &iy1);
  if (ix1 < 0 || iy1 < 0 || ix0 >= (gint64) g->nx || iy0 >= (gint64) g->ny)
    return;
  ix0 = MAX (ix0, 0);
  iy0 = MAX (iy0, 0);
  ix1 = MIN (ix1, (gint64) g->nx - 1);
  iy1 = MIN (iy1, (gint64) g->ny - 1);
  for (gint64 iy = iy0; iy <= iy1; iy++)
    for (gint64 ix = ix0; ix <= ix1; ix++)
      {
        gsize c = (gsize) iy * g->nx + (gsize) ix;

        for (guint32 k = g->start[c]; k < g->start[c + 1]; k++)
          {
            double d = hypot (g->xy[2 * k] - x, g->xy[2 * k + 1] - y);

            if (d <= tolerance && (d < *best || (d == *best && g->fid[k] < *fid)))
              {
                *best = d;
                *fid = g->fid[k];
                *px = g->xy[2 * k];
                *py = g->xy[2 * k + 1];
              }
          }
      }
}

/* The extent of a layer's R*Tree from its root node alone (the union of
 * its cells, in the node format of SQLite's ext/rtree/rtree.c: a 2-byte
 * depth, a 2-byte count, then 8-byte ids and four big-endian floats).
 * FALSE when the layer is empty. */
static gboolean
rtree_extent (NgamStore   *store,
              const char  *table,
              double       extent[4],
              GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT data FROM idx_%s_geom_node WHERE nodeno = 1", table);
  g_autoptr(sqlite3_stmt) st = NULL;
  const guint8 *p;
  gsize len;
  guint n;

  extent[0] = extent[1] = INFINITY;
  extent[2] = extent[3] = -INFINITY;
  if (!prepare (store, sql, &st, error))
    return FALSE;
  if (sqlite3_step (st) != SQLITE_ROW)
    return FALSE;
  p = sqlite3_column_blob (st, 0);
  len = sqlite3_column_bytes (st, 0);
  if (p == NULL || len < 4)
    return FALSE;
  n = (guint) p[2] << 8 | p[3];
  for (guint i = 0; i < n && 4 + 24 * (i + 1) <= len; i++)
    {
      float box[4];

      for (int k = 0; k < 4; k++)
        {
          const guint8 *q = p + 4 + 24 * i + 8 + 4 * k;
          guint32 u = (guint32) q[0] << 24 | (guint32) q[1] << 16 | (guint32) q[2] << 8 | q[3];

          memcpy (&box[k], &u, 4);
        }
      extent[0] = MIN (extent[0], box[0]);
      extent[2] = MAX (extent[2], box[1]);
      extent[1] = MIN (extent[1], box[2]);
      extent[3] = MAX (extent[3], box[3]);
    }
  return n > 0;
}

/* The highest fid of a layer: no fewer rows than its live ones (rows are
 * retired, never deleted by an import), found in the table's last page. */
static gint64
max_fid (NgamStore *store, const char *table, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT max(fid) FROM %s", table);
  g_autoptr(sqlite3_stmt) st = NULL;

  if (!prepare (store, sql, &st, error))
    return -1;
  if (sqlite3_step (st) != SQLITE_ROW)
    return ngam_sqlite_set_sql_error (store, error, "cannot read the layer to snap to"), -1;
  return sqlite3_column_int64 (st, 0);
}

/* Reads the point of the current row of @st (fid, geom) into @p: FALSE
 * when it has none or lies outside @bbox. */
static gboolean
row_point (sqlite3_stmt *st, NgamShape *shape, const double *bbox, NearPoint *p)
{
  const void *blob = sqlite3_column_blob (st, 1);

  if (blob == NULL || !ngam_shape_from_spatialite (shape, blob, sqlite3_column_bytes (st, 1), NULL) ||
      shape->n_points == 0)
    return FALSE;
  p->fid = sqlite3_column_int64 (st, 0);
  p->x = shape->xy[0];
  p->y = shape->xy[1];
  return !(p->x < bbox[0] || p->x > bbox[2] || p->y < bbox[1] || p->y > bbox[3]);
}

/* Tiles of side @side from (x0, y0) over @region. */
static void
tiles_layout (NgamSqliteNearest *n, const double region[4], double side)
{
  n->side = side;
  n->x0 = region[0];
  n->y0 = region[1];
  n->ntx = (guint64) floor ((region[2] - region[0]) / side) + 1;
  n->nty = (guint64) floor ((region[3] - region[1]) / side) + 1;
}

static void
tile_free (gpointer data)
{
  Tile *t = data;

  grid_clear (&t->grid);
  g_free (t);
}

static void
tiles_drop (NgamSqliteNearest *n)
{
  g_hash_table_remove_all (n->tiles);
  g_queue_init (&n->lru);
  n->in_memory = 0;
  n->last = NULL;
}

/* The tile column (or row) of coordinate @v, clamped to the tiles. */
static guint64
tile_index (double v, double origin, double side, guint64 count)
{
  double f = floor ((v - origin) / side);

  return (guint64) CLAMP (f, 0.0, (double) (count - 1));
}

/* Loads tile (tx, ty) and puts it first in the LRU list, dropping the
 * least recently used ones past the budget.  NULL with @error set on a
 * failure; NULL with *@smaller set when the tile was too full and the
 * tiles were made smaller (the caller starts again). */
static Tile *
tile_load (NgamSqliteNearest *n, guint64 tx, guint64 ty, gboolean *smaller, GError **error)
{
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (NearPoint));
  /* the R*Tree's boxes are floats rounded outwards, and a point exactly
   * on a tile's edge must be found from both sides: a query a little
   * wider, then each point kept by the tile it falls in */
  double margin = 1e-9 * (n->side + fabs (n->x0) + fabs (n->y0));
  double q[4] = {
    tx == 0 ? -INFINITY : n->x0 + tx * n->side - margin,
    ty == 0 ? -INFINITY : n->y0 + ty * n->side - margin,
    tx + 1 == n->ntx ? INFINITY : n->x0 + (tx + 1) * n->side + margin,
    ty + 1 == n->nty ? INFINITY : n->y0 + (ty + 1) * n->side + margin,
  };
  Tile *t;
  int rc;

  if (n->lock)
    g_mutex_lock (n->lock);
  sqlite3_reset (n->tile_query);
  for (int i = 0; i < 4; i++)
    sqlite3_bind_double (n->tile_query, i + 1, q[i]);
  while ((rc = sqlite3_step (n->tile_query)) == SQLITE_ROW)
    {
      NearPoint p;

      if (row_point (n->tile_query, n->shape, n->bbox, &p) &&
          tile_index (p.x, n->x0, n->side, n->ntx) == tx && tile_index (p.y, n->y0, n->side, n->nty) == ty)
        g_array_append_val (points, p);
    }
  sqlite3_reset (n->tile_query);
  if (rc != SQLITE_DONE)
    ngam_sqlite_set_sql_error (n->parent.store, error, "cannot read the layer to snap to");
  if (n->lock)
    g_mutex_unlock (n->lock);
  if (rc != SQLITE_DONE)
    return NULL;
  n->loads++;
  if (points->len > n->max_points / 4 && n->side >= 2.0)
    {
      double region[4] = { n->x0, n->y0, n->x0 + n->ntx * n->side, n->y0 + n->nty * n->side };

      g_debug ("a tile of %.0f m holds %u points: tiles of %.0f m", n->side, points->len, n->side / 2);
      tiles_drop (n);
      tiles_layout (n, region, n->side / 2);
      *smaller = TRUE;
      return NULL;
    }
  while (n->in_memory + points->len > n->max_points && n->lru.tail)
    {
      Tile *old = n->lru.tail->data;

      g_queue_unlink (&n->lru, &old->link);
      n->in_memory -= old->grid.n;
      if (n->last == old)
        n->last = NULL;
      g_hash_table_remove (n->tiles, &old->key);
    }
  t = g_new0 (Tile, 1);
  t->key = ty * n->ntx + tx;
  t->link.data = t;
  grid_build (&t->grid, (const NearPoint *) points->data, points->len);
  g_hash_table_insert (n->tiles, &t->key, t);
  g_queue_push_head_link (&n->lru, &t->link);
  n->in_memory += t->grid.n;
  return t;
}

static Tile *
tile_get (NgamSqliteNearest *n, guint64 tx, guint64 ty, gboolean *smaller, GError **error)
{
  guint64 key = ty * n->ntx + tx;
  Tile *t = g_hash_table_lookup (n->tiles, &key);

  if (t == NULL)
    return tile_load (n, tx, ty, smaller, error);
  if (n->lru.head != &t->link)
    {
      g_queue_unlink (&n->lru, &t->link);
      g_queue_push_head_link (&n->lru, &t->link);
    }
  return t;
}

/* Switches @n to tiles over @region, for about @estimate points there;
 * of side @side, unless 0. */
static gboolean
tiles_begin (NgamSqliteNearest  *n,
             const char         *table,
             const double        region[4],
             double              estimate,
             double              side,
             GError            **error)
{
  double w = MAX (region[2] - region[0], 1.0), h = MAX (region[3] - region[1], 1.0);
  double per_tile = MAX (n->max_points / 256, 1);
  /* the R*Tree's ids first, then the rows in fid order: a tile's poles
   * are near each other in the table too (half the time of reading them
   * in the R*Tree's order) */
  g_autofree char *sql = g_strdup_printf ("SELECT fid, geom FROM %s WHERE fid IN (SELECT pkid FROM idx_%s_geom"
                                          " WHERE xmin <= ?3 AND xmax >= ?1 AND ymin <= ?4 AND ymax >= ?2)"
                                          " AND retired = 0", table, table);

  if (!(side > 0))
    side = sqrt (w * h * per_tile / MAX (estimate, 1.0));
  /* at least a metre, and no more than 2^40 tiles to number */
  side = MAX (side, MAX (1.0, MAX (w, h) / 1048576.0));
  if (!prepare (n->parent.store, sql, &n->tile_query, error))
    return FALSE;
  n->tiled = TRUE;
  n->tiles = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, tile_free);
  g_queue_init (&n->lru);
  tiles_layout (n, region, side);
  g_debug ("%s: about %.0f points, more than %" G_GSIZE_FORMAT ": tiles of %.0f m, %" G_GUINT64_FORMAT " × %"
           G_GUINT64_FORMAT, table, estimate, n->max_points, side, n->ntx, n->nty);
  return TRUE;
}

/**
 * ngam_store_nearest_new_limited:
 * @kind: a point layer
 * @bbox: (nullable): only the features within it (minx, miny, maxx,
 *   maxy) count; %NULL: the whole layer
 * @max_points: how many points may be in memory at once (at least 1):
 *   more, and tiles load on demand
 * @tile_side: the tiles' side, or 0 to choose it from the layer's density
 *   (for tests)
 *
 * The live features of a point layer, for snapping span ends to poles.
 */
NgamStoreNearest *
ngam_sqlite_nearest_new_limited (NgamStore      *store,
                                 NgamLayerKind   kind,
                                 const double   *bbox,
                                 gsize           max_points,
                                 double          tile_side,
                                 GError        **error)
{
  g_autoptr(NgamSqliteNearest) n = g_new0 (NgamSqliteNearest, 1);
  const char *t = ngam_layer_info (kind)->name;
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (NearPoint));
  double extent[4], region[4], estimate;
  gboolean scan, overflow = FALSE;
  gint64 top;
  int rc;

  n->parent.store = store;
  n->max_points = MAX (max_points, 1);
  n->shape = ngam_shape_new ();
  if (!rtree_extent (store, t, extent, error))
    {
      if (error && *error)
        return NULL;
      return (NgamStoreNearest *) g_steal_pointer (&n);   /* nothing to load */
    }
  if (bbox)
    memcpy (n->bbox, bbox, sizeof n->bbox);
  else
    n->bbox[0] = n->bbox[1] = -INFINITY, n->bbox[2] = n->bbox[3] = INFINITY;
  region[0] = MAX (n->bbox[0], extent[0]);
  region[1] = MAX (n->bbox[1], extent[1]);
  region[2] = MIN (n->bbox[2], extent[2]);
  region[3] = MIN (n->bbox[3], extent[3]);
  if (region[2] < region[0] || region[3] < region[1])
    return (NgamStoreNearest *) g_steal_pointer (&n);   /* the layer is elsewhere */
  /* How many points the region holds, if they are spread as evenly as
   * the layer's: from the highest fid, no query of the rows. */
  if ((top = max_fid (store, t, error)) < 0)
    return NULL;
  {
    double area = MAX (extent[2] - extent[0], 1.0) * MAX (extent[3] - extent[1], 1.0);
    double part = MAX (region[2] - region[0], 1.0) * MAX (region[3] - region[1], 1.0);

    estimate = (double) top * MIN (part / area, 1.0);
    /* Where the box holds much of the layer, reading the table in order
     * beats fetching rows in the R*Tree's order, page by page again. */
    scan = part >= area / 4;
  }
  if (estimate > n->max_points)
    {
      if (!tiles_begin (n, t, region, estimate, tile_side, error))
        return NULL;
      goto any;
    }
  if (scan)
    sql = g_strdup_printf ("SELECT fid, geom FROM %s WHERE retired = 0", t);
  else
    /* Driven from the R*Tree: an IN (subquery) lets SQLite pick the table
     * first on some plans. */
    sql = g_strdup_printf ("SELECT p.fid, p.geom FROM idx_%s_geom AS r CROSS JOIN %s AS p"
                           " ON p.fid = r.pkid WHERE r.xmin <= ?3 AND r.xmax >= ?1"
                           " AND r.ymin <= ?4 AND r.ymax >= ?2 AND p.retired = 0", t, t);
  if (!prepare (store, sql, &st, error))
    return NULL;
  if (!scan)
    for (int i = 0; i < 4; i++)
      sqlite3_bind_double (st, i + 1, n->bbox[i]);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      NearPoint p;

      n->any = TRUE;
      if (!row_point (st, n->shape, n->bbox, &p))
        continue;
      if (points->len == n->max_points)
        {
          /* more than the layer's spread promised */
          overflow = TRUE;
          break;
        }
      g_array_append_val (points, p);
    }
  if (!overflow && rc != SQLITE_DONE)
    return ngam_sqlite_set_sql_error (store, error, "cannot read the layer to snap to"), NULL;
  g_clear_pointer (&st, sqlite3_finalize);
  if (overflow)
    {
      g_array_set_size (points, 0);
      if (!tiles_begin (n, t, region, MAX (estimate, 4.0 * n->max_points), tile_side, error))
        return NULL;
    }
  else
    grid_build (&n->grid, (const NearPoint *) points->data, points->len);

any:
  if (!n->any)
    {
      g_autofree char *exists = g_strdup_printf ("SELECT EXISTS (SELECT 1 FROM %s WHERE retired = 0)", t);

      if (!prepare (store, exists, &st, error))
        return NULL;
      if (sqlite3_step (st) != SQLITE_ROW)
        return ngam_sqlite_set_sql_error (store, error, "cannot read the layer to snap to"), NULL;
      n->any = sqlite3_column_int (st, 0) != 0;
    }
  return (NgamStoreNearest *) g_steal_pointer (&n);
}

/**
 * ngam_store_nearest_new:
 *
 * ngam_store_nearest_new_limited() with %NGAM_STORE_NEAREST_MAX_POINTS.
 */
NgamStoreNearest *
ngam_sqlite_nearest_new (NgamStore      *store,
                         NgamLayerKind   kind,
                         const double   *bbox,
                         GError        **error)
{
  return ngam_sqlite_nearest_new_limited (store, kind, bbox, NGAM_STORE_NEAREST_MAX_POINTS, 0, error);
}

/**
 * ngam_store_nearest_set_lock:
 * @lock: (nullable): held by whoever else uses the store meanwhile
 *
 * Lookups that load a tile query the store: with @lock set they take it
 * first, so that another thread may use the store's connection between
 * them (the import's writer).
 */
void
ngam_sqlite_nearest_set_lock (NgamStoreNearest *self,
                              GMutex           *lock)
{
  NgamSqliteNearest *n = (NgamSqliteNearest *) self;
  n->lock = lock;
}

/* TRUE when the layer has live features (loaded or not). */
gboolean
ngam_sqlite_nearest_any (const NgamStoreNearest *self)
{
  const NgamSqliteNearest *n = (const NgamSqliteNearest *) self;
  return n->any;
}

/* Points in memory now. */
gsize
ngam_sqlite_nearest_loaded (const NgamStoreNearest *self)
{
  const NgamSqliteNearest *n = (const NgamSqliteNearest *) self;
  return n->tiled ? n->in_memory : n->grid.n;
}

/* TRUE when tiles load on demand; @loads: (out) (optional): how many
 * tile queries were made so far; @side: (out) (optional): the tiles'
 * side now. */
gboolean
ngam_sqlite_nearest_is_tiled (const NgamStoreNearest *self,
                              gsize                  *loads,
                              double                 *side)
{
  const NgamSqliteNearest *n = (const NgamSqliteNearest *) self;
  if (loads)
    *loads = n->loads;
  if (side)
    *side = n->side;
  return n->tiled;
}

/**
 * ngam_store_nearest_find:
 * @fid: (out): the nearest feature within @tolerance, or 0 when none (of
 *   equally near ones, the lowest fid)
 * @px, @py: (out): its first vertex
 * @distance: (out): how far it is
 *
 * Safe to call from several threads at once when not tiled
 * (ngam_store_nearest_is_tiled()); tiled, from one at a time.
 *
 * Returns: FALSE with @error set when a tile could not be read.
 */
gboolean
ngam_sqlite_nearest_find (NgamStoreNearest  *self,
                          double             x,
                          double             y,
                          double             tolerance,
                          gint64            *fid,
                          double            *px,
                          double            *py,
                          double            *distance,
                          GError           **error)
{
  NgamSqliteNearest *n = (NgamSqliteNearest *) self;
  double best = INFINITY;
  guint64 tx0, ty0, tx1, ty1;

  *fid = 0;
  if (!(tolerance >= 0) || !isfinite (x) || !isfinite (y))
    return TRUE;
  if (!n->tiled)
    {
      grid_find (&n->grid, x, y, tolerance, &best, fid, px, py);
      if (*fid)
        *distance = best;
      return TRUE;
    }
again:
  if (x + tolerance < n->x0 || y + tolerance < n->y0 ||
      x - tolerance > n->x0 + n->ntx * n->side || y - tolerance > n->y0 + n->nty * n->side)
    return TRUE;
  tx0 = tile_index (x - tolerance, n->x0, n->side, n->ntx);
  ty0 = tile_index (y - tolerance, n->y0, n->side, n->nty);
  tx1 = tile_index (x + tolerance, n->x0, n->side, n->ntx);
  ty1 = tile_index (y + tolerance, n->y0, n->side, n->nty);
  /* most lookups fall in the tile of the one before */
  if (tx0 == tx1 && ty0 == ty1 && n->last && n->last->key == ty0 * n->ntx + tx0)
    {
      grid_find (&n->last->grid, x, y, tolerance, &best, fid, px, py);
      if (*fid)
        *distance = best;
      return TRUE;
    }
  for (guint64 ty = ty0; ty <= ty1; ty++)
    for (guint64 tx = tx0; tx <= tx1; tx++)
      {
        gboolean smaller = FALSE;
        Tile *t = tile_get (n, tx, ty, &smaller, error);

        if (t == NULL)
          {
            if (!smaller)
              return FALSE;
            /* the tiles were made smaller: start again */
            best = INFINITY;
            *fid = 0;
            goto again;
          }
        grid_find (&t->grid, x, y, tolerance, &best, fid, px, py);
        n->last = t;
      }
  if (*fid)
    *distance = best;
  return TRUE;
}

void
ngam_sqlite_nearest_free (NgamStoreNearest *self)
{
  NgamSqliteNearest *n = (NgamSqliteNearest *) self;
  if (n == NULL)
    return;
  grid_clear (&n->grid);
  if (n->tiles)
    g_hash_table_unref (n->tiles);
  sqlite3_finalize (n->tile_query);
  ngam_shape_free (n->shape);
  g_free (n);
}
