/* display-util.c — what the display tests share: pictures of widgets,
 * their pixels, and waiting for the map
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "display-util.h"

void
ngam_display_image_free (Image *img)
{
  g_free (img->data);
  g_free (img);
}


Rgb
pixel (const Image *img, int x, int y)
{
  /* GDK_MEMORY_DEFAULT: premultiplied B, G, R, A bytes; the window is opaque. */
  const guint8 *p = img->data + y * img->stride + 4 * x;

  return (Rgb) { p[2] / 255.0, p[1] / 255.0, p[0] / 255.0 };
}

double
distance (Rgb a, Rgb b)
{
  return fabs (a.r - b.r) + fabs (a.g - b.g) + fabs (a.b - b.b);
}

Rgb
rgb3 (const double c[3])
{
  return (Rgb) { c[0], c[1], c[2] };
}

/* ---- driving the main loop -------------------------------------------------- */

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
iterate_a_little (void)
{
  for (int i = 0; i < 50 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

/* Runs the main loop until the map has a size and every tile it shows is
 * drawn. */
void
wait_for_map (NgamMapView *map)
{
  guint id = g_timeout_add (10, tick, NULL);
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;

  iterate_a_little ();
  while (!(gtk_widget_get_mapped (GTK_WIDGET (map)) &&
           gtk_widget_get_width (GTK_WIDGET (map)) > 0 &&
           !ngam_map_view_get_loading (map)))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the map did not finish drawing in 90 s");
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
  iterate_a_little ();
}

/* What @widget adds to a frame (its own drawing, and its children's as
 * they were last drawn), from its snapshot function; NULL when it draws
 * nothing.  A frame is drawn first, so that the children's are current. */
static void
frame_painted (GdkFrameClock *clock,
               gboolean      *painted)
{
  *painted = TRUE;
}

GskRenderNode *
snapshot_widget (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  GtkSnapshot *snapshot;
  gboolean painted = FALSE;
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (frame_painted), &painted);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  gtk_widget_queue_draw (widget);
  while (!painted && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
  g_assert_true (painted);
  snapshot = gtk_snapshot_new ();
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  return gtk_snapshot_free_to_node (snapshot);
}

/* How many nodes of @type the tree under @node holds (through containers,
 * clips, transforms, opacity and debug nodes); @bounds, if given, gets the
 * union of their bounds, each in its own parent's coordinates. */
guint
count_nodes (GskRenderNode     *node,
             GskRenderNodeType  type,
             graphene_rect_t   *bounds)
{
  guint n = 0;

  if (node == NULL)
    return 0;
  if (gsk_render_node_get_node_type (node) == type)
    {
      graphene_rect_t b;

      gsk_render_node_get_bounds (node, &b);
      if (bounds != NULL)
        {
          if (bounds->size.width <= 0 && bounds->size.height <= 0)
            *bounds = b;
          else
            graphene_rect_union (bounds, &b, bounds);
        }
      return 1;
    }
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        n += count_nodes (gsk_container_node_get_child (node, i), type, bounds);
      return n;
    case GSK_CLIP_NODE:
      return count_nodes (gsk_clip_node_get_child (node), type, bounds);
    case GSK_ROUNDED_CLIP_NODE:
      return count_nodes (gsk_rounded_clip_node_get_child (node), type, bounds);
    case GSK_TRANSFORM_NODE:
      return count_nodes (gsk_transform_node_get_child (node), type, bounds);
    case GSK_OPACITY_NODE:
      return count_nodes (gsk_opacity_node_get_child (node), type, bounds);
    case GSK_DEBUG_NODE:
      return count_nodes (gsk_debug_node_get_child (node), type, bounds);
    default:
      return 0;
    }
}

/* Renders @widget as it is now, the way GTK would draw it. */
Image *
render_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  Image *img = g_new0 (Image, 1);

  img->width = gtk_widget_get_width (widget);
  img->height = gtk_widget_get_height (widget);
  /* Until the window has been laid out after its last change there is
   * nothing to draw: let the main loop run a little until there is. */
  for (int tries = 0; tries < 500; tries++)
    {
      gdk_paintable_snapshot (paintable, snapshot, img->width, img->height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node != NULL)
        break;
      snapshot = gtk_snapshot_new ();
      g_usleep (10000);
      iterate_a_little ();
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, img->width, img->height));
  img->stride = (gsize) img->width * 4;
  img->data = g_malloc (img->stride * img->height);
  gdk_texture_download (texture, img->data, img->stride);
  return img;
}

void
save_png (const Image *img, const char *path)
{
  g_autoptr(GBytes) bytes = g_bytes_new (img->data, img->stride * img->height);
  g_autoptr(GdkTexture) texture = gdk_memory_texture_new (img->width, img->height, GDK_MEMORY_DEFAULT,
                                                          bytes, img->stride);

  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* The controller named @name on @widget (gtk_event_controller_set_name()):
 * tests drive gestures by emitting their signals, the way GTK does once it
 * has recognised them, with no X events and so no focus to depend on. */
GtkEventController *
find_controller (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GListModel) list = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (list, i);

      if (g_strcmp0 (gtk_event_controller_get_name (c), name) == 0)
        return c;
    }
  g_error ("no controller named %s", name);
}
