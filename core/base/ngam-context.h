/* ngam-context.h — per-thread handles of the foreign geometry libraries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <geos_c.h>
#include <proj.h>

G_BEGIN_DECLS

/**
 * NgamProgressFunc:
 * @fraction: work done so far, 0.0 to 1.0, or a negative value when unknown
 * @message: (nullable): what is being done now, for a person to read
 * @user_data: closure
 *
 * Every long core job reports through one of these; the CLI draws a bar on a
 * terminal, the UI forwards it to the main loop. It may be called from a
 * worker thread.
 */
typedef void (*NgamProgressFunc) (double      fraction,
                                  const char *message,
                                  gpointer    user_data);

GEOSContextHandle_t ngam_geos_context   (void);
const char         *ngam_geos_last_error (void);
void                ngam_geos_clear_error (void);
PJ_CONTEXT         *ngam_proj_context   (void);
void                ngam_core_init      (void);

G_END_DECLS
