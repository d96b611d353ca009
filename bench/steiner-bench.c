/* steiner-bench.c — the Steiner solver on SteinLib and on the generated
 * hard set: value, proven lower bound, gap, time, share of edges the
 * reductions removed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   steiner-bench [--time-limit S] [--long S] [FILE.stp | DIR | hard]…
 *
 * Prints one TSV line per instance and a summary per family (the folder,
 * or "hard" for tests/net/net-steiner-gen.c's list).  With --long, each
 * instance is also solved with S seconds, for the gap to a long run.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "net-steiner-gen.h"
#include "ngam-core.h"

typedef struct
{
  guint  count, with_opt;
  double sum_gap_bound, max_gap_bound, sum_gap_opt, max_gap_opt, sum_seconds, max_seconds, sum_removed;
  double sum_gap_long;
} Family;

static double time_limit = 3, long_limit = 0;

static void
run_one (Family *fam, const char *family, NgamSteinerInstance *inst)
{
  NgamSteinerOptions opt = { 0 };
  g_autoptr(NgamSteinerResult) res = NULL;
  g_autoptr(GError) error = NULL;
  double value, gap_opt = NAN, removed, long_value = NAN;

  opt.terminals = (const guint *) inst->terminals->data;
  opt.n_terminals = inst->terminals->len;
  opt.prizes = inst->prizes ? (const double *) inst->prizes->data : NULL;
  opt.time_limit = time_limit;
  opt.seed = 1;
  opt.label_offset = 1;
  res = ngam_steiner_solve (inst->graph, NULL, &opt, NULL, NULL, NULL, &error);
  if (res == NULL)
    g_error ("%s: %s", inst->name, error->message);
  value = res->cost + res->penalty;
  if (!isnan (inst->optimum) && inst->optimum > 0)
    {
      gap_opt = 100 * (value - inst->optimum) / inst->optimum;
      if (res->lower_bound > inst->optimum + 1e-9 * (1 + inst->optimum))
        g_error ("%s: the lower bound %.17g is above the optimum %.17g", inst->name, res->lower_bound,
                 inst->optimum);
    }
  removed = res->usable_edges ? 100.0 * (res->usable_edges - res->reduced_edges) / res->usable_edges : 0;
  if (long_limit > 0)
    {
      g_autoptr(NgamSteinerResult) lr = NULL;

      opt.time_limit = long_limit;
      lr = ngam_steiner_solve (inst->graph, NULL, &opt, NULL, NULL, NULL, &error);
      long_value = lr->cost + lr->penalty;
    }
  printf ("%s\t%s\t%u\t%u\t%u\t%.10g\t%.10g\t%.3f\t%s\t%.3f\t%.3f\t%.1f\t%u\t%.10g\n", family, inst->name,
          inst->graph->n_nodes, inst->graph->n_edges, opt.n_terminals, value, res->lower_bound, 100 * res->gap,
          isnan (inst->optimum) ? "-" : g_strdup_printf ("%.10g", inst->optimum), gap_opt, res->seconds, removed,
          res->n_starts, long_value);
  fflush (stdout);
  fam->count++;
  fam->sum_gap_bound += 100 * res->gap;
  fam->max_gap_bound = MAX (fam->max_gap_bound, 100 * res->gap);
  if (!isnan (gap_opt))
    {
      fam->with_opt++;
      fam->sum_gap_opt += gap_opt;
      fam->max_gap_opt = MAX (fam->max_gap_opt, gap_opt);
    }
  if (!isnan (long_value))
    fam->sum_gap_long += 100 * (value - long_value) / long_value;
  fam->sum_seconds += res->seconds;
  fam->max_seconds = MAX (fam->max_seconds, res->seconds);
  fam->sum_removed += removed;
}

static void
summary (const char *family, const Family *f)
{
  if (f->count == 0)
    return;
  fprintf (stderr, "%s: %u instances; gap to bound mean %.3f%% max %.3f%%", family, f->count,
           f->sum_gap_bound / f->count, f->max_gap_bound);
  if (f->with_opt)
    fprintf (stderr, "; gap to optimum mean %.3f%% max %.3f%%", f->sum_gap_opt / f->with_opt, f->max_gap_opt);
  if (long_limit > 0)
    fprintf (stderr, "; mean %.3f%% above the %g s run", f->sum_gap_long / f->count, long_limit);
  fprintf (stderr, "; %.2f s mean, %.2f s max; reductions removed %.1f%% of the edges on average\n",
           f->sum_seconds / f->count, f->max_seconds, f->sum_removed / f->count);
}

static int
cmp_str (gconstpointer a, gconstpointer b)
{
  return g_ascii_strcasecmp (*(char **) a, *(char **) b);
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new ("[FILE.stp | DIR | hard]…");
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "time-limit", 0, 0, G_OPTION_ARG_DOUBLE, &time_limit, "Seconds per instance (default 3)", "S" },
    { "long", 0, 0, G_OPTION_ARG_DOUBLE, &long_limit, "Also solve each with S seconds", "S" },
    { NULL }
  };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  printf ("family\tinstance\tnodes\tedges\tterminals\tvalue\tlower_bound\tgap_bound_pct\toptimum\tgap_opt_pct\t"
          "seconds\tedges_removed_pct\tstarts\tlong_value\n");
  for (int i = 1; i < argc; i++)
    {
      Family fam = { 0 };

      if (strcmp (argv[i], "hard") == 0)
        {
          for (guint s = 0; s < net_steiner_gen_n_specs; s++)
            {
              g_autoptr(NgamSteinerInstance) inst = net_steiner_gen (&net_steiner_gen_specs[s]);

              run_one (&fam, "hard", inst);
            }
          summary ("hard", &fam);
        }
      else if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GDir) d = g_dir_open (argv[i], 0, NULL);
          g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
          g_autofree char *family = g_path_get_basename (argv[i]);
          const char *name;

          while (d && (name = g_dir_read_name (d)))
            if (g_str_has_suffix (name, ".stp") || g_str_has_suffix (name, ".gr"))
              g_ptr_array_add (names, g_strdup (name));
          g_ptr_array_sort (names, cmp_str);
          for (guint k = 0; k < names->len; k++)
            {
              g_autofree char *path = g_build_filename (argv[i], names->pdata[k], NULL);
              g_autoptr(NgamSteinerInstance) inst = ngam_steiner_instance_load (path, &error);

              if (inst == NULL)
                g_error ("%s", error->message);
              run_one (&fam, family, inst);
            }
          summary (family, &fam);
        }
      else
        {
          g_autoptr(NgamSteinerInstance) inst = ngam_steiner_instance_load (argv[i], &error);

          if (inst == NULL)
            g_error ("%s", error->message);
          run_one (&fam, "file", inst);
        }
    }
  return 0;
}
