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

/* notimpl_counters.h — the demand counters' data (docs/observability.md):
 * one fixed block, put in shared memory by notimpl_status.c, of slots
 * that each count one name of a CLOSED set (registered, IANA, QUERY,
 * PURGE and declared methods; the IANA transfer codings).  Every other
 * name counts under "other", so no client byte ever becomes a label.
 * Pure (APR and libc): the unit tests link it without httpd.  The
 * documents made from it live in notimpl_report.c.
 *
 * No lock anywhere: the parent alone writes names (at start-up and on a
 * graceful restart), and a count is one atomic add into a slot whose
 * index the caller found at start-up (notimpl_count_ref_t). */
#ifndef NOTIMPL_COUNTERS_H
#define NOTIMPL_COUNTERS_H

#include <apr_atomic.h>
#include <apr_pools.h>
#include <apr_time.h>

#define NOTIMPL_COUNTERS_METHODS  256   /* method name slots */
#define NOTIMPL_COUNTERS_CODINGS  7     /* the IANA transfer codings */
/* A longer name (or one that is not an RFC 9110 token) gets no slot. */
#define NOTIMPL_COUNTERS_NAME_MAX 47

typedef enum { NOTIMPL_COUNT_METHOD, NOTIMPL_COUNT_CODING }
    notimpl_count_kind_e;

/* What one count says: the module refused the request, or a ReportOnly
 * scope would have and the final answer of the request's internal-redirect
 * chain was below 400 (served) or not (refused). */
typedef enum {
    NOTIMPL_REFUSED, NOTIMPL_WOULD_SERVED, NOTIMPL_WOULD_REFUSED,
    NOTIMPL_OUTCOMES
} notimpl_outcome_e;

typedef struct {
    /* Even while the name is whole; +2 each time the parent gives the
     * slot a name (odd while it writes it).  A count carries the epoch its
     * slot had when its name was looked up, and goes to other when that
     * no longer holds (a reused slot). */
    volatile apr_uint32_t epoch;
    apr_uint32_t declared;      /* the last generation whose set named it */
    volatile apr_uint64_t n[NOTIMPL_OUTCOMES];
    char name[NOTIMPL_COUNTERS_NAME_MAX + 1];
} notimpl_slot_t;

typedef struct {
    apr_uint32_t layout;                /* see notimpl_counters_usable */
    apr_uint32_t generation;            /* +1 per notimpl_counters_declare */
    apr_time_t since;
    notimpl_slot_t method[NOTIMPL_COUNTERS_METHODS];
    notimpl_slot_t coding[NOTIMPL_COUNTERS_CODINGS];
    volatile apr_uint64_t other[2][NOTIMPL_OUTCOMES];   /* per kind */
    volatile apr_uint64_t total[NOTIMPL_OUTCOMES];
} notimpl_counters_t;

/* Where a name counts: its slot (named) and that slot's epoch, or other. */
typedef struct {
    notimpl_count_kind_e kind;
    int named;
    int slot;
    apr_uint32_t epoch;
} notimpl_count_ref_t;

/* reset: only while nothing counts; the coding slots get their names.
 * usable: reset by this build's layout, not retained from another. */
void notimpl_counters_reset(notimpl_counters_t *c, apr_time_t since);
int notimpl_counters_usable(const notimpl_counters_t *c);

/* One generation's closed set of method names (httpd's parent, once per
 * start-up or graceful restart, while any number count): a name that has
 * a slot keeps it and its counts; a new one takes a free slot, or one
 * that neither this generation nor the one before named.  refs[i] is
 * where names[i] counts (other when it did not fit, or is not a token of
 * 1 to NOTIMPL_COUNTERS_NAME_MAX bytes).  Returns how many did not fit. */
int notimpl_counters_declare(notimpl_counters_t *c,
                             const char *const *names, int n,
                             notimpl_count_ref_t *refs);
/* The ref of a transfer coding: its IANA registry name, any case. */
void notimpl_counters_coding(const char *coding, notimpl_count_ref_t *ref);
/* From any thread or process: one atomic add (and one to the total).
 * Inline: every refusal counts. */
static APR_INLINE void notimpl_counters_add(notimpl_counters_t *c,
                                            const notimpl_count_ref_t *ref,
                                            notimpl_outcome_e outcome)
{
    volatile apr_uint64_t *n = &c->other[ref->kind][outcome];

    apr_atomic_add64(&c->total[outcome], 1);    /* first: read last */
    if (ref->named) {
        notimpl_slot_t *s = ref->kind == NOTIMPL_COUNT_CODING
                            ? &c->coding[ref->slot] : &c->method[ref->slot];

        if (apr_atomic_read32(&s->epoch) == ref->epoch) {
            n = &s->n[outcome];
        }
    }
    apr_atomic_add64(n, 1);
}

typedef struct {
    const char *name;
    apr_uint64_t n[NOTIMPL_OUTCOMES];
} notimpl_count_row_t;

/* Read without stopping the counting: per kind the named slots with any
 * count, by name.  total is read last, so during traffic it may run
 * ahead of its parts, never behind. */
typedef struct {
    apr_time_t since;
    apr_uint64_t total[NOTIMPL_OUTCOMES];
    apr_uint64_t other[2][NOTIMPL_OUTCOMES];
    int n[2];
    notimpl_count_row_t *rows[2];
    int slots, slots_used;      /* method name slots */
} notimpl_snapshot_t;

void notimpl_counters_snapshot(apr_pool_t *p, notimpl_counters_t *c,
                               notimpl_snapshot_t *out);

#endif
