/* cover-test-util.c — hand-made projects for the coverage tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cover-test-util.h"
#include "ngam-test-util.h"

CoverTestProject *
cover_test_project_new (const CoverTestFeature *features,
                        guint                   n)
{
  g_autoptr(GError) error = NULL;
  CoverTestProject *p = g_new0 (CoverTestProject, 1);

  p->dir = ngam_test_tmpdir ();
  p->path = g_build_filename (p->dir, "case.ngam", NULL);
  p->store = ngam_store_create (p->path, "EPSG:32648", &error);
  g_assert_no_error (error);
  g_assert_true (ngam_store_begin (p->store, &error));
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      g_autoptr(NgamStoreWriter) w = NULL;

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(NgamFeature) f = NULL;
          GEOSGeometry *g;

          if (features[i].kind != k)
            continue;
          if (w == NULL)
            {
              w = ngam_store_writer_new (p->store, k, &error);
              g_assert_no_error (error);
            }
          f = ngam_feature_new (k);
          g = ngam_geos_from_wkt (features[i].wkt, &error);
          g_assert_no_error (error);
          g_assert_true (ngam_shape_from_geos (f->shape, g, &error));
          ngam_geos_free (g);
          f->operator_name = g_strdup (features[i].op);
          if (features[i].fields)
            {
              g_auto(GStrv) pairs = g_strsplit (features[i].fields, ";", -1);

              for (guint j = 0; pairs[j]; j++)
                {
                  g_auto(GStrv) kv = g_strsplit (pairs[j], "=", 2);

                  g_assert_nonnull (kv[1]);
                  g_assert_true (ngam_feature_set_by_name (f, kv[0], kv[1], &error));
                  g_assert_no_error (error);
                }
            }
          g_assert_true (ngam_store_writer_add (w, f, NULL, &error));
          g_assert_no_error (error);
        }
      if (w)
        {
          g_assert_true (ngam_store_writer_finish (w, &error));
          g_assert_no_error (error);
        }
    }
  g_assert_true (ngam_store_commit (p->store, &error));
  g_assert_no_error (error);
  return p;
}

void
cover_test_project_free (CoverTestProject *p)
{
  if (p == NULL)
    return;
  g_clear_pointer (&p->store, ngam_store_close);
  ngam_test_rmdir (p->dir);
  g_free (p->dir);
  g_free (p->path);
  g_free (p);
}

JsonObject *
cover_test_run (CoverTestProject  *p,
                NgamGapsOptions   *opt,
                NgamGapsResult   **result)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ngam_gaps_run (p->store, opt, result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return json_node_get_object ((*result)->summary);
}

static JsonNode *
lookup (JsonObject *root,
        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *n = NULL;
  JsonObject *o = root;

  for (guint i = 0; parts[i]; i++)
    {
      if (o == NULL || !json_object_has_member (o, parts[i]))
        return NULL;
      n = json_object_get_member (o, parts[i]);
      o = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
    }
  return n;
}

double
cover_test_number (JsonObject *root,
                   const char *path)
{
  JsonNode *n = lookup (root, path);

  return n && JSON_NODE_HOLDS_VALUE (n) ? json_node_get_double (n) : NAN;
}

gboolean
cover_test_has (JsonObject *root,
                const char *path)
{
  return lookup (root, path) != NULL;
}
