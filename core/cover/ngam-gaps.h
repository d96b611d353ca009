/* ngam-gaps.h — coverage gaps and hazard exposure: who is left without
 * signal or fibre, what a flood or landslide would cut, and the cheapest
 * way to close each gap
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One synchronous job, ngam_gaps_run(), over a project's cell sites,
 * demand points, wards, fibre plant, streets and zones:
 *
 * - mobile coverage per technology (2G … 5G): each site's circle or
 *   sector, unioned over a grid of tiles (ngam-cover-union.c);
 * - fixed coverage: a household is within fibre reach when its distance
 *   along the streets to the nearest fibre access point is within the
 *   drop limit, by one multi-source search (ngam-cover-fibre.c);
 * - the province's indicators per ward and for the project, and the gaps
 *   as points and polygons (ngam-cover-indicators.c);
 * - hazard exposure of flood and landslide zones (ngam-cover-hazard.c);
 * - proposals that close the gaps (ngam-cover-proposals.c);
 * - the run stored in the project, replacing the previous one
 *   (ngam-cover-write.c).
 *
 * The settings are the `[coverage]` group of the scenario (see
 * ngam_gaps_settings_doc() for every key and its default).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ngam-context.h"
#include "ngam-store.h"

G_BEGIN_DECLS

#define NGAM_COVER_ERROR (ngam_cover_error_quark ())

typedef enum
{
  NGAM_COVER_ERROR_INVALID,    /* a setting or option out of range, an unknown ward */
  NGAM_COVER_ERROR_NO_DATA,    /* nothing to analyse (no demand and no sites) */
  NGAM_COVER_ERROR_DEM,        /* the elevation raster cannot be read or used */
  NGAM_COVER_ERROR_FAILED,     /* GEOS or another library failed */
  NGAM_COVER_ERROR_CANCELLED,
} NgamCoverError;

/* The technologies, one bit each; 2G … 5G are the mobile ones. */
typedef enum
{
  NGAM_GAPS_2G = 1 << 0,
  NGAM_GAPS_3G = 1 << 1,
  NGAM_GAPS_4G = 1 << 2,
  NGAM_GAPS_5G = 1 << 3,
  NGAM_GAPS_FIBRE = 1 << 4,
} NgamGapsTech;

#define NGAM_GAPS_N_MOBILE 4
#define NGAM_GAPS_N_TECH 5
#define NGAM_GAPS_MOBILE (NGAM_GAPS_2G | NGAM_GAPS_3G | NGAM_GAPS_4G | NGAM_GAPS_5G)
#define NGAM_GAPS_ALL (NGAM_GAPS_MOBILE | NGAM_GAPS_FIBRE)

/**
 * NgamGapsOptions:
 * @scenario: (nullable): the scenario whose `[coverage]` settings apply
 *   and under which the run is stored; NULL for `default`
 * @settings: (nullable): GKeyFile text whose `[coverage]` keys override
 *   the scenario's (and the defaults)
 * @techs: #NgamGapsTech mask; 0 for all
 * @max_drop_m: the drop limit in metres along streets; NAN for the
 *   setting `max_drop_m`
 * @area: (nullable): a ward's name or code: only its demand is analysed
 * @hazards: #NgamZoneFlags of the hazard zones to assess (NGAM_ZONE_FLOOD,
 *   NGAM_ZONE_LANDSLIDE); 0 for none
 * @flood_depth: with NGAM_ZONE_FLOOD, only flood zones at least this deep
 *   (their `level`, in metres); NAN for every flood zone
 * @dem: (nullable): an elevation raster (line of sight); not supported
 *   yet: refused with NGAM_COVER_ERROR_DEM
 * @proposals: also propose how to close the gaps
 * @store_results: write the run into the project (it must be open for
 *   writing); FALSE computes only
 */
typedef struct
{
  const char *scenario;
  const char *settings;
  guint       techs;
  double      max_drop_m;
  const char *area;
  guint       hazards;
  double      flood_depth;
  const char *dem;
  gboolean    proposals;
  gboolean    store_results;
} NgamGapsOptions;

#define NGAM_GAPS_OPTIONS_INIT { NULL, NULL, 0, NAN, NULL, 0, NAN, NULL, TRUE, TRUE }

/**
 * NgamGapsResult:
 * @summary: the gaps JSON (an object: indicators, fibre, mobile, wards,
 *   hazards, proposals, notes; README "Coverage gaps" lists every key)
 * @run_id: the stored run, or 0 when not stored
 * @n_features: result features written
 * @seconds: wall time
 * @seconds_read: reading the project, the street graph, locating
 * @seconds_mobile: coverage per demand point and the unions
 * @seconds_fibre: fibre reach (all operators, then each)
 * @seconds_indicators: indicators and gaps
 * @seconds_hazards: hazard exposure
 * @seconds_proposals: proposals
 * @seconds_store: storing the run
 *
 * The times are not part of the summary (which is the same every run).
 */
typedef struct
{
  JsonNode *summary;
  gint64    run_id;
  gint64    n_features;
  double    seconds;
  double    seconds_read;
  double    seconds_mobile;
  double    seconds_fibre;
  double    seconds_indicators;
  double    seconds_hazards;
  double    seconds_proposals;
  double    seconds_store;
} NgamGapsResult;

GQuark       ngam_cover_error_quark   (void);

gboolean     ngam_gaps_run            (NgamStore              *store,
                                       const NgamGapsOptions  *options,
                                       NgamGapsResult        **result,
                                       NgamProgressFunc        progress,
                                       gpointer                progress_data,
                                       GCancellable           *cancellable,
                                       GError                **error);
void         ngam_gaps_result_free    (NgamGapsResult *result);

gboolean     ngam_gaps_parse_techs    (const char *list, guint *techs, GError **error);
gboolean     ngam_gaps_parse_hazard   (const char *text, guint *hazards, double *flood_depth, GError **error);
const char  *ngam_gaps_tech_name      (guint index);
char        *ngam_gaps_settings_doc   (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamGapsResult, ngam_gaps_result_free)

G_END_DECLS
