/* notimpl_allow.h — Allow header values that agree with the 501s.
 *
 * SPEC "Around the 501": an Allow header on a 405 or an OPTIONS response
 * never lists a method the module would answer 501 for at that URL, and
 * OPTIONS * lists what the server scope implements.  Pure: httpd's method
 * registry is reached through the resolver. */
#ifndef NOTIMPL_ALLOW_H
#define NOTIMPL_ALLOW_H

#include <apr_pools.h>
#include "notimpl_policy.h"

/* allow with every method in either set removed (b may be NULL).  Returns
 * allow itself when nothing is removed. */
const char *notimpl_allow_without(apr_pool_t *p, const char *allow,
                                  const notimpl_set_t *a,
                                  const notimpl_set_t *b,
                                  const notimpl_resolver_t *res);

/* The methods a server scope implements, for OPTIONS *: an allowlist's
 * own list; otherwise every method in known (httpd's built-in and
 * registered names) that set does not refuse.  TRACE only when trace is
 * non-zero (core's TraceEnable). */
const char *notimpl_allow_implemented(apr_pool_t *p, const notimpl_set_t *set,
                                      const apr_array_header_t *known,
                                      int trace,
                                      const notimpl_resolver_t *res);

#endif
