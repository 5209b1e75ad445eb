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

/* counters_fixture.c — see counters_fixture.h. */
#include <string.h>
#include <apr_general.h>

#include "counters_fixture.h"
#include "unit_pool.h"

notimpl_counters_t *table;

int counters_setup(void **state)
{
    if (unit_setup(state) != 0) {
        return -1;
    }
    table = apr_palloc(pool, sizeof(*table));
    return 0;
}

int fresh(void **state)
{
    (void)state;
    notimpl_counters_reset(table, SINCE);
    return 0;
}

notimpl_count_ref_t *declare(const char *const *names, int n)
{
    notimpl_count_ref_t *refs = apr_pcalloc(pool, sizeof(*refs) * (n + 1));

    notimpl_counters_declare(table, names, n, refs);
    return refs;
}

void add_n(const notimpl_count_ref_t *ref, notimpl_outcome_e outcome, int n)
{
    while (n-- > 0) {
        notimpl_counters_add(table, ref, outcome);
    }
}

notimpl_snapshot_t snap(void)
{
    notimpl_snapshot_t s;

    notimpl_counters_snapshot(pool, table, &s);
    return s;
}

long long count_of(const notimpl_snapshot_t *s, notimpl_count_kind_e kind,
                   const char *name, notimpl_outcome_e outcome)
{
    int i;

    for (i = 0; i < s->n[kind]; i++) {
        if (strcmp(s->rows[kind][i].name, name) == 0) {
            return (long long)s->rows[kind][i].n[outcome];
        }
    }
    return -1;
}
