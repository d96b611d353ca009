/* ngam-plan-input.c — what the plan reads: the street graph, the layers in
 * scope, and what a trench costs on each street edge
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The method of a new trench on an edge follows the zone vocabulary
 * (ngam-zone.h): water is crossed on the bridge (attachment) or by HDD,
 * heritage takes micro-trench or HDD (whichever is cheaper per metre),
 * no-dig is never dug (only existing ducts), and elsewhere open cut goes
 * under the sidewalk when there is one wide enough, under the roadway
 * otherwise, in the soil when the street is unpaved.  Landslide edges are
 * priced up by the allowed detour in the design only, so that a way round
 * within that detour wins and the real cost stays the real cost.
 */
#define G_LOG_DOMAIN "ngam-plan"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ngam-graph-build.h"
#include "ngam-plan-private.h"

/* Ray casting over every ring of a (multi)polygon: inside an odd number. */
gboolean
plan_point_in_shape (const NgamShape *s,
                     double           x,
                     double           y)
{
  gboolean in = FALSE;

  if (s == NULL || x < s->bbox[0] || x > s->bbox[2] || y < s->bbox[1] || y > s->bbox[3])
    return FALSE;
  for (guint r = 0; r < s->n_parts; r++)
    {
      guint a = s->part_start[r], b = s->part_start[r + 1];

      for (guint i = a, j = b - 1; i < b; j = i++)
        {
          double xi = s->xy[2 * i], yi = s->xy[2 * i + 1], xj = s->xy[2 * j], yj = s->xy[2 * j + 1];

          if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
            in = !in;
        }
    }
  return in;
}

/* The point @along metres from the edge's u end, on its geometry. */
void
plan_edge_point (const NgamGraph *g,
                 guint            e,
                 double           along,
                 double          *x,
                 double          *y)
{
  guint a = g->geom_start[e], b = g->geom_start[e + 1];
  double acc = 0;

  for (guint i = a; i + 1 < b; i++)
    {
      double x0 = g->geom_xy[2 * i], y0 = g->geom_xy[2 * i + 1];
      double x1 = g->geom_xy[2 * i + 2], y1 = g->geom_xy[2 * i + 3];
      double l = hypot (x1 - x0, y1 - y0);

      if (acc + l >= along && l > 0)
        {
          double t = (along - acc) / l;

          *x = x0 + t * (x1 - x0);
          *y = y0 + t * (y1 - y0);
          return;
        }
      acc += l;
    }
  *x = g->geom_xy[2 * (b - 1)];
  *y = g->geom_xy[2 * (b - 1) + 1];
}

static double
point_line_distance (const NgamShape *s,
                     double           x,
                     double           y)
{
  double best = INFINITY;

  for (guint i = 0; i + 1 < s->n_points; i++)
    {
      double x0 = s->xy[2 * i], y0 = s->xy[2 * i + 1], dx = s->xy[2 * i + 2] - x0, dy = s->xy[2 * i + 3] - y0;
      double l2 = dx * dx + dy * dy, t = l2 > 0 ? ((x - x0) * dx + (y - y0) * dy) / l2 : 0;

      t = CLAMP (t, 0, 1);
      best = MIN (best, hypot (x - x0 - t * dx, y - y0 - t * dy));
    }
  return best;
}

static gboolean
in_list (char *const *list,
         const char  *name)
{
  g_autofree char *f = ngam_vocab_fold (name);

  for (guint i = 0; list && list[i]; i++)
    {
      g_autofree char *fi = ngam_vocab_fold (list[i]);

      if (g_str_equal (f, fi))
        return TRUE;
    }
  return FALSE;
}

/* The scope's area: a ward's polygon, or a WKT polygon. */
static gboolean
read_area (Plan       *p,
           NgamShape **area,
           GError    **error)
{
  const char *a = p->sc->area;
  g_autoptr(GError) local = NULL;
  GEOSGeometry *g;

  *area = NULL;
  if (a == NULL || *a == '\0')
    return TRUE;
  for (guint i = 0; i < p->wards->len; i++)
    if (in_list ((char *[]) { (char *) a, NULL }, g_ptr_array_index (p->wards, i)))
      {
        *area = ngam_shape_copy (g_ptr_array_index (p->ward_shapes, i));
        return TRUE;
      }
  if (!g_ascii_strncasecmp (a, "POLYGON", 7) || !g_ascii_strncasecmp (a, "MULTIPOLYGON", 12))
    {
      g = ngam_geos_from_wkt (a, &local);
      if (g)
        {
          *area = ngam_shape_new ();
          if (!ngam_shape_from_geos (*area, g, &local))
            g_clear_pointer (area, ngam_shape_free);
          ngam_geos_free (g);
        }
      if (*area)
        return TRUE;
      g_set_error (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_SCENARIO, "%s:%d: [scope] area: %s",
                   p->sc->filename ? p->sc->filename : "scenario",
                   ngam_plan_scenario_line (p->sc, "scope", "area"),
                   local ? local->message : _("not a polygon"));
      return FALSE;
    }
  g_set_error (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_SCENARIO,
               _("%s:%d: [scope] area: “%s” is neither a ward of the project nor a WKT polygon"),
               p->sc->filename ? p->sc->filename : "scenario",
               ngam_plan_scenario_line (p->sc, "scope", "area"), a);
  return FALSE;
}

static gboolean
read_streets (Plan    *p,
              GError **error)
{
  g_autoptr(NgamStoreCursor) c = ngam_store_query (p->store, NGAM_LAYER_STREETS, NULL, NGAM_QUERY_DEFAULT, error);
  int f_name = ngam_layer_field_index (NGAM_LAYER_STREETS, "name");

  if (c == NULL)
    return FALSE;
  p->names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  while (ngam_store_cursor_next (c, error))
    {
      const NgamFeature *f = ngam_store_cursor_get (c);
      const char *name = ngam_feature_get_text (f, f_name);

      if (name && *name)
        g_hash_table_insert (p->names, g_memdup2 (&f->fid, sizeof f->fid), g_strdup (name));
    }
  return error == NULL || *error == NULL;
}

static gboolean
read_admin (Plan    *p,
            GError **error)
{
  g_autoptr(NgamStoreCursor) c = ngam_store_query (p->store, NGAM_LAYER_ADMIN, NULL, NGAM_QUERY_DEFAULT, error);
  int f_name = ngam_layer_field_index (NGAM_LAYER_ADMIN, "name");
  int f_level = ngam_layer_field_index (NGAM_LAYER_ADMIN, "level");
  g_autoptr(GError) local = NULL;

  if (c == NULL)
    return FALSE;
  while (ngam_store_cursor_next (c, &local))
    {
      const NgamFeature *f = ngam_store_cursor_get (c);
      const char *level = ngam_feature_get_text (f, f_level);
      const char *name = ngam_feature_get_text (f, f_name);

      if (level && *level && g_ascii_strcasecmp (level, "ward") != 0)
        continue;
      g_ptr_array_add (p->wards, g_strdup (name && *name ? name : "?"));
      g_ptr_array_add (p->ward_shapes, ngam_shape_copy (f->shape));
    }
  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

/* Flood depth per edge (its midpoint in a flood zone with a level). */
static gboolean
read_zones (Plan    *p,
            GError **error)
{
  g_autoptr(NgamStoreCursor) c = ngam_store_query (p->store, NGAM_LAYER_ZONES, NULL, NGAM_QUERY_DEFAULT, error);
  int f_type = ngam_layer_field_index (NGAM_LAYER_ZONES, "zone_type");
  int f_level = ngam_layer_field_index (NGAM_LAYER_ZONES, "level");
  NgamGraph *g = p->graph;
  g_autoptr(GArray) near = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) local = NULL;

  if (c == NULL)
    return FALSE;
  while (ngam_store_cursor_next (c, &local))
    {
      const NgamFeature *f = ngam_store_cursor_get (c);
      double level;

      if (ngam_zone_from_name (ngam_feature_get_text (f, f_type)) != NGAM_ZONE_FLOOD)
        continue;
      level = ngam_feature_is_null (f, f_level) ? 0.5 : ngam_feature_get_real (f, f_level);
      g_array_set_size (near, 0);
      ngam_graph_edges_near (g, f->shape->bbox, near);
      for (guint i = 0; i < near->len; i++)
        {
          guint e = g_array_index (near, guint, i);
          double x, y;

          plan_edge_point (g, e, g->edge[e].length / 2, &x, &y);
          if (plan_point_in_shape (f->shape, x, y))
            p->edge_flood[e] = MAX (p->edge_flood[e], (float) level);
        }
    }
  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

/* Existing ducts: an edge whose quarter, half and three-quarter points lie
 * within 15 m of a duct route can reuse that duct's free ducts (ducts run
 * under the sidewalk, half a street's width and more from its centreline;
 * the demo's lie 11 m off). */
static gboolean
read_ducts (Plan    *p,
            GError **error)
{
  g_autoptr(NgamStoreCursor) c = ngam_store_query (p->store, NGAM_LAYER_DUCTS, NULL, NGAM_QUERY_DEFAULT, error);
  int f_free = ngam_layer_field_index (NGAM_LAYER_DUCTS, "duct_free");
  int f_mm = ngam_layer_field_index (NGAM_LAYER_DUCTS, "duct_diameter_mm");
  NgamGraph *g = p->graph;
  g_autoptr(GArray) near = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) local = NULL;
  const double tol = 15.0;

  if (c == NULL)
    return FALSE;
  while (ngam_store_cursor_next (c, &local))
    {
      const NgamFeature *f = ngam_store_cursor_get (c);
      int n_free = ngam_feature_is_null (f, f_free) ? 0 : (int) ngam_feature_get_int (f, f_free);
      double mm = ngam_feature_is_null (f, f_mm) ? p->sc->duct_inner_mm : ngam_feature_get_real (f, f_mm);
      double box[4] = { f->shape->bbox[0] - tol, f->shape->bbox[1] - tol, f->shape->bbox[2] + tol, f->shape->bbox[3] + tol };

      if (n_free <= 0 || f->shape->type != NGAM_SHAPE_LINESTRING)
        continue;
      g_array_set_size (near, 0);
      ngam_graph_edges_near (g, box, near);
      for (guint i = 0; i < near->len; i++)
        {
          guint e = g_array_index (near, guint, i);
          gboolean on = TRUE;

          for (int q = 1; q <= 3 && on; q++)
            {
              double x, y;

              plan_edge_point (g, e, g->edge[e].length * q / 4.0, &x, &y);
              on = point_line_distance (f->shape, x, y) <= tol;
            }
          if (on && n_free > p->edge_duct_free[e])
            {
              p->edge_duct_free[e] = n_free;
              p->edge_duct_mm[e] = mm;
              g_free (p->edge_duct_owner[e]);
              p->edge_duct_owner[e] = g_strdup (f->operator_name ? f->operator_name : "");
            }
        }
    }
  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

/* The method a new trench on @e uses, and its civil cost per metre
 * (method and reinstatement, flood uplift); 0 when it may not be dug. */
static NgamMethodFlags
edge_method (Plan   *p,
             guint   e,
             double *per_m)
{
  const NgamPlanScenario *sc = p->sc;
  const NgamEdgeAttr *a = &p->graph->edge[e];
  NgamMethodFlags allowed = ngam_zone_allowed_methods (a->zones) & ~NGAM_METHOD_DUCT_REUSE;
  Surface surf = ngam_plan_surface_of (ngam_graph_get_string (p->graph, a->surface));
  NgamMethodFlags m;
  double rate, reinstate = sc->reinstate[surf];

  if ((a->flags & (NGAM_EDGE_BRIDGE | NGAM_EDGE_TUNNEL)) && (allowed & NGAM_METHOD_BRIDGE_ATTACHMENT))
    m = NGAM_METHOD_BRIDGE_ATTACHMENT;
  else if (a->zones & NGAM_ZONE_WATER)
    m = allowed & NGAM_METHOD_HDD;
  else if (a->zones & NGAM_ZONE_HERITAGE)
    {
      double micro = sc->micro_trench + reinstate, hdd = sc->hdd_per_m;

      m = (allowed & NGAM_METHOD_MICRO_TRENCH) && micro <= hdd ? NGAM_METHOD_MICRO_TRENCH : (allowed & NGAM_METHOD_HDD);
    }
  else if (surf == SURF_UNPAVED)
    m = allowed & NGAM_METHOD_OPEN_CUT_UNPAVED;
  else if (!isnan (a->sidewalk_m) && a->sidewalk_m >= sc->min_sidewalk_m)
    m = allowed & NGAM_METHOD_OPEN_CUT_SIDEWALK;
  else
    m = allowed & NGAM_METHOD_OPEN_CUT_ROADWAY;
  switch (m)
    {
    case NGAM_METHOD_OPEN_CUT_SIDEWALK: rate = sc->open_cut_sidewalk + reinstate; break;
    case NGAM_METHOD_OPEN_CUT_ROADWAY: rate = sc->open_cut_roadway + reinstate; break;
    case NGAM_METHOD_OPEN_CUT_UNPAVED: rate = sc->open_cut_unpaved + reinstate; break;
    case NGAM_METHOD_MICRO_TRENCH: rate = sc->micro_trench + reinstate; break;
    case NGAM_METHOD_HDD: rate = sc->hdd_per_m; break;
    case NGAM_METHOD_BRIDGE_ATTACHMENT: rate = sc->bridge_attachment; break;
    default: *per_m = INFINITY; return 0;
    }
  if (a->zones & NGAM_ZONE_FLOOD)
    rate *= 1 + sc->flood_uplift;
  *per_m = rate;
  return m;
}

gboolean
plan_input (Plan    *p,
            GError **error)
{
  NgamGraphBuildOptions gopt = NGAM_GRAPH_BUILD_OPTIONS_INIT;
  g_autoptr(NgamGraphReport) report = NULL;
  g_autoptr(NgamShape) area = NULL;
  NgamGraph *g;
  guint m;

  if (p->progress)
    p->progress (0.0, _("Building the street graph"), p->progress_data);
  {
    /* ngam_graph_build() does not return on a project without streets
     * (core/net, reported): an empty graph is all there is to build */
    g_autoptr(GError) local = NULL;
    gint64 n_streets = ngam_store_count (p->store, NGAM_LAYER_STREETS, &local);

    if (local)
      {
        g_propagate_error (error, g_steal_pointer (&local));
        return FALSE;
      }
    if (n_streets == 0)
      {
        /* non-NULL arrays of nothing: the builder copies them */
        static const guint no_uv[2] = { 0, 0 };
        static const double no_length[1] = { 0 };

        p->graph = ngam_graph_new_from_edges (0, 0, no_uv, no_length, NULL, error);
      }
    else
      p->graph = ngam_graph_build (p->store, &gopt, &report, NULL, NULL, p->cancellable, error);
  }
  if (p->graph == NULL)
    return FALSE;
  g = p->graph;
  m = g->n_edges;
  if (!read_streets (p, error) || !read_admin (p, error))
    return FALSE;
  if (!read_area (p, &area, error))
    return FALSE;

  /* a street list that names a street the project does not have */
  for (guint i = 0; p->sc->streets && p->sc->streets[i]; i++)
    {
      GHashTableIter it;
      gpointer v;
      gboolean found = FALSE;
      g_autofree char *fi = ngam_vocab_fold (p->sc->streets[i]);

      g_hash_table_iter_init (&it, p->names);
      while (!found && g_hash_table_iter_next (&it, NULL, &v))
        {
          g_autofree char *fv = ngam_vocab_fold (v);

          found = g_str_equal (fi, fv);
        }
      if (!found)
        {
          g_set_error (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_SCENARIO,
                       _("%s:%d: [scope] streets: “%s” is not a street of the project"),
                       p->sc->filename ? p->sc->filename : "scenario",
                       ngam_plan_scenario_line (p->sc, "scope", "streets"), p->sc->streets[i]);
          return FALSE;
        }
    }

  p->street_names = g_ptr_array_sized_new (m);
  p->edge_ward = g_new (int, MAX (m, 1));
  p->edge_flood = g_new0 (float, MAX (m, 1));
  p->edge_in_scope = g_new (gboolean, MAX (m, 1));
  p->edge_duct_free = g_new0 (int, MAX (m, 1));
  p->edge_duct_mm = g_new0 (double, MAX (m, 1));
  p->edge_duct_owner = g_new0 (char *, MAX (m, 1));
  p->edge_method = g_new0 (NgamMethodFlags, MAX (m, 1));
  p->edge_fixed = g_new (double, MAX (m, 1));
  p->edge_len = g_new (double, MAX (m, 1));
  p->node_degree = g_new0 (guint8, MAX (g->n_nodes, 1));
  for (guint v = 0; v < g->n_nodes; v++)
    p->node_degree[v] = (guint8) MIN (g->adj_start[v + 1] - g->adj_start[v], 255);

  {
    /* folded street-list names, once */
    g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    for (guint i = 0; p->sc->streets && p->sc->streets[i]; i++)
      g_hash_table_add (listed, ngam_vocab_fold (p->sc->streets[i]));
    for (guint e = 0; e < m; e++)
      {
        gint64 sf = g->edge[e].street_fid;
        const char *name = g_hash_table_lookup (p->names, &sf);
        double x, y;

        g_ptr_array_add (p->street_names, (gpointer) name);
        p->edge_len[e] = g->edge[e].length;
        plan_edge_point (g, e, g->edge[e].length / 2, &x, &y);
        p->edge_ward[e] = -1;
        for (guint w = 0; w < p->ward_shapes->len; w++)
          if (plan_point_in_shape (g_ptr_array_index (p->ward_shapes, w), x, y))
            {
              p->edge_ward[e] = (int) w;
              break;
            }
        p->edge_in_scope[e] = area == NULL || plan_point_in_shape (area, x, y);
        if (g_hash_table_size (listed) > 0)
          {
            g_autofree char *f = ngam_vocab_fold (name);

            p->edge_in_scope[e] &= name != NULL && g_hash_table_contains (listed, f);
          }
      }
  }
  if (plan_cancelled (p, error))
    return FALSE;
  if (!read_zones (p, error) || !read_ducts (p, error))
    return FALSE;
  for (guint e = 0; e < m; e++)
    {
      double per_m;

      p->edge_method[e] = edge_method (p, e, &per_m);
      if (!p->edge_in_scope[e] || p->edge_method[e] == 0)
        p->edge_fixed[e] = INFINITY;
      else
        {
          p->edge_fixed[e] = per_m * p->edge_len[e];
          if (p->edge_method[e] == NGAM_METHOD_HDD)
            p->edge_fixed[e] += p->sc->hdd_per_crossing;
          if (g->edge[e].zones & NGAM_ZONE_LANDSLIDE)
            p->edge_fixed[e] *= 1 + p->sc->landslide_detour;
        }
      if (!p->edge_in_scope[e])
        p->edge_duct_free[e] = 0;
    }
  p->area = g_steal_pointer (&area);
  return TRUE;
}
