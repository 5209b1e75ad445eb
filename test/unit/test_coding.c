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

/* Unit tests of notimpl_unsupported_coding (notimpl_policy.c): which
 * Transfer-Encoding values name a coding other than chunked (RFC 9112
 * §6.1). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <apr_general.h>
#include "notimpl_policy.h"
#include "unit_pool.h"


static const char *first(const char *te)
{
    return notimpl_unsupported_coding(pool, te);
}

static void test_chunked_alone_is_understood(void **state)
{
    (void)state;
    assert_null(first("chunked"));
    assert_null(first("Chunked"));
    assert_null(first("CHUNKED"));
    assert_null(first(" chunked "));
    assert_null(first("chunked;ext=1"));
    assert_null(first(NULL));
}

static void test_empty_list_elements_are_skipped(void **state)
{
    (void)state;
    assert_null(first(", ,chunked"));
    assert_null(first(","));
    assert_null(first(""));
    assert_null(first("\t,\tchunked,"));
}

static void test_any_other_coding_is_named(void **state)
{
    (void)state;
    assert_string_equal(first("gzip, chunked"), "gzip");
    assert_string_equal(first("deflate,chunked"), "deflate");
    assert_string_equal(first("identity, chunked"), "identity");
    assert_string_equal(first("x-custom ; q=1 , chunked"), "x-custom");
    assert_string_equal(first("chunked, gzip"), "gzip");
    assert_string_equal(first("xchunked"), "xchunked");
    assert_string_equal(first("chunkedx"), "chunkedx");
    assert_string_equal(first("chunke"), "chunke");
}

static void test_parameters_without_a_name_are_not_chunked(void **state)
{
    (void)state;
    assert_string_equal(first(" ;a=b, chunked"), ";a=b");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chunked_alone_is_understood),
        cmocka_unit_test(test_empty_list_elements_are_skipped),
        cmocka_unit_test(test_any_other_coding_is_named),
        cmocka_unit_test(test_parameters_without_a_name_are_not_chunked),
    };
    return cmocka_run_group_tests_name("coding", tests, unit_setup,
                                       unit_teardown);
}
