/* test-cover.c — the coverage analysis on hand-made cases with known
 * answers, bad input, stored runs and cancellation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cover-test-util.h"
#include "ngam-cover-private.h"
#include "ngam-results.h"
#include "ngam-test-util.h"

#define PPH2 "[coverage]\npersons_per_household = 2\n"

/* ---- fibre reach along the streets -------------------------------- */

/* A U of streets: the fibre ends at (0, 0); (0, 100) is 100 m away in a
 * straight line but 95 + 100 + 95 = 290 m along the streets; (-20, 100)
 * is 310 m along them. */
static const CoverTestFeature u_streets[] = {
  { NGAM_LAYER_STREETS, "LINESTRING (0 -40, 0 0)", NULL, NULL },
  { NGAM_LAYER_STREETS, "LINESTRING (0 0, 95 0)", NULL, NULL },
  { NGAM_LAYER_STREETS, "LINESTRING (95 0, 95 100)", NULL, NULL },
  { NGAM_LAYER_STREETS, "LINESTRING (95 100, 0 100)", NULL, NULL },
  { NGAM_LAYER_STREETS, "LINESTRING (0 100, -20 100)", NULL, NULL },
  { NGAM_LAYER_SPANS, "LINESTRING (0 -40, 0 0)", "VNPT", "cable_type=fibre;status=active" },
  { NGAM_LAYER_DEMAND, "POINT (0 100)", NULL, "households=1" },
  { NGAM_LAYER_DEMAND, "POINT (-20 100)", NULL, "households=2" },
};

static void
test_fibre_along_streets (void)
{
  g_autoptr(CoverTestProject) p = cover_test_project_new (u_streets, G_N_ELEMENTS (u_streets));
  g_autoptr(NgamGapsResult) r = NULL, r2 = NULL;
  NgamGapsOptions opt = NGAM_GAPS_OPTIONS_INIT;
  JsonObject *o;

  opt.store_results = FALSE;
  opt.proposals = FALSE;
  o = cover_test_run (p, &opt, &r);
  g_assert_cmpfloat (cover_test_number (o, "fibre.access_points"), ==, 2);
  g_assert_cmpfloat (cover_test_number (o, "fibre.households_served"), ==, 1);
  g_assert_cmpfloat (cover_test_number (o, "fibre.unserved_households"), ==, 2);
  g_assert_cmpfloat (cover_test_number (o, "fibre.unserved_points"), ==, 1);
  g_assert_cmpfloat_with_epsilon (cover_test_number (o, "indicators.households_fibre_share"), 1.0 / 3, 1e-12);
  /* no cell sites: the mobile shares are absent, not zero, and said so */
  g_assert_false (cover_test_has (o, "indicators.population_covered_share"));
  {
    g_autofree char *notes = json_to_string (json_object_get_member (o, "notes"), FALSE);

    g_assert_true (strstr (notes, "no cell sites") != NULL);
  }
  /* both outside every ward: counted under "no ward" */
  g_assert_cmpfloat (cover_test_number (o, "demand.households_no_ward"), ==, 3);

  /* 310 m is within a 320 m drop */
  opt.max_drop_m = 320;
  o = cover_test_run (p, &opt, &r2);
  g_assert_cmpfloat (cover_test_number (o, "fibre.households_served"), ==, 3);
}

/* ---- sectors and overlaps ------------------------------------------ */

static const CoverTestFeature sector_case[] = {
  { NGAM_LAYER_SITES, "POINT (0 0)", "Viettel", "radio=LTE;range_m=500;azimuth=90" },
  { NGAM_LAYER_DEMAND, "POINT (300 0)", NULL, "households=1" },       /* in front */
  { NGAM_LAYER_DEMAND, "POINT (300 100)", NULL, "households=1000" },  /* 18° off the axis */
  { NGAM_LAYER_DEMAND, "POINT (-300 0)", NULL, "households=10" },     /* behind */
  { NGAM_LAYER_DEMAND, "POINT (0 300)", NULL, "households=100" },     /* 90° off */
  { NGAM_LAYER_DEMAND, "POINT (520 0)", NULL, "households=10000" },   /* beyond the range */
};

static void
test_sector (void)
{
  g_autoptr(CoverTestProject) p = cover_test_project_new (sector_case, G_N_ELEMENTS (sector_case));
  g_autoptr(NgamGapsResult) r = NULL;
  NgamGapsOptions opt = NGAM_GAPS_OPTIONS_INIT;
  CoverPiece piece = { 0, 0, 500, 90, 120, 1, 2, -1 };
  JsonObject *o;

  opt.store_results = FALSE;
  opt.settings = PPH2;
  opt.techs = NGAM_GAPS_4G;
  o = cover_test_run (p, &opt, &r);
  g_assert_cmpfloat (cover_test_number (o, "indicators.population_covered.4G"), ==, 2 * 1001);
  g_assert_cmpfloat (cover_test_number (o, "mobile.4G.uncovered_households"), ==, 10110);
  g_assert_cmpfloat (cover_test_number (o, "mobile.4G.by_operator.Viettel.covered_population"), ==, 2 * 1001);
  /* the point test agrees with the polygon, vertex for vertex */
  {
    GEOSContextHandle_t h = ngam_geos_context ();
    g_autoptr(GRand) rand = g_rand_new_with_seed (11);
    GEOSGeometry *poly = cover_piece_polygon (&piece, 30);
    const GEOSPreparedGeometry *prep = GEOSPrepare_r (h, poly);

    g_assert_true (GEOSisValid_r (h, poly));
    for (int i = 0; i < 20000; i++)
      {
        double x = g_rand_double_range (rand, -520, 520), y = g_rand_double_range (rand, -520, 520);
        GEOSGeometry *pt = GEOSGeom_createPointFromXY_r (h, x, y);
        gboolean in_poly = GEOSPreparedContains_r (h, prep, pt) == 1;
        gboolean on_edge = FALSE;
        double d;

        GEOSDistance_r (h, pt, GEOSGetExteriorRing_r (h, poly), &d);
        on_edge = d < 1e-6;
        if (!on_edge && in_poly != cover_piece_contains (&piece, 30, x, y))
          g_error ("(%g, %g): polygon says %d, point test %d", x, y, in_poly, !in_poly);
        GEOSGeom_destroy_r (h, pt);
      }
    GEOSPreparedGeom_destroy_r (h, prep);
    GEOSGeom_destroy_r (h, poly);
  }
}

static const CoverTestFeature overlap_case[] = {
  { NGAM_LAYER_SITES, "POINT (0 0)", "VNPT", "radio=GSM;range_m=200" },
  { NGAM_LAYER_SITES, "POINT (100 0)", "VNPT", "radio=GSM;range_m=200" },
  { NGAM_LAYER_DEMAND, "POINT (50 0)", NULL, "households=5" },    /* both */
  { NGAM_LAYER_DEMAND, "POINT (250 0)", NULL, "households=7" },   /* the second only */
  { NGAM_LAYER_DEMAND, "POINT (400 0)", NULL, "households=11" },  /* neither */
};

static void
test_overlap (void)
{
  g_autoptr(CoverTestProject) p = cover_test_project_new (overlap_case, G_N_ELEMENTS (overlap_case));
  g_autoptr(NgamGapsResult) r = NULL;
  NgamGapsOptions opt = NGAM_GAPS_OPTIONS_INIT;
  GEOSContextHandle_t h = ngam_geos_context ();
  GEOSGeometry *a, *b, *pa, *pb, *u;
  double area;
  JsonObject *o;

  opt.store_results = FALSE;
  opt.settings = PPH2;
  opt.techs = NGAM_GAPS_2G;
  o = cover_test_run (p, &opt, &r);
  g_assert_cmpfloat (cover_test_number (o, "indicators.population_covered.2G"), ==, 2 * 12);
  g_assert_cmpfloat (cover_test_number (o, "mobile.2G.uncovered_population"), ==, 2 * 11);
  /* the union's area, against GEOS's own buffers and union */
  pa = GEOSGeom_createPointFromXY_r (h, 0, 0);
  pb = GEOSGeom_createPointFromXY_r (h, 100, 0);
  a = GEOSBuffer_r (h, pa, 200, 30);
  b = GEOSBuffer_r (h, pb, 200, 30);
  u = GEOSUnion_r (h, a, b);
  GEOSArea_r (h, u, &area);
  g_assert_cmpfloat_with_epsilon (cover_test_number (o, "mobile.2G.coverage_km2"), area / 1e6, 1e-9 * area / 1e6);
  GEOSGeom_destroy_r (h, pa);
  GEOSGeom_destroy_r (h, pb);
  GEOSGeom_destroy_r (h, a);
  GEOSGeom_destroy_r (h, b);
  GEOSGeom_destroy_r (h, u);
}

/* ---- a flood over the only fibre route ----------------------------- */

/* One street, eleven poles every 100 m, fibre spans between them; a
 * flood zone across it between 620 and 680 m breaks the span 600–700.
 * The network's larger part (0–600 m) keeps the feed; households more
 * than 300 m beyond pole 600 lose fibre: those at 920 and 990 m (8 + 16
 * households), not the one at 850 m (250 m + 10 m).  A GSM site inside
 * the zone loses power: the 32 households only it covered lose signal. */
static CoverTestFeature *
flood_case (guint *n)
{
  GArray *f = g_array_new (FALSE, FALSE, sizeof (CoverTestFeature));
  static char wkt[11][64], fields[10][64];
  static const CoverTestFeature fixed[] = {
    { NGAM_LAYER_STREETS, "LINESTRING (0 0, 1000 0)", NULL, NULL },
    { NGAM_LAYER_ZONES, "MULTIPOLYGON (((620 -50, 680 -50, 680 50, 620 50, 620 -50)))", NULL,
      "zone_type=flood;name=Lũ thử;level=1.2" },
    { NGAM_LAYER_SITES, "POINT (650 0)", "VNPT", "radio=GSM;range_m=100" },
    { NGAM_LAYER_DEMAND, "POINT (50 10)", NULL, "households=1" },
    { NGAM_LAYER_DEMAND, "POINT (450 10)", NULL, "households=2" },
    { NGAM_LAYER_DEMAND, "POINT (850 10)", NULL, "households=4" },
    { NGAM_LAYER_DEMAND, "POINT (920 10)", NULL, "households=8" },
    { NGAM_LAYER_DEMAND, "POINT (990 10)", NULL, "households=16" },
    { NGAM_LAYER_DEMAND, "POINT (650 40)", NULL, "households=32" },
  };

  g_array_append_vals (f, fixed, G_N_ELEMENTS (fixed));
  for (guint i = 0; i <= 10; i++)
    {
      CoverTestFeature pole = { NGAM_LAYER_POLES, wkt[i], "EVN", NULL };

      g_snprintf (wkt[i], sizeof wkt[i], "POINT (%u 0)", 100 * i);
      g_array_append_val (f, pole);
    }
  for (guint i = 0; i < 10; i++)
    {
      CoverTestFeature span = { NGAM_LAYER_SPANS, fields[i], "VNPT", "cable_type=fibre;status=active" };

      g_snprintf (fields[i], sizeof fields[i], "LINESTRING (%u 0, %u 0)", 100 * i, 100 * (i + 1));
      g_array_append_val (f, span);
    }
  *n = f->len;
  return (CoverTestFeature *) g_array_free (f, FALSE);
}

static void
test_flood_cut (void)
{
  guint n;
  g_autofree CoverTestFeature *features = flood_case (&n);
  g_autoptr(CoverTestProject) p = cover_test_project_new (features, n);
  g_autoptr(NgamGapsResult) r = NULL, r2 = NULL, r3 = NULL;
  NgamGapsOptions opt = NGAM_GAPS_OPTIONS_INIT;
  JsonObject *o, *z;
  JsonArray *hz;

  opt.store_results = FALSE;
  opt.settings = PPH2;
  opt.hazards = NGAM_ZONE_FLOOD | NGAM_ZONE_LANDSLIDE;
  o = cover_test_run (p, &opt, &r);
  g_assert_cmpfloat (cover_test_number (o, "fibre.households_served"), ==, 63);
  hz = json_object_get_array_member (o, "hazards");
  g_assert_cmpuint (json_array_get_length (hz), ==, 1);
  z = json_array_get_object_element (hz, 0);
  g_assert_cmpstr (json_object_get_string_member (z, "zone"), ==, "Lũ thử");
  g_assert_cmpfloat (cover_test_number (z, "households_cut"), ==, 8 + 16);
  g_assert_cmpfloat (cover_test_number (z, "population_cut"), ==, 2 * 32);
  g_assert_cmpfloat (cover_test_number (z, "population_cut_by_tech.2G"), ==, 2 * 32);
  g_assert_cmpfloat_with_epsilon (cover_test_number (z, "plant.aerial_m"), 60, 1e-9);
  g_assert_cmpfloat (cover_test_number (z, "plant.poles"), ==, 0);
  g_assert_cmpfloat (cover_test_number (z, "plant.sites"), ==, 1);
  g_assert_cmpfloat (cover_test_number (z, "plant.fibre_links_cut"), ==, 1);
  g_assert_cmpfloat (cover_test_number (z, "depth_m"), ==, 1.2);

  /* a flood of 2 m: this zone (1.2 m) is not in it */
  opt.flood_depth = 2;
  o = cover_test_run (p, &opt, &r2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "hazards")), ==, 0);
  /* landslides only: none in the project */
  opt.flood_depth = NAN;
  opt.hazards = NGAM_ZONE_LANDSLIDE;
  o = cover_test_run (p, &opt, &r3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "hazards")), ==, 0);
}

/* ---- proposals ----------------------------------------------------- */

static void
test_fibre_proposal (void)
{
  g_autoptr(CoverTestProject) p = cover_test_project_new (u_streets, G_N_ELEMENTS (u_streets));
  g_autoptr(NgamGapsResult) r = NULL;
  NgamGapsOptions opt = NGAM_GAPS_OPTIONS_INIT;
  JsonObject *o, *pr;
  JsonArray *fibre;
  double cost;

  opt.store_results = FALSE;
  opt.max_drop_m = 100;
  opt.settings = "[coverage]\nfibre_extension_vnd_per_m = 1000\nfibre_drop_vnd_per_household = 50\n"
                 "household_value_vnd = 1000000\ncluster_size_m = 1000\n";
  o = cover_test_run (p, &opt, &r);
  /* nobody within 100 m: one extension along the U reaches both */
  g_assert_cmpfloat (cover_test_number (o, "fibre.unserved_households"), ==, 3);
  fibre = json_object_get_array_member (json_object_get_object_member (o, "proposals"), "fibre");
  g_assert_cmpuint (json_array_get_length (fibre), ==, 1);
  pr = json_array_get_object_element (fibre, 0);
  g_assert_cmpfloat (cover_test_number (pr, "households"), ==, 3);
  /* from (0, 0) along the U to the terminal node: at least 290 − 100 m
   * of new fibre, at most the whole U to (-20, 100) */
  g_assert_cmpfloat (cover_test_number (pr, "length_m"), >=, 190 - 1e-9);
  g_assert_cmpfloat (cover_test_number (pr, "length_m"), <=, 310 + 1e-9);
  cost = cover_test_number (pr, "length_m") * 1000 + 3 * 50;
  g_assert_cmpfloat_with_epsilon (cover_test_number (pr, "cost_vnd"), cost, 1e-6);
  g_assert_cmpfloat_with_epsilon (cover_test_number (pr, "cost_per_household"), cost / 3, 1e-6);
}

static const CoverTestFeature site_proposal_case[] = {
  { NGAM_LAYER_SITES, "POINT (0 0)", "VNPT", "radio=LTE;range_m=100" },
  { NGAM_LAYER_POLES, "POINT (1000 0)", "EVN", NULL },
  { NGAM_LAYER_POLES, "POINT (1500 0)", "EVN", NULL },
  { NGAM_LAYER_DEMAND, "POINT (50 0)", NULL, "households=3" },
  { NGAM_LAYER_DEMAND, "POINT (1100 0)", NULL, "households=5" },
  { NGAM_LAYER_DEMAND, "POINT (1400 0)", NULL, "households=7" },
  { NGAM_LAYER_DEMAND, "POINT (1600 0)", NULL, "households=2" },
};

static void
test_site_proposal (void)
{
  g_autoptr(CoverTestProject) p = cover_test_project_new (site_proposal_case, G_N_ELEMENTS (site_proposal_case));
  g_autoptr(NgamGapsResult) r = NULL;
  NgamGapsOptions opt = NGAM_GAPS_OPTIONS_INIT;
  JsonObject *o, *a, *b;
  JsonArray *mobile;

  opt.store_results = FALSE;
  opt.techs = NGAM_GAPS_4G;
  /* new 4G sites reach 450 m: the pole at 1500 m covers 1100, 1400 and
   * 1600 (14 households), the one at 1000 m only 1100 and 1400 (12);
   * once the first is chosen the second adds nothing */
  opt.settings = "[coverage]\npersons_per_household = 1\nenvironment = urban\nrange_4g_urban_m = 450\n"
                 "mobile_min_population = 1\n";
  o = cover_test_run (p, &opt, &r);
  mobile = json_object_get_array_member (json_object_get_object_member (o, "proposals"), "mobile");
  g_assert_cmpuint (json_array_get_length (mobile), ==, 1);
  a = json_array_get_object_element (mobile, 0);
  g_assert_cmpfloat (cover_test_number (a, "population_added"), ==, 5 + 7 + 2);
  g_assert_cmpfloat (cover_test_number (a, "x"), ==, 1500);
  g_assert_cmpfloat (cover_test_number (a, "fid_or_xy"), ==, cover_test_number (a, "pole_fid"));
  /* with 300 m the two poles split the work: 1400 + 1600 (9), then 1100 (5) */
  g_clear_pointer (&r, ngam_gaps_result_free);
  opt.settings = "[coverage]\npersons_per_household = 1\nenvironment = urban\nrange_4g_urban_m = 300\n"
                 "mobile_min_population = 1\n";
  o = cover_test_run (p, &opt, &r);
  mobile = json_object_get_array_member (json_object_get_object_member (o, "proposals"), "mobile");
  g_assert_cmpuint (json_array_get_length (mobile), ==, 2);
  a = json_array_get_object_element (mobile, 0);
  b = json_array_get_object_element (mobile, 1);
  g_assert_cmpfloat (cover_test_number (a, "population_added"), ==, 9);
  g_assert_cmpfloat (cover_test_number (a, "x"), ==, 1500);
  g_assert_cmpfloat (cover_test_number (b, "population_added"), ==, 5);
  g_assert_cmpfloat (cover_test_number (b, "x"), ==, 1000);
}

/* ---- bad input ----------------------------------------------------- */

static const CoverTestFeature wards_case[] = {
  { NGAM_LAYER_ADMIN, "MULTIPOLYGON (((0 0, 100 0, 100 100, 0 100, 0 0)))", NULL, "name=Phường Một;code=1;level=ward" },
  { NGAM_LAYER_ADMIN, "MULTIPOLYGON (((100 0, 200 0, 200 100, 100 100, 100 0)))", NULL, "name=Phường Hai;code=2;level=ward" },
  { NGAM_LAYER_ADMIN, "MULTIPOLYGON (((0 0, 200 0, 200 100, 0 100, 0 0)))", NULL, "name=Thành phố;level=district" },
  { NGAM_LAYER_SITES, "POINT (50 50)", "VNPT", "radio=LTE;range_m=60" },
  { NGAM_LAYER_SITES, "POINT (150 50)", "VNPT", "radio=LTE" },            /* no range: the default */
  { NGAM_LAYER_SITES, "POINT (150 50)", "VNPT", "radio=WiMAX;range_m=500" },  /* unknown radio */
  { NGAM_LAYER_DEMAND, "POINT (50 50)", NULL, "households=1" },
  { NGAM_LAYER_DEMAND, "POINT (150 50)", NULL, "households=2" },
  { NGAM_LAYER_DEMAND, "POINT (500 500)", NULL, "households=4" },          /* no ward */
  { NGAM_LAYER_DEMAND, "POINT (60 60)", NULL, NULL },                     /* no household count */
};

static void
test_wards_and_defaults (void)
{
  g_autoptr(CoverTestProject) p = cover_test_project_new (wards_case, G_N_ELEMENTS (wards_case));
  g_autoptr(NgamGapsResult) r = NULL, r2 = NULL, r3 = NULL;
  g_autoptr(GError) error = NULL;
  NgamGapsOptions opt = NGAM_GAPS_OPTIONS_INIT;
  JsonObject *o;
  JsonArray *wards;
  double hh = 0, cov = 0;
  g_autofree char *notes = NULL;

  opt.store_results = FALSE;
  opt.techs = NGAM_GAPS_4G;
  opt.settings = "[coverage]\npersons_per_household = 1\nenvironment = urban\nrange_4g_urban_m = 30\n";
  o = cover_test_run (p, &opt, &r);
  wards = json_object_get_array_member (o, "wards");
  /* the two wards (not the district) and "no ward" */
  g_assert_cmpuint (json_array_get_length (wards), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (wards, 2), "name"), ==, "no ward");
  for (guint i = 0; i < json_array_get_length (wards); i++)
    {
      JsonObject *w = json_array_get_object_element (wards, i);

      hh += cover_test_number (w, "households");
      cov += cover_test_number (w, "population_covered.4G");
    }
  g_assert_cmpfloat (hh, ==, cover_test_number (o, "demand.households"));
  g_assert_cmpfloat (hh, ==, 1 + 2 + 4 + 1);
  g_assert_cmpfloat (cov, ==, cover_test_number (o, "indicators.population_covered.4G"));
  /* (50,50) and (60,60) by the first site, (150,50) by the default 30 m */
  g_assert_cmpfloat (cov, ==, 1 + 1 + 2);
  g_assert_cmpfloat (cover_test_number (o, "demand.households_no_ward"), ==, 4);
  g_assert_cmpfloat (cover_test_number (o, "demand.points_without_households"), ==, 1);
  notes = json_to_string (json_object_get_member (o, "notes"), FALSE);
  g_assert_true (strstr (notes, "1 cell sites have no radio") != NULL);

  /* no default range for 4G: the site without one is left out, said so */
  opt.settings = "[coverage]\npersons_per_household = 1\nenvironment = urban\nrange_4g_urban_m = 0\n";
  o = cover_test_run (p, &opt, &r2);
  g_assert_cmpfloat (cover_test_number (o, "indicators.population_covered.4G"), ==, 2);
  g_clear_pointer (&notes, g_free);
  notes = json_to_string (json_object_get_member (o, "notes"), FALSE);
  g_assert_true (strstr (notes, "no range and the scenario gives no default") != NULL);

  /* one ward only */
  opt.area = "Phường Hai";
  o = cover_test_run (p, &opt, &r3);
  g_assert_cmpfloat (cover_test_number (o, "demand.households"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "wards")), ==, 1);

  /* refusals */
  opt.area = "Phường Ba";
  g_assert_false (ngam_gaps_run (p->store, &opt, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_INVALID);
  g_assert_true (strstr (error->message, "Phường Ba") != NULL);
  g_clear_error (&error);
  opt.area = NULL;
  opt.settings = "[coverage]\nmax_dorp_m = 10\n";
  g_assert_false (ngam_gaps_run (p->store, &opt, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_INVALID);
  g_assert_true (strstr (error->message, "max_dorp_m") != NULL);
  g_clear_error (&error);
  opt.settings = "[coverage]\npersons_per_household = -1\n";
  g_assert_false (ngam_gaps_run (p->store, &opt, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_INVALID);
  g_clear_error (&error);
  opt.settings = NULL;
  opt.dem = "/nonexistent/dem.tif";
  g_assert_false (ngam_gaps_run (p->store, &opt, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_DEM);
  g_clear_error (&error);
}

static void
test_empty_project (void)
{
  g_autoptr(CoverTestProject) p = cover_test_project_new (NULL, 0);
  g_autoptr(GError) error = NULL;
  NgamGapsOptions opt = NGAM_GAPS_OPTIONS_INIT;

  g_assert_false (ngam_gaps_run (p->store, &opt, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_NO_DATA);
}

static void
test_parse (void)
{
  g_autoptr(GError) error = NULL;
  guint techs, hz;
  double depth;

  g_assert_true (ngam_gaps_parse_techs ("4G,fibre", &techs, &error));
  g_assert_cmpuint (techs, ==, NGAM_GAPS_4G | NGAM_GAPS_FIBRE);
  g_assert_true (ngam_gaps_parse_techs ("all", &techs, &error));
  g_assert_cmpuint (techs, ==, NGAM_GAPS_ALL);
  g_assert_false (ngam_gaps_parse_techs ("7G", &techs, &error));
  g_assert_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (ngam_gaps_parse_hazard ("flood:1.5", &hz, &depth, &error));
  g_assert_cmpuint (hz, ==, NGAM_ZONE_FLOOD);
  g_assert_cmpfloat (depth, ==, 1.5);
  g_assert_true (ngam_gaps_parse_hazard ("all", &hz, &depth, &error));
  g_assert_cmpuint (hz, ==, NGAM_ZONE_FLOOD | NGAM_ZONE_LANDSLIDE);
  g_assert_true (isnan (depth));
  g_assert_false (ngam_gaps_parse_hazard ("flood:deep", &hz, &depth, &error));
  g_clear_error (&error);
  g_assert_false (ngam_gaps_parse_hazard ("fire", &hz, &depth, &error));
  g_clear_error (&error);
}

/* ---- stored runs, determinism, cancellation ------------------------ */

static void
cancel_on_store (double fraction, const char *message, gpointer data)
{
  if (message && strstr (message, "storing"))
    g_cancellable_cancel (data);
}

static void
test_store_and_cancel (void)
{
  guint n;
  g_autofree CoverTestFeature *features = flood_case (&n);
  g_autoptr(CoverTestProject) p = cover_test_project_new (features, n);
  g_autoptr(NgamGapsResult) r1 = NULL, r2 = NULL, r3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(NgamResultCursor) cur = NULL;
  g_autofree char *j1 = NULL, *j2 = NULL, *before = NULL, *after = NULL;
  NgamGapsOptions opt = NGAM_GAPS_OPTIONS_INIT;
  GEOSContextHandle_t h = ngam_geos_context ();
  gint64 n_coverage = 0;

  opt.hazards = NGAM_ZONE_FLOOD;
  cover_test_run (p, &opt, &r1);
  cover_test_run (p, &opt, &r2);
  g_assert_cmpint (r2->run_id, >, 0);
  /* identical results, one run kept */
  json_object_remove_member (json_node_get_object (r1->summary), "run_id");
  json_object_remove_member (json_node_get_object (r2->summary), "run_id");
  j1 = json_to_string (r1->summary, FALSE);
  j2 = json_to_string (r2->summary, FALSE);
  g_assert_cmpstr (j1, ==, j2);
  runs = ngam_store_list_runs (p->store, "default", "gaps", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpint (ngam_store_count_results (p->store, r2->run_id, NULL, &error), ==, r2->n_features);
  g_assert_cmpint (ngam_store_count_results (p->store, r2->run_id, "hazard", &error), ==, 1);
  /* gap points: fibre none (all served); 2G all but (650, 40); none for
   * 3G, 4G and 5G, which have no cells (every point a gap, said so) */
  g_assert_cmpint (ngam_store_count_results (p->store, r2->run_id, "gap_point", &error), ==, 5);
  g_assert_true (strstr (j2, "no 3G cell: every demand point is a 3G gap") != NULL);
  cur = ngam_store_query_results (p->store, r2->run_id, "coverage", NULL, &error);
  g_assert_no_error (error);
  while (ngam_result_cursor_next (cur, &error))
    {
      const NgamResultFeature *f = ngam_result_cursor_get (cur);
      GEOSGeometry *g = ngam_shape_to_geos (f->shape, &error);

      g_assert_no_error (error);
      g_assert_cmpint (f->shape->type, ==, NGAM_SHAPE_MULTIPOLYGON);
      g_assert_true (GEOSisValid_r (h, g));
      GEOSGeom_destroy_r (h, g);
      n_coverage++;
    }
  g_assert_no_error (error);
  g_assert_cmpint (n_coverage, ==, 1);
  g_clear_pointer (&cur, ngam_result_cursor_free);

  /* cancelled while storing: the file does not change by one byte */
  g_clear_pointer (&p->store, ngam_store_close);
  before = ngam_test_sha256_file (p->path);
  p->store = ngam_store_open (p->path, NGAM_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  opt.hazards = NGAM_ZONE_FLOOD | NGAM_ZONE_LANDSLIDE;
  g_assert_false (ngam_gaps_run (p->store, &opt, &r3, cancel_on_store, cancel, cancel, &error));
  g_assert_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_CANCELLED);
  g_assert_null (r3);
  g_clear_pointer (&p->store, ngam_store_close);
  after = ngam_test_sha256_file (p->path);
  g_assert_cmpstr (before, ==, after);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();
  g_test_add_func ("/cover/fibre/along-streets", test_fibre_along_streets);
  g_test_add_func ("/cover/mobile/sector", test_sector);
  g_test_add_func ("/cover/mobile/overlap-once", test_overlap);
  g_test_add_func ("/cover/hazard/flood-cuts-beyond", test_flood_cut);
  g_test_add_func ("/cover/proposals/fibre", test_fibre_proposal);
  g_test_add_func ("/cover/proposals/sites", test_site_proposal);
  g_test_add_func ("/cover/input/wards-and-defaults", test_wards_and_defaults);
  g_test_add_func ("/cover/input/empty", test_empty_project);
  g_test_add_func ("/cover/input/parse", test_parse);
  g_test_add_func ("/cover/store/replace-and-cancel", test_store_and_cancel);
  return g_test_run ();
}
