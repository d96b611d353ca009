/* ngam-plan-compare.c — two scenarios' last plans side by side
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads the last `plan` run of each scenario back from the store: the
 * totals and the per-operator, per-phase and per-ward costs from the run's
 * summary, and the street edges each digs from its `trench` features.
 * Edges are the street graph's, built from every street of the project
 * whatever the scope, so the same number means the same street edge in
 * both runs.  `ngam-batch compare` and the desktop app both call it.
 */
#define G_LOG_DOMAIN "ngam-plan"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ngam-csv.h"
#include "ngam-plan.h"
#include "ngam-results.h"

typedef struct
{
  gint64      run_id;
  JsonNode   *summary;
  JsonObject *root;
  GHashTable *methods;  /* edge (gint64 *) → method (char *) */
  GHashTable *lengths;  /* edge (gint64 *) → length in m (double *) */
} Side;

static void
side_clear (Side *s)
{
  g_clear_pointer (&s->summary, json_node_unref);
  g_clear_pointer (&s->methods, g_hash_table_unref);
  g_clear_pointer (&s->lengths, g_hash_table_unref);
}

static gboolean
side_load (NgamStore   *store,
           const char  *scenario,
           Side        *s,
           GError     **error)
{
  g_autoptr(NgamRunInfo) run = NULL;
  g_autoptr(NgamResultCursor) c = NULL;
  GError *local = NULL;

  run = ngam_store_get_last_run (store, scenario, "plan", &local);
  if (run == NULL)
    {
      /* an unknown scenario: the store's message names it */
      if (local != NULL)
        g_propagate_error (error, local);
      else
        g_set_error (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_NO_RUN,
                     _("Scenario “%s” has no plan yet: run the plan first"), scenario);
      return FALSE;
    }
  s->run_id = run->id;
  if (run->summary != NULL)
    s->summary = json_from_string (run->summary, NULL);
  if (s->summary == NULL || !JSON_NODE_HOLDS_OBJECT (s->summary))
    {
      g_set_error (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_NO_RUN,
                   _("The plan of scenario “%s” in %s has no readable summary: run the plan again"),
                   scenario, ngam_store_get_path (store));
      return FALSE;
    }
  s->root = json_node_get_object (s->summary);
  s->methods = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  s->lengths = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  c = ngam_store_query_results (store, run->id, "trench", NULL, error);
  if (c == NULL)
    return FALSE;
  while (ngam_result_cursor_next (c, &local))
    {
      const NgamResultFeature *f = ngam_result_cursor_get (c);
      g_autoptr(JsonNode) node = f->attrs != NULL ? json_from_string (f->attrs, NULL) : NULL;
      JsonObject *a;
      gint64 edge;
      double len;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      a = json_node_get_object (node);
      edge = json_object_get_int_member_with_default (a, "edge", -1);
      len = json_object_get_double_member_with_default (a, "length_m", 0);
      g_hash_table_insert (s->methods, g_memdup2 (&edge, sizeof edge),
                           g_strdup (json_object_get_string_member_with_default (a, "method", "")));
      g_hash_table_insert (s->lengths, g_memdup2 (&edge, sizeof edge), g_memdup2 (&len, sizeof len));
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

static gint64
total_int (JsonObject *root,
           const char *key)
{
  JsonObject *t = json_object_get_object_member (root, "totals");

  return t != NULL ? json_object_get_int_member_with_default (t, key, 0) : 0;
}

static double
total_double (JsonObject *root,
              const char *key)
{
  JsonObject *t = json_object_get_object_member (root, "totals");

  return t != NULL ? json_object_get_double_member_with_default (t, key, 0) : 0;
}

/* A row's name: phases are numbered, operators and wards named. */
static char *
row_name (JsonObject *o,
          const char *key)
{
  JsonNode *n = json_object_get_member (o, key);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return g_strdup ("");
  if (json_node_get_value_type (n) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (n));
  return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n));
}

static void
row_free (NgamPlanCompareRow *row)
{
  g_free (row->name);
  g_free (row);
}

/* The rows of one list (operators, phases, wards) in both summaries, in
 * order of appearance in A then B; a name missing from a side costs 0
 * there. */
static GPtrArray *
rows_of (Side       *sides,
         const char *list,
         const char *key)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);

  for (int k = 0; k < 2; k++)
    {
      JsonArray *arr = json_object_get_array_member (sides[k].root, list);
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; arr != NULL && i < json_array_get_length (arr); i++)
        {
          JsonObject *o = json_array_get_object_element (arr, i);
          g_autofree char *name = NULL;
          NgamPlanCompareRow *row;
          gint64 cost;

          if (o == NULL)
            continue;
          name = row_name (o, key);
          cost = json_object_get_int_member_with_default (o, "cost_vnd", 0);
          row = g_hash_table_lookup (index, name);
          if (row == NULL)
            {
              row = g_new0 (NgamPlanCompareRow, 1);
              row->name = g_steal_pointer (&name);
              g_ptr_array_add (out, row);
              g_hash_table_insert (index, row->name, row);
            }
          /* a list names each row once; were one repeated, the first
           * would count */
          if (!g_hash_table_add (seen, row->name))
            continue;
          if (k == 0)
            row->cost_a = cost;
          else
            row->cost_b = cost;
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

/**
 * ngam_plan_compare:
 * @store: an open project
 * @scenario_a: the first scenario's name
 * @scenario_b: the second scenario's name (may be @scenario_a)
 * @error: return location for a #GError
 *
 * Compares the last `plan` runs of two scenarios: totals, cost per
 * operator, phase and ward, and the street edges one digs and the other
 * does not, or digs by another method.
 *
 * Returns: (transfer full): the comparison, or NULL with @error set:
 *   %NGAM_PLAN_ERROR_NO_RUN when a scenario has no plan,
 *   %NGAM_STORE_ERROR_NOT_FOUND when there is no such scenario.
 */
NgamPlanComparison *
ngam_plan_compare (NgamStore   *store,
                   const char  *scenario_a,
                   const char  *scenario_b,
                   GError     **error)
{
  g_autoptr(NgamPlanComparison) c = NULL;
  Side sides[2] = { { 0 }, { 0 } };
  GHashTableIter it;
  gpointer k, v;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (scenario_a != NULL && scenario_b != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!side_load (store, scenario_a, &sides[0], error) || !side_load (store, scenario_b, &sides[1], error))
    {
      side_clear (&sides[0]);
      side_clear (&sides[1]);
      return NULL;
    }

  c = g_new0 (NgamPlanComparison, 1);
  c->scenario_a = g_strdup (scenario_a);
  c->scenario_b = g_strdup (scenario_b);
  c->run_a = sides[0].run_id;
  c->run_b = sides[1].run_id;
  for (int s = 0; s < 2; s++)
    {
      c->cost_vnd[s] = total_int (sides[s].root, "cost_vnd");
      c->spans_retired[s] = total_int (sides[s].root, "spans_retired");
      c->poles_removed[s] = total_int (sides[s].root, "poles_removed");
      c->manholes[s] = total_int (sides[s].root, "manholes");
      c->handholes[s] = total_int (sides[s].root, "handholes");
      c->trench_m[s] = total_double (sides[s].root, "trench_m");
    }
  c->operators = rows_of (sides, "operators", "operator");
  c->phases = rows_of (sides, "phases", "phase");
  c->wards = rows_of (sides, "wards", "ward");

  c->edges_only_a = g_array_new (FALSE, FALSE, sizeof (gint64));
  c->edges_only_b = g_array_new (FALSE, FALSE, sizeof (gint64));
  c->edges_other_method = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_hash_table_iter_init (&it, sides[0].methods);
  while (g_hash_table_iter_next (&it, &k, &v))
    {
      const char *m = g_hash_table_lookup (sides[1].methods, k);

      if (m == NULL)
        {
          g_array_append_val (c->edges_only_a, *(gint64 *) k);
          c->length_only_a_m += *(double *) g_hash_table_lookup (sides[0].lengths, k);
        }
      else if (!g_str_equal (m, v))
        g_array_append_val (c->edges_other_method, *(gint64 *) k);
    }
  g_hash_table_iter_init (&it, sides[1].methods);
  while (g_hash_table_iter_next (&it, &k, &v))
    if (!g_hash_table_contains (sides[0].methods, k))
      {
        g_array_append_val (c->edges_only_b, *(gint64 *) k);
        c->length_only_b_m += *(double *) g_hash_table_lookup (sides[1].lengths, k);
      }
  g_array_sort (c->edges_only_a, cmp_int64);
  g_array_sort (c->edges_only_b, cmp_int64);
  g_array_sort (c->edges_other_method, cmp_int64);

  side_clear (&sides[0]);
  side_clear (&sides[1]);
  return g_steal_pointer (&c);
}

void
ngam_plan_comparison_free (NgamPlanComparison *c)
{
  if (c == NULL)
    return;
  g_free (c->scenario_a);
  g_free (c->scenario_b);
  g_clear_pointer (&c->operators, g_ptr_array_unref);
  g_clear_pointer (&c->phases, g_ptr_array_unref);
  g_clear_pointer (&c->wards, g_ptr_array_unref);
  g_clear_pointer (&c->edges_only_a, g_array_unref);
  g_clear_pointer (&c->edges_only_b, g_array_unref);
  g_clear_pointer (&c->edges_other_method, g_array_unref);
  g_free (c);
}

static void
add_pair_int (JsonBuilder *b,
              const char  *member,
              gint64       x,
              gint64       y)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  json_builder_add_int_value (b, x);
  json_builder_add_int_value (b, y);
  json_builder_end_array (b);
}

static void
add_rows (JsonBuilder *b,
          const char  *list,
          const char  *key,
          GPtrArray   *rows)
{
  json_builder_set_member_name (b, list);
  json_builder_begin_array (b);
  for (guint i = 0; i < rows->len; i++)
    {
      const NgamPlanCompareRow *row = g_ptr_array_index (rows, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, key);
      json_builder_add_string_value (b, row->name);
      add_pair_int (b, "cost_vnd", row->cost_a, row->cost_b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_edges (JsonBuilder *b,
           const char  *member,
           GArray      *edges)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; i < edges->len; i++)
    json_builder_add_int_value (b, g_array_index (edges, gint64, i));
  json_builder_end_array (b);
}

/**
 * ngam_plan_comparison_to_json:
 * @c: a comparison
 *
 * The comparison as `ngam-batch compare --json` prints it: "a", "b",
 * "run_a", "run_b", "totals" (each a pair [A, B]), "operators", "phases"
 * and "wards" (each row's "cost_vnd" a pair), "edges_only_a",
 * "edges_only_b", "edges_other_method", "length_only_a_m" and
 * "length_only_b_m".
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
ngam_plan_comparison_to_json (const NgamPlanComparison *c)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (c != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "a");
  json_builder_add_string_value (b, c->scenario_a);
  json_builder_set_member_name (b, "b");
  json_builder_add_string_value (b, c->scenario_b);
  json_builder_set_member_name (b, "run_a");
  json_builder_add_int_value (b, c->run_a);
  json_builder_set_member_name (b, "run_b");
  json_builder_add_int_value (b, c->run_b);
  json_builder_set_member_name (b, "totals");
  json_builder_begin_object (b);
  add_pair_int (b, "cost_vnd", c->cost_vnd[0], c->cost_vnd[1]);
  add_pair_int (b, "spans_retired", c->spans_retired[0], c->spans_retired[1]);
  add_pair_int (b, "poles_removed", c->poles_removed[0], c->poles_removed[1]);
  add_pair_int (b, "manholes", c->manholes[0], c->manholes[1]);
  add_pair_int (b, "handholes", c->handholes[0], c->handholes[1]);
  json_builder_set_member_name (b, "trench_m");
  json_builder_begin_array (b);
  json_builder_add_double_value (b, c->trench_m[0]);
  json_builder_add_double_value (b, c->trench_m[1]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  add_rows (b, "operators", "operator", c->operators);
  add_rows (b, "phases", "phase", c->phases);
  add_rows (b, "wards", "ward", c->wards);
  add_edges (b, "edges_only_a", c->edges_only_a);
  add_edges (b, "edges_only_b", c->edges_only_b);
  add_edges (b, "edges_other_method", c->edges_other_method);
  json_builder_set_member_name (b, "length_only_a_m");
  json_builder_add_double_value (b, c->length_only_a_m);
  json_builder_set_member_name (b, "length_only_b_m");
  json_builder_add_double_value (b, c->length_only_b_m);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* One row of the CSV: @section, @item, A, B and B − A as given. */
static void
csv_row (GString    *out,
         const char *section,
         const char *item,
         const char *a,
         const char *b,
         const char *diff)
{
  ngam_csv_field (out, section, FALSE);
  ngam_csv_field (out, item, FALSE);
  ngam_csv_field (out, a, FALSE);
  ngam_csv_field (out, b, FALSE);
  ngam_csv_field (out, diff, TRUE);
}

static void
csv_int (GString    *out,
         const char *section,
         const char *item,
         gint64      a,
         gint64      b)
{
  char sa[24], sb[24], sd[24];

  g_snprintf (sa, sizeof sa, "%" G_GINT64_FORMAT, a);
  g_snprintf (sb, sizeof sb, "%" G_GINT64_FORMAT, b);
  g_snprintf (sd, sizeof sd, "%" G_GINT64_FORMAT, b - a);
  csv_row (out, section, item, sa, sb, sd);
}

/* Metres to the centimetre, in the C locale. */
static void
csv_metres (GString    *out,
            const char *section,
            const char *item,
            double      a,
            double      b)
{
  char sa[G_ASCII_DTOSTR_BUF_SIZE], sb[G_ASCII_DTOSTR_BUF_SIZE], sd[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (sa, sizeof sa, "%.2f", a);
  g_ascii_formatd (sb, sizeof sb, "%.2f", b);
  g_ascii_formatd (sd, sizeof sd, "%.2f", b - a);
  csv_row (out, section, item, sa, sb, sd);
}

static void
csv_rows (GString    *out,
          const char *section,
          GPtrArray  *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const NgamPlanCompareRow *row = g_ptr_array_index (rows, i);

      csv_int (out, section, row->name, row->cost_a, row->cost_b);
    }
}

/**
 * ngam_plan_comparison_to_csv:
 * @c: a comparison
 *
 * The comparison as one table for a spreadsheet, in the conventions of the
 * report's CSV files (UTF-8 without a byte order mark, RFC 4180 quoting,
 * CRLF line ends, numbers in the C locale without grouping: whole đồng,
 * metres to the centimetre).  Columns `section,item,a,b,b_minus_a`; the
 * rows: `scenario,name` and `run,id` (no difference), then `totals`
 * (cost_vnd, trench_m, spans_retired, poles_removed, manholes,
 * handholes), one `operator`, `phase` and `ward` row per cost row (a
 * ward's item empty outside every ward), and `streets`: the edges only
 * one plan digs (edges_only, their length_only_m) and the edges both dig
 * by different methods (edges_other_method, the same count each side).
 *
 * Returns: (transfer full): the CSV text
 */
char *
ngam_plan_comparison_to_csv (const NgamPlanComparison *c)
{
  GString *out = g_string_new (NULL);
  char ra[24], rb[24];

  g_return_val_if_fail (c != NULL, NULL);

  csv_row (out, "section", "item", "a", "b", "b_minus_a");
  csv_row (out, "scenario", "name", c->scenario_a, c->scenario_b, NULL);
  g_snprintf (ra, sizeof ra, "%" G_GINT64_FORMAT, c->run_a);
  g_snprintf (rb, sizeof rb, "%" G_GINT64_FORMAT, c->run_b);
  csv_row (out, "run", "id", ra, rb, NULL);
  csv_int (out, "totals", "cost_vnd", c->cost_vnd[0], c->cost_vnd[1]);
  csv_metres (out, "totals", "trench_m", c->trench_m[0], c->trench_m[1]);
  csv_int (out, "totals", "spans_retired", c->spans_retired[0], c->spans_retired[1]);
  csv_int (out, "totals", "poles_removed", c->poles_removed[0], c->poles_removed[1]);
  csv_int (out, "totals", "manholes", c->manholes[0], c->manholes[1]);
  csv_int (out, "totals", "handholes", c->handholes[0], c->handholes[1]);
  csv_rows (out, "operator", c->operators);
  csv_rows (out, "phase", c->phases);
  csv_rows (out, "ward", c->wards);
  csv_int (out, "streets", "edges_only", c->edges_only_a->len, c->edges_only_b->len);
  csv_metres (out, "streets", "length_only_m", c->length_only_a_m, c->length_only_b_m);
  csv_int (out, "streets", "edges_other_method", c->edges_other_method->len, c->edges_other_method->len);
  return g_string_free (out, FALSE);
}
