/* ngam-cli.c — subcommand dispatch and shared helpers of ngam-batch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-batch"

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ngam-cli.h"

static const NgamCliCommand commands[] = {
  { "new", "FILE.ngam [--crs EPSG:N]", "create an empty project", ngam_cli_new },
  { "info", "FILE.ngam [--json]", "schema, CRS, extent, features per layer, integrity", ngam_cli_info },
  { "sample", "--out FILE.ngam [--size N] [--seed S]", "generate the Huế-like demo town", ngam_cli_sample },
  { "import", "PROJECT.ngam SOURCE... --kind KIND", "import operators' files (any OGR source)", ngam_cli_import },
  { "graph", "PROJECT.ngam [--json]", "build the street graph: nodes, edges, components, near-misses", ngam_cli_graph },
  { "route", "PROJECT.ngam --from X,Y --to X,Y", "shortest path along the streets", ngam_cli_route },
  { "steiner", "FILE.stp|FILE.gr", "Steiner tree of a SteinLib or PACE instance", ngam_cli_steiner },
  { "export", "PROJECT.ngam --layer KIND --out FILE", "write a layer to any OGR format (Shapefile, GeoPackage, GeoJSON…)", ngam_cli_export },
  { "report", "PROJECT.ngam --out DIR [--format pdf,html,csv,gpkg,opendata] [--lang vi|en]", "the plan's report: PDF, HTML, CSV, GeoPackage, open data", ngam_cli_report },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "Usage: ngam-batch COMMAND [OPTIONS…]\n\n"
                "Ngầm batch tool: plans telecom cable undergrounding from the project file.\n\n"
                "Commands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-8s %s\n           %s\n", commands[i].name, commands[i].summary, commands[i].args);
  fprintf (out, "\n'ngam-batch COMMAND --help' explains each one.\n"
                "Exit status: 0 success, 1 failure, 2 bad usage.\n");
}

static GCancellable *cancellable;

static gboolean
on_sigint (gpointer data)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_CONTINUE;
}

/* Cancelled by Ctrl-C, so a long job stops cleanly and rolls back. */
GCancellable *
ngam_cli_cancellable (void)
{
  return cancellable;
}

static void *
signal_thread (void *data)
{
  GMainContext *ctx = data;

  while (TRUE)
    g_main_context_iteration (ctx, TRUE);
  return NULL;
}

int
ngam_cli_main (int    argc,
               char **argv)
{
  GMainContext *ctx;
  GSource *src;

  setlocale (LC_ALL, "");
  ngam_core_init ();
  cancellable = g_cancellable_new ();
  ctx = g_main_context_new ();
  src = g_unix_signal_source_new (SIGINT);
  g_source_set_callback (src, on_sigint, NULL, NULL);
  g_source_attach (src, ctx);
  g_thread_unref (g_thread_new ("signals", signal_thread, ctx));

  if (argc < 2)
    {
      print_usage (stderr);
      return NGAM_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return NGAM_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("ngam-batch %s\n", PACKAGE_VERSION);
      return NGAM_EXIT_OK;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      {
        /* GOption's usage line starts with the program name */
        g_autofree char *prgname = g_strdup_printf ("ngam-batch %s", commands[i].name);

        g_set_prgname (prgname);
        return commands[i].run (argc - 1, argv + 1);
      }
  fprintf (stderr, "ngam-batch: unknown command “%s”\n\n", argv[1]);
  print_usage (stderr);
  return NGAM_EXIT_USAGE;
}

GOptionContext *
ngam_cli_context (const char *command,
                  const char *args,
                  const char *summary)
{
  GOptionContext *ctx = g_option_context_new (args ? args : "");

  g_option_context_set_summary (ctx, summary);
  return ctx;
}

/* Returns FALSE and sets *status to 2 (usage) when parsing fails. */
gboolean
ngam_cli_parse (GOptionContext   *context,
                int              *argc,
                char           ***argv,
                int              *status)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, "ngam-batch: %s\nTry “ngam-batch %s --help”.\n", error->message, (*argv)[0]);
      *status = NGAM_EXIT_USAGE;
      return FALSE;
    }
  return TRUE;
}

int
ngam_cli_usage (const char *command,
                const char *fmt,
                ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  fprintf (stderr, "ngam-batch %s: %s\nTry “ngam-batch %s --help”.\n", command, msg, command);
  return NGAM_EXIT_USAGE;
}

/* Prints the error and returns the failure status; takes @error. */
int
ngam_cli_fail (GError *error)
{
  fprintf (stderr, "ngam-batch: error: %s\n", error ? error->message : "failed");
  g_clear_error (&error);
  return NGAM_EXIT_FAILURE;
}

void
ngam_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  printf ("%s\n", text);
}

typedef struct
{
  char    *label;
  gboolean tty;
  int      last_permille;
  gint64   last_time;
} Progress;

static void
progress_cb (double      fraction,
             const char *message,
             gpointer    user_data)
{
  Progress *p = user_data;
  gint64 now = g_get_monotonic_time ();
  int permille = fraction < 0 ? -1 : (int) (fraction * 1000);

  if (!p->tty)
    return;
  if (permille == p->last_permille && now - p->last_time < 200000)
    return;
  p->last_permille = permille;
  p->last_time = now;
  if (permille >= 0)
    {
      int w = 30, filled = permille * w / 1000;

      fprintf (stderr, "\r\033[K%s [%.*s%*s] %3d%% %s", p->label,
               filled, "##############################", w - filled, "",
               permille / 10, message ? message : "");
    }
  else
    fprintf (stderr, "\r\033[K%s … %s", p->label, message ? message : "");
  fflush (stderr);
}

/* A progress callback that draws a bar on stderr when it is a terminal,
 * and stays silent otherwise (logs, CI). */
NgamProgressFunc
ngam_cli_progress_func (gpointer   *user_data,
                        const char *label)
{
  Progress *p = g_new0 (Progress, 1);

  p->label = g_strdup (label);
  p->tty = isatty (STDERR_FILENO);
  p->last_permille = -2;
  *user_data = p;
  return progress_cb;
}

void
ngam_cli_progress_done (gpointer user_data)
{
  Progress *p = user_data;

  if (p == NULL)
    return;
  if (p->tty && p->last_permille != -2)
    fprintf (stderr, "\r\033[K");
  g_free (p->label);
  g_free (p);
}

/* Parses "X,Y" (dots for decimals, whatever the locale). */
gboolean
ngam_cli_parse_xy (const char *text,
                   double      xy[2])
{
  char *end;

  xy[0] = g_ascii_strtod (text, &end);
  if (end == text || *end != ',')
    return FALSE;
  text = end + 1;
  xy[1] = g_ascii_strtod (text, &end);
  return end != text && *end == '\0';
}
