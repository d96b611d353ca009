/* ngam-csv.c — one CSV field, as every CSV Ngầm writes has them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The report's tables, the open-data schedule and a saved comparison of
 * two plans: RFC 4180 quoting, CRLF line ends, UTF-8 without a byte order
 * mark.
 */
#include "config.h"

#include <string.h>

#include "ngam-csv.h"

/**
 * ngam_csv_field:
 * @out: the CSV being written
 * @s: (nullable): the field's text (%NULL: empty)
 * @last: TRUE for the row's last field
 *
 * Appends @s, quoted when it holds a comma, a quote or a line break
 * (quotes doubled), then a comma, or CRLF after the row's last field.
 */
void
ngam_csv_field (GString    *out,
                const char *s,
                gboolean    last)
{
  if (s == NULL)
    s = "";
  if (strpbrk (s, ",\"\r\n") != NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = s; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, s);
  g_string_append (out, last ? "\r\n" : ",");
}
