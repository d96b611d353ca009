/* test-parsers-fuzz.c — the parsers of untrusted input, fed damaged input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What operators send and what people type is read by a few parsers: the
 * legacy-encoding decoders and the encoding detector (every .dbf text and
 * field name), the import profiles (GKeyFile .ini), and the SteinLib STP
 * and PACE .gr readers.  Each gets a few thousand damaged inputs, the
 * same each run (fixed seeds), built from real ones: random bytes, bytes
 * changed, lines dropped, doubled or cut, numbers made huge or negative.
 * Each must give a clear answer or a clear error — never a crash, never a
 * read past its input (the suite runs this under ASan and UBSan too), and
 * never text that is not UTF-8.  A longer search by hand:
 * NGAM_FUZZ_ROUNDS=50000 NGAM_FUZZ_SEED=3 test-parsers-fuzz.
 * (Shapefiles have their own in test-import-shapefile.c.)
 */
#include "config.h"

#include <string.h>

#include "ngam-core.h"
#include "ngam-encoding.h"
#include "ngam-profile.h"
#include "ngam-steiner.h"
#include "ngam-test-util.h"

/* Bytes a Vietnamese .dbf holds: ASCII letters, and high bytes where the
 * legacy encodings put their letters. */
static guint8
some_byte (GRand *rand)
{
  switch (g_rand_int_range (rand, 0, 4))
    {
    case 0:
      return (guint8) g_rand_int_range (rand, 0, 256);
    case 1:
      return (guint8) g_rand_int_range (rand, 'a', 'z' + 1);
    case 2:
      return ' ';
    default:
      return (guint8) g_rand_int_range (rand, 0x80, 0x100);
    }
}

/* ---- encodings -------------------------------------------------------------- */

static void
test_encodings (void)
{
  static const char *names[] = { "UTF-8", "TCVN3", "VNI", "VISCII", "VPS", "CP1258", "CP1252", "ASCII" };
  g_autoptr(GRand) rand = ngam_test_fuzz_rand (1);
  NgamDecoder *decoders[G_N_ELEMENTS (names)];
  guint n = ngam_test_fuzz_rounds (3000);

  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_autoptr(GError) error = NULL;

      decoders[k] = ngam_decoder_new (names[k], &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NgamEncodingDetector) det = ngam_encoding_detector_new ();
      NgamEncodingGuess guess = { NULL, 0, NULL };
      guint samples = g_rand_int_range (rand, 0, 12);

      for (guint s = 0; s < samples; s++)
        {
          gsize len = g_rand_int_range (rand, 0, 48);
          g_autofree char *bytes = g_malloc (len + 1);

          for (gsize b = 0; b < len; b++)
            bytes[b] = (char) some_byte (rand);
          bytes[len] = '\0';
          ngam_encoding_detector_add (det, bytes, len);
          for (guint k = 0; k < G_N_ELEMENTS (names); k++)
            {
              /* exactly the bytes given: no NUL after them to lean on */
              g_autofree char *copy = g_memdup2 (bytes, len ? len : 1);
              g_autofree char *text = ngam_decoder_decode (decoders[k], copy, len);

              if (!g_utf8_validate (text, -1, NULL))
                g_error ("round %u: %s decoded %" G_GSIZE_FORMAT " bytes into text that is not UTF-8", i, names[k], len);
            }
        }
      ngam_encoding_detector_guess (det, g_rand_boolean (rand) ? names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))] : NULL,
                                    "the test", &guess);
      g_assert_nonnull (guess.name);
      g_assert_nonnull (guess.reason);
      g_assert_true (g_utf8_validate (guess.reason, -1, NULL));
      g_assert_cmpfloat (guess.confidence, >=, 0);
      g_assert_cmpfloat (guess.confidence, <=, 1);
      ngam_encoding_guess_clear (&guess);
    }
  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    ngam_decoder_free (decoders[k]);
}

/* ---- text damage ------------------------------------------------------------ */

/* @text, damaged at random in one of several ways. */
static GString *
damage_text (GRand *rand, const char *text, gsize len)
{
  GString *out = g_string_new_len (text, len);
  g_auto(GStrv) lines = NULL;

  switch (g_rand_int_range (rand, 0, 6))
    {
    case 0:   /* bytes changed */
      for (int i = g_rand_int_range (rand, 1, 8); i > 0 && out->len > 0; i--)
        out->str[g_rand_int_range (rand, 0, (gint32) out->len)] = (char) some_byte (rand);
      break;
    case 1:   /* cut */
      g_string_truncate (out, g_rand_int_range (rand, 0, (gint32) out->len + 1));
      break;
    case 2:   /* a line dropped or doubled */
    case 3:
      lines = g_strsplit (out->str, "\n", -1);
      g_string_truncate (out, 0);
      {
        guint n = g_strv_length (lines), pick = g_rand_int_range (rand, 0, (gint32) MAX (n, 1));

        for (guint i = 0; i < n; i++)
          {
            if (i == pick && g_rand_boolean (rand))
              continue;
            g_string_append (out, lines[i]);
            g_string_append_c (out, '\n');
            if (i == pick)
              {
                g_string_append (out, lines[i]);
                g_string_append_c (out, '\n');
              }
          }
      }
      break;
    case 4:   /* a number made huge, negative or not a number */
      {
        static const char *numbers[] = { "4294967296", "-1", "0", "1e308", "nan", "99999999999999999999", "-0", "" };
        gsize at = 0;

        for (int tries = 0; tries < 20; tries++)
          {
            at = g_rand_int_range (rand, 0, (gint32) MAX (out->len, 1));
            if (at < out->len && g_ascii_isdigit (out->str[at]))
              break;
          }
        if (at < out->len && g_ascii_isdigit (out->str[at]))
          {
            gsize end = at;

            while (at > 0 && g_ascii_isdigit (out->str[at - 1]))
              at--;
            while (end < out->len && (g_ascii_isdigit (out->str[end]) || out->str[end] == '.'))
              end++;
            g_string_erase (out, at, end - at);
            g_string_insert (out, at, numbers[g_rand_int_range (rand, 0, G_N_ELEMENTS (numbers))]);
          }
      }
      break;
    default:  /* random bytes inserted */
      {
        gsize at = g_rand_int_range (rand, 0, (gint32) out->len + 1);

        for (int i = g_rand_int_range (rand, 1, 16); i > 0; i--)
          g_string_insert_c (out, at, (char) some_byte (rand));
      }
      break;
    }
  return out;
}

/* ---- profiles --------------------------------------------------------------- */

static void
test_profiles (void)
{
  g_auto(GStrv) names = ngam_profile_list_names ();
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = ngam_test_fuzz_rand (2);
  guint n = ngam_test_fuzz_rounds (3000), loaded = 0, refused = 0;

  g_assert_nonnull (names);
  for (guint i = 0; names[i]; i++)
    {
      g_autoptr(GError) error = NULL;
      char *path = ngam_profile_find (names[i], &error);
      char *text = NULL;

      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      g_ptr_array_add (paths, path);
      g_ptr_array_add (texts, text);
    }
  g_assert_cmpuint (texts->len, >=, 5);
  for (guint i = 0; i < n; i++)
    {
      guint pick = g_rand_int_range (rand, 0, (gint32) texts->len);
      const char *text = texts->pdata[pick];
      g_autoptr(GString) bad = damage_text (rand, text, strlen (text));
      g_autoptr(GError) error = NULL;
      g_autofree char *base = g_path_get_basename (paths->pdata[pick]);
      NgamProfile *p;

      /* a second round of damage now and then */
      if (g_rand_int_range (rand, 0, 4) == 0)
        {
          GString *worse = damage_text (rand, bad->str, bad->len);

          g_string_free (bad, TRUE);
          bad = worse;
        }
      p = ngam_profile_load_data (paths->pdata[pick], bad->str, bad->len, &error);
      if (p)
        {
          g_assert_no_error (error);
          loaded++;
          for (guint k = 0; k < NGAM_N_LAYERS; k++)
            ngam_profile_allows_kind (p, k);
          ngam_profile_free (p);
        }
      else
        {
          g_assert_nonnull (error);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          /* the error names the file */
          if (strstr (error->message, base) == NULL)
            g_error ("round %u: an error that does not name %s: %s", i, base, error->message);
          refused++;
        }
    }
  g_test_message ("%u damaged profiles: %u loaded, %u refused with the file named", n, loaded, refused);
  g_assert_cmpuint (refused, >, 0);
}

/* ---- Steiner instances ------------------------------------------------------ */

/* b01.stp as PACE 2018 .gr text. */
static char *
stp_to_gr (const NgamSteinerInstance *inst, const char *stp)
{
  GString *gr = g_string_new (NULL);
  g_auto(GStrv) lines = g_strsplit (stp, "\n", -1);
  guint edges = 0;

  for (guint i = 0; lines[i]; i++)
    edges += g_str_has_prefix (lines[i], "E ") ? 1 : 0;
  g_string_append_printf (gr, "SECTION Graph\nNodes %u\nEdges %u\n", inst->graph->n_nodes, edges);
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], "E "))
      g_string_append_printf (gr, "%s\n", lines[i]);
  g_string_append (gr, "END\n\nSECTION Terminals\n");
  g_string_append_printf (gr, "Terminals %u\n", inst->terminals->len);
  for (guint i = 0; i < inst->terminals->len; i++)
    g_string_append_printf (gr, "T %u\n", g_array_index (inst->terminals, guint, i) + 1);
  g_string_append (gr, "END\n\nEOF\n");
  return g_string_free (gr, FALSE);
}

static void
test_steiner (void)
{
  g_autofree char *path = ngam_test_shared_path ("steinlib/B/b01.stp");
  g_autofree char *stp = NULL;
  g_autofree char *gr = NULL;
  gsize stp_len;
  g_autoptr(GRand) rand = ngam_test_fuzz_rand (3);
  guint n = ngam_test_fuzz_rounds (2000), parsed = 0, refused = 0;

  g_assert_true (g_file_get_contents (path, &stp, &stp_len, NULL));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(NgamSteinerInstance) inst = ngam_steiner_instance_parse (stp, stp_len, "b01", &error);

    g_assert_no_error (error);
    gr = stp_to_gr (inst, stp);
  }
  for (guint i = 0; i < n; i++)
    {
      const char *base = g_rand_boolean (rand) ? stp : gr;
      g_autoptr(GString) bad = damage_text (rand, base, strlen (base));
      g_autoptr(GError) error = NULL;
      g_autoptr(NgamSteinerInstance) inst = ngam_steiner_instance_parse (bad->str, bad->len, "b01-damaged", &error);

      if (inst)
        {
          guint nodes = inst->graph->n_nodes;

          g_assert_no_error (error);
          for (guint t = 0; t < inst->terminals->len; t++)
            g_assert_cmpuint (g_array_index (inst->terminals, guint, t), <, nodes);
          g_assert_true (inst->prizes == NULL || inst->prizes->len == inst->terminals->len);
          parsed++;
        }
      else
        {
          g_assert_nonnull (error);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          if (strstr (error->message, "b01-damaged") == NULL)
            g_error ("round %u: an error that does not name the instance: %s", i, error->message);
          refused++;
        }
    }
  g_test_message ("%u damaged instances: %u read, %u refused with the name given", n, parsed, refused);
  g_assert_cmpuint (refused, >, 0);
  g_assert_cmpuint (parsed, >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  ngam_core_init ();
  g_test_add_func ("/fuzz/encodings", test_encodings);
  g_test_add_func ("/fuzz/profiles", test_profiles);
  g_test_add_func ("/fuzz/steiner", test_steiner);
  return g_test_run ();
}
