/* ngam-locale.c — where Ngầm finds its translations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The catalogues (po/LANG.po compiled to LANG/LC_MESSAGES/ngam.mo) sit in
 * PREFIX/share/locale once installed, and in BUILD/po in a build tree.
 * The app looks for them beside its own executable first, so that a tree
 * installed elsewhere than its configured prefix (a relocated bundle, a
 * Flatpak's /app) and a build tree run in Vietnamese as well as a
 * packaged install does.
 */
#define G_LOG_DOMAIN "ngam-core"

#include "config.h"

#include "ngam-locale.h"

static char *
find_locale_dir (void)
{
  const char *env = g_getenv ("NGAM_LOCALEDIR");
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *bindir = exe ? g_path_get_dirname (exe) : NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (bindir != NULL)
    {
      /* BUILD/app/ngam beside BUILD/po, or PREFIX/bin/ngam beside
       * PREFIX/share/locale: each holds its own catalogue. */
      const char *relative[] = { "../po", "../share/locale" };

      for (guint i = 0; i < G_N_ELEMENTS (relative); i++)
        {
          g_autofree char *dir = g_build_filename (bindir, relative[i], NULL);
          g_autofree char *mo = g_build_filename (dir, "vi", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

          if (g_file_test (mo, G_FILE_TEST_IS_REGULAR))
            return g_canonicalize_filename (dir, NULL);
        }
    }
  return g_strdup (LOCALEDIR);
}

/**
 * ngam_locale_dir:
 *
 * Returns: the folder of the app's message catalogues: $NGAM_LOCALEDIR
 *   when set, else the one beside the executable that holds ours, else
 *   the configured LOCALEDIR.
 */
const char *
ngam_locale_dir (void)
{
  static char *dir;

  if (g_once_init_enter (&dir))
    g_once_init_leave (&dir, find_locale_dir ());
  return dir;
}
