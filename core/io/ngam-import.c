/* ngam-import.c — importing operators' files into the project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One synchronous function, ngam_import_run(), for the CLI and (on a worker
 * thread) the desktop app.  Every source is opened and checked first (layer,
 * CRS, encoding), then all are read in one transaction: a failure or a
 * cancellation anywhere rolls everything back, so the project is exactly as
 * it was.
 *
 * Reading a feature through OGR and making a row of it (ngam-import-read.c)
 * costs about as much as writing the row into SQLite, so the two run on
 * both cores: the calling thread reads and converts, a writer thread owns
 * the SQLite connection for the run and writes.  They meet in a bounded
 * queue of batches (ngam-import-pipe.c, recycled), so the rows
 * in flight do not grow with the file and a reader that outruns the writer
 * waits.  The last steps of a row (its hashes, its stored shape) are
 * made by whichever thread is waiting for the other.  The writer decides
 * what needs the rows already written (exact duplicates, keys given out:
 * ngam-store-sync.c), writes new rows a few dozen to an INSERT, and
 * replays each batch's notes into the report in file order, so the report
 * and the project come out as one thread would have made them.  For spans,
 * the poles near the sources are loaded once into a grid in memory
 * (ngam_store_nearest_new()) before reading starts, and the reader snaps
 * span ends against it; past NGAM_STORE_NEAREST_MAX_POINTS poles the grid
 * is cut into tiles the reader loads as it needs them, from the store the
 * writer is using: the writer holds a lock while it writes a batch, and
 * the reader takes it for the one query a tile costs.
 *
 * Memory: what the run keeps does not grow with the file.  Rows in flight
 * are the batches' (N_BATCHES × BATCH_ROWS); the duplicate and key maps
 * spill to a temporary file past NGAM_STORE_SYNC_MAX_ENTRIES entries each
 * (ngam-store-sync.c); the poles' tiles stay under their budget; the
 * writer's R*Tree packing sorts outside memory (ngam-store-writer.c).
 * bench/README.md says where the time goes, and the peak memory at each
 * size.
 */
#define G_LOG_DOMAIN "ngam-io"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ngam-context.h"
#include "ngam-import-pipe.h"
#include "ngam-import-read.h"
#include "ngam-settings.h"

G_DEFINE_QUARK (ngam-io-error-quark, ngam_io_error)

/**
 * ngam_io_error_option:
 * @error: (nullable): an error of ngam_import_run()
 *
 * Core says what is missing in words; this says which of the options
 * would give it, so a front end can add its own way to set it.
 *
 * Returns: the option that settles @error, or NGAM_IMPORT_OPTION_NONE.
 */
NgamImportOption
ngam_io_error_option (const GError *error)
{
  if (error == NULL || error->domain != NGAM_IO_ERROR)
    return NGAM_IMPORT_OPTION_NONE;
  switch ((NgamIoError) error->code)
    {
    case NGAM_IO_ERROR_NO_CRS:
    case NGAM_IO_ERROR_CRS:
    case NGAM_IO_ERROR_COORDINATES:
      return NGAM_IMPORT_OPTION_CRS;
    case NGAM_IO_ERROR_NO_OPERATOR:
      return NGAM_IMPORT_OPTION_OPERATOR;
    case NGAM_IO_ERROR_SEVERAL_LAYERS:
      return NGAM_IMPORT_OPTION_LAYER;
    case NGAM_IO_ERROR_SOURCE_NAME:
      return NGAM_IMPORT_OPTION_SOURCE_NAME;
    case NGAM_IO_ERROR_EMPTY:
      return NGAM_IMPORT_OPTION_ALLOW_EMPTY;
    case NGAM_IO_ERROR_OPEN:
    case NGAM_IO_ERROR_LAYER:
    case NGAM_IO_ERROR_GEOMETRY_TYPE:
    case NGAM_IO_ERROR_INVALID:
    case NGAM_IO_ERROR_CANCELLED:
    default:
      return NGAM_IMPORT_OPTION_NONE;
    }
}

/* more operators than this in one source: warn that operator_field may
 * name the wrong field */
#define MAX_OPERATORS 30

/* ---- the run ------------------------------------------------------------------ */

/* The profile's snap tolerance, else the project's (refused when the
 * project's is not a valid distance, as the graph builder refuses it). */
static gboolean
project_snap_tolerance (NgamStore *store, const NgamProfile *profile, double *tolerance, GError **error)
{
  if (profile && !isnan (profile->snap_tolerance_m))
    {
      *tolerance = profile->snap_tolerance_m;
      return TRUE;
    }
  return ngam_store_get_setting_double (store, "snap_tolerance_m", tolerance, error);
}

/* Where the sources' features can be, in the project CRS, widened by
 * @margin: their extents as the format knows them without reading (a
 * shapefile's header), each edge transformed at 21 points.  FALSE when a
 * source cannot tell cheaply. */
static gboolean
sources_extent (GPtrArray *sources, double margin, double bbox[4])
{
  bbox[0] = bbox[1] = INFINITY;
  bbox[2] = bbox[3] = -INFINITY;
  for (guint i = 0; i < sources->len; i++)
    {
      NgamImportSource *src = sources->pdata[i];
      OGREnvelope e;
      double xy[2 * 84];
      guint n = 0;

      if (OGR_L_GetExtent (src->layer, &e, FALSE) != OGRERR_NONE ||
          !isfinite (e.MinX) || !isfinite (e.MaxX) || !isfinite (e.MinY) || !isfinite (e.MaxY))
        return FALSE;
      for (int k = 0; k <= 20; k++)
        {
          double t = k / 20.0;

          xy[2 * n] = e.MinX + t * (e.MaxX - e.MinX), xy[2 * n + 1] = e.MinY, n++;
          xy[2 * n] = e.MinX + t * (e.MaxX - e.MinX), xy[2 * n + 1] = e.MaxY, n++;
          xy[2 * n] = e.MinX, xy[2 * n + 1] = e.MinY + t * (e.MaxY - e.MinY), n++;
          xy[2 * n] = e.MaxX, xy[2 * n + 1] = e.MinY + t * (e.MaxY - e.MinY), n++;
        }
      if (!ngam_transform_points (src->transform, xy, n, NULL))
        return FALSE;
      for (guint k = 0; k < n; k++)
        {
          bbox[0] = MIN (bbox[0], xy[2 * k]);
          bbox[1] = MIN (bbox[1], xy[2 * k + 1]);
          bbox[2] = MAX (bbox[2], xy[2 * k]);
          bbox[3] = MAX (bbox[3], xy[2 * k + 1]);
        }
    }
  /* a curved transform bends edges between the sampled points */
  margin += 0.01 * MAX (bbox[2] - bbox[0], bbox[3] - bbox[1]);
  bbox[0] -= margin;
  bbox[1] -= margin;
  bbox[2] += margin;
  bbox[3] += margin;
  return TRUE;
}

/* Reads every source into the pipe; the writer thread writes. */
static gboolean
read_all (NgamImportContext  *ctx,
          GPtrArray          *readers,
          GError            **error)
{
  for (guint i = 0; i < readers->len; i++)
    if (!ngam_import_reader_run (readers->pdata[i], ctx, error))
      return FALSE;
  return TRUE;
}

/* Features of the sources that are in the project after the run. */
static gint64
kept_features (const NgamImportReport *report)
{
  gint64 n = 0;

  for (guint i = 0; i < report->sources->len; i++)
    {
      const NgamImportSourceReport *s = report->sources->pdata[i];

      n += s->added + s->updated + s->unchanged + s->restored;
    }
  return n;
}

/* Whose features a re-import retires, for the messages: " of VNPT", or
 * those filed under the source's name. */
static char *
retire_scope (const NgamImportReport  *report,
              const NgamImportOptions *opt)
{
  if (report->operator_name && report->operator_field == NULL)
    return g_strdup_printf (" of %s", report->operator_name);
  if (opt->source_name)
    return g_strdup_printf (" filed under %s", opt->source_name);
  return g_strdup (" filed under the same source name");
}

/* A shared file (operator_field) is matched within its source layer, its
 * file name for a shapefile: a newer copy under another name would add
 * its features beside the older copy's instead of replacing them.  When
 * the project has shared-file features under other names, the report
 * says so and how to file this one under the older name. */
static gboolean
hint_renamed_sources (NgamStore      *store,
                      NgamLayerKind   kind,
                      GPtrArray      *sources,
                      GError        **error)
{
  g_auto(GStrv) earlier = ngam_store_import_log_shared_layers (store, kind, error);

  if (earlier == NULL)
    return FALSE;
  for (guint i = 0; i < sources->len && earlier[0]; i++)
    {
      NgamImportSource *src = sources->pdata[i];
      g_autoptr(GString) list = g_string_new (NULL);
      guint n = g_strv_length (earlier);

      if (g_strv_contains ((const char * const *) earlier, src->layer_name))
        continue;
      for (guint k = 0; k < n && k < 5; k++)
        g_string_append_printf (list, "%s“%s”", k ? ", " : "", earlier[k]);
      if (n > 5)
        g_string_append_printf (list, " and %u more", n - 5);
      ngam_import_warn (src->report, NGAM_IMPORT_OPTION_SOURCE_NAME,
                        g_strdup_printf (_("this source is filed as “%s”, a name no earlier shared file of %s "
                                           "had (%s), so it adds its features and replaces none of theirs; if it "
                                           "is a newer copy of one of them, import it filed under that name "
                                           "instead (a dry run first shows what it would replace)"),
                                        src->layer_name, ngam_layer_info (kind)->name, list->str));
    }
  return TRUE;
}

/**
 * ngam_import_run:
 * @report: (out) (optional) (transfer full): what happened, also on
 *   failure (as far as it got)
 *
 * Imports @options->sources into @options->kind, all or nothing.
 *
 * Returns: TRUE on success; FALSE with @error set, the project unchanged.
 */
gboolean
ngam_import_run (NgamStore                *store,
                 const NgamImportOptions  *opt,
                 NgamImportReport        **report_out,
                 NgamProgressFunc          progress,
                 gpointer                  progress_data,
                 GCancellable             *cancellable,
                 GError                  **error)
{
  g_autoptr(NgamImportReport) report = ngam_import_report_new ();
  g_autoptr(NgamProfile) profile = NULL;
  g_autoptr(NgamCrs) project_crs = NULL;
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_import_source_free);
  g_autoptr(GPtrArray) readers = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_import_reader_free);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(NgamStoreSync) sync = NULL;
  g_autoptr(NgamStoreNearest) poles = NULL;
  NgamImportContext ctx = { 0 };
  g_autoptr(NgamImportPipe) pipe = NULL;
  gboolean ok = FALSE, began = FALSE, no_poles = FALSE, operator_field = FALSE;
  gint64 import_id;

  g_return_val_if_fail (store != NULL && opt != NULL, FALSE);
  g_return_val_if_fail (opt->kind < NGAM_N_LAYERS, FALSE);

  ngam_core_init ();
  report->project = g_strdup (ngam_store_get_path (store));
  report->kind = g_strdup (ngam_layer_info (opt->kind)->name);
  report->dry_run = opt->dry_run;
  if (report_out)
    *report_out = NULL;

  if (opt->sources == NULL || opt->sources[0] == NULL)
    {
      g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_INVALID, "no source to import");
      goto out;
    }
  if (opt->source_name && (*opt->source_name == '\0' || g_strv_length ((char **) opt->sources) > 1))
    {
      if (*opt->source_name == '\0')
        g_set_error_literal (error, NGAM_IO_ERROR, NGAM_IO_ERROR_SOURCE_NAME,
                             _("the source name is empty: give the name to file the source under"));
      else
        g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_SOURCE_NAME,
                     _("a source name files one source under that name, and %u sources were given: "
                       "import them one by one"), g_strv_length ((char **) opt->sources));
      goto out;
    }
  if (opt->profile)
    {
      g_autofree char *path = ngam_profile_find (opt->profile, error);

      if (path == NULL || (profile = ngam_profile_load (path, error)) == NULL)
        goto out;
      report->profile = g_strdup (path);
      if (!ngam_profile_allows_kind (profile, opt->kind))
        {
          g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_INVALID, "the profile %s is not for %s",
                       path, ngam_layer_info (opt->kind)->name);
          goto out;
        }
    }
  report->operator_name = g_strdup (opt->operator_name ? opt->operator_name : profile ? profile->operator_name : NULL);
  project_crs = ngam_crs_new (ngam_store_get_crs (store), error);
  if (project_crs == NULL)
    goto out;

  /* Open and check everything before writing anything. */
  for (guint i = 0; opt->sources[i]; i++)
    {
      NgamImportSourceReport *rep = ngam_import_source_report_new (opt->sources[i]);
      NgamImportSource *src;

      g_ptr_array_add (report->sources, rep);
      src = ngam_import_source_open (opt->sources[i], opt, profile, project_crs, rep, error);
      if (src == NULL)
        goto out;
      g_ptr_array_add (sources, src);
      ctx.total += MAX (src->n_features, 0);
      g_string_append_printf (names, "%s%s", i ? "\n" : "", src->display);
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  ctx.opt = opt;
  ctx.profile = profile;
  ctx.operator_name = report->operator_name;
  ctx.progress = progress;
  ctx.progress_data = progress_data;
  ctx.cancellable = cancellable;
  if (!project_snap_tolerance (store, profile, &ctx.snap_tolerance, error))
    goto out;
  ctx.store = store;
  ctx.project_crs = project_crs;
  ngam_crs_get_plausible_box (project_crs, ctx.project_box);
  for (guint i = 0; i < sources->len; i++)
    {
      NgamImportReader *r = ngam_import_reader_new (&ctx, sources->pdata[i], i, error);

      if (r == NULL)
        goto out;
      g_ptr_array_add (readers, r);
      operator_field = operator_field || r->op_src->len > 0;
    }
  /* Features that carry their own operators are matched within their
   * source layer (the same file), never within one operator: that would
   * retire the other operators' features.  The fallback operator is then
   * no scope. */
  if (operator_field)
    {
      const NgamProfileField *of = profile->operator_field;
      g_autoptr(GString) refs = g_string_new (NULL);

      for (guint k = 0; k < of->refs->len; k++)
        {
          g_autofree char *t = ngam_source_ref_to_string (of->refs->pdata[k]);

          g_string_append_printf (refs, "%s%s", k ? ";" : "", t);
        }
      report->operator_field = g_string_free (g_steal_pointer (&refs), FALSE);
      if (opt->source_name == NULL && !hint_renamed_sources (store, opt->kind, sources, error))
        goto out;
    }

  if (!ngam_store_begin_bulk (store, error))
    goto out;
  began = TRUE;
  import_id = ngam_store_import_log_begin (store, names->str,
                                           opt->source_name ? opt->source_name
                                                            : ((NgamImportSource *) sources->pdata[0])->layer_name,
                                           opt->kind, operator_field ? NULL : report->operator_name, error);
  if (import_id == 0)
    goto out;
  report->import_id = import_id;

  if (opt->kind == NGAM_LAYER_SPANS)
    {
      double bbox[4];
      gboolean bounded = sources_extent (sources, ctx.snap_tolerance + 1.0, bbox);

      poles = ngam_store_nearest_new (store, NGAM_LAYER_POLES, bounded ? bbox : NULL, error);
      if (poles == NULL)
        goto out;
      ctx.poles = poles;
    }
  sync = ngam_store_sync_new (store, opt->kind, operator_field ? NULL : report->operator_name, import_id, error);
  if (sync == NULL)
    goto out;
  ngam_store_sync_reserve (sync, ctx.total);

  /* From here until the writer is joined, the store is the writer's,
   * but for the poles' tiles, loaded under its lock. */
  pipe = ngam_import_pipe_new (sync, store, sources);
  if (poles)
    ngam_store_nearest_set_lock (poles, ngam_import_pipe_store_lock (pipe));
  ctx.pipe = pipe;
  ctx.sync = sync;
  {
    g_autoptr(GError) local = NULL;
    g_autoptr(GError) written = NULL;
    gboolean read_ok, write_ok;
    double cpu0 = ngam_import_thread_cpu_seconds ();

    if (!ngam_import_pipe_start (pipe, error))
      goto out;
    g_debug ("opened and ready in %.3f s", g_timer_elapsed (timer, NULL));
    read_ok = read_all (&ctx, readers, &local);
    g_debug ("read in %.3f s (%.3f s of CPU)", g_timer_elapsed (timer, NULL),
             ngam_import_thread_cpu_seconds () - cpu0);
    write_ok = ngam_import_pipe_close (pipe, &written);
    g_debug ("written in %.3f s", g_timer_elapsed (timer, NULL));
    if (!read_ok || !write_ok)
      {
        /* the reader's own failure first; else the writer's, which
         * stopped the reader */
        if (local)
          g_propagate_error (error, g_steal_pointer (&local));
        else if (written)
          g_propagate_error (error, g_steal_pointer (&written));
        else
          g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_INVALID, "the import stopped");
        goto out;
      }
  }

  /* the poles' grid is done with: its memory goes before the finish */
  no_poles = poles && !ngam_store_nearest_any (poles);
  if (poles)
    {
      gsize loads = 0;
      gboolean tiled = ngam_store_nearest_is_tiled (poles, &loads, NULL);

      g_debug ("poles to snap to: %s, %" G_GSIZE_FORMAT " in memory at the end, %" G_GSIZE_FORMAT " tile queries",
               tiled ? "tiled" : "one grid", ngam_store_nearest_loaded (poles), loads);
    }
  g_clear_pointer (&poles, ngam_store_nearest_free);
  if (progress && !opt->keep_missing)
    progress (-1, "retiring what the newer file lacks", progress_data);
  {
    gint64 n_retired = 0;

    if (!ngam_store_sync_finish (sync, !opt->keep_missing, report->retired_fids, NGAM_IMPORT_MAX_LISTED,
                                 &n_retired, error))
      goto out;
    report->retired = n_retired;
    /* Retiring is what a newer copy does; a copy with nothing in it is far
     * more often an export gone wrong than an operator who took down every
     * pole: refused, with the count, unless asked for.  Nothing is written
     * then (the transaction is rolled back below). */
    if (n_retired > 0 && !opt->allow_empty && kept_features (report) == 0)
      {
        g_autofree char *scope = retire_scope (report, opt);

        g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_EMPTY,
                     "%s gave no %s to import: importing it would retire all %" G_GINT64_FORMAT " %s%s "
                     "in the project; nothing was imported",
                     names->str, ngam_layer_info (opt->kind)->name, n_retired,
                     ngam_layer_info (opt->kind)->name, scope);
        goto out;
      }
    if (n_retired > 0 && report->sources->len > 0)
      {
        NgamImportSourceReport *s0 = report->sources->pdata[0];
        g_autofree char *scope = retire_scope (report, opt);

        ngam_import_warn (s0, NGAM_IMPORT_OPTION_NONE,
                        g_strdup_printf ("%" G_GINT64_FORMAT " %s%s that the newer file no longer has were retired "
                                          "(the first: fid %" G_GINT64_FORMAT ")",
                                          n_retired, ngam_layer_info (opt->kind)->name, scope,
                                          report->retired_fids->len
                                            ? g_array_index (report->retired_fids, gint64, 0) : (gint64) -1));
      }
  }
  g_debug ("indexed in %.3f s", g_timer_elapsed (timer, NULL));
  for (guint i = 0; i < report->sources->len; i++)
    {
      NgamImportSourceReport *s = report->sources->pdata[i];

      report->added += s->added;
      report->updated += s->updated;
      report->unchanged += s->unchanged;
      report->restored += s->restored;
      report->skipped += s->skipped;
      report->repaired += s->repaired;
      if (no_poles && s->read > 0)
        {
          /* the grid holds only the poles near the spans: the project may
           * have others, far away */
          gint64 n_poles = ngam_store_count (store, NGAM_LAYER_POLES, NULL);

          if (n_poles > 0)
            ngam_import_warn (s, NGAM_IMPORT_OPTION_NONE,
                              g_strdup_printf ("no pole is near these spans (the project's %" G_GINT64_FORMAT
                                              " poles all lie farther than %g m from their extent): span ends "
                                              "were not snapped (are the poles and the spans of the same place?)",
                                              n_poles, ctx.snap_tolerance + 1.0));
          else
            ngam_import_warn (s, NGAM_IMPORT_OPTION_NONE,
                              g_strdup ("the project has no poles yet: span ends were not snapped "
                                                    "(import the poles first)"));
        }
      /* a province has a handful of operators: more is another field */
      if (operator_field && g_hash_table_size (s->operators) > MAX_OPERATORS)
        ngam_import_warn (s, NGAM_IMPORT_OPTION_NONE,
                        g_strdup_printf ("operator_field gave %u different operators: does %s name each "
                                          "feature's owner? (spellings of one operator go in [values.operator])",
                                          g_hash_table_size (s->operators), report->operator_field));
    }
  report->seconds = g_timer_elapsed (timer, NULL);
  {
    g_autoptr(JsonNode) node = ngam_import_report_to_json (report);
    g_autofree char *json = json_to_string (node, FALSE);

    if (!ngam_store_import_log_finish (store, import_id, json, error))
      goto out;
  }
  g_clear_pointer (&sync, ngam_store_sync_free);
  if (opt->dry_run)
    {
      ngam_store_rollback (store);
      began = FALSE;
    }
  else if (!ngam_store_commit (store, error))
    goto out;
  else
    began = FALSE;
  g_debug ("committed in %.3f s", g_timer_elapsed (timer, NULL));
  if (progress)
    progress (1.0, NULL, progress_data);
  ok = TRUE;

out:
  /* rolled back first: what the writer changed in the schema comes back
   * with the rest, and it need not undo it itself */
  if (began)
    ngam_store_rollback (store);
  g_clear_pointer (&pipe, ngam_import_pipe_free);
  g_clear_pointer (&sync, ngam_store_sync_free);
  report->seconds = g_timer_elapsed (timer, NULL);
  if (!ok && error && *error && (*error)->domain == G_IO_ERROR && (*error)->code == G_IO_ERROR_CANCELLED)
    {
      g_clear_error (error);
      g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_CANCELLED, "import cancelled: the project is unchanged");
    }
  if (report_out)
    *report_out = g_steal_pointer (&report);
  return ok;
}
