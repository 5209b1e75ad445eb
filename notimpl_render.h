/* notimpl_render.h — the four error-document bodies.
 *
 * Pure: takes a plain description of the refusal and a pool, returns the
 * body bytes.  Everything untrusted goes through notimpl_escape.h. */
#ifndef NOTIMPL_RENDER_H
#define NOTIMPL_RENDER_H

#include <apr_pools.h>
#include "notimpl_format.h"

typedef struct {
    const char *method;          /* request method as received (untrusted) */
    const char *transfer_coding; /* set for a transfer-coding 501, else NULL */
    const char *alternative;     /* NotImplAlternative text, or NULL */
    const char *const *implemented; /* allowlist scopes only, else NULL */
    int n_implemented;
} notimpl_doc_t;

/* Renders doc in fmt (a concrete format; AUTO or UNSET render as JSON,
 * like notimpl_format_content_type()).  *len, when len is not NULL,
 * receives the length of the returned NUL-terminated body.  The human
 * formats leave out the list of implemented methods when it is empty. */
const char *notimpl_render(apr_pool_t *p, notimpl_format_e fmt,
                           const notimpl_doc_t *doc, apr_size_t *len);

#endif
