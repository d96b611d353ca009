/* ngam-cli-scenarios.c — `ngam-batch scenarios`: the scenarios of a
 * project and their runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-batch"

#include "config.h"

#include <stdio.h>

#include "ngam-cli.h"
#include "ngam-results.h"

/* totals.cost_vnd of a run's summary, or -1. */
static gint64
run_cost (const NgamRunInfo *run)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *totals;

  if (run->summary == NULL || !json_parser_load_from_data (parser, run->summary, -1, NULL))
    return -1;
  root = json_node_get_object (json_parser_get_root (parser));
  if (root == NULL || !json_object_has_member (root, "totals"))
    return -1;
  totals = json_object_get_object_member (root, "totals");
  return json_object_has_member (totals, "cost_vnd") ? json_object_get_int_member (totals, "cost_vnd") : -1;
}

int
ngam_cli_scenarios (int    argc,
                    char **argv)
{
  gboolean json = FALSE;
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(NgamStore) store = NULL;
  g_autoptr(GPtrArray) scenarios = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  GError *error = NULL;
  int status;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };

  ctx = ngam_cli_context ("scenarios", "PROJECT.ngam", "Lists the project's scenarios and their runs.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!ngam_cli_parse (ctx, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return ngam_cli_usage ("scenarios", "expected one PROJECT.ngam");
  store = ngam_store_open (argv[1], NGAM_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    return ngam_cli_fail (error);
  scenarios = ngam_store_list_scenarios (store, &error);
  if (scenarios == NULL)
    return ngam_cli_fail (error);
  json_builder_begin_array (b);
  for (guint i = 0; i < scenarios->len; i++)
    {
      NgamScenarioInfo *s = g_ptr_array_index (scenarios, i);
      g_autoptr(GPtrArray) runs = ngam_store_list_runs (store, s->name, NULL, &error);

      if (runs == NULL)
        return ngam_cli_fail (error);
      if (!json)
        printf ("%s (modified %s)\n", s->name, s->modified);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "scenario");
      json_builder_add_string_value (b, s->name);
      json_builder_set_member_name (b, "modified");
      json_builder_add_string_value (b, s->modified);
      json_builder_set_member_name (b, "runs");
      json_builder_begin_array (b);
      for (guint j = 0; j < runs->len; j++)
        {
          NgamRunInfo *r = g_ptr_array_index (runs, j);
          gint64 cost = run_cost (r);

          if (!json)
            {
              printf ("  run %" G_GINT64_FORMAT "  %-5s %s  %" G_GINT64_FORMAT " features", r->id, r->job,
                      r->finished ? r->finished : r->started, r->n_features);
              if (cost >= 0)
                printf ("  %" G_GINT64_FORMAT " VND", cost);
              printf ("\n");
            }
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_int_value (b, r->id);
          json_builder_set_member_name (b, "job");
          json_builder_add_string_value (b, r->job);
          json_builder_set_member_name (b, "finished");
          json_builder_add_string_value (b, r->finished ? r->finished : "");
          json_builder_set_member_name (b, "features");
          json_builder_add_int_value (b, r->n_features);
          if (cost >= 0)
            {
              json_builder_set_member_name (b, "cost_vnd");
              json_builder_add_int_value (b, cost);
            }
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (json)
    ngam_cli_print_json (b);
  else if (scenarios->len == 0)
    printf ("no scenarios\n");
  return NGAM_EXIT_OK;
}
