/* ngam-plan-private.h — the planner's shared state, between its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The plan is computed in stages, one file each, over one Plan struct:
 * scenario → input (graph, layers, edge prices) → match (spans onto
 * streets, aerial components) → design (the trench network) → ducts →
 * manholes → cost (retirements, bill, split) → phase → check → write.
 * Every array is indexed by plain numbers and walked in index order, so the
 * output never depends on a hash table's order.
 */
#pragma once

#include "ngam-graph.h"
#include "ngam-plan.h"
#include "ngam-route.h"
#include "ngam-zone.h"

G_BEGIN_DECLS

typedef enum { SPLIT_DUCTS, SPLIT_SECTION, SPLIT_EQUAL } SplitRule;
typedef enum { SURF_ASPHALT, SURF_CONCRETE, SURF_PAVING, SURF_UNPAVED, SURF_OTHER, N_SURF } Surface;
typedef enum { CABLE_FIBRE, CABLE_COPPER, CABLE_COAX, CABLE_POWER, N_CABLE } CableType;

#define N_ARRANGEMENTS 10

struct _NgamPlanScenario
{
  char  *text;            /* as read, for the run's settings */
  char  *filename;        /* what messages call it */
  /* [costs] VND */
  double open_cut_sidewalk, open_cut_roadway, open_cut_unpaved, micro_trench;
  double hdd_per_m, hdd_per_crossing, bridge_attachment, street_crossing;
  double reinstate[N_SURF];
  double duct_per_m, microduct_per_m, manhole, handhole, cable_pulling_per_m;
  double riser, pole_removal, splice_closure, sealed_closure, flood_uplift;
  double rent_tariff[6];  /* VND per metre per month by cable diameter class */
  double rent_years, reference_width_mm, width_cost_share;
  /* [rules] */
  double fill_one, fill_two, fill_more;
  double spare_ducts, duct_inner_mm, microduct_inner_mm;
  double cable_mm[N_CABLE], cables_per_span;
  double manhole_spacing_m, turn_angle_deg, intersection_clearance_m, handhole_max_ducts;
  double cover_sidewalk_m, cover_roadway_m, cover_unpaved_m, layer_pitch_m;
  double min_sidewalk_m, landslide_detour, match_distance_m, match_detour;
  int    arr_layers[N_ARRANGEMENTS], arr_ducts[N_ARRANGEMENTS];
  double arr_top_mm[N_ARRANGEMENTS], arr_bottom_mm[N_ARRANGEMENTS];
  /* [scope] */
  char **operators, **cable_types, **streets, *area, *power_company;
  gboolean with_power;
  double power_ducts, power_cable_mm, power_separation_mm;
  /* [priorities] */
  double w_hazard, w_heritage, w_festival, w_density, w_cost;
  double budget_per_year, years;
  SplitRule split;
};

/* One aerial span in scope. */
typedef struct
{
  gint64  fid;
  int     op;             /* index into Plan.parties */
  gint64  from_pole, to_pole;
  double  diameter_mm, length;
  int     cables;
  double  x0, y0, x1, y1;
  int     match;          /* MATCH_* */
  const char *reason;     /* unmatched: why */
  guint   edge_first, n_edges; /* into Plan.span_edges */
  int     comp;           /* aerial component, -1 when unmatched */
  gboolean in_scope;
  gboolean retired;
  int     phase;
  NgamShape *shape;
} Span;

enum { MATCH_NONE, MATCH_STREET, MATCH_CROSSING, MATCH_PATH };

/* An aerial component of one operator: what its underground network
 * must connect. */
typedef struct
{
  int     op;
  int     group;          /* the trench group it digs in (0 when shared) */
  GArray *terminals;      /* guint nodes, sorted */
  GArray *tree;           /* guint edges, sorted */
  GArray *left_out;       /* guint terminals no usable street joins to the rest */
  int     cables;
  double  diameter_mm;
  int     ducts;          /* ducts it needs (standard duct) */
  gboolean connected;
  double  own_cost;       /* first design, alone */
} Comp;

/* One party of the cost split: an operator or the power company. */
typedef struct
{
  char   *name;
  gboolean power;
} Party;

/* One trench: a street edge dug (or reused) by one group. */
typedef struct
{
  guint   edge;
  int     group;
  NgamMethodFlags method;
  GArray *comps;          /* int comp ids using it, sorted */
  int     cables, ducts, spare, power_ducts;
  double  duct_mm, fill;
  int     arrangement;    /* index, -1 when too many ducts */
  double  width_mm, depth_m;
  int     corridor, phase;
  double  cost;           /* rounded to VND after costing */
  double  *party_ducts;   /* per party: ducts used (for the split) */
  double  *party_section; /* per party: cable cross-section mm² */
} Trench;

typedef struct
{
  double  x, y;
  int     group, trench;  /* the trench it is on */
  const char *reason;
  gboolean handhole;
  double  moved_m;
  guint   node;           /* G_MAXUINT when along an edge */
  int     phase;
} Manhole;

typedef struct
{
  int     item;           /* ITEM_* */
  int     trench;         /* -1 when not tied to one */
  int     crossing;       /* the Crossing it prices, or -1 */
  int     party;          /* -1: shared by the trench's parties */
  int     phase;
  int     ward;
  double  amount;
  double  quantity;
  gint64  rounded;
  gint64 *shares;         /* per party, summing to rounded */
} Item;

enum
{
  ITEM_TRENCH, ITEM_REINSTATE, ITEM_HDD_CROSSING, ITEM_CROSSING, ITEM_DUCT, ITEM_MANHOLE,
  ITEM_HANDHOLE, ITEM_CABLE, ITEM_RISER, ITEM_POLE_REMOVAL, ITEM_CLOSURE, ITEM_RENT, N_ITEMS
};

typedef struct
{
  int     id;
  char   *name;
  GArray *trenches;       /* int */
  double  cost, length, score;
  int     phase;          /* 0 unfunded */
  const char *why;
} Corridor;

typedef struct
{
  const char *rule;
  gint64  fid;
  char   *message;
} Violation;

typedef struct
{
  NgamStore       *store;
  const NgamPlanScenario *sc;
  gboolean         no_sharing;
  gboolean         with_power;
  NgamProgressFunc progress;
  gpointer         progress_data;
  GCancellable    *cancellable;

  NgamGraph       *graph;
  GPtrArray       *notes;         /* char* */
  NgamShape       *area;          /* the scope's area, or NULL */
  guint            n_out_of_scope;
  guint            n_dropped;      /* pull points with no allowed place */
  /* per edge */
  GPtrArray       *street_names;  /* char* per edge (borrowed from names) */
  GHashTable      *names;         /* street fid → name, lookup only */
  int             *edge_ward;
  float           *edge_flood;    /* flood depth, m */
  gboolean        *edge_in_scope;
  int             *edge_duct_free;
  double          *edge_duct_mm;
  char           **edge_duct_owner;
  NgamMethodFlags *edge_method;   /* the method a new trench uses; 0: may not dig */
  double          *edge_fixed;    /* design price of a trench per edge; INFINITY: none */
  double          *edge_len;
  guint8          *node_degree;   /* street-graph degree, capped at 255 */
  /* layers */
  GPtrArray       *wards;         /* char* names */
  GPtrArray       *ward_shapes;   /* NgamShape* */
  GArray          *spans;         /* Span */
  GArray          *span_edges;    /* guint */
  GHashTable      *poles;         /* fid → Pole*, lookup only */
  GArray          *pole_list;     /* gint64 fids, sorted */
  GPtrArray       *parties;       /* Party* */
  int              power_party;
  int              n_groups;
  GArray          *comps;         /* Comp */
  GArray          *trenches;      /* Trench */
  GArray          *crossings;     /* Crossing */
  GArray          *manholes;      /* Manhole */
  GArray          *gaps;          /* double: every gap between pull points, m */
  GArray          *items;         /* Item */
  GArray          *corridors;     /* Corridor */
  GArray          *violations;    /* Violation */
  GArray          *retired;       /* int span index */
  GArray          *removed, *freed, *risers; /* PoleOut */
  double           cost_design, cost_design_alone;
  double           design_bound;   /* ngam-plan-bound.c: no design costs less */
  gboolean         design_bound_complete;
  double           budget_per_year;
  int              years;
  gint64           total;
  JsonNode        *summary;
} Plan;

typedef struct
{
  gint64  fid;
  double  x, y;
  char   *owner;
  char   *operator_name;
  int     n_spans, n_retired;
  int     first_op;       /* the operator of the first span retired at it */
  int     first_span;
  int     phase;
  gboolean power_retired; /* a power span at it comes down */
} Pole;

typedef struct
{
  gint64  pole;
  int     party;
  int     phase;
  int     ward;           /* the ward its removal is costed in, -1 for none */
} PoleOut;

typedef struct
{
  guint   edge;
  double  x, y;
  int     group, trench, phase;
  GArray *parties;        /* int */
} Crossing;

/* ngam-plan-scenario.c */
NgamPlanScenario *ngam_plan_scenario_copy_with (const NgamPlanScenario *sc, const NgamPlanOptions *options,
                                               GError **error);
int         ngam_plan_scenario_line (const NgamPlanScenario *sc, const char *group, const char *key);
const char *ngam_plan_surface_name (Surface s);
Surface     ngam_plan_surface_of   (const char *surface);
CableType   ngam_plan_cable_type_of (const char *type);

/* stages */
gboolean plan_input    (Plan *p, GError **error);
gboolean plan_match    (Plan *p, GError **error);
gboolean plan_design   (Plan *p, GError **error);
gboolean plan_bound    (Plan *p, GError **error);
void     plan_ducts    (Plan *p);
void     plan_manholes (Plan *p);
void     plan_cost     (Plan *p);
void     plan_phase    (Plan *p);
void     plan_split    (Plan *p);
void     plan_check    (Plan *p);
JsonNode *plan_summary (Plan *p);
gboolean plan_write    (Plan *p, const char *scenario_name, gint64 *run_id, guint *n_features, GError **error);

/* helpers */
int      plan_party      (Plan *p, const char *name, gboolean power);
int      plan_trench_find (Plan *p, int group, guint edge);
int      plan_span_trench (Plan *p, const Span *s);
void     plan_note       (Plan *p, const char *fmt, ...) G_GNUC_PRINTF (2, 3);
void     plan_violation  (Plan *p, const char *rule, gint64 fid, const char *fmt, ...) G_GNUC_PRINTF (4, 5);
int      plan_ducts_for  (const NgamPlanScenario *sc, int cables, double diameter_mm, double inner_mm);
double   plan_fill_limit (const NgamPlanScenario *sc, int cables);
void     plan_edge_point (const NgamGraph *g, guint edge, double along, double *x, double *y);
double   plan_rent_per_m (const NgamPlanScenario *sc, double diameter_mm);
gboolean plan_cancelled  (Plan *p, GError **error);
gboolean plan_point_in_shape (const NgamShape *shape, double x, double y);
void     plan_comp_box   (const Plan *p, const Comp *c, double box[4]);
double   plan_comp_var_per_m  (const Plan *p, const Comp *c);
double   plan_comp_rent_per_m (const Plan *p, const Comp *c);
double   plan_comp_reuse_per_m (const Plan *p, const Comp *c, guint edge);
gboolean plan_duct_is_own     (const Plan *p, guint edge, int op);
int      plan_cmp_guint  (gconstpointer a, gconstpointer b);

G_END_DECLS
