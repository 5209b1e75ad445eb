/* notimpl_counters.h — demand counters (SPEC "Observability"): how often
 * the module answered 501 (or, in a ReportOnly scope, would have), per
 * method name and per transfer coding.
 *
 * One fixed-size block meant for shared memory: every child process and
 * thread counts into it, so the numbers are server totals.  Hostile
 * traffic cannot hide real demand:
 *
 * - Exact names.  Every method httpd has registered and every name the
 *   configuration declares gets its own slot (notimpl_counters_declare),
 *   counted exactly with lock-free atomic adds.  Room for all 64 method
 *   numbers plus 64 declared names; a name that finds no room is counted
 *   in the pool below like any other.
 * - Pools.  Every other name goes to a bounded pool of
 *   NOTIMPL_COUNTERS_POOL names, one pool for methods and one for
 *   transfer codings (so neither takes the other's room), kept with
 *   Space-Saving (Metwally et al., 2005): a new name replaces the least
 *   counted one and inherits its count as its possible error.  Error
 *   bound: after N counts into a pool of k names, every name counted
 *   more than N/k times there is listed by name, however much junk came
 *   first, and a listed name's number is at most N/k below its true
 *   count (never above it: the uncertain part is shown under "other").
 *   The pools take a small spinlock in the block; a holder that was
 *   killed is detected and its lock taken over, and a count that cannot
 *   get the lock in time (a live holder off the CPU) goes to "other".
 * - `total`, and "other" per kind, are exact atomic counters.
 *
 * Would-refuse counts (a ReportOnly scope that let the request go on)
 * are a second, separate tally with its own totals and pools; they never
 * change the real numbers.
 *
 * Pure: plain memory, APR atomics and pools, no httpd; notimpl_status.c
 * puts the block in shared memory and serves it. */
#ifndef NOTIMPL_COUNTERS_H
#define NOTIMPL_COUNTERS_H

#include <apr_pools.h>
#include <apr_time.h>

/* Exact names: 64 method numbers and 64 declared names. */
#define NOTIMPL_COUNTERS_EXACT    128
/* Names per pool (k above): a name with more than 1/64 of its pool's
 * counts is always listed.  SPEC: at least 64 names by name. */
#define NOTIMPL_COUNTERS_POOL     64
/* The longest name stored; a longer one is counted under "other", never
 * truncated, so a label always names what clients actually sent. */
#define NOTIMPL_COUNTERS_NAME_MAX 43

typedef enum {
    NOTIMPL_COUNT_METHOD = 0,   /* a method the scope does not implement */
    NOTIMPL_COUNT_CODING = 1    /* a transfer coding (RFC 9112 §6.1) */
} notimpl_count_kind_e;

typedef struct {
    volatile apr_uint32_t state;   /* free or ready */
    apr_uint32_t hash;
    volatile apr_uint64_t count[2];  /* real 501s, would-refuse */
    char name[NOTIMPL_COUNTERS_NAME_MAX + 1];
} notimpl_exact_slot_t;

typedef struct {
    apr_uint64_t count, error;     /* Space-Saving: true count is in
                                    * [count - error, count] */
    char name[NOTIMPL_COUNTERS_NAME_MAX + 1];
} notimpl_pool_entry_t;

typedef struct {
    volatile apr_uint32_t lock;    /* 0, or the pid of the holder */
    apr_uint32_t used;
    notimpl_pool_entry_t e[NOTIMPL_COUNTERS_POOL];
} notimpl_pool_t;

typedef struct {
    volatile apr_uint64_t total;
    volatile apr_uint64_t other[2];     /* per kind */
    notimpl_pool_t pool[2];             /* per kind */
} notimpl_tally_block_t;

typedef struct {
    apr_uint32_t layout;           /* notimpl_counters_usable() checks it */
    apr_time_t since;              /* when counting (re)started */
    notimpl_exact_slot_t exact[NOTIMPL_COUNTERS_EXACT];
    notimpl_tally_block_t tally[2];     /* real 501s, would-refuse */
} notimpl_counters_t;

/* Zeroes the block (exact names too) and starts counting at `since`.
 * Only while nothing else uses it (start-up, a full restart). */
void notimpl_counters_reset(notimpl_counters_t *c, apr_time_t since);

/* 1 when c was set up by notimpl_counters_reset() of this very layout (a
 * block retained from an older build of the module is not). */
int notimpl_counters_usable(const notimpl_counters_t *c);

/* Gives method name an exact slot.  1 when it has one (already or now),
 * 0 when it cannot be stored or no slot is left.  One caller at a time
 * (httpd's parent at post_config), while any number count. */
int notimpl_counters_declare(notimpl_counters_t *c, const char *name);

/* Counts one 501 (would_refuse 0) or one would-refuse (1) for name.  Safe
 * from any number of threads and processes at once.  Counted by name when
 * it is 1 to NOTIMPL_COUNTERS_NAME_MAX visible bytes (no space, no control
 * byte) and the exact slots or the pool hold it; otherwise under other. */
void notimpl_counters_add(notimpl_counters_t *c, notimpl_count_kind_e kind,
                          const char *name, int would_refuse);

typedef struct {
    const char *name;
    apr_uint64_t count;
} notimpl_count_t;

/* One tally as read: names most counted first, then by name.  A pool
 * name's number is its guaranteed part (count - error); the rest of the
 * pool's counts are in other_*, so the parts always add up to total. */
typedef struct {
    apr_uint64_t total;
    apr_uint64_t other_methods;
    apr_uint64_t other_codings;
    int n_methods;
    notimpl_count_t *methods;
    int n_codings;
    notimpl_count_t *codings;
} notimpl_tally_t;

/* A copy of the block, taken without stopping the counting.  `total` is
 * read last, so during traffic it may run a few counts ahead of its
 * parts, never behind them; at rest they add up exactly. */
typedef struct {
    apr_time_t since;
    notimpl_tally_t served;        /* real 501s */
    notimpl_tally_t would;         /* would-refuse (ReportOnly) */
    int slots;                     /* pool capacity: names that are neither
                                    * registered nor declared, both kinds */
    int slots_used;                /* of which in use (real 501s) */
} notimpl_snapshot_t;

void notimpl_counters_snapshot(apr_pool_t *p, notimpl_counters_t *c,
                               notimpl_snapshot_t *out);

/* `since` as RFC 3339 in UTC, e.g. "2024-05-01T12:00:00Z". */
char *notimpl_counters_rfc3339(apr_pool_t *p, apr_time_t t);

/* The notimpl-status documents.  JSON:
 *   {"total":N,"methods":{"BREW":50},"other_methods":0,
 *    "transfer_codings":{"gzip":1},"other_transfer_codings":0,
 *    "since":"<RFC 3339>","slots":128,"slots_used":2,
 *    "would_refuse":{"total":0,"methods":{},"other_methods":0,
 *                    "transfer_codings":{},"other_transfer_codings":0}}
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
