/* libFuzzer harness: directive-argument parsing and set compilation.
 * Any argument list either fails with a one-line message naming the
 * directive, or compiles into a set that never refuses GET or HEAD. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "notimpl_policy.h"
#include "notimpl_coding.h"

static apr_pool_t *root;

static int number_of(const char *m)
{
    static const char *const known[] = { "GET", "PUT", "POST", "DELETE",
        "CONNECT", "OPTIONS", "TRACE", "PATCH", "PROPFIND", NULL };
    int i;
    if (strcmp(m, "HEAD") == 0) return 0;
    for (i = 0; known[i]; i++) {
        if (strcmp(known[i], m) == 0) return i;
    }
    return NOTIMPL_M_INVALID;
}

static void check_error(const char *err, const char *directive)
{
    if (strncmp(err, directive, strlen(directive)) != 0
        || strchr(err, '\n') || strchr(err, '\r')) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    char *text, *tok, *last;
    char *argv[64];
    int argc = 0, dav;
    apr_array_header_t *ops = NULL, *names = NULL;
    notimpl_resolver_t res;
    notimpl_set_t base, set;
    const char *err;

    if (root == NULL) {
        apr_initialize();
        apr_pool_create(&root, NULL);
    }
    apr_pool_create(&p, root);
    text = apr_pstrmemdup(p, (const char *)data, size);
    dav = size > 0 && (data[0] & 1);
    for (tok = apr_strtok(text, " ", &last); tok && argc < 64;
         tok = apr_strtok(NULL, " ", &last)) {
        argv[argc++] = tok;
    }

    res.number_of = number_of;
    res.dav_loaded = dav;
    notimpl_set_auto(&base, &res);

    err = notimpl_parse_methods(p, "NotImplMethods", argc, argv, &ops);
    if (err) {
        check_error(err, "NotImplMethods");
    }
    else {
        notimpl_set_apply(p, &set, &base, ops, &res);
        if (notimpl_set_has(&set, 0, "GET") || notimpl_set_has(&set, 0, "HEAD")) {
            abort();
        }
    }
    err = notimpl_parse_implemented(p, "NotImplImplemented", argc, argv,
                                    &names);
    if (err) {
        check_error(err, "NotImplImplemented");
    }
    else {
        notimpl_set_allowlist(p, &set, names, &res);
        if (notimpl_set_has(&set, 0, "GET")) {
            abort();
        }
    }
    /* The same bytes as a Transfer-Encoding value. */
    (void)notimpl_unsupported_coding(p, apr_pstrmemdup(p, (const char *)data,
                                                       size));
    apr_pool_destroy(p);
    return 0;
}
