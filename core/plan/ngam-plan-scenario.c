/* ngam-plan-scenario.c — the scenario: cost catalogue, rules, scope,
 * priorities and budget, read from a GKeyFile and validated
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One table lists every key with its type, its bounds and its default, so
 * that the defaults, the checks and data/scenarios/default.ini cannot
 * drift apart (tests/plan checks the file against the table).  GKeyFile
 * does not say on which line a key is, so refusals find the line
 * themselves: FILE:LINE: [group] key: why.
 */
#define G_LOG_DOMAIN "ngam-plan"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "ngam-format.h"
#include "ngam-plan-private.h"

G_DEFINE_QUARK (ngam-plan-error-quark, ngam_plan_error)

typedef enum { K_COST, K_NUM, K_PERCENT, K_BOOL, K_LIST, K_TEXT, K_SPLIT, K_ARRANGEMENTS } KeyKind;

typedef struct
{
  const char *group;
  const char *key;
  KeyKind     kind;
  gsize       offset;
  double      min, max;
  double      value;     /* default of a number */
  const char *text;      /* default of a text, list or arrangement */
} Key;

#define O(f) offsetof (NgamPlanScenario, f)
#define INF INFINITY

/* Defaults: DOMAIN.md where it gives a number (TCVN 8700 covers and
 * widths, the fill limits, the pull-point spacing and turn angle, the VNPT
 * Hải Phòng duct tariff), otherwise assumptions to be replaced by the
 * province's own catalogue; default.ini says which is which. */
static const Key keys[] = {
  { "costs", "open_cut_sidewalk", K_COST, O (open_cut_sidewalk), 0, INF, 600000, NULL },
  { "costs", "open_cut_roadway", K_COST, O (open_cut_roadway), 0, INF, 1200000, NULL },
  { "costs", "open_cut_unpaved", K_COST, O (open_cut_unpaved), 0, INF, 300000, NULL },
  { "costs", "micro_trench", K_COST, O (micro_trench), 0, INF, 300000, NULL },
  { "costs", "hdd_per_m", K_COST, O (hdd_per_m), 0, INF, 1500000, NULL },
  { "costs", "hdd_per_crossing", K_COST, O (hdd_per_crossing), 0, INF, 20000000, NULL },
  { "costs", "bridge_attachment", K_COST, O (bridge_attachment), 0, INF, 400000, NULL },
  { "costs", "street_crossing", K_COST, O (street_crossing), 0, INF, 15000000, NULL },
  { "costs", "reinstate_asphalt", K_COST, O (reinstate[SURF_ASPHALT]), 0, INF, 250000, NULL },
  { "costs", "reinstate_concrete", K_COST, O (reinstate[SURF_CONCRETE]), 0, INF, 300000, NULL },
  { "costs", "reinstate_paving_stones", K_COST, O (reinstate[SURF_PAVING]), 0, INF, 350000, NULL },
  { "costs", "reinstate_unpaved", K_COST, O (reinstate[SURF_UNPAVED]), 0, INF, 50000, NULL },
  { "costs", "reinstate_other", K_COST, O (reinstate[SURF_OTHER]), 0, INF, 200000, NULL },
  { "costs", "duct_per_m", K_COST, O (duct_per_m), 0, INF, 60000, NULL },
  { "costs", "microduct_per_m", K_COST, O (microduct_per_m), 0, INF, 25000, NULL },
  { "costs", "manhole", K_COST, O (manhole), 0, INF, 25000000, NULL },
  { "costs", "handhole", K_COST, O (handhole), 0, INF, 8000000, NULL },
  { "costs", "cable_pulling_per_m", K_COST, O (cable_pulling_per_m), 0, INF, 15000, NULL },
  { "costs", "riser", K_COST, O (riser), 0, INF, 3000000, NULL },
  { "costs", "pole_removal", K_COST, O (pole_removal), 0, INF, 2500000, NULL },
  { "costs", "splice_closure", K_COST, O (splice_closure), 0, INF, 4000000, NULL },
  { "costs", "sealed_closure", K_COST, O (sealed_closure), 0, INF, 7000000, NULL },
  { "costs", "flood_uplift", K_PERCENT, O (flood_uplift), 0, 1000, 15, NULL },
  { "costs", "rent_upto_5mm", K_COST, O (rent_tariff[0]), 0, INF, 1035, NULL },
  { "costs", "rent_upto_10mm", K_COST, O (rent_tariff[1]), 0, INF, 1941, NULL },
  { "costs", "rent_upto_15mm", K_COST, O (rent_tariff[2]), 0, INF, 3881, NULL },
  { "costs", "rent_upto_20mm", K_COST, O (rent_tariff[3]), 0, INF, 5175, NULL },
  { "costs", "rent_upto_35mm", K_COST, O (rent_tariff[4]), 0, INF, 7763, NULL },
  { "costs", "rent_over_35mm", K_COST, O (rent_tariff[5]), 0, INF, 15526, NULL },
  { "costs", "rent_years", K_NUM, O (rent_years), 0, 100, 10, NULL },
  { "costs", "reference_width_mm", K_NUM, O (reference_width_mm), 1, 10000, 450, NULL },
  { "costs", "width_cost_share", K_PERCENT, O (width_cost_share), 0, 100, 50, NULL },

  { "rules", "fill_one_cable", K_PERCENT, O (fill_one), 1, 100, 53, NULL },
  { "rules", "fill_two_cables", K_PERCENT, O (fill_two), 1, 100, 31, NULL },
  { "rules", "fill_more_cables", K_PERCENT, O (fill_more), 1, 100, 40, NULL },
  { "rules", "spare_ducts", K_NUM, O (spare_ducts), 0, 100, 1, NULL },
  { "rules", "duct_inner_mm", K_NUM, O (duct_inner_mm), 1, 1000, 100, NULL },
  { "rules", "microduct_inner_mm", K_NUM, O (microduct_inner_mm), 1, 1000, 40, NULL },
  { "rules", "fibre_mm", K_NUM, O (cable_mm[CABLE_FIBRE]), 0.1, 200, 10, NULL },
  { "rules", "copper_mm", K_NUM, O (cable_mm[CABLE_COPPER]), 0.1, 200, 20, NULL },
  { "rules", "coax_mm", K_NUM, O (cable_mm[CABLE_COAX]), 0.1, 200, 10.3, NULL },
  { "rules", "power_mm", K_NUM, O (cable_mm[CABLE_POWER]), 0.1, 200, 40, NULL },
  { "rules", "cables_per_span", K_NUM, O (cables_per_span), 1, 100, 1, NULL },
  { "rules", "manhole_spacing_m", K_NUM, O (manhole_spacing_m), 10, 10000, 150, NULL },
  { "rules", "turn_angle_deg", K_NUM, O (turn_angle_deg), 0, 180, 45, NULL },
  { "rules", "intersection_clearance_m", K_NUM, O (intersection_clearance_m), 0, 1000, 15, NULL },
  { "rules", "handhole_max_ducts", K_NUM, O (handhole_max_ducts), 0, 100, 2, NULL },
  { "rules", "cover_sidewalk_m", K_NUM, O (cover_sidewalk_m), 0, 10, 0.5, NULL },
  { "rules", "cover_roadway_m", K_NUM, O (cover_roadway_m), 0, 10, 0.7, NULL },
  { "rules", "cover_unpaved_m", K_NUM, O (cover_unpaved_m), 0, 10, 0.7, NULL },
  { "rules", "layer_pitch_m", K_NUM, O (layer_pitch_m), 0, 10, 0.15, NULL },
  { "rules", "min_sidewalk_m", K_NUM, O (min_sidewalk_m), 0, 100, 1.5, NULL },
  { "rules", "landslide_detour", K_PERCENT, O (landslide_detour), 0, 1000, 50, NULL },
  { "rules", "match_distance_m", K_NUM, O (match_distance_m), 0.1, 1000, 25, NULL },
  { "rules", "match_detour", K_NUM, O (match_detour), 1, 100, 4, NULL },
  { "rules", "arrangements", K_ARRANGEMENTS, 0, 0, 0, 0,
    "1x2:450/350; 1x3:600/500; 1x4:750/650; 2x4:450/350; 2x6:600/500; 2x8:750/650; "
    "3x9:600/500; 3x12:750/650; 4x16:750/650; 5x20:750/650" },

  { "scope", "operators", K_LIST, O (operators), 0, 0, 0, "" },
  { "scope", "cable_types", K_LIST, O (cable_types), 0, 0, 0, "" },
  { "scope", "streets", K_LIST, O (streets), 0, 0, 0, "" },
  { "scope", "area", K_TEXT, O (area), 0, 0, 0, "" },
  { "scope", "with_power", K_BOOL, O (with_power), 0, 1, 0, NULL },
  { "scope", "power_company", K_TEXT, O (power_company), 0, 0, 0, "EVNCPC" },
  { "scope", "power_ducts", K_NUM, O (power_ducts), 1, 100, 2, NULL },
  { "scope", "power_separation_mm", K_NUM, O (power_separation_mm), 0, 10000, 300, NULL },

  { "priorities", "hazard", K_NUM, O (w_hazard), 0, 1000, 3, NULL },
  { "priorities", "heritage", K_NUM, O (w_heritage), 0, 1000, 2, NULL },
  { "priorities", "festival", K_NUM, O (w_festival), 0, 1000, 3, NULL },
  { "priorities", "density", K_NUM, O (w_density), 0, 1000, 2, NULL },
  { "priorities", "cost", K_NUM, O (w_cost), 0, 1000, 1, NULL },
  { "priorities", "budget_per_year", K_COST, O (budget_per_year), 0, INF, 0, NULL },
  { "priorities", "years", K_NUM, O (years), 1, 100, 5, NULL },
  { "priorities", "split", K_SPLIT, O (split), 0, 0, 0, "ducts" },
};

static const char *const groups[] = { "costs", "rules", "scope", "priorities" };

const char *
ngam_plan_surface_name (Surface s)
{
  static const char *const names[] = { "asphalt", "concrete", "paving_stones", "unpaved", "other" };

  return names[s];
}

Surface
ngam_plan_surface_of (const char *surface)
{
  if (surface == NULL || *surface == '\0')
    return SURF_OTHER;
  if (g_str_equal (surface, "asphalt"))
    return SURF_ASPHALT;
  if (g_str_equal (surface, "concrete") || g_str_has_prefix (surface, "concrete:"))
    return SURF_CONCRETE;
  if (g_str_equal (surface, "paving_stones") || g_str_equal (surface, "sett") || g_str_equal (surface, "cobblestone"))
    return SURF_PAVING;
  if (g_str_equal (surface, "unpaved") || g_str_equal (surface, "dirt") || g_str_equal (surface, "gravel") ||
      g_str_equal (surface, "ground") || g_str_equal (surface, "earth") || g_str_equal (surface, "grass") ||
      g_str_equal (surface, "compacted") || g_str_equal (surface, "fine_gravel") || g_str_equal (surface, "sand"))
    return SURF_UNPAVED;
  return SURF_OTHER;
}

CableType
ngam_plan_cable_type_of (const char *type)
{
  if (type == NULL)
    return CABLE_FIBRE;
  if (g_ascii_strcasecmp (type, "copper") == 0)
    return CABLE_COPPER;
  if (g_ascii_strcasecmp (type, "coax") == 0)
    return CABLE_COAX;
  if (g_ascii_strcasecmp (type, "power") == 0)
    return CABLE_POWER;
  return CABLE_FIBRE;
}

/* The 1-based line of [group] key in @text, or of [group] when @key is
 * NULL; 0 when absent. */
static int
find_line (const char *text,
           const char *group,
           const char *key)
{
  g_auto(GStrv) lines = g_strsplit (text ? text : "", "\n", -1);
  g_autofree char *header = g_strdup_printf ("[%s]", group);
  gboolean in = FALSE;

  for (guint i = 0; lines[i]; i++)
    {
      const char *l = lines[i];

      while (*l == ' ' || *l == '\t')
        l++;
      if (*l == '[')
        {
          g_autofree char *h = g_strdup (l);

          in = g_str_equal (g_strchomp (h), header);
          if (in && key == NULL)
            return (int) i + 1;
          continue;
        }
      if (in && key && g_str_has_prefix (l, key))
        {
          const char *r = l + strlen (key);

          while (*r == ' ' || *r == '\t')
            r++;
          if (*r == '=' || *r == '[')
            return (int) i + 1;
        }
    }
  return 0;
}

static gboolean
refuse (GError     **error,
        const char  *filename,
        const char  *text,
        const char  *group,
        const char  *key,
        const char  *fmt,
        ...) G_GNUC_PRINTF (6, 7);

static gboolean
refuse (GError     **error,
        const char  *filename,
        const char  *text,
        const char  *group,
        const char  *key,
        const char  *fmt,
        ...)
{
  va_list ap;
  g_autofree char *msg = NULL;
  int line = find_line (text, group, key);

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (key)
    g_set_error (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_SCENARIO, "%s:%d: [%s] %s: %s",
                 filename, line, group, key, msg);
  else
    g_set_error (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_SCENARIO, "%s:%d: [%s]: %s",
                 filename, line, group, msg);
  return FALSE;
}

static gboolean
parse_arrangements (NgamPlanScenario *sc,
                    const char       *value,
                    char            **why)
{
  g_auto(GStrv) parts = g_strsplit (value, ";", -1);
  guint n = 0;

  for (guint i = 0; parts[i]; i++)
    {
      int layers = 0, ducts = 0, at = -1;
      double top = 0, bottom = 0;
      char *end = NULL;
      const char *p = g_strstrip (parts[i]);
      gboolean read;

      if (*p == '\0')
        continue;
      /* the sizes in the C locale (450.5, not 450,5), whatever the user's */
      read = sscanf (p, "%dx%d:%n", &layers, &ducts, &at) == 2 && at > 0;
      if (read)
        {
          top = g_ascii_strtod (p + at, &end);
          read = end != p + at && *end == '/';
        }
      if (read)
        {
          const char *b = end + 1;

          bottom = g_ascii_strtod (b, &end);
          read = end != b && *end == '\0';
        }
      if (!read || layers < 1 || ducts < layers || top <= 0 || bottom <= 0 || bottom > top)
        {
          *why = g_strdup_printf (_("“%s” is not LAYERSxDUCTS:TOP/BOTTOM (mm)"), p);
          return FALSE;
        }
      if (n == N_ARRANGEMENTS)
        {
          *why = g_strdup_printf (_("at most %d arrangements"), N_ARRANGEMENTS);
          return FALSE;
        }
      if (n > 0 && ducts < sc->arr_ducts[n - 1])
        {
          *why = g_strdup_printf (_("“%s”: arrangements must be listed by increasing duct count"), p);
          return FALSE;
        }
      sc->arr_layers[n] = layers;
      sc->arr_ducts[n] = ducts;
      sc->arr_top_mm[n] = top;
      sc->arr_bottom_mm[n] = bottom;
      n++;
    }
  if (n == 0)
    {
      *why = g_strdup (_("no arrangement given"));
      return FALSE;
    }
  for (; n < N_ARRANGEMENTS; n++)
    sc->arr_ducts[n] = 0;
  return TRUE;
}

static char **
parse_list (const char *value)
{
  g_auto(GStrv) parts = g_strsplit (value ? value : "", ";", -1);
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; parts[i]; i++)
    {
      char *s = g_strstrip (parts[i]);

      if (*s)
        g_ptr_array_add (out, g_strdup (s));
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

static void
set_text (NgamPlanScenario *sc,
          const Key        *k,
          const char       *value,
          char            **why)
{
  gpointer field = (char *) sc + k->offset;

  switch (k->kind)
    {
    case K_LIST:
      g_strfreev (*(char ***) field);
      *(char ***) field = parse_list (value);
      break;
    case K_TEXT:
      g_free (*(char **) field);
      *(char **) field = g_strstrip (g_strdup (value));
      break;
    case K_SPLIT:
      if (g_str_equal (value, "ducts"))
        sc->split = SPLIT_DUCTS;
      else if (g_str_equal (value, "section") || g_str_equal (value, "cross_section"))
        sc->split = SPLIT_SECTION;
      else if (g_str_equal (value, "equal"))
        sc->split = SPLIT_EQUAL;
      else
        *why = g_strdup_printf (_("“%s” is not a split rule (ducts, section or equal)"), value);
      break;
    case K_ARRANGEMENTS:
      parse_arrangements (sc, value, why);
      break;
    default:
      g_assert_not_reached ();
    }
}

/**
 * ngam_plan_scenario_new:
 *
 * Returns: (transfer full): the built-in defaults (those of
 *   data/scenarios/default.ini)
 */
NgamPlanScenario *
ngam_plan_scenario_new (void)
{
  NgamPlanScenario *sc = g_new0 (NgamPlanScenario, 1);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const Key *k = &keys[i];
      gpointer field = (char *) sc + k->offset;
      g_autofree char *why = NULL;

      if (k->kind == K_BOOL)
        *(gboolean *) field = k->value != 0;
      else if (k->kind == K_COST || k->kind == K_NUM)
        *(double *) field = k->value;
      else if (k->kind == K_PERCENT)
        *(double *) field = k->value / 100.0;
      else
        set_text (sc, k, k->text, &why);
      g_assert (why == NULL);
    }
  return sc;
}

void
ngam_plan_scenario_free (NgamPlanScenario *sc)
{
  if (sc == NULL)
    return;
  g_free (sc->text);
  g_free (sc->filename);
  g_strfreev (sc->operators);
  g_strfreev (sc->cable_types);
  g_strfreev (sc->streets);
  g_free (sc->area);
  g_free (sc->power_company);
  g_free (sc);
}

static const Key *
find_key (const char *group,
          const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_str_equal (keys[i].group, group) && g_str_equal (keys[i].key, key))
      return &keys[i];
  return NULL;
}

/**
 * ngam_plan_scenario_parse:
 * @text: the GKeyFile text
 * @filename: what messages call it
 *
 * Every key is optional (the default applies); an unknown group or key, a
 * value that is not a number, a negative cost or a percentage out of its
 * range is refused with @filename, the line, the group and the key.
 *
 * Returns: (transfer full): the scenario, or NULL with
 *   NGAM_PLAN_ERROR_SCENARIO.
 */
NgamPlanScenario *
ngam_plan_scenario_parse (const char  *text,
                          gssize       length,
                          const char  *filename,
                          GError     **error)
{
  g_autoptr(NgamPlanScenario) sc = ngam_plan_scenario_new ();
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) group_names = NULL;
  g_autofree char *copy = length < 0 ? g_strdup (text) : g_strndup (text, length);

  if (!g_key_file_load_from_data (kf, copy, (gsize) -1, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_SCENARIO, "%s: %s", filename, local->message);
      return NULL;
    }
  group_names = g_key_file_get_groups (kf, NULL);
  for (guint gi = 0; group_names[gi]; gi++)
    {
      const char *group = group_names[gi];
      g_auto(GStrv) names = NULL;
      gboolean known = FALSE;

      /* The coverage analysis's settings share the scenario (core/cover
       * checks them): ngam_gaps_run() keeps a scenario with them alone. */
      if (g_str_equal (group, "coverage"))
        continue;
      for (guint j = 0; j < G_N_ELEMENTS (groups); j++)
        known |= g_str_equal (groups[j], group);
      if (!known)
        {
          refuse (error, filename, copy, group, NULL,
                  _("unknown group (known groups: costs, rules, scope, priorities)"));
          return NULL;
        }
      names = g_key_file_get_keys (kf, group, NULL, NULL);
      for (guint ki = 0; names && names[ki]; ki++)
        {
          const char *key = names[ki];
          const Key *k = find_key (group, key);
          g_autofree char *value = NULL;
          g_autofree char *why = NULL;
          gpointer field;

          if (k == NULL)
            {
              refuse (error, filename, copy, group, key, _("unknown key"));
              return NULL;
            }
          field = (char *) sc + k->offset;
          value = g_key_file_get_value (kf, group, key, NULL);
          g_strstrip (value);
          if (k->kind == K_COST || k->kind == K_NUM || k->kind == K_PERCENT)
            {
              char *end = NULL;
              g_autofree char *digits = g_strdup (value);
              double d;

              /* allow thousands separators written as `_` or spaces: 1_200_000 */
              {
                char *w = digits;

                for (const char *r = value; *r; r++)
                  if (*r != '_' && *r != ' ')
                    *w++ = *r;
                *w = '\0';
              }
              if (k->kind == K_PERCENT && *digits && digits[strlen (digits) - 1] == '%')
                digits[strlen (digits) - 1] = '\0';
              d = g_ascii_strtod (digits, &end);
              if (*digits == '\0' || end == NULL || *end != '\0' || !isfinite (d))
                {
                  refuse (error, filename, copy, group, key, _("“%s” is not a number"), value);
                  return NULL;
                }
              if (k->kind == K_COST && d < 0)
                {
                  refuse (error, filename, copy, group, key, _("a cost cannot be negative (%s)"), value);
                  return NULL;
                }
              if (k->kind == K_PERCENT && (d < k->min || d > k->max))
                {
                  refuse (error, filename, copy, group, key, _("%s %% is outside %g–%g %%"), value, k->min, k->max);
                  return NULL;
                }
              if (k->kind == K_NUM && (d < k->min || d > k->max))
                {
                  refuse (error, filename, copy, group, key, _("%s is outside %g–%g"), value, k->min, k->max);
                  return NULL;
                }
              *(double *) field = k->kind == K_PERCENT ? d / 100.0 : d;
            }
          else if (k->kind == K_BOOL)
            {
              if (g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1"))
                *(gboolean *) field = TRUE;
              else if (g_ascii_strcasecmp (value, "false") == 0 || g_str_equal (value, "0"))
                *(gboolean *) field = FALSE;
              else
                {
                  refuse (error, filename, copy, group, key, _("“%s” is not true or false"), value);
                  return NULL;
                }
            }
          else
            {
              set_text (sc, k, value, &why);
              if (why)
                {
                  refuse (error, filename, copy, group, key, "%s", why);
                  return NULL;
                }
            }
        }
    }
  sc->text = g_steal_pointer (&copy);
  sc->filename = g_strdup (filename);
  return g_steal_pointer (&sc);
}

/**
 * ngam_plan_scenario_load:
 *
 * Returns: (transfer full): the scenario in @filename, or NULL with
 *   @error set (the file cannot be read, or is refused).
 */
NgamPlanScenario *
ngam_plan_scenario_load (const char  *filename,
                         GError     **error)
{
  g_autofree char *text = NULL;
  gsize len;
  g_autoptr(GError) local = NULL;

  if (!g_file_get_contents (filename, &text, &len, &local))
    {
      g_set_error (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_SCENARIO, "%s", local->message);
      return NULL;
    }
  if (!g_utf8_validate (text, len, NULL))
    {
      g_set_error (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_SCENARIO, _("%s: not UTF-8 text"), filename);
      return NULL;
    }
  return ngam_plan_scenario_parse (text, len, filename, error);
}

/* The line of [group] key in the scenario's text, 0 when it has none. */
int
ngam_plan_scenario_line (const NgamPlanScenario *sc,
                         const char             *group,
                         const char             *key)
{
  return find_line (sc->text, group, key);
}

/* The text a scenario was read from; for the defaults, NULL. */
const char *
ngam_plan_scenario_get_text (const NgamPlanScenario *sc)
{
  return sc->text;
}

static void
append_value (GString                *s,
              const NgamPlanScenario *sc,
              const Key              *k)
{
  gconstpointer field = (const char *) sc + k->offset;

  switch (k->kind)
    {
    case K_COST:
    case K_NUM:
      ngam_append_double (s, *(const double *) field);
      break;
    case K_PERCENT:
      /* 7 for 0.07, read back as 7 / 100 */
      ngam_append_scaled (s, *(const double *) field, 100.0);
      break;
    case K_BOOL:
      g_string_append (s, *(const gboolean *) field ? "true" : "false");
      break;
    case K_LIST:
      {
        char *const *v = *(char *const *const *) field;

        for (guint i = 0; v && v[i]; i++)
          g_string_append_printf (s, "%s%s", i ? ";" : "", v[i]);
      }
      break;
    case K_TEXT:
      g_string_append (s, *(const char *const *) field ? *(const char *const *) field : "");
      break;
    case K_SPLIT:
      g_string_append (s, sc->split == SPLIT_DUCTS ? "ducts" : sc->split == SPLIT_SECTION ? "section" : "equal");
      break;
    case K_ARRANGEMENTS:
      for (guint i = 0; i < N_ARRANGEMENTS && sc->arr_ducts[i] > 0; i++)
        {
          g_string_append_printf (s, "%s%dx%d:", i ? ";" : "", sc->arr_layers[i], sc->arr_ducts[i]);
          ngam_append_double (s, sc->arr_top_mm[i]);
          g_string_append_c (s, '/');
          ngam_append_double (s, sc->arr_bottom_mm[i]);
        }
      break;
    }
}

/* The unit a key's value is written in, as data/scenarios/default.ini
 * documents them. */
static const char *
key_unit (const Key *k)
{
  const char *key = k->key;

  switch (k->kind)
    {
    case K_PERCENT:
      return "%";
    case K_COST:
      if (g_str_has_prefix (key, "rent_"))
        return "VND/m/month";
      if (g_str_equal (key, "budget_per_year"))
        return "VND/year";
      if (g_str_has_suffix (key, "_per_m") || g_str_has_prefix (key, "open_cut_") ||
          g_str_has_prefix (key, "reinstate_") || g_str_equal (key, "micro_trench") ||
          g_str_equal (key, "bridge_attachment"))
        return "VND/m";
      return "VND";
    case K_NUM:
      if (g_str_has_suffix (key, "_mm"))
        return "mm";
      if (g_str_has_suffix (key, "_m"))
        return "m";
      if (g_str_has_suffix (key, "_deg"))
        return "°";
      if (g_str_has_suffix (key, "years"))
        return "years";
      return NULL;
    case K_BOOL:
    case K_LIST:
    case K_TEXT:
    case K_SPLIT:
    case K_ARRANGEMENTS:
    default:
      return NULL;
    }
}

/**
 * ngam_plan_scenario_key_info:
 * @info: (out caller-allocates): what the key holds, its bounds and unit
 *
 * What an editor needs to offer the right control for a key of the
 * scenario: the same table the parser checks against.
 *
 * Returns: FALSE when the planner has no such key.
 */
gboolean
ngam_plan_scenario_key_info (const char      *group,
                             const char      *key,
                             NgamPlanKeyInfo *info)
{
  static const char *const splits[] = { "ducts", "section", "equal", NULL };
  const Key *k = find_key (group, key);

  g_return_val_if_fail (info != NULL, FALSE);

  memset (info, 0, sizeof *info);
  if (k == NULL)
    return FALSE;
  info->group = k->group;
  info->key = k->key;
  info->min = k->min;
  info->max = k->max;
  info->unit = key_unit (k);
  switch (k->kind)
    {
    case K_COST: info->type = NGAM_PLAN_KEY_MONEY; break;
    case K_NUM: info->type = NGAM_PLAN_KEY_NUMBER; break;
    case K_PERCENT: info->type = NGAM_PLAN_KEY_PERCENT; break;
    case K_BOOL: info->type = NGAM_PLAN_KEY_BOOLEAN; break;
    case K_LIST: info->type = NGAM_PLAN_KEY_LIST; break;
    case K_TEXT: info->type = NGAM_PLAN_KEY_TEXT; break;
    case K_SPLIT:
      info->type = NGAM_PLAN_KEY_CHOICE;
      info->choices = splits;
      break;
    case K_ARRANGEMENTS:
    default:
      info->type = NGAM_PLAN_KEY_ARRANGEMENTS;
      break;
    }
  return TRUE;
}

/**
 * ngam_plan_scenario_to_text:
 *
 * Returns: (transfer full): every key and its value, as a GKeyFile text
 *   that parses back to the same scenario (what a run stores).
 */
char *
ngam_plan_scenario_to_text (const NgamPlanScenario *sc)
{
  GString *s = g_string_new (NULL);
  const char *group = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (group == NULL || !g_str_equal (group, keys[i].group))
        {
          group = keys[i].group;
          g_string_append_printf (s, "%s[%s]\n", s->len ? "\n" : "", group);
        }
      g_string_append_printf (s, "%s = ", keys[i].key);
      append_value (s, sc, &keys[i]);
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

/* A copy of @sc with the run's overrides applied. */
NgamPlanScenario *
ngam_plan_scenario_copy_with (const NgamPlanScenario *sc,
                              const NgamPlanOptions  *o,
                              GError                **error)
{
  g_autofree char *text = ngam_plan_scenario_to_text (sc);
  NgamPlanScenario *copy = ngam_plan_scenario_parse (text, -1, "scenario", error);

  if (copy == NULL)
    return NULL;
  g_free (copy->text);
  copy->text = g_strdup (sc->text);
  g_free (copy->filename);
  copy->filename = g_strdup (sc->filename ? sc->filename : "scenario");
  if (o->area)
    {
      g_free (copy->area);
      copy->area = g_strdup (o->area);
    }
  if (o->streets)
    {
      g_strfreev (copy->streets);
      copy->streets = parse_list (o->streets);
    }
  if (o->years > 0)
    copy->years = o->years;
  if (o->budget_per_year >= 0)
    copy->budget_per_year = o->budget_per_year;
  copy->with_power |= o->with_power;
  return copy;
}
