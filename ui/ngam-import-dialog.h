/* ngam-import-dialog.h — importing operators' files from the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ngam-project.h"

G_BEGIN_DECLS

#define NGAM_TYPE_IMPORT_DIALOG (ngam_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (NgamImportDialog, ngam_import_dialog, NGAM, IMPORT_DIALOG, AdwWindow)

NgamImportDialog       *ngam_import_dialog_new             (GtkWindow *parent, NgamProject *project);
void                    ngam_import_dialog_add_file        (NgamImportDialog *self, GFile *file);
void                    ngam_import_dialog_set_kind        (NgamImportDialog *self, NgamLayerKind kind);
GtkWidget              *ngam_import_dialog_get_row         (NgamImportDialog *self, const char *name);
gboolean                ngam_import_dialog_get_busy        (NgamImportDialog *self);
gboolean                ngam_import_dialog_can_import      (NgamImportDialog *self);
void                    ngam_import_dialog_import          (NgamImportDialog *self);
const NgamImportReport *ngam_import_dialog_get_report      (NgamImportDialog *self);
const GError           *ngam_import_dialog_get_error       (NgamImportDialog *self);
GCancellable           *ngam_import_dialog_get_cancellable (NgamImportDialog *self);

G_END_DECLS
