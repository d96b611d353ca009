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

  /* The user's language (LANGUAGE=vi, LANG=vi_VN.UTF-8…), with our
   * catalogues found wherever this executable runs from: installed, in a
   * Flatpak, or in the build tree (ngam-locale.c). */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, ngam_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = ngam_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
