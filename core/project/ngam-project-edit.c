/* ngam-project-edit.c — the network edits a planner makes, each one undoable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each function here is one journaled edit (ngam_project_edit_begin …
 * commit) that keeps the network whole: a moved pole takes the ends of its
 * spans along, a new span starts and ends exactly on its poles, a deleted
 * pole takes its spans (a span without its pole is a dangling reference
 * the planner would refuse).  The desktop editor and tests call them; the
 * editor only decides where the pointer is.
 */
#define G_LOG_DOMAIN "ngam-project"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ngam-project.h"

/* Span ends closer than this to a pole are on it (project units: m). */
#define ON_POLE 1e-6

static int
span_field (const char *name)
{
  return ngam_layer_field_index (NGAM_LAYER_SPANS, name);
}

static char *
feature_name (const NgamFeature *f)
{
  int code = ngam_layer_field_index (f->kind, "code");

  if (code >= 0 && !ngam_feature_is_null (f, code) && *ngam_feature_get_text (f, code))
    return g_strdup (ngam_feature_get_text (f, code));
  return g_strdup_printf ("%" G_GINT64_FORMAT, f->fid);
}

/* The spans whose first (@end 0) or last (@end 1) vertex is pole @pole:
 * by reference, or, for spans imported without one, by position. */
static GPtrArray *
spans_at_pole (NgamStore          *store,
               const NgamFeature  *pole,
               GError            **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_feature_free);
  g_autoptr(NgamStoreCursor) cur = NULL;
  double x = pole->shape->xy[0], y = pole->shape->xy[1];
  double bbox[4] = { x - ON_POLE, y - ON_POLE, x + ON_POLE, y + ON_POLE };
  int from = span_field ("from_pole"), to = span_field ("to_pole");
  GError *local = NULL;

  cur = ngam_store_query (store, NGAM_LAYER_SPANS, bbox, NGAM_QUERY_DEFAULT, error);
  if (cur == NULL)
    return NULL;
  while (ngam_store_cursor_next (cur, &local))
    {
      const NgamFeature *s = ngam_store_cursor_get (cur);
      const double *xy = s->shape->xy;
      guint last = s->shape->n_points - 1;
      gboolean at_from, at_to;

      if (s->shape->n_points < 2)
        continue;
      at_from = ngam_feature_is_null (s, from)
                ? fabs (xy[0] - x) <= ON_POLE && fabs (xy[1] - y) <= ON_POLE
                : ngam_feature_get_int (s, from) == pole->fid;
      at_to = ngam_feature_is_null (s, to)
              ? fabs (xy[2 * last] - x) <= ON_POLE && fabs (xy[2 * last + 1] - y) <= ON_POLE
              : ngam_feature_get_int (s, to) == pole->fid;
      if (at_from || at_to)
        g_ptr_array_add (found, ngam_feature_copy (s));
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&found);
}

static gboolean
refuse_busy (NgamProject  *self,
             GError      **error)
{
  g_set_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_BUSY,
               _("%s: a job (an import, a plan, a gaps analysis) is running: edit when it is done"), ngam_project_get_path (self));
  return FALSE;
}

static gboolean
fail (NgamProject *self)
{
  ngam_project_edit_abort (self);
  return FALSE;
}

/**
 * ngam_project_move_pole:
 * @fid: the pole
 * @x: its new easting, project CRS
 * @y: its new northing
 * @n_spans: (out) (optional): how many span ends followed
 *
 * Moves a pole; the spans that start or end on it follow, their other
 * vertices staying where they are.
 */
gboolean
ngam_project_move_pole (NgamProject  *self,
                        gint64        fid,
                        double        x,
                        double        y,
                        guint        *n_spans,
                        GError      **error)
{
  NgamStore *store = ngam_project_get_store (self);
  g_autoptr(NgamFeature) pole = NULL;
  g_autoptr(GPtrArray) spans = NULL;
  g_autofree char *name = NULL, *label = NULL;
  int from = span_field ("from_pole"), to = span_field ("to_pole");
  double ox, oy;

  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);

  if (store == NULL)
    return refuse_busy (self, error);
  pole = ngam_store_get_feature (store, NGAM_LAYER_POLES, fid, error);
  if (pole == NULL)
    return FALSE;
  spans = spans_at_pole (store, pole, error);
  if (spans == NULL)
    return FALSE;
  name = feature_name (pole);
  label = g_strdup_printf (_("Move pole %s"), name);
  ox = pole->shape->xy[0];
  oy = pole->shape->xy[1];
  if (!ngam_project_edit_begin (self, label, error))
    return FALSE;
  pole->shape->xy[0] = x;
  pole->shape->xy[1] = y;
  if (!ngam_project_edit_update (self, pole, error))
    return fail (self);
  for (guint i = 0; i < spans->len; i++)
    {
      NgamFeature *s = spans->pdata[i];
      double *xy = s->shape->xy;
      guint last = s->shape->n_points - 1;

      if (ngam_feature_is_null (s, from) ? (fabs (xy[0] - ox) <= ON_POLE && fabs (xy[1] - oy) <= ON_POLE)
                                         : ngam_feature_get_int (s, from) == fid)
        {
          xy[0] = x;
          xy[1] = y;
        }
      if (ngam_feature_is_null (s, to)
          ? (fabs (xy[2 * last] - ox) <= ON_POLE && fabs (xy[2 * last + 1] - oy) <= ON_POLE)
          : ngam_feature_get_int (s, to) == fid)
        {
          xy[2 * last] = x;
          xy[2 * last + 1] = y;
        }
      if (!ngam_project_edit_update (self, s, error))
        return fail (self);
    }
  if (n_spans)
    *n_spans = spans->len;
  return ngam_project_edit_commit (self, error);
}

/**
 * ngam_project_add_pole:
 * @operator_name: (nullable): whose pole it is
 * @fid: (out) (optional): the new pole's fid
 */
gboolean
ngam_project_add_pole (NgamProject  *self,
                       double        x,
                       double        y,
                       const char   *operator_name,
                       gint64       *fid,
                       GError      **error)
{
  g_autoptr(NgamFeature) pole = ngam_feature_new (NGAM_LAYER_POLES);

  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);

  ngam_shape_free (pole->shape);
  pole->shape = ngam_shape_new_point (x, y);
  pole->operator_name = g_strdup (operator_name);
  ngam_feature_set_text (pole, ngam_layer_field_index (NGAM_LAYER_POLES, "status"), "planned");
  if (!ngam_project_edit_begin (self, _("Add pole"), error))
    return FALSE;
  if (!ngam_project_edit_insert (self, pole, error))
    return fail (self);
  if (fid)
    *fid = pole->fid;
  return ngam_project_edit_commit (self, error);
}

/**
 * ngam_project_add_span:
 * @from_pole: the pole it starts on
 * @to_pole: the pole it ends on
 * @via: (nullable) (array length=n_via): x, y pairs of vertices between
 * @operator_name: (nullable): whose cable; %NULL: the first pole's operator
 * @fid: (out) (optional): the new span's fid
 *
 * A span from pole to pole: its ends are exactly the poles' positions and
 * it refers to both.
 */
gboolean
ngam_project_add_span (NgamProject   *self,
                       gint64         from_pole,
                       gint64         to_pole,
                       const double  *via,
                       guint          n_via,
                       const char    *operator_name,
                       gint64        *fid,
                       GError       **error)
{
  NgamStore *store = ngam_project_get_store (self);
  g_autoptr(NgamFeature) a = NULL, b = NULL;
  g_autoptr(NgamFeature) span = ngam_feature_new (NGAM_LAYER_SPANS);
  g_autoptr(GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *na = NULL, *nb = NULL, *label = NULL;

  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);

  if (store == NULL)
    return refuse_busy (self, error);
  if (from_pole == to_pole)
    {
      g_set_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_INVALID,
                   _("A span joins two different poles"));
      return FALSE;
    }
  a = ngam_store_get_feature (store, NGAM_LAYER_POLES, from_pole, error);
  if (a == NULL)
    return FALSE;
  b = ngam_store_get_feature (store, NGAM_LAYER_POLES, to_pole, error);
  if (b == NULL)
    return FALSE;
  g_array_append_vals (xy, a->shape->xy, 2);
  if (n_via > 0)
    g_array_append_vals (xy, via, 2 * n_via);
  g_array_append_vals (xy, b->shape->xy, 2);
  ngam_shape_free (span->shape);
  span->shape = ngam_shape_new_line ((const double *) xy->data, xy->len / 2);
  span->operator_name = g_strdup (operator_name ? operator_name : a->operator_name);
  ngam_feature_set_int (span, span_field ("from_pole"), from_pole);
  ngam_feature_set_int (span, span_field ("to_pole"), to_pole);
  ngam_feature_set_text (span, span_field ("status"), "planned");
  na = feature_name (a);
  nb = feature_name (b);
  label = g_strdup_printf (_("Add span %s – %s"), na, nb);
  if (!ngam_project_edit_begin (self, label, error))
    return FALSE;
  if (!ngam_project_edit_insert (self, span, error))
    return fail (self);
  if (fid)
    *fid = span->fid;
  return ngam_project_edit_commit (self, error);
}

/**
 * ngam_project_delete_features:
 * @fids: (array length=n_fids): features of @kind
 *
 * Deletes features in one edit.  A pole takes the spans that start or end
 * on it along, so no span is left pointing at nothing.
 */
gboolean
ngam_project_delete_features (NgamProject    *self,
                              NgamLayerKind   kind,
                              const gint64   *fids,
                              guint           n_fids,
                              GError        **error)
{
  NgamStore *store = ngam_project_get_store (self);
  g_autoptr(GHashTable) spans_done = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *label = NULL;

  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);

  if (n_fids == 0)
    return TRUE;
  if (store == NULL)
    return refuse_busy (self, error);
  if (n_fids == 1)
    {
      g_autoptr(NgamFeature) f = ngam_store_get_feature (store, kind, fids[0], error);
      g_autofree char *name = NULL;

      if (f == NULL)
        return FALSE;
      name = feature_name (f);
      label = g_strdup_printf (_("Delete %s %s"), ngam_layer_info (kind)->name, name);
    }
  else
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Delete %u feature", "Delete %u features", n_fids),
                             n_fids);
  if (!ngam_project_edit_begin (self, label, error))
    return FALSE;
  for (guint i = 0; i < n_fids; i++)
    {
      if (kind == NGAM_LAYER_POLES)
        {
          g_autoptr(NgamFeature) pole = ngam_store_get_feature (store, kind, fids[i], error);
          g_autoptr(GPtrArray) spans = NULL;

          if (pole == NULL || (spans = spans_at_pole (store, pole, error)) == NULL)
            return fail (self);
          for (guint j = 0; j < spans->len; j++)
            {
              NgamFeature *s = spans->pdata[j];

              if (g_hash_table_contains (spans_done, &s->fid))
                continue;
              g_hash_table_add (spans_done, g_memdup2 (&s->fid, sizeof s->fid));
              if (!ngam_project_edit_delete (self, NGAM_LAYER_SPANS, s->fid, error))
                return fail (self);
            }
        }
      if (!ngam_project_edit_delete (self, kind, fids[i], error))
        return fail (self);
    }
  return ngam_project_edit_commit (self, error);
}

/**
 * ngam_project_set_operator:
 * @operator_name: (nullable): the new operator, or %NULL for none
 *
 * Reassigns features (spans sold to another operator, poles taken over)
 * in one edit.
 */
gboolean
ngam_project_set_operator (NgamProject    *self,
                           NgamLayerKind   kind,
                           const gint64   *fids,
                           guint           n_fids,
                           const char     *operator_name,
                           GError        **error)
{
  NgamStore *store = ngam_project_get_store (self);
  g_autofree char *label = NULL;

  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);

  if (store == NULL)
    return refuse_busy (self, error);
  label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Give %u feature to %s", "Give %u features to %s", n_fids),
                           n_fids, operator_name ? operator_name : "—");
  if (!ngam_project_edit_begin (self, label, error))
    return FALSE;
  for (guint i = 0; i < n_fids; i++)
    {
      g_autoptr(NgamFeature) f = ngam_store_get_feature (store, kind, fids[i], error);

      if (f == NULL)
        return fail (self);
      g_free (f->operator_name);
      f->operator_name = g_strdup (operator_name);
      if (!ngam_project_edit_update (self, f, error))
        return fail (self);
    }
  return ngam_project_edit_commit (self, error);
}

/**
 * ngam_project_set_shape:
 * @shape: the feature's new geometry (vertices moved, added or deleted)
 * @label: for the Undo menu
 */
gboolean
ngam_project_set_shape (NgamProject      *self,
                        NgamLayerKind     kind,
                        gint64            fid,
                        const NgamShape  *shape,
                        const char       *label,
                        GError          **error)
{
  NgamStore *store = ngam_project_get_store (self);
  g_autoptr(NgamFeature) f = NULL;

  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);

  if (store == NULL)
    return refuse_busy (self, error);
  f = ngam_store_get_feature (store, kind, fid, error);
  if (f == NULL)
    return FALSE;
  ngam_shape_free (f->shape);
  f->shape = ngam_shape_copy (shape);
  if (!ngam_project_edit_begin (self, label, error))
    return FALSE;
  if (!ngam_project_edit_update (self, f, error))
    return fail (self);
  return ngam_project_edit_commit (self, error);
}

/* The point of segment a–b nearest to p, as a fraction along it. */
static double
segment_t (const double *a, const double *b, double px, double py)
{
  double dx = b[0] - a[0], dy = b[1] - a[1], len2 = dx * dx + dy * dy;

  if (len2 == 0)
    return 0;
  return CLAMP (((px - a[0]) * dx + (py - a[1]) * dy) / len2, 0, 1);
}

/**
 * ngam_project_split_span:
 * @fid: the span
 * @x: where to split, project CRS: the nearest point of the span
 * @y: …
 * @new_fid: (out) (optional): the second part's fid
 *
 * Splits a span in two at the point of it nearest to (@x, @y).  The first
 * part keeps the fid, the second is new; both keep the attributes, the
 * first its start pole, the second its end pole.
 */
gboolean
ngam_project_split_span (NgamProject  *self,
                         gint64        fid,
                         double        x,
                         double        y,
                         gint64       *new_fid,
                         GError      **error)
{
  NgamStore *store = ngam_project_get_store (self);
  g_autoptr(NgamFeature) first = NULL, second = NULL;
  g_autoptr(GArray) a = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) b = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *name = NULL, *label = NULL;
  double best = INFINITY, sx = 0, sy = 0;
  guint best_seg = 0, n;
  const double *xy;

  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);

  if (store == NULL)
    return refuse_busy (self, error);
  first = ngam_store_get_feature (store, NGAM_LAYER_SPANS, fid, error);
  if (first == NULL)
    return FALSE;
  xy = first->shape->xy;
  n = first->shape->n_points;
  for (guint i = 0; i + 1 < n; i++)
    {
      double t = segment_t (xy + 2 * i, xy + 2 * i + 2, x, y);
      double qx = xy[2 * i] + t * (xy[2 * i + 2] - xy[2 * i]);
      double qy = xy[2 * i + 1] + t * (xy[2 * i + 3] - xy[2 * i + 1]);
      double d = hypot (qx - x, qy - y);

      if (d < best)
        {
          best = d;
          best_seg = i;
          sx = qx;
          sy = qy;
        }
    }
  if ((sx == xy[0] && sy == xy[1]) || (sx == xy[2 * n - 2] && sy == xy[2 * n - 1]))
    {
      g_set_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_INVALID,
                   _("A span is split between its ends, not at one"));
      return FALSE;
    }
  g_array_append_vals (a, xy, 2 * (best_seg + 1));
  g_array_append_val (a, sx);
  g_array_append_val (a, sy);
  g_array_append_val (b, sx);
  g_array_append_val (b, sy);
  g_array_append_vals (b, xy + 2 * (best_seg + 1), 2 * (n - best_seg - 1));

  second = ngam_feature_copy (first);
  ngam_shape_free (first->shape);
  first->shape = ngam_shape_new_line ((const double *) a->data, a->len / 2);
  ngam_feature_set_null (first, span_field ("to_pole"));
  ngam_shape_free (second->shape);
  second->shape = ngam_shape_new_line ((const double *) b->data, b->len / 2);
  ngam_feature_set_null (second, span_field ("from_pole"));
  /* The second part is a new feature: not the source's, not re-importable
   * under the first's key. */
  g_clear_pointer (&second->source_key, g_free);
  second->source_fid = -1;

  name = feature_name (first);
  label = g_strdup_printf (_("Split span %s"), name);
  if (!ngam_project_edit_begin (self, label, error))
    return FALSE;
  if (!ngam_project_edit_update (self, first, error) || !ngam_project_edit_insert (self, second, error))
    return fail (self);
  if (new_fid)
    *new_fid = second->fid;
  return ngam_project_edit_commit (self, error);
}

/**
 * ngam_project_merge_spans:
 * @first: a span
 * @second: a span with an end on one of @first's ends
 *
 * Makes one span of two that meet end to end and belong to the same
 * operator; @first keeps its fid and attributes, @second is deleted.
 */
gboolean
ngam_project_merge_spans (NgamProject  *self,
                          gint64        first,
                          gint64        second,
                          GError      **error)
{
  NgamStore *store = ngam_project_get_store (self);
  g_autoptr(NgamFeature) a = NULL, b = NULL;
  g_autoptr(GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *name = NULL, *label = NULL;
  int from = span_field ("from_pole"), to = span_field ("to_pole");
  const double *p, *q;
  guint na, nb;
  gboolean a_rev = FALSE, b_rev = FALSE;

  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);

  if (store == NULL)
    return refuse_busy (self, error);
  a = ngam_store_get_feature (store, NGAM_LAYER_SPANS, first, error);
  if (a == NULL)
    return FALSE;
  b = ngam_store_get_feature (store, NGAM_LAYER_SPANS, second, error);
  if (b == NULL)
    return FALSE;
  if (g_strcmp0 (a->operator_name, b->operator_name) != 0)
    {
      g_set_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_INVALID,
                   _("Spans of two operators (%s, %s) are not merged: reassign one first"),
                   a->operator_name ? a->operator_name : "—", b->operator_name ? b->operator_name : "—");
      return FALSE;
    }
  p = a->shape->xy;
  q = b->shape->xy;
  na = a->shape->n_points;
  nb = b->shape->n_points;
#define SAME(u, v) (fabs ((u)[0] - (v)[0]) <= ON_POLE && fabs ((u)[1] - (v)[1]) <= ON_POLE)
  if (SAME (p + 2 * na - 2, q))
    ;
  else if (SAME (p + 2 * na - 2, q + 2 * nb - 2))
    b_rev = TRUE;
  else if (SAME (p, q + 2 * nb - 2))
    a_rev = b_rev = TRUE;
  else if (SAME (p, q))
    a_rev = TRUE;
  else
    {
      g_set_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_INVALID,
                   _("The two spans do not meet end to end"));
      return FALSE;
    }
#undef SAME
  /* a (forwards or backwards), then b without its shared first vertex. */
  for (guint i = 0; i < na; i++)
    g_array_append_vals (xy, p + 2 * (a_rev ? na - 1 - i : i), 2);
  for (guint i = 1; i < nb; i++)
    g_array_append_vals (xy, q + 2 * (b_rev ? nb - 1 - i : i), 2);
  {
    gboolean a_from_null = ngam_feature_is_null (a, a_rev ? to : from);
    gint64 start = a_from_null ? 0 : ngam_feature_get_int (a, a_rev ? to : from);
    gboolean b_to_null = ngam_feature_is_null (b, b_rev ? from : to);
    gint64 end = b_to_null ? 0 : ngam_feature_get_int (b, b_rev ? from : to);

    if (a_from_null)
      ngam_feature_set_null (a, from);
    else
      ngam_feature_set_int (a, from, start);
    if (b_to_null)
      ngam_feature_set_null (a, to);
    else
      ngam_feature_set_int (a, to, end);
  }
  ngam_shape_free (a->shape);
  a->shape = ngam_shape_new_line ((const double *) xy->data, xy->len / 2);
  name = feature_name (a);
  label = g_strdup_printf (_("Merge spans into %s"), name);
  if (!ngam_project_edit_begin (self, label, error))
    return FALSE;
  if (!ngam_project_edit_update (self, a, error) || !ngam_project_edit_delete (self, NGAM_LAYER_SPANS, second, error))
    return fail (self);
  return ngam_project_edit_commit (self, error);
}
