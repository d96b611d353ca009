/* steiner-bench.c — the Steiner solver on SteinLib and on the generated
 * hard set: value, proven lower bound, gap, time, share of edges the
 * reductions removed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   steiner-bench [--time-limit S] [--long S] [--only TEXT]
 *                 [FILE.stp | DIR | hard | town:PROJECT.ngam:K]…
 *
 * Prints one TSV line per instance and a summary per family (the folder,
 * or the families of tests/net/net-steiner-gen.c's list for "hard").
 * town:PROJECT.ngam:K is the street graph of a project (lengths) with K
 * terminals drawn from its largest component (seed 1), or that share of
 * its nodes when K < 1.  With --long, each instance is also solved with S
 * seconds, for the gap to a long run.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "net-steiner-gen.h"
#include "ngam-core.h"
#include "ngam-graph-build.h"

typedef struct
{
  guint  count, with_opt;
  double sum_gap_bound, max_gap_bound, sum_gap_opt, max_gap_opt, sum_seconds, max_seconds, sum_removed;
  double sum_gap_long, sum_cpu;
} Family;

static double time_limit = 3, long_limit = 0;

/* CPU seconds of this process: how much of the wall-clock limit the
 * search really had on a shared machine */
static double
cpu (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}
static char *only = NULL;
static gint max_starts = 0;
static Family last;   /* the figures of the last instance run */

static void
run_one (Family *fam, const char *family, NgamSteinerInstance *inst)
{
  NgamSteinerOptions opt = { 0 };
  g_autoptr(NgamSteinerResult) res = NULL;
  g_autoptr(GError) error = NULL;
  double value, gap_opt = NAN, removed, long_value = NAN, cpu0, cpu1;

  opt.terminals = (const guint *) inst->terminals->data;
  opt.n_terminals = inst->terminals->len;
  opt.prizes = inst->prizes ? (const double *) inst->prizes->data : NULL;
  opt.time_limit = time_limit;
  opt.max_starts = max_starts;
  opt.seed = 1;
  opt.label_offset = 1;
  cpu0 = cpu ();
  res = ngam_steiner_solve (inst->graph, NULL, &opt, NULL, NULL, NULL, &error);
  cpu1 = cpu ();
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
  printf ("%s\t%s\t%u\t%u\t%u\t%.10g\t%.10g\t%.3f\t%s\t%.3f\t%.3f\t%.1f\t%u\t%.10g\t%.3f\n", family, inst->name,
          inst->graph->n_nodes, inst->graph->n_edges, opt.n_terminals, value, res->lower_bound, 100 * res->gap,
          isnan (inst->optimum) ? "-" : g_strdup_printf ("%.10g", inst->optimum), gap_opt, res->seconds, removed,
          res->n_starts, long_value, cpu1 - cpu0);
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
  fam->sum_cpu += cpu1 - cpu0;
}

/* Adds the instance run_one() just added to @one to @all as well. */
static void
run_one_add (Family *all, const Family *one)
{
  all->count++;
  all->sum_gap_bound += one->sum_gap_bound - last.sum_gap_bound;
  all->max_gap_bound = MAX (all->max_gap_bound, one->max_gap_bound);
  all->sum_seconds += one->sum_seconds - last.sum_seconds;
  all->max_seconds = MAX (all->max_seconds, one->max_seconds);
  all->sum_removed += one->sum_removed - last.sum_removed;
  all->sum_gap_long += one->sum_gap_long - last.sum_gap_long;
  all->sum_cpu += one->sum_cpu - last.sum_cpu;
  last = *one;
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
  fprintf (stderr, "; %.2f s mean (%.2f s of CPU), %.2f s max; reductions removed %.1f%% of the edges on average\n",
           f->sum_seconds / f->count, f->sum_cpu / f->count, f->max_seconds, f->sum_removed / f->count);
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
    { "max-starts", 0, 0, G_OPTION_ARG_INT, &max_starts, "At most N constructions (the worst a short limit can give)", "N" },
    { "only", 0, 0, G_OPTION_ARG_STRING, &only, "Generated instances whose name contains TEXT only", "TEXT" },
    { NULL }
  };

  ngam_core_init ();
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  printf ("family\tinstance\tnodes\tedges\tterminals\tvalue\tlower_bound\tgap_bound_pct\toptimum\tgap_opt_pct\t"
          "seconds\tedges_removed_pct\tstarts\tlong_value\tcpu_seconds\n");
  for (int i = 1; i < argc; i++)
    {
      Family fam = { 0 };

      if (strcmp (argv[i], "hard") == 0)
        {
          /* one summary per family of the generated list */
          const char *fams[] = { "E-like", "grid", "PACE-like" };
          Family all = { 0 };

          for (guint f = 0; f < G_N_ELEMENTS (fams); f++)
            {
              Family one = { 0 };

              last = one;
              for (guint s = 0; s < net_steiner_gen_n_specs; s++)
                {
                  const NetSteinerGenSpec *spec = &net_steiner_gen_specs[s];
                  g_autoptr(NgamSteinerInstance) inst = NULL;

                  if (strcmp (spec->family, fams[f]) != 0 || (only && !strstr (spec->name, only)))
                    continue;
                  inst = net_steiner_gen (spec);
                  run_one (&one, spec->family, inst);
                  run_one_add (&all, &one);
                }
              summary (fams[f], &one);
            }
          summary ("hard (all generated)", &all);
        }
      else if (g_str_has_prefix (argv[i], "town:"))
        {
          g_auto(GStrv) part = g_strsplit (argv[i] + 5, ":", 2);
          g_autoptr(NgamStore) store = NULL;
          g_autoptr(GRand) rand = g_rand_new_with_seed (1);
          g_autofree guint8 *taken = NULL;
          g_autofree char *base = NULL;
          NgamSteinerInstance *inst = g_new0 (NgamSteinerInstance, 1);
          double k;
          guint want, in_main = 0;

          if (part[0] == NULL || part[1] == NULL)
            g_error ("%s: expected town:PROJECT.ngam:K", argv[i]);
          store = ngam_store_open (part[0], NGAM_STORE_OPEN_READ_ONLY, &error);
          if (store == NULL)
            g_error ("%s", error->message);
          inst->graph = ngam_graph_build (store, NULL, NULL, NULL, NULL, NULL, &error);
          if (inst->graph == NULL)
            g_error ("%s", error->message);
          for (guint v = 0; v < inst->graph->n_nodes; v++)
            in_main += inst->graph->component[v] == 0;
          k = g_ascii_strtod (part[1], NULL);
          want = k < 1 ? (guint) (k * in_main) : MIN ((guint) k, in_main);
          taken = g_new0 (guint8, inst->graph->n_nodes);
          inst->terminals = g_array_new (FALSE, FALSE, sizeof (guint));
          while (inst->terminals->len < want)
            {
              guint v = g_rand_int_range (rand, 0, inst->graph->n_nodes);

              if (inst->graph->component[v] == 0 && !taken[v])
                {
                  taken[v] = 1;
                  g_array_append_val (inst->terminals, v);
                }
            }
          inst->optimum = NAN;
          base = g_path_get_basename (part[0]);
          inst->name = g_strdup_printf ("%s-t%u", base, want);
          run_one (&fam, "town", inst);
          ngam_steiner_instance_free (inst);
          summary ("town", &fam);
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
