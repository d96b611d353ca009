/* ngam-feature.c — one feature of a layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "ngam-feature.h"
#include "ngam-store.h"

NgamFeature *
ngam_feature_new (NgamLayerKind kind)
{
  NgamFeature *f = g_new0 (NgamFeature, 1);
  const NgamLayerInfo *info = ngam_layer_info (kind);

  f->kind = kind;
  f->source_fid = -1;
  f->shape = ngam_shape_new ();
  f->n_values = info->n_fields;
  f->values = g_new0 (NgamValue, info->n_fields);
  for (guint i = 0; i < f->n_values; i++)
    f->values[i].is_null = TRUE;
  return f;
}

/* Clears everything but the kind, keeping buffers for the next row. */
void
ngam_feature_reset (NgamFeature *f)
{
  f->fid = 0;
  g_clear_pointer (&f->operator_name, g_free);
  g_clear_pointer (&f->source_file, g_free);
  g_clear_pointer (&f->source_layer, g_free);
  g_clear_pointer (&f->source_key, g_free);
  g_clear_pointer (&f->attrs, g_free);
  f->source_fid = -1;
  f->import_id = 0;
  f->retired = FALSE;
  ngam_shape_clear (f->shape);
  for (guint i = 0; i < f->n_values; i++)
    ngam_feature_set_null (f, i);
}

void
ngam_feature_free (NgamFeature *f)
{
  if (f == NULL)
    return;
  ngam_feature_reset (f);
  ngam_shape_free (f->shape);
  g_free (f->values);
  g_free (f);
}

NgamFeature *
ngam_feature_copy (const NgamFeature *f)
{
  NgamFeature *c = g_new0 (NgamFeature, 1);

  *c = *f;
  c->operator_name = g_strdup (f->operator_name);
  c->source_file = g_strdup (f->source_file);
  c->source_layer = g_strdup (f->source_layer);
  c->source_key = g_strdup (f->source_key);
  c->attrs = g_strdup (f->attrs);
  c->shape = ngam_shape_copy (f->shape);
  c->values = g_memdup2 (f->values, sizeof (NgamValue) * f->n_values);
  for (guint i = 0; i < f->n_values; i++)
    c->values[i].s = g_strdup (f->values[i].s);
  return c;
}

void
ngam_feature_set_null (NgamFeature *f,
                       guint        field)
{
  g_return_if_fail (field < f->n_values);
  g_clear_pointer (&f->values[field].s, g_free);
  f->values[field].is_null = TRUE;
  f->values[field].i = 0;
  f->values[field].d = 0;
}

void
ngam_feature_take_text (NgamFeature *f,
                        guint        field,
                        char        *value)
{
  g_return_if_fail (field < f->n_values);
  ngam_feature_set_null (f, field);
  f->values[field].s = value;
  f->values[field].is_null = (value == NULL);
}

void
ngam_feature_set_text (NgamFeature *f,
                       guint        field,
                       const char  *value)
{
  ngam_feature_take_text (f, field, g_strdup (value));
}

void
ngam_feature_set_int (NgamFeature *f,
                      guint        field,
                      gint64       value)
{
  ngam_feature_set_null (f, field);
  f->values[field].i = value;
  f->values[field].d = (double) value;
  f->values[field].is_null = FALSE;
}

void
ngam_feature_set_real (NgamFeature *f,
                       guint        field,
                       double       value)
{
  ngam_feature_set_null (f, field);
  if (isnan (value))
    return;
  f->values[field].d = value;
  f->values[field].i = (gint64) value;
  f->values[field].is_null = FALSE;
}

void
ngam_feature_set_bool (NgamFeature *f,
                       guint        field,
                       gboolean     value)
{
  ngam_feature_set_int (f, field, value ? 1 : 0);
}

/**
 * ngam_feature_set_by_name:
 * @text: the value as text, converted to the field's type; %NULL or "" sets
 *   NULL
 *
 * For profiles, editors and tests: parses @text for the named field.
 */
gboolean
ngam_feature_set_by_name (NgamFeature  *f,
                          const char   *field,
                          const char   *text,
                          GError      **error)
{
  const NgamLayerInfo *info = ngam_layer_info (f->kind);
  int i = ngam_layer_field_index (f->kind, field);
  char *end = NULL;

  if (i < 0)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                   "the %s layer has no field “%s”", info->name, field);
      return FALSE;
    }
  if (text == NULL || *text == '\0')
    {
      ngam_feature_set_null (f, i);
      return TRUE;
    }
  switch (info->fields[i].type)
    {
    case NGAM_FIELD_TEXT:
      ngam_feature_set_text (f, i, text);
      return TRUE;
    case NGAM_FIELD_INT:
      {
        gint64 v;

        errno = 0;
        v = g_ascii_strtoll (text, &end, 10);
        if (errno == 0 && end != text && *end == '\0')
          {
            ngam_feature_set_int (f, i, v);
            return TRUE;
          }
        break;
      }
    case NGAM_FIELD_REAL:
      {
        double v = g_ascii_strtod (text, &end);

        if (end != text && *end == '\0' && isfinite (v))
          {
            ngam_feature_set_real (f, i, v);
            return TRUE;
          }
        break;
      }
    case NGAM_FIELD_BOOL:
      if (g_ascii_strcasecmp (text, "1") == 0 || g_ascii_strcasecmp (text, "true") == 0 ||
          g_ascii_strcasecmp (text, "yes") == 0 || g_ascii_strcasecmp (text, "T") == 0 ||
          g_ascii_strcasecmp (text, "Y") == 0 || g_ascii_strcasecmp (text, "có") == 0)
        {
          ngam_feature_set_bool (f, i, TRUE);
          return TRUE;
        }
      if (g_ascii_strcasecmp (text, "0") == 0 || g_ascii_strcasecmp (text, "false") == 0 ||
          g_ascii_strcasecmp (text, "no") == 0 || g_ascii_strcasecmp (text, "F") == 0 ||
          g_ascii_strcasecmp (text, "N") == 0 || g_ascii_strcasecmp (text, "không") == 0)
        {
          ngam_feature_set_bool (f, i, FALSE);
          return TRUE;
        }
      break;
    default:
      break;
    }
  g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
               "“%s” is not a valid value for %s.%s", text, info->name, field);
  return FALSE;
}

gboolean
ngam_feature_is_null (const NgamFeature *f,
                      guint              field)
{
  g_return_val_if_fail (field < f->n_values, TRUE);
  return f->values[field].is_null;
}

const char *
ngam_feature_get_text (const NgamFeature *f,
                       guint              field)
{
  g_return_val_if_fail (field < f->n_values, NULL);
  return f->values[field].is_null ? NULL : f->values[field].s;
}

gint64
ngam_feature_get_int (const NgamFeature *f,
                      guint              field)
{
  g_return_val_if_fail (field < f->n_values, 0);
  return f->values[field].is_null ? 0 : f->values[field].i;
}

double
ngam_feature_get_real (const NgamFeature *f,
                       guint              field)
{
  g_return_val_if_fail (field < f->n_values, NAN);
  return f->values[field].is_null ? NAN : f->values[field].d;
}

gboolean
ngam_feature_get_bool (const NgamFeature *f,
                       guint              field)
{
  return ngam_feature_get_int (f, field) != 0;
}

/* Returns: the index of @name among the feature's fields, or -1. */
int
ngam_feature_field (const NgamFeature *f,
                    const char        *name)
{
  return ngam_layer_field_index (f->kind, name);
}

/* The value as text for people and CSV; NULL for a null value. */
char *
ngam_feature_dup_value_string (const NgamFeature *f,
                               guint              field)
{
  const NgamFieldInfo *fi = &ngam_layer_info (f->kind)->fields[field];
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (f->values[field].is_null)
    return NULL;
  switch (fi->type)
    {
    case NGAM_FIELD_TEXT: return g_strdup (f->values[field].s);
    case NGAM_FIELD_INT: return g_strdup_printf ("%" G_GINT64_FORMAT, f->values[field].i);
    case NGAM_FIELD_BOOL: return g_strdup (f->values[field].i ? "true" : "false");
    case NGAM_FIELD_REAL:
    default: return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.10g", f->values[field].d));
    }
}
