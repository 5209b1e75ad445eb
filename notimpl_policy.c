/* notimpl_policy.c — method tokens, groups, and compiling directives
 * into method sets (see notimpl_policy.h). */
#include <string.h>
#include <apr_strings.h>
#include <apr_lib.h>

#include "notimpl_policy.h"

/* SPEC "Groups".  Numbers are httpd's M_* constants (httpd.h). */
static const char *const webdav_names[] = {
    "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", NULL
};
static const char *const deltav_names[] = {
    "VERSION-CONTROL", "CHECKOUT", "UNCHECKOUT", "CHECKIN", "UPDATE",
    "LABEL", "REPORT", "MKWORKSPACE", "MKACTIVITY", "BASELINE-CONTROL",
    "MERGE", NULL
};
#define WEBDAV_BITS (NOTIMPL_BIT(8) | NOTIMPL_BIT(9) | NOTIMPL_BIT(10) \
                     | NOTIMPL_BIT(11) | NOTIMPL_BIT(12) | NOTIMPL_BIT(13) \
                     | NOTIMPL_BIT(14))
#define DELTAV_BITS (((NOTIMPL_BIT(26) - 1)) & ~(NOTIMPL_BIT(15) - 1))

/* Every number a method can have, less GET (never refused, RFC 9110
 * §9.1) and M_INVALID (decided by name). */
#define ALL_BITS (~(apr_uint64_t)0 & ~NOTIMPL_BIT(NOTIMPL_M_GET) \
                  & ~NOTIMPL_BIT(NOTIMPL_M_INVALID))

typedef enum { GROUP_NONE, GROUP_UNKNOWN, GROUP_WEBDAV, GROUP_DELTAV,
               GROUP_AUTO } group_e;

static group_e group_of(const char *s)
{
    if (strcmp(s, "unknown") == 0) return GROUP_UNKNOWN;
    if (strcmp(s, "webdav") == 0)  return GROUP_WEBDAV;
    if (strcmp(s, "deltav") == 0)  return GROUP_DELTAV;
    if (strcmp(s, "auto") == 0)    return GROUP_AUTO;
    return GROUP_NONE;
}

int notimpl_is_group(const char *s)
{
    return group_of(s) != GROUP_NONE;
}

int notimpl_is_token(const char *s)
{
    if (s == NULL || *s == '\0') {
        return 0;
    }
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!apr_isalnum(c) && !strchr("!#$%&'*+-.^_`|~", c)) {
            return 0;
        }
    }
    return 1;
}

/* RFC 9110 §9.1: GET and HEAD must be supported by every general-purpose
 * server, so neither may be declared not implemented. */
static int is_get_or_head(const char *s)
{
    return strcmp(s, "GET") == 0 || strcmp(s, "HEAD") == 0;
}

static const char *bad_token(apr_pool_t *p, const char *directive,
                             const char *arg)
{
    /* The token may hold any byte; keep the message one printable line. */
    char *shown = apr_pstrdup(p, arg);
    char *c;
    for (c = shown; *c; c++) {
        if (!apr_isprint((unsigned char)*c)) {
            *c = '?';
        }
    }
    return apr_psprintf(p, "%s: '%s' is neither a method name (an RFC 9110 "
                        "token such as PATCH or BREW) nor a group (unknown, "
                        "webdav, deltav or auto)", directive, shown);
}

const char *notimpl_parse_methods(apr_pool_t *p, const char *directive,
                                  int argc, char *const argv[],
                                  apr_array_header_t **ops)
{
    const char *first_signed = NULL, *first_unsigned = NULL;
    int i;

    if (argc == 0) {
        return apr_pstrcat(p, directive, ": at least one method or group "
                           "is required", NULL);
    }
    for (i = 0; i < argc; i++) {
        const char *tok = argv[i];
        if (*tok == '+' || *tok == '-') {
            first_signed = first_signed ? first_signed : argv[i];
            tok++;
        }
        else {
            first_unsigned = first_unsigned ? first_unsigned : argv[i];
        }
        if (!notimpl_is_token(tok)) {
            return bad_token(p, directive, argv[i]);
        }
        if (*argv[i] != '-' && is_get_or_head(tok)) {
            return apr_psprintf(p, "%s: %s cannot be declared not "
                                "implemented (RFC 9110 section 9.1: every "
                                "server supports GET and HEAD)", directive,
                                tok);
        }
    }
    if (first_signed && first_unsigned) {
        return apr_psprintf(p, "%s: '%s' and '%s' mix a signed change with "
                            "an unsigned list; use either a full list or "
                            "only +/- changes on one line", directive,
                            first_unsigned, first_signed);
    }

    if (*ops == NULL) {
        *ops = apr_array_make(p, argc + 1, sizeof(notimpl_op_t));
    }
    if (first_unsigned) {
        notimpl_op_t *op = apr_array_push(*ops);
        op->op = NOTIMPL_OP_RESET;
        op->token = NULL;
        op->names = NULL;
    }
    for (i = 0; i < argc; i++) {
        notimpl_op_t *op = apr_array_push(*ops);
        const char *tok = argv[i];
        op->op = NOTIMPL_OP_ADD;
        op->names = NULL;
        if (*tok == '+' || *tok == '-') {
            op->op = (*tok == '-') ? NOTIMPL_OP_REMOVE : NOTIMPL_OP_ADD;
            tok++;
        }
        op->token = apr_pstrdup(p, tok);
    }
    return NULL;
}

const char *notimpl_parse_implemented(apr_pool_t *p, const char *directive,
                                      int argc, char *const argv[],
                                      apr_array_header_t **names)
{
    int i;

    if (argc == 0) {
        return apr_pstrcat(p, directive, ": at least one method is "
                           "required", NULL);
    }
    for (i = 0; i < argc; i++) {
        group_e g = group_of(argv[i]);
        if (g == GROUP_UNKNOWN || g == GROUP_AUTO) {
            return apr_psprintf(p, "%s: the group '%s' cannot be listed as "
                                "implemented (name the methods, or the "
                                "groups webdav and deltav)", directive,
                                argv[i]);
        }
        if (g == GROUP_NONE && !notimpl_is_token(argv[i])) {
            return bad_token(p, directive, argv[i]);
        }
    }
    if (*names == NULL) {
        *names = apr_array_make(p, argc, sizeof(const char *));
    }
    for (i = 0; i < argc; i++) {
        APR_ARRAY_PUSH(*names, const char *) = apr_pstrdup(p, argv[i]);
    }
    return NULL;
}

void notimpl_set_auto(notimpl_set_t *set, const notimpl_resolver_t *res)
{
    memset(set, 0, sizeof(*set));
    set->unknown = 1;
    if (!res->dav_loaded) {
        set->bits = WEBDAV_BITS | DELTAV_BITS;
    }
}

static void copy_set(apr_pool_t *p, notimpl_set_t *out,
                     const notimpl_set_t *base)
{
    *out = *base;
    out->names = base->names ? apr_hash_copy(p, base->names) : NULL;
    out->implemented = base->implemented
        ? apr_array_copy(p, base->implemented) : NULL;
}

/* An unregistered name goes in or out of the set: with `unknown` the
 * hash lists exemptions, without it the members, so "in" flips meaning. */
static void set_name(apr_pool_t *p, notimpl_set_t *set, const char *name,
                     int in)
{
    int listed = in ^ set->unknown;
    if (set->names == NULL) {
        if (!listed) {
            return;
        }
        set->names = apr_hash_make(p);
    }
    apr_hash_set(set->names, name, APR_HASH_KEY_STRING, listed ? "" : NULL);
}

static void set_method(apr_pool_t *p, notimpl_set_t *set, const char *name,
                       int in, const notimpl_resolver_t *res)
{
    int n = res->number_of(name);
    if (n == NOTIMPL_M_INVALID) {
        set_name(p, set, name, in);
    }
    else if (n != NOTIMPL_M_GET && n >= 0 && n < NOTIMPL_METHODS) {
        set->bits = in ? (set->bits | NOTIMPL_BIT(n))
                       : (set->bits & ~NOTIMPL_BIT(n));
    }
}

/* Removing from an allowlist's set implements the method: list it. */
static void note_implemented(notimpl_set_t *set, const char *name)
{
    int i;
    if (set->implemented == NULL) {
        return;
    }
    for (i = 0; i < set->implemented->nelts; i++) {
        if (strcmp(APR_ARRAY_IDX(set->implemented, i, const char *),
                   name) == 0) {
            return;
        }
    }
    APR_ARRAY_PUSH(set->implemented, const char *) = name;
}

static void apply_group(apr_pool_t *p, notimpl_set_t *set, group_e g,
                        int in, const notimpl_resolver_t *res)
{
    const char *const *n;
    apr_uint64_t bits = 0;
    const char *const *lists[2] = { NULL, NULL };

    switch (g) {
    case GROUP_UNKNOWN:
        set->unknown = in;
        set->names = NULL;
        return;
    case GROUP_AUTO:
        apply_group(p, set, GROUP_UNKNOWN, in, res);
        if (res->dav_loaded) {
            return;
        }
        bits = WEBDAV_BITS | DELTAV_BITS;
        lists[0] = webdav_names;
        lists[1] = deltav_names;
        break;
    case GROUP_WEBDAV:
        bits = WEBDAV_BITS;
        lists[0] = webdav_names;
        break;
    case GROUP_DELTAV:
        bits = DELTAV_BITS;
        lists[0] = deltav_names;
        break;
    default:
        return;
    }
    set->bits = in ? (set->bits | bits) : (set->bits & ~bits);
    if (!in) {
        int i;
        for (i = 0; i < 2 && lists[i]; i++) {
            for (n = lists[i]; *n; n++) {
                note_implemented(set, *n);
            }
        }
    }
}

/* Drops from the implemented list what the set now refuses. */
static void prune_implemented(apr_pool_t *p, notimpl_set_t *set,
                              const notimpl_resolver_t *res)
{
    apr_array_header_t *kept;
    int i;

    if (set->implemented == NULL) {
        return;
    }
    kept = apr_array_make(p, set->implemented->nelts, sizeof(const char *));
    for (i = 0; i < set->implemented->nelts; i++) {
        const char *m = APR_ARRAY_IDX(set->implemented, i, const char *);
        if (!notimpl_set_has(set, res->number_of(m), m)) {
            APR_ARRAY_PUSH(kept, const char *) = m;
        }
    }
    set->implemented = kept;
}

void notimpl_set_apply(apr_pool_t *p, notimpl_set_t *out,
                       const notimpl_set_t *base,
                       const apr_array_header_t *ops,
                       const notimpl_resolver_t *res)
{
    int i;

    copy_set(p, out, base);
    if (ops == NULL) {
        return;
    }
    for (i = 0; i < ops->nelts; i++) {
        const notimpl_op_t *op = &APR_ARRAY_IDX(ops, i, notimpl_op_t);
        int in = (op->op == NOTIMPL_OP_ADD);
        group_e g;

        if (op->op == NOTIMPL_OP_RESET) {
            memset(out, 0, sizeof(*out));
            continue;
        }
        if (op->op == NOTIMPL_OP_ALLOWLIST) {
            notimpl_set_allowlist(p, out, op->names, res);
            continue;
        }
        g = group_of(op->token);
        if (g != GROUP_NONE) {
            apply_group(p, out, g, in, res);
        }
        else {
            set_method(p, out, op->token, in, res);
            if (!in) {
                note_implemented(out, op->token);
            }
        }
    }
    prune_implemented(p, out, res);
}

void notimpl_set_allowlist(apr_pool_t *p, notimpl_set_t *out,
                           const apr_array_header_t *names,
                           const notimpl_resolver_t *res)
{
    int i;

    memset(out, 0, sizeof(*out));
    out->bits = ALL_BITS;
    out->unknown = 1;
    out->implemented = apr_array_make(p, names->nelts + 2,
                                      sizeof(const char *));
    APR_ARRAY_PUSH(out->implemented, const char *) = "GET";
    APR_ARRAY_PUSH(out->implemented, const char *) = "HEAD";
    for (i = 0; i < names->nelts; i++) {
        const char *m = APR_ARRAY_IDX(names, i, const char *);
        group_e g = group_of(m);
        if (g != GROUP_NONE) {
            apply_group(p, out, g, 0, res);
        }
        else {
            set_method(p, out, m, 0, res);
            note_implemented(out, m);
        }
    }
}
