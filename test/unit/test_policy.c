/* Unit tests of notimpl_policy.c: tokens, groups, directive parsing and
 * compiling method sets, with a stand-in for httpd's method registry. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include "notimpl_policy.h"
#include "unit_pool.h"

/* httpd's built-in numbering (httpd.h), plus PURGE as a registered
 * extension method. */
static const char *const builtin[] = {
    "GET", "PUT", "POST", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
    "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK",
    "VERSION-CONTROL", "CHECKOUT", "UNCHECKOUT", "CHECKIN", "UPDATE",
    "LABEL", "REPORT", "MKWORKSPACE", "MKACTIVITY", "BASELINE-CONTROL",
    "MERGE", NULL
};
#define M_PURGE 27

static int number_of(const char *m)
{
    int i;
    if (strcmp(m, "HEAD") == 0) return 0;
    if (strcmp(m, "PURGE") == 0) return M_PURGE;
    for (i = 0; builtin[i]; i++) {
        if (strcmp(builtin[i], m) == 0) return i;
    }
    return NOTIMPL_M_INVALID;
}

static const notimpl_resolver_t no_dav = { number_of, 0 };
static const notimpl_resolver_t with_dav = { number_of, 1 };

static int has(const notimpl_set_t *s, const char *m)
{
    return notimpl_set_has(s, number_of(m), m);
}

/* Compiles one NotImplMethods line over base; asserts it parses. */
static void compile(notimpl_set_t *out, const notimpl_set_t *base,
                    const notimpl_resolver_t *res, int argc, ...)
{
    char *argv[16];
    apr_array_header_t *ops = NULL;
    va_list ap;
    int i;
    va_start(ap, argc);
    for (i = 0; i < argc; i++) argv[i] = va_arg(ap, char *);
    va_end(ap);
    assert_null(notimpl_parse_methods(pool, "NotImplMethods", argc, argv,
                                      &ops));
    notimpl_set_apply(pool, out, base, ops, res);
}

static const char *parse_error(int argc, char **argv)
{
    apr_array_header_t *ops = NULL;
    return notimpl_parse_methods(pool, "NotImplMethods", argc, argv, &ops);
}

static void test_tokens_follow_rfc9110_tchar(void **state)
{
    (void)state;
    assert_true(notimpl_is_token("BREW"));
    assert_true(notimpl_is_token("M-SEARCH"));
    assert_true(notimpl_is_token("get"));
    assert_true(notimpl_is_token("!#$%&'*+-.^_`|~09azAZ"));
    assert_false(notimpl_is_token(""));
    assert_false(notimpl_is_token("BR@W"));
    assert_false(notimpl_is_token("BR W"));
    assert_false(notimpl_is_token("BR\"W"));
    assert_false(notimpl_is_token("BR\x80W"));
    assert_false(notimpl_is_token("(BREW)"));
}

static void test_groups_are_exact_lower_case_words(void **state)
{
    (void)state;
    assert_true(notimpl_is_group("unknown"));
    assert_true(notimpl_is_group("webdav"));
    assert_true(notimpl_is_group("deltav"));
    assert_true(notimpl_is_group("auto"));
    assert_false(notimpl_is_group("WEBDAV"));
    assert_false(notimpl_is_group("webdab"));
}

static void test_get_and_head_are_refused_by_name(void **state)
{
    char *get[] = { "GET" }, *head[] = { "PATCH", "+HEAD" };
    char *plus_head[] = { "+HEAD" }, *minus_get[] = { "-GET" };
    const char *err;
    (void)state;
    err = parse_error(1, get);
    assert_non_null(err);
    assert_non_null(strstr(err, "NotImplMethods: GET cannot"));
    assert_non_null(parse_error(2, head));
    err = parse_error(1, plus_head);
    assert_non_null(strstr(err, "HEAD"));
    /* Removing GET is meaningless but puts nothing in a set. */
    assert_null(parse_error(1, minus_get));
}

static void test_bad_token_error_names_directive_and_token(void **state)
{
    char *bad[] = { "PATCH", "BR@W" }, *ctl[] = { "+BR\nW" };
    const char *err;
    (void)state;
    err = parse_error(2, bad);
    assert_non_null(err);
    assert_non_null(strstr(err, "NotImplMethods: 'BR@W'"));
    err = parse_error(1, ctl);
    assert_non_null(err);
    assert_null(strchr(err, '\n'));
}

static void test_mixing_signed_and_unsigned_is_an_error(void **state)
{
    char *mix[] = { "+PATCH", "PUT" };
    const char *err;
    (void)state;
    err = parse_error(2, mix);
    assert_non_null(err);
    assert_non_null(strstr(err, "'PUT'"));
    assert_non_null(strstr(err, "'+PATCH'"));
    assert_non_null(parse_error(0, NULL));
}

static void test_auto_without_dav_refuses_unknown_webdav_and_deltav(void **s)
{
    notimpl_set_t set;
    (void)s;
    notimpl_set_auto(&set, &no_dav);
    assert_true(has(&set, "BREW"));
    assert_true(has(&set, "get"));
    assert_true(has(&set, "PROPFIND"));
    assert_true(has(&set, "UNLOCK"));
    assert_true(has(&set, "VERSION-CONTROL"));
    assert_true(has(&set, "MERGE"));
    assert_false(has(&set, "GET"));
    assert_false(has(&set, "HEAD"));
    assert_false(has(&set, "PATCH"));
    assert_false(has(&set, "PURGE"));
    assert_null(set.implemented);
}

static void test_auto_with_dav_leaves_webdav_to_mod_dav(void **state)
{
    notimpl_set_t set;
    (void)state;
    notimpl_set_auto(&set, &with_dav);
    assert_true(has(&set, "BREW"));
    assert_false(has(&set, "PROPFIND"));
    assert_false(has(&set, "MERGE"));
}

static void test_plus_and_minus_adjust_the_inherited_set(void **state)
{
    notimpl_set_t base, set;
    (void)state;
    notimpl_set_auto(&base, &no_dav);
    compile(&set, &base, &no_dav, 3, "+PATCH", "-BREW", "-PROPFIND");
    assert_true(has(&set, "PATCH"));
    assert_false(has(&set, "BREW"));
    assert_true(has(&set, "BREWING"));
    assert_false(has(&set, "PROPFIND"));
    assert_true(has(&set, "MKCOL"));
    /* The base is not changed by its child. */
    assert_true(has(&base, "BREW"));
    assert_false(has(&base, "PATCH"));
}

static void test_unsigned_list_replaces_the_inherited_set(void **state)
{
    notimpl_set_t base, set;
    (void)state;
    notimpl_set_auto(&base, &no_dav);
    compile(&set, &base, &no_dav, 2, "PUT", "BREW");
    assert_true(has(&set, "PUT"));
    assert_true(has(&set, "BREW"));
    assert_false(has(&set, "COFFEE"));
    assert_false(has(&set, "PROPFIND"));
}

static void test_registered_method_is_no_longer_unknown(void **state)
{
    notimpl_set_t base, set;
    (void)state;
    notimpl_set_auto(&base, &no_dav);
    assert_false(has(&base, "PURGE"));
    compile(&set, &base, &no_dav, 1, "+PURGE");
    assert_true(has(&set, "PURGE"));
    assert_true(set.bits & NOTIMPL_BIT(M_PURGE));
}

static void test_unknown_group_toggles_every_unregistered_name(void **state)
{
    notimpl_set_t empty, set, back;
    (void)state;
    memset(&empty, 0, sizeof(empty));
    compile(&set, &empty, &no_dav, 2, "+BREW", "+unknown");
    assert_true(has(&set, "COFFEE"));
    compile(&back, &set, &no_dav, 2, "-unknown", "+TEA");
    assert_false(has(&back, "COFFEE"));
    assert_false(has(&back, "BREW"));
    assert_true(has(&back, "TEA"));
}

static void test_allowlist_refuses_everything_not_named(void **state)
{
    notimpl_set_t set;
    apr_array_header_t *names = NULL;
    char *argv[] = { "POST", "FOO" };
    const char *const *impl;
    (void)state;
    assert_null(notimpl_parse_implemented(pool, "NotImplImplemented", 2,
                                          argv, &names));
    notimpl_set_allowlist(pool, &set, names, &no_dav);
    assert_false(has(&set, "GET"));
    assert_false(has(&set, "HEAD"));
    assert_false(has(&set, "POST"));
    assert_false(has(&set, "FOO"));
    assert_true(has(&set, "PUT"));
    assert_true(has(&set, "PURGE"));
    assert_true(has(&set, "OPTIONS"));
    assert_true(has(&set, "BAR"));
    assert_int_equal(set.implemented->nelts, 4);
    impl = (const char *const *)set.implemented->elts;
    assert_string_equal(impl[0], "GET");
    assert_string_equal(impl[1], "HEAD");
    assert_string_equal(impl[2], "POST");
    assert_string_equal(impl[3], "FOO");
}

static void test_adjusting_an_allowlist_keeps_its_list_true(void **state)
{
    notimpl_set_t base, set;
    apr_array_header_t *names = NULL;
    char *argv[] = { "GET", "POST", "PUT" };
    const char *const *impl;
    (void)state;
    assert_null(notimpl_parse_implemented(pool, "NotImplImplemented", 3,
                                          argv, &names));
    notimpl_set_allowlist(pool, &base, names, &no_dav);
    assert_int_equal(base.implemented->nelts, 4);
    compile(&set, &base, &no_dav, 2, "+PUT", "-PATCH");
    assert_true(has(&set, "PUT"));
    assert_false(has(&set, "PATCH"));
    impl = (const char *const *)set.implemented->elts;
    assert_int_equal(set.implemented->nelts, 4);
    assert_string_equal(impl[2], "POST");
    assert_string_equal(impl[3], "PATCH");
}

static void test_allowlist_rejects_unknown_and_auto(void **state)
{
    apr_array_header_t *names = NULL;
    char *grp[] = { "POST", "auto" }, *bad[] = { "PO ST" };
    char *dav[] = { "webdav" };
    notimpl_set_t set;
    (void)state;
    assert_non_null(notimpl_parse_implemented(pool, "NotImplImplemented", 2,
                                              grp, &names));
    assert_non_null(notimpl_parse_implemented(pool, "NotImplImplemented", 1,
                                              bad, &names));
    assert_null(notimpl_parse_implemented(pool, "NotImplImplemented", 1,
                                          dav, &names));
    notimpl_set_allowlist(pool, &set, names, &no_dav);
    assert_false(has(&set, "PROPFIND"));
    assert_true(has(&set, "REPORT"));
}

static void test_an_allowlist_op_replaces_what_came_before(void **state)
{
    /* A directory list outermost first: +PATCH, then an allowlist of
     * POST, then -PUT in the innermost scope. */
    apr_array_header_t *ops = NULL, *names = NULL;
    char *outer[] = { "+PATCH" }, *allow[] = { "POST" }, *inner[] = { "-PUT" };
    notimpl_op_t *op;
    notimpl_set_t empty, set;
    (void)state;
    assert_null(notimpl_parse_methods(pool, "NotImplMethods", 1, outer, &ops));
    assert_null(notimpl_parse_implemented(pool, "NotImplImplemented", 1,
                                          allow, &names));
    op = apr_array_push(ops);
    op->op = NOTIMPL_OP_ALLOWLIST;
    op->token = NULL;
    op->names = names;
    assert_null(notimpl_parse_methods(pool, "NotImplMethods", 1, inner, &ops));
    memset(&empty, 0, sizeof(empty));
    notimpl_set_apply(pool, &set, &empty, ops, &no_dav);
    assert_true(has(&set, "PATCH"));
    assert_true(has(&set, "BREW"));
    assert_false(has(&set, "POST"));
    assert_false(has(&set, "PUT"));
    assert_int_equal(set.implemented->nelts, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens_follow_rfc9110_tchar),
        cmocka_unit_test(test_groups_are_exact_lower_case_words),
        cmocka_unit_test(test_get_and_head_are_refused_by_name),
        cmocka_unit_test(test_bad_token_error_names_directive_and_token),
        cmocka_unit_test(test_mixing_signed_and_unsigned_is_an_error),
        cmocka_unit_test(test_auto_without_dav_refuses_unknown_webdav_and_deltav),
        cmocka_unit_test(test_auto_with_dav_leaves_webdav_to_mod_dav),
        cmocka_unit_test(test_plus_and_minus_adjust_the_inherited_set),
        cmocka_unit_test(test_unsigned_list_replaces_the_inherited_set),
        cmocka_unit_test(test_registered_method_is_no_longer_unknown),
        cmocka_unit_test(test_unknown_group_toggles_every_unregistered_name),
        cmocka_unit_test(test_allowlist_refuses_everything_not_named),
        cmocka_unit_test(test_adjusting_an_allowlist_keeps_its_list_true),
        cmocka_unit_test(test_allowlist_rejects_unknown_and_auto),
        cmocka_unit_test(test_an_allowlist_op_replaces_what_came_before),
    };
    return cmocka_run_group_tests_name("policy", tests, unit_setup,
                                       unit_teardown);
}
