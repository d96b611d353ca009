/* ngam-render-results.h — drawing a plan's and a gaps analysis's results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The result layers of ngam-results.h over the project's map: trenches
 * coloured by phase or by method, manholes, spans retired, poles to
 * remove, coverage gaps and hazard zones, with a level of detail: a
 * town-wide picture leaves out the poles and handholes a ward's shows.  The reports draw their maps
 * with it; the desktop map can show a run the same way.
 */
#pragma once

#include "ngam-render.h"
#include "ngam-results.h"

G_BEGIN_DECLS

typedef enum
{
  NGAM_RENDER_RESULTS_BY_PHASE,
  NGAM_RENDER_RESULTS_BY_METHOD,
} NgamRenderResultsMode;

/**
 * NgamRenderResults:
 * @plan_run: the plan run to draw, or 0
 * @gaps_run: the gaps run to draw, or 0
 * @mode: how trenches are coloured
 * @only_phase: draw this phase in colour and the others in grey, or -1
 * @only_ward: (nullable): likewise for one ward
 * @gaps: draw the gaps run's gap areas and hazard zones
 * @extent: (nullable): minx, miny, maxx, maxy of the runs' features, when
 *   the caller knows it: a picture that holds all of it reads each layer
 *   whole instead of through the spatial index (which, for a box around
 *   everything, visits every feature of every layer and run)
 * @highlight_edges: (nullable) (element-type gint64): street edges whose
 *   trenches are marked with a halo under them (the differences of two
 *   scenarios, ngam_plan_compare()), sorted ascending
 */
typedef struct
{
  gint64                 plan_run;
  gint64                 gaps_run;
  NgamRenderResultsMode  mode;
  int                    only_phase;
  const char            *only_ward;
  gboolean               gaps;
  const double          *extent;
  const GArray          *highlight_edges;
} NgamRenderResults;

gboolean ngam_render_results      (NgamStore               *store,
                                   cairo_t                 *cr,
                                   const NgamRenderView    *view,
                                   const NgamRenderResults *what,
                                   GCancellable            *cancellable,
                                   GError                 **error);

void     ngam_render_phase_rgb    (int phase, double rgb[3]);
void     ngam_render_method_rgb   (const char *method, double rgb[3]);

/* Which result layers a picture of this scale shows (level of detail). */
gboolean ngam_render_results_shows (const NgamRenderView *view, const char *layer);

/* Legend symbols of result layers: @layer as in ngam-results.h; @value
 * the phase ("1", "2"…) or method of a trench, NULL otherwise; _at draws
 * it as a map of @scale metres per unit does, the other as the most
 * detailed map. */
void     ngam_render_result_swatch (cairo_t *cr, const char *layer, const char *value,
                                    double x, double y, double width, double height);
void     ngam_render_result_swatch_at (cairo_t *cr, const char *layer, const char *value, double scale,
                                       double x, double y, double width, double height);

G_END_DECLS
