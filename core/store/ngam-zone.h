/* ngam-zone.h — the one vocabulary of zone types and construction methods
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The importer, the street graph, the route costs, the planner, the
 * renderer and the CLI all read zone types and methods from this table, so
 * a zone typed `river` means water to every one of them.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Zone types, one bit each, as the street graph marks the zones an edge
 * crosses (NgamEdgeAttr.zones). */
typedef enum
{
  NGAM_ZONE_FLOOD = 1 << 0,
  NGAM_ZONE_LANDSLIDE = 1 << 1,
  NGAM_ZONE_HERITAGE = 1 << 2,
  NGAM_ZONE_FESTIVAL = 1 << 3,
  NGAM_ZONE_NO_DIG = 1 << 4,
  NGAM_ZONE_WATER = 1 << 5,     /* rivers, canals, moats: a crossing there is a bridge or HDD */
} NgamZoneFlags;

#define NGAM_N_ZONE_TYPES 6
#define NGAM_ZONE_ALL ((NgamZoneFlags) ((1 << NGAM_N_ZONE_TYPES) - 1))

/* How a cable planner (or a route) may use streets that cross the zone. */
typedef enum
{
  NGAM_ZONE_ROUTE_OPEN,            /* like any street (the zone changes methods or priority) */
  NGAM_ZONE_ROUTE_AVOID_IF_DETOUR, /* avoided when an alternative exists within a set detour */
  NGAM_ZONE_ROUTE_BRIDGE_OR_HDD,   /* crossed only on a bridge (attachment) or by HDD */
  NGAM_ZONE_ROUTE_FORBIDDEN,       /* never dug: only existing ducts may be used */
} NgamZoneRouting;

/* Construction methods of a trench edge, one bit each.  The names are
 * the planner's JSON keys (totals.trench_m_by_method.NAME). */
typedef enum
{
  NGAM_METHOD_OPEN_CUT_SIDEWALK = 1 << 0,
  NGAM_METHOD_OPEN_CUT_ROADWAY = 1 << 1,
  NGAM_METHOD_OPEN_CUT_UNPAVED = 1 << 2,
  NGAM_METHOD_MICRO_TRENCH = 1 << 3,
  NGAM_METHOD_HDD = 1 << 4,
  NGAM_METHOD_BRIDGE_ATTACHMENT = 1 << 5,
  NGAM_METHOD_DUCT_REUSE = 1 << 6,
} NgamMethodFlags;

#define NGAM_N_METHODS 7
#define NGAM_METHOD_ALL ((NgamMethodFlags) ((1 << NGAM_N_METHODS) - 1))
#define NGAM_METHOD_OPEN_CUT (NGAM_METHOD_OPEN_CUT_SIDEWALK | NGAM_METHOD_OPEN_CUT_ROADWAY | \
                              NGAM_METHOD_OPEN_CUT_UNPAVED)

/**
 * NgamZoneInfo:
 * @flag: the zone type's bit
 * @name: the canonical name, stored in the zones layer's `zone_type`
 * @title: for people, marked for translation (show with g_dgettext())
 * @aliases: (array zero-terminated=1): other spellings operators and
 *   provinces use (folded: lower case, no diacritics, `_` for `-` and ` `)
 * @routing: what the zone means for the streets that cross it
 * @methods: the construction methods allowed inside it
 * @hazard: a hazard the plant must survive (exposure, priority)
 * @doc: one line for people
 */
typedef struct
{
  NgamZoneFlags       flag;
  const char         *name;
  const char         *title;
  const char *const  *aliases;
  NgamZoneRouting     routing;
  NgamMethodFlags     methods;
  gboolean            hazard;
  const char         *doc;
} NgamZoneInfo;

/**
 * NgamMethodInfo:
 * @flag: the method's bit
 * @name: the canonical name (`open_cut_sidewalk`, …, `duct_reuse`)
 * @title: for people, marked for translation
 */
typedef struct
{
  NgamMethodFlags  flag;
  const char      *name;
  const char      *title;
} NgamMethodInfo;

const NgamZoneInfo   *ngam_zone_info          (NgamZoneFlags flag);
const NgamZoneInfo   *ngam_zone_info_nth      (guint i);
NgamZoneFlags         ngam_zone_from_name     (const char *name);
gboolean              ngam_zone_parse_list    (const char *list, NgamZoneFlags *mask, GError **error);
const char           *ngam_zone_names         (void);
char                 *ngam_zone_flags_to_string (NgamZoneFlags mask);
NgamMethodFlags       ngam_zone_allowed_methods (NgamZoneFlags mask);

const NgamMethodInfo *ngam_method_info        (NgamMethodFlags flag);
const NgamMethodInfo *ngam_method_info_nth    (guint i);
NgamMethodFlags       ngam_method_from_name   (const char *name);

char                 *ngam_vocab_fold         (const char *text);

G_END_DECLS
