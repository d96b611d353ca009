/* ngam-route-export.c — writes a path over the street graph to a
 * GeoPackage or GeoJSON file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file is written beside its final name and renamed into place only
 * once GDAL has closed it, so a failed or cancelled write never leaves a
 * half-written file where the user asked for one.  GDAL's messages are
 * caught by the one capture in core/base (ngam-gdal.c) and told with the
 * file's name.
 */
#define G_LOG_DOMAIN "ngam-io"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "ngam-gdal.h"
#include "ngam-route-export.h"
#include "ngam-store.h"

/* "FILE: what failed: what GDAL said" */
static gboolean
write_fail (GError        **error,
            const char     *filename,
            const char     *what,
            const GString  *sink)
{
  g_set_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_WRITE, "%s: %s: %s", filename, what,
               ngam_gdal_errors_reason (sink));
  return FALSE;
}

static OGRGeometryH
shape_to_ogr (const NgamShape *s)
{
  OGRGeometryH line = OGR_G_CreateGeometry (wkbLineString);

  for (guint i = 0; i < s->n_points; i++)
    OGR_G_AddPoint_2D (line, s->xy[2 * i], s->xy[2 * i + 1]);
  return line;
}

static gboolean
add_field (OGRLayerH   layer,
           const char *name,
           OGRFieldType type)
{
  OGRFieldDefnH f = OGR_Fld_Create (name, type);
  OGRErr err = OGR_L_CreateField (layer, f, TRUE);

  OGR_Fld_Destroy (f);
  return err == OGRERR_NONE;
}

static gboolean
write_layers (GDALDatasetH           ds,
              gboolean               with_edges,
              OGRSpatialReferenceH   srs,
              const NgamGraph       *g,
              const NgamPath        *p,
              const double          *costs,
              const char            *filename,
              const GString         *sink,
              GError               **error)
{
  g_autoptr(NgamShape) shape = ngam_path_to_shape (g, p);
  OGRLayerH layer = GDALDatasetCreateLayer (ds, "route", srs, wkbLineString, NULL);

  if (layer == NULL || shape == NULL)
    return write_fail (error, filename, _("cannot create the route layer"), sink);
  if (!add_field (layer, "cost", OFTReal) || !add_field (layer, "length_m", OFTReal) ||
      !add_field (layer, "edges", OFTInteger))
    return write_fail (error, filename, _("cannot create the route layer"), sink);
  {
    g_auto(OGRFeatureH) f = OGR_F_Create (OGR_L_GetLayerDefn (layer));

    OGR_F_SetFieldDouble (f, 0, p->cost);
    OGR_F_SetFieldDouble (f, 1, p->length);
    OGR_F_SetFieldInteger (f, 2, (int) p->edges->len);
    OGR_F_SetGeometryDirectly (f, shape_to_ogr (shape));
    if (OGR_L_CreateFeature (layer, f) != OGRERR_NONE)
      return write_fail (error, filename, _("cannot write the route"), sink);
  }
  if (!with_edges)
    return TRUE;

  /* One feature per street edge, so a planner sees which streets it uses. */
  layer = GDALDatasetCreateLayer (ds, "route_edges", srs, wkbLineString, NULL);
  if (layer == NULL || !add_field (layer, "seq", OFTInteger) || !add_field (layer, "edge", OFTInteger) ||
      !add_field (layer, "street_fid", OFTInteger64) || !add_field (layer, "length_m", OFTReal) ||
      !add_field (layer, "cost", OFTReal) || !add_field (layer, "highway", OFTString) ||
      !add_field (layer, "surface", OFTString))
    return write_fail (error, filename, _("cannot create the route_edges layer"), sink);
  for (guint i = 0; i < p->edges->len; i++)
    {
      guint e = g_array_index (p->edges, guint, i);
      g_autoptr(NgamShape) es = ngam_graph_edge_shape (g, e);
      g_auto(OGRFeatureH) f = OGR_F_Create (OGR_L_GetLayerDefn (layer));

      OGR_F_SetFieldInteger (f, 0, (int) i);
      OGR_F_SetFieldInteger (f, 1, (int) e);
      if (g->edge[e].street_fid >= 0)
        OGR_F_SetFieldInteger64 (f, 2, g->edge[e].street_fid);
      OGR_F_SetFieldDouble (f, 3, g->edge[e].length);
      OGR_F_SetFieldDouble (f, 4, costs ? costs[e] : g->edge[e].length);
      OGR_F_SetFieldString (f, 5, ngam_graph_get_string (g, g->edge[e].highway));
      OGR_F_SetFieldString (f, 6, ngam_graph_get_string (g, g->edge[e].surface));
      if (es)
        OGR_F_SetGeometryDirectly (f, shape_to_ogr (es));
      if (OGR_L_CreateFeature (layer, f) != OGRERR_NONE)
        return write_fail (error, filename, _("cannot write an edge of the route"), sink);
    }
  return TRUE;
}

/* Writes the dataset at @tmp; FALSE with the file's name and GDAL's reason. */
static gboolean
write_file (GDALDriverH      driver,
            const char      *tmp,
            gboolean         with_edges,
            const NgamGraph *g,
            const NgamPath  *p,
            const double    *costs,
            const char      *crs,
            const char      *filename,
            GString         *sink,
            GError         **error)
{
  g_auto(GDALDatasetH) ds = GDALCreate (driver, tmp, 0, 0, 0, GDT_Unknown, NULL);
  g_auto(OGRSpatialReferenceH) srs = NULL;

  if (ds == NULL)
    return write_fail (error, filename, _("cannot create the file"), sink);
  if (crs)
    {
      srs = OSRNewSpatialReference (NULL);
      if (OSRSetFromUserInput (srs, crs) != OGRERR_NONE)
        {
          g_set_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_CRS,
                       _("%s: GDAL does not know the CRS “%s”"), filename, crs);
          return FALSE;
        }
      /* x = easting or longitude, as the graph has them */
      OSRSetAxisMappingStrategy (srs, OAMS_TRADITIONAL_GIS_ORDER);
    }
  if (!write_layers (ds, with_edges, srs, g, p, costs, filename, sink, error))
    return FALSE;
  /* most drivers write when the dataset closes: a failure there is one */
  ngam_gdal_errors_reset (sink);
  GDALClose (g_steal_pointer (&ds));
  if (ngam_gdal_errors_failed ())
    return write_fail (error, filename, _("cannot finish the file"), sink);
  return TRUE;
}

/**
 * ngam_route_export:
 * @costs: (nullable): the edge costs the path was found with
 * @crs: (nullable): the project CRS ("EPSG:9214", WKT, …); %NULL writes
 *   no CRS
 * @filename: a `.gpkg` (layers `route` and `route_edges`) or `.geojson`
 *   (the route alone)
 * @overwrite: whether an existing file at @filename may be replaced (a
 *   Ngầm project never is)
 *
 * The file is written beside @filename and moved into place when complete,
 * so a failure leaves whatever was there before.
 *
 * Returns: FALSE with NGAM_EXPORT_ERROR_EXISTS when @filename exists and
 *   may not be replaced, NGAM_EXPORT_ERROR_FORMAT for a name that is no
 *   GeoPackage or GeoJSON, NGAM_EXPORT_ERROR_CRS for a CRS GDAL does not
 *   know, NGAM_EXPORT_ERROR_WRITE when the file cannot be written; nothing
 *   is left at @filename then.
 */
gboolean
ngam_route_export (const NgamGraph  *g,
                   const NgamPath   *p,
                   const double     *costs,
                   const char       *crs,
                   const char       *filename,
                   gboolean          overwrite,
                   GError          **error)
{
  g_autofree char *tmp = NULL, *dir = NULL, *base = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GString) sink = g_string_new (NULL);
  const char *driver_name;
  gboolean with_edges, ok;
  GDALDriverH driver;

  g_return_val_if_fail (g != NULL && p != NULL && filename != NULL, FALSE);

  if (!ngam_store_check_output (filename, overwrite, &local))
    {
      g_set_error_literal (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_EXISTS, local->message);
      return FALSE;
    }
  if (g_str_has_suffix (filename, ".gpkg") || g_str_has_suffix (filename, ".GPKG"))
    {
      driver_name = "GPKG";
      with_edges = TRUE;
    }
  else if (g_str_has_suffix (filename, ".geojson") || g_str_has_suffix (filename, ".json"))
    {
      driver_name = "GeoJSON";
      with_edges = FALSE;
    }
  else
    {
      g_set_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_FORMAT,
                   _("%s: write the route to a .gpkg or .geojson file"), filename);
      return FALSE;
    }
  if (g->node_xy == NULL)
    {
      g_set_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_WRITE,
                   _("%s: the graph has no coordinates to write"), filename);
      return FALSE;
    }
  ngam_core_init ();
  driver = GDALGetDriverByName (driver_name);
  if (driver == NULL)
    {
      g_set_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_FORMAT,
                   _("%s: this GDAL has no %s driver"), filename, driver_name);
      return FALSE;
    }
  dir = g_path_get_dirname (filename);
  base = g_path_get_basename (filename);
  tmp = g_strdup_printf ("%s/.%s.%u.tmp%s", dir, base, (guint) g_random_int (),
                         with_edges ? ".gpkg" : ".geojson");
  ngam_gdal_errors_push (sink);
  ok = write_file (driver, tmp, with_edges, g, p, costs, crs, filename, sink, error);
  ngam_gdal_errors_pop ();
  if (ok && g_rename (tmp, filename) != 0)
    {
      int e = errno;

      g_set_error (error, NGAM_EXPORT_ERROR, NGAM_EXPORT_ERROR_WRITE,
                   _("%s: cannot move the finished file into place: %s"), filename, g_strerror (e));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (tmp);
  return ok;
}
