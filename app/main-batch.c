/* main-batch.c — ngam-batch, the unattended CLI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ngam-cli.h"

int
main (int    argc,
      char **argv)
{
  return ngam_cli_main (argc, argv);
}
