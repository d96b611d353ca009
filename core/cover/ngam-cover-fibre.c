/* ngam-cover-fibre.c — the fibre plant, its access points, and which
 * households are within reach along the streets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Access points: splice closures are not a layer of the project yet, so
 * an access point is a pole at the end of an active fibre span (its
 * from_pole / to_pole, or the span's end itself), a pole within 1 m of a
 * fibre route's line, or a manhole within 3 m of one.
 *
 * Reach: every access point and every household is located on the street
 * graph (the closest street, at most max_snap_m away).  One multi-source
 * Dijkstra from all access points at once, stopped at the drop limit,
 * labels the nodes; a household's drop is its distance to the street,
 * plus the cheaper way along its edge to a labelled end (or straight
 * along the edge to an access point on the same edge), plus the access
 * point's own distance to the street.
 *
 * The plant graph (nodes: span ends and route vertices, one set per
 * operator since operators' cables are not spliced together; edges: spans
 * and route segments) tells which access points lose their feed when a
 * hazard breaks some of it.  With no exchange layer, the feed of each
 * piece of plant is taken to be on the side that keeps the most fibre:
 * when a zone cuts a connected network in parts, the part with the
 * largest length keeps service and the others are cut off.
 */
#define G_LOG_DOMAIN "ngam-cover"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ngam-cover-private.h"
#include "ngam-net-private.h"

#define POLE_TOLERANCE_M 1.0
#define MANHOLE_TOLERANCE_M 3.0

/* ---- plant nodes: an open-addressing hash of (operator, position) ---- */

typedef struct
{
  gint64 *kx, *ky;
  gint16 *kop;
  guint  *val;
  gsize   cap, len;
} NodeHash;

static inline guint64
mix (guint64 x)
{
  x ^= x >> 33;
  x *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  x ^= x >> 33;
  return x;
}

static void
node_hash_init (NodeHash *h,
                gsize     cap)
{
  h->cap = 1024;
  while (h->cap < 2 * cap)
    h->cap *= 2;
  h->kx = g_new (gint64, h->cap);
  h->ky = g_new (gint64, h->cap);
  h->kop = g_new (gint16, h->cap);
  h->val = g_new (guint, h->cap);
  memset (h->val, 0xff, h->cap * sizeof (guint));
  h->len = 0;
}

static void
node_hash_clear (NodeHash *h)
{
  g_free (h->kx);
  g_free (h->ky);
  g_free (h->kop);
  g_free (h->val);
}

static guint plant_node (CoverPlant *plant, NodeHash *h, int op, double x, double y);

static void
node_hash_grow (NodeHash *h)
{
  NodeHash n;

  node_hash_init (&n, h->cap);
  for (gsize i = 0; i < h->cap; i++)
    if (h->val[i] != G_MAXUINT)
      {
        gsize j = mix ((guint64) h->kx[i] * 31 + (guint64) h->ky[i] * 1000003 + h->kop[i]) & (n.cap - 1);

        while (n.val[j] != G_MAXUINT)
          j = (j + 1) & (n.cap - 1);
        n.kx[j] = h->kx[i];
        n.ky[j] = h->ky[i];
        n.kop[j] = h->kop[i];
        n.val[j] = h->val[i];
        n.len++;
      }
  node_hash_clear (h);
  *h = n;
}

/* The plant node of operator @op at (x, y) (to the centimetre), made on
 * first use. */
static guint
plant_node (CoverPlant *plant,
            NodeHash   *h,
            int         op,
            double      x,
            double      y)
{
  gint64 qx = (gint64) llround (x * 100), qy = (gint64) llround (y * 100);
  gsize j;
  gint16 o = (gint16) op;

  if (2 * (h->len + 1) > h->cap)
    node_hash_grow (h);
  j = mix ((guint64) qx * 31 + (guint64) qy * 1000003 + o) & (h->cap - 1);
  while (h->val[j] != G_MAXUINT)
    {
      if (h->kx[j] == qx && h->ky[j] == qy && h->kop[j] == o)
        return h->val[j];
      j = (j + 1) & (h->cap - 1);
    }
  h->kx[j] = qx;
  h->ky[j] = qy;
  h->kop[j] = o;
  h->val[j] = plant->n_nodes++;
  h->len++;
  g_array_append_val (plant->node_xy, x);
  g_array_append_val (plant->node_xy, y);
  g_array_append_val (plant->node_op, o);
  return h->val[j];
}

static gboolean
is_fibre (const char *cable_type)
{
  g_autofree char *low = NULL;

  if (cable_type == NULL)
    return FALSE;
  low = g_ascii_strdown (cable_type, -1);
  return strstr (low, "fib") != NULL || strstr (low, "optic") != NULL || strstr (low, "quang") != NULL;
}

void
cover_plant_clear (CoverPlant *plant)
{
  if (plant->node_xy)
    g_array_unref (plant->node_xy);
  if (plant->node_op)
    g_array_unref (plant->node_op);
  if (plant->edges)
    g_array_unref (plant->edges);
  g_free (plant->component);
  memset (plant, 0, sizeof *plant);
}

static void
add_access (CoverRun *run,
            guint8   *node_ap,
            guint     node,
            gint64    fid,
            gboolean  manhole,
            double    x,
            double    y)
{
  CoverAccess a = { 0 };

  if (!manhole && node_ap[node])
    return;
  if (!manhole)
    node_ap[node] = 1;
  a.x = x;
  a.y = y;
  a.fid = fid;
  a.is_manhole = manhole;
  a.op = g_array_index (run->plant.node_op, gint16, node);
  a.plant_node = node;
  a.edge = G_MAXUINT;
  g_array_append_val (run->access, a);
}

/* Reads fibre spans and routes into the plant graph; poles and manholes
 * on them into access points. */
gboolean
cover_load_fibre (CoverRun *run,
                  GError  **error)
{
  const int s_type = ngam_layer_field_index (NGAM_LAYER_SPANS, "cable_type");
  const int s_from = ngam_layer_field_index (NGAM_LAYER_SPANS, "from_pole");
  const int s_to = ngam_layer_field_index (NGAM_LAYER_SPANS, "to_pole");
  const int s_status = ngam_layer_field_index (NGAM_LAYER_SPANS, "status");
  const int r_type = ngam_layer_field_index (NGAM_LAYER_ROUTES, "cable_type");
  const int r_place = ngam_layer_field_index (NGAM_LAYER_ROUTES, "placement");
  CoverPlant *plant = &run->plant;
  NodeHash h;
  g_autoptr(GArray) node_ap = g_array_new (FALSE, TRUE, 1);
  g_autoptr(GArray) buf = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree double *boxes = NULL;
  CoverGrid *grid = NULL;
  guint n_route_edges_start;
  gboolean ok = TRUE;

  plant->node_xy = g_array_new (FALSE, FALSE, sizeof (double));
  plant->node_op = g_array_new (FALSE, FALSE, sizeof (gint16));
  plant->edges = g_array_new (FALSE, FALSE, sizeof (CoverPlantEdge));
  node_hash_init (&h, 4096);

  /* spans: pole to pole, aerial */
  {
    g_autoptr(NgamStoreCursor) cur = ngam_store_query (run->store, NGAM_LAYER_SPANS, NULL, NGAM_QUERY_DEFAULT, error);

    if (cur == NULL)
      goto fail;
    while (cover_cursor_next (cur, &ok, error))
      {
        const NgamFeature *f = ngam_store_cursor_get (cur);
        const NgamShape *s;
        CoverPlantEdge e = { 0 };
        const char *status;

        if (f == NULL)
          break;
        s = f->shape;
        status = ngam_feature_is_null (f, s_status) ? NULL : ngam_feature_get_text (f, s_status);
        if (f->retired || s == NULL || s->n_points < 2 || (status && g_ascii_strcasecmp (status, "retired") == 0) ||
            !is_fibre (ngam_feature_is_null (f, s_type) ? NULL : ngam_feature_get_text (f, s_type)))
          continue;
        if ((plant->edges->len & 4095) == 0 && !cover_run_check_cancel (run, error))
          goto fail;
        e.u = plant_node (plant, &h, cover_run_operator (run, f->operator_name), s->xy[0], s->xy[1]);
        e.v = plant_node (plant, &h, cover_run_operator (run, f->operator_name),
                          s->xy[2 * s->n_points - 2], s->xy[2 * s->n_points - 1]);
        e.fid = f->fid;
        e.aerial = TRUE;
        e.length = ngam_shape_length (s);
        g_array_append_val (plant->edges, e);
        g_array_set_size (node_ap, plant->n_nodes);
        add_access (run, (guint8 *) node_ap->data, e.u,
                    ngam_feature_is_null (f, s_from) ? -1 : ngam_feature_get_int (f, s_from), FALSE, s->xy[0], s->xy[1]);
        add_access (run, (guint8 *) node_ap->data, e.v,
                    ngam_feature_is_null (f, s_to) ? -1 : ngam_feature_get_int (f, s_to), FALSE,
                    s->xy[2 * s->n_points - 2], s->xy[2 * s->n_points - 1]);
      }
    if (!ok)
      goto fail;
  }

  /* routes: every segment an edge */
  n_route_edges_start = plant->edges->len;
  {
    g_autoptr(NgamStoreCursor) cur = ngam_store_query (run->store, NGAM_LAYER_ROUTES, NULL, NGAM_QUERY_DEFAULT, error);

    if (cur == NULL)
      goto fail;
    while (cover_cursor_next (cur, &ok, error))
      {
        const NgamFeature *f = ngam_store_cursor_get (cur);
        const NgamShape *s;
        const char *place;
        int op;

        if (f == NULL)
          break;
        s = f->shape;
        if (f->retired || s == NULL || s->n_points < 2 ||
            !is_fibre (ngam_feature_is_null (f, r_type) ? NULL : ngam_feature_get_text (f, r_type)))
          continue;
        place = ngam_feature_is_null (f, r_place) ? NULL : ngam_feature_get_text (f, r_place);
        op = cover_run_operator (run, f->operator_name);
        for (guint p = 0; p < s->n_parts; p++)
          for (guint i = s->part_start[p]; i + 1 < s->part_start[p + 1]; i++)
            {
              CoverPlantEdge e = { 0 };

              e.u = plant_node (plant, &h, op, s->xy[2 * i], s->xy[2 * i + 1]);
              e.v = plant_node (plant, &h, op, s->xy[2 * i + 2], s->xy[2 * i + 3]);
              e.fid = f->fid;
              e.is_route = TRUE;
              e.aerial = place == NULL || g_ascii_strcasecmp (place, "underground") != 0;
              e.length = hypot (s->xy[2 * i + 2] - s->xy[2 * i], s->xy[2 * i + 3] - s->xy[2 * i + 1]);
              if (e.u != e.v)
                g_array_append_val (plant->edges, e);
            }
      }
    if (!ok)
      goto fail;
  }
  g_array_set_size (node_ap, plant->n_nodes);

  /* poles and manholes on routes */
  if (plant->edges->len > n_route_edges_start)
    {
      guint n = plant->edges->len - n_route_edges_start;
      const double *xy = (const double *) plant->node_xy->data;

      boxes = g_new (double, 4 * n);
      for (guint k = 0; k < n; k++)
        {
          const CoverPlantEdge *e = &g_array_index (plant->edges, CoverPlantEdge, n_route_edges_start + k);

          boxes[4 * k] = MIN (xy[2 * e->u], xy[2 * e->v]);
          boxes[4 * k + 1] = MIN (xy[2 * e->u + 1], xy[2 * e->v + 1]);
          boxes[4 * k + 2] = MAX (xy[2 * e->u], xy[2 * e->v]);
          boxes[4 * k + 3] = MAX (xy[2 * e->u + 1], xy[2 * e->v + 1]);
        }
      grid = cover_grid_new (boxes, n, 50);
      for (int kind = 0; kind < 2; kind++)
        {
          NgamLayerKind layer = kind ? NGAM_LAYER_MANHOLES : NGAM_LAYER_POLES;
          double tol = kind ? MANHOLE_TOLERANCE_M : POLE_TOLERANCE_M;
          g_autoptr(NgamStoreCursor) cur = ngam_store_query (run->store, layer, NULL, NGAM_QUERY_SHAPE_ONLY, error);

          if (cur == NULL)
            goto fail;
          while (cover_cursor_next (cur, &ok, error))
            {
              const NgamFeature *f = ngam_store_cursor_get (cur);
              double x, y, q[4];

              if (f == NULL)
                break;
              if (f->shape == NULL || f->shape->n_points < 1)
                continue;
              x = f->shape->xy[0];
              y = f->shape->xy[1];
              q[0] = x - tol, q[1] = y - tol, q[2] = x + tol, q[3] = y + tol;
              g_array_set_size (buf, 0);
              cover_grid_query (grid, q, buf);
              /* one access point per operator whose route passes */
              for (guint i = 0; i < buf->len; i++)
                {
                  const CoverPlantEdge *e = &g_array_index (plant->edges, CoverPlantEdge,
                                                            n_route_edges_start + g_array_index (buf, guint, i));
                  double t, d2 = ngam_seg_dist2 (x, y, xy[2 * e->u], xy[2 * e->u + 1], xy[2 * e->v], xy[2 * e->v + 1], &t);
                  gboolean seen = FALSE;
                  gint16 op = g_array_index (plant->node_op, gint16, e->u);

                  if (d2 > tol * tol)
                    continue;
                  for (guint j = 0; j < i && !seen; j++)
                    {
                      const CoverPlantEdge *o = &g_array_index (plant->edges, CoverPlantEdge,
                                                                n_route_edges_start + g_array_index (buf, guint, j));
                      double t2;

                      seen = g_array_index (plant->node_op, gint16, o->u) == op &&
                             ngam_seg_dist2 (x, y, xy[2 * o->u], xy[2 * o->u + 1], xy[2 * o->v], xy[2 * o->v + 1], &t2) <= tol * tol;
                    }
                  if (!seen)
                    add_access (run, (guint8 *) node_ap->data, t <= 0.5 ? e->u : e->v, f->fid, kind == 1, x, y);
                }
            }
          if (!ok)
            goto fail;
        }
    }

  /* components of the intact plant */
  {
    NgamUnionFind uf;

    ngam_uf_init (&uf, MAX (plant->n_nodes, 1));
    for (guint i = 0; i < plant->edges->len; i++)
      {
        const CoverPlantEdge *e = &g_array_index (plant->edges, CoverPlantEdge, i);

        ngam_uf_union (&uf, e->u, e->v);
      }
    plant->component = g_new (guint, MAX (plant->n_nodes, 1));
    for (guint i = 0; i < plant->n_nodes; i++)
      plant->component[i] = ngam_uf_find (&uf, i);
    ngam_uf_clear (&uf);
  }
  cover_grid_free (grid);
  node_hash_clear (&h);
  return TRUE;

fail:
  cover_grid_free (grid);
  node_hash_clear (&h);
  return FALSE;
}

/* ---- the search ------------------------------------------------------ */

/**
 * cover_graph_multi_source:
 * @seed_edge: the edge each seed lies on
 * @seed_t: where on it (0 at u, 1 at v, by length)
 * @seed_add: what the seed already costs (its distance to the street)
 * @limit: labels above this are not needed
 * @dist: (out): n_nodes distances, INFINITY beyond @limit
 *
 * One Dijkstra from every seed at once.
 */
void
cover_graph_multi_source (const NgamGraph *g,
                          const guint     *seed_edge,
                          const double    *seed_t,
                          const double    *seed_add,
                          guint            n_seeds,
                          double           limit,
                          double          *dist)
{
  NgamHeap heap = { 0 };

  for (guint i = 0; i < g->n_nodes; i++)
    dist[i] = INFINITY;
  for (guint i = 0; i < n_seeds; i++)
    {
      guint e = seed_edge[i], u = g->edge_uv[2 * e], v = g->edge_uv[2 * e + 1];
      double len = g->edge[e].length, du = seed_add[i] + seed_t[i] * len, dv = seed_add[i] + (1 - seed_t[i]) * len;

      if (du <= limit && du < dist[u])
        {
          dist[u] = du;
          ngam_heap_push (&heap, du, u);
        }
      if (dv <= limit && dv < dist[v])
        {
          dist[v] = dv;
          ngam_heap_push (&heap, dv, v);
        }
    }
  while (heap.len > 0)
    {
      NgamHeapItem it = ngam_heap_pop (&heap);

      if (it.key > dist[it.node])
        continue;
      for (guint a = g->adj_start[it.node]; a < g->adj_start[it.node + 1]; a++)
        {
          guint w = g->adj_node[a];
          double d = it.key + g->edge[g->adj_edge[a]].length;

          if (d <= limit && d < dist[w])
            {
              dist[w] = d;
              ngam_heap_push (&heap, d, w);
            }
        }
    }
  ngam_heap_free (&heap);
}

/* Distance of a point on @edge at @t to the nearest seed through either
 * end. */
double
cover_located_distance (const NgamGraph *g,
                        const double    *dist,
                        guint            edge,
                        double           t)
{
  guint u = g->edge_uv[2 * edge], v = g->edge_uv[2 * edge + 1];
  double len = g->edge[edge].length;

  return MIN (dist[u] + t * len, dist[v] + (1 - t) * len);
}

/* Access points in the order of their street edge (then position on
 * it), those off the streets last: the seeds of every search come out
 * sorted, and a household finds those of its own edge by bisection. */
static int
cmp_access (const void *a,
            const void *b)
{
  const CoverAccess *x = a, *y = b;

  if (x->edge != y->edge)
    return x->edge < y->edge ? -1 : 1;
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  return x->plant_node < y->plant_node ? -1 : x->plant_node > y->plant_node;
}

void
cover_fibre_sort_access (CoverRun *run)
{
  qsort (run->access->data, run->access->len, sizeof (CoverAccess), cmp_access);
}

/**
 * cover_fibre_reach:
 * @live: (nullable): one flag per access point; NULL: all
 * @op: an operator's access points only, or -1
 * @seed_box: (nullable): only access points inside this box seed the
 *   search (a hazard's neighbourhood)
 * @subset: (nullable): only these demand points are evaluated (the others
 *   are left as they are in @reach)
 * @reach: (out): one flag per demand point
 */
void
cover_fibre_reach (CoverRun     *run,
                   const guint8 *live,
                   int           op,
                   const double *seed_box,
                   const GArray *subset,
                   guint8       *reach)
{
  const NgamGraph *g = run->graph;
  double limit = run->set.max_drop_m;
  g_autoptr(GArray) se = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) st = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) sa = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree double *dist = NULL;
  const guint *sev;
  const double *stv, *sav;
  guint n, nd = subset ? subset->len : run->demand->len;

  for (guint k = 0; k < nd; k++)
    reach[subset ? g_array_index (subset, guint, k) : k] = 0;
  if (g == NULL || g->n_edges == 0)
    return;
  for (guint i = 0; i < run->access->len; i++)
    {
      const CoverAccess *a = &g_array_index (run->access, CoverAccess, i);

      if (a->edge == G_MAXUINT || (live && !live[i]) || (op >= 0 && a->op != op) || a->lateral > limit)
        continue;
      if (seed_box && (a->x < seed_box[0] || a->x > seed_box[2] || a->y < seed_box[1] || a->y > seed_box[3]))
        continue;
      g_array_append_val (se, a->edge);
      g_array_append_val (st, a->t);
      g_array_append_val (sa, a->lateral);
    }
  n = se->len;
  if (n == 0)
    return;
  sev = (const guint *) se->data;
  stv = (const double *) st->data;
  sav = (const double *) sa->data;
  dist = g_new (double, g->n_nodes);
  cover_graph_multi_source (g, sev, stv, sav, n, limit, dist);
  for (guint k = 0; k < nd; k++)
    {
      guint i = subset ? g_array_index (subset, guint, k) : k;
      const CoverDemand *d = &g_array_index (run->demand, CoverDemand, i);
      double best;
      guint lo = 0, hi = n;

      if (d->edge == G_MAXUINT || d->lateral > limit)
        continue;
      best = d->lateral + cover_located_distance (g, dist, d->edge, d->t);
      /* seeds on the same edge: straight along it */
      while (lo < hi)
        {
          guint mid = (lo + hi) / 2;

          if (sev[mid] < d->edge)
            lo = mid + 1;
          else
            hi = mid;
        }
      for (guint k2 = lo; k2 < n && sev[k2] == d->edge; k2++)
        best = MIN (best, d->lateral + sav[k2] + fabs (stv[k2] - d->t) * g->edge[d->edge].length);
      reach[i] = best <= limit + 1e-9;
    }
}

/* Which access points keep their feed once the flagged plant is gone. */
void
cover_fibre_live (CoverRun     *run,
                  const guint8 *edge_failed,
                  const guint8 *ap_failed,
                  guint8       *live)
{
  CoverPlant *plant = &run->plant;
  NgamUnionFind uf;
  g_autofree double *piece_len = NULL, *best_len = NULL;
  g_autofree guint *best_piece = NULL;

  ngam_uf_init (&uf, MAX (plant->n_nodes, 1));
  for (guint i = 0; i < plant->edges->len; i++)
    if (!edge_failed || !edge_failed[i])
      {
        const CoverPlantEdge *e = &g_array_index (plant->edges, CoverPlantEdge, i);

        ngam_uf_union (&uf, e->u, e->v);
      }
  piece_len = g_new0 (double, MAX (plant->n_nodes, 1));
  for (guint i = 0; i < plant->edges->len; i++)
    if (!edge_failed || !edge_failed[i])
      {
        const CoverPlantEdge *e = &g_array_index (plant->edges, CoverPlantEdge, i);

        piece_len[ngam_uf_find (&uf, e->u)] += e->length;
      }
  /* per intact component, the piece with the most fibre (lowest root on
   * ties) keeps the feed */
  best_len = g_new (double, MAX (plant->n_nodes, 1));
  best_piece = g_new (guint, MAX (plant->n_nodes, 1));
  for (guint i = 0; i < plant->n_nodes; i++)
    {
      best_len[i] = -1;
      best_piece[i] = G_MAXUINT;
    }
  for (guint i = 0; i < plant->n_nodes; i++)
    {
      guint r = ngam_uf_find (&uf, i), c = plant->component[i];

      if (r != i)
        continue;
      if (piece_len[r] > best_len[c] || (piece_len[r] == best_len[c] && r < best_piece[c]))
        {
          best_len[c] = piece_len[r];
          best_piece[c] = r;
        }
    }
  for (guint i = 0; i < run->access->len; i++)
    {
      const CoverAccess *a = &g_array_index (run->access, CoverAccess, i);
      guint node = a->plant_node;

      live[i] = !(ap_failed && ap_failed[i]) && best_len[plant->component[node]] > 0 &&
                ngam_uf_find (&uf, node) == best_piece[plant->component[node]];
    }
  ngam_uf_clear (&uf);
}
