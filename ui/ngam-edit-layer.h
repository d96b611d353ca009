/* ngam-edit-layer.h — the map's edit overlay and its tools
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ngam-map-view.h"
#include "ngam-project.h"

G_BEGIN_DECLS

typedef enum
{
  NGAM_EDIT_TOOL_SELECT,     /* click and Shift+drag select; drag pans */
  NGAM_EDIT_TOOL_ADD_POLE,   /* click adds a pole */
  NGAM_EDIT_TOOL_MOVE,       /* drag a pole (its spans follow) or a vertex */
  NGAM_EDIT_TOOL_DRAW_SPAN,  /* click a pole, any vertices, another pole */
  NGAM_EDIT_TOOL_SPLIT,      /* click a span to split it there */
  NGAM_EDIT_TOOL_VERTEX,     /* click a line to add a vertex, Ctrl+click one to delete it */
} NgamEditTool;

/* One selected feature. */
typedef struct
{
  NgamLayerKind kind;
  gint64        fid;
} NgamFeatureRef;

#define NGAM_TYPE_EDIT_LAYER (ngam_edit_layer_get_type ())
G_DECLARE_FINAL_TYPE (NgamEditLayer, ngam_edit_layer, NGAM, EDIT_LAYER, GtkWidget)

NgamEditLayer *ngam_edit_layer_new             (NgamMapView *map);
void           ngam_edit_layer_set_project     (NgamEditLayer *self, NgamProject *project);
NgamEditTool   ngam_edit_layer_get_tool        (NgamEditLayer *self);
void           ngam_edit_layer_set_tool        (NgamEditLayer *self, NgamEditTool tool);
const char    *ngam_edit_tool_to_string        (NgamEditTool tool);
gboolean       ngam_edit_tool_from_string      (const char *name, NgamEditTool *tool);
void           ngam_edit_layer_cancel          (NgamEditLayer *self);

const NgamFeatureRef *ngam_edit_layer_get_selection (NgamEditLayer *self, guint *n);
void           ngam_edit_layer_set_selection   (NgamEditLayer *self, const NgamFeatureRef *refs, guint n);
void           ngam_edit_layer_select_in_box   (NgamEditLayer *self, const double bbox[4], gboolean add);
gboolean       ngam_edit_layer_get_selection_bbox (NgamEditLayer *self, double bbox[4]);

double         ngam_edit_layer_get_snap_tolerance (NgamEditLayer *self);
void           ngam_edit_layer_set_snap_tolerance (NgamEditLayer *self, double pixels);
gboolean       ngam_edit_layer_get_snap        (NgamEditLayer *self, double *x, double *y, gint64 *pole);
gint64         ngam_edit_layer_get_span_start  (NgamEditLayer *self);

/* What the pointer is over (for tests and the tools): the nearest feature
 * of the visible layers within the snap tolerance. */
gboolean       ngam_edit_layer_hit             (NgamEditLayer *self, double px, double py,
                                                NgamFeatureRef *hit);

G_END_DECLS
