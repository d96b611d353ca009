/* ngam-encoding.h — Vietnamese legacy text encodings: detection and decoding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NGAM_ENCODING_ERROR (ngam_encoding_error_quark ())

typedef enum
{
  NGAM_ENCODING_ERROR_UNKNOWN,   /* no such encoding */
} NgamEncodingError;

typedef struct _NgamDecoder NgamDecoder;

/**
 * NgamEncodingGuess:
 * @name: canonical name of the chosen encoding ("UTF-8", "TCVN3", "VNI",
 *   "VISCII", "CP1258", "CP1252", "ASCII" or an iconv name)
 * @confidence: 0 (a coin toss) to 1 (certain)
 * @reason: one sentence for people: why this one
 */
typedef struct
{
  char   *name;
  double  confidence;
  char   *reason;
} NgamEncodingGuess;

GQuark        ngam_encoding_error_quark   (void);

char         *ngam_encoding_canonical     (const char *name);
char         *ngam_encoding_from_cpg      (const char *cpg_text);
const char   *ngam_encoding_from_ldid     (guint8 ldid);

NgamDecoder  *ngam_decoder_new            (const char *encoding, GError **error);
void          ngam_decoder_free           (NgamDecoder *decoder);
const char   *ngam_decoder_get_name       (const NgamDecoder *decoder);
char         *ngam_decoder_decode         (NgamDecoder *decoder, const char *bytes, gssize len);
void          ngam_decoder_decode_append  (NgamDecoder *decoder, const char *bytes, gssize len, GString *out);

/* Collects text samples, then picks the encoding that reads them best. */
typedef struct _NgamEncodingDetector NgamEncodingDetector;

NgamEncodingDetector *ngam_encoding_detector_new   (void);
void          ngam_encoding_detector_free          (NgamEncodingDetector *detector);
void          ngam_encoding_detector_add           (NgamEncodingDetector *detector, const char *bytes, gssize len);
gboolean      ngam_encoding_detector_is_ascii      (NgamEncodingDetector *detector);
void          ngam_encoding_detector_guess         (NgamEncodingDetector *detector, const char *declared,
                                                    const char *declared_by, NgamEncodingGuess *guess);
double        ngam_encoding_score_text             (const char *utf8, guint *n_words);
void          ngam_encoding_guess_clear            (NgamEncodingGuess *guess);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamDecoder, ngam_decoder_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NgamEncodingDetector, ngam_encoding_detector_free)

G_END_DECLS
