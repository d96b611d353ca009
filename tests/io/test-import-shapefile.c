/* test-import-shapefile.c — Ngầm's own shapefile reader against OGR's
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The import reads shapefiles of points and lines without OGR
 * (core/io/ngam-shapefile.c) and must give exactly what OGR gives.  Each
 * file here is imported twice into a new project of the same name, once
 * through OGR (NgamImportOptions.read_through_ogr) and once through the
 * reader, and the two are compared: the outcome (or the error's message),
 * the whole report, and every column of every row.  The files: every
 * shapefile of the shared corpus (also inside its .zip files) as poles,
 * spans and streets, and one written here and then damaged by hand in the
 * ways a .dbf and a .shp are damaged in the wild: a deleted record,
 * numbers of asterisks and of blanks, text with spaces around it and a NUL
 * in it, a null shape, a line whose first part does not start at its first
 * point, a coordinate that is not a number, a polygon among lines, the
 * last record cut off.
 */
#include "config.h"

#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "import-util.h"
#include "ngam-import.h"
#include "ngam-shapefile.h"
#include "ngam-test-util.h"

/* Every row of @table, every column, as text (blobs in hex). */
static char *
dump_table (const char *project, const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY fid", table);
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;

  g_assert_cmpint (sqlite3_open_v2 (project, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &st, NULL), ==, SQLITE_OK);
  while (sqlite3_step (st) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (st); c++)
        {
          if (sqlite3_column_type (st, c) == SQLITE_BLOB)
            {
              const guint8 *b = sqlite3_column_blob (st, c);

              for (int i = 0; i < sqlite3_column_bytes (st, c); i++)
                g_string_append_printf (out, "%02x", b[i]);
            }
          else if (sqlite3_column_type (st, c) == SQLITE_NULL)
            g_string_append (out, "NULL");
          else
            g_string_append (out, (const char *) sqlite3_column_text (st, c));
          g_string_append_c (out, '|');
        }
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (st);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

/* A new project at @project: made once, then copied (making one is most
 * of the time an import of a small file takes). */
static void
new_project (const char *project)
{
  static GBytes *template = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (project, "-wal", NULL);
  g_autofree char *shm = g_strconcat (project, "-shm", NULL);

  if (template == NULL)
    {
      g_autofree char *dir = ngam_test_tmpdir ();
      g_autofree char *path = g_build_filename (dir, "template.ngam", NULL);
      g_autoptr(NgamStore) store = ngam_store_create (path, "EPSG:9214", &error);
      char *data = NULL;
      gsize len = 0;

      g_assert_no_error (error);
      /* closed, the file holds everything (no -wal left) */
      g_clear_pointer (&store, ngam_store_close);
      g_file_get_contents (path, &data, &len, &error);
      g_assert_no_error (error);
      template = g_bytes_new_take (data, len);
      ngam_test_rmdir (dir);
    }
  g_unlink (wal);
  g_unlink (shm);
  g_file_set_contents (project, g_bytes_get_data (template, NULL), g_bytes_get_size (template), &error);
  g_assert_no_error (error);
}

/* Imports @source as @kind into a new @project (through OGR or not):
 * "error: …", or the report and the layer's rows. */
static char *
import_once (const char *project, const char *source, NgamLayerKind kind, gboolean through_ogr)
{
  const char *sources[] = { source, NULL };
  NgamImportOptions opt = { sources, kind, NULL, "test", NULL, NULL, NULL, FALSE, FALSE, through_ogr };
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamImportReport) report = NULL;
  g_autoptr(NgamStore) store = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *report_text = NULL, *rows = NULL;
  gboolean ok;

  new_project (project);
  store = ngam_store_open (project, NGAM_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  ok = ngam_import_run (store, &opt, &report, NULL, NULL, NULL, &error);
  if (!ok && g_error_matches (error, NGAM_IO_ERROR, NGAM_IO_ERROR_NO_CRS))
    {
      /* no .prj: give the one the corpus files mostly are in */
      opt.crs = "EPSG:4326";
      g_clear_error (&error);
      g_clear_pointer (&report, ngam_import_report_free);
      ok = ngam_import_run (store, &opt, &report, NULL, NULL, NULL, &error);
    }
  g_clear_pointer (&store, ngam_store_close);
  if (!ok)
    return g_strdup_printf ("error: %s", error->message);
  report->seconds = 0;
  json = ngam_import_report_to_json (report);
  report_text = json_to_string (json, TRUE);
  rows = dump_table (project, ngam_layer_info (kind)->name);
  return g_strdup_printf ("%s\n%s", report_text, rows);
}

/* TRUE when the reader takes @source itself, or a shapefile in it (a
 * .zip); else the import leaves it all to OGR, and comparing the two ways
 * would prove nothing about the reader. */
static gboolean
reader_takes (const char *source)
{
  g_autofree char *why = NULL;
  g_autofree char *lower = g_ascii_strdown (source, -1);
  gboolean takes = FALSE;

  if (g_str_has_suffix (lower, ".zip"))
    {
      g_autofree char *root = g_strconcat ("/vsizip/", source, NULL);
      char **names = VSIReadDirRecursive (root);

      for (int i = 0; names && names[i] && !takes; i++)
        {
          g_autofree char *member = g_ascii_strdown (names[i], -1);
          g_autofree char *path = g_strconcat (root, "/", names[i], NULL);

          if (g_str_has_suffix (member, ".shp"))
            takes = reader_takes (path);
        }
      CSLDestroy (names);
      return takes;
    }
  {
    g_autoptr(NgamShpFile) f = ngam_shp_open (source, &why);

    /* without its .shx the import reads a copy with the .shx rebuilt */
    return f != NULL || g_strcmp0 (why, "no .shx") == 0;
  }
}

static void
assert_same_both_ways (const char *dir, const char *source, NgamLayerKind kind)
{
  g_autofree char *project = g_build_filename (dir, "p.ngam", NULL);
  g_autofree char *ogr = import_once (project, source, kind, TRUE);
  g_autofree char *ours = import_once (project, source, kind, FALSE);

  if (strcmp (ogr, ours) != 0)
    {
      g_autofree char *a = g_build_filename (dir, "through-ogr.txt", NULL);
      g_autofree char *b = g_build_filename (dir, "ngam-reader.txt", NULL);

      g_file_set_contents (a, ogr, -1, NULL);
      g_file_set_contents (b, ours, -1, NULL);
      g_error ("%s as %s: the shapefile reader and OGR disagree (diff %s %s)", source,
               ngam_layer_info (kind)->name, a, b);
    }
}

static void
test_corpus (void)
{
  g_autofree char *root = ngam_test_shared_path ("shapefile-corpus");
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  static const NgamLayerKind kinds[] = { NGAM_LAYER_POLES, NGAM_LAYER_SPANS, NGAM_LAYER_STREETS };
  guint taken = 0;

  test_collect_sources (root, files);
  g_assert_cmpuint (files->len, >, 80);
  for (guint i = 0; i < files->len; i++)
    {
      const char *file = files->pdata[i];

      if (!reader_takes (file))
        continue;
      taken++;
      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        assert_same_both_ways (dir, file, kinds[k]);
    }
  g_test_message ("%u of the corpus's %u files are read by the reader (some once their .shx is rebuilt)", taken, files->len);
  /* points, lines and multipoints with text and number fields: most */
  g_assert_cmpuint (taken, >=, 20);
  ngam_test_rmdir (dir);
}

/* ---- a damaged file ------------------------------------------------------- */

static guint8 *
read_file (const char *path, gsize *len)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_file_get_contents (path, &data, len, &error);
  g_assert_no_error (error);
  return (guint8 *) data;
}

static void
write_file (const char *path, const guint8 *data, gsize len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, (const char *) data, len, &error);
  g_assert_no_error (error);
}

static guint32
be32_at (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

/* Lines in VN-2000 / Huế (EPSG:9214) with a text field, a short and a
 * long integer and a real; feature i is at x0 + 100 i. */
static void
write_lines (const char *path, guint n)
{
  GDALDriverH drv = GDALGetDriverByName ("ESRI Shapefile");
  GDALDatasetH ds = GDALCreate (drv, path, 0, 0, 0, GDT_Unknown, NULL);
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
  OGRLayerH layer;
  struct { const char *name; OGRFieldType type; int width, precision; } fields[] = {
    { "ten_duong", OFTString, 24, 0 }, { "so_soi", OFTInteger, 6, 0 },
    { "ma_tuyen", OFTInteger64, 15, 0 }, { "dai_m", OFTReal, 12, 3 },
  };

  g_assert_nonnull (ds);
  OSRImportFromEPSG (srs, 9214);
  layer = GDALDatasetCreateLayer (ds, "tuyen", srs, wkbLineString, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      OGRFieldDefnH fd = OGR_Fld_Create (fields[i].name, fields[i].type);

      OGR_Fld_SetWidth (fd, fields[i].width);
      OGR_Fld_SetPrecision (fd, fields[i].precision);
      g_assert_cmpint (OGR_L_CreateField (layer, fd, TRUE), ==, OGRERR_NONE);
      OGR_Fld_Destroy (fd);
    }
  for (guint i = 0; i < n; i++)
    {
      OGRFeatureH feat = OGR_F_Create (OGR_L_GetLayerDefn (layer));
      double x = 560000 + 100.0 * i, y = 1815000;
      OGRGeometryH g;
      g_autofree char *name = g_strdup_printf ("Kiet %u", i);

      if (i == 5)
        {
          /* two parts */
          OGRGeometryH a = OGR_G_CreateGeometry (wkbLineString), b = OGR_G_CreateGeometry (wkbLineString);

          g = OGR_G_CreateGeometry (wkbMultiLineString);
          OGR_G_AddPoint_2D (a, x, y);
          OGR_G_AddPoint_2D (a, x + 20, y);
          OGR_G_AddPoint_2D (b, x + 40, y);
          OGR_G_AddPoint_2D (b, x + 60, y + 5);
          OGR_G_AddGeometryDirectly (g, a);
          OGR_G_AddGeometryDirectly (g, b);
        }
      else
        {
          g = OGR_G_CreateGeometry (wkbLineString);
          OGR_G_AddPoint_2D (g, x, y);
          OGR_G_AddPoint_2D (g, x + 30, y + 1);
          OGR_G_AddPoint_2D (g, x + 60, y + 3);
        }
      OGR_F_SetGeometryDirectly (feat, g);
      OGR_F_SetFieldString (feat, 0, name);
      OGR_F_SetFieldInteger (feat, 1, 12 * (int) i);
      OGR_F_SetFieldInteger64 (feat, 2, G_GINT64_CONSTANT (80000000000) + i);
      OGR_F_SetFieldDouble (feat, 3, 60.125 + i);
      g_assert_cmpint (OGR_L_CreateFeature (layer, feat), ==, OGRERR_NONE);
      OGR_F_Destroy (feat);
    }
  GDALClose (ds);
  OSRDestroySpatialReference (srs);
}

/* The .dbf field @field of record @rec, overwritten with @text
 * (space-padded to the field's width, or cut). */
static void
patch_dbf (guint8 *dbf, guint rec, guint field, const char *text, gsize text_len)
{
  guint head = dbf[8] | dbf[9] << 8, reclen = dbf[10] | dbf[11] << 8;
  guint8 *r = dbf + head + (gsize) rec * reclen;
  guint off = 1, width = 0;

  for (guint f = 0; f <= field; f++)
    {
      width = dbf[32 + 32 * f + 16];
      if (f < field)
        off += width;
    }
  memset (r + off, ' ', width);
  memcpy (r + off, text, MIN (text_len, width));
}

/* Where record @rec's content starts in the .shp (from the .shx). */
static gsize
shp_content (const guint8 *shx, guint rec)
{
  return (gsize) be32_at (shx + 100 + 8 * rec) * 2 + 8;
}

static void
test_damaged (void)
{
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *shp = g_build_filename (dir, "tuyen.shp", NULL);
  g_autofree char *dbf_path = g_build_filename (dir, "tuyen.dbf", NULL);
  g_autofree char *shx_path = g_build_filename (dir, "tuyen.shx", NULL);
  g_autofree guint8 *dbf = NULL, *shpb = NULL, *shx = NULL;
  gsize dbf_len, shp_len, shx_len;
  const guint n = 14;
  double nan_value = NAN;
  guint32 one = GUINT32_TO_LE (1), zero = 0;

  write_lines (shp, n);
  dbf = read_file (dbf_path, &dbf_len);
  shpb = read_file (shp, &shp_len);
  shx = read_file (shx_path, &shx_len);

  /* 1: deleted */
  dbf[(dbf[8] | dbf[9] << 8) + 1 * (gsize) (dbf[10] | dbf[11] << 8)] = '*';
  /* 2: numbers of asterisks and blanks */
  patch_dbf (dbf, 2, 1, "******", 6);
  patch_dbf (dbf, 2, 2, "", 0);
  patch_dbf (dbf, 2, 3, "  ", 2);
  /* 3: text with spaces around it, a number with spaces before it */
  patch_dbf (dbf, 3, 0, "   Le Loi  ", 11);
  patch_dbf (dbf, 3, 1, "    42", 6);
  /* 4: a NUL inside the text; a real written as an exponent */
  patch_dbf (dbf, 4, 0, "Tran Hung\0Dao", 13);
  patch_dbf (dbf, 4, 3, "1.5e2", 5);
  /* 6: only blanks (null text), an integer field with a fraction */
  patch_dbf (dbf, 6, 0, "", 0);
  patch_dbf (dbf, 6, 1, " 7.9", 4);
  /* 7: a null shape */
  memcpy (shpb + shp_content (shx, 7), &zero, 4);
  /* 8: a line whose only part starts at its second point */
  memcpy (shpb + shp_content (shx, 8) + 44, &one, 4);
  /* 9: a coordinate that is not a number */
  memcpy (shpb + shp_content (shx, 9) + 48 + 16, &nan_value, 8);
  /* 10: a shape type no points-or-lines file has (a polygon) */
  {
    guint32 five = GUINT32_TO_LE (5);

    memcpy (shpb + shp_content (shx, 10), &five, 4);
  }
  write_file (dbf_path, dbf, dbf_len);
  write_file (shp, shpb, shp_len);
  write_file (shx_path, shx, shx_len);

  /* what the reader says of each record */
  {
    g_autofree char *why = NULL;
    g_autoptr(NgamShpFile) f = ngam_shp_open (shp, &why);
    NgamShpRecord rec;
    NgamShpStatus want[] = { NGAM_SHP_SHAPE, NGAM_SHP_DELETED, NGAM_SHP_SHAPE, NGAM_SHP_SHAPE, NGAM_SHP_SHAPE,
                             NGAM_SHP_SHAPE, NGAM_SHP_SHAPE, NGAM_SHP_NULL, NGAM_SHP_ASK_OGR, NGAM_SHP_ASK_OGR,
                             NGAM_SHP_ASK_OGR, NGAM_SHP_SHAPE, NGAM_SHP_SHAPE, NGAM_SHP_SHAPE };
    guint i = 0;

    g_assert_null (why);
    g_assert_nonnull (f);
    g_assert_cmpint (ngam_shp_n_records (f), ==, n);
    g_assert_cmpuint (ngam_shp_n_fields (f), ==, 4);
    while (ngam_shp_next (f, &rec))
      {
        g_assert_cmpint (rec.fid, ==, i);
        if (rec.status != want[i])
          g_error ("record %u: status %d, expected %d", i, rec.status, want[i]);
        i++;
      }
    g_assert_cmpuint (i, ==, n);
  }

  assert_same_both_ways (dir, shp, NGAM_LAYER_STREETS);
  assert_same_both_ways (dir, shp, NGAM_LAYER_SPANS);
  {
    /* and the values as a planner would look for them */
    g_autofree char *project = g_build_filename (dir, "p.ngam", NULL);
    g_autofree char *out = import_once (project, shp, NGAM_LAYER_STREETS, FALSE);
    g_autofree char *names = ngam_test_sql_text (project, "SELECT group_concat(coalesce(name, '-'), ';') FROM "
                                                          "(SELECT name FROM streets ORDER BY source_fid)");
    g_autofree char *attrs3 = ngam_test_sql_text (project, "SELECT attrs FROM streets WHERE source_fid = 3");
    g_autofree char *attrs2 = ngam_test_sql_text (project, "SELECT attrs FROM streets WHERE source_fid = 2");
    g_autofree char *gone = ngam_test_sql_text (project, "SELECT count(*) FROM streets WHERE source_fid IN (1, 7)");

    g_assert_nonnull (strstr (out, "null_geometry"));
    g_assert_cmpstr (gone, ==, "0");
    g_assert_nonnull (strstr (names, "Le Loi;Tran Hung;"));
    g_assert_nonnull (strstr (attrs3, "\"ten_duong\":\"Le Loi\",\"so_soi\":42,"));
    g_assert_nonnull (strstr (attrs2, "\"so_soi\":null,\"ma_tuyen\":null,\"dai_m\":null"));
  }

  /* 13: the last record cut short: OGR stops there, and so does the
   * import, whichever reads it */
  write_file (shp, shpb, shp_len - 20);
  assert_same_both_ways (dir, shp, NGAM_LAYER_STREETS);
  {
    g_autofree char *project = g_build_filename (dir, "p.ngam", NULL);
    g_autofree char *out = import_once (project, shp, NGAM_LAYER_STREETS, FALSE);

    g_assert_true (g_str_has_prefix (out, "error: "));
    g_assert_nonnull (strstr (out, "tuyen.shp: reading stopped after 13 of 14 features"));
  }
  ngam_test_rmdir (dir);
}

/* ---- random damage ------------------------------------------------------- */

/* A few bytes of one part changed at random, or a part cut short, a few
 * hundred times over (the same each run: the seed is fixed).  The reader
 * must neither crash nor read past what it was given (the suite runs this
 * under ASan too), and the import must come out the same whichever way
 * the file is read.  For a longer search by hand: NGAM_FUZZ_ROUNDS=20000
 * NGAM_FUZZ_SEED=7 test-import-shapefile -p /import/shapefile/fuzz/lines. */
static void
test_fuzz (gconstpointer data)
{
  gboolean points = GPOINTER_TO_INT (data);
  g_autofree char *dir = ngam_test_tmpdir ();
  g_autofree char *shp = g_build_filename (dir, "tuyen.shp", NULL);
  const char *exts[] = { "shp", "shx", "dbf" };
  char *paths[3] = { NULL, NULL, NULL };
  guint8 *orig[3];
  gsize len[3];
  guint rounds = ngam_test_fuzz_rounds (300);
  g_autoptr(GRand) rand = ngam_test_fuzz_rand (points ? 1 : 0);
  guint compared = 0, refused = 0;

  if (points)
    {
      static const char *const fields[] = { "ma_cot", "chu_so_huu", NULL };
      TestPoint pts[9];

      for (guint i = 0; i < G_N_ELEMENTS (pts); i++)
        pts[i] = (TestPoint) { 560000 + 37.0 * i, 1815000 + 5.0 * i, { i % 3 ? "C-1" : "C-2", "VNPT", NULL, NULL } };
      test_write_points (shp, 9214, fields, pts, G_N_ELEMENTS (pts));
    }
  else
    write_lines (shp, 9);
  for (guint k = 0; k < 3; k++)
    {
      paths[k] = ngam_shp_sibling (shp, exts[k]);
      g_assert_nonnull (paths[k]);
      orig[k] = read_file (paths[k], &len[k]);
    }
  for (guint round = 0; round < rounds; round++)
    {
      guint part = g_rand_int_range (rand, 0, 3);
      g_autofree guint8 *bytes = g_memdup2 (orig[part], len[part]);
      gsize n = len[part];
      g_autofree char *why = NULL;
      g_autoptr(NgamShpFile) f = NULL;
      NgamShpRecord rec;

      if (g_rand_int_range (rand, 0, 5) == 0)
        n = g_rand_int_range (rand, 0, (gint32) len[part]);
      else
        for (int i = g_rand_int_range (rand, 1, 6); i > 0; i--)
          {
            /* headers and record starts are where damage matters most */
            gsize at = g_rand_boolean (rand) ? (gsize) g_rand_int_range (rand, 0, MIN ((gint32) n, 120))
                                             : (gsize) g_rand_int_range (rand, 0, (gint32) n);

            bytes[at] = g_rand_boolean (rand) ? (guint8) g_rand_int_range (rand, 0, 256) : bytes[at] ^ 0x80;
          }
      write_file (paths[part], bytes, n);

      f = ngam_shp_open (shp, &why);
      if (f == NULL)
        refused++;
      else
        {
          gint64 records = 0;

          while (ngam_shp_next (f, &rec))
            {
              if (rec.status == NGAM_SHP_SHAPE)
                g_assert_cmpuint (rec.wkb->len, >=, 21);
              records++;
            }
          g_assert_cmpint (records, ==, ngam_shp_n_records (f));
          /* the whole import, both ways, every other round (the reading
           * above is the cheap part; an import is a project each way) */
          if (round % 2 == 0)
            {
              g_test_message ("round %u: %s", round, exts[part]);
              assert_same_both_ways (dir, shp, points ? NGAM_LAYER_POLES : NGAM_LAYER_STREETS);
              compared++;
            }
        }
      write_file (paths[part], orig[part], len[part]);
    }
  g_test_message ("%u damaged files: the reader left %u wholly to OGR; %u imports compared both ways",
                  rounds, refused, compared);
  g_assert_cmpuint (compared, >=, rounds / 4);
  for (guint k = 0; k < 3; k++)
    {
      g_free (orig[k]);
      g_free (paths[k]);
    }
  ngam_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();
  g_test_add_func ("/import/shapefile/damaged", test_damaged);
  g_test_add_data_func ("/import/shapefile/fuzz/lines", GINT_TO_POINTER (FALSE), test_fuzz);
  g_test_add_data_func ("/import/shapefile/fuzz/points", GINT_TO_POINTER (TRUE), test_fuzz);
  g_test_add_func ("/import/shapefile/corpus", test_corpus);
  return g_test_run ();
}
