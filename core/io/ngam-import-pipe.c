/* ngam-import-pipe.c — the import's bounded queue of batches and its
 * writer thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader (ngam-import-read.c, on the calling thread) fills batches of
 * rows and puts them here; the writer thread takes them in order, writes
 * them through the store's sync (ngam-store-sync.c) and replays each
 * batch's notes into its source's report, then gives the batch back to be
 * filled again.  N_BATCHES of BATCH_ROWS rows go round, so what is in
 * flight does not grow with the file.  ngam-import.c makes the pipe,
 * starts and closes it; it calls the reader, and the reader calls the
 * pipe: the calls run one way, import → read → pipe.
 */
#define G_LOG_DOMAIN "ngam-io"

#include "config.h"

#include <string.h>
#include <time.h>

#include "ngam-import-pipe.h"

#define BATCH_ROWS 512
#define N_BATCHES  8

struct _NgamImportPipe
{
  GAsyncQueue     *free;      /* batches for the reader to fill */
  GAsyncQueue     *full;      /* batches for the writer */
  NgamImportBatch *batches[N_BATCHES];
  NgamStoreSync   *sync;
  NgamStore       *store;     /* for the rows' shapes */
  GPtrArray       *sources;   /* NgamImportSource*: names and reports */
  gint             failed;    /* atomic: the writer stopped on an error */
  GMutex           store_lock;  /* the writer holds it while it uses the
                                 * store; the reader takes it to load a
                                 * tile of poles */
  gint64           reader_waited, writer_waited;  /* µs, for the debug log */
  double           writer_cpu;                    /* s, for the debug log */
  GThread         *thread;    /* the writer, from start to close */
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
        ngam_store_row_free (b->rows[i].stored);
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
      row->stored = ngam_store_row_new ();
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
                         NgamStore           *store)
{
  NgamFeature *f = row->feature;
  const NgamShape *s = f->shape;
  guint64 h = ngam_hash64 (s->type, s->xy, sizeof (double) * 2 * s->n_points);

  row->hash = ngam_hash64 (h, f->attrs, row->attrs_len);
  row->key_hash = ngam_store_sync_hash_key (sync, f->source_layer, f->source_key);
  ngam_store_row_prepare (row->stored, store, s);
  row->prepared = TRUE;
}

/* TRUE when batches wait for the writer. */
gboolean
ngam_import_pipe_writer_busy (NgamImportPipe *p)
{
  return g_async_queue_length (p->full) > 0;
}

/* ---- the writer thread ------------------------------------------------------ */

/* CPU time of the calling thread, for the debug log. */
double
ngam_import_thread_cpu_seconds (void)
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
      ngam_import_row_prepare (&b->rows[i], p->sync, p->store);
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
      if (!ngam_store_sync_put (p->sync, f, b->rows[i].stored, b->rows[i].attrs_len, hash, key_hash, &action, error))
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
          p->writer_cpu = ngam_import_thread_cpu_seconds ();
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

/* ---- the pipe's life ------------------------------------------------------ */

/**
 * ngam_import_pipe_new:
 * @sync: where the writer puts the rows (borrowed)
 * @store: the store @sync writes to, for the rows' shapes (borrowed)
 * @sources: (element-type NgamImportSource): the run's sources, whose
 *   reports the writer fills (borrowed)
 *
 * Returns: (transfer full): a pipe with its batches, the writer not yet
 *   started.
 */
NgamImportPipe *
ngam_import_pipe_new (NgamStoreSync *sync,
                      NgamStore     *store,
                      GPtrArray     *sources)
{
  NgamImportPipe *p = g_new0 (NgamImportPipe, 1);

  p->free = g_async_queue_new ();
  p->full = g_async_queue_new ();
  p->sync = sync;
  p->store = store;
  p->sources = sources;
  g_mutex_init (&p->store_lock);
  for (guint i = 0; i < N_BATCHES; i++)
    {
      p->batches[i] = batch_new ();
      g_async_queue_push (p->free, p->batches[i]);
    }
  return p;
}

/* The lock the writer holds while it uses the store: a reader that must
 * query the store (a tile of poles) takes it. */
GMutex *
ngam_import_pipe_store_lock (NgamImportPipe *p)
{
  return &p->store_lock;
}

/* Starts the writer thread; from now until ngam_import_pipe_close() the
 * store is the writer's. */
gboolean
ngam_import_pipe_start (NgamImportPipe  *p,
                        GError         **error)
{
  g_return_val_if_fail (p->thread == NULL, FALSE);
  p->thread = g_thread_try_new ("ngam-import-writer", writer_thread, p, error);
  return p->thread != NULL;
}

/**
 * ngam_import_pipe_close:
 * @error: (out) (optional): the writer's error, when it stopped on one
 *
 * Sends the end mark and waits for the writer to finish what is queued.
 *
 * Returns: FALSE when the writer failed.
 */
gboolean
ngam_import_pipe_close (NgamImportPipe  *p,
                        GError         **error)
{
  NgamImportBatch *b;

  if (p->thread == NULL)
    return TRUE;
  b = g_async_queue_pop (p->free);
  b->end = TRUE;
  g_async_queue_push (p->full, b);
  g_thread_join (g_steal_pointer (&p->thread));
  g_debug ("the reader waited %.3f s, the writer %.3f s; the writer used %.3f s of CPU",
           p->reader_waited / 1e6, p->writer_waited / 1e6, p->writer_cpu);
  if (p->error)
    {
      g_propagate_error (error, g_steal_pointer (&p->error));
      return FALSE;
    }
  return TRUE;
}

void
ngam_import_pipe_free (NgamImportPipe *p)
{
  if (p == NULL)
    return;
  ngam_import_pipe_close (p, NULL);
  for (guint i = 0; i < N_BATCHES; i++)
    batch_free (p->batches[i]);
  g_async_queue_unref (p->free);
  g_async_queue_unref (p->full);
  g_mutex_clear (&p->store_lock);
  g_clear_error (&p->error);
  g_free (p);
}
