/* ngam-sample-private.h — the demo town's layout, shared by its writers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The town is a pure function of (size, seed): every random choice is a
 * hash of the seed and of what it decides (a node, a line, a chunk of a
 * line), never a draw from a stream, so the writers can revisit any part of
 * the layout in any order and always get the same answer.
 *
 * Local coordinates are metres east (u) and north (v) of the centre; the
 * writers add the centre in the project CRS.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The operators of the demo, in the order of their bits in a mask. */
typedef enum
{
  OP_VNPT,
  OP_VIETTEL,
  OP_FPT,
  OP_MOBIFONE,
  OP_SCTV,
  N_OPS
} SampleOperator;

extern const char *const sample_operator_names[N_OPS];
extern const char *const sample_operator_abbrev[N_OPS];

/* Street classes, from the widest. */
typedef enum
{
  CLASS_PRIMARY,
  CLASS_SECONDARY,
  CLASS_TERTIARY,
  CLASS_RESIDENTIAL,
  CLASS_ALLEY,
  N_CLASSES
} StreetClass;

extern const char *const sample_class_highway[N_CLASSES];

/* Per-node flags of the layout grid. */
enum
{
  NODE_EXISTS  = 1 << 0,
  NODE_E       = 1 << 1,  /* an edge to the next existing node east */
  NODE_N       = 1 << 2,  /* an edge to the next existing node north */
  NODE_E_CROSS = 1 << 3,  /* … which is a bridge or a citadel gate */
  NODE_N_CROSS = 1 << 4,
  NODE_E_RIVER = 1 << 5,  /* … over the river (else over the moat) */
  NODE_N_RIVER = 1 << 6,
  NODE_DEG_SHIFT = 8,     /* street degree, bits 8..11 */
};

/* Hash tags: one per kind of decision, so decisions never share bits. */
enum
{
  TAG_TOWN = 1, TAG_COL_W, TAG_ROW_H, TAG_JIT_X, TAG_JIT_Y, TAG_SHAPE,
  TAG_CLASS, TAG_WIDTH, TAG_SURFACE, TAG_NAME, TAG_DROP, TAG_ALLEY,
  TAG_ALLEY_T, TAG_ALLEY_L, TAG_ALLEY_S, TAG_OPS, TAG_CABLE, TAG_OWNER,
  TAG_POLE, TAG_DUCT, TAG_DEMAND, TAG_SITE, TAG_WARD, TAG_SLIDE,
  TAG_BRIDGE, TAG_GATE, TAG_TOMB, TAG_SIDEWALK,
};

typedef struct
{
  double u, v, r;          /* centre and mean radius */
  double level;
  double radius[48];       /* star-shaped outline */
} SampleBlob;

typedef struct
{
  guint    size;
  guint64  seed;
  guint64  key;            /* the seed, mixed */

  guint    nx, ny;         /* grid lines: columns, rows */
  double  *col_x;          /* u of each column line */
  double  *row_y;          /* v of each row line */
  guint16 *flags;          /* nx × ny */
  double   half_w, half_h; /* town half extents (superellipse) */
  double   bbox[4];        /* local extent of everything, with margin */

  /* the Perfume River: v = river_v0 + river_slope u + meanders */
  double   river_v0, river_slope, river_w;
  double   river_amp[2], river_len[2], river_phase[2];

  /* the citadel (Kinh Thành): a square with a moat; the Imperial City
   * (Hoàng Thành) inside it */
  double   cit_u, cit_v, cit_half, moat_w;
  double   imp_u, imp_v, imp_half;

  /* the festival quarter and the VNPT duct quarter */
  double   fest_u, fest_v, fest_r, duct_r;

  SampleBlob *slides;      /* landslide zones on the south-west hills */
  guint    n_slides;

  guint   *bridge_cols;    /* columns allowed to cross the river */
  guint    n_bridge_cols;

  guint    intersections;  /* streets meeting at ≥ 3, alley junctions included */
  guint    alleys;
} NgamSampleTown;

/* Deterministic hashing (splitmix64's finaliser). */
static inline guint64
ngam_sample_mix (guint64 z)
{
  z += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static inline guint64
ngam_sample_hash (const NgamSampleTown *t, guint tag, guint64 a, guint64 b, guint64 c)
{
  return ngam_sample_mix (t->key ^ ngam_sample_mix (((guint64) tag << 40) ^ ngam_sample_mix (a ^ ngam_sample_mix (b ^ ngam_sample_mix (c)))));
}

/* A uniform double in [0, 1). */
static inline double
ngam_sample_u01 (const NgamSampleTown *t, guint tag, guint64 a, guint64 b, guint64 c)
{
  return (ngam_sample_hash (t, tag, a, b, c) >> 11) * (1.0 / 9007199254740992.0);
}

static inline guint16
ngam_sample_flags (const NgamSampleTown *t, guint i, guint j)
{
  return t->flags[(gsize) j * t->nx + i];
}

NgamSampleTown *ngam_sample_town_new            (guint size, guint64 seed);
void        ngam_sample_town_free           (NgamSampleTown *t);

void        ngam_sample_town_node           (const NgamSampleTown *t, guint i, guint j, double *u, double *v);
gboolean    ngam_sample_town_contains       (const NgamSampleTown *t, double u, double v);
double      ngam_sample_town_river_v        (const NgamSampleTown *t, double u);
gboolean    ngam_sample_town_in_river       (const NgamSampleTown *t, double u, double v);
gboolean    ngam_sample_town_in_citadel     (const NgamSampleTown *t, double u, double v);
gboolean    ngam_sample_town_in_moat        (const NgamSampleTown *t, double u, double v);
gboolean    ngam_sample_town_in_imperial    (const NgamSampleTown *t, double u, double v);
gboolean    ngam_sample_town_is_land        (const NgamSampleTown *t, double u, double v);
gboolean    ngam_sample_town_on_hills       (const NgamSampleTown *t, double u, double v);

/* Lines: is_col selects a column (runs north) or a row (runs east). */
StreetClass ngam_sample_town_line_class     (const NgamSampleTown *t, gboolean is_col, guint line);
double      ngam_sample_town_line_width     (const NgamSampleTown *t, gboolean is_col, guint line);
double      ngam_sample_town_line_sidewalk  (const NgamSampleTown *t, gboolean is_col, guint line);
char       *ngam_sample_town_line_name      (const NgamSampleTown *t, gboolean is_col, guint line, guint chunk,
                                        gboolean in_citadel);

/* Which operators hang cable on a chunk of a line (a bit mask). */
guint       ngam_sample_town_aerial_mask    (const NgamSampleTown *t, gboolean is_col, guint line, guint chunk);
gboolean    ngam_sample_town_ducted         (const NgamSampleTown *t, gboolean is_col, guint line, guint chunk,
                                        double mid_u, double mid_v);
gboolean    ngam_sample_town_festival       (const NgamSampleTown *t, gboolean is_col, guint line,
                                        double mid_u, double mid_v);

/* Chunks: a line changes name, operators and cables every few blocks. */
#define SAMPLE_CHUNK 12

/* A dead-end alley (kiệt) off a row edge, if the edge has one. */
gboolean    ngam_sample_town_alley          (const NgamSampleTown *t, guint i, guint j,
                                        const double a[2], const double b[2],
                                        double junction[2], double end[2]);

char       *ngam_sample_town_crossing_name  (const NgamSampleTown *t, gboolean is_col, guint line,
                                        double mid_u, double mid_v, gboolean river);

/* Names. */
const char *ngam_sample_name_bridge         (guint k);
const char *ngam_sample_name_gate           (guint k);
const char *ngam_sample_name_ward           (gboolean north, guint k);
const char *ngam_sample_name_slide          (guint k);
const char *ngam_sample_name_tomb           (guint k);
const char *ngam_sample_name_street         (guint k, gboolean in_citadel, guint *n);

G_END_DECLS
