/* net-test-util.c — helpers of the network engine's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <string.h>

#include "net-test-util.h"
#include "ngam-test-util.h"

static void
add_shape_from_wkt (NgamFeature *f, const char *wkt)
{
  g_autoptr(GError) error = NULL;
  GEOSGeometry *g = ngam_geos_from_wkt (wkt, &error);

  g_assert_no_error (error);
  g_assert_true (ngam_shape_from_geos (f->shape, g, &error));
  g_assert_no_error (error);
  ngam_geos_free (g);
}

/* A project in UTM 48N holding the given streets and zones. */
NgamStore *
net_test_project (const char          *path,
                  const NetTestStreet *streets,
                  guint                n_streets,
                  const NetTestZone   *zones,
                  guint                n_zones)
{
  g_autoptr(GError) error = NULL;
  NgamStore *store = ngam_store_create (path, "EPSG:32648", &error);
  g_autoptr(NgamStoreWriter) w = NULL;

  g_assert_no_error (error);
  g_assert_true (ngam_store_begin (store, &error));
  w = ngam_store_writer_new (store, NGAM_LAYER_STREETS, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n_streets; i++)
    {
      g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_STREETS);

      add_shape_from_wkt (f, streets[i].wkt);
      if (streets[i].bridge >= 0)
        ngam_feature_set_bool (f, ngam_layer_field_index (NGAM_LAYER_STREETS, "bridge"), streets[i].bridge);
      if (streets[i].tunnel >= 0)
        ngam_feature_set_bool (f, ngam_layer_field_index (NGAM_LAYER_STREETS, "tunnel"), streets[i].tunnel);
      if (streets[i].layer != -1)
        ngam_feature_set_int (f, ngam_layer_field_index (NGAM_LAYER_STREETS, "layer"), streets[i].layer);
      ngam_feature_set_text (f, ngam_layer_field_index (NGAM_LAYER_STREETS, "highway"), "residential");
      ngam_feature_set_text (f, ngam_layer_field_index (NGAM_LAYER_STREETS, "surface"), "asphalt");
      ngam_feature_set_real (f, ngam_layer_field_index (NGAM_LAYER_STREETS, "width_m"), 6.5);
      g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_clear_pointer (&w, ngam_store_writer_free);
  if (n_zones > 0)
    {
      w = ngam_store_writer_new (store, NGAM_LAYER_ZONES, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < n_zones; i++)
        {
          g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_ZONES);

          add_shape_from_wkt (f, zones[i].wkt);
          ngam_feature_set_text (f, ngam_layer_field_index (NGAM_LAYER_ZONES, "zone_type"), zones[i].type);
          g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
          g_assert_no_error (error);
        }
      g_assert_true (ngam_store_writer_finish (w, &error));
    }
  g_assert_true (ngam_store_commit (store, &error));
  g_assert_no_error (error);
  return store;
}

/* The value of key @key in an OSM hstore text ("k"=>"v",…), or NULL. */
static char *
hstore_get (const char *tags, const char *key)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\"=>\"", key);
  const char *p, *end;

  if (tags == NULL || (p = strstr (tags, needle)) == NULL)
    return NULL;
  p += strlen (needle);
  end = strchr (p, '"');
  return end ? g_strndup (p, end - p) : NULL;
}

/* Loads the shared Hà Nội roads (OGR, layer `roads`, EPSG:4326) into a new
 * project in UTM 48N: highway and name as they are; bridge, tunnel, layer
 * and surface from the OSM tags.  The import pipeline is not used on
 * purpose: this test must not depend on it. */
char *
net_test_hanoi_project (const char *dir)
{
  g_autofree char *src = ngam_test_shared_path ("osm/hanoi_center_roads.gpkg");
  char *path = g_build_filename (dir, "hanoi.ngam", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = ngam_store_create (path, "EPSG:32648", &error);
  g_autoptr(NgamCrs) wgs = ngam_crs_new_epsg (4326, &error);
  g_autoptr(NgamCrs) utm = ngam_crs_new_epsg (32648, &error);
  g_autoptr(NgamTransform) tr = ngam_transform_new (wgs, utm, &error);
  g_autoptr(NgamStoreWriter) w = NULL;
  const int f_name = ngam_layer_field_index (NGAM_LAYER_STREETS, "name");
  const int f_highway = ngam_layer_field_index (NGAM_LAYER_STREETS, "highway");
  const int f_surface = ngam_layer_field_index (NGAM_LAYER_STREETS, "surface");
  const int f_bridge = ngam_layer_field_index (NGAM_LAYER_STREETS, "bridge");
  const int f_tunnel = ngam_layer_field_index (NGAM_LAYER_STREETS, "tunnel");
  const int f_layer = ngam_layer_field_index (NGAM_LAYER_STREETS, "layer");
  GDALDatasetH ds;
  OGRLayerH layer;
  OGRFeatureH of;
  int i_name, i_highway, i_tags;

  g_assert_no_error (error);
  ds = GDALOpenEx (src, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  g_assert_nonnull (ds);
  layer = GDALDatasetGetLayerByName (ds, "roads");
  g_assert_nonnull (layer);
  i_name = OGR_FD_GetFieldIndex (OGR_L_GetLayerDefn (layer), "name");
  i_highway = OGR_FD_GetFieldIndex (OGR_L_GetLayerDefn (layer), "highway");
  i_tags = OGR_FD_GetFieldIndex (OGR_L_GetLayerDefn (layer), "other_tags");
  g_assert_cmpint (i_highway, >=, 0);
  g_assert_true (ngam_store_begin (store, &error));
  w = ngam_store_writer_new (store, NGAM_LAYER_STREETS, &error);
  g_assert_no_error (error);
  OGR_L_ResetReading (layer);
  while ((of = OGR_L_GetNextFeature (layer)) != NULL)
    {
      g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_STREETS);
      OGRGeometryH geom = OGR_F_GetGeometryRef (of);
      const char *tags = i_tags >= 0 && OGR_F_IsFieldSetAndNotNull (of, i_tags) ? OGR_F_GetFieldAsString (of, i_tags) : NULL;
      g_autofree char *bridge = hstore_get (tags, "bridge");
      g_autofree char *tunnel = hstore_get (tags, "tunnel");
      g_autofree char *lay = hstore_get (tags, "layer");
      g_autofree char *surface = hstore_get (tags, "surface");
      int n;

      if (geom == NULL || wkbFlatten (OGR_G_GetGeometryType (geom)) != wkbLineString)
        {
          OGR_F_Destroy (of);
          continue;
        }
      n = OGR_G_GetPointCount (geom);
      ngam_shape_begin (f->shape, NGAM_SHAPE_LINESTRING);
      ngam_shape_new_part (f->shape);
      for (int i = 0; i < n; i++)
        ngam_shape_add_point (f->shape, OGR_G_GetX (geom, i), OGR_G_GetY (geom, i));
      ngam_shape_finish (f->shape);
      g_assert_true (ngam_transform_points (tr, f->shape->xy, f->shape->n_points, &error));
      g_assert_no_error (error);
      ngam_shape_finish (f->shape);
      f->source_fid = OGR_F_GetFID (of);
      if (i_name >= 0 && OGR_F_IsFieldSetAndNotNull (of, i_name))
        ngam_feature_set_text (f, f_name, OGR_F_GetFieldAsString (of, i_name));
      if (OGR_F_IsFieldSetAndNotNull (of, i_highway))
        ngam_feature_set_text (f, f_highway, OGR_F_GetFieldAsString (of, i_highway));
      if (surface)
        ngam_feature_set_text (f, f_surface, surface);
      if (bridge && strcmp (bridge, "no") != 0)
        ngam_feature_set_bool (f, f_bridge, TRUE);
      if (tunnel && strcmp (tunnel, "no") != 0)
        ngam_feature_set_bool (f, f_tunnel, TRUE);
      if (lay)
        ngam_feature_set_int (f, f_layer, g_ascii_strtoll (lay, NULL, 10));
      g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
      g_assert_no_error (error);
      OGR_F_Destroy (of);
    }
  GDALClose (ds);
  g_assert_true (ngam_store_writer_finish (w, &error));
  g_assert_true (ngam_store_commit (store, &error));
  g_assert_no_error (error);
  return path;
}

NgamGraph *
net_test_random_graph (GRand    *rand,
                       guint     n,
                       guint     m,
                       guint     max_w,
                       gboolean  with_xy)
{
  g_autofree guint *uv = g_new (guint, 2 * MAX (m, 1));
  g_autofree double *w = g_new (double, MAX (m, 1));
  g_autofree double *xy = with_xy ? g_new (double, 2 * n) : NULL;
  g_autoptr(GError) error = NULL;
  NgamGraph *g;

  for (guint i = 0; with_xy && i < n; i++)
    {
      xy[2 * i] = g_rand_double_range (rand, 0, 1000);
      xy[2 * i + 1] = g_rand_double_range (rand, 0, 1000);
    }
  for (guint e = 0; e < m; e++)
    {
      uv[2 * e] = g_rand_int_range (rand, 0, n);
      uv[2 * e + 1] = g_rand_int_range (rand, 0, n);
      /* weights at least the straight distance when there are
       * coordinates, as real streets are */
      w[e] = g_rand_int_range (rand, 1, max_w + 1);
      if (with_xy)
        w[e] += floor (hypot (xy[2 * uv[2 * e]] - xy[2 * uv[2 * e + 1]],
                              xy[2 * uv[2 * e] + 1] - xy[2 * uv[2 * e + 1] + 1]));
    }
  g = ngam_graph_new_from_edges (n, m, uv, w, xy, &error);
  g_assert_no_error (error);
  return g;
}

double *
net_test_floyd (const NgamGraph *g,
                const double    *cost)
{
  guint n = g->n_nodes;
  double *d = g_new (double, (gsize) n * n);

  for (guint i = 0; i < n * n; i++)
    d[i] = INFINITY;
  for (guint i = 0; i < n; i++)
    d[i * n + i] = 0;
  for (guint e = 0; e < g->n_edges; e++)
    {
      guint u = g->edge_uv[2 * e], v = g->edge_uv[2 * e + 1];
      double c = cost ? cost[e] : g->edge[e].length;

      if (c < d[u * n + v])
        d[u * n + v] = d[v * n + u] = c;
    }
  for (guint k = 0; k < n; k++)
    for (guint i = 0; i < n; i++)
      for (guint j = 0; j < n; j++)
        if (d[i * n + k] + d[k * n + j] < d[i * n + j])
          d[i * n + j] = d[i * n + k] + d[k * n + j];
  return d;
}

/* Dreyfus and Wagner (1971): the optimal tree over terminal subsets S and
 * a node v where it is rooted. */
double
net_test_dreyfus_wagner (const NgamGraph *g,
                         const double    *cost,
                         const guint     *terms,
                         guint            k)
{
  guint n = g->n_nodes, full = (1u << k) - 1;
  g_autofree double *d = net_test_floyd (g, cost);
  g_autofree double *dp = g_new (double, (gsize) (full + 1) * n);
  g_autofree double *best = g_new (double, n);
  double res = INFINITY;

  if (k <= 1)
    return 0;
  for (guint i = 0; i < (full + 1) * n; i++)
    dp[i] = INFINITY;
  for (guint t = 0; t < k; t++)
    for (guint v = 0; v < n; v++)
      dp[(1u << t) * n + v] = d[terms[t] * n + v];
  for (guint S = 1; S <= full; S++)
    {
      if ((S & (S - 1)) == 0)
        continue;
      for (guint u = 0; u < n; u++)
        {
          best[u] = INFINITY;
          for (guint s1 = (S - 1) & S; s1 > 0; s1 = (s1 - 1) & S)
            best[u] = MIN (best[u], dp[s1 * n + u] + dp[(S ^ s1) * n + u]);
        }
      for (guint v = 0; v < n; v++)
        for (guint u = 0; u < n; u++)
          dp[S * n + v] = MIN (dp[S * n + v], best[u] + d[u * n + v]);
    }
  for (guint v = 0; v < n; v++)
    res = MIN (res, dp[full * n + v]);
  return res;
}

/* t.ngam in a new temporary folder, holding the given streets and zones. */
NetTestProject *
net_test_project_new (const NetTestStreet *streets,
                      guint                n_streets,
                      const NetTestZone   *zones,
                      guint                n_zones)
{
  NetTestProject *p = g_new0 (NetTestProject, 1);

  p->dir = ngam_test_tmpdir ();
  p->path = g_build_filename (p->dir, "t.ngam", NULL);
  p->store = net_test_project (p->path, streets, n_streets, zones, n_zones);
  return p;
}

/* The Hanoi roads of the shared corpus, opened read-only. */
NetTestProject *
net_test_hanoi_project_new (void)
{
  NetTestProject *p = g_new0 (NetTestProject, 1);
  g_autoptr(GError) error = NULL;

  p->dir = ngam_test_tmpdir ();
  p->path = net_test_hanoi_project (p->dir);
  p->store = ngam_store_open (p->path, NGAM_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  return p;
}

void
net_test_project_free (NetTestProject *p)
{
  if (p == NULL)
    return;
  g_clear_pointer (&p->store, ngam_store_close);
  ngam_test_rmdir (p->dir);
  g_free (p->dir);
  g_free (p->path);
  g_free (p);
}

void
net_test_init (int    *argc,
               char ***argv)
{
  g_test_init (argc, argv, NULL);
  ngam_core_init ();
}
