/* ngam-cli-graph.c — `ngam-batch graph`: the street graph of a project,
 * its components and near-misses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-batch"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "ngam-cli.h"
#include "ngam-graph-build.h"


static void
json_member_int (JsonBuilder *b, const char *name, gint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

static void
json_member_double (JsonBuilder *b, const char *name, double v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, v);
}

int
ngam_cli_graph (int    argc,
                char **argv)
{
  double snap = NAN, near = NAN, max_memory = 0;
  gint64 list = 20;
  gboolean json = FALSE;
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(NgamStore) store = NULL;
  g_autoptr(NgamGraph) g = NULL;
  g_autoptr(NgamGraphReport) r = NULL;
  NgamGraphBuildOptions opt = NGAM_GRAPH_BUILD_OPTIONS_INIT;
  GError *error = NULL;
  gpointer pdata = NULL;
  NgamProgressFunc progress;
  guint zone_edges[NGAM_N_ZONE_TYPES] = { 0 }, bridges = 0, tunnels = 0;
  double total_length;
  int status;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON summary", NULL },
    { "snap", 0, 0, G_OPTION_ARG_DOUBLE, &snap, "Snap tolerance in metres (default: the project's snap_tolerance_m)", "M" },
    { "near-miss", 0, 0, G_OPTION_ARG_DOUBLE, &near, "Report dead ends this close to another street (default 10 × snap, ≥ 1 m)", "M" },
    { "list", 0, 0, G_OPTION_ARG_INT64, &list, "List at most N near-misses, components and left-out streets (default 20)", "N" },
    { "max-memory", 0, 0, G_OPTION_ARG_DOUBLE, &max_memory, "Refuse a graph that would need more than MB megabytes (default: what is available)", "MB" },
    { NULL }
  };

  ctx = ngam_cli_context ("graph", "PROJECT.ngam",
                          "Builds the street graph of a project (streets noded where they really meet, "
                          "not where a bridge or tunnel passes) and prints its nodes, edges, components, "
                          "dead ends and near-misses: dead ends close to a street they do not join.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!ngam_cli_parse (ctx, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return ngam_cli_usage ("graph", "expected one PROJECT.ngam");
  if (!isnan (snap) && !(snap >= 0 && snap <= 1000))
    return ngam_cli_usage ("graph", "--snap must be between 0 and 1000 metres");
  if (!isnan (near) && !(near >= 0 && near <= 10000))
    return ngam_cli_usage ("graph", "--near-miss must be between 0 and 10000 metres");
  if (list < 0)
    return ngam_cli_usage ("graph", "--list must be 0 or more");
  if (max_memory < 0 || !isfinite (max_memory))
    return ngam_cli_usage ("graph", "--max-memory must be a number of megabytes");
  if (max_memory > 0)
    ngam_net_set_memory_limit ((guint64) (max_memory * 1e6));
  opt.snap_tolerance = isnan (snap) ? -1 : snap;
  opt.near_miss_distance = isnan (near) ? -1 : near;

  store = ngam_store_open (argv[1], NGAM_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    return ngam_cli_fail (error);
  progress = ngam_cli_progress_func (&pdata, "graph");
  g = ngam_graph_build (store, &opt, &r, progress, pdata, ngam_cli_cancellable (), &error);
  ngam_cli_progress_done (pdata);
  if (g == NULL)
    return ngam_cli_fail (error);

  total_length = ngam_graph_total_length (g);
  for (guint e = 0; e < g->n_edges; e++)
    {
      for (guint z = 0; z < NGAM_N_ZONE_TYPES; z++)
        if (g->edge[e].zones & ngam_zone_info_nth (z)->flag)
          zone_edges[z]++;
      bridges += (g->edge[e].flags & NGAM_EDGE_BRIDGE) != 0;
      tunnels += (g->edge[e].flags & NGAM_EDGE_TUNNEL) != 0;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "project");
      json_builder_add_string_value (b, argv[1]);
      json_member_int (b, "streets", r->n_streets);
      json_member_int (b, "nodes", g->n_nodes);
      json_member_int (b, "edges", g->n_edges);
      json_member_double (b, "length_m", total_length);
      json_member_double (b, "snap_tolerance_m", r->snap_tolerance);
      json_member_double (b, "near_miss_distance_m", r->near_miss_distance);
      json_member_int (b, "crossings", r->n_crossings);
      json_member_int (b, "snapped", r->n_snapped);
      json_member_int (b, "level_crossings", r->n_level_crossings);
      json_member_int (b, "repeated_points", r->n_repeated_points);
      json_member_int (b, "duplicate_edges", r->n_duplicate_edges);
      json_member_int (b, "dead_ends", r->n_dead_ends);
      json_member_int (b, "bridge_edges", bridges);
      json_member_int (b, "tunnel_edges", tunnels);
      json_member_int (b, "bytes", ngam_graph_get_bytes (g));
      json_member_double (b, "seconds", r->seconds);
      json_builder_set_member_name (b, "zone_edges");
      json_builder_begin_object (b);
      for (guint z = 0; z < NGAM_N_ZONE_TYPES; z++)
        json_member_int (b, ngam_zone_info_nth (z)->name, zone_edges[z]);
      json_builder_end_object (b);
      json_member_int (b, "components", g->n_components);
      json_builder_set_member_name (b, "component_sizes");
      json_builder_begin_array (b);
      for (guint c = 0; c < g->n_components && c < (guint) list; c++)
        json_builder_add_int_value (b, g->component_size[c]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "skipped_streets");
      json_builder_begin_array (b);
      for (guint i = 0; i < r->skipped->len && i < (guint) list; i++)
        {
          const NgamStreetProblem *p = &g_array_index (r->skipped, NgamStreetProblem, i);

          json_builder_begin_object (b);
          json_member_int (b, "fid", p->street_fid);
          json_builder_set_member_name (b, "reason");
          json_builder_add_string_value (b, p->reason);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_member_int (b, "n_skipped_streets", r->skipped->len);
      json_member_int (b, "n_near_misses", r->near_misses->len);
      json_builder_set_member_name (b, "near_misses");
      json_builder_begin_array (b);
      for (guint i = 0; i < r->near_misses->len && i < (guint) list; i++)
        {
          const NgamNearMiss *nm = &g_array_index (r->near_misses, NgamNearMiss, i);

          json_builder_begin_object (b);
          json_member_double (b, "x", nm->x);
          json_member_double (b, "y", nm->y);
          json_member_double (b, "distance_m", nm->distance);
          json_member_int (b, "street_fid", nm->street_fid);
          json_member_int (b, "other_fid", nm->other_fid);
          json_member_double (b, "other_x", nm->nx);
          json_member_double (b, "other_y", nm->ny);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      ngam_cli_print_json (b);
      return NGAM_EXIT_OK;
    }

  printf ("streets:     %u read", r->n_streets);
  if (r->skipped->len)
    printf (", %u left out", r->skipped->len);
  printf ("\nnodes:       %u\n", g->n_nodes);
  printf ("edges:       %u (%.3f km; %u on bridges, %u in tunnels)\n", g->n_edges, total_length / 1000,
          bridges, tunnels);
  printf ("junctions:   %u crossings, %u ends snapped within %g m, %u crossings left unjoined "
          "(bridge, tunnel or layer)\n", r->n_crossings, r->n_snapped, r->snap_tolerance, r->n_level_crossings);
  if (r->n_repeated_points || r->n_duplicate_edges)
    printf ("repaired:    %u repeated vertices dropped, %u duplicate pieces kept once\n",
            r->n_repeated_points, r->n_duplicate_edges);
  printf ("dead ends:   %u\n", r->n_dead_ends);
  printf ("zones:      ");
  for (guint z = 0; z < NGAM_N_ZONE_TYPES; z++)
    printf (" %s %u%s", ngam_zone_info_nth (z)->name, zone_edges[z], z + 1 < NGAM_N_ZONE_TYPES ? "," : "");
  printf (" edges (%u zones read)\n", r->n_zones);
  printf ("components:  %u", g->n_components);
  for (guint c = 0; c < g->n_components && c < (guint) list; c++)
    printf ("%s%u", c == 0 ? " (nodes: " : ", ", g->component_size[c]);
  if (g->n_components > 0 && list > 0)
    printf ("%s)", g->n_components > (guint) list ? ", …" : "");
  printf ("\n");
  printf ("near-misses: %u dead ends within %g m of a street they do not join\n",
          r->near_misses->len, r->near_miss_distance);
  for (guint i = 0; i < r->near_misses->len && i < (guint) list; i++)
    {
      const NgamNearMiss *nm = &g_array_index (r->near_misses, NgamNearMiss, i);

      printf ("  (%.2f, %.2f) street %" G_GINT64_FORMAT " ends %.2f m from street %" G_GINT64_FORMAT
              " at (%.2f, %.2f)\n", nm->x, nm->y, nm->street_fid, nm->distance, nm->other_fid, nm->nx, nm->ny);
    }
  if (r->near_misses->len > (guint) list)
    printf ("  … %u more (--list N)\n", r->near_misses->len - (guint) list);
  for (guint i = 0; i < r->skipped->len && i < (guint) list; i++)
    {
      const NgamStreetProblem *p = &g_array_index (r->skipped, NgamStreetProblem, i);

      printf ("left out:    street %" G_GINT64_FORMAT ": %s\n", p->street_fid, p->reason);
    }
  printf ("built in:    %.3f s, %.1f MB\n", r->seconds, ngam_graph_get_bytes (g) / 1e6);
  return NGAM_EXIT_OK;
}
