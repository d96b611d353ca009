/* ngam-settings.h — the project's settings: one typed table, one parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every setting a project keeps (in its `meta` table, as text, where QGIS
 * or the sqlite3 shell may change it) is declared once here with its type,
 * default, range and meaning; every reader goes through
 * ngam_store_get_setting_*(), so a bad value is refused the same way
 * wherever it is read, by one error that names the file, the key and the
 * value.
 */
#pragma once

#include "ngam-store.h"

G_BEGIN_DECLS

typedef enum
{
  NGAM_SETTING_DOUBLE,
  NGAM_SETTING_INT,
  NGAM_SETTING_TEXT,
} NgamSettingType;

/**
 * NgamSettingInfo:
 * @key: its name in `meta`
 * @type: what its text must be
 * @default_value: (nullable): the value when the project has none; NULL:
 *   the store always writes it
 * @min: the smallest value a number may take
 * @max: the largest
 * @unit: (nullable): the unit a number is in ("m")
 * @internal: written by Ngầm itself (the CRS, the schema, the generator's
 *   parameters), not by a user
 * @doc: what it means
 */
typedef struct
{
  const char      *key;
  NgamSettingType  type;
  const char      *default_value;
  double           min;
  double           max;
  const char      *unit;
  gboolean         internal;
  const char      *doc;
} NgamSettingInfo;

const NgamSettingInfo *ngam_setting_lookup      (const char *key);
const NgamSettingInfo *ngam_settings_list       (guint *n_settings);

/* Checks @text against the setting; fills the one out value of its type. */
gboolean    ngam_setting_parse                  (const NgamSettingInfo *info, const char *text,
                                                 double *d, gint64 *i, GError **error);

/* The value stored in the project, or the default; refused (INVALID, the
 * key and the value named) when the stored text is not a valid value. */
gboolean    ngam_store_get_setting_double       (NgamStore *store, const char *key, double *value,
                                                 GError **error);
gboolean    ngam_store_get_setting_int          (NgamStore *store, const char *key, gint64 *value,
                                                 GError **error);
char       *ngam_store_dup_setting_text         (NgamStore *store, const char *key, GError **error);

/* Stores @text after checking it; refused for an unknown or internal key. */
gboolean    ngam_store_set_setting              (NgamStore *store, const char *key, const char *text,
                                                 GError **error);

G_END_DECLS
