/* ngam-import-read.c — turning one source's features into rows for the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Per feature: filter (profile) → geometry (null/empty skipped, curves
 * linearised, Z/M dropped) → plausibility in the source CRS (an error naming
 * the feature: swapped axes or degrees in a metric CRS must not be imported
 * somewhere in the sea) → reprojection → fitted to the kind (multi-parts
 * split, polygons given a point for point kinds) → validity → for spans:
 * split at poles and ends snapped to poles → a row in the current batch,
 * with its content hash and its source key; duplicates, key uniqueness and
 * the store are the writer thread's (ngam-import.c).
 *
 * Features come from OGR, or for a shapefile of points or lines from
 * ngam-shapefile.c, which reads the records itself as OGR would (several
 * times faster than OGR builds its features); both meet in
 * import_feature() as a feature id, field values and ISO WKB.
 *
 * This runs once per feature, a million times an import, so it allocates
 * nothing per feature but the row's own strings: field texts go into one
 * reused buffer, the raw attributes' JSON is written by hand, numbers are
 * formatted without printf where they are short decimals, and GEOS is only
 * asked about polygons (a point or a line is checked here: finite, and a
 * line needs two distinct vertices).  Snapping reads the poles' grid in
 * memory, or the tiles of it kept there, a tile loaded when first needed
 * (ngam_store_nearest_find()).  Notes (issues) go into the batch in order
 * and reach the report through the writer, so the report reads as if one
 * thread had done everything.
 */
#define G_LOG_DOMAIN "ngam-io"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ngam-context.h"
#include "ngam-import-read.h"
#include "ngam-shapefile.h"
#include "ngam-zone.h"

/* ---- text ---------------------------------------------------------------- */

static void
append_int (GString *out, gint64 v)
{
  char buf[24], *p = buf + sizeof buf;
  guint64 u = v < 0 ? -(guint64) v : (guint64) v;

  do
    *--p = '0' + u % 10;
  while ((u /= 10) != 0);
  if (v < 0)
    *--p = '-';
  g_string_append_len (out, p, buf + sizeof buf - p);
}

/* Appends @d so that it reads back as the same double: "5.7", not the
 * "5.7000000000000002" of %.17g.  A value with at most 9 decimals and
 * |d| < 2^53 / 10^9 is m / 10^k for the least k that gives exactly d
 * (both m and 10^k exact, so the division is correctly rounded, as strtod
 * is: the text parses back to d); anything else gets %.17g. */
static void
append_double (GString *out, double d)
{
  static const double p10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9 };

  /* JSON readers take "-0" for the integer 0 */
  if (d == 0 && signbit (d))
    {
      g_string_append (out, "-0.0");
      return;
    }
  if (fabs (d) < 9e6)
    for (guint k = 0; k < G_N_ELEMENTS (p10); k++)
      {
        double scaled = d * p10[k], r = nearbyint (scaled);

        if (r / p10[k] == d)
          {
            gint64 m = (gint64) r;
            guint64 u = m < 0 ? -(guint64) m : (guint64) m;
            char buf[32], *p = buf + sizeof buf;

            for (guint i = 0; i < k; i++, u /= 10)
              *--p = '0' + u % 10;
            if (k > 0)
              *--p = '.';
            do
              *--p = '0' + u % 10;
            while ((u /= 10) != 0);
            if (m < 0)
              *--p = '-';
            g_string_append_len (out, p, buf + sizeof buf - p);
            return;
          }
      }
  {
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    g_string_append (out, g_ascii_dtostr (buf, sizeof buf, d));
  }
}

/* ---- reading values --------------------------------------------------------- */

/* Text of source field @idx (or tag) for the current feature; borrowed. */
static const char *
ref_text (NgamImportReader *r, int idx, const char *tag, int special, gint64 fid,
          char **owned)
{
  *owned = NULL;
  if (idx >= 0)
    return r->voff[idx] < 0 ? NULL : r->vals->str + r->voff[idx];
  if (idx == -1 && r->other_tags >= 0 && r->voff[r->other_tags] >= 0)
    return *owned = ngam_hstore_get (r->vals->str + r->voff[r->other_tags], tag);
  if (special == NGAM_SOURCE_REF_FID)
    return *owned = g_strdup_printf ("%" G_GINT64_FORMAT, fid);
  if (special == NGAM_SOURCE_REF_KEY)
    return r->key->str;
  return NULL;
}

/* Room for @n more bytes (and the NUL) at the end of @s: the appends
 * below write straight into the buffer, as g_string_append_len() would
 * after its checks, which cost more than the copy for short fields. */
static inline char *
room (GString *s, gsize n)
{
  if (s->len + n + 1 > s->allocated_len)
    {
      gsize len = s->len;

      g_string_set_size (s, len + n);
      s->len = len;
    }
  return s->str + s->len;
}

static inline void
grown (GString *s, gsize n)
{
  s->len += n;
  s->str[s->len] = '\0';
}

static inline void
append (GString *s, const char *bytes, gsize n)
{
  memcpy (room (s, n), bytes, n);
  grown (s, n);
}

/* The values of the current feature, field by field: each appends the
 * field's text to r->vals (NUL-ended) and its JSON to r->attrs. */

static void
values_begin (NgamImportReader *r)
{
  g_string_truncate (r->vals, 0);
  g_string_truncate (r->attrs, 0);
  append (r->attrs, "{", 1);
}

static void
value_name (NgamImportReader *r, int i)
{
  if (i > 0)
    append (r->attrs, ",", 1);
  append (r->attrs, r->json_names[i], r->json_name_len[i]);
  r->voff[i] = -1;
  r->vnum[i] = NAN;
}

static void
value_null (NgamImportReader *r)
{
  append (r->attrs, "null", 4);
}

static void
value_end (NgamImportReader *r, int i, gsize start)
{
  append (r->vals, "", 1);
  r->voff[i] = start;
}

static void
value_int (NgamImportReader *r, int i, gint64 v)
{
  gsize start = r->vals->len;

  append_int (r->vals, v);
  append (r->attrs, r->vals->str + start, r->vals->len - start);
  if (v > -(G_GINT64_CONSTANT (1) << 53) && v < (G_GINT64_CONSTANT (1) << 53))
    r->vnum[i] = (double) v;
  value_end (r, i, start);
}

static void
value_real (NgamImportReader *r, int i, double d)
{
  gsize start = r->vals->len;

  if (!isfinite (d))
    {
      value_null (r);
      return;
    }
  append_double (r->vals, d);
  append (r->attrs, r->vals->str + start, r->vals->len - start);
  r->vnum[i] = d;
  value_end (r, i, start);
}

/* Text as the source has it, @n bytes in the source's encoding. */
static void
value_text (NgamImportReader *r, int i, const char *t, gsize n)
{
  GString *vals = r->vals, *attrs = r->attrs;
  gsize start = vals->len;
  gboolean plain = TRUE;
  char *q;

  /* dBASE pads text with spaces */
  while (n > 0 && t[n - 1] == ' ')
    n--;
  for (gsize k = 0; k < n && plain; k++)
    plain = (guchar) t[k] >= 0x20 && (guchar) t[k] < 0x80 && t[k] != '"' && t[k] != '\\';
  if (plain)
    {
      /* ASCII every encoding reads alike, nothing to escape */
      append (vals, t, n);
      q = room (attrs, n + 2);
      q[0] = '"';
      memcpy (q + 1, t, n);
      q[n + 1] = '"';
      grown (attrs, n + 2);
    }
  else
    {
      ngam_decoder_decode_append (r->src->decoder, t, n, vals);
      ngam_import_json_escape (attrs, vals->str + start, vals->len - start);
    }
  value_end (r, i, start);
}

/* Decodes every field of OGR's feature @f into r->vals (and numbers into
 * r->vnum) and writes the raw attributes as a JSON object into r->attrs. */
static void
read_values (NgamImportReader *r, OGRFeatureH f)
{
  values_begin (r);
  for (int i = 0; i < r->n_fields; i++)
    {
      const OGRField *raw = OGR_F_GetRawFieldRef (f, i);

      value_name (r, i);
      if (raw == NULL || OGR_RawField_IsUnset (raw) || OGR_RawField_IsNull (raw) || r->types[i] == OFTBinary)
        {
          value_null (r);
          continue;
        }
      switch (r->types[i])
        {
        case OFTInteger:
          value_int (r, i, raw->Integer);
          break;
        case OFTInteger64:
          value_int (r, i, raw->Integer64);
          break;
        case OFTReal:
          value_real (r, i, raw->Real);
          break;
        case OFTString:
          value_text (r, i, raw->String, strlen (raw->String));
          break;
        default:
          {
            gsize start = r->vals->len;

            g_string_append (r->vals, OGR_F_GetFieldAsString (f, i));
            ngam_import_json_escape (r->attrs, r->vals->str + start, r->vals->len - start);
            value_end (r, i, start);
          }
          break;
        }
    }
  append (r->attrs, "}", 1);
}

/* The same for a .dbf record read without OGR (ngam-shapefile.c), as
 * OGR's shapefile driver reads it: a field's bytes up to a NUL, without
 * the spaces around them; empty text, or a number that is empty or starts
 * with '*', is null; integers as atoi/atoll read them, reals as CPLAtof. */
static void
read_dbf_values (NgamImportReader *r, const guint8 *record)
{
  const NgamShpField *fields = ngam_shp_fields (r->shp);

  values_begin (r);
  for (int i = 0; i < r->n_fields; i++)
    {
      const NgamShpField *fd = &fields[i];
      const char *t = (const char *) record + fd->offset;
      const char *nul = memchr (t, '\0', fd->width);
      gsize n = nul ? (gsize) (nul - t) : fd->width;

      value_name (r, i);
      while (n > 0 && *t == ' ')
        t++, n--;
      while (n > 0 && t[n - 1] == ' ')
        n--;
      if (n == 0 || (fd->type != 'C' && *t == '*'))
        {
          value_null (r);
          continue;
        }
      if (r->types[i] == OFTString)
        value_text (r, i, t, n);
      else
        {
          char buf[256];

          memcpy (buf, t, n);
          buf[n] = '\0';
          if (r->types[i] == OFTInteger)
            value_int (r, i, (int) strtol (buf, NULL, 10));
          else if (r->types[i] == OFTInteger64)
            value_int (r, i, g_ascii_strtoll (buf, NULL, 10));
          else
            value_real (r, i, g_ascii_strtod (buf, NULL));
        }
    }
  append (r->attrs, "}", 1);
}

static gboolean
passes_filter (const NgamImportContext *ctx, NgamImportReader *r, gint64 fid)
{
  if (ctx->profile == NULL)
    return TRUE;
  for (guint k = 0; k < ctx->profile->filters->len; k++)
    {
      NgamProfileFilter *flt = ctx->profile->filters->pdata[k];
      int idx = g_array_index (r->filter_src, int, k);
      g_autofree char *owned = NULL;
      g_autofree char *folded = NULL;
      const char *v = idx == -3 ? NULL : ref_text (r, idx, r->filter_tags->pdata[k], NGAM_SOURCE_REF_FIELD, fid, &owned);
      gboolean ok = FALSE;

      if (v == NULL || *v == '\0')
        return FALSE;
      if (flt->values == NULL)
        continue;
      folded = g_utf8_casefold (v, -1);
      for (guint j = 0; flt->values[j]; j++)
        ok = ok || strcmp (folded, flt->values[j]) == 0;
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

static void
make_key (NgamImportReader *r, gint64 fid)
{
  g_string_truncate (r->key, 0);
  for (guint k = 0; k < r->key_src->len; k++)
    {
      g_autofree char *owned = NULL;
      const char *v = ref_text (r, g_array_index (r->key_src, int, k), r->key_tags->pdata[k],
                                g_array_index (r->key_special, int, k), fid, &owned);

      if (k > 0)
        g_string_append_c (r->key, '-');
      g_string_append (r->key, v ? v : "");
    }
  if (r->key->len == 0 || strspn (r->key->str, "-") == r->key->len)
    g_string_printf (r->key, "fid:%" G_GINT64_FORMAT, fid);
}

/* Parses a number as operators write them: "3.5", "3,5", "12 m". */
static gboolean
parse_number (const char *text, double *out)
{
  char buf[64];
  const char *t = text;
  char *end, *comma;
  gsize n;

  while (g_ascii_isspace (*t))
    t++;
  n = strlen (t);
  while (n > 0 && g_ascii_isspace (t[n - 1]))
    n--;
  if (n == 0 || n >= sizeof buf)
    return FALSE;
  memcpy (buf, t, n);
  buf[n] = '\0';
  if ((comma = strchr (buf, ',')) != NULL && !strchr (buf, '.'))
    *comma = '.';
  *out = g_ascii_strtod (buf, &end);
  if (end == buf || !isfinite (*out))
    return FALSE;
  while (*end == ' ')
    end++;
  return *end == '\0' || g_ascii_isalpha (*end);
}

/* Wants the example for @code: only the first is kept, so the message is
 * built once, not for every feature. */
static gboolean
wants_example (NgamImportReader *r, const char *code)
{
  if (g_hash_table_contains (r->examples, code))
    return FALSE;
  g_hash_table_add (r->examples, (gpointer) code);
  return TRUE;
}

static NgamImportBatch *
current_batch (const NgamImportContext *ctx, NgamImportReader *r)
{
  if (r->batch == NULL)
    {
      r->batch = ngam_import_pipe_get (ctx->pipe);
      if (r->batch)
        {
          r->batch->source = r->index;
          /* with batches waiting for it the writer is the slower thread:
           * the reader finishes the rows; else the writer does */
          r->batch->prepare = ngam_import_pipe_writer_busy (ctx->pipe);
        }
    }
  return r->batch;
}

/* Notes something about feature @fid (see ngam_import_note()); @example
 * is taken. */
static void
note (const NgamImportContext *ctx, NgamImportReader *r, const char *code, gboolean skipped, gint64 fid, char *example)
{
  NgamImportBatch *b = current_batch (ctx, r);

  if (b)
    ngam_import_batch_note (b, code, skipped, fid, example);
  else
    g_free (example);
}

static void
set_values (const NgamImportContext *ctx, NgamImportReader *r, gint64 fid)
{
  NgamFeature *feat = r->feature;
  const NgamLayerInfo *info = ngam_layer_info (feat->kind);

  for (guint i = 0; i < r->maps->len; i++)
    {
      NgamImportFieldMap *m = &g_array_index (r->maps, NgamImportFieldMap, i);
      const NgamFieldInfo *fi = &info->fields[m->field];
      g_autofree char *owned = NULL;
      const char *v = NULL;
      g_autoptr(GError) error = NULL;

      int from = -1;

      for (guint k = 0; k < m->src->len && (v == NULL || *v == '\0'); k++)
        {
          g_clear_pointer (&owned, g_free);
          from = g_array_index (m->src, int, k);
          v = ref_text (r, from, m->tags->pdata[k], g_array_index (m->special, int, k), fid, &owned);
        }
      /* a number for a number: no text in between */
      if (from >= 0 && v && *v && !isnan (r->vnum[from]) &&
          (fi->type == NGAM_FIELD_REAL || fi->type == NGAM_FIELD_INT) &&
          (m->pf == NULL || (m->pf->values == NULL && m->pf->values_other == NULL)))
        {
          double d = r->vnum[from] * (m->pf ? m->pf->unit_factor : 1.0);

          if (fi->type == NGAM_FIELD_INT)
            ngam_feature_set_int (feat, m->field, (gint64) llround (d));
          else
            ngam_feature_set_real (feat, m->field, d);
          continue;
        }
      if ((v == NULL || *v == '\0') && m->pf && m->pf->default_value)
        v = m->pf->default_value;
      else if (v && *v && m->pf && (m->pf->values || m->pf->values_other))
        {
          g_autofree char *nfc = g_utf8_normalize (v, -1, G_NORMALIZE_NFC);
          g_autofree char *folded = g_utf8_casefold (nfc ? nfc : v, -1);
          const char *to = m->pf->values ? g_hash_table_lookup (m->pf->values, folded) : NULL;

          if (to == NULL)
            to = m->pf->values_other;
          if (to)
            v = to;
        }
      if (v == NULL || *v == '\0')
        {
          ngam_feature_set_null (feat, m->field);
          continue;
        }
      if (fi->type == NGAM_FIELD_REAL || fi->type == NGAM_FIELD_INT)
        {
          double d;

          if (parse_number (v, &d))
            {
              if (m->pf)
                d *= m->pf->unit_factor;
              if (fi->type == NGAM_FIELD_INT)
                ngam_feature_set_int (feat, m->field, (gint64) llround (d));
              else
                ngam_feature_set_real (feat, m->field, d);
              continue;
            }
        }
      else if (fi->type == NGAM_FIELD_TEXT)
        {
          /* Zone types are stored by their one canonical name, so that
           * `river`, `Sông` and `water` mean the same to the graph, the
           * planner and the map (ngam-zone.h). */
          if (feat->kind == NGAM_LAYER_ZONES && strcmp (fi->name, "zone_type") == 0)
            {
              NgamZoneFlags z = ngam_zone_from_name (v);

              if (z != 0)
                v = ngam_zone_info (z)->name;
              else
                note (ctx, r, "unknown_zone_type", FALSE, fid,
                      wants_example (r, "unknown_zone_type")
                        ? g_strdup_printf (_("feature %lld: “%s” is not a zone type (known types: %s)"),
                                           (long long) fid, v, ngam_zone_names ())
                        : NULL);
            }
          ngam_feature_set_text (feat, m->field, v);
          continue;
        }
      ngam_feature_set_null (feat, m->field);
      if (!ngam_feature_set_by_name (feat, fi->name, v, &error))
        note (ctx, r, "bad_value", FALSE, fid,
              wants_example (r, "bad_value") ? g_strdup_printf ("feature %" G_GINT64_FORMAT ": %s", fid, error->message)
                                              : NULL);
    }
}

/* The feature's operator (see ngam-profile.c): the first non-empty of
 * operator_field's fields, trimmed, through [values.operator], else the
 * run's fallback.  The answer for each text is kept, so a feature costs a
 * lookup, not a normalisation and an allocation: a file has a few owner
 * spellings, repeated. */
static void
set_operator (const NgamImportContext *ctx, NgamImportReader *r, gint64 fid)
{
  const NgamProfileField *of = ctx->profile->operator_field;
  const char *v = NULL, *op = NULL;
  g_autofree char *owned = NULL;
  gpointer cached;
  gsize n;

  for (guint k = 0; k < r->op_src->len && (v == NULL || *v == '\0'); k++)
    {
      g_clear_pointer (&owned, g_free);
      v = ref_text (r, g_array_index (r->op_src, int, k), r->op_tags->pdata[k],
                    g_array_index (r->op_special, int, k), fid, &owned);
      while (v && g_ascii_isspace (*v))
        v++;
    }
  n = v ? strlen (v) : 0;
  while (n > 0 && g_ascii_isspace (v[n - 1]))
    n--;
  if (n > 0)
    {
      g_string_truncate (r->op_text, 0);
      g_string_append_len (r->op_text, v, n);
      if (g_hash_table_lookup_extended (r->op_cache, r->op_text->str, NULL, &cached))
        op = cached;
      else
        {
          g_autofree char *nfc = g_utf8_normalize (r->op_text->str, -1, G_NORMALIZE_NFC);
          const char *text = nfc ? nfc : r->op_text->str;
          const char *to = NULL;

          if (of->values)
            {
              g_autofree char *folded = g_utf8_casefold (text, -1);

              to = g_hash_table_lookup (of->values, folded);
            }
          if (to == NULL)
            to = of->values_other;
          if (to == NULL)
            to = text;
          /* mapped to nothing: as if empty */
          op = *to ? ngam_import_reader_intern_operator (r, to) : NULL;
          /* bounded, for a profile that names the wrong field (an id) */
          if (g_hash_table_size (r->op_cache) < 4096)
            g_hash_table_insert (r->op_cache, g_strdup (r->op_text->str), (gpointer) op);
        }
    }
  if (op == NULL)
    {
      op = r->op_fallback;
      if (op == NULL)
        note (ctx, r, "no_operator", FALSE, fid,
              wants_example (r, "no_operator")
                ? g_strdup_printf (_("feature %lld: %s, and no operator for the import (nor the profile's "
                                     "operator) to fall back on"), (long long) fid,
                                   n > 0 ? _("its operator field maps to nothing") : _("its operator field is empty"))
                : NULL);
    }
  r->feature->operator_name = (char *) op;
}

/* ---- rows ------------------------------------------------------------------ */

/* Copies @len bytes of @text into *@p, a buffer of *@cap bytes grown as
 * needed (with room to spare): a row slot keeps its buffers from batch to
 * batch instead of a free and a malloc each.  *@cap is 0 for a buffer
 * whose size is not known (the writer may replace a key). */
static void
copy_into (char **p, gsize *cap, const char *text, gsize len)
{
  if (*p == NULL || len + 1 > *cap)
    {
      *cap = MAX (len + 1 + len / 2, 32);
      *p = g_realloc (*p, *cap);
    }
  memcpy (*p, text, len);
  (*p)[len] = '\0';
}

/* Fills a row's feature with the current feature's shared part (all but
 * shape, key and fid).  Operator, file and layer names are the reader's,
 * borrowed (ngam_import_row_release() lets go of them before the slot is
 * freed); everything else is the slot's own. */
static void
row_fill (NgamImportReader *r, NgamImportRow *row)
{
  NgamFeature *dst = row->feature;
  const NgamFeature *src = r->feature;

  dst->fid = 0;
  dst->import_id = 0;
  dst->retired = FALSE;
  dst->operator_name = src->operator_name;
  dst->source_file = src->source_file;
  dst->source_layer = src->source_layer;
  dst->source_fid = src->source_fid;
  copy_into (&dst->attrs, &row->caps[0], r->attrs->str, r->attrs->len);
  row->attrs_len = r->attrs->len;
  for (guint i = 0; i < src->n_values; i++)
    {
      NgamValue *d = &dst->values[i];
      const NgamValue *v = &src->values[i];

      if (v->s && !v->is_null)
        copy_into (&d->s, &row->caps[2 + i], v->s, strlen (v->s));
      else
        {
          g_clear_pointer (&d->s, g_free);
          row->caps[2 + i] = 0;
        }
      d->is_null = v->is_null;
      d->i = v->i;
      d->d = v->d;
    }
}

/* Hands a full batch to the writer. */
static void
flush (const NgamImportContext *ctx, NgamImportReader *r)
{
  if (r->batch)
    ngam_import_pipe_put (ctx->pipe, g_steal_pointer (&r->batch));
}

/* Queues one piece of the current feature.  FALSE when the writer has
 * stopped (it failed: its error is the run's). */
static gboolean
put_piece (const NgamImportContext *ctx, NgamImportReader *r, const NgamShape *piece,
           const char *key_suffix, gint64 from_pole, gint64 to_pole)
{
  NgamImportBatch *b = current_batch (ctx, r);
  NgamImportRow *row;
  NgamFeature *f;

  if (b == NULL)
    return FALSE;
  row = ngam_import_batch_add (b, ctx->opt->kind);
  f = row->feature;
  row_fill (r, row);
  /* the writer may have given the last key a suffix, in a buffer of its own */
  if (f->source_key != row->key_buf)
    row->caps[1] = 0;
  ngam_import_shape_assign (f->shape, piece);
  if (key_suffix)
    {
      g_string_assign (r->piece_key, r->key->str);
      g_string_append (r->piece_key, key_suffix);
      copy_into (&f->source_key, &row->caps[1], r->piece_key->str, r->piece_key->len);
    }
  else
    copy_into (&f->source_key, &row->caps[1], r->key->str, r->key->len);
  row->key_buf = f->source_key;
  if (ctx->opt->kind == NGAM_LAYER_SPANS)
    {
      int fi = ngam_layer_field_index (NGAM_LAYER_SPANS, "from_pole");
      int ti = ngam_layer_field_index (NGAM_LAYER_SPANS, "to_pole");

      if (from_pole > 0)
        ngam_feature_set_int (f, fi, from_pole);
      else
        ngam_feature_set_null (f, fi);
      if (to_pole > 0)
        ngam_feature_set_int (f, ti, to_pole);
      else
        ngam_feature_set_null (f, ti);
    }
  /* the last steps go to whichever thread has time (see current_batch) */
  row->prepared = FALSE;
  if (b->prepare)
    ngam_import_row_prepare (row, ctx->sync, ctx->store);
  if (b->n_rows == b->cap_rows)
    flush (ctx, r);
  return TRUE;
}

/* Spans: split at every vertex that is a pole, snap the ends to poles.
 * FALSE with @error set when the poles could not be read; FALSE without
 * when the writer stopped. */
static gboolean
put_span (const NgamImportContext *ctx, NgamImportReader *r, gint64 fid, NgamShape *line, const char *suffix,
          GError **error)
{
  double tol = ctx->snap_tolerance;
  guint n = line->n_points, start = 0, piece_no = 0;
  gint64 start_pole = 0;
  gboolean have_poles = ctx->poles && ngam_store_nearest_any (ctx->poles);
  gboolean split = ctx->profile && ctx->profile->split_at_poles;

  if (!have_poles)
    return put_piece (ctx, r, line, suffix, 0, 0);
  for (guint i = 0; i < n; i++)
    {
      gint64 pole = 0;
      double px = 0, py = 0, d = 0;
      gboolean end = i == 0 || i == n - 1;

      if (!end && !split)
        continue;
      if (!ngam_store_nearest_find (ctx->poles, line->xy[2 * i], line->xy[2 * i + 1], tol, &pole, &px, &py, &d, error))
        {
          g_prefix_error (error, "%s, feature %" G_GINT64_FORMAT ": ", r->src->display, fid);
          return FALSE;
        }
      if (end)
        {
          if (pole > 0)
            {
              if (d > 0)
                note (ctx, r, "snapped", FALSE, fid,
                      wants_example (r, "snapped")
                        ? g_strdup_printf ("feature %" G_GINT64_FORMAT " %s end moved %.3f m onto pole %" G_GINT64_FORMAT,
                                           fid, i == 0 ? "start" : "finish", d, pole)
                        : NULL);
              line->xy[2 * i] = px;
              line->xy[2 * i + 1] = py;
            }
          else
            note (ctx, r, "not_snapped", FALSE, fid,
                  wants_example (r, "not_snapped")
                    ? g_strdup_printf ("feature %" G_GINT64_FORMAT ": no pole within %.2f m of its %s (%.2f, %.2f)",
                                       fid, tol, i == 0 ? "start" : "end", line->xy[2 * i], line->xy[2 * i + 1])
                    : NULL);
        }
      if (i == 0)
        {
          start_pole = pole;
          continue;
        }
      if (pole == 0 && i != n - 1)
        continue;
      /* A pole at vertex i (or the line's end): the span start..i. */
      {
        char sfx[48];
        const char *piece_suffix = suffix;

        if (i != n - 1 || piece_no > 0)
          {
            g_snprintf (sfx, sizeof sfx, "%s/%u", suffix ? suffix : "", ++piece_no);
            piece_suffix = sfx;
          }
        ngam_shape_begin (r->piece, NGAM_SHAPE_LINESTRING);
        ngam_shape_new_part (r->piece);
        for (guint k = start; k <= i; k++)
          ngam_shape_add_point (r->piece, k == i && pole ? px : line->xy[2 * k],
                                k == i && pole ? py : line->xy[2 * k + 1]);
        ngam_shape_finish (r->piece);
        if (ngam_import_distinct_points (r->piece) >= 2 &&
            !put_piece (ctx, r, r->piece, piece_suffix, start_pole, pole))
          return FALSE;
        start = i;
        start_pole = pole;
        if (pole && i != n - 1)
          {
            line->xy[2 * i] = px;
            line->xy[2 * i + 1] = py;
          }
      }
    }
  if (piece_no > 1)
    note (ctx, r, "split_at_poles", FALSE, fid, NULL);
  return TRUE;
}

/* One feature: OGR's, or a record of ngam-shapefile.c's. */
typedef struct
{
  gint64               fid;
  OGRFeatureH          ogr;
  const NgamShpRecord *shp;
} Feature;

/* The feature's geometry as ISO WKB in *@wkb (borrowed), or FALSE when it
 * has none to import (noted). */
static gboolean
feature_wkb (NgamImportContext *ctx, NgamImportReader *r, const Feature *feat, const guint8 **wkb, gsize *size)
{
  OGRGeometryH g, linear = NULL;

  if (feat->shp)
    {
      if (feat->shp->status == NGAM_SHP_NULL)
        {
          note (ctx, r, "null_geometry", TRUE, feat->fid, NULL);
          return FALSE;
        }
      *wkb = feat->shp->wkb->data;
      *size = feat->shp->wkb->len;
      return TRUE;
    }
  g = OGR_F_GetGeometryRef (feat->ogr);
  if (g == NULL)
    {
      note (ctx, r, "null_geometry", TRUE, feat->fid, NULL);
      return FALSE;
    }
  if (OGR_G_IsEmpty (g))
    {
      note (ctx, r, "empty_geometry", TRUE, feat->fid, NULL);
      return FALSE;
    }
  if (OGR_G_HasCurveGeometry (g, TRUE))
    {
      g = linear = OGR_G_GetLinearGeometry (g, 0, NULL);
      note (ctx, r, "curves_linearised", FALSE, feat->fid, NULL);
    }
  *size = OGR_G_WkbSize (g);
  g_byte_array_set_size (r->wkb, *size);
  OGR_G_ExportToIsoWkb (g, wkbNDR, r->wkb->data);
  if (linear)
    OGR_G_DestroyGeometry (linear);
  *wkb = r->wkb->data;
  return TRUE;
}

/* Where a feature outside the project's area lies, in degrees, and a CRS
 * that would fit it (ngam_crs_choose_for_extent()). */
static char *
outside_project_message (const NgamImportContext *ctx,
                         const NgamShape         *s)
{
  g_autoptr(NgamCrs) wgs84 = ngam_crs_new ("EPSG:4326", NULL);
  g_autoptr(NgamTransform) back = wgs84 ? ngam_transform_new (ctx->project_crs, wgs84, NULL) : NULL;
  g_autofree char *reason = NULL;
  double w, so, e, n, ll[2] = { s->xy[0], s->xy[1] };
  GString *m = g_string_new (NULL);
  int code;

  ngam_crs_get_area_of_use (ctx->project_crs, &w, &so, &e, &n);
  if (back && ngam_transform_points (back, ll, 1, NULL))
    g_string_append_printf (m, "it lies at %.4f° E, %.4f° N,", ll[0], ll[1]);
  else
    g_string_append_printf (m, "it lies at (%.0f, %.0f) in the project CRS,", s->xy[0], s->xy[1]);
  g_string_append_printf (m, " far outside the area of the project's CRS %s (%.2f…%.2f° E, %.2f…%.2f° N); "
                             "nothing was imported. Is this the right project, and the source's CRS right?",
                          ngam_crs_get_name (ctx->project_crs), w, e, so, n);
  if (back && fabs (ll[0]) <= 180 && fabs (ll[1]) <= 90 &&
      (code = ngam_crs_choose_for_extent (ll[0], ll[1], ll[0], ll[1], &reason, NULL)) > 0)
    g_string_append_printf (m, " A project for these data would use EPSG:%d (%s)", code, reason ? reason : "");
  return g_string_free (m, FALSE);
}

/* FALSE with @error set for what stops the import (a feature that shows
 * the whole file wrong); FALSE without it when the writer stopped. */
static gboolean
import_feature (NgamImportContext *ctx, NgamImportReader *r, const Feature *feat, GError **error)
{
  NgamImportSource *src = r->src;
  gint64 fid = feat->fid;
  NgamShapeType want = ngam_layer_info (ctx->opt->kind)->shape;
  NgamShape *s = r->shape;
  gboolean had_zm = FALSE;
  g_autoptr(GError) local = NULL;
  NgamImportBatch *b = current_batch (ctx, r);
  const guint8 *wkb = NULL;
  gsize size = 0;
  guint n_parts;

  if (b == NULL)
    return FALSE;
  b->read++;
  r->n_read++;
  if (feat->shp)
    read_dbf_values (r, feat->shp->dbf);
  else
    read_values (r, feat->ogr);
  if (!passes_filter (ctx, r, fid))
    {
      b->filtered++;
      return TRUE;
    }
  if (!feature_wkb (ctx, r, feat, &wkb, &size))
    return TRUE;
  if (!ngam_shape_from_wkb (s, wkb, size, &had_zm, &local))
    {
      note (ctx, r, "wrong_geometry_type", TRUE, fid,
            wants_example (r, "wrong_geometry_type")
              ? g_strdup_printf ("feature %" G_GINT64_FORMAT ": %s", fid, local->message) : NULL);
      return TRUE;
    }
  if (had_zm)
    note (ctx, r, "z_m_dropped", FALSE, fid, NULL);
  if (s->n_points == 0)
    {
      note (ctx, r, "empty_geometry", TRUE, fid, NULL);
      return TRUE;
    }
  /* A vertex that is not a number is skipped with its feature, in a line
   * as in a point (WKB writes an empty point as NaN, NaN: that one is
   * empty above), never taken for a file in the wrong CRS. */
  for (guint i = 0; i < s->n_points; i++)
    if (!isfinite (s->xy[2 * i]) || !isfinite (s->xy[2 * i + 1]))
      {
        note (ctx, r, "not_a_number", TRUE, fid,
              wants_example (r, "not_a_number")
                ? g_strdup_printf ("feature %" G_GINT64_FORMAT ": vertex %u has a coordinate that is not a number "
                                   "(%g, %g)", fid, i + 1, s->xy[2 * i], s->xy[2 * i + 1])
                : NULL);
        return TRUE;
      }

  /* Plausible in the source CRS?  Not a skip: a file with swapped axes
   * or degrees in a metric CRS is wrong as a whole. */
  if (!(s->bbox[0] >= src->plausible[0] && s->bbox[2] <= src->plausible[2] &&
        s->bbox[1] >= src->plausible[1] && s->bbox[3] <= src->plausible[3]))
    {
      g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_COORDINATES,
                   _("%s, feature %lld: coordinates (%.6g, %.6g) cannot be in %s (expected x %.6g…%.6g, "
                     "y %.6g…%.6g): are the axes swapped, or the coordinates in degrees while the CRS is in "
                     "metres (or the reverse)? Give the right CRS for the source"),
                   src->display, (long long) fid, s->xy[0], s->xy[1], ngam_crs_get_name (src->crs),
                   src->plausible[0], src->plausible[2], src->plausible[1], src->plausible[3]);
      return FALSE;
    }
  if (!ngam_transform_is_identity (src->transform))
    {
      if (!ngam_transform_points (src->transform, s->xy, s->n_points, &local))
        {
          g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_COORDINATES, "%s, feature %" G_GINT64_FORMAT ": %s",
                       src->display, fid, local->message);
          return FALSE;
        }
      s->bbox[0] = s->bbox[1] = INFINITY;
      s->bbox[2] = s->bbox[3] = -INFINITY;
      for (guint i = 0; i < s->n_points; i++)
        {
          s->bbox[0] = MIN (s->bbox[0], s->xy[2 * i]);
          s->bbox[1] = MIN (s->bbox[1], s->xy[2 * i + 1]);
          s->bbox[2] = MAX (s->bbox[2], s->xy[2 * i]);
          s->bbox[3] = MAX (s->bbox[3], s->xy[2 * i + 1]);
        }
    }

  /* Inside the project's area?  Bayreuth's poles in the Huế project landed
   * 6,000 km away without a word.  Wrong as a whole, like the above. */
  if (!(s->bbox[0] >= ctx->project_box[0] && s->bbox[2] <= ctx->project_box[2] &&
        s->bbox[1] >= ctx->project_box[1] && s->bbox[3] <= ctx->project_box[3]))
    {
      g_autofree char *where = outside_project_message (ctx, s);

      g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_COORDINATES, "%s, feature %" G_GINT64_FORMAT ": %s",
                   src->display, fid, where);
      return FALSE;
    }

  /* Fit the shape to the kind. */
  if (want == NGAM_SHAPE_POINT && ngam_import_polygon_shape (s->type))
    {
      if (!ngam_import_point_on_surface (s, &local))
        {
          note (ctx, r, "invalid_unrepairable", TRUE, fid,
                wants_example (r, "invalid_unrepairable")
                  ? g_strdup_printf ("feature %" G_GINT64_FORMAT ": %s", fid, local->message) : NULL);
          return TRUE;
        }
      note (ctx, r, "polygon_to_point", FALSE, fid, NULL);
    }
  if (!((want == NGAM_SHAPE_POINT && (s->type == NGAM_SHAPE_POINT || s->type == NGAM_SHAPE_MULTIPOINT)) ||
        (want == NGAM_SHAPE_LINESTRING && (s->type == NGAM_SHAPE_LINESTRING || s->type == NGAM_SHAPE_MULTILINESTRING)) ||
        (want == NGAM_SHAPE_MULTIPOLYGON && ngam_import_polygon_shape (s->type))))
    {
      note (ctx, r, "wrong_geometry_type", TRUE, fid,
            wants_example (r, "wrong_geometry_type")
              ? g_strdup_printf ("feature %" G_GINT64_FORMAT " is a %s; %s need %s", fid,
                                 ngam_shape_type_name (s->type), ngam_layer_info (ctx->opt->kind)->name,
                                 ngam_shape_type_name (want))
              : NULL);
      return TRUE;
    }

  /* the template: names set once (ngam_import_reader_new()), values per
   * feature, its raw attributes are r->attrs */
  r->feature->source_fid = fid;
  make_key (r, fid);
  set_values (ctx, r, fid);
  if (r->op_src->len > 0)
    set_operator (ctx, r, fid);

  if (want == NGAM_SHAPE_MULTIPOLYGON)
    {
      /* One feature, all its polygons, made valid. */
      gboolean repaired = FALSE;
      g_autofree char *reason = NULL;

      ngam_import_extract_part (s, 0, want, r->piece);
      if (s->n_polys > 1)
        {
          ngam_shape_begin (r->piece, want);
          for (guint p = 0; p < s->n_polys; p++)
            {
              ngam_shape_new_poly (r->piece);
              for (guint rr = s->poly_start[p]; rr < s->poly_start[p + 1]; rr++)
                {
                  ngam_shape_new_part (r->piece);
                  for (guint i = s->part_start[rr]; i < s->part_start[rr + 1]; i++)
                    ngam_shape_add_point (r->piece, s->xy[2 * i], s->xy[2 * i + 1]);
                }
            }
          ngam_shape_finish (r->piece);
        }
      if (!ngam_import_repair_polygon (r->piece, &reason, &repaired, &local))
        {
          note (ctx, r, "invalid_unrepairable", TRUE, fid,
                wants_example (r, "invalid_unrepairable")
                  ? g_strdup_printf ("feature %" G_GINT64_FORMAT ": %s", fid,
                                     local ? local->message : reason ? reason : "nothing polygonal left")
                  : NULL);
          return TRUE;
        }
      if (repaired)
        {
          b = current_batch (ctx, r);
          if (b)
            b->repaired++;
          note (ctx, r, "repaired", FALSE, fid,
                wants_example (r, "repaired") ? g_strdup_printf ("feature %" G_GINT64_FORMAT ": %s", fid, reason) : NULL);
        }
      return put_piece (ctx, r, r->piece, NULL, 0, 0);
    }

  n_parts = s->type == NGAM_SHAPE_MULTIPOINT ? s->n_points : s->n_parts;
  if (n_parts > 1)
    note (ctx, r, "multipart_split", FALSE, fid, NULL);
  for (guint p = 0; p < n_parts; p++)
    {
      char suffix[24];
      NgamShape *piece = r->piece;

      if (n_parts > 1)
        g_snprintf (suffix, sizeof suffix, "/p%u", p + 1);
      if (s->type == NGAM_SHAPE_MULTIPOINT)
        {
          ngam_shape_begin (piece, NGAM_SHAPE_POINT);
          ngam_shape_new_part (piece);
          ngam_shape_add_point (piece, s->xy[2 * p], s->xy[2 * p + 1]);
          ngam_shape_finish (piece);
        }
      else
        ngam_import_extract_part (s, p, want, piece);
      if (!ngam_import_finite_shape (piece))
        {
          note (ctx, r, "invalid_unrepairable", TRUE, fid,
                wants_example (r, "invalid_unrepairable")
                  ? g_strdup_printf ("feature %" G_GINT64_FORMAT ": a coordinate is not a finite number", fid) : NULL);
          continue;
        }
      if (want == NGAM_SHAPE_LINESTRING && ngam_import_distinct_points (piece) < 2)
        {
          note (ctx, r, "degenerate_line", TRUE, fid,
                wants_example (r, "degenerate_line")
                  ? g_strdup_printf ("feature %" G_GINT64_FORMAT ": a line of zero length", fid) : NULL);
          continue;
        }
      if (ctx->opt->kind == NGAM_LAYER_SPANS)
        {
          /* put_span moves vertices and reuses r->piece */
          ngam_import_shape_assign (r->line, piece);
          if (!put_span (ctx, r, fid, r->line, n_parts > 1 ? suffix : NULL, error))
            return FALSE;
        }
      else if (!put_piece (ctx, r, piece, n_parts > 1 ? suffix : NULL, 0, 0))
        return FALSE;
    }
  return TRUE;
}

/* ---- one source --------------------------------------------------------------- */

/* Counts a feature read, and every 1024 checks for a cancellation and
 * tells the progress.  FALSE with @error set when cancelled. */
static gboolean
tick (NgamImportContext *ctx, NgamImportReader *r, gint64 *n, GError **error)
{
  ctx->done++;
  if (++*n % 1024 != 0)
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
    return FALSE;
  if (ctx->progress)
    ctx->progress (ctx->total > 0 ? MIN (1.0, (double) ctx->done / ctx->total) : -1.0,
                   r->src->display, ctx->progress_data);
  return TRUE;
}

/* A shapefile of points or lines, read without OGR (ngam-shapefile.c);
 * NULL when OGR reads this source. */
static NgamShpFile *
open_shapefile (NgamImportContext *ctx, NgamImportReader *r)
{
  NgamImportSource *src = r->src;
  GDALDriverH drv = GDALGetDatasetDriver (src->ds);
  g_autofree char *why = NULL;
  NgamShpFile *shp;
  gsize n = strlen (src->open_path);

  if (ctx->opt->read_through_ogr || drv == NULL || strcmp (GDALGetDriverShortName (drv), "ESRI Shapefile") != 0 ||
      n < 4 || g_ascii_strcasecmp (src->open_path + n - 4, ".shp") != 0)
    return NULL;
  shp = ngam_shp_open (src->open_path, &why);
  if (shp && (int) ngam_shp_n_fields (shp) != r->n_fields)
    why = g_strdup_printf ("OGR sees %d fields, the .dbf header %u", r->n_fields, ngam_shp_n_fields (shp));
  for (int i = 0; shp && why == NULL && i < r->n_fields; i++)
    {
      char t = ngam_shp_fields (shp)[i].type;

      if (t == 'C' ? r->types[i] != OFTString
                   : r->types[i] != OFTInteger && r->types[i] != OFTInteger64 && r->types[i] != OFTReal)
        why = g_strdup_printf ("OGR reads field %d of .dbf type '%c' as %s", i + 1, t, OGR_GetFieldTypeName (r->types[i]));
    }
  if (why)
    {
      g_debug ("%s: read through OGR: %s", src->display, why);
      g_clear_pointer (&shp, ngam_shp_close);
      return NULL;
    }
  g_debug ("%s: read as a shapefile without OGR", src->display);
  return shp;
}

/* Reads the records of r->shp; one that reader leaves to OGR is asked of
 * OGR by its id, and skipped when OGR cannot give it either (as OGR's own
 * reading would). */
static gboolean
run_shapefile (NgamImportContext *ctx, NgamImportReader *r, GError **error)
{
  NgamShpRecord rec;
  gint64 n = 0;

  while (ngam_shp_next (r->shp, &rec))
    {
      Feature feat = { rec.fid, NULL, &rec };
      gboolean ok;

      if (rec.status == NGAM_SHP_DELETED)
        continue;
      if (rec.status == NGAM_SHP_ASK_OGR)
        {
          feat.shp = NULL;
          feat.ogr = OGR_L_GetFeature (r->src->layer, rec.fid);
          if (feat.ogr == NULL)
            continue;
        }
      ok = import_feature (ctx, r, &feat, error);
      if (feat.ogr)
        OGR_F_Destroy (feat.ogr);
      if (!ok || !tick (ctx, r, &n, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
run_ogr (NgamImportContext *ctx, NgamImportReader *r, GError **error)
{
  OGRFeatureH f;
  gint64 n = 0;

  OGR_L_ResetReading (r->src->layer);
  while ((f = OGR_L_GetNextFeature (r->src->layer)) != NULL)
    {
      Feature feat = { OGR_F_GetFID (f), f, NULL };
      gboolean ok = import_feature (ctx, r, &feat, error);

      OGR_F_Destroy (f);
      if (!ok || !tick (ctx, r, &n, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * ngam_import_reader_run:
 *
 * Reads every feature of the reader's source into batches for the writer.
 *
 * Returns: FALSE with @error set on a failure or a cancellation; FALSE
 *   with @error unset when the writer stopped first (its error tells why).
 */
gboolean
ngam_import_reader_run (NgamImportReader   *r,
                        NgamImportContext  *ctx,
                        GError            **error)
{
  NgamImportSource *src = r->src;
  g_autoptr(GString) gdal_msg = g_string_new (NULL);
  gboolean ok;

  r->shp = open_shapefile (ctx, r);
  ngam_gdal_errors_push (gdal_msg);
  ok = r->shp ? run_shapefile (ctx, r, error) : run_ogr (ctx, r, error);
  ngam_gdal_errors_pop ();
  g_clear_pointer (&r->shp, ngam_shp_close);
  /* what is queued goes to the writer, also after a failure: the report
   * tells as far as the import got */
  flush (ctx, r);
  if (!ok)
    return FALSE;
  if (gdal_msg->len && CPLGetLastErrorType () >= CE_Failure && r->n_read < src->n_features)
    {
      g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_OPEN, "%s: reading stopped after %" G_GINT64_FORMAT
                   " of %" G_GINT64_FORMAT " features: %s", src->display, r->n_read, src->n_features,
                   gdal_msg->str);
      return FALSE;
    }
  return TRUE;
}
