/* ngam-graph.c — the compact graph: allocation, adjacency, components and
 * a grid index of the edges for locating points
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nodes and edges are plain integers and every attribute lives in one
 * array per field (CSR adjacency, as Boost and igraph store graphs), so a
 * Dijkstra over a million nodes touches a few flat arrays and nothing else.
 */
#define G_LOG_DOMAIN "ngam-net"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ngam-net-private.h"

G_DEFINE_QUARK (ngam-net-error-quark, ngam_net_error)

static guint64 memory_limit;

void
ngam_net_set_memory_limit (guint64 bytes)
{
  memory_limit = bytes;
}

/* Returns: the limit set, or the memory the system has available now
 * (MemAvailable), or 3/4 of physical memory when that is unknown. */
guint64
ngam_net_get_memory_limit (void)
{
  g_autofree char *text = NULL;
  const char *line;
  long pages, page;

  if (memory_limit > 0)
    return memory_limit;
  if (g_file_get_contents ("/proc/meminfo", &text, NULL, NULL) &&
      (line = strstr (text, "MemAvailable:")) != NULL)
    {
      guint64 kb = g_ascii_strtoull (line + strlen ("MemAvailable:"), NULL, 10);

      if (kb > 0)
        return kb * 1024;
    }
  pages = sysconf (_SC_PHYS_PAGES);
  page = sysconf (_SC_PAGESIZE);
  if (pages > 0 && page > 0)
    return (guint64) pages * (guint64) page / 4 * 3;
  return G_MAXUINT64;
}

/**
 * ngam_net_check_memory:
 * @bytes: what the job is about to allocate
 * @what: names the job for the message ("the street graph of x.ngam")
 *
 * Returns: FALSE with NGAM_NET_ERROR_TOO_LARGE when @bytes exceeds the
 *   limit, so that a huge input is refused with a message before any
 *   allocation could fail.
 */
gboolean
ngam_net_check_memory (guint64      bytes,
                       const char  *what,
                       GError     **error)
{
  guint64 limit = ngam_net_get_memory_limit ();

  if (bytes <= limit)
    return TRUE;
  g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_TOO_LARGE,
               "%s would need about %.1f MB of memory but only %.1f MB %s; "
               "it is refused rather than risk running out of memory",
               what, bytes / 1e6, limit / 1e6, memory_limit > 0 ? "are allowed" : "are available");
  return FALSE;
}

/* Bytes a graph of this size takes, with the scratch arrays of a
 * bidirectional search and a Steiner run over it. */
guint64
ngam_graph_estimate_bytes (guint64 n_nodes,
                           guint64 n_edges,
                           guint64 n_geom_points)
{
  return n_nodes * (16 + 4 + 4 + 64) +
         n_edges * (8 + sizeof (NgamEdgeAttr) + 16 + 4 + 8 + 24) +
         n_geom_points * (16 + 8) + 4096;
}

void
ngam_uf_init (NgamUnionFind *uf,
              guint          n)
{
  uf->parent = g_new (guint, MAX (n, 1));
  uf->size = g_new (guint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      uf->parent[i] = i;
      uf->size[i] = 1;
    }
}

void
ngam_uf_clear (NgamUnionFind *uf)
{
  g_clear_pointer (&uf->parent, g_free);
  g_clear_pointer (&uf->size, g_free);
}

/* The classic bit-twiddling Hilbert index (Hacker's Delight, 16.1). */
guint64
ngam_hilbert_key (double        x,
                  double        y,
                  const double  bbox[4])
{
  const guint32 n = 1u << 16;
  double w = MAX (bbox[2] - bbox[0], 1e-9), h = MAX (bbox[3] - bbox[1], 1e-9);
  guint32 ix = (guint32) CLAMP ((x - bbox[0]) / w * (n - 1), 0, n - 1);
  guint32 iy = (guint32) CLAMP ((y - bbox[1]) / h * (n - 1), 0, n - 1);
  guint64 d = 0;

  for (guint32 s = n / 2; s > 0; s /= 2)
    {
      guint32 rx = (ix & s) > 0, ry = (iy & s) > 0;

      d += (guint64) s * s * ((3 * rx) ^ ry);
      if (ry == 0)
        {
          if (rx == 1)
            {
              ix = n - 1 - ix;
              iy = n - 1 - iy;
            }
          {
            guint32 t = ix;
            ix = iy;
            iy = t;
          }
        }
    }
  return d;
}

/* --- allocation --------------------------------------------------------- */

NgamGraph *
ngam_graph_alloc (guint      n_nodes,
                  guint      n_edges,
                  guint      n_geom_points,
                  gboolean   with_xy,
                  GError   **error)
{
  NgamGraph *g;

  if ((guint64) n_edges * 2 >= G_MAXUINT)
    {
      g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_TOO_LARGE,
                   "a graph of %u edges is more than this build can index", n_edges);
      return NULL;
    }
  if (!ngam_net_check_memory (ngam_graph_estimate_bytes (n_nodes, n_edges, n_geom_points),
                              "the graph", error))
    return NULL;
  g = g_new0 (NgamGraph, 1);
  g->n_nodes = n_nodes;
  g->n_edges = n_edges;
  g->node_xy = with_xy ? g_new0 (double, 2 * (gsize) MAX (n_nodes, 1)) : NULL;
  g->edge_uv = g_new0 (guint, 2 * (gsize) MAX (n_edges, 1));
  g->edge = g_new0 (NgamEdgeAttr, MAX (n_edges, 1));
  if (n_geom_points > 0)
    {
      g->geom_start = g_new0 (guint, (gsize) n_edges + 1);
      g->geom_xy = g_new (double, 2 * (gsize) n_geom_points);
    }
  g->strings = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (g->strings, g_strdup (""));
  g_mutex_init (&g->index_lock);
  for (guint e = 0; e < n_edges; e++)
    {
      g->edge[e].street_fid = -1;
      g->edge[e].width_m = NAN;
      g->edge[e].sidewalk_m = NAN;
    }
  return g;
}

typedef struct
{
  double  x0, y0, cs;
  guint   nx, ny;
  guint  *cell_start;
  guint  *item_edge;
  guint  *item_seg;    /* index of the segment's first point in the edge */
} GridIndex;

static void
grid_index_free (GridIndex *gi)
{
  if (gi == NULL)
    return;
  g_free (gi->cell_start);
  g_free (gi->item_edge);
  g_free (gi->item_seg);
  g_free (gi);
}

void
ngam_graph_free (NgamGraph *g)
{
  if (g == NULL)
    return;
  g_free (g->node_xy);
  g_free (g->edge_uv);
  g_free (g->edge);
  g_free (g->adj_start);
  g_free (g->adj_edge);
  g_free (g->adj_node);
  g_free (g->geom_start);
  g_free (g->geom_xy);
  g_free (g->component);
  g_free (g->component_size);
  g_ptr_array_unref (g->strings);
  grid_index_free (g->index);
  g_mutex_clear (&g->index_lock);
  g_free (g);
}

gsize
ngam_graph_get_bytes (const NgamGraph *g)
{
  gsize n = g->n_nodes, m = g->n_edges;
  gsize pts = g->geom_start ? g->geom_start[m] : 0;

  return n * ((g->node_xy ? 16 : 0) + 4 + 4) + m * (8 + sizeof (NgamEdgeAttr) + 16) +
         (g->geom_start ? (m + 1) * 4 + pts * 16 : 0);
}

guint16
ngam_graph_intern (NgamGraph  *g,
                   GHashTable *ids,
                   const char *text)
{
  gpointer id;

  if (text == NULL || *text == '\0')
    return 0;
  if (g_hash_table_lookup_extended (ids, text, NULL, &id))
    return GPOINTER_TO_UINT (id);
  if (g->strings->len >= G_MAXUINT16)
    return 0;
  g_ptr_array_add (g->strings, g_strdup (text));
  g_hash_table_insert (ids, g->strings->pdata[g->strings->len - 1],
                       GUINT_TO_POINTER (g->strings->len - 1));
  return g->strings->len - 1;
}

const char *
ngam_graph_get_string (const NgamGraph *g,
                       guint16          id)
{
  return id < g->strings->len ? g->strings->pdata[id] : "";
}

guint
ngam_graph_edge_other (const NgamGraph *g,
                       guint            edge,
                       guint            node)
{
  return g->edge_uv[2 * edge] == node ? g->edge_uv[2 * edge + 1] : g->edge_uv[2 * edge];
}

static int
cmp_guint (const void *a, const void *b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

static int
cmp_guint64 (const void *a, const void *b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

/* Components by breadth-first search, renumbered largest first so that
 * component 0 is "the network" and the rest are islands. */
static guint
label_components (const NgamGraph *g,
                  const double    *cost,
                  guint           *comp,
                  guint          **sizes_out)
{
  g_autofree guint *queue = g_new (guint, MAX (g->n_nodes, 1));
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree guint *order = NULL, *rank = NULL;
  guint nc;

  for (guint i = 0; i < g->n_nodes; i++)
    comp[i] = G_MAXUINT;
  for (guint s = 0; s < g->n_nodes; s++)
    {
      guint head = 0, tail = 0, c = sizes->len;

      if (comp[s] != G_MAXUINT)
        continue;
      comp[s] = c;
      queue[tail++] = s;
      while (head < tail)
        {
          guint u = queue[head++];

          for (guint k = g->adj_start[u]; k < g->adj_start[u + 1]; k++)
            {
              guint v = g->adj_node[k];

              if (comp[v] != G_MAXUINT || (cost && !isfinite (cost[g->adj_edge[k]])))
                continue;
              comp[v] = c;
              queue[tail++] = v;
            }
        }
      g_array_append_val (sizes, tail);
    }
  nc = sizes->len;
  /* Sort component ids by size, descending (ties by first node). */
  order = g_new (guint, MAX (nc, 1));
  rank = g_new (guint, MAX (nc, 1));
  for (guint c = 0; c < nc; c++)
    order[c] = c;
  {
    guint *sz = (guint *) sizes->data;
    /* (size, id) pairs packed in 64 bits sort without a closure. */
    g_autofree guint64 *keys = g_new (guint64, MAX (nc, 1));

    for (guint c = 0; c < nc; c++)
      keys[c] = ((guint64) (G_MAXUINT - sz[c]) << 32) | c;
    qsort (keys, nc, sizeof (guint64), cmp_guint64);
    for (guint c = 0; c < nc; c++)
      {
        order[c] = (guint) (keys[c] & 0xffffffffu);
        rank[order[c]] = c;
      }
    if (sizes_out)
      {
        *sizes_out = g_new (guint, MAX (nc, 1));
        for (guint c = 0; c < nc; c++)
          (*sizes_out)[c] = sz[order[c]];
      }
  }
  for (guint i = 0; i < g->n_nodes; i++)
    comp[i] = rank[comp[i]];
  return nc;
}

guint
ngam_graph_components_by_cost (const NgamGraph *g,
                               const double    *cost,
                               guint           *comp)
{
  return label_components (g, cost, comp, NULL);
}

void
ngam_graph_finish (NgamGraph *g)
{
  guint n = g->n_nodes, m = g->n_edges;
  g_autofree guint *fill = NULL;

  g->adj_start = g_new0 (guint, (gsize) n + 1);
  g->adj_edge = g_new (guint, 2 * (gsize) MAX (m, 1));
  g->adj_node = g_new (guint, 2 * (gsize) MAX (m, 1));
  for (guint e = 0; e < m; e++)
    {
      g->adj_start[g->edge_uv[2 * e] + 1]++;
      g->adj_start[g->edge_uv[2 * e + 1] + 1]++;
    }
  for (guint i = 0; i < n; i++)
    g->adj_start[i + 1] += g->adj_start[i];
  fill = g_memdup2 (g->adj_start, sizeof (guint) * ((gsize) n + 1));
  for (guint e = 0; e < m; e++)
    {
      guint u = g->edge_uv[2 * e], v = g->edge_uv[2 * e + 1];

      g->adj_edge[fill[u]] = e;
      g->adj_node[fill[u]++] = v;
      g->adj_edge[fill[v]] = e;
      g->adj_node[fill[v]++] = u;
    }
  g->component = g_new (guint, MAX (n, 1));
  g->n_components = label_components (g, NULL, g->component, &g->component_size);
}

/**
 * ngam_graph_new_from_edges:
 * @n_nodes: nodes, numbered from 0
 * @edge_uv: 2 × @n_edges node numbers
 * @length: (nullable): @n_edges weights (≥ 0); 1 each when NULL
 * @node_xy: (nullable): 2 × @n_nodes coordinates
 *
 * An abstract graph (SteinLib, PACE, tests): no geometry beyond the nodes.
 *
 * Returns: (transfer full): the graph, or NULL with @error set.
 */
NgamGraph *
ngam_graph_new_from_edges (guint          n_nodes,
                           guint          n_edges,
                           const guint   *edge_uv,
                           const double  *length,
                           const double  *node_xy,
                           GError       **error)
{
  g_autoptr(NgamGraph) g = NULL;

  for (guint e = 0; e < n_edges; e++)
    {
      if (edge_uv[2 * e] >= n_nodes || edge_uv[2 * e + 1] >= n_nodes)
        {
          g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_INVALID,
                       "edge %u joins node %u and %u but the graph has %u nodes",
                       e, edge_uv[2 * e], edge_uv[2 * e + 1], n_nodes);
          return NULL;
        }
      if (length && !(length[e] >= 0 && isfinite (length[e])))
        {
          g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_INVALID,
                       "edge %u has weight %g; weights must be finite and not negative", e, length[e]);
          return NULL;
        }
    }
  g = ngam_graph_alloc (n_nodes, n_edges, 0, node_xy != NULL, error);
  if (g == NULL)
    return NULL;
  if (n_edges > 0)          /* a fully reduced graph may have none, and edge_uv NULL */
    memcpy (g->edge_uv, edge_uv, sizeof (guint) * 2 * (gsize) n_edges);
  if (node_xy && n_nodes > 0)
    memcpy (g->node_xy, node_xy, sizeof (double) * 2 * (gsize) n_nodes);
  for (guint e = 0; e < n_edges; e++)
    g->edge[e].length = length ? length[e] : 1.0;
  ngam_graph_finish (g);
  return g_steal_pointer (&g);
}

double
ngam_graph_total_length (const NgamGraph *g)
{
  double sum = 0;

  for (guint e = 0; e < g->n_edges; e++)
    sum += g->edge[e].length;
  return sum;
}

/* --- edge geometry ------------------------------------------------------ */

/* The edge's vertices: into the shared array, or the two nodes in @buf. */
static const double *
edge_points (const NgamGraph *g,
             guint            e,
             guint           *n,
             double           buf[4])
{
  if (g->geom_start)
    {
      *n = g->geom_start[e + 1] - g->geom_start[e];
      return g->geom_xy + 2 * (gsize) g->geom_start[e];
    }
  buf[0] = g->node_xy[2 * g->edge_uv[2 * e]];
  buf[1] = g->node_xy[2 * g->edge_uv[2 * e] + 1];
  buf[2] = g->node_xy[2 * g->edge_uv[2 * e + 1]];
  buf[3] = g->node_xy[2 * g->edge_uv[2 * e + 1] + 1];
  *n = 2;
  return buf;
}

guint
ngam_graph_edge_n_points (const NgamGraph *g,
                          guint            edge)
{
  double buf[4];
  guint n = 0;

  if (g->node_xy == NULL && g->geom_start == NULL)
    return 0;
  edge_points (g, edge, &n, buf);
  return n;
}

/* Returns: (transfer full) (nullable): the edge as a line from u to v, or
 * NULL for abstract graphs without coordinates. */
NgamShape *
ngam_graph_edge_shape (const NgamGraph *g,
                       guint            edge)
{
  double buf[4];
  const double *xy;
  guint n;

  if (g->node_xy == NULL && g->geom_start == NULL)
    return NULL;
  xy = edge_points (g, edge, &n, buf);
  return ngam_shape_new_line (xy, n);
}

/* --- grid index --------------------------------------------------------- */

static GridIndex *
grid_index_build (const NgamGraph *g)
{
  GridIndex *gi = g_new0 (GridIndex, 1);
  double bbox[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY }, buf[4];
  guint64 n_seg = 0, n_items = 0;
  double sum_len = 0, cs;
  gsize n_cells;
  g_autofree guint *fill = NULL;

  for (guint e = 0; e < g->n_edges; e++)
    {
      guint n;
      const double *xy = edge_points (g, e, &n, buf);

      for (guint i = 0; i < n; i++)
        {
          bbox[0] = MIN (bbox[0], xy[2 * i]);
          bbox[1] = MIN (bbox[1], xy[2 * i + 1]);
          bbox[2] = MAX (bbox[2], xy[2 * i]);
          bbox[3] = MAX (bbox[3], xy[2 * i + 1]);
          if (i > 0)
            sum_len += hypot (xy[2 * i] - xy[2 * i - 2], xy[2 * i + 1] - xy[2 * i - 1]);
        }
      n_seg += n > 1 ? n - 1 : 0;
    }
  if (n_seg == 0)
    {
      bbox[0] = bbox[1] = 0;
      bbox[2] = bbox[3] = 1;
    }
  /* About one segment per cell, but cells no smaller than a typical
   * segment so that a segment covers few cells. */
  cs = sqrt (MAX ((bbox[2] - bbox[0]) * (bbox[3] - bbox[1]), 1e-6) / MAX (n_seg, 1));
  cs = MAX (cs, sum_len / MAX (n_seg, 1));
  cs = MAX (cs, 1e-6);
  gi->x0 = bbox[0];
  gi->y0 = bbox[1];
  gi->nx = (guint) MIN ((bbox[2] - bbox[0]) / cs + 1, 1u << 15);
  gi->ny = (guint) MIN ((bbox[3] - bbox[1]) / cs + 1, 1u << 15);
  while ((guint64) gi->nx * gi->ny > 4 * n_seg + 16)
    {
      cs *= 1.5;
      gi->nx = (guint) MIN ((bbox[2] - bbox[0]) / cs + 1, 1u << 15);
      gi->ny = (guint) MIN ((bbox[3] - bbox[1]) / cs + 1, 1u << 15);
    }
  gi->cs = cs;
  n_cells = (gsize) gi->nx * gi->ny;
  gi->cell_start = g_new0 (guint, n_cells + 1);

  /* Two passes: count the items per cell, then fill. */
  for (int pass = 0; pass < 2; pass++)
    {
      for (guint e = 0; e < g->n_edges; e++)
        {
          guint n;
          const double *xy = edge_points (g, e, &n, buf);

          for (guint i = 0; i + 1 < n; i++)
            {
              guint x0 = (guint) CLAMP ((MIN (xy[2 * i], xy[2 * i + 2]) - gi->x0) / cs, 0, gi->nx - 1);
              guint x1 = (guint) CLAMP ((MAX (xy[2 * i], xy[2 * i + 2]) - gi->x0) / cs, 0, gi->nx - 1);
              guint y0 = (guint) CLAMP ((MIN (xy[2 * i + 1], xy[2 * i + 3]) - gi->y0) / cs, 0, gi->ny - 1);
              guint y1 = (guint) CLAMP ((MAX (xy[2 * i + 1], xy[2 * i + 3]) - gi->y0) / cs, 0, gi->ny - 1);

              for (guint cy = y0; cy <= y1; cy++)
                for (guint cx = x0; cx <= x1; cx++)
                  {
                    gsize c = (gsize) cy * gi->nx + cx;

                    if (pass == 0)
                      {
                        gi->cell_start[c + 1]++;
                        n_items++;
                      }
                    else
                      {
                        gi->item_edge[fill[c]] = e;
                        gi->item_seg[fill[c]++] = i;
                      }
                  }
            }
        }
      if (pass == 0)
        {
          for (gsize c = 0; c < n_cells; c++)
            gi->cell_start[c + 1] += gi->cell_start[c];
          fill = g_memdup2 (gi->cell_start, sizeof (guint) * (n_cells + 1));
          gi->item_edge = g_new (guint, MAX (n_items, 1));
          gi->item_seg = g_new (guint, MAX (n_items, 1));
        }
    }
  return gi;
}

static GridIndex *
graph_index (NgamGraph *g)
{
  GridIndex *gi;

  g_mutex_lock (&g->index_lock);
  if (g->index == NULL && (g->node_xy || g->geom_start))
    g->index = grid_index_build (g);
  gi = g->index;
  g_mutex_unlock (&g->index_lock);
  return gi;
}

/**
 * ngam_graph_locate:
 * @max_distance: farthest a street may be from the point
 * @location: (out): the closest point on the closest edge
 *
 * Returns: FALSE when no edge lies within @max_distance (or the graph has
 *   no coordinates).
 */
gboolean
ngam_graph_locate (NgamGraph         *g,
                   double             x,
                   double             y,
                   double             max_distance,
                   NgamGraphLocation *loc)
{
  GridIndex *gi = graph_index (g);
  double best = INFINITY, best_t = 0, buf[4];
  guint best_e = G_MAXUINT, best_i = 0;
  int cx, cy;

  if (gi == NULL || g->n_edges == 0)
    return FALSE;
  cx = (int) CLAMP (floor ((x - gi->x0) / gi->cs), -(1 << 30), 1 << 30);
  cy = (int) CLAMP (floor ((y - gi->y0) / gi->cs), -(1 << 30), 1 << 30);
  /* Rings of cells at Chebyshev distance k from the point's cell, from the
   * first ring that meets the grid; a cell beyond ring k is at least
   * k cell sizes away, which bounds the search. */
  for (int k = MAX (MAX (0, MAX (-cx, cx - (int) gi->nx + 1)), MAX (-cy, cy - (int) gi->ny + 1));; k++)
    {
      int y_lo = MAX (0, cy - k), y_hi = MIN ((int) gi->ny - 1, cy + k);
      int x_lo = MAX (0, cx - k), x_hi = MIN ((int) gi->nx - 1, cx + k);

      for (int iy = y_lo; iy <= y_hi; iy++)
        {
          gboolean full_row = iy == cy - k || iy == cy + k;

          for (int ix = x_lo; ix <= x_hi; ix++)
            {
              gsize c = (gsize) iy * gi->nx + ix;

              if (!full_row && ix != cx - k && ix != cx + k)
                {
                  /* jump to the right edge of the ring */
                  if (ix < cx + k)
                    ix = MIN (cx + k, x_hi + 1) - 1;
                  continue;
                }
              for (guint it = gi->cell_start[c]; it < gi->cell_start[c + 1]; it++)
                {
                  guint e = gi->item_edge[it], i = gi->item_seg[it], n;
                  const double *xy = edge_points (g, e, &n, buf);
                  double t, d2 = ngam_seg_dist2 (x, y, xy[2 * i], xy[2 * i + 1],
                                                 xy[2 * i + 2], xy[2 * i + 3], &t);

                  if (d2 < best || (d2 == best && e < best_e))
                    {
                      best = d2;
                      best_e = e;
                      best_i = i;
                      best_t = t;
                    }
                }
            }
        }
      if ((best_e != G_MAXUINT && sqrt (best) <= k * gi->cs) || k * gi->cs > max_distance + gi->cs ||
          (cx - k <= 0 && cy - k <= 0 && cx + k >= (int) gi->nx - 1 && cy + k >= (int) gi->ny - 1))
        break;
    }
  if (best_e == G_MAXUINT || sqrt (best) > max_distance)
    return FALSE;
  {
    guint n;
    const double *xy = edge_points (g, best_e, &n, buf);
    double before = 0, total = 0, seg;

    for (guint i = 0; i + 1 < n; i++)
      {
        seg = hypot (xy[2 * i + 2] - xy[2 * i], xy[2 * i + 3] - xy[2 * i + 1]);
        if (i < best_i)
          before += seg;
        else if (i == best_i)
          before += best_t * seg;
        total += seg;
      }
    loc->edge = best_e;
    loc->t = total > 0 ? CLAMP (before / total, 0, 1) : 0;
    loc->x = xy[2 * best_i] + best_t * (xy[2 * best_i + 2] - xy[2 * best_i]);
    loc->y = xy[2 * best_i + 1] + best_t * (xy[2 * best_i + 3] - xy[2 * best_i + 1]);
    loc->distance = sqrt (best);
  }
  return TRUE;
}

/* Returns: the node closest to (x, y) among the ends of the closest edge,
 * or G_MAXUINT for an empty or abstract graph. */
guint
ngam_graph_nearest_node (NgamGraph *g,
                         double     x,
                         double     y)
{
  NgamGraphLocation loc;
  guint u, v;

  if (!ngam_graph_locate (g, x, y, INFINITY, &loc))
    return G_MAXUINT;
  u = g->edge_uv[2 * loc.edge];
  v = g->edge_uv[2 * loc.edge + 1];
  if (g->node_xy == NULL)
    return loc.t <= 0.5 ? u : v;
  return hypot (g->node_xy[2 * u] - x, g->node_xy[2 * u + 1] - y) <=
         hypot (g->node_xy[2 * v] - x, g->node_xy[2 * v + 1] - y) ? u : v;
}

/* Appends to @edges (guint) every edge with a segment in the grid cells
 * that meet @bbox, each once, in increasing order. */
void
ngam_graph_edges_near (NgamGraph    *g,
                       const double  bbox[4],
                       GArray       *edges)
{
  GridIndex *gi = graph_index (g);
  guint start = edges->len, x0, x1, y0, y1, out;

  if (gi == NULL)
    return;
  if (bbox[2] < gi->x0 || bbox[3] < gi->y0 ||
      bbox[0] > gi->x0 + gi->nx * gi->cs || bbox[1] > gi->y0 + gi->ny * gi->cs)
    return;
  x0 = (guint) CLAMP ((bbox[0] - gi->x0) / gi->cs, 0, gi->nx - 1);
  x1 = (guint) CLAMP ((bbox[2] - gi->x0) / gi->cs, 0, gi->nx - 1);
  y0 = (guint) CLAMP ((bbox[1] - gi->y0) / gi->cs, 0, gi->ny - 1);
  y1 = (guint) CLAMP ((bbox[3] - gi->y0) / gi->cs, 0, gi->ny - 1);
  for (guint cy = y0; cy <= y1; cy++)
    for (guint cx = x0; cx <= x1; cx++)
      {
        gsize c = (gsize) cy * gi->nx + cx;

        for (guint it = gi->cell_start[c]; it < gi->cell_start[c + 1]; it++)
          g_array_append_val (edges, gi->item_edge[it]);
      }
  if (edges->len - start > 1)
    qsort ((guint *) edges->data + start, edges->len - start, sizeof (guint), cmp_guint);
  out = start;
  for (guint i = start; i < edges->len; i++)
    if (i == start || g_array_index (edges, guint, i) != g_array_index (edges, guint, out - 1))
      g_array_index (edges, guint, out++) = g_array_index (edges, guint, i);
  g_array_set_size (edges, out);
}
