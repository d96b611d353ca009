/* ngam-cover-union.c — the union of many circles and sectors, tile by
 * tile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Never a loop of pairwise unions.  Three steps, each exact on the
 * polygons (not on ideal circles):
 *
 * 1. A piece that lies inside an omni cell's polygon is dropped: every
 *    vertex of a piece is within r of its site, and a regular n-gon of
 *    radius R contains the disk of radius R·cos(π/n), so d + r ≤
 *    R·cos(π/n) proves containment.  Exact duplicates are kept once.
 *    Real data is full of both (one site, several cells and carriers).
 * 2. The plane is cut into square tiles holding about union_tile_pieces
 *    pieces each.  A tile inside one omni polygon is that whole tile;
 *    otherwise its pieces are clipped to it (GEOSClipByRect) and unioned
 *    with GEOSUnaryUnion (a cascaded union over an STR-tree).  Tiles run
 *    on every core, each thread with its own GEOS context.
 * 3. The tiles, which meet only along tile edges, are unioned once more.
 *
 * The result is one valid (multi)polygon whose area is that of the union
 * of the pieces' polygons, the same polygons SpatiaLite's
 * ST_Union(ST_Buffer(…)) builds.
 */
#define G_LOG_DOMAIN "ngam-cover"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ngam-cover-private.h"

typedef struct
{
  const CoverPiece *pieces;
  const guint      *keep;        /* indices of the pieces kept */
  guint             n_keep;
  int               q;
  double            x0, y0, s;
  guint             nx, ny;
  const CoverGrid  *grid;        /* over the kept pieces' boxes */
  GEOSGeometry    **polys;       /* per kept piece, built on demand */
  GEOSGeometry    **tiles;       /* per tile, NULL when empty */
  gint              next;        /* next tile to take (atomic) */
  gint              failed;
  GCancellable     *cancellable;
  GMutex            lock;        /* guards polys */
} UnionJob;

static inline double
inner_radius (const CoverPiece *p,
              int               q)
{
  return p->r * cos (G_PI / (4 * q));
}

static GEOSGeometry *
piece_poly (UnionJob *job,
            guint     k)
{
  GEOSGeometry *g;

  g_mutex_lock (&job->lock);
  if (job->polys[k] == NULL)
    job->polys[k] = cover_piece_polygon (&job->pieces[job->keep[k]], job->q);
  g = job->polys[k];
  g_mutex_unlock (&job->lock);
  return g;
}

static GEOSGeometry *
tile_union (UnionJob *job,
            guint     tx,
            guint     ty,
            GArray   *buf)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  double x0 = job->x0 + tx * job->s, y0 = job->y0 + ty * job->s;
  double x1 = job->x0 + (tx + 1) * job->s, y1 = job->y0 + (ty + 1) * job->s;
  double box[4] = { x0, y0, x1, y1 };
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  GEOSGeometry *coll, *u;

  g_array_set_size (buf, 0);
  cover_grid_query (job->grid, box, buf);
  for (guint i = 0; i < buf->len; i++)
    {
      guint k = g_array_index (buf, guint, i);
      const CoverPiece *p = &job->pieces[job->keep[k]];
      double ri;

      if (p->x + p->r <= x0 || p->x - p->r >= x1 || p->y + p->r <= y0 || p->y - p->r >= y1)
        continue;
      ri = inner_radius (p, job->q);
      if (p->bw >= 360 &&
          hypot (MAX (fabs (x0 - p->x), fabs (x1 - p->x)), MAX (fabs (y0 - p->y), fabs (y1 - p->y))) <= ri)
        {
          for (guint j = 0; j < parts->len; j++)
            GEOSGeom_destroy_r (h, g_ptr_array_index (parts, j));
          return GEOSGeom_createRectangle_r (h, x0, y0, x1, y1);
        }
      {
        GEOSGeometry *c = GEOSClipByRect_r (h, piece_poly (job, k), x0, y0, x1, y1);

        if (c == NULL)
          {
            g_atomic_int_set (&job->failed, 1);
            break;
          }
        if (GEOSisEmpty_r (h, c) || GEOSArea_r (h, c, &ri) == 0 || ri <= 0)
          GEOSGeom_destroy_r (h, c);
        else
          g_ptr_array_add (parts, c);
      }
    }
  if (parts->len == 0 || g_atomic_int_get (&job->failed))
    {
      for (guint j = 0; j < parts->len; j++)
        GEOSGeom_destroy_r (h, g_ptr_array_index (parts, j));
      return NULL;
    }
  coll = GEOSGeom_createCollection_r (h, GEOS_GEOMETRYCOLLECTION, (GEOSGeometry **) parts->pdata, parts->len);
  u = GEOSUnaryUnion_r (h, coll);
  GEOSGeom_destroy_r (h, coll);
  if (u == NULL)
    g_atomic_int_set (&job->failed, 1);
  return u;
}

static gpointer
union_worker (gpointer data)
{
  UnionJob *job = data;
  g_autoptr(GArray) buf = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n = job->nx * job->ny;

  while (!g_atomic_int_get (&job->failed))
    {
      guint t = (guint) g_atomic_int_add (&job->next, 1);

      if (t >= n)
        break;
      if (g_cancellable_is_cancelled (job->cancellable))
        break;
      job->tiles[t] = tile_union (job, t % job->nx, t / job->nx, buf);
    }
  return NULL;
}

/* Step 1: the pieces no omni polygon contains, exact duplicates once. */
static GArray *
prune_contained (const CoverPiece *pieces,
                 guint             n,
                 int               q)
{
  g_autoptr(GArray) omni = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) buf = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree double *boxes = NULL;
  GArray *keep = g_array_new (FALSE, FALSE, sizeof (guint));
  CoverGrid *grid;
  double sum_r = 0;

  for (guint i = 0; i < n; i++)
    if (pieces[i].bw >= 360)
      {
        g_array_append_val (omni, i);
        sum_r += pieces[i].r;
      }
  boxes = g_new (double, 4 * MAX (omni->len, 1));
  for (guint k = 0; k < omni->len; k++)
    {
      const CoverPiece *p = &pieces[g_array_index (omni, guint, k)];
      double ri = inner_radius (p, q);

      boxes[4 * k] = p->x - ri;
      boxes[4 * k + 1] = p->y - ri;
      boxes[4 * k + 2] = p->x + ri;
      boxes[4 * k + 3] = p->y + ri;
    }
  grid = cover_grid_new (boxes, omni->len, omni->len ? MAX (sum_r / omni->len, 1) : 1);
  for (guint i = 0; i < n; i++)
    {
      const CoverPiece *p = &pieces[i];
      double pt[4] = { p->x, p->y, p->x, p->y };
      gboolean inside = FALSE;

      g_array_set_size (buf, 0);
      if (omni->len)
        cover_grid_query (grid, pt, buf);
      for (guint k = 0; k < buf->len && !inside; k++)
        {
          guint j = g_array_index (omni, guint, g_array_index (buf, guint, k));
          const CoverPiece *o = &pieces[j];

          if (j == i)
            continue;
          if (o->x == p->x && o->y == p->y && o->r == p->r && p->bw >= 360)
            inside = j < i;   /* the same polygon: keep the first */
          else
            inside = hypot (o->x - p->x, o->y - p->y) + p->r <= inner_radius (o, q);
        }
      if (!inside)
        g_array_append_val (keep, i);
    }
  cover_grid_free (grid);
  return keep;
}

/**
 * cover_union_pieces:
 * @tile_pieces: pieces per tile, on average
 *
 * Returns: (transfer full): the union as a valid GEOS (multi)polygon (an
 *   empty one for no pieces), or NULL with @error set.
 */
GEOSGeometry *
cover_union_pieces (const CoverPiece *pieces,
                    guint             n,
                    int               q,
                    double            tile_pieces,
                    GCancellable     *cancellable,
                    GError          **error)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  g_autoptr(GArray) keep = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autofree double *boxes = NULL;
  UnionJob job = { 0 };
  double ext[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY }, area_sum = 0;
  GEOSGeometry *coll, *u;
  guint n_threads, n_tiles;
  GThread *threads[8];

  if (n == 0)
    return GEOSGeom_createEmptyPolygon_r (h);
  keep = prune_contained (pieces, n, q);
  boxes = g_new (double, 4 * keep->len);
  for (guint k = 0; k < keep->len; k++)
    {
      const CoverPiece *p = &pieces[g_array_index (keep, guint, k)];

      boxes[4 * k] = p->x - p->r;
      boxes[4 * k + 1] = p->y - p->r;
      boxes[4 * k + 2] = p->x + p->r;
      boxes[4 * k + 3] = p->y + p->r;
      ext[0] = MIN (ext[0], boxes[4 * k]);
      ext[1] = MIN (ext[1], boxes[4 * k + 1]);
      ext[2] = MAX (ext[2], boxes[4 * k + 2]);
      ext[3] = MAX (ext[3], boxes[4 * k + 3]);
      area_sum += 4 * p->r * p->r;
    }
  job.pieces = pieces;
  job.keep = (const guint *) keep->data;
  job.n_keep = keep->len;
  job.q = q;
  /* tiles of about tile_pieces pieces' worth of area, but not more than
   * the extent holds */
  job.s = sqrt (MAX ((ext[2] - ext[0]) * (ext[3] - ext[1]), area_sum / keep->len) * tile_pieces / keep->len);
  job.s = MAX (job.s, 1e-3 * MAX (ext[2] - ext[0], ext[3] - ext[1]));
  job.x0 = ext[0];
  job.y0 = ext[1];
  job.nx = (guint) MAX (1, ceil ((ext[2] - ext[0]) / job.s));
  job.ny = (guint) MAX (1, ceil ((ext[3] - ext[1]) / job.s));
  n_tiles = job.nx * job.ny;
  job.grid = cover_grid_new (boxes, keep->len, job.s);
  job.polys = g_new0 (GEOSGeometry *, keep->len);
  job.tiles = g_new0 (GEOSGeometry *, n_tiles);
  job.cancellable = cancellable;
  g_mutex_init (&job.lock);

  n_threads = CLAMP (g_get_num_processors (), 1, G_N_ELEMENTS (threads));
  n_threads = MIN (n_threads, MAX (1, n_tiles / 4));
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_new ("cover-union", union_worker, &job);
  union_worker (&job);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);

  for (guint k = 0; k < keep->len; k++)
    if (job.polys[k])
      GEOSGeom_destroy_r (h, job.polys[k]);
  g_free (job.polys);
  cover_grid_free ((CoverGrid *) job.grid);
  g_mutex_clear (&job.lock);
  for (guint t = 0; t < n_tiles; t++)
    if (job.tiles[t])
      g_ptr_array_add (parts, job.tiles[t]);
  g_free (job.tiles);

  if (job.failed || g_cancellable_is_cancelled (cancellable))
    {
      for (guint i = 0; i < parts->len; i++)
        GEOSGeom_destroy_r (h, g_ptr_array_index (parts, i));
      if (job.failed)
        cover_geos_fail (error, _("the union of the coverage areas"));
      else
        g_set_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_CANCELLED, _("the coverage analysis was cancelled"));
      return NULL;
    }
  if (parts->len == 0)
    return GEOSGeom_createEmptyPolygon_r (h);
  coll = GEOSGeom_createCollection_r (h, GEOS_GEOMETRYCOLLECTION, (GEOSGeometry **) parts->pdata, parts->len);
  u = GEOSUnaryUnion_r (h, coll);
  GEOSGeom_destroy_r (h, coll);
  if (u == NULL)
    {
      cover_geos_fail (error, _("the union of the coverage areas"));
      return NULL;
    }
  return u;
}
