/* ngam-context.c — per-thread handles of the foreign geometry libraries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GEOS and PROJ are reentrant only through their context APIs: one GEOS
 * handle and one PJ_CONTEXT per thread, created on first use and destroyed
 * when the thread ends.  GEOS messages are captured per thread so that the
 * caller can turn the last one into a GError at the boundary.
 */
#define G_LOG_DOMAIN "ngam-core"

#include "config.h"

#include <libintl.h>

#include <gdal.h>
#include <cpl_error.h>
#include <stdarg.h>
#include <stdio.h>

#include "ngam-context.h"
#include "ngam-locale.h"

typedef struct
{
  GEOSContextHandle_t handle;
  char                last_error[512];
} GeosThread;

static void
geos_thread_free (gpointer data)
{
  GeosThread *t = data;

  GEOS_finish_r (t->handle);
  g_free (t);
}

static void
proj_thread_free (gpointer data)
{
  proj_context_destroy (data);
}

static GPrivate geos_key = G_PRIVATE_INIT (geos_thread_free);
static GPrivate proj_key = G_PRIVATE_INIT (proj_thread_free);

static void
geos_message (const char *message,
              void       *userdata)
{
  GeosThread *t = userdata;

  g_strlcpy (t->last_error, message, sizeof t->last_error);
}

static void
geos_notice (const char *message,
             void       *userdata)
{
  g_debug ("GEOS: %s", message);
}

static GeosThread *
geos_thread (void)
{
  GeosThread *t = g_private_get (&geos_key);

  if (t == NULL)
    {
      t = g_new0 (GeosThread, 1);
      t->handle = GEOS_init_r ();
      GEOSContext_setErrorMessageHandler_r (t->handle, geos_message, t);
      GEOSContext_setNoticeMessageHandler_r (t->handle, geos_notice, t);
      g_private_set (&geos_key, t);
    }
  return t;
}

/**
 * ngam_geos_context:
 *
 * Returns: (transfer none): this thread's GEOS handle.
 */
GEOSContextHandle_t
ngam_geos_context (void)
{
  return geos_thread ()->handle;
}

/**
 * ngam_geos_last_error:
 *
 * Returns: the last error GEOS reported on this thread, or "" if none.
 */
const char *
ngam_geos_last_error (void)
{
  return geos_thread ()->last_error;
}

void
ngam_geos_clear_error (void)
{
  geos_thread ()->last_error[0] = '\0';
}

/* PROJ finds proj.db through PROJ_DATA (set in the Flatpak manifest) or its
 * compiled-in path.  When neither works (an installed tree moved elsewhere),
 * fall back to the data folder PROJ's pkg-config reported at build time. */
static void
proj_find_data (PJ_CONTEXT *ctx)
{
  const char *db = proj_context_get_database_path (ctx);

  if (db != NULL && *db != '\0')
    return;
  if (NGAM_PROJ_DATADIR[0] != '\0' && g_file_test (NGAM_PROJ_DATADIR, G_FILE_TEST_IS_DIR))
    {
      const char *paths[] = { NGAM_PROJ_DATADIR };

      proj_context_set_search_paths (ctx, 1, paths);
    }
}

/**
 * ngam_proj_context:
 *
 * Returns: (transfer none): this thread's PROJ context.
 */
PJ_CONTEXT *
ngam_proj_context (void)
{
  PJ_CONTEXT *ctx = g_private_get (&proj_key);

  if (ctx == NULL)
    {
      ctx = proj_context_create ();
      proj_log_level (ctx, PJ_LOG_NONE);
      proj_find_data (ctx);
      g_private_set (&proj_key, ctx);
    }
  return ctx;
}

/* GDAL's default handler prints to stderr, which the CLI would mix with its
 * own output; the io module installs a capturing handler around each call,
 * so the global one only forwards to g_debug. */
static void CPL_STDCALL
gdal_quiet_handler (CPLErr      err_class,
                    CPLErrorNum err_no,
                    const char *message)
{
  g_debug ("GDAL (%d/%d): %s", (int) err_class, (int) err_no, message);
}

/**
 * ngam_core_init:
 *
 * Registers GDAL drivers and quiets the libraries' own printing.  Safe to
 * call more than once and from any thread.
 */
void
ngam_core_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      GDALAllRegister ();
      CPLSetErrorHandler (gdal_quiet_handler);
      /* Core's messages and the reports speak the user's language
       * wherever the program runs from (ngam-locale.c). */
      bindtextdomain (GETTEXT_PACKAGE, ngam_locale_dir ());
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      g_once_init_leave (&done, 1);
    }
}
