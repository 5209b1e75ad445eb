/* notimpl_config.c — create/merge of the scope config, the directive
 * parsers, and compiling server scopes once the registry is complete. */
#include <string.h>
#include "apr_strings.h"
#include "apr_lib.h"

#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_core.h"

#include "notimpl_allow.h"

#include "notimpl_config.h"
#include "notimpl_directives.h"

static notimpl_resolver_t resolver = { ap_method_number_of, 0 };

const notimpl_resolver_t *notimpl_resolver(void)
{
    return &resolver;
}

static notimpl_scope_t *create_scope(apr_pool_t *p)
{
    notimpl_scope_t *c = apr_pcalloc(p, sizeof(*c));
    c->engine = -1;
    c->format = NOTIMPL_FMT_UNSET;
    c->transfer_codings = -1;
    return c;
}

void *notimpl_create_server_config(apr_pool_t *p, server_rec *s)
{
    (void)s;
    return create_scope(p);
}

void *notimpl_create_dir_config(apr_pool_t *p, char *dir)
{
    (void)dir;
    return create_scope(p);
}

static apr_hash_t *merge_alternatives(apr_pool_t *p, apr_hash_t *base,
                                      apr_hash_t *add)
{
    if (base == NULL || add == NULL) {
        return add ? add : base;
    }
    return apr_hash_overlay(p, add, base);
}

/* The settings every scope inherits field by field. */
static void merge_settings(apr_pool_t *p, notimpl_scope_t *c,
                           const notimpl_scope_t *base,
                           const notimpl_scope_t *add)
{
    c->engine = add->engine != -1 ? add->engine : base->engine;
    c->format = add->format != NOTIMPL_FMT_UNSET ? add->format : base->format;
    c->cache_control_set = add->cache_control_set || base->cache_control_set;
    c->cache_control = add->cache_control_set ? add->cache_control
                                              : base->cache_control;
    c->alternatives = merge_alternatives(p, base->alternatives,
                                         add->alternatives);
    c->transfer_codings = add->transfer_codings != -1
        ? add->transfer_codings : base->transfer_codings;
}

void *notimpl_merge_server_config(apr_pool_t *p, void *basev, void *addv)
{
    const notimpl_scope_t *base = basev, *add = addv;
    notimpl_scope_t *c = create_scope(p);

    merge_settings(p, c, base, add);
    /* The policy itself is compiled in post_config, when every method
     * name can be resolved; keep what this host says and whom it adjusts. */
    c->ops = add->ops;
    c->implemented = add->implemented;
    c->parent = base;
    return c;
}

static int says_anything(const notimpl_scope_t *c)
{
    return c->engine != -1 || c->ops || c->implemented
        || c->format != NOTIMPL_FMT_UNSET || c->cache_control_set
        || c->alternatives;
}

static int set_is_empty(const notimpl_set_t *set)
{
    return set->bits == 0 && !set->unknown
        && (set->names == NULL || apr_hash_count(set->names) == 0);
}

static apr_uint64_t attention(const notimpl_scope_t *c, int server)
{
    apr_uint64_t bits;

    if (!c->active) {
        return 0;
    }
    bits = c->set.bits;
    if (c->set.unknown || c->set.names) {
        bits |= NOTIMPL_BIT(M_INVALID);
    }
    if (server) {
        bits |= NOTIMPL_BIT(M_OPTIONS);
    }
    return bits;
}

/* What a directory scope says about methods, as one list of operations:
 * an allowlist at one scope takes precedence over its NotImplMethods. */
static const apr_array_header_t *scope_ops(apr_pool_t *p,
                                           const notimpl_scope_t *c)
{
    apr_array_header_t *ops;
    notimpl_op_t *op;

    if (c->implemented == NULL) {
        return c->ops;
    }
    ops = apr_array_make(p, 1, sizeof(notimpl_op_t));
    op = apr_array_push(ops);
    op->op = NOTIMPL_OP_ALLOWLIST;
    op->token = NULL;
    op->names = c->implemented;
    return ops;
}

void *notimpl_merge_dir_config(apr_pool_t *p, void *basev, void *addv)
{
    notimpl_scope_t *base = basev, *add = addv;
    const apr_array_header_t *base_ops, *add_ops;
    notimpl_scope_t *c;
    notimpl_set_t empty;

    /* Most sections say nothing about methods: share the parent's config,
     * so a server without directory-scope directives pays no merge. */
    if (!says_anything(add)) {
        return base;
    }
    c = create_scope(p);
    merge_settings(p, c, base, add);

    /* httpd merges sections with each other before it merges the result
     * onto the server's defaults, so a merge must not depend on the order
     * it is done in: keep the whole list of operations, outermost first,
     * and compile the set from it, starting from nothing (a directory
     * scope only adds to what the server scope refuses). */
    base_ops = scope_ops(p, base);
    add_ops = scope_ops(p, add);
    c->ops = base_ops == NULL ? (apr_array_header_t *)add_ops
           : add_ops == NULL ? (apr_array_header_t *)base_ops
           : apr_array_append(p, base_ops, add_ops);
    memset(&empty, 0, sizeof(empty));
    notimpl_set_apply(p, &c->set, &empty, c->ops, &resolver);
    c->active = c->engine != 0 && !set_is_empty(&c->set);
    c->attention = attention(c, 0);
    return c;
}

/* Every method name httpd knows now, built-in and registered, in number
 * order; HEAD shares GET's number, so both are listed by hand. */
static apr_array_header_t *known_methods(apr_pool_t *p)
{
    apr_array_header_t *known = apr_array_make(p, 32, sizeof(const char *));
    int n;

    APR_ARRAY_PUSH(known, const char *) = "GET";
    APR_ARRAY_PUSH(known, const char *) = "HEAD";
    for (n = M_GET + 1; n < METHODS; n++) {
        const char *name = (n == M_INVALID) ? NULL : ap_method_name_of(p, n);
        if (name) {
            APR_ARRAY_PUSH(known, const char *) = name;
        }
    }
    return known;
}

void notimpl_compile_servers(apr_pool_t *p, server_rec *main_server)
{
    server_rec *s;
    notimpl_set_t start;
    apr_array_header_t *known;

    resolver.dav_loaded = ap_find_linked_module("mod_dav.c") != NULL;
    notimpl_set_auto(&start, &resolver);
    known = known_methods(p);

    for (s = main_server; s; s = s->next) {
        notimpl_scope_t *c = ap_get_module_config(s->module_config,
                                                  &notimpl_module);
        /* The main server comes first, so a virtual host's parent is
         * already compiled when the host is. */
        const notimpl_set_t *base = (s == main_server || c->parent == NULL)
            ? &start : &c->parent->set;

        notimpl_set_apply(p, &c->set, base, scope_ops(p, c), &resolver);
        c->active = c->engine != 0;
        c->attention = attention(c, 1);
        c->check_codings = c->active && c->transfer_codings != 0;
        if (c->active) {
            core_server_config *core =
                ap_get_core_module_config(s->module_config);
            c->allow_star = notimpl_allow_implemented(
                p, &c->set, known, core->trace_enable != AP_TRACE_DISABLE,
                &resolver);
        }
    }
}

notimpl_format_e notimpl_scope_format(const notimpl_scope_t *dir,
                                      const notimpl_scope_t *srv)
{
    if (dir && dir->format != NOTIMPL_FMT_UNSET) {
        return dir->format;
    }
    return srv->format != NOTIMPL_FMT_UNSET ? srv->format : NOTIMPL_FMT_AUTO;
}

const char *notimpl_scope_cache_control(const notimpl_scope_t *dir,
                                        const notimpl_scope_t *srv)
{
    return (dir && dir->cache_control_set) ? dir->cache_control
                                           : srv->cache_control;
}

const char *notimpl_scope_alternative(const notimpl_scope_t *dir,
                                      const notimpl_scope_t *srv,
                                      const char *method)
{
    const char *alt = NULL;
    if (dir && dir->alternatives) {
        alt = apr_hash_get(dir->alternatives, method, APR_HASH_KEY_STRING);
    }
    if (alt == NULL && srv->alternatives) {
        alt = apr_hash_get(srv->alternatives, method, APR_HASH_KEY_STRING);
    }
    return alt;
}
