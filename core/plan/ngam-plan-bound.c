/* ngam-plan-bound.c — a proven lower bound on the trench network's design
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The design (ngam-plan-design.c) minimises, in each trench group,
 *
 *     Σ_e F_e · [some component uses e] + Σ_k Σ_{e ∈ T_k} c_e^k
 *
 * where c_e^k is what component k pays on e for its ducts and cables (or
 * its rent, on an existing duct with room).  Split each edge's fixed
 * charge into shares λ_e^k ≥ 0 with Σ_k λ_e^k ≤ 1: whenever e is dug,
 * F_e ≥ Σ_{k uses e} λ_e^k F_e, so every design costs at least
 *
 *     Σ_k  min over trees T of k's terminals of  Σ_{e ∈ T} (λ_e^k F_e + c_e^k)
 *
 * and each of those minima is at least the dual-ascent bound of one plain
 * Steiner problem (ngam-steiner-dual.c): a Lagrangian relaxation of the
 * coupling "k uses e only if e is dug", with multipliers λ_e^k F_e.  Any
 * shares give a valid bound; the work is in finding good ones.  We start
 * from the design in hand: a dug edge's charge in equal parts to the
 * components whose trees use it, an edge nobody digs in equal parts to
 * the components whose search area (the box ngam-plan-design.c searches
 * first) holds it.  Then a few rounds move charge to where it raises the
 * bound: a component whose dual ascent left reduced cost r on both arcs of
 * e can give up min(r, its share) of e and keep its dual feasible (so its
 * bound stays valid), and what is given up goes to the components for
 * which e is tight, whose duals stay feasible too and whose dual ascent,
 * run again, may rise.  A component's zone is its search box (a larger
 * one, tried, raised the bound by under 0.5 % at twice the time).  Each component keeps the best bound of any of its
 * duals, each valid at the final shares.  The bound is on the whole street
 * graph, not the search areas, so it bounds every design the rules allow:
 * the gap it proves is the most the design can lose to the best one.
 *
 * The bound covers what the design covers: the trench network's civil
 * works, ducts, cable pulling and rent.  Manholes, crossings, risers and
 * removals come after the design and are not in it.
 */
#define G_LOG_DOMAIN "ngam-plan"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ngam-plan-private.h"
#include "ngam-steiner-dual.h"

/* What component @c pays per metre of an edge it shares (ducts, cables),
 * and per metre of rent on an existing duct. */
double
plan_comp_var_per_m (const Plan *p,
                     const Comp *c)
{
  return c->ducts * p->sc->duct_per_m + c->cables * p->sc->cable_pulling_per_m;
}

double
plan_comp_rent_per_m (const Plan *p,
                      const Comp *c)
{
  return plan_rent_per_m (p->sc, c->diameter_mm) * c->cables * p->sc->rent_years;
}

/* Whether the existing duct along @edge is party @op's own: it pays no
 * rent there. */
gboolean
plan_duct_is_own (const Plan *p,
                  guint       edge,
                  int         op)
{
  const char *owner = p->edge_duct_owner ? p->edge_duct_owner[edge] : NULL;
  const Party *q = g_ptr_array_index (p->parties, op);

  return owner != NULL && g_str_equal (owner, q->name);
}

/* What component @c pays per metre to lay its cables in the existing duct
 * along @edge, as the bill prices it (ngam-plan-cost.c): the pulling, and
 * the rent unless the duct is its operator's own. */
double
plan_comp_reuse_per_m (const Plan *p,
                       const Comp *c,
                       guint       edge)
{
  double pulling = c->cables * p->sc->cable_pulling_per_m;

  return plan_duct_is_own (p, edge, c->op) ? pulling : plan_comp_rent_per_m (p, c) + pulling;
}

/* The box ngam-plan-design.c searches a component's tree in first. */
void
plan_comp_box (const Plan *p,
               const Comp *c,
               double      box[4])
{
  const NgamGraph *g = p->graph;
  double margin;

  box[0] = box[1] = INFINITY;
  box[2] = box[3] = -INFINITY;
  for (guint i = 0; i < c->terminals->len; i++)
    {
      guint v = g_array_index (c->terminals, guint, i);

      box[0] = MIN (box[0], g->node_xy[2 * v]);
      box[1] = MIN (box[1], g->node_xy[2 * v + 1]);
      box[2] = MAX (box[2], g->node_xy[2 * v]);
      box[3] = MAX (box[3], g->node_xy[2 * v + 1]);
    }
  margin = MAX (300.0, 0.25 * MAX (box[2] - box[0], box[3] - box[1]));
  box[0] -= margin;
  box[1] -= margin;
  box[2] += margin;
  box[3] += margin;
}

/* The terminals component @c's tree joins: all but those left out. */
static GArray *
joined_terminals (const Comp *c)
{
  GArray *terms = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) out = g_hash_table_new (NULL, NULL);

  if (c->left_out)
    for (guint i = 0; i < c->left_out->len; i++)
      g_hash_table_add (out, GUINT_TO_POINTER (g_array_index (c->left_out, guint, i) + 1));
  for (guint i = 0; i < c->terminals->len; i++)
    {
      guint t = g_array_index (c->terminals, guint, i);

      if (!g_hash_table_contains (out, GUINT_TO_POINTER (t + 1)))
        g_array_append_val (terms, t);
    }
  return terms;
}

#define ROUNDS 3

/* One component's part of the bound: the edges it may hold a share of
 * (its search box and its tree), its shares, and the reduced costs of its
 * best dual on those edges' two arcs. */
typedef struct
{
  const Comp *c;
  GArray     *terms;     /* guint: the terminals its tree joins */
  guint      *zone;      /* edges, sorted */
  guint       n_zone;
  double     *mu;        /* share of F per zone edge, VND */
  double     *rc;        /* 2 per zone edge */
  double      bound;
  double      var;
  gboolean    rerun;
} Part;

static void
part_clear (Part *t)
{
  g_clear_pointer (&t->terms, g_array_unref);
  g_free (t->zone);
  g_free (t->mu);
  g_free (t->rc);
}

/* Scratch shared by a group's components: full-graph node → local node,
 * G_MAXUINT when not local, and a mark per edge. */
typedef struct
{
  guint  *node_map;
  guint8 *in_zone;
} Scratch;

/* Dual ascent for @t at its shares, on its zone with everything outside
 * contracted into one node: a tree in the whole graph maps onto a
 * connected subgraph there that costs no more (the edges outside cost
 * nothing), so the bound there holds for the whole graph.  Keeps the dual
 * when its bound is the best so far. */
static void
part_ascend (const Plan *p,
             Part       *t,
             Scratch    *s,
             gboolean   *complete)
{
  const NgamGraph *g = p->graph;
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) uv = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) w = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(NgamDaGraph) dg = NULL;
  g_autofree double *rc = NULL;
  guint outside = G_MAXUINT;
  gboolean done;
  double lb;

#define LOCAL(v)                                                                                                      \
  (s->node_map[v] == G_MAXUINT ? (s->node_map[v] = nodes->len, g_array_append_val (nodes, v), nodes->len - 1)        \
                               : s->node_map[v])
  for (guint i = 0; i < t->n_zone; i++)
    s->in_zone[t->zone[i]] = 1;
  /* the zone's edges first, in zone order, then the edges at its nodes */
  for (guint i = 0; i < t->n_zone; i++)
    {
      guint e = t->zone[i], a = g->edge_uv[2 * e], b = g->edge_uv[2 * e + 1];
      guint la = LOCAL (a), lb_ = LOCAL (b);

      g_array_append_val (uv, la);
      g_array_append_val (uv, lb_);
    }
  for (guint i = 0, n_zone_nodes = nodes->len; i < n_zone_nodes; i++)
    {
      guint v = g_array_index (nodes, guint, i);

      for (guint k = g->adj_start[v]; k < g->adj_start[v + 1]; k++)
        {
          guint e = g->adj_edge[k], o = g->adj_node[k], lv = s->node_map[v], lo;

          if (s->in_zone[e] || o == v)
            continue;
          if (s->node_map[o] != G_MAXUINT && s->node_map[o] < n_zone_nodes)
            {
              if (o < v)
                continue;       /* added from its other end */
              lo = s->node_map[o];
            }
          else
            {
              outside = lo = G_MAXUINT - 1;   /* numbered below, after the zone's nodes */
            }
          g_array_append_val (uv, lv);
          g_array_append_val (uv, lo);
          {
            double c = isfinite (p->edge_fixed[e]) ? t->var * p->edge_len[e] : INFINITY;

            if (p->edge_duct_free[e] >= t->c->ducts && p->edge_in_scope[e])
              c = MIN (c, plan_comp_reuse_per_m (p, t->c, e) * p->edge_len[e]);
            g_array_append_val (w, c);
          }
        }
    }
#undef LOCAL
  /* the zone edges' costs, in front of the others' */
  {
    g_autofree double *zw = g_new (double, MAX (t->n_zone, 1));

    for (guint i = 0; i < t->n_zone; i++)
      {
        guint e = t->zone[i];
        double c = isfinite (p->edge_fixed[e]) ? t->var * p->edge_len[e] + t->mu[i] : INFINITY;

        if (p->edge_duct_free[e] >= t->c->ducts && p->edge_in_scope[e])
          c = MIN (c, plan_comp_reuse_per_m (p, t->c, e) * p->edge_len[e]);
        zw[i] = c;
      }
    g_array_prepend_vals (w, zw, t->n_zone);
  }
  if (outside != G_MAXUINT)
    {
      outside = nodes->len;
      for (guint i = 0; i < uv->len; i++)
        if (g_array_index (uv, guint, i) == G_MAXUINT - 1)
          g_array_index (uv, guint, i) = outside;
    }
  dg = ngam_da_graph_new (nodes->len + (outside != G_MAXUINT), w->len, (const guint *) uv->data,
                          (const double *) w->data, 0, 0);
  for (guint i = 0; i < t->terms->len; i++)
    dg->is_term[s->node_map[g_array_index (t->terms, guint, i)]] = 1;
  dg->root = s->node_map[g_array_index (t->terms, guint, 0)];
  ngam_da_graph_finish (dg);
  rc = g_new (double, MAX (dg->n_arcs, 1));
  lb = ngam_dual_ascent (dg, rc, TRUE, INFINITY, &done);
  *complete &= done;
  if (lb > t->bound)
    {
      t->bound = lb;
      for (guint i = 0; i < t->n_zone; i++)
        {
          double c = g_array_index (w, double, i);

          /* an arc the graph left out (its cost is infinite) has no slack
           * to give */
          t->rc[2 * i] = isfinite (c) ? rc[2 * i] : 0;
          t->rc[2 * i + 1] = isfinite (c) ? rc[2 * i + 1] : 0;
        }
    }
  t->rerun = FALSE;
  for (guint i = 0; i < nodes->len; i++)
    s->node_map[g_array_index (nodes, guint, i)] = G_MAXUINT;
  for (guint i = 0; i < t->n_zone; i++)
    s->in_zone[t->zone[i]] = 0;
}

static guint
zone_index (const Part *t,
            guint       e)
{
  guint lo = 0, hi = t->n_zone;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (t->zone[mid] < e)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The bound of one trench group. */
static gboolean
group_bound (Plan    *p,
             int      group,
             double  *bound,
             GError **error)
{
  const NgamGraph *g = p->graph;
  guint m = g->n_edges;
  g_autoptr(GArray) parts = g_array_new (FALSE, TRUE, sizeof (Part));
  g_autofree guint *sharers = g_new0 (guint, MAX (m, 1));
  g_autofree guint *users = g_new0 (guint, MAX (m, 1));
  g_autofree guint *holder_start = g_new0 (guint, m + 1);
  g_autofree guint *holder = NULL;
  g_autofree guint *node_map = g_new (guint, MAX (g->n_nodes, 1));
  g_autofree guint8 *in_zone = g_new0 (guint8, MAX (m, 1));
  Scratch scratch = { node_map, in_zone };
  gboolean complete = TRUE;
  double before = 0;
  guint64 zone_sum = 0;

  memset (node_map, 0xff, sizeof (guint) * MAX (g->n_nodes, 1));
  for (guint k = 0; k < p->comps->len; k++)
    {
      const Comp *c = &g_array_index (p->comps, Comp, k);
      g_autoptr(GArray) zone = NULL;
      Part t = { c };
      double box[4];

      if (c->group != group || c->terminals->len < 2)
        continue;
      t.terms = joined_terminals (c);
      if (t.terms->len < 2)
        {
          part_clear (&t);
          continue;
        }
      zone = g_array_new (FALSE, FALSE, sizeof (guint));
      plan_comp_box (p, c, box);
      ngam_graph_edges_near ((NgamGraph *) g, box, zone);
      g_array_append_vals (zone, c->tree->data, c->tree->len);
      g_array_sort (zone, plan_cmp_guint);
      t.n_zone = 0;
      for (guint i = 0; i < zone->len; i++)
        if (t.n_zone == 0 || g_array_index (zone, guint, i) != g_array_index (zone, guint, t.n_zone - 1))
          g_array_index (zone, guint, t.n_zone++) = g_array_index (zone, guint, i);
      t.zone = g_memdup2 (zone->data, sizeof (guint) * MAX (t.n_zone, 1));
      t.mu = g_new0 (double, MAX (t.n_zone, 1));
      t.rc = g_new0 (double, 2 * MAX (t.n_zone, 1));
      t.bound = -INFINITY;
      t.var = plan_comp_var_per_m (p, c);
      for (guint i = 0; i < t.n_zone; i++)
        {
          sharers[t.zone[i]]++;
          holder_start[t.zone[i] + 1]++;
        }
      for (guint i = 0; i < c->tree->len; i++)
        users[g_array_index (c->tree, guint, i)]++;
      g_array_append_val (parts, t);
    }
  for (guint e = 0; e < m; e++)
    holder_start[e + 1] += holder_start[e];
  holder = g_new (guint, MAX (holder_start[m], 1));
  {
    g_autofree guint *fill = g_memdup2 (holder_start, sizeof (guint) * (m + 1));

    for (guint j = 0; j < parts->len; j++)
      {
        Part *t = &g_array_index (parts, Part, j);
        g_autofree guint8 *in_tree = g_new0 (guint8, MAX (t->n_zone, 1));

        for (guint i = 0; i < t->c->tree->len; i++)
          in_tree[zone_index (t, g_array_index (t->c->tree, guint, i))] = 1;
        for (guint i = 0; i < t->n_zone; i++)
          {
            guint e = t->zone[i];
            double fixed = isfinite (p->edge_fixed[e]) ? p->edge_fixed[e] : 0;

            holder[fill[e]++] = j;
            t->mu[i] = users[e] > 0 ? (in_tree[i] ? fixed / users[e] : 0) : fixed / sharers[e];
          }
      }
  }

  for (guint j = 0; j < parts->len; j++)
    zone_sum += g_array_index (parts, Part, j).n_zone;
  for (int round = 0; round <= ROUNDS; round++)
    {
      double sum = 0;

      for (guint j = 0; j < parts->len; j++)
        {
          Part *t = &g_array_index (parts, Part, j);

          if (plan_cancelled (p, error))
            goto fail;
          if (round == 0 || t->rerun)
            part_ascend (p, t, &scratch, &complete);
          sum += t->bound;
        }
      g_debug ("design bound, group %d, round %d: %.0f (%u parts, zones %" G_GUINT64_FORMAT " edges of %u)", group,
               round, sum, parts->len, zone_sum, m);
      if (round == ROUNDS || (round > 1 && sum < before * (1 + 1e-4)))
        {
          before = sum;
          break;
        }
      before = sum;
      /* move the charges the duals do not need to the components that are
       * tight on the edge */
      for (guint e = 0; e < m; e++)
        {
          double pool = 0;
          guint n_tight = 0;

          if (!isfinite (p->edge_fixed[e]) || holder_start[e + 1] - holder_start[e] < 2)
            continue;
          for (guint h = holder_start[e]; h < holder_start[e + 1]; h++)
            {
              Part *t = &g_array_index (parts, Part, holder[h]);
              guint i = zone_index (t, e);
              double give = MIN (t->mu[i], MIN (t->rc[2 * i], t->rc[2 * i + 1]));

              if (give > 0)
                {
                  t->mu[i] -= give;
                  t->rc[2 * i] -= give;
                  t->rc[2 * i + 1] -= give;
                  pool += give;
                }
              n_tight += MIN (t->rc[2 * i], t->rc[2 * i + 1]) <= 0;
            }
          if (pool <= 0)
            continue;
          for (guint h = holder_start[e]; h < holder_start[e + 1]; h++)
            {
              Part *t = &g_array_index (parts, Part, holder[h]);
              guint i = zone_index (t, e);

              if (n_tight > 0 && MIN (t->rc[2 * i], t->rc[2 * i + 1]) > 0)
                continue;
              /* with nobody tight, everyone takes its part back */
              t->mu[i] += pool / (n_tight > 0 ? n_tight : holder_start[e + 1] - holder_start[e]);
              t->rc[2 * i] += pool / (n_tight > 0 ? n_tight : holder_start[e + 1] - holder_start[e]);
              t->rc[2 * i + 1] += pool / (n_tight > 0 ? n_tight : holder_start[e + 1] - holder_start[e]);
              t->rerun = TRUE;
            }
        }
    }
  *bound += before;
  p->design_bound_complete &= complete;
  for (guint j = 0; j < parts->len; j++)
    part_clear (&g_array_index (parts, Part, j));
  return TRUE;

fail:
  for (guint j = 0; j < parts->len; j++)
    part_clear (&g_array_index (parts, Part, j));
  return FALSE;
}

gboolean
plan_bound (Plan    *p,
            GError **error)
{
  double t0 = g_get_monotonic_time () / 1e6;

  p->design_bound = 0;
  p->design_bound_complete = TRUE;
  for (int group = 0; group < p->n_groups; group++)
    if (!group_bound (p, group, &p->design_bound, error))
      return FALSE;
  g_debug ("design bound %.0f for %.0f, %u components, %.3f s", p->design_bound, p->cost_design,
           p->comps->len, g_get_monotonic_time () / 1e6 - t0);
  return TRUE;
}
