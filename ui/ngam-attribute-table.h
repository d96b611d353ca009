/* ngam-attribute-table.h — one layer's features as a table, linked to the
 * map's selection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ngam-edit-layer.h"
#include "ngam-project.h"

G_BEGIN_DECLS

#define NGAM_TYPE_ATTRIBUTE_TABLE (ngam_attribute_table_get_type ())
G_DECLARE_FINAL_TYPE (NgamAttributeTable, ngam_attribute_table, NGAM, ATTRIBUTE_TABLE, GtkWidget)

GtkWidget         *ngam_attribute_table_new         (void);
void               ngam_attribute_table_set_project (NgamAttributeTable *self, NgamProject *project,
                                                     NgamEditLayer *edit_layer);
void               ngam_attribute_table_set_kind    (NgamAttributeTable *self, NgamLayerKind kind);
gboolean           ngam_attribute_table_get_loading (NgamAttributeTable *self);
GtkSelectionModel *ngam_attribute_table_get_model   (NgamAttributeTable *self);
GtkColumnView     *ngam_attribute_table_get_view    (NgamAttributeTable *self);
GtkEditable       *ngam_attribute_table_get_search  (NgamAttributeTable *self);
gint64             ngam_attribute_table_get_fid     (NgamAttributeTable *self, guint position);

G_END_DECLS
