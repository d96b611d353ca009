/* ngam-shapefile.c — reading a shapefile's records without OGR
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why: an operator's shapefile is what the import reads most, a million
 * features at a time, and OGR spends more on each feature (an OGRFeature,
 * its fields, a geometry object, then WKB) than the import spends on the
 * feature afterwards.  A shapefile is simple: the .shx gives each
 * record's place in the .shp, the .dbf holds fixed-width records.  This
 * reads all three in blocks of WINDOW bytes and hands each record over as
 * OGR's shapefile driver would: the same feature ids, deleted records
 * skipped, the shape as the ISO WKB OGR would export (a one-part line as a
 * LineString, several parts as a MultiLineString), and the .dbf record as
 * bytes for the import to decode as it decodes OGR's raw fields.
 *
 * The rule is to agree with OGR, not to be cleverer: the import still
 * opens every source with OGR (schema, CRS, count), and this reader takes
 * over only what it reads exactly as OGR does.
 *   - A whole file is left to OGR when it is anything but 2D points,
 *     lines or multipoints with a .dbf of text and number fields whose
 *     sizes add up, and the same number of records in .shx and .dbf.
 *   - One record is left to OGR (NGAM_SHP_ASK_OGR) when it is anything
 *     but a null shape or a well-formed shape of the file's type: another
 *     type, lengths that disagree, parts out of order, no points, a
 *     coordinate that is not finite, a record cut short.  The import then
 *     asks OGR for that feature by its id.
 * tests/io/test-import-shapefile.c reads every shapefile of the shared
 * corpus both ways and compares them feature by feature.
 */
#define G_LOG_DOMAIN "ngam-io"

#include "config.h"

#include <math.h>
#include <string.h>

#include <cpl_vsi.h>

#include "ngam-shapefile.h"

#define WINDOW (1u << 20)

enum { SHP_NULL = 0, SHP_POINT = 1, SHP_ARC = 3, SHP_MULTIPOINT = 8 };

/* A block of a file read at once; the reads ahead of it are sequential in
 * practice, so each block is read once. */
typedef struct
{
  VSILFILE *fp;
  guint8   *buf;
  gsize     cap;
  gsize     len;
  guint64   start;
} Window;

struct _NgamShpFile
{
  Window        shp, shx, dbf;
  int           type;            /* the .shp header's */
  gint64        n_records;
  guint64       shp_size;
  guint         dbf_header;
  guint         dbf_record;
  GArray       *fields;          /* NgamShpField */
  gint64        next;
  GByteArray   *wkb;
};

static guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static guint32
le32 (const guint8 *p)
{
  return (guint32) p[3] << 24 | (guint32) p[2] << 16 | (guint32) p[1] << 8 | p[0];
}

static guint16
le16 (const guint8 *p)
{
  return (guint16) (p[1] << 8 | p[0]);
}

static double
le_double (const guint8 *p)
{
  guint64 u;
  double d;

  memcpy (&u, p, 8);
  u = GUINT64_FROM_LE (u);
  memcpy (&d, &u, 8);
  return d;
}

/* @n bytes at @off, or NULL when the file ends before them. */
static const guint8 *
window_get (Window *w, guint64 off, gsize n)
{
  if (off >= w->start && off + n <= w->start + w->len)
    return w->buf + (off - w->start);
  if (n > w->cap)
    {
      w->cap = MAX (n, 2 * w->cap);
      w->buf = g_realloc (w->buf, w->cap);
    }
  w->start = off;
  w->len = 0;
  if (VSIFSeekL (w->fp, off, SEEK_SET) != 0)
    return NULL;
  w->len = VSIFReadL (w->buf, 1, w->cap, w->fp);
  return w->len >= n ? w->buf : NULL;
}

static guint64
file_size (VSILFILE *fp)
{
  if (VSIFSeekL (fp, 0, SEEK_END) != 0)
    return 0;
  return VSIFTellL (fp);
}

static void
window_clear (Window *w)
{
  if (w->fp)
    VSIFCloseL (w->fp);
  g_free (w->buf);
}

static gboolean
window_open (Window *w, const char *path)
{
  w->fp = path ? VSIFOpenL (path, "rb") : NULL;
  w->cap = WINDOW;
  w->buf = g_malloc (w->cap);
  return w->fp != NULL;
}

/**
 * ngam_shp_sibling:
 * @shp: a shapefile's .shp (any VSI path)
 * @ext: another part's extension, without the dot ("dbf")
 *
 * The sibling of a shapefile part with another extension, in either case
 * (mixedcase.zip has senate.DBF beside senate.shp).
 *
 * Returns: (nullable): its path, or NULL when there is none
 */
char *
ngam_shp_sibling (const char *shp, const char *ext)
{
  const char *dot = strrchr (shp, '.');
  g_autofree char *stem = dot ? g_strndup (shp, dot - shp) : g_strdup (shp);

  for (int upper = 0; upper < 2; upper++)
    {
      g_autofree char *e = upper ? g_ascii_strup (ext, -1) : g_ascii_strdown (ext, -1);
      g_autofree char *p = g_strconcat (stem, ".", e, NULL);
      VSILFILE *f = VSIFOpenL (p, "rb");

      if (f)
        {
          VSIFCloseL (f);
          return g_steal_pointer (&p);
        }
    }
  return NULL;
}

void
ngam_shp_close (NgamShpFile *f)
{
  if (f == NULL)
    return;
  window_clear (&f->shp);
  window_clear (&f->shx);
  window_clear (&f->dbf);
  if (f->fields)
    g_array_unref (f->fields);
  if (f->wkb)
    g_byte_array_unref (f->wkb);
  g_free (f);
}

static gboolean
read_dbf_header (NgamShpFile *f, guint64 size, char **why_not)
{
  const guint8 *h = window_get (&f->dbf, 0, 32);
  guint offset = 1;
  gint64 n;

  if (h == NULL)
    {
      *why_not = g_strdup ("the .dbf is shorter than its header");
      return FALSE;
    }
  n = le32 (h + 4);
  f->dbf_header = le16 (h + 8);
  f->dbf_record = le16 (h + 10);
  if (f->dbf_header < 33 || f->dbf_record < 1 || f->dbf_header + (guint64) n * f->dbf_record > size)
    {
      *why_not = g_strdup ("the .dbf header's sizes do not fit the file");
      return FALSE;
    }
  if (n != f->n_records)
    {
      *why_not = g_strdup_printf ("the .dbf has %" G_GINT64_FORMAT " records, the .shx %" G_GINT64_FORMAT, n,
                                  f->n_records);
      return FALSE;
    }
  h = window_get (&f->dbf, 0, f->dbf_header);
  if (h == NULL)
    {
      *why_not = g_strdup ("the .dbf is shorter than its header");
      return FALSE;
    }
  for (guint at = 32; at + 32 <= f->dbf_header && h[at] != 0x0D; at += 32)
    {
      NgamShpField fd = { (char) h[at + 11], offset, h[at + 16] };

      if (fd.type != 'C' && fd.type != 'N' && fd.type != 'F')
        {
          *why_not = g_strdup_printf ("field %u is of .dbf type '%c'", f->fields->len + 1, g_ascii_isprint (fd.type) ? fd.type : '?');
          return FALSE;
        }
      offset += fd.width;
      g_array_append_val (f->fields, fd);
    }
  if (offset != f->dbf_record)
    {
      *why_not = g_strdup_printf ("the .dbf fields take %u bytes of a %u-byte record", offset, f->dbf_record);
      return FALSE;
    }
  return TRUE;
}

/**
 * ngam_shp_open:
 * @shp_path: a .shp, with its .shx and .dbf beside it (any VSI path)
 * @why_not: (out): why not, when NULL is returned
 *
 * Returns: (nullable): the file ready to read, or NULL when OGR should
 *   read it all (the reason in @why_not).
 */
NgamShpFile *
ngam_shp_open (const char *shp_path, char **why_not)
{
  g_autoptr(NgamShpFile) f = g_new0 (NgamShpFile, 1);
  g_autofree char *shx = ngam_shp_sibling (shp_path, "shx");
  g_autofree char *dbf = ngam_shp_sibling (shp_path, "dbf");
  guint64 shx_size, dbf_size;
  const guint8 *h;

  *why_not = NULL;
  f->fields = g_array_new (FALSE, FALSE, sizeof (NgamShpField));
  f->wkb = g_byte_array_new ();
  if (!window_open (&f->shp, shp_path) || !window_open (&f->shx, shx) || !window_open (&f->dbf, dbf))
    {
      *why_not = g_strdup (f->shp.fp == NULL ? "the .shp cannot be opened" : f->shx.fp == NULL ? "no .shx" : "no .dbf");
      return NULL;
    }
  f->shp_size = file_size (f->shp.fp);
  shx_size = file_size (f->shx.fp);
  dbf_size = file_size (f->dbf.fp);
  h = window_get (&f->shp, 0, 100);
  if (h == NULL || be32 (h) != 9994 || le32 (h + 28) != 1000)
    {
      *why_not = g_strdup ("the .shp header is not a shapefile's");
      return NULL;
    }
  f->type = (int) le32 (h + 32);
  if (f->type != SHP_POINT && f->type != SHP_ARC && f->type != SHP_MULTIPOINT)
    {
      *why_not = g_strdup_printf ("shape type %d", f->type);
      return NULL;
    }
  h = window_get (&f->shx, 0, 100);
  if (h == NULL || be32 (h) != 9994 || (guint64) be32 (h + 24) * 2 != shx_size || (shx_size - 100) % 8 != 0)
    {
      *why_not = g_strdup ("the .shx header does not match its size");
      return NULL;
    }
  f->n_records = (gint64) (shx_size - 100) / 8;
  if (!read_dbf_header (f, dbf_size, why_not))
    return NULL;
  return g_steal_pointer (&f);
}

gint64
ngam_shp_n_records (const NgamShpFile *f)
{
  return f->n_records;
}

guint
ngam_shp_n_fields (const NgamShpFile *f)
{
  return f->fields->len;
}

/* The .dbf's fields, ngam_shp_n_fields() of them, in record order. */
const NgamShpField *
ngam_shp_fields (const NgamShpFile *f)
{
  return (const NgamShpField *) f->fields->data;
}

/* ---- shapes as WKB ----------------------------------------------------- */

static void
put_u8 (GByteArray *w, guint8 v)
{
  g_byte_array_append (w, &v, 1);
}

static void
put_u32 (GByteArray *w, guint32 v)
{
  guint32 le = GUINT32_TO_LE (v);

  g_byte_array_append (w, (const guint8 *) &le, 4);
}

/* @n points of a record (x, y little-endian doubles) as WKB's, which are
 * the same bytes on a little-endian machine. FALSE for a coordinate that
 * is not finite (OGR's business). */
static gboolean
put_points (GByteArray *w, const guint8 *xy, guint32 n)
{
  guint len = w->len;

  g_byte_array_set_size (w, len + 16 * (gsize) n);
  for (guint32 i = 0; i < 2 * n; i++)
    {
      double d = le_double (xy + 8 * i);

      if (!isfinite (d))
        return FALSE;
      memcpy (w->data + len + 8 * i, &d, 8);
    }
  return TRUE;
}

static void
put_header (GByteArray *w, guint32 wkb_type)
{
  put_u8 (w, G_BYTE_ORDER == G_LITTLE_ENDIAN ? 1 : 0);
  put_u32 (w, G_BYTE_ORDER == G_LITTLE_ENDIAN ? wkb_type : GUINT32_SWAP_LE_BE (wkb_type));
}

static void
put_count (GByteArray *w, guint32 n)
{
  put_u32 (w, G_BYTE_ORDER == G_LITTLE_ENDIAN ? n : GUINT32_SWAP_LE_BE (n));
}

/* The record's content @c of @len bytes into f->wkb. */
static NgamShpStatus
record_to_wkb (NgamShpFile *f, const guint8 *c, gsize len)
{
  GByteArray *w = f->wkb;
  int type = len >= 4 ? (int) le32 (c) : -1;

  g_byte_array_set_size (w, 0);
  if (type == SHP_NULL)
    return NGAM_SHP_NULL;
  if (type != f->type)
    return NGAM_SHP_ASK_OGR;
  if (type == SHP_POINT)
    {
      if (len < 20)
        return NGAM_SHP_ASK_OGR;
      put_header (w, 1);
      return put_points (w, c + 4, 1) ? NGAM_SHP_SHAPE : NGAM_SHP_ASK_OGR;
    }
  if (type == SHP_MULTIPOINT)
    {
      guint32 n = len >= 40 ? le32 (c + 36) : 0;

      if (n == 0 || n > (len - 40) / 16)
        return NGAM_SHP_ASK_OGR;
      put_header (w, 4);
      put_count (w, n);
      for (guint32 i = 0; i < n; i++)
        {
          put_header (w, 1);
          if (!put_points (w, c + 40 + 16 * (gsize) i, 1))
            return NGAM_SHP_ASK_OGR;
        }
      return NGAM_SHP_SHAPE;
    }
  /* a line: box, parts, points, part starts, coordinates */
  {
    guint32 n_parts = len >= 44 ? le32 (c + 36) : 0;
    guint32 n_points = len >= 44 ? le32 (c + 40) : 0;
    const guint8 *parts = c + 44, *xy;

    if (n_parts == 0 || n_points == 0 || n_parts > (len - 44) / 4 ||
        n_points > (len - 44 - 4 * (gsize) n_parts) / 16)
      return NGAM_SHP_ASK_OGR;
    xy = parts + 4 * (gsize) n_parts;
    if (le32 (parts) != 0)
      return NGAM_SHP_ASK_OGR;
    for (guint32 p = 1; p < n_parts; p++)
      if (le32 (parts + 4 * p) <= le32 (parts + 4 * (p - 1)) || le32 (parts + 4 * p) >= n_points)
        return NGAM_SHP_ASK_OGR;
    if (n_parts == 1)
      {
        put_header (w, 2);
        put_count (w, n_points);
        return put_points (w, xy, n_points) ? NGAM_SHP_SHAPE : NGAM_SHP_ASK_OGR;
      }
    put_header (w, 5);
    put_count (w, n_parts);
    for (guint32 p = 0; p < n_parts; p++)
      {
        guint32 from = le32 (parts + 4 * p);
        guint32 to = p + 1 < n_parts ? le32 (parts + 4 * (p + 1)) : n_points;

        put_header (w, 2);
        put_count (w, to - from);
        if (!put_points (w, xy + 16 * (gsize) from, to - from))
          return NGAM_SHP_ASK_OGR;
      }
    return NGAM_SHP_SHAPE;
  }
}

/**
 * ngam_shp_next:
 *
 * Reads the next record into @record.
 *
 * Returns: FALSE after the last record.
 */
gboolean
ngam_shp_next (NgamShpFile *f, NgamShpRecord *rec)
{
  const guint8 *idx, *head, *content;
  guint64 off;
  gsize len;

  if (f->next >= f->n_records)
    return FALSE;
  rec->fid = f->next++;
  rec->wkb = f->wkb;
  rec->dbf = window_get (&f->dbf, f->dbf_header + (guint64) rec->fid * f->dbf_record, f->dbf_record);
  g_byte_array_set_size (f->wkb, 0);
  if (rec->dbf == NULL)
    {
      rec->status = NGAM_SHP_ASK_OGR;
      return TRUE;
    }
  if (rec->dbf[0] == '*')
    {
      rec->status = NGAM_SHP_DELETED;
      return TRUE;
    }
  idx = window_get (&f->shx, 100 + 8 * (guint64) rec->fid, 8);
  off = idx ? (guint64) be32 (idx) * 2 : 0;
  len = idx ? (gsize) be32 (idx + 4) * 2 : 0;
  head = off >= 100 && off + 8 + len <= f->shp_size ? window_get (&f->shp, off, 8 + len) : NULL;
  /* the .shp's record header must agree with the .shx */
  if (head == NULL || (gsize) be32 (head + 4) * 2 != len)
    {
      rec->status = NGAM_SHP_ASK_OGR;
      return TRUE;
    }
  content = head + 8;
  rec->status = record_to_wkb (f, content, len);
  return TRUE;
}
