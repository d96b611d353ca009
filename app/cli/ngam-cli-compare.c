/* ngam-cli-compare.c — `ngam-batch compare`: two scenarios' plans side by
 * side
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-batch"

#include "config.h"

#include <stdio.h>

#include "ngam-cli.h"

/* Pads @text to @width characters, not bytes: ward names are Vietnamese. */
static char *
pad (const char *text,
     guint       width)
{
  g_autofree char *nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  glong n = g_utf8_strlen (nfc ? nfc : text, -1);

  return g_strdup_printf ("%s%*s", nfc ? nfc : text, n < (glong) width ? (int) (width - n) : 0, "");
}

static void
print_rows (const char *list,
            GPtrArray  *rows,
            const char *unnamed)
{
  printf ("%s:\n", list);
  for (guint i = 0; i < rows->len; i++)
    {
      const NgamPlanCompareRow *row = g_ptr_array_index (rows, i);
      g_autofree char *name = pad (*row->name || unnamed == NULL ? row->name : unnamed, 22);

      printf ("  %s %20" G_GINT64_FORMAT " %20" G_GINT64_FORMAT "\n", name, row->cost_a, row->cost_b);
    }
}

static void
print_text (const NgamPlanComparison *c)
{
  struct { const char *key; const gint64 *v; } totals[] = {
    { "cost_vnd", c->cost_vnd }, { "spans_retired", c->spans_retired },
    { "poles_removed", c->poles_removed }, { "manholes", c->manholes },
    { "handholes", c->handholes },
  };

  printf ("%-24s %20s %20s\n", "", c->scenario_a, c->scenario_b);
  for (guint i = 0; i < G_N_ELEMENTS (totals); i++)
    printf ("%-24s %20" G_GINT64_FORMAT " %20" G_GINT64_FORMAT "\n", totals[i].key, totals[i].v[0], totals[i].v[1]);
  printf ("%-24s %20.1f %20.1f\n", "trench_m", c->trench_m[0], c->trench_m[1]);
  print_rows ("operators", c->operators, NULL);
  print_rows ("phases", c->phases, NULL);
  print_rows ("wards", c->wards, "(no ward)");
  printf ("street edges dug only in %s: %u (%.1f m); only in %s: %u (%.1f m); by another method: %u\n",
          c->scenario_a, c->edges_only_a->len, c->length_only_a_m, c->scenario_b, c->edges_only_b->len,
          c->length_only_b_m, c->edges_other_method->len);
}

static void
print_json (const NgamPlanComparison *c)
{
  g_autoptr(JsonNode) root = ngam_plan_comparison_to_json (c);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  printf ("%s\n", text);
}

int
ngam_cli_compare (int    argc,
                  char **argv)
{
  gboolean json = FALSE, csv = FALSE;
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(NgamStore) store = NULL;
  g_autoptr(NgamPlanComparison) c = NULL;
  GError *error = NULL;
  int status;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, "Print one CSV table (section, item, A, B, B minus A)", NULL },
    { NULL }
  };

  ctx = ngam_cli_context ("compare", "PROJECT.ngam SCENARIO_A SCENARIO_B",
                          "Puts two scenarios' last plans side by side: totals, cost per operator, per "
                          "phase and per ward, and the street edges one digs and the other does not (or by "
                          "another method).");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!ngam_cli_parse (ctx, &argc, &argv, &status))
    return status;
  if (argc != 4)
    return ngam_cli_usage ("compare", "expected PROJECT.ngam SCENARIO_A SCENARIO_B");
  if (json && csv)
    return ngam_cli_usage ("compare", "--json and --csv cannot be given together");
  store = ngam_store_open (argv[1], NGAM_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    return ngam_cli_fail (error);
  c = ngam_plan_compare (store, argv[2], argv[3], &error);
  if (c == NULL)
    return ngam_cli_fail (error);
  if (json)
    print_json (c);
  else if (csv)
    {
      g_autofree char *text = ngam_plan_comparison_to_csv (c);

      fputs (text, stdout);
    }
  else
    print_text (c);
  return NGAM_EXIT_OK;
}
