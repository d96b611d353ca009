/* ngam-attribute-table.c — one layer's features as a table, linked to the
 * map's selection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkColumnView over a GListStore of feature items, through a
 * GtkFilterListModel (the search: any value containing the text) and a
 * GtkSortListModel (the clicked column's sorter: numbers as numbers).
 * Rows are read on a worker thread with a read-only connection of their
 * own (ngam_project_open_reader()), so a large layer never blocks the
 * window; at most NGAM_TABLE_MAX_ROWS are listed, and the header says so.
 * Selecting rows selects the features on the map and the other way round.
 */
#define G_LOG_DOMAIN "ngam-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "ngam-attribute-table.h"

#define NGAM_TABLE_MAX_ROWS 100000

/* ---- a row ------------------------------------------------------------------------ */

#define NGAM_TYPE_FEATURE_ITEM (ngam_feature_item_get_type ())
G_DECLARE_FINAL_TYPE (NgamFeatureItem, ngam_feature_item, NGAM, FEATURE_ITEM, GObject)

struct _NgamFeatureItem
{
  GObject      parent_instance;
  NgamFeature *feature;
};

G_DEFINE_FINAL_TYPE (NgamFeatureItem, ngam_feature_item, G_TYPE_OBJECT)

static void
ngam_feature_item_finalize (GObject *object)
{
  g_clear_pointer (&NGAM_FEATURE_ITEM (object)->feature, ngam_feature_free);
  G_OBJECT_CLASS (ngam_feature_item_parent_class)->finalize (object);
}

static void
ngam_feature_item_class_init (NgamFeatureItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ngam_feature_item_finalize;
}

static void
ngam_feature_item_init (NgamFeatureItem *self)
{
}

/* Column -1: fid, -2: operator, 0…: the layer's fields. */
static char *
item_text (NgamFeatureItem *item, int column)
{
  if (column == -1)
    return g_strdup_printf ("%" G_GINT64_FORMAT, item->feature->fid);
  if (column == -2)
    return g_strdup (item->feature->operator_name ? item->feature->operator_name : "");
  return ngam_feature_dup_value_string (item->feature, column);
}

/* ---- the widget ----------------------------------------------------------------------- */

struct _NgamAttributeTable
{
  GtkWidget          parent_instance;

  GtkWidget         *box;
  GtkDropDown       *layer_drop;
  GtkSearchEntry    *search;
  GtkLabel          *count_label;
  GtkColumnView     *view;
  GListStore        *store;
  GtkFilterListModel *filtered;
  GtkSortListModel  *sorted;
  GtkMultiSelection *selection;
  GtkCustomFilter   *filter;

  NgamProject       *project;
  NgamEditLayer     *edit_layer;
  NgamLayerKind      kind;
  GCancellable      *loading;
  guint              reload_source;
  gboolean           syncing;
  gboolean           truncated;
};

G_DEFINE_FINAL_TYPE (NgamAttributeTable, ngam_attribute_table, GTK_TYPE_WIDGET)

static void reload (NgamAttributeTable *self);

static void
update_count (NgamAttributeTable *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint all = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  g_autofree char *text = NULL;

  if (self->truncated)
    text = g_strdup_printf (_("%u of the first %u features"), shown, all);
  else if (shown != all)
    text = g_strdup_printf (_("%u of %u features"), shown, all);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u feature", "%u features", all), all);
  gtk_label_set_text (self->count_label, text);
}

/* ---- cells and sorting ---- */

static void
cell_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
}

static void
cell_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  data)
{
  NgamFeatureItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *text = item_text (item, GPOINTER_TO_INT (data));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)), text ? text : "");
}

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  NgamFeatureItem *x = (NgamFeatureItem *) a, *y = (NgamFeatureItem *) b;
  int column = GPOINTER_TO_INT (data);
  NgamFieldType type;

  if (column == -1)
    return (x->feature->fid > y->feature->fid) - (x->feature->fid < y->feature->fid);
  if (column == -2)
    return g_strcmp0 (x->feature->operator_name, y->feature->operator_name);
  /* Empty values last, numbers as numbers. */
  if (ngam_feature_is_null (x->feature, column) || ngam_feature_is_null (y->feature, column))
    return ngam_feature_is_null (x->feature, column) - ngam_feature_is_null (y->feature, column);
  type = ngam_layer_info (x->feature->kind)->fields[column].type;
  if (type == NGAM_FIELD_REAL)
    {
      double u = ngam_feature_get_real (x->feature, column), v = ngam_feature_get_real (y->feature, column);

      return (u > v) - (u < v);
    }
  if (type == NGAM_FIELD_INT || type == NGAM_FIELD_BOOL)
    {
      gint64 u = ngam_feature_get_int (x->feature, column), v = ngam_feature_get_int (y->feature, column);

      return (u > v) - (u < v);
    }
  return g_utf8_collate (ngam_feature_get_text (x->feature, column), ngam_feature_get_text (y->feature, column));
}

static void
add_column (NgamAttributeTable *self,
            const char         *title,
            int                 column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *col;
  GtkSorter *sorter = GTK_SORTER (gtk_custom_sorter_new (compare_items, GINT_TO_POINTER (column), NULL));

  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind), GINT_TO_POINTER (column));
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (col, sorter);
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_append_column (self->view, col);
  g_object_unref (sorter);
  g_object_unref (col);
}

static void
rebuild_columns (NgamAttributeTable *self)
{
  const NgamLayerInfo *info = ngam_layer_info (self->kind);
  GListModel *columns = gtk_column_view_get_columns (self->view);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->view, c);
    }
  add_column (self, _("Id"), -1);
  add_column (self, _("Operator"), -2);
  for (guint i = 0; i < info->n_fields; i++)
    add_column (self, info->fields[i].name, i);
}

/* ---- filtering ---- */

static gboolean
filter_match (gpointer item,
              gpointer data)
{
  NgamAttributeTable *self = data;
  const char *needle = gtk_editable_get_text (GTK_EDITABLE (self->search));
  const NgamLayerInfo *info;
  g_autofree char *folded = NULL;

  if (needle == NULL || *needle == '\0')
    return TRUE;
  folded = g_utf8_casefold (needle, -1);
  info = ngam_layer_info (NGAM_FEATURE_ITEM (item)->feature->kind);
  for (int c = -2; c < (int) info->n_fields; c++)
    {
      g_autofree char *text = item_text (item, c);
      g_autofree char *hay = text ? g_utf8_casefold (text, -1) : NULL;

      if (hay && strstr (hay, folded))
        return TRUE;
    }
  return FALSE;
}

static void
search_changed (NgamAttributeTable *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_count (self);
}

/* ---- selection, both ways ---- */

static void
table_selection_changed (GtkSelectionModel  *model,
                         guint               position,
                         guint               n_items,
                         NgamAttributeTable *self)
{
  g_autoptr(GtkBitset) set = NULL;
  g_autoptr(GArray) refs = g_array_new (FALSE, FALSE, sizeof (NgamFeatureRef));
  GtkBitsetIter iter;
  guint pos;

  if (self->syncing || self->edit_layer == NULL)
    return;
  set = gtk_selection_model_get_selection (model);
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, set, &pos); ok; ok = gtk_bitset_iter_next (&iter, &pos))
    {
      g_autoptr(NgamFeatureItem) item = g_list_model_get_item (G_LIST_MODEL (model), pos);
      NgamFeatureRef ref = { item->feature->kind, item->feature->fid };

      g_array_append_val (refs, ref);
    }
  self->syncing = TRUE;
  ngam_edit_layer_set_selection (self->edit_layer, (const NgamFeatureRef *) refs->data, refs->len);
  self->syncing = FALSE;
}

static void
map_selection_changed (NgamEditLayer      *layer,
                       NgamAttributeTable *self)
{
  g_autoptr(GtkBitset) want = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) mask = NULL;
  g_autoptr(GHashTable) fids = g_hash_table_new (g_int64_hash, g_int64_equal);
  GListModel *model = G_LIST_MODEL (self->selection);
  const NgamFeatureRef *refs;
  guint n, first = G_MAXUINT;

  if (self->syncing)
    return;
  refs = ngam_edit_layer_get_selection (layer, &n);
  for (guint i = 0; i < n; i++)
    if (refs[i].kind == self->kind)
      g_hash_table_add (fids, (gpointer) &refs[i].fid);
  for (guint i = 0; g_hash_table_size (fids) > 0 && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(NgamFeatureItem) item = g_list_model_get_item (model, i);

      if (g_hash_table_contains (fids, &item->feature->fid))
        {
          gtk_bitset_add (want, i);
          first = MIN (first, i);
        }
    }
  mask = gtk_bitset_new_range (0, g_list_model_get_n_items (model));
  self->syncing = TRUE;
  gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), want, mask);
  self->syncing = FALSE;
#if GTK_CHECK_VERSION (4, 12, 0)
  if (first != G_MAXUINT)
    gtk_column_view_scroll_to (self->view, first, NULL, GTK_LIST_SCROLL_NONE, NULL);
#endif
}

/* ---- loading ---- */

typedef struct
{
  char          *path;
  NgamLayerKind  kind;
} LoadData;

static void
load_data_free (LoadData *d)
{
  g_free (d->path);
  g_free (d);
}

static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LoadData *d = task_data;
  g_autoptr(NgamStore) store = NULL;
  g_autoptr(NgamStoreCursor) cur = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  GError *error = NULL;

  store = ngam_store_open (d->path, NGAM_STORE_OPEN_READ_ONLY, &error);
  if (store != NULL)
    cur = ngam_store_query (store, d->kind, NULL, NGAM_QUERY_DEFAULT, &error);
  while (cur != NULL && rows->len <= NGAM_TABLE_MAX_ROWS && ngam_store_cursor_next (cur, &error))
    {
      NgamFeatureItem *item = g_object_new (NGAM_TYPE_FEATURE_ITEM, NULL);

      if ((rows->len & 1023) == 0 && g_cancellable_set_error_if_cancelled (cancellable, &error))
        break;
      item->feature = ngam_feature_copy (ngam_store_cursor_get (cur));
      /* The table shows attributes; the geometry is the map's. */
      ngam_shape_clear (item->feature->shape);
      g_ptr_array_add (rows, item);
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&rows), (GDestroyNotify) g_ptr_array_unref);
}

static void
load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = g_task_propagate_pointer (G_TASK (result), &error);
  NgamAttributeTable *self = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->loading);
  if (rows == NULL)
    {
      gtk_label_set_text (self->count_label, error->message);
      return;
    }
  self->truncated = rows->len > NGAM_TABLE_MAX_ROWS;
  if (self->truncated)
    g_ptr_array_set_size (rows, NGAM_TABLE_MAX_ROWS);
  self->syncing = TRUE;
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       rows->pdata, rows->len);
  self->syncing = FALSE;
  update_count (self);
  if (self->edit_layer)
    map_selection_changed (self->edit_layer, self);
}

static void
reload (NgamAttributeTable *self)
{
  g_autoptr(GTask) task = NULL;
  LoadData *d;

  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  if (self->project == NULL)
    {
      g_list_store_remove_all (self->store);
      update_count (self);
      return;
    }
  self->loading = g_cancellable_new ();
  d = g_new0 (LoadData, 1);
  d->path = g_strdup (ngam_project_get_path (self->project));
  d->kind = self->kind;
  /* The callback must not outlive us: dispose cancels, and a cancelled
   * load touches nothing. */
  task = g_task_new (NULL, self->loading, load_done, self);
  g_task_set_task_data (task, d, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

static gboolean
reload_idle (gpointer data)
{
  NgamAttributeTable *self = data;

  self->reload_source = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
project_changed (NgamProject        *project,
                 int                 kind,
                 const double       *bbox,
                 NgamAttributeTable *self)
{
  if ((kind < 0 || kind == (int) self->kind) && self->reload_source == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->reload_source = g_timeout_add (100, reload_idle, self);
}

static void
layer_chosen (NgamAttributeTable *self)
{
  ngam_attribute_table_set_kind (self, gtk_drop_down_get_selected (self->layer_drop));
}

static void
table_mapped (NgamAttributeTable *self)
{
  reload (self);
}

/* ---- the object ---- */

static void
ngam_attribute_table_dispose (GObject *object)
{
  NgamAttributeTable *self = NGAM_ATTRIBUTE_TABLE (object);

  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  ngam_attribute_table_set_project (self, NULL, NULL);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->selection);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (ngam_attribute_table_parent_class)->dispose (object);
}

static void
ngam_attribute_table_class_init (NgamAttributeTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ngam_attribute_table_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ngam-attribute-table");
}

static void
ngam_attribute_table_init (NgamAttributeTable *self)
{
  g_autoptr(GtkStringList) layers = gtk_string_list_new (NULL);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkSorter *sorter;

  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    gtk_string_list_append (layers, g_dgettext (GETTEXT_PACKAGE, ngam_layer_info (k)->title));
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  gtk_widget_set_margin_start (bar, 6);
  gtk_widget_set_margin_end (bar, 6);
  gtk_widget_set_margin_top (bar, 6);
  gtk_widget_set_margin_bottom (bar, 6);
  self->layer_drop = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (layers)), NULL));
  self->search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->search), TRUE);
  self->count_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "dim-label");
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->layer_drop));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->search));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->count_label));
  gtk_box_append (GTK_BOX (self->box), bar);

  self->store = g_list_store_new (NGAM_TYPE_FEATURE_ITEM);
  self->filter = gtk_custom_filter_new (filter_match, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                              GTK_FILTER (g_object_ref (self->filter)));
  self->view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  sorter = gtk_column_view_get_sorter (self->view);
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (self->filtered), g_object_ref (sorter));
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (self->sorted));
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (self->selection));
  g_object_unref (self->filter);   /* the filter model holds it */
  gtk_column_view_set_show_column_separators (self->view, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->view), "data-table");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->view));
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (self->box), scroller);

  g_signal_connect_swapped (self->layer_drop, "notify::selected", G_CALLBACK (layer_chosen), self);
  g_signal_connect_swapped (self->search, "search-changed", G_CALLBACK (search_changed), self);
  g_signal_connect (self->selection, "selection-changed", G_CALLBACK (table_selection_changed), self);
  g_signal_connect_swapped (self, "map", G_CALLBACK (table_mapped), self);
  rebuild_columns (self);
  update_count (self);
}

GtkWidget *
ngam_attribute_table_new (void)
{
  return g_object_new (NGAM_TYPE_ATTRIBUTE_TABLE, NULL);
}

/**
 * ngam_attribute_table_set_project:
 * @project: (nullable): the project
 * @edit_layer: (nullable): the map's selection to follow and set
 */
void
ngam_attribute_table_set_project (NgamAttributeTable *self,
                                  NgamProject        *project,
                                  NgamEditLayer      *edit_layer)
{
  g_return_if_fail (NGAM_IS_ATTRIBUTE_TABLE (self));

  if (self->project)
    g_signal_handlers_disconnect_by_data (self->project, self);
  if (self->edit_layer)
    g_signal_handlers_disconnect_by_data (self->edit_layer, self);
  g_set_object (&self->project, project);
  g_set_object (&self->edit_layer, edit_layer);
  if (project)
    g_signal_connect (project, "changed", G_CALLBACK (project_changed), self);
  if (edit_layer)
    g_signal_connect (edit_layer, "selection-changed", G_CALLBACK (map_selection_changed), self);
  if (self->store && gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload (self);
  else if (self->store)
    g_list_store_remove_all (self->store);
}

void
ngam_attribute_table_set_kind (NgamAttributeTable *self,
                               NgamLayerKind       kind)
{
  g_return_if_fail (NGAM_IS_ATTRIBUTE_TABLE (self));
  g_return_if_fail (kind < NGAM_N_LAYERS);

  if (gtk_drop_down_get_selected (self->layer_drop) != kind)
    gtk_drop_down_set_selected (self->layer_drop, kind);
  if (self->kind == kind && g_list_model_get_n_items (G_LIST_MODEL (self->store)) > 0)
    return;
  self->kind = kind;
  g_list_store_remove_all (self->store);
  rebuild_columns (self);
  reload (self);
}

/* Whether rows are still being read. */
gboolean
ngam_attribute_table_get_loading (NgamAttributeTable *self)
{
  g_return_val_if_fail (NGAM_IS_ATTRIBUTE_TABLE (self), FALSE);
  return self->loading != NULL || self->reload_source != 0;
}

/* Returns: (transfer none): the rows as shown (filtered, sorted, selectable). */
GtkSelectionModel *
ngam_attribute_table_get_model (NgamAttributeTable *self)
{
  g_return_val_if_fail (NGAM_IS_ATTRIBUTE_TABLE (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

/* Returns: (transfer none): the table itself (to sort by a column). */
GtkColumnView *
ngam_attribute_table_get_view (NgamAttributeTable *self)
{
  g_return_val_if_fail (NGAM_IS_ATTRIBUTE_TABLE (self), NULL);
  return self->view;
}

/* Returns: (transfer none): the search entry. */
GtkEditable *
ngam_attribute_table_get_search (NgamAttributeTable *self)
{
  g_return_val_if_fail (NGAM_IS_ATTRIBUTE_TABLE (self), NULL);
  return GTK_EDITABLE (self->search);
}

/* The fid of row @position as shown. */
gint64
ngam_attribute_table_get_fid (NgamAttributeTable *self,
                              guint               position)
{
  g_autoptr(NgamFeatureItem) item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  return item ? item->feature->fid : 0;
}
