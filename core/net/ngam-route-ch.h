/* ngam-route-ch.h — contraction hierarchy for many-to-many costs
 * (internal to core/net)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ngam-graph.h"
#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _NgamCH NgamCH;

/* Contracts the graph under @cost (one cost per edge, INFINITY for an edge
 * that may not be used).  NULL when cancelled or refused for memory. */
NgamCH  *ngam_ch_build        (const NgamGraph *graph, const double *cost, NgamProgressFunc progress,
                               gpointer progress_data, GCancellable *cancellable, GError **error);
void     ngam_ch_free         (NgamCH *ch);
guint64  ngam_ch_n_shortcuts  (const NgamCH *ch);
double   ngam_ch_seconds      (const NgamCH *ch);

/* The @n_sources × @n_targets least costs (row per source, INFINITY when
 * unreachable) by the bucket method.  FALSE only when cancelled. */
gboolean ngam_ch_many_to_many (const NgamCH *ch, const guint *sources, guint n_sources, const guint *targets,
                               guint n_targets, double *matrix, NgamProgressFunc progress,
                               gpointer progress_data, GCancellable *cancellable);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamCH, ngam_ch_free)

G_END_DECLS
