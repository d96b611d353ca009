/* ngam-project.h — the open project, as the windows and views see it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One NgamProject owns one open NgamStore (its main-thread connection),
 * like sysprof's SysprofDocument: it is opened asynchronously, every edit,
 * import, undo and redo goes through it, and it says what changed and
 * where with its ::changed signal, so views redraw only that.
 */
#pragma once

#include <gio/gio.h>

#include "ngam-context.h"
#include "ngam-gaps.h"
#include "ngam-import.h"
#include "ngam-plan.h"
#include "ngam-report.h"
#include "ngam-store.h"

G_BEGIN_DECLS

#define NGAM_PROJECT_ERROR (ngam_project_error_quark ())

typedef enum
{
  NGAM_PROJECT_ERROR_BUSY,       /* a job (an import) is running on the project */
  NGAM_PROJECT_ERROR_READ_ONLY,  /* opened read-only: no edits */
  NGAM_PROJECT_ERROR_INVALID,    /* a value the field does not allow */
} NgamProjectError;

typedef enum
{
  NGAM_PROJECT_OPEN_DEFAULT = 0,
  NGAM_PROJECT_OPEN_READ_ONLY = 1 << 0,
} NgamProjectOpenFlags;

/* Why a project is read-only (NGAM_PROJECT_READ_ONLY_NONE: it is not). */
typedef enum
{
  NGAM_PROJECT_READ_ONLY_NONE,
  NGAM_PROJECT_READ_ONLY_ASKED,    /* the caller asked for it */
  NGAM_PROJECT_READ_ONLY_FILE,     /* the file or its folder cannot be written */
  NGAM_PROJECT_READ_ONLY_LOCKED,   /* another program is writing to it */
  NGAM_PROJECT_READ_ONLY_OPEN_ELSEWHERE, /* another Ngầm window or process has it open */
} NgamProjectReadOnlyReason;

/* ::changed's kind when every layer may have changed. */
#define NGAM_PROJECT_ALL_LAYERS (-1)

#define NGAM_TYPE_PROJECT (ngam_project_get_type ())
G_DECLARE_FINAL_TYPE (NgamProject, ngam_project, NGAM, PROJECT, GObject)

GQuark        ngam_project_error_quark     (void);

NgamProject  *ngam_project_open            (const char             *path,
                                            NgamProjectOpenFlags    flags,
                                            NgamProgressFunc        progress,
                                            gpointer                progress_data,
                                            GCancellable           *cancellable,
                                            GError                **error);
void          ngam_project_open_async      (const char             *path,
                                            NgamProjectOpenFlags    flags,
                                            NgamProgressFunc        progress,
                                            gpointer                progress_data,
                                            GCancellable           *cancellable,
                                            GAsyncReadyCallback     callback,
                                            gpointer                user_data);
NgamProject  *ngam_project_open_finish     (GAsyncResult           *result,
                                            GError                **error);

const char   *ngam_project_get_path        (NgamProject *self);
const char   *ngam_project_get_crs         (NgamProject *self);
gboolean      ngam_project_is_read_only    (NgamProject *self);
NgamProjectReadOnlyReason ngam_project_get_read_only_reason (NgamProject *self);
char         *ngam_project_dup_read_only_message (NgamProject *self);
gboolean      ngam_project_get_busy        (NgamProject *self);
NgamStore    *ngam_project_get_store       (NgamProject *self);
NgamStore    *ngam_project_open_reader     (NgamProject *self, GError **error);
typedef gpointer (*NgamProjectReadFunc)      (NgamStore *store, gpointer data, GCancellable *cancellable,
                                              GError **error);
void          ngam_project_read_async      (NgamProject *self, NgamProjectReadFunc func, gpointer data,
                                            GDestroyNotify data_free, GDestroyNotify result_free,
                                            GCancellable *cancellable, GAsyncReadyCallback callback,
                                            gpointer user_data);
gpointer      ngam_project_read_finish     (NgamProject *self, GAsyncResult *result, GError **error);
gboolean      ngam_project_get_extent      (NgamProject *self, double bbox[4]);

/* Feature counts, kept up to date on a worker thread: -1 until known. */
gint64        ngam_project_get_count       (NgamProject *self, NgamLayerKind kind);
void          ngam_project_count_async     (NgamProject *self, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
gint64       *ngam_project_count_finish    (NgamProject *self, GAsyncResult *result, GError **error);

/* Edits: one journaled transaction each, undoable, kept in the file. */
gboolean      ngam_project_edit_begin      (NgamProject *self, const char *label, GError **error);
gboolean      ngam_project_edit_insert     (NgamProject *self, NgamFeature *feature, GError **error);
gboolean      ngam_project_edit_update     (NgamProject *self, const NgamFeature *feature, GError **error);
gboolean      ngam_project_edit_delete     (NgamProject *self, NgamLayerKind kind, gint64 fid,
                                            GError **error);
gboolean      ngam_project_edit_commit     (NgamProject *self, GError **error);
void          ngam_project_edit_abort      (NgamProject *self);
gboolean      ngam_project_in_edit         (NgamProject *self);

gboolean      ngam_project_get_can_undo    (NgamProject *self);
gboolean      ngam_project_get_can_redo    (NgamProject *self);
const char   *ngam_project_get_undo_label  (NgamProject *self);
const char   *ngam_project_get_redo_label  (NgamProject *self);
gboolean      ngam_project_undo            (NgamProject *self, GError **error);
gboolean      ngam_project_redo            (NgamProject *self, GError **error);

/* The network edits (ngam-project-edit.c), one undoable edit each. */
gboolean      ngam_project_add_pole        (NgamProject *self, double x, double y, const char *operator_name,
                                            gint64 *fid, GError **error);
gboolean      ngam_project_move_pole       (NgamProject *self, gint64 fid, double x, double y,
                                            guint *n_spans, GError **error);
gboolean      ngam_project_add_span        (NgamProject *self, gint64 from_pole, gint64 to_pole,
                                            const double *via, guint n_via, const char *operator_name,
                                            gint64 *fid, GError **error);
gboolean      ngam_project_delete_features (NgamProject *self, NgamLayerKind kind, const gint64 *fids,
                                            guint n_fids, GError **error);
gboolean      ngam_project_set_operator    (NgamProject *self, NgamLayerKind kind, const gint64 *fids,
                                            guint n_fids, const char *operator_name, GError **error);
gboolean      ngam_project_set_shape       (NgamProject *self, NgamLayerKind kind, gint64 fid,
                                            const NgamShape *shape, const char *label, GError **error);
gboolean      ngam_project_split_span      (NgamProject *self, gint64 fid, double x, double y,
                                            gint64 *new_fid, GError **error);
gboolean      ngam_project_merge_spans     (NgamProject *self, gint64 first, gint64 second, GError **error);

/* Import, on a worker thread; ::changed follows on success. */
void          ngam_project_import_async    (NgamProject              *self,
                                            const NgamImportOptions  *options,
                                            NgamProgressFunc          progress,
                                            gpointer                  progress_data,
                                            GCancellable             *cancellable,
                                            GAsyncReadyCallback       callback,
                                            gpointer                  user_data);
NgamImportReport *ngam_project_import_finish (NgamProject *self, GAsyncResult *result, GError **error);

/* Scenarios kept in the project (ngam-project-jobs.c).  A scenario is
 * checked by the planner's parser before it is kept: a refusal names the
 * scenario, the line and the key, and leaves the project as it was. */
GPtrArray    *ngam_project_list_scenarios  (NgamProject *self, GError **error);
char         *ngam_project_dup_scenario    (NgamProject *self, const char *name, GError **error);
gboolean      ngam_project_put_scenario    (NgamProject *self, const char *name, const char *text,
                                            GError **error);

/* The long jobs on a worker thread, as the CLI runs them: the plan and the
 * gaps write through the project's connection (busy meanwhile; a failed or
 * cancelled job leaves the file as it was), ::runs-changed follows a run
 * stored; the report reads through a connection of its own. */
void          ngam_project_plan_async      (NgamProject *self, const char *scenario_name,
                                            const char *scenario_text, NgamProgressFunc progress,
                                            gpointer progress_data, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
NgamPlanResult *ngam_project_plan_finish   (NgamProject *self, GAsyncResult *result, GError **error);
void          ngam_project_gaps_async      (NgamProject *self, const char *scenario_name,
                                            NgamProgressFunc progress, gpointer progress_data,
                                            GCancellable *cancellable, GAsyncReadyCallback callback,
                                            gpointer user_data);
NgamGapsResult *ngam_project_gaps_finish   (NgamProject *self, GAsyncResult *result, GError **error);
void          ngam_project_report_async    (NgamProject *self, const NgamReportOptions *options,
                                            NgamProgressFunc progress, gpointer progress_data,
                                            GCancellable *cancellable, GAsyncReadyCallback callback,
                                            gpointer user_data);
GPtrArray    *ngam_project_report_finish   (NgamProject *self, GAsyncResult *result, GError **error);

/* Changes other programs (QGIS, OGR) make to the file: polled every
 * @interval_ms while the project is idle (0 stops), announced as
 * ::changed of the layers concerned. */
void          ngam_project_watch_outside   (NgamProject *self, guint interval_ms);
gboolean      ngam_project_check_outside   (NgamProject *self);

/* Layer styles kept in the project (GKeyFile text, see ngam-results.h). */
char         *ngam_project_dup_style       (NgamProject *self, const char *layer);
gboolean      ngam_project_set_style       (NgamProject *self, const char *layer, const char *style,
                                            GError **error);

/* Validation of one field's text as the inspector edits it. */
gboolean      ngam_project_validate_value  (NgamLayerKind kind, const char *field, const char *text,
                                            GError **error);

G_END_DECLS
