/* net-bench.c — the network engine's side of bench/net-bench.sh
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds the street graph of a project, writes the noded edges and nodes
 * for pgRouting to load, picks the queries (seeded), runs them here and
 * writes the answers and wall times, so that the script can run the same
 * queries in pgRouting and compare.
 *
 *   net-bench PROJECT.ngam OUTDIR [SEED]
 *
 * OUTDIR gets: edges.tsv (id, cost, WKT), nodes.tsv (id, x, y),
 * pairs.tsv, one.tsv, many_src.tsv, many_dst.tsv, steiner20.tsv,
 * steiner100.tsv (node ids), and ours.tsv (what = value lines).
 *
 *   net-bench --steiner PROJECT.ngam OUTDIR BUDGET20 BUDGET100
 *
 * then finds the Steiner trees over those terminals within the budgets
 * (seconds: the script passes a 25th of pgRouting's time) and with the
 * default search, into ours-steiner.tsv.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ngam-core.h"
#include "ngam-graph-build.h"
#include "ngam-route.h"
#include "ngam-steiner.h"

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* CPU seconds of the whole process (every thread): the fairer figure on a
 * machine shared with other jobs */
static double
cpu (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
write_nodes (const char *path, const guint *nodes, guint n)
{
  FILE *f = fopen (path, "w");

  for (guint i = 0; i < n; i++)
    fprintf (f, "%u\n", nodes[i]);
  fclose (f);
}

/* Random nodes of the largest component, so that every query has an
 * answer. */
static void
pick (GRand *rand, const NgamGraph *g, guint *out, guint n)
{
  for (guint i = 0; i < n;)
    {
      guint v = g_rand_int_range (rand, 0, g->n_nodes);

      if (g->component[v] == 0)
        out[i++] = v;
    }
}

static guint *
read_nodes (const char *path, guint *n)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GArray *a = g_array_new (FALSE, FALSE, sizeof (guint));

  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_error ("cannot read %s", path);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (*lines[i])
      {
        guint v = (guint) g_ascii_strtoull (lines[i], NULL, 10);

        g_array_append_val (a, v);
      }
  *n = a->len;
  return (guint *) g_array_free (a, FALSE);
}

/* net-bench --steiner PROJECT OUTDIR BUDGET20 BUDGET100: Steiner trees
 * over the terminals written before, within each time budget (seconds),
 * and with the default search; appends to ours-steiner.tsv. */
static int
steiner_main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (argv[2], NGAM_STORE_OPEN_READ_ONLY, &error);
  g_autoptr(NgamGraph) g = NULL;
  g_autofree double *cost = NULL;
  g_autofree char *p = g_build_filename (argv[3], "ours-steiner.tsv", NULL);
  FILE *out;

  if (store == NULL)
    g_error ("%s", error->message);
  g = ngam_graph_build (store, NULL, NULL, NULL, NULL, NULL, &error);
  cost = ngam_graph_edge_costs (g, ngam_edge_cost_length, NULL, &error);
  out = fopen (p, "w");
  for (int k = 0; k < 2; k++)
    {
      guint nt, want = k == 0 ? 20 : 100;
      g_autofree char *tp = g_strdup_printf ("%s/steiner%u.tsv", argv[3], want);
      g_autofree guint *terms = read_nodes (tp, &nt);
      double budget = g_ascii_strtod (argv[4 + k], NULL);

      for (int mode = 0; mode < 2; mode++)
        {
          NgamSteinerOptions opt = { 0 };
          g_autoptr(NgamSteinerResult) res = NULL;
          const char *name = mode == 0 ? "budget" : "default";
          double t0 = now (), t, check;

          opt.terminals = terms;
          opt.n_terminals = nt;
          opt.seed = 1;
          opt.time_limit = mode == 0 ? budget : 0;
          res = ngam_steiner_solve (g, cost, &opt, NULL, NULL, NULL, &error);
          t = now () - t0;
          if (res == NULL)
            g_error ("%s", error->message);
          if (!ngam_steiner_check (g, cost, terms, nt, (guint *) res->edges->data, res->edges->len, &check, &error))
            g_error ("%s", error->message);
          fprintf (out, "steiner%u_%s_seconds\t%.6f\nsteiner%u_%s_cost\t%.17g\nsteiner%u_%s_starts\t%u\n",
                   nt, name, t, nt, name, check, nt, name, res->n_starts);
          if (mode == 0)
            fprintf (out, "steiner%u_mehlhorn\t%.17g\nsteiner%u_budget\t%.6f\n", nt, res->first_cost, nt, budget);
        }
    }
  fclose (out);
  return 0;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = NULL;
  g_autoptr(NgamGraph) g = NULL;
  g_autoptr(NgamGraphReport) report = NULL;
  g_autoptr(NgamRouter) r = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autofree double *cost = NULL;
  g_autofree char *p = NULL;
  const char *outdir;
  FILE *ours, *f;
  guint pairs[2 * 20], one_dst[1000], msrc[100], mdst[100], one_src, t20[20], t100[100];
  g_autofree double *row = g_new (double, 1000);
  g_autofree double *matrix = g_new (double, 100 * 100);
  g_autofree double *plain = g_new (double, 100 * 100);
  double t0, t, c0;

  ngam_core_init ();
  if (argc == 6 && strcmp (argv[1], "--steiner") == 0)
    return steiner_main (argc, argv);
  if (argc < 3)
    {
      fprintf (stderr, "usage: net-bench PROJECT.ngam OUTDIR [SEED]\n"
                       "       net-bench --steiner PROJECT.ngam OUTDIR BUDGET20 BUDGET100\n");
      return 2;
    }
  outdir = argv[2];
  g_mkdir_with_parents (outdir, 0755);
  rand = g_rand_new_with_seed (argc > 3 ? atoi (argv[3]) : 1);
  store = ngam_store_open (argv[1], NGAM_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  p = g_build_filename (outdir, "ours.tsv", NULL);
  ours = fopen (p, "w");

  /* graph building, from the project file */
  t0 = now ();
  g = ngam_graph_build (store, NULL, &report, NULL, NULL, NULL, &error);
  t = now () - t0;
  if (g == NULL)
    g_error ("%s", error->message);
  fprintf (ours, "graph_seconds\t%.6f\nnodes\t%u\nedges\t%u\ncomponents\t%u\n", t, g->n_nodes, g->n_edges,
           g->n_components);
  cost = ngam_graph_edge_costs (g, ngam_edge_cost_length, NULL, &error);
  r = ngam_router_new (g, cost, &error);

  /* the graph for pgRouting: the same noded edges, the same costs */
  g_free (p);
  p = g_build_filename (outdir, "edges.tsv", NULL);
  f = fopen (p, "w");
  for (guint e = 0; e < g->n_edges; e++)
    {
      const double *xy = g->geom_xy + 2 * (gsize) g->geom_start[e];
      guint np = g->geom_start[e + 1] - g->geom_start[e];

      fprintf (f, "%u\t%.17g\tLINESTRING(", e + 1, cost[e]);
      for (guint i = 0; i < np; i++)
        fprintf (f, "%s%.17g %.17g", i ? "," : "", xy[2 * i], xy[2 * i + 1]);
      fprintf (f, ")\n");
    }
  fclose (f);
  g_free (p);
  p = g_build_filename (outdir, "nodes.tsv", NULL);
  f = fopen (p, "w");
  for (guint v = 0; v < g->n_nodes; v++)
    fprintf (f, "%u\t%.17g\t%.17g\n", v, g->node_xy[2 * v], g->node_xy[2 * v + 1]);
  fclose (f);

  /* one-to-one: 20 pairs */
  pick (rand, g, pairs, 40);
  g_free (p);
  p = g_build_filename (outdir, "pairs.tsv", NULL);
  f = fopen (p, "w");
  t = 0;
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(NgamPath) path = NULL;

      t0 = now ();
      path = ngam_router_path (r, pairs[2 * i], pairs[2 * i + 1], &error);
      t += now () - t0;
      fprintf (f, "%u\t%u\n", pairs[2 * i], pairs[2 * i + 1]);
      fprintf (ours, "pair\t%u\t%u\t%.17g\t%u\n", pairs[2 * i], pairs[2 * i + 1], path->cost, path->edges->len);
    }
  fclose (f);
  fprintf (ours, "one_to_one_seconds\t%.6f\n", t / 20);
  /* the same without goal direction, for the record */
  ngam_router_set_goal_directed (r, FALSE);
  t0 = now ();
  for (guint i = 0; i < 20; i++)
    ngam_router_cost (r, pairs[2 * i], pairs[2 * i + 1]);
  fprintf (ours, "one_to_one_dijkstra_seconds\t%.6f\n", (now () - t0) / 20);
  ngam_router_set_goal_directed (r, TRUE);

  /* one-to-many 1 × 1000 */
  pick (rand, g, &one_src, 1);
  pick (rand, g, one_dst, 1000);
  g_free (p);
  p = g_build_filename (outdir, "one.tsv", NULL);
  f = fopen (p, "w");
  fprintf (f, "%u\n", one_src);
  for (guint i = 0; i < 1000; i++)
    fprintf (f, "%u\n", one_dst[i]);
  fclose (f);
  t0 = now ();
  ngam_router_one_to_many (r, one_src, one_dst, 1000, row);
  fprintf (ours, "one_to_many_seconds\t%.6f\n", now () - t0);
  for (guint i = 0; i < 1000; i++)
    fprintf (ours, "one\t%u\t%u\t%.17g\n", one_src, one_dst[i], row[i]);

  /* many-to-many 100 × 100 */
  pick (rand, g, msrc, 100);
  pick (rand, g, mdst, 100);
  g_free (p);
  p = g_build_filename (outdir, "many_src.tsv", NULL);
  write_nodes (p, msrc, 100);
  g_free (p);
  p = g_build_filename (outdir, "many_dst.tsv", NULL);
  write_nodes (p, mdst, 100);
  /* plain searches first (100 × 100 is too small to prepare the
   * hierarchy by itself), then the hierarchy: its preparation, and the
   * bucket method over it */
  t0 = now ();
  c0 = cpu ();
  if (!ngam_router_many_to_many (r, msrc, 100, mdst, 100, plain, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  fprintf (ours, "many_to_many_dijkstra_seconds\t%.6f\nmany_to_many_dijkstra_cpu\t%.6f\n", now () - t0,
           cpu () - c0);
  t0 = now ();
  c0 = cpu ();
  if (!ngam_router_prepare_hierarchy (r, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  fprintf (ours, "ch_prepare_seconds\t%.6f\nch_prepare_cpu\t%.6f\n", now () - t0, cpu () - c0);
  t0 = now ();
  c0 = cpu ();
  if (!ngam_router_many_to_many (r, msrc, 100, mdst, 100, matrix, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  fprintf (ours, "many_to_many_seconds\t%.6f\nmany_to_many_cpu\t%.6f\n", now () - t0, cpu () - c0);
  {
    double worst = 0;

    for (guint i = 0; i < 100 * 100; i++)
      if (plain[i] != matrix[i])
        worst = MAX (worst, fabs (plain[i] - matrix[i]) / MAX (fabs (plain[i]), 1e-12));
    fprintf (ours, "many_to_many_ch_vs_dijkstra\t%.3g\n", worst);
  }
  for (guint i = 0; i < 100; i++)
    for (guint j = 0; j < 100; j++)
      fprintf (ours, "many\t%u\t%u\t%.17g\n", msrc[i], mdst[j], matrix[i * 100 + j]);

  /* Steiner terminals; the trees themselves come from the --steiner run,
   * once pgRouting's time is known */
  pick (rand, g, t20, 20);
  pick (rand, g, t100, 100);
  g_free (p);
  p = g_build_filename (outdir, "steiner20.tsv", NULL);
  write_nodes (p, t20, 20);
  g_free (p);
  p = g_build_filename (outdir, "steiner100.tsv", NULL);
  write_nodes (p, t100, 100);
  fclose (ours);
  return 0;
}
