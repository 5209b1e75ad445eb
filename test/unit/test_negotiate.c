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

/* Unit tests of notimpl_negotiate (notimpl_render.c): choosing the error
 * document from Accept (docs/behaviour.md "The response", RFC 9110
 * §12.5.1). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "notimpl_render.h"

#define assert_negotiates(accept, fmt) \
    assert_int_equal(notimpl_negotiate(accept), (fmt))

static int is_concrete(notimpl_format_e f)
{
    return f == NOTIMPL_FMT_PROBLEM || f == NOTIMPL_FMT_JSON
        || f == NOTIMPL_FMT_HTML || f == NOTIMPL_FMT_TEXT;
}

static void test_no_accept_gives_json(void **state)
{
    (void)state;
    assert_negotiates(NULL, NOTIMPL_FMT_JSON);
    assert_negotiates("", NOTIMPL_FMT_JSON);
    assert_negotiates("   ", NOTIMPL_FMT_JSON);
    assert_negotiates(" , ,", NOTIMPL_FMT_JSON);
}

static void test_star_star_gives_json(void **state)
{
    (void)state;
    assert_negotiates("*/*", NOTIMPL_FMT_JSON);
    assert_negotiates("*/*;q=0.3", NOTIMPL_FMT_JSON);
}

static void test_each_exact_type_gives_its_format(void **state)
{
    (void)state;
    assert_negotiates("application/problem+json", NOTIMPL_FMT_PROBLEM);
    assert_negotiates("application/json", NOTIMPL_FMT_JSON);
    assert_negotiates("text/html", NOTIMPL_FMT_HTML);
    assert_negotiates("text/plain", NOTIMPL_FMT_TEXT);
}

static void test_media_types_are_case_insensitive(void **state)
{
    (void)state;
    assert_negotiates("TEXT/HTML", NOTIMPL_FMT_HTML);
    assert_negotiates("Application/Problem+JSON", NOTIMPL_FMT_PROBLEM);
    assert_negotiates("text/plain;Q=0.5, text/html;Q=0.4", NOTIMPL_FMT_TEXT);
}

static void test_application_star_gives_json(void **state)
{
    (void)state;
    assert_negotiates("application/*", NOTIMPL_FMT_JSON);
}

static void test_text_star_gives_html_over_plain(void **state)
{
    (void)state;
    assert_negotiates("text/*", NOTIMPL_FMT_HTML);
}

static void test_a_browser_accept_gives_html(void **state)
{
    (void)state;
    assert_negotiates("text/html, */*;q=0.01", NOTIMPL_FMT_HTML);
    assert_negotiates("text/html,application/xhtml+xml,application/xml;"
                      "q=0.9,image/avif,image/webp,*/*;q=0.8",
                      NOTIMPL_FMT_HTML);
}

static void test_higher_q_wins_whatever_the_order(void **state)
{
    (void)state;
    assert_negotiates("text/plain;q=0.5, text/html;q=0.4", NOTIMPL_FMT_TEXT);
    assert_negotiates("text/html;q=0.4, text/plain;q=0.5", NOTIMPL_FMT_TEXT);
    assert_negotiates("application/json;q=0.001, text/plain;q=0.002",
                      NOTIMPL_FMT_TEXT);
    assert_negotiates("application/problem+json;q=1.000, "
                      "application/json;q=0.999", NOTIMPL_FMT_PROBLEM);
}

static void test_ties_prefer_json_then_problem_then_html(void **state)
{
    (void)state;
    assert_negotiates("text/plain, text/html, application/problem+json, "
                      "application/json", NOTIMPL_FMT_JSON);
    assert_negotiates("text/plain, text/html, application/problem+json",
                      NOTIMPL_FMT_PROBLEM);
    assert_negotiates("text/plain;q=0.5, text/html;q=0.5", NOTIMPL_FMT_HTML);
}

static void test_unacceptable_types_give_json(void **state)
{
    (void)state;
    assert_negotiates("image/png", NOTIMPL_FMT_JSON);
    assert_negotiates("text/html;q=0, text/plain;q=0", NOTIMPL_FMT_JSON);
    assert_negotiates("*/*;q=0", NOTIMPL_FMT_JSON);
}

static void test_json_refused_falls_to_problem(void **state)
{
    (void)state;
    assert_negotiates("application/json;q=0, */*", NOTIMPL_FMT_PROBLEM);
}

static void test_most_specific_range_sets_the_weight(void **state)
{
    (void)state;
    /* The text wildcard says 0.9, but text/html itself is refused. */
    assert_negotiates("text/html;q=0, text/*;q=0.9", NOTIMPL_FMT_TEXT);
    /* text/plain keeps the 0.5 of the match-anything range; the more
     * specific ranges lower html and both JSON forms below it. */
    assert_negotiates("*/*;q=0.5, text/html;q=0.1, application/*;q=0.2",
                      NOTIMPL_FMT_TEXT);
    assert_negotiates("*/*;q=0.1, text/*;q=0.2, text/html;q=0.01",
                      NOTIMPL_FMT_TEXT);
    assert_negotiates("application/*;q=0, */*", NOTIMPL_FMT_HTML);
}

static void test_the_first_of_equal_ranges_counts(void **state)
{
    (void)state;
    assert_negotiates("text/html;q=0.1, text/plain;q=0.5, text/html",
                      NOTIMPL_FMT_TEXT);
}

static void test_other_parameters_do_not_stop_a_match(void **state)
{
    (void)state;
    assert_negotiates("text/html;level=1;charset=utf-8", NOTIMPL_FMT_HTML);
    assert_negotiates("text/plain; format=flowed ; q=0.7, text/html;q=0.6",
                      NOTIMPL_FMT_TEXT);
    assert_negotiates("text/plain;q=0.9;ext=1, text/html;q=0.8",
                      NOTIMPL_FMT_TEXT);
    /* After the weight, even a "q" is an accept-ext (RFC 7231). */
    assert_negotiates("text/plain;q=0.9;q=0, text/html;q=0.8",
                      NOTIMPL_FMT_TEXT);
}

static void test_commas_in_quoted_parameters_do_not_split(void **state)
{
    (void)state;
    assert_negotiates("text/plain;x=\"a, text/html, b\"", NOTIMPL_FMT_TEXT);
    /* ... also while skipping a malformed range. */
    assert_negotiates("text/html x;a=\"b, text/plain, c\", "
                      "application/problem+json;q=0.5", NOTIMPL_FMT_PROBLEM);
    /* Read as ending at the escaped quote, text/html;q=1 would appear. */
    assert_negotiates("text/plain;x=\"a\\\", text/html;q=1, b\";q=0.5, "
                      "text/*;q=0.4", NOTIMPL_FMT_TEXT);
}

static void test_qvalues_follow_the_rfc_grammar(void **state)
{
    (void)state;
    assert_negotiates("text/plain;q=1.000, text/html;q=0.999",
                      NOTIMPL_FMT_TEXT);
    assert_negotiates("text/plain;q=1., text/html;q=0.", NOTIMPL_FMT_TEXT);
    assert_negotiates("text/plain;q=0.01, text/html;q=0.009",
                      NOTIMPL_FMT_TEXT);
    assert_negotiates("text/plain;q=1, text/html;q=0.9", NOTIMPL_FMT_TEXT);
}

static void test_an_invalid_q_ignores_that_range(void **state)
{
    (void)state;
    /* Each malformed html range is dropped, so plain text wins. */
    assert_negotiates("text/html;q=2, text/plain;q=0.1", NOTIMPL_FMT_TEXT);
    assert_negotiates("text/html;q=-1, text/plain;q=0.1", NOTIMPL_FMT_TEXT);
    assert_negotiates("text/html;q=abc, text/plain;q=0.1", NOTIMPL_FMT_TEXT);
    assert_negotiates("text/html;q=0.0001, text/plain;q=0.1",
                      NOTIMPL_FMT_TEXT);
    assert_negotiates("text/html;q=1.001, text/plain;q=0.1",
                      NOTIMPL_FMT_TEXT);
    assert_negotiates("text/html;q=, text/plain;q=0.1", NOTIMPL_FMT_TEXT);
    assert_negotiates("text/html;q=\"1\", text/plain;q=0.1",
                      NOTIMPL_FMT_TEXT);
    assert_negotiates("text/html;q=0.5x, text/plain;q=0.1", NOTIMPL_FMT_TEXT);
    /* An invalid q=0 does not refuse JSON either. */
    assert_negotiates("application/json;q=0.0000, */*", NOTIMPL_FMT_JSON);
}

static void test_malformed_ranges_are_skipped(void **state)
{
    (void)state;
    assert_negotiates("html, text/plain", NOTIMPL_FMT_TEXT);
    assert_negotiates("text/, text/plain", NOTIMPL_FMT_TEXT);
    assert_negotiates("/html, text/plain", NOTIMPL_FMT_TEXT);
    assert_negotiates("*/html, text/plain", NOTIMPL_FMT_TEXT);
    assert_negotiates("text /html, text/plain", NOTIMPL_FMT_TEXT);
    assert_negotiates("text/html garbage, text/plain", NOTIMPL_FMT_TEXT);
    assert_negotiates("text/html;=1, text/plain", NOTIMPL_FMT_TEXT);
    assert_negotiates("text/html;;;q=0.2,,, text/plain;q=0.1",
                      NOTIMPL_FMT_HTML);
}

static void test_malformed_accept_never_fails(void **state)
{
    static const char *const ugly[] = {
        ";;;,,,/", "text/html;q=", "\x01\xff", "/", "*", "*/", "/*", ";",
        ",", "\"", "text/html;x=\"", "text/html;x=\"\\", "text/html;q",
        "q=1", "text/html;q=0.5;q=", "\xc3\x28/\xa0\xa1", "\t\r\n",
        "text/html\r\n, text/plain", "a/b/c/d", "=;=;=", "\\", NULL
    };
    int i;

    (void)state;
    for (i = 0; ugly[i]; i++) {
        assert_true(is_concrete(notimpl_negotiate(ugly[i])));
    }
    assert_negotiates(";;;,,,/", NOTIMPL_FMT_JSON);
    assert_negotiates("text/html;q=", NOTIMPL_FMT_JSON);
    assert_negotiates("\x01\xff", NOTIMPL_FMT_JSON);
    assert_negotiates("text/html;x=\"", NOTIMPL_FMT_HTML);
}

/* Repeats unit n times and appends tail. */
static char *repeat(const char *unit, size_t n, const char *tail)
{
    size_t u = strlen(unit), t = strlen(tail), i;
    char *s = malloc(u * n + t + 1);

    assert_non_null(s);
    for (i = 0; i < n; i++) {
        memcpy(s + i * u, unit, u);
    }
    memcpy(s + n * u, tail, t + 1);
    return s;
}

static void test_a_thousand_ranges_are_all_read(void **state)
{
    char *s = repeat("image/png;q=0.9, ", 1000, "text/plain;q=0.001");

    (void)state;
    assert_negotiates(s, NOTIMPL_FMT_TEXT);
    free(s);
}

/* A quadratic parser would take hours over these; linear takes
 * milliseconds. */
static void test_megabytes_of_accept_take_linear_time(void **state)
{
    static const char *const units[] = {
        "text/html;q=0.5;", ";", ",", "text/html;x=\"\\\",", "a", "*/*;q=",
        NULL
    };
    clock_t start = clock();
    int i;

    (void)state;
    for (i = 0; units[i]; i++) {
        char *s = repeat(units[i], 4000000 / strlen(units[i]), "");
        assert_true(is_concrete(notimpl_negotiate(s)));
        free(s);
    }
    assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 10.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_accept_gives_json),
        cmocka_unit_test(test_star_star_gives_json),
        cmocka_unit_test(test_each_exact_type_gives_its_format),
        cmocka_unit_test(test_media_types_are_case_insensitive),
        cmocka_unit_test(test_application_star_gives_json),
        cmocka_unit_test(test_text_star_gives_html_over_plain),
        cmocka_unit_test(test_a_browser_accept_gives_html),
        cmocka_unit_test(test_higher_q_wins_whatever_the_order),
        cmocka_unit_test(test_ties_prefer_json_then_problem_then_html),
        cmocka_unit_test(test_unacceptable_types_give_json),
        cmocka_unit_test(test_json_refused_falls_to_problem),
        cmocka_unit_test(test_most_specific_range_sets_the_weight),
        cmocka_unit_test(test_the_first_of_equal_ranges_counts),
        cmocka_unit_test(test_other_parameters_do_not_stop_a_match),
        cmocka_unit_test(test_commas_in_quoted_parameters_do_not_split),
        cmocka_unit_test(test_qvalues_follow_the_rfc_grammar),
        cmocka_unit_test(test_an_invalid_q_ignores_that_range),
        cmocka_unit_test(test_malformed_ranges_are_skipped),
        cmocka_unit_test(test_malformed_accept_never_fails),
        cmocka_unit_test(test_a_thousand_ranges_are_all_read),
        cmocka_unit_test(test_megabytes_of_accept_take_linear_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
