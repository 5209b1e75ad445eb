/* notimpl_counters.h — demand counters (SPEC "Observability"): how often
 * the module answered 501, per method name and per transfer coding.
 *
 * The table is one fixed-size block meant for shared memory: every child
 * process and thread of every MPM counts into the same block, so the
 * numbers are exact server totals.  Counting a name already in the table
 * is two atomic adds and takes no lock; a new name claims a slot with one
 * compare-and-swap.  Slots are never freed, so the memory is fixed at
 * start-up, and a name that finds no slot (or is too long to store) is
 * counted under "other" while `total` stays exact.
 *
 * Pure: plain memory, APR atomics and pools, no httpd; notimpl_status.c
 * puts the block in shared memory and serves it. */
#ifndef NOTIMPL_COUNTERS_H
#define NOTIMPL_COUNTERS_H

#include <apr_pools.h>
#include <apr_time.h>

/* SPEC: at least 64 distinct names counted by name. */
#define NOTIMPL_COUNTERS_SLOTS    128
/* The longest name stored; a longer one is counted under "other", never
 * truncated, so a label always names what clients actually sent. */
#define NOTIMPL_COUNTERS_NAME_MAX 43

typedef enum {
    NOTIMPL_COUNT_METHOD = 1,   /* a method the scope does not implement */
    NOTIMPL_COUNT_CODING = 2    /* a transfer coding (RFC 9112 §6.1) */
} notimpl_count_kind_e;

/* One cache line per slot, so threads counting different names do not
 * contend for one line. */
typedef struct {
    volatile apr_uint32_t state;   /* free, being claimed, or ready */
    apr_uint32_t hash;
    volatile apr_uint64_t count;
    apr_uint32_t kind;
    char name[NOTIMPL_COUNTERS_NAME_MAX + 1];
} notimpl_counter_slot_t;

typedef struct {
    apr_uint32_t layout;           /* notimpl_counters_usable() checks it */
    apr_uint32_t nslots;
    apr_time_t since;              /* when counting (re)started */
    volatile apr_uint64_t total;
    volatile apr_uint64_t other_methods;
    volatile apr_uint64_t other_codings;
    char pad[64 - 2 * 4 - 4 * 8];
    notimpl_counter_slot_t slots[NOTIMPL_COUNTERS_SLOTS];
} notimpl_counters_t;

/* Zeroes the table and starts counting at `since`.  Only while nothing
 * else uses the block (start-up, a full restart). */
void notimpl_counters_reset(notimpl_counters_t *c, apr_time_t since);

/* 1 when c was set up by notimpl_counters_reset() of this very layout (a
 * block retained from an older build of the module is not). */
int notimpl_counters_usable(const notimpl_counters_t *c);

/* Counts one 501 for name (NUL-terminated).  Safe from any number of
 * threads and processes at once.  Counted by name when it is 1 to
 * NOTIMPL_COUNTERS_NAME_MAX visible bytes (no space, no control
 * character) and a slot is free or already holds it; otherwise under
 * other_methods / other_codings. */
void notimpl_counters_add(notimpl_counters_t *c, notimpl_count_kind_e kind,
                          const char *name);

typedef struct {
    const char *name;
    apr_uint64_t count;
} notimpl_count_t;

/* A copy of the table, taken without stopping the counting: each number
 * is exact at the moment it was read, and `total` is read last, so during
 * traffic it may run a few 501s ahead of the sum of the other numbers,
 * never behind it.  At rest they add up exactly. */
typedef struct {
    apr_time_t since;
    apr_uint64_t total;
    apr_uint64_t other_methods;
    apr_uint64_t other_codings;
    int n_methods;                 /* most counted first, then by name */
    notimpl_count_t *methods;
    int n_codings;
    notimpl_count_t *codings;
    int slots;                     /* capacity, and slots claimed so far */
    int slots_used;
} notimpl_snapshot_t;

void notimpl_counters_snapshot(apr_pool_t *p, notimpl_counters_t *c,
                               notimpl_snapshot_t *out);

/* `since` as RFC 3339 in UTC, e.g. "2024-05-01T12:00:00Z". */
char *notimpl_counters_rfc3339(apr_pool_t *p, apr_time_t t);

/* The notimpl-status documents.  JSON:
 *   {"total":N,"methods":{"BREW":50},"other_methods":0,
 *    "transfer_codings":{"gzip":1},"other_transfer_codings":0,
 *    "since":"<RFC 3339>","slots":128,"slots_used":2}
 * Prometheus text exposition format 0.0.4: see notimpl_counters.c. */
char *notimpl_counters_json(apr_pool_t *p, const notimpl_snapshot_t *s);
char *notimpl_counters_prometheus(apr_pool_t *p, const notimpl_snapshot_t *s);

typedef enum {
    NOTIMPL_REPORT_BAD = -1,       /* format=<anything else> */
    NOTIMPL_REPORT_JSON = 0,
    NOTIMPL_REPORT_PROMETHEUS
} notimpl_report_e;

/* The report a query string asks for: format=json (the default, also
 * when args is NULL or has no format) or format=prometheus. */
notimpl_report_e notimpl_counters_report_from_args(const char *args);

#endif
