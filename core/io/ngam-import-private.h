/* ngam-import-private.h — shared between the import's files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ngam-import.h"
#include "ngam-store-sync.h"

G_BEGIN_DECLS

NgamImportReport       *ngam_import_report_new          (void);
NgamImportSourceReport *ngam_import_source_report_new   (const char *path);
void                    ngam_import_source_report_free  (NgamImportSourceReport *report);
void                    ngam_import_note                (NgamImportSourceReport *report, const char *code,
                                                         gboolean skipped, gint64 fid, const char *example);
void                    ngam_import_warn                (NgamImportSourceReport *report, NgamImportOption option,
                                                         char *text);
gboolean                ngam_import_wants_example       (NgamImportSourceReport *report, const char *code);
gint64                 *ngam_import_operator_count      (NgamImportSourceReport *report, const char *operator_name);

/* Suggested source field for a model field when no profile maps it. */
const char *const      *ngam_import_synonyms            (const char *model_field);
char                   *ngam_import_fold_name           (const char *name);
char                   *ngam_hstore_get                 (const char *hstore, const char *key);

G_END_DECLS
