/* ngam-store-settings.c — the project's typed settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The settings live in `meta` as text, as they always have (a file of
 * schema 1 reads the same); what is new is that their types, defaults and
 * ranges are declared here once, and that a value another program wrote
 * there is refused by the same rule, with the same message, whoever reads
 * it.  ngam_store_dup_meta() stays the raw access the store's own opening
 * code uses.
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ngam-settings.h"

static const NgamSettingInfo settings[] = {
  { "snap_tolerance_m", NGAM_SETTING_DOUBLE, "0.5", 0, 1000, "m", FALSE,
    N_("Street ends, and span ends and poles, closer than this are joined when the street graph "
       "is built and when spans are imported") },
  { "crs", NGAM_SETTING_TEXT, NULL, 0, 0, NULL, TRUE,
    N_("The project CRS, as PROJ understands it (EPSG:9214)") },
  { "srid", NGAM_SETTING_INT, NULL, 1, G_MAXINT32, NULL, TRUE,
    N_("The SpatiaLite SRID of the project CRS") },
  { "schema_version", NGAM_SETTING_INT, NULL, 1, G_MAXINT32, NULL, TRUE,
    N_("The version of the file's schema") },
  { "created_by", NGAM_SETTING_TEXT, "", 0, 0, NULL, TRUE,
    N_("The program that created the file") },
  { "sample_size", NGAM_SETTING_INT, NULL, 0, G_MAXINT32, NULL, TRUE,
    N_("The demo town generator's size") },
  { "sample_seed", NGAM_SETTING_TEXT, NULL, 0, 0, NULL, TRUE,
    N_("The demo town generator's random seed") },
  { "sample_intersections", NGAM_SETTING_INT, NULL, 0, G_MAXINT32, NULL, TRUE,
    N_("Street intersections the demo town generator laid out") },
};

/* Returns: (nullable): the setting called @key, or NULL for none. */
const NgamSettingInfo *
ngam_setting_lookup (const char *key)
{
  g_return_val_if_fail (key != NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (strcmp (settings[i].key, key) == 0)
      return &settings[i];
  return NULL;
}

/* Returns: (array length=n_settings): every setting, in a stable order. */
const NgamSettingInfo *
ngam_settings_list (guint *n_settings)
{
  *n_settings = G_N_ELEMENTS (settings);
  return settings;
}

static gboolean
bad_value (const NgamSettingInfo  *info,
           const char             *text,
           GError                **error)
{
  if (info->type == NGAM_SETTING_DOUBLE && g_strcmp0 (info->unit, "m") == 0)
    g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                 _("the project setting %s is “%s”, not a distance in metres from %g to %g"),
                 info->key, text, info->min, info->max);
  else if (info->type == NGAM_SETTING_DOUBLE)
    g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                 _("the project setting %s is “%s”, not a number from %g to %g"),
                 info->key, text, info->min, info->max);
  else
    g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                 _("the project setting %s is “%s”, not a whole number from %.0f to %.0f"),
                 info->key, text, info->min, info->max);
  return FALSE;
}

/**
 * ngam_setting_parse:
 * @text: the value as text; blanks around it are allowed
 * @d: (out) (optional): the value of a DOUBLE setting
 * @i: (out) (optional): the value of an INT setting
 *
 * The one parser of setting values: a number in C notation (a point, not
 * a comma, whatever the locale), finite, inside the setting's range.
 */
gboolean
ngam_setting_parse (const NgamSettingInfo  *info,
                    const char             *text,
                    double                 *d,
                    gint64                 *i,
                    GError                **error)
{
  g_autofree char *t = NULL;
  char *end = NULL;

  g_return_val_if_fail (info != NULL, FALSE);
  if (text == NULL)
    return bad_value (info, "", error);
  if (info->type == NGAM_SETTING_TEXT)
    return TRUE;
  t = g_strstrip (g_strdup (text));
  if (*t == '\0')
    return bad_value (info, text, error);
  if (info->type == NGAM_SETTING_DOUBLE)
    {
      double v = g_ascii_strtod (t, &end);

      if (*end != '\0' || !isfinite (v) || v < info->min || v > info->max)
        return bad_value (info, text, error);
      if (d)
        *d = v;
    }
  else
    {
      gint64 v;

      errno = 0;
      v = g_ascii_strtoll (t, &end, 10);
      if (*end != '\0' || errno != 0 || (double) v < info->min || (double) v > info->max)
        return bad_value (info, text, error);
      if (i)
        *i = v;
    }
  return TRUE;
}

/* The stored text of @key, or its default (NULL with @error when it has
 * neither, or no such setting exists). */
static char *
stored_text (NgamStore               *store,
             const char              *key,
             NgamSettingType          type,
             const NgamSettingInfo  **info,
             GError                 **error)
{
  char *text;

  *info = ngam_setting_lookup (key);
  if (*info == NULL || (*info)->type != type)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                   _("%s: no project setting %s of that type"), ngam_store_get_path (store), key);
      return NULL;
    }
  text = ngam_store_dup_meta (store, key);
  if (text == NULL && (*info)->default_value)
    text = g_strdup ((*info)->default_value);
  if (text == NULL)
    g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_PROJECT,
                 _("%s has no project setting %s"), ngam_store_get_path (store), key);
  return text;
}

gboolean
ngam_store_get_setting_double (NgamStore   *store,
                               const char  *key,
                               double      *value,
                               GError     **error)
{
  const NgamSettingInfo *info;
  g_autofree char *text = stored_text (store, key, NGAM_SETTING_DOUBLE, &info, error);

  if (text == NULL)
    return FALSE;
  if (!ngam_setting_parse (info, text, value, NULL, error))
    {
      g_prefix_error (error, "%s: ", ngam_store_get_path (store));
      return FALSE;
    }
  return TRUE;
}

gboolean
ngam_store_get_setting_int (NgamStore   *store,
                            const char  *key,
                            gint64      *value,
                            GError     **error)
{
  const NgamSettingInfo *info;
  g_autofree char *text = stored_text (store, key, NGAM_SETTING_INT, &info, error);

  if (text == NULL)
    return FALSE;
  if (!ngam_setting_parse (info, text, NULL, value, error))
    {
      g_prefix_error (error, "%s: ", ngam_store_get_path (store));
      return FALSE;
    }
  return TRUE;
}

/* Returns: (transfer full): the text setting's value, or NULL with @error set. */
char *
ngam_store_dup_setting_text (NgamStore   *store,
                             const char  *key,
                             GError     **error)
{
  const NgamSettingInfo *info;

  return stored_text (store, key, NGAM_SETTING_TEXT, &info, error);
}

/**
 * ngam_store_set_setting:
 *
 * Stores a user setting after checking its value: refused, with nothing
 * written, for an unknown key, one Ngầm writes itself, or a bad value.
 */
gboolean
ngam_store_set_setting (NgamStore   *store,
                        const char  *key,
                        const char  *text,
                        GError     **error)
{
  const NgamSettingInfo *info = ngam_setting_lookup (key);
  g_autoptr(GString) known = g_string_new (NULL);
  g_autofree char *t = NULL;

  if (info == NULL || info->internal)
    {
      for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
        if (!settings[i].internal)
          g_string_append_printf (known, "%s%s", known->len ? ", " : "", settings[i].key);
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                   info ? _("%s: the project setting %s is Ngầm's own and cannot be set (settings: %s)")
                        : _("%s: there is no project setting %s (settings: %s)"),
                   ngam_store_get_path (store), key, known->str);
      return FALSE;
    }
  if (!ngam_setting_parse (info, text, NULL, NULL, error))
    {
      g_prefix_error (error, "%s: ", ngam_store_get_path (store));
      return FALSE;
    }
  t = g_strstrip (g_strdup (text));
  if (ngam_store_is_read_only (store))
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_READ_ONLY,
                   _("%s was opened read-only: its settings cannot change"), ngam_store_get_path (store));
      return FALSE;
    }
  return ngam_store_set_meta (store, key, t, error);
}
