/* ngam-cli-steiner.c — `ngam-batch steiner`: a Steiner tree of a SteinLib
 * or PACE 2018 instance, printed PACE style
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-batch"

#include "config.h"

#include <math.h>
#include <stdio.h>

#include "ngam-cli.h"
#include "ngam-steiner.h"

static void
print_value (FILE *out, const char *label, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (v == floor (v) && fabs (v) < 1e15)
    fprintf (out, "%s%.0f\n", label, v);
  else
    fprintf (out, "%s%s\n", label, g_ascii_formatd (buf, sizeof buf, "%.15g", v));
}

int
ngam_cli_steiner (int    argc,
                  char **argv)
{
  double time_limit = 0;
  gint64 seed = 1, max_starts = 0;
  gboolean json = FALSE, verbose = FALSE;
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(NgamSteinerInstance) inst = NULL;
  g_autoptr(NgamSteinerResult) res = NULL;
  NgamSteinerOptions opt = { 0 };
  GError *error = NULL;
  gpointer pdata = NULL;
  NgamProgressFunc progress;
  double check_cost;
  int status;
  GOptionEntry entries[] = {
    { "time-limit", 0, 0, G_OPTION_ARG_DOUBLE, &time_limit, "Stop searching after S seconds (default 10; less when the search stops improving)", "S" },
    { "max-starts", 0, 0, G_OPTION_ARG_INT64, &max_starts, "At most N constructions (default: until time or no progress)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Random seed of the multi-start (default 1)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON summary instead of the PACE answer", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Also print the instance, the time and the gap to a known optimum on stderr", NULL },
    { NULL }
  };

  ctx = ngam_cli_context ("steiner", "FILE.stp|FILE.gr",
                          "Finds a low-cost Steiner tree of a SteinLib (.stp) or PACE 2018 (.gr) instance "
                          "and prints “VALUE cost”, “BOUND b” (a proven lower bound on the optimum, from "
                          "reductions and dual ascent), “GAP g%” (how far above the optimum the tree can be "
                          "at most: (cost − b) / cost), then one edge “u v” per line (PACE style). "
                          "Prize-collecting instances (TP lines) print the cost plus the prizes left out.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!ngam_cli_parse (ctx, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return ngam_cli_usage ("steiner", "expected one instance file");
  if (time_limit < 0 || !isfinite (time_limit))
    return ngam_cli_usage ("steiner", "--time-limit must be a number of seconds ≥ 0");
  if (max_starts < 0 || max_starts > G_MAXUINT)
    return ngam_cli_usage ("steiner", "--max-starts must be a whole number ≥ 0");

  inst = ngam_steiner_instance_load (argv[1], &error);
  if (inst == NULL)
    return ngam_cli_fail (error);
  opt.terminals = (const guint *) inst->terminals->data;
  opt.n_terminals = inst->terminals->len;
  opt.prizes = inst->prizes ? (const double *) inst->prizes->data : NULL;
  opt.time_limit = time_limit;
  opt.max_starts = (guint) max_starts;
  opt.seed = (guint64) seed;
  opt.label_offset = 1;
  progress = ngam_cli_progress_func (&pdata, "steiner");
  res = ngam_steiner_solve (inst->graph, NULL, &opt, progress, pdata, ngam_cli_cancellable (), &error);
  ngam_cli_progress_done (pdata);
  if (res == NULL)
    {
      /* like the parser's errors, the instance's name first */
      if (!g_str_has_prefix (error->message, argv[1]))
        g_prefix_error (&error, "%s: ", argv[1]);
      return ngam_cli_fail (error);
    }
  /* The answer is checked before it is printed: a tree, spanning the
   * terminals it claims, costing what it says. */
  if (inst->prizes == NULL &&
      !ngam_steiner_check (inst->graph, NULL, opt.terminals, opt.n_terminals,
                           (const guint *) res->edges->data, res->edges->len, &check_cost, &error))
    {
      g_prefix_error (&error, "internal error, the tree found is wrong: ");
      return ngam_cli_fail (error);
    }

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "instance");
      json_builder_add_string_value (b, inst->name);
      json_builder_set_member_name (b, "nodes");
      json_builder_add_int_value (b, inst->graph->n_nodes);
      json_builder_set_member_name (b, "edges");
      json_builder_add_int_value (b, inst->graph->n_edges);
      json_builder_set_member_name (b, "terminals");
      json_builder_add_int_value (b, opt.n_terminals);
      json_builder_set_member_name (b, "value");
      json_builder_add_double_value (b, res->cost + res->penalty);
      json_builder_set_member_name (b, "tree_cost");
      json_builder_add_double_value (b, res->cost);
      json_builder_set_member_name (b, "penalty");
      json_builder_add_double_value (b, res->penalty);
      json_builder_set_member_name (b, "lower_bound");
      if (isfinite (res->lower_bound))
        json_builder_add_double_value (b, res->lower_bound);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "gap");
      if (isnan (res->gap))
        json_builder_add_null_value (b);
      else
        json_builder_add_double_value (b, res->gap);
      json_builder_set_member_name (b, "first_cost");
      json_builder_add_double_value (b, res->first_cost);
      json_builder_set_member_name (b, "optimum");
      if (isnan (inst->optimum))
        json_builder_add_null_value (b);
      else
        json_builder_add_double_value (b, inst->optimum);
      json_builder_set_member_name (b, "gap_percent");
      if (isnan (inst->optimum) || inst->optimum <= 0)
        json_builder_add_null_value (b);
      else
        json_builder_add_double_value (b, 100 * (res->cost + res->penalty - inst->optimum) / inst->optimum);
      json_builder_set_member_name (b, "starts");
      json_builder_add_int_value (b, res->n_starts);
      json_builder_set_member_name (b, "seconds");
      json_builder_add_double_value (b, res->seconds);
      json_builder_set_member_name (b, "tree");
      json_builder_begin_array (b);
      for (guint i = 0; i < res->edges->len; i++)
        {
          guint e = g_array_index (res->edges, guint, i);

          json_builder_begin_array (b);
          json_builder_add_int_value (b, inst->graph->edge_uv[2 * e] + 1);
          json_builder_add_int_value (b, inst->graph->edge_uv[2 * e + 1] + 1);
          json_builder_end_array (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "left_out");
      json_builder_begin_array (b);
      for (guint i = 0; i < res->left_out->len; i++)
        json_builder_add_int_value (b, g_array_index (res->left_out, guint, i) + 1);
      json_builder_end_array (b);
      json_builder_end_object (b);
      ngam_cli_print_json (b);
    }
  else
    {
      print_value (stdout, "VALUE ", res->cost + res->penalty);
      if (isfinite (res->lower_bound))
        print_value (stdout, "BOUND ", res->lower_bound);
      else
        printf ("BOUND none\n");
      if (isnan (res->gap))
        printf ("GAP unknown\n");
      else
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          printf ("GAP %s%%\n", g_ascii_formatd (buf, sizeof buf, "%.3f", 100 * res->gap));
        }
      for (guint i = 0; i < res->edges->len; i++)
        {
          guint e = g_array_index (res->edges, guint, i);

          printf ("%u %u\n", inst->graph->edge_uv[2 * e] + 1, inst->graph->edge_uv[2 * e + 1] + 1);
        }
    }
  if (verbose)
    {
      fprintf (stderr, "%s: %u nodes, %u edges, %u terminals; %u starts in %.3f s; first tree %g, best %g",
               inst->name, inst->graph->n_nodes, inst->graph->n_edges, opt.n_terminals, res->n_starts,
               res->seconds, res->first_cost, res->cost + res->penalty);
      if (isfinite (res->lower_bound))
        fprintf (stderr, "; bound %g, proven gap %.3f%%", res->lower_bound, 100 * res->gap);
      if (!isnan (inst->optimum) && inst->optimum > 0)
        fprintf (stderr, "; optimum %g, gap %.3f%%", inst->optimum,
                 100 * (res->cost + res->penalty - inst->optimum) / inst->optimum);
      if (res->left_out->len)
        fprintf (stderr, "; %u terminals left out", res->left_out->len);
      fprintf (stderr, "\n");
    }
  return NGAM_EXIT_OK;
}
