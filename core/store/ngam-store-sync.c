/* ngam-store-sync.c — re-import: match features by source key, update,
 * add and retire; the import log; nearest-feature lookups for snapping
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An import writes one layer inside the caller's transaction.  Features
 * are matched on their source key within a scope, which the caller
 * chooses by passing an operator or not:
 *
 *  - an operator, when every feature of the run is that operator's (an
 *    operator's newer file replaces its older one, whatever the file is
 *    called, and the features of that operator it lacks are retired),
 *    but for the features a shared file gave that operator: those are the
 *    shared file's to update and retire (operator_scope_sql());
 *  - else the source layer name: a run with no operator, or one whose
 *    features carry their own operators (a profile's operator_field: one
 *    shared file with several operators' features).  Scoping such a run
 *    by one operator would retire every other operator's features and
 *    miss the ones that changed owner; by the layer, the same file
 *    re-imported matches itself, and a newer file of the same name
 *    updates, adds and retires within it, a feature that changed owner
 *    being an update.  A feature matches only if its operator is the same
 *    too, so a changed [values.operator] shows as updates.
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
 *
 * In a first import (nothing in the scope yet) every feature is new: they
 * wait in a small group (the caller keeps them alive until
 * ngam_store_sync_flush()) and go into one many-row INSERT; duplicate and
 * key checks look at the waiting group too.  When the scope already has
 * features (a re-import) each feature is also looked up by key; fids found
 * unchanged go to TEMP table ngam_seen_K, which the retire step spares.  Rows added or updated carry the run's
 * import_id, so they are spared too.  New rows go through NgamStoreWriter
 * (its triggers are off for the run), so updates keep the spatial index in
 * step themselves.
 */
#define G_LOG_DOMAIN "ngam-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ngam-extsort.h"
#include "ngam-store-private.h"
#include "ngam-store-sync.h"

/* A multimap from 32-bit hashes to fids: slot = hash << 32 | fid, 0 empty
 * (fids start at 1).  Past max_entries the entries move to sorted runs in
 * a temporary file (see fid_map_spill()); a fid beyond 32 bits (never seen
 * in practice: 4·10^9 rows) waits in a short list of its own. */
typedef struct
{
  goffset  offset;      /* in the spill file */
  gsize    n;           /* entries, sorted */
  guint32 *fence;       /* the hash of each block's first entry */
} SpillRun;

typedef struct
{
  gint64  fid;
  guint32 h;
} WideEntry;

typedef struct
{
  guint64      *slots;
  gsize         n_slots;        /* a power of two, or 0 */
  guint         shift;          /* 64 − log2 (n_slots) */
  gsize         n;              /* entries in memory */
  gsize         expected;       /* entries the run announced (0: unknown) */
  gsize         spilled;        /* entries in runs */
  int           fd;             /* the spill file (unlinked), or -1 */
  goffset       file_end;
  GArray       *runs;           /* SpillRun, oldest (largest) first */
  guint64      *filter;         /* Bloom filter of the spilled hashes */
  gsize         filter_words;
  guint         filter_shift;   /* 64 − log2 (bits) */
  guint64      *block;          /* one block read back */
  GArray       *wide;           /* WideEntry */
  gsize         file_lookups;   /* lookups the filter let through */
} FidMap;

struct _NgamStoreSync
{
  NgamStore       *store;
  NgamLayerKind    kind;
  char            *operator_name;
  gint64           import_id;
  gint64           existing;      /* rows in scope when the run began */
  NgamStoreWriter *writer;
  sqlite3_stmt    *lookup;
  sqlite3_stmt    *update;
  sqlite3_stmt    *update_index;
  sqlite3_stmt    *seen;
  sqlite3_stmt    *read_content;  /* attrs, geom by fid */
  sqlite3_stmt    *read_key;      /* source_key, source_layer by fid */
  FidMap           contents;      /* content hash → fid */
  FidMap           keys;          /* key hash → fid */
  gsize            max_entries;
  GHashTable      *layers;        /* source layers written, when no operator */
  const char      *last_layer;    /* the last one seen, in layers */
  GByteArray      *blob;
  NgamShape       *shape;         /* rows read back */
  /* new rows waiting for one many-row INSERT (a first import): the
   * caller's, alive until ngam_store_sync_flush() */
  NgamFeature     *pending[NGAM_STORE_WRITER_MAX_BATCH];
  const NgamStoreRow *pending_row[NGAM_STORE_WRITER_MAX_BATCH];
  gssize           pending_attrs_len[NGAM_STORE_WRITER_MAX_BATCH];
  guint64          pending_hash[NGAM_STORE_WRITER_MAX_BATCH];
  guint64          pending_key_hash[NGAM_STORE_WRITER_MAX_BATCH];
  guint            n_pending;
};

/* MurmurHash64A (Austin Appleby, public domain): fast, and good enough
 * that hashes of similar keys ("C001", "C002"…) spread evenly. */
guint64
ngam_hash64 (guint64      seed,
             const void  *data,
             gsize        len)
{
  const guint64 m = 0xc6a4a7935bd1e995ULL;
  const int r = 47;
  const guint8 *p = data;
  guint64 h = seed ^ (len * m);

  for (; len >= 8; p += 8, len -= 8)
    {
      guint64 k;

      memcpy (&k, p, 8);
      k *= m;
      k ^= k >> r;
      k *= m;
      h ^= k;
      h *= m;
    }
  switch (len)
    {
    case 7: h ^= (guint64) p[6] << 48; G_GNUC_FALLTHROUGH;
    case 6: h ^= (guint64) p[5] << 40; G_GNUC_FALLTHROUGH;
    case 5: h ^= (guint64) p[4] << 32; G_GNUC_FALLTHROUGH;
    case 4: h ^= (guint64) p[3] << 24; G_GNUC_FALLTHROUGH;
    case 3: h ^= (guint64) p[2] << 16; G_GNUC_FALLTHROUGH;
    case 2: h ^= (guint64) p[1] << 8; G_GNUC_FALLTHROUGH;
    case 1: h ^= (guint64) p[0]; h *= m; break;
    default: break;
    }
  h ^= h >> r;
  h *= m;
  h ^= h >> r;
  return h;
}

/* The maps' 32-bit key of a 64-bit hash: folded, then mixed (MurmurHash3's
 * finaliser, a bijection) so that even hashes that are small numbers
 * spread over all 32 bits: a map files its keys by their top bits. */
static guint32
fold32 (guint64 h)
{
  guint32 k = (guint32) (h ^ (h >> 32));

  k ^= k >> 16;
  k *= 0x85ebca6bu;
  k ^= k >> 13;
  k *= 0xc2b2ae35u;
  k ^= k >> 16;
  return k;
}

/* ---- import log ------------------------------------------------------ */

/**
 * ngam_store_import_log_begin:
 *
 * Adds a row to the imports table (inside the caller's transaction).
 *
 * Returns: the import id features carry, or 0 with @error set.
 */
gint64
ngam_store_import_log_begin (NgamStore      *store,
                             const char     *source,
                             const char     *layer,
                             NgamLayerKind   kind,
                             const char     *operator_name,
                             GError        **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = g_date_time_format_iso8601 (now);

  if (sqlite3_prepare_v2 (store->db,
                          "INSERT INTO imports (started, source, layer, kind, operator) VALUES (?1, ?2, ?3, ?4, ?5)",
                          -1, &st, NULL) != SQLITE_OK)
    return ngam_store_set_sql_error (store, error, "cannot log the import"), 0;
  sqlite3_bind_text (st, 1, when, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 2, source, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 3, layer, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 4, ngam_layer_info (kind)->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 5, operator_name, -1, SQLITE_STATIC);
  if (sqlite3_step (st) != SQLITE_DONE)
    return ngam_store_set_sql_error (store, error, "cannot log the import"), 0;
  return sqlite3_last_insert_rowid (store->db);
}

gboolean
ngam_store_import_log_finish (NgamStore   *store,
                              gint64       import_id,
                              const char  *report_json,
                              GError     **error)
{
  g_autoptr(sqlite3_stmt) st = NULL;

  if (sqlite3_prepare_v2 (store->db, "UPDATE imports SET report = ?2 WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
    return ngam_store_set_sql_error (store, error, "cannot log the import");
  sqlite3_bind_int64 (st, 1, import_id);
  sqlite3_bind_text (st, 2, report_json, -1, SQLITE_STATIC);
  if (sqlite3_step (st) != SQLITE_DONE)
    return ngam_store_set_sql_error (store, error, "cannot log the import");
  return TRUE;
}

/**
 * ngam_store_import_log_shared_layers:
 *
 * The source layers under which live features of @kind are filed by runs
 * that matched them by source layer (no operator scope: shared files, or
 * no operator at all), sorted.  A full scan of the layer: for a hint to
 * people, not for every run.
 *
 * Returns: (transfer full): the names, or NULL with @error set
 */
GStrv
ngam_store_import_log_shared_layers (NgamStore      *store,
                                     NgamLayerKind   kind,
                                     GError        **error)
{
  const char *t = ngam_layer_info (kind)->name;
  g_autofree char *sql = g_strdup_printf ("SELECT DISTINCT source_layer FROM %s WHERE retired = 0 AND "
                                          "source_layer IS NOT NULL AND import_id IN "
                                          "(SELECT id FROM imports WHERE operator IS NULL AND kind = ?1) "
                                          "ORDER BY source_layer", t);
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  int rc;

  if (sqlite3_prepare_v2 (store->db, sql, -1, &st, NULL) != SQLITE_OK)
    return ngam_store_set_sql_error (store, error, "cannot read the import log"), NULL;
  sqlite3_bind_text (st, 1, t, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    g_strv_builder_add (names, (const char *) sqlite3_column_text (st, 0));
  if (rc != SQLITE_DONE)
    return ngam_store_set_sql_error (store, error, "cannot read the import log"), NULL;
  return g_strv_builder_end (names);
}

/* ---- the run's memory: hash → fid ------------------------------------- */

/* A spilled run is read back in blocks of this many entries (4 KiB). */
#define RUN_BLOCK 512
/* and merged through buffers of this many entries (64 KiB each) */
#define MERGE_CHUNK 8192

static gboolean
prepare (NgamStore *store, const char *sql, sqlite3_stmt **st, GError **error)
{
  if (sqlite3_prepare_v2 (store->db, sql, -1, st, NULL) != SQLITE_OK)
    return ngam_store_set_sql_error (store, error, "cannot prepare the import");
  return TRUE;
}

static gboolean
spill_error (GError **error, int errsv)
{
  g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_FAILED,
               "cannot keep the imported features' hashes in a temporary file: %s", g_strerror (errsv));
  return FALSE;
}

static void
fid_map_init (FidMap *m)
{
  memset (m, 0, sizeof *m);
  m->fd = -1;
}

/* Lets go of the memory (the lookups are over); the spill file stays
 * until fid_map_clear(). */
static void
fid_map_release (FidMap *m)
{
  g_clear_pointer (&m->slots, g_free);
  g_clear_pointer (&m->filter, g_free);
  g_clear_pointer (&m->block, g_free);
  m->n_slots = m->n = 0;
  m->filter_words = 0;
}

static void
fid_map_clear (FidMap *m)
{
  fid_map_release (m);
  if (m->runs)
    {
      for (guint i = 0; i < m->runs->len; i++)
        g_free (g_array_index (m->runs, SpillRun, i).fence);
      g_array_unref (m->runs);
    }
  if (m->wide)
    g_array_unref (m->wide);
  if (m->fd >= 0)
    close (m->fd);
  fid_map_init (m);
}

/* A key's home slot: its top bits, so that the slots hold the keys nearly
 * in order (each a few slots past its home at most), and a spill sorts
 * them in about one pass. */
static gsize
fid_map_pos (const FidMap *m, guint32 h)
{
  return (gsize) (h >> (m->shift - 32));
}

static void
fid_map_put_slot (FidMap *m, guint64 v)
{
  gsize mask = m->n_slots - 1, i = fid_map_pos (m, (guint32) (v >> 32));

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

static void
fid_map_resize (FidMap *m, gsize n_slots)
{
  guint64 *old = m->slots;
  gsize n_old = m->n_slots;
  guint bits = log2_ceil (n_slots);

  m->n_slots = (gsize) 1 << bits;
  m->shift = 64 - bits;
  m->slots = g_new0 (guint64, m->n_slots);
  for (gsize i = 0; i < n_old; i++)
    if (old[i])
      fid_map_put_slot (m, old[i]);
  g_free (old);
}

/* Slots for @n entries at most three quarters full. */
static gsize
slots_for (gsize n)
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
static guint64 *
filter_word (const FidMap *m, guint32 h, guint64 *bits)
{
  guint64 a = mix64 (h);

  *bits = (guint64) 1 << (a & 63) | (guint64) 1 << ((a >> 6) & 63) | (guint64) 1 << ((a >> 12) & 63);
  return &m->filter[a >> m->filter_shift];
}

static void
filter_add (FidMap *m, guint32 h)
{
  guint64 bits, *w = filter_word (m, h, &bits);

  *w |= bits;
}

static gboolean
filter_may_have (const FidMap *m, guint32 h)
{
  guint64 bits, *w = filter_word (m, h, &bits);

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
punch (FidMap *m, const SpillRun *r)
{
#ifdef FALLOC_FL_PUNCH_HOLE
  if (fallocate (m->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, r->offset, (goffset) r->n * 8) != 0)
    g_debug ("could not free a merged run's space: %s", g_strerror (errno));
#endif
}

/* A buffered reader of one run, for merging. */
typedef struct
{
  const FidMap   *m;
  const SpillRun *r;
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
fid_map_merge (FidMap *m, GError **error)
{
  SpillRun *a = &g_array_index (m->runs, SpillRun, m->runs->len - 2);
  SpillRun *b = &g_array_index (m->runs, SpillRun, m->runs->len - 1);
  SpillRun out = { m->file_end, a->n + b->n, NULL };
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
fid_map_spill (FidMap    *m,
               gsize      max_entries,
               GError   **error)
{
  SpillRun run = { 0 };
  gsize n = 0;

  if (m->fd < 0)
    {
      g_autofree char *path = NULL;
      gsize want_bits = (gsize) 1 << log2_ceil (8 * MAX (m->expected, 2 * max_entries));
      /* the filter may take twice the slots' memory */
      gsize max_bits = 2 * 64 * slots_for (max_entries);
      gsize bits = CLAMP (want_bits, 1024, max_bits);

      m->fd = g_file_open_tmp ("ngam-import-XXXXXX", &path, error);
      if (m->fd < 0)
        return FALSE;
      g_unlink (path);
      m->runs = g_array_new (FALSE, FALSE, sizeof (SpillRun));
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
         g_array_index (m->runs, SpillRun, m->runs->len - 2).n <= 2 * g_array_index (m->runs, SpillRun, m->runs->len - 1).n)
    if (!fid_map_merge (m, error))
      return FALSE;
  return TRUE;
}

static gboolean
fid_map_add (FidMap      *m,
             gsize        max_entries,
             guint32      h,
             gint64       fid,
             GError     **error)
{
  if (fid <= 0)
    return TRUE;
  if (fid > G_MAXUINT32)
    {
      WideEntry e = { fid, h };

      if (m->wide == NULL)
        m->wide = g_array_new (FALSE, FALSE, sizeof (WideEntry));
      g_array_append_val (m->wide, e);
      return TRUE;
    }
  if (m->n + 1 > max_entries && !fid_map_spill (m, max_entries, error))
    return FALSE;
  if ((m->n + 1) * 4 > m->n_slots * 3)
    fid_map_resize (m, MAX (m->n_slots * 2, 1024));
  fid_map_put_slot (m, (guint64) h << 32 | (guint64) fid);
  m->n++;
  return TRUE;
}

/* Checks each fid filed under @h with @same until one says equal. */
typedef gboolean (*SameFunc) (NgamStoreSync *s, gint64 fid, gconstpointer data, gboolean *equal, GError **error);

/* The fids under @h in one spilled run: the blocks whose first hashes
 * bracket @h, read back one at a time. */
static gboolean
run_find (FidMap          *m,
          const SpillRun  *r,
          NgamStoreSync   *s,
          guint32          h,
          SameFunc         same,
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
              if (!same (s, (gint64) (m->block[i] & 0xffffffffu), data, found, error))
                return FALSE;
              if (*found)
                return TRUE;
            }
        }
    }
  return TRUE;
}

static gboolean
fid_map_find (FidMap         *m,
              NgamStoreSync  *s,
              guint32         h,
              SameFunc        same,
              gconstpointer   data,
              gboolean       *found,
              GError        **error)
{
  *found = FALSE;
  if (m->n > 0)
    {
      gsize mask = m->n_slots - 1;

      for (gsize i = fid_map_pos (m, h); m->slots[i] != 0; i = (i + 1) & mask)
        if ((guint32) (m->slots[i] >> 32) == h)
          {
            if (!same (s, (gint64) (m->slots[i] & 0xffffffffu), data, found, error))
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
          if (!run_find (m, &g_array_index (m->runs, SpillRun, i), s, h, same, data, found, error))
            return FALSE;
          if (*found)
            return TRUE;
        }
    }
  for (guint i = 0; m->wide && i < m->wide->len; i++)
    {
      const WideEntry *e = &g_array_index (m->wide, WideEntry, i);

      if (e->h == h)
        {
          if (!same (s, e->fid, data, found, error))
            return FALSE;
          if (*found)
            return TRUE;
        }
    }
  return TRUE;
}

/* ---- sync ------------------------------------------------------------ */

/* The rows of layer @t an operator's run may match and retire: that
 * operator's, but for those a run with per-feature operators (no operator
 * of its own in the import log) last wrote, which are the shared file's:
 * an operator's own file must not retire what the province's inventory
 * says that operator has.  Parameter ?@param is the operator. */
static char *
operator_scope_sql (const char *t,
                    guint       param,
                    gboolean    by_key)
{
  /* By key, the source_key index must be the one used: "+" keeps SQLite
   * (which has no statistics to tell) from walking the operator's index,
   * all of the operator's rows for each feature. */
  return g_strdup_printf ("%soperator = ?%u AND NOT EXISTS (SELECT 1 FROM imports WHERE imports.id = %s.import_id"
                          " AND imports.operator IS NULL)", by_key ? "+" : "", param, t);
}

/**
 * ngam_store_sync_new:
 * @operator_name: (nullable): the scope, when every feature of the run is
 *   this operator's; %NULL scopes by source layer (a run whose features
 *   carry their own operators must pass %NULL: see the top of this file)
 * @import_id: from ngam_store_import_log_begin()
 *
 * Returns: (transfer full): the sync, or %NULL with @error set.
 */
NgamStoreSync *
ngam_store_sync_new (NgamStore      *store,
                     NgamLayerKind   kind,
                     const char     *operator_name,
                     gint64          import_id,
                     GError        **error)
{
  g_autoptr(NgamStoreSync) s = g_new0 (NgamStoreSync, 1);
  const NgamLayerInfo *info = ngam_layer_info (kind);
  const char *t = info->name;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *cols = ngam_store_columns_sql (kind);
  g_autofree char *tmp = NULL;
  g_autoptr(sqlite3_stmt) count = NULL;
  guint n_params = NGAM_STORE_N_COMMON + info->n_fields + 1;
  g_autofree char *scope = operator_name ? operator_scope_sql (t, 2, TRUE) : g_strdup ("source_layer = ?4");
  g_autofree char *count_scope = operator_scope_sql (t, 1, FALSE);

  s->store = store;
  s->kind = kind;
  s->operator_name = g_strdup (operator_name);
  s->import_id = import_id;
  s->layers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  s->blob = g_byte_array_new ();
  s->shape = ngam_shape_new ();
  s->max_entries = NGAM_STORE_SYNC_MAX_ENTRIES;
  fid_map_init (&s->contents);
  fid_map_init (&s->keys);

  tmp = g_strdup_printf ("DROP TABLE IF EXISTS temp.ngam_seen_%s;"
                         "CREATE TEMP TABLE ngam_seen_%s (fid INTEGER PRIMARY KEY);", t, t);
  if (!ngam_store_exec (store, tmp, error))
    return NULL;

  g_string_printf (sql, "SELECT count(*) FROM %s%s%s", t, operator_name ? " WHERE " : "", operator_name ? count_scope : "");
  if (!prepare (store, sql->str, &count, error))
    return NULL;
  sqlite3_bind_text (count, 1, operator_name, -1, SQLITE_STATIC);
  if (sqlite3_step (count) != SQLITE_ROW)
    return ngam_store_set_sql_error (store, error, "cannot count the layer"), NULL;
  s->existing = sqlite3_column_int64 (count, 0);
  /* An open read cursor would keep the writer from dropping indexes. */
  g_clear_pointer (&count, sqlite3_finalize);

  /* The lookup uses ngam_store_bind_row()'s numbering: ?2 operator, ?4
   * source layer, ?6 source key, ?9 attrs, then the fields, then geom. */
  g_string_printf (sql, "SELECT fid, retired, (attrs IS ?9 AND operator IS ?2 AND geom IS ?%u", n_params);
  for (guint i = 0; i < info->n_fields; i++)
    g_string_append_printf (sql, " AND %s IS ?%u", info->fields[i].name, NGAM_STORE_N_COMMON + 1 + i);
  g_string_append_printf (sql, ") FROM %s WHERE source_key = ?6 AND %s", t, scope);
  if (!prepare (store, sql->str, &s->lookup, error))
    return NULL;

  g_string_printf (sql, "UPDATE %s SET (%s) = (?1", t, cols);
  for (guint i = 2; i <= n_params; i++)
    g_string_append_printf (sql, ", ?%u", i);
  g_string_append (sql, "), row_version = row_version + 1 WHERE fid = ?1");
  if (!prepare (store, sql->str, &s->update, error))
    return NULL;
  g_string_printf (sql, "UPDATE idx_%s_geom SET xmin = ?2, xmax = ?3, ymin = ?4, ymax = ?5 WHERE pkid = ?1", t);
  if (!prepare (store, sql->str, &s->update_index, error))
    return NULL;
  g_string_printf (sql, "INSERT OR IGNORE INTO temp.ngam_seen_%s (fid) VALUES (?1)", t);
  if (!prepare (store, sql->str, &s->seen, error))
    return NULL;
  g_string_printf (sql, "SELECT attrs, geom FROM %s WHERE fid = ?1", t);
  if (!prepare (store, sql->str, &s->read_content, error))
    return NULL;
  g_string_printf (sql, "SELECT source_key, source_layer FROM %s WHERE fid = ?1", t);
  if (!prepare (store, sql->str, &s->read_key, error))
    return NULL;

  s->writer = ngam_store_writer_new (store, kind, error);
  if (s->writer == NULL)
    return NULL;
  return g_steal_pointer (&s);
}

/**
 * ngam_store_sync_set_memory_limit:
 * @max_entries: how many features each of the run's two maps keeps in
 *   memory before it moves them to a TEMP table (at least 1)
 *
 * For tests of the bounded path, and for machines with little memory.
 */
void
ngam_store_sync_set_memory_limit (NgamStoreSync *s,
                                  gsize          max_entries)
{
  s->max_entries = MAX (max_entries, 1);
}

/**
 * ngam_store_sync_reserve:
 * @n: how many features the run expects
 *
 * Allocates the run's memory once for @n features (within the memory
 * limit) instead of growing it as they come.
 */
void
ngam_store_sync_reserve (NgamStoreSync *s,
                         gsize          n)
{
  gsize want = slots_for (MIN (n, s->max_entries));

  if (n == 0)
    return;
  s->contents.expected = s->keys.expected = n;
  if (s->contents.n_slots < want && s->contents.n == 0)
    fid_map_resize (&s->contents, want);
  if (s->keys.n_slots < want && s->keys.n == 0)
    fid_map_resize (&s->keys, want);
  ngam_store_writer_reserve (s->writer, n);
}

/* Rows of this layer in the scope before the run: 0 means a first import,
 * where no lookup is needed. */
gint64
ngam_store_sync_count_existing (NgamStoreSync *s)
{
  return s->existing;
}

/* How many entries went to the spill files (0 while memory sufficed). */
gsize
ngam_store_sync_get_spilled (NgamStoreSync *s)
{
  return s->contents.spilled + s->keys.spilled;
}

static gboolean
same_shape (const NgamShape *a, const NgamShape *b)
{
  return a->type == b->type && a->n_points == b->n_points && a->n_parts == b->n_parts &&
         memcmp (a->xy, b->xy, sizeof (double) * 2 * a->n_points) == 0 &&
         memcmp (a->part_start, b->part_start, sizeof (guint) * (a->n_parts + 1)) == 0;
}

static gboolean
same_content (NgamStoreSync  *s,
              gint64          fid,
              gconstpointer   data,
              gboolean       *equal,
              GError        **error)
{
  const NgamFeature *f = data;
  const NgamShape *a = f->shape, *b = s->shape;
  const char *attrs;
  const void *blob;
  int rc;

  *equal = FALSE;
  sqlite3_reset (s->read_content);
  sqlite3_bind_int64 (s->read_content, 1, fid);
  rc = sqlite3_step (s->read_content);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (s->read_content);
      return rc == SQLITE_DONE ? TRUE : ngam_store_set_sql_error (s->store, error, "cannot read a feature back");
    }
  attrs = (const char *) sqlite3_column_text (s->read_content, 0);
  blob = sqlite3_column_blob (s->read_content, 1);
  if (g_strcmp0 (attrs, f->attrs) == 0 && blob != NULL &&
      ngam_shape_from_spatialite (s->shape, blob, sqlite3_column_bytes (s->read_content, 1), NULL))
    *equal = same_shape (a, b);
  sqlite3_reset (s->read_content);
  return TRUE;
}

/**
 * ngam_store_sync_hash_key:
 * @layer: the feature's source layer
 *
 * The hash ngam_store_sync_unique_key() and ngam_store_sync_put() want
 * for @key in the sync's scope.  Safe to call from another thread.
 */
guint64
ngam_store_sync_hash_key (const NgamStoreSync *s,
                          const char          *layer,
                          const char          *key)
{
  guint64 h = ngam_hash64 (0x6b6579, key, strlen (key));

  if (s->operator_name == NULL && layer)
    h = ngam_hash64 (h, layer, strlen (layer));
  return h;
}

/**
 * ngam_store_sync_prefetch:
 * @hash: the content hash of a feature ngam_store_sync_is_duplicate() will
 *   see soon
 * @key_hash: its key's (ngam_store_sync_hash_key())
 *
 * Starts loading the memory its duplicate and key checks will read: the
 * maps are larger than the caches, and a few rows ahead the wait is
 * hidden behind the row being written.
 */
void
ngam_store_sync_prefetch (NgamStoreSync *s,
                          guint64        hash,
                          guint64        key_hash)
{
  guint32 h = fold32 (hash), kh = fold32 (key_hash);
  guint64 bits;

  if (s->contents.n > 0)
    __builtin_prefetch (&s->contents.slots[fid_map_pos (&s->contents, h)]);
  if (s->keys.n > 0)
    __builtin_prefetch (&s->keys.slots[fid_map_pos (&s->keys, kh)]);
  if (s->contents.spilled > 0)
    __builtin_prefetch (filter_word (&s->contents, h, &bits));
  if (s->keys.spilled > 0)
    __builtin_prefetch (filter_word (&s->keys, kh, &bits));
}

/**
 * ngam_store_sync_is_duplicate:
 * @feature: its shape and raw attributes are compared
 * @hash: a hash of exactly those (any function, the same for the run)
 * @duplicate: (out): TRUE when the run already wrote this content
 */
gboolean
ngam_store_sync_is_duplicate (NgamStoreSync      *s,
                              const NgamFeature  *feature,
                              guint64             hash,
                              gboolean           *duplicate,
                              GError            **error)
{
  for (guint i = 0; i < s->n_pending; i++)
    if (s->pending_hash[i] == hash && g_strcmp0 (s->pending[i]->attrs, feature->attrs) == 0 &&
        same_shape (s->pending[i]->shape, feature->shape))
      {
        *duplicate = TRUE;
        return TRUE;
      }
  return fid_map_find (&s->contents, s, fold32 (hash), same_content, feature, duplicate, error);
}

typedef struct
{
  const char *key;
  const char *layer;   /* NULL when the operator is the scope */
} KeyProbe;

static gboolean
same_key (NgamStoreSync  *s,
          gint64          fid,
          gconstpointer   data,
          gboolean       *equal,
          GError        **error)
{
  const KeyProbe *k = data;
  int rc;

  *equal = FALSE;
  sqlite3_reset (s->read_key);
  sqlite3_bind_int64 (s->read_key, 1, fid);
  rc = sqlite3_step (s->read_key);
  if (rc == SQLITE_ROW)
    *equal = g_strcmp0 ((const char *) sqlite3_column_text (s->read_key, 0), k->key) == 0 &&
             (k->layer == NULL || g_strcmp0 ((const char *) sqlite3_column_text (s->read_key, 1), k->layer) == 0);
  sqlite3_reset (s->read_key);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return ngam_store_set_sql_error (s->store, error, "cannot read a feature back");
  return TRUE;
}

/**
 * ngam_store_sync_unique_key:
 * @layer: the feature's source layer
 * @key_hash: (inout): @key's hash (ngam_store_sync_hash_key()); on return,
 *   the hash of the key to store
 * @renamed: (out) (transfer full): %NULL when @key is free, else the key
 *   to store instead: "@key#2", "@key#3"…, as the run already gave @key
 *   to another feature of the scope
 */
gboolean
ngam_store_sync_unique_key (NgamStoreSync  *s,
                            const char     *layer,
                            const char     *key,
                            guint64        *key_hash,
                            char          **renamed,
                            GError        **error)
{
  *renamed = NULL;
  if (s->operator_name == NULL && (s->last_layer == NULL || strcmp (s->last_layer, layer) != 0))
    {
      if (!g_hash_table_contains (s->layers, layer))
        g_hash_table_add (s->layers, g_strdup (layer));
      s->last_layer = g_hash_table_lookup (s->layers, layer);
    }
  for (guint n = 1;; n++)
    {
      g_autofree char *candidate = n == 1 ? NULL : g_strdup_printf ("%s#%u", key, n);
      KeyProbe probe = { candidate ? candidate : key, s->operator_name ? NULL : layer };
      guint64 h = candidate ? ngam_store_sync_hash_key (s, layer, candidate) : *key_hash;
      gboolean taken = FALSE;

      for (guint i = 0; i < s->n_pending && !taken; i++)
        taken = s->pending_key_hash[i] == h && strcmp (s->pending[i]->source_key, probe.key) == 0 &&
                (probe.layer == NULL || g_strcmp0 (s->pending[i]->source_layer, probe.layer) == 0);
      if (!taken && !fid_map_find (&s->keys, s, fold32 (h), same_key, &probe, &taken, error))
        return FALSE;
      if (!taken)
        {
          *key_hash = h;
          *renamed = g_steal_pointer (&candidate);
          return TRUE;
        }
    }
}

static gboolean
update_row (NgamStoreSync  *s,
            NgamFeature    *f,
            GError        **error)
{
  const NgamShape *shape = f->shape;

  sqlite3_reset (s->update);
  ngam_store_bind_row (s->store, s->update, f, s->blob);
  if (sqlite3_step (s->update) != SQLITE_DONE)
    return ngam_store_set_sql_error (s->store, error, "cannot update a feature");
  sqlite3_reset (s->update_index);
  sqlite3_bind_int64 (s->update_index, 1, f->fid);
  sqlite3_bind_double (s->update_index, 2, shape->bbox[0]);
  sqlite3_bind_double (s->update_index, 3, shape->bbox[2]);
  sqlite3_bind_double (s->update_index, 4, shape->bbox[1]);
  sqlite3_bind_double (s->update_index, 5, shape->bbox[3]);
  if (sqlite3_step (s->update_index) != SQLITE_DONE)
    return ngam_store_set_sql_error (s->store, error, "cannot update the spatial index");
  return TRUE;
}

static gboolean
put (NgamStoreSync   *s,
     NgamFeature     *f,
     NgamSyncAction  *action,
     GError         **error)
{
  int rc;

  f->import_id = s->import_id;
  f->retired = FALSE;
  f->fid = 0;
  if (s->existing > 0 && f->source_key)
    {
      ngam_shape_to_spatialite (f->shape, s->store->srid, s->blob);
      sqlite3_reset (s->lookup);
      ngam_store_bind_row (s->store, s->lookup, f, s->blob);
      rc = sqlite3_step (s->lookup);
      if (rc == SQLITE_ROW)
        {
          gint64 fid = sqlite3_column_int64 (s->lookup, 0);
          gboolean was_retired = sqlite3_column_int (s->lookup, 1) != 0;
          gboolean same = sqlite3_column_int (s->lookup, 2) != 0;

          sqlite3_reset (s->lookup);
          f->fid = fid;
          if (same && !was_retired)
            {
              *action = NGAM_SYNC_UNCHANGED;
              sqlite3_reset (s->seen);
              sqlite3_bind_int64 (s->seen, 1, fid);
              if (sqlite3_step (s->seen) != SQLITE_DONE)
                return ngam_store_set_sql_error (s->store, error, "cannot note a feature");
              return TRUE;
            }
          *action = was_retired ? NGAM_SYNC_RESTORED : NGAM_SYNC_UPDATED;
          return update_row (s, f, error);
        }
      sqlite3_reset (s->lookup);
      if (rc != SQLITE_DONE)
        return ngam_store_set_sql_error (s->store, error, "cannot look a feature up");
      f->fid = 0;
    }
  *action = NGAM_SYNC_ADDED;
  return ngam_store_writer_add (s->writer, f, &f->fid, error);
}

/**
 * ngam_store_sync_flush:
 *
 * Writes the features ngam_store_sync_put() keeps waiting for one INSERT;
 * after it, the caller may reuse them.
 */
gboolean
ngam_store_sync_flush (NgamStoreSync  *s,
                       GError        **error)
{
  gint64 fids[NGAM_STORE_WRITER_MAX_BATCH];
  guint n = s->n_pending;

  if (n == 0)
    return TRUE;
  s->n_pending = 0;
  if (!ngam_store_writer_add_many (s->writer, s->pending, s->pending_row, s->pending_attrs_len, n, fids, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      NgamFeature *f = s->pending[i];

      f->fid = fids[i];
      if (!fid_map_add (&s->contents, s->max_entries, fold32 (s->pending_hash[i]), f->fid, error) ||
          (f->source_key && !fid_map_add (&s->keys, s->max_entries, fold32 (s->pending_key_hash[i]), f->fid, error)))
        return FALSE;
    }
  return TRUE;
}

/**
 * ngam_store_sync_put:
 * @feature: (inout): its source key (from ngam_store_sync_unique_key()),
 *   layer, operator and import id set; its fid is set on return
 * @row: (nullable): its shape, from ngam_store_row_prepare(); with it, a new feature may wait for others to be
 *   written with (see ngam_store_sync_flush()): both must stay as they are
 *   until then
 * @attrs_len: the length of its raw attributes, or -1
 * @hash: as given to ngam_store_sync_is_duplicate()
 * @key_hash: its key's, from ngam_store_sync_unique_key()
 * @action: (out): what happened
 *
 * Adds the feature, or updates (or leaves) the one with the same key, and
 * remembers its content and key for the rest of the run.
 */
gboolean
ngam_store_sync_put (NgamStoreSync   *s,
                     NgamFeature     *f,
                     const NgamStoreRow *row,
                     gssize           attrs_len,
                     guint64          hash,
                     guint64          key_hash,
                     NgamSyncAction  *action,
                     GError         **error)
{
  if (s->existing == 0 && row && f->source_key)
    {
      /* a first import: every feature is new, written in groups */
      f->import_id = s->import_id;
      f->retired = FALSE;
      f->fid = 0;
      s->pending[s->n_pending] = f;
      s->pending_row[s->n_pending] = row;
      s->pending_attrs_len[s->n_pending] = attrs_len;
      s->pending_hash[s->n_pending] = hash;
      s->pending_key_hash[s->n_pending] = key_hash;
      s->n_pending++;
      *action = NGAM_SYNC_ADDED;
      return s->n_pending < NGAM_STORE_WRITER_MAX_BATCH || ngam_store_sync_flush (s, error);
    }
  if (!ngam_store_sync_flush (s, error) || !put (s, f, action, error))
    return FALSE;
  if (!fid_map_add (&s->contents, s->max_entries, fold32 (hash), f->fid, error))
    return FALSE;
  if (f->source_key && !fid_map_add (&s->keys, s->max_entries, fold32 (key_hash), f->fid, error))
    return FALSE;
  return TRUE;
}

/**
 * ngam_store_sync_finish:
 * @retire: retire the scope's features the run did not have
 * @retired_fids: (nullable) (element-type gint64): receives the first
 *   @max_listed retired fids
 * @n_retired: (out): how many were retired
 *
 * Retires what the newer file lacks and puts the layer's triggers back.
 */
gboolean
ngam_store_sync_finish (NgamStoreSync  *s,
                        gboolean        retire,
                        GArray         *retired_fids,
                        guint           max_listed,
                        gint64         *n_retired,
                        GError        **error)
{
  const char *t = ngam_layer_info (s->kind)->name;

  *n_retired = 0;
  if (!ngam_store_sync_flush (s, error))
    return FALSE;
  if (s->contents.spilled || s->keys.spilled)
    g_debug ("the run's maps spilled %" G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT " entries (%u and %u runs);"
             " %" G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT " lookups read the file", s->contents.spilled, s->keys.spilled,
             s->contents.runs ? s->contents.runs->len : 0, s->keys.runs ? s->keys.runs->len : 0,
             s->contents.file_lookups, s->keys.file_lookups);
  /* no more lookups: the maps' memory goes before the writer's finish,
   * where the load's memory peaks */
  fid_map_clear (&s->contents);
  fid_map_clear (&s->keys);
  if (!ngam_store_writer_finish (s->writer, error))
    return FALSE;
  if (retire && s->existing > 0)
    {
      g_autoptr(GString) where = g_string_new (NULL);
      g_autoptr(GString) sql = g_string_new (NULL);
      g_autoptr(sqlite3_stmt) sel = NULL;
      g_autoptr(sqlite3_stmt) upd = NULL;
      int rc;

      if (s->operator_name == NULL)
        {
          GHashTableIter it;
          gpointer layer;
          g_autofree char *tmp = g_strdup_printf ("DROP TABLE IF EXISTS temp.ngam_layers_%s;"
                                                  "CREATE TEMP TABLE ngam_layers_%s (layer TEXT PRIMARY KEY)", t, t);
          g_autoptr(sqlite3_stmt) ins = NULL;

          if (!ngam_store_exec (s->store, tmp, error))
            return FALSE;
          g_string_printf (sql, "INSERT OR IGNORE INTO temp.ngam_layers_%s (layer) VALUES (?1)", t);
          if (!prepare (s->store, sql->str, &ins, error))
            return FALSE;
          g_hash_table_iter_init (&it, s->layers);
          while (g_hash_table_iter_next (&it, &layer, NULL))
            {
              sqlite3_reset (ins);
              sqlite3_bind_text (ins, 1, layer, -1, SQLITE_STATIC);
              if (sqlite3_step (ins) != SQLITE_DONE)
                return ngam_store_set_sql_error (s->store, error, "cannot retire features");
            }
          g_string_printf (where, "source_layer IN (SELECT layer FROM temp.ngam_layers_%s)", t);
        }
      else
        {
          g_autofree char *scope = operator_scope_sql (t, 2, FALSE);

          g_string_assign (where, scope);
        }
      g_string_append_printf (where, " AND retired = 0 AND import_id IS NOT ?1"
                                     " AND fid NOT IN (SELECT fid FROM temp.ngam_seen_%s)", t);
      g_string_printf (sql, "SELECT fid FROM %s WHERE %s ORDER BY fid", t, where->str);
      if (!prepare (s->store, sql->str, &sel, error))
        return FALSE;
      sqlite3_bind_int64 (sel, 1, s->import_id);
      sqlite3_bind_text (sel, 2, s->operator_name, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (sel)) == SQLITE_ROW)
        {
          gint64 fid = sqlite3_column_int64 (sel, 0);

          if (retired_fids && retired_fids->len < max_listed)
            g_array_append_val (retired_fids, fid);
          (*n_retired)++;
        }
      if (rc != SQLITE_DONE)
        return ngam_store_set_sql_error (s->store, error, "cannot retire features");
      g_clear_pointer (&sel, sqlite3_finalize);
      g_string_printf (sql, "UPDATE %s SET retired = 1, import_id = ?1, row_version = row_version + 1 WHERE %s", t, where->str);
      if (!prepare (s->store, sql->str, &upd, error))
        return FALSE;
      sqlite3_bind_int64 (upd, 1, s->import_id);
      sqlite3_bind_text (upd, 2, s->operator_name, -1, SQLITE_STATIC);
      if (sqlite3_step (upd) != SQLITE_DONE)
        return ngam_store_set_sql_error (s->store, error, "cannot retire features");
    }
  return TRUE;
}

void
ngam_store_sync_free (NgamStoreSync *s)
{
  if (s == NULL)
    return;
  ngam_store_writer_free (s->writer);
  sqlite3_finalize (s->lookup);
  sqlite3_finalize (s->update);
  sqlite3_finalize (s->update_index);
  sqlite3_finalize (s->seen);
  sqlite3_finalize (s->read_content);
  sqlite3_finalize (s->read_key);
  if (s->store && s->store->db)
    {
      const char *t = ngam_layer_info (s->kind)->name;
      g_autofree char *sql = g_strdup_printf ("DROP TABLE IF EXISTS temp.ngam_seen_%s;"
                                              "DROP TABLE IF EXISTS temp.ngam_layers_%s;", t, t);

      /* Best effort: temp tables vanish with the connection anyway. */
      sqlite3_exec (s->store->db, sql, NULL, NULL, NULL);
    }
  fid_map_clear (&s->contents);
  fid_map_clear (&s->keys);
  g_hash_table_unref (s->layers);
  g_byte_array_unref (s->blob);
  ngam_shape_free (s->shape);
  g_free (s->operator_name);
  g_free (s);
}

/* ---- nearest feature -------------------------------------------------- */

/* The live points of a layer within the run's extent, for snapping span
 * ends to poles with no query per end.  Up to max_points (28 bytes each)
 * they are loaded once into one uniform grid (cells about the mean
 * spacing, so a lookup reads a few cells of about one point each).  Past
 * it the layer is cut into square tiles, each loaded when a lookup first
 * needs it by one query of the R*Tree, into a grid of its own, and kept in
 * a least-recently-used list of at most max_points points: spans arrive
 * more or less along the streets, so the tiles about the current one are
 * the ones needed.  The tiles are small, max_points / 256 points each for
 * the layer's mean density, so that the list holds a few hundred of them
 * and a street's tiles are still there when the next street passes by: in
 * the 10^6 town (3.5·10^6 poles, 7.9·10^6 spans in the generator's order)
 * tiles of 3.3 km are read 1,529 times, each pole once, where 16 tiles of
 * 9 km (a budget of 2^18, 16 tiles) were read 10,097 times, every pole 52
 * times over: 176 s of the reader's CPU instead of about 4 (a simulation
 * of the list on the spans' order agrees with the runs' logs).
 * A tile holding more than a quarter of the budget halves the tiles (all
 * dropped): a dense town centre cannot overflow it.  Every point belongs
 * to exactly one tile (its lower-left corner's), and a lookup reads every
 * tile its tolerance square touches, so the answer is the one grid's, to
 * the fid. */
typedef struct
{
  gsize    n;
  double   x0, y0, cell;
  guint    nx, ny;
  guint32 *start;     /* nx × ny + 1 offsets into xy and fid, by cell */
  double  *xy;
  gint64  *fid;
} Grid;

typedef struct
{
  guint64 key;        /* ty × ntx + tx */
  Grid    grid;
  GList   link;       /* in the LRU queue, data the tile */
} Tile;

struct _NgamStoreNearest
{
  gboolean      any;          /* the layer has live features */
  gsize         max_points;
  Grid          grid;         /* all of them, when not tiled */
  gboolean      tiled;
  NgamStore    *store;
  sqlite3_stmt *tile_query;
  GMutex       *lock;         /* taken around tile queries */
  double        bbox[4];      /* points outside do not count */
  double        x0, y0, side; /* tiles */
  guint64       ntx, nty;
  GHashTable   *tiles;        /* key → Tile */
  GQueue        lru;          /* most recently used first */
  Tile         *last;         /* the last tile a lookup read */
  gsize         in_memory;    /* points in the tiles kept */
  gsize         loads;        /* tile queries made */
  NgamShape    *shape;
};

typedef struct
{
  gint64 fid;
  double x, y;
} NearPoint;

/* The cell of (x, y), clamped to one cell beyond the grid on each side
 * (so that any tolerance stays an integer range). */
static void
grid_cell (const Grid *g, double x, double y, gint64 *ix, gint64 *iy)
{
  double fx = floor ((x - g->x0) / g->cell), fy = floor ((y - g->y0) / g->cell);

  *ix = (gint64) CLAMP (fx, -1.0, (double) g->nx);
  *iy = (gint64) CLAMP (fy, -1.0, (double) g->ny);
}

static void
grid_clear (Grid *g)
{
  g_free (g->start);
  g_free (g->xy);
  g_free (g->fid);
  memset (g, 0, sizeof *g);
}

static void
grid_build (Grid *g, const NearPoint *p, gsize n)
{
  double bbox[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };
  double w, h;
  gsize cells;
  g_autofree guint32 *fill = NULL;

  g->n = n;
  if (n == 0)
    return;
  for (gsize i = 0; i < n; i++)
    {
      bbox[0] = MIN (bbox[0], p[i].x);
      bbox[1] = MIN (bbox[1], p[i].y);
      bbox[2] = MAX (bbox[2], p[i].x);
      bbox[3] = MAX (bbox[3], p[i].y);
    }
  w = bbox[2] - bbox[0];
  h = bbox[3] - bbox[1];
  g->x0 = bbox[0];
  g->y0 = bbox[1];
  g->cell = sqrt (MAX (w * h, 1e-6) / n);
  if (!(g->cell > 0) || !isfinite (g->cell))
    g->cell = 1.0;
  /* a long thin extent would make too many cells: coarser, then */
  while ((w / g->cell + 1) * (h / g->cell + 1) > 4.0 * n + 64)
    g->cell *= 2;
  g->nx = (guint) (w / g->cell) + 1;
  g->ny = (guint) (h / g->cell) + 1;
  cells = (gsize) g->nx * g->ny;
  g->start = g_new0 (guint32, cells + 1);
  g->xy = g_new (double, 2 * n);
  g->fid = g_new (gint64, n);
  /* counting sort by cell */
  for (gsize i = 0; i < n; i++)
    {
      gint64 ix, iy;

      grid_cell (g, p[i].x, p[i].y, &ix, &iy);
      ix = CLAMP (ix, 0, (gint64) g->nx - 1);
      iy = CLAMP (iy, 0, (gint64) g->ny - 1);
      g->start[iy * g->nx + ix + 1]++;
    }
  for (gsize c = 0; c < cells; c++)
    g->start[c + 1] += g->start[c];
  fill = g_memdup2 (g->start, sizeof (guint32) * cells);
  for (gsize i = 0; i < n; i++)
    {
      gint64 ix, iy;
      guint32 k;

      grid_cell (g, p[i].x, p[i].y, &ix, &iy);
      ix = CLAMP (ix, 0, (gint64) g->nx - 1);
      iy = CLAMP (iy, 0, (gint64) g->ny - 1);
      k = fill[iy * g->nx + ix]++;
      g->xy[2 * k] = p[i].x;
      g->xy[2 * k + 1] = p[i].y;
      g->fid[k] = p[i].fid;
    }
}

/* The nearest point of @g within @tolerance of (x, y) if nearer than
 * *best (or as near, with a lower fid): updates the out values. */
static void
grid_find (const Grid *g, double x, double y, double tolerance,
           double *best, gint64 *fid, double *px, double *py)
{
  gint64 ix0, iy0, ix1, iy1;

  if (g->n == 0)
    return;
  grid_cell (g, x - tolerance, y - tolerance, &ix0, &iy0);
  grid_cell (g, x + tolerance, y + tolerance, &ix1, &iy1);
  if (ix1 < 0 || iy1 < 0 || ix0 >= (gint64) g->nx || iy0 >= (gint64) g->ny)
    return;
  ix0 = MAX (ix0, 0);
  iy0 = MAX (iy0, 0);
  ix1 = MIN (ix1, (gint64) g->nx - 1);
  iy1 = MIN (iy1, (gint64) g->ny - 1);
  for (gint64 iy = iy0; iy <= iy1; iy++)
    for (gint64 ix = ix0; ix <= ix1; ix++)
      {
        gsize c = (gsize) iy * g->nx + (gsize) ix;

        for (guint32 k = g->start[c]; k < g->start[c + 1]; k++)
          {
            double d = hypot (g->xy[2 * k] - x, g->xy[2 * k + 1] - y);

            if (d <= tolerance && (d < *best || (d == *best && g->fid[k] < *fid)))
              {
                *best = d;
                *fid = g->fid[k];
                *px = g->xy[2 * k];
                *py = g->xy[2 * k + 1];
              }
          }
      }
}

/* The extent of a layer's R*Tree from its root node alone (the union of
 * its cells, in the node format of SQLite's ext/rtree/rtree.c: a 2-byte
 * depth, a 2-byte count, then 8-byte ids and four big-endian floats).
 * FALSE when the layer is empty. */
static gboolean
rtree_extent (NgamStore  *store,
              const char *table,
              double      extent[4],
              GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT data FROM idx_%s_geom_node WHERE nodeno = 1", table);
  g_autoptr(sqlite3_stmt) st = NULL;
  const guint8 *p;
  gsize len;
  guint n;

  extent[0] = extent[1] = INFINITY;
  extent[2] = extent[3] = -INFINITY;
  if (!prepare (store, sql, &st, error))
    return FALSE;
  if (sqlite3_step (st) != SQLITE_ROW)
    return FALSE;
  p = sqlite3_column_blob (st, 0);
  len = sqlite3_column_bytes (st, 0);
  if (p == NULL || len < 4)
    return FALSE;
  n = (guint) p[2] << 8 | p[3];
  for (guint i = 0; i < n && 4 + 24 * (i + 1) <= len; i++)
    {
      float box[4];

      for (int k = 0; k < 4; k++)
        {
          const guint8 *q = p + 4 + 24 * i + 8 + 4 * k;
          guint32 u = (guint32) q[0] << 24 | (guint32) q[1] << 16 | (guint32) q[2] << 8 | q[3];

          memcpy (&box[k], &u, 4);
        }
      extent[0] = MIN (extent[0], box[0]);
      extent[2] = MAX (extent[2], box[1]);
      extent[1] = MIN (extent[1], box[2]);
      extent[3] = MAX (extent[3], box[3]);
    }
  return n > 0;
}

/* The highest fid of a layer: no fewer rows than its live ones (rows are
 * retired, never deleted by an import), found in the table's last page. */
static gint64
max_fid (NgamStore *store, const char *table, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT max(fid) FROM %s", table);
  g_autoptr(sqlite3_stmt) st = NULL;

  if (!prepare (store, sql, &st, error))
    return -1;
  if (sqlite3_step (st) != SQLITE_ROW)
    return ngam_store_set_sql_error (store, error, "cannot read the layer to snap to"), -1;
  return sqlite3_column_int64 (st, 0);
}

/* Reads the point of the current row of @st (fid, geom) into @p: FALSE
 * when it has none or lies outside @bbox. */
static gboolean
row_point (sqlite3_stmt *st, NgamShape *shape, const double *bbox, NearPoint *p)
{
  const void *blob = sqlite3_column_blob (st, 1);

  if (blob == NULL || !ngam_shape_from_spatialite (shape, blob, sqlite3_column_bytes (st, 1), NULL) ||
      shape->n_points == 0)
    return FALSE;
  p->fid = sqlite3_column_int64 (st, 0);
  p->x = shape->xy[0];
  p->y = shape->xy[1];
  return !(p->x < bbox[0] || p->x > bbox[2] || p->y < bbox[1] || p->y > bbox[3]);
}

/* Tiles of side @side from (x0, y0) over @region. */
static void
tiles_layout (NgamStoreNearest *n, const double region[4], double side)
{
  n->side = side;
  n->x0 = region[0];
  n->y0 = region[1];
  n->ntx = (guint64) floor ((region[2] - region[0]) / side) + 1;
  n->nty = (guint64) floor ((region[3] - region[1]) / side) + 1;
}

static void
tile_free (gpointer data)
{
  Tile *t = data;

  grid_clear (&t->grid);
  g_free (t);
}

static void
tiles_drop (NgamStoreNearest *n)
{
  g_hash_table_remove_all (n->tiles);
  g_queue_init (&n->lru);
  n->in_memory = 0;
  n->last = NULL;
}

/* The tile column (or row) of coordinate @v, clamped to the tiles. */
static guint64
tile_index (double v, double origin, double side, guint64 count)
{
  double f = floor ((v - origin) / side);

  return (guint64) CLAMP (f, 0.0, (double) (count - 1));
}

/* Loads tile (tx, ty) and puts it first in the LRU list, dropping the
 * least recently used ones past the budget.  NULL with @error set on a
 * failure; NULL with *@smaller set when the tile was too full and the
 * tiles were made smaller (the caller starts again). */
static Tile *
tile_load (NgamStoreNearest *n, guint64 tx, guint64 ty, gboolean *smaller, GError **error)
{
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (NearPoint));
  /* the R*Tree's boxes are floats rounded outwards, and a point exactly
   * on a tile's edge must be found from both sides: a query a little
   * wider, then each point kept by the tile it falls in */
  double margin = 1e-9 * (n->side + fabs (n->x0) + fabs (n->y0));
  double q[4] = {
    tx == 0 ? -INFINITY : n->x0 + tx * n->side - margin,
    ty == 0 ? -INFINITY : n->y0 + ty * n->side - margin,
    tx + 1 == n->ntx ? INFINITY : n->x0 + (tx + 1) * n->side + margin,
    ty + 1 == n->nty ? INFINITY : n->y0 + (ty + 1) * n->side + margin,
  };
  Tile *t;
  int rc;

  if (n->lock)
    g_mutex_lock (n->lock);
  sqlite3_reset (n->tile_query);
  for (int i = 0; i < 4; i++)
    sqlite3_bind_double (n->tile_query, i + 1, q[i]);
  while ((rc = sqlite3_step (n->tile_query)) == SQLITE_ROW)
    {
      NearPoint p;

      if (row_point (n->tile_query, n->shape, n->bbox, &p) &&
          tile_index (p.x, n->x0, n->side, n->ntx) == tx && tile_index (p.y, n->y0, n->side, n->nty) == ty)
        g_array_append_val (points, p);
    }
  sqlite3_reset (n->tile_query);
  if (rc != SQLITE_DONE)
    ngam_store_set_sql_error (n->store, error, "cannot read the layer to snap to");
  if (n->lock)
    g_mutex_unlock (n->lock);
  if (rc != SQLITE_DONE)
    return NULL;
  n->loads++;
  if (points->len > n->max_points / 4 && n->side >= 2.0)
    {
      double region[4] = { n->x0, n->y0, n->x0 + n->ntx * n->side, n->y0 + n->nty * n->side };

      g_debug ("a tile of %.0f m holds %u points: tiles of %.0f m", n->side, points->len, n->side / 2);
      tiles_drop (n);
      tiles_layout (n, region, n->side / 2);
      *smaller = TRUE;
      return NULL;
    }
  while (n->in_memory + points->len > n->max_points && n->lru.tail)
    {
      Tile *old = n->lru.tail->data;

      g_queue_unlink (&n->lru, &old->link);
      n->in_memory -= old->grid.n;
      if (n->last == old)
        n->last = NULL;
      g_hash_table_remove (n->tiles, &old->key);
    }
  t = g_new0 (Tile, 1);
  t->key = ty * n->ntx + tx;
  t->link.data = t;
  grid_build (&t->grid, (const NearPoint *) points->data, points->len);
  g_hash_table_insert (n->tiles, &t->key, t);
  g_queue_push_head_link (&n->lru, &t->link);
  n->in_memory += t->grid.n;
  return t;
}

static Tile *
tile_get (NgamStoreNearest *n, guint64 tx, guint64 ty, gboolean *smaller, GError **error)
{
  guint64 key = ty * n->ntx + tx;
  Tile *t = g_hash_table_lookup (n->tiles, &key);

  if (t == NULL)
    return tile_load (n, tx, ty, smaller, error);
  if (n->lru.head != &t->link)
    {
      g_queue_unlink (&n->lru, &t->link);
      g_queue_push_head_link (&n->lru, &t->link);
    }
  return t;
}

/* Switches @n to tiles over @region, for about @estimate points there;
 * of side @side, unless 0. */
static gboolean
tiles_begin (NgamStoreNearest *n, const char *table, const double region[4], double estimate, double side,
             GError **error)
{
  double w = MAX (region[2] - region[0], 1.0), h = MAX (region[3] - region[1], 1.0);
  double per_tile = MAX (n->max_points / 256, 1);
  /* the R*Tree's ids first, then the rows in fid order: a tile's poles
   * are near each other in the table too (half the time of reading them
   * in the R*Tree's order) */
  g_autofree char *sql = g_strdup_printf ("SELECT fid, geom FROM %s WHERE fid IN (SELECT pkid FROM idx_%s_geom"
                                          " WHERE xmin <= ?3 AND xmax >= ?1 AND ymin <= ?4 AND ymax >= ?2)"
                                          " AND retired = 0", table, table);

  if (!(side > 0))
    side = sqrt (w * h * per_tile / MAX (estimate, 1.0));
  /* at least a metre, and no more than 2^40 tiles to number */
  side = MAX (side, MAX (1.0, MAX (w, h) / 1048576.0));
  if (!prepare (n->store, sql, &n->tile_query, error))
    return FALSE;
  n->tiled = TRUE;
  n->tiles = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, tile_free);
  g_queue_init (&n->lru);
  tiles_layout (n, region, side);
  g_debug ("%s: about %.0f points, more than %" G_GSIZE_FORMAT ": tiles of %.0f m, %" G_GUINT64_FORMAT " × %"
           G_GUINT64_FORMAT, table, estimate, n->max_points, side, n->ntx, n->nty);
  return TRUE;
}

/**
 * ngam_store_nearest_new_limited:
 * @kind: a point layer
 * @bbox: (nullable): only the features within it (minx, miny, maxx,
 *   maxy) count; %NULL: the whole layer
 * @max_points: how many points may be in memory at once (at least 1):
 *   more, and tiles load on demand
 * @tile_side: the tiles' side, or 0 to choose it from the layer's density
 *   (for tests)
 *
 * The live features of a point layer, for snapping span ends to poles.
 */
NgamStoreNearest *
ngam_store_nearest_new_limited (NgamStore      *store,
                                NgamLayerKind   kind,
                                const double   *bbox,
                                gsize           max_points,
                                double          tile_side,
                                GError        **error)
{
  g_autoptr(NgamStoreNearest) n = g_new0 (NgamStoreNearest, 1);
  const char *t = ngam_layer_info (kind)->name;
  g_autofree char *sql = NULL;
  g_autoptr(sqlite3_stmt) st = NULL;
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (NearPoint));
  double extent[4], region[4], estimate;
  gboolean scan, overflow = FALSE;
  gint64 top;
  int rc;

  n->store = store;
  n->max_points = MAX (max_points, 1);
  n->shape = ngam_shape_new ();
  if (!rtree_extent (store, t, extent, error))
    {
      if (error && *error)
        return NULL;
      return g_steal_pointer (&n);   /* nothing to load */
    }
  if (bbox)
    memcpy (n->bbox, bbox, sizeof n->bbox);
  else
    n->bbox[0] = n->bbox[1] = -INFINITY, n->bbox[2] = n->bbox[3] = INFINITY;
  region[0] = MAX (n->bbox[0], extent[0]);
  region[1] = MAX (n->bbox[1], extent[1]);
  region[2] = MIN (n->bbox[2], extent[2]);
  region[3] = MIN (n->bbox[3], extent[3]);
  if (region[2] < region[0] || region[3] < region[1])
    return g_steal_pointer (&n);   /* the layer is elsewhere */
  /* How many points the region holds, if they are spread as evenly as
   * the layer's: from the highest fid, no query of the rows. */
  if ((top = max_fid (store, t, error)) < 0)
    return NULL;
  {
    double area = MAX (extent[2] - extent[0], 1.0) * MAX (extent[3] - extent[1], 1.0);
    double part = MAX (region[2] - region[0], 1.0) * MAX (region[3] - region[1], 1.0);

    estimate = (double) top * MIN (part / area, 1.0);
    /* Where the box holds much of the layer, reading the table in order
     * beats fetching rows in the R*Tree's order, page by page again. */
    scan = part >= area / 4;
  }
  if (estimate > n->max_points)
    {
      if (!tiles_begin (n, t, region, estimate, tile_side, error))
        return NULL;
      goto any;
    }
  if (scan)
    sql = g_strdup_printf ("SELECT fid, geom FROM %s WHERE retired = 0", t);
  else
    /* Driven from the R*Tree: an IN (subquery) lets SQLite pick the table
     * first on some plans. */
    sql = g_strdup_printf ("SELECT p.fid, p.geom FROM idx_%s_geom AS r CROSS JOIN %s AS p"
                           " ON p.fid = r.pkid WHERE r.xmin <= ?3 AND r.xmax >= ?1"
                           " AND r.ymin <= ?4 AND r.ymax >= ?2 AND p.retired = 0", t, t);
  if (!prepare (store, sql, &st, error))
    return NULL;
  if (!scan)
    for (int i = 0; i < 4; i++)
      sqlite3_bind_double (st, i + 1, n->bbox[i]);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      NearPoint p;

      n->any = TRUE;
      if (!row_point (st, n->shape, n->bbox, &p))
        continue;
      if (points->len == n->max_points)
        {
          /* more than the layer's spread promised */
          overflow = TRUE;
          break;
        }
      g_array_append_val (points, p);
    }
  if (!overflow && rc != SQLITE_DONE)
    return ngam_store_set_sql_error (store, error, "cannot read the layer to snap to"), NULL;
  g_clear_pointer (&st, sqlite3_finalize);
  if (overflow)
    {
      g_array_set_size (points, 0);
      if (!tiles_begin (n, t, region, MAX (estimate, 4.0 * n->max_points), tile_side, error))
        return NULL;
    }
  else
    grid_build (&n->grid, (const NearPoint *) points->data, points->len);

any:
  if (!n->any)
    {
      g_autofree char *exists = g_strdup_printf ("SELECT EXISTS (SELECT 1 FROM %s WHERE retired = 0)", t);

      if (!prepare (store, exists, &st, error))
        return NULL;
      if (sqlite3_step (st) != SQLITE_ROW)
        return ngam_store_set_sql_error (store, error, "cannot read the layer to snap to"), NULL;
      n->any = sqlite3_column_int (st, 0) != 0;
    }
  return g_steal_pointer (&n);
}

/**
 * ngam_store_nearest_new:
 *
 * ngam_store_nearest_new_limited() with %NGAM_STORE_NEAREST_MAX_POINTS.
 */
NgamStoreNearest *
ngam_store_nearest_new (NgamStore      *store,
                        NgamLayerKind   kind,
                        const double   *bbox,
                        GError        **error)
{
  return ngam_store_nearest_new_limited (store, kind, bbox, NGAM_STORE_NEAREST_MAX_POINTS, 0, error);
}

/**
 * ngam_store_nearest_set_lock:
 * @lock: (nullable): held by whoever else uses the store meanwhile
 *
 * Lookups that load a tile query the store: with @lock set they take it
 * first, so that another thread may use the store's connection between
 * them (the import's writer).
 */
void
ngam_store_nearest_set_lock (NgamStoreNearest *n,
                             GMutex           *lock)
{
  n->lock = lock;
}

/* TRUE when the layer has live features (loaded or not). */
gboolean
ngam_store_nearest_any (const NgamStoreNearest *n)
{
  return n->any;
}

/* Points in memory now. */
gsize
ngam_store_nearest_loaded (const NgamStoreNearest *n)
{
  return n->tiled ? n->in_memory : n->grid.n;
}

/* TRUE when tiles load on demand; @loads: (out) (optional): how many
 * tile queries were made so far; @side: (out) (optional): the tiles'
 * side now. */
gboolean
ngam_store_nearest_is_tiled (const NgamStoreNearest *n,
                             gsize                  *loads,
                             double                 *side)
{
  if (loads)
    *loads = n->loads;
  if (side)
    *side = n->side;
  return n->tiled;
}

/**
 * ngam_store_nearest_find:
 * @fid: (out): the nearest feature within @tolerance, or 0 when none (of
 *   equally near ones, the lowest fid)
 * @px, @py: (out): its first vertex
 * @distance: (out): how far it is
 *
 * Safe to call from several threads at once when not tiled
 * (ngam_store_nearest_is_tiled()); tiled, from one at a time.
 *
 * Returns: FALSE with @error set when a tile could not be read.
 */
gboolean
ngam_store_nearest_find (NgamStoreNearest *n,
                         double            x,
                         double            y,
                         double            tolerance,
                         gint64           *fid,
                         double           *px,
                         double           *py,
                         double           *distance,
                         GError          **error)
{
  double best = INFINITY;
  guint64 tx0, ty0, tx1, ty1;

  *fid = 0;
  if (!(tolerance >= 0) || !isfinite (x) || !isfinite (y))
    return TRUE;
  if (!n->tiled)
    {
      grid_find (&n->grid, x, y, tolerance, &best, fid, px, py);
      if (*fid)
        *distance = best;
      return TRUE;
    }
again:
  if (x + tolerance < n->x0 || y + tolerance < n->y0 ||
      x - tolerance > n->x0 + n->ntx * n->side || y - tolerance > n->y0 + n->nty * n->side)
    return TRUE;
  tx0 = tile_index (x - tolerance, n->x0, n->side, n->ntx);
  ty0 = tile_index (y - tolerance, n->y0, n->side, n->nty);
  tx1 = tile_index (x + tolerance, n->x0, n->side, n->ntx);
  ty1 = tile_index (y + tolerance, n->y0, n->side, n->nty);
  /* most lookups fall in the tile of the one before */
  if (tx0 == tx1 && ty0 == ty1 && n->last && n->last->key == ty0 * n->ntx + tx0)
    {
      grid_find (&n->last->grid, x, y, tolerance, &best, fid, px, py);
      if (*fid)
        *distance = best;
      return TRUE;
    }
  for (guint64 ty = ty0; ty <= ty1; ty++)
    for (guint64 tx = tx0; tx <= tx1; tx++)
      {
        gboolean smaller = FALSE;
        Tile *t = tile_get (n, tx, ty, &smaller, error);

        if (t == NULL)
          {
            if (!smaller)
              return FALSE;
            /* the tiles were made smaller: start again */
            best = INFINITY;
            *fid = 0;
            goto again;
          }
        grid_find (&t->grid, x, y, tolerance, &best, fid, px, py);
        n->last = t;
      }
  if (*fid)
    *distance = best;
  return TRUE;
}

void
ngam_store_nearest_free (NgamStoreNearest *n)
{
  if (n == NULL)
    return;
  grid_clear (&n->grid);
  if (n->tiles)
    g_hash_table_unref (n->tiles);
  sqlite3_finalize (n->tile_query);
  ngam_shape_free (n->shape);
  g_free (n);
}
