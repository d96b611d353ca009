/* ngam-cli-route.c — `ngam-batch route`: the least-cost path along the
 * streets between two points
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-batch"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ngam-cli.h"
#include "ngam-graph-build.h"
#include "ngam-route.h"
#include "ngam-route-export.h"

/* As import does: points that look like degrees in a metric project. */
static const char *
lonlat_hint (NgamStore *store, const double from[2], const double to[2])
{
  g_autoptr(NgamCrs) crs = ngam_crs_new (ngam_store_get_crs (store), NULL);

  if (crs && ngam_crs_is_metric (crs) && fabs (from[0]) <= 180 && fabs (from[1]) <= 90 &&
      fabs (to[0]) <= 180 && fabs (to[1]) <= 90)
    return "; these look like longitude and latitude, but the project's coordinates are metres: "
           "give X,Y in the project CRS (info shows its extent)";
  return "";
}

static void
add_end (JsonBuilder *b, const char *name, const double xy[2], const NgamGraphLocation *loc, const NgamGraph *g)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "x");
  json_builder_add_double_value (b, xy[0]);
  json_builder_set_member_name (b, "y");
  json_builder_add_double_value (b, xy[1]);
  json_builder_set_member_name (b, "street_fid");
  json_builder_add_int_value (b, g->edge[loc->edge].street_fid);
  json_builder_set_member_name (b, "on_street_x");
  json_builder_add_double_value (b, loc->x);
  json_builder_set_member_name (b, "on_street_y");
  json_builder_add_double_value (b, loc->y);
  json_builder_set_member_name (b, "distance_m");
  json_builder_add_double_value (b, loc->distance);
  json_builder_end_object (b);
}

int
ngam_cli_route (int    argc,
                char **argv)
{
  g_autofree char *from_text = NULL, *to_text = NULL, *out = NULL, *avoid_text = NULL;
  double snap = NAN, max_distance = 500, max_memory = 0, from[2], to[2];
  gboolean json = FALSE, force = FALSE;
  NgamZoneFlags avoid = 0;
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(NgamStore) store = NULL;
  g_autoptr(NgamGraph) g = NULL;
  g_autoptr(NgamRouter) router = NULL;
  g_autoptr(NgamPath) path = NULL;
  g_autofree double *costs = NULL;
  NgamGraphBuildOptions opt = NGAM_GRAPH_BUILD_OPTIONS_INIT;
  NgamGraphLocation lf, lt;
  GError *error = NULL;
  gpointer pdata = NULL;
  NgamProgressFunc progress;
  double t0, t_build, t_route;
  int status;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, "Start point in the project CRS", "X,Y" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, "End point in the project CRS", "X,Y" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Write the path to a GeoPackage (.gpkg: layers route and route_edges) or GeoJSON file", "FILE" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Replace the --out file if it exists (never a Ngầm project)", NULL },
    { "avoid", 0, 0, G_OPTION_ARG_STRING, &avoid_text, "Do not use streets crossing these zone types (flood, landslide, heritage, festival, no_dig, water, or their aliases)", "TYPE,…" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON summary", NULL },
    { "snap", 0, 0, G_OPTION_ARG_DOUBLE, &snap, "Snap tolerance in metres (default: the project's)", "M" },
    { "max-distance", 0, 0, G_OPTION_ARG_DOUBLE, &max_distance, "Farthest a point may be from a street (default 500 m)", "M" },
    { "max-memory", 0, 0, G_OPTION_ARG_DOUBLE, &max_memory, "Refuse a graph that would need more than MB megabytes", "MB" },
    { NULL }
  };

  ctx = ngam_cli_context ("route", "PROJECT.ngam --from X,Y --to X,Y",
                          "Finds the shortest path along the streets between two points (each moved to the "
                          "nearest street) and prints its cost and length.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!ngam_cli_parse (ctx, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return ngam_cli_usage ("route", "expected one PROJECT.ngam");
  if (from_text == NULL || to_text == NULL)
    return ngam_cli_usage ("route", "--from X,Y and --to X,Y are required");
  if (!ngam_cli_parse_xy (from_text, from))
    return ngam_cli_usage ("route", "--from “%s” is not X,Y (two finite numbers)", from_text);
  if (!ngam_cli_parse_xy (to_text, to))
    return ngam_cli_usage ("route", "--to “%s” is not X,Y (two finite numbers)", to_text);
  if (avoid_text)
    {
      g_autoptr(GError) zone_error = NULL;

      if (!ngam_zone_parse_list (avoid_text, &avoid, &zone_error))
        return ngam_cli_usage ("route", "--avoid: %s", zone_error->message);
    }
  if (!isnan (snap) && !(snap >= 0 && snap <= 1000))
    return ngam_cli_usage ("route", "--snap must be between 0 and 1000 metres");
  if (!(max_distance >= 0))
    return ngam_cli_usage ("route", "--max-distance must be 0 or more metres");
  if (max_memory < 0 || !isfinite (max_memory))
    return ngam_cli_usage ("route", "--max-memory must be a number of megabytes");
  if (max_memory > 0)
    ngam_net_set_memory_limit ((guint64) (max_memory * 1e6));
  opt.snap_tolerance = isnan (snap) ? -1 : snap;
  /* before any work: an output that may not be written is known now */
  if (out && !ngam_store_check_output (out, force, &error))
    return ngam_cli_fail_exists (error);

  store = ngam_store_open (argv[1], NGAM_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    return ngam_cli_fail (error);
  t0 = g_get_monotonic_time () / 1e6;
  progress = ngam_cli_progress_func (&pdata, "graph");
  g = ngam_graph_build (store, &opt, NULL, progress, pdata, ngam_cli_cancellable (), &error);
  ngam_cli_progress_done (pdata);
  if (g == NULL)
    return ngam_cli_fail (error);
  t_build = g_get_monotonic_time () / 1e6 - t0;
  if (!ngam_graph_locate (g, from[0], from[1], max_distance, &lf))
    {
      g_set_error (&error, NGAM_NET_ERROR, NGAM_NET_ERROR_NOT_FOUND,
                   "%s: no street within %g m of the start (%.2f, %.2f)%s", argv[1], max_distance, from[0], from[1],
                   lonlat_hint (store, from, to));
      return ngam_cli_fail (error);
    }
  if (!ngam_graph_locate (g, to[0], to[1], max_distance, &lt))
    {
      g_set_error (&error, NGAM_NET_ERROR, NGAM_NET_ERROR_NOT_FOUND,
                   "%s: no street within %g m of the end (%.2f, %.2f)%s", argv[1], max_distance, to[0], to[1],
                   lonlat_hint (store, from, to));
      return ngam_cli_fail (error);
    }
  costs = avoid ? ngam_graph_edge_costs (g, ngam_edge_cost_avoiding, GUINT_TO_POINTER (avoid), &error)
                : ngam_graph_edge_costs (g, ngam_edge_cost_length, NULL, &error);
  if (costs == NULL)
    return ngam_cli_fail (error);
  router = ngam_router_new (g, costs, &error);
  if (router == NULL)
    return ngam_cli_fail (error);
  t0 = g_get_monotonic_time () / 1e6;
  path = ngam_router_path_between (router, &lf, &lt, &error);
  t_route = g_get_monotonic_time () / 1e6 - t0;
  if (path == NULL)
    return ngam_cli_fail (error);
  if (out && !ngam_route_export (g, path, costs, ngam_store_get_crs (store), out, force, &error))
    return ngam_cli_fail_exists (error);

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "cost");
      json_builder_add_double_value (b, path->cost);
      json_builder_set_member_name (b, "length_m");
      json_builder_add_double_value (b, path->length);
      json_builder_set_member_name (b, "edges");
      json_builder_add_int_value (b, path->edges->len);
      add_end (b, "from", from, &lf, g);
      add_end (b, "to", to, &lt, g);
      json_builder_set_member_name (b, "streets");
      json_builder_begin_array (b);
      for (guint i = 0; i < path->edges->len; i++)
        {
          gint64 fid = g->edge[g_array_index (path->edges, guint, i)].street_fid;

          if (i == 0 || fid != g->edge[g_array_index (path->edges, guint, i - 1)].street_fid)
            json_builder_add_int_value (b, fid);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "graph_seconds");
      json_builder_add_double_value (b, t_build);
      json_builder_set_member_name (b, "route_seconds");
      json_builder_add_double_value (b, t_route);
      json_builder_set_member_name (b, "out");
      if (out)
        json_builder_add_string_value (b, out);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      ngam_cli_print_json (b);
    }
  else
    {
      printf ("from:    (%.2f, %.2f), %.2f m from street %" G_GINT64_FORMAT "\n", from[0], from[1],
              lf.distance, g->edge[lf.edge].street_fid);
      printf ("to:      (%.2f, %.2f), %.2f m from street %" G_GINT64_FORMAT "\n", to[0], to[1],
              lt.distance, g->edge[lt.edge].street_fid);
      printf ("cost:    %.3f\n", path->cost);
      printf ("length:  %.3f m\n", path->length);
      printf ("edges:   %u\n", path->edges->len);
      printf ("time:    graph %.3f s, path %.6f s\n", t_build, t_route);
      if (out)
        printf ("written: %s\n", out);
    }
  return NGAM_EXIT_OK;
}
