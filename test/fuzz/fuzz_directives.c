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

/* libFuzzer harness: compiling and stacking method sets.
 *
 * The input is up to three scopes separated by ';'.  A scope is lines
 * separated by '\n', each line words separated by spaces: a
 * NotImplMethods line, or, when its first word is "=", NotImplImplemented
 * words.  The first byte's low bit says whether mod_dav is loaded.  The
 * words are not filtered as the directives would: the compiler must cope
 * with anything.
 *
 * Invariants: GET and HEAD are never refused; stacking is associative,
 * (A then B) then C == A then (B then C), also on the server's set; names
 * are sorted and unique; every method is refused exactly when the last
 * word that decides it, scope after scope, says so (a model of
 * docs/directives.md and docs/behaviour.md "Scopes", written apart from the
 * code); implemented lists and Allow values agree with the set.  The same
 * bytes are also a Transfer-Encoding value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "notimpl_policy.h"

#define MAX_SCOPES 3

static apr_pool_t *root;

static const char *const known[] = {
    "GET", "PUT", "POST", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
    "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK",
    "VERSION-CONTROL", "CHECKOUT", "UNCHECKOUT", "CHECKIN", "UPDATE",
    "LABEL", "REPORT", "MKWORKSPACE", "MKACTIVITY", "BASELINE-CONTROL",
    "MERGE", NULL
};
#define M_PURGE 27

static int number_of(const char *m)
{
    int i;
    if (strcmp(m, "HEAD") == 0) return 0;
    if (strcmp(m, "PURGE") == 0) return M_PURGE;
    for (i = 0; known[i]; i++) {
        if (strcmp(known[i], m) == 0) return i;
    }
    return NOTIMPL_M_INVALID;
}

static const char *name_of(apr_pool_t *p, int n)
{
    (void)p;
    if (n == M_PURGE) return "PURGE";
    return n >= 0 && n < NOTIMPL_M_INVALID ? known[n] : NULL;
}

typedef struct {
    apr_array_header_t *lines;        /* of word arrays; NULL for none */
    apr_array_header_t *implemented;  /* NULL when not an allowlist */
} scope_t;

/* ------------------------------------------------------------ the model */

/* Whether group g takes method m (docs/directives.md "Method groups"). */
static int group_takes(const char *g, const char *m, int dav)
{
    int n = number_of(m);
    int webdav = n >= 8 && n <= 14, deltav = n >= 15 && n <= 25;

    if (!strcmp(g, "unknown")) return n == NOTIMPL_M_INVALID;
    if (!strcmp(g, "webdav")) return webdav;
    if (!strcmp(g, "deltav")) return deltav;
    if (!strcmp(g, "auto")) {
        return n == NOTIMPL_M_INVALID || (!dav && (webdav || deltav));
    }
    return -1;                                   /* not a group */
}

static int word_decides(const char *tok, const char *m, int dav)
{
    int g = group_takes(tok, m, dav);
    return g >= 0 ? g : strcmp(tok, m) == 0;
}

/* Refused or not after the scopes, from `auto`: the last word deciding
 * m wins; an unsigned line first undecides everything; an allowlist
 * refuses all but what it names, and its scope's lines do not count. */
static int model_refuses(const scope_t *scopes, int n, const char *m,
                         int dav)
{
    int refused = group_takes("auto", m, dav), s, i, j;

    if (number_of(m) == NOTIMPL_M_GET) {
        return 0;
    }
    for (s = 0; s < n; s++) {
        if (scopes[s].implemented) {
            refused = 1;
            for (i = 0; i < scopes[s].implemented->nelts; i++) {
                if (word_decides(APR_ARRAY_IDX(scopes[s].implemented, i,
                                               const char *), m, dav)) {
                    refused = 0;
                }
            }
            continue;
        }
        for (i = 0; scopes[s].lines && i < scopes[s].lines->nelts; i++) {
            const apr_array_header_t *w =
                APR_ARRAY_IDX(scopes[s].lines, i, apr_array_header_t *);
            for (j = 0; j < w->nelts; j++) {
                const char *t = APR_ARRAY_IDX(w, j, const char *);
                int sign = (*t == '+' || *t == '-');
                if (j == 0 && !sign) {
                    refused = 0;
                }
                if (word_decides(t + sign, m, dav)) {
                    refused = *t != '-';
                }
            }
        }
    }
    return refused;
}

/* ------------------------------------------------------------ checks */

static void check_names(const notimpl_set_t *s)
{
    int i;

    for (i = 1; i < s->n_names; i++) {
        if (strcmp(s->names[i - 1].name, s->names[i].name) >= 0) {
            abort();
        }
    }
}

static void check_get(const notimpl_set_t *s)
{
    if (notimpl_set_has(s, NOTIMPL_M_GET, "GET")
        || notimpl_set_has(s, number_of("HEAD"), "HEAD")
        || (s->bits & NOTIMPL_BIT(NOTIMPL_M_GET))
        || (s->bits & NOTIMPL_BIT(NOTIMPL_M_INVALID))) {
        abort();
    }
    check_names(s);
}

static void check_equal(const notimpl_set_t *a, const notimpl_set_t *b)
{
    int i;

    if (a->bits != b->bits || a->decides != b->decides
        || a->unknown != b->unknown || a->allowlist != b->allowlist
        || a->n_names != b->n_names) {
        abort();
    }
    for (i = 0; i < a->n_names; i++) {
        if (strcmp(a->names[i].name, b->names[i].name) != 0
            || a->names[i].refused != b->names[i].refused) {
            abort();
        }
    }
}

static int has(const notimpl_set_t *s, const char *m)
{
    return notimpl_set_has(s, number_of(m), m);
}

/* Every name listed is implemented, once; GET and HEAD always are. */
static void check_implemented(apr_pool_t *p, const notimpl_set_t *s,
                              int all, const notimpl_resolver_t *res)
{
    apr_array_header_t *list = notimpl_set_implemented(p, s, all, 0, res);
    int i, j;

    if (list == NULL) {
        if (all || s->allowlist == 1) {
            abort();
        }
        return;
    }
    if (list->nelts < 2
        || strcmp(APR_ARRAY_IDX(list, 0, const char *), "GET") != 0
        || strcmp(APR_ARRAY_IDX(list, 1, const char *), "HEAD") != 0) {
        abort();
    }
    for (i = 0; i < list->nelts; i++) {
        const char *m = APR_ARRAY_IDX(list, i, const char *);
        if (has(s, m)) {
            abort();
        }
        for (j = 0; j < i; j++) {
            if (strcmp(m, APR_ARRAY_IDX(list, j, const char *)) == 0) {
                abort();
            }
        }
    }
}

/* ------------------------------------------------------------ input */

static apr_array_header_t *split(apr_pool_t *p, char *s, const char *sep)
{
    apr_array_header_t *out = apr_array_make(p, 4, sizeof(char *));
    char *last, *tok;

    for (tok = apr_strtok(s, sep, &last); tok;
         tok = apr_strtok(NULL, sep, &last)) {
        APR_ARRAY_PUSH(out, char *) = tok;
    }
    return out;
}

static int parse_scopes(apr_pool_t *p, char *text, scope_t *scopes)
{
    apr_array_header_t *parts = split(p, text, ";");
    int n = 0, i, j;

    for (i = 0; i < parts->nelts && n < MAX_SCOPES; i++, n++) {
        apr_array_header_t *lines = split(p, APR_ARRAY_IDX(parts, i, char *),
                                          "\n");
        scopes[n].lines = NULL;
        scopes[n].implemented = NULL;
        for (j = 0; j < lines->nelts; j++) {
            apr_array_header_t *w = split(p, APR_ARRAY_IDX(lines, j, char *),
                                          " \t");
            if (w->nelts == 0) {
                continue;                  /* the directives need a word */
            }
            if (strcmp(APR_ARRAY_IDX(w, 0, const char *), "=") == 0) {
                int k;
                for (k = 1; k < w->nelts; k++) {
                    if (scopes[n].implemented == NULL) {
                        scopes[n].implemented = apr_array_make(p, 4,
                                                               sizeof(char *));
                    }
                    APR_ARRAY_PUSH(scopes[n].implemented, char *) =
                        APR_ARRAY_IDX(w, k, char *);
                }
                continue;
            }
            if (scopes[n].lines == NULL) {
                scopes[n].lines = apr_array_make(p, 2, sizeof(void *));
            }
            APR_ARRAY_PUSH(scopes[n].lines, apr_array_header_t *) = w;
        }
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const probes[] = {
        "GET", "HEAD", "PUT", "PATCH", "PURGE", "PROPFIND", "REPORT",
        "BREW", "get", "unknown", "webdav", "", NULL
    };
    apr_pool_t *p;
    notimpl_resolver_t res = { number_of, name_of, 0 };
    scope_t scopes[MAX_SCOPES];
    notimpl_set_t change[MAX_SCOPES], start, left, right, tail, srv;
    apr_array_header_t *allow, *tokens;
    const char *te, *coding, *kept;
    char *text;
    int n, i, j, k;

    if (root == NULL) {
        apr_initialize();
        apr_pool_create(&root, NULL);
    }
    apr_pool_create(&p, root);
    res.dav_loaded = size > 0 && (data[0] & 1);
    text = size > 0 ? apr_pstrmemdup(p, (const char *)data + 1, size - 1)
                    : apr_pstrdup(p, "");
    te = apr_pstrmemdup(p, (const char *)data, size);

    n = parse_scopes(p, apr_pstrdup(p, text), scopes);
    for (i = n; i < MAX_SCOPES; i++) {
        scopes[i].lines = scopes[i].implemented = NULL;
    }
    for (i = 0; i < MAX_SCOPES; i++) {
        notimpl_set_compile(p, &change[i], scopes[i].lines,
                            scopes[i].implemented, &res);
        check_names(&change[i]);
        if (change[i].bits & ~change[i].decides) {
            abort();                   /* refuses only what it decides */
        }
    }

    /* (A then B) then C == A then (B then C), alone and on auto. */
    notimpl_set_then(p, &left, &change[0], &change[1]);
    notimpl_set_then(p, &left, &left, &change[2]);
    notimpl_set_then(p, &tail, &change[1], &change[2]);
    notimpl_set_then(p, &right, &change[0], &tail);
    check_equal(&left, &right);
    check_names(&left);

    notimpl_set_auto(&start, &res);
    notimpl_set_then(p, &srv, &start, &change[0]);
    notimpl_set_then(p, &srv, &srv, &change[1]);
    notimpl_set_then(p, &srv, &srv, &change[2]);
    notimpl_set_then(p, &right, &start, &left);
    check_equal(&srv, &right);
    check_get(&srv);

    /* The model, on every word written and a few probes. */
    allow = apr_array_make(p, 16, sizeof(const char *));
    for (i = 0; probes[i]; i++) {
        APR_ARRAY_PUSH(allow, const char *) = probes[i];
    }
    for (i = 0; i < MAX_SCOPES; i++) {
        const apr_array_header_t *w = scopes[i].implemented;
        for (j = 0; w && j < w->nelts; j++) {
            APR_ARRAY_PUSH(allow, const char *) =
                APR_ARRAY_IDX(w, j, const char *);
        }
        for (j = 0; scopes[i].lines && j < scopes[i].lines->nelts; j++) {
            w = APR_ARRAY_IDX(scopes[i].lines, j, apr_array_header_t *);
            for (k = 0; k < w->nelts; k++) {
                const char *t = APR_ARRAY_IDX(w, k, const char *);
                APR_ARRAY_PUSH(allow, const char *) =
                    t + (*t == '+' || *t == '-');
            }
        }
    }
    for (i = 0; i < allow->nelts; i++) {
        const char *m = APR_ARRAY_IDX(allow, i, const char *);
        if (has(&srv, m) != model_refuses(scopes, MAX_SCOPES, m,
                                          res.dav_loaded)) {
            abort();
        }
    }

    check_implemented(p, &srv, 0, &res);
    check_implemented(p, &srv, 1, &res);
    check_implemented(p, &left, 1, &res);

    /* Allow keeps exactly the methods neither set refuses, in order. */
    tokens = apr_array_make(p, allow->nelts, sizeof(const char *));
    for (i = 0; i < allow->nelts; i++) {
        const char *m = APR_ARRAY_IDX(allow, i, const char *);
        if (*m && !strpbrk(m, ", \t")) {      /* one token of a value */
            APR_ARRAY_PUSH(tokens, const char *) = m;
        }
    }
    kept = notimpl_allow_without(p, apr_array_pstrcat(p, tokens, ','), &srv,
                                 &left, &res);
    {
        apr_array_header_t *out = split(p, apr_pstrdup(p, kept), ", \t");
        for (i = j = 0; i < tokens->nelts; i++) {
            const char *m = APR_ARRAY_IDX(tokens, i, const char *);
            if (has(&srv, m) || has(&left, m)) {
                continue;
            }
            if (j >= out->nelts
                || strcmp(APR_ARRAY_IDX(out, j, const char *), m) != 0) {
                abort();
            }
            j++;
        }
        if (j != out->nelts) {
            abort();
        }
    }

    /* The same bytes as a Transfer-Encoding value: NULL, or one coding
     * other than chunked, as sent. */
    coding = notimpl_unsupported_coding(p, te);
    if (coding && (*coding == '\0' || strchr(coding, ',')
                   || strcasecmp(coding, "chunked") == 0
                   || strstr(te, coding) == NULL)) {
        abort();
    }
    apr_pool_destroy(p);
    return 0;
}
