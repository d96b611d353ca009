/* ngam-test-util.h — helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char       *ngam_test_tmpdir        (void);
const char *ngam_test_comma_locale  (void);
void        ngam_test_rmdir         (const char *dir);
const char *ngam_test_shared_data   (void);
char       *ngam_test_shared_path   (const char *relative);
const char *ngam_test_batch         (void);
int         ngam_test_run_batch     (char **out, char **err, const char *first_arg, ...) G_GNUC_NULL_TERMINATED;
int         ngam_test_run_batchv    (char **out, char **err, const char * const *args);
char       *ngam_test_sha256_file   (const char *path);
char       *ngam_test_sql_text      (const char *path, const char *sql);
guint       ngam_test_fuzz_rounds   (guint by_default);
GRand      *ngam_test_fuzz_rand     (guint32 salt);

G_END_DECLS
