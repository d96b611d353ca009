/* ngam-report-doc.c — the report's content, in one language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The document is a list of blocks (headings, paragraphs, key figures,
 * tables, charts, maps) that the PDF and HTML writers lay out each in its
 * own way, so the two always say the same thing.  Its order is the one a
 * committee reads: what is proposed and what it costs, where (maps), the
 * bill of quantities, who pays, what is left out, whether the rules hold,
 * and on what assumptions.
 */
#define G_LOG_DOMAIN "ngam-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ngam-report-private.h"
#include "ngam-zone.h"

#define TR(s) ngam_report_tr (d->lang, (s))

/* ---- tables -------------------------------------------------------------- */

NgamReportTable *
ngam_report_table_new (guint               n_cols,
                       const char *const  *headers,
                       const gboolean     *numeric,
                       const double       *widths)
{
  NgamReportTable *t = g_new0 (NgamReportTable, 1);

  t->n_cols = n_cols;
  t->headers = g_new0 (char *, n_cols + 1);
  t->numeric = g_new0 (gboolean, n_cols);
  t->widths = g_new0 (double, n_cols);
  for (guint i = 0; i < n_cols; i++)
    {
      t->headers[i] = g_strdup (headers[i]);
      t->numeric[i] = numeric != NULL && numeric[i];
      t->widths[i] = widths != NULL ? widths[i] : 1.0;
    }
  t->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  t->keys = g_array_new (FALSE, FALSE, sizeof (double));
  t->total_row = -1;
  t->bar_col = -1;
  return t;
}

/* Takes @cells (n_cols strings, NULL-terminated); @keys: (nullable) the
 * sort key of each cell, NAN for text. */
void
ngam_report_table_add (NgamReportTable *t,
                       char           **cells,
                       const double    *keys)
{
  g_assert (g_strv_length (cells) == t->n_cols);
  g_ptr_array_add (t->rows, cells);
  for (guint i = 0; i < t->n_cols; i++)
    {
      double k = keys != NULL ? keys[i] : NAN;

      g_array_append_val (t->keys, k);
    }
}

void
ngam_report_table_free (NgamReportTable *t)
{
  if (t == NULL)
    return;
  g_strfreev (t->headers);
  g_free (t->numeric);
  g_free (t->widths);
  g_ptr_array_unref (t->rows);
  g_array_unref (t->keys);
  g_free (t);
}

/* A planner's note is a fragment ("trenches reach…"), as the CLI prints it
 * after "note:"; a paragraph of the report makes it a sentence: a capital
 * first letter and a full stop. */
static char *
note_sentence (const char *note)
{
  const char *rest;
  g_autofree char *first = NULL;
  gsize len = strlen (note);

  if (len == 0)
    return g_strdup (note);
  rest = g_utf8_next_char (note);
  first = g_utf8_strup (note, rest - note);
  return g_strconcat (first, rest, strchr (".!?:", note[len - 1]) != NULL ? "" : ".", NULL);
}

static void
block_free (gpointer p)
{
  NgamReportBlock *b = p;

  g_free (b->text);
  g_free (b->subtitle);
  g_free (b->anchor);
  ngam_report_table_free (b->table);
  if (b->map != NULL)
    g_free (b->map->ward);
  g_free (b->map);
  g_free (b);
}

void
ngam_report_doc_free (NgamReportDoc *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->title);
  g_free (doc->date);
  g_ptr_array_unref (doc->blocks);
  g_free (doc);
}

/* ---- building ------------------------------------------------------------ */

typedef struct
{
  NgamReportData *data;
  NgamReportLang *lang;
  NgamReportDoc  *doc;
  guint           n_headings;
} Builder;

static NgamReportBlock *
add_block (Builder *d, NgamBlockKind kind, const char *text)
{
  NgamReportBlock *b = g_new0 (NgamReportBlock, 1);

  b->kind = kind;
  b->text = g_strdup (text);
  g_ptr_array_add (d->doc->blocks, b);
  return b;
}

static NgamReportBlock *
heading (Builder *d, int level, const char *text)
{
  NgamReportBlock *b = add_block (d, NGAM_BLOCK_HEADING, text);

  b->level = level;
  b->anchor = g_strdup_printf ("s%u", ++d->n_headings);
  return b;
}

/* The main parts begin a page; the short sections between them flow. */
static void
part (Builder *d, const char *text)
{
  heading (d, 1, text)->page_break = TRUE;
}

static void
paragraph (Builder *d, const char *text)
{
  add_block (d, NGAM_BLOCK_PARAGRAPH, text);
}

static void
table_block (Builder *d, NgamBlockKind kind, NgamReportTable *t)
{
  add_block (d, kind, NULL)->table = t;
}

static char *
money (Builder *d, double v)
{
  return ngam_report_format_money (d->lang, v);
}

static char *
metres (Builder *d, double v)
{
  return ngam_report_format_metres (d->lang, v);
}

static char *
count (Builder *d, double v)
{
  return ngam_report_format_number (d->lang, v, 0);
}

/* The planner's bill items (ngam-plan's JSON `bill[].item`) and units. */
static const struct
{
  const char *item;
  const char *title;
} bill_items[] = {
  { "trench", N_("Trench excavation") },
  { "reinstatement", N_("Surface reinstatement") },
  { "hdd_crossing", N_("Crossings by directional drilling") },
  { "street_crossing", N_("Street crossings") },
  { "ducts", N_("Ducts") },
  { "manholes", N_("Manholes") },
  { "manhole", N_("Manholes") },
  { "handholes", N_("Handholes") },
  { "handhole", N_("Handholes") },
  { "cable_pulling", N_("Cable pulling") },
  { "risers", N_("Risers at poles") },
  { "pole_removal", N_("Pole removal") },
  { "splice_closures", N_("Splice closures") },
  { "duct_rent", N_("Rent of existing ducts") },
}, units[] = {
  { "each", N_("each") },
  { "pcs", N_("each") },
  { "crossing", N_("crossings") },
  { "duct m", N_("duct m") },
  { "cable m", N_("cable m") },
};

/**
 * ngam_report_item_title:
 *
 * Returns: (transfer none): a bill item's, a method's or a unit's name
 *   for people, in @lang; the key itself when it is unknown.
 */
const char *
ngam_report_item_title (NgamReportLang *lang,
                        const char     *item)
{
  NgamMethodFlags f = ngam_method_from_name (item);

  if (f != 0)
    return ngam_report_tr (lang, ngam_method_info (f)->title);
  for (guint i = 0; i < G_N_ELEMENTS (bill_items); i++)
    if (g_strcmp0 (item, bill_items[i].item) == 0)
      return ngam_report_tr (lang, bill_items[i].title);
  return item != NULL ? item : "";
}

const char *
ngam_report_unit_title (NgamReportLang *lang,
                        const char     *unit)
{
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_strcmp0 (unit, units[i].item) == 0)
      return ngam_report_tr (lang, units[i].title);
  return unit != NULL ? unit : "";
}

/* "Phase 2 (2028)", or "Phase 2 (year 2)" when the plan counts years
 * from its start. */
char *
ngam_report_phase_title (NgamReportLang *lang,
                         int             phase,
                         int             year)
{
  if (year >= 1000)
    return g_strdup_printf (ngam_report_tr (lang, N_("Phase %d (%d)")), phase, year);
  return g_strdup_printf (ngam_report_tr (lang, N_("Phase %d (year %d)")), phase, year);
}

static const char *
method_title (Builder *d, const char *method)
{
  return ngam_report_item_title (d->lang, method);
}

static const char *
unit_title (Builder *d, const char *unit)
{
  return ngam_report_unit_title (d->lang, unit);
}

static const char *
ward_title (Builder *d, const char *ward)
{
  return ward != NULL && *ward ? ward : TR (N_("(no ward)"));
}

static void
figures_add (Builder *d, NgamReportTable *t, const char *label, char *value, double key)
{
  char **cells = g_new0 (char *, 3);
  double keys[2] = { NAN, key };

  cells[0] = g_strdup (label);
  cells[1] = value;
  ngam_report_table_add (t, cells, keys);
}

static void figures_add (Builder *d, NgamReportTable *t, const char *label, char *value, double key);

static void
build_cover (Builder *d)
{
  NgamReportData *data = d->data;
  NgamReportBlock *b;
  g_autofree char *file = g_path_get_basename (ngam_store_get_path (data->store));
  g_autofree char *sub = NULL;

  if (data->options->area != NULL)
    sub = g_strdup_printf (TR (N_("Scenario “%s” · ward %s · project %s")), data->scenario,
                           data->options->area, file);
  else
    sub = g_strdup_printf (TR (N_("Scenario “%s” · project %s")), data->scenario, file);
  b = add_block (d, NGAM_BLOCK_TITLE, d->doc->title);
  b->subtitle = g_steal_pointer (&sub);
  {
    const char *const headers[] = { TR (N_("Key figures")), "" };
    const gboolean numeric[] = { FALSE, TRUE };
    NgamReportTable *t = ngam_report_table_new (2, headers, numeric, (double[]) { 2, 1 });
    int first = 0, last = 0;

    for (guint i = 0; i < data->phases->len; i++)
      {
        NgamReportRow *r = data->phases->pdata[i];

        first = first == 0 ? r->year : MIN (first, r->year);
        last = MAX (last, r->year);
      }
    figures_add (d, t, TR (N_("Total cost")), money (d, data->cost), data->cost);
    figures_add (d, t, TR (N_("Trench length")), metres (d, data->trench_m), data->trench_m);
    figures_add (d, t, TR (N_("Years")), first > 0 ? g_strdup_printf ("%d–%d", first, last) : g_strdup ("–"), NAN);
    figures_add (d, t, TR (N_("Rule checks")),
                 data->violations->len == 0 ? g_strdup (TR (N_("all pass")))
                                            : g_strdup_printf (TR (N_("%u violations")), data->violations->len),
                 data->violations->len);
    table_block (d, NGAM_BLOCK_FIGURES, t);
  }
  if (data->violations->len > 0)
    {
      g_autofree char *w = g_strdup_printf (TR (N_("This plan breaks %u rule checks: see “Rule checks”. "
                                                   "It must not be approved as it stands.")),
                                            data->violations->len);

      add_block (d, NGAM_BLOCK_WARNING, w);
    }
  add_block (d, NGAM_BLOCK_TOC, TR (N_("Contents")));
}

static void
build_summary (Builder *d)
{
  NgamReportData *data = d->data;
  const char *const headers[] = { TR (N_("Figure")), TR (N_("Value")) };
  const gboolean numeric[] = { FALSE, TRUE };
  const double widths[] = { 2.2, 1 };
  NgamReportTable *t = ngam_report_table_new (2, headers, numeric, widths);
  guint funded = 0;

  part (d, TR (N_("Summary")));
  for (guint i = 0; i < data->phases->len; i++)
    funded += ((NgamReportRow *) data->phases->pdata[i])->funded;
  {
    g_autofree char *cost = money (d, data->cost), *len = metres (d, data->trench_m);
    g_autofree char *text = g_strdup_printf (TR (N_("The plan puts the aerial cables underground in %s of shared "
                                                    "trench, in %u phases, for a total of %s.")),
                                             len, data->phases->len, cost);
    paragraph (d, text);
  }
  figures_add (d, t, TR (N_("Total cost")), money (d, data->cost), data->cost);
  figures_add (d, t, TR (N_("Trench length")), metres (d, data->trench_m), data->trench_m);
  if (!isnan (data->cable_m))
    figures_add (d, t, TR (N_("Cable moved underground")), metres (d, data->cable_m), data->cable_m);
  if (!isnan (data->duct_m) && data->duct_m > 0)
    figures_add (d, t, TR (N_("Duct length")), metres (d, data->duct_m), data->duct_m);
  figures_add (d, t, TR (N_("Aerial spans retired")), count (d, data->spans_retired), data->spans_retired);
  figures_add (d, t, TR (N_("Poles to remove")), count (d, data->poles_removed), data->poles_removed);
  figures_add (d, t, TR (N_("Poles freed of telecom cable")), count (d, data->poles_freed), data->poles_freed);
  figures_add (d, t, TR (N_("Manholes")), count (d, data->manholes), data->manholes);
  figures_add (d, t, TR (N_("Handholes")), count (d, data->handholes), data->handholes);
  figures_add (d, t, TR (N_("Phases")), count (d, data->phases->len), data->phases->len);
  figures_add (d, t, TR (N_("Unfunded items")), count (d, data->unfunded->len), data->unfunded->len);
  figures_add (d, t, TR (N_("Rule violations")), count (d, data->violations->len), data->violations->len);
  if (data->unmatched_spans > 0)
    figures_add (d, t, TR (N_("Aerial spans not matched to a street")), count (d, data->unmatched_spans),
                 data->unmatched_spans);
  table_block (d, NGAM_BLOCK_FIGURES, t);
  if (data->area_shape == NULL && isfinite (data->design_cost) && isfinite (data->design_bound) && data->design_cost > 0)
    {
      g_autofree char *cost = money (d, data->design_cost), *bound = money (d, data->design_bound);
      g_autofree char *gap = ngam_report_format_number (d->lang, 100 * MAX (0, data->design_cost - data->design_bound) /
                                                                    data->design_cost, 1);
      g_autofree char *text = g_strdup_printf (TR (N_("The trench network itself (civil works, ducts, cable "
                                                      "pulling and rent) costs %s. No network that the rules "
                                                      "allow can cost less than %s: the best one is at most "
                                                      "%s %% cheaper than this design (a proven lower "
                                                      "bound).")),
                                               cost, bound, gap);
      paragraph (d, text);
    }
  if (data->notes->len > 0)
    {
      heading (d, 2, TR (N_("Notes of the planner")));
      /* a plan run in English keeps its notes in English: those without
       * numbers in them are the catalogue's own messages */
      for (guint i = 0; i < data->notes->len; i++)
        {
          g_autofree char *text = note_sentence (TR (data->notes->pdata[i]));

          paragraph (d, text);
        }
    }
}

static void
map_block (Builder *d, NgamReportMapKind kind, int phase, const char *ward, const char *title,
           const char *caption)
{
  NgamReportBlock *b = add_block (d, NGAM_BLOCK_MAP, title);

  b->subtitle = g_strdup (caption);
  b->map = g_new0 (NgamReportMap, 1);
  b->map->kind = kind;
  b->map->phase = phase;
  b->map->ward = g_strdup (ward);
  memcpy (b->map->bbox, d->data->extent, sizeof b->map->bbox);
}

/* A province's plan reaches hundreds of wards and thousands of streets:
 * the document keeps what a reader pages through (the CSV, the
 * GeoPackage and the open data have everything). */
#define MAX_WARD_MAPS     40
#define MAX_SCHEDULE_ROWS 400

/* Most work first; by name when two cost the same. */
static int
ward_by_cost (gconstpointer a, gconstpointer b)
{
  const NgamReportRow *x = *(NgamReportRow *const *) a, *y = *(NgamReportRow *const *) b;
  double cx = isnan (x->cost) ? 0 : x->cost, cy = isnan (y->cost) ? 0 : y->cost;

  if (cx != cy)
    return cx > cy ? -1 : 1;
  return g_strcmp0 (x->key, y->key);
}

static void
build_maps (Builder *d)
{
  NgamReportData *data = d->data;

  heading (d, 1, TR (N_("Maps")));
  map_block (d, NGAM_REPORT_MAP_OVERVIEW, -1, NULL, TR (N_("Overview: trenches by phase")),
             TR (N_("Trenches coloured by phase and manholes over the streets, the river and the zones; the aerial "
                    "spans retired in faint grey under them. The ward maps show the poles to remove.")));
  map_block (d, NGAM_REPORT_MAP_METHOD, -1, NULL, TR (N_("Construction methods")),
             TR (N_("Trenches coloured by construction method.")));
  if (data->gaps != NULL)
    map_block (d, NGAM_REPORT_MAP_GAPS, -1, NULL, TR (N_("Coverage gaps and hazard exposure")),
               TR (N_("Areas left without coverage and the hazard zones the plant crosses.")));
  if (data->phases->len > 1)
    for (guint i = 0; i < data->phases->len; i++)
      {
        NgamReportRow *r = data->phases->pdata[i];
        g_autofree char *title = ngam_report_phase_title (d->lang, r->phase, r->year);

        map_block (d, NGAM_REPORT_MAP_PHASE, r->phase, NULL, title,
                   TR (N_("The phase's trenches in colour, the other phases in grey.")));
      }
  if (data->options->area == NULL && data->wards->len > 1)
    {
      g_autoptr(GPtrArray) wards = g_ptr_array_new ();   /* borrowed rows */

      for (guint i = 0; i < data->wards->len; i++)
        g_ptr_array_add (wards, data->wards->pdata[i]);
      if (wards->len > MAX_WARD_MAPS)
        {
          g_autofree char *note = NULL;

          g_ptr_array_sort (wards, ward_by_cost);
          g_ptr_array_set_size (wards, MAX_WARD_MAPS);
          note = g_strdup_printf (TR (N_("The plan reaches %u wards: maps follow for the %u with the most work. "
                                         "The report of one ward shows that ward's map.")),
                                  data->wards->len, (guint) MAX_WARD_MAPS);
          paragraph (d, note);
        }
      for (guint i = 0; i < wards->len; i++)
        {
          NgamReportRow *r = wards->pdata[i];
          map_block (d, NGAM_REPORT_MAP_WARD, -1, r->key, ward_title (d, r->key),
                     TR (N_("The ward's trenches in colour, the others in grey.")));
        }
    }
}

/* The ward maps zoom to their ward: the box of its trenches. */
static void
fit_ward_maps (Builder *d)
{
  for (guint i = 0; i < d->doc->blocks->len; i++)
    {
      NgamReportBlock *b = d->doc->blocks->pdata[i];
      double bbox[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };

      if (b->kind != NGAM_BLOCK_MAP || b->map->kind != NGAM_REPORT_MAP_WARD)
        continue;
      for (guint j = 0; j < d->data->streets->len; j++)
        {
          NgamReportStreet *s = d->data->streets->pdata[j];

          if (s->shape == NULL || strcmp (s->ward, b->map->ward) != 0)
            continue;
          bbox[0] = MIN (bbox[0], s->shape->bbox[0]);
          bbox[1] = MIN (bbox[1], s->shape->bbox[1]);
          bbox[2] = MAX (bbox[2], s->shape->bbox[2]);
          bbox[3] = MAX (bbox[3], s->shape->bbox[3]);
        }
      if (bbox[0] <= bbox[2])
        memcpy (b->map->bbox, bbox, sizeof bbox);
    }
}

static void
build_bill (Builder *d)
{
  NgamReportData *data = d->data;
  const char *const headers[] = { TR (N_("Item")), TR (N_("Unit")), TR (N_("Quantity")),
                                  TR (N_("Unit cost")), TR (N_("Cost")) };
  const gboolean numeric[] = { FALSE, FALSE, TRUE, TRUE, TRUE };
  const double widths[] = { 3, 0.7, 1.3, 1.5, 1.8 };
  NgamReportTable *t = ngam_report_table_new (5, headers, numeric, widths);
  double total = 0;

  part (d, TR (N_("Bill of quantities")));
  for (guint i = 0; i < data->bill->len; i++)
    {
      NgamReportRow *r = data->bill->pdata[i];
      char **cells = g_new0 (char *, 6);
      double unit_cost = isnan (r->unit_cost) && r->quantity > 0 ? r->cost / r->quantity : r->unit_cost;
      double keys[5] = { NAN, NAN, r->quantity, unit_cost, r->cost };

      cells[0] = g_strdup (method_title (d, r->key));
      cells[1] = g_strdup (unit_title (d, r->unit));
      cells[2] = ngam_report_format_number (d->lang, r->quantity, 0);
      cells[3] = money (d, unit_cost);
      cells[4] = money (d, r->cost);
      ngam_report_table_add (t, cells, keys);
      if (!isnan (r->cost))
        total += r->cost;
    }
  {
    char **cells = g_new0 (char *, 6);
    double keys[5] = { NAN, NAN, NAN, NAN, total };

    cells[0] = g_strdup (TR (N_("Total")));
    cells[1] = g_strdup ("");
    cells[2] = g_strdup ("");
    cells[3] = g_strdup ("");
    cells[4] = money (d, total);
    t->total_row = t->rows->len;
    ngam_report_table_add (t, cells, keys);
  }
  table_block (d, NGAM_BLOCK_TABLE, t);
  if (fabs (total - data->cost) >= 1 && !isnan (data->cost))
    {
      g_autofree char *rest = money (d, data->cost - total);
      g_autofree char *text = g_strdup_printf (TR (N_("The plan's total also includes %s of cable pulling, "
                                                      "pole removal, closures and other items not listed "
                                                      "per unit here.")), rest);
      paragraph (d, text);
    }

  {
    const char *const mh[] = { TR (N_("Method")), TR (N_("Trench length")), TR (N_("Share")) };
    const gboolean mn[] = { FALSE, TRUE, TRUE };
    const double mw[] = { 3, 1.5, 1 };
    NgamReportTable *m = ngam_report_table_new (3, mh, mn, mw);

    heading (d, 2, TR (N_("Trench length by method")));
    for (guint i = 0; i < data->methods->len; i++)
      {
        NgamReportRow *r = data->methods->pdata[i];
        char **cells = g_new0 (char *, 4);
        double share = data->trench_m > 0 ? r->length_m / data->trench_m : NAN;
        double keys[3] = { NAN, r->length_m, share };

        cells[0] = g_strdup (method_title (d, r->key));
        cells[1] = metres (d, r->length_m);
        cells[2] = ngam_report_format_percent (d->lang, share);
        ngam_report_table_add (m, cells, keys);
      }
    table_block (d, NGAM_BLOCK_TABLE, m);
  }
  /* The trench length counts the cables laid in existing ducts; the bill
   * does not dig or reinstate there: say so, or the two lengths seem to
   * disagree. */
  for (guint i = 0; i < data->methods->len; i++)
    {
      NgamReportRow *r = data->methods->pdata[i];

      if (g_strcmp0 (r->key, "duct_reuse") == 0 && r->length_m > 0)
        {
          g_autofree char *len = metres (d, r->length_m);
          g_autofree char *text =
            g_strdup_printf (TR (N_("Of this length, %s runs in existing ducts that are reused: nothing is dug "
                                    "there, so the bill of quantities leaves it out of the trench excavation and "
                                    "the surface reinstatement: there it prices the cable pulling and, in another "
                                    "operator's duct, the rent.")),
                             len);

          paragraph (d, text);
        }
    }
}

/* The row of totals under a breakdown: "Total" in the first column, the
 * length and the cost summed in theirs, the others empty. */
static void
total_row (Builder *d, NgamReportTable *t, guint n_cols, guint length_col, guint cost_col, double length,
           double cost)
{
  char **cells = g_new0 (char *, n_cols + 1);
  g_autofree double *keys = g_new (double, n_cols);

  for (guint i = 0; i < n_cols; i++)
    {
      cells[i] = g_strdup ("");
      keys[i] = NAN;
    }
  g_free (cells[0]);
  cells[0] = g_strdup (TR (N_("Total")));
  g_free (cells[length_col]);
  cells[length_col] = metres (d, length);
  keys[length_col] = length;
  g_free (cells[cost_col]);
  cells[cost_col] = money (d, cost);
  keys[cost_col] = cost;
  t->total_row = t->rows->len;
  ngam_report_table_add (t, cells, keys);
}

static void
build_costs (Builder *d)
{
  NgamReportData *data = d->data;

  part (d, TR (N_("Cost per phase")));
  {
    const char *const h[] = { TR (N_("Phase")), TR (N_("Year")), TR (N_("Trench length")), TR (N_("Cost")),
                              TR (N_("Funded")) };
    const gboolean n[] = { TRUE, TRUE, TRUE, TRUE, FALSE };
    const double w[] = { 0.8, 0.8, 1.5, 2, 1 };
    NgamReportTable *t = ngam_report_table_new (5, h, n, w), *bars;
    double total = 0, length = 0;

    for (guint i = 0; i < data->phases->len; i++)
      {
        NgamReportRow *r = data->phases->pdata[i];
        char **cells = g_new0 (char *, 6);
        double keys[5] = { r->phase, r->year, r->length_m, r->cost, NAN };

        cells[0] = g_strdup_printf ("%d", r->phase);
        cells[1] = g_strdup_printf ("%d", r->year);
        cells[2] = metres (d, r->length_m);
        cells[3] = money (d, r->cost);
        cells[4] = g_strdup (r->funded ? TR (N_("yes")) : TR (N_("no")));
        ngam_report_table_add (t, cells, keys);
        total += isnan (r->cost) ? 0 : r->cost;
        length += isnan (r->length_m) ? 0 : r->length_m;
      }
    total_row (d, t, 5, 2, 3, length, total);
    table_block (d, NGAM_BLOCK_TABLE, t);
    {
      const char *const bh[] = { TR (N_("Phase")), TR (N_("Cost")) };
      bars = ngam_report_table_new (2, bh, NULL, NULL);
      bars->bar_col = 1;
      for (guint i = 0; i < data->phases->len; i++)
        {
          NgamReportRow *r = data->phases->pdata[i];
          char **cells = g_new0 (char *, 3);
          double keys[2] = { r->phase, r->cost };

          cells[0] = ngam_report_phase_title (d->lang, r->phase, r->year);
          cells[1] = money (d, r->cost);
          ngam_report_table_add (bars, cells, keys);
        }
      table_block (d, NGAM_BLOCK_BARS, bars);
    }
  }

  heading (d, 1, TR (N_("Cost per ward")));
  {
    const char *const h[] = { TR (N_("Ward")), TR (N_("Trench length")), TR (N_("Cost")) };
    const gboolean n[] = { FALSE, TRUE, TRUE };
    const double w[] = { 2.5, 1.5, 2 };
    NgamReportTable *t = ngam_report_table_new (3, h, n, w);
    double total = 0, length = 0;

    for (guint i = 0; i < data->wards->len; i++)
      {
        NgamReportRow *r = data->wards->pdata[i];
        char **cells = g_new0 (char *, 4);
        double keys[3] = { NAN, r->length_m, r->cost };

        cells[0] = g_strdup (ward_title (d, r->key));
        cells[1] = metres (d, r->length_m);
        cells[2] = money (d, r->cost);
        ngam_report_table_add (t, cells, keys);
        total += isnan (r->cost) ? 0 : r->cost;
        length += isnan (r->length_m) ? 0 : r->length_m;
      }
    total_row (d, t, 3, 1, 2, length, total);
    table_block (d, NGAM_BLOCK_TABLE, t);
  }

  heading (d, 1, TR (N_("Cost per operator")));
  if (data->operators_whole_plan)
    paragraph (d, TR (N_("The split among operators is the whole plan's: the planner shares each trench among "
                         "all the parties that use it, across wards.")));
  {
    const char *const h[] = { TR (N_("Operator")), TR (N_("Share")), TR (N_("Cost")) };
    const gboolean n[] = { FALSE, TRUE, TRUE };
    const double w[] = { 2.5, 1, 2 };
    NgamReportTable *t = ngam_report_table_new (3, h, n, w), *bars;
    const char *const bh[] = { TR (N_("Operator")), TR (N_("Cost")) };
    double total = 0, share = 0;

    bars = ngam_report_table_new (2, bh, NULL, NULL);
    bars->bar_col = 1;
    for (guint i = 0; i < data->operators->len; i++)
      {
        NgamReportRow *r = data->operators->pdata[i];
        char **cells = g_new0 (char *, 4);
        double keys[3] = { NAN, r->share, r->cost };

        cells[0] = g_strdup (r->key);
        cells[1] = ngam_report_format_percent (d->lang, r->share);
        cells[2] = money (d, r->cost);
        ngam_report_table_add (t, cells, keys);
        cells = g_new0 (char *, 3);
        cells[0] = g_strdup (r->key);
        cells[1] = money (d, r->cost);
        ngam_report_table_add (bars, cells, (double[]) { NAN, r->cost });
        total += isnan (r->cost) ? 0 : r->cost;
        share += isnan (r->share) ? 0 : r->share;
      }
    {
      char **cells = g_new0 (char *, 4);

      cells[0] = g_strdup (TR (N_("Total")));
      cells[1] = ngam_report_format_percent (d->lang, share);
      cells[2] = money (d, total);
      t->total_row = t->rows->len;
      ngam_report_table_add (t, cells, (double[]) { NAN, share, total });
    }
    table_block (d, NGAM_BLOCK_TABLE, t);
    table_block (d, NGAM_BLOCK_BARS, bars);
  }
}

static void
build_checks (Builder *d)
{
  NgamReportData *data = d->data;

  part (d, TR (N_("Rule checks")));
  if (data->violations->len == 0)
    paragraph (d, TR (N_("Every rule check passes: cable paths are continuous, duct fill, manhole spacing, "
                         "forbidden places, methods in heritage, no-dig and water zones, the budget of each "
                         "phase, and totals that add up.")));
  else
    {
      const char *const h[] = { TR (N_("Rule")), TR (N_("Feature")), TR (N_("Finding")) };
      const gboolean n[] = { FALSE, TRUE, FALSE };
      const double w[] = { 1.3, 0.8, 4 };
      NgamReportTable *t = ngam_report_table_new (3, h, n, w);

      for (guint i = 0; i < data->violations->len; i++)
        {
          NgamReportRow *r = data->violations->pdata[i];
          char **cells = g_new0 (char *, 4);

          cells[0] = g_strdup (r->key);
          cells[1] = isnan (r->quantity) ? g_strdup ("") : g_strdup_printf ("%.0f", r->quantity);
          cells[2] = g_strdup (r->unit);
          ngam_report_table_add (t, cells, (double[]) { NAN, r->quantity, NAN });
        }
      table_block (d, NGAM_BLOCK_TABLE, t);
    }

  heading (d, 2, TR (N_("Unfunded work")));
  if (data->unfunded->len == 0)
    paragraph (d, TR (N_("Every corridor of the plan fits in the yearly budgets.")));
  else
    {
      const char *const h[] = { TR (N_("Corridor")), TR (N_("Cost")) };
      const gboolean n[] = { FALSE, TRUE };
      const double w[] = { 3, 1.5 };
      NgamReportTable *t = ngam_report_table_new (2, h, n, w);

      for (guint i = 0; i < data->unfunded->len; i++)
        {
          g_auto(GStrv) parts = g_strsplit (data->unfunded->pdata[i], "\t", 2);
          char **cells = g_new0 (char *, 3);
          double cost = parts[1] != NULL && *parts[1] ? g_ascii_strtod (parts[1], NULL) : NAN;

          cells[0] = g_strdup (parts[0]);
          cells[1] = money (d, cost);
          ngam_report_table_add (t, cells, (double[]) { NAN, cost });
        }
      table_block (d, NGAM_BLOCK_TABLE, t);
    }
}

/* Any JSON value as a reader sees it. */
static char *
json_cell (Builder *d, JsonNode *n, double *key)
{
  *key = NAN;
  if (n == NULL || JSON_NODE_TYPE (n) == JSON_NODE_NULL)
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (n))
    switch (json_node_get_value_type (n))
      {
      case G_TYPE_INT64:
        *key = json_node_get_int (n);
        return ngam_report_format_number (d->lang, *key, 0);
      case G_TYPE_DOUBLE:
        *key = json_node_get_double (n);
        return ngam_report_format_number (d->lang, *key, fabs (*key) < 10 ? 2 : 0);
      case G_TYPE_BOOLEAN:
        return g_strdup (json_node_get_boolean (n) ? TR (N_("yes")) : TR (N_("no")));
      default:
        return g_strdup (json_node_get_string (n));
      }
  return json_to_string (n, FALSE);
}

/* A number of @o, or of its "plant" object (the gaps run's hazards keep the
 * plant cut there), or NAN. */
static double
hazard_number (JsonObject *o, const char *name)
{
  JsonObject *plant = json_object_has_member (o, "plant") &&
                      JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "plant"))
                      ? json_object_get_object_member (o, "plant") : NULL;
  JsonObject *in = json_object_has_member (o, name) ? o : plant;
  JsonNode *n = in != NULL && json_object_has_member (in, name) ? json_object_get_member (in, name) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) == G_TYPE_STRING ||
      json_node_get_value_type (n) == G_TYPE_BOOLEAN)
    return NAN;
  return json_node_get_double (n);
}

static double
indicator_number (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_has_member (o, name) ? json_object_get_member (o, name) : NULL;

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) != G_TYPE_STRING
         ? json_node_get_double (n) : NAN;
}

/* "12 345 (96,7 %)", or the count alone without a share. */
static char *
count_and_share (Builder *d, double count, double share)
{
  g_autofree char *n = ngam_report_format_number (d->lang, count, 0);
  g_autofree char *p = NULL;

  if (isnan (share))
    return g_steal_pointer (&n);
  p = ngam_report_format_percent (d->lang, share);
  return g_strdup_printf ("%s (%s)", n, p);
}

/* The province's indicators (ngam-cover-indicators.c) in words: people
 * and households, fibre reach, then each technology's coverage; a key
 * this report does not know is shown as it is named. */
static void
gaps_indicators (Builder *d, JsonObject *indicators)
{
  static const char *const known[] = {
    "population", "households", "households_fibre", "households_fibre_share",
    "population_covered", "population_covered_share", NULL
  };
  const char *const h[] = { TR (N_("Indicator")), TR (N_("Value")) };
  const gboolean n[] = { FALSE, TRUE };
  NgamReportTable *t = ngam_report_table_new (2, h, n, (double[]) { 2.2, 1 });
  g_autoptr(GList) members = json_object_get_members (indicators);
  double v;

  if (!isnan (v = indicator_number (indicators, "population")))
    figures_add (d, t, TR (N_("Population")), ngam_report_format_number (d->lang, v, 0), v);
  if (!isnan (v = indicator_number (indicators, "households")))
    figures_add (d, t, TR (N_("Households")), ngam_report_format_number (d->lang, v, 0), v);
  if (!isnan (v = indicator_number (indicators, "households_fibre")))
    figures_add (d, t, TR (N_("Households reached by fibre")),
                 count_and_share (d, v, indicator_number (indicators, "households_fibre_share")), v);
  if (json_object_has_member (indicators, "population_covered") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (indicators, "population_covered")))
    {
      JsonObject *covered = json_object_get_object_member (indicators, "population_covered");
      JsonObject *shares = json_object_has_member (indicators, "population_covered_share") &&
                           JSON_NODE_HOLDS_OBJECT (json_object_get_member (indicators, "population_covered_share"))
                           ? json_object_get_object_member (indicators, "population_covered_share") : NULL;
      g_autoptr(GList) techs = json_object_get_members (covered);

      techs = g_list_sort (techs, (GCompareFunc) strcmp);
      for (GList *l = techs; l != NULL; l = l->next)
        {
          g_autofree char *label = g_strdup_printf (TR (N_("Population covered by %s")), (const char *) l->data);

          v = indicator_number (covered, l->data);
          if (!isnan (v))
            figures_add (d, t, label,
                         count_and_share (d, v, shares != NULL ? indicator_number (shares, l->data) : NAN), v);
        }
    }
  for (GList *l = members; l != NULL; l = l->next)
    {
      double key = NAN;

      if (g_strv_contains (known, l->data))
        continue;
      figures_add (d, t, l->data, json_cell (d, json_object_get_member (indicators, l->data), &key), key);
    }
  table_block (d, NGAM_BLOCK_FIGURES, t);
}

/* One line per zone: what a flood or landslide there cuts. */
static void
gaps_hazards (Builder *d, JsonArray *hazards)
{
  static const char *const fields[] = { "depth_m", "aerial_m", "poles", "sites", "households_cut", "population_cut" };
  const char *const h[] = { TR (N_("Zone")), TR (N_("Hazard")), TR (N_("Depth (m)")), TR (N_("Aerial cable")),
                            TR (N_("Poles")), TR (N_("Sites")), TR (N_("Homes off fibre")),
                            TR (N_("People off mobile")) };
  const gboolean n[] = { FALSE, FALSE, TRUE, TRUE, TRUE, TRUE, TRUE, TRUE };
  const double w[] = { 2.0, 1.2, 0.8, 1.1, 0.7, 0.8, 1.2, 1.2 };
  NgamReportTable *t = ngam_report_table_new (8, h, n, w);

  for (guint r = 0; r < json_array_get_length (hazards); r++)
    {
      JsonObject *o = json_array_get_object_element (hazards, r);
      char **cells = g_new0 (char *, 9);
      double keys[8] = { NAN, NAN };
      const char *zone, *type;

      if (o == NULL)
        {
          g_free (cells);
          continue;
        }
      zone = json_object_has_member (o, "zone") ? json_object_get_string_member (o, "zone") : NULL;
      type = json_object_has_member (o, "zone_type") ? json_object_get_string_member (o, "zone_type") : NULL;
      cells[0] = g_strdup (zone != NULL ? zone : "");
      cells[1] = g_strdup (g_strcmp0 (type, "flood") == 0 ? TR (N_("Flood"))
                           : g_strcmp0 (type, "landslide") == 0 ? TR (N_("Landslide"))
                           : type != NULL ? type : "");
      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        {
          double v = hazard_number (o, fields[i]);

          keys[2 + i] = v;
          if (isnan (v))
            cells[2 + i] = g_strdup ("–");
          else if (i == 0)
            cells[2 + i] = ngam_report_format_number (d->lang, v, 1);
          else if (i == 1)
            cells[2 + i] = metres (d, v);
          else
            cells[2 + i] = ngam_report_format_number (d->lang, v, 0);
        }
      ngam_report_table_add (t, cells, keys);
    }
  table_block (d, NGAM_BLOCK_TABLE, t);
}

static void
build_gaps (Builder *d)
{
  JsonObject *root;
  JsonArray *hazards;

  if (d->data->gaps_json == NULL || !JSON_NODE_HOLDS_OBJECT (d->data->gaps_json))
    return;
  root = json_node_get_object (d->data->gaps_json);
  heading (d, 1, TR (N_("Coverage and hazard exposure")));
  if (json_object_has_member (root, "indicators") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "indicators")))
    {
      heading (d, 2, TR (N_("Coverage indicators")));
      gaps_indicators (d, json_object_get_object_member (root, "indicators"));
    }
  hazards = json_object_has_member (root, "hazards") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "hazards"))
            ? json_object_get_array_member (root, "hazards") : NULL;
  if (hazards != NULL && json_array_get_length (hazards) > 0)
    {
      heading (d, 2, TR (N_("Hazard exposure")));
      gaps_hazards (d, hazards);
    }
}

static void
build_schedule (Builder *d)
{
  NgamReportData *data = d->data;
  const char *const h[] = { TR (N_("Phase")), TR (N_("Year")), TR (N_("Ward")), TR (N_("Street")),
                            TR (N_("Method")), TR (N_("Length")), TR (N_("Operators")) };
  const gboolean n[] = { TRUE, TRUE, FALSE, FALSE, FALSE, TRUE, FALSE };
  const double w[] = { 0.55, 0.5, 1.3, 1.9, 1.8, 0.9, 2.6 };
  NgamReportTable *t = ngam_report_table_new (7, h, n, w);

  part (d, TR (N_("Works schedule by street")));
  if (data->streets->len > MAX_SCHEDULE_ROWS)
    {
      g_autofree char *note = g_strdup_printf (TR (N_("The schedule has %u lines, one per street and phase: the "
                                                      "first %u are below, the whole schedule is in the open "
                                                      "data files (CSV and GeoJSON).")),
                                               data->streets->len, (guint) MAX_SCHEDULE_ROWS);

      paragraph (d, note);
    }
  for (guint i = 0; i < MIN (data->streets->len, MAX_SCHEDULE_ROWS); i++)
    {
      NgamReportStreet *s = data->streets->pdata[i];
      char **cells = g_new0 (char *, 8);
      double keys[7] = { s->phase, s->year, NAN, NAN, NAN, s->length_m, NAN };
      g_auto(GStrv) op_list = g_strsplit (s->operators, ";", -1);
      /* "FPT, SCTV, VNPT": a space after each comma, where the cell wraps */
      g_autofree char *ops = g_strjoinv (", ", op_list);

      cells[0] = g_strdup_printf ("%d", s->phase);
      cells[1] = g_strdup_printf ("%d", s->year);
      cells[2] = g_strdup (ward_title (d, s->ward));
      cells[3] = g_strdup (*s->street ? s->street : TR (N_("(unnamed)")));
      cells[4] = g_strdup (method_title (d, s->method));
      cells[5] = metres (d, s->length_m);
      cells[6] = g_strdup (ops);
      ngam_report_table_add (t, cells, keys);
    }
  table_block (d, NGAM_BLOCK_TABLE, t);
}

static void
build_assumptions (Builder *d)
{
  NgamReportData *data = d->data;
  const char *const h[] = { TR (N_("Group")), TR (N_("Setting")), TR (N_("Value")) };
  const double w[] = { 1.2, 2, 2.5 };
  NgamReportTable *t = ngam_report_table_new (3, h, NULL, w);
  g_auto(GStrv) groups = g_key_file_get_groups (data->settings, NULL);

  part (d, TR (N_("Assumptions")));
  paragraph (d, TR (N_("Every value of the scenario the plan was computed with, as stored in the project "
                       "with its results.")));
  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (data->settings, groups[g], NULL, NULL);

      for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
        {
          char **cells = g_new0 (char *, 4);

          cells[0] = g_strdup (groups[g]);
          cells[1] = g_strdup (keys[k]);
          {
            g_autofree char *value = g_key_file_get_value (data->settings, groups[g], keys[k], NULL);
            g_auto(GStrv) items = g_strsplit (value != NULL ? value : "", ";", -1);

            /* a list ("1x2:450/350;1x3:600/500;…") wraps after each "; " */
            cells[2] = g_strjoinv ("; ", items);
          }
          ngam_report_table_add (t, cells, NULL);
        }
    }
  if (t->rows->len == 0)
    {
      paragraph (d, TR (N_("The scenario sets nothing: every value is the planner's default.")));
      ngam_report_table_free (t);
    }
  else
    table_block (d, NGAM_BLOCK_TABLE, t);

  heading (d, 2, TR (N_("Sources")));
  {
    g_autofree char *file = g_path_get_basename (ngam_store_get_path (data->store));
    g_autofree char *started = ngam_report_format_date (d->lang, data->plan->started);
    g_autofree char *run = g_strdup_printf ("%" G_GINT64_FORMAT, data->plan->id);
    g_autofree char *text = g_strdup_printf (TR (N_("Project %s, coordinate reference system %s. Plan run %s "
                                                    "of %s.")),
                                             file, data->crs_name, run, started);
    paragraph (d, text);
  }
  if (data->osm)
    paragraph (d, TR (N_("Streets and other map data © OpenStreetMap contributors, under the Open Database "
                         "Licence (ODbL).")));
}

/**
 * ngam_report_doc_build:
 *
 * Returns: (transfer full): the report's content in @data's language.
 */
NgamReportDoc *
ngam_report_doc_build (NgamReportData *data)
{
  Builder b = { data, data->lang, g_new0 (NgamReportDoc, 1), 0 };
  Builder *d = &b;

  b.doc->blocks = g_ptr_array_new_with_free_func (block_free);
  b.doc->title = g_strdup (TR (N_("Plan for undergrounding the aerial telecom cables")));
  b.doc->date = ngam_report_format_date (data->lang, data->plan->finished);
  build_cover (d);
  build_summary (d);
  build_maps (d);
  fit_ward_maps (d);
  build_bill (d);
  build_costs (d);
  build_checks (d);
  build_gaps (d);
  build_schedule (d);
  build_assumptions (d);
  return b.doc;
}
