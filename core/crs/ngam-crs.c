/* ngam-crs.c — coordinate reference systems and transforms (PROJ)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PROJ objects belong to the PJ_CONTEXT they were made in, so an NgamCrs or
 * NgamTransform is used on the thread that made it.  Every transform is
 * normalised for visualisation: x is always easting/longitude, y
 * northing/latitude, whatever axis order the EPSG definition declares.
 */
#define G_LOG_DOMAIN "ngam-crs"

#include "config.h"

#include <math.h>
#include <proj.h>
#include <stdlib.h>
#include <string.h>

#include "ngam-context.h"
#include "ngam-crs.h"

G_DEFINE_QUARK (ngam-crs-error-quark, ngam_crs_error)

struct _NgamCrs
{
  PJ   *pj;
  char *definition;
  char *name;
  int   epsg;
};

struct _NgamTransform
{
  PJ      *pj;
  gboolean identity;
};

static const char *
proj_message (void)
{
  PJ_CONTEXT *ctx = ngam_proj_context ();

  return proj_context_errno_string (ctx, proj_context_errno (ctx));
}

/**
 * ngam_crs_new:
 * @definition: "EPSG:9214", WKT, PROJJSON or a PROJ string
 *
 * Returns: (transfer full) (nullable): the CRS, or %NULL with @error set.
 */
NgamCrs *
ngam_crs_new (const char  *definition,
              GError     **error)
{
  PJ_CONTEXT *ctx = ngam_proj_context ();
  NgamCrs *crs;
  PJ *pj;
  const char *auth, *code;

  g_return_val_if_fail (definition != NULL, NULL);

  pj = proj_create (ctx, definition);
  if (pj == NULL)
    {
      g_set_error (error, NGAM_CRS_ERROR, NGAM_CRS_ERROR_UNKNOWN,
                   "PROJ does not know the coordinate system “%s”", definition);
      return NULL;
    }
  if (!proj_is_crs (pj))
    {
      g_set_error (error, NGAM_CRS_ERROR, NGAM_CRS_ERROR_UNKNOWN,
                   "“%s” is a coordinate operation, not a coordinate system", definition);
      proj_destroy (pj);
      return NULL;
    }
  /* A bound CRS (WKT with TOWGS84) keeps its datum shift; that is what we
   * want for transforms.  The EPSG code is looked up on the base CRS. */
  crs = g_new0 (NgamCrs, 1);
  crs->pj = pj;
  crs->definition = g_strdup (definition);
  crs->name = g_strdup (proj_get_name (pj));
  auth = proj_get_id_auth_name (pj, 0);
  code = proj_get_id_code (pj, 0);
  if (auth && code && g_ascii_strcasecmp (auth, "EPSG") == 0)
    crs->epsg = atoi (code);
  else
    {
      PJ *base = proj_get_type (pj) == PJ_TYPE_BOUND_CRS ? proj_get_source_crs (ctx, pj) : NULL;
      PJ *check = base ? base : pj;
      PROJ_CRS_LIST_PARAMETERS *unused = NULL;
      int *confidence = NULL;
      PJ_OBJ_LIST *matches = proj_identify (ctx, check, "EPSG", NULL, &confidence);

      (void) unused;
      if (matches && proj_list_get_count (matches) > 0 && confidence[0] >= 90)
        {
          PJ *m = proj_list_get (ctx, matches, 0);

          crs->epsg = atoi (proj_get_id_code (m, 0));
          proj_destroy (m);
        }
      proj_int_list_destroy (confidence);
      proj_list_destroy (matches);
      proj_destroy (base);
    }
  return crs;
}

NgamCrs *
ngam_crs_new_epsg (int      code,
                   GError **error)
{
  g_autofree char *def = g_strdup_printf ("EPSG:%d", code);

  return ngam_crs_new (def, error);
}

void
ngam_crs_free (NgamCrs *crs)
{
  if (crs == NULL)
    return;
  proj_destroy (crs->pj);
  g_free (crs->definition);
  g_free (crs->name);
  g_free (crs);
}

/* Returns: the EPSG code, or 0 when the CRS has none. */
int
ngam_crs_get_epsg (const NgamCrs *crs)
{
  return crs->epsg;
}

const char *
ngam_crs_get_name (const NgamCrs *crs)
{
  return crs->name ? crs->name : "unnamed";
}

const char *
ngam_crs_get_definition (const NgamCrs *crs)
{
  return crs->definition;
}

static PJ *
horizontal_crs (const NgamCrs *crs)
{
  PJ_CONTEXT *ctx = ngam_proj_context ();
  PJ_TYPE t = proj_get_type (crs->pj);

  if (t == PJ_TYPE_BOUND_CRS)
    return proj_get_source_crs (ctx, crs->pj);
  if (t == PJ_TYPE_COMPOUND_CRS)
    return proj_crs_get_sub_crs (ctx, crs->pj, 0);
  return proj_clone (ctx, crs->pj);
}

gboolean
ngam_crs_is_geographic (const NgamCrs *crs)
{
  PJ *h = horizontal_crs (crs);
  PJ_TYPE t = proj_get_type (h);

  proj_destroy (h);
  return t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS;
}

/* A project CRS must be projected with metre axes: lengths, buffers and
 * costs per metre are computed directly on its coordinates. */
gboolean
ngam_crs_is_metric (const NgamCrs *crs)
{
  PJ_CONTEXT *ctx = ngam_proj_context ();
  PJ *h = horizontal_crs (crs);
  PJ *cs;
  gboolean metric = FALSE;

  if (proj_get_type (h) == PJ_TYPE_PROJECTED_CRS &&
      (cs = proj_crs_get_coordinate_system (ctx, h)) != NULL)
    {
      double factor = 0;
      const char *unit = NULL;

      if (proj_cs_get_axis_info (ctx, cs, 0, NULL, NULL, NULL, &factor, &unit, NULL, NULL))
        metric = fabs (factor - 1.0) < 1e-12;
      proj_destroy (cs);
    }
  proj_destroy (h);
  return metric;
}

char *
ngam_crs_dup_wkt (const NgamCrs *crs)
{
  const char *opts[] = { "MULTILINE=NO", NULL };
  const char *wkt = proj_as_wkt (ngam_proj_context (), crs->pj, PJ_WKT1_GDAL, opts);

  if (wkt == NULL)
    wkt = proj_as_wkt (ngam_proj_context (), crs->pj, PJ_WKT2_2019, opts);
  return g_strdup (wkt);
}

char *
ngam_crs_dup_proj_string (const NgamCrs *crs)
{
  return g_strdup (proj_as_proj_string (ngam_proj_context (), crs->pj, PJ_PROJ_4, NULL));
}

gboolean
ngam_crs_get_area_of_use (const NgamCrs *crs,
                          double        *west,
                          double        *south,
                          double        *east,
                          double        *north)
{
  return proj_get_area_of_use (ngam_proj_context (), crs->pj, west, south, east, north, NULL)
         && *west > -1000;
}

/**
 * ngam_crs_get_plausible_box:
 * @box: (out): x min, y min, x max, y max in @crs's own coordinates
 *
 * Where data in @crs can plausibly lie: its area of use widened by a third
 * on each side (at least 1°; files stray over province borders, never by
 * whole countries), in @crs's coordinates (the widened area's edges
 * transformed, 21 points each).
 *
 * Returns: FALSE when PROJ knows no area of use for @crs (any place is
 *   plausible then).
 */
gboolean
ngam_crs_get_plausible_box (const NgamCrs *crs,
                            double         box[4])
{
  g_autoptr(NgamCrs) wgs84 = NULL;
  g_autoptr(NgamTransform) t = NULL;
  double w, s, e, n, mx, my, xy[2 * 4 * 21];
  guint k = 0;

  box[0] = box[1] = -INFINITY;
  box[2] = box[3] = INFINITY;
  if (ngam_crs_is_geographic (crs) || !ngam_crs_get_area_of_use (crs, &w, &s, &e, &n) || !(e > w))
    return FALSE;
  mx = MAX ((e - w) / 3, 1.0);
  my = MAX ((n - s) / 3, 1.0);
  w = MAX (w - mx, -180);
  e = MIN (e + mx, 180);
  s = MAX (s - my, -85);
  n = MIN (n + my, 85);
  if ((wgs84 = ngam_crs_new ("EPSG:4326", NULL)) == NULL || (t = ngam_transform_new (wgs84, crs, NULL)) == NULL)
    return FALSE;
  for (guint i = 0; i < 21; i++)
    {
      double f = i / 20.0;

      xy[k++] = w + f * (e - w); xy[k++] = s;
      xy[k++] = w + f * (e - w); xy[k++] = n;
      xy[k++] = w; xy[k++] = s + f * (n - s);
      xy[k++] = e; xy[k++] = s + f * (n - s);
    }
  /* points PROJ cannot place (a zone's far side) come back infinite */
  proj_trans_generic (t->pj, PJ_FWD, xy, 2 * sizeof (double), k / 2, xy + 1, 2 * sizeof (double), k / 2,
                      NULL, 0, 0, NULL, 0, 0);
  box[0] = box[1] = INFINITY;
  box[2] = box[3] = -INFINITY;
  for (guint i = 0; i < k; i += 2)
    if (isfinite (xy[i]) && isfinite (xy[i + 1]))
      {
        box[0] = MIN (box[0], xy[i]);
        box[1] = MIN (box[1], xy[i + 1]);
        box[2] = MAX (box[2], xy[i]);
        box[3] = MAX (box[3], xy[i + 1]);
      }
  if (!(box[0] < box[2] && box[1] < box[3]))
    {
      box[0] = box[1] = -INFINITY;
      box[2] = box[3] = INFINITY;
      return FALSE;
    }
  return TRUE;
}

gboolean
ngam_crs_equivalent (const NgamCrs *a,
                     const NgamCrs *b)
{
  return proj_is_equivalent_to (a->pj, b->pj, PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS);
}

/* ---- choosing a project CRS ---------------------------------------- */

/* Official TM-3 central meridians of a few provinces (Circular
 * 973/2001/TCĐC-CQ): where a province's extent is known, its meridian wins
 * over the nearest zone.  Huế first, as DOMAIN.md says. */
static const struct
{
  const char *province;
  double      west, south, east, north;
  double      meridian;
} province_meridians[] = {
  { "Thừa Thiên-Huế", 107.00, 15.95, 108.25, 16.80, 107.00 },
  { "Đà Nẵng",        107.80, 15.90, 108.35, 16.35, 107.75 },
  { "Quảng Trị",      106.50, 16.30, 107.40, 17.20, 106.25 },
  { "Hà Nội",         105.25, 20.55, 106.05, 21.40, 105.00 },
  { "TP Hồ Chí Minh", 106.35, 10.35, 107.05, 11.20, 105.75 },
};

static double
meridian_of (PJ_CONTEXT *ctx, PJ *crs)
{
  const char *s = proj_as_proj_string (ctx, crs, PJ_PROJ_4, NULL);
  const char *p = s ? strstr (s, "+lon_0=") : NULL;

  return p ? g_ascii_strtod (p + 7, NULL) : NAN;
}

/* Finds the VN-2000 TM-3 CRS whose meridian is closest to @meridian, from
 * PROJ's own database rather than a table copied here. */
static int
vn2000_tm3_for (double meridian, double *chosen)
{
  PJ_CONTEXT *ctx = ngam_proj_context ();
  PROJ_CRS_LIST_PARAMETERS *params = proj_get_crs_list_parameters_create ();
  PJ_TYPE types[] = { PJ_TYPE_PROJECTED_CRS };
  PROJ_CRS_INFO **list;
  int n = 0, best = 0;
  double best_d = INFINITY;

  params->types = types;
  params->typesCount = 1;
  params->allow_deprecated = FALSE;
  list = proj_get_crs_info_list_from_database (ctx, "EPSG", params, &n);
  for (int i = 0; i < n; i++)
    {
      PJ *pj;
      double m;

      if (!g_str_has_prefix (list[i]->name, "VN-2000 / TM-3") || list[i]->deprecated)
        continue;
      pj = proj_create_from_database (ctx, "EPSG", list[i]->code, PJ_CATEGORY_CRS, FALSE, NULL);
      if (pj == NULL)
        continue;
      m = meridian_of (ctx, pj);
      if (fabs (m - meridian) < best_d)
        {
          best_d = fabs (m - meridian);
          best = atoi (list[i]->code);
          *chosen = m;
        }
      proj_destroy (pj);
    }
  proj_crs_info_list_destroy (list);
  proj_get_crs_list_parameters_destroy (params);
  return best;
}

/**
 * ngam_crs_choose_for_extent:
 * @west, @south, @east, @north: the data's extent in degrees (WGS 84)
 * @reason: (out) (optional): why this CRS, for a person
 *
 * Picks a metric project CRS: in Vietnam the VN-2000 TM-3 zone of the
 * province (its official meridian where known, else the nearest), elsewhere
 * the WGS 84 UTM zone of the extent's centre.
 *
 * Returns: an EPSG code, or 0 with @error set.
 */
int
ngam_crs_choose_for_extent (double   west,
                            double   south,
                            double   east,
                            double   north,
                            char   **reason,
                            GError **error)
{
  double lon = (west + east) / 2, lat = (south + north) / 2;
  int zone, code;

  if (!(west <= east && south <= north) || fabs (lat) > 90 || fabs (lon) > 180 ||
      !isfinite (lon) || !isfinite (lat))
    {
      g_set_error (error, NGAM_CRS_ERROR, NGAM_CRS_ERROR_EXTENT,
                   "the extent %g,%g – %g,%g is not in degrees of longitude and latitude",
                   west, south, east, north);
      return 0;
    }
  if (lon >= 102.0 && lon <= 110.0 && lat >= 8.0 && lat <= 23.5)
    {
      double meridian = floor (lon * 4 + 0.5) / 4, chosen = 0;
      const char *province = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (province_meridians); i++)
        if (lon >= province_meridians[i].west && lon <= province_meridians[i].east &&
            lat >= province_meridians[i].south && lat <= province_meridians[i].north)
          {
            meridian = province_meridians[i].meridian;
            province = province_meridians[i].province;
            break;
          }
      code = vn2000_tm3_for (meridian, &chosen);
      if (code > 0)
        {
          if (reason)
            *reason = province
              ? g_strdup_printf ("the data lie in %s, whose VN-2000 TM-3 meridian is %.2f°", province, chosen)
              : g_strdup_printf ("the data lie in Vietnam; nearest VN-2000 TM-3 meridian %.2f°", chosen);
          return code;
        }
    }
  zone = CLAMP ((int) floor ((lon + 180) / 6) + 1, 1, 60);
  code = (lat >= 0 ? 32600 : 32700) + zone;
  if (reason)
    *reason = g_strdup_printf ("WGS 84 / UTM zone %d%c holds the data's centre", zone, lat >= 0 ? 'N' : 'S');
  return code;
}

/* ---- transforms ----------------------------------------------------- */

NgamTransform *
ngam_transform_new (const NgamCrs  *from,
                    const NgamCrs  *to,
                    GError        **error)
{
  PJ_CONTEXT *ctx = ngam_proj_context ();
  NgamTransform *t;
  PJ *op, *norm;

  g_return_val_if_fail (from && to, NULL);

  t = g_new0 (NgamTransform, 1);
  if (proj_is_equivalent_to (from->pj, to->pj, PJ_COMP_EQUIVALENT))
    {
      t->identity = TRUE;
      return t;
    }
  op = proj_create_crs_to_crs_from_pj (ctx, from->pj, to->pj, NULL, NULL);
  if (op == NULL)
    {
      g_set_error (error, NGAM_CRS_ERROR, NGAM_CRS_ERROR_TRANSFORM,
                   "no transformation from %s to %s: %s",
                   ngam_crs_get_name (from), ngam_crs_get_name (to), proj_message ());
      g_free (t);
      return NULL;
    }
  norm = proj_normalize_for_visualization (ctx, op);
  proj_destroy (op);
  if (norm == NULL)
    {
      g_set_error (error, NGAM_CRS_ERROR, NGAM_CRS_ERROR_TRANSFORM,
                   "cannot normalise the axis order from %s to %s",
                   ngam_crs_get_name (from), ngam_crs_get_name (to));
      g_free (t);
      return NULL;
    }
  t->pj = norm;
  return t;
}

void
ngam_transform_free (NgamTransform *t)
{
  if (t == NULL)
    return;
  proj_destroy (t->pj);
  g_free (t);
}

gboolean
ngam_transform_is_identity (const NgamTransform *t)
{
  return t->identity;
}

/**
 * ngam_transform_points:
 * @xy: (inout): interleaved x, y pairs
 *
 * Transforms in place.  Fails, naming the first bad point, when PROJ cannot
 * transform a coordinate (out of the operation's domain).
 */
gboolean
ngam_transform_points (NgamTransform  *t,
                       double         *xy,
                       gsize           n_points,
                       GError        **error)
{
  if (t->identity || n_points == 0)
    return TRUE;
  proj_errno_reset (t->pj);
  proj_trans_generic (t->pj, PJ_FWD,
                      xy, 2 * sizeof (double), n_points,
                      xy + 1, 2 * sizeof (double), n_points,
                      NULL, 0, 0, NULL, 0, 0);
  for (gsize i = 0; i < n_points; i++)
    if (!isfinite (xy[2 * i]) || !isfinite (xy[2 * i + 1]))
      {
        g_set_error (error, NGAM_CRS_ERROR, NGAM_CRS_ERROR_TRANSFORM,
                     "point %" G_GSIZE_FORMAT " cannot be transformed (outside the coordinate system's domain)", i + 1);
        return FALSE;
      }
  return TRUE;
}
