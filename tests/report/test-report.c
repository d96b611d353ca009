/* test-report.c — plan reports: what the committee reads is what the plan says
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every report is written by `ngam-batch report` as a user runs it, then
 * read back with the tools a reader has: pdftotext and pdftoppm (poppler)
 * for the PDF, GDAL for the GeoPackage and the GeoJSON, plain parsing for
 * the CSV.  The hand-made plan's figures were worked out by hand (see
 * report-fixture.c); the demo's come from its JSON summary.
 *
 * NGAM_TEST_KEEP=1 keeps the reports (their folder is printed) to look at.
 */
#include "config.h"

#include <cairo.h>
#include <gdal.h>
#include <glib/gstdio.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <string.h>

#include "ngam-report-map.h"
#include "ngam-report-private.h"
#include "ngam-test-util.h"
#include "report-fixture.h"

static char *dir;
static char *demo;         /* the demo with a plan, no violation, with gaps */
static ReportFixture demo_fx;
static char *hand;
static ReportFixture hand_fx;

#define A3_W 1190.551
#define A3_H 841.890
#define MARGIN 56.0

static char *
report_dir (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

/* Runs ngam-batch report; returns its exit status. */
static int
report (char **out, char **err, const char *project, const char *outdir, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *a;
  va_list ap;
  int status;

  g_ptr_array_add (args, (char *) "report");
  g_ptr_array_add (args, (char *) project);
  g_ptr_array_add (args, (char *) "--out");
  g_ptr_array_add (args, (char *) outdir);
  va_start (ap, outdir);
  while ((a = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  status = ngam_test_run_batchv (out, err, (const char * const *) args->pdata);
  return status;
}

static void
report_ok (const char *project, const char *outdir, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *out = NULL, *err = NULL;
  const char *a;
  va_list ap;

  g_ptr_array_add (args, (char *) "report");
  g_ptr_array_add (args, (char *) project);
  g_ptr_array_add (args, (char *) "--out");
  g_ptr_array_add (args, (char *) outdir);
  va_start (ap, outdir);
  while ((a = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  if (ngam_test_run_batchv (&out, &err, (const char * const *) args->pdata) != 0)
    g_error ("ngam-batch report failed:\n%s%s", out, err);
}

static gboolean
have_poppler (void)
{
  g_autofree char *a = g_find_program_in_path ("pdftotext");
  g_autofree char *b = g_find_program_in_path ("pdftoppm");

  if (a == NULL || b == NULL)
    {
      /* tools/setup.sh installs poppler-utils: without it the PDF is not
       * checked at all, which must not pass quietly. */
      g_test_fail_printf ("poppler-utils (pdftotext, pdftoppm) is not installed: tools/setup.sh installs it");
      return FALSE;
    }
  return TRUE;
}

static char *
pdf_text (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  return out;
}

static void
assert_has (const char *text, const char *want, const char *what)
{
  if (strstr (text, want) == NULL)
    g_error ("%s: “%s” not found in:\n%.3000s", what, want, text);
}

static char *
file_text (const char *path)
{
  char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

/* Sum of the column @col of a CSV without quoted commas in numbers. */
static double
csv_sum (const char *path, const char *col, guint *rows)
{
  g_autofree char *text = file_text (path);
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);
  g_auto(GStrv) header = g_strsplit (lines[0], ",", -1);
  int index = -1;
  double sum = 0;

  for (guint i = 0; header[i] != NULL; i++)
    if (strcmp (header[i], col) == 0)
      index = i;
  g_assert_cmpint (index, >=, 0);
  *rows = 0;
  for (guint l = 1; lines[l] != NULL && *lines[l]; l++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[l], ",", -1);
      char *end;

      g_assert_cmpuint (g_strv_length (cells), >, (guint) index);
      sum += g_ascii_strtod (cells[index], &end);
      g_assert_true (*end == '\0');
      (*rows)++;
    }
  return sum;
}

/* ---- refusals ------------------------------------------------------------ */

static void
test_no_run (void)
{
  g_autofree char *project = g_build_filename (dir, "norun.ngam", NULL);
  g_autofree char *outdir = report_dir ("norun-out");
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (ngam_test_run_batch (&out, &err, "sample", "--out", project, "--size", "200", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (report (&out, &err, project, outdir, NULL), ==, 1);
  assert_has (err, "ngam-batch report:", "the refusal");
  assert_has (err, "no plan", "the refusal");
  assert_has (err, "ngam-batch plan", "what to do");
  /* Nothing written, not even the folder. */
  g_assert_false (g_file_test (outdir, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (report (&out, &err, demo, outdir, "--scenario", "nosuch", NULL), ==, 1);
  assert_has (err, "nosuch", "an unknown scenario");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (report (&out, &err, demo, outdir, "--lang", "fr", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (report (&out, &err, demo, outdir, "--format", "pdf,docx", NULL), ==, 2);
  assert_has (err, "docx", "an unknown format");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (report (&out, &err, hand, outdir, "--area", "Phường Không Có", NULL), ==, 1);
  assert_has (err, "Phường Không Có", "an unknown ward");
  g_assert_false (g_file_test (outdir, G_FILE_TEST_EXISTS));
}

static void
test_exists (void)
{
  g_autofree char *outdir = report_dir ("exists");
  g_autofree char *csv = g_build_filename (outdir, "ngam-default-en-phases.csv", NULL);
  g_autofree char *bill = g_build_filename (outdir, "ngam-default-en-bill.csv", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(GDir) d = NULL;
  guint n = 0;

  report_ok (hand, outdir, "--format", "csv", "--lang", "en", NULL);
  /* One file changed by hand, one removed: a second run refuses, and
   * leaves both as they are. */
  g_assert_true (g_file_set_contents (csv, "mine\n", -1, NULL));
  g_assert_cmpint (g_remove (bill), ==, 0);
  before = ngam_test_sha256_file (csv);
  g_assert_cmpint (report (&out, &err, hand, outdir, "--format", "csv", "--lang", "en", NULL), ==, 1);
  assert_has (err, "exists", "the refusal");
  assert_has (err, "--force", "the refusal");
  after = ngam_test_sha256_file (csv);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (g_file_test (bill, G_FILE_TEST_EXISTS));
  report_ok (hand, outdir, "--format", "csv", "--lang", "en", "--force", NULL);
  g_clear_pointer (&after, g_free);
  after = ngam_test_sha256_file (csv);
  g_assert_cmpstr (before, !=, after);
  g_assert_true (g_file_test (bill, G_FILE_TEST_EXISTS));
  /* Nothing else in the folder: no staging left behind. */
  d = g_dir_open (outdir, 0, NULL);
  while (g_dir_read_name (d) != NULL)
    n++;
  g_assert_cmpuint (n, ==, 4);
}

/* ---- the hand-made plan: every figure worked out by hand ------------------ */

static void
test_hand_pdf_vi (void)
{
  g_autofree char *outdir = report_dir ("hand-vi");
  g_autofree char *pdf = g_build_filename (outdir, "ngam-default-vi.pdf", NULL);
  g_autofree char *text = NULL;

  if (!have_poppler ())
    return;
  report_ok (hand, outdir, "--format", "pdf", "--lang", "vi", NULL);
  text = pdf_text (pdf);
  /* Headings with every Vietnamese glyph intact. */
  assert_has (text, "Đề án ngầm hóa cáp viễn thông treo", "the title");
  assert_has (text, "Tóm tắt", "a heading");
  assert_has (text, "Bảng khối lượng", "a heading");
  assert_has (text, "Chi phí theo giai đoạn", "a heading");
  assert_has (text, "Chi phí theo phường", "a heading");
  assert_has (text, "Chi phí theo doanh nghiệp", "a heading");
  assert_has (text, "Kiểm tra quy tắc", "a heading");
  assert_has (text, "Giả định", "a heading");
  assert_has (text, "Phường Vĩnh Ninh", "a ward");
  /* The totals, formatted for Vietnamese. */
  assert_has (text, "1.081.417.890 ₫", "the total cost");
  assert_has (text, "800 m", "the trench length");
  assert_has (text, "342.375.000 ₫", "phase 1");
  assert_has (text, "739.042.890 ₫", "phase 2");
  assert_has (text, "648.850.734 ₫", "VNPT's share");
  assert_has (text, "432.567.156 ₫", "Viettel's share");
  /* The bill adds up to the total: 549.5 m of roadway for 824 250 000 ₫. */
  assert_has (text, "824.250.000 ₫", "the bill's roadway line");
  assert_has (text, "Trang 2 / ", "page numbers");
  g_assert_null (strstr (text, "VND"));
}

static void
test_hand_pdf_en (void)
{
  g_autofree char *outdir = report_dir ("hand-en");
  g_autofree char *pdf = g_build_filename (outdir, "ngam-default-en.pdf", NULL);
  g_autofree char *text = NULL;

  if (!have_poppler ())
    return;
  report_ok (hand, outdir, "--format", "pdf", "--lang", "en", NULL);
  text = pdf_text (pdf);
  assert_has (text, "Plan for undergrounding the aerial telecom cables", "the title");
  assert_has (text, "Bill of quantities", "a heading");
  assert_has (text, "1,081,417,890 VND", "the total cost");
  assert_has (text, "648,850,734 VND", "VNPT's share");
  assert_has (text, "Every rule check passes", "the rule checks");
  assert_has (text, "Page 2 of ", "page numbers");
}

static void
test_hand_csv (void)
{
  g_autofree char *outdir = report_dir ("hand-csv");
  g_autofree char *bill = g_build_filename (outdir, "ngam-default-vi-bill.csv", NULL);
  g_autofree char *ops = g_build_filename (outdir, "ngam-default-vi-operators.csv", NULL);
  g_autofree char *phases = g_build_filename (outdir, "ngam-default-vi-phases.csv", NULL);
  g_autofree char *wards = g_build_filename (outdir, "ngam-default-vi-wards.csv", NULL);
  g_autofree char *text = NULL;
  guint rows;

  report_ok (hand, outdir, "--format", "csv", NULL);
  g_assert_cmpfloat (csv_sum (bill, "cost_vnd", &rows), ==, hand_fx.cost);
  g_assert_cmpuint (rows, ==, 5);   /* roadway, sidewalk, micro-trench, manhole, handhole */
  g_assert_cmpfloat (csv_sum (bill, "quantity", &rows), ==, 549.5 + 200 + 50.5 + 1 + 1);
  g_assert_cmpfloat (csv_sum (ops, "cost_vnd", &rows), ==, hand_fx.cost);
  g_assert_cmpuint (rows, ==, 2);
  g_assert_cmpfloat (csv_sum (phases, "cost_vnd", &rows), ==, hand_fx.cost);
  g_assert_cmpfloat (csv_sum (phases, "trench_m", &rows), ==, hand_fx.trench_m);
  g_assert_cmpfloat (csv_sum (wards, "cost_vnd", &rows), ==, hand_fx.cost);
  /* Locale-independent numbers, UTF-8 names. */
  text = file_text (bill);
  assert_has (text, "item,name,unit,quantity,unit_cost_vnd,cost_vnd\r\n", "the header");
  assert_has (text, "open_cut_roadway,Đào hở dưới lòng đường,m,549.50,1500000,824250000\r\n", "the roadway line");
  g_clear_pointer (&text, g_free);
  text = file_text (wards);
  assert_has (text, "Phường Vĩnh Ninh,499.75,739042890\r\n", "a ward");
}

static void
test_hand_area (void)
{
  g_autofree char *outdir = report_dir ("hand-area");
  g_autofree char *pdf = g_build_filename (outdir, "ngam-default-en-phuong_vinh_ninh.pdf", NULL);
  g_autofree char *bill = g_build_filename (outdir, "ngam-default-en-phuong_vinh_ninh-bill.csv", NULL);
  g_autofree char *text = NULL;
  guint rows;

  report_ok (hand, outdir, "--format", "pdf,csv", "--lang", "en", "--area", "Phường Vĩnh Ninh", NULL);
  /* The ward's trenches 3 and 4 and its handhole: 60 600 000 + 673 875 000
   * + 4 567 890. */
  g_assert_cmpfloat (csv_sum (bill, "cost_vnd", &rows), ==, 739042890);
  g_assert_cmpuint (rows, ==, 3);
  if (!have_poppler ())
    return;
  text = pdf_text (pdf);
  assert_has (text, "739,042,890 VND", "the ward's total");
  assert_has (text, "500 m", "the ward's trench length (499.75 m)");
  assert_has (text, "ward Phường Vĩnh Ninh", "the cover");
  /* The whole plan's total only where the report says it gives the whole
   * plan's split: under the operators. */
  {
    const char *whole = strstr (text, "1,081,417,890 VND");
    const char *split = strstr (text, "The split among operators is the whole plan's");

    g_assert_nonnull (split);
    g_assert_true (whole == NULL || whole > split);
  }
}

/* ---- the demo: maps, GeoPackage, open data, bytes ------------------------ */

typedef struct
{
  cairo_surface_t *png;
  double           scale;   /* pixels per point */
} Page;

/* Darkest-than-paper pixels in the box (points) of @page. */
static double
ink (Page *page, double x, double y, double w, double h)
{
  cairo_surface_t *s = page->png;
  const guint8 *data = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);
  int x0 = (int) (x * page->scale), y0 = (int) (y * page->scale);
  int x1 = MIN ((int) ((x + w) * page->scale), cairo_image_surface_get_width (s));
  int y1 = MIN ((int) ((y + h) * page->scale), cairo_image_surface_get_height (s));
  guint n = 0, total = 0;

  for (int py = y0; py < y1; py++)
    for (int px = x0; px < x1; px++)
      {
        guint32 v = *(const guint32 *) (data + py * stride + 4 * px);
        int r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;

        total++;
        if (r + g + b < 3 * 200)
          n++;
      }
  return total > 0 ? (double) n / total : 0;
}

static void
test_demo_pdf_maps (void)
{
  g_autofree char *outdir = report_dir ("demo-vi");
  g_autofree char *pdf = g_build_filename (outdir, "ngam-default-vi.pdf", NULL);
  g_autofree char *prefix = g_build_filename (outdir, "page", NULL);
  g_autofree char *text = NULL;
  g_autofree char *png = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "pdftoppm", "-png", "-r", "36", "-f", "3", "-l", "6", pdf, prefix, NULL };
  NgamReportMapLayout lay;
  int status = 0, maps = 0;

  if (!have_poppler ())
    return;
  report_ok (demo, outdir, "--format", "pdf", NULL);
  text = pdf_text (pdf);
  /* The totals the plan's JSON gives. */
  {
    g_autofree char *cost = NULL;
    GString *s = g_string_new (NULL);
    g_autofree char *digits = g_strdup_printf ("%.0f", demo_fx.cost);
    gsize n = strlen (digits);

    for (gsize i = 0; i < n; i++)
      {
        if (i > 0 && (n - i) % 3 == 0)
          g_string_append_c (s, '.');
        g_string_append_c (s, digits[i]);
      }
    g_string_append (s, " ₫");
    cost = g_string_free (s, FALSE);
    assert_has (text, cost, "the total cost");
  }
  assert_has (text, "Bản đồ", "the maps heading");
  assert_has (text, "Chú giải", "the legend");
  /* the demo has festival streets and existing ducts: the legend says so */
  assert_has (text, "Tuyến phố lễ hội (ưu tiên)", "the festival streets in the legend");
  assert_has (text, "Cống cáp hiện có", "the existing ducts in the legend");
  assert_has (text, "EPSG:9214", "the CRS");
  assert_has (text, "Tỷ lệ 1:", "the scale");
  assert_has (text, "Vùng phủ sóng và rủi ro thiên tai", "coverage and hazards (gaps run)");

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, &err,
                               &status, NULL));
  g_assert_cmpint (status, ==, 0);
  /* The map box on an A3 page: as ngam-report-pdf.c places it. */
  ngam_report_map_layout (A3_W - 2 * MARGIN, A3_H - MARGIN - 28 - (MARGIN + 24 + 19), &lay);
  for (int p = 3; p <= 6; p++)
    {
      Page page;
      double map_ink, legend_ink, bar_ink, blank_ink;
      double top = MARGIN + 24 + 19;   /* title and caption */

      g_free (png);
      png = g_strdup_printf ("%s-%02d.png", prefix, p);
      if (!g_file_test (png, G_FILE_TEST_EXISTS))
        {
          g_free (png);
          png = g_strdup_printf ("%s-%d.png", prefix, p);
        }
      page.png = cairo_image_surface_create_from_png (png);
      g_assert_cmpint (cairo_surface_status (page.png), ==, CAIRO_STATUS_SUCCESS);
      if (cairo_image_surface_get_width (page.png) < cairo_image_surface_get_height (page.png))
        {
          cairo_surface_destroy (page.png);
          continue;   /* an A4 text page */
        }
      page.scale = cairo_image_surface_get_width (page.png) / A3_W;
      map_ink = ink (&page, MARGIN + lay.map[0], top + lay.map[1], lay.map[2], lay.map[3]);
      legend_ink = ink (&page, MARGIN + lay.panel_x, top + lay.legend_y, lay.panel_width, 200);
      bar_ink = ink (&page, MARGIN + lay.panel_x, top + lay.scale_bar_y + 14, 60, 10);
      blank_ink = ink (&page, MARGIN + lay.panel_x, top + lay.legend_y + 420, lay.panel_width, 60);
      if (map_ink < 0.05 || legend_ink < 0.02 || bar_ink < 0.15 || blank_ink > 0.02)
        g_error ("map page %d: map %.3f, legend %.3f, scale bar %.3f, empty panel %.3f", p, map_ink, legend_ink,
                 bar_ink, blank_ink);
      cairo_surface_destroy (page.png);
      maps++;
    }
  g_assert_cmpint (maps, >=, 2);
}

static void
test_hand_violation (void)
{
  g_autofree char *outdir = report_dir ("violation");
  g_autofree char *pdf = g_build_filename (outdir, "ngam-violating-en.pdf", NULL);
  g_autofree char *text = NULL;

  if (!have_poppler ())
    return;
  report_ok (hand, outdir, "--format", "pdf", "--lang", "en", "--scenario", "violating", NULL);
  text = pdf_text (pdf);
  /* On the cover, before the contents. */
  {
    const char *warn = strstr (text, "This plan breaks 1 rule checks");
    const char *contents = strstr (text, "Contents");

    g_assert_nonnull (warn);
    g_assert_nonnull (contents);
    g_assert_true (warn < contents);
  }
  assert_has (text, "1 violations", "the cover's key figures");
  assert_has (text, "duct fill 61 % above the 53 % limit", "the violation");
}

static void
test_demo_gpkg (void)
{
  g_autofree char *outdir = report_dir ("demo-gpkg");
  g_autofree char *gpkg = g_build_filename (outdir, "ngam-default-vi.gpkg", NULL);
  static const char *const names[] = { "trenches", "duct_banks", "manholes", "spans_retired", "poles_to_remove",
                                       "poles_freed", "phases", "gaps", "hazard_exposure", "layer_styles" };
  /* The fixture's gaps run has hazards and no gap areas; one style per layer. */
  const gint64 want[] = { demo_fx.trenches, demo_fx.trenches, demo_fx.manholes + demo_fx.handholes,
                          demo_fx.spans_retired, demo_fx.poles_removed, demo_fx.poles_freed, 3, 0, -1, 9 };
  GDALDatasetH ds;

  report_ok (demo, outdir, "--format", "gpkg", NULL);
  ds = GDALOpenEx (gpkg, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  g_assert_nonnull (ds);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      OGRLayerH l = GDALDatasetGetLayerByName (ds, names[i]);
      OGRSpatialReferenceH srs;

      if (l == NULL)
        g_error ("layer %s missing from %s", names[i], gpkg);
      if (want[i] >= 0)
        g_assert_cmpint (OGR_L_GetFeatureCount (l, TRUE), ==, want[i]);
      else
        g_assert_cmpint (OGR_L_GetFeatureCount (l, TRUE), >, 0);
      if (strcmp (names[i], "layer_styles") == 0)
        continue;
      srs = OGR_L_GetSpatialRef (l);
      g_assert_nonnull (srs);
      g_assert_cmpstr (OSRGetAuthorityCode (srs, NULL), ==, "9214");
    }
  /* The trenches carry readable fields, and QGIS's default style. */
  {
    OGRLayerH l = GDALDatasetGetLayerByName (ds, "trenches");
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn (l);
    OGRLayerH styles;
    OGRFeatureH f;
    double len = 0;

    g_assert_cmpint (OGR_FD_GetFieldIndex (defn, "street"), >=, 0);
    g_assert_cmpint (OGR_FD_GetFieldIndex (defn, "cost_vnd"), >=, 0);
    OGR_L_ResetReading (l);
    while ((f = OGR_L_GetNextFeature (l)) != NULL)
      {
        len += OGR_F_GetFieldAsDouble (f, OGR_FD_GetFieldIndex (defn, "length_m"));
        OGR_F_Destroy (f);
      }
    g_assert_cmpfloat (fabs (len - demo_fx.trench_m), <, 0.01);
    styles = GDALDatasetExecuteSQL (ds, "SELECT styleQML FROM layer_styles WHERE f_table_name = 'trenches' "
                                        "AND useAsDefault", NULL, NULL);
    g_assert_nonnull (styles);
    f = OGR_L_GetNextFeature (styles);
    g_assert_nonnull (f);
    g_assert_nonnull (strstr (OGR_F_GetFieldAsString (f, 0), "categorizedSymbol"));
    g_assert_nonnull (strstr (OGR_F_GetFieldAsString (f, 0), "198,40,40,255"));   /* phase 1's red */
    OGR_F_Destroy (f);
    GDALDatasetReleaseResultSet (ds, styles);
  }
  GDALClose (ds);
}

static void
test_demo_opendata (void)
{
  g_autofree char *outdir = report_dir ("demo-open");
  g_autofree char *geojson = g_build_filename (outdir, "ngam-default-vi-works.geojson", NULL);
  g_autofree char *csv = g_build_filename (outdir, "ngam-default-vi-works.csv", NULL);
  g_autofree char *meta = g_build_filename (outdir, "ngam-default-vi-works-metadata.json", NULL);
  g_autofree char *text = NULL;
  GDALDatasetH ds;
  OGRLayerH l;
  OGREnvelope env;
  guint rows;
  double len;

  report_ok (demo, outdir, "--format", "opendata", NULL);
  ds = GDALOpenEx (geojson, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  g_assert_nonnull (ds);
  l = GDALDatasetGetLayer (ds, 0);
  g_assert_cmpint (OGR_L_GetFeatureCount (l, TRUE), >, 10);
  /* WGS 84 longitude, latitude: Huế is near 107.6 E, 16.46 N. */
  g_assert_cmpint (OGR_L_GetExtent (l, &env, TRUE), ==, OGRERR_NONE);
  g_assert_cmpfloat (env.MinX, >, 107.0);
  g_assert_cmpfloat (env.MaxX, <, 108.0);
  g_assert_cmpfloat (env.MinY, >, 16.0);
  g_assert_cmpfloat (env.MaxY, <, 17.0);
  /* Public only: no costs. */
  g_assert_cmpint (OGR_FD_GetFieldIndex (OGR_L_GetLayerDefn (l), "cost_vnd"), <, 0);
  g_assert_cmpint (OGR_FD_GetFieldIndex (OGR_L_GetLayerDefn (l), "year"), >=, 0);
  len = csv_sum (csv, "length_m", &rows);
  g_assert_cmpint (rows, ==, OGR_L_GetFeatureCount (l, TRUE));
  g_assert_cmpfloat (fabs (len - demo_fx.trench_m), <, 0.05 * rows);
  GDALClose (ds);
  text = file_text (csv);
  g_assert_null (strstr (text, "cost"));
  g_clear_pointer (&text, g_free);
  text = file_text (meta);
  assert_has (text, "\"license\"", "the metadata");
  assert_has (text, "EPSG:4326", "the metadata");
}

static void
test_demo_html (void)
{
  g_autofree char *outdir = report_dir ("demo-html");
  g_autofree char *html = g_build_filename (outdir, "ngam-default-en.html", NULL);
  g_autofree char *text = NULL;
  guint maps = 0;

  report_ok (demo, outdir, "--format", "html", "--lang", "en", NULL);
  text = file_text (html);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; (p = strstr (p, "<svg role=\"img\" aria-label=\"")) != NULL; p++)
    maps++;
  g_assert_cmpuint (maps, >=, 3);
  /* The maps sit inline: every id of every map's glyphs, clips and
   * patterns is unique in the page, and every reference finds its id. */
  {
    g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
    guint refs = 0;

    for (const char *p = text; (p = strstr (p, " id=\"")) != NULL;)
      {
        const char *e;
        char *id;

        p += 5;
        e = strchr (p, '"');
        id = g_strndup (p, e - p);
        g_ptr_array_add (keep, id);
        if (!g_hash_table_add (ids, id))
          g_error ("id “%s” twice in %s", id, html);
      }
    for (const char *p = text; (p = strstr (p, "href=\"#")) != NULL;)
      {
        g_autofree char *id = NULL;

        p += 7;
        id = g_strndup (p, strchr (p, '"') - p);
        if (!g_hash_table_contains (ids, id))
          g_error ("a reference to “%s”, which no element has", id);
        refs++;
      }
    g_assert_cmpuint (refs, >, 0);
  }
  g_assert_null (strstr (text, "data:image/svg"));
  /* Self-contained: nothing fetched from anywhere. */
  g_assert_null (strstr (text, "src=\"http"));
  g_assert_null (strstr (text, "<link"));
  g_assert_null (strstr (text, "@import"));
  assert_has (text, "class=\"sortable\"", "sortable tables");
  assert_has (text, "class=\"bars\"", "bar charts");
  assert_has (text, "Cost per operator", "a heading");
}

static void
test_demo_reproducible (void)
{
  g_autofree char *a = report_dir ("same-a");
  g_autofree char *b = report_dir ("same-b");
  static const char *const files[] = { "ngam-default-vi.pdf", "ngam-default-vi-bill.csv",
                                       "ngam-default-vi-operators.csv", "ngam-default-vi-wards.csv",
                                       "ngam-default-vi-phases.csv" };

  report_ok (demo, a, "--format", "pdf,csv", NULL);
  report_ok (demo, b, "--format", "pdf,csv", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *pa = g_build_filename (a, files[i], NULL);
      g_autofree char *pb = g_build_filename (b, files[i], NULL);
      g_autofree char *ha = ngam_test_sha256_file (pa);
      g_autofree char *hb = ngam_test_sha256_file (pb);

      if (g_strcmp0 (ha, hb) != 0)
        g_error ("%s differs between two runs of one plan", files[i]);
    }
}

static guint
count_of (const char *text, const char *needle)
{
  guint n = 0;

  for (const char *p = text; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

/* A project whose wards are labelled by name in its style (as the layers
 * panel keeps it) gets the names on its report's maps too: Phú Hội, the
 * ward the overview and most maps lie in, is named on them, and only in
 * the tables without the style. */
static void
test_hand_ward_labels (void)
{
  g_autofree char *copy = g_build_filename (dir, "hand-labels.ngam", NULL);
  g_autofree char *plain = report_dir ("hand-plain");
  g_autofree char *labelled = report_dir ("hand-labelled");
  g_autofree char *pdf_plain = g_build_filename (plain, "ngam-default-vi.pdf", NULL);
  g_autofree char *pdf_labelled = g_build_filename (labelled, "ngam-default-vi.pdf", NULL);
  g_autofree char *bytes = NULL, *a = NULL, *b = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  if (!have_poppler ())
    return;
  g_assert_true (g_file_get_contents (hand, &bytes, &len, &error));
  g_assert_true (g_file_set_contents (copy, bytes, len, &error));
  g_assert_no_error (error);
  {
    g_autoptr(NgamStore) store = ngam_store_open (copy, NGAM_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    g_assert_true (ngam_store_set_style (store, "admin", "[style]\nlabels=name\n", &error));
    g_assert_no_error (error);
  }
  report_ok (hand, plain, "--format", "pdf", "--lang", "vi", NULL);
  report_ok (copy, labelled, "--format", "pdf", "--lang", "vi", NULL);
  a = pdf_text (pdf_plain);
  b = pdf_text (pdf_labelled);
  g_test_message ("“Phường Phú Hội” %u times without labels, %u with",
                  count_of (a, "Phường Phú Hội"), count_of (b, "Phường Phú Hội"));
  g_assert_cmpuint (count_of (b, "Phường Phú Hội"), >=, count_of (a, "Phường Phú Hội") + 3);
}

/* The HTML maps' SVG pass on what cairo 1.16 writes when a group is painted
 * through a mask (the festival halo): the group's strokes in <defs> are
 * rounded to tenths and joined like the drawing's; a clip path whose d
 * comes first is rounded too (its attributes were read from before the
 * tag, into the rest of the document); glyphs keep hundredths. */
static void
test_svg_compact (void)
{
  const char *in =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100pt\" height=\"50pt\">\n<defs>\n"
    "<symbol overflow=\"visible\" id=\"glyph0-1\">\n"
    "<path style=\"stroke:none;\" d=\"M 1.234567 -5.123456 C 1.5 -5 2.25 -4.75 3.333333 -4.5 Z\"/>\n</symbol>\n"
    "<clipPath id=\"clip1\">\n<path d=\"M 0 0 L 80.123456 0 L 80.123456 40.654321 L 0 40.654321 Z\"/>\n</clipPath>\n"
    "<g id=\"surface5\" clip-path=\"url(#clip1)\">\n"
    "<path style=\"fill:none;stroke-width:11.5;stroke:rgb(90%,20%,55%);\" d=\"M 1.123456 2.654321 L 30.987654 2.5 \" "
    "transform=\"matrix(1,0,0,1,-2,-3)\"/>\n"
    "<path style=\"fill:none;stroke-width:11.5;stroke:rgb(90%,20%,55%);\" d=\"M 5.55555 6.44444 L 7.77777 8.88888 \" "
    "transform=\"matrix(1,0,0,1,-2,-3)\"/>\n</g>\n</defs>\n"
    "<g id=\"surface1\">\n<use xlink:href=\"#surface5\" mask=\"url(#mask1)\"/>\n</g>\n</svg>\n";
  g_autofree char *out = ngam_report_svg_compact (in, strlen (in), "m1-");

  g_test_message ("%s", out);
  g_assert_true (g_utf8_validate (out, -1, NULL));
  g_assert_null (strstr (out, "<?xml"));
  g_assert_nonnull (strstr (out, "d=\"M 1.23 -5.12 C 1.5 -5 2.25 -4.75 3.33 -4.5 Z\""));
  g_assert_nonnull (strstr (out, "<path d=\"M 0 0 L 80.1 0 80.1 40.7 0 40.7 Z\"/>"));
  g_assert_nonnull (strstr (out, "d=\"M 1.1 2.7 L 31 2.5 M 5.6 6.4 L 7.8 8.9\""));
  g_assert_nonnull (strstr (out, "id=\"m1-"));
  g_assert_null (strstr (out, "456"));
  g_assert_null (strstr (out, "555"));
  g_assert_cmpuint (strlen (out), <, strlen (in));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();
  dir = ngam_test_tmpdir ();
  demo = report_fixture_demo (dir, "demo.ngam", FALSE, TRUE, &demo_fx);
  hand = report_fixture_hand (dir, &hand_fx);
  if (g_getenv ("NGAM_TEST_KEEP") != NULL)
    g_printerr ("reports kept in %s\n", dir);

  g_test_add_func ("/report/svg/compact", test_svg_compact);
  g_test_add_func ("/report/refuse/no-run", test_no_run);
  g_test_add_func ("/report/refuse/exists", test_exists);
  g_test_add_func ("/report/hand/pdf-vi", test_hand_pdf_vi);
  g_test_add_func ("/report/hand/pdf-en", test_hand_pdf_en);
  g_test_add_func ("/report/hand/csv", test_hand_csv);
  g_test_add_func ("/report/hand/area", test_hand_area);
  g_test_add_func ("/report/hand/ward-labels", test_hand_ward_labels);
  g_test_add_func ("/report/demo/pdf-maps", test_demo_pdf_maps);
  g_test_add_func ("/report/hand/violation", test_hand_violation);
  g_test_add_func ("/report/demo/gpkg", test_demo_gpkg);
  g_test_add_func ("/report/demo/opendata", test_demo_opendata);
  g_test_add_func ("/report/demo/html", test_demo_html);
  g_test_add_func ("/report/demo/reproducible", test_demo_reproducible);
  status = g_test_run ();
  if (g_getenv ("NGAM_TEST_KEEP") == NULL)
    ngam_test_rmdir (dir);
  g_free (demo);
  g_free (hand);
  g_free (dir);
  return status;
}
