/* ngam-project-validate.c — what an editor may write into a field
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store takes any value of the right type; people typing into the
 * inspector deserve more: the words the planner reads (a pole's status, a
 * cable's type) from their lists, and no negative lengths or counts.  The
 * lists follow the field docs in core/store/ngam-layer.c.
 */
#define G_LOG_DOMAIN "ngam-project"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ngam-project.h"

typedef struct
{
  NgamLayerKind kind;
  const char   *field;
  const char   *allowed;   /* comma-separated, or NULL */
  gboolean      non_negative;
} Rule;

static const Rule rules[] = {
  { NGAM_LAYER_POLES, "status", "active,planned,removed", FALSE },
  { NGAM_LAYER_POLES, "height_m", NULL, TRUE },
  { NGAM_LAYER_SPANS, "status", "active,planned,retired", FALSE },
  { NGAM_LAYER_SPANS, "cable_type", "fibre,copper,coax,power", FALSE },
  { NGAM_LAYER_SPANS, "fibre_count", NULL, TRUE },
  { NGAM_LAYER_SPANS, "diameter_mm", NULL, TRUE },
  { NGAM_LAYER_SPANS, "cable_count", NULL, TRUE },
  { NGAM_LAYER_ROUTES, "cable_type", "fibre,copper,coax", FALSE },
  { NGAM_LAYER_ROUTES, "placement", "aerial,underground,mixed", FALSE },
  { NGAM_LAYER_ROUTES, "fibre_count", NULL, TRUE },
  { NGAM_LAYER_ROUTES, "diameter_mm", NULL, TRUE },
  { NGAM_LAYER_STREETS, "width_m", NULL, TRUE },
  { NGAM_LAYER_STREETS, "sidewalk_m", NULL, TRUE },
  { NGAM_LAYER_DUCTS, "duct_count", NULL, TRUE },
  { NGAM_LAYER_DUCTS, "duct_free", NULL, TRUE },
  { NGAM_LAYER_DUCTS, "duct_diameter_mm", NULL, TRUE },
  { NGAM_LAYER_DUCTS, "depth_m", NULL, TRUE },
  { NGAM_LAYER_MANHOLES, "kind", "manhole,handhole", FALSE },
  { NGAM_LAYER_DEMAND, "households", NULL, TRUE },
  { NGAM_LAYER_SITES, "radio", "GSM,UMTS,LTE,NR", FALSE },
  { NGAM_LAYER_SITES, "range_m", NULL, TRUE },
  { NGAM_LAYER_SITES, "height_m", NULL, TRUE },
};

static const char *
type_name (NgamFieldType type)
{
  switch (type)
    {
    case NGAM_FIELD_INT:
      return _("a whole number");
    case NGAM_FIELD_REAL:
      return _("a number (with a point for decimals)");
    case NGAM_FIELD_BOOL:
      return _("yes or no");
    case NGAM_FIELD_TEXT:
    default:
      return _("text");
    }
}

/**
 * ngam_project_validate_value:
 * @kind: the layer
 * @field: a field of the layer (ngam_layer_info()->fields)
 * @text: (nullable): the value as typed; %NULL or "" clears it
 *
 * Whether @text may be written into @field: of the field's type, from the
 * field's list of words when it has one, not negative for lengths and
 * counts.
 *
 * Returns: %TRUE, or %FALSE with a message for people in @error
 *   (%NGAM_PROJECT_ERROR_INVALID) naming the field and what it takes.
 */
gboolean
ngam_project_validate_value (NgamLayerKind   kind,
                             const char     *field,
                             const char     *text,
                             GError        **error)
{
  const NgamLayerInfo *info = ngam_layer_info (kind);
  g_autoptr(NgamFeature) scratch = NULL;
  int i = ngam_layer_field_index (kind, field);

  g_return_val_if_fail (kind < NGAM_N_LAYERS, FALSE);

  if (i < 0)
    {
      g_set_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_INVALID,
                   _("The %s layer has no field “%s”"), info->name, field);
      return FALSE;
    }
  if (text == NULL || *text == '\0')
    return TRUE;
  scratch = ngam_feature_new (kind);
  if (!ngam_feature_set_by_name (scratch, field, text, NULL))
    {
      g_set_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_INVALID,
                   _("“%s” is not a valid %s: it takes %s"), text, field, type_name (info->fields[i].type));
      return FALSE;
    }
  for (guint r = 0; r < G_N_ELEMENTS (rules); r++)
    {
      if (rules[r].kind != kind || strcmp (rules[r].field, field) != 0)
        continue;
      if (rules[r].allowed != NULL)
        {
          g_auto(GStrv) words = g_strsplit (rules[r].allowed, ",", -1);
          g_autofree char *list = NULL;

          for (guint w = 0; words[w] != NULL; w++)
            if (g_ascii_strcasecmp (words[w], text) == 0)
              return TRUE;
          list = g_strjoinv (", ", words);
          g_set_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_INVALID,
                       _("“%s” is not a valid %s: it is one of %s"), text, field, list);
          return FALSE;
        }
      if (rules[r].non_negative)
        {
          double v = info->fields[i].type == NGAM_FIELD_REAL ? ngam_feature_get_real (scratch, i)
                                                             : (double) ngam_feature_get_int (scratch, i);

          if (v < 0)
            {
              g_set_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_INVALID,
                           _("“%s” is not a valid %s: it cannot be negative"), text, field);
              return FALSE;
            }
        }
    }
  return TRUE;
}
