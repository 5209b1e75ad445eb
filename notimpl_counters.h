/* notimpl_counters.h — demand counters (SPEC "Observability"): 501s and
 * ReportOnly would-refuse counts per method and per transfer coding, in one
 * fixed block that notimpl_status.c puts in shared memory.  Pure (APR and
 * libc): the unit tests link it without httpd.
 *
 * Declared names have exact slots.  Any other name goes to a pool of
 * k = NOTIMPL_COUNTERS_POOL per kind, kept with Space-Saving (Metwally et
 * al., 2005): after N counts into a pool, every name counted more than N/k
 * times is listed however much junk came first, at most N/k below its true
 * count and never above; the uncertain part is shown under "other".
 * total and "other" are exact. */
#ifndef NOTIMPL_COUNTERS_H
#define NOTIMPL_COUNTERS_H

#include <apr_pools.h>
#include <apr_time.h>

#define NOTIMPL_COUNTERS_EXACT    128   /* 64 method numbers + 64 declared */
#define NOTIMPL_COUNTERS_POOL     64    /* k; SPEC: at least 64 by name */
/* A longer name is counted under "other", never truncated, so a label
 * always names what a client sent. */
#define NOTIMPL_COUNTERS_NAME_MAX 43

typedef enum { NOTIMPL_COUNT_METHOD, NOTIMPL_COUNT_CODING }
    notimpl_count_kind_e;

typedef struct {
    volatile apr_uint32_t state;        /* free or ready */
    apr_uint32_t hash;                  /* compared before the name */
    volatile apr_uint64_t count[2];     /* real 501s, would-refuse */
    char name[NOTIMPL_COUNTERS_NAME_MAX + 1];
} notimpl_exact_slot_t;

typedef struct {
    volatile apr_uint32_t lock;         /* 0, or the holder's pid */
    volatile apr_uint32_t stale;        /* a holder waited out: not again */
    apr_uint32_t used;
    struct {
        apr_uint64_t count, error;      /* true count: count - error..count */
        char name[NOTIMPL_COUNTERS_NAME_MAX + 1];
    } e[NOTIMPL_COUNTERS_POOL];
} notimpl_pool_t;

typedef struct {
    apr_uint32_t layout;                /* see notimpl_counters_usable */
    apr_time_t since;
    notimpl_exact_slot_t exact[NOTIMPL_COUNTERS_EXACT];
    struct {                            /* real 501s, would-refuse */
        volatile apr_uint64_t total, other[2];  /* other and pool: per kind */
        notimpl_pool_t pool[2];
    } tally[2];
} notimpl_counters_t;

/* reset: only while nothing counts.  usable: reset by this build's layout,
 * not retained from another. */
void notimpl_counters_reset(notimpl_counters_t *c, apr_time_t since);
int notimpl_counters_usable(const notimpl_counters_t *c);
/* 1 when name has (now) an exact slot.  One caller at a time (httpd's
 * parent), while any number count. */
int notimpl_counters_declare(notimpl_counters_t *c, const char *name);
/* From any thread or process.  Under "other" unless name is 1 to
 * NOTIMPL_COUNTERS_NAME_MAX visible bytes and a slot or the pool takes it. */
void notimpl_counters_add(notimpl_counters_t *c, notimpl_count_kind_e kind,
                          const char *name, int would_refuse);

typedef struct { const char *name; apr_uint64_t count; } notimpl_count_t;

/* Per kind, n rows most counted first, then by name; a pool name shows
 * its guaranteed part, the rest is in other. */
typedef struct {
    apr_uint64_t total, other[2];
    int n[2];
    notimpl_count_t *rows[2];
} notimpl_tally_t;

/* Read without stopping the counting; total is read last, so during
 * traffic it may run ahead of its parts, never behind. */
typedef struct {
    apr_time_t since;
    notimpl_tally_t served, would;
    int slots, slots_used;      /* pool names, both kinds; used: served */
} notimpl_snapshot_t;

void notimpl_counters_snapshot(apr_pool_t *p, notimpl_counters_t *c,
                               notimpl_snapshot_t *out);
/* RFC 3339 in UTC, e.g. "2024-05-01T12:00:00Z". */
char *notimpl_counters_rfc3339(apr_pool_t *p, apr_time_t t);
/* The notimpl-status documents: JSON, and Prometheus text 0.0.4. */
char *notimpl_counters_json(apr_pool_t *p, const notimpl_snapshot_t *s);
char *notimpl_counters_prometheus(apr_pool_t *p, const notimpl_snapshot_t *s);

typedef enum {
    NOTIMPL_REPORT_BAD = -1, NOTIMPL_REPORT_JSON, NOTIMPL_REPORT_PROMETHEUS
} notimpl_report_e;
/* format=json (the default) or format=prometheus, among arguments split
 * at & or ;. */
notimpl_report_e notimpl_counters_report_from_args(const char *args);

#endif
