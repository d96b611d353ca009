/* ngam-cli-plan.c — `ngam-batch plan`: the undergrounding plan of a
 * project under a scenario
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-batch"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ngam-cli.h"

/* @text padded to @width characters (not bytes: Vietnamese names are
 * several bytes a letter); the result lives in *@store. */
static const char *
pad (const char *text, guint width, char **store)
{
  g_autofree char *nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  glong n = g_utf8_strlen (nfc ? nfc : text, -1);

  g_free (*store);
  *store = g_strdup_printf ("%s%*s", nfc ? nfc : text, n < (glong) width ? (int) (width - n) : 0, "");
  return *store;
}

static gint64
get_int (JsonObject *o,
         const char *name)
{
  return json_object_has_member (o, name) ? json_object_get_int_member (o, name) : 0;
}

static double
get_double (JsonObject *o,
            const char *name)
{
  return json_object_has_member (o, name) ? json_object_get_double_member (o, name) : 0;
}

/* 1234567 → "1,234,567" */
static char *
vnd (gint64 v)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, v < 0 ? -v : v);
  GString *s = g_string_new (v < 0 ? "-" : "");
  gsize n = strlen (digits);

  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, digits[i]);
    }
  return g_string_free (s, FALSE);
}

static void
print_summary (JsonObject *root)
{
  JsonObject *t = json_object_get_object_member (root, "totals");
  JsonObject *m = json_object_get_object_member (t, "trench_m_by_method");
  g_autofree char *total = vnd (get_int (t, "cost_vnd"));
  const char *lists[] = { "operators", "phases", "wards" };
  JsonArray *notes = json_object_get_array_member (root, "notes");
  JsonArray *a;

  for (guint i = 0; i < json_array_get_length (notes); i++)
    printf ("note: %s\n", json_array_get_string_element (notes, i));
  printf ("trench          %10.3f km%s\n", get_double (t, "trench_m") / 1000,
          json_object_get_boolean_member (root, "sharing") ? " (shared)" : " (each operator alone)");
  for (guint i = 0; i < NGAM_N_METHODS; i++)
    {
      const char *name = ngam_method_info_nth (i)->name;

      if (get_double (m, name) > 0)
        printf ("  %-20s %8.3f km\n", name, get_double (m, name) / 1000);
    }
  printf ("cable underground %8.3f km\n", get_double (t, "cable_m") / 1000);
  printf ("spans retired   %10" G_GINT64_FORMAT "\n", get_int (t, "spans_retired"));
  printf ("poles removed   %10" G_GINT64_FORMAT "\n", get_int (t, "poles_removed"));
  printf ("poles freed     %10" G_GINT64_FORMAT " (power poles, kept)\n", get_int (t, "poles_freed"));
  printf ("manholes        %10" G_GINT64_FORMAT "\n", get_int (t, "manholes"));
  printf ("handholes       %10" G_GINT64_FORMAT "\n", get_int (t, "handholes"));
  printf ("total cost      %s VND\n", total);
  if (json_object_has_member (root, "design"))
    {
      JsonObject *d = json_object_get_object_member (root, "design");
      g_autofree char *obj = vnd ((gint64) llround (get_double (d, "objective_vnd")));
      g_autofree char *lb = vnd ((gint64) llround (get_double (d, "lower_bound_vnd")));

      /* the trench network's own price (trenches, ducts, cables, rent),
       * and what no trench network the rules allow can go below */
      printf ("trench network  %s VND, proven lower bound %s VND (gap %.1f %%)\n", obj, lb,
              100 * get_double (d, "gap"));
    }
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      a = json_object_get_array_member (root, lists[l]);
      printf ("%s:\n", lists[l]);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonObject *o = json_array_get_object_element (a, i);
          g_autofree char *c = vnd (get_int (o, "cost_vnd"));
          g_autofree char *padded = NULL;

          if (l == 0)
            printf ("  %s %22s VND  %5.1f %%\n", pad (json_object_get_string_member (o, "operator"), 24, &padded), c,
                    100 * get_double (o, "share"));
          else if (l == 1)
            printf ("  phase %-3" G_GINT64_FORMAT "  year %-3" G_GINT64_FORMAT " %22s VND  %8.3f km\n",
                    get_int (o, "phase"), get_int (o, "year"), c, get_double (o, "trench_m") / 1000);
          else
            printf ("  %s %22s VND  %8.3f km  %6" G_GINT64_FORMAT " poles down\n",
                    pad (*json_object_get_string_member (o, "ward") ?
                         json_object_get_string_member (o, "ward") : "(no ward)", 24, &padded),
                    c, get_double (o, "trench_m") / 1000, get_int (o, "poles_removed"));
        }
    }
  a = json_object_get_array_member (root, "unfunded");
  if (json_array_get_length (a) > 0)
    {
      double cost = 0;

      for (guint i = 0; i < json_array_get_length (a); i++)
        cost += get_double (json_array_get_object_element (a, i), "cost_vnd");
      {
        g_autofree char *c = vnd ((gint64) llround (cost));

        printf ("unfunded: %u corridors, %s VND\n", json_array_get_length (a), c);
      }
    }
  a = json_object_get_array_member (root, "unmatched_spans");
  printf ("unmatched spans %10u\n", json_array_get_length (a));
  a = json_object_get_array_member (root, "violations");
  if (json_array_get_length (a) == 0)
    printf ("rule checks: all passed\n");
  else
    {
      printf ("rule checks: %u violations\n", json_array_get_length (a));
      for (guint i = 0; i < json_array_get_length (a) && i < 20; i++)
        {
          JsonObject *o = json_array_get_object_element (a, i);

          printf ("  %s: %s\n", json_object_get_string_member (o, "rule"), json_object_get_string_member (o, "message"));
        }
    }
}

int
ngam_cli_plan (int    argc,
               char **argv)
{
  g_autofree char *scenario = NULL, *config = NULL, *area = NULL, *streets = NULL;
  g_autofree char *budget = NULL;
  gint64 years = 0;
  gboolean with_power = FALSE, no_sharing = FALSE, json = FALSE, dry_run = FALSE;
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(NgamStore) store = NULL;
  g_autoptr(NgamPlanScenario) sc = NULL;
  g_autoptr(NgamPlanResult) result = NULL;
  g_autofree char *street_list = NULL;
  NgamPlanOptions opt = NGAM_PLAN_OPTIONS_INIT;
  GError *error = NULL;
  gpointer pdata = NULL;
  NgamProgressFunc progress;
  int status;
  GOptionEntry entries[] = {
    { "scenario", 0, 0, G_OPTION_ARG_STRING, &scenario, "Store the plan under this scenario name (default “default”); "
      "without --config, plan the scenario stored under it", "NAME" },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &config, "Scenario file (see data/scenarios/default.ini)", "FILE.ini" },
    { "area", 0, 0, G_OPTION_ARG_STRING, &area, "Plan only inside this ward (its name) or WKT polygon", "WARD|WKT" },
    { "streets", 0, 0, G_OPTION_ARG_STRING, &streets, "Plan only these streets: a file of names, one a line, or “name;name”", "FILE|LIST" },
    { "years", 0, 0, G_OPTION_ARG_INT64, &years, "Number of years to phase the work over", "N" },
    { "budget-per-year", 0, 0, G_OPTION_ARG_STRING, &budget, "Yearly budget in VND (0: no limit)", "VND" },
    { "with-power", 0, 0, G_OPTION_ARG_NONE, &with_power, "Lay power cable in the same trenches", NULL },
    { "no-sharing", 0, 0, G_OPTION_ARG_NONE, &no_sharing, "Each operator digs its own trenches (the baseline)", NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, "Compute and print, do not store the plan", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the plan's JSON summary", NULL },
    { NULL }
  };

  ctx = ngam_cli_context ("plan", "PROJECT.ngam",
                          "Plans the undergrounding of the project's aerial cables: shared trenches along the "
                          "streets, their method, duct banks and manholes, the spans and poles that come down, "
                          "the cost per item, phase, ward and operator under a yearly budget, and rule checks. "
                          "Exit status 1 when a rule check fails.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!ngam_cli_parse (ctx, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return ngam_cli_usage ("plan", "expected one PROJECT.ngam");
  if (years < 0 || years > 100)
    return ngam_cli_usage ("plan", "--years must be between 1 and 100");
  opt.years = (int) years;
  if (budget)
    {
      char *end = NULL;
      double b = g_ascii_strtod (budget, &end);

      if (end == budget || *end != '\0' || !(b >= 0) || !isfinite (b))
        return ngam_cli_usage ("plan", "--budget-per-year must be a number of VND, 0 or more");
      opt.budget_per_year = b;
    }
  if (streets)
    {
      if (g_file_test (streets, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *text = NULL;
          g_auto(GStrv) lines = NULL;

          if (!g_file_get_contents (streets, &text, NULL, &error))
            return ngam_cli_fail (error);
          lines = g_strsplit (text, "\n", -1);
          street_list = g_strjoinv (";", lines);
        }
      else
        street_list = g_strdup (streets);
      opt.streets = street_list;
    }
  if (config)
    {
      sc = ngam_plan_scenario_load (config, &error);
      if (sc == NULL)
        return ngam_cli_fail (error);
    }
  opt.scenario_name = scenario;
  opt.scenario = sc;
  opt.area = area;
  opt.with_power = with_power;
  opt.no_sharing = no_sharing;
  opt.dry_run = dry_run;

  store = ngam_store_open (argv[1], dry_run ? NGAM_STORE_OPEN_READ_ONLY : NGAM_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    return ngam_cli_fail (error);
  progress = ngam_cli_progress_func (&pdata, "plan");
  if (!ngam_plan_run (store, &opt, &result, progress, pdata, ngam_cli_cancellable (), &error))
    {
      ngam_cli_progress_done (pdata);
      return ngam_cli_fail (error);
    }
  ngam_cli_progress_done (pdata);
  if (json)
    {
      g_autofree char *text = ngam_plan_result_to_json (result);

      printf ("%s\n", text);
    }
  else
    print_summary (json_node_get_object (result->summary));
  return result->n_violations > 0 ? NGAM_EXIT_FAILURE : NGAM_EXIT_OK;
}
