/* display-util.h — what the display tests share: pictures of widgets,
 * their pixels, and waiting for the map
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ngam-ui.h"

G_BEGIN_DECLS

typedef struct
{
  double r, g, b;
} Rgb;

typedef struct
{
  int     width, height;
  gsize   stride;
  guint8 *data;
} Image;

void   ngam_display_image_free (Image *img);
Rgb    pixel            (const Image *img, int x, int y);
double distance         (Rgb a, Rgb b);
Rgb    rgb3             (const double c[3]);
void   iterate_a_little (void);
void   wait_for_map     (NgamMapView *map);
Image *render_widget    (GtkWidget *widget);
void   save_png         (const Image *img, const char *path);
GtkEventController *find_controller (GtkWidget *widget, const char *name);
GskRenderNode *snapshot_widget  (GtkWidget *widget);
guint  count_nodes              (GskRenderNode *node, GskRenderNodeType type, graphene_rect_t *bounds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Image, ngam_display_image_free)

G_END_DECLS
