/* Copyright 2026 mod_notimpl developers
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/* Unit tests of notimpl_policy.c: groups, compiling one scope's lists
 * into a change, stacking scopes, allowlists and their implemented list,
 * Allow values, with a stand-in for httpd's method registry.
 *
 * Token syntax, GET/HEAD in a not-implemented list, signed and unsigned
 * words mixed on one line and the groups NotImplImplemented refuses are
 * directive errors, decided in notimpl_directives.c: see
 * test/integration/test_config_errors.py. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>
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
#define M_PUT 1
#define M_CONNECT 4
#define M_TRACE 6
#define M_PATCH 7
#define M_PROPFIND 8
#define M_PURGE 27

/* ap_method_number_of: HEAD is M_GET. */
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

/* ap_method_name_of: NULL for a number nothing is registered under. */
static const char *name_of(apr_pool_t *p, int n)
{
    (void)p;
    if (n == M_PURGE) return "PURGE";
    return n >= 0 && n < NOTIMPL_M_INVALID ? builtin[n] : NULL;
}

static const notimpl_resolver_t no_dav = { number_of, name_of, 0 };
static const notimpl_resolver_t with_dav = { number_of, name_of, 1 };

static int has(const notimpl_set_t *s, const char *m)
{
    return notimpl_set_has(s, number_of(m), m);
}

/* A directive's words, as notimpl_config.c stores them: NULL-ended. */
static apr_array_header_t *words_v(const char *first, va_list ap)
{
    apr_array_header_t *w = apr_array_make(pool, 4, sizeof(const char *));
    const char *s;

    for (s = first; s; s = va_arg(ap, const char *)) {
        APR_ARRAY_PUSH(w, const char *) = s;
    }
    return w;
}

static apr_array_header_t *words(const char *first, ...)
{
    apr_array_header_t *w;
    va_list ap;

    va_start(ap, first);
    w = words_v(first, ap);
    va_end(ap);
    return w;
}

/* What one scope with the single NotImplMethods line `first ...` changes. */
static notimpl_set_t methods(const notimpl_resolver_t *res,
                             const char *first, ...)
{
    apr_array_header_t *lines = apr_array_make(pool, 1, sizeof(void *));
    notimpl_set_t out;
    va_list ap;

    va_start(ap, first);
    APR_ARRAY_PUSH(lines, apr_array_header_t *) = words_v(first, ap);
    va_end(ap);
    notimpl_set_compile(pool, &out, lines, NULL, res);
    return out;
}

/* Several NotImplMethods lines of one scope, in order. */
static notimpl_set_t methods_lines(const notimpl_resolver_t *res,
                                   apr_array_header_t *first, ...)
{
    apr_array_header_t *lines = apr_array_make(pool, 2, sizeof(void *));
    apr_array_header_t *w;
    notimpl_set_t out;
    va_list ap;

    va_start(ap, first);
    for (w = first; w; w = va_arg(ap, apr_array_header_t *)) {
        APR_ARRAY_PUSH(lines, apr_array_header_t *) = w;
    }
    va_end(ap);
    notimpl_set_compile(pool, &out, lines, NULL, res);
    return out;
}

/* A scope with NotImplImplemented `first ...`. */
static notimpl_set_t implemented(const notimpl_resolver_t *res,
                                 const char *first, ...)
{
    apr_array_header_t *w;
    notimpl_set_t out;
    va_list ap;

    va_start(ap, first);
    w = words_v(first, ap);
    va_end(ap);
    notimpl_set_compile(pool, &out, NULL, w, res);
    return out;
}

static notimpl_set_t then(notimpl_set_t base, notimpl_set_t change)
{
    notimpl_set_t out;

    notimpl_set_then(pool, &out, &base, &change);
    return out;
}

static notimpl_set_t auto_set(const notimpl_resolver_t *res)
{
    notimpl_set_t s;

    notimpl_set_auto(&s, res);
    return s;
}

/* The implemented list as one sorted, space-separated string: the order
 * is not part of the contract, the contents are. */
static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *sorted(const apr_array_header_t *list)
{
    apr_array_header_t *copy;

    if (list == NULL) {
        return NULL;
    }
    copy = apr_array_copy(pool, list);
    qsort(copy->elts, copy->nelts, sizeof(const char *), by_string);
    return apr_array_pstrcat(pool, copy, ' ');
}

static const char *listed(const notimpl_set_t *s, int all,
                          apr_uint64_t leave_out)
{
    return sorted(notimpl_set_implemented(pool, s, all, leave_out, &no_dav));
}

/* Names strictly ascending: sorted, and none twice. */
static void assert_names_sorted_unique(const notimpl_set_t *s)
{
    int i;

    assert_true(s->n_names >= 0);
    for (i = 1; i < s->n_names; i++) {
        assert_true(strcmp(s->names[i - 1].name, s->names[i].name) < 0);
    }
}

static void assert_sets_equal(const notimpl_set_t *a, const notimpl_set_t *b)
{
    int i;

    assert_true(a->bits == b->bits);
    assert_true(a->decides == b->decides);
    assert_int_equal(a->unknown, b->unknown);
    assert_int_equal(a->allowlist, b->allowlist);
    assert_int_equal(a->n_names, b->n_names);
    for (i = 0; i < a->n_names; i++) {
        assert_string_equal(a->names[i].name, b->names[i].name);
        assert_int_equal(a->names[i].refused, b->names[i].refused);
    }
}

/* ------------------------------------------------------------ groups */

static void test_groups_are_exact_lower_case_words(void **state)
{
    (void)state;
    assert_true(notimpl_is_group("unknown"));
    assert_true(notimpl_is_group("webdav"));
    assert_true(notimpl_is_group("deltav"));
    assert_true(notimpl_is_group("auto"));
    assert_false(notimpl_is_group("WEBDAV"));
    assert_false(notimpl_is_group("webdab"));
    assert_false(notimpl_is_group(""));
    assert_false(notimpl_is_group("autos"));
}

static void test_a_near_miss_of_a_group_is_named(void **state)
{
    (void)state;
    assert_string_equal(notimpl_group_like("webdab"), "webdav");
    assert_string_equal(notimpl_group_like("WebDAV"), "webdav");
    assert_string_equal(notimpl_group_like("WEBDAV"), "webdav");
    assert_string_equal(notimpl_group_like("deltaV"), "deltav");
    assert_string_equal(notimpl_group_like("Auto"), "auto");
    assert_string_equal(notimpl_group_like("Unknown"), "unknown");
    assert_string_equal(notimpl_group_like("unknwon"), "unknown");
}

static void test_a_method_name_is_not_like_a_group(void **state)
{
    (void)state;
    assert_null(notimpl_group_like("PUT"));
    assert_null(notimpl_group_like("LOCK"));
    assert_null(notimpl_group_like("unlock"));
    assert_null(notimpl_group_like("BREW"));
    assert_null(notimpl_group_like("PROPFIND"));
    assert_null(notimpl_group_like("a-very-long-extension-method"));
    /* The groups themselves are not typos. */
    assert_null(notimpl_group_like("webdav"));
    assert_null(notimpl_group_like("deltav"));
    assert_null(notimpl_group_like("auto"));
    assert_null(notimpl_group_like("unknown"));
}

/* ------------------------------------------------------------ auto */

static void test_the_empty_set_refuses_nothing(void **state)
{
    (void)state;
    assert_false(has(&notimpl_set_empty, "BREW"));
    assert_false(has(&notimpl_set_empty, "PUT"));
    assert_false(has(&notimpl_set_empty, "PROPFIND"));
    assert_false(has(&notimpl_set_empty, "GET"));
    assert_null(listed(&notimpl_set_empty, 0, 0));
}

static void test_auto_without_dav_refuses_unknown_webdav_and_deltav(void **s)
{
    notimpl_set_t set = auto_set(&no_dav);

    (void)s;
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
    /* Not an allowlist: no implemented list in the document. */
    assert_int_not_equal(set.allowlist, 1);
    assert_null(listed(&set, 0, 0));
}

static void test_auto_with_dav_leaves_webdav_to_mod_dav(void **state)
{
    notimpl_set_t set = auto_set(&with_dav);

    (void)state;
    assert_true(has(&set, "BREW"));
    assert_false(has(&set, "PROPFIND"));
    assert_false(has(&set, "MERGE"));
}

static void test_the_auto_group_is_what_auto_means(void **state)
{
    notimpl_set_t none = methods(&no_dav, "auto", NULL);
    notimpl_set_t dav = methods(&with_dav, "auto", NULL);

    (void)state;
    assert_true(has(&none, "BREW"));
    assert_true(has(&none, "PROPFIND"));
    assert_true(has(&none, "REPORT"));
    assert_true(has(&dav, "BREW"));
    assert_false(has(&dav, "PROPFIND"));
    /* -auto takes back all of it. */
    none = then(auto_set(&no_dav), methods(&no_dav, "-auto", NULL));
    assert_false(has(&none, "BREW"));
    assert_false(has(&none, "PROPFIND"));
    assert_false(has(&none, "MERGE"));
}

/* ------------------------------------------------------------ GET, HEAD */

/* RFC 9110 §9.1.  The directives refuse GET and HEAD in a not-implemented
 * list; were one to reach the compiler, it still puts nothing in a set. */
static void test_get_and_head_are_never_refused(void **state)
{
    notimpl_set_t sets[6];
    int i;

    (void)state;
    sets[0] = auto_set(&no_dav);
    sets[1] = then(auto_set(&no_dav),
                   methods(&no_dav, "GET", "HEAD", "PUT", "unknown", NULL));
    sets[2] = then(auto_set(&no_dav),
                   methods(&no_dav, "+GET", "+HEAD", "+auto", NULL));
    sets[3] = then(auto_set(&no_dav), implemented(&no_dav, "POST", NULL));
    sets[4] = then(sets[3], methods(&no_dav, "+GET", "+HEAD", NULL));
    sets[5] = then(notimpl_set_empty, implemented(&no_dav, "webdav", NULL));
    for (i = 0; i < 6; i++) {
        assert_false(has(&sets[i], "GET"));
        assert_false(has(&sets[i], "HEAD"));
        assert_false(sets[i].bits & NOTIMPL_BIT(NOTIMPL_M_GET));
        assert_false(sets[i].bits & NOTIMPL_BIT(NOTIMPL_M_INVALID));
    }
    assert_true(has(&sets[1], "PUT"));
}

/* Removing GET is meaningless (the directive takes it) but changes
 * nothing: the scope inherits everything. */
static void test_minus_get_changes_nothing(void **state)
{
    notimpl_set_t change = methods(&no_dav, "-GET", "-HEAD", NULL);
    notimpl_set_t base = auto_set(&no_dav), set = then(base, change);

    (void)state;
    assert_true(change.bits == 0);
    assert_true(change.decides == 0);
    assert_int_equal(change.unknown, -1);
    assert_int_equal(change.allowlist, -1);
    assert_int_equal(change.n_names, 0);
    assert_sets_equal(&set, &base);
}

/* ------------------------------------------------------------ lists */

static void test_plus_and_minus_adjust_the_inherited_set(void **state)
{
    notimpl_set_t base = auto_set(&no_dav), set;

    (void)state;
    set = then(base, methods(&no_dav, "+PATCH", "-BREW", "-PROPFIND", NULL));
    assert_true(has(&set, "PATCH"));
    assert_false(has(&set, "BREW"));
    assert_true(has(&set, "BREWING"));
    assert_false(has(&set, "PROPFIND"));
    assert_true(has(&set, "MKCOL"));
    /* The base is not changed by its child. */
    assert_true(has(&base, "BREW"));
    assert_false(has(&base, "PATCH"));
    assert_true(has(&base, "PROPFIND"));
}

/* A signed line decides what it names and inherits the rest. */
static void test_a_signed_line_decides_only_what_it_names(void **state)
{
    notimpl_set_t change = methods(&no_dav, "+PATCH", "-PROPFIND", "-BREW",
                                   NULL);

    (void)state;
    assert_true(change.decides
                == (NOTIMPL_BIT(M_PATCH) | NOTIMPL_BIT(M_PROPFIND)));
    assert_true(change.bits == NOTIMPL_BIT(M_PATCH));
    assert_int_equal(change.unknown, -1);
    assert_int_equal(change.allowlist, -1);
    assert_int_equal(change.n_names, 1);
    assert_string_equal(change.names[0].name, "BREW");
    assert_false(change.names[0].refused);
}

static void test_unsigned_list_replaces_the_inherited_set(void **state)
{
    notimpl_set_t set;

    (void)state;
    set = then(auto_set(&no_dav), methods(&no_dav, "PUT", "BREW", NULL));
    assert_true(has(&set, "PUT"));
    assert_true(has(&set, "BREW"));
    assert_false(has(&set, "COFFEE"));
    assert_false(has(&set, "PROPFIND"));
    assert_false(has(&set, "PATCH"));
}

static void test_an_unsigned_line_replaces_the_lines_before_it(void **state)
{
    notimpl_set_t set;

    (void)state;
    set = then(auto_set(&no_dav),
               methods_lines(&no_dav, words("+PATCH", "+BREW", NULL),
                             words("PUT", NULL),
                             words("+DELETE", "+TEA", NULL), NULL));
    assert_true(has(&set, "PUT"));
    assert_true(has(&set, "DELETE"));
    assert_true(has(&set, "TEA"));
    assert_false(has(&set, "PATCH"));
    assert_false(has(&set, "BREW"));
    assert_false(has(&set, "COFFEE"));
    assert_false(has(&set, "PROPFIND"));
}

static void test_signed_lines_of_one_scope_apply_in_order(void **state)
{
    notimpl_set_t set;

    (void)state;
    set = then(auto_set(&no_dav),
               methods_lines(&no_dav, words("+PATCH", "-BREW", NULL),
                             words("-PATCH", "+BREW", "+PUT", NULL), NULL));
    assert_false(has(&set, "PATCH"));
    assert_true(has(&set, "BREW"));
    assert_true(has(&set, "PUT"));
    set = then(auto_set(&no_dav),
               methods(&no_dav, "+PATCH", "-PATCH", "-BREW", "+BREW", NULL));
    assert_false(has(&set, "PATCH"));
    assert_true(has(&set, "BREW"));
}

static void test_registered_method_is_no_longer_unknown(void **state)
{
    notimpl_set_t base = auto_set(&no_dav), set;

    (void)state;
    assert_false(has(&base, "PURGE"));
    set = then(base, methods(&no_dav, "+PURGE", NULL));
    assert_true(has(&set, "PURGE"));
    assert_true(set.bits & NOTIMPL_BIT(M_PURGE));
    /* Decided by its bit, not by name. */
    assert_int_equal(set.n_names, 0);
}

static void test_unknown_group_toggles_every_unregistered_name(void **state)
{
    notimpl_set_t set, back;

    (void)state;
    set = then(notimpl_set_empty, methods(&no_dav, "+BREW", "+unknown",
                                          NULL));
    assert_true(has(&set, "COFFEE"));
    assert_true(has(&set, "BREW"));
    back = then(set, methods(&no_dav, "-unknown", "+TEA", NULL));
    assert_false(has(&back, "COFFEE"));
    assert_false(has(&back, "BREW"));
    assert_true(has(&back, "TEA"));
    /* The same two lines in one scope. */
    back = then(notimpl_set_empty,
                methods_lines(&no_dav, words("+BREW", "+unknown", NULL),
                              words("-unknown", "+TEA", NULL), NULL));
    assert_false(has(&back, "COFFEE"));
    assert_false(has(&back, "BREW"));
    assert_true(has(&back, "TEA"));
    /* Registered methods are not unknown. */
    assert_false(has(&set, "PATCH"));
    assert_false(has(&set, "PURGE"));
}

/* -NAME exempts one name from unknown, in this scope and in the scopes
 * under it, until one of them decides that name or unknown again. */
static void test_an_exemption_from_unknown_is_inherited(void **state)
{
    notimpl_set_t base, set;

    (void)state;
    base = then(auto_set(&no_dav), methods(&no_dav, "-BREW", NULL));
    assert_false(has(&base, "BREW"));
    assert_true(has(&base, "COFFEE"));

    set = then(base, methods(&no_dav, "+PATCH", "-TEA", NULL));
    assert_false(has(&set, "BREW"));
    assert_false(has(&set, "TEA"));
    assert_true(has(&set, "COFFEE"));
    assert_true(has(&set, "PATCH"));

    set = then(base, methods(&no_dav, "+BREW", NULL));
    assert_true(has(&set, "BREW"));

    set = then(base, methods(&no_dav, "+unknown", NULL));
    assert_true(has(&set, "BREW"));

    set = then(base, methods(&no_dav, "-unknown", "+COFFEE", NULL));
    assert_false(has(&set, "BREW"));
    assert_false(has(&set, "TEA"));
    assert_true(has(&set, "COFFEE"));
}

static void test_the_unknown_group_overrides_names_before_it(void **state)
{
    notimpl_set_t set;

    (void)state;
    /* The later word wins: unknown after -BREW refuses BREW too. */
    set = then(notimpl_set_empty,
               methods(&no_dav, "-BREW", "+unknown", NULL));
    assert_true(has(&set, "BREW"));
    set = then(notimpl_set_empty,
               methods(&no_dav, "+unknown", "-BREW", NULL));
    assert_false(has(&set, "BREW"));
    assert_true(has(&set, "COFFEE"));
}

static void test_names_are_sorted_and_unique(void **state)
{
    notimpl_set_t set;
    int i;

    (void)state;
    set = methods(&no_dav, "+ZED", "+ALPHA", "-MID", "-ALPHA", "+MID",
                  "+ALPHA", "+PATCH", NULL);
    assert_names_sorted_unique(&set);
    assert_int_equal(set.n_names, 3);
    assert_string_equal(set.names[0].name, "ALPHA");
    assert_string_equal(set.names[1].name, "MID");
    assert_string_equal(set.names[2].name, "ZED");
    for (i = 0; i < 3; i++) {
        assert_true(set.names[i].refused);
    }
    /* Laid over a base with names of its own: still sorted, one each. */
    set = then(then(notimpl_set_empty,
                    methods(&no_dav, "+BETA", "+MID", "-ZZZ", NULL)),
               set);
    assert_names_sorted_unique(&set);
    assert_int_equal(set.n_names, 5);
    assert_true(has(&set, "ALPHA"));
    assert_true(has(&set, "BETA"));
    assert_true(has(&set, "MID"));
    assert_true(has(&set, "ZED"));
    assert_false(has(&set, "ZZZ"));
}

/* A list of thousands of names compiles, sorted, each one decided. */
static void test_a_long_list_of_names_is_decided_in_full(void **state)
{
    apr_array_header_t *lines = apr_array_make(pool, 1, sizeof(void *));
    apr_array_header_t *w = apr_array_make(pool, 3000, sizeof(char *));
    notimpl_set_t set;
    int i;

    (void)state;
    for (i = 0; i < 3000; i++) {
        APR_ARRAY_PUSH(w, const char *) = apr_psprintf(pool, "+M%d", 2999 - i);
    }
    APR_ARRAY_PUSH(lines, apr_array_header_t *) = w;
    notimpl_set_compile(pool, &set, lines, NULL, &no_dav);
    set = then(notimpl_set_empty, set);
    assert_int_equal(set.n_names, 3000);
    assert_names_sorted_unique(&set);
    for (i = 0; i < 3000; i++) {
        assert_true(has(&set, apr_psprintf(pool, "M%d", i)));
    }
    assert_false(has(&set, "M3000"));
}

/* ------------------------------------------------------------ allowlists */

static void test_allowlist_refuses_everything_not_named(void **state)
{
    notimpl_set_t set = then(auto_set(&no_dav),
                             implemented(&no_dav, "POST", "FOO", NULL));

    (void)state;
    assert_false(has(&set, "GET"));
    assert_false(has(&set, "HEAD"));
    assert_false(has(&set, "POST"));
    assert_false(has(&set, "FOO"));
    assert_true(has(&set, "PUT"));
    assert_true(has(&set, "PURGE"));
    assert_true(has(&set, "OPTIONS"));
    assert_true(has(&set, "BAR"));
    assert_int_equal(set.allowlist, 1);
    assert_string_equal(listed(&set, 0, 0), "FOO GET HEAD POST");
    assert_int_equal(notimpl_set_implemented(pool, &set, 0, 0,
                                             &no_dav)->nelts, 4);
}

/* At one scope NotImplImplemented takes precedence over NotImplMethods. */
static void test_allowlist_takes_precedence_over_lists_at_one_scope(
    void **state)
{
    apr_array_header_t *lines = apr_array_make(pool, 2, sizeof(void *));
    notimpl_set_t both, alone;

    (void)state;
    APR_ARRAY_PUSH(lines, apr_array_header_t *) = words("-PUT", "+BREW",
                                                        NULL);
    APR_ARRAY_PUSH(lines, apr_array_header_t *) = words("PATCH", NULL);
    notimpl_set_compile(pool, &both, lines, words("POST", "BREW", NULL),
                        &no_dav);
    alone = implemented(&no_dav, "POST", "BREW", NULL);
    assert_sets_equal(&both, &alone);
    both = then(auto_set(&no_dav), both);
    assert_true(has(&both, "PUT"));
    assert_false(has(&both, "BREW"));
    assert_true(has(&both, "PATCH"));
    assert_false(has(&both, "POST"));
}

static void test_adjusting_an_allowlist_keeps_its_list_true(void **state)
{
    notimpl_set_t base, set;

    (void)state;
    base = then(auto_set(&no_dav),
                implemented(&no_dav, "GET", "POST", "PUT", NULL));
    assert_string_equal(listed(&base, 0, 0), "GET HEAD POST PUT");
    set = then(base, methods(&no_dav, "+PUT", "-PATCH", NULL));
    assert_true(has(&set, "PUT"));
    assert_false(has(&set, "PATCH"));
    assert_int_equal(set.allowlist, 1);
    assert_string_equal(listed(&set, 0, 0), "GET HEAD PATCH POST");
    /* Names too: an exempted unknown name is listed. */
    set = then(base, methods(&no_dav, "-BREW", NULL));
    assert_false(has(&set, "BREW"));
    assert_true(has(&set, "COFFEE"));
    assert_string_equal(listed(&set, 0, 0), "BREW GET HEAD POST PUT");
}

static void test_allowlist_may_name_the_webdav_group(void **state)
{
    notimpl_set_t set = then(auto_set(&no_dav),
                             implemented(&no_dav, "webdav", NULL));

    (void)state;
    assert_false(has(&set, "PROPFIND"));
    assert_false(has(&set, "UNLOCK"));
    assert_true(has(&set, "REPORT"));
    assert_true(has(&set, "POST"));
    assert_string_equal(listed(&set, 0, 0),
                        "COPY GET HEAD LOCK MKCOL MOVE PROPFIND PROPPATCH "
                        "UNLOCK");
}

static void test_an_allowlist_replaces_what_came_before(void **state)
{
    /* Directory scopes outermost first: +PATCH, then an allowlist of
     * POST, then -PUT in the innermost scope. */
    notimpl_set_t set;

    (void)state;
    set = then(then(then(notimpl_set_empty,
                         methods(&no_dav, "+PATCH", "-BREW", NULL)),
                    implemented(&no_dav, "POST", NULL)),
               methods(&no_dav, "-PUT", NULL));
    assert_true(has(&set, "PATCH"));
    assert_true(has(&set, "BREW"));
    assert_false(has(&set, "POST"));
    assert_false(has(&set, "PUT"));
    assert_string_equal(listed(&set, 0, 0), "GET HEAD POST PUT");
}

/* And an unsigned list under an allowlist replaces the allowlist. */
static void test_an_unsigned_list_replaces_an_allowlist(void **state)
{
    notimpl_set_t set;

    (void)state;
    set = then(then(auto_set(&no_dav), implemented(&no_dav, "POST", NULL)),
               methods(&no_dav, "PUT", NULL));
    assert_int_not_equal(set.allowlist, 1);
    assert_true(has(&set, "PUT"));
    assert_false(has(&set, "DELETE"));
    assert_false(has(&set, "BREW"));
    assert_null(listed(&set, 0, 0));
}

/* OPTIONS *: every known method a set leaves out, not only an
 * allowlist's; leave_out drops TRACE or CONNECT where httpd would not
 * serve them. */
static void test_the_implemented_list_of_any_set_for_options(void **state)
{
    notimpl_set_t set = auto_set(&no_dav), allow;

    (void)state;
    assert_string_equal(listed(&set, 1, 0),
                        "CONNECT DELETE GET HEAD OPTIONS PATCH POST PURGE "
                        "PUT TRACE");
    assert_string_equal(listed(&set, 1, NOTIMPL_BIT(M_TRACE)
                                        | NOTIMPL_BIT(M_CONNECT)),
                        "DELETE GET HEAD OPTIONS PATCH POST PURGE PUT");
    /* Exempted names are an allowlist's business only. */
    set = then(set, methods(&no_dav, "+PATCH", "-BREW", NULL));
    assert_string_equal(listed(&set, 1, 0),
                        "CONNECT DELETE GET HEAD OPTIONS POST PURGE PUT "
                        "TRACE");
    allow = then(set, implemented(&no_dav, "TRACE", "POST", "TEA", NULL));
    assert_string_equal(listed(&allow, 1, 0), "GET HEAD POST TEA TRACE");
    assert_string_equal(listed(&allow, 0, NOTIMPL_BIT(M_TRACE)),
                        "GET HEAD POST TEA");
}

/* ------------------------------------------------------------ stacking */

/* httpd merges directory sections among themselves before merging the
 * result onto the server's set, so stacking must not depend on how the
 * scopes are grouped: (A then B) then C == A then (B then C). */
/* Changes of every kind one scope's directives make: signed lines, a
 * full list, unknown on and off, an allowlist, two lines.  Returns how
 * many it wrote to out (7). */
static size_t sample_changes(notimpl_set_t *out)
{
    size_t n = 0;

    out[n++] = methods(&no_dav, "+PATCH", "-BREW", "+TEA", NULL);
    out[n++] = methods(&no_dav, "-PATCH", "+BREW", "-webdav", NULL);
    out[n++] = methods(&no_dav, "PUT", "COFFEE", "BREW", NULL);
    out[n++] = methods(&no_dav, "+unknown", "-TEA", NULL);
    out[n++] = methods(&no_dav, "-unknown", "+ZED", "+PURGE", NULL);
    out[n++] = implemented(&no_dav, "POST", "BREW", NULL);
    out[n++] = methods_lines(&no_dav, words("+ALPHA", "-ZED", NULL),
                             words("-ALPHA", "+OPTIONS", NULL), NULL);
    return n;
}

static void test_stacking_is_associative(void **state)
{
    notimpl_set_t scopes[16], ab, ab_c, bc, a_bc;
    size_t n = 0, a, b, c;

    (void)state;
    scopes[n++] = notimpl_set_empty;
    scopes[n++] = auto_set(&no_dav);
    scopes[n++] = auto_set(&with_dav);
    n += sample_changes(scopes + n);
    scopes[n++] = methods(&with_dav, "-auto", "+deltav", NULL);
    scopes[n++] = implemented(&no_dav, "webdav", "TEA", "PATCH", NULL);
    scopes[n++] = methods(&no_dav, "-GET", NULL);
    for (a = 0; a < n; a++) {
        for (b = 0; b < n; b++) {
            for (c = 0; c < n; c++) {
                notimpl_set_then(pool, &ab, &scopes[a], &scopes[b]);
                notimpl_set_then(pool, &ab_c, &ab, &scopes[c]);
                notimpl_set_then(pool, &bc, &scopes[b], &scopes[c]);
                notimpl_set_then(pool, &a_bc, &scopes[a], &bc);
                assert_sets_equal(&ab_c, &a_bc);
                assert_names_sorted_unique(&ab_c);
            }
        }
    }
}

static void test_stacking_names_and_bits_in_either_grouping(void **state)
{
    notimpl_set_t server = auto_set(&no_dav);
    notimpl_set_t outer = methods(&no_dav, "+PATCH", "-BREW", NULL);
    notimpl_set_t inner = methods(&no_dav, "-PATCH", "+TEA", "-COFFEE",
                                  NULL);
    notimpl_set_t sections, left, right;

    (void)state;
    left = then(then(server, outer), inner);
    notimpl_set_then(pool, &sections, &outer, &inner);
    right = then(server, sections);
    assert_sets_equal(&left, &right);
    assert_false(has(&right, "PATCH"));
    assert_false(has(&right, "BREW"));
    assert_false(has(&right, "COFFEE"));
    assert_true(has(&right, "TEA"));
    assert_true(has(&right, "CHAI"));
    assert_true(has(&right, "PROPFIND"));
    assert_int_equal(right.n_names, 3);
}

/* A directory scope starts from nothing, so it tests its change itself:
 * a change refuses exactly what it refuses stacked on the empty set. */
static void test_a_change_refuses_what_it_refuses_on_the_empty_set(void **s)
{
    static const char *const probe[] = {
        "GET", "HEAD", "PUT", "PATCH", "OPTIONS", "TRACE", "PROPFIND",
        "MERGE", "PURGE", "BREW", "TEA", "COFFEE", "ZED", "ALPHA", NULL
    };
    notimpl_set_t changes[8], on_empty;
    size_t n, c;
    int i;

    (void)s;
    n = sample_changes(changes);
    changes[n++] = methods(&no_dav, "+TRACE", NULL);
    for (c = 0; c < n; c++) {
        on_empty = then(notimpl_set_empty, changes[c]);
        for (i = 0; probe[i]; i++) {
            assert_int_equal(has(&changes[c], probe[i]),
                             has(&on_empty, probe[i]));
        }
        assert_int_equal(changes[c].allowlist == 1, on_empty.allowlist == 1);
    }
}

static void test_then_may_write_over_its_base(void **state)
{
    notimpl_set_t set = auto_set(&no_dav), copy = set;
    notimpl_set_t change = methods(&no_dav, "+PATCH", "-BREW", NULL);
    notimpl_set_t expected = then(copy, change);

    (void)state;
    notimpl_set_then(pool, &set, &set, &change);
    assert_sets_equal(&set, &expected);
}

/* ------------------------------------------------------------ Allow */

static void test_allow_loses_the_methods_either_set_refuses(void **state)
{
    notimpl_set_t srv = then(auto_set(&no_dav),
                             methods(&no_dav, "+PUT", NULL));
    notimpl_set_t dir = then(notimpl_set_empty,
                             methods(&no_dav, "+POST", NULL));

    (void)state;
    assert_string_equal(notimpl_allow_without(pool,
                            "GET,HEAD,POST,PUT,PROPFIND,BREW,OPTIONS",
                            &srv, NULL, &no_dav),
                        "GET,HEAD,POST,OPTIONS");
    assert_string_equal(notimpl_allow_without(pool,
                            "GET, HEAD,\tPOST, PUT ,OPTIONS",
                            &srv, &dir, &no_dav),
                        "GET,HEAD,OPTIONS");
    /* Method names are case-sensitive: "post" is an unknown method. */
    assert_string_equal(notimpl_allow_without(pool, "GET,post,POST",
                                              &srv, NULL, &no_dav),
                        "GET,POST");
    /* Everything refused leaves an empty value. */
    assert_string_equal(notimpl_allow_without(pool, "PUT,BREW", &srv, NULL,
                                              &no_dav), "");
}

static void test_allow_is_kept_as_it_is_when_nothing_is_refused(void **s)
{
    static const char allow[] = "GET, HEAD, POST, OPTIONS", none[] = "";
    notimpl_set_t srv = auto_set(&no_dav);

    (void)s;
    assert_ptr_equal(notimpl_allow_without(pool, allow, &srv, NULL, &no_dav),
                     allow);
    assert_ptr_equal(notimpl_allow_without(pool, allow, &srv,
                                           &notimpl_set_empty, &no_dav),
                     allow);
    assert_ptr_equal(notimpl_allow_without(pool, none, &srv, NULL, &no_dav),
                     none);
}

/* The hooks' pre-test says yes exactly where the full test does, but for
 * an unregistered name, which it always passes on. */
static void test_may_have_never_misses_what_the_set_refuses(void **state)
{
    const notimpl_set_t sets[] = {
        methods(&no_dav, "PUT", "PURGE", "BREW", NULL),
        methods(&no_dav, "unknown", "-BREW", NULL),
        implemented(&no_dav, "GET", "POST", "BREW", NULL),
        then(auto_set(&no_dav), methods(&no_dav, "+PATCH", "-WHEN", NULL)),
        notimpl_set_empty,
    };
    size_t i;
    int n;

    (void)state;
    for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
        /* An unregistered name: only the name can tell. */
        assert_true(notimpl_set_may_have(&sets[i], NOTIMPL_M_INVALID));
        for (n = 0; n < NOTIMPL_METHODS; n++) {
            if (n != NOTIMPL_M_INVALID) {
                assert_int_equal(notimpl_set_may_have(&sets[i], n),
                                 notimpl_set_has(&sets[i], n, "X"));
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groups_are_exact_lower_case_words),
        cmocka_unit_test(test_a_near_miss_of_a_group_is_named),
        cmocka_unit_test(test_a_method_name_is_not_like_a_group),
        cmocka_unit_test(test_the_empty_set_refuses_nothing),
        cmocka_unit_test(
            test_auto_without_dav_refuses_unknown_webdav_and_deltav),
        cmocka_unit_test(test_auto_with_dav_leaves_webdav_to_mod_dav),
        cmocka_unit_test(test_the_auto_group_is_what_auto_means),
        cmocka_unit_test(test_get_and_head_are_never_refused),
        cmocka_unit_test(test_minus_get_changes_nothing),
        cmocka_unit_test(test_plus_and_minus_adjust_the_inherited_set),
        cmocka_unit_test(test_a_signed_line_decides_only_what_it_names),
        cmocka_unit_test(test_unsigned_list_replaces_the_inherited_set),
        cmocka_unit_test(test_an_unsigned_line_replaces_the_lines_before_it),
        cmocka_unit_test(test_signed_lines_of_one_scope_apply_in_order),
        cmocka_unit_test(test_registered_method_is_no_longer_unknown),
        cmocka_unit_test(test_unknown_group_toggles_every_unregistered_name),
        cmocka_unit_test(test_an_exemption_from_unknown_is_inherited),
        cmocka_unit_test(test_the_unknown_group_overrides_names_before_it),
        cmocka_unit_test(test_names_are_sorted_and_unique),
        cmocka_unit_test(test_a_long_list_of_names_is_decided_in_full),
        cmocka_unit_test(test_allowlist_refuses_everything_not_named),
        cmocka_unit_test(
            test_allowlist_takes_precedence_over_lists_at_one_scope),
        cmocka_unit_test(test_adjusting_an_allowlist_keeps_its_list_true),
        cmocka_unit_test(test_allowlist_may_name_the_webdav_group),
        cmocka_unit_test(test_an_allowlist_replaces_what_came_before),
        cmocka_unit_test(test_an_unsigned_list_replaces_an_allowlist),
        cmocka_unit_test(test_the_implemented_list_of_any_set_for_options),
        cmocka_unit_test(test_stacking_is_associative),
        cmocka_unit_test(test_stacking_names_and_bits_in_either_grouping),
        cmocka_unit_test(
            test_a_change_refuses_what_it_refuses_on_the_empty_set),
        cmocka_unit_test(test_then_may_write_over_its_base),
        cmocka_unit_test(test_allow_loses_the_methods_either_set_refuses),
        cmocka_unit_test(test_allow_is_kept_as_it_is_when_nothing_is_refused),
        cmocka_unit_test(test_may_have_never_misses_what_the_set_refuses),
    };
    return cmocka_run_group_tests_name("policy", tests, unit_setup,
                                       unit_teardown);
}
