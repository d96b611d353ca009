/* ngam-report-html.c — the report as one self-contained HTML page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same document as the PDF in one file that opens anywhere without a
 * network: inline CSS, the maps as inline SVG drawn by the same renderer
 * (made light by ngam-report-svg.c, which also prefixes each map's ids so
 * that the glyphs and clips of two maps cannot collide), tables that sort when their
 * header is clicked (a few lines of inline script; without script they
 * read as they are), and bar charts as plain CSS.
 */
#define G_LOG_DOMAIN "ngam-report"

#include "config.h"

#include <cairo-svg.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ngam-report-private.h"

#define MAP_W 1080.0
#define MAP_H 700.0

static const char css[] =
  "body{font-family:'DejaVu Sans','Noto Sans',sans-serif;color:#1a1a1a;max-width:1100px;margin:2em auto;"
  "padding:0 1em;line-height:1.45}"
  "h1{color:#0d3366;border-bottom:2px solid #0d3366;padding-bottom:.2em;margin-top:2em}"
  "h2{color:#0d3366}"
  ".cover{border-top:10px solid #0d3366;padding-top:2em}.cover h1{border:0;font-size:2.1em;margin:.3em 0}"
  ".warning{border:2px solid #bf1a1a;background:#ffebeb;color:#990d0d;font-weight:bold;padding:.8em 1em}"
  "table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em;font-size:.9em}"
  "th{background:#dbe3ed;text-align:left;padding:.3em .5em;cursor:pointer;user-select:none}"
  "td{padding:.25em .5em;border-bottom:1px solid #ccc}tr:nth-child(even) td{background:#f6f6f6}"
  "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}tr.total td{font-weight:bold}"
  "th[aria-sort=ascending]::after{content:' ▲'}th[aria-sort=descending]::after{content:' ▼'}"
  ".bars{margin:.5em 0 1.5em}.bar{display:flex;align-items:center;margin:.15em 0}"
  ".bar span.l{width:30%}.bar span.b{flex:1}.bar span.b i{display:block;height:1em;background:#336bad}"
  ".bar span.v{width:22%;text-align:right;font-variant-numeric:tabular-nums}"
  "figure{margin:1em 0 2em}figure svg{display:block;width:100%;height:auto;border:1px solid #999}figcaption{font-size:.9em;color:#444}"
  "nav ol{padding-left:1.2em}@media print{th{cursor:auto}}";

/* Sorts a table by the column clicked, numbers by their data-k keys; the
 * row of totals stays last. */
static const char script[] =
  "document.querySelectorAll('table.sortable').forEach(function(t){"
  "t.querySelectorAll('th').forEach(function(th,c){th.addEventListener('click',function(){"
  "var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows).filter(function(r){return !r.classList.contains('total')}),"
  "tot=b.querySelector('tr.total'),up=th.getAttribute('aria-sort')!=='ascending';"
  "t.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort')});"
  "th.setAttribute('aria-sort',up?'ascending':'descending');"
  "rows.sort(function(x,y){var a=x.cells[c],d=y.cells[c],ka=a.dataset.k,kd=d.dataset.k,r;"
  "if(ka!==undefined&&kd!==undefined)r=parseFloat(ka)-parseFloat(kd);"
  "else r=a.textContent.localeCompare(d.textContent);return up?r:-r});"
  "rows.forEach(function(r){b.appendChild(r)});if(tot)b.appendChild(tot)})})});";

static void
esc (GString *out, const char *s)
{
  g_autofree char *e = g_markup_escape_text (s != NULL ? s : "", -1);

  g_string_append (out, e);
}

static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
map_figure (NgamReportData *data, NgamReportBlock *b, GString *out, GCancellable *cancellable, GError **error)
{
  g_autoptr(GByteArray) svg = g_byte_array_new ();
  cairo_surface_t *surface = cairo_svg_surface_create_for_stream (append_bytes, svg, MAP_W, MAP_H);
  cairo_t *cr = cairo_create (surface);
  g_autofree char *inline_svg = NULL, *prefix = NULL;
  const char *open_tag;
  gboolean ok;

  cairo_svg_surface_restrict_to_version (surface, CAIRO_SVG_VERSION_1_1);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  ok = ngam_report_draw_map (data, b->map, cr, MAP_W, MAP_H, cancellable, error);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  if (!ok)
    return FALSE;
  prefix = g_strdup_printf ("%s-", b->anchor);
  inline_svg = ngam_report_svg_compact ((const char *) svg->data, svg->len, prefix);
  open_tag = strstr (inline_svg, "<svg ");
  if (open_tag == NULL)
    {
      g_set_error (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_WRITE,
                   _("The map “%s” could not be drawn as SVG."), b->text);
      return FALSE;
    }
  g_string_append_printf (out, "<figure id=\"%s\"><h2>", b->anchor);
  esc (out, b->text);
  g_string_append (out, "</h2>\n<svg role=\"img\" aria-label=\"");
  esc (out, b->text);
  g_string_append (out, "\" ");
  g_string_append (out, open_tag + strlen ("<svg "));
  g_string_append (out, "<figcaption>");
  esc (out, b->subtitle);
  g_string_append (out, "</figcaption></figure>\n");
  return TRUE;
}

static void
table (GString *out, NgamReportTable *t, gboolean sortable)
{
  g_string_append_printf (out, "<table%s><thead><tr>", sortable ? " class=\"sortable\"" : "");
  for (guint i = 0; i < t->n_cols; i++)
    {
      g_string_append_printf (out, "<th%s>", t->numeric[i] ? " class=\"n\"" : "");
      esc (out, t->headers[i]);
      g_string_append (out, "</th>");
    }
  g_string_append (out, "</tr></thead><tbody>\n");
  for (guint r = 0; r < t->rows->len; r++)
    {
      char **cells = t->rows->pdata[r];

      g_string_append_printf (out, "<tr%s>", (int) r == t->total_row ? " class=\"total\"" : "");
      for (guint i = 0; i < t->n_cols; i++)
        {
          double k = g_array_index (t->keys, double, r * t->n_cols + i);

          g_string_append (out, "<td");
          if (t->numeric[i])
            g_string_append (out, " class=\"n\"");
          if (isfinite (k))
            {
              char buf[G_ASCII_DTOSTR_BUF_SIZE];

              g_string_append_printf (out, " data-k=\"%s\"", g_ascii_dtostr (buf, sizeof buf, k));
            }
          g_string_append_c (out, '>');
          esc (out, cells[i]);
          g_string_append (out, "</td>");
        }
      g_string_append (out, "</tr>\n");
    }
  g_string_append (out, "</tbody></table>\n");
}

static void
bars (GString *out, NgamReportTable *t)
{
  double max = 0;

  for (guint r = 0; r < t->rows->len; r++)
    max = MAX (max, g_array_index (t->keys, double, r * t->n_cols + t->bar_col));
  g_string_append (out, "<div class=\"bars\">");
  for (guint r = 0; r < t->rows->len; r++)
    {
      char **cells = t->rows->pdata[r];
      double v = g_array_index (t->keys, double, r * t->n_cols + t->bar_col);
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append (out, "<div class=\"bar\"><span class=\"l\">");
      esc (out, cells[0]);
      g_string_append_printf (out, "</span><span class=\"b\"><i style=\"width:%s%%\"></i></span><span class=\"v\">",
                              g_ascii_formatd (buf, sizeof buf, "%.1f", max > 0 && v > 0 ? 100 * v / max : 0));
      esc (out, cells[t->bar_col]);
      g_string_append (out, "</span></div>");
    }
  g_string_append (out, "</div>\n");
}

/**
 * ngam_report_write_html:
 *
 * Writes @doc as one HTML file at @path.
 */
gboolean
ngam_report_write_html (NgamReportData  *data,
                        NgamReportDoc   *doc,
                        const char      *path,
                        GCancellable    *cancellable,
                        GError         **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) local = NULL;

  g_string_append_printf (out, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                               "<meta name=\"generator\" content=\"Ngầm %s\"><title>",
                          ngam_report_lang_code (data->lang), PACKAGE_VERSION);
  esc (out, doc->title);
  g_string_append_printf (out, "</title><style>%s</style></head><body>\n", css);
  for (guint i = 0; i < doc->blocks->len; i++)
    {
      NgamReportBlock *b = doc->blocks->pdata[i];

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      switch (b->kind)
        {
        case NGAM_BLOCK_TITLE:
          {
            g_autofree char *date = g_strdup_printf (ngam_report_tr (data->lang, N_("Plan computed on %s")), doc->date);

            g_string_append (out, "<header class=\"cover\"><p>");
            esc (out, ngam_report_tr (data->lang, N_("Ngầm — telecom cable undergrounding")));
            g_string_append (out, "</p><h1>");
            esc (out, b->text);
            g_string_append (out, "</h1><p>");
            esc (out, b->subtitle);
            g_string_append (out, "<br>");
            esc (out, date);
            g_string_append (out, "</p></header>\n");
          }
          break;
        case NGAM_BLOCK_TOC:
          g_string_append (out, "<nav><h2>");
          esc (out, b->text);
          g_string_append (out, "</h2><ol>");
          for (guint j = 0; j < doc->blocks->len; j++)
            {
              NgamReportBlock *h = doc->blocks->pdata[j];

              if (h->kind != NGAM_BLOCK_HEADING || h->level != 1)
                continue;
              g_string_append_printf (out, "<li><a href=\"#%s\">", h->anchor);
              esc (out, h->text);
              g_string_append (out, "</a></li>");
            }
          g_string_append (out, "</ol></nav>\n");
          break;
        case NGAM_BLOCK_HEADING:
          g_string_append_printf (out, "<h%d id=\"%s\">", b->level, b->anchor);
          esc (out, b->text);
          g_string_append_printf (out, "</h%d>\n", b->level);
          break;
        case NGAM_BLOCK_PARAGRAPH:
          g_string_append (out, "<p>");
          esc (out, b->text);
          g_string_append (out, "</p>\n");
          break;
        case NGAM_BLOCK_WARNING:
          g_string_append (out, "<p class=\"warning\" role=\"alert\">");
          esc (out, b->text);
          g_string_append (out, "</p>\n");
          break;
        case NGAM_BLOCK_FIGURES:
          table (out, b->table, FALSE);
          break;
        case NGAM_BLOCK_TABLE:
          table (out, b->table, TRUE);
          break;
        case NGAM_BLOCK_BARS:
          bars (out, b->table);
          break;
        case NGAM_BLOCK_MAP:
          if (b->anchor == NULL)
            b->anchor = g_strdup_printf ("m%u", i);
          if (!map_figure (data, b, out, cancellable, error))
            return FALSE;
          break;
        default:
          g_assert_not_reached ();
        }
    }
  g_string_append_printf (out, "<script>%s</script>\n</body></html>\n", script);
  if (!g_file_set_contents_full (path, out->str, out->len, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    {
      g_set_error (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_WRITE, _("Cannot write %s: %s"), path,
                   local->message);
      return FALSE;
    }
  return TRUE;
}
