/* ngam-import-source.c — opening a source: archives, layers, CRS, encoding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything that can be decided before the first feature is written is
 * decided here, for every source, so that a wrong layer, a missing CRS or
 * an unreadable file fails the import before it has touched the project.
 */
#define G_LOG_DOMAIN "ngam-io"

#include "config.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <string.h>

#include "ngam-encoding.h"
#include "ngam-import-source.h"
#include "ngam-shapefile.h"

/* ---- small VSI helpers ------------------------------------------------ */

static gboolean
vsi_exists (const char *path)
{
  /* VSIStatL's buffer type needs the 64-bit stat API declared; opening
   * is as cheap and works inside archives too. */
  VSILFILE *f = VSIFOpenL (path, "rb");

  if (f == NULL)
    return FALSE;
  VSIFCloseL (f);
  return TRUE;
}

static char *
vsi_read_head (const char *path, gsize max, gsize *len)
{
  VSILFILE *f = VSIFOpenL (path, "rb");
  char *buf;

  *len = 0;
  if (f == NULL)
    return NULL;
  buf = g_malloc0 (max + 1);
  *len = VSIFReadL (buf, 1, max, f);
  VSIFCloseL (f);
  return buf;
}

static gboolean
vsi_copy (const char *from, const char *to)
{
  VSILFILE *in = VSIFOpenL (from, "rb");
  FILE *out;
  char buf[65536];
  size_t n;
  gboolean ok = TRUE;

  if (in == NULL)
    return FALSE;
  out = g_fopen (to, "wb");
  if (out == NULL)
    {
      VSIFCloseL (in);
      return FALSE;
    }
  while ((n = VSIFReadL (buf, 1, sizeof buf, in)) > 0)
    if (fwrite (buf, 1, n, out) != n)
      {
        ok = FALSE;
        break;
      }
  VSIFCloseL (in);
  if (fclose (out) != 0)
    ok = FALSE;
  return ok;
}

static gboolean
has_suffix_ci (const char *s, const char *suffix)
{
  gsize n = strlen (s), m = strlen (suffix);

  return n >= m && g_ascii_strcasecmp (s + n - m, suffix) == 0;
}

/* ---- sources ------------------------------------------------------------ */

void
ngam_import_source_free (NgamImportSource *s)
{
  if (s == NULL)
    return;
  if (s->ds)
    GDALClose (s->ds);
  if (s->tmpdir)
    {
      g_autoptr(GDir) d = g_dir_open (s->tmpdir, 0, NULL);
      const char *n;

      while (d && (n = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *p = g_build_filename (s->tmpdir, n, NULL);

          g_unlink (p);
        }
      g_rmdir (s->tmpdir);
      g_free (s->tmpdir);
    }
  g_free (s->display);
  g_free (s->open_path);
  g_free (s->layer_name);
  g_free (s->crs_definition);
  g_free (s->declared_encoding);
  g_free (s->declared_by);
  ngam_transform_free (s->transform);
  ngam_crs_free (s->crs);
  ngam_decoder_free (s->decoder);
  g_free (s);
}

/* Files an archive may hold that GDAL opens as vector data. */
static gboolean
openable_member (const char *name)
{
  static const char *exts[] = { ".shp", ".gpkg", ".geojson", ".json", ".kml", ".csv", ".gml", ".osm", ".pbf", ".sqlite" };

  for (guint i = 0; i < G_N_ELEMENTS (exts); i++)
    if (has_suffix_ci (name, exts[i]))
      return TRUE;
  return FALSE;
}

static char **
csv_default_options (void)
{
  char **o = NULL;

  /* "CSV with WKT or lon/lat columns": let GDAL find them by name. */
  o = CSLAddString (o, "X_POSSIBLE_NAMES=lon,long,longitude,lng,x,kinh_do,kinhdo");
  o = CSLAddString (o, "Y_POSSIBLE_NAMES=lat,latitude,y,vi_do,vido");
  o = CSLAddString (o, "GEOM_POSSIBLE_NAMES=wkt,geom,geometry,the_geom,wkt_geom");
  o = CSLAddString (o, "KEEP_GEOM_COLUMNS=NO");
  return o;
}

/* Opens @path; for a shapefile without its .shx, opens a temporary copy in
 * which GDAL may rebuild it (never writing beside the user's file). */
static GDALDatasetH
open_dataset (const char       *path,
              const char *const *profile_options,
              char            **tmpdir,
              NgamImportSourceReport *report,
              GString          *gdal_msg)
{
  char **options = NULL;
  GDALDatasetH ds;
  g_autofree char *shx = NULL;

  for (guint i = 0; profile_options && profile_options[i]; i++)
    options = CSLAddString (options, profile_options[i]);
  /* Raw bytes from .dbf files: Ngầm decodes them itself. */
  options = CSLAddString (options, "ENCODING=");
  if (has_suffix_ci (path, ".csv"))
    {
      char **csv = csv_default_options ();

      for (guint i = 0; csv[i]; i++)
        {
          g_autofree char *name = g_strndup (csv[i], strchr (csv[i], '=') - csv[i]);

          if (CSLFetchNameValue (options, name) == NULL)
            options = CSLAddString (options, csv[i]);
        }
      CSLDestroy (csv);
    }
  ngam_gdal_errors_push (gdal_msg);
  ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, (const char *const *) options, NULL);
  ngam_gdal_errors_pop ();

  if (ds == NULL && has_suffix_ci (path, ".shp") && (shx = ngam_shp_sibling (path, "shx")) == NULL && vsi_exists (path))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("ngam-import-XXXXXX", &error);
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *copy = NULL;
      static const char *parts[] = { "dbf", "prj", "cpg" };

      if (dir)
        {
          copy = g_build_filename (dir, base, NULL);
          if (vsi_copy (path, copy))
            {
              for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
                {
                  g_autofree char *src = ngam_shp_sibling (path, parts[i]);
                  g_autofree char *dst = NULL;
                  g_autofree char *stem = g_strndup (copy, strlen (copy) - 4);

                  if (src == NULL)
                    continue;
                  dst = g_strconcat (stem, ".", parts[i], NULL);
                  vsi_copy (src, dst);
                }
              CPLSetThreadLocalConfigOption ("SHAPE_RESTORE_SHX", "YES");
              ngam_gdal_errors_push (gdal_msg);
              ds = GDALOpenEx (copy, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, (const char *const *) options, NULL);
              ngam_gdal_errors_pop ();
              CPLSetThreadLocalConfigOption ("SHAPE_RESTORE_SHX", NULL);
            }
          if (ds)
            {
              ngam_import_warn (report, NGAM_IMPORT_OPTION_NONE, g_strdup ("the .shx index is missing: rebuilt it from the .shp in a temporary copy"));
              *tmpdir = g_steal_pointer (&dir);
            }
          else
            {
              g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
              const char *n;

              while (d && (n = g_dir_read_name (d)) != NULL)
                {
                  g_autofree char *p = g_build_filename (dir, n, NULL);

                  g_unlink (p);
                }
              g_rmdir (dir);
            }
        }
    }
  CSLDestroy (options);
  return ds;
}

/* ---- choosing a layer ------------------------------------------------- */

typedef enum { FIT_NO, FIT_MAYBE, FIT_YES } Fit;

static Fit
layer_fits (NgamLayerKind kind, OGRwkbGeometryType t)
{
  NgamShapeType want = ngam_layer_info (kind)->shape;

  t = wkbFlatten (t);
  if (t == wkbUnknown || t == wkbGeometryCollection)
    return FIT_MAYBE;
  switch (want)
    {
    case NGAM_SHAPE_POINT:
      if (t == wkbPoint || t == wkbMultiPoint)
        return FIT_YES;
      if ((kind == NGAM_LAYER_DEMAND || kind == NGAM_LAYER_SITES) &&
          (t == wkbPolygon || t == wkbMultiPolygon || t == wkbCurvePolygon || t == wkbMultiSurface))
        return FIT_YES;
      return FIT_NO;
    case NGAM_SHAPE_LINESTRING:
      return t == wkbLineString || t == wkbMultiLineString || t == wkbCircularString ||
             t == wkbCompoundCurve || t == wkbMultiCurve ? FIT_YES : FIT_NO;
    case NGAM_SHAPE_MULTIPOLYGON:
    default:
      return t == wkbPolygon || t == wkbMultiPolygon || t == wkbCurvePolygon ||
             t == wkbMultiSurface ? FIT_YES : FIT_NO;
    }
}

static const char *
kind_needs (NgamLayerKind kind)
{
  switch (ngam_layer_info (kind)->shape)
    {
    case NGAM_SHAPE_POINT:
      return kind == NGAM_LAYER_DEMAND || kind == NGAM_LAYER_SITES ? "points (or polygons)" : "points";
    case NGAM_SHAPE_LINESTRING: return "lines";
    default: return "polygons";
    }
}

typedef struct
{
  char        *open_path;
  char        *display;
  char        *tmpdir;
  GDALDatasetH ds;
  int          index;
} Candidate;

static void
candidate_clear (gpointer data)
{
  Candidate *c = data;

  g_free (c->open_path);
  g_free (c->display);
  g_free (c->tmpdir);
}

/* ---- CRS ---------------------------------------------------------------- */

/* EPSG:6960, VN-2000 → WGS 84, as EPSG publishes it (coordinate frame). */
static const double vn2000_cf[7] = { -191.90441429, -39.30318279, -111.45032835,
                                     -0.00928836, 0.01975479, -0.00427372, 0.252906278 };

/* A .prj's TOWGS84 is position-vector: the rotations must carry the
 * opposite signs of EPSG's coordinate-frame ones.  Hand-written VN-2000
 * .prj files often copy EPSG's signs, a shift of about half a metre. */
static gboolean
vn2000_rotation_signs_flipped (OGRSpatialReferenceH srs, double p[7])
{
  if (OSRGetTOWGS84 (srs, p, 7) != OGRERR_NONE)
    return FALSE;
  for (int i = 0; i < 3; i++)
    if (fabs (p[i] - vn2000_cf[i]) > 0.5)
      return FALSE;
  for (int i = 3; i < 6; i++)
    if (fabs (p[i] - vn2000_cf[i]) > 2e-4)
      return FALSE;
  return TRUE;
}

static char *
suggest_crs (OGRLayerH layer)
{
  OGREnvelope e;

  if (OGR_L_GetExtent (layer, &e, TRUE) != OGRERR_NONE)
    return g_strdup (_("the layer has no extent to guess from"));
  if (e.MinX >= -180 && e.MaxX <= 180 && e.MinY >= -90 && e.MaxY <= 90)
    return g_strdup_printf (_("its coordinates (x %.4g…%.4g, y %.4g…%.4g) look like longitude/latitude: "
                              "try EPSG:4326 (WGS 84) or EPSG:4756 (VN-2000)"), e.MinX, e.MaxX, e.MinY, e.MaxY);
  if (e.MinX >= 100000 && e.MaxX <= 900000 && e.MinY >= 800000 && e.MaxY <= 2700000)
    {
      if (e.MinX >= 330000 && e.MaxX <= 670000)
        return g_strdup_printf (_("its coordinates (x %.0f…%.0f, y %.0f…%.0f) look like metres in Vietnam: "
                                  "a VN-2000 TM-3 zone (for Huế EPSG:9214) or UTM (VN-2000 48N EPSG:3405, "
                                  "49N EPSG:3406)"),
                                e.MinX, e.MaxX, e.MinY, e.MaxY);
      return g_strdup_printf (_("its coordinates (x %.0f…%.0f, y %.0f…%.0f) look like UTM metres in Vietnam: "
                                "try EPSG:3405 (VN-2000 / UTM 48N), EPSG:3406 (49N) or EPSG:32648/32649 "
                                "(WGS 84)"),
                              e.MinX, e.MaxX, e.MinY, e.MaxY);
    }
  return g_strdup_printf (_("its coordinates (x %.6g…%.6g, y %.6g…%.6g) fit no common Vietnamese CRS"),
                          e.MinX, e.MaxX, e.MinY, e.MaxY);
}

/* Where coordinates in @srs can plausibly be: its area of use (a generous
 * margin around it), in its own axis units. */
static void
plausible_box (OGRSpatialReferenceH srs, double box[4])
{
  double w, s, e, n;
  const char *area = NULL;
  gboolean geographic = OSRIsGeographic (srs);

  box[0] = box[1] = -INFINITY;
  box[2] = box[3] = INFINITY;
  if (geographic)
    {
      box[0] = -180.0 - 1e-6;
      box[1] = -90.0 - 1e-6;
      box[2] = 180.0 + 1e-6;
      box[3] = 90.0 + 1e-6;
      return;
    }
  if (OSRGetAreaOfUse (srs, &w, &s, &e, &n, &area) && w > -1000)
    {
      /* The area of use is in WGS 84 degrees; reading them as degrees of
       * the CRS's own datum is off by metres, nothing beside the margin,
       * and spares PROJ a search for a datum transformation (a tenth of a
       * second per source). */
      OGRSpatialReferenceH wgs = OSRCloneGeogCS (srs);
      OGRCoordinateTransformationH ct;
      double minx, miny, maxx, maxy;

      if (wgs == NULL)
        return;
      OSRSetAxisMappingStrategy (wgs, OAMS_TRADITIONAL_GIS_ORDER);
      /* Widen by a third of the area on each side (at least 1°): files
       * stray over province borders, never by whole countries. */
      {
        double mx = MAX ((e - w) / 3, 1.0), my = MAX ((n - s) / 3, 1.0);

        w = MAX (w - mx, -180); e = MIN (e + mx, 180);
        s = MAX (s - my, -85); n = MIN (n + my, 85);
      }
      ct = OCTNewCoordinateTransformation (wgs, srs);
      if (ct && e > w && OCTTransformBounds (ct, w, s, e, n, &minx, &miny, &maxx, &maxy, 21))
        {
          box[0] = minx;
          box[1] = miny;
          box[2] = maxx;
          box[3] = maxy;
        }
      if (ct)
        OCTDestroyCoordinateTransformation (ct);
      OSRDestroySpatialReference (wgs);
    }
}

static gboolean
setup_crs (NgamImportSource         *s,
           const NgamImportOptions  *opt,
           const NgamProfile        *profile,
           const NgamCrs            *project_crs,
           GError                  **error)
{
  OGRSpatialReferenceH layer_srs = OGR_L_GetSpatialRef (s->layer);
  OGRSpatialReferenceH srs = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *from = NULL;
  double p[7];

  if (opt->crs)
    {
      srs = OSRNewSpatialReference (NULL);
      if (OSRSetFromUserInput (srs, opt->crs) != OGRERR_NONE)
        {
          OSRDestroySpatialReference (srs);
          g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_CRS,
                       _("the CRS given for the import, “%s”, is not a coordinate system GDAL knows"), opt->crs);
          return FALSE;
        }
      from = g_strdup (_("the CRS given for the import"));
      if (layer_srs && !OSRIsSame (layer_srs, srs))
        ngam_import_warn (s->report, NGAM_IMPORT_OPTION_NONE,
                          g_strdup_printf (_("the source says %s; the CRS given for the import, %s, overrides it"),
                                           OSRGetName (layer_srs), opt->crs));
    }
  else if (layer_srs)
    {
      srs = OSRClone (layer_srs);
      from = g_strdup (has_suffix_ci (s->open_path, ".shp") ? "the .prj" : "the source");
    }
  else if (profile && profile->crs)
    {
      srs = OSRNewSpatialReference (NULL);
      OSRSetFromUserInput (srs, profile->crs);
      from = g_strdup_printf ("the profile %s", profile->name);
    }
  else
    {
      g_autofree char *hint = suggest_crs (s->layer);
      g_autofree char *prj = has_suffix_ci (s->open_path, ".shp") ? ngam_shp_sibling (s->open_path, "prj") : NULL;

      /* a .prj GDAL cannot read (an HTML page saved under its name) is no
       * missing .prj: say which */
      g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_NO_CRS,
                   _("%s has no coordinate system (%s); Ngầm will not guess one silently: give one for "
                     "the source (an EPSG code such as EPSG:9214) or `crs = EPSG:N` in the profile. Hint: %s"),
                   s->display,
                   prj ? _("its .prj could not be read as a coordinate system")
                       : has_suffix_ci (s->open_path, ".shp") ? _("no .prj file") : _("none in the file"), hint);
      return FALSE;
    }
  OSRSetAxisMappingStrategy (srs, OAMS_TRADITIONAL_GIS_ORDER);

  if (vn2000_rotation_signs_flipped (srs, p))
    {
      ngam_import_warn (s->report, NGAM_IMPORT_OPTION_NONE,
                        g_strdup_printf ("the TOWGS84 of %s carries EPSG:6960's VN-2000 rotations with the coordinate-frame "
                                        "signs (%.8f, %.8f, %.8f); TOWGS84 is position-vector, so as written it shifts "
                                        "points by about half a metre against WGS 84: the signs were flipped",
                                        from, p[3], p[4], p[5]));
      OSRSetTOWGS84 (srs, p[0], p[1], p[2], -p[3], -p[4], -p[5], p[6]);
    }

  plausible_box (srs, s->plausible);
  {
    const char *opts[] = { "FORMAT=WKT2_2019", "MULTILINE=NO", NULL };
    char *wkt = NULL;

    if (OSRExportToWktEx (srs, &wkt, opts) != OGRERR_NONE || wkt == NULL)
      {
        CPLFree (wkt);
        OSRDestroySpatialReference (srs);
        g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_CRS, "%s: cannot read its coordinate system", s->display);
        return FALSE;
      }
    s->crs_definition = g_strdup (opt->crs ? opt->crs : wkt);
    CPLFree (wkt);
  }
  s->crs = ngam_crs_new (s->crs_definition, &local);
  if (s->crs == NULL)
    {
      g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_CRS, "%s: %s", s->display, local->message);
      OSRDestroySpatialReference (srs);
      return FALSE;
    }
  s->transform = ngam_transform_new (s->crs, project_crs, &local);
  if (s->transform == NULL)
    {
      g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_CRS, "%s: %s", s->display, local->message);
      OSRDestroySpatialReference (srs);
      return FALSE;
    }
  {
    int epsg = ngam_crs_get_epsg (s->crs);

    s->report->crs = epsg > 0 ? g_strdup_printf ("EPSG:%d %s (from %s)", epsg, ngam_crs_get_name (s->crs), from)
                              : g_strdup_printf ("%s (from %s)", ngam_crs_get_name (s->crs), from);
  }
  OSRDestroySpatialReference (srs);
  return TRUE;
}

/* ---- encoding ------------------------------------------------------------ */

static void
read_declared_encoding (NgamImportSource *s)
{
  g_autofree char *cpg = NULL;
  g_autofree char *dbf = NULL;

  if (!has_suffix_ci (s->open_path, ".shp") && !has_suffix_ci (s->open_path, ".dbf"))
    return;
  if ((cpg = ngam_shp_sibling (s->open_path, "cpg")) != NULL)
    {
      gsize len;
      g_autofree char *text = vsi_read_head (cpg, 256, &len);
      g_autofree char *enc = text ? ngam_encoding_from_cpg (text) : NULL;

      if (enc)
        {
          s->declared_encoding = g_steal_pointer (&enc);
          s->declared_by = g_strdup ("the .cpg");
          return;
        }
      ngam_import_warn (s->report, NGAM_IMPORT_OPTION_NONE, g_strdup ("the .cpg file does not hold a code page name (is it an HTML page?): ignored"));
    }
  if ((dbf = ngam_shp_sibling (s->open_path, "dbf")) != NULL)
    {
      gsize len;
      g_autofree char *head = vsi_read_head (dbf, 32, &len);
      const char *enc = len >= 30 ? ngam_encoding_from_ldid ((guint8) head[29]) : NULL;

      if (enc)
        {
          s->declared_encoding = g_strdup (enc);
          s->declared_by = g_strdup_printf ("the .dbf language id 0x%02x", (guint8) head[29]);
        }
    }
}

static gboolean
setup_encoding (NgamImportSource         *s,
                const NgamImportOptions  *opt,
                const NgamProfile        *profile,
                GError                  **error)
{
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn (s->layer);
  int n = OGR_FD_GetFieldCount (defn);
  g_autoptr(GError) local = NULL;
  const char *forced = opt->encoding ? opt->encoding : profile ? profile->encoding : NULL;
  const char *why = opt->encoding ? _("as asked for the import") : _("as the profile says");
  gboolean utf8_format = OGR_L_TestCapability (s->layer, OLCStringsAsUTF8) &&
                         g_ascii_strcasecmp (s->report->driver, "CSV") != 0;

  if (forced)
    {
      s->decoder = ngam_decoder_new (forced, &local);
      if (s->decoder == NULL)
        {
          g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_INVALID, "%s", local->message);
          return FALSE;
        }
      s->report->encoding = g_strdup (ngam_decoder_get_name (s->decoder));
      s->report->encoding_confidence = 1.0;
      s->report->encoding_reason = g_strdup (why);
      return TRUE;
    }
  if (utf8_format)
    {
      s->decoder = ngam_decoder_new ("UTF-8", NULL);
      s->report->encoding = g_strdup ("UTF-8");
      s->report->encoding_confidence = 1.0;
      s->report->encoding_reason = g_strdup_printf ("%s text is UTF-8 by definition", s->report->driver);
      return TRUE;
    }

  read_declared_encoding (s);
  {
    g_autoptr(NgamEncodingDetector) det = ngam_encoding_detector_new ();
    NgamEncodingGuess guess;
    OGRFeatureH f;
    guint read = 0;

    for (int i = 0; i < n; i++)
      ngam_encoding_detector_add (det, OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i)), -1);
    OGR_L_ResetReading (s->layer);
    while (read < 5000 && (f = OGR_L_GetNextFeature (s->layer)) != NULL)
      {
        for (int i = 0; i < n; i++)
          if (OGR_Fld_GetType (OGR_FD_GetFieldDefn (defn, i)) == OFTString && OGR_F_IsFieldSetAndNotNull (f, i))
            ngam_encoding_detector_add (det, OGR_F_GetFieldAsString (f, i), -1);
        OGR_F_Destroy (f);
        read++;
      }
    OGR_L_ResetReading (s->layer);
    ngam_encoding_detector_guess (det, s->declared_encoding, s->declared_by, &guess);
    s->decoder = ngam_decoder_new (guess.name, NULL);
    if (s->decoder == NULL)
      s->decoder = ngam_decoder_new ("CP1252", NULL);
    s->report->encoding = g_strdup (ngam_decoder_get_name (s->decoder));
    s->report->encoding_confidence = guess.confidence;
    s->report->encoding_reason = g_strdup (guess.reason);
    if (guess.confidence < 0.5)
      ngam_import_warn (s->report, NGAM_IMPORT_OPTION_ENCODING,
                        g_strdup_printf (_("the text encoding is uncertain (%s, %.0f%%): check a few names, "
                                           "and give the encoding for the import if they are wrong"),
                                         guess.name, 100 * guess.confidence));
    ngam_encoding_guess_clear (&guess);
  }
  return TRUE;
}

/* ---- opening -------------------------------------------------------------- */

static gboolean
expand (const char  *path,
        GArray      *candidates,
        GError     **error)
{
  Candidate c = { 0 };

  if (has_suffix_ci (path, ".zip") && !g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *root = g_strconcat ("/vsizip/", path, NULL);
      char **entries;
      guint found = 0;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_OPEN, "%s: no such file", path);
          return FALSE;
        }
      entries = VSIReadDirRecursive (root);
      if (entries == NULL)
        {
          g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_OPEN,
                       "%s is not a zip archive GDAL can read (damaged, or not a zip at all)", path);
          return FALSE;
        }
      for (guint i = 0; entries[i]; i++)
        if (openable_member (entries[i]))
          {
            Candidate m = { 0 };

            m.open_path = g_strconcat (root, "/", entries[i], NULL);
            m.display = g_strconcat (path, "/", entries[i], NULL);
            g_array_append_val (candidates, m);
            found++;
          }
      CSLDestroy (entries);
      if (found > 0)
        return TRUE;
      /* No shapefile inside: let GDAL try the archive itself (a lone .dbf
       * opens as an attribute table and is refused later for that). */
      c.open_path = g_steal_pointer (&root);
      c.display = g_strdup (path);
      g_array_append_val (candidates, c);
      return TRUE;
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_OPEN, "%s: no such file or folder", path);
      return FALSE;
    }
  c.open_path = g_strdup (path);
  c.display = g_strdup (path);
  g_array_append_val (candidates, c);
  return TRUE;
}

static char *
open_failure (const char *display, const char *open_path, const GString *msg)
{
  if (has_suffix_ci (open_path, ".shp"))
    {
      g_autofree char *shx = ngam_shp_sibling (open_path, "shx");

      if (shx == NULL && msg->len && strstr (msg->str, ".shx"))
        return g_strdup_printf ("%s has no .shx index and the .shp cannot be read to rebuild it (%s)", display, msg->str);
    }
  if (msg->len)
    return g_strdup_printf ("cannot open %s: %s", display, msg->str);
  return g_strdup_printf ("cannot open %s: not a file GDAL reads as vector data "
                          "(damaged, or of another kind)", display);
}

/**
 * ngam_import_source_open:
 * @path: a file, folder or .zip
 *
 * Opens the source and picks its layer, CRS and text encoding.
 *
 * Returns: (transfer full): the source, or %NULL with @error naming it.
 */
NgamImportSource *
ngam_import_source_open (const char               *path,
                         const NgamImportOptions  *opt,
                         const NgamProfile        *profile,
                         const NgamCrs            *project_crs,
                         NgamImportSourceReport   *report,
                         GError                  **error)
{
  g_autoptr(GArray) candidates = g_array_new (FALSE, TRUE, sizeof (Candidate));
  g_autoptr(GString) msg = g_string_new (NULL);
  g_autoptr(GString) listing = g_string_new (NULL);
  const char *want = opt->layer ? opt->layer : profile ? profile->layer : NULL;
  g_autoptr(NgamImportSource) s = g_new0 (NgamImportSource, 1);
  Candidate *chosen = NULL, *first_fail = NULL;
  int chosen_layer = -1;
  guint chosen_rank = G_MAXUINT;
  guint n_layers = 0, n_yes = 0, n_maybe = 0;
  Candidate *yes_c = NULL, *maybe_c = NULL;
  int yes_l = -1, maybe_l = -1;
  g_autofree char *fail_msg = NULL;

  g_array_set_clear_func (candidates, candidate_clear);
  s->report = report;
  if (!expand (path, candidates, error))
    return NULL;

  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *c = &g_array_index (candidates, Candidate, i);

      c->ds = open_dataset (c->open_path, profile ? (const char *const *) profile->open_options : NULL,
                            &c->tmpdir, report, msg);
      if (c->ds == NULL)
        {
          if (first_fail == NULL)
            {
              first_fail = c;
              fail_msg = open_failure (c->display, c->open_path, msg);
            }
          continue;
        }
      for (int l = 0; l < GDALDatasetGetLayerCount (c->ds); l++)
        {
          OGRLayerH layer = GDALDatasetGetLayer (c->ds, l);
          const char *name = OGR_L_GetName (layer);
          OGRwkbGeometryType gt = OGR_L_GetGeomType (layer);
          Fit fit = layer_fits (opt->kind, gt);

          n_layers++;
          g_string_append_printf (listing, "%s%s (%s)", listing->len ? ", " : "", name,
                                  gt == wkbNone ? "no geometry" : OGRGeometryTypeToName (gt));
          if (want)
            {
              /* A profile may name alternatives, first present wins
               * ("roads;lines": a GeoPackage export or an .osm.pbf). */
              g_auto(GStrv) alts = g_strsplit (want, ";", -1);

              for (guint a = 0; alts[a]; a++)
                if (g_ascii_strcasecmp (g_strstrip (alts[a]), name) == 0 && (chosen == NULL || a < chosen_rank))
                  {
                    chosen = c;
                    chosen_layer = l;
                    chosen_rank = a;
                  }
              continue;
            }
          if (fit == FIT_YES && n_yes++ == 0)
            {
              yes_c = c;
              yes_l = l;
            }
          else if (fit == FIT_MAYBE && n_maybe++ == 0)
            {
              maybe_c = c;
              maybe_l = l;
            }
        }
    }

  if (n_layers == 0)
    {
      if (fail_msg)
        g_set_error_literal (error, NGAM_IO_ERROR, NGAM_IO_ERROR_OPEN, fail_msg);
      else
        g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_LAYER, "%s holds no layer to import (an empty archive?)", path);
      return NULL;
    }
  if (want && chosen == NULL)
    {
      g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_LAYER, "%s has no layer “%s”; its layers: %s",
                   path, want, listing->str);
      return NULL;
    }
  if (chosen == NULL)
    {
      if (n_yes == 1)
        {
          chosen = yes_c;
          chosen_layer = yes_l;
        }
      else if (n_yes == 0 && n_maybe == 1)
        {
          chosen = maybe_c;
          chosen_layer = maybe_l;
        }
      else if (n_yes + n_maybe == 0)
        {
          g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_GEOMETRY_TYPE,
                       "%s: %s need %s, but its layers hold %s", path, ngam_layer_info (opt->kind)->name,
                       kind_needs (opt->kind), listing->str);
          return NULL;
        }
      else
        {
          g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_SEVERAL_LAYERS,
                       _("%s has several layers that could be %s: %s; choose the one to import"),
                       path, ngam_layer_info (opt->kind)->name, listing->str);
          return NULL;
        }
      if (n_layers > 1)
        ngam_import_warn (report, NGAM_IMPORT_OPTION_NONE, g_strdup_printf ("chose layer %s, the only one with %s (layers: %s)",
                                          OGR_L_GetName (GDALDatasetGetLayer (chosen->ds, chosen_layer)),
                                          kind_needs (opt->kind), listing->str));
    }
  else if (layer_fits (opt->kind, OGR_L_GetGeomType (GDALDatasetGetLayer (chosen->ds, chosen_layer))) == FIT_NO)
    {
      OGRwkbGeometryType gt = OGR_L_GetGeomType (GDALDatasetGetLayer (chosen->ds, chosen_layer));

      g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_GEOMETRY_TYPE,
                   "%s, layer %s holds %s; %s need %s", path, want,
                   gt == wkbNone ? "no geometry" : OGRGeometryTypeToName (gt),
                   ngam_layer_info (opt->kind)->name, kind_needs (opt->kind));
      return NULL;
    }

  /* Keep the chosen dataset, close the others. */
  s->ds = chosen->ds;
  chosen->ds = NULL;
  s->tmpdir = g_steal_pointer (&chosen->tmpdir);
  s->open_path = g_strdup (chosen->open_path);
  s->display = g_strdup (chosen->display);
  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *c = &g_array_index (candidates, Candidate, i);

      if (c->ds)
        GDALClose (c->ds);
      c->ds = NULL;
      if (c->tmpdir)
        {
          g_autoptr(GDir) d = g_dir_open (c->tmpdir, 0, NULL);
          const char *n;

          while (d && (n = g_dir_read_name (d)) != NULL)
            {
              g_autofree char *p = g_build_filename (c->tmpdir, n, NULL);

              g_unlink (p);
            }
          g_rmdir (c->tmpdir);
        }
    }
  s->layer = GDALDatasetGetLayer (s->ds, chosen_layer);
  s->layer_name = g_strdup (OGR_L_GetName (s->layer));
  g_free (report->path);
  report->path = g_strdup (s->display);
  report->layer = g_strdup (s->layer_name);
  report->driver = g_strdup (GDALGetDriverShortName (GDALGetDatasetDriver (s->ds)));
  if (OGR_L_GetGeomType (s->layer) == wkbNone)
    {
      g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_GEOMETRY_TYPE,
                   "%s, layer %s has no geometry (a table without shapes: is the .shp missing?)",
                   s->display, s->layer_name);
      return NULL;
    }
  s->n_features = OGR_L_GetFeatureCount (s->layer, FALSE);
  if (!setup_crs (s, opt, profile, project_crs, error) || !setup_encoding (s, opt, profile, error))
    return NULL;
  return g_steal_pointer (&s);
}
