/* test-cover-batch.c — `ngam-batch gaps` as a user runs it: the JSON
 * keys the README documents, exit statuses, refusals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cover-test-util.h"
#include "ngam-test-util.h"

static const CoverTestFeature town[] = {
  { NGAM_LAYER_STREETS, "LINESTRING (0 0, 1000 0)", NULL, NULL },
  { NGAM_LAYER_SPANS, "LINESTRING (0 0, 100 0)", "VNPT", "cable_type=fibre;status=active" },
  { NGAM_LAYER_SITES, "POINT (0 0)", "VNPT", "radio=LTE;range_m=400" },
  { NGAM_LAYER_ZONES, "MULTIPOLYGON (((40 -20, 60 -20, 60 20, 40 20, 40 -20)))", NULL, "zone_type=flood;level=1" },
  { NGAM_LAYER_ADMIN, "MULTIPOLYGON (((-10 -10, 1010 -10, 1010 10, -10 10, -10 -10)))", NULL, "name=Phường A;level=ward" },
  { NGAM_LAYER_POLES, "POINT (700 0)", "EVN", NULL },
  { NGAM_LAYER_DEMAND, "POINT (200 5)", NULL, "households=3" },
  { NGAM_LAYER_DEMAND, "POINT (800 5)", NULL, "households=4" },
};

static void
test_json (void)
{
  g_autoptr(CoverTestProject) p = cover_test_project_new (town, G_N_ELEMENTS (town));
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o;
  const char *keys[] = {
    "indicators.population_covered_share.2G", "indicators.population_covered_share.3G",
    "indicators.population_covered_share.4G", "indicators.population_covered_share.5G",
    "indicators.households_fibre_share", "fibre.unserved_households", "mobile.4G.uncovered_population",
    "wards", "hazards", "proposals.fibre", "proposals.mobile", "run_id",
  };

  g_clear_pointer (&p->store, ngam_store_close);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "gaps", p->path, "--hazard", "all", "--json", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (!cover_test_has (o, keys[i]))
      g_error ("the gaps JSON has no %s", keys[i]);
  /* (200, 5): 100 + 5 m from the span's end; (800, 5) is 700 m away */
  g_assert_cmpfloat (cover_test_number (o, "fibre.unserved_households"), ==, 4);
  g_assert_cmpfloat (cover_test_number (o, "indicators.population_covered_share.4G"), ==, 3.0 / 7);
  {
    JsonObject *h = json_array_get_object_element (json_object_get_array_member (o, "hazards"), 0);
    JsonArray *ms = json_object_get_array_member (json_object_get_object_member (o, "proposals"), "mobile");
    JsonObject *m = NULL;

    for (guint i = 0; i < json_array_get_length (ms); i++)
      if (strcmp (json_object_get_string_member (json_array_get_object_element (ms, i), "tech"), "4G") == 0)
        m = json_array_get_object_element (ms, i);
    g_assert_nonnull (m);

    /* the flood breaks the only span: (200, 5) loses fibre */
    g_assert_cmpfloat (cover_test_number (h, "households_cut"), ==, 3);
    g_assert_true (cover_test_has (h, "zone") && cover_test_has (h, "plant"));
    /* a 4G site on the pole at 700 m covers (800, 5) */
    g_assert_cmpfloat (cover_test_number (m, "fid_or_xy"), ==, 1);
    g_assert_cmpfloat (cover_test_number (m, "population_added"), ==, 4 * 3.5);
  }
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, NULL, "gaps", p->path, NULL), ==, 0);
  g_assert_true (strstr (out, "households fibre") != NULL);
  g_assert_true (strstr (out, "Phường A") != NULL);
}

static void
test_refusals (void)
{
  g_autoptr(CoverTestProject) p = cover_test_project_new (town, G_N_ELEMENTS (town));
  g_autofree char *err1 = NULL, *err2 = NULL, *err3 = NULL, *err4 = NULL, *before = NULL, *after = NULL;

  g_clear_pointer (&p->store, ngam_store_close);
  before = ngam_test_sha256_file (p->path);
  g_assert_cmpint (ngam_test_run_batch (NULL, &err1, "gaps", p->path, "--tech", "7G", NULL), ==, 2);
  g_assert_true (strstr (err1, "7G") != NULL);
  g_assert_cmpint (ngam_test_run_batch (NULL, &err2, "gaps", p->path, "--hazard", "fire", NULL), ==, 2);
  g_assert_cmpint (ngam_test_run_batch (NULL, &err3, "gaps", p->path, "--area", "Phường Z", NULL), ==, 1);
  g_assert_true (g_str_has_prefix (err3, "ngam-batch gaps: "));
  g_assert_cmpint (ngam_test_run_batch (NULL, &err4, "gaps", p->path, "--dem", "x.tif", NULL), ==, 1);
  g_assert_true (strstr (err4, "x.tif") != NULL);
  after = ngam_test_sha256_file (p->path);
  g_assert_cmpstr (before, ==, after);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();
  g_test_add_func ("/cover/batch/json", test_json);
  g_test_add_func ("/cover/batch/refusals", test_refusals);
  return g_test_run ();
}
