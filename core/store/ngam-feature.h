/* ngam-feature.h — one feature of a layer, as the store reads and writes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "ngam-geom.h"
#include "ngam-layer.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean is_null;
  gint64   i;     /* INT and BOOL */
  double   d;     /* REAL */
  char    *s;     /* TEXT */
} NgamValue;

/**
 * NgamFeature:
 * @kind: its layer
 * @fid: stable id in the project (0 before it is stored)
 * @operator_name: (nullable): the operator the feature belongs to
 * @source_file: (nullable): file it was imported from
 * @source_layer: (nullable): layer within that file
 * @source_fid: feature id in the source, or -1
 * @source_key: (nullable): the key re-imports match on
 * @import_id: the import that last wrote it, or 0
 * @retired: TRUE once a newer import no longer has it
 * @attrs: (nullable): the raw source attributes, a JSON object
 * @shape: its geometry, in the project CRS
 * @values: one per field of the layer (ngam_layer_info()->fields)
 *
 * A plain struct on purpose: the bulk paths fill millions of them.
 */
typedef struct
{
  NgamLayerKind kind;
  gint64        fid;
  char         *operator_name;
  char         *source_file;
  char         *source_layer;
  gint64        source_fid;
  char         *source_key;
  gint64        import_id;
  gboolean      retired;
  char         *attrs;
  NgamShape    *shape;
  NgamValue    *values;
  guint         n_values;
} NgamFeature;

NgamFeature *ngam_feature_new        (NgamLayerKind kind);
void         ngam_feature_free       (NgamFeature *feature);
void         ngam_feature_reset      (NgamFeature *feature);
NgamFeature *ngam_feature_copy       (const NgamFeature *feature);

void         ngam_feature_set_null   (NgamFeature *f, guint field);
void         ngam_feature_set_text   (NgamFeature *f, guint field, const char *value);
void         ngam_feature_take_text  (NgamFeature *f, guint field, char *value);
void         ngam_feature_set_int    (NgamFeature *f, guint field, gint64 value);
void         ngam_feature_set_real   (NgamFeature *f, guint field, double value);
void         ngam_feature_set_bool   (NgamFeature *f, guint field, gboolean value);
gboolean     ngam_feature_set_by_name (NgamFeature *f, const char *field, const char *text, GError **error);

gboolean     ngam_feature_is_null    (const NgamFeature *f, guint field);
const char  *ngam_feature_get_text   (const NgamFeature *f, guint field);
gint64       ngam_feature_get_int    (const NgamFeature *f, guint field);
double       ngam_feature_get_real   (const NgamFeature *f, guint field);
gboolean     ngam_feature_get_bool   (const NgamFeature *f, guint field);
int          ngam_feature_field      (const NgamFeature *f, const char *name);
char        *ngam_feature_dup_value_string (const NgamFeature *f, guint field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamFeature, ngam_feature_free)

G_END_DECLS
