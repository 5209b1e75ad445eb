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

/* Unit tests of the format names (notimpl_render.c): NotImplFormat
 * keywords, their names back, and the Content-Type of each document
 * (docs/directives.md; docs/behaviour.md "The response"). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "notimpl_render.h"

static void test_the_five_keywords_name_their_formats(void **state)
{
    (void)state;
    assert_int_equal(notimpl_format_from_name("auto"), NOTIMPL_FMT_AUTO);
    assert_int_equal(notimpl_format_from_name("problem"),
                     NOTIMPL_FMT_PROBLEM);
    assert_int_equal(notimpl_format_from_name("json"), NOTIMPL_FMT_JSON);
    assert_int_equal(notimpl_format_from_name("html"), NOTIMPL_FMT_HTML);
    assert_int_equal(notimpl_format_from_name("text"), NOTIMPL_FMT_TEXT);
}

static void test_keywords_are_case_insensitive(void **state)
{
    (void)state;
    assert_int_equal(notimpl_format_from_name("AUTO"), NOTIMPL_FMT_AUTO);
    assert_int_equal(notimpl_format_from_name("Problem"),
                     NOTIMPL_FMT_PROBLEM);
    assert_int_equal(notimpl_format_from_name("JSON"), NOTIMPL_FMT_JSON);
    assert_int_equal(notimpl_format_from_name("hTmL"), NOTIMPL_FMT_HTML);
    assert_int_equal(notimpl_format_from_name("TEXT"), NOTIMPL_FMT_TEXT);
}

static void test_other_words_are_unset(void **state)
{
    (void)state;
    assert_int_equal(notimpl_format_from_name(""), NOTIMPL_FMT_UNSET);
    assert_int_equal(notimpl_format_from_name("xml"), NOTIMPL_FMT_UNSET);
    assert_int_equal(notimpl_format_from_name("jsonx"), NOTIMPL_FMT_UNSET);
    assert_int_equal(notimpl_format_from_name("jso"), NOTIMPL_FMT_UNSET);
    assert_int_equal(notimpl_format_from_name(" json"), NOTIMPL_FMT_UNSET);
    assert_int_equal(notimpl_format_from_name("json "), NOTIMPL_FMT_UNSET);
    assert_int_equal(notimpl_format_from_name("a u t o"), NOTIMPL_FMT_UNSET);
    assert_int_equal(notimpl_format_from_name("application/json"),
                     NOTIMPL_FMT_UNSET);
    assert_int_equal(notimpl_format_from_name(NULL), NOTIMPL_FMT_UNSET);
}

static void test_each_format_has_its_keyword_back(void **state)
{
    int f;

    (void)state;
    assert_string_equal(notimpl_format_name(NOTIMPL_FMT_AUTO), "auto");
    assert_string_equal(notimpl_format_name(NOTIMPL_FMT_PROBLEM), "problem");
    assert_string_equal(notimpl_format_name(NOTIMPL_FMT_JSON), "json");
    assert_string_equal(notimpl_format_name(NOTIMPL_FMT_HTML), "html");
    assert_string_equal(notimpl_format_name(NOTIMPL_FMT_TEXT), "text");
    /* Unset means auto (the default), which is what -D DUMP_NOTIMPL shows. */
    assert_string_equal(notimpl_format_name(NOTIMPL_FMT_UNSET), "auto");
    for (f = NOTIMPL_FMT_AUTO; f <= NOTIMPL_FMT_TEXT; f++) {
        assert_int_equal(notimpl_format_from_name(
                             notimpl_format_name((notimpl_format_e)f)), f);
    }
}

static void test_every_content_type_says_utf8(void **state)
{
    (void)state;
    assert_string_equal(notimpl_format_content_type(NOTIMPL_FMT_PROBLEM),
                        "application/problem+json; charset=utf-8");
    assert_string_equal(notimpl_format_content_type(NOTIMPL_FMT_JSON),
                        "application/json; charset=utf-8");
    assert_string_equal(notimpl_format_content_type(NOTIMPL_FMT_HTML),
                        "text/html; charset=utf-8");
    assert_string_equal(notimpl_format_content_type(NOTIMPL_FMT_TEXT),
                        "text/plain; charset=utf-8");
}

static void test_a_non_concrete_format_is_served_as_json(void **state)
{
    (void)state;
    assert_string_equal(notimpl_format_content_type(NOTIMPL_FMT_AUTO),
                        "application/json; charset=utf-8");
    assert_string_equal(notimpl_format_content_type(NOTIMPL_FMT_UNSET),
                        "application/json; charset=utf-8");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_five_keywords_name_their_formats),
        cmocka_unit_test(test_keywords_are_case_insensitive),
        cmocka_unit_test(test_other_words_are_unset),
        cmocka_unit_test(test_each_format_has_its_keyword_back),
        cmocka_unit_test(test_every_content_type_says_utf8),
        cmocka_unit_test(test_a_non_concrete_format_is_served_as_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
