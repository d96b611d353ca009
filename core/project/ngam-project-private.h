/* ngam-project-private.h — what ngam-project.c shares with its jobs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ngam-project.h"

G_BEGIN_DECLS

/* One long job's body, run on a worker thread with @store: the project's
 * own connection for a job that writes (the project is busy meanwhile), a
 * read-only one of its own otherwise. */
typedef gpointer (*NgamProjectJobFunc) (NgamStore        *store,
                                        gpointer          data,
                                        NgamProgressFunc  progress,
                                        gpointer          progress_data,
                                        GCancellable     *cancellable,
                                        GError          **error);

void      ngam_project_run_job       (NgamProject         *self,
                                      const char          *job,
                                      gboolean             writes,
                                      NgamProjectJobFunc   func,
                                      gpointer             data,
                                      GDestroyNotify       data_free,
                                      GDestroyNotify       result_free,
                                      NgamProgressFunc     progress,
                                      gpointer             progress_data,
                                      GCancellable        *cancellable,
                                      gpointer             source_tag,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gpointer  ngam_project_job_finish    (NgamProject   *self,
                                      GAsyncResult  *result,
                                      gpointer       source_tag,
                                      GError       **error);
gboolean  ngam_project_check_writable (NgamProject *self, GError **error);
NgamStore *ngam_project_get_own_store (NgamProject *self);

G_END_DECLS
