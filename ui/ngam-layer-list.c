/* ngam-layer-list.c — the sidebar list of layers with visibility toggles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per layer kind, top of the map first (the reverse of the draw
 * order, as every GIS lists layers), each with the layer's own symbol drawn
 * by the map renderer, so the legend cannot drift from the map, the number
 * of features, and a check button.  The list exposes the checks as one
 * "visible-layers" mask, which the window binds to the map view's.
 *
 * Each row's menu holds the layer's opacity, the text field its features
 * are coloured by (poles by status, spans by cable type, …) with the
 * legend of that field's values, the field its features are labelled by
 * (pole numbers, cable codes), and moves it up or down; the list emits
 * ::style-changed, and the window gives the order, the opacities and the
 * fields to the map and keeps them in the project (its styles).  A layer
 * coloured by a field shows its first categories' colours as its symbol.
 */
#define G_LOG_DOMAIN "ngam-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "ngam-layer-list.h"
#include "ngam-render.h"

struct _NgamLayerList
{
  GtkWidget    parent_instance;

  GtkWidget   *box;
  GtkWidget   *rows[NGAM_N_LAYERS];
  GtkWidget   *checks[NGAM_N_LAYERS];
  GtkWidget   *scales[NGAM_N_LAYERS];
  GtkWidget   *swatches[NGAM_N_LAYERS];
  GtkWidget   *colour_by[NGAM_N_LAYERS];   /* GtkDropDown, or NULL for a layer drawn in one way */
  GStrv        fields[NGAM_N_LAYERS];      /* the dropdown's fields; [0] is "" for the usual look */
  GtkWidget   *legends[NGAM_N_LAYERS];     /* GtkBox of the categories */
  GtkWidget   *label_by[NGAM_N_LAYERS];    /* GtkDropDown, or NULL for a layer without labels */
  GStrv        label_fields[NGAM_N_LAYERS];  /* its fields; [0] is "" for none */
  GPtrArray   *categories[NGAM_N_LAYERS];  /* NgamRenderCategory*, or NULL */
  GtkWidget   *list;
  NgamLayerKind order[NGAM_N_LAYERS];   /* bottom first, as the map draws */
  guint        visible_layers;
  gboolean     syncing;
};

G_DEFINE_FINAL_TYPE (NgamLayerList, ngam_layer_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_VISIBLE_LAYERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  STYLE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The rows top first: the reverse of the order. */
static void
place_rows (NgamLayerList *self)
{
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    if (gtk_widget_get_parent (self->rows[k]) != NULL)
      {
        g_object_ref (self->rows[k]);
        gtk_list_box_remove (GTK_LIST_BOX (self->list), self->rows[k]);
      }
    else
      g_object_ref (self->rows[k]);
  for (int i = NGAM_N_LAYERS - 1; i >= 0; i--)
    {
      gtk_list_box_append (GTK_LIST_BOX (self->list), self->rows[self->order[i]]);
      g_object_unref (self->rows[self->order[i]]);
    }
}

static void
opacity_changed (GtkRange      *range,
                 NgamLayerList *self)
{
  if (!self->syncing)
    g_signal_emit (self, signals[STYLE_CHANGED], 0);
}

/**
 * ngam_layer_list_move:
 * @delta: +1 one place up (drawn later, over), -1 down
 */
void
ngam_layer_list_move (NgamLayerList *self,
                      NgamLayerKind  kind,
                      int            delta)
{
  guint i;

  g_return_if_fail (NGAM_IS_LAYER_LIST (self));

  for (i = 0; i < NGAM_N_LAYERS && self->order[i] != kind; i++)
    ;
  if (i >= NGAM_N_LAYERS || (int) i + delta < 0 || (int) i + delta >= NGAM_N_LAYERS)
    return;
  self->order[i] = self->order[i + delta];
  self->order[i + delta] = kind;
  place_rows (self);
  g_signal_emit (self, signals[STYLE_CHANGED], 0);
}

static void
move_clicked (GtkButton     *button,
              NgamLayerList *self)
{
  ngam_layer_list_move (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "ngam-kind")),
                        GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "ngam-delta")));
}

static void
dropdown_changed (GtkDropDown   *dropdown,
                   GParamSpec    *pspec,
                   NgamLayerList *self)
{
  if (!self->syncing)
    g_signal_emit (self, signals[STYLE_CHANGED], 0);
}

/* The text fields @kind can be coloured by, after "" for its usual look;
 * NULL when there are none. */
static GStrv
colourable_fields (NgamLayerKind kind)
{
  const NgamLayerInfo *info = ngam_layer_info (kind);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  gboolean any = FALSE;

  g_strv_builder_add (b, "");
  for (guint i = 0; i < info->n_fields; i++)
    if (ngam_render_style_can_colour_by (kind, info->fields[i].name))
      {
        g_strv_builder_add (b, info->fields[i].name);
        any = TRUE;
      }
  return any ? g_strv_builder_end (b) : NULL;
}

/* The fields @kind can be labelled by, after "" for none; NULL when none. */
static GStrv
labelling_fields (NgamLayerKind kind)
{
  const NgamLayerInfo *info = ngam_layer_info (kind);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  gboolean any = FALSE;

  g_strv_builder_add (b, "");
  for (guint i = 0; i < info->n_fields; i++)
    if (ngam_render_style_can_label_by (kind, info->fields[i].name))
      {
        g_strv_builder_add (b, info->fields[i].name);
        any = TRUE;
      }
  return any ? g_strv_builder_end (b) : NULL;
}

static GtkWidget *
label_by_dropdown (NgamLayerList *self,
                   NgamLayerKind  kind)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *dropdown;

  self->label_fields[kind] = labelling_fields (kind);
  if (self->label_fields[kind] == NULL)
    return NULL;
  gtk_string_list_append (names, _("No Labels"));
  for (guint i = 1; self->label_fields[kind][i] != NULL; i++)
    gtk_string_list_append (names, self->label_fields[kind][i]);
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL);
  gtk_widget_set_tooltip_text (dropdown, _("The field written beside each feature, at street scales"));
  g_signal_connect (dropdown, "notify::selected", G_CALLBACK (dropdown_changed), self);
  return dropdown;
}

static GtkWidget *
colour_by_dropdown (NgamLayerList *self,
                    NgamLayerKind  kind)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *dropdown;

  self->fields[kind] = colourable_fields (kind);
  if (self->fields[kind] == NULL)
    return NULL;
  /* Spans and routes are coloured by operator unless told otherwise. */
  gtk_string_list_append (names, kind == NGAM_LAYER_SPANS || kind == NGAM_LAYER_ROUTES ? _("Operator")
                                                                                      : _("One Colour"));
  for (guint i = 1; self->fields[kind][i] != NULL; i++)
    gtk_string_list_append (names, self->fields[kind][i]);
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL);
  gtk_widget_set_tooltip_text (dropdown, _("The field whose values colour the layer’s features"));
  g_signal_connect (dropdown, "notify::selected", G_CALLBACK (dropdown_changed), self);
  return dropdown;
}

static GtkWidget *
style_menu (NgamLayerList *self,
            NgamLayerKind  kind)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (_("Opacity"));
  GtkWidget *scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 1, 0.05);
  GtkWidget *moves = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  const char *icons[2] = { "go-up-symbolic", "go-down-symbolic" };
  const char *tips[2] = { N_("Move Up: drawn over the layers below"), N_("Move Down") };

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Opacity and Order"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_range_set_value (GTK_RANGE (scale), 1.0);
  gtk_widget_set_size_request (scale, 160, -1);
  g_signal_connect (scale, "value-changed", G_CALLBACK (opacity_changed), self);
  gtk_widget_add_css_class (moves, "linked");
  for (int i = 0; i < 2; i++)
    {
      GtkWidget *b = gtk_button_new_from_icon_name (icons[i]);

      gtk_widget_set_tooltip_text (b, _(tips[i]));
      gtk_widget_set_hexpand (b, TRUE);
      g_object_set_data (G_OBJECT (b), "ngam-kind", GUINT_TO_POINTER (kind));
      g_object_set_data (G_OBJECT (b), "ngam-delta", GINT_TO_POINTER (i == 0 ? 1 : -1));
      g_signal_connect (b, "clicked", G_CALLBACK (move_clicked), self);
      gtk_box_append (GTK_BOX (moves), b);
    }
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), scale);
  self->colour_by[kind] = colour_by_dropdown (self, kind);
  if (self->colour_by[kind] != NULL)
    {
      GtkWidget *heading = gtk_label_new (_("Colour By"));

      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_box_append (GTK_BOX (box), heading);
      gtk_box_append (GTK_BOX (box), self->colour_by[kind]);
      self->legends[kind] = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      gtk_widget_set_visible (self->legends[kind], FALSE);
      gtk_box_append (GTK_BOX (box), self->legends[kind]);
      gtk_widget_set_tooltip_text (button, _("Style, Opacity and Order"));
    }
  self->label_by[kind] = label_by_dropdown (self, kind);
  if (self->label_by[kind] != NULL)
    {
      GtkWidget *heading = gtk_label_new (_("Labels"));

      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_box_append (GTK_BOX (box), heading);
      gtk_box_append (GTK_BOX (box), self->label_by[kind]);
    }
  gtk_box_append (GTK_BOX (box), moves);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  self->scales[kind] = scale;
  return button;
}

/* The layer's symbol; coloured by a field, its first four categories'
 * colours side by side. */
static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        data)
{
  NgamLayerList *self = data;
  NgamLayerKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (area), "ngam-kind"));
  GPtrArray *cats = self->categories[kind];
  guint n = cats ? MIN (cats->len, 4) : 0;

  if (n == 0)
    {
      ngam_render_legend_swatch (cr, kind, 0, 0, width, height);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      double rgb[3];

      ngam_render_category_rgb (((NgamRenderCategory *) cats->pdata[i])->value, rgb);
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      cairo_rectangle (cr, 2 + (width - 4) * i / (double) n, 4, (width - 4) / (double) n, height - 8);
      cairo_fill (cr);
    }
}

static void
draw_category (GtkDrawingArea *area,
               cairo_t        *cr,
               int             width,
               int             height,
               gpointer        data)
{
  double *rgb = data;

  cairo_arc (cr, width / 2.0, height / 2.0, MIN (width, height) / 2.0 - 1, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  cairo_fill (cr);
}

/* "12 345 features", grouped with thin spaces as Vietnamese and SI do. */
static char *
format_count (gint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, n);
  g_autoptr(GString) s = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (s, "\u202f");
      g_string_append_c (s, digits[i]);
    }
  if (n == 0)
    return g_strdup (_("empty"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s feature", "%s features", n), s->str);
}

static void
check_toggled (GtkCheckButton *check,
               NgamLayerList  *self)
{
  guint layers = 0;

  if (self->syncing)
    return;
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->checks[k])))
      layers |= NGAM_RENDER_LAYER (k);
  if (layers == self->visible_layers)
    return;
  self->visible_layers = layers;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_LAYERS]);
}

static void
ngam_layer_list_dispose (GObject *object)
{
  NgamLayerList *self = NGAM_LAYER_LIST (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      g_clear_pointer (&self->fields[k], g_strfreev);
      g_clear_pointer (&self->label_fields[k], g_strfreev);
      g_clear_pointer (&self->categories[k], g_ptr_array_unref);
    }
  G_OBJECT_CLASS (ngam_layer_list_parent_class)->dispose (object);
}

static void
ngam_layer_list_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  NgamLayerList *self = NGAM_LAYER_LIST (object);

  switch (prop_id)
    {
    case PROP_VISIBLE_LAYERS:
      g_value_set_uint (value, self->visible_layers);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ngam_layer_list_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  NgamLayerList *self = NGAM_LAYER_LIST (object);

  switch (prop_id)
    {
    case PROP_VISIBLE_LAYERS:
      ngam_layer_list_set_visible_layers (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ngam_layer_list_class_init (NgamLayerListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ngam_layer_list_dispose;
  object_class->get_property = ngam_layer_list_get_property;
  object_class->set_property = ngam_layer_list_set_property;

  properties[PROP_VISIBLE_LAYERS] =
    g_param_spec_uint ("visible-layers", NULL, "Mask of NGAM_RENDER_LAYER() bits",
                       0, NGAM_RENDER_ALL_LAYERS, NGAM_RENDER_ALL_LAYERS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /**
   * NgamLayerList::style-changed:
   *
   * The user changed a layer's opacity or colour-by field, or the
   * layers' order.
   */
  signals[STYLE_CHANGED] =
    g_signal_new ("style-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ngam-layer-list");
}

static void
ngam_layer_list_init (NgamLayerList *self)
{
  const NgamLayerKind *order = ngam_render_draw_order ();
  GtkWidget *list, *heading;

  self->visible_layers = NGAM_RENDER_ALL_LAYERS;
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_start (self->box, 12);
  gtk_widget_set_margin_end (self->box, 12);
  gtk_widget_set_margin_top (self->box, 12);
  gtk_widget_set_margin_bottom (self->box, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  heading = gtk_label_new (_("Layers"));
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (self->box), heading);

  list = self->list = gtk_list_box_new ();
  memcpy (self->order, order, sizeof self->order);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_box_append (GTK_BOX (self->box), list);

  for (int i = NGAM_N_LAYERS - 1; i >= 0; i--)
    {
      NgamLayerKind kind = order[i];
      const NgamLayerInfo *info = ngam_layer_info (kind);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *swatch = gtk_drawing_area_new ();
      GtkWidget *check = gtk_check_button_new ();

      /* core marks its layer titles for po/ but leaves them English */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), g_dgettext (GETTEXT_PACKAGE, info->title));
      gtk_widget_set_size_request (swatch, 28, 20);
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (swatch), "ngam-kind", GUINT_TO_POINTER (kind));
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch, self, NULL);
      self->swatches[kind] = swatch;
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), swatch);

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (check, _("Show on the map"));
      g_signal_connect (check, "toggled", G_CALLBACK (check_toggled), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), style_menu (self, kind));
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);

      gtk_list_box_append (GTK_LIST_BOX (list), row);
      self->rows[kind] = row;
      self->checks[kind] = check;
    }
}

GtkWidget *
ngam_layer_list_new (void)
{
  return g_object_new (NGAM_TYPE_LAYER_LIST, NULL);
}

guint
ngam_layer_list_get_visible_layers (NgamLayerList *self)
{
  g_return_val_if_fail (NGAM_IS_LAYER_LIST (self), 0);
  return self->visible_layers;
}

void
ngam_layer_list_set_visible_layers (NgamLayerList *self,
                                    guint          layers)
{
  g_return_if_fail (NGAM_IS_LAYER_LIST (self));

  layers &= NGAM_RENDER_ALL_LAYERS;
  if (layers == self->visible_layers)
    return;
  self->visible_layers = layers;
  self->syncing = TRUE;
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (self->checks[k]), (layers & NGAM_RENDER_LAYER (k)) != 0);
  self->syncing = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_LAYERS]);
}

/**
 * ngam_layer_list_set_counts:
 * @counts: (array fixed-size=NGAM_N_LAYERS) (nullable): features per
 *   layer, or %NULL when no project is open
 */
void
ngam_layer_list_set_counts (NgamLayerList *self,
                            const gint64  *counts)
{
  g_return_if_fail (NGAM_IS_LAYER_LIST (self));

  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      g_autofree char *text = counts && counts[k] >= 0 ? format_count (counts[k]) : g_strdup ("");

      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->rows[k]), text);
      if (counts && counts[k] == 0)
        gtk_widget_add_css_class (self->rows[k], "dim-label");
      else
        gtk_widget_remove_css_class (self->rows[k], "dim-label");
    }
}

/* Returns: (transfer none): the check button of layer @kind (for tests and
 * keyboard navigation). */
GtkWidget *
ngam_layer_list_get_toggle (NgamLayerList *self,
                            guint          kind)
{
  g_return_val_if_fail (NGAM_IS_LAYER_LIST (self), NULL);
  g_return_val_if_fail (kind < NGAM_N_LAYERS, NULL);
  return self->checks[kind];
}

/* Returns: (array fixed-size=10): the layers, bottom first. */
const NgamLayerKind *
ngam_layer_list_get_order (NgamLayerList *self)
{
  g_return_val_if_fail (NGAM_IS_LAYER_LIST (self), NULL);
  return self->order;
}

/* Sets the order (bottom first) without emitting ::style-changed. */
void
ngam_layer_list_set_order (NgamLayerList       *self,
                           const NgamLayerKind *order)
{
  guint seen = 0;

  g_return_if_fail (NGAM_IS_LAYER_LIST (self));

  for (guint i = 0; i < NGAM_N_LAYERS; i++)
    if (order[i] < NGAM_N_LAYERS)
      seen |= NGAM_RENDER_LAYER (order[i]);
  g_return_if_fail (seen == NGAM_RENDER_ALL_LAYERS);
  memcpy (self->order, order, sizeof self->order);
  place_rows (self);
}

double
ngam_layer_list_get_opacity (NgamLayerList *self,
                             NgamLayerKind  kind)
{
  g_return_val_if_fail (NGAM_IS_LAYER_LIST (self), 1.0);
  return gtk_range_get_value (GTK_RANGE (self->scales[kind]));
}

/* Sets an opacity without emitting ::style-changed. */
void
ngam_layer_list_set_opacity (NgamLayerList *self,
                             NgamLayerKind  kind,
                             double         opacity)
{
  g_return_if_fail (NGAM_IS_LAYER_LIST (self));

  self->syncing = TRUE;
  gtk_range_set_value (GTK_RANGE (self->scales[kind]), opacity);
  self->syncing = FALSE;
}

/* Returns: (transfer none): the opacity slider of @kind (for tests). */
GtkWidget *
ngam_layer_list_get_opacity_scale (NgamLayerList *self,
                                   NgamLayerKind  kind)
{
  g_return_val_if_fail (NGAM_IS_LAYER_LIST (self), NULL);
  return self->scales[kind];
}

/* Returns: (nullable): the field @kind is coloured by, NULL for its usual look. */
const char *
ngam_layer_list_get_colour_by (NgamLayerList *self,
                               NgamLayerKind  kind)
{
  guint i;

  g_return_val_if_fail (NGAM_IS_LAYER_LIST (self), NULL);
  g_return_val_if_fail (kind < NGAM_N_LAYERS, NULL);

  if (self->colour_by[kind] == NULL)
    return NULL;
  i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->colour_by[kind]));
  if (i == 0 || i == GTK_INVALID_LIST_POSITION || i >= g_strv_length (self->fields[kind]))
    return NULL;
  return self->fields[kind][i];
}

/* Chooses @field (NULL or one @kind cannot be coloured by: the usual
 * look) without emitting ::style-changed. */
void
ngam_layer_list_set_colour_by (NgamLayerList *self,
                               NgamLayerKind  kind,
                               const char    *field)
{
  guint pos = 0;

  g_return_if_fail (NGAM_IS_LAYER_LIST (self));
  g_return_if_fail (kind < NGAM_N_LAYERS);

  if (self->colour_by[kind] == NULL)
    return;
  for (guint i = 1; field != NULL && self->fields[kind][i] != NULL; i++)
    if (g_str_equal (self->fields[kind][i], field))
      pos = i;
  self->syncing = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->colour_by[kind]), pos);
  self->syncing = FALSE;
}

/* Returns: (transfer none) (nullable): the colour-by dropdown of @kind (for
 * tests), NULL for a layer drawn in one way only. */
GtkWidget *
ngam_layer_list_get_colour_by_dropdown (NgamLayerList *self,
                                        NgamLayerKind  kind)
{
  g_return_val_if_fail (NGAM_IS_LAYER_LIST (self), NULL);
  g_return_val_if_fail (kind < NGAM_N_LAYERS, NULL);
  return self->colour_by[kind];
}

#define LEGEND_MAX 8

/**
 * ngam_layer_list_set_categories:
 * @categories: (element-type NgamRenderCategory) (nullable): the values of
 *   the field @kind is coloured by, most features first
 *   (ngam_render_style_count_categories()); NULL for none
 *
 * Shows them as the layer's legend: the first eight with their colours
 * and counts, then how many more.
 */
void
ngam_layer_list_set_categories (NgamLayerList *self,
                                NgamLayerKind  kind,
                                GPtrArray     *categories)
{
  GtkWidget *legend, *child;

  g_return_if_fail (NGAM_IS_LAYER_LIST (self));
  g_return_if_fail (kind < NGAM_N_LAYERS);

  g_clear_pointer (&self->categories[kind], g_ptr_array_unref);
  if (categories != NULL && categories->len > 0)
    self->categories[kind] = g_ptr_array_ref (categories);
  gtk_widget_queue_draw (self->swatches[kind]);
  legend = self->legends[kind];
  if (legend == NULL)
    return;
  while ((child = gtk_widget_get_first_child (legend)) != NULL)
    gtk_box_remove (GTK_BOX (legend), child);
  gtk_widget_set_visible (legend, self->categories[kind] != NULL);
  if (self->categories[kind] == NULL)
    return;
  for (guint i = 0; i < MIN (categories->len, LEGEND_MAX); i++)
    {
      const NgamRenderCategory *c = categories->pdata[i];
      GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *dot = gtk_drawing_area_new ();
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, c->count);
      GtkWidget *name = gtk_label_new (c->value != NULL ? c->value : _("No value"));
      GtkWidget *n = gtk_label_new (count);
      double *rgb = g_new (double, 3);

      ngam_render_category_rgb (c->value, rgb);
      gtk_widget_set_size_request (dot, 12, 12);
      gtk_widget_set_valign (dot, GTK_ALIGN_CENTER);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (dot), draw_category, rgb, g_free);
      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (name, TRUE);
      gtk_widget_add_css_class (n, "dim-label");
      gtk_widget_add_css_class (n, "numeric");
      gtk_box_append (GTK_BOX (line), dot);
      gtk_box_append (GTK_BOX (line), name);
      gtk_box_append (GTK_BOX (line), n);
      gtk_box_append (GTK_BOX (legend), line);
    }
  if (categories->len > LEGEND_MAX)
    {
      guint more = categories->len - LEGEND_MAX;
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %u more value",
                                                            "and %u more values", more), more);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (legend), label);
    }
}

/* Returns: the categories the legend of @kind shows (for tests). */
guint
ngam_layer_list_get_n_categories (NgamLayerList *self,
                                  NgamLayerKind  kind)
{
  g_return_val_if_fail (NGAM_IS_LAYER_LIST (self), 0);
  return self->categories[kind] != NULL ? self->categories[kind]->len : 0;
}

/* Returns: (nullable): the field @kind is labelled by, NULL for none. */
const char *
ngam_layer_list_get_label_by (NgamLayerList *self,
                              NgamLayerKind  kind)
{
  guint i;

  g_return_val_if_fail (NGAM_IS_LAYER_LIST (self), NULL);
  g_return_val_if_fail (kind < NGAM_N_LAYERS, NULL);

  if (self->label_by[kind] == NULL)
    return NULL;
  i = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->label_by[kind]));
  if (i == 0 || i == GTK_INVALID_LIST_POSITION || i >= g_strv_length (self->label_fields[kind]))
    return NULL;
  return self->label_fields[kind][i];
}

/* Chooses @field (NULL or one @kind cannot be labelled by: none) without
 * emitting ::style-changed. */
void
ngam_layer_list_set_label_by (NgamLayerList *self,
                              NgamLayerKind  kind,
                              const char    *field)
{
  guint pos = 0;

  g_return_if_fail (NGAM_IS_LAYER_LIST (self));
  g_return_if_fail (kind < NGAM_N_LAYERS);

  if (self->label_by[kind] == NULL)
    return;
  for (guint i = 1; field != NULL && self->label_fields[kind][i] != NULL; i++)
    if (g_str_equal (self->label_fields[kind][i], field))
      pos = i;
  self->syncing = TRUE;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->label_by[kind]), pos);
  self->syncing = FALSE;
}

/* Returns: (transfer none) (nullable): the labels dropdown of @kind (for tests). */
GtkWidget *
ngam_layer_list_get_label_by_dropdown (NgamLayerList *self,
                                       NgamLayerKind  kind)
{
  g_return_val_if_fail (NGAM_IS_LAYER_LIST (self), NULL);
  g_return_val_if_fail (kind < NGAM_N_LAYERS, NULL);
  return self->label_by[kind];
}
