/* ngam-layer.h — the layer kinds of the network model and their fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "ngam-geom.h"

G_BEGIN_DECLS

typedef enum
{
  NGAM_LAYER_POLES,
  NGAM_LAYER_SPANS,
  NGAM_LAYER_ROUTES,
  NGAM_LAYER_STREETS,
  NGAM_LAYER_DUCTS,
  NGAM_LAYER_MANHOLES,
  NGAM_LAYER_ZONES,
  NGAM_LAYER_ADMIN,
  NGAM_LAYER_DEMAND,
  NGAM_LAYER_SITES,
  NGAM_N_LAYERS
} NgamLayerKind;

typedef enum
{
  NGAM_FIELD_TEXT,
  NGAM_FIELD_INT,
  NGAM_FIELD_REAL,
  NGAM_FIELD_BOOL,
} NgamFieldType;

/**
 * NgamFieldInfo:
 * @name: column name in the project file and model field name in profiles
 * @type: value type
 * @unit: (nullable): unit of a number ("m", "mm", "VND"…)
 * @doc: one line for people: what it holds and its allowed values
 */
typedef struct
{
  const char   *name;
  NgamFieldType type;
  const char   *unit;
  const char   *doc;
} NgamFieldInfo;

/**
 * NgamLayerInfo:
 * @kind: the kind
 * @name: table name and CLI name (`poles`, `spans`, …)
 * @title: for people
 * @shape: the single geometry type the layer stores
 * @fields: model fields, after the common columns every layer has
 */
typedef struct
{
  NgamLayerKind        kind;
  const char          *name;
  const char          *title;
  NgamShapeType        shape;
  const NgamFieldInfo *fields;
  guint                n_fields;
} NgamLayerInfo;

const NgamLayerInfo *ngam_layer_info            (NgamLayerKind kind);
gboolean             ngam_layer_kind_from_name  (const char *name, NgamLayerKind *kind);
int                  ngam_layer_field_index     (NgamLayerKind kind, const char *field);
const char          *ngam_layer_kind_names      (void);

G_END_DECLS
