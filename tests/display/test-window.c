/* test-window.c — the desktop window on a demo project, under Xvfb: it
 * opens, draws the map off the main thread, hides a layer when its box is
 * unticked, reuses cached tiles, zooms, and refuses bad files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With --language=vi it runs in Vietnamese (the catalogue built from
 * po/vi.po) and checks the window speaks it.
 *
 * Environment, for people (the suite sets none of these):
 *   NGAM_DEMO_SIZE=2000          intersections in the generated demo (300)
 *   NGAM_SCREENSHOT=out.png      also save the window there, 1400×900, the
 *                                project in ~/Huế (HOME is the test's
 *                                temporary folder)
 *   NGAM_SCREENSHOT_VIEW=x,y,s   …looking at (x, y) at s m/px instead of
 *                                the whole project
 *
 * data/screenshots/ngam-window.png (and -vi.png, with test-window-vi) is
 *   NGAM_DEMO_SIZE=2000 NGAM_SCREENSHOT=/tmp/w.png \
 *   NGAM_SCREENSHOT_VIEW=561900,1820700,2.2 xvfb-run -a -s "-screen 0 1600x1200x24" \
 *   meson test -C build test-window
 * then `convert /tmp/w.png -strip -dither None -colors 256 PNG8:…` (a
 * quarter of the bytes).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-render.h"
#include "ngam-test-util.h"
#include "ngam-ui.h"
#include "ngam-window-private.h"
#include "display-util.h"

static char *dir;
static char *project;
static NgamWindow *window;
static const char *language;   /* --language=LL, or NULL: untranslated */

/* What the map part of a picture of the window shows. */
typedef struct
{
  guint total;
  guint not_background;
  guint operator_pixels[5];
  guint street_fill;
} MapCensus;

static const char *operators[5] = { "VNPT", "Viettel", "FPT", "MobiFone", "SCTV" };

static MapCensus
census (const Image *img, NgamMapView *map)
{
  graphene_rect_t b;
  MapCensus c = { 0 };
  double bg[3], op[5][3];
  /* The fills of the main street classes (primary, secondary, minor). */
  const Rgb streets[] = { { 0xfc / 255.0, 0xd6 / 255.0, 0xa4 / 255.0 },
                          { 0xf7 / 255.0, 0xfa / 255.0, 0xbf / 255.0 },
                          { 1, 1, 1 } };

  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (map), GTK_WIDGET (window), &b));
  ngam_render_background_rgb (bg);
  for (int i = 0; i < 5; i++)
    ngam_render_operator_rgb (operators[i], op[i]);
  for (int y = (int) b.origin.y; y < (int) (b.origin.y + b.size.height); y++)
    for (int x = (int) b.origin.x; x < (int) (b.origin.x + b.size.width); x++)
      {
        Rgb p = pixel (img, x, y);

        c.total++;
        if (distance (p, rgb3 (bg)) > 0.05)
          c.not_background++;
        for (guint i = 0; i < G_N_ELEMENTS (streets); i++)
          if (distance (p, streets[i]) < 0.05)
            {
              c.street_fill++;
              break;
            }
        for (int i = 0; i < 5; i++)
          if (distance (p, rgb3 (op[i])) < 0.25)
            c.operator_pixels[i]++;
      }
  return c;
}

static guint
operators_seen (const MapCensus *c, guint min_pixels)
{
  guint n = 0;

  for (int i = 0; i < 5; i++)
    if (c->operator_pixels[i] >= min_pixels)
      n++;
  return n;
}

static guint
pixels_differing (const Image *a, const Image *b)
{
  guint n = 0;

  g_assert_cmpint (a->width, ==, b->width);
  g_assert_cmpint (a->height, ==, b->height);
  for (int y = 0; y < a->height; y++)
    for (int x = 0; x < a->width; x++)
      if (distance (pixel (a, x, y), pixel (b, x, y)) > 0.02)
        n++;
  return n;
}

/* ---- tests ------------------------------------------------------------------- */

/* Opens the demo: the map area is drawn, with streets and several operators'
 * cables in their colours; the layer list counts the features. */
static void
test_open_and_draw (void)
{
  g_autoptr(GFile) file = g_file_new_for_path (project);
  g_autoptr(GError) error = NULL;
  g_autoptr(Image) img = NULL;
  NgamMapView *map;
  MapCensus c;

  g_assert_true (ngam_window_open (window, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_equal (ngam_window_get_file (window), file));
  g_assert_false (ngam_window_is_read_only (window));
  gtk_window_present (GTK_WINDOW (window));
  map = ngam_window_get_map_view (window);
  wait_for_map (map);
  g_assert_cmpuint (ngam_map_view_get_n_rendered (map), >, 0);
  if (g_getenv ("NGAM_SCREENSHOT_VIEW") != NULL)
    {
      g_auto(GStrv) v = g_strsplit (g_getenv ("NGAM_SCREENSHOT_VIEW"), ",", 3);
      NgamViewport *vp = ngam_map_view_get_viewport (map);
      double x, y;

      g_assert_cmpuint (g_strv_length (v), ==, 3);
      ngam_viewport_set_center (vp, g_ascii_strtod (v[0], NULL), g_ascii_strtod (v[1], NULL));
      ngam_viewport_set_scale (vp, g_ascii_strtod (v[2], NULL));
      wait_for_map (map);
      /* As if the pointer rested a little right of the centre. */
      ngam_viewport_from_widget (vp, gtk_widget_get_width (GTK_WIDGET (map)),
                                 gtk_widget_get_height (GTK_WIDGET (map)),
                                 gtk_widget_get_width (GTK_WIDGET (map)) * 0.6,
                                 gtk_widget_get_height (GTK_WIDGET (map)) * 0.45, &x, &y);
      g_signal_emit_by_name (map, "pointer-moved", TRUE, x, y);
    }

  img = render_widget (GTK_WIDGET (window));
  c = census (img, map);
  g_test_message ("map: %u px, %u not land, %u street fill, operators %u/%u/%u/%u/%u, scale %.2f m/px",
                  c.total, c.not_background, c.street_fill, c.operator_pixels[0], c.operator_pixels[1],
                  c.operator_pixels[2], c.operator_pixels[3], c.operator_pixels[4],
                  ngam_viewport_get_scale (ngam_map_view_get_viewport (map)));
  if (g_getenv ("NGAM_SCREENSHOT") != NULL)
    save_png (img, g_getenv ("NGAM_SCREENSHOT"));
  else
    {
      g_autofree char *png = g_build_filename (dir, "window.png", NULL);

      save_png (img, png);
      g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
    }
  g_assert_cmpuint (c.total, >, 200 * 200);
  /* Not blank: a good share of the map is streets, zones and cables. */
  g_assert_cmpuint (c.not_background, >, c.total / 10);
  g_assert_cmpuint (c.street_fill, >, c.total / 500);
  g_assert_cmpuint (operators_seen (&c, 20), >=, 2);

}

static guint
operator_total (const MapCensus *c)
{
  guint n = 0;

  for (int i = 0; i < 5; i++)
    n += c->operator_pixels[i];
  return n;
}

/* The header names the file, then its folder the GNOME way and the CRS by
 * name: never the full path of a temporary or mounted folder. */
static void
test_title (void)
{
  static const struct { const char *dir, *home, *label; } cases[] = {
    { "/home/anna", "/home/anna", "~" },
    { "/home/anna/Dự án/Huế", "/home/anna", "~/Dự án/Huế" },
    { "/home/anna/Huế", "/home/anna/", "~/Huế" },
    { "/home/anna2/Huế", "/home/anna", "Huế" },
    { "/media/usb/Huế", "/home/anna", "Huế" },
    { "/tmp/ngam-test-3OFOZ3", "/home/anna", "ngam-test-3OFOZ3" },
    { "/", "/", "/" },
  };
  g_autofree char *folder = g_path_get_dirname (project);
  g_autofree char *label = ngam_window_folder_label (folder, g_get_home_dir ());
  const char *subtitle = adw_window_title_get_subtitle (window->window_title);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = ngam_window_folder_label (cases[i].dir, cases[i].home);

      if (strcmp (got, cases[i].label) != 0)
        g_error ("folder %s, home %s: expected “%s”, got “%s”", cases[i].dir, cases[i].home,
                 cases[i].label, got);
    }
  g_assert_cmpstr (adw_window_title_get_title (window->window_title), ==, "hue-demo.ngam");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "hue-demo.ngam");
  g_test_message ("subtitle: %s", subtitle);
  g_assert_true (g_str_has_prefix (subtitle, label));
  g_assert_nonnull (strstr (subtitle, "VN-2000 / TM-3 107-00"));
  g_assert_null (strstr (subtitle, dir));
}

static const char *
row_title (NgamLayerList *list,
           guint          kind)
{
  GtkWidget *row = gtk_widget_get_ancestor (ngam_layer_list_get_toggle (list, kind), ADW_TYPE_ACTION_ROW);

  g_assert_nonnull (row);
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

static const char *
row_subtitle (NgamLayerList *list,
              guint          kind)
{
  GtkWidget *row = gtk_widget_get_ancestor (ngam_layer_list_get_toggle (list, kind), ADW_TYPE_ACTION_ROW);

  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

/* Under LANGUAGE=vi the window speaks Vietnamese: the layer list (its
 * names come from core's table through po/), the counts, the tooltips
 * from the .ui template, and a new window's empty page. */
static void
test_vietnamese (void)
{
  NgamLayerList *list = ngam_window_get_layer_list (window);
  static const struct { guint kind; const char *title; } layers[] = {
    { NGAM_LAYER_POLES, "Cột" },
    { NGAM_LAYER_SPANS, "Khoảng cáp treo" },
    { NGAM_LAYER_ROUTES, "Tuyến cáp" },
    { NGAM_LAYER_STREETS, "Đường phố" },
    { NGAM_LAYER_DUCTS, "Cống cáp" },
    { NGAM_LAYER_MANHOLES, "Bể cáp" },
    { NGAM_LAYER_ZONES, "Vùng" },
    { NGAM_LAYER_ADMIN, "Đơn vị hành chính" },
    { NGAM_LAYER_DEMAND, "Điểm nhu cầu" },
    { NGAM_LAYER_SITES, "Trạm BTS" },
  };
  NgamWindow *empty = ngam_window_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (layers); i++)
    g_assert_cmpstr (row_title (list, layers[i].kind), ==, layers[i].title);
  g_assert_true (g_str_has_suffix (row_subtitle (list, NGAM_LAYER_POLES), " đối tượng"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (window->sidebar_button)), ==, "Các lớp (F9)");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (ngam_layer_list_get_toggle (list, NGAM_LAYER_POLES)), ==,
                   "Hiện trên bản đồ");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (empty->stack), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (gtk_stack_get_visible_child (empty->stack))), ==,
                   "Chưa mở dự án nào");
  gtk_window_destroy (GTK_WINDOW (empty));
  iterate_a_little ();
}

/* Untranslated, the same places read English (the test above is not
 * passing by accident). */
static void
test_english (void)
{
  NgamLayerList *list = ngam_window_get_layer_list (window);

  g_assert_cmpstr (row_title (list, NGAM_LAYER_POLES), ==, "Poles");
  g_assert_cmpstr (row_title (list, NGAM_LAYER_SITES), ==, "Cell sites");
  g_assert_true (g_str_has_suffix (row_subtitle (list, NGAM_LAYER_POLES), " features"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (window->sidebar_button)), ==, "Layers (F9)");
}

/* Unticking layers in the list hides them on the map (and in the
 * settings); ticking them again brings the same picture back from the
 * cache.  Spans and routes are the layers drawn in operators' colours. */
static void
test_layer_toggle (void)
{
  NgamMapView *map = ngam_window_get_map_view (window);
  NgamLayerList *list = ngam_window_get_layer_list (window);
  GtkWidget *toggle = ngam_layer_list_get_toggle (list, NGAM_LAYER_SPANS);
  GtkWidget *routes = ngam_layer_list_get_toggle (list, NGAM_LAYER_ROUTES);
  g_autoptr(Image) before = NULL, hidden = NULL, again = NULL;
  g_autoptr(Image) map_before = NULL, map_again = NULL;
  g_autoptr(GSettings) settings = ngam_settings_new ();
  g_auto(GStrv) names = NULL;
  MapCensus c_before, c_hidden;
  guint64 rendered;

  wait_for_map (map);
  before = render_widget (GTK_WIDGET (window));
  map_before = render_widget (GTK_WIDGET (map));
  c_before = census (before, map);

  gtk_check_button_set_active (GTK_CHECK_BUTTON (toggle), FALSE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (routes), FALSE);
  g_assert_false (ngam_map_view_get_visible_layers (map) & NGAM_RENDER_LAYER (NGAM_LAYER_SPANS));
  g_assert_true (ngam_map_view_get_visible_layers (map) & NGAM_RENDER_LAYER (NGAM_LAYER_STREETS));
  wait_for_map (map);
  hidden = render_widget (GTK_WIDGET (window));
  c_hidden = census (hidden, map);
  g_test_message ("spans and routes hidden: %u pixels changed; operator pixels %u → %u",
                  pixels_differing (before, hidden), operator_total (&c_before), operator_total (&c_hidden));
  g_assert_cmpuint (pixels_differing (before, hidden), >, 500);
  g_assert_cmpuint (operator_total (&c_hidden), <, operator_total (&c_before) / 4);

  g_assert_nonnull (settings);
  names = g_settings_get_strv (settings, "visible-layers");
  g_assert_false (g_strv_contains ((const char * const *) names, "spans"));
  g_assert_false (g_strv_contains ((const char * const *) names, "routes"));
  g_assert_true (g_strv_contains ((const char * const *) names, "streets"));

  rendered = ngam_map_view_get_n_rendered (map);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (toggle), TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (routes), TRUE);
  wait_for_map (map);
  again = render_widget (GTK_WIDGET (window));
  g_assert_cmpuint (pixels_differing (before, again), <, pixels_differing (before, hidden) / 10);
  /* The map itself is the same to the pixel.  (The window around it may
   * not be: with the Vietnamese run's window on the same X display, focus
   * comes and goes, and the header bar and the list are drawn in their
   * backdrop colours when it is away.) */
  map_again = render_widget (GTK_WIDGET (map));
  g_assert_cmpuint (pixels_differing (map_before, map_again), ==, 0);
  g_assert_cmpuint (ngam_map_view_get_n_rendered (map), ==, rendered);
}

/* Panning away draws new tiles; panning back draws none: they come from the
 * cache. */
static void
test_cache_hits (void)
{
  NgamMapView *map = ngam_window_get_map_view (window);
  NgamViewport *vp = ngam_map_view_get_viewport (map);
  NgamTileCache *cache = ngam_map_view_get_tile_cache (map);
  g_autoptr(Image) img = NULL;
  guint64 r0, r1, hits;

  wait_for_map (map);
  r0 = ngam_map_view_get_n_rendered (map);
  ngam_viewport_pan (vp, -700, 300);
  wait_for_map (map);
  r1 = ngam_map_view_get_n_rendered (map);
  g_assert_cmpuint (r1, >, r0);

  /* Counted before panning back: the frame clock may draw the map (and
   * look its tiles up) while we wait, before the picture below. */
  hits = ngam_tile_cache_get_hits (cache);
  ngam_viewport_pan (vp, 700, -300);
  wait_for_map (map);
  img = render_widget (GTK_WIDGET (window));
  g_assert_cmpuint (ngam_map_view_get_n_rendered (map), ==, r1);
  /* Every tile on screen was a hit: at least a few of them. */
  g_assert_cmpuint (ngam_tile_cache_get_hits (cache), >=, hits + 4);
  g_test_message ("cache: %u tiles, %" G_GSIZE_FORMAT " KiB, %" G_GUINT64_FORMAT " hits, %"
                  G_GUINT64_FORMAT " misses", ngam_tile_cache_get_size (cache),
                  ngam_tile_cache_get_bytes (cache) / 1024, ngam_tile_cache_get_hits (cache),
                  ngam_tile_cache_get_misses (cache));
}

/* The zoom actions change the viewport only; the map follows. */
static void
test_zoom_actions (void)
{
  NgamMapView *map = ngam_window_get_map_view (window);
  NgamViewport *vp = ngam_map_view_get_viewport (map);
  double scale = ngam_viewport_get_scale (vp);
  double cx = ngam_viewport_get_center_x (vp), cy = ngam_viewport_get_center_y (vp);
  g_autoptr(Image) img = NULL;
  guint64 rendered = ngam_map_view_get_n_rendered (map);
  MapCensus c;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-in", NULL));
  g_assert_cmpfloat_with_epsilon (ngam_viewport_get_scale (vp), scale / 2, 1e-9 * scale);
  g_assert_cmpfloat_with_epsilon (ngam_viewport_get_center_x (vp), cx, 1e-6);
  g_assert_cmpfloat_with_epsilon (ngam_viewport_get_center_y (vp), cy, 1e-6);
  wait_for_map (map);
  g_assert_cmpuint (ngam_map_view_get_n_rendered (map), >, rendered);
  img = render_widget (GTK_WIDGET (window));
  c = census (img, map);
  g_assert_cmpuint (c.not_background, >, c.total / 20);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-out", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-out", NULL));
  g_assert_cmpfloat_with_epsilon (ngam_viewport_get_scale (vp), scale * 2, 1e-9 * scale);
  wait_for_map (map);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-fit", NULL));
  g_assert_cmpfloat_with_epsilon (ngam_viewport_get_scale (vp), scale, 1e-9 * scale);
  wait_for_map (map);
}

/* Files that are not projects are refused with a message naming them, and
 * the window keeps the project it showed. */
static void
test_open_errors (void)
{
  g_autofree char *text = g_build_filename (dir, "notes.ngam", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.ngam", NULL);
  g_autoptr(GFile) f_text = g_file_new_for_path (text);
  g_autoptr(GFile) f_missing = g_file_new_for_path (missing);
  g_autoptr(GFile) shown = g_object_ref (ngam_window_get_file (window));
  g_autoptr(GError) error = NULL;
  NgamMapView *map = ngam_window_get_map_view (window);

  g_assert_true (g_file_set_contents (text, "not a project\n", -1, NULL));
  g_assert_false (ngam_window_open (window, f_missing, &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  g_assert_false (ngam_window_open (window, f_text, &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_SQLITE);
  g_assert_nonnull (strstr (error->message, text));

  g_assert_true (g_file_equal (ngam_window_get_file (window), shown));
  g_assert_cmpstr (ngam_project_get_path (ngam_map_view_get_project (map)), ==, project);
  g_unlink (text);
}

/* While another program writes to the project (an import in ngam-batch),
 * the window still opens it, read-only, and draws it. */
static void
test_open_locked (void)
{
  g_autoptr(GFile) file = g_file_new_for_path (project);
  g_autoptr(GError) error = NULL;
  NgamWindow *second = ngam_window_new (NULL);
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (project, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  gtk_window_set_default_size (GTK_WINDOW (second), 500, 400);
  g_assert_true (ngam_window_open (second, file, &error));
  g_assert_no_error (error);
  g_assert_true (ngam_window_is_read_only (second));
  gtk_window_present (GTK_WINDOW (second));
  wait_for_map (ngam_window_get_map_view (second));
  g_assert_cmpuint (ngam_map_view_get_n_rendered (ngam_window_get_map_view (second)), >, 0);
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (db);
  gtk_window_destroy (GTK_WINDOW (second));
  iterate_a_little ();
}

/* A second window on the same file draws it too (every window and every
 * worker has its own connection), but read-only, saying why: two windows
 * editing one file would lose each other's undo history. */
static void
test_two_windows (void)
{
  g_autoptr(GFile) file = g_file_new_for_path (project);
  g_autoptr(GError) error = NULL;
  NgamWindow *second = ngam_window_new (NULL);
  g_autoptr(Image) img = NULL;
  MapCensus c;

  gtk_window_set_default_size (GTK_WINDOW (second), 640, 480);
  g_assert_true (ngam_window_open (second, file, &error));
  g_assert_no_error (error);
  g_assert_false (ngam_window_is_read_only (window));
  g_assert_true (ngam_window_is_read_only (second));
  g_assert_cmpint (ngam_project_get_read_only_reason (ngam_window_get_project (second)), ==,
                   NGAM_PROJECT_READ_ONLY_OPEN_ELSEWHERE);
  g_assert_nonnull (strstr (adw_window_title_get_subtitle (second->window_title), "read-only"));
  g_assert_false (g_action_get_enabled (G_ACTION (second->tool_action)));
  gtk_window_present (GTK_WINDOW (second));
  wait_for_map (ngam_window_get_map_view (second));
  wait_for_map (ngam_window_get_map_view (window));
  img = render_widget (GTK_WIDGET (second));
  {
    NgamWindow *first = window;

    window = second;   /* census() measures the map of `window` */
    c = census (img, ngam_window_get_map_view (second));
    window = first;
  }
  g_assert_cmpuint (c.not_background, >, c.total / 10);
  gtk_window_destroy (GTK_WINDOW (second));
  iterate_a_little ();
}

static void
count_failure (NgamMapView *map, const GError *error, gpointer data)
{
  GError **first = data;

  if (*first == NULL)
    *first = g_error_copy (error);
  else
    (*first)->code = -1;   /* more than one report: the test fails */
}

/* A map whose project cannot be read (its file went away) reports it
 * once, stops trying (no retry loop), and draws once pointed at a real
 * project. */
static void
test_map_failure (void)
{
  GtkWidget *win = gtk_window_new ();
  GtkWidget *map = ngam_map_view_new ();
  NgamViewport *vp = ngam_map_view_get_viewport (NGAM_MAP_VIEW (map));
  g_autofree char *gone = g_build_filename (dir, "gone.ngam", NULL);
  g_autoptr(GError) failure = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamProject) lost = NULL, real = NULL;
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "new", gone, "--crs", "EPSG:9214", NULL), ==, 0);
  lost = ngam_project_open (gone, NGAM_PROJECT_OPEN_READ_ONLY, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_unlink (gone), ==, 0);
  gtk_window_set_default_size (GTK_WINDOW (win), 400, 300);
  gtk_window_set_child (GTK_WINDOW (win), map);
  g_signal_connect (map, "render-failed", G_CALLBACK (count_failure), &failure);
  ngam_map_view_set_project (NGAM_MAP_VIEW (map), lost);
  gtk_window_present (GTK_WINDOW (win));
  wait_for_map (NGAM_MAP_VIEW (map));
  g_assert_error (failure, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (failure->message, gone));
  g_assert_cmpuint (ngam_map_view_get_n_rendered (NGAM_MAP_VIEW (map)), ==, 0);

  /* Pointed at a real project, it draws. */
  real = ngam_project_open (project, NGAM_PROJECT_OPEN_READ_ONLY, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  ngam_map_view_set_project (NGAM_MAP_VIEW (map), real);
  wait_for_map (NGAM_MAP_VIEW (map));
  g_assert_cmpuint (ngam_map_view_get_n_rendered (NGAM_MAP_VIEW (map)), >, 0);
  g_assert_cmpint (failure->code, ==, NGAM_STORE_ERROR_NOT_FOUND);
  g_assert_cmpfloat (ngam_viewport_get_scale (vp), >, 0);
  gtk_window_destroy (GTK_WINDOW (win));
  iterate_a_little ();
}

/* `build/app/ngam` run as the README says (no GSETTINGS_SCHEMA_DIR) finds
 * the schema meson compiled in build/data, so preferences and recent
 * projects are kept; a folder without one gives none. */
static void
test_schema_beside (void)
{
  g_autofree char *bindir = g_path_get_dirname (g_getenv ("NGAM_BATCH"));
  g_autoptr(GSettingsSchema) schema = ngam_settings_schema_beside (bindir);
  g_autofree char *empty = g_build_filename (dir, "bin", NULL);

  g_assert_nonnull (schema);
  g_assert_cmpstr (g_settings_schema_get_id (schema), ==, "org.ngam.Ngam");
  g_assert_true (g_settings_schema_has_key (schema, "last-project"));
  g_assert_cmpint (g_mkdir_with_parents (empty, 0700), ==, 0);
  g_assert_null (ngam_settings_schema_beside (empty));
  g_assert_null (ngam_settings_schema_beside (NULL));
}

/* `ngam FILE` as the application sees it: one window per file, on that
 * file; a file that is not a project still gets its window, showing why. */
static void
test_application_open (void)
{
  g_autoptr(NgamApplication) app = ngam_application_new ();
  g_autofree char *bad = g_build_filename (dir, "bad.ngam", NULL);
  GFile *files[2];
  g_autoptr(GError) error = NULL;
  GList *windows;
  gboolean found = FALSE;

  g_assert_true (g_file_set_contents (bad, "", 0, NULL));
  files[0] = g_file_new_for_path (project);
  files[1] = g_file_new_for_path (bad);
  /* No D-Bus here: run as a private instance. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_open (G_APPLICATION (app), files, 2, "");
  iterate_a_little ();

  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  /* Two project windows, and the error dialog of the second. */
  g_assert_cmpuint (g_list_length (windows), >=, 2);
  for (GList *l = windows; l != NULL; l = l->next)
    if (NGAM_IS_WINDOW (l->data) && ngam_window_get_file (l->data) != NULL &&
        g_file_equal (ngam_window_get_file (l->data), files[0]))
      found = TRUE;
  g_assert_true (found);

  /* app.quit closes every window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  iterate_a_little ();
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));

  /* `ngam` alone reopens the last project (the one opened last above). */
  {
    g_autoptr(GSettings) settings = ngam_settings_new ();
    g_autofree char *last = g_settings_get_string (settings, "last-project");
    GtkWindow *w;
    gint64 deadline;

    g_assert_cmpstr (last, ==, project);
    g_application_activate (G_APPLICATION (app));
    iterate_a_little ();
    w = gtk_application_get_active_window (GTK_APPLICATION (app));
    g_assert_true (NGAM_IS_WINDOW (w));
    /* The project opens on a worker thread: on a busy machine it may not
     * have arrived within a few iterations. */
    deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
    while (ngam_window_get_file (NGAM_WINDOW (w)) == NULL && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    g_assert_nonnull (ngam_window_get_file (NGAM_WINDOW (w)));
    g_assert_true (g_file_equal (ngam_window_get_file (NGAM_WINDOW (w)), files[0]));
    gtk_window_destroy (w);
    iterate_a_little ();
  }
  g_object_unref (files[0]);
  g_object_unref (files[1]);
}

static void
make_project (void)
{
  const char *size = g_getenv ("NGAM_DEMO_SIZE") ? g_getenv ("NGAM_DEMO_SIZE") : "300";
  g_autofree char *out = NULL, *err = NULL;
  int status;

  status = ngam_test_run_batch (&out, &err, "sample", "--out", project, "--size", size, NULL);
  if (status != 0)
    g_error ("ngam-batch sample --out %s --size %s failed (%d): %s", project, size, status, err);
}

int
main (int argc, char **argv)
{
  gboolean screenshot = g_getenv ("NGAM_SCREENSHOT") != NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--language="))
      language = argv[i] + strlen ("--language=");
  /* The messages' language is the test's, not the caller's: LANGUAGE
   * picks it, and glibc reads LANGUAGE only outside the plain C locale. */
  if (language != NULL)
    g_setenv ("LANGUAGE", language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  /* The catalogues as built (po/), found as the app finds them. */
  g_setenv ("NGAM_LOCALEDIR", NGAM_TEST_LOCALEDIR, TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, ngam_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  dir = ngam_test_tmpdir ();
  /* glibc 2.40 and later read LANGUAGE in C.UTF-8 no more than in C:
   * then the messages' locale is made the way a planner's is, a locale of
   * that language (compiled here, as Debian's `locales` does). */
  if (language != NULL && strcmp (gettext ("Poles"), "Poles") == 0)
    {
      g_autofree char *locales = g_build_filename (dir, "locales", NULL);
      g_autofree char *name = g_strdup_printf ("%s_VN.UTF-8", language);
      g_autofree char *out = g_build_filename (locales, name, NULL);
      g_autofree char *src = g_strdup_printf ("%s_VN", language);
      const char *argv_def[] = { "localedef", "-c", "-i", src, "-f", "UTF-8", out, NULL };
      int wait_status = 0;

      g_assert_cmpint (g_mkdir_with_parents (locales, 0700), ==, 0);
      if (!g_spawn_sync (NULL, (char **) argv_def, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                         G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &wait_status, NULL) ||
          !g_file_test (out, G_FILE_TEST_IS_DIR))
        {
          g_print ("1..0 # SKIP this C library ignores LANGUAGE in C.UTF-8 and localedef cannot make %s\n", name);
          ngam_test_rmdir (dir);
          return 77;
        }
      g_setenv ("LOCPATH", locales, TRUE);
      g_unsetenv ("LC_ALL");
      g_setenv ("LANG", "C.UTF-8", TRUE);
      g_setenv ("LC_MESSAGES", name, TRUE);
      setlocale (LC_ALL, "");
      g_assert_cmpstr (gettext ("Poles"), !=, "Poles");
    }
  /* The screenshot shows a planner's project in their home folder: set
   * before GLib first reads it. */
  if (screenshot)
    g_setenv ("HOME", dir, TRUE);
  /* The schema as built, with the memory backend the suite sets. */
  g_setenv ("GSETTINGS_SCHEMA_DIR", NGAM_TEST_SCHEMA_DIR, TRUE);
  /* Xvfb sessions often have no D-Bus for the accessibility bridge, and
   * GTK warns when each widget looks for it; this test reads pixels. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  /* The suite draws with cairo (GSK_RENDERER=cairo); without this GDK
   * still opens EGL to probe GL, which keeps an allocation for the life of
   * the process that LeakSanitizer cannot always name. */
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
  gtk_init ();
  adw_init ();
  ngam_core_init ();
  /* Pixels are compared before and after a change: nothing may be half
   * way through one of Adwaita's transitions when they are read. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  project = g_build_filename (dir, "Huế", "hue-demo.ngam", NULL);
  {
    g_autofree char *folder = g_path_get_dirname (project);

    g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  }
  make_project ();

  window = ngam_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), screenshot ? 1400 : 1000, screenshot ? 900 : 700);

  g_test_add_func ("/window/open-and-draw", test_open_and_draw);
  if (language != NULL)
    {
      if (strcmp (language, "vi") == 0)
        g_test_add_func ("/window/vietnamese", test_vietnamese);
    }
  else if (!screenshot)
    {
      g_test_add_func ("/window/english", test_english);
      g_test_add_func ("/window/title", test_title);
      g_test_add_func ("/window/layer-toggle", test_layer_toggle);
      g_test_add_func ("/window/cache-hits", test_cache_hits);
      g_test_add_func ("/window/zoom-actions", test_zoom_actions);
      g_test_add_func ("/window/open-errors", test_open_errors);
      g_test_add_func ("/window/two-windows", test_two_windows);
      g_test_add_func ("/window/open-locked", test_open_locked);
      g_test_add_func ("/application/open", test_application_open);
      g_test_add_func ("/application/schema-beside", test_schema_beside);
      g_test_add_func ("/map/failure", test_map_failure);
    }
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  iterate_a_little ();
  ngam_test_rmdir (dir);
  g_free (dir);
  g_free (project);
  return status;
}
