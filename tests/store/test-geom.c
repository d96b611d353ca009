/* test-geom.c — NgamShape ↔ WKB, SpatiaLite blob, GEOS, WKT
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ngam-core.h"

static const char *wkt_cases[] = {
  "POINT (1 2)",
  "LINESTRING (0 0,10 0,10 10)",
  "POLYGON ((0 0,10 0,10 10,0 10,0 0),(2 2,3 2,3 3,2 2))",
  "MULTIPOINT ((1 1),(2 2))",
  "MULTILINESTRING ((0 0,1 1),(2 2,3 3,4 4))",
  "MULTIPOLYGON (((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5),(5.2 5.1,5.8 5.1,5.8 5.5,5.2 5.1)))",
};

/* WKT → GEOS → shape → WKB → shape → SpatiaLite → shape → GEOS: equal. */
static void
test_roundtrip (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (wkt_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      GEOSGeometry *g = ngam_geos_from_wkt (wkt_cases[i], &error);
      g_autoptr(NgamShape) a = ngam_shape_new ();
      g_autoptr(NgamShape) b = ngam_shape_new ();
      g_autoptr(NgamShape) c = ngam_shape_new ();
      g_autoptr(GBytes) wkb = NULL;
      g_autoptr(GByteArray) blob = NULL;
      GEOSGeometry *back;
      gsize len;
      const guint8 *data;

      g_assert_no_error (error);
      g_assert_true (ngam_shape_from_geos (a, g, &error));
      g_assert_no_error (error);
      wkb = ngam_shape_to_wkb (a);
      data = g_bytes_get_data (wkb, &len);
      g_assert_true (ngam_shape_from_wkb (b, data, len, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (ngam_shape_equal (a, b));
      blob = ngam_shape_to_spatialite (b, 9214, NULL);
      g_assert_true (ngam_shape_from_spatialite (c, blob->data, blob->len, &error));
      g_assert_no_error (error);
      g_assert_true (ngam_shape_equal (a, c));
      back = ngam_shape_to_geos (c, &error);
      g_assert_no_error (error);
      if (!GEOSEquals_r (ngam_geos_context (), g, back))
        g_error ("case %u: %s came back different", i, wkt_cases[i]);
      {
        g_autofree char *wkt = ngam_shape_to_wkt (c);
        g_assert_cmpstr (wkt, ==, wkt_cases[i]);
      }
      ngam_geos_free (back);
      ngam_geos_free (g);
    }
}

/* Z and M are dropped and said so; truncated bytes are an error. */
static void
test_wkb_zm_and_truncated (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamShape) s = ngam_shape_new ();
  /* ISO POINT Z (1 2 3), little endian */
  guint8 pz[] = { 1, 0xe9, 0x03, 0, 0,
                  0, 0, 0, 0, 0, 0, 0xf0, 0x3f,
                  0, 0, 0, 0, 0, 0, 0, 0x40,
                  0, 0, 0, 0, 0, 0, 0x08, 0x40 };
  gboolean zm = FALSE;

  g_assert_true (ngam_shape_from_wkb (s, pz, sizeof pz, &zm, &error));
  g_assert_no_error (error);
  g_assert_true (zm);
  g_assert_cmpfloat (s->xy[0], ==, 1.0);
  g_assert_cmpfloat (s->xy[1], ==, 2.0);
  g_assert_false (ngam_shape_from_wkb (s, pz, 12, NULL, &error));
  g_assert_error (error, NGAM_GEOM_ERROR, NGAM_GEOM_ERROR_PARSE);
}

static void
test_length (void)
{
  double xy[] = { 0, 0, 3, 4, 3, 10 };
  g_autoptr(NgamShape) s = ngam_shape_new_line (xy, 3);

  g_assert_cmpfloat_with_epsilon (ngam_shape_length (s), 11.0, 1e-12);
  g_assert_cmpfloat (s->bbox[2], ==, 3.0);
  g_assert_cmpfloat (s->bbox[3], ==, 10.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/geom/roundtrip", test_roundtrip);
  g_test_add_func ("/geom/wkb/zm-and-truncated", test_wkb_zm_and_truncated);
  g_test_add_func ("/geom/length", test_length);
  return g_test_run ();
}
