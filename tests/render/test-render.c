/* test-render.c — the map renderer, headless: layers land where the data
 * says in their own style, hidden layers and tiny things stay out, tiles
 * agree with one big picture, cancellation, map furniture
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <cairo.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-render.h"
#include "ngam-render-private.h"
#include "ngam-test-util.h"
#include "render-scene.h"

static char *dir;
static char *project;
static char *overview;   /* scene_write_overview() */

typedef struct
{
  double r, g, b;
} Rgb;

static Rgb
rgb_hex (guint32 hex)
{
  return (Rgb) { ((hex >> 16) & 0xff) / 255.0, ((hex >> 8) & 0xff) / 255.0, (hex & 0xff) / 255.0 };
}

/* The colour of pixel (x, y) of an opaque ARGB32 surface. */
static Rgb
pixel (cairo_surface_t *s, int x, int y)
{
  const guint8 *data = cairo_image_surface_get_data (s);
  guint32 v;

  g_assert_true (x >= 0 && y >= 0 && x < cairo_image_surface_get_width (s) &&
                 y < cairo_image_surface_get_height (s));
  v = *(const guint32 *) (data + y * cairo_image_surface_get_stride (s) + 4 * x);
  return rgb_hex (v & 0xffffff);
}

static double
distance (Rgb a, Rgb b)
{
  return fabs (a.r - b.r) + fabs (a.g - b.g) + fabs (a.b - b.b);
}

static void
assert_color (cairo_surface_t *s, int x, int y, Rgb want, const char *what)
{
  Rgb got = pixel (s, x, y);

  if (distance (got, want) > 0.06)
    g_error ("%s at pixel (%d, %d): expected #%02x%02x%02x, got #%02x%02x%02x", what, x, y,
             (int) round (want.r * 255), (int) round (want.g * 255), (int) round (want.b * 255),
             (int) round (got.r * 255), (int) round (got.g * 255), (int) round (got.b * 255));
}

/* TRUE if a pixel within @radius of (x, y) is close to @want. */
static gboolean
color_near (cairo_surface_t *s, int x, int y, int radius, Rgb want, double tolerance)
{
  for (int dy = -radius; dy <= radius; dy++)
    for (int dx = -radius; dx <= radius; dx++)
      if (distance (pixel (s, x + dx, y + dy), want) <= tolerance)
        return TRUE;
  return FALSE;
}

static Rgb
rgb3 (const double c[3])
{
  return (Rgb) { c[0], c[1], c[2] };
}

static Rgb
background (void)
{
  double bg[3];

  ngam_render_background_rgb (bg);
  return (Rgb) { bg[0], bg[1], bg[2] };
}

static Rgb
operator (const char *name)
{
  double c[3];

  ngam_render_operator_rgb (name, c);
  return (Rgb) { c[0], c[1], c[2] };
}

/* Pixel of a scene point in a picture centred on the scene. */
static void
scene_pixel (const NgamRenderView *view, double dx, double dy, int *px, int *py)
{
  double fx, fy;

  ngam_render_view_to_pixel (view, SCENE_X + dx, SCENE_Y + dy, &fx, &fy);
  *px = (int) floor (fx);
  *py = (int) floor (fy);
}

static cairo_surface_t *
render_in (const char      *path,
           NgamRenderView  *view,
           guint            layers,
           NgamRenderFlags  flags,
           NgamRenderStats *stats)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (path, NGAM_STORE_OPEN_READ_ONLY, &error);
  cairo_surface_t *s;
  cairo_t *cr;

  g_assert_no_error (error);
  s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, view->width, view->height);
  cr = cairo_create (s);
  g_assert_true (ngam_render_map (store, cr, view, layers, flags, stats, NULL, &error));
  g_assert_no_error (error);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

static cairo_surface_t *
render (NgamRenderView  *view,
        guint            layers,
        NgamRenderFlags  flags,
        NgamRenderStats *stats)
{
  return render_in (project, view, layers, flags, stats);
}

static NgamRenderView
scene_view (double scale)
{
  return (NgamRenderView) { SCENE_X, SCENE_Y, scale, 600, 400 };
}

static void
test_view_maths (void)
{
  NgamRenderView v = { 1000, 2000, 0.5, 200, 100 };
  double px, py, x, y, bbox[4];

  ngam_render_view_to_pixel (&v, 1000, 2000, &px, &py);
  g_assert_cmpfloat (px, ==, 100);
  g_assert_cmpfloat (py, ==, 50);
  /* East is right, north is up. */
  ngam_render_view_to_pixel (&v, 1010, 2010, &px, &py);
  g_assert_cmpfloat (px, ==, 120);
  g_assert_cmpfloat (py, ==, 30);
  ngam_render_view_from_pixel (&v, 120, 30, &x, &y);
  g_assert_cmpfloat (x, ==, 1010);
  g_assert_cmpfloat (y, ==, 2010);
  ngam_render_view_get_bbox (&v, 10, bbox);
  g_assert_cmpfloat (bbox[0], ==, 1000 - 55);
  g_assert_cmpfloat (bbox[1], ==, 2000 - 30);
  g_assert_cmpfloat (bbox[2], ==, 1000 + 55);
  g_assert_cmpfloat (bbox[3], ==, 2000 + 30);
}

/* Every layer where the data puts it, in its style. */
static void
test_layers (void)
{
  NgamRenderView view = scene_view (1.0);
  NgamRenderStats stats;
  cairo_surface_t *s = render (&view, NGAM_RENDER_ALL_LAYERS, NGAM_RENDER_DEFAULT, &stats);
  int x, y;

  g_assert_cmpuint (stats.drawn[NGAM_LAYER_POLES], ==, SCENE_N_POLES);
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_SPANS], ==, SCENE_N_POLES - 1);
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_STREETS], ==, 3);
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_ZONES], ==, 2);
  g_assert_cmpuint (stats.zones, ==, NGAM_ZONE_HERITAGE | NGAM_ZONE_FLOOD);   /* what a legend lists */
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_ADMIN], ==, 1);
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_DUCTS], ==, 1);
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_MANHOLES], ==, 2);
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_DEMAND], ==, 3);
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_SITES], ==, 1);
  g_assert_cmpuint (stats.layers_hidden_by_scale, ==, 0);

  /* Land outside everything. */
  assert_color (s, 3, 3, background (), "land");
  /* The primary street's fill, away from poles and the cross street. */
  scene_pixel (&view, -250, 0, &x, &y);
  assert_color (s, x, y, rgb_hex (0xfcd6a4), "primary street");
  /* A pole's centre. */
  scene_pixel (&view, SCENE_POLE_X0, SCENE_POLE_DY, &x, &y);
  assert_color (s, x, y, rgb_hex (0x263238), "pole");
  /* A span between two poles: Viettel west of the middle, VNPT east. */
  scene_pixel (&view, SCENE_POLE_X0 + 20, SCENE_POLE_DY, &x, &y);
  g_assert_true (color_near (s, x, y, 1, operator ("Viettel"), 0.35));
  g_assert_false (color_near (s, x, y, 1, operator ("VNPT"), 0.35));
  scene_pixel (&view, SCENE_POLE_X0 + 40 * (SCENE_N_POLES - 2) + 20, SCENE_POLE_DY, &x, &y);
  g_assert_true (color_near (s, x, y, 1, operator ("VNPT"), 0.35));
  /* A manhole's centre. */
  scene_pixel (&view, -100, -10, &x, &y);
  assert_color (s, x, y, rgb_hex (0x37474f), "manhole");
  /* The duct's dark band. */
  scene_pixel (&view, -40, -10, &x, &y);
  g_assert_true (color_near (s, x, y, 2, (Rgb) { 0.36, 0.25, 0.20 }, 0.1));
  /* The flood zone tints the land blue. */
  scene_pixel (&view, 250, -100, &x, &y);
  {
    Rgb c = pixel (s, x, y);

    g_assert_cmpfloat (c.b, >, c.r);
  }
  /* Hatching in the heritage zone: both dark strokes and lighter gaps. */
  {
    double dmin = 3, dmax = 0;

    scene_pixel (&view, -230, 80, &x, &y);
    for (int i = 0; i < 16; i++)
      {
        double d = distance (pixel (s, x + i, y), background ());

        dmin = MIN (dmin, d);
        dmax = MAX (dmax, d);
      }
    g_assert_cmpfloat (dmax - dmin, >, 0.3);
  }
  /* The site's triangle. */
  scene_pixel (&view, 200, 120, &x, &y);
  g_assert_true (color_near (s, x, y, 2, (Rgb) { 0.76, 0.09, 0.36 }, 0.1));
  /* The demand points. */
  scene_pixel (&view, 150, 60, &x, &y);
  assert_color (s, x, y, rgb_hex (0x43a047), "demand point");
  cairo_surface_destroy (s);
}

/* A layer left out of the mask leaves no trace. */
static void
test_hidden_layer (void)
{
  NgamRenderView view = scene_view (1.0);
  NgamRenderStats stats;
  cairo_surface_t *s;
  int x, y;

  s = render (&view, NGAM_RENDER_ALL_LAYERS & ~NGAM_RENDER_LAYER (NGAM_LAYER_STREETS), 0, &stats);
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_STREETS], ==, 0);
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_POLES], ==, SCENE_N_POLES);
  scene_pixel (&view, -250, 0, &x, &y);
  assert_color (s, x, y, background (), "where the hidden street was");
  cairo_surface_destroy (s);

  s = render (&view, NGAM_RENDER_LAYER (NGAM_LAYER_POLES), 0, &stats);
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_POLES], ==, SCENE_N_POLES);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    if (k != NGAM_LAYER_POLES)
      g_assert_cmpuint (stats.drawn[k], ==, 0);
  scene_pixel (&view, SCENE_POLE_X0 + 20, SCENE_POLE_DY, &x, &y);
  assert_color (s, x, y, background (), "where the hidden span was");
  cairo_surface_destroy (s);
}

/* Zoomed out, small things are not drawn, unless asked (reports). */
static void
test_level_of_detail (void)
{
  NgamRenderView view = scene_view (10.0);
  NgamRenderStats stats;
  cairo_surface_t *s;

  s = render (&view, NGAM_RENDER_ALL_LAYERS, NGAM_RENDER_DEFAULT, &stats);
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_POLES], ==, 0);
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_DEMAND], ==, 0);
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_MANHOLES], ==, 0);
  g_assert_true (stats.layers_hidden_by_scale & NGAM_RENDER_LAYER (NGAM_LAYER_POLES));
  g_assert_false (stats.layers_hidden_by_scale & NGAM_RENDER_LAYER (NGAM_LAYER_STREETS));
  /* The alley is below its class's scale (and left unread in the file);
   * the main streets stay. */
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_STREETS], ==, 2);
  cairo_surface_destroy (s);

  s = render (&view, NGAM_RENDER_ALL_LAYERS, NGAM_RENDER_NO_LOD, &stats);
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_POLES], ==, SCENE_N_POLES);
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_STREETS], ==, 3);
  g_assert_cmpuint (stats.layers_hidden_by_scale, ==, 0);
  cairo_surface_destroy (s);

  /* A province's view: no sites (a lattice of symbols there), and ward
   * boundaries as a line without their band, which would fill the wards;
   * a report's map at that scale keeps both. */
  view.scale = 100;
  s = render (&view, NGAM_RENDER_ALL_LAYERS, NGAM_RENDER_DEFAULT, &stats);
  g_assert_true (stats.layers_hidden_by_scale & NGAM_RENDER_LAYER (NGAM_LAYER_SITES));
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_SITES], ==, 0);
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_ADMIN], ==, 1);
  cairo_surface_destroy (s);
  view.scale = 40;
  {
    guint layers = NGAM_RENDER_LAYER (NGAM_LAYER_ADMIN);
    cairo_surface_t *lod = render (&view, layers, NGAM_RENDER_DEFAULT, &stats);
    cairo_surface_t *all = render (&view, layers, NGAM_RENDER_NO_LOD, &stats);
    int x, y;

    /* the band's inside edge, 2.5 px in from the boundary at x = -290 m */
    scene_pixel (&view, -290 + 2.5 * view.scale, 0, &x, &y);
    assert_color (lod, x, y, background (), "beside a ward boundary at 40 m/px");
    g_assert_cmpfloat (distance (pixel (all, x, y), background ()), >, 0.05);
    cairo_surface_destroy (lod);
    cairo_surface_destroy (all);
  }

  /* Very far out, features under a pixel are skipped. */
  view.scale = 2000;
  s = render (&view, NGAM_RENDER_LAYER (NGAM_LAYER_ZONES), NGAM_RENDER_DEFAULT, &stats);
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_ZONES], ==, 0);
  g_assert_cmpuint (stats.skipped, ==, 2);
  cairo_surface_destroy (s);
}

/* Zoomed out the map view antialiases the fast way: the picture differs
 * from the exact one by a shade on edge pixels, never by what it shows;
 * close up the two ways are the same picture.  Zones, routes and ward
 * boundaries: layers the level of detail leaves whole at these scales. */
static void
test_fast_antialias (void)
{
  guint layers = NGAM_RENDER_LAYER (NGAM_LAYER_ZONES) | NGAM_RENDER_LAYER (NGAM_LAYER_ROUTES) |
                 NGAM_RENDER_LAYER (NGAM_LAYER_ADMIN);
  double scales[] = { 1.0, 10.0 };

  for (guint k = 0; k < G_N_ELEMENTS (scales); k++)
    {
      NgamRenderView view = scene_view (scales[k]);
      cairo_surface_t *fast = render (&view, layers, NGAM_RENDER_DEFAULT, NULL);
      cairo_surface_t *exact = render (&view, layers, NGAM_RENDER_NO_LOD, NULL);
      guint shaded = 0, changed = 0, n = view.width * view.height;

      for (int y = 0; y < view.height; y++)
        for (int x = 0; x < view.width; x++)
          {
            double d = distance (pixel (fast, x, y), pixel (exact, x, y));

            shaded += d > 0;
            changed += d > 0.25;
          }
      if (scales[k] <= 2.0)
        g_assert_cmpuint (shaded, ==, 0);
      else
        {
          g_assert_cmpuint (shaded, >, 0);       /* the fast way was taken */
          g_assert_cmpuint (changed, <, n / 200); /* and looks the same */
        }
      cairo_surface_destroy (fast);
      cairo_surface_destroy (exact);
    }
}

/* Two half-width tiles side by side are the same picture as one render of
 * the whole: strokes, hatching and dashes continue across the seam. */
static void
test_tiles_agree (void)
{
  NgamRenderView whole = { SCENE_X - 100, SCENE_Y + 20, 0.75, 512, 256 };
  NgamRenderView left = { whole.center_x - 128 * 0.75, whole.center_y, 0.75, 256, 256 };
  NgamRenderView right = { whole.center_x + 128 * 0.75, whole.center_y, 0.75, 256, 256 };
  cairo_surface_t *w = render (&whole, NGAM_RENDER_ALL_LAYERS, 0, NULL);
  cairo_surface_t *l = render (&left, NGAM_RENDER_ALL_LAYERS, 0, NULL);
  cairo_surface_t *r = render (&right, NGAM_RENDER_ALL_LAYERS, 0, NULL);
  guint differ = 0;

  for (int y = 0; y < 256; y++)
    for (int x = 0; x < 512; x++)
      {
        Rgb a = pixel (w, x, y);
        Rgb b = x < 256 ? pixel (l, x, y) : pixel (r, x - 256, y);

        if (distance (a, b) > 3.0 / 255)
          differ++;
      }
  /* Antialiasing may round a few edge pixels differently, no more. */
  if (differ > 512 * 256 / 500)
    g_error ("tiles differ from the whole picture in %u pixels", differ);
  cairo_surface_destroy (w);
  cairo_surface_destroy (l);
  cairo_surface_destroy (r);
}

/* The streets the store is asked for are exactly those whose class the map
 * draws at the scale: every class, its "_link" roads, a value of no class
 * and none at all, close up and far out. */
static void
test_street_filter (void)
{
  static const char *const names[] = {
    "motorway", "trunk", "primary", "primary_link", "secondary", "tertiary", "tertiary_link",
    "unclassified", "residential", "living_street", "service", "alley", "track", "pedestrian",
    "footway", "path", "cycleway", "steps", "steps_link", "raceway", "", NULL
  };
  static const double scales[] = { 0.2, 2.9, 3.0, 3.1, 5.0, 6.5, 12.0, 16.0, 17.0, 39.0, 41.0, 500.0 };

  for (guint k = 0; k < G_N_ELEMENTS (scales); k++)
    {
      g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
      gboolean exclude;
      gboolean filtered = ngam_render_street_filter (scales[k], values, &exclude);

      g_assert_null (values->pdata[values->len - 1]);
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          const char *name = names[i];
          gboolean drawn = scales[k] <= ngam_render_street_class (name)->max_scale;
          gboolean listed = FALSE, passes;

          for (guint v = 0; name != NULL && v + 1 < values->len; v++)
            listed |= g_str_equal (values->pdata[v], name);
          if (!filtered)
            passes = TRUE;
          else if (exclude)
            passes = name == NULL || !listed;
          else
            passes = name != NULL && listed;
          if (passes != drawn)
            g_error ("at %g m/px the street of class “%s” is %s but %s", scales[k], name ? name : "(none)",
                     drawn ? "drawn" : "not drawn", passes ? "read" : "not read");
        }
    }
}

/* Zoomed out, sites at one place are one symbol; without level of detail
 * (a report), each is drawn. */
static void
test_site_thinning (void)
{
  NgamRenderView view = scene_view (10.0);
  NgamRenderStats stats;
  cairo_surface_t *s;
  int x, y;

  s = render_in (overview, &view, NGAM_RENDER_LAYER (NGAM_LAYER_SITES), NGAM_RENDER_DEFAULT, &stats);
  /* the three at one place are one; the seam's five, within 60 × 50 m,
   * meet at most four of the cells (three symbols, 153 m, wide here) */
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_SITES], >=, 2 + 1);
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_SITES], <=, 2 + 4);
  scene_pixel (&view, 1000, -1000, &x, &y);
  g_assert_true (color_near (s, x, y, 2, (Rgb) { 0.76, 0.09, 0.36 }, 0.1));
  scene_pixel (&view, -1000, -1000, &x, &y);
  g_assert_true (color_near (s, x, y, 2, (Rgb) { 0.76, 0.09, 0.36 }, 0.1));
  cairo_surface_destroy (s);
  {
    NgamRenderStats again;

    s = render_in (overview, &view, NGAM_RENDER_LAYER (NGAM_LAYER_SITES), NGAM_RENDER_DEFAULT, &again);
    g_assert_cmpuint (again.drawn[NGAM_LAYER_SITES], ==, stats.drawn[NGAM_LAYER_SITES]);
    cairo_surface_destroy (s);
  }

  /* close up, the three at one place are still one symbol */
  view.scale = 0.5;
  view.center_x = SCENE_X + 1000;
  view.center_y = SCENE_Y - 1000;
  s = render_in (overview, &view, NGAM_RENDER_LAYER (NGAM_LAYER_SITES), NGAM_RENDER_DEFAULT, &stats);
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_SITES], ==, 1);
  cairo_surface_destroy (s);

  view = scene_view (10.0);
  s = render_in (overview, &view, NGAM_RENDER_LAYER (NGAM_LAYER_SITES), NGAM_RENDER_NO_LOD, &stats);
  g_assert_cmpuint (stats.drawn[NGAM_LAYER_SITES], ==, 3 + 1 + 5 + 2);
  cairo_surface_destroy (s);
}

/* Zoomed out, routes that share a street are drawn once along it, the
 * topmost, and the picture is the one drawing them all gives: the last
 * buried line (Viettel) under the aerial one's dashes (FPT), the first
 * (VNPT) nowhere in sight; bends of a few pixels stay bent. */
static void
test_shared_routes (void)
{
  NgamRenderView view = scene_view (10.0);
  guint layers = NGAM_RENDER_LAYER (NGAM_LAYER_ROUTES);
  NgamRenderStats stats, all_stats;
  cairo_surface_t *lod = render_in (overview, &view, layers, NGAM_RENDER_DEFAULT, &stats);
  cairo_surface_t *all = render_in (overview, &view, layers, NGAM_RENDER_NO_LOD, &all_stats);
  guint viettel = 0, fpt = 0;
  int x, y;

  g_assert_cmpuint (stats.drawn[NGAM_LAYER_ROUTES], ==, 4);
  g_assert_cmpuint (all_stats.drawn[NGAM_LAYER_ROUTES], ==, 4);
  for (double dx = -2000; dx <= 2000; dx += 10)
    {
      Rgb a, b;

      scene_pixel (&view, dx, 0, &x, &y);
      a = pixel (lod, x, y);
      b = pixel (all, x, y);
      if (distance (a, b) > 0.2)
        g_error ("along the shared street at %+g m: #%02x%02x%02x zoomed out, #%02x%02x%02x with every route", dx,
                 (int) (a.r * 255), (int) (a.g * 255), (int) (a.b * 255),
                 (int) (b.r * 255), (int) (b.g * 255), (int) (b.b * 255));
      g_assert_cmpfloat (distance (a, operator ("VNPT")), >, 0.3);
      viettel += distance (a, operator ("Viettel")) < 0.3;
      fpt += distance (a, operator ("FPT")) < 0.3;
    }
  g_assert_cmpuint (viettel, >, 40);   /* between the dashes */
  g_assert_cmpuint (fpt, >, 40);
  /* the zigzag's peaks and troughs, three pixels off its axis */
  for (int i = 1; i < 49; i += 6)
    {
      double dx = -2500 + 100.0 * i;
      double dy = SCENE_ZIGZAG_Y + (i % 2 ? SCENE_ZIGZAG_AMP : -SCENE_ZIGZAG_AMP);

      scene_pixel (&view, dx, dy, &x, &y);
      g_assert_true (color_near (lod, x, y, 1, operator ("VNPT"), 0.2));
    }
  cairo_surface_destroy (lod);
  cairo_surface_destroy (all);
}

/* Streets of one class are stroked together only when their width is the
 * same: close up, the 40-m street is 40 px across and the 10-m one 10. */
static void
test_street_widths (void)
{
  NgamRenderView view = { SCENE_X, SCENE_Y + SCENE_WIDTHS_Y, 1.0, 800, 200 };
  NgamRenderStats stats;
  cairo_surface_t *s = render_in (overview, &view, NGAM_RENDER_LAYER (NGAM_LAYER_STREETS), 0, &stats);
  double fill[3];
  int x, y;

  g_assert_cmpuint (stats.drawn[NGAM_LAYER_STREETS], ==, 2);
  g_assert_cmpuint (stats.festival, ==, 0);
  ngam_render_rgb_from_hex (0xf7fabf, fill);   /* secondary */
  scene_pixel (&view, 200, SCENE_WIDTHS_Y + 15, &x, &y);
  g_assert_true (color_near (s, x, y, 0, rgb3 (fill), 0.06));
  scene_pixel (&view, -200, SCENE_WIDTHS_Y + 15, &x, &y);
  assert_color (s, x, y, background (), "15 m beside the 10-m street");
  scene_pixel (&view, -200, SCENE_WIDTHS_Y + 2, &x, &y);
  g_assert_true (color_near (s, x, y, 0, rgb3 (fill), 0.06));
  cairo_surface_destroy (s);
}

/* Festival streets have a translucent halo; where two of them cross, the
 * halos overlap but are one shade, not a darker one (laid down once). */
static void
test_festival_halo (void)
{
  NgamRenderView view = { SCENE_X, SCENE_Y + SCENE_FESTIVAL_Y, 1.0, 200, 100 };
  NgamRenderStats stats;
  cairo_surface_t *s = render_in (overview, &view, NGAM_RENDER_LAYER (NGAM_LAYER_STREETS), 0, &stats);
  int x, y, cx, cy, bx, by;
  Rgb lone, both;

  g_assert_cmpuint (stats.drawn[NGAM_LAYER_STREETS], ==, 2);
  g_assert_cmpuint (stats.festival, ==, 2);   /* what a map's legend asks */
  /* 7.5 m off the secondary's axis: beyond its fill and casing (5.8 m),
   * inside its halo (9.5 m); 6 m right of the residential's axis is inside
   * that one's halo (8 m) too, and 80 m away is not */
  scene_pixel (&view, -80, SCENE_FESTIVAL_Y + 7.5, &x, &y);
  scene_pixel (&view, 6, SCENE_FESTIVAL_Y + 7.5, &cx, &cy);
  scene_pixel (&view, -80, SCENE_FESTIVAL_Y + 30, &bx, &by);
  lone = pixel (s, x, y);
  both = pixel (s, cx, cy);
  g_assert_false (color_near (s, x, y, 0, background (), 0.05));   /* the halo is there */
  assert_color (s, bx, by, background (), "beyond the halo");
  if (!color_near (s, cx, cy, 0, lone, 0.02))
    g_error ("where two festival halos overlap #%02x%02x%02x, one halo alone #%02x%02x%02x",
             (int) (both.r * 255), (int) (both.g * 255), (int) (both.b * 255),
             (int) (lone.r * 255), (int) (lone.g * 255), (int) (lone.b * 255));
  cairo_surface_destroy (s);

  /* The legends' swatch shows that same halo, over the land. */
  {
    cairo_surface_t *sw = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 28, 20);
    cairo_t *cr = cairo_create (sw);
    double bg[3];
    guint halo = 0;

    ngam_render_background_rgb (bg);
    cairo_set_source_rgb (cr, bg[0], bg[1], bg[2]);
    cairo_paint (cr);
    ngam_render_festival_swatch (cr, 0, 0, 28, 20);
    cairo_destroy (cr);
    cairo_surface_flush (sw);
    for (int py = 0; py < 20; py++)
      for (int px = 0; px < 28; px++)
        halo += color_near (sw, px, py, 0, lone, 0.03);
    g_assert_cmpuint (halo, >=, 20);
    cairo_surface_destroy (sw);
  }
}

/* Zoomed out too, two tiles are the whole picture: the thinned sites and
 * the routes drawn once agree across the seam. */
static void
test_tiles_agree_zoomed_out (void)
{
  double scale = 10.0;
  NgamRenderView whole = { SCENE_X, SCENE_Y + 400, scale, 512, 256 };
  NgamRenderView left = { whole.center_x - 128 * scale, whole.center_y, scale, 256, 256 };
  NgamRenderView right = { whole.center_x + 128 * scale, whole.center_y, scale, 256, 256 };
  cairo_surface_t *w = render_in (overview, &whole, NGAM_RENDER_ALL_LAYERS, 0, NULL);
  cairo_surface_t *l = render_in (overview, &left, NGAM_RENDER_ALL_LAYERS, 0, NULL);
  cairo_surface_t *r = render_in (overview, &right, NGAM_RENDER_ALL_LAYERS, 0, NULL);
  guint differ = 0, marked = 0;

  for (int y = 0; y < 256; y++)
    for (int x = 0; x < 512; x++)
      {
        Rgb a = pixel (w, x, y);
        Rgb b = x < 256 ? pixel (l, x, y) : pixel (r, x - 256, y);

        differ += distance (a, b) > 3.0 / 255;
        marked += distance (a, background ()) > 0.1;
      }
  g_assert_cmpuint (marked, >, 200);   /* there is something to agree on */
  if (differ > 512 * 256 / 500)
    g_error ("zoomed out, tiles differ from the whole picture in %u pixels", differ);
  cairo_surface_destroy (w);
  cairo_surface_destroy (l);
  cairo_surface_destroy (r);

  /* Close up, where symbols are largest, the two sites of one cell by the
   * seam: the left tile must know of the first, 13 px beyond its edge, to
   * leave out the second, whose symbol reaches into it. */
  scale = 0.3;
  whole = (NgamRenderView) { SCENE_X, SCENE_Y - 500, scale, 512, 256 };
  left = (NgamRenderView) { whole.center_x - 128 * scale, whole.center_y, scale, 256, 256 };
  right = (NgamRenderView) { whole.center_x + 128 * scale, whole.center_y, scale, 256, 256 };
  w = render_in (overview, &whole, NGAM_RENDER_LAYER (NGAM_LAYER_SITES), 0, NULL);
  l = render_in (overview, &left, NGAM_RENDER_LAYER (NGAM_LAYER_SITES), 0, NULL);
  r = render_in (overview, &right, NGAM_RENDER_LAYER (NGAM_LAYER_SITES), 0, NULL);
  differ = 0;
  for (int y = 0; y < 256; y++)
    for (int x = 0; x < 512; x++)
      {
        Rgb a = pixel (w, x, y);
        Rgb b = x < 256 ? pixel (l, x, y) : pixel (r, x - 256, y);

        differ += distance (a, b) > 3.0 / 255;
      }
  if (differ > 4)
    g_error ("close up, the sites' tiles differ from the whole picture in %u pixels", differ);
  cairo_surface_destroy (w);
  cairo_surface_destroy (l);
  cairo_surface_destroy (r);
}

static void
test_cancelled (void)
{
  NgamRenderView view = scene_view (1.0);
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (project, NGAM_STORE_OPEN_READ_ONLY, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 400);
  cairo_t *cr = cairo_create (s);

  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  g_assert_false (ngam_render_map (store, cr, &view, NGAM_RENDER_ALL_LAYERS, 0, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* The context is usable after a failure: the renderer restored it. */
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

static void
test_invalid_view (void)
{
  const NgamRenderView bad[] = {
    { SCENE_X, SCENE_Y, 0, 100, 100 },
    { SCENE_X, SCENE_Y, -1, 100, 100 },
    { SCENE_X, SCENE_Y, NAN, 100, 100 },
    { SCENE_X, SCENE_Y, INFINITY, 100, 100 },
    { SCENE_X, SCENE_Y, 1, 0, 100 },
    { SCENE_X, SCENE_Y, 1, 100, -5 },
    { NAN, SCENE_Y, 1, 100, 100 },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (project, NGAM_STORE_OPEN_READ_ONLY, &error);
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 10, 10);
  cairo_t *cr = cairo_create (s);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (ngam_render_map (store, cr, &bad[i], NGAM_RENDER_ALL_LAYERS, 0, NULL, NULL, &error));
      g_assert_error (error, NGAM_RENDER_ERROR, NGAM_RENDER_ERROR_INVALID_VIEW);
      g_assert_nonnull (strstr (error->message, project));
      g_clear_error (&error);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

/* A store whose tables are gone: the failure is reported, naming the file,
 * not drawn around. */
static void
test_store_error (void)
{
  g_autofree char *path = g_build_filename (dir, "broken.ngam", NULL);
  NgamRenderView view = scene_view (1.0);
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = NULL;
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 400);
  cairo_t *cr = cairo_create (s);
  sqlite3 *db;

  scene_write (path);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* A foreign program broke the file under us. */
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE idx_streets_geom", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = ngam_store_open (path, NGAM_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_false (ngam_render_map (store, cr, &view, NGAM_RENDER_ALL_LAYERS, 0, NULL, NULL, &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, path));
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

static void
test_nice_distance (void)
{
  const struct { double in, out; } cases[] = {
    { 0.9, 0.5 }, { 1, 1 }, { 1.9, 1 }, { 2, 2 }, { 4.99, 2 }, { 5, 5 }, { 9.99, 5 },
    { 10, 10 }, { 149, 100 }, { 199.9, 100 }, { 200, 200 }, { 0.03, 0.02 },
    { 12345, 10000 }, { 0, 0 }, { -1, 0 }, { NAN, 0 }, { INFINITY, 0 },
  };
  const struct { double in; const char *out; } labels[] = {
    { 500, "500 m" }, { 2000, "2 km" }, { 1500, "1.5 km" }, { 1, "1 m" },
    { 0.5, "50 cm" }, { 0, "0 m" }, { 20000, "20 km" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double got = ngam_render_nice_distance (cases[i].in);

      if (fabs (got - cases[i].out) > 1e-9 * MAX (1, cases[i].out))
        g_error ("nice distance of %g: expected %g, got %g", cases[i].in, cases[i].out, got);
    }
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_autofree char *got = ngam_render_format_distance (labels[i].in);

      g_assert_cmpstr (got, ==, labels[i].out);
    }
}

static guint
count_inked (cairo_surface_t *s)
{
  const guint8 *data;
  int w = cairo_image_surface_get_width (s), h = cairo_image_surface_get_height (s);
  int stride = cairo_image_surface_get_stride (s);
  guint n = 0;

  cairo_surface_flush (s);
  data = cairo_image_surface_get_data (s);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      if (data[y * stride + 4 * x + 3] > 0x40)   /* alpha, native little-endian ARGB */
        n++;
  return n;
}

static void
test_furniture (void)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 240, 60);
  cairo_t *cr = cairo_create (s);
  double w;

  /* 2.5 m/px, at most 200 px: 500 m is the longest round length. */
  w = ngam_render_scale_bar (cr, 10, 50, 2.5, 200);
  g_assert_cmpfloat (w, ==, 200);
  w = ngam_render_scale_bar (cr, 10, 50, 3, 200);
  g_assert_cmpfloat_with_epsilon (w, 500 / 3.0, 1e-9);
  g_assert_cmpfloat (ngam_render_scale_bar (cr, 10, 50, 3, 0), ==, 0);
  g_assert_cmpuint (count_inked (s), >, 400);
  cairo_destroy (cr);
  cairo_surface_destroy (s);

  s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 40, 40);
  cr = cairo_create (s);
  ngam_render_north_arrow (cr, 20, 20, 36);
  g_assert_cmpuint (count_inked (s), >, 100);
  cairo_destroy (cr);
  cairo_surface_destroy (s);

  /* Every layer has a legend symbol. */
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 28, 20);
      cr = cairo_create (s);
      ngam_render_legend_swatch (cr, k, 0, 0, 28, 20);
      if (count_inked (s) < 8)
        g_error ("layer %s has an empty legend symbol", ngam_layer_info (k)->name);
      cairo_destroy (cr);
      cairo_surface_destroy (s);
    }
}

static void
test_operator_colors (void)
{
  Rgb a = operator ("VNPT"), b = operator ("Viettel"), c = operator ("Some New Operator");

  g_assert_cmpfloat (distance (a, rgb_hex (0x1565c0)), <, 0.01);
  g_assert_cmpfloat (distance (b, rgb_hex (0xd32f2f)), <, 0.01);
  /* Case does not matter; unknown names get a stable palette colour. */
  g_assert_cmpfloat (distance (operator ("vnpt"), a), ==, 0);
  g_assert_cmpfloat (distance (operator ("Some New Operator"), c), ==, 0);
  g_assert_cmpfloat (distance (operator (NULL), operator ("")), ==, 0);
}

/* The whole thing, as a report page would: map, scale bar and north arrow
 * into a PNG, with no GTK anywhere. */
static void
test_category_colors (void)
{
  double a[3], b[3], grey[3] = { 0x9e / 255.0, 0x9e / 255.0, 0x9e / 255.0 };
  double removed[3] = { 0xb0 / 255.0, 0xbe / 255.0, 0xc5 / 255.0 };

  /* NULL and empty: the missing-value grey. */
  ngam_render_category_rgb (NULL, a);
  g_assert_cmpmem (a, sizeof a, grey, sizeof grey);
  ngam_render_category_rgb ("", a);
  g_assert_cmpmem (a, sizeof a, grey, sizeof grey);
  /* Known values are fixed, whatever their case. */
  ngam_render_category_rgb ("Removed", a);
  g_assert_cmpmem (a, sizeof a, removed, sizeof removed);
  ngam_render_category_rgb ("active", a);
  ngam_render_category_rgb ("planned", b);
  g_assert_false (memcmp (a, b, sizeof a) == 0);
  /* Operator names keep their colours; other values are stable. */
  ngam_render_category_rgb ("VNPT", a);
  ngam_render_operator_rgb ("VNPT", b);
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
  ngam_render_category_rgb ("concrete", a);
  ngam_render_category_rgb ("CONCRETE", b);
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
  /* djb2("concrete") % 10 worked out: the palette's entry is fixed. */
  ngam_render_operator_rgb ("concrete", b);
  g_assert_cmpmem (a, sizeof a, b, sizeof b);

  /* The cable types a planner colours spans by are told apart. */
  {
    const char *types[] = { "fibre", "copper", "coax", "power" };

    for (int i = 0; i < 4; i++)
      for (int j = i + 1; j < 4; j++)
        {
          ngam_render_category_rgb (types[i], a);
          ngam_render_category_rgb (types[j], b);
          if (distance (rgb3 (a), rgb3 (b)) < 0.3)
            g_error ("%s and %s look alike", types[i], types[j]);
        }
  }

  g_assert_true (ngam_render_style_can_colour_by (NGAM_LAYER_POLES, "status"));
  g_assert_true (ngam_render_style_can_colour_by (NGAM_LAYER_SPANS, "cable_type"));
  g_assert_false (ngam_render_style_can_colour_by (NGAM_LAYER_POLES, "code"));
  g_assert_false (ngam_render_style_can_colour_by (NGAM_LAYER_POLES, "height_m"));
  g_assert_false (ngam_render_style_can_colour_by (NGAM_LAYER_POLES, "no_such"));
  g_assert_false (ngam_render_style_can_colour_by (NGAM_LAYER_STREETS, "highway"));
}

static void
styled_add (NgamStore  *store,
            NgamLayerKind kind,
            NgamShape  *shape,
            const char *field,
            const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStoreWriter) w = ngam_store_writer_new (store, kind, &error);
  NgamFeature *f = ngam_feature_new (kind);

  ngam_shape_free (f->shape);
  f->shape = shape;
  f->operator_name = g_strdup ("VNPT");
  if (value != NULL)
    g_assert_true (ngam_feature_set_by_name (f, field, value, &error));
  g_assert_no_error (error);
  g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_assert_no_error (error);
  ngam_feature_free (f);
}

static NgamShape *
styled_line (double x0, double x1)
{
  double xy[4] = { SCENE_X + x0, SCENE_Y, SCENE_X + x1, SCENE_Y };

  return ngam_shape_new_line (xy, 2);
}

/* Spans coloured by cable type: each span in its category's colour (the
 * one the legend shows), a span with no type in the missing-value grey;
 * the legend's categories counted by hand; the style read from the
 * project's text as the window and the reports keep it. */
static void
test_styled (void)
{
  g_autofree char *path = g_build_filename (dir, "styled.ngam", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (path, "EPSG:9214", &error);
  g_autoptr(GPtrArray) cats = NULL;
  g_autofree char *field = NULL;
  NgamRenderStyle style = { { NULL } };
  /* The spans along the middle of pixel row 49, which their 1.6 px cover whole. */
  NgamRenderView view = { SCENE_X + 80, SCENE_Y - 0.25, 0.5, 400, 100 };
  const char *types[] = { "fibre", "copper", NULL, "fibre" };
  cairo_surface_t *s;
  cairo_t *cr;
  Rgb bg = background ();

  g_assert_no_error (error);
  g_assert_true (ngam_store_begin (store, &error));
  for (int i = 0; i < 4; i++)
    styled_add (store, NGAM_LAYER_SPANS, styled_line (40 * i, 40 * i + 40), "cable_type", types[i]);
  g_assert_true (ngam_store_commit (store, &error));
  g_assert_no_error (error);

  style.colour_by[NGAM_LAYER_SPANS] = "cable_type";
  for (int styled = 0; styled < 2; styled++)
    {
      s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, view.width, view.height);
      cr = cairo_create (s);
      g_assert_true (ngam_render_map_styled (store, cr, &view, NGAM_RENDER_LAYER (NGAM_LAYER_SPANS), 0,
                                             styled ? &style : NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      cairo_destroy (cr);
      cairo_surface_flush (s);
      for (int i = 0; i < 4; i++)
        {
          double c[3], fx, fy;
          Rgb want;

          if (styled)
            ngam_render_category_rgb (types[i], c);
          else
            ngam_render_operator_rgb ("VNPT", c);
          /* Spans are drawn at 90 % over the land. */
          want = (Rgb) { 0.9 * c[0] + 0.1 * bg.r, 0.9 * c[1] + 0.1 * bg.g, 0.9 * c[2] + 0.1 * bg.b };
          ngam_render_view_to_pixel (&view, SCENE_X + 40 * i + 20, SCENE_Y, &fx, &fy);
          if (!color_near (s, (int) fx, (int) fy, 0, want, 0.03))
            g_error ("span %d (%s) %s: not in its colour", i, types[i] ? types[i] : "no type",
                     styled ? "coloured by cable type" : "usual look");
        }
      cairo_surface_destroy (s);
    }

  /* fibre twice, then copper, then no value: most first, none last. */
  cats = ngam_render_style_count_categories (store, NGAM_LAYER_SPANS, "cable_type", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cats->len, ==, 3);
  g_assert_cmpstr (((NgamRenderCategory *) cats->pdata[0])->value, ==, "fibre");
  g_assert_cmpint (((NgamRenderCategory *) cats->pdata[0])->count, ==, 2);
  g_assert_cmpstr (((NgamRenderCategory *) cats->pdata[1])->value, ==, "copper");
  g_assert_cmpint (((NgamRenderCategory *) cats->pdata[1])->count, ==, 1);
  g_assert_null (((NgamRenderCategory *) cats->pdata[2])->value);
  g_assert_cmpint (((NgamRenderCategory *) cats->pdata[2])->count, ==, 1);

  field = ngam_render_style_parse_colour_by (NGAM_LAYER_SPANS, "[style]\nopacity=0.5\ncolour-by=cable_type\n");
  g_assert_cmpstr (field, ==, "cable_type");
  g_clear_pointer (&field, g_free);
  g_assert_null (ngam_render_style_parse_colour_by (NGAM_LAYER_POLES, "[style]\ncolour-by=code\n"));
  g_assert_null (ngam_render_style_parse_colour_by (NGAM_LAYER_STREETS, "[style]\ncolour-by=highway\n"));
  g_assert_null (ngam_render_style_parse_colour_by (NGAM_LAYER_SPANS, "[style]\nopacity=1\n"));
  g_assert_null (ngam_render_style_parse_colour_by (NGAM_LAYER_SPANS, "not a key file"));
  g_assert_null (ngam_render_style_parse_colour_by (NGAM_LAYER_SPANS, NULL));
}

/* Poles labelled by their code: each label right of its pole, one that
 * would cover another left out, none for a pole without a code, none
 * where poles are not drawn; the field read from the project's style. */
static void
test_feature_labels (void)
{
  g_autofree char *path = g_build_filename (dir, "labels.ngam", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (path, "EPSG:9214", &error);
  g_autofree char *field = NULL;
  /* Poles at x = 0, 40, 80 m with codes, one at 81 m whose label would
   * meet the third's, one at 120 m without a code. */
  const double xs[] = { 0, 40, 80, 81, 120 };
  const char *codes[] = { "P-1", "P-2", "P-3", "P-4", NULL };
  NgamRenderView view = { SCENE_X + 60, SCENE_Y, 0.5, 400, 100 };
  NgamRenderView far = view;
  cairo_surface_t *s;
  cairo_t *cr;
  int n;

  g_assert_no_error (error);
  g_assert_true (ngam_store_begin (store, &error));
  for (int i = 0; i < 5; i++)
    styled_add (store, NGAM_LAYER_POLES, ngam_shape_new_point (SCENE_X + xs[i], SCENE_Y), "code", codes[i]);
  g_assert_true (ngam_store_commit (store, &error));

  g_assert_true (ngam_render_style_can_label_by (NGAM_LAYER_POLES, "code"));
  g_assert_true (ngam_render_style_can_label_by (NGAM_LAYER_SPANS, "fibre_count"));
  g_assert_false (ngam_render_style_can_label_by (NGAM_LAYER_POLES, "height_m"));
  g_assert_false (ngam_render_style_can_label_by (NGAM_LAYER_STREETS, "name"));
  field = ngam_render_style_parse_labels (NGAM_LAYER_POLES, "[style]\nposition=8\nlabels=code\n");
  g_assert_cmpstr (field, ==, "code");
  g_assert_null (ngam_render_style_parse_labels (NGAM_LAYER_POLES, "[style]\nlabels=height_m\n"));
  g_assert_null (ngam_render_style_parse_labels (NGAM_LAYER_POLES, "[style]\nopacity=1\n"));

  s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, view.width, view.height);
  cr = cairo_create (s);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  n = ngam_render_feature_labels (store, cr, &view, NGAM_LAYER_POLES, "code", "Sans 8", NULL, &error);
  g_assert_no_error (error);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  g_assert_cmpint (n, ==, 3);
  /* Ink right of the first three poles (labels start 4 px right of the
   * point), none left of the first. */
  for (int i = 0; i < 3; i++)
    {
      double px, py;
      guint dark = 0;

      ngam_render_view_to_pixel (&view, SCENE_X + xs[i], SCENE_Y, &px, &py);
      for (int y = (int) py - 6; y <= (int) py + 6; y++)
        for (int x = (int) px + 4; x < (int) px + 30; x++)
          if (distance (pixel (s, x, y), (Rgb) { 1, 1, 1 }) > 1.5)
            dark++;
      g_test_message ("label of %s: %u dark pixels", codes[i], dark);
      g_assert_cmpuint (dark, >, 10);
    }
  cairo_surface_destroy (s);

  /* A ward shaped like a U is labelled on its land, not in its bay: the
   * centroid (50, 44.2) is in the bay, the widest stretch of the line
   * through it inside the ward is x 0–30 (and 70–100). */
  {
    g_autofree char *upath = g_build_filename (dir, "labels-u.ngam", NULL);
    g_autoptr(NgamStore) u = ngam_store_create (upath, "EPSG:9214", &error);
    const double ring[][2] = { { 0, 0 }, { 100, 0 }, { 100, 100 }, { 70, 100 }, { 70, 30 },
                               { 30, 30 }, { 30, 100 }, { 0, 100 }, { 0, 0 } };
    NgamShape *shape = ngam_shape_new ();
    NgamRenderView uv = { SCENE_X + 50, SCENE_Y + 50, 0.25, 480, 480 };
    double px, py;
    guint land = 0, bay = 0;

    g_assert_no_error (error);
    ngam_shape_begin (shape, NGAM_SHAPE_MULTIPOLYGON);
    ngam_shape_new_poly (shape);
    ngam_shape_new_part (shape);
    for (guint i = 0; i < G_N_ELEMENTS (ring); i++)
      ngam_shape_add_point (shape, SCENE_X + ring[i][0], SCENE_Y + ring[i][1]);
    ngam_shape_finish (shape);
    g_assert_true (ngam_store_begin (u, &error));
    styled_add (u, NGAM_LAYER_ADMIN, shape, "name", "Phường Một");
    g_assert_true (ngam_store_commit (u, &error));
    g_assert_true (ngam_render_style_can_label_by (NGAM_LAYER_ADMIN, "name"));
    s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, uv.width, uv.height);
    cr = cairo_create (s);
    cairo_set_source_rgb (cr, 1, 1, 1);
    cairo_paint (cr);
    g_assert_cmpint (ngam_render_feature_labels (u, cr, &uv, NGAM_LAYER_ADMIN, "name", "Sans 8", NULL, &error), ==, 1);
    g_assert_no_error (error);
    cairo_destroy (cr);
    cairo_surface_flush (s);
    ngam_render_view_to_pixel (&uv, SCENE_X + 15, SCENE_Y + 44.2, &px, &py);
    for (int y = (int) py - 8; y <= (int) py + 8; y++)
      for (int x = (int) px - 50; x <= (int) px + 50; x++)
        if (distance (pixel (s, x, y), (Rgb) { 1, 1, 1 }) > 1.5)
          land++;
    ngam_render_view_to_pixel (&uv, SCENE_X + 50, SCENE_Y + 44.2, &px, &py);
    for (int y = (int) py - 8; y <= (int) py + 8; y++)
      for (int x = (int) px - 30; x <= (int) px + 30; x++)
        if (distance (pixel (s, x, y), (Rgb) { 1, 1, 1 }) > 1.5)
          bay++;
    g_test_message ("ward label: %u dark pixels on the land, %u in the bay", land, bay);
    g_assert_cmpuint (land, >, 20);
    g_assert_cmpuint (bay, ==, 0);
    cairo_surface_destroy (s);
  }

  /* Poles are not drawn beyond 4 m/px: no labels either. */
  far.scale = 8;
  s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, far.width, far.height);
  cr = cairo_create (s);
  g_assert_cmpint (ngam_render_feature_labels (store, cr, &far, NGAM_LAYER_POLES, "code", "Sans 8", NULL, &error), ==, 0);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
}

static void
test_png (void)
{
  g_autofree char *png = g_build_filename (dir, "map.png", NULL);
  NgamRenderView view = scene_view (1.0);
  cairo_surface_t *s = render (&view, NGAM_RENDER_ALL_LAYERS, 0, NULL);
  cairo_surface_t *back;
  cairo_t *cr = cairo_create (s);

  ngam_render_scale_bar (cr, 12, view.height - 12, view.scale, 150);
  ngam_render_north_arrow (cr, view.width - 24, 28, 36);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (s, png), ==, CAIRO_STATUS_SUCCESS);
  back = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (back), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (back), ==, view.width);
  g_assert_cmpint (cairo_image_surface_get_height (back), ==, view.height);
  /* PNG is lossless: the pole is still there. */
  {
    int x, y;

    scene_pixel (&view, SCENE_POLE_X0, SCENE_POLE_DY, &x, &y);
    assert_color (back, x, y, rgb_hex (0x263238), "pole in the PNG");
  }
  if (g_getenv ("NGAM_RENDER_PNG"))   /* to look at it */
    cairo_surface_write_to_png (s, g_getenv ("NGAM_RENDER_PNG"));
  cairo_surface_destroy (back);
  cairo_surface_destroy (s);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();
  dir = ngam_test_tmpdir ();
  project = g_build_filename (dir, "scene.ngam", NULL);
  scene_write (project);
  overview = g_build_filename (dir, "overview.ngam", NULL);
  scene_write_overview (overview);

  g_test_add_func ("/render/view/maths", test_view_maths);
  g_test_add_func ("/render/style/category-colors", test_category_colors);
  g_test_add_func ("/render/style/colour-by", test_styled);
  g_test_add_func ("/render/style/feature-labels", test_feature_labels);
  g_test_add_func ("/render/map/layers", test_layers);
  g_test_add_func ("/render/map/hidden-layer", test_hidden_layer);
  g_test_add_func ("/render/map/level-of-detail", test_level_of_detail);
  g_test_add_func ("/render/map/tiles-agree", test_tiles_agree);
  g_test_add_func ("/render/map/tiles-agree-zoomed-out", test_tiles_agree_zoomed_out);
  g_test_add_func ("/render/map/street-filter", test_street_filter);
  g_test_add_func ("/render/map/site-thinning", test_site_thinning);
  g_test_add_func ("/render/map/shared-routes", test_shared_routes);
  g_test_add_func ("/render/map/street-widths", test_street_widths);
  g_test_add_func ("/render/map/festival-halo", test_festival_halo);
  g_test_add_func ("/render/map/fast-antialias", test_fast_antialias);
  g_test_add_func ("/render/map/cancelled", test_cancelled);
  g_test_add_func ("/render/map/invalid-view", test_invalid_view);
  g_test_add_func ("/render/map/store-error", test_store_error);
  g_test_add_func ("/render/map/png", test_png);
  g_test_add_func ("/render/style/operator-colors", test_operator_colors);
  g_test_add_func ("/render/furniture/nice-distance", test_nice_distance);
  g_test_add_func ("/render/furniture/draw", test_furniture);
  status = g_test_run ();

  ngam_test_rmdir (dir);
  g_free (dir);
  g_free (project);
  return status;
}
