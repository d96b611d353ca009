/* ngam-report-csv.c — the report's tables as CSV for spreadsheets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Four files: the bill of quantities, the operators' allocation, the
 * totals per ward and per phase.  UTF-8 without a byte order mark, a
 * header row of stable column names, RFC 4180 quoting, CRLF line ends,
 * numbers in the C locale without grouping (whole đồng for money, metres
 * to the centimetre), so any spreadsheet in any language reads the same
 * values.  The bill also has each item's name in the report's language.
 */
#define G_LOG_DOMAIN "ngam-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ngam-report-private.h"
#include "ngam-zone.h"

static void
number (GString *out, double v, int decimals, gboolean last)
{
  g_autofree char *s = ngam_report_format_plain (v, decimals);

  ngam_csv_field (out, s, last);
}

static gboolean
save (const char *dir, const char *prefix, const char *name, GString *out, GError **error)
{
  g_autofree char *path = g_strdup_printf ("%s/%s-%s.csv", dir, prefix, name);
  g_autoptr(GError) local = NULL;

  if (!g_file_set_contents_full (path, out->str, out->len, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    {
      g_set_error (error, NGAM_REPORT_ERROR, NGAM_REPORT_ERROR_WRITE, _("Cannot write %s: %s"), path,
                   local->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * ngam_report_write_csv:
 * @dir: the folder
 * @prefix: the files' name before "-bill.csv", "-operators.csv", …
 */
gboolean
ngam_report_write_csv (NgamReportData  *data,
                       const char      *dir,
                       const char      *prefix,
                       GError         **error)
{
  g_autoptr(GString) bill = g_string_new (NULL);
  g_autoptr(GString) ops = g_string_new (NULL);
  g_autoptr(GString) wards = g_string_new (NULL);
  g_autoptr(GString) phases = g_string_new (NULL);

  g_string_append (bill, "item,name,unit,quantity,unit_cost_vnd,cost_vnd\r\n");
  for (guint i = 0; i < data->bill->len; i++)
    {
      NgamReportRow *r = data->bill->pdata[i];
      const char *name = ngam_report_item_title (data->lang, r->key);
      double unit_cost = isnan (r->unit_cost) && r->quantity > 0 ? r->cost / r->quantity : r->unit_cost;

      ngam_csv_field (bill, r->key, FALSE);
      ngam_csv_field (bill, name, FALSE);
      ngam_csv_field (bill, r->unit, FALSE);
      number (bill, r->quantity, g_strcmp0 (r->unit, "m") == 0 ? 2 : 0, FALSE);
      number (bill, unit_cost, 0, FALSE);
      number (bill, r->cost, 0, TRUE);
    }

  g_string_append (ops, "operator,share,cost_vnd\r\n");
  for (guint i = 0; i < data->operators->len; i++)
    {
      NgamReportRow *r = data->operators->pdata[i];
      char share[G_ASCII_DTOSTR_BUF_SIZE];

      ngam_csv_field (ops, r->key, FALSE);
      ngam_csv_field (ops, isnan (r->share) ? "" : g_ascii_formatd (share, sizeof share, "%.6f", r->share), FALSE);
      number (ops, r->cost, 0, TRUE);
    }

  g_string_append (wards, "ward,trench_m,cost_vnd\r\n");
  for (guint i = 0; i < data->wards->len; i++)
    {
      NgamReportRow *r = data->wards->pdata[i];

      ngam_csv_field (wards, r->key, FALSE);
      number (wards, r->length_m, 2, FALSE);
      number (wards, r->cost, 0, TRUE);
    }

  g_string_append (phases, "phase,year,trench_m,cost_vnd,funded\r\n");
  for (guint i = 0; i < data->phases->len; i++)
    {
      NgamReportRow *r = data->phases->pdata[i];
      g_autofree char *phase = g_strdup_printf ("%d", r->phase);
      g_autofree char *year = g_strdup_printf ("%d", r->year);

      ngam_csv_field (phases, phase, FALSE);
      ngam_csv_field (phases, year, FALSE);
      number (phases, r->length_m, 2, FALSE);
      number (phases, r->cost, 0, FALSE);
      ngam_csv_field (phases, r->funded ? "true" : "false", TRUE);
    }

  return save (dir, prefix, "bill", bill, error) &&
         save (dir, prefix, "operators", ops, error) &&
         save (dir, prefix, "wards", wards, error) &&
         save (dir, prefix, "phases", phases, error);
}
