/* store-load.c — bulk-loads OGR files into a new project through the
 * store's bulk writer, timed (bench/store-load.sh runs it)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   store-load [--mode=sequential|pipelined|preload] [--wal] OUT.ngam KIND=FILE…
 *
 * Reads each FILE's first layer with OGR, maps its columns back to the
 * model by the names `ngam-batch export` gave them, and writes the
 * features with NgamStoreWriter into a fresh project (EPSG:9214), one
 * transaction, spatial and attribute indexes included.  The clock runs
 * from before the project is created until it is closed.
 *
 *   sequential  one thread reads a feature, then writes it
 *   pipelined   a second thread reads ahead, in batches, while the first
 *               writes (memory stays bounded: a few batches in flight)
 *   preload     every feature is read into memory before the clock
 *               starts, so the time is the store's alone
 *
 * --wal keeps the load in WAL mode (ngam_store_begin() instead of
 * ngam_store_begin_bulk()), to see what the rollback journal saves.
 *
 * Prints one line of JSON.
 */
#include "config.h"

#include <gdal.h>
#include <ogr_api.h>
#include <stdio.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-export.h"
#include "ngam-store-sync.h"

typedef struct
{
  NgamLayerKind  kind;
  char          *path;
  GPtrArray     *features;   /* preload */
} Input;

/* ---- reading ---------------------------------------------------------- */

typedef struct
{
  Input       *in;
  GDALDatasetH ds;
  OGRLayerH    layer;
  int         *idx;          /* model column → OGR field, or -1 */
} Reader;

static gboolean
reader_open (Reader  *r,
             Input   *in,
             GError **error)
{
  g_auto(GStrv) columns = ngam_export_columns (in->kind, g_str_has_suffix (in->path, ".shp"));
  OGRFeatureDefnH defn;

  r->in = in;
  r->ds = GDALOpenEx (in->path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  if (r->ds == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open %s", in->path);
      return FALSE;
    }
  r->layer = GDALDatasetGetLayer (r->ds, 0);
  defn = OGR_L_GetLayerDefn (r->layer);
  r->idx = g_new (int, g_strv_length (columns));
  for (guint i = 0; columns[i]; i++)
    r->idx[i] = OGR_FD_GetFieldIndex (defn, columns[i]);
  return TRUE;
}

static void
reader_close (Reader *r)
{
  if (r->ds)
    GDALClose (r->ds);
  g_clear_pointer (&r->idx, g_free);
  r->ds = NULL;
}

/* Reads the next feature into @f; FALSE at the end or on error. */
static gboolean
reader_next (Reader       *r,
             NgamFeature  *f,
             GError      **error)
{
  const NgamLayerInfo *info = ngam_layer_info (f->kind);
  const int *idx = r->idx;
  OGRFeatureH of = OGR_L_GetNextFeature (r->layer);
  OGRGeometryH geom;
  guint8 stack[4096];
  guint8 *wkb = stack;
  gsize len;
  gboolean ok = TRUE;

  if (of == NULL)
    return FALSE;
  ngam_feature_reset (f);
#define TEXT(i) (idx[i] >= 0 && OGR_F_IsFieldSetAndNotNull (of, idx[i]) ? OGR_F_GetFieldAsString (of, idx[i]) : NULL)
  f->operator_name = g_strdup (TEXT (1));
  f->source_file = g_strdup (TEXT (2));
  f->source_layer = g_strdup (TEXT (3));
  f->source_fid = idx[4] >= 0 && OGR_F_IsFieldSetAndNotNull (of, idx[4]) ? OGR_F_GetFieldAsInteger64 (of, idx[4]) : -1;
  f->source_key = g_strdup (TEXT (5));
#undef TEXT
  for (guint i = 0; i < info->n_fields; i++)
    {
      int k = idx[NGAM_EXPORT_N_COMMON + i];

      if (k < 0 || !OGR_F_IsFieldSetAndNotNull (of, k))
        continue;
      switch (info->fields[i].type)
        {
        case NGAM_FIELD_TEXT: ngam_feature_set_text (f, i, OGR_F_GetFieldAsString (of, k)); break;
        case NGAM_FIELD_REAL: ngam_feature_set_real (f, i, OGR_F_GetFieldAsDouble (of, k)); break;
        case NGAM_FIELD_BOOL: ngam_feature_set_bool (f, i, OGR_F_GetFieldAsInteger (of, k) != 0); break;
        case NGAM_FIELD_INT:
        default: ngam_feature_set_int (f, i, OGR_F_GetFieldAsInteger64 (of, k)); break;
        }
    }
  if ((geom = OGR_F_GetGeometryRef (of)) != NULL)
    {
      len = OGR_G_WkbSize (geom);
      if (len > sizeof stack)
        wkb = g_malloc (len);
      OGR_G_ExportToIsoWkb (geom, wkbNDR, wkb);
      ok = ngam_shape_from_wkb (f->shape, wkb, len, NULL, error);
      if (wkb != stack)
        g_free (wkb);
      /* a Shapefile says Polygon where the layer keeps MultiPolygon */
      if (ok && f->shape->type == NGAM_SHAPE_POLYGON && info->shape == NGAM_SHAPE_MULTIPOLYGON)
        f->shape->type = NGAM_SHAPE_MULTIPOLYGON;
    }
  OGR_F_Destroy (of);
  if (!ok)
    g_prefix_error (error, "%s: ", r->in->path);
  return ok;
}

/* ---- writing ---------------------------------------------------------- */

/* Writes @n features a many-row INSERT at a time (the store's bulk path,
 * as an import uses it), their shapes prepared in @rows: made here when
 * @encode, else already made by the reading thread. */
static gboolean
write_features (NgamStoreWriter  *w,
                NgamStore        *store,
                NgamFeature     **f,
                NgamStoreRow    **rows,
                guint             n,
                gboolean          encode,
                GError          **error)
{
  gint64 fids[NGAM_STORE_WRITER_MAX_BATCH];

  for (guint i = 0; i < n; i += NGAM_STORE_WRITER_MAX_BATCH)
    {
      guint m = MIN (NGAM_STORE_WRITER_MAX_BATCH, n - i);

      if (encode)
        for (guint k = 0; k < m; k++)
          ngam_store_row_prepare (rows[i + k], store, f[i + k]->shape);
      if (!ngam_store_writer_add_many (w, f + i, (const NgamStoreRow *const *) rows + i, NULL, m, fids, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- the pipeline ----------------------------------------------------- */

#define BATCH 2048
#define IN_FLIGHT 8

typedef struct
{
  guint        input;        /* index into the inputs */
  gboolean     last;         /* the input's last batch */
  guint        len;
  NgamFeature *f[BATCH];
  NgamStoreRow *blob[BATCH]; /* their shapes, prepared by the reader */
  GError      *error;        /* the reader failed */
} Batch;

typedef struct
{
  GPtrArray   *inputs;
  GAsyncQueue *full;
  GAsyncQueue *empty;
  NgamStore   *store;
  gint         stop;         /* the writer failed: read no more */
} Pipe;

static gpointer
read_ahead (gpointer data)
{
  Pipe *p = data;

  for (guint k = 0; k < p->inputs->len; k++)
    {
      Input *in = p->inputs->pdata[k];
      Reader r = { 0 };
      GError *error = NULL;
      gboolean more;

      if (!reader_open (&r, in, &error))
        {
          Batch *b = g_async_queue_pop (p->empty);

          b->error = error;
          g_async_queue_push (p->full, b);
          return NULL;
        }
      do
        {
          Batch *b = g_async_queue_pop (p->empty);

          if (g_atomic_int_get (&p->stop))
            {
              reader_close (&r);
              return NULL;
            }
          b->input = k;
          b->len = 0;
          more = TRUE;
          while (b->len < BATCH)
            {
              if (b->f[b->len] == NULL || b->f[b->len]->kind != in->kind)
                {
                  g_clear_pointer (&b->f[b->len], ngam_feature_free);
                  b->f[b->len] = ngam_feature_new (in->kind);
                }
              if (!reader_next (&r, b->f[b->len], &error))
                {
                  more = FALSE;
                  break;
                }
              if (b->blob[b->len] == NULL)
                b->blob[b->len] = ngam_store_row_new ();
              ngam_store_row_prepare (b->blob[b->len], p->store, b->f[b->len]->shape);
              b->len++;
            }
          b->last = !more;
          b->error = error;
          g_async_queue_push (p->full, b);
          if (error)
            {
              reader_close (&r);
              return NULL;
            }
        }
      while (more);
      reader_close (&r);
    }
  return NULL;
}

static gboolean
load_pipelined (NgamStore  *store,
                GPtrArray  *inputs,
                gint64     *n,
                GError    **error)
{
  Pipe p = { inputs, g_async_queue_new (), g_async_queue_new (), store, 0 };
  Batch batches[IN_FLIGHT];
  g_autoptr(NgamStoreWriter) w = NULL;
  GThread *thread;
  gboolean ok = TRUE;
  guint done = 0;

  memset (batches, 0, sizeof batches);
  for (guint i = 0; i < IN_FLIGHT; i++)
    g_async_queue_push (p.empty, &batches[i]);
  thread = g_thread_new ("read-ahead", read_ahead, &p);
  while (ok && done < inputs->len)
    {
      Batch *b = g_async_queue_pop (p.full);
      Input *in = inputs->pdata[b->input];

      if (b->error)
        {
          g_propagate_error (error, g_steal_pointer (&b->error));
          ok = FALSE;
          g_async_queue_push (p.empty, b);
          break;
        }
      if (w == NULL && (w = ngam_store_writer_new (store, in->kind, error)) == NULL)
        ok = FALSE;
      ok = ok && write_features (w, store, b->f, b->blob, b->len, FALSE, error);
      *n += b->len;
      if (ok && b->last)
        {
          ok = ngam_store_writer_finish (w, error);
          g_clear_pointer (&w, ngam_store_writer_free);
          done++;
        }
      g_async_queue_push (p.empty, b);
    }
  if (!ok)
    {
      /* the reader may be waiting for an empty batch: hand them all back */
      Batch *b;

      g_atomic_int_set (&p.stop, 1);
      while ((b = g_async_queue_try_pop (p.full)) != NULL)
        g_async_queue_push (p.empty, b);
    }
  g_thread_join (thread);
  for (guint i = 0; i < IN_FLIGHT; i++)
    for (guint k = 0; k < BATCH; k++)
      {
        g_clear_pointer (&batches[i].f[k], ngam_feature_free);
        g_clear_pointer (&batches[i].blob[k], ngam_store_row_free);
      }
  g_async_queue_unref (p.full);
  g_async_queue_unref (p.empty);
  return ok;
}

static gboolean
load_sequential (NgamStore  *store,
                 GPtrArray  *inputs,
                 gint64     *n,
                 GError    **error)
{
  NgamStoreRow *blobs[NGAM_STORE_WRITER_MAX_BATCH];
  NgamFeature *f[NGAM_STORE_WRITER_MAX_BATCH];
  gboolean ok = TRUE;

  for (guint i = 0; i < NGAM_STORE_WRITER_MAX_BATCH; i++)
    blobs[i] = ngam_store_row_new ();
  for (guint k = 0; ok && k < inputs->len; k++)
    {
      Input *in = inputs->pdata[k];
      g_autoptr(NgamStoreWriter) w = ngam_store_writer_new (store, in->kind, error);
      GError *local = NULL;
      Reader r = { 0 };
      guint m = 0;

      for (guint i = 0; i < NGAM_STORE_WRITER_MAX_BATCH; i++)
        f[i] = ngam_feature_new (in->kind);
      ok = w != NULL && reader_open (&r, in, error);
      if (ok && in->features)
        {
          NgamStoreRow *many[BATCH];

          for (guint i = 0; i < BATCH; i++)
            many[i] = ngam_store_row_new ();
          for (guint i = 0; ok && i < in->features->len; i += BATCH)
            ok = write_features (w, store, (NgamFeature **) in->features->pdata + i, many,
                                 MIN (BATCH, in->features->len - i), TRUE, error);
          *n += in->features->len;
          for (guint i = 0; i < BATCH; i++)
            ngam_store_row_free (many[i]);
        }
      else if (ok)
        {
          while (ok)
            {
              gboolean more = reader_next (&r, f[m], &local);

              if (more)
                m++;
              if (m == NGAM_STORE_WRITER_MAX_BATCH || (!more && m > 0))
                {
                  ok = write_features (w, store, f, blobs, m, TRUE, error);
                  *n += m;
                  m = 0;
                }
              if (!more)
                break;
            }
          if (ok && local)
            {
              g_propagate_error (error, local);
              ok = FALSE;
            }
        }
      reader_close (&r);
      ok = ok && ngam_store_writer_finish (w, error);
      for (guint i = 0; i < NGAM_STORE_WRITER_MAX_BATCH; i++)
        ngam_feature_free (f[i]);
    }
  for (guint i = 0; i < NGAM_STORE_WRITER_MAX_BATCH; i++)
    ngam_store_row_free (blobs[i]);
  return ok;
}

static gboolean
preload_all (GPtrArray  *inputs,
             GError    **error)
{
  for (guint k = 0; k < inputs->len; k++)
    {
      Input *in = inputs->pdata[k];
      Reader r = { 0 };
      NgamFeature *f;
      GError *local = NULL;

      if (!reader_open (&r, in, error))
        return FALSE;
      in->features = g_ptr_array_new_with_free_func ((GDestroyNotify) ngam_feature_free);
      while (reader_next (&r, (f = ngam_feature_new (in->kind)), &local))
        g_ptr_array_add (in->features, f);
      ngam_feature_free (f);
      reader_close (&r);
      if (local)
        {
          g_propagate_error (error, local);
          return FALSE;
        }
    }
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) inputs = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NgamStore) store = NULL;
  const char *mode = "pipelined";
  gboolean wal = FALSE;
  const char *out = NULL;
  gint64 t0, t_read = 0, n = 0;
  gboolean ok;
  double seconds;

  ngam_core_init ();
  for (int i = 1; i < argc; i++)
    {
      char *eq = strchr (argv[i], '=');
      Input *in;

      if (g_str_has_prefix (argv[i], "--mode="))
        mode = argv[i] + 7;
      else if (strcmp (argv[i], "--wal") == 0)
        wal = TRUE;
      else if (eq == NULL && out == NULL)
        out = argv[i];
      else if (eq)
        {
          in = g_new0 (Input, 1);
          *eq = '\0';
          if (!ngam_layer_kind_from_name (argv[i], &in->kind))
            g_error ("unknown layer kind %s", argv[i]);
          in->path = eq + 1;
          g_ptr_array_add (inputs, in);
        }
    }
  if (out == NULL || inputs->len == 0 ||
      !g_strv_contains ((const char *[]) { "sequential", "pipelined", "preload", NULL }, mode))
    {
      fprintf (stderr, "usage: store-load [--mode=sequential|pipelined|preload] [--wal] OUT.ngam KIND=FILE…\n");
      return 2;
    }

  if (strcmp (mode, "preload") == 0)
    {
      t0 = g_get_monotonic_time ();
      if (!preload_all (inputs, &error))
        g_error ("%s", error->message);
      t_read = g_get_monotonic_time () - t0;
    }

  t0 = g_get_monotonic_time ();
  store = ngam_store_create (out, "EPSG:9214", &error);
  if (store == NULL || !(wal ? ngam_store_begin (store, &error) : ngam_store_begin_bulk (store, &error)))
    g_error ("%s", error->message);
  if (strcmp (mode, "pipelined") == 0)
    ok = load_pipelined (store, inputs, &n, &error);
  else
    ok = load_sequential (store, inputs, &n, &error);
  if (!ok || !ngam_store_commit (store, &error))
    g_error ("%s", error->message);
  ngam_store_close (g_steal_pointer (&store));
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  printf ("{\"features\": %" G_GINT64_FORMAT ", \"seconds\": %.2f, \"preload_seconds\": %.2f, \"mode\": \"%s\"}\n",
          n, seconds, t_read / 1e6, mode);
  for (guint k = 0; k < inputs->len; k++)
    {
      Input *in = inputs->pdata[k];

      if (in->features)
        g_ptr_array_unref (in->features);
      g_free (in);
    }
  return 0;
}
