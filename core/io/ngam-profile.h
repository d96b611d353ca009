/* ngam-profile.h — import profiles: how an operator's fields map onto the model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "ngam-layer.h"

G_BEGIN_DECLS

#define NGAM_PROFILE_ERROR (ngam_profile_error_quark ())

typedef enum
{
  NGAM_PROFILE_ERROR_NOT_FOUND,  /* no such profile file or name */
  NGAM_PROFILE_ERROR_SYNTAX,     /* not a key file */
  NGAM_PROFILE_ERROR_INVALID,    /* a key or value the profile may not have */
} NgamProfileError;

typedef enum
{
  NGAM_SOURCE_REF_FIELD,   /* a source field, by name (case-insensitive) */
  NGAM_SOURCE_REF_TAG,     /* an OSM tag: a field of that name, else other_tags */
  NGAM_SOURCE_REF_KEY,     /* the feature's source key (@key) */
  NGAM_SOURCE_REF_FID,     /* the source feature id (@fid) */
} NgamSourceRefType;

typedef struct
{
  NgamSourceRefType type;
  char             *name;
} NgamSourceRef;

/**
 * NgamProfileField:
 * @model_field: the model field it fills
 * @refs: (element-type NgamSourceRef): alternatives, first non-empty wins
 * @values: (nullable): casefolded source value → model value
 * @values_other: (nullable): model value for any other non-empty value ("*")
 * @unit_factor: multiplies a number read from the source (1 when none)
 * @default_value: (nullable): used when the source has no value
 */
typedef struct
{
  char       *model_field;
  GPtrArray  *refs;
  GHashTable *values;
  char       *values_other;
  double      unit_factor;
  char       *default_value;
} NgamProfileField;

typedef struct
{
  NgamSourceRef *ref;
  char         **values;    /* any of these (casefolded); NULL: any non-empty */
} NgamProfileFilter;

/**
 * NgamProfile:
 * @operator_name: (nullable): whose features these are; with
 *   @operator_field, the fallback for a feature whose field is empty
 *   (the run's operator, when given, takes its place)
 * @operator_field: (nullable): where each feature's operator comes from:
 *   its @refs (first non-empty wins) and @values ([values.operator]);
 *   @model_field is "operator"
 * @snap_tolerance_m: NAN when the profile does not set it
 */
typedef struct
{
  char          *path;
  char          *name;
  char          *description;
  guint          kinds;          /* bit per NgamLayerKind allowed; 0 = any */
  char          *crs;
  char          *encoding;
  char          *layer;
  char          *operator_name;
  NgamProfileField *operator_field;
  GPtrArray     *key;            /* NgamSourceRef, joined with '-' */
  GPtrArray     *filters;        /* NgamProfileFilter */
  char         **open_options;
  double         snap_tolerance_m;
  gboolean       split_at_poles;
  GPtrArray     *fields;         /* NgamProfileField */
} NgamProfile;

GQuark        ngam_profile_error_quark   (void);

NgamProfile  *ngam_profile_load          (const char *path, GError **error);
NgamProfile  *ngam_profile_load_data     (const char *path, const char *data, gsize len, GError **error);
char         *ngam_profile_find          (const char *name_or_path, GError **error);
char        **ngam_profile_list_names    (void);
void          ngam_profile_free          (NgamProfile *profile);
gboolean      ngam_profile_allows_kind   (const NgamProfile *profile, NgamLayerKind kind);
const NgamProfileField *ngam_profile_get_field (const NgamProfile *profile, const char *model_field);

NgamSourceRef *ngam_source_ref_parse     (const char *text);
void          ngam_source_ref_free       (NgamSourceRef *ref);
char         *ngam_source_ref_to_string  (const NgamSourceRef *ref);
double        ngam_unit_to_metres        (const char *unit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamProfile, ngam_profile_free)

G_END_DECLS
