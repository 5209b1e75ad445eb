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

/* Unit tests of notimpl_render.c: the four error documents, byte for byte
 * (docs/behaviour.md "The response"; the wire format is the public
 * interface). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>
#include "notimpl_render.h"
#include "json_check.h"
#include "unit_pool.h"

static const char *const get_head_post[] = { "GET", "HEAD", "POST" };
static char long_method[10001];

static int setup(void **state)
{
    memset(long_method, 'X', 10000);
    return unit_setup(state);
}

static notimpl_doc_t method_doc(const char *method)
{
    notimpl_doc_t d = { method, NULL, NULL, NULL, 0 };
    return d;
}

static notimpl_doc_t full_doc(const char *method)
{
    notimpl_doc_t d = { method, NULL, "use POST", get_head_post, 3 };
    return d;
}

static notimpl_doc_t coding_doc(const char *coding)
{
    notimpl_doc_t d = { "POST", coding, NULL, NULL, 0 };
    return d;
}

/* Renders and checks that *len agrees with the body. */
static const char *render(notimpl_format_e fmt, notimpl_doc_t d)
{
    apr_size_t len = 0;
    const char *body = notimpl_render(pool, fmt, &d, &len);

    assert_non_null(body);
    assert_int_equal(len, strlen(body));
    return body;
}

/* One JSON object, then exactly one "\n". */
static void assert_json_document(const char *body)
{
    const char *end;

    assert_int_equal(*body, '{');
    end = json_check_value(body);
    assert_non_null(end);
    assert_string_equal(end, "\n");
}

static void test_json_names_the_method(void **state)
{
    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_JSON, method_doc("BREW")),
        "{\"error\":\"not_implemented\",\"method\":\"BREW\","
        "\"detail\":\"The method BREW is not implemented by this server.\"}\n");
}

static void test_json_adds_alternative_and_implemented(void **state)
{
    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_JSON, full_doc("BREW")),
        "{\"error\":\"not_implemented\",\"method\":\"BREW\","
        "\"detail\":\"The method BREW is not implemented by this server.\","
        "\"alternative\":\"use POST\","
        "\"implemented\":[\"GET\",\"HEAD\",\"POST\"]}\n");
}

static void test_json_names_the_transfer_coding(void **state)
{
    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_JSON, coding_doc("gzip")),
        "{\"error\":\"not_implemented\",\"method\":\"POST\","
        "\"transfer_coding\":\"gzip\",\"detail\":\"The transfer coding gzip "
        "is not implemented by this server.\"}\n");
}

static void test_problem_json_follows_rfc_9457(void **state)
{
    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_PROBLEM, method_doc("BREW")),
        "{\"type\":\"urn:mod-notimpl:method-not-implemented\","
        "\"title\":\"Not Implemented\",\"status\":501,"
        "\"detail\":\"The method BREW is not implemented by this server.\","
        "\"method\":\"BREW\"}\n");
    assert_string_equal(render(NOTIMPL_FMT_PROBLEM, full_doc("BREW")),
        "{\"type\":\"urn:mod-notimpl:method-not-implemented\","
        "\"title\":\"Not Implemented\",\"status\":501,"
        "\"detail\":\"The method BREW is not implemented by this server.\","
        "\"method\":\"BREW\",\"alternative\":\"use POST\","
        "\"implemented\":[\"GET\",\"HEAD\",\"POST\"]}\n");
}

static void test_problem_json_has_its_own_type_for_a_coding(void **state)
{
    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_PROBLEM, coding_doc("gzip")),
        "{\"type\":\"urn:mod-notimpl:transfer-coding-not-implemented\","
        "\"title\":\"Not Implemented\",\"status\":501,"
        "\"detail\":\"The transfer coding gzip is not implemented by this "
        "server.\",\"method\":\"POST\",\"transfer_coding\":\"gzip\"}\n");
}

#define HTML_HEAD "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n" \
    "<meta charset=\"utf-8\">\n<title>501 Not Implemented</title>\n" \
    "</head>\n<body>\n<h1>Not Implemented</h1>\n"
#define HTML_TAIL "</body>\n</html>\n"

static void test_html_is_a_small_page_naming_the_method(void **state)
{
    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_HTML, method_doc("BREW")),
        HTML_HEAD "<p>The method <code>BREW</code> is not implemented by "
        "this server.</p>\n" HTML_TAIL);
    assert_string_equal(render(NOTIMPL_FMT_HTML, full_doc("BREW")),
        HTML_HEAD "<p>The method <code>BREW</code> is not implemented by "
        "this server.</p>\n<p>Alternative: use POST</p>\n"
        "<p>Implemented methods: GET, HEAD, POST.</p>\n" HTML_TAIL);
    assert_string_equal(render(NOTIMPL_FMT_HTML, coding_doc("gzip")),
        HTML_HEAD "<p>The transfer coding <code>gzip</code> is not "
        "implemented by this server.</p>\n" HTML_TAIL);
}

static void test_text_names_the_method(void **state)
{
    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_TEXT, method_doc("BREW")),
        "501 Not Implemented\n\n"
        "The method BREW is not implemented by this server.\n");
    assert_string_equal(render(NOTIMPL_FMT_TEXT, full_doc("BREW")),
        "501 Not Implemented\n\n"
        "The method BREW is not implemented by this server.\n"
        "Alternative: use POST\nImplemented methods: GET, HEAD, POST\n");
    assert_string_equal(render(NOTIMPL_FMT_TEXT, coding_doc("gzip")),
        "501 Not Implemented\n\n"
        "The transfer coding gzip is not implemented by this server.\n");
}

#define UGLY "B\"R\\E<W>&'\r\n\x01\x7f\x80\xc3("

static void test_json_escapes_an_ugly_method(void **state)
{
    const char *m = "B\\\"R\\\\E\\u003cW\\u003e\\u0026'\\u000d\\u000a"
                    "\\u0001\\u007f\\u0080\\u00c3(";

    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_JSON, method_doc(UGLY)),
        apr_pstrcat(pool, "{\"error\":\"not_implemented\",\"method\":\"", m,
                    "\",\"detail\":\"The method ", m,
                    " is not implemented by this server.\"}\n", NULL));
    assert_string_equal(render(NOTIMPL_FMT_PROBLEM, method_doc(UGLY)),
        apr_pstrcat(pool, "{\"type\":\"urn:mod-notimpl:method-not-implemented"
                    "\",\"title\":\"Not Implemented\",\"status\":501,"
                    "\"detail\":\"The method ", m, " is not implemented by "
                    "this server.\",\"method\":\"", m, "\"}\n", NULL));
}

/* Client bytes in HTML: apr_pescape_echo (\xNN for what is not
 * printable, \\ for a backslash, letter escapes for \r \n \t ...), then
 * apr_pescape_entity (& < > " as entities; the single quote is text). */
static void test_html_escapes_an_ugly_method(void **state)
{
    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_HTML, method_doc(UGLY)),
        HTML_HEAD "<p>The method <code>B&quot;R\\\\E&lt;W&gt;&amp;'"
        "\\r\\n\\x01\\x7f\\x80\\xc3(</code> is not implemented by this "
        "server.</p>\n" HTML_TAIL);
    assert_string_equal(render(NOTIMPL_FMT_HTML, coding_doc(UGLY)),
        HTML_HEAD "<p>The transfer coding <code>B&quot;R\\\\E&lt;W&gt;&amp;'"
        "\\r\\n\\x01\\x7f\\x80\\xc3(</code> is not implemented by this "
        "server.</p>\n" HTML_TAIL);
}

/* Client bytes in text: apr_pescape_echo alone; markup is just text. */
static void test_text_escapes_an_ugly_method(void **state)
{
    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_TEXT, method_doc(UGLY)),
        "501 Not Implemented\n\nThe method B\"R\\\\E<W>&'"
        "\\r\\n\\x01\\x7f\\x80\\xc3( is not implemented by this "
        "server.\n");
    assert_string_equal(render(NOTIMPL_FMT_TEXT, coding_doc(UGLY)),
        "501 Not Implemented\n\nThe transfer coding B\"R\\\\E<W>&'"
        "\\r\\n\\x01\\x7f\\x80\\xc3( is not implemented by this "
        "server.\n");
}

/* The sentence a client method gets in each human format. */
static const char *html_method(const char *escaped)
{
    return apr_pstrcat(pool, HTML_HEAD "<p>The method <code>", escaped,
                       "</code> is not implemented by this server.</p>\n"
                       HTML_TAIL, NULL);
}

static const char *text_method(const char *escaped)
{
    return apr_pstrcat(pool, "501 Not Implemented\n\nThe method ", escaped,
                       " is not implemented by this server.\n", NULL);
}

static void test_html_escapes_the_markup_characters(void **state)
{
    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_HTML,
                               method_doc("<a href=\"x\">&'")),
                        html_method("&lt;a href=&quot;x&quot;&gt;&amp;'"));
}

static void test_human_formats_show_other_bytes_as_visible_escapes(
    void **state)
{
    static const char ugly[] = "A\r\nB\t\x01\x7f\x80\xff\a\b\f\v\x1b";
    static const char shown[] = "A\\r\\nB\\t\\x01\\x7f\\x80\\xff"
                                "\\a\\b\\f\\v\\x1b";

    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_HTML, method_doc(ugly)),
                        html_method(shown));
    assert_string_equal(render(NOTIMPL_FMT_TEXT, method_doc(ugly)),
                        text_method(shown));
    assert_string_equal(render(NOTIMPL_FMT_HTML, method_doc("\xc3(")),
                        html_method("\\xc3("));
    assert_string_equal(render(NOTIMPL_FMT_TEXT, method_doc("\xc3\xa9")),
                        text_method("\\xc3\\xa9"));
}

static void test_human_formats_double_a_backslash_and_keep_plain_text(
    void **state)
{
    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_HTML, method_doc("BREW a\\b")),
                        html_method("BREW a\\\\b"));
    assert_string_equal(render(NOTIMPL_FMT_TEXT, method_doc("a\\b\"<&>'")),
                        text_method("a\\\\b\"<&>'"));
    assert_string_equal(render(NOTIMPL_FMT_TEXT,
                               method_doc("M-SEARCH_1.0~!#$%^*+|`'")),
                        text_method("M-SEARCH_1.0~!#$%^*+|`'"));
}

/* A client that sends the four characters \x0a or \n is told apart from
 * one that sends a line feed. */
static void test_human_formats_tell_a_sent_escape_from_a_real_byte(
    void **state)
{
    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_TEXT, method_doc("\\x0a")),
                        text_method("\\\\x0a"));
    assert_string_equal(render(NOTIMPL_FMT_TEXT, method_doc("\\n")),
                        text_method("\\\\n"));
    assert_string_equal(render(NOTIMPL_FMT_TEXT, method_doc("\n")),
                        text_method("\\n"));
    assert_string_equal(render(NOTIMPL_FMT_HTML, method_doc("\\x0a")),
                        html_method("\\\\x0a"));
    assert_string_equal(render(NOTIMPL_FMT_HTML, method_doc("\n")),
                        html_method("\\n"));
}

/* Configuration text (the alternative, the implemented names) is the
 * administrator's UTF-8, checked at start-up: kept as written, escaped
 * only as each format demands (docs/directives.md). */
#define CONF_TEXT "say \"POST\" <here> & a\\b, caf\xc3\xa9 \xf0\x9f\x8d\xb5"

static void test_alternative_and_implemented_are_escaped_too(void **state)
{
    static const char *const names[] = { "GET", "A\"<B>&" };
    notimpl_doc_t d = { "BREW", NULL, CONF_TEXT, names, 2 };

    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_JSON, d),
        "{\"error\":\"not_implemented\",\"method\":\"BREW\","
        "\"detail\":\"The method BREW is not implemented by this server.\","
        "\"alternative\":\"say \\\"POST\\\" \\u003chere\\u003e \\u0026 "
        "a\\\\b, caf\xc3\xa9 \xf0\x9f\x8d\xb5\","
        "\"implemented\":[\"GET\",\"A\\\"\\u003cB\\u003e\\u0026\"]}\n");
    assert_string_equal(render(NOTIMPL_FMT_PROBLEM, d),
        "{\"type\":\"urn:mod-notimpl:method-not-implemented\","
        "\"title\":\"Not Implemented\",\"status\":501,"
        "\"detail\":\"The method BREW is not implemented by this server.\","
        "\"method\":\"BREW\","
        "\"alternative\":\"say \\\"POST\\\" \\u003chere\\u003e \\u0026 "
        "a\\\\b, caf\xc3\xa9 \xf0\x9f\x8d\xb5\","
        "\"implemented\":[\"GET\",\"A\\\"\\u003cB\\u003e\\u0026\"]}\n");
    assert_string_equal(render(NOTIMPL_FMT_HTML, d),
        HTML_HEAD "<p>The method <code>BREW</code> is not implemented by "
        "this server.</p>\n<p>Alternative: say &quot;POST&quot; &lt;here"
        "&gt; &amp; a\\b, caf\xc3\xa9 \xf0\x9f\x8d\xb5</p>\n"
        "<p>Implemented methods: GET, A&quot;&lt;B&gt;&amp;.</p>\n"
        HTML_TAIL);
    assert_string_equal(render(NOTIMPL_FMT_TEXT, d),
        "501 Not Implemented\n\n"
        "The method BREW is not implemented by this server.\n"
        "Alternative: " CONF_TEXT "\n"
        "Implemented methods: GET, A\"<B>&\n");
}

/* The single quote has no meaning in the page's text or its attribute-
 * free markup: apr_pescape_entity leaves it. */
static void test_html_keeps_a_single_quote_in_configuration_text(
    void **state)
{
    notimpl_doc_t d = { "BREW", NULL, "use POST, it's there", NULL, 0 };

    (void)state;
    assert_non_null(strstr(render(NOTIMPL_FMT_HTML, d),
                           "<p>Alternative: use POST, it's there</p>\n"));
}

/* Bytes >= 0x80 in s. */
static size_t high_bytes(const char *s)
{
    size_t n = 0;

    for (; *s; s++) {
        n += (unsigned char)*s >= 0x80;
    }
    return n;
}

/* Every raw byte of body is printable ASCII or a line feed, except the
 * high bytes of the configuration text it carries (conf, in it once). */
static void assert_client_bytes_escaped(const char *body, const char *conf)
{
    const char *s;

    for (s = body; *s; s++) {
        assert_true(*s == '\n' || (unsigned char)*s >= 0x80
                    || ((unsigned char)*s >= 0x20
                        && (unsigned char)*s <= 0x7e));
    }
    assert_int_equal(high_bytes(body), conf ? high_bytes(conf) : 0);
}

/* Whatever the client sent (method, transfer coding), with or without
 * configuration text, a JSON document is valid JSON whose only raw
 * bytes above 0x7e are the configuration's UTF-8. */
static void test_every_json_body_is_valid_json(void **state)
{
    static const notimpl_format_e fmts[] = {
        NOTIMPL_FMT_JSON, NOTIMPL_FMT_PROBLEM
    };
    static const char *const names[] = { "GET", "HEAD", "M-SEARCH" };
    const char *methods[] = { "BREW", "", UGLY, all_bytes, long_method };
    const char *alts[] = { "use POST", CONF_TEXT };
    size_t f, m, a;

    (void)state;
    for (f = 0; f < 2; f++) {
        for (m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
            notimpl_doc_t c = { methods[m], methods[m], NULL, NULL, 0 };
            const char *body = render(fmts[f], method_doc(methods[m]));
            assert_json_document(body);
            assert_client_bytes_escaped(body, NULL);
            body = render(fmts[f], c);
            assert_json_document(body);
            assert_client_bytes_escaped(body, NULL);
            for (a = 0; a < 2; a++) {
                notimpl_doc_t d = { methods[m], NULL, alts[a], names, 3 };
                notimpl_doc_t dc = { "PUT", methods[m], alts[a], names, 3 };
                body = render(fmts[f], d);
                assert_json_document(body);
                assert_client_bytes_escaped(body, alts[a]);
                body = render(fmts[f], dc);
                assert_json_document(body);
                assert_client_bytes_escaped(body, alts[a]);
            }
        }
    }
}

static void test_human_bodies_carry_no_raw_control_or_high_bytes(void **state)
{
    static const notimpl_format_e fmts[] = {
        NOTIMPL_FMT_HTML, NOTIMPL_FMT_TEXT
    };
    static const char *const names[] = { "GET", "A\"<B>&" };
    const char *alts[] = { NULL, "use POST", CONF_TEXT };
    size_t f, a;

    (void)state;
    for (f = 0; f < 2; f++) {
        for (a = 0; a < 3; a++) {
            notimpl_doc_t d = { all_bytes, NULL, alts[a], names, 2 };
            notimpl_doc_t c = { UGLY, all_bytes, alts[a], names, 2 };
            assert_client_bytes_escaped(render(fmts[f], d), alts[a]);
            assert_client_bytes_escaped(render(fmts[f], c), alts[a]);
        }
    }
}

static void test_an_empty_method_still_gives_a_document(void **state)
{
    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_JSON, method_doc("")),
        "{\"error\":\"not_implemented\",\"method\":\"\","
        "\"detail\":\"The method  is not implemented by this server.\"}\n");
    assert_string_equal(render(NOTIMPL_FMT_HTML, method_doc("")),
        HTML_HEAD "<p>The method <code></code> is not implemented by this "
        "server.</p>\n" HTML_TAIL);
    assert_string_equal(render(NOTIMPL_FMT_TEXT, method_doc("")),
        "501 Not Implemented\n\n"
        "The method  is not implemented by this server.\n");
}

static void test_a_ten_thousand_byte_method_is_echoed_whole(void **state)
{
    const char *body = render(NOTIMPL_FMT_JSON, method_doc(long_method));
    const char *first;

    (void)state;
    assert_int_equal(strlen(body), 2 * 10000 + strlen(
        "{\"error\":\"not_implemented\",\"method\":\"\",\"detail\":\"The "
        "method  is not implemented by this server.\"}\n"));
    first = strstr(body, long_method);
    assert_non_null(first);
    assert_non_null(strstr(first + 10000, long_method));
    assert_string_equal(render(NOTIMPL_FMT_TEXT, method_doc(long_method)),
                        text_method(long_method));
    assert_string_equal(render(NOTIMPL_FMT_HTML, method_doc(long_method)),
                        html_method(long_method));
}

/* Each of 10,000 high bytes becomes its own four-byte \xff. */
static void test_a_ten_thousand_high_byte_method_is_escaped_whole(
    void **state)
{
    char *high = apr_palloc(pool, 10001), *shown = apr_palloc(pool, 40001);
    int i;

    (void)state;
    memset(high, '\xff', 10000);
    high[10000] = '\0';
    for (i = 0; i < 10000; i++) {
        memcpy(shown + 4 * i, "\\xff", 4);
    }
    shown[40000] = '\0';
    assert_string_equal(render(NOTIMPL_FMT_TEXT, method_doc(high)),
                        text_method(shown));
    assert_string_equal(render(NOTIMPL_FMT_HTML, method_doc(high)),
                        html_method(shown));
}

static void test_an_empty_implemented_list_is_an_empty_array(void **state)
{
    notimpl_doc_t d = { "BREW", NULL, NULL, get_head_post, 0 };

    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_JSON, d),
        "{\"error\":\"not_implemented\",\"method\":\"BREW\","
        "\"detail\":\"The method BREW is not implemented by this server.\","
        "\"implemented\":[]}\n");
    /* No sentence listing nothing. */
    assert_string_equal(render(NOTIMPL_FMT_TEXT, d),
        "501 Not Implemented\n\n"
        "The method BREW is not implemented by this server.\n");
    assert_null(strstr(render(NOTIMPL_FMT_HTML, d), "Implemented methods"));
}

static void test_a_non_concrete_format_renders_json(void **state)
{
    const char *json = render(NOTIMPL_FMT_JSON, full_doc("BREW"));

    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_AUTO, full_doc("BREW")), json);
    assert_string_equal(render(NOTIMPL_FMT_UNSET, full_doc("BREW")), json);
}

static void test_len_may_be_omitted(void **state)
{
    notimpl_doc_t d = method_doc("BREW");

    (void)state;
    assert_string_equal(notimpl_render(pool, NOTIMPL_FMT_TEXT, &d, NULL),
        "501 Not Implemented\n\n"
        "The method BREW is not implemented by this server.\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_names_the_method),
        cmocka_unit_test(test_json_adds_alternative_and_implemented),
        cmocka_unit_test(test_json_names_the_transfer_coding),
        cmocka_unit_test(test_problem_json_follows_rfc_9457),
        cmocka_unit_test(test_problem_json_has_its_own_type_for_a_coding),
        cmocka_unit_test(test_html_is_a_small_page_naming_the_method),
        cmocka_unit_test(test_text_names_the_method),
        cmocka_unit_test(test_json_escapes_an_ugly_method),
        cmocka_unit_test(test_html_escapes_an_ugly_method),
        cmocka_unit_test(test_text_escapes_an_ugly_method),
        cmocka_unit_test(test_html_escapes_the_markup_characters),
        cmocka_unit_test(
            test_human_formats_show_other_bytes_as_visible_escapes),
        cmocka_unit_test(
            test_human_formats_double_a_backslash_and_keep_plain_text),
        cmocka_unit_test(
            test_human_formats_tell_a_sent_escape_from_a_real_byte),
        cmocka_unit_test(test_alternative_and_implemented_are_escaped_too),
        cmocka_unit_test(
            test_html_keeps_a_single_quote_in_configuration_text),
        cmocka_unit_test(test_every_json_body_is_valid_json),
        cmocka_unit_test(test_human_bodies_carry_no_raw_control_or_high_bytes),
        cmocka_unit_test(test_an_empty_method_still_gives_a_document),
        cmocka_unit_test(test_a_ten_thousand_byte_method_is_echoed_whole),
        cmocka_unit_test(
            test_a_ten_thousand_high_byte_method_is_escaped_whole),
        cmocka_unit_test(test_an_empty_implemented_list_is_an_empty_array),
        cmocka_unit_test(test_a_non_concrete_format_renders_json),
        cmocka_unit_test(test_len_may_be_omitted),
    };
    return cmocka_run_group_tests(tests, setup, unit_teardown);
}
