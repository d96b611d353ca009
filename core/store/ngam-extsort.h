/* ngam-extsort.h — sorting more fixed-size records than memory should hold
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _NgamExtSort NgamExtSort;

/* Sorts @n records of the sorter's size in place. */
typedef void (*NgamExtSortFunc) (void *records, gsize n, gpointer user_data);
/* Orders two records as the sort function does: < 0, 0, > 0. */
typedef int (*NgamExtCompareFunc) (const void *a, const void *b, gpointer user_data);

NgamExtSort *ngam_ext_sort_new      (gsize               record_size,
                                     gsize               memory,
                                     NgamExtSortFunc     sort,
                                     NgamExtCompareFunc  compare,
                                     gpointer            user_data);
void         ngam_ext_sort_reserve  (NgamExtSort        *s,
                                     guint64             n);
gboolean     ngam_ext_sort_add      (NgamExtSort        *s,
                                     const void         *record,
                                     GError            **error);
gboolean     ngam_ext_sort_finish   (NgamExtSort        *s,
                                     GError            **error);
gboolean     ngam_ext_sort_next     (NgamExtSort        *s,
                                     void               *record,
                                     GError            **error);
guint64      ngam_ext_sort_count    (const NgamExtSort  *s);
guint        ngam_ext_sort_runs     (const NgamExtSort  *s);
void         ngam_ext_sort_free     (NgamExtSort        *s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamExtSort, ngam_ext_sort_free)

int          ngam_pio_all           (int                 fd,
                                     gboolean            write,
                                     void               *buf,
                                     gsize               len,
                                     guint64             offset);

G_END_DECLS
