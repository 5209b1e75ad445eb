/* Unit tests of notimpl_counters.c, the block (SPEC "Observability"):
 * registered and declared names counted exactly by name whatever else
 * comes; other names in bounded Space-Saving pools, one per kind, within
 * the stated error bound; would-refuse counts apart; nothing lost from
 * total across threads and processes.  The documents made from it are
 * tested in test_counters_report.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <apr_atomic.h>
#include <apr_general.h>
#include <apr_shm.h>
#include <apr_strings.h>
#include <apr_thread_proc.h>
#include "notimpl_counters.h"
#include "counters_fixture.h"

#define POOL NOTIMPL_COUNTERS_POOL

/* The sum of a tally's rows of one kind. */
static apr_uint64_t sum(const notimpl_tally_t *t, int kind)
{
    apr_uint64_t total = 0;
    int i;

    for (i = 0; i < t->n[kind]; i++) {
        total += t->rows[kind][i].count;
    }
    return total;
}

/* The count of name in a tally's rows of one kind, -1 when it is not
 * listed. */
static long long count_of(const notimpl_tally_t *t, int kind,
                          const char *name)
{
    int i;

    for (i = 0; i < t->n[kind]; i++) {
        if (strcmp(t->rows[kind][i].name, name) == 0) {
            return (long long)t->rows[kind][i].count;
        }
    }
    return -1;
}

/* The parts of a tally add up to its total, per kind. */
static void assert_adds_up(const notimpl_tally_t *t)
{
    assert_true(sum(t, METHOD) + t->other[METHOD]
                + sum(t, CODING) + t->other[CODING] == t->total);
}

static void junk(notimpl_count_kind_e kind, const char *prefix, int n,
                 int would)
{
    int i;

    for (i = 0; i < n; i++) {
        notimpl_counters_add(table, kind, apr_psprintf(pool, "%s%d", prefix,
                                                       i), would);
    }
}

static void test_reset_starts_an_empty_block_at_since(void **state)
{
    notimpl_snapshot_t s = snap();

    (void)state;
    assert_true(notimpl_counters_usable(table));
    assert_true(s.since == SINCE);
    assert_true(s.served.total == 0 && s.served.other[METHOD] == 0
                && s.served.other[CODING] == 0 && s.would.total == 0);
    assert_int_equal(s.served.n[METHOD] + s.served.n[CODING], 0);
    assert_int_equal(s.would.n[METHOD] + s.would.n[CODING], 0);
    assert_int_equal(s.slots, 2 * POOL);
    assert_int_equal(s.slots_used, 0);
}

static void test_a_block_of_another_layout_is_not_usable(void **state)
{
    notimpl_counters_t *junk_block = apr_pcalloc(pool, sizeof(*junk_block));

    (void)state;
    assert_false(notimpl_counters_usable(NULL));
    assert_false(notimpl_counters_usable(junk_block));
    junk_block->layout = table->layout ^ 1;
    assert_false(notimpl_counters_usable(junk_block));
}

static void test_each_method_is_counted_by_name_most_counted_first(void **state)
{
    notimpl_snapshot_t s;

    (void)state;
    assert_true(notimpl_counters_declare(table, "PATCH"));
    add_n(NOTIMPL_COUNT_METHOD, "PATCH", 20);
    add_n(NOTIMPL_COUNT_METHOD, "BREW", 50);
    add_n(NOTIMPL_COUNT_METHOD, "WHEN", 20);
    s = snap();
    assert_true(s.served.total == 90);
    assert_int_equal(s.served.n[METHOD], 3);
    assert_string_equal(s.served.rows[METHOD][0].name, "BREW");
    assert_true(s.served.rows[METHOD][0].count == 50);
    /* equal counts: by name, so two reads list them alike */
    assert_string_equal(s.served.rows[METHOD][1].name, "PATCH");
    assert_string_equal(s.served.rows[METHOD][2].name, "WHEN");
    assert_int_equal(s.slots_used, 2);     /* PATCH has its exact slot */
}

static void test_methods_and_codings_are_counted_apart(void **state)
{
    notimpl_snapshot_t s;

    (void)state;
    add_n(NOTIMPL_COUNT_METHOD, "gzip", 2);
    add_n(NOTIMPL_COUNT_CODING, "gzip", 3);
    s = snap();
    assert_true(s.served.total == 5);
    assert_int_equal(count_of(&s.served, METHOD, "gzip"), 2);
    assert_int_equal(count_of(&s.served, CODING, "gzip"), 3);
}

/* Issue 14, defect 2: junk codings filled the one shared table and from
 * then on every method was "other". */
static void test_junk_codings_never_take_the_room_of_methods(void **state)
{
    notimpl_snapshot_t s;

    (void)state;
    junk(NOTIMPL_COUNT_CODING, "x", 1000, 0);
    add_n(NOTIMPL_COUNT_METHOD, "MKTEA", 1);
    s = snap();
    assert_int_equal(count_of(&s.served, METHOD, "MKTEA"), 1);
    assert_int_equal(s.served.n[METHOD], 1);
    assert_true(s.served.other[METHOD] == 0);
    assert_int_equal(s.served.n[CODING], POOL);
    assert_true(s.served.total == 1001);
    assert_adds_up(&s.served);
}

static void test_declared_names_stay_exact_under_any_junk(void **state)
{
    notimpl_snapshot_t s;

    (void)state;
    assert_true(notimpl_counters_declare(table, "PATCH"));
    assert_true(notimpl_counters_declare(table, "MKCALENDAR"));
    junk(NOTIMPL_COUNT_METHOD, "J", 5000, 0);
    add_n(NOTIMPL_COUNT_METHOD, "PATCH", 3);
    junk(NOTIMPL_COUNT_METHOD, "K", 5000, 0);
    add_n(NOTIMPL_COUNT_METHOD, "MKCALENDAR", 1);
    s = snap();
    assert_int_equal(count_of(&s.served, METHOD, "PATCH"), 3);
    assert_int_equal(count_of(&s.served, METHOD, "MKCALENDAR"), 1);
    assert_true(s.served.total == 10004);
    assert_int_equal(s.slots_used, POOL);
    assert_adds_up(&s.served);
}

static void test_a_heavy_name_is_listed_however_much_junk_came_first(
    void **state)
{
    notimpl_snapshot_t s;
    int i;

    (void)state;
    junk(NOTIMPL_COUNT_METHOD, "J", 20000, 0);
    /* 1 in 20 of what follows: 3000 of 80000 in all, far above N/k. */
    for (i = 0; i < 60000; i++) {
        notimpl_counters_add(table, NOTIMPL_COUNT_METHOD,
                             i % 20 ? apr_psprintf(pool, "L%d", i) : "BREW",
                             0);
    }
    s = snap();
    /* Listed, and at most N/k below its true count. */
    assert_true(count_of(&s.served, METHOD, "BREW") >= 3000 - 80000 / POOL);
    assert_true(count_of(&s.served, METHOD, "BREW") <= 3000);
    assert_adds_up(&s.served);
}

/* The bound in notimpl_counters.h, on a skewed stream of many names:
 * every listed count c satisfies c <= true <= c + N/k, and every name
 * counted more than N/k times is listed. */
static void test_the_pool_keeps_its_stated_error_bound(void **state)
{
    enum { NAMES = 400, N = 40000 };
    static int truth[NAMES];
    notimpl_snapshot_t s;
    unsigned int seed = 14;
    int i;

    (void)state;
    memset(truth, 0, sizeof(truth));
    for (i = 0; i < N; i++) {
        /* Skewed: name j drawn with weight about 1/(j+1). */
        int j;
        seed = seed * 1103515245u + 12345u;
        j = (int)((seed >> 8) % NAMES);
        j = j * j / NAMES;
        truth[j]++;
        add_n(NOTIMPL_COUNT_METHOD, apr_psprintf(pool, "N%d", j), 1);
    }
    s = snap();
    assert_true(s.served.total == N);
    assert_adds_up(&s.served);
    for (i = 0; i < NAMES; i++) {
        long long c = count_of(&s.served, METHOD,
                               apr_psprintf(pool, "N%d", i));
        if (truth[i] > N / POOL) {
            assert_true(c >= 0);
        }
        if (c >= 0) {
            assert_true(c <= truth[i] && truth[i] <= c + N / POOL);
        }
    }
}

static void test_would_refuse_counts_are_kept_apart(void **state)
{
    notimpl_snapshot_t s;

    (void)state;
    assert_true(notimpl_counters_declare(table, "PROPFIND"));
    add_n(NOTIMPL_COUNT_METHOD, "PROPFIND", 2);
    would_n(NOTIMPL_COUNT_METHOD, "PROPFIND", 5);
    would_n(NOTIMPL_COUNT_METHOD, "BREW", 4);
    would_n(NOTIMPL_COUNT_CODING, "gzip", 3);
    /* junk in the would-refuse pools leaves the real pools alone */
    junk(NOTIMPL_COUNT_METHOD, "J", 500, 1);
    add_n(NOTIMPL_COUNT_METHOD, "MKTEA", 1);
    s = snap();
    assert_true(s.served.total == 3);
    assert_int_equal(s.served.n[METHOD], 2);
    assert_int_equal(count_of(&s.served, METHOD, "PROPFIND"), 2);
    assert_int_equal(count_of(&s.served, METHOD, "MKTEA"), 1);
    assert_int_equal(s.served.n[CODING], 0);
    assert_true(s.would.total == 512);
    assert_int_equal(count_of(&s.would, METHOD, "PROPFIND"), 5);
    assert_int_equal(count_of(&s.would, CODING, "gzip"), 3);
    assert_true(count_of(&s.would, METHOD, "BREW") == -1
                || count_of(&s.would, METHOD, "BREW") <= 4);
    assert_adds_up(&s.served);
    assert_adds_up(&s.would);
    assert_int_equal(s.slots_used, 1);     /* the real pools only */
}

/* A graceful restart keeps the block; the new configuration declares
 * again, old names keep their slots and counts, new ones claim slots. */
static void test_declaring_again_keeps_counts_and_adds_new_names(void **state)
{
    notimpl_snapshot_t s;

    (void)state;
    assert_true(notimpl_counters_declare(table, "PATCH"));
    add_n(NOTIMPL_COUNT_METHOD, "PATCH", 2);
    add_n(NOTIMPL_COUNT_METHOD, "BREW", 3);   /* not declared yet: pool */
    assert_true(notimpl_counters_declare(table, "PATCH"));
    assert_true(notimpl_counters_declare(table, "BREW"));
    add_n(NOTIMPL_COUNT_METHOD, "BREW", 4);
    junk(NOTIMPL_COUNT_METHOD, "J", 1000, 0);
    add_n(NOTIMPL_COUNT_METHOD, "PATCH", 1);
    s = snap();
    assert_int_equal(count_of(&s.served, METHOD, "PATCH"), 3);
    /* BREW is listed once: 4 exact, plus what the pool still holds of the
     * first 3 (its old entry may have been replaced by junk). */
    assert_true(count_of(&s.served, METHOD, "BREW") >= 4);
    assert_true(count_of(&s.served, METHOD, "BREW") <= 7);
    assert_true(s.served.total == 1010);
    assert_adds_up(&s.served);
}

static void test_declared_names_beyond_the_exact_slots_go_to_the_pool(
    void **state)
{
    notimpl_snapshot_t s;
    int i;

    (void)state;
    for (i = 0; i < NOTIMPL_COUNTERS_EXACT; i++) {
        assert_true(notimpl_counters_declare(table,
                                             apr_psprintf(pool, "D%d", i)));
    }
    assert_false(notimpl_counters_declare(table, "ONEMORE"));
    assert_false(notimpl_counters_declare(table, "A B"));
    assert_false(notimpl_counters_declare(table, ""));
    add_n(NOTIMPL_COUNT_METHOD, "ONEMORE", 2);
    add_n(NOTIMPL_COUNT_METHOD, "D7", 1);
    s = snap();
    assert_int_equal(count_of(&s.served, METHOD, "ONEMORE"), 2);
    assert_int_equal(count_of(&s.served, METHOD, "D7"), 1);
    assert_int_equal(s.slots_used, 1);
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
    assert_false(notimpl_counters_declare(table, longest));
    add_n(NOTIMPL_COUNT_METHOD, longest, 3);
    add_n(NOTIMPL_COUNT_CODING, longest, 4);
    s = snap();
    assert_int_equal(s.served.n[METHOD], 1);
    assert_int_equal(strlen(s.served.rows[METHOD][0].name),
                     NOTIMPL_COUNTERS_NAME_MAX);
    assert_true(s.served.rows[METHOD][0].count == 2);
    assert_true(s.served.other[METHOD] == 3);  /* never truncated */
    assert_true(s.served.other[CODING] == 4);
    assert_true(s.served.total == 9);
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
        add_n(NOTIMPL_COUNT_METHOD, odd[i], 1);
        would_n(NOTIMPL_COUNT_METHOD, odd[i], 1);
    }
    add_n(NOTIMPL_COUNT_CODING, "; q=1", 1);
    /* visible bytes, quotes and bytes >= 0x80 are names like any other */
    add_n(NOTIMPL_COUNT_METHOD, "\xc3\xa9", 1);
    add_n(NOTIMPL_COUNT_METHOD, "A\"B\\C", 1);
    s = snap();
    assert_true(s.served.other[METHOD] == 6);
    assert_true(s.would.other[METHOD] == 6);
    assert_true(s.served.other[CODING] == 1);
    assert_int_equal(s.served.n[METHOD], 2);
    assert_int_equal(count_of(&s.served, METHOD, "\xc3\xa9"), 1);
    assert_int_equal(count_of(&s.served, METHOD, "A\"B\\C"), 1);
    assert_true(s.served.total == 9);
}

/* A child killed while it held a pool's lock: once it is gone, the next
 * count takes the lock over. */
static void test_a_lock_left_by_a_dead_process_is_taken_over(void **state)
{
    notimpl_snapshot_t s;
    pid_t dead = fork();
    int status;

    (void)state;
    assert_true(dead >= 0);
    if (dead == 0) {
        _exit(0);
    }
    assert_int_equal(waitpid(dead, &status, 0), dead);
    table->tally[0].pool[NOTIMPL_COUNT_METHOD].lock = (apr_uint32_t)dead;
    add_n(NOTIMPL_COUNT_METHOD, "BREW", 2);
    s = snap();
    assert_int_equal(count_of(&s.served, METHOD, "BREW"), 2);
    assert_true(table->tally[0].pool[NOTIMPL_COUNT_METHOD].lock == 0);
}

/* A live process that never runs again on its own: a holder off the
 * CPU.  The caller kills and reaps it. */
static pid_t paused_child(void)
{
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0) {
        pause();
        _exit(0);
    }
    return pid;
}

/* A holder that is alive but does not let go (a stopped process):
 * counting waits a bounded time for it, then the count goes to other and
 * total stays exact. */
static void test_a_lock_held_too_long_sends_the_count_to_other(void **state)
{
    notimpl_snapshot_t s;
    pid_t holder = paused_child();
    int status;

    (void)state;
    assert_true(notimpl_counters_declare(table, "PATCH"));
    table->tally[0].pool[NOTIMPL_COUNT_METHOD].lock = (apr_uint32_t)holder;
    add_n(NOTIMPL_COUNT_METHOD, "BREW", 1);
    add_n(NOTIMPL_COUNT_METHOD, "PATCH", 1);   /* exact: no lock */
    add_n(NOTIMPL_COUNT_CODING, "gzip", 1);    /* the other pool */
    assert_true(table->tally[0].pool[NOTIMPL_COUNT_METHOD].lock
                == (apr_uint32_t)holder);
    kill(holder, SIGKILL);
    assert_int_equal(waitpid(holder, &status, 0), holder);
    table->tally[0].pool[NOTIMPL_COUNT_METHOD].lock = 0;
    s = snap();
    assert_true(s.served.other[METHOD] == 1);
    assert_int_equal(count_of(&s.served, METHOD, "PATCH"), 1);
    assert_int_equal(count_of(&s.served, CODING, "gzip"), 1);
    assert_true(s.served.total == 3);
}

/* A holder waited out once (stopped, or a killed holder's pid reused by
 * a live process) is marked stale: later counts go to other without
 * waiting for it again, and once the lock is free names count again. */
static void test_a_holder_waited_out_is_not_waited_for_again(void **state)
{
    notimpl_pool_t *pl = &table->tally[0].pool[NOTIMPL_COUNT_METHOD];
    notimpl_snapshot_t s;
    pid_t holder = paused_child();
    int status;

    (void)state;
    pl->lock = (apr_uint32_t)holder;
    add_n(NOTIMPL_COUNT_METHOD, "BREW", 1);
    assert_true(pl->stale == (apr_uint32_t)holder);
    add_n(NOTIMPL_COUNT_METHOD, "BREW", 2);
    kill(holder, SIGKILL);
    assert_int_equal(waitpid(holder, &status, 0), holder);
    pl->lock = 0;
    add_n(NOTIMPL_COUNT_METHOD, "BREW", 1);
    s = snap();
    assert_true(s.served.other[METHOD] == 3);
    assert_int_equal(count_of(&s.served, METHOD, "BREW"), 1);
    assert_true(s.served.total == 4);
}

/* Lets go of the lock arg after 50 ms: a holder descheduled mid-update
 * on a busy machine, off the CPU far longer than SPINS yields take. */
static void *APR_THREAD_FUNC release_later(apr_thread_t *t, void *arg)
{
    apr_sleep(apr_time_from_msec(50));
    apr_atomic_set32(arg, 0);
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

/* A live holder is waited for: its count is not lost to other. */
static void test_a_descheduled_holder_is_waited_for(void **state)
{
    notimpl_snapshot_t s;
    apr_thread_t *thread;
    apr_status_t rv;

    (void)state;
    table->tally[0].pool[NOTIMPL_COUNT_METHOD].lock = (apr_uint32_t)getpid();
    assert_int_equal(apr_thread_create(&thread, NULL, release_later,
                                       (void *)&table->tally[0].pool[
                                           NOTIMPL_COUNT_METHOD].lock,
                                       pool), APR_SUCCESS);
    add_n(NOTIMPL_COUNT_METHOD, "BREW", 1);
    apr_thread_join(&rv, thread);
    s = snap();
    assert_int_equal(count_of(&s.served, METHOD, "BREW"), 1);
    assert_true(s.served.other[METHOD] == 0);
    assert_true(s.served.total == 1);
}

#define THREADS 8
#define PER_THREAD 20000
#define NAMES 200      /* more than a pool holds: replacement is hit too */

static void *APR_THREAD_FUNC hammer(apr_thread_t *t, void *arg)
{
    int i, me = (int)(intptr_t)arg;
    char name[16];

    for (i = 0; i < PER_THREAD; i++) {
        apr_snprintf(name, sizeof(name), "N%d", (i * 7 + me) % NAMES);
        notimpl_counters_add(table, NOTIMPL_COUNT_METHOD,
                             i % 4 == 0 ? "BREW" : i % 4 == 1 ? "PATCH"
                                                              : name, 0);
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
    assert_true(notimpl_counters_declare(table, "PATCH"));
    for (i = 0; i < THREADS; i++) {
        assert_int_equal(apr_thread_create(&threads[i], NULL, hammer,
                                           (void *)(intptr_t)i, pool),
                         APR_SUCCESS);
    }
    /* Read while they count: total is never behind its parts. */
    do {
        s = snap();
        assert_true(sum(&s.served, METHOD)
                    + s.served.other[METHOD] <= s.served.total);
    } while (s.served.total < (apr_uint64_t)THREADS * PER_THREAD);
    for (i = 0; i < THREADS; i++) {
        apr_thread_join(&rv, threads[i]);
    }
    s = snap();
    assert_true(s.served.total == (apr_uint64_t)THREADS * PER_THREAD);
    assert_adds_up(&s.served);
    assert_int_equal(count_of(&s.served, METHOD, "PATCH"),
                     THREADS * PER_THREAD / 4);
    assert_true(count_of(&s.served, METHOD, "BREW")
                >= THREADS * PER_THREAD / 4 - THREADS * PER_THREAD / POOL);
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
    assert_true(notimpl_counters_declare(shared, "PATCH"));
    for (i = 0; i < CHILDREN; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            int j;
            for (j = 0; j < PER_CHILD; j++) {
                notimpl_counters_add(shared, NOTIMPL_COUNT_METHOD,
                                     j % 2 ? "BREW" : (j % 3 ? "PATCH"
                                                             : "WHEN"),
                                     j % 5 == 0);
            }
            _exit(0);
        }
    }
    for (i = 0; i < CHILDREN; i++) {
        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    notimpl_counters_snapshot(pool, shared, &s);
    assert_true(s.served.total + s.would.total
                == (apr_uint64_t)CHILDREN * PER_CHILD);
    assert_true(s.would.total == (apr_uint64_t)CHILDREN * PER_CHILD / 5);
    assert_int_equal(count_of(&s.served, METHOD, "BREW")
                     + count_of(&s.would, METHOD, "BREW"),
                     CHILDREN * (PER_CHILD / 2));
    assert_true(sum(&s.served, METHOD) == s.served.total);
    assert_true(sum(&s.would, METHOD) == s.would.total);
    assert_int_equal(s.served.n[METHOD], 3);
    apr_shm_destroy(shm);
}

#define T(name) cmocka_unit_test_setup(name, fresh)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_reset_starts_an_empty_block_at_since),
        T(test_a_block_of_another_layout_is_not_usable),
        T(test_each_method_is_counted_by_name_most_counted_first),
        T(test_methods_and_codings_are_counted_apart),
        T(test_junk_codings_never_take_the_room_of_methods),
        T(test_declared_names_stay_exact_under_any_junk),
        T(test_a_heavy_name_is_listed_however_much_junk_came_first),
        T(test_the_pool_keeps_its_stated_error_bound),
        T(test_would_refuse_counts_are_kept_apart),
        T(test_declaring_again_keeps_counts_and_adds_new_names),
        T(test_declared_names_beyond_the_exact_slots_go_to_the_pool),
        T(test_a_name_longer_than_the_maximum_goes_to_other),
        T(test_names_with_space_or_control_bytes_go_to_other),
        T(test_a_lock_left_by_a_dead_process_is_taken_over),
        T(test_a_lock_held_too_long_sends_the_count_to_other),
        T(test_a_descheduled_holder_is_waited_for),
        T(test_a_holder_waited_out_is_not_waited_for_again),
        T(test_threads_counting_at_once_lose_nothing),
        cmocka_unit_test(test_processes_sharing_the_block_lose_nothing),
    };

    return cmocka_run_group_tests(tests, counters_setup, unit_teardown);
}
