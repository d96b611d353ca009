/* ngam-route.h — shortest paths over the street graph with a pluggable
 * edge cost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ngam-graph.h"

G_BEGIN_DECLS

/**
 * NgamEdgeCostFunc:
 * @graph: the graph
 * @edge: an edge
 * @user_data: closure
 *
 * Prices one edge: what it costs to use the edge in either direction, from
 * its attributes (#NgamGraph.edge, the zones it crosses…).  Return a value
 * ≥ 0, or INFINITY for an edge that must not be used.
 */
typedef double (*NgamEdgeCostFunc) (const NgamGraph *graph,
                                    guint            edge,
                                    gpointer         user_data);

/**
 * NgamPath:
 * @edges: (element-type guint): the whole edges walked, in order
 * @nodes: (element-type guint): the nodes passed, one more than @edges
 *   (empty when the path stays inside one edge)
 * @cost: total cost
 * @length: total length in metres (weights for abstract graphs)
 * @from_edge: the edge the path starts inside, or G_MAXUINT when it starts
 *   at a node
 * @from_t: where on @from_edge (0 at u, 1 at v)
 * @to_edge: the edge the path ends inside, or G_MAXUINT
 * @to_t: where on @to_edge
 */
typedef struct
{
  GArray *edges;
  GArray *nodes;
  double  cost;
  double  length;
  guint   from_edge;
  double  from_t;
  guint   to_edge;
  double  to_t;
} NgamPath;

typedef struct _NgamRouter NgamRouter;

double      ngam_edge_cost_length       (const NgamGraph *graph, guint edge, gpointer user_data);
double      ngam_edge_cost_avoiding     (const NgamGraph *graph, guint edge, gpointer zone_mask);
double     *ngam_graph_edge_costs       (const NgamGraph *graph, NgamEdgeCostFunc func, gpointer user_data,
                                         GError **error);

NgamRouter *ngam_router_new             (NgamGraph *graph, const double *costs, GError **error);
void        ngam_router_free            (NgamRouter *router);
void        ngam_router_set_goal_directed (NgamRouter *router, gboolean enabled);

double      ngam_router_cost            (NgamRouter *router, guint from, guint to);
NgamPath   *ngam_router_path            (NgamRouter *router, guint from, guint to, GError **error);
NgamPath   *ngam_router_path_between    (NgamRouter *router, const NgamGraphLocation *from,
                                         const NgamGraphLocation *to, GError **error);
void        ngam_router_one_to_many     (NgamRouter *router, guint source, const guint *targets,
                                         guint n_targets, double *costs);
gboolean    ngam_router_prepare_hierarchy (NgamRouter *router, NgamProgressFunc progress, gpointer progress_data,
                                           GCancellable *cancellable, GError **error);
gboolean    ngam_router_many_to_many    (NgamRouter *router, const guint *sources, guint n_sources,
                                         const guint *targets, guint n_targets, double *matrix,
                                         NgamProgressFunc progress, gpointer progress_data,
                                         GCancellable *cancellable, GError **error);

void        ngam_path_free              (NgamPath *path);
NgamShape  *ngam_path_to_shape          (const NgamGraph *graph, const NgamPath *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamRouter, ngam_router_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamPath, ngam_path_free)

G_END_DECLS
