/* mod_notimpl.c — answer 501 Not Implemented, RFC-exact, for the methods
 * a server does not implement; leave 405 to httpd's Allow machinery.
 *
 * The map of the module: its directives, its hooks and where each
 * behaviour lives.
 *   notimpl_policy.c      method sets: tokens, groups, the one-bit test
 *   notimpl_coding.c      Transfer-Encoding codings other than chunked
 *   notimpl_config.c      scope config: create/merge, compiling policies
 *   notimpl_directives.c  directive parsers and their error messages
 *   notimpl_response.c    the 501 itself: log, headers, error document;
 *                         Allow on 405 and OPTIONS (notimpl_allow.c)
 *   notimpl_negotiate.c   Accept negotiation
 *   notimpl_render.c      the four document formats (notimpl_escape.c)
 *   notimpl_status.c      demand counters in shared memory, the
 *                         notimpl-status handler, the mod_status section;
 *                         the table itself in notimpl_counters.c */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"
#include "http_log.h"
#include "mod_status.h"

#include "notimpl_coding.h"
#include "notimpl_config.h"
#include "notimpl_directives.h"
#include "notimpl_response.h"
#include "notimpl_status.h"

#if M_GET != NOTIMPL_M_GET || M_INVALID != NOTIMPL_M_INVALID \
    || METHODS != NOTIMPL_METHODS
#error "httpd's method numbering differs from notimpl_policy.h"
#endif

/* The request paths below are split so that the hooks every request
 * passes through test one bit and call nothing else of their own (apart
 * from the one header lookup RFC 9112 needs), with no stack frame to set
 * up: what the few requests that bit picks out need is out of line. */
#if defined(__GNUC__)
#define NOTIMPL_RARE __attribute__((noinline, cold))
#define NOTIMPL_OUT_OF_LINE __attribute__((noinline))
#else
#define NOTIMPL_RARE
#define NOTIMPL_OUT_OF_LINE
#endif

static NOTIMPL_RARE int refuse_coding(request_rec *r, const char *te)
{
    const char *coding = notimpl_unsupported_coding(r->pool, te);

    if (coding == NULL) {
        return DECLINED;
    }
    return notimpl_refuse(r, NOTIMPL_SCOPE_SERVER, NULL,
                          ap_get_module_config(r->server->module_config,
                                               &notimpl_module), coding);
}

/* RFC 9112 §6.1: refuse a transfer coding we cannot decode before its
 * body is read.  httpd already answered 400 where chunked is not last. */
static NOTIMPL_OUT_OF_LINE int server_coding(request_rec *r)
{
    const char *te = apr_table_get(r->headers_in, "Transfer-Encoding");

    return te == NULL ? DECLINED : refuse_coding(r, te);
}

static NOTIMPL_RARE int server_method(request_rec *r,
                                      const notimpl_scope_t *srv)
{
    if (notimpl_set_has(&srv->set, r->method_number, r->method)) {
        return notimpl_refuse(r, NOTIMPL_SCOPE_SERVER, NULL, srv, NULL);
    }
    /* Stock httpd answers OPTIONS * with no Allow at all (http_core's
     * map_to_storage): name what this server implements. */
    if (r->method_number == M_OPTIONS && r->uri[0] == '*'
        && r->uri[1] == '\0') {
        apr_table_setn(r->headers_out, "Allow", srv->allow_star);
    }
    return srv->check_codings ? server_coding(r) : DECLINED;
}

/* Server scope (SPEC "Scopes" 1): decided once the virtual host is known
 * and before any directory walk, .htaccess, authentication, proxying or
 * handler.  For a method httpd knows this is one bit test. */
static int notimpl_post_read_request(request_rec *r)
{
    const notimpl_scope_t *srv =
        ap_get_module_config(r->server->module_config, &notimpl_module);

    if (srv->attention & NOTIMPL_BIT(r->method_number)) {
        return server_method(r, srv);
    }
    return srv->check_codings ? server_coding(r) : DECLINED;
}

static NOTIMPL_RARE int directory_method(request_rec *r,
                                         const notimpl_scope_t *dir)
{
    if (r->main || !notimpl_set_has(&dir->set, r->method_number, r->method)) {
        return DECLINED;
    }
    return notimpl_refuse(r, NOTIMPL_SCOPE_DIRECTORY, dir,
                          ap_get_module_config(r->server->module_config,
                                               &notimpl_module), NULL);
}

/* Directory scope (SPEC "Scopes" 2): after the directory walk, so
 * .htaccess counts, and before access control.  header_parser rather than
 * access_checker: under `Satisfy Any` httpd carries on past a refusal in
 * the access phase, and a 501 must be final.  It runs for the main request
 * and internal redirects (mod_rewrite [PT], ErrorDocument, DirectoryIndex);
 * subrequests only look things up and are left alone. */
static int notimpl_header_parser(request_rec *r)
{
    const notimpl_scope_t *dir =
        ap_get_module_config(r->per_dir_config, &notimpl_module);

    if (dir->attention & NOTIMPL_BIT(r->method_number)) {
        return directory_method(r, dir);
    }
    return DECLINED;
}

static int notimpl_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                               apr_pool_t *ptemp, server_rec *s)
{
    (void)plog;
    (void)ptemp;
    notimpl_compile_servers(pconf, s);
    return notimpl_status_post_config(pconf, s, NULL);
}

static void notimpl_register_hooks(apr_pool_t *p)
{
    /* mod_proxy and mod_http2 rewrite the request in post_read_request;
     * decide on what they leave. */
    static const char *const after_rewriters[] = {
        "mod_proxy.c", "mod_http2.c", NULL
    };
    /* mod_dav registers its extension methods in post_config: compile
     * after it so those names resolve to their numbers. */
    static const char *const after_registrars[] = { "mod_dav.c", NULL };

    (void)p;
    ap_hook_post_config(notimpl_post_config, after_registrars, NULL,
                        APR_HOOK_REALLY_LAST);
    ap_hook_post_read_request(notimpl_post_read_request, after_rewriters,
                              NULL, APR_HOOK_LAST);
    ap_hook_header_parser(notimpl_header_parser, NULL, NULL,
                          APR_HOOK_FIRST);
    ap_hook_insert_error_filter(notimpl_insert_error_filter, NULL, NULL,
                                APR_HOOK_MIDDLE);
    ap_hook_insert_filter(notimpl_insert_filter, NULL, NULL, APR_HOOK_MIDDLE);
    notimpl_register_filters();
    /* Observability: the counters restart where the scoreboard does. */
    ap_hook_pre_mpm(notimpl_status_pre_mpm, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(notimpl_status_handler, NULL, NULL, APR_HOOK_MIDDLE);
    /* Registered whether or not mod_status is loaded: unused without it. */
    APR_OPTIONAL_HOOK(ap, status_hook, notimpl_status_hook, NULL, NULL,
                      APR_HOOK_MIDDLE);
}

#define SCOPES (RSRC_CONF | ACCESS_CONF | OR_LIMIT)

const command_rec notimpl_cmds[] = {
    AP_INIT_FLAG("NotImplEngine", notimpl_cmd_engine, NULL, SCOPES,
                 "On|Off: whether this scope answers 501s"),
    AP_INIT_RAW_ARGS("NotImplMethods", notimpl_cmd_methods, NULL, SCOPES,
                      "[+|-]method or group (unknown, webdav, deltav, auto) "
                      "...: the methods not implemented"),
    AP_INIT_RAW_ARGS("NotImplImplemented", notimpl_cmd_implemented, NULL,
                      SCOPES, "method ...: the only methods implemented "
                      "(GET and HEAD always are)"),
    AP_INIT_RAW_ARGS("NotImplRegister", notimpl_cmd_register, NULL,
                      RSRC_CONF, "method ...: register extension methods "
                      "with httpd"),
    AP_INIT_TAKE1("NotImplFormat", notimpl_cmd_format, NULL, SCOPES,
                  "auto|problem|json|html|text: the error document format"),
    AP_INIT_TAKE1("NotImplCacheControl", notimpl_cmd_cache_control, NULL,
                  SCOPES, "Cache-Control value for 501s, or none"),
    AP_INIT_TAKE2("NotImplAlternative", notimpl_cmd_alternative, NULL,
                  SCOPES, "method \"text\": the supported alternative"),
    AP_INIT_FLAG("NotImplTransferCodings", notimpl_cmd_transfer_codings,
                 NULL, RSRC_CONF, "On|Off: 501 for transfer codings other "
                 "than chunked"),
    { NULL, { NULL }, NULL, 0, RAW_ARGS, NULL }
};

AP_DECLARE_MODULE(notimpl) = {
    STANDARD20_MODULE_STUFF,
    notimpl_create_dir_config,
    notimpl_merge_dir_config,
    notimpl_create_server_config,
    notimpl_merge_server_config,
    notimpl_cmds,
    notimpl_register_hooks,
    /* Every virtual host gets its own compiled policy and OPTIONS * list,
     * also one that has no NotImpl directive (its TraceEnable may differ). */
    AP_MODULE_FLAG_ALWAYS_MERGE
};
