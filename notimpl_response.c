/* notimpl_response.c — the refusal path: everything here runs only for a
 * request the module answers 501, so it may allocate. */
#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "mod_core.h"

#include "notimpl_allow.h"
#include "notimpl_escape.h"
#include "notimpl_negotiate.h"
#include "notimpl_render.h"
#include "notimpl_response.h"
#include "notimpl_status.h"

APLOG_USE_MODULE(notimpl);

/* What the error filter needs to know about this request's 501. */
typedef struct {
    const char *content_type;  /* NULL: an ErrorDocument answers instead */
} refusal_t;

static const char *const scope_names[] = { "server", "directory" };

static ap_filter_rec_t *error_filter_handle;
static ap_filter_rec_t *allow_filter_handle;

static apr_status_t notimpl_error_filter(ap_filter_t *f,
                                         apr_bucket_brigade *bb);
static apr_status_t notimpl_allow_filter(ap_filter_t *f,
                                         apr_bucket_brigade *bb);

void notimpl_register_filters(void)
{
    error_filter_handle = ap_register_output_filter(
        NOTIMPL_ERROR_FILTER, notimpl_error_filter, NULL, AP_FTYPE_RESOURCE);
    allow_filter_handle = ap_register_output_filter(
        NOTIMPL_ALLOW_FILTER, notimpl_allow_filter, NULL, AP_FTYPE_RESOURCE);
}

int notimpl_refuse(request_rec *r, notimpl_scope_e which,
                   const notimpl_scope_t *dir, const notimpl_scope_t *srv,
                   const char *coding)
{
    refusal_t *ref = apr_pcalloc(r->pool, sizeof(*ref));
    const notimpl_scope_t *scope = dir ? dir : srv;
    const char *cc = notimpl_scope_cache_control(dir, srv);

    apr_table_setn(r->subprocess_env, "NOTIMPL", scope_names[which]);
    notimpl_status_count(r->method, coding, 0);
    /* info, never higher: a flood of junk methods must not fill the disk
     * (LogLevel notimpl:info shows these). */
    if (coding) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "NI0002: transfer coding %s not implemented "
                      "(method %s)", notimpl_escape_text(r->pool, coding),
                      notimpl_escape_text(r->pool, r->method));
    }
    else {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "NI0001: method %s not implemented (%s scope)",
                      notimpl_escape_text(r->pool, r->method),
                      scope_names[which]);
    }

    if (cc) {
        apr_table_setn(r->err_headers_out, "Cache-Control", cc);
    }

    /* ErrorDocument 501 (text, local path or URL) takes precedence over
     * the module's document: leave the body to httpd.  Otherwise the
     * document is this request's custom response, which httpd sends in
     * place of its canned page (without building that page first). */
    if (ap_response_code_string(r, ap_index_of_response(HTTP_NOT_IMPLEMENTED))
        == NULL) {
        notimpl_doc_t doc;
        notimpl_format_e fmt = notimpl_scope_format(dir, srv);

        if (fmt == NOTIMPL_FMT_AUTO) {
            fmt = notimpl_negotiate(apr_table_get(r->headers_in, "Accept"));
            apr_table_mergen(r->err_headers_out, "Vary", "Accept");
        }
        doc.method = r->method;
        doc.transfer_coding = coding;
        doc.alternative = coding ? NULL
            : notimpl_scope_alternative(dir, srv, r->method);
        doc.implemented = NULL;
        doc.n_implemented = 0;
        if (!coding && scope->set.implemented) {
            doc.implemented = (const char *const *)scope->set.implemented->elts;
            doc.n_implemented = scope->set.implemented->nelts;
        }
        ap_custom_response(r, HTTP_NOT_IMPLEMENTED,
                           notimpl_render(r->pool, fmt, &doc, NULL));
        ref->content_type = notimpl_format_content_type(fmt);
    }
    ap_set_module_config(r->request_config, &notimpl_module, ref);
    return HTTP_NOT_IMPLEMENTED;
}

void notimpl_insert_error_filter(request_rec *r)
{
    refusal_t *ref = ap_get_module_config(r->request_config, &notimpl_module);

    /* Only the module's own 501: after an ErrorDocument URL the status is
     * a redirect, and other errors of the same request are not ours. */
    if (ref && r->status == HTTP_NOT_IMPLEMENTED) {
        ap_add_output_filter_handle(error_filter_handle, ref, r,
                                    r->connection);
    }
    else if (r->status == HTTP_METHOD_NOT_ALLOWED) {
        ap_add_output_filter_handle(allow_filter_handle, NULL, r,
                                    r->connection);
    }
}

void notimpl_insert_filter(request_rec *r)
{
    /* A GET, the common case, passes with one compare: its own Allow is
     * never edited.  So does a request the default handler serves, whose
     * 405 goes through the error path (notimpl_insert_error_filter). */
    if (r->method_number != M_GET
        && (r->method_number == M_OPTIONS || r->handler != NULL)) {
        ap_add_output_filter_handle(allow_filter_handle, NULL, r,
                                    r->connection);
    }
}

/* Drops what this URL answers 501 for from one table's Allow. */
static void edit_allow(request_rec *r, apr_table_t *t,
                       const notimpl_set_t *srv, const notimpl_set_t *dir)
{
    const char *allow = apr_table_get(t, "Allow");

    if (allow) {
        apr_table_setn(t, "Allow", notimpl_allow_without(
                           r->pool, allow, srv, dir, notimpl_resolver()));
    }
}

static apr_status_t notimpl_allow_filter(ap_filter_t *f,
                                         apr_bucket_brigade *bb)
{
    static const notimpl_set_t nothing;
    request_rec *r = f->r;
    const notimpl_scope_t *srv =
        ap_get_module_config(r->server->module_config, &notimpl_module);
    const notimpl_scope_t *dir =
        ap_get_module_config(r->per_dir_config, &notimpl_module);

    /* Runs before the header filter, once the handler or the error
     * response has set Allow; a CGI script's headers land in
     * err_headers_out, httpd's own in headers_out. */
    if (r->method_number == M_OPTIONS
        || r->status == HTTP_METHOD_NOT_ALLOWED) {
        const notimpl_set_t *s = srv->active ? &srv->set : &nothing;
        const notimpl_set_t *d = (dir && dir->active) ? &dir->set : NULL;
        edit_allow(r, r->headers_out, s, d);
        edit_allow(r, r->err_headers_out, s, d);
    }
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

static apr_status_t notimpl_error_filter(ap_filter_t *f,
                                         apr_bucket_brigade *bb)
{
    refusal_t *ref = f->ctx;
    request_rec *r = f->r;

    /* ap_send_error_response() adds an Allow header to every 501; a 501
     * means the method is implemented nowhere, so Allow would mislead
     * (RFC 9110 §15.6.2 needs none).  It also labels every error page
     * text/html: the module's document says what it is. */
    apr_table_unset(r->headers_out, "Allow");
    if (ref->content_type) {
        ap_set_content_type(r, ref->content_type);
    }
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}
