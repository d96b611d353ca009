/* ngam-sample-gen.h — the demo generator's writing machinery
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the files that write the demo town's layers: the generator
 * state, the walk over the layout's streets, runs of streets that become
 * one feature (cable routes, festival streets), and feature helpers.
 */
#pragma once

#include <gio/gio.h>

#include "ngam-sample.h"
#include "ngam-sample-private.h"
#include "ngam-store.h"

G_BEGIN_DECLS

#define SAMPLE_SOURCE_FILE "ngam-sample"

typedef struct _SampleGen SampleGen;

/* One street of the grid, from node a to node b along a line. */
typedef struct
{
  gboolean is_col;
  guint    line;        /* the column or row index */
  guint    pos;         /* a's index along the line */
  guint    ai, aj, bi, bj;
  double   a[2], b[2];  /* local coordinates */
  gboolean cross;       /* a bridge or a citadel gate */
  gboolean river;       /* … over the river */
} SampleEdge;

typedef gboolean (*SampleEdgeFunc) (SampleGen *g, const SampleEdge *e, GError **error);
typedef void     (*SampleNodeFunc) (SampleGen *g, guint i, guint j);
typedef gboolean (*SampleRowFunc)  (SampleGen *g, guint j, GError **error);

/* A run of consecutive edges along a line (a cable route, a festival
 * street), written as one feature when it ends. */
typedef struct
{
  GArray  *xy;          /* local coordinates */
  gboolean is_col;
  guint    line, start, end, chunk;
  guint    op;
} SamplePath;

typedef gboolean (*SamplePathFunc) (SampleGen *g, SamplePath *p, GError **error);

struct _SampleGen
{
  NgamStore        *store;
  NgamSampleTown       *t;
  double            x0, y0;            /* the centre in the project CRS */
  NgamProgressFunc  progress;
  gpointer          progress_data;
  GCancellable     *cancellable;
  double            p_start, p_span;
  const char       *p_message;

  NgamFeature      *f[NGAM_N_LAYERS];
  NgamStoreWriter  *w[NGAM_N_LAYERS];
  NgamShape        *scratch;
  GEOSGeometry     *clip;              /* the town's extent, for zones */

  guint64           seq_pole[3], seq_span[N_OPS], seq_route[N_OPS + 1], seq_duct, seq_manhole;

  /* per pass: paths of the current row, and of every column */
  SamplePath       *row_paths;
  SamplePath       *col_paths;
  guint             n_kinds;           /* paths per line */
  SamplePathFunc    flush;

  /* aerial pass: fid of the corner pole of the last node of each column */
  gint64           *fid_col;
  gint64            fid_a;
};

/* features */
void         ngam_sample_set_text       (NgamFeature *f, const char *name, const char *value);
void         ngam_sample_set_int        (NgamFeature *f, const char *name, gint64 value);
void         ngam_sample_set_real       (NgamFeature *f, const char *name, double value);
void         ngam_sample_set_bool       (NgamFeature *f, const char *name, gboolean value);
NgamFeature *ngam_sample_feature_begin  (SampleGen *g, NgamLayerKind kind, const char *operator_name);
gboolean     ngam_sample_feature_add    (SampleGen *g, NgamFeature *f, gint64 *fid, GError **error,
                                    const char *key_format, ...) G_GNUC_PRINTF (5, 6);
void         ngam_sample_shape_point    (SampleGen *g, NgamFeature *f, double u, double v);
void         ngam_sample_shape_line_to  (SampleGen *g, NgamShape *s, const double *uv, guint n);
void         ngam_sample_shape_line     (SampleGen *g, NgamFeature *f, const double *uv, guint n);
gboolean     ngam_sample_open_writers   (SampleGen *g, GError **error, NgamLayerKind first, ...);
gboolean     ngam_sample_close_writers  (SampleGen *g, GError **error);

/* walking the layout */
gboolean     ngam_sample_check_cancel   (SampleGen *g, GError **error);
void         ngam_sample_report         (SampleGen *g, double fraction);
gboolean     ngam_sample_walk           (SampleGen *g, SampleNodeFunc node, SampleEdgeFunc edge,
                                    SampleRowFunc row_end, GError **error);

/* runs of streets */
void         ngam_sample_paths_init     (SampleGen *g, guint n_kinds, SamplePathFunc flush);
void         ngam_sample_paths_free     (SampleGen *g);
gboolean     ngam_sample_path_extend    (SampleGen *g, const SampleEdge *e, guint kind, guint op,
                                    const double *uv, guint n, GError **error);
gboolean     ngam_sample_path_stop      (SampleGen *g, const SampleEdge *e, guint kind, GError **error);
gboolean     ngam_sample_paths_row_end  (SampleGen *g, guint j, GError **error);
gboolean     ngam_sample_paths_finish   (SampleGen *g, GError **error);

/* areas */
void         ngam_sample_push           (GArray *a, double u, double v);
void         ngam_sample_push_square    (GArray *a, double cu, double cv, double half);
GEOSGeometry *ngam_sample_polygon_geos  (SampleGen *g, const GArray *const *rings, guint n_rings, GError **error);
gboolean     ngam_sample_add_area       (SampleGen *g, NgamFeature *f, GEOSGeometry *geom, GError **error,
                                    const char *key);

/* the passes, in the order they run */
gboolean     ngam_sample_write_streets  (SampleGen *g, GError **error);
gboolean     ngam_sample_write_aerial   (SampleGen *g, GError **error);
gboolean     ngam_sample_write_ducts    (SampleGen *g, GError **error);
gboolean     ngam_sample_write_demand   (SampleGen *g, GError **error);
gboolean     ngam_sample_write_zones    (SampleGen *g, GError **error);
gboolean     ngam_sample_write_admin    (SampleGen *g, GError **error);
gboolean     ngam_sample_write_sites    (SampleGen *g, GError **error);

G_END_DECLS
