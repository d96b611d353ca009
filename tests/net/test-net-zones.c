/* test-net-zones.c — every zone type and alias means the same to the
 * importer, the street graph and `route --avoid`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One project holds one corridor per spelling: a straight street of
 * 1,000 m between two junctions, a detour of 2,000 m around it, and a zone
 * typed with that spelling over the middle of the straight street.  The
 * zones are imported through `ngam-batch import` as a user would; then
 *  - the importer stored the canonical name (ngam-zone.h) for each;
 *  - `graph --json` counts, per type, exactly the corridors of that type;
 *  - `route --avoid SPELLING` takes the detour on its own corridor, and
 *    `--avoid` of any other type keeps the straight street.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "net-test-util.h"
#include "ngam-test-util.h"

typedef struct
{
  char          *spelling;
  NgamZoneFlags  flag;
} Spelling;

/* Every name and alias of the table, and the ways people type them. */
static GArray *
all_spellings (void)
{
  GArray *a = g_array_new (FALSE, FALSE, sizeof (Spelling));
  static const struct { const char *text; NgamZoneFlags flag; } typed[] = {
    { "FLOOD", NGAM_ZONE_FLOOD }, { "Ngập lụt", NGAM_ZONE_FLOOD },
    { "Sạt lở", NGAM_ZONE_LANDSLIDE }, { "Landslide", NGAM_ZONE_LANDSLIDE },
    { "Di tích", NGAM_ZONE_HERITAGE }, { "Heritage site", NGAM_ZONE_HERITAGE },
    { "Lễ hội", NGAM_ZONE_FESTIVAL },
    { "no-dig", NGAM_ZONE_NO_DIG }, { "No Dig", NGAM_ZONE_NO_DIG }, { "Cấm đào", NGAM_ZONE_NO_DIG },
    { "Sông", NGAM_ZONE_WATER }, { "River", NGAM_ZONE_WATER }, { "Hồ", NGAM_ZONE_WATER },
  };

  for (guint i = 0; i < NGAM_N_ZONE_TYPES; i++)
    {
      const NgamZoneInfo *z = ngam_zone_info_nth (i);
      Spelling s = { g_strdup (z->name), z->flag };

      g_array_append_val (a, s);
      for (guint j = 0; z->aliases[j]; j++)
        {
          Spelling t = { g_strdup (z->aliases[j]), z->flag };

          g_array_append_val (a, t);
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      Spelling s = { g_strdup (typed[i].text), typed[i].flag };

      g_array_append_val (a, s);
    }
  return a;
}

static void
spelling_clear (gpointer p)
{
  g_free (((Spelling *) p)->spelling);
}

static const double corridor_step = 3000;   /* metres between corridors */

static void
write_geojson (const char *path, GString *features)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text =
    g_strdup_printf ("{\"type\":\"FeatureCollection\","
                     "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::32648\"}},"
                     "\"features\":[%s]}", features->str);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static double
route_length (const char *project, guint corridor, const char *avoid)
{
  double y = 1000000 + corridor * corridor_step;
  /* on the detour's legs, 100 m from the straight street: 1,200 m by the
   * straight street, 1,800 m round the top */
  g_autofree char *from = g_strdup_printf ("500000,%.0f", y + 100);
  g_autofree char *to = g_strdup_printf ("501000,%.0f", y + 100);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  int status;

  status = ngam_test_run_batch (&out, &err, "route", project, "--from", from, "--to", to,
                                "--avoid", avoid, "--json", NULL);
  if (status != 0)
    g_error ("route --avoid %s on corridor %u: exit %d\n%s%s", avoid, corridor, status, out, err);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_object_get_double_member (json_node_get_object (json_parser_get_root (parser)), "length_m");
}

/* Runs ngam-batch and fails with what it printed unless it exits 0. */
static void
run_ok (char **out, const char *a0, const char *a1, const char *a2, const char *a3, const char *a4)
{
  g_autofree char *err = NULL;
  int status;

  g_clear_pointer (out, g_free);
  status = ngam_test_run_batch (out, &err, a0, a1, a2, a3, a4, NULL);
  if (status != 0)
    g_error ("ngam-batch %s %s %s %s %s: exit %d\n%s%s", a0, a1, a2, a3 ? a3 : "", a4 ? a4 : "",
             status, *out, err);
}

static void
test_zone_spellings_everywhere (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *project = g_build_filename (dir, "zones.ngam", NULL);
  g_autofree char *streets_path = g_build_filename (dir, "streets.geojson", NULL);
  g_autofree char *zones_path = g_build_filename (dir, "zones.geojson", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GArray) sp = all_spellings ();
  g_autoptr(GString) streets = g_string_new (NULL), zones = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  guint expected_edges[NGAM_N_ZONE_TYPES] = { 0 };
  JsonObject *zone_edges;

  g_array_set_clear_func (sp, spelling_clear);
  for (guint i = 0; i < sp->len; i++)
    {
      const Spelling *s = &g_array_index (sp, Spelling, i);
      double y = 1000000 + i * corridor_step;
      const char *type = s->spelling;    /* no quote or backslash in any */

      g_string_append_printf (streets,
                              "%s{\"type\":\"Feature\",\"properties\":{\"name\":\"straight %u\"},"
                              "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[500000,%.0f],[501000,%.0f]]}},"
                              "{\"type\":\"Feature\",\"properties\":{\"name\":\"detour %u\"},"
                              "\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
                              "[[500000,%.0f],[500000,%.0f],[501000,%.0f],[501000,%.0f]]}}",
                              i ? "," : "", i, y, y, i, y, y + 500, y + 500, y);
      g_string_append_printf (zones,
                              "%s{\"type\":\"Feature\",\"properties\":{\"zone_type\":\"%s\",\"name\":\"zone %u\"},"
                              "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                              "[[[500400,%.0f],[500600,%.0f],[500600,%.0f],[500400,%.0f],[500400,%.0f]]]}}",
                              i ? "," : "", type, i, y - 50, y - 50, y + 50, y + 50, y - 50);
      expected_edges[g_bit_nth_lsf (s->flag, -1)]++;
    }
  write_geojson (streets_path, streets);
  write_geojson (zones_path, zones);

  run_ok (&out, "new", project, "--crs", "EPSG:32648", NULL);
  run_ok (&out, "import", project, streets_path, "--kind", "streets");
  run_ok (&out, "import", project, zones_path, "--kind", "zones");

  /* The importer stored each zone under its canonical name. */
  for (guint i = 0; i < sp->len; i++)
    {
      const Spelling *s = &g_array_index (sp, Spelling, i);
      g_autofree char *sql = g_strdup_printf ("SELECT zone_type FROM zones WHERE name = 'zone %u'", i);
      g_autofree char *stored = ngam_test_sql_text (project, sql);

      if (g_strcmp0 (stored, ngam_zone_info (s->flag)->name) != 0)
        g_error ("zone typed “%s” stored as “%s”, expected “%s”", s->spelling, stored,
                 ngam_zone_info (s->flag)->name);
    }

  /* The graph marks exactly the straight street of each corridor. */
  run_ok (&out, "graph", project, "--json", NULL, NULL);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  zone_edges = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "zone_edges");
  g_assert_nonnull (zone_edges);
  for (guint t = 0; t < NGAM_N_ZONE_TYPES; t++)
    {
      const char *name = ngam_zone_info_nth (t)->name;

      g_assert_true (json_object_has_member (zone_edges, name));
      if ((guint) json_object_get_int_member (zone_edges, name) != expected_edges[t])
        g_error ("graph: %u edges in %s zones, expected %u", (guint) json_object_get_int_member (zone_edges, name),
                 name, expected_edges[t]);
    }

  /* route --avoid: the spelling itself detours on its corridor; another
   * type does not. */
  for (guint i = 0; i < sp->len; i++)
    {
      const Spelling *s = &g_array_index (sp, Spelling, i);
      const char *other = ngam_zone_info (s->flag == NGAM_ZONE_FLOOD ? NGAM_ZONE_WATER : NGAM_ZONE_FLOOD)->name;
      double avoided = route_length (project, i, s->spelling);
      double kept = route_length (project, i, other);

      if (fabs (avoided - 1800) > 0.01 || fabs (kept - 1200) > 0.01)
        g_error ("corridor of “%s”: --avoid it %.2f m (expected 1800), --avoid %s %.2f m (expected 1200)",
                 s->spelling, avoided, other, kept);
    }

  /* From a junction itself, the forbidden edge at it does not trap the
   * route: the old router priced 0 × INFINITY, NaN, and found no way. */
  {
    g_autofree char *err = NULL;
    g_autoptr(JsonParser) rp = json_parser_new ();

    g_clear_pointer (&out, g_free);
    g_assert_cmpint (ngam_test_run_batch (&out, &err, "route", project, "--from", "500000,1000000",
                                          "--to", "501000,1000000", "--avoid", "flood", "--json", NULL), ==, 0);
    json_parser_load_from_data (rp, out, -1, &error);
    g_assert_no_error (error);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (json_node_get_object (json_parser_get_root (rp)),
                                                                   "length_m"), 2000, 0.01);
  }
  ngam_test_rmdir (dir);
}

/* The table itself: names fold to themselves, no spelling is claimed by
 * two types, and unknown names are refused with the known list. */
static void
test_zone_table (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  NgamZoneFlags mask = 0;

  for (guint i = 0; i < NGAM_N_ZONE_TYPES; i++)
    {
      const NgamZoneInfo *z = ngam_zone_info_nth (i);
      g_autofree char *folded = ngam_vocab_fold (z->name);

      g_assert_cmpstr (folded, ==, z->name);
      g_assert_true (ngam_zone_info (z->flag) == z);
      g_assert_false (g_hash_table_contains (seen, z->name));
      g_hash_table_add (seen, g_strdup (z->name));
      for (guint j = 0; z->aliases[j]; j++)
        {
          g_autofree char *fa = ngam_vocab_fold (z->aliases[j]);

          g_assert_cmpstr (fa, ==, z->aliases[j]);
          if (g_hash_table_contains (seen, fa))
            g_error ("alias “%s” of %s is claimed twice", fa, z->name);
          g_hash_table_add (seen, g_strdup (fa));
        }
    }
  g_assert_cmpint (ngam_zone_from_name ("  Kênh  đào "), ==, 0);   /* “kenh_dao” is no alias */
  g_assert_cmpint (ngam_zone_from_name ("Kênh"), ==, NGAM_ZONE_WATER);
  g_assert_cmpint (ngam_zone_from_name ("ĐI TÍCH"), ==, NGAM_ZONE_HERITAGE);  /* folded to "di_tich" */
  g_assert_cmpint (ngam_zone_from_name (""), ==, 0);
  g_assert_cmpint (ngam_zone_from_name (NULL), ==, 0);
  g_assert_true (ngam_zone_parse_list ("river, no-dig", &mask, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mask, ==, NGAM_ZONE_WATER | NGAM_ZONE_NO_DIG);
  g_assert_false (ngam_zone_parse_list ("flood,swamp", &mask, &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "swamp"));
  g_assert_nonnull (strstr (error->message, "no_dig"));
  g_clear_error (&error);
  g_assert_false (ngam_zone_parse_list (" , ", &mask, &error));
  g_clear_error (&error);
  /* heritage and water together: only HDD or existing ducts */
  g_assert_cmpint (ngam_zone_allowed_methods (NGAM_ZONE_HERITAGE | NGAM_ZONE_WATER), ==,
                   NGAM_METHOD_HDD | NGAM_METHOD_DUCT_REUSE);
  g_assert_cmpint (ngam_zone_allowed_methods (0), ==, NGAM_METHOD_ALL);
  g_assert_cmpint (ngam_method_from_name ("Micro-trench"), ==, NGAM_METHOD_MICRO_TRENCH);
  g_assert_cmpstr (ngam_method_info (NGAM_METHOD_DUCT_REUSE)->name, ==, "duct_reuse");
  g_assert_null (ngam_zone_info (NGAM_ZONE_FLOOD | NGAM_ZONE_WATER));
}

int
main (int argc, char **argv)
{
  net_test_init (&argc, &argv);
  g_test_add_func ("/net/zones/table", test_zone_table);
  g_test_add_func ("/net/zones/spellings-everywhere", test_zone_spellings_everywhere);
  return g_test_run ();
}
