/* ngam-cli-sample.c — `ngam-batch sample`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ngam-batch"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "ngam-cli.h"
#include "ngam-sample.h"

/* A project file and the side files SQLite may leave beside it. */
static void
remove_project (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint k = 0; k < G_N_ELEMENTS (suffixes); k++)
    {
      g_autofree char *p = g_strconcat (path, suffixes[k], NULL);

      g_unlink (p);
    }
}

static gboolean
parse_uint (const char *text,
            guint64     max,
            guint64    *out)
{
  char *end;
  guint64 v;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  errno = 0;
  v = g_ascii_strtoull (text, &end, 10);
  if (errno != 0 || *end != '\0' || v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

int
ngam_cli_sample (int    argc,
                 char **argv)
{
  g_autofree char *out = NULL;
  g_autofree char *size_text = NULL;
  g_autofree char *seed_text = NULL;
  gboolean json = FALSE;
  g_autoptr(GOptionContext) ctx = NULL;
  NgamStore *store;
  NgamSampleOptions options = { 2000, 1 };
  GError *error = NULL;
  gpointer progress_data = NULL;
  NgamProgressFunc progress;
  gint64 counts[NGAM_N_LAYERS], total = 0;
  gint64 started;
  double seconds;
  g_autofree char *intersections = NULL;
  GStatBuf st;
  guint64 v;
  int status;
  gboolean ok;
  GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "The project file to create (must not exist)", "FILE.ngam" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size_text,
      "Street intersections, 100 to 1000000 (default 2000)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text, "Random seed (default 1): same seed and size, same file", "S" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print a JSON summary", NULL },
    { NULL }
  };

  ctx = ngam_cli_context ("sample", "--out FILE.ngam",
                          "Generates the Huế-like demo town in a new project (EPSG:9214): the Perfume "
                          "River and its bridges, the citadel and its moat, festival streets, a street "
                          "grid with alleys (kiệt), poles and aerial spans of VNPT, Viettel, FPT, "
                          "MobiFone and SCTV, VNPT ducts and manholes, flood, landslide and heritage "
                          "zones, wards, households and cell sites.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!ngam_cli_parse (ctx, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return ngam_cli_usage ("sample", "unexpected argument “%s”", argv[1]);
  if (out == NULL)
    return ngam_cli_usage ("sample", "--out FILE.ngam is required");
  if (*out == '\0')
    return ngam_cli_usage ("sample", "--out: the file name is empty");
  if (size_text)
    {
      if (!parse_uint (size_text, G_MAXUINT, &v) || v < 100 || v > 1000000)
        return ngam_cli_usage ("sample", "--size must be a whole number from 100 to 1000000, not “%s”", size_text);
      options.size = (guint) v;
    }
  if (seed_text)
    {
      if (!parse_uint (seed_text, G_MAXUINT64, &v))
        return ngam_cli_usage ("sample", "--seed must be a whole number ≥ 0, not “%s”", seed_text);
      options.seed = v;
    }

  started = g_get_monotonic_time ();
  store = ngam_store_create (out, "EPSG:9214", &error);
  if (store == NULL)
    return ngam_cli_fail (error);
  progress = ngam_cli_progress_func (&progress_data, "sample");
  ok = ngam_sample_generate (store, &options, progress, progress_data, ngam_cli_cancellable (), &error);
  ngam_cli_progress_done (progress_data);
  for (guint k = 0; k < NGAM_N_LAYERS && ok; k++)
    {
      if ((counts[k] = ngam_store_count (store, k, &error)) < 0)
        ok = FALSE;
      else
        total += counts[k];
    }
  intersections = ok ? ngam_store_dup_meta (store, "sample_intersections") : NULL;
  ngam_store_close (store);
  if (!ok)
    {
      /* nothing half-made stays behind */
      remove_project (out);
      return ngam_cli_fail (error);
    }
  seconds = (g_get_monotonic_time () - started) / 1e6;
  if (g_stat (out, &st) != 0)
    st.st_size = 0;

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, out);
      json_builder_set_member_name (b, "size");
      json_builder_add_int_value (b, options.size);
      json_builder_set_member_name (b, "seed");
      json_builder_add_int_value (b, (gint64) options.seed);
      json_builder_set_member_name (b, "intersections");
      json_builder_add_int_value (b, intersections ? g_ascii_strtoll (intersections, NULL, 10) : 0);
      json_builder_set_member_name (b, "layers");
      json_builder_begin_object (b);
      for (guint k = 0; k < NGAM_N_LAYERS; k++)
        {
          json_builder_set_member_name (b, ngam_layer_info (k)->name);
          json_builder_add_int_value (b, counts[k]);
        }
      json_builder_end_object (b);
      json_builder_set_member_name (b, "features");
      json_builder_add_int_value (b, total);
      json_builder_set_member_name (b, "bytes");
      json_builder_add_int_value (b, st.st_size);
      json_builder_set_member_name (b, "seconds");
      json_builder_add_double_value (b, seconds);
      json_builder_end_object (b);
      ngam_cli_print_json (b);
    }
  else
    {
      printf ("created %s: the demo town, size %u, seed %" G_GUINT64_FORMAT ", %s intersections\n",
              out, options.size, options.seed, intersections ? intersections : "?");
      for (guint k = 0; k < NGAM_N_LAYERS; k++)
        printf ("  %-10s %10" G_GINT64_FORMAT "\n", ngam_layer_info (k)->name, counts[k]);
      printf ("  %-10s %10" G_GINT64_FORMAT "\n", "total", total);
      printf ("%.1f MB in %.1f s\n", st.st_size / 1e6, seconds);
    }
  return NGAM_EXIT_OK;
}
