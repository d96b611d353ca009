/* ngam-sample-areas.c — the demo town's zones, wards and cell sites
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-sample"

#include "config.h"

#include <math.h>

#include "ngam-sample-gen.h"

/* ---- zones ---------------------------------------------------------- */

/* A band along the river between two offsets from its centre line, cut
 * into pieces a few kilometres long so that each stays a modest polygon. */
static gboolean
river_band (SampleGen  *g,
            double      from,
            double      to,
            const char *type,
            const char *name,
            double      level,
            const char *key,
            GError    **error)
{
  const NgamSampleTown *t = g->t;
  double piece = 3000, step = 40;
  guint n_pieces = (guint) ceil ((t->bbox[2] - t->bbox[0]) / piece);

  for (guint k = 0; k < n_pieces; k++)
    {
      double u0 = t->bbox[0] + k * piece, u1 = MIN (t->bbox[2], u0 + piece);
      g_autoptr(GArray) ring = g_array_new (FALSE, FALSE, sizeof (double));
      const GArray *rings[] = { ring };
      g_autofree char *piece_key = g_strdup_printf ("%s/%u", key, k);
      GEOSGeometry *geom;
      NgamFeature *f;
      guint n = (guint) ceil ((u1 - u0) / step);

      for (guint m = 0; m <= n; m++)
        {
          double u = u0 + (u1 - u0) * m / n;

          ngam_sample_push (ring, u, ngam_sample_town_river_v (t, u) + from);
        }
      for (guint m = 0; m <= n; m++)
        {
          double u = u1 - (u1 - u0) * m / n;

          ngam_sample_push (ring, u, ngam_sample_town_river_v (t, u) + to);
        }
      if ((geom = ngam_sample_polygon_geos (g, rings, 1, error)) == NULL)
        return FALSE;
      f = ngam_sample_feature_begin (g, NGAM_LAYER_ZONES, NULL);
      ngam_sample_set_text (f, "zone_type", type);
      ngam_sample_set_text (f, "name", name);
      if (!isnan (level))
        ngam_sample_set_real (f, "level", level);
      if (!ngam_sample_add_area (g, f, geom, error, piece_key))
        return FALSE;
    }
  return TRUE;
}

static gboolean
square_zone (SampleGen  *g,
             double      cu,
             double      cv,
             double      half,
             double      hole,
             const char *type,
             const char *name,
             double      level,
             const char *key,
             GError    **error)
{
  g_autoptr(GArray) outer = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) inner = g_array_new (FALSE, FALSE, sizeof (double));
  const GArray *rings[] = { outer, inner };
  GEOSGeometry *geom;
  NgamFeature *f;

  ngam_sample_push_square (outer, cu, cv, half);
  if (hole > 0)
    {
      /* holes run the other way round */
      ngam_sample_push (inner, cu - hole, cv - hole);
      ngam_sample_push (inner, cu - hole, cv + hole);
      ngam_sample_push (inner, cu + hole, cv + hole);
      ngam_sample_push (inner, cu + hole, cv - hole);
    }
  if ((geom = ngam_sample_polygon_geos (g, rings, hole > 0 ? 2 : 1, error)) == NULL)
    return FALSE;
  f = ngam_sample_feature_begin (g, NGAM_LAYER_ZONES, NULL);
  ngam_sample_set_text (f, "zone_type", type);
  ngam_sample_set_text (f, "name", name);
  if (!isnan (level))
    ngam_sample_set_real (f, "level", level);
  return ngam_sample_add_area (g, f, geom, error, key);
}

gboolean
ngam_sample_write_zones (SampleGen *g,
                    GError   **error)
{
  const NgamSampleTown *t = g->t;
  double w = t->river_w / 2;

  g->p_message = "zones";
  ngam_sample_report (g, 0);
  if (!ngam_sample_open_writers (g, error, NGAM_LAYER_ZONES, -1))
    return FALSE;

  /* The river is water: streets cross it on bridges, cables by HDD. */
  if (!river_band (g, -w, w, "water", "Sông Hương", NAN, "zone/river", error))
    return FALSE;
  /* Flood depth falls off away from the banks (planning input, m). */
  if (!river_band (g, w, w + 200, "flood", "Ngập sâu ven sông Hương (bờ bắc)", 1.5, "zone/flood/n1", error) ||
      !river_band (g, w + 200, w + 550, "flood", "Ngập ven sông Hương (bờ bắc)", 0.8, "zone/flood/n2", error) ||
      !river_band (g, -w - 200, -w, "flood", "Ngập sâu ven sông Hương (bờ nam)", 1.5, "zone/flood/s1", error) ||
      !river_band (g, -w - 550, -w - 200, "flood", "Ngập ven sông Hương (bờ nam)", 0.8, "zone/flood/s2", error))
    return FALSE;

  if (t->cit_half > 0)
    {
      /* The citadel flooded about 1 m deep in October 2025 (DOMAIN.md). */
      if (!square_zone (g, t->cit_u, t->cit_v, t->cit_half + t->moat_w, 0, "heritage",
                        "Kinh Thành Huế", NAN, "zone/heritage/citadel", error) ||
          !square_zone (g, t->cit_u, t->cit_v, t->cit_half + t->moat_w, t->cit_half, "water",
                        "Hào Kinh Thành", NAN, "zone/moat", error) ||
          !square_zone (g, t->cit_u, t->cit_v, t->cit_half, 0, "flood",
                        "Kinh Thành (lũ tháng 10/2025)", 1.0, "zone/flood/citadel", error))
        return FALSE;
      if (t->imp_half > 0 &&
          !square_zone (g, t->imp_u, t->imp_v, t->imp_half, 0, "heritage",
                        "Hoàng Thành – Tử Cấm Thành", NAN, "zone/heritage/imperial", error))
        return FALSE;
    }

  for (guint k = 0; k < t->n_slides; k++)
    {
      const SampleBlob *b = &t->slides[k];
      g_autoptr(GArray) ring = g_array_new (FALSE, FALSE, sizeof (double));
      const GArray *rings[] = { ring };
      const char *known = ngam_sample_name_slide (k);
      g_autofree char *name = known ? g_strdup (known) : g_strdup_printf ("Sạt lở đồi số %u", k + 1);
      g_autofree char *key = g_strdup_printf ("zone/landslide/%u", k);
      guint nr = G_N_ELEMENTS (b->radius);
      GEOSGeometry *geom;
      NgamFeature *f;

      /* star-shaped about its centre, hence always a simple polygon */
      for (guint m = 0; m < nr; m++)
        {
          double a = 2 * G_PI * m / nr;

          ngam_sample_push (ring, b->u + b->radius[m] * cos (a), b->v + b->radius[m] * sin (a));
        }
      if ((geom = ngam_sample_polygon_geos (g, rings, 1, error)) == NULL)
        return FALSE;
      f = ngam_sample_feature_begin (g, NGAM_LAYER_ZONES, NULL);
      ngam_sample_set_text (f, "zone_type", "landslide");
      ngam_sample_set_text (f, "name", name);
      ngam_sample_set_real (f, "level", b->level);
      if (!ngam_sample_add_area (g, f, geom, error, key))
        return FALSE;
      /* the royal tombs stand on these hills */
      if (ngam_sample_name_tomb (k))
        {
          g_autofree char *tkey = g_strdup_printf ("zone/heritage/tomb/%u", k);

          if (!square_zone (g, b->u + 0.3 * b->r, b->v - 0.2 * b->r, 110, 0, "heritage",
                            ngam_sample_name_tomb (k), NAN, tkey, error))
            return FALSE;
        }
    }
  ngam_sample_report (g, 1);
  return ngam_sample_close_writers (g, error);
}

/* ---- wards ---------------------------------------------------------- */

typedef struct
{
  guint  a, b;       /* cell column and row */
  double dist;
  gboolean north;
} Ward;

static int
ward_cmp (gconstpointer pa,
          gconstpointer pb)
{
  const Ward *x = pa, *y = pb;

  if (x->dist != y->dist)
    return x->dist < y->dist ? -1 : 1;
  if (x->b != y->b)
    return x->b < y->b ? -1 : 1;
  return x->a < y->a ? -1 : x->a > y->a;
}

#define WARD_COLS 10
#define WARD_ROWS 9
#define WARD_STEP 100.0

/* Ward boundaries run mid-block and wobble a little; both wards on either
 * side of a boundary compute the same wobble, so they tile exactly. */
static double
ward_bx (const NgamSampleTown *t, guint a)
{
  guint n = (t->nx + WARD_COLS - 1) / WARD_COLS;

  if (a == 0)
    return t->bbox[0];
  if (a >= n)
    return t->bbox[2];
  return (t->col_x[a * WARD_COLS - 1] + t->col_x[a * WARD_COLS]) / 2;
}

static double
ward_by (const NgamSampleTown *t, guint b)
{
  guint n = (t->ny + WARD_ROWS - 1) / WARD_ROWS;

  if (b == 0)
    return t->bbox[1];
  if (b >= n)
    return t->bbox[3];
  return (t->row_y[b * WARD_ROWS - 1] + t->row_y[b * WARD_ROWS]) / 2;
}

/* Points of a boundary strictly between two corners, 30 m clear of them. */
static void
ward_side (const NgamSampleTown *t,
           GArray           *ring,
           gboolean          vertical,
           guint             index,
           gboolean          outer,
           double            from,
           double            to,
           double            at)
{
  double origin = vertical ? t->bbox[1] : t->bbox[0];
  gint64 k0 = (gint64) floor ((MIN (from, to) - origin) / WARD_STEP);
  gint64 k1 = (gint64) ceil ((MAX (from, to) - origin) / WARD_STEP);
  gint64 step = from < to ? 1 : -1;

  for (gint64 k = from < to ? k0 : k1; from < to ? k <= k1 : k >= k0; k += step)
    {
      double s = origin + k * WARD_STEP;
      double wob;

      if (s <= MIN (from, to) + 30 || s >= MAX (from, to) - 30)
        continue;
      wob = outer ? 0 : 20 * (2 * ngam_sample_u01 (t, TAG_WARD, vertical, index, (guint64) k) - 1);
      if (vertical)
        ngam_sample_push (ring, at + wob, s);
      else
        ngam_sample_push (ring, s, at + wob);
    }
}

gboolean
ngam_sample_write_admin (SampleGen *g,
                    GError   **error)
{
  const NgamSampleTown *t = g->t;
  guint na = (t->nx + WARD_COLS - 1) / WARD_COLS, nb = (t->ny + WARD_ROWS - 1) / WARD_ROWS;
  g_autoptr(GArray) wards = g_array_new (FALSE, FALSE, sizeof (Ward));
  guint seen[2] = { 0, 0 };

  g->p_message = "wards";
  if (!ngam_sample_open_writers (g, error, NGAM_LAYER_ADMIN, -1))
    return FALSE;
  /* Wards that hold at least one street node, nearest the centre first. */
  for (guint b = 0; b < nb; b++)
    for (guint a = 0; a < na; a++)
      {
        gboolean any = FALSE;
        Ward w = { a, b, 0, FALSE };
        double cu = (ward_bx (t, a) + ward_bx (t, a + 1)) / 2, cv = (ward_by (t, b) + ward_by (t, b + 1)) / 2;

        for (guint j = b * WARD_ROWS; j < MIN (t->ny, (b + 1) * WARD_ROWS) && !any; j++)
          for (guint i = a * WARD_COLS; i < MIN (t->nx, (a + 1) * WARD_COLS) && !any; i++)
            any = (ngam_sample_flags (t, i, j) & NODE_EXISTS) != 0;
        if (!any)
          continue;
        w.dist = hypot (cu - t->fest_u, cv - t->fest_v);
        w.north = cv > ngam_sample_town_river_v (t, cu);
        g_array_append_val (wards, w);
      }
  g_array_sort (wards, ward_cmp);

  for (guint k = 0; k < wards->len; k++)
    {
      const Ward *w = &g_array_index (wards, Ward, k);
      double x0 = ward_bx (t, w->a), x1 = ward_bx (t, w->a + 1);
      double y0 = ward_by (t, w->b), y1 = ward_by (t, w->b + 1);
      g_autoptr(GArray) ring = g_array_new (FALSE, FALSE, sizeof (double));
      const GArray *rings[] = { ring };
      const char *known = ngam_sample_name_ward (w->north, seen[w->north]++);
      g_autofree char *name = known ? g_strdup (known) : g_strdup_printf ("Phường %u", k + 1);
      g_autofree char *code = g_strdup_printf ("%05u", 19700 + k);
      g_autofree char *key = g_strdup_printf ("ward/%u/%u", w->a, w->b);
      GEOSGeometry *geom;
      NgamFeature *f;

      ngam_sample_push (ring, x0, y0);
      ward_side (t, ring, FALSE, w->b, w->b == 0, x0, x1, y0);
      ngam_sample_push (ring, x1, y0);
      ward_side (t, ring, TRUE, w->a + 1, w->a + 1 >= na, y0, y1, x1);
      ngam_sample_push (ring, x1, y1);
      ward_side (t, ring, FALSE, w->b + 1, w->b + 1 >= nb, x1, x0, y1);
      ngam_sample_push (ring, x0, y1);
      ward_side (t, ring, TRUE, w->a, w->a == 0, y1, y0, x0);
      if ((geom = ngam_sample_polygon_geos (g, rings, 1, error)) == NULL)
        return FALSE;
      f = ngam_sample_feature_begin (g, NGAM_LAYER_ADMIN, NULL);
      ngam_sample_set_text (f, "name", name);
      ngam_sample_set_text (f, "code", code);
      ngam_sample_set_text (f, "level", "ward");
      ngam_sample_set_text (f, "parent", "Thành phố Huế");
      if (!ngam_sample_add_area (g, f, geom, error, key))
        return FALSE;
      if (k % 64 == 0 && !ngam_sample_check_cancel (g, error))
        return FALSE;
    }
  ngam_sample_report (g, 1);
  return ngam_sample_close_writers (g, error);
}

/* ---- cell sites ----------------------------------------------------- */

static gboolean
add_cell (SampleGen  *g,
          guint       op,
          double      u,
          double      v,
          const char *site,
          const char *radio,
          char        tech,
          int         sector,
          double      azimuth,
          double      range,
          double      height,
          GError    **error)
{
  g_autofree char *code = sector > 0 ? g_strdup_printf ("%s-%c%d", site, tech, sector)
                                     : g_strdup_printf ("%s-%c", site, tech);
  NgamFeature *f = ngam_sample_feature_begin (g, NGAM_LAYER_SITES, sample_operator_names[op]);

  ngam_sample_set_text (f, "code", code);
  ngam_sample_set_text (f, "radio", radio);
  ngam_sample_set_real (f, "range_m", range);
  if (sector > 0)
    ngam_sample_set_real (f, "azimuth", azimuth);
  ngam_sample_set_real (f, "height_m", height);
  ngam_sample_shape_point (g, f, u, v);
  return ngam_sample_feature_add (g, f, NULL, error, "site/%s", code);
}

/* Three mobile networks (VNPT's VinaPhone, Viettel, MobiFone), each on its
 * own irregular grid of sites; a few sites are missing, leaving the gaps
 * the coverage analysis should find. */
gboolean
ngam_sample_write_sites (SampleGen *g,
                    GError   **error)
{
  static const guint ops[] = { OP_VNPT, OP_VIETTEL, OP_MOBIFONE };
  static const double spacing[] = { 760, 640, 860 };
  const NgamSampleTown *t = g->t;

  g->p_message = "cell sites";
  if (!ngam_sample_open_writers (g, error, NGAM_LAYER_SITES, -1))
    return FALSE;
  for (guint o = 0; o < G_N_ELEMENTS (ops); o++)
    {
      guint op = ops[o];
      double sp = spacing[o];
      guint gx = (guint) ceil ((t->bbox[2] - t->bbox[0]) / sp), gy = (guint) ceil ((t->bbox[3] - t->bbox[1]) / sp);
      guint n = 0;

      for (guint y = 0; y < gy; y++)
        {
          if (!ngam_sample_check_cancel (g, error))
            return FALSE;
          for (guint x = 0; x < gx; x++)
            {
              double u = t->bbox[0] + (x + 0.5 + 0.5 * (ngam_sample_u01 (t, TAG_SITE, op, x, y * 4) - 0.5)) * sp;
              double v = t->bbox[1] + (y + 0.5 + 0.5 * (ngam_sample_u01 (t, TAG_SITE, op, x, y * 4 + 1) - 0.5)) * sp;
              double r = ngam_sample_u01 (t, TAG_SITE, op, x, y * 4 + 2);
              double r2 = ngam_sample_u01 (t, TAG_SITE, op, x, y * 4 + 3);
              double d = hypot (u - t->fest_u, v - t->fest_v);
              double height = 18 + 3 * floor (r2 * 9);
              double az0 = 10 * floor (r * 12);
              g_autofree char *site = NULL;

              if (!ngam_sample_town_is_land (t, u, v) || r < 0.07)
                continue;
              site = g_strdup_printf ("%s-%05u", sample_operator_abbrev[op], ++n);
              for (int s = 1; s <= 3; s++)
                if (!add_cell (g, op, u, v, site, "LTE", 'L', s, fmod (az0 + 120 * (s - 1), 360),
                               900 + 600 * r2, height, error))
                  return FALSE;
              /* 5G in the centre, GSM kept on a third of the sites */
              if (d < 2.5 * t->fest_r &&
                  !add_cell (g, op, u, v, site, "NR", 'N', 1, az0, 250 + 200 * r, height, error))
                return FALSE;
              if (r2 < 0.33 && !add_cell (g, op, u, v, site, "GSM", 'G', 0, 0, 2000 + 1500 * r, height, error))
                return FALSE;
            }
          ngam_sample_report (g, ((double) o + (y + 1.0) / gy) / G_N_ELEMENTS (ops));
        }
    }
  return ngam_sample_close_writers (g, error);
}

