/* ngam-cli-compare.c — `ngam-batch compare`: two scenarios' plans side by
 * side
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-batch"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ngam-cli.h"
#include "ngam-results.h"

typedef struct
{
  JsonParser *parser;
  JsonObject *root;
  GHashTable *edges;    /* "edge" attr → method (lookup only) */
  GHashTable *lengths;  /* "edge" attr → length */
} Side;

static void
side_clear (Side *s)
{
  g_clear_object (&s->parser);
  g_clear_pointer (&s->edges, g_hash_table_unref);
  g_clear_pointer (&s->lengths, g_hash_table_unref);
}

static gboolean
side_load (NgamStore  *store,
           const char *scenario,
           Side       *s,
           GError    **error)
{
  g_autoptr(NgamRunInfo) run = ngam_store_get_last_run (store, scenario, "plan", error);
  g_autoptr(NgamResultCursor) c = NULL;

  if (run == NULL)
    return FALSE;
  s->parser = json_parser_new ();
  if (run->summary == NULL || !json_parser_load_from_data (s->parser, run->summary, -1, error))
    return FALSE;
  s->root = json_node_get_object (json_parser_get_root (s->parser));
  s->edges = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  s->lengths = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  c = ngam_store_query_results (store, run->id, "trench", NULL, error);
  if (c == NULL)
    return FALSE;
  while (ngam_result_cursor_next (c, error))
    {
      const NgamResultFeature *f = ngam_result_cursor_get (c);
      g_autoptr(JsonParser) p = json_parser_new ();
      JsonObject *a;
      gint64 edge;
      double len;

      if (f->attrs == NULL || !json_parser_load_from_data (p, f->attrs, -1, NULL))
        continue;
      a = json_node_get_object (json_parser_get_root (p));
      edge = json_object_get_int_member (a, "edge");
      len = json_object_get_double_member (a, "length_m");
      g_hash_table_insert (s->edges, g_memdup2 (&edge, sizeof edge), g_strdup (json_object_get_string_member (a, "method")));
      g_hash_table_insert (s->lengths, g_memdup2 (&edge, sizeof edge), g_memdup2 (&len, sizeof len));
    }
  return error == NULL || *error == NULL;
}

static gint64
int_at (JsonObject *o,
        const char *member,
        const char *key)
{
  JsonObject *m = json_object_get_object_member (o, member);

  return m && json_object_has_member (m, key) ? json_object_get_int_member (m, key) : 0;
}

static double
double_at (JsonObject *o,
           const char *member,
           const char *key)
{
  JsonObject *m = json_object_get_object_member (o, member);

  return m && json_object_has_member (m, key) ? json_object_get_double_member (m, key) : 0;
}

static gint64
cost_of (JsonObject *root,
         const char *list,
         const char *key,
         const char *name)
{
  JsonArray *a = json_object_get_array_member (root, list);

  for (guint i = 0; a && i < json_array_get_length (a); i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);
      JsonNode *n = json_object_get_member (o, key);
      g_autofree char *v = json_node_get_value_type (n) == G_TYPE_STRING ? g_strdup (json_node_get_string (n))
                                                                         : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n));

      if (g_str_equal (v, name))
        return json_object_get_int_member (o, "cost_vnd");
    }
  return 0;
}

/* Names of a list's rows in both sides, in order of appearance. */
static GPtrArray *
names_of (Side       *a,
          Side       *b,
          const char *list,
          const char *key)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  Side *sides[2] = { a, b };

  for (int k = 0; k < 2; k++)
    {
      JsonArray *arr = json_object_get_array_member (sides[k]->root, list);

      for (guint i = 0; arr && i < json_array_get_length (arr); i++)
        {
          JsonNode *n = json_object_get_member (json_array_get_object_element (arr, i), key);
          char *v = json_node_get_value_type (n) == G_TYPE_STRING ? g_strdup (json_node_get_string (n))
                                                                  : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n));

          if (g_ptr_array_find_with_equal_func (out, v, g_str_equal, NULL))
            g_free (v);
          else
            g_ptr_array_add (out, v);
        }
    }
  return out;
}

static int
cmp_int64 (gconstpointer x,
           gconstpointer y)
{
  gint64 a = *(const gint64 *) x, b = *(const gint64 *) y;

  return a < b ? -1 : a > b;
}

int
ngam_cli_compare (int    argc,
                  char **argv)
{
  gboolean json = FALSE;
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(NgamStore) store = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GArray) only_a = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) only_b = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) method = g_array_new (FALSE, FALSE, sizeof (gint64));
  Side a = { 0 }, s2 = { 0 };
  GError *error = NULL;
  GHashTableIter it;
  gpointer k, v;
  double len_a = 0, len_b = 0;
  const char *lists[2][2] = { { "operators", "operator" }, { "phases", "phase" } };
  int status;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };

  ctx = ngam_cli_context ("compare", "PROJECT.ngam SCENARIO_A SCENARIO_B",
                          "Puts two scenarios' last plans side by side: totals, cost per operator and per "
                          "phase, and the street edges one digs and the other does not (or by another method).");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!ngam_cli_parse (ctx, &argc, &argv, &status))
    return status;
  if (argc != 4)
    return ngam_cli_usage ("compare", "expected PROJECT.ngam SCENARIO_A SCENARIO_B");
  store = ngam_store_open (argv[1], NGAM_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    return ngam_cli_fail (error);
  if (!side_load (store, argv[2], &a, &error) || !side_load (store, argv[3], &s2, &error))
    {
      side_clear (&a);
      side_clear (&s2);
      return ngam_cli_fail (error);
    }
  g_hash_table_iter_init (&it, a.edges);
  while (g_hash_table_iter_next (&it, &k, &v))
    {
      const char *m = g_hash_table_lookup (s2.edges, k);

      if (m == NULL)
        {
          g_array_append_val (only_a, *(gint64 *) k);
          len_a += *(double *) g_hash_table_lookup (a.lengths, k);
        }
      else if (!g_str_equal (m, v))
        g_array_append_val (method, *(gint64 *) k);
    }
  g_hash_table_iter_init (&it, s2.edges);
  while (g_hash_table_iter_next (&it, &k, &v))
    if (!g_hash_table_contains (a.edges, k))
      {
        g_array_append_val (only_b, *(gint64 *) k);
        len_b += *(double *) g_hash_table_lookup (s2.lengths, k);
      }
  g_array_sort (only_a, cmp_int64);
  g_array_sort (only_b, cmp_int64);
  g_array_sort (method, cmp_int64);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "a");
  json_builder_add_string_value (b, argv[2]);
  json_builder_set_member_name (b, "b");
  json_builder_add_string_value (b, argv[3]);
  json_builder_set_member_name (b, "totals");
  json_builder_begin_object (b);
  {
    const char *keys[] = { "cost_vnd", "spans_retired", "poles_removed", "manholes", "handholes" };

    if (!json)
      printf ("%-24s %20s %20s\n", "", argv[2], argv[3]);
    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      {
        gint64 x = int_at (a.root, "totals", keys[i]), y = int_at (s2.root, "totals", keys[i]);

        json_builder_set_member_name (b, keys[i]);
        json_builder_begin_array (b);
        json_builder_add_int_value (b, x);
        json_builder_add_int_value (b, y);
        json_builder_end_array (b);
        if (!json)
          printf ("%-24s %20" G_GINT64_FORMAT " %20" G_GINT64_FORMAT "\n", keys[i], x, y);
      }
    json_builder_set_member_name (b, "trench_m");
    json_builder_begin_array (b);
    json_builder_add_double_value (b, double_at (a.root, "totals", "trench_m"));
    json_builder_add_double_value (b, double_at (s2.root, "totals", "trench_m"));
    json_builder_end_array (b);
    if (!json)
      printf ("%-24s %20.1f %20.1f\n", "trench_m", double_at (a.root, "totals", "trench_m"),
              double_at (s2.root, "totals", "trench_m"));
  }
  json_builder_end_object (b);
  for (int l = 0; l < 2; l++)
    {
      g_autoptr(GPtrArray) names = names_of (&a, &s2, lists[l][0], lists[l][1]);

      json_builder_set_member_name (b, lists[l][0]);
      json_builder_begin_array (b);
      if (!json)
        printf ("%s:\n", lists[l][0]);
      for (guint i = 0; i < names->len; i++)
        {
          const char *name = g_ptr_array_index (names, i);
          gint64 x = cost_of (a.root, lists[l][0], lists[l][1], name);
          gint64 y = cost_of (s2.root, lists[l][0], lists[l][1], name);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, lists[l][1]);
          json_builder_add_string_value (b, name);
          json_builder_set_member_name (b, "cost_vnd");
          json_builder_begin_array (b);
          json_builder_add_int_value (b, x);
          json_builder_add_int_value (b, y);
          json_builder_end_array (b);
          json_builder_end_object (b);
          if (!json)
            printf ("  %-22s %20" G_GINT64_FORMAT " %20" G_GINT64_FORMAT "\n", name, x, y);
        }
      json_builder_end_array (b);
    }
  {
    GArray *lists2[3] = { only_a, only_b, method };
    const char *keys[3] = { "edges_only_a", "edges_only_b", "edges_other_method" };

    for (int l = 0; l < 3; l++)
      {
        json_builder_set_member_name (b, keys[l]);
        json_builder_begin_array (b);
        for (guint i = 0; i < lists2[l]->len; i++)
          json_builder_add_int_value (b, g_array_index (lists2[l], gint64, i));
        json_builder_end_array (b);
      }
  }
  json_builder_end_object (b);
  if (json)
    ngam_cli_print_json (b);
  else
    printf ("street edges dug only in %s: %u (%.1f m); only in %s: %u (%.1f m); by another method: %u\n",
            argv[2], only_a->len, len_a, argv[3], only_b->len, len_b, method->len);
  side_clear (&a);
  side_clear (&s2);
  return NGAM_EXIT_OK;
}
