/* ngam-report-dialog.h — exporting a scenario's report from the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ngam-project.h"

G_BEGIN_DECLS

#define NGAM_TYPE_REPORT_DIALOG (ngam_report_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NgamReportDialog, ngam_report_dialog, NGAM, REPORT_DIALOG, AdwWindow)

NgamReportDialog *ngam_report_dialog_new          (GtkWindow *parent, NgamProject *project,
                                                   const char *scenario);
void              ngam_report_dialog_set_folder   (NgamReportDialog *self, const char *folder);
const char       *ngam_report_dialog_get_folder   (NgamReportDialog *self);
void              ngam_report_dialog_set_formats  (NgamReportDialog *self, NgamReportFormats formats);
NgamReportFormats ngam_report_dialog_get_formats  (NgamReportDialog *self);
void              ngam_report_dialog_set_language (NgamReportDialog *self, const char *language);
void              ngam_report_dialog_set_replace  (NgamReportDialog *self, gboolean replace);
void              ngam_report_dialog_export       (NgamReportDialog *self);
gboolean          ngam_report_dialog_get_running  (NgamReportDialog *self);
void              ngam_report_dialog_cancel       (NgamReportDialog *self);
GtkButton        *ngam_report_dialog_get_cancel_button (NgamReportDialog *self);
GPtrArray        *ngam_report_dialog_get_written  (NgamReportDialog *self);
const char       *ngam_report_dialog_get_message  (NgamReportDialog *self);

G_END_DECLS
