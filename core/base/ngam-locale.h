/* ngam-locale.h — where Ngầm finds its translations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *ngam_locale_dir (void);

G_END_DECLS
