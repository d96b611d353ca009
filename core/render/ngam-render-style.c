/* ngam-render-style.c — how the map looks: draw order, colours, street classes, zones
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every colour and symbol size the renderer uses lives here, read by the
 * map (ngam-render.c), by the results drawn over it (ngam-render-results.c)
 * and by the legend (ngam-render-furniture.c), so that what a legend shows
 * is what the map draws.
 */
#define G_LOG_DOMAIN "ngam-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-render-private.h"
#include "ngam-zone.h"

/* Bottom to top. */
static const NgamLayerKind draw_order[] = {
  NGAM_LAYER_ZONES,
  NGAM_LAYER_STREETS,
  NGAM_LAYER_ADMIN,
  NGAM_LAYER_DEMAND,
  NGAM_LAYER_DUCTS,
  NGAM_LAYER_ROUTES,
  NGAM_LAYER_SPANS,
  NGAM_LAYER_MANHOLES,
  NGAM_LAYER_POLES,
  NGAM_LAYER_SITES,
};
G_STATIC_ASSERT (G_N_ELEMENTS (draw_order) == NGAM_N_LAYERS);

/* Land, like the paper of a town plan. */
static const double background[3] = { 0.949, 0.937, 0.914 };

/* Returns: the NGAM_N_LAYERS kinds, bottom to top, as the map stacks them
 *   (a legend lists them the other way round). */
const NgamLayerKind *
ngam_render_draw_order (void)
{
  return draw_order;
}

/**
 * ngam_render_layer_max_scale:
 *
 * Returns: the largest scale (metres per pixel) at which the layer is drawn
 *   (INFINITY for always): beyond it its symbols would merge into a smear
 *   and reading them would cost time for nothing.
 */
double
ngam_render_layer_max_scale (NgamLayerKind kind)
{
  switch (kind)
    {
    case NGAM_LAYER_POLES: return 4.0;
    case NGAM_LAYER_MANHOLES: return 4.0;
    case NGAM_LAYER_DEMAND: return 2.5;
    case NGAM_LAYER_SPANS: return 6.0;
    case NGAM_LAYER_ROUTES: return 60.0;
    case NGAM_LAYER_DUCTS: return 60.0;
    /* a province's sites, one per cell three symbols wide, are a lattice
     * over everything else that says only "everywhere" */
    case NGAM_LAYER_SITES: return 60.0;
    case NGAM_LAYER_STREETS:
    case NGAM_LAYER_ZONES:
    case NGAM_LAYER_ADMIN:
    case NGAM_N_LAYERS:
    default:
      return INFINITY;
    }
}

void
ngam_render_background_rgb (double rgb[3])
{
  memcpy (rgb, background, sizeof background);
}

void
ngam_render_set_rgb (cairo_t *cr, const double rgb[3])
{
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
}

/* Operators that Huế planners meet every day keep their usual colours;
 * others get one of a palette chosen for distinctness (Tableau 10). */
static const struct
{
  const char *name;
  guint32     rgb;
} operator_colors[] = {
  { "VNPT", 0x1565c0 },
  { "Viettel", 0xd32f2f },
  { "FPT", 0xef6c00 },
  { "MobiFone", 0x6a1b9a },
  { "Vietnamobile", 0xc0a000 },
  { "SCTV", 0x00897b },
  { "VTVcab", 0x2e7d32 },
  { "CMC", 0xad1457 },
  { "EVN", 0x5d4037 },
};

static const guint32 palette[] = {
  0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
  0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0x6b6b6b,
};

void
ngam_render_rgb_from_hex (guint32 hex, double rgb[3])
{
  rgb[0] = ((hex >> 16) & 0xff) / 255.0;
  rgb[1] = ((hex >> 8) & 0xff) / 255.0;
  rgb[2] = (hex & 0xff) / 255.0;
}

/* The colour of an operator's cables, stable across runs and machines. */
void
ngam_render_operator_rgb (const char *operator_name,
                          double      rgb[3])
{
  guint32 h = 5381;

  if (operator_name == NULL || *operator_name == '\0')
    {
      ngam_render_rgb_from_hex (0x555555, rgb);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (operator_colors); i++)
    if (g_ascii_strcasecmp (operator_name, operator_colors[i].name) == 0)
      {
        ngam_render_rgb_from_hex (operator_colors[i].rgb, rgb);
        return;
      }
  /* djb2 over the bytes: g_str_hash is not promised to stay the same. */
  for (const char *p = operator_name; *p; p++)
    h = h * 33 + (guchar) g_ascii_tolower (*p);
  ngam_render_rgb_from_hex (palette[h % G_N_ELEMENTS (palette)], rgb);
}

/* Values a planner styles by whose meaning is fixed get a fixed colour:
 * what is in service dark, what is planned blue, what goes away grey-red;
 * the four cable types apart from each other (a hashed palette colour
 * gave coax and copper the same brown). */
static const struct
{
  const char *value;
  guint32     rgb;
} known_values[] = {
  { "active", 0x263238 },
  { "existing", 0x263238 },
  { "planned", 0x1e88e5 },
  { "proposed", 0x1e88e5 },
  { "removed", 0xb0bec5 },
  { "retired", 0xb0bec5 },
  { "damaged", 0xd81b60 },
  { "fibre", 0xf28e2b },
  { "fiber", 0xf28e2b },
  { "copper", 0x8d6e63 },
  { "coax", 0x00897b },
  { "power", 0xc62828 },
};

/**
 * ngam_render_category_rgb:
 * @value: (nullable): a text field's value
 *
 * The colour of one category when a layer is coloured by a text field:
 * NULL or empty is mid grey (0x9e9e9e), the known status values have
 * fixed colours, operator names keep their operator colours, any other
 * value gets a palette colour chosen by a djb2 hash of its lower-cased
 * bytes, so the same value has the same colour on every run, machine and
 * PDF.
 */
void
ngam_render_category_rgb (const char *value,
                          double      rgb[3])
{
  if (value == NULL || *value == '\0')
    {
      ngam_render_rgb_from_hex (0x9e9e9e, rgb);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (known_values); i++)
    if (g_ascii_strcasecmp (value, known_values[i].value) == 0)
      {
        ngam_render_rgb_from_hex (known_values[i].rgb, rgb);
        return;
      }
  ngam_render_operator_rgb (value, rgb);
}

/* Returns: whether @kind can be coloured by @field: a text field of a
 * point or line layer the renderer colours (not fids, not numbers yet). */
gboolean
ngam_render_style_can_colour_by (NgamLayerKind kind,
                                 const char   *field)
{
  int i;

  if (kind != NGAM_LAYER_POLES && kind != NGAM_LAYER_MANHOLES && kind != NGAM_LAYER_DEMAND &&
      kind != NGAM_LAYER_SPANS && kind != NGAM_LAYER_ROUTES)
    return FALSE;
  if (field == NULL || (i = ngam_layer_field_index (kind, field)) < 0)
    return FALSE;
  return ngam_layer_info (kind)->fields[i].type == NGAM_FIELD_TEXT &&
         g_strcmp0 (field, "code") != 0;
}

/* Colours after OpenStreetMap Carto, which every GIS user reads fluently. */
static const NgamStreetClass street_classes[] = {
  { "motorway", 7, 22, 4.0, 0xe892a2, INFINITY },
  { "trunk", 6, 18, 3.5, 0xf9b29c, INFINITY },
  { "primary", 5, 16, 3.5, 0xfcd6a4, INFINITY },
  { "secondary", 4, 12, 3.0, 0xf7fabf, INFINITY },
  { "tertiary", 3, 10, 2.5, 0xffffff, 40.0 },
  { "unclassified", 2, 7, 2.0, 0xffffff, 16.0 },
  { "residential", 2, 7, 2.0, 0xffffff, 16.0 },
  { "living_street", 2, 6, 2.0, 0xededed, 16.0 },
  { "service", 1, 4, 1.4, 0xffffff, 6.0 },
  { "alley", 1, 3, 1.4, 0xffffff, 6.0 },
  { "track", 1, 3, 1.2, 0xe6d7b8, 6.0 },
  { "pedestrian", 1, 5, 1.6, 0xdddde8, 6.0 },
  { "footway", 0, 2, 1.0, 0xfa8072, 3.0 },
  { "path", 0, 2, 1.0, 0xfa8072, 3.0 },
  { "cycleway", 0, 2, 1.0, 0x6f6ff0, 3.0 },
  { "steps", 0, 2, 1.0, 0xfa8072, 3.0 },
};

static const NgamStreetClass street_default = { NULL, 2, 7, 2.0, 0xffffff, 16.0 };

const NgamStreetClass *
ngam_render_street_class (const char *highway)
{
  if (highway == NULL)
    return &street_default;
  for (guint i = 0; i < G_N_ELEMENTS (street_classes); i++)
    if (strcmp (highway, street_classes[i].highway) == 0)
      return &street_classes[i];
  /* "primary_link" and friends look like their class. */
  for (guint i = 0; i < G_N_ELEMENTS (street_classes); i++)
    {
      gsize n = strlen (street_classes[i].highway);

      if (strncmp (highway, street_classes[i].highway, n) == 0 && strcmp (highway + n, "_link") == 0)
        return &street_classes[i];
    }
  return &street_default;
}

/* The streets the map leaves out at @scale (m/px), as a condition on the
 * "highway" field for the store: the classes drawn, in @values (with their
 * "_link" roads), when streets of no known class are left out too, or else
 * those left out, with *@exclude set.  Returns FALSE when every class is
 * drawn.  Either way exactly the streets ngam_render_street_class() gives a
 * max_scale of at least @scale pass. */
gboolean
ngam_render_street_filter (double     scale,
                           GPtrArray *values,
                           gboolean  *exclude)
{
  gboolean any_hidden = FALSE;

  *exclude = scale <= street_default.max_scale;
  for (guint i = 0; i < G_N_ELEMENTS (street_classes); i++)
    {
      gboolean hidden = scale > street_classes[i].max_scale;

      any_hidden |= hidden;
      if (hidden == *exclude)
        {
          g_ptr_array_add (values, g_strdup (street_classes[i].highway));
          g_ptr_array_add (values, g_strconcat (street_classes[i].highway, "_link", NULL));
        }
    }
  g_ptr_array_add (values, NULL);
  return any_hidden || !*exclude;
}

/* The look follows the one zone vocabulary (ngam-zone.h), aliases and all. */
NgamZoneStyle
ngam_render_zone_style (const char *zone_type)
{
  switch (ngam_zone_from_name (zone_type))
    {
    case NGAM_ZONE_FLOOD: return NGAM_ZONE_STYLE_FLOOD;
    case NGAM_ZONE_WATER: return NGAM_ZONE_STYLE_WATER;
    case NGAM_ZONE_HERITAGE: return NGAM_ZONE_STYLE_HERITAGE;
    case NGAM_ZONE_FESTIVAL: return NGAM_ZONE_STYLE_FESTIVAL;
    case NGAM_ZONE_LANDSLIDE: return NGAM_ZONE_STYLE_LANDSLIDE;
    case NGAM_ZONE_NO_DIG: return NGAM_ZONE_STYLE_NO_DIG;
    default: return NGAM_ZONE_STYLE_OTHER;
    }
}

static const NgamZoneLook zone_looks[] = {
  [NGAM_ZONE_STYLE_FLOOD]     = { { 0.30, 0.55, 0.85, 0.16 }, -1, { 0.25, 0.50, 0.85, 0.55 }, 1.0, TRUE },
  [NGAM_ZONE_STYLE_WATER]     = { { 0.667, 0.827, 0.875, 1 }, -1, { 0.55, 0.72, 0.80, 1 }, 1.0, FALSE },
  [NGAM_ZONE_STYLE_HERITAGE]  = { { 0.80, 0.55, 0.25, 0.10 }, 0, { 0.60, 0.32, 0.10, 0.85 }, 1.6, FALSE },
  [NGAM_ZONE_STYLE_FESTIVAL]  = { { 0.95, 0.30, 0.60, 0.10 }, -1, { 0.85, 0.20, 0.55, 0.60 }, 1.0, FALSE },
  [NGAM_ZONE_STYLE_LANDSLIDE] = { { 0.55, 0.40, 0.20, 0.18 }, 2, { 0.45, 0.30, 0.15, 0.70 }, 1.0, FALSE },
  [NGAM_ZONE_STYLE_NO_DIG]    = { { 0 }, 1, { 0.80, 0.10, 0.10, 0.80 }, 1.4, FALSE },
  [NGAM_ZONE_STYLE_OTHER]     = { { 0.5, 0.5, 0.5, 0.10 }, -1, { 0.4, 0.4, 0.4, 0.6 }, 1.0, FALSE },
};

const NgamZoneLook *
ngam_render_zone_look (NgamZoneStyle style)
{
  g_return_val_if_fail ((guint) style < G_N_ELEMENTS (zone_looks), &zone_looks[NGAM_ZONE_STYLE_OTHER]);
  return &zone_looks[style];
}

/* Fills and strokes the current path as a zone of @look; @hatch holds the
 * patterns its hatch index names.  The map and the legend both draw zones
 * through here, so they cannot drift apart. */
void
ngam_render_paint_zone (cairo_t          *cr,
            const NgamZoneLook   *look,
            cairo_pattern_t **hatch)
{
  static const double dash[] = { 5, 3 };

  if (look->fill[3] > 0)
    {
      cairo_set_source_rgba (cr, look->fill[0], look->fill[1], look->fill[2], look->fill[3]);
      cairo_fill_preserve (cr);
    }
  if (look->hatch >= 0)
    {
      cairo_set_source (cr, hatch[look->hatch]);
      cairo_fill_preserve (cr);
    }
  cairo_set_source_rgba (cr, look->line[0], look->line[1], look->line[2], look->line[3]);
  cairo_set_line_width (cr, look->line_width);
  cairo_set_dash (cr, look->dashed ? dash : NULL, look->dashed ? G_N_ELEMENTS (dash) : 0, 0);
  cairo_stroke (cr);
}

/* A repeating tile of diagonal strokes (and the other diagonal too when
 * @cross) in the given colour, on transparent. */
static cairo_pattern_t *
hatch_pattern (guint32  hex,
               double   alpha,
               gboolean cross)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, HATCH_SPACING, HATCH_SPACING);
  cairo_t *cr = cairo_create (s);
  cairo_pattern_t *p;
  double rgb[3];

  ngam_render_rgb_from_hex (hex, rgb);
  cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], alpha);
  cairo_set_line_width (cr, 1.2);
  /* Three segments so the stroke continues across the tile's corners. */
  for (int k = -1; k <= 1; k++)
    {
      cairo_move_to (cr, k * HATCH_SPACING, HATCH_SPACING);
      cairo_line_to (cr, (k + 1) * HATCH_SPACING, 0);
      if (cross)
        {
          cairo_move_to (cr, k * HATCH_SPACING, 0);
          cairo_line_to (cr, (k + 1) * HATCH_SPACING, HATCH_SPACING);
        }
    }
  cairo_stroke (cr);
  cairo_destroy (cr);
  p = cairo_pattern_create_for_surface (s);
  cairo_surface_destroy (s);
  cairo_pattern_set_extend (p, CAIRO_EXTEND_REPEAT);
  return p;
}

/* The hatchings of zones (NgamZoneLook.hatch): heritage, no-dig, landslide. */
void
ngam_render_zone_hatches_new (cairo_pattern_t *hatch[N_HATCHES])
{
  static const struct { guint32 hex; double alpha; gboolean cross; } zone_hatches[N_HATCHES] = {
    { 0x9c5a1e, 0.55, FALSE }, { 0xc62828, 0.50, TRUE }, { 0x6d4c2a, 0.35, FALSE },
  };

  for (guint i = 0; i < N_HATCHES; i++)
    hatch[i] = hatch_pattern (zone_hatches[i].hex, zone_hatches[i].alpha, zone_hatches[i].cross);
}

void
ngam_render_zone_hatches_free (cairo_pattern_t *hatch[N_HATCHES])
{
  for (guint i = 0; i < N_HATCHES; i++)
    cairo_pattern_destroy (hatch[i]);
}

/**
 * ngam_render_style_parse_colour_by:
 * @kind: the layer the style is of
 * @style: (nullable): the layer's style as the project keeps it (GKeyFile
 *   text with a `[style]` group)
 *
 * Returns: (transfer full) (nullable): the field `colour-by=` names, when
 *   @kind can be coloured by it (ngam_render_style_can_colour_by()), or
 *   NULL for the layer's usual look: a style another version wrote, or a
 *   field renamed since, falls back to the usual look rather than failing.
 */
char *
ngam_render_style_parse_colour_by (NgamLayerKind  kind,
                                   const char    *style)
{
  g_autofree char *field = ngam_render_style_dup_key (style, "colour-by");

  if (!ngam_render_style_can_colour_by (kind, field))
    return NULL;
  return g_steal_pointer (&field);
}

/* Returns: (transfer full) (nullable): @key of the `[style]` group of a
 * style's text, spaces around it dropped; NULL when the text is not a key
 * file or has no such key. */
char *
ngam_render_style_dup_key (const char *style,
                           const char *key)
{
  g_autoptr(GKeyFile) kf = NULL;
  char *value;

  if (style == NULL)
    return NULL;
  kf = g_key_file_new ();
  if (!g_key_file_load_from_data (kf, style, -1, G_KEY_FILE_NONE, NULL))
    return NULL;
  value = g_key_file_get_string (kf, "style", key, NULL);
  return value != NULL ? g_strstrip (value) : NULL;
}

void
ngam_render_category_free (NgamRenderCategory *category)
{
  if (category == NULL)
    return;
  g_free (category->value);
  g_free (category);
}

static int
category_cmp (gconstpointer pa,
              gconstpointer pb)
{
  const NgamRenderCategory *a = *(NgamRenderCategory *const *) pa;
  const NgamRenderCategory *b = *(NgamRenderCategory *const *) pb;

  if (a->count != b->count)
    return a->count > b->count ? -1 : 1;
  /* No value last; otherwise by bytes, the same on every machine. */
  if (a->value == NULL || b->value == NULL)
    return (a->value == NULL) - (b->value == NULL);
  return strcmp (a->value, b->value);
}

/**
 * ngam_render_style_count_categories:
 * @field: a field @kind can be coloured by
 *
 * The values of @field among the layer's live features, the legend of a
 * layer coloured by it: one scan of the layer.
 *
 * Returns: (transfer full) (element-type NgamRenderCategory): the values
 *   (NULL for features without one), most features first, then by value;
 *   or NULL with @error set (cancelled, or the store failed).
 */
GPtrArray *
ngam_render_style_count_categories (NgamStore     *store,
                                    NgamLayerKind  kind,
                                    const char    *field,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  g_autoptr(NgamStoreCursor) cur = NULL;
  g_autoptr(GHashTable) seen = NULL;   /* value (or "" for none) → NgamRenderCategory*, borrowed */
  g_autoptr(GPtrArray) out = NULL;
  NgamRenderCategory *none = NULL;
  GError *local = NULL;
  guint n = 0;
  int fi;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (ngam_render_style_can_colour_by (kind, field), NULL);

  fi = ngam_layer_field_index (kind, field);
  cur = ngam_store_query (store, kind, NULL, NGAM_QUERY_DEFAULT, error);
  if (cur == NULL)
    return NULL;
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_render_category_free);
  while (ngam_store_cursor_next (cur, &local))
    {
      const NgamFeature *f = ngam_store_cursor_get (cur);
      const char *value = ngam_feature_is_null (f, fi) ? NULL : ngam_feature_get_text (f, fi);
      NgamRenderCategory *c;

      if ((++n & 0xfff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (value != NULL && *value == '\0')
        value = NULL;
      c = value == NULL ? none : g_hash_table_lookup (seen, value);
      if (c == NULL)
        {
          c = g_new0 (NgamRenderCategory, 1);
          c->value = g_strdup (value);
          g_ptr_array_add (out, c);
          if (value == NULL)
            none = c;
          else
            g_hash_table_insert (seen, c->value, c);
        }
      c->count++;
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  g_ptr_array_sort (out, category_cmp);
  return g_steal_pointer (&out);
}
