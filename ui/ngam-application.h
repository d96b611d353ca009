/* ngam-application.h — the desktop application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define NGAM_TYPE_APPLICATION (ngam_application_get_type ())
G_DECLARE_FINAL_TYPE (NgamApplication, ngam_application, NGAM, APPLICATION, AdwApplication)

NgamApplication *ngam_application_new (void);
GSettings       *ngam_settings_new    (void);
GSettingsSchema *ngam_settings_schema_beside (const char *bindir);

G_END_DECLS
