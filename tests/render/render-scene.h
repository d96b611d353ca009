/* render-scene.h — a small hand-made project with every layer kind, at
 * known places, for the renderer's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The scene's centre (VN-2000 / TM-3 107-00, central Huế). */
#define SCENE_X 560000.0
#define SCENE_Y 1820000.0

/* Where things are, relative to the centre, in metres. */
#define SCENE_POLE_DY     12.5    /* poles and spans run along y = +12.5 */
#define SCENE_POLE_X0   -200.0    /* first pole; then every 40 m */
#define SCENE_N_POLES       11
#define SCENE_STREET_HALF    8.0  /* the primary street along y = 0 is 16 m wide */

void scene_write (const char *path);

/* A town seen from afar (scene_write_overview()), around the same centre:
 * three operators' routes along one street (y = 0, x = ±2500: VNPT and
 * Viettel buried, FPT aerial, in that fid order), a VNPT route zigzagging
 * ±30 m about y = +1000, three sites at one place (+1000, -1000) and one
 * at (-1000, -1000), and sites close to x = 0 about y = +500 and -500. */
#define SCENE_WIDTHS_Y  -1500.0   /* secondary streets 10 m (x -300..-100) and 40 m (100..300) wide */
#define SCENE_FESTIVAL_Y -3000.0   /* festival streets: secondary 10 m along it (x ±300), residential 7 m across (x = 0, ±300) */
#define SCENE_ZIGZAG_Y   1000.0
#define SCENE_ZIGZAG_AMP   30.0
void scene_write_overview (const char *path);

G_END_DECLS
