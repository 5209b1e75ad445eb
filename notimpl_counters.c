/* notimpl_counters.c — the demand-counter table and its two documents
 * (see notimpl_counters.h).
 *
 * The table is open addressing with linear probing over slots that are
 * claimed once and never freed, so a name, once stored, stays where every
 * later probe for it will pass.  A slot goes free -> claimed (one CAS, the
 * claimer alone writes the name) -> ready (published with an atomic store,
 * after which the name never changes).  A prober that meets a slot still
 * being claimed waits a moment; if the claimer is slow (descheduled, or
 * killed mid-claim) it probes on, and the same name may then end up in two
 * slots.  The snapshot adds such duplicates together, so no count is ever
 * lost or counted twice. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <apr_atomic.h>
#include <apr_escape.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "notimpl_counters.h"
#include "notimpl_render.h"

#define SLOT_FREE     0
#define SLOT_CLAIMED  1
#define SLOT_READY    2

/* Spins on a slot being claimed: the claimer copies at most a few dozen
 * bytes, so this is long enough unless it lost the CPU. */
#define CLAIM_WAIT    1000

/* Changes whenever the block's layout does: a graceful restart into a
 * build with another layout must not read the retained block as its own. */
#define LAYOUT ((apr_uint32_t)(0x4e490000u | sizeof(notimpl_counter_slot_t)))

/* The slot layout is relied on for the one-line-per-slot promise. */
typedef char slot_is_one_cache_line[
    sizeof(notimpl_counter_slot_t) == 64 ? 1 : -1];
typedef char header_is_one_cache_line[
    offsetof(notimpl_counters_t, slots) == 64 ? 1 : -1];

void notimpl_counters_reset(notimpl_counters_t *c, apr_time_t since)
{
    memset(c, 0, sizeof(*c));
    c->layout = LAYOUT;
    c->nslots = NOTIMPL_COUNTERS_SLOTS;
    c->since = since;
}

int notimpl_counters_usable(const notimpl_counters_t *c)
{
    return c != NULL && c->layout == LAYOUT
        && c->nslots == NOTIMPL_COUNTERS_SLOTS;
}

/* FNV-1a over the kind and the name.  *len is the name's length, 0 for
 * a name that cannot be stored (a space or control byte: not a name to
 * label), or more than NOTIMPL_COUNTERS_NAME_MAX for one too long, found
 * without reading a long name to its end. */
static apr_uint32_t hash_name(notimpl_count_kind_e kind, const char *name,
                              apr_size_t *len)
{
    const unsigned char *s = (const unsigned char *)name;
    apr_uint32_t h = 2166136261u;

    h = (h ^ (apr_uint32_t)kind) * 16777619u;
    for (*len = 0; s[*len] && *len <= NOTIMPL_COUNTERS_NAME_MAX; (*len)++) {
        if (s[*len] <= 0x20 || s[*len] == 0x7f) {
            *len = 0;
            return 0;
        }
        h = (h ^ s[*len]) * 16777619u;
    }
    return h;
}

static int holds(const notimpl_counter_slot_t *slot, apr_uint32_t hash,
                 notimpl_count_kind_e kind, const char *name, apr_size_t len)
{
    return slot->hash == hash && slot->kind == (apr_uint32_t)kind
        && memcmp(slot->name, name, len + 1) == 0;
}

/* The slot counting name, claiming a free one if need be; NULL when the
 * table has no room left for it. */
static notimpl_counter_slot_t *find_or_claim(notimpl_counters_t *c,
                                             notimpl_count_kind_e kind,
                                             const char *name,
                                             apr_size_t len,
                                             apr_uint32_t hash)
{
    apr_uint32_t i, start = hash % NOTIMPL_COUNTERS_SLOTS;

    for (i = 0; i < NOTIMPL_COUNTERS_SLOTS; i++) {
        notimpl_counter_slot_t *slot =
            &c->slots[(start + i) % NOTIMPL_COUNTERS_SLOTS];
        apr_uint32_t state = apr_atomic_read32(&slot->state);
        int wait;

        if (state == SLOT_FREE) {
            state = apr_atomic_cas32(&slot->state, SLOT_CLAIMED, SLOT_FREE);
            if (state == SLOT_FREE) {
                slot->hash = hash;
                slot->kind = (apr_uint32_t)kind;
                memcpy(slot->name, name, len + 1);
                /* A sequentially consistent store (APR's atomics): the
                 * name is visible to every process before "ready" is. */
                apr_atomic_set32(&slot->state, SLOT_READY);
                return slot;
            }
            /* Someone else claimed it first: maybe for this very name. */
        }
        for (wait = 0; state == SLOT_CLAIMED && wait < CLAIM_WAIT; wait++) {
            state = apr_atomic_read32(&slot->state);
        }
        if (state == SLOT_READY && holds(slot, hash, kind, name, len)) {
            return slot;
        }
    }
    return NULL;
}

void notimpl_counters_add(notimpl_counters_t *c, notimpl_count_kind_e kind,
                          const char *name)
{
    apr_size_t len;
    apr_uint32_t hash = hash_name(kind, name, &len);
    notimpl_counter_slot_t *slot = NULL;

    /* total first, and the snapshot reads it last: a reader during
     * traffic may see total ahead of its parts, never behind them. */
    apr_atomic_add64(&c->total, 1);
    if (len > 0 && len <= NOTIMPL_COUNTERS_NAME_MAX) {
        slot = find_or_claim(c, kind, name, len, hash);
    }
    if (slot) {
        apr_atomic_add64(&slot->count, 1);
    }
    else {
        apr_atomic_add64(kind == NOTIMPL_COUNT_METHOD ? &c->other_methods
                                                      : &c->other_codings, 1);
    }
}

typedef struct {
    apr_uint32_t kind;
    notimpl_count_t entry;
} row_t;

static int by_kind_and_name(const void *a, const void *b)
{
    const row_t *x = a, *y = b;

    if (x->kind != y->kind) {
        return x->kind < y->kind ? -1 : 1;
    }
    return strcmp(x->entry.name, y->entry.name);
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

void notimpl_counters_snapshot(apr_pool_t *p, notimpl_counters_t *c,
                               notimpl_snapshot_t *out)
{
    row_t *rows = apr_palloc(p, sizeof(*rows) * NOTIMPL_COUNTERS_SLOTS);
    int i, n = 0, merged = 0;

    memset(out, 0, sizeof(*out));
    out->since = c->since;
    out->other_methods = apr_atomic_read64(&c->other_methods);
    out->other_codings = apr_atomic_read64(&c->other_codings);
    out->slots = NOTIMPL_COUNTERS_SLOTS;
    for (i = 0; i < NOTIMPL_COUNTERS_SLOTS; i++) {
        notimpl_counter_slot_t *slot = &c->slots[i];
        apr_uint32_t state = apr_atomic_read32(&slot->state);

        if (state != SLOT_FREE) {
            out->slots_used++;
        }
        if (state == SLOT_READY) {
            rows[n].kind = slot->kind;
            rows[n].entry.name = apr_pstrndup(p, slot->name,
                                              NOTIMPL_COUNTERS_NAME_MAX);
            rows[n].entry.count = apr_atomic_read64(&slot->count);
            n++;
        }
    }
    out->total = apr_atomic_read64(&c->total);
    qsort(rows, n, sizeof(*rows), by_kind_and_name);
    for (i = 0; i < n; i++) {
        if (merged > 0 && by_kind_and_name(&rows[merged - 1], &rows[i]) == 0) {
            rows[merged - 1].entry.count += rows[i].entry.count;
        }
        else {
            rows[merged++] = rows[i];
        }
    }
    out->methods = apr_palloc(p, sizeof(notimpl_count_t) * (merged + 1));
    out->codings = apr_palloc(p, sizeof(notimpl_count_t) * (merged + 1));
    for (i = 0; i < merged; i++) {
        if (rows[i].kind == NOTIMPL_COUNT_METHOD) {
            out->methods[out->n_methods++] = rows[i].entry;
        }
        else {
            out->codings[out->n_codings++] = rows[i].entry;
        }
    }
    qsort(out->methods, out->n_methods, sizeof(notimpl_count_t), by_count);
    qsort(out->codings, out->n_codings, sizeof(notimpl_count_t), by_count);
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

char *notimpl_counters_json(apr_pool_t *p, const notimpl_snapshot_t *s)
{
    return apr_psprintf(p,
        "{\"total\":%" APR_UINT64_T_FMT ",\"methods\":%s,"
        "\"other_methods\":%" APR_UINT64_T_FMT ",\"transfer_codings\":%s,"
        "\"other_transfer_codings\":%" APR_UINT64_T_FMT ",\"since\":\"%s\","
        "\"slots\":%d,\"slots_used\":%d}\n",
        s->total, json_map(p, s->methods, s->n_methods), s->other_methods,
        json_map(p, s->codings, s->n_codings), s->other_codings,
        notimpl_counters_rfc3339(p, s->since), s->slots, s->slots_used);
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
            *o++ = *in;
        }
        else if (*in == '\n') {
            *o++ = '\\';
            *o++ = 'n';
        }
        else {
            *o++ = *in;
        }
    }
    *o = '\0';
    return out;
}

static const char *family(apr_pool_t *p, const char *name, const char *type,
                          const char *help)
{
    return apr_psprintf(p, "# HELP %s %s\n# TYPE %s %s\n",
                        name, help, name, type);
}

/* A family with one unlabelled sample. */
static const char *single(apr_pool_t *p, const char *name, const char *type,
                          const char *help, apr_uint64_t value)
{
    return apr_psprintf(p, "%s%s %" APR_UINT64_T_FMT "\n",
                        family(p, name, type, help), name, value);
}

/* A counter family with one sample per counted name. */
static const char *labelled(apr_pool_t *p, const char *name,
                            const char *help, const char *label,
                            const notimpl_count_t *e, int n)
{
    apr_array_header_t *lines = apr_array_make(p, n + 1, sizeof(char *));
    int i;

    APR_ARRAY_PUSH(lines, const char *) = family(p, name, "counter", help);
    for (i = 0; i < n; i++) {
        APR_ARRAY_PUSH(lines, const char *) =
            apr_psprintf(p, "%s{%s=\"%s\"} %" APR_UINT64_T_FMT "\n", name,
                         label, prometheus_label(p, e[i].name), e[i].count);
    }
    return apr_array_pstrcat(p, lines, 0);
}

/* One family per meaning, so that sum() over a family never adds a total
 * to its own parts: per method, other methods, per transfer coding, other
 * codings, every 501, and the start of counting. */
char *notimpl_counters_prometheus(apr_pool_t *p, const notimpl_snapshot_t *s)
{
    return apr_pstrcat(p,
        labelled(p, "notimpl_responses_total",
                 "501 responses for a method the server does not implement, "
                 "by method.", "method", s->methods, s->n_methods),
        single(p, "notimpl_other_method_responses_total", "counter",
               "501 responses for methods not counted by name (name table "
               "full, name too long or not printable).", s->other_methods),
        labelled(p, "notimpl_transfer_coding_responses_total",
                 "501 responses for a transfer coding the server does not "
                 "implement, by coding.", "coding", s->codings, s->n_codings),
        single(p, "notimpl_other_transfer_coding_responses_total",
               "counter", "501 responses for transfer codings not counted "
               "by name.", s->other_codings),
        single(p, "notimpl_all_responses_total", "counter",
               "Every 501 response of mod_notimpl.", s->total),
        single(p, "notimpl_counters_start_time_seconds", "gauge",
               "When counting started, in seconds since the Unix epoch.",
               (apr_uint64_t)apr_time_sec(s->since)),
        NULL);
}

notimpl_report_e notimpl_counters_report_from_args(const char *args)
{
    notimpl_report_e report = NOTIMPL_REPORT_JSON;

    /* Parameters are split on & (and ;, which forms may use too); only
     * format= is read.  A value other than the two is an error rather than
     * a silent JSON answer to a scraper that asked for something else. */
    while (args && *args) {
        apr_size_t len = strcspn(args, "&;");

        if (len >= 7 && strncmp(args, "format=", 7) == 0) {
            const char *v = args + 7;
            apr_size_t vlen = len - 7;

            if (vlen == 4 && strncmp(v, "json", 4) == 0) {
                report = NOTIMPL_REPORT_JSON;
            }
            else if (vlen == 10 && strncmp(v, "prometheus", 10) == 0) {
                report = NOTIMPL_REPORT_PROMETHEUS;
            }
            else {
                return NOTIMPL_REPORT_BAD;
            }
        }
        args += len + (args[len] != '\0');
    }
    return report;
}
