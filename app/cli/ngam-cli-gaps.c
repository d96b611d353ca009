/* ngam-cli-gaps.c — `ngam-batch gaps`: coverage gaps, the province's
 * indicators, hazard exposure and the proposals that close the gaps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-batch"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ngam-cli.h"
#include "ngam-gaps.h"

static int
fail (GError *error)
{
  fprintf (stderr, "ngam-batch gaps: %s\n", error ? error->message : "failed");
  g_clear_error (&error);
  return NGAM_EXIT_FAILURE;
}

static double
member_double (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_VALUE (n) ? json_node_get_double (n) : NAN;
}

static gint64
member_int (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_VALUE (n) ? json_node_get_int (n) : -1;
}

static JsonObject *
member_object (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
member_array (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static void
print_share (const char *label, double share, double part, double whole)
{
  if (isnan (share))
    printf ("  %-22s absent\n", label);
  else
    printf ("  %-22s %6.2f %%  (%.0f of %.0f)\n", label, 100 * share, part, whole);
}

static void
print_text (JsonObject *root, gint64 run_id, gint64 n_features)
{
  JsonObject *ind = member_object (root, "indicators");
  JsonObject *pcs = member_object (ind, "population_covered_share");
  JsonObject *pc = member_object (ind, "population_covered");
  JsonObject *mobile = member_object (root, "mobile");
  JsonObject *fibre = member_object (root, "fibre");
  JsonObject *demand = member_object (root, "demand");
  JsonObject *props = member_object (root, "proposals");
  JsonArray *wards = member_array (root, "wards");
  JsonArray *hazards = member_array (root, "hazards");
  JsonArray *notes = member_array (root, "notes");
  double pop = member_double (demand, "population");

  printf ("demand:      %" G_GINT64_FORMAT " points, %" G_GINT64_FORMAT " households, %.0f people "
          "(%" G_GINT64_FORMAT " households outside every ward)\n",
          member_int (demand, "points"), member_int (demand, "households"), pop,
          member_int (demand, "households_no_ward"));
  printf ("indicators:\n");
  for (guint t = 0; t < NGAM_GAPS_N_MOBILE; t++)
    {
      const char *tech = ngam_gaps_tech_name (t);
      g_autofree char *label = g_strdup_printf ("population %s", tech);

      if (mobile && member_object (mobile, tech) == NULL)
        continue;
      print_share (label, pcs ? member_double (pcs, tech) : NAN, member_double (pc, tech), pop);
    }
  if (fibre)
    print_share ("households fibre", member_double (ind, "households_fibre_share"),
                 member_double (ind, "households_fibre"), member_double (demand, "households"));
  if (fibre && member_int (fibre, "access_points") >= 0)
    printf ("fibre:       %" G_GINT64_FORMAT " access points; %" G_GINT64_FORMAT " households beyond %.0f m "
            "along the streets\n", member_int (fibre, "access_points"),
            member_int (fibre, "unserved_households"), member_double (fibre, "max_drop_m"));
  if (mobile)
    for (guint t = 0; t < NGAM_GAPS_N_MOBILE; t++)
      {
        JsonObject *m = member_object (mobile, ngam_gaps_tech_name (t));

        if (m == NULL)
          continue;
        printf ("%-12s %" G_GINT64_FORMAT " cells, %.2f km² covered, %.0f people uncovered\n",
                ngam_gaps_tech_name (t), member_int (m, "cells"), member_double (m, "coverage_km2"),
                member_double (m, "uncovered_population"));
      }
  if (wards && json_array_get_length (wards) > 0)
    {
      printf ("wards:       %-28s %9s %7s", "name", "househ.", "fibre");
      for (guint t = 0; t < NGAM_GAPS_N_MOBILE; t++)
        if (mobile && member_object (mobile, ngam_gaps_tech_name (t)))
          printf (" %6s", ngam_gaps_tech_name (t));
      printf ("\n");
      for (guint i = 0; i < json_array_get_length (wards); i++)
        {
          JsonObject *w = json_array_get_object_element (wards, i);
          JsonObject *ws = member_object (w, "population_covered_share");
          double fs = member_double (w, "households_fibre_share");

          printf ("             %-28.28s %9" G_GINT64_FORMAT, json_object_get_string_member (w, "name"),
                  member_int (w, "households"));
          if (isnan (fs))
            printf (" %7s", "-");
          else
            printf (" %6.1f%%", 100 * fs);
          for (guint t = 0; t < NGAM_GAPS_N_MOBILE; t++)
            if (mobile && member_object (mobile, ngam_gaps_tech_name (t)))
              {
                double s = ws ? member_double (ws, ngam_gaps_tech_name (t)) : NAN;

                if (isnan (s))
                  printf (" %6s", "-");
                else
                  printf (" %5.1f%%", 100 * s);
              }
          printf ("\n");
        }
    }
  for (guint i = 0; hazards && i < json_array_get_length (hazards); i++)
    {
      JsonObject *z = json_array_get_object_element (hazards, i);
      JsonObject *p = member_object (z, "plant");

      printf ("hazard:      %s (%s): %.0f m aerial, %" G_GINT64_FORMAT " poles, %" G_GINT64_FORMAT
              " closures, %" G_GINT64_FORMAT " sites; cuts fibre to %" G_GINT64_FORMAT
              " households, all signal to %.0f people\n",
              json_object_get_string_member (z, "zone"), json_object_get_string_member (z, "zone_type"),
              member_double (p, "aerial_m"), member_int (p, "poles"), member_int (p, "closures"),
              member_int (p, "sites"), member_int (z, "households_cut"), member_double (z, "population_cut"));
    }
  if (props)
    {
      JsonArray *pf = member_array (props, "fibre"), *pm = member_array (props, "mobile");

      for (guint i = 0; pf && i < json_array_get_length (pf); i++)
        {
          JsonObject *p = json_array_get_object_element (pf, i);

          printf ("fibre #%-4" G_GINT64_FORMAT " %" G_GINT64_FORMAT " households, %.0f m, %.0f VND "
                  "(%.0f VND per household)\n", member_int (p, "rank"), member_int (p, "households"),
                  member_double (p, "length_m"), member_double (p, "cost_vnd"), member_double (p, "cost_per_household"));
        }
      for (guint i = 0; pm && i < json_array_get_length (pm); i++)
        {
          JsonObject *p = json_array_get_object_element (pm, i);

          printf ("site %s #%-3" G_GINT64_FORMAT " at %.1f,%.1f%s: %.0f more people\n",
                  json_object_get_string_member (p, "tech"), member_int (p, "rank"), member_double (p, "x"),
                  member_double (p, "y"), json_object_has_member (p, "pole_fid") ? " (a pole)" : "",
                  member_double (p, "population_added"));
        }
    }
  for (guint i = 0; notes && i < json_array_get_length (notes); i++)
    printf ("note:        %s\n", json_array_get_string_element (notes, i));
  if (run_id > 0)
    printf ("stored:      run %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT " result features\n", run_id, n_features);
}

int
ngam_cli_gaps (int    argc,
               char **argv)
{
  g_autofree char *tech = NULL, *area = NULL, *hazard = NULL, *dem = NULL, *scenario = NULL, *settings = NULL;
  g_autofree char *settings_text = NULL;
  double max_drop = NAN;
  gboolean json = FALSE, no_store = FALSE, no_proposals = FALSE, print_settings = FALSE;
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(NgamStore) store = NULL;
  g_autoptr(NgamGapsResult) res = NULL;
  NgamGapsOptions opt = NGAM_GAPS_OPTIONS_INIT;
  GError *error = NULL;
  gpointer pdata = NULL;
  NgamProgressFunc progress;
  gboolean ok;
  int status;
  GOptionEntry entries[] = {
    { "tech", 0, 0, G_OPTION_ARG_STRING, &tech, "Technologies: 2G, 3G, 4G, 5G, fibre or all (default), comma-separated", "LIST" },
    { "max-drop", 0, 0, G_OPTION_ARG_DOUBLE, &max_drop, "Fibre reach: metres along the streets to an access point (default: the scenario's max_drop_m, 300)", "M" },
    { "area", 0, 0, G_OPTION_ARG_STRING, &area, "Only the demand of this ward (name or code)", "WARD" },
    { "hazard", 0, 0, G_OPTION_ARG_STRING, &hazard, "Hazard exposure of zones: flood, flood:DEPTH (zones at least DEPTH m deep), landslide or all", "H" },
    { "dem", 0, 0, G_OPTION_ARG_FILENAME, &dem, "Elevation raster for line of sight (not supported yet)", "FILE.tif" },
    { "scenario", 0, 0, G_OPTION_ARG_STRING, &scenario, "Scenario whose [coverage] settings apply and under which the run is stored (default: default)", "NAME" },
    { "settings", 0, 0, G_OPTION_ARG_FILENAME, &settings, "A .ini file whose [coverage] keys override the scenario's", "FILE.ini" },
    { "no-proposals", 0, 0, G_OPTION_ARG_NONE, &no_proposals, "Do not propose fibre extensions or new sites", NULL },
    { "no-store", 0, 0, G_OPTION_ARG_NONE, &no_store, "Compute only: leave the project unchanged", NULL },
    { "print-settings", 0, 0, G_OPTION_ARG_NONE, &print_settings, "Print the [coverage] settings with their defaults and exit", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the gaps JSON (README: Coverage gaps)", NULL },
    { NULL }
  };

  ctx = ngam_cli_context ("gaps", "PROJECT.ngam",
                          "Finds who is left without mobile signal or fibre: coverage per technology from the "
                          "cell sites, fibre reach along the streets, the province's indicators per ward, the "
                          "plant a flood or landslide would cut, and the cheapest extensions and new sites that "
                          "close the gaps.  The results are stored in the project (replacing the previous run).");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!ngam_cli_parse (ctx, &argc, &argv, &status))
    return status;
  if (print_settings)
    {
      g_autofree char *doc = ngam_gaps_settings_doc ();

      fputs (doc, stdout);
      return NGAM_EXIT_OK;
    }
  if (argc != 2)
    return ngam_cli_usage ("gaps", "expected one PROJECT.ngam");
  if (tech && !ngam_gaps_parse_techs (tech, &opt.techs, &error))
    {
      int r = ngam_cli_usage ("gaps", "--tech: %s", error->message);

      g_clear_error (&error);
      return r;
    }
  if (hazard && !ngam_gaps_parse_hazard (hazard, &opt.hazards, &opt.flood_depth, &error))
    {
      int r = ngam_cli_usage ("gaps", "--hazard: %s", error->message);

      g_clear_error (&error);
      return r;
    }
  if (!isnan (max_drop) && !(max_drop >= 0 && max_drop <= 100000))
    return ngam_cli_usage ("gaps", "--max-drop must be between 0 and 100000 metres");
  if (settings && !g_file_get_contents (settings, &settings_text, NULL, &error))
    return fail (error);
  opt.max_drop_m = max_drop;
  opt.area = area;
  opt.dem = dem;
  opt.scenario = scenario;
  opt.settings = settings_text;
  opt.proposals = !no_proposals;
  opt.store_results = !no_store;

  store = ngam_store_open (argv[1], no_store ? NGAM_STORE_OPEN_READ_ONLY : NGAM_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return fail (error);
  progress = ngam_cli_progress_func (&pdata, "gaps");
  ok = ngam_gaps_run (store, &opt, &res, progress, pdata, ngam_cli_cancellable (), &error);
  ngam_cli_progress_done (pdata);
  if (!ok)
    return fail (error);
  if (json)
    {
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autofree char *text = NULL;

      {
        JsonObject *t = json_object_new ();

        json_object_set_double_member (t, "read", res->seconds_read);
        json_object_set_double_member (t, "mobile", res->seconds_mobile);
        json_object_set_double_member (t, "fibre", res->seconds_fibre);
        json_object_set_double_member (t, "indicators", res->seconds_indicators);
        json_object_set_double_member (t, "hazards", res->seconds_hazards);
        json_object_set_double_member (t, "proposals", res->seconds_proposals);
        json_object_set_double_member (t, "store", res->seconds_store);
        json_object_set_double_member (t, "total", res->seconds);
        json_object_set_object_member (json_node_get_object (res->summary), "seconds", t);
      }
      json_generator_set_pretty (gen, TRUE);
      json_generator_set_root (gen, res->summary);
      text = json_generator_to_data (gen, NULL);
      printf ("%s\n", text);
      return NGAM_EXIT_OK;
    }
  print_text (json_node_get_object (res->summary), res->run_id, res->n_features);
  return NGAM_EXIT_OK;
}
