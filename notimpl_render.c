/* Copyright 2026 mod_notimpl developers
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/* notimpl_render.c — the response's pure half: format names, Accept
 * negotiation, the JSON escaper and the four documents.  The wire format
 * is public interface (docs/behaviour.md): member names, their order and the
 * sentences are fixed.  Pure APR and libc, so that unit tests and fuzzers
 * link it without httpd: httpd's ap_* helpers are out of reach here. */
#include <string.h>
#include <apr_cstr.h>
#include <apr_escape.h>
#include <apr_lib.h>
#include <apr_strings.h>

#include "notimpl_render.h"

/* Indexed by notimpl_format_e.  AUTO is served as JSON, which is what
 * notimpl_render() writes for it: header and body agree. */
#define FORMAT(name, type) \
    { name, type, type "; charset=utf-8", sizeof(type) - 1 }
static const struct {
    const char *name, *type, *content_type;
    apr_size_t type_len;
} formats[] = {
    FORMAT("auto", "application/json"),
    FORMAT("problem", "application/problem+json"),
    FORMAT("json", "application/json"),
    FORMAT("html", "text/html"),
    FORMAT("text", "text/plain"),
};

static int is_format(notimpl_format_e fmt)
{
    return fmt >= NOTIMPL_FMT_AUTO && fmt <= NOTIMPL_FMT_TEXT;
}

notimpl_format_e notimpl_format_from_name(const char *name)
{
    int f;

    for (f = NOTIMPL_FMT_AUTO; name && f <= NOTIMPL_FMT_TEXT; f++) {
        if (apr_cstr_casecmp(name, formats[f].name) == 0) {
            return (notimpl_format_e)f;
        }
    }
    return NOTIMPL_FMT_UNSET;
}

const char *notimpl_format_name(notimpl_format_e fmt)
{
    return formats[is_format(fmt) ? fmt : NOTIMPL_FMT_AUTO].name;
}

const char *notimpl_format_content_type(notimpl_format_e fmt)
{
    return formats[is_format(fmt) ? fmt : NOTIMPL_FMT_AUTO].content_type;
}

/* ------------------------------------------------------------ negotiation
 *
 * RFC 9110 §12.5.1: each candidate takes the weight of the most specific
 * media range that matches it; parameters other than q take no part.
 * One pass over the header, no allocation: it is client input. */

/* In tie-break order: docs/behaviour.md "The response", then the other
 * machine-readable form before the human ones. */
static const notimpl_format_e candidates[] = {
    NOTIMPL_FMT_JSON, NOTIMPL_FMT_PROBLEM, NOTIMPL_FMT_HTML, NOTIMPL_FMT_TEXT
};
#define N_CANDIDATES (sizeof(candidates) / sizeof(candidates[0]))

/* The end of the RFC 9110 §5.6.2 token at s, ASCII whatever the locale
 * (ap_scan_http_token is httpd's). */
#define TCHAR_BIT(c) (1ULL << ((c) & 63))
static const apr_uint64_t tchars[2] = {
    0x03ff000000000000ULL | TCHAR_BIT('!') | TCHAR_BIT('#') | TCHAR_BIT('$')
        | TCHAR_BIT('%') | TCHAR_BIT('&') | TCHAR_BIT('\'') | TCHAR_BIT('*')
        | TCHAR_BIT('+') | TCHAR_BIT('-') | TCHAR_BIT('.'),
    0x07fffffe07fffffeULL | TCHAR_BIT('^') | TCHAR_BIT('_') | TCHAR_BIT('`')
        | TCHAR_BIT('|') | TCHAR_BIT('~')
};

const char *notimpl_token_end(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;

    while (*u < 0x80 && (tchars[*u >> 6] >> (*u & 63)) & 1) {
        u++;
    }
    return (const char *)u;
}

/* Past the quoted-string that opens at s.  An unterminated one runs to
 * the end of the header, as a recipient reading a quoted-string would. */
static const char *quoted(const char *s)
{
    for (s++; *s && *s != '"'; s++) {
        if (*s == '\\' && s[1]) {
            s++;
        }
    }
    return *s ? s + 1 : s;
}

/* 1 when the span s..e is word, ASCII case-insensitively. */
static int is(const char *s, const char *e, const char *word)
{
    return (apr_size_t)(e - s) == strlen(word)
           && apr_cstr_casecmpn(s, word, e - s) == 0;
}

/* RFC 9110 §12.4.2 qvalue s..e, in thousandths; -1 when it is not one. */
static int qvalue(const char *s, const char *e)
{
    apr_size_t n = e - s, i;
    int q, scale = 100;

    if (n == 0 || n > 5 || (*s != '0' && *s != '1')
        || (n > 1 && s[1] != '.')) {
        return -1;
    }
    q = (*s - '0') * 1000;
    for (i = 2; i < n; i++, scale /= 10) {
        if (!apr_isdigit(s[i])) {
            return -1;
        }
        q += (s[i] - '0') * scale;
    }
    return q <= 1000 ? q : -1;
}

/* The weight the parameters at s give their range (1000 without a q), or
 * -1 when they are malformed; *end is the last place read outside a
 * quoted string.  An invalid q (q=2, q=abc, q=0.0001, q=, q="1") makes
 * the whole range malformed: a guessed weight could let garbage outrank
 * what the client wrote correctly.  Only the first q is the weight;
 * anything after it is an accept-ext (RFC 7231). */
static int params_weight(const char *s, const char **end)
{
    int q = 1000, seen_q = 0;

    for (;;) {
        const char *name, *value;

        s += strspn(s, " \t");
        *end = s;
        if (*s != ';') {
            return (*s == '\0' || *s == ',') ? q : -1;
        }
        s += 1 + strspn(s + 1, " \t");
        name = s;
        s = notimpl_token_end(s);
        if (s == name && (*s == '\0' || *s == ';' || *s == ',')) {
            continue;                   /* empty parameter: allowed */
        }
        if (s == name || *s != '=') {
            return -1;
        }
        value = s + 1;
        s = (*value == '"') ? quoted(value) : notimpl_token_end(value);
        if (!seen_q && value == name + 2 && apr_tolower(*name) == 'q') {
            seen_q = 1;
            if ((q = qvalue(value, s)) < 0) {
                return -1;
            }
        }
    }
}

/* How specifically the range type/sub..end names media type mt: 3
 * exactly, 2 by its type and a wildcard subtype, 1 as the match-anything
 * range, 0 not at all. */
static int specificity(const char *type, const char *sub, const char *end,
                       const char *mt)
{
    if (is(type, end, "*/*")) {
        return 1;
    }
    if (apr_cstr_casecmpn(type, mt, sub - type) != 0) {
        return 0;
    }
    return is(sub, end, "*") ? 2 : is(type, end, mt) ? 3 : 0;
}

/* The whole header, range by range.  Out of line: its frame is not set
 * up for what nearly every client sends (notimpl_negotiate()). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static notimpl_format_e negotiate_ranges(const char *s)
{
    int spec[N_CANDIDATES] = { 0 }, weight[N_CANDIDATES] = { 0 };
    apr_size_t c, best = 0;

    while (*s) {
        const char *type = s + strspn(s, " \t,"), *sub = notimpl_token_end(type);
        const char *end = sub;
        int q = -1;

        if (sub > type && *sub == '/') {
            end = notimpl_token_end(++sub);
        }
        s = end;
        if (end > sub) {
            q = params_weight(end, &s);
        }
        /* Past a malformed range to the next element, taking no comma
         * inside a quoted parameter value for the element's end. */
        while (*s && *s != ',') {
            s = (*s == '"') ? quoted(s) : s + 1;
        }
        /* Of equally specific ranges, the first listed counts. */
        for (c = 0; q >= 0 && c < N_CANDIDATES; c++) {
            int m = specificity(type, sub, end,
                                formats[candidates[c]].type);
            if (m > spec[c]) {
                spec[c] = m;
                weight[c] = q;
            }
        }
    }
    /* A candidate no range matched keeps weight 0: not acceptable.  With
     * nothing acceptable, docs/behaviour.md says JSON (candidate 0) rather
     * than 406. */
    for (c = 1; c < N_CANDIDATES; c++) {
        if (weight[c] > weight[best]) {
            best = c;
        }
    }
    return candidates[best];
}

notimpl_format_e notimpl_negotiate(const char *accept)
{
    apr_size_t c, len;

    /* No Accept: anything, so JSON (docs/behaviour.md "The response"). */
    if (accept == NULL) {
        return NOTIMPL_FMT_JSON;
    }
    /* What curl, ab and most libraries send: JSON without parsing (every
     * candidate has q=1, and ties prefer JSON). */
    if (accept[0] == '*' && accept[1] == '/' && accept[2] == '*'
        && !accept[3]) {
        return NOTIMPL_FMT_JSON;
    }
    /* What API clients send: one candidate's media type alone.  The
     * four types differ in length, so at most one is compared. */
    len = strlen(accept);
    for (c = 0; c < N_CANDIDATES; c++) {
        notimpl_format_e f = candidates[c];

        if (len == formats[f].type_len) {
            /* Sent as registered, in lower case, mostly: strcmp first. */
            return strcmp(accept, formats[f].type) == 0
                   || apr_cstr_casecmp(accept, formats[f].type) == 0
                   ? f : negotiate_ranges(accept);
        }
    }
    return negotiate_ranges(accept);
}

/* ------------------------------------------------------------ escaping */

/* Configuration text (keep_utf8) is valid UTF-8 without control
 * characters, checked at start-up, and keeps its bytes.  Client bytes
 * that are not printable ASCII become \u00XX, one code point per byte, so
 * even invalid UTF-8 gives valid JSON.  < > & are escaped so the string
 * is safe inside HTML too. */
static APR_INLINE int json_keeps(unsigned char c, int keep_utf8)
{
    return (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '<'
            && c != '>' && c != '&') || (c >= 0x80 && keep_utf8);
}

/* APR and httpd have no JSON string escaper. */
const char *notimpl_escape_json(apr_pool_t *p, const char *s, int keep_utf8)
{
    const unsigned char *in;
    apr_size_t n = 0;
    char *out, *o;

    if (s == NULL) {
        return "";
    }
    for (in = (const unsigned char *)s; *in; in++) {
        n += json_keeps(*in, keep_utf8) ? 1
             : (*in == '"' || *in == '\\') ? 2 : 6;
    }
    if (n == (apr_size_t)(in - (const unsigned char *)s)) {
        return s;
    }
    o = out = apr_palloc(p, n + 1);
    for (in = (const unsigned char *)s; *in; in++) {
        if (json_keeps(*in, keep_utf8)) {
            *o++ = (char)*in;
        }
        else if (*in == '"' || *in == '\\') {
            *o++ = '\\';
            *o++ = (char)*in;
        }
        else {
            memcpy(o, "\\u00", 4);
            apr_escape_hex(o + 4, in, 1, 0, NULL);
            o += 6;
        }
    }
    *o = '\0';
    return out;
}

/* APR has no UTF-8 validator: RFC 3629, so no overlong forms, no
 * surrogates, nothing above U+10FFFF. */
int notimpl_utf8_valid(const char *s)
{
    /* The least code point that needs a lead byte and n more. */
    static const apr_uint32_t least[] = { 0, 0x80, 0x800, 0x10000 };
    const unsigned char *u = (const unsigned char *)s;

    while (*u) {
        int n, i;
        apr_uint32_t cp;

        /* The bytes that follow the lead byte; -1 when *u cannot lead. */
        n = *u < 0x80 ? 0 : *u < 0xc0 ? -1 : *u < 0xe0 ? 1
            : *u < 0xf0 ? 2 : *u < 0xf8 ? 3 : -1;
        if (n < 0) {
            return 0;
        }
        for (cp = *u & (0x7f >> n), i = 1; i <= n; i++) {
            if ((u[i] & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (u[i] & 0x3f);
        }
        if (cp < least[n] || cp > 0x10ffff
            || (cp >= 0xd800 && cp <= 0xdfff)) {
            return 0;
        }
        u += n + 1;
    }
    return 1;
}

/* ------------------------------------------------------------ documents */

/* RFC 9457 §3.1.1: a stable URI naming the problem, one per kind of 501. */
#define TYPE_METHOD "urn:mod-notimpl:method-not-implemented"
#define TYPE_CODING "urn:mod-notimpl:transfer-coding-not-implemented"
#define DETAIL_END  " is not implemented by this server."
#define PROBLEM_HEAD(type) "{\"type\":\"" type "\",\"title\":\"Not " \
    "Implemented\",\"status\":501,\"detail\":\""
#define HTML_HEAD "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n" \
    "<meta charset=\"utf-8\">\n<title>501 Not Implemented</title>\n" \
    "</head>\n<body>\n<h1>Not Implemented</h1>\n"
#define HTML_TAIL "</body>\n</html>\n"

/* before s after, or "" without s: an optional member or line. */
static const char *opt(apr_pool_t *p, const char *before, const char *s,
                       const char *after)
{
    return s ? apr_pstrcat(p, before, s, after, NULL) : "";
}

/* Configuration text as fmt requires: kept in text, entities in HTML,
 * a JSON string keeping its UTF-8 otherwise.  NULL stays NULL. */
static const char *conf_text(apr_pool_t *p, const char *s,
                             notimpl_format_e fmt)
{
    if (s == NULL || fmt == NOTIMPL_FMT_TEXT) {
        return s;
    }
    return fmt == NOTIMPL_FMT_HTML ? apr_pescape_entity(p, s, 0)
                                   : notimpl_escape_json(p, s, 1);
}

/* The implemented methods as fmt lists them.  NULL without a list, and
 * in HTML and text for an empty one too: no sentence listing nothing. */
static const char *implemented(apr_pool_t *p, const notimpl_doc_t *doc,
                               notimpl_format_e fmt)
{
    int json = fmt != NOTIMPL_FMT_HTML && fmt != NOTIMPL_FMT_TEXT, i;
    apr_array_header_t *a;

    if (!doc->implemented || (!json && doc->n_implemented <= 0)) {
        return NULL;
    }
    a = apr_array_make(p, 4 * doc->n_implemented + 1, sizeof(const char *));
    for (i = 0; i < doc->n_implemented; i++) {
        APR_ARRAY_PUSH(a, const char *) = i == 0 ? "" : json ? "," : ", ";
        APR_ARRAY_PUSH(a, const char *) = json ? "\"" : "";
        APR_ARRAY_PUSH(a, const char *) =
            conf_text(p, doc->implemented[i], fmt);
        APR_ARRAY_PUSH(a, const char *) = json ? "\"" : "";
    }
    return apr_array_pstrcat(p, a, 0);
}

/* 1 for the bytes no format escapes (every byte of "BREW"): printable
 * ASCII but " & ' < > and backslash.  A byte table: a method name is
 * read on every 501, one lookup per byte. */
static const unsigned char plain[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,     /* 0x00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,     /* 0x10 */
    1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,     /* 0x20 " & ' */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1,     /* 0x30 < > */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,     /* 0x40 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,     /* 0x50 \ */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,     /* 0x60 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,     /* 0x70 DEL */
    /* 0x80 to 0xff: 0 */
};

/* Client bytes that need escaping, as fmt shows them: a JSON string's
 * contents, or visible text (all but printable ASCII as \xNN), as HTML
 * entities in HTML.  Out of line: rare. */
static const char *escaped_text(apr_pool_t *p, const char *s,
                                notimpl_format_e fmt)
{
    if (fmt != NOTIMPL_FMT_HTML && fmt != NOTIMPL_FMT_TEXT) {
        return notimpl_escape_json(p, s, 0);
    }
    s = apr_pescape_echo(p, s, 0);
    return fmt == NOTIMPL_FMT_HTML ? apr_pescape_entity(p, s, 0) : s;
}

/* Client bytes as fmt shows them, and their length in *len.  A method
 * name is nearly always plain: one pass, no copy. */
static APR_INLINE const char *client_text(apr_pool_t *p, const char *s,
                                          notimpl_format_e fmt,
                                          apr_size_t *len)
{
    const unsigned char *u = (const unsigned char *)s;

    while (plain[*u]) {
        u++;
    }
    if (*u != '\0') {
        s = escaped_text(p, s, fmt);
        u = (const unsigned char *)s + strlen(s);
    }
    *len = (apr_size_t)(u - (const unsigned char *)s);
    return s;
}

void notimpl_template_make(apr_pool_t *p, notimpl_template_t *t,
                           notimpl_format_e fmt, const notimpl_doc_t *doc,
                           const char *lead)
{
    const char *alt = conf_text(p, doc->alternative, fmt);
    const char *impl = implemented(p, doc, fmt);
    int i;

    t->n = 1;
    t->part[2] = "";
    if (fmt == NOTIMPL_FMT_TEXT) {
        t->fmt = fmt;
        t->part[0] = "501 Not Implemented\n\nThe method ";
        t->part[1] = apr_pstrcat(p, DETAIL_END "\n",
                                 opt(p, "Alternative: ", alt, "\n"),
                                 opt(p, "Implemented methods: ", impl, "\n"),
                                 NULL);
    }
    else if (fmt == NOTIMPL_FMT_HTML) {
        t->fmt = fmt;
        t->part[0] = HTML_HEAD "<p>The method <code>";
        t->part[1] = apr_pstrcat(p, "</code>" DETAIL_END "</p>\n",
                                 opt(p, "<p>Alternative: ", alt, "</p>\n"),
                                 opt(p, "<p>Implemented methods: ", impl,
                                     ".</p>\n"), HTML_TAIL, NULL);
    }
    else {
        /* AUTO or UNSET would be a caller bug: JSON, as for "nothing
         * acceptable", matching notimpl_format_content_type(). */
        const char *tail = apr_pstrcat(p,
            opt(p, ",\"alternative\":\"", alt, "\""),
            opt(p, ",\"implemented\":[", impl, "]"), "}\n", NULL);

        t->fmt = fmt == NOTIMPL_FMT_PROBLEM ? fmt : NOTIMPL_FMT_JSON;
        t->n = 2;
        if (fmt == NOTIMPL_FMT_PROBLEM) {
            t->part[0] = PROBLEM_HEAD(TYPE_METHOD) "The method ";
            t->part[1] = DETAIL_END "\",\"method\":\"";
            t->part[2] = apr_pstrcat(p, "\"", tail, NULL);
        }
        else {
            t->part[0] = "{\"error\":\"not_implemented\",\"method\":\"";
            t->part[1] = "\",\"detail\":\"The method ";
            t->part[2] = apr_pstrcat(p, DETAIL_END "\"", tail, NULL);
        }
    }
    if (*lead) {
        t->part[0] = apr_pstrcat(p, lead, t->part[0], NULL);
    }
    t->fixed = 0;
    for (i = 0; i < 3; i++) {
        t->len[i] = strlen(t->part[i]);
        t->fixed += t->len[i];
    }
}

char *notimpl_template_fill(apr_pool_t *p, const notimpl_template_t *t,
                            const char *method, apr_size_t reserve,
                            apr_size_t *len)
{
    apr_size_t mlen;
    const char *m = client_text(p, method, t->fmt, &mlen);
    char *out = (char *)apr_palloc(p, reserve + t->fixed + t->n * mlen + 1)
                + reserve, *o = out;

    /* One allocation, and each piece's length known: the path of nearly
     * every 501. */
    memcpy(o, t->part[0], t->len[0]);
    o += t->len[0];
    memcpy(o, m, mlen);
    o += mlen;
    memcpy(o, t->part[1], t->len[1]);
    o += t->len[1];
    if (t->n == 2) {
        memcpy(o, m, mlen);
        o += mlen;
        memcpy(o, t->part[2], t->len[2]);
        o += t->len[2];
    }
    *o = '\0';
    if (len) {
        *len = (apr_size_t)(o - out);
    }
    return out;
}

const char *notimpl_render(apr_pool_t *p, notimpl_format_e fmt,
                           const notimpl_doc_t *doc, apr_size_t *len)
{
    const char *coding = doc->transfer_coding;
    const char *alt = conf_text(p, doc->alternative, fmt);
    const char *impl = implemented(p, doc, fmt);
    const char *subject, *body;
    notimpl_template_t t;

    if (coding == NULL) {
        notimpl_template_make(p, &t, fmt, doc, "");
        return notimpl_template_fill(p, &t, doc->method, 0, len);
    }
    /* A transfer coding: rare, so made whole here. */
    if (fmt != NOTIMPL_FMT_HTML && fmt != NOTIMPL_FMT_TEXT) {
        const char *m = notimpl_escape_json(p, doc->method, 0);
        const char *c = notimpl_escape_json(p, coding, 0);

        alt = opt(p, ",\"alternative\":\"", alt, "\"");
        impl = opt(p, ",\"implemented\":[", impl, "]");
        if (fmt == NOTIMPL_FMT_PROBLEM) {
            body = apr_pstrcat(p, PROBLEM_HEAD(TYPE_CODING),
                               "The transfer coding ", c,
                               DETAIL_END "\",\"method\":\"", m,
                               "\",\"transfer_coding\":\"", c, "\"", alt,
                               impl, "}\n", NULL);
        }
        else {
            body = apr_pstrcat(p, "{\"error\":\"not_implemented\","
                               "\"method\":\"", m, "\",\"transfer_coding\":\"",
                               c, "\",\"detail\":\"The transfer coding ", c,
                               DETAIL_END "\"", alt, impl, "}\n", NULL);
        }
    }
    else {
        apr_size_t n;

        subject = client_text(p, coding, fmt, &n);
        if (fmt == NOTIMPL_FMT_TEXT) {
            body = apr_pstrcat(p, "501 Not Implemented\n\nThe transfer "
                               "coding ", subject, DETAIL_END "\n",
                               opt(p, "Alternative: ", alt, "\n"),
                               opt(p, "Implemented methods: ", impl, "\n"),
                               NULL);
        }
        else {
            body = apr_pstrcat(p, HTML_HEAD "<p>The transfer coding <code>",
                               subject, "</code>" DETAIL_END "</p>\n",
                               opt(p, "<p>Alternative: ", alt, "</p>\n"),
                               opt(p, "<p>Implemented methods: ", impl,
                                   ".</p>\n"), HTML_TAIL, NULL);
        }
    }
    if (len) {
        *len = strlen(body);
    }
    return body;
}
