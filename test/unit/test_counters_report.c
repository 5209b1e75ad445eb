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

/* Unit tests of notimpl_report.c, the documents made from a snapshot of
 * the counters (docs/observability.md): JSON with the would-refuse split
 * and the suggest line, the Prometheus exposition with its outcome label,
 * mod_status's ?auto and HTML, and the format= query parameter. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_strings.h>
#include "json_check.h"
#include "notimpl_counters.h"
#include "notimpl_report.h"
#include "counters_fixture.h"

static const notimpl_count_ref_t other_method = { METHOD, 0, -1, 0 };

/* Refs of PROPFIND, MKCALENDAR, PATCH, MKCOL, A&B (a token with &). */
static notimpl_count_ref_t *five(void)
{
    static const char *const names[] = {
        "PROPFIND", "MKCALENDAR", "PATCH", "MKCOL", "A&B"
    };

    return declare(names, 5);
}

static void test_rfc3339_is_utc_to_the_second(void **state)
{
    (void)state;
    assert_string_equal(notimpl_report_rfc3339(pool, 0),
                        "1970-01-01T00:00:00Z");
    assert_string_equal(notimpl_report_rfc3339(pool, SINCE + 999999),
                        "2023-11-14T22:13:20Z");
}

static void test_json_of_an_empty_block(void **state)
{
    notimpl_snapshot_t s = snap();

    (void)state;
    assert_string_equal(notimpl_report_json(pool, &s),
        "{\"total\":0,\"methods\":{},\"other_methods\":0,"
        "\"transfer_codings\":{},\"other_transfer_codings\":0,"
        "\"since\":\"2023-11-14T22:13:20Z\",\"slots\":256,\"slots_used\":0,"
        "\"would_refuse\":{\"total\":0,\"methods\":{},\"other_methods\":0,"
        "\"transfer_codings\":{},\"other_transfer_codings\":0,"
        "\"served\":{},\"other_served\":0,\"transfer_codings_served\":{},"
        "\"other_transfer_codings_served\":0,\"suggest\":\"\"}}\n");
}

static void test_json_splits_would_refuse_by_outcome(void **state)
{
    notimpl_count_ref_t *r = five(), gzip;
    notimpl_snapshot_t s;
    const char *json;

    (void)state;
    notimpl_counters_coding("gzip", &gzip);
    add_n(&r[2], REFUSED, 20);
    add_n(&r[0], SERVED, 340);
    add_n(&r[0], WREFUSED, 1);
    add_n(&r[1], SERVED, 2);
    add_n(&r[3], WREFUSED, 3);
    add_n(&gzip, REFUSED, 1);
    s = snap();
    json = notimpl_report_json(pool, &s);
    assert_true(json_check_object(json));
    assert_non_null(strstr(json, "{\"total\":21,\"methods\":{\"PATCH\":20},"
                           "\"other_methods\":0,\"transfer_codings\":"
                           "{\"gzip\":1},"));
    assert_non_null(strstr(json, "\"would_refuse\":{\"total\":346,"
        "\"methods\":{\"MKCALENDAR\":2,\"MKCOL\":3,\"PROPFIND\":341},"
        "\"other_methods\":0,\"transfer_codings\":{},"
        "\"other_transfer_codings\":0,\"served\":{\"MKCALENDAR\":2,"
        "\"PROPFIND\":340},\"other_served\":0,"
        "\"transfer_codings_served\":{},\"other_transfer_codings_served\":0,"
        "\"suggest\":\"NotImplMethods -MKCALENDAR -PROPFIND\"}}\n"));
}

static void test_suggest_names_what_was_served_and_only_that(void **state)
{
    notimpl_count_ref_t *r = five();
    notimpl_snapshot_t s;

    (void)state;
    add_n(&r[3], WREFUSED, 9);          /* refused anyway: not needed */
    add_n(&r[2], REFUSED, 9);           /* a real refusal: not a report */
    s = snap();
    assert_string_equal(notimpl_report_suggest(pool, &s), "");
    add_n(&r[0], SERVED, 1);
    add_n(&r[1], SERVED, 1);
    s = snap();
    assert_string_equal(notimpl_report_suggest(pool, &s),
                        "NotImplMethods -MKCALENDAR -PROPFIND");
}

static void test_suggest_sends_other_names_to_the_log_lines(void **state)
{
    notimpl_count_ref_t *r = five(), br;
    notimpl_snapshot_t s;
    const char *json;

    (void)state;
    add_n(&other_method, SERVED, 3);
    s = snap();
    /* Nothing to name: only the comment, still valid configuration. */
    assert_string_equal(notimpl_report_suggest(pool, &s),
        "# 3 served request(s) used methods counted under other: find "
        "their names in the NI0003 lines of the error log (LogLevel "
        "notimpl:info) and add each as -NAME");
    add_n(&r[0], SERVED, 1);
    notimpl_counters_coding("br", &br);
    add_n(&br, SERVED, 2);
    s = snap();
    assert_string_equal(notimpl_report_suggest(pool, &s),
        "NotImplMethods -PROPFIND\n"
        "# 3 served request(s) used methods counted under other: find "
        "their names in the NI0003 lines of the error log (LogLevel "
        "notimpl:info) and add each as -NAME\n"
        "# 2 served request(s) had a transfer coding the server would "
        "refuse: NotImplTransferCodings Off keeps them working");
    json = notimpl_report_json(pool, &s);
    assert_true(json_check_object(json));
    assert_non_null(strstr(json, "\"suggest\":\"NotImplMethods -PROPFIND\\n"
                                 "# 3 served"));
    assert_non_null(strstr(json, "\"other_served\":3,"));
    assert_non_null(strstr(json, "\"other_transfer_codings_served\":2,"));
}

static void test_prometheus_families_and_the_outcome_label(void **state)
{
    notimpl_count_ref_t *r = five();
    notimpl_snapshot_t s;
    const char *text;

    (void)state;
    add_n(&r[2], REFUSED, 20);
    add_n(&r[0], SERVED, 340);
    add_n(&other_method, WREFUSED, 5);
    s = snap();
    text = notimpl_report_prometheus(pool, &s);
    assert_non_null(strstr(text, "# TYPE notimpl_responses_total counter\n"
                           "notimpl_responses_total{method=\"PATCH\"} 20\n"));
    assert_non_null(strstr(text, "# HELP notimpl_responses_total Requests "
                           "mod_notimpl refused as not implemented"));
    assert_null(strstr(text, "501 responses"));
    assert_non_null(strstr(text, "notimpl_all_responses_total 20\n"));
    /* A listed name has both outcomes, so increase() sees the first. */
    assert_non_null(strstr(text, "notimpl_would_refuse_requests_total{"
                           "method=\"PROPFIND\",outcome=\"served\"} 340\n"));
    assert_non_null(strstr(text, "notimpl_would_refuse_requests_total{"
                           "method=\"PROPFIND\",outcome=\"refused\"} 0\n"));
    assert_null(strstr(text, "method=\"MKCOL\""));
    assert_non_null(strstr(text, "notimpl_would_refuse_other_method_"
                           "requests_total{outcome=\"refused\"} 5\n"));
    assert_non_null(strstr(text, "notimpl_would_refuse_all_requests_total{"
                           "outcome=\"served\"} 340\n"));
    assert_non_null(strstr(text, "notimpl_would_refuse_all_requests_total{"
                           "outcome=\"refused\"} 5\n"));
    assert_non_null(strstr(text, "notimpl_counters_start_time_seconds "
                           "1700000000\n"));
    assert_true(text[strlen(text) - 1] == '\n');
}

static void test_auto_has_each_key_once_and_the_suggest_line(void **state)
{
    notimpl_count_ref_t *r = five();
    notimpl_snapshot_t s;
    const char *text;

    (void)state;
    add_n(&r[0], SERVED, 4);
    add_n(&r[0], WREFUSED, 1);
    add_n(&other_method, SERVED, 1);
    add_n(&r[2], REFUSED, 2);
    s = snap();
    text = notimpl_report_auto(pool, &s);
    assert_non_null(strstr(text, "NotImplTotal: 2\n"));
    assert_non_null(strstr(text, "NotImplMethod PATCH: 2\n"));
    assert_non_null(strstr(text, "NotImplWouldRefuseTotal: 6\n"));
    assert_non_null(strstr(text, "NotImplWouldRefuseMethod PROPFIND: 5\n"));
    assert_non_null(strstr(text, "NotImplWouldRefuseServed PROPFIND: 4\n"));
    assert_non_null(strstr(text, "NotImplWouldRefuseOtherServed: 1\n"));
    /* Only the configuration line: ?auto is one line per key. */
    assert_non_null(strstr(text, "NotImplSuggest: NotImplMethods "
                           "-PROPFIND\n"));
    assert_null(strstr(text, "NI0003"));
}

static void test_html_escapes_a_token_and_shows_the_verdict(void **state)
{
    notimpl_count_ref_t *r = five();
    notimpl_snapshot_t s;
    const char *html, *plain;

    (void)state;
    add_n(&r[4], SERVED, 2);
    add_n(&r[4], WREFUSED, 1);
    s = snap();
    html = notimpl_report_html(pool, &s, 1);
    assert_non_null(strstr(html, "<tr><td>A&amp;B</td><td>2</td><td>1</td>"
                           "</tr>\n"));
    assert_non_null(strstr(html, "<pre>NotImplMethods -A&amp;B</pre>"));
    assert_null(strstr(html, "A&B"));
    assert_null(strstr(html, "Transfer coding"));
    plain = notimpl_report_html(pool, &s, 0);
    assert_non_null(strstr(plain, "Method (would refuse) A&amp;B: 2 served, "
                           "1 refused<br />\n"));
    assert_null(strstr(plain, "<table"));
}

static void test_html_without_reports_has_no_verdict(void **state)
{
    notimpl_count_ref_t *r = five();
    notimpl_snapshot_t s;
    const char *html;

    (void)state;
    add_n(&r[2], REFUSED, 1);
    s = snap();
    html = notimpl_report_html(pool, &s, 1);
    assert_non_null(strstr(html, "Requests refused since "
                           "2023-11-14T22:13:20Z: 1</dt>"));
    assert_non_null(strstr(html, "<tr><td>PATCH</td><td>1</td></tr>"));
    assert_null(strstr(html, "(would refuse)</th>"));
    assert_null(strstr(html, "<pre>"));
}

static void test_the_report_is_chosen_by_the_format_parameter(void **state)
{
    (void)state;
    assert_int_equal(notimpl_report_from_args(NULL), NOTIMPL_REPORT_JSON);
    assert_int_equal(notimpl_report_from_args(""), NOTIMPL_REPORT_JSON);
    assert_int_equal(notimpl_report_from_args("format=json"),
                     NOTIMPL_REPORT_JSON);
    assert_int_equal(notimpl_report_from_args("format=prometheus"),
                     NOTIMPL_REPORT_PROMETHEUS);
    assert_int_equal(notimpl_report_from_args("a=1;format=prometheus&b"),
                     NOTIMPL_REPORT_PROMETHEUS);
    assert_int_equal(notimpl_report_from_args("format=prometheusx"),
                     NOTIMPL_REPORT_BAD);
    assert_int_equal(notimpl_report_from_args("format=xml"),
                     NOTIMPL_REPORT_BAD);
    assert_int_equal(notimpl_report_from_args("format="), NOTIMPL_REPORT_BAD);
    assert_int_equal(notimpl_report_from_args("xformat=xml"),
                     NOTIMPL_REPORT_JSON);
}

#define T(name) cmocka_unit_test_setup(name, fresh)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc3339_is_utc_to_the_second),
        T(test_json_of_an_empty_block),
        T(test_json_splits_would_refuse_by_outcome),
        T(test_suggest_names_what_was_served_and_only_that),
        T(test_suggest_sends_other_names_to_the_log_lines),
        T(test_prometheus_families_and_the_outcome_label),
        T(test_auto_has_each_key_once_and_the_suggest_line),
        T(test_html_escapes_a_token_and_shows_the_verdict),
        T(test_html_without_reports_has_no_verdict),
        T(test_the_report_is_chosen_by_the_format_parameter),
    };

    return cmocka_run_group_tests(tests, counters_setup, unit_teardown);
}
