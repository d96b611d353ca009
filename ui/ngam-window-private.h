/* ngam-window-private.h — what ngam-window.c shares with its actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ngam-core.h"
#include "ngam-edit-layer.h"
#include "ngam-attribute-table.h"
#include "ngam-inspector.h"
#include "ngam-plan-panel.h"
#include "ngam-report-dialog.h"
#include "ngam-result-layer.h"
#include "ngam-scenario-editor.h"
#include "ngam-project.h"
#include "ngam-window.h"

G_BEGIN_DECLS

struct _NgamWindow
{
  AdwApplicationWindow parent_instance;

  /* template children */
  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkStack            *stack;
  GtkToggleButton     *sidebar_button;
  NgamLayerList       *layer_list;
  NgamMapView         *map_view;
  GtkLabel            *position_label;
  GtkLabel            *scale_label;
  GtkStack            *sidebar_stack;
  NgamInspector       *inspector;
  NgamAttributeTable  *attribute_table;
  GtkToggleButton     *table_button;
  AdwStatusPage       *loading_page;
  NgamEditLayer       *edit_layer;
  NgamResultLayer     *result_layer;
  NgamPlanPanel       *plan_panel;
  GSimpleAction       *tool_action;   /* edit.tool, owned by its group */

  /* the open project: it owns the main thread's connection */
  GFile               *file;
  NgamProject         *project;
  NgamTransform       *to_lonlat;
  GCancellable        *open_cancellable;
  GCancellable        *job_cancellable;   /* unused: the import dialog owns its job */
  GtkWidget           *import_dialog;     /* weak */
  GtkWidget           *scenario_editor;   /* weak */
  GtkWidget           *report_dialog;     /* weak */
  GtkWidget           *compare_window;    /* weak */
  GCancellable        *legend_cancellable; /* counting the categories of coloured layers */
  guint                legend_source;      /* the recount after edits, coalesced */

  GSettings           *settings;   /* NULL when the schema is not installed */
};

void ngam_window_class_init_actions (GtkWidgetClass *widget_class);
void ngam_window_init_actions       (NgamWindow *self);
void ngam_window_import             (NgamWindow *self, GFile **files, guint n_files);
void ngam_window_update_actions     (NgamWindow *self);
void ngam_window_show_error         (NgamWindow *self, const char *heading, const GError *error);
void ngam_window_toast              (NgamWindow *self, const char *message);
char *ngam_window_folder_label      (const char *dir, const char *home);

G_END_DECLS
