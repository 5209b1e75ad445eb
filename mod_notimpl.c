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

/* mod_notimpl.c — answer 501 Not Implemented, RFC-exact, for the methods
 * a server does not implement; leave 405 to httpd's Allow machinery.
 *
 *   mod_notimpl.c       the map: module record, directives, hooks, filters
 *   notimpl_config.c    scopes as written, create/merge, compiling
 *   notimpl_directives.c  the directive parsers, their checks and messages
 *   notimpl_typos.c     NI0010: words that look like typos, said out loud
 *   notimpl_docs.c      the 501 documents: made at start-up, filled per request
 *   notimpl_dump.c      -D DUMP_NOTIMPL: the effective policies, and notes
 *   notimpl_policy.c    method sets and groups, stacking, codings, Allow
 *   notimpl_render.c    Accept negotiation, escaping, the four documents
 *   notimpl_counters.c  the demand counters' block: slots, adds, snapshots
 *   notimpl_report.c    the counters' documents: JSON, Prometheus, mod_status
 *   notimpl_status.c    the counters in httpd: shared memory, names, handler */
#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "mod_core.h"
#include "mod_status.h"

#include "notimpl_config.h"
#include "notimpl_docs.h"
#include "notimpl_status.h"

#if !AP_MODULE_MAGIC_AT_LEAST(20120211, 67)
#error "mod_notimpl needs httpd 2.4.25 or later (ap_scan_http_token)"
#endif
#if M_GET != NOTIMPL_M_GET || M_INVALID != NOTIMPL_M_INVALID \
    || METHODS != NOTIMPL_METHODS
#error "httpd's method numbering differs from notimpl_policy.h"
#endif

#define SCOPES (RSRC_CONF | ACCESS_CONF | OR_LIMIT)

static const command_rec notimpl_cmds[] = {
    AP_INIT_TAKE1("NotImplEngine", notimpl_cmd_engine, NULL, SCOPES,
                  "On|Off|ReportOnly: whether this scope answers 501s, or "
                  "only counts and logs what it would refuse"),
    AP_INIT_RAW_ARGS("NotImplMethods", notimpl_cmd_methods, NULL, SCOPES,
                     "[+|-]method or group (unknown, webdav, deltav, auto) "
                     "...: the methods not implemented"),
    AP_INIT_RAW_ARGS("NotImplImplemented", notimpl_cmd_methods, "allowlist",
                     SCOPES, "method ...: the only methods implemented (GET "
                     "and HEAD always are)"),
    AP_INIT_RAW_ARGS("NotImplRegister", notimpl_cmd_register, NULL, RSRC_CONF,
                     "method ...: register extension methods with httpd"),
    AP_INIT_TAKE1("NotImplFormat", notimpl_cmd_format, NULL, SCOPES,
                  "auto|problem|json|html|text: the error document format"),
    AP_INIT_RAW_ARGS("NotImplCacheControl", notimpl_cmd_cache_control, NULL,
                     SCOPES, "Cache-Control value for 501s, or none"),
    AP_INIT_RAW_ARGS("NotImplAlternative", notimpl_cmd_alternative, NULL,
                     SCOPES, "method \"text\": the supported alternative"),
    AP_INIT_FLAG("NotImplTransferCodings", notimpl_cmd_transfer_codings, NULL,
                 RSRC_CONF, "On|Off: 501 for transfer codings other than "
                 "chunked"),
    { NULL, { NULL }, NULL, 0, RAW_ARGS, NULL }
};

/* What this request's decision left for later phases and redirects. */
typedef struct {
    const char *content_type;    /* the module's document, or NULL */
    const char *cache_control;   /* ... its Cache-Control, or NULL */
    int vary;                    /* ... negotiated: Vary: Accept */
    int refused;                 /* a real 501, not a report */
    int reported;                /* on the chain's first request: would */
    notimpl_count_ref_t would;   /* refuse, counted by count_would */
} decision_t;

static ap_filter_rec_t *error_filter;
static ap_filter_rec_t *allow_filter;

static const notimpl_conf_t *server_conf(const request_rec *r)
{
    return ap_get_module_config(r->server->module_config, &notimpl_module);
}

static const notimpl_conf_t *dir_conf(const request_rec *r)
{
    notimpl_conf_t *dir = ap_get_module_config(r->per_dir_config,
                                               &notimpl_module);

    if (dir && dir->pending) {
        notimpl_conf_ready(dir);
    }
    return dir && dir->policy ? dir : NULL;
}

/* A directory scope without an engine of its own has the server's (so a
 * server in ReportOnly reports for its directories too). */
static notimpl_engine_e engine_of(const notimpl_conf_t *dir,
                                  const notimpl_conf_t *srv)
{
    return dir && dir->policy->engine != NOTIMPL_ENGINE_UNSET
        ? dir->policy->engine : srv->policy->engine;
}

/* Once per request, as httpd frees the chain's pool: a would-refuse
 * counts as served or refused by the status of the chain's last request,
 * mod_log_config's %>s, so a connection dropped before the answer counts
 * as what httpd logged.  httpd logs the request from a pre-cleanup of
 * the same pool (its EOR bucket's), and pre-cleanups run before every
 * cleanup: the line is written, then the count.  A cleanup on the rare
 * ReportOnly path, not a log_transaction hook that every request would
 * pass through. */
static apr_status_t count_would(void *data)
{
    const request_rec *first = data, *last = first;
    const decision_t *d = ap_get_module_config(first->request_config,
                                               &notimpl_module);

    while (last->next) {
        last = last->next;
    }
    notimpl_status_count(&d->would, last->status < 400
                         ? NOTIMPL_WOULD_SERVED : NOTIMPL_WOULD_REFUSED);
    return APR_SUCCESS;
}

/* A would-refuse counts once per request, by the final answer of its
 * internal-redirect chain (docs/observability.md): noted here on the
 * chain's first request, whose pool the chain shares, counted by
 * count_would. */
static void would_refuse(request_rec *r, const char *coding)
{
    request_rec *first = r;
    decision_t *d;

    while (first->prev) {
        first = first->prev;
    }
    d = ap_get_module_config(first->request_config, &notimpl_module);
    if (d == NULL) {
        d = apr_pcalloc(first->pool, sizeof(*d));
        ap_set_module_config(first->request_config, &notimpl_module, d);
    }
    if (!d->reported) {
        d->reported = 1;
        notimpl_status_ref(r->method_number, r->method, coding, &d->would);
        apr_pool_cleanup_register(first->pool, first, count_would,
                                  apr_pool_cleanup_null);
    }
}

/* Whether an earlier decision stops this one: a refusal is final for
 * the request and for the chain of internal redirects that serves it
 * (ErrorDocument 501, mod_actions), as deciding again would refuse the
 * error document itself.  A report is not: a later scope that is On
 * refuses as if it had been asked directly (a mod_rewrite [PT] into
 * it, say); a report after one is not counted twice. */
static int decided(const request_rec *r, const decision_t *d, int report)
{
    const request_rec *prev;

    if (d && (report || d->refused)) {
        return 1;
    }
    for (prev = r->prev; prev; prev = prev->prev) {
        const decision_t *pd = ap_get_module_config(prev->request_config,
                                                    &notimpl_module);
        if (pd && (pd->refused || report)) {
            return 1;
        }
    }
    return 0;
}

/* A scope does not implement the method (or coding, when not NULL): a
 * 501 under On, a note under ReportOnly.  For a directory scope, first
 * whether it does not.  The rare path: it may allocate. */
static int decide(request_rec *r, const notimpl_conf_t *srv,
                  const notimpl_conf_t *dir, const char *coding)
{
    notimpl_engine_e engine = engine_of(dir, srv);
    int report = engine == NOTIMPL_ENGINE_REPORT;
    const char *scope = dir ? "directory" : "server";
    decision_t *d = ap_get_module_config(r->request_config, &notimpl_module);
    decision_t *fresh;
    notimpl_format_e fmt;
    const char *cc;
    int negotiated;

    if ((dir && !notimpl_set_has(&dir->policy->set, r->method_number,
                                 r->method))
        || engine == NOTIMPL_ENGINE_OFF || decided(r, d, report)) {
        return DECLINED;
    }
    apr_table_setn(r->subprocess_env, "NOTIMPL", report ? "report" : scope);
    /* info, never higher: a flood of junk must not fill the disk.  httpd
     * escapes the message for the error log itself.  The counts are the
     * server's; this line names the virtual host. */
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "%s%s %s %s (%s scope, "
                  "virtual host %s)", report ? "NI0003: would refuse: "
                  : coding ? "NI0002: " : "NI0001: ",
                  coding ? "transfer coding" : "method",
                  coding ? coding : r->method,
                  report ? "is not implemented; ReportOnly lets it pass"
                         : "not implemented", scope,
                  r->server->server_hostname);
    if (report) {
        if (d == NULL) {
            d = apr_pcalloc(r->pool, sizeof(*d));
            ap_set_module_config(r->request_config, &notimpl_module, d);
        }
        would_refuse(r, coding);
        return DECLINED;
    }
    /* Counted when decided: an ErrorDocument 501 URL that turns it into
     * a redirect does not undo it. */
    notimpl_status_refused(r->method_number, r->method, coding);
    /* Settings written in the directory scope win over the server's. */
    cc = dir && dir->cache_control ? dir->cache_control : srv->cache_control;
    cc = cc && *cc ? cc : NULL;
    fmt = dir && dir->format != NOTIMPL_FMT_UNSET ? dir->format : srv->format;
    negotiated = notimpl_format_negotiated(fmt);
    if (negotiated) {
        fmt = notimpl_negotiate(apr_table_get(r->headers_in, "Accept"));
    }
    /* The request's custom response: httpd sends it in place of its
     * canned page, without building that page first.  ErrorDocument 501
     * (text, local path or URL) wins over it; httpd sends that, or the
     * redirect, with our Cache-Control. */
    fresh = notimpl_docs_respond(r, dir, srv, fmt, coding, sizeof(*d));
    if (d == NULL) {
        d = fresh ? fresh : apr_pcalloc(r->pool, sizeof(*d));
        ap_set_module_config(r->request_config, &notimpl_module, d);
    }
    d->refused = 1;
    if (fresh == NULL) {
        if (cc) {
            apr_table_setn(r->err_headers_out, "Cache-Control", cc);
        }
        return HTTP_NOT_IMPLEMENTED;
    }
    /* Our document's headers are set by the error filter, next to
     * httpd's (error_filter_fn). */
    d->cache_control = cc;
    d->vary = negotiated;
    d->content_type = notimpl_format_content_type(fmt);
    return HTTP_NOT_IMPLEMENTED;
}

/* RFC 9112 §6.1: refuse a coding we cannot decode before the body is
 * read.  httpd already answered 400 where chunked is not last. */
static APR_INLINE int server_coding(request_rec *r,
                                    const notimpl_conf_t *srv)
{
    const notimpl_policy_t *pol = srv->policy;
    const char *te, *coding;

    if (!pol->codings
        || !(te = apr_table_get(r->headers_in, "Transfer-Encoding"))) {
        return DECLINED;
    }
    coding = notimpl_unsupported_coding(r->pool, te);
    return coding ? decide(r, srv, NULL, coding) : DECLINED;
}

/* What the server scope does beyond a GET's bit test: internal
 * redirects, refused and extension methods, OPTIONS *. */
static int server_method(request_rec *r, const notimpl_conf_t *srv)
{
    const notimpl_policy_t *pol = srv->policy;

    /* An internal redirect (ErrorDocument, mod_actions) was decided with
     * the request it serves: deciding again would refuse the error
     * document itself.  It keeps that decision's NOTIMPL, which is what
     * CustomLog's %{NOTIMPL}e reads on the last request of the chain. */
    if (r->prev) {
        const char *v = apr_table_get(r->prev->subprocess_env, "NOTIMPL");
        if (v) {
            apr_table_setn(r->subprocess_env, "NOTIMPL", v);
        }
        return DECLINED;
    }
    if (notimpl_set_has(&pol->set, r->method_number, r->method)) {
        return decide(r, srv, NULL, NULL);
    }
    /* Stock httpd answers OPTIONS * with no Allow at all. */
    if (r->method_number == M_OPTIONS && r->uri[0] == '*' && !r->uri[1]
        && pol->engine == NOTIMPL_ENGINE_ON) {
        core_server_config *core =
            ap_get_core_module_config(r->server->module_config);
        apr_table_setn(r->headers_out, "Allow",
                       core->trace_enable == AP_TRACE_DISABLE
                       ? pol->allow_star : pol->allow_star_trace);
    }
    return server_coding(r, srv);
}

/* Server scope (docs/behaviour.md "Scopes" 1): after the virtual host is
 * chosen, before any directory walk, .htaccess, authentication, proxying or
 * handler.  For a method httpd knows, one bit test. */
static int notimpl_post_read_request(request_rec *r)
{
    const notimpl_conf_t *srv = server_conf(r);

    if (r->prev || r->method_number == M_OPTIONS
        || notimpl_set_may_have(&srv->policy->set, r->method_number)) {
        return server_method(r, srv);
    }
    return server_coding(r, srv);
}

static int may_edit_allow(request_rec *r);

/* Directory scope (docs/behaviour.md "Scopes" 2): after the directory walk, so
 * .htaccess counts, and before access control.  header_parser, not
 * access_checker: under `Satisfy Any` httpd carries on past a refusal in
 * the access phase, and a 501 must be final.  httpd runs it for main
 * requests only, internal redirects (mod_rewrite [PT]) included. */
static int notimpl_header_parser(request_rec *r)
{
    const notimpl_conf_t *dir;
    int rv;

    /* Every scope implements GET and HEAD (RFC 9110 §9.1: no set holds
     * them): nothing to decide, no Allow to edit.  A .htaccess scope is
     * compiled only when a request needs it. */
    if (r->method_number == M_GET) {
        return DECLINED;
    }
    dir = dir_conf(r);
    if (dir && notimpl_set_may_have(&dir->policy->set, r->method_number)
        && (rv = decide(r, server_conf(r), dir, NULL)) != DECLINED) {
        return rv;
    }
    /* OPTIONS, and whatever a handler (a CGI script) may answer 405 with
     * an Allow of its own: the Allow filter, here rather than from an
     * insert_filter hook that every request would pass through. */
    if (may_edit_allow(r)) {
        ap_add_output_filter_handle(allow_filter, NULL, r, r->connection);
    }
    return DECLINED;
}

/* ------------------------------------------------------------ filters */

/* Could the Allow filter drop anything here?  Not where the module
 * refuses nothing (Off) or changes nothing a client sees (ReportOnly). */
static int edits_allow(const notimpl_conf_t *dir, const notimpl_conf_t *srv)
{
    return dir && engine_of(dir, srv) == NOTIMPL_ENGINE_ON;
}

/* Drops from Allow, every field of it, what this URL answers 501 for;
 * leaves the fields as they are when there is nothing to drop. */
static void edit_allow(request_rec *r, apr_table_t *t,
                       const notimpl_set_t *srv, const notimpl_set_t *dir)
{
    const char *allow = apr_table_getm(r->pool, t, "Allow"), *kept;

    if (allow && (kept = notimpl_allow_without(r->pool, allow, srv, dir,
                                               notimpl_resolver)) != allow) {
        apr_table_setn(t, "Allow", kept);
    }
}

static apr_status_t allow_filter_fn(ap_filter_t *f, apr_bucket_brigade *bb)
{
    request_rec *r = f->r;
    const notimpl_conf_t *srv = server_conf(r), *dir = dir_conf(r);
    const notimpl_set_t *s = srv->policy->engine == NOTIMPL_ENGINE_ON
        ? &srv->policy->set : &notimpl_set_empty;
    const notimpl_set_t *d = edits_allow(dir, srv) ? &dir->policy->set : NULL;

    /* Before the header filter, once the handler or the error response
     * has set Allow: httpd's own in headers_out, a CGI script's in
     * err_headers_out. */
    ap_log_rerror(APLOG_MARK, APLOG_TRACE3, 0, r, "NI0020: Allow filter, "
                  "status %d", r->status);
    if (r->method_number == M_OPTIONS
        || r->status == HTTP_METHOD_NOT_ALLOWED) {
        edit_allow(r, r->headers_out, s, d);
        edit_allow(r, r->err_headers_out, s, d);
    }
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

/* Whether httpd's Allow is all a table holds, as it mostly is when
 * error_filter_fn() sees a 501's headers: then clearing the table is
 * unsetting Allow, for a fraction of the cost. */
static int only_allow(const apr_table_t *t)
{
    const apr_array_header_t *h = apr_table_elts(t);
    const char *k;

    if (h->nelts != 1) {
        return 0;
    }
    /* As ap_send_error_response() spells it; no call for five bytes. */
    k = ((const apr_table_entry_t *)h->elts)[0].key;
    return k[0] == 'A' && k[1] == 'l' && k[2] == 'l' && k[3] == 'o'
        && k[4] == 'w' && k[5] == '\0';
}

static apr_status_t error_filter_fn(ap_filter_t *f, apr_bucket_brigade *bb)
{
    const decision_t *d = f->ctx;

    /* ap_send_error_response() adds Allow to every 501, and a 501 means
     * implemented nowhere (RFC 9110 §15.6.2); it also labels every error
     * page text/html: our document says what it is.  It does both after
     * insert_error_filter, just before the body, so only a filter sees
     * them; our own headers join theirs here.  Once done, the filter
     * passes what follows on as it is: cheaper than taking it out of the
     * chain, for a document that mostly comes in one brigade. */
    if (d) {
        request_rec *r = f->r;

        if (only_allow(r->headers_out)) {
            apr_table_clear(r->headers_out);
        }
        else {
            apr_table_unset(r->headers_out, "Allow");
        }
        if (d->cache_control) {
            apr_table_setn(r->headers_out, "Cache-Control", d->cache_control);
        }
        /* Added, not merged: httpd's header filter joins every Vary
         * field into one and drops repeated names (fixup_vary). */
        if (d->vary) {
            apr_table_addn(r->headers_out, "Vary", "Accept");
        }
        if (d->content_type) {
            ap_set_content_type(r, d->content_type);
        }
        f->ctx = NULL;
    }
    return ap_pass_brigade(f->next, bb);
}

static int may_edit_allow(request_rec *r)
{
    const notimpl_conf_t *srv = server_conf(r);

    return srv->policy->engine == NOTIMPL_ENGINE_ON
        || edits_allow(dir_conf(r), srv);
}

static void notimpl_insert_error_filter(request_rec *r)
{
    decision_t *d = ap_get_module_config(r->request_config, &notimpl_module);

    /* Only our own 501: after an ErrorDocument URL the status is a
     * redirect, and other errors of the same request are not ours. */
    if (d && d->refused && r->status == HTTP_NOT_IMPLEMENTED) {
        ap_add_output_filter_handle(error_filter, d, r, r->connection);
    }
    else if (r->status == HTTP_METHOD_NOT_ALLOWED && may_edit_allow(r)) {
        ap_add_output_filter_handle(allow_filter, NULL, r, r->connection);
    }
}

/* ------------------------------------------------------------ start-up */

static int notimpl_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                               apr_pool_t *ptemp, server_rec *s)
{
    apr_array_header_t *names;

    (void)plog;
    notimpl_config_log_warnings();
    names = notimpl_compile_all(pconf, s);
    notimpl_docs_make(pconf, ptemp, s);
    return notimpl_status_post_config(s, names);
}

static void notimpl_register_hooks(apr_pool_t *p)
{
    /* mod_proxy and mod_http2 rewrite the request in post_read_request:
     * decide on what they leave. */
    static const char *const after_rewriters[] = {
        "mod_proxy.c", "mod_http2.c", NULL
    };
    /* mod_dav registers methods in post_config: compile after it. */
    static const char *const after_registrars[] = { "mod_dav.c", NULL };

    (void)p;
    ap_hook_pre_config(notimpl_config_begin, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(notimpl_post_config, after_registrars, NULL,
                        APR_HOOK_REALLY_LAST);
    ap_hook_test_config(notimpl_dump, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_read_request(notimpl_post_read_request, after_rewriters,
                              NULL, APR_HOOK_LAST);
    ap_hook_header_parser(notimpl_header_parser, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_insert_error_filter(notimpl_insert_error_filter, NULL, NULL,
                                APR_HOOK_MIDDLE);
    error_filter = ap_register_output_filter("NOTIMPL_ERROR", error_filter_fn,
                                             NULL, AP_FTYPE_RESOURCE);
    allow_filter = ap_register_output_filter("NOTIMPL_ALLOW", allow_filter_fn,
                                             NULL, AP_FTYPE_RESOURCE);
    /* The counters restart where the scoreboard does. */
    ap_hook_pre_mpm(notimpl_status_pre_mpm, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(notimpl_status_handler, NULL, NULL, APR_HOOK_MIDDLE);
    /* Registered whether or not mod_status is loaded: unused without it. */
    APR_OPTIONAL_HOOK(ap, status_hook, notimpl_status_hook, NULL, NULL,
                      APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(notimpl) = {
    STANDARD20_MODULE_STUFF,
    notimpl_create_config,
    notimpl_merge_dir_config,
    notimpl_create_server_config,
    notimpl_merge_server_config,
    notimpl_cmds,
    notimpl_register_hooks,
#if AP_MODULE_MAGIC_AT_LEAST(20120211, 70)
    /* No AP_MODULE_FLAG_ALWAYS_MERGE: a virtual host without NotImpl
     * directives shares the main server's config, compiled once. */
    0
#endif
};
