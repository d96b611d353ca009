/* ngam-sample-network.c — the demo town's streets, aerial plant, ducts and households
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-sample"

#include "config.h"

#include <math.h>

#include "ngam-sample-gen.h"

/* ---- streets -------------------------------------------------------- */

static const char *
street_surface (const NgamSampleTown *t,
                StreetClass       cls,
                const SampleEdge *e,
                double            mu,
                double            mv)
{
  double r = ngam_sample_u01 (t, TAG_SURFACE, e->is_col, e->line, e->pos);

  if (cls < CLASS_RESIDENTIAL)
    return r < 0.95 ? "asphalt" : "concrete";
  if (ngam_sample_town_on_hills (t, mu, mv))
    return r < 0.4 ? "unpaved" : r < 0.85 ? "concrete" : "asphalt";
  if (ngam_sample_town_in_citadel (t, mu, mv))
    return r < 0.25 ? "paving_stones" : r < 0.75 ? "asphalt" : "concrete";
  return r < 0.55 ? "asphalt" : r < 0.95 ? "concrete" : "paving_stones";
}

static void
street_common (NgamFeature *f,
               const char  *name,
               const char  *highway,
               const char  *surface,
               double       width,
               double       sidewalk,
               gboolean     bridge,
               gboolean     festival)
{
  ngam_sample_set_text (f, "name", name);
  ngam_sample_set_text (f, "highway", highway);
  ngam_sample_set_text (f, "surface", surface);
  ngam_sample_set_real (f, "width_m", width);
  ngam_sample_set_real (f, "sidewalk_m", sidewalk);
  ngam_sample_set_bool (f, "bridge", bridge);
  ngam_sample_set_bool (f, "tunnel", FALSE);
  ngam_sample_set_int (f, "layer", bridge ? 1 : 0);
  ngam_sample_set_bool (f, "festival", festival);
}

static gboolean
street_edge (SampleGen        *g,
             const SampleEdge *e,
             GError          **error)
{
  const NgamSampleTown *t = g->t;
  StreetClass cls = ngam_sample_town_line_class (t, e->is_col, e->line);
  double mu = (e->a[0] + e->b[0]) / 2, mv = (e->a[1] + e->b[1]) / 2;
  double width = ngam_sample_town_line_width (t, e->is_col, e->line);
  double sidewalk = ngam_sample_town_line_sidewalk (t, e->is_col, e->line);
  gboolean festival = ngam_sample_town_festival (t, e->is_col, e->line, mu, mv);
  char lt = e->is_col ? 'c' : 'r';
  g_autofree char *name = NULL;
  double junction[2], end[2], ab[4] = { e->a[0], e->a[1], e->b[0], e->b[1] };
  NgamFeature *f;

  if (e->cross)
    {
      /* the bridge spans the water and 10 m of each bank; the rest of the
       * way is ordinary street */
      double len = hypot (e->b[0] - e->a[0], e->b[1] - e->a[1]), s0 = 1, s1 = 0;
      guint n = (guint) ceil (len / 2);
      double cut[4];
      g_autofree char *street = ngam_sample_town_line_name (t, e->is_col, e->line, e->pos / SAMPLE_CHUNK, FALSE);

      for (guint k = 0; k <= n; k++)
        {
          double s = (double) k / n, u = e->a[0] + s * (e->b[0] - e->a[0]), v = e->a[1] + s * (e->b[1] - e->a[1]);

          if (e->river ? ngam_sample_town_in_river (t, u, v) : ngam_sample_town_in_moat (t, u, v))
            s0 = MIN (s0, s), s1 = MAX (s1, s);
        }
      if (s0 > s1)
        s0 = 0, s1 = 1;
      s0 = MAX (0, s0 - 10 / len);
      s1 = MIN (1, s1 + 10 / len);
      cut[0] = s0 * len < 3 ? 0 : s0;
      cut[1] = cut[0];
      cut[2] = (1 - s1) * len < 3 ? 1 : s1;
      cut[3] = 1;
      for (int piece = 0; piece < 3; piece++)
        {
          double from = piece == 0 ? 0 : piece == 1 ? cut[1] : cut[2];
          double to = piece == 0 ? cut[0] : piece == 1 ? cut[2] : cut[3];
          double uv[4] = { e->a[0] + from * (e->b[0] - e->a[0]), e->a[1] + from * (e->b[1] - e->a[1]),
                           e->a[0] + to * (e->b[0] - e->a[0]), e->a[1] + to * (e->b[1] - e->a[1]) };

          if (to <= from)
            continue;
          f = ngam_sample_feature_begin (g, NGAM_LAYER_STREETS, NULL);
          if (piece == 1)
            {
              name = ngam_sample_town_crossing_name (t, e->is_col, e->line, mu, mv, e->river);
              street_common (f, name, sample_class_highway[MIN (cls, CLASS_TERTIARY)], "asphalt",
                             MAX (width, e->river ? 9 : 6), MAX (sidewalk, 1.5), TRUE, festival);
              ngam_sample_shape_line (g, f, uv, 2);
              if (!ngam_sample_feature_add (g, f, NULL, error, "%s/%c%u/%u", e->river ? "bridge" : "gate", lt, e->line, e->pos))
                return FALSE;
            }
          else
            {
              street_common (f, street, sample_class_highway[cls], street_surface (t, cls, e, mu, mv),
                             width, sidewalk, FALSE, festival);
              ngam_sample_shape_line (g, f, uv, 2);
              if (!ngam_sample_feature_add (g, f, NULL, error, "street/%c%u/%u/%c", lt, e->line, e->pos, piece ? 'b' : 'a'))
                return FALSE;
            }
        }
    }
  else
    {
      const char *surface = street_surface (t, cls, e, mu, mv);

      name = ngam_sample_town_line_name (t, e->is_col, e->line, e->pos / SAMPLE_CHUNK,
                                    ngam_sample_town_in_citadel (t, mu, mv));
      if (!e->is_col && ngam_sample_town_alley (t, e->ai, e->aj, e->a, e->b, junction, end))
        {
          double half1[4] = { e->a[0], e->a[1], junction[0], junction[1] };
          double half2[4] = { junction[0], junction[1], e->b[0], e->b[1] };
          double alley[4] = { junction[0], junction[1], end[0], end[1] };
          gboolean north = end[1] > junction[1];
          double r = ngam_sample_u01 (t, TAG_SURFACE, 2, e->line, e->pos);
          guint number = 2 * ((e->pos % SAMPLE_CHUNK) * 14 +
                              (guint) (hypot (junction[0] - e->a[0], junction[1] - e->a[1]) / 10)) + (north ? 1 : 2);
          g_autofree char *alley_name = g_strdup_printf ("Kiệt %u %s", number, name);
          gboolean hills = ngam_sample_town_on_hills (t, junction[0], junction[1]);

          f = ngam_sample_feature_begin (g, NGAM_LAYER_STREETS, NULL);
          street_common (f, name, sample_class_highway[cls], surface, width, sidewalk, FALSE, festival);
          ngam_sample_shape_line (g, f, half1, 2);
          if (!ngam_sample_feature_add (g, f, NULL, error, "street/%c%u/%u/a", lt, e->line, e->pos))
            return FALSE;
          f = ngam_sample_feature_begin (g, NGAM_LAYER_STREETS, NULL);
          street_common (f, name, sample_class_highway[cls], surface, width, sidewalk, FALSE, festival);
          ngam_sample_shape_line (g, f, half2, 2);
          if (!ngam_sample_feature_add (g, f, NULL, error, "street/%c%u/%u/b", lt, e->line, e->pos))
            return FALSE;
          f = ngam_sample_feature_begin (g, NGAM_LAYER_STREETS, NULL);
          street_common (f, alley_name, "alley",
                         r < (hills ? 0.4 : 0.12) ? "unpaved" : r < 0.2 ? "paving_stones" : "concrete",
                         1.5 + 0.5 * floor (5 * ngam_sample_u01 (t, TAG_WIDTH, 2, e->line, e->pos)),
                         0, FALSE, FALSE);
          ngam_sample_shape_line (g, f, alley, 2);
          if (!ngam_sample_feature_add (g, f, NULL, error, "alley/r%u/%u", e->line, e->pos))
            return FALSE;
        }
      else
        {
          f = ngam_sample_feature_begin (g, NGAM_LAYER_STREETS, NULL);
          street_common (f, name, sample_class_highway[cls], surface, width, sidewalk, FALSE, festival);
          ngam_sample_shape_line (g, f, ab, 2);
          if (!ngam_sample_feature_add (g, f, NULL, error, "street/%c%u/%u", lt, e->line, e->pos))
            return FALSE;
        }
    }
  if (festival)
    return ngam_sample_path_extend (g, e, 0, 0, ab, 2, error);
  return ngam_sample_path_stop (g, e, 0, error);
}

/* A festival street becomes a festival zone: the street and its sidewalks,
 * where no cable may hang and works are planned with care. */
static gboolean
festival_flush (SampleGen  *g,
                SamplePath *p,
                GError    **error)
{
  GEOSContextHandle_t h = ngam_geos_context ();
  const NgamSampleTown *t = g->t;
  const double *uv = (const double *) p->xy->data;
  guint n = p->xy->len / 2;
  double half = ngam_sample_town_line_width (t, p->is_col, p->line) / 2 +
                ngam_sample_town_line_sidewalk (t, p->is_col, p->line) + 3;
  g_autofree char *street = ngam_sample_town_line_name (t, p->is_col, p->line, p->chunk,
                                                   ngam_sample_town_in_citadel (t, uv[0], uv[1]));
  g_autofree char *name = g_strdup_printf ("Phố lễ hội %s", street);
  g_autofree char *key = g_strdup_printf ("zone/festival/%c%u/%u", p->is_col ? 'c' : 'r', p->line, p->start);
  GEOSGeometry *line, *buffer;
  NgamFeature *f;

  ngam_sample_shape_line_to (g, g->scratch, uv, n);
  line = ngam_shape_to_geos (g->scratch, error);
  if (line == NULL)
    return FALSE;
  buffer = GEOSBufferWithStyle_r (h, line, half, 4, GEOSBUF_CAP_FLAT, GEOSBUF_JOIN_MITRE, 3.0);
  GEOSGeom_destroy_r (h, line);
  if (buffer == NULL)
    {
      g_set_error (error, NGAM_SAMPLE_ERROR, NGAM_SAMPLE_ERROR_INVALID,
                   "cannot outline the festival street %s: %s", street, ngam_geos_last_error ());
      return FALSE;
    }
  f = ngam_sample_feature_begin (g, NGAM_LAYER_ZONES, NULL);
  ngam_sample_set_text (f, "zone_type", "festival");
  ngam_sample_set_text (f, "name", name);
  return ngam_sample_add_area (g, f, buffer, error, key);
}

gboolean
ngam_sample_write_streets (SampleGen *g,
                      GError   **error)
{
  gboolean ok;

  g->p_message = "streets";
  if (!ngam_sample_open_writers (g, error, NGAM_LAYER_STREETS, NGAM_LAYER_ZONES, -1))
    return FALSE;
  ngam_sample_paths_init (g, 1, festival_flush);
  ok = ngam_sample_walk (g, NULL, street_edge, ngam_sample_paths_row_end, error) && ngam_sample_paths_finish (g, error);
  ngam_sample_paths_free (g);
  return ok && ngam_sample_close_writers (g, error);
}

/* ---- poles, aerial spans and cable routes --------------------------- */

typedef struct
{
  const char *type;
  gint64      count;
  double      diameter;
  gint64      cables;
  gboolean    retired;
} Cable;

/* The cable an operator hangs along a chunk of a line. */
static void
cable_for (const NgamSampleTown *t,
           guint             op,
           gboolean          is_col,
           guint             line,
           guint             chunk,
           Cable            *c)
{
  static const gint64 fibre_main[] = { 24, 48, 96, 144, 288 }, fibre_local[] = { 8, 12, 24, 48 };
  static const gint64 pairs[] = { 10, 20, 50, 100, 200 };
  StreetClass cls = ngam_sample_town_line_class (t, is_col, line);
  guint64 key = (guint64) chunk * 8 + op;
  double r0 = ngam_sample_u01 (t, TAG_CABLE, is_col, line, key * 4);
  double r1 = ngam_sample_u01 (t, TAG_CABLE, is_col, line, key * 4 + 1);
  double r2 = ngam_sample_u01 (t, TAG_CABLE, is_col, line, key * 4 + 2);

  if (op == OP_SCTV && r0 < 0.7)
    {
      c->type = "coax";
      c->count = 1;
      c->diameter = r1 < 0.6 ? 10.3 : 13.0;
    }
  else if (op == OP_VNPT && r0 < 0.25)
    {
      c->type = "copper";
      c->count = pairs[(guint) (r1 * G_N_ELEMENTS (pairs))];
      c->diameter = 6 + 0.1 * c->count;
    }
  else
    {
      c->type = "fibre";
      c->count = cls <= CLASS_SECONDARY ? fibre_main[(guint) (r1 * G_N_ELEMENTS (fibre_main))]
                                        : fibre_local[(guint) (r1 * G_N_ELEMENTS (fibre_local))];
      c->diameter = round ((5.5 + 0.03 * c->count) * 10) / 10;
    }
  c->cables = 1 + (r2 < 0.35) + (cls <= CLASS_SECONDARY && r2 < 0.12);
  c->retired = ngam_sample_u01 (t, TAG_CABLE, is_col, line, key * 4 + 3) < 0.04;
}

/* The pole line runs on the north side of rows and the east side of
 * columns, at the kerb; the corner pole north-east of a node is shared by
 * both lines, so cables turn corners there. */
static void
corner (const NgamSampleTown *t,
        guint             i,
        guint             j,
        const double      node[2],
        double            out[2])
{
  out[0] = node[0] + ngam_sample_town_line_width (t, TRUE, i) / 2 + 0.6;
  out[1] = node[1] + ngam_sample_town_line_width (t, FALSE, j) / 2 + 0.6;
}

static gboolean
add_pole (SampleGen        *g,
          const SampleEdge *e,
          const double      p[2],
          guint64           salt,
          gint64           *fid,
          GError          **error,
          const char       *key)
{
  static const char *const owners[] = { "EVNCPC", "VNPT", "Viettel" };
  static const char *const prefixes[] = { "ĐL", "VNPT", "VTL" };
  const NgamSampleTown *t = g->t;
  double r = ngam_sample_u01 (t, TAG_OWNER, e->is_col, e->line, e->pos / SAMPLE_CHUNK);
  guint owner = r < 0.65 ? 0 : r < 0.9 ? 1 : 2;
  double h = ngam_sample_u01 (t, TAG_POLE, salt, 0, 0);
  g_autofree char *code = g_strdup_printf ("%s-%06" G_GUINT64_FORMAT, prefixes[owner], ++g->seq_pole[owner]);
  NgamFeature *f = ngam_sample_feature_begin (g, NGAM_LAYER_POLES, owner == 0 ? NULL : owners[owner]);

  ngam_sample_set_text (f, "code", code);
  if (owner == 0)
    ngam_sample_set_real (f, "height_m", h < 0.5 ? 10 : h < 0.85 ? 12 : 14);
  else
    ngam_sample_set_real (f, "height_m", h < 0.6 ? 7.5 : 8.5);
  ngam_sample_set_text (f, "material", owner != 0 && h > 0.92 ? "steel" : "concrete");
  ngam_sample_set_text (f, "owner", owners[owner]);
  ngam_sample_set_text (f, "status", "active");
  ngam_sample_shape_point (g, f, p[0], p[1]);
  return ngam_sample_feature_add (g, f, fid, error, "%s", key);
}

static gboolean
corner_pole (SampleGen        *g,
             const SampleEdge *e,
             guint             i,
             guint             j,
             const double      p[2],
             gint64           *fid,
             GError          **error)
{
  g_autofree char *key = NULL;

  if (*fid > 0)
    return TRUE;
  key = g_strdup_printf ("pole/%u/%u", i, j);
  return add_pole (g, e, p, ((guint64) i << 32) | j, fid, error, key);
}

/* Poles at equal spacing between two corners, 35–50 m apart (the length
 * of an aerial span in town); none when no such spacing exists. */
static guint
pole_count (double length)
{
  guint lo = (guint) ceil (length / 50 - 1e-9), hi = (guint) floor (length / 35 + 1e-9);
  guint n = (guint) round (length / 43);

  if (lo == 0 || lo > hi)
    return 0;
  return CLAMP (n, lo, hi);
}

static void
aerial_node (SampleGen *g,
             guint      i,
             guint      j)
{
  /* the column's previous node becomes the southern end of this node's
   * street from the south; this node starts without a pole */
  g->fid_a = g->fid_col[i];
  g->fid_col[i] = 0;
}

static gboolean
aerial_edge (SampleGen        *g,
             const SampleEdge *e,
             GError          **error)
{
  const NgamSampleTown *t = g->t;
  guint chunk = e->pos / SAMPLE_CHUNK;
  double mu = (e->a[0] + e->b[0]) / 2, mv = (e->a[1] + e->b[1]) / 2;
  guint mask = 0, n = 0;
  double ca[2], cb[2];
  g_autofree double *uv = NULL;
  g_autofree gint64 *fids = NULL;
  gint64 *fid_a, *fid_b;
  char lt = e->is_col ? 'c' : 'r';

  if (!e->cross)
    {
      mask = ngam_sample_town_aerial_mask (t, e->is_col, e->line, chunk);
      if (ngam_sample_town_ducted (t, e->is_col, e->line, chunk, mu, mv))
        mask &= ~(1u << OP_VNPT);
      corner (t, e->ai, e->aj, e->a, ca);
      corner (t, e->bi, e->bj, e->b, cb);
      if (mask)
        n = pole_count (hypot (cb[0] - ca[0], cb[1] - ca[1]));
    }
  if (n == 0)
    {
      for (guint op = 0; op < N_OPS; op++)
        if (!ngam_sample_path_stop (g, e, op, error))
          return FALSE;
      return TRUE;
    }

  fid_a = e->is_col ? &g->fid_a : &g->fid_col[e->ai];
  fid_b = &g->fid_col[e->bi];
  uv = g_new (double, 2 * (n + 1));
  fids = g_new (gint64, n + 1);
  if (!corner_pole (g, e, e->ai, e->aj, ca, fid_a, error) ||
      !corner_pole (g, e, e->bi, e->bj, cb, fid_b, error))
    return FALSE;
  fids[0] = *fid_a;
  fids[n] = *fid_b;
  for (guint k = 0; k <= n; k++)
    {
      uv[2 * k] = ca[0] + (cb[0] - ca[0]) * k / n;
      uv[2 * k + 1] = ca[1] + (cb[1] - ca[1]) * k / n;
    }
  uv[0] = ca[0], uv[1] = ca[1], uv[2 * n] = cb[0], uv[2 * n + 1] = cb[1];
  for (guint k = 1; k < n; k++)
    {
      g_autofree char *key = g_strdup_printf ("pole/%c%u/%u/%u", lt, e->line, e->pos, k);
      guint64 salt = ((guint64) (e->is_col ? 1 : 2) << 60) ^ ((guint64) e->line << 36) ^ ((guint64) e->pos << 8) ^ k;

      if (!add_pole (g, e, uv + 2 * k, salt, &fids[k], error, key))
        return FALSE;
    }

  for (guint op = 0; op < N_OPS; op++)
    {
      Cable c;

      if (!(mask & (1u << op)))
        {
          if (!ngam_sample_path_stop (g, e, op, error))
            return FALSE;
          continue;
        }
      cable_for (t, op, e->is_col, e->line, chunk, &c);
      for (guint k = 0; k < n; k++)
        {
          NgamFeature *f = ngam_sample_feature_begin (g, NGAM_LAYER_SPANS, sample_operator_names[op]);
          g_autofree char *code = g_strdup_printf ("%s-S%07" G_GUINT64_FORMAT, sample_operator_abbrev[op], ++g->seq_span[op]);

          ngam_sample_set_text (f, "code", code);
          ngam_sample_set_text (f, "cable_type", c.type);
          ngam_sample_set_int (f, "fibre_count", c.count);
          ngam_sample_set_real (f, "diameter_mm", c.diameter);
          ngam_sample_set_int (f, "cable_count", c.cables);
          ngam_sample_set_int (f, "from_pole", fids[k]);
          ngam_sample_set_int (f, "to_pole", fids[k + 1]);
          ngam_sample_set_text (f, "status", c.retired ? "retired" : "active");
          ngam_sample_shape_line (g, f, uv + 2 * k, 2);
          if (!ngam_sample_feature_add (g, f, NULL, error, "span/%s/%c%u/%u/%u", sample_operator_abbrev[op], lt, e->line, e->pos, k))
            return FALSE;
        }
      if (!ngam_sample_path_extend (g, e, op, op, uv, n + 1, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
route_flush (SampleGen  *g,
             SamplePath *p,
             GError    **error)
{
  const NgamSampleTown *t = g->t;
  const double *uv = (const double *) p->xy->data;
  gboolean underground = p->op == N_OPS;
  guint op = underground ? OP_VNPT : p->op;
  g_autofree char *street = ngam_sample_town_line_name (t, p->is_col, p->line, p->chunk,
                                                   ngam_sample_town_in_citadel (t, uv[0], uv[1]));
  g_autofree char *name = g_strdup_printf ("Tuyến %s%s %s", underground ? "ngầm " : "",
                                           sample_operator_names[op], street);
  g_autofree char *code = g_strdup_printf ("%s-%s%05" G_GUINT64_FORMAT, sample_operator_abbrev[op],
                                           underground ? "N" : "T", ++g->seq_route[p->op]);
  NgamFeature *f = ngam_sample_feature_begin (g, NGAM_LAYER_ROUTES, sample_operator_names[op]);
  Cable c;

  if (underground)
    {
      c.type = "fibre";
      c.count = 96 << (ngam_sample_hash (t, TAG_DUCT, p->is_col, p->line, p->chunk + 7) % 2);
      c.diameter = round ((5.5 + 0.03 * c.count) * 10) / 10;
    }
  else
    cable_for (t, op, p->is_col, p->line, p->chunk, &c);
  ngam_sample_set_text (f, "code", code);
  ngam_sample_set_text (f, "name", name);
  ngam_sample_set_text (f, "cable_type", c.type);
  ngam_sample_set_int (f, "fibre_count", c.count);
  ngam_sample_set_real (f, "diameter_mm", c.diameter);
  ngam_sample_set_text (f, "placement", underground ? "underground" : "aerial");
  ngam_sample_shape_line (g, f, uv, p->xy->len / 2);
  return ngam_sample_feature_add (g, f, NULL, error, "route/%s/%s/%c%u/%u", sample_operator_abbrev[op],
                      underground ? "duct" : "aerial", p->is_col ? 'c' : 'r', p->line, p->start);
}

gboolean
ngam_sample_write_aerial (SampleGen *g,
                     GError   **error)
{
  gboolean ok;

  g->p_message = "poles and aerial spans";
  if (!ngam_sample_open_writers (g, error, NGAM_LAYER_POLES, NGAM_LAYER_SPANS, NGAM_LAYER_ROUTES, -1))
    return FALSE;
  g->fid_col = g_new0 (gint64, g->t->nx);
  ngam_sample_paths_init (g, N_OPS, route_flush);
  ok = ngam_sample_walk (g, aerial_node, aerial_edge, ngam_sample_paths_row_end, error) && ngam_sample_paths_finish (g, error);
  ngam_sample_paths_free (g);
  g_clear_pointer (&g->fid_col, g_free);
  return ok && ngam_sample_close_writers (g, error);
}

/* ---- VNPT ducts and manholes ---------------------------------------- */

/* Ducts run under the south sidewalk of rows and the west one of columns,
 * meeting at the corner south-west of a node. */
static void
duct_corner (const NgamSampleTown *t,
             guint             i,
             guint             j,
             const double      node[2],
             double            out[2])
{
  out[0] = node[0] - ngam_sample_town_line_width (t, TRUE, i) / 2 - 1.2;
  out[1] = node[1] - ngam_sample_town_line_width (t, FALSE, j) / 2 - 1.2;
}

static gboolean
duct_edge (SampleGen        *g,
           const SampleEdge *e,
           GError          **error)
{
  const NgamSampleTown *t = g->t;
  guint chunk = e->pos / SAMPLE_CHUNK;
  double mu = (e->a[0] + e->b[0]) / 2, mv = (e->a[1] + e->b[1]) / 2;
  double ca[2], cb[2], len;
  char lt = e->is_col ? 'c' : 'r';
  g_autoptr(GArray) line = g_array_new (FALSE, FALSE, sizeof (double));
  guint64 h;
  gint64 count;
  NgamFeature *f;
  g_autofree char *code = NULL;

  if (e->cross || !ngam_sample_town_ducted (t, e->is_col, e->line, chunk, mu, mv))
    return ngam_sample_path_stop (g, e, 0, error);
  duct_corner (t, e->ai, e->aj, e->a, ca);
  duct_corner (t, e->bi, e->bj, e->b, cb);
  len = hypot (cb[0] - ca[0], cb[1] - ca[1]);
  ngam_sample_push (line, ca[0], ca[1]);
  /* Manholes 12 m from each corner (never at the intersection, QCVN 33)
   * and at most 85 m apart between them. */
  if (len >= 40)
    {
      guint m = (guint) ceil ((len - 24) / 85);

      for (guint k = 0; k <= m; k++)
        {
          double s = (12 + k * (len - 24) / m) / len;
          double p[2] = { ca[0] + s * (cb[0] - ca[0]), ca[1] + s * (cb[1] - ca[1]) };
          gboolean big = ngam_sample_town_line_class (t, e->is_col, e->line) == CLASS_PRIMARY;
          g_autofree char *mcode = g_strdup_printf ("VNPT-HC-%05" G_GUINT64_FORMAT, ++g->seq_manhole);

          f = ngam_sample_feature_begin (g, NGAM_LAYER_MANHOLES, "VNPT");
          ngam_sample_set_text (f, "code", mcode);
          ngam_sample_set_text (f, "kind", big ? "manhole" : "handhole");
          ngam_sample_set_text (f, "size", big ? "1.2x1.0 m" : "0.8x0.6 m");
          ngam_sample_shape_point (g, f, p[0], p[1]);
          if (!ngam_sample_feature_add (g, f, NULL, error, "manhole/%c%u/%u/%u", lt, e->line, e->pos, k))
            return FALSE;
          ngam_sample_push (line, p[0], p[1]);
        }
    }
  ngam_sample_push (line, cb[0], cb[1]);

  h = ngam_sample_hash (t, TAG_DUCT, e->is_col, e->line, (guint64) chunk + 1000);
  count = (gint64[]) { 2, 4, 4, 4, 6, 6, 8, 4 }[h % 8];
  code = g_strdup_printf ("VNPT-CB-%05" G_GUINT64_FORMAT, ++g->seq_duct);
  f = ngam_sample_feature_begin (g, NGAM_LAYER_DUCTS, "VNPT");
  ngam_sample_set_text (f, "code", code);
  ngam_sample_set_int (f, "duct_count", count);
  ngam_sample_set_int (f, "duct_free", (h >> 8) % 5 == 0 ? 0 : MIN (count - 1, 1 + (gint64) ((h >> 12) % 3)));
  ngam_sample_set_real (f, "duct_diameter_mm", (h >> 16) % 3 == 0 ? 90 : 110);
  ngam_sample_set_text (f, "material", (h >> 20) % 5 < 3 ? "PVC" : "HDPE");
  ngam_sample_set_real (f, "depth_m", 0.5 + 0.05 * ((h >> 24) % 9));
  ngam_sample_shape_line (g, f, (const double *) line->data, line->len / 2);
  if (!ngam_sample_feature_add (g, f, NULL, error, "duct/%c%u/%u", lt, e->line, e->pos))
    return FALSE;
  {
    double ends[4] = { ca[0], ca[1], cb[0], cb[1] };

    return ngam_sample_path_extend (g, e, 0, N_OPS, ends, 2, error);
  }
}

gboolean
ngam_sample_write_ducts (SampleGen *g,
                    GError   **error)
{
  gboolean ok;

  g->p_message = "ducts and manholes";
  if (!ngam_sample_open_writers (g, error, NGAM_LAYER_DUCTS, NGAM_LAYER_MANHOLES, NGAM_LAYER_ROUTES, -1))
    return FALSE;
  ngam_sample_paths_init (g, 1, route_flush);
  ok = ngam_sample_walk (g, NULL, duct_edge, ngam_sample_paths_row_end, error) && ngam_sample_paths_finish (g, error);
  ngam_sample_paths_free (g);
  return ok && ngam_sample_close_writers (g, error);
}

/* ---- households ----------------------------------------------------- */

static gboolean
add_demand (SampleGen  *g,
            double      u,
            double      v,
            const char *address,
            double      central,
            guint64     h,
            GError    **error,
            const char *key)
{
  double r = (h >> 11) * (1.0 / 9007199254740992.0);
  const char *type;
  gint64 households;
  NgamFeature *f;

  /* apartments and offices cluster in the centre */
  if (r < 0.04 + 0.06 * central)
    type = "apartment", households = 12 + (gint64) ((h & 0xff) % 60);
  else if (r < 0.16)
    type = "shop", households = 1 + (gint64) (h & 1);
  else if (r < 0.20 + 0.03 * central)
    type = "office", households = 1;
  else if (r < 0.22)
    type = "school", households = 1;
  else if (r < 0.25)
    type = "hotel", households = 1;
  else
    type = "house", households = 1 + (gint64) ((h & 0xff) % 4);
  f = ngam_sample_feature_begin (g, NGAM_LAYER_DEMAND, NULL);
  ngam_sample_set_int (f, "households", households);
  ngam_sample_set_text (f, "building_type", type);
  ngam_sample_set_text (f, "name", address);
  ngam_sample_shape_point (g, f, u, v);
  return ngam_sample_feature_add (g, f, NULL, error, "%s", key);
}

/* Houses stand back from both sides of a street and along alleys. */
static gboolean
demand_edge (SampleGen        *g,
             const SampleEdge *e,
             GError          **error)
{
  const NgamSampleTown *t = g->t;
  double len = hypot (e->b[0] - e->a[0], e->b[1] - e->a[1]);
  double nu = -(e->b[1] - e->a[1]) / len, nv = (e->b[0] - e->a[0]) / len;
  double half = ngam_sample_town_line_width (t, e->is_col, e->line) / 2;
  double mu = (e->a[0] + e->b[0]) / 2, mv = (e->a[1] + e->b[1]) / 2;
  double central = exp (-hypot (mu - t->fest_u, mv - t->fest_v) / (3 * t->fest_r));
  char lt = e->is_col ? 'c' : 'r';
  g_autofree char *street = NULL;
  double junction[2], end[2];

  if (e->cross)
    return TRUE;
  street = ngam_sample_town_line_name (t, e->is_col, e->line, e->pos / SAMPLE_CHUNK,
                                  ngam_sample_town_in_citadel (t, mu, mv));
  for (int side = 0; side < 2; side++)
    {
      guint64 h = ngam_sample_hash (t, TAG_DEMAND, e->is_col, e->line, (guint64) e->pos * 4 + side);
      double s = 0.2 + 0.6 * ((h >> 40) & 0xffff) / 65536.0;
      double off = (side ? -1 : 1) * (half + 8 + 10 * ((h >> 24) & 0xffff) / 65536.0);
      double u = e->a[0] + s * (e->b[0] - e->a[0]) + off * nu;
      double v = e->a[1] + s * (e->b[1] - e->a[1]) + off * nv;
      guint number = 2 * ((e->pos % SAMPLE_CHUNK) * 14 + (guint) (s * len / 10)) + (side ? 2 : 1);
      g_autofree char *address = NULL;
      g_autofree char *key = NULL;

      if ((h & 0xff) >= 154 || !ngam_sample_town_is_land (t, u, v))   /* 60% of street sides */
        continue;
      address = g_strdup_printf ("%u %s", number, street);
      key = g_strdup_printf ("demand/%c%u/%u/%d", lt, e->line, e->pos, side);
      if (!add_demand (g, u, v, address, central, ngam_sample_mix (h), error, key))
        return FALSE;
    }
  if (!e->is_col && ngam_sample_town_alley (t, e->ai, e->aj, e->a, e->b, junction, end))
    {
      gboolean north = end[1] > junction[1];
      guint alley = 2 * ((e->pos % SAMPLE_CHUNK) * 14 +
                         (guint) (hypot (junction[0] - e->a[0], junction[1] - e->a[1]) / 10)) + (north ? 1 : 2);
      double au = end[0] - junction[0], av = end[1] - junction[1], al = hypot (au, av);

      for (int k = 0; k < 3; k++)
        {
          guint64 h = ngam_sample_hash (t, TAG_DEMAND, 2, e->line, (guint64) e->pos * 4 + k);
          double s = 0.3 + 0.65 * ((h >> 40) & 0xffff) / 65536.0;
          double side = (k % 2) ? 5 : -5;
          double u = junction[0] + s * au + side * av / al;
          double v = junction[1] + s * av - side * au / al;
          g_autofree char *address = NULL;
          g_autofree char *key = NULL;

          if (!ngam_sample_town_is_land (t, u, v))
            continue;
          address = g_strdup_printf ("%u/%u %s", 2 * k + 1 + (guint) (s * 8), alley, street);
          key = g_strdup_printf ("demand/alley/r%u/%u/%d", e->line, e->pos, k);
          if (!add_demand (g, u, v, address, central * 0.3, ngam_sample_mix (h), error, key))
            return FALSE;
        }
    }
  return TRUE;
}

gboolean
ngam_sample_write_demand (SampleGen *g,
                     GError   **error)
{
  g->p_message = "households";
  if (!ngam_sample_open_writers (g, error, NGAM_LAYER_DEMAND, -1))
    return FALSE;
  return ngam_sample_walk (g, NULL, demand_edge, NULL, error) && ngam_sample_close_writers (g, error);
}

