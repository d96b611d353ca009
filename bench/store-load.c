/* store-load.c — bulk-loads OGR files into a new project through the
 * store's bulk writer, timed (bench/store-load.sh runs it)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   store-load [--preload] OUT.ngam KIND=FILE…
 *
 * Reads each FILE's first layer with OGR, maps its columns back to the
 * model by the names `ngam-batch export` gave them, and writes the
 * features with NgamStoreWriter into a fresh project (EPSG:9214), one
 * transaction, spatial and attribute indexes included.  The clock runs
 * from before the project is created until it is closed.  With --preload
 * every feature is read into memory first, so the time is the store's
 * alone.  Prints one line of JSON.
 */
#include "config.h"

#include <gdal.h>
#include <glib/gstdio.h>
#include <ogr_api.h>
#include <stdio.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-export.h"

typedef struct
{
  NgamLayerKind  kind;
  char          *path;
  GPtrArray     *features;   /* --preload */
} Input;

/* Column indexes of the model's columns in the OGR layer (-1: absent). */
static int *
map_columns (OGRLayerH      layer,
             NgamLayerKind  kind,
             gboolean       short_names)
{
  g_auto(GStrv) columns = ngam_export_columns (kind, short_names);
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn (layer);
  int *idx = g_new (int, g_strv_length (columns));

  for (guint i = 0; columns[i]; i++)
    idx[i] = OGR_FD_GetFieldIndex (defn, columns[i]);
  return idx;
}

static gboolean
read_feature (OGRFeatureH   of,
              const int    *idx,
              NgamFeature  *f,
              GError      **error)
{
  const NgamLayerInfo *info = ngam_layer_info (f->kind);
  OGRGeometryH geom = OGR_F_GetGeometryRef (of);
  guint8 stack[4096];
  guint8 *wkb = stack;
  gsize len;
  gboolean ok;

  ngam_feature_reset (f);
#define TEXT(i) (idx[i] >= 0 && OGR_F_IsFieldSetAndNotNull (of, idx[i]) ? OGR_F_GetFieldAsString (of, idx[i]) : NULL)
  f->operator_name = g_strdup (TEXT (1));
  f->source_file = g_strdup (TEXT (2));
  f->source_layer = g_strdup (TEXT (3));
  f->source_fid = idx[4] >= 0 && OGR_F_IsFieldSetAndNotNull (of, idx[4]) ? OGR_F_GetFieldAsInteger64 (of, idx[4]) : -1;
  f->source_key = g_strdup (TEXT (5));
  for (guint i = 0; i < info->n_fields; i++)
    {
      int k = idx[NGAM_EXPORT_N_COMMON + i];

      if (k < 0 || !OGR_F_IsFieldSetAndNotNull (of, k))
        continue;
      switch (info->fields[i].type)
        {
        case NGAM_FIELD_TEXT: ngam_feature_set_text (f, i, OGR_F_GetFieldAsString (of, k)); break;
        case NGAM_FIELD_REAL: ngam_feature_set_real (f, i, OGR_F_GetFieldAsDouble (of, k)); break;
        case NGAM_FIELD_BOOL: ngam_feature_set_bool (f, i, OGR_F_GetFieldAsInteger (of, k) != 0); break;
        case NGAM_FIELD_INT:
        default: ngam_feature_set_int (f, i, OGR_F_GetFieldAsInteger64 (of, k)); break;
        }
    }
#undef TEXT
  if (geom == NULL)
    return TRUE;
  len = OGR_G_WkbSize (geom);
  if (len > sizeof stack)
    wkb = g_malloc (len);
  OGR_G_ExportToIsoWkb (geom, wkbNDR, wkb);
  ok = ngam_shape_from_wkb (f->shape, wkb, len, NULL, error);
  if (wkb != stack)
    g_free (wkb);
  /* a Shapefile says Polygon where the layer keeps MultiPolygon */
  if (ok && f->shape->type == NGAM_SHAPE_POLYGON && info->shape == NGAM_SHAPE_MULTIPOLYGON)
    f->shape->type = NGAM_SHAPE_MULTIPOLYGON;
  return ok;
}

typedef gboolean (*FeatureFunc) (NgamFeature *f, gpointer data, GError **error);

static gboolean
read_file (Input        *in,
           FeatureFunc   func,
           gpointer      data,
           gint64       *n,
           GError      **error)
{
  GDALDatasetH ds = GDALOpenEx (in->path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  g_autoptr(NgamFeature) f = ngam_feature_new (in->kind);
  g_autofree int *idx = NULL;
  OGRLayerH layer;
  OGRFeatureH of;
  gboolean ok = TRUE;

  if (ds == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open %s", in->path);
      return FALSE;
    }
  layer = GDALDatasetGetLayer (ds, 0);
  idx = map_columns (layer, in->kind, g_str_has_suffix (in->path, ".shp"));
  while (ok && (of = OGR_L_GetNextFeature (layer)) != NULL)
    {
      ok = read_feature (of, idx, f, error) && func (f, data, error);
      OGR_F_Destroy (of);
      (*n)++;
    }
  GDALClose (ds);
  return ok;
}

static gboolean
keep (NgamFeature *f, gpointer data, GError **error)
{
  g_ptr_array_add (data, ngam_feature_copy (f));
  return TRUE;
}

static gboolean
add_feature (NgamFeature *f, gpointer data, GError **error)
{
  return ngam_store_writer_add (data, f, NULL, error);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) inputs = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = NULL;
  gboolean preload = FALSE;
  const char *out = NULL;
  gint64 t0, t_read = 0, n = 0;
  double seconds;

  ngam_core_init ();
  for (int i = 1; i < argc; i++)
    {
      char *eq = strchr (argv[i], '=');
      Input *in;

      if (strcmp (argv[i], "--preload") == 0)
        preload = TRUE;
      else if (eq == NULL && out == NULL)
        out = argv[i];
      else if (eq)
        {
          in = g_new0 (Input, 1);
          *eq = '\0';
          if (!ngam_layer_kind_from_name (argv[i], &in->kind))
            g_error ("unknown layer kind %s", argv[i]);
          in->path = eq + 1;
          g_ptr_array_add (inputs, in);
        }
    }
  if (out == NULL || inputs->len == 0)
    {
      fprintf (stderr, "usage: store-load [--preload] OUT.ngam KIND=FILE…\n");
      return 2;
    }

  if (preload)
    {
      t0 = g_get_monotonic_time ();
      for (guint k = 0; k < inputs->len; k++)
        {
          Input *in = inputs->pdata[k];
          gint64 m = 0;

          in->features = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_feature_free);
          if (!read_file (in, keep, in->features, &m, &error))
            g_error ("%s", error->message);
        }
      t_read = g_get_monotonic_time () - t0;
    }

  t0 = g_get_monotonic_time ();
  store = ngam_store_create (out, "EPSG:9214", &error);
  if (store == NULL || !ngam_store_begin (store, &error))
    g_error ("%s", error->message);
  for (guint k = 0; k < inputs->len; k++)
    {
      Input *in = inputs->pdata[k];
      g_autoptr(NgamStoreWriter) w = ngam_store_writer_new (store, in->kind, &error);

      if (w == NULL)
        g_error ("%s", error->message);
      if (in->features)
        {
          for (guint i = 0; i < in->features->len; i++)
            if (!ngam_store_writer_add (w, in->features->pdata[i], NULL, &error))
              g_error ("%s: %s", in->path, error->message);
          n += in->features->len;
        }
      else if (!read_file (in, add_feature, w, &n, &error))
        g_error ("%s: %s", in->path, error->message);
      if (!ngam_store_writer_finish (w, &error))
        g_error ("%s", error->message);
    }
  if (!ngam_store_commit (store, &error))
    g_error ("%s", error->message);
  ngam_store_close (g_steal_pointer (&store));
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  printf ("{\"features\": %" G_GINT64_FORMAT ", \"seconds\": %.2f, \"preload_seconds\": %.2f, \"mode\": \"%s\"}\n",
          n, seconds, t_read / 1e6, preload ? "store write only" : "OGR read + store write");
  for (guint k = 0; k < inputs->len; k++)
    {
      Input *in = inputs->pdata[k];

      if (in->features)
        g_ptr_array_unref (in->features);
      g_free (in);
    }
  return 0;
}
