/* ngam-cover-private.h — shared internals of core/cover
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <math.h>

#include "ngam-gaps.h"
#include "ngam-graph.h"

G_BEGIN_DECLS

/* ---- settings (ngam-cover-settings.c) -------------------------------- */

typedef enum
{
  COVER_ENV_DENSE_URBAN,
  COVER_ENV_URBAN,
  COVER_ENV_RURAL,
  COVER_N_ENV
} CoverEnv;

typedef struct
{
  double persons_per_household;
  double max_drop_m;
  double max_snap_m;
  double sector_beamwidth_deg;
  int    circle_quadrant_segments;
  int    environment;                /* CoverEnv, or -1 for auto */
  double environment_radius_m;
  double dense_urban_households_per_km2;
  double urban_households_per_km2;
  double range_m[NGAM_GAPS_N_MOBILE][COVER_N_ENV];
  double gap_radius_m;
  double union_tile_pieces;
  double fibre_extension_vnd_per_m;
  double fibre_drop_vnd_per_household;
  double household_value_vnd;
  double cluster_size_m;
  int    fibre_proposals;
  int    steiner_max_starts;
  int    mobile_proposals;
  double mobile_min_population;
  double candidate_spacing_m;
  double candidate_grid_m;
  gboolean flood_breaks_underground;
  gboolean landslide_breaks_underground;
} CoverSettings;

gboolean   cover_settings_load     (CoverSettings *s, NgamStore *store, const char *scenario,
                                    const char *overrides, char **used_text, GError **error);

/* ---- a uniform grid over boxes, for point and range queries ----------- */

typedef struct
{
  double  x0, y0, cs;
  guint   nx, ny;
  guint  *cell_start;    /* nx × ny + 1 */
  guint  *items;
  guint  *big;           /* boxes too large for the grid, checked every time */
  guint  *first;         /* 2 × n: the first cell (x, y) of each box */
  guint   n_big;
} CoverGrid;

CoverGrid *cover_grid_new          (const double *boxes, guint n, double cell_size);
void       cover_grid_free         (CoverGrid *grid);
/* Appends to @out (guint) the boxes whose cells meet @bbox (a superset of
 * those that meet it), each once, in an order fixed by the grid. */
void       cover_grid_query        (const CoverGrid *grid, const double bbox[4], GArray *out);

/* ---- the analysis's data ---------------------------------------------- */

/* One circle or sector of one cell (mobile). */
typedef struct
{
  double  x, y, r;
  double  az, bw;     /* compass degrees; bw ≥ 360 for an omni circle */
  gint64  fid;
  guint8  tech;       /* 0 … 3: 2G … 5G */
  gint16  op;         /* index into operators, or -1 */
} CoverPiece;

typedef struct
{
  double  x, y;
  gint64  fid;
  guint   households;
  int     ward;          /* index into wards, -1 for "no ward" */
  guint8  covered;       /* NgamGapsTech bits of the mobile technologies */
  guint8  fibre;         /* within fibre reach */
  /* on the street graph */
  guint   edge;          /* G_MAXUINT when farther than max_snap_m */
  double  t, lateral;
} CoverDemand;

typedef struct
{
  gint64  fid;
  char   *name;
  char   *code;
  GEOSGeometry *geom;
  const GEOSPreparedGeometry *prep;
} CoverWard;

/* A fibre access point: a pole or a manhole on a fibre span or route. */
typedef struct
{
  double  x, y;
  gint64  fid;
  guint8  is_manhole;
  gint16  op;
  guint   plant_node;    /* its node in the fibre plant graph */
  guint   edge;          /* on the street graph, G_MAXUINT if too far */
  double  t, lateral;
} CoverAccess;

/* The fibre plant as a graph: nodes are span ends and route vertices (per
 * operator), edges the spans and route segments. */
typedef struct
{
  guint   n_nodes;
  GArray *node_xy;       /* double pairs */
  GArray *node_op;       /* gint16 */
  GArray *edges;         /* CoverPlantEdge */
  guint  *component;     /* per node, of the intact plant */
} CoverPlant;

typedef struct
{
  guint   u, v;
  gint64  fid;           /* the span or route */
  guint8  aerial;
  guint8  is_route;
  double  length;
} CoverPlantEdge;

typedef struct
{
  /* inputs */
  NgamStore       *store;
  CoverSettings    set;
  guint            techs;
  int              area_ward;        /* -1: all */
  GPtrArray       *operators;        /* char *, sorted */
  GArray          *pieces;           /* CoverPiece */
  guint            n_sites[NGAM_GAPS_N_MOBILE];
  GArray          *demand;           /* CoverDemand */
  GPtrArray       *wards;            /* CoverWard * */
  GArray          *access;           /* CoverAccess */
  CoverPlant       plant;
  NgamGraph       *graph;
  GPtrArray       *notes;            /* char *: absent indicators, skipped input */
  GArray          *skipped_sites;    /* gint64 fids of sites without a range */
  guint            n_no_households;  /* demand points without a household count */
  gint64           n_sites_total;
  /* outputs */
  GEOSGeometry    *coverage[NGAM_GAPS_N_MOBILE];
  guint8          *op_covered;       /* n_demand × n_ops: mobile bits per operator */
  guint8          *op_fibre;         /* n_demand × n_ops: fibre reach per operator */
  JsonBuilder     *json;
  GPtrArray       *features;         /* CoverFeature * to store */
  /* progress */
  NgamProgressFunc progress;
  gpointer         progress_data;
  GCancellable    *cancellable;
} CoverRun;

/* One result feature, owned (ngam-cover-write.c stores them). */
typedef struct
{
  const char *layer;
  char       *ward;
  char       *operator_name;
  double      cost;
  char       *attrs;
  GEOSGeometry *geom;
} CoverFeature;

void       cover_feature_free      (gpointer data);
void       cover_run_add_feature   (CoverRun *run, const char *layer, const char *ward, const char *op,
                                    double cost, JsonBuilder *attrs, GEOSGeometry *geom);
void       cover_run_add_feature_text (CoverRun *run, const char *layer, const char *ward, const char *op,
                                       double cost, char *attrs, GEOSGeometry *geom);
void       cover_run_note          (CoverRun *run, const char *fmt, ...) G_GNUC_PRINTF (2, 3);
gboolean   cover_run_check_cancel  (CoverRun *run, GError **error);
void       cover_run_progress      (CoverRun *run, double fraction, const char *message);
gboolean   cover_geos_fail         (GError **error, const char *what);
double     cover_population        (const CoverRun *run, guint households);
int        cover_run_operator      (CoverRun *run, const char *name);

/* ---- mobile (ngam-cover-mobile.c, ngam-cover-union.c) ----------------- */

int        cover_tech_from_radio   (const char *radio);
gboolean   cover_load_sites        (CoverRun *run, GError **error);
gboolean   cover_piece_contains    (const CoverPiece *p, int quadrant_segments, double x, double y);
GEOSGeometry *cover_piece_polygon  (const CoverPiece *p, int quadrant_segments);
gboolean   cover_mobile_demand     (CoverRun *run, GError **error);
GEOSGeometry *cover_union_pieces   (const CoverPiece *pieces, guint n, int quadrant_segments,
                                    double tile_pieces, GCancellable *cancellable, GError **error);
gboolean   cover_mobile_union      (CoverRun *run, GError **error);

/* ---- fibre (ngam-cover-fibre.c) --------------------------------------- */

gboolean   cover_load_fibre        (CoverRun *run, GError **error);
void       cover_plant_clear       (CoverPlant *plant);
/* Which demand points are within the drop limit of a live access point
 * along the streets (one multi-source search). */
void       cover_fibre_reach       (CoverRun *run, const guint8 *live, int op, const double *seed_box,
                                    const GArray *subset, guint8 *reach);
void       cover_fibre_sort_access (CoverRun *run);
/* Which access points still have a feed when the plant edges flagged in
 * @failed (and the access points flagged in @ap_failed) are gone. */
void       cover_fibre_live        (CoverRun *run, const guint8 *edge_failed, const guint8 *ap_failed,
                                    guint8 *live);
/* The multi-source search itself, over the graph's CSR arrays. */
void       cover_graph_multi_source (const NgamGraph *g, const guint *seed_edge, const double *seed_t,
                                     const double *seed_add, guint n_seeds, double limit, double *dist);
double     cover_located_distance  (const NgamGraph *g, const double *dist, guint edge, double t);

/* ---- indicators, gaps, hazards, proposals ----------------------------- */

gboolean   cover_load_wards        (CoverRun *run, GError **error);
gboolean   cover_indicators        (CoverRun *run, GError **error);
gboolean   cover_hazards           (CoverRun *run, guint hazards, double flood_depth, GError **error);
gboolean   cover_proposals         (CoverRun *run, GError **error);
gboolean   cover_write_results     (CoverRun *run, const char *scenario, const char *settings,
                                    const char *summary, gint64 *run_id, gint64 *n_features,
                                    GError **error);

/* A cursor's next row: FALSE at the end, or on failure with *ok FALSE. */
static inline gboolean
cover_cursor_next (NgamStoreCursor *cur,
                   gboolean        *ok,
                   GError         **error)
{
  GError *local = NULL;

  if (ngam_store_cursor_next (cur, &local))
    return TRUE;
  if (local)
    {
      g_propagate_error (error, local);
      *ok = FALSE;
    }
  return FALSE;
}

/* GEOS 3.11 has no GEOSPreparedIntersectsXY_r. */
int        cover_prepared_intersects_xy (const GEOSPreparedGeometry *prep, double x, double y);

/* JSON helpers */
static inline void
cover_json_int (JsonBuilder *b, const char *name, gint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

static inline void
cover_json_double (JsonBuilder *b, const char *name, double v)
{
  json_builder_set_member_name (b, name);
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

static inline void
cover_json_string (JsonBuilder *b, const char *name, const char *v)
{
  json_builder_set_member_name (b, name);
  if (v)
    json_builder_add_string_value (b, v);
  else
    json_builder_add_null_value (b);
}

G_END_DECLS
