/* ngam-project-jobs.c — the plan, the gaps and the report of an open
 * project, on a worker thread; its scenarios
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same core calls as `ngam-batch plan`, `gaps` and `report`
 * (ngam_plan_run(), ngam_gaps_run(), ngam_report_run()), run through
 * ngam_project_run_job(): the plan and the gaps with the project's own
 * connection while the project is busy, so no edit can interleave with
 * their transaction, the report with a read-only connection of its own,
 * so editing goes on while it writes its files.
 */
#define G_LOG_DOMAIN "ngam-project"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "ngam-project-private.h"
#include "ngam-results.h"
#include "ngam-zone.h"

/* ---- scenarios ---------------------------------------------------------------------- */

/* Returns: (transfer full) (element-type NgamScenarioInfo): the scenarios
 *   kept in the project, by name. */
GPtrArray *
ngam_project_list_scenarios (NgamProject  *self,
                             GError      **error)
{
  NgamStore *store = ngam_project_get_store (self);

  if (store == NULL)
    {
      g_set_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_BUSY,
                   _("%s: a job (an import, a plan, a gaps analysis) is running: edit when it is done"), ngam_project_get_path (self));
      return NULL;
    }
  return ngam_store_list_scenarios (store, error);
}

/* Returns: (transfer full) (nullable): the text of scenario @name, or
 *   %NULL (no error) when the project has none of that name. */
char *
ngam_project_dup_scenario (NgamProject  *self,
                           const char   *name,
                           GError      **error)
{
  NgamStore *store = ngam_project_get_store (self);
  g_autoptr(NgamScenarioInfo) info = NULL;
  g_autoptr(GError) local = NULL;

  if (store == NULL)
    {
      g_set_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_BUSY,
                   _("%s: a job (an import, a plan, a gaps analysis) is running: edit when it is done"), ngam_project_get_path (self));
      return NULL;
    }
  info = ngam_store_get_scenario (store, name, &local);
  if (info == NULL)
    {
      if (!g_error_matches (local, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return g_strdup (info->settings);
}

/**
 * ngam_project_put_scenario:
 * @name: the scenario's name
 * @text: its GKeyFile text
 *
 * Keeps @text as scenario @name once the planner's parser accepts it; a
 * refusal names the scenario, the line, the group and the key
 * (NGAM_PLAN_ERROR_SCENARIO) and the project stays as it was.
 */
gboolean
ngam_project_put_scenario (NgamProject  *self,
                           const char   *name,
                           const char   *text,
                           GError      **error)
{
  g_autoptr(NgamPlanScenario) sc = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (!ngam_project_check_writable (self, error))
    return FALSE;
  if (name == NULL || *name == '\0')
    {
      g_set_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_INVALID, _("A scenario needs a name"));
      return FALSE;
    }
  label = g_strdup_printf (_("scenario “%s”"), name);
  sc = ngam_plan_scenario_parse (text, -1, label, error);
  if (sc == NULL)
    return FALSE;
  return ngam_store_put_scenario (ngam_project_get_own_store (self), name, text, error) > 0;
}

/* ---- the plan ----------------------------------------------------------------------- */

typedef struct
{
  char *name;
  char *text;
} PlanData;

static void
plan_data_free (PlanData *d)
{
  g_free (d->name);
  g_free (d->text);
  g_free (d);
}

static gpointer
plan_job (NgamStore        *store,
          gpointer          data,
          NgamProgressFunc  progress,
          gpointer          progress_data,
          GCancellable     *cancellable,
          GError          **error)
{
  PlanData *d = data;
  NgamPlanOptions o = NGAM_PLAN_OPTIONS_INIT;
  g_autoptr(NgamPlanScenario) sc = NULL;
  NgamPlanResult *result = NULL;

  if (d->text != NULL)
    {
      g_autofree char *label = g_strdup_printf (_("scenario “%s”"), d->name);

      sc = ngam_plan_scenario_parse (d->text, -1, label, error);
      if (sc == NULL)
        return NULL;
    }
  o.scenario_name = d->name;
  o.scenario = sc;
  if (!ngam_plan_run (store, &o, &result, progress, progress_data, cancellable, error))
    {
      g_clear_pointer (&result, ngam_plan_result_free);
      return NULL;
    }
  return result;
}

/**
 * ngam_project_plan_async:
 * @scenario_name: (nullable): the run's scenario ("default" for %NULL)
 * @scenario_text: (nullable): the scenario to plan with (it is kept under
 *   @scenario_name with the run); %NULL: the one kept in the project under
 *   that name, or the defaults
 *
 * ngam_plan_run() on a worker thread; ::runs-changed ("plan") follows.
 */
void
ngam_project_plan_async (NgamProject         *self,
                         const char          *scenario_name,
                         const char          *scenario_text,
                         NgamProgressFunc     progress,
                         gpointer             progress_data,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  PlanData *d = g_new0 (PlanData, 1);

  g_return_if_fail (NGAM_IS_PROJECT (self));
  d->name = g_strdup (scenario_name ? scenario_name : "default");
  d->text = g_strdup (scenario_text);
  ngam_project_run_job (self, "plan", TRUE, plan_job, d, (GDestroyNotify) plan_data_free,
                        (GDestroyNotify) ngam_plan_result_free, progress, progress_data, cancellable,
                        ngam_project_plan_async, callback, user_data);
}

/* Returns: (transfer full): the plan, or %NULL with @error set. */
NgamPlanResult *
ngam_project_plan_finish (NgamProject   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return ngam_project_job_finish (self, result, ngam_project_plan_async, error);
}

/* ---- the gaps ----------------------------------------------------------------------- */

static gpointer
gaps_job (NgamStore        *store,
          gpointer          data,
          NgamProgressFunc  progress,
          gpointer          progress_data,
          GCancellable     *cancellable,
          GError          **error)
{
  NgamGapsOptions o = NGAM_GAPS_OPTIONS_INIT;
  NgamGapsResult *result = NULL;

  o.scenario = data;
  o.hazards = NGAM_ZONE_FLOOD | NGAM_ZONE_LANDSLIDE;
  if (!ngam_gaps_run (store, &o, &result, progress, progress_data, cancellable, error))
    {
      g_clear_pointer (&result, ngam_gaps_result_free);
      return NULL;
    }
  return result;
}

/**
 * ngam_project_gaps_async:
 * @scenario_name: (nullable): whose `[coverage]` settings apply and under
 *   which the run is kept ("default" for %NULL)
 *
 * ngam_gaps_run() on a worker thread, every technology, flood and
 * landslide exposure and proposals; ::runs-changed ("gaps") follows.
 */
void
ngam_project_gaps_async (NgamProject         *self,
                         const char          *scenario_name,
                         NgamProgressFunc     progress,
                         gpointer             progress_data,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (NGAM_IS_PROJECT (self));
  ngam_project_run_job (self, "gaps", TRUE, gaps_job, g_strdup (scenario_name ? scenario_name : "default"),
                        g_free, (GDestroyNotify) ngam_gaps_result_free, progress, progress_data, cancellable,
                        ngam_project_gaps_async, callback, user_data);
}

/* Returns: (transfer full): the analysis, or %NULL with @error set. */
NgamGapsResult *
ngam_project_gaps_finish (NgamProject   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return ngam_project_job_finish (self, result, ngam_project_gaps_async, error);
}

/* ---- the report --------------------------------------------------------------------- */

typedef struct
{
  NgamReportOptions options;   /* its strings are the ones below */
  char             *scenario, *language, *area, *out_dir;
} ReportData;

static void
report_data_free (ReportData *d)
{
  g_free (d->scenario);
  g_free (d->language);
  g_free (d->area);
  g_free (d->out_dir);
  g_free (d);
}

static gpointer
report_job (NgamStore        *store,
            gpointer          data,
            NgamProgressFunc  progress,
            gpointer          progress_data,
            GCancellable     *cancellable,
            GError          **error)
{
  ReportData *d = data;
  GPtrArray *written = NULL;

  if (!ngam_report_run (store, &d->options, &written, progress, progress_data, cancellable, error))
    {
      g_clear_pointer (&written, g_ptr_array_unref);
      return NULL;
    }
  return written != NULL ? written : g_ptr_array_new_with_free_func (g_free);
}

/**
 * ngam_project_report_async:
 * @options: as for ngam_report_run(); copied
 *
 * ngam_report_run() on a worker thread, with a read-only connection: the
 * project stays editable meanwhile.
 */
void
ngam_project_report_async (NgamProject              *self,
                           const NgamReportOptions  *options,
                           NgamProgressFunc          progress,
                           gpointer                  progress_data,
                           GCancellable             *cancellable,
                           GAsyncReadyCallback       callback,
                           gpointer                  user_data)
{
  ReportData *d = g_new0 (ReportData, 1);

  g_return_if_fail (NGAM_IS_PROJECT (self));
  g_return_if_fail (options != NULL && options->out_dir != NULL);
  d->options = *options;
#define DUP(f) d->options.f = d->f = g_strdup (options->f)
  DUP (scenario);
  DUP (language);
  DUP (area);
  DUP (out_dir);
#undef DUP
  ngam_project_run_job (self, "report", FALSE, report_job, d, (GDestroyNotify) report_data_free,
                        (GDestroyNotify) g_ptr_array_unref, progress, progress_data, cancellable,
                        ngam_project_report_async, callback, user_data);
}

/* Returns: (transfer full) (element-type utf8): the files written, or
 *   %NULL with @error set. */
GPtrArray *
ngam_project_report_finish (NgamProject   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return ngam_project_job_finish (self, result, ngam_project_report_async, error);
}
