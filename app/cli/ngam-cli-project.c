/* ngam-cli-project.c — `ngam-batch new` and `ngam-batch info`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-batch"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "ngam-cli.h"

int
ngam_cli_new (int    argc,
              char **argv)
{
  g_autofree char *crs = NULL;
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(NgamStore) store = NULL;
  GError *error = NULL;
  int status;
  GOptionEntry entries[] = {
    { "crs", 0, 0, G_OPTION_ARG_STRING, &crs,
      "Project CRS, projected in metres (default EPSG:9214, VN-2000 / TM-3 107-00 for Huế)", "EPSG:N" },
    { NULL }
  };

  ctx = ngam_cli_context ("new", "FILE.ngam", "Creates an empty Ngầm project file.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!ngam_cli_parse (ctx, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return ngam_cli_usage ("new", "expected one FILE.ngam");
  if (*argv[1] == '\0')
    return ngam_cli_usage ("new", "the file name is empty");
  if (crs && !ngam_cli_check_crs ("new", crs, &status))
    return status;
  store = ngam_store_create (argv[1], crs ? crs : "EPSG:9214", &error);
  if (store == NULL)
    return ngam_cli_fail (error);
  printf ("created %s in %s\n", argv[1], ngam_store_get_crs (store));
  return NGAM_EXIT_OK;
}

int
ngam_cli_info (int    argc,
               char **argv)
{
  gboolean json = FALSE, quick = FALSE;
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(NgamStore) store = NULL;
  g_autoptr(NgamCrs) crs = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *problems = NULL;
  GError *error = NULL;
  double bbox[4];
  gboolean has_extent, sound = TRUE;
  gint64 counts[NGAM_N_LAYERS];
  int status;
  GStatBuf st;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON summary", NULL },
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "Skip the integrity check (large files)", NULL },
    { NULL }
  };

  ctx = ngam_cli_context ("info", "FILE.ngam",
                          "Prints a project's schema version, CRS, extent, features per layer "
                          "and whether the file is sound.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!ngam_cli_parse (ctx, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return ngam_cli_usage ("info", "expected one FILE.ngam");

  store = ngam_store_open (argv[1], NGAM_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL)
    return ngam_cli_fail (error);
  crs = ngam_crs_new (ngam_store_get_crs (store), NULL);
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    if ((counts[k] = ngam_store_count (store, k, &error)) < 0)
      return ngam_cli_fail (error);
  has_extent = ngam_store_get_extent (store, -1, bbox, &error);
  if (error)
    return ngam_cli_fail (error);
  if (!quick)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      if ((findings = ngam_store_check (store, &error)) == NULL)
        return ngam_cli_fail (error);
      for (guint i = 0; i < findings->len; i++)
        g_string_append_printf (text, "%s%s", i ? "\n" : "",
                                ((NgamStoreFinding *) findings->pdata[i])->message);
      sound = findings->len == 0;
      problems = g_string_free (g_steal_pointer (&text), FALSE);
    }
  if (g_stat (argv[1], &st) != 0)
    st.st_size = 0;

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, argv[1]);
      json_builder_set_member_name (b, "bytes");
      json_builder_add_int_value (b, st.st_size);
      json_builder_set_member_name (b, "schema_version");
      json_builder_add_int_value (b, ngam_store_get_schema_version (store));
      json_builder_set_member_name (b, "crs");
      json_builder_add_string_value (b, ngam_store_get_crs (store));
      json_builder_set_member_name (b, "crs_name");
      json_builder_add_string_value (b, crs ? ngam_crs_get_name (crs) : "");
      json_builder_set_member_name (b, "srid");
      json_builder_add_int_value (b, ngam_store_get_srid (store));
      json_builder_set_member_name (b, "extent");
      if (has_extent)
        {
          json_builder_begin_array (b);
          for (int i = 0; i < 4; i++)
            json_builder_add_double_value (b, bbox[i]);
          json_builder_end_array (b);
        }
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "layers");
      json_builder_begin_object (b);
      for (guint k = 0; k < NGAM_N_LAYERS; k++)
        {
          json_builder_set_member_name (b, ngam_layer_info (k)->name);
          json_builder_add_int_value (b, counts[k]);
        }
      json_builder_end_object (b);
      json_builder_set_member_name (b, "integrity");
      json_builder_add_string_value (b, quick ? "not checked" : sound ? "ok" : problems);
      json_builder_set_member_name (b, "findings");
      if (findings)
        {
          json_builder_begin_array (b);
          for (guint i = 0; i < findings->len; i++)
            {
              const NgamStoreFinding *f = findings->pdata[i];

              json_builder_begin_object (b);
              json_builder_set_member_name (b, "check");
              json_builder_add_string_value (b, f->check);
              json_builder_set_member_name (b, "layer");
              if (f->layer)
                json_builder_add_string_value (b, f->layer);
              else
                json_builder_add_null_value (b);
              json_builder_set_member_name (b, "field");
              if (f->field)
                json_builder_add_string_value (b, f->field);
              else
                json_builder_add_null_value (b);
              json_builder_set_member_name (b, "count");
              json_builder_add_int_value (b, f->count);
              json_builder_set_member_name (b, "fids");
              json_builder_begin_array (b);
              for (guint j = 0; j < f->fids->len; j++)
                json_builder_add_int_value (b, g_array_index (f->fids, gint64, j));
              json_builder_end_array (b);
              json_builder_set_member_name (b, "message");
              json_builder_add_string_value (b, f->message);
              json_builder_end_object (b);
            }
          json_builder_end_array (b);
        }
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      ngam_cli_print_json (b);
    }
  else
    {
      printf ("file:       %s (%.1f MB)\n", argv[1], st.st_size / 1e6);
      printf ("schema:     %d\n", ngam_store_get_schema_version (store));
      printf ("CRS:        %s (%s)\n", ngam_store_get_crs (store), crs ? ngam_crs_get_name (crs) : "?");
      if (has_extent)
        printf ("extent:     %.2f, %.2f – %.2f, %.2f (%.2f × %.2f km)\n", bbox[0], bbox[1], bbox[2], bbox[3],
                (bbox[2] - bbox[0]) / 1000, (bbox[3] - bbox[1]) / 1000);
      else
        printf ("extent:     empty\n");
      printf ("layers:\n");
      for (guint k = 0; k < NGAM_N_LAYERS; k++)
        printf ("  %-10s %10" G_GINT64_FORMAT "\n", ngam_layer_info (k)->name, counts[k]);
      if (quick || sound)
        printf ("integrity:  %s\n", quick ? "not checked" : "ok");
      else
        {
          printf ("integrity:  %u finding%s\n", findings->len, findings->len == 1 ? "" : "s");
          for (guint i = 0; i < findings->len; i++)
            printf ("  - %s\n", ((NgamStoreFinding *) findings->pdata[i])->message);
        }
    }
  return sound ? NGAM_EXIT_OK : NGAM_EXIT_FAILURE;
}
