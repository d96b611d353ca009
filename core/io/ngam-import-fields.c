/* ngam-import-fields.c — guessing which source field is which model field,
 * and reading OpenStreetMap's other_tags
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Without a profile the import suggests a mapping from field names: each
 * name is folded (lower case, Vietnamese marks and separators removed, so
 * "Tên đường", "TEN_DUONG" and "tenduong" meet) and looked up in the lists
 * below, which hold the names Vietnamese operators and common GIS exports
 * use.  The report says which field was chosen and why, so a planner can
 * write a profile when the guess is wrong.
 */
#define G_LOG_DOMAIN "ngam-io"

#include "config.h"

#include <string.h>

#include "ngam-import-private.h"

/* Folded names, most specific first. */
static const struct
{
  const char *model;
  const char *names[12];
} synonyms[] = {
  { "code", { "code", "ma", "macot", "macap", "matuyen", "mahieu", "sohieu", "maso", "ref", "cellid", "siteid", NULL } },
  { "name", { "name", "ten", "tenduong", "tenpho", "tentuyen", "street", "streetname", "diachi", NULL } },
  { "highway", { "highway", "loaiduong", "capduong", "fclass", "roadclass", "class", NULL } },
  { "surface", { "surface", "matduong", "ketcau", "loaimat", NULL } },
  { "width_m", { "widthm", "width", "rong", "berong", "chieurong", "rongduong", NULL } },
  { "sidewalk_m", { "sidewalkm", "sidewalk", "viahe", "rongviahe", NULL } },
  { "bridge", { "bridge", "cau", NULL } },
  { "tunnel", { "tunnel", "ham", NULL } },
  { "layer", { "layer", "tang", NULL } },
  { "festival", { "festival", "lehoi", NULL } },
  { "height_m", { "heightm", "height", "chieucao", "cao", "caocot", NULL } },
  { "material", { "material", "vatlieu", "loaicot", "chatlieu", NULL } },
  { "owner", { "owner", "chusohuu", "sohuu", "donviquanly", "donvi", NULL } },
  { "status", { "status", "trangthai", "tinhtrang", NULL } },
  { "cable_type", { "cabletype", "loaicap", "cable", "type", NULL } },
  { "fibre_count", { "fibrecount", "fibercount", "sosoi", "dungluong", "fibres", "fibers", "cores", NULL } },
  { "diameter_mm", { "diametermm", "diameter", "duongkinh", "dk", NULL } },
  { "cable_count", { "cablecount", "socap", NULL } },
  { "placement", { "placement", "phuongthuc", "hinhthuc", NULL } },
  { "duct_count", { "ductcount", "soong", "ongs", NULL } },
  { "duct_free", { "ductfree", "ongtrong", "soongtrong", NULL } },
  { "duct_diameter_mm", { "ductdiametermm", "duongkinhong", NULL } },
  { "depth_m", { "depthm", "depth", "dosau", "sau", NULL } },
  { "kind", { "kind", "loaiho", "loai", NULL } },
  { "size", { "size", "kichthuoc", "kichco", NULL } },
  { "zone_type", { "zonetype", "loaivung", "type", NULL } },
  { "level", { "level", "muc", "capdo", "adminlevel", NULL } },
  { "parent", { "parent", "thuoc", "huyen", "tinh", NULL } },
  { "households", { "households", "soho", "hogiadinh", "hh", NULL } },
  { "building_type", { "buildingtype", "building", "loainha", NULL } },
  { "radio", { "radio", "congnghe", "technology", "tech", NULL } },
  { "range_m", { "rangem", "range", "bankinh", "radius", NULL } },
  { "azimuth", { "azimuth", "huong", "gocphuongvi", NULL } },
};

const char *const *
ngam_import_synonyms (const char *model_field)
{
  for (guint i = 0; i < G_N_ELEMENTS (synonyms); i++)
    if (strcmp (synonyms[i].model, model_field) == 0)
      return synonyms[i].names;
  return NULL;
}

/**
 * ngam_import_fold_name:
 *
 * Returns: (transfer full): @name in lower case, without Vietnamese marks
 *   (đ → d) and without anything but letters and digits.
 */
char *
ngam_import_fold_name (const char *name)
{
  g_autofree char *nfd = g_utf8_normalize (name, -1, G_NORMALIZE_NFD);
  GString *out = g_string_new (NULL);

  if (nfd == NULL)
    nfd = g_strdup (name);
  for (const char *p = nfd; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_unichar_tolower (g_utf8_get_char (p));

      if (g_unichar_ismark (c))
        continue;
      if (c == 0x0111)
        c = 'd';
      if (g_unichar_isalnum (c))
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

/**
 * ngam_hstore_get:
 * @hstore: OGR's other_tags: "key"=>"value","key2"=>"value2" (quotes and
 *   backslashes inside are escaped with a backslash)
 *
 * Returns: (transfer full) (nullable): the value of @key.
 */
char *
ngam_hstore_get (const char *hstore,
                 const char *key)
{
  const char *p = hstore;
  gsize klen = strlen (key);

  while (p && *p)
    {
      const char *kstart, *vstart;
      gboolean match;
      GString *value;

      while (*p == ',' || *p == ' ')
        p++;
      if (*p != '"')
        return NULL;
      kstart = ++p;
      while (*p && *p != '"')
        p += (*p == '\\' && p[1]) ? 2 : 1;
      if (*p != '"')
        return NULL;
      match = (gsize) (p - kstart) == klen && strncmp (kstart, key, klen) == 0;
      p++;
      if (strncmp (p, "=>", 2) != 0)
        return NULL;
      p += 2;
      if (strncmp (p, "NULL", 4) == 0)
        {
          p += 4;
          if (match)
            return NULL;
          continue;
        }
      if (*p != '"')
        return NULL;
      vstart = ++p;
      value = match ? g_string_new (NULL) : NULL;
      while (*p && *p != '"')
        {
          if (*p == '\\' && p[1])
            p++;
          if (value)
            g_string_append_c (value, *p);
          p++;
        }
      (void) vstart;
      if (value)
        return g_string_free (value, FALSE);
      if (*p == '"')
        p++;
    }
  return NULL;
}
