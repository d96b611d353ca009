/* ngam-encoding.c — Vietnamese legacy text encodings: detection and decoding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Operators' .dbf files carry text in whatever their office used: UTF-8,
 * TCVN3 (ABC, the .VnTime fonts), VNI-Windows, VISCII, VPS, Windows-1258,
 * or Windows-1252 for Western names.  GDAL 3.6 cannot be trusted to decode
 * them (it never flushes iconv, so CP1258 and TCVN5712-1 lose the last
 * letter of every string), so the import reads raw bytes and decodes here.
 *
 * Single-byte code pages become a 256-entry table, built once from iconv
 * one byte at a time with a flush after each (g_convert_with_iconv does
 * it), then every string is a table lookup and, when it holds combining
 * marks (CP1258, TCVN5712-1), an NFC normalisation.  VPS is not in iconv
 * either: its table is below.  VNI is not in iconv:
 * it writes a Vietnamese vowel as a base letter followed by a mark byte
 * ("aù" = á, "oâ" = ô, "aé" = ắ), so it has its own table below.
 *
 * Detection reads the candidates' decodings of a sample as Vietnamese:
 * every word holding a non-ASCII letter must decompose into ASCII letters
 * or đ, with at most one tone mark (grave, acute, hook, tilde, dot below)
 * on a vowel, circumflex only on a/e/o, breve only on a, horn only on o/u,
 * and one case pattern (lower, UPPER or Capitalised).  A wrong decoding of
 * legacy bytes yields symbols (×, ¬, soft hyphens) or impossible letters
 * (ø, ð, capitals mid-word), so the right code page stands out clearly.
 * A wrong one can still make well-formed syllables of a few words (TCVN3
 * bytes read as VISCII), but seldom common ones: common syllables count
 * a point more.  Samples of 1 / 3 Hà Nội street names (400, from the
 * shared OSM extract, encoded by iconv): TCVN3 read right 390 / 397 of
 * 400 / 398 times (288 / 336 without the common syllables), VISCII 350 /
 * 392 (318 / 371), VPS 326 / 388.
 */
#define G_LOG_DOMAIN "ngam-io"

#include "config.h"

#include <string.h>

#include "ngam-encoding.h"

G_DEFINE_QUARK (ngam-encoding-error-quark, ngam_encoding_error)

typedef enum
{
  DECODER_UTF8,
  DECODER_TABLE,
  DECODER_VNI,
  DECODER_ICONV,
} DecoderKind;

struct _NgamDecoder
{
  DecoderKind     kind;
  char           *name;
  const gunichar *table;    /* 256 entries, TABLE and VNI */
  GIConv          iconv;    /* ICONV */
  GString        *buf;
};

/* ---- names ---------------------------------------------------------- */

static const struct
{
  const char *alias;
  const char *name;
} aliases[] = {
  { "UTF-8", "UTF-8" }, { "UTF8", "UTF-8" }, { "65001", "UTF-8" }, { "UNICODE", "UTF-8" },
  { "TCVN3", "TCVN3" }, { "TCVN", "TCVN3" }, { "ABC", "TCVN3" }, { "TCVN5712-1", "TCVN3" },
  { "TCVN-5712", "TCVN3" }, { "TCVN5712", "TCVN3" }, { "VNTIME", "TCVN3" },
  { "VNI", "VNI" }, { "VNI-WINDOWS", "VNI" }, { "VNI-WIN", "VNI" },
  { "VISCII", "VISCII" },
  { "VPS", "VPS" },
  { "CP1258", "CP1258" }, { "WINDOWS-1258", "CP1258" }, { "1258", "CP1258" }, { "ANSI 1258", "CP1258" },
  { "CP1252", "CP1252" }, { "WINDOWS-1252", "CP1252" }, { "1252", "CP1252" }, { "ANSI 1252", "CP1252" },
  { "LATIN1", "CP1252" }, { "ISO-8859-1", "CP1252" }, { "ISO8859-1", "CP1252" }, { "ISO88591", "CP1252" },
  { "8859-1", "CP1252" }, { "ANSI", "CP1252" },
  { "ASCII", "ASCII" }, { "US-ASCII", "ASCII" },
};

/**
 * ngam_encoding_canonical:
 * @name: an encoding name as people and .cpg files write it
 *
 * Returns: (transfer full): the canonical name ("TCVN3", "CP1250", …).
 */
char *
ngam_encoding_canonical (const char *name)
{
  g_autofree char *up = g_ascii_strup (name, -1);
  char *s = g_strstrip (up);

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_ascii_strcasecmp (s, aliases[i].alias) == 0)
      return g_strdup (aliases[i].name);
  /* .cpg files say "ANSI 1250", "1251", "88591", "CP936"… */
  if (g_str_has_prefix (s, "ANSI "))
    s += 5;
  if (g_ascii_isdigit (s[0]))
    {
      guint64 cp = g_ascii_strtoull (s, NULL, 10);

      if (cp >= 1250 && cp <= 1258)
        return g_strdup_printf ("CP%" G_GUINT64_FORMAT, cp);
      if (cp >= 88591 && cp <= 885916)
        return g_strdup_printf ("ISO-8859-%" G_GUINT64_FORMAT, cp - 88590);
      return g_strdup_printf ("CP%" G_GUINT64_FORMAT, cp);
    }
  if (g_str_has_prefix (s, "WINDOWS-"))
    return g_strdup_printf ("CP%s", s + 8);
  return g_strdup (s);
}

/**
 * ngam_encoding_from_cpg:
 * @cpg_text: the content of a .cpg file
 *
 * Returns: (transfer full) (nullable): the canonical encoding, or %NULL
 *   when the text is not a code page name (an HTML page, binary junk).
 */
char *
ngam_encoding_from_cpg (const char *cpg_text)
{
  g_autofree char *line = NULL;
  const char *end;

  if (cpg_text == NULL)
    return NULL;
  end = strpbrk (cpg_text, "\r\n");
  line = end ? g_strndup (cpg_text, end - cpg_text) : g_strdup (cpg_text);
  g_strstrip (line);
  if (*line == '\0' || strlen (line) > 32)
    return NULL;
  for (const char *p = line; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != ' ' && *p != '.')
      return NULL;
  return ngam_encoding_canonical (line);
}

/**
 * ngam_encoding_from_ldid:
 * @ldid: byte 29 of a dBASE header, the "language driver id"
 *
 * Returns: (nullable): the code page it names, or %NULL (0, or unknown).
 */
const char *
ngam_encoding_from_ldid (guint8 ldid)
{
  /* From the dBASE / ArcGIS language driver table. */
  switch (ldid)
    {
    case 0x01: return "CP437";
    case 0x02: return "CP850";
    case 0x03: case 0x57: case 0x58: case 0x59: return "CP1252";
    case 0x64: return "CP852";
    case 0x65: case 0x26: return "CP866";
    case 0x4d: case 0x7a: return "CP936";
    case 0x4e: case 0x79: return "CP949";
    case 0x4f: case 0x78: return "CP950";
    case 0x13: case 0x7b: return "CP932";
    case 0x7c: return "CP874";
    case 0xc8: return "CP1250";
    case 0xc9: return "CP1251";
    case 0xca: return "CP1254";
    case 0xcb: return "CP1253";
    case 0x7d: return "CP1255";
    case 0x7e: return "CP1256";
    default: return NULL;
    }
}

/* ---- tables --------------------------------------------------------- */

static GMutex tables_lock;
static GHashTable *tables;   /* iconv name → gunichar[256], or NULL if multibyte */

static const char *
iconv_name (const char *canonical)
{
  if (strcmp (canonical, "TCVN3") == 0)
    return "TCVN5712-1";
  if (strcmp (canonical, "ASCII") == 0)
    return "CP1252";
  return canonical;
}

/* Builds a byte → character table from iconv; %NULL when the charset is
 * not single-byte (a lone high byte is an incomplete sequence). */
static gunichar *
build_table (const char  *charset,
             gboolean    *known)
{
  GIConv cd = g_iconv_open ("UTF-8", charset);
  gunichar *table;
  int partial = 0;

  *known = cd != (GIConv) -1;
  if (!*known)
    return NULL;
  table = g_new0 (gunichar, 256);
  for (int b = 0; b < 256; b++)
    {
      char in = (char) b;
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      gsize n_out = 0;

      g_iconv (cd, NULL, NULL, NULL, NULL);
      out = g_convert_with_iconv (&in, 1, cd, NULL, &n_out, &error);
      if (out == NULL || n_out == 0)
        {
          if (error && g_error_matches (error, G_CONVERT_ERROR, G_CONVERT_ERROR_PARTIAL_INPUT) && b >= 0x80)
            partial++;
          table[b] = b < 0x80 ? (gunichar) b : 0xfffd;
          continue;
        }
      table[b] = g_utf8_get_char (out);
    }
  g_iconv_close (cd);
  if (partial > 8)
    {
      g_free (table);
      return NULL;
    }
  return table;
}

/* VPS, the code page of the VPS Vietnamese keyboard driver: not in iconv.
 * Byte → character as GNU recode 3.6 lists it (`recode -lf VPS`); the nine
 * bytes it leaves undefined read as U+FFFD.  Checked in test-encoding.c
 * against the 63 provinces' names, VPS bytes beside Unicode, from
 * ../shared/data/encodings. */
static const gunichar vps_table[256] = {
  0x0000, 0x0001, 0x1ea0, 0x1eac, 0x1eb6, 0x1eb8, 0x1ec6, 0x0007,   /* 0x00 */
  0x0008, 0x0009, 0x000a, 0x000b, 0x000c, 0x000d, 0x000e, 0x000f,   /* 0x08 */
  0x1eca, 0x1ecc, 0x1ed8, 0x1ee2, 0x1ee4, 0x1ef0, 0x0016, 0x0017,   /* 0x10 */
  0x0018, 0x1ef4, 0x001a, 0x001b, 0x1eaa, 0x1eee, 0x001e, 0x001f,   /* 0x18 */
  0x0020, 0x0021, 0x0022, 0x0023, 0x0024, 0x0025, 0x0026, 0x0027,   /* 0x20 */
  0x0028, 0x0029, 0x002a, 0x002b, 0x002c, 0x002d, 0x002e, 0x002f,   /* 0x28 */
  0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,   /* 0x30 */
  0x0038, 0x0039, 0x003a, 0x003b, 0x003c, 0x003d, 0x003e, 0x003f,   /* 0x38 */
  0x0040, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047,   /* 0x40 */
  0x0048, 0x0049, 0x004a, 0x004b, 0x004c, 0x004d, 0x004e, 0x004f,   /* 0x48 */
  0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057,   /* 0x50 */
  0x0058, 0x0059, 0x005a, 0x005b, 0x005c, 0x005d, 0x005e, 0x005f,   /* 0x58 */
  0x0060, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067,   /* 0x60 */
  0x0068, 0x0069, 0x006a, 0x006b, 0x006c, 0x006d, 0x006e, 0x006f,   /* 0x68 */
  0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077,   /* 0x70 */
  0x0078, 0x0079, 0x007a, 0x007b, 0x007c, 0x007d, 0x007e, 0x007f,   /* 0x78 */
  0x00c0, 0x1ea2, 0x00c3, 0x1ea4, 0x1ea6, 0x1ea8, 0x1ecd, 0x1ed7,   /* 0x80 */
  0x0102, 0x1ebf, 0x1ec1, 0x1ec3, 0x1ec7, 0x1eae, 0x1eb0, 0x1eb2,   /* 0x88 */
  0x1ebe, 0xfffd, 0xfffd, 0x1ec0, 0x1ec2, 0x1ec4, 0x1ed0, 0x1ed2,   /* 0x90 */
  0x1ed4, 0xfffd, 0x00fd, 0x1ef7, 0x1ef5, 0x1eda, 0x1edc, 0x1ede,   /* 0x98 */
  0xfffd, 0x1eaf, 0x1eb1, 0x1eb3, 0x1eb5, 0x1eb7, 0x1ee0, 0x1edb,   /* 0xa0 */
  0x00d9, 0x1edd, 0x1edf, 0x1ee1, 0x0168, 0x1ee8, 0x1ee3, 0x1eea,   /* 0xa8 */
  0x1ed5, 0x1eec, 0x1ef2, 0x1ef8, 0x00cd, 0x00cc, 0x1ed9, 0x1ec8,   /* 0xb0 */
  0x0128, 0x00d3, 0x1eed, 0x1eef, 0x00d2, 0x1ece, 0x00d5, 0x1ef1,   /* 0xb8 */
  0x1ea7, 0x00c1, 0x00c2, 0x1ea5, 0x1ea9, 0x1eab, 0x1ead, 0x0111,   /* 0xc0 */
  0x1ebb, 0x00c9, 0x00ca, 0x1eb9, 0x1ec9, 0x1ec5, 0x1ecb, 0x1ef9,   /* 0xc8 */
  0x01af, 0x1ee6, 0x1ed3, 0x1ed1, 0x00d4, 0x1ecf, 0x01a1, 0x00c8,   /* 0xd0 */
  0x1eeb, 0x1ee9, 0x00da, 0x0169, 0x01b0, 0x00dd, 0x1eba, 0xfffd,   /* 0xd8 */
  0x00e0, 0x00e1, 0x00e2, 0x00e3, 0x1ea3, 0x1ea1, 0x0103, 0xfffd,   /* 0xe0 */
  0x00e8, 0x00e9, 0x00ea, 0x1ebd, 0x00ec, 0x00ed, 0xfffd, 0x0129,   /* 0xe8 */
  0x1eb4, 0x0110, 0x00f2, 0x00f3, 0x00f4, 0x00f5, 0xfffd, 0x01a0,   /* 0xf0 */
  0x1ee5, 0x00f9, 0x00fa, 0x1ee7, 0xfffd, 0x1ef6, 0x1ebc, 0x1ef3,   /* 0xf8 */
};

static const gunichar *
get_table (const char *charset,
           gboolean   *known)
{
  gpointer value = NULL;
  const gunichar *table;

  if (strcmp (charset, "VPS") == 0)
    {
      *known = TRUE;
      return vps_table;
    }

  g_mutex_lock (&tables_lock);
  if (tables == NULL)
    tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (g_hash_table_lookup_extended (tables, charset, NULL, &value))
    {
      g_mutex_unlock (&tables_lock);
      *known = TRUE;
      return value;
    }
  table = build_table (charset, known);
  if (*known)
    g_hash_table_insert (tables, g_strdup (charset), (gpointer) table);
  g_mutex_unlock (&tables_lock);
  return table;
}

/* VNI-Windows.  Tone marks follow the vowel as one byte; for â/ê/ô and ă
 * one byte carries both the vowel mark and the tone.  Lower-case mark bytes
 * are listed; the upper-case ones are 0x20 lower (as in Windows-1252). */
enum { T_NONE, T_ACUTE, T_GRAVE, T_HOOK, T_TILDE, T_DOT, N_TONES };

static const gunichar tone_marks[N_TONES] = { 0, 0x0301, 0x0300, 0x0309, 0x0303, 0x0323 };
static const guint8 vni_plain[N_TONES] = { 0, 0xf9, 0xf8, 0xfb, 0xf5, 0xef };
static const guint8 vni_circumflex[N_TONES] = { 0xe2, 0xe1, 0xe0, 0xe5, 0xe3, 0xe4 };
static const guint8 vni_breve[N_TONES] = { 0xea, 0xe9, 0xe8, 0xfa, 0xfc, 0xeb };

/* Letters VNI writes as one byte (lower case; upper case is 0x20 lower). */
static const struct { guint8 byte; gunichar ch; } vni_single[] = {
  { 0xf1, 0x0111 },  /* đ */
  { 0xed, 0x00ed }, { 0xec, 0x00ec }, { 0xe6, 0x1ec9 }, { 0xf3, 0x0129 }, { 0xf2, 0x1ecb }, /* í ì ỉ ĩ ị */
  { 0xee, 0x1ef5 },  /* ỵ */
  { 0xf4, 0x01a1 },  /* ơ */
  { 0xf6, 0x01b0 },  /* ư */
};

typedef struct
{
  gunichar single[256];       /* what each byte is on its own */
  gunichar pair[256][256];    /* base byte, mark byte → letter, or 0 */
} VniTable;

static VniTable *vni_table;

/* The precomposed letter for base + marks, whatever order the marks'
 * combining classes want (ộ is ọ + circumflex, not ô + dot below). */
static gunichar
compose (gunichar base, gunichar mark1, gunichar mark2)
{
  char buf[3 * 6 + 1] = { 0 };
  int n = g_unichar_to_utf8 (base, buf);
  g_autofree char *nfc = NULL;

  if (mark1)
    n += g_unichar_to_utf8 (mark1, buf + n);
  if (mark2)
    n += g_unichar_to_utf8 (mark2, buf + n);
  nfc = g_utf8_normalize (buf, n, G_NORMALIZE_NFC);
  return nfc ? g_utf8_get_char (nfc) : base;
}

static void
vni_set (VniTable *t, guint8 base, guint8 mark, gunichar ch)
{
  /* Either case of mark byte after either case of base: fonts draw both,
   * so files hold both; the letter's case follows the base. */
  t->pair[base][mark] = ch;
  t->pair[base][mark - 0x20] = ch;
}

static const VniTable *
get_vni_table (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      gboolean known;
      const gunichar *cp1252 = get_table ("CP1252", &known);
      VniTable *t = g_new0 (VniTable, 1);
      /* base byte (lower), its letter, which mark sets it takes */
      static const struct { guint8 byte; gunichar ch; gboolean circ, breve; } bases[] = {
        { 'a', 'a', TRUE, TRUE }, { 'e', 'e', TRUE, FALSE }, { 'o', 'o', TRUE, FALSE },
        { 'u', 'u', FALSE, FALSE }, { 'y', 'y', FALSE, FALSE },
        { 0xf4, 0x01a1, FALSE, FALSE }, { 0xf6, 0x01b0, FALSE, FALSE },
      };

      for (int b = 0; b < 256; b++)
        t->single[b] = cp1252 ? cp1252[b] : (gunichar) b;
      for (guint i = 0; i < G_N_ELEMENTS (vni_single); i++)
        {
          t->single[vni_single[i].byte] = vni_single[i].ch;
          t->single[vni_single[i].byte - 0x20] = g_unichar_toupper (vni_single[i].ch);
        }
      for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
        for (int upper = 0; upper < 2; upper++)
          {
            guint8 byte = upper ? bases[i].byte - 0x20 : bases[i].byte;
            gunichar base = upper ? g_unichar_toupper (bases[i].ch) : bases[i].ch;

            for (int tone = 0; tone < N_TONES; tone++)
              {
                if (tone != T_NONE)
                  vni_set (t, byte, vni_plain[tone], compose (base, tone_marks[tone], 0));
                if (bases[i].circ)
                  vni_set (t, byte, vni_circumflex[tone], compose (base, 0x0302, tone_marks[tone]));
                if (bases[i].breve)
                  vni_set (t, byte, vni_breve[tone], compose (base, 0x0306, tone_marks[tone]));
              }
          }
      vni_table = t;
      g_once_init_leave (&done, 1);
    }
  return vni_table;
}

/* ---- decoders ------------------------------------------------------- */

/**
 * ngam_decoder_new:
 * @encoding: any name ngam_encoding_canonical() understands, or an iconv name
 *
 * Returns: (transfer full): a decoder, or %NULL with @error set when
 *   neither this module nor iconv knows the encoding.
 */
NgamDecoder *
ngam_decoder_new (const char  *encoding,
                  GError     **error)
{
  g_autofree char *name = ngam_encoding_canonical (encoding);
  NgamDecoder *d;
  gboolean known = FALSE;
  const gunichar *table = NULL;

  d = g_new0 (NgamDecoder, 1);
  d->buf = g_string_sized_new (64);
  d->iconv = (GIConv) -1;
  if (strcmp (name, "UTF-8") == 0)
    d->kind = DECODER_UTF8;
  else if (strcmp (name, "VNI") == 0)
    {
      d->kind = DECODER_VNI;
      get_vni_table ();
    }
  else if ((table = get_table (iconv_name (name), &known)) != NULL)
    {
      d->kind = DECODER_TABLE;
      d->table = table;
    }
  else if (known)
    {
      d->kind = DECODER_ICONV;
      d->iconv = g_iconv_open ("UTF-8", iconv_name (name));
    }
  else
    {
      g_set_error (error, NGAM_ENCODING_ERROR, NGAM_ENCODING_ERROR_UNKNOWN,
                   "unknown text encoding “%s” (Ngầm reads UTF-8, TCVN3, VNI, VISCII, VPS, CP1258, "
                   "CP1252 and any code page iconv knows)", encoding);
      ngam_decoder_free (d);
      return NULL;
    }
  d->name = g_steal_pointer (&name);
  return d;
}

void
ngam_decoder_free (NgamDecoder *d)
{
  if (d == NULL)
    return;
  if (d->iconv != (GIConv) -1)
    g_iconv_close (d->iconv);
  g_string_free (d->buf, TRUE);
  g_free (d->name);
  g_free (d);
}

const char *
ngam_decoder_get_name (const NgamDecoder *d)
{
  return d->name;
}

/* dBASE pads text with spaces (and some writers with NULs). */
static gsize
trimmed_length (const char *bytes, gsize len)
{
  while (len > 0 && (bytes[len - 1] == ' ' || bytes[len - 1] == '\0'))
    len--;
  return len;
}

static char *
finish_utf8 (GString *buf, gboolean ascii)
{
  char *nfc;

  if (ascii)
    return g_strndup (buf->str, buf->len);
  nfc = g_utf8_normalize (buf->str, buf->len, G_NORMALIZE_NFC);
  return nfc ? nfc : g_strndup (buf->str, buf->len);
}

/**
 * ngam_decoder_decode:
 * @bytes: raw text; @len: its length, or -1 when NUL-terminated
 *
 * Decodes, drops trailing padding and normalises to NFC.  Never fails: a
 * byte the encoding does not define becomes U+FFFD.
 *
 * Returns: (transfer full): UTF-8 text.
 */
char *
ngam_decoder_decode (NgamDecoder *d,
                     const char  *bytes,
                     gssize       len)
{
  gsize n = len < 0 ? strlen (bytes) : (gsize) len;
  gboolean ascii = TRUE;
  GString *buf = d->buf;

  n = trimmed_length (bytes, n);
  /* control bytes too go through the table: VPS and TCVN3 put capital
   * letters there (VPS 0x02 is Ạ) */
  for (gsize i = 0; i < n; i++)
    if ((guint8) bytes[i] >= 0x80 || (guint8) bytes[i] < 0x20)
      {
        ascii = FALSE;
        break;
      }
  if (ascii)
    return g_strndup (bytes, n);

  g_string_truncate (buf, 0);
  switch (d->kind)
    {
    case DECODER_UTF8:
      if (g_utf8_validate_len (bytes, n, NULL))
        g_string_append_len (buf, bytes, n);
      else
        {
          g_autofree char *valid = g_utf8_make_valid (bytes, n);

          g_string_append (buf, valid);
        }
      break;
    case DECODER_TABLE:
      for (gsize i = 0; i < n; i++)
        if (bytes[i] != '\0')
          g_string_append_unichar (buf, d->table[(guint8) bytes[i]]);
      break;
    case DECODER_VNI:
      {
        const VniTable *t = get_vni_table ();

        for (gsize i = 0; i < n; i++)
          {
            guint8 b = bytes[i];
            gunichar c = 0;

            if (b == 0)
              continue;
            if (i + 1 < n && (c = t->pair[b][(guint8) bytes[i + 1]]) != 0)
              i++;
            else
              c = t->single[b];
            g_string_append_unichar (buf, c);
          }
        break;
      }
    case DECODER_ICONV:
    default:
      {
        g_autofree char *out = NULL;
        gsize n_out = 0;

        g_iconv (d->iconv, NULL, NULL, NULL, NULL);
        out = g_convert_with_iconv (bytes, n, d->iconv, NULL, &n_out, NULL);
        if (out)
          g_string_append_len (buf, out, n_out);
        else
          {
            /* An undefined sequence: keep what can be read of it. */
            g_autofree char *valid = g_utf8_make_valid (bytes, n);

            g_string_append (buf, valid);
          }
        break;
      }
    }
  return finish_utf8 (buf, FALSE);
}

/**
 * ngam_decoder_decode_append:
 * @out: receives the text (no NUL is added within it)
 *
 * As ngam_decoder_decode(), appending to @out: plain ASCII, most of what
 * an import reads, is copied without an allocation.
 */
void
ngam_decoder_decode_append (NgamDecoder *d,
                            const char  *bytes,
                            gssize       len,
                            GString     *out)
{
  gsize n = trimmed_length (bytes, len < 0 ? strlen (bytes) : (gsize) len);
  g_autofree char *text = NULL;

  for (gsize i = 0; i < n; i++)
    if ((guint8) bytes[i] >= 0x80 || (guint8) bytes[i] < 0x20)
      {
        text = ngam_decoder_decode (d, bytes, n);
        g_string_append (out, text);
        return;
      }
  g_string_append_len (out, bytes, n);
}

/* ---- reading text as Vietnamese -------------------------------------- */

typedef struct
{
  double score;
  guint  n_words;     /* words with a non-ASCII letter, plus stray symbols */
  guint  n_valid;
} TextScore;

static gboolean
is_tone (gunichar m)
{
  return m == 0x0300 || m == 0x0301 || m == 0x0303 || m == 0x0309 || m == 0x0323;
}

static gboolean
is_vowel (gunichar b)
{
  b = g_unichar_tolower (b);
  return b == 'a' || b == 'e' || b == 'i' || b == 'o' || b == 'u' || b == 'y';
}

/* Initial consonants and finals of a Vietnamese syllable (base letters,
 * lower case, đ as 'D'), longest first. */
static const char *initials[] = { "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
                                  "b", "c", "d", "D", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", NULL };
static const char *finals[] = { "ng", "nh", "ch", "c", "m", "n", "p", "t", NULL };

static gboolean
vietnamese_syllable (const gunichar *w, guint n)
{
  char base[64];
  guint len = 0, i = 0, vowels = 0;

  for (guint k = 0; k < n && len < sizeof base - 1; k++)
    {
      gunichar dec[8];
      gsize nd = g_unichar_fully_decompose (w[k], FALSE, dec, G_N_ELEMENTS (dec));
      gunichar b = nd ? g_unichar_tolower (dec[0]) : 0;

      if (g_unichar_ismark (w[k]))
        continue;
      base[len++] = b == 0x0111 ? 'D' : (char) b;
    }
  base[len] = '\0';
  for (guint k = 0; initials[k]; k++)
    if (strncmp (base, initials[k], strlen (initials[k])) == 0 &&
        base[strlen (initials[k])] != '\0')
      {
        i = strlen (initials[k]);
        /* "gi" and "qu" start a syllable only before another vowel */
        break;
      }
  while (i < len && strchr ("aeiouy", base[i]))
    {
      i++;
      vowels++;
    }
  if (vowels == 0 || vowels > 3)
    return FALSE;
  if (i == len)
    return TRUE;
  for (guint k = 0; finals[k]; k++)
    if (strcmp (base + i, finals[k]) == 0)
      return TRUE;
  return FALSE;
}

/* Common Vietnamese syllables (lower case, NFC): of everyday text, of
 * place and street names, of what telecom and power files say.  A wrong
 * code page can still yield well-formed syllables from another one's
 * bytes (TCVN3 read as VISCII: "Bắc" comes out as another valid syllable),
 * but rarely common ones: a word among these counts one point more. */
static const char *const common_syllables[] = {
  "a", "à", "á", "ả", "ã", "ạ", "ai", "ái", "an", "ấn", "anh", "ánh", "ao", "áo",
  "ấp", "âm", "ân", "âu", "ấy", "ba", "bà", "bá", "bác", "bạc", "bách", "bài", "ban",
  "bán", "bản", "bạn", "bàng", "bảng", "bao", "báo", "bảo", "bắc", "bằng", "bắt",
  "bậc", "bây", "bé", "bên", "bến", "bệnh", "bị", "biên", "biển", "biết", "biệt",
  "bình", "bịt", "bỏ", "bộ", "bốn", "bồi", "bông", "bờ", "bởi", "bùi", "buôn",
  "bưu", "cà", "các", "cách", "cái", "cam", "cảm", "cán", "cảng", "cảnh", "cao",
  "cáp", "cát", "cầm", "cần", "cấp", "cầu", "câu", "cây", "có", "cò", "cọc", "con",
  "còn", "công", "cống", "cổ", "cơ", "cột", "của", "cũ", "cùng", "cụm", "cung",
  "cuối", "cư", "cửa", "cực", "cứu", "chạy", "chánh", "châu", "chất", "chi", "chí",
  "chỉ", "chia", "chiến", "chiều", "chính", "chỉnh", "chịu", "cho", "chợ", "chủ",
  "chúa", "chung", "chúng", "chương", "chuyên", "chuyển", "chữ", "chưa", "dài", "dân",
  "dẫn", "dây", "dịch", "diện", "dinh", "doanh", "dọc", "du", "dục", "dùng", "dũng",
  "dụng", "duy", "dương", "đà", "đã", "đại", "đàn", "đảm", "đàng", "đảo",
  "đạo", "đạt", "đắk", "đặc", "đặt", "đầm", "đầu", "đất", "đậu",
  "đây", "đầy", "để", "đế", "đến", "đều", "đi", "địa", "điểm", "điện",
  "điều", "định", "đình", "đó", "đoàn", "đoạn", "đô", "độ", "đổi", "đội",
  "đối", "đông", "đồng", "đơn", "đời", "đức", "đưa", "được", "đường",
  "gia", "giá", "giai", "giám", "gian", "giang", "giao", "giáo", "giữa", "giới", "gò",
  "góc", "gồm", "gửi", "hà", "hạ", "hai", "hải", "hàn", "hàng", "hành", "hạnh",
  "hạt", "hậu", "hiện", "hiền", "hiệu", "hòa", "hóa", "hoài", "hoàn", "hoàng",
  "học", "hội", "hồ", "hộ", "hồng", "hơn", "hợp", "huế", "huệ", "hùng", "hưng",
  "hướng", "hữu", "huyện", "hương", "khác", "khai", "khánh", "khẩu", "khí", "khoa",
  "khoảng", "khu", "khuê", "khúc", "kiên", "kiến", "kiểm", "kiệt", "kim", "kinh",
  "kỳ", "kỹ", "ký", "là", "lạc", "lai", "lại", "làm", "lâm", "lân", "lăng", "lập",
  "lê", "lệ", "lên", "lịch", "liên", "lo", "lò", "loại", "long", "lộ", "lợi",
  "lớn", "lục", "lũ", "lụt", "lực", "lưới", "lượng", "lý", "mã", "mai", "mạng",
  "mạnh", "máy", "mặt", "mẫu", "mới", "minh", "mô", "mộc", "môi", "một", "mỹ",
  "mường", "na", "nam", "năm", "nẵng", "năng", "nằm", "nâng", "ngã", "ngang", "ngành",
  "ngày", "ngầm", "ngoài", "ngọc", "ngô", "ngõ", "ngũ", "nguyễn", "nguồn", "người",
  "nhà", "nhánh", "nhân", "nhất", "nhật", "nhiều", "nhiệm", "nhỏ", "như", "nhựa",
  "ninh", "nó", "nội", "nông", "nơi", "núi", "nữ", "nước", "nghệ", "nghĩa", "ngự",
  "ô", "ông", "ở", "phạm", "phan", "pháp", "phát", "phân", "phần", "phía", "phong",
  "phòng", "phố", "phổ", "phú", "phúc", "phù", "phủ", "phước", "phương", "qua",
  "quá", "quan", "quản", "quang", "quảng", "quân", "quận", "quế", "quốc", "quy",
  "quyết", "rạch", "rất", "riêng", "rộng", "sa", "sài", "sản", "sáng", "sao", "sắt",
  "sân", "sẽ", "sét", "sóc", "số", "sông", "sở", "sơn", "sửa", "sự", "sử",
  "suối", "tả", "tại", "tam", "tân", "tập", "tất", "tây", "tên", "thạch", "thái",
  "thắng", "thanh", "thành", "thảo", "thế", "thể", "thêm", "theo", "thì", "thị",
  "thiên", "thiết", "thiện", "thọ", "thoại", "thôn", "thông", "thời", "thu",
  "thuận", "thuộc", "thủy", "thứ", "thương", "thường", "thượng", "tiến",
  "tiền", "tiên", "tiếp", "tiêu", "tin", "tính", "tỉnh", "tình", "toàn", "tòa",
  "tốc", "tối", "tổ", "tổng", "trà", "trạm", "trang", "tráng", "trái", "trăm",
  "trần", "trên", "triển", "triệu", "trình", "trong", "trọng", "trở", "trung", "trúc",
  "trụ", "trước", "trường", "trưởng", "tú", "tuyến", "tuyên", "từ", "tư", "tự",
  "tương", "tường", "uỷ", "ủy", "văn", "vân", "vàng", "vào", "vật", "về", "vệ",
  "vi", "việc", "viên", "viễn", "việt", "vinh", "vĩnh", "vũ", "vùng", "vực", "vụ",
  "vườn", "xã", "xanh", "xây", "xe", "xóm", "xuân", "xuất", "xứ", "yên", "ý",
};

static gboolean
common_syllable (const gunichar *w, guint n)
{
  static GHashTable *set;
  g_autofree char *utf8 = NULL, *lower = NULL;

  if (g_once_init_enter (&set))
    {
      GHashTable *s = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < G_N_ELEMENTS (common_syllables); i++)
        g_hash_table_add (s, (gpointer) common_syllables[i]);
      g_once_init_leave (&set, s);
    }
  utf8 = g_ucs4_to_utf8 (w, n, NULL, NULL, NULL);
  if (utf8 == NULL)
    return FALSE;
  lower = g_utf8_strdown (utf8, -1);
  return g_hash_table_contains (set, lower);
}

/* Western European words (Windows-1252 letters: é, ü, ß, ø…) are fine
 * names too, only less telling than Vietnamese ones. */
static gboolean
western_word (const gunichar *w, guint n)
{
  for (guint k = 0; k < n; k++)
    if (!(w[k] < 0x80 || (w[k] >= 0xc0 && w[k] <= 0xff && w[k] != 0xd7 && w[k] != 0xf7)))
      return FALSE;
  return TRUE;
}

/* Scores one word (NFC, letters and marks only) that holds a non-ASCII
 * character: +2 a Vietnamese syllable with a letter or tone only
 * Vietnamese has, +1 another acceptable one, −2 impossible. */
static int
score_word (const gunichar *w, guint n, gboolean *valid)
{
  guint tones = 0, uppers = 0, letters = 0;
  gboolean specific = FALSE, first_upper = FALSE;

  *valid = FALSE;
  for (guint i = 0; i < n; i++)
    {
      gunichar dec[8];
      gsize nd = g_unichar_fully_decompose (w[i], FALSE, dec, G_N_ELEMENTS (dec));
      gunichar base = dec[0];
      gunichar lower = g_unichar_tolower (base);

      if (nd == 0 || g_unichar_ismark (base))
        return -2;   /* a mark with no letter under it */
      if (!(lower < 0x80 && g_ascii_isalpha (lower)) && lower != 0x0111)
        return -2;
      if (lower == 0x0111)
        specific = TRUE;
      letters++;
      if (g_unichar_isupper (w[i]))
        {
          uppers++;
          if (i == 0)
            first_upper = TRUE;
        }
      for (gsize k = 1; k < nd; k++)
        {
          gunichar m = dec[k];

          if (is_tone (m))
            {
              if (!is_vowel (lower))
                return -2;
              tones++;
              if (m == 0x0309 || m == 0x0323 || (m == 0x0303 && lower != 'a' && lower != 'o' && lower != 'n'))
                specific = TRUE;
            }
          else if (m == 0x0302)
            {
              if (lower != 'a' && lower != 'e' && lower != 'o')
                return -2;
              if (nd > 2)
                specific = TRUE;
            }
          else if (m == 0x0306)
            {
              if (lower != 'a')
                return -2;
              specific = TRUE;
            }
          else if (m == 0x031b)
            {
              if (lower != 'o' && lower != 'u')
                return -2;
              specific = TRUE;
            }
          else
            return -2;   /* diaeresis, ring, cedilla, caron: not Vietnamese */
        }
    }
  if (tones > 1)
    return -2;
  if (uppers > 0 && uppers != letters && !(uppers == 1 && first_upper))
    return -2;
  if (!vietnamese_syllable (w, n))
    return -2;
  *valid = TRUE;
  return (specific ? 2 : 1) + (common_syllable (w, n) ? 1 : 0);
}

static TextScore
score_text (const char *utf8)
{
  TextScore s = { 0, 0, 0 };
  gunichar word[64];
  guint n = 0;
  gboolean non_ascii = FALSE;
  const char *p = utf8;

  for (;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean in_word = c != 0 && (g_unichar_isalpha (c) || g_unichar_ismark (c));

      if (in_word)
        {
          if (n < G_N_ELEMENTS (word))
            word[n++] = c;
          if (c >= 0x80)
            non_ascii = TRUE;
          continue;
        }
      if (n > 0 && non_ascii)
        {
          gboolean valid;

          int ws = score_word (word, n, &valid);

          if (ws < 0 && western_word (word, n))
            {
              ws = 0;
              s.score += 0.5;
              valid = TRUE;
            }
          s.score += ws;
          s.n_words++;
          s.n_valid += valid ? 1 : 0;
        }
      n = 0;
      non_ascii = FALSE;
      if (c == 0)
        break;
      /* A non-ASCII character outside words: a symbol, a soft hyphen, a
       * control character, U+FFFD.  Real names hardly have any; wrong
       * decodings are full of them.  Typographic punctuation is fine. */
      if (c >= 0x80 && !g_unichar_isdigit (c) && !g_unichar_isspace (c) &&
          c != 0x2013 && c != 0x2014 && c != 0x2018 && c != 0x2019 &&
          c != 0x201c && c != 0x201d && c != 0x00b0 && c != 0x2026)
        {
          s.score -= 3;
          s.n_words++;
        }
    }
  return s;
}

/**
 * ngam_encoding_score_text:
 * @utf8: decoded text
 * @n_words: (out) (optional): words with non-ASCII letters, and stray symbols
 *
 * Returns: how well the text reads as Vietnamese (or plain Western) text;
 *   higher is better, negative means mostly impossible letters or symbols.
 */
double
ngam_encoding_score_text (const char *utf8,
                          guint      *n_words)
{
  TextScore s = score_text (utf8);

  if (n_words)
    *n_words = s.n_words;
  return s.score;
}

/* ---- detection ------------------------------------------------------ */

#define SAMPLE_MAX (256 * 1024)

struct _NgamEncodingDetector
{
  GString *sample;    /* non-ASCII strings only, newline-separated */
  guint    n_strings;
};

NgamEncodingDetector *
ngam_encoding_detector_new (void)
{
  NgamEncodingDetector *d = g_new0 (NgamEncodingDetector, 1);

  d->sample = g_string_new (NULL);
  return d;
}

void
ngam_encoding_detector_free (NgamEncodingDetector *d)
{
  if (d == NULL)
    return;
  g_string_free (d->sample, TRUE);
  g_free (d);
}

void
ngam_encoding_detector_add (NgamEncodingDetector *d,
                            const char           *bytes,
                            gssize                len)
{
  gsize n = len < 0 ? strlen (bytes) : (gsize) len;
  gboolean ascii = TRUE;

  d->n_strings++;
  if (d->sample->len >= SAMPLE_MAX)
    return;
  n = trimmed_length (bytes, n);
  for (gsize i = 0; i < n; i++)
    if ((guint8) bytes[i] >= 0x80)
      {
        ascii = FALSE;
        break;
      }
  if (ascii)
    return;
  for (gsize i = 0; i < n; i++)
    if (bytes[i] != '\0' && bytes[i] != '\n')
      g_string_append_c (d->sample, bytes[i]);
  g_string_append_c (d->sample, '\n');
}

gboolean
ngam_encoding_detector_is_ascii (NgamEncodingDetector *d)
{
  return d->sample->len == 0;
}

void
ngam_encoding_guess_clear (NgamEncodingGuess *g)
{
  g_clear_pointer (&g->name, g_free);
  g_clear_pointer (&g->reason, g_free);
  g->confidence = 0;
}

static TextScore
score_as (const char *encoding, const GString *sample)
{
  g_autoptr(NgamDecoder) d = ngam_decoder_new (encoding, NULL);
  TextScore s = { -G_MAXDOUBLE / 4, 0, 0 };
  g_autofree char *text = NULL;

  if (d == NULL)
    return s;
  if (d->kind == DECODER_ICONV)
    {
      /* A multi-byte code page that cannot read the sample is wrong. */
      gsize n_out;

      g_iconv (d->iconv, NULL, NULL, NULL, NULL);
      text = g_convert_with_iconv (sample->str, sample->len, d->iconv, NULL, &n_out, NULL);
      if (text == NULL)
        return s;
      g_free (text);
    }
  text = ngam_decoder_decode (d, sample->str, sample->len);
  return score_text (text);
}

static double
confidence_of (TextScore best, double second)
{
  double ratio, margin;

  if (best.n_words == 0)
    return 1.0;
  ratio = (double) best.n_valid / best.n_words;
  margin = CLAMP ((best.score - second) / best.n_words, 0.0, 1.0);
  return CLAMP (0.5 * ratio + 0.5 * margin, 0.0, 1.0);
}

/**
 * ngam_encoding_detector_guess:
 * @declared: (nullable): what the file says (.cpg, DBF language id)
 * @declared_by: (nullable): where it says it, for the reason (".cpg")
 * @guess: (out caller-allocates): the verdict; clear with
 *   ngam_encoding_guess_clear()
 *
 * Picks among UTF-8, TCVN3, VNI, VISCII, CP1258, CP1252 and VPS (and the
 * declared one): the declared encoding wins unless the text reads clearly
 * better in another.
 */
void
ngam_encoding_detector_guess (NgamEncodingDetector *d,
                              const char           *declared,
                              const char           *declared_by,
                              NgamEncodingGuess    *guess)
{
  /* in this order a tie goes to the commoner: VPS, one keyboard driver's
   * code page, last */
  static const char *candidates[] = { "CP1252", "TCVN3", "VNI", "VISCII", "CP1258", "VPS" };
  g_autofree char *decl = declared ? ngam_encoding_canonical (declared) : NULL;
  const char *best_name = NULL;
  TextScore best = { -G_MAXDOUBLE, 0, 0 }, decl_score = { -G_MAXDOUBLE, 0, 0 };
  double second = -G_MAXDOUBLE / 2;
  gboolean utf8_ok;

  memset (guess, 0, sizeof *guess);
  if (d->sample->len == 0)
    {
      guess->name = g_strdup (decl ? decl : "UTF-8");
      guess->confidence = 1.0;
      guess->reason = g_strdup ("the text is plain ASCII: every encoding reads it the same");
      return;
    }
  utf8_ok = g_utf8_validate_len (d->sample->str, d->sample->len, NULL);
  if (utf8_ok)
    {
      /* Legacy Vietnamese bytes practically never form valid multi-byte
       * UTF-8 sequences, so valid UTF-8 with non-ASCII text is UTF-8. */
      guess->name = g_strdup ("UTF-8");
      guess->confidence = decl == NULL || strcmp (decl, "UTF-8") == 0 ? 0.99 : 0.95;
      guess->reason = decl && strcmp (decl, "UTF-8") != 0
        ? g_strdup_printf ("%s says %s, but the text is valid UTF-8", declared_by ? declared_by : "the file", decl)
        : g_strdup ("the non-ASCII text is valid UTF-8");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      TextScore s = score_as (candidates[i], d->sample);

      if (s.score > best.score)
        {
          second = best.score;
          best = s;
          best_name = candidates[i];
        }
      else if (s.score > second)
        second = s.score;
    }
  if (decl && strcmp (decl, "UTF-8") != 0 && strcmp (decl, "ASCII") != 0)
    {
      decl_score = score_as (decl, d->sample);
      /* Keep the declared one unless another reads clearly better:
       * a tenth of the words' worth of score. */
      if (decl_score.score > -G_MAXDOUBLE / 8 &&
          decl_score.score >= best.score - 0.2 * MAX (best.n_words, 1))
        {
          guess->name = g_strdup (decl);
          guess->confidence = confidence_of (decl_score, strcmp (decl, best_name) == 0 ? second : MIN (second, best.score));
          guess->reason = g_strdup_printf ("%s says %s and the text reads well in it (%u of %u words)",
                                           declared_by ? declared_by : "the file", decl,
                                           decl_score.n_valid, decl_score.n_words);
          return;
        }
    }
  guess->name = g_strdup (best_name);
  guess->confidence = confidence_of (best, second);
  if (decl && strcmp (decl, "ASCII") != 0)
    guess->reason = g_strdup_printf ("%s says %s, but the text reads as %s (%u of %u words are well-formed)",
                                     declared_by ? declared_by : "the file", decl, best_name,
                                     best.n_valid, best.n_words);
  else
    guess->reason = g_strdup_printf ("detected from the text: %u of %u words read as well-formed in %s",
                                     best.n_valid, best.n_words, best_name);
}
