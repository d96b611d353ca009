/* ngam-sample.h — the deterministic Huế-like demo town
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ngam-store.h"

G_BEGIN_DECLS

#define NGAM_SAMPLE_ERROR (ngam_sample_error_quark ())

typedef enum
{
  NGAM_SAMPLE_ERROR_INVALID,   /* options out of range */
  NGAM_SAMPLE_ERROR_CRS,       /* the project is not in a CRS the town can be laid out in */
} NgamSampleError;

/**
 * NgamSampleOptions:
 * @size: number of street intersections wanted (a few hundred to 10^6)
 * @seed: random seed; same seed and size give the same bytes
 */
typedef struct
{
  guint   size;
  guint64 seed;
} NgamSampleOptions;

GQuark   ngam_sample_error_quark (void);

/* Writes the whole town into @store (which should be empty) in one
 * transaction: all or nothing. */
gboolean ngam_sample_generate (NgamStore               *store,
                               const NgamSampleOptions *options,
                               NgamProgressFunc         progress,
                               gpointer                 progress_data,
                               GCancellable            *cancellable,
                               GError                 **error);

G_END_DECLS
