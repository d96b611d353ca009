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

G_END_DECLS
