/* ngam-report-map.h — where a report map's parts go
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every report's text is set in one family that covers Vietnamese fully
 * (Debian's fonts-dejavu-core), so glyphs never fall back to another face
 * and the bytes do not depend on what else is installed. */
#define NGAM_REPORT_FONT "DejaVu Sans"

typedef struct
{
  double map[4];        /* x, y, width, height of the map frame */
  double panel_x;       /* left of the panel */
  double panel_width;
  double legend_y;      /* top of the legend */
  double scale_bar_y;   /* top of the scale block (bar 22 below) */
  double north[2];      /* centre of the north arrow */
} NgamReportMapLayout;

void ngam_report_map_layout (double width, double height, NgamReportMapLayout *layout);

G_END_DECLS
