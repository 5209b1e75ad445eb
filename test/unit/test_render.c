/* Unit tests of notimpl_render.c: the four error documents, byte for byte
 * (SPEC "The response"; the wire format is the public interface). */
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

static void test_html_escapes_an_ugly_method(void **state)
{
    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_HTML, method_doc(UGLY)),
        HTML_HEAD "<p>The method <code>B&quot;R\\E&lt;W&gt;&amp;&#39;"
        "\\x0d\\x0a\\x01\\x7f\\x80\\xc3(</code> is not implemented by this "
        "server.</p>\n" HTML_TAIL);
}

static void test_text_escapes_an_ugly_method(void **state)
{
    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_TEXT, method_doc(UGLY)),
        "501 Not Implemented\n\nThe method B\"R\\\\E<W>&'"
        "\\x0d\\x0a\\x01\\x7f\\x80\\xc3( is not implemented by this "
        "server.\n");
}

static void test_alternative_and_implemented_are_escaped_too(void **state)
{
    static const char *const names[] = { "GET", "A\"<B>\n" };
    notimpl_doc_t d = { "BREW", NULL, "say \"POST\" <here>\r\n", names, 2 };

    (void)state;
    assert_string_equal(render(NOTIMPL_FMT_JSON, d),
        "{\"error\":\"not_implemented\",\"method\":\"BREW\","
        "\"detail\":\"The method BREW is not implemented by this server.\","
        "\"alternative\":\"say \\\"POST\\\" \\u003chere\\u003e\\u000d"
        "\\u000a\",\"implemented\":[\"GET\",\"A\\\"\\u003cB\\u003e"
        "\\u000a\"]}\n");
    assert_string_equal(render(NOTIMPL_FMT_HTML, d),
        HTML_HEAD "<p>The method <code>BREW</code> is not implemented by "
        "this server.</p>\n<p>Alternative: say &quot;POST&quot; &lt;here"
        "&gt;\\x0d\\x0a</p>\n<p>Implemented methods: GET, A&quot;&lt;B&gt;"
        "\\x0a.</p>\n" HTML_TAIL);
    assert_string_equal(render(NOTIMPL_FMT_TEXT, d),
        "501 Not Implemented\n\n"
        "The method BREW is not implemented by this server.\n"
        "Alternative: say \"POST\" <here>\\x0d\\x0a\n"
        "Implemented methods: GET, A\"<B>\\x0a\n");
}

static void test_every_json_body_is_valid_printable_json(void **state)
{
    static const notimpl_format_e fmts[] = {
        NOTIMPL_FMT_JSON, NOTIMPL_FMT_PROBLEM
    };
    const char *methods[] = { "BREW", "", UGLY, all_bytes, long_method };
    size_t f, m;

    (void)state;
    for (f = 0; f < 2; f++) {
        for (m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
            notimpl_doc_t d = { methods[m], NULL, methods[m],
                                (const char *const *)&methods[m], 1 };
            notimpl_doc_t c = { methods[m], methods[m], NULL, NULL, 0 };
            assert_json_document(render(fmts[f], d));
            assert_json_document(render(fmts[f], c));
            assert_json_document(render(fmts[f], method_doc(methods[m])));
        }
    }
}

static void test_human_bodies_carry_no_raw_control_or_high_bytes(void **state)
{
    static const notimpl_format_e fmts[] = {
        NOTIMPL_FMT_HTML, NOTIMPL_FMT_TEXT
    };
    const char *list[] = { all_bytes, UGLY };
    size_t f;

    (void)state;
    for (f = 0; f < 2; f++) {
        notimpl_doc_t d = { all_bytes, all_bytes, all_bytes, list, 2 };
        const char *s = render(fmts[f], d);
        for (; *s; s++) {
            assert_true(*s == '\n'
                        || ((unsigned char)*s >= 0x20
                            && (unsigned char)*s <= 0x7e));
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
    assert_int_equal(strlen(render(NOTIMPL_FMT_TEXT,
                                   method_doc(long_method))),
                     10000 + strlen("501 Not Implemented\n\nThe method  is "
                                    "not implemented by this server.\n"));
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
        cmocka_unit_test(test_alternative_and_implemented_are_escaped_too),
        cmocka_unit_test(test_every_json_body_is_valid_printable_json),
        cmocka_unit_test(test_human_bodies_carry_no_raw_control_or_high_bytes),
        cmocka_unit_test(test_an_empty_method_still_gives_a_document),
        cmocka_unit_test(test_a_ten_thousand_byte_method_is_echoed_whole),
        cmocka_unit_test(test_an_empty_implemented_list_is_an_empty_array),
        cmocka_unit_test(test_a_non_concrete_format_renders_json),
        cmocka_unit_test(test_len_may_be_omitted),
    };
    return cmocka_run_group_tests(tests, setup, unit_teardown);
}
