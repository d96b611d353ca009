/* ngam-cli.c — subcommand dispatch and shared helpers of ngam-batch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-batch"

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <math.h>
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
  { "plan", "PROJECT.ngam [--config FILE.ini] [--json]", "the undergrounding plan: shared trenches, ducts, manholes, cost per operator", ngam_cli_plan },
  { "scenarios", "PROJECT.ngam [--json]", "the project's scenarios and their runs", ngam_cli_scenarios },
  { "compare", "PROJECT.ngam A B [--json]", "two scenarios' plans side by side", ngam_cli_compare },
  { "gaps", "PROJECT.ngam [--tech T] [--hazard H] [--json]", "coverage gaps, indicators, hazard exposure, proposals", ngam_cli_gaps },
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
static const char *command_name = "";
static gboolean json_errors, json_printed;

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

static void
say_waiting (const char *path)
{
  fprintf (stderr, "ngam-batch %s: waiting for another program to finish writing to %s…\n", command_name, path);
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
  /* Numbers are written the C way all through a run: opening a project
   * (SpatiaLite) sets LC_NUMERIC to "C" for the whole process anyway, and
   * a run whose lines changed separator half-way would be worse than
   * either.  Messages and dates still follow the user's locale. */
  setlocale (LC_NUMERIC, "C");
  ngam_core_init ();
  cancellable = g_cancellable_new ();
  ngam_store_set_wait_func (say_waiting);
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
        command_name = commands[i].name;
        for (int k = 2; k < argc; k++)
          if (strcmp (argv[k], "--json") == 0)
            json_errors = TRUE;
          else if (strcmp (argv[k], "--") == 0)
            break;
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

/* GOption's words in the CLI's: lower case, and a number asked for in
 * the option's own terms rather than "Cannot parse double value". */
static char *
option_message (const GError *error)
{
  g_autoptr(GRegex) re = g_regex_new ("^Cannot parse (double|integer) value “(.*)” for (\\S+)$", 0, 0, NULL);
  g_autoptr(GMatchInfo) m = NULL;

  if (g_regex_match (re, error->message, 0, &m))
    {
      g_autofree char *kind = g_match_info_fetch (m, 1);
      g_autofree char *value = g_match_info_fetch (m, 2);
      g_autofree char *option = g_match_info_fetch (m, 3);

      return g_strdup_printf ("%s takes %s, not “%s”", option,
                              strcmp (kind, "double") == 0 ? "a number" : "a whole number", value);
    }
  if (g_ascii_isupper (error->message[0]) && !g_ascii_isupper (error->message[1]))
    {
      char *msg = g_strdup (error->message);

      msg[0] = g_ascii_tolower (msg[0]);
      return msg;
    }
  return g_strdup (error->message);
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
      g_autofree char *msg = option_message (error);

      *status = ngam_cli_usage (command_name, "%s", msg);
      return FALSE;
    }
  return TRUE;
}

/* With --json, a failure is a JSON object on stdout too: {"error": …,
 * "command": …, "kind": "usage" | "failed" | "cancelled"}. */
static void
print_json_error (const char *message,
                  const char *kind)
{
  g_autoptr(JsonBuilder) b = NULL;

  if (!json_errors || json_printed)
    return;
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "command");
  json_builder_add_string_value (b, command_name);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, kind);
  json_builder_end_object (b);
  ngam_cli_print_json (b);
  json_printed = TRUE;
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
  print_json_error (msg, "usage");
  return NGAM_EXIT_USAGE;
}

static gboolean
is_cancellation (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, NGAM_NET_ERROR, NGAM_NET_ERROR_CANCELLED) ||
         g_error_matches (error, NGAM_IO_ERROR, NGAM_IO_ERROR_CANCELLED) ||
         g_error_matches (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_CANCELLED);
}

/* Marks the JSON on stdout as printed already (import's report, which
 * carries its error), so that a failure adds no second document. */
void
ngam_cli_json_printed (void)
{
  json_printed = TRUE;
}

/* Prints the error and returns the failure status; takes @error.  Every
 * command's errors read "ngam-batch COMMAND: message"; a cancellation
 * reads the same in every command. */
int
ngam_cli_fail (GError *error)
{
  g_autofree char *msg = NULL;

  if (error && is_cancellation (error))
    msg = g_strdup_printf ("%s cancelled: %s", command_name,
                           strcmp (command_name, "sample") == 0 ? "nothing was written"
                           : strcmp (command_name, "steiner") == 0 ? "no tree was printed"
                           : "the project is unchanged");
  else
    msg = g_strdup (error ? error->message : "failed");
  fprintf (stderr, "ngam-batch %s: %s\n", command_name, msg);
  print_json_error (msg, error && is_cancellation (error) ? "cancelled" : "failed");
  g_clear_error (&error);
  return NGAM_EXIT_FAILURE;
}

/* As ngam_cli_fail(), with the way out when an output exists. */
int
ngam_cli_fail_exists (GError *error)
{
  if (error && (g_error_matches (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_EXISTS) ||
                g_error_matches (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_EXISTS)) &&
      strstr (error->message, "already exists"))
    {
      char *msg = g_strdup_printf ("%s (--force replaces it)", error->message);

      g_free (error->message);
      error->message = msg;
    }
  return ngam_cli_fail (error);
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

/* A --crs PROJ does not know is bad usage (exit 2), said before any file
 * is touched. */
gboolean
ngam_cli_check_crs (const char *command,
                    const char *crs,
                    int        *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamCrs) c = ngam_crs_new (crs, &error);

  if (c != NULL)
    return TRUE;
  *status = ngam_cli_usage (command, "--crs: %s", error->message);
  return FALSE;
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
  /* nan, inf and 1e300 parse, but are no place; 1e15 m is far beyond any
   * projected CRS */
  return end != text && *end == '\0' && isfinite (xy[0]) && isfinite (xy[1]) &&
         fabs (xy[0]) < 1e15 && fabs (xy[1]) < 1e15;
}
