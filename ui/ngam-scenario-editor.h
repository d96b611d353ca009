/* ngam-scenario-editor.h — editing a scenario: costs, rules, scope,
 * priorities and budget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ngam-project.h"

G_BEGIN_DECLS

#define NGAM_TYPE_SCENARIO_EDITOR (ngam_scenario_editor_get_type ())
G_DECLARE_FINAL_TYPE (NgamScenarioEditor, ngam_scenario_editor, NGAM, SCENARIO_EDITOR, AdwWindow)

NgamScenarioEditor *ngam_scenario_editor_new        (GtkWindow *parent, NgamProject *project,
                                                     const char *name);
GtkEditable        *ngam_scenario_editor_get_entry  (NgamScenarioEditor *self, const char *group,
                                                     const char *key);
GtkWidget          *ngam_scenario_editor_get_row    (NgamScenarioEditor *self, const char *group,
                                                     const char *key);
char               *ngam_scenario_editor_dup_value  (NgamScenarioEditor *self, const char *group,
                                                     const char *key);
GtkEditable        *ngam_scenario_editor_get_name_entry (NgamScenarioEditor *self);
gboolean            ngam_scenario_editor_add_street (NgamScenarioEditor *self, const char *street);
gboolean            ngam_scenario_editor_remove_street (NgamScenarioEditor *self, const char *street);
char               *ngam_scenario_editor_dup_text   (NgamScenarioEditor *self);
gboolean            ngam_scenario_editor_save       (NgamScenarioEditor *self, GError **error);
const char         *ngam_scenario_editor_get_message (NgamScenarioEditor *self);

G_END_DECLS
