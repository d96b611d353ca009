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
 * queue of batches (N_BATCHES of BATCH_ROWS rows, recycled), so the rows
 * in flight do not grow with the file and a reader that outruns the writer
 * waits.  The last steps of a row (its hashes, its SpatiaLite blob) are
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

#include <math.h>
#include <string.h>
#include <time.h>

#include "ngam-context.h"
#include "ngam-import-read.h"
#include "ngam-settings.h"

G_DEFINE_QUARK (ngam-io-error-quark, ngam_io_error)

#define BATCH_ROWS 512
#define N_BATCHES  8
/* more operators than this in one source: warn that operator_field may
 * name the wrong field */
#define MAX_OPERATORS 30

struct _NgamImportPipe
{
  GAsyncQueue     *free;      /* batches for the reader to fill */
  GAsyncQueue     *full;      /* batches for the writer */
  NgamImportBatch *batches[N_BATCHES];
  NgamStoreSync   *sync;
  int              srid;      /* the project's */
  GPtrArray       *sources;   /* NgamImportSource*: names and reports */
  gint             failed;    /* atomic: the writer stopped on an error */
  GMutex           store_lock;  /* the writer holds it while it uses the
                                 * store; the reader takes it to load a
                                 * tile of poles */
  gint64           reader_waited, writer_waited;  /* µs, for the debug log */
  double           writer_cpu;                    /* s, for the debug log */
  GError          *error;     /* its error */
};

/* ---- batches ------------------------------------------------------------ */

static NgamImportBatch *
batch_new (void)
{
  NgamImportBatch *b = g_new0 (NgamImportBatch, 1);

  b->cap_rows = BATCH_ROWS;
  b->rows = g_new0 (NgamImportRow, b->cap_rows);
  b->notes = g_array_new (FALSE, FALSE, sizeof (NgamImportNote));
  return b;
}

static void
batch_reset (NgamImportBatch *b)
{
  for (guint i = 0; i < b->notes->len; i++)
    g_free (g_array_index (b->notes, NgamImportNote, i).example);
  g_array_set_size (b->notes, 0);
  b->n_rows = 0;
  b->read = b->filtered = b->repaired = 0;
  b->end = FALSE;
}

static void
batch_free (NgamImportBatch *b)
{
  if (b == NULL)
    return;
  batch_reset (b);
  for (guint i = 0; i < b->cap_rows; i++)
    if (b->rows[i].feature)
      {
        ngam_import_row_release (b->rows[i].feature);
        ngam_feature_free (b->rows[i].feature);
        g_byte_array_unref (b->rows[i].blob);
        g_free (b->rows[i].caps);
      }
  g_free (b->rows);
  g_array_unref (b->notes);
  g_free (b);
}

/* A row slot at the end of @batch (the caller checks there is room). */
NgamImportRow *
ngam_import_batch_add (NgamImportBatch *b,
                       NgamLayerKind    kind)
{
  NgamImportRow *row;

  g_assert (b->n_rows < b->cap_rows);
  row = &b->rows[b->n_rows++];
  if (row->feature == NULL)
    {
      row->feature = ngam_feature_new (kind);
      row->blob = g_byte_array_new ();
      row->caps = g_new0 (gsize, 2 + row->feature->n_values);
    }
  return row;
}

/* Lets go of the strings a row slot borrows from its reader (operator,
 * source file and layer names), before the slot is freed. */
void
ngam_import_row_release (NgamFeature *f)
{
  f->operator_name = NULL;
  f->source_file = NULL;
  f->source_layer = NULL;
}

/* Notes an issue before the next row of @batch; @example is taken. */
void
ngam_import_batch_note (NgamImportBatch *b,
                        const char      *code,
                        gboolean         skipped,
                        gint64           fid,
                        char            *example)
{
  NgamImportNote n = { b->n_rows, code, skipped, fid, example };

  g_array_append_val (b->notes, n);
}

/* Makes what the writer needs of a row beside the feature: the hash of
 * what makes two features duplicates (geometry and raw attributes), its
 * key's hash, its shape as SpatiaLite stores it.  Either thread may. */
void
ngam_import_row_prepare (NgamImportRow       *row,
                         const NgamStoreSync *sync,
                         int                  srid)
{
  NgamFeature *f = row->feature;
  const NgamShape *s = f->shape;
  guint64 h = ngam_hash64 (s->type, s->xy, sizeof (double) * 2 * s->n_points);

  row->hash = ngam_hash64 (h, f->attrs, row->attrs_len);
  row->key_hash = ngam_store_sync_hash_key (sync, f->source_layer, f->source_key);
  ngam_shape_to_spatialite (s, srid, row->blob);
  row->prepared = TRUE;
}

/* TRUE when batches wait for the writer. */
gboolean
ngam_import_pipe_writer_busy (NgamImportPipe *p)
{
  return g_async_queue_length (p->full) > 0;
}

/* ---- the writer thread ------------------------------------------------------ */

static double
thread_cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
replay (NgamImportSourceReport *rep,
        const NgamImportNote   *n)
{
  ngam_import_note (rep, n->code, n->skipped, n->fid, n->example);
}

static gboolean
apply_batch (NgamImportPipe   *p,
             NgamImportBatch  *b,
             GError          **error)
{
  NgamImportSource *src = p->sources->pdata[b->source];
  NgamImportSourceReport *rep = src->report;
  const NgamImportNote *notes = (const NgamImportNote *) b->notes->data;
  guint ni = 0;
  /* rows of one source share the reader's operator strings: most rows
   * count where the last one did */
  const char *last_op = NULL;
  gint64 *op_count = NULL;

  for (guint i = 0; i < b->n_rows; i++)
    if (!b->rows[i].prepared)
      ngam_import_row_prepare (&b->rows[i], p->sync, p->srid);
  for (guint i = 0; i < b->n_rows; i++)
    {
      NgamFeature *f = b->rows[i].feature;
      guint64 hash = b->rows[i].hash, key_hash = b->rows[i].key_hash;
      gboolean dup = FALSE;
      NgamSyncAction action;
      char *renamed = NULL;

      if (i + 4 < b->n_rows)
        ngam_store_sync_prefetch (p->sync, b->rows[i + 4].hash, b->rows[i + 4].key_hash);
      for (; ni < b->notes->len && notes[ni].row <= i; ni++)
        replay (rep, &notes[ni]);
      if (!ngam_store_sync_is_duplicate (p->sync, f, hash, &dup, error))
        return FALSE;
      if (dup)
        {
          ngam_import_note (rep, "duplicate", TRUE, f->source_fid, NULL);
          continue;
        }
      if (!ngam_store_sync_unique_key (p->sync, f->source_layer, f->source_key, &key_hash, &renamed, error))
        return FALSE;
      if (renamed)
        {
          g_autofree char *msg = ngam_import_wants_example (rep, "key_collision")
                                   ? g_strdup_printf ("key “%s” repeats; this one is stored as “%s”", f->source_key, renamed)
                                   : NULL;

          ngam_import_note (rep, "key_collision", FALSE, f->source_fid, msg);
          g_free (f->source_key);
          f->source_key = renamed;
        }
      if (!ngam_store_sync_put (p->sync, f, b->rows[i].blob, b->rows[i].attrs_len, hash, key_hash, &action, error))
        {
          g_prefix_error (error, "%s, feature %" G_GINT64_FORMAT ": ", src->display, f->source_fid);
          return FALSE;
        }
      switch (action)
        {
        case NGAM_SYNC_ADDED: rep->added++; break;
        case NGAM_SYNC_UPDATED: rep->updated++; break;
        case NGAM_SYNC_UNCHANGED: rep->unchanged++; break;
        case NGAM_SYNC_RESTORED: rep->restored++; break;
        default: break;
        }
      if (f->operator_name)
        {
          if (f->operator_name != last_op)
            {
              last_op = f->operator_name;
              op_count = ngam_import_operator_count (rep, last_op);
            }
          (*op_count)++;
        }
    }
  for (; ni < b->notes->len; ni++)
    replay (rep, &notes[ni]);
  /* the batch's rows go back to the reader: what waits is written now */
  if (!ngam_store_sync_flush (p->sync, error))
    {
      g_prefix_error (error, "%s: ", src->display);
      return FALSE;
    }
  rep->read += b->read;
  rep->filtered += b->filtered;
  rep->repaired += b->repaired;
  return TRUE;
}

static gpointer
writer_thread (gpointer data)
{
  NgamImportPipe *p = data;

  for (;;)
    {
      gint64 t0 = g_get_monotonic_time ();
      NgamImportBatch *b = g_async_queue_pop (p->full);
      gboolean end = b->end;

      p->writer_waited += g_get_monotonic_time () - t0;
      /* after a failure the batches only go round, so the reader never
       * waits for one that will not come */
      if (!end && !g_atomic_int_get (&p->failed))
        {
          gboolean ok;

          g_mutex_lock (&p->store_lock);
          ok = apply_batch (p, b, &p->error);
          g_mutex_unlock (&p->store_lock);
          if (!ok)
            g_atomic_int_set (&p->failed, 1);
        }
      batch_reset (b);
      g_async_queue_push (p->free, b);
      if (end)
        {
          p->writer_cpu = thread_cpu_seconds ();
          return NULL;
        }
    }
}

/* An empty batch for the reader; NULL once the writer has failed. */
NgamImportBatch *
ngam_import_pipe_get (NgamImportPipe *p)
{
  NgamImportBatch *b;
  gint64 t0 = g_get_monotonic_time ();

  if (g_atomic_int_get (&p->failed))
    return NULL;
  b = g_async_queue_pop (p->free);
  p->reader_waited += g_get_monotonic_time () - t0;
  if (g_atomic_int_get (&p->failed))
    {
      g_async_queue_push (p->free, b);
      return NULL;
    }
  return b;
}

void
ngam_import_pipe_put (NgamImportPipe  *p,
                      NgamImportBatch *b)
{
  g_async_queue_push (p->full, b);
}

static void
pipe_init (NgamImportPipe *p, NgamStoreSync *sync, int srid, GPtrArray *sources)
{
  memset (p, 0, sizeof *p);
  p->free = g_async_queue_new ();
  p->full = g_async_queue_new ();
  p->sync = sync;
  p->srid = srid;
  p->sources = sources;
  g_mutex_init (&p->store_lock);
  for (guint i = 0; i < N_BATCHES; i++)
    {
      p->batches[i] = batch_new ();
      g_async_queue_push (p->free, p->batches[i]);
    }
}

static void
pipe_clear (NgamImportPipe *p)
{
  if (p->free == NULL)
    return;
  for (guint i = 0; i < N_BATCHES; i++)
    batch_free (p->batches[i]);
  g_async_queue_unref (p->free);
  g_async_queue_unref (p->full);
  g_mutex_clear (&p->store_lock);
  g_clear_error (&p->error);
  memset (p, 0, sizeof *p);
}

/* Sends the end mark and waits for the writer to finish what is queued. */
static void
pipe_close (NgamImportPipe *p, GThread *thread)
{
  NgamImportBatch *b = g_async_queue_pop (p->free);

  b->end = TRUE;
  g_async_queue_push (p->full, b);
  g_thread_join (thread);
}

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
      g_ptr_array_add (src->report->warnings,
                       g_strdup_printf ("this source is filed as “%s”, a name no earlier shared file of %s had "
                                        "(%s), so it adds its features and replaces none of theirs; if it is a "
                                        "newer copy of one of them, import it with --source-name and that name "
                                        "instead (try --dry-run first)",
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
  NgamImportPipe pipe = { 0 };
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
      g_set_error (error, NGAM_IO_ERROR, NGAM_IO_ERROR_INVALID, *opt->source_name == '\0'
                   ? "--source-name is empty: give the name to file the source under"
                   : "--source-name files one source under a name, and %u sources were given: import them one by one",
                   g_strv_length ((char **) opt->sources));
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
  ctx.srid = ngam_store_get_srid (store);
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
  pipe_init (&pipe, sync, ctx.srid, sources);
  if (poles)
    ngam_store_nearest_set_lock (poles, &pipe.store_lock);
  ctx.pipe = &pipe;
  ctx.sync = sync;
  {
    g_autoptr(GError) local = NULL;
    GThread *thread = g_thread_try_new ("ngam-import-writer", writer_thread, &pipe, error);
    gboolean read_ok;
    double cpu0 = thread_cpu_seconds ();

    if (thread == NULL)
      goto out;
    g_debug ("opened and ready in %.3f s", g_timer_elapsed (timer, NULL));
    read_ok = read_all (&ctx, readers, &local);
    g_debug ("read in %.3f s (%.3f s of CPU)", g_timer_elapsed (timer, NULL), thread_cpu_seconds () - cpu0);
    pipe_close (&pipe, thread);
    g_debug ("written in %.3f s (the reader waited %.3f s, the writer %.3f s; the writer used %.3f s of CPU)",
             g_timer_elapsed (timer, NULL), pipe.reader_waited / 1e6, pipe.writer_waited / 1e6, pipe.writer_cpu);
    if (!read_ok || pipe.error)
      {
        /* the reader's own failure first; else the writer's, which
         * stopped the reader */
        if (local)
          g_propagate_error (error, g_steal_pointer (&local));
        else if (pipe.error)
          g_propagate_error (error, g_steal_pointer (&pipe.error));
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
  {
    gint64 n_retired = 0;

    if (!ngam_store_sync_finish (sync, !opt->keep_missing, report->retired_fids, NGAM_IMPORT_MAX_LISTED,
                                 &n_retired, error))
      goto out;
    report->retired = n_retired;
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
        g_ptr_array_add (s->warnings, g_strdup ("the project has no poles yet: span ends were not snapped "
                                                "(import the poles first)"));
      /* a province has a handful of operators: more is another field */
      if (operator_field && g_hash_table_size (s->operators) > MAX_OPERATORS)
        g_ptr_array_add (s->warnings,
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
  g_clear_pointer (&sync, ngam_store_sync_free);
  pipe_clear (&pipe);
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
