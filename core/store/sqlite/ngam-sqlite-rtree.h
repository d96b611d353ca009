/* ngam-sqlite-rtree.h — packing a layer's SpatiaLite R*Tree after a bulk load
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ngam-extsort.h"
#include "ngam-sqlite-private.h"

G_BEGIN_DECLS

/* One R*Tree cell: a row's id and its MBR as the R*Tree stores it (float,
 * in column order xmin, xmax, ymin, ymax). */
typedef struct
{
  gint64 id;
  float  box[4];
} NgamRTreeCell;

typedef struct _NgamRTreePacker NgamRTreePacker;

NgamExtSort     *ngam_rtree_cells_new       (gsize memory);
void             ngam_rtree_cell_init       (NgamRTreeCell *cell, gint64 id, const double *bbox);

NgamRTreePacker *ngam_rtree_packer_new      (NgamStore *store, const char *table, NgamExtSort *cells,
                                             gsize memory, GError **error);
gpointer         ngam_rtree_packer_run      (gpointer packer);
gboolean         ngam_rtree_packer_write    (NgamRTreePacker *packer, GError **error);
guint64          ngam_rtree_packer_get_rows (NgamRTreePacker *packer);
void             ngam_rtree_packer_free     (NgamRTreePacker *packer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamRTreePacker, ngam_rtree_packer_free)

G_END_DECLS
