/* notimpl_coding.c — see notimpl_coding.h. */
#include <string.h>
#include <strings.h>
#include <apr_strings.h>

#include "notimpl_coding.h"

const char *notimpl_unsupported_coding(apr_pool_t *p, const char *te)
{
    const char *s = te;

    while (s && *s) {
        const char *start, *end;

        s += strspn(s, " \t,");
        if (*s == '\0') {
            break;
        }
        start = s;
        end = s + strcspn(s, ",; \t");
        s = end + strcspn(end, ",");      /* skip this coding's parameters */
        if (end == start) {
            /* Parameters with no coding name: show what was sent. */
            return apr_pstrmemdup(p, start, s - start);
        }
        if (end - start != 7 || strncasecmp(start, "chunked", 7) != 0) {
            return apr_pstrmemdup(p, start, end - start);
        }
    }
    return NULL;
}
