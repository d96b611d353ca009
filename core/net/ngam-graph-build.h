/* ngam-graph-build.h — the street graph of a project: noding, zones,
 * components and near-misses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ngam-graph.h"
#include "ngam-store.h"

G_BEGIN_DECLS

/**
 * NgamGraphBuildOptions:
 * @snap_tolerance: streets whose ends (or, on one level, vertices) come
 *   this close are joined, in metres; negative: the project's
 *   `snap_tolerance_m`
 * @near_miss_distance: dead ends this close to another street but not
 *   joined are reported; negative: ten times the snap tolerance, at least
 *   one metre
 * @skip_zones: do not read the zones layer
 */
typedef struct
{
  double   snap_tolerance;
  double   near_miss_distance;
  gboolean skip_zones;
} NgamGraphBuildOptions;

#define NGAM_GRAPH_BUILD_OPTIONS_INIT { -1.0, -1.0, FALSE }

/**
 * NgamNearMiss:
 * @node: the dead-end node
 * @x: the dead end
 * @y: the dead end
 * @nx: the closest point of the other street
 * @ny: the closest point of the other street
 * @distance: between the two
 * @street_fid: the street that ends there
 * @other_fid: the street it nearly meets
 */
typedef struct
{
  guint  node;
  double x, y;
  double nx, ny;
  double distance;
  gint64 street_fid;
  gint64 other_fid;
} NgamNearMiss;

/**
 * NgamStreetProblem:
 * @street_fid: the street
 * @reason: (not nullable): why it was left out or changed, for people
 */
typedef struct
{
  gint64      street_fid;
  const char *reason;
} NgamStreetProblem;

/**
 * NgamGraphReport:
 * @n_streets: streets read
 * @skipped: (element-type NgamStreetProblem): streets left out (zero
 *   length, bad coordinates)
 * @n_repeated_points: repeated vertices dropped
 * @n_duplicate_edges: pieces of street drawn twice, kept once
 * @n_crossings: junctions made where streets of one level cross
 * @n_snapped: ends or vertices joined to a street within the tolerance
 * @n_level_crossings: crossings not joined because the streets are on
 *   different levels (bridge, tunnel, layer)
 * @near_misses: (element-type NgamNearMiss): dead ends close to a street
 *   they do not join, closest first
 * @n_dead_ends: nodes of degree one
 * @n_zones: zones read
 * @snap_tolerance: the tolerance used
 * @near_miss_distance: the distance used
 * @seconds: wall time of the build
 */
typedef struct
{
  guint   n_streets;
  GArray *skipped;
  guint   n_repeated_points;
  guint   n_duplicate_edges;
  guint   n_crossings;
  guint   n_snapped;
  guint   n_level_crossings;
  GArray *near_misses;
  guint   n_dead_ends;
  guint   n_zones;
  double  snap_tolerance;
  double  near_miss_distance;
  double  seconds;
} NgamGraphReport;

NgamGraph *ngam_graph_build          (NgamStore                   *store,
                                      const NgamGraphBuildOptions *options,
                                      NgamGraphReport            **report,
                                      NgamProgressFunc             progress,
                                      gpointer                     progress_data,
                                      GCancellable                *cancellable,
                                      GError                     **error);
void       ngam_graph_report_free    (NgamGraphReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamGraphReport, ngam_graph_report_free)

G_END_DECLS
