/* ngam-import.c — importing operators' files into the project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One synchronous function, ngam_import_run(), for the CLI and (on a worker
 * thread) the desktop app.  Every source is opened and checked first (layer,
 * CRS, encoding), then all are read in one transaction: a failure or a
 * cancellation anywhere rolls everything back, so the project is exactly as
 * it was.  Features stream from OGR one at a time through reusable buffers;
 * what must be remembered across features (duplicates, keys, unchanged
 * rows) lives in SQLite TEMP tables (ngam-store-sync.c), so memory does not
 * grow with the file.
 *
 * Per feature: filter (profile) → geometry (null/empty skipped, curves
 * linearised, Z/M dropped) → plausibility in the source CRS (an error naming
 * the feature: swapped axes or degrees in a metric CRS must not be imported
 * somewhere in the sea) → reprojection → fitted to the kind (multi-parts
 * split, polygons given a point for point kinds) → validity (GEOSMakeValid
 * for polygons, zero-length lines skipped) → for spans: split at poles and
 * ends snapped to poles → exact duplicates dropped → matched by source key
 * (added, updated, unchanged, restored) → the newer file's missing keys
 * retired at the end.
 */
#define G_LOG_DOMAIN "ngam-io"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-context.h"
#include "ngam-import-source.h"
#include "ngam-store-sync.h"

G_DEFINE_QUARK (ngam-io-error-quark, ngam_io_error)

/* Where a model field's value comes from in one source. */
typedef struct
{
  int                     field;    /* model field index */
  const NgamProfileField *pf;       /* nullable */
  GArray                 *src;      /* int: source field index, or -1 - tag index */
  GPtrArray              *tags;     /* tag names for tag refs */
  GArray                 *special;  /* NgamSourceRefType per ref */
} FieldMap;

typedef struct
{
  NgamStore               *store;
  const NgamImportOptions *opt;
  NgamProfile             *profile;
  NgamImportReport        *report;
  NgamCrs                 *project_crs;
  NgamStoreSync           *sync;
  NgamStoreNearest        *poles;
  double                   snap_tolerance;
  const char              *operator_name;
  NgamProgressFunc         progress;
  gpointer                 progress_data;
  GCancellable            *cancellable;
  gint64                   total, done;
  /* per-feature buffers, reused */
  NgamFeature             *feature;
  NgamShape               *shape;
  NgamShape               *piece;
  GByteArray              *wkb;
  GString                 *attrs;
  GString                 *key;
  GPtrArray               *values;    /* decoded field text, per source field */
} Run;

typedef struct
{
  NgamImportSource *src;
  int               n_fields;
  char            **names;           /* decoded field names */
  OGRFieldType     *types;
  int               other_tags;      /* field index, or -1 */
  GArray           *maps;            /* FieldMap */
  GArray           *key_src;         /* int per key ref (as FieldMap.src) */
  GPtrArray        *key_tags;
  GArray           *key_special;
  GArray           *filter_src;      /* int per profile filter */
  GPtrArray        *filter_tags;
} Reader;

static void
field_map_clear (gpointer data)
{
  FieldMap *m = data;

  g_array_unref (m->src);
  g_ptr_array_unref (m->tags);
  g_array_unref (m->special);
}

static void
reader_free (Reader *r)
{
  if (r == NULL)
    return;
  g_strfreev (r->names);
  g_free (r->types);
  g_array_unref (r->maps);
  g_array_unref (r->key_src);
  g_ptr_array_unref (r->key_tags);
  g_array_unref (r->key_special);
  g_array_unref (r->filter_src);
  g_ptr_array_unref (r->filter_tags);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reader, reader_free)

/* ---- resolving references ------------------------------------------------ */

static int
find_field (Reader *r, const char *name)
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
resolve_ref (Reader              *r,
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

static Reader *
reader_new (Run *run, NgamImportSource *src)
{
  g_autoptr(Reader) r = g_new0 (Reader, 1);
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn (src->layer);
  const NgamLayerInfo *info = ngam_layer_info (run->opt->kind);
  NgamImportSourceReport *rep = src->report;

  r->src = src;
  r->n_fields = OGR_FD_GetFieldCount (defn);
  r->names = g_new0 (char *, r->n_fields + 1);
  r->types = g_new0 (OGRFieldType, MAX (r->n_fields, 1));
  r->other_tags = -1;
  r->maps = g_array_new (FALSE, TRUE, sizeof (FieldMap));
  g_array_set_clear_func (r->maps, field_map_clear);
  r->key_src = g_array_new (FALSE, FALSE, sizeof (int));
  r->key_tags = g_ptr_array_new_with_free_func (g_free);
  r->key_special = g_array_new (FALSE, FALSE, sizeof (int));
  r->filter_src = g_array_new (FALSE, FALSE, sizeof (int));
  r->filter_tags = g_ptr_array_new_with_free_func (g_free);

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
      FieldMap m = { (int) i, pf, g_array_new (FALSE, FALSE, sizeof (int)),
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
            g_ptr_array_add (rep->warnings,
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

  /* The key: the profile's, else an id-like field, else the feature id. */
  if (run->profile && run->profile->key->len > 0)
    {
      g_autoptr(GString) desc = g_string_new (NULL);

      for (guint k = 0; k < run->profile->key->len; k++)
        {
          g_autofree char *t = ngam_source_ref_to_string (run->profile->key->pdata[k]);

          if (!resolve_ref (r, run->profile->key->pdata[k], r->key_src, r->key_tags, r->key_special))
            g_ptr_array_add (rep->warnings, g_strdup_printf ("the profile's key field %s is not in this source", t));
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
  return g_steal_pointer (&r);
}

/* ---- reading values --------------------------------------------------------- */

/* Text of source field @idx (or tag) for the current feature; borrowed. */
static const char *
ref_text (Run *run, Reader *r, int idx, const char *tag, int special, OGRFeatureH f,
          char **owned)
{
  *owned = NULL;
  if (idx >= 0)
    return run->values->pdata[idx];
  if (idx == -1 && r->other_tags >= 0 && run->values->pdata[r->other_tags])
    return *owned = ngam_hstore_get (run->values->pdata[r->other_tags], tag);
  if (special == NGAM_SOURCE_REF_FID)
    return *owned = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) OGR_F_GetFID (f));
  if (special == NGAM_SOURCE_REF_KEY)
    return run->key->str;
  return NULL;
}

static void
json_escape (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

/* Decodes every field of @f into run->values and writes the raw
 * attributes as a JSON object into run->attrs. */
static void
read_values (Run *run, Reader *r, OGRFeatureH f)
{
  g_ptr_array_set_size (run->values, 0);
  g_string_assign (run->attrs, "{");
  for (int i = 0; i < r->n_fields; i++)
    {
      char *text = NULL;

      if (i > 0)
        g_string_append_c (run->attrs, ',');
      json_escape (run->attrs, r->names[i]);
      g_string_append_c (run->attrs, ':');
      if (!OGR_F_IsFieldSetAndNotNull (f, i) || r->types[i] == OFTBinary)
        {
          g_string_append (run->attrs, "null");
          g_ptr_array_add (run->values, NULL);
          continue;
        }
      switch (r->types[i])
        {
        case OFTInteger:
        case OFTInteger64:
          text = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) OGR_F_GetFieldAsInteger64 (f, i));
          g_string_append (run->attrs, text);
          break;
        case OFTReal:
          {
            double d = OGR_F_GetFieldAsDouble (f, i);
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            if (isfinite (d))
              {
                text = g_strdup (g_ascii_dtostr (buf, sizeof buf, d));
                g_string_append (run->attrs, text);
              }
            else
              g_string_append (run->attrs, "null");
            break;
          }
        case OFTString:
          text = ngam_decoder_decode (r->src->decoder, OGR_F_GetFieldAsString (f, i), -1);
          json_escape (run->attrs, text);
          break;
        default:
          text = g_strdup (OGR_F_GetFieldAsString (f, i));
          json_escape (run->attrs, text);
          break;
        }
      g_ptr_array_add (run->values, text);
    }
  g_string_append_c (run->attrs, '}');
}

static gboolean
passes_filter (Run *run, Reader *r, OGRFeatureH f)
{
  if (run->profile == NULL)
    return TRUE;
  for (guint k = 0; k < run->profile->filters->len; k++)
    {
      NgamProfileFilter *flt = run->profile->filters->pdata[k];
      int idx = g_array_index (r->filter_src, int, k);
      g_autofree char *owned = NULL;
      g_autofree char *folded = NULL;
      const char *v = idx == -3 ? NULL : ref_text (run, r, idx, r->filter_tags->pdata[k], NGAM_SOURCE_REF_FIELD, f, &owned);
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
make_key (Run *run, Reader *r, OGRFeatureH f)
{
  g_string_truncate (run->key, 0);
  for (guint k = 0; k < r->key_src->len; k++)
    {
      g_autofree char *owned = NULL;
      const char *v = ref_text (run, r, g_array_index (r->key_src, int, k), r->key_tags->pdata[k],
                                g_array_index (r->key_special, int, k), f, &owned);

      if (k > 0)
        g_string_append_c (run->key, '-');
      g_string_append (run->key, v ? v : "");
    }
  if (run->key->len == 0 || strspn (run->key->str, "-") == run->key->len)
    g_string_printf (run->key, "fid:%" G_GINT64_FORMAT, (gint64) OGR_F_GetFID (f));
}

/* Parses a number as operators write them: "3.5", "3,5", "12 m". */
static gboolean
parse_number (const char *text, double *out)
{
  g_autofree char *t = g_strstrip (g_strdup (text));
  char *end;

  if (strchr (t, ',') && !strchr (t, '.'))
    *strchr (t, ',') = '.';
  *out = g_ascii_strtod (t, &end);
  if (end == t || !isfinite (*out))
    return FALSE;
  while (*end == ' ')
    end++;
  return *end == '\0' || g_ascii_isalpha (*end);
}

static void
set_values (Run *run, Reader *r, OGRFeatureH f, gint64 fid)
{
  NgamFeature *feat = run->feature;
  const NgamLayerInfo *info = ngam_layer_info (feat->kind);

  for (guint i = 0; i < r->maps->len; i++)
    {
      FieldMap *m = &g_array_index (r->maps, FieldMap, i);
      const NgamFieldInfo *fi = &info->fields[m->field];
      g_autofree char *owned = NULL;
      g_autofree char *mapped = NULL;
      const char *v = NULL;
      g_autoptr(GError) error = NULL;

      for (guint k = 0; k < m->src->len && (v == NULL || *v == '\0'); k++)
        {
          g_clear_pointer (&owned, g_free);
          v = ref_text (run, r, g_array_index (m->src, int, k), m->tags->pdata[k],
                        g_array_index (m->special, int, k), f, &owned);
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
        continue;
      if ((fi->type == NGAM_FIELD_REAL || fi->type == NGAM_FIELD_INT) && (m->pf == NULL || m->pf->unit_factor != 1.0 || TRUE))
        {
          double d;

          if (parse_number (v, &d))
            {
              char buf[G_ASCII_DTOSTR_BUF_SIZE];

              if (m->pf)
                d *= m->pf->unit_factor;
              if (fi->type == NGAM_FIELD_INT)
                mapped = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) llround (d));
              else
                mapped = g_strdup (g_ascii_dtostr (buf, sizeof buf, d));
              v = mapped;
            }
        }
      if (!ngam_feature_set_by_name (feat, fi->name, v, &error))
        {
          g_autofree char *msg = g_strdup_printf ("feature %" G_GINT64_FORMAT ": %s", fid, error->message);

          ngam_import_note (r->src->report, "bad_value", FALSE, fid, msg);
        }
    }
}

/* ---- geometry --------------------------------------------------------------- */

static guint64
hash_bytes (guint64 h, const void *data, gsize len)
{
  const guint8 *p = data;

  /* FNV-1a, 64 bits. */
  for (gsize i = 0; i < len; i++)
    {
      h ^= p[i];
      h *= 0x100000001b3ULL;
    }
  return h;
}

/* Copies part @part (or polygon @part for polygon types) of @s into @out
 * as the layer's single type. */
static void
extract_part (const NgamShape *s, guint part, NgamShapeType want, NgamShape *out)
{
  ngam_shape_begin (out, want);
  if (want == NGAM_SHAPE_MULTIPOLYGON)
    {
      guint r0 = s->type == NGAM_SHAPE_POLYGON || s->type == NGAM_SHAPE_MULTIPOLYGON ? s->poly_start[part] : 0;
      guint r1 = s->poly_start[part + 1];

      ngam_shape_new_poly (out);
      for (guint r = r0; r < r1; r++)
        {
          ngam_shape_new_part (out);
          for (guint i = s->part_start[r]; i < s->part_start[r + 1]; i++)
            ngam_shape_add_point (out, s->xy[2 * i], s->xy[2 * i + 1]);
        }
    }
  else
    {
      ngam_shape_new_part (out);
      for (guint i = s->part_start[part]; i < s->part_start[part + 1]; i++)
        ngam_shape_add_point (out, s->xy[2 * i], s->xy[2 * i + 1]);
    }
  ngam_shape_finish (out);
}

static gboolean
polygon_shape (NgamShapeType t)
{
  return t == NGAM_SHAPE_POLYGON || t == NGAM_SHAPE_MULTIPOLYGON;
}

/* Makes @piece (a multipolygon) valid; FALSE when nothing polygonal is
 * left.  @reason gets GEOS's diagnosis when it was repaired. */
static gboolean
repair_polygon (NgamShape *piece, char **reason, gboolean *repaired, GError **error)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  GEOSGeometry *g = ngam_shape_to_geos (piece, error);
  GEOSGeometry *fixed, *polys;
  g_autoptr(GPtrArray) parts = NULL;
  gboolean ok;

  *repaired = FALSE;
  if (g == NULL)
    return FALSE;
  if (GEOSisValid_r (h, g) == 1)
    {
      GEOSGeom_destroy_r (h, g);
      return TRUE;
    }
  {
    char *why = GEOSisValidReason_r (h, g);

    *reason = g_strdup (why ? why : "invalid");
    GEOSFree_r (h, why);
  }
  fixed = GEOSMakeValid_r (h, g);
  GEOSGeom_destroy_r (h, g);
  if (fixed == NULL)
    {
      g_set_error (error, NGAM_GEOM_ERROR, NGAM_GEOM_ERROR_GEOS, "GEOSMakeValid failed: %s", ngam_geos_last_error ());
      return FALSE;
    }
  /* Keep the polygonal part of what MakeValid returns (it may add the
   * collapsed pieces as lines or points). */
  parts = g_ptr_array_new ();
  for (int i = 0; i < GEOSGetNumGeometries_r (h, fixed); i++)
    {
      const GEOSGeometry *p = GEOSGetGeometryN_r (h, fixed, i);
      int t = GEOSGeomTypeId_r (h, p);

      if (t == GEOS_POLYGON && !GEOSisEmpty_r (h, p))
        g_ptr_array_add (parts, GEOSGeom_clone_r (h, p));
      else if (t == GEOS_MULTIPOLYGON)
        for (int j = 0; j < GEOSGetNumGeometries_r (h, p); j++)
          g_ptr_array_add (parts, GEOSGeom_clone_r (h, GEOSGetGeometryN_r (h, p, j)));
    }
  GEOSGeom_destroy_r (h, fixed);
  if (parts->len == 0)
    return FALSE;
  polys = GEOSGeom_createCollection_r (h, GEOS_MULTIPOLYGON, (GEOSGeometry **) parts->pdata, parts->len);
  ok = polys && ngam_shape_from_geos (piece, polys, error);
  if (polys)
    GEOSGeom_destroy_r (h, polys);
  if (ok && piece->type == NGAM_SHAPE_POLYGON)
    piece->type = NGAM_SHAPE_MULTIPOLYGON;
  *repaired = ok;
  return ok;
}

static gboolean
point_on_surface (NgamShape *s, GError **error)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  GEOSGeometry *g = ngam_shape_to_geos (s, error);
  GEOSGeometry *p;
  gboolean ok;

  if (g == NULL)
    return FALSE;
  p = GEOSPointOnSurface_r (h, g);
  GEOSGeom_destroy_r (h, g);
  if (p == NULL)
    {
      g_set_error (error, NGAM_GEOM_ERROR, NGAM_GEOM_ERROR_GEOS, "no point on the polygon: %s", ngam_geos_last_error ());
      return FALSE;
    }
  ok = ngam_shape_from_geos (s, p, error);
  GEOSGeom_destroy_r (h, p);
  return ok;
}

static guint
distinct_points (const NgamShape *s)
{
  guint n = s->n_points > 0 ? 1 : 0;

  for (guint i = 1; i < s->n_points; i++)
    if (s->xy[2 * i] != s->xy[2 * i - 2] || s->xy[2 * i + 1] != s->xy[2 * i - 1])
      n++;
  return n;
}

/* ---- writing one piece -------------------------------------------------------- */

static gboolean
put_piece (Run *run, Reader *r, OGRFeatureH f, gint64 fid, const NgamShape *piece,
           const char *key_suffix, gint64 from_pole, gint64 to_pole, GError **error)
{
  NgamImportSourceReport *rep = r->src->report;
  NgamFeature *feat = run->feature;
  g_autofree char *key = NULL;
  gboolean dup = FALSE, collided = FALSE;
  guint64 h = 0xcbf29ce484222325ULL;
  NgamShape *saved;
  NgamSyncAction action;

  h = hash_bytes (h, &piece->type, sizeof piece->type);
  h = hash_bytes (h, piece->xy, sizeof (double) * 2 * piece->n_points);
  h = hash_bytes (h, run->attrs->str, run->attrs->len);
  if (!ngam_store_sync_note_duplicate (run->sync, h, &dup, error))
    return FALSE;
  if (dup)
    {
      ngam_import_note (rep, "duplicate", TRUE, fid, NULL);
      return TRUE;
    }
  {
    g_autofree char *k = g_strconcat (run->key->str, key_suffix ? key_suffix : "", NULL);

    key = ngam_store_sync_unique_key (run->sync, r->src->layer_name, k, &collided, error);
    if (key == NULL)
      return FALSE;
    if (collided)
      {
        g_autofree char *msg = g_strdup_printf ("key “%s” repeats; this one is stored as “%s”", k, key);

        ngam_import_note (rep, "key_collision", FALSE, fid, msg);
      }
  }
  g_free (feat->source_key);
  feat->source_key = g_steal_pointer (&key);
  if (run->opt->kind == NGAM_LAYER_SPANS)
    {
      int fi = ngam_layer_field_index (NGAM_LAYER_SPANS, "from_pole");
      int ti = ngam_layer_field_index (NGAM_LAYER_SPANS, "to_pole");

      if (from_pole > 0)
        ngam_feature_set_int (feat, fi, from_pole);
      else
        ngam_feature_set_null (feat, fi);
      if (to_pole > 0)
        ngam_feature_set_int (feat, ti, to_pole);
      else
        ngam_feature_set_null (feat, ti);
    }
  saved = feat->shape;
  feat->shape = (NgamShape *) piece;
  if (!ngam_store_sync_put (run->sync, feat, &action, error))
    {
      feat->shape = saved;
      g_prefix_error (error, "%s, feature %" G_GINT64_FORMAT ": ", r->src->display, fid);
      return FALSE;
    }
  feat->shape = saved;
  switch (action)
    {
    case NGAM_SYNC_ADDED: rep->added++; break;
    case NGAM_SYNC_UPDATED: rep->updated++; break;
    case NGAM_SYNC_UNCHANGED: rep->unchanged++; break;
    case NGAM_SYNC_RESTORED: rep->restored++; break;
    default: break;
    }
  return TRUE;
}

/* Spans: split at every vertex that is a pole, snap the ends to poles. */
static gboolean
put_span (Run *run, Reader *r, OGRFeatureH f, gint64 fid, NgamShape *line, const char *suffix, GError **error)
{
  NgamImportSourceReport *rep = r->src->report;
  double tol = run->snap_tolerance;
  guint n = line->n_points, start = 0, piece_no = 0;
  gint64 start_pole = 0;
  gboolean have_poles = run->poles && ngam_store_nearest_count (run->poles) > 0;
  gboolean split = run->profile && run->profile->split_at_poles;

  if (!have_poles)
    return put_piece (run, r, f, fid, line, suffix, 0, 0, error);
  for (guint i = 0; i < n; i++)
    {
      gint64 pole = 0;
      double px = 0, py = 0, d = 0;
      gboolean end = i == 0 || i == n - 1;

      if (!end && !split)
        continue;
      if (!ngam_store_nearest_find (run->poles, line->xy[2 * i], line->xy[2 * i + 1], tol, &pole, &px, &py, &d, error))
        return FALSE;
      if (end)
        {
          if (pole > 0)
            {
              g_autofree char *msg = g_strdup_printf ("feature %" G_GINT64_FORMAT " %s end moved %.3f m onto pole %" G_GINT64_FORMAT,
                                                      fid, i == 0 ? "start" : "finish", d, pole);

              if (d > 0)
                ngam_import_note (rep, "snapped", FALSE, fid, msg);
              line->xy[2 * i] = px;
              line->xy[2 * i + 1] = py;
            }
          else
            {
              g_autofree char *msg = g_strdup_printf ("feature %" G_GINT64_FORMAT ": no pole within %.2f m of its %s (%.2f, %.2f)",
                                                      fid, tol, i == 0 ? "start" : "end", line->xy[2 * i], line->xy[2 * i + 1]);

              ngam_import_note (rep, "not_snapped", FALSE, fid, msg);
            }
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
        g_autofree char *sfx = NULL;

        if (i == n - 1 && piece_no == 0)
          sfx = g_strdup (suffix ? suffix : "");
        else
          sfx = g_strdup_printf ("%s/%u", suffix ? suffix : "", ++piece_no);
        ngam_shape_begin (run->piece, NGAM_SHAPE_LINESTRING);
        ngam_shape_new_part (run->piece);
        for (guint k = start; k <= i; k++)
          ngam_shape_add_point (run->piece, k == i && pole ? px : line->xy[2 * k],
                                k == i && pole ? py : line->xy[2 * k + 1]);
        ngam_shape_finish (run->piece);
        if (distinct_points (run->piece) >= 2 &&
            !put_piece (run, r, f, fid, run->piece, sfx, start_pole, pole, error))
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
    ngam_import_note (rep, "split_at_poles", FALSE, fid, NULL);
  return TRUE;
}

static gboolean
import_feature (Run *run, Reader *r, OGRFeatureH f, GError **error)
{
  NgamImportSource *src = r->src;
  NgamImportSourceReport *rep = src->report;
  gint64 fid = OGR_F_GetFID (f);
  OGRGeometryH g = OGR_F_GetGeometryRef (f), linear = NULL;
  NgamShapeType want = ngam_layer_info (run->opt->kind)->shape;
  NgamShape *s = run->shape;
  gboolean had_zm = FALSE;
  g_autoptr(GError) local = NULL;
  guint n_parts;
  int size;

  rep->read++;
  read_values (run, r, f);
  if (!passes_filter (run, r, f))
    {
      rep->filtered++;
      return TRUE;
    }
  if (g == NULL)
    {
      ngam_import_note (rep, "null_geometry", TRUE, fid, NULL);
      return TRUE;
    }
  if (OGR_G_IsEmpty (g))
    {
      ngam_import_note (rep, "empty_geometry", TRUE, fid, NULL);
      return TRUE;
    }
  if (OGR_G_HasCurveGeometry (g, TRUE))
    {
      g = linear = OGR_G_GetLinearGeometry (g, 0, NULL);
      ngam_import_note (rep, "curves_linearised", FALSE, fid, NULL);
    }
  size = OGR_G_WkbSize (g);
  g_byte_array_set_size (run->wkb, size);
  OGR_G_ExportToIsoWkb (g, wkbNDR, run->wkb->data);
  if (linear)
    OGR_G_DestroyGeometry (linear);
  if (!ngam_shape_from_wkb (s, run->wkb->data, size, &had_zm, &local))
    {
      g_autofree char *msg = g_strdup_printf ("feature %" G_GINT64_FORMAT ": %s", fid, local->message);

      ngam_import_note (rep, "wrong_geometry_type", TRUE, fid, msg);
      return TRUE;
    }
  if (had_zm)
    ngam_import_note (rep, "z_m_dropped", FALSE, fid, NULL);
  if (s->n_points == 0)
    {
      ngam_import_note (rep, "empty_geometry", TRUE, fid, NULL);
      return TRUE;
    }

  /* Plausible in the source CRS?  Not a skip: a file with swapped axes
   * or degrees in a metric CRS is wrong as a whole. */
  if (!(s->bbox[0] >= src->plausible[0] && s->bbox[2] <= src->plausible[2] &&
        s->bbox[1] >= src->plausible[1] && s->bbox[3] <= src->plausible[3]))
    {
      g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_COORDINATES,
                   "%s, feature %" G_GINT64_FORMAT ": coordinates (%.6g, %.6g) cannot be in %s (expected x %.6g…%.6g, "
                   "y %.6g…%.6g): are the axes swapped, or the coordinates in degrees while the CRS is in metres "
                   "(or the reverse)? Give the right CRS with --crs",
                   src->display, fid, s->xy[0], s->xy[1], ngam_crs_get_name (src->crs),
                   src->plausible[0], src->plausible[2], src->plausible[1], src->plausible[3]);
      return FALSE;
    }
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

  /* Fit the shape to the kind. */
  if (want == NGAM_SHAPE_POINT && polygon_shape (s->type))
    {
      if (!point_on_surface (s, &local))
        {
          g_autofree char *msg = g_strdup_printf ("feature %" G_GINT64_FORMAT ": %s", fid, local->message);

          ngam_import_note (rep, "invalid_unrepairable", TRUE, fid, msg);
          return TRUE;
        }
      ngam_import_note (rep, "polygon_to_point", FALSE, fid, NULL);
    }
  if (!((want == NGAM_SHAPE_POINT && (s->type == NGAM_SHAPE_POINT || s->type == NGAM_SHAPE_MULTIPOINT)) ||
        (want == NGAM_SHAPE_LINESTRING && (s->type == NGAM_SHAPE_LINESTRING || s->type == NGAM_SHAPE_MULTILINESTRING)) ||
        (want == NGAM_SHAPE_MULTIPOLYGON && polygon_shape (s->type))))
    {
      g_autofree char *msg = g_strdup_printf ("feature %" G_GINT64_FORMAT " is a %s; %s need %s", fid,
                                              ngam_shape_type_name (s->type), ngam_layer_info (run->opt->kind)->name,
                                              ngam_shape_type_name (want));

      ngam_import_note (rep, "wrong_geometry_type", TRUE, fid, msg);
      return TRUE;
    }

  ngam_feature_reset (run->feature);
  run->feature->operator_name = g_strdup (run->operator_name);
  run->feature->source_file = g_strdup (src->display);
  run->feature->source_layer = g_strdup (src->layer_name);
  run->feature->source_fid = fid;
  run->feature->attrs = g_strdup (run->attrs->str);
  make_key (run, r, f);
  set_values (run, r, f, fid);

  if (want == NGAM_SHAPE_MULTIPOLYGON)
    {
      /* One feature, all its polygons, made valid. */
      gboolean repaired = FALSE;
      g_autofree char *reason = NULL;

      extract_part (s, 0, want, run->piece);
      if (s->n_polys > 1)
        {
          ngam_shape_begin (run->piece, want);
          for (guint p = 0; p < s->n_polys; p++)
            {
              ngam_shape_new_poly (run->piece);
              for (guint rr = s->poly_start[p]; rr < s->poly_start[p + 1]; rr++)
                {
                  ngam_shape_new_part (run->piece);
                  for (guint i = s->part_start[rr]; i < s->part_start[rr + 1]; i++)
                    ngam_shape_add_point (run->piece, s->xy[2 * i], s->xy[2 * i + 1]);
                }
            }
          ngam_shape_finish (run->piece);
        }
      if (!repair_polygon (run->piece, &reason, &repaired, &local))
        {
          g_autofree char *msg = g_strdup_printf ("feature %" G_GINT64_FORMAT ": %s", fid,
                                                  local ? local->message : reason ? reason : "nothing polygonal left");

          ngam_import_note (rep, "invalid_unrepairable", TRUE, fid, msg);
          return TRUE;
        }
      if (repaired)
        {
          g_autofree char *msg = g_strdup_printf ("feature %" G_GINT64_FORMAT ": %s", fid, reason);

          rep->repaired++;
          ngam_import_note (rep, "repaired", FALSE, fid, msg);
        }
      return put_piece (run, r, f, fid, run->piece, NULL, 0, 0, error);
    }

  n_parts = s->type == NGAM_SHAPE_MULTIPOINT ? s->n_points : s->n_parts;
  if (n_parts > 1)
    ngam_import_note (rep, "multipart_split", FALSE, fid, NULL);
  for (guint p = 0; p < n_parts; p++)
    {
      g_autofree char *suffix = n_parts > 1 ? g_strdup_printf ("/p%u", p + 1) : NULL;
      NgamShape *piece = run->piece;

      if (s->type == NGAM_SHAPE_MULTIPOINT)
        {
          ngam_shape_begin (piece, NGAM_SHAPE_POINT);
          ngam_shape_new_part (piece);
          ngam_shape_add_point (piece, s->xy[2 * p], s->xy[2 * p + 1]);
          ngam_shape_finish (piece);
        }
      else
        extract_part (s, p, want, piece);
      if (want == NGAM_SHAPE_LINESTRING && distinct_points (piece) < 2)
        {
          g_autofree char *msg = g_strdup_printf ("feature %" G_GINT64_FORMAT ": a line of zero length", fid);

          ngam_import_note (rep, "degenerate_line", TRUE, fid, msg);
          continue;
        }
      if (run->opt->kind == NGAM_LAYER_SPANS)
        {
          g_autoptr(NgamShape) line = ngam_shape_copy (piece);

          if (!put_span (run, r, f, fid, line, suffix, error))
            return FALSE;
        }
      else if (!put_piece (run, r, f, fid, piece, suffix, 0, 0, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- the run ------------------------------------------------------------------ */

static gboolean
import_source (Run *run, NgamImportSource *src, GError **error)
{
  g_autoptr(Reader) r = reader_new (run, src);
  g_autoptr(GString) gdal_msg = g_string_new (NULL);
  OGRFeatureH f;
  gint64 n = 0;

  OGR_L_ResetReading (src->layer);
  ngam_gdal_errors_push (gdal_msg);
  while ((f = OGR_L_GetNextFeature (src->layer)) != NULL)
    {
      gboolean ok = import_feature (run, r, f, error);

      OGR_F_Destroy (f);
      if (!ok)
        {
          ngam_gdal_errors_pop ();
          return FALSE;
        }
      run->done++;
      if (++n % 1024 == 0)
        {
          if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
            {
              ngam_gdal_errors_pop ();
              return FALSE;
            }
          if (run->progress)
            run->progress (run->total > 0 ? MIN (1.0, (double) run->done / run->total) : -1.0,
                           src->display, run->progress_data);
        }
    }
  ngam_gdal_errors_pop ();
  if (gdal_msg->len && CPLGetLastErrorType () >= CE_Failure && src->report->read < src->n_features)
    {
      g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_OPEN, "%s: reading stopped after %" G_GINT64_FORMAT
                   " of %" G_GINT64_FORMAT " features: %s", src->display, src->report->read, src->n_features,
                   gdal_msg->str);
      return FALSE;
    }
  return TRUE;
}

static double
project_snap_tolerance (NgamStore *store, const NgamProfile *profile)
{
  g_autofree char *meta = NULL;
  double t;

  if (profile && !isnan (profile->snap_tolerance_m))
    return profile->snap_tolerance_m;
  meta = ngam_store_dup_meta (store, "snap_tolerance_m");
  t = meta ? g_ascii_strtod (meta, NULL) : 0.5;
  return t > 0 ? t : 0.5;
}

/**
 * ngam_import_run:
 * @report: (out) (optional) (transfer full): what happened, also on
 *   failure (as far as it got)
 *
 * Imports @options->sources into @options->kind, all or nothing.
 *
 * Returns: TRUE on success; FALSE with @error set, the project unchanged.
 */
gboolean
ngam_import_run (NgamStore                *store,
                 const NgamImportOptions  *opt,
                 NgamImportReport        **report_out,
                 NgamProgressFunc          progress,
                 gpointer                  progress_data,
                 GCancellable             *cancellable,
                 GError                  **error)
{
  g_autoptr(NgamImportReport) report = ngam_import_report_new ();
  g_autoptr(NgamProfile) profile = NULL;
  g_autoptr(NgamCrs) project_crs = NULL;
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_import_source_free);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GTimer) timer = g_timer_new ();
  Run run = { 0 };
  gboolean ok = FALSE, began = FALSE;
  gint64 import_id;

  g_return_val_if_fail (store != NULL && opt != NULL, FALSE);
  g_return_val_if_fail (opt->kind < NGAM_N_LAYERS, FALSE);

  ngam_core_init ();
  report->project = g_strdup (ngam_store_get_path (store));
  report->kind = g_strdup (ngam_layer_info (opt->kind)->name);
  report->dry_run = opt->dry_run;
  if (report_out)
    *report_out = NULL;

  if (opt->sources == NULL || opt->sources[0] == NULL)
    {
      g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_INVALID, "no source to import");
      goto out;
    }
  if (opt->profile)
    {
      g_autofree char *path = ngam_profile_find (opt->profile, error);

      if (path == NULL || (profile = ngam_profile_load (path, error)) == NULL)
        goto out;
      report->profile = g_strdup (path);
      if (!ngam_profile_allows_kind (profile, opt->kind))
        {
          g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_INVALID, "the profile %s is not for %s",
                       path, ngam_layer_info (opt->kind)->name);
          goto out;
        }
    }
  report->operator_name = g_strdup (opt->operator_name ? opt->operator_name : profile ? profile->operator_name : NULL);
  project_crs = ngam_crs_new (ngam_store_get_crs (store), error);
  if (project_crs == NULL)
    goto out;

  /* Open and check everything before writing anything. */
  for (guint i = 0; opt->sources[i]; i++)
    {
      NgamImportSourceReport *rep = ngam_import_source_report_new (opt->sources[i]);
      NgamImportSource *src;

      g_ptr_array_add (report->sources, rep);
      src = ngam_import_source_open (opt->sources[i], opt, profile, project_crs, rep, error);
      if (src == NULL)
        goto out;
      g_ptr_array_add (sources, src);
      run.total += MAX (src->n_features, 0);
      g_string_append_printf (names, "%s%s", i ? "\n" : "", src->display);
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  if (!ngam_store_begin (store, error))
    goto out;
  began = TRUE;
  import_id = ngam_store_import_log_begin (store, names->str, ((NgamImportSource *) sources->pdata[0])->layer_name,
                                           opt->kind, report->operator_name, error);
  if (import_id == 0)
    goto out;
  report->import_id = import_id;

  run.store = store;
  run.opt = opt;
  run.profile = profile;
  run.report = report;
  run.project_crs = project_crs;
  run.operator_name = report->operator_name;
  run.progress = progress;
  run.progress_data = progress_data;
  run.cancellable = cancellable;
  run.snap_tolerance = project_snap_tolerance (store, profile);
  run.feature = ngam_feature_new (opt->kind);
  run.shape = ngam_shape_new ();
  run.piece = ngam_shape_new ();
  run.wkb = g_byte_array_new ();
  run.attrs = g_string_new (NULL);
  run.key = g_string_new (NULL);
  run.values = g_ptr_array_new_with_free_func (g_free);
  if (opt->kind == NGAM_LAYER_SPANS && (run.poles = ngam_store_nearest_new (store, NGAM_LAYER_POLES, error)) == NULL)
    goto out;
  run.sync = ngam_store_sync_new (store, opt->kind, run.operator_name, import_id, error);
  if (run.sync == NULL)
    goto out;

  for (guint i = 0; i < sources->len; i++)
    if (!import_source (&run, sources->pdata[i], error))
      goto out;

  {
    gint64 n_retired = 0;

    if (!ngam_store_sync_finish (run.sync, !opt->keep_missing, report->retired_fids, NGAM_IMPORT_MAX_LISTED,
                                 &n_retired, error))
      goto out;
    report->retired = n_retired;
  }
  for (guint i = 0; i < report->sources->len; i++)
    {
      NgamImportSourceReport *s = report->sources->pdata[i];

      report->added += s->added;
      report->updated += s->updated;
      report->unchanged += s->unchanged;
      report->restored += s->restored;
      report->skipped += s->skipped;
      report->repaired += s->repaired;
      if (run.poles && ngam_store_nearest_count (run.poles) == 0 && s->read > 0)
        g_ptr_array_add (s->warnings, g_strdup ("the project has no poles yet: span ends were not snapped "
                                                "(import the poles first)"));
    }
  report->seconds = g_timer_elapsed (timer, NULL);
  {
    g_autoptr(JsonNode) node = ngam_import_report_to_json (report);
    g_autofree char *json = json_to_string (node, FALSE);

    if (!ngam_store_import_log_finish (store, import_id, json, error))
      goto out;
  }
  g_clear_pointer (&run.sync, ngam_store_sync_free);
  if (opt->dry_run)
    {
      ngam_store_rollback (store);
      began = FALSE;
    }
  else if (!ngam_store_commit (store, error))
    goto out;
  else
    began = FALSE;
  if (progress)
    progress (1.0, NULL, progress_data);
  ok = TRUE;

out:
  g_clear_pointer (&run.sync, ngam_store_sync_free);
  g_clear_pointer (&run.poles, ngam_store_nearest_free);
  if (began)
    ngam_store_rollback (store);
  if (run.feature)
    ngam_feature_free (run.feature);
  ngam_shape_free (run.shape);
  ngam_shape_free (run.piece);
  if (run.wkb)
    g_byte_array_unref (run.wkb);
  if (run.attrs)
    g_string_free (run.attrs, TRUE);
  if (run.key)
    g_string_free (run.key, TRUE);
  if (run.values)
    g_ptr_array_unref (run.values);
  report->seconds = g_timer_elapsed (timer, NULL);
  if (!ok && error && *error && (*error)->domain == G_IO_ERROR && (*error)->code == G_IO_ERROR_CANCELLED)
    {
      g_clear_error (error);
      g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_CANCELLED, "import cancelled: the project is unchanged");
    }
  if (report_out)
    *report_out = g_steal_pointer (&report);
  return ok;
}
