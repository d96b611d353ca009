/* ngam-profile.c — import profiles: how an operator's fields map onto the model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A profile is a GKeyFile that people edit, so every mistake is reported
 * with the file, the line and the key, and nothing unknown is ignored
 * silently (a misspelt key would otherwise quietly do nothing).  Groups:
 *
 *   [profile]   name, description, kinds, crs, encoding, layer, operator,
 *               operator_field, key, snap_tolerance_m, split_at_poles,
 *               open_options
 *   [filter]    source_ref = value;value…   (or * for any non-empty)
 *   [fields]    model_field = source_ref;alternative…
 *   [values.F]  source value = model value  (* = any other value)
 *   [units]     model_field = unit of the source (mm, cm, m, km, in, ft)
 *   [defaults]  model_field = value when the source has none
 *
 * A source_ref is a field name, "tag:KEY" for an OpenStreetMap tag (a
 * field of that name, else the hstore in other_tags), "@key" or "@fid".
 * Lists are split on ';': a semicolon inside a field name or a value is
 * written "\;" (`code = ma\;cot;so_hieu` is the field "ma;cot", else
 * "so_hieu").
 *
 * The operator is not a model field but every feature's owner, so it has
 * keys of its own.  `operator = VNPT` says whose features a file holds.
 * `operator_field = chu_so_huu;don_vi` names the source fields (first
 * non-empty wins) that say it per feature, for the one shared file with
 * several operators' features a provincial inventory often is; each value
 * is trimmed and looked up in [values.operator] (case and Unicode form do
 * not matter; `*` for any other value; a value mapped to nothing counts as
 * empty), else taken as written.  A feature whose field is empty gets
 * the run's operator (@operator_name) when given, else `operator`, else
 * none (the report counts those: "no_operator").  So with operator_field,
 * the run's operator is only the fallback: the field wins.  A run that
 * reads operator_field matches re-imported features within the source
 * file, never within one operator (that would retire the other operators'
 * features: ngam-store-sync.c), and a source that has none of the fields
 * is an error (most likely the wrong profile), unless the run's operator
 * is given: then the whole source is that operator's, as without
 * operator_field, and the report warns.
 * [values.operator] without operator_field would do nothing: an error.
 */
#define G_LOG_DOMAIN "ngam-io"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ngam-crs.h"
#include "ngam-encoding.h"
#include "ngam-feature.h"
#include "ngam-profile.h"

G_DEFINE_QUARK (ngam-profile-error-quark, ngam_profile_error)

typedef struct
{
  const char *path;
  const char *data;
  gsize       len;
} Source;

/* The 1-based line of KEY in [GROUP] (of the group header if @key is NULL),
 * or 0.  GKeyFile keeps no line numbers, so the text is scanned again. */
static guint
find_line (const Source *src,
           const char   *group,
           const char   *key)
{
  g_auto(GStrv) lines = g_strsplit (src->data, "\n", -1);
  gboolean in_group = FALSE;

  for (guint i = 0; lines[i]; i++)
    {
      char *l = g_strstrip (lines[i]);

      if (*l == '#' || *l == ';' || *l == '\0')
        continue;
      if (*l == '[')
        {
          char *end = strrchr (l, ']');

          in_group = end && (gsize) (end - l - 1) == strlen (group) && strncmp (l + 1, group, end - l - 1) == 0;
          if (in_group && key == NULL)
            return i + 1;
          continue;
        }
      if (in_group && key)
        {
          char *eq = strchr (l, '=');

          if (eq)
            {
              g_autofree char *k = g_strndup (l, eq - l);

              if (strcmp (g_strstrip (k), key) == 0)
                return i + 1;
            }
        }
    }
  return 0;
}

static gboolean G_GNUC_PRINTF (5, 6)
fail (GError      **error,
      const Source *src,
      const char   *group,
      const char   *key,
      const char   *fmt,
      ...)
{
  va_list ap;
  g_autofree char *msg = NULL;
  guint line = find_line (src, group, key);

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (key)
    g_set_error (error, NGAM_PROFILE_ERROR, NGAM_PROFILE_ERROR_INVALID,
                 "%s:%u: [%s] %s: %s", src->path, line, group, key, msg);
  else
    g_set_error (error, NGAM_PROFILE_ERROR, NGAM_PROFILE_ERROR_INVALID,
                 "%s:%u: [%s]: %s", src->path, line, group, msg);
  return FALSE;
}

NgamSourceRef *
ngam_source_ref_parse (const char *text)
{
  NgamSourceRef *ref = g_new0 (NgamSourceRef, 1);
  g_autofree char *t = g_strstrip (g_strdup (text));

  if (g_ascii_strncasecmp (t, "tag:", 4) == 0)
    {
      ref->type = NGAM_SOURCE_REF_TAG;
      ref->name = g_strdup (t + 4);
    }
  else if (g_ascii_strcasecmp (t, "@key") == 0)
    ref->type = NGAM_SOURCE_REF_KEY;
  else if (g_ascii_strcasecmp (t, "@fid") == 0)
    ref->type = NGAM_SOURCE_REF_FID;
  else
    {
      ref->type = NGAM_SOURCE_REF_FIELD;
      ref->name = g_steal_pointer (&t);
    }
  return ref;
}

void
ngam_source_ref_free (NgamSourceRef *ref)
{
  if (ref == NULL)
    return;
  g_free (ref->name);
  g_free (ref);
}

char *
ngam_source_ref_to_string (const NgamSourceRef *ref)
{
  switch (ref->type)
    {
    case NGAM_SOURCE_REF_TAG: return g_strdup_printf ("tag:%s", ref->name);
    case NGAM_SOURCE_REF_KEY: return g_strdup ("@key");
    case NGAM_SOURCE_REF_FID: return g_strdup ("@fid");
    case NGAM_SOURCE_REF_FIELD:
    default: return g_strdup (ref->name);
    }
}

/* Returns: metres per @unit, or NAN. */
double
ngam_unit_to_metres (const char *unit)
{
  static const struct { const char *name; double m; } units[] = {
    { "mm", 0.001 }, { "cm", 0.01 }, { "dm", 0.1 }, { "m", 1 }, { "km", 1000 },
    { "in", 0.0254 }, { "inch", 0.0254 }, { "ft", 0.3048 }, { "foot", 0.3048 }, { "feet", 0.3048 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_ascii_strcasecmp (unit, units[i].name) == 0)
      return units[i].m;
  return NAN;
}

static void
field_free (gpointer data)
{
  NgamProfileField *f = data;

  g_free (f->model_field);
  g_ptr_array_unref (f->refs);
  if (f->values)
    g_hash_table_unref (f->values);
  g_free (f->values_other);
  g_free (f->default_value);
  g_free (f);
}

static void
filter_free (gpointer data)
{
  NgamProfileFilter *f = data;

  ngam_source_ref_free (f->ref);
  g_strfreev (f->values);
  g_free (f);
}

void
ngam_profile_free (NgamProfile *p)
{
  if (p == NULL)
    return;
  g_free (p->path);
  g_free (p->name);
  g_free (p->description);
  g_free (p->crs);
  g_free (p->encoding);
  g_free (p->layer);
  g_free (p->operator_name);
  if (p->operator_field)
    field_free (p->operator_field);
  g_ptr_array_unref (p->key);
  g_ptr_array_unref (p->filters);
  g_strfreev (p->open_options);
  g_ptr_array_unref (p->fields);
  g_free (p);
}

gboolean
ngam_profile_allows_kind (const NgamProfile *p,
                          NgamLayerKind      kind)
{
  return p->kinds == 0 || (p->kinds & (1u << kind)) != 0;
}

const NgamProfileField *
ngam_profile_get_field (const NgamProfile *p,
                        const char        *model_field)
{
  for (guint i = 0; i < p->fields->len; i++)
    {
      NgamProfileField *f = p->fields->pdata[i];

      if (strcmp (f->model_field, model_field) == 0)
        return f;
    }
  return NULL;
}

static NgamProfileField *
new_field (const char *model_field)
{
  NgamProfileField *f = g_new0 (NgamProfileField, 1);

  f->model_field = g_strdup (model_field);
  f->refs = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_source_ref_free);
  f->unit_factor = 1.0;
  return f;
}

static NgamProfileField *
get_or_add_field (NgamProfile *p,
                  const char  *model_field)
{
  NgamProfileField *f = (NgamProfileField *) ngam_profile_get_field (p, model_field);

  if (f)
    return f;
  f = new_field (model_field);
  g_ptr_array_add (p->fields, f);
  return f;
}

/* The field a [values.F] group fills: operator_field's for F = operator. */
static NgamProfileField *
values_field (NgamProfile *p,
              const char  *model_field)
{
  if (strcmp (model_field, "operator") == 0)
    return p->operator_field;
  return get_or_add_field (p, model_field);
}

/* The model's fields of the kinds the profile allows, "poles: code,
 * height_m…; spans: …", for a message that any front end can show. */
static char *
model_fields (const NgamProfile *p)
{
  GString *s = g_string_new (NULL);

  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      const NgamLayerInfo *info = ngam_layer_info (k);

      if (!ngam_profile_allows_kind (p, k))
        continue;
      g_string_append_printf (s, "%s%s:", s->len ? "; " : "", info->name);
      for (guint i = 0; i < info->n_fields; i++)
        g_string_append_printf (s, "%s%s", i ? ", " : " ", info->fields[i].name);
    }
  return g_string_free (s, FALSE);
}

/* The model field's info in the first kind that has it (and that the
 * profile allows), or NULL. */
static const NgamFieldInfo *
model_field_info (const NgamProfile *p,
                  const char        *name)
{
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      int i;

      if (!ngam_profile_allows_kind (p, k))
        continue;
      i = ngam_layer_field_index (k, name);
      if (i >= 0)
        return &ngam_layer_info (k)->fields[i];
    }
  return NULL;
}

static gboolean
check_model_field (const NgamProfile  *p,
                   const Source       *src,
                   const char         *group,
                   const char         *key,
                   GError            **error)
{
  if (model_field_info (p, key))
    return TRUE;
  if (strcmp (key, "operator") == 0)
    return fail (error, src, group, key,
                 "the operator is not a model field: name its source field with operator_field in "
                 "[profile] (and its spellings in [values.operator])");
  {
    g_autofree char *fields = model_fields (p);

    return fail (error, src, group, key,
                 p->kinds ? _("no layer this profile imports has a field “%s” (the model's fields: %s)")
                          : _("no layer has a field “%s” (the model's fields: %s)"),
                 key, fields);
  }
}

/* A value as the model field will take it, checked now rather than at the
 * thousandth feature. */
static gboolean
check_value (const NgamProfile  *p,
             const Source       *src,
             const char         *group,
             const char         *key,
             const char         *model_field,
             const char         *value,
             GError            **error)
{
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    if (ngam_profile_allows_kind (p, k) && ngam_layer_field_index (k, model_field) >= 0)
      {
        g_autoptr(NgamFeature) f = ngam_feature_new (k);
        g_autoptr(GError) local = NULL;

        if (!ngam_feature_set_by_name (f, model_field, value, &local))
          return fail (error, src, group, key, "%s", local->message);
        return TRUE;
      }
  return TRUE;
}

static GPtrArray *
parse_refs (const char *value)
{
  GPtrArray *refs = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_source_ref_free);
  g_autoptr(GString) cur = g_string_new (NULL);

  /* ';' separates alternatives; "\;" is a semicolon inside a field name. */
  for (const char *c = value;; c++)
    {
      if (*c == '\\' && c[1] == ';')
        {
          g_string_append_c (cur, ';');
          c++;
          continue;
        }
      if (*c == ';' || *c == '\0')
        {
          g_strstrip (cur->str);
          cur->len = strlen (cur->str);
          if (cur->len > 0)
            g_ptr_array_add (refs, ngam_source_ref_parse (cur->str));
          g_string_truncate (cur, 0);
          if (*c == '\0')
            break;
          continue;
        }
      g_string_append_c (cur, *c);
    }
  return refs;
}

/* "a; b;;c\;d" → { "a", "b", "c;d" }: the lists people write in a
 * profile, "\;" a semicolon inside an item as in parse_refs(). */
static GStrv
split_list (const char *value)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr(GString) cur = g_string_new (NULL);

  for (const char *c = value;; c++)
    {
      if (*c == '\\' && c[1] == ';')
        {
          g_string_append_c (cur, ';');
          c++;
          continue;
        }
      if (*c == ';' || *c == '\0')
        {
          g_strstrip (cur->str);
          if (*cur->str != '\0')
            g_strv_builder_add (b, cur->str);
          g_string_truncate (cur, 0);
          if (*c == '\0')
            break;
          continue;
        }
      g_string_append_c (cur, *c);
    }
  return g_strv_builder_end (b);
}

/* What one key of a group makes of its value.  @value is the text as
 * g_key_file_get_string() gives it (NULL when it cannot be read as text),
 * or the raw text for a group read with RAW_VALUES; the function may steal
 * it. */
typedef gboolean (*KeyLoader) (NgamProfile  *p,
                               const Source *src,
                               const char   *group,
                               const char   *key,
                               char        **value,
                               GError      **error);

typedef enum
{
  TEXT_VALUES,  /* GKeyFile's escapes read, except in the lists below */
  RAW_VALUES,   /* kept as written: "\;" is ours to read, not GKeyFile's */
} ValueKind;

/* The keys of [profile] that hold lists, where "\;" is a semicolon inside
 * an item.  They are read as written: GLib up to 2.74 passed "\;" through
 * g_key_file_get_string(), later versions refuse it as an escape of its
 * own, and the profile would not load. */
static gboolean
is_list_key (const char *group,
             const char *key)
{
  static const char *lists[] = { "kinds", "key", "open_options", NULL };

  return strcmp (group, "profile") == 0 && g_strv_contains (lists, key);
}

/* Every key of @group, in file order, through @load. */
static gboolean
load_group (NgamProfile  *p,
            GKeyFile     *kf,
            const char   *group,
            ValueKind     kind,
            KeyLoader     load,
            const Source *src,
            GError      **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (kf, group, NULL, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; keys && keys[i]; i++)
    {
      g_autofree char *v = NULL;

      /* GKeyFile keeps both lines of a key written twice (or of a group
       * written twice): which one was meant is not ours to guess */
      if (!g_hash_table_add (seen, keys[i]))
        return fail (error, src, group, keys[i], "given twice in [%s]; keep one", group);
      v = kind == RAW_VALUES || is_list_key (group, keys[i]) ? g_key_file_get_value (kf, group, keys[i], NULL)
                                                             : g_key_file_get_string (kf, group, keys[i], NULL);
      if (!load (p, src, group, keys[i], &v, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_bool (const char *v, gboolean *out)
{
  if (g_ascii_strcasecmp (v, "true") == 0 || g_ascii_strcasecmp (v, "yes") == 0 || strcmp (v, "1") == 0)
    *out = TRUE;
  else if (g_ascii_strcasecmp (v, "false") == 0 || g_ascii_strcasecmp (v, "no") == 0 || strcmp (v, "0") == 0)
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

static gboolean
load_profile_key (NgamProfile  *p,
                  const Source *src,
                  const char   *group,
                  const char   *k,
                  char        **value,
                  GError      **error)
{
  static const char *known[] = {
    "name", "description", "kinds", "crs", "encoding", "layer", "operator", "operator_field",
    "key", "snap_tolerance_m", "split_at_poles", "open_options", NULL
  };
  char *v = *value;

  if (!g_strv_contains (known, k))
    return fail (error, src, group, k, "unknown key (known: name, description, kinds, crs, "
                 "encoding, layer, operator, operator_field, key, snap_tolerance_m, split_at_poles, open_options)");
  if (v == NULL)
    return fail (error, src, group, k, "the value is not valid UTF-8 text");
  g_strstrip (v);
  if (strcmp (k, "name") == 0)
    p->name = g_steal_pointer (value);
  else if (strcmp (k, "description") == 0)
    p->description = g_steal_pointer (value);
  else if (strcmp (k, "kinds") == 0)
    {
      g_auto(GStrv) kinds = split_list (v);

      for (guint j = 0; kinds[j]; j++)
        {
          NgamLayerKind kind;

          if (!ngam_layer_kind_from_name (kinds[j], &kind))
            return fail (error, src, group, k, "“%s” is not a layer kind (%s)",
                         kinds[j], ngam_layer_kind_names ());
          p->kinds |= 1u << kind;
        }
    }
  else if (strcmp (k, "crs") == 0)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(NgamCrs) crs = ngam_crs_new (v, &local);

      if (crs == NULL)
        return fail (error, src, group, k, "%s", local->message);
      p->crs = g_steal_pointer (value);
    }
  else if (strcmp (k, "encoding") == 0)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(NgamDecoder) d = ngam_decoder_new (v, &local);

      if (d == NULL)
        return fail (error, src, group, k, "%s", local->message);
      p->encoding = g_steal_pointer (value);
    }
  else if (strcmp (k, "layer") == 0)
    p->layer = g_steal_pointer (value);
  else if (strcmp (k, "operator") == 0)
    p->operator_name = g_steal_pointer (value);
  else if (strcmp (k, "operator_field") == 0)
    {
      g_autoptr(GPtrArray) refs = parse_refs (v);

      if (refs->len == 0)
        return fail (error, src, group, k, "names no source field");
      for (guint j = 0; j < refs->len; j++)
        if (((NgamSourceRef *) refs->pdata[j])->type == NGAM_SOURCE_REF_KEY ||
            ((NgamSourceRef *) refs->pdata[j])->type == NGAM_SOURCE_REF_FID)
          return fail (error, src, group, k, "@key and @fid are not operators: name the field that holds them");
      if (p->operator_field == NULL)
        p->operator_field = new_field ("operator");
      g_ptr_array_unref (p->operator_field->refs);
      p->operator_field->refs = g_steal_pointer (&refs);
    }
  else if (strcmp (k, "key") == 0)
    {
      g_ptr_array_unref (p->key);
      p->key = parse_refs (v);
    }
  else if (strcmp (k, "snap_tolerance_m") == 0)
    {
      char *end;
      double t = g_ascii_strtod (v, &end);

      if (end == v || *end != '\0' || !(t >= 0) || !isfinite (t))
        return fail (error, src, group, k, "“%s” is not a distance in metres (≥ 0)", v);
      p->snap_tolerance_m = t;
    }
  else if (strcmp (k, "split_at_poles") == 0)
    {
      if (!parse_bool (v, &p->split_at_poles))
        return fail (error, src, group, k, "“%s” is not true or false", v);
    }
  else if (strcmp (k, "open_options") == 0)
    {
      g_auto(GStrv) opts = split_list (v);

      for (guint j = 0; opts[j]; j++)
        if (strchr (opts[j], '=') == NULL)
          return fail (error, src, group, k, "“%s” is not NAME=VALUE (a GDAL open option)", opts[j]);
      g_strfreev (p->open_options);
      p->open_options = g_steal_pointer (&opts);
    }
  return TRUE;
}

/* [fields] model_field = source_ref;alternative… */
static gboolean
load_field_key (NgamProfile  *p,
                const Source *src,
                const char   *group,
                const char   *key,
                char        **value,
                GError      **error)
{
  NgamProfileField *f;

  if (!check_model_field (p, src, group, key, error))
    return FALSE;
  f = get_or_add_field (p, key);
  g_ptr_array_unref (f->refs);
  f->refs = parse_refs (*value ? *value : "");
  if (f->refs->len == 0)
    return fail (error, src, group, key, "names no source field");
  return TRUE;
}

/* [values.F] source value = model value (* = any other value) */
static gboolean
load_value_key (NgamProfile  *p,
                const Source *src,
                const char   *group,
                const char   *key,
                char        **value,
                GError      **error)
{
  const char *model = group + strlen ("values.");
  NgamProfileField *f = values_field (p, model);
  g_autofree char *norm = NULL;

  if (*value == NULL)
    return fail (error, src, group, key, "the value is not valid UTF-8 text");
  g_strstrip (*value);
  if (!check_value (p, src, group, key, model, *value, error))
    return FALSE;
  if (strcmp (key, "*") == 0)
    {
      g_free (f->values_other);
      f->values_other = g_steal_pointer (value);
      return TRUE;
    }
  norm = g_utf8_normalize (key, -1, G_NORMALIZE_NFC);
  g_hash_table_replace (f->values, g_utf8_casefold (norm ? norm : key, -1), g_steal_pointer (value));
  return TRUE;
}

static gboolean
load_values (NgamProfile  *p,
             GKeyFile     *kf,
             const char   *group,
             const Source *src,
             GError      **error)
{
  const char *model = group + strlen ("values.");
  NgamProfileField *f;

  if (strcmp (model, "operator") == 0)
    {
      if (p->operator_field == NULL)
        return fail (error, src, group, NULL, "maps the values of operator_field, which [profile] does not set "
                     "(add operator_field = the source field that names each feature's operator)");
    }
  else if (model_field_info (p, model) == NULL)
    return fail (error, src, group, NULL, "no layer%s has a field “%s”",
                 p->kinds ? " this profile imports" : "", model);
  f = values_field (p, model);
  if (f->values == NULL)
    f->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return load_group (p, kf, group, TEXT_VALUES, load_value_key, src, error);
}

/* [units] model_field = unit of the source */
static gboolean
load_unit_key (NgamProfile  *p,
               const Source *src,
               const char   *group,
               const char   *key,
               char        **value,
               GError      **error)
{
  char *v = *value;
  const NgamFieldInfo *info;
  double from, to;

  if (!check_model_field (p, src, group, key, error))
    return FALSE;
  info = model_field_info (p, key);
  if (v)
    g_strstrip (v);
  if (info->type != NGAM_FIELD_REAL && info->type != NGAM_FIELD_INT)
    return fail (error, src, group, key, "%s is not a number field", key);
  to = info->unit ? ngam_unit_to_metres (info->unit) : NAN;
  from = v ? ngam_unit_to_metres (v) : NAN;
  if (isnan (to))
    return fail (error, src, group, key, "%s has no length unit to convert to", key);
  if (isnan (from))
    return fail (error, src, group, key, "“%s” is not a length unit (mm, cm, dm, m, km, in, ft)",
                 v ? v : "");
  get_or_add_field (p, key)->unit_factor = from / to;
  return TRUE;
}

/* [defaults] model_field = value when the source has none */
static gboolean
load_default_key (NgamProfile  *p,
                  const Source *src,
                  const char   *group,
                  const char   *key,
                  char        **value,
                  GError      **error)
{
  if (!check_model_field (p, src, group, key, error))
    return FALSE;
  if (*value == NULL)
    return fail (error, src, group, key, "the value is not valid UTF-8 text");
  g_strstrip (*value);
  if (!check_value (p, src, group, key, key, *value, error))
    return FALSE;
  get_or_add_field (p, key)->default_value = g_steal_pointer (value);
  return TRUE;
}

/* [filter] source_ref = value;value… (or * for any non-empty) */
static gboolean
load_filter_key (NgamProfile  *p,
                 const Source *src,
                 const char   *group,
                 const char   *key,
                 char        **value,
                 GError      **error)
{
  NgamProfileFilter *f;

  if (*value == NULL || *g_strstrip (*value) == '\0')
    return fail (error, src, group, key, "give the values to keep (a;b;c) or * for any");
  f = g_new0 (NgamProfileFilter, 1);
  f->ref = ngam_source_ref_parse (key);
  if (strcmp (*value, "*") != 0)
    {
      f->values = split_list (*value);
      for (guint j = 0; f->values[j]; j++)
        {
          char *folded = g_utf8_casefold (f->values[j], -1);

          g_free (f->values[j]);
          f->values[j] = folded;
        }
    }
  g_ptr_array_add (p->filters, f);
  return TRUE;
}

/* GKeyFile's syntax errors quote the bad line but give no number. */
static void
syntax_error (GError       **error,
              const Source  *src,
              const GError  *parse)
{
  const char *open = strstr (parse->message, "“");
  const char *close = open ? strstr (open + strlen ("“"), "”") : NULL;
  guint line = 0;

  if (open && close)
    {
      g_autofree char *bad = g_strndup (open + strlen ("“"), close - open - strlen ("“"));
      g_auto(GStrv) lines = g_strsplit (src->data, "\n", -1);

      for (guint i = 0; lines[i]; i++)
        if (*bad && strstr (lines[i], bad))
          {
            line = i + 1;
            break;
          }
    }
  g_set_error (error, NGAM_PROFILE_ERROR, NGAM_PROFILE_ERROR_SYNTAX,
               "%s:%u: %s", src->path, line, parse->message);
}

/**
 * ngam_profile_load_data:
 * @path: the file name to name in errors
 *
 * Returns: (transfer full): the profile, or %NULL with @error naming the
 *   file, the line and the key.
 */
NgamProfile *
ngam_profile_load_data (const char  *path,
                        const char  *data,
                        gsize        len,
                        GError     **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local = NULL;
  g_autoptr(NgamProfile) p = g_new0 (NgamProfile, 1);
  g_autofree char *text = g_strndup (data, len);
  Source src = { path, text, len };
  g_auto(GStrv) groups = NULL;

  p->path = g_strdup (path);
  p->key = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_source_ref_free);
  p->filters = g_ptr_array_new_with_free_func (filter_free);
  p->fields = g_ptr_array_new_with_free_func (field_free);
  p->snap_tolerance_m = NAN;
  if (!g_utf8_validate (text, len, NULL))
    {
      g_set_error (error, NGAM_PROFILE_ERROR, NGAM_PROFILE_ERROR_SYNTAX,
                   "%s: not UTF-8 text (save the profile as UTF-8)", path);
      return NULL;
    }
  if (!g_key_file_load_from_data (kf, text, len, G_KEY_FILE_NONE, &local))
    {
      syntax_error (error, &src, local);
      return NULL;
    }
  groups = g_key_file_get_groups (kf, NULL);
  for (guint i = 0; groups[i]; i++)
    if (strcmp (groups[i], "profile") != 0 && strcmp (groups[i], "filter") != 0 &&
        strcmp (groups[i], "fields") != 0 && strcmp (groups[i], "units") != 0 &&
        strcmp (groups[i], "defaults") != 0 && !g_str_has_prefix (groups[i], "values."))
      {
        fail (error, &src, groups[i], NULL,
              "unknown group (a profile has [profile], [filter], [fields], [values.FIELD], [units], [defaults])");
        return NULL;
      }
  /* [profile] first: its kinds restrict which model fields are valid. */
  if (!load_group (p, kf, "profile", TEXT_VALUES, load_profile_key, &src, error) ||
      !load_group (p, kf, "filter", RAW_VALUES, load_filter_key, &src, error) ||
      !load_group (p, kf, "fields", RAW_VALUES, load_field_key, &src, error) ||
      !load_group (p, kf, "units", TEXT_VALUES, load_unit_key, &src, error) ||
      !load_group (p, kf, "defaults", TEXT_VALUES, load_default_key, &src, error))
    return NULL;
  for (guint i = 0; groups[i]; i++)
    if (g_str_has_prefix (groups[i], "values.") && !load_values (p, kf, groups[i], &src, error))
      return NULL;
  if (p->name == NULL)
    {
      g_autofree char *base = g_path_get_basename (path);
      char *dot = strrchr (base, '.');

      if (dot)
        *dot = '\0';
      p->name = g_steal_pointer (&base);
    }
  return g_steal_pointer (&p);
}

NgamProfile *
ngam_profile_load (const char  *path,
                   GError     **error)
{
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(GError) local = NULL;

  if (!g_file_get_contents (path, &data, &len, &local))
    {
      g_set_error (error, NGAM_PROFILE_ERROR, NGAM_PROFILE_ERROR_NOT_FOUND,
                   "cannot read the profile %s: %s", path,
                   local->code == G_FILE_ERROR_NOENT ? "no such file" : local->message);
      return NULL;
    }
  return ngam_profile_load_data (path, data, len, error);
}

static const char *
profile_dirs (guint i)
{
  /* Installed first, then the source tree (running uninstalled). */
  static const char *dirs[] = { NGAM_DATADIR "/profiles", NGAM_SOURCE_DATADIR "/profiles" };

  return i < G_N_ELEMENTS (dirs) ? dirs[i] : NULL;
}

/**
 * ngam_profile_find:
 * @name_or_path: a file path, or the name of a shipped profile
 *   ("osm-streets" or "osm-streets.ini")
 *
 * Returns: (transfer full): the path to load, or %NULL with @error listing
 *   the shipped profiles.
 */
char *
ngam_profile_find (const char  *name_or_path,
                   GError     **error)
{
  g_autofree char *file = g_str_has_suffix (name_or_path, ".ini")
                          ? g_strdup (name_or_path) : g_strconcat (name_or_path, ".ini", NULL);
  g_auto(GStrv) names = NULL;
  g_autofree char *list = NULL;

  if (g_file_test (name_or_path, G_FILE_TEST_IS_REGULAR))
    return g_strdup (name_or_path);
  if (strchr (name_or_path, G_DIR_SEPARATOR) == NULL)
    for (guint i = 0; profile_dirs (i); i++)
      {
        g_autofree char *p = g_build_filename (profile_dirs (i), file, NULL);

        if (g_file_test (p, G_FILE_TEST_IS_REGULAR))
          return g_steal_pointer (&p);
      }
  names = ngam_profile_list_names ();
  list = g_strjoinv (", ", names);
  g_set_error (error, NGAM_PROFILE_ERROR, NGAM_PROFILE_ERROR_NOT_FOUND,
               "no profile “%s”: not a file, nor a shipped profile (%s)", name_or_path,
               *list ? list : "none installed");
  return NULL;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* Returns: (transfer full): the names of the shipped profiles, sorted. */
char **
ngam_profile_list_names (void)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; profile_dirs (i); i++)
    {
      g_autoptr(GDir) dir = g_dir_open (profile_dirs (i), 0, NULL);
      const char *n;

      while (dir && (n = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *base = NULL;
          gboolean seen = FALSE;

          if (!g_str_has_suffix (n, ".ini"))
            continue;
          base = g_strndup (n, strlen (n) - 4);
          for (guint j = 0; j < names->len; j++)
            seen = seen || strcmp (names->pdata[j], base) == 0;
          if (!seen)
            g_ptr_array_add (names, g_steal_pointer (&base));
        }
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}
