/* ngam-result-table.h — a table of a run's figures (GtkColumnView)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkColumnView *ngam_result_table_new       (const char *const *titles, guint numeric_columns);
void           ngam_result_table_clear     (GtkColumnView *view);
void           ngam_result_table_add_row   (GtkColumnView *view, const char *first, ...) G_GNUC_NULL_TERMINATED;
guint          ngam_result_table_get_n_rows (GtkColumnView *view);
const char    *ngam_result_table_get_cell  (GtkColumnView *view, guint row, guint column);

char          *ngam_format_vnd             (double vnd);
char          *ngam_format_number          (double value, int decimals);
double         ngam_parse_number           (const char *text);

G_END_DECLS
