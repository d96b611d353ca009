/* report-fixture.h — projects with a plan run for the report tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ngam-core.h"

G_BEGIN_DECLS

/* What a fixture wrote: the plan's figures as its JSON summary says them. */
typedef struct
{
  double  cost;
  double  trench_m;
  gint64  trenches;
  gint64  manholes;
  gint64  handholes;
  gint64  spans_retired;
  gint64  poles_removed;
  gint64  poles_freed;
  guint   phases;
  double  phase_cost[8];
  double  operator_cost[2];   /* VNPT, Viettel */
} ReportFixture;

char *report_fixture_demo (const char *dir, const char *name, gboolean violation, gboolean gaps,
                           ReportFixture *fixture);
char *report_fixture_hand (const char *dir, ReportFixture *fixture);

G_END_DECLS
