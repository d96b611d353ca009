/* test-import-operator.c — a profile's operator_field: one shared file with
 * several operators' features, as a provincial inventory is
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The files are written here in Windows-1258 (with a .cpg), the owners'
 * names in Vietnamese spelt several ways, and imported with `ngam-batch
 * import` as a planner would: each feature's operator from the field
 * through [values.operator], the fallback for an empty field, the counts
 * in the report, a re-import that changes nothing, a newer file that
 * updates and retires only what changed (and never another source's
 * features), the same under a new file name (--source-name), and a
 * profile whose operator_field the source lacks.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "import-util.h"
#include "ngam-test-util.h"

static gboolean
has_warning (JsonObject *report, const char *text)
{
  JsonArray *w = json_object_get_array_member (source0 (report), "warnings");

  for (guint i = 0; i < json_array_get_length (w); i++)
    if (strstr (json_array_get_string_element (w, i), text))
      return TRUE;
  return FALSE;
}

/* The source's "operators" as "VNPT 2, Viettel 1", in the report's order. */
static char *
operator_counts (JsonObject *report)
{
  JsonObject *ops = json_object_get_object_member (source0 (report), "operators");
  g_autoptr(GList) names = json_object_get_members (ops);
  GString *s = g_string_new (NULL);

  for (GList *l = names; l; l = l->next)
    g_string_append_printf (s, "%s%s %" G_GINT64_FORMAT, s->len ? ", " : "", (char *) l->data,
                            json_object_get_int_member (ops, l->data));
  return g_string_free (s, FALSE);
}

/* "KEY=operator …" of the project's live poles in fid order ("-" for none). */
static char *
pole_operators (const char *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (project, NGAM_STORE_OPEN_READ_ONLY, &error);
  g_autoptr(NgamStoreCursor) c = NULL;
  GString *s = g_string_new (NULL);

  g_assert_no_error (error);
  c = ngam_store_query (store, NGAM_LAYER_POLES, NULL, NGAM_QUERY_DEFAULT, &error);
  while (ngam_store_cursor_next (c, &error))
    {
      const NgamFeature *ft = ngam_store_cursor_get (c);

      g_string_append_printf (s, "%s%s=%s", s->len ? " " : "", ft->source_key,
                              ft->operator_name ? ft->operator_name : "-");
    }
  g_assert_no_error (error);
  return g_string_free (s, FALSE);
}

typedef struct
{
  const char *code, *chu_so_huu, *don_vi;
} Owner;

/* Writes @path: poles along a street of Huế, fields ma_cot, chu_so_huu
 * and don_vi, text in Windows-1258 (as a .cpg says): the decoding must
 * come before the value map. */
static void
write_inventory (const char *path, const Owner *owners, guint n)
{
  const char *fields[] = { "ma_cot", "chu_so_huu", "don_vi", NULL };
  g_autofree TestPoint *pts = g_new0 (TestPoint, n);
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *stem = g_strndup (path, strlen (path) - 4);
  g_autofree char *cpg = g_strconcat (stem, ".cpg", NULL);

  for (guint i = 0; i < n; i++)
    {
      guint id = atoi (owners[i].code + 1);

      pts[i].x = 107.58 + id * 0.0001;
      pts[i].y = 16.46;
      pts[i].values[0] = owners[i].code;
      for (guint k = 0; k < 2; k++)
        {
          const char *u = k == 0 ? owners[i].chu_so_huu : owners[i].don_vi;
          char *bytes = u ? g_convert (u, -1, "CP1258", "UTF-8", NULL, NULL, NULL) : NULL;

          g_assert_true (u == NULL || bytes != NULL);
          g_ptr_array_add (keep, bytes);
          pts[i].values[1 + k] = bytes;
        }
    }
  test_write_points (path, 4326, fields, pts, n);
  g_assert_true (g_file_set_contents (cpg, "1258\n", -1, NULL));
}

/* The province's inventory: three operators spelt five ways, one owner
 * the map does not know, one empty owner, one owner in don_vi only. */
static const Owner inventory_v1[] = {
  { "C01", "Viễn thông Huế", NULL },
  { "C02", "VNPT Thừa Thiên Huế", NULL },
  { "C03", "Chi nhánh Viettel Huế", NULL },
  { "C04", "  VIETTEL", NULL },
  { "C05", "FPT Telecom", NULL },
  { "C06", NULL, "Viễn thông FPT" },
  { "C07", NULL, NULL },
  { "C08", "Điện lực Thừa Thiên Huế", NULL },
};

/* A year later: C03 went from Viettel to VNPT, C08 was taken down. */
static const Owner inventory_v2[] = {
  { "C01", "Viễn thông Huế", NULL },
  { "C02", "VNPT Thừa Thiên Huế", NULL },
  { "C03", "Viễn thông Thừa Thiên Huế", NULL },
  { "C04", "  VIETTEL", NULL },
  { "C05", "FPT Telecom", NULL },
  { "C06", NULL, "Viễn thông FPT" },
  { "C07", NULL, NULL },
};

static JsonObject *
import_json (Fixture *f, const char *src, ...) G_GNUC_NULL_TERMINATED;

/* Runs `ngam-batch import PROJECT SRC --kind poles --json EXTRA…`, which
 * must succeed. */
static JsonObject *
import_json (Fixture *f, const char *src, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *out = NULL, *err = NULL;
  const char *a;
  va_list ap;
  int status;

  g_ptr_array_add (args, (char *) "import");
  g_ptr_array_add (args, f->project);
  g_ptr_array_add (args, (char *) src);
  g_ptr_array_add (args, (char *) "--kind");
  g_ptr_array_add (args, (char *) "poles");
  g_ptr_array_add (args, (char *) "--json");
  va_start (ap, src);
  while ((a = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  status = ngam_test_run_batchv (&out, &err, (const char * const *) args->pdata);
  if (status != 0)
    g_error ("import %s failed (%d): %s", src, status, err);
  return parse_report (out);
}

static void
test_shared_file (Fixture *f, gconstpointer data)
{
  g_autofree char *shp = g_build_filename (f->dir, "so_tttt_cot.shp", NULL);
  g_autofree char *own = g_build_filename (f->dir, "vnpt_cot.shp", NULL);
  g_autofree char *ops = NULL, *counts = NULL, *before = NULL, *after = NULL;
  g_autoptr(JsonObject) r = NULL;
  const char *fields[] = { "ma_cot", NULL };
  TestPoint own_pts[] = { { 107.59, 16.47, { "V01" } }, { 107.591, 16.47, { "V02" } } };

  /* VNPT's own file first, as one operator's: it must survive what the
   * shared file does */
  test_write_points (own, 4326, fields, own_pts, G_N_ELEMENTS (own_pts));
  r = import_json (f, own, "--profile", "vn-operator", "--operator", "VNPT", NULL);
  g_assert_cmpint (total (r, "added"), ==, 2);
  g_assert_true (has_warning (r, "operator_field (chu_so_huu | don_vi) is not in this source: every feature is VNPT's, "
                                 "the operator given for the import"));
  g_clear_pointer (&r, json_object_unref);

  /* the shared file: the field wins over --operator, which fills in for
   * the empty one */
  write_inventory (shp, inventory_v1, G_N_ELEMENTS (inventory_v1));
  r = import_json (f, shp, "--profile", "vn-operator", "--operator", "Sở TT&TT", NULL);
  g_assert_cmpint (total (r, "added"), ==, 8);
  g_assert_cmpint (total (r, "retired"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (r, "operator_field"), ==, "chu_so_huu;don_vi");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (source0 (r), "encoding"), "name"), ==, "CP1258");
  ops = pole_operators (f->project);
  g_assert_cmpstr (ops, ==, "V01=VNPT V02=VNPT C01=VNPT C02=VNPT C03=Viettel C04=Viettel C05=FPT C06=FPT "
                            "C07=Sở TT&TT C08=Điện lực Thừa Thiên Huế");
  counts = operator_counts (r);
  g_assert_cmpstr (counts, ==, "FPT 2, VNPT 2, Viettel 2, Sở TT&TT 1, Điện lực Thừa Thiên Huế 1");
  /* with a fallback, no feature is without an operator */
  g_assert_false (json_object_has_member (json_object_get_object_member (source0 (r), "notes"), "no_operator"));
  g_clear_pointer (&r, json_object_unref);

  /* the same file again: nothing changes, not even VNPT's own file */
  before = test_project_state (f->project);
  r = import_json (f, shp, "--profile", "vn-operator", "--operator", "Sở TT&TT", NULL);
  g_assert_cmpint (total (r, "unchanged"), ==, 8);
  g_assert_cmpint (total (r, "added") + total (r, "updated") + total (r, "retired") + total (r, "restored"), ==, 0);
  g_clear_pointer (&r, json_object_unref);
  after = test_project_state (f->project);
  g_assert_cmpstr (before, ==, after);
  g_clear_pointer (&ops, g_free);
  ops = pole_operators (f->project);
  g_assert_cmpstr (ops, ==, "V01=VNPT V02=VNPT C01=VNPT C02=VNPT C03=Viettel C04=Viettel C05=FPT C06=FPT "
                            "C07=Sở TT&TT C08=Điện lực Thừa Thiên Huế");

  /* the newer inventory: C03 changed owner, C08 is gone; nothing else of
   * the file, and nothing of VNPT's own file, is touched */
  write_inventory (shp, inventory_v2, G_N_ELEMENTS (inventory_v2));
  r = import_json (f, shp, "--profile", "vn-operator", "--operator", "Sở TT&TT", NULL);
  g_assert_cmpint (total (r, "updated"), ==, 1);
  g_assert_cmpint (total (r, "unchanged"), ==, 6);
  g_assert_cmpint (total (r, "added"), ==, 0);
  g_assert_cmpint (total (r, "retired"), ==, 1);
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (r, "retired_fids"), 0), ==, 10);
  g_clear_pointer (&counts, g_free);
  counts = operator_counts (r);
  g_assert_cmpstr (counts, ==, "VNPT 3, FPT 2, Sở TT&TT 1, Viettel 1");
  g_clear_pointer (&r, json_object_unref);
  g_clear_pointer (&ops, g_free);
  ops = pole_operators (f->project);
  g_assert_cmpstr (ops, ==, "V01=VNPT V02=VNPT C01=VNPT C02=VNPT C03=VNPT C04=Viettel C05=FPT C06=FPT C07=Sở TT&TT");

  /* VNPT's newer own file (V02 gone) retires V02 only: the VNPT poles the
   * shared file gave are the shared file's */
  {
    g_autofree char *own2 = g_build_filename (f->dir, "vnpt_cot_2025.shp", NULL);

    test_write_points (own2, 4326, fields, own_pts, 1);
    r = import_json (f, own2, "--profile", "vn-operator", "--operator", "VNPT", NULL);
    g_assert_cmpint (total (r, "unchanged"), ==, 1);
    g_assert_cmpint (total (r, "retired"), ==, 1);
    g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (r, "retired_fids"), 0), ==, 2);
    g_clear_pointer (&r, json_object_unref);
  }
  g_clear_pointer (&ops, g_free);
  ops = pole_operators (f->project);
  g_assert_cmpstr (ops, ==, "V01=VNPT C01=VNPT C02=VNPT C03=VNPT C04=Viettel C05=FPT C06=FPT C07=Sở TT&TT");
}

/* A profile of one's own: "Không rõ" (unknown) maps to nothing, and
 * without --operator an empty owner leaves the feature without operator,
 * counted in the report; the terminal summary lists the operators. */
static void
test_no_fallback (Fixture *f, gconstpointer data)
{
  g_autofree char *shp = g_build_filename (f->dir, "cot.shp", NULL);
  g_autofree char *ini = g_build_filename (f->dir, "so.ini", NULL);
  static const Owner owners[] = {
    { "C01", "Viễn thông Huế", NULL },
    { "C02", NULL, NULL },
    { "C03", "Không rõ", NULL },
    { "C04", "Chi nhánh Viettel Quảng Điền", NULL },
  };
  g_autoptr(JsonObject) r = NULL;
  g_autofree char *ops = NULL, *counts = NULL, *out = NULL, *err = NULL;
  JsonObject *note;

  write_inventory (shp, owners, G_N_ELEMENTS (owners));
  g_assert_true (g_file_set_contents (ini,
                                      "[profile]\nkinds = poles\nkey = ma_cot\noperator_field = chu_so_huu\n"
                                      "[values.operator]\nviễn thông huế = VNPT\nKhông rõ =\n", -1, NULL));
  r = import_json (f, shp, "--profile", ini, NULL);
  ops = pole_operators (f->project);
  g_assert_cmpstr (ops, ==, "C01=VNPT C02=- C03=- C04=Chi nhánh Viettel Quảng Điền");
  counts = operator_counts (r);
  g_assert_cmpstr (counts, ==, "Chi nhánh Viettel Quảng Điền 1, VNPT 1");
  note = json_object_get_object_member (json_object_get_object_member (source0 (r), "notes"), "no_operator");
  g_assert_nonnull (note);
  g_assert_cmpint (json_object_get_int_member (note, "count"), ==, 2);
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (note, "ids"), 0), ==, 1);
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (note, "ids"), 1), ==, 2);
  g_assert_nonnull (strstr (json_object_get_string_member (note, "example"), "feature 1: its operator field is empty"));
  g_assert_true (json_node_is_null (json_object_get_member (r, "operator")));

  /* the terminal summary of a dry run says the same */
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, shp, "--kind", "poles", "--profile", ini,
                                        "--dry-run", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "  operators: Chi nhánh Viettel Quảng Điền 1, VNPT 1\n"));
  g_assert_nonnull (strstr (out, "note    no_operator: 2 (ids 1, 2)"));
  g_assert_nonnull (strstr (out, "operator ← chu_so_huu (profile operator_field, mapped by [values.operator]; when empty: none)"));
}

/* operator_field naming a field the source lacks: the wrong profile, most
 * likely.  An error that names the profile, the key and the file, and
 * changes nothing; with --operator the file is that operator's. */
static void
test_missing_field (Fixture *f, gconstpointer data)
{
  g_autofree char *shp = g_build_filename (f->dir, "viettel_cot.shp", NULL);
  g_autofree char *ini = g_build_filename (f->dir, "so.ini", NULL);
  g_autofree char *out = NULL, *err = NULL, *before = NULL, *after = NULL, *ops = NULL;
  const char *fields[] = { "ma_cot", "chu_sh", NULL };
  TestPoint pts[] = { { 107.58, 16.46, { "T1", "Viettel" } }, { 107.581, 16.46, { "T2", "Viettel" } } };
  g_autoptr(JsonObject) r = NULL;

  test_write_points (shp, 4326, fields, pts, G_N_ELEMENTS (pts));
  g_assert_true (g_file_set_contents (ini, "[profile]\nkinds = poles\noperator_field = chu_so_huu\n", -1, NULL));
  before = test_project_state (f->project);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, shp, "--kind", "poles", "--profile", ini,
                                        NULL), ==, 1);
  g_assert_nonnull (strstr (err, "viettel_cot.shp: the profile "));
  g_assert_nonnull (strstr (err, "so.ini says operator_field = chu_so_huu, but this source has no such field"));
  g_assert_nonnull (strstr (err, "(its fields: ma_cot, chu_sh)"));
  /* core's words, then the CLI's flag */
  g_assert_nonnull (strstr (err, "or give the operator for the import if the whole file is one operator's "
                                 "(--operator NAME gives the operator)"));
  after = test_project_state (f->project);
  g_assert_cmpstr (before, ==, after);

  r = import_json (f, shp, "--profile", ini, "--operator", "Viettel", NULL);
  g_assert_cmpint (total (r, "added"), ==, 2);
  g_assert_true (json_node_is_null (json_object_get_member (r, "operator_field")));
  ops = pole_operators (f->project);
  g_assert_cmpstr (ops, ==, "T1=Viettel T2=Viettel");
}

/* A year later the province sends the inventory again under a new file
 * name.  Matched within its source layer (its file name), it would add
 * all its poles beside last year's: the report says so and names the
 * older file; filed under the older name (--source-name), it updates and
 * retires last year's poles as a newer copy of the same file does. */
static void
test_renamed_file (Fixture *f, gconstpointer data)
{
  g_autofree char *v1 = g_build_filename (f->dir, "so_tttt_cot_2025.shp", NULL);
  g_autofree char *v2 = g_build_filename (f->dir, "so_tttt_cot_2026.shp", NULL);
  g_autofree char *before = NULL, *after = NULL, *ops = NULL, *layers = NULL, *out = NULL, *err = NULL;
  g_autoptr(JsonObject) r = NULL;

  write_inventory (v1, inventory_v1, G_N_ELEMENTS (inventory_v1));
  write_inventory (v2, inventory_v2, G_N_ELEMENTS (inventory_v2));
  r = import_json (f, v1, "--profile", "vn-operator", "--operator", "Sở TT&TT", NULL);
  g_assert_cmpint (total (r, "added"), ==, 8);
  g_assert_false (has_warning (r, "filed under that name"));
  g_clear_pointer (&r, json_object_unref);

  /* under its own name: a dry run shows it would replace nothing, and
   * says what to do */
  before = test_project_state (f->project);
  r = import_json (f, v2, "--profile", "vn-operator", "--operator", "Sở TT&TT", "--dry-run", NULL);
  g_assert_cmpint (total (r, "added"), ==, 7);
  g_assert_cmpint (total (r, "retired"), ==, 0);
  g_assert_true (has_warning (r, "this source is filed as “so_tttt_cot_2026”, a name no earlier shared file of poles "
                                 "had (“so_tttt_cot_2025”)"));
  /* core's words in the JSON; the summary adds the CLI's flag */
  g_assert_true (has_warning (r, "import it filed under that name instead (a dry run first shows what it would "
                                 "replace)"));
  g_assert_false (has_warning (r, "--"));
  g_clear_pointer (&r, json_object_unref);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, v2, "--kind", "poles", "--profile",
                                        "vn-operator", "--operator", "Sở TT&TT", "--dry-run", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "shows what it would replace) (--source-name NAME files the source under NAME; "
                                 "--dry-run shows what it would do)\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  after = test_project_state (f->project);
  g_assert_cmpstr (before, ==, after);

  /* under last year's name: C03 changed owner, C08 is gone */
  r = import_json (f, v2, "--profile", "vn-operator", "--operator", "Sở TT&TT", "--source-name", "so_tttt_cot_2025",
                   NULL);
  g_assert_cmpint (total (r, "updated"), ==, 1);
  g_assert_cmpint (total (r, "unchanged"), ==, 6);
  g_assert_cmpint (total (r, "added"), ==, 0);
  g_assert_cmpint (total (r, "retired"), ==, 1);
  g_assert_false (has_warning (r, "filed under that name"));
  g_clear_pointer (&r, json_object_unref);
  ops = pole_operators (f->project);
  g_assert_cmpstr (ops, ==, "C01=VNPT C02=VNPT C03=VNPT C04=Viettel C05=FPT C06=FPT C07=Sở TT&TT");
  layers = ngam_test_sql_text (f->project, "SELECT group_concat(DISTINCT source_layer) FROM poles");
  g_assert_cmpstr (layers, ==, "so_tttt_cot_2025");
  g_clear_pointer (&layers, g_free);
  /* and the imports log files the run under that name */
  layers = ngam_test_sql_text (f->project, "SELECT layer FROM imports ORDER BY id DESC LIMIT 1");
  g_assert_cmpstr (layers, ==, "so_tttt_cot_2025");
  g_clear_pointer (&layers, g_free);
  /* the updated pole says which file it came from */
  layers = ngam_test_sql_text (f->project, "SELECT source_file FROM poles WHERE source_key = 'C03' AND retired = 0");
  g_assert_true (g_str_has_suffix (layers, "so_tttt_cot_2026.shp"));

  /* one name for one source, and not an empty one: refused, nothing
   * written */
  g_clear_pointer (&before, g_free);
  g_clear_pointer (&after, g_free);
  before = test_project_state (f->project);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, v1, v2, "--kind", "poles", "--profile",
                                        "vn-operator", "--source-name", "x", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "a source name files one source under that name, and 2 sources were given: "
                                 "import them one by one (--source-name NAME"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ngam_test_run_batch (&out, &err, "import", f->project, v2, "--kind", "poles", "--profile",
                                        "vn-operator", "--source-name", "", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "the source name is empty: give the name to file the source under "
                                 "(--source-name NAME"));
  after = test_project_state (f->project);
  g_assert_cmpstr (before, ==, after);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/import/operator-field/shared-file", test_shared_file);
  ADD ("/import/operator-field/no-fallback", test_no_fallback);
  ADD ("/import/operator-field/missing-field", test_missing_field);
  ADD ("/import/operator-field/renamed-file", test_renamed_file);
#undef ADD
  return g_test_run ();
}
