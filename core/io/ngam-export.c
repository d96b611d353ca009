/* ngam-export.c — writes a project layer to any OGR vector format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One layer, every model field plus the project fid, the operator and the
 * source columns, to whatever OGR can create (chosen by name or by the
 * output's extension), optionally reprojected.  Shapefiles get field
 * names of at most ten characters from a fixed table, so that the same
 * names come back on import, and a .cpg saying UTF-8, so that Vietnamese
 * text survives.  The dataset is written in a hidden folder beside the
 * output and its files moved into place when complete, so a failed or
 * cancelled export leaves no output behind, and one that replaces an older
 * export (when asked to) leaves the older one until the new one is whole.
 *
 * Values are set by the index the layer reports for each field created,
 * never by the column's position: some drivers (KML: Name, Description)
 * add fields of their own first.
 */
#define G_LOG_DOMAIN "ngam-io"

#include "config.h"

#include <cpl_string.h>
#include <errno.h>
#include <gdal.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <string.h>

#include "ngam-crs.h"
#include "ngam-export.h"
#include "ngam-gdal.h"
#include "ngam-store.h"

G_DEFINE_QUARK (ngam-export-error-quark, ngam_export_error)

static const char *const common_columns[NGAM_EXPORT_N_COMMON] = {
  "ngam_fid", "operator", "source_file", "source_layer", "source_fid", "source_key",
};

/* dBASE allows ten characters; these keep the names readable. */
static const struct { const char *name, *short_name; } short_names[] = {
  { "source_file", "src_file" },
  { "source_layer", "src_layer" },
  { "source_fid", "src_fid" },
  { "source_key", "src_key" },
  { "fibre_count", "fibres" },
  { "diameter_mm", "diam_mm" },
  { "cable_count", "cables" },
  { "building_type", "bldg_type" },
  { "duct_diameter_mm", "duct_diam" },
};

/* Extensions OGR drivers share or that need a preferred writer. */
static const struct { const char *ext, *driver; } known_formats[] = {
  { "shp", "ESRI Shapefile" },
  { "gpkg", "GPKG" },
  { "geojson", "GeoJSON" },
  { "json", "GeoJSON" },
  { "geojsonl", "GeoJSONSeq" },
  { "csv", "CSV" },
  { "kml", "KML" },
  { "gml", "GML" },
  { "fgb", "FlatGeobuf" },
  { "sqlite", "SQLite" },
  { "tab", "MapInfo File" },
  { "mif", "MapInfo File" },
  { "dxf", "DXF" },
  { "gpx", "GPX" },
};

/**
 * ngam_export_guess_format:
 * @path: an output file name
 *
 * Returns: (nullable): the name of the OGR driver that writes files with
 *   @path's extension, or %NULL.
 */
const char *
ngam_export_guess_format (const char *path)
{
  const char *dot = strrchr (path, '.');
  const char *slash = strrchr (path, '/');
  const char *ext;

  if (dot == NULL || (slash && dot < slash))
    return NULL;
  ext = dot + 1;
  for (guint i = 0; i < G_N_ELEMENTS (known_formats); i++)
    if (g_ascii_strcasecmp (ext, known_formats[i].ext) == 0)
      return known_formats[i].driver;
  ngam_core_init ();
  for (int i = 0; i < GDALGetDriverCount (); i++)
    {
      GDALDriverH d = GDALGetDriver (i);
      const char *exts = GDALGetMetadataItem (d, GDAL_DMD_EXTENSIONS, NULL);
      g_auto(GStrv) list = NULL;

      if (exts == NULL || GDALGetMetadataItem (d, GDAL_DCAP_VECTOR, NULL) == NULL ||
          GDALGetMetadataItem (d, GDAL_DCAP_CREATE, NULL) == NULL)
        continue;
      list = g_strsplit (exts, " ", -1);
      for (guint k = 0; list[k]; k++)
        if (g_ascii_strcasecmp (list[k], ext) == 0)
          return GDALGetDriverShortName (d);
    }
  return NULL;
}

/**
 * ngam_export_columns:
 * @short_names: TRUE for dBASE's ten characters (Shapefile)
 *
 * Returns: (transfer full): the output column names for a layer, in the
 *   order the exporter writes them.
 */
GStrv
ngam_export_columns (NgamLayerKind kind,
                     gboolean      use_short)
{
  const NgamLayerInfo *info = ngam_layer_info (kind);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < NGAM_EXPORT_N_COMMON + info->n_fields; i++)
    {
      const char *name = i < NGAM_EXPORT_N_COMMON ? common_columns[i] : info->fields[i - NGAM_EXPORT_N_COMMON].name;
      g_autofree char *out = g_strdup (name);

      if (use_short && strlen (name) > 10)
        {
          g_free (out);
          out = NULL;
          for (guint k = 0; k < G_N_ELEMENTS (short_names); k++)
            if (strcmp (short_names[k].name, name) == 0)
              out = g_strdup (short_names[k].short_name);
          if (out == NULL)
            out = g_strndup (name, 10);
          /* a name no table foresaw: number it until it is unique */
          for (guint n = 1; g_hash_table_contains (used, out) && n < 100; n++)
            {
              g_free (out);
              out = g_strdup_printf ("%.*s%u", n < 10 ? 9 : 8, name, n);
            }
        }
      g_hash_table_add (used, g_strdup (out));
      g_strv_builder_add (b, out);
    }
  return g_strv_builder_end (b);
}

/* ---- the export ------------------------------------------------------- */

static OGRwkbGeometryType
ogr_type (NgamShapeType type)
{
  switch (type)
    {
    case NGAM_SHAPE_POINT: return wkbPoint;
    case NGAM_SHAPE_LINESTRING: return wkbLineString;
    case NGAM_SHAPE_POLYGON: return wkbPolygon;
    case NGAM_SHAPE_MULTIPOINT: return wkbMultiPoint;
    case NGAM_SHAPE_MULTILINESTRING: return wkbMultiLineString;
    case NGAM_SHAPE_MULTIPOLYGON: return wkbMultiPolygon;
    case NGAM_SHAPE_NONE:
    default: return wkbUnknown;
    }
}

/* The files a dataset at @path would occupy, for the existence check. */
static GPtrArray *
output_files (const char *path,
              const char *driver)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (files, g_strdup (path));
  if (g_strcmp0 (driver, "ESRI Shapefile") == 0)
    {
      static const char *const side[] = { ".shx", ".dbf", ".prj", ".cpg" };
      const char *dot = strrchr (path, '.');
      gsize stem = dot ? (gsize) (dot - path) : strlen (path);

      for (guint i = 0; i < G_N_ELEMENTS (side); i++)
        g_ptr_array_add (files, g_strdup_printf ("%.*s%s", (int) stem, path, side[i]));
    }
  return files;
}

static OGRSpatialReferenceH
srs_new (const char  *definition,
         GError     **error)
{
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);

  if (OSRSetFromUserInput (srs, definition) != OGRERR_NONE)
    {
      OSRDestroySpatialReference (srs);
      g_set_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_CRS,
                   "GDAL does not know the CRS “%s”", definition);
      return NULL;
    }
  /* x = easting or longitude, as NgamTransform gives them */
  OSRSetAxisMappingStrategy (srs, OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

typedef struct
{
  GDALDriverH           driver;
  GDALDatasetH          ds;
  OGRLayerH             layer;
  OGRSpatialReferenceH  srs;
  NgamTransform        *transform;
  NgamShape            *shape;
  GString              *sink;       /* GDAL's messages (ngam-gdal.c) */
  gboolean              in_transaction;
  int                  *field;      /* column → the layer's field index */
  gboolean              own_fids;   /* the driver numbers features itself */
  char                 *tmp_dir;    /* where the dataset is written */
  char                 *tmp_path;
} Export;

/* The longest value of each text column (in bytes) and integer column (in
 * digits) of the layer's live features, in the order of
 * ngam_export_columns() (1 for other columns), read in one scan.  A
 * Shapefile's fields get exactly these widths: the driver's RESIZE option
 * would do the same after the fact by rewriting the whole .dbf once per
 * field, gigabytes for a big layer. */
static gboolean
text_widths (NgamStore      *store,
             NgamLayerKind   kind,
             guint          *widths,
             GError        **error)
{
  const NgamLayerInfo *info = ngam_layer_info (kind);
  guint n = NGAM_EXPORT_N_COMMON + info->n_fields;
  g_autofree gint64 *w = g_new0 (gint64, n);

  G_STATIC_ASSERT (NGAM_EXPORT_N_COMMON == NGAM_STORE_N_MEASURED);
  if (!ngam_store_measure_columns (store, kind, w, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    widths[i] = (guint) CLAMP (w[i], 1, 254);
  return TRUE;
}

static gboolean
create_layer (Export                  *x,
              NgamStore               *store,
              const NgamExportOptions *options,
              const char              *path,
              GError                 **error)
{
  const NgamLayerInfo *info = ngam_layer_info (options->kind);
  const char *driver_name = GDALGetDriverShortName (x->driver);
  gboolean shp = strcmp (driver_name, "ESRI Shapefile") == 0;
  g_auto(GStrv) columns = ngam_export_columns (options->kind, shp);
  g_autofree guint *widths = g_new0 (guint, NGAM_EXPORT_N_COMMON + info->n_fields);
  char **lco = NULL;
  const char *types;
  gboolean has_int64;

  if (shp)
    {
      if (!text_widths (store, options->kind, widths, error))
        return FALSE;
      lco = CSLSetNameValue (lco, "ENCODING", "UTF-8");
    }
  else if (strcmp (driver_name, "CSV") == 0)
    lco = CSLSetNameValue (lco, "GEOMETRY", "AS_WKT");
  {
    g_autofree char *dir = g_path_get_dirname (path);
    g_autofree char *base = g_path_get_basename (path);

    x->tmp_dir = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
    if (g_mkdtemp (x->tmp_dir) == NULL)
      {
        int e = errno;

        CSLDestroy (lco);
        g_clear_pointer (&x->tmp_dir, g_free);
        g_set_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_WRITE,
                     "cannot create %s (%s): %s", path, driver_name, g_strerror (e));
        return FALSE;
      }
    x->tmp_path = g_build_filename (x->tmp_dir, base, NULL);
  }
  x->ds = GDALCreate (x->driver, x->tmp_path, 0, 0, 0, GDT_Unknown, NULL);
  if (x->ds == NULL)
    {
      CSLDestroy (lco);
      g_set_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_WRITE,
                   "cannot create %s (%s): %s", path, driver_name, ngam_gdal_errors_reason (x->sink));
      return FALSE;
    }
  x->layer = GDALDatasetCreateLayer (x->ds, info->name, x->srs, ogr_type (info->shape), lco);
  CSLDestroy (lco);
  if (x->layer == NULL)
    {
      g_set_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_WRITE,
                   "cannot create the layer %s in %s: %s", info->name, path, ngam_gdal_errors_reason (x->sink));
      return FALSE;
    }
  /* MapInfo (GDAL 3.6) has no 64-bit integers */
  types = GDALGetMetadataItem (x->driver, GDAL_DMD_CREATIONFIELDDATATYPES, NULL);
  has_int64 = types == NULL || strstr (types, "Integer64") != NULL;
  x->own_fids = strcmp (driver_name, "MapInfo File") == 0;
  x->field = g_new (int, g_strv_length (columns));
  for (guint i = 0; columns[i]; i++)
    {
      OGRFieldDefnH defn = OGR_L_GetLayerDefn (x->layer);
      int before = OGR_FD_GetFieldCount (defn);
      OGRFieldType type = OFTString;
      OGRFieldSubType sub = OFSTNone;
      OGRFieldDefnH fld;
      OGRErr err;

      if (i == 0 || i == 4)
        type = OFTInteger64;
      else if (i >= NGAM_EXPORT_N_COMMON)
        switch (info->fields[i - NGAM_EXPORT_N_COMMON].type)
          {
          case NGAM_FIELD_INT: type = OFTInteger64; break;
          case NGAM_FIELD_REAL: type = OFTReal; break;
          case NGAM_FIELD_BOOL: type = OFTInteger; sub = OFSTBoolean; break;
          case NGAM_FIELD_TEXT:
          default: type = OFTString; break;
          }
      if (type == OFTInteger64 && !has_int64)
        type = OFTReal;   /* exact up to 2^53: any fid or count */
      fld = OGR_Fld_Create (columns[i], type);
      OGR_Fld_SetSubType (fld, sub);
      if (shp && (type == OFTString || type == OFTInteger64))
        OGR_Fld_SetWidth (fld, (int) widths[i]);
      err = OGR_L_CreateField (x->layer, fld, FALSE);
      OGR_Fld_Destroy (fld);
      if (err != OGRERR_NONE)
        {
          g_set_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_WRITE,
                       "cannot add the field %s to %s: %s", columns[i], path, ngam_gdal_errors_reason (x->sink));
          return FALSE;
        }
      /* The field just added is the last one; a driver that merges it
       * with one of its own (or renames it) is asked by name. */
      defn = OGR_L_GetLayerDefn (x->layer);
      x->field[i] = OGR_FD_GetFieldCount (defn) == before + 1 ? before
                                                              : OGR_FD_GetFieldIndex (defn, columns[i]);
      if (x->field[i] < 0)
        {
          g_set_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_WRITE,
                       "cannot add the field %s to %s: the %s driver did not keep it", columns[i], path,
                       driver_name);
          return FALSE;
        }
    }
  x->in_transaction = GDALDatasetStartTransaction (x->ds, FALSE) == OGRERR_NONE;
  return TRUE;
}

static gboolean
write_feature (Export             *x,
               const NgamFeature  *nf,
               const char         *path,
               GError            **error)
{
  const NgamLayerInfo *info = ngam_layer_info (nf->kind);
  OGRFeatureH f = OGR_F_Create (OGR_L_GetLayerDefn (x->layer));
  const NgamShape *shape = nf->shape;
  g_autoptr(GBytes) wkb = NULL;
  OGRGeometryH geom = NULL;
  gsize len;
  const void *data;
  OGRErr err;

  /* MapInfo numbers its features itself and refuses any other id; the
   * ngam_fid column carries it there as everywhere. */
  if (!x->own_fids)
    OGR_F_SetFID (f, nf->fid);
  OGR_F_SetFieldInteger64 (f, x->field[0], nf->fid);
  if (nf->operator_name)
    OGR_F_SetFieldString (f, x->field[1], nf->operator_name);
  if (nf->source_file)
    OGR_F_SetFieldString (f, x->field[2], nf->source_file);
  if (nf->source_layer)
    OGR_F_SetFieldString (f, x->field[3], nf->source_layer);
  if (nf->source_fid >= 0)
    OGR_F_SetFieldInteger64 (f, x->field[4], nf->source_fid);
  if (nf->source_key)
    OGR_F_SetFieldString (f, x->field[5], nf->source_key);
  for (guint i = 0; i < info->n_fields; i++)
    {
      int k = x->field[NGAM_EXPORT_N_COMMON + i];
      const NgamValue *v = &nf->values[i];

      if (v->is_null)
        OGR_F_SetFieldNull (f, k);
      else if (info->fields[i].type == NGAM_FIELD_TEXT)
        OGR_F_SetFieldString (f, k, v->s);
      else if (info->fields[i].type == NGAM_FIELD_REAL)
        OGR_F_SetFieldDouble (f, k, v->d);
      else if (info->fields[i].type == NGAM_FIELD_BOOL)
        OGR_F_SetFieldInteger (f, k, v->i != 0);
      else
        OGR_F_SetFieldInteger64 (f, k, v->i);
    }
  if (shape->n_points > 0)
    {
      if (x->transform)
        {
          g_clear_pointer (&x->shape, ngam_shape_free);
          x->shape = ngam_shape_copy (shape);
          if (!ngam_transform_points (x->transform, x->shape->xy, x->shape->n_points, error))
            {
              OGR_F_Destroy (f);
              g_prefix_error (error, "%s feature %" G_GINT64_FORMAT ": ", info->name, nf->fid);
              return FALSE;
            }
          shape = x->shape;
        }
      wkb = ngam_shape_to_wkb (shape);
      data = g_bytes_get_data (wkb, &len);
      if (OGR_G_CreateFromWkbEx (data, NULL, &geom, len) != OGRERR_NONE)
        {
          OGR_F_Destroy (f);
          g_set_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_WRITE,
                       "%s feature %" G_GINT64_FORMAT ": GDAL cannot read its geometry", info->name, nf->fid);
          return FALSE;
        }
      OGR_F_SetGeometryDirectly (f, geom);
    }
  err = OGR_L_CreateFeature (x->layer, f);
  OGR_F_Destroy (f);
  if (err != OGRERR_NONE)
    {
      g_set_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_WRITE,
                   "%s feature %" G_GINT64_FORMAT ": cannot write it to %s: %s",
                   info->name, nf->fid, path, ngam_gdal_errors_reason (x->sink));
      return FALSE;
    }
  return TRUE;
}

static gboolean
resolve (NgamStore                *store,
         const NgamExportOptions  *options,
         const char               *path,
         Export                   *x,
         GError                  **error)
{
  const char *name = options->format ? options->format : ngam_export_guess_format (path);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(NgamCrs) from = NULL;
  g_autoptr(NgamCrs) to = NULL;

  if (name == NULL)
    {
      g_set_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_FORMAT,
                   _("%s: cannot tell the format from the extension; name the format to write "
                     "(GPKG, “ESRI Shapefile”, GeoJSON, CSV, KML, FlatGeobuf…)"), path);
      return FALSE;
    }
  x->driver = GDALGetDriverByName (name);
  if (x->driver == NULL || GDALGetMetadataItem (x->driver, GDAL_DCAP_VECTOR, NULL) == NULL ||
      GDALGetMetadataItem (x->driver, GDAL_DCAP_CREATE, NULL) == NULL)
    {
      g_set_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_FORMAT,
                   "%s: GDAL has no vector driver that writes “%s” (try GPKG, “ESRI Shapefile”, "
                   "GeoJSON, CSV, KML, FlatGeobuf)", path, name);
      return FALSE;
    }
  files = output_files (path, GDALGetDriverShortName (x->driver));
  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr(GError) local = NULL;

      if (!ngam_store_check_output (files->pdata[i], options->overwrite, &local))
        {
          g_set_error_literal (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_EXISTS, local->message);
          return FALSE;
        }
    }

  if ((from = ngam_crs_new (ngam_store_get_crs (store), error)) == NULL)
    return FALSE;
  if (options->crs)
    {
      g_autoptr(GError) local = NULL;

      if ((to = ngam_crs_new (options->crs, &local)) == NULL)
        {
          g_set_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_CRS,
                       "cannot export %s in %s: %s", path, options->crs, local->message);
          return FALSE;
        }
      if (!ngam_crs_equivalent (from, to))
        {
          x->transform = ngam_transform_new (from, to, error);
          if (x->transform == NULL)
            return FALSE;
        }
    }
  x->srs = srs_new (options->crs ? options->crs : ngam_store_get_crs (store), error);
  return x->srs != NULL;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);

      if (g_file_test (p, G_FILE_TEST_IS_DIR) && !g_file_test (p, G_FILE_TEST_IS_SYMLINK))
        remove_tree (p);
      else
        g_unlink (p);
    }
  g_rmdir (dir);
}

/* Moves what the driver wrote in the hidden folder beside @path into
 * place; side files of an older Shapefile that the new one lacks go. */
static gboolean
move_into_place (Export      *x,
                 const char  *path,
                 GError     **error)
{
  g_autoptr(GPtrArray) old_files = output_files (path, GDALGetDriverShortName (x->driver));
  g_autoptr(GDir) d = g_dir_open (x->tmp_dir, 0, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GHashTable) moved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *from = g_build_filename (x->tmp_dir, name, NULL);
      char *to = g_build_filename (dir, name, NULL);

      if (g_rename (from, to) != 0)
        {
          int e = errno;

          g_set_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_WRITE,
                       "cannot move the finished %s into place: %s", to, g_strerror (e));
          g_free (to);
          return FALSE;
        }
      g_free (to);
      g_hash_table_add (moved, g_strdup (name));
    }
  /* by name: "x.shp" and "./x.shp" are one file */
  for (guint i = 0; i < old_files->len; i++)
    {
      g_autofree char *base = g_path_get_basename (old_files->pdata[i]);

      if (!g_hash_table_contains (moved, base))
        g_unlink (old_files->pdata[i]);
    }
  return TRUE;
}

/**
 * ngam_export_layer:
 * @path: the output; refused if it (or, for a Shapefile, a side file)
 *   exists, unless @options asks to overwrite; refused always if it is a
 *   Ngầm project
 * @n_written: (out) (optional): features written
 *
 * Writes the layer's live features (not those a re-import retired) in fid
 * order.  On failure or cancellation nothing is written at @path and an
 * older file there stays as it was.
 */
gboolean
ngam_export_layer (NgamStore               *store,
                   const NgamExportOptions *options,
                   const char              *path,
                   gint64                  *n_written,
                   NgamProgressFunc         progress,
                   gpointer                 progress_data,
                   GCancellable            *cancellable,
                   GError                 **error)
{
  const NgamLayerInfo *info;
  g_autoptr(NgamStoreCursor) cursor = NULL;
  Export x = { 0 };
  gint64 total, n = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (store != NULL && options != NULL && path != NULL, FALSE);
  g_return_val_if_fail (options->kind < NGAM_N_LAYERS, FALSE);

  ngam_core_init ();
  info = ngam_layer_info (options->kind);
  x.sink = g_string_new (NULL);
  ngam_gdal_errors_push (x.sink);
  if (!resolve (store, options, path, &x, error))
    goto out;
  if ((total = ngam_store_count (store, options->kind, error)) < 0)
    goto out;
  if ((cursor = ngam_store_query (store, options->kind, NULL, NGAM_QUERY_DEFAULT, error)) == NULL)
    goto out;
  if (!create_layer (&x, store, options, path, error))
    goto fail;
  while (TRUE)
    {
      GError *local = NULL;

      if (!ngam_store_cursor_next (cursor, &local))
        {
          if (local)
            {
              g_propagate_error (error, local);
              goto fail;
            }
          break;
        }
      if (!write_feature (&x, ngam_store_cursor_get (cursor), path, error))
        goto fail;
      if (++n % 1024 == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            goto fail;
          if (progress)
            progress (total > 0 ? (double) n / total : -1, info->name, progress_data);
        }
    }
  if (x.in_transaction && GDALDatasetCommitTransaction (x.ds) != OGRERR_NONE)
    {
      g_set_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_WRITE,
                   "cannot finish writing %s: %s", path, ngam_gdal_errors_reason (x.sink));
      goto fail;
    }
  /* most drivers write when the dataset closes: a failure there is one */
  ngam_gdal_errors_reset (x.sink);
  GDALClose (x.ds);
  x.ds = NULL;
  if (ngam_gdal_errors_failed ())
    {
      g_set_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_WRITE,
                   "cannot finish writing %s: %s", path, ngam_gdal_errors_reason (x.sink));
      goto fail;
    }
  if (!move_into_place (&x, path, error))
    goto fail;
  if (progress)
    progress (1.0, info->name, progress_data);
  if (n_written)
    *n_written = n;
  ok = TRUE;
  goto out;

fail:
  /* nothing half-written stays behind */
  if (x.ds)
    GDALClose (x.ds);
  x.ds = NULL;
out:
  if (x.tmp_dir)
    remove_tree (x.tmp_dir);
  g_free (x.tmp_dir);
  g_free (x.tmp_path);
  g_free (x.field);
  ngam_gdal_errors_pop ();
  if (x.srs)
    OSRDestroySpatialReference (x.srs);
  g_clear_pointer (&x.transform, ngam_transform_free);
  g_clear_pointer (&x.shape, ngam_shape_free);
  g_string_free (x.sink, TRUE);
  return ok;
}
