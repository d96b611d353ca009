/* ngam-store-fidmap.h — the import run's bounded maps from hash to fid
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to core/store (ngam-store-fidmap.c says how they work).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A multimap from 32-bit hashes to fids: slot = hash << 32 | fid, 0 empty
 * (fids start at 1).  Past max_entries the entries move to sorted runs in
 * a temporary file (see ngam_fid_map_spill()); a fid beyond 32 bits (never seen
 * in practice: 4·10^9 rows) waits in a short list of its own. */
typedef struct
{
  goffset  offset;      /* in the spill file */
  gsize    n;           /* entries, sorted */
  guint32 *fence;       /* the hash of each block's first entry */
} NgamFidMapRun;

typedef struct
{
  gint64  fid;
  guint32 h;
} NgamFidMapWide;

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
  GArray       *runs;           /* NgamFidMapRun, oldest (largest) first */
  guint64      *filter;         /* Bloom filter of the spilled hashes */
  gsize         filter_words;
  guint         filter_shift;   /* 64 − log2 (bits) */
  guint64      *block;          /* one block read back */
  GArray       *wide;           /* NgamFidMapWide */
  gsize         file_lookups;   /* lookups the filter let through */
} NgamFidMap;

/* Checks the candidate @fid filed under a hash against what is looked
 * for (@data); @owner is the map's user (sqlite/ngam-sqlite-sync.c's run). */
typedef gboolean (*NgamFidMapSameFunc) (gpointer owner, gint64 fid, gconstpointer data, gboolean *equal,
                                        GError **error);

void      ngam_fid_map_init        (NgamFidMap *m);
void      ngam_fid_map_release     (NgamFidMap *m);
void      ngam_fid_map_clear       (NgamFidMap *m);
gsize     ngam_fid_map_slots_for   (gsize n);
void      ngam_fid_map_resize      (NgamFidMap *m, gsize n_slots);
gsize     ngam_fid_map_pos         (const NgamFidMap *m, guint32 h);
guint64  *ngam_fid_map_filter_word (const NgamFidMap *m, guint32 h, guint64 *bits);
gboolean  ngam_fid_map_add         (NgamFidMap *m, gsize max_entries, guint32 h, gint64 fid, GError **error);
gboolean  ngam_fid_map_find        (NgamFidMap *m, gpointer owner, guint32 h, NgamFidMapSameFunc same,
                                    gconstpointer data, gboolean *found, GError **error);

G_END_DECLS
