/* ngam-inspector.c — the selected feature's attributes, editable, with
 * where it came from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One feature: its operator and model fields as entry rows (typed values
 * are checked by ngam_project_validate_value() before anything is
 * written; a refused value turns the row red and says why), then its
 * provenance (source file, layer, feature id, key, import) and the raw
 * source attributes, read-only.  Several features: how many, and one row
 * to give them all to another operator.  Every change is one undoable
 * edit of the project.
 */
#define G_LOG_DOMAIN "ngam-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ngam-inspector.h"

struct _NgamInspector
{
  GtkWidget       parent_instance;

  GtkWidget      *scroller;
  GtkWidget      *box;
  GtkLabel       *message;
  NgamProject    *project;
  GArray         *refs;      /* NgamFeatureRef */
  GHashTable     *rows;      /* field name (or "operator") → AdwEntryRow */
  gboolean        rebuilding;
};

G_DEFINE_FINAL_TYPE (NgamInspector, ngam_inspector, GTK_TYPE_WIDGET)

enum {
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void rebuild (NgamInspector *self);

static void
show_message (NgamInspector *self,
              const char    *text)
{
  gtk_label_set_text (self->message, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message), text != NULL);
}

static char *
feature_title (const NgamFeature *f)
{
  const NgamLayerInfo *info = ngam_layer_info (f->kind);
  int code = ngam_layer_field_index (f->kind, "code");
  int name = ngam_layer_field_index (f->kind, "name");
  const char *title = g_dgettext (GETTEXT_PACKAGE, info->title);

  if (code >= 0 && !ngam_feature_is_null (f, code))
    return g_strdup_printf ("%s %s", title, ngam_feature_get_text (f, code));
  if (name >= 0 && !ngam_feature_is_null (f, name))
    return g_strdup_printf ("%s %s", title, ngam_feature_get_text (f, name));
  return g_strdup_printf ("%s %" G_GINT64_FORMAT, title, f->fid);
}

/* @text with a Vietnamese decimal comma ("9,5", one comma and no point)
 * read as the point it means, when @field is a real number; otherwise as
 * typed.  "1,500" is one and a half metres here, as a Vietnamese reads it. */
static char *
decimal_point (NgamLayerKind  kind,
               const char    *field,
               const char    *text)
{
  int i = ngam_layer_field_index (kind, field);
  char *copy = g_strdup (text);
  char *comma = strchr (copy, ',');

  if (i >= 0 && ngam_layer_info (kind)->fields[i].type == NGAM_FIELD_REAL && comma != NULL &&
      strchr (comma + 1, ',') == NULL && strchr (copy, '.') == NULL)
    *comma = '.';
  return copy;
}

/* A value typed into a row of the one feature shown. */
static void
row_applied (AdwEntryRow   *row,
             NgamInspector *self)
{
  const char *field = g_object_get_data (G_OBJECT (row), "ngam-field");
  NgamFeatureRef *ref = &g_array_index (self->refs, NgamFeatureRef, 0);
  g_autofree char *typed = self->refs->len == 1 && field != NULL
                           ? decimal_point (ref->kind, field, gtk_editable_get_text (GTK_EDITABLE (row)))
                           : g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));
  const char *text = typed;
  NgamStore *store = self->project ? ngam_project_get_store (self->project) : NULL;
  g_autoptr(NgamFeature) f = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL, *label = NULL;

  if (store == NULL || self->refs->len != 1)
    return;
  if (g_strcmp0 (field, "operator") != 0 &&
      !ngam_project_validate_value (ref->kind, field, text, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      show_message (self, error->message);
      g_signal_emit (self, signals[FAILED], 0, error);
      return;
    }
  f = ngam_store_get_feature (store, ref->kind, ref->fid, &error);
  if (f != NULL)
    {
      if (g_strcmp0 (field, "operator") == 0)
        {
          g_free (f->operator_name);
          f->operator_name = *text ? g_strdup (text) : NULL;
        }
      else
        ngam_feature_set_by_name (f, field, text, NULL);
      title = feature_title (f);
      label = g_strdup_printf (_("Edit %s of %s"), field, title);
      if (ngam_project_edit_begin (self->project, label, &error))
        {
          if (!ngam_project_edit_update (self->project, f, &error) ||
              !ngam_project_edit_commit (self->project, &error))
            ngam_project_edit_abort (self->project);
        }
    }
  if (error != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      show_message (self, error->message);
      g_signal_emit (self, signals[FAILED], 0, error);
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  show_message (self, NULL);
}

/* The operator typed for every feature selected. */
static void
operator_all_applied (AdwEntryRow   *row,
                      NgamInspector *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autoptr(GError) error = NULL;

  if (self->project == NULL)
    return;
  for (guint k = 0; k < NGAM_N_LAYERS && error == NULL; k++)
    {
      g_autoptr(GArray) fids = g_array_new (FALSE, FALSE, sizeof (gint64));

      for (guint i = 0; i < self->refs->len; i++)
        if (g_array_index (self->refs, NgamFeatureRef, i).kind == k)
          g_array_append_val (fids, g_array_index (self->refs, NgamFeatureRef, i).fid);
      if (fids->len > 0)
        ngam_project_set_operator (self->project, k, (const gint64 *) fids->data, fids->len,
                                   *text ? text : NULL, &error);
    }
  if (error != NULL)
    {
      show_message (self, error->message);
      g_signal_emit (self, signals[FAILED], 0, error);
    }
  else
    show_message (self, NULL);
}

static GtkWidget *
entry_row (NgamInspector *self,
           const char    *field,
           const char    *title,
           const char    *value,
           const char    *tooltip,
           gboolean       editable)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), value ? value : "");
  gtk_editable_set_editable (GTK_EDITABLE (row), editable);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
  if (tooltip)
    gtk_widget_set_tooltip_text (row, tooltip);
  g_object_set_data_full (G_OBJECT (row), "ngam-field", g_strdup (field), g_free);
  g_signal_connect (row, "apply", G_CALLBACK (row_applied), self);
  g_hash_table_insert (self->rows, g_strdup (field), row);
  return row;
}

static GtkWidget *
info_row (const char *title,
          const char *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value && *value ? value : "—");
#if ADW_CHECK_VERSION (1, 3, 0)
  adw_action_row_set_subtitle_selectable (ADW_ACTION_ROW (row), TRUE);
#endif
  gtk_widget_add_css_class (row, "property");
  return row;
}

static GtkWidget *
group (GtkWidget *box, const char *title)
{
  GtkWidget *g = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (g), title);
  gtk_box_append (GTK_BOX (box), g);
  return g;
}

static void
build_one (NgamInspector *self,
           const NgamFeature *f,
           gboolean read_only)
{
  const NgamLayerInfo *info = ngam_layer_info (f->kind);
  g_autofree char *title = feature_title (f);
  g_autofree char *fid = g_strdup_printf ("%" G_GINT64_FORMAT, f->fid);
  g_autofree char *source_fid = f->source_fid >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, f->source_fid) : NULL;
  g_autofree char *import_id = f->import_id > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, f->import_id) : NULL;
  GtkWidget *attrs, *prov, *raw, *heading;

  heading = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_widget_add_css_class (heading, "title-4");
  gtk_box_append (GTK_BOX (self->box), heading);

  attrs = group (self->box, _("Attributes"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (attrs),
                             entry_row (self, "operator", _("Operator"), f->operator_name, NULL, !read_only));
  for (guint i = 0; i < info->n_fields; i++)
    {
      g_autofree char *value = ngam_feature_dup_value_string (f, i);
      g_autofree char *row_title = info->fields[i].unit
        ? g_strdup_printf ("%s (%s)", info->fields[i].name, info->fields[i].unit)
        : g_strdup (info->fields[i].name);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (attrs),
                                 entry_row (self, info->fields[i].name, row_title, value,
                                            info->fields[i].doc, !read_only));
    }

  prov = group (self->box, _("Provenance"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (prov), info_row (_("Feature id"), fid));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (prov), info_row (_("Source file"), f->source_file));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (prov), info_row (_("Source layer"), f->source_layer));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (prov), info_row (_("Source feature id"), source_fid));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (prov), info_row (_("Source key"), f->source_key));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (prov), info_row (_("Import"), import_id));

  raw = group (self->box, _("Source attributes"));
  if (f->attrs != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, f->attrs, -1, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          JsonObject *o = json_node_get_object (json_parser_get_root (parser));
          g_autoptr(GList) members = json_object_get_members (o);

          for (GList *l = members; l != NULL; l = l->next)
            {
              JsonNode *n = json_object_get_member (o, l->data);
              g_autofree char *text = JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
                ? g_strdup (json_node_get_string (n)) : json_to_string (n, FALSE);

              adw_preferences_group_add (ADW_PREFERENCES_GROUP (raw), info_row (l->data, text));
            }
        }
    }
  else
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (raw), _("Drawn in Ngầm: no source"));
}

static void
rebuild (NgamInspector *self)
{
  NgamStore *store = self->project ? ngam_project_get_store (self->project) : NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->box)) != NULL)
    gtk_box_remove (GTK_BOX (self->box), child);
  g_hash_table_remove_all (self->rows);
  show_message (self, NULL);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->message));
  gtk_widget_set_visible (GTK_WIDGET (self->message), FALSE);

  if (store == NULL || self->refs->len == 0)
    {
      GtkWidget *empty = adw_status_page_new ();

      adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "edit-select-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("Nothing Selected"));
      adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                       _("Click a feature on the map, or Shift+drag a box around several"));
      gtk_widget_add_css_class (empty, "compact");
      gtk_box_append (GTK_BOX (self->box), empty);
      return;
    }
  if (self->refs->len == 1)
    {
      NgamFeatureRef *ref = &g_array_index (self->refs, NgamFeatureRef, 0);
      g_autoptr(NgamFeature) f = ngam_store_get_feature (store, ref->kind, ref->fid, NULL);

      if (f != NULL)
        build_one (self, f, ngam_project_is_read_only (self->project));
      return;
    }
  {
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u feature selected",
                                                          "%u features selected", self->refs->len),
                                             self->refs->len);
    GtkWidget *g = group (self->box, text);
    GtkWidget *row = adw_entry_row_new ();

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Give all to operator"));
    adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
    gtk_editable_set_editable (GTK_EDITABLE (row), !ngam_project_is_read_only (self->project));
    g_signal_connect (row, "apply", G_CALLBACK (operator_all_applied), self);
    g_hash_table_insert (self->rows, g_strdup ("operator"), row);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), row);
  }
}

static void
project_changed (NgamProject   *project,
                 int            kind,
                 const double  *bbox,
                 NgamInspector *self)
{
  /* Keep a refused value and its message on screen; otherwise show what
   * the file holds now (an undo may have changed it). */
  if (!gtk_widget_get_visible (GTK_WIDGET (self->message)))
    rebuild (self);
}

static void
ngam_inspector_dispose (GObject *object)
{
  NgamInspector *self = NGAM_INSPECTOR (object);

  ngam_inspector_set_project (self, NULL);
  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  G_OBJECT_CLASS (ngam_inspector_parent_class)->dispose (object);
}

static void
ngam_inspector_finalize (GObject *object)
{
  NgamInspector *self = NGAM_INSPECTOR (object);

  g_array_unref (self->refs);
  g_hash_table_destroy (self->rows);
  g_object_unref (self->message);
  G_OBJECT_CLASS (ngam_inspector_parent_class)->finalize (object);
}

static void
ngam_inspector_class_init (NgamInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ngam_inspector_dispose;
  object_class->finalize = ngam_inspector_finalize;
  /**
   * NgamInspector::failed:
   * @error: why a value was refused
   */
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ngam-inspector");
}

static void
ngam_inspector_init (NgamInspector *self)
{
  self->refs = g_array_new (FALSE, FALSE, sizeof (NgamFeatureRef));
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (self->scroller, TRUE);
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_start (self->box, 12);
  gtk_widget_set_margin_end (self->box, 12);
  gtk_widget_set_margin_top (self->box, 12);
  gtk_widget_set_margin_bottom (self->box, 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), self->box);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
  self->message = GTK_LABEL (g_object_ref_sink (gtk_label_new (NULL)));
  gtk_label_set_wrap (self->message, TRUE);
  gtk_label_set_xalign (self->message, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->message), "error");
  rebuild (self);
}

GtkWidget *
ngam_inspector_new (void)
{
  return g_object_new (NGAM_TYPE_INSPECTOR, NULL);
}

void
ngam_inspector_set_project (NgamInspector *self,
                            NgamProject   *project)
{
  g_return_if_fail (NGAM_IS_INSPECTOR (self));

  if (self->project == project)
    return;
  if (self->project)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_set_object (&self->project, project);
  if (project)
    g_signal_connect (project, "changed", G_CALLBACK (project_changed), self);
  g_array_set_size (self->refs, 0);
  if (gtk_widget_get_first_child (GTK_WIDGET (self)) != NULL)
    rebuild (self);
}

/* Shows @refs (the map's selection). */
void
ngam_inspector_show (NgamInspector        *self,
                     const NgamFeatureRef *refs,
                     guint                 n)
{
  g_return_if_fail (NGAM_IS_INSPECTOR (self));

  g_array_set_size (self->refs, 0);
  g_array_append_vals (self->refs, refs, n);
  rebuild (self);
}

/**
 * ngam_inspector_get_row:
 * @field: a field name, or "operator"
 *
 * Returns: (transfer none) (nullable): the entry row editing @field.
 */
GtkWidget *
ngam_inspector_get_row (NgamInspector *self,
                        const char    *field)
{
  g_return_val_if_fail (NGAM_IS_INSPECTOR (self), NULL);
  return g_hash_table_lookup (self->rows, field);
}

/* Returns: (nullable): the message of the last refused value, if shown. */
const char *
ngam_inspector_get_message (NgamInspector *self)
{
  g_return_val_if_fail (NGAM_IS_INSPECTOR (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->message)) ? gtk_label_get_text (self->message) : NULL;
}
