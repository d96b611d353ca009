/* net-test-util.h — helpers of the network engine's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ngam-core.h"
#include "ngam-graph-build.h"
#include "ngam-route.h"
#include "ngam-steiner.h"

G_BEGIN_DECLS

/* One street of a hand-made case: WKT in metres (EPSG:32648), and the
 * attributes noding looks at (-1: not set). */
typedef struct
{
  const char *wkt;
  int         bridge;
  int         tunnel;
  int         layer;
} NetTestStreet;

/* One zone: a polygon WKT and its zone_type. */
typedef struct
{
  const char *wkt;
  const char *type;
} NetTestZone;

NgamStore *net_test_project        (const char *path, const NetTestStreet *streets, guint n_streets,
                                    const NetTestZone *zones, guint n_zones);
char      *net_test_hanoi_project  (const char *dir);

/* A project in a temporary folder of its own; freeing it closes the store
 * and removes the folder with all a test wrote there. */
typedef struct
{
  char      *dir;
  char      *path;
  NgamStore *store;
} NetTestProject;

NetTestProject *net_test_project_new       (const NetTestStreet *streets, guint n_streets,
                                            const NetTestZone *zones, guint n_zones);
NetTestProject *net_test_hanoi_project_new (void);
void            net_test_project_free      (NetTestProject *p);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NetTestProject, net_test_project_free)

/* g_test_init() and the core's own set-up, the start of every main(). */
void       net_test_init           (int *argc, char ***argv);

/* A connected-or-not random graph with integer weights 1…max_w. */
NgamGraph *net_test_random_graph   (GRand *rand, guint n, guint m, guint max_w, gboolean with_xy);

/* All-pairs distances by Floyd–Warshall: n × n. */
double    *net_test_floyd          (const NgamGraph *g, const double *cost);

/* Exact Steiner tree cost by Dreyfus–Wagner (k ≤ 10, small n). */
double     net_test_dreyfus_wagner (const NgamGraph *g, const double *cost, const guint *terms, guint k);

G_END_DECLS
