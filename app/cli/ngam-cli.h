/* ngam-cli.h — the batch CLI's commands and their shared helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each subcommand parses its arguments, calls core, and prints; no logic
 * the desktop app would need lives here.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ngam-core.h"

G_BEGIN_DECLS

/* Exit statuses, as DESIGN.md says. */
enum { NGAM_EXIT_OK = 0, NGAM_EXIT_FAILURE = 1, NGAM_EXIT_USAGE = 2 };

typedef int (*NgamCliRun) (int argc, char **argv);

typedef struct
{
  const char *name;
  const char *args;     /* for the usage line */
  const char *summary;
  NgamCliRun  run;
} NgamCliCommand;

int       ngam_cli_main          (int argc, char **argv);

/* Parses options; on bad usage prints the error and the help hint. */
gboolean  ngam_cli_parse         (GOptionContext *context, int *argc, char ***argv, int *status);
GOptionContext *ngam_cli_context (const char *command, const char *args, const char *summary);
int       ngam_cli_fail          (GError *error);
int       ngam_cli_fail_exists   (GError *error);
void      ngam_cli_json_printed  (void);
int       ngam_cli_usage         (const char *command, const char *fmt, ...) G_GNUC_PRINTF (2, 3);
void      ngam_cli_print_json    (JsonBuilder *builder);
NgamProgressFunc ngam_cli_progress_func (gpointer *user_data, const char *label);
void      ngam_cli_progress_done (gpointer user_data);
gboolean  ngam_cli_parse_xy      (const char *text, double xy[2]);
gboolean  ngam_cli_check_crs     (const char *command, const char *crs, int *status);
GCancellable *ngam_cli_cancellable (void);

int ngam_cli_new      (int argc, char **argv);
int ngam_cli_info     (int argc, char **argv);
int ngam_cli_sample   (int argc, char **argv);
int ngam_cli_import   (int argc, char **argv);
int ngam_cli_graph    (int argc, char **argv);
int ngam_cli_route    (int argc, char **argv);
int ngam_cli_steiner  (int argc, char **argv);
int ngam_cli_export   (int argc, char **argv);
int ngam_cli_plan     (int argc, char **argv);
int ngam_cli_scenarios (int argc, char **argv);
int ngam_cli_compare  (int argc, char **argv);
int ngam_cli_gaps     (int argc, char **argv);
int ngam_cli_report   (int argc, char **argv);

G_END_DECLS
