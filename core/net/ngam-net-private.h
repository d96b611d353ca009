/* ngam-net-private.h — shared internals of core/net
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <math.h>

#include "ngam-graph.h"
#include <gio/gio.h>

G_BEGIN_DECLS

/* Allocates every array of a graph of this size (adjacency, components
 * and the index come later, from ngam_graph_finish()). */
NgamGraph *ngam_graph_alloc        (guint n_nodes, guint n_edges, guint n_geom_points,
                                    gboolean with_xy, GError **error);
/* Builds the CSR adjacency and the components from edge_uv. */
void       ngam_graph_finish       (NgamGraph *graph);
guint16    ngam_graph_intern       (NgamGraph *graph, GHashTable *ids, const char *text);
/* Components over the edges with a finite cost only: fills @comp (n_nodes)
 * and returns how many. */
guint      ngam_graph_components_by_cost (const NgamGraph *graph, const double *cost, guint *comp);

/* Point-to-segment distance²; *t gets the parameter of the closest point. */
static inline double
ngam_seg_dist2 (double px, double py, double ax, double ay, double bx, double by, double *t)
{
  double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy, u = 0, ex, ey;

  if (l2 > 0)
    {
      u = ((px - ax) * dx + (py - ay) * dy) / l2;
      u = u < 0 ? 0 : u > 1 ? 1 : u;
    }
  if (t)
    *t = u;
  ex = ax + u * dx - px;
  ey = ay + u * dy - py;
  return ex * ex + ey * ey;
}

/* A binary min-heap of (key, node) pairs with lazy deletion: a node may be
 * pushed again with a smaller key and the stale entry is skipped when it
 * surfaces.  Simpler and, on road graphs, faster than decrease-key. */
typedef struct
{
  double key;
  guint  node;
} NgamHeapItem;

typedef struct
{
  NgamHeapItem *items;
  gsize         len, cap;
} NgamHeap;

static inline void
ngam_heap_clear (NgamHeap *h)
{
  h->len = 0;
}

static inline void
ngam_heap_free (NgamHeap *h)
{
  g_free (h->items);
  h->items = NULL;
  h->len = h->cap = 0;
}

static inline void
ngam_heap_push (NgamHeap *h, double key, guint node)
{
  gsize i;

  if (h->len == h->cap)
    {
      h->cap = h->cap ? h->cap * 2 : 1024;
      h->items = g_renew (NgamHeapItem, h->items, h->cap);
    }
  i = h->len++;
  while (i > 0)
    {
      gsize p = (i - 1) / 2;

      if (h->items[p].key <= key)
        break;
      h->items[i] = h->items[p];
      i = p;
    }
  h->items[i].key = key;
  h->items[i].node = node;
}

static inline NgamHeapItem
ngam_heap_pop (NgamHeap *h)
{
  NgamHeapItem top = h->items[0], last = h->items[--h->len];
  gsize i = 0, n = h->len;

  while (TRUE)
    {
      gsize c = 2 * i + 1;

      if (c >= n)
        break;
      if (c + 1 < n && h->items[c + 1].key < h->items[c].key)
        c++;
      if (last.key <= h->items[c].key)
        break;
      h->items[i] = h->items[c];
      i = c;
    }
  if (n > 0)
    h->items[i] = last;
  return top;
}

static inline double
ngam_heap_top_key (const NgamHeap *h)
{
  return h->len ? h->items[0].key : INFINITY;
}

/* Union-find with path halving and union by size. */
typedef struct
{
  guint *parent;
  guint *size;
} NgamUnionFind;

void   ngam_uf_init  (NgamUnionFind *uf, guint n);
void   ngam_uf_clear (NgamUnionFind *uf);

static inline guint
ngam_uf_find (NgamUnionFind *uf, guint x)
{
  while (uf->parent[x] != x)
    {
      uf->parent[x] = uf->parent[uf->parent[x]];
      x = uf->parent[x];
    }
  return x;
}

static inline gboolean
ngam_uf_union (NgamUnionFind *uf, guint a, guint b)
{
  a = ngam_uf_find (uf, a);
  b = ngam_uf_find (uf, b);
  if (a == b)
    return FALSE;
  if (uf->size[a] < uf->size[b])
    {
      guint t = a;
      a = b;
      b = t;
    }
  uf->parent[b] = a;
  uf->size[a] += uf->size[b];
  return TRUE;
}

/* Hilbert-curve order of a point in a 2^16 grid, for cache-friendly node
 * numbering: neighbours in space end up near in memory. */
guint64 ngam_hilbert_key (double x, double y, const double bbox[4]);

/* Seconds since an arbitrary origin (monotonic). */
static inline double
ngam_net_now (void)
{
  return g_get_monotonic_time () / 1e6;
}

G_END_DECLS
