/* ngam-plan-match.c — aerial spans onto the street graph, and the aerial
 * components each operator's underground network must connect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both ends of a span are located on the nearest street edge (within
 * match_distance_m).  Ends on one edge that project onto nearly the same
 * point (less than half the span apart along it) are a span across that
 * street: a crossing.  Otherwise the shortest street path between the two
 * located points is taken: when it is about as long as the span (within
 * 30 % and 10 m) the span runs along those streets (`street`), when it is
 * longer but within match_detour times the span it crosses a block, a
 * field or the river and its cable takes that path (`path`).  Anything
 * else is listed as unmatched with the reason.
 *
 * An operator's aerial component (its spans joined by shared poles) is
 * what the underground network must keep connected; its terminals are the
 * end nodes of every edge its spans map onto (a span ending mid-edge
 * brings the trench to the next node: an over-estimate of at most one
 * partial edge, said in the plan's notes).
 */
#define G_LOG_DOMAIN "ngam-plan"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ngam-plan-private.h"

int
plan_party (Plan       *p,
            const char *name,
            gboolean    power)
{
  for (guint i = 0; i < p->parties->len; i++)
    {
      Party *q = g_ptr_array_index (p->parties, i);

      if (g_str_equal (q->name, name))
        {
          q->power |= power;
          return (int) i;
        }
    }
  {
    Party *q = g_new0 (Party, 1);

    q->name = g_strdup (name);
    q->power = power;
    g_ptr_array_add (p->parties, q);
    return (int) p->parties->len - 1;
  }
}

static void
pole_free (gpointer data)
{
  Pole *pole = data;

  g_free (pole->owner);
  g_free (pole->operator_name);
  g_free (pole);
}

static gboolean
read_poles (Plan    *p,
            GError **error)
{
  g_autoptr(NgamStoreCursor) c = ngam_store_query (p->store, NGAM_LAYER_POLES, NULL, NGAM_QUERY_DEFAULT, error);
  int f_owner = ngam_layer_field_index (NGAM_LAYER_POLES, "owner");
  int f_status = ngam_layer_field_index (NGAM_LAYER_POLES, "status");
  g_autoptr(GError) local = NULL;

  if (c == NULL)
    return FALSE;
  p->poles = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, pole_free);
  while (ngam_store_cursor_next (c, &local))
    {
      const NgamFeature *f = ngam_store_cursor_get (c);
      const char *status = ngam_feature_get_text (f, f_status);
      Pole *pole;

      if (status && g_ascii_strcasecmp (status, "removed") == 0)
        continue;
      pole = g_new0 (Pole, 1);
      pole->fid = f->fid;
      pole->phase = -1;
      pole->x = f->shape->xy[0];
      pole->y = f->shape->xy[1];
      pole->owner = g_strdup (ngam_feature_get_text (f, f_owner));
      pole->operator_name = g_strdup (f->operator_name);
      g_hash_table_insert (p->poles, &pole->fid, pole);
      g_array_append_val (p->pole_list, pole->fid);
    }
  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

static int
cmp_str (gconstpointer a,
         gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Spans in scope, in fid order (the store's order). */
static gboolean
read_spans (Plan    *p,
            GError **error)
{
  const NgamPlanScenario *sc = p->sc;
  g_autoptr(NgamStoreCursor) c = ngam_store_query (p->store, NGAM_LAYER_SPANS, NULL, NGAM_QUERY_DEFAULT, error);
  int f_type = ngam_layer_field_index (NGAM_LAYER_SPANS, "cable_type");
  int f_mm = ngam_layer_field_index (NGAM_LAYER_SPANS, "diameter_mm");
  int f_count = ngam_layer_field_index (NGAM_LAYER_SPANS, "cable_count");
  int f_from = ngam_layer_field_index (NGAM_LAYER_SPANS, "from_pole");
  int f_to = ngam_layer_field_index (NGAM_LAYER_SPANS, "to_pole");
  int f_status = ngam_layer_field_index (NGAM_LAYER_SPANS, "status");
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) span_ops = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local = NULL;

  if (c == NULL)
    return FALSE;
  while (ngam_store_cursor_next (c, &local))
    {
      const NgamFeature *f = ngam_store_cursor_get (c);
      const char *status = ngam_feature_get_text (f, f_status);
      const char *type = ngam_feature_get_text (f, f_type);
      const char *op = f->operator_name && *f->operator_name ? f->operator_name : "?";
      CableType ct = ngam_plan_cable_type_of (type);
      Span s = { 0 };
      guint n = f->shape->n_points;

      if ((status && (g_ascii_strcasecmp (status, "retired") == 0 || g_ascii_strcasecmp (status, "planned") == 0)) ||
          n < 2)
        continue;
      s.in_scope = TRUE;
      if (sc->operators && sc->operators[0] && !g_strv_contains ((const char *const *) sc->operators, op))
        s.in_scope = FALSE;
      if (sc->cable_types && sc->cable_types[0] &&
          !g_strv_contains ((const char *const *) sc->cable_types, type ? type : "fibre"))
        s.in_scope = FALSE;
      s.fid = f->fid;
      s.x0 = f->shape->xy[0];
      s.y0 = f->shape->xy[1];
      s.x1 = f->shape->xy[2 * n - 2];
      s.y1 = f->shape->xy[2 * n - 1];
      if (p->area && !plan_point_in_shape (p->area, (s.x0 + s.x1) / 2, (s.y0 + s.y1) / 2))
        s.in_scope = FALSE;
      s.length = ngam_shape_length (f->shape);
      s.from_pole = ngam_feature_is_null (f, f_from) ? -1 : ngam_feature_get_int (f, f_from);
      s.to_pole = ngam_feature_is_null (f, f_to) ? -1 : ngam_feature_get_int (f, f_to);
      s.diameter_mm = ngam_feature_is_null (f, f_mm) || ngam_feature_get_real (f, f_mm) <= 0
                      ? sc->cable_mm[ct] : ngam_feature_get_real (f, f_mm);
      s.cables = ngam_feature_is_null (f, f_count) || ngam_feature_get_int (f, f_count) <= 0
                 ? (int) sc->cables_per_span : (int) ngam_feature_get_int (f, f_count);
      s.comp = -1;
      s.op = ct == CABLE_POWER ? -2 : -1;  /* resolved below, once parties are sorted */
      s.shape = s.in_scope ? ngam_shape_copy (f->shape) : NULL;
      for (int end = 0; end < 2; end++)
        {
          gint64 pf = end ? s.to_pole : s.from_pole;
          Pole *pole = pf >= 0 ? g_hash_table_lookup (p->poles, &pf) : NULL;

          if (pole)
            pole->n_spans++;
        }
      g_array_append_val (p->spans, s);
      g_ptr_array_add (span_ops, g_strdup (op));
      if (s.in_scope && !g_ptr_array_find_with_equal_func (ops, op, g_str_equal, NULL))
        g_ptr_array_add (ops, g_strdup (op));
    }
  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_ptr_array_sort (ops, cmp_str);
  for (guint i = 0; i < ops->len; i++)
    plan_party (p, g_ptr_array_index (ops, i), FALSE);
  for (guint i = 0; i < p->spans->len; i++)
    {
      Span *s = &g_array_index (p->spans, Span, i);
      gboolean power = s->op == -2;

      s->op = s->in_scope ? plan_party (p, g_ptr_array_index (span_ops, i), power) : -1;
    }
  return TRUE;
}

#define PIECE_MIN_M 1.0

/* The length of edge @e between the point at @t and its end node @node. */
static double
end_piece (const NgamGraph *g,
           guint            e,
           double           t,
           guint            node)
{
  return (node == g->edge_uv[2 * e + 1] ? 1 - t : t) * g->edge[e].length;
}

static void
map_span (Plan       *p,
          NgamRouter *router,
          Span       *s)
{
  NgamGraph *g = p->graph;
  const NgamPlanScenario *sc = p->sc;
  NgamGraphLocation la, lb;
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamPath) path = NULL;

  s->edge_first = p->span_edges->len;
  if (!ngam_graph_locate (g, s->x0, s->y0, sc->match_distance_m, &la) ||
      !ngam_graph_locate (g, s->x1, s->y1, sc->match_distance_m, &lb))
    {
      s->reason = "no street near an end of the span";
      return;
    }
  if (la.edge == lb.edge && fabs (la.t - lb.t) * g->edge[la.edge].length < 0.5 * s->length)
    {
      s->match = MATCH_CROSSING;
      g_array_append_val (edges, la.edge);
    }
  else if (la.edge == lb.edge)
    {
      s->match = MATCH_STREET;
      g_array_append_val (edges, la.edge);
    }
  else
    {
      path = ngam_router_path_between (router, &la, &lb, &error);
      if (path == NULL)
        {
          s->reason = "no street path joins the ends of the span";
          return;
        }
      if (path->length > sc->match_detour * s->length + 2 * sc->match_distance_m)
        {
          s->reason = "the street path between its ends is far longer than the span";
          return;
        }
      s->match = path->length <= 1.3 * s->length + 10 ? MATCH_STREET : MATCH_PATH;
      /* a piece of an edge shorter than a metre is an end at a junction
       * (a corner pole): the span does not run along that edge, and
       * taking it would make the trench dig the whole edge */
      if (path->from_edge != G_MAXUINT && end_piece (g, path->from_edge, path->from_t,
                                                     g_array_index (path->nodes, guint, 0)) >= PIECE_MIN_M)
        g_array_append_val (edges, path->from_edge);
      g_array_append_vals (edges, path->edges->data, path->edges->len);
      if (path->to_edge != G_MAXUINT && end_piece (g, path->to_edge, path->to_t,
                                                   g_array_index (path->nodes, guint, path->nodes->len - 1)) >= PIECE_MIN_M)
        g_array_append_val (edges, path->to_edge);
      if (edges->len == 0)
        {
          /* both ends at one junction's corners: a crossing there */
          s->match = MATCH_CROSSING;
          g_array_append_val (edges, la.edge);
        }
    }
  g_array_sort (edges, plan_cmp_guint);
  for (guint i = 0; i < edges->len; i++)
    {
      guint e = g_array_index (edges, guint, i);

      if (i > 0 && e == g_array_index (edges, guint, i - 1))
        continue;
      if (!p->edge_in_scope[e])
        {
          /* out of the scope's streets or area: not planned, not a fault */
          s->match = MATCH_NONE;
          s->reason = NULL;
          s->in_scope = FALSE;
          p->span_edges->len = s->edge_first;
          return;
        }
      g_array_append_val (p->span_edges, e);
    }
  s->n_edges = p->span_edges->len - s->edge_first;
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
cmp_gint64 (gconstpointer a,
            gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Poles (or span ends without a pole) as union-find elements. */
static guint
pole_index (GHashTable *index,
            gint64      fid,
            guint      *n)
{
  gpointer v;

  if (g_hash_table_lookup_extended (index, &fid, NULL, &v))
    return GPOINTER_TO_UINT (v);
  g_hash_table_insert (index, g_memdup2 (&fid, sizeof fid), GUINT_TO_POINTER (*n));
  return (*n)++;
}

static void
build_components (Plan *p)
{
  guint n_spans = p->spans->len, n = 0;
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree guint *a = g_new (guint, MAX (n_spans, 1));
  g_autofree guint *b = g_new (guint, MAX (n_spans, 1));
  g_autofree guint *parent = NULL;
  g_autofree int *comp_of_root = NULL;
  NgamGraph *g = p->graph;

  /* a span without pole numbers joins by its end points' own ids */
  for (guint i = 0; i < n_spans; i++)
    {
      Span *s = &g_array_index (p->spans, Span, i);
      gint64 ka = s->from_pole >= 0 ? s->from_pole : -(gint64) (2 * i + 1);
      gint64 kb = s->to_pole >= 0 ? s->to_pole : -(gint64) (2 * i + 2);

      /* operators do not share a component: key by operator too */
      ka = ka * 1024 + s->op;
      kb = kb * 1024 + s->op;
      a[i] = pole_index (index, ka, &n);
      b[i] = pole_index (index, kb, &n);
    }
  parent = g_new (guint, MAX (n, 1));
  comp_of_root = g_new (int, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      parent[i] = i;
      comp_of_root[i] = -1;
    }
  for (guint i = 0; i < n_spans; i++)
    if (g_array_index (p->spans, Span, i).match != MATCH_NONE)
      parent[uf_find (parent, a[i])] = uf_find (parent, b[i]);
  for (guint i = 0; i < n_spans; i++)
    {
      Span *s = &g_array_index (p->spans, Span, i);
      guint r;
      Comp *c;

      if (s->match == MATCH_NONE)
        continue;
      r = uf_find (parent, a[i]);
      if (comp_of_root[r] < 0)
        {
          Comp nc = { 0 };

          nc.op = s->op;
          nc.group = p->no_sharing ? s->op : 0;
          nc.terminals = g_array_new (FALSE, FALSE, sizeof (guint));
          nc.tree = g_array_new (FALSE, FALSE, sizeof (guint));
          comp_of_root[r] = (int) p->comps->len;
          g_array_append_val (p->comps, nc);
        }
      s->comp = comp_of_root[r];
      c = &g_array_index (p->comps, Comp, s->comp);
      c->cables = MAX (c->cables, s->cables);
      c->diameter_mm = MAX (c->diameter_mm, s->diameter_mm);
      if (s->match == MATCH_CROSSING)
        {
          guint e = g_array_index (p->span_edges, guint, s->edge_first);
          guint u = g->edge_uv[2 * e], v = g->edge_uv[2 * e + 1];
          double mx = (s->x0 + s->x1) / 2, my = (s->y0 + s->y1) / 2;
          guint near = hypot (g->node_xy[2 * u] - mx, g->node_xy[2 * u + 1] - my) <=
                       hypot (g->node_xy[2 * v] - mx, g->node_xy[2 * v + 1] - my) ? u : v;

          g_array_append_val (c->terminals, near);
          continue;
        }
      for (guint j = 0; j < s->n_edges; j++)
        {
          guint e = g_array_index (p->span_edges, guint, s->edge_first + j);

          g_array_append_vals (c->terminals, &g->edge_uv[2 * e], 2);
        }
    }
  for (guint i = 0; i < p->comps->len; i++)
    {
      Comp *c = &g_array_index (p->comps, Comp, i);
      guint k = 0;

      g_array_sort (c->terminals, plan_cmp_guint);
      for (guint j = 0; j < c->terminals->len; j++)
        if (j == 0 || g_array_index (c->terminals, guint, j) != g_array_index (c->terminals, guint, k - 1))
          g_array_index (c->terminals, guint, k++) = g_array_index (c->terminals, guint, j);
      g_array_set_size (c->terminals, k);
    }
  p->n_groups = p->no_sharing ? (int) p->parties->len : 1;
}

gboolean
plan_match (Plan    *p,
            GError **error)
{
  g_autofree double *len = NULL;
  g_autoptr(NgamRouter) router = NULL;

  if (!read_poles (p, error) || !read_spans (p, error))
    return FALSE;
  g_array_sort (p->pole_list, cmp_gint64);
  if (p->graph->n_edges == 0)
    {
      for (guint i = 0; i < p->spans->len; i++)
        g_array_index (p->spans, Span, i).reason = "the project has no streets";
      p->n_groups = p->no_sharing ? (int) p->parties->len : 1;
      return TRUE;
    }
  len = ngam_graph_edge_costs (p->graph, ngam_edge_cost_length, NULL, error);
  if (len == NULL)
    return FALSE;
  router = ngam_router_new (p->graph, len, error);
  if (router == NULL)
    return FALSE;
  ngam_router_set_goal_directed (router, TRUE);
  for (guint i = 0; i < p->spans->len; i++)
    {
      Span *s = &g_array_index (p->spans, Span, i);

      if ((i & 1023) == 0)
        {
          if (plan_cancelled (p, error))
            return FALSE;
          if (p->progress)
            p->progress (0.1 + 0.2 * i / MAX (p->spans->len, 1), _("Matching spans onto streets"), p->progress_data);
        }
      if (s->in_scope)
        map_span (p, router, s);
      if (!s->in_scope)
        p->n_out_of_scope++;
    }
  build_components (p);
  return TRUE;
}
