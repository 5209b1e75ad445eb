/* notimpl_render.c — the response's pure half: format names, Accept
 * negotiation, the JSON escaper and the four documents (see
 * notimpl_render.h).  The wire format is the SPEC's public interface:
 * member names, their order and the sentences are fixed. */
#include <string.h>
#include <apr_cstr.h>
#include <apr_escape.h>
#include <apr_lib.h>
#include <apr_strings.h>

#include "notimpl_render.h"

static const char *const format_names[] = {
    "auto", "problem", "json", "html", "text"
};

notimpl_format_e notimpl_format_from_name(const char *name)
{
    int f;

    /* Case-insensitive and locale-independent, like httpd's keywords. */
    for (f = NOTIMPL_FMT_AUTO; f <= NOTIMPL_FMT_TEXT; f++) {
        if (name && apr_cstr_casecmp(name, format_names[f]) == 0) {
            return (notimpl_format_e)f;
        }
    }
    return NOTIMPL_FMT_UNSET;
}

const char *notimpl_format_name(notimpl_format_e fmt)
{
    return fmt >= NOTIMPL_FMT_AUTO ? format_names[fmt] : "auto";
}

const char *notimpl_format_content_type(notimpl_format_e fmt)
{
    switch (fmt) {
    case NOTIMPL_FMT_PROBLEM:
        return "application/problem+json; charset=utf-8";
    case NOTIMPL_FMT_HTML:
        return "text/html; charset=utf-8";
    case NOTIMPL_FMT_TEXT:
        return "text/plain; charset=utf-8";
    default:
        /* What notimpl_render() writes for AUTO too: header and body agree. */
        return "application/json; charset=utf-8";
    }
}

/* ------------------------------------------------------------ negotiation
 *
 * RFC 9110 §12.5.1: each candidate takes the weight of the most specific
 * media range that matches it; parameters other than q do not take part.
 * One pass over the header, no allocation: it is client input. */

#define N_CANDIDATES 4

/* Listed in tie-break order: SPEC "Ties prefer JSON", then the two
 * other machine-readable forms before the human ones. */
static const struct {
    const char *type;
    const char *subtype;
    notimpl_format_e fmt;
} candidates[N_CANDIDATES] = {
    { "application", "json", NOTIMPL_FMT_JSON },
    { "application", "problem+json", NOTIMPL_FMT_PROBLEM },
    { "text", "html", NOTIMPL_FMT_HTML },
    { "text", "plain", NOTIMPL_FMT_TEXT },
};

/* A span of the header: never NUL-terminated where we need it. */
typedef struct {
    const char *s;
    apr_size_t n;
} span_t;

enum { MATCH_NONE = 0, MATCH_ANY, MATCH_TYPE, MATCH_EXACT };

/* RFC 9110 §5.6.2 tchar; ASCII only, whatever the locale. */
static int is_tchar(unsigned char c)
{
    return c < 0x80 && (apr_isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c)));
}

static const char *skip_ows(const char *s)
{
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    return s;
}

static const char *skip_token(const char *s)
{
    while (is_tchar((unsigned char)*s)) {
        s++;
    }
    return s;
}

/* s points at the opening quote.  An unterminated string runs to the end
 * of the header, as a recipient reading it as a quoted-string would. */
static const char *skip_quoted(const char *s)
{
    for (s++; *s && *s != '"'; s++) {
        if (*s == '\\' && s[1] != '\0') {
            s++;
        }
    }
    return *s ? s + 1 : s;
}

/* After a malformed range: on to the next element, without taking a
 * comma inside a quoted parameter value for the end of the element. */
static const char *skip_element(const char *s)
{
    while (*s && *s != ',') {
        s = (*s == '"') ? skip_quoted(s) : s + 1;
    }
    return s;
}

static int span_is(span_t sp, const char *word)
{
    apr_size_t i;

    for (i = 0; i < sp.n; i++) {
        if (word[i] == '\0'
            || apr_tolower((unsigned char)sp.s[i]) != word[i]) {
            return 0;
        }
    }
    return word[i] == '\0';
}

/* RFC 9110 §12.4.2 qvalue, in thousandths; -1 when it is not one. */
static int parse_qvalue(span_t v)
{
    int q, scale = 100;
    apr_size_t i;

    if (v.n == 0 || (v.s[0] != '0' && v.s[0] != '1')) {
        return -1;
    }
    q = (v.s[0] - '0') * 1000;
    if (v.n == 1) {
        return q;
    }
    if (v.s[1] != '.' || v.n > 5) {
        return -1;
    }
    for (i = 2; i < v.n; i++, scale /= 10) {
        if (v.s[i] < '0' || v.s[i] > '9') {
            return -1;
        }
        q += (v.s[i] - '0') * scale;
    }
    return q <= 1000 ? q : -1;
}

/* How specifically type/subtype names candidate c. */
static int match(span_t type, span_t subtype, int c)
{
    if (span_is(type, "*")) {
        return span_is(subtype, "*") ? MATCH_ANY : MATCH_NONE;
    }
    if (!span_is(type, candidates[c].type)) {
        return MATCH_NONE;
    }
    if (span_is(subtype, "*")) {
        return MATCH_TYPE;
    }
    return span_is(subtype, candidates[c].subtype) ? MATCH_EXACT : MATCH_NONE;
}

/* Parses the parameters of one media range, from just after the subtype.
 * Stores the weight in *q (1000 when absent) and returns the end of the
 * element, or NULL when the range is malformed.  A range with an invalid
 * q (q=2, q=-1, q=abc, q=0.0001, q=) is malformed and so ignored as a
 * whole: guessing a weight for it could let garbage outrank what the
 * client wrote correctly.  Only the first q counts; anything after it is
 * an accept-ext of RFC 7231 and ignored. */
static const char *parse_params(const char *s, int *q)
{
    int seen_q = 0;

    *q = 1000;
    for (;;) {
        span_t name, value;

        s = skip_ows(s);
        if (*s == '\0' || *s == ',') {
            return s;
        }
        if (*s != ';') {
            return NULL;
        }
        s = skip_ows(s + 1);
        if (*s == ';' || *s == ',' || *s == '\0') {
            continue;                   /* empty parameter: allowed */
        }
        name.s = s;
        s = skip_token(s);
        name.n = (apr_size_t)(s - name.s);
        if (name.n == 0 || *s != '=') {
            return NULL;
        }
        s++;
        value.s = s;
        s = (*s == '"') ? skip_quoted(s) : skip_token(s);
        value.n = (apr_size_t)(s - value.s);
        if (!seen_q && span_is(name, "q")) {
            seen_q = 1;
            *q = parse_qvalue(value);   /* a quoted q is no qvalue */
            if (*q < 0) {
                return NULL;
            }
        }
    }
}

notimpl_format_e notimpl_negotiate(const char *accept)
{
    int best_spec[N_CANDIDATES] = { MATCH_NONE };
    int best_q[N_CANDIDATES] = { 0 };
    const char *s = accept;
    int c, winner = 0;

    /* What curl, ab and most libraries send, and no header at all: JSON
     * without parsing (every candidate has q=1 and ties prefer JSON). */
    if (accept == NULL || strcmp(accept, "*/*") == 0) {
        return NOTIMPL_FMT_JSON;
    }
    while (s && *s) {
        span_t type, subtype;
        const char *end;
        int q;

        s = skip_ows(s);
        if (*s == ',') {
            s++;                        /* empty list element: allowed */
            continue;
        }
        if (*s == '\0') {
            break;
        }
        type.s = s;
        s = skip_token(s);
        type.n = (apr_size_t)(s - type.s);
        end = NULL;
        if (type.n > 0 && *s == '/') {
            subtype.s = ++s;
            s = skip_token(s);
            subtype.n = (apr_size_t)(s - subtype.s);
            if (subtype.n > 0) {
                end = parse_params(s, &q);
            }
        }
        if (end == NULL) {
            s = skip_element(s);
            continue;
        }
        s = end;
        /* Of equally specific ranges, the first listed counts. */
        for (c = 0; c < N_CANDIDATES; c++) {
            int spec = match(type, subtype, c);
            if (spec > best_spec[c]) {
                best_spec[c] = spec;
                best_q[c] = q;
            }
        }
    }

    /* A candidate no range matched keeps q=0: not acceptable. */
    for (c = 1; c < N_CANDIDATES; c++) {
        if (best_q[c] > best_q[winner]) {
            winner = c;
        }
    }
    /* Nothing acceptable: SPEC says JSON (candidate 0) rather than 406. */
    return candidates[winner].fmt;
}

/* ------------------------------------------------------------ escaping */

/* APR and httpd have no JSON string escaper.  Client bytes (keep_utf8 0)
 * that are not printable ASCII become \u00XX, one code point per byte, so
 * even invalid UTF-8 gives valid JSON; configuration text (keep_utf8 1)
 * is valid UTF-8 without control characters (checked at start-up), and
 * keeps its bytes.  < > & are escaped so the string is safe inside HTML. */
const char *notimpl_escape_json(apr_pool_t *p, const char *s, int keep_utf8)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *in;
    apr_size_t n = 0;
    char *out, *o;

    if (s == NULL) {
        return "";
    }
#define JSON_KEEP(c) (((c) >= 0x20 && (c) < 0x7f && (c) != '"' && (c) != '\\' \
                       && (c) != '<' && (c) != '>' && (c) != '&') \
                      || ((c) >= 0x80 && keep_utf8))
    for (in = (const unsigned char *)s; *in; in++) {
        n += JSON_KEEP(*in) ? 1 : (*in == '"' || *in == '\\') ? 2 : 6;
    }
    if (n == (apr_size_t)(in - (const unsigned char *)s)) {
        return s;
    }
    o = out = apr_palloc(p, n + 1);
    for (in = (const unsigned char *)s; *in; in++) {
        if (JSON_KEEP(*in)) {
            *o++ = (char)*in;
        }
        else if (*in == '"' || *in == '\\') {
            *o++ = '\\';
            *o++ = (char)*in;
        }
        else {
            memcpy(o, "\\u00", 4);
            o[4] = hex[*in >> 4];
            o[5] = hex[*in & 0x0f];
            o += 6;
        }
    }
    *o = '\0';
    return out;
#undef JSON_KEEP
}

/* APR has no UTF-8 validator: RFC 3629, so no overlong forms, no
 * surrogates, nothing above U+10FFFF. */
int notimpl_utf8_valid(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;

    while (*u) {
        int n, i;
        apr_uint32_t cp;

        if (*u < 0x80) {
            u++;
            continue;
        }
        if (*u >= 0xc2 && *u <= 0xdf) {
            n = 1, cp = *u & 0x1f;
        }
        else if (*u >= 0xe0 && *u <= 0xef) {
            n = 2, cp = *u & 0x0f;
        }
        else if (*u >= 0xf0 && *u <= 0xf4) {
            n = 3, cp = *u & 0x07;
        }
        else {
            return 0;
        }
        for (i = 1; i <= n; i++) {
            if ((u[i] & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (u[i] & 0x3f);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
            || (n == 3 && (cp < 0x10000 || cp > 0x10ffff))) {
            return 0;
        }
        u += n + 1;
    }
    return 1;
}

/* Client bytes in HTML and plain text: every byte that is not printable
 * ASCII as the visible text \xNN (apr_pescape_echo), then, for HTML, the
 * characters with markup meaning as entities. */
static const char *client_text(apr_pool_t *p, const char *s)
{
    return apr_pescape_echo(p, s, 0);
}

static const char *client_html(apr_pool_t *p, const char *s)
{
    return apr_pescape_entity(p, apr_pescape_echo(p, s, 0), 0);
}

/* ------------------------------------------------------------ documents */

/* RFC 9457 §3.1.1: a stable URI naming the problem, one per kind of 501. */
#define TYPE_METHOD "urn:mod-notimpl:method-not-implemented"
#define TYPE_CODING "urn:mod-notimpl:transfer-coding-not-implemented"

#define DETAIL_METHOD "The method "
#define DETAIL_CODING "The transfer coding "
#define DETAIL_END    " is not implemented by this server."

#define MAX_PIECES 16

typedef struct {
    struct iovec v[MAX_PIECES];
    int n;
} pieces_t;

static void put(pieces_t *b, const char *s)
{
    b->v[b->n].iov_base = (void *)s;
    b->v[b->n++].iov_len = strlen(s);
}

/* The implemented methods, each escaped and between open and close. */
static const char *join_implemented(apr_pool_t *p, const notimpl_doc_t *doc,
                                    int html, const char *quote,
                                    const char *sep)
{
    apr_array_header_t *parts = apr_array_make(p, 4 * doc->n_implemented + 1,
                                               sizeof(const char *));
    int i;

    for (i = 0; i < doc->n_implemented; i++) {
        const char *m = doc->implemented[i];
        APR_ARRAY_PUSH(parts, const char *) = i ? sep : "";
        APR_ARRAY_PUSH(parts, const char *) = quote;
        APR_ARRAY_PUSH(parts, const char *) =
            *quote ? notimpl_escape_json(p, m, 1)
                   : html ? apr_pescape_entity(p, m, 0) : m;
        APR_ARRAY_PUSH(parts, const char *) = quote;
    }
    return apr_array_pstrcat(p, parts, 0);
}

/* Both JSON documents: one allocation through apr_pstrcatv, the path
 * every 501 takes. */
static const char *render_json(apr_pool_t *p, const notimpl_doc_t *doc,
                               int problem, apr_size_t *len)
{
    const char *m = notimpl_escape_json(p, doc->method, 0);
    const char *c = doc->transfer_coding
        ? notimpl_escape_json(p, doc->transfer_coding, 0) : NULL;
    pieces_t b;

    b.n = 0;
    if (problem) {
        put(&b, c ? "{\"type\":\"" TYPE_CODING "\","
                  : "{\"type\":\"" TYPE_METHOD "\",");
        put(&b, "\"title\":\"Not Implemented\",\"status\":501,");
    }
    else {
        put(&b, "{\"error\":\"not_implemented\",\"method\":\"");
        put(&b, m);
        put(&b, c ? "\",\"transfer_coding\":\"" : "");
        put(&b, c ? c : "");
        put(&b, "\",");
    }
    put(&b, c ? "\"detail\":\"" DETAIL_CODING : "\"detail\":\"" DETAIL_METHOD);
    put(&b, c ? c : m);
    put(&b, DETAIL_END "\"");
    if (problem) {
        put(&b, ",\"method\":\"");
        put(&b, m);
        put(&b, c ? "\",\"transfer_coding\":\"" : "");
        put(&b, c ? c : "");
        put(&b, "\"");
    }
    if (doc->alternative) {
        put(&b, apr_pstrcat(p, ",\"alternative\":\"",
                            notimpl_escape_json(p, doc->alternative, 1),
                            "\"", NULL));
    }
    if (doc->implemented) {
        put(&b, apr_pstrcat(p, ",\"implemented\":[",
                            join_implemented(p, doc, 0, "\"", ","), "]",
                            NULL));
    }
    put(&b, "}\n");
    return apr_pstrcatv(p, b.v, b.n, len);
}

static const char *render_human(apr_pool_t *p, const notimpl_doc_t *doc,
                                int html)
{
    const char *subject = doc->transfer_coding ? doc->transfer_coding
                                               : doc->method;
    const char *what = doc->transfer_coding ? DETAIL_CODING : DETAIL_METHOD;
    const char *alt = "", *impl = "";
    int listed = doc->implemented != NULL && doc->n_implemented > 0;

    if (!html) {
        if (doc->alternative) {
            alt = apr_pstrcat(p, "Alternative: ", doc->alternative, "\n",
                              NULL);
        }
        if (listed) {
            impl = apr_pstrcat(p, "Implemented methods: ",
                               join_implemented(p, doc, 0, "", ", "), "\n",
                               NULL);
        }
        return apr_pstrcat(p, "501 Not Implemented\n\n", what,
                           client_text(p, subject), DETAIL_END "\n", alt,
                           impl, NULL);
    }
    if (doc->alternative) {
        alt = apr_pstrcat(p, "<p>Alternative: ",
                          apr_pescape_entity(p, doc->alternative, 0),
                          "</p>\n", NULL);
    }
    if (listed) {
        impl = apr_pstrcat(p, "<p>Implemented methods: ",
                           join_implemented(p, doc, 1, "", ", "), ".</p>\n",
                           NULL);
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
                       "<p>", what, "<code>", client_html(p, subject),
                       "</code>" DETAIL_END "</p>\n", alt, impl,
                       "</body>\n"
                       "</html>\n", NULL);
}

const char *notimpl_render(apr_pool_t *p, notimpl_format_e fmt,
                           const notimpl_doc_t *doc, apr_size_t *len)
{
    apr_size_t n;
    const char *body;

    if (fmt == NOTIMPL_FMT_HTML || fmt == NOTIMPL_FMT_TEXT) {
        body = render_human(p, doc, fmt == NOTIMPL_FMT_HTML);
        n = strlen(body);
    }
    else {
        /* AUTO or UNSET would be a caller bug: JSON, as for "nothing
         * acceptable", matching notimpl_format_content_type(). */
        body = render_json(p, doc, fmt == NOTIMPL_FMT_PROBLEM, &n);
    }
    if (len) {
        *len = n;
    }
    return body;
}
