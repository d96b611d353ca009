/* ngam-steiner-io.c — reads SteinLib STP and PACE 2018 .gr instances
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both formats are the STP layout (Koch, Martin and Voß, SteinLib, 2000):
 * sections opened by `SECTION Name` and closed by `END`, `EOF` at the end;
 * PACE files merely leave out the `33D32945` magic line.  The reader is
 * strict where a mistake would change the instance (node numbers, weights,
 * counts that disagree with the header) and tolerant of what does not:
 * unknown keywords such as the `Optimal` line some SteinLib copies carry,
 * unknown sections, comments, blank lines, a missing final `EOF`.  Every
 * refusal names the file and line.
 */
#define G_LOG_DOMAIN "ngam-net"

#include "config.h"

#include <errno.h>

#include <math.h>
#include <string.h>

#include "ngam-net-private.h"
#include "ngam-steiner.h"

typedef enum
{
  SEC_NONE,
  SEC_GRAPH,
  SEC_TERMINALS,
  SEC_COORDINATES,
  SEC_OTHER,
} Section;

typedef struct
{
  const char *name;
  guint       line;
  GError    **error;
} Ctx;

void
ngam_steiner_instance_free (NgamSteinerInstance *inst)
{
  if (inst == NULL)
    return;
  ngam_graph_free (inst->graph);
  if (inst->terminals)
    g_array_unref (inst->terminals);
  if (inst->prizes)
    g_array_unref (inst->prizes);
  g_free (inst->name);
  g_free (inst);
}

static gboolean G_GNUC_PRINTF (2, 3)
fail (Ctx *c, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  /* the words quoted come from the file, in any bytes: messages are UTF-8
   * (for the terminal, JSON and the desktop app alike) */
  if (!g_utf8_validate (msg, -1, NULL))
    {
      char *valid = g_utf8_make_valid (msg, -1);

      g_free (msg);
      msg = valid;
    }
  g_set_error (c->error, NGAM_NET_ERROR, NGAM_NET_ERROR_PARSE, "%s:%u: %s", c->name, c->line, msg);
  return FALSE;
}

/* Splits a line into at most @max whitespace-separated words in place. */
static guint
split_words (char *line, char **words, guint max)
{
  guint n = 0;
  char *p = line;

  while (*p && n < max)
    {
      while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
      if (*p == '\0')
        break;
      words[n++] = p;
      while (*p && *p != ' ' && *p != '\t' && *p != '\r')
        p++;
      if (*p)
        *p++ = '\0';
    }
  return n;
}

static gboolean
parse_uint (Ctx *c, const char *word, const char *what, guint64 *out)
{
  char *end;
  guint64 v = 0;

  if (word == NULL || !g_ascii_isdigit (*word))
    return fail (c, "expected %s, a whole number, but found “%s”", what, word ? word : "nothing");
  v = g_ascii_strtoull (word, &end, 10);
  if (*end != '\0')
    return fail (c, "expected %s, a whole number, but found “%s”", what, word);
  *out = v;
  return TRUE;
}

static gboolean
parse_double (Ctx *c, const char *word, const char *what, double *out)
{
  char *end;

  if (word == NULL)
    return fail (c, "%s is missing", what);
  *out = g_ascii_strtod (word, &end);
  if (end == word || *end != '\0' || !isfinite (*out))
    return fail (c, "expected %s, a number, but found “%s”", what, word);
  return TRUE;
}

static gboolean
parse_node (Ctx *c, const char *word, guint64 n_nodes, const char *what, guint *node)
{
  guint64 v = 0;

  if (!parse_uint (c, word, what, &v))
    return FALSE;
  if (v < 1 || v > n_nodes)
    return fail (c, "%s %s is not a node: nodes are numbered 1 to %" G_GUINT64_FORMAT, what, word, n_nodes);
  *node = (guint) (v - 1);
  return TRUE;
}

/**
 * ngam_steiner_instance_parse:
 * @name: for messages (the file name)
 *
 * Returns: (transfer full): the instance, or NULL with NGAM_NET_ERROR_PARSE
 *   (naming @name and the line) or NGAM_NET_ERROR_TOO_LARGE.
 */
NgamSteinerInstance *
ngam_steiner_instance_parse (const char  *text,
                             gsize        length,
                             const char  *name,
                             GError     **error)
{
  Ctx c = { name, 0, error };
  Section sec = SEC_NONE;
  g_autoptr(GArray) uv = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) w = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) terms = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) prizes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree double *xy = NULL;
  g_autofree guint8 *is_term = NULL;
  g_autoptr(NgamSteinerInstance) inst = g_new0 (NgamSteinerInstance, 1);
  guint64 n_nodes = 0, n_edges = G_MAXUINT64, n_terms = G_MAXUINT64;
  gboolean seen_graph = FALSE, seen_terms = FALSE, seen_nodes = FALSE, any_prize = FALSE, first = TRUE;
  guint graph_line = 0, terms_line = 0, section_line = 0, n_listed = 0;
  const char *p = text, *end = text + length;
  char buf[1024];

  inst->optimum = NAN;
  inst->name = g_path_get_basename (name);
  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      gsize len = (nl ? nl : end) - p;
      char *words[5];
      guint nw;

      c.line++;
      if (len >= sizeof buf)
        return fail (&c, "line too long (%" G_GSIZE_FORMAT " bytes)", len), NULL;
      memcpy (buf, p, len);
      buf[len] = '\0';
      p = nl ? nl + 1 : end;
      if (memchr (buf, '\0', len) != NULL)
        return fail (&c, "binary data: this is not an STP or PACE .gr file"), NULL;
      nw = split_words (buf, words, G_N_ELEMENTS (words));
      if (nw == 0 || words[0][0] == '#')
        continue;
      if (first)
        {
          first = FALSE;
          if (g_ascii_strcasecmp (words[0], "33D32945") == 0)
            continue;
          if (g_ascii_strcasecmp (words[0], "SECTION") != 0)
            return fail (&c, "this is not a SteinLib STP or PACE .gr file "
                             "(it should start with “33D32945 STP File” or “SECTION”)"), NULL;
        }
      if (g_ascii_strcasecmp (words[0], "EOF") == 0)
        break;
      if (g_ascii_strcasecmp (words[0], "SECTION") == 0)
        {
          if (sec != SEC_NONE)
            return fail (&c, "a new section starts before the section opened on line %u has its END",
                         section_line), NULL;
          if (nw < 2)
            return fail (&c, "SECTION without a name"), NULL;
          section_line = c.line;
          if (g_ascii_strcasecmp (words[1], "Graph") == 0)
            {
              if (seen_graph)
                return fail (&c, "a second Graph section (the first is on line %u)", graph_line), NULL;
              sec = SEC_GRAPH;
              seen_graph = TRUE;
              graph_line = c.line;
            }
          else if (g_ascii_strcasecmp (words[1], "Terminals") == 0)
            {
              if (!seen_graph)
                return fail (&c, "the Terminals section comes before the Graph section"), NULL;
              if (seen_terms)
                return fail (&c, "a second Terminals section (the first is on line %u)", terms_line), NULL;
              sec = SEC_TERMINALS;
              seen_terms = TRUE;
              terms_line = c.line;
            }
          else if (g_ascii_strcasecmp (words[1], "Coordinates") == 0 && seen_nodes)
            sec = SEC_COORDINATES;
          else
            sec = SEC_OTHER;
          continue;
        }
      if (g_ascii_strcasecmp (words[0], "END") == 0)
        {
          if (sec == SEC_NONE)
            return fail (&c, "END outside a section"), NULL;
          if (sec == SEC_GRAPH)
            {
              if (!seen_nodes)
                return fail (&c, "the Graph section gives no “Nodes N” line"), NULL;
              if (n_edges != G_MAXUINT64 && n_edges != w->len)
                return fail (&c, "the Graph section announced %" G_GUINT64_FORMAT " edges but lists %u",
                             n_edges, w->len), NULL;
            }
          if (sec == SEC_TERMINALS && n_terms != G_MAXUINT64 && n_terms != n_listed)
            return fail (&c, "the Terminals section announced %" G_GUINT64_FORMAT " terminals but lists %u",
                         n_terms, n_listed), NULL;
          sec = SEC_NONE;
          continue;
        }

      switch (sec)
        {
        case SEC_NONE:
          return fail (&c, "“%s” outside any section", words[0]), NULL;

        case SEC_OTHER:
          break;

        case SEC_GRAPH:
          if (g_ascii_strcasecmp (words[0], "Nodes") == 0)
            {
              if (seen_nodes)
                return fail (&c, "Nodes given twice"), NULL;
              if (!parse_uint (&c, nw > 1 ? words[1] : NULL, "the number of nodes", &n_nodes))
                return NULL;
              if (n_nodes >= G_MAXUINT)
                return fail (&c, "%" G_GUINT64_FORMAT " nodes are more than this build can index", n_nodes), NULL;
              {
                g_autofree char *what = g_strdup_printf ("%s (%" G_GUINT64_FORMAT " nodes)", name, n_nodes);

                if (!ngam_net_check_memory (ngam_graph_estimate_bytes (n_nodes, 0, 0), what, error))
                  return NULL;
              }
              seen_nodes = TRUE;
              is_term = g_new0 (guint8, MAX (n_nodes, 1));
            }
          else if (g_ascii_strcasecmp (words[0], "Edges") == 0 || g_ascii_strcasecmp (words[0], "Arcs") == 0)
            {
              if (!parse_uint (&c, nw > 1 ? words[1] : NULL, "the number of edges", &n_edges))
                return NULL;
              if (n_edges >= G_MAXUINT / 2)
                return fail (&c, "%" G_GUINT64_FORMAT " edges are more than this build can index", n_edges), NULL;
              {
                g_autofree char *what = g_strdup_printf ("%s (%" G_GUINT64_FORMAT " nodes, %" G_GUINT64_FORMAT " edges)",
                                                         name, n_nodes, n_edges);

                if (!ngam_net_check_memory (ngam_graph_estimate_bytes (n_nodes, n_edges, 0) + n_edges * 12,
                                            what, error))
                  return NULL;
              }
              g_array_set_size (uv, 0);
              g_array_set_size (w, 0);
            }
          else if (g_ascii_strcasecmp (words[0], "E") == 0)
            {
              guint e[2];
              double weight;

              if (!seen_nodes)
                return fail (&c, "an edge before the “Nodes N” line"), NULL;
              if (nw < 4)
                return fail (&c, "an edge needs two nodes and a weight: “E u v w”"), NULL;
              if (!parse_node (&c, words[1], n_nodes, "the edge's first node", &e[0]) ||
                  !parse_node (&c, words[2], n_nodes, "the edge's second node", &e[1]) ||
                  !parse_double (&c, words[3], "the edge's weight", &weight))
                return NULL;
              if (weight < 0)
                return fail (&c, "the edge %s–%s has weight %s; weights may not be negative",
                             words[1], words[2], words[3]), NULL;
              if (n_edges != G_MAXUINT64 && w->len >= n_edges)
                return fail (&c, "more edges than the %" G_GUINT64_FORMAT " announced", n_edges), NULL;
              g_array_append_vals (uv, e, 2);
              g_array_append_val (w, weight);
            }
          else if (g_ascii_strcasecmp (words[0], "A") == 0)
            return fail (&c, "directed arcs (“A” lines) are not supported: this reads undirected instances"), NULL;
          else if (g_ascii_strcasecmp (words[0], "Optimal") == 0 && nw > 1)
            {
              double opt;

              if (parse_double (&c, words[1], "the optimum", &opt))
                inst->optimum = opt;
              else
                g_clear_error (error);
            }
          /* other keywords (Obstacles, …) say nothing this reader needs */
          break;

        case SEC_TERMINALS:
          if (g_ascii_strcasecmp (words[0], "Terminals") == 0)
            {
              if (!parse_uint (&c, nw > 1 ? words[1] : NULL, "the number of terminals", &n_terms))
                return NULL;
            }
          else if (g_ascii_strcasecmp (words[0], "T") == 0 || g_ascii_strcasecmp (words[0], "TP") == 0 ||
                   g_ascii_strcasecmp (words[0], "Root") == 0)
            {
              guint v;
              double prize = INFINITY;
              gboolean tp = g_ascii_strcasecmp (words[0], "TP") == 0;

              if (!parse_node (&c, nw > 1 ? words[1] : NULL, n_nodes, "the terminal", &v))
                return NULL;
              if (tp && (!parse_double (&c, nw > 2 ? words[2] : NULL, "the terminal's prize", &prize)))
                return NULL;
              if (tp && prize < 0)
                return fail (&c, "terminal %s has prize %s; prizes may not be negative", words[1], words[2]), NULL;
              any_prize |= tp;
              if (g_ascii_strcasecmp (words[0], "Root") != 0)
                n_listed++;
              if (is_term[v])
                {
                  /* listed again (or named Root): it must be connected */
                  if (!tp)
                    for (guint i = 0; i < terms->len; i++)
                      if (g_array_index (terms, guint, i) == v)
                        g_array_index (prizes, double, i) = INFINITY;
                  continue;
                }
              is_term[v] = 1;
              g_array_append_val (terms, v);
              g_array_append_val (prizes, prize);
            }
          break;

        case SEC_COORDINATES:
          if (g_ascii_strcasecmp (words[0], "DD") == 0 || g_ascii_strcasecmp (words[0], "DDD") == 0)
            {
              guint v;
              double x, y;

              if (!parse_node (&c, nw > 1 ? words[1] : NULL, n_nodes, "the node", &v) ||
                  !parse_double (&c, nw > 2 ? words[2] : NULL, "the x coordinate", &x) ||
                  !parse_double (&c, nw > 3 ? words[3] : NULL, "the y coordinate", &y))
                return NULL;
              if (xy == NULL)
                xy = g_new0 (double, 2 * (gsize) MAX (n_nodes, 1));
              xy[2 * v] = x;
              xy[2 * v + 1] = y;
            }
          break;
        }
    }
  c.line++;
  if (!seen_graph)
    return fail (&c, "no Graph section"), NULL;
  if (sec == SEC_GRAPH || sec == SEC_TERMINALS)
    return fail (&c, "the file ends inside the section opened on line %u (no END)", section_line), NULL;
  if (!seen_terms)
    return fail (&c, "no Terminals section"), NULL;
  if (n_edges == G_MAXUINT64 && w->len == 0 && n_nodes > 1)
    return fail (&c, "the Graph section lists no edges"), NULL;
  inst->graph = ngam_graph_new_from_edges ((guint) n_nodes, w->len, (guint *) uv->data,
                                           (double *) w->data, xy, error);
  if (inst->graph == NULL)
    return NULL;
  inst->terminals = g_steal_pointer (&terms);
  if (any_prize)
    inst->prizes = g_steal_pointer (&prizes);
  return g_steal_pointer (&inst);
}

/**
 * ngam_steiner_instance_load:
 *
 * Reads a SteinLib `.stp` or PACE 2018 `.gr` file (told apart by their
 * first line).  The file is mapped, not copied, so its size never has to
 * fit in memory twice.
 *
 * Returns: (transfer full): the instance, or NULL with @error set.
 */
NgamSteinerInstance *
ngam_steiner_instance_load (const char  *filename,
                            GError     **error)
{
  g_autoptr(GMappedFile) map = NULL;
  GError *local = NULL;

  map = g_mapped_file_new (filename, FALSE, &local);
  if (map == NULL)
    {
      /* GLib's message names the file again: the cause alone */
      g_set_error (error, NGAM_NET_ERROR, NGAM_NET_ERROR_INVALID, "%s: %s", filename,
                   g_strerror (local->code == G_FILE_ERROR_NOENT ? ENOENT
                               : local->code == G_FILE_ERROR_ACCES ? EACCES
                               : local->code == G_FILE_ERROR_ISDIR ? EISDIR : EIO));
      g_error_free (local);
      return NULL;
    }
  return ngam_steiner_instance_parse (g_mapped_file_get_contents (map) ? g_mapped_file_get_contents (map) : "",
                                      g_mapped_file_get_length (map), filename, error);
}
