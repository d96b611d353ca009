/* ngam-format.c — numbers written for machines, whatever the user's locale
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * printf's %g follows LC_NUMERIC, and a Vietnamese desktop
 * (vi_VN.UTF-8) writes 0,7 for 0.7: a scenario, a QGIS style or a WKT
 * written that way does not read back.  What another program or a later
 * run reads goes through these, in the C locale, with as few digits as
 * read back to the same double (0.7, not %.17g's 0.69999999999999996).
 */
#include "config.h"

#include "ngam-format.h"

/**
 * ngam_append_double:
 * @out: where to append
 * @d: a finite number
 *
 * Appends the shortest of %.15g, %.16g and %.17g, in the C locale, that
 * reads back (g_ascii_strtod()) to @d exactly.
 */
void
ngam_append_double (GString *out,
                    double   d)
{
  ngam_append_scaled (out, d, 1);
}

/**
 * ngam_append_scaled:
 * @out: where to append
 * @d: a finite number
 * @factor: what the text is @d times (100 for a percentage)
 *
 * Appends @d × @factor in the fewest digits (%.15g, %.16g, %.17g, in the
 * C locale) whose value divided by @factor is @d again: 7 for 0.07 as a
 * percentage, not the 7.000000000000001 that 0.07 × 100 is.
 */
void
ngam_append_scaled (GString *out,
                    double   d,
                    double   factor)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (int prec = 15; prec <= 17; prec++)
    {
      g_ascii_formatd (buf, sizeof buf, prec == 15 ? "%.15g" : prec == 16 ? "%.16g" : "%.17g", d * factor);
      if (g_ascii_strtod (buf, NULL) / factor == d)
        break;
    }
  g_string_append (out, buf);
}

/**
 * ngam_format_double:
 * @d: a finite number
 *
 * Returns: (transfer full): ngam_append_double()'s text for @d
 */
char *
ngam_format_double (double d)
{
  GString *s = g_string_new (NULL);

  ngam_append_double (s, d);
  return g_string_free (s, FALSE);
}
