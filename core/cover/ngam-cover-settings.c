/* ngam-cover-settings.c — the `[coverage]` settings of a scenario: one
 * table of keys, defaults and documentation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The defaults below apply until a scenario's `[coverage]` group (or the
 * caller's override text) sets a key.  Ranges are the usual planning
 * radii of macro cells in Vietnamese towns and countryside, not
 * measurements: the province replaces them with its own.
 */
#define G_LOG_DOMAIN "ngam-cover"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stddef.h>
#include <string.h>

#include "ngam-cover-private.h"
#include "ngam-results.h"

#define GROUP "coverage"

typedef enum { KEY_DOUBLE, KEY_INT, KEY_BOOL } KeyType;

typedef struct
{
  const char *name;
  KeyType     type;
  gsize       offset;
  double      def;
  double      min, max;
  const char *doc;
} KeyInfo;

#define D(field) offsetof (CoverSettings, field)
#define R(t, e) (offsetof (CoverSettings, range_m) + ((t) * COVER_N_ENV + (e)) * sizeof (double))

static const KeyInfo keys[] = {
  { "persons_per_household", KEY_DOUBLE, D (persons_per_household), 3.5, 0.1, 50,
    "population of a household (population = households × this)" },
  { "max_drop_m", KEY_DOUBLE, D (max_drop_m), 300, 0, 100000,
    "a household is within fibre reach when its distance along the streets to a fibre access point is at most this" },
  { "max_snap_m", KEY_DOUBLE, D (max_snap_m), 150, 0, 100000,
    "households and access points farther than this from every street are not reached along the streets" },
  { "sector_beamwidth_deg", KEY_DOUBLE, D (sector_beamwidth_deg), 120, 1, 360,
    "width of a sector of a cell that has an azimuth" },
  { "circle_quadrant_segments", KEY_INT, D (circle_quadrant_segments), 30, 2, 1000,
    "segments per quarter circle of a cell's area (30 as SpatiaLite's ST_Buffer)" },
  { "environment_radius_m", KEY_DOUBLE, D (environment_radius_m), 500, 1, 100000,
    "with environment = auto, a site's environment is read from the households within this radius" },
  { "dense_urban_households_per_km2", KEY_DOUBLE, D (dense_urban_households_per_km2), 3000, 0, 1e9,
    "environment = auto: at least this many households per km² around a site is dense urban" },
  { "urban_households_per_km2", KEY_DOUBLE, D (urban_households_per_km2), 300, 0, 1e9,
    "environment = auto: at least this many (and fewer than dense urban) is urban, fewer is rural" },
  { "range_2g_dense_urban_m", KEY_DOUBLE, R (0, 0), 1200, 0, 1e6, "2G range where a site has none" },
  { "range_2g_urban_m", KEY_DOUBLE, R (0, 1), 2500, 0, 1e6, NULL },
  { "range_2g_rural_m", KEY_DOUBLE, R (0, 2), 8000, 0, 1e6, NULL },
  { "range_3g_dense_urban_m", KEY_DOUBLE, R (1, 0), 800, 0, 1e6, "3G range where a site has none" },
  { "range_3g_urban_m", KEY_DOUBLE, R (1, 1), 1600, 0, 1e6, NULL },
  { "range_3g_rural_m", KEY_DOUBLE, R (1, 2), 5000, 0, 1e6, NULL },
  { "range_4g_dense_urban_m", KEY_DOUBLE, R (2, 0), 600, 0, 1e6, "4G range where a site has none" },
  { "range_4g_urban_m", KEY_DOUBLE, R (2, 1), 1200, 0, 1e6, NULL },
  { "range_4g_rural_m", KEY_DOUBLE, R (2, 2), 4000, 0, 1e6, NULL },
  { "range_5g_dense_urban_m", KEY_DOUBLE, R (3, 0), 250, 0, 1e6, "5G range where a site has none" },
  { "range_5g_urban_m", KEY_DOUBLE, R (3, 1), 400, 0, 1e6, NULL },
  { "range_5g_rural_m", KEY_DOUBLE, R (3, 2), 1200, 0, 1e6, NULL },
  { "gap_radius_m", KEY_DOUBLE, D (gap_radius_m), 100, 1, 100000,
    "a gap polygon is the union of disks of this radius around the demand left out (minus the coverage)" },
  { "union_tile_pieces", KEY_DOUBLE, D (union_tile_pieces), 64, 4, 1e6,
    "cells per tile, on average, when the coverage is unioned tile by tile" },
  { "fibre_extension_vnd_per_m", KEY_DOUBLE, D (fibre_extension_vnd_per_m), 900000, 0, 1e12,
    "cost of extending fibre along a street (trench, duct and cable), VND per metre" },
  { "fibre_drop_vnd_per_household", KEY_DOUBLE, D (fibre_drop_vnd_per_household), 1500000, 0, 1e12,
    "cost of one household's drop and connection, VND" },
  { "household_value_vnd", KEY_DOUBLE, D (household_value_vnd), 20000000, 0, 1e15,
    "what connecting one household is worth (the prize of the prize-collecting Steiner tree), VND" },
  { "cluster_size_m", KEY_DOUBLE, D (cluster_size_m), 300, 1, 100000,
    "households left out are grouped in square cells of this size, one Steiner terminal each" },
  { "fibre_proposals", KEY_INT, D (fibre_proposals), 50, 0, 100000,
    "at most this many fibre extensions are proposed" },
  { "steiner_max_starts", KEY_INT, D (steiner_max_starts), 4, 1, 1000,
    "constructions of the Steiner search (a fixed number keeps runs identical)" },
  { "mobile_proposals", KEY_INT, D (mobile_proposals), 10, 0, 100000,
    "at most this many new sites are proposed per technology" },
  { "mobile_min_population", KEY_DOUBLE, D (mobile_min_population), 10, 0, 1e9,
    "a new site is proposed only if it covers at least this many more people" },
  { "candidate_spacing_m", KEY_DOUBLE, D (candidate_spacing_m), 100, 1, 100000,
    "candidate sites: at most one existing pole per square of this size (or of half the technology's urban range, if larger)" },
  { "candidate_grid_m", KEY_DOUBLE, D (candidate_grid_m), 250, 1, 100000,
    "candidate sites on a grid of this spacing when the project has no poles" },
  { "flood_breaks_underground", KEY_BOOL, D (flood_breaks_underground), 0, 0, 1,
    "a flood also cuts underground routes and manholes inside it (sealed plant survives by default)" },
  { "landslide_breaks_underground", KEY_BOOL, D (landslide_breaks_underground), 1, 0, 1,
    "a landslide also cuts underground routes and manholes inside it" },
};

static const char *const env_names[] = { "dense_urban", "urban", "rural" };

static void
set_defaults (CoverSettings *s)
{
  memset (s, 0, sizeof *s);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      guint8 *p = (guint8 *) s + keys[i].offset;

      switch (keys[i].type)
        {
        case KEY_DOUBLE: *(double *) p = keys[i].def; break;
        case KEY_INT: *(int *) p = (int) keys[i].def; break;
        case KEY_BOOL: *(gboolean *) p = keys[i].def != 0; break;
        }
    }
  s->environment = -1;
}

/* Reads the keys @kf sets; an unknown key in the group is refused (a typo
 * would otherwise silently keep the default). */
static gboolean
apply_group (CoverSettings *s,
             GKeyFile      *kf,
             const char    *where,
             GError       **error)
{
  g_auto(GStrv) names = NULL;

  if (!g_key_file_has_group (kf, GROUP))
    return TRUE;
  names = g_key_file_get_keys (kf, GROUP, NULL, NULL);
  for (guint n = 0; names && names[n]; n++)
    {
      const char *name = names[n];
      g_autofree char *text = g_key_file_get_value (kf, GROUP, name, NULL);
      const KeyInfo *k = NULL;
      char *end;
      double v;

      if (strcmp (name, "environment") == 0)
        {
          g_strstrip (text);
          s->environment = -2;
          if (strcmp (text, "auto") == 0)
            s->environment = -1;
          for (guint e = 0; e < COVER_N_ENV; e++)
            if (strcmp (text, env_names[e]) == 0)
              s->environment = e;
          if (s->environment == -2)
            {
              g_set_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_INVALID,
                           _("%s: [coverage] environment is “%s”; expected auto, dense_urban, urban or rural"),
                           where, text);
              return FALSE;
            }
          continue;
        }
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        if (strcmp (keys[i].name, name) == 0)
          k = &keys[i];
      if (k == NULL)
        {
          g_set_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_INVALID,
                       _("%s: [coverage] has no setting “%s”"), where, name);
          return FALSE;
        }
      g_strstrip (text);
      if (k->type == KEY_BOOL)
        {
          if (g_ascii_strcasecmp (text, "true") == 0 || strcmp (text, "1") == 0)
            v = 1;
          else if (g_ascii_strcasecmp (text, "false") == 0 || strcmp (text, "0") == 0)
            v = 0;
          else
            {
              g_set_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_INVALID,
                           _("%s: [coverage] %s is “%s”; expected true or false"), where, name, text);
              return FALSE;
            }
        }
      else
        {
          v = g_ascii_strtod (text, &end);
          if (end == text || *end != '\0' || !(v >= k->min && v <= k->max) ||
              (k->type == KEY_INT && v != floor (v)))
            {
              g_set_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_INVALID,
                           _("%s: [coverage] %s is “%s”; expected a%s number from %g to %g"),
                           where, name, text, k->type == KEY_INT ? "n integer" : "", k->min, k->max);
              return FALSE;
            }
        }
      switch (k->type)
        {
        case KEY_DOUBLE: *(double *) ((guint8 *) s + k->offset) = v; break;
        case KEY_INT: *(int *) ((guint8 *) s + k->offset) = (int) v; break;
        case KEY_BOOL: *(gboolean *) ((guint8 *) s + k->offset) = v != 0; break;
        }
    }
  return TRUE;
}

static gboolean
load_text (GKeyFile   *kf,
           const char *text,
           const char *where,
           GError    **error)
{
  g_autoptr(GError) local = NULL;

  if (g_key_file_load_from_data (kf, text, -1, G_KEY_FILE_NONE, &local))
    return TRUE;
  g_set_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_INVALID, _("%s: %s"), where, local->message);
  return FALSE;
}

/* The text of the settings as used: every key with its value. */
static char *
settings_text (const CoverSettings *s)
{
  GString *out = g_string_new ("[" GROUP "]\n");
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (out, "environment = %s\n", s->environment < 0 ? "auto" : env_names[s->environment]);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const guint8 *p = (const guint8 *) s + keys[i].offset;

      switch (keys[i].type)
        {
        case KEY_DOUBLE:
          g_string_append_printf (out, "%s = %s\n", keys[i].name, g_ascii_dtostr (buf, sizeof buf, *(double *) p));
          break;
        case KEY_INT:
          g_string_append_printf (out, "%s = %d\n", keys[i].name, *(const int *) p);
          break;
        case KEY_BOOL:
          g_string_append_printf (out, "%s = %s\n", keys[i].name, *(const gboolean *) p ? "true" : "false");
          break;
        }
    }
  return g_string_free (out, FALSE);
}

/* Defaults, then the scenario's `[coverage]` group when the project has
 * that scenario, then @overrides. */
gboolean
cover_settings_load (CoverSettings *s,
                     NgamStore     *store,
                     const char    *scenario,
                     const char    *overrides,
                     char         **used_text,
                     GError       **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(NgamScenarioInfo) info = NULL;

  set_defaults (s);
  info = ngam_store_get_scenario (store, scenario, &local);
  if (info == NULL && local && !g_error_matches (local, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (info && info->settings)
    {
      g_autoptr(GKeyFile) kf = g_key_file_new ();
      g_autofree char *where = g_strdup_printf (_("scenario “%s”"), scenario);

      if (!load_text (kf, info->settings, where, error) || !apply_group (s, kf, where, error))
        return FALSE;
    }
  if (overrides)
    {
      g_autoptr(GKeyFile) kf = g_key_file_new ();

      if (!load_text (kf, overrides, _("the settings given"), error) ||
          !apply_group (s, kf, _("the settings given"), error))
        return FALSE;
    }
  if (used_text)
    *used_text = settings_text (s);
  return TRUE;
}

/**
 * ngam_gaps_settings_doc:
 *
 * Returns: (transfer full): the `[coverage]` keys with their defaults and
 *   one comment line each, as a scenario file would hold them.
 */
char *
ngam_gaps_settings_doc (void)
{
  GString *out = g_string_new ("[" GROUP "]\n");
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, "# dense_urban, urban, rural, or auto (from the households around each site)\n"
                        "environment = auto\n");
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (keys[i].doc)
        g_string_append_printf (out, "# %s\n", keys[i].doc);
      if (keys[i].type == KEY_BOOL)
        g_string_append_printf (out, "%s = %s\n", keys[i].name, keys[i].def != 0 ? "true" : "false");
      else
        g_string_append_printf (out, "%s = %s\n", keys[i].name, g_ascii_dtostr (buf, sizeof buf, keys[i].def));
    }
  return g_string_free (out, FALSE);
}
