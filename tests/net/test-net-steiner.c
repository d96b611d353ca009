/* test-net-steiner.c — Steiner trees: SteinLib B and C against their
 * optima, exact answers on small graphs (Dreyfus–Wagner), pre-paid edges,
 * prize-collecting, disconnected terminals, the STP/PACE reader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "net-test-util.h"
#include "ngam-test-util.h"

/* The suite fails above these (the acceptance thresholds). */
#define MAX_MEAN_GAP 1.0
#define MAX_GAP 5.0
/* the bound's mean distance below the optimum on B and C, percent
 * (measured 0.44 %) */
#define MAX_MEAN_BOUND_GAP 1.0

/* The bound is proven: at most the optimum @best (up to rounding), and
 * the gap is what it says. */
static void
check_bound (const NgamSteinerResult *res,
             double                   best,
             const char              *what)
{
  double value = res->cost + res->penalty;

  if (!(res->lower_bound <= best + 1e-9 * (1 + fabs (best))))
    g_error ("%s: the lower bound %.17g is above the optimum %.17g", what, res->lower_bound, best);
  g_assert_cmpfloat (res->lower_bound, <=, value);
  if (value > 0)
    g_assert_cmpfloat_with_epsilon (res->gap, (value - res->lower_bound) / value, 1e-12);
}

static GHashTable *
read_optima (void)
{
  g_autofree char *path = ngam_test_shared_path ("steinlib/optima.tsv");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *opt = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 1; lines[i]; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "\t", -1);
      double *v;

      if (g_strv_length (f) < 6)
        continue;
      v = g_new (double, 1);
      *v = g_ascii_strtod (f[5], NULL);
      g_hash_table_insert (opt, g_strdup (f[1]), v);
    }
  return opt;
}

static void
test_steinlib (void)
{
  g_autoptr(GHashTable) optima = read_optima ();
  const char *groups[] = { "B", "C" };
  double sum_gap = 0, max_gap = 0, total_time = 0, sum_bound_gap = 0, max_bound_gap = 0;
  guint count = 0;
  g_autofree char *worst = NULL;

  for (guint gi = 0; gi < G_N_ELEMENTS (groups); gi++)
    {
      g_autofree char *dir = g_build_filename (ngam_test_shared_data (), "steinlib", groups[gi], NULL);
      g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      g_assert_nonnull (d);
      while ((name = g_dir_read_name (d)))
        if (g_str_has_suffix (name, ".stp"))
          g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, (GCompareFunc) g_ascii_strcasecmp);
      g_assert_cmpuint (names->len, ==, gi == 0 ? 18 : 20);
      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *path = g_build_filename (dir, names->pdata[i], NULL);
          g_autoptr(GError) error = NULL;
          g_autoptr(NgamSteinerInstance) inst = ngam_steiner_instance_load (path, &error);
          g_autoptr(NgamSteinerResult) res = NULL;
          NgamSteinerOptions opt = { 0 };
          const double *best = g_hash_table_lookup (optima, names->pdata[i]);
          double cost, gap;

          g_assert_no_error (error);
          g_assert_nonnull (best);
          /* the non-standard Optimal line was read and agrees */
          g_assert_cmpfloat (inst->optimum, ==, *best);
          opt.terminals = (const guint *) inst->terminals->data;
          opt.n_terminals = inst->terminals->len;
          /* A budget of constructions keeps the answer the same on a busy
           * machine; the time limit only guards the suite's duration. */
          opt.max_starts = 100;
          opt.time_limit = gi == 0 ? 1.0 : 4.0;
          opt.seed = 1;
          res = ngam_steiner_solve (inst->graph, NULL, &opt, NULL, NULL, NULL, &error);
          g_assert_no_error (error);
          /* a valid tree: spans the terminals, no cycle, costs its edges */
          if (!ngam_steiner_check (inst->graph, NULL, opt.terminals, opt.n_terminals,
                                   (const guint *) res->edges->data, res->edges->len, &cost, &error))
            g_error ("%s: %s", (char *) names->pdata[i], error->message);
          g_assert_cmpfloat (cost, ==, res->cost);
          g_assert_cmpfloat (cost, >=, *best);
          gap = 100 * (cost - *best) / *best;
          check_bound (res, *best, names->pdata[i]);
          g_test_message ("%s/%s: %u nodes, %u edges, %u terminals: %g (optimum %g, gap %.3f%%; "
                          "bound %g, proven gap %.3f%%) in %.3f s, %u starts",
                          groups[gi], (char *) names->pdata[i], inst->graph->n_nodes, inst->graph->n_edges,
                          opt.n_terminals, cost, *best, gap, res->lower_bound, 100 * res->gap, res->seconds,
                          res->n_starts);
          sum_bound_gap += 100 * (*best - res->lower_bound) / *best;
          max_bound_gap = MAX (max_bound_gap, 100 * (*best - res->lower_bound) / *best);
          sum_gap += gap;
          total_time += res->seconds;
          if (gap > max_gap || worst == NULL)
            {
              max_gap = MAX (gap, max_gap);
              g_free (worst);
              worst = g_strdup (names->pdata[i]);
            }
          count++;
        }
    }
  g_test_message ("SteinLib B+C: %u instances, mean gap %.3f%%, max gap %.3f%% (%s), %.1f s in all, "
                  "%.3f s per instance", count, sum_gap / count, max_gap, worst, total_time, total_time / count);
  g_test_message ("SteinLib B+C: the bound is below the optimum by %.3f%% on average, %.3f%% at most",
                  sum_bound_gap / count, max_bound_gap);
  g_assert_cmpuint (count, ==, 38);
  /* dual ascent on these is within a few percent of the optimum; a
   * bound far below would be no certificate */
  g_assert_cmpfloat (sum_bound_gap / count, <=, MAX_MEAN_BOUND_GAP);
  if (sum_gap / count > MAX_MEAN_GAP)
    g_error ("mean gap %.3f%% exceeds %.1f%%", sum_gap / count, MAX_MEAN_GAP);
  if (max_gap > MAX_GAP)
    g_error ("gap %.3f%% on %s exceeds %.1f%%", max_gap, worst, MAX_GAP);
}

/* @k distinct random nodes of the largest component into @terms, or FALSE
 * when it has fewer. */
static gboolean
pick_terminals (GRand           *rand,
                const NgamGraph *g,
                guint            k,
                guint           *terms)
{
  guint have = 0;

  if (g->component_size[0] < k)
    return FALSE;
  while (have < k)
    {
      guint v = g_rand_int_range (rand, 0, g->n_nodes);
      gboolean dup = FALSE;

      for (guint i = 0; i < have; i++)
        dup |= terms[i] == v;
      if (!dup && g->component[v] == 0)
        terms[have++] = v;
    }
  return TRUE;
}

/* How the heuristic did against an exact optimum over many random cases. */
typedef struct
{
  const char *what;
  guint       cases, optimal;
  double      worst;   /* the largest gap, relative to max (optimum, 1) */
} Tally;

static void
tally_add (Tally *t,
           double got,
           double best)
{
  if (got < best - 1e-9)
    g_error ("%s case %u: %g below the optimum %g: the checker or the exact solver is wrong",
             t->what, t->cases, got, best);
  t->optimal += got <= best + 1e-9;
  t->worst = MAX (t->worst, (got - best) / MAX (best, 1));
  t->cases++;
}

static void
tally_check (const Tally *t,
             guint        min_optimal_percent,
             double       max_gap)
{
  g_test_message ("%u %s cases: %u optimal, worst gap %.2f%%", t->cases, t->what, t->optimal, 100 * t->worst);
  g_assert_cmpuint (t->optimal, >=, t->cases * min_optimal_percent / 100);
  g_assert_cmpfloat (t->worst, <=, max_gap);
}

/* Solves, checks that the answer is a tree joining the terminals, and
 * returns its cost under @check_costs (the solver's own figure must
 * agree). */
static double
solve_checked (const NgamGraph          *g,
               const double             *check_costs,
               const NgamSteinerOptions *opt,
               double                    best)
{
  g_autoptr(NgamSteinerResult) res = NULL;
  g_autoptr(GError) error = NULL;
  double cost;

  res = ngam_steiner_solve (g, NULL, opt, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ngam_steiner_check (g, check_costs, opt->terminals, opt->n_terminals,
                                     (guint *) res->edges->data, res->edges->len, &cost, &error));
  g_assert_cmpfloat_with_epsilon (cost, res->cost, 1e-9 * (1 + cost));
  check_bound (res, best, "random case");
  return cost;
}

/* Random connected terminal sets on small graphs, against the exact
 * Dreyfus–Wagner optimum. */
static void
test_exact_small (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  Tally t = { "small" };

  while (t.cases < 200)
    {
      guint n = g_rand_int_range (rand, 4, 16), m = g_rand_int_range (rand, n, 3 * n + 1);
      guint k = g_rand_int_range (rand, 2, MIN (n, 7) + 1);
      g_autoptr(NgamGraph) g = net_test_random_graph (rand, n, m, 10, FALSE);
      g_autofree guint *terms = g_new (guint, k);
      NgamSteinerOptions opt = { 0 };
      double exact;

      if (!pick_terminals (rand, g, k, terms))
        continue;
      exact = net_test_dreyfus_wagner (g, NULL, terms, k);
      opt.terminals = terms;
      opt.n_terminals = k;
      opt.max_starts = 8;
      opt.seed = t.cases;
      tally_add (&t, solve_checked (g, NULL, &opt, exact), exact);
    }
  tally_check (&t, 97, 0.10);
}

/* Pre-paid edges cost nothing: the answer is the optimum with those
 * costs set to zero, and the reported cost counts them as zero. */
static void
test_prepaid (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (9);
  Tally t = { "pre-paid" };

  while (t.cases < 100)
    {
      guint n = g_rand_int_range (rand, 5, 14), m = 3 * n, k = g_rand_int_range (rand, 2, MIN (6, n + 1));
      g_autoptr(NgamGraph) g = net_test_random_graph (rand, n, m, 10, FALSE);
      g_autofree gboolean *prepaid = g_new0 (gboolean, m);
      g_autofree double *zero = g_new (double, m);
      g_autofree guint *terms = g_new (guint, k);
      NgamSteinerOptions opt = { 0 };
      double exact;

      if (!pick_terminals (rand, g, k, terms))
        continue;
      for (guint e = 0; e < m; e++)
        {
          prepaid[e] = g_rand_int_range (rand, 0, 4) == 0;
          zero[e] = prepaid[e] ? 0 : g->edge[e].length;
        }
      exact = net_test_dreyfus_wagner (g, zero, terms, k);
      opt.terminals = terms;
      opt.n_terminals = k;
      opt.prepaid = prepaid;
      opt.max_starts = 8;
      tally_add (&t, solve_checked (g, zero, &opt, exact), exact);
    }
  tally_check (&t, 95, INFINITY);
}

/* Prize-collecting: brute force over the subsets of terminals kept. */
static void
test_prize_collecting (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (13);
  Tally t = { "prize-collecting" };

  while (t.cases < 150)
    {
      guint n = g_rand_int_range (rand, 5, 13), m = g_rand_int_range (rand, n, 3 * n);
      guint k = g_rand_int_range (rand, 2, MIN (7, n + 1));
      gboolean required = t.cases % 3 == 0;
      g_autoptr(NgamGraph) g = net_test_random_graph (rand, n, m, 10, FALSE);
      g_autofree guint *terms = g_new (guint, k);
      g_autofree double *prizes = g_new (double, k);
      g_autofree guint *sub = g_new (guint, k);
      g_autoptr(NgamSteinerResult) res = NULL;
      g_autoptr(GError) error = NULL;
      NgamSteinerOptions opt = { 0 };
      double best = INFINITY, obj, cost;
      guint have = 0;

      while (have < k)
        {
          guint v = g_rand_int_range (rand, 0, n);
          gboolean dup = FALSE;

          for (guint i = 0; i < have; i++)
            dup |= terms[i] == v;
          if (!dup)
            {
              prizes[have] = g_rand_int_range (rand, 0, 30);
              terms[have++] = v;
            }
        }
      if (required)
        prizes[0] = INFINITY;
      /* every non-empty subset that holds the required terminal */
      for (guint mask = 1; mask < (1u << k); mask++)
        {
          guint ns = 0;
          double pen = 0, tree;
          gboolean ok = TRUE;

          if (required && !(mask & 1))
            continue;
          for (guint i = 0; i < k; i++)
            if (mask & (1u << i))
              sub[ns++] = terms[i];
            else
              pen += prizes[i];
          for (guint i = 1; i < ns; i++)
            ok &= g->component[sub[i]] == g->component[sub[0]];
          if (!ok)
            continue;
          tree = net_test_dreyfus_wagner (g, NULL, sub, ns);
          best = MIN (best, tree + pen);
        }
      opt.terminals = terms;
      opt.n_terminals = k;
      opt.prizes = prizes;
      opt.max_starts = 8;
      res = ngam_steiner_solve (g, NULL, &opt, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      /* the tree is a tree over the terminals it keeps */
      {
        g_autoptr(GArray) kept = g_array_new (FALSE, FALSE, sizeof (guint));
        double pen = 0;

        for (guint i = 0; i < k; i++)
          {
            gboolean out = FALSE;

            for (guint j = 0; j < res->left_out->len; j++)
              out |= g_array_index (res->left_out, guint, j) == terms[i];
            if (out)
              pen += prizes[i];
            else
              g_array_append_val (kept, terms[i]);
          }
        g_assert_cmpuint (kept->len, >=, 1);
        g_assert_true (ngam_steiner_check (g, NULL, (guint *) kept->data, kept->len,
                                           (guint *) res->edges->data, res->edges->len, &cost, &error));
        g_assert_no_error (error);
        g_assert_cmpfloat_with_epsilon (cost, res->cost, 1e-9);
        g_assert_cmpfloat_with_epsilon (pen, res->penalty, 1e-9);
      }
      obj = res->cost + res->penalty;
      check_bound (res, best, "prize-collecting case");
      tally_add (&t, obj, best);
    }
  tally_check (&t, 95, 0.15);
}

static void
test_disconnected (void)
{
  /* two triangles, no edge between them */
  guint uv[] = { 0, 1, 1, 2, 2, 0, 3, 4, 4, 5, 5, 3 };
  double w[] = { 1, 1, 1, 1, 1, 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamGraph) g = ngam_graph_new_from_edges (6, 6, uv, w, NULL, &error);
  guint terms[] = { 0, 2, 4 };
  double prizes[] = { INFINITY, 5, 5 };
  NgamSteinerOptions opt = { terms, 3, NULL, NULL, 0, 0, 1, 1 };
  g_autoptr(NgamSteinerResult) res = NULL;

  res = ngam_steiner_solve (g, NULL, &opt, NULL, NULL, NULL, &error);
  g_assert_null (res);
  g_assert_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_DISCONNECTED);
  g_assert_nonnull (strstr (error->message, "{1, 3} | {5}"));
  g_clear_error (&error);

  /* prize-collecting: the unreachable terminal is left out and reported */
  opt.prizes = prizes;
  res = ngam_steiner_solve (g, NULL, &opt, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (res->cost, ==, 1);
  g_assert_cmpuint (res->left_out->len, ==, 1);
  g_assert_cmpuint (g_array_index (res->left_out, guint, 0), ==, 4);
  g_assert_cmpfloat (res->penalty, ==, 5);
  /* the bound: 1 for node 3 (its cut {3, 3′} rises by the edge 1–3),
   * and node 5's cuts rise by 1 (an edge of the far triangle) then by 4
   * until the root's arc to 5′, its prize 5, is used up: 6, the value */
  g_assert_cmpfloat (res->lower_bound, ==, 6);
  g_assert_cmpfloat (res->gap, ==, 0);
  g_clear_pointer (&res, ngam_steiner_result_free);

  /* forbidden edges split a graph too */
  {
    double cost[] = { 1, INFINITY, INFINITY, 1, 1, 1 };

    opt.prizes = NULL;
    opt.n_terminals = 2;
    res = ngam_steiner_solve (g, cost, &opt, NULL, NULL, NULL, &error);
    g_assert_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_DISCONNECTED);
  }
}

static void
test_trivial (void)
{
  guint uv[] = { 0, 1, 1, 2 };
  double w[] = { 3, 4 };
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamGraph) g = ngam_graph_new_from_edges (3, 2, uv, w, NULL, &error);
  guint terms[] = { 2, 2 };
  NgamSteinerOptions opt = { terms, 0, NULL, NULL, 0, 0, 1, 0 };

  for (guint k = 0; k <= 2; k++)
    {
      g_autoptr(NgamSteinerResult) res = NULL;

      opt.n_terminals = k;
      res = ngam_steiner_solve (g, NULL, &opt, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (res->edges->len, ==, 0);
      g_assert_cmpfloat (res->cost, ==, 0);
    }
  {
    guint t2[] = { 0, 2 };
    g_autoptr(NgamSteinerResult) res = NULL;

    opt.terminals = t2;
    opt.n_terminals = 2;
    res = ngam_steiner_solve (g, NULL, &opt, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpfloat (res->cost, ==, 7);
    terms[0] = 9;
    opt.terminals = terms;
    g_assert_null (ngam_steiner_solve (g, NULL, &opt, NULL, NULL, NULL, &error));
    g_assert_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_INVALID);
  }
}

static void
test_cancel (void)
{
  g_autofree char *path = ngam_test_shared_path ("steinlib/C/c18.stp");
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamSteinerInstance) inst = ngam_steiner_instance_load (path, &error);
  g_autoptr(GCancellable) c = g_cancellable_new ();
  NgamSteinerOptions opt = { 0 };

  opt.terminals = (const guint *) inst->terminals->data;
  opt.n_terminals = inst->terminals->len;
  g_cancellable_cancel (c);
  g_assert_null (ngam_steiner_solve (inst->graph, NULL, &opt, NULL, NULL, c, &error));
  g_assert_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_CANCELLED);
}

/* --- the reader --------------------------------------------------------- */

static const char *good_stp =
  "33D32945 STP File, STP Format Version 1.0\n"
  "SECTION Comment\nName \"tiny\"\nRemark \"E 1 2 3 in a comment is not an edge\"\nEND\n\n"
  "SECTION Graph\nOptimal 3\nNodes 4\nEdges 4\nE 1 2 1\nE 2 3 1\nE 3 4 1\nE 1 4 5\nEND\n\n"
  "SECTION Terminals\nTerminals 2\nT 1\nT 4\nEND\n\n"
  "SECTION Coordinates\nDD 1 0 0\nDD 2 1 0\nDD 3 2 0\nDD 4 3 0\nEND\n\nEOF\n";

static const char *good_gr =
  "SECTION Graph\nNodes 3\nEdges 2\nE 1 2 2\nE 2 3 2\nEND\n\n"
  "SECTION Terminals\nTerminals 2\nT 1\nT 3\nEND\n\nEOF\n";

static void
test_parse_good (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamSteinerInstance) a = ngam_steiner_instance_parse (good_stp, strlen (good_stp), "tiny.stp", &error);
  g_autoptr(NgamSteinerInstance) b = NULL;
  g_autoptr(NgamSteinerResult) res = NULL;
  NgamSteinerOptions opt = { 0 };

  g_assert_no_error (error);
  g_assert_cmpuint (a->graph->n_nodes, ==, 4);
  g_assert_cmpuint (a->graph->n_edges, ==, 4);
  g_assert_cmpuint (a->terminals->len, ==, 2);
  g_assert_cmpuint (g_array_index (a->terminals, guint, 1), ==, 3);
  g_assert_cmpfloat (a->optimum, ==, 3);
  g_assert_nonnull (a->graph->node_xy);
  g_assert_null (a->prizes);
  opt.terminals = (guint *) a->terminals->data;
  opt.n_terminals = 2;
  res = ngam_steiner_solve (a->graph, NULL, &opt, NULL, NULL, NULL, &error);
  g_assert_cmpfloat (res->cost, ==, 3);

  b = ngam_steiner_instance_parse (good_gr, strlen (good_gr), "x.gr", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (b->graph->n_edges, ==, 2);
  g_assert_true (isnan (b->optimum));
}

typedef struct
{
  const char *text;
  const char *error;   /* a part of the message */
  int         code;
} BadCase;

static void
test_parse_bad (void)
{
  const BadCase cases[] = {
    { "hello world\n", "bad.stp:1: this is not a SteinLib STP", NGAM_NET_ERROR_PARSE },
    { "SECTION Graph\nNodes 3\nEdges 1\nE 1 4 2\nEND\n", "bad.stp:4: the edge's second node 4 is not a node: nodes are numbered 1 to 3", NGAM_NET_ERROR_PARSE },
    { "SECTION Graph\nNodes 3\nEdges 2\nE 1 2 2\nEND\nSECTION Terminals\nT 1\nEND\n", "bad.stp:5: the Graph section announced 2 edges but lists 1", NGAM_NET_ERROR_PARSE },
    { "SECTION Graph\nNodes 3\nEdges 1\nE 1 2 -2\nEND\n", "bad.stp:4: the edge 1–2 has weight -2", NGAM_NET_ERROR_PARSE },
    { "SECTION Graph\nNodes 3\nEdges 1\nE 1 2 x\nEND\n", "bad.stp:4: expected the edge's weight, a number", NGAM_NET_ERROR_PARSE },
    { "SECTION Graph\nNodes 3\nEdges 1\nE 1 2\nEND\n", "bad.stp:4: an edge needs two nodes and a weight", NGAM_NET_ERROR_PARSE },
    { "SECTION Graph\nNodes 3\nArcs 1\nA 1 2 1\nEND\n", "bad.stp:4: directed arcs", NGAM_NET_ERROR_PARSE },
    { "SECTION Graph\nNodes 3\nEdges 1\nE 1 2 1\n", "bad.stp:5: the file ends inside the section opened on line 1", NGAM_NET_ERROR_PARSE },
    { "SECTION Graph\nNodes 3\nEdges 1\nE 1 2 1\nEND\n", "bad.stp:6: no Terminals section", NGAM_NET_ERROR_PARSE },
    { "SECTION Graph\nNodes 3\nEdges 1\nE 1 2 1\nEND\nSECTION Terminals\nTerminals 2\nT 1\nEND\n", "bad.stp:9: the Terminals section announced 2 terminals but lists 1", NGAM_NET_ERROR_PARSE },
    { "SECTION Graph\nNodes 3\nEdges 1\nE 1 2 1\nEND\nSECTION Terminals\nT 0\nEND\n", "bad.stp:7: the terminal 0 is not a node", NGAM_NET_ERROR_PARSE },
    { "SECTION Graph\nE 1 2 1\nEND\n", "bad.stp:2: an edge before the “Nodes N” line", NGAM_NET_ERROR_PARSE },
    { "SECTION Graph\nNodes 5000000000\n", "bad.stp:2: 5000000000 nodes are more than this build can index", NGAM_NET_ERROR_PARSE },
    { "SECTION Graph\nNodes 4000000000\n", "bad.stp (4000000000 nodes) would need about", NGAM_NET_ERROR_TOO_LARGE },
    { "SECTION Graph\nNodes 2000000000\nEdges 2000000000\n", "would need about", NGAM_NET_ERROR_TOO_LARGE },
    { "SECTION Graph\nNodes 3\nSECTION Terminals\n", "bad.stp:3: a new section starts before the section opened on line 1 has its END", NGAM_NET_ERROR_PARSE },
    { "SECTION Graph\nNodes 3\nEdges 1\nE 1 2 1\nEND\nSECTION Terminals\nTP 1 -4\nEND\n", "bad.stp:7: terminal 1 has prize -4", NGAM_NET_ERROR_PARSE },
    /* the file's words quoted, made UTF-8 (each byte that is not, U+FFFD) */
    { "SECTION Graph\nNodes 3\nEdges 1\nE 1 2 9\xff\xfe\nEND\n",
      "bad.stp:4: expected the edge's weight, a number, but found “9\xef\xbf\xbd\xef\xbf\xbd”", NGAM_NET_ERROR_PARSE },
    { "SECTION Graph\nNodes 2\nEdges 1\nE 1 2 1\n\0\nEND\n", "bad.stp:5: binary data", NGAM_NET_ERROR_PARSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gsize len = strlen (cases[i].text);
      g_autoptr(NgamSteinerInstance) inst = NULL;

      if (i == G_N_ELEMENTS (cases) - 1)
        len = 44;   /* the text holds a NUL */
      inst = ngam_steiner_instance_parse (cases[i].text, len, "bad.stp", &error);
      if (inst != NULL || error == NULL || error->code != cases[i].code ||
          strstr (error->message, cases[i].error) == NULL || !g_utf8_validate (error->message, -1, NULL))
        g_error ("case %u: expected “%s”, got “%s”", i, cases[i].error, error ? error->message : "success");
    }
}

/* Prize lines and a Root make a prize-collecting instance. */
static void
test_parse_prizes (void)
{
  const char *text =
    "SECTION Graph\nNodes 4\nEdges 3\nE 1 2 1\nE 2 3 10\nE 3 4 1\nEND\n"
    "SECTION Terminals\nTerminals 3\nRoot 1\nTP 1 0\nTP 2 3\nTP 4 5\nEND\nEOF\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamSteinerInstance) inst = ngam_steiner_instance_parse (text, strlen (text), "pc.stp", &error);
  g_autoptr(NgamSteinerResult) res = NULL;
  NgamSteinerOptions opt = { 0 };

  g_assert_no_error (error);
  g_assert_nonnull (inst->prizes);
  g_assert_cmpuint (inst->terminals->len, ==, 3);
  g_assert_true (isinf (g_array_index (inst->prizes, double, 0)));
  opt.terminals = (guint *) inst->terminals->data;
  opt.n_terminals = inst->terminals->len;
  opt.prizes = (double *) inst->prizes->data;
  res = ngam_steiner_solve (inst->graph, NULL, &opt, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  /* node 2 is worth its edge; node 4 is not worth 11 */
  g_assert_cmpfloat (res->cost, ==, 1);
  g_assert_cmpfloat (res->penalty, ==, 5);
  g_assert_cmpuint (res->left_out->len, ==, 1);
  g_assert_cmpuint (g_array_index (res->left_out, guint, 0), ==, 3);
  /* the rooted bound, worked by hand: node 2's new terminal 2′ is
   * reached through 2 for free, and the cut {2, 2′} rises by 1 (edge
   * 1–2), where the root is reached.  For 4′: {4, 4′} rises by 1 (3–4),
   * then {3, 4, 4′} by 4 more, until the root's arc to 4′ (the prize, 5,
   * which entered both cuts) is used up: 1 + 5 = 6, the value (1 for
   * edge 1–2, 5 for 4's prize).  The tree is proven optimal. */
  g_assert_cmpfloat (res->lower_bound, ==, 6);
  g_assert_cmpfloat (res->gap, ==, 0);
}

int
main (int argc, char **argv)
{
  net_test_init (&argc, &argv);
  g_test_add_func ("/net/steiner/parse-good", test_parse_good);
  g_test_add_func ("/net/steiner/parse-bad", test_parse_bad);
  g_test_add_func ("/net/steiner/parse-prizes", test_parse_prizes);
  g_test_add_func ("/net/steiner/trivial", test_trivial);
  g_test_add_func ("/net/steiner/disconnected", test_disconnected);
  g_test_add_func ("/net/steiner/cancel", test_cancel);
  g_test_add_func ("/net/steiner/exact-small", test_exact_small);
  g_test_add_func ("/net/steiner/prepaid", test_prepaid);
  g_test_add_func ("/net/steiner/prize-collecting", test_prize_collecting);
  g_test_add_func ("/net/steiner/steinlib-b-c", test_steinlib);
  return g_test_run ();
}
