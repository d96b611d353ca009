/* ngam-cover-grid.c — a uniform grid over boxes: which cells, which
 * demand points, which candidates lie near a place
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Counting sort into cells (two passes, no per-cell allocation).  Boxes
 * that would span more than BIG_CELLS cells (OpenCelliD has GSM cells of
 * hundreds of kilometres) are kept aside and checked on every query, so
 * one huge box costs a comparison and not thousands of cell entries.
 * A query reports a box once, from the first cell of the query that the
 * box also covers, so answers need neither sorting nor a visited set (and
 * threads may query one grid at once).
 */
#define G_LOG_DOMAIN "ngam-cover"

#include "config.h"

#include "ngam-cover-private.h"

#define BIG_CELLS 256

static void
cell_range (const CoverGrid *g,
            const double     b[4],
            guint           *x0,
            guint           *y0,
            guint           *x1,
            guint           *y1)
{
  *x0 = (guint) CLAMP (floor ((b[0] - g->x0) / g->cs), 0, g->nx - 1);
  *y0 = (guint) CLAMP (floor ((b[1] - g->y0) / g->cs), 0, g->ny - 1);
  *x1 = (guint) CLAMP (floor ((b[2] - g->x0) / g->cs), 0, g->nx - 1);
  *y1 = (guint) CLAMP (floor ((b[3] - g->y0) / g->cs), 0, g->ny - 1);
}

/* @boxes: 4 × @n doubles (minx, miny, maxx, maxy). */
CoverGrid *
cover_grid_new (const double *boxes,
                guint         n,
                double        cell_size)
{
  CoverGrid *g = g_new0 (CoverGrid, 1);
  double ext[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };
  g_autofree guint8 *is_big = g_new0 (guint8, MAX (n, 1));
  g_autoptr(GArray) big = g_array_new (FALSE, FALSE, sizeof (guint));
  gsize n_cells;

  for (guint i = 0; i < n; i++)
    {
      const double *b = boxes + 4 * i;

      ext[0] = MIN (ext[0], b[0]);
      ext[1] = MIN (ext[1], b[1]);
      ext[2] = MAX (ext[2], b[2]);
      ext[3] = MAX (ext[3], b[3]);
    }
  if (n == 0)
    ext[0] = ext[1] = ext[2] = ext[3] = 0;
  g->cs = cell_size > 0 ? cell_size : 1;
  /* at most about 4 M cells */
  while ((ext[2] - ext[0]) / g->cs * (ext[3] - ext[1]) / g->cs > 4e6)
    g->cs *= 2;
  g->x0 = ext[0];
  g->y0 = ext[1];
  g->nx = (guint) MAX (1, ceil ((ext[2] - ext[0]) / g->cs + 1e-9));
  g->ny = (guint) MAX (1, ceil ((ext[3] - ext[1]) / g->cs + 1e-9));
  n_cells = (gsize) g->nx * g->ny;
  g->cell_start = g_new0 (guint, n_cells + 1);
  for (guint i = 0; i < n; i++)
    {
      guint x0, y0, x1, y1;

      cell_range (g, boxes + 4 * i, &x0, &y0, &x1, &y1);
      if ((guint64) (x1 - x0 + 1) * (y1 - y0 + 1) > BIG_CELLS)
        {
          is_big[i] = 1;
          g_array_append_val (big, i);
          continue;
        }
      for (guint y = y0; y <= y1; y++)
        for (guint x = x0; x <= x1; x++)
          g->cell_start[(gsize) y * g->nx + x + 1]++;
    }
  for (gsize c = 0; c < n_cells; c++)
    g->cell_start[c + 1] += g->cell_start[c];
  g->items = g_new (guint, MAX (g->cell_start[n_cells], 1));
  {
    g_autofree guint *fill = g_memdup2 (g->cell_start, n_cells * sizeof (guint));

    for (guint i = 0; i < n; i++)
      {
        guint x0, y0, x1, y1;

        if (is_big[i])
          continue;
        cell_range (g, boxes + 4 * i, &x0, &y0, &x1, &y1);
        for (guint y = y0; y <= y1; y++)
          for (guint x = x0; x <= x1; x++)
            g->items[fill[(gsize) y * g->nx + x]++] = i;
      }
  }
  g->first = g_new (guint, 2 * MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      guint x0, y0, x1, y1;

      cell_range (g, boxes + 4 * i, &x0, &y0, &x1, &y1);
      g->first[2 * i] = x0;
      g->first[2 * i + 1] = y0;
    }
  g->n_big = big->len;
  g->big = (guint *) g_array_free (g_steal_pointer (&big), FALSE);
  return g;
}

void
cover_grid_free (CoverGrid *g)
{
  if (g == NULL)
    return;
  g_free (g->cell_start);
  g_free (g->items);
  g_free (g->big);
  g_free (g->first);
  g_free (g);
}

void
cover_grid_query (const CoverGrid *g,
                  const double     bbox[4],
                  GArray          *out)
{
  guint x0, y0, x1, y1;

  if (!(bbox[2] < g->x0 || bbox[3] < g->y0 || bbox[0] > g->x0 + g->nx * g->cs ||
        bbox[1] > g->y0 + g->ny * g->cs))
    {
      cell_range (g, bbox, &x0, &y0, &x1, &y1);
      for (guint y = y0; y <= y1; y++)
        for (guint x = x0; x <= x1; x++)
          {
            gsize c = (gsize) y * g->nx + x;

            for (guint k = g->cell_start[c]; k < g->cell_start[c + 1]; k++)
              {
                guint i = g->items[k];

                if (x == MAX (g->first[2 * i], x0) && y == MAX (g->first[2 * i + 1], y0))
                  g_array_append_val (out, i);
              }
          }
    }
  if (g->n_big)
    g_array_append_vals (out, g->big, g->n_big);
}
