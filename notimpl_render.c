/* notimpl_render.c — the four error-document bodies (see notimpl_render.h).
 *
 * The wire format is the SPEC's public interface: member names, their
 * order and the sentences are fixed; clients and tests compare bytes. */
#include <string.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "notimpl_escape.h"
#include "notimpl_render.h"

typedef const char *(*escape_fn)(apr_pool_t *p, const char *s);

/* RFC 9457 §3.1.1: a stable URI naming the problem, one per kind of 501. */
#define TYPE_METHOD "urn:mod-notimpl:method-not-implemented"
#define TYPE_CODING "urn:mod-notimpl:transfer-coding-not-implemented"

/* What was refused: the transfer coding when there is one, since then
 * the method itself is fine (RFC 9112 §6.1). */
static const char *subject(const notimpl_doc_t *doc)
{
    return doc->transfer_coding ? doc->transfer_coding : doc->method;
}

/* The one sentence every format carries, in three parts around the
 * subject (escaped and wrapped as the format wants). */
#define DETAIL_METHOD "The method "
#define DETAIL_CODING "The transfer coding "
#define DETAIL_END    " is not implemented by this server."

static const char *detail(apr_pool_t *p, const notimpl_doc_t *doc,
                          const char *subj)
{
    return apr_pstrcat(p, doc->transfer_coding ? DETAIL_CODING
                                               : DETAIL_METHOD,
                       subj, DETAIL_END, NULL);
}

/* doc->implemented, each name escaped and put between open and close,
 * with sep between names. */
static const char *join_implemented(apr_pool_t *p, const notimpl_doc_t *doc,
                                    escape_fn esc, const char *open,
                                    const char *close, const char *sep)
{
    int i, n = doc->n_implemented > 0 ? doc->n_implemented : 0;
    apr_array_header_t *parts = apr_array_make(p, 4 * n + 1,
                                               sizeof(const char *));

    for (i = 0; i < n; i++) {
        if (i > 0) {
            APR_ARRAY_PUSH(parts, const char *) = sep;
        }
        APR_ARRAY_PUSH(parts, const char *) = open;
        APR_ARRAY_PUSH(parts, const char *) = esc(p, doc->implemented[i]);
        APR_ARRAY_PUSH(parts, const char *) = close;
    }
    return apr_array_pstrcat(p, parts, 0);
}

/* The human formats list the implemented methods only when there are
 * some; an allowlist always has GET and HEAD, so this is defensive. */
static int has_implemented(const notimpl_doc_t *doc)
{
    return doc->implemented != NULL && doc->n_implemented > 0;
}

/* The optional members both JSON formats end with, each with its
 * leading comma; "" when there are none. */
static const char *json_extensions(apr_pool_t *p, const notimpl_doc_t *doc)
{
    const char *alt = "", *impl = "";

    if (doc->alternative == NULL && doc->implemented == NULL) {
        return "";
    }
    if (doc->alternative) {
        alt = apr_pstrcat(p, ",\"alternative\":\"",
                          notimpl_escape_json(p, doc->alternative), "\"",
                          NULL);
    }
    if (doc->implemented) {
        impl = apr_pstrcat(p, ",\"implemented\":[",
                           join_implemented(p, doc, notimpl_escape_json,
                                            "\"", "\"", ","),
                           "]", NULL);
    }
    return apr_pstrcat(p, alt, impl, NULL);
}

/* Both JSON formats are built from pieces of known length into one
 * allocation: this is the path every 501 takes.  A document has 13
 * pieces at most. */
typedef struct {
    const char *s;
    apr_size_t n;
} piece_t;

#define MAX_PIECES 16

static void put(piece_t *v, int *n, const char *s)
{
    v[*n].s = s;
    v[(*n)++].n = strlen(s);
}

static void put_lit(piece_t *v, int *n, const char *s, apr_size_t len)
{
    v[*n].s = s;
    v[(*n)++].n = len;
}

#define PUT_LIT(v, n, text) put_lit(v, n, text, sizeof(text) - 1)

static const char *join(apr_pool_t *p, const piece_t *v, int n,
                        apr_size_t *len)
{
    apr_size_t total = 0;
    char *out, *o;
    int i;

    for (i = 0; i < n; i++) {
        total += v[i].n;
    }
    o = out = apr_palloc(p, total + 1);
    for (i = 0; i < n; i++) {
        memcpy(o, v[i].s, v[i].n);
        o += v[i].n;
    }
    *o = '\0';
    *len = total;
    return out;
}

/* "method":"M" and, for a coding, ,"transfer_coding":"C". */
static void put_subject(piece_t *v, int *n, const char *m, const char *c)
{
    PUT_LIT(v, n, "\"method\":\"");
    put(v, n, m);
    PUT_LIT(v, n, "\"");
    if (c) {
        PUT_LIT(v, n, ",\"transfer_coding\":\"");
        put(v, n, c);
        PUT_LIT(v, n, "\"");
    }
}

/* "detail":"The method M is not implemented by this server." */
static void put_detail(piece_t *v, int *n, const char *m, const char *c)
{
    if (c) {
        PUT_LIT(v, n, "\"detail\":\"" DETAIL_CODING);
        put(v, n, c);
    }
    else {
        PUT_LIT(v, n, "\"detail\":\"" DETAIL_METHOD);
        put(v, n, m);
    }
    PUT_LIT(v, n, DETAIL_END "\"");
}

/* The method and the transfer coding (NULL for a method 501), escaped
 * once for both places each appears in. */
static void json_values(apr_pool_t *p, const notimpl_doc_t *doc,
                        const char **m, const char **c)
{
    *m = notimpl_escape_json(p, doc->method);
    *c = doc->transfer_coding ? notimpl_escape_json(p, doc->transfer_coding)
                              : NULL;
}

static const char *render_json(apr_pool_t *p, const notimpl_doc_t *doc,
                               apr_size_t *len)
{
    const char *m, *c;
    piece_t v[MAX_PIECES];
    int n = 0;

    json_values(p, doc, &m, &c);
    PUT_LIT(v, &n, "{\"error\":\"not_implemented\",");
    put_subject(v, &n, m, c);
    PUT_LIT(v, &n, ",");
    put_detail(v, &n, m, c);
    put(v, &n, json_extensions(p, doc));
    PUT_LIT(v, &n, "}\n");
    return join(p, v, n, len);
}

static const char *render_problem(apr_pool_t *p, const notimpl_doc_t *doc,
                                  apr_size_t *len)
{
    const char *m, *c;
    piece_t v[MAX_PIECES];
    int n = 0;

    json_values(p, doc, &m, &c);
    if (c) {
        PUT_LIT(v, &n, "{\"type\":\"" TYPE_CODING "\",");
    }
    else {
        PUT_LIT(v, &n, "{\"type\":\"" TYPE_METHOD "\",");
    }
    PUT_LIT(v, &n, "\"title\":\"Not Implemented\",\"status\":501,");
    put_detail(v, &n, m, c);
    PUT_LIT(v, &n, ",");
    put_subject(v, &n, m, c);
    put(v, &n, json_extensions(p, doc));
    PUT_LIT(v, &n, "}\n");
    return join(p, v, n, len);
}

static const char *render_html(apr_pool_t *p, const notimpl_doc_t *doc)
{
    const char *alt = "", *impl = "";

    if (doc->alternative) {
        alt = apr_pstrcat(p, "<p>Alternative: ",
                          notimpl_escape_html(p, doc->alternative),
                          "</p>\n", NULL);
    }
    if (has_implemented(doc)) {
        impl = apr_pstrcat(p, "<p>Implemented methods: ",
                           join_implemented(p, doc, notimpl_escape_html,
                                            "", "", ", "),
                           ".</p>\n", NULL);
    }
    return apr_pstrcat(p,
                       "<!DOCTYPE html>\n"
                       "<html lang=\"en\">\n"
                       "<head>\n"
                       "<meta charset=\"utf-8\">\n"
                       "<title>501 Not Implemented</title>\n"
                       "</head>\n"
                       "<body>\n"
                       "<h1>Not Implemented</h1>\n"
                       "<p>",
                       detail(p, doc, apr_pstrcat(p, "<code>",
                                  notimpl_escape_html(p, subject(doc)),
                                  "</code>", NULL)),
                       "</p>\n", alt, impl,
                       "</body>\n"
                       "</html>\n", NULL);
}

static const char *render_text(apr_pool_t *p, const notimpl_doc_t *doc)
{
    const char *alt = "", *impl = "";

    if (doc->alternative) {
        alt = apr_pstrcat(p, "Alternative: ",
                          notimpl_escape_text(p, doc->alternative), "\n",
                          NULL);
    }
    if (has_implemented(doc)) {
        impl = apr_pstrcat(p, "Implemented methods: ",
                           join_implemented(p, doc, notimpl_escape_text,
                                            "", "", ", "),
                           "\n", NULL);
    }
    return apr_pstrcat(p, "501 Not Implemented\n\n",
                       detail(p, doc, notimpl_escape_text(p, subject(doc))),
                       "\n", alt, impl, NULL);
}

const char *notimpl_render(apr_pool_t *p, notimpl_format_e fmt,
                           const notimpl_doc_t *doc, apr_size_t *len)
{
    const char *body;
    apr_size_t n;

    switch (fmt) {
    case NOTIMPL_FMT_PROBLEM:
        body = render_problem(p, doc, &n);
        break;
    case NOTIMPL_FMT_HTML:
        body = render_html(p, doc);
        n = strlen(body);
        break;
    case NOTIMPL_FMT_TEXT:
        body = render_text(p, doc);
        n = strlen(body);
        break;
    default:
        /* AUTO/UNSET would be a caller bug: answer as for "nothing
         * acceptable", matching notimpl_format_content_type(). */
        body = render_json(p, doc, &n);
        break;
    }
    if (len) {
        *len = n;
    }
    return body;
}
