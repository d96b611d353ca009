/* test-crs.c — project CRS choice, metric check, transforms
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-core.h"

static void
test_metric (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamCrs) hue = ngam_crs_new ("EPSG:9214", &error);
  g_autoptr(NgamCrs) wgs = ngam_crs_new ("EPSG:4326", &error);
  g_autoptr(NgamCrs) ft = ngam_crs_new ("EPSG:2263", &error);   /* NY State Plane, US feet */

  g_assert_no_error (error);
  g_assert_true (ngam_crs_is_metric (hue));
  g_assert_cmpint (ngam_crs_get_epsg (hue), ==, 9214);
  g_assert_cmpstr (ngam_crs_get_name (hue), ==, "VN-2000 / TM-3 107-00");
  g_assert_false (ngam_crs_is_metric (wgs));
  g_assert_true (ngam_crs_is_geographic (wgs));
  g_assert_false (ngam_crs_is_metric (ft));
}

static void
test_unknown (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamCrs) crs = ngam_crs_new ("EPSG:999999", &error);

  g_assert_null (crs);
  g_assert_error (error, NGAM_CRS_ERROR, NGAM_CRS_ERROR_UNKNOWN);
  g_assert_nonnull (strstr (error->message, "EPSG:999999"));
}

/* The project CRS picked from the data's extent. */
static void
test_choose (void)
{
  static const struct { double w, s, e, n; int expect; } cases[] = {
    { 107.50, 16.40, 107.65, 16.52, 9214 },    /* Huế city: TM-3 107-00, not the nearest 107-30 */
    { 105.80, 21.00, 105.87, 21.05, 0 },       /* Hà Nội: a VN-2000 TM-3 zone (meridian 105) */
    { 11.55, 49.94, 11.62, 49.99, 32632 },     /* Bayreuth: UTM 32N */
    { -58.5, -34.7, -58.3, -34.5, 32721 },     /* Buenos Aires: UTM 21S */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *reason = NULL;
      int code = ngam_crs_choose_for_extent (cases[i].w, cases[i].s, cases[i].e, cases[i].n, &reason, &error);

      g_assert_no_error (error);
      g_assert_nonnull (reason);
      if (cases[i].expect)
        g_assert_cmpint (code, ==, cases[i].expect);
      else
        {
          g_autoptr(NgamCrs) crs = ngam_crs_new_epsg (code, &error);
          g_autofree char *proj = ngam_crs_dup_proj_string (crs);

          g_assert_true (g_str_has_prefix (ngam_crs_get_name (crs), "VN-2000 / TM-3"));
          g_assert_nonnull (strstr (proj, "+lon_0=105 "));
        }
    }
  {
    g_autoptr(GError) error = NULL;
    g_assert_cmpint (ngam_crs_choose_for_extent (500000, 1800000, 510000, 1810000, NULL, &error), ==, 0);
    g_assert_error (error, NGAM_CRS_ERROR, NGAM_CRS_ERROR_EXTENT);
  }
}

/* WGS 84 lon/lat → VN-2000 TM-3 107-00 and back; x stays easting. */
static void
test_transform (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamCrs) wgs = ngam_crs_new ("EPSG:4326", &error);
  g_autoptr(NgamCrs) hue = ngam_crs_new ("EPSG:9214", &error);
  g_autoptr(NgamTransform) fwd = ngam_transform_new (wgs, hue, &error);
  g_autoptr(NgamTransform) back = ngam_transform_new (hue, wgs, &error);
  double xy[2] = { 107.58, 16.46 };

  g_assert_no_error (error);
  g_assert_true (ngam_transform_points (fwd, xy, 1, &error));
  g_assert_no_error (error);
  /* 0.58° east of the meridian at 16.46° N is about 62 km. */
  g_assert_cmpfloat (xy[0], >, 560000);
  g_assert_cmpfloat (xy[0], <, 564000);
  g_assert_cmpfloat (xy[1], >, 1818000);
  g_assert_cmpfloat (xy[1], <, 1824000);
  g_assert_true (ngam_transform_points (back, xy, 1, &error));
  g_assert_cmpfloat_with_epsilon (xy[0], 107.58, 1e-8);
  g_assert_cmpfloat_with_epsilon (xy[1], 16.46, 1e-8);
}

/* PROJ's data is found even when PROJ_DATA points nowhere (an installed
 * tree moved, a Flatpak without the variable): the context falls back to
 * the folder PROJ reported at build time. */
static void
test_proj_data_fallback (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NgamCrs) crs = NULL;

      g_setenv ("PROJ_DATA", "/nonexistent/proj", TRUE);
      g_setenv ("PROJ_LIB", "/nonexistent/proj", TRUE);
      crs = ngam_crs_new ("EPSG:9214", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (ngam_crs_get_name (crs), ==, "VN-2000 / TM-3 107-00");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/crs/metric", test_metric);
  g_test_add_func ("/crs/unknown", test_unknown);
  g_test_add_func ("/crs/choose", test_choose);
  g_test_add_func ("/crs/transform", test_transform);
  g_test_add_func ("/crs/proj-data-fallback", test_proj_data_fallback);
  return g_test_run ();
}
