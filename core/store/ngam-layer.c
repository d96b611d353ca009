/* ngam-layer.c — the layer kinds of the network model and their fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One table describes every layer: the store makes its tables from it, the
 * import maps source fields onto it, the inspector lists it.  Adding a field
 * here and a migration in sqlite/ngam-sqlite-schema.c is all a new field needs.
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ngam-layer.h"

#define N(a) G_N_ELEMENTS (a)

static const NgamFieldInfo pole_fields[] = {
  { "code", NGAM_FIELD_TEXT, NULL, "the owner's pole number" },
  { "height_m", NGAM_FIELD_REAL, "m", "height above ground" },
  { "material", NGAM_FIELD_TEXT, NULL, "concrete, steel, wood, …" },
  { "owner", NGAM_FIELD_TEXT, NULL, "who owns the pole (power company, operator)" },
  { "status", NGAM_FIELD_TEXT, NULL, "active, planned or removed" },
};

static const NgamFieldInfo span_fields[] = {
  { "code", NGAM_FIELD_TEXT, NULL, "the operator's cable or span number" },
  { "cable_type", NGAM_FIELD_TEXT, NULL, "fibre, copper, coax or power" },
  { "fibre_count", NGAM_FIELD_INT, NULL, "fibres or pairs in the cable" },
  { "diameter_mm", NGAM_FIELD_REAL, "mm", "outer diameter of the cable" },
  { "cable_count", NGAM_FIELD_INT, NULL, "cables hung on this span by the operator" },
  { "from_pole", NGAM_FIELD_INT, NULL, "fid of the pole at the start" },
  { "to_pole", NGAM_FIELD_INT, NULL, "fid of the pole at the end" },
  { "status", NGAM_FIELD_TEXT, NULL, "active, planned or retired" },
};

static const NgamFieldInfo route_fields[] = {
  { "code", NGAM_FIELD_TEXT, NULL, "the operator's route number" },
  { "name", NGAM_FIELD_TEXT, NULL, "route name" },
  { "cable_type", NGAM_FIELD_TEXT, NULL, "fibre, copper or coax" },
  { "fibre_count", NGAM_FIELD_INT, NULL, "fibres or pairs" },
  { "diameter_mm", NGAM_FIELD_REAL, "mm", "outer diameter of the cable" },
  { "placement", NGAM_FIELD_TEXT, NULL, "aerial, underground or mixed" },
};

static const NgamFieldInfo street_fields[] = {
  { "name", NGAM_FIELD_TEXT, NULL, "street name" },
  { "highway", NGAM_FIELD_TEXT, NULL, "class: primary, secondary, tertiary, residential, alley, …" },
  { "surface", NGAM_FIELD_TEXT, NULL, "asphalt, concrete, paving_stones, unpaved, …" },
  { "width_m", NGAM_FIELD_REAL, "m", "carriageway width" },
  { "sidewalk_m", NGAM_FIELD_REAL, "m", "sidewalk width on each side (0 for none)" },
  { "bridge", NGAM_FIELD_BOOL, NULL, "carried by a bridge" },
  { "tunnel", NGAM_FIELD_BOOL, NULL, "in a tunnel" },
  { "layer", NGAM_FIELD_INT, NULL, "vertical order (OSM layer): streets on different layers do not meet" },
  { "festival", NGAM_FIELD_BOOL, NULL, "on the province's list of festival / priority streets" },
};

static const NgamFieldInfo duct_fields[] = {
  { "code", NGAM_FIELD_TEXT, NULL, "duct route number" },
  { "duct_count", NGAM_FIELD_INT, NULL, "ducts in the bank" },
  { "duct_free", NGAM_FIELD_INT, NULL, "ducts free for new cable" },
  { "duct_diameter_mm", NGAM_FIELD_REAL, "mm", "inner diameter of one duct" },
  { "material", NGAM_FIELD_TEXT, NULL, "HDPE, PVC, …" },
  { "depth_m", NGAM_FIELD_REAL, "m", "cover to the top duct" },
};

static const NgamFieldInfo manhole_fields[] = {
  { "code", NGAM_FIELD_TEXT, NULL, "manhole number" },
  { "kind", NGAM_FIELD_TEXT, NULL, "manhole or handhole" },
  { "size", NGAM_FIELD_TEXT, NULL, "type or inner size" },
};

static const NgamFieldInfo zone_fields[] = {
  { "zone_type", NGAM_FIELD_TEXT, NULL, "flood, landslide, heritage, festival, no_dig or water" },
  { "name", NGAM_FIELD_TEXT, NULL, "zone name" },
  { "level", NGAM_FIELD_REAL, NULL, "hazard level, or flood depth in m" },
};

static const NgamFieldInfo admin_fields[] = {
  { "name", NGAM_FIELD_TEXT, NULL, "unit name" },
  { "code", NGAM_FIELD_TEXT, NULL, "official code" },
  { "level", NGAM_FIELD_TEXT, NULL, "ward, district or province" },
  { "parent", NGAM_FIELD_TEXT, NULL, "name of the unit it belongs to" },
};

static const NgamFieldInfo demand_fields[] = {
  { "households", NGAM_FIELD_INT, NULL, "households or premises at the point" },
  { "building_type", NGAM_FIELD_TEXT, NULL, "house, apartment, shop, office, school, …" },
  { "name", NGAM_FIELD_TEXT, NULL, "name or address" },
};

static const NgamFieldInfo site_fields[] = {
  { "code", NGAM_FIELD_TEXT, NULL, "site or cell id" },
  { "radio", NGAM_FIELD_TEXT, NULL, "GSM, UMTS, LTE or NR" },
  { "range_m", NGAM_FIELD_REAL, "m", "coverage radius" },
  { "azimuth", NGAM_FIELD_REAL, "°", "sector azimuth; empty for omni" },
  { "height_m", NGAM_FIELD_REAL, "m", "antenna height" },
};

/* The titles are marked for translation (po/), not translated here: core
 * speaks English, the desktop app shows them with g_dgettext(). */
static const NgamLayerInfo layers[NGAM_N_LAYERS] = {
  { NGAM_LAYER_POLES, "poles", N_("Poles"), NGAM_SHAPE_POINT, pole_fields, N (pole_fields) },
  { NGAM_LAYER_SPANS, "spans", N_("Aerial spans"), NGAM_SHAPE_LINESTRING, span_fields, N (span_fields) },
  { NGAM_LAYER_ROUTES, "routes", N_("Cable routes"), NGAM_SHAPE_LINESTRING, route_fields, N (route_fields) },
  { NGAM_LAYER_STREETS, "streets", N_("Streets"), NGAM_SHAPE_LINESTRING, street_fields, N (street_fields) },
  { NGAM_LAYER_DUCTS, "ducts", N_("Ducts"), NGAM_SHAPE_LINESTRING, duct_fields, N (duct_fields) },
  { NGAM_LAYER_MANHOLES, "manholes", N_("Manholes"), NGAM_SHAPE_POINT, manhole_fields, N (manhole_fields) },
  { NGAM_LAYER_ZONES, "zones", N_("Zones"), NGAM_SHAPE_MULTIPOLYGON, zone_fields, N (zone_fields) },
  { NGAM_LAYER_ADMIN, "admin", N_("Administrative units"), NGAM_SHAPE_MULTIPOLYGON, admin_fields, N (admin_fields) },
  { NGAM_LAYER_DEMAND, "demand", N_("Demand points"), NGAM_SHAPE_POINT, demand_fields, N (demand_fields) },
  { NGAM_LAYER_SITES, "sites", N_("Cell sites"), NGAM_SHAPE_POINT, site_fields, N (site_fields) },
};

const NgamLayerInfo *
ngam_layer_info (NgamLayerKind kind)
{
  g_return_val_if_fail (kind < NGAM_N_LAYERS, NULL);
  return &layers[kind];
}

gboolean
ngam_layer_kind_from_name (const char    *name,
                           NgamLayerKind *kind)
{
  for (guint i = 0; i < NGAM_N_LAYERS; i++)
    if (g_ascii_strcasecmp (name, layers[i].name) == 0)
      {
        *kind = layers[i].kind;
        return TRUE;
      }
  return FALSE;
}

/* Returns: the field's index in the layer's fields, or -1. */
int
ngam_layer_field_index (NgamLayerKind  kind,
                        const char    *field)
{
  const NgamLayerInfo *info = ngam_layer_info (kind);

  for (guint i = 0; i < info->n_fields; i++)
    if (strcmp (info->fields[i].name, field) == 0)
      return (int) i;
  return -1;
}

/* "poles|spans|…", for usage messages. */
const char *
ngam_layer_kind_names (void)
{
  return "poles|spans|routes|streets|ducts|manholes|zones|admin|demand|sites";
}
