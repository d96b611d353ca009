/* ngam-cover-mobile.c — cell sites as circles and sectors, and which
 * demand each technology and operator covers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A cell's area is the polygon SpatiaLite's ST_Buffer would give its
 * circle: 4 × q vertices at angles k·π/(2q) from east (q = the setting
 * circle_quadrant_segments, 30 as SpatiaLite).  A sector keeps the
 * circle's vertices inside its angle, adds the two ends of its arc and the
 * site.  cover_piece_contains() answers "is this point inside that
 * polygon" exactly and without building it, so the demand counts and the
 * union polygons agree to the last point.
 */
#define G_LOG_DOMAIN "ngam-cover"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ngam-cover-private.h"

/* Radio names (OpenCelliD's and the layer's) and the generation names. */
int
cover_tech_from_radio (const char *radio)
{
  static const struct { const char *name; int tech; } names[] = {
    { "GSM", 0 }, { "2G", 0 }, { "GPRS", 0 }, { "EDGE", 0 },
    { "UMTS", 1 }, { "3G", 1 }, { "WCDMA", 1 }, { "HSPA", 1 }, { "CDMA", 1 },
    { "LTE", 2 }, { "4G", 2 },
    { "NR", 3 }, { "5G", 3 },
  };
  g_autofree char *up = NULL;

  if (radio == NULL)
    return -1;
  up = g_ascii_strup (radio, -1);
  g_strstrip (up);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (up, names[i].name) == 0)
      return names[i].tech;
  return -1;
}

/* Math angle (radians from east, counter-clockwise) of a compass azimuth. */
static inline double
math_angle (double azimuth_deg)
{
  return (90.0 - azimuth_deg) * G_PI / 180.0;
}

/* The arc of a sector: from a0 to a1 radians (a1 > a0). */
static void
sector_arc (const CoverPiece *p,
            double           *a0,
            double           *a1)
{
  double c = math_angle (p->az), h = p->bw * G_PI / 360.0;

  *a0 = c - h;
  *a1 = c + h;
}

gboolean
cover_piece_contains (const CoverPiece *p,
                      int               q,
                      double            x,
                      double            y)
{
  double dx = x - p->x, dy = y - p->y, d2 = dx * dx + dy * dy, step = G_PI / (2 * q);
  double phi, lo, hi, ax, ay, bx, by, inner;

  if (d2 > p->r * p->r)
    return FALSE;
  if (d2 == 0)
    return TRUE;
  /* inside the polygon's inner circle (r·cos(step/2) ≥ r·(1 − step²/8)):
   * only a sector's angle is left to check */
  inner = p->r * (1 - step * step / 8);
  if (d2 <= inner * inner && p->bw >= 360)
    return TRUE;
  phi = atan2 (dy, dx);
  if (p->bw >= 360)
    {
      double k;

      if (phi < 0)
        phi += 2 * G_PI;
      k = floor (phi / step);
      lo = k * step;
      hi = (k + 1) * step;
    }
  else
    {
      double a0, a1, k;

      sector_arc (p, &a0, &a1);
      /* phi in [a0, a0 + 2π) */
      phi = a0 + fmod (fmod (phi - a0, 2 * G_PI) + 2 * G_PI, 2 * G_PI);
      if (phi > a1)
        return FALSE;
      if (d2 <= inner * inner)
        return TRUE;
      k = floor (phi / step);
      lo = MAX (a0, k * step);
      hi = MIN (a1, (k + 1) * step);
    }
  ax = p->r * cos (lo);
  ay = p->r * sin (lo);
  bx = p->r * cos (hi);
  by = p->r * sin (hi);
  /* on the site's side of the chord (the polygon is star-shaped from it) */
  return (bx - ax) * (dy - ay) - (by - ay) * (dx - ax) >= 0;
}

GEOSGeometry *
cover_piece_polygon (const CoverPiece *p,
                     int               q)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  guint n = 4 * q, k = 0;
  double step = G_PI / (2 * q);
  GEOSCoordSequence *seq;
  GEOSGeometry *ring;

  if (p->bw >= 360)
    {
      seq = GEOSCoordSeq_create_r (h, n + 1, 2);
      for (guint i = 0; i < n; i++)
        {
          /* clockwise from east, as GEOS's buffer */
          double a = -(double) i * step;

          GEOSCoordSeq_setXY_r (h, seq, i, p->x + p->r * cos (a), p->y + p->r * sin (a));
        }
      GEOSCoordSeq_setXY_r (h, seq, n, p->x + p->r, p->y);
    }
  else
    {
      double a0, a1;
      int k0, k1;

      sector_arc (p, &a0, &a1);
      k0 = (int) floor (a0 / step) + 1;
      k1 = (int) ceil (a1 / step) - 1;
      seq = GEOSCoordSeq_create_r (h, (guint) MAX (0, k1 - k0 + 1) + 4, 2);
      GEOSCoordSeq_setXY_r (h, seq, k++, p->x, p->y);
      GEOSCoordSeq_setXY_r (h, seq, k++, p->x + p->r * cos (a0), p->y + p->r * sin (a0));
      for (int i = k0; i <= k1; i++)
        GEOSCoordSeq_setXY_r (h, seq, k++, p->x + p->r * cos (i * step), p->y + p->r * sin (i * step));
      GEOSCoordSeq_setXY_r (h, seq, k++, p->x + p->r * cos (a1), p->y + p->r * sin (a1));
      GEOSCoordSeq_setXY_r (h, seq, k++, p->x, p->y);
    }
  ring = GEOSGeom_createLinearRing_r (h, seq);
  return GEOSGeom_createPolygon_r (h, ring, NULL, 0);
}

/* The environment around a site from the households near it. */
static CoverEnv
site_environment (CoverRun        *run,
                  const CoverGrid *demand_grid,
                  double           x,
                  double           y,
                  GArray          *buf)
{
  double r = run->set.environment_radius_m, bbox[4] = { x - r, y - r, x + r, y + r }, hh = 0, density;

  if (run->set.environment >= 0)
    return run->set.environment;
  if (demand_grid == NULL)
    return COVER_ENV_URBAN;
  g_array_set_size (buf, 0);
  cover_grid_query (demand_grid, bbox, buf);
  for (guint i = 0; i < buf->len; i++)
    {
      const CoverDemand *d = &g_array_index (run->demand, CoverDemand, g_array_index (buf, guint, i));

      if (hypot (d->x - x, d->y - y) <= r)
        hh += d->households;
    }
  density = hh / (G_PI * r * r / 1e6);
  if (density >= run->set.dense_urban_households_per_km2)
    return COVER_ENV_DENSE_URBAN;
  return density >= run->set.urban_households_per_km2 ? COVER_ENV_URBAN : COVER_ENV_RURAL;
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Reads the sites of the technologies asked for into pieces; needs the
 * demand (environment = auto) and the area's ward, if any. */
gboolean
cover_load_sites (CoverRun *run,
                  GError  **error)
{
  const int f_radio = ngam_layer_field_index (NGAM_LAYER_SITES, "radio");
  const int f_range = ngam_layer_field_index (NGAM_LAYER_SITES, "range_m");
  const int f_az = ngam_layer_field_index (NGAM_LAYER_SITES, "azimuth");
  g_autoptr(NgamStoreCursor) cur = NULL;
  g_autofree double *boxes = NULL;
  g_autoptr(GArray) buf = g_array_new (FALSE, FALSE, sizeof (guint));
  CoverGrid *demand_grid = NULL;
  double area_box[4] = { -INFINITY, -INFINITY, INFINITY, INFINITY };
  guint n_unknown_radio = 0, n_no_range = 0, n_bad = 0;
  gboolean ok = TRUE;

  if (run->area_ward >= 0)
    {
      CoverWard *w = g_ptr_array_index (run->wards, run->area_ward);

      GEOSGeom_getXMin_r (ngam_geos_context (), w->geom, &area_box[0]);
      GEOSGeom_getYMin_r (ngam_geos_context (), w->geom, &area_box[1]);
      GEOSGeom_getXMax_r (ngam_geos_context (), w->geom, &area_box[2]);
      GEOSGeom_getYMax_r (ngam_geos_context (), w->geom, &area_box[3]);
    }
  if (run->set.environment < 0 && run->demand->len > 0)
    {
      boxes = g_new (double, 4 * run->demand->len);
      for (guint i = 0; i < run->demand->len; i++)
        {
          const CoverDemand *d = &g_array_index (run->demand, CoverDemand, i);

          boxes[4 * i] = boxes[4 * i + 2] = d->x;
          boxes[4 * i + 1] = boxes[4 * i + 3] = d->y;
        }
      demand_grid = cover_grid_new (boxes, run->demand->len, run->set.environment_radius_m);
    }

  cur = ngam_store_query (run->store, NGAM_LAYER_SITES, NULL, NGAM_QUERY_DEFAULT, error);
  if (cur == NULL)
    {
      cover_grid_free (demand_grid);
      return FALSE;
    }
  while (ok && cover_cursor_next (cur, &ok, error))
    {
      const NgamFeature *f = ngam_store_cursor_get (cur);
      CoverPiece p = { 0 };
      int tech;

      if (f == NULL)
        break;
      run->n_sites_total++;
      if ((run->n_sites_total & 1023) == 0 && !cover_run_check_cancel (run, error))
        {
          ok = FALSE;
          break;
        }
      if (f->shape == NULL || f->shape->n_points < 1 || !isfinite (f->shape->xy[0]))
        {
          n_bad++;
          continue;
        }
      tech = cover_tech_from_radio (ngam_feature_is_null (f, f_radio) ? NULL : ngam_feature_get_text (f, f_radio));
      if (tech < 0)
        {
          n_unknown_radio++;
          g_array_append_val (run->skipped_sites, f->fid);
          continue;
        }
      if (!(run->techs & (1u << tech)))
        continue;
      p.x = f->shape->xy[0];
      p.y = f->shape->xy[1];
      p.fid = f->fid;
      p.tech = tech;
      p.op = cover_run_operator (run, f->operator_name);
      p.r = ngam_feature_is_null (f, f_range) ? NAN : ngam_feature_get_real (f, f_range);
      if (!(p.r > 0) || !isfinite (p.r))
        {
          CoverEnv env = site_environment (run, demand_grid, p.x, p.y, buf);

          p.r = run->set.range_m[tech][env];
          if (!(p.r > 0))
            {
              n_no_range++;
              g_array_append_val (run->skipped_sites, f->fid);
              continue;
            }
        }
      if (ngam_feature_is_null (f, f_az) || !isfinite (ngam_feature_get_real (f, f_az)) ||
          run->set.sector_beamwidth_deg >= 360)
        p.bw = 360;
      else
        {
          p.az = ngam_feature_get_real (f, f_az);
          p.bw = run->set.sector_beamwidth_deg;
        }
      if (p.x + p.r < area_box[0] || p.x - p.r > area_box[2] || p.y + p.r < area_box[1] || p.y - p.r > area_box[3])
        continue;
      run->n_sites[tech]++;
      g_array_append_val (run->pieces, p);
    }
  cover_grid_free (demand_grid);
  if (!ok)
    return FALSE;
  if (n_unknown_radio)
    cover_run_note (run, _("%u cell sites have no radio the analysis knows (GSM, UMTS, LTE, NR): left out"),
                    n_unknown_radio);
  if (n_no_range)
    cover_run_note (run, _("%u cell sites have no range and the scenario gives no default range for their "
                           "technology: left out"), n_no_range);
  if (n_bad)
    cover_run_note (run, _("%u cell sites have no position: left out"), n_bad);
  return TRUE;
}

/* Which technologies (any operator, and each operator) cover each demand
 * point. */
gboolean
cover_mobile_demand (CoverRun *run,
                     GError  **error)
{
  guint n_pieces = run->pieces->len, n_ops = run->operators->len;
  g_autofree double *boxes = g_new (double, 4 * MAX (n_pieces, 1));
  g_autoptr(GArray) buf = g_array_new (FALSE, FALSE, sizeof (guint));
  CoverGrid *grid;
  double median_r;
  g_autofree double *rs = g_new (double, MAX (n_pieces, 1));
  int q = run->set.circle_quadrant_segments;

  run->op_covered = g_new0 (guint8, (gsize) MAX (run->demand->len, 1) * MAX (n_ops, 1));
  if (n_pieces == 0)
    return TRUE;
  for (guint i = 0; i < n_pieces; i++)
    {
      const CoverPiece *p = &g_array_index (run->pieces, CoverPiece, i);

      boxes[4 * i] = p->x - p->r;
      boxes[4 * i + 1] = p->y - p->r;
      boxes[4 * i + 2] = p->x + p->r;
      boxes[4 * i + 3] = p->y + p->r;
      rs[i] = p->r;
    }
  /* cells of about a median cell's radius */
  qsort (rs, n_pieces, sizeof (double), cmp_double);
  median_r = rs[n_pieces / 2];
  grid = cover_grid_new (boxes, n_pieces, MAX (median_r, 10));
  for (guint i = 0; i < run->demand->len; i++)
    {
      CoverDemand *d = &g_array_index (run->demand, CoverDemand, i);
      double pt[4] = { d->x, d->y, d->x, d->y };

      if ((i & 4095) == 0 && !cover_run_check_cancel (run, error))
        {
          cover_grid_free (grid);
          return FALSE;
        }
      g_array_set_size (buf, 0);
      cover_grid_query (grid, pt, buf);
      for (guint k = 0; k < buf->len; k++)
        {
          const CoverPiece *p = &g_array_index (run->pieces, CoverPiece, g_array_index (buf, guint, k));
          guint8 bit = 1u << p->tech;

          /* known already, for everyone and for this operator */
          if ((d->covered & bit) && (p->op < 0 || (run->op_covered[(gsize) i * n_ops + p->op] & bit)))
            continue;
          if (!cover_piece_contains (p, q, d->x, d->y))
            continue;
          d->covered |= 1u << p->tech;
          if (p->op >= 0)
            run->op_covered[(gsize) i * n_ops + p->op] |= 1u << p->tech;
        }
    }
  cover_grid_free (grid);
  return TRUE;
}
