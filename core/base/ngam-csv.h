/* ngam-csv.h — one CSV field, as every CSV Ngầm writes has them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void ngam_csv_field (GString    *out,
                     const char *s,
                     gboolean    last);

G_END_DECLS
