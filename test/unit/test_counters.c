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

/* Unit tests of notimpl_counters.c, the block (docs/observability.md):
 * every name of the closed set counted exactly in its slot, whatever else
 * comes; every other name under other; real refusals and would-refuse
 * outcomes apart; slots kept, given and reused across generations
 * (graceful restarts) without a stale child corrupting a new name; and
 * nothing lost across threads and processes.  The documents are made in
 * notimpl_status.c and tested against a real httpd
 * (test/integration/test_counters.py, test_prometheus.py). */
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

#define SLOTS NOTIMPL_COUNTERS_METHODS

static const notimpl_count_ref_t other_method = { METHOD, 0, -1, 0 };

/* Every outcome's total is its rows plus its others, of both kinds. */
static void assert_adds_up(const notimpl_snapshot_t *s)
{
    int o, k, i;

    for (o = 0; o < NOTIMPL_OUTCOMES; o++) {
        apr_uint64_t sum = 0;

        for (k = 0; k < 2; k++) {
            sum += s->other[k][o];
            for (i = 0; i < s->n[k]; i++) {
                sum += s->rows[k][i].n[o];
            }
        }
        assert_true(sum == s->total[o]);
    }
}

/* n distinct names "prefix0", "prefix1", ... */
static const char **numbered(const char *prefix, int n)
{
    const char **names = apr_palloc(pool, sizeof(*names) * n);
    int i;

    for (i = 0; i < n; i++) {
        names[i] = apr_psprintf(pool, "%s%d", prefix, i);
    }
    return names;
}

static void test_reset_starts_an_empty_block_with_the_iana_codings(
    void **state)
{
    notimpl_snapshot_t s = snap();

    (void)state;
    assert_true(notimpl_counters_usable(table));
    assert_true(s.since == SINCE);
    assert_int_equal(s.n[METHOD], 0);
    assert_int_equal(s.n[CODING], 0);
    assert_int_equal(s.slots, SLOTS);
    assert_int_equal(s.slots_used, 0);
    assert_true(s.total[REFUSED] == 0 && s.total[SERVED] == 0);
    assert_string_equal(table->coding[3].name, "gzip");
}

static void test_a_block_of_another_layout_is_not_usable(void **state)
{
    (void)state;
    assert_false(notimpl_counters_usable(NULL));
    table->layout ^= 1;
    assert_false(notimpl_counters_usable(table));
}

static void test_declared_names_count_exactly_per_outcome(void **state)
{
    static const char *const names[] = { "PROPFIND", "BREW", "MKCALENDAR" };
    notimpl_count_ref_t *refs = declare(names, 3);
    notimpl_snapshot_t s;

    (void)state;
    assert_true(refs[0].named && refs[1].named && refs[2].named);
    add_n(&refs[0], SERVED, 340);
    add_n(&refs[0], WREFUSED, 2);
    add_n(&refs[1], REFUSED, 50);
    s = snap();
    assert_int_equal(count_of(&s, METHOD, "PROPFIND", SERVED), 340);
    assert_int_equal(count_of(&s, METHOD, "PROPFIND", WREFUSED), 2);
    assert_int_equal(count_of(&s, METHOD, "PROPFIND", REFUSED), 0);
    assert_int_equal(count_of(&s, METHOD, "BREW", REFUSED), 50);
    /* A slot with no count is not a row; rows come by name. */
    assert_int_equal(count_of(&s, METHOD, "MKCALENDAR", REFUSED), -1);
    assert_int_equal(s.n[METHOD], 2);
    assert_string_equal(s.rows[METHOD][0].name, "BREW");
    assert_int_equal(s.slots_used, 3);
    assert_true(s.total[SERVED] == 340 && s.total[REFUSED] == 50);
    assert_adds_up(&s);
}

static void test_a_name_outside_the_closed_set_counts_under_other(
    void **state)
{
    static const char *const names[] = { "PATCH" };
    notimpl_count_ref_t *refs = declare(names, 1);
    notimpl_snapshot_t s;

    (void)state;
    add_n(&other_method, REFUSED, 7);
    add_n(&other_method, SERVED, 3);
    add_n(&refs[0], REFUSED, 1);
    s = snap();
    assert_true(s.other[METHOD][REFUSED] == 7);
    assert_true(s.other[METHOD][SERVED] == 3);
    assert_int_equal(s.n[METHOD], 1);
    assert_adds_up(&s);
}

static void test_codings_match_the_iana_names_in_any_case(void **state)
{
    notimpl_count_ref_t gz, xgz, br, empty;
    notimpl_snapshot_t s;

    (void)state;
    notimpl_counters_coding("GZip", &gz);
    notimpl_counters_coding("x-gzip", &xgz);
    notimpl_counters_coding("br", &br);
    notimpl_counters_coding("", &empty);
    assert_true(gz.named && xgz.named && gz.kind == CODING);
    assert_false(br.named || empty.named);
    add_n(&gz, REFUSED, 4);
    add_n(&xgz, SERVED, 1);
    add_n(&br, REFUSED, 2);
    add_n(&empty, WREFUSED, 1);
    s = snap();
    assert_int_equal(count_of(&s, CODING, "gzip", REFUSED), 4);
    assert_int_equal(count_of(&s, CODING, "x-gzip", SERVED), 1);
    assert_true(s.other[CODING][REFUSED] == 2);
    assert_true(s.other[CODING][WREFUSED] == 1);
    assert_int_equal(s.n[METHOD], 0);
    assert_adds_up(&s);
}

static void test_names_that_are_not_short_tokens_get_no_slot(void **state)
{
    char longest[NOTIMPL_COUNTERS_NAME_MAX + 2];
    const char *names[5];
    notimpl_count_ref_t *refs;
    notimpl_snapshot_t s;

    (void)state;
    memset(longest, 'X', sizeof(longest));
    longest[NOTIMPL_COUNTERS_NAME_MAX] = '\0';
    names[0] = apr_pstrdup(pool, longest);          /* fits */
    longest[NOTIMPL_COUNTERS_NAME_MAX] = 'X';
    longest[NOTIMPL_COUNTERS_NAME_MAX + 1] = '\0';
    names[1] = longest;                             /* one byte too many */
    names[2] = "A\"B";
    names[3] = "SP ACE";
    names[4] = "";
    assert_int_equal(notimpl_counters_declare(table, names, 5,
        refs = apr_pcalloc(pool, sizeof(*refs) * 5)), 4);
    assert_true(refs[0].named);
    assert_false(refs[1].named || refs[2].named || refs[3].named
                 || refs[4].named);
    add_n(&refs[2], REFUSED, 1);
    s = snap();
    assert_true(s.other[METHOD][REFUSED] == 1);
    assert_int_equal(s.slots_used, 1);
}

static void test_names_beyond_the_slots_count_under_other(void **state)
{
    const char **names = numbered("X", SLOTS + 10);
    notimpl_count_ref_t *refs = apr_pcalloc(pool, sizeof(*refs)
                                            * (SLOTS + 10));
    notimpl_snapshot_t s;

    (void)state;
    assert_int_equal(notimpl_counters_declare(table, names, SLOTS + 10, refs),
                     10);
    assert_true(refs[SLOTS - 1].named);
    assert_false(refs[SLOTS].named);
    add_n(&refs[SLOTS + 3], REFUSED, 5);
    add_n(&refs[0], REFUSED, 1);
    s = snap();
    assert_true(s.other[METHOD][REFUSED] == 5);
    assert_int_equal(count_of(&s, METHOD, "X0", REFUSED), 1);
    assert_int_equal(s.slots_used, SLOTS);
}

static void test_a_name_listed_twice_has_one_slot(void **state)
{
    static const char *const names[] = { "PURGE", "QUERY", "PURGE" };
    notimpl_count_ref_t *refs = declare(names, 3);

    (void)state;
    assert_int_equal(refs[0].slot, refs[2].slot);
    assert_int_equal(snap().slots_used, 2);
}

static void test_a_graceful_restart_keeps_slots_and_counts(void **state)
{
    static const char *const first[] = { "PATCH", "BREW" };
    static const char *const second[] = { "WHEN", "BREW", "PATCH" };
    notimpl_count_ref_t *old = declare(first, 2), *now;
    notimpl_snapshot_t s;

    (void)state;
    add_n(&old[1], REFUSED, 3);
    now = declare(second, 3);
    assert_int_equal(now[1].slot, old[1].slot);
    assert_int_equal(now[2].slot, old[0].slot);
    assert_true(now[1].epoch == old[1].epoch);
    add_n(&old[1], REFUSED, 1);     /* an old generation's child */
    add_n(&now[1], SERVED, 2);
    add_n(&now[0], REFUSED, 1);     /* the new name counts at once */
    s = snap();
    assert_int_equal(count_of(&s, METHOD, "BREW", REFUSED), 4);
    assert_int_equal(count_of(&s, METHOD, "BREW", SERVED), 2);
    assert_int_equal(count_of(&s, METHOD, "WHEN", REFUSED), 1);
    assert_adds_up(&s);
}

/* The table full of one generation's names: the next generation's new
 * names wait (the old children may still count), the one after takes
 * their slots; the old names' counts go to other, and a child still
 * counting under an old name cannot add to the new one. */
static void test_slots_no_generation_declares_are_reused_safely(
    void **state)
{
    const char **gen1 = numbered("OLD", SLOTS), **gen2 = numbered("NEW", 4);
    notimpl_count_ref_t *r1 = apr_pcalloc(pool, sizeof(*r1) * SLOTS);
    notimpl_count_ref_t *r2 = apr_pcalloc(pool, sizeof(*r2) * 4);
    notimpl_snapshot_t s;

    (void)state;
    assert_int_equal(notimpl_counters_declare(table, gen1, SLOTS, r1), 0);
    add_n(&r1[0], REFUSED, 5);
    add_n(&r1[1], SERVED, 2);
    /* Generation 2: OLD* were named by the one before, so no room. */
    assert_int_equal(notimpl_counters_declare(table, gen2, 4, r2), 4);
    assert_false(r2[0].named);
    /* Generation 3: neither 2 nor 3 names OLD*: their slots are free. */
    assert_int_equal(notimpl_counters_declare(table, gen2, 4, r2), 0);
    assert_true(r2[0].named && r2[3].named);
    s = snap();
    assert_int_equal(count_of(&s, METHOD, "OLD0", REFUSED), -1);
    assert_int_equal(count_of(&s, METHOD, "OLD1", SERVED), -1);
    assert_true(s.other[METHOD][REFUSED] == 5);
    assert_true(s.other[METHOD][SERVED] == 2);
    /* A child two generations old still counting under OLD0/OLD1: */
    add_n(&r1[0], REFUSED, 3);
    add_n(&r1[1], REFUSED, 1);
    add_n(&r2[0], REFUSED, 1);
    s = snap();
    assert_int_equal(count_of(&s, METHOD, "NEW0", REFUSED), 1);
    assert_int_equal(count_of(&s, METHOD, "NEW1", REFUSED), -1);
    assert_true(s.other[METHOD][REFUSED] == 9);
    assert_adds_up(&s);
}

#define THREADS 8
#define PER_THREAD 20000

static notimpl_count_ref_t *shared_refs;

static void *APR_THREAD_FUNC hammer(apr_thread_t *t, void *arg)
{
    int i, me = (int)(intptr_t)arg;

    for (i = 0; i < PER_THREAD; i++) {
        notimpl_counters_add(table, i % 4 == 3 ? &other_method
                             : &shared_refs[(i + me) % 3],
                             (notimpl_outcome_e)(i % NOTIMPL_OUTCOMES));
    }
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

static void test_threads_counting_at_once_lose_nothing(void **state)
{
    static const char *const names[] = { "PATCH", "BREW", "PROPFIND" };
    apr_thread_t *threads[THREADS];
    apr_status_t rv;
    notimpl_snapshot_t s;
    int i;

    (void)state;
    shared_refs = declare(names, 3);
    for (i = 0; i < THREADS; i++) {
        assert_int_equal(apr_thread_create(&threads[i], NULL, hammer,
                                           (void *)(intptr_t)i, pool),
                         APR_SUCCESS);
    }
    for (i = 0; i < THREADS; i++) {
        apr_thread_join(&rv, threads[i]);
    }
    s = snap();
    assert_true(s.total[REFUSED] + s.total[SERVED] + s.total[WREFUSED]
                == (apr_uint64_t)THREADS * PER_THREAD);
    assert_true(s.other[METHOD][REFUSED] + s.other[METHOD][SERVED]
                + s.other[METHOD][WREFUSED]
                == (apr_uint64_t)THREADS * (PER_THREAD / 4));
    assert_adds_up(&s);
}

#define CHILDREN 4
#define PER_CHILD 25000

/* What httpd's children do: fork() after the parent mapped the block and
 * found the slots. */
static void test_processes_sharing_the_block_lose_nothing(void **state)
{
    static const char *const names[] = { "PATCH", "BREW" };
    apr_shm_t *shm;
    notimpl_counters_t *shared;
    notimpl_count_ref_t refs[2];
    notimpl_snapshot_t s;
    pid_t pids[CHILDREN];
    int i, status;

    (void)state;
    assert_int_equal(apr_shm_create(&shm, sizeof(*shared), NULL, pool),
                     APR_SUCCESS);
    shared = apr_shm_baseaddr_get(shm);
    notimpl_counters_reset(shared, SINCE);
    assert_int_equal(notimpl_counters_declare(shared, names, 2, refs), 0);
    for (i = 0; i < CHILDREN; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            int j;
            for (j = 0; j < PER_CHILD; j++) {
                notimpl_counters_add(shared, j % 2 ? &refs[1]
                                     : (j % 3 ? &refs[0] : &other_method),
                                     j % 5 == 0 ? SERVED : REFUSED);
            }
            _exit(0);
        }
    }
    for (i = 0; i < CHILDREN; i++) {
        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    notimpl_counters_snapshot(pool, shared, &s);
    assert_true(s.total[REFUSED] + s.total[SERVED]
                == (apr_uint64_t)CHILDREN * PER_CHILD);
    assert_true(s.total[SERVED] == (apr_uint64_t)CHILDREN * PER_CHILD / 5);
    assert_int_equal(count_of(&s, METHOD, "BREW", REFUSED)
                     + count_of(&s, METHOD, "BREW", SERVED),
                     CHILDREN * (PER_CHILD / 2));
    assert_adds_up(&s);
    apr_shm_destroy(shm);
}

#define T(name) cmocka_unit_test_setup(name, fresh)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_reset_starts_an_empty_block_with_the_iana_codings),
        T(test_a_block_of_another_layout_is_not_usable),
        T(test_declared_names_count_exactly_per_outcome),
        T(test_a_name_outside_the_closed_set_counts_under_other),
        T(test_codings_match_the_iana_names_in_any_case),
        T(test_names_that_are_not_short_tokens_get_no_slot),
        T(test_names_beyond_the_slots_count_under_other),
        T(test_a_name_listed_twice_has_one_slot),
        T(test_a_graceful_restart_keeps_slots_and_counts),
        T(test_slots_no_generation_declares_are_reused_safely),
        T(test_threads_counting_at_once_lose_nothing),
        cmocka_unit_test(test_processes_sharing_the_block_lose_nothing),
    };

    return cmocka_run_group_tests(tests, counters_setup, unit_teardown);
}
