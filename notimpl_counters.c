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

/* notimpl_counters.c — the demand counters' block: slots, names, adds and
 * snapshots (the scheme: notimpl_counters.h).  No document here: JSON,
 * Prometheus and the mod_status section are made in notimpl_report.c. */
#include <stdlib.h>
#include <string.h>
#include <apr_atomic.h>
#include <apr_strings.h>

#include "notimpl_counters.h"
#include "notimpl_render.h"

/* A graceful restart into a build with another layout must not read the
 * retained block as its own. */
#define LAYOUT ((apr_uint32_t)(0x4e490000u ^ sizeof(notimpl_counters_t)))

/* The IANA HTTP Transfer Coding Registry, lower case as labels show it. */
static const char *const iana_codings[NOTIMPL_COUNTERS_CODINGS] = {
    "chunked", "compress", "deflate", "gzip", "trailers", "x-compress",
    "x-gzip"
};

void notimpl_counters_reset(notimpl_counters_t *c, apr_time_t since)
{
    int i;

    memset(c, 0, sizeof(*c));
    c->layout = LAYOUT;
    c->since = since;
    for (i = 0; i < NOTIMPL_COUNTERS_CODINGS; i++) {
        strcpy(c->coding[i].name, iana_codings[i]);
    }
}

int notimpl_counters_usable(const notimpl_counters_t *c)
{
    return c != NULL && c->layout == LAYOUT;
}

/* An RFC 9110 token of 1 to NOTIMPL_COUNTERS_NAME_MAX bytes.  Only such
 * names get a slot, so the documents never need to escape a name for
 * JSON or a Prometheus label (a token holds no quote, backslash, space or
 * control byte); HTML still escapes its & and '. */
static int is_label(const char *name)
{
    apr_size_t len = (apr_size_t)(notimpl_token_end(name) - name);

    return len > 0 && len <= NOTIMPL_COUNTERS_NAME_MAX && name[len] == '\0';
}

static int slot_of(const notimpl_counters_t *c, const char *name)
{
    int i;

    /* The first byte before the rest: a start-up looks up each of some
     * hundred names in every slot, and most slots differ there. */
    for (i = 0; i < NOTIMPL_COUNTERS_METHODS; i++) {
        if (c->method[i].name[0] == name[0]
            && strcmp(c->method[i].name, name) == 0) {
            return i;
        }
    }
    return -1;
}

/* A slot for a new name: a never-named one, else one that neither this
 * generation nor the one before named.  Why not the one before: its
 * children still finish their requests after a graceful restart and count
 * them under the name they looked up.  Older children than that are rare
 * (a request outliving two restarts), and cannot corrupt the new name's
 * count either: the epoch changes, so their adds go to other.  The old
 * name's counts move to other too (it has left the closed set), so that
 * every total still adds up.  The one gap: an add that read the old
 * epoch just before the change and adds just after the exchange below. */
static int claim(notimpl_counters_t *c, const char *name, apr_uint32_t gen)
{
    notimpl_slot_t *s = NULL;
    int i, o;

    for (i = 0; i < NOTIMPL_COUNTERS_METHODS && s == NULL; i++) {
        s = c->method[i].name[0] == '\0' ? &c->method[i] : NULL;
    }
    for (i = 0; i < NOTIMPL_COUNTERS_METHODS && s == NULL; i++) {
        s = c->method[i].declared + 1 < gen ? &c->method[i] : NULL;
    }
    if (s == NULL) {
        return -1;
    }
    apr_atomic_set32(&s->epoch, s->epoch + 1);          /* odd: renaming */
    for (o = 0; o < NOTIMPL_OUTCOMES; o++) {
        apr_atomic_add64(&c->other[NOTIMPL_COUNT_METHOD][o],
                         apr_atomic_xchg64(&s->n[o], 0));
    }
    memset(s->name, 0, sizeof(s->name));
    strcpy(s->name, name);
    apr_atomic_set32(&s->epoch, s->epoch + 1);
    return (int)(s - c->method);
}

static void named(notimpl_counters_t *c, int slot, apr_uint32_t gen,
                  notimpl_count_ref_t *ref)
{
    c->method[slot].declared = gen;
    ref->named = 1;
    ref->slot = slot;
    ref->epoch = apr_atomic_read32(&c->method[slot].epoch);
}

int notimpl_counters_declare(notimpl_counters_t *c,
                             const char *const *names, int n,
                             notimpl_count_ref_t *refs)
{
    apr_uint32_t gen = ++c->generation;
    int i, slot, misfits = 0;

    /* Names that have a slot first: a new name must not be given the slot
     * of one this generation names later in the list. */
    for (i = 0; i < n; i++) {
        memset(&refs[i], 0, sizeof(refs[i]));
        refs[i].kind = NOTIMPL_COUNT_METHOD;
        refs[i].slot = -1;
        if (is_label(names[i]) && (slot = slot_of(c, names[i])) >= 0) {
            named(c, slot, gen, &refs[i]);
        }
    }
    for (i = 0; i < n; i++) {
        if (refs[i].named) {
            continue;
        }
        slot = is_label(names[i]) ? slot_of(c, names[i]) : -1; /* twice */
        if (slot < 0 && is_label(names[i])) {
            slot = claim(c, names[i], gen);
        }
        if (slot < 0) {
            misfits++;
            continue;
        }
        named(c, slot, gen, &refs[i]);
    }
    return misfits;
}

void notimpl_counters_coding(const char *coding, notimpl_count_ref_t *ref)
{
    int i;

    memset(ref, 0, sizeof(*ref));
    ref->kind = NOTIMPL_COUNT_CODING;
    ref->slot = -1;
    for (i = 0; i < NOTIMPL_COUNTERS_CODINGS; i++) {
        if (strcasecmp(coding, iana_codings[i]) == 0) {
            ref->named = 1;
            ref->slot = i;
            return;
        }
    }
}

static int row_by_name(const void *a, const void *b)
{
    return strcmp(((const notimpl_count_row_t *)a)->name,
                  ((const notimpl_count_row_t *)b)->name);
}

/* The slots of one kind with a name and a count.  A slot the parent is
 * renaming (odd epoch, or another epoch after the copy) is left out: its
 * counts are on their way to other. */
static int read_slots(apr_pool_t *p, notimpl_slot_t *slots, int n_slots,
                      notimpl_count_row_t **out, int *used)
{
    notimpl_count_row_t *rows = apr_pcalloc(p, sizeof(*rows) * n_slots);
    int i, o, n = 0;

    for (i = 0; i < n_slots; i++) {
        apr_uint32_t epoch = apr_atomic_read32(&slots[i].epoch);
        char *name = apr_pstrmemdup(p, slots[i].name,
                                    NOTIMPL_COUNTERS_NAME_MAX);
        apr_uint64_t any = 0;

        if ((epoch & 1) || name[0] == '\0') {
            continue;
        }
        for (o = 0; o < NOTIMPL_OUTCOMES; o++) {
            any |= rows[n].n[o] = apr_atomic_read64(&slots[i].n[o]);
        }
        if (apr_atomic_read32(&slots[i].epoch) != epoch) {
            continue;
        }
        *used += 1;
        if (any) {
            rows[n++].name = name;
        }
        else {
            memset(&rows[n], 0, sizeof(rows[n]));
        }
    }
    qsort(rows, n, sizeof(*rows), row_by_name);
    *out = rows;
    return n;
}

void notimpl_counters_snapshot(apr_pool_t *p, notimpl_counters_t *c,
                               notimpl_snapshot_t *out)
{
    int k, o, coding_slots = 0;

    memset(out, 0, sizeof(*out));
    out->since = c->since;
    out->n[NOTIMPL_COUNT_METHOD] = read_slots(p, c->method,
        NOTIMPL_COUNTERS_METHODS, &out->rows[NOTIMPL_COUNT_METHOD],
        &out->slots_used);
    out->n[NOTIMPL_COUNT_CODING] = read_slots(p, c->coding,
        NOTIMPL_COUNTERS_CODINGS, &out->rows[NOTIMPL_COUNT_CODING],
        &coding_slots);
    out->slots = NOTIMPL_COUNTERS_METHODS;
    for (k = 0; k < 2; k++) {
        for (o = 0; o < NOTIMPL_OUTCOMES; o++) {
            out->other[k][o] = apr_atomic_read64(&c->other[k][o]);
        }
    }
    for (o = 0; o < NOTIMPL_OUTCOMES; o++) {
        out->total[o] = apr_atomic_read64(&c->total[o]);
    }
}
