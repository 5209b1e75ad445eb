/* counters_fixture.c — see counters_fixture.h. */
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

void add_n(notimpl_count_kind_e kind, const char *name, int n)
{
    while (n-- > 0) {
        notimpl_counters_add(table, kind, name, 0);
    }
}

void would_n(notimpl_count_kind_e kind, const char *name, int n)
{
    while (n-- > 0) {
        notimpl_counters_add(table, kind, name, 1);
    }
}

notimpl_snapshot_t snap(void)
{
    notimpl_snapshot_t s;

    notimpl_counters_snapshot(pool, table, &s);
    return s;
}
