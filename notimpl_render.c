/* notimpl_render.c — the four error-document bodies (see notimpl_render.h).
 *
 * The wire format is the SPEC's public interface: member names, their
 * order and the sentences are fixed; clients and tests compare bytes. */
#include <string.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "notimpl_escape.h"
#include "notimpl_render.h"

typedef char *(*escape_fn)(apr_pool_t *p, const char *s);

/* RFC 9457 §3.1.1: a stable URI naming the problem, one per kind of 501. */
#define TYPE_METHOD "urn:mod-notimpl:method-not-implemented"
#define TYPE_CODING "urn:mod-notimpl:transfer-coding-not-implemented"

/* What was refused: the transfer coding when there is one, since then
 * the method itself is fine (RFC 9112 §6.1). */
static const char *subject(const notimpl_doc_t *doc)
{
    return doc->transfer_coding ? doc->transfer_coding : doc->method;
}

/* The one sentence every format carries; subj is already escaped and
 * wrapped as the format wants. */
static const char *detail(apr_pool_t *p, const notimpl_doc_t *doc,
                          const char *subj)
{
    return apr_pstrcat(p, "The ",
                       doc->transfer_coding ? "transfer coding " : "method ",
                       subj, " is not implemented by this server.", NULL);
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

/* What both JSON formats say, each untrusted value escaped once: this is
 * the path every 501 takes, so it is built with one concatenation. */
typedef struct {
    const char *subject;  /* "method" and, for a coding, "transfer_coding" */
    const char *detail;   /* the sentence, without quotes */
} json_parts_t;

static void json_parts(apr_pool_t *p, const notimpl_doc_t *doc,
                       json_parts_t *j)
{
    const char *m = notimpl_escape_json(p, doc->method);
    const char *c = doc->transfer_coding
        ? notimpl_escape_json(p, doc->transfer_coding) : NULL;

    j->subject = apr_pstrcat(p, "\"method\":\"", m, "\"",
                             c ? ",\"transfer_coding\":\"" : "",
                             c ? c : "", c ? "\"" : "", NULL);
    j->detail = detail(p, doc, c ? c : m);
}

static const char *render_json(apr_pool_t *p, const notimpl_doc_t *doc)
{
    json_parts_t j;

    json_parts(p, doc, &j);
    return apr_pstrcat(p, "{\"error\":\"not_implemented\",", j.subject,
                       ",\"detail\":\"", j.detail, "\"",
                       json_extensions(p, doc), "}\n", NULL);
}

static const char *render_problem(apr_pool_t *p, const notimpl_doc_t *doc)
{
    json_parts_t j;

    json_parts(p, doc, &j);
    return apr_pstrcat(p, "{\"type\":\"",
                       doc->transfer_coding ? TYPE_CODING : TYPE_METHOD,
                       "\",\"title\":\"Not Implemented\",\"status\":501,"
                       "\"detail\":\"", j.detail, "\",", j.subject,
                       json_extensions(p, doc), "}\n", NULL);
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

    switch (fmt) {
    case NOTIMPL_FMT_PROBLEM:
        body = render_problem(p, doc);
        break;
    case NOTIMPL_FMT_HTML:
        body = render_html(p, doc);
        break;
    case NOTIMPL_FMT_TEXT:
        body = render_text(p, doc);
        break;
    default:
        /* AUTO/UNSET would be a caller bug: answer as for "nothing
         * acceptable", matching notimpl_format_content_type(). */
        body = render_json(p, doc);
        break;
    }
    if (len) {
        *len = strlen(body);
    }
    return body;
}
