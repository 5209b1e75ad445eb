/* notimpl_counters.c — the demand-counter block and its two documents
 * (scheme and error bound: notimpl_counters.h).  Exact slots are filled
 * by one writer and never freed, so a prober stops at the first free one;
 * the name is written before the state turns ready (a sequentially
 * consistent store).  A pool's lock word holds the holder's pid: a waiter
 * yields between tries, and after SPINS takes the lock over if that
 * process is gone (killed mid-update: at worst one entry's name is
 * mangled, its count still in the sums), else counts under "other". */
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

#define SLOT_FREE   0
#define SLOT_READY  1
#define SPINS       1000

/* Changes whenever the block's layout does: a graceful restart into a
 * build with another layout must not read the retained block as its own. */
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

/* FNV-1a over the name.  *len is its length, 0 for a name that cannot be
 * stored (empty, a space or control byte: not a name to label), or more
 * than NOTIMPL_COUNTERS_NAME_MAX, found without reading a long name to
 * its end. */
static apr_uint32_t hash_name(const char *name, apr_size_t *len)
{
    const unsigned char *s = (const unsigned char *)name;
    apr_uint32_t h = 2166136261u;

    for (*len = 0; s[*len] && *len <= NOTIMPL_COUNTERS_NAME_MAX; (*len)++) {
        if (s[*len] <= 0x20 || s[*len] == 0x7f) {
            *len = 0;
            return 0;
        }
        h = (h ^ s[*len]) * 16777619u;
    }
    return h;
}

/* The exact slot of name; with claim, a free one is taken for it. */
static notimpl_exact_slot_t *exact_slot(notimpl_counters_t *c,
                                        const char *name, apr_size_t len,
                                        apr_uint32_t hash, int claim)
{
    apr_uint32_t i;

    for (i = 0; i < NOTIMPL_COUNTERS_EXACT; i++) {
        notimpl_exact_slot_t *slot =
            &c->exact[(hash + i) % NOTIMPL_COUNTERS_EXACT];

        if (apr_atomic_read32(&slot->state) == SLOT_FREE) {
            if (!claim) {
                return NULL;
            }
            slot->hash = hash;
            memcpy(slot->name, name, len + 1);
            apr_atomic_set32(&slot->state, SLOT_READY);
            return slot;
        }
        if (slot->hash == hash && memcmp(slot->name, name, len + 1) == 0) {
            return slot;
        }
    }
    return NULL;
}

int notimpl_counters_declare(notimpl_counters_t *c, const char *name)
{
    apr_size_t len;
    apr_uint32_t hash = hash_name(name, &len);

    return len > 0 && len <= NOTIMPL_COUNTERS_NAME_MAX
        && exact_slot(c, name, len, hash, 1) != NULL;
}

static int pool_lock(notimpl_pool_t *pl)
{
    apr_uint32_t me = (apr_uint32_t)getpid(), held = 0;
    int i;

    for (i = 0; i < SPINS; i++) {
        held = apr_atomic_cas32(&pl->lock, me, 0);
        if (held == 0) {
            return 1;
        }
        sched_yield();
    }
    /* The holder's process is gone (killed in mid-update, and reaped):
     * ESRCH, or EPERM when its pid now belongs to another user's process
     * (every httpd child runs as the same user). */
    return held != me && kill((pid_t)held, 0) != 0
        && apr_atomic_cas32(&pl->lock, me, held) == held;
}

static void pool_unlock(notimpl_pool_t *pl)
{
    apr_atomic_set32(&pl->lock, 0);
}

/* Space-Saving: the name's entry gains one; a new name takes a free
 * entry, or replaces the least counted one and inherits its count as
 * error.  Either way the entries' counts add up to the pool's N. */
static void pool_add(notimpl_pool_t *pl, const char *name, apr_size_t len)
{
    notimpl_pool_entry_t *e, *min = NULL;
    apr_uint32_t i;

    for (i = 0; i < pl->used; i++) {
        e = &pl->e[i];
        if (memcmp(e->name, name, len + 1) == 0) {
            e->count++;
            return;
        }
        if (min == NULL || e->count < min->count) {
            min = e;
        }
    }
    e = pl->used < NOTIMPL_COUNTERS_POOL ? &pl->e[pl->used] : min;
    e->error = e == min ? min->count : 0;
    e->count = e->error + 1;
    memcpy(e->name, name, len + 1);
    if (e != min) {
        pl->used++;                /* after the entry is whole */
    }
}

void notimpl_counters_add(notimpl_counters_t *c, notimpl_count_kind_e kind,
                          const char *name, int would_refuse)
{
    notimpl_tally_block_t *t = &c->tally[would_refuse != 0];
    notimpl_pool_t *pl = &t->pool[kind];
    notimpl_exact_slot_t *slot;
    apr_size_t len;
    apr_uint32_t hash = hash_name(name, &len);

    /* total first, and the snapshot reads it last: a reader during
     * traffic may see total ahead of its parts, never behind them. */
    apr_atomic_add64(&t->total, 1);
    if (len == 0 || len > NOTIMPL_COUNTERS_NAME_MAX) {
        apr_atomic_add64(&t->other[kind], 1);
    }
    else if (kind == NOTIMPL_COUNT_METHOD
             && (slot = exact_slot(c, name, len, hash, 0)) != NULL) {
        apr_atomic_add64(&slot->count[would_refuse != 0], 1);
    }
    else if (pool_lock(pl)) {
        pool_add(pl, name, len);
        pool_unlock(pl);
    }
    else {
        apr_atomic_add64(&t->other[kind], 1);
    }
}

/* Most demanded first; the name keeps the order stable between reads. */
static int by_count(const void *a, const void *b)
{
    const notimpl_count_t *x = a, *y = b;

    if (x->count != y->count) {
        return x->count > y->count ? -1 : 1;
    }
    return strcmp(x->name, y->name);
}

/* One kind of one tally: exact names with a count, then the pool's names
 * with their guaranteed part (added to the exact row of a name declared
 * after the pool held it).  Returns how many; *other gains the pool's
 * uncertain part, *used its names. */
static int read_kind(apr_pool_t *p, notimpl_counters_t *c, int which,
                     notimpl_count_kind_e kind, notimpl_count_t **out,
                     apr_uint64_t *other, int *used)
{
    notimpl_pool_t *pl = &c->tally[which].pool[kind];
    notimpl_count_t *rows = apr_palloc(p, sizeof(*rows)
        * (NOTIMPL_COUNTERS_EXACT + NOTIMPL_COUNTERS_POOL));
    int i, j, n = 0, n_exact, locked;

    for (i = 0; kind == NOTIMPL_COUNT_METHOD && i < NOTIMPL_COUNTERS_EXACT;
         i++) {
        notimpl_exact_slot_t *slot = &c->exact[i];

        if (apr_atomic_read32(&slot->state) == SLOT_READY
            && (rows[n].count = apr_atomic_read64(&slot->count[which]))) {
            rows[n++].name = apr_pstrndup(p, slot->name,
                                          NOTIMPL_COUNTERS_NAME_MAX);
        }
    }
    n_exact = n;
    locked = pool_lock(pl);
    *used = (int)pl->used;
    for (i = 0; i < *used && i < NOTIMPL_COUNTERS_POOL; i++) {
        notimpl_pool_entry_t *e = &pl->e[i];

        *other += e->error;
        for (j = 0; j < n_exact && strcmp(rows[j].name, e->name); j++) {
        }
        if (e->name[0] == '\0') {
            *other += e->count - e->error;
        }
        else if (j < n_exact) {
            rows[j].count += e->count - e->error;
        }
        else {
            rows[n].name = apr_pstrndup(p, e->name, NOTIMPL_COUNTERS_NAME_MAX);
            rows[n++].count = e->count - e->error;
        }
    }
    if (locked) {
        pool_unlock(pl);
    }
    qsort(rows, n, sizeof(*rows), by_count);
    *out = rows;
    return n;
}

void notimpl_counters_snapshot(apr_pool_t *p, notimpl_counters_t *c,
                               notimpl_snapshot_t *out)
{
    notimpl_tally_t *t[2] = { &out->served, &out->would };
    int w, used[2][2];

    out->since = c->since;
    for (w = 0; w < 2; w++) {
        t[w]->other_methods = apr_atomic_read64(&c->tally[w].other[0]);
        t[w]->other_codings = apr_atomic_read64(&c->tally[w].other[1]);
        t[w]->n_methods = read_kind(p, c, w, NOTIMPL_COUNT_METHOD,
                                    &t[w]->methods, &t[w]->other_methods,
                                    &used[w][0]);
        t[w]->n_codings = read_kind(p, c, w, NOTIMPL_COUNT_CODING,
                                    &t[w]->codings, &t[w]->other_codings,
                                    &used[w][1]);
        t[w]->total = apr_atomic_read64(&c->tally[w].total);
    }
    out->slots = 2 * NOTIMPL_COUNTERS_POOL;
    out->slots_used = used[0][0] + used[0][1];
}

char *notimpl_counters_rfc3339(apr_pool_t *p, apr_time_t t)
{
    apr_time_exp_t tm;

    apr_time_exp_gmt(&tm, t);
    return apr_psprintf(p, "%04d-%02d-%02dT%02d:%02d:%02dZ",
                        tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                        tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static const char *json_map(apr_pool_t *p, const notimpl_count_t *e, int n)
{
    apr_array_header_t *parts = apr_array_make(p, n + 2, sizeof(char *));
    int i;

    APR_ARRAY_PUSH(parts, const char *) = "{";
    for (i = 0; i < n; i++) {
        APR_ARRAY_PUSH(parts, const char *) =
            apr_psprintf(p, "%s\"%s\":%" APR_UINT64_T_FMT, i ? "," : "",
                         notimpl_escape_json(p, e[i].name, 0), e[i].count);
    }
    APR_ARRAY_PUSH(parts, const char *) = "}";
    return apr_array_pstrcat(p, parts, 0);
}

/* The members a tally has both at the top level and in "would_refuse". */
static const char *json_tally(apr_pool_t *p, const notimpl_tally_t *t)
{
    return apr_psprintf(p,
        "\"total\":%" APR_UINT64_T_FMT ",\"methods\":%s,"
        "\"other_methods\":%" APR_UINT64_T_FMT ",\"transfer_codings\":%s,"
        "\"other_transfer_codings\":%" APR_UINT64_T_FMT,
        t->total, json_map(p, t->methods, t->n_methods), t->other_methods,
        json_map(p, t->codings, t->n_codings), t->other_codings);
}

char *notimpl_counters_json(apr_pool_t *p, const notimpl_snapshot_t *s)
{
    return apr_psprintf(p, "{%s,\"since\":\"%s\",\"slots\":%d,"
                        "\"slots_used\":%d,\"would_refuse\":{%s}}\n",
                        json_tally(p, &s->served),
                        notimpl_counters_rfc3339(p, s->since), s->slots,
                        s->slots_used, json_tally(p, &s->would));
}

/* A label value in the exposition format, where only \\, \" and \n are
 * escapes (a parser rejects any other).  The name goes through the text
 * escaper first, so a byte that is not printable ASCII appears as the
 * visible text \xNN (and a sent backslash as \\): every value is valid
 * UTF-8 and tells apart what the client sent. */
static char *prometheus_label(apr_pool_t *p, const char *name)
{
    const char *in = apr_pescape_echo(p, name, 0);
    char *out = apr_palloc(p, 2 * strlen(in) + 1), *o = out;

    for (; *in; in++) {
        if (*in == '\\' || *in == '"') {
            *o++ = '\\';
        }
        *o++ = *in;     /* the text escaper leaves no raw newline */
    }
    *o = '\0';
    return out;
}

typedef struct {
    const char *name, *help;
} family_t;

/* A counter family: with label, one sample per name, else one value. */
static const char *family(apr_pool_t *p, const family_t *f,
                          const char *label, const notimpl_count_t *e, int n,
                          apr_uint64_t value)
{
    apr_array_header_t *lines = apr_array_make(p, n + 2, sizeof(char *));
    int i;

    APR_ARRAY_PUSH(lines, const char *) = apr_psprintf(p,
        "# HELP %s %s\n# TYPE %s counter\n", f->name, f->help, f->name);
    for (i = 0; label && i < n; i++) {
        APR_ARRAY_PUSH(lines, const char *) =
            apr_psprintf(p, "%s{%s=\"%s\"} %" APR_UINT64_T_FMT "\n", f->name,
                         label, prometheus_label(p, e[i].name), e[i].count);
    }
    if (label == NULL) {
        APR_ARRAY_PUSH(lines, const char *) =
            apr_psprintf(p, "%s %" APR_UINT64_T_FMT "\n", f->name, value);
    }
    return apr_array_pstrcat(p, lines, 0);
}

/* The five families of a tally, in the order of f: per method, other
 * methods, per coding, other codings, all. */
static const char *prometheus_tally(apr_pool_t *p, const notimpl_tally_t *t,
                                    const family_t *f)
{
    return apr_pstrcat(p,
        family(p, &f[0], "method", t->methods, t->n_methods, 0),
        family(p, &f[1], NULL, NULL, 0, t->other_methods),
        family(p, &f[2], "coding", t->codings, t->n_codings, 0),
        family(p, &f[3], NULL, NULL, 0, t->other_codings),
        family(p, &f[4], NULL, NULL, 0, t->total), NULL);
}

static const family_t served_families[5] = {
    { "notimpl_responses_total", "501 responses for a method the server "
      "does not implement, by method." },
    { "notimpl_other_method_responses_total", "501 responses for methods "
      "not counted by name (name table full, name too long or not "
      "printable)." },
    { "notimpl_transfer_coding_responses_total", "501 responses for a "
      "transfer coding the server does not implement, by coding." },
    { "notimpl_other_transfer_coding_responses_total", "501 responses for "
      "transfer codings not counted by name." },
    { "notimpl_all_responses_total", "Every 501 response of mod_notimpl." }
};
static const family_t would_families[5] = {
    { "notimpl_would_refuse_requests_total", "Requests a ReportOnly scope "
      "would have refused with 501, by method." },
    { "notimpl_would_refuse_other_method_requests_total", "Would-refuse "
      "requests for methods not counted by name." },
    { "notimpl_would_refuse_transfer_coding_requests_total", "Requests a "
      "ReportOnly scope would have refused with 501 for their transfer "
      "coding, by coding." },
    { "notimpl_would_refuse_other_transfer_coding_requests_total",
      "Would-refuse requests for transfer codings not counted by name." },
    { "notimpl_would_refuse_all_requests_total", "Every request a "
      "ReportOnly scope would have refused." }
};

/* One family per meaning, so that sum() over a family never adds a total
 * to its own parts; the would-refuse families after the real ones. */
char *notimpl_counters_prometheus(apr_pool_t *p, const notimpl_snapshot_t *s)
{
    return apr_pstrcat(p, prometheus_tally(p, &s->served, served_families),
        "# HELP notimpl_counters_start_time_seconds When counting started, "
        "in seconds since the Unix epoch.\n"
        "# TYPE notimpl_counters_start_time_seconds gauge\n",
        apr_psprintf(p, "notimpl_counters_start_time_seconds %"
                     APR_TIME_T_FMT "\n", apr_time_sec(s->since)),
        prometheus_tally(p, &s->would, would_families), NULL);
}

notimpl_report_e notimpl_counters_report_from_args(const char *args)
{
    notimpl_report_e report = NOTIMPL_REPORT_JSON;

    /* Split on & (and ;, which forms may use too); only format= is read,
     * and a value other than the two is an error rather than a silent
     * JSON answer to a scraper that asked for something else. */
    while (args && *args) {
        apr_size_t len = strcspn(args, "&;");

        if (len >= 7 && strncmp(args, "format=", 7) == 0) {
            report = (len == 11 && strncmp(args + 7, "json", 4) == 0)
                ? NOTIMPL_REPORT_JSON
                : (len == 17 && strncmp(args + 7, "prometheus", 10) == 0)
                ? NOTIMPL_REPORT_PROMETHEUS : NOTIMPL_REPORT_BAD;
            if (report == NOTIMPL_REPORT_BAD) {
                return report;
            }
        }
        args += len + (args[len] != '\0');
    }
    return report;
}
