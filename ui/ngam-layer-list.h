/* ngam-layer-list.h — the sidebar list of layers with visibility toggles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ngam-layer.h"

G_BEGIN_DECLS

#define NGAM_TYPE_LAYER_LIST (ngam_layer_list_get_type ())
G_DECLARE_FINAL_TYPE (NgamLayerList, ngam_layer_list, NGAM, LAYER_LIST, GtkWidget)

GtkWidget *ngam_layer_list_new                (void);
guint      ngam_layer_list_get_visible_layers (NgamLayerList *self);
void       ngam_layer_list_set_visible_layers (NgamLayerList *self, guint layers);
void       ngam_layer_list_set_counts         (NgamLayerList *self, const gint64 *counts);
GtkWidget *ngam_layer_list_get_toggle         (NgamLayerList *self, guint kind);
const NgamLayerKind *ngam_layer_list_get_order (NgamLayerList *self);
void       ngam_layer_list_set_order          (NgamLayerList *self, const NgamLayerKind *order);
void       ngam_layer_list_move               (NgamLayerList *self, NgamLayerKind kind, int delta);
double     ngam_layer_list_get_opacity        (NgamLayerList *self, NgamLayerKind kind);
void       ngam_layer_list_set_opacity        (NgamLayerList *self, NgamLayerKind kind, double opacity);
GtkWidget *ngam_layer_list_get_opacity_scale  (NgamLayerList *self, NgamLayerKind kind);
const char *ngam_layer_list_get_colour_by     (NgamLayerList *self, NgamLayerKind kind);
void       ngam_layer_list_set_colour_by      (NgamLayerList *self, NgamLayerKind kind, const char *field);
GtkWidget *ngam_layer_list_get_colour_by_dropdown (NgamLayerList *self, NgamLayerKind kind);
void       ngam_layer_list_set_categories     (NgamLayerList *self, NgamLayerKind kind, GPtrArray *categories);
guint      ngam_layer_list_get_n_categories   (NgamLayerList *self, NgamLayerKind kind);
const char *ngam_layer_list_get_label_by      (NgamLayerList *self, NgamLayerKind kind);
void       ngam_layer_list_set_label_by       (NgamLayerList *self, NgamLayerKind kind, const char *field);
GtkWidget *ngam_layer_list_get_label_by_dropdown (NgamLayerList *self, NgamLayerKind kind);

G_END_DECLS
