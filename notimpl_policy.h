/* notimpl_policy.h — which methods a scope does not implement.
 *
 * A method set is httpd's own representation: one bit per method number
 * (built-in and registered methods), plus the unregistered names, which
 * all share the number M_INVALID and so are kept by name.  The decision
 * for a method httpd knows is one bit test (STYLE: "our allowed path
 * should cost exactly that").
 *
 * Directives are kept as an ordered list of operations and compiled into
 * a set once the method registry is complete: NotImplRegister and other
 * modules (core's <Limit>, mod_dav) may register a name after a directive
 * mentioned it.  Pure: method numbers come through a resolver, so the
 * unit tests need no httpd. */
#ifndef NOTIMPL_POLICY_H
#define NOTIMPL_POLICY_H

#include <apr_pools.h>
#include <apr_hash.h>
#include <apr_tables.h>

/* httpd's numbering (httpd.h); mod_notimpl.c checks that they agree. */
#define NOTIMPL_M_GET       0
#define NOTIMPL_M_INVALID   26
#define NOTIMPL_METHODS     64

#define NOTIMPL_BIT(n) (((apr_uint64_t)1) << (n))

typedef struct {
    apr_uint64_t bits;   /* method numbers in the set; never GET, never M_INVALID */
    int unknown;         /* unregistered names are in the set ... */
    apr_hash_t *names;   /* ... except these (unknown) / only these (!unknown); may be NULL */
    /* Allowlist scopes: the implemented methods, for the error document and
     * for Allow-style listings; NULL for a denylist. */
    apr_array_header_t *implemented;
} notimpl_set_t;

typedef enum {
    NOTIMPL_OP_RESET,    /* an unsigned list starts here: the set becomes empty */
    NOTIMPL_OP_ADD,
    NOTIMPL_OP_REMOVE,
    NOTIMPL_OP_ALLOWLIST /* the set becomes the allowlist of names */
} notimpl_op_e;

typedef struct {
    notimpl_op_e op;
    const char *token;   /* method name or group (ADD, REMOVE) */
    const apr_array_header_t *names;  /* NotImplImplemented (ALLOWLIST) */
} notimpl_op_t;

typedef struct {
    int (*number_of)(const char *method); /* ap_method_number_of */
    int dav_loaded;                       /* decides what `auto` means */
} notimpl_resolver_t;

/* The one test on the request path. */
static APR_INLINE int notimpl_set_has(const notimpl_set_t *set, int number,
                                      const char *method)
{
    if (number != NOTIMPL_M_INVALID) {
        return (set->bits & NOTIMPL_BIT(number)) != 0;
    }
    if (set->names == NULL) {
        return set->unknown;
    }
    return set->unknown
        ^ (apr_hash_get(set->names, method, APR_HASH_KEY_STRING) != NULL);
}

/* RFC 9110 §5.6.2 token. */
int notimpl_is_token(const char *s);

/* 1 for unknown, webdav, deltav and auto (exact, lower case). */
int notimpl_is_group(const char *s);

/* Parses one NotImplMethods line into ops appended to *ops (created when
 * NULL).  Returns NULL, or an error naming directive and token. */
const char *notimpl_parse_methods(apr_pool_t *p, const char *directive,
                                  int argc, char *const argv[],
                                  apr_array_header_t **ops);

/* Parses one NotImplImplemented line, appending method names to *names. */
const char *notimpl_parse_implemented(apr_pool_t *p, const char *directive,
                                      int argc, char *const argv[],
                                      apr_array_header_t **names);

/* The set before any directive: `auto`. */
void notimpl_set_auto(notimpl_set_t *set, const notimpl_resolver_t *res);

/* Applies ops (may be NULL) to a copy of base; the result never shares
 * mutable parts with base. */
void notimpl_set_apply(apr_pool_t *p, notimpl_set_t *out,
                       const notimpl_set_t *base,
                       const apr_array_header_t *ops,
                       const notimpl_resolver_t *res);

/* The allowlist set: every method but names (and GET, HEAD). */
void notimpl_set_allowlist(apr_pool_t *p, notimpl_set_t *out,
                           const apr_array_header_t *names,
                           const notimpl_resolver_t *res);

#endif
