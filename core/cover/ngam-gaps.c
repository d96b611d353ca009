/* ngam-gaps.c — ngam_gaps_run(): read the project, run each analysis,
 * store the run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-cover"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdarg.h>
#include <string.h>

#include "ngam-cover-private.h"
#include "ngam-graph-build.h"
#include "ngam-zone.h"

G_DEFINE_QUARK (ngam-cover-error-quark, ngam_cover_error)

static const char *const tech_names[NGAM_GAPS_N_TECH] = { "2G", "3G", "4G", "5G", "fibre" };

const char *
ngam_gaps_tech_name (guint index)
{
  g_return_val_if_fail (index < NGAM_GAPS_N_TECH, NULL);
  return tech_names[index];
}

/**
 * ngam_gaps_parse_techs:
 * @list: `all`, or technologies separated by commas: 2G, 3G, 4G, 5G,
 *   fibre (GSM, UMTS, LTE, NR are accepted too)
 */
gboolean
ngam_gaps_parse_techs (const char *list,
                       guint      *techs,
                       GError    **error)
{
  g_auto(GStrv) words = g_strsplit (list, ",", -1);

  *techs = 0;
  for (guint i = 0; words[i]; i++)
    {
      const char *w = g_strstrip (words[i]);
      int t;

      if (g_ascii_strcasecmp (w, "all") == 0)
        *techs |= NGAM_GAPS_ALL;
      else if (g_ascii_strcasecmp (w, "fibre") == 0 || g_ascii_strcasecmp (w, "fiber") == 0)
        *techs |= NGAM_GAPS_FIBRE;
      else if (g_ascii_strcasecmp (w, "mobile") == 0)
        *techs |= NGAM_GAPS_MOBILE;
      else if ((t = cover_tech_from_radio (w)) >= 0)
        *techs |= 1u << t;
      else
        {
          g_set_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_INVALID,
                       _("unknown technology “%s”; expected 2G, 3G, 4G, 5G, fibre or all"), w);
          return FALSE;
        }
    }
  if (*techs == 0)
    {
      g_set_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_INVALID, _("no technology given"));
      return FALSE;
    }
  return TRUE;
}

/**
 * ngam_gaps_parse_hazard:
 * @text: `flood`, `flood:DEPTH` (metres), `landslide` or `all`
 */
gboolean
ngam_gaps_parse_hazard (const char *text,
                        guint      *hazards,
                        double     *flood_depth,
                        GError    **error)
{
  g_auto(GStrv) words = g_strsplit (text, ",", -1);

  *hazards = 0;
  *flood_depth = NAN;
  for (guint i = 0; words[i]; i++)
    {
      const char *w = g_strstrip (words[i]);

      if (g_ascii_strcasecmp (w, "all") == 0)
        *hazards |= NGAM_ZONE_FLOOD | NGAM_ZONE_LANDSLIDE;
      else if (g_ascii_strcasecmp (w, "landslide") == 0)
        *hazards |= NGAM_ZONE_LANDSLIDE;
      else if (g_ascii_strncasecmp (w, "flood", 5) == 0 && (w[5] == '\0' || w[5] == ':'))
        {
          *hazards |= NGAM_ZONE_FLOOD;
          if (w[5] == ':')
            {
              char *end;
              double d = g_ascii_strtod (w + 6, &end);

              if (end == w + 6 || *end != '\0' || !(d >= 0 && d < 1000))
                {
                  g_set_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_INVALID,
                               _("flood depth “%s” is not a depth in metres (0 to 1000)"), w + 6);
                  return FALSE;
                }
              *flood_depth = d;
            }
        }
      else
        {
          g_set_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_INVALID,
                       _("unknown hazard “%s”; expected flood, flood:DEPTH, landslide or all"), w);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- run helpers ----------------------------------------------------- */

void
cover_feature_free (gpointer data)
{
  CoverFeature *f = data;

  g_free (f->ward);
  g_free (f->operator_name);
  g_free (f->attrs);
  if (f->geom)
    GEOSGeom_destroy_r (ngam_geos_context (), f->geom);
  g_free (f);
}

/* Takes @geom; @attrs is an object the builder holds (closed here). */
void
cover_run_add_feature (CoverRun    *run,
                       const char  *layer,
                       const char  *ward,
                       const char  *op,
                       double       cost,
                       JsonBuilder *attrs,
                       GEOSGeometry *geom)
{
  CoverFeature *f = g_new0 (CoverFeature, 1);

  f->layer = layer;
  f->ward = g_strdup (ward);
  f->operator_name = g_strdup (op);
  f->cost = cost;
  if (attrs)
    {
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(JsonGenerator) gen = json_generator_new ();

      json_builder_end_object (attrs);
      root = json_builder_get_root (attrs);
      json_generator_set_root (gen, root);
      f->attrs = json_generator_to_data (gen, NULL);
    }
  f->geom = geom;
  g_ptr_array_add (run->features, f);
}

/* Takes @attrs (JSON object text) and @geom. */
void
cover_run_add_feature_text (CoverRun     *run,
                            const char   *layer,
                            const char   *ward,
                            const char   *op,
                            double        cost,
                            char         *attrs,
                            GEOSGeometry *geom)
{
  CoverFeature *f = g_new0 (CoverFeature, 1);

  f->layer = layer;
  f->ward = g_strdup (ward);
  f->operator_name = g_strdup (op);
  f->cost = cost;
  f->attrs = attrs;
  f->geom = geom;
  g_ptr_array_add (run->features, f);
}

void
cover_run_note (CoverRun   *run,
                const char *fmt,
                ...)
{
  va_list ap;

  va_start (ap, fmt);
  g_ptr_array_add (run->notes, g_strdup_vprintf (fmt, ap));
  va_end (ap);
}

gboolean
cover_run_check_cancel (CoverRun *run,
                        GError  **error)
{
  if (!g_cancellable_is_cancelled (run->cancellable))
    return TRUE;
  g_set_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_CANCELLED, _("the coverage analysis was cancelled"));
  return FALSE;
}

void
cover_run_progress (CoverRun   *run,
                    double      fraction,
                    const char *message)
{
  if (run->progress)
    run->progress (fraction, message, run->progress_data);
}

gboolean
cover_geos_fail (GError    **error,
                 const char *what)
{
  const char *msg = ngam_geos_last_error ();

  g_set_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_FAILED, _("GEOS failed in %s: %s"), what,
               msg && *msg ? msg : _("unknown error"));
  return FALSE;
}

double
cover_population (const CoverRun *run,
                  guint           households)
{
  return households * run->set.persons_per_household;
}

int
cover_prepared_intersects_xy (const GEOSPreparedGeometry *prep,
                              double                      x,
                              double                      y)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  GEOSGeometry *pt = GEOSGeom_createPointFromXY_r (h, x, y);
  int r = GEOSPreparedIntersects_r (h, prep, pt);

  GEOSGeom_destroy_r (h, pt);
  return r;
}

int
cover_run_operator (CoverRun   *run,
                    const char *name)
{
  if (name == NULL || *name == '\0')
    return -1;
  for (guint i = 0; i < run->operators->len; i++)
    if (strcmp (g_ptr_array_index (run->operators, i), name) == 0)
      return i;
  g_ptr_array_add (run->operators, g_strdup (name));
  return run->operators->len - 1;
}

static void
ward_free (gpointer data)
{
  CoverWard *w = data;
  GEOSContextHandle_t h = ngam_geos_context ();

  if (w == NULL)
    return;
  g_free (w->name);
  g_free (w->code);
  if (w->prep)
    GEOSPreparedGeom_destroy_r (h, w->prep);
  if (w->geom)
    GEOSGeom_destroy_r (h, w->geom);
  g_free (w);
}

static void
cover_run_clear (CoverRun *run)
{
  GEOSContextHandle_t h = ngam_geos_context ();

  g_clear_pointer (&run->operators, g_ptr_array_unref);
  g_clear_pointer (&run->pieces, g_array_unref);
  g_clear_pointer (&run->demand, g_array_unref);
  g_clear_pointer (&run->wards, g_ptr_array_unref);
  g_clear_pointer (&run->access, g_array_unref);
  cover_plant_clear (&run->plant);
  g_clear_pointer (&run->graph, ngam_graph_free);
  g_clear_pointer (&run->notes, g_ptr_array_unref);
  g_clear_pointer (&run->skipped_sites, g_array_unref);
  for (guint t = 0; t < NGAM_GAPS_N_MOBILE; t++)
    if (run->coverage[t])
      GEOSGeom_destroy_r (h, run->coverage[t]);
  g_free (run->op_covered);
  g_free (run->op_fibre);
  g_clear_object (&run->json);
  g_clear_pointer (&run->features, g_ptr_array_unref);
}

/* ---- reading ---------------------------------------------------------- */

static gboolean
is_ward_level (const char *level)
{
  g_autofree char *f = level ? ngam_vocab_fold (level) : NULL;

  return f && (strcmp (f, "ward") == 0 || strcmp (f, "phuong") == 0 || strcmp (f, "xa") == 0 ||
               strcmp (f, "commune") == 0 || strcmp (f, "thi_tran") == 0);
}

/* The wards: admin units at ward level, or every unit when none says. */
gboolean
cover_load_wards (CoverRun *run,
                  GError  **error)
{
  const int f_name = ngam_layer_field_index (NGAM_LAYER_ADMIN, "name");
  const int f_code = ngam_layer_field_index (NGAM_LAYER_ADMIN, "code");
  const int f_level = ngam_layer_field_index (NGAM_LAYER_ADMIN, "level");
  GEOSContextHandle_t h = ngam_geos_context ();
  g_autoptr(NgamStoreCursor) cur = ngam_store_query (run->store, NGAM_LAYER_ADMIN, NULL, NGAM_QUERY_DEFAULT, error);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (ward_free);
  g_autoptr(GArray) at_ward = g_array_new (FALSE, FALSE, sizeof (guint8));
  gboolean ok = TRUE, any_ward = FALSE;

  if (cur == NULL)
    return FALSE;
  while (cover_cursor_next (cur, &ok, error))
    {
      const NgamFeature *f = ngam_store_cursor_get (cur);
      CoverWard *w;
      guint8 lw;
      GError *local = NULL;

      if (f == NULL)
        break;
      if (f->shape == NULL || f->shape->n_points == 0)
        continue;
      w = g_new0 (CoverWard, 1);
      w->fid = f->fid;
      w->name = g_strdup (ngam_feature_is_null (f, f_name) ? NULL : ngam_feature_get_text (f, f_name));
      if (w->name == NULL)
        w->name = g_strdup_printf ("admin %" G_GINT64_FORMAT, f->fid);
      w->code = g_strdup (ngam_feature_is_null (f, f_code) ? NULL : ngam_feature_get_text (f, f_code));
      w->geom = ngam_shape_to_geos (f->shape, &local);
      if (w->geom == NULL)
        {
          g_clear_error (&local);
          ward_free (w);
          continue;
        }
      w->prep = GEOSPrepare_r (h, w->geom);
      lw = is_ward_level (ngam_feature_is_null (f, f_level) ? NULL : ngam_feature_get_text (f, f_level));
      any_ward |= lw;
      g_array_append_val (at_ward, lw);
      g_ptr_array_add (all, w);
    }
  if (!ok)
    return FALSE;
  for (guint i = 0; i < all->len; i++)
    if (!any_ward || g_array_index (at_ward, guint8, i))
      g_ptr_array_add (run->wards, g_steal_pointer (&all->pdata[i]));
  return TRUE;
}

static int
find_area (CoverRun   *run,
           const char *area,
           GError    **error)
{
  int found = -1;

  for (guint i = 0; i < run->wards->len; i++)
    {
      CoverWard *w = g_ptr_array_index (run->wards, i);

      if (g_strcmp0 (w->name, area) == 0 || g_strcmp0 (w->code, area) == 0)
        {
          found = i;
          break;
        }
    }
  if (found < 0)
    for (guint i = 0; i < run->wards->len; i++)
      {
        CoverWard *w = g_ptr_array_index (run->wards, i);
        g_autofree char *a = ngam_vocab_fold (area), *b = ngam_vocab_fold (w->name);

        if (strcmp (a, b) == 0)
          {
            found = i;
            break;
          }
      }
  if (found < 0)
    g_set_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_INVALID,
                 _("the project has no ward named or coded “%s”"), area);
  return found;
}

/* Demand points, each in its ward (the first by fid that contains it). */
static gboolean
load_demand (CoverRun *run,
             GError  **error)
{
  const int f_hh = ngam_layer_field_index (NGAM_LAYER_DEMAND, "households");
  GEOSContextHandle_t h = ngam_geos_context ();
  g_autoptr(NgamStoreCursor) cur = ngam_store_query (run->store, NGAM_LAYER_DEMAND, NULL, NGAM_QUERY_DEFAULT, error);
  g_autoptr(GArray) buf = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree double *boxes = g_new (double, 4 * MAX (run->wards->len, 1));
  CoverGrid *grid;
  gboolean ok = TRUE;

  if (cur == NULL)
    return FALSE;
  for (guint i = 0; i < run->wards->len; i++)
    {
      CoverWard *w = g_ptr_array_index (run->wards, i);

      GEOSGeom_getXMin_r (h, w->geom, &boxes[4 * i]);
      GEOSGeom_getYMin_r (h, w->geom, &boxes[4 * i + 1]);
      GEOSGeom_getXMax_r (h, w->geom, &boxes[4 * i + 2]);
      GEOSGeom_getYMax_r (h, w->geom, &boxes[4 * i + 3]);
    }
  grid = cover_grid_new (boxes, run->wards->len, 500);
  while (cover_cursor_next (cur, &ok, error))
    {
      const NgamFeature *f = ngam_store_cursor_get (cur);
      CoverDemand d = { 0 };
      gint64 hh;

      if (f == NULL)
        break;
      if (f->shape == NULL || f->shape->n_points < 1 || !isfinite (f->shape->xy[0]))
        continue;
      if ((run->demand->len & 4095) == 0 && !cover_run_check_cancel (run, error))
        {
          ok = FALSE;
          break;
        }
      d.x = f->shape->xy[0];
      d.y = f->shape->xy[1];
      d.fid = f->fid;
      hh = ngam_feature_is_null (f, f_hh) ? -1 : ngam_feature_get_int (f, f_hh);
      if (hh <= 0)
        {
          run->n_no_households++;
          hh = 1;
        }
      d.households = (guint) MIN (hh, G_MAXUINT / 1024);
      d.ward = -1;
      d.edge = G_MAXUINT;
      if (run->wards->len)
        {
          double pt[4] = { d.x, d.y, d.x, d.y };

          g_array_set_size (buf, 0);
          cover_grid_query (grid, pt, buf);
          for (guint k = 0; k < buf->len && d.ward < 0; k++)
            {
              guint wi = g_array_index (buf, guint, k);
              CoverWard *w = g_ptr_array_index (run->wards, wi);

              if (pt[0] < boxes[4 * wi] || pt[0] > boxes[4 * wi + 2] || pt[1] < boxes[4 * wi + 1] ||
                  pt[1] > boxes[4 * wi + 3])
                continue;
              if (cover_prepared_intersects_xy (w->prep, d.x, d.y) == 1)
                d.ward = wi;
            }
        }
      if (run->area_ward >= 0 && d.ward != run->area_ward)
        continue;
      g_array_append_val (run->demand, d);
    }
  cover_grid_free (grid);
  if (!ok)
    return FALSE;
  if (run->n_no_households)
    cover_run_note (run, _("%u demand points have no household count: each counted as one household"),
                    run->n_no_households);
  return TRUE;
}

/* Locates demand and access points on the street graph. */
static gboolean
locate_on_graph (CoverRun *run,
                 GError  **error)
{
  double snap = run->set.max_snap_m;
  guint far_demand = 0;

  for (guint i = 0; i < run->demand->len; i++)
    {
      CoverDemand *d = &g_array_index (run->demand, CoverDemand, i);
      NgamGraphLocation loc;

      if ((i & 4095) == 0 && !cover_run_check_cancel (run, error))
        return FALSE;
      if (ngam_graph_locate (run->graph, d->x, d->y, snap, &loc))
        {
          d->edge = loc.edge;
          d->t = loc.t;
          d->lateral = loc.distance;
        }
      else
        far_demand++;
    }
  for (guint i = 0; i < run->access->len; i++)
    {
      CoverAccess *a = &g_array_index (run->access, CoverAccess, i);
      NgamGraphLocation loc;

      if ((i & 4095) == 0 && !cover_run_check_cancel (run, error))
        return FALSE;
      if (ngam_graph_locate (run->graph, a->x, a->y, snap, &loc))
        {
          a->edge = loc.edge;
          a->t = loc.t;
          a->lateral = loc.distance;
        }
    }
  cover_fibre_sort_access (run);
  if (far_demand)
    cover_run_note (run, _("%u demand points are more than %g m from every street: not within fibre reach"),
                    far_demand, snap);
  return TRUE;
}

/* ---- the job ---------------------------------------------------------- */

void
ngam_gaps_result_free (NgamGapsResult *result)
{
  if (result == NULL)
    return;
  if (result->summary)
    json_node_unref (result->summary);
  g_free (result);
}

static gboolean
compute_coverage (CoverRun *run,
                  GError  **error)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  g_autoptr(GArray) sub = g_array_new (FALSE, FALSE, sizeof (CoverPiece));

  for (guint t = 0; t < NGAM_GAPS_N_MOBILE; t++)
    {
      g_autofree char *msg = NULL;

      if (!(run->techs & (1u << t)))
        continue;
      msg = g_strdup_printf (_("%s coverage"), tech_names[t]);
      cover_run_progress (run, 0.2 + 0.05 * t, msg);
      g_array_set_size (sub, 0);
      for (guint i = 0; i < run->pieces->len; i++)
        if (g_array_index (run->pieces, CoverPiece, i).tech == t)
          g_array_append_val (sub, g_array_index (run->pieces, CoverPiece, i));
      run->coverage[t] = cover_union_pieces ((CoverPiece *) sub->data, sub->len, run->set.circle_quadrant_segments,
                                             run->set.union_tile_pieces, run->cancellable, error);
      if (run->coverage[t] == NULL)
        return FALSE;
      if (run->area_ward >= 0 && !GEOSisEmpty_r (h, run->coverage[t]))
        {
          CoverWard *w = g_ptr_array_index (run->wards, run->area_ward);
          GEOSGeometry *clip = GEOSIntersection_r (h, run->coverage[t], w->geom);

          if (clip == NULL)
            return cover_geos_fail (error, _("clipping the coverage to the ward"));
          GEOSGeom_destroy_r (h, run->coverage[t]);
          run->coverage[t] = clip;
        }
    }
  return TRUE;
}

static double
lap (gint64 *since)
{
  gint64 now = g_get_monotonic_time ();
  double s = (now - *since) / 1e6;

  *since = now;
  return s;
}

/**
 * ngam_gaps_run:
 * @store: the project (open for writing when @options stores the run)
 * @options: (nullable): what to analyse; NULL for everything with the
 *   scenario's settings
 * @result: (out) (optional): the summary and the stored run
 *
 * Computes mobile coverage, fibre reach, the indicators and gaps, the
 * hazard exposure and the proposals, and stores them as one run of job
 * `gaps` (replacing the previous run of the scenario) in one transaction.
 * Cancelled or failed, it leaves the project as it was.
 */
gboolean
ngam_gaps_run (NgamStore              *store,
               const NgamGapsOptions  *options,
               NgamGapsResult        **result,
               NgamProgressFunc        progress,
               gpointer                progress_data,
               GCancellable           *cancellable,
               GError                **error)
{
  NgamGapsOptions defaults = NGAM_GAPS_OPTIONS_INIT;
  const NgamGapsOptions *opt = options ? options : &defaults;
  const char *scenario = opt->scenario ? opt->scenario : "default";
  CoverRun run = { 0 };
  g_autofree char *settings_used = NULL;
  g_autoptr(NgamGapsResult) res = g_new0 (NgamGapsResult, 1);
  gint64 t0 = g_get_monotonic_time (), t_lap = t0;
  gboolean ok = FALSE;

  g_return_val_if_fail (store != NULL, FALSE);
  run.store = store;
  run.techs = opt->techs ? opt->techs & NGAM_GAPS_ALL : NGAM_GAPS_ALL;
  run.area_ward = -1;
  run.progress = progress;
  run.progress_data = progress_data;
  run.cancellable = cancellable;
  run.operators = g_ptr_array_new_with_free_func (g_free);
  run.pieces = g_array_new (FALSE, FALSE, sizeof (CoverPiece));
  run.demand = g_array_new (FALSE, FALSE, sizeof (CoverDemand));
  run.wards = g_ptr_array_new_with_free_func (ward_free);
  run.access = g_array_new (FALSE, FALSE, sizeof (CoverAccess));
  run.notes = g_ptr_array_new_with_free_func (g_free);
  run.skipped_sites = g_array_new (FALSE, FALSE, sizeof (gint64));
  run.features = g_ptr_array_new_with_free_func (cover_feature_free);
  run.json = json_builder_new ();

  if (opt->dem)
    {
      g_set_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_DEM,
                   _("%s: line of sight over an elevation raster is not supported yet; "
                     "coverage is computed without terrain"), opt->dem);
      goto out;
    }
  if (opt->store_results && ngam_store_is_read_only (store))
    {
      g_set_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_INVALID,
                   _("%s is open read-only: the results cannot be stored"), ngam_store_get_path (store));
      goto out;
    }
  if (!cover_settings_load (&run.set, store, scenario, opt->settings, &settings_used, error))
    goto out;
  if (!isnan (opt->max_drop_m))
    {
      if (!(opt->max_drop_m >= 0 && opt->max_drop_m <= 100000))
        {
          g_set_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_INVALID,
                       _("the drop limit must be from 0 to 100000 m, not %g"), opt->max_drop_m);
          goto out;
        }
      run.set.max_drop_m = opt->max_drop_m;
    }

  cover_run_progress (&run, 0.0, _("reading wards and demand"));
  if (!cover_load_wards (&run, error))
    goto out;
  if (opt->area && (run.area_ward = find_area (&run, opt->area, error)) < 0)
    goto out;
  if (!load_demand (&run, error))
    goto out;
  cover_run_progress (&run, 0.1, _("reading cell sites"));
  if ((run.techs & NGAM_GAPS_MOBILE) && !cover_load_sites (&run, error))
    goto out;
  if ((run.techs & NGAM_GAPS_FIBRE) || (opt->hazards & NGAM_ZONE_FLOOD) || (opt->hazards & NGAM_ZONE_LANDSLIDE))
    {
      NgamGraphBuildOptions gopt = NGAM_GRAPH_BUILD_OPTIONS_INIT;
      gint64 n_streets;

      cover_run_progress (&run, 0.12, _("reading the fibre plant"));
      if (!cover_load_fibre (&run, error))
        goto out;
      n_streets = ngam_store_count (store, NGAM_LAYER_STREETS, error);
      if (n_streets < 0)
        goto out;
      if (n_streets == 0)
        cover_run_note (&run, _("the project has no streets: no household is within fibre reach along them"));
      else
        {
          cover_run_progress (&run, 0.15, _("building the street graph"));
          gopt.skip_zones = TRUE;
          run.graph = ngam_graph_build (store, &gopt, NULL, NULL, NULL, cancellable, error);
          if (run.graph == NULL)
            goto out;
          if (!locate_on_graph (&run, error))
            goto out;
        }
    }
  if (run.demand->len == 0 && run.pieces->len == 0 && run.n_sites_total == 0)
    {
      g_set_error (error, NGAM_COVER_ERROR, NGAM_COVER_ERROR_NO_DATA,
                   _("%s has neither demand points nor cell sites: there is nothing to analyse"),
                   ngam_store_get_path (store));
      goto out;
    }

  res->seconds_read = lap (&t_lap);
  /* mobile */
  if (!cover_mobile_demand (&run, error))
    goto out;
  if (!compute_coverage (&run, error))
    goto out;

  res->seconds_mobile = lap (&t_lap);
  /* fibre */
  {
    guint n_ops = MAX (run.operators->len, 1), nd = run.demand->len;
    g_autofree guint8 *reach = g_new0 (guint8, MAX (nd, 1));

    run.op_fibre = g_new0 (guint8, (gsize) MAX (nd, 1) * n_ops);
    if (run.graph)
      {
        cover_run_progress (&run, 0.45, _("fibre reach along the streets"));
        cover_fibre_reach (&run, NULL, -1, NULL, NULL, reach);
        for (guint i = 0; i < nd; i++)
          g_array_index (run.demand, CoverDemand, i).fibre = reach[i];
        for (guint o = 0; o < run.operators->len; o++)
          {
            if (!cover_run_check_cancel (&run, error))
              goto out;
            cover_fibre_reach (&run, NULL, o, NULL, NULL, reach);
            for (guint i = 0; i < nd; i++)
              run.op_fibre[(gsize) i * n_ops + o] = reach[i];
          }
      }
  }

  res->seconds_fibre = lap (&t_lap);
  json_builder_begin_object (run.json);
  cover_json_string (run.json, "project", ngam_store_get_path (store));
  cover_json_string (run.json, "scenario", scenario);
  cover_json_string (run.json, "area", run.area_ward >= 0
                     ? ((CoverWard *) g_ptr_array_index (run.wards, run.area_ward))->name : NULL);
  json_builder_set_member_name (run.json, "technologies");
  json_builder_begin_array (run.json);
  for (guint t = 0; t < NGAM_GAPS_N_TECH; t++)
    if (run.techs & (1u << t))
      json_builder_add_string_value (run.json, tech_names[t]);
  json_builder_end_array (run.json);
  json_builder_set_member_name (run.json, "settings");
  json_builder_begin_object (run.json);
  cover_json_double (run.json, "max_drop_m", run.set.max_drop_m);
  cover_json_double (run.json, "persons_per_household", run.set.persons_per_household);
  cover_json_double (run.json, "sector_beamwidth_deg", run.set.sector_beamwidth_deg);
  cover_json_int (run.json, "circle_quadrant_segments", run.set.circle_quadrant_segments);
  json_builder_end_object (run.json);

  cover_run_progress (&run, 0.5, _("indicators and gaps"));
  if (!cover_indicators (&run, error))
    goto out;
  res->seconds_indicators = lap (&t_lap);
  cover_run_progress (&run, 0.6, _("hazard exposure"));
  if (!cover_hazards (&run, opt->hazards, opt->flood_depth, error))
    goto out;
  res->seconds_hazards = lap (&t_lap);
  cover_run_progress (&run, 0.75, _("proposals"));
  if (opt->proposals)
    {
      if (!cover_proposals (&run, error))
        goto out;
    }
  else
    {
      json_builder_set_member_name (run.json, "proposals");
      json_builder_add_null_value (run.json);
    }

  res->seconds_proposals = lap (&t_lap);
  json_builder_set_member_name (run.json, "notes");
  json_builder_begin_array (run.json);
  for (guint i = 0; i < run.notes->len; i++)
    json_builder_add_string_value (run.json, g_ptr_array_index (run.notes, i));
  json_builder_end_array (run.json);
  json_builder_end_object (run.json);
  res->summary = json_builder_get_root (run.json);

  if (opt->store_results)
    {
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autofree char *text = NULL;

      cover_run_progress (&run, 0.95, _("storing the results"));
      json_generator_set_root (gen, res->summary);
      text = json_generator_to_data (gen, NULL);
      if (!cover_run_check_cancel (&run, error))
        goto out;
      if (!cover_write_results (&run, scenario, settings_used, text, &res->run_id, &res->n_features, error))
        goto out;
      json_object_set_int_member (json_node_get_object (res->summary), "run_id", res->run_id);
    }
  res->seconds_store = lap (&t_lap);
  cover_run_progress (&run, 1.0, NULL);
  res->seconds = (g_get_monotonic_time () - t0) / 1e6;
  if (result)
    *result = g_steal_pointer (&res);
  ok = TRUE;

out:
  cover_run_clear (&run);
  return ok;
}
