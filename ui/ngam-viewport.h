/* ngam-viewport.h — what part of the world a map view shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "ngam-render.h"

G_BEGIN_DECLS

#define NGAM_TYPE_VIEWPORT (ngam_viewport_get_type ())
G_DECLARE_FINAL_TYPE (NgamViewport, ngam_viewport, NGAM, VIEWPORT, GObject)

/* Metres per pixel: from a cable joint to a province. */
#define NGAM_VIEWPORT_MIN_SCALE 0.02
#define NGAM_VIEWPORT_MAX_SCALE 2000.0

NgamViewport *ngam_viewport_new          (void);

double        ngam_viewport_get_center_x (NgamViewport *self);
double        ngam_viewport_get_center_y (NgamViewport *self);
double        ngam_viewport_get_scale    (NgamViewport *self);
void          ngam_viewport_set_center   (NgamViewport *self, double x, double y);
void          ngam_viewport_set_scale    (NgamViewport *self, double scale);

void          ngam_viewport_to_widget    (NgamViewport *self, double width, double height,
                                          double x, double y, double *px, double *py);
void          ngam_viewport_from_widget  (NgamViewport *self, double width, double height,
                                          double px, double py, double *x, double *y);
void          ngam_viewport_pan          (NgamViewport *self, double dx, double dy);
void          ngam_viewport_zoom_at      (NgamViewport *self, double factor, double width, double height,
                                          double px, double py);
gboolean      ngam_viewport_fit          (NgamViewport *self, const double bbox[4],
                                          double width, double height, double margin);
void          ngam_viewport_get_view     (NgamViewport *self, int width, int height,
                                          NgamRenderView *view);

G_END_DECLS
