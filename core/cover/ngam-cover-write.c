/* ngam-cover-write.c — the gaps run stored through the results API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every result feature the analysis made, in the order it made them, as
 * one run of job `gaps` (ngam-results.h lists the layers and their
 * attributes).  The run replaces the scenario's previous gaps run when it
 * commits; anything that fails before rolls the whole run back.
 */
#define G_LOG_DOMAIN "ngam-cover"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ngam-cover-private.h"
#include "ngam-results.h"

/* Polygonal layers hold MULTIPOLYGONs and line layers MULTILINESTRINGs:
 * single parts are wrapped, other pieces of a collection dropped. */
static GEOSGeometry *
to_multi (GEOSGeometry *g,
          int           want)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  int single = want == GEOS_MULTIPOLYGON ? GEOS_POLYGON : GEOS_LINESTRING;
  int type = GEOSGeomTypeId_r (h, g);
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  int n;

  if (type == want)
    return GEOSGeom_clone_r (h, g);
  if (type == single)
    {
      GEOSGeometry *c = GEOSGeom_clone_r (h, g);

      return GEOSGeom_createCollection_r (h, want, &c, 1);
    }
  n = GEOSGetNumGeometries_r (h, g);
  for (int i = 0; i < n && type == GEOS_GEOMETRYCOLLECTION; i++)
    {
      const GEOSGeometry *p = GEOSGetGeometryN_r (h, g, i);
      int pt = GEOSGeomTypeId_r (h, p);

      if (pt == single)
        g_ptr_array_add (parts, GEOSGeom_clone_r (h, p));
      else if (pt == want)
        for (int j = 0; j < GEOSGetNumGeometries_r (h, p); j++)
          g_ptr_array_add (parts, GEOSGeom_clone_r (h, GEOSGetGeometryN_r (h, p, j)));
    }
  return GEOSGeom_createCollection_r (h, want, (GEOSGeometry **) parts->pdata, parts->len);
}

gboolean
cover_write_results (CoverRun   *run,
                     const char *scenario,
                     const char *settings,
                     const char *summary,
                     gint64     *run_id,
                     gint64     *n_features,
                     GError    **error)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  g_autoptr(NgamRun) r = NULL;
  g_autoptr(NgamShape) shape = ngam_shape_new ();
  gint64 id;

  /* a scenario the project does not have yet is made with the settings
   * used, inside the same transaction as the run */
  if (!ngam_store_begin (run->store, error))
    return FALSE;
  {
    g_autoptr(NgamScenarioInfo) info = NULL;
    g_autoptr(GError) local = NULL;

    info = ngam_store_get_scenario (run->store, scenario, &local);
    if (info == NULL)
      {
        if (!g_error_matches (local, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_FOUND))
          {
            g_propagate_error (error, g_steal_pointer (&local));
            ngam_store_rollback (run->store);
            return FALSE;
          }
        if (ngam_store_put_scenario (run->store, scenario, settings, error) <= 0)
          {
            ngam_store_rollback (run->store);
            return FALSE;
          }
      }
  }
  r = ngam_run_begin (run->store, scenario, "gaps", settings, error);
  if (r == NULL)
    {
      ngam_store_rollback (run->store);
      return FALSE;
    }
  id = ngam_run_get_id (r);
  for (guint i = 0; i < run->features->len; i++)
    {
      CoverFeature *f = g_ptr_array_index (run->features, i);
      NgamResultFeature rf = NGAM_RESULT_FEATURE_INIT;
      GEOSGeometry *g = NULL;
      gboolean ok;

      if ((i & 1023) == 0)
        {
          if (!cover_run_check_cancel (run, error))
            goto fail;
          cover_run_progress (run, 0.95 + 0.05 * i / run->features->len, _("storing the results"));
        }
      rf.layer = f->layer;
      rf.ward = f->ward;
      rf.operator_name = f->operator_name;
      rf.cost = f->cost;
      rf.attrs = f->attrs;
      if (f->geom && !GEOSisEmpty_r (h, f->geom))
        {
          int t = GEOSGeomTypeId_r (h, f->geom);

          if (t == GEOS_POINT)
            g = GEOSGeom_clone_r (h, f->geom);
          else
            g = to_multi (f->geom, t == GEOS_LINESTRING || t == GEOS_MULTILINESTRING ? GEOS_MULTILINESTRING
                                                                                      : GEOS_MULTIPOLYGON);
          if (g == NULL || !ngam_shape_from_geos (shape, g, error))
            {
              if (g)
                GEOSGeom_destroy_r (h, g);
              else
                cover_geos_fail (error, _("writing a result"));
              goto fail;
            }
          GEOSGeom_destroy_r (h, g);
          rf.shape = shape;
        }
      ok = ngam_run_add (r, &rf, error);
      if (!ok)
        goto fail;
    }
  if (!ngam_run_commit (g_steal_pointer (&r), summary, error))
    {
      ngam_store_rollback (run->store);
      return FALSE;
    }
  if (!ngam_store_commit (run->store, error))
    {
      ngam_store_rollback (run->store);
      return FALSE;
    }
  *run_id = id;
  *n_features = run->features->len;
  return TRUE;

fail:
  g_clear_pointer (&r, ngam_run_abort);
  ngam_store_rollback (run->store);
  return FALSE;
}
