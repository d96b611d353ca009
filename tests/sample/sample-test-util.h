/* sample-test-util.h — what the demo-town and export tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test program works in one temporary folder, made by
 * sample_test_init() and removed by sample_test_run() after the tests.
 */
#pragma once

#include "ngam-core.h"

G_BEGIN_DECLS

void       sample_test_init  (int *argc, char ***argv);
char      *sample_test_path  (const char *name);
char      *sample_test_town  (const char *name, guint size, guint64 seed);
NgamStore *sample_test_open  (const char *path);
int        sample_test_run   (void);

G_END_DECLS
