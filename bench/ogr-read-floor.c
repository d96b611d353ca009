/* ogr-read-floor.c — the floor for an import: read every feature of every
 * source through the OGR C API (geometry as WKB, every field as text)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: ogr-read-floor SOURCE...  Prints features read and seconds.
 */
#include "config.h"

#include <gdal.h>
#include <glib.h>
#include <ogr_api.h>
#include <stdio.h>
#include <string.h>

int
main (int argc, char **argv)
{
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GByteArray) wkb = g_byte_array_new ();
  gint64 n = 0;
  gsize text = 0;

  GDALAllRegister ();
  for (int a = 1; a < argc; a++)
    {
      const char *options[] = { "ENCODING=", NULL };
      GDALDatasetH ds = GDALOpenEx (argv[a], GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, options, NULL);

      if (ds == NULL)
        {
          fprintf (stderr, "cannot open %s\n", argv[a]);
          return 1;
        }
      for (int l = 0; l < GDALDatasetGetLayerCount (ds); l++)
        {
          OGRLayerH layer = GDALDatasetGetLayer (ds, l);
          int nf = OGR_FD_GetFieldCount (OGR_L_GetLayerDefn (layer));
          OGRFeatureH f;

          while ((f = OGR_L_GetNextFeature (layer)) != NULL)
            {
              OGRGeometryH g = OGR_F_GetGeometryRef (f);

              if (g)
                {
                  g_byte_array_set_size (wkb, OGR_G_WkbSize (g));
                  OGR_G_ExportToIsoWkb (g, wkbNDR, wkb->data);
                }
              for (int i = 0; i < nf; i++)
                text += strlen (OGR_F_GetFieldAsString (f, i));
              OGR_F_Destroy (f);
              n++;
            }
        }
      GDALClose (ds);
    }
  printf ("%" G_GINT64_FORMAT " features, %" G_GSIZE_FORMAT " bytes of text, %.3f s\n",
          n, text, g_timer_elapsed (timer, NULL));
  return 0;
}
