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

/* counters_fixture.h — the block and pool the counters unit tests run
 * against, reset before each test, and the few helpers they share. */
#ifndef COUNTERS_FIXTURE_H
#define COUNTERS_FIXTURE_H

#include <apr_pools.h>
#include "notimpl_counters.h"

/* 2023-11-14T22:13:20Z */
#define SINCE apr_time_from_sec(1700000000)
#define METHOD NOTIMPL_COUNT_METHOD
#define CODING NOTIMPL_COUNT_CODING
#define REFUSED NOTIMPL_REFUSED
#define SERVED NOTIMPL_WOULD_SERVED
#define WREFUSED NOTIMPL_WOULD_REFUSED

#include "unit_pool.h"

extern notimpl_counters_t *table;

/* cmocka group setup (teardown: unit_teardown), and the per-test reset. */
int counters_setup(void **state);
int fresh(void **state);

/* One generation's names; the refs in the pool. */
notimpl_count_ref_t *declare(const char *const *names, int n);
/* n counts of outcome where ref counts. */
void add_n(const notimpl_count_ref_t *ref, notimpl_outcome_e outcome, int n);
notimpl_snapshot_t snap(void);
/* The count of name in a snapshot's rows of kind, -1 when not listed. */
long long count_of(const notimpl_snapshot_t *s, notimpl_count_kind_e kind,
                   const char *name, notimpl_outcome_e outcome);

#endif
