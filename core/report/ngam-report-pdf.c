/* ngam-report-pdf.c — the report as a PDF: A4 text pages, A3 map pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Laid out in two passes over the document: the first only measures, to
 * learn on which page each heading falls (the table of contents needs it
 * before those pages exist) and how many pages there are; the second
 * draws.  Text is set by Pango in one font that covers Vietnamese, tables
 * break across pages and repeat their header row, each map takes an A3
 * landscape page.  Headings are PDF destinations: the outline and the
 * table of contents link to them (cairo 1.16's tag API).
 *
 * Reproducible: the creation and modification dates are the plan run's
 * finish time, and nothing else in the file depends on the clock or the
 * machine.
 */
#define G_LOG_DOMAIN "ngam-report"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "ngam-report-map.h"
#include "ngam-report-private.h"

#define A4_W 595.276
#define A4_H 841.890
#define A3_W 1190.551
#define A3_H 841.890
#define MARGIN 56.0
#define FOOTER 28.0

#define TR(s) ngam_report_tr (w->data->lang, (s))

typedef struct
{
  NgamReportData  *data;
  NgamReportDoc   *doc;
  cairo_surface_t *surface;
  cairo_t         *cr;
  gboolean         dry;           /* measuring pass: nothing is drawn */
  int              page;          /* 1-based, 0 before the first */
  int              n_pages;       /* known after the measuring pass */
  gboolean         landscape;
  double           y;             /* where the next block goes */
  double           page_w, page_h;
  GArray          *heading_pages; /* int per block (headings only) */
  const char      *pending_dest;  /* a heading's destination, on the next map page */
  GCancellable    *cancellable;
} Writer;

static PangoLayout *
layout_new (Writer *w, const char *text, const char *font, double width, gboolean markup)
{
  PangoLayout *layout = pango_cairo_create_layout (w->cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, desc);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
    }
  if (markup)
    pango_layout_set_markup (layout, text, -1);
  else
    pango_layout_set_text (layout, text, -1);
  pango_font_description_free (desc);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

static double
layout_width (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) w / PANGO_SCALE;
}

static void
show (Writer *w, PangoLayout *layout, double x, double y, double r, double g, double b)
{
  if (w->dry)
    return;
  cairo_move_to (w->cr, x, y);
  cairo_set_source_rgb (w->cr, r, g, b);
  pango_cairo_show_layout (w->cr, layout);
}

/* Text of @font in @width at (x, y); returns its height. */
static double
text (Writer *w, const char *s, const char *font, double x, double y, double width)
{
  PangoLayout *layout = layout_new (w, s, font, width, FALSE);
  double h = layout_height (layout);

  show (w, layout, x, y, 0.1, 0.1, 0.1);
  g_object_unref (layout);
  return h;
}

static void
footer (Writer *w)
{
  g_autofree char *num = NULL;
  g_autofree char *left = NULL;
  PangoLayout *layout;

  if (w->dry || w->page == 1)
    return;
  num = g_strdup_printf (TR (N_("Page %d of %d")), w->page, w->n_pages);
  left = g_strdup_printf ("%s · %s", w->doc->title, w->data->scenario);
  cairo_set_source_rgb (w->cr, 0.6, 0.6, 0.6);
  cairo_set_line_width (w->cr, 0.5);
  cairo_move_to (w->cr, MARGIN, w->page_h - MARGIN + 8);
  cairo_line_to (w->cr, w->page_w - MARGIN, w->page_h - MARGIN + 8);
  cairo_stroke (w->cr);
  layout = layout_new (w, left, NGAM_REPORT_FONT " 7.5", w->page_w - 2 * MARGIN - 100, FALSE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  show (w, layout, MARGIN, w->page_h - MARGIN + 12, 0.35, 0.35, 0.35);
  g_object_unref (layout);
  layout = layout_new (w, num, NGAM_REPORT_FONT " 7.5", 0, FALSE);
  show (w, layout, w->page_w - MARGIN - layout_width (layout), w->page_h - MARGIN + 12, 0.35, 0.35, 0.35);
  g_object_unref (layout);
}

static void
new_page (Writer *w, gboolean landscape)
{
  if (w->page > 0)
    {
      footer (w);
      if (!w->dry)
        cairo_show_page (w->cr);
    }
  w->page++;
  w->landscape = landscape;
  w->page_w = landscape ? A3_W : A4_W;
  w->page_h = landscape ? A3_H : A4_H;
  if (!w->dry)
    cairo_pdf_surface_set_size (w->surface, w->page_w, w->page_h);
  w->y = MARGIN;
}

static double
bottom (Writer *w)
{
  return w->page_h - MARGIN - FOOTER + 12;
}

/* A page of A4 to write on, a new one when less than @need is left. */
static void
need (Writer *w, double need)
{
  if (w->page == 0 || w->landscape || w->y + need > bottom (w))
    new_page (w, FALSE);
}

static void
heading (Writer *w, NgamReportBlock *b, guint index)
{
  const char *font = b->level == 1 ? NGAM_REPORT_FONT " Bold 16" : NGAM_REPORT_FONT " Bold 12";
  double width = w->page_w - 2 * MARGIN;
  PangoLayout *layout;
  double h;

  if (index + 1 < w->doc->blocks->len &&
      ((NgamReportBlock *) w->doc->blocks->pdata[index + 1])->kind == NGAM_BLOCK_MAP)
    {
      /* "Maps": the heading of the first map page, not a page of its own. */
      g_array_index (w->heading_pages, int, index) = w->page + 1;
      w->pending_dest = b->anchor;
      return;
    }
  if (b->page_break)
    new_page (w, FALSE);
  else
    need (w, b->level == 1 ? 140 : 80);
  if (w->y > MARGIN)
    w->y += b->level == 1 ? 10 : 8;
  g_array_index (w->heading_pages, int, index) = w->page;
  layout = layout_new (w, b->text, font, width, FALSE);
  h = layout_height (layout);
  if (!w->dry)
    {
      g_autofree char *dest = g_strdup_printf ("name='%s'", b->anchor);

      cairo_tag_begin (w->cr, CAIRO_TAG_DEST, dest);
      show (w, layout, MARGIN, w->y, 0.05, 0.20, 0.40);
      cairo_tag_end (w->cr, CAIRO_TAG_DEST);
    }
  g_object_unref (layout);
  w->y += h + (b->level == 1 ? 10 : 6);
}

static void
paragraph (Writer *w, const char *s)
{
  double width = w->page_w - 2 * MARGIN;
  PangoLayout *layout = layout_new (w, s, NGAM_REPORT_FONT " 10", width, FALSE);
  double h = layout_height (layout);

  need (w, h);
  show (w, layout, MARGIN, w->y, 0.1, 0.1, 0.1);
  g_object_unref (layout);
  w->y += h + 8;
}

static void
warning (Writer *w, const char *s)
{
  double width = w->page_w - 2 * MARGIN;
  PangoLayout *layout = layout_new (w, s, NGAM_REPORT_FONT " Bold 11", width - 24, FALSE);
  double h = layout_height (layout);

  need (w, h + 24);
  if (!w->dry)
    {
      cairo_rectangle (w->cr, MARGIN, w->y, width, h + 20);
      cairo_set_source_rgb (w->cr, 1.0, 0.92, 0.92);
      cairo_fill_preserve (w->cr);
      cairo_set_source_rgb (w->cr, 0.75, 0.1, 0.1);
      cairo_set_line_width (w->cr, 1.5);
      cairo_stroke (w->cr);
    }
  show (w, layout, MARGIN + 12, w->y + 10, 0.6, 0.05, 0.05);
  g_object_unref (layout);
  w->y += h + 32;
}

static void
title (Writer *w, NgamReportBlock *b)
{
  double width = w->page_w - 2 * MARGIN;
  g_autofree char *date = g_strdup_printf (TR (N_("Plan computed on %s")), w->doc->date);

  new_page (w, FALSE);
  if (!w->dry)
    {
      cairo_rectangle (w->cr, 0, 0, w->page_w, 10);
      cairo_set_source_rgb (w->cr, 0.05, 0.20, 0.40);
      cairo_fill (w->cr);
    }
  w->y = 200;
  w->y += text (w, TR (N_("Ngầm — telecom cable undergrounding")), NGAM_REPORT_FONT " 11", MARGIN, w->y, width) + 14;
  w->y += text (w, b->text, NGAM_REPORT_FONT " Bold 26", MARGIN, w->y, width) + 18;
  w->y += text (w, b->subtitle, NGAM_REPORT_FONT " 13", MARGIN, w->y, width) + 8;
  w->y += text (w, date, NGAM_REPORT_FONT " 11", MARGIN, w->y, width) + 40;
}

#define PAD 3.0

/* Column widths: a numeric column is as wide as its widest number (a
 * number never wraps); the text columns share what is left by their
 * relative widths. */
static void
columns (Writer *w, NgamReportTable *t, double *x, double *cw)
{
  double width = w->page_w - 2 * MARGIN, at = MARGIN, fixed = 0, rel = 0;

  for (guint i = 0; i < t->n_cols; i++)
    {
      cw[i] = 0;
      if (!t->numeric[i])
        {
          rel += t->widths[i];
          continue;
        }
      for (guint r = 0; r <= t->rows->len; r++)
        {
          const char *cell = r == 0 ? t->headers[i] : ((char **) t->rows->pdata[r - 1])[i];
          /* The header and the row of totals are set in bold. */
          gboolean bold = r == 0 || (int) r - 1 == t->total_row;
          PangoLayout *layout = layout_new (w, cell, bold ? NGAM_REPORT_FONT " Bold 8.5" : NGAM_REPORT_FONT " 8.5",
                                            0, FALSE);
          double cell_w = layout_width (layout);

          /* A header of several words may wrap: its longest word counts. */
          if (r == 0 && strchr (cell, ' ') != NULL)
            cell_w = MIN (cell_w, 60);
          cw[i] = MAX (cw[i], cell_w + 2 * PAD + 1);
          g_object_unref (layout);
        }
      fixed += cw[i];
    }
  for (guint i = 0; i < t->n_cols; i++)
    {
      if (!t->numeric[i])
        cw[i] = rel > 0 ? MAX (width - fixed, width * 0.25) * t->widths[i] / rel : 0;
      else if (fixed > width * 0.75)
        cw[i] *= width * 0.75 / fixed;
      x[i] = at;
      at += cw[i];
    }
}

/* One row of cells; returns its height.  Draws it when @draw. */
static double
table_row (Writer *w, NgamReportTable *t, char **cells, const double *x, const double *cw,
           const char *font, gboolean header, gboolean shade, gboolean draw)
{
  PangoLayout *layouts[32];
  double h = 0;
  guint n = MIN (t->n_cols, G_N_ELEMENTS (layouts));

  for (guint i = 0; i < n; i++)
    {
      layouts[i] = layout_new (w, cells[i], font, cw[i] - 2 * PAD, FALSE);
      if (t->numeric[i])
        pango_layout_set_alignment (layouts[i], PANGO_ALIGN_RIGHT);
      h = MAX (h, layout_height (layouts[i]));
    }
  h += 2 * PAD;
  if (draw && !w->dry)
    {
      if (header || shade)
        {
          cairo_rectangle (w->cr, x[0], w->y, x[n - 1] + cw[n - 1] - x[0], h);
          if (header)
            cairo_set_source_rgb (w->cr, 0.86, 0.89, 0.93);
          else
            cairo_set_source_rgb (w->cr, 0.965, 0.965, 0.965);
          cairo_fill (w->cr);
        }
      for (guint i = 0; i < n; i++)
        show (w, layouts[i], x[i] + PAD, w->y + PAD, 0.1, 0.1, 0.1);
      cairo_set_source_rgb (w->cr, 0.75, 0.75, 0.75);
      cairo_set_line_width (w->cr, 0.4);
      cairo_move_to (w->cr, x[0], w->y + h);
      cairo_line_to (w->cr, x[n - 1] + cw[n - 1], w->y + h);
      cairo_stroke (w->cr);
    }
  for (guint i = 0; i < n; i++)
    g_object_unref (layouts[i]);
  return h;
}

static void
table (Writer *w, NgamReportTable *t)
{
  double x[32], cw[32], hh;
  const char *font = NGAM_REPORT_FONT " 8.5";
  const char *bold = NGAM_REPORT_FONT " Bold 8.5";

  g_return_if_fail (t->n_cols <= 32);
  /* The header and at least one row together. */
  need (w, 48);
  columns (w, t, x, cw);
  hh = table_row (w, t, t->headers, x, cw, bold, TRUE, FALSE, TRUE);
  w->y += hh;
  for (guint r = 0; r < t->rows->len; r++)
    {
      char **cells = t->rows->pdata[r];
      gboolean total = (int) r == t->total_row;
      double h = table_row (w, t, cells, x, cw, total ? bold : font, FALSE, FALSE, FALSE);

      if (w->y + h > bottom (w))
        {
          /* Across a page: the header again, so every page reads alone. */
          new_page (w, FALSE);
          w->y += table_row (w, t, t->headers, x, cw, bold, TRUE, FALSE, TRUE);
        }
      w->y += table_row (w, t, cells, x, cw, total ? bold : font, FALSE, r % 2 == 1 && !total, TRUE);
    }
  w->y += 12;
}

static void
bars (Writer *w, NgamReportTable *t)
{
  double width = w->page_w - 2 * MARGIN, label_w = width * 0.3, value_w = 0, bar_w, max = 0;

  /* the values on one line each (a sum of money wrapped its ₫ onto the
   * next bar), the bars taking what is left */
  for (guint r = 0; r < t->rows->len; r++)
    {
      char **cells = t->rows->pdata[r];
      PangoLayout *value = layout_new (w, cells[t->bar_col], NGAM_REPORT_FONT " 8.5", 0, FALSE);
      int vw, vh;

      pango_layout_get_size (value, &vw, &vh);
      value_w = MAX (value_w, (double) vw / PANGO_SCALE);
      g_object_unref (value);
      max = MAX (max, g_array_index (t->keys, double, r * t->n_cols + t->bar_col));
    }
  value_w = MIN (value_w + 2, width * 0.4);
  bar_w = width - label_w - value_w - 12;
  for (guint r = 0; r < t->rows->len; r++)
    {
      char **cells = t->rows->pdata[r];
      double v = g_array_index (t->keys, double, r * t->n_cols + t->bar_col);
      PangoLayout *label = layout_new (w, cells[0], NGAM_REPORT_FONT " 8.5", label_w - 6, FALSE);
      PangoLayout *value = layout_new (w, cells[t->bar_col], NGAM_REPORT_FONT " 8.5", value_w, FALSE);
      double h = MAX (MAX (layout_height (label), layout_height (value)), 14) + 4;

      need (w, h);
      show (w, label, MARGIN, w->y + 2, 0.1, 0.1, 0.1);
      if (!w->dry && max > 0 && v > 0)
        {
          cairo_rectangle (w->cr, MARGIN + label_w, w->y + 3, bar_w * v / max, h - 6);
          cairo_set_source_rgb (w->cr, 0.20, 0.42, 0.68);
          cairo_fill (w->cr);
        }
      show (w, value, MARGIN + label_w + bar_w + 12, w->y + 2, 0.1, 0.1, 0.1);
      g_object_unref (label);
      g_object_unref (value);
      w->y += h;
    }
  w->y += 12;
}

static void
toc (Writer *w, NgamReportBlock *b)
{
  double width = w->page_w - 2 * MARGIN;

  new_page (w, FALSE);
  w->y += text (w, b->text, NGAM_REPORT_FONT " Bold 16", MARGIN, w->y, width) + 14;
  for (guint i = 0; i < w->doc->blocks->len; i++)
    {
      NgamReportBlock *h = w->doc->blocks->pdata[i];
      g_autofree char *num = NULL;
      PangoLayout *label, *page;
      double indent = h->level == 2 ? 18 : 0, lh;

      if (h->kind != NGAM_BLOCK_HEADING && h->kind != NGAM_BLOCK_MAP)
        continue;
      if (h->kind == NGAM_BLOCK_MAP)
        indent = 18;
      num = g_strdup_printf ("%d", g_array_index (w->heading_pages, int, i));
      label = layout_new (w, h->text, h->level == 1 ? NGAM_REPORT_FONT " Bold 10" : NGAM_REPORT_FONT " 10",
                          width - indent - 40, FALSE);
      page = layout_new (w, num, NGAM_REPORT_FONT " 10", 0, FALSE);
      lh = layout_height (label) + 4;
      need (w, lh);
      if (!w->dry)
        {
          g_autofree char *link = g_strdup_printf ("dest='%s'", h->anchor);

          cairo_tag_begin (w->cr, CAIRO_TAG_LINK, link);
          show (w, label, MARGIN + indent, w->y, 0.1, 0.1, 0.1);
          show (w, page, w->page_w - MARGIN - layout_width (page), w->y, 0.1, 0.1, 0.1);
          cairo_tag_end (w->cr, CAIRO_TAG_LINK);
        }
      g_object_unref (label);
      g_object_unref (page);
      w->y += lh;
    }
}

static gboolean
map_page (Writer *w, NgamReportBlock *b, guint index, GError **error)
{
  double width = A3_W - 2 * MARGIN, top, h;

  new_page (w, TRUE);
  g_array_index (w->heading_pages, int, index) = w->page;
  if (!w->dry)
    {
      g_autofree char *dest = g_strdup_printf ("name='%s'", b->anchor);

      if (w->pending_dest != NULL)
        {
          g_autofree char *pending = g_strdup_printf ("name='%s'", w->pending_dest);

          cairo_tag_begin (w->cr, CAIRO_TAG_DEST, pending);
          cairo_tag_end (w->cr, CAIRO_TAG_DEST);
        }
      cairo_tag_begin (w->cr, CAIRO_TAG_DEST, dest);
      text (w, b->text, NGAM_REPORT_FONT " Bold 15", MARGIN, w->y, width);
      cairo_tag_end (w->cr, CAIRO_TAG_DEST);
    }
  w->pending_dest = NULL;
  w->y += 24;
  w->y += text (w, b->subtitle, NGAM_REPORT_FONT " 9", MARGIN, w->y, width) + 8;
  top = w->y;
  h = A3_H - MARGIN - FOOTER - top;
  if (!w->dry)
    {
      gboolean ok;

      cairo_save (w->cr);
      cairo_translate (w->cr, MARGIN, top);
      ok = ngam_report_draw_map (w->data, b->map, w->cr, width, h, w->cancellable, error);
      cairo_restore (w->cr);
      if (!ok)
        return FALSE;
    }
  w->y = A3_H;
  return TRUE;
}

static gboolean
lay_out (Writer *w, GError **error)
{
  w->page = 0;
  for (guint i = 0; i < w->doc->blocks->len; i++)
    {
      NgamReportBlock *b = w->doc->blocks->pdata[i];

      if (g_cancellable_set_error_if_cancelled (w->cancellable, error))
        return FALSE;
      switch (b->kind)
        {
        case NGAM_BLOCK_TITLE:
          title (w, b);
          break;
        case NGAM_BLOCK_TOC:
          toc (w, b);
          break;
        case NGAM_BLOCK_HEADING:
          heading (w, b, i);
          break;
        case NGAM_BLOCK_PARAGRAPH:
          paragraph (w, b->text);
          break;
        case NGAM_BLOCK_WARNING:
          warning (w, b->text);
          break;
        case NGAM_BLOCK_FIGURES:
        case NGAM_BLOCK_TABLE:
          table (w, b->table);
          break;
        case NGAM_BLOCK_BARS:
          bars (w, b->table);
          break;
        case NGAM_BLOCK_MAP:
          if (!map_page (w, b, i, error))
            return FALSE;
          break;
        default:
          g_assert_not_reached ();
        }
    }
  footer (w);
  if (!w->dry)
    cairo_show_page (w->cr);
  return TRUE;
}

/* "2026-12-02T07:30:00Z" as cairo wants it, or NULL. */
static char *
pdf_date (const char *iso)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = iso != NULL ? g_date_time_new_from_iso8601 (iso, utc) : NULL;

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

static void
outline (Writer *w)
{
  int parent = CAIRO_PDF_OUTLINE_ROOT;

  for (guint i = 0; i < w->doc->blocks->len; i++)
    {
      NgamReportBlock *b = w->doc->blocks->pdata[i];
      g_autofree char *link = NULL;

      if (b->kind != NGAM_BLOCK_HEADING && b->kind != NGAM_BLOCK_MAP)
        continue;
      link = g_strdup_printf ("dest='%s'", b->anchor);
      if (b->kind == NGAM_BLOCK_HEADING && b->level == 1)
        parent = cairo_pdf_surface_add_outline (w->surface, CAIRO_PDF_OUTLINE_ROOT, b->text, link, 0);
      else
        cairo_pdf_surface_add_outline (w->surface, parent, b->text, link, 0);
    }
}

/**
 * ngam_report_write_pdf:
 *
 * Writes @doc to @path (which the caller replaces or removes on failure).
 */
gboolean
ngam_report_write_pdf (NgamReportData  *data,
                       NgamReportDoc   *doc,
                       const char      *path,
                       GCancellable    *cancellable,
                       GError         **error)
{
  Writer w = { data, doc };
  g_autofree char *date = pdf_date (data->plan->finished);
  cairo_status_t status;
  gboolean ok;

  w.cancellable = cancellable;
  w.heading_pages = g_array_new (FALSE, TRUE, sizeof (int));
  g_array_set_size (w.heading_pages, doc->blocks->len);
  /* Map blocks are destinations too. */
  for (guint i = 0; i < doc->blocks->len; i++)
    {
      NgamReportBlock *b = doc->blocks->pdata[i];

      if (b->kind == NGAM_BLOCK_MAP && b->anchor == NULL)
        b->anchor = g_strdup_printf ("m%u", i);
    }

  /* Measuring: a PDF surface of no stream measures text as the real one. */
  w.surface = cairo_pdf_surface_create_for_stream (NULL, NULL, A4_W, A4_H);
  w.cr = cairo_create (w.surface);
  w.dry = TRUE;
  ok = lay_out (&w, error);
  w.n_pages = w.page;
  cairo_destroy (w.cr);
  cairo_surface_destroy (w.surface);
  if (!ok)
    {
      g_array_unref (w.heading_pages);
      return FALSE;
    }

  w.surface = cairo_pdf_surface_create (path, A4_W, A4_H);
  cairo_pdf_surface_restrict_to_version (w.surface, CAIRO_PDF_VERSION_1_5);
  cairo_pdf_surface_set_metadata (w.surface, CAIRO_PDF_METADATA_TITLE, doc->title);
  cairo_pdf_surface_set_metadata (w.surface, CAIRO_PDF_METADATA_SUBJECT, data->scenario);
  cairo_pdf_surface_set_metadata (w.surface, CAIRO_PDF_METADATA_CREATOR, "Ngầm " PACKAGE_VERSION);
  cairo_pdf_surface_set_metadata (w.surface, CAIRO_PDF_METADATA_AUTHOR, "Ngầm");
  if (date != NULL)
    {
      cairo_pdf_surface_set_metadata (w.surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
      cairo_pdf_surface_set_metadata (w.surface, CAIRO_PDF_METADATA_MOD_DATE, date);
    }
  w.cr = cairo_create (w.surface);
  w.dry = FALSE;
  ok = lay_out (&w, error);
  if (ok)
    outline (&w);
  cairo_destroy (w.cr);
  cairo_surface_finish (w.surface);
  status = cairo_surface_status (w.surface);
  cairo_surface_destroy (w.surface);
  g_array_unref (w.heading_pages);
  if (ok && status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_WRITE,
                   _("Cannot write %s: %s"), path, cairo_status_to_string (status));
      return FALSE;
    }
  return ok;
}
