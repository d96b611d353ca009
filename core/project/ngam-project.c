/* ngam-project.c — the open project, as the windows and views see it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * After sysprof's SysprofDocument and its loader: a synchronous
 * ngam_project_open() that does all the slow work (opening and migrating
 * the file, counting its features) with progress and cancellation, and an
 * _async/_finish pair that runs it on a worker thread for the window.
 *
 * The project owns the main thread's read-write connection.  Views that
 * draw on worker threads ask it for read-only connections of their own
 * (ngam_project_open_reader()), since an SQLite connection must never be
 * used by two threads at once; WAL lets them read while the main thread
 * writes.
 *
 * Every change made through the project — edits, undo, redo, imports — is
 * announced on the main context by ::changed (layer kind, bounding box),
 * so that the map re-renders only the tiles the change touches.  Edits
 * know their boxes (the rows' geometry before and after).  Undo and redo
 * replay the journal in the file, which tells no one which rows it
 * touched: the project remembers the change set of every edit made
 * through it in this session and announces that again; an edit journaled
 * by an earlier session (undo survives a restart) is announced as a change
 * of every layer, everywhere, which is always right, only slower to
 * redraw.
 *
 * Two windows must not edit one file, even in two processes: the project
 * takes an exclusive flock(2) on FILE-lock beside the file while it is
 * open read-write, and a second open of the same file is read-only and
 * says why.  flock is used, not fcntl locks on the file itself, because
 * closing any descriptor of a file drops all of a process's fcntl locks
 * on it, SQLite's among them.
 */
#define G_LOG_DOMAIN "ngam-project"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ngam-project-private.h"
#include "ngam-results.h"

/* What one edit (or undo, or import) changed: a box per layer kind, or
 * "anywhere" in that kind. */
typedef struct
{
  guint  mask;                     /* kinds touched */
  guint  unbounded;                /* kinds touched anywhere */
  double bbox[NGAM_N_LAYERS][4];
  char  *label;
} ChangeSet;

struct _NgamProject
{
  GObject                    parent_instance;

  char                      *path;
  char                      *crs;
  NgamStore                 *store;
  int                        lock_fd;
  NgamProjectReadOnlyReason  read_only_reason;
  GMainContext              *context;   /* where signals are emitted */

  gboolean                   busy;
  gboolean                   has_extent;
  double                     extent[4];
  gint64                     counts[NGAM_N_LAYERS];

  ChangeSet                 *pending;   /* the open edit's, or NULL */
  GQueue                     undo_sets; /* ChangeSet*, newest first */
  GQueue                     redo_sets;

  gboolean                   can_undo, can_redo;
  char                      *undo_label, *redo_label;

  guint                      dirty_counts;   /* kinds to recount */
  gboolean                   counting;
  GSource                   *count_source;
  GCancellable              *count_cancel;   /* the recount running */

  GSource                   *watch_source;   /* polling for outside changes */
};

G_DEFINE_FINAL_TYPE (NgamProject, ngam_project, G_TYPE_OBJECT)

G_DEFINE_QUARK (ngam-project-error-quark, ngam_project_error)

enum {
  PROP_0,
  PROP_PATH,
  PROP_READ_ONLY,
  PROP_BUSY,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_UNDO_LABEL,
  PROP_REDO_LABEL,
  N_PROPS
};

enum {
  CHANGED,
  COUNTS_CHANGED,
  RUNS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- change sets ---------------------------------------------------------- */

static ChangeSet *
change_set_new (const char *label)
{
  ChangeSet *set = g_new0 (ChangeSet, 1);

  set->label = g_strdup (label);
  return set;
}

static void
change_set_free (ChangeSet *set)
{
  g_free (set->label);
  g_free (set);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChangeSet, change_set_free)

static void
change_set_add (ChangeSet       *set,
                NgamLayerKind    kind,
                const NgamShape *shape)
{
  double *b = set->bbox[kind];

  if (shape == NULL || shape->n_points == 0)
    {
      set->mask |= 1u << kind;
      set->unbounded |= 1u << kind;
      return;
    }
  if (!(set->mask & (1u << kind)))
    {
      b[0] = b[2] = shape->xy[0];
      b[1] = b[3] = shape->xy[1];
      set->mask |= 1u << kind;
    }
  for (guint i = 0; i < shape->n_points; i++)
    {
      b[0] = MIN (b[0], shape->xy[2 * i]);
      b[1] = MIN (b[1], shape->xy[2 * i + 1]);
      b[2] = MAX (b[2], shape->xy[2 * i]);
      b[3] = MAX (b[3], shape->xy[2 * i + 1]);
    }
}

static void schedule_recount (NgamProject *self, guint kinds);

/* Announces @set (main context), grows the extent, recounts. */
static void
emit_changes (NgamProject     *self,
              const ChangeSet *set)
{
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      if (!(set->mask & (1u << k)))
        continue;
      if (set->unbounded & (1u << k))
        g_signal_emit (self, signals[CHANGED], 0, (int) k, NULL);
      else
        {
          const double *b = set->bbox[k];

          if (!self->has_extent)
            {
              memcpy (self->extent, b, sizeof self->extent);
              self->has_extent = TRUE;
            }
          self->extent[0] = MIN (self->extent[0], b[0]);
          self->extent[1] = MIN (self->extent[1], b[1]);
          self->extent[2] = MAX (self->extent[2], b[2]);
          self->extent[3] = MAX (self->extent[3], b[3]);
          g_signal_emit (self, signals[CHANGED], 0, (int) k, b);
        }
    }
  schedule_recount (self, set->mask);
}

static void
emit_everything (NgamProject *self)
{
  g_signal_emit (self, signals[CHANGED], 0, NGAM_PROJECT_ALL_LAYERS, NULL);
  schedule_recount (self, (1u << NGAM_N_LAYERS) - 1);
}

/* ---- undo state ------------------------------------------------------------ */

static void
set_string (NgamProject *self, char **field, char *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    {
      g_free (value);
      return;
    }
  g_free (*field);
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
refresh_undo_state (NgamProject *self)
{
  gboolean can_undo = self->store && !self->busy && !ngam_store_is_read_only (self->store) &&
                      ngam_store_can_undo (self->store);
  gboolean can_redo = self->store && !self->busy && !ngam_store_is_read_only (self->store) &&
                      ngam_store_can_redo (self->store);

  g_object_freeze_notify (G_OBJECT (self));
  if (can_undo != self->can_undo)
    {
      self->can_undo = can_undo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
    }
  if (can_redo != self->can_redo)
    {
      self->can_redo = can_redo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
    }
  set_string (self, &self->undo_label, can_undo ? ngam_store_dup_undo_label (self->store) : NULL,
              PROP_UNDO_LABEL);
  set_string (self, &self->redo_label, can_redo ? ngam_store_dup_redo_label (self->store) : NULL,
              PROP_REDO_LABEL);
  g_object_thaw_notify (G_OBJECT (self));
}

/* ---- counting ---------------------------------------------------------------- */

static gboolean
count_all (NgamStore         *store,
           gint64             counts[NGAM_N_LAYERS],
           NgamProgressFunc   progress,
           gpointer           progress_data,
           GCancellable      *cancellable,
           GError           **error)
{
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (progress)
        {
          g_autofree char *msg = g_strdup_printf (_("Counting %s"),
                                                  g_dgettext (GETTEXT_PACKAGE, ngam_layer_info (k)->title));

          progress ((double) k / NGAM_N_LAYERS, msg, progress_data);
        }
      counts[k] = ngam_store_count (store, k, error);
      if (counts[k] < 0)
        return FALSE;
    }
  return TRUE;
}

static void
count_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(NgamStore) store = NULL;
  g_autofree gint64 *counts = g_new0 (gint64, NGAM_N_LAYERS);
  GError *error = NULL;

  store = ngam_store_open (path, NGAM_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL || !count_all (store, counts, NULL, NULL, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&counts), g_free);
}

/**
 * ngam_project_count_async:
 *
 * Counts every layer's features on a worker thread, with a connection of
 * its own; the main thread never waits on it.
 */
void
ngam_project_count_async (NgamProject         *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (NGAM_IS_PROJECT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ngam_project_count_async);
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_run_in_thread (task, count_thread);
}

/**
 * ngam_project_count_finish:
 *
 * Returns: (transfer full): NGAM_N_LAYERS counts, or %NULL with @error set.
 */
gint64 *
ngam_project_count_finish (NgamProject   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The recount holds only a weak reference: closing a project must not
 * wait for it (the lock file would outlive the window). */
static void
recount_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(NgamProject) self = g_weak_ref_get (ref);
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *counts = g_task_propagate_pointer (G_TASK (result), &error);

  g_weak_ref_clear (ref);
  g_free (ref);
  if (self == NULL)
    return;
  self->counting = FALSE;
  g_clear_object (&self->count_cancel);
  if (counts != NULL)
    {
      memcpy (self->counts, counts, sizeof self->counts);
      g_signal_emit (self, signals[COUNTS_CHANGED], 0);
    }
  else
    g_debug ("%s: recounting failed: %s", self->path, error->message);
  if (self->dirty_counts != 0)
    schedule_recount (self, 0);
}

static gboolean
recount_idle (gpointer data)
{
  NgamProject *self = data;
  g_autoptr(GTask) task = NULL;
  GWeakRef *ref;

  g_clear_pointer (&self->count_source, g_source_unref);
  if (self->counting || self->dirty_counts == 0)
    return G_SOURCE_REMOVE;
  self->counting = TRUE;
  self->dirty_counts = 0;
  self->count_cancel = g_cancellable_new ();
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  task = g_task_new (NULL, self->count_cancel, recount_done, ref);
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_run_in_thread (task, count_thread);
  return G_SOURCE_REMOVE;
}

/* Recounts once the burst of changes is over (on the main context). */
static void
schedule_recount (NgamProject *self,
                  guint        kinds)
{
  self->dirty_counts |= kinds;
  if (self->count_source == NULL && !self->counting && self->dirty_counts != 0)
    {
      self->count_source = g_idle_source_new ();
      g_source_set_callback (self->count_source, recount_idle, self, NULL);
      g_source_attach (self->count_source, self->context);
    }
}

/* ---- opening ------------------------------------------------------------------ */

/* Takes FILE-lock; FALSE (no error) when another opener holds it. */
static gboolean
take_lock (NgamProject  *self,
           gboolean     *held_elsewhere,
           GError      **error)
{
  g_autofree char *lock_path = g_strconcat (self->path, "-lock", NULL);

  *held_elsewhere = FALSE;
  for (int tries = 0; tries < 5; tries++)
    {
      struct stat fs, ps;
      int fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

      if (fd < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("%s: cannot make the lock file that keeps two windows from editing "
                         "the project at once: %s"), lock_path, g_strerror (saved));
          return FALSE;
        }
      if (flock (fd, LOCK_EX | LOCK_NB) != 0)
        {
          close (fd);
          *held_elsewhere = TRUE;
          return FALSE;
        }
      /* The holder before us may have unlinked the file between our open
       * and our flock: then we hold a lock no one else will see. */
      if (fstat (fd, &fs) == 0 && g_stat (lock_path, &ps) == 0 &&
          fs.st_ino == ps.st_ino && fs.st_dev == ps.st_dev)
        {
          g_autofree char *pid = g_strdup_printf ("%ld\n", (long) getpid ());

          if (ftruncate (fd, 0) == 0 && write (fd, pid, strlen (pid)) < 0)
            g_debug ("%s: cannot write our pid", lock_path);
          self->lock_fd = fd;
          return TRUE;
        }
      close (fd);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, _("%s: the lock file keeps changing"), lock_path);
  return FALSE;
}

static void
drop_lock (NgamProject *self)
{
  g_autofree char *lock_path = NULL;

  if (self->lock_fd < 0)
    return;
  lock_path = g_strconcat (self->path, "-lock", NULL);
  /* Unlinked while still held, so no one can lock the old file after. */
  g_unlink (lock_path);
  close (self->lock_fd);
  self->lock_fd = -1;
}

/**
 * ngam_project_open:
 * @path: a project file (.ngam)
 * @flags: %NGAM_PROJECT_OPEN_READ_ONLY to look only
 * @progress: (nullable): called as the work goes (this thread)
 *
 * Opens @path.  A file that cannot be written, that another program is
 * writing, or that another Ngầm has open for editing, is opened read-only
 * and ngam_project_get_read_only_reason() says why.  Bad files are
 * refused with the store's errors (NGAM_STORE_ERROR_NOT_FOUND, …).
 *
 * Returns: (transfer full): the project, or %NULL with @error set.
 */
NgamProject *
ngam_project_open (const char            *path,
                   NgamProjectOpenFlags   flags,
                   NgamProgressFunc       progress,
                   gpointer               progress_data,
                   GCancellable          *cancellable,
                   GError               **error)
{
  g_autoptr(NgamProject) self = NULL;
  g_autoptr(GError) local = NULL;
  gboolean elsewhere = FALSE;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  self = g_object_new (NGAM_TYPE_PROJECT, NULL);
  self->path = g_strdup (path);
  if (progress)
    progress (-1, _("Opening the project"), progress_data);

  if (flags & NGAM_PROJECT_OPEN_READ_ONLY)
    self->read_only_reason = NGAM_PROJECT_READ_ONLY_ASKED;
  else
    {
      self->store = ngam_store_open (path, NGAM_STORE_OPEN_DEFAULT, &local);
      if (self->store == NULL)
        {
          if (g_error_matches (local, NGAM_STORE_ERROR, NGAM_STORE_ERROR_READ_ONLY))
            self->read_only_reason = NGAM_PROJECT_READ_ONLY_FILE;
          else if (g_error_matches (local, NGAM_STORE_ERROR, NGAM_STORE_ERROR_LOCKED))
            self->read_only_reason = NGAM_PROJECT_READ_ONLY_LOCKED;
          else
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return NULL;
            }
          g_clear_error (&local);
        }
      else if (!take_lock (self, &elsewhere, &local))
        {
          ngam_store_close (g_steal_pointer (&self->store));
          if (!elsewhere)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return NULL;
            }
          self->read_only_reason = NGAM_PROJECT_READ_ONLY_OPEN_ELSEWHERE;
        }
    }
  if (self->store == NULL)
    {
      self->store = ngam_store_open (path, NGAM_STORE_OPEN_READ_ONLY, error);
      if (self->store == NULL)
        return NULL;
    }
  else if (ngam_store_is_read_only (self->store) &&
           self->read_only_reason == NGAM_PROJECT_READ_ONLY_NONE)
    self->read_only_reason = NGAM_PROJECT_READ_ONLY_FILE;

  self->crs = g_strdup (ngam_store_get_crs (self->store));
  if (!count_all (self->store, self->counts, progress, progress_data, cancellable, error))
    return NULL;
  self->has_extent = ngam_store_get_extent (self->store, -1, self->extent, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  refresh_undo_state (self);
  if (progress)
    progress (1.0, NULL, progress_data);
  return g_steal_pointer (&self);
}

typedef struct
{
  char                 *path;
  NgamProjectOpenFlags  flags;
  NgamProgressFunc      progress;
  gpointer              progress_data;
  GMainContext         *context;
} OpenData;

static void
open_data_free (OpenData *d)
{
  g_free (d->path);
  g_main_context_unref (d->context);
  g_free (d);
}

typedef struct
{
  NgamProgressFunc progress;
  gpointer         data;
  double           fraction;
  char            *message;
} ProgressCall;

static gboolean
progress_call (gpointer user_data)
{
  ProgressCall *c = user_data;

  c->progress (c->fraction, c->message, c->data);
  return G_SOURCE_REMOVE;
}

static void
progress_call_free (gpointer user_data)
{
  ProgressCall *c = user_data;

  g_free (c->message);
  g_free (c);
}

/* Forwards a worker's progress to the context the job was started from. */
static void
forward_progress (double      fraction,
                  const char *message,
                  gpointer    user_data)
{
  OpenData *d = user_data;
  ProgressCall *c = g_new0 (ProgressCall, 1);
  GSource *source;

  c->progress = d->progress;
  c->data = d->progress_data;
  c->fraction = fraction;
  c->message = g_strdup (message);
  /* Not g_main_context_invoke(): with no thread iterating the context it
   * would call back here, on the worker. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, progress_call, c, progress_call_free);
  g_source_attach (source, d->context);
  g_source_unref (source);
}

static void
open_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *d = task_data;
  GError *error = NULL;
  NgamProject *project;

  project = ngam_project_open (d->path, d->flags, d->progress ? forward_progress : NULL, d,
                               cancellable, &error);
  if (project == NULL)
    g_task_return_error (task, error);
  else
    {
      g_main_context_unref (project->context);
      project->context = g_main_context_ref (d->context);
      g_task_return_pointer (task, project, g_object_unref);
    }
}

/**
 * ngam_project_open_async:
 * @progress: (nullable): called on the thread-default main context of the
 *   caller, as the work goes
 *
 * ngam_project_open() on a worker thread.
 */
void
ngam_project_open_async (const char            *path,
                         NgamProjectOpenFlags   flags,
                         NgamProgressFunc       progress,
                         gpointer               progress_data,
                         GCancellable          *cancellable,
                         GAsyncReadyCallback    callback,
                         gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenData *d;

  g_return_if_fail (path != NULL);

  d = g_new0 (OpenData, 1);
  d->path = g_strdup (path);
  d->flags = flags;
  d->progress = progress;
  d->progress_data = progress_data;
  d->context = g_main_context_ref_thread_default ();
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ngam_project_open_async);
  g_task_set_task_data (task, d, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_thread);
}

/* Returns: (transfer full): the project, or %NULL with @error set. */
NgamProject *
ngam_project_open_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean check_writable (NgamProject *self, GError **error);

/* ---- the object -------------------------------------------------------------------- */

static void
ngam_project_finalize (GObject *object)
{
  NgamProject *self = NGAM_PROJECT (object);

  g_assert (!self->busy);   /* a job holds a reference */
  if (self->watch_source != NULL)
    g_source_destroy (self->watch_source);
  g_clear_pointer (&self->watch_source, g_source_unref);
  if (self->count_source != NULL)
    {
      g_source_destroy (self->count_source);
      g_clear_pointer (&self->count_source, g_source_unref);
    }
  if (self->count_cancel != NULL)
    g_cancellable_cancel (self->count_cancel);
  g_clear_object (&self->count_cancel);
  if (self->pending)
    ngam_project_edit_abort (self);
  g_queue_clear_full (&self->undo_sets, (GDestroyNotify) change_set_free);
  g_queue_clear_full (&self->redo_sets, (GDestroyNotify) change_set_free);
  g_clear_pointer (&self->store, ngam_store_close);
  drop_lock (self);
  g_main_context_unref (self->context);
  g_free (self->path);
  g_free (self->crs);
  g_free (self->undo_label);
  g_free (self->redo_label);
  G_OBJECT_CLASS (ngam_project_parent_class)->finalize (object);
}

static void
ngam_project_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  NgamProject *self = NGAM_PROJECT (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, ngam_project_is_read_only (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, self->can_undo);
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, self->can_redo);
      break;
    case PROP_UNDO_LABEL:
      g_value_set_string (value, self->undo_label);
      break;
    case PROP_REDO_LABEL:
      g_value_set_string (value, self->redo_label);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ngam_project_class_init (NgamProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ngam_project_finalize;
  object_class->get_property = ngam_project_get_property;

#define RO (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, "The project file", NULL, RO);
  properties[PROP_READ_ONLY] = g_param_spec_boolean ("read-only", NULL, "Whether edits are refused", FALSE, RO);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, "Whether a job is running", FALSE, RO);
  properties[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, "Whether there is an edit to undo", FALSE, RO);
  properties[PROP_CAN_REDO] = g_param_spec_boolean ("can-redo", NULL, "Whether there is an edit to redo", FALSE, RO);
  properties[PROP_UNDO_LABEL] = g_param_spec_string ("undo-label", NULL, "What undo would undo", NULL, RO);
  properties[PROP_REDO_LABEL] = g_param_spec_string ("redo-label", NULL, "What redo would redo", NULL, RO);
#undef RO
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * NgamProject::changed:
   * @kind: the NgamLayerKind that changed, or %NGAM_PROJECT_ALL_LAYERS
   * @bbox: (nullable) (array fixed-size=4): minx, miny, maxx, maxy of what
   *   changed (the geometry before and after), project CRS; %NULL for
   *   anywhere
   *
   * Emitted on the project's main context after an edit, undo, redo or
   * import committed.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_POINTER);
  /**
   * NgamProject::counts-changed:
   *
   * The feature counts (ngam_project_get_count()) were recounted.
   */
  signals[COUNTS_CHANGED] =
    g_signal_new ("counts-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /**
   * NgamProject::runs-changed:
   * @job: (nullable): the job whose run was stored (`plan`, `gaps`), or
   *   %NULL when another program changed the file's results
   *
   * A job stored a run: its result layers and summary are new.
   */
  signals[RUNS_CHANGED] =
    g_signal_new ("runs-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ngam_project_init (NgamProject *self)
{
  self->lock_fd = -1;
  self->context = g_main_context_ref_thread_default ();
  for (guint k = 0; k < NGAM_N_LAYERS; k++)
    self->counts[k] = -1;
}

const char *
ngam_project_get_path (NgamProject *self)
{
  g_return_val_if_fail (NGAM_IS_PROJECT (self), NULL);
  return self->path;
}

const char *
ngam_project_get_crs (NgamProject *self)
{
  g_return_val_if_fail (NGAM_IS_PROJECT (self), NULL);
  return self->crs;
}

gboolean
ngam_project_is_read_only (NgamProject *self)
{
  g_return_val_if_fail (NGAM_IS_PROJECT (self), TRUE);
  return self->read_only_reason != NGAM_PROJECT_READ_ONLY_NONE;
}

NgamProjectReadOnlyReason
ngam_project_get_read_only_reason (NgamProject *self)
{
  g_return_val_if_fail (NGAM_IS_PROJECT (self), NGAM_PROJECT_READ_ONLY_NONE);
  return self->read_only_reason;
}

/**
 * ngam_project_dup_read_only_message:
 *
 * Returns: (transfer full) (nullable): why edits are refused, for people;
 *   %NULL when they are not.
 */
char *
ngam_project_dup_read_only_message (NgamProject *self)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (NGAM_IS_PROJECT (self), NULL);

  name = g_path_get_basename (self->path);
  switch (self->read_only_reason)
    {
    case NGAM_PROJECT_READ_ONLY_NONE:
      return NULL;
    case NGAM_PROJECT_READ_ONLY_ASKED:
      return g_strdup_printf (_("%s is open read-only"), name);
    case NGAM_PROJECT_READ_ONLY_FILE:
      return g_strdup_printf (_("%s cannot be written here: it is open read-only"), name);
    case NGAM_PROJECT_READ_ONLY_LOCKED:
      return g_strdup_printf (_("Another program is writing to %s: it is open read-only"), name);
    case NGAM_PROJECT_READ_ONLY_OPEN_ELSEWHERE:
      return g_strdup_printf (_("%s is already open for editing in another window: this one is "
                                "read-only, so that no edit is lost"), name);
    }
  g_return_val_if_reached (NULL);
}

gboolean
ngam_project_get_busy (NgamProject *self)
{
  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);
  return self->busy;
}

/**
 * ngam_project_get_store:
 *
 * The main thread's connection, for reading features (the inspector);
 * write only through the project's edit calls, so ::changed is emitted.
 *
 * Returns: (transfer none) (nullable): the store; %NULL while a job
 *   (an import) uses it on a worker thread.
 */
NgamStore *
ngam_project_get_store (NgamProject *self)
{
  g_return_val_if_fail (NGAM_IS_PROJECT (self), NULL);
  return self->busy ? NULL : self->store;
}

/**
 * ngam_project_open_reader:
 *
 * A new read-only connection to the project, for one worker thread at a
 * time (the map's tile renderers).
 *
 * Returns: (transfer full): the connection, or %NULL with @error set.
 */
NgamStore *
ngam_project_open_reader (NgamProject  *self,
                          GError      **error)
{
  g_return_val_if_fail (NGAM_IS_PROJECT (self), NULL);
  return ngam_store_open (self->path, NGAM_STORE_OPEN_READ_ONLY, error);
}

typedef struct
{
  char                *path;
  NgamProjectReadFunc  func;
  gpointer             data;
  GDestroyNotify       data_free;
  GDestroyNotify       result_free;
} ReadJob;

static void
read_job_free (gpointer p)
{
  ReadJob *job = p;

  if (job->data_free)
    job->data_free (job->data);
  g_free (job->path);
  g_free (job);
}

static void
read_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ReadJob *job = task_data;
  GError *error = NULL;
  g_autoptr(NgamStore) store = ngam_store_open (job->path, NGAM_STORE_OPEN_READ_ONLY, &error);
  gpointer result;

  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  result = job->func (store, job->data, cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, job->result_free);
}

/**
 * ngam_project_read_async:
 * @func: called on a worker thread with a read-only connection of its own;
 *   returns its result, or NULL with the error set
 * @data: (nullable): for @func, freed with @data_free when done
 * @result_free: frees a result no one took
 *
 * Reads the project on a worker thread (a comparison of two plans, the
 * values of a field): the window stays responsive and the main thread's
 * connection is never used by two threads.
 */
void
ngam_project_read_async (NgamProject         *self,
                         NgamProjectReadFunc  func,
                         gpointer             data,
                         GDestroyNotify       data_free,
                         GDestroyNotify       result_free,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadJob *job;

  g_return_if_fail (NGAM_IS_PROJECT (self));
  g_return_if_fail (func != NULL);

  job = g_new0 (ReadJob, 1);
  job->path = g_strdup (self->path);
  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ngam_project_read_async);
  g_task_set_task_data (task, job, read_job_free);
  g_task_run_in_thread (task, read_thread);
}

/* Returns: (transfer full): @func's result, or NULL with @error set. */
gpointer
ngam_project_read_finish (NgamProject   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The box of every feature as last known; FALSE when the project is empty. */
gboolean
ngam_project_get_extent (NgamProject *self,
                         double       bbox[4])
{
  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);

  if (self->has_extent)
    memcpy (bbox, self->extent, sizeof self->extent);
  return self->has_extent;
}

gint64
ngam_project_get_count (NgamProject   *self,
                        NgamLayerKind  kind)
{
  g_return_val_if_fail (NGAM_IS_PROJECT (self), -1);
  g_return_val_if_fail (kind < NGAM_N_LAYERS, -1);
  return self->counts[kind];
}

/* ---- edits -------------------------------------------------------------------------- */

gboolean
ngam_project_check_writable (NgamProject  *self,
                             GError      **error)
{
  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);
  if (self->pending != NULL)
    {
      g_set_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_BUSY,
                   _("%s: finish the edit before importing"), self->path);
      return FALSE;
    }
  return check_writable (self, error);
}

/* The main thread's connection even while busy: only for what the
 * project's own jobs do before and after they run. */
NgamStore *
ngam_project_get_own_store (NgamProject *self)
{
  return self->store;
}

static gboolean
check_writable (NgamProject  *self,
                GError      **error)
{
  if (self->busy)
    {
      g_set_error (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_BUSY,
                   _("%s: a job (an import, a plan, a gaps analysis) is running: edit when it is done"), self->path);
      return FALSE;
    }
  if (ngam_project_is_read_only (self))
    {
      g_autofree char *why = ngam_project_dup_read_only_message (self);

      g_set_error_literal (error, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_READ_ONLY, why);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_edit (NgamProject  *self,
            GError      **error)
{
  if (self->pending == NULL)
    {
      g_set_error (error, NGAM_STORE_ERROR, NGAM_STORE_ERROR_NO_EDIT,
                   "%s: no edit is open", self->path);
      return FALSE;
    }
  return TRUE;
}

/**
 * ngam_project_edit_begin:
 * @label: what the edit does, for the Undo menu (“Move pole 12”)
 */
gboolean
ngam_project_edit_begin (NgamProject  *self,
                         const char   *label,
                         GError      **error)
{
  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (self->pending == NULL, FALSE);

  if (!check_writable (self, error) || !ngam_store_edit_begin (self->store, label, error))
    return FALSE;
  self->pending = change_set_new (label);
  return TRUE;
}

gboolean
ngam_project_in_edit (NgamProject *self)
{
  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);
  return self->pending != NULL;
}

/* Inserts @feature; its fid is set on return. */
gboolean
ngam_project_edit_insert (NgamProject  *self,
                          NgamFeature  *feature,
                          GError      **error)
{
  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);

  if (!check_edit (self, error) || !ngam_store_edit_insert (self->store, feature, error))
    return FALSE;
  change_set_add (self->pending, feature->kind, feature->shape);
  return TRUE;
}

gboolean
ngam_project_edit_update (NgamProject        *self,
                          const NgamFeature  *feature,
                          GError            **error)
{
  g_autoptr(NgamFeature) before = NULL;

  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);

  if (!check_edit (self, error))
    return FALSE;
  before = ngam_store_get_feature (self->store, feature->kind, feature->fid, error);
  if (before == NULL || !ngam_store_edit_update (self->store, feature, error))
    return FALSE;
  change_set_add (self->pending, feature->kind, before->shape);
  change_set_add (self->pending, feature->kind, feature->shape);
  return TRUE;
}

gboolean
ngam_project_edit_delete (NgamProject    *self,
                          NgamLayerKind   kind,
                          gint64          fid,
                          GError        **error)
{
  g_autoptr(NgamFeature) before = NULL;

  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);

  if (!check_edit (self, error))
    return FALSE;
  before = ngam_store_get_feature (self->store, kind, fid, error);
  if (before == NULL || !ngam_store_edit_delete (self->store, kind, fid, error))
    return FALSE;
  change_set_add (self->pending, kind, before->shape);
  return TRUE;
}

/* Commits the open edit and announces it; on failure nothing changed. */
gboolean
ngam_project_edit_commit (NgamProject  *self,
                          GError      **error)
{
  ChangeSet *set;

  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);

  if (!check_edit (self, error))
    return FALSE;
  set = g_steal_pointer (&self->pending);
  if (!ngam_store_edit_commit (self->store, error))
    {
      change_set_free (set);
      return FALSE;
    }
  g_queue_clear_full (&self->redo_sets, (GDestroyNotify) change_set_free);
  g_queue_push_head (&self->undo_sets, set);
  refresh_undo_state (self);
  emit_changes (self, set);
  return TRUE;
}

/* Drops the open edit: the project is as it was before edit_begin. */
void
ngam_project_edit_abort (NgamProject *self)
{
  g_return_if_fail (NGAM_IS_PROJECT (self));

  if (self->pending == NULL)
    return;
  ngam_store_edit_abort (self->store);
  g_clear_pointer (&self->pending, change_set_free);
}

gboolean
ngam_project_get_can_undo (NgamProject *self)
{
  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);
  return self->can_undo;
}

gboolean
ngam_project_get_can_redo (NgamProject *self)
{
  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);
  return self->can_redo;
}

/* Returns: (nullable): the label of the edit undo would undo. */
const char *
ngam_project_get_undo_label (NgamProject *self)
{
  g_return_val_if_fail (NGAM_IS_PROJECT (self), NULL);
  return self->undo_label;
}

const char *
ngam_project_get_redo_label (NgamProject *self)
{
  g_return_val_if_fail (NGAM_IS_PROJECT (self), NULL);
  return self->redo_label;
}

static gboolean
replay (NgamProject  *self,
        gboolean      undo,
        GError      **error)
{
  GQueue *from = undo ? &self->undo_sets : &self->redo_sets;
  GQueue *to = undo ? &self->redo_sets : &self->undo_sets;
  g_autofree char *label = NULL;
  ChangeSet *set;

  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (self->pending == NULL, FALSE);

  if (!check_writable (self, error))
    return FALSE;
  label = undo ? ngam_store_dup_undo_label (self->store) : ngam_store_dup_redo_label (self->store);
  if (!(undo ? ngam_store_undo (self->store, error) : ngam_store_redo (self->store, error)))
    return FALSE;
  set = g_queue_peek_head (from);
  /* Ours only if it is the same edit the journal replayed; otherwise the
   * journal and our memory disagree (an edit of an earlier session, or
   * one made by another program) and every layer is announced. */
  if (set != NULL && g_strcmp0 (set->label, label) == 0)
    {
      g_queue_push_head (to, g_queue_pop_head (from));
      refresh_undo_state (self);
      emit_changes (self, set);
    }
  else
    {
      g_queue_clear_full (&self->undo_sets, (GDestroyNotify) change_set_free);
      g_queue_clear_full (&self->redo_sets, (GDestroyNotify) change_set_free);
      refresh_undo_state (self);
      emit_everything (self);
    }
  return TRUE;
}

gboolean
ngam_project_undo (NgamProject  *self,
                   GError      **error)
{
  return replay (self, TRUE, error);
}

gboolean
ngam_project_redo (NgamProject  *self,
                   GError      **error)
{
  return replay (self, FALSE, error);
}

/* ---- import ------------------------------------------------------------------------- */

typedef struct
{
  NgamImportOptions options;   /* its strings are the ones below */
  GStrv             sources;
  char             *profile, *operator_name, *layer, *crs, *encoding, *source_name;
  OpenData          progress;  /* only progress, progress_data and context */
} ImportData;

static void
import_data_free (ImportData *d)
{
  g_strfreev (d->sources);
  g_free (d->profile);
  g_free (d->operator_name);
  g_free (d->layer);
  g_free (d->crs);
  g_free (d->encoding);
  g_free (d->source_name);
  g_main_context_unref (d->progress.context);
  g_free (d);
}

static void
import_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  NgamProject *self = source;
  ImportData *d = task_data;
  NgamImportReport *report = NULL;
  GError *error = NULL;

  if (!ngam_import_run (self->store, &d->options, &report, d->progress.progress ? forward_progress : NULL,
                        &d->progress, cancellable, &error))
    {
      g_clear_pointer (&report, ngam_import_report_free);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, report, (GDestroyNotify) ngam_import_report_free);
}

static void
import_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  NgamProject *self = NGAM_PROJECT (source);
  GTask *outer = user_data;
  ImportData *d = g_task_get_task_data (outer);
  GError *error = NULL;
  NgamImportReport *report = g_task_propagate_pointer (G_TASK (result), &error);

  self->busy = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  refresh_undo_state (self);
  if (report != NULL && !d->options.dry_run)
    {
      g_autoptr(ChangeSet) set = change_set_new (NULL);
      double extent[4];

      change_set_add (set, d->options.kind, NULL);
      if (ngam_store_get_extent (self->store, -1, extent, NULL))
        {
          memcpy (self->extent, extent, sizeof extent);
          self->has_extent = TRUE;
        }
      emit_changes (self, set);
    }
  if (report != NULL)
    g_task_return_pointer (outer, report, (GDestroyNotify) ngam_import_report_free);
  else
    g_task_return_error (outer, error);
  g_object_unref (outer);
}

/**
 * ngam_project_import_async:
 * @options: as for ngam_import_run(); copied
 * @progress: (nullable): called on the caller's thread-default context
 *
 * Runs the import on a worker thread with the project's own connection;
 * meanwhile the project is busy (edits refused, ngam_project_get_store()
 * gives %NULL).  A failed or cancelled import changes nothing.
 */
void
ngam_project_import_async (NgamProject              *self,
                           const NgamImportOptions  *options,
                           NgamProgressFunc          progress,
                           gpointer                  progress_data,
                           GCancellable             *cancellable,
                           GAsyncReadyCallback       callback,
                           gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  g_autoptr(GError) error = NULL;
  ImportData *d;

  g_return_if_fail (NGAM_IS_PROJECT (self));
  g_return_if_fail (options != NULL && options->sources != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ngam_project_import_async);
  if (self->pending != NULL)
    {
      g_task_return_new_error (task, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_BUSY,
                               _("%s: finish the edit before importing"), self->path);
      return;
    }
  if (!check_writable (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  d = g_new0 (ImportData, 1);
  d->options = *options;
  d->sources = g_strdupv ((char **) options->sources);
  d->options.sources = (const char * const *) d->sources;
#define DUP(f) d->options.f = d->f = g_strdup (options->f)
  DUP (profile);
  DUP (operator_name);
  DUP (layer);
  DUP (crs);
  DUP (encoding);
  DUP (source_name);
#undef DUP
  d->progress.progress = progress;
  d->progress.progress_data = progress_data;
  d->progress.context = g_main_context_ref_thread_default ();
  g_task_set_task_data (task, d, (GDestroyNotify) import_data_free);

  self->busy = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  refresh_undo_state (self);
  worker = g_task_new (self, cancellable, import_done, g_object_ref (task));
  g_task_set_task_data (worker, d, NULL);
  g_task_set_return_on_cancel (worker, FALSE);
  g_task_run_in_thread (worker, import_thread);
}

/* Returns: (transfer full): the import's report, or %NULL with @error set. */
NgamImportReport *
ngam_project_import_finish (NgamProject   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- styles ------------------------------------------------------------------------- */

/**
 * ngam_project_dup_style:
 * @layer: a layer kind's name or a result layer's
 *
 * Returns: (transfer full) (nullable): the layer's style (GKeyFile text)
 *   kept in the project, or %NULL for none (or while a job runs).
 */
char *
ngam_project_dup_style (NgamProject *self,
                        const char  *layer)
{
  g_return_val_if_fail (NGAM_IS_PROJECT (self), NULL);

  if (self->busy)
    return NULL;
  return ngam_store_dup_style (self->store, layer, NULL);
}

/* Keeps @style (GKeyFile text; %NULL removes it) as @layer's in the file. */
gboolean
ngam_project_set_style (NgamProject  *self,
                        const char   *layer,
                        const char   *style,
                        GError      **error)
{
  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);

  if (!check_writable (self, error))
    return FALSE;
  return ngam_store_set_style (self->store, layer, style, error);
}

/* ---- jobs --------------------------------------------------------------------------- */

typedef struct
{
  char               *job;
  gboolean            writes;
  NgamProjectJobFunc  func;
  gpointer            data;
  GDestroyNotify      data_free;
  GDestroyNotify      result_free;
  OpenData            progress;   /* only progress, progress_data and context */
} JobData;

static void
job_data_free (JobData *d)
{
  if (d->data_free)
    d->data_free (d->data);
  g_free (d->job);
  g_free (d->progress.path);
  g_main_context_unref (d->progress.context);
  g_free (d);
}

static void
job_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  NgamProject *self = source;
  JobData *d = task_data;
  g_autoptr(NgamStore) reader = NULL;
  GError *error = NULL;
  gpointer result;

  if (!d->writes)
    {
      reader = ngam_store_open (d->progress.path, NGAM_STORE_OPEN_READ_ONLY, &error);
      if (reader == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  result = d->func (d->writes ? self->store : reader, d->data, d->progress.progress ? forward_progress : NULL,
                    &d->progress, cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, d->result_free);
}

static void
job_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  NgamProject *self = NGAM_PROJECT (source);
  GTask *outer = user_data;
  JobData *d = g_task_get_task_data (outer);
  GError *error = NULL;
  gpointer value = g_task_propagate_pointer (G_TASK (result), &error);

  if (d->writes)
    {
      self->busy = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      refresh_undo_state (self);
      if (value != NULL)
        g_signal_emit (self, signals[RUNS_CHANGED], 0, d->job);
    }
  if (value != NULL)
    g_task_return_pointer (outer, value, d->result_free);
  else
    g_task_return_error (outer, error);
  g_object_unref (outer);
}

/**
 * ngam_project_run_job:
 * @job: the job's name, for ::runs-changed
 * @writes: whether @func writes: it then gets the project's connection and
 *   the project is busy while it runs; otherwise a read-only connection
 * @data: (transfer full): @func's; freed with @data_free
 * @result_free: frees what @func returns
 *
 * Runs @func on a worker thread; its progress is forwarded to the
 * caller's thread-default context.
 */
void
ngam_project_run_job (NgamProject         *self,
                      const char          *job,
                      gboolean             writes,
                      NgamProjectJobFunc   func,
                      gpointer             data,
                      GDestroyNotify       data_free,
                      GDestroyNotify       result_free,
                      NgamProgressFunc     progress,
                      gpointer             progress_data,
                      GCancellable        *cancellable,
                      gpointer             source_tag,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  g_autoptr(GError) error = NULL;
  JobData *d;

  d = g_new0 (JobData, 1);
  d->job = g_strdup (job);
  d->writes = writes;
  d->func = func;
  d->data = data;
  d->data_free = data_free;
  d->result_free = result_free;
  d->progress.path = g_strdup (self->path);
  d->progress.progress = progress;
  d->progress.progress_data = progress_data;
  d->progress.context = g_main_context_ref_thread_default ();
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, d, (GDestroyNotify) job_data_free);
  if (writes && !ngam_project_check_writable (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!writes && self->busy)
    {
      g_task_return_new_error (task, NGAM_PROJECT_ERROR, NGAM_PROJECT_ERROR_BUSY,
                               _("%s: a job (an import, a plan, a gaps analysis) is running: edit when it is done"), self->path);
      return;
    }
  if (writes)
    {
      self->busy = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
      refresh_undo_state (self);
    }
  worker = g_task_new (self, cancellable, job_done, g_object_ref (task));
  g_task_set_task_data (worker, d, NULL);
  g_task_set_return_on_cancel (worker, FALSE);
  g_task_run_in_thread (worker, job_thread);
}

gpointer
ngam_project_job_finish (NgamProject   *self,
                         GAsyncResult  *result,
                         gpointer       source_tag,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- outside changes ---------------------------------------------------------------- */

/**
 * ngam_project_check_outside:
 *
 * Asks the file whether another program committed a change since the
 * last call, and announces it: ::changed for every layer concerned
 * (anywhere: another program's edit has no box we know), ::runs-changed
 * with no job when it may have been results.  Nothing is asked while a
 * job or an edit is under way.
 *
 * Returns: TRUE when something changed outside.
 */
gboolean
ngam_project_check_outside (NgamProject *self)
{
  g_autoptr(GError) error = NULL;
  guint layers = 0;
  double extent[4];

  g_return_val_if_fail (NGAM_IS_PROJECT (self), FALSE);

  if (self->busy || self->pending != NULL || self->store == NULL)
    return FALSE;
  if (!ngam_store_changed_outside (self->store, &layers, &error))
    {
      if (error != NULL)
        g_debug ("%s: cannot tell whether the file changed: %s", self->path, error->message);
      return FALSE;
    }
  self->has_extent = ngam_store_get_extent (self->store, -1, extent, NULL);
  if (self->has_extent)
    memcpy (self->extent, extent, sizeof extent);
  if ((layers & ((1u << NGAM_N_LAYERS) - 1)) == (1u << NGAM_N_LAYERS) - 1)
    emit_everything (self);
  else
    {
      for (guint k = 0; k < NGAM_N_LAYERS; k++)
        if (layers & (1u << k))
          g_signal_emit (self, signals[CHANGED], 0, (int) k, NULL);
      schedule_recount (self, layers & ((1u << NGAM_N_LAYERS) - 1));
    }
  if (layers & NGAM_STORE_CHANGED_OTHER)
    g_signal_emit (self, signals[RUNS_CHANGED], 0, NULL);
  return TRUE;
}

static gboolean
watch_tick (gpointer data)
{
  ngam_project_check_outside (data);
  return G_SOURCE_CONTINUE;
}

void
ngam_project_watch_outside (NgamProject *self,
                            guint        interval_ms)
{
  g_return_if_fail (NGAM_IS_PROJECT (self));

  if (self->watch_source != NULL)
    g_source_destroy (self->watch_source);
  g_clear_pointer (&self->watch_source, g_source_unref);
  if (interval_ms == 0)
    return;
  /* The first question only starts the watch: what is in the file now is
   * what the views show. */
  if (self->store != NULL && !self->busy)
    ngam_store_changed_outside (self->store, NULL, NULL);
  {
    GSource *source = g_timeout_source_new (interval_ms);

    g_source_set_callback (source, watch_tick, self, NULL);
    g_source_set_priority (source, G_PRIORITY_LOW);
    g_source_attach (source, self->context);
    self->watch_source = source;
  }
}
