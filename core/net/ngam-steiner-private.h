/* ngam-steiner-private.h — the Steiner solver's state, shared by the
 * construction (ngam-steiner.c) and the local search
 * (ngam-steiner-search.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ngam-net-private.h"
#include "ngam-steiner.h"
#include "ngam-steiner-dual.h"

G_BEGIN_DECLS

/* A Dijkstra workspace: arrays stamped with a generation so that a search
 * costs what it touches. */
typedef struct
{
  double  *dist;
  guint   *pred;     /* edge */
  guint   *label;    /* region / component, for Voronoi searches */
  guint   *stamp;
  guint    gen;
  NgamHeap heap;
  GArray  *touched;  /* guint nodes reached, when a caller needs them */
} Search;

typedef struct
{
  const NgamGraph *g;
  guint            n, m;
  double          *w;          /* effective costs: prepaid 0, forbidden ∞ */
  guint8          *is_term;    /* terminals the current tree must span */
  GArray          *terms;      /* guint */

  Search           s1, s2;

  /* the current tree */
  guint8          *in_tree;    /* per edge */
  guint           *deg;        /* per node, tree degree */
  GArray          *tedges;     /* guint, may hold removed edges until compacted */

  /* the tree rooted at a terminal (tree_root()) */
  guint           *parent;     /* edge to the parent, G_MAXUINT at the root */
  guint           *tin, *tout; /* preorder interval of each node's subtree */
  GArray          *order;      /* guint nodes in preorder */
  guint           *mark;       /* generation marks, free for the moves */
  guint            mark_gen;

  NgamUnionFind    uf;
  /* Dial's buckets for the multi-source searches (delta 0: heap) */
  double           delta;
  guint            n_buckets;
  guint          **bucket;
  guint           *bucket_len, *bucket_cap;
  double           deadline;
  GCancellable    *cancellable;
  gboolean         stopped;
  GRand           *rand;
} Solver;

void     ngam_search_init      (Search *s, guint n);
void     ngam_search_clear     (Search *s);
void     ngam_search_begin     (Search *s, guint n);

static inline double
search_dist (const Search *s, guint v)
{
  return s->stamp[v] == s->gen ? s->dist[v] : INFINITY;
}

static inline void
search_set (Search *s, guint v, double d, guint pred, guint label)
{
  if (s->stamp[v] != s->gen && s->touched)
    g_array_append_val (s->touched, v);
  s->stamp[v] = s->gen;
  s->dist[v] = d;
  s->pred[v] = pred;
  s->label[v] = label;
}

guint    ngam_solver_next_mark (Solver *s);
void     ngam_solver_choose_buckets (Solver *s);
void     ngam_solver_free_buckets (Solver *s);
gboolean ngam_search_run       (Solver *s, Search *q, double bound, gboolean labels, gboolean may_stop);
gboolean ngam_solver_should_stop (Solver *s);

/* tree bookkeeping */
void     ngam_tree_clear       (Solver *s);
void     ngam_tree_add         (Solver *s, guint e);
void     ngam_tree_remove      (Solver *s, guint e);
void     ngam_tree_compact     (Solver *s);
double   ngam_tree_cost        (Solver *s);
void     ngam_tree_set         (Solver *s, const guint *edges, guint n);
void     ngam_tree_prune       (Solver *s);
gboolean ngam_tree_mst_prune   (Solver *s);
void     ngam_tree_root        (Solver *s, guint root);
gboolean ngam_tree_is_key      (Solver *s, guint v);

/* constructions */
gboolean ngam_steiner_sph      (Solver *s, guint root, const double *wc);
gboolean ngam_steiner_mehlhorn (Solver *s);

/* local search: each returns TRUE when it improved the tree */
gboolean ngam_steiner_key_path_exchange   (Solver *s);
gboolean ngam_steiner_key_path_voronoi    (Solver *s);
gboolean ngam_steiner_key_vertex_elimination (Solver *s);
gboolean ngam_steiner_vertex_insertion    (Solver *s);
gboolean ngam_steiner_vertex_elimination  (Solver *s);
void     ngam_steiner_local_search        (Solver *s);

/* dual ascent (ngam-steiner-dual.c): the best bound over some roots,
 * with the reduced costs and directed graph it came from */
typedef struct
{
  double       bound;
  NgamDaGraph *graph;
  double      *rc;
  double      *from_root, *to_term;   /* reduced-cost distances, once needed */
} SteinerDual;

double   ngam_steiner_dual_bound (Solver *s, double seconds, guint max_roots, SteinerDual *dual);
void     ngam_steiner_dual_clear (SteinerDual *dual);
guint    ngam_steiner_dual_eliminate (Solver *s, SteinerDual *dual, double upper);
void     ngam_steiner_dual_saturated (Solver *s, const double *rc, double *wc);
gboolean ngam_steiner_dual_guide (Solver *s, guint root, double amp, double *wc);

G_END_DECLS
