/* ngam-report.h — plan reports: PDF, HTML, CSV, GeoPackage, open data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turns a scenario's last `plan` run (and its `gaps` run, when there is
 * one) into the documents a planner hands to the People's Committee and
 * to the operators, in Vietnamese or English.  One synchronous call, used
 * by `ngam-batch report` and by the desktop app (on a worker thread, with
 * its own store connection).
 */
#pragma once

#include <gio/gio.h>

#include "ngam-context.h"
#include "ngam-store.h"

G_BEGIN_DECLS

#define NGAM_REPORT_ERROR (ngam_report_error_quark ())

typedef enum
{
  NGAM_REPORT_ERROR_NO_RUN,        /* the scenario has no plan yet */
  NGAM_REPORT_ERROR_NO_SCENARIO,   /* no scenario of that name */
  NGAM_REPORT_ERROR_EXISTS,        /* a file to write exists and overwriting was not asked */
  NGAM_REPORT_ERROR_BAD_AREA,      /* the ward named is not in the plan */
  NGAM_REPORT_ERROR_NO_LANGUAGE,   /* the language's translations cannot be found */
  NGAM_REPORT_ERROR_BAD_RESULTS,   /* the run's summary or features cannot be read */
  NGAM_REPORT_ERROR_WRITE,         /* a file could not be written */
} NgamReportError;

typedef enum
{
  NGAM_REPORT_PDF      = 1 << 0,
  NGAM_REPORT_HTML     = 1 << 1,
  NGAM_REPORT_CSV      = 1 << 2,
  NGAM_REPORT_GPKG     = 1 << 3,
  NGAM_REPORT_OPENDATA = 1 << 4,
} NgamReportFormats;

#define NGAM_REPORT_DEFAULT_FORMATS (NGAM_REPORT_PDF | NGAM_REPORT_HTML | NGAM_REPORT_CSV | NGAM_REPORT_GPKG)

/**
 * NgamReportOptions:
 * @scenario: (nullable): the scenario; NULL for `default`
 * @formats: what to write
 * @language: (nullable): "vi" or "en"; NULL for "vi"
 * @area: (nullable): a ward: the report covers that ward only
 * @out_dir: the folder the files go in (created when missing)
 * @force: replace files that exist
 * @opendata_costs: the open-data schedule also gives each operator's cost
 *
 * The file names are fixed (see ngam_report_file_names()), so a second
 * report into the same folder replaces the first only when asked.
 */
typedef struct
{
  const char        *scenario;
  NgamReportFormats  formats;
  const char        *language;
  const char        *area;
  const char        *out_dir;
  gboolean           force;
  gboolean           opendata_costs;
} NgamReportOptions;

GQuark      ngam_report_error_quark  (void);

gboolean    ngam_report_parse_formats (const char *list, NgamReportFormats *formats, GError **error);
GPtrArray  *ngam_report_file_names   (const NgamReportOptions *options);

gboolean    ngam_report_run          (NgamStore                *store,
                                      const NgamReportOptions  *options,
                                      GPtrArray               **written,
                                      NgamProgressFunc          progress,
                                      gpointer                  progress_data,
                                      GCancellable             *cancellable,
                                      GError                  **error);

G_END_DECLS
