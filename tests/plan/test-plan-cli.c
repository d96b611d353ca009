/* test-plan-cli.c — ngam-batch plan, scenarios and compare as a user runs
 * them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ngam-test-util.h"

static char *dir, *project;

static JsonObject *
parse (JsonParser *parser,
       const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_plan_json (void)
{
  g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;
  g_autoptr(JsonParser) p1 = json_parser_new ();
  g_autoptr(JsonParser) p2 = json_parser_new ();
  JsonObject *shared, *alone, *totals;
  const char *methods[] = { "open_cut_sidewalk", "open_cut_roadway", "open_cut_unpaved", "micro_trench",
                            "hdd", "bridge_attachment", "duct_reuse" };
  const char *keys[] = { "cost_vnd", "trench_m", "cable_m", "spans_retired", "poles_removed", "poles_freed",
                         "manholes", "handholes" };
  const char *lists[] = { "operators", "phases", "wards", "unfunded", "unmatched_spans", "violations" };

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "plan", project, "--json", NULL), ==, 0);
  g_assert_cmpint (ngam_test_run_batch (&out2, &err2, "plan", project, "--scenario", "alone", "--no-sharing", "--json", NULL), ==, 0);
  shared = parse (p1, out);
  alone = parse (p2, out2);
  totals = json_object_get_object_member (shared, "totals");
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (totals, keys[i]));
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    g_assert_true (json_object_has_member (json_object_get_object_member (totals, "trench_m_by_method"), methods[i]));
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    g_assert_true (json_object_has_member (shared, lists[i]));
  g_assert_cmpint (json_object_get_int_member (totals, "cost_vnd"), <,
                   0.7 * json_object_get_int_member (json_object_get_object_member (alone, "totals"), "cost_vnd"));
}

static void
test_scenarios_compare (void)
{
  g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "scenarios", project, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "default"));
  g_assert_nonnull (strstr (out, "alone"));
  g_assert_cmpint (ngam_test_run_batch (&out2, &err2, "compare", project, "default", "alone", "--json", NULL), ==, 0);
  root = parse (parser, out2);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (root, "edges_only_b")), >, 0);
  g_assert_true (json_object_has_member (root, "operators"));
  /* the same comparison as one CSV table: its total cost the JSON's */
  {
    g_autofree char *out3 = NULL, *err3 = NULL, *out4 = NULL, *err4 = NULL;
    g_autofree char *cost = g_strdup_printf ("\r\ntotals,cost_vnd,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",",
                                             json_array_get_int_element (json_object_get_array_member (
                                               json_object_get_object_member (root, "totals"), "cost_vnd"), 0),
                                             json_array_get_int_element (json_object_get_array_member (
                                               json_object_get_object_member (root, "totals"), "cost_vnd"), 1));

    g_assert_cmpint (ngam_test_run_batch (&out3, &err3, "compare", project, "default", "alone", "--csv", NULL), ==, 0);
    g_assert_true (g_str_has_prefix (out3, "section,item,a,b,b_minus_a\r\nscenario,name,default,alone,\r\n"));
    g_assert_nonnull (strstr (out3, cost));
    g_assert_cmpint (ngam_test_run_batch (&out4, &err4, "compare", project, "default", "alone", "--csv", "--json",
                                          NULL), ==, 2);
    g_assert_nonnull (strstr (err4, "--csv"));
  }
}

static void
test_bad_usage (void)
{
  g_autofree char *ini = g_build_filename (dir, "bad.ini", NULL);
  g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL, *out3 = NULL, *err3 = NULL;
  g_autofree char *where = g_strdup_printf ("%s:3: [costs] manhole: a cost cannot be negative", ini);

  g_assert_true (g_file_set_contents (ini, "[costs]\n# a comment\nmanhole = -1\n", -1, NULL));
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "plan", project, "--config", ini, NULL), ==, 1);
  g_assert_nonnull (strstr (err, where));
  g_assert_cmpint (ngam_test_run_batch (&out2, &err2, "plan", project, "--budget-per-year", "lots", NULL), ==, 2);
  g_assert_cmpint (ngam_test_run_batch (&out3, &err3, "compare", project, "default", "nosuch", NULL), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *out = NULL, *err = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = ngam_test_tmpdir ();
  project = g_build_filename (dir, "town.ngam", NULL);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "sample", "--out", project, "--size", "400", NULL), ==, 0);
  g_test_add_func ("/plan-cli/json", test_plan_json);
  g_test_add_func ("/plan-cli/scenarios-compare", test_scenarios_compare);
  g_test_add_func ("/plan-cli/bad-usage", test_bad_usage);
  status = g_test_run ();
  ngam_test_rmdir (dir);
  g_free (dir);
  g_free (project);
  return status;
}
