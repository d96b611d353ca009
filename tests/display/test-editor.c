/* test-editor.c — editing on the map of the desktop window, under Xvfb:
 * the picture shows the features where they are, drag and scroll move and
 * zoom the view, a span drawn by two clicks is snapped exactly to its
 * poles, undo and redo survive reopening the file, a moved pole takes its
 * spans along, and the inspector refuses a bad value with a message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Gestures are driven through the signals of the map's controllers (found
 * by name), which is what GTK emits once it has recognised a press, a
 * drag or a scroll: no X events, so no window focus to depend on (the
 * flaky part of driving two windows on one Xvfb).
 *
 *   NGAM_SCREENSHOT=out.png         also save the window with a span being drawn
 *   NGAM_SCREENSHOT_IMPORT=out.png  …and the import dialog's preview
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
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
static double demo_centre[2];   /* the middle of the town, before any import */

typedef struct
{
  gint64 fid;
  double x, y;
} Pole;

static NgamMapView *
map (void)
{
  return ngam_window_get_map_view (window);
}

static NgamViewport *
viewport (void)
{
  return ngam_map_view_get_viewport (map ());
}

static NgamStore *
store (void)
{
  return ngam_project_get_store (ngam_window_get_project (window));
}

static void
to_widget (double x, double y, double *px, double *py)
{
  ngam_viewport_to_widget (viewport (), gtk_widget_get_width (GTK_WIDGET (map ())),
                           gtk_widget_get_height (GTK_WIDGET (map ())), x, y, px, py);
}

static void
press (const char *name, double px, double py)
{
  g_signal_emit_by_name (find_controller (GTK_WIDGET (map ()), name), "pressed", 1, px, py);
}

/* A whole drag as GTK delivers it: our capture-phase gesture first, then
 * the map's own. */
static void
drag (double px, double py, double dx, double dy)
{
  GtkEventController *edit = find_controller (GTK_WIDGET (map ()), "ngam-edit-drag");
  GtkEventController *pan = find_controller (GTK_WIDGET (map ()), "ngam-map-drag");

  g_signal_emit_by_name (edit, "drag-begin", px, py);
  g_signal_emit_by_name (pan, "drag-begin", px, py);
  for (int i = 1; i <= 4; i++)
    {
      g_signal_emit_by_name (edit, "drag-update", dx * i / 4, dy * i / 4);
      g_signal_emit_by_name (pan, "drag-update", dx * i / 4, dy * i / 4);
    }
  g_signal_emit_by_name (edit, "drag-end", dx, dy);
  g_signal_emit_by_name (pan, "drag-end", dx, dy);
}

/* A click: the press, and the empty drag every press also is. */
static void
click (double px, double py)
{
  press ("ngam-edit-click", px, py);
  drag (px, py, 0, 0);
}

static void
motion (double px, double py)
{
  g_signal_emit_by_name (find_controller (GTK_WIDGET (map ()), "ngam-edit-motion"), "motion", px, py);
}

static void
look_at (double x, double y, double scale)
{
  ngam_viewport_set_center (viewport (), x, y);
  ngam_viewport_set_scale (viewport (), scale);
  wait_for_map (map ());
}

/* Two poles of the demo near the middle of the town, 25–90 m apart. */
static void
two_poles (Pole *a, Pole *b)
{
  double extent[4], cx, cy, best = INFINITY;
  double box[4];
  g_autoptr(GArray) poles = g_array_new (FALSE, FALSE, sizeof (Pole));
  g_autoptr(NgamStoreCursor) cur = NULL;

  if (demo_centre[0] == 0)
    {
      g_assert_true (ngam_project_get_extent (ngam_window_get_project (window), extent));
      demo_centre[0] = (extent[0] + extent[2]) / 2;
      demo_centre[1] = (extent[1] + extent[3]) / 2;
    }
  cx = demo_centre[0];
  cy = demo_centre[1];
  box[0] = cx - 400, box[1] = cy - 400, box[2] = cx + 400, box[3] = cy + 400;
  cur = ngam_store_query (store (), NGAM_LAYER_POLES, box, NGAM_QUERY_SHAPE_ONLY, NULL);
  while (ngam_store_cursor_next (cur, NULL))
    {
      const NgamFeature *f = ngam_store_cursor_get (cur);
      Pole p = { f->fid, f->shape->xy[0], f->shape->xy[1] };

      g_array_append_val (poles, p);
    }
  g_assert_cmpuint (poles->len, >=, 2);
  for (guint i = 0; i < poles->len; i++)
    {
      Pole *p = &g_array_index (poles, Pole, i);
      double d = hypot (p->x - cx, p->y - cy);

      if (d < best)
        best = d, *a = *p;
    }
  best = INFINITY;
  for (guint i = 0; i < poles->len; i++)
    {
      Pole *p = &g_array_index (poles, Pole, i);
      double d = hypot (p->x - a->x, p->y - a->y);

      if (d >= 25 && d <= 90 && d < best)
        best = d, *b = *p;
    }
  g_assert_true (isfinite (best));
}

static NgamFeature *
read_from_file (NgamLayerKind kind, gint64 fid)
{
  g_autoptr(NgamStore) other = ngam_store_open (project, NGAM_STORE_OPEN_READ_ONLY, NULL);

  g_assert_nonnull (other);
  return ngam_store_get_feature (other, kind, fid, NULL);
}

static void
reopen (void)
{
  g_autoptr(GFile) file = g_file_new_for_path (project);
  g_autoptr(GError) error = NULL;
  double cx = ngam_viewport_get_center_x (viewport ()), cy = ngam_viewport_get_center_y (viewport ());
  double scale = ngam_viewport_get_scale (viewport ());

  /* Close the project first: a new window must not find it open. */
  gtk_window_destroy (GTK_WINDOW (window));
  iterate_a_little ();
  window = ngam_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  g_assert_true (ngam_window_open (window, file, &error));
  g_assert_no_error (error);
  g_assert_false (ngam_window_is_read_only (window));
  gtk_window_present (GTK_WINDOW (window));
  wait_for_map (map ());
  look_at (cx, cy, scale);
}

/* ---- tests ----------------------------------------------------------------------- */

/* The picture of the window shows a pole's symbol where the pole is, and
 * the land colour well away from any feature drawn on the map. */
static void
test_pixels_at_features (void)
{
  g_autoptr(Image) img = NULL;
  graphene_rect_t b;
  double px, py, bg[3];
  Pole a, c;
  Rgb at;

  two_poles (&a, &c);
  look_at (a.x, a.y, 0.25);
  img = render_widget (GTK_WIDGET (window));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (map ()), GTK_WIDGET (window), &b));
  to_widget (a.x, a.y, &px, &py);
  ngam_render_background_rgb (bg);
  at = pixel (img, (int) (b.origin.x + px), (int) (b.origin.y + py));
  g_test_message ("pole %" G_GINT64_FORMAT " at (%.0f, %.0f) px: rgb %.2f %.2f %.2f, land %.2f %.2f %.2f",
                  a.fid, px, py, at.r, at.g, at.b, bg[0], bg[1], bg[2]);
  g_assert_cmpfloat (distance (at, rgb3 (bg)), >, 0.1);
  {
    g_autofree char *png = g_build_filename (dir, "pole.png", NULL);

    save_png (img, png);
  }
}

/* A drag moves the centre by the drag times the scale (north up, so a
 * drag down moves the view north); a wheel notch zooms out half an
 * octave about the centre when the pointer is away. */
static void
test_gestures (void)
{
  GtkEventController *scroll = find_controller (GTK_WIDGET (map ()), "ngam-map-scroll");
  double cx, cy, scale;
  gboolean handled = FALSE;

  ngam_edit_layer_set_tool (ngam_window_get_edit_layer (window), NGAM_EDIT_TOOL_SELECT);
  wait_for_map (map ());
  cx = ngam_viewport_get_center_x (viewport ());
  cy = ngam_viewport_get_center_y (viewport ());
  scale = ngam_viewport_get_scale (viewport ());
  drag (400, 300, 120, -80);
  g_assert_cmpfloat_with_epsilon (ngam_viewport_get_center_x (viewport ()), cx - 120 * scale, 1e-6);
  g_assert_cmpfloat_with_epsilon (ngam_viewport_get_center_y (viewport ()), cy - 80 * scale, 1e-6);
  g_assert_cmpfloat (ngam_viewport_get_scale (viewport ()), ==, scale);

  g_signal_emit_by_name (find_controller (GTK_WIDGET (map ()), "ngam-map-motion"), "leave");
  g_signal_emit_by_name (scroll, "scroll", 0.0, 1.0, &handled);
  g_assert_true (handled);
  g_assert_cmpfloat_with_epsilon (ngam_viewport_get_scale (viewport ()), scale * M_SQRT2, 1e-9 * scale);
  g_assert_cmpfloat_with_epsilon (ngam_viewport_get_center_x (viewport ()), cx - 120 * scale, 1e-6);
  g_signal_emit_by_name (scroll, "scroll", 0.0, -1.0, &handled);
  g_assert_cmpfloat_with_epsilon (ngam_viewport_get_scale (viewport ()), scale, 1e-9 * scale);
  wait_for_map (map ());
}

/* A pan let go at speed glides on in the same direction, by the speed
 * times the glide's time constant (0.325 s) less the last slow pixels,
 * and stops; a press stops a glide at once.  Drags every 10 ms of 20 px:
 * about 2 000 px/s, so about 650 px of glide. */
static void
test_kinetic_pan (void)
{
  GtkEventController *pan = find_controller (GTK_WIDGET (map ()), "ngam-map-drag");
  double cx, cy, scale, end_x, glide, speed;
  gint64 t0 = 0, t1 = 0, deadline;

  ngam_edit_layer_set_tool (ngam_window_get_edit_layer (window), NGAM_EDIT_TOOL_SELECT);
  wait_for_map (map ());
  cx = ngam_viewport_get_center_x (viewport ());
  cy = ngam_viewport_get_center_y (viewport ());
  scale = ngam_viewport_get_scale (viewport ());
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);

  /* On a loaded machine a 10 ms sleep can last much longer, and a drag
   * slower than the speed window (100 ms) is not the one meant: again. */
  for (int attempt = 0; attempt < 10; attempt++)
    {
      ngam_viewport_set_center (viewport (), cx, cy);
      g_signal_emit_by_name (pan, "drag-begin", 300.0, 300.0);
      t0 = g_get_monotonic_time ();
      for (int i = 1; i <= 8; i++)
        {
          g_usleep (10000);
          g_signal_emit_by_name (pan, "drag-update", 20.0 * i, 0.0);
          t1 = g_get_monotonic_time ();
        }
      g_signal_emit_by_name (pan, "drag-end", 160.0, 0.0);
      end_x = ngam_viewport_get_center_x (viewport ());
      if (t1 - t0 < 95000 && g_get_monotonic_time () - t1 < 20000)
        break;
      g_test_message ("drag took %.0f ms: again", (t1 - t0) / 1e3);
      g_signal_emit_by_name (pan, "drag-begin", 300.0, 300.0);   /* stops any glide */
      g_signal_emit_by_name (pan, "drag-end", 0.0, 0.0);
    }
  g_assert_cmpint (t1 - t0, <, 95000);
  g_assert_true (ngam_map_view_get_gliding (map ()));
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (ngam_map_view_get_gliding (map ()) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (ngam_map_view_get_gliding (map ()));
  speed = 160 / ((t1 - t0) / 1e6);
  glide = (end_x - ngam_viewport_get_center_x (viewport ())) / scale;
  g_test_message ("let go at %.0f px/s: glided %.1f px (speed × 0.325 s = %.1f px)", speed, glide, speed * 0.325);
  g_assert_cmpfloat (end_x, ==, cx - 160 * scale);
  g_assert_cmpfloat (glide, >, 0.8 * speed * 0.325);
  g_assert_cmpfloat (glide, <, 1.05 * speed * 0.325);
  g_assert_cmpfloat_with_epsilon (ngam_viewport_get_center_y (viewport ()), cy, 1e-9);

  /* Another glide, stopped by a press after a few frames. */
  g_signal_emit_by_name (pan, "drag-begin", 300.0, 300.0);
  for (int i = 1; i <= 8; i++)
    {
      g_usleep (10000);
      g_signal_emit_by_name (pan, "drag-update", 20.0 * i, 0.0);
    }
  g_signal_emit_by_name (pan, "drag-end", 160.0, 0.0);
  g_assert_true (ngam_map_view_get_gliding (map ()));
  for (int i = 0; i < 3; i++)
    {
      g_usleep (20000);
      iterate_a_little ();
    }
  g_signal_emit_by_name (pan, "drag-begin", 300.0, 300.0);
  g_assert_false (ngam_map_view_get_gliding (map ()));
  end_x = ngam_viewport_get_center_x (viewport ());
  g_signal_emit_by_name (pan, "drag-end", 0.0, 0.0);
  g_assert_false (ngam_map_view_get_gliding (map ()));
  g_usleep (50000);
  iterate_a_little ();
  g_assert_cmpfloat (ngam_viewport_get_center_x (viewport ()), ==, end_x);

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  ngam_viewport_set_center (viewport (), cx, cy);
  wait_for_map (map ());
}

/* Draw a span by clicking two poles, a little off each: the snap ring
 * shows on the pole, the span in the file starts and ends exactly on the
 * poles' coordinates and refers to them; the map redraws only the tiles
 * it touches.  Undo removes it from the file, redo restores it, and both
 * survive closing and reopening the project. */
static void
test_draw_span (void)
{
  NgamEditLayer *edit = ngam_window_get_edit_layer (window);
  g_autoptr(NgamFeature) span = NULL, gone = NULL, back = NULL;
  g_autoptr(Image) img = NULL;
  double ax, ay, bx, by, sx, sy, scale;
  gint64 snapped = 0, fid;
  guint64 rendered, stale;
  guint n_sel;
  const NgamFeatureRef *sel;
  int from = ngam_layer_field_index (NGAM_LAYER_SPANS, "from_pole");
  int to = ngam_layer_field_index (NGAM_LAYER_SPANS, "to_pole");
  Pole a, b;

  two_poles (&a, &b);
  scale = hypot (b.x - a.x, b.y - a.y) / 300;
  look_at ((a.x + b.x) / 2, (a.y + b.y) / 2, scale);
  ngam_edit_layer_set_tool (edit, NGAM_EDIT_TOOL_DRAW_SPAN);

  to_widget (a.x, a.y, &ax, &ay);
  to_widget (b.x, b.y, &bx, &by);
  motion (ax + 4, ay - 3);
  g_assert_true (ngam_edit_layer_get_snap (edit, &sx, &sy, &snapped));
  g_assert_cmpint (snapped, ==, a.fid);
  g_assert_cmpfloat (sx, ==, a.x);
  g_assert_cmpfloat (sy, ==, a.y);
  click (ax + 4, ay - 3);
  g_assert_cmpint (ngam_edit_layer_get_span_start (edit), ==, a.fid);
  /* The map did not pan with the click. */
  g_assert_cmpfloat_with_epsilon (ngam_viewport_get_center_x (viewport ()), (a.x + b.x) / 2, 1e-6);

  motion (bx - 3, by + 5);
  g_assert_true (ngam_edit_layer_get_snap (edit, &sx, &sy, &snapped));
  g_assert_cmpint (snapped, ==, b.fid);
  if (g_getenv ("NGAM_SCREENSHOT"))
    {
      g_autoptr(Image) shot = render_widget (GTK_WIDGET (window));

      save_png (shot, g_getenv ("NGAM_SCREENSHOT"));
    }
  rendered = ngam_map_view_get_n_rendered (map ());
  stale = ngam_map_view_get_n_stale (map ());
  click (bx - 3, by + 5);
  g_assert_cmpint (ngam_edit_layer_get_span_start (edit), ==, 0);

  sel = ngam_edit_layer_get_selection (edit, &n_sel);
  g_assert_cmpuint (n_sel, ==, 1);
  g_assert_cmpint (sel[0].kind, ==, NGAM_LAYER_SPANS);
  fid = sel[0].fid;
  span = read_from_file (NGAM_LAYER_SPANS, fid);
  g_assert_nonnull (span);
  g_assert_cmpuint (span->shape->n_points, ==, 2);
  g_assert_cmpfloat (span->shape->xy[0], ==, a.x);
  g_assert_cmpfloat (span->shape->xy[1], ==, a.y);
  g_assert_cmpfloat (span->shape->xy[2], ==, b.x);
  g_assert_cmpfloat (span->shape->xy[3], ==, b.y);
  g_assert_cmpint (ngam_feature_get_int (span, from), ==, a.fid);
  g_assert_cmpint (ngam_feature_get_int (span, to), ==, b.fid);

  /* Only the tiles under the span were redrawn: a few of the screen's. */
  wait_for_map (map ());
  g_test_message ("span %" G_GINT64_FORMAT ": %" G_GUINT64_FORMAT " tiles marked stale, %" G_GUINT64_FORMAT
                  " redrawn", fid, ngam_map_view_get_n_stale (map ()) - stale,
                  ngam_map_view_get_n_rendered (map ()) - rendered);
  g_assert_cmpuint (ngam_map_view_get_n_stale (map ()) - stale, >=, 1);
  g_assert_cmpuint (ngam_map_view_get_n_rendered (map ()) - rendered, >=, 1);
  g_assert_cmpuint (ngam_map_view_get_n_rendered (map ()) - rendered, <=, 6);
  img = render_widget (GTK_WIDGET (window));
  g_assert_nonnull (img);

  /* Undo, redo. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  gone = read_from_file (NGAM_LAYER_SPANS, fid);
  g_assert_null (gone);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL));
  back = read_from_file (NGAM_LAYER_SPANS, fid);
  g_assert_nonnull (back);
  g_assert_true (ngam_shape_equal (back->shape, span->shape));

  /* Across a restart: undo, reopen, the span is still gone; redo, reopen,
   * it is back. */
  reopen ();
  g_assert_true (ngam_project_get_can_undo (ngam_window_get_project (window)));
  g_assert_true (g_str_has_prefix (ngam_project_get_undo_label (ngam_window_get_project (window)), "Add span"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  reopen ();
  g_clear_pointer (&gone, ngam_feature_free);
  gone = read_from_file (NGAM_LAYER_SPANS, fid);
  g_assert_null (gone);
  g_assert_true (ngam_project_get_can_redo (ngam_window_get_project (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL));
  reopen ();
  g_clear_pointer (&back, ngam_feature_free);
  back = read_from_file (NGAM_LAYER_SPANS, fid);
  g_assert_nonnull (back);
  g_assert_true (ngam_shape_equal (back->shape, span->shape));
}

/* Drag a pole with the Move tool: it lands where it was dropped, every
 * span on it follows, and the map does not pan under the drag. */
static void
test_move_pole (void)
{
  NgamEditLayer *edit = ngam_window_get_edit_layer (window);
  g_autoptr(NgamFeature) moved = NULL;
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (gint64));
  double px, py, cx, cy, scale, box[4];
  Pole a, b;

  two_poles (&a, &b);
  box[0] = box[2] = a.x;
  box[1] = box[3] = a.y;
  {
    g_autoptr(NgamStoreCursor) cur = ngam_store_query (store (), NGAM_LAYER_SPANS, box, NGAM_QUERY_SHAPE_ONLY, NULL);

    while (ngam_store_cursor_next (cur, NULL))
      g_array_append_val (spans, ngam_store_cursor_get (cur)->fid);
  }
  g_test_message ("pole %" G_GINT64_FORMAT " has %u spans", a.fid, spans->len);
  g_assert_cmpuint (spans->len, >=, 1);   /* the span drawn above at least */

  look_at (a.x, a.y, 0.5);
  scale = ngam_viewport_get_scale (viewport ());
  cx = ngam_viewport_get_center_x (viewport ());
  cy = ngam_viewport_get_center_y (viewport ());
  ngam_edit_layer_set_tool (edit, NGAM_EDIT_TOOL_MOVE);
  to_widget (a.x, a.y, &px, &py);
  press ("ngam-edit-click", px + 2, py + 1);
  drag (px + 2, py + 1, 40, 20);
  g_assert_cmpfloat (ngam_viewport_get_center_x (viewport ()), ==, cx);
  g_assert_cmpfloat (ngam_viewport_get_center_y (viewport ()), ==, cy);

  moved = read_from_file (NGAM_LAYER_POLES, a.fid);
  g_assert_cmpfloat_with_epsilon (moved->shape->xy[0], a.x + 40 * scale, 1e-6);
  g_assert_cmpfloat_with_epsilon (moved->shape->xy[1], a.y - 20 * scale, 1e-6);
  for (guint i = 0; i < spans->len; i++)
    {
      g_autoptr(NgamFeature) s = read_from_file (NGAM_LAYER_SPANS, g_array_index (spans, gint64, i));
      const double *xy = s->shape->xy;
      guint n = s->shape->n_points;
      gboolean first = xy[0] == moved->shape->xy[0] && xy[1] == moved->shape->xy[1];
      gboolean last = xy[2 * n - 2] == moved->shape->xy[0] && xy[2 * n - 1] == moved->shape->xy[1];

      if (!first && !last)
        g_error ("span %" G_GINT64_FORMAT " did not follow its pole to (%.3f, %.3f)",
                 s->fid, moved->shape->xy[0], moved->shape->xy[1]);
    }
  g_assert_true (g_str_has_prefix (ngam_project_get_undo_label (ngam_window_get_project (window)), "Move pole"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_clear_pointer (&moved, ngam_feature_free);
  moved = read_from_file (NGAM_LAYER_POLES, a.fid);
  g_assert_cmpfloat (moved->shape->xy[0], ==, a.x);
  ngam_edit_layer_set_tool (edit, NGAM_EDIT_TOOL_SELECT);
}

/* Click a pole: the inspector shows it; a height that is not a number is
 * refused with a message naming what the field takes, and the file keeps
 * its value; a good one is written, undoably. */
static void
test_inspector (void)
{
  NgamInspector *inspector = ngam_window_get_inspector (window);
  g_autoptr(NgamFeature) before = NULL, after = NULL;
  int height = ngam_layer_field_index (NGAM_LAYER_POLES, "height_m");
  GtkWidget *row;
  double px, py;
  guint n;
  Pole a, b;

  two_poles (&a, &b);
  look_at (a.x, a.y, 0.5);
  ngam_edit_layer_set_tool (ngam_window_get_edit_layer (window), NGAM_EDIT_TOOL_SELECT);
  to_widget (a.x, a.y, &px, &py);
  click (px, py);
  ngam_edit_layer_get_selection (ngam_window_get_edit_layer (window), &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->sidebar_stack), ==, "feature");
  before = read_from_file (NGAM_LAYER_POLES, a.fid);

  row = ngam_inspector_get_row (inspector, "height_m");
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), "tall");
  g_signal_emit_by_name (row, "apply");
  g_assert_nonnull (ngam_inspector_get_message (inspector));
  g_test_message ("refused: %s", ngam_inspector_get_message (inspector));
  g_assert_nonnull (strstr (ngam_inspector_get_message (inspector), "number"));
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  after = read_from_file (NGAM_LAYER_POLES, a.fid);
  g_assert_cmpint (ngam_feature_is_null (after, height), ==, ngam_feature_is_null (before, height));
  if (!ngam_feature_is_null (before, height))
    g_assert_cmpfloat (ngam_feature_get_real (after, height), ==, ngam_feature_get_real (before, height));

  gtk_editable_set_text (GTK_EDITABLE (row), "9.5");
  g_signal_emit_by_name (row, "apply");
  g_assert_null (ngam_inspector_get_message (inspector));
  g_clear_pointer (&after, ngam_feature_free);
  after = read_from_file (NGAM_LAYER_POLES, a.fid);
  g_assert_cmpfloat (ngam_feature_get_real (after, height), ==, 9.5);
  g_assert_true (g_str_has_prefix (ngam_project_get_undo_label (ngam_window_get_project (window)), "Edit height_m"));
  /* as a Vietnamese planner writes it, with a decimal comma (the rows
   * are built again after an edit) */
  row = ngam_inspector_get_row (inspector, "height_m");
  gtk_editable_set_text (GTK_EDITABLE (row), "10,5");
  g_signal_emit_by_name (row, "apply");
  g_assert_null (ngam_inspector_get_message (inspector));
  g_clear_pointer (&after, ngam_feature_free);
  after = read_from_file (NGAM_LAYER_POLES, a.fid);
  g_assert_cmpfloat (ngam_feature_get_real (after, height), ==, 10.5);
  /* two commas are no number */
  row = ngam_inspector_get_row (inspector, "height_m");
  gtk_editable_set_text (GTK_EDITABLE (row), "1,0,5");
  g_signal_emit_by_name (row, "apply");
  g_assert_nonnull (strstr (ngam_inspector_get_message (inspector), "number"));
  g_clear_pointer (&after, ngam_feature_free);
  after = read_from_file (NGAM_LAYER_POLES, a.fid);
  g_assert_cmpfloat (ngam_feature_get_real (after, height), ==, 10.5);

  /* A status not on the list is refused too. */
  row = ngam_inspector_get_row (inspector, "status");
  gtk_editable_set_text (GTK_EDITABLE (row), "leaning");
  g_signal_emit_by_name (row, "apply");
  g_assert_nonnull (strstr (ngam_inspector_get_message (inspector), "active, planned, removed"));
}

static void
wait_dialog (NgamImportDialog *dialog)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (ngam_import_dialog_get_busy (dialog))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  iterate_a_little ();
}

static gint64
poles_in_file (void)
{
  g_autoptr(NgamStore) other = ngam_store_open (project, NGAM_STORE_OPEN_READ_ONLY, NULL);

  return ngam_store_count (other, NGAM_LAYER_POLES, NULL);
}

static void
on_finished (NgamImportDialog *dialog, gboolean *flag)
{
  *flag = TRUE;
}

/* Writes @n points around the project's centre as a shapefile, in the
 * project CRS with a .prj, or in WGS 84 lon/lat without one. */
static char *
write_points (const char *name, guint n, gboolean with_prj)
{
  g_autofree char *dir = g_path_get_dirname (project);
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(NgamStore) store = ngam_store_open (project, NGAM_STORE_OPEN_READ_ONLY, NULL);
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
  GDALDriverH drv = GDALGetDriverByName ("ESRI Shapefile");
  GDALDatasetH ds;
  OGRLayerH layer;
  double box[4];

  g_assert_nonnull (store);
  g_assert_true (ngam_store_get_extent (store, NGAM_LAYER_POLES, box, NULL));
  OSRSetAxisMappingStrategy (srs, OAMS_TRADITIONAL_GIS_ORDER);
  g_assert_cmpint (OSRSetFromUserInput (srs, ngam_store_get_crs (store)), ==, OGRERR_NONE);
  ds = GDALCreate (drv, path, 0, 0, 0, GDT_Unknown, NULL);
  g_assert_nonnull (ds);
  layer = GDALDatasetCreateLayer (ds, "points", with_prj ? srs : NULL, wkbPoint, NULL);
  for (guint i = 0; i < n; i++)
    {
      OGRFeatureH f = OGR_F_Create (OGR_L_GetLayerDefn (layer));
      OGRGeometryH g = OGR_G_CreateGeometry (wkbPoint);
      double x = (box[0] + box[2]) / 2 + 10.0 * i, y = (box[1] + box[3]) / 2;

      if (!with_prj)
        {
          /* the same place in lon/lat, as a GPS file would have it */
          OGRSpatialReferenceH wgs = OSRNewSpatialReference (NULL);
          OGRCoordinateTransformationH ct;

          OSRSetAxisMappingStrategy (wgs, OAMS_TRADITIONAL_GIS_ORDER);
          OSRImportFromEPSG (wgs, 4326);
          ct = OCTNewCoordinateTransformation (srs, wgs);
          g_assert_true (OCTTransform (ct, 1, &x, &y, NULL));
          OCTDestroyCoordinateTransformation (ct);
          OSRRelease (wgs);
        }
      OGR_G_SetPoint_2D (g, 0, x, y);
      OGR_F_SetGeometryDirectly (f, g);
      g_assert_cmpint (OGR_L_CreateFeature (layer, f), ==, OGRERR_NONE);
      OGR_F_Destroy (f);
    }
  GDALClose (ds);
  OSRRelease (srs);
  return path;
}

/* The import dialog: a shapefile of the shared corpus that lies far from
 * the project (the mbostock test points, near 0° E) is refused in the
 * dialog, naming why, and Import stays off.  Then on a shapefile with a
 * .prj: the preview (a dry run) reads its CRS and encoding and counts 9
 * points without writing; Import writes them, and the map is told.  On
 * one without a .prj, Import stays off and the CRS is asked for; given,
 * it imports. */
static void
test_import_dialog (void)
{
  g_autofree char *far = ngam_test_shared_path ("shapefile-corpus/mbostock_shapefile/test/points.shp");
  g_autofree char *with_prj = write_points ("points-prj.shp", 9, TRUE);
  g_autofree char *without = write_points ("points-lonlat.shp", 1, FALSE);
  g_autoptr(GFile) f0 = g_file_new_for_path (far);
  g_autoptr(GFile) f1 = g_file_new_for_path (with_prj);
  g_autoptr(GFile) f2 = g_file_new_for_path (without);
  NgamImportDialog *dialog;
  const NgamImportReport *r;
  gint64 before = poles_in_file ();
  guint64 stale = ngam_map_view_get_n_stale (map ());
  gboolean finished = FALSE;

  dialog = ngam_import_dialog_new (GTK_WINDOW (window), ngam_window_get_project (window));
  gtk_window_present (GTK_WINDOW (dialog));
  ngam_import_dialog_set_kind (dialog, NGAM_LAYER_POLES);
  gtk_editable_set_text (GTK_EDITABLE (ngam_import_dialog_get_row (dialog, "operator")), "FPT");
  ngam_import_dialog_add_file (dialog, f0);
  wait_dialog (dialog);
  g_assert_false (ngam_import_dialog_can_import (dialog));
  g_assert_error ((GError *) ngam_import_dialog_get_error (dialog), NGAM_IO_ERROR, NGAM_IO_ERROR_COORDINATES);
  g_assert_nonnull (strstr (ngam_import_dialog_get_error (dialog)->message, "far outside"));
  g_assert_cmpint (poles_in_file (), ==, before);
  gtk_window_destroy (GTK_WINDOW (dialog));
  iterate_a_little ();

  dialog = ngam_import_dialog_new (GTK_WINDOW (window), ngam_window_get_project (window));
  g_signal_connect (dialog, "finished", G_CALLBACK (on_finished), &finished);
  gtk_window_present (GTK_WINDOW (dialog));
  ngam_import_dialog_set_kind (dialog, NGAM_LAYER_POLES);
  gtk_editable_set_text (GTK_EDITABLE (ngam_import_dialog_get_row (dialog, "operator")), "FPT");
  ngam_import_dialog_add_file (dialog, f1);
  wait_dialog (dialog);
  r = ngam_import_dialog_get_report (dialog);
  g_assert_nonnull (r);
  g_assert_true (r->dry_run);
  g_assert_cmpint (r->added, ==, 9);
  g_assert_nonnull (((NgamImportSourceReport *) r->sources->pdata[0])->crs);
  g_assert_false (gtk_widget_get_visible (ngam_import_dialog_get_row (dialog, "crs")));
  if (g_getenv ("NGAM_SCREENSHOT_IMPORT"))
    {
      g_autoptr(Image) shot = render_widget (GTK_WIDGET (dialog));

      save_png (shot, g_getenv ("NGAM_SCREENSHOT_IMPORT"));
    }
  g_assert_cmpint (poles_in_file (), ==, before);   /* the preview wrote nothing */
  g_assert_true (ngam_import_dialog_can_import (dialog));
  ngam_import_dialog_import (dialog);
  wait_dialog (dialog);
  g_assert_true (finished);
  r = ngam_import_dialog_get_report (dialog);
  g_assert_false (r->dry_run);
  g_assert_cmpint (r->added, ==, 9);
  g_assert_cmpint (poles_in_file (), ==, before + 9);
  g_assert_false (ngam_import_dialog_can_import (dialog));   /* done */
  /* The poles layer changed anywhere: its tiles were marked.  (Another
   * file of FPT's would be a newer inventory of FPT's, replacing these:
   * the next import is another operator's.) */
  g_assert_cmpuint (ngam_map_view_get_n_stale (map ()), >, stale);
  gtk_window_destroy (GTK_WINDOW (dialog));
  iterate_a_little ();

  finished = FALSE;
  dialog = ngam_import_dialog_new (GTK_WINDOW (window), ngam_window_get_project (window));
  g_signal_connect (dialog, "finished", G_CALLBACK (on_finished), &finished);
  gtk_window_present (GTK_WINDOW (dialog));
  ngam_import_dialog_set_kind (dialog, NGAM_LAYER_POLES);
  gtk_editable_set_text (GTK_EDITABLE (ngam_import_dialog_get_row (dialog, "operator")), "SCTV");
  ngam_import_dialog_add_file (dialog, f2);
  wait_dialog (dialog);
  g_assert_false (ngam_import_dialog_can_import (dialog));
  g_assert_error ((GError *) ngam_import_dialog_get_error (dialog), NGAM_IO_ERROR, NGAM_IO_ERROR_NO_CRS);
  g_test_message ("asked: %s", ngam_import_dialog_get_error (dialog)->message);
  g_assert_true (gtk_widget_get_visible (ngam_import_dialog_get_row (dialog, "crs")));
  gtk_editable_set_text (GTK_EDITABLE (ngam_import_dialog_get_row (dialog, "crs")), "EPSG:4326");
  wait_dialog (dialog);
  g_assert_true (ngam_import_dialog_can_import (dialog));
  ngam_import_dialog_import (dialog);
  wait_dialog (dialog);
  g_assert_true (finished);
  g_assert_cmpint (ngam_import_dialog_get_report (dialog)->added, ==, 1);
  g_assert_cmpint (poles_in_file (), ==, before + 10);
  gtk_window_destroy (GTK_WINDOW (dialog));
  iterate_a_little ();
}

static void
wait_table (NgamAttributeTable *table)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  iterate_a_little ();
  while (ngam_attribute_table_get_loading (table))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  iterate_a_little ();
}

/* The attribute table lists every pole; sorted by id descending its first
 * row is the newest pole; the search keeps FPT's poles only (as many as
 * the file has); a row selected selects the pole on the map, and a pole
 * selected on the map selects its row. */
static void
test_attribute_table (void)
{
  NgamAttributeTable *table = window->attribute_table;
  GtkSelectionModel *model = ngam_attribute_table_get_model (table);
  GtkColumnView *view = ngam_attribute_table_get_view (table);
  g_autoptr(GtkColumnViewColumn) id_column = NULL;
  g_autoptr(NgamStoreCursor) cur = NULL;
  g_autoptr(GtkBitset) selected = NULL;
  NgamEditLayer *edit = ngam_window_get_edit_layer (window);
  gint64 n_poles = 0, n_fpt = 0, max_fid = 0;
  const NgamFeatureRef *refs;
  guint n;

  cur = ngam_store_query (store (), NGAM_LAYER_POLES, NULL, NGAM_QUERY_SHAPE_ONLY, NULL);
  while (ngam_store_cursor_next (cur, NULL))
    {
      const NgamFeature *f = ngam_store_cursor_get (cur);

      n_poles++;
      n_fpt += g_strcmp0 (f->operator_name, "FPT") == 0;
      max_fid = MAX (max_fid, f->fid);
    }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-table", NULL));
  ngam_attribute_table_set_kind (table, NGAM_LAYER_POLES);
  wait_table (table);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n_poles);

  id_column = g_list_model_get_item (gtk_column_view_get_columns (view), 0);
  gtk_column_view_sort_by_column (view, id_column, GTK_SORT_DESCENDING);
  iterate_a_little ();
  g_assert_cmpint (ngam_attribute_table_get_fid (table, 0), ==, max_fid);

  gtk_editable_set_text (ngam_attribute_table_get_search (table), "FPT");
  /* The search entry waits a little before it says it changed. */
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (g_list_model_get_n_items (G_LIST_MODEL (model)) != (guint) n_fpt)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
  }
  g_test_message ("%" G_GINT64_FORMAT " poles, %" G_GINT64_FORMAT " of FPT", n_poles, n_fpt);
  g_assert_cmpint (n_fpt, >, 0);

  gtk_selection_model_select_item (model, 0, TRUE);
  refs = ngam_edit_layer_get_selection (edit, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (refs[0].kind, ==, NGAM_LAYER_POLES);
  g_assert_cmpint (refs[0].fid, ==, ngam_attribute_table_get_fid (table, 0));

  {
    NgamFeatureRef ref = { NGAM_LAYER_POLES, ngam_attribute_table_get_fid (table, 1) };

    ngam_edit_layer_set_selection (edit, &ref, 1);
  }
  selected = gtk_selection_model_get_selection (model);
  g_assert_cmpuint (gtk_bitset_get_size (selected), ==, 1);
  g_assert_true (gtk_bitset_contains (selected, 1));
  gtk_editable_set_text (ngam_attribute_table_get_search (table), "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-table", NULL));
  iterate_a_little ();
}

static guint
map_pixels_differing (const Image *a, const Image *b)
{
  guint n = 0;

  for (int y = 0; y < MIN (a->height, b->height); y++)
    for (int x = 0; x < MIN (a->width, b->width); x++)
      if (distance (pixel (a, x, y), pixel (b, x, y)) > 0.02)
        n++;
  return n;
}

static int
position_of (const NgamLayerKind *order, NgamLayerKind kind)
{
  for (int i = 0; i < NGAM_N_LAYERS; i++)
    if (order[i] == kind)
      return i;
  return -1;
}

/* The layers panel fades the streets (the map changes, no layer is drawn
 * anew but the streets' group) and moves the poles under the spans; both
 * are kept in the project's styles and come back when it is reopened. */
static void
test_layer_styles (void)
{
  NgamLayerList *list = ngam_window_get_layer_list (window);
  g_autoptr(Image) before = NULL, faded = NULL;
  g_autoptr(NgamStore) other = NULL;
  g_autofree char *style = NULL;
  int poles_at;
  Pole a, b;

  two_poles (&a, &b);
  look_at (a.x, a.y, 1.0);
  before = render_widget (GTK_WIDGET (map ()));
  gtk_range_set_value (GTK_RANGE (ngam_layer_list_get_opacity_scale (list, NGAM_LAYER_STREETS)), 0.3);
  g_assert_cmpfloat_with_epsilon (ngam_map_view_get_layer_opacity (map (), NGAM_LAYER_STREETS), 0.3, 1e-9);
  wait_for_map (map ());
  faded = render_widget (GTK_WIDGET (map ()));
  g_test_message ("streets at 30 %%: %u pixels changed", map_pixels_differing (before, faded));
  g_assert_cmpuint (map_pixels_differing (before, faded), >, 1000);

  poles_at = position_of (ngam_map_view_get_layer_order (map ()), NGAM_LAYER_POLES);
  ngam_layer_list_move (list, NGAM_LAYER_POLES, -1);
  g_assert_cmpint (position_of (ngam_map_view_get_layer_order (map ()), NGAM_LAYER_POLES), ==, poles_at - 1);
  g_assert_cmpint (position_of (ngam_layer_list_get_order (list), NGAM_LAYER_POLES), ==, poles_at - 1);

  other = ngam_store_open (project, NGAM_STORE_OPEN_READ_ONLY, NULL);
  style = ngam_store_dup_style (other, "streets", NULL);
  g_assert_nonnull (style);
  g_test_message ("streets style: %s", style);
  g_assert_nonnull (strstr (style, "opacity=0.30"));

  reopen ();
  list = ngam_window_get_layer_list (window);
  g_assert_cmpfloat_with_epsilon (ngam_layer_list_get_opacity (list, NGAM_LAYER_STREETS), 0.3, 1e-9);
  g_assert_cmpfloat_with_epsilon (ngam_map_view_get_layer_opacity (map (), NGAM_LAYER_STREETS), 0.3, 1e-9);
  g_assert_cmpint (position_of (ngam_map_view_get_layer_order (map ()), NGAM_LAYER_POLES), ==, poles_at - 1);

  /* Back as they were, for the tests after. */
  gtk_range_set_value (GTK_RANGE (ngam_layer_list_get_opacity_scale (list, NGAM_LAYER_STREETS)), 1.0);
  ngam_layer_list_move (list, NGAM_LAYER_POLES, 1);
  g_assert_cmpint (position_of (ngam_map_view_get_layer_order (map ()), NGAM_LAYER_POLES), ==, poles_at);
  wait_for_map (map ());
}

static double
segment_distance (double px, double py, const double *xy)
{
  double dx = xy[2] - xy[0], dy = xy[3] - xy[1], len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? CLAMP (((px - xy[0]) * dx + (py - xy[1]) * dy) / len2, 0, 1) : 0;

  return hypot (px - xy[0] - t * dx, py - xy[1] - t * dy);
}

/* Spans coloured by cable type from the layers panel: a span alone on its
 * street turns from its operator's colour to its cable type's; the field
 * is kept in the project's style, the legend counts the values as the
 * store does, and both come back when the project is reopened. */
static void
test_colour_by (void)
{
  NgamLayerList *list = ngam_window_get_layer_list (window);
  GtkWidget *dropdown = ngam_layer_list_get_colour_by_dropdown (list, NGAM_LAYER_SPANS);
  g_autoptr(GArray) segs = g_array_new (FALSE, FALSE, sizeof (double) * 4);
  g_autoptr(GPtrArray) types = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) want = NULL;
  g_autoptr(NgamStoreCursor) cur = NULL;
  g_autoptr(NgamStore) other = NULL;
  g_autofree char *style = NULL;
  g_autoptr(Image) before = NULL, after = NULL;
  GListModel *names;
  double box[4], op[3], cat[3], mx = 0, my = 0, px, py;
  int type_i = ngam_layer_field_index (NGAM_LAYER_SPANS, "cable_type");
  guint pos = 0, chosen = G_MAXUINT;
  Pole a, b;

  g_assert_nonnull (dropdown);
  g_assert_null (ngam_layer_list_get_colour_by_dropdown (list, NGAM_LAYER_STREETS));
  names = gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown));
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "cable_type"))
      pos = i;
  g_assert_cmpuint (pos, >, 0);

  /* A span of the town's middle with nothing else within 6 m of its
   * midpoint, whose type and operator colours tell apart. */
  two_poles (&a, &b);
  box[0] = a.x - 400, box[1] = a.y - 400, box[2] = a.x + 400, box[3] = a.y + 400;
  cur = ngam_store_query (store (), NGAM_LAYER_SPANS, box, NGAM_QUERY_DEFAULT, NULL);
  while (ngam_store_cursor_next (cur, NULL))
    {
      const NgamFeature *f = ngam_store_cursor_get (cur);
      double xy[4] = { f->shape->xy[0], f->shape->xy[1], f->shape->xy[2], f->shape->xy[3] };

      g_array_append_vals (segs, xy, 1);
      g_ptr_array_add (types, ngam_feature_is_null (f, type_i) ? NULL : g_strdup (ngam_feature_get_text (f, type_i)));
      g_ptr_array_add (ops, g_strdup (f->operator_name));
    }
  /* The window's connection goes when the project is reopened below. */
  g_clear_pointer (&cur, ngam_store_cursor_free);
  for (guint i = 0; i < segs->len && chosen == G_MAXUINT; i++)
    {
      const double *xy = &g_array_index (segs, double, 4 * i);
      double cx = (xy[0] + xy[2]) / 2, cy = (xy[1] + xy[3]) / 2;
      gboolean alone = hypot (xy[2] - xy[0], xy[3] - xy[1]) > 15;

      if (types->pdata[i] == NULL)
        continue;
      ngam_render_operator_rgb (ops->pdata[i], op);
      ngam_render_category_rgb (types->pdata[i], cat);
      if (distance (rgb3 (op), rgb3 (cat)) < 0.5)
        continue;
      for (guint j = 0; j < segs->len && alone; j++)
        if (j != i && segment_distance (cx, cy, &g_array_index (segs, double, 4 * j)) < 6)
          alone = FALSE;
      if (alone)
        chosen = i, mx = cx, my = cy;
    }
  g_assert_cmpuint (chosen, !=, G_MAXUINT);
  g_test_message ("span of %s, %s, at (%.1f, %.1f)", (char *) ops->pdata[chosen],
                  (char *) types->pdata[chosen], mx, my);
  ngam_render_operator_rgb (ops->pdata[chosen], op);
  ngam_render_category_rgb (types->pdata[chosen], cat);

  look_at (mx, my, 0.5);
  to_widget (mx, my, &px, &py);
  before = render_widget (GTK_WIDGET (map ()));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), pos);
  g_assert_cmpstr (ngam_layer_list_get_colour_by (list, NGAM_LAYER_SPANS), ==, "cable_type");
  g_assert_cmpstr (ngam_map_view_get_layer_colour_by (map (), NGAM_LAYER_SPANS), ==, "cable_type");
  wait_for_map (map ());
  after = render_widget (GTK_WIDGET (map ()));
  {
    /* The span's pixels, at 90 % over whatever is under it. */
    double best_before_op = 9, best_after_cat = 9, best_after_op = 9;

    for (int dy = -2; dy <= 2; dy++)
      for (int dx = -2; dx <= 2; dx++)
        {
          Rgb p0 = pixel (before, (int) px + dx, (int) py + dy), p1 = pixel (after, (int) px + dx, (int) py + dy);

          best_before_op = MIN (best_before_op, distance (p0, rgb3 (op)));
          best_after_cat = MIN (best_after_cat, distance (p1, rgb3 (cat)));
          best_after_op = MIN (best_after_op, distance (p1, rgb3 (op)));
        }
    g_test_message ("operator colour before %.2f; type colour after %.2f, operator after %.2f",
                    best_before_op, best_after_cat, best_after_op);
    g_assert_cmpfloat (best_before_op, <, 0.2);
    g_assert_cmpfloat (best_after_cat, <, 0.2);
    g_assert_cmpfloat (best_after_op, >, 0.3);
  }
  if (g_getenv ("NGAM_SCREENSHOT_STYLE"))
    save_png (after, g_getenv ("NGAM_SCREENSHOT_STYLE"));

  other = ngam_store_open (project, NGAM_STORE_OPEN_READ_ONLY, NULL);
  style = ngam_store_dup_style (other, "spans", NULL);
  g_test_message ("spans style: %s", style);
  g_assert_nonnull (strstr (style, "colour-by=cable_type"));

  /* The legend: the values the store holds, counted on a worker. */
  want = ngam_render_style_count_categories (other, NGAM_LAYER_SPANS, "cable_type", NULL, NULL);
  g_assert_nonnull (want);
  for (int i = 0; i < 500 && ngam_layer_list_get_n_categories (list, NGAM_LAYER_SPANS) == 0; i++)
    iterate_a_little ();
  g_assert_cmpuint (ngam_layer_list_get_n_categories (list, NGAM_LAYER_SPANS), ==, want->len);
  g_clear_pointer (&other, ngam_store_close);
  /* The menu with the legend, to be looked at. */
  if (g_getenv ("NGAM_SCREENSHOT_LEGEND"))
    {
      GtkWidget *popover = gtk_widget_get_ancestor (dropdown, GTK_TYPE_POPOVER);
      g_autoptr(Image) shot = NULL;

      gtk_popover_popup (GTK_POPOVER (popover));
      for (int i = 0; i < 50; i++)
        {
          iterate_a_little ();
          g_usleep (10000);
        }
      shot = render_widget (popover);
      save_png (shot, g_getenv ("NGAM_SCREENSHOT_LEGEND"));
      gtk_popover_popdown (GTK_POPOVER (popover));
    }

  reopen ();
  list = ngam_window_get_layer_list (window);
  g_assert_cmpstr (ngam_layer_list_get_colour_by (list, NGAM_LAYER_SPANS), ==, "cable_type");
  g_assert_cmpstr (ngam_map_view_get_layer_colour_by (map (), NGAM_LAYER_SPANS), ==, "cable_type");

  /* Back to the operators' colours, for the tests after. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (ngam_layer_list_get_colour_by_dropdown (list, NGAM_LAYER_SPANS)), 0);
  g_assert_null (ngam_map_view_get_layer_colour_by (map (), NGAM_LAYER_SPANS));
  other = ngam_store_open (project, NGAM_STORE_OPEN_READ_ONLY, NULL);
  g_clear_pointer (&style, g_free);
  style = ngam_store_dup_style (other, "spans", NULL);
  g_assert_null (strstr (style, "colour-by"));
  wait_for_map (map ());
}

static gboolean
labels_drawn (NgamResultLayer *layer)
{
  return !ngam_result_layer_get_loading (layer) && !ngam_map_view_get_loading (map ());
}

/* Runs the main loop until the result layer has drawn @some labels (or
 * none), for at most 60 s. */
static void
wait_for_labels (NgamResultLayer *layer,
                 gboolean         some)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!(labels_drawn (layer) && (ngam_result_layer_get_n_feature_labels (layer) > 0) == some))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the labels were not drawn in 60 s");
      iterate_a_little ();
      g_usleep (2000);
    }
}

/* Poles labelled by their number from the layers panel: the labels are
 * drawn beside the poles at street scale, kept in the project's style,
 * back after a reopen, and gone with the layer hidden. */
static void
test_labels (void)
{
  NgamLayerList *list = ngam_window_get_layer_list (window);
  GtkWidget *dropdown = ngam_layer_list_get_label_by_dropdown (list, NGAM_LAYER_POLES);
  NgamResultLayer *layer = ngam_window_get_result_layer (window);
  g_autoptr(Image) before = NULL, after = NULL;
  g_autoptr(NgamStore) other = NULL;
  g_autofree char *style = NULL;
  GListModel *names;
  guint pos = 0, changed;
  Pole a, b;

  g_assert_nonnull (dropdown);
  g_assert_null (ngam_layer_list_get_label_by_dropdown (list, NGAM_LAYER_STREETS));
  names = gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown));
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "code"))
      pos = i;
  g_assert_cmpuint (pos, >, 0);

  two_poles (&a, &b);
  look_at (a.x, a.y, 0.5);
  wait_for_labels (layer, FALSE);
  before = render_widget (GTK_WIDGET (map ()));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), pos);
  g_assert_cmpstr (ngam_layer_list_get_label_by (list, NGAM_LAYER_POLES), ==, "code");
  g_assert_cmpstr (ngam_result_layer_get_label_by (layer, NGAM_LAYER_POLES), ==, "code");
  wait_for_labels (layer, TRUE);
  g_test_message ("%d pole labels", ngam_result_layer_get_n_feature_labels (layer));
  g_assert_cmpint (ngam_result_layer_get_n_feature_labels (layer), >, 0);
  after = render_widget (GTK_WIDGET (map ()));
  changed = map_pixels_differing (before, after);
  g_test_message ("labels changed %u pixels", changed);
  g_assert_cmpuint (changed, >, 200);
  if (g_getenv ("NGAM_SCREENSHOT_LABELS"))
    save_png (after, g_getenv ("NGAM_SCREENSHOT_LABELS"));

  other = ngam_store_open (project, NGAM_STORE_OPEN_READ_ONLY, NULL);
  style = ngam_store_dup_style (other, "poles", NULL);
  g_assert_nonnull (strstr (style, "labels=code"));
  g_clear_pointer (&other, ngam_store_close);

  reopen ();
  list = ngam_window_get_layer_list (window);
  layer = ngam_window_get_result_layer (window);
  g_assert_cmpstr (ngam_layer_list_get_label_by (list, NGAM_LAYER_POLES), ==, "code");
  g_assert_cmpstr (ngam_result_layer_get_label_by (layer, NGAM_LAYER_POLES), ==, "code");

  /* Hidden poles, no pole labels. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (ngam_layer_list_get_toggle (list, NGAM_LAYER_POLES)), FALSE);
  wait_for_labels (layer, FALSE);
  g_assert_cmpint (ngam_result_layer_get_n_feature_labels (layer), ==, 0);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (ngam_layer_list_get_toggle (list, NGAM_LAYER_POLES)), TRUE);

  /* No labels again, for the tests after. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (ngam_layer_list_get_label_by_dropdown (list, NGAM_LAYER_POLES)), 0);
  g_assert_null (ngam_result_layer_get_label_by (layer, NGAM_LAYER_POLES));
  wait_for_map (map ());
}

/* What the map's overlays add to a frame.  A pan redraws everything in
 * the view, so under GSK's cairo renderer (the suite's, and a machine
 * without GPU's) no layer may hand GTK a texture node, which GTK 4.8
 * converts into a new surface a pixel at a time in every frame, nor a
 * cairo node the size of the view with nothing on it. */
static void
test_frame_nodes (void)
{
  NgamEditLayer *edit = ngam_window_get_edit_layer (window);
  NgamResultLayer *layer = ngam_window_get_result_layer (window);
  gboolean cairo = GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (GTK_NATIVE (window)));
  g_autoptr(GskRenderNode) empty = NULL, one = NULL, results = NULL, whole = NULL;
  graphene_rect_t b = GRAPHENE_RECT_INIT (0, 0, 0, 0);
  Pole a, c;

  two_poles (&a, &c);
  look_at (a.x, a.y, 0.5);
  wait_for_map (map ());
  ngam_edit_layer_set_selection (edit, NULL, 0);
  empty = snapshot_widget (GTK_WIDGET (edit));
  g_assert_cmpuint (count_nodes (empty, GSK_CAIRO_NODE, NULL), ==, 0);

  /* One pole selected: its halo, a few pixels square, and nothing else. */
  {
    NgamFeatureRef ref = { NGAM_LAYER_POLES, a.fid };

    ngam_edit_layer_set_selection (edit, &ref, 1);
  }
  one = snapshot_widget (GTK_WIDGET (edit));
  g_assert_cmpuint (count_nodes (one, GSK_CAIRO_NODE, &b), ==, 1);
  g_test_message ("one pole's selection: %.0f×%.0f px", b.size.width, b.size.height);
  g_assert_cmpfloat (b.size.width, >=, 14);
  g_assert_cmpfloat (b.size.width, <=, 30);
  g_assert_cmpfloat (b.size.height, <=, 30);
  ngam_edit_layer_set_selection (edit, NULL, 0);

  /* Street names on: the result layer draws a picture of the view. */
  ngam_result_layer_set_labels (layer, TRUE);
  for (int i = 0; i < 6000 && !(labels_drawn (layer) && ngam_result_layer_get_n_labels (layer) > 0); i++)
    {
      g_usleep (10000);
      iterate_a_little ();
    }
  g_assert_cmpint (ngam_result_layer_get_n_labels (layer), >, 0);
  /* The picture reaches beyond the view: a short pan shows it moved and
   * draws nothing new; a long one draws it again. */
  {
    guint64 drawn = ngam_result_layer_get_n_rendered (layer);

    ngam_viewport_pan (viewport (), 120, -80);
    g_assert_false (ngam_result_layer_get_loading (layer));
    wait_for_map (map ());
    g_assert_cmpuint (ngam_result_layer_get_n_rendered (layer), ==, drawn);
    ngam_viewport_pan (viewport (), -800, 0);
    g_assert_true (ngam_result_layer_get_loading (layer));
    for (int i = 0; i < 6000 && !labels_drawn (layer); i++)
      {
        g_usleep (10000);
        iterate_a_little ();
      }
    g_assert_cmpuint (ngam_result_layer_get_n_rendered (layer), ==, drawn + 1);
  }
  results = snapshot_widget (GTK_WIDGET (layer));
  whole = snapshot_widget (GTK_WIDGET (map ()));
  if (cairo)
    {
      g_assert_cmpuint (count_nodes (results, GSK_TEXTURE_NODE, NULL), ==, 0);
      g_assert_cmpuint (count_nodes (results, GSK_CAIRO_NODE, NULL), ==, 1);
      g_assert_cmpuint (count_nodes (whole, GSK_TEXTURE_NODE, NULL), ==, 0);
    }
  else
    g_assert_cmpuint (count_nodes (results, GSK_TEXTURE_NODE, NULL), ==, 1);
  ngam_result_layer_set_labels (layer, FALSE);
  wait_for_map (map ());
}

int
main (int argc, char **argv)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("LANGUAGE");
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  g_setenv ("GSETTINGS_SCHEMA_DIR", NGAM_TEST_SCHEMA_DIR, TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);
  gtk_init ();
  adw_init ();
  ngam_core_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  dir = ngam_test_tmpdir ();
  project = g_build_filename (dir, "hue-demo.ngam", NULL);
  status = ngam_test_run_batch (&out, &err, "sample", "--out", project, "--size", "300", NULL);
  if (status != 0)
    g_error ("ngam-batch sample failed (%d): %s", status, err);

  window = ngam_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  file = g_file_new_for_path (project);
  g_assert_true (ngam_window_open (window, file, &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_map (map ());

  g_test_add_func ("/editor/pixels-at-features", test_pixels_at_features);
  g_test_add_func ("/editor/gestures", test_gestures);
  g_test_add_func ("/editor/kinetic-pan", test_kinetic_pan);
  g_test_add_func ("/editor/draw-span", test_draw_span);
  g_test_add_func ("/editor/move-pole", test_move_pole);
  g_test_add_func ("/editor/inspector", test_inspector);
  g_test_add_func ("/editor/import-dialog", test_import_dialog);
  g_test_add_func ("/editor/attribute-table", test_attribute_table);
  g_test_add_func ("/editor/layer-styles", test_layer_styles);
  g_test_add_func ("/editor/colour-by", test_colour_by);
  g_test_add_func ("/editor/labels", test_labels);
  g_test_add_func ("/editor/frame-nodes", test_frame_nodes);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  iterate_a_little ();
  ngam_test_rmdir (dir);
  g_free (dir);
  g_free (project);
  return status;
}
