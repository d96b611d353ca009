/* cover-union.c — the union of a project's cell circles: Ngầm's tiled
 * union against SpatiaLite's ST_Union(ST_Buffer(…)) on the same file, in
 * one run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   cover-union PROJECT.ngam [--no-spatialite] [--quadsegs Q] [--tile-pieces N]
 *
 * Prints one line per engine: seconds (wall and CPU), area, parts,
 * vertices, validity; then the area ratio.
 */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ngam-core.h"
#include "ngam-cover-private.h"

static double
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main (int    argc,
      char **argv)
{
  const char *path = NULL;
  gboolean spatialite = TRUE;
  int q = 30;
  double tile_pieces = 64, area = 0, w0, c0, ours_area;
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = NULL;
  g_autoptr(NgamStoreCursor) cur = NULL;
  g_autoptr(GArray) pieces = g_array_new (FALSE, FALSE, sizeof (CoverPiece));
  const int f_range = ngam_layer_field_index (NGAM_LAYER_SITES, "range_m");
  GEOSContextHandle_t h;
  GEOSGeometry *u;

  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--no-spatialite") == 0)
      spatialite = FALSE;
    else if (strcmp (argv[i], "--quadsegs") == 0 && i + 1 < argc)
      q = atoi (argv[++i]);
    else if (strcmp (argv[i], "--tile-pieces") == 0 && i + 1 < argc)
      tile_pieces = g_ascii_strtod (argv[++i], NULL);
    else
      path = argv[i];
  if (path == NULL)
    {
      fprintf (stderr, "usage: cover-union PROJECT.ngam [--no-spatialite] [--quadsegs Q] [--tile-pieces N]\n");
      return 2;
    }
  ngam_core_init ();
  h = ngam_geos_context ();
  store = ngam_store_open (path, NGAM_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  cur = ngam_store_query (store, NGAM_LAYER_SITES, NULL, NGAM_QUERY_DEFAULT, &error);
  while (ngam_store_cursor_next (cur, &error))
    {
      const NgamFeature *f = ngam_store_cursor_get (cur);
      CoverPiece p = { 0 };

      if (ngam_feature_is_null (f, f_range) || !(ngam_feature_get_real (f, f_range) > 0))
        continue;
      p.x = f->shape->xy[0];
      p.y = f->shape->xy[1];
      p.r = ngam_feature_get_real (f, f_range);
      p.bw = 360;
      p.fid = f->fid;
      g_array_append_val (pieces, p);
    }
  g_assert_no_error (error);

  w0 = g_get_monotonic_time () / 1e6;
  c0 = cpu_now ();
  u = cover_union_pieces ((CoverPiece *) pieces->data, pieces->len, q, tile_pieces, NULL, &error);
  if (u == NULL)
    g_error ("%s", error->message);
  GEOSArea_r (h, u, &area);
  ours_area = area;
  printf ("ngam        %u circles: %.3f s wall, %.3f s CPU; area %.6e m², %d parts, %d vertices, %s\n",
          pieces->len, g_get_monotonic_time () / 1e6 - w0, cpu_now () - c0, area,
          GEOSGetNumGeometries_r (h, u), GEOSGetNumCoordinates_r (h, u),
          GEOSisValid_r (h, u) == 1 ? "valid" : "INVALID");
  GEOSGeom_destroy_r (h, u);

  if (spatialite)
    {
      sqlite3 *db = NULL;
      sqlite3_stmt *st = NULL;
      g_autofree char *sql = g_strdup_printf (
        "SELECT ST_Area(u), ST_NumGeometries(u), ST_NPoints(u), ST_IsValid(u) FROM "
        "(SELECT ST_Union(ST_Buffer(geom, range_m, %d)) AS u FROM sites WHERE range_m > 0)", q);
      char *msg = NULL;

      g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
      sqlite3_enable_load_extension (db, 1);
      if (sqlite3_load_extension (db, "mod_spatialite", NULL, &msg) != SQLITE_OK)
        g_error ("mod_spatialite: %s", msg);
      w0 = g_get_monotonic_time () / 1e6;
      c0 = cpu_now ();
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &st, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
      area = sqlite3_column_double (st, 0);
      printf ("spatialite  %u circles: %.3f s wall, %.3f s CPU; area %.6e m², %d parts, %d vertices, %s\n",
              pieces->len, g_get_monotonic_time () / 1e6 - w0, cpu_now () - c0, area,
              sqlite3_column_int (st, 1), sqlite3_column_int (st, 2),
              sqlite3_column_int (st, 3) == 1 ? "valid" : "INVALID");
      printf ("area ratio  %.6f\n", ours_area / area);
      sqlite3_finalize (st);
      sqlite3_close (db);
    }
  return 0;
}
