/* ngam-report-svg.c — cairo's SVG made light enough to inline in a page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cairo's SVG surface writes one <path> per stroke with six decimals in
 * every coordinate and the whole style spelled out each time: a town's
 * map came to 10 MB.  The HTML report's maps are shown at about one unit
 * per screen pixel, so this pass rewrites the drawing (what follows
 * <defs>) with coordinates to a tenth of a unit, drops the vertices that
 * move less than a third of one (not in a transformed path: the street
 * names' halos), and joins consecutive strokes of the
 * same style into one path (a stroke of several subpaths looks the same
 * as the strokes one after another; fills are left alone, since joining
 * them could punch holes where they overlap).  The glyphs in <defs> keep
 * hundredths; paths of a group in <defs> (what cairo_push_group() drew,
 * shown through a mask) are the drawing's; patterns and images are
 * copied as they are.  Every id is
 * renamed, the map's prefix and a number in the order they appear, so
 * that several maps can sit inline in one page and the page's bytes do
 * not depend on what cairo drew before.
 *
 * The input is what cairo_svg_surface_create_for_stream() wrote (cairo
 * 1.16's style attributes, or the presentation attributes of later
 * versions): a <path> element is self-closing and its `d` holds the
 * commands M, L, C and Z separated by spaces.  Anything else is copied
 * untouched.
 */
#define G_LOG_DOMAIN "ngam-report"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ngam-report-private.h"

#define MIN_STEP 0.3

typedef struct
{
  GString    *out;
  const char *prefix;
  GString    *key;       /* the pending stroke's attributes without d */
  GString    *d;         /* its path data */
  gboolean    pending;
  GHashTable *ids;       /* cairo's id → ours */
} Compact;

/* Copies @len bytes of markup, with every id and reference to one
 * prefixed. */
static void
copy_markup (Compact *c, const char *s, gsize len)
{
  static const char *const marks[] = { "id=\"", "href=\"#", "url(#" };
  const char *end = s + len;

  while (s < end)
    {
      const char *best = NULL;
      gsize best_len = 0;

      for (guint i = 0; i < G_N_ELEMENTS (marks); i++)
        {
          const char *hit = g_strstr_len (s, end - s, marks[i]);

          if (hit != NULL && (best == NULL || hit < best))
            {
              best = hit;
              best_len = strlen (marks[i]);
            }
        }
      if (best == NULL)
        {
          g_string_append_len (c->out, s, end - s);
          return;
        }
      g_string_append_len (c->out, s, best + best_len - s);
      s = best + best_len;
      /* cairo numbers some ids (images, surfaces) across the whole
       * process, so they depend on what was drawn before: each id gets
       * the number of its first appearance in this picture instead. */
      {
        const char *name_end = s;
        g_autofree char *name = NULL;
        const char *mapped;

        while (name_end < end && *name_end != '"' && *name_end != ')')
          name_end++;
        name = g_strndup (s, name_end - s);
        mapped = g_hash_table_lookup (c->ids, name);
        if (mapped == NULL)
          {
            char *fresh = g_strdup_printf ("%s%u", c->prefix, g_hash_table_size (c->ids));

            g_hash_table_insert (c->ids, g_steal_pointer (&name), fresh);
            mapped = fresh;
          }
        g_string_append (c->out, mapped);
        s = name_end;
      }
    }
}

static void point (GString *out, double x, double y, double q);

/* @q: 10 for tenths, 100 for hundredths. */
static double
quantize (double v, double q)
{
  return round (v * q) / q;
}

static void
number (GString *out, double v, double q)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char *dot;

  v = quantize (v, q);
  if (v == 0)
    v = 0;   /* no "-0" */
  g_ascii_formatd (buf, sizeof buf, q > 10 ? "%.2f" : "%.1f", v);
  dot = strchr (buf, '.');
  if (dot != NULL)
    {
      char *e = buf + strlen (buf);

      while (e > dot + 1 && e[-1] == '0')
        *--e = '\0';
      if (e == dot + 1)
        *dot = '\0';
    }
  g_string_append (out, buf);
}

static void
point (GString *out, double x, double y, double q)
{
  g_string_append_c (out, ' ');
  number (out, x, q);
  g_string_append_c (out, ' ');
  number (out, y, q);
}

/* Rewrites path data @d (@len bytes) into @out: rounded, thinned.
 * Returns FALSE, leaving @out as it was, for data it does not know. */
static gboolean
path_data (GString *out, const char *d, gsize len, double min_step, double q)
{
  g_autofree char *text = g_strndup (d, len);
  g_auto (GStrv) tok = g_strsplit_set (text, " \t\n", -1);
  gsize start = out->len;
  double lx = 0, ly = 0, px = 0, py = 0, sx = 0, sy = 0;
  gboolean have_pending = FALSE, in_lines = FALSE;
  guint segments = 0;
  char cmd = 0;
  guint i = 0;

#define NEXT_NUM(v)                                                           \
  G_STMT_START {                                                              \
    char *e;                                                                  \
    while (tok[i] != NULL && *tok[i] == '\0')                                 \
      i++;                                                                    \
    if (tok[i] == NULL)                                                       \
      goto fail;                                                              \
    (v) = g_ascii_strtod (tok[i], &e);                                        \
    if (*e != '\0' || !isfinite (v))                                          \
      goto fail;                                                              \
    i++;                                                                      \
  } G_STMT_END

  /* The last point of a run of lines is always kept: it is where the
   * subpath ends or where the next command starts. */
#define FLUSH_LINE()                                                          \
  G_STMT_START {                                                              \
    if (have_pending && (segments == 0 || px != lx || py != ly))              \
      {                                                                       \
        if (!in_lines)                                                        \
          g_string_append (out, " L");                                        \
        point (out, px, py, q);                                                  \
        lx = px;                                                              \
        ly = py;                                                              \
        segments++;                                                           \
      }                                                                       \
    have_pending = FALSE;                                                     \
    in_lines = FALSE;                                                         \
  } G_STMT_END

  while (TRUE)
    {
      while (tok[i] != NULL && *tok[i] == '\0')
        i++;
      if (tok[i] == NULL)
        break;
      if (g_ascii_isalpha (*tok[i]))
        {
          if (tok[i][1] != '\0')
            goto fail;
          cmd = *tok[i++];
        }
      switch (cmd)
        {
        case 'M':
          FLUSH_LINE ();
          NEXT_NUM (sx);
          NEXT_NUM (sy);
          lx = quantize (sx, q);
          ly = quantize (sy, q);
          g_string_append (out, out->len > start ? " M" : "M");
          point (out, sx, sy, q);
          segments = 0;
          cmd = 'L';   /* as SVG reads numbers after a move */
          break;
        case 'L':
          {
            double x, y, rx, ry;

            NEXT_NUM (x);
            NEXT_NUM (y);
            rx = quantize (x, q);
            ry = quantize (y, q);
            if (have_pending && fabs (px - lx) + fabs (py - ly) >= min_step)
              {
                if (!in_lines)
                  g_string_append (out, " L");
                in_lines = TRUE;
                point (out, px, py, q);
                lx = px;
                ly = py;
                segments++;
              }
            px = rx;
            py = ry;
            have_pending = TRUE;
            break;
          }
        case 'C':
          {
            double v[6];

            FLUSH_LINE ();
            for (guint k = 0; k < 6; k++)
              NEXT_NUM (v[k]);
            g_string_append (out, " C");
            for (guint k = 0; k < 6; k += 2)
              point (out, v[k], v[k + 1], q);
            lx = quantize (v[4], q);
            ly = quantize (v[5], q);
            segments++;
            break;
          }
        case 'Z':
          FLUSH_LINE ();
          g_string_append (out, " Z");
          lx = quantize (sx, q);
          ly = quantize (sy, q);
          cmd = 0;
          break;
        default:
          goto fail;
        }
    }
  FLUSH_LINE ();
  return TRUE;

fail:
  g_string_truncate (out, start);
  return FALSE;
#undef NEXT_NUM
#undef FLUSH_LINE
}

static void
flush (Compact *c)
{
  if (!c->pending)
    return;
  g_string_append (c->out, "<path ");
  copy_markup (c, c->key->str, c->key->len);
  g_string_append (c->out, c->key->len > 0 ? " d=\"" : "d=\"");
  g_string_append_len (c->out, c->d->str, c->d->len);
  g_string_append (c->out, "\"/>\n");
  c->pending = FALSE;
}

/* One <path …/> element of the drawing, @s to @end (past the "/>"). */
static void
path_element (Compact *c, const char *s, const char *end)
{
  const char *attrs = s + strlen ("<path ");
  const char *attrs_end = end - 2;
  const char *d = g_strstr_len (attrs, attrs_end - attrs, " d=\"");
  const char *d_end;
  g_autoptr (GString) key = NULL;
  g_autoptr (GString) data = NULL;
  gboolean stroke_only, transformed;

  if (d == NULL && g_str_has_prefix (attrs, "d=\""))
    d = attrs - 1;
  if (d == NULL || (d_end = memchr (d + 4, '"', attrs_end - (d + 4))) == NULL)
    {
      flush (c);
      copy_markup (c, s, end - s);
      g_string_append_c (c->out, '\n');
      return;
    }
  key = g_string_new_len (attrs, d >= attrs ? d - attrs : 0);   /* d first: d == attrs - 1 */
  g_string_append_len (key, d_end + 1, attrs_end - (d_end + 1));
  while (key->len > 0 && g_ascii_isspace (key->str[key->len - 1]))
    g_string_truncate (key, key->len - 1);
  /* A transformed path (a street name's halo, turned along its street)
   * is in the glyphs' units, near the page's: rounded, never thinned. */
  transformed = strstr (key->str, "transform=") != NULL;
  data = g_string_new (NULL);
  if (!path_data (data, d + 4, d_end - (d + 4), transformed ? 0 : MIN_STEP, 10))
    {
      flush (c);
      copy_markup (c, s, end - s);
      g_string_append_c (c->out, '\n');
      return;
    }
  if (data->len == 0)
    return;   /* nothing drawn */
  stroke_only = strstr (key->str, "fill:none") != NULL || strstr (key->str, "fill=\"none\"") != NULL;
  if (c->pending && stroke_only && g_string_equal (key, c->key))
    {
      g_string_append_c (c->d, ' ');
      g_string_append_len (c->d, data->str, data->len);
      return;
    }
  flush (c);
  g_string_assign (c->key, key->str);
  g_string_assign (c->d, data->str);
  c->pending = TRUE;
  if (!stroke_only)
    flush (c);
}

/* A glyph's outline, in <defs>: its units are the page's at the font's
 * size, so hundredths keep its shape. */
static void
glyph_element (Compact *c, const char *s, const char *end)
{
  const char *d = g_strstr_len (s, end - s, " d=\"");
  const char *d_end = d != NULL ? memchr (d + 4, '"', end - (d + 4)) : NULL;
  g_autoptr (GString) data = g_string_new (NULL);

  if (d_end == NULL || !path_data (data, d + 4, d_end - (d + 4), 0, 100))
    {
      copy_markup (c, s, end - s);
      g_string_append_c (c->out, '\n');
      return;
    }
  copy_markup (c, s, d + 4 - s);
  g_string_append_len (c->out, data->str, data->len);
  copy_markup (c, d_end, end - d_end);
  g_string_append_c (c->out, '\n');
}

/* A glyph placed on the map: its x and y to hundredths. */
static void
use_element (Compact *c, const char *s, const char *end)
{
  g_autoptr (GString) tag = g_string_new (NULL);
  const char *p = s;

  while (p < end)
    {
      const char *x = g_strstr_len (p, end - p, " x=\"");
      const char *y = g_strstr_len (p, end - p, " y=\"");
      const char *hit = x == NULL ? y : (y == NULL || x < y ? x : y);
      char *num_end;
      double v;

      if (hit == NULL)
        break;
      g_string_append_len (tag, p, hit + 4 - p);
      v = g_ascii_strtod (hit + 4, &num_end);
      if (num_end == hit + 4 || *num_end != '"' || !isfinite (v))
        {
          p = hit + 4;
          continue;
        }
      number (tag, v, 100);
      p = num_end;
    }
  g_string_append_len (tag, p, end - p);
  copy_markup (c, tag->str, tag->len);
}

/**
 * ngam_report_svg_compact:
 * @svg: what cairo's SVG surface wrote
 * @len: its length
 * @prefix: put before every id, so the SVG can be inlined beside others
 *
 * Returns: (transfer full): the same picture as an <svg> element (no XML
 * declaration), lighter.
 */
char *
ngam_report_svg_compact (const char *svg,
                         gsize       len,
                         const char *prefix)
{
  Compact c = { g_string_sized_new (len / 3), prefix, g_string_new (NULL), g_string_new (NULL), FALSE,
                g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free) };
  const char *s = svg, *end = svg + len;
  gboolean in_defs = FALSE, in_symbol = FALSE, in_pattern = FALSE;

  if (g_str_has_prefix (s, "<?xml"))
    {
      const char *e = g_strstr_len (s, end - s, "?>");

      if (e != NULL)
        {
          s = e + 2;
          while (s < end && g_ascii_isspace (*s))
            s++;
        }
    }
  while (s < end)
    {
      const char *lt = memchr (s, '<', end - s), *gt;

      if (lt == NULL)
        {
          flush (&c);
          copy_markup (&c, s, end - s);
          break;
        }
      /* Text between elements: cairo writes only white space there. */
      for (const char *p = s; p < lt; p++)
        if (!g_ascii_isspace (*p))
          {
            flush (&c);
            copy_markup (&c, s, lt - s);
            break;
          }
      gt = memchr (lt, '>', end - lt);
      if (gt == NULL)
        {
          flush (&c);
          copy_markup (&c, lt, end - lt);
          break;
        }
      gt++;
      if (in_symbol && g_str_has_prefix (lt, "<path ") && gt - lt >= 2 && gt[-2] == '/')
        glyph_element (&c, lt, gt);
      else if (!in_pattern && g_str_has_prefix (lt, "<path ") && gt - lt >= 2 && gt[-2] == '/')
        path_element (&c, lt, gt);   /* the drawing, or a group of it in <defs> (a festival halo) */
      else if (!in_defs && g_str_has_prefix (lt, "<use "))
        {
          flush (&c);
          use_element (&c, lt, gt);
        }
      else
        {
          flush (&c);
          if (g_str_has_prefix (lt, "<defs"))
            in_defs = gt[-2] != '/';
          else if (g_str_has_prefix (lt, "</defs"))
            in_defs = FALSE;
          else if (g_str_has_prefix (lt, "<symbol"))
            in_symbol = gt[-2] != '/';
          else if (g_str_has_prefix (lt, "</symbol"))
            in_symbol = FALSE;
          else if (g_str_has_prefix (lt, "<pattern"))
            in_pattern = gt[-2] != '/';
          else if (g_str_has_prefix (lt, "</pattern"))
            in_pattern = FALSE;
          copy_markup (&c, lt, gt - lt);
          if (in_defs || !g_str_has_prefix (lt, "<use"))
            g_string_append_c (c.out, '\n');
        }
      s = gt;
    }
  flush (&c);
  g_string_free (c.key, TRUE);
  g_string_free (c.d, TRUE);
  g_hash_table_unref (c.ids);
  return g_string_free (c.out, FALSE);
}
