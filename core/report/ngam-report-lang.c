/* ngam-report-lang.c — a report's language: its translations and numbers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A report's language is one of its inputs, not the process's locale: a
 * planner running an English terminal writes the Vietnamese report the
 * committee reads, and the same inputs must give the same bytes whatever
 * LANG says.  gettext() answers in the process's language only (and glibc
 * not at all under the C locale), so the report reads the same compiled
 * catalogue (po/vi.po → vi/LC_MESSAGES/ngam.mo) itself: a GNU .mo file is
 * a table of originals sorted bytewise and a parallel table of
 * translations, looked up here by binary search.
 *
 * Numbers follow the language: 1.234.567 ₫ and 12,5 km in Vietnamese,
 * 1,234,567 VND and 12.5 km in English.
 */
#define G_LOG_DOMAIN "ngam-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ngam-locale.h"
#include "ngam-report-private.h"

struct _NgamReportLang
{
  char        *code;       /* "vi", "en" */
  GMappedFile *mo;
  const guchar *data;
  gsize        size;
  gboolean     swap;
  guint32      n;
  guint32      originals;
  guint32      translations;
  const char  *thousands;
  const char  *decimal;
  const char  *currency;
  gboolean     currency_symbol;   /* "₫" after the number, "VND" likewise */
};

static guint32
read_u32 (NgamReportLang *lang, gsize at)
{
  guint32 v;

  if (at + 4 > lang->size)
    return 0;
  memcpy (&v, lang->data + at, 4);
  return lang->swap ? GUINT32_SWAP_LE_BE (v) : v;
}

/* The string at table entry @i, or NULL when the file is damaged. */
static const char *
mo_string (NgamReportLang *lang, guint32 table, guint32 i, guint32 *len)
{
  guint32 l = read_u32 (lang, table + 8 * (gsize) i);
  guint32 off = read_u32 (lang, table + 8 * (gsize) i + 4);

  if ((gsize) off + l + 1 > lang->size || lang->data[off + l] != '\0')
    return NULL;
  *len = l;
  return (const char *) lang->data + off;
}

/* The catalogue gettext would use (ngam_locale_dir()), or one beside a
 * test program of the build tree (BUILD/tests/report beside BUILD/po). */
static char *
find_catalogue (const char *code)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *bindir = exe ? g_path_get_dirname (exe) : NULL;
  g_autoptr(GPtrArray) dirs = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (dirs, g_strdup (ngam_locale_dir ()));
  if (bindir != NULL)
    g_ptr_array_add (dirs, g_build_filename (bindir, "..", "..", "po", NULL));
  for (guint i = 0; i < dirs->len; i++)
    {
      g_autofree char *mo = g_build_filename (dirs->pdata[i], code, "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

      if (g_file_test (mo, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&mo);
    }
  return NULL;
}

/**
 * ngam_report_lang_new:
 * @code: (nullable): "vi" or "en"; NULL for "vi"
 *
 * Returns: (transfer full): the language, or NULL when it is unknown or
 *   its catalogue cannot be found or read.
 */
NgamReportLang *
ngam_report_lang_new (const char  *code,
                      GError     **error)
{
  g_autoptr(NgamReportLang) lang = g_new0 (NgamReportLang, 1);

  if (code == NULL)
    code = "vi";
  if (strcmp (code, "vi") != 0 && strcmp (code, "en") != 0)
    {
      g_set_error (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_NO_LANGUAGE,
                   _("Reports are written in Vietnamese (vi) or English (en), not “%s”"), code);
      return NULL;
    }
  lang->code = g_strdup (code);
  if (strcmp (code, "en") == 0)
    {
      lang->thousands = ",";
      lang->decimal = ".";
      lang->currency = "VND";
      return g_steal_pointer (&lang);
    }

  lang->thousands = ".";
  lang->decimal = ",";
  lang->currency = "₫";
  {
    g_autofree char *path = find_catalogue (code);
    g_autoptr(GError) local = NULL;
    guint32 magic;

    if (path == NULL)
      {
        g_set_error (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_NO_LANGUAGE,
                     _("The Vietnamese translations (%s) cannot be found: Ngầm is not installed completely"),
                     "vi/LC_MESSAGES/" GETTEXT_PACKAGE ".mo");
        return NULL;
      }
    lang->mo = g_mapped_file_new (path, FALSE, &local);
    if (lang->mo == NULL)
      {
        g_set_error (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_NO_LANGUAGE,
                     _("Cannot read the translations %s: %s"), path, local->message);
        return NULL;
      }
    lang->data = (const guchar *) g_mapped_file_get_contents (lang->mo);
    lang->size = g_mapped_file_get_length (lang->mo);
    memcpy (&magic, lang->data, MIN (lang->size, 4));
    if (lang->size < 28 || (magic != 0x950412de && magic != 0xde120495))
      {
        g_set_error (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_NO_LANGUAGE,
                     _("Cannot read the translations %s: not a gettext catalogue"), path);
        return NULL;
      }
    lang->swap = magic == 0xde120495;
    lang->n = read_u32 (lang, 8);
    lang->originals = read_u32 (lang, 12);
    lang->translations = read_u32 (lang, 16);
  }
  return g_steal_pointer (&lang);
}

void
ngam_report_lang_free (NgamReportLang *lang)
{
  if (lang == NULL)
    return;
  g_clear_pointer (&lang->mo, g_mapped_file_unref);
  g_free (lang->code);
  g_free (lang);
}

const char *
ngam_report_lang_code (NgamReportLang *lang)
{
  return lang->code;
}

/**
 * ngam_report_tr:
 * @msgid: an English source string, marked with N_() where it is written
 *
 * Returns: (transfer none): its translation in @lang, or @msgid itself
 *   (English, or a string the catalogue does not have yet).
 */
const char *
ngam_report_tr (NgamReportLang *lang,
                const char     *msgid)
{
  guint32 lo = 0, hi;

  if (lang->mo == NULL || msgid == NULL)
    return msgid;
  hi = lang->n;
  while (lo < hi)
    {
      guint32 mid = lo + (hi - lo) / 2, len;
      const char *orig = mo_string (lang, lang->originals, mid, &len);
      int cmp;

      if (orig == NULL)
        return msgid;
      cmp = strcmp (msgid, orig);
      if (cmp == 0)
        {
          const char *tr = mo_string (lang, lang->translations, mid, &len);

          return tr != NULL && len > 0 ? tr : msgid;
        }
      if (cmp < 0)
        hi = mid;
      else
        lo = mid + 1;
    }
  return msgid;
}

/* Groups the digits of the integer text @digits (no sign) by three. */
static void
append_grouped (GString *out, const char *digits, const char *sep)
{
  gsize n = strlen (digits);

  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append (out, sep);
      g_string_append_c (out, digits[i]);
    }
}

/**
 * ngam_report_format_number:
 * @decimals: digits after the decimal sign
 *
 * Returns: (transfer full): @value for a reader of @lang: "1.234.567,5"
 *   in Vietnamese, "1,234,567.5" in English; "–" for NAN.
 */
char *
ngam_report_format_number (NgamReportLang *lang,
                           double          value,
                           int             decimals)
{
  g_autofree char *text = NULL;
  GString *out;
  char *dot;

  if (!isfinite (value))
    return g_strdup ("–");
  text = g_strdup_printf ("%.*f", decimals, fabs (value));
  /* "-0" is 0. */
  if (value < 0 && strspn (text, "0.") != strlen (text))
    out = g_string_new ("−");
  else
    out = g_string_new (NULL);
  dot = strchr (text, '.');
  if (dot != NULL)
    *dot = '\0';
  append_grouped (out, text, lang->thousands);
  if (dot != NULL)
    {
      g_string_append (out, lang->decimal);
      g_string_append (out, dot + 1);
    }
  return g_string_free (out, FALSE);
}

/* Returns: (transfer full): whole đồng: "1.234.567 ₫", "1,234,567 VND". */
char *
ngam_report_format_money (NgamReportLang *lang,
                          double          vnd)
{
  g_autofree char *n = ngam_report_format_number (lang, round (vnd), 0);

  if (!isfinite (vnd))
    return g_steal_pointer (&n);
  return g_strdup_printf ("%s %s", n, lang->currency);
}

/* Returns: (transfer full): "12.345 m" or "12,345 m", whole metres. */
char *
ngam_report_format_metres (NgamReportLang *lang,
                           double          metres)
{
  g_autofree char *n = ngam_report_format_number (lang, round (metres), 0);

  return g_strdup_printf ("%s m", n);
}

/* Returns: (transfer full): a share, "12,5 %" or "12.5 %". */
char *
ngam_report_format_percent (NgamReportLang *lang,
                            double          fraction)
{
  g_autofree char *n = ngam_report_format_number (lang, fraction * 100, 1);

  return g_strdup_printf ("%s %%", n);
}

/* The number as CSV and JSON want it: C locale, no grouping, shortest
 * exact form for whole numbers. */
char *
ngam_report_format_plain (double value,
                          int    decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    return g_strdup ("");
  if (decimals <= 0)
    return g_strdup_printf ("%.0f", round (value) == 0 ? 0.0 : round (value));
  g_ascii_formatd (buf, sizeof buf, decimals == 1 ? "%.1f" : decimals == 2 ? "%.2f" : "%.3f", value);
  return g_strdup (buf);
}

/* "2026-12-02T07:30:00Z" → "02/12/2026" (vi) or "2 December 2026" (en). */
char *
ngam_report_format_date (NgamReportLang *lang,
                         const char     *iso)
{
  static const char *months[] = {
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
    N_("July"), N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
  };
  int y = 0, m = 0, d = 0;

  if (iso == NULL || sscanf (iso, "%d-%d-%d", &y, &m, &d) != 3 || m < 1 || m > 12)
    return g_strdup (iso != NULL ? iso : "–");
  if (strcmp (lang->code, "vi") == 0)
    return g_strdup_printf ("%02d/%02d/%04d", d, m, y);
  return g_strdup_printf ("%d %s %d", d, months[m - 1], y);
}
