/* ngam-inspector.h — the selected feature's attributes, editable, with
 * where it came from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ngam-edit-layer.h"
#include "ngam-project.h"

G_BEGIN_DECLS

#define NGAM_TYPE_INSPECTOR (ngam_inspector_get_type ())
G_DECLARE_FINAL_TYPE (NgamInspector, ngam_inspector, NGAM, INSPECTOR, GtkWidget)

GtkWidget  *ngam_inspector_new          (void);
void        ngam_inspector_set_project  (NgamInspector *self, NgamProject *project);
void        ngam_inspector_show         (NgamInspector *self, const NgamFeatureRef *refs, guint n);
GtkWidget  *ngam_inspector_get_row      (NgamInspector *self, const char *field);
const char *ngam_inspector_get_message  (NgamInspector *self);

G_END_DECLS
