/* test-project.c — NgamProject: opening (async, progress, cancel, refusals,
 * twice), edits announced with their boxes, undo and redo, across a
 * restart, counts off the main thread, an import, value validation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-project.h"
#include "ngam-test-util.h"

static GThread *main_thread;

typedef struct
{
  char *dir;
  char *path;
} Fixture;

/* What ::changed said, in order. */
typedef struct
{
  int    kind;
  gboolean has_bbox;
  double bbox[4];
} Change;

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  NgamStore *store;

  fx->dir = ngam_test_tmpdir ();
  fx->path = g_build_filename (fx->dir, "p.ngam", NULL);
  store = ngam_store_create (fx->path, "EPSG:9214", &error);
  g_assert_no_error (error);
  ngam_store_close (store);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  ngam_test_rmdir (fx->dir);
  g_free (fx->dir);
  g_free (fx->path);
}

static void
on_changed (NgamProject *project, int kind, const double *bbox, GArray *log)
{
  Change c = { kind, bbox != NULL, { 0 } };

  /* Always on the main context, whatever thread did the work. */
  g_assert_true (g_thread_self () == main_thread);
  if (bbox)
    memcpy (c.bbox, bbox, sizeof c.bbox);
  g_array_append_val (log, c);
}

static void
assert_change (GArray *log, guint i, int kind, const double *bbox)
{
  Change *c;

  g_assert_cmpuint (log->len, >, i);
  c = &g_array_index (log, Change, i);
  g_assert_cmpint (c->kind, ==, kind);
  if (bbox == NULL)
    g_assert_false (c->has_bbox);
  else
    {
      g_assert_true (c->has_bbox);
      for (int j = 0; j < 4; j++)
        if (c->bbox[j] != bbox[j])
          g_error ("change %u: bbox[%d] expected %.3f, got %.3f", i, j, bbox[j], c->bbox[j]);
    }
}

static NgamProject *
open_sync (const char *path)
{
  g_autoptr(GError) error = NULL;
  NgamProject *p = ngam_project_open (path, NGAM_PROJECT_OPEN_DEFAULT, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (p);
  return p;
}

static gint64
add_pole (NgamProject *p, double x, double y, const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_POLES);

  ngam_shape_free (f->shape);
  f->shape = ngam_shape_new_point (x, y);
  f->operator_name = g_strdup ("VNPT");
  ngam_feature_set_text (f, ngam_layer_field_index (NGAM_LAYER_POLES, "code"), code);
  g_assert_true (ngam_project_edit_begin (p, "Add pole", &error));
  g_assert_true (ngam_project_edit_insert (p, f, &error));
  g_assert_true (ngam_project_edit_commit (p, &error));
  g_assert_no_error (error);
  g_assert_cmpint (f->fid, >, 0);
  return f->fid;
}

static void
pole_xy (NgamProject *p, gint64 fid, double *x, double *y)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamFeature) f = ngam_store_get_feature (ngam_project_get_store (p), NGAM_LAYER_POLES, fid, &error);

  g_assert_no_error (error);
  *x = f->shape->xy[0];
  *y = f->shape->xy[1];
}

static void
wait_for (gboolean *flag)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!*flag)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* A missing file and a file that is not a project are refused with the
 * store's errors, naming the file; a cancelled open opens nothing. */
static void
test_open_refused (Fixture *fx, gconstpointer data)
{
  g_autofree char *missing = g_build_filename (fx->dir, "missing.ngam", NULL);
  g_autofree char *text = g_build_filename (fx->dir, "notes.ngam", NULL);
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  NgamProject *p;

  p = ngam_project_open (missing, 0, NULL, NULL, NULL, &error);
  g_assert_null (p);
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (text, "not a project\n", -1, NULL));
  p = ngam_project_open (text, 0, NULL, NULL, NULL, &error);
  g_assert_null (p);
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NOT_SQLITE);
  g_clear_error (&error);

  g_cancellable_cancel (cancel);
  p = ngam_project_open (fx->path, 0, NULL, NULL, cancel, &error);
  g_assert_null (p);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* …and left no lock behind: it opens for editing now. */
  p = open_sync (fx->path);
  g_assert_false (ngam_project_is_read_only (p));
  g_object_unref (p);
}

typedef struct
{
  gboolean     done;
  NgamProject *project;
  GError      *error;
  guint        n_progress;
  double       last_fraction;
  gboolean     progress_on_main;
} OpenWait;

static void
open_progress (double fraction, const char *message, gpointer data)
{
  OpenWait *w = data;

  w->n_progress++;
  w->last_fraction = fraction;
  w->progress_on_main = g_thread_self () == main_thread;
}

static void
open_done (GObject *source, GAsyncResult *result, gpointer data)
{
  OpenWait *w = data;

  w->project = ngam_project_open_finish (result, &w->error);
  w->done = TRUE;
}

/* Opened on a worker thread, progress arriving on the main context; the
 * counts and the extent are those of what was written. */
static void
test_open_async (Fixture *fx, gconstpointer data)
{
  OpenWait w = { 0 };
  double extent[4];

  {
    g_autoptr(NgamProject) p = open_sync (fx->path);

    add_pole (p, 561000, 1820000, "A");
    add_pole (p, 561030, 1820040, "B");
  }
  ngam_project_open_async (fx->path, 0, open_progress, &w, NULL, open_done, &w);
  g_assert_false (w.done);
  wait_for (&w.done);
  g_assert_no_error (w.error);
  g_assert_nonnull (w.project);
  /* Idle callbacks queued by the worker may still be pending. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (w.n_progress, >=, NGAM_N_LAYERS);
  g_assert_true (w.progress_on_main);
  g_assert_cmpfloat (w.last_fraction, ==, 1.0);
  g_assert_cmpint (ngam_project_get_count (w.project, NGAM_LAYER_POLES), ==, 2);
  g_assert_cmpint (ngam_project_get_count (w.project, NGAM_LAYER_SPANS), ==, 0);
  g_assert_true (ngam_project_get_extent (w.project, extent));
  g_assert_cmpfloat (extent[0], ==, 561000);
  g_assert_cmpfloat (extent[1], ==, 1820000);
  g_assert_cmpfloat (extent[2], ==, 561030);
  g_assert_cmpfloat (extent[3], ==, 1820040);
  g_assert_cmpstr (ngam_project_get_crs (w.project), ==, "EPSG:9214");
  g_object_unref (w.project);
}

static void
count_notify (GObject *obj, GParamSpec *pspec, guint *n)
{
  (*n)++;
}

/* An insert is announced with the point's box, a move with the box of both
 * positions; can-undo and undo-label follow; undo and redo announce the
 * same boxes and put the pole back and forth. */
static void
test_edit_undo_redo (Fixture *fx, gconstpointer data)
{
  g_autoptr(NgamProject) p = open_sync (fx->path);
  g_autoptr(GArray) log = g_array_new (FALSE, TRUE, sizeof (Change));
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamFeature) f = NULL;
  const double at[4] = { 561000, 1820000, 561000, 1820000 };
  const double moved[4] = { 561000, 1820000, 561010, 1820005 };
  guint n_can_undo = 0;
  double x, y;
  gint64 fid;

  g_assert_false (ngam_project_get_can_undo (p));
  g_assert_false (ngam_project_get_can_redo (p));
  g_assert_null (ngam_project_get_undo_label (p));
  g_signal_connect (p, "changed", G_CALLBACK (on_changed), log);
  g_signal_connect (p, "notify::can-undo", G_CALLBACK (count_notify), &n_can_undo);

  fid = add_pole (p, 561000, 1820000, "A");
  g_assert_cmpuint (log->len, ==, 1);
  assert_change (log, 0, NGAM_LAYER_POLES, at);
  g_assert_true (ngam_project_get_can_undo (p));
  g_assert_cmpuint (n_can_undo, ==, 1);
  g_assert_cmpstr (ngam_project_get_undo_label (p), ==, "Add pole");

  f = ngam_store_get_feature (ngam_project_get_store (p), NGAM_LAYER_POLES, fid, &error);
  g_assert_no_error (error);
  f->shape->xy[0] = 561010;
  f->shape->xy[1] = 1820005;
  g_assert_true (ngam_project_edit_begin (p, "Move pole A", &error));
  g_assert_true (ngam_project_edit_update (p, f, &error));
  /* Nothing is announced before the commit. */
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_true (ngam_project_edit_commit (p, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 2);
  assert_change (log, 1, NGAM_LAYER_POLES, moved);
  g_assert_cmpstr (ngam_project_get_undo_label (p), ==, "Move pole A");

  g_assert_true (ngam_project_undo (p, &error));
  g_assert_no_error (error);
  assert_change (log, 2, NGAM_LAYER_POLES, moved);
  pole_xy (p, fid, &x, &y);
  g_assert_cmpfloat (x, ==, 561000);
  g_assert_cmpfloat (y, ==, 1820000);
  g_assert_true (ngam_project_get_can_redo (p));
  g_assert_cmpstr (ngam_project_get_redo_label (p), ==, "Move pole A");
  g_assert_cmpstr (ngam_project_get_undo_label (p), ==, "Add pole");

  g_assert_true (ngam_project_redo (p, &error));
  assert_change (log, 3, NGAM_LAYER_POLES, moved);
  pole_xy (p, fid, &x, &y);
  g_assert_cmpfloat (x, ==, 561010);
  g_assert_false (ngam_project_get_can_redo (p));

  /* An aborted edit changes and announces nothing. */
  g_assert_true (ngam_project_edit_begin (p, "Delete pole A", &error));
  g_assert_true (ngam_project_edit_delete (p, NGAM_LAYER_POLES, fid, &error));
  ngam_project_edit_abort (p);
  g_assert_cmpuint (log->len, ==, 4);
  pole_xy (p, fid, &x, &y);
  g_assert_cmpfloat (x, ==, 561010);

  /* Undo both, then nothing is left to undo: refused with an error. */
  g_assert_true (ngam_project_undo (p, &error));
  g_assert_true (ngam_project_undo (p, &error));
  assert_change (log, 5, NGAM_LAYER_POLES, at);
  g_assert_false (ngam_project_get_can_undo (p));
  g_assert_false (ngam_project_undo (p, &error));
  g_assert_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NO_EDIT);
  g_assert_cmpint (ngam_store_count (ngam_project_get_store (p), NGAM_LAYER_POLES, NULL), ==, 0);
}

/* Undo survives closing and reopening the project: the journal is in the
 * file.  The new session does not know the edit's box, so it announces
 * every layer. */
static void
test_undo_after_restart (Fixture *fx, gconstpointer data)
{
  g_autoptr(GArray) log = g_array_new (FALSE, TRUE, sizeof (Change));
  g_autoptr(GError) error = NULL;
  NgamProject *p = open_sync (fx->path);
  gint64 fid = add_pole (p, 561000, 1820000, "A");

  g_object_unref (p);
  p = open_sync (fx->path);
  g_signal_connect (p, "changed", G_CALLBACK (on_changed), log);
  g_assert_true (ngam_project_get_can_undo (p));
  g_assert_cmpstr (ngam_project_get_undo_label (p), ==, "Add pole");
  g_assert_true (ngam_project_undo (p, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 1);
  assert_change (log, 0, NGAM_PROJECT_ALL_LAYERS, NULL);
  g_assert_null (ngam_store_get_feature (ngam_project_get_store (p), NGAM_LAYER_POLES, fid, NULL));
  g_object_unref (p);

  p = open_sync (fx->path);
  g_assert_true (ngam_project_get_can_redo (p));
  g_assert_true (ngam_project_redo (p, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ngam_store_count (ngam_project_get_store (p), NGAM_LAYER_POLES, NULL), ==, 1);
  g_object_unref (p);
}

/* A project open for editing is opened read-only a second time (in the
 * same process here; flock works across processes alike), says why, and
 * refuses edits; once the first is closed, the file is editable again and
 * the lock file is gone. */
static void
test_open_twice (Fixture *fx, gconstpointer data)
{
  g_autofree char *lock = g_strconcat (fx->path, "-lock", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  NgamProject *first = open_sync (fx->path);
  NgamProject *second;

  g_assert_false (ngam_project_is_read_only (first));
  g_assert_null (ngam_project_dup_read_only_message (first));
  g_assert_true (g_file_test (lock, G_FILE_TEST_EXISTS));
  second = open_sync (fx->path);
  g_assert_true (ngam_project_is_read_only (second));
  g_assert_cmpint (ngam_project_get_read_only_reason (second), ==, NGAM_PROJECT_READ_ONLY_OPEN_ELSEWHERE);
  why = ngam_project_dup_read_only_message (second);
  g_test_message ("%s", why);
  g_assert_nonnull (strstr (why, "p.ngam"));
  g_assert_nonnull (strstr (why, "another window"));
  g_assert_false (ngam_project_edit_begin (second, "Add pole", &error));
  g_assert_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (ngam_project_get_can_undo (second));
  /* The second still reads what the first writes. */
  add_pole (first, 561000, 1820000, "A");
  g_assert_cmpint (ngam_store_count (ngam_project_get_store (second), NGAM_LAYER_POLES, NULL), ==, 1);
  g_object_unref (second);
  g_object_unref (first);
  g_assert_false (g_file_test (lock, G_FILE_TEST_EXISTS));

  first = open_sync (fx->path);
  g_assert_false (ngam_project_is_read_only (first));
  g_object_unref (first);

  /* Asked for read-only, it takes no lock. */
  first = ngam_project_open (fx->path, NGAM_PROJECT_OPEN_READ_ONLY, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ngam_project_get_read_only_reason (first), ==, NGAM_PROJECT_READ_ONLY_ASKED);
  g_assert_false (g_file_test (lock, G_FILE_TEST_EXISTS));
  g_object_unref (first);
}

static void
on_counts (NgamProject *p, gboolean *flag)
{
  g_assert_true (g_thread_self () == main_thread);
  *flag = TRUE;
}

/* After edits, the counts are redone on a worker thread and announced. */
static void
test_counts (Fixture *fx, gconstpointer data)
{
  g_autoptr(NgamProject) p = open_sync (fx->path);
  gboolean counted = FALSE;

  g_assert_cmpint (ngam_project_get_count (p, NGAM_LAYER_POLES), ==, 0);
  g_signal_connect (p, "counts-changed", G_CALLBACK (on_counts), &counted);
  add_pole (p, 561000, 1820000, "A");
  add_pole (p, 561100, 1820000, "B");
  add_pole (p, 561200, 1820000, "C");
  /* Not yet: the main thread did not wait for a count. */
  g_assert_cmpint (ngam_project_get_count (p, NGAM_LAYER_POLES), ==, 0);
  wait_for (&counted);
  /* One recount may have started after the first edit: wait for the last. */
  while (ngam_project_get_count (p, NGAM_LAYER_POLES) != 3)
    {
      counted = FALSE;
      wait_for (&counted);
    }
  g_assert_cmpint (ngam_project_get_count (p, NGAM_LAYER_POLES), ==, 3);
  g_assert_cmpint (ngam_project_get_count (p, NGAM_LAYER_SITES), ==, 0);
}

typedef struct
{
  gboolean          done;
  NgamImportReport *report;
  GError           *error;
} ImportWait;

static void
import_done (GObject *source, GAsyncResult *result, gpointer data)
{
  ImportWait *w = data;

  w->report = ngam_project_import_finish (NGAM_PROJECT (source), result, &w->error);
  w->done = TRUE;
}

/* An import runs on a worker thread; meanwhile edits are refused and the
 * store is not lent out; then the layer is announced (on the main
 * context) and the counts follow. */
static void
test_import (Fixture *fx, gconstpointer data)
{
  g_autofree char *src = g_build_filename (fx->dir, "cot.geojson", NULL);
  const char *sources[] = { src, NULL };
  NgamImportOptions opts = { 0 };
  g_autoptr(NgamProject) p = open_sync (fx->path);
  g_autoptr(GArray) log = g_array_new (FALSE, TRUE, sizeof (Change));
  g_autoptr(GError) error = NULL;
  ImportWait w = { 0 };
  gboolean counted = FALSE;

  g_assert_true (g_file_set_contents (src,
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"C1\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[107.58,16.46]}},"
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"C2\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[107.581,16.461]}}]}",
    -1, NULL));
  opts.sources = sources;
  opts.kind = NGAM_LAYER_POLES;
  opts.operator_name = "VNPT";
  g_signal_connect (p, "changed", G_CALLBACK (on_changed), log);
  g_signal_connect (p, "counts-changed", G_CALLBACK (on_counts), &counted);
  ngam_project_import_async (p, &opts, NULL, NULL, NULL, import_done, &w);
  g_assert_true (ngam_project_get_busy (p));
  g_assert_null (ngam_project_get_store (p));
  g_assert_false (ngam_project_edit_begin (p, "Add pole", &error));
  g_assert_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_BUSY);
  wait_for (&w.done);
  g_assert_no_error (w.error);
  g_assert_nonnull (w.report);
  g_assert_cmpint (w.report->added, ==, 2);
  g_assert_false (ngam_project_get_busy (p));
  g_assert_cmpuint (log->len, ==, 1);
  assert_change (log, 0, NGAM_LAYER_POLES, NULL);
  while (ngam_project_get_count (p, NGAM_LAYER_POLES) != 2)
    {
      counted = FALSE;
      wait_for (&counted);
    }
  g_assert_cmpint (ngam_store_count (ngam_project_get_store (p), NGAM_LAYER_POLES, NULL), ==, 2);
  ngam_import_report_free (w.report);
}

static NgamFeature *
get (NgamProject *p, NgamLayerKind kind, gint64 fid)
{
  g_autoptr(GError) error = NULL;
  NgamFeature *f = ngam_store_get_feature (ngam_project_get_store (p), kind, fid, &error);

  g_assert_no_error (error);
  return f;
}

static void
assert_xy (const NgamShape *s, guint i, double x, double y)
{
  if (s->xy[2 * i] != x || s->xy[2 * i + 1] != y)
    g_error ("vertex %u: expected (%.3f, %.3f), got (%.3f, %.3f)", i, x, y, s->xy[2 * i], s->xy[2 * i + 1]);
}

/* A span drawn from pole to pole ends exactly on both and refers to them;
 * moving a pole moves the ends of its spans (one referring to it, one
 * imported without references that only touches it) and nothing else;
 * undo puts all back. */
static void
test_network_edits (Fixture *fx, gconstpointer data)
{
  g_autoptr(NgamProject) p = open_sync (fx->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamFeature) s1 = NULL, s2 = NULL, loose = NULL;
  const double via[2] = { 561050, 1820020 };
  gint64 a, b, c, span1, span2, loose_fid;
  guint n_spans = 0;
  int from = ngam_layer_field_index (NGAM_LAYER_SPANS, "from_pole");
  int to = ngam_layer_field_index (NGAM_LAYER_SPANS, "to_pole");

  g_assert_true (ngam_project_add_pole (p, 561000, 1820000, "VNPT", &a, &error));
  g_assert_true (ngam_project_add_pole (p, 561100, 1820000, "VNPT", &b, &error));
  g_assert_true (ngam_project_add_pole (p, 561100, 1820100, "VNPT", &c, &error));
  g_assert_true (ngam_project_add_span (p, a, b, via, 1, NULL, &span1, &error));
  g_assert_true (ngam_project_add_span (p, b, c, NULL, 0, "FPT", &span2, &error));
  g_assert_no_error (error);
  s1 = get (p, NGAM_LAYER_SPANS, span1);
  g_assert_cmpuint (s1->shape->n_points, ==, 3);
  assert_xy (s1->shape, 0, 561000, 1820000);
  assert_xy (s1->shape, 1, 561050, 1820020);
  assert_xy (s1->shape, 2, 561100, 1820000);
  g_assert_cmpint (ngam_feature_get_int (s1, from), ==, a);
  g_assert_cmpint (ngam_feature_get_int (s1, to), ==, b);
  g_assert_cmpstr (s1->operator_name, ==, "VNPT");
  g_assert_true (g_str_has_prefix (ngam_project_get_undo_label (p), "Add span "));
  g_assert_false (ngam_project_add_span (p, a, a, NULL, 0, NULL, NULL, &error));
  g_assert_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_INVALID);
  g_clear_error (&error);

  /* An imported span without references, ending on pole b by position. */
  {
    g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_SPANS);
    const double xy[4] = { 561200, 1819900, 561100, 1820000 };

    ngam_shape_free (f->shape);
    f->shape = ngam_shape_new_line (xy, 2);
    g_assert_true (ngam_project_edit_begin (p, "Import-like", &error));
    g_assert_true (ngam_project_edit_insert (p, f, &error));
    g_assert_true (ngam_project_edit_commit (p, &error));
    loose_fid = f->fid;
  }

  g_assert_true (ngam_project_move_pole (p, b, 561110, 1820010, &n_spans, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_spans, ==, 3);
  g_clear_pointer (&s1, ngam_feature_free);
  s1 = get (p, NGAM_LAYER_SPANS, span1);
  s2 = get (p, NGAM_LAYER_SPANS, span2);
  loose = get (p, NGAM_LAYER_SPANS, loose_fid);
  assert_xy (s1->shape, 0, 561000, 1820000);
  assert_xy (s1->shape, 1, 561050, 1820020);
  assert_xy (s1->shape, 2, 561110, 1820010);
  assert_xy (s2->shape, 0, 561110, 1820010);
  assert_xy (s2->shape, 1, 561100, 1820100);
  assert_xy (loose->shape, 0, 561200, 1819900);
  assert_xy (loose->shape, 1, 561110, 1820010);

  g_assert_true (ngam_project_undo (p, &error));
  g_clear_pointer (&s2, ngam_feature_free);
  s2 = get (p, NGAM_LAYER_SPANS, span2);
  assert_xy (s2->shape, 0, 561100, 1820000);

  /* Deleting pole b takes its three spans; undo brings all four back. */
  g_assert_true (ngam_project_delete_features (p, NGAM_LAYER_POLES, &b, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ngam_store_count (ngam_project_get_store (p), NGAM_LAYER_SPANS, NULL), ==, 0);
  g_assert_cmpint (ngam_store_count (ngam_project_get_store (p), NGAM_LAYER_POLES, NULL), ==, 2);
  g_assert_true (ngam_project_undo (p, &error));
  g_assert_cmpint (ngam_store_count (ngam_project_get_store (p), NGAM_LAYER_SPANS, NULL), ==, 3);
  g_assert_cmpint (ngam_store_count (ngam_project_get_store (p), NGAM_LAYER_POLES, NULL), ==, 3);
}

/* Split a span at a point and merge the parts again: the same vertices
 * as before; merging spans of two operators is refused. */
static void
test_split_merge (Fixture *fx, gconstpointer data)
{
  g_autoptr(NgamProject) p = open_sync (fx->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamFeature) s = NULL, t = NULL;
  gint64 a, b, span, second, ids[1];
  int from = ngam_layer_field_index (NGAM_LAYER_SPANS, "from_pole");
  int to = ngam_layer_field_index (NGAM_LAYER_SPANS, "to_pole");

  g_assert_true (ngam_project_add_pole (p, 561000, 1820000, "VNPT", &a, &error));
  g_assert_true (ngam_project_add_pole (p, 561100, 1820000, "VNPT", &b, &error));
  g_assert_true (ngam_project_add_span (p, a, b, NULL, 0, NULL, &span, &error));
  /* (561030, 1820007) is nearest to (561030, 1820000) of the span. */
  g_assert_true (ngam_project_split_span (p, span, 561030, 1820007, &second, &error));
  g_assert_no_error (error);
  s = get (p, NGAM_LAYER_SPANS, span);
  t = get (p, NGAM_LAYER_SPANS, second);
  g_assert_cmpuint (s->shape->n_points, ==, 2);
  assert_xy (s->shape, 1, 561030, 1820000);
  assert_xy (t->shape, 0, 561030, 1820000);
  assert_xy (t->shape, 1, 561100, 1820000);
  g_assert_cmpint (ngam_feature_get_int (s, from), ==, a);
  g_assert_true (ngam_feature_is_null (s, to));
  g_assert_true (ngam_feature_is_null (t, from));
  g_assert_cmpint (ngam_feature_get_int (t, to), ==, b);
  g_assert_false (ngam_project_split_span (p, span, 561000, 1820000, NULL, &error));
  g_assert_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_INVALID);
  g_clear_error (&error);

  ids[0] = second;
  g_assert_true (ngam_project_set_operator (p, NGAM_LAYER_SPANS, ids, 1, "FPT", &error));
  g_assert_false (ngam_project_merge_spans (p, span, second, &error));
  g_assert_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "FPT"));
  g_clear_error (&error);
  g_assert_true (ngam_project_undo (p, &error));   /* the reassignment */

  /* Merged again: one span from pole a to pole b, the split point a vertex. */
  g_assert_true (ngam_project_merge_spans (p, span, second, &error));
  g_assert_no_error (error);
  g_clear_pointer (&s, ngam_feature_free);
  s = get (p, NGAM_LAYER_SPANS, span);
  g_assert_cmpuint (s->shape->n_points, ==, 3);
  assert_xy (s->shape, 0, 561000, 1820000);
  assert_xy (s->shape, 1, 561030, 1820000);
  assert_xy (s->shape, 2, 561100, 1820000);
  g_assert_cmpint (ngam_feature_get_int (s, from), ==, a);
  g_assert_cmpint (ngam_feature_get_int (s, to), ==, b);
  g_assert_null (ngam_store_get_feature (ngam_project_get_store (p), NGAM_LAYER_SPANS, second, NULL));
}

/* The inspector's checks: types, lists of words, no negative lengths. */
static void
test_validate (void)
{
  static const struct { NgamLayerKind kind; const char *field, *text; gboolean ok; const char *says; } cases[] = {
    { NGAM_LAYER_POLES, "height_m", "8.5", TRUE, NULL },
    { NGAM_LAYER_POLES, "height_m", "", TRUE, NULL },
    { NGAM_LAYER_POLES, "height_m", "tall", FALSE, "number" },
    { NGAM_LAYER_POLES, "height_m", "-2", FALSE, "negative" },
    { NGAM_LAYER_POLES, "status", "active", TRUE, NULL },
    { NGAM_LAYER_POLES, "status", "Planned", TRUE, NULL },
    { NGAM_LAYER_POLES, "status", "leaning", FALSE, "active, planned, removed" },
    { NGAM_LAYER_POLES, "colour", "red", FALSE, "no field" },
    { NGAM_LAYER_SPANS, "fibre_count", "24", TRUE, NULL },
    { NGAM_LAYER_SPANS, "fibre_count", "24.5", FALSE, "whole number" },
    { NGAM_LAYER_SPANS, "fibre_count", "-1", FALSE, "negative" },
    { NGAM_LAYER_SPANS, "cable_type", "fibre", TRUE, NULL },
    { NGAM_LAYER_SPANS, "cable_type", "rope", FALSE, "fibre, copper" },
    { NGAM_LAYER_STREETS, "bridge", "yes", TRUE, NULL },
    { NGAM_LAYER_STREETS, "bridge", "maybe", FALSE, "yes or no" },
    { NGAM_LAYER_SPANS, "code", "anything at all", TRUE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = ngam_project_validate_value (cases[i].kind, cases[i].field, cases[i].text, &error);

      if (ok != cases[i].ok)
        g_error ("%s.%s = “%s”: expected %s, got %s (%s)", ngam_layer_info (cases[i].kind)->name,
                 cases[i].field, cases[i].text, cases[i].ok ? "ok" : "refused", ok ? "ok" : "refused",
                 error ? error->message : "");
      if (!ok)
        {
          g_assert_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_INVALID);
          if (strstr (error->message, cases[i].says) == NULL)
            g_error ("%s = “%s”: message “%s” does not say “%s”", cases[i].field, cases[i].text,
                     error->message, cases[i].says);
        }
    }
}

/* A scenario is kept only once the planner's parser accepts it; a
 * refusal names the key and keeps nothing. */
static void
test_scenarios (Fixture *fx, gconstpointer data)
{
  g_autoptr(NgamProject) p = open_sync (fx->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *text = NULL;

  g_assert_false (ngam_project_put_scenario (p, "dear", "[costs]\nmanhole = -1\n", &error));
  g_assert_error (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_SCENARIO);
  g_assert_nonnull (strstr (error->message, "[costs] manhole"));
  g_assert_nonnull (strstr (error->message, "“dear”"));
  g_clear_error (&error);
  g_assert_false (ngam_project_put_scenario (p, "dear", "[costs]\nmanhol = 1\n", &error));
  g_assert_nonnull (strstr (error->message, "unknown key"));
  g_clear_error (&error);
  g_assert_false (ngam_project_put_scenario (p, "", "[costs]\nmanhole = 1\n", &error));
  g_assert_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  list = ngam_project_list_scenarios (p, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_null (ngam_project_dup_scenario (p, "dear", &error));
  g_assert_no_error (error);

  g_assert_true (ngam_project_put_scenario (p, "dear", "[costs]\nmanhole = 99\n", &error));
  g_assert_no_error (error);
  text = ngam_project_dup_scenario (p, "dear", &error);
  g_assert_cmpstr (text, ==, "[costs]\nmanhole = 99\n");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = ngam_project_list_scenarios (p, &error);
  g_assert_cmpuint (list->len, ==, 1);
}

static void
plan_done (GObject *source, GAsyncResult *result, gpointer data)
{
  NgamPlanResult **out = data;
  g_autoptr(GError) error = NULL;

  *out = ngam_project_plan_finish (NGAM_PROJECT (source), result, &error);
  if (*out == NULL)
    {
      g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
                     g_error_matches (error, NGAM_PLAN_ERROR, NGAM_PLAN_ERROR_CANCELLED));
      *out = GINT_TO_POINTER (1);   /* done, cancelled */
    }
}

static void
gaps_done (GObject *source, GAsyncResult *result, gpointer data)
{
  NgamGapsResult **out = data;
  g_autoptr(GError) error = NULL;

  *out = ngam_project_gaps_finish (NGAM_PROJECT (source), result, &error);
  g_assert_no_error (error);
}

static void
on_runs_changed (NgamProject *p, const char *job, GPtrArray *log)
{
  g_assert_true (g_thread_self () == main_thread);
  g_ptr_array_add (log, g_strdup (job ? job : "(outside)"));
}

static void
wait_for_pointer (gpointer *ptr)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (*ptr == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* The plan as a job: busy while it runs (edits refused), a cancelled one
 * keeps no run, a finished one keeps the run the summary names and says
 * so with ::runs-changed. */
static void
test_plan_job (Fixture *fx, gconstpointer data)
{
  g_autoptr(NgamProject) p = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  NgamSampleOptions so = { 200, 1 };
  NgamPlanResult *result = NULL;
  g_autoptr(NgamRunInfo) run = NULL;

  {
    NgamStore *store = ngam_store_open (fx->path, NGAM_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    g_assert_true (ngam_sample_generate (store, &so, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    ngam_store_close (store);
  }
  p = open_sync (fx->path);
  g_signal_connect (p, "runs-changed", G_CALLBACK (on_runs_changed), log);

  ngam_project_plan_async (p, "default", NULL, NULL, NULL, cancel, plan_done, &result);
  g_assert_true (ngam_project_get_busy (p));
  g_assert_null (ngam_project_get_store (p));
  g_assert_false (ngam_project_put_scenario (p, "x", "", &error));
  g_assert_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_BUSY);
  g_clear_error (&error);
  g_cancellable_cancel (cancel);
  wait_for_pointer ((gpointer *) &result);
  g_assert_true (result == GINT_TO_POINTER (1));
  g_assert_false (ngam_project_get_busy (p));
  g_assert_cmpuint (log->len, ==, 0);
  g_assert_null (ngam_store_get_last_run (ngam_project_get_store (p), "default", "plan", NULL));

  result = NULL;
  ngam_project_plan_async (p, "default", "[costs]\nmanhole = 1000\n", NULL, NULL, NULL, plan_done, &result);
  wait_for_pointer ((gpointer *) &result);
  g_assert_true (result != GINT_TO_POINTER (1));
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (log, 0), ==, "plan");
  run = ngam_store_get_last_run (ngam_project_get_store (p), "default", "plan", &error);
  g_assert_no_error (error);
  g_assert_cmpint (run->id, ==, result->run_id);
  g_assert_cmpint (run->n_features, ==, result->n_features);
  /* The scenario text given is the one kept with the run. */
  {
    g_autofree char *kept = ngam_project_dup_scenario (p, "default", NULL);

    g_assert_cmpstr (kept, ==, "[costs]\nmanhole = 1000\n");
  }
  ngam_plan_result_free (result);

  /* Gaps first on a new scenario (it keeps the scenario with its
   * [coverage] settings), then a plan of it. */
  {
    NgamGapsResult *gaps = NULL;
    g_autofree char *kept = NULL;

    ngam_project_gaps_async (p, "gaps first", NULL, NULL, NULL, gaps_done, &gaps);
    wait_for_pointer ((gpointer *) &gaps);
    g_assert_cmpint (gaps->run_id, >, 0);
    ngam_gaps_result_free (gaps);
    kept = ngam_project_dup_scenario (p, "gaps first", NULL);
    g_assert_nonnull (strstr (kept, "[coverage]"));
    result = NULL;
    ngam_project_plan_async (p, "gaps first", NULL, NULL, NULL, NULL, plan_done, &result);
    wait_for_pointer ((gpointer *) &result);
    g_assert_true (result != GINT_TO_POINTER (1));
    g_assert_cmpint (result->run_id, >, 0);
    ngam_plan_result_free (result);
    g_assert_cmpstr (g_ptr_array_index (log, log->len - 1), ==, "plan");
  }
}

/* Another connection's commit is announced, by layer, within the
 * polling interval; the project's own edits are not. */
static void
test_outside (Fixture *fx, gconstpointer data)
{
  g_autoptr(NgamProject) p = open_sync (fx->path);
  g_autoptr(GArray) log = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GError) error = NULL;
  NgamStore *other;
  gint64 deadline;

  add_pole (p, 561000, 1819000, "P0");
  ngam_project_watch_outside (p, 50);
  g_signal_connect (p, "changed", G_CALLBACK (on_changed), log);
  g_assert_false (ngam_project_check_outside (p));
  add_pole (p, 561010, 1819000, "P1");
  g_array_set_size (log, 0);
  g_assert_false (ngam_project_check_outside (p));

  other = ngam_store_open (fx->path, NGAM_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  {
    g_autoptr(NgamFeature) f = ngam_feature_new (NGAM_LAYER_POLES);

    ngam_shape_free (f->shape);
    f->shape = ngam_shape_new_point (561020, 1819000);
    g_assert_true (ngam_store_edit_begin (other, "outside", &error));
    g_assert_true (ngam_store_edit_insert (other, f, &error));
    g_assert_true (ngam_store_edit_commit (other, &error));
    g_assert_no_error (error);
  }
  ngam_store_close (other);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (log->len == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  assert_change (log, 0, NGAM_LAYER_POLES, NULL);
  ngam_project_watch_outside (p, 0);
}

/* ---- reading on a worker ---------------------------------------------------- */

typedef struct
{
  GThread *thread;
  gint64   count;
  gboolean done;
  GError  *error;
  guint    freed_data, freed_results;
} ReadLog;

static gpointer
count_poles (NgamStore *store, gpointer data, GCancellable *cancellable, GError **error)
{
  ReadLog *log = data;
  gint64 n;

  log->thread = g_thread_self ();
  g_assert_true (ngam_store_is_read_only (store));
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  n = ngam_store_count (store, NGAM_LAYER_POLES, error);
  return n < 0 ? NULL : g_memdup2 (&n, sizeof n);
}

static ReadLog *read_log;

/* The task may be let go of on the worker thread, after the callback. */
static void
data_freed (gpointer data)
{
  g_atomic_int_inc (&((ReadLog *) data)->freed_data);
}

static void
wait_freed (ReadLog *log)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_atomic_int_get (&log->freed_data) == 0)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the read job's data was not freed in 10 s");
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
result_freed (gpointer result)
{
  g_atomic_int_inc (&read_log->freed_results);
  g_free (result);
}

static void
read_done (GObject *source, GAsyncResult *result, gpointer data)
{
  ReadLog *log = data;
  g_autofree gint64 *n = ngam_project_read_finish (NGAM_PROJECT (source), result, &log->error);

  log->count = n != NULL ? *n : -1;
  log->done = TRUE;
}

/* ngam_project_read_async(): the function runs on a worker thread with a
 * read-only connection of its own, its data is freed once, a result no
 * one takes (cancelled) is freed too. */
static void
test_read_async (Fixture *fx, gconstpointer data)
{
  g_autoptr(NgamProject) p = open_sync (fx->path);
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  ReadLog log = { 0 };

  read_log = &log;
  add_pole (p, 560000, 1820000, "P1");
  add_pole (p, 560010, 1820000, "P2");
  ngam_project_read_async (p, count_poles, &log, data_freed, result_freed, NULL, read_done, &log);
  while (!log.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (log.error);
  g_assert_cmpint (log.count, ==, 2);
  g_assert_true (log.thread != main_thread);
  wait_freed (&log);
  g_assert_cmpuint (log.freed_data, ==, 1);
  g_assert_cmpuint (log.freed_results, ==, 0);   /* taken by read_done */

  memset (&log, 0, sizeof log);
  g_cancellable_cancel (cancel);
  ngam_project_read_async (p, count_poles, &log, data_freed, result_freed, cancel, read_done, &log);
  while (!log.done)
    g_main_context_iteration (NULL, TRUE);
  wait_freed (&log);
  g_assert_error (log.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&log.error);
  g_assert_cmpint (log.count, ==, -1);
  read_log = NULL;
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();
  main_thread = g_thread_self ();

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/project/open/refused", test_open_refused);
  ADD ("/project/open/async", test_open_async);
  ADD ("/project/open/twice", test_open_twice);
  ADD ("/project/edit/undo-redo", test_edit_undo_redo);
  ADD ("/project/edit/undo-after-restart", test_undo_after_restart);
  ADD ("/project/counts", test_counts);
  ADD ("/project/import", test_import);
  ADD ("/project/edit/network", test_network_edits);
  ADD ("/project/edit/split-merge", test_split_merge);
  ADD ("/project/scenarios", test_scenarios);
  ADD ("/project/plan-job", test_plan_job);
  ADD ("/project/outside", test_outside);
  ADD ("/project/read-async", test_read_async);
#undef ADD
  g_test_add_func ("/project/validate", test_validate);
  return g_test_run ();
}
