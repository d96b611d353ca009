/* ngam-steiner-reduce.h — reductions of a Steiner instance before the
 * search, and the way back to the original edges
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ngam-graph.h"

G_BEGIN_DECLS

/**
 * NgamSteinerReduced:
 * @graph: the reduced graph; its edge lengths are the reduced costs
 * @terminals: (element-type guint): terminals of @graph
 * @fixed_cost: cost of the edges every tree of the original needs
 *   (@fixed), which the reduced instance no longer holds
 * @fixed: (element-type guint): those original edges
 * @anc_start: @graph's n_edges + 1 offsets into @anc
 * @anc: (element-type guint): the original edges each reduced edge
 *   stands for (a path, after contractions of degree-2 nodes)
 * @node_of: original node of each node of @graph
 * @usable: original edges of finite cost, not loops
 *
 * Every reduction keeps at least one optimal tree: the optimum of the
 * original is @fixed_cost plus the optimum of the reduced instance, and a
 * tree of the reduced graph maps back to a tree of the original of the
 * same cost plus @fixed_cost.
 */
typedef struct
{
  NgamGraph *graph;
  GArray    *terminals;
  double     fixed_cost;
  GArray    *fixed;
  guint     *anc_start;
  GArray    *anc;
  guint     *node_of;
  guint      usable;
} NgamSteinerReduced;

/* Reduces the instance (@w: costs per edge, INFINITY for none) by the
 * degree tests, zero-cost contractions at terminals and the special
 * distance test, until they stop removing much or @deadline passes.
 * The terminals must be joined by finite edges (the caller checks). */
NgamSteinerReduced *ngam_steiner_reduce        (const NgamGraph *graph, const double *w, const guint *terminals,
                                                guint n_terminals, double deadline);
/* Appends to @out the original edges of reduced edges @edges, plus the
 * fixed ones. */
void                ngam_steiner_reduced_map   (const NgamSteinerReduced *r, const guint *edges, guint n_edges,
                                                GArray *out);
void                ngam_steiner_reduced_free  (NgamSteinerReduced *r);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamSteinerReduced, ngam_steiner_reduced_free)

G_END_DECLS
