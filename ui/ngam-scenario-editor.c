/* ngam-scenario-editor.c — editing a scenario: costs, rules, scope,
 * priorities and budget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every key of the planner's scenario (the table in
 * core/plan/ngam-plan-scenario.c, which data/scenarios/default.ini
 * documents) as one row, grouped as the file groups them; the street list
 * of the scope as a list of names to add and remove.  The keys and their
 * values come from the planner itself — ngam_plan_scenario_to_text() of
 * the scenario kept in the project, or of the defaults — so the editor
 * cannot offer a key the planner does not know.  Each row is checked as
 * it is typed and the whole scenario when it is saved, by the planner's
 * own parser: a refusal names the key and says why, the row is marked and
 * nothing is written.  Saving keeps the scenario in the project under the
 * name given (a new name makes a new scenario).
 */
#define G_LOG_DOMAIN "ngam-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ngam-format.h"
#include "ngam-scenario-editor.h"

struct _NgamScenarioEditor
{
  AdwWindow          parent_instance;

  NgamProject       *project;
  GtkWidget         *name_row;
  GtkLabel          *message;
  GtkWidget         *save_button;
  GPtrArray         *rows;       /* AdwEntryRow*, with "ngam-group" and "ngam-key" */
  GtkListBox        *streets;
  GtkWidget         *street_entry;
  GPtrArray         *street_names;  /* char*, in the order shown */
  char              *others;        /* the groups of other jobs ([coverage]), kept as they were */
};

G_DEFINE_FINAL_TYPE (NgamScenarioEditor, ngam_scenario_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The groups as people read them; the keys keep their file names, which
 * the documentation, the CLI and the refusals all use. */
static const struct { const char *group; const char *title; const char *description; } groups[] = {
  { "costs", N_("Cost Catalogue"), N_("VND per metre, per item or per crossing; percentages as %") },
  { "rules", N_("Rules"), N_("Duct fill, pull points, covers and trench arrangements") },
  { "scope", N_("Scope"), N_("What is planned: operators, cable types, an area; lists are separated by “;”") },
  { "priorities", N_("Priorities and Budget"), N_("Weights of the corridor score, the yearly budget (VND, 0 for none) and the years") },
};

static char *
tidy_value (const char *value)
{
  char *end = NULL;
  double d;

  /* "0.14999999999999999" (as older versions stored it) as people wrote
   * it: 0.15, the shortest text that is the same number */
  if (value == NULL || *value == '\0')
    return g_strdup (value ? value : "");
  d = g_ascii_strtod (value, &end);
  if (end != NULL && *end == '\0' && isfinite (d))
    return ngam_format_double (d);
  return g_strdup (value);
}

static void
set_message (NgamScenarioEditor *self,
             const char         *text)
{
  gtk_label_set_text (self->message, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message), text != NULL && *text != '\0');
}

/* A row's value as the scenario file writes it: an entry's text, a
 * switch's true or false, a choice's name. */
static char *
row_value (GtkWidget *row)
{
  GtkWidget *sw = g_object_get_data (G_OBJECT (row), "ngam-switch");

  if (sw != NULL)
    return g_strdup (gtk_switch_get_active (GTK_SWITCH (sw)) ? "true" : "false");
  if (ADW_IS_COMBO_ROW (row))
    {
      GtkStringObject *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (row));

      return g_strdup (item != NULL ? gtk_string_object_get_string (item) : "");
    }
  {
    const char *group = g_object_get_data (G_OBJECT (row), "ngam-group");
    const char *key = g_object_get_data (G_OBJECT (row), "ngam-key");
    char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));
    char *comma = strchr (text, ',');
    NgamPlanKeyInfo info;

    /* "0,7" as a Vietnamese planner writes it (one comma, no point) is
     * the 0.7 the scenario file takes, for a number or a percentage */
    if (comma != NULL && strchr (comma + 1, ',') == NULL && strchr (text, '.') == NULL && group != NULL &&
        key != NULL && ngam_plan_scenario_key_info (group, key, &info) &&
        (info.type == NGAM_PLAN_KEY_NUMBER || info.type == NGAM_PLAN_KEY_PERCENT))
      *comma = '.';
    return text;
  }
}

/* One key checked on its own, by the planner's parser. */
static gboolean
check_row (NgamScenarioEditor *self,
           GtkWidget          *row,
           GError            **error)
{
  const char *group = g_object_get_data (G_OBJECT (row), "ngam-group");
  const char *key = g_object_get_data (G_OBJECT (row), "ngam-key");
  g_autofree char *value = row_value (row);
  g_autofree char *text = NULL;
  g_autoptr(NgamPlanScenario) sc = NULL;
  g_autoptr(GError) local = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  g_autofree char *label = g_strdup_printf (_("scenario “%s”"), *name ? name : "default");

  if (strchr (value, '\n') != NULL)
    {
      g_set_error (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_SCENARIO, _("%s: [%s] %s: one line only"),
                   label, group, key);
      goto refused;
    }
  text = g_strdup_printf ("[%s]\n%s = %s\n", group, key, value);
  sc = ngam_plan_scenario_parse (text, -1, label, &local);
  if (sc == NULL)
    {
      g_autofree char *prefix = g_strconcat (label, ":2: ", NULL);

      /* The line is the one-key text's, not the scenario's: drop it. */
      if (g_str_has_prefix (local->message, prefix))
        {
          char *rest = g_strconcat (label, ": ", local->message + strlen (prefix), NULL);

          g_free (local->message);
          local->message = rest;
        }
      g_propagate_error (error, g_steal_pointer (&local));
      goto refused;
    }
  gtk_widget_remove_css_class (row, "error");
  gtk_widget_set_tooltip_text (row, g_object_get_data (G_OBJECT (row), "ngam-tip"));
  return TRUE;

refused:
  gtk_widget_add_css_class (row, "error");
  if (error && *error)
    gtk_widget_set_tooltip_text (row, (*error)->message);
  return FALSE;
}

static void
row_changed (GtkWidget          *row,
             NgamScenarioEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (!check_row (self, GTK_WIDGET (row), &error))
    set_message (self, error->message);
  else
    set_message (self, NULL);
}

static void
switch_changed (GtkSwitch          *sw,
                GParamSpec         *pspec,
                NgamScenarioEditor *self)
{
  row_changed (g_object_get_data (G_OBJECT (sw), "ngam-row"), self);
}

static void
choice_changed (GtkWidget          *row,
                GParamSpec         *pspec,
                NgamScenarioEditor *self)
{
  row_changed (row, self);
}

/* ---- the street list ------------------------------------------------------------ */

static void remove_clicked (GtkButton *button, NgamScenarioEditor *self);

static void
add_street_row (NgamScenarioEditor *self,
                const char         *street)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), street);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove from the scope"));
  g_object_set_data_full (G_OBJECT (remove), "ngam-street", g_strdup (street), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  gtk_list_box_append (self->streets, row);
}

static void
rebuild_streets (NgamScenarioEditor *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->streets))) != NULL)
    gtk_list_box_remove (self->streets, child);
  for (guint i = 0; i < self->street_names->len; i++)
    add_street_row (self, g_ptr_array_index (self->street_names, i));
}

/**
 * ngam_scenario_editor_add_street:
 *
 * Adds @street to the scope's list (spaces around it dropped).
 *
 * Returns: FALSE when it is empty, has a “;” or is in the list already.
 */
gboolean
ngam_scenario_editor_add_street (NgamScenarioEditor *self,
                                 const char         *street)
{
  g_autofree char *name = g_strstrip (g_strdup (street ? street : ""));

  g_return_val_if_fail (NGAM_IS_SCENARIO_EDITOR (self), FALSE);

  if (*name == '\0')
    return FALSE;
  if (strchr (name, ';') != NULL)
    {
      set_message (self, _("A street name cannot have a “;”: it separates the names of the list"));
      return FALSE;
    }
  for (guint i = 0; i < self->street_names->len; i++)
    if (g_utf8_collate (g_ptr_array_index (self->street_names, i), name) == 0)
      return FALSE;
  g_ptr_array_add (self->street_names, g_strdup (name));
  add_street_row (self, name);
  set_message (self, NULL);
  return TRUE;
}

gboolean
ngam_scenario_editor_remove_street (NgamScenarioEditor *self,
                                    const char         *street)
{
  g_return_val_if_fail (NGAM_IS_SCENARIO_EDITOR (self), FALSE);

  for (guint i = 0; i < self->street_names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->street_names, i), street) == 0)
      {
        g_ptr_array_remove_index (self->street_names, i);
        rebuild_streets (self);
        return TRUE;
      }
  return FALSE;
}

static void
remove_clicked (GtkButton          *button,
                NgamScenarioEditor *self)
{
  g_autofree char *street = g_strdup (g_object_get_data (G_OBJECT (button), "ngam-street"));

  ngam_scenario_editor_remove_street (self, street);
}

static void
street_applied (AdwEntryRow        *row,
                NgamScenarioEditor *self)
{
  if (ngam_scenario_editor_add_street (self, gtk_editable_get_text (GTK_EDITABLE (row))))
    gtk_editable_set_text (GTK_EDITABLE (row), "");
}

/* ---- the scenario as text --------------------------------------------------------- */

/* Returns: (transfer full): the scenario as the rows say, every key. */
char *
ngam_scenario_editor_dup_text (NgamScenarioEditor *self)
{
  g_autoptr(GString) s = g_string_new (NULL);
  const char *group = NULL;

  g_return_val_if_fail (NGAM_IS_SCENARIO_EDITOR (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      const char *g = g_object_get_data (G_OBJECT (row), "ngam-group");
      const char *key = g_object_get_data (G_OBJECT (row), "ngam-key");

      if (group == NULL || !g_str_equal (group, g))
        {
          group = g;
          g_string_append_printf (s, "%s[%s]\n", s->len ? "\n" : "", group);
          if (g_str_equal (group, "scope"))
            {
              g_string_append (s, "streets = ");
              for (guint j = 0; j < self->street_names->len; j++)
                g_string_append_printf (s, "%s%s", j ? ";" : "", (char *) g_ptr_array_index (self->street_names, j));
              g_string_append_c (s, '\n');
            }
        }
      /* One line per key: a newline pasted into a row would start another. */
      {
        g_autofree char *value = row_value (row);
        g_auto(GStrv) lines = g_strsplit (value, "\n", -1);
        g_autofree char *flat = g_strjoinv (" ", lines);

        g_string_append_printf (s, "%s = %s\n", key, flat);
      }
    }
  if (self->others != NULL)
    g_string_append (s, self->others);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/**
 * ngam_scenario_editor_save:
 *
 * Checks every row, then keeps the scenario in the project under the name
 * given; on a refusal the row is marked, the message says which key and
 * why, and the project is as it was.
 */
gboolean
ngam_scenario_editor_save (NgamScenarioEditor  *self,
                           GError             **error)
{
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  GError *local = NULL;

  g_return_val_if_fail (NGAM_IS_SCENARIO_EDITOR (self), FALSE);

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  for (guint i = 0; i < self->rows->len; i++)
    if (!check_row (self, g_ptr_array_index (self->rows, i), &local))
      {
        set_message (self, local->message);
        g_propagate_error (error, local);
        return FALSE;
      }
  text = ngam_scenario_editor_dup_text (self);
  if (!ngam_project_put_scenario (self->project, name, text, &local))
    {
      set_message (self, local->message);
      g_propagate_error (error, local);
      return FALSE;
    }
  set_message (self, NULL);
  g_signal_emit (self, signals[SAVED], 0, name);
  return TRUE;
}

const char *
ngam_scenario_editor_get_message (NgamScenarioEditor *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->message)) ? gtk_label_get_text (self->message) : NULL;
}

static void
save_clicked (NgamScenarioEditor *self)
{
  if (ngam_scenario_editor_save (self, NULL))
    gtk_window_close (GTK_WINDOW (self));
}

GtkEditable *
ngam_scenario_editor_get_entry (NgamScenarioEditor *self,
                                const char         *group,
                                const char         *key)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "ngam-group"), group) == 0 &&
          g_strcmp0 (g_object_get_data (G_OBJECT (row), "ngam-key"), key) == 0)
        return GTK_IS_EDITABLE (row) && !ADW_IS_COMBO_ROW (row) ? GTK_EDITABLE (row) : NULL;
    }
  return NULL;
}

/* Returns: (transfer none) (nullable): the row of a key: an AdwEntryRow
 * for numbers and texts, an AdwActionRow with a switch (its
 * "ngam-switch") for a yes/no, an AdwComboRow for a choice. */
GtkWidget *
ngam_scenario_editor_get_row (NgamScenarioEditor *self,
                              const char         *group,
                              const char         *key)
{
  g_return_val_if_fail (NGAM_IS_SCENARIO_EDITOR (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "ngam-group"), group) == 0 &&
          g_strcmp0 (g_object_get_data (G_OBJECT (row), "ngam-key"), key) == 0)
        return row;
    }
  return NULL;
}

/* Returns: (transfer full) (nullable): the value a key's row holds now. */
char *
ngam_scenario_editor_dup_value (NgamScenarioEditor *self,
                                const char         *group,
                                const char         *key)
{
  GtkWidget *row = ngam_scenario_editor_get_row (self, group, key);

  return row != NULL ? row_value (row) : NULL;
}

GtkEditable *
ngam_scenario_editor_get_name_entry (NgamScenarioEditor *self)
{
  return GTK_EDITABLE (self->name_row);
}

/* ---- the window --------------------------------------------------------------------- */

static void
ngam_scenario_editor_dispose (GObject *object)
{
  NgamScenarioEditor *self = NGAM_SCENARIO_EDITOR (object);

  g_clear_object (&self->project);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->street_names, g_ptr_array_unref);
  g_clear_pointer (&self->others, g_free);
  G_OBJECT_CLASS (ngam_scenario_editor_parent_class)->dispose (object);
}

static void
ngam_scenario_editor_class_init (NgamScenarioEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ngam_scenario_editor_dispose;
  /**
   * NgamScenarioEditor::saved:
   * @name: the scenario's name
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ngam_scenario_editor_init (NgamScenarioEditor *self)
{
  self->rows = g_ptr_array_new ();
  self->street_names = g_ptr_array_new_with_free_func (g_free);
}

static char *
key_title (const char *key)
{
  char *t = g_strdup (key);

  for (char *p = t; *p; p++)
    if (*p == '_')
      *p = ' ';
  return t;
}

/* A unit as people read it in the window's language. */
static const char *
unit_label (const char *unit)
{
  if (unit == NULL)
    return NULL;
  if (g_str_equal (unit, "VND/m/month"))
    return _("VND/m/month");
  if (g_str_equal (unit, "VND/year"))
    return _("VND/year");
  if (g_str_equal (unit, "years"))
    return _("years");
  return unit;   /* VND, VND/m, %, m, mm, ° */
}

/* The row for one key, the control its type asks for: a switch for a
 * yes/no, a list for a choice, otherwise an entry with its unit after it
 * and its bounds in the tooltip, checked as it is typed. */
static GtkWidget *
key_row (NgamScenarioEditor *self,
         const char         *group,
         const char         *key,
         const char         *title,
         const char         *value)
{
  NgamPlanKeyInfo info;
  GtkWidget *row;
  g_autofree char *tip = NULL;

  if (!ngam_plan_scenario_key_info (group, key, &info))
    info.type = NGAM_PLAN_KEY_TEXT, info.unit = NULL, info.choices = NULL;
  if (info.type == NGAM_PLAN_KEY_NUMBER || info.type == NGAM_PLAN_KEY_PERCENT)
    tip = g_strdup_printf ("%s: %g–%g%s%s", key, info.min, info.max, info.unit ? " " : "",
                           info.unit ? unit_label (info.unit) : "");
  else
    tip = g_strdup (key);
  if (info.type == NGAM_PLAN_KEY_BOOLEAN)
    {
      GtkWidget *sw = gtk_switch_new ();

      row = adw_action_row_new ();
      gtk_switch_set_active (GTK_SWITCH (sw), g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1"));
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      g_object_set_data (G_OBJECT (row), "ngam-switch", sw);
      g_object_set_data (G_OBJECT (sw), "ngam-row", row);
      g_signal_connect (sw, "notify::active", G_CALLBACK (switch_changed), self);
    }
  else if (info.type == NGAM_PLAN_KEY_CHOICE && info.choices != NULL)
    {
      GtkStringList *list = gtk_string_list_new ((const char *const *) info.choices);

      row = adw_combo_row_new ();
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (list));
      for (guint i = 0; info.choices[i] != NULL; i++)
        if (g_str_equal (info.choices[i], value))
          adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
      g_object_unref (list);
    }
  else
    {
      row = adw_entry_row_new ();
      gtk_editable_set_text (GTK_EDITABLE (row), value);
      if (info.unit != NULL)
        {
          GtkWidget *unit = gtk_label_new (unit_label (info.unit));

          gtk_widget_add_css_class (unit, "dim-label");
          adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), unit);
        }
      if (info.type == NGAM_PLAN_KEY_MONEY || info.type == NGAM_PLAN_KEY_NUMBER ||
          info.type == NGAM_PLAN_KEY_PERCENT)
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_NUMBER);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_tooltip_text (row, tip);
  g_object_set_data_full (G_OBJECT (row), "ngam-group", g_strdup (group), g_free);
  g_object_set_data_full (G_OBJECT (row), "ngam-key", g_strdup (key), g_free);
  g_object_set_data_full (G_OBJECT (row), "ngam-tip", g_steal_pointer (&tip), g_free);
  if (ADW_IS_ENTRY_ROW (row))
    g_signal_connect (row, "changed", G_CALLBACK (row_changed), self);
  else if (ADW_IS_COMBO_ROW (row))
    g_signal_connect (row, "notify::selected", G_CALLBACK (choice_changed), self);
  return row;
}

static void
build (NgamScenarioEditor *self,
       const char         *name,
       GKeyFile           *kf)
{
  GtkWidget *view = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *top = adw_preferences_group_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  g_auto(GStrv) streets = NULL;

  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (save_clicked), self);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), self);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  gtk_box_append (GTK_BOX (view), header);

  self->message = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->message, TRUE);
  gtk_label_set_xalign (self->message, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->message), "error");
  gtk_widget_set_margin_start (GTK_WIDGET (self->message), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->message), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->message), 6);
  gtk_widget_set_visible (GTK_WIDGET (self->message), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->message));

  self->name_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->name_row), _("Name (a new name keeps a new scenario)"));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (top), self->name_row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (top));

  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    {
      GtkWidget *group = adw_preferences_group_new ();
      g_auto(GStrv) keys = g_key_file_get_keys (kf, groups[g].group, NULL, NULL);

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _(groups[g].title));
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), _(groups[g].description));
      for (guint k = 0; keys && keys[k]; k++)
        {
          g_autofree char *raw = g_key_file_get_value (kf, groups[g].group, keys[k], NULL);
          g_autofree char *value = tidy_value (raw);
          g_autofree char *title = key_title (keys[k]);
          GtkWidget *row;

          if (g_str_equal (groups[g].group, "scope") && g_str_equal (keys[k], "streets"))
            {
              streets = g_strsplit (raw ? raw : "", ";", -1);
              continue;
            }
          row = key_row (self, groups[g].group, keys[k], title, value);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
          g_ptr_array_add (self->rows, row);
        }
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

      if (g_str_equal (groups[g].group, "scope"))
        {
          GtkWidget *sg = adw_preferences_group_new ();

          adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (sg), _("Streets in Scope"));
          adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (sg),
                                                 _("Only these streets are planned (Huế: the festival streets); none: every street"));
          self->street_entry = adw_entry_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->street_entry), _("Add a street"));
          adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->street_entry), TRUE);
          g_signal_connect (self->street_entry, "apply", G_CALLBACK (street_applied), self);
          g_signal_connect (self->street_entry, "entry-activated", G_CALLBACK (street_applied), self);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (sg), self->street_entry);
          self->streets = GTK_LIST_BOX (gtk_list_box_new ());
          gtk_list_box_set_selection_mode (self->streets, GTK_SELECTION_NONE);
          gtk_widget_add_css_class (GTK_WIDGET (self->streets), "boxed-list");
          gtk_widget_set_margin_top (GTK_WIDGET (self->streets), 6);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (sg), GTK_WIDGET (self->streets));
          adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (sg));
        }
    }
  for (guint i = 0; streets && streets[i]; i++)
    ngam_scenario_editor_add_street (self, streets[i]);

  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);
  gtk_widget_set_vexpand (box, TRUE);
  gtk_box_append (GTK_BOX (view), box);
  adw_window_set_content (ADW_WINDOW (self), view);
}

/**
 * ngam_scenario_editor_new:
 * @name: the scenario to edit: the one kept in the project under that
 *   name, or the defaults (data/scenarios/default.ini) for a new one
 *
 * Returns: (transfer none): the editor, a window of its own.
 */
NgamScenarioEditor *
ngam_scenario_editor_new (GtkWindow   *parent,
                          NgamProject *project,
                          const char  *name)
{
  NgamScenarioEditor *self;
  g_autofree char *stored = NULL, *text = NULL, *title = NULL;
  g_autoptr(NgamPlanScenario) sc = NULL;
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (NGAM_IS_PROJECT (project), NULL);

  self = g_object_new (NGAM_TYPE_SCENARIO_EDITOR, "modal", TRUE, "default-width", 560,
                       "default-height", 640, NULL);
  if (parent)
    gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  self->project = g_object_ref (project);
  title = g_strdup_printf (_("Scenario “%s”"), name);
  gtk_window_set_title (GTK_WINDOW (self), title);
  stored = ngam_project_dup_scenario (project, name, NULL);
  if (stored != NULL)
    sc = ngam_plan_scenario_parse (stored, -1, name, &error);
  if (sc == NULL)
    sc = ngam_plan_scenario_new ();
  text = ngam_plan_scenario_to_text (sc);
  /* Groups the planner does not read (the coverage analysis's) go back
   * into the scenario as they were. */
  if (stored != NULL)
    {
      g_autoptr(GKeyFile) all = g_key_file_new ();

      if (g_key_file_load_from_data (all, stored, -1, G_KEY_FILE_NONE, NULL))
        {
          g_auto(GStrv) names = g_key_file_get_groups (all, NULL);
          g_autoptr(GString) o = g_string_new (NULL);

          for (guint i = 0; names[i]; i++)
            {
              g_auto(GStrv) keys = NULL;
              gboolean plan = FALSE;

              for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
                plan |= g_str_equal (groups[g].group, names[i]);
              if (plan)
                continue;
              keys = g_key_file_get_keys (all, names[i], NULL, NULL);
              g_string_append_printf (o, "\n[%s]\n", names[i]);
              for (guint k = 0; keys && keys[k]; k++)
                {
                  g_autofree char *v = g_key_file_get_value (all, names[i], keys[k], NULL);

                  g_string_append_printf (o, "%s = %s\n", keys[k], v ? v : "");
                }
            }
          if (o->len > 0)
            self->others = g_string_free (g_steal_pointer (&o), FALSE);
        }
    }
  g_key_file_load_from_data (kf, text, -1, G_KEY_FILE_NONE, NULL);
  build (self, name, kf);
  /* A stored scenario the planner refuses is shown as the defaults, and why. */
  if (error != NULL)
    set_message (self, error->message);
  return self;
}
