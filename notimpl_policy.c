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

/* notimpl_policy.c — method sets, groups, stacking scopes, transfer
 * codings and Allow values (see notimpl_policy.h). */
#include <stdlib.h>
#include <string.h>
#include <apr_hash.h>
#include <apr_lib.h>
#include <apr_strings.h>

#include "notimpl_policy.h"

/* docs/directives.md "Method groups", as httpd's M_* numbers: M_PROPFIND (8)
 * .. M_UNLOCK (14) and M_VERSION_CONTROL (15) .. M_MERGE (25). */
#define WEBDAV_BITS (NOTIMPL_BIT(15) - NOTIMPL_BIT(8))
#define DELTAV_BITS (NOTIMPL_BIT(26) - NOTIMPL_BIT(15))
/* Every number but GET's (RFC 9110 §9.1) and M_INVALID (decided by name). */
#define ALL_BITS \
    (~NOTIMPL_BIT(NOTIMPL_M_GET) & ~NOTIMPL_BIT(NOTIMPL_M_INVALID))

static const char *const groups[] = { "unknown", "webdav", "deltav", "auto" };
enum { G_UNKNOWN, G_WEBDAV, G_DELTAV, G_AUTO, G_NONE };

const notimpl_set_t notimpl_set_empty = { 0, ALL_BITS, 0, 0, 0, NULL };

static int group_of(const char *s)
{
    int g;

    for (g = G_UNKNOWN; g < G_NONE && strcmp(s, groups[g]) != 0; g++) {
    }
    return g;
}

int notimpl_is_group(const char *s)
{
    return group_of(s) != G_NONE;
}

/* Levenshtein distance of a to a lower-case word of at most 8 letters,
 * case-insensitively; anything longer is far. */
static int distance(const char *a, const char *b)
{
    int row[10], i, j, n = (int)strlen(b);

    if ((int)strlen(a) > n + 2) {
        return 3;
    }
    for (j = 0; j <= n; j++) {
        row[j] = j;
    }
    for (i = 1; a[i - 1]; i++) {
        int diag = row[0];
        row[0] = i;
        for (j = 1; j <= n; j++) {
            int up = row[j];
            int cost = apr_tolower((unsigned char)a[i - 1]) != b[j - 1];
            int best = diag + cost;
            best = up + 1 < best ? up + 1 : best;
            best = row[j - 1] + 1 < best ? row[j - 1] + 1 : best;
            row[j] = best;
            diag = up;
        }
    }
    return row[n];
}

const char *notimpl_group_like(const char *s)
{
    int g;

    for (g = G_UNKNOWN; g < G_NONE; g++) {
        int d = distance(s, groups[g]);
        if (strcmp(s, groups[g]) != 0 && d <= (g == G_AUTO ? 1 : 2)) {
            return groups[g];
        }
    }
    return NULL;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const notimpl_name_t *)a)->name,
                  ((const notimpl_name_t *)b)->name);
}

int notimpl_name_refused(const notimpl_set_t *set, const char *method)
{
    notimpl_name_t key;
    const notimpl_name_t *hit = NULL;

    if (set->n_names > 0) {
        key.name = method;
        hit = bsearch(&key, set->names, set->n_names, sizeof(key), by_name);
    }
    return hit ? hit->refused : set->unknown == 1;
}

void notimpl_set_auto(notimpl_set_t *set, const notimpl_resolver_t *res)
{
    *set = notimpl_set_empty;
    set->unknown = 1;
    set->bits = res->dav_loaded ? 0 : WEBDAV_BITS | DELTAV_BITS;
}

/* A set while one scope's directives are read: names in a hash, so a
 * list of thousands stays linear. */
typedef struct {
    notimpl_set_t *set;
    apr_hash_t *names;
    const notimpl_resolver_t *res;
} build_t;

static void decide_bits(notimpl_set_t *set, apr_uint64_t bits, int refused)
{
    set->decides |= bits;
    set->bits = refused ? (set->bits | bits) : (set->bits & ~bits);
}

static void decide_token(build_t *b, const char *token, int refused)
{
    int n;

    switch (group_of(token)) {
    case G_UNKNOWN:
        b->set->unknown = (signed char)refused;
        apr_hash_clear(b->names);
        return;
    case G_AUTO:
        decide_token(b, "unknown", refused);
        if (!b->res->dav_loaded) {
            decide_bits(b->set, WEBDAV_BITS | DELTAV_BITS, refused);
        }
        return;
    case G_WEBDAV:
        decide_bits(b->set, WEBDAV_BITS, refused);
        return;
    case G_DELTAV:
        decide_bits(b->set, DELTAV_BITS, refused);
        return;
    }
    n = b->res->number_of(token);
    if (n == NOTIMPL_M_INVALID) {
        apr_hash_set(b->names, token, APR_HASH_KEY_STRING,
                     refused ? "1" : "0");
    }
    else if (n > NOTIMPL_M_GET && n < NOTIMPL_METHODS) {
        decide_bits(b->set, NOTIMPL_BIT(n), refused);
    }
}

void notimpl_set_compile(apr_pool_t *p, notimpl_set_t *out,
                         const apr_array_header_t *lines,
                         const apr_array_header_t *implemented,
                         const notimpl_resolver_t *res)
{
    build_t b = { out, apr_hash_make(p), res };
    apr_hash_index_t *hi;
    notimpl_name_t *names;
    int i, j;

    memset(out, 0, sizeof(*out));
    out->unknown = out->allowlist = -1;
    if (implemented) {
        *out = notimpl_set_empty;
        out->bits = ALL_BITS;
        out->unknown = out->allowlist = 1;
        for (i = 0; i < implemented->nelts; i++) {
            decide_token(&b, APR_ARRAY_IDX(implemented, i, const char *), 0);
        }
    }
    for (i = 0; !implemented && lines && i < lines->nelts; i++) {
        const apr_array_header_t *w =
            APR_ARRAY_IDX(lines, i, const apr_array_header_t *);
        const char *first = APR_ARRAY_IDX(w, 0, const char *);

        if (*first != '+' && *first != '-') {
            /* An unsigned list replaces what was inherited. */
            *out = notimpl_set_empty;
            apr_hash_clear(b.names);
        }
        for (j = 0; j < w->nelts; j++) {
            const char *t = APR_ARRAY_IDX(w, j, const char *);
            int sign = (*t == '+' || *t == '-');
            decide_token(&b, t + sign, *t != '-');
        }
    }
    /* Most lists name no extension method: no walk over an empty hash. */
    if ((out->n_names = (int)apr_hash_count(b.names)) == 0) {
        return;
    }
    names = apr_palloc(p, sizeof(*names) * out->n_names);
    for (i = 0, hi = apr_hash_first(p, b.names); hi; hi = apr_hash_next(hi)) {
        const void *k;
        void *v;
        apr_hash_this(hi, &k, NULL, &v);
        /* The words may live in a shorter pool than the set (start-up's
         * temporary one). */
        names[i].name = apr_pstrdup(p, k);
        names[i++].refused = *(const char *)v == '1';
    }
    qsort(names, out->n_names, sizeof(*names), by_name);
    out->names = names;
}

/* base's names with change's laid over them, still sorted. */
static void overlay(apr_pool_t *p, notimpl_set_t *out,
                    const notimpl_set_t *base, const notimpl_set_t *change)
{
    notimpl_name_t *m;
    int i = 0, j = 0, n = 0;

    if (change->n_names == 0 || base->n_names == 0) {
        const notimpl_set_t *from = change->n_names ? change : base;
        out->names = from->names;
        out->n_names = from->n_names;
        return;
    }
    m = apr_palloc(p, sizeof(*m) * (base->n_names + change->n_names));
    while (i < base->n_names || j < change->n_names) {
        int c = i == base->n_names ? 1 : j == change->n_names ? -1
              : strcmp(base->names[i].name, change->names[j].name);
        if (c < 0) {
            m[n++] = base->names[i++];
        }
        else {
            i += (c == 0);
            m[n++] = change->names[j++];
        }
    }
    out->names = m;
    out->n_names = n;
}

void notimpl_set_then(apr_pool_t *p, notimpl_set_t *out,
                      const notimpl_set_t *base, const notimpl_set_t *change)
{
    notimpl_set_t r;

    r.bits = (base->bits & ~change->decides) | change->bits;
    r.decides = base->decides | change->decides;
    r.allowlist = change->allowlist >= 0 ? change->allowlist : base->allowlist;
    if (change->unknown >= 0) {
        r.unknown = change->unknown;
        r.names = change->names;
        r.n_names = change->n_names;
    }
    else {
        r.unknown = base->unknown;
        overlay(p, &r, base, change);
    }
    *out = r;
}

apr_array_header_t *notimpl_set_implemented(apr_pool_t *p,
                                            const notimpl_set_t *set,
                                            int all, apr_uint64_t leave_out,
                                            const notimpl_resolver_t *res)
{
    apr_array_header_t *out;
    int n;

    if (!all && set->allowlist != 1) {
        return NULL;
    }
    out = apr_array_make(p, 16, sizeof(const char *));
    APR_ARRAY_PUSH(out, const char *) = "GET";
    APR_ARRAY_PUSH(out, const char *) = "HEAD";
    for (n = NOTIMPL_M_GET + 1; n < NOTIMPL_METHODS; n++) {
        const char *name = n == NOTIMPL_M_INVALID
            || (set->bits & NOTIMPL_BIT(n)) ? NULL : res->name_of(p, n);
        if (name && !(leave_out & NOTIMPL_BIT(n))) {
            APR_ARRAY_PUSH(out, const char *) = name;
        }
    }
    for (n = 0; set->allowlist == 1 && n < set->n_names; n++) {
        if (!set->names[n].refused) {
            APR_ARRAY_PUSH(out, const char *) = set->names[n].name;
        }
    }
    return out;
}

const char *notimpl_allow_without(apr_pool_t *p, const char *allow,
                                  const notimpl_set_t *a,
                                  const notimpl_set_t *b,
                                  const notimpl_resolver_t *res)
{
    apr_array_header_t *kept = apr_array_make(p, 16, sizeof(const char *));
    char *copy, *tok, *last;
    int dropped = 0;

    /* apr_strtok, not ap_get_list_item: that one lowercases, and method
     * names are case-sensitive. */
    copy = apr_pstrdup(p, allow);
    for (tok = apr_strtok(copy, ", \t", &last); tok;
         tok = apr_strtok(NULL, ", \t", &last)) {
        int n = res->number_of(tok);

        if (notimpl_set_has(a, n, tok) || (b && notimpl_set_has(b, n, tok))) {
            dropped = 1;
        }
        else {
            APR_ARRAY_PUSH(kept, const char *) = tok;
        }
    }
    return dropped ? apr_array_pstrcat(p, kept, ',') : allow;
}

/* Hand-written rather than ap_get_list_item, which lowercases: the
 * document names the coding as the client sent it. */
const char *notimpl_unsupported_coding(apr_pool_t *p, const char *te)
{
    const char *s = te;

    while (s && *s) {
        const char *start, *end;

        s += strspn(s, " \t,");
        if (*s == '\0') {
            break;
        }
        start = s;
        end = s + strcspn(s, ",; \t");
        s = end + strcspn(end, ",");      /* this coding's parameters */
        if (end == start) {
            return apr_pstrmemdup(p, start, s - start);
        }
        if (end - start != 7 || strncasecmp(start, "chunked", 7) != 0) {
            return apr_pstrmemdup(p, start, end - start);
        }
    }
    return NULL;
}
