/* ngam-result-table.c — a table of a run's figures (GtkColumnView)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bill of quantities, the costs per ward and per operator and the
 * indicators are short tables of text: each row a NgamTableRow of cells,
 * each column a label, sortable by clicking its header (numbers by value,
 * text by the locale's collation).  Numbers are written the way the
 * window writes coordinates, digits grouped by thin spaces.
 */
#define G_LOG_DOMAIN "ngam-ui"

#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "ngam-result-table.h"

#define NGAM_TYPE_TABLE_ROW (ngam_table_row_get_type ())
G_DECLARE_FINAL_TYPE (NgamTableRow, ngam_table_row, NGAM, TABLE_ROW, GObject)

struct _NgamTableRow
{
  GObject  parent_instance;
  GStrv    cells;
};

G_DEFINE_FINAL_TYPE (NgamTableRow, ngam_table_row, G_TYPE_OBJECT)

static void
ngam_table_row_finalize (GObject *object)
{
  g_strfreev (NGAM_TABLE_ROW (object)->cells);
  G_OBJECT_CLASS (ngam_table_row_parent_class)->finalize (object);
}

static void
ngam_table_row_class_init (NgamTableRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ngam_table_row_finalize;
}

static void
ngam_table_row_init (NgamTableRow *self)
{
}

static const char *
cell_of (gpointer item, guint column)
{
  NgamTableRow *row = item;

  return row->cells != NULL && column < g_strv_length (row->cells) ? row->cells[column] : "";
}

/* ---- numbers ---------------------------------------------------------------- */

static char *
group_digits (const char *raw)
{
  g_autoptr(GString) s = g_string_new (NULL);
  const char *digits = raw[0] == '-' ? raw + 1 : raw;
  const char *dot = strchr (digits, '.');
  gsize int_len = dot ? (gsize) (dot - digits) : strlen (digits);

  if (raw[0] == '-')
    g_string_append (s, "−");
  for (gsize i = 0; i < int_len; i++)
    {
      if (i > 0 && (int_len - i) % 3 == 0)
        g_string_append (s, "\u2009");
      g_string_append_c (s, digits[i]);
    }
  if (dot)
    g_string_append (s, dot);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* 67254860370 → "67 254 860 370" (thin spaces), to the đồng. */
char *
ngam_format_vnd (double vnd)
{
  g_autofree char *raw = g_strdup_printf ("%.0f", round (vnd));

  return group_digits (raw);
}

char *
ngam_format_number (double value,
                    int    decimals)
{
  g_autofree char *raw = NULL;

  if (!isfinite (value))
    return g_strdup ("–");
  raw = g_strdup_printf ("%.*f", decimals, value);
  return group_digits (raw);
}

/* The number a cell shows (separators and a trailing unit or % dropped);
 * NAN when it shows none. */
double
ngam_parse_number (const char *text)
{
  g_autoptr(GString) s = g_string_new (NULL);
  char *end = NULL;
  double v;

  for (const char *p = text; p && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x2212)
        g_string_append_c (s, '-');
      else if (c < 128 && (g_ascii_isdigit (c) || c == '.' || c == '-'))
        g_string_append_c (s, (char) c);
      else if (c == 0x2009 || c == ' ')
        continue;
      else if (s->len > 0)
        break;
    }
  if (s->len == 0)
    return NAN;
  v = g_ascii_strtod (s->str, &end);
  return end && *end == '\0' ? v : NAN;
}

/* ---- the view ---------------------------------------------------------------- */

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  data)
{
  GtkWidget *label = gtk_label_new (NULL);
  gboolean numeric = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "ngam-numeric"));

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), numeric ? PANGO_ELLIPSIZE_NONE : PANGO_ELLIPSIZE_END);
  /* the row's name (a ward) stays readable in a table too wide for the
   * sidebar, which scrolls: "Phường Thuận Thành", not "Phườn…" */
  if (g_object_get_data (G_OBJECT (factory), "ngam-chars") != NULL)
    gtk_label_set_width_chars (GTK_LABEL (label), GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "ngam-chars")));
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  data)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "ngam-column"));
  const char *text = cell_of (gtk_list_item_get_item (item), column);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
  gtk_widget_set_tooltip_text (gtk_list_item_get_child (item), text);
}

static int
compare_cells (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  guint column = GPOINTER_TO_UINT (data) & 0xffff;
  gboolean numeric = (GPOINTER_TO_UINT (data) >> 16) != 0;
  const char *x = cell_of ((gpointer) a, column), *y = cell_of ((gpointer) b, column);

  if (numeric)
    {
      double u = ngam_parse_number (x), v = ngam_parse_number (y);

      if (isnan (u) || isnan (v))
        return isnan (u) - isnan (v);
      return (u > v) - (u < v);
    }
  return g_utf8_collate (x, y);
}

/**
 * ngam_result_table_new:
 * @titles: (array zero-terminated=1): the columns' headers
 * @numeric_columns: a bit per column whose cells are numbers (right-aligned,
 *   sorted by value)
 *
 * Returns: (transfer floating): an empty table.
 */
GtkColumnView *
ngam_result_table_new (const char *const *titles,
                       guint              numeric_columns)
{
  GListStore *store = g_list_store_new (NGAM_TYPE_TABLE_ROW);
  GtkColumnView *view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  GtkSortListModel *sorted;
  GtkNoSelection *selection;

  /* The sort model and the selection take the references given them; the
   * view refs the selection it is given. */
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (store)),
                                    g_object_ref (gtk_column_view_get_sorter (view)));
  selection = gtk_no_selection_new (G_LIST_MODEL (sorted));
  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  g_object_set_data_full (G_OBJECT (view), "ngam-rows", store, g_object_unref);
  g_object_set_data (G_OBJECT (view), "ngam-n-columns", GUINT_TO_POINTER (g_strv_length ((char **) titles)));
  gtk_column_view_set_show_column_separators (view, TRUE);
  gtk_column_view_set_reorderable (view, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (view), "data-table");
  for (guint i = 0; titles[i] != NULL; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      gboolean numeric = (numeric_columns & (1u << i)) != 0;
      GtkColumnViewColumn *column;
      GtkSorter *sorter;

      g_object_set_data (G_OBJECT (factory), "ngam-column", GUINT_TO_POINTER (i));
      g_object_set_data (G_OBJECT (factory), "ngam-numeric", GINT_TO_POINTER (numeric));
      if (i == 0 && !numeric && g_strv_length ((char **) titles) > 4)
        g_object_set_data (G_OBJECT (factory), "ngam-chars", GINT_TO_POINTER (16));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), NULL);
      column = gtk_column_view_column_new (titles[i], factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      if (i == 0)
        gtk_column_view_column_set_expand (column, TRUE);
      sorter = GTK_SORTER (gtk_custom_sorter_new (compare_cells, GUINT_TO_POINTER (i | (numeric ? 1u << 16 : 0)),
                                                  NULL));
      gtk_column_view_column_set_sorter (column, sorter);
      g_object_unref (sorter);
      gtk_column_view_append_column (view, column);
      g_object_unref (column);
    }
  return view;
}

void
ngam_result_table_clear (GtkColumnView *view)
{
  g_list_store_remove_all (g_object_get_data (G_OBJECT (view), "ngam-rows"));
}

/* Appends a row: one cell per column, then NULL. */
void
ngam_result_table_add_row (GtkColumnView *view,
                           const char    *first,
                           ...)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr(NgamTableRow) row = g_object_new (NGAM_TYPE_TABLE_ROW, NULL);
  va_list ap;

  va_start (ap, first);
  for (const char *c = first; c != NULL; c = va_arg (ap, const char *))
    g_strv_builder_add (b, c);
  va_end (ap);
  row->cells = g_strv_builder_end (b);
  g_list_store_append (g_object_get_data (G_OBJECT (view), "ngam-rows"), row);
}

/* Rows as shown (sorted as the headers say). */
guint
ngam_result_table_get_n_rows (GtkColumnView *view)
{
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view)));
}

/* Returns: (transfer none): the text of a cell as shown. */
const char *
ngam_result_table_get_cell (GtkColumnView *view,
                            guint          row,
                            guint          column)
{
  g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (gtk_column_view_get_model (view)), row);

  /* The row stays alive in the store after this reference goes. */
  return item != NULL ? cell_of (item, column) : NULL;
}
