/* notimpl_negotiate.h — proactive negotiation of the error document.
 *
 * SPEC "The response": q-values among application/problem+json,
 * application/json, text/html and text/plain.  No Accept, "*" "/" "*",
 * or nothing acceptable -> JSON; ties prefer JSON; a malformed Accept
 * never causes an error (it is read as far as it makes sense). */
#ifndef NOTIMPL_NEGOTIATE_H
#define NOTIMPL_NEGOTIATE_H

#include "notimpl_format.h"

/* accept may be NULL.  Never allocates; returns a concrete format. */
notimpl_format_e notimpl_negotiate(const char *accept);

#endif
