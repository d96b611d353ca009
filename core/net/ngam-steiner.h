/* ngam-steiner.h — Steiner trees: connect terminals at least cost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ngam-graph.h"

G_BEGIN_DECLS

/**
 * NgamSteinerOptions:
 * @terminals: (array length=n_terminals): the nodes to connect
 * @n_terminals: how many
 * @prizes: (nullable) (array length=n_terminals): prize-collecting form:
 *   what leaving each terminal out costs; INFINITY for a terminal that must
 *   be connected.  The tree then minimises its cost plus the prizes of the
 *   terminals it leaves out.
 * @prepaid: (nullable) (array): one flag per edge: already paid for
 *   (existing ducts): free to use
 * @time_limit: seconds the search may take; 0 for the default (a few
 *   seconds, less when the search stops improving)
 * @max_starts: at most this many constructions (0: no limit but time)
 * @seed: random seed of the multi-start; same seed and limits (with no
 *   time limit reached) give the same tree
 * @label_offset: added to node numbers in messages (1 for SteinLib files,
 *   whose nodes count from 1)
 */
typedef struct
{
  const guint    *terminals;
  guint           n_terminals;
  const double   *prizes;
  const gboolean *prepaid;
  double          time_limit;
  guint           max_starts;
  guint64         seed;
  guint           label_offset;
} NgamSteinerOptions;

/**
 * NgamSteinerResult:
 * @edges: (element-type guint): the tree's edges, in increasing order
 * @cost: the tree's cost (prepaid edges count 0)
 * @penalty: prizes of the terminals left out (prize-collecting form)
 * @left_out: (element-type guint): terminals (node numbers) not connected:
 *   unprofitable ones, or those in another component than the rest
 * @first_cost: cost of the first construction, before local search
 * @n_starts: constructions made
 * @seconds: wall time
 * @timed_out: the time limit stopped the search
 * @lower_bound: a proven lower bound on the optimum of the instance as
 *   solved (prepaid edges at 0; the prize-collecting objective, tree cost
 *   plus prizes left out), from reductions and dual ascent; -INFINITY when
 *   none was found
 * @gap: (@cost + @penalty − @lower_bound) / (@cost + @penalty), the share
 *   the tree may be above the optimum at most; 0 for a tree proven
 *   optimal, NAN without a bound or when the value is 0 and the bound
 *   is not
 * @reduced_edges: edges the reductions left of the graph's usable ones
 *   (deleted, contracted into a neighbour or fixed in the tree are gone)
 * @usable_edges: the graph's edges of finite cost, not loops
 */
typedef struct
{
  GArray  *edges;
  double   cost;
  double   penalty;
  GArray  *left_out;
  double   first_cost;
  guint    n_starts;
  double   seconds;
  gboolean timed_out;
  double   lower_bound;
  double   gap;
  guint    reduced_edges;
  guint    usable_edges;
} NgamSteinerResult;

NgamSteinerResult *ngam_steiner_solve       (const NgamGraph          *graph,
                                             const double             *costs,
                                             const NgamSteinerOptions *options,
                                             NgamProgressFunc          progress,
                                             gpointer                  progress_data,
                                             GCancellable             *cancellable,
                                             GError                  **error);
void               ngam_steiner_result_free (NgamSteinerResult *result);

gboolean           ngam_steiner_check       (const NgamGraph *graph, const double *costs,
                                             const guint *terminals, guint n_terminals,
                                             const guint *edges, guint n_edges, double *cost,
                                             GError **error);

/**
 * NgamSteinerInstance:
 * @graph: the graph; edge weights are in #NgamEdgeAttr.length
 * @terminals: (element-type guint): terminal nodes (0-based)
 * @prizes: (element-type double) (nullable): one per terminal for
 *   prize-collecting instances (`TP` lines)
 * @optimum: the `Optimal` value the file gives, or NAN
 * @name: the instance's name
 */
typedef struct
{
  NgamGraph *graph;
  GArray    *terminals;
  GArray    *prizes;
  double     optimum;
  char      *name;
} NgamSteinerInstance;

NgamSteinerInstance *ngam_steiner_instance_load  (const char *filename, GError **error);
NgamSteinerInstance *ngam_steiner_instance_parse (const char *text, gsize length, const char *name,
                                                  GError **error);
void                 ngam_steiner_instance_free  (NgamSteinerInstance *instance);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamSteinerResult, ngam_steiner_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamSteinerInstance, ngam_steiner_instance_free)

G_END_DECLS
