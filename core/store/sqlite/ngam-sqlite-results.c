/* ngam-sqlite-results.c — scenarios, runs, result features and layer styles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tables (scenarios, runs, result_features with its SpatiaLite
 * geometry column and R*Tree, ngam_styles) date from schema 1 and 2;
 * schema 3 added runs.n_features and result_features.seq, the write order
 * within a run, which is what two runs of the same input share (their
 * fids differ).
 *
 * A run is one savepoint.  Its rows are written with one prepared INSERT,
 * and SpatiaLite's per-row triggers on result_features (geometry
 * constraint, timestamps, R*Tree) are dropped for the length of the run
 * and put back before it commits, the run inserting the index entries
 * itself, at commit, from the MBR the shape already has (as
 * ngam-sqlite-writer.c does for layers): the triggers would parse every
 * geometry again, and an aborted run costs no index work.  The
 * previous run of the same scenario and job is deleted, index entries
 * and all, only in ngam_run_commit(), so a run that fails or is aborted
 * rolls back to exactly the project it started from.
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ngam-results.h"
#include "ngam-sqlite-private.h"

typedef struct _NgamSqliteRun NgamSqliteRun;
typedef struct _NgamSqliteResultCursor NgamSqliteResultCursor;

struct _NgamSqliteRun
{
  NgamRun        parent;      /* first: the store, and so its backend */
  gint64         id;
  gint64         scenario_id;
  char          *job;
  guint          depth;       /* the store's depth once the run began */
  sqlite3_stmt  *insert;
  GPtrArray     *triggers;    /* CREATE TRIGGER statements to put back */
  GByteArray    *blob;
  GArray        *cells;       /* RunCell of every geometry, indexed at commit */
  gint64         n_features;
};

/* A feature's index entry, kept until the run commits. */
typedef struct
{
  gint64  fid;
  double  box[4];     /* xmin, ymin, xmax, ymax */
} RunCell;

struct _NgamSqliteResultCursor
{
  NgamResultCursor   parent;  /* first: the store, and so its backend */
  sqlite3_stmt      *st;
  NgamShape         *shape;
  NgamResultFeature  feature;
};

static char *
now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

static char *
col_strdup (sqlite3_stmt *st,
            int           i)
{
  const unsigned char *t = sqlite3_column_text (st, i);

  return t ? g_strdup ((const char *) t) : NULL;
}

static gboolean
refuse_read_only (NgamStore  *store,
                  GError    **error)
{
  if (!ngam_store_is_read_only (store))
    return FALSE;
  g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_READ_ONLY,
               _("%s was opened read-only: its scenarios, results and styles cannot change"),
               ngam_store_get_path (store));
  return TRUE;
}

/* The id of scenario @name, or 0 with @error set (NOT_FOUND when none). */
static gint64
scenario_id (NgamStore   *store,
             const char  *name,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  int rc;

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, "SELECT id FROM scenarios WHERE name = ?1", -1,
                          &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot read the scenarios"), 0;
  sqlite3_bind_text (st, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (st, 0);
  if (rc == SQLITE_DONE)
    g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_FOUND,
                 _("%s has no scenario named “%s”"), store->path, name);
  else
    ngam_sqlite_set_sql_error (store, error, "cannot read the scenarios");
  return 0;
}

/* ---- scenarios ------------------------------------------------------- */

/**
 * ngam_store_put_scenario:
 * @name: the scenario's name (not empty)
 * @settings: its GKeyFile text
 *
 * Creates the scenario, or replaces the text of the one of that name (its
 * id, its creation time and its runs stay).
 *
 * Returns: its id, or 0 with @error set.
 */
gint64
ngam_sqlite_put_scenario (NgamStore   *store,
                          const char  *name,
                          const char  *settings,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autofree char *now = now_iso8601 ();
  gint64 id;

  g_return_val_if_fail (store != NULL, 0);
  g_return_val_if_fail (settings != NULL, 0);
  if (name == NULL || *name == '\0')
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                   _("%s: a scenario needs a name"), store->path);
      return 0;
    }
  if (refuse_read_only (store, error) || !ngam_sqlite_begin (store, error))
    return 0;
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db,
                          "INSERT INTO scenarios (name, settings, created, modified) VALUES (?1, ?2, ?3, ?3) "
                          "ON CONFLICT (name) DO UPDATE SET settings = excluded.settings, "
                          "modified = excluded.modified", -1, &st, NULL) != SQLITE_OK)
    goto fail;
  sqlite3_bind_text (st, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 2, settings, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 3, now, -1, SQLITE_STATIC);
  if (sqlite3_step (st) != SQLITE_DONE)
    goto fail;
  g_clear_pointer (&st, sqlite3_finalize);
  id = scenario_id (store, name, error);
  if (id == 0)
    {
      ngam_sqlite_rollback (store);
      return 0;
    }
  if (!ngam_sqlite_commit (store, error))
    {
      ngam_sqlite_rollback (store);
      return 0;
    }
  return id;

fail:
  ngam_sqlite_set_sql_error (store, error, "cannot write the scenario");
  g_clear_pointer (&st, sqlite3_finalize);
  ngam_sqlite_rollback (store);
  return 0;
}

static NgamScenarioInfo *
read_scenario (sqlite3_stmt *st)
{
  NgamScenarioInfo *info = g_new0 (NgamScenarioInfo, 1);

  info->id = sqlite3_column_int64 (st, 0);
  info->name = col_strdup (st, 1);
  info->settings = col_strdup (st, 2);
  info->created = col_strdup (st, 3);
  info->modified = col_strdup (st, 4);
  return info;
}

#define SCENARIO_COLUMNS "id, name, settings, created, modified"

/**
 * ngam_store_get_scenario:
 *
 * Returns: (transfer full): the scenario, or NULL with @error set
 *   (%NGAM_STORE_ERROR_NOT_FOUND when there is none of that name).
 */
NgamScenarioInfo *
ngam_sqlite_get_scenario (NgamStore   *store,
                          const char  *name,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  int rc;

  g_return_val_if_fail (name != NULL, NULL);
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, "SELECT " SCENARIO_COLUMNS " FROM scenarios WHERE name = ?1",
                          -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot read the scenarios"), NULL;
  sqlite3_bind_text (st, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    return read_scenario (st);
  if (rc == SQLITE_DONE)
    g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_FOUND,
                 _("%s has no scenario named “%s”"), store->path, name);
  else
    ngam_sqlite_set_sql_error (store, error, "cannot read the scenarios");
  return NULL;
}

/**
 * ngam_store_list_scenarios:
 *
 * Returns: (transfer full) (element-type NgamScenarioInfo): every
 *   scenario, by name; NULL with @error set on failure.
 */
GPtrArray *
ngam_sqlite_list_scenarios (NgamStore  *store,
                            GError    **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_scenario_info_free);
  int rc;

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, "SELECT " SCENARIO_COLUMNS " FROM scenarios ORDER BY name",
                          -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot read the scenarios"), NULL;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    g_ptr_array_add (out, read_scenario (st));
  if (rc != SQLITE_DONE)
    return ngam_sqlite_set_sql_error (store, error, "cannot read the scenarios"), NULL;
  return g_steal_pointer (&out);
}

/* Deletes the runs that @where (over runs, with ?1 and ?2 bound to
 * @a and @b) selects, and their features with their index entries. */
static gboolean
delete_runs (NgamStore   *store,
             const char  *where,
             gint64       a,
             gint64       b,
             const char  *job,
             GError     **error)
{
  static const char *const heads[] = {
    "DELETE FROM idx_result_features_geom WHERE pkid IN "
    "(SELECT fid FROM result_features WHERE run_id IN (SELECT id FROM runs WHERE ",
    "DELETE FROM result_features WHERE run_id IN (SELECT id FROM runs WHERE ",
    "DELETE FROM runs WHERE ",
  };
  static const char *const tails[] = { "))", ")", "" };

  for (guint i = 0; i < G_N_ELEMENTS (heads); i++)
    {
      g_autoptr(sqlite3_stmt) st = NULL;
      g_autofree char *sql = g_strconcat (heads[i], where, tails[i], NULL);

      if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, sql, -1, &st, NULL) != SQLITE_OK)
        return ngam_sqlite_set_sql_error (store, error, "cannot delete runs");
      sqlite3_bind_int64 (st, 1, a);
      if (sqlite3_bind_parameter_count (st) >= 2)
        sqlite3_bind_int64 (st, 2, b);
      if (sqlite3_bind_parameter_count (st) >= 3)
        sqlite3_bind_text (st, 3, job, -1, SQLITE_STATIC);
      if (sqlite3_step (st) != SQLITE_DONE)
        return ngam_sqlite_set_sql_error (store, error, "cannot delete runs");
    }
  return TRUE;
}

/**
 * ngam_store_delete_scenario:
 *
 * Deletes the scenario, its runs and their features.
 */
gboolean
ngam_sqlite_delete_scenario (NgamStore   *store,
                             const char  *name,
                             GError     **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  gint64 id;

  g_return_val_if_fail (name != NULL, FALSE);
  if (refuse_read_only (store, error))
    return FALSE;
  id = scenario_id (store, name, error);
  if (id == 0 || !ngam_sqlite_begin (store, error))
    return FALSE;
  if (!delete_runs (store, "scenario_id = ?1", id, 0, NULL, error))
    goto fail;
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, "DELETE FROM scenarios WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
    goto fail_sql;
  sqlite3_bind_int64 (st, 1, id);
  if (sqlite3_step (st) != SQLITE_DONE)
    goto fail_sql;
  g_clear_pointer (&st, sqlite3_finalize);
  if (!ngam_sqlite_commit (store, error))
    goto fail;
  return TRUE;

fail_sql:
  ngam_sqlite_set_sql_error (store, error, "cannot delete the scenario");
fail:
  g_clear_pointer (&st, sqlite3_finalize);
  ngam_sqlite_rollback (store);
  return FALSE;
}

/* ---- runs ------------------------------------------------------------ */

/* TRUE when @text is braces around anything, blanks aside: what a JSON
 * object is at a glance (the jobs write it with json-glib or printf; this
 * catches a bare value or a forgotten brace, not every malformed text). */
static gboolean
looks_like_object (const char *text)
{
  const char *end = text + strlen (text);

  while (g_ascii_isspace (*text))
    text++;
  while (end > text && g_ascii_isspace (end[-1]))
    end--;
  return end - text >= 2 && *text == '{' && end[-1] == '}';
}

#define RUN_COLUMNS "r.id, s.name, r.job, r.started, r.finished, r.settings, r.summary, r.n_features"

static NgamRunInfo *
read_run (sqlite3_stmt *st)
{
  NgamRunInfo *info = g_new0 (NgamRunInfo, 1);

  info->id = sqlite3_column_int64 (st, 0);
  info->scenario = col_strdup (st, 1);
  info->job = col_strdup (st, 2);
  info->started = col_strdup (st, 3);
  info->finished = col_strdup (st, 4);
  info->settings = col_strdup (st, 5);
  info->summary = col_strdup (st, 6);
  info->n_features = sqlite3_column_int64 (st, 7);
  return info;
}

/**
 * ngam_store_list_runs:
 * @scenario: (nullable): only this scenario's runs (refused when there is
 *   no such scenario); NULL: every scenario's
 * @job: (nullable): only this job's runs
 *
 * Returns: (transfer full) (element-type NgamRunInfo): the committed runs,
 *   oldest first; NULL with @error set on failure.
 */
GPtrArray *
ngam_sqlite_list_runs (NgamStore   *store,
                       const char  *scenario,
                       const char  *job,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_run_info_free);
  gint64 sid = 0;
  int rc;

  if (scenario && (sid = scenario_id (store, scenario, error)) == 0)
    return NULL;
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db,
                          "SELECT " RUN_COLUMNS " FROM runs r JOIN scenarios s ON s.id = r.scenario_id "
                          "WHERE r.finished IS NOT NULL AND (?1 = 0 OR r.scenario_id = ?1) "
                          "AND (?2 IS NULL OR r.job = ?2) ORDER BY r.id", -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot read the runs"), NULL;
  sqlite3_bind_int64 (st, 1, sid);
  sqlite3_bind_text (st, 2, job, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    g_ptr_array_add (out, read_run (st));
  if (rc != SQLITE_DONE)
    return ngam_sqlite_set_sql_error (store, error, "cannot read the runs"), NULL;
  return g_steal_pointer (&out);
}

/**
 * ngam_store_get_last_run:
 *
 * Returns: (transfer full) (nullable): the last committed run of @job on
 *   @scenario; NULL without @error when it has none, NULL with @error
 *   when there is no such scenario or the read fails.
 */
NgamRunInfo *
ngam_sqlite_get_last_run (NgamStore   *store,
                          const char  *scenario,
                          const char  *job,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  gint64 sid;
  int rc;

  g_return_val_if_fail (scenario != NULL && job != NULL, NULL);
  if ((sid = scenario_id (store, scenario, error)) == 0)
    return NULL;
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db,
                          "SELECT " RUN_COLUMNS " FROM runs r JOIN scenarios s ON s.id = r.scenario_id "
                          "WHERE r.finished IS NOT NULL AND r.scenario_id = ?1 AND r.job = ?2 "
                          "ORDER BY r.id DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot read the runs"), NULL;
  sqlite3_bind_int64 (st, 1, sid);
  sqlite3_bind_text (st, 2, job, -1, SQLITE_STATIC);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    return read_run (st);
  if (rc != SQLITE_DONE)
    ngam_sqlite_set_sql_error (store, error, "cannot read the runs");
  return NULL;
}

/* Drops result_features' triggers for the length of the run (see the top
 * of the file); only what is gone is put back. */
static gboolean
run_drop_triggers (NgamSqliteRun  *run,
                   GError        **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  if (sqlite3_prepare_v2 (NGAM_SQLITE (run->parent.store)->db,
                          "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                          "AND tbl_name = 'result_features' ORDER BY name", -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (run->parent.store, error, "cannot read triggers");
  while (sqlite3_step (st) == SQLITE_ROW)
    {
      g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (st, 0)));
      g_ptr_array_add (run->triggers, g_strdup ((const char *) sqlite3_column_text (st, 1)));
    }
  g_clear_pointer (&st, sqlite3_finalize);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("DROP TRIGGER \"%s\"", (char *) names->pdata[i]);

      if (!ngam_sqlite_exec (run->parent.store, sql, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
run_restore_triggers (NgamSqliteRun  *run,
                      GError        **error)
{
  for (guint i = 0; i < run->triggers->len; i++)
    if (!ngam_sqlite_exec (run->parent.store, run->triggers->pdata[i], error))
      return FALSE;
  g_ptr_array_set_size (run->triggers, 0);
  return TRUE;
}

static void
run_free (NgamSqliteRun *run)
{
  if (NGAM_SQLITE (run->parent.store)->run == run)
    NGAM_SQLITE (run->parent.store)->run = NULL;
  sqlite3_finalize (run->insert);
  g_ptr_array_unref (run->triggers);
  g_byte_array_unref (run->blob);
  g_array_unref (run->cells);
  g_free (run->job);
  g_free (run);
}

/* Back to the store's state before ngam_run_begin(). */
static void
run_unwind (NgamSqliteRun *run)
{
  while (ngam_sqlite_in_transaction (run->parent.store) && NGAM_SQLITE (run->parent.store)->depth >= run->depth)
    ngam_sqlite_rollback (run->parent.store);
}

/**
 * ngam_run_begin:
 * @scenario: an existing scenario's name
 * @job: the job (`plan`, `gaps`, …)
 * @settings: (nullable): the scenario text the run uses; NULL: the
 *   scenario's as stored now
 *
 * Opens the run's transaction (a savepoint inside the caller's, if any).
 * Refused on a read-only store, for an unknown scenario, and while
 * another run is open on the store.
 *
 * Returns: (transfer full): the run, or NULL with @error set.
 */
NgamRun *
ngam_sqlite_run_begin (NgamStore   *store,
                       const char  *scenario,
                       const char  *job,
                       const char  *settings,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(NgamScenarioInfo) info = NULL;
  g_autofree char *now = now_iso8601 ();
  NgamSqliteRun *run;

  g_return_val_if_fail (store != NULL && scenario != NULL, NULL);
  if (job == NULL || *job == '\0')
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                   _("%s: a run needs a job name"), store->path);
      return NULL;
    }
  if (NGAM_SQLITE (store)->run)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                   _("%s: cannot start a %s run of “%s” while a %s run is still open"),
                   store->path, job, scenario, NGAM_SQLITE (store)->run->job);
      return NULL;
    }
  if (refuse_read_only (store, error))
    return NULL;
  if ((info = ngam_sqlite_get_scenario (store, scenario, error)) == NULL)
    return NULL;
  if (!ngam_sqlite_begin (store, error))
    return NULL;

  run = g_new0 (NgamSqliteRun, 1);
  run->parent.store = store;
  run->scenario_id = info->id;
  run->job = g_strdup (job);
  run->depth = NGAM_SQLITE (store)->depth;
  run->triggers = g_ptr_array_new_with_free_func (g_free);
  run->blob = g_byte_array_new ();
  run->cells = g_array_new (FALSE, FALSE, sizeof (RunCell));
  NGAM_SQLITE (store)->run = run;

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db,
                          "INSERT INTO runs (scenario_id, job, started, settings, n_features) "
                          "VALUES (?1, ?2, ?3, ?4, 0)", -1, &st, NULL) != SQLITE_OK)
    goto fail_sql;
  sqlite3_bind_int64 (st, 1, info->id);
  sqlite3_bind_text (st, 2, job, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 3, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 4, settings ? settings : info->settings, -1, SQLITE_STATIC);
  if (sqlite3_step (st) != SQLITE_DONE)
    goto fail_sql;
  run->id = sqlite3_last_insert_rowid (NGAM_SQLITE (store)->db);
  if (!run_drop_triggers (run, error))
    goto fail;
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db,
                          "INSERT INTO result_features (run_id, seq, layer, phase, ward, operator, cost, attrs, geom) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", -1, &run->insert, NULL) != SQLITE_OK)
    goto fail_sql;
  sqlite3_bind_int64 (run->insert, 1, run->id);
  return &run->parent;

fail_sql:
  ngam_sqlite_set_sql_error (store, error, "cannot start the run");
fail:
  g_clear_pointer (&st, sqlite3_finalize);
  run_unwind (run);
  run_free (run);
  return NULL;
}

gint64
ngam_sqlite_run_get_id (NgamRun *self)
{
  NgamSqliteRun *run = (NgamSqliteRun *) self;
  g_return_val_if_fail (run != NULL, 0);
  return run->id;
}

/**
 * ngam_run_add:
 * @feature: the feature; its @fid is ignored
 *
 * Writes one result feature into the run.  Refused (and nothing written)
 * for a feature with no layer, attributes that are not a JSON object, or
 * a geometry with coordinates that are not finite.
 */
gboolean
ngam_sqlite_run_add (NgamRun                  *self,
                     const NgamResultFeature  *feature,
                     GError                  **error)
{
  NgamSqliteRun *run = (NgamSqliteRun *) self;
  NgamStore *store;
  const NgamShape *shape;
  sqlite3_stmt *st;
  gint64 fid;

  g_return_val_if_fail (run != NULL && feature != NULL, FALSE);
  store = run->parent.store;
  st = run->insert;
  shape = feature->shape && feature->shape->n_points > 0 ? feature->shape : NULL;
  if (feature->layer == NULL || *feature->layer == '\0')
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                   _("%s: result feature %" PRId64 " of the %s run has no layer"),
                   store->path, run->n_features + 1, run->job);
      return FALSE;
    }
  if (shape)
    for (int i = 0; i < 4; i++)
      if (!isfinite (shape->bbox[i]))
        {
          g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                       _("%s: result feature %" PRId64 " (layer %s) of the %s run has "
                         "coordinates that are not finite"),
                       store->path, run->n_features + 1, feature->layer, run->job);
          return FALSE;
        }
  if (feature->attrs && !looks_like_object (feature->attrs))
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                   _("%s: result feature %" PRId64 " (layer %s) of the %s run: its "
                     "attributes are not a JSON object"),
                   store->path, run->n_features + 1, feature->layer, run->job);
      return FALSE;
    }

  sqlite3_bind_int64 (st, 2, run->n_features + 1);
  sqlite3_bind_text (st, 3, feature->layer, -1, SQLITE_STATIC);
  if (feature->phase >= 0)
    sqlite3_bind_int (st, 4, feature->phase);
  else
    sqlite3_bind_null (st, 4);
  sqlite3_bind_text (st, 5, feature->ward, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 6, feature->operator_name, -1, SQLITE_STATIC);
  if (isfinite (feature->cost))
    sqlite3_bind_double (st, 7, feature->cost);
  else
    sqlite3_bind_null (st, 7);
  sqlite3_bind_text (st, 8, feature->attrs, -1, SQLITE_STATIC);
  if (shape)
    {
      ngam_shape_to_spatialite (shape, store->srid, run->blob);
      sqlite3_bind_blob (st, 9, run->blob->data, run->blob->len, SQLITE_STATIC);
    }
  else
    sqlite3_bind_null (st, 9);
  if (sqlite3_step (st) != SQLITE_DONE)
    {
      sqlite3_reset (st);
      return ngam_sqlite_set_sql_error (store, error, "cannot write a result feature");
    }
  sqlite3_reset (st);
  fid = sqlite3_last_insert_rowid (NGAM_SQLITE (store)->db);
  if (shape)
    {
      RunCell cell = { fid, { shape->bbox[0], shape->bbox[1], shape->bbox[2], shape->bbox[3] } };

      g_array_append_val (run->cells, cell);
    }
  run->n_features++;
  return TRUE;
}

/* Puts the run's features into the R*Tree, once it is sure to commit. */
static gboolean
run_index (NgamSqliteRun  *run,
           GError        **error)
{
  RunCell *cells = (RunCell *) run->cells->data;
  guint n = run->cells->len;
  g_autoptr(sqlite3_stmt) st = NULL;

  if (n == 0)
    return TRUE;
  if (sqlite3_prepare_v2 (NGAM_SQLITE (run->parent.store)->db,
                          "INSERT INTO idx_result_features_geom (pkid, xmin, xmax, ymin, ymax) "
                          "VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (run->parent.store, error, "cannot index the results");
  for (guint i = 0; i < n; i++)
    {
      /* The R*Tree stores floats and rounds the doubles it is given
       * outwards (rtreeValueDown/Up in rtree.c), as SpatiaLite's own
       * trigger would have them. */
      sqlite3_bind_int64 (st, 1, cells[i].fid);
      sqlite3_bind_double (st, 2, cells[i].box[0]);
      sqlite3_bind_double (st, 3, cells[i].box[2]);
      sqlite3_bind_double (st, 4, cells[i].box[1]);
      sqlite3_bind_double (st, 5, cells[i].box[3]);
      if (sqlite3_step (st) != SQLITE_DONE)
        return ngam_sqlite_set_sql_error (run->parent.store, error, "cannot index the results");
      sqlite3_reset (st);
    }
  return TRUE;
}

/**
 * ngam_run_commit:
 * @run: (transfer full): the run
 * @summary: (nullable): the job's JSON summary
 *
 * Deletes the previous runs of the same scenario and job, stores @summary,
 * the feature count and the finish time, and commits.  Frees @run either
 * way; on failure nothing of the run is left and the previous run stays.
 */
gboolean
ngam_sqlite_run_commit (NgamRun     *self,
                        const char  *summary,
                        GError     **error)
{
  NgamSqliteRun *run = (NgamSqliteRun *) self;
  NgamStore *store;
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autofree char *now = now_iso8601 ();

  g_return_val_if_fail (run != NULL, FALSE);
  store = run->parent.store;
  if (NGAM_SQLITE (store)->depth != run->depth)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                   _("%s: the %s run cannot commit: a transaction opened inside it is still open"),
                   store->path, run->job);
      goto fail;
    }
  g_clear_pointer (&run->insert, sqlite3_finalize);
  /* the old rows go before the triggers come back, which would each
   * delete an index entry already gone */
  if (!delete_runs (store, "scenario_id = ?1 AND id != ?2 AND job = ?3", run->scenario_id, run->id,
                    run->job, error))
    goto fail;
  if (!run_index (run, error) || !run_restore_triggers (run, error))
    goto fail;
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db,
                          "UPDATE runs SET finished = ?2, summary = ?3, n_features = ?4 WHERE id = ?1",
                          -1, &st, NULL) != SQLITE_OK)
    goto fail_sql;
  sqlite3_bind_int64 (st, 1, run->id);
  sqlite3_bind_text (st, 2, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 3, summary, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 4, run->n_features);
  if (sqlite3_step (st) != SQLITE_DONE)
    goto fail_sql;
  g_clear_pointer (&st, sqlite3_finalize);
  if (!ngam_sqlite_commit (store, error))
    goto fail;
  run_free (run);
  return TRUE;

fail_sql:
  ngam_sqlite_set_sql_error (store, error, "cannot commit the run");
fail:
  g_clear_pointer (&st, sqlite3_finalize);
  run_unwind (run);
  run_free (run);
  return FALSE;
}

/**
 * ngam_run_abort:
 * @run: (transfer full) (nullable): the run
 *
 * Rolls the run back (the previous run of its scenario and job stays) and
 * frees it.
 */
void
ngam_sqlite_run_abort (NgamRun *self)
{
  NgamSqliteRun *run = (NgamSqliteRun *) self;
  if (run == NULL)
    return;
  run_unwind (run);
  run_free (run);
}

/* ---- reading results ------------------------------------------------- */

/**
 * ngam_store_query_results:
 * @run_id: a committed run's id
 * @layer: (nullable): only this result layer
 * @bbox: (nullable): minx, miny, maxx, maxy: only features whose envelope
 *   meets it (through the spatial index; features with no geometry are
 *   then left out)
 *
 * Returns: (transfer full): a cursor over the features in the order they
 *   were written, or NULL with @error set.
 */
NgamResultCursor *
ngam_sqlite_query_results (NgamStore     *store,
                           gint64         run_id,
                           const char    *layer,
                           const double  *bbox,
                           GError       **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT fid, layer, phase, ward, operator, cost, attrs, geom "
                                         "FROM result_features WHERE run_id = ?1");
  NgamSqliteResultCursor *c;
  sqlite3_stmt *st = NULL;

  if (layer)
    g_string_append (sql, " AND layer = ?2");
  if (bbox)
    g_string_append (sql, " AND fid IN (SELECT pkid FROM idx_result_features_geom"
                          " WHERE xmax >= ?3 AND ymax >= ?4 AND xmin <= ?5 AND ymin <= ?6)");
  g_string_append (sql, " ORDER BY seq");
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, sql->str, -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot read results"), NULL;
  sqlite3_bind_int64 (st, 1, run_id);
  if (layer)
    sqlite3_bind_text (st, 2, layer, -1, SQLITE_TRANSIENT);
  if (bbox)
    for (int i = 0; i < 4; i++)
      sqlite3_bind_double (st, 3 + i, bbox[i]);
  c = g_new0 (NgamSqliteResultCursor, 1);
  c->parent.store = store;
  c->st = st;
  c->shape = ngam_shape_new ();
  c->feature = (NgamResultFeature) NGAM_RESULT_FEATURE_INIT;
  return &c->parent;
}

/**
 * ngam_result_cursor_next:
 *
 * Returns: TRUE when a feature was read; FALSE at the end, or with @error
 *   set on failure.
 */
gboolean
ngam_sqlite_result_cursor_next (NgamResultCursor  *self,
                                GError           **error)
{
  NgamSqliteResultCursor *c = (NgamSqliteResultCursor *) self;
  NgamResultFeature *f = &c->feature;
  int rc = sqlite3_step (c->st);
  const void *blob;

  if (rc == SQLITE_DONE)
    return FALSE;
  if (rc != SQLITE_ROW)
    return ngam_sqlite_set_sql_error (c->parent.store, error, "cannot read results");
  f->fid = sqlite3_column_int64 (c->st, 0);
  f->layer = (const char *) sqlite3_column_text (c->st, 1);
  f->phase = sqlite3_column_type (c->st, 2) == SQLITE_NULL ? -1 : sqlite3_column_int (c->st, 2);
  f->ward = (const char *) sqlite3_column_text (c->st, 3);
  f->operator_name = (const char *) sqlite3_column_text (c->st, 4);
  f->cost = sqlite3_column_type (c->st, 5) == SQLITE_NULL ? NAN : sqlite3_column_double (c->st, 5);
  f->attrs = (const char *) sqlite3_column_text (c->st, 6);
  f->shape = NULL;
  blob = sqlite3_column_blob (c->st, 7);
  if (blob == NULL)
    return TRUE;
  if (!ngam_shape_from_spatialite (c->shape, blob, sqlite3_column_bytes (c->st, 7), error))
    {
      g_prefix_error (error, "%s: result feature %" G_GINT64_FORMAT ": ", c->parent.store->path, f->fid);
      return FALSE;
    }
  f->shape = c->shape;
  return TRUE;
}

/* Returns: (transfer none): the current feature, valid until the cursor moves. */
const NgamResultFeature *
ngam_sqlite_result_cursor_get (NgamResultCursor *self)
{
  NgamSqliteResultCursor *c = (NgamSqliteResultCursor *) self;
  return &c->feature;
}

void
ngam_sqlite_result_cursor_free (NgamResultCursor *self)
{
  NgamSqliteResultCursor *c = (NgamSqliteResultCursor *) self;
  if (c == NULL)
    return;
  sqlite3_finalize (c->st);
  ngam_shape_free (c->shape);
  g_free (c);
}

/**
 * ngam_store_count_results:
 * @layer: (nullable): only this result layer
 *
 * Returns: the run's features (of @layer), or -1 with @error set.
 */
gint64
ngam_sqlite_count_results (NgamStore   *store,
                           gint64       run_id,
                           const char  *layer,
                           GError     **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;

  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db,
                          "SELECT count(*) FROM result_features WHERE run_id = ?1 AND (?2 IS NULL OR layer = ?2)",
                          -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot count results"), -1;
  sqlite3_bind_int64 (st, 1, run_id);
  sqlite3_bind_text (st, 2, layer, -1, SQLITE_STATIC);
  if (sqlite3_step (st) != SQLITE_ROW)
    return ngam_sqlite_set_sql_error (store, error, "cannot count results"), -1;
  return sqlite3_column_int64 (st, 0);
}

/* ---- styles ---------------------------------------------------------- */

/**
 * ngam_store_dup_style:
 *
 * Returns: (transfer full) (nullable): the layer's style text; NULL with
 *   no error when it has none.
 */
char *
ngam_sqlite_dup_style (NgamStore   *store,
                       const char  *layer,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  int rc;

  g_return_val_if_fail (layer != NULL, NULL);
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db, "SELECT style FROM ngam_styles WHERE layer = ?1", -1,
                          &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot read the styles"), NULL;
  sqlite3_bind_text (st, 1, layer, -1, SQLITE_STATIC);
  rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    return col_strdup (st, 0);
  if (rc != SQLITE_DONE)
    ngam_sqlite_set_sql_error (store, error, "cannot read the styles");
  return NULL;
}

/**
 * ngam_store_set_style:
 * @style: (nullable): the style text; NULL removes the layer's style
 */
gboolean
ngam_sqlite_set_style (NgamStore   *store,
                       const char  *layer,
                       const char  *style,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autofree char *now = now_iso8601 ();

  g_return_val_if_fail (layer != NULL, FALSE);
  if (*layer == '\0')
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                   _("%s: a style needs a layer name"), store->path);
      return FALSE;
    }
  if (refuse_read_only (store, error))
    return FALSE;
  if (sqlite3_prepare_v2 (NGAM_SQLITE (store)->db,
                          style ? "INSERT OR REPLACE INTO ngam_styles (layer, style, modified) VALUES (?1, ?2, ?3)"
                                : "DELETE FROM ngam_styles WHERE layer = ?1", -1, &st, NULL) != SQLITE_OK)
    return ngam_sqlite_set_sql_error (store, error, "cannot write the style");
  sqlite3_bind_text (st, 1, layer, -1, SQLITE_STATIC);
  if (style)
    {
      sqlite3_bind_text (st, 2, style, -1, SQLITE_STATIC);
      sqlite3_bind_text (st, 3, now, -1, SQLITE_STATIC);
    }
  if (sqlite3_step (st) != SQLITE_DONE)
    return ngam_sqlite_set_sql_error (store, error, "cannot write the style");
  return TRUE;
}
