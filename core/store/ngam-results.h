/* ngam-results.h — scenarios, runs and their result features; layer styles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the planner (core/plan), the coverage analysis (core/cover), the
 * reports (core/report) and the desktop app read and write of a project's
 * results, through the store's one public face: no SQL, no blobs.
 *
 * A scenario is a named GKeyFile text.  A run is one job (`plan`, `gaps`)
 * on one scenario: it is written inside one transaction and, when it
 * commits, replaces the previous run of the same scenario and job; a run
 * that fails or is aborted leaves the project exactly as it was.
 *
 * ngam_run_begin() opens the run's transaction (nothing of it is visible
 * to other readers until it commits); ngam_run_commit() deletes the
 * previous run of the same scenario and job, stores the summary and the
 * finish time, commits, and frees @run whether it succeeds or not (on
 * failure everything is rolled back); ngam_run_abort() rolls back and
 * frees.  Use g_steal_pointer() when committing a g_autoptr(NgamRun).
 *
 * The result layers each job writes, and the attributes (JSON) of each:
 *
 * `plan` (core/plan):
 * - `trench` (LINESTRING, one per street-graph edge dug or reused):
 *   phase, ward, cost; attrs: street_fid, street (name), method (one of
 *   ngam-zone.h's method names), surface, length_m, cables, ducts,
 *   spare_ducts, duct_mm, arrangement ("2x4": layers × ducts), width_mm,
 *   depth_m, operators ("VNPT;Viettel", sorted), zones ("flood,heritage"),
 *   with_power (bool), funded (bool).
 * - `manhole` (POINT): phase, ward, cost; attrs: kind ("manhole" or
 *   "handhole"), reason ("branch", "turn", "spacing", "end"), moved_m.
 * - `span_retired` (LINESTRING, the aerial span's geometry): operator,
 *   phase; attrs: span_fid, match ("street", "crossing", "path").
 * - `span_unmatched` (LINESTRING): operator; attrs: span_fid, reason.
 * - `pole_removed` / `pole_freed` (POINT): operator (the pole's), phase;
 *   attrs: pole_fid.
 * - `phase` (MULTILINESTRING, the trenches of one phase): phase, cost;
 *   attrs: year, trench_m, funded.
 * The summary is the plan's JSON (the keys the CLI documents: totals,
 * bill, operators, phases, wards, unfunded, unmatched_spans, violations,
 * lower_bound, gap).
 *
 * `gaps` (core/cover):
 * - `coverage` (MULTIPOLYGON per technology): attrs: tech ("2G" … "5G").
 * - `gap_point` (POINT, a demand point left out): ward, operator; attrs:
 *   demand_fid, tech ("fibre" or a technology), households, population.
 * - `gap_area` (MULTIPOLYGON): ward; attrs: tech, households, population.
 * - `hazard` (MULTIPOLYGON, the zone): attrs: zone_fid, zone_type, name,
 *   depth_m, aerial_m, poles, closures, sites, households_cut,
 *   population_cut.
 * - `proposal_fibre` (MULTILINESTRING): cost; attrs: households,
 *   cost_per_household, rank.
 * - `proposal_site` (POINT): attrs: tech, population_added, pole_fid, rank.
 * The summary is the gaps JSON (indicators, fibre, mobile, wards, hazards,
 * proposals).
 */
#pragma once

#include "ngam-store.h"

G_BEGIN_DECLS

/**
 * NgamScenarioInfo:
 * @id: stable id in the project
 * @name: the scenario's name
 * @settings: its GKeyFile text, exactly as stored
 * @created: ISO 8601 UTC
 * @modified: ISO 8601 UTC
 */
typedef struct
{
  gint64  id;
  char   *name;
  char   *settings;
  char   *created;
  char   *modified;
} NgamScenarioInfo;

/**
 * NgamRunInfo:
 * @id: stable id in the project
 * @scenario: the scenario's name
 * @job: `plan`, `gaps`, …
 * @started: ISO 8601 UTC
 * @finished: (nullable): ISO 8601 UTC; NULL for none (never stored: a run
 *   is only visible once committed)
 * @settings: (nullable): the scenario text the run used, as it was then
 * @summary: (nullable): the job's JSON summary
 * @n_features: result features of the run
 */
typedef struct
{
  gint64  id;
  char   *scenario;
  char   *job;
  char   *started;
  char   *finished;
  char   *settings;
  char   *summary;
  gint64  n_features;
} NgamRunInfo;

/**
 * NgamResultFeature:
 * @layer: the result layer (`trench`, `manhole`, `gap_area`, …)
 * @fid: its id (set when read back; ignored when written)
 * @phase: the phase, or -1 for none
 * @ward: (nullable): the ward (admin unit) it belongs to
 * @operator_name: (nullable): the operator it belongs to
 * @cost: cost in VND, or NAN for none
 * @attrs: (nullable): the layer's attributes, a JSON object text
 * @shape: (nullable): its geometry, in the project CRS
 *
 * Borrowed pointers: a writer copies what it needs, a cursor's feature
 * is valid until the cursor moves.
 */
typedef struct
{
  const char      *layer;
  gint64           fid;
  int              phase;
  const char      *ward;
  const char      *operator_name;
  double           cost;
  const char      *attrs;
  const NgamShape *shape;
} NgamResultFeature;

#define NGAM_RESULT_FEATURE_INIT { NULL, 0, -1, NULL, NULL, NAN, NULL, NULL }

typedef struct _NgamRun NgamRun;
typedef struct _NgamResultCursor NgamResultCursor;

/* Scenarios. */
gint64            ngam_store_put_scenario     (NgamStore *store, const char *name, const char *settings,
                                               GError **error);
NgamScenarioInfo *ngam_store_get_scenario     (NgamStore *store, const char *name, GError **error);
GPtrArray        *ngam_store_list_scenarios   (NgamStore *store, GError **error);
gboolean          ngam_store_delete_scenario  (NgamStore *store, const char *name, GError **error);
void              ngam_scenario_info_free     (NgamScenarioInfo *info);

/* Runs. */
GPtrArray        *ngam_store_list_runs        (NgamStore *store, const char *scenario, const char *job,
                                               GError **error);
NgamRunInfo      *ngam_store_get_last_run     (NgamStore *store, const char *scenario, const char *job,
                                               GError **error);
void              ngam_run_info_free          (NgamRunInfo *info);

NgamRun          *ngam_run_begin              (NgamStore *store, const char *scenario, const char *job,
                                               const char *settings, GError **error);
gint64            ngam_run_get_id             (NgamRun *run);
gboolean          ngam_run_add                (NgamRun *run, const NgamResultFeature *feature, GError **error);
gboolean          ngam_run_commit             (NgamRun *run, const char *summary, GError **error);
void              ngam_run_abort              (NgamRun *run);

/* Reading a run's features back, by layer (NULL: every layer) and box
 * (NULL: everywhere), in the order they were written. */
NgamResultCursor *ngam_store_query_results    (NgamStore *store, gint64 run_id, const char *layer,
                                               const double *bbox, GError **error);
gboolean          ngam_result_cursor_next     (NgamResultCursor *cursor, GError **error);
const NgamResultFeature *ngam_result_cursor_get (NgamResultCursor *cursor);
void              ngam_result_cursor_free     (NgamResultCursor *cursor);
gint64            ngam_store_count_results    (NgamStore *store, gint64 run_id, const char *layer,
                                               GError **error);

/* Styles of layers (a layer kind's name or a result layer's), as text the
 * renderer reads (GKeyFile).  NULL with no error: the layer has none. */
char             *ngam_store_dup_style        (NgamStore *store, const char *layer, GError **error);
gboolean          ngam_store_set_style        (NgamStore *store, const char *layer, const char *style,
                                               GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamScenarioInfo, ngam_scenario_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamRunInfo, ngam_run_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamRun, ngam_run_abort)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamResultCursor, ngam_result_cursor_free)

G_END_DECLS
