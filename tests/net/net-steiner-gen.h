/* net-steiner-gen.h — hard Steiner instances, generated deterministically
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ngam-steiner.h"

G_BEGIN_DECLS

typedef enum
{
  NET_STEINER_GEN_RANDOM,   /* a random connected graph */
  NET_STEINER_GEN_GRID,     /* a grid with a fifth of its edges left out */
  NET_STEINER_GEN_GEOMETRIC, /* random points, each joined to its nearest
                             * neighbours, weights by distance (road-like) */
} NetSteinerGenKind;

typedef struct
{
  const char       *name;
  NetSteinerGenKind kind;
  guint             nodes;   /* grids: the largest square at most this */
  guint             edges;   /* random graphs only */
  guint             terminals;
  guint32           seed;
  const char       *family;  /* what the benchmark reports them under */
  guint             max_w;   /* weights 1…max_w (0: 10) */
} NetSteinerGenSpec;

extern const NetSteinerGenSpec net_steiner_gen_specs[];
extern const guint             net_steiner_gen_n_specs;

/* The instance of @spec (weights 1…max_w, no optimum known). */
NgamSteinerInstance *net_steiner_gen (const NetSteinerGenSpec *spec);

G_END_DECLS
