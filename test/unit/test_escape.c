/* Unit tests of notimpl_escape.c: the one escaper per output language
 * (SPEC "The response": bytes that are not printable ASCII are escaped,
 * never raw). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>
#include "notimpl_escape.h"
#include "unit_pool.h"

typedef const char *(*escape_fn)(apr_pool_t *p, const char *s);


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

static void test_json_keeps_a_plain_method(void **state)
{
    (void)state;
    assert_string_equal(notimpl_escape_json(pool, "BREW"), "BREW");
    assert_string_equal(notimpl_escape_json(pool, "M-SEARCH_1.0~!#$%^*+|`'"),
                        "M-SEARCH_1.0~!#$%^*+|`'");
}

/* A string with nothing to escape is passed through: the common 501
 * costs no copy.  One that needs escaping gets a new buffer, and the
 * input (the request's method) is left as it was. */
static void test_clean_input_is_returned_itself_dirty_input_is_copied(
    void **state)
{
    static const char clean[] = "BREW", dirty[] = "A<B";
    (void)state;
    assert_ptr_equal(notimpl_escape_json(pool, clean), clean);
    assert_ptr_equal(notimpl_escape_html(pool, clean), clean);
    assert_ptr_equal(notimpl_escape_text(pool, clean), clean);
    assert_ptr_not_equal(notimpl_escape_json(pool, dirty), dirty);
    assert_ptr_not_equal(notimpl_escape_html(pool, dirty), dirty);
    assert_ptr_equal(notimpl_escape_text(pool, dirty), dirty);
    assert_string_equal(notimpl_escape_text(pool, "a\\b"), "a\\\\b");
    assert_string_equal(dirty, "A<B");
}

static void test_json_escapes_quote_and_backslash(void **state)
{
    (void)state;
    assert_string_equal(notimpl_escape_json(pool, "a\"b\\c"),
                        "a\\\"b\\\\c");
}

static void test_json_escapes_markup_characters(void **state)
{
    (void)state;
    assert_string_equal(notimpl_escape_json(pool, "</script>&"),
                        "\\u003c/script\\u003e\\u0026");
}

static void test_json_escapes_control_bytes_as_u00xx(void **state)
{
    (void)state;
    assert_string_equal(notimpl_escape_json(pool, "A\r\nB\t\x01\x1f\x7f"),
                        "A\\u000d\\u000aB\\u0009\\u0001\\u001f\\u007f");
}

static void test_json_escapes_each_high_byte_as_one_code_point(void **state)
{
    (void)state;
    assert_string_equal(notimpl_escape_json(pool, "\x80\xff"),
                        "\\u0080\\u00ff");
    /* valid UTF-8 (e-acute) and invalid UTF-8 alike */
    assert_string_equal(notimpl_escape_json(pool, "\xc3\xa9"),
                        "\\u00c3\\u00a9");
    assert_string_equal(notimpl_escape_json(pool, "\xc3(\xed\xa0\x80"),
                        "\\u00c3(\\u00ed\\u00a0\\u0080");
}

static void test_json_of_every_byte_is_printable_and_reversible(void **state)
{
    const char *e = notimpl_escape_json(pool, all_bytes);

    (void)state;
    assert_printable(e);
    assert_string_equal(json_unescape(e), all_bytes);
}

static void test_html_escapes_the_five_markup_characters(void **state)
{
    (void)state;
    assert_string_equal(notimpl_escape_html(pool, "<a href=\"x\">&'"),
                        "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
}

static void test_html_shows_other_bytes_as_visible_hex(void **state)
{
    (void)state;
    assert_string_equal(notimpl_escape_html(pool, "A\r\nB\x01\x7f\x80\xff"),
                        "A\\x0d\\x0aB\\x01\\x7f\\x80\\xff");
    assert_string_equal(notimpl_escape_html(pool, "\xc3("), "\\xc3(");
}

static void test_html_keeps_backslash_and_plain_text(void **state)
{
    (void)state;
    assert_string_equal(notimpl_escape_html(pool, "BREW a\\b"), "BREW a\\b");
}

static void test_text_escapes_backslash_and_keeps_markup(void **state)
{
    (void)state;
    assert_string_equal(notimpl_escape_text(pool, "a\\b\"<&>'"),
                        "a\\\\b\"<&>'");
}

static void test_text_shows_other_bytes_as_visible_hex(void **state)
{
    (void)state;
    assert_string_equal(notimpl_escape_text(pool, "A\r\nB\t\x01\x7f\x80\xff"),
                        "A\\x0d\\x0aB\\x09\\x01\\x7f\\x80\\xff");
}

static void test_text_tells_a_sent_escape_from_a_real_byte(void **state)
{
    (void)state;
    assert_string_equal(notimpl_escape_text(pool, "\\x0a"), "\\\\x0a");
    assert_string_equal(notimpl_escape_text(pool, "\n"), "\\x0a");
}

static void test_every_escaper_outputs_only_printable_ascii(void **state)
{
    static const escape_fn escapers[] = {
        notimpl_escape_json, notimpl_escape_html, notimpl_escape_text
    };
    int i;

    (void)state;
    for (i = 0; i < 3; i++) {
        const char *e = escapers[i](pool, all_bytes);
        assert_printable(e);
        assert_null(strchr(e, '\r'));
        assert_null(strchr(e, '\n'));
    }
}

static void test_empty_and_null_escape_to_empty(void **state)
{
    (void)state;
    assert_string_equal(notimpl_escape_json(pool, ""), "");
    assert_string_equal(notimpl_escape_html(pool, ""), "");
    assert_string_equal(notimpl_escape_text(pool, ""), "");
    assert_string_equal(notimpl_escape_json(pool, NULL), "");
    assert_string_equal(notimpl_escape_html(pool, NULL), "");
    assert_string_equal(notimpl_escape_text(pool, NULL), "");
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

    assert_string_equal(notimpl_escape_json(pool, plain), plain);
    assert_string_equal(notimpl_escape_html(pool, plain), plain);
    assert_string_equal(notimpl_escape_text(pool, plain), plain);

    e = notimpl_escape_json(pool, high);
    assert_int_equal(strlen(e), 60000);
    for (i = 0; i < 10000; i++) {
        assert_memory_equal(e + 6 * i, "\\u00ff", 6);
    }
    e = notimpl_escape_html(pool, high);
    assert_int_equal(strlen(e), 40000);
    assert_memory_equal(e + 39996, "\\xff", 4);
    e = notimpl_escape_text(pool, high);
    assert_int_equal(strlen(e), 40000);
    assert_memory_equal(e, "\\xff", 4);
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
        cmocka_unit_test(test_html_escapes_the_five_markup_characters),
        cmocka_unit_test(test_html_shows_other_bytes_as_visible_hex),
        cmocka_unit_test(test_html_keeps_backslash_and_plain_text),
        cmocka_unit_test(test_text_escapes_backslash_and_keeps_markup),
        cmocka_unit_test(test_text_shows_other_bytes_as_visible_hex),
        cmocka_unit_test(test_text_tells_a_sent_escape_from_a_real_byte),
        cmocka_unit_test(test_every_escaper_outputs_only_printable_ascii),
        cmocka_unit_test(test_empty_and_null_escape_to_empty),
        cmocka_unit_test(test_a_ten_thousand_byte_method_is_escaped_whole),
    };
    return cmocka_run_group_tests(tests, unit_setup, unit_teardown);
}
