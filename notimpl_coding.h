/* notimpl_coding.h — reading Transfer-Encoding (RFC 9112 §6.1).
 *
 * httpd itself answers 400 when chunked is not the final coding, but
 * passes "gzip, chunked" on with the gzip layer undecoded.  A server that
 * receives a transfer coding it does not understand SHOULD answer 501. */
#ifndef NOTIMPL_CODING_H
#define NOTIMPL_CODING_H

#include <apr_pools.h>

/* The first coding in the field value te that is not "chunked" (compared
 * case-insensitively, parameters ignored), copied into p; NULL when every
 * coding is chunked or te is NULL.  Empty list elements are skipped, as
 * RFC 9110 §5.6.1 asks of recipients. */
const char *notimpl_unsupported_coding(apr_pool_t *p, const char *te);

#endif
