/* ngam-result-layer.c — a run's result layers over the map
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One layer per shown run (libshumate's idea of a map as a stack of layer
 * widgets): the plan's trenches by phase or method, manholes, poles to
 * remove, and the gaps run's gap areas and hazard zones, drawn by the
 * reports' own renderer (ngam_render_results()), so the screen and the
 * PDF agree.  Result layers are a few thousand features at most, so the
 * layer renders the whole view at once on a worker thread (with a
 * read-only connection of its own) rather than tiles; while a new picture
 * renders after a pan or zoom, the last one is drawn moved and scaled to
 * where it belongs.  One render runs at a time; a view that changed
 * meanwhile is rendered when it finishes.
 *
 * The same picture carries the street names when they are asked for
 * (ngam_render_street_labels(), the reports' labeller: most important
 * streets first, no overlaps), the more minor streets the closer the
 * view, over the results and under the edit overlay.
 */
#define G_LOG_DOMAIN "ngam-ui"

#include "config.h"

#include <math.h>

#include "ngam-result-layer.h"
#include "ngam-tile-loader.h"

/* The picture reaches this many pixels beyond each side of the view, so
 * that a pan of up to that much shows what is already drawn rather than
 * making the worker draw the view again while the map moves. */
#define PAN_MARGIN 192

struct _NgamResultLayer
{
  GtkWidget          parent_instance;

  NgamMapView       *map;       /* weak: our parent */
  NgamProject       *project;
  gint64             plan_run, gaps_run;
  NgamRenderResultsMode mode;
  GArray            *highlight;  /* gint64 street edges haloed, sorted; never changed once set */
  gboolean           labels;
  int                n_labels;
  char              *label_by[NGAM_N_LAYERS];   /* the field labelling each layer, or NULL */
  guint              label_serial;              /* counts changes of label_by and of the visible layers */
  int                n_feature_labels;

  NgamStore         *reader;     /* kept between renders; NULL while one runs */
  gboolean           retried;
  GdkTexture        *texture;
  NgamRenderView     texture_view;
  int                texture_sf;
  GCancellable      *cancellable;  /* the render running, or NULL */
  gboolean           dirty;        /* the view or the runs changed since it started */
  guint              idle;
  gboolean           loading;
  guint64            n_rendered;
};

G_DEFINE_FINAL_TYPE (NgamResultLayer, ngam_result_layer, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  char              *path;
  NgamStore         *store;   /* the layer's reader, lent for this render */
  NgamRenderView     view;
  int                sf;
  NgamRenderResults  what;
  GArray            *highlight;   /* a reference: what.highlight_edges */
  gboolean           labels;
  int                min_rank;
  int                n_labels;
  char              *label_by[NGAM_N_LAYERS];   /* copies, NULL for hidden layers */
  guint              label_serial;
  int                n_feature_labels;
} Render;

static int
cmp_edge (gconstpointer a,
          gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
render_free (Render *r)
{
  g_clear_pointer (&r->store, ngam_store_close);
  g_clear_pointer (&r->highlight, g_array_unref);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    g_free (r->label_by[k]);
  g_free (r->path);
  g_free (r);
}

static void
render_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Render *r = task_data;
  NgamStore *store;
  GError *error = NULL;
  int w = r->view.width * r->sf, h = r->view.height * r->sf;
  int stride = cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, w);
  guchar *pixels;
  cairo_surface_t *surface;
  cairo_t *cr;
  gboolean ok;

  if (r->store == NULL)
    r->store = ngam_store_open (r->path, NGAM_STORE_OPEN_READ_ONLY, &error);
  if (r->store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  store = r->store;
  pixels = g_malloc0 ((gsize) stride * h);
  surface = cairo_image_surface_create_for_data (pixels, CAIRO_FORMAT_ARGB32, w, h, stride);
  cairo_surface_set_device_scale (surface, r->sf, r->sf);
  cr = cairo_create (surface);
  ok = TRUE;
  if (r->what.plan_run > 0 || r->what.gaps_run > 0)
    ok = ngam_render_results (store, cr, &r->view, &r->what, cancellable, &error);
  if (ok && r->labels)
    {
      r->n_labels = ngam_render_street_labels (store, cr, &r->view, r->min_rank, "Sans 8", cancellable, &error);
      ok = r->n_labels >= 0;
    }
  /* The layers' own labels (pole numbers, cable codes), top layer last. */
  for (guint i = 0; ok && i < NGAM_N_LAYERS; i++)
    {
      NgamLayerKind k = ngam_render_draw_order ()[i];
      int n;

      if (r->label_by[k] == NULL)
        continue;
      n = ngam_render_feature_labels (store, cr, &r->view, k, r->label_by[k], "Sans 7.5", cancellable, &error);
      ok = n >= 0;
      r->n_feature_labels += MAX (n, 0);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  if (!ok)
    {
      g_free (pixels);
      /* A connection that failed is not lent again. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_clear_pointer (&r->store, ngam_store_close);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, ngam_texture_new_for_pixels (pixels, w, h, stride), g_object_unref);
}

static void set_loading (NgamResultLayer *self, gboolean loading);

static gboolean
shows_anything (NgamResultLayer *self)
{
  gboolean any = FALSE;

  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    any |= self->label_by[k] != NULL;
  return self->plan_run > 0 || self->gaps_run > 0 || self->labels || any;
}

static void schedule (NgamResultLayer *self);
static gboolean covers_view (NgamResultLayer *self);

static void
render_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  NgamResultLayer *self = NGAM_RESULT_LAYER (source);
  Render *r = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  GdkTexture *texture = g_task_propagate_pointer (G_TASK (result), &error);

  g_clear_object (&self->cancellable);
  /* The reader comes back for the next render (unless the project changed). */
  if (r->store != NULL && self->project != NULL && self->reader == NULL &&
      g_strcmp0 (r->path, ngam_project_get_path (self->project)) == 0)
    self->reader = g_steal_pointer (&r->store);
  /* Finished just before the runs or the colouring changed: not ours. */
  if (texture != NULL && (r->what.plan_run != self->plan_run || r->what.gaps_run != self->gaps_run ||
                          r->what.mode != self->mode || r->labels != self->labels ||
                          r->highlight != self->highlight || r->label_serial != self->label_serial))
    g_clear_object (&texture);
  if (texture != NULL)
    {
      g_clear_object (&self->texture);
      self->texture = texture;
      self->texture_view = r->view;
      self->texture_sf = r->sf;
      self->n_labels = r->n_labels;
      self->n_feature_labels = r->n_feature_labels;
      self->n_rendered++;
      self->retried = FALSE;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      /* The view moved on while it was drawn. */
      if (!covers_view (self))
        self->dirty = TRUE;
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Another program writing the file can make a read fail for a
       * moment: once more, on a new connection, before saying so. */
      if (!self->retried)
        {
          g_debug ("the result layers: %s; trying again", error->message);
          self->retried = TRUE;
          self->dirty = TRUE;
        }
      else
        g_warning ("the result layers cannot be drawn: %s", error->message);
    }
  if (self->dirty)
    schedule (self);
  else
    set_loading (self, FALSE);
}

static void
set_loading (NgamResultLayer *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static gboolean
start_render (gpointer data)
{
  NgamResultLayer *self = data;
  g_autoptr(GTask) task = NULL;
  int w = gtk_widget_get_width (GTK_WIDGET (self)), h = gtk_widget_get_height (GTK_WIDGET (self));
  Render *r;

  self->idle = 0;
  if (self->cancellable != NULL)   /* one at a time: again when it is done */
    return G_SOURCE_REMOVE;
  self->dirty = FALSE;
  if (self->project == NULL || !shows_anything (self) || w <= 0 || h <= 0)
    {
      g_clear_object (&self->texture);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      set_loading (self, FALSE);
      return G_SOURCE_REMOVE;
    }
  r = g_new0 (Render, 1);
  r->path = g_strdup (ngam_project_get_path (self->project));
  r->store = g_steal_pointer (&self->reader);
  ngam_viewport_get_view (ngam_map_view_get_viewport (self->map), w + 2 * PAN_MARGIN, h + 2 * PAN_MARGIN, &r->view);
  r->sf = MAX (1, gtk_widget_get_scale_factor (GTK_WIDGET (self)));
  r->what.plan_run = self->plan_run;
  r->what.gaps_run = self->gaps_run;
  r->what.mode = self->mode;
  r->what.only_phase = -1;
  r->what.gaps = self->gaps_run > 0;
  if (self->highlight != NULL)
    r->what.highlight_edges = r->highlight = g_array_ref (self->highlight);
  r->labels = self->labels;
  r->label_serial = self->label_serial;
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    if (self->label_by[k] != NULL && (ngam_map_view_get_visible_layers (self->map) & NGAM_RENDER_LAYER (k)))
      r->label_by[k] = g_strdup (self->label_by[k]);
  /* The closer the view, the more minor the streets named. */
  r->min_rank = r->view.scale < 2 ? 0 : r->view.scale < 6 ? 2 : r->view.scale < 20 ? 3 : 4;
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, render_done, NULL);
  g_task_set_task_data (task, r, (GDestroyNotify) render_free);
  g_task_run_in_thread (task, render_thread);
  return G_SOURCE_REMOVE;
}

static void
schedule (NgamResultLayer *self)
{
  self->dirty = TRUE;
  set_loading (self, TRUE);
  if (self->idle == 0 && self->cancellable == NULL)
    self->idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 20, start_render, self, NULL);
}

/* Whether the picture shows all of the view as it is now, at its scale. */
static gboolean
covers_view (NgamResultLayer *self)
{
  NgamViewport *vp = ngam_map_view_get_viewport (self->map);
  const NgamRenderView *tv = &self->texture_view;
  double s = ngam_viewport_get_scale (vp);
  double hw = gtk_widget_get_width (GTK_WIDGET (self)) * s / 2, hh = gtk_widget_get_height (GTK_WIDGET (self)) * s / 2;
  double cx = ngam_viewport_get_center_x (vp), cy = ngam_viewport_get_center_y (vp);
  double eps = 1e-6 * s;

  return self->texture != NULL && fabs (tv->scale - s) <= 1e-9 * s &&
         cx - hw >= tv->center_x - tv->scale * tv->width / 2 - eps &&
         cx + hw <= tv->center_x + tv->scale * tv->width / 2 + eps &&
         cy - hh >= tv->center_y - tv->scale * tv->height / 2 - eps &&
         cy + hh <= tv->center_y + tv->scale * tv->height / 2 + eps;
}

static void
viewport_changed (NgamViewport    *viewport,
                  GParamSpec      *pspec,
                  NgamResultLayer *self)
{
  if (shows_anything (self) && !covers_view (self))
    schedule (self);
}

/* Streets renamed or moved: the names move too. */
static void
project_changed (NgamProject     *project,
                 int              kind,
                 const double    *bbox,
                 NgamResultLayer *self)
{
  if ((self->labels && (kind == NGAM_LAYER_STREETS || kind == NGAM_PROJECT_ALL_LAYERS)) ||
      (kind == NGAM_PROJECT_ALL_LAYERS && shows_anything (self)) ||
      (kind >= 0 && kind < NGAM_N_LAYERS && self->label_by[kind] != NULL))
    schedule (self);
}

static void
ngam_result_layer_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  NgamResultLayer *self = NGAM_RESULT_LAYER (widget);
  NgamViewport *vp = ngam_map_view_get_viewport (self->map);
  double w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  const NgamRenderView *tv = &self->texture_view;
  double x0, y0, x1, y1;

  if (self->texture == NULL || !shows_anything (self))
    return;
  /* Where the picture's corners are in the view as it is now. */
  ngam_viewport_to_widget (vp, w, h, tv->center_x - tv->scale * tv->width / 2,
                           tv->center_y + tv->scale * tv->height / 2, &x0, &y0);
  ngam_viewport_to_widget (vp, w, h, tv->center_x + tv->scale * tv->width / 2,
                           tv->center_y - tv->scale * tv->height / 2, &x1, &y1);
  if (!GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (gtk_widget_get_native (widget))))
    {
      gtk_snapshot_append_texture (snapshot, self->texture, &GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0));
      return;
    }
  /* GSK's cairo renderer would convert the texture into a new surface in
   * every frame: the picture's own pixels are painted instead, over the
   * part of the view it covers (see ngam_texture_get_cairo_surface()). */
  {
    double cx0 = MAX (0, floor (x0)), cy0 = MAX (0, floor (y0));
    double cx1 = MIN (w, ceil (x1)), cy1 = MIN (h, ceil (y1));
    cairo_t *cr;

    if (cx1 <= cx0 || cy1 <= cy0)
      return;
    cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (cx0, cy0, cx1 - cx0, cy1 - cy0));
    cairo_translate (cr, x0, y0);
    cairo_scale (cr, (x1 - x0) / gdk_texture_get_width (self->texture),
                 (y1 - y0) / gdk_texture_get_height (self->texture));
    cairo_set_source_surface (cr, ngam_texture_get_cairo_surface (self->texture), 0, 0);
    /* Not rescaled (a pan), the picture is copied pixel for pixel. */
    if (fabs ((x1 - x0) - tv->width) < 1e-6 && fabs ((y1 - y0) - tv->height) < 1e-6)
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
    cairo_paint (cr);
    cairo_destroy (cr);
  }
}

static void
ngam_result_layer_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  NgamResultLayer *self = NGAM_RESULT_LAYER (widget);

  if (shows_anything (self))
    {
      if (self->texture == NULL || width + 2 * PAN_MARGIN != self->texture_view.width ||
          height + 2 * PAN_MARGIN != self->texture_view.height)
        schedule (self);
    }
}

static void
ngam_result_layer_dispose (GObject *object)
{
  NgamResultLayer *self = NGAM_RESULT_LAYER (object);

  g_clear_handle_id (&self->idle, g_source_remove);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->texture);
  g_clear_pointer (&self->reader, ngam_store_close);
  g_clear_pointer (&self->highlight, g_array_unref);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    g_clear_pointer (&self->label_by[k], g_free);
  if (self->project)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_clear_object (&self->project);
  G_OBJECT_CLASS (ngam_result_layer_parent_class)->dispose (object);
}

static void
ngam_result_layer_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  NgamResultLayer *self = NGAM_RESULT_LAYER (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ngam_result_layer_class_init (NgamResultLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ngam_result_layer_dispose;
  object_class->get_property = ngam_result_layer_get_property;
  widget_class->snapshot = ngam_result_layer_snapshot;
  widget_class->size_allocate = ngam_result_layer_size_allocate;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, "Whether the picture is being drawn",
                          FALSE, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_css_name (widget_class, "ngam-result-layer");
}

static void
ngam_result_layer_init (NgamResultLayer *self)
{
  self->mode = NGAM_RENDER_RESULTS_BY_PHASE;
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

/**
 * ngam_result_layer_new:
 * @map: the map it covers: it is added to it as a layer
 *
 * Returns: (transfer none): the layer, owned by @map.
 */
static void labels_changed (NgamResultLayer *self);

/* A hidden layer's labels go with it. */
static void
visible_layers_changed (NgamResultLayer *self)
{
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    if (self->label_by[k] != NULL)
      {
        labels_changed (self);
        return;
      }
}

NgamResultLayer *
ngam_result_layer_new (NgamMapView *map)
{
  NgamResultLayer *self = g_object_new (NGAM_TYPE_RESULT_LAYER, NULL);

  self->map = map;
  ngam_map_view_add_layer (map, GTK_WIDGET (self));
  g_signal_connect_object (ngam_map_view_get_viewport (map), "notify", G_CALLBACK (viewport_changed), self, 0);
  g_signal_connect_object (map, "notify::visible-layers", G_CALLBACK (visible_layers_changed), self,
                           G_CONNECT_SWAPPED);
  return self;
}

void
ngam_result_layer_set_project (NgamResultLayer *self,
                               NgamProject     *project)
{
  g_return_if_fail (NGAM_IS_RESULT_LAYER (self));

  if (self->project != project && self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);
  if (g_set_object (&self->project, project))
    {
      g_clear_pointer (&self->reader, ngam_store_close);
      if (project)
        g_signal_connect (project, "changed", G_CALLBACK (project_changed), self);
      self->plan_run = self->gaps_run = 0;
      if (self->cancellable)
        g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->texture);
      schedule (self);
    }
}

/* Shows these runs (0: none). */
void
ngam_result_layer_set_runs (NgamResultLayer *self,
                            gint64           plan_run,
                            gint64           gaps_run)
{
  g_return_if_fail (NGAM_IS_RESULT_LAYER (self));

  if (self->plan_run == plan_run && self->gaps_run == gaps_run && self->texture != NULL)
    return;
  self->plan_run = plan_run;
  self->gaps_run = gaps_run;
  /* The old picture is of other runs: it must not stand in. */
  g_clear_object (&self->texture);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  schedule (self);
}

/**
 * ngam_result_layer_set_highlight:
 * @edges: (nullable) (element-type gint64): street edges whose trenches
 *   are haloed (the differences with another scenario), or NULL
 */
void
ngam_result_layer_set_highlight (NgamResultLayer *self,
                                 const GArray    *edges)
{
  g_return_if_fail (NGAM_IS_RESULT_LAYER (self));

  g_clear_pointer (&self->highlight, g_array_unref);
  if (edges != NULL && edges->len > 0)
    {
      self->highlight = g_array_sized_new (FALSE, FALSE, sizeof (gint64), edges->len);
      g_array_append_vals (self->highlight, edges->data, edges->len);
      g_array_sort (self->highlight, cmp_edge);
    }
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  schedule (self);
}

guint
ngam_result_layer_get_n_highlighted (NgamResultLayer *self)
{
  g_return_val_if_fail (NGAM_IS_RESULT_LAYER (self), 0);
  return self->highlight != NULL ? self->highlight->len : 0;
}

gint64
ngam_result_layer_get_plan_run (NgamResultLayer *self)
{
  g_return_val_if_fail (NGAM_IS_RESULT_LAYER (self), 0);
  return self->plan_run;
}

gint64
ngam_result_layer_get_gaps_run (NgamResultLayer *self)
{
  g_return_val_if_fail (NGAM_IS_RESULT_LAYER (self), 0);
  return self->gaps_run;
}

void
ngam_result_layer_set_mode (NgamResultLayer       *self,
                            NgamRenderResultsMode  mode)
{
  g_return_if_fail (NGAM_IS_RESULT_LAYER (self));

  if (self->mode == mode)
    return;
  self->mode = mode;
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  schedule (self);
}

NgamRenderResultsMode
ngam_result_layer_get_mode (NgamResultLayer *self)
{
  g_return_val_if_fail (NGAM_IS_RESULT_LAYER (self), NGAM_RENDER_RESULTS_BY_PHASE);
  return self->mode;
}

/* Whether a picture of the view as it is now is still being drawn. */
gboolean
ngam_result_layer_get_loading (NgamResultLayer *self)
{
  g_return_val_if_fail (NGAM_IS_RESULT_LAYER (self), FALSE);
  return self->loading;
}

guint64
ngam_result_layer_get_n_rendered (NgamResultLayer *self)
{
  g_return_val_if_fail (NGAM_IS_RESULT_LAYER (self), 0);
  return self->n_rendered;
}

/* Street names over the map (and under the edit overlay). */
void
ngam_result_layer_set_labels (NgamResultLayer *self,
                              gboolean         labels)
{
  g_return_if_fail (NGAM_IS_RESULT_LAYER (self));

  labels = !!labels;
  if (self->labels == labels)
    return;
  self->labels = labels;
  g_clear_object (&self->texture);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  schedule (self);
}

gboolean
ngam_result_layer_get_labels (NgamResultLayer *self)
{
  g_return_val_if_fail (NGAM_IS_RESULT_LAYER (self), FALSE);
  return self->labels;
}

static void
labels_changed (NgamResultLayer *self)
{
  self->label_serial++;
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  schedule (self);
}

/**
 * ngam_result_layer_set_label_by:
 * @field: (nullable): the field labelling @kind's features
 *   (ngam_render_style_can_label_by()), or NULL for none
 *
 * The layer's labels are drawn with the street names, over the results,
 * while the layer is visible on the map.
 */
void
ngam_result_layer_set_label_by (NgamResultLayer *self,
                                NgamLayerKind    kind,
                                const char      *field)
{
  g_return_if_fail (NGAM_IS_RESULT_LAYER (self));
  g_return_if_fail (kind < NGAM_N_LAYERS);

  if (g_strcmp0 (self->label_by[kind], field) == 0)
    return;
  g_free (self->label_by[kind]);
  self->label_by[kind] = g_strdup (field);
  labels_changed (self);
}

const char *
ngam_result_layer_get_label_by (NgamResultLayer *self,
                                NgamLayerKind    kind)
{
  g_return_val_if_fail (NGAM_IS_RESULT_LAYER (self), NULL);
  g_return_val_if_fail (kind < NGAM_N_LAYERS, NULL);
  return self->label_by[kind];
}

/* How many feature labels (not street names) the picture shown has. */
int
ngam_result_layer_get_n_feature_labels (NgamResultLayer *self)
{
  g_return_val_if_fail (NGAM_IS_RESULT_LAYER (self), 0);
  return self->texture != NULL ? self->n_feature_labels : 0;
}

/* How many street names the picture shown has. */
int
ngam_result_layer_get_n_labels (NgamResultLayer *self)
{
  g_return_val_if_fail (NGAM_IS_RESULT_LAYER (self), 0);
  return self->texture != NULL ? self->n_labels : 0;
}
