/* ngam-steiner-dual.h — dual ascent: a lower bound and reduced costs for
 * the Steiner problem, on the directed cut formulation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A directed graph for the bound: the undirected edges become two arcs
 * each (arc 2e from edge e's u to v, 2e + 1 back), and the
 * prize-collecting transformation adds nodes and arcs after those. */
typedef struct
{
  guint    n, n_arcs;
  guint   *tail, *head;
  double  *cost;          /* INFINITY: no arc */
  guint   *in_start, *in_arc;
  guint   *out_start, *out_arc;
  guint8  *is_term;
  guint    root;
} NgamDaGraph;

NgamDaGraph *ngam_da_graph_new      (guint n, guint n_edges, const guint *edge_uv, const double *w,
                                     guint extra_nodes, guint extra_arcs);
void         ngam_da_graph_add_arc  (NgamDaGraph *g, guint tail, guint head, double cost);
void         ngam_da_graph_finish   (NgamDaGraph *g);
void         ngam_da_graph_free     (NgamDaGraph *g);

/* Wong's dual ascent from g->root over the terminals g->is_term marks
 * (with @smallest_first, the smallest cut rises first);
 * fills @rc (n_arcs reduced costs, ≥ 0) and returns the bound.  Stops
 * at @deadline (monotonic seconds) with the bound reached so far, which
 * is valid too; *@complete tells which. */
double       ngam_dual_ascent       (const NgamDaGraph *g, double *rc, gboolean smallest_first, double deadline,
                                     gboolean *complete);

/* Reduced-cost distances: @from_root[v], the cheapest path root → v, and
 * @to_term[v], the cheapest path v → a terminal other than the root, both
 * over @rc. */
void         ngam_da_distances      (const NgamDaGraph *g, const double *rc, double *from_root, double *to_term);

/* A lower bound on the prize-collecting objective; @prize per node (0:
 * none, INFINITY: required), @upper the value of a known solution. */
double       ngam_steiner_pc_bound  (guint n, guint n_edges, const guint *edge_uv, const double *w,
                                     const double *prize, double upper, double deadline);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamDaGraph, ngam_da_graph_free)

G_END_DECLS
