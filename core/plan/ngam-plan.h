/* ngam-plan.h — the undergrounding planner: shared trenches, duct banks,
 * manholes, what comes down, cost per operator, ward and phase
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One synchronous job, ngam_plan_run(), that the CLI, the desktop app and
 * the reports all call.  It reads the project (streets, spans, poles,
 * ducts, zones, wards) and a scenario (a GKeyFile: cost catalogue, rules,
 * scope, priorities and budget; data/scenarios/default.ini documents every
 * key), computes the plan in memory and, unless told not to, stores it as
 * the scenario's `plan` run in one transaction (see ngam-results.h for the
 * result layers).  A failed or cancelled plan leaves the project as it was.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ngam-store.h"

G_BEGIN_DECLS

#define NGAM_PLAN_ERROR (ngam_plan_error_quark ())

typedef enum
{
  NGAM_PLAN_ERROR_SCENARIO,   /* the scenario file is refused: FILE:LINE: [group] key: why */
  NGAM_PLAN_ERROR_INPUT,      /* the project cannot be planned (no CRS, bad area, …) */
  NGAM_PLAN_ERROR_CANCELLED,
} NgamPlanError;

typedef struct _NgamPlanScenario NgamPlanScenario;

/**
 * NgamPlanOptions:
 * @scenario_name: the name the run is stored under ("default" when NULL)
 * @scenario: (nullable): a parsed scenario; NULL: the one stored in the
 *   project under @scenario_name, or the built-in defaults
 * @area: (nullable): overrides the scope's area (a ward name or WKT)
 * @streets: (nullable): overrides the scope's street list ("a;b;c")
 * @years: overrides the number of years when > 0
 * @budget_per_year: overrides the yearly budget (VND) when ≥ 0
 * @with_power: lay power cable in the same trenches (also when the
 *   scenario says so)
 * @no_sharing: each operator digs its own trenches (the baseline)
 * @dry_run: compute, do not store
 */
typedef struct
{
  const char             *scenario_name;
  const NgamPlanScenario *scenario;
  const char             *area;
  const char             *streets;
  int                     years;
  double                  budget_per_year;
  gboolean                with_power;
  gboolean                no_sharing;
  gboolean                dry_run;
} NgamPlanOptions;

#define NGAM_PLAN_OPTIONS_INIT { NULL, NULL, NULL, NULL, 0, -1.0, FALSE, FALSE, FALSE }

/**
 * NgamPlanResult:
 * @summary: the plan's JSON (README "Planning" documents the keys)
 * @n_violations: rule checks that failed
 * @run_id: the stored run, or 0 (dry run, or empty)
 * @cost_vnd: total cost
 * @n_features: result features
 */
typedef struct
{
  JsonNode *summary;
  guint     n_violations;
  gint64    run_id;
  gint64    cost_vnd;
  guint     n_features;
  /*< private >*/
  gpointer  priv;
} NgamPlanResult;

GQuark            ngam_plan_error_quark      (void);

NgamPlanScenario *ngam_plan_scenario_new     (void);
NgamPlanScenario *ngam_plan_scenario_load    (const char *filename, GError **error);
NgamPlanScenario *ngam_plan_scenario_parse   (const char *text, gssize length, const char *filename,
                                              GError **error);
char             *ngam_plan_scenario_to_text (const NgamPlanScenario *scenario);
const char       *ngam_plan_scenario_get_text (const NgamPlanScenario *scenario);
void              ngam_plan_scenario_free    (NgamPlanScenario *scenario);

gboolean          ngam_plan_run              (NgamStore             *store,
                                              const NgamPlanOptions *options,
                                              NgamPlanResult       **result,
                                              NgamProgressFunc       progress,
                                              gpointer               progress_data,
                                              GCancellable          *cancellable,
                                              GError               **error);
void              ngam_plan_result_free      (NgamPlanResult *result);
char             *ngam_plan_result_to_json   (const NgamPlanResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamPlanScenario, ngam_plan_scenario_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamPlanResult, ngam_plan_result_free)

G_END_DECLS
