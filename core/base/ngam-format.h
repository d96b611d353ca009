/* ngam-format.h — numbers written for machines, whatever the user's locale
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void  ngam_append_double (GString *out,
                          double   d);
void  ngam_append_scaled (GString *out,
                          double   d,
                          double   factor);
char *ngam_format_double (double   d);

G_END_DECLS
