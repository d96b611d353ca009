/* test-net-batch.c — `ngam-batch graph`, `route` and `steiner` as a user
 * runs them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdal.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <ogr_api.h>
#include <string.h>

#include "net-test-util.h"
#include "ngam-test-util.h"

/* Fails with the whole text, so that the log shows what was printed. */
static void
assert_contains (const char *text, const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("expected “%s” in:\n%s", needle, text ? text : "(nothing)");
}

static JsonObject *
parse_json (const char *text, JsonParser **parser)
{
  g_autoptr(GError) error = NULL;

  *parser = json_parser_new ();
  json_parser_load_from_data (*parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (*parser));
}

/* --- steiner ------------------------------------------------------------ */

static void
test_steiner_pace (void)
{
  g_autofree char *file = ngam_test_shared_path ("steinlib/B/b01.stp");
  g_autofree char *out = NULL, *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamSteinerInstance) inst = ngam_steiner_instance_load (file, &error);
  g_autoptr(GArray) edges = g_array_new (FALSE, FALSE, sizeof (guint));
  double cost;
  guint n = 0;

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "steiner", file, "--time-limit", "2", NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "VALUE 82");
  /* b01's bound reaches its optimum: the tree is proven optimal */
  g_assert_cmpstr (lines[1], ==, "BOUND 82");
  g_assert_cmpstr (lines[2], ==, "GAP 0.000%");
  /* every other line an edge "u v" of the instance, 1-based */
  for (guint i = 3; lines[i] && *lines[i]; i++, n++)
    {
      guint64 u, v;
      char *end;
      guint e;

      u = g_ascii_strtoull (lines[i], &end, 10);
      g_assert_true (*end == ' ');
      v = g_ascii_strtoull (end + 1, &end, 10);
      g_assert_true (*end == '\0');
      for (e = 0; e < inst->graph->n_edges; e++)
        if ((inst->graph->edge_uv[2 * e] + 1 == u && inst->graph->edge_uv[2 * e + 1] + 1 == v) ||
            (inst->graph->edge_uv[2 * e] + 1 == v && inst->graph->edge_uv[2 * e + 1] + 1 == u))
          break;
      g_assert_cmpuint (e, <, inst->graph->n_edges);
      g_array_append_val (edges, e);
    }
  g_assert_true (ngam_steiner_check (inst->graph, NULL, (guint *) inst->terminals->data, inst->terminals->len,
                                     (guint *) edges->data, edges->len, &cost, &error));
  g_assert_cmpfloat (cost, ==, 82);
  g_assert_cmpuint (n, ==, edges->len);

  /* a solver's output for other programs: the same in a locale whose
   * decimal separator is a comma */
  if (ngam_test_comma_locale () != NULL)
    {
      g_autofree char *again = NULL, *again_err = NULL;

      g_setenv ("LC_ALL", ngam_test_comma_locale (), TRUE);
      g_assert_cmpint (ngam_test_run_batch (&again, &again_err, "steiner", file, "--time-limit", "2", NULL), ==, 0);
      g_unsetenv ("LC_ALL");
      g_assert_true (g_str_has_prefix (again, "VALUE 82\nBOUND 82\nGAP 0.000%\n"));
    }
}

static void
test_steiner_json_and_gr (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *gr = g_build_filename (dir, "tiny.gr", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *o;
  const char *text =
    "SECTION Graph\nNodes 5\nEdges 6\nE 1 2 3\nE 2 3 3\nE 1 4 2\nE 4 3 2\nE 4 5 1\nE 3 5 9\nEND\n\n"
    "SECTION Terminals\nTerminals 3\nT 1\nT 3\nT 5\nEND\n\nEOF\n";

  g_assert_true (g_file_set_contents (gr, text, -1, NULL));
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "steiner", gr, "--json", NULL), ==, 0);
  o = parse_json (out, &parser);
  g_assert_cmpfloat (json_object_get_double_member (o, "value"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (o, "terminals"), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "tree")), ==, 3);
  g_assert_true (json_object_get_null_member (o, "optimum"));
  /* the bound reaches the optimum here: rooted at terminal 1, the dual
   * ascent raises {3} by 2 (4–3) and {3, 4} by 1, which takes 5 in;
   * then {5} by 1 (4–5) and {4, 5} by 1 (1–4): 5 in all */
  g_assert_cmpfloat (json_object_get_double_member (o, "lower_bound"), ==, 5);
  g_assert_cmpfloat (json_object_get_double_member (o, "gap"), ==, 0);
  g_free (out);
  g_free (err);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "steiner", gr, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "VALUE 5\nBOUND 5\nGAP 0.000%\n"));
  ngam_test_rmdir (dir);
}

static void
test_steiner_bad (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *bad = g_build_filename (dir, "bad.stp", NULL);
  g_autofree char *apart = g_build_filename (dir, "apart.stp", NULL);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_true (g_file_set_contents (bad, "SECTION Graph\nNodes 2\nEdges 1\nE 1 3 1\nEND\n", -1, NULL));
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "steiner", bad, NULL), ==, 1);
  assert_contains (err, "bad.stp:4:");
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_true (g_file_set_contents (apart, "SECTION Graph\nNodes 4\nEdges 2\nE 1 2 1\nE 3 4 1\nEND\n"
                                      "SECTION Terminals\nTerminals 2\nT 1\nT 4\nEND\nEOF\n", -1, NULL));
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "steiner", apart, NULL), ==, 1);
  assert_contains (err, "{1} | {4}");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "steiner", "/no/such.stp", NULL), ==, 1);
  assert_contains (err, "/no/such.stp");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "steiner", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "steiner", bad, "--time-limit", "-3", NULL), ==, 2);
  ngam_test_rmdir (dir);
}

/* --- graph and route ---------------------------------------------------- */

static const NetTestStreet town[] = {
  { "LINESTRING (0 0,100 0)", -1, -1, -1 },
  { "LINESTRING (50 -50,50 0,50 50)", -1, -1, -1 },
  { "LINESTRING (100 0,100 100,0 100)", -1, -1, -1 },
  { "LINESTRING (0 100,20 3)", -1, -1, -1 },             /* stops 3 m short: a near-miss */
  { "LINESTRING (20 -30,80 -30)", 1, -1, -1 },           /* a bridge over the second street */
  { "LINESTRING (500 0,600 0)", -1, -1, -1 },            /* an island */
};

static const NetTestZone town_zones[] = {
  { "MULTIPOLYGON (((90 40,110 40,110 60,90 60,90 40)))", "flood" },
};

static char *
make_town (const char *dir)
{
  char *path = g_build_filename (dir, "town.ngam", NULL);
  NgamStore *store = net_test_project (path, town, G_N_ELEMENTS (town), town_zones, 1);

  ngam_store_close (store);
  return path;
}

static void
test_graph (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *project = make_town (dir);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *o, *nm;

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "graph", project, "--json", NULL), ==, 0);
  o = parse_json (out, &parser);
  g_assert_cmpint (json_object_get_int_member (o, "streets"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (o, "components"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "level_crossings"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "n_near_misses"), ==, 1);
  nm = json_array_get_object_element (json_object_get_array_member (o, "near_misses"), 0);
  g_assert_cmpfloat (json_object_get_double_member (nm, "x"), ==, 20);
  g_assert_cmpfloat (json_object_get_double_member (nm, "y"), ==, 3);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (nm, "distance_m"), 3, 1e-9);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "zone_edges"), "flood"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (o, "snap_tolerance_m"), ==, 0.5);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* text, and a tolerance that closes the gap */
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "graph", project, "--snap", "4", "--near-miss", "1", NULL), ==, 0);
  assert_contains (out, "1 ends snapped within 4 m");
  assert_contains (out, "near-misses: 0");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "graph", project, NULL), ==, 0);
  assert_contains (out, "(20.00, 3.00) street 4 ends 3.00 m from street 1 at (20.00, 0.00)");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* too large for the memory allowed: refused, with a message */
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "graph", project, "--max-memory", "0.001", NULL), ==, 1);
  assert_contains (err, "memory");
  assert_contains (err, "town.ngam");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "graph", "/no/such.ngam", NULL), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "graph", project, "--snap", "-1", NULL), ==, 2);
  ngam_test_rmdir (dir);
}

static void
test_route (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *project = make_town (dir);
  g_autofree char *gpkg = g_build_filename (dir, "path.gpkg", NULL);
  g_autofree char *bad_out = g_build_filename (dir, "missing", "path.gpkg", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *o;
  GDALDatasetH ds;

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "route", project, "--from", "10,2", "--to", "60,101",
                                        "--json", "--out", gpkg, NULL), ==, 0);
  o = parse_json (out, &parser);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "cost"), 230, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "length_m"), 230, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_object_get_object_member (o, "from"), "distance_m"), 2, 1e-9);
  ds = GDALOpenEx (gpkg, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  g_assert_nonnull (ds);
  g_assert_cmpint (OGR_L_GetFeatureCount (GDALDatasetGetLayerByName (ds, "route"), TRUE), ==, 1);
  g_assert_cmpint (OGR_L_GetFeatureCount (GDALDatasetGetLayerByName (ds, "route_edges"), TRUE), ==,
                   json_object_get_int_member (o, "edges"));
  GDALClose (ds);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* the only way crosses the flood zone: avoiding it leaves none */
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "route", project, "--from", "10,2", "--to", "60,101",
                                        "--avoid", "flood", NULL), ==, 1);
  assert_contains (err, "forbids");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* both points inside one edge */
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "route", project, "--from", "100,10", "--to", "100,90", NULL), ==, 0);
  assert_contains (out, "cost:    80.000");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* to the island: not connected */
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "route", project, "--from", "10,2", "--to", "550,0", NULL), ==, 1);
  assert_contains (err, "not connected");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* nowhere near a street */
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "route", project, "--from", "10,2", "--to", "5000,5000", NULL), ==, 1);
  assert_contains (err, "no street within 500 m of the end (5000.00, 5000.00)");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* an output that cannot be written leaves nothing behind */
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "route", project, "--from", "10,2", "--to", "60,101",
                                        "--out", bad_out, NULL), ==, 1);
  g_assert_false (g_file_test (bad_out, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* bad usage */
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "route", project, "--from", "10;2", "--to", "1,1", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "route", project, "--from", "10,2", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "route", project, "--from", "1,2", "--to", "1,1",
                                        "--avoid", "lava", NULL), ==, 2);
  ngam_test_rmdir (dir);
}

/* nan, inf and 1e300 were taken for coordinates; degrees in a metric
 * project got no hint; `--list 0` printed "components:  3)". */
static void
test_route_coordinates (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *project = make_town (dir);
  const char *bad[] = { "nan,nan", "inf,0", "0,-inf", "1e300,0" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *out = NULL, *err = NULL;

      g_assert_cmpint (ngam_test_run_batch (&out, &err, "route", project, "--from", bad[i], "--to", "10,2", NULL), ==, 2);
      assert_contains (err, "is not X,Y (two finite numbers)");
    }
  {
    g_autofree char *out = NULL, *err = NULL;

    /* the town lies at 0…600 m: degrees land 7 m off its streets */
    g_assert_cmpint (ngam_test_run_batch (&out, &err, "route", project, "--from", "107.58,16.46", "--to", "107.59,16.47",
                                          "--max-distance", "1", NULL), ==, 1);
    assert_contains (err, "these look like longitude and latitude, but the project's coordinates are metres");
  }
  {
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (ngam_test_run_batch (&out, &err, "graph", project, "--list", "0", NULL), ==, 0);
    assert_contains (out, "\ncomponents:  3\n");
  }
  ngam_test_rmdir (dir);
}

/* `route --out` replaced whatever was there, a project copy named .gpkg
 * included.  Now an existing file stays unless --force, and a project
 * stays always; export follows the same rule. */
static void
test_out_exists (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *project = make_town (dir);
  g_autofree char *copy = g_build_filename (dir, "copy.gpkg", NULL);
  g_autofree char *other = g_build_filename (dir, "other.geojson", NULL);
  g_autofree char *poles = g_build_filename (dir, "streets.gpkg", NULL);
  g_autofree char *copy_sum = NULL, *sum = NULL, *project_sum = ngam_test_sha256_file (project);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "new", copy, NULL), ==, 0);
  copy_sum = ngam_test_sha256_file (copy);
  g_assert_true (g_file_set_contents (other, "keep me", -1, NULL));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* an existing file: refused before any work, and kept */
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "route", project, "--from", "10,2", "--to", "60,101",
                                        "--out", other, NULL), ==, 1);
  assert_contains (err, "other.geojson already exists; choose another name or remove it first (--force replaces it)");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_true (g_file_get_contents (other, &out, NULL, NULL));
  g_assert_cmpstr (out, ==, "keep me");
  g_clear_pointer (&out, g_free);
  /* --force replaces it */
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "route", project, "--from", "10,2", "--to", "60,101",
                                        "--out", other, "--force", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_true (g_file_get_contents (other, &out, NULL, NULL));
  assert_contains (out, "\"FeatureCollection\"");
  g_clear_pointer (&out, g_free);
  /* a project is never replaced, --force or not, whatever its name */
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "route", project, "--from", "10,2", "--to", "60,101",
                                        "--out", copy, "--force", NULL), ==, 1);
  assert_contains (err, "copy.gpkg is a Ngầm project: an output never replaces one");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  sum = ngam_test_sha256_file (copy);
  g_assert_cmpstr (sum, ==, copy_sum);
  g_clear_pointer (&sum, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "route", project, "--from", "10,2", "--to", "60,101",
                                        "--out", project, "--force", NULL), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  sum = ngam_test_sha256_file (project);
  g_assert_cmpstr (sum, ==, project_sum);
  g_clear_pointer (&sum, g_free);

  /* export: the same */
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "export", project, "--layer", "streets", "--out", copy,
                                        "--force", NULL), ==, 1);
  assert_contains (err, "copy.gpkg is a Ngầm project");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  sum = ngam_test_sha256_file (copy);
  g_assert_cmpstr (sum, ==, copy_sum);
  g_clear_pointer (&sum, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "export", project, "--layer", "streets", "--out", poles, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "export", project, "--layer", "streets", "--out", poles, NULL), ==, 1);
  assert_contains (err, "(--force replaces it)");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "export", project, "--layer", "streets", "--out", poles,
                                        "--force", NULL), ==, 0);
  assert_contains (out, "wrote 6 streets");
  ngam_test_rmdir (dir);
}

/* Right after `new`, graph and route spun forever and ignored Ctrl-C; in a
 * subprocess with a time limit so that a hang fails. */
static void
test_no_streets (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = ngam_test_tmpdir ();
      g_autofree char *project = g_build_filename (dir, "empty.ngam", NULL);
      g_autofree char *out = NULL, *err = NULL;

      g_assert_cmpint (ngam_test_run_batch (&out, &err, "new", project, NULL), ==, 0);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (ngam_test_run_batch (&out, &err, "graph", project, NULL), ==, 1);
      assert_contains (err, "empty.ngam: the project has no streets");
      g_assert_cmpstr (out, ==, "");
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (ngam_test_run_batch (&out, &err, "route", project, "--from", "0,0", "--to", "1,1", NULL), ==, 1);
      assert_contains (err, "empty.ngam: the project has no streets");
      ngam_test_rmdir (dir);
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  net_test_init (&argc, &argv);
  g_test_add_func ("/net/batch/steiner-pace", test_steiner_pace);
  g_test_add_func ("/net/batch/steiner-json-and-gr", test_steiner_json_and_gr);
  g_test_add_func ("/net/batch/steiner-bad", test_steiner_bad);
  g_test_add_func ("/net/batch/graph", test_graph);
  g_test_add_func ("/net/batch/route", test_route);
  g_test_add_func ("/net/batch/no-streets", test_no_streets);
  g_test_add_func ("/net/batch/out-exists", test_out_exists);
  g_test_add_func ("/net/batch/route-coordinates", test_route_coordinates);
  return g_test_run ();
}
