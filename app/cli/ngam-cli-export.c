/* ngam-cli-export.c — `ngam-batch export`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-batch"

#include "config.h"

#include "ngam-cli.h"

/* Being written (its issue is open); says so instead of pretending. */
int
ngam_cli_export (int    argc,
             char **argv)
{
  g_printerr ("ngam-batch export: not built yet\n");
  return NGAM_EXIT_FAILURE;
}
