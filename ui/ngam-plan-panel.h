/* ngam-plan-panel.h — plan and gaps from the window: run, cancel, results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ngam-project.h"
#include "ngam-result-layer.h"

G_BEGIN_DECLS

#define NGAM_TYPE_PLAN_PANEL (ngam_plan_panel_get_type ())
G_DECLARE_FINAL_TYPE (NgamPlanPanel, ngam_plan_panel, NGAM, PLAN_PANEL, GtkBox)

typedef enum
{
  NGAM_PLAN_TABLE_BILL,
  NGAM_PLAN_TABLE_WARDS,
  NGAM_PLAN_TABLE_OPERATORS,
  NGAM_PLAN_TABLE_INDICATORS,
  NGAM_PLAN_TABLE_GAPS,
  NGAM_PLAN_N_TABLES,
} NgamPlanTable;

GtkWidget     *ngam_plan_panel_new              (void);
void           ngam_plan_panel_set_project      (NgamPlanPanel *self, NgamProject *project,
                                                 NgamResultLayer *layer);
const char    *ngam_plan_panel_get_scenario     (NgamPlanPanel *self);
gboolean       ngam_plan_panel_set_scenario     (NgamPlanPanel *self, const char *name);
void           ngam_plan_panel_reload_scenarios (NgamPlanPanel *self, const char *select);
void           ngam_plan_panel_run_plan         (NgamPlanPanel *self);
void           ngam_plan_panel_run_gaps         (NgamPlanPanel *self);
gboolean       ngam_plan_panel_get_running      (NgamPlanPanel *self);
void           ngam_plan_panel_cancel           (NgamPlanPanel *self);
GtkButton     *ngam_plan_panel_get_cancel_button (NgamPlanPanel *self);
GtkColumnView *ngam_plan_panel_get_table        (NgamPlanPanel *self, NgamPlanTable table);
GtkLabel      *ngam_plan_panel_get_status       (NgamPlanPanel *self);
void           ngam_plan_panel_set_mode         (NgamPlanPanel *self, NgamRenderResultsMode mode);

G_END_DECLS
