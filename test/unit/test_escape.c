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

/* Unit tests of the JSON escaper and the UTF-8 check (notimpl_render.c).
 * Two regimes (docs/behaviour.md "The response"): client bytes that are not
 * printable ASCII are escaped, never raw; configuration text keeps its UTF-8.
 * Client bytes in HTML and text go through APR's escapers; what reaches
 * those documents is checked in test_render.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>
#include "notimpl_render.h"
#include "unit_pool.h"


/* Bytes 0x01..0xff in order: every byte a C string can carry. */

static void assert_printable(const char *s)
{
    for (; *s; s++) {
        assert_in_range((unsigned char)*s, 0x20, 0x7e);
    }
}

/* Undoes the JSON escaper's output (the subset of JSON it produces);
 * fails the test on anything else. */
static char *json_unescape(const char *s)
{
    char *out = apr_palloc(pool, strlen(s) + 1), *o = out;

    while (*s) {
        if (*s != '\\') {
            assert_true(*s != '"');
            *o++ = *s++;
            continue;
        }
        s++;
        if (*s == '"' || *s == '\\') {
            *o++ = *s++;
            continue;
        }
        assert_int_equal(*s, 'u');
        assert_memory_equal(s + 1, "00", 2);
        assert_non_null(strchr("0123456789abcdef", s[3]));
        assert_non_null(strchr("0123456789abcdef", s[4]));
        *o++ = (char)strtol(apr_pstrndup(pool, s + 3, 2), NULL, 16);
        s += 5;
    }
    *o = '\0';
    return out;
}

/* Client bytes: keep_utf8 0. */
static const char *json(const char *s)
{
    return notimpl_escape_json(pool, s, 0);
}

/* Configuration text: keep_utf8 1. */
static const char *json_conf(const char *s)
{
    return notimpl_escape_json(pool, s, 1);
}

static void test_json_keeps_a_plain_method(void **state)
{
    (void)state;
    assert_string_equal(json("BREW"), "BREW");
    assert_string_equal(json("M-SEARCH_1.0~!#$%^*+|`'"),
                        "M-SEARCH_1.0~!#$%^*+|`'");
    assert_string_equal(json_conf("M-SEARCH_1.0~!#$%^*+|`'"),
                        "M-SEARCH_1.0~!#$%^*+|`'");
}

/* A string with nothing to escape is passed through: the common 501
 * costs no copy.  One that needs escaping gets a new buffer, and the
 * input (the request's method) is left as it was. */
static void test_clean_input_is_returned_itself_dirty_input_is_copied(
    void **state)
{
    static const char clean[] = "BREW", dirty[] = "A<B";
    static const char cafe[] = "caf\xc3\xa9";
    (void)state;
    assert_ptr_equal(json(clean), clean);
    assert_ptr_equal(json_conf(clean), clean);
    assert_ptr_not_equal(json(dirty), dirty);
    assert_ptr_not_equal(json_conf(dirty), dirty);
    assert_string_equal(dirty, "A<B");
    /* UTF-8 is clean configuration text, but escaped client bytes. */
    assert_ptr_equal(json_conf(cafe), cafe);
    assert_ptr_not_equal(json(cafe), cafe);
    assert_string_equal(cafe, "caf\xc3\xa9");
}

static void test_json_escapes_quote_and_backslash(void **state)
{
    (void)state;
    assert_string_equal(json("a\"b\\c"), "a\\\"b\\\\c");
}

static void test_json_escapes_markup_characters(void **state)
{
    (void)state;
    assert_string_equal(json("</script>&"), "\\u003c/script\\u003e\\u0026");
}

static void test_json_escapes_control_bytes_as_u00xx(void **state)
{
    (void)state;
    assert_string_equal(json("A\r\nB\t\x01\x1f\x7f"),
                        "A\\u000d\\u000aB\\u0009\\u0001\\u001f\\u007f");
}

static void test_json_escapes_each_high_byte_as_one_code_point(void **state)
{
    (void)state;
    assert_string_equal(json("\x80\xff"), "\\u0080\\u00ff");
    /* valid UTF-8 (e-acute) and invalid UTF-8 alike */
    assert_string_equal(json("\xc3\xa9"), "\\u00c3\\u00a9");
    assert_string_equal(json("\xc3(\xed\xa0\x80"),
                        "\\u00c3(\\u00ed\\u00a0\\u0080");
}

static void test_json_of_every_byte_is_printable_and_reversible(void **state)
{
    const char *e = json(all_bytes);

    (void)state;
    assert_printable(e);        /* so no raw CR or LF either */
    assert_string_equal(json_unescape(e), all_bytes);
}

static void test_empty_and_null_escape_to_empty(void **state)
{
    (void)state;
    assert_string_equal(json(""), "");
    assert_string_equal(json(NULL), "");
    assert_string_equal(json_conf(""), "");
    assert_string_equal(json_conf(NULL), "");
}

static void test_a_ten_thousand_byte_method_is_escaped_whole(void **state)
{
    char *plain = apr_palloc(pool, 10001), *high = apr_palloc(pool, 10001);
    const char *e;
    int i;

    (void)state;
    memset(plain, 'A', 10000);
    plain[10000] = '\0';
    memset(high, '\xff', 10000);
    high[10000] = '\0';

    assert_string_equal(json(plain), plain);

    e = json(high);
    assert_int_equal(strlen(e), 60000);
    for (i = 0; i < 10000; i++) {
        assert_memory_equal(e + 6 * i, "\\u00ff", 6);
    }
}

/* ---------------------------------------------- configuration text */

static void test_configuration_text_keeps_its_utf8(void **state)
{
    (void)state;
    /* e-acute (2 bytes), hot beverage U+2615 (3), tea cup U+1F375 (4) */
    assert_string_equal(json_conf("Utilisez caf\xc3\xa9"),
                        "Utilisez caf\xc3\xa9");
    assert_string_equal(json_conf("\xe2\x98\x95 \xf0\x9f\x8d\xb5"),
                        "\xe2\x98\x95 \xf0\x9f\x8d\xb5");
    assert_string_equal(json_conf("\xef\xbf\xbf\xf4\x8f\xbf\xbf"),
                        "\xef\xbf\xbf\xf4\x8f\xbf\xbf");
}

static void test_configuration_text_still_escapes_what_json_demands(
    void **state)
{
    (void)state;
    assert_string_equal(json_conf("say \"caf\xc3\xa9\" a\\b"),
                        "say \\\"caf\xc3\xa9\\\" a\\\\b");
    /* < > & stay escaped: the string is safe inside HTML too. */
    assert_string_equal(json_conf("</script>&\xc3\xa9"),
                        "\\u003c/script\\u003e\\u0026\xc3\xa9");
    /* Control bytes are refused at start-up; were one to get this far,
     * it still could not break the JSON. */
    assert_string_equal(json_conf("A\r\n\t\x01\x1f\x7f"),
                        "A\\u000d\\u000a\\u0009\\u0001\\u001f\\u007f");
}

/* ---------------------------------------------- UTF-8 (RFC 3629) */

static void test_utf8_accepts_every_valid_length(void **state)
{
    (void)state;
    assert_true(notimpl_utf8_valid(""));
    assert_true(notimpl_utf8_valid("plain ASCII ~\x7f"));
    assert_true(notimpl_utf8_valid("caf\xc3\xa9"));             /* 2 bytes */
    assert_true(notimpl_utf8_valid("\xc2\x80\xdf\xbf"));    /* U+80, U+7FF */
    assert_true(notimpl_utf8_valid("\xe2\x98\x95"));            /* 3 bytes */
    assert_true(notimpl_utf8_valid("\xe0\xa0\x80"));            /* U+0800 */
    /* U+D7FF and U+E000, either side of the surrogates */
    assert_true(notimpl_utf8_valid("\xed\x9f\xbf\xee\x80\x80"));
    assert_true(notimpl_utf8_valid("\xef\xbf\xbf"));            /* U+FFFF */
    assert_true(notimpl_utf8_valid("\xf0\x9f\x8d\xb5"));        /* 4 bytes */
    assert_true(notimpl_utf8_valid("\xf0\x90\x80\x80"));        /* U+10000 */
    assert_true(notimpl_utf8_valid("\xf4\x8f\xbf\xbf"));        /* U+10FFFF */
}

static void test_utf8_refuses_what_rfc_3629_forbids(void **state)
{
    static const char *const bad[] = {
        "caf\xc3\x28",          /* bad continuation */
        "\xc0\xaf",             /* overlong '/', 2 bytes */
        "\xc1\xbf",             /* overlong, 2 bytes */
        "\xe0\x80\xaf",         /* overlong '/', 3 bytes */
        "\xe0\x9f\xbf",         /* overlong U+07FF */
        "\xf0\x8f\xbf\xbf",     /* overlong U+FFFF */
        "caf\xa9",              /* lone continuation */
        "\x80",
        "\xed\xa0\x80",         /* surrogate U+D800 */
        "\xed\xbf\xbf",         /* surrogate U+DFFF */
        "caf\xc3",              /* truncated at the end */
        "tea \xf0\x9f\x8d",     /* truncated 4-byte */
        "\xe2\x98",
        "\xf4\x90\x80\x80",     /* above U+10FFFF */
        "\xf5\x80\x80\x80",
        "\xff",
        "\xfe",
        "Utilisez caf\xe9",     /* Latin-1 */
        NULL
    };
    int i;

    (void)state;
    for (i = 0; bad[i]; i++) {
        if (notimpl_utf8_valid(bad[i])) {
            fail_msg("accepted bad UTF-8 #%d", i);
        }
    }
    assert_false(notimpl_utf8_valid(all_bytes));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_keeps_a_plain_method),
        cmocka_unit_test(
            test_clean_input_is_returned_itself_dirty_input_is_copied),
        cmocka_unit_test(test_json_escapes_quote_and_backslash),
        cmocka_unit_test(test_json_escapes_markup_characters),
        cmocka_unit_test(test_json_escapes_control_bytes_as_u00xx),
        cmocka_unit_test(test_json_escapes_each_high_byte_as_one_code_point),
        cmocka_unit_test(test_json_of_every_byte_is_printable_and_reversible),
        cmocka_unit_test(test_empty_and_null_escape_to_empty),
        cmocka_unit_test(test_a_ten_thousand_byte_method_is_escaped_whole),
        cmocka_unit_test(test_configuration_text_keeps_its_utf8),
        cmocka_unit_test(
            test_configuration_text_still_escapes_what_json_demands),
        cmocka_unit_test(test_utf8_accepts_every_valid_length),
        cmocka_unit_test(test_utf8_refuses_what_rfc_3629_forbids),
    };
    return cmocka_run_group_tests(tests, unit_setup, unit_teardown);
}
