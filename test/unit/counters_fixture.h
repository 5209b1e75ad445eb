/* counters_fixture.h — the table and pool both counters unit tests run
 * against, reset before each test. */
#ifndef COUNTERS_FIXTURE_H
#define COUNTERS_FIXTURE_H

#include <apr_pools.h>
#include "notimpl_counters.h"

/* 2023-11-14T22:13:20Z */
#define SINCE apr_time_from_sec(1700000000)
/* The kinds, as the tallies' rows, n and other are indexed. */
#define METHOD NOTIMPL_COUNT_METHOD
#define CODING NOTIMPL_COUNT_CODING

#include "unit_pool.h"

extern notimpl_counters_t *table;

/* cmocka group setup (teardown: unit_teardown), and the per-test reset. */
int counters_setup(void **state);
int fresh(void **state);

/* n real 501s / n would-refuse counts for name. */
void add_n(notimpl_count_kind_e kind, const char *name, int n);
void would_n(notimpl_count_kind_e kind, const char *name, int n);
notimpl_snapshot_t snap(void);

#endif
