/* Unit tests of notimpl_counters.c, the documents: JSON and Prometheus
 * text exposition from a snapshot, the names escaped for each, and the
 * format= query parameter (SPEC "Observability"). */
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
#include "counters_fixture.h"


static void test_rfc3339_is_utc_to_the_second(void **state)
{
    (void)state;
    assert_string_equal(notimpl_counters_rfc3339(pool, 0),
                        "1970-01-01T00:00:00Z");
    assert_string_equal(notimpl_counters_rfc3339(pool, SINCE + 999999),
                        "2023-11-14T22:13:20Z");
}

static void test_json_lists_every_counter(void **state)
{
    notimpl_snapshot_t s;

    (void)state;
    add_n(NOTIMPL_COUNT_METHOD, "BREW", 50);
    add_n(NOTIMPL_COUNT_METHOD, "PATCH", 20);
    add_n(NOTIMPL_COUNT_CODING, "gzip", 1);
    s = snap();
    assert_string_equal(notimpl_counters_json(pool, &s),
        "{\"total\":71,\"methods\":{\"BREW\":50,\"PATCH\":20},"
        "\"other_methods\":0,\"transfer_codings\":{\"gzip\":1},"
        "\"other_transfer_codings\":0,\"since\":\"2023-11-14T22:13:20Z\","
        "\"slots\":128,\"slots_used\":3,\"would_refuse\":{\"total\":0,"
        "\"methods\":{},\"other_methods\":0,\"transfer_codings\":{},"
        "\"other_transfer_codings\":0}}\n");
}

static void test_json_of_an_empty_table_has_empty_maps(void **state)
{
    notimpl_snapshot_t s = snap();

    (void)state;
    assert_non_null(strstr(notimpl_counters_json(pool, &s),
                           "\"methods\":{},\"other_methods\":0,"
                           "\"transfer_codings\":{},"));
}

static void test_json_escapes_names_with_the_json_escaper(void **state)
{
    notimpl_snapshot_t s;
    const char *json;

    (void)state;
    add_n(NOTIMPL_COUNT_METHOD, "A\"B\\C", 1);
    add_n(NOTIMPL_COUNT_METHOD, "<x>\xc3\xa9", 1);
    s = snap();
    json = notimpl_counters_json(pool, &s);
    assert_non_null(strstr(json, "\"A\\\"B\\\\C\":1"));
    assert_non_null(strstr(json, "\"\\u003cx\\u003e\\u00c3\\u00a9\":1"));
}

static void test_json_of_a_full_table_of_odd_names_is_valid(void **state)
{
    notimpl_snapshot_t s;
    int i;

    (void)state;
    /* Every visible byte and every high byte, in names that fill the
     * table, so "other" is in use too. */
    for (i = 0x21; i < 0x100; i++) {
        if (i != 0x7f) {
            notimpl_counters_add(table, i % 2 ? NOTIMPL_COUNT_METHOD
                                              : NOTIMPL_COUNT_CODING,
                                 apr_psprintf(pool, "%c%c-%d", i, i, i), 0);
            notimpl_counters_add(table, i % 2 ? NOTIMPL_COUNT_METHOD
                                              : NOTIMPL_COUNT_CODING,
                                 apr_psprintf(pool, "%c-%d", i, i), 1);
        }
    }
    s = snap();
    assert_int_equal(s.slots_used, 2 * NOTIMPL_COUNTERS_POOL);
    assert_true(s.served.other[METHOD] + s.served.other[CODING] > 0);
    assert_true(s.would.other[METHOD] + s.would.other[CODING] > 0);
    assert_true(json_check_object(notimpl_counters_json(pool, &s)));
}

static void test_prometheus_has_one_family_per_meaning(void **state)
{
    notimpl_snapshot_t s;

    (void)state;
    add_n(NOTIMPL_COUNT_METHOD, "BREW", 50);
    add_n(NOTIMPL_COUNT_CODING, "gzip", 2);
    would_n(NOTIMPL_COUNT_METHOD, "PUT", 1);
    would_n(NOTIMPL_COUNT_METHOD, "A B", 1);
    s = snap();
    assert_string_equal(notimpl_counters_prometheus(pool, &s),
        "# HELP notimpl_responses_total 501 responses for a method the "
        "server does not implement, by method.\n"
        "# TYPE notimpl_responses_total counter\n"
        "notimpl_responses_total{method=\"BREW\"} 50\n"
        "# HELP notimpl_other_method_responses_total 501 responses for "
        "methods not counted by name (name table full, name too long or "
        "not printable).\n"
        "# TYPE notimpl_other_method_responses_total counter\n"
        "notimpl_other_method_responses_total 0\n"
        "# HELP notimpl_transfer_coding_responses_total 501 responses for a "
        "transfer coding the server does not implement, by coding.\n"
        "# TYPE notimpl_transfer_coding_responses_total counter\n"
        "notimpl_transfer_coding_responses_total{coding=\"gzip\"} 2\n"
        "# HELP notimpl_other_transfer_coding_responses_total 501 responses "
        "for transfer codings not counted by name.\n"
        "# TYPE notimpl_other_transfer_coding_responses_total counter\n"
        "notimpl_other_transfer_coding_responses_total 0\n"
        "# HELP notimpl_all_responses_total Every 501 response of "
        "mod_notimpl.\n"
        "# TYPE notimpl_all_responses_total counter\n"
        "notimpl_all_responses_total 52\n"
        "# HELP notimpl_counters_start_time_seconds When counting started, "
        "in seconds since the Unix epoch.\n"
        "# TYPE notimpl_counters_start_time_seconds gauge\n"
        "notimpl_counters_start_time_seconds 1700000000\n"
        "# HELP notimpl_would_refuse_requests_total Requests a ReportOnly "
        "scope would have refused with 501, by method.\n"
        "# TYPE notimpl_would_refuse_requests_total counter\n"
        "notimpl_would_refuse_requests_total{method=\"PUT\"} 1\n"
        "# HELP notimpl_would_refuse_other_method_requests_total Would-refuse "
        "requests for methods not counted by name.\n"
        "# TYPE notimpl_would_refuse_other_method_requests_total counter\n"
        "notimpl_would_refuse_other_method_requests_total 1\n"
        "# HELP notimpl_would_refuse_transfer_coding_requests_total Requests "
        "a ReportOnly scope would have refused with 501 for their transfer "
        "coding, by coding.\n"
        "# TYPE notimpl_would_refuse_transfer_coding_requests_total counter\n"
        "# HELP notimpl_would_refuse_other_transfer_coding_requests_total "
        "Would-refuse requests for transfer codings not counted by name.\n"
        "# TYPE notimpl_would_refuse_other_transfer_coding_requests_total "
        "counter\n"
        "notimpl_would_refuse_other_transfer_coding_requests_total 0\n"
        "# HELP notimpl_would_refuse_all_requests_total Every request a "
        "ReportOnly scope would have refused.\n"
        "# TYPE notimpl_would_refuse_all_requests_total counter\n"
        "notimpl_would_refuse_all_requests_total 2\n");
}

static void test_prometheus_label_values_use_only_its_three_escapes(
    void **state)
{
    static notimpl_count_t odd[] = {
        { "A\"B", 1 }, { "A\\B", 2 }, { "A\nB", 3 }, { "\xc3\xa9\x01", 4 }
    };
    notimpl_snapshot_t s;
    const char *text;

    (void)state;
    s = snap();
    s.served.rows[METHOD] = odd;
    s.served.n[METHOD] = 4;
    s.would.rows[CODING] = odd;
    s.would.n[CODING] = 4;
    text = notimpl_counters_prometheus(pool, &s);
    assert_non_null(strstr(text, "{method=\"A\\\"B\"} 1\n"));
    /* a sent backslash is shown as \\ (apr_pescape_echo), then escaped */
    assert_non_null(strstr(text, "{method=\"A\\\\\\\\B\"} 2\n"));
    /* other bytes as visible text, \n or \xNN (apr_pescape_echo): valid
     * UTF-8, no raw newline */
    assert_non_null(strstr(text, "{method=\"A\\\\nB\"} 3\n"));
    assert_non_null(strstr(text, "{method=\"\\\\xc3\\\\xa9\\\\x01\"} 4\n"));
    /* the would-refuse families escape alike */
    assert_non_null(strstr(text, "notimpl_would_refuse_transfer_coding_"
                           "requests_total{coding=\"A\\\\nB\"} 3\n"));
}

static void test_the_report_is_chosen_by_the_format_parameter(void **state)
{
    (void)state;
    assert_int_equal(notimpl_counters_report_from_args(NULL),
                     NOTIMPL_REPORT_JSON);
    assert_int_equal(notimpl_counters_report_from_args(""),
                     NOTIMPL_REPORT_JSON);
    assert_int_equal(notimpl_counters_report_from_args("format=json"),
                     NOTIMPL_REPORT_JSON);
    assert_int_equal(notimpl_counters_report_from_args("format=prometheus"),
                     NOTIMPL_REPORT_PROMETHEUS);
    assert_int_equal(notimpl_counters_report_from_args(
                         "x=1&format=prometheus&y"), NOTIMPL_REPORT_PROMETHEUS);
    assert_int_equal(notimpl_counters_report_from_args(
                         "a=b;format=prometheus"), NOTIMPL_REPORT_PROMETHEUS);
    assert_int_equal(notimpl_counters_report_from_args("formats=prometheus"),
                     NOTIMPL_REPORT_JSON);
    assert_int_equal(notimpl_counters_report_from_args("format=xml"),
                     NOTIMPL_REPORT_BAD);
    assert_int_equal(notimpl_counters_report_from_args("format="),
                     NOTIMPL_REPORT_BAD);
    assert_int_equal(notimpl_counters_report_from_args(
                         "format=prometheusx"), NOTIMPL_REPORT_BAD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc3339_is_utc_to_the_second),
        cmocka_unit_test_setup(test_json_lists_every_counter, fresh),
        cmocka_unit_test_setup(test_json_of_an_empty_table_has_empty_maps,
                               fresh),
        cmocka_unit_test_setup(test_json_escapes_names_with_the_json_escaper,
                               fresh),
        cmocka_unit_test_setup(
            test_json_of_a_full_table_of_odd_names_is_valid, fresh),
        cmocka_unit_test_setup(test_prometheus_has_one_family_per_meaning,
                               fresh),
        cmocka_unit_test_setup(
            test_prometheus_label_values_use_only_its_three_escapes, fresh),
        cmocka_unit_test(test_the_report_is_chosen_by_the_format_parameter),
    };

    return cmocka_run_group_tests(tests, counters_setup, unit_teardown);
}
