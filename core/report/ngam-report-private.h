/* ngam-report-private.h — what the report's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The report is built in three steps: the data (ngam-report-data.c) reads
 * the scenario's runs back from the store; the document
 * (ngam-report-doc.c) turns them into headings, key figures, tables and
 * maps in one language; each writer lays that document out in its format
 * (PDF, HTML) or writes the data as files (CSV, GeoPackage, open data).
 */
#pragma once

#include <cairo.h>
#include <json-glib/json-glib.h>

#include "ngam-csv.h"
#include "ngam-report.h"
#include "ngam-results.h"

G_BEGIN_DECLS

/* ---- language ---------------------------------------------------------- */

typedef struct _NgamReportLang NgamReportLang;

NgamReportLang *ngam_report_lang_new       (const char *code, GError **error);
void            ngam_report_lang_free      (NgamReportLang *lang);
const char     *ngam_report_lang_code      (NgamReportLang *lang);
const char     *ngam_report_tr             (NgamReportLang *lang, const char *msgid) G_GNUC_FORMAT (2);
char           *ngam_report_format_number  (NgamReportLang *lang, double value, int decimals);
char           *ngam_report_format_money   (NgamReportLang *lang, double vnd);
char           *ngam_report_format_metres  (NgamReportLang *lang, double metres);
char           *ngam_report_format_percent (NgamReportLang *lang, double fraction);
char           *ngam_report_format_date    (NgamReportLang *lang, const char *iso);
char           *ngam_report_format_plain   (double value, int decimals);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamReportLang, ngam_report_lang_free)

/* ---- data ------------------------------------------------------------- */

/* One row of a breakdown (per phase, ward, operator, method, bill item). */
typedef struct
{
  char   *key;        /* phase number as text, ward, operator, method, item */
  int     phase;      /* phases: the number; else -1 */
  int     year;       /* phases: the year; else 0 */
  double  cost;       /* VND, NAN for none */
  double  length_m;   /* trench metres, NAN for none */
  double  quantity;   /* bill items: how many of @unit */
  char   *unit;       /* bill items: "m", "pcs"… */
  double  unit_cost;  /* bill items: VND per unit, NAN for none */
  double  share;      /* operators: fraction of the total */
  gboolean funded;    /* phases */
} NgamReportRow;

/* One line of the public works schedule: a street in one phase. */
typedef struct
{
  char   *street;
  char   *ward;
  int     phase;
  int     year;
  char   *method;
  double  length_m;
  double  cost;
  char   *operators;
  NgamShape *shape;   /* the street's trenches, a multilinestring */
} NgamReportStreet;

typedef struct
{
  NgamStore          *store;
  const NgamReportOptions *options;
  NgamReportLang     *lang;

  char               *scenario;
  NgamRunInfo        *plan;       /* the last plan run */
  NgamRunInfo        *gaps;       /* (nullable): the last gaps run */
  JsonNode           *plan_json;
  JsonNode           *gaps_json;  /* (nullable) */
  GKeyFile           *settings;   /* the scenario text the plan used */
  char               *crs;
  char               *crs_name;   /* "EPSG:9214 (VN-2000 / TM-3 107-00)" */
  int                 srid;
  gboolean            osm;        /* OpenStreetMap data is in the project */
  double              extent[4];  /* the plan's features (or the area's) */
  NgamShape          *area_shape; /* (nullable): the area's ward polygon */

  /* Totals of the plan (or of the area, then from its features). */
  double              cost;
  double              trench_m;
  double              cable_m;
  gint64              spans_retired;
  gint64              poles_removed;
  gint64              poles_freed;
  gint64              manholes;
  gint64              handholes;
  double              duct_m;
  double              design_cost;  /* the trench network's objective, NAN if absent */
  double              design_bound; /* its proven lower bound, NAN if absent */

  GPtrArray          *methods;    /* NgamReportRow: trench metres by method */
  GPtrArray          *bill;       /* NgamReportRow: bill of quantities */
  GPtrArray          *phases;     /* NgamReportRow */
  GPtrArray          *wards;      /* NgamReportRow */
  GPtrArray          *operators;  /* NgamReportRow */
  GPtrArray          *violations; /* NgamReportRow: key = rule, unit = message, quantity = fid */
  GPtrArray          *unfunded;   /* char *: what the budget leaves out */
  GPtrArray          *notes;      /* char *: the planner's notes on the plan */
  GPtrArray          *streets;    /* NgamReportStreet, the works schedule */
  gint64              unmatched_spans;
  gboolean            operators_whole_plan;   /* an area report gives the plan's split */
} NgamReportData;

NgamReportData *ngam_report_data_load  (NgamStore *store, const NgamReportOptions *options,
                                        NgamReportLang *lang, GCancellable *cancellable,
                                        GError **error);
void            ngam_report_data_free  (NgamReportData *data);
gboolean        ngam_report_data_in_area (NgamReportData *data, const NgamResultFeature *f);
int             ngam_report_data_phase_year (NgamReportData *data, int phase);
JsonObject     *ngam_report_data_attrs (const NgamResultFeature *f, JsonParser **parser);
double          ngam_report_attr_real  (JsonObject *attrs, const char *name, double fallback);
const char     *ngam_report_attr_text  (JsonObject *attrs, const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamReportData, ngam_report_data_free)

/* ---- the document ------------------------------------------------------ */

typedef enum
{
  NGAM_BLOCK_TITLE,      /* the cover */
  NGAM_BLOCK_HEADING,
  NGAM_BLOCK_PARAGRAPH,
  NGAM_BLOCK_WARNING,    /* a boxed alert (rule violations) */
  NGAM_BLOCK_FIGURES,    /* label / value pairs: table with 2 columns */
  NGAM_BLOCK_TABLE,
  NGAM_BLOCK_BARS,       /* a bar chart: table rows with a value column */
  NGAM_BLOCK_MAP,
  NGAM_BLOCK_TOC,        /* the table of contents */
} NgamBlockKind;

typedef struct
{
  guint       n_cols;
  char      **headers;     /* n_cols */
  gboolean   *numeric;     /* n_cols: right-aligned, sorted as numbers */
  double     *widths;      /* n_cols: relative widths */
  GPtrArray  *rows;        /* char **: n_cols strings each */
  GArray     *keys;        /* double per cell, n_cols per row: sort keys (NAN: text) */
  int         total_row;   /* index of the row of totals, or -1 */
  int         bar_col;     /* NGAM_BLOCK_BARS: the column charted */
} NgamReportTable;

/* Which results a map draws. */
typedef enum
{
  NGAM_REPORT_MAP_OVERVIEW,   /* trenches by phase, everything else too */
  NGAM_REPORT_MAP_METHOD,     /* trenches by method */
  NGAM_REPORT_MAP_PHASE,      /* one phase */
  NGAM_REPORT_MAP_WARD,       /* one ward */
  NGAM_REPORT_MAP_GAPS,       /* coverage gaps and hazard exposure */
} NgamReportMapKind;

typedef struct
{
  NgamReportMapKind kind;
  int               phase;    /* NGAM_REPORT_MAP_PHASE */
  char             *ward;     /* NGAM_REPORT_MAP_WARD */
  double            bbox[4];  /* world box to show */
} NgamReportMap;

typedef struct
{
  NgamBlockKind    kind;
  int              level;     /* headings: 1, 2 */
  char            *text;      /* heading, paragraph, title; a map's title */
  char            *subtitle;  /* title: the scenario line; map: the caption */
  NgamReportTable *table;
  NgamReportMap   *map;
  char            *anchor;    /* headings: id for links and the outline */
  gboolean         page_break; /* headings: start a new page */
} NgamReportBlock;

typedef struct
{
  char      *title;
  char      *date;         /* the run's finish time, as shown */
  GPtrArray *blocks;       /* NgamReportBlock */
} NgamReportDoc;

NgamReportDoc   *ngam_report_doc_build      (NgamReportData *data);
const char      *ngam_report_item_title     (NgamReportLang *lang, const char *item);
const char      *ngam_report_unit_title     (NgamReportLang *lang, const char *unit);
char            *ngam_report_phase_title    (NgamReportLang *lang, int phase, int year);
NgamReportTable *ngam_report_table_new      (guint n_cols, const char *const *headers,
                                             const gboolean *numeric, const double *widths);
void             ngam_report_table_add      (NgamReportTable *table, char **cells, const double *keys);
void             ngam_report_table_free     (NgamReportTable *table);
void           ngam_report_doc_free  (NgamReportDoc *doc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamReportDoc, ngam_report_doc_free)

/* ---- maps ------------------------------------------------------------- */

/* Draws @map into (0, 0)–(@width, @height) of @cr, in points or pixels:
 * the base layers, the results, and its legend, scale bar, north arrow,
 * CRS and attribution. */
gboolean ngam_report_draw_map (NgamReportData *data, const NgamReportMap *map, cairo_t *cr,
                               double width, double height, GCancellable *cancellable,
                               GError **error);

/* ---- writers ---------------------------------------------------------- */

gboolean ngam_report_write_pdf      (NgamReportData *data, NgamReportDoc *doc, const char *path,
                                     GCancellable *cancellable, GError **error);
char    *ngam_report_svg_compact    (const char *svg, gsize len, const char *prefix);
gboolean ngam_report_write_html     (NgamReportData *data, NgamReportDoc *doc, const char *path,
                                     GCancellable *cancellable, GError **error);
gboolean ngam_report_write_csv      (NgamReportData *data, const char *dir, const char *prefix,
                                     GError **error);
gboolean ngam_report_write_gpkg     (NgamReportData *data, const char *path,
                                     GCancellable *cancellable, GError **error);
gboolean ngam_report_write_opendata (NgamReportData *data, const char *dir, const char *prefix,
                                     GError **error);

G_END_DECLS
