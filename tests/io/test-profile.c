/* test-profile.c — import profiles: the shipped ones load, mistakes are
 * named by file, line and key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-profile.h"
#include "ngam-test-util.h"

static void
test_shipped (void)
{
  g_auto(GStrv) names = ngam_profile_list_names ();
  static const char *expected[] = { "opencellid", "osm-power-lines", "osm-power-poles", "osm-streets", "vn-operator" };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = ngam_profile_find (expected[i], &error);
      g_autoptr(NgamProfile) p = NULL;

      g_assert_no_error (error);
      g_assert_true (g_strv_contains ((const char *const *) names, expected[i]));
      p = ngam_profile_load (path, &error);
      g_assert_no_error (error);
      g_assert_nonnull (p->name);
    }
  {
    g_autofree char *path = ngam_profile_find ("vn-operator", NULL);
    g_autoptr(NgamProfile) p = ngam_profile_load (path, NULL);
    const NgamProfileField *f = ngam_profile_get_field (p, "cable_type");
    g_autofree char *key = g_utf8_casefold ("Cáp quang", -1);

    g_assert_nonnull (f);
    g_assert_cmpstr (g_hash_table_lookup (f->values, key), ==, "fibre");
    g_assert_true (ngam_profile_allows_kind (p, NGAM_LAYER_SPANS));
    g_assert_false (ngam_profile_allows_kind (p, NGAM_LAYER_SITES));
  }
}

static void
test_features (void)
{
  const char *text =
    "# comment\n"
    "[profile]\n"
    "name = test\n"
    "kinds = poles;spans\n"
    "key = ma\\;cot;tag:ref\n"
    "snap_tolerance_m = 2.5\n"
    "\n"
    "[fields]\n"
    "code = \"ma\";Mã cột\n"
    "height_m = cao\n"
    "owner = chu\\;so huu;don_vi\n"
    "[units]\n"
    "height_m = cm\n"
    "[defaults]\n"
    "status = active\n"
    "[values.material]\n"
    "Bê tông = concrete\n"
    "* = steel\n"
    "[filter]\n"
    "loai = cot\\;tru;tram\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamProfile) p = ngam_profile_load_data ("t.ini", text, strlen (text), &error);
  const NgamProfileField *f;

  g_assert_no_error (error);
  g_assert_cmpfloat (p->snap_tolerance_m, ==, 2.5);
  g_assert_cmpuint (p->key->len, ==, 2);
  g_assert_cmpstr (((NgamSourceRef *) p->key->pdata[0])->name, ==, "ma;cot");
  g_assert_cmpint (((NgamSourceRef *) p->key->pdata[1])->type, ==, NGAM_SOURCE_REF_TAG);
  f = ngam_profile_get_field (p, "code");
  g_assert_cmpuint (f->refs->len, ==, 2);
  g_assert_cmpstr (((NgamSourceRef *) f->refs->pdata[0])->name, ==, "\"ma\"");
  g_assert_cmpstr (((NgamSourceRef *) f->refs->pdata[1])->name, ==, "Mã cột");
  g_assert_cmpfloat (fabs (ngam_profile_get_field (p, "height_m")->unit_factor - 0.01), <, 1e-12);
  g_assert_cmpstr (ngam_profile_get_field (p, "status")->default_value, ==, "active");
  g_assert_cmpstr (ngam_profile_get_field (p, "material")->values_other, ==, "steel");
  f = ngam_profile_get_field (p, "owner");
  g_assert_cmpuint (f->refs->len, ==, 2);
  g_assert_cmpstr (((NgamSourceRef *) f->refs->pdata[0])->name, ==, "chu;so huu");
  /* "\;" is a semicolon inside a value of a list, as inside a field name */
  {
    const NgamProfileFilter *flt = p->filters->pdata[0];

    g_assert_cmpuint (g_strv_length (flt->values), ==, 2);
    g_assert_cmpstr (flt->values[0], ==, "cot;tru");
    g_assert_cmpstr (flt->values[1], ==, "tram");
  }
}

/* Each bad profile, and what the error must say (file:line: [group] key). */
static const struct
{
  const char *text;
  const char *expect;
} bad[] = {
  { "[profile]\nname = x\ncolour = red\n", "bad.ini:3: [profile] colour: unknown key" },
  { "[fields]\n\nwidth = rong\n", "bad.ini:3: [fields] width: no layer has a field “width”" },
  { "[profile]\nkinds = streets\n[fields]\nfibre_count = so_soi\n", "bad.ini:4: [fields] fibre_count: no layer this profile imports" },
  { "[units]\nwidth_m = furlong\n", "bad.ini:2: [units] width_m: “furlong” is not a length unit" },
  { "[units]\nname = m\n", "bad.ini:2: [units] name: name is not a number field" },
  { "[defaults]\nheight_m = tall\n", "bad.ini:2: [defaults] height_m: “tall” is not a valid value" },
  { "[profile]\ncrs = EPSG:999999\n", "bad.ini:2: [profile] crs:" },
  { "[profile]\nencoding = KLINGON\n", "bad.ini:2: [profile] encoding: unknown text encoding" },
  { "[profile]\nsnap_tolerance_m = -1\n", "bad.ini:2: [profile] snap_tolerance_m:" },
  { "[profile]\nkinds = poles;cables\n", "bad.ini:2: [profile] kinds: “cables” is not a layer kind" },
  { "[mapping]\na = b\n", "bad.ini:1: [mapping]: unknown group" },
  { "[values.colour]\nred = 1\n", "bad.ini:1: [values.colour]: no layer has a field “colour”" },
  { "[fields]\nname = ten\nthis line is wrong\n", "bad.ini:3:" },
  { "[profile]\nopen_options = HEADERS\n", "bad.ini:2: [profile] open_options: “HEADERS” is not NAME=VALUE" },
  { "[profile]\nname = x\n[values.operator]\nVNPT = VNPT\n",
    "bad.ini:3: [values.operator]: maps the values of operator_field, which [profile] does not set" },
  { "[fields]\noperator = chu_so_huu\n", "bad.ini:2: [fields] operator: the operator is not a model field: name its "
    "source field with operator_field" },
  { "[profile]\noperator_field = chu_so_huu;@fid\n", "bad.ini:2: [profile] operator_field: @key and @fid are not operators" },
  { "[profile]\noperator_field = ;\n", "bad.ini:2: [profile] operator_field: names no source field" },
  { "[profile]\nname = x\nname = y\n", "bad.ini:2: [profile] name: given twice in [profile]; keep one" },
  { "[fields]\nname = ten\n[defaults]\nwidth_m = 3\n[fields]\nname = ten_duong\n",
    "bad.ini:2: [fields] name: given twice in [fields]" },
};

static void
test_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(NgamProfile) p = ngam_profile_load_data ("bad.ini", bad[i].text, strlen (bad[i].text), &error);

      g_assert_null (p);
      g_assert_nonnull (error);
      if (!g_str_has_prefix (error->message, bad[i].expect))
        g_error ("case %u: expected “%s…”, got “%s”", i, bad[i].expect, error->message);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *p = ngam_profile_find ("no-such-profile", &error);

    g_assert_null (p);
    g_assert_error (error, NGAM_PROFILE_ERROR, NGAM_PROFILE_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "osm-streets"));
  }
}

/* operator_field: alternatives, and [values.operator] folded like any
 * value map; the shipped generic profile has both, beside owner. */
static void
test_operator_field (void)
{
  const char *text =
    "[profile]\n"
    "operator = Sở TT&TT\n"
    "operator_field = chu_so_huu; tag:operator\n"
    "[values.operator]\n"
    "Viễn thông Huế = VNPT\n"
    "Không rõ =\n"
    "* = Khác\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamProfile) p = ngam_profile_load_data ("t.ini", text, strlen (text), &error);
  const NgamProfileField *of;
  g_autofree char *hue = g_utf8_casefold ("viễn thông huế", -1);
  g_autofree char *unknown = g_utf8_casefold ("Không rõ", -1);

  g_assert_no_error (error);
  of = p->operator_field;
  g_assert_nonnull (of);
  g_assert_cmpstr (p->operator_name, ==, "Sở TT&TT");
  g_assert_cmpuint (of->refs->len, ==, 2);
  g_assert_cmpstr (((NgamSourceRef *) of->refs->pdata[0])->name, ==, "chu_so_huu");
  g_assert_cmpint (((NgamSourceRef *) of->refs->pdata[1])->type, ==, NGAM_SOURCE_REF_TAG);
  g_assert_cmpstr (g_hash_table_lookup (of->values, hue), ==, "VNPT");
  g_assert_cmpstr (g_hash_table_lookup (of->values, unknown), ==, "");
  g_assert_cmpstr (of->values_other, ==, "Khác");
  /* not a model field: nothing of it in [fields] */
  g_assert_null (ngam_profile_get_field (p, "operator"));

  {
    g_autofree char *path = ngam_profile_find ("vn-operator", NULL);
    g_autoptr(NgamProfile) vn = ngam_profile_load (path, &error);
    static const struct { const char *as_written, *operator_name; } spellings[] = {
      { "VNPT Thừa Thiên Huế", "VNPT" }, { "viễn thông huế", "VNPT" }, { "TTVT", "VNPT" },
      { "Chi nhánh Viettel Huế", "Viettel" }, { "VIETTEL", "Viettel" }, { "FPT Telecom", "FPT" },
      { "Mobifone", "MobiFone" }, { "Truyền hình cáp SCTV", "SCTV" },
    };

    g_assert_no_error (error);
    g_assert_cmpuint (vn->operator_field->refs->len, ==, 2);
    g_assert_cmpstr (((NgamSourceRef *) vn->operator_field->refs->pdata[1])->name, ==, "don_vi");
    g_assert_cmpuint (ngam_profile_get_field (vn, "owner")->refs->len, ==, 2);
    for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
      {
        g_autofree char *folded = g_utf8_casefold (spellings[i].as_written, -1);

        g_assert_cmpstr (g_hash_table_lookup (vn->operator_field->values, folded), ==, spellings[i].operator_name);
      }
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/io/profile/shipped", test_shipped);
  g_test_add_func ("/io/profile/features", test_features);
  g_test_add_func ("/io/profile/errors", test_errors);
  g_test_add_func ("/io/profile/operator-field", test_operator_field);
  return g_test_run ();
}
