/* ngam-viewport.c — what part of the world a map view shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The viewport is the map view's whole state of "where": a centre in the
 * project CRS and a scale in metres per pixel.  Gestures, buttons and
 * actions only change it; the map view listens to its notifications and
 * redraws.  Keeping it a separate object (as libshumate's ShumateViewport
 * is) lets a minimap, a status bar or a test watch and drive the same
 * viewport without knowing about widgets.
 *
 * Widget coordinates have y growing downwards; the world has northing
 * growing upwards, hence the sign flips below.
 */
#define G_LOG_DOMAIN "ngam-ui"

#include "config.h"

#include <math.h>

#include "ngam-viewport.h"

struct _NgamViewport
{
  GObject parent_instance;

  double  center_x;
  double  center_y;
  double  scale;
};

G_DEFINE_FINAL_TYPE (NgamViewport, ngam_viewport, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CENTER_X,
  PROP_CENTER_Y,
  PROP_SCALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ngam_viewport_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  NgamViewport *self = NGAM_VIEWPORT (object);

  switch (prop_id)
    {
    case PROP_CENTER_X:
      g_value_set_double (value, self->center_x);
      break;
    case PROP_CENTER_Y:
      g_value_set_double (value, self->center_y);
      break;
    case PROP_SCALE:
      g_value_set_double (value, self->scale);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ngam_viewport_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  NgamViewport *self = NGAM_VIEWPORT (object);

  switch (prop_id)
    {
    case PROP_CENTER_X:
      ngam_viewport_set_center (self, g_value_get_double (value), self->center_y);
      break;
    case PROP_CENTER_Y:
      ngam_viewport_set_center (self, self->center_x, g_value_get_double (value));
      break;
    case PROP_SCALE:
      ngam_viewport_set_scale (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ngam_viewport_class_init (NgamViewportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ngam_viewport_get_property;
  object_class->set_property = ngam_viewport_set_property;

  properties[PROP_CENTER_X] =
    g_param_spec_double ("center-x", NULL, "Easting of the centre, project CRS",
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CENTER_Y] =
    g_param_spec_double ("center-y", NULL, "Northing of the centre, project CRS",
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCALE] =
    g_param_spec_double ("scale", NULL, "Metres per pixel",
                         NGAM_VIEWPORT_MIN_SCALE, NGAM_VIEWPORT_MAX_SCALE, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ngam_viewport_init (NgamViewport *self)
{
  self->scale = 1.0;
}

NgamViewport *
ngam_viewport_new (void)
{
  return g_object_new (NGAM_TYPE_VIEWPORT, NULL);
}

double
ngam_viewport_get_center_x (NgamViewport *self)
{
  g_return_val_if_fail (NGAM_IS_VIEWPORT (self), 0);
  return self->center_x;
}

double
ngam_viewport_get_center_y (NgamViewport *self)
{
  g_return_val_if_fail (NGAM_IS_VIEWPORT (self), 0);
  return self->center_y;
}

double
ngam_viewport_get_scale (NgamViewport *self)
{
  g_return_val_if_fail (NGAM_IS_VIEWPORT (self), 1);
  return self->scale;
}

void
ngam_viewport_set_center (NgamViewport *self,
                          double        x,
                          double        y)
{
  g_return_if_fail (NGAM_IS_VIEWPORT (self));
  g_return_if_fail (isfinite (x) && isfinite (y));

  g_object_freeze_notify (G_OBJECT (self));
  if (x != self->center_x)
    {
      self->center_x = x;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CENTER_X]);
    }
  if (y != self->center_y)
    {
      self->center_y = y;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CENTER_Y]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* Clamped to [NGAM_VIEWPORT_MIN_SCALE, NGAM_VIEWPORT_MAX_SCALE]. */
void
ngam_viewport_set_scale (NgamViewport *self,
                         double        scale)
{
  g_return_if_fail (NGAM_IS_VIEWPORT (self));
  g_return_if_fail (isfinite (scale) && scale > 0);

  scale = CLAMP (scale, NGAM_VIEWPORT_MIN_SCALE, NGAM_VIEWPORT_MAX_SCALE);
  if (scale == self->scale)
    return;
  self->scale = scale;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE]);
}

/* World (project CRS) to widget pixels, for a widget of the given size. */
void
ngam_viewport_to_widget (NgamViewport *self,
                         double        width,
                         double        height,
                         double        x,
                         double        y,
                         double       *px,
                         double       *py)
{
  *px = width / 2 + (x - self->center_x) / self->scale;
  *py = height / 2 - (y - self->center_y) / self->scale;
}

void
ngam_viewport_from_widget (NgamViewport *self,
                           double        width,
                           double        height,
                           double        px,
                           double        py,
                           double       *x,
                           double       *y)
{
  *x = self->center_x + (px - width / 2) * self->scale;
  *y = self->center_y - (py - height / 2) * self->scale;
}

/**
 * ngam_viewport_pan:
 * @dx: pixels the content moves right
 * @dy: pixels the content moves down
 *
 * Moves the map with the pointer: the centre moves the other way.
 */
void
ngam_viewport_pan (NgamViewport *self,
                   double        dx,
                   double        dy)
{
  g_return_if_fail (NGAM_IS_VIEWPORT (self));
  ngam_viewport_set_center (self, self->center_x - dx * self->scale,
                            self->center_y + dy * self->scale);
}

/**
 * ngam_viewport_zoom_at:
 * @factor: > 1 zooms in (fewer metres per pixel)
 * @px: (in widget pixels) the point that stays put, usually the pointer
 *
 * Zooms about a point: the world point under (@px, @py) is under it after.
 * When the scale hits its limit the factor actually applied is smaller and
 * the fixed point still holds.
 */
void
ngam_viewport_zoom_at (NgamViewport *self,
                       double        factor,
                       double        width,
                       double        height,
                       double        px,
                       double        py)
{
  double wx, wy, scale;

  g_return_if_fail (NGAM_IS_VIEWPORT (self));
  g_return_if_fail (factor > 0 && isfinite (factor));

  ngam_viewport_from_widget (self, width, height, px, py, &wx, &wy);
  scale = CLAMP (self->scale / factor, NGAM_VIEWPORT_MIN_SCALE, NGAM_VIEWPORT_MAX_SCALE);
  g_object_freeze_notify (G_OBJECT (self));
  ngam_viewport_set_scale (self, scale);
  ngam_viewport_set_center (self, wx - (px - width / 2) * scale, wy + (py - height / 2) * scale);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * ngam_viewport_fit:
 * @bbox: minx, miny, maxx, maxy in the project CRS
 * @margin: pixels left free on each side
 *
 * Centres @bbox and picks the scale that shows all of it.
 *
 * Returns: FALSE (and changes nothing) when @bbox or the size is empty.
 */
gboolean
ngam_viewport_fit (NgamViewport *self,
                   const double  bbox[4],
                   double        width,
                   double        height,
                   double        margin)
{
  double w = width - 2 * margin, h = height - 2 * margin;
  double scale;

  g_return_val_if_fail (NGAM_IS_VIEWPORT (self), FALSE);

  if (!(bbox[2] >= bbox[0] && bbox[3] >= bbox[1]) || w < 1 || h < 1 ||
      !isfinite (bbox[0] + bbox[1] + bbox[2] + bbox[3]))
    return FALSE;
  scale = MAX ((bbox[2] - bbox[0]) / w, (bbox[3] - bbox[1]) / h);
  if (scale <= 0)
    scale = 1.0;   /* a single point: street level */
  g_object_freeze_notify (G_OBJECT (self));
  ngam_viewport_set_scale (self, scale);
  ngam_viewport_set_center (self, (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2);
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

/* The renderer's description of what a widget of this size shows. */
void
ngam_viewport_get_view (NgamViewport   *self,
                        int             width,
                        int             height,
                        NgamRenderView *view)
{
  view->center_x = self->center_x;
  view->center_y = self->center_y;
  view->scale = self->scale;
  view->width = width;
  view->height = height;
}
