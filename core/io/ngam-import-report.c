/* ngam-import-report.c — what an import did, for people and for programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-io"

#include "config.h"

#include <string.h>

#include "ngam-import.h"
#include "ngam-import-private.h"

static void
issue_free (gpointer data)
{
  NgamImportIssue *i = data;

  g_free (i->code);
  g_array_unref (i->ids);
  g_free (i->example);
  g_free (i);
}

NgamImportSourceReport *
ngam_import_source_report_new (const char *path)
{
  NgamImportSourceReport *r = g_new0 (NgamImportSourceReport, 1);

  r->path = g_strdup (path);
  r->mapping = g_ptr_array_new_with_free_func (g_free);
  r->warnings = g_ptr_array_new_with_free_func (g_free);
  r->warning_options = g_array_new (FALSE, FALSE, sizeof (NgamImportOption));
  r->issues = g_ptr_array_new_with_free_func (issue_free);
  r->operators = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return r;
}

void
ngam_import_source_report_free (NgamImportSourceReport *r)
{
  if (r == NULL)
    return;
  g_free (r->path);
  g_free (r->layer);
  g_free (r->driver);
  g_free (r->encoding);
  g_free (r->encoding_reason);
  g_free (r->crs);
  g_free (r->key);
  g_ptr_array_unref (r->mapping);
  g_ptr_array_unref (r->warnings);
  g_array_unref (r->warning_options);
  g_ptr_array_unref (r->issues);
  g_hash_table_unref (r->operators);
  g_free (r);
}

/* Adds a warning (@text is taken) and the option that would settle it,
 * or NGAM_IMPORT_OPTION_NONE. */
void
ngam_import_warn (NgamImportSourceReport *r,
                  NgamImportOption        option,
                  char                   *text)
{
  g_ptr_array_add (r->warnings, text);
  g_array_append_val (r->warning_options, option);
}

NgamImportReport *
ngam_import_report_new (void)
{
  NgamImportReport *r = g_new0 (NgamImportReport, 1);

  r->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_import_source_report_free);
  r->retired_fids = g_array_new (FALSE, FALSE, sizeof (gint64));
  return r;
}

void
ngam_import_report_free (NgamImportReport *r)
{
  if (r == NULL)
    return;
  g_free (r->project);
  g_free (r->kind);
  g_free (r->operator_name);
  g_free (r->operator_field);
  g_free (r->profile);
  g_ptr_array_unref (r->sources);
  g_array_unref (r->retired_fids);
  g_free (r);
}

/**
 * ngam_import_note:
 * @fid: the source feature id, or -1
 * @example: (nullable): a detailed message, kept for the first one only
 *
 * Counts one more feature under @code and lists its id (up to
 * %NGAM_IMPORT_MAX_LISTED).
 */
void
ngam_import_note (NgamImportSourceReport *r,
                  const char             *code,
                  gboolean                skipped,
                  gint64                  fid,
                  const char             *example)
{
  NgamImportIssue *issue = NULL;

  for (guint i = 0; i < r->issues->len; i++)
    if (g_str_equal (((NgamImportIssue *) r->issues->pdata[i])->code, code))
      {
        issue = r->issues->pdata[i];
        break;
      }
  if (issue == NULL)
    {
      issue = g_new0 (NgamImportIssue, 1);
      issue->code = g_strdup (code);
      issue->skipped = skipped;
      issue->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_ptr_array_add (r->issues, issue);
    }
  issue->count++;
  if (fid >= 0 && issue->ids->len < NGAM_IMPORT_MAX_LISTED)
    g_array_append_val (issue->ids, fid);
  if (issue->example == NULL && example)
    issue->example = g_strdup (example);
  if (skipped)
    r->skipped++;
}

/* FALSE once @code has its example: the caller need not write another. */
gboolean
ngam_import_wants_example (NgamImportSourceReport *r,
                           const char             *code)
{
  for (guint i = 0; i < r->issues->len; i++)
    {
      NgamImportIssue *issue = r->issues->pdata[i];

      if (g_str_equal (issue->code, code))
        return issue->example == NULL;
    }
  return TRUE;
}

/**
 * ngam_import_operator_count:
 * @operator_name: a feature's operator
 *
 * Returns: the counter of features imported for @operator_name in this
 *   source (starting at 0), to increment.
 */
gint64 *
ngam_import_operator_count (NgamImportSourceReport *r,
                            const char             *operator_name)
{
  gint64 *n = g_hash_table_lookup (r->operators, operator_name);

  if (n == NULL)
    {
      n = g_new0 (gint64, 1);
      g_hash_table_insert (r->operators, g_strdup (operator_name), n);
    }
  return n;
}

typedef struct
{
  const char *name;
  gint64      count;
} OperatorCount;

static int
compare_counts (gconstpointer pa, gconstpointer pb)
{
  const OperatorCount *a = pa, *b = pb;

  if (a->count != b->count)
    return a->count > b->count ? -1 : 1;
  return strcmp (a->name, b->name);   /* not the locale's order: the same everywhere */
}

/* The source's operators, most features first. */
static GArray *
sorted_operators (const NgamImportSourceReport *s)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (OperatorCount));
  GHashTableIter it;
  gpointer k, v;

  g_hash_table_iter_init (&it, s->operators);
  while (g_hash_table_iter_next (&it, &k, &v))
    {
      OperatorCount c = { k, *(gint64 *) v };

      g_array_append_val (out, c);
    }
  g_array_sort (out, compare_counts);
  return out;
}

static void
add_ids (JsonBuilder *b, GArray *ids)
{
  json_builder_begin_array (b);
  for (guint i = 0; i < ids->len; i++)
    json_builder_add_int_value (b, g_array_index (ids, gint64, i));
  json_builder_end_array (b);
}

#define MEMBER_INT(b, name, v) G_STMT_START { json_builder_set_member_name (b, name); json_builder_add_int_value (b, v); } G_STMT_END
#define MEMBER_STR(b, name, v) G_STMT_START { json_builder_set_member_name (b, name); \
  if (v) json_builder_add_string_value (b, v); else json_builder_add_null_value (b); } G_STMT_END

static void
add_strings (JsonBuilder *b, const char *name, GPtrArray *a)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < a->len; i++)
    json_builder_add_string_value (b, a->pdata[i]);
  json_builder_end_array (b);
}

static void
add_source (JsonBuilder *b, const NgamImportSourceReport *s)
{
  json_builder_begin_object (b);
  MEMBER_STR (b, "path", s->path);
  MEMBER_STR (b, "layer", s->layer);
  MEMBER_STR (b, "driver", s->driver);
  json_builder_set_member_name (b, "encoding");
  json_builder_begin_object (b);
  MEMBER_STR (b, "name", s->encoding);
  json_builder_set_member_name (b, "confidence");
  json_builder_add_double_value (b, s->encoding_confidence);
  MEMBER_STR (b, "reason", s->encoding_reason);
  json_builder_end_object (b);
  MEMBER_STR (b, "crs", s->crs);
  MEMBER_STR (b, "key", s->key);
  add_strings (b, "mapping", s->mapping);
  add_strings (b, "warnings", s->warnings);
  json_builder_set_member_name (b, "counts");
  json_builder_begin_object (b);
  MEMBER_INT (b, "read", s->read);
  MEMBER_INT (b, "imported", s->added + s->updated + s->restored + s->unchanged);
  MEMBER_INT (b, "added", s->added);
  MEMBER_INT (b, "updated", s->updated);
  MEMBER_INT (b, "unchanged", s->unchanged);
  MEMBER_INT (b, "restored", s->restored);
  MEMBER_INT (b, "repaired", s->repaired);
  MEMBER_INT (b, "skipped", s->skipped);
  MEMBER_INT (b, "filtered", s->filtered);
  json_builder_end_object (b);
  {
    g_autoptr(GArray) ops = sorted_operators (s);

    json_builder_set_member_name (b, "operators");
    json_builder_begin_object (b);
    for (guint i = 0; i < ops->len; i++)
      MEMBER_INT (b, g_array_index (ops, OperatorCount, i).name, g_array_index (ops, OperatorCount, i).count);
    json_builder_end_object (b);
  }
  for (int skipped = 1; skipped >= 0; skipped--)
    {
      json_builder_set_member_name (b, skipped ? "skipped" : "notes");
      json_builder_begin_object (b);
      for (guint i = 0; i < s->issues->len; i++)
        {
          const NgamImportIssue *issue = s->issues->pdata[i];

          if (issue->skipped != skipped)
            continue;
          json_builder_set_member_name (b, issue->code);
          json_builder_begin_object (b);
          MEMBER_INT (b, "count", issue->count);
          json_builder_set_member_name (b, "ids");
          add_ids (b, issue->ids);
          json_builder_set_member_name (b, "ids_complete");
          json_builder_add_boolean_value (b, (gint64) issue->ids->len == issue->count);
          if (issue->example)
            MEMBER_STR (b, "example", issue->example);
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

/**
 * ngam_import_report_to_json:
 *
 * Returns: (transfer full): the report as a JSON object (see the CLI's
 *   `--json`).
 */
JsonNode *
ngam_import_report_to_json (const NgamImportReport *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  MEMBER_STR (b, "project", r->project);
  MEMBER_STR (b, "kind", r->kind);
  MEMBER_STR (b, "operator", r->operator_name);
  MEMBER_STR (b, "operator_field", r->operator_field);
  MEMBER_STR (b, "profile", r->profile);
  json_builder_set_member_name (b, "dry_run");
  json_builder_add_boolean_value (b, r->dry_run);
  MEMBER_INT (b, "import_id", r->import_id);
  json_builder_set_member_name (b, "totals");
  json_builder_begin_object (b);
  MEMBER_INT (b, "imported", r->added + r->updated + r->restored + r->unchanged);
  MEMBER_INT (b, "added", r->added);
  MEMBER_INT (b, "updated", r->updated);
  MEMBER_INT (b, "unchanged", r->unchanged);
  MEMBER_INT (b, "restored", r->restored);
  MEMBER_INT (b, "retired", r->retired);
  MEMBER_INT (b, "repaired", r->repaired);
  MEMBER_INT (b, "skipped", r->skipped);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "retired_fids");
  add_ids (b, r->retired_fids);
  json_builder_set_member_name (b, "seconds");
  json_builder_add_double_value (b, r->seconds);
  json_builder_set_member_name (b, "sources");
  json_builder_begin_array (b);
  for (guint i = 0; i < r->sources->len; i++)
    add_source (b, r->sources->pdata[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
append_ids (GString *out, const NgamImportIssue *issue)
{
  guint n = MIN (issue->ids->len, 10);

  if (n == 0)
    return;
  g_string_append (out, " (ids ");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i ? ", " : "", g_array_index (issue->ids, gint64, i));
  if ((gint64) n < issue->count)
    g_string_append (out, ", …");
  g_string_append (out, ")");
}

/**
 * ngam_import_report_to_text:
 *
 * Returns: (transfer full): a summary for a terminal or a log, in core's
 *   words.
 */
char *
ngam_import_report_to_text (const NgamImportReport *r)
{
  return ngam_import_report_to_text_with_hints (r, NULL);
}

/**
 * ngam_import_report_to_text_with_hints:
 * @hints: (nullable) (array fixed-size=NGAM_IMPORT_N_OPTIONS): per
 *   #NgamImportOption, how the front end sets that option ("--crs EPSG:N"),
 *   or %NULL
 *
 * The summary, with the front end's hint in parentheses after each
 * warning that one of its options settles.
 *
 * Returns: (transfer full): a summary for a terminal or a log.
 */
char *
ngam_import_report_to_text_with_hints (const NgamImportReport *r,
                                       const char * const     *hints)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < r->sources->len; i++)
    {
      const NgamImportSourceReport *s = r->sources->pdata[i];

      g_string_append_printf (out, "%s", s->path);
      if (s->layer)
        g_string_append_printf (out, " [layer %s, %s]", s->layer, s->driver ? s->driver : "?");
      g_string_append_c (out, '\n');
      if (s->encoding)
        g_string_append_printf (out, "  text:     %s (confidence %.0f%%): %s\n", s->encoding,
                                100 * s->encoding_confidence, s->encoding_reason ? s->encoding_reason : "");
      if (s->crs)
        g_string_append_printf (out, "  CRS:      %s\n", s->crs);
      if (s->key)
        g_string_append_printf (out, "  key:      %s\n", s->key);
      for (guint j = 0; j < s->mapping->len; j++)
        g_string_append_printf (out, "  %s %s\n", j == 0 ? "fields: " : "        ", (char *) s->mapping->pdata[j]);
      g_string_append_printf (out, "  read %" G_GINT64_FORMAT ": added %" G_GINT64_FORMAT ", updated %" G_GINT64_FORMAT
                              ", unchanged %" G_GINT64_FORMAT ", restored %" G_GINT64_FORMAT ", repaired %" G_GINT64_FORMAT
                              ", skipped %" G_GINT64_FORMAT ", filtered out %" G_GINT64_FORMAT "\n",
                              s->read, s->added, s->updated, s->unchanged, s->restored, s->repaired, s->skipped, s->filtered);
      {
        g_autoptr(GArray) ops = sorted_operators (s);

        for (guint j = 0; j < ops->len; j++)
          g_string_append_printf (out, "%s%s %" G_GINT64_FORMAT "%s", j == 0 ? "  operators: " : ", ",
                                  g_array_index (ops, OperatorCount, j).name, g_array_index (ops, OperatorCount, j).count,
                                  j + 1 == ops->len ? "\n" : "");
      }
      for (guint j = 0; j < s->issues->len; j++)
        {
          const NgamImportIssue *issue = s->issues->pdata[j];

          g_string_append_printf (out, "  %s %s: %" G_GINT64_FORMAT, issue->skipped ? "skipped" : "note   ",
                                  issue->code, issue->count);
          append_ids (out, issue);
          if (issue->example)
            g_string_append_printf (out, " — e.g. %s", issue->example);
          g_string_append_c (out, '\n');
        }
      for (guint j = 0; j < s->warnings->len; j++)
        {
          NgamImportOption o = j < s->warning_options->len
                                 ? g_array_index (s->warning_options, NgamImportOption, j)
                                 : NGAM_IMPORT_OPTION_NONE;
          const char *hint = hints && o > NGAM_IMPORT_OPTION_NONE && o < NGAM_IMPORT_N_OPTIONS ? hints[o] : NULL;

          g_string_append_printf (out, "  warning: %s", (char *) s->warnings->pdata[j]);
          if (hint)
            g_string_append_printf (out, " (%s)", hint);
          g_string_append_c (out, '\n');
        }
    }
  g_string_append_printf (out, "%s%s: %" G_GINT64_FORMAT " added, %" G_GINT64_FORMAT " updated, %" G_GINT64_FORMAT
                          " unchanged, %" G_GINT64_FORMAT " restored, %" G_GINT64_FORMAT " retired, %" G_GINT64_FORMAT
                          " repaired, %" G_GINT64_FORMAT " skipped (%.1f s)\n",
                          r->dry_run ? "dry run, nothing written — " : "", r->kind ? r->kind : "",
                          r->added, r->updated, r->unchanged, r->restored, r->retired, r->repaired, r->skipped,
                          r->seconds);
  return g_string_free (out, FALSE);
}
