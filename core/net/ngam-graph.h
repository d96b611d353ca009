/* ngam-graph.h — the street graph: compact CSR arrays built once per run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ngam-context.h"
#include "ngam-geom.h"
#include "ngam-zone.h"

G_BEGIN_DECLS

#define NGAM_NET_ERROR (ngam_net_error_quark ())

typedef enum
{
  NGAM_NET_ERROR_INVALID,      /* bad arguments or an input file that is not valid */
  NGAM_NET_ERROR_PARSE,        /* a line of an instance file cannot be read */
  NGAM_NET_ERROR_TOO_LARGE,    /* the graph would not fit in the memory allowed */
  NGAM_NET_ERROR_DISCONNECTED, /* the points to join lie in different components */
  NGAM_NET_ERROR_NOT_FOUND,    /* no street near a point, no path */
  NGAM_NET_ERROR_WRITE,        /* an output file could not be written */
  NGAM_NET_ERROR_CANCELLED,
} NgamNetError;


typedef enum
{
  NGAM_EDGE_BRIDGE = 1 << 0,
  NGAM_EDGE_TUNNEL = 1 << 1,
  NGAM_EDGE_FESTIVAL = 1 << 2,  /* the street is on the festival list */
} NgamEdgeFlags;

/**
 * NgamEdgeAttr:
 * @street_fid: the street the edge is a piece of, or -1 (abstract graphs)
 * @length: length of the edge's geometry in metres, or the instance's
 *   weight for graphs read from SteinLib/PACE files
 * @width_m: carriageway width, NAN when unknown
 * @sidewalk_m: sidewalk width on each side, NAN when unknown
 * @surface: index into #NgamGraph.strings (0: unknown)
 * @highway: index into #NgamGraph.strings (0: unknown)
 * @level: vertical level (OSM layer; bridges 1 and tunnels -1 by default)
 * @flags: #NgamEdgeFlags
 * @zones: #NgamZoneFlags of the zones the edge crosses
 *
 * What a cost model may price an edge by.
 */
typedef struct
{
  gint64  street_fid;
  double  length;
  float   width_m;
  float   sidewalk_m;
  guint16 surface;
  guint16 highway;
  gint8   level;
  guint8  flags;
  guint8  zones;
  guint8  reserved;
} NgamEdgeAttr;

/**
 * NgamGraph:
 * @n_nodes: nodes, numbered 0 … @n_nodes − 1
 * @n_edges: undirected edges, numbered 0 … @n_edges − 1
 * @node_xy: (nullable): 2 × @n_nodes coordinates in the project CRS, or
 *   NULL for abstract graphs (SteinLib, PACE)
 * @edge_uv: 2 × @n_edges end nodes (u, v)
 * @edge: @n_edges attributes
 * @adj_start: @n_nodes + 1 offsets into @adj_edge and @adj_node
 * @adj_edge: 2 × @n_edges: the edges at each node
 * @adj_node: 2 × @n_edges: the node at the other end of each
 * @geom_start: (nullable): @n_edges + 1 offsets into @geom_xy (in points)
 * @geom_xy: (nullable): every edge's vertices, u's end first
 * @strings: interned texts (surface, highway); 0 is ""
 * @component: @n_nodes connected-component numbers, largest first
 * @n_components: how many components
 * @component_size: (array length=n_components): nodes per component
 *
 * Read-only once built.  A plain struct, as #NgamShape is, so that the
 * algorithms (and a planner's cost function) walk the arrays directly.
 */
typedef struct
{
  guint         n_nodes;
  guint         n_edges;
  double       *node_xy;
  guint        *edge_uv;
  NgamEdgeAttr *edge;
  guint        *adj_start;
  guint        *adj_edge;
  guint        *adj_node;
  guint        *geom_start;
  double       *geom_xy;
  GPtrArray    *strings;
  guint        *component;
  guint         n_components;
  guint        *component_size;
  /*< private >*/
  gpointer      index;
  GMutex        index_lock;
} NgamGraph;

/**
 * NgamGraphLocation:
 * @edge: the edge the point was located on
 * @t: where on it, 0 at u to 1 at v, by length
 * @x: the located point on the edge
 * @y: the located point on the edge
 * @distance: from the query point to (@x, @y)
 */
typedef struct
{
  guint  edge;
  double t;
  double x, y;
  double distance;
} NgamGraphLocation;

GQuark      ngam_net_error_quark        (void);

/* Memory a graph may take, in bytes; 0 (the default) means what the
 * machine has available now.  Builders estimate their needs before
 * allocating and refuse with NGAM_NET_ERROR_TOO_LARGE. */
void        ngam_net_set_memory_limit   (guint64 bytes);
guint64     ngam_net_get_memory_limit   (void);
gboolean    ngam_net_check_memory       (guint64 bytes, const char *what, GError **error);
guint64     ngam_graph_estimate_bytes   (guint64 n_nodes, guint64 n_edges, guint64 n_geom_points);

NgamGraph  *ngam_graph_new_from_edges   (guint n_nodes, guint n_edges, const guint *edge_uv,
                                         const double *length, const double *node_xy, GError **error);
void        ngam_graph_free             (NgamGraph *graph);
gsize       ngam_graph_get_bytes        (const NgamGraph *graph);

const char *ngam_graph_get_string       (const NgamGraph *graph, guint16 id);
guint       ngam_graph_edge_other       (const NgamGraph *graph, guint edge, guint node);
guint       ngam_graph_edge_n_points    (const NgamGraph *graph, guint edge);
NgamShape  *ngam_graph_edge_shape       (const NgamGraph *graph, guint edge);
double      ngam_graph_total_length     (const NgamGraph *graph);

gboolean    ngam_graph_locate           (NgamGraph *graph, double x, double y, double max_distance,
                                         NgamGraphLocation *location);
guint       ngam_graph_nearest_node     (NgamGraph *graph, double x, double y);
void        ngam_graph_edges_near       (NgamGraph *graph, const double bbox[4], GArray *edges);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamGraph, ngam_graph_free)

G_END_DECLS
