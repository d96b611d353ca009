/* test-encoding.c — decoding and detecting Vietnamese legacy encodings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The TCVN3, VISCII and VPS bytes are the shared corpus's province names
 * (../shared/data/encodings); VNI and CP1258 bytes are written out here by
 * hand from the standards' tables, independently of the decoder's table.
 */
#include "config.h"

#include <gdal.h>
#include <ogr_api.h>
#include <string.h>

#include "ngam-core.h"
#include "ngam-encoding.h"
#include "ngam-test-util.h"

/* The reference spells Đ as U+00D0 (Icelandic eth); U+0110 is right. */
static char *
fix_reference (const char *s)
{
  GString *out = g_string_new (NULL);

  for (const char *p = s; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, c == 0x00d0 ? 0x0110 : c);
    }
  return g_string_free (out, FALSE);
}

static GPtrArray *
read_column (const char *relative, gboolean raw)
{
  g_autofree char *path = ngam_test_shared_path (relative);
  g_autofree char *data = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  lines = g_strsplit (data, raw ? "\r\n" : "\n", -1);
  for (guint i = 1; lines[i]; i++)
    {
      char *comma = strchr (lines[i], ',');
      char *cr;

      if (comma == NULL)
        continue;
      *comma = '\0';
      if ((cr = strchr (lines[i], '\r')))
        *cr = '\0';
      if (lines[i][0] == '"')
        {
          /* a quoted name: strip the quotes */
          memmove (lines[i], lines[i] + 1, strlen (lines[i]));
          lines[i][strlen (lines[i]) - 1] = '\0';
        }
      g_ptr_array_add (out, g_strdup (lines[i]));
    }
  return out;
}

static void
check_shared (const char *encoding, const char *file)
{
  g_autofree char *raw_rel = g_strdup_printf ("encodings/raw_legacy_bytes/vn_provinces_%s.csv", file);
  g_autoptr(GPtrArray) raw = read_column (raw_rel, TRUE);
  g_autoptr(GPtrArray) ref = read_column ("encodings/as_loaded_mojibake_utf8/vn_samples_Unicode.csv", FALSE);
  g_autoptr(NgamDecoder) d = ngam_decoder_new (encoding, NULL);
  g_autoptr(NgamEncodingDetector) det = ngam_encoding_detector_new ();
  NgamEncodingGuess guess;

  g_assert_nonnull (d);
  g_assert_cmpuint (raw->len, ==, 63);
  g_assert_cmpuint (raw->len, ==, ref->len);
  for (guint i = 0; i < raw->len; i++)
    {
      g_autofree char *got = ngam_decoder_decode (d, raw->pdata[i], -1);
      g_autofree char *want = fix_reference (ref->pdata[i]);

      /* every name, last letter included */
      g_assert_cmpstr (got, ==, want);
      ngam_encoding_detector_add (det, raw->pdata[i], -1);
    }
  ngam_encoding_detector_guess (det, NULL, NULL, &guess);
  g_assert_cmpstr (guess.name, ==, encoding);
  g_assert_cmpfloat (guess.confidence, >, 0.5);
  ngam_encoding_guess_clear (&guess);

  /* a lying .cpg is overruled; a truthful one is kept */
  ngam_encoding_detector_guess (det, "UTF-8", ".cpg", &guess);
  g_assert_cmpstr (guess.name, ==, encoding);
  g_assert_nonnull (strstr (guess.reason, ".cpg says UTF-8"));
  ngam_encoding_guess_clear (&guess);
  ngam_encoding_detector_guess (det, "CP1252", ".cpg", &guess);
  g_assert_cmpstr (guess.name, ==, encoding);
  ngam_encoding_guess_clear (&guess);
  ngam_encoding_detector_guess (det, encoding, ".cpg", &guess);
  g_assert_cmpstr (guess.name, ==, encoding);
  g_assert_nonnull (strstr (guess.reason, "reads well"));
  ngam_encoding_guess_clear (&guess);
}

static void
test_tcvn3 (void)
{
  check_shared ("TCVN3", "TCVN3");
}

static void
test_viscii (void)
{
  check_shared ("VISCII", "VISCII");
}

/* VPS: not in iconv, a table of our own.  Every province name decodes,
 * the names are detected as VPS and a declared VPS (.cpg) is kept.  VPS
 * puts capital letters with a dot below among the control bytes: they are
 * letters, not controls. */
static void
test_vps (void)
{
  g_autoptr(NgamDecoder) d = ngam_decoder_new ("vps", NULL);
  g_autofree char *canonical = ngam_encoding_canonical ("vps");
  g_autofree char *from_cpg = ngam_encoding_from_cpg ("VPS\r\n");
  g_autofree char *dot = NULL;
  GString *decoded = g_string_new (NULL);

  check_shared ("VPS", "VPS");
  g_assert_cmpstr (canonical, ==, "VPS");
  g_assert_cmpstr (from_cpg, ==, "VPS");
  /* "ẠN" and "Ợ": 0x02 and 0x13, which plain ASCII would pass through */
  dot = ngam_decoder_decode (d, "\x02N \x13", -1);
  g_assert_cmpstr (dot, ==, "ẠN Ợ");
  ngam_decoder_decode_append (d, "\x02", 1, decoded);
  g_assert_cmpstr (decoded->str, ==, "Ạ");
  g_string_free (decoded, TRUE);
}

/* VNI-Windows: base letter + mark byte(s), written as the Windows-1252
 * bytes a VNI font user typed. */
static void
test_vni (void)
{
  /* Written out byte by byte: H a ø(0xF8 grave) | N o ä(0xE4 circumflex+dot) i */
  static const struct { const char *bytes; const char *want; } cases[] = {
    { "Ha\xf8 No\xe4i", "Hà Nội" },
    { "Th\xf6\xf8" "a Thie\xe2n-Hue\xe1", "Thừa Thiên-Huế" },
    { "\xd1" "a\xe9k La\xe9k", "Đắk Lắk" },
    { "B\xecnh D\xf6\xf4\xf8ng", "Bình Dường" },
    { "Qua\xfbng Tr\xf2", "Quảng Trị" },
    { "Ca\xe0n Th\xf4", "Cần Thơ" },
    { "V\xf3nh Long", "Vĩnh Long" },
    { "SO\xc1" "C TRA\xca" "NG", "SỐC TRĂNG" },
    { "ng\xf6\xf4\xf8i", "người" },
    { "ky\xf5", "kỹ" },
    { "l\xee", "lỵ" },
    { "Cafe\xf9", "Café" },
  };
  g_autoptr(NgamDecoder) d = ngam_decoder_new ("VNI", NULL);
  g_autoptr(NgamEncodingDetector) det = ngam_encoding_detector_new ();
  NgamEncodingGuess guess;

  g_assert_nonnull (d);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = ngam_decoder_decode (d, cases[i].bytes, -1);

      g_assert_cmpstr (got, ==, cases[i].want);
      ngam_encoding_detector_add (det, cases[i].bytes, -1);
    }
  ngam_encoding_detector_guess (det, NULL, NULL, &guess);
  g_assert_cmpstr (guess.name, ==, "VNI");
  ngam_encoding_guess_clear (&guess);
}

static void
test_cp1258 (void)
{
  g_autoptr(GPtrArray) ref = read_column ("encodings/as_loaded_mojibake_utf8/vn_samples_Unicode.csv", FALSE);
  g_autoptr(NgamDecoder) d = ngam_decoder_new ("CP1258", NULL);
  g_autoptr(NgamEncodingDetector) det = ngam_encoding_detector_new ();
  NgamEncodingGuess guess;

  for (guint i = 0; i < ref->len; i++)
    {
      g_autofree char *want = fix_reference (ref->pdata[i]);
      /* Windows-1258 writes most toned letters as base + combining mark;
       * glibc's encoder decomposes them itself. */
      g_autofree char *bytes = g_convert (want, -1, "CP1258", "UTF-8", NULL, NULL, NULL);
      g_autofree char *got = NULL;

      g_assert_nonnull (bytes);
      got = ngam_decoder_decode (d, bytes, -1);
      g_assert_cmpstr (got, ==, want);
      ngam_encoding_detector_add (det, bytes, -1);
    }
  ngam_encoding_detector_guess (det, NULL, NULL, &guess);
  g_assert_cmpstr (guess.name, ==, "CP1258");
  ngam_encoding_guess_clear (&guess);
}

static void
test_utf8_and_ascii (void)
{
  g_autoptr(NgamEncodingDetector) det = ngam_encoding_detector_new ();
  g_autoptr(NgamDecoder) d = ngam_decoder_new ("utf8", NULL);
  NgamEncodingGuess guess;
  g_autofree char *nfc = NULL;

  ngam_encoding_detector_add (det, "Hue", -1);
  g_assert_true (ngam_encoding_detector_is_ascii (det));
  ngam_encoding_detector_guess (det, NULL, NULL, &guess);
  g_assert_cmpfloat (guess.confidence, ==, 1.0);
  ngam_encoding_guess_clear (&guess);
  ngam_encoding_detector_add (det, "Phố Mã Mây", -1);
  ngam_encoding_detector_guess (det, "CP1252", ".cpg", &guess);
  g_assert_cmpstr (guess.name, ==, "UTF-8");
  ngam_encoding_guess_clear (&guess);
  /* NFD input (a Mac export) comes out NFC; padding is dropped */
  nfc = ngam_decoder_decode (d, "Hue\xcc\x82\xcc\x81   ", -1);
  g_assert_cmpstr (nfc, ==, "Huế");
}

static void
test_western (void)
{
  static const char *names[] = { "M\xfcller", "Stra\xdf" "e", "Gr\xf6\xdf" "e", "K\xf6ln", "B\xe4" "ckerei", "Z\xfcrich" };
  g_autoptr(NgamEncodingDetector) det = ngam_encoding_detector_new ();
  NgamEncodingGuess guess;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    ngam_encoding_detector_add (det, names[i], -1);
  ngam_encoding_detector_guess (det, NULL, NULL, &guess);
  g_assert_cmpstr (guess.name, ==, "CP1252");
  ngam_encoding_guess_clear (&guess);
}

static void
test_names (void)
{
  static const struct { const char *cpg; const char *want; } cpgs[] = {
    { "UTF-8\n", "UTF-8" }, { "ANSI 1250", "CP1250" }, { "936", "CP936" }, { "88591", "ISO-8859-1" },
    { "1258\r\n", "CP1258" }, { "<html><body>404</body></html>", NULL }, { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cpgs); i++)
    {
      g_autofree char *got = ngam_encoding_from_cpg (cpgs[i].cpg);

      g_assert_cmpstr (got, ==, cpgs[i].want);
    }
  g_assert_cmpstr (ngam_encoding_from_ldid (0x57), ==, "CP1252");
  g_assert_cmpstr (ngam_encoding_from_ldid (0xc8), ==, "CP1250");
  g_assert_null (ngam_encoding_from_ldid (0));
  {
    g_autoptr(GError) error = NULL;
    NgamDecoder *d = ngam_decoder_new ("KLINGON-8", &error);

    g_assert_null (d);
    g_assert_error (error, NGAM_ENCODING_ERROR, NGAM_ENCODING_ERROR_UNKNOWN);
  }
  {
    /* a multi-byte code page from a .cpg (shapefile-rs file_cp936) */
    g_autoptr(NgamDecoder) d = ngam_decoder_new ("936", NULL);
    g_autofree char *got = ngam_decoder_decode (d, "\xb2\xe2\xca\xd4", -1);

    g_assert_cmpstr (got, ==, "测试");
  }
}

/* Small files: three street names at a time.  The names are Hà Nội's,
 * from the shared OSM extract (nothing the detector was tuned on),
 * written in TCVN3 and VISCII by iconv and in VPS by the inverse of our
 * table; each sample must be read as what it is nearly always (measured:
 * 397, 392 and 388 of 398). */
static void
test_detect_small (void)
{
  g_autofree char *path = ngam_test_shared_path ("osm/hanoi_center_roads.gpkg");
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(NgamDecoder) vps = ngam_decoder_new ("VPS", NULL);
  g_autoptr(GHashTable) vps_byte = g_hash_table_new (NULL, NULL);
  static const char *encodings[] = { "TCVN3", "VISCII", "VPS" };
  GDALDatasetH ds;
  OGRLayerH layer;
  OGRFeatureH f;

  ngam_core_init ();
  ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  g_assert_nonnull (ds);
  layer = GDALDatasetGetLayer (ds, 0);
  while (names->len < 400 && (f = OGR_L_GetNextFeature (layer)) != NULL)
    {
      int i = OGR_F_GetFieldIndex (f, "name");
      const char *n = i >= 0 && OGR_F_IsFieldSetAndNotNull (f, i) ? OGR_F_GetFieldAsString (f, i) : NULL;

      if (n && !g_hash_table_contains (seen, n))
        {
          char *nfc = g_utf8_normalize (n, -1, G_NORMALIZE_NFC);

          g_ptr_array_add (names, nfc);
          g_hash_table_add (seen, nfc);
        }
      OGR_F_Destroy (f);
    }
  GDALClose (ds);
  g_assert_cmpuint (names->len, ==, 400);
  for (int b = 1; b < 256; b++)
    {
      char byte = (char) b;
      g_autofree char *c = ngam_decoder_decode (vps, &byte, 1);

      if (*c && g_utf8_strlen (c, -1) == 1)
        g_hash_table_insert (vps_byte, GUINT_TO_POINTER (g_utf8_get_char (c)), GINT_TO_POINTER (b));
    }
  for (guint e = 0; e < G_N_ELEMENTS (encodings); e++)
    {
      g_autoptr(GPtrArray) bytes = g_ptr_array_new_with_free_func (g_free);
      guint right = 0, samples = 0;

      for (guint i = 0; i < names->len; i++)
        {
          const char *n = names->pdata[i];
          GString *b = g_string_new (NULL);

          if (strcmp (encodings[e], "VPS") == 0)
            for (const char *p = n; *p; p = g_utf8_next_char (p))
              {
                gunichar c = g_utf8_get_char (p);
                gpointer v = c < 0x80 ? GINT_TO_POINTER ((int) c) : g_hash_table_lookup (vps_byte, GUINT_TO_POINTER (c));

                g_string_append_c (b, (char) GPOINTER_TO_INT (v));
              }
          else
            {
              g_autofree char *conv = g_convert (n, -1, strcmp (encodings[e], "TCVN3") == 0 ? "TCVN5712-1" : "VISCII",
                                                 "UTF-8", NULL, NULL, NULL);

              g_assert_nonnull (conv);
              g_string_append (b, conv);
            }
          g_ptr_array_add (bytes, g_string_free (b, FALSE));
        }
      for (guint i = 0; i + 3 <= bytes->len; i++)
        {
          g_autoptr(NgamEncodingDetector) det = ngam_encoding_detector_new ();
          NgamEncodingGuess guess;

          for (guint k = i; k < i + 3; k++)
            ngam_encoding_detector_add (det, bytes->pdata[k], -1);
          ngam_encoding_detector_guess (det, NULL, NULL, &guess);
          right += strcmp (guess.name, encodings[e]) == 0 ? 1 : 0;
          samples++;
          ngam_encoding_guess_clear (&guess);
        }
      g_test_message ("%s: %u of %u samples of three names read right", encodings[e], right, samples);
      g_assert_cmpuint (right, >=, samples * 96 / 100);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/io/encoding/tcvn3", test_tcvn3);
  g_test_add_func ("/io/encoding/viscii", test_viscii);
  g_test_add_func ("/io/encoding/vps", test_vps);
  g_test_add_func ("/io/encoding/detect-small-samples", test_detect_small);
  g_test_add_func ("/io/encoding/vni", test_vni);
  g_test_add_func ("/io/encoding/cp1258", test_cp1258);
  g_test_add_func ("/io/encoding/utf8-ascii", test_utf8_and_ascii);
  g_test_add_func ("/io/encoding/western", test_western);
  g_test_add_func ("/io/encoding/names", test_names);
  return g_test_run ();
}
