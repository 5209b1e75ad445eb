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

/* notimpl_render.h — the error document (docs/behaviour.md "The response"):
 * format names, Accept negotiation, escaping, the four bodies.  Plain strings
 * and a pool in, bytes out.  Two regimes of text: what a client sent (the
 * method, a transfer coding) is hostile, and every byte of it that is not
 * printable ASCII is escaped; what the administrator wrote is UTF-8,
 * checked at start-up, and escaped only as each format requires. */
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

/* The end of the RFC 9110 section 5.6.2 token at s (s itself where none
 * starts), ASCII whatever the locale: ap_scan_http_token() for code that
 * links without httpd. */
const char *notimpl_token_end(const char *s);

/* Whether a scope's format is chosen per request from Accept
 * (NotImplFormat auto, or none set). */
static APR_INLINE int notimpl_format_negotiated(notimpl_format_e fmt)
{
    return fmt == NOTIMPL_FMT_UNSET || fmt == NOTIMPL_FMT_AUTO;
}

/* "auto", "problem", "json", "html", "text" in any case; else UNSET. */
notimpl_format_e notimpl_format_from_name(const char *name);
const char *notimpl_format_name(notimpl_format_e fmt);
/* With charset=utf-8; JSON's for AUTO and UNSET. */
const char *notimpl_format_content_type(notimpl_format_e fmt);

/* A concrete format for any accept, NULL included: JSON when nothing is
 * acceptable, and on ties.  Never allocates. */
notimpl_format_e notimpl_negotiate(const char *accept);

/* JSON string contents without the quotes; bytes >= 0x80 are kept only
 * with keep_utf8 (configuration text).  s itself when nothing needs
 * escaping; NULL gives "". */
const char *notimpl_escape_json(apr_pool_t *p, const char *s, int keep_utf8);

/* 1 when s is valid UTF-8 (RFC 3629). */
int notimpl_utf8_valid(const char *s);

typedef struct {
    const char *method;             /* as received (client bytes) */
    const char *transfer_coding;    /* for a transfer-coding 501, else NULL */
    const char *alternative;        /* NotImplAlternative, or NULL */
    const char *const *implemented; /* allowlist scopes only, else NULL */
    int n_implemented;
} notimpl_doc_t;

/* The body in fmt (JSON for AUTO and UNSET); its length in *len unless
 * len is NULL. */
const char *notimpl_render(apr_pool_t *p, notimpl_format_e fmt,
                           const notimpl_doc_t *doc, apr_size_t *len);

/* A method document split where the method goes: part[0] M part[1],
 * then M part[2] when the format names the method twice (n = 2; the
 * JSON forms), M being the method escaped as fmt requires.  What depends
 * only on the configuration is made once (at start-up for a server
 * scope); filling it per request escapes the client's bytes and copies. */
typedef struct {
    notimpl_format_e fmt;           /* concrete: JSON for AUTO and UNSET */
    int n;
    const char *part[3];
    apr_size_t len[3];
    apr_size_t fixed;               /* len[0] + len[1] + len[2] */
} notimpl_template_t;

/* doc's transfer_coding must be NULL; its method is not read.  lead goes
 * before the document ("\"" for httpd's custom response text, made once
 * here rather than per request). */
void notimpl_template_make(apr_pool_t *p, notimpl_template_t *t,
                           notimpl_format_e fmt, const notimpl_doc_t *doc,
                           const char *lead);
/* The document for method, lead included, after reserve bytes of the
 * same allocation for the caller (a multiple of 8 keeps the document
 * after them aligned as apr_palloc() aligns); its length in *len unless
 * len is NULL. */
char *notimpl_template_fill(apr_pool_t *p, const notimpl_template_t *t,
                            const char *method, apr_size_t reserve,
                            apr_size_t *len);

#endif
