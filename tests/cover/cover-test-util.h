/* cover-test-util.h — hand-made projects for the coverage tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ngam-core.h"
#include "ngam-gaps.h"

G_BEGIN_DECLS

/* One feature of a hand-made case: its layer, WKT (metres, EPSG:32648),
 * operator, and "field=value;field=value" for the layer's fields. */
typedef struct
{
  NgamLayerKind kind;
  const char   *wkt;
  const char   *op;
  const char   *fields;
} CoverTestFeature;

typedef struct
{
  char      *dir;
  char      *path;
  NgamStore *store;
} CoverTestProject;

CoverTestProject *cover_test_project_new  (const CoverTestFeature *features, guint n);
void              cover_test_project_free (CoverTestProject *p);
/* Runs the analysis (not stored unless @store_results) and returns the
 * summary's root object, owned by @result. */
JsonObject       *cover_test_run          (CoverTestProject *p, NgamGapsOptions *opt, NgamGapsResult **result);
/* A number at a dotted path ("indicators.households_fibre"), NAN when
 * absent. */
double            cover_test_number       (JsonObject *root, const char *path);
gboolean          cover_test_has          (JsonObject *root, const char *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoverTestProject, cover_test_project_free)

G_END_DECLS
