/* ngam-store-fidmap.c — the import run's memory: bounded maps from a
 * 32-bit hash to the fid written, spilled to sorted runs on disk behind a
 * Bloom filter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the run has written must be remembered for two questions asked of
 * every feature: is it an exact duplicate of one already written, and is
 * its key already given out?  Asking SQLite (a TEMP table insert per
 * feature) cost more than writing the feature itself, so each is a
 * multimap in memory from a 32-bit hash to the fid written: 8 bytes a
 * slot, at most three quarters full.  A hash match is only a candidate:
 * the row is read back and compared (content, or key and scope), so a
 * collision costs one row read and never a wrong answer.
 *
 * The maps are bounded, so that a file of any size imports in the same
 * memory.  Each keeps NGAM_STORE_SYNC_MAX_ENTRIES entries
 * (ngam_store_sync_set_memory_limit(); 3·2^16, 2 MiB of slots, enough for
 * the 2·10^5 streets of the 10^5-intersection town), sized for the
 * features the sources announce but never above that.  Past it the slots
 * are sorted in place and written as one run to an unlinked temporary
 * file, and the map fills again; runs are merged as a binary counter
 * carries (a log-structured merge), so there are at most log2 of the
 * spilled entries over the limit of them, and each entry is rewritten as
 * often, sequentially.  A lookup reads one 4 KiB block of each run, found
 * by the first hash of every block kept in memory (4 bytes a block: 0.1 %
 * of what spilled).  Most lookups are of new features, which no run
 * holds, so a Bloom filter over the spilled hashes (three bits a hash; 8
 * bits an expected feature, at most 4 MiB) answers them without reading
 * the file: at the 10^5 town's 7.8·10^5 spans, under 1 % of lookups read it;
 * at the 10^6 town's 7.8·10^6, past the filter's 4 MiB, about 12 %.  A
 * temporary SQLite table did the same before at a B-tree insert per
 * feature, which cost more than writing the feature.
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ngam-extsort.h"
#include "ngam-store.h"
#include "ngam-store-fidmap.h"

/* A spilled run is read back in blocks of this many entries (4 KiB). */
#define RUN_BLOCK 512
/* and merged through buffers of this many entries (64 KiB each) */
#define MERGE_CHUNK 8192

static gboolean
spill_error (GError **error, int errsv)
{
  g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_FAILED,
               "cannot keep the imported features' hashes in a temporary file: %s", g_strerror (errsv));
  return FALSE;
}

void
ngam_fid_map_init (NgamFidMap *m)
{
  memset (m, 0, sizeof *m);
  m->fd = -1;
}

/* Lets go of the memory (the lookups are over); the spill file stays
 * until ngam_fid_map_clear(). */
void
ngam_fid_map_release (NgamFidMap *m)
{
  g_clear_pointer (&m->slots, g_free);
  g_clear_pointer (&m->filter, g_free);
  g_clear_pointer (&m->block, g_free);
  m->n_slots = m->n = 0;
  m->filter_words = 0;
}

void
ngam_fid_map_clear (NgamFidMap *m)
{
  ngam_fid_map_release (m);
  if (m->runs)
    {
      for (guint i = 0; i < m->runs->len; i++)
        g_free (g_array_index (m->runs, NgamFidMapRun, i).fence);
      g_array_unref (m->runs);
    }
  if (m->wide)
    g_array_unref (m->wide);
  if (m->fd >= 0)
    close (m->fd);
  ngam_fid_map_init (m);
}

/* A key's home slot: its top bits, so that the slots hold the keys nearly
 * in order (each a few slots past its home at most), and a spill sorts
 * them in about one pass. */
gsize
ngam_fid_map_pos (const NgamFidMap *m, guint32 h)
{
  return (gsize) (h >> (m->shift - 32));
}

static void
ngam_fid_map_put_slot (NgamFidMap *m, guint64 v)
{
  gsize mask = m->n_slots - 1, i = ngam_fid_map_pos (m, (guint32) (v >> 32));

  while (m->slots[i] != 0)
    i = (i + 1) & mask;
  m->slots[i] = v;
}

static guint
log2_ceil (gsize n)
{
  guint bits = 0;

  while (((gsize) 1 << bits) < n)
    bits++;
  return bits;
}

void
ngam_fid_map_resize (NgamFidMap *m, gsize n_slots)
{
  guint64 *old = m->slots;
  gsize n_old = m->n_slots;
  guint bits = log2_ceil (n_slots);

  m->n_slots = (gsize) 1 << bits;
  m->shift = 64 - bits;
  m->slots = g_new0 (guint64, m->n_slots);
  for (gsize i = 0; i < n_old; i++)
    if (old[i])
      ngam_fid_map_put_slot (m, old[i]);
  g_free (old);
}

/* Slots for @n entries at most three quarters full. */
gsize
ngam_fid_map_slots_for (gsize n)
{
  return (gsize) 1 << log2_ceil (MAX ((n * 4 + 2) / 3, 1024));
}

/* The Bloom filter (Bloom, "Space/time trade-offs in hash coding with
 * allowable errors", CACM 13(7), 1970) over the spilled hashes: three bits
 * a hash, all in one 64-bit word (a blocked filter, Putze, Sanders and
 * Singler, "Cache-, hash- and space-efficient Bloom filters", WEA 2007),
 * so that a lookup costs one cache miss, not three; at 8 bits a hash it
 * lets about 3 % of absent hashes through, as the classic one would. */
static guint64
mix64 (guint64 x)
{
  /* MurmurHash3's finaliser */
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

/* The word of @h (top bits of its mix) and its three bits (low bits). */
guint64 *
ngam_fid_map_filter_word (const NgamFidMap *m, guint32 h, guint64 *bits)
{
  guint64 a = mix64 (h);

  *bits = (guint64) 1 << (a & 63) | (guint64) 1 << ((a >> 6) & 63) | (guint64) 1 << ((a >> 12) & 63);
  return &m->filter[a >> m->filter_shift];
}

static void
filter_add (NgamFidMap *m, guint32 h)
{
  guint64 bits, *w = ngam_fid_map_filter_word (m, h, &bits);

  *w |= bits;
}

static gboolean
filter_may_have (const NgamFidMap *m, guint32 h)
{
  guint64 bits, *w = ngam_fid_map_filter_word (m, h, &bits);

  return (*w & bits) == bits;
}

/* Insertion sort of @v; FALSE, the values still all there but only partly
 * sorted, once it has moved more than @max_moves of them. */
static gboolean
insertion_sort_u64 (guint64 *v, gsize n, gsize max_moves)
{
  gsize moves = 0;

  for (gsize i = 1; i < n; i++)
    {
      guint64 x = v[i];
      gsize k = i;

      for (; k > 0 && v[k - 1] > x; k--)
        v[k] = v[k - 1];
      v[k] = x;
      moves += i - k;
      if (moves > max_moves)
        return FALSE;
    }
  return TRUE;
}

/* Sorts @n values in place (entries are distinct and their hashes well
 * spread, so a plain quicksort never meets its bad cases; glibc's qsort
 * would copy the whole array, which is what the budget is for). */
static void
sort_u64 (guint64 *v, gsize n)
{
  while (n > 16)
    {
      guint64 a = v[0], b = v[n / 2], c = v[n - 1];
      guint64 pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
      gsize i = 0, j = n - 1;

      for (;;)
        {
          while (v[i] < pivot)
            i++;
          while (v[j] > pivot)
            j--;
          if (i >= j)
            break;
          {
            guint64 t = v[i];

            v[i] = v[j];
            v[j] = t;
          }
          i++;
          j--;
        }
      /* [0, j] ≤ pivot ≤ [j + 1, n): recurse into the smaller side */
      if (j + 1 < n - j - 1)
        {
          sort_u64 (v, j + 1);
          v += j + 1;
          n -= j + 1;
        }
      else
        {
          sort_u64 (v + j + 1, n - j - 1);
          n = j + 1;
        }
    }
  insertion_sort_u64 (v, n, G_MAXSIZE);
}

/* Sorts @v, nearly in order already (the slots' order): insertion sort,
 * unless the keys were not spread after all (then the quicksort). */
static void
sort_nearly_sorted (guint64 *v, gsize n)
{
  if (!insertion_sort_u64 (v, n, 16 * n))
    sort_u64 (v, n);
}

static gboolean
write_all (int fd, const void *data, gsize len, goffset offset, GError **error)
{
  int e = ngam_pio_all (fd, TRUE, (void *) data, len, (guint64) offset);

  return e == 0 || spill_error (error, e);
}

static gboolean
read_all (int fd, void *data, gsize len, goffset offset, GError **error)
{
  int e = ngam_pio_all (fd, FALSE, data, len, (guint64) offset);

  return e == 0 || spill_error (error, e);
}

/* The space of a run merged away goes back to the file system. */
static void
punch (NgamFidMap *m, const NgamFidMapRun *r)
{
#ifdef FALLOC_FL_PUNCH_HOLE
  if (fallocate (m->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, r->offset, (goffset) r->n * 8) != 0)
    g_debug ("could not free a merged run's space: %s", g_strerror (errno));
#endif
}

/* A buffered reader of one run, for merging. */
typedef struct
{
  const NgamFidMap   *m;
  const NgamFidMapRun *r;
  guint64        *buf;
  gsize           pos, len, done;   /* in buf; entries read from the run */
} RunCursor;

/* 1 with the next value in @v, 0 at the run's end, -1 on an error */
static int
cursor_peek (RunCursor *c, guint64 *v, GError **error)
{
  if (c->pos == c->len)
    {
      gsize n = MIN (MERGE_CHUNK, c->r->n - c->done);

      if (n == 0)
        return 0;
      if (!read_all (c->m->fd, c->buf, n * 8, c->r->offset + (goffset) c->done * 8, error))
        return -1;
      c->pos = 0;
      c->len = n;
      c->done += n;
    }
  *v = c->buf[c->pos];
  return 1;
}

/* Merges the last two runs into one at the file's end. */
static gboolean
ngam_fid_map_merge (NgamFidMap *m, GError **error)
{
  NgamFidMapRun *a = &g_array_index (m->runs, NgamFidMapRun, m->runs->len - 2);
  NgamFidMapRun *b = &g_array_index (m->runs, NgamFidMapRun, m->runs->len - 1);
  NgamFidMapRun out = { m->file_end, a->n + b->n, NULL };
  g_autofree guint64 *bufs = g_new (guint64, 3 * MERGE_CHUNK);
  RunCursor ca = { m, a, bufs, 0, 0, 0 }, cb = { m, b, bufs + MERGE_CHUNK, 0, 0, 0 };
  guint64 *o = bufs + 2 * MERGE_CHUNK;
  gsize no = 0, written = 0;

  out.fence = g_new (guint32, (out.n + RUN_BLOCK - 1) / RUN_BLOCK);
  while (written + no < out.n)
    {
      guint64 va = 0, vb = 0, v;
      int ha, hb;

      if ((ha = cursor_peek (&ca, &va, error)) < 0 || (hb = cursor_peek (&cb, &vb, error)) < 0)
        goto fail;
      if (ha && (!hb || va < vb))
        v = va, ca.pos++;
      else
        v = vb, cb.pos++;
      if ((written + no) % RUN_BLOCK == 0)
        out.fence[(written + no) / RUN_BLOCK] = (guint32) (v >> 32);
      o[no++] = v;
      if (no == MERGE_CHUNK)
        {
          if (!write_all (m->fd, o, no * 8, out.offset + (goffset) written * 8, error))
            goto fail;
          written += no;
          no = 0;
        }
    }
  if (no && !write_all (m->fd, o, no * 8, out.offset + (goffset) written * 8, error))
    goto fail;
  m->file_end += (goffset) out.n * 8;
  punch (m, a);
  punch (m, b);
  g_free (a->fence);
  g_free (b->fence);
  g_array_set_size (m->runs, m->runs->len - 2);
  g_array_append_val (m->runs, out);
  return TRUE;

fail:
  g_free (out.fence);
  return FALSE;
}

/* Moves every entry in memory to a new sorted run of the spill file: the
 * memory is reused from empty.  Runs are merged as a binary counter would
 * carry (a run at most twice the size of the next one merges with it), so
 * there are at most log2 (spilled / max_entries) + 1 of them and each
 * entry is rewritten as often: the log-structured merge of O'Neil et al.
 * ("The log-structured merge-tree", Acta Informatica 33(4), 1996). */
static gboolean
ngam_fid_map_spill (NgamFidMap    *m,
               gsize      max_entries,
               GError   **error)
{
  NgamFidMapRun run = { 0 };
  gsize n = 0;

  if (m->fd < 0)
    {
      g_autofree char *path = NULL;
      gsize want_bits = (gsize) 1 << log2_ceil (8 * MAX (m->expected, 2 * max_entries));
      /* the filter may take twice the slots' memory */
      gsize max_bits = 2 * 64 * ngam_fid_map_slots_for (max_entries);
      gsize bits = CLAMP (want_bits, 1024, max_bits);

      m->fd = g_file_open_tmp ("ngam-import-XXXXXX", &path, error);
      if (m->fd < 0)
        return FALSE;
      g_unlink (path);
      m->runs = g_array_new (FALSE, FALSE, sizeof (NgamFidMapRun));
      m->filter_words = bits / 64;
      m->filter_shift = 64 - log2_ceil (m->filter_words);
      m->filter = g_new0 (guint64, m->filter_words);
      m->block = g_new (guint64, RUN_BLOCK);
    }
  for (gsize i = 0; i < m->n_slots; i++)
    if (m->slots[i])
      m->slots[n++] = m->slots[i];
  if (n == 0)
    return TRUE;
  sort_nearly_sorted (m->slots, n);
  run.offset = m->file_end;
  run.n = n;
  run.fence = g_new (guint32, (n + RUN_BLOCK - 1) / RUN_BLOCK);
  for (gsize i = 0; i < n; i++)
    {
      filter_add (m, (guint32) (m->slots[i] >> 32));
      if (i % RUN_BLOCK == 0)
        run.fence[i / RUN_BLOCK] = (guint32) (m->slots[i] >> 32);
    }
  if (!write_all (m->fd, m->slots, n * 8, run.offset, error))
    {
      g_free (run.fence);
      return FALSE;
    }
  m->file_end += (goffset) n * 8;
  g_array_append_val (m->runs, run);
  m->spilled += n;
  memset (m->slots, 0, m->n_slots * sizeof (guint64));
  m->n = 0;
  while (m->runs->len >= 2 &&
         g_array_index (m->runs, NgamFidMapRun, m->runs->len - 2).n <= 2 * g_array_index (m->runs, NgamFidMapRun, m->runs->len - 1).n)
    if (!ngam_fid_map_merge (m, error))
      return FALSE;
  return TRUE;
}

gboolean
ngam_fid_map_add (NgamFidMap      *m,
             gsize        max_entries,
             guint32      h,
             gint64       fid,
             GError     **error)
{
  if (fid <= 0)
    return TRUE;
  if (fid > G_MAXUINT32)
    {
      NgamFidMapWide e = { fid, h };

      if (m->wide == NULL)
        m->wide = g_array_new (FALSE, FALSE, sizeof (NgamFidMapWide));
      g_array_append_val (m->wide, e);
      return TRUE;
    }
  if (m->n + 1 > max_entries && !ngam_fid_map_spill (m, max_entries, error))
    return FALSE;
  if ((m->n + 1) * 4 > m->n_slots * 3)
    ngam_fid_map_resize (m, MAX (m->n_slots * 2, 1024));
  ngam_fid_map_put_slot (m, (guint64) h << 32 | (guint64) fid);
  m->n++;
  return TRUE;
}

/* The fids under @h in one spilled run: the blocks whose first hashes
 * bracket @h, read back one at a time. */
static gboolean
run_find (NgamFidMap          *m,
          const NgamFidMapRun  *r,
          gpointer         owner,
          guint32          h,
          NgamFidMapSameFunc         same,
          gconstpointer    data,
          gboolean        *found,
          GError         **error)
{
  gsize n_blocks = (r->n + RUN_BLOCK - 1) / RUN_BLOCK, lo = 0, hi = n_blocks;

  /* the first block whose first hash is ≥ h; h may begin in the one
   * before it */
  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (r->fence[mid] < h)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (gsize b = lo > 0 ? lo - 1 : 0; b < n_blocks && (b + 1 == lo || b == 0 || r->fence[b] <= h); b++)
    {
      gsize len = MIN (RUN_BLOCK, r->n - b * RUN_BLOCK);

      if (!read_all (m->fd, m->block, len * 8, r->offset + (goffset) b * RUN_BLOCK * 8, error))
        return FALSE;
      for (gsize i = 0; i < len; i++)
        {
          guint32 eh = (guint32) (m->block[i] >> 32);

          if (eh > h)
            return TRUE;
          if (eh == h)
            {
              if (!same (owner, (gint64) (m->block[i] & 0xffffffffu), data, found, error))
                return FALSE;
              if (*found)
                return TRUE;
            }
        }
    }
  return TRUE;
}

gboolean
ngam_fid_map_find (NgamFidMap         *m,
              gpointer        owner,
              guint32         h,
              NgamFidMapSameFunc        same,
              gconstpointer   data,
              gboolean       *found,
              GError        **error)
{
  *found = FALSE;
  if (m->n > 0)
    {
      gsize mask = m->n_slots - 1;

      for (gsize i = ngam_fid_map_pos (m, h); m->slots[i] != 0; i = (i + 1) & mask)
        if ((guint32) (m->slots[i] >> 32) == h)
          {
            if (!same (owner, (gint64) (m->slots[i] & 0xffffffffu), data, found, error))
              return FALSE;
            if (*found)
              return TRUE;
          }
    }
  if (m->spilled > 0 && filter_may_have (m, h))
    {
      m->file_lookups++;
      for (guint i = 0; i < m->runs->len; i++)
        {
          if (!run_find (m, &g_array_index (m->runs, NgamFidMapRun, i), owner, h, same, data, found, error))
            return FALSE;
          if (*found)
            return TRUE;
        }
    }
  for (guint i = 0; m->wide && i < m->wide->len; i++)
    {
      const NgamFidMapWide *e = &g_array_index (m->wide, NgamFidMapWide, i);

      if (e->h == h)
        {
          if (!same (owner, e->fid, data, found, error))
            return FALSE;
          if (*found)
            return TRUE;
        }
    }
  return TRUE;
}
