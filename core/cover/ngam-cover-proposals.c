/* ngam-cover-proposals.c — the cheapest ways to close the gaps: fibre
 * extensions and new sites
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fibre.  The households left out are grouped in cluster_size_m squares;
 * each group is a terminal on the street graph (the end of its
 * households' edges closest to their centre) with their household count ×
 * household_value_vnd as its prize.  One extra root node stands for the
 * existing fibre: it is joined to both ends of every access point's edge
 * at the cost of running fibre from the access point to that end.  The
 * prize-collecting Steiner tree (core/net, rooted at it) then connects
 * the groups that pay for themselves; each branch hanging from the root
 * is one proposal.  A proposal serves the households left out within the
 * drop limit of its new fibre; proposals are ranked greedily by cost per
 * household not already served by a better one; the cost is the fibre
 * (fibre_extension_vnd_per_m) plus each household's drop.
 *
 * Mobile.  Candidates are existing poles (one per candidate_spacing_m
 * square, the lowest fid), or a grid when the project has none.  A new
 * site is an omni cell of the technology's default range at the
 * candidate's environment; the greedy maximum coverage (lazy evaluation:
 * a candidate's gain only falls as others are chosen) picks the site that
 * covers most people still without that technology, then the next.
 */
#define G_LOG_DOMAIN "ngam-cover"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ngam-cover-private.h"
#include "ngam-steiner.h"
#include "ngam-net-private.h"

/* ---- fibre ----------------------------------------------------------- */

static int
cmp_cell4 (const void *a,
           const void *b)
{
  const gint64 *x = a, *y = b;

  for (int k = 0; k < 4; k++)
    if (k != 2 && x[k] != y[k])
      return x[k] < y[k] ? -1 : 1;
  return 0;
}

typedef struct
{
  GArray  *edges;        /* graph edges of the branch */
  guint    root_node;    /* the node the root link reaches */
  guint    root_ap;      /* the access point it comes from */
  double   length_m;
  GArray  *served;       /* demand indices within reach */
  guint64  new_hh;
  gboolean done;
} Branch;

static void
branch_clear (gpointer data)
{
  Branch *b = data;

  g_array_unref (b->edges);
  if (b->served)
    g_array_unref (b->served);
}

/* The part of @edge from @t0 to @t1 (by length) as a GEOS line string. */
static GEOSGeometry *
edge_piece (const NgamGraph *g,
            guint            edge,
            double           t0,
            double           t1)
{
  g_autoptr(NgamShape) s = ngam_graph_edge_shape (g, edge);
  g_autoptr(NgamShape) out = ngam_shape_new ();
  double total = ngam_shape_length (s), a = MIN (t0, t1) * total, b = MAX (t0, t1) * total, at = 0;

  ngam_shape_begin (out, NGAM_SHAPE_LINESTRING);
  ngam_shape_new_part (out);
  for (guint i = 0; i + 1 < s->n_points; i++)
    {
      double x0 = s->xy[2 * i], y0 = s->xy[2 * i + 1], x1 = s->xy[2 * i + 2], y1 = s->xy[2 * i + 3];
      double seg = hypot (x1 - x0, y1 - y0), lo = at, hi = at + seg;

      if (hi >= a && lo <= b && seg > 0)
        {
          double u0 = CLAMP ((a - lo) / seg, 0, 1), u1 = CLAMP ((b - lo) / seg, 0, 1);

          if (out->n_points == 0)
            ngam_shape_add_point (out, x0 + u0 * (x1 - x0), y0 + u0 * (y1 - y0));
          ngam_shape_add_point (out, x0 + u1 * (x1 - x0), y0 + u1 * (y1 - y0));
        }
      at = hi;
    }
  ngam_shape_finish (out);
  if (out->n_points < 2)
    return NULL;
  return ngam_shape_to_geos (out, NULL);
}

/* Unserved demand within the drop limit of a branch's fibre. */
static void
branch_reach (CoverRun     *run,
              Branch       *br,
              const guint8 *on_branch,
              double       *dist,
              GArray       *seeds_e,
              GArray       *seeds_t)
{
  const NgamGraph *g = run->graph;
  double limit = run->set.max_drop_m;
  g_autofree double *add = NULL;
  const CoverAccess *a = &g_array_index (run->access, CoverAccess, br->root_ap);

  g_array_set_size (seeds_e, 0);
  g_array_set_size (seeds_t, 0);
  for (guint k = 0; k < br->edges->len; k++)
    {
      guint e = g_array_index (br->edges, guint, k);
      double t0 = 0, t1 = 1;

      g_array_append_val (seeds_e, e);
      g_array_append_val (seeds_t, t0);
      g_array_append_val (seeds_e, e);
      g_array_append_val (seeds_t, t1);
    }
  {
    guint u = g->edge_uv[2 * a->edge];
    double t = br->root_node == u ? 0 : 1;

    g_array_append_val (seeds_e, a->edge);
    g_array_append_val (seeds_t, t);
  }
  add = g_new0 (double, seeds_e->len);
  cover_graph_multi_source (g, (guint *) seeds_e->data, (double *) seeds_t->data, add, seeds_e->len, limit, dist);
  br->served = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < run->demand->len; i++)
    {
      const CoverDemand *d = &g_array_index (run->demand, CoverDemand, i);
      double best;

      if (d->fibre || d->edge == G_MAXUINT || d->lateral > limit)
        continue;
      best = d->lateral + cover_located_distance (g, dist, d->edge, d->t);
      if (on_branch[d->edge])
        best = d->lateral;
      else if (d->edge == a->edge)
        {
          /* the root link runs along the access point's edge */
          double lo = MIN (a->t, br->root_node == g->edge_uv[2 * a->edge] ? 0.0 : 1.0);
          double hi = MAX (a->t, br->root_node == g->edge_uv[2 * a->edge] ? 0.0 : 1.0);

          if (d->t >= lo && d->t <= hi)
            best = d->lateral;
        }
      if (best <= limit + 1e-9)
        g_array_append_val (br->served, i);
    }
}

static gboolean
fibre_proposals (CoverRun *run,
                 GError  **error)
{
  const NgamGraph *g = run->graph;
  JsonBuilder *b = run->json;
  GEOSContextHandle_t h = ngam_geos_context ();
  double cpm = run->set.fibre_extension_vnd_per_m, cs = run->set.cluster_size_m;
  guint n = g->n_nodes, m = g->n_edges, root = n;
  g_autofree double *root_cost = g_new (double, n);
  g_autofree guint *root_ap = g_new (guint, n);
  g_autoptr(GArray) uv = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) len = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) terms = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) prizes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (gint64) * 4);
  g_autoptr(NgamGraph) aug = NULL;
  g_autoptr(NgamSteinerResult) tree = NULL;
  g_autoptr(GArray) branches = g_array_new (FALSE, TRUE, sizeof (Branch));
  g_autofree guint8 *on_branch = NULL;
  g_autofree double *dist = NULL;
  g_autofree guint8 *credited = NULL;
  g_autoptr(GArray) seeds_e = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) seeds_t = g_array_new (FALSE, FALSE, sizeof (double));
  NgamSteinerOptions sopt = { 0 };
  double inf = INFINITY;
  guint rank = 0;

  g_array_set_clear_func (branches, branch_clear);
  for (guint i = 0; i < n; i++)
    {
      root_cost[i] = INFINITY;
      root_ap[i] = G_MAXUINT;
    }
  for (guint i = 0; i < run->access->len; i++)
    {
      const CoverAccess *a = &g_array_index (run->access, CoverAccess, i);
      guint u, v;
      double el;

      if (a->edge == G_MAXUINT)
        continue;
      u = g->edge_uv[2 * a->edge];
      v = g->edge_uv[2 * a->edge + 1];
      el = g->edge[a->edge].length;
      if (a->lateral + a->t * el < root_cost[u])
        root_cost[u] = a->lateral + a->t * el, root_ap[u] = i;
      if (a->lateral + (1 - a->t) * el < root_cost[v])
        root_cost[v] = a->lateral + (1 - a->t) * el, root_ap[v] = i;
    }
  /* groups of households left out: (cell x, cell y, households, demand) */
  for (guint i = 0; i < run->demand->len; i++)
    {
      const CoverDemand *d = &g_array_index (run->demand, CoverDemand, i);
      gint64 c[4] = { (gint64) floor (d->x / cs), (gint64) floor (d->y / cs), d->households, i };

      if (!d->fibre && d->edge != G_MAXUINT)
        g_array_append_vals (cells, c, 1);
    }
  json_builder_set_member_name (b, "fibre");
  json_builder_begin_array (b);
  if (cells->len == 0)
    {
      json_builder_end_array (b);
      return TRUE;
    }
  /* by cell, then by demand index */
  qsort (cells->data, cells->len, 4 * sizeof (gint64), cmp_cell4);
  for (guint i = 0; i < cells->len;)
    {
      const gint64 *c = (const gint64 *) cells->data + 4 * i;
      double sx = 0, sy = 0, hh = 0, best = INFINITY;
      guint j = i, node = G_MAXUINT;

      for (; j < cells->len && c[4 * (j - i)] == c[0] && c[4 * (j - i) + 1] == c[1]; j++)
        {
          const CoverDemand *d = &g_array_index (run->demand, CoverDemand, (guint) c[4 * (j - i) + 3]);

          sx += d->x * d->households;
          sy += d->y * d->households;
          hh += d->households;
        }
      sx /= hh;
      sy /= hh;
      for (guint k = i; k < j; k++)
        {
          const CoverDemand *d = &g_array_index (run->demand, CoverDemand,
                                                 (guint) ((const gint64 *) cells->data)[4 * k + 3]);

          for (int s = 0; s < 2; s++)
            {
              guint nd = g->edge_uv[2 * d->edge + s];
              double dd = hypot (g->node_xy[2 * nd] - sx, g->node_xy[2 * nd + 1] - sy);

              if (dd < best || (dd == best && nd < node))
                best = dd, node = nd;
            }
        }
      {
        double prize = hh * run->set.household_value_vnd;

        g_array_append_val (terms, node);
        g_array_append_val (prizes, prize);
      }
      i = j;
    }
  g_array_prepend_val (terms, root);
  g_array_prepend_val (prizes, inf);

  /* the street graph plus the root */
  for (guint e = 0; e < m; e++)
    {
      double c = g->edge[e].length * cpm;

      g_array_append_vals (uv, g->edge_uv + 2 * e, 2);
      g_array_append_val (len, c);
    }
  for (guint i = 0; i < n; i++)
    if (isfinite (root_cost[i]))
      {
        guint pair[2] = { root, i };
        double c = root_cost[i] * cpm;

        g_array_append_vals (uv, pair, 2);
        g_array_append_val (len, c);
      }
  aug = ngam_graph_new_from_edges (n + 1, len->len, (guint *) uv->data, (double *) len->data, NULL, error);
  if (aug == NULL)
    return FALSE;
  sopt.terminals = (guint *) terms->data;
  sopt.n_terminals = terms->len;
  sopt.prizes = (double *) prizes->data;
  sopt.time_limit = 120;
  sopt.max_starts = run->set.steiner_max_starts;
  sopt.seed = 1;
  tree = ngam_steiner_solve (aug, NULL, &sopt, NULL, NULL, run->cancellable, error);
  if (tree == NULL)
    return FALSE;

  /* branches: the tree's components once the root is taken away */
  {
    NgamUnionFind uf;
    g_autofree guint *branch_of = g_new (guint, n);

    ngam_uf_init (&uf, n);
    for (guint k = 0; k < tree->edges->len; k++)
      {
        guint e = g_array_index (tree->edges, guint, k);

        if (e < m)
          ngam_uf_union (&uf, g->edge_uv[2 * e], g->edge_uv[2 * e + 1]);
      }
    for (guint i = 0; i < n; i++)
      branch_of[i] = G_MAXUINT;
    for (guint k = 0; k < tree->edges->len; k++)
      {
        guint e = g_array_index (tree->edges, guint, k), node;
        Branch br = { 0 };

        if (e < m)
          continue;
        node = aug->edge_uv[2 * e] == root ? aug->edge_uv[2 * e + 1] : aug->edge_uv[2 * e];
        br.edges = g_array_new (FALSE, FALSE, sizeof (guint));
        br.root_node = node;
        br.root_ap = root_ap[node];
        br.length_m = root_cost[node];
        branch_of[ngam_uf_find (&uf, node)] = branches->len;
        g_array_append_val (branches, br);
      }
    for (guint k = 0; k < tree->edges->len; k++)
      {
        guint e = g_array_index (tree->edges, guint, k), bi;

        if (e >= m)
          continue;
        bi = branch_of[ngam_uf_find (&uf, g->edge_uv[2 * e])];
        if (bi == G_MAXUINT)
          continue;   /* cannot happen in a tree through the root */
        g_array_append_val (g_array_index (branches, Branch, bi).edges, e);
        g_array_index (branches, Branch, bi).length_m += g->edge[e].length;
      }
    ngam_uf_clear (&uf);
  }

  /* households each branch serves, then the greedy ranking */
  on_branch = g_new0 (guint8, m);
  dist = g_new (double, n);
  for (guint bi = 0; bi < branches->len; bi++)
    {
      Branch *br = &g_array_index (branches, Branch, bi);

      if (!cover_run_check_cancel (run, error))
        return FALSE;
      for (guint k = 0; k < br->edges->len; k++)
        on_branch[g_array_index (br->edges, guint, k)] = 1;
      branch_reach (run, br, on_branch, dist, seeds_e, seeds_t);
      for (guint k = 0; k < br->edges->len; k++)
        on_branch[g_array_index (br->edges, guint, k)] = 0;
    }
  credited = g_new0 (guint8, MAX (run->demand->len, 1));
  while (rank < (guint) run->set.fibre_proposals)
    {
      guint best = G_MAXUINT;
      double best_cph = INFINITY;

      for (guint bi = 0; bi < branches->len; bi++)
        {
          Branch *br = &g_array_index (branches, Branch, bi);
          double cph;

          if (br->done)
            continue;
          br->new_hh = 0;
          for (guint k = 0; k < br->served->len; k++)
            {
              guint di = g_array_index (br->served, guint, k);

              if (!credited[di])
                br->new_hh += g_array_index (run->demand, CoverDemand, di).households;
            }
          if (br->new_hh == 0)
            continue;
          cph = (br->length_m * cpm + br->new_hh * run->set.fibre_drop_vnd_per_household) / br->new_hh;
          if (cph < best_cph)
            best_cph = cph, best = bi;
        }
      if (best == G_MAXUINT)
        break;
      {
        Branch *br = &g_array_index (branches, Branch, best);
        const CoverAccess *a = &g_array_index (run->access, CoverAccess, br->root_ap);
        double cost = br->length_m * cpm + br->new_hh * run->set.fibre_drop_vnd_per_household;
        g_autoptr(GPtrArray) lines = g_ptr_array_new ();
        g_autoptr(JsonBuilder) attrs = json_builder_new ();
        GEOSGeometry *link, *geom;

        br->done = TRUE;
        for (guint k = 0; k < br->served->len; k++)
          credited[g_array_index (br->served, guint, k)] = 1;
        rank++;
        link = edge_piece (g, a->edge, a->t, br->root_node == g->edge_uv[2 * a->edge] ? 0 : 1);
        if (link)
          g_ptr_array_add (lines, link);
        for (guint k = 0; k < br->edges->len; k++)
          {
            GEOSGeometry *l = edge_piece (g, g_array_index (br->edges, guint, k), 0, 1);

            if (l)
              g_ptr_array_add (lines, l);
          }
        geom = GEOSGeom_createCollection_r (h, GEOS_MULTILINESTRING, (GEOSGeometry **) lines->pdata, lines->len);

        json_builder_begin_object (b);
        cover_json_int (b, "rank", rank);
        cover_json_int (b, "households", br->new_hh);
        cover_json_double (b, "population", cover_population (run, br->new_hh));
        cover_json_double (b, "length_m", br->length_m);
        cover_json_double (b, "cost_vnd", cost);
        cover_json_double (b, "cost_per_household", cost / br->new_hh);
        cover_json_int (b, "edges", br->edges->len);
        json_builder_set_member_name (b, "from_access_point");
        json_builder_begin_object (b);
        cover_json_string (b, "kind", a->is_manhole ? "manhole" : "pole");
        if (a->fid >= 0)
          cover_json_int (b, "fid", a->fid);
        cover_json_double (b, "x", a->x);
        cover_json_double (b, "y", a->y);
        json_builder_end_object (b);
        json_builder_end_object (b);

        json_builder_begin_object (attrs);
        cover_json_int (attrs, "households", br->new_hh);
        cover_json_double (attrs, "cost_per_household", cost / br->new_hh);
        cover_json_int (attrs, "rank", rank);
        cover_json_double (attrs, "length_m", br->length_m);
        cover_run_add_feature (run, "proposal_fibre", NULL,
                               a->op >= 0 ? g_ptr_array_index (run->operators, a->op) : NULL, cost, attrs, geom);
      }
    }
  json_builder_end_array (b);
  return TRUE;
}

/* ---- mobile ---------------------------------------------------------- */

typedef struct
{
  double  x, y;
  gint64  pole_fid;
  double  r;
} Candidate;

typedef struct
{
  double key;
  guint  cand;
} GainItem;

static gint
cmp_gain (gconstpointer a,
          gconstpointer b)
{
  const GainItem *x = a, *y = b;

  if (x->key != y->key)
    return x->key > y->key ? -1 : 1;
  return x->cand < y->cand ? -1 : x->cand > y->cand;
}

/* Every pole as a candidate, or a grid when the project has none. */
static gboolean
load_candidates (CoverRun *run,
                 GArray   *cands,
                 GError  **error)
{
  g_autoptr(NgamStoreCursor) cur = ngam_store_query (run->store, NGAM_LAYER_POLES, NULL, NGAM_QUERY_SHAPE_ONLY, error);
  gboolean ok = TRUE;

  if (cur == NULL)
    return FALSE;
  while (cover_cursor_next (cur, &ok, error))
    {
      const NgamFeature *f = ngam_store_cursor_get (cur);
      Candidate c;

      if (f->retired || f->shape == NULL || f->shape->n_points < 1)
        continue;
      c.x = f->shape->xy[0];
      c.y = f->shape->xy[1];
      c.pole_fid = f->fid;
      c.r = 0;
      g_array_append_val (cands, c);
    }
  if (!ok)
    return FALSE;
  if (cands->len == 0 && run->demand->len > 0)
    {
      double ext[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY }, gs = run->set.candidate_grid_m;

      for (guint i = 0; i < run->demand->len; i++)
        {
          const CoverDemand *d = &g_array_index (run->demand, CoverDemand, i);

          ext[0] = MIN (ext[0], d->x), ext[1] = MIN (ext[1], d->y);
          ext[2] = MAX (ext[2], d->x), ext[3] = MAX (ext[3], d->y);
        }
      for (double y = floor (ext[1] / gs) * gs + gs / 2; y <= ext[3] + gs / 2 && cands->len < 4000000; y += gs)
        for (double x = floor (ext[0] / gs) * gs + gs / 2; x <= ext[2] + gs / 2; x += gs)
          {
            Candidate c = { x, y, -1, 0 };

            g_array_append_val (cands, c);
          }
      cover_run_note (run, _("the project has no poles: new sites are proposed on a %g m grid"), gs);
    }
  return TRUE;
}

static int
cmp_cell_index (const void *a,
                const void *b)
{
  const gint64 *x = a, *y = b;

  for (int k = 0; k < 3; k++)
    if (x[k] != y[k])
      return x[k] < y[k] ? -1 : 1;
  return 0;
}

static int
cmp_index (const void *a,
           const void *b)
{
  const gint64 *x = a, *y = b;

  return x[2] < y[2] ? -1 : x[2] > y[2];
}

/* At most one candidate (the first) per square of @cs. */
static GArray *
thin_candidates (const GArray *all,
                 double        cs)
{
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, 3 * sizeof (gint64));
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Candidate));
  g_autoptr(GArray) kept = g_array_new (FALSE, FALSE, 3 * sizeof (gint64));

  for (guint i = 0; i < all->len; i++)
    {
      const Candidate *c = &g_array_index (all, Candidate, i);
      gint64 k[3] = { (gint64) floor (c->x / cs), (gint64) floor (c->y / cs), i };

      g_array_append_vals (keys, k, 1);
    }
  qsort (keys->data, keys->len, 3 * sizeof (gint64), cmp_cell_index);
  for (guint i = 0; i < keys->len; i++)
    {
      const gint64 *k = (const gint64 *) keys->data + 3 * i;

      if (i == 0 || k[0] != k[-3] || k[1] != k[-2])
        g_array_append_vals (kept, k, 1);
    }
  qsort (kept->data, kept->len, 3 * sizeof (gint64), cmp_index);
  for (guint i = 0; i < kept->len; i++)
    g_array_append_val (out, g_array_index (all, Candidate, (guint) ((const gint64 *) kept->data)[3 * i + 2]));
  return out;
}

static double
candidate_gain (CoverRun        *run,
                const Candidate *c,
                guint            tech,
                const CoverGrid *grid,
                const GArray    *unc,
                const guint8    *done,
                GArray          *buf,
                GArray          *hits)
{
  CoverPiece p = { c->x, c->y, c->r, 0, 360, -1, tech, -1 };
  double box[4] = { c->x - c->r, c->y - c->r, c->x + c->r, c->y + c->r }, gain = 0;

  g_array_set_size (buf, 0);
  cover_grid_query (grid, box, buf);
  if (hits)
    g_array_set_size (hits, 0);
  for (guint k = 0; k < buf->len; k++)
    {
      guint u = g_array_index (buf, guint, k);
      const CoverDemand *d = &g_array_index (run->demand, CoverDemand, g_array_index (unc, guint, u));

      if (done[u] || !cover_piece_contains (&p, run->set.circle_quadrant_segments, d->x, d->y))
        continue;
      gain += cover_population (run, d->households);
      if (hits)
        g_array_append_val (hits, u);
    }
  return gain;
}

static gboolean
mobile_proposals (CoverRun *run,
                  GError  **error)
{
  JsonBuilder *b = run->json;
  GEOSContextHandle_t h = ngam_geos_context ();
  g_autoptr(GArray) all_cands = g_array_new (FALSE, FALSE, sizeof (Candidate));
  g_autoptr(GArray) buf = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree double *all_boxes = NULL;
  CoverGrid *all_grid = NULL;
  guint rank = 0;

  json_builder_set_member_name (b, "mobile");
  json_builder_begin_array (b);
  if (run->demand->len == 0 || run->n_sites_total == 0 || !(run->techs & NGAM_GAPS_MOBILE))
    {
      json_builder_end_array (b);
      return TRUE;
    }
  if (!load_candidates (run, all_cands, error))
    return FALSE;
  all_boxes = g_new (double, 4 * run->demand->len);
  for (guint i = 0; i < run->demand->len; i++)
    {
      const CoverDemand *d = &g_array_index (run->demand, CoverDemand, i);

      all_boxes[4 * i] = all_boxes[4 * i + 2] = d->x;
      all_boxes[4 * i + 1] = all_boxes[4 * i + 3] = d->y;
    }
  all_grid = cover_grid_new (all_boxes, run->demand->len, run->set.environment_radius_m);

  for (guint t = 0; t < NGAM_GAPS_N_MOBILE; t++)
    {
      g_autoptr(GArray) unc = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GArray) cands = NULL;
      g_autoptr(GArray) heap = g_array_new (FALSE, FALSE, sizeof (GainItem));
      g_autofree double *boxes = NULL;
      g_autofree guint8 *done = NULL;
      CoverGrid *grid;
      guint chosen = 0;

      if (!(run->techs & (1u << t)))
        continue;
      for (guint i = 0; i < run->demand->len; i++)
        if (!((g_array_index (run->demand, CoverDemand, i).covered >> t) & 1))
          g_array_append_val (unc, i);
      if (unc->len == 0)
        continue;
      cands = thin_candidates (all_cands, MAX (run->set.candidate_spacing_m,
                                               run->set.range_m[t][COVER_ENV_URBAN] / 2));
      boxes = g_new (double, 4 * unc->len);
      for (guint k = 0; k < unc->len; k++)
        {
          const CoverDemand *d = &g_array_index (run->demand, CoverDemand, g_array_index (unc, guint, k));

          boxes[4 * k] = boxes[4 * k + 2] = d->x;
          boxes[4 * k + 1] = boxes[4 * k + 3] = d->y;
        }
      grid = cover_grid_new (boxes, unc->len, 100);
      done = g_new0 (guint8, unc->len);
      /* each candidate's range at its environment, and its first gain */
      for (guint c = 0; c < cands->len; c++)
        {
          Candidate *cd = &g_array_index (cands, Candidate, c);
          double rr = run->set.environment_radius_m, box[4] = { cd->x - rr, cd->y - rr, cd->x + rr, cd->y + rr };
          double hh = 0, dens;
          int env = run->set.environment;
          GainItem it;

          if ((c & 1023) == 0 && !cover_run_check_cancel (run, error))
            {
              cover_grid_free (grid);
              cover_grid_free (all_grid);
              return FALSE;
            }
          if (env < 0)
            {
              g_array_set_size (buf, 0);
              cover_grid_query (all_grid, box, buf);
              for (guint k = 0; k < buf->len; k++)
                {
                  const CoverDemand *d = &g_array_index (run->demand, CoverDemand, g_array_index (buf, guint, k));

                  if (hypot (d->x - cd->x, d->y - cd->y) <= rr)
                    hh += d->households;
                }
              dens = hh / (G_PI * rr * rr / 1e6);
              env = dens >= run->set.dense_urban_households_per_km2 ? COVER_ENV_DENSE_URBAN
                    : dens >= run->set.urban_households_per_km2 ? COVER_ENV_URBAN : COVER_ENV_RURAL;
            }
          cd->r = run->set.range_m[t][env];
          if (!(cd->r > 0))
            continue;
          it.key = candidate_gain (run, cd, t, grid, unc, done, buf, NULL);
          it.cand = c;
          if (it.key > 0)
            g_array_append_val (heap, it);
        }
      g_array_sort (heap, cmp_gain);
      /* lazy greedy over a sorted list: re-evaluate the head, reinsert */
      while (chosen < (guint) run->set.mobile_proposals && heap->len > 0)
        {
          GainItem top = g_array_index (heap, GainItem, 0);
          Candidate *cd = &g_array_index (cands, Candidate, top.cand);
          double gain = candidate_gain (run, cd, t, grid, unc, done, buf, hits);

          g_array_remove_index (heap, 0);
          if (heap->len > 0 && cmp_gain (&(GainItem) { gain, top.cand }, &g_array_index (heap, GainItem, 0)) > 0)
            {
              GainItem it = { gain, top.cand };
              guint lo = 0, hi = heap->len;

              if (gain <= 0)
                continue;
              while (lo < hi)
                {
                  guint mid = (lo + hi) / 2;

                  if (cmp_gain (&g_array_index (heap, GainItem, mid), &it) < 0)
                    lo = mid + 1;
                  else
                    hi = mid;
                }
              g_array_insert_val (heap, lo, it);
              continue;
            }
          if (gain < run->set.mobile_min_population || gain <= 0)
            break;
          {
            g_autoptr(JsonBuilder) attrs = json_builder_new ();
            guint64 hh = 0;

            for (guint k = 0; k < hits->len; k++)
              {
                guint u = g_array_index (hits, guint, k);

                done[u] = 1;
                hh += g_array_index (run->demand, CoverDemand, g_array_index (unc, guint, u)).households;
              }
            chosen++;
            rank++;
            json_builder_begin_object (b);
            cover_json_int (b, "rank", chosen);
            cover_json_string (b, "tech", ngam_gaps_tech_name (t));
            json_builder_set_member_name (b, "fid_or_xy");
            if (cd->pole_fid >= 0)
              json_builder_add_int_value (b, cd->pole_fid);
            else
              {
                char x[G_ASCII_DTOSTR_BUF_SIZE], y[G_ASCII_DTOSTR_BUF_SIZE];
                g_autofree char *xy = g_strdup_printf ("%s,%s", g_ascii_formatd (x, sizeof x, "%.1f", cd->x),
                                                       g_ascii_formatd (y, sizeof y, "%.1f", cd->y));

                json_builder_add_string_value (b, xy);
              }
            if (cd->pole_fid >= 0)
              cover_json_int (b, "pole_fid", cd->pole_fid);
            cover_json_double (b, "x", cd->x);
            cover_json_double (b, "y", cd->y);
            cover_json_double (b, "range_m", cd->r);
            cover_json_double (b, "population_added", gain);
            cover_json_int (b, "households_added", hh);
            json_builder_end_object (b);

            json_builder_begin_object (attrs);
            cover_json_string (attrs, "tech", ngam_gaps_tech_name (t));
            cover_json_double (attrs, "population_added", gain);
            if (cd->pole_fid >= 0)
              cover_json_int (attrs, "pole_fid", cd->pole_fid);
            cover_json_int (attrs, "rank", chosen);
            cover_json_double (attrs, "range_m", cd->r);
            cover_run_add_feature (run, "proposal_site", NULL, NULL, NAN, attrs,
                                   GEOSGeom_createPointFromXY_r (h, cd->x, cd->y));
          }
        }
      cover_grid_free (grid);
    }
  cover_grid_free (all_grid);
  json_builder_end_array (b);
  return TRUE;
}

gboolean
cover_proposals (CoverRun *run,
                 GError  **error)
{
  JsonBuilder *b = run->json;

  json_builder_set_member_name (b, "proposals");
  json_builder_begin_object (b);
  if ((run->techs & NGAM_GAPS_FIBRE) && run->graph && run->access->len > 0 && run->demand->len > 0)
    {
      if (!fibre_proposals (run, error))
        return FALSE;
    }
  else
    {
      json_builder_set_member_name (b, "fibre");
      json_builder_begin_array (b);
      json_builder_end_array (b);
    }
  if (!mobile_proposals (run, error))
    return FALSE;
  json_builder_end_object (b);
  return TRUE;
}
