/* ngam-sample-town.c — the demo town's layout: grid, river, citadel, lines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Huế, simplified: a street grid of varied blocks (120–175 m) whose nodes
 * are jittered, trimmed to a rounded town outline; the Perfume River (Sông
 * Hương) crosses it from north-west to south-east and is crossed only on a
 * few bridges; north of it the citadel (Kinh Thành), a square with a moat
 * that streets cross only at its ten gates, holds the Imperial City (Hoàng
 * Thành) where no street runs; landslide-prone hills lie to the south-west.
 *
 * Everything here is decided by hashing the seed with what is decided (see
 * ngam-sample-private.h), so the layout is the same whatever order the
 * writers visit it in.  Only the per-node flags are stored (two bytes a
 * node): which nodes exist, which edges leave them, and their degree.
 */
#define G_LOG_DOMAIN "ngam-sample"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-sample-private.h"

const char *const sample_operator_names[N_OPS] = { "VNPT", "Viettel", "FPT", "MobiFone", "SCTV" };
/* for codes: VNPT-S0000001, VTL-00012-L1 */
const char *const sample_operator_abbrev[N_OPS] = { "VNPT", "VTL", "FPT", "MBF", "SCTV" };

const char *const sample_class_highway[N_CLASSES] = {
  "primary", "secondary", "tertiary", "residential", "alley",
};

/* Intersections per grid node (crossings that survive the outline, the
 * river and the citadel, plus alley junctions) on a big town, and how
 * the town's edge lowers that on a small one: measured on the generator
 * itself, so that --size N gives about N intersections. */
#define INTERSECTIONS_PER_NODE 1.19
#define EDGE_LOSS      4.5
#define ALLEY_SHARE    0.45

typedef struct
{
  gboolean is_col;
  guint    line;
  int      side;            /* 0 south, 1 north, 2 west, 3 east */
  guint    plan;            /* index in gate_plan, for its name */
} Gate;

/* The citadel of Huế has ten gates; the same spread here. */
static const struct { int side; double at; } gate_plan[] = {
  { 0, -0.55 }, { 0, 0.0 }, { 0, 0.55 },
  { 1, -0.6 }, { 1, 0.3 },
  { 2, -0.35 }, { 2, 0.4 },
  { 3, -0.6 }, { 3, 0.0 }, { 3, 0.6 },
};

typedef struct
{
  NgamSampleTown pub;
  Gate       gates[G_N_ELEMENTS (gate_plan)];
  guint      n_gates;
  double     shape_phase[3];
} Town;

/* ---- geometry of the landscape ------------------------------------- */

double
ngam_sample_town_river_v (const NgamSampleTown *t,
                     double            u)
{
  return t->river_v0 + t->river_slope * u +
         t->river_amp[0] * sin (2 * G_PI * u / t->river_len[0] + t->river_phase[0]) +
         t->river_amp[1] * sin (2 * G_PI * u / t->river_len[1] + t->river_phase[1]);
}

gboolean
ngam_sample_town_in_river (const NgamSampleTown *t,
                      double            u,
                      double            v)
{
  return fabs (v - ngam_sample_town_river_v (t, u)) < t->river_w / 2;
}

gboolean
ngam_sample_town_in_citadel (const NgamSampleTown *t,
                        double            u,
                        double            v)
{
  return t->cit_half > 0 && fabs (u - t->cit_u) < t->cit_half && fabs (v - t->cit_v) < t->cit_half;
}

gboolean
ngam_sample_town_in_moat (const NgamSampleTown *t,
                     double            u,
                     double            v)
{
  double h = t->cit_half + t->moat_w;

  return t->cit_half > 0 && fabs (u - t->cit_u) < h && fabs (v - t->cit_v) < h &&
         !ngam_sample_town_in_citadel (t, u, v);
}

/* The Imperial City and a 20 m margin: no street, no pole, no house. */
gboolean
ngam_sample_town_in_imperial (const NgamSampleTown *t,
                         double            u,
                         double            v)
{
  double h = t->imp_half + 20;

  return t->imp_half > 0 && fabs (u - t->imp_u) < h && fabs (v - t->imp_v) < h;
}

/* A rounded, slightly irregular outline (a superellipse whose radius
 * wobbles with the angle), so that the town does not end in a rectangle. */
gboolean
ngam_sample_town_contains (const NgamSampleTown *t,
                      double            u,
                      double            v)
{
  const Town *town = (const Town *) t;
  double a = atan2 (v / t->half_h, u / t->half_w);
  double p = 2.6;
  double r = pow (fabs (u) / t->half_w, p) + pow (fabs (v) / t->half_h, p);
  double wobble = 1.0 + 0.07 * sin (3 * a + town->shape_phase[0]) +
                  0.05 * sin (5 * a + town->shape_phase[1]) + 0.03 * sin (9 * a + town->shape_phase[2]);

  return r < wobble;
}

/* Dry ground inside the town where a street, pole or house may stand. */
gboolean
ngam_sample_town_is_land (const NgamSampleTown *t,
                     double            u,
                     double            v)
{
  return ngam_sample_town_contains (t, u, v) && !ngam_sample_town_in_river (t, u, v) &&
         !ngam_sample_town_in_moat (t, u, v) && !ngam_sample_town_in_imperial (t, u, v);
}

gboolean
ngam_sample_town_on_hills (const NgamSampleTown *t,
                      double            u,
                      double            v)
{
  for (guint k = 0; k < t->n_slides; k++)
    {
      const SampleBlob *b = &t->slides[k];
      double du = u - b->u, dv = v - b->v;

      if (du * du + dv * dv < b->r * b->r * 0.9)
        return TRUE;
    }
  return FALSE;
}

void
ngam_sample_town_node (const NgamSampleTown *t,
                  guint             i,
                  guint             j,
                  double           *u,
                  double           *v)
{
  double x = t->col_x[i], y = t->row_y[j];
  /* The citadel was laid out on a plan: its streets are straighter. */
  double amp = ngam_sample_town_in_citadel (t, x, y) ? 2.0 : 6.0;

  *u = x + amp * (2 * ngam_sample_u01 (t, TAG_JIT_X, i, j, 0) - 1);
  *v = y + amp * (2 * ngam_sample_u01 (t, TAG_JIT_Y, i, j, 0) - 1);
}

/* ---- lines ---------------------------------------------------------- */

/* Main roads every eighth line, tertiary streets between them. */
StreetClass
ngam_sample_town_line_class (const NgamSampleTown *t,
                        gboolean          is_col,
                        guint             line)
{
  guint off = ngam_sample_hash (t, TAG_CLASS, is_col, 0, 0) % 8;

  switch ((line + off) % 8)
    {
    case 0: return CLASS_PRIMARY;
    case 4: return CLASS_SECONDARY;
    case 2:
    case 6: return CLASS_TERTIARY;
    default: return CLASS_RESIDENTIAL;
    }
}

double
ngam_sample_town_line_width (const NgamSampleTown *t,
                        gboolean          is_col,
                        guint             line)
{
  static const double lo[] = { 16, 11, 7, 4, 1.5 }, span[] = { 8, 4, 3, 3, 2 };
  StreetClass c = ngam_sample_town_line_class (t, is_col, line);
  double w = lo[c] + span[c] * ngam_sample_u01 (t, TAG_WIDTH, is_col, line, 0);

  return round (w * 2) / 2;   /* half metres, as surveyed */
}

double
ngam_sample_town_line_sidewalk (const NgamSampleTown *t,
                           gboolean          is_col,
                           guint             line)
{
  static const double lo[] = { 4, 3, 2, 1, 0 }, span[] = { 2, 1.5, 1, 1.5, 0 };
  StreetClass c = ngam_sample_town_line_class (t, is_col, line);
  double r = ngam_sample_u01 (t, TAG_SIDEWALK, is_col, line, 0);

  if (c == CLASS_RESIDENTIAL && r < 0.3)
    return 0;
  return round ((lo[c] + span[c] * ngam_sample_u01 (t, TAG_SIDEWALK, is_col, line, 1)) * 2) / 2;
}

/* Streets change name every few blocks, like real ones; long avenues keep
 * theirs three times as long. */
char *
ngam_sample_town_line_name (const NgamSampleTown *t,
                       gboolean          is_col,
                       guint             line,
                       guint             chunk,
                       gboolean          in_citadel)
{
  StreetClass c = ngam_sample_town_line_class (t, is_col, line);
  guint n;
  guint64 h;

  ngam_sample_name_street (0, in_citadel, &n);
  if (c == CLASS_PRIMARY)
    chunk /= 3;
  h = ngam_sample_hash (t, TAG_NAME, is_col, line, chunk * 2 + (in_citadel ? 1 : 0));
  return g_strdup (ngam_sample_name_street (h % n, in_citadel, NULL));
}

/* Who hangs cable on a chunk of a line: more operators on main roads; on
 * ducted chunks VNPT is underground already. */
guint
ngam_sample_town_aerial_mask (const NgamSampleTown *t,
                         gboolean          is_col,
                         guint             line,
                         guint             chunk)
{
  static const double p[N_OPS][4] = {
    { 0.80, 0.70, 0.55, 0.35 },   /* VNPT */
    { 0.75, 0.65, 0.50, 0.30 },   /* Viettel */
    { 0.55, 0.45, 0.30, 0.20 },   /* FPT */
    { 0.30, 0.25, 0.12, 0.06 },   /* MobiFone */
    { 0.50, 0.40, 0.25, 0.20 },   /* SCTV */
  };
  StreetClass c = ngam_sample_town_line_class (t, is_col, line);
  guint mask = 0;

  for (guint op = 0; op < N_OPS; op++)
    if (ngam_sample_u01 (t, TAG_OPS, is_col, line, chunk * 8 + op) < p[op][MIN (c, CLASS_RESIDENTIAL)])
      mask |= 1u << op;
  return mask;
}

/* VNPT's duct-and-manhole plant: main roads of the centre only (Huế's was
 * 29 km when the city ordered cables underground). */
gboolean
ngam_sample_town_ducted (const NgamSampleTown *t,
                    gboolean          is_col,
                    guint             line,
                    guint             chunk,
                    double            mid_u,
                    double            mid_v)
{
  double du = mid_u - t->fest_u, dv = mid_v - t->fest_v;

  return ngam_sample_town_line_class (t, is_col, line) <= CLASS_SECONDARY &&
         du * du + dv * dv < t->duct_r * t->duct_r &&
         ngam_sample_u01 (t, TAG_DUCT, is_col, line, chunk) < 0.85;
}

/* Festival streets: the main and tertiary streets of the quarter between
 * the citadel and the river, and those inside the citadel. */
gboolean
ngam_sample_town_festival (const NgamSampleTown *t,
                      gboolean          is_col,
                      guint             line,
                      double            mid_u,
                      double            mid_v)
{
  double du = mid_u - t->fest_u, dv = mid_v - t->fest_v;

  if (ngam_sample_town_line_class (t, is_col, line) > CLASS_TERTIARY)
    return FALSE;
  return du * du + dv * dv < t->fest_r * t->fest_r || ngam_sample_town_in_citadel (t, mid_u, mid_v);
}

/* ---- edges ---------------------------------------------------------- */

enum { CROSS_RIVER = 1, CROSS_MOAT = 2, CROSS_IMPERIAL = 4 };

/* What a straight street from a to b would cross.  Sampled every 8 m, after
 * cheap tests that settle most segments far from any water. */
static guint
segment_crossings (const NgamSampleTown                       *t,
                   double au, double av, double bu, double bv)
{
  double len = hypot (bu - au, bv - av);
  double ra = av - ngam_sample_town_river_v (t, au), rb = bv - ngam_sample_town_river_v (t, bu);
  double h = t->cit_half + t->moat_w + 1;
  guint n = (guint) ceil (len / 8) + 1;
  guint out = 0;
  gboolean near_river, near_citadel;

  if ((ra > 0) != (rb > 0))
    out |= CROSS_RIVER;
  if (ngam_sample_town_in_citadel (t, au, av) != ngam_sample_town_in_citadel (t, bu, bv))
    out |= CROSS_MOAT;
  near_river = MIN (fabs (ra), fabs (rb)) < t->river_w / 2 + len;
  near_citadel = t->cit_half > 0 &&
                 MAX (au, bu) > t->cit_u - h && MIN (au, bu) < t->cit_u + h &&
                 MAX (av, bv) > t->cit_v - h && MIN (av, bv) < t->cit_v + h;
  if (!near_river && !near_citadel)
    return out;
  for (guint k = 0; k <= n; k++)
    {
      double s = (double) k / n, u = au + s * (bu - au), v = av + s * (bv - av);

      if (near_river && ngam_sample_town_in_river (t, u, v))
        out |= CROSS_RIVER;
      if (near_citadel && ngam_sample_town_in_moat (t, u, v))
        out |= CROSS_MOAT;
      if (near_citadel && ngam_sample_town_in_imperial (t, u, v))
        out |= CROSS_IMPERIAL;
    }
  return out;
}

static const Gate *
find_gate (const Town *town,
           gboolean    is_col,
           guint       line,
           int         side)
{
  for (guint k = 0; k < town->n_gates; k++)
    if (town->gates[k].is_col == is_col && town->gates[k].line == line && town->gates[k].side == side)
      return &town->gates[k];
  return NULL;
}

static gboolean
is_bridge_col (const NgamSampleTown *t,
               guint             i)
{
  for (guint k = 0; k < t->n_bridge_cols; k++)
    if (t->bridge_cols[k] == i)
      return TRUE;
  return FALSE;
}

/* Decides the street from node a to node b (the next existing node along
 * a line, @skipped nodes between them lie in water).  Returns 0 for no
 * street, else NODE_E/N-style bits relative to 1: 1 a street, 2 a
 * crossing, 4 over the river. */
static guint
decide_edge (const Town                             *town,
             gboolean                                is_col,
             guint                                   line,
             guint                                   pos,
             double au, double av, double bu, double bv,
             guint                                   skipped)
{
  const NgamSampleTown *t = &town->pub;
  guint x = segment_crossings (t, au, av, bu, bv);
  StreetClass c;
  double drop;

  if (x & CROSS_IMPERIAL)
    return 0;
  if ((x & CROSS_RIVER) && (x & CROSS_MOAT))
    return 0;
  if (x & CROSS_RIVER)
    return is_col && is_bridge_col (t, line) && hypot (bu - au, bv - av) < 900 ? 1 | 2 | 4 : 0;
  if (x & CROSS_MOAT)
    {
      int side = is_col ? ((av + bv) / 2 < t->cit_v ? 0 : 1) : ((au + bu) / 2 < t->cit_u ? 2 : 3);

      return find_gate (town, is_col, line, side) ? 1 | 2 : 0;
    }
  if (skipped > 0)
    return 0;
  /* Perturb the grid: a few residential blocks merge, more on the hills. */
  c = ngam_sample_town_line_class (t, is_col, line);
  drop = c < CLASS_RESIDENTIAL ? 0
         : ngam_sample_town_on_hills (t, (au + bu) / 2, (av + bv) / 2) ? 0.30
         : ngam_sample_town_in_citadel (t, au, av) ? 0.0 : 0.04;
  if (drop > 0 && ngam_sample_u01 (t, TAG_DROP, is_col, line, pos) < drop)
    return 0;
  return 1;
}

/* Kiệt: a dead-end alley into the block north or south of a row edge.  It
 * stays within 42% of the block depth, so alleys from facing streets never
 * meet, and only leaves from row edges, so they never cross each other. */
gboolean
ngam_sample_town_alley (const NgamSampleTown *t,
                   guint             i,
                   guint             j,
                   const double      a[2],
                   const double      b[2],
                   double            junction[2],
                   double            end[2])
{
  double len = hypot (b[0] - a[0], b[1] - a[1]);
  double s, depth, along, reach, nu, nv, mid_u, mid_v;
  gboolean north;

  if (len < 80 || ngam_sample_u01 (t, TAG_ALLEY, i, j, 0) >= ALLEY_SHARE)
    return FALSE;
  north = ngam_sample_u01 (t, TAG_ALLEY_S, i, j, 0) < 0.5;
  if (north)
    depth = j + 1 < t->ny ? t->row_y[j + 1] - t->row_y[j] : 80;
  else
    depth = j > 0 ? t->row_y[j] - t->row_y[j - 1] : 80;
  s = 0.35 + 0.3 * ngam_sample_u01 (t, TAG_ALLEY_T, i, j, 0);
  along = 25 + ngam_sample_u01 (t, TAG_ALLEY_L, i, j, 0) * MAX (0, 0.42 * depth - 25);
  reach = MIN (along, 0.42 * depth);
  junction[0] = a[0] + s * (b[0] - a[0]);
  junction[1] = a[1] + s * (b[1] - a[1]);
  /* the unit normal, pointing north for an eastward edge */
  nu = -(b[1] - a[1]) / len;
  nv = (b[0] - a[0]) / len;
  if (!north)
    nu = -nu, nv = -nv;
  end[0] = junction[0] + reach * nu;
  end[1] = junction[1] + reach * nv;
  mid_u = (junction[0] + end[0]) / 2;
  mid_v = (junction[1] + end[1]) / 2;
  if (!ngam_sample_town_is_land (t, end[0], end[1]) || !ngam_sample_town_is_land (t, mid_u, mid_v))
    return FALSE;
  if (ngam_sample_town_in_citadel (t, junction[0], junction[1]) != ngam_sample_town_in_citadel (t, end[0], end[1]))
    return FALSE;
  return TRUE;
}

/* The name of a bridge (the one nearest the festival quarter is Trường
 * Tiền) or of a citadel gate.  Returns: (transfer full). */
char *
ngam_sample_town_crossing_name (const NgamSampleTown *t,
                           gboolean          is_col,
                           guint             line,
                           double            mid_u,
                           double            mid_v,
                           gboolean          river)
{
  const Town *town = (const Town *) t;

  if (river)
    {
      double d = fabs (t->col_x[line] - t->fest_u);
      guint rank = 0;
      const char *name;

      for (guint k = 0; k < t->n_bridge_cols; k++)
        {
          double dk = fabs (t->col_x[t->bridge_cols[k]] - t->fest_u);

          if (dk < d || (dk == d && t->bridge_cols[k] < line))
            rank++;
        }
      name = ngam_sample_name_bridge (rank);
      return name ? g_strdup (name) : g_strdup_printf ("Cầu số %u", rank + 1);
    }
  else
    {
      int side = is_col ? (mid_v < t->cit_v ? 0 : 1) : (mid_u < t->cit_u ? 2 : 3);
      const Gate *g = find_gate (town, is_col, line, side);

      return g_strdup (ngam_sample_name_gate (g ? g->plan : 0));
    }
}

/* ---- building the layout ------------------------------------------- */

static void
place_citadel (Town *town)
{
  NgamSampleTown *t = &town->pub;
  double gap = 160, top = 0.82 * t->half_h, base = -G_MAXDOUBLE;

  t->cit_half = CLAMP (0.16 * MIN (t->half_w, t->half_h) * 2, 150, 1150);
  t->moat_w = CLAMP (0.05 * t->cit_half, 25, 60);
  t->cit_u = -0.18 * t->half_w;
  /* north of the river, one street back from the bank */
  for (double u = t->cit_u - t->cit_half - t->moat_w; u <= t->cit_u + t->cit_half + t->moat_w; u += 10)
    base = MAX (base, ngam_sample_town_river_v (t, u) + t->river_w / 2 + gap);
  if (base + 2 * (t->cit_half + t->moat_w) > top)
    t->cit_half = (top - base) / 2 - t->moat_w;
  if (t->cit_half < 120)
    {
      t->cit_half = 0;   /* a town too small for a citadel */
      t->cit_u = t->cit_v = 0;
      return;
    }
  t->cit_v = base + t->moat_w + t->cit_half;
  t->imp_half = 0.28 * t->cit_half;
  if (t->imp_half < 60)
    t->imp_half = 0;
  t->imp_u = t->cit_u;
  t->imp_v = t->cit_v - 0.12 * t->cit_half;
}

/* Gate lines: the grid line nearest each planned gate position. */
static void
place_gates (Town *town)
{
  NgamSampleTown *t = &town->pub;

  if (t->cit_half == 0)
    return;
  for (guint k = 0; k < G_N_ELEMENTS (gate_plan); k++)
    {
      gboolean is_col = gate_plan[k].side <= 1;
      double want = (is_col ? t->cit_u : t->cit_v) + gate_plan[k].at * t->cit_half;
      const double *lines = is_col ? t->col_x : t->row_y;
      guint n = is_col ? t->nx : t->ny, best = 0;
      Gate g;

      for (guint l = 1; l < n; l++)
        if (fabs (lines[l] - want) < fabs (lines[best] - want))
          best = l;
      if (fabs (lines[best] - (is_col ? t->cit_u : t->cit_v)) > t->cit_half - 20)
        continue;
      g.is_col = is_col;
      g.line = best;
      g.side = gate_plan[k].side;
      g.plan = k;
      if (find_gate (town, g.is_col, g.line, g.side) == NULL)
        town->gates[town->n_gates++] = g;
    }
}

static void
place_bridges (Town *town)
{
  NgamSampleTown *t = &town->pub;
  guint nb = CLAMP (t->nx / 9, 2, 400);

  t->bridge_cols = g_new0 (guint, nb);
  for (guint k = 0; k < nb; k++)
    {
      double at = (k + 0.5 + 0.4 * (ngam_sample_u01 (t, TAG_BRIDGE, k, 0, 0) - 0.5)) * t->nx / nb;
      guint i = MIN ((guint) at, t->nx - 1);

      if (t->n_bridge_cols == 0 || t->bridge_cols[t->n_bridge_cols - 1] != i)
        t->bridge_cols[t->n_bridge_cols++] = i;
    }
}

static void
place_hills (Town *town)
{
  NgamSampleTown *t = &town->pub;
  double r = CLAMP (0.18 * MIN (t->half_w, t->half_h), 300, 3000);
  guint n = (guint) CLAMP (t->half_w * t->half_h / 3.0e6, 1, 36);

  t->slides = g_new0 (SampleBlob, n);
  for (guint k = 0; k < n; k++)
    {
      SampleBlob *b = &t->slides[t->n_slides];
      double limit;

      b->r = r * (0.7 + 0.5 * ngam_sample_u01 (t, TAG_SLIDE, k, 0, 0));
      b->u = -t->half_w * (0.2 + 0.6 * ngam_sample_u01 (t, TAG_SLIDE, k, 1, 0));
      b->v = -t->half_h * (0.2 + 0.6 * ngam_sample_u01 (t, TAG_SLIDE, k, 2, 0));
      /* south of the river, clear of its flood plain */
      limit = ngam_sample_town_river_v (t, b->u) - t->river_w / 2 - 1.1 * b->r - 150;
      b->v = MIN (b->v, limit);
      if (b->v < -1.1 * t->half_h)
        continue;
      b->level = ngam_sample_u01 (t, TAG_SLIDE, k, 3, 0) < 0.4 ? 3 : 2;
      for (guint m = 0; m < G_N_ELEMENTS (b->radius); m++)
        b->radius[m] = b->r * (0.75 + 0.25 * ngam_sample_u01 (t, TAG_SLIDE, k, 4, m));
      t->n_slides++;
    }
}

/* One pass over the grid, row by row: which nodes exist, which streets
 * join them, and how many streets meet at each node. */
static void
build_edges (Town *town)
{
  NgamSampleTown *t = &town->pub;
  g_autofree guint *last_j = g_new (guint, t->nx);   /* last existing node of each column */
  double *u = g_new (double, t->nx), *v = g_new (double, t->nx);
  double *lu = g_new (double, t->nx), *lv = g_new (double, t->nx);

  for (guint i = 0; i < t->nx; i++)
    last_j[i] = G_MAXUINT;
  for (guint j = 0; j < t->ny; j++)
    {
      guint prev = G_MAXUINT;

      for (guint i = 0; i < t->nx; i++)
        {
          guint16 *f = &t->flags[(gsize) j * t->nx + i];

          ngam_sample_town_node (t, i, j, &u[i], &v[i]);
          if (!ngam_sample_town_is_land (t, u[i], v[i]))
            continue;
          *f |= NODE_EXISTS;
          if (last_j[i] != G_MAXUINT)
            {
              guint e = decide_edge (town, TRUE, i, last_j[i], lu[i], lv[i], u[i], v[i], j - last_j[i] - 1);

              if (e)
                {
                  guint16 *g = &t->flags[(gsize) last_j[i] * t->nx + i];

                  *g |= NODE_N | (e & 2 ? NODE_N_CROSS : 0) | (e & 4 ? NODE_N_RIVER : 0);
                  *g += 1 << NODE_DEG_SHIFT;
                  *f += 1 << NODE_DEG_SHIFT;
                }
            }
          if (prev != G_MAXUINT)
            {
              guint e = decide_edge (town, FALSE, j, prev, u[prev], v[prev], u[i], v[i], i - prev - 1);

              if (e)
                {
                  guint16 *g = &t->flags[(gsize) j * t->nx + prev];
                  double a[2] = { u[prev], v[prev] }, b[2] = { u[i], v[i] }, junction[2], end[2];

                  *g |= NODE_E | (e & 2 ? NODE_E_CROSS : 0) | (e & 4 ? NODE_E_RIVER : 0);
                  *g += 1 << NODE_DEG_SHIFT;
                  *f += 1 << NODE_DEG_SHIFT;
                  if (!(e & 2) && ngam_sample_town_alley (t, prev, j, a, b, junction, end))
                    {
                      t->alleys++;
                      t->intersections++;
                    }
                }
            }
          prev = i;
          last_j[i] = j;
          lu[i] = u[i];
          lv[i] = v[i];
        }
    }
  for (gsize k = 0; k < (gsize) t->nx * t->ny; k++)
    if ((t->flags[k] >> NODE_DEG_SHIFT) >= 3)
      t->intersections++;
  g_free (u);
  g_free (v);
  g_free (lu);
  g_free (lv);
}

/**
 * ngam_sample_town_new:
 * @size: intersections wanted
 * @seed: the seed
 *
 * Lays the town out.  Memory: two bytes per grid node plus the line tables
 * (about 2.5 MB for 10^6 intersections).
 */
NgamSampleTown *
ngam_sample_town_new (guint   size,
                 guint64 seed)
{
  Town *town = g_new0 (Town, 1);
  NgamSampleTown *t = &town->pub;
  double nodes = size / INTERSECTIONS_PER_NODE;
  double total;

  t->size = size;
  t->seed = seed;
  t->key = ngam_sample_mix (seed ^ G_GUINT64_CONSTANT (0x4875e1a3c0ffee00));
  /* size = rate × nodes × (1 − loss / √nodes), solved by iteration */
  for (guint k = 0; k < 8; k++)
    nodes = size / (INTERSECTIONS_PER_NODE * MAX (0.3, 1 - EDGE_LOSS / sqrt (nodes)));
  t->ny = MAX (6, (guint) round (sqrt (nodes / 1.3)));
  t->nx = MAX (8, (guint) round (nodes / t->ny));

  t->col_x = g_new (double, t->nx);
  t->row_y = g_new (double, t->ny);
  total = 0;
  for (guint i = 0; i < t->nx; i++)
    {
      t->col_x[i] = total;
      total += 125 + 50 * ngam_sample_u01 (t, TAG_COL_W, i, 0, 0);
    }
  total = t->col_x[t->nx - 1];
  for (guint i = 0; i < t->nx; i++)
    t->col_x[i] -= total / 2;
  t->half_w = total / 2 + 40;
  total = 0;
  for (guint j = 0; j < t->ny; j++)
    {
      t->row_y[j] = total;
      total += 120 + 45 * ngam_sample_u01 (t, TAG_ROW_H, j, 0, 0);
    }
  total = t->row_y[t->ny - 1];
  for (guint j = 0; j < t->ny; j++)
    t->row_y[j] -= total / 2;
  t->half_h = total / 2 + 40;
  t->bbox[0] = t->col_x[0] - 300;
  t->bbox[1] = t->row_y[0] - 300;
  t->bbox[2] = t->col_x[t->nx - 1] + 300;
  t->bbox[3] = t->row_y[t->ny - 1] + 300;
  for (guint k = 0; k < 3; k++)
    town->shape_phase[k] = 2 * G_PI * ngam_sample_u01 (t, TAG_SHAPE, k, 0, 0);

  /* The Perfume River: north-west to south-east, meandering. */
  t->river_w = CLAMP (0.1 * t->half_h, 120, 300);
  t->river_slope = -0.12;
  t->river_v0 = -0.12 * t->half_h;
  t->river_amp[0] = 0.07 * t->half_h;
  t->river_len[0] = 1.6 * t->half_w;
  t->river_amp[1] = 0.025 * t->half_h;
  t->river_len[1] = 0.55 * t->half_w;
  for (guint k = 0; k < 2; k++)
    t->river_phase[k] = 2 * G_PI * ngam_sample_u01 (t, TAG_TOWN, 1, k, 0);

  place_citadel (town);
  place_gates (town);
  place_bridges (town);
  place_hills (town);

  /* The festival quarter: between the citadel's south face and the river. */
  if (t->cit_half > 0)
    {
      t->fest_u = t->cit_u + 0.3 * t->cit_half;
      t->fest_v = t->cit_v - t->cit_half - t->moat_w - 60;
      t->fest_r = CLAMP (1.1 * t->cit_half + 400, 600, 2200);
    }
  else
    {
      t->fest_u = 0;
      t->fest_v = ngam_sample_town_river_v (t, 0) + t->river_w / 2 + 100;
      t->fest_r = 500;
    }
  t->duct_r = CLAMP (0.22 * MIN (t->half_w, t->half_h), 700, 6000);

  t->flags = g_new0 (guint16, (gsize) t->nx * t->ny);
  build_edges (town);
  return t;
}

void
ngam_sample_town_free (NgamSampleTown *t)
{
  if (t == NULL)
    return;
  g_free (t->col_x);
  g_free (t->row_y);
  g_free (t->flags);
  g_free (t->slides);
  g_free (t->bridge_cols);
  g_free (t);
}
