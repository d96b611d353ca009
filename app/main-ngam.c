/* main-ngam.c — the desktop app, `ngam [FILE.ngam…]`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ngam-ui.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(NgamApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = ngam_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
