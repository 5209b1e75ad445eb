/* notimpl_allow.c — see notimpl_allow.h. */
#include <string.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "notimpl_allow.h"

static int refused(const notimpl_set_t *a, const notimpl_set_t *b,
                   const char *m, const notimpl_resolver_t *res)
{
    int n = res->number_of(m);
    return notimpl_set_has(a, n, m) || (b && notimpl_set_has(b, n, m));
}

const char *notimpl_allow_without(apr_pool_t *p, const char *allow,
                                  const notimpl_set_t *a,
                                  const notimpl_set_t *b,
                                  const notimpl_resolver_t *res)
{
    apr_array_header_t *kept = apr_array_make(p, 16, sizeof(const char *));
    char *copy, *tok, *last;
    int dropped = 0;

    if (allow == NULL) {
        return NULL;
    }
    copy = apr_pstrdup(p, allow);
    for (tok = apr_strtok(copy, ", \t", &last); tok;
         tok = apr_strtok(NULL, ", \t", &last)) {
        if (refused(a, b, tok, res)) {
            dropped = 1;
        }
        else {
            APR_ARRAY_PUSH(kept, const char *) = tok;
        }
    }
    return dropped ? apr_array_pstrcat(p, kept, ',') : allow;
}

const char *notimpl_allow_implemented(apr_pool_t *p, const notimpl_set_t *set,
                                      const apr_array_header_t *known,
                                      int trace,
                                      const notimpl_resolver_t *res)
{
    const apr_array_header_t *from = set->implemented ? set->implemented
                                                      : known;
    apr_array_header_t *out = apr_array_make(p, from->nelts,
                                             sizeof(const char *));
    int i;

    for (i = 0; i < from->nelts; i++) {
        const char *m = APR_ARRAY_IDX(from, i, const char *);
        if ((trace || strcmp(m, "TRACE") != 0)
            && !notimpl_set_has(set, res->number_of(m), m)) {
            APR_ARRAY_PUSH(out, const char *) = m;
        }
    }
    return apr_array_pstrcat(p, out, ',');
}
