/* ngam-extsort.c — sorting more fixed-size records than memory should hold
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bulk load must not need memory in proportion to the file it loads:
 * packing a layer's R*Tree sorts one 24-byte cell a row, 240 MB for ten
 * million rows.  This is the textbook external merge sort (Knuth, TAOCP
 * vol. 3, §5.4.1): records gather in a buffer of fixed size; a full buffer
 * is sorted and written to a temporary file as one run; at the end the
 * runs are merged through a binary heap, each read through a small buffer
 * of its own.  When everything fits in the buffer nothing touches the disk
 * and the records come straight out of it.  The temporary file is unlinked
 * as soon as it is made, so a crash leaves nothing behind.
 *
 * Memory is the buffer given to ngam_ext_sort_new() while adding (it
 * grows to that size as records come), and at most as much again, split
 * among the runs, while merging (the buffer is freed first); a run's read
 * buffer is at least one record.
 *
 * With a sort function that leaves records as they are and a comparison
 * that finds them all equal, the same code is a spool: records come back
 * in the order they went in (ties go to the earlier run).
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "ngam-extsort.h"
#include "ngam-store.h"

typedef struct
{
  guint64 next;      /* file offset of the next record to read */
  guint64 end;       /* end of the run */
  guint8 *buf;
  gsize   have;      /* records in buf */
  gsize   at;        /* the current one */
} Run;

struct _NgamExtSort
{
  gsize              rsize;
  gsize              cap;       /* records the buffer may hold */
  guint8            *buf;
  gsize              alloc;     /* records it has room for now */
  gsize              len;
  NgamExtSortFunc    sort;
  NgamExtCompareFunc compare;
  gpointer           data;
  int                fd;        /* the runs' file, or -1 */
  GArray            *runs;      /* Run */
  guint64            written;   /* bytes in the file */
  guint64            count;
  gboolean           finished;
  gsize              pos;       /* in-memory: the next record */
  gsize              run_cap;   /* records a run's read buffer holds */
  guint             *heap;      /* runs by their current record */
  guint              heap_len;
};

/**
 * ngam_ext_sort_new:
 * @record_size: bytes a record
 * @memory: bytes of records to hold in memory before writing a run
 * @sort: sorts an array of records
 * @compare: the same order, for merging
 *
 * Returns: (transfer full): an empty sorter.
 */
NgamExtSort *
ngam_ext_sort_new (gsize               record_size,
                   gsize               memory,
                   NgamExtSortFunc     sort,
                   NgamExtCompareFunc  compare,
                   gpointer            user_data)
{
  NgamExtSort *s = g_new0 (NgamExtSort, 1);

  g_return_val_if_fail (record_size > 0, NULL);
  s->rsize = record_size;
  s->cap = MAX (memory / record_size, 2);
  s->sort = sort;
  s->compare = compare;
  s->data = user_data;
  s->fd = -1;
  s->runs = g_array_new (FALSE, FALSE, sizeof (Run));
  return s;
}

static gboolean
io_error (GError **error, const char *what, int e)
{
  g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_FAILED,
               "cannot %s the temporary file of a sort (in %s): %s",
               what, g_get_tmp_dir (), g_strerror (e));
  return FALSE;
}

/**
 * ngam_pio_all:
 *
 * Writes (or reads) all @len bytes at @offset of @fd, through short
 * transfers and interruptions.
 *
 * Returns: 0, or the errno of the failure (ENOSPC for a write, EIO for a
 *   read that got nothing).
 */
int
ngam_pio_all (int       fd,
              gboolean  write,
              void     *buf,
              gsize     len,
              guint64   offset)
{
  guint8 *p = buf;

  for (gsize done = 0; done < len;)
    {
      gssize n = write ? pwrite (fd, p + done, len - done, (off_t) (offset + done))
                       : pread (fd, p + done, len - done, (off_t) (offset + done));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return n < 0 ? errno : write ? ENOSPC : EIO;
      done += (gsize) n;
    }
  return 0;
}

static gboolean
transfer (int       fd,
          gboolean  write,
          guint8   *buf,
          gsize     bytes,
          guint64   offset,
          GError  **error)
{
  int e = ngam_pio_all (fd, write, buf, bytes, offset);

  return e == 0 || io_error (error, write ? "write" : "read", e);
}

/* Sorts the buffer and appends it to the file as one run. */
static gboolean
spill (NgamExtSort  *s,
       GError      **error)
{
  Run run = { s->written, 0, NULL, 0, 0 };
  gsize bytes = s->len * s->rsize;

  if (s->fd < 0)
    {
      g_autofree char *path = NULL;

      s->fd = g_file_open_tmp ("ngam-sort-XXXXXX", &path, error);
      if (s->fd < 0)
        return FALSE;
      g_unlink (path);
    }
  s->sort (s->buf, s->len, s->data);
  if (!transfer (s->fd, TRUE, s->buf, bytes, s->written, error))
    return FALSE;
  s->written += bytes;
  run.end = s->written;
  g_array_append_val (s->runs, run);
  s->len = 0;
  return TRUE;
}

/**
 * ngam_ext_sort_reserve:
 *
 * Room in memory for @n records (at most the sorter's memory), so that a
 * sort of a known size allocates once.
 */
void
ngam_ext_sort_reserve (NgamExtSort *s,
                       guint64      n)
{
  gsize want = (gsize) MIN (n, (guint64) s->cap);

  if (want > s->alloc && s->runs->len == 0 && !s->finished)
    {
      s->buf = g_realloc (s->buf, want * s->rsize);
      s->alloc = want;
    }
}

gboolean
ngam_ext_sort_add (NgamExtSort  *s,
                   const void   *record,
                   GError      **error)
{
  g_return_val_if_fail (!s->finished, FALSE);

  if (s->len == s->alloc && s->alloc < s->cap)
    ngam_ext_sort_reserve (s, MAX (s->alloc * 2, 1024));
  if (s->len == s->cap && !spill (s, error))
    return FALSE;
  memcpy (s->buf + s->len * s->rsize, record, s->rsize);
  s->len++;
  s->count++;
  return TRUE;
}

/* Reads the next records of @run into its buffer; FALSE on error. */
static gboolean
run_fill (NgamExtSort  *s,
          Run          *run,
          GError      **error)
{
  gsize want = (gsize) MIN ((guint64) s->run_cap, (run->end - run->next) / s->rsize);
  gsize bytes = want * s->rsize;

  if (!transfer (s->fd, FALSE, run->buf, bytes, run->next, error))
    return FALSE;
  run->next += bytes;
  run->have = want;
  run->at = 0;
  return TRUE;
}

static inline const void *
run_head (NgamExtSort *s, guint i)
{
  Run *run = &g_array_index (s->runs, Run, i);

  return run->buf + run->at * s->rsize;
}

/* Ties go to the earlier run, so that equal records keep their order. */
static inline gboolean
heap_less (NgamExtSort *s, guint a, guint b)
{
  int c = s->compare (run_head (s, a), run_head (s, b), s->data);

  return c < 0 || (c == 0 && a < b);
}

static void
heap_down (NgamExtSort *s, guint i)
{
  for (;;)
    {
      guint l = 2 * i + 1, m = i;
      guint t;

      if (l < s->heap_len && heap_less (s, s->heap[l], s->heap[m]))
        m = l;
      if (l + 1 < s->heap_len && heap_less (s, s->heap[l + 1], s->heap[m]))
        m = l + 1;
      if (m == i)
        return;
      t = s->heap[i];
      s->heap[i] = s->heap[m];
      s->heap[m] = t;
      i = m;
    }
}

/**
 * ngam_ext_sort_finish:
 *
 * Ends adding; the records then come out in order from
 * ngam_ext_sort_next().
 */
gboolean
ngam_ext_sort_finish (NgamExtSort  *s,
                      GError      **error)
{
  gsize memory = s->cap * s->rsize;

  g_return_val_if_fail (!s->finished, FALSE);
  s->finished = TRUE;
  if (s->runs->len == 0)
    {
      if (s->len > 0)
        s->sort (s->buf, s->len, s->data);
      return TRUE;
    }
  if (s->len > 0 && !spill (s, error))
    return FALSE;
  g_clear_pointer (&s->buf, g_free);
  s->alloc = 0;
  s->run_cap = MAX (memory / s->runs->len / s->rsize, 1);
  s->heap = g_new (guint, s->runs->len);
  for (guint i = 0; i < s->runs->len; i++)
    {
      Run *run = &g_array_index (s->runs, Run, i);

      run->buf = g_malloc (s->run_cap * s->rsize);
      if (!run_fill (s, run, error))
        return FALSE;
      if (run->have > 0)
        s->heap[s->heap_len++] = i;
    }
  for (guint i = s->heap_len / 2; i-- > 0;)
    heap_down (s, i);
  return TRUE;
}

/**
 * ngam_ext_sort_next:
 * @record: (out caller-allocates): the next record
 *
 * Returns: %TRUE with the next record, %FALSE at the end (no error) or on
 *   a read error (@error set).
 */
gboolean
ngam_ext_sort_next (NgamExtSort  *s,
                    void         *record,
                    GError      **error)
{
  Run *run;

  g_return_val_if_fail (s->finished, FALSE);

  if (s->runs->len == 0)
    {
      if (s->pos >= s->len)
        return FALSE;
      memcpy (record, s->buf + s->pos * s->rsize, s->rsize);
      s->pos++;
      return TRUE;
    }
  if (s->heap_len == 0)
    return FALSE;
  run = &g_array_index (s->runs, Run, s->heap[0]);
  memcpy (record, run->buf + run->at * s->rsize, s->rsize);
  if (++run->at == run->have)
    {
      if (run->next < run->end)
        {
          if (!run_fill (s, run, error))
            return FALSE;
        }
      else
        s->heap[0] = s->heap[--s->heap_len];
    }
  if (s->heap_len > 0)
    heap_down (s, 0);
  return TRUE;
}

guint64
ngam_ext_sort_count (const NgamExtSort *s)
{
  return s->count;
}

/* Runs written to disk so far (0: all in memory). */
guint
ngam_ext_sort_runs (const NgamExtSort *s)
{
  return s->runs->len;
}

void
ngam_ext_sort_free (NgamExtSort *s)
{
  if (s == NULL)
    return;
  for (guint i = 0; i < s->runs->len; i++)
    g_free (g_array_index (s->runs, Run, i).buf);
  g_array_unref (s->runs);
  if (s->fd >= 0)
    close (s->fd);
  g_free (s->heap);
  g_free (s->buf);
  g_free (s);
}
