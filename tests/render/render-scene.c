/* render-scene.c — a small hand-made project with every layer kind, at
 * known places, for the renderer's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *              admin boundary (±290, ±190)
 *   +--------------------------------------------------------+
 *   | heritage        | alley      residential (x=+100)   site |
 *   | (-280..-180,    |            |                           |
 *   |  30..130)                    |        demand             |
 *   | o--o--o--o--o--o--o--o--o--o--o   poles, spans (y=+12.5) |
 *   |=========== primary street (y=0, 16 m) ==================|
 *   |        [m]===duct (y=-10)===[m]                          |
 *   | flood zone (-300..300, -150..-60)                        |
 *   +--------------------------------------------------------+
 */
#include "config.h"

#include "ngam-core.h"
#include "render-scene.h"

static void
set_shape (NgamFeature *f, NgamShape *s)
{
  ngam_shape_free (f->shape);
  f->shape = s;
}

static NgamShape *
line (double x0, double y0, double x1, double y1)
{
  double xy[4] = { SCENE_X + x0, SCENE_Y + y0, SCENE_X + x1, SCENE_Y + y1 };

  return ngam_shape_new_line (xy, 2);
}

static NgamShape *
box (double x0, double y0, double x1, double y1)
{
  NgamShape *s = ngam_shape_new ();

  ngam_shape_begin (s, NGAM_SHAPE_MULTIPOLYGON);
  ngam_shape_new_poly (s);
  ngam_shape_new_part (s);
  ngam_shape_add_point (s, SCENE_X + x0, SCENE_Y + y0);
  ngam_shape_add_point (s, SCENE_X + x1, SCENE_Y + y0);
  ngam_shape_add_point (s, SCENE_X + x1, SCENE_Y + y1);
  ngam_shape_add_point (s, SCENE_X + x0, SCENE_Y + y1);
  ngam_shape_add_point (s, SCENE_X + x0, SCENE_Y + y0);
  ngam_shape_finish (s);
  return s;
}

static NgamShape *
point (double x, double y)
{
  return ngam_shape_new_point (SCENE_X + x, SCENE_Y + y);
}

static void
add (NgamStore *store, NgamFeature *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStoreWriter) w = ngam_store_writer_new (store, f->kind, &error);

  g_assert_no_error (error);
  g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_assert_no_error (error);
  ngam_feature_free (f);
}

static NgamFeature *
feature (NgamLayerKind kind, NgamShape *shape, const char *operator_name)
{
  NgamFeature *f = ngam_feature_new (kind);

  set_shape (f, shape);
  f->operator_name = g_strdup (operator_name);
  return f;
}

static NgamFeature *
street (double x0, double y0, double x1, double y1, const char *highway, double width)
{
  NgamFeature *f = feature (NGAM_LAYER_STREETS, line (x0, y0, x1, y1), NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *w = g_strdup_printf ("%g", width);

  g_assert_true (ngam_feature_set_by_name (f, "highway", highway, &error));
  g_assert_true (ngam_feature_set_by_name (f, "width_m", w, &error));
  g_assert_true (ngam_feature_set_by_name (f, "sidewalk_m", "0", &error));
  g_assert_no_error (error);
  return f;
}

static NgamFeature *
zone (double x0, double y0, double x1, double y1, const char *type)
{
  NgamFeature *f = feature (NGAM_LAYER_ZONES, box (x0, y0, x1, y1), NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (ngam_feature_set_by_name (f, "zone_type", type, &error));
  g_assert_no_error (error);
  return f;
}

void
scene_write (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (path, "EPSG:9214", &error);
  NgamFeature *f;

  g_assert_no_error (error);
  g_assert_true (ngam_store_begin (store, &error));

  add (store, street (-300, 0, 300, 0, "primary", 2 * SCENE_STREET_HALF));
  add (store, street (100, -200, 100, 200, "residential", 7));
  add (store, street (-150, 40, -150, 150, "alley", 3));

  for (int i = 0; i < SCENE_N_POLES; i++)
    {
      double x = SCENE_POLE_X0 + 40.0 * i;

      add (store, feature (NGAM_LAYER_POLES, point (x, SCENE_POLE_DY), "VNPT"));
      if (i + 1 < SCENE_N_POLES)
        add (store, feature (NGAM_LAYER_SPANS, line (x, SCENE_POLE_DY, x + 40, SCENE_POLE_DY),
                             i < SCENE_N_POLES / 2 ? "Viettel" : "VNPT"));
    }

  add (store, zone (-280, 30, -180, 130, "heritage"));
  add (store, zone (-300, -150, 300, -60, "flood"));
  add (store, feature (NGAM_LAYER_ADMIN, box (-290, -190, 290, 190), NULL));
  add (store, feature (NGAM_LAYER_DUCTS, line (-100, -10, 50, -10), "VNPT"));
  add (store, feature (NGAM_LAYER_MANHOLES, point (-100, -10), "VNPT"));
  add (store, feature (NGAM_LAYER_MANHOLES, point (50, -10), "VNPT"));
  add (store, feature (NGAM_LAYER_DEMAND, point (150, 60), NULL));
  add (store, feature (NGAM_LAYER_DEMAND, point (170, 60), NULL));
  add (store, feature (NGAM_LAYER_DEMAND, point (190, 60), NULL));

  f = feature (NGAM_LAYER_SITES, point (200, 120), "Viettel");
  g_assert_true (ngam_feature_set_by_name (f, "range_m", "150", &error));
  g_assert_no_error (error);
  add (store, f);

  g_assert_true (ngam_store_commit (store, &error));
  g_assert_no_error (error);
}

static NgamFeature *
route (const char *operator_name, const char *placement, const double *xy, guint n)
{
  g_autoptr(GError) error = NULL;
  g_autofree double *world = g_new (double, 2 * n);
  NgamFeature *f;

  for (guint i = 0; i < n; i++)
    {
      world[2 * i] = SCENE_X + xy[2 * i];
      world[2 * i + 1] = SCENE_Y + xy[2 * i + 1];
    }
  f = feature (NGAM_LAYER_ROUTES, ngam_shape_new_line (world, n), operator_name);
  g_assert_true (ngam_feature_set_by_name (f, "placement", placement, &error));
  g_assert_no_error (error);
  return f;
}

/* A straight line along y = @y from x = -2500 to +2500, a vertex every
 * @step metres. */
static double *
straight (double y, double step, guint *n)
{
  double *xy;

  *n = (guint) (5000 / step) + 1;
  xy = g_new (double, 2 * *n);
  for (guint i = 0; i < *n; i++)
    {
      xy[2 * i] = -2500 + step * i;
      xy[2 * i + 1] = y;
    }
  return xy;
}

void
scene_write_overview (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (path, "EPSG:9214", &error);
  static const double seam_sites[][2] = { { -20, 500 }, { 15, 500 }, { 3, 520 }, { -8, 480 }, { 40, 470 } };
  g_autofree double *a = NULL, *b = NULL, *c = NULL, *z = NULL;
  guint na, nb, nc, nz;

  g_assert_no_error (error);
  g_assert_true (ngam_store_begin (store, &error));

  /* one street, three operators, with vertices in different places */
  a = straight (0, 100, &na);
  b = straight (0, 250, &nb);
  c = straight (0, 500, &nc);
  add (store, route ("VNPT", "underground", a, na));
  add (store, route ("Viettel", "underground", b, nb));
  add (store, route ("FPT", "aerial", c, nc));
  /* bends of three pixels at 10 m/px */
  z = straight (SCENE_ZIGZAG_Y, 100, &nz);
  for (guint i = 0; i < nz; i++)
    z[2 * i + 1] += i % 2 ? SCENE_ZIGZAG_AMP : -SCENE_ZIGZAG_AMP;
  add (store, route ("VNPT", "underground", z, nz));

  /* two streets of one class, 10 m and 40 m across */
  add (store, street (-300, SCENE_WIDTHS_Y, -100, SCENE_WIDTHS_Y, "secondary", 10));
  add (store, street (100, SCENE_WIDTHS_Y, 300, SCENE_WIDTHS_Y, "secondary", 40));

  /* two festival streets of two classes (stroked apart) that cross */
  {
    NgamFeature *fs[2] = {
      street (-300, SCENE_FESTIVAL_Y, 300, SCENE_FESTIVAL_Y, "secondary", 10),
      street (0, SCENE_FESTIVAL_Y - 300, 0, SCENE_FESTIVAL_Y + 300, "residential", 7),
    };

    for (guint i = 0; i < G_N_ELEMENTS (fs); i++)
      {
        g_assert_true (ngam_feature_set_by_name (fs[i], "festival", "true", &error));
        g_assert_no_error (error);
        add (store, fs[i]);
      }
  }

  for (int i = 0; i < 3; i++)
    add (store, feature (NGAM_LAYER_SITES, point (1000, -1000), i % 2 ? "Viettel" : "VNPT"));
  add (store, feature (NGAM_LAYER_SITES, point (-1000, -1000), "MobiFone"));
  for (guint i = 0; i < G_N_ELEMENTS (seam_sites); i++)
    add (store, feature (NGAM_LAYER_SITES, point (seam_sites[i][0], seam_sites[i][1]), "VNPT"));
  /* Close up (0.3 m/px, symbols 9.6 px), two sites in one thinning cell
   * of 2.88 m (x from +1.6 to +4.48): the first 13 px right of x = 0, the
   * second 6 px, its symbol reaching over x = 0. */
  add (store, feature (NGAM_LAYER_SITES, point (4.0, -500), "VNPT"));
  add (store, feature (NGAM_LAYER_SITES, point (1.7, -500), "VNPT"));

  g_assert_true (ngam_store_commit (store, &error));
  g_assert_no_error (error);
}
