/* Unit tests of notimpl_counters.c, the table (SPEC "Observability"):
 * exact across processes and threads, at least 64 names by name, the rest
 * under other, nothing lost from total.  The documents made from it are
 * tested in test_counters_report.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <apr_general.h>
#include <apr_shm.h>
#include <apr_strings.h>
#include <apr_thread_proc.h>
#include "notimpl_counters.h"
#include "counters_fixture.h"


static apr_uint64_t sum(const notimpl_count_t *e, int n)
{
    apr_uint64_t total = 0;

    while (n-- > 0) {
        total += e[n].count;
    }
    return total;
}

/* The count of name in a snapshot list, -1 when it is not listed. */
static long long count_of(const notimpl_count_t *e, int n, const char *name)
{
    int i;

    for (i = 0; i < n; i++) {
        if (strcmp(e[i].name, name) == 0) {
            return (long long)e[i].count;
        }
    }
    return -1;
}

static void test_reset_starts_an_empty_table_at_since(void **state)
{
    notimpl_snapshot_t s = snap();

    (void)state;
    assert_true(notimpl_counters_usable(table));
    assert_true(s.since == SINCE);
    assert_true(s.total == 0 && s.other_methods == 0 && s.other_codings == 0);
    assert_int_equal(s.n_methods, 0);
    assert_int_equal(s.n_codings, 0);
    assert_int_equal(s.slots, NOTIMPL_COUNTERS_SLOTS);
    assert_int_equal(s.slots_used, 0);
}

static void test_a_block_of_another_layout_is_not_usable(void **state)
{
    notimpl_counters_t *junk = apr_pcalloc(pool, sizeof(*junk));

    (void)state;
    assert_false(notimpl_counters_usable(NULL));
    assert_false(notimpl_counters_usable(junk));
    junk->layout = table->layout;
    assert_false(notimpl_counters_usable(junk));   /* nslots still 0 */
}

static void test_each_method_is_counted_by_name_most_counted_first(void **state)
{
    notimpl_snapshot_t s;

    (void)state;
    add_n(NOTIMPL_COUNT_METHOD, "PATCH", 20);
    add_n(NOTIMPL_COUNT_METHOD, "BREW", 50);
    add_n(NOTIMPL_COUNT_METHOD, "WHEN", 20);
    s = snap();
    assert_true(s.total == 90);
    assert_int_equal(s.n_methods, 3);
    assert_string_equal(s.methods[0].name, "BREW");
    assert_true(s.methods[0].count == 50);
    /* equal counts: by name, so two reads list them alike */
    assert_string_equal(s.methods[1].name, "PATCH");
    assert_string_equal(s.methods[2].name, "WHEN");
    assert_int_equal(s.slots_used, 3);
}

static void test_methods_and_codings_are_counted_apart(void **state)
{
    notimpl_snapshot_t s;

    (void)state;
    add_n(NOTIMPL_COUNT_METHOD, "gzip", 2);
    add_n(NOTIMPL_COUNT_CODING, "gzip", 3);
    s = snap();
    assert_true(s.total == 5);
    assert_int_equal(count_of(s.methods, s.n_methods, "gzip"), 2);
    assert_int_equal(count_of(s.codings, s.n_codings, "gzip"), 3);
}

static void test_names_beyond_the_table_go_to_other_and_total_stays_exact(
    void **state)
{
    notimpl_snapshot_t s;
    int i;

    (void)state;
    for (i = 0; i < 300; i++) {
        notimpl_counters_add(table, NOTIMPL_COUNT_METHOD,
                             apr_psprintf(pool, "M%03d", i));
    }
    notimpl_counters_add(table, NOTIMPL_COUNT_CODING, "br");
    s = snap();
    assert_true(s.total == 301);
    assert_true(NOTIMPL_COUNTERS_SLOTS >= 64);
    assert_int_equal(s.n_methods, NOTIMPL_COUNTERS_SLOTS);
    assert_true(sum(s.methods, s.n_methods) + s.other_methods == 300);
    assert_true(s.other_methods == 300 - NOTIMPL_COUNTERS_SLOTS);
    /* no room left for a new coding either, but it is still counted */
    assert_int_equal(s.n_codings, 0);
    assert_true(s.other_codings == 1);
    /* a name already in the table keeps being counted by name */
    notimpl_counters_add(table, NOTIMPL_COUNT_METHOD, s.methods[0].name);
    s = snap();
    assert_int_equal(s.methods[0].count, 2);
    assert_true(s.total == 302);
}

static void test_a_name_longer_than_the_maximum_goes_to_other(void **state)
{
    char longest[NOTIMPL_COUNTERS_NAME_MAX + 2];
    notimpl_snapshot_t s;

    (void)state;
    memset(longest, 'X', sizeof(longest));
    longest[NOTIMPL_COUNTERS_NAME_MAX] = '\0';
    add_n(NOTIMPL_COUNT_METHOD, longest, 2);
    longest[NOTIMPL_COUNTERS_NAME_MAX] = 'Y';
    longest[NOTIMPL_COUNTERS_NAME_MAX + 1] = '\0';
    add_n(NOTIMPL_COUNT_METHOD, longest, 3);
    add_n(NOTIMPL_COUNT_CODING, longest, 4);
    s = snap();
    assert_int_equal(s.n_methods, 1);
    assert_int_equal(strlen(s.methods[0].name), NOTIMPL_COUNTERS_NAME_MAX);
    assert_true(s.methods[0].count == 2);
    assert_true(s.other_methods == 3);     /* never truncated into a name */
    assert_true(s.other_codings == 4);
    assert_true(s.total == 9);
}

static void test_names_with_space_or_control_bytes_go_to_other(void **state)
{
    static const char *const odd[] = {
        "", "A B", "A\tB", "A\r\nB", "\x7f", "\x01"
    };
    notimpl_snapshot_t s;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
        notimpl_counters_add(table, NOTIMPL_COUNT_METHOD, odd[i]);
    }
    notimpl_counters_add(table, NOTIMPL_COUNT_CODING, "; q=1");
    /* visible bytes, quotes and bytes >= 0x80 are names like any other */
    add_n(NOTIMPL_COUNT_METHOD, "\xc3\xa9", 1);
    add_n(NOTIMPL_COUNT_METHOD, "A\"B\\C", 1);
    s = snap();
    assert_true(s.other_methods == 6);
    assert_true(s.other_codings == 1);
    assert_int_equal(s.n_methods, 2);
    assert_int_equal(count_of(s.methods, s.n_methods, "\xc3\xa9"), 1);
    assert_int_equal(count_of(s.methods, s.n_methods, "A\"B\\C"), 1);
    assert_true(s.total == 9);
}

/* The slot a name is stored in, found the way a reader would. */
static notimpl_counter_slot_t *slot_of(const char *name)
{
    int i;

    for (i = 0; i < NOTIMPL_COUNTERS_SLOTS; i++) {
        if (table->slots[i].state != 0
            && strcmp(table->slots[i].name, name) == 0) {
            return &table->slots[i];
        }
    }
    return NULL;
}

static void test_a_slot_left_half_claimed_is_passed_over(void **state)
{
    notimpl_counter_slot_t *home;
    notimpl_snapshot_t s;

    (void)state;
    /* Learn BREW's home slot, then start again with that slot stuck in
     * "being claimed", as after a child killed in mid-claim. */
    notimpl_counters_add(table, NOTIMPL_COUNT_METHOD, "BREW");
    home = slot_of("BREW");
    assert_non_null(home);
    notimpl_counters_reset(table, SINCE);
    home->state = 1;

    add_n(NOTIMPL_COUNT_METHOD, "BREW", 5);
    s = snap();
    assert_int_equal(count_of(s.methods, s.n_methods, "BREW"), 5);
    assert_int_equal(s.n_methods, 1);
    assert_int_equal(s.slots_used, 2);    /* the stuck slot is not reused */
    assert_true(s.total == 5);
}

static void test_the_same_name_in_two_slots_is_reported_once(void **state)
{
    notimpl_counter_slot_t *first, *second = NULL;
    notimpl_snapshot_t s;
    int i;

    (void)state;
    /* Two claimers that passed each other can store one name twice. */
    add_n(NOTIMPL_COUNT_METHOD, "BREW", 3);
    first = slot_of("BREW");
    for (i = 0; i < NOTIMPL_COUNTERS_SLOTS && second == NULL; i++) {
        if (table->slots[i].state == 0) {
            second = &table->slots[i];
        }
    }
    memcpy(second, first, sizeof(*second));
    second->count = 4;
    s = snap();
    assert_int_equal(s.n_methods, 1);
    assert_int_equal(count_of(s.methods, s.n_methods, "BREW"), 7);
}

#define THREADS 8
#define PER_THREAD 20000
#define NAMES 200      /* more than the table holds: "other" is hit too */

static void *APR_THREAD_FUNC hammer(apr_thread_t *t, void *arg)
{
    int i, me = (int)(intptr_t)arg;
    char name[16];

    for (i = 0; i < PER_THREAD; i++) {
        apr_snprintf(name, sizeof(name), "N%d", (i * 7 + me) % NAMES);
        notimpl_counters_add(table, NOTIMPL_COUNT_METHOD, name);
    }
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

static void test_threads_counting_at_once_lose_nothing(void **state)
{
    apr_thread_t *threads[THREADS];
    apr_status_t rv;
    notimpl_snapshot_t s;
    int i;

    (void)state;
    for (i = 0; i < THREADS; i++) {
        assert_int_equal(apr_thread_create(&threads[i], NULL, hammer,
                                           (void *)(intptr_t)i, pool),
                         APR_SUCCESS);
    }
    /* Read while they count: total is never behind its parts. */
    do {
        s = snap();
        assert_true(sum(s.methods, s.n_methods) + s.other_methods <= s.total);
    } while (s.total < (apr_uint64_t)THREADS * PER_THREAD);
    for (i = 0; i < THREADS; i++) {
        apr_thread_join(&rv, threads[i]);
    }
    s = snap();
    assert_true(s.total == (apr_uint64_t)THREADS * PER_THREAD);
    assert_true(sum(s.methods, s.n_methods) + s.other_methods == s.total);
    assert_true(s.n_methods >= 64);
    /* every name stored was seen by every thread equally often */
    for (i = 0; i < s.n_methods; i++) {
        assert_true(s.methods[i].count == THREADS * PER_THREAD / NAMES);
    }
}

#define CHILDREN 4
#define PER_CHILD 25000

/* What httpd's children do: fork() after the parent mapped the block. */
static void test_processes_sharing_the_block_lose_nothing(void **state)
{
    apr_shm_t *shm;
    notimpl_counters_t *shared;
    notimpl_snapshot_t s;
    pid_t pids[CHILDREN];
    int i, status;

    (void)state;
    assert_int_equal(apr_shm_create(&shm, sizeof(*shared), NULL, pool),
                     APR_SUCCESS);
    shared = apr_shm_baseaddr_get(shm);
    notimpl_counters_reset(shared, SINCE);
    for (i = 0; i < CHILDREN; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            int j;
            for (j = 0; j < PER_CHILD; j++) {
                notimpl_counters_add(shared, NOTIMPL_COUNT_METHOD,
                                     j % 2 ? "BREW" : (j % 3 ? "PATCH"
                                                             : "WHEN"));
            }
            _exit(0);
        }
    }
    for (i = 0; i < CHILDREN; i++) {
        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    notimpl_counters_snapshot(pool, shared, &s);
    assert_true(s.total == (apr_uint64_t)CHILDREN * PER_CHILD);
    assert_int_equal(count_of(s.methods, s.n_methods, "BREW"),
                     CHILDREN * (PER_CHILD / 2));
    assert_true(sum(s.methods, s.n_methods) == s.total);
    assert_int_equal(s.n_methods, 3);
    apr_shm_destroy(shm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_reset_starts_an_empty_table_at_since,
                               fresh),
        cmocka_unit_test_setup(test_a_block_of_another_layout_is_not_usable,
                               fresh),
        cmocka_unit_test_setup(
            test_each_method_is_counted_by_name_most_counted_first, fresh),
        cmocka_unit_test_setup(test_methods_and_codings_are_counted_apart,
                               fresh),
        cmocka_unit_test_setup(
            test_names_beyond_the_table_go_to_other_and_total_stays_exact,
            fresh),
        cmocka_unit_test_setup(
            test_a_name_longer_than_the_maximum_goes_to_other, fresh),
        cmocka_unit_test_setup(
            test_names_with_space_or_control_bytes_go_to_other, fresh),
        cmocka_unit_test_setup(test_a_slot_left_half_claimed_is_passed_over,
                               fresh),
        cmocka_unit_test_setup(
            test_the_same_name_in_two_slots_is_reported_once, fresh),
        cmocka_unit_test_setup(test_threads_counting_at_once_lose_nothing,
                               fresh),
        cmocka_unit_test(test_processes_sharing_the_block_lose_nothing),
    };

    return cmocka_run_group_tests(tests, counters_setup, unit_teardown);
}
