/* notimpl_render.h — the error document: format names, Accept
 * negotiation (SPEC "The response"), escaping, the four bodies.
 *
 * Pure: plain strings and a pool in, bytes out; unit tests and fuzzers
 * call it directly.  Two regimes of text: what a client sent (the
 * method, a transfer coding) is hostile, and every byte that is not
 * printable ASCII is escaped; what the administrator wrote (an
 * alternative) is UTF-8 checked at start-up and reaches every format
 * intact, escaped only as the format requires. */
#ifndef NOTIMPL_RENDER_H
#define NOTIMPL_RENDER_H

#include <apr_pools.h>

typedef enum {
    NOTIMPL_FMT_UNSET = -1,     /* config sentinel: inherit */
    NOTIMPL_FMT_AUTO = 0,       /* negotiate on Accept */
    NOTIMPL_FMT_PROBLEM,        /* application/problem+json (RFC 9457) */
    NOTIMPL_FMT_JSON,           /* application/json */
    NOTIMPL_FMT_HTML,           /* text/html */
    NOTIMPL_FMT_TEXT            /* text/plain */
} notimpl_format_e;

/* "auto", "problem", "json", "html", "text" (any case) -> format;
 * NOTIMPL_FMT_UNSET for anything else. */
notimpl_format_e notimpl_format_from_name(const char *name);
const char *notimpl_format_name(notimpl_format_e fmt);

/* The Content-Type, always with charset=utf-8; JSON's for AUTO. */
const char *notimpl_format_content_type(notimpl_format_e fmt);

/* accept may be NULL.  No Accept, "*" "/" "*", nothing acceptable or a
 * malformed header -> JSON; ties prefer JSON.  Never allocates. */
notimpl_format_e notimpl_negotiate(const char *accept);

/* JSON string contents without the quotes: \" \\, and \u00XX for < > &
 * and control bytes; bytes >= 0x80 too unless keep_utf8 (configuration
 * text, already valid UTF-8).  s itself when nothing needs escaping;
 * NULL escapes to "". */
const char *notimpl_escape_json(apr_pool_t *p, const char *s, int keep_utf8);

/* 1 when s is valid UTF-8 (RFC 3629). */
int notimpl_utf8_valid(const char *s);

typedef struct {
    const char *method;          /* as received (client bytes) */
    const char *transfer_coding; /* set for a transfer-coding 501, else NULL */
    const char *alternative;     /* NotImplAlternative text, or NULL */
    const char *const *implemented; /* allowlist scopes only, else NULL */
    int n_implemented;
} notimpl_doc_t;

/* The body in fmt (JSON for AUTO); *len, when len is not NULL, gets its
 * length. */
const char *notimpl_render(apr_pool_t *p, notimpl_format_e fmt,
                           const notimpl_doc_t *doc, apr_size_t *len);

#endif
