/* ngam-import.h — importing operators' files into the project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ngam-store.h"

G_BEGIN_DECLS

#define NGAM_IO_ERROR (ngam_io_error_quark ())

typedef enum
{
  NGAM_IO_ERROR_OPEN,          /* GDAL cannot open the source */
  NGAM_IO_ERROR_LAYER,         /* no layer, or which one is ambiguous */
  NGAM_IO_ERROR_NO_CRS,        /* the source has no CRS and none was given */
  NGAM_IO_ERROR_CRS,           /* the CRS cannot be used */
  NGAM_IO_ERROR_COORDINATES,   /* coordinates impossible in the CRS */
  NGAM_IO_ERROR_GEOMETRY_TYPE, /* the layer's geometry does not fit the kind */
  NGAM_IO_ERROR_INVALID,       /* bad options */
  NGAM_IO_ERROR_CANCELLED,
  NGAM_IO_ERROR_EMPTY,         /* an empty source would retire every feature it replaces */
  NGAM_IO_ERROR_NO_OPERATOR,   /* the profile's operator_field is not in the source, and
                                * no operator was given for the import */
  NGAM_IO_ERROR_SEVERAL_LAYERS,/* several layers could be the kind: which one? */
  NGAM_IO_ERROR_SOURCE_NAME,   /* the source name is empty, or given for several sources */
} NgamIoError;

/**
 * NgamImportOption:
 *
 * Which of #NgamImportOptions would settle an error or a warning: core's
 * messages say what is missing in words any front end can show (a CRS for
 * the source, an operator for the import), never a command-line flag; a
 * front end adds its own way to set it (the CLI its flag, a dialog its
 * field).  ngam_io_error_option() gives it for an error; each warning of
 * a source's report carries one (#NgamImportSourceReport.warning_options).
 */
typedef enum
{
  NGAM_IMPORT_OPTION_NONE,
  NGAM_IMPORT_OPTION_CRS,          /* @crs */
  NGAM_IMPORT_OPTION_OPERATOR,     /* @operator_name */
  NGAM_IMPORT_OPTION_LAYER,        /* @layer */
  NGAM_IMPORT_OPTION_ENCODING,     /* @encoding */
  NGAM_IMPORT_OPTION_SOURCE_NAME,  /* @source_name */
  NGAM_IMPORT_OPTION_ALLOW_EMPTY,  /* @allow_empty (or @keep_missing) */
  NGAM_IMPORT_N_OPTIONS
} NgamImportOption;

/**
 * NgamImportOptions:
 * @sources: (array zero-terminated=1): files, folders or .zip archives
 * @kind: the layer to fill
 * @profile: (nullable): a profile file, or the name of a shipped one
 * @operator_name: (nullable): whose features these are; also the re-import
 *   scope (without it, features are matched within their source layer).
 *   When the profile has an operator_field, each feature's own operator
 *   wins and this is only the fallback for features without one; features
 *   are then matched within their source layer, never within an operator
 *   (see ngam-profile.c)
 * @layer: (nullable): the source layer to read, when a source has several
 * @crs: (nullable): the sources' CRS, when they have none or it is wrong
 * @encoding: (nullable): the text encoding, overriding detection
 * @dry_run: do everything, then roll back: only the report remains
 * @keep_missing: do not retire features the newer file lacks
 * @allow_empty: let sources that give no feature at all retire every
 *   feature they replace (refused otherwise, with the count)
 * @source_name: (nullable): the name to file the features under instead
 *   of the source's layer name (a shapefile's file name), for the one
 *   source given.  Features matched by source layer (a shared file read
 *   with a profile's operator_field, or a run without an operator) are
 *   matched within that name: a newer copy of a file under another file
 *   name, given the older one's name here, updates and retires the older
 *   one's features instead of adding its own beside them
 * @read_through_ogr: read shapefiles through OGR as every other source,
 *   not with Ngầm's own reader (ngam-shapefile.c); the result is the same,
 *   which is what this is for: tests compare the two
 */
typedef struct
{
  const char * const *sources;
  NgamLayerKind       kind;
  const char         *profile;
  const char         *operator_name;
  const char         *layer;
  const char         *crs;
  const char         *encoding;
  gboolean            dry_run;
  gboolean            keep_missing;
  gboolean            allow_empty;
  gboolean            read_through_ogr;
  const char         *source_name;
} NgamImportOptions;

/* How many feature ids an issue lists (its count is always complete). */
#define NGAM_IMPORT_MAX_LISTED 100

/**
 * NgamImportIssue:
 * @code: "repaired", "null_geometry", "duplicate", "snapped", …
 * @skipped: TRUE when the features were not imported for this reason
 * @count: how many features (or span ends, for snapping)
 * @ids: (element-type gint64): the first source feature ids
 * @example: (nullable): the first detailed message
 */
typedef struct
{
  char     *code;
  gboolean  skipped;
  gint64    count;
  GArray   *ids;
  char     *example;
} NgamImportIssue;

typedef struct
{
  char      *path;
  char      *layer;
  char      *driver;
  char      *encoding;
  double     encoding_confidence;
  char      *encoding_reason;
  char      *crs;
  char      *key;
  GPtrArray *mapping;    /* char*: "model ← source (why)" */
  GPtrArray *warnings;   /* char* */
  GArray    *warning_options; /* NgamImportOption per warning: what settles it */
  GPtrArray *issues;     /* NgamImportIssue* */
  GHashTable *operators; /* operator name → gint64*: features imported */
  gint64     read;
  gint64     added, updated, unchanged, restored;
  gint64     skipped, repaired, filtered;
} NgamImportSourceReport;

typedef struct
{
  char      *project;
  char      *kind;
  char      *operator_name;   /* the run's (or, with operator_field, the fallback) */
  char      *operator_field;  /* the profile's, when the run reads it */
  char      *profile;
  gboolean   dry_run;
  gint64     import_id;
  GPtrArray *sources;    /* NgamImportSourceReport* */
  gint64     added, updated, unchanged, restored, retired, skipped, repaired;
  GArray    *retired_fids;
  double     seconds;
} NgamImportReport;

GQuark    ngam_io_error_quark          (void);
NgamImportOption ngam_io_error_option  (const GError *error);

gboolean  ngam_import_run              (NgamStore                *store,
                                        const NgamImportOptions  *options,
                                        NgamImportReport        **report,
                                        NgamProgressFunc          progress,
                                        gpointer                  progress_data,
                                        GCancellable             *cancellable,
                                        GError                  **error);

void      ngam_import_report_free      (NgamImportReport *report);
JsonNode *ngam_import_report_to_json   (const NgamImportReport *report);
char     *ngam_import_report_to_text   (const NgamImportReport *report);
char     *ngam_import_report_to_text_with_hints (const NgamImportReport *report,
                                                 const char * const     *hints);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamImportReport, ngam_import_report_free)

G_END_DECLS
