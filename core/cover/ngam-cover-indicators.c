/* ngam-cover-indicators.c — the province's indicators per ward and for
 * the project, and the gaps as points and polygons
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Population is households × persons_per_household.  A share is absent
 * (not zero) when what it divides by or what it measures is missing from
 * the project: no demand, no cell sites at all, no fibre plant; a note
 * says which.  Households outside every ward are counted under "no ward",
 * so the wards always add up to the project.
 *
 * A gap polygon is the union of the gap_radius_m grid squares that hold
 * demand left out, clipped to the ward: where the people without signal
 * or fibre live, not the whole uncovered countryside.
 */
#define G_LOG_DOMAIN "ngam-cover"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ngam-cover-private.h"

typedef struct
{
  guint64 points, households;
  guint64 fibre_households;
  guint64 covered_households[NGAM_GAPS_N_MOBILE];
  guint64 gap_points[NGAM_GAPS_N_TECH];
} Tally;

static int
cmp_ops (gconstpointer a,
         gconstpointer b,
         gpointer      data)
{
  GPtrArray *ops = data;

  return strcmp (g_ptr_array_index (ops, *(const guint *) a), g_ptr_array_index (ops, *(const guint *) b));
}

/* Operator indices in name order. */
static GArray *
sorted_operators (CoverRun *run)
{
  GArray *order = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < run->operators->len; i++)
    g_array_append_val (order, i);
  g_array_sort_with_data (order, cmp_ops, run->operators);
  return order;
}

static void
share (JsonBuilder *b,
       const char  *name,
       double       part,
       double       whole)
{
  json_builder_set_member_name (b, name);
  if (whole > 0)
    json_builder_add_double_value (b, part / whole);
  else
    json_builder_add_null_value (b);
}

static gboolean
mobile_known (const CoverRun *run)
{
  return run->n_sites_total > 0 && run->demand->len > 0;
}

static gboolean
fibre_known (const CoverRun *run)
{
  return (run->techs & NGAM_GAPS_FIBRE) && run->access->len > 0 && run->demand->len > 0;
}

static void
tally_json (CoverRun    *run,
            JsonBuilder *b,
            const Tally *t)
{
  double pop = cover_population (run, t->households);

  cover_json_int (b, "points", t->points);
  cover_json_int (b, "households", t->households);
  cover_json_double (b, "population", pop);
  if (fibre_known (run))
    {
      cover_json_int (b, "households_fibre", t->fibre_households);
      share (b, "households_fibre_share", t->fibre_households, t->households);
      cover_json_int (b, "unserved_households", t->households - t->fibre_households);
    }
  if (mobile_known (run))
    {
      json_builder_set_member_name (b, "population_covered");
      json_builder_begin_object (b);
      for (guint k = 0; k < NGAM_GAPS_N_MOBILE; k++)
        if (run->techs & (1u << k))
          cover_json_double (b, ngam_gaps_tech_name (k), cover_population (run, t->covered_households[k]));
      json_builder_end_object (b);
      json_builder_set_member_name (b, "population_covered_share");
      json_builder_begin_object (b);
      for (guint k = 0; k < NGAM_GAPS_N_MOBILE; k++)
        if (run->techs & (1u << k))
          share (b, ngam_gaps_tech_name (k), t->covered_households[k], t->households);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "uncovered_population");
      json_builder_begin_object (b);
      for (guint k = 0; k < NGAM_GAPS_N_MOBILE; k++)
        if (run->techs & (1u << k))
          cover_json_double (b, ngam_gaps_tech_name (k),
                             cover_population (run, t->households - t->covered_households[k]));
      json_builder_end_object (b);
    }
}

static int
cmp_cell (const void *a,
          const void *b)
{
  const gint64 *x = a, *y = b;

  if (x[0] != y[0])
    return x[0] < y[0] ? -1 : 1;
  return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* The gap polygons of one technology in one ward. */
static gboolean
gap_areas (CoverRun *run,
           guint     tech,
           int       ward,
           GArray   *members,
           GError  **error)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  double cs = run->set.gap_radius_m;
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (gint64) * 2);
  g_autoptr(GPtrArray) squares = g_ptr_array_new ();
  GEOSGeometry *coll, *u;
  guint64 hh = 0;
  CoverWard *w = ward >= 0 ? g_ptr_array_index (run->wards, ward) : NULL;
  g_autoptr(JsonBuilder) attrs = json_builder_new ();

  for (guint i = 0; i < members->len; i++)
    {
      const CoverDemand *d = &g_array_index (run->demand, CoverDemand, g_array_index (members, guint, i));
      gint64 c[2] = { (gint64) floor (d->x / cs), (gint64) floor (d->y / cs) };

      hh += d->households;
      g_array_append_vals (cells, c, 1);
    }
  if (cells->len > 1)
    qsort (cells->data, cells->len, 2 * sizeof (gint64), cmp_cell);
  for (guint k = 0; k < cells->len; k++)
    {
      const gint64 *c = (const gint64 *) cells->data + 2 * k;

      if (k > 0 && c[0] == c[-2] && c[1] == c[-1])
        continue;
      g_ptr_array_add (squares, GEOSGeom_createRectangle_r (h, c[0] * cs, c[1] * cs, (c[0] + 1) * cs, (c[1] + 1) * cs));
    }
  if (squares->len == 0)
    return TRUE;
  coll = GEOSGeom_createCollection_r (h, GEOS_MULTIPOLYGON, (GEOSGeometry **) squares->pdata, squares->len);
  u = GEOSUnaryUnion_r (h, coll);
  GEOSGeom_destroy_r (h, coll);
  if (u == NULL)
    return cover_geos_fail (error, _("the gap polygons"));
  if (w)
    {
      GEOSGeometry *clip = GEOSIntersection_r (h, u, w->geom);

      GEOSGeom_destroy_r (h, u);
      if (clip == NULL)
        return cover_geos_fail (error, _("the gap polygons"));
      u = clip;
    }
  json_builder_begin_object (attrs);
  cover_json_string (attrs, "tech", ngam_gaps_tech_name (tech));
  cover_json_int (attrs, "households", hh);
  cover_json_double (attrs, "population", cover_population (run, hh));
  cover_run_add_feature (run, "gap_area", w ? w->name : NULL, NULL, NAN, attrs, u);
  return TRUE;
}

static GEOSGeometry *
point_geom (double x,
            double y)
{
  return GEOSGeom_createPointFromXY_r (ngam_geos_context (), x, y);
}

gboolean
cover_indicators (CoverRun *run,
                  GError  **error)
{
  JsonBuilder *b = run->json;
  guint n_wards = run->wards->len, n_ops = run->operators->len, nd = run->demand->len;
  g_autofree Tally *wt = g_new0 (Tally, n_wards + 1);   /* last: no ward */
  g_autofree Tally *ot = g_new0 (Tally, MAX (n_ops, 1));
  g_autoptr(GArray) op_order = sorted_operators (run);
  g_autofree guint *op_access = g_new0 (guint, MAX (n_ops, 1));
  g_autofree guint *op_cells = g_new0 (guint, (gsize) MAX (n_ops, 1) * NGAM_GAPS_N_MOBILE);
  Tally all = { 0 };
  GEOSContextHandle_t h = ngam_geos_context ();

  for (guint i = 0; i < nd; i++)
    {
      const CoverDemand *d = &g_array_index (run->demand, CoverDemand, i);
      Tally *w = &wt[d->ward >= 0 ? (guint) d->ward : n_wards];
      Tally *ts[2] = { &all, w };

      for (guint k = 0; k < 2; k++)
        {
          ts[k]->points++;
          ts[k]->households += d->households;
          ts[k]->fibre_households += d->fibre ? d->households : 0;
          for (guint t = 0; t < NGAM_GAPS_N_MOBILE; t++)
            ts[k]->covered_households[t] += (d->covered >> t) & 1 ? d->households : 0;
        }
      for (guint o = 0; o < n_ops; o++)
        {
          ot[o].households += d->households;
          ot[o].fibre_households += run->op_fibre[(gsize) i * n_ops + o] ? d->households : 0;
          for (guint t = 0; t < NGAM_GAPS_N_MOBILE; t++)
            ot[o].covered_households[t] += (run->op_covered[(gsize) i * n_ops + o] >> t) & 1 ? d->households : 0;
        }
    }
  for (guint i = 0; i < run->access->len; i++)
    {
      gint16 op = g_array_index (run->access, CoverAccess, i).op;

      if (op >= 0)
        op_access[op]++;
    }
  for (guint i = 0; i < run->pieces->len; i++)
    {
      const CoverPiece *p = &g_array_index (run->pieces, CoverPiece, i);

      if (p->op >= 0)
        op_cells[p->op * NGAM_GAPS_N_MOBILE + p->tech]++;
    }

  /* notes on what is absent */
  if (nd == 0)
    cover_run_note (run, _("the project has no demand points: no share can be computed"));
  if ((run->techs & NGAM_GAPS_MOBILE) && run->n_sites_total == 0)
    cover_run_note (run, _("the project has no cell sites: the mobile coverage indicators are absent"));
  if ((run->techs & NGAM_GAPS_FIBRE) && run->access->len == 0)
    cover_run_note (run, _("the project has no fibre access point (no active fibre span, and no pole or "
                           "manhole on a fibre route): the fibre indicators are absent"));
  for (guint t = 0; t < NGAM_GAPS_N_MOBILE; t++)
    if ((run->techs & (1u << t)) && run->n_sites_total > 0 && run->n_sites[t] == 0)
      cover_run_note (run, _("the project has no %s cell: its coverage is zero"), ngam_gaps_tech_name (t));

  /* indicators */
  json_builder_set_member_name (b, "demand");
  json_builder_begin_object (b);
  cover_json_int (b, "points", all.points);
  cover_json_int (b, "households", all.households);
  cover_json_double (b, "population", cover_population (run, all.households));
  cover_json_int (b, "households_no_ward", wt[n_wards].households);
  cover_json_int (b, "points_without_households", run->n_no_households);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "indicators");
  json_builder_begin_object (b);
  if (mobile_known (run) && (run->techs & NGAM_GAPS_MOBILE))
    {
      json_builder_set_member_name (b, "population_covered_share");
      json_builder_begin_object (b);
      for (guint t = 0; t < NGAM_GAPS_N_MOBILE; t++)
        if (run->techs & (1u << t))
          share (b, ngam_gaps_tech_name (t), all.covered_households[t], all.households);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "population_covered");
      json_builder_begin_object (b);
      for (guint t = 0; t < NGAM_GAPS_N_MOBILE; t++)
        if (run->techs & (1u << t))
          cover_json_double (b, ngam_gaps_tech_name (t), cover_population (run, all.covered_households[t]));
      json_builder_end_object (b);
    }
  if (fibre_known (run))
    {
      share (b, "households_fibre_share", all.fibre_households, all.households);
      cover_json_int (b, "households_fibre", all.fibre_households);
    }
  if (nd > 0)
    {
      cover_json_int (b, "households", all.households);
      cover_json_double (b, "population", cover_population (run, all.households));
    }
  json_builder_end_object (b);

  /* fibre */
  if (run->techs & NGAM_GAPS_FIBRE)
    {
      json_builder_set_member_name (b, "fibre");
      json_builder_begin_object (b);
      cover_json_double (b, "max_drop_m", run->set.max_drop_m);
      cover_json_int (b, "access_points", run->access->len);
      cover_json_int (b, "plant_edges", run->plant.edges ? run->plant.edges->len : 0);
      if (fibre_known (run))
        {
          guint64 unserved_points = 0;

          for (guint i = 0; i < nd; i++)
            unserved_points += !g_array_index (run->demand, CoverDemand, i).fibre;
          cover_json_int (b, "households_served", all.fibre_households);
          cover_json_int (b, "unserved_households", all.households - all.fibre_households);
          cover_json_int (b, "unserved_points", unserved_points);
          json_builder_set_member_name (b, "by_operator");
          json_builder_begin_object (b);
          for (guint k = 0; k < n_ops; k++)
            {
              guint o = g_array_index (op_order, guint, k);

              if (op_access[o] == 0)
                continue;
              json_builder_set_member_name (b, g_ptr_array_index (run->operators, o));
              json_builder_begin_object (b);
              cover_json_int (b, "access_points", op_access[o]);
              cover_json_int (b, "households_served", ot[o].fibre_households);
              share (b, "households_share", ot[o].fibre_households, ot[o].households);
              json_builder_end_object (b);
            }
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }

  /* mobile */
  if (run->techs & NGAM_GAPS_MOBILE)
    {
      json_builder_set_member_name (b, "mobile");
      json_builder_begin_object (b);
      for (guint t = 0; t < NGAM_GAPS_N_MOBILE; t++)
        {
          double area = 0;

          if (!(run->techs & (1u << t)))
            continue;
          json_builder_set_member_name (b, ngam_gaps_tech_name (t));
          json_builder_begin_object (b);
          cover_json_int (b, "cells", run->n_sites[t]);
          if (run->coverage[t])
            GEOSArea_r (h, run->coverage[t], &area);
          cover_json_double (b, "coverage_km2", area / 1e6);
          if (mobile_known (run))
            {
              guint64 unc_points = 0;

              for (guint i = 0; i < nd; i++)
                unc_points += !((g_array_index (run->demand, CoverDemand, i).covered >> t) & 1);
              cover_json_double (b, "covered_population", cover_population (run, all.covered_households[t]));
              cover_json_double (b, "uncovered_population",
                                 cover_population (run, all.households - all.covered_households[t]));
              cover_json_int (b, "uncovered_households", all.households - all.covered_households[t]);
              cover_json_int (b, "uncovered_points", unc_points);
              json_builder_set_member_name (b, "by_operator");
              json_builder_begin_object (b);
              for (guint k = 0; k < n_ops; k++)
                {
                  guint o = g_array_index (op_order, guint, k);

                  if (op_cells[o * NGAM_GAPS_N_MOBILE + t] == 0)
                    continue;
                  json_builder_set_member_name (b, g_ptr_array_index (run->operators, o));
                  json_builder_begin_object (b);
                  cover_json_int (b, "cells", op_cells[o * NGAM_GAPS_N_MOBILE + t]);
                  cover_json_double (b, "covered_population", cover_population (run, ot[o].covered_households[t]));
                  share (b, "population_covered_share", ot[o].covered_households[t], ot[o].households);
                  json_builder_end_object (b);
                }
              json_builder_end_object (b);
            }
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
    }

  /* wards, then "no ward" */
  json_builder_set_member_name (b, "wards");
  json_builder_begin_array (b);
  for (guint w = 0; w <= n_wards; w++)
    {
      if (wt[w].points == 0 && (w == n_wards || (run->area_ward >= 0 && (int) w != run->area_ward)))
        continue;
      json_builder_begin_object (b);
      if (w < n_wards)
        {
          CoverWard *cw = g_ptr_array_index (run->wards, w);

          cover_json_string (b, "name", cw->name);
          cover_json_string (b, "code", cw->code);
          cover_json_int (b, "fid", cw->fid);
        }
      else
        {
          cover_json_string (b, "name", "no ward");
          cover_json_string (b, "code", NULL);
          json_builder_set_member_name (b, "fid");
          json_builder_add_null_value (b);
        }
      tally_json (run, b, &wt[w]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  /* features: coverage, gap points, gap areas */
  for (guint t = 0; t < NGAM_GAPS_N_MOBILE; t++)
    if (run->coverage[t] && !GEOSisEmpty_r (h, run->coverage[t]))
      {
        g_autoptr(JsonBuilder) attrs = json_builder_new ();
        double area = 0;

        GEOSArea_r (h, run->coverage[t], &area);
        json_builder_begin_object (attrs);
        cover_json_string (attrs, "tech", ngam_gaps_tech_name (t));
        cover_json_double (attrs, "area_km2", area / 1e6);
        cover_run_add_feature (run, "coverage", NULL, NULL, NAN, attrs, GEOSGeom_clone_r (h, run->coverage[t]));
      }
  for (guint t = 0; t < NGAM_GAPS_N_TECH; t++)
    {
      gboolean is_fibre = t == NGAM_GAPS_N_MOBILE;
      g_autoptr(GPtrArray) per_ward = NULL;

      if (!(run->techs & (1u << t)) || (is_fibre ? !fibre_known (run) : !mobile_known (run)))
        continue;
      if (!is_fibre && run->n_sites[t] == 0)
        {
          /* everyone is a gap: the indicators say so, a copy of every
           * demand point would say nothing more */
          cover_run_note (run, _("no %s cell: every demand point is a %s gap; no gap points or polygons are stored "
                                 "for it"), ngam_gaps_tech_name (t), ngam_gaps_tech_name (t));
          continue;
        }
      if (!cover_run_check_cancel (run, error))
        return FALSE;
      per_ward = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
      for (guint w = 0; w <= n_wards; w++)
        g_ptr_array_add (per_ward, g_array_new (FALSE, FALSE, sizeof (guint)));
      for (guint i = 0; i < nd; i++)
        {
          const CoverDemand *d = &g_array_index (run->demand, CoverDemand, i);
          gboolean served = is_fibre ? d->fibre : (d->covered >> t) & 1;
          char pop[G_ASCII_DTOSTR_BUF_SIZE];

          if (served)
            continue;
          g_array_append_val (g_ptr_array_index (per_ward, d->ward >= 0 ? (guint) d->ward : n_wards), i);
          /* one per demand point left out: written directly, as json-glib
           * would (the same keys and numbers), a million times faster */
          g_ascii_dtostr (pop, sizeof pop, cover_population (run, d->households));
          cover_run_add_feature_text (run, "gap_point",
                                      d->ward >= 0 ? ((CoverWard *) g_ptr_array_index (run->wards, d->ward))->name : NULL,
                                      NULL, NAN,
                                      g_strdup_printf ("{\"demand_fid\":%" G_GINT64_FORMAT ",\"tech\":\"%s\","
                                                       "\"households\":%u,\"population\":%s}",
                                                       d->fid, ngam_gaps_tech_name (t), d->households, pop),
                                      point_geom (d->x, d->y));
        }
      for (guint w = 0; w <= n_wards; w++)
        if (!gap_areas (run, t, w < n_wards ? (int) w : -1, g_ptr_array_index (per_ward, w), error))
          return FALSE;
    }
  return TRUE;
}
