/* ngam-compare-window.h — two scenarios' plans side by side on two linked maps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ngam-map-view.h"
#include "ngam-plan.h"
#include "ngam-project.h"
#include "ngam-result-layer.h"

G_BEGIN_DECLS

#define NGAM_TYPE_COMPARE_WINDOW (ngam_compare_window_get_type ())
G_DECLARE_FINAL_TYPE (NgamCompareWindow, ngam_compare_window, NGAM, COMPARE_WINDOW, AdwWindow)

NgamCompareWindow        *ngam_compare_window_new              (GtkWindow *parent, NgamProject *project,
                                                                const char *scenario_a, const char *scenario_b);
gboolean                  ngam_compare_window_set_scenarios    (NgamCompareWindow *self, const char *a,
                                                                const char *b);
const NgamPlanComparison *ngam_compare_window_get_comparison   (NgamCompareWindow *self);
gboolean                  ngam_compare_window_get_loading      (NgamCompareWindow *self);
NgamMapView              *ngam_compare_window_get_map          (NgamCompareWindow *self, int side);
NgamResultLayer          *ngam_compare_window_get_result_layer (NgamCompareWindow *self, int side);
GtkColumnView            *ngam_compare_window_get_table        (NgamCompareWindow *self);
GtkLabel                 *ngam_compare_window_get_status       (NgamCompareWindow *self);
gboolean                  ngam_compare_window_save             (NgamCompareWindow *self, GFile *file, GError **error);

G_END_DECLS
