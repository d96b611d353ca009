/* ngam-result-layer.h — a run's result layers over the map
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ngam-map-view.h"
#include "ngam-render-results.h"

G_BEGIN_DECLS

#define NGAM_TYPE_RESULT_LAYER (ngam_result_layer_get_type ())
G_DECLARE_FINAL_TYPE (NgamResultLayer, ngam_result_layer, NGAM, RESULT_LAYER, GtkWidget)

NgamResultLayer *ngam_result_layer_new          (NgamMapView *map);
void             ngam_result_layer_set_project  (NgamResultLayer *self, NgamProject *project);
void             ngam_result_layer_set_runs     (NgamResultLayer *self, gint64 plan_run, gint64 gaps_run);
gint64           ngam_result_layer_get_plan_run (NgamResultLayer *self);
void             ngam_result_layer_set_highlight (NgamResultLayer *self, const GArray *edges);
guint            ngam_result_layer_get_n_highlighted (NgamResultLayer *self);
gint64           ngam_result_layer_get_gaps_run (NgamResultLayer *self);
void             ngam_result_layer_set_mode     (NgamResultLayer *self, NgamRenderResultsMode mode);
NgamRenderResultsMode ngam_result_layer_get_mode (NgamResultLayer *self);
void             ngam_result_layer_set_labels   (NgamResultLayer *self, gboolean labels);
gboolean         ngam_result_layer_get_labels   (NgamResultLayer *self);
int              ngam_result_layer_get_n_labels (NgamResultLayer *self);
void             ngam_result_layer_set_label_by (NgamResultLayer *self, NgamLayerKind kind, const char *field);
const char      *ngam_result_layer_get_label_by (NgamResultLayer *self, NgamLayerKind kind);
int              ngam_result_layer_get_n_feature_labels (NgamResultLayer *self);
gboolean         ngam_result_layer_get_loading  (NgamResultLayer *self);
guint64          ngam_result_layer_get_n_rendered (NgamResultLayer *self);

G_END_DECLS
