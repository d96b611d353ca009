/* ngam-window.h — a project's main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ngam-edit-layer.h"
#include "ngam-inspector.h"
#include "ngam-layer-list.h"
#include "ngam-map-view.h"
#include "ngam-plan-panel.h"
#include "ngam-result-layer.h"

G_BEGIN_DECLS

#define NGAM_TYPE_WINDOW (ngam_window_get_type ())
G_DECLARE_FINAL_TYPE (NgamWindow, ngam_window, NGAM, WINDOW, AdwApplicationWindow)

NgamWindow    *ngam_window_new            (GtkApplication *application);
gboolean       ngam_window_open           (NgamWindow *self, GFile *file, GError **error);
void           ngam_window_open_async     (NgamWindow *self, GFile *file, GAsyncReadyCallback callback,
                                           gpointer user_data);
gboolean       ngam_window_open_finish    (NgamWindow *self, GAsyncResult *result, GError **error);
NgamProject   *ngam_window_get_project    (NgamWindow *self);
NgamEditLayer *ngam_window_get_edit_layer (NgamWindow *self);
NgamInspector *ngam_window_get_inspector  (NgamWindow *self);
GFile         *ngam_window_get_file       (NgamWindow *self);
gboolean       ngam_window_is_read_only   (NgamWindow *self);
NgamMapView   *ngam_window_get_map_view   (NgamWindow *self);
NgamLayerList *ngam_window_get_layer_list (NgamWindow *self);
NgamPlanPanel *ngam_window_get_plan_panel (NgamWindow *self);
NgamResultLayer *ngam_window_get_result_layer (NgamWindow *self);
void           ngam_window_zoom_to_fit    (NgamWindow *self);

G_END_DECLS
