/* notimpl_response.h — turning a decision into httpd's 501.
 *
 * The hooks only decide; this file does the rest on the refusal path:
 * the NOTIMPL variable, the info log line, Cache-Control, and the error
 * document, which reaches the client through httpd's own error machinery
 * as the request's custom response (so ErrorDocument 501 still wins),
 * with an error filter that sets its content type and drops Allow. */
#ifndef NOTIMPL_RESPONSE_H
#define NOTIMPL_RESPONSE_H

#include "httpd.h"
#include "util_filter.h"
#include "notimpl_config.h"

#define NOTIMPL_ERROR_FILTER "NOTIMPL_ERROR"
#define NOTIMPL_ALLOW_FILTER "NOTIMPL_ALLOW"

typedef enum {
    NOTIMPL_SCOPE_SERVER,
    NOTIMPL_SCOPE_DIRECTORY
} notimpl_scope_e;

/* Prepares the 501 for r and returns HTTP_NOT_IMPLEMENTED, for the hook
 * to return.  dir is the directory scope that refused (NULL for the
 * server scope); srv is r's server scope; coding names the transfer
 * coding refused, or is NULL when the method is. */
int notimpl_refuse(request_rec *r, notimpl_scope_e which,
                   const notimpl_scope_t *dir, const notimpl_scope_t *srv,
                   const char *coding);

/* Registers the module's two output filters; their handles spare a
 * lookup by name on every 501, 405 and OPTIONS. */
void notimpl_register_filters(void);

/* insert_error_filter hook: the error filter on the module's 501s, the
 * Allow filter on httpd's 405s. */
void notimpl_insert_error_filter(request_rec *r);

/* insert_filter hook: the Allow filter on OPTIONS, and on what a handler
 * (a CGI script, say) may itself answer 405 with an Allow of its own. */
void notimpl_insert_filter(request_rec *r);


#endif
