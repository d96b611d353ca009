/* ngam-route-write.c — writes a path to a GeoPackage or GeoJSON file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file is written beside its final name and renamed into place only
 * once GDAL has closed it, so a failed or cancelled write never leaves a
 * half-written file where the user asked for one.
 */
#define G_LOG_DOMAIN "ngam-net"

#include "config.h"

#include <cpl_error.h>
#include <errno.h>
#include <gdal.h>
#include <glib/gstdio.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "ngam-route.h"
#include "ngam-store.h"

static void
gdal_close (GDALDatasetH ds)
{
  GDALClose (ds);
}

static gboolean
write_fail (GError **error, const char *filename, const char *what)
{
  const char *msg = CPLGetLastErrorMsg ();

  g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_WRITE, "%s: %s%s%s", filename, what,
               msg && *msg ? ": " : "", msg ? msg : "");
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

static void
add_field (OGRLayerH layer, const char *name, OGRFieldType type)
{
  OGRFieldDefnH f = OGR_Fld_Create (name, type);

  OGR_L_CreateField (layer, f, TRUE);
  OGR_Fld_Destroy (f);
}

static gboolean
write_layers (GDALDatasetH           ds,
              gboolean               with_edges,
              OGRSpatialReferenceH   srs,
              const NgamGraph       *g,
              const NgamPath        *p,
              const double          *costs,
              const char            *filename,
              GError               **error)
{
  g_autoptr(NgamShape) shape = ngam_path_to_shape (g, p);
  OGRLayerH layer = GDALDatasetCreateLayer (ds, "route", srs, wkbLineString, NULL);
  OGRFeatureH f;
  OGRErr err;

  if (layer == NULL || shape == NULL)
    return write_fail (error, filename, "cannot create the route layer");
  add_field (layer, "cost", OFTReal);
  add_field (layer, "length_m", OFTReal);
  add_field (layer, "edges", OFTInteger);
  f = OGR_F_Create (OGR_L_GetLayerDefn (layer));
  OGR_F_SetFieldDouble (f, 0, p->cost);
  OGR_F_SetFieldDouble (f, 1, p->length);
  OGR_F_SetFieldInteger (f, 2, (int) p->edges->len);
  OGR_F_SetGeometryDirectly (f, shape_to_ogr (shape));
  err = OGR_L_CreateFeature (layer, f);
  OGR_F_Destroy (f);
  if (err != OGRERR_NONE)
    return write_fail (error, filename, "cannot write the route");
  if (!with_edges)
    return TRUE;

  /* One feature per street edge, so a planner sees which streets it uses. */
  layer = GDALDatasetCreateLayer (ds, "route_edges", srs, wkbLineString, NULL);
  if (layer == NULL)
    return write_fail (error, filename, "cannot create the route_edges layer");
  add_field (layer, "seq", OFTInteger);
  add_field (layer, "edge", OFTInteger);
  add_field (layer, "street_fid", OFTInteger64);
  add_field (layer, "length_m", OFTReal);
  add_field (layer, "cost", OFTReal);
  add_field (layer, "highway", OFTString);
  add_field (layer, "surface", OFTString);
  for (guint i = 0; i < p->edges->len; i++)
    {
      guint e = g_array_index (p->edges, guint, i);
      g_autoptr(NgamShape) es = ngam_graph_edge_shape (g, e);

      f = OGR_F_Create (OGR_L_GetLayerDefn (layer));
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
      err = OGR_L_CreateFeature (layer, f);
      OGR_F_Destroy (f);
      if (err != OGRERR_NONE)
        return write_fail (error, filename, "cannot write an edge of the route");
    }
  return TRUE;
}

/**
 * ngam_path_write:
 * @costs: (nullable): the edge costs the path was found with
 * @crs: the project CRS ("EPSG:9214", WKT, …)
 * @filename: a `.gpkg` (layers `route` and `route_edges`) or `.geojson`
 *   (the route alone)
 * @overwrite: whether an existing file at @filename may be replaced (a
 *   Ngầm project never is)
 *
 * The file is written beside @filename and moved into place when complete,
 * so a failure leaves whatever was there before.
 *
 * Returns: FALSE with NGAM_NET_ERROR_WRITE when the file cannot be written
 *   or may not be replaced; nothing is left at @filename then.
 */
gboolean
ngam_path_write (const NgamGraph  *g,
                 const NgamPath   *p,
                 const double     *costs,
                 const char       *crs,
                 const char       *filename,
                 gboolean          overwrite,
                 GError          **error)
{
  g_autofree char *tmp = NULL, *dir = NULL, *base = NULL;
  g_autoptr(GError) local = NULL;
  const char *driver_name;
  gboolean with_edges, ok;
  GDALDriverH driver;
  GDALDatasetH ds;
  OGRSpatialReferenceH srs;

  if (!ngam_store_check_output (filename, overwrite, &local))
    {
      g_set_error_literal (error, NGAM_NET_ERROR, NGAM_NET_ERROR_WRITE, local->message);
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
      g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_WRITE,
                   "%s: write the route to a .gpkg or .geojson file", filename);
      return FALSE;
    }
  if (g->node_xy == NULL)
    {
      g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_WRITE,
                   "%s: the graph has no coordinates to write", filename);
      return FALSE;
    }
  driver = GDALGetDriverByName (driver_name);
  if (driver == NULL)
    return write_fail (error, filename, "this GDAL has no driver for the format");
  dir = g_path_get_dirname (filename);
  base = g_path_get_basename (filename);
  tmp = g_strdup_printf ("%s/.%s.%u.tmp%s", dir, base, (guint) g_random_int (),
                         with_edges ? ".gpkg" : ".geojson");
  CPLErrorReset ();
  ds = GDALCreate (driver, tmp, 0, 0, 0, GDT_Unknown, NULL);
  if (ds == NULL)
    return write_fail (error, filename, "cannot create the file");
  srs = OSRNewSpatialReference (NULL);
  OSRSetAxisMappingStrategy (srs, OAMS_TRADITIONAL_GIS_ORDER);
  if (crs == NULL || OSRSetFromUserInput (srs, crs) != OGRERR_NONE)
    {
      OSRDestroySpatialReference (srs);
      srs = NULL;
    }
  ok = write_layers (ds, with_edges, srs, g, p, costs, filename, error);
  if (srs)
    OSRDestroySpatialReference (srs);
  CPLErrorReset ();
  gdal_close (ds);
  if (ok && CPLGetLastErrorType () >= CE_Failure)
    ok = write_fail (error, filename, "cannot finish the file");
  if (ok && g_rename (tmp, filename) != 0)
    {
      g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_WRITE, "%s: cannot move the finished file into place: %s",
                   filename, g_strerror (errno));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (tmp);
  return ok;
}
