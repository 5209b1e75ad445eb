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

/* notimpl_docs.c — the 501 document a request gets (see notimpl_docs.h):
 * for a server scope, made per format at start-up around the method and
 * shared by hosts that would make the same; per request, the escaped
 * method is filled in and the result set as the custom response. */
#include <stdlib.h>
#include <string.h>
#include "apr_hash.h"
#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_protocol.h"
#include "mod_core.h"

#include "notimpl_config.h"
#include "notimpl_docs.h"

/* Whether core answers TRACE on server s at all (TraceEnable). */
static int trace_enabled(server_rec *s)
{
    core_server_config *core = ap_get_core_module_config(s->module_config);

    return core->trace_enable != AP_TRACE_DISABLE;
}

/* Whether a server scope refuses TRACE itself. */
static int refuses_trace(const notimpl_conf_t *srv)
{
    return srv->policy->engine == NOTIMPL_ENGINE_ON
        && notimpl_set_has(&srv->policy->set, M_TRACE, "TRACE");
}

/* Whether TRACE is served on server s (a directory scope never decides
 * it): an allowlist's document lists TRACE only then. */
static int trace_served(server_rec *s, const notimpl_conf_t *srv)
{
    return trace_enabled(s) && !refuses_trace(srv);
}

/* A server scope's method documents in the formats it answers in, made
 * at start-up (make_docs): without an alternative, and per method that
 * has one. */
struct notimpl_docs {
    notimpl_template_t plain[NOTIMPL_FMT_TEXT + 1];
    apr_hash_t *alt;             /* method -> notimpl_template_t[] */
    /* Which requests may have an alternative: by method number where
     * httpd knows the name, else any other name.  A junk method, the
     * common 501, skips the hash. */
    apr_uint64_t alt_numbers;
    int alt_names;
};

/* httpd's slot for a 501's custom response text. */
static int index_501;
/* The size of httpd's array of those slots, set at start-up: a size the
 * compiler cannot see is cleared by libc's memset several words at a
 * time, not inline a word at a time (832 bytes, on every 501). */
static apr_size_t strings_size;

/* A server scope's method document for this request, behind the '"'
 * that marks custom response text: made at start-up, with only the
 * method to fill in; reserve bytes before it, for the caller.  Its
 * documents are by TraceEnable (notimpl_docs_make()). */
static char *server_document(request_rec *r, const notimpl_conf_t *srv,
                             notimpl_format_e fmt, apr_size_t reserve)
{
    const struct notimpl_docs *docs = srv->docs[trace_enabled(r->server)];
    const notimpl_template_t *t = docs->plain;
    int n = r->method_number;

    if (n != M_INVALID ? (int)((docs->alt_numbers >> n) & 1)
                       : docs->alt_names) {
        const notimpl_template_t *alt = apr_hash_get(docs->alt, r->method,
                                                     APR_HASH_KEY_STRING);
        t = alt ? alt : t;
    }
    return notimpl_template_fill(r->pool, &t[fmt], r->method, reserve, NULL);
}

/* The rest (directory scopes, transfer codings): made whole, for
 * ap_custom_response().  Out of line, so that its frame is not set up
 * for the common 501. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static const char *document(request_rec *r, const notimpl_conf_t *dir,
                            const notimpl_conf_t *srv, notimpl_format_e fmt,
                            const char *coding)
{
    notimpl_doc_t doc = { r->method, coding, NULL, NULL, 0 };
    apr_array_header_t *impl;

    if (!coding) {
        doc.alternative = dir->alternatives ? apr_hash_get(
            dir->alternatives, r->method, APR_HASH_KEY_STRING) : NULL;
        if (doc.alternative == NULL && srv->alternatives) {
            doc.alternative = apr_hash_get(srv->alternatives, r->method,
                                           APR_HASH_KEY_STRING);
        }
        impl = notimpl_set_implemented(r->pool, &dir->policy->set, 0,
                                       trace_served(r->server, srv) ? 0
                                       : NOTIMPL_BIT(M_TRACE),
                                       notimpl_resolver);
        doc.implemented = impl ? (const char *const *)impl->elts : NULL;
        doc.n_implemented = impl ? impl->nelts : 0;
    }
    return notimpl_render(r->pool, fmt, &doc, NULL);
}

/* The formats a server scope answers in: its own, or all four when it
 * negotiates. */
static void make_templates(apr_pool_t *p, notimpl_template_t *t,
                           const notimpl_doc_t *doc, notimpl_format_e fmt)
{
    int f;

    for (f = NOTIMPL_FMT_PROBLEM; f <= NOTIMPL_FMT_TEXT; f++) {
        if (notimpl_format_negotiated(fmt) || f == (int)fmt) {
            notimpl_template_make(p, &t[f], (notimpl_format_e)f, doc, "\"");
        }
    }
}

/* What a server scope's documents depend on, in words: its implemented
 * methods (an allowlist's set, TRACE left out where it is not served),
 * its formats and its alternatives (in method order). */
static const char *docs_key(apr_pool_t *p, const notimpl_conf_t *c, int trace)
{
    const notimpl_set_t *set = &c->policy->set;
    int allowlist = set->allowlist == 1;
    apr_array_header_t *alt = apr_array_make(p, 4, sizeof(char *));
    apr_hash_index_t *hi;

    for (hi = c->alternatives ? apr_hash_first(p, c->alternatives) : NULL;
         hi; hi = apr_hash_next(hi)) {
        const void *method;
        void *text;

        apr_hash_this(hi, &method, NULL, &text);
        APR_ARRAY_PUSH(alt, const char *) =
            apr_pstrcat(p, "\n", method, " ", text, NULL);
    }
    qsort(alt->elts, alt->nelts, sizeof(char *), notimpl_by_string);
    return apr_psprintf(p, "%" APR_UINT64_T_HEX_FMT " %pp %d %d %d%s",
                        allowlist ? set->bits : 0,
                        allowlist ? (const void *)set->names : NULL,
                        allowlist ? set->n_names : -1, allowlist && trace,
                        notimpl_format_negotiated(c->format) ? -1 : (int)c->format,
                        apr_array_pstrcat(p, alt, 0));
}

static struct notimpl_docs *new_docs(apr_pool_t *p, apr_pool_t *ptemp,
                                     const notimpl_conf_t *c, int trace)
{
    struct notimpl_docs *docs;
    notimpl_doc_t doc = { NULL, NULL, NULL, NULL, 0 };
    apr_array_header_t *impl;
    apr_hash_index_t *hi;
    int n;

    docs = apr_pcalloc(p, sizeof(*docs));
    impl = notimpl_set_implemented(ptemp, &c->policy->set, 0,
                                   trace ? 0 : NOTIMPL_BIT(M_TRACE),
                                   notimpl_resolver);
    doc.implemented = impl ? (const char *const *)impl->elts : NULL;
    doc.n_implemented = impl ? impl->nelts : 0;
    make_templates(p, docs->plain, &doc, c->format);
    if (c->alternatives) {
        docs->alt = apr_hash_make(p);
        for (hi = apr_hash_first(ptemp, c->alternatives); hi;
             hi = apr_hash_next(hi)) {
            const void *method;
            void *text;
            notimpl_template_t *t = apr_pcalloc(p, sizeof(docs->plain));

            apr_hash_this(hi, &method, NULL, &text);
            doc.alternative = text;
            make_templates(p, t, &doc, c->format);
            apr_hash_set(docs->alt, method, APR_HASH_KEY_STRING, t);
            n = ap_method_number_of(method);
            if (n != M_INVALID) {
                docs->alt_numbers |= NOTIMPL_BIT(n);
            }
            else {
                docs->alt_names = 1;
            }
        }
    }
    return docs;
}

/* Hosts whose documents would read the same share one copy (made:
 * docs_key() -> docs). */
static const struct notimpl_docs *make_docs(apr_pool_t *p, apr_pool_t *ptemp,
                                            const notimpl_conf_t *c,
                                            int trace, apr_hash_t *made)
{
    const char *key = docs_key(ptemp, c, trace);
    const struct notimpl_docs *docs = apr_hash_get(made, key,
                                                   APR_HASH_KEY_STRING);

    if (docs == NULL) {
        docs = new_docs(p, ptemp, c, trace);
        apr_hash_set(made, key, APR_HASH_KEY_STRING, docs);
    }
    return docs;
}

void *notimpl_docs_respond(request_rec *r, const notimpl_conf_t *dir,
                           const notimpl_conf_t *srv, notimpl_format_e fmt,
                           const char *coding, apr_size_t extra)
{
    core_request_config *conf;
    apr_size_t strings, reserve;
    char *text;

    if (ap_response_code_string(r, index_501) != NULL) {
        return NULL;
    }
    if (coding || dir) {
        /* A document starts with '{', '<' or a digit: httpd marks it as
         * text, never taking it for a URL or a path. */
        ap_custom_response(r, HTTP_NOT_IMPLEMENTED,
                           document(r, dir, srv, fmt, coding));
        return apr_pcalloc(r->pool, extra);
    }
    /* Nearly every 501: what ap_custom_response() does, without copying
     * the document again (its template starts with the '"' that marks
     * text): the caller's bytes and httpd's array of custom responses
     * (where none is yet), zeroed at once, then the document, in one
     * allocation. */
    conf = ap_get_core_module_config(r->request_config);
    strings = conf->response_code_strings ? 0 : strings_size;
    reserve = APR_ALIGN_DEFAULT(extra) + strings;
    text = server_document(r, srv, fmt, reserve);
    memset(text - reserve, 0, reserve);
    if (strings) {
        conf->response_code_strings = (char **)(text - strings);
    }
    conf->response_code_strings[index_501] = text;
    return text - reserve;
}

void notimpl_docs_make(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *s)
{
    apr_hash_t *made = apr_hash_make(ptemp);
    server_rec *v;

    index_501 = ap_index_of_response(HTTP_NOT_IMPLEMENTED);
    strings_size = sizeof(char *) * RESPONSE_CODES;
    for (v = s; v; v = v->next) {
        notimpl_conf_t *c = ap_get_module_config(v->module_config,
                                                 &notimpl_module);
        /* By TraceEnable, so that a request looks up no more: a scope
         * that refuses TRACE has the same documents either way. */
        int on = trace_enabled(v);

        if (c->docs[on] == NULL) {
            c->docs[on] = make_docs(pconf, ptemp, c, on && !refuses_trace(c),
                                    made);
        }
    }
}
