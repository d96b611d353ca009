/* ngam-report-data.c — what a report says, read back from the project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A report prints the plan's own figures: its totals and its breakdowns
 * per phase, ward and operator come from the plan run's JSON summary,
 * exactly as `ngam-batch plan --json` printed them, so the document and
 * the plan can never disagree.  What the summary does not hold — the bill
 * of quantities when the planner gives none, the works schedule per
 * street, an area report's totals — is added up from the run's result
 * features, each of which carries its phase, ward, cost and length.
 */
#define G_LOG_DOMAIN "ngam-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ngam-crs.h"
#include "ngam-report-private.h"
#include "ngam-zone.h"

static void
row_free (gpointer p)
{
  NgamReportRow *r = p;

  if (r == NULL)
    return;
  g_free (r->key);
  g_free (r->unit);
  g_free (r);
}

static NgamReportRow *
row_new (const char *key)
{
  NgamReportRow *r = g_new0 (NgamReportRow, 1);

  r->key = g_strdup (key);
  r->phase = -1;
  r->cost = NAN;
  r->length_m = NAN;
  r->unit_cost = NAN;
  r->share = NAN;
  return r;
}

static void
street_free (gpointer p)
{
  NgamReportStreet *s = p;

  g_free (s->street);
  g_free (s->ward);
  g_free (s->method);
  g_free (s->operators);
  ngam_shape_free (s->shape);
  g_free (s);
}

void
ngam_report_data_free (NgamReportData *data)
{
  if (data == NULL)
    return;
  g_free (data->scenario);
  g_clear_pointer (&data->plan, ngam_run_info_free);
  g_clear_pointer (&data->gaps, ngam_run_info_free);
  g_clear_pointer (&data->plan_json, json_node_unref);
  g_clear_pointer (&data->gaps_json, json_node_unref);
  g_clear_pointer (&data->settings, g_key_file_unref);
  g_free (data->crs);
  g_free (data->crs_name);
  g_clear_pointer (&data->area_shape, ngam_shape_free);
  g_clear_pointer (&data->methods, g_ptr_array_unref);
  g_clear_pointer (&data->bill, g_ptr_array_unref);
  g_clear_pointer (&data->phases, g_ptr_array_unref);
  g_clear_pointer (&data->wards, g_ptr_array_unref);
  g_clear_pointer (&data->operators, g_ptr_array_unref);
  g_clear_pointer (&data->violations, g_ptr_array_unref);
  g_clear_pointer (&data->unfunded, g_ptr_array_unref);
  g_clear_pointer (&data->notes, g_ptr_array_unref);
  g_clear_pointer (&data->streets, g_ptr_array_unref);
  g_free (data);
}

/* ---- JSON helpers ------------------------------------------------------ */

static double
json_real (JsonObject *o, const char *name, double fallback)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, name) : NULL;

  if (n == NULL || JSON_NODE_TYPE (n) != JSON_NODE_VALUE)
    return fallback;
  switch (json_node_get_value_type (n))
    {
    case G_TYPE_INT64: return (double) json_node_get_int (n);
    case G_TYPE_DOUBLE: return json_node_get_double (n);
    case G_TYPE_BOOLEAN: return json_node_get_boolean (n) ? 1 : 0;
    default: return fallback;
    }
}

static const char *
json_text (JsonObject *o, const char *name)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, name) : NULL;

  if (n == NULL || JSON_NODE_TYPE (n) != JSON_NODE_VALUE || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static JsonObject *
json_obj (JsonObject *o, const char *name)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, name) : NULL;

  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
json_arr (JsonObject *o, const char *name)
{
  JsonNode *n = o != NULL ? json_object_get_member (o, name) : NULL;

  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

double
ngam_report_attr_real (JsonObject *attrs, const char *name, double fallback)
{
  return json_real (attrs, name, fallback);
}

const char *
ngam_report_attr_text (JsonObject *attrs, const char *name)
{
  return json_text (attrs, name);
}

/* Returns: (transfer none): the feature's attributes, owned by *@parser
 * (which this replaces), or NULL when it has none. */
JsonObject *
ngam_report_data_attrs (const NgamResultFeature *f, JsonParser **parser)
{
  JsonNode *root;

  if (*parser == NULL)
    *parser = json_parser_new_immutable ();
  if (f->attrs == NULL || !json_parser_load_from_data (*parser, f->attrs, -1, NULL))
    return NULL;
  root = json_parser_get_root (*parser);
  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
}

/* ---- the summary ------------------------------------------------------ */

/* The method keys of totals.trench_m_by_method, in the bill's order. */
static const char *const method_keys[] = {
  "open_cut_sidewalk", "open_cut_roadway", "open_cut_unpaved", "micro_trench",
  "hdd", "bridge_attachment", "duct_reuse",
};

static gboolean
read_summary (NgamReportData *data, GError **error)
{
  JsonObject *root, *totals, *by_method;
  JsonArray *a;

  if (data->plan->summary == NULL ||
      (data->plan_json = json_from_string (data->plan->summary, NULL)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (data->plan_json))
    {
      g_set_error (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_BAD_RESULTS,
                   _("The plan of scenario “%s” in %s has no readable summary: run the plan again"),
                   data->scenario, ngam_store_get_path (data->store));
      return FALSE;
    }
  root = json_node_get_object (data->plan_json);
  totals = json_obj (root, "totals");
  data->cost = json_real (totals, "cost_vnd", NAN);
  data->trench_m = json_real (totals, "trench_m", NAN);
  data->cable_m = json_real (totals, "cable_m", NAN);
  data->spans_retired = (gint64) json_real (totals, "spans_retired", 0);
  data->poles_removed = (gint64) json_real (totals, "poles_removed", 0);
  data->poles_freed = (gint64) json_real (totals, "poles_freed", 0);
  data->manholes = (gint64) json_real (totals, "manholes", 0);
  data->handholes = (gint64) json_real (totals, "handholes", 0);
  data->duct_m = json_real (totals, "duct_m", NAN);
  data->design_cost = json_real (json_obj (root, "design"), "objective_vnd", NAN);
  data->design_bound = json_real (json_obj (root, "design"), "lower_bound_vnd", NAN);

  by_method = json_obj (totals, "trench_m_by_method");
  for (guint i = 0; i < G_N_ELEMENTS (method_keys); i++)
    {
      NgamReportRow *r = row_new (method_keys[i]);

      r->length_m = json_real (by_method, method_keys[i], 0);
      g_ptr_array_add (data->methods, r);
    }

  if ((a = json_arr (root, "phases")) != NULL)
    for (guint i = 0; i < json_array_get_length (a); i++)
      {
        JsonObject *o = json_array_get_object_element (a, i);
        NgamReportRow *r;
        g_autofree char *key = NULL;

        if (o == NULL)
          continue;
        key = g_strdup_printf ("%d", (int) json_real (o, "phase", i + 1));
        r = row_new (key);
        r->phase = (int) json_real (o, "phase", i + 1);
        r->year = (int) json_real (o, "year", 0);
        r->cost = json_real (o, "cost_vnd", NAN);
        r->length_m = json_real (o, "trench_m", NAN);
        r->funded = json_real (o, "funded", 1) != 0;
        g_ptr_array_add (data->phases, r);
      }
  if ((a = json_arr (root, "wards")) != NULL)
    for (guint i = 0; i < json_array_get_length (a); i++)
      {
        JsonObject *o = json_array_get_object_element (a, i);
        NgamReportRow *r;

        if (o == NULL || json_text (o, "ward") == NULL)
          continue;
        r = row_new (json_text (o, "ward"));
        r->cost = json_real (o, "cost_vnd", NAN);
        r->length_m = json_real (o, "trench_m", NAN);
        g_ptr_array_add (data->wards, r);
      }
  if ((a = json_arr (root, "operators")) != NULL)
    for (guint i = 0; i < json_array_get_length (a); i++)
      {
        JsonObject *o = json_array_get_object_element (a, i);
        NgamReportRow *r;

        if (o == NULL || json_text (o, "operator") == NULL)
          continue;
        r = row_new (json_text (o, "operator"));
        r->cost = json_real (o, "cost_vnd", NAN);
        r->share = json_real (o, "share", NAN);
        g_ptr_array_add (data->operators, r);
      }
  if ((a = json_arr (root, "violations")) != NULL)
    for (guint i = 0; i < json_array_get_length (a); i++)
      {
        JsonObject *o = json_array_get_object_element (a, i);
        NgamReportRow *r;

        if (o == NULL)
          continue;
        r = row_new (json_text (o, "rule") != NULL ? json_text (o, "rule") : "?");
        r->unit = g_strdup (json_text (o, "message") != NULL ? json_text (o, "message") : "");
        r->quantity = json_real (o, "fid", NAN);
        g_ptr_array_add (data->violations, r);
      }
  if ((a = json_arr (root, "unfunded")) != NULL)
    for (guint i = 0; i < json_array_get_length (a); i++)
      {
        JsonNode *n = json_array_get_element (a, i);
        JsonObject *o = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
        const char *s = o != NULL ? (json_text (o, "street") != NULL ? json_text (o, "street")
                                                                     : json_text (o, "name"))
                                  : (JSON_NODE_HOLDS_VALUE (n) ? json_node_get_string (n) : NULL);

        if (o != NULL && !isnan (json_real (o, "cost_vnd", NAN)))
          g_ptr_array_add (data->unfunded, g_strdup_printf ("%s\t%.0f", s ? s : "?", json_real (o, "cost_vnd", 0)));
        else
          g_ptr_array_add (data->unfunded, g_strdup_printf ("%s\t", s ? s : "?"));
      }
  if ((a = json_arr (root, "unmatched_spans")) != NULL)
    data->unmatched_spans = json_array_get_length (a);

  /* The planner's own bill of quantities, when it gives one: an array of
   * {item, unit, quantity, unit_cost_vnd, cost_vnd}. */
  if ((a = json_arr (root, "bill")) != NULL)
    for (guint i = 0; i < json_array_get_length (a); i++)
      {
        JsonObject *o = json_array_get_object_element (a, i);
        NgamReportRow *r;

        if (o == NULL || json_text (o, "item") == NULL)
          continue;
        r = row_new (json_text (o, "item"));
        r->unit = g_strdup (json_text (o, "unit") != NULL ? json_text (o, "unit") : "");
        r->quantity = json_real (o, "quantity", NAN);
        r->unit_cost = json_real (o, "unit_cost_vnd", NAN);
        r->cost = json_real (o, "cost_vnd", NAN);
        if (strcmp (r->key, "ducts") == 0 && isnan (data->duct_m))
          data->duct_m = r->quantity;   /* duct metres, spares included */
        g_ptr_array_add (data->bill, r);
      }
  if ((a = json_arr (root, "notes")) != NULL)
    for (guint i = 0; i < json_array_get_length (a); i++)
      {
        JsonNode *n = json_array_get_element (a, i);

        if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
          g_ptr_array_add (data->notes, g_strdup (json_node_get_string (n)));
      }
  return TRUE;
}

/* ---- features ----------------------------------------------------------- */

/* Ray casting over every ring: inside when an odd number of edges cross. */
static gboolean
shape_contains_point (const NgamShape *s, double x, double y)
{
  gboolean in = FALSE;

  if (x < s->bbox[0] || x > s->bbox[2] || y < s->bbox[1] || y > s->bbox[3])
    return FALSE;
  for (guint p = 0; p < s->n_parts; p++)
    for (guint i = s->part_start[p], j = s->part_start[p + 1] - 1; i < s->part_start[p + 1]; j = i++)
      {
        double xi = s->xy[2 * i], yi = s->xy[2 * i + 1], xj = s->xy[2 * j], yj = s->xy[2 * j + 1];

        if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
          in = !in;
      }
  return in;
}

gboolean
ngam_report_data_in_area (NgamReportData          *data,
                          const NgamResultFeature *f)
{
  const char *area = data->options->area;

  if (area == NULL)
    return TRUE;
  if (f->ward != NULL)
    return strcmp (f->ward, area) == 0;
  /* Spans and poles carry no ward: their first vertex decides. */
  return data->area_shape != NULL && f->shape != NULL && f->shape->n_points > 0 &&
         shape_contains_point (data->area_shape, f->shape->xy[0], f->shape->xy[1]);
}

int
ngam_report_data_phase_year (NgamReportData *data,
                             int             phase)
{
  for (guint i = 0; i < data->phases->len; i++)
    {
      NgamReportRow *r = data->phases->pdata[i];

      if (r->phase == phase)
        return r->year;
    }
  return 0;
}

static void
extend_bbox (double bbox[4], const NgamShape *s)
{
  if (s == NULL || s->n_points == 0)
    return;
  bbox[0] = MIN (bbox[0], s->bbox[0]);
  bbox[1] = MIN (bbox[1], s->bbox[1]);
  bbox[2] = MAX (bbox[2], s->bbox[2]);
  bbox[3] = MAX (bbox[3], s->bbox[3]);
}

static NgamReportRow *
row_for (GHashTable *index, GPtrArray *rows, const char *key)
{
  NgamReportRow *r = g_hash_table_lookup (index, key);

  if (r == NULL)
    {
      r = row_new (key);
      r->cost = 0;
      r->length_m = 0;
      r->quantity = 0;
      g_ptr_array_add (rows, r);
      g_hash_table_insert (index, r->key, r);
    }
  return r;
}

static int
street_cmp (gconstpointer a, gconstpointer b)
{
  const NgamReportStreet *x = *(NgamReportStreet **) a, *y = *(NgamReportStreet **) b;
  int c;

  if (x->phase != y->phase)
    return x->phase < y->phase ? -1 : 1;
  if ((c = g_strcmp0 (x->ward, y->ward)) != 0)
    return c;
  return g_strcmp0 (x->street, y->street);
}

static int
row_key_cmp (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 ((*(NgamReportRow **) a)->key, (*(NgamReportRow **) b)->key);
}

static int
str_ptr_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static void
shape_append (NgamShape **dst, const NgamShape *src)
{
  NgamShape *s;

  if (src == NULL || src->n_points == 0)
    return;
  if (*dst == NULL)
    {
      *dst = ngam_shape_new ();
      ngam_shape_begin (*dst, NGAM_SHAPE_MULTILINESTRING);
    }
  s = *dst;
  for (guint p = 0; p < src->n_parts; p++)
    {
      ngam_shape_new_part (s);
      for (guint i = src->part_start[p]; i < src->part_start[p + 1]; i++)
        ngam_shape_add_point (s, src->xy[2 * i], src->xy[2 * i + 1]);
    }
}

/* Reads the run's features once: the extent, the works schedule, and the
 * sums an area report or a missing bill need. */
static gboolean
read_features (NgamReportData  *data,
               GCancellable    *cancellable,
               GError         **error)
{
  g_autoptr(NgamResultCursor) cur = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GHashTable) methods = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) streets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) phases = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) method_rows = g_ptr_array_new_with_free_func (row_free);
  g_autoptr(GPtrArray) phase_rows = g_ptr_array_new_with_free_func (row_free);
  double manhole_cost = 0, handhole_cost = 0, trench_cost = 0, trench_m = 0, duct_m = 0;
  gint64 manholes = 0, handholes = 0, spans = 0, poles_removed = 0, poles_freed = 0;
  const double empty[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };
  gboolean area = data->options->area != NULL;
  guint n = 0;

  memcpy (data->extent, empty, sizeof empty);
  cur = ngam_store_query_results (data->store, data->plan->id, NULL, NULL, error);
  if (cur == NULL)
    return FALSE;
  while (ngam_result_cursor_next (cur, error))
    {
      const NgamResultFeature *f = ngam_result_cursor_get (cur);
      JsonObject *attrs;

      if ((++n & 1023) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!ngam_report_data_in_area (data, f))
        continue;
      if (strcmp (f->layer, "phase") != 0 && strcmp (f->layer, "span_unmatched") != 0)
        extend_bbox (data->extent, f->shape);
      if (strcmp (f->layer, "trench") == 0)
        {
          const char *method, *street;
          double len, cost = isnan (f->cost) ? 0 : f->cost;
          NgamReportRow *r;
          NgamReportStreet *st;
          g_autofree char *key = NULL, *pkey = NULL;

          attrs = ngam_report_data_attrs (f, &parser);
          method = ngam_report_attr_text (attrs, "method");
          street = ngam_report_attr_text (attrs, "street");
          len = ngam_report_attr_real (attrs, "length_m", NAN);
          if (isnan (len) && f->shape != NULL)
            len = 0;   /* the planner always writes it; a hand-made run might not */
          r = row_for (methods, method_rows, method != NULL ? method : "?");
          r->length_m += len;
          r->cost += cost;
          r->quantity += 1;
          trench_m += len;
          trench_cost += cost;
          duct_m += len * ngam_report_attr_real (attrs, "ducts", 0);

          pkey = g_strdup_printf ("%d", f->phase);
          r = row_for (phases, phase_rows, pkey);
          r->phase = f->phase;
          r->length_m += len;
          r->cost += cost;

          key = g_strdup_printf ("%d\x1f%s\x1f%s", f->phase, f->ward ? f->ward : "",
                                 street != NULL && *street ? street : "");
          st = g_hash_table_lookup (streets, key);
          if (st == NULL)
            {
              st = g_new0 (NgamReportStreet, 1);
              st->street = g_strdup (street != NULL ? street : "");
              st->ward = g_strdup (f->ward != NULL ? f->ward : "");
              st->phase = f->phase;
              st->method = g_strdup (method != NULL ? method : "");
              st->operators = g_strdup ("");
              g_ptr_array_add (data->streets, st);
              g_hash_table_insert (streets, g_steal_pointer (&key), st);
            }
          st->length_m += len;
          st->cost += cost;
          shape_append (&st->shape, f->shape);
          /* The street's operators: the union, kept sorted. */
          {
            const char *ops = ngam_report_attr_text (attrs, "operators");
            g_auto(GStrv) have = g_strsplit (st->operators, ";", -1);
            g_auto(GStrv) add = g_strsplit (ops != NULL ? ops : "", ";", -1);
            g_autoptr(GPtrArray) all = g_ptr_array_new ();

            for (guint i = 0; have[i]; i++)
              if (*have[i])
                g_ptr_array_add (all, have[i]);
            for (guint i = 0; add[i]; i++)
              if (*add[i] && !g_strv_contains ((const char *const *) have, add[i]))
                g_ptr_array_add (all, add[i]);
            g_ptr_array_sort (all, str_ptr_cmp);
            g_ptr_array_add (all, NULL);
            g_free (st->operators);
            st->operators = g_strjoinv (";", (char **) all->pdata);
          }
          /* A street's method: the one of most of its length; ties by name. */
          if (method != NULL && strcmp (method, st->method) != 0 && len > st->length_m / 2)
            {
              g_free (st->method);
              st->method = g_strdup (method);
            }
        }
      else if (strcmp (f->layer, "manhole") == 0)
        {
          const char *kind;

          attrs = ngam_report_data_attrs (f, &parser);
          kind = ngam_report_attr_text (attrs, "kind");
          if (g_strcmp0 (kind, "handhole") == 0)
            {
              handholes++;
              handhole_cost += isnan (f->cost) ? 0 : f->cost;
            }
          else
            {
              manholes++;
              manhole_cost += isnan (f->cost) ? 0 : f->cost;
            }
        }
      else if (strcmp (f->layer, "span_retired") == 0)
        spans++;
      else if (strcmp (f->layer, "pole_removed") == 0)
        poles_removed++;
      else if (strcmp (f->layer, "pole_freed") == 0)
        poles_freed++;
    }
  if (error != NULL && *error != NULL)
    return FALSE;

  g_ptr_array_sort (data->streets, street_cmp);
  for (guint i = 0; i < data->streets->len; i++)
    {
      NgamReportStreet *st = data->streets->pdata[i];

      st->year = ngam_report_data_phase_year (data, st->phase);
    }

  if (area)
    {
      /* An area's figures are its features' sums; the plan's split among
       * operators is for the whole plan and is shown as such. */
      data->trench_m = trench_m;
      data->cost = trench_cost + manhole_cost + handhole_cost;
      data->manholes = manholes;
      data->handholes = handholes;
      data->spans_retired = spans;
      data->poles_removed = poles_removed;
      data->poles_freed = poles_freed;
      data->duct_m = duct_m;
      data->cable_m = NAN;
      data->operators_whole_plan = TRUE;
      g_ptr_array_set_size (data->methods, 0);
      for (guint i = 0; i < G_N_ELEMENTS (method_keys); i++)
        {
          NgamReportRow *r = row_new (method_keys[i]), *got = g_hash_table_lookup (methods, method_keys[i]);

          r->length_m = got != NULL ? got->length_m : 0;
          g_ptr_array_add (data->methods, r);
        }
      for (guint i = 0; i < phase_rows->len; i++)
        {
          NgamReportRow *r = phase_rows->pdata[i];

          r->year = ngam_report_data_phase_year (data, r->phase);
          r->funded = TRUE;
          for (guint j = 0; j < data->phases->len; j++)
            if (((NgamReportRow *) data->phases->pdata[j])->phase == r->phase)
              r->funded = ((NgamReportRow *) data->phases->pdata[j])->funded;
        }
      g_ptr_array_set_size (data->phases, 0);
      g_ptr_array_sort (phase_rows, row_key_cmp);
      for (guint i = 0; i < phase_rows->len; i++)
        g_ptr_array_add (data->phases, g_steal_pointer (&phase_rows->pdata[i]));
      for (guint i = data->wards->len; i > 0; i--)
        if (strcmp (((NgamReportRow *) data->wards->pdata[i - 1])->key, data->options->area) != 0)
          g_ptr_array_remove_index (data->wards, i - 1);
    }
  if (isnan (data->duct_m))
    data->duct_m = duct_m;

  /* No bill from the planner (or an area): one from the features, by
   * trench method and by chamber. */
  if (data->bill->len == 0 || area)
    {
      g_ptr_array_set_size (data->bill, 0);
      g_ptr_array_sort (method_rows, row_key_cmp);
      for (guint k = 0; k < G_N_ELEMENTS (method_keys); k++)
        {
          NgamReportRow *got = g_hash_table_lookup (methods, method_keys[k]), *r;

          if (got == NULL)
            continue;
          r = row_new (method_keys[k]);
          r->unit = g_strdup ("m");
          r->quantity = got->length_m;
          r->cost = got->cost;
          r->unit_cost = got->length_m > 0 ? got->cost / got->length_m : NAN;
          g_ptr_array_add (data->bill, r);
        }
      for (guint i = 0; i < method_rows->len; i++)
        {
          NgamReportRow *got = method_rows->pdata[i], *r;
          gboolean known = FALSE;

          for (guint k = 0; k < G_N_ELEMENTS (method_keys); k++)
            known |= strcmp (got->key, method_keys[k]) == 0;
          if (known)
            continue;
          r = row_new (got->key);
          r->unit = g_strdup ("m");
          r->quantity = got->length_m;
          r->cost = got->cost;
          r->unit_cost = got->length_m > 0 ? got->cost / got->length_m : NAN;
          g_ptr_array_add (data->bill, r);
        }
      if (manholes > 0)
        {
          NgamReportRow *r = row_new ("manhole");

          r->unit = g_strdup ("pcs");
          r->quantity = manholes;
          r->cost = manhole_cost;
          r->unit_cost = manhole_cost / manholes;
          g_ptr_array_add (data->bill, r);
        }
      if (handholes > 0)
        {
          NgamReportRow *r = row_new ("handhole");

          r->unit = g_strdup ("pcs");
          r->quantity = handholes;
          r->cost = handhole_cost;
          r->unit_cost = handhole_cost / handholes;
          g_ptr_array_add (data->bill, r);
        }
    }
  if (!(data->extent[0] <= data->extent[2]))
    {
      /* Nothing dug (an empty scope): the project's streets. */
      if (!ngam_store_get_extent (data->store, NGAM_LAYER_STREETS, data->extent, NULL))
        {
          const double unit[4] = { 0, 0, 1000, 1000 };

          memcpy (data->extent, unit, sizeof unit);
        }
    }
  return TRUE;
}

/* OpenStreetMap data in the project asks for its attribution: a layer
 * whose features came from an .osm/.pbf file or carry OSM ids. */
static gboolean
project_has_osm (NgamStore *store)
{
  static const NgamLayerKind kinds[] = { NGAM_LAYER_STREETS, NGAM_LAYER_ZONES, NGAM_LAYER_POLES };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(NgamStoreCursor) cur = ngam_store_query (store, kinds[k], NULL, NGAM_QUERY_DEFAULT, NULL);
      g_autofree char *last = NULL;
      guint seen = 0;

      while (cur != NULL && ngam_store_cursor_next (cur, NULL) && seen < 20000)
        {
          const NgamFeature *f = ngam_store_cursor_get (cur);

          seen++;
          if (f->source_file != NULL && g_strcmp0 (last, f->source_file) != 0)
            {
              g_autofree char *base = g_ascii_strdown (f->source_file, -1);

              if (strstr (base, "osm") != NULL || strstr (base, "openstreetmap") != NULL ||
                  g_str_has_suffix (base, ".pbf"))
                return TRUE;
              g_free (last);
              last = g_strdup (f->source_file);
            }
          if (f->attrs != NULL && (strstr (f->attrs, "\"osm_id\"") != NULL || strstr (f->attrs, "\"osmid\"") != NULL ||
                                   strstr (f->attrs, "\"other_tags\"") != NULL))
            return TRUE;
        }
    }
  return FALSE;
}

static NgamShape *
find_ward (NgamStore *store, const char *name)
{
  g_autoptr(NgamStoreCursor) cur = ngam_store_query (store, NGAM_LAYER_ADMIN, NULL, NGAM_QUERY_DEFAULT, NULL);
  int name_i = ngam_layer_field_index (NGAM_LAYER_ADMIN, "name");

  while (cur != NULL && ngam_store_cursor_next (cur, NULL))
    {
      const NgamFeature *f = ngam_store_cursor_get (cur);

      if (g_strcmp0 (ngam_feature_get_text (f, name_i), name) == 0 && f->shape != NULL)
        return ngam_shape_copy (f->shape);
    }
  return NULL;
}

/**
 * ngam_report_data_load:
 *
 * Reads the scenario's last plan (refused, with what to do, when there is
 * none) and its last gaps analysis when there is one.
 *
 * Returns: (transfer full): the data, or NULL with @error set.
 */
NgamReportData *
ngam_report_data_load (NgamStore                *store,
                       const NgamReportOptions  *options,
                       NgamReportLang           *lang,
                       GCancellable             *cancellable,
                       GError                  **error)
{
  g_autoptr(NgamReportData) data = g_new0 (NgamReportData, 1);
  g_autoptr(NgamScenarioInfo) scenario = NULL;
  g_autoptr(GError) local = NULL;
  data->store = store;
  data->options = options;
  data->lang = lang;
  data->scenario = g_strdup (options->scenario != NULL ? options->scenario : "default");
  data->methods = g_ptr_array_new_with_free_func (row_free);
  data->bill = g_ptr_array_new_with_free_func (row_free);
  data->phases = g_ptr_array_new_with_free_func (row_free);
  data->wards = g_ptr_array_new_with_free_func (row_free);
  data->operators = g_ptr_array_new_with_free_func (row_free);
  data->violations = g_ptr_array_new_with_free_func (row_free);
  data->unfunded = g_ptr_array_new_with_free_func (g_free);
  data->notes = g_ptr_array_new_with_free_func (g_free);
  data->streets = g_ptr_array_new_with_free_func (street_free);
  data->crs = g_strdup (ngam_store_get_crs (store));
  {
    g_autoptr(NgamCrs) crs = ngam_crs_new (data->crs, NULL);

    data->crs_name = crs != NULL && ngam_crs_get_name (crs) != NULL
                     ? g_strdup_printf ("%s (%s)", data->crs, ngam_crs_get_name (crs)) : g_strdup (data->crs);
  }
  data->srid = ngam_store_get_srid (store);

  data->plan = ngam_store_get_last_run (store, data->scenario, "plan", &local);
  if (data->plan == NULL)
    {
      if (local != NULL && !g_error_matches (local, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      scenario = ngam_store_get_scenario (store, data->scenario, NULL);
      if (scenario == NULL)
        g_set_error (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_NO_RUN,
                     _("%s has no scenario “%s” and no plan for it: run the plan first"),
                     ngam_store_get_path (store), data->scenario);
      else
        g_set_error (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_NO_RUN,
                     _("Scenario “%s” in %s has no plan yet: run the plan first"),
                     data->scenario, ngam_store_get_path (store));
      return NULL;
    }
  data->gaps = ngam_store_get_last_run (store, data->scenario, "gaps", NULL);
  if (data->gaps != NULL && data->gaps->summary != NULL)
    data->gaps_json = json_from_string (data->gaps->summary, NULL);

  data->settings = g_key_file_new ();
  if (data->plan->settings != NULL)
    g_key_file_load_from_data (data->settings, data->plan->settings, -1, G_KEY_FILE_KEEP_COMMENTS, NULL);

  if (!read_summary (data, error))
    return NULL;
  if (options->area != NULL)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < data->wards->len; i++)
        known |= strcmp (((NgamReportRow *) data->wards->pdata[i])->key, options->area) == 0;
      if (!known)
        {
          g_set_error (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_BAD_AREA,
                       _("The plan of scenario “%s” has no work in ward “%s”"),
                       data->scenario, options->area);
          return NULL;
        }
      data->area_shape = find_ward (store, options->area);
    }
  if (!read_features (data, cancellable, error))
    return NULL;
  data->osm = project_has_osm (store);
  return g_steal_pointer (&data);
}
