/* ngam-sample.c — writes the deterministic Huế-like demo town
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ngam-sample-town.c lays the town out; this file walks that layout once
 * per group of layers and streams features into the store's bulk writers,
 * all inside one transaction.  Nothing but the layout (two bytes a grid
 * node) and a row's worth of bookkeeping is held in memory, so 10^6
 * intersections take the same memory per feature as 100.
 *
 * Determinism: every value comes from the layout's hash of the seed, the
 * writers run in a fixed order, no clock or hash-table order is consulted,
 * and the only time stamps the file would otherwise carry (SpatiaLite's
 * history of the tables ngam_store_create() made) are set to the epoch.
 * Same size and seed, same bytes.
 */
#define G_LOG_DOMAIN "ngam-sample"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-crs.h"
#include "ngam-sample.h"
#include "ngam-sample-gen.h"
#include "ngam-store-private.h"

G_DEFINE_QUARK (ngam-sample-error-quark, ngam_sample_error)

/* Huế, between the citadel and the Trường Tiền bridge. */
#define CENTRE_LON 107.58
#define CENTRE_LAT 16.46

/* ---- the whole town ------------------------------------------------- */

/* SpatiaLite stamps each table it creates with the time; the demo's bytes
 * must not depend on when it was made. */
static gboolean
clear_time_stamps (NgamStore *store,
                   GError   **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;

  if (sqlite3_prepare_v2 (ngam_store_get_db (store),
                          "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'spatialite_history'",
                          -1, &st, NULL) != SQLITE_OK)
    return ngam_store_set_sql_error (store, error, "cannot read the schema");
  if (sqlite3_step (st) != SQLITE_ROW)
    return TRUE;
  return ngam_store_exec (store, "UPDATE spatialite_history SET timestamp = '1970-01-01T00:00:00.000Z'", error);
}

static gboolean
store_is_empty (NgamStore *store,
                gboolean  *empty,
                GError   **error)
{
  *empty = TRUE;
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      gint64 n = ngam_store_count (store, k, error);

      if (n < 0)
        return FALSE;
      if (n > 0)
        *empty = FALSE;
    }
  return TRUE;
}

/* The town's centre in the project CRS, which must be projected, in
 * metres, and meant for Huế (VN-2000 TM-3 107-00, UTM 48N, …). */
static gboolean
project_centre (NgamStore *store,
                double    *x,
                double    *y,
                GError   **error)
{
  g_autoptr(NgamCrs) crs = NULL;
  g_autoptr(NgamCrs) wgs84 = NULL;
  g_autoptr(NgamTransform) tr = NULL;
  double west, south, east, north;
  double xy[2] = { CENTRE_LON, CENTRE_LAT };

  if ((crs = ngam_crs_new (ngam_store_get_crs (store), error)) == NULL ||
      (wgs84 = ngam_crs_new_epsg (4326, error)) == NULL)
    return FALSE;
  if (!ngam_crs_is_metric (crs) ||
      (ngam_crs_get_area_of_use (crs, &west, &south, &east, &north) &&
       (CENTRE_LON < west || CENTRE_LON > east || CENTRE_LAT < south || CENTRE_LAT > north)))
    {
      g_set_error (error, NGAM_SAMPLE_ERROR, NGAM_SAMPLE_ERROR_CRS,
                   "%s: the demo town lies in Huế (%.2f°E %.2f°N), which the project CRS %s (%s) "
                   "does not cover in metres; use EPSG:9214 (VN-2000 / TM-3 107-00)",
                   ngam_store_get_path (store), CENTRE_LON, CENTRE_LAT,
                   ngam_store_get_crs (store), ngam_crs_get_name (crs));
      return FALSE;
    }
  if ((tr = ngam_transform_new (wgs84, crs, error)) == NULL ||
      !ngam_transform_points (tr, xy, 1, error))
    return FALSE;
  *x = xy[0];
  *y = xy[1];
  return TRUE;
}

static gboolean
write_meta (SampleGen *g,
            GError   **error)
{
  g_autofree char *size = g_strdup_printf ("%u", g->t->size);
  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, g->t->seed);
  g_autofree char *inter = g_strdup_printf ("%u", g->t->intersections);

  return ngam_store_set_meta (g->store, "sample_size", size, error) &&
         ngam_store_set_meta (g->store, "sample_seed", seed, error) &&
         ngam_store_set_meta (g->store, "sample_intersections", inter, error) &&
         clear_time_stamps (g->store, error);
}

/**
 * ngam_sample_generate:
 * @store: an empty project, in a projected CRS that covers Huế (the
 *   town is laid out in that CRS's metres around 107.58°E 16.46°N; a CRS
 *   that does not cover Huế is refused with %NGAM_SAMPLE_ERROR_CRS)
 * @options: size (intersections, 100 to 1,000,000) and seed
 *
 * Writes every layer of the demo town in one transaction; on failure or
 * cancellation nothing is written.  Also records sample_size, sample_seed
 * and sample_intersections (the count actually laid out) in the project's
 * meta table.
 */
gboolean
ngam_sample_generate (NgamStore               *store,
                      const NgamSampleOptions *options,
                      NgamProgressFunc         progress,
                      gpointer                 progress_data,
                      GCancellable            *cancellable,
                      GError                 **error)
{
  /* each pass's share of the work, measured at 10^5 intersections; the
   * commit (SQLite copying the WAL into the file) takes the last tenth */
  static const struct { gboolean (*run) (SampleGen *, GError **); double share; } passes[] = {
    { ngam_sample_write_streets, 0.12 }, { ngam_sample_write_aerial, 0.62 }, { ngam_sample_write_ducts, 0.01 },
    { ngam_sample_write_demand, 0.11 }, { ngam_sample_write_zones, 0.01 }, { ngam_sample_write_admin, 0.01 },
    { ngam_sample_write_sites, 0.02 },
  };
  SampleGen gen = { 0 };
  SampleGen *g = &gen;
  gboolean empty, ok = FALSE;
  double done = 0;
  GEOSContextHandle_t h = ngam_geos_context ();

  g_return_val_if_fail (store != NULL && options != NULL, FALSE);

  if (options->size < 100 || options->size > 1000000)
    {
      g_set_error (error, NGAM_SAMPLE_ERROR, NGAM_SAMPLE_ERROR_INVALID,
                   "the demo town's size must be 100 to 1000000 intersections, not %u", options->size);
      return FALSE;
    }
  if (!store_is_empty (store, &empty, error))
    return FALSE;
  if (!empty)
    {
      g_set_error (error, NGAM_SAMPLE_ERROR, NGAM_SAMPLE_ERROR_INVALID,
                   "%s already has features; the demo town goes into an empty project",
                   ngam_store_get_path (store));
      return FALSE;
    }
  g->store = store;
  g->progress = progress;
  g->progress_data = progress_data;
  g->cancellable = cancellable;
  if (!project_centre (store, &g->x0, &g->y0, error))
    return FALSE;

  g->p_message = "laying out the town";
  if (progress)
    progress (0, g->p_message, progress_data);
  g->t = ngam_sample_town_new (options->size, options->seed);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    g->f[k] = ngam_feature_new (k);
  g->scratch = ngam_shape_new ();
  {
    const double *b = g->t->bbox;
    GEOSCoordSequence *seq = GEOSCoordSeq_create_r (h, 5, 2);
    double ring[10] = { b[0], b[1], b[2], b[1], b[2], b[3], b[0], b[3], b[0], b[1] };

    for (guint k = 0; k < 5; k++)
      GEOSCoordSeq_setXY_r (h, seq, k, g->x0 + ring[2 * k], g->y0 + ring[2 * k + 1]);
    g->clip = GEOSGeom_createPolygon_r (h, GEOSGeom_createLinearRing_r (h, seq), NULL, 0);
  }

  if (!ngam_store_begin_bulk (store, error))
    goto out;
  for (guint k = 0; k < G_N_ELEMENTS (passes); k++)
    {
      g->p_start = done;
      g->p_span = passes[k].share;
      if (!passes[k].run (g, error))
        goto rollback;
      done += passes[k].share;
    }
  if (!write_meta (g, error))
    goto rollback;
  if (progress)
    progress (done, "saving", progress_data);
  if (!ngam_sample_check_cancel (g, error))
    goto rollback;
  if (!ngam_store_commit (store, error))
    goto rollback;
  if (progress)
    progress (1.0, "done", progress_data);
  ok = TRUE;
  goto out;

rollback:
  ngam_sample_paths_free (g);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    g_clear_pointer (&g->w[k], ngam_store_writer_free);
  ngam_store_rollback (store);
out:
  ngam_sample_paths_free (g);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      g_clear_pointer (&g->w[k], ngam_store_writer_free);
      g_clear_pointer (&g->f[k], ngam_feature_free);
    }
  g_clear_pointer (&g->fid_col, g_free);
  g_clear_pointer (&g->scratch, ngam_shape_free);
  if (g->clip)
    GEOSGeom_destroy_r (h, g->clip);
  ngam_sample_town_free (g->t);
  return ok;
}
