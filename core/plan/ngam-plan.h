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
  NGAM_PLAN_ERROR_NO_RUN,     /* a scenario has no plan to compare */
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

/**
 * NgamPlanCompareRow:
 * @name: the operator, phase number or ward ("" outside every ward)
 * @cost_a: its cost in scenario A's plan (0 when absent there)
 * @cost_b: its cost in scenario B's plan
 */
typedef struct
{
  char   *name;
  gint64  cost_a;
  gint64  cost_b;
} NgamPlanCompareRow;

/**
 * NgamPlanComparison:
 * @scenario_a: the first scenario
 * @scenario_b: the second scenario
 * @run_a: the id of @scenario_a's plan run compared
 * @run_b: the id of @scenario_b's plan run compared
 * @cost_vnd: the total cost, [0] for A and [1] for B, as are the others
 * @spans_retired: spans that come down
 * @poles_removed: poles removed
 * @manholes: manholes built
 * @handholes: handholes built
 * @trench_m: metres of trench
 * @operators: (element-type NgamPlanCompareRow): cost per operator
 * @phases: (element-type NgamPlanCompareRow): cost per phase
 * @wards: (element-type NgamPlanCompareRow): cost per ward
 * @edges_only_a: (element-type gint64): the street edges only A digs, sorted
 * @edges_only_b: (element-type gint64): the street edges only B digs, sorted
 * @edges_other_method: (element-type gint64): the edges both dig, by
 *   different methods, sorted
 * @length_only_a_m: the length of @edges_only_a
 * @length_only_b_m: the length of @edges_only_b
 *
 * Two scenarios' last plans side by side (ngam_plan_compare()).  The rows
 * of @operators, @phases and @wards come in order of appearance in A's
 * plan, then B's.
 */
typedef struct
{
  char      *scenario_a;
  char      *scenario_b;
  gint64     run_a;
  gint64     run_b;
  gint64     cost_vnd[2];
  gint64     spans_retired[2];
  gint64     poles_removed[2];
  gint64     manholes[2];
  gint64     handholes[2];
  double     trench_m[2];
  GPtrArray *operators;
  GPtrArray *phases;
  GPtrArray *wards;
  GArray    *edges_only_a;
  GArray    *edges_only_b;
  GArray    *edges_other_method;
  double     length_only_a_m;
  double     length_only_b_m;
} NgamPlanComparison;

/**
 * NgamPlanKeyType:
 * @NGAM_PLAN_KEY_MONEY: VND, not negative
 * @NGAM_PLAN_KEY_NUMBER: a number within min–max
 * @NGAM_PLAN_KEY_PERCENT: a percentage within min–max (written without “%”)
 * @NGAM_PLAN_KEY_BOOLEAN: true or false
 * @NGAM_PLAN_KEY_LIST: names separated by “;”, empty for all
 * @NGAM_PLAN_KEY_TEXT: free text
 * @NGAM_PLAN_KEY_CHOICE: one of the key's choices
 * @NGAM_PLAN_KEY_ARRANGEMENTS: TCVN 8700 trench arrangements, `LxD:top/bottom; …`
 */
typedef enum
{
  NGAM_PLAN_KEY_MONEY,
  NGAM_PLAN_KEY_NUMBER,
  NGAM_PLAN_KEY_PERCENT,
  NGAM_PLAN_KEY_BOOLEAN,
  NGAM_PLAN_KEY_LIST,
  NGAM_PLAN_KEY_TEXT,
  NGAM_PLAN_KEY_CHOICE,
  NGAM_PLAN_KEY_ARRANGEMENTS,
} NgamPlanKeyType;

/**
 * NgamPlanKeyInfo:
 * @unit: (nullable): "VND", "VND/m", "VND/m/month", "VND/year", "%", "m",
 *   "mm", "°", "years", or NULL for a count or a text
 * @choices: (nullable) (array zero-terminated=1): a choice key's values
 */
typedef struct
{
  const char        *group;
  const char        *key;
  NgamPlanKeyType    type;
  double             min, max;
  const char        *unit;
  const char *const *choices;
} NgamPlanKeyInfo;

GQuark            ngam_plan_error_quark      (void);
gboolean          ngam_plan_scenario_key_info (const char *group, const char *key, NgamPlanKeyInfo *info);

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

NgamPlanComparison *ngam_plan_compare        (NgamStore  *store,
                                              const char *scenario_a,
                                              const char *scenario_b,
                                              GError    **error);
void              ngam_plan_comparison_free  (NgamPlanComparison *comparison);
JsonNode         *ngam_plan_comparison_to_json (const NgamPlanComparison *comparison);
char             *ngam_plan_comparison_to_csv (const NgamPlanComparison *comparison);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamPlanScenario, ngam_plan_scenario_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamPlanResult, ngam_plan_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamPlanComparison, ngam_plan_comparison_free)

G_END_DECLS
