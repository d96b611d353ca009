/* test-import.c — `ngam-batch import` as a planner runs it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real files from ../shared/data (OSM streets and power, OpenCelliD, the
 * whole shapefile corpus) and shapefiles written here in every legacy
 * Vietnamese encoding.  Every failure must name the file and leave the
 * project exactly as it was.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "import-util.h"
#include "ngam-test-util.h"

/* Names of a layer's live features, in fid order. */
static GPtrArray *
layer_texts (const char *project, NgamLayerKind kind, const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (project, NGAM_STORE_OPEN_READ_ONLY, &error);
  g_autoptr(NgamStoreCursor) c = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  int idx = ngam_layer_field_index (kind, field);

  g_assert_no_error (error);
  c = ngam_store_query (store, kind, NULL, NGAM_QUERY_DEFAULT, &error);
  while (ngam_store_cursor_next (c, &error))
    g_ptr_array_add (out, g_strdup (ngam_feature_get_text (ngam_store_cursor_get (c), idx)));
  g_assert_no_error (error);
  return out;
}

/* ---- encodings ------------------------------------------------------------ */

static char *
fix_reference (const char *s)
{
  GString *out = g_string_new (NULL);

  for (const char *p = s; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, c == 0x00d0 ? 0x0110 : c);
    }
  return g_string_free (out, FALSE);
}

static GPtrArray *
first_column (const char *relative, const char *sep)
{
  g_autofree char *path = ngam_test_shared_path (relative);
  g_autofree char *data = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  lines = g_strsplit (data, sep, -1);
  for (guint i = 1; lines[i]; i++)
    {
      char *comma = strchr (lines[i], ',');

      if (comma)
        g_ptr_array_add (out, g_strndup (lines[i], comma - lines[i]));
    }
  return out;
}

/* Writes the 63 province names as @encoding bytes into a shapefile of
 * points in Huế, imports it as demand points and checks every name. */
static void
check_encoding (Fixture *f, const char *encoding, GPtrArray *bytes, const char *cpg, const char *expect_reason)
{
  g_autoptr(GPtrArray) ref = first_column ("encodings/as_loaded_mojibake_utf8/vn_samples_Unicode.csv", "\n");
  g_autofree TestPoint *pts = g_new0 (TestPoint, bytes->len);
  g_autofree char *shp = g_strdup_printf ("%s/%s.shp", f->dir, encoding);
  const char *fields[] = { "ten", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(GPtrArray) names = NULL;
  JsonObject *enc;

  for (guint i = 0; i < bytes->len; i++)
    {
      pts[i].x = 107.55 + i * 0.001;
      pts[i].y = 16.45;
      pts[i].values[0] = bytes->pdata[i];
    }
  test_write_points (shp, 4326, fields, pts, bytes->len);
  if (cpg)
    {
      g_autofree char *p = g_strdup_printf ("%s/%s.cpg", f->dir, encoding);

      g_assert_true (g_file_set_contents (p, cpg, -1, NULL));
    }
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, shp, "--kind", "demand", "--json", NULL), ==, 0);
  report = parse_report (out);
  enc = json_object_get_object_member (source0 (report), "encoding");
  g_assert_cmpstr (json_object_get_string_member (enc, "name"), ==, encoding);
  if (expect_reason)
    g_assert_nonnull (strstr (json_object_get_string_member (enc, "reason"), expect_reason));
  names = layer_texts (f->project, NGAM_LAYER_DEMAND, "name");
  g_assert_cmpuint (names->len, ==, ref->len);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *want = fix_reference (ref->pdata[i]);

      g_assert_cmpstr (names->pdata[i], ==, want);
    }
}

static void
test_encoding_shared (Fixture *f, const char *enc)
{
  g_autofree char *rel = g_strdup_printf ("encodings/raw_legacy_bytes/vn_provinces_%s.csv", enc);
  g_autoptr(GPtrArray) bytes = first_column (rel, "\r\n");

  check_encoding (f, enc, bytes, NULL, "detected");
}

/* ... and read again through OGR (--read-through-ogr) instead of Ngầm's
 * own shapefile reader: the same features, so nothing changes. */
static void
test_encoding_tcvn3 (Fixture *f, gconstpointer data)
{
  g_autofree char *shp = g_strdup_printf ("%s/TCVN3.shp", f->dir);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonObject) r = NULL;

  test_encoding_shared (f, "TCVN3");
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, shp, "--kind", "demand", "--json",
                                        "--read-through-ogr", NULL), ==, 0);
  r = parse_report (out);
  g_assert_cmpint (total (r, "unchanged"), ==, 63);
  g_assert_cmpint (total (r, "added") + total (r, "updated") + total (r, "retired"), ==, 0);
}

static void
test_encoding_viscii (Fixture *f, gconstpointer data)
{
  test_encoding_shared (f, "VISCII");
}

static void
test_encoding_vps (Fixture *f, gconstpointer data)
{
  test_encoding_shared (f, "VPS");
}

static void
test_encoding_cp1258 (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ref = first_column ("encodings/as_loaded_mojibake_utf8/vn_samples_Unicode.csv", "\n");
  g_autoptr(GPtrArray) bytes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < ref->len; i++)
    {
      g_autofree char *u = fix_reference (ref->pdata[i]);

      g_ptr_array_add (bytes, g_convert (u, -1, "CP1258", "UTF-8", NULL, NULL, NULL));
    }
  check_encoding (f, "CP1258", bytes, NULL, "detected");
}

static void
test_encoding_lying_cpg (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) bytes = first_column ("encodings/raw_legacy_bytes/vn_provinces_TCVN3.csv", "\r\n");

  check_encoding (f, "TCVN3", bytes, "UTF-8\n", ".cpg says UTF-8");
}

static void
test_encoding_vni (Fixture *f, gconstpointer data)
{
  static const char *vni[] = { "Ha\xf8 No\xe4i", "Th\xf6\xf8" "a Thie\xe2n-Hue\xe1", "\xd1" "a\xe9k La\xe9k",
                               "Qua\xfbng Tr\xf2", "Ca\xe0n Th\xf4", "V\xf3nh Long", "Ph\xf6\xf4\xf8ng" };
  static const char *want[] = { "Hà Nội", "Thừa Thiên-Huế", "Đắk Lắk", "Quảng Trị", "Cần Thơ", "Vĩnh Long", "Phường" };
  g_autofree char *shp = g_build_filename (f->dir, "vni.shp", NULL);
  const char *fields[] = { "ten", NULL };
  TestPoint pts[G_N_ELEMENTS (vni)] = { { 0 } };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(JsonObject) report = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (vni); i++)
    {
      pts[i].x = 107.5 + i * 0.001;
      pts[i].y = 16.4;
      pts[i].values[0] = vni[i];
    }
  test_write_points (shp, 4326, fields, pts, G_N_ELEMENTS (vni));
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, shp, "--kind", "demand", "--json", NULL), ==, 0);
  report = parse_report (out);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (source0 (report), "encoding"), "name"), ==, "VNI");
  names = layer_texts (f->project, NGAM_LAYER_DEMAND, "name");
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    g_assert_cmpstr (names->pdata[i], ==, want[i]);
}

/* Text the detector cannot place: core warns in its own words (the JSON),
 * the CLI's summary adds the flag that sets the encoding. */
static void
test_encoding_uncertain (Fixture *f, gconstpointer data)
{
  g_autofree char *shp = g_build_filename (f->dir, "odd.shp", NULL);
  const char *fields[] = { "ten", NULL };
  TestPoint pts[] = { { 107.58, 16.46, { "\x80\x81\x82\x83" } } };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *warnings;
  guint found = 0;

  test_write_points (shp, 4326, fields, pts, 1);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, shp, "--kind", "poles", "--dry-run", NULL),
                   ==, 0);
  g_assert_nonnull (strstr (out, "  warning: the text encoding is uncertain (TCVN3, 0%): check a few names, and give "
                                 "the encoding for the import if they are wrong (--encoding NAME sets the "
                                 "encoding)\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, shp, "--kind", "poles", "--dry-run",
                                        "--json", NULL), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  warnings = json_object_get_array_member (source0 (json_node_get_object (json_parser_get_root (parser))),
                                           "warnings");
  for (guint i = 0; i < json_array_get_length (warnings); i++)
    {
      const char *w = json_array_get_string_element (warnings, i);

      g_assert_null (strstr (w, "--"));
      found += g_str_has_prefix (w, "the text encoding is uncertain (TCVN3, 0%)") ? 1 : 0;
    }
  g_assert_cmpuint (found, ==, 1);
}

/* ---- bad inputs: named, and the project unchanged ------------------------- */

static void
test_missing_prj (Fixture *f, gconstpointer data)
{
  g_autofree char *shp = g_build_filename (f->dir, "noprj.shp", NULL);
  const char *fields[] = { "ma", NULL };
  TestPoint pts[] = { { 107.58, 16.46, { "C1" } }, { 107.59, 16.47, { "C2" } } };
  g_autofree char *out = NULL, *err = NULL, *before = NULL, *after = NULL;

  test_write_points (shp, 0, fields, pts, 2);
  before = test_project_state (f->project);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, shp, "--kind", "poles", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "noprj.shp has no coordinate system"));
  /* core says what is missing; the CLI adds its flag */
  g_assert_nonnull (strstr (err, "give one for the source (an EPSG code such as EPSG:9214)"));
  g_assert_nonnull (strstr (err, " (--crs EPSG:N gives the source's CRS)\n"));
  g_assert_nonnull (strstr (err, "EPSG:4326"));   /* the suggestion from the coordinates */
  g_assert_nonnull (strstr (err, "(no .prj file)"));
  after = test_project_state (f->project);
  g_assert_cmpstr (before, ==, after);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* a .prj that is no CRS (an HTML page saved under its name) is not a
   * missing one */
  {
    g_autofree char *prj = g_build_filename (f->dir, "noprj.prj", NULL);

    g_assert_true (g_file_set_contents (prj, "<!DOCTYPE html><html><body>404 Not Found</body></html>", -1, NULL));
    g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, shp, "--kind", "poles", NULL), ==, 1);
    g_assert_nonnull (strstr (err, "noprj.shp has no coordinate system (its .prj could not be read as a "
                                   "coordinate system)"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_unlink (prj);
  }
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, shp, "--kind", "poles", "--crs", "EPSG:4326", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "2 added"));
}

static void
test_degrees_in_metres (Fixture *f, gconstpointer data)
{
  g_autofree char *shp = g_build_filename (f->dir, "deg.shp", NULL);
  TestPoint pts[] = { { 500100, 1810000, { NULL } }, { 107.58, 16.46, { NULL } } };
  g_autofree char *out = NULL, *err = NULL, *before = NULL, *after = NULL;

  test_write_points (shp, 9214, NULL, pts, 2);
  before = test_project_state (f->project);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, shp, "--kind", "poles", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "deg.shp, feature 1"));
  g_assert_nonnull (strstr (err, "degrees"));
  after = test_project_state (f->project);
  g_assert_cmpstr (before, ==, after);
}

static void
test_field_names (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) tcvn = first_column ("encodings/raw_legacy_bytes/vn_provinces_TCVN3.csv", "\r\n");
  g_autofree char *shp = g_build_filename (f->dir, "names.shp", NULL);
  g_autofree char *ini = g_build_filename (f->dir, "p.ini", NULL);
  g_autofree char *ten = NULL;
  const char *fields[4];
  TestPoint pts[2] = { { 0 } };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GPtrArray) names = NULL, codes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = NULL;
  g_autoptr(NgamStoreCursor) c = NULL;

  /* "tên" in TCVN3: the bytes of "Yên" (row 11) with a t for the Y */
  ten = g_strndup (tcvn->pdata[10], 3);
  ten[0] = 't';
  fields[0] = ten;
  fields[1] = "ma\"cot";
  fields[2] = "so;soi";
  fields[3] = NULL;
  pts[0] = (TestPoint) { 107.58, 16.46, { tcvn->pdata[30], "C\"1", "24" } };
  pts[1] = (TestPoint) { 107.59, 16.47, { tcvn->pdata[11], "C;2", "48" } };
  test_write_points (shp, 4326, fields, pts, 2);
  g_assert_true (g_file_set_contents (ini,
                                      "[profile]\nkinds = routes\nkey = ma\"cot\n"
                                      "[fields]\nname = tên\ncode = ma\"cot\nfibre_count = so\\;soi\n", -1, NULL));
  /* routes need lines: refused, naming the file and what it holds */
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, shp, "--kind", "routes", "--profile", ini, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "routes need lines"));
  g_assert_true (g_file_set_contents (ini,
                                      "[profile]\nkinds = manholes\nkey = ma\"cot\n"
                                      "[fields]\nkind = tên\ncode = ma\"cot\nsize = so\\;soi\n", -1, NULL));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  if (ngam_test_run_batch (&out, &err, "import", f->project, shp, "--kind", "manholes", "--profile", ini, NULL) != 0)
    g_error ("import failed: %s", err);
  names = layer_texts (f->project, NGAM_LAYER_MANHOLES, "kind");
  codes = layer_texts (f->project, NGAM_LAYER_MANHOLES, "size");
  g_assert_cmpstr (names->pdata[0], ==, "Thừa Thiên-Huế");
  g_assert_cmpstr (names->pdata[1], ==, "Điện Biên");
  g_assert_cmpstr (codes->pdata[1], ==, "48");
  /* the raw attributes keep the decoded names, as valid JSON */
  store = ngam_store_open (f->project, NGAM_STORE_OPEN_READ_ONLY, &error);
  c = ngam_store_query (store, NGAM_LAYER_MANHOLES, NULL, NGAM_QUERY_DEFAULT, &error);
  g_assert_true (ngam_store_cursor_next (c, &error));
  {
    g_autoptr(JsonObject) attrs = parse_report (ngam_store_cursor_get (c)->attrs);

    g_assert_cmpstr (json_object_get_string_member (attrs, "tên"), ==, "Thừa Thiên-Huế");
    g_assert_cmpstr (json_object_get_string_member (attrs, "ma\"cot"), ==, "C\"1");
    g_assert_cmpstr (json_object_get_string_member (attrs, "so;soi"), ==, "24");
    g_assert_cmpstr (ngam_store_cursor_get (c)->source_key, ==, "C\"1");
  }
}

/* ---- re-import ------------------------------------------------------------------ */

static void
write_version (const char *shp, guint first, guint n, guint moved_from, guint n_moved)
{
  const char *fields[] = { "ma_cot", "vat_lieu", NULL };
  g_autofree TestPoint *pts = g_new0 (TestPoint, n);
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      guint id = first + i;
      gboolean moved = id >= moved_from && id < moved_from + n_moved;

      pts[i].x = 107.58 + id * 0.0001 + (moved ? 0.00005 : 0);
      pts[i].y = 16.46;
      g_ptr_array_add (keep, g_strdup_printf ("C%03u", id));
      pts[i].values[0] = keep->pdata[i];
      pts[i].values[1] = "Bê tông";
    }
  test_write_points (shp, 4326, fields, pts, n);
}

static void
test_reimport (Fixture *f, gconstpointer data)
{
  g_autofree char *v1 = g_build_filename (f->dir, "vnpt_2024.shp", NULL);
  g_autofree char *v2 = g_build_filename (f->dir, "vnpt_2025.shp", NULL);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(JsonObject) r = NULL;

  /* v1: C001–C010; v2: C004–C014 (C001–C003 gone, C011–C014 new), C005
   * and C006 moved. */
  write_version (v1, 1, 10, 0, 0);
  write_version (v2, 4, 11, 5, 2);
  {
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, v1, "--kind", "poles", "--operator", "VNPT",
                                          "--profile", "vn-operator", "--json", NULL), ==, 0);
    r = parse_report (out);
    g_assert_cmpint (total (r, "added"), ==, 10);
    g_clear_pointer (&r, json_object_unref);
  }
  {
    g_autoptr(GPtrArray) m = layer_texts (f->project, NGAM_LAYER_POLES, "material");

    g_assert_cmpstr (m->pdata[0], ==, "concrete");
  }
  /* the same file again: nothing changes */
  before = test_project_state (f->project);
  {
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, v1, "--kind", "poles", "--operator", "VNPT",
                                          "--profile", "vn-operator", "--json", NULL), ==, 0);
    r = parse_report (out);
    g_assert_cmpint (total (r, "unchanged"), ==, 10);
    g_assert_cmpint (total (r, "added") + total (r, "updated") + total (r, "retired"), ==, 0);
    g_clear_pointer (&r, json_object_unref);
  }
  after = test_project_state (f->project);
  g_assert_cmpstr (before, ==, after);
  /* a dry run of the newer file reports and writes nothing */
  {
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, v2, "--kind", "poles", "--operator", "VNPT",
                                          "--profile", "vn-operator", "--dry-run", "--json", NULL), ==, 0);
    r = parse_report (out);
    g_assert_cmpint (total (r, "retired"), ==, 3);
    g_clear_pointer (&r, json_object_unref);
    g_free (after);
    after = test_project_state (f->project);
    g_assert_cmpstr (before, ==, after);
  }
  /* the operator's newer file: updates, adds and retires by key */
  {
    g_autofree char *out = NULL, *err = NULL;
    JsonArray *retired;

    g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, v2, "--kind", "poles", "--operator", "VNPT",
                                          "--profile", "vn-operator", "--json", NULL), ==, 0);
    r = parse_report (out);
    g_assert_cmpint (total (r, "added"), ==, 4);
    g_assert_cmpint (total (r, "updated"), ==, 2);
    g_assert_cmpint (total (r, "unchanged"), ==, 5);
    g_assert_cmpint (total (r, "retired"), ==, 3);
    retired = json_object_get_array_member (r, "retired_fids");
    g_assert_cmpuint (json_array_get_length (retired), ==, 3);
    g_assert_cmpint (json_array_get_int_element (retired, 0), ==, 1);
    g_clear_pointer (&r, json_object_unref);
  }
  {
    g_autoptr(GPtrArray) codes = layer_texts (f->project, NGAM_LAYER_POLES, "code");

    g_assert_cmpuint (codes->len, ==, 11);
    g_assert_cmpstr (codes->pdata[0], ==, "C004");
  }
}

/* A 0-feature copy with --operator VNPT retired every VNPT pole, exit 0.
 * Now it is refused with the count and nothing written, unless
 * --allow-empty; a partial copy says how many it retired. */
static void
test_reimport_empty (Fixture *f, gconstpointer data)
{
  g_autofree char *v1 = g_build_filename (f->dir, "vnpt_2024.shp", NULL);
  g_autofree char *v2 = g_build_filename (f->dir, "vnpt_2025.shp", NULL);
  g_autofree char *empty = g_build_filename (f->dir, "vnpt_empty.shp", NULL);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(JsonObject) r = NULL;

  write_version (v1, 1, 10, 0, 0);
  write_version (v2, 4, 5, 0, 0);      /* C004–C008: five of ten gone */
  write_version (empty, 1, 0, 0, 0);
  {
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, v1, "--kind", "poles", "--operator", "VNPT",
                                          "--profile", "vn-operator", NULL), ==, 0);
  }
  before = test_project_state (f->project);
  {
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, empty, "--kind", "poles", "--operator", "VNPT",
                                          "--profile", "vn-operator", NULL), ==, 1);
    g_assert_nonnull (strstr (err, "vnpt_empty.shp gave no poles to import: importing it would retire all 10 poles "
                                   "of VNPT in the project; nothing was imported (--allow-empty retires them, "
                                   "--keep-missing keeps them)"));
    after = test_project_state (f->project);
    g_assert_cmpstr (before, ==, after);
    g_clear_pointer (&after, g_free);
  }
  {
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, empty, "--kind", "poles", "--operator", "VNPT",
                                          "--profile", "vn-operator", "--keep-missing", NULL), ==, 0);
    after = test_project_state (f->project);
    g_assert_cmpstr (before, ==, after);   /* nothing retired */
    g_clear_pointer (&after, g_free);
  }
  /* a partial copy: retired, and said so with the count */
  {
    g_autofree char *out = NULL, *err = NULL;
    g_autoptr(JsonArray) none = NULL;
    JsonArray *warnings;
    gboolean said = FALSE;

    g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, v2, "--kind", "poles", "--operator", "VNPT",
                                          "--profile", "vn-operator", "--dry-run", "--json", NULL), ==, 0);
    r = parse_report (out);
    g_assert_cmpint (total (r, "retired"), ==, 5);
    warnings = json_object_get_array_member (source0 (r), "warnings");
    for (guint i = 0; i < json_array_get_length (warnings); i++)
      said = said || strstr (json_array_get_string_element (warnings, i),
                             "5 poles of VNPT that the newer file no longer has were retired (the first: fid 1)") != NULL;
    g_assert_true (said);
    g_clear_pointer (&r, json_object_unref);
  }
  /* asked for: the empty copy retires them all */
  {
    g_autofree char *out = NULL, *err = NULL;
    g_autoptr(GPtrArray) codes = NULL;

    g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, empty, "--kind", "poles", "--operator", "VNPT",
                                          "--profile", "vn-operator", "--allow-empty", "--json", NULL), ==, 0);
    r = parse_report (out);
    g_assert_cmpint (total (r, "retired"), ==, 10);
    codes = layer_texts (f->project, NGAM_LAYER_POLES, "code");
    g_assert_cmpuint (codes->len, ==, 0);
  }
}

/* ---- real data -------------------------------------------------------------- */

static void
test_hanoi_streets (Fixture *f, gconstpointer data)
{
  g_autofree char *src = ngam_test_shared_path ("osm/hanoi_center_roads.gpkg");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonObject) r = NULL;
  g_autoptr(GPtrArray) names = NULL;
  gboolean found = FALSE;

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, src, "--kind", "streets",
                                        "--profile", "osm-streets", "--json", NULL), ==, 0);
  r = parse_report (out);
  g_assert_cmpint (total (r, "added"), ==, 5074);
  names = layer_texts (f->project, NGAM_LAYER_STREETS, "name");
  for (guint i = 0; i < names->len; i++)
    found = found || g_strcmp0 (names->pdata[i], "Phố Quốc Tử Giám") == 0;
  g_assert_true (found);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(NgamStore) store = ngam_store_open (f->project, NGAM_STORE_OPEN_READ_ONLY, &error);
    g_autoptr(NgamStoreCursor) c = ngam_store_query (store, NGAM_LAYER_STREETS, NULL, NGAM_QUERY_DEFAULT, &error);
    int bridge = ngam_layer_field_index (NGAM_LAYER_STREETS, "bridge");
    int layer = ngam_layer_field_index (NGAM_LAYER_STREETS, "layer");
    int surface = ngam_layer_field_index (NGAM_LAYER_STREETS, "surface");
    guint bridges = 0, layered = 0, surfaced = 0;

    while (ngam_store_cursor_next (c, &error))
      {
        const NgamFeature *ft = ngam_store_cursor_get (c);

        bridges += ngam_feature_get_bool (ft, bridge) ? 1 : 0;
        layered += ngam_feature_get_int (ft, layer) != 0 ? 1 : 0;
        surfaced += ngam_feature_get_text (ft, surface) ? 1 : 0;
      }
    g_assert_cmpuint (bridges, >, 10);
    g_assert_cmpuint (layered, >, 10);
    g_assert_cmpuint (surfaced, >, 1000);
  }
}

static void
test_bayreuth_power (Fixture *f, gconstpointer data)
{
  g_autofree char *src = ngam_test_shared_path ("osm/power_north_bayreuth.gpkg");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonObject) r = NULL;

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, src, "--kind", "poles",
                                        "--profile", "osm-power-poles", "--json", NULL), ==, 0);
  r = parse_report (out);
  g_assert_cmpint (total (r, "added"), ==, 437);   /* 307 poles + 130 towers */
  g_clear_pointer (&r, json_object_unref);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, src, "--kind", "spans",
                                        "--profile", "osm-power-lines", "--json", NULL), ==, 0);
  r = parse_report (out);
  /* the lines are cut into pole-to-pole spans */
  g_assert_cmpint (total (r, "added"), >, 300);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(NgamStore) store = ngam_store_open (f->project, NGAM_STORE_OPEN_READ_ONLY, &error);
    g_autoptr(NgamStoreCursor) c = ngam_store_query (store, NGAM_LAYER_SPANS, NULL, NGAM_QUERY_DEFAULT, &error);
    int from = ngam_layer_field_index (NGAM_LAYER_SPANS, "from_pole");
    int to = ngam_layer_field_index (NGAM_LAYER_SPANS, "to_pole");
    guint n = 0, both = 0;

    while (ngam_store_cursor_next (c, &error))
      {
        const NgamFeature *ft = ngam_store_cursor_get (c);

        n++;
        both += !ngam_feature_is_null (ft, from) && !ngam_feature_is_null (ft, to) ? 1 : 0;
      }
    g_assert_cmpuint (both, >, n * 9 / 10);
  }
}

static void
test_opencellid (Fixture *f, gconstpointer data)
{
  g_autofree char *src = ngam_test_shared_path ("cells/opencellid_france_sample/towers.csv");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonObject) r = NULL;
  g_autoptr(GPtrArray) codes = NULL;

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, src, "--kind", "sites",
                                        "--profile", "opencellid", "--json", NULL), ==, 0);
  r = parse_report (out);
  g_assert_cmpint (total (r, "added"), ==, 29716);
  codes = layer_texts (f->project, NGAM_LAYER_SITES, "code");
  g_assert_cmpstr (codes->pdata[0], ==, "208-10-18013-8653445");
}

/* Bayreuth's poles and OpenCelliD France went into the default VN-2000 /
 * TM-3 project 6,000 km away, and info called the result sound.  Now
 * refused, naming the first feature and a CRS that fits it. */
static void
test_outside_project_area (Fixture *f, gconstpointer data)
{
  g_autofree char *poles = ngam_test_shared_path ("osm/power_north_bayreuth.gpkg");
  g_autofree char *cells = ngam_test_shared_path ("cells/opencellid_france_sample/towers.csv");
  g_autofree char *before = test_project_state (f->project), *after = NULL;
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, poles, "--kind", "poles",
                                        "--profile", "osm-power-poles", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "power_north_bayreuth.gpkg, feature "));
  g_assert_nonnull (strstr (err, "° N, far outside the area of the project's CRS VN-2000 / TM-3 107-00"));
  g_assert_nonnull (strstr (err, "would use EPSG:32632"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, cells, "--kind", "sites",
                                        "--profile", "opencellid", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "far outside the area of the project's CRS"));
  g_assert_nonnull (strstr (err, "would use EPSG:326"));   /* UTM 30, 31 or 32 N: France */
  after = test_project_state (f->project);
  g_assert_cmpstr (before, ==, after);
}

/* A NaN point was skipped as empty while a NaN vertex in a line failed the
 * whole import with "cannot be transformed": now both are skipped and
 * listed, in words that say "not a number". */
static void
write_nan_file (const char *path, gboolean lines)
{
  /* GDAL's shapefile writer refuses a NaN vertex in a line: GeoPackage */
  GDALDriverH drv = GDALGetDriverByName (lines ? "GPKG" : "ESRI Shapefile");
  GDALDatasetH ds = GDALCreate (drv, path, 0, 0, 0, GDT_Unknown, NULL);
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
  OGRLayerH layer;
  const double good[] = { 107.58, 16.46, 107.581, 16.461 };
  const double bad[] = { NAN, 16.46, 107.582, NAN };

  g_assert_nonnull (ds);
  OSRImportFromEPSG (srs, 4326);
  OSRSetAxisMappingStrategy (srs, OAMS_TRADITIONAL_GIS_ORDER);
  layer = GDALDatasetCreateLayer (ds, "nan", srs, lines ? wkbLineString : wkbPoint, NULL);
  for (guint i = 0; i < 3; i++)
    {
      OGRFeatureH f = OGR_F_Create (OGR_L_GetLayerDefn (layer));
      OGRGeometryH g = OGR_G_CreateGeometry (lines ? wkbLineString : wkbPoint);
      const double *xy = i == 1 ? bad : good;

      if (lines)
        {
          OGR_G_AddPoint_2D (g, xy[0], xy[1]);
          OGR_G_AddPoint_2D (g, xy[2], xy[3] + i * 1e-3);
        }
      else
        OGR_G_SetPoint_2D (g, 0, xy[0] + i * 1e-3, xy[1]);
      OGR_F_SetGeometryDirectly (f, g);
      g_assert_cmpint (OGR_L_CreateFeature (layer, f), ==, OGRERR_NONE);
      OGR_F_Destroy (f);
    }
  OSRDestroySpatialReference (srs);
  GDALClose (ds);
}

static void
test_not_a_number (Fixture *f, gconstpointer data)
{
  for (int lines = 0; lines < 2; lines++)
    {
      g_autofree char *shp = g_build_filename (f->dir, lines ? "nan_lines.gpkg" : "nan_points.shp", NULL);
      g_autofree char *out = NULL, *err = NULL;
      g_autoptr(JsonObject) r = NULL;
      gboolean listed = FALSE;

      write_nan_file (shp, lines);
      g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, shp, "--kind", lines ? "streets" : "poles",
                                            "--json", NULL), ==, 0);
      r = parse_report (out);
      g_assert_cmpint (total (r, "added"), ==, 2);
      g_assert_cmpint (total (r, "skipped"), ==, 1);
      if (!lines)
        {
          /* GDAL's shapefile driver gives a point with a NaN no geometry
           * at all: skipped and listed as such */
          JsonObject *skipped = json_object_get_object_member (source0 (r), "skipped");
          JsonObject *is = json_object_get_object_member (skipped, "null_geometry");

          g_assert_nonnull (is);
          g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (is, "ids"), 0), ==, 1);
          continue;
        }
      {
        JsonObject *skipped = json_object_get_object_member (source0 (r), "skipped");
        JsonObject *is = json_object_get_object_member (skipped, "not_a_number");

        g_assert_nonnull (is);
        /* GeoPackage numbers features from 1 */
        g_assert_cmpint (json_object_get_int_member (is, "count"), ==, 1);
        g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (is, "ids"), 0), ==, 2);
        g_assert_nonnull (strstr (json_object_get_string_member (is, "example"),
                                  "feature 2: vertex 1 has a coordinate that is not a number"));
        listed = TRUE;
      }
      g_assert_true (listed);
    }
}

/* Spans into a project whose poles all lie far away were told "the project
 * has no poles yet". */
static void
test_spans_far_from_poles (Fixture *f, gconstpointer data)
{
  g_autofree char *poles = g_build_filename (f->dir, "cot.shp", NULL);
  g_autofree char *spans = g_build_filename (f->dir, "tuyen.gpkg", NULL);
  const char *fields[] = { "ma", NULL };
  TestPoint pts[] = { { 107.58, 16.46, { "C1" } }, { 107.59, 16.47, { "C2" } } };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonObject) r = NULL;
  JsonArray *warnings;
  gboolean said = FALSE;

  test_write_points (poles, 4326, fields, pts, 2);
  {
    GDALDatasetH ds = GDALCreate (GDALGetDriverByName ("GPKG"), spans, 0, 0, 0, GDT_Unknown, NULL);
    OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
    OGRLayerH layer;
    OGRFeatureH ft;
    OGRGeometryH g = OGR_G_CreateGeometry (wkbLineString);

    OSRImportFromEPSG (srs, 4326);
    OSRSetAxisMappingStrategy (srs, OAMS_TRADITIONAL_GIS_ORDER);
    layer = GDALDatasetCreateLayer (ds, "tuyen", srs, wkbLineString, NULL);
    ft = OGR_F_Create (OGR_L_GetLayerDefn (layer));
    OGR_G_AddPoint_2D (g, 107.20, 17.30);   /* Quảng Trị: 100 km north */
    OGR_G_AddPoint_2D (g, 107.21, 17.30);
    OGR_F_SetGeometryDirectly (ft, g);
    g_assert_cmpint (OGR_L_CreateFeature (layer, ft), ==, OGRERR_NONE);
    OGR_F_Destroy (ft);
    OSRDestroySpatialReference (srs);
    GDALClose (ds);
  }
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, poles, "--kind", "poles", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, spans, "--kind", "spans", "--json", NULL), ==, 0);
  r = parse_report (out);
  warnings = json_object_get_array_member (source0 (r), "warnings");
  for (guint i = 0; i < json_array_get_length (warnings); i++)
    {
      const char *w = json_array_get_string_element (warnings, i);

      g_assert_null (strstr (w, "no poles yet"));
      said = said || strstr (w, "no pole is near these spans (the project's 2 poles all lie farther than") != NULL;
    }
  g_assert_true (said);
}

/* ---- the corpus ------------------------------------------------------------- */

static void
test_corpus (Fixture *f, gconstpointer data)
{
  g_autofree char *root = ngam_test_shared_path ("shapefile-corpus");
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  static const char *kinds[] = { "poles", "spans", "zones" };
  guint imported = 0, failed = 0;

  test_collect_sources (root, files);
  g_assert_cmpuint (files->len, >, 80);
  for (guint i = 0; i < files->len; i++)
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      {
        const char *file = files->pdata[i];
        g_autofree char *base = g_path_get_basename (file);
        g_autofree char *before = test_project_state (f->project);
        g_autofree char *after = NULL;
        g_autofree char *out = NULL, *err = NULL;
        int status = ngam_test_run_batch (&out, &err, "import", f->project, file, "--kind", kinds[k], "--json", NULL);

        if (status == 1 && strstr (err, "has no coordinate system"))
          {
            /* no .prj: the message says how to give one; do so */
            g_clear_pointer (&out, g_free);
            g_clear_pointer (&err, g_free);
            status = ngam_test_run_batch (&out, &err, "import", f->project, file, "--kind", kinds[k],
                                          "--crs", "EPSG:4326", "--json", NULL);
          }
        after = test_project_state (f->project);
        if (status != 0 && status != 1)
          g_error ("%s as %s: exit status %d (a crash?)\n%s", file, kinds[k], status, err);
        if (status == 1)
          {
            /* a clear error that names the file; nothing written */
            if (!g_str_has_prefix (err, "ngam-batch import: ") || strstr (err, base) == NULL)
              g_error ("%s as %s: unclear error: %s", file, kinds[k], err);
            g_assert_cmpstr (before, ==, after);
            failed++;
          }
        else
          {
            g_autoptr(JsonObject) r = parse_report (out);

            if (total (r, "added") > 0)
              g_assert_cmpstr (before, !=, after);
            imported++;
          }
      }
  g_test_message ("corpus: %u imports, %u clear refusals", imported, failed);
  g_assert_cmpuint (imported, >, 60);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();
#define ADD(path, fn, data) g_test_add (path, Fixture, data, fixture_set_up, fn, fixture_tear_down)
  ADD ("/import/encoding/tcvn3", test_encoding_tcvn3, NULL);
  ADD ("/import/encoding/viscii", test_encoding_viscii, NULL);
  ADD ("/import/encoding/vps", test_encoding_vps, NULL);
  ADD ("/import/encoding/cp1258", test_encoding_cp1258, NULL);
  ADD ("/import/encoding/vni", test_encoding_vni, NULL);
  ADD ("/import/encoding/lying-cpg", test_encoding_lying_cpg, NULL);
  ADD ("/import/encoding/uncertain", test_encoding_uncertain, NULL);
  ADD ("/import/bad/missing-prj", test_missing_prj, NULL);
  ADD ("/import/bad/degrees-in-metres", test_degrees_in_metres, NULL);
  ADD ("/import/field-names", test_field_names, NULL);
  ADD ("/import/reimport", test_reimport, NULL);
  ADD ("/import/reimport-empty", test_reimport_empty, NULL);
  ADD ("/import/real/hanoi-streets", test_hanoi_streets, "EPSG:32648");
  ADD ("/import/real/bayreuth-power", test_bayreuth_power, "EPSG:25832");
  ADD ("/import/real/opencellid", test_opencellid, "EPSG:2154");
  ADD ("/import/real/outside-project-area", test_outside_project_area, NULL);
  ADD ("/import/bad/not-a-number", test_not_a_number, NULL);
  ADD ("/import/spans-far-from-poles", test_spans_far_from_poles, NULL);
  ADD ("/import/corpus", test_corpus, "EPSG:3857");
#undef ADD
  return g_test_run ();
}
