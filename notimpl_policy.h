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

/* notimpl_policy.h — the method policy: which methods a scope does not
 * implement, which transfer codings it cannot decode, and Allow values
 * that agree with both.
 *
 * A set is a bit mask over httpd's method numbers plus a short sorted
 * list of extension names.  The same type says what one scope's
 * directives change (`decides`: the numbers it touches; -1: inherited),
 * so stacking scopes is a few mask operations.  Pure: httpd's registry is
 * reached through a resolver, so unit tests and fuzzers need no httpd. */
#ifndef NOTIMPL_POLICY_H
#define NOTIMPL_POLICY_H

#include <apr_pools.h>
#include <apr_tables.h>

/* httpd's numbering (httpd.h); mod_notimpl.c checks that they agree. */
#define NOTIMPL_M_GET       0
#define NOTIMPL_M_INVALID   26
#define NOTIMPL_METHODS     64

#define NOTIMPL_BIT(n) (((apr_uint64_t)1) << (n))

typedef struct {
    const char *name;
    int refused;
} notimpl_name_t;

typedef struct {
    apr_uint64_t bits;      /* numbers refused; never GET, never M_INVALID */
    apr_uint64_t decides;   /* numbers decided here; the rest inherited */
    signed char unknown;    /* unregistered names refused (1) or not (0) */
    signed char allowlist;  /* from NotImplImplemented (1) or not (0) */
    int n_names;
    const notimpl_name_t *names;  /* sorted: names decided one by one */
} notimpl_set_t;

typedef struct {
    int (*number_of)(const char *method);            /* ap_method_number_of */
    const char *(*name_of)(apr_pool_t *p, int number); /* ap_method_name_of */
    int dav_loaded;                                  /* what `auto` means */
} notimpl_resolver_t;

int notimpl_name_refused(const notimpl_set_t *set, const char *method);

/* The one test on the request path: a bit for every method httpd knows. */
static APR_INLINE int notimpl_set_has(const notimpl_set_t *set, int number,
                                      const char *method)
{
    if (number != NOTIMPL_M_INVALID) {
        return (set->bits & NOTIMPL_BIT(number)) != 0;
    }
    /* A set that names no extension method decides every other name
     * alike: no call for a junk method. */
    return set->n_names > 0 ? notimpl_name_refused(set, method)
                            : set->unknown == 1;
}

/* 0 when the set surely leaves method number alone (a name is decided
 * by name): a test without a call, for hooks that run on every request. */
static APR_INLINE int notimpl_set_may_have(const notimpl_set_t *set,
                                           int number)
{
    return number == NOTIMPL_M_INVALID
           || (set->bits & NOTIMPL_BIT(number)) != 0;
}

/* Refuses and inherits nothing (where a directory scope starts,
 * docs/behaviour.md "Scopes" 2); notimpl_set_auto(): the set before any
 * directive. */
extern const notimpl_set_t notimpl_set_empty;
void notimpl_set_auto(notimpl_set_t *set, const notimpl_resolver_t *res);

/* 1 for unknown, webdav, deltav and auto (exact, lower case). */
int notimpl_is_group(const char *s);
/* The group s is one or two edits away from ("webdab", "WebDAV"), for a
 * start-up warning; NULL when none. */
const char *notimpl_group_like(const char *s);

/* What one scope's directives change: its NotImplMethods lines in order
 * (apr_array_header_t * of const char * words each) or, when implemented
 * is not NULL, that allowlist alone (it takes precedence at one scope). */
void notimpl_set_compile(apr_pool_t *p, notimpl_set_t *out,
                         const apr_array_header_t *lines,
                         const apr_array_header_t *implemented,
                         const notimpl_resolver_t *res);
/* out = base, then what change changes.  out may be base. */
void notimpl_set_then(apr_pool_t *p, notimpl_set_t *out,
                      const notimpl_set_t *base, const notimpl_set_t *change);

/* GET, HEAD, then every other known method the set leaves out, bar those
 * in leave_out (TRACE under TraceEnable off, CONNECT where nothing proxies
 * it): an allowlist's implemented methods, or with all, OPTIONS *'s.
 * NULL when the set is not an allowlist and all is 0. */
apr_array_header_t *notimpl_set_implemented(apr_pool_t *p,
                                            const notimpl_set_t *set,
                                            int all, apr_uint64_t leave_out,
                                            const notimpl_resolver_t *res);

/* allow with every method either set refuses removed (b may be NULL);
 * allow itself when nothing is. */
const char *notimpl_allow_without(apr_pool_t *p, const char *allow,
                                  const notimpl_set_t *a,
                                  const notimpl_set_t *b,
                                  const notimpl_resolver_t *res);

/* RFC 9112 §6.1: the first coding in a Transfer-Encoding value other
 * than chunked, as sent, or NULL when there is none. */
const char *notimpl_unsupported_coding(apr_pool_t *p, const char *te);

#endif
