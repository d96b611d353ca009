/* ngam-report-map.c — a report's map: the plan over the town, and its furniture
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One map fills a box of the page: the map frame on the left, a panel on
 * the right with the legend at its top, then the scale (bar and ratio),
 * the CRS and the attribution at its foot; the north arrow sits in the
 * map's top right corner.  The same drawing goes into the PDF's A3 pages
 * and the HTML's SVG maps.  Units are points (1/72 in), so the ratio
 * printed (1:N) is true on paper.
 */
#define G_LOG_DOMAIN "ngam-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "ngam-render-results.h"
#include "ngam-report-private.h"
#include "ngam-report-map.h"
#include "ngam-zone.h"

#define TR(s) ngam_report_tr (data->lang, (s))

static void
text_at (cairo_t    *cr,
         const char *text,
         double      x,
         double      y,
         double      width,
         const char *font,
         double     *height)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &w, &h);
  cairo_move_to (cr, x, y);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  pango_cairo_show_layout (cr, layout);
  if (height != NULL)
    *height = (double) h / PANGO_SCALE;
  pango_font_description_free (desc);
  g_object_unref (layout);
}

/* @scale: the map's, so that its symbols are drawn as that map draws them. */
typedef void (*SwatchFunc) (cairo_t *cr, const char *a, const char *b, double scale, double x, double y,
                            double w, double h);

static void
result_swatch (cairo_t *cr, const char *layer, const char *value, double scale, double x, double y, double w,
               double h)
{
  ngam_render_result_swatch_at (cr, layer, value, scale, x, y, w, h);
}

static void
zone_swatch (cairo_t *cr, const char *zone, const char *unused, double scale, double x, double y, double w, double h)
{
  ngam_render_zone_swatch (cr, zone, x, y, w, h);
}

static void
festival_swatch (cairo_t *cr, const char *unused, const char *unused2, double scale, double x, double y, double w,
                 double h)
{
  ngam_render_festival_swatch (cr, x, y, w, h);
}

static void
layer_swatch (cairo_t *cr, const char *kind, const char *unused, double scale, double x, double y, double w, double h)
{
  NgamLayerKind k;

  if (ngam_layer_kind_from_name (kind, &k))
    ngam_render_legend_swatch (cr, k, x, y, w, h);
}

/* One line of the legend; returns the next line's top. */
static double
legend_item (cairo_t    *cr,
             double      scale,
             SwatchFunc  swatch,
             const char *a,
             const char *b,
             const char *label,
             double      x,
             double      y,
             double      width)
{
  double h;

  swatch (cr, a, b, scale, x, y, 22, 13);
  text_at (cr, label, x + 28, y, width - 28, NGAM_REPORT_FONT " 7.5", &h);
  return y + MAX (h, 13) + 3;
}

static double
draw_legend (NgamReportData        *data,
             const NgamReportMap   *map,
             const NgamRenderView  *view,
             const NgamRenderStats *drawn,
             cairo_t              *cr,
             double                x,
             double                y,
             double                width)
{
  double h;

  text_at (cr, TR (N_("Legend")), x, y, width, NGAM_REPORT_FONT " Bold 10", &h);
  y += h + 6;
  if (map->kind == NGAM_REPORT_MAP_METHOD)
    for (guint i = 0; i < data->methods->len; i++)
      {
        NgamReportRow *r = data->methods->pdata[i];
        NgamMethodFlags f = ngam_method_from_name (r->key);

        if (!(r->length_m > 0) || f == 0)
          continue;
        y = legend_item (cr, view->scale, result_swatch, "trench", r->key, TR (ngam_method_info (f)->title), x, y, width);
      }
  else
    for (guint i = 0; i < data->phases->len; i++)
      {
        NgamReportRow *r = data->phases->pdata[i];
        g_autofree char *key = g_strdup_printf ("%d", r->phase);
        /* The trench swatch says what it is; its label says when. */
        g_autofree char *label = ngam_report_phase_title (data->lang, r->phase, r->year);

        if (map->kind == NGAM_REPORT_MAP_PHASE && r->phase != map->phase)
          continue;
        y = legend_item (cr, view->scale, result_swatch, "trench", key, label, x, y, width);
      }
  if (map->kind == NGAM_REPORT_MAP_PHASE || map->kind == NGAM_REPORT_MAP_WARD)
    y = legend_item (cr, view->scale, result_swatch, "trench", "0", TR (N_("Trench, other phases or wards")), x, y, width);
  if (ngam_render_results_shows (view, "manhole"))
    y = legend_item (cr, view->scale, result_swatch, "manhole", NULL, TR (N_("Manhole")), x, y, width);
  if (ngam_render_results_shows (view, "handhole"))
    y = legend_item (cr, view->scale, result_swatch, "handhole", NULL, TR (N_("Handhole")), x, y, width);
  if (ngam_render_results_shows (view, "span_retired"))
    y = legend_item (cr, view->scale, result_swatch, "span_retired", NULL, TR (N_("Aerial span retired")), x, y,
                     width);
  if (ngam_render_results_shows (view, "pole_removed"))
    y = legend_item (cr, view->scale, result_swatch, "pole_removed", NULL, TR (N_("Pole to remove")), x, y, width);
  if (ngam_render_results_shows (view, "pole_freed"))
    y = legend_item (cr, view->scale, result_swatch, "pole_freed", NULL, TR (N_("Pole freed of telecom cable")), x, y, width);
  if (!ngam_render_results_shows (view, "pole_freed"))
    {
      /* Level of detail: say what this scale leaves out, and where it is. */
      text_at (cr, ngam_render_results_shows (view, "pole_removed")
                   ? TR (N_("Poles freed of telecom cable are drawn on the maps of 1:3,500 and larger."))
                   : ngam_render_results_shows (view, "manhole")
                   ? TR (N_("Handholes and poles are drawn on the maps of 1:7,500 and larger (the wards)."))
                   : TR (N_("Manholes and aerial spans retired are drawn on the maps of 1:50,000 and larger, "
                            "handholes and poles on those of 1:7,500 and larger (the wards)."))
               , x, y, width, NGAM_REPORT_FONT " Italic 7", &h);
      y += h + 3;
    }
  if (map->kind == NGAM_REPORT_MAP_GAPS)
    {
      y = legend_item (cr, view->scale, result_swatch, "gap_area", NULL, TR (N_("Coverage gap")), x, y, width);
      y = legend_item (cr, view->scale, result_swatch, "hazard", NULL, TR (N_("Hazard zone crossed")), x, y, width);
    }
  y += 4;
  y = legend_item (cr, view->scale, layer_swatch, "streets", NULL, TR (N_("Street")), x, y, width);
  /* what this map has: a festival street, an existing duct */
  if (drawn->festival > 0)
    y = legend_item (cr, view->scale, festival_swatch, NULL, NULL, TR (N_("Festival street (a priority)")), x, y,
                     width);
  if (drawn->drawn[NGAM_LAYER_DUCTS] > 0)
    y = legend_item (cr, view->scale, layer_swatch, "ducts", NULL, TR (N_("Existing duct")), x, y, width);
  if (drawn->zones & NGAM_ZONE_WATER)
    y = legend_item (cr, view->scale, zone_swatch, "water", NULL, TR (N_("River, moat, lake")), x, y, width);
  if (drawn->zones & NGAM_ZONE_HERITAGE)
    y = legend_item (cr, view->scale, zone_swatch, "heritage", NULL, TR (N_("Heritage zone")), x, y, width);
  if (drawn->zones & NGAM_ZONE_FLOOD)
    y = legend_item (cr, view->scale, zone_swatch, "flood", NULL, TR (N_("Flood zone")), x, y, width);
  if (drawn->zones & NGAM_ZONE_LANDSLIDE)
    y = legend_item (cr, view->scale, zone_swatch, "landslide", NULL, TR (N_("Landslide zone")), x, y, width);
  y = legend_item (cr, view->scale, layer_swatch, "admin", NULL, TR (N_("Ward boundary")), x, y, width);
  return y;
}

/* Fits @bbox (widened by 4 %) into the map frame. */
static void
fit_view (const double bbox[4], double width, double height, NgamRenderView *view)
{
  double bw = MAX (bbox[2] - bbox[0], 1.0) * 1.08, bh = MAX (bbox[3] - bbox[1], 1.0) * 1.08;

  view->center_x = (bbox[0] + bbox[2]) / 2;
  view->center_y = (bbox[1] + bbox[3]) / 2;
  /* Never closer than 1:2,500 on paper: a ward with one short trench is
   * still seen among its streets. */
  view->scale = MAX (MAX (bw / width, bh / height), 2500 * 25.4 / 72 / 1000);
  view->width = (int) floor (width);
  view->height = (int) floor (height);
}

/**
 * ngam_report_map_layout:
 *
 * Where the map's parts go in a box of @width × @height (the tests read
 * the page at these places).
 */
void
ngam_report_map_layout (double             width,
                        double             height,
                        NgamReportMapLayout *layout)
{
  layout->panel_width = MIN (210, width * 0.3);
  layout->map[0] = 0;
  layout->map[1] = 0;
  layout->map[2] = floor (width - layout->panel_width - 12);
  layout->map[3] = floor (height);
  layout->panel_x = layout->map[2] + 12;
  layout->legend_y = 4;
  layout->scale_bar_y = height - 86;
  layout->north[0] = layout->map[2] - 28;
  layout->north[1] = 34;
}

gboolean
ngam_report_draw_map (NgamReportData       *data,
                      const NgamReportMap  *map,
                      cairo_t              *cr,
                      double                width,
                      double                height,
                      GCancellable         *cancellable,
                      GError              **error)
{
  NgamReportMapLayout lay;
  NgamRenderView view;
  NgamRenderStats stats = { 0 };
  NgamRenderResults what = { data->plan->id, data->gaps != NULL ? data->gaps->id : 0,
                             NGAM_RENDER_RESULTS_BY_PHASE, -1, NULL, FALSE,
                             data->options->area == NULL ? data->extent : NULL };
  guint layers = NGAM_RENDER_LAYER (NGAM_LAYER_ZONES) | NGAM_RENDER_LAYER (NGAM_LAYER_STREETS) |
                 NGAM_RENDER_LAYER (NGAM_LAYER_ADMIN) | NGAM_RENDER_LAYER (NGAM_LAYER_DUCTS);
  double y, ratio, h, pw;
  g_autofree char *ratio_text = NULL, *crs_text = NULL, *n = NULL;
  g_autoptr(GTimer) timer = NULL;

  timer = g_timer_new ();
  ngam_report_map_layout (width, height, &lay);
  fit_view (map->bbox, lay.map[2], lay.map[3], &view);
  switch (map->kind)
    {
    case NGAM_REPORT_MAP_METHOD:
      what.mode = NGAM_RENDER_RESULTS_BY_METHOD;
      break;
    case NGAM_REPORT_MAP_PHASE:
      what.only_phase = map->phase;
      break;
    case NGAM_REPORT_MAP_WARD:
      what.only_ward = map->ward;
      break;
    case NGAM_REPORT_MAP_GAPS:
      what.gaps = TRUE;
      break;
    case NGAM_REPORT_MAP_OVERVIEW:
    default:
      if (data->options->area != NULL)
        what.only_ward = data->options->area;
      break;
    }

  cairo_save (cr);
  /* Every street down to the footways on a town's map; a province's
   * (smaller than 1:50,000) leaves out the minor ones as the desktop map
   * does, or they would merge into a grey smear. */
  if (!ngam_render_map (data->store, cr, &view, layers,
                        view.scale > 50000 * 25.4 / 72 / 1000 ? NGAM_RENDER_DEFAULT : NGAM_RENDER_NO_LOD, &stats,
                        cancellable, error))
    {
      cairo_restore (cr);
      return FALSE;
    }
  /* The town is the ground the plan is read on, not its subject: a white
   * wash over it lets the trenches' colours stand out. */
  cairo_rectangle (cr, 0, 0, view.width, view.height);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.4);
  cairo_fill (cr);
  if (!ngam_render_results (data->store, cr, &view, &what, cancellable, error))
    {
      cairo_restore (cr);
      return FALSE;
    }
  if (ngam_render_street_labels (data->store, cr, &view, 3, NGAM_REPORT_FONT " 6.5", cancellable, error) < 0)
    {
      cairo_restore (cr);
      return FALSE;
    }
  /* The labels the project's styles ask for (ward names, duct codes), as
   * the desktop map shows them, on the layers this map draws. */
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      g_autofree char *style = NULL, *field = NULL;

      if ((layers & NGAM_RENDER_LAYER (k)) == 0)
        continue;
      style = ngam_store_dup_style (data->store, ngam_layer_info (k)->name, NULL);
      field = ngam_render_style_parse_labels (k, style);
      if (field != NULL &&
          ngam_render_feature_labels (data->store, cr, &view, k, field, NGAM_REPORT_FONT " 6.5", cancellable,
                                      error) < 0)
        {
          cairo_restore (cr);
          return FALSE;
        }
    }
  cairo_rectangle (cr, 0.5, 0.5, lay.map[2] - 1, lay.map[3] - 1);
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
  ngam_render_north_arrow (cr, lay.north[0], lay.north[1], 36);

  pw = lay.panel_width;
  draw_legend (data, map, &view, &stats, cr, lay.panel_x, lay.legend_y, pw);

  y = lay.scale_bar_y;
  ngam_render_scale_bar (cr, lay.panel_x + 2, y + 22, view.scale, pw - 30);
  /* 1 pt = 0.3528 mm on paper. */
  ratio = view.scale / (25.4 / 72 / 1000);
  n = ngam_report_format_number (data->lang, round (ratio / 100) * 100, 0);
  ratio_text = g_strdup_printf (TR (N_("Scale 1:%s on the printed page")), n);
  text_at (cr, ratio_text, lay.panel_x, y + 28, pw, NGAM_REPORT_FONT " 7.5", &h);
  y += 28 + h + 2;
  crs_text = g_strdup_printf (TR (N_("Coordinate system: %s")), data->crs_name);
  text_at (cr, crs_text, lay.panel_x, y, pw, NGAM_REPORT_FONT " 7.5", &h);
  y += h + 2;
  text_at (cr, data->osm ? TR (N_("Map data © OpenStreetMap contributors (ODbL). Plan: Ngầm."))
                         : TR (N_("Map data: the project's own layers. Plan: Ngầm.")),
           lay.panel_x, y, pw, NGAM_REPORT_FONT " 7", NULL);
  cairo_restore (cr);
  g_debug ("map %d %s drawn in %.3f s", map->kind, map->ward != NULL ? map->ward : "", g_timer_elapsed (timer, NULL));
  return TRUE;
}
