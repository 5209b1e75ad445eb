/* notimpl_negotiate.c — Accept parsing and the choice of error document
 * (see notimpl_negotiate.h).
 *
 * RFC 9110 §12.5.1: each candidate takes the weight of the most specific
 * media range that matches it (a full type/subtype beats a type wildcard,
 * which beats the match-anything range); parameters other than q do not
 * take part in matching.  One pass over
 * the header, no allocation: the header is client input and may be long. */
#include <apr_lib.h>

#include <string.h>

#include "notimpl_negotiate.h"

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

/* RFC 9110 §5.6.2 tchar; explicit so that the locale cannot widen it. */
static int is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')) {
        return 1;
    }
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*':
    case '+': case '-': case '.': case '^': case '_': case '`': case '|':
    case '~':
        return 1;
    default:
        return 0;
    }
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
