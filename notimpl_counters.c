/* notimpl_counters.c — the demand-counter block and its two documents
 * (scheme and error bound: notimpl_counters.h). */
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <apr_atomic.h>
#include <apr_escape.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "notimpl_counters.h"
#include "notimpl_render.h"

#define READY 1
#define SPINS 1000
#define LOCK_WAIT apr_time_from_msec(250)
#define U64   "%" APR_UINT64_T_FMT
#define PUSH(a, ...) \
    (APR_ARRAY_PUSH(a, const char *) = apr_psprintf(p, __VA_ARGS__))

/* A graceful restart into a build with another layout must not read the
 * retained block as its own. */
#define LAYOUT ((apr_uint32_t)(0x4e490000u ^ sizeof(notimpl_counters_t)))

void notimpl_counters_reset(notimpl_counters_t *c, apr_time_t since)
{
    memset(c, 0, sizeof(*c));
    c->layout = LAYOUT;
    c->since = since;
}

int notimpl_counters_usable(const notimpl_counters_t *c)
{
    return c != NULL && c->layout == LAYOUT;
}

/* The length of a name fit to label: 1 to NOTIMPL_COUNTERS_NAME_MAX bytes,
 * none a space or control byte; 0 for any other.  *hash: its FNV-1a. */
static apr_size_t label_len(const char *name, apr_uint32_t *hash)
{
    const unsigned char *s = (const unsigned char *)name;
    apr_size_t len;

    for (*hash = 2166136261u, len = 0; s[len]; len++) {
        if (s[len] <= 0x20 || s[len] == 0x7f
            || len == NOTIMPL_COUNTERS_NAME_MAX) {
            return 0;
        }
        *hash = (*hash ^ s[len]) * 16777619u;
    }
    return len;
}

/* The exact slot of name (linear probing); with claim, a free one is
 * taken for it.  Slots have one writer and are never freed, so a prober
 * stops at the first free one. */
static notimpl_exact_slot_t *exact_slot(notimpl_counters_t *c,
                                        const char *name, apr_size_t len,
                                        apr_uint32_t hash, int claim)
{
    apr_uint32_t i;

    for (i = 0; i < NOTIMPL_COUNTERS_EXACT; i++) {
        notimpl_exact_slot_t *slot =
            &c->exact[(hash + i) % NOTIMPL_COUNTERS_EXACT];

        if (apr_atomic_read32(&slot->state) != READY) {
            if (claim) {        /* the name first, then the state */
                slot->hash = hash;
                memcpy(slot->name, name, len + 1);
                apr_atomic_set32(&slot->state, READY);
            }
            return claim ? slot : NULL;
        }
        if (slot->hash == hash && memcmp(slot->name, name, len + 1) == 0) {
            return slot;
        }
    }
    return NULL;
}

int notimpl_counters_declare(notimpl_counters_t *c, const char *name)
{
    apr_uint32_t hash;
    apr_size_t len = label_len(name, &hash);

    return len > 0 && exact_slot(c, name, len, hash, 1) != NULL;
}

/* The lock word holds the holder's pid; every SPINS yields the holder is
 * looked at.  One that is gone (killed mid-update: at worst one entry's
 * name is mangled, its count still in the sums) is taken over: ESRCH, or
 * EPERM when its pid is now another user's (all httpd children run as
 * one user).  A live one is waited for: on a busy machine a holder
 * descheduled mid-update can take longer than SPINS yields to run again.
 * One off the CPU for LOCK_WAIT (stopped, or a killed holder's pid now
 * another child's) sends the count to other, and is marked stale so that
 * no later count waits for it again. */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static int pool_wait(notimpl_pool_t *pl, apr_uint32_t me)
{
    apr_uint32_t held;
    apr_time_t give_up = 0;
    int i;

    for (i = 1; (held = apr_atomic_cas32(&pl->lock, me, 0)) != 0; i++) {
        if (i % SPINS == 0) {
            if (held != me && kill((pid_t)held, 0) != 0
                && apr_atomic_cas32(&pl->lock, me, held) == held) {
                return 1;
            }
            if (held == apr_atomic_read32(&pl->stale)) {
                return 0;
            }
            if (give_up == 0) {
                give_up = apr_time_now() + LOCK_WAIT;
            }
            else if (apr_time_now() > give_up) {
                apr_atomic_set32(&pl->stale, held);
                return 0;
            }
        }
        sched_yield();
    }
    return 1;
}

/* The wait out of line: 35 instructions less per count in a pool, so per
 * junk 501 (bench/run instructions: 2,540 -> 2,505 inside the module). */
static int pool_lock(notimpl_pool_t *pl)
{
    apr_uint32_t me = (apr_uint32_t)getpid();

    return apr_atomic_cas32(&pl->lock, me, 0) == 0 || pool_wait(pl, me);
}

/* Space-Saving, 0 when the lock cannot be had: the name's entry gains one;
 * a new name takes a free entry, or replaces the least counted and
 * inherits its count as error.  Either way the counts add up to the
 * pool's N. */
static int pool_add(notimpl_pool_t *pl, const char *name, apr_size_t len)
{
    apr_uint32_t i, min = 0;

    if (!pool_lock(pl)) {
        return 0;
    }
    for (i = 0; i < pl->used && memcmp(pl->e[i].name, name, len + 1); i++) {
        min = pl->e[i].count < pl->e[min].count ? i : min;
    }
    if (i < pl->used) {
        pl->e[i].count++;
    }
    else {
        i = pl->used < NOTIMPL_COUNTERS_POOL ? pl->used : min;
        pl->e[i].error = i == pl->used ? 0 : pl->e[i].count;
        pl->e[i].count = pl->e[i].error + 1;
        memcpy(pl->e[i].name, name, len + 1);
        pl->used += i == pl->used;      /* after the entry is whole */
    }
    apr_atomic_set32(&pl->lock, 0);
    return 1;
}

void notimpl_counters_add(notimpl_counters_t *c, notimpl_count_kind_e kind,
                          const char *name, int would_refuse)
{
    int w = would_refuse != 0;
    apr_uint32_t hash;
    apr_size_t len = label_len(name, &hash);
    notimpl_exact_slot_t *slot = NULL;

    apr_atomic_add64(&c->tally[w].total, 1);    /* first: read last */
    if (len > 0 && kind == NOTIMPL_COUNT_METHOD) {
        slot = exact_slot(c, name, len, hash, 0);
    }
    if (slot) {
        apr_atomic_add64(&slot->count[w], 1);
    }
    else if (len == 0 || !pool_add(&c->tally[w].pool[kind], name, len)) {
        apr_atomic_add64(&c->tally[w].other[kind], 1);
    }
}

/* Most demanded first; the name keeps the order stable between reads. */
static int by_count(const void *a, const void *b)
{
    const notimpl_count_t *x = a, *y = b;

    return x->count != y->count ? (x->count > y->count ? -1 : 1)
                                : strcmp(x->name, y->name);
}

/* Tally w's rows of one kind into t: exact names with a count, then the
 * pool's with their guaranteed part (added to the exact row of a name
 * declared after the pool held it).  Its other gains the pool's
 * uncertain part, and what a killed holder left without a name. */
static void read_kind(apr_pool_t *p, notimpl_counters_t *c, int w, int kind,
                      notimpl_tally_t *t)
{
    notimpl_pool_t *pl = &c->tally[w].pool[kind];
    notimpl_count_t *rows = apr_palloc(p, sizeof(*rows)
        * (NOTIMPL_COUNTERS_EXACT + NOTIMPL_COUNTERS_POOL));
    int i, j, n = 0, locked;

    t->other[kind] = apr_atomic_read64(&c->tally[w].other[kind]);
    for (i = 0; kind == NOTIMPL_COUNT_METHOD && i < NOTIMPL_COUNTERS_EXACT;
         i++) {
        if (apr_atomic_read32(&c->exact[i].state) == READY
            && (rows[n].count = apr_atomic_read64(&c->exact[i].count[w]))) {
            rows[n++].name = apr_pstrndup(p, c->exact[i].name,
                                          NOTIMPL_COUNTERS_NAME_MAX);
        }
    }
    locked = pool_lock(pl);
    for (i = 0; i < (int)pl->used && i < NOTIMPL_COUNTERS_POOL; i++) {
        const char *name = apr_pstrndup(p, pl->e[i].name,
                                        NOTIMPL_COUNTERS_NAME_MAX);

        if (name[0] == '\0') {
            t->other[kind] += pl->e[i].count;
            continue;
        }
        for (j = 0; j < n && strcmp(rows[j].name, name) != 0; j++) {
        }
        if (j == n) {
            rows[n].name = name;
            rows[n++].count = 0;
        }
        rows[j].count += pl->e[i].count - pl->e[i].error;
        t->other[kind] += pl->e[i].error;
    }
    if (locked) {
        apr_atomic_set32(&pl->lock, 0);
    }
    qsort(rows, n, sizeof(*rows), by_count);
    t->rows[kind] = rows;
    t->n[kind] = n;
}

void notimpl_counters_snapshot(apr_pool_t *p, notimpl_counters_t *c,
                               notimpl_snapshot_t *out)
{
    int w;

    out->since = c->since;
    for (w = 0; w < 2; w++) {
        notimpl_tally_t *t = w ? &out->would : &out->served;

        read_kind(p, c, w, NOTIMPL_COUNT_METHOD, t);
        read_kind(p, c, w, NOTIMPL_COUNT_CODING, t);
        t->total = apr_atomic_read64(&c->tally[w].total);
    }
    out->slots = 2 * NOTIMPL_COUNTERS_POOL;
    out->slots_used = (int)(c->tally[0].pool[0].used
                            + c->tally[0].pool[1].used);
}

char *notimpl_counters_rfc3339(apr_pool_t *p, apr_time_t t)
{
    apr_time_exp_t tm;

    apr_time_exp_gmt(&tm, t);
    return apr_psprintf(p, "%04d-%02d-%02dT%02d:%02d:%02dZ",
                        tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                        tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The members of a tally, at the top level and in "would_refuse": total,
 * then per kind a map of names and its other_ count. */
static const char *json_tally(apr_pool_t *p, const notimpl_tally_t *t)
{
    static const char *const key[2] = { "methods", "transfer_codings" };
    const char *out = apr_psprintf(p, "\"total\":" U64, t->total);
    int k, i;

    for (k = 0; k < 2; k++) {
        apr_array_header_t *map = apr_array_make(p, t->n[k] + 1,
                                                 sizeof(char *));

        for (i = 0; i < t->n[k]; i++) {
            PUSH(map, "\"%s\":" U64,
                 notimpl_escape_json(p, t->rows[k][i].name, 0),
                 t->rows[k][i].count);
        }
        out = apr_psprintf(p, "%s,\"%s\":{%s},\"other_%s\":" U64, out,
                           key[k], apr_array_pstrcat(p, map, ','), key[k],
                           t->other[k]);
    }
    return out;
}

char *notimpl_counters_json(apr_pool_t *p, const notimpl_snapshot_t *s)
{
    return apr_psprintf(p, "{%s,\"since\":\"%s\",\"slots\":%d,"
                        "\"slots_used\":%d,\"would_refuse\":{%s}}\n",
                        json_tally(p, &s->served),
                        notimpl_counters_rfc3339(p, s->since), s->slots,
                        s->slots_used, json_tally(p, &s->would));
}

/* The exposition format knows only \\, \" and \n in a label.  The text
 * escaper makes every byte that is not printable ASCII a visible \xNN (and
 * \ a \\); its second pass, with quotes, escapes that text's \ and ". */
static const char *prometheus_label(apr_pool_t *p, const char *name)
{
    return apr_pescape_echo(p, apr_pescape_echo(p, name, 0), 1);
}

/* Per tally, name infix and help of its families, one per meaning so that
 * sum() over a family never adds a total to its own parts: per kind (f / 2)
 * by name then its other, and the total. */
static const char *const families[5][3] = {
    { "", "501 responses for a method the server does not implement, by "
      "method.", "Requests a ReportOnly scope would have refused with 501, "
      "by method." },
    { "other_method_", "501 responses for methods not counted by name (name "
      "table full, name too long or not printable).", "Would-refuse "
      "requests for methods not counted by name." },
    { "transfer_coding_", "501 responses for a transfer coding the server "
      "does not implement, by coding.", "Requests a ReportOnly scope would "
      "have refused with 501 for their transfer coding, by coding." },
    { "other_transfer_coding_", "501 responses for transfer codings not "
      "counted by name.", "Would-refuse requests for transfer codings not "
      "counted by name." },
    { "all_", "Every 501 response of mod_notimpl.", "Every request a "
      "ReportOnly scope would have refused." }
};

char *notimpl_counters_prometheus(apr_pool_t *p, const notimpl_snapshot_t *s)
{
    apr_array_header_t *lines = apr_array_make(p, 64, sizeof(char *));
    int w, f, i;

    for (w = 0; w < 2; w++) {
        const notimpl_tally_t *t = w ? &s->would : &s->served;

        for (f = 0; f < 5; f++) {
            int k = f / 2;
            const char *name = apr_pstrcat(p, w ? "notimpl_would_refuse_"
                : "notimpl_", families[f][0], w ? "requests_total"
                : "responses_total", NULL);

            PUSH(lines, "# HELP %s %s\n# TYPE %s counter\n", name,
                 families[f][1 + w], name);
            if (f % 2 || f == 4) {
                PUSH(lines, "%s " U64 "\n", name,
                     f < 4 ? t->other[k] : t->total);
                continue;
            }
            for (i = 0; i < t->n[k]; i++) {
                PUSH(lines, "%s{%s=\"%s\"} " U64 "\n", name,
                     k ? "coding" : "method",
                     prometheus_label(p, t->rows[k][i].name),
                     t->rows[k][i].count);
            }
        }
        if (w == 0) {
            PUSH(lines, "# HELP notimpl_counters_start_time_seconds When "
                 "counting started, in seconds since the Unix epoch.\n"
                 "# TYPE notimpl_counters_start_time_seconds gauge\n"
                 "notimpl_counters_start_time_seconds %" APR_TIME_T_FMT
                 "\n", apr_time_sec(s->since));
        }
    }
    return apr_array_pstrcat(p, lines, 0);
}

/* Only format= is read, at & or ; (as some forms write).  Any value but
 * the two is an error, not a silent JSON answer to a scraper that asked
 * for something else. */
notimpl_report_e notimpl_counters_report_from_args(const char *args)
{
    notimpl_report_e report = NOTIMPL_REPORT_JSON;

    while (args && *args && report != NOTIMPL_REPORT_BAD) {
        apr_size_t len = strcspn(args, "&;");

        if (strncmp(args, "format=", 7) == 0) {
            report = len == 11 && !strncmp(args + 7, "json", 4)
                ? NOTIMPL_REPORT_JSON
                : len == 17 && !strncmp(args + 7, "prometheus", 10)
                ? NOTIMPL_REPORT_PROMETHEUS : NOTIMPL_REPORT_BAD;
        }
        args += len + (args[len] != '\0');
    }
    return report;
}
