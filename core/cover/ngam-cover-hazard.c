/* ngam-cover-hazard.c — hazard exposure: the plant inside each flood and
 * landslide zone, and who would lose fibre or signal if it failed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For each zone (flood zones at least the given depth deep, when one is
 * given): the aerial spans inside break, and so do the aerial fibre
 * routes; underground routes and manholes break too in a landslide (the
 * setting landslide_breaks_underground) but are taken to survive a flood
 * (sealed ducts and closures; flood_breaks_underground); poles and
 * access points inside fail with what they carry; cell sites inside lose
 * power.  Fibre reach is then recomputed from the access points that
 * keep their feed (ngam-cover-fibre.c), and mobile coverage from the
 * sites that keep power, and the difference is what the zone cuts.
 */
#define G_LOG_DOMAIN "ngam-cover"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ngam-cover-private.h"
#include "ngam-zone.h"

typedef struct
{
  gint64        fid;
  NgamZoneFlags type;
  char         *name;
  double        depth;
  GEOSGeometry *geom;
} Zone;

static void
zone_clear (gpointer data)
{
  Zone *z = data;

  g_free (z->name);
  if (z->geom)
    GEOSGeom_destroy_r (ngam_geos_context (), z->geom);
}

static gboolean
load_zones (CoverRun *run,
            guint     hazards,
            double    flood_depth,
            GArray   *zones,
            GError  **error)
{
  const int f_type = ngam_layer_field_index (NGAM_LAYER_ZONES, "zone_type");
  const int f_name = ngam_layer_field_index (NGAM_LAYER_ZONES, "name");
  const int f_level = ngam_layer_field_index (NGAM_LAYER_ZONES, "level");
  g_autoptr(NgamStoreCursor) cur = ngam_store_query (run->store, NGAM_LAYER_ZONES, NULL, NGAM_QUERY_DEFAULT, error);
  guint no_depth = 0;
  gboolean ok = TRUE;

  if (cur == NULL)
    return FALSE;
  while (cover_cursor_next (cur, &ok, error))
    {
      const NgamFeature *f = ngam_store_cursor_get (cur);
      Zone z = { 0 };
      GError *local = NULL;

      if (f == NULL)
        break;
      z.type = ngam_zone_from_name (ngam_feature_is_null (f, f_type) ? NULL : ngam_feature_get_text (f, f_type));
      if (!(z.type & hazards) || f->shape == NULL || f->shape->n_points == 0)
        continue;
      z.depth = ngam_feature_is_null (f, f_level) ? NAN : ngam_feature_get_real (f, f_level);
      if (z.type == NGAM_ZONE_FLOOD && !isnan (flood_depth))
        {
          if (isnan (z.depth))
            {
              no_depth++;
              continue;
            }
          if (z.depth < flood_depth)
            continue;
        }
      z.fid = f->fid;
      z.name = g_strdup (ngam_feature_is_null (f, f_name) ? NULL : ngam_feature_get_text (f, f_name));
      z.geom = ngam_shape_to_geos (f->shape, &local);
      if (z.geom == NULL)
        {
          g_propagate_error (error, local);
          g_free (z.name);
          return FALSE;
        }
      g_array_append_val (zones, z);
    }
  if (no_depth)
    cover_run_note (run, _("%u flood zones have no depth (level): left out of the flood at %g m"),
                    no_depth, flood_depth);
  return ok;
}

static GEOSGeometry *
segment (double ax,
         double ay,
         double bx,
         double by)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  GEOSCoordSequence *s = GEOSCoordSeq_create_r (h, 2, 2);

  GEOSCoordSeq_setXY_r (h, s, 0, ax, ay);
  GEOSCoordSeq_setXY_r (h, s, 1, bx, by);
  return GEOSGeom_createLineString_r (h, s);
}

/* Aerial metres and poles of every operator inside the zone. */
static gboolean
aerial_inside (CoverRun                   *run,
               const double                bbox[4],
               const GEOSGeometry         *zone,
               const GEOSPreparedGeometry *prep,
               double                     *aerial_m,
               guint                      *poles,
               GError                    **error)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  gboolean ok = TRUE;

  *aerial_m = 0;
  *poles = 0;
  {
    g_autoptr(NgamStoreCursor) cur = ngam_store_query (run->store, NGAM_LAYER_SPANS, bbox, NGAM_QUERY_SHAPE_ONLY, error);

    if (cur == NULL)
      return FALSE;
    while (cover_cursor_next (cur, &ok, error))
      {
        const NgamFeature *f = ngam_store_cursor_get (cur);
        GEOSGeometry *g, *x;
        double len = 0;

        if (f == NULL)
          break;
        if (f->retired || f->shape == NULL || f->shape->n_points < 2)
          continue;
        g = ngam_shape_to_geos (f->shape, NULL);
        if (g == NULL)
          continue;
        if (GEOSPreparedContainsProperly_r (h, prep, g) == 1)
          *aerial_m += ngam_shape_length (f->shape);
        else if (GEOSPreparedIntersects_r (h, prep, g) == 1 && (x = GEOSIntersection_r (h, g, zone)) != NULL)
          {
            GEOSLength_r (h, x, &len);
            *aerial_m += len;
            GEOSGeom_destroy_r (h, x);
          }
        GEOSGeom_destroy_r (h, g);
      }
    if (!ok)
      return FALSE;
  }
  {
    g_autoptr(NgamStoreCursor) cur = ngam_store_query (run->store, NGAM_LAYER_POLES, bbox, NGAM_QUERY_SHAPE_ONLY, error);

    if (cur == NULL)
      return FALSE;
    while (cover_cursor_next (cur, &ok, error))
      {
        const NgamFeature *f = ngam_store_cursor_get (cur);

        if (f == NULL)
          break;
        if (!f->retired && f->shape && f->shape->n_points &&
            cover_prepared_intersects_xy (prep, f->shape->xy[0], f->shape->xy[1]) == 1)
          (*poles)++;
      }
  }
  return ok;
}

gboolean
cover_hazards (CoverRun *run,
               guint     hazards,
               double    flood_depth,
               GError  **error)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  JsonBuilder *b = run->json;
  g_autoptr(GArray) zones = g_array_new (FALSE, FALSE, sizeof (Zone));
  guint nd = run->demand->len, np = run->pieces->len, ne = run->plant.edges ? run->plant.edges->len : 0;
  guint na = run->access->len;
  g_autofree double *pboxes = NULL, *dboxes = NULL, *eboxes = NULL;
  g_autofree guint8 *edge_failed = g_new0 (guint8, MAX (ne, 1));
  g_autofree guint8 *ap_failed = g_new0 (guint8, MAX (na, 1));
  g_autofree guint8 *live = g_new0 (guint8, MAX (na, 1));
  g_autofree guint8 *reach = g_new0 (guint8, MAX (nd, 1));
  g_autofree guint8 *removed = g_new0 (guint8, MAX (np, 1));
  g_autofree guint *stamp = g_new0 (guint, MAX (nd, 1));
  g_autoptr(GArray) buf = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) buf2 = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) affected = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) subset = g_array_new (FALSE, FALSE, sizeof (guint));
  CoverGrid *pgrid = NULL, *dgrid = NULL, *egrid = NULL;
  const double *nxy = run->plant.node_xy ? (const double *) run->plant.node_xy->data : NULL;
  int q = run->set.circle_quadrant_segments;
  gboolean ok = FALSE, any_fibre = FALSE;

  g_array_set_clear_func (zones, zone_clear);
  json_builder_set_member_name (b, "hazards");
  json_builder_begin_array (b);
  if (hazards == 0)
    {
      json_builder_end_array (b);
      return TRUE;
    }
  if (!load_zones (run, hazards, flood_depth, zones, error))
    return FALSE;
  for (guint i = 0; i < nd; i++)
    any_fibre |= g_array_index (run->demand, CoverDemand, i).fibre;

  pboxes = g_new (double, 4 * MAX (np, 1));
  for (guint i = 0; i < np; i++)
    {
      const CoverPiece *p = &g_array_index (run->pieces, CoverPiece, i);

      pboxes[4 * i] = p->x - p->r, pboxes[4 * i + 1] = p->y - p->r;
      pboxes[4 * i + 2] = p->x + p->r, pboxes[4 * i + 3] = p->y + p->r;
    }
  pgrid = cover_grid_new (pboxes, np, 500);
  dboxes = g_new (double, 4 * MAX (nd, 1));
  for (guint i = 0; i < nd; i++)
    {
      const CoverDemand *d = &g_array_index (run->demand, CoverDemand, i);

      dboxes[4 * i] = dboxes[4 * i + 2] = d->x;
      dboxes[4 * i + 1] = dboxes[4 * i + 3] = d->y;
    }
  dgrid = cover_grid_new (dboxes, nd, 200);
  eboxes = g_new (double, 4 * MAX (ne, 1));
  for (guint i = 0; i < ne; i++)
    {
      const CoverPlantEdge *e = &g_array_index (run->plant.edges, CoverPlantEdge, i);

      eboxes[4 * i] = MIN (nxy[2 * e->u], nxy[2 * e->v]);
      eboxes[4 * i + 1] = MIN (nxy[2 * e->u + 1], nxy[2 * e->v + 1]);
      eboxes[4 * i + 2] = MAX (nxy[2 * e->u], nxy[2 * e->v]);
      eboxes[4 * i + 3] = MAX (nxy[2 * e->u + 1], nxy[2 * e->v + 1]);
    }
  egrid = cover_grid_new (eboxes, ne, 100);

  for (guint zi = 0; zi < zones->len; zi++)
    {
      Zone *z = &g_array_index (zones, Zone, zi);
      const GEOSPreparedGeometry *prep = GEOSPrepare_r (h, z->geom);
      gboolean underground = z->type == NGAM_ZONE_LANDSLIDE ? run->set.landslide_breaks_underground
                                                            : run->set.flood_breaks_underground;
      double bbox[4], aerial_m = 0, pop_cut_by_tech[NGAM_GAPS_N_MOBILE] = { 0 };
      guint poles = 0, closures = 0, cells = 0, sites = 0, edges_cut = 0;
      guint64 hh_cut = 0, hh_signal_cut = 0;
      g_autoptr(GHashTable) site_xy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr(JsonBuilder) attrs = json_builder_new ();
      g_autofree char *label = NULL;

      cover_run_progress (run, 0.6 + 0.15 * zi / zones->len, _("hazard exposure"));
      if (!cover_run_check_cancel (run, error))
        {
          GEOSPreparedGeom_destroy_r (h, prep);
          goto out;
        }
      GEOSGeom_getXMin_r (h, z->geom, &bbox[0]);
      GEOSGeom_getYMin_r (h, z->geom, &bbox[1]);
      GEOSGeom_getXMax_r (h, z->geom, &bbox[2]);
      GEOSGeom_getYMax_r (h, z->geom, &bbox[3]);
      if (!aerial_inside (run, bbox, z->geom, prep, &aerial_m, &poles, error))
        {
          GEOSPreparedGeom_destroy_r (h, prep);
          goto out;
        }

      /* fibre plant that fails */
      memset (edge_failed, 0, MAX (ne, 1));
      memset (ap_failed, 0, MAX (na, 1));
      g_array_set_size (buf, 0);
      if (ne)
        cover_grid_query (egrid, bbox, buf);
      for (guint k = 0; k < buf->len; k++)
        {
          guint ei = g_array_index (buf, guint, k);
          const CoverPlantEdge *e = &g_array_index (run->plant.edges, CoverPlantEdge, ei);
          GEOSGeometry *s;

          if (!e->aerial && !underground)
            continue;
          s = segment (nxy[2 * e->u], nxy[2 * e->u + 1], nxy[2 * e->v], nxy[2 * e->v + 1]);
          if (GEOSPreparedIntersects_r (h, prep, s) == 1)
            {
              edge_failed[ei] = 1;
              edges_cut++;
            }
          GEOSGeom_destroy_r (h, s);
        }
      for (guint i = 0; i < na; i++)
        {
          const CoverAccess *a = &g_array_index (run->access, CoverAccess, i);

          if (a->x < bbox[0] || a->x > bbox[2] || a->y < bbox[1] || a->y > bbox[3] ||
              cover_prepared_intersects_xy (prep, a->x, a->y) != 1)
            continue;
          closures++;
          if (!a->is_manhole || underground)
            ap_failed[i] = 1;
        }
      if (any_fibre && (edges_cut || closures))
        {
          /* only households near an access point that lost its feed can
           * lose fibre, and only live access points near them can still
           * serve them: a search of that neighbourhood */
          double dead[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY }, e = run->set.max_drop_m + run->set.max_snap_m;

          cover_fibre_live (run, edge_failed, ap_failed, live);
          for (guint i = 0; i < na; i++)
            if (!live[i])
              {
                const CoverAccess *a = &g_array_index (run->access, CoverAccess, i);

                dead[0] = MIN (dead[0], a->x - e), dead[1] = MIN (dead[1], a->y - e);
                dead[2] = MAX (dead[2], a->x + e), dead[3] = MAX (dead[3], a->y + e);
              }
          g_array_set_size (subset, 0);
          if (dead[0] <= dead[2])
            {
              double seeds[4] = { dead[0] - e, dead[1] - e, dead[2] + e, dead[3] + e };

              cover_grid_query (dgrid, dead, subset);
              for (guint k = 0, w = 0; k < subset->len; k++)
                {
                  guint di = g_array_index (subset, guint, k);
                  const CoverDemand *d = &g_array_index (run->demand, CoverDemand, di);

                  if (d->fibre && d->x >= dead[0] && d->x <= dead[2] && d->y >= dead[1] && d->y <= dead[3])
                    g_array_index (subset, guint, w++) = di;
                  if (k + 1 == subset->len)
                    g_array_set_size (subset, w);
                }
              cover_fibre_reach (run, live, -1, seeds, subset, reach);
              for (guint k = 0; k < subset->len; k++)
                {
                  guint di = g_array_index (subset, guint, k);

                  if (!reach[di])
                    hh_cut += g_array_index (run->demand, CoverDemand, di).households;
                }
            }
        }

      /* sites that lose power, and the demand they alone covered */
      memset (removed, 0, MAX (np, 1));
      g_array_set_size (buf, 0);
      if (np)
        cover_grid_query (pgrid, bbox, buf);
      g_array_set_size (affected, 0);
      for (guint k = 0; k < buf->len; k++)
        {
          guint pi = g_array_index (buf, guint, k);
          const CoverPiece *p = &g_array_index (run->pieces, CoverPiece, pi);
          char key[64];

          if (p->x < bbox[0] || p->x > bbox[2] || p->y < bbox[1] || p->y > bbox[3] ||
              cover_prepared_intersects_xy (prep, p->x, p->y) != 1)
            continue;
          removed[pi] = 1;
          cells++;
          g_snprintf (key, sizeof key, "%.2f %.2f", p->x, p->y);
          if (!g_hash_table_contains (site_xy, key))
            {
              g_hash_table_add (site_xy, g_strdup (key));
              sites++;
            }
          g_array_set_size (buf2, 0);
          cover_grid_query (dgrid, pboxes + 4 * pi, buf2);
          for (guint j = 0; j < buf2->len; j++)
            {
              guint di = g_array_index (buf2, guint, j);

              if (stamp[di] != zi + 1)
                {
                  stamp[di] = zi + 1;
                  g_array_append_val (affected, di);
                }
            }
        }
      for (guint j = 0; j < affected->len; j++)
        {
          guint di = g_array_index (affected, guint, j);
          const CoverDemand *d = &g_array_index (run->demand, CoverDemand, di);
          double pt[4] = { d->x, d->y, d->x, d->y };
          guint8 now = 0;

          if (d->covered == 0)
            continue;
          g_array_set_size (buf2, 0);
          cover_grid_query (pgrid, pt, buf2);
          for (guint k = 0; k < buf2->len; k++)
            {
              guint pi = g_array_index (buf2, guint, k);
              const CoverPiece *p = &g_array_index (run->pieces, CoverPiece, pi);

              if (!removed[pi] && !((now >> p->tech) & 1) && cover_piece_contains (p, q, d->x, d->y))
                now |= 1u << p->tech;
            }
          for (guint t = 0; t < NGAM_GAPS_N_MOBILE; t++)
            if (((d->covered >> t) & 1) && !((now >> t) & 1))
              pop_cut_by_tech[t] += cover_population (run, d->households);
          if (now == 0)
            hh_signal_cut += d->households;
        }
      GEOSPreparedGeom_destroy_r (h, prep);

      label = z->name ? g_strdup (z->name) : g_strdup_printf ("%s %" G_GINT64_FORMAT,
                                                              ngam_zone_info (z->type)->name, z->fid);
      json_builder_begin_object (b);
      cover_json_string (b, "zone", label);
      cover_json_int (b, "zone_fid", z->fid);
      cover_json_string (b, "zone_type", ngam_zone_info (z->type)->name);
      cover_json_double (b, "depth_m", z->type == NGAM_ZONE_FLOOD ? z->depth : NAN);
      json_builder_set_member_name (b, "plant");
      json_builder_begin_object (b);
      cover_json_double (b, "aerial_m", aerial_m);
      cover_json_int (b, "poles", poles);
      cover_json_int (b, "closures", closures);
      cover_json_int (b, "sites", sites);
      cover_json_int (b, "cells", cells);
      cover_json_int (b, "fibre_links_cut", edges_cut);
      json_builder_end_object (b);
      cover_json_int (b, "households_cut", hh_cut);
      cover_json_double (b, "population_fibre_cut", cover_population (run, hh_cut));
      cover_json_double (b, "population_cut", cover_population (run, hh_signal_cut));
      json_builder_set_member_name (b, "population_cut_by_tech");
      json_builder_begin_object (b);
      for (guint t = 0; t < NGAM_GAPS_N_MOBILE; t++)
        if (run->techs & (1u << t))
          cover_json_double (b, ngam_gaps_tech_name (t), pop_cut_by_tech[t]);
      json_builder_end_object (b);
      json_builder_end_object (b);

      json_builder_begin_object (attrs);
      cover_json_int (attrs, "zone_fid", z->fid);
      cover_json_string (attrs, "zone_type", ngam_zone_info (z->type)->name);
      cover_json_string (attrs, "name", z->name);
      cover_json_double (attrs, "depth_m", z->type == NGAM_ZONE_FLOOD ? z->depth : NAN);
      cover_json_double (attrs, "aerial_m", aerial_m);
      cover_json_int (attrs, "poles", poles);
      cover_json_int (attrs, "closures", closures);
      cover_json_int (attrs, "sites", sites);
      cover_json_int (attrs, "households_cut", hh_cut);
      cover_json_double (attrs, "population_cut", cover_population (run, hh_signal_cut));
      cover_run_add_feature (run, "hazard", NULL, NULL, NAN, attrs, GEOSGeom_clone_r (h, z->geom));
    }
  if (zones->len == 0)
    cover_run_note (run, _("the project has no zone of the hazards asked for"));
  ok = TRUE;

out:
  json_builder_end_array (b);
  cover_grid_free (pgrid);
  cover_grid_free (dgrid);
  cover_grid_free (egrid);
  return ok;
}
