/* ngam-plan-design.c — the trench network as a fixed-charge design
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A trench costs once per street edge whatever it carries (its civil
 * works, F_e) plus, for each aerial component k routed through it, a cost
 * per metre of its ducts and cables (v_e^k); an existing duct with free
 * capacity costs its rent instead.  The design minimises
 *
 *     Σ_e F_e · [some component uses e] + Σ_k Σ_{e ∈ T_k} v_e^k
 *
 * over one Steiner tree T_k per component (each must connect what its
 * aerial network connected): the multi-commodity fixed-charge network
 * design of Bley, Ljubić and Maurer (2013), with trees instead of flows.
 *
 * First design: every component's tree alone, at full price (Mehlhorn's
 * construction and key-path local search, ngam-steiner.c).  Then local
 * search by best response, as in the dynamic slope scaling of Kim and
 * Pardalos (1999) for fixed-charge flows: each component in turn is
 * re-solved with the trenches the others already dig priced at their
 * marginal cost (v_e^k alone, F_e already paid), and its new tree is kept
 * when it lowers the total above; the objective only goes down, so the
 * rounds stop, when no component moves or after a few rounds.  Under
 * --no-sharing the same runs inside each operator's own group: each
 * operator pays its own trenches.
 *
 * Each tree is solved on the streets around its terminals (their box and a
 * margin) so that the work grows with the component, not with the town;
 * when that piece does not connect them the whole graph is used.
 */
#define G_LOG_DOMAIN "ngam-plan"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ngam-plan-private.h"
#include "ngam-steiner.h"

#define MAX_ROUNDS 4

/* Above this many terminals a tree is the pruned minimum spanning tree of
 * the usable streets instead of the engine's Steiner search: aerial
 * networks cover most street nodes of their area, where the pruned MST is
 * close to optimal, and the engine's vertex-insertion search grows with
 * the square of such trees. */
#define MAX_SEARCH_TERMINALS 1000

typedef struct
{
  Plan    *p;
  int     *use;        /* components of the current group using each edge */
  double  *cost;       /* scratch: one component's prices */
  guint   *node_map;   /* scratch: full-graph node → subgraph node, G_MAXUINT */
} Design;

/* Prices the edges @edges (NULL: all) for component @c. */
static void
price (Design       *d,
       const Comp   *c,
       const GArray *edges)
{
  Plan *p = d->p;
  double var = plan_comp_var_per_m (p, c);
  guint n = edges ? edges->len : p->graph->n_edges;

  for (guint i = 0; i < n; i++)
    {
      guint e = edges ? g_array_index (edges, guint, i) : i;
      double dig = (d->use[e] > 0 ? (isfinite (p->edge_fixed[e]) ? 0 : INFINITY) : p->edge_fixed[e]) +
                   var * p->edge_len[e];

      if (p->edge_duct_free[e] >= c->ducts && p->edge_in_scope[e])
        dig = MIN (dig, plan_comp_reuse_per_m (p, c, e) * p->edge_len[e]);
      d->cost[e] = dig;
    }
}

static double
tree_cost (const Design *d,
           const GArray *tree)
{
  double sum = 0;

  for (guint i = 0; i < tree->len; i++)
    sum += d->cost[g_array_index (tree, guint, i)];
  return sum;
}

static guint
uf_find (guint *parent,
         guint  x)
{
  while (parent[x] != x)
    x = parent[x] = parent[parent[x]];
  return x;
}

static int
cmp_by_weight (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  const double *sort_w = data;
  guint x = *(const guint *) a, y = *(const guint *) b;

  if (sort_w[x] != sort_w[y])
    return sort_w[x] < sort_w[y] ? -1 : 1;
  return x < y ? -1 : x > y;
}

/* Kruskal over the subgraph (ties by edge number), then non-terminal
 * leaves pruned until none is left. */
static gboolean
pruned_mst (Design       *d,
            const GArray *edges,
            guint         m,
            const guint  *uv,
            const double *w,
            guint         n,
            const GArray *keep,
            GArray       *tree)
{
  g_autofree guint *order = g_new (guint, MAX (m, 1));
  g_autofree guint *parent = g_new (guint, MAX (n, 1));
  g_autofree guint *deg = g_new0 (guint, MAX (n, 1));
  g_autofree guint8 *is_term = g_new0 (guint8, MAX (n, 1));
  g_autofree guint8 *in = g_new0 (guint8, MAX (m, 1));
  g_autofree guint *adj_start = g_new0 (guint, n + 1);
  g_autofree guint *adj = NULL;
  g_autofree guint *fill = NULL;
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));
  guint k = 0;

  for (guint i = 0; i < m; i++)
    if (isfinite (w[i]))
      order[k++] = i;
  g_qsort_with_data (order, (gint) k, sizeof (guint), cmp_by_weight, (gpointer) w);
  for (guint v = 0; v < n; v++)
    parent[v] = v;
  for (guint i = 0; i < keep->len; i++)
    is_term[g_array_index (keep, guint, i)] = 1;
  for (guint i = 0; i < k; i++)
    {
      guint e = order[i], a = uf_find (parent, uv[2 * e]), b = uf_find (parent, uv[2 * e + 1]);

      if (a == b)
        continue;
      parent[a] = b;
      in[e] = 1;
      deg[uv[2 * e]]++;
      deg[uv[2 * e + 1]]++;
    }
  for (guint e = 0; e < m; e++)
    if (in[e])
      {
        adj_start[uv[2 * e] + 1]++;
        adj_start[uv[2 * e + 1] + 1]++;
      }
  for (guint v = 0; v < n; v++)
    adj_start[v + 1] += adj_start[v];
  adj = g_new (guint, MAX (adj_start[n], 1));
  fill = g_memdup2 (adj_start, sizeof (guint) * (n + 1));
  for (guint e = 0; e < m; e++)
    if (in[e])
      {
        adj[fill[uv[2 * e]]++] = e;
        adj[fill[uv[2 * e + 1]]++] = e;
      }
  for (guint v = 0; v < n; v++)
    if (deg[v] == 1 && !is_term[v])
      g_array_append_val (stack, v);
  while (stack->len > 0)
    {
      guint v = g_array_index (stack, guint, stack->len - 1);

      g_array_set_size (stack, stack->len - 1);
      if (deg[v] != 1 || is_term[v])
        continue;
      for (guint i = adj_start[v]; i < adj_start[v + 1]; i++)
        {
          guint e = adj[i];

          if (in[e])
            {
              guint u = uv[2 * e] == v ? uv[2 * e + 1] : uv[2 * e];

              in[e] = 0;
              deg[v]--;
              if (--deg[u] == 1 && !is_term[u])
                g_array_append_val (stack, u);
              break;
            }
        }
    }
  for (guint e = 0; e < m; e++)
    if (in[e])
      {
        guint ge = edges ? g_array_index (edges, guint, e) : e;

        g_array_append_val (tree, ge);
      }
  (void) d;
  return TRUE;
}

/* Solves the tree of @terms on the edges @edges (of the full graph; NULL
 * for all) at prices d->cost.  Terminals the usable edges do not join to
 * the largest group are returned in @left_out.  Returns FALSE on error. */
static gboolean
solve_on (Design       *d,
          const GArray *edges,
          const GArray *terms,
          GArray       *tree,
          GArray       *left_out,
          GError      **error)
{
  Plan *p = d->p;
  NgamGraph *g = p->graph;
  guint m = edges ? edges->len : g->n_edges;
  guint *node_map = d->node_map;
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree guint *uv = g_new (guint, 2 * MAX (m, 1));
  g_autofree double *w = g_new (double, MAX (m, 1));
  g_autofree guint *parent = NULL;
  g_autofree guint *count = NULL;
  g_autoptr(GArray) keep = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(NgamGraph) sub = NULL;
  g_autoptr(NgamSteinerResult) res = NULL;
  NgamSteinerOptions opt = { 0 };
  guint best = G_MAXUINT;

  for (guint i = 0; i < m; i++)
    {
      guint e = edges ? g_array_index (edges, guint, i) : i;

      for (int k = 0; k < 2; k++)
        {
          guint v = g->edge_uv[2 * e + k];

          if (node_map[v] == G_MAXUINT)
            {
              node_map[v] = nodes->len;
              g_array_append_val (nodes, v);
            }
          uv[2 * i + k] = node_map[v];
        }
      w[i] = d->cost[e];
    }
  for (guint i = 0; i < terms->len; i++)
    {
      guint v = g_array_index (terms, guint, i);

      if (node_map[v] == G_MAXUINT)
        {
          node_map[v] = nodes->len;
          g_array_append_val (nodes, v);
        }
    }
  /* which terminals the usable edges join */
  parent = g_new (guint, nodes->len);
  count = g_new0 (guint, nodes->len);
  for (guint i = 0; i < nodes->len; i++)
    parent[i] = i;
  for (guint i = 0; i < m; i++)
    if (isfinite (w[i]))
      parent[uf_find (parent, uv[2 * i])] = uf_find (parent, uv[2 * i + 1]);
  for (guint i = 0; i < terms->len; i++)
    {
      guint r = uf_find (parent, node_map[g_array_index (terms, guint, i)]);

      count[r]++;
      if (best == G_MAXUINT || count[r] > count[best])
        best = r;
    }
  for (guint i = 0; i < terms->len; i++)
    {
      guint t = g_array_index (terms, guint, i), local = node_map[t];

      if (uf_find (parent, local) == best)
        g_array_append_val (keep, local);
      else
        g_array_append_val (left_out, t);
    }
  for (guint i = 0; i < nodes->len; i++)
    node_map[g_array_index (nodes, guint, i)] = G_MAXUINT;
  g_array_set_size (tree, 0);
  if (keep->len < 2)
    return TRUE;
  if (keep->len > MAX_SEARCH_TERMINALS)
    return pruned_mst (d, edges, m, uv, w, nodes->len, keep, tree);
  sub = ngam_graph_new_from_edges (nodes->len, m, uv, NULL, NULL, error);
  if (sub == NULL)
    return FALSE;
  opt.terminals = (const guint *) keep->data;
  opt.n_terminals = keep->len;
  opt.max_starts = 1;
  opt.time_limit = 600;
  opt.seed = 1;
  res = ngam_steiner_solve (sub, w, &opt, NULL, NULL, p->cancellable, error);
  if (res == NULL)
    return FALSE;
  for (guint i = 0; i < res->edges->len; i++)
    {
      guint le = g_array_index (res->edges, guint, i);
      guint e = edges ? g_array_index (edges, guint, le) : le;

      g_array_append_val (tree, e);
    }
  return TRUE;
}

/* One component's tree: on its neighbourhood first, else everywhere. */
static gboolean
solve_comp (Design  *d,
            Comp    *c,
            GArray  *tree,
            double  *old_cost,
            GError **error)
{
  Plan *p = d->p;
  double box[4];
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) left = g_array_new (FALSE, FALSE, sizeof (guint));

  plan_comp_box (p, c, box);
  if (c->terminals->len >= 2)
    {
      ngam_graph_edges_near (p->graph, box, edges);
      price (d, c, edges);
      price (d, c, c->tree);
      if (old_cost)
        *old_cost = tree_cost (d, c->tree);
      if (!solve_on (d, edges, c->terminals, tree, left, error))
        return FALSE;
    }
  if (left->len > 0)
    {
      g_array_set_size (left, 0);
      price (d, c, NULL);
      if (!solve_on (d, NULL, c->terminals, tree, left, error))
        return FALSE;
    }
  g_array_sort (tree, plan_cmp_guint);
  if (c->left_out)
    g_array_set_size (c->left_out, 0);
  else
    c->left_out = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_vals (c->left_out, left->data, left->len);
  c->connected = left->len == 0;
  return TRUE;
}

static void
use_tree (Design       *d,
          const GArray *tree,
          int           delta)
{
  for (guint i = 0; i < tree->len; i++)
    d->use[g_array_index (tree, guint, i)] += delta;
}

/* The objective of the current design of one group. */
static double
group_objective (Design *d,
                 int     group)
{
  Plan *p = d->p;
  g_autofree guint8 *dug = g_new0 (guint8, MAX (p->graph->n_edges, 1));
  double sum = 0;

  for (guint k = 0; k < p->comps->len; k++)
    {
      Comp *c = &g_array_index (p->comps, Comp, k);

      if (c->group != group)
        continue;
      for (guint i = 0; i < c->tree->len; i++)
        {
          guint e = g_array_index (c->tree, guint, i);

          if (p->edge_duct_free[e] >= c->ducts && p->edge_in_scope[e])
            sum += plan_comp_reuse_per_m (p, c, e) * p->edge_len[e];
          else
            {
              sum += plan_comp_var_per_m (p, c) * p->edge_len[e];
              if (!dug[e])
                sum += p->edge_fixed[e];
              dug[e] = 1;
            }
        }
    }
  return sum;
}

gboolean
plan_design (Plan    *p,
             GError **error)
{
  guint m = p->graph->n_edges, n = p->comps->len;
  g_autofree int *use = g_new0 (int, MAX (m, 1));
  g_autofree double *cost = g_new (double, MAX (m, 1));
  g_autofree guint *node_map = g_new (guint, MAX (p->graph->n_nodes, 1));
  Design d = { p, use, cost, node_map };
  guint done = 0, total = MAX (n, 1) * (1 + MAX_ROUNDS);

  memset (node_map, 0xff, sizeof (guint) * MAX (p->graph->n_nodes, 1));
  for (guint k = 0; k < n; k++)
    {
      Comp *c = &g_array_index (p->comps, Comp, k);

      c->ducts = plan_ducts_for (p->sc, c->cables, c->diameter_mm, p->sc->duct_inner_mm);
    }
  for (int group = 0; group < p->n_groups; group++)
    {
      memset (use, 0, sizeof (int) * MAX (m, 1));
      /* first design: each component alone at full price */
      for (guint k = 0; k < n; k++)
        {
          Comp *c = &g_array_index (p->comps, Comp, k);

          if (c->group != group)
            continue;
          if (plan_cancelled (p, error))
            return FALSE;
          if (!solve_comp (&d, c, c->tree, NULL, error))
            return FALSE;
          c->own_cost = tree_cost (&d, c->tree);
          p->cost_design_alone += c->own_cost;
          if (p->progress)
            p->progress (0.3 + 0.4 * (++done) / total, _("Designing the trench network"), p->progress_data);
        }
      for (guint k = 0; k < n; k++)
        {
          Comp *c = &g_array_index (p->comps, Comp, k);

          if (c->group == group)
            use_tree (&d, c->tree, +1);
        }
      /* best-response rounds on the fixed-charge cost */
      for (int round = 0; round < MAX_ROUNDS; round++)
        {
          gboolean moved = FALSE;

          for (guint k = 0; k < n; k++)
            {
              Comp *c = &g_array_index (p->comps, Comp, k);
              g_autoptr(GArray) tree = g_array_new (FALSE, FALSE, sizeof (guint));
              double old_cost, new_cost;

              if (c->group != group || c->terminals->len < 2)
                continue;
              if (plan_cancelled (p, error))
                return FALSE;
              use_tree (&d, c->tree, -1);
              if (!solve_comp (&d, c, tree, &old_cost, error))
                return FALSE;
              new_cost = tree_cost (&d, tree);
              if (new_cost < old_cost - 1e-6 * MAX (1.0, old_cost) && c->connected)
                {
                  g_array_set_size (c->tree, 0);
                  g_array_append_vals (c->tree, tree->data, tree->len);
                  moved = TRUE;
                }
              use_tree (&d, c->tree, +1);
              if (p->progress)
                p->progress (0.3 + 0.4 * MIN (1.0, (double) (++done) / total), _("Sharing trenches"), p->progress_data);
            }
          if (!moved)
            break;
        }
      p->cost_design += group_objective (&d, group);
    }
  return TRUE;
}
