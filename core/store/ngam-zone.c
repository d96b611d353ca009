/* ngam-zone.c — the one vocabulary of zone types and construction methods
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Operators and provinces name zones in English and Vietnamese, with and
 * without diacritics, with dashes or spaces: every name is folded the
 * same way (lower case, no marks, đ as d, `_` for separators) before it
 * is looked up, so `Sông`, `song`, `river` and `WATER` all reach water.
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ngam-store.h"
#include "ngam-zone.h"

static const char *const flood_aliases[] = {
  "flood_zone", "floodplain", "flood_plain", "inundation", "ngap", "ngap_lut", "vung_ngap", "lut", NULL
};
static const char *const landslide_aliases[] = {
  "landslip", "mudslide", "slope_failure", "sat_lo", "sat_lo_dat", "vung_sat_lo", NULL
};
static const char *const heritage_aliases[] = {
  "heritage_site", "historic", "monument", "relic", "di_tich", "di_san", "bao_ton", NULL
};
static const char *const festival_aliases[] = {
  "festival_street", "priority", "priority_street", "le_hoi", "pho_le_hoi", "tuyen_uu_tien", NULL
};
static const char *const no_dig_aliases[] = {
  "nodig", "no_digging", "no_excavation", "protected", "cam_dao", "khong_dao", NULL
};
static const char *const water_aliases[] = {
  "river", "canal", "moat", "lake", "pond", "stream", "waterway", "riverbank",
  "song", "kenh", "ho", "suoi", "ho_thanh", NULL
};

/* The titles are marked for translation, not translated here: core speaks
 * English, front ends show them with g_dgettext(). */
static const NgamZoneInfo zones[NGAM_N_ZONE_TYPES] = {
  { NGAM_ZONE_FLOOD, "flood", N_("Flood zone"), flood_aliases,
    NGAM_ZONE_ROUTE_OPEN, NGAM_METHOD_ALL, TRUE,
    N_("floods: sealed splice closures and a cost uplift; level is the flood depth in metres") },
  { NGAM_ZONE_LANDSLIDE, "landslide", N_("Landslide zone"), landslide_aliases,
    NGAM_ZONE_ROUTE_AVOID_IF_DETOUR, NGAM_METHOD_ALL, TRUE,
    N_("landslides: avoided where an alternative exists within the allowed detour") },
  { NGAM_ZONE_HERITAGE, "heritage", N_("Heritage zone"), heritage_aliases,
    NGAM_ZONE_ROUTE_OPEN, NGAM_METHOD_MICRO_TRENCH | NGAM_METHOD_HDD | NGAM_METHOD_DUCT_REUSE, FALSE,
    N_("heritage areas: micro-trench, HDD or existing ducts only, never open cut") },
  { NGAM_ZONE_FESTIVAL, "festival", N_("Festival streets"), festival_aliases,
    NGAM_ZONE_ROUTE_OPEN, NGAM_METHOD_ALL, FALSE,
    N_("festival or priority streets: planned first") },
  { NGAM_ZONE_NO_DIG, "no_dig", N_("No-dig zone"), no_dig_aliases,
    NGAM_ZONE_ROUTE_FORBIDDEN, NGAM_METHOD_DUCT_REUSE, FALSE,
    N_("no digging: only existing ducts may be used") },
  { NGAM_ZONE_WATER, "water", N_("Water"), water_aliases,
    NGAM_ZONE_ROUTE_BRIDGE_OR_HDD, NGAM_METHOD_BRIDGE_ATTACHMENT | NGAM_METHOD_HDD | NGAM_METHOD_DUCT_REUSE, FALSE,
    N_("rivers, canals, moats and lakes: crossed on a bridge or by HDD only") },
};

static const NgamMethodInfo methods[NGAM_N_METHODS] = {
  { NGAM_METHOD_OPEN_CUT_SIDEWALK, "open_cut_sidewalk", N_("Open cut under the sidewalk") },
  { NGAM_METHOD_OPEN_CUT_ROADWAY, "open_cut_roadway", N_("Open cut under the roadway") },
  { NGAM_METHOD_OPEN_CUT_UNPAVED, "open_cut_unpaved", N_("Open cut in unpaved ground") },
  { NGAM_METHOD_MICRO_TRENCH, "micro_trench", N_("Micro-trench") },
  { NGAM_METHOD_HDD, "hdd", N_("Horizontal directional drilling") },
  { NGAM_METHOD_BRIDGE_ATTACHMENT, "bridge_attachment", N_("Attachment to a bridge") },
  { NGAM_METHOD_DUCT_REUSE, "duct_reuse", N_("Reuse of existing ducts") },
};

static guint
bit_index (guint flag)
{
  return (guint) g_bit_nth_lsf (flag, -1);
}

/**
 * ngam_zone_info:
 * @flag: one zone type's bit
 *
 * Returns: (nullable): the zone type's entry, or %NULL for anything but
 *   a single known bit
 */
const NgamZoneInfo *
ngam_zone_info (NgamZoneFlags flag)
{
  if (flag == 0 || (flag & (flag - 1)) != 0 || (flag & ~NGAM_ZONE_ALL) != 0)
    return NULL;
  return &zones[bit_index (flag)];
}

/* Returns: (nullable): the @i-th zone type, in bit order. */
const NgamZoneInfo *
ngam_zone_info_nth (guint i)
{
  return i < NGAM_N_ZONE_TYPES ? &zones[i] : NULL;
}

/**
 * ngam_vocab_fold:
 * @text: a name as someone typed it
 *
 * Folds a name for matching: lower case, diacritics dropped (đ as d),
 * runs of spaces, dashes, dots and slashes as one `_`, no `_` at the ends.
 *
 * Returns: (transfer full): the folded name
 */
char *
ngam_vocab_fold (const char *text)
{
  g_autofree char *nfd = NULL;
  GString *out;
  gboolean sep = FALSE;

  if (text == NULL)
    return g_strdup ("");
  nfd = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  if (nfd == NULL)                        /* not UTF-8: fold the ASCII only */
    nfd = g_strdup (text);
  out = g_string_new (NULL);
  for (const char *p = nfd; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
        continue;
      if (c == 0x0111 || c == 0x0110)     /* đ, Đ */
        c = 'd';
      if (g_unichar_isalnum (c))
        {
          if (sep && out->len > 0)
            g_string_append_c (out, '_');
          sep = FALSE;
          g_string_append_unichar (out, g_unichar_tolower (c));
        }
      else
        sep = TRUE;
    }
  return g_string_free (out, FALSE);
}

/**
 * ngam_zone_from_name:
 * @name: (nullable): a zone type as a layer or a user spells it
 *
 * Returns: the zone type's bit, or 0 when @name names none
 */
NgamZoneFlags
ngam_zone_from_name (const char *name)
{
  g_autofree char *folded = NULL;

  if (name == NULL || *name == '\0')
    return 0;
  folded = ngam_vocab_fold (name);
  for (guint i = 0; i < NGAM_N_ZONE_TYPES; i++)
    {
      if (strcmp (folded, zones[i].name) == 0)
        return zones[i].flag;
      for (guint j = 0; zones[i].aliases[j]; j++)
        if (strcmp (folded, zones[i].aliases[j]) == 0)
          return zones[i].flag;
    }
  return 0;
}

/* "flood, landslide, heritage, festival, no_dig, water", for messages. */
const char *
ngam_zone_names (void)
{
  return "flood, landslide, heritage, festival, no_dig, water";
}

/**
 * ngam_zone_parse_list:
 * @list: zone types separated by commas (aliases allowed)
 * @mask: (out): their bits
 * @error: NGAM_STORE_ERROR_INVALID naming the first unknown type
 */
gboolean
ngam_zone_parse_list (const char     *list,
                      NgamZoneFlags  *mask,
                      GError        **error)
{
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (list != NULL, FALSE);
  *mask = 0;
  parts = g_strsplit (list, ",", -1);
  for (guint i = 0; parts[i]; i++)
    {
      const char *p = g_strstrip (parts[i]);
      NgamZoneFlags f;

      if (*p == '\0')
        continue;
      f = ngam_zone_from_name (p);
      if (f == 0)
        {
          g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                       _("“%s” is not a zone type (known types: %s)"), p, ngam_zone_names ());
          return FALSE;
        }
      *mask |= f;
    }
  if (*mask == 0)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_INVALID,
                   _("no zone type given (known types: %s)"), ngam_zone_names ());
      return FALSE;
    }
  return TRUE;
}

/* Returns: (transfer full): "flood,heritage" for a mask, "" for none. */
char *
ngam_zone_flags_to_string (NgamZoneFlags mask)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < NGAM_N_ZONE_TYPES; i++)
    if (mask & zones[i].flag)
      {
        if (s->len > 0)
          g_string_append_c (s, ',');
        g_string_append (s, zones[i].name);
      }
  return g_string_free (s, FALSE);
}

/* The methods allowed where all the zones of @mask apply at once. */
NgamMethodFlags
ngam_zone_allowed_methods (NgamZoneFlags mask)
{
  NgamMethodFlags m = NGAM_METHOD_ALL;

  for (guint i = 0; i < NGAM_N_ZONE_TYPES; i++)
    if (mask & zones[i].flag)
      m &= zones[i].methods;
  return m;
}

/* Returns: (nullable): the entry of one method's bit. */
const NgamMethodInfo *
ngam_method_info (NgamMethodFlags flag)
{
  if (flag == 0 || (flag & (flag - 1)) != 0 || (flag & ~NGAM_METHOD_ALL) != 0)
    return NULL;
  return &methods[bit_index (flag)];
}

const NgamMethodInfo *
ngam_method_info_nth (guint i)
{
  return i < NGAM_N_METHODS ? &methods[i] : NULL;
}

/* Returns: the method @name names (folded), or 0. */
NgamMethodFlags
ngam_method_from_name (const char *name)
{
  g_autofree char *folded = ngam_vocab_fold (name);

  for (guint i = 0; i < NGAM_N_METHODS; i++)
    if (strcmp (folded, methods[i].name) == 0)
      return methods[i].flag;
  return 0;
}
