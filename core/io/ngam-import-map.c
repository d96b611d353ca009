/* ngam-import-map.c — which source field feeds which model field, and the
 * source key, for one source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A profile names the source fields (or OpenStreetMap tags, or the feature
 * id) for each model field and for the key; without one, the model field's
 * own name and then its synonyms (ngam-import-fields.c) are looked for.
 * What was chosen, and why, goes into the source's report.  The reader
 * made here then converts the source's features (ngam-import-read.c).
 */
#define G_LOG_DOMAIN "ngam-io"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ngam-import-read.h"

static void
field_map_clear (gpointer data)
{
  NgamImportFieldMap *m = data;

  g_array_unref (m->src);
  g_ptr_array_unref (m->tags);
  g_array_unref (m->special);
}

void
ngam_import_reader_free (NgamImportReader *r)
{
  if (r == NULL)
    return;
  g_strfreev (r->names);
  g_strfreev (r->json_names);
  g_free (r->types);
  g_array_unref (r->maps);
  g_array_unref (r->key_src);
  g_ptr_array_unref (r->key_tags);
  g_array_unref (r->key_special);
  g_array_unref (r->filter_src);
  g_ptr_array_unref (r->filter_tags);
  g_clear_pointer (&r->op_src, g_array_unref);
  g_clear_pointer (&r->op_tags, g_ptr_array_unref);
  g_clear_pointer (&r->op_special, g_array_unref);
  if (r->feature)
    {
      /* op_names' */
      r->feature->operator_name = NULL;
      ngam_feature_free (r->feature);
    }
  g_clear_pointer (&r->op_cache, g_hash_table_unref);
  g_clear_pointer (&r->op_names, g_hash_table_unref);
  if (r->op_text)
    g_string_free (r->op_text, TRUE);
  ngam_shape_free (r->shape);
  ngam_shape_free (r->piece);
  ngam_shape_free (r->line);
  if (r->wkb)
    g_byte_array_unref (r->wkb);
  if (r->attrs)
    g_string_free (r->attrs, TRUE);
  if (r->key)
    g_string_free (r->key, TRUE);
  if (r->piece_key)
    g_string_free (r->piece_key, TRUE);
  if (r->vals)
    g_string_free (r->vals, TRUE);
  g_free (r->voff);
  g_free (r->vnum);
  g_free (r->json_name_len);
  if (r->examples)
    g_hash_table_unref (r->examples);
  g_free (r);
}

/* Appends @s (@len bytes, or NUL-terminated) as a JSON string. */
void
ngam_import_json_escape (GString *out, const char *s, gssize len)
{
  static const char hex[] = "0123456789abcdef";
  const char *end = s + (len < 0 ? (gssize) strlen (s) : len);
  const char *run = s;

  g_string_append_c (out, '"');
  for (const char *p = s; p < end; p++)
    {
      guchar c = *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      g_string_append_len (out, run, p - run);
      run = p + 1;
      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else
        {
          char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

          g_string_append_len (out, u, 6);
        }
    }
  g_string_append_len (out, run, end - run);
  g_string_append_c (out, '"');
}

static int
find_field (NgamImportReader *r, const char *name)
{
  g_autofree char *want = g_utf8_casefold (name, -1);

  for (int i = 0; i < r->n_fields; i++)
    {
      g_autofree char *have = g_utf8_casefold (r->names[i], -1);

      if (strcmp (have, want) == 0)
        return i;
    }
  return -1;
}

/* Resolves @ref to a source field index (≥ 0), a tag (−1, its name pushed
 * on @tags) or a special (−2, its type pushed on @special); FALSE when the
 * source has neither the field nor other_tags. */
static gboolean
resolve_ref (NgamImportReader    *r,
             const NgamSourceRef *ref,
             GArray              *src,
             GPtrArray           *tags,
             GArray              *special)
{
  int idx = -2, t = ref->type;

  if (ref->type == NGAM_SOURCE_REF_KEY || ref->type == NGAM_SOURCE_REF_FID)
    idx = -2;
  else if ((idx = find_field (r, ref->name)) < 0)
    {
      if (ref->type != NGAM_SOURCE_REF_TAG || r->other_tags < 0)
        return FALSE;
      idx = -1;
    }
  g_array_append_val (src, idx);
  g_ptr_array_add (tags, g_strdup (ref->name));
  g_array_append_val (special, t);
  return TRUE;
}

static char *
describe_refs (const NgamProfileField *pf)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < pf->refs->len; i++)
    {
      g_autofree char *t = ngam_source_ref_to_string (pf->refs->pdata[i]);

      g_string_append_printf (s, "%s%s", i ? " | " : "", t);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/**
 * ngam_import_reader_intern_operator:
 * @name: (nullable): an operator's name
 *
 * Returns: the reader's copy of @name, alive as long as the reader: rows
 *   borrow it.
 */
const char *
ngam_import_reader_intern_operator (NgamImportReader *r,
                                    const char       *name)
{
  char *have;

  if (name == NULL)
    return NULL;
  have = g_hash_table_lookup (r->op_names, name);
  if (have == NULL)
    {
      have = g_strdup (name);
      g_hash_table_add (r->op_names, have);
    }
  return have;
}

/* Resolves the profile's operator_field in this source.  A source with
 * none of its fields is most likely read with the wrong profile: an error,
 * unless the run's operator says whose the whole source is. */
static gboolean
map_operator (NgamImportReader         *r,
              const NgamImportContext  *run,
              GError                  **error)
{
  const NgamProfileField *of = run->profile ? run->profile->operator_field : NULL;
  NgamImportSourceReport *rep = r->src->report;
  g_autofree char *refs = NULL;
  guint found = 0;

  if (of == NULL)
    return TRUE;
  refs = describe_refs (of);
  for (guint k = 0; k < of->refs->len; k++)
    found += resolve_ref (r, of->refs->pdata[k], r->op_src, r->op_tags, r->op_special) ? 1 : 0;
  if (found == 0 && run->opt->operator_name == NULL)
    {
      g_autofree char *fields = g_strjoinv (", ", r->names);

      g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_NO_OPERATOR,
                   _("%s: the profile %s says operator_field = %s, but this source has no such field "
                     "(its fields: %s): fix operator_field in the profile's [profile], or give the "
                     "operator for the import if the whole file is one operator's"),
                   r->src->display, run->profile->path, refs, *fields ? fields : "none");
      return FALSE;
    }
  if (found == 0)
    {
      ngam_import_warn (rep, NGAM_IMPORT_OPTION_NONE,
                        g_strdup_printf (_("the profile's operator_field (%s) is not in this source: every "
                                           "feature is %s's, the operator given for the import"),
                                         refs, run->opt->operator_name));
      return TRUE;
    }
  g_ptr_array_add (rep->mapping,
                   g_strdup_printf ("operator ← %s (profile operator_field%s; when empty: %s)", refs,
                                    of->values || of->values_other ? ", mapped by [values.operator]" : "",
                                    run->operator_name ? run->operator_name : "none"));
  return TRUE;
}

/**
 * ngam_import_reader_new:
 *
 * Returns: (transfer full): the reader of @src, or %NULL with @error set
 *   when the profile does not fit the source.
 */
NgamImportReader *
ngam_import_reader_new (const NgamImportContext  *run,
                        NgamImportSource         *src,
                        guint                     index,
                        GError                  **error)
{
  g_autoptr(NgamImportReader) r = g_new0 (NgamImportReader, 1);
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn (src->layer);
  const NgamLayerInfo *info = ngam_layer_info (run->opt->kind);
  NgamImportSourceReport *rep = src->report;

  r->src = src;
  r->n_fields = OGR_FD_GetFieldCount (defn);
  r->names = g_new0 (char *, r->n_fields + 1);
  r->types = g_new0 (OGRFieldType, MAX (r->n_fields, 1));
  r->other_tags = -1;
  r->maps = g_array_new (FALSE, TRUE, sizeof (NgamImportFieldMap));
  g_array_set_clear_func (r->maps, field_map_clear);
  r->key_src = g_array_new (FALSE, FALSE, sizeof (int));
  r->key_tags = g_ptr_array_new_with_free_func (g_free);
  r->key_special = g_array_new (FALSE, FALSE, sizeof (int));
  r->filter_src = g_array_new (FALSE, FALSE, sizeof (int));
  r->filter_tags = g_ptr_array_new_with_free_func (g_free);
  r->op_src = g_array_new (FALSE, FALSE, sizeof (int));
  r->op_tags = g_ptr_array_new_with_free_func (g_free);
  r->op_special = g_array_new (FALSE, FALSE, sizeof (int));
  r->op_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r->op_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r->op_text = g_string_new (NULL);

  for (int i = 0; i < r->n_fields; i++)
    {
      OGRFieldDefnH fd = OGR_FD_GetFieldDefn (defn, i);

      r->names[i] = ngam_decoder_decode (src->decoder, OGR_Fld_GetNameRef (fd), -1);
      r->types[i] = OGR_Fld_GetType (fd);
      if (g_ascii_strcasecmp (r->names[i], "other_tags") == 0)
        r->other_tags = i;
    }

  for (guint i = 0; i < info->n_fields; i++)
    {
      const char *model = info->fields[i].name;
      const NgamProfileField *pf = run->profile ? ngam_profile_get_field (run->profile, model) : NULL;
      NgamImportFieldMap m = { (int) i, pf, g_array_new (FALSE, FALSE, sizeof (int)),
                     g_ptr_array_new_with_free_func (g_free), g_array_new (FALSE, FALSE, sizeof (int)) };
      g_autofree char *why = NULL;

      /* The span's pole fids are the import's to set, from snapping. */
      if (run->opt->kind == NGAM_LAYER_SPANS && (strcmp (model, "from_pole") == 0 || strcmp (model, "to_pole") == 0))
        {
          field_map_clear (&m);
          continue;
        }
      if (pf && pf->refs->len > 0)
        {
          g_autofree char *refs = describe_refs (pf);
          guint found = 0;

          for (guint k = 0; k < pf->refs->len; k++)
            found += resolve_ref (r, pf->refs->pdata[k], m.src, m.tags, m.special) ? 1 : 0;
          if (found == 0)
            ngam_import_warn (rep, NGAM_IMPORT_OPTION_NONE,
                              g_strdup_printf ("the profile maps %s to %s, which this source lacks", model, refs));
          else
            why = g_strdup_printf ("%s ← %s (profile)", model, refs);
        }
      else
        {
          /* Suggest: the model's own name first, then the synonyms. */
          const char *const *syn = ngam_import_synonyms (model);
          g_autofree char *folded_model = ngam_import_fold_name (model);
          int best = -1;

          for (int f = 0; f < r->n_fields && best < 0; f++)
            {
              g_autofree char *fo = ngam_import_fold_name (r->names[f]);

              if (strcmp (fo, folded_model) == 0)
                best = f;
            }
          if (best >= 0)
            why = g_strdup_printf ("%s ← %s (same name)", model, r->names[best]);
          for (guint k = 0; run->profile == NULL && best < 0 && syn && syn[k]; k++)
            for (int f = 0; f < r->n_fields && best < 0; f++)
              {
                g_autofree char *fo = ngam_import_fold_name (r->names[f]);
                gboolean numeric = r->types[f] == OFTInteger || r->types[f] == OFTInteger64 || r->types[f] == OFTReal;
                gboolean want_number = info->fields[i].type == NGAM_FIELD_INT || info->fields[i].type == NGAM_FIELD_REAL;

                /* A text model field takes any source; a number needs a
                 * number, or text (operators store numbers as text too). */
                if (strcmp (fo, syn[k]) == 0 && (!numeric || want_number || info->fields[i].type == NGAM_FIELD_TEXT))
                  {
                    best = f;
                    why = g_strdup_printf ("%s ← %s (suggested from the name)", model, r->names[f]);
                  }
              }
          if (best >= 0)
            {
              int t = NGAM_SOURCE_REF_FIELD;

              g_array_append_val (m.src, best);
              g_ptr_array_add (m.tags, g_strdup (r->names[best]));
              g_array_append_val (m.special, t);
            }
        }
      if (why)
        g_ptr_array_add (rep->mapping, g_steal_pointer (&why));
      if (m.src->len > 0 || (pf && pf->default_value))
        g_array_append_val (r->maps, m);
      else
        field_map_clear (&m);
    }

  if (!map_operator (r, run, error))
    return NULL;

  /* The key: the profile's, else an id-like field, else the feature id. */
  if (run->profile && run->profile->key->len > 0)
    {
      g_autoptr(GString) desc = g_string_new (NULL);

      for (guint k = 0; k < run->profile->key->len; k++)
        {
          g_autofree char *t = ngam_source_ref_to_string (run->profile->key->pdata[k]);

          if (!resolve_ref (r, run->profile->key->pdata[k], r->key_src, r->key_tags, r->key_special))
            ngam_import_warn (rep, NGAM_IMPORT_OPTION_NONE,
                              g_strdup_printf ("the profile's key field %s is not in this source", t));
          g_string_append_printf (desc, "%s%s", k ? " + " : "", t);
        }
      rep->key = g_strdup_printf ("%s (profile)", desc->str);
    }
  if (r->key_src->len == 0)
    {
      static const char *ids[] = { "osmid", "osm_id", "id", "ma", "macot", "macap", "matuyen", "maso", "code", "objectid", NULL };

      for (guint k = 0; ids[k] && r->key_src->len == 0; k++)
        for (int f = 0; f < r->n_fields; f++)
          {
            g_autofree char *fo = ngam_import_fold_name (r->names[f]);
            g_autofree char *want = ngam_import_fold_name (ids[k]);

            if (strcmp (fo, want) == 0)
              {
                int t = NGAM_SOURCE_REF_FIELD;

                g_array_append_val (r->key_src, f);
                g_ptr_array_add (r->key_tags, g_strdup (r->names[f]));
                g_array_append_val (r->key_special, t);
                g_free (rep->key);
                rep->key = g_strdup_printf ("%s (an id field)", r->names[f]);
                break;
              }
          }
    }
  if (r->key_src->len == 0)
    {
      int idx = -2, t = NGAM_SOURCE_REF_FID;

      g_array_append_val (r->key_src, idx);
      g_ptr_array_add (r->key_tags, NULL);
      g_array_append_val (r->key_special, t);
      g_free (rep->key);
      rep->key = g_strdup ("feature id (no id field: a reordered newer file will show as changes)");
    }

  if (run->profile)
    for (guint k = 0; k < run->profile->filters->len; k++)
      {
        NgamProfileFilter *flt = run->profile->filters->pdata[k];
        GArray *dummy = g_array_new (FALSE, FALSE, sizeof (int));

        if (!resolve_ref (r, flt->ref, r->filter_src, r->filter_tags, dummy))
          {
            int none = -3;

            g_array_append_val (r->filter_src, none);
            g_ptr_array_add (r->filter_tags, g_strdup (flt->ref->name));
          }
        g_array_unref (dummy);
      }
  /* the JSON keys, escaped once */
  r->json_names = g_new0 (char *, r->n_fields + 1);
  r->json_name_len = g_new0 (gsize, r->n_fields + 1);
  for (int i = 0; i < r->n_fields; i++)
    {
      GString *k = g_string_new (NULL);

      ngam_import_json_escape (k, r->names[i], -1);
      g_string_append_c (k, ':');
      r->json_name_len[i] = k->len;
      r->json_names[i] = g_string_free (k, FALSE);
    }
  r->index = index;
  r->feature = ngam_feature_new (run->opt->kind);
  r->op_fallback = ngam_import_reader_intern_operator (r, run->operator_name);
  r->feature->operator_name = (char *) r->op_fallback;
  r->feature->source_file = g_strdup (src->display);
  r->feature->source_layer = g_strdup (run->opt->source_name ? run->opt->source_name : src->layer_name);
  r->shape = ngam_shape_new ();
  r->piece = ngam_shape_new ();
  r->line = ngam_shape_new ();
  r->wkb = g_byte_array_new ();
  r->attrs = g_string_sized_new (256);
  r->key = g_string_new (NULL);
  r->piece_key = g_string_new (NULL);
  r->vals = g_string_sized_new (256);
  r->voff = g_new (gssize, MAX (r->n_fields, 1));
  r->vnum = g_new (double, MAX (r->n_fields, 1));
  r->examples = g_hash_table_new (g_str_hash, g_str_equal);
  return g_steal_pointer (&r);
}
