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

/* poolcheck.c — preloaded into httpd for the memcheck run (run.sh) only.
 *
 * Debian's APR takes pool memory from mmap in 8 KiB nodes and carves
 * apr_palloc() blocks out of them.  Memcheck sees a node as one defined
 * region: a module writing past the end of a pool block, or branching on
 * pool memory it never wrote, goes unnoticed.  APR's own remedy
 * (--enable-pool-debug) needs a rebuilt libapr; this does the same from
 * outside: every apr_palloc() block is its own malloc(), which memcheck
 * surrounds with red zones and marks undefined until written, and the
 * blocks of a pool are freed when the pool is cleared or destroyed, after
 * APR has run the pool's cleanups (so a cleanup may still read them).
 *
 * apr_psprintf() and the bucket allocators do not go through apr_palloc()
 * and keep APR's own memory.  Interposition reaches calls made inside
 * libapr too (apr_pstrdup, apr_pstrcat, tables, arrays, hashes): libapr is
 * not linked with -Bsymbolic. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_pools.h>

typedef struct block {
    struct block *next;
    void *mem;
} block_t;

typedef struct tracked {
    struct tracked *next;
    const apr_pool_t *pool;
    block_t *blocks;
} tracked_t;

#define BUCKETS 4096

static tracked_t *table[BUCKETS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void (*real_clear)(apr_pool_t *);
static void (*real_destroy)(apr_pool_t *);

static size_t bucket_of(const apr_pool_t *p)
{
    return ((uintptr_t)p >> 4) % BUCKETS;
}

static void *next_symbol(const char *name)
{
    void *sym = dlsym(RTLD_NEXT, name);
    if (sym == NULL) {
        abort();
    }
    return sym;
}

/* Unlinks pool's record, so that a new pool at the same address starts
 * afresh; the caller frees the blocks. */
static tracked_t *take(const apr_pool_t *p)
{
    tracked_t **at, *t = NULL;

    pthread_mutex_lock(&lock);
    for (at = &table[bucket_of(p)]; *at; at = &(*at)->next) {
        if ((*at)->pool == p) {
            t = *at;
            *at = t->next;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
    return t;
}

static void release(tracked_t *t)
{
    block_t *b, *next;

    if (t == NULL) {
        return;
    }
    for (b = t->blocks; b; b = next) {
        next = b->next;
        free(b->mem);
        free(b);
    }
    free(t);
}

APR_DECLARE(void *) apr_palloc(apr_pool_t *p, apr_size_t size)
{
    size_t i = bucket_of(p);
    tracked_t *t;
    block_t *b = malloc(sizeof(*b));
    /* malloc(0) may return NULL; APR never does. */
    void *mem = malloc(size ? size : 1);

    if (b == NULL || mem == NULL) {
        abort();
    }
    b->mem = mem;
    pthread_mutex_lock(&lock);
    for (t = table[i]; t && t->pool != p; t = t->next)
        ;
    if (t == NULL) {
        t = calloc(1, sizeof(*t));
        if (t == NULL) {
            abort();
        }
        t->pool = p;
        t->next = table[i];
        table[i] = t;
    }
    b->next = t->blocks;
    t->blocks = b;
    pthread_mutex_unlock(&lock);
    return mem;
}

/* apr_pools.h makes apr_pcalloc a macro over apr_palloc; the function
 * still exists for callers built otherwise. */
#undef apr_pcalloc
APR_DECLARE(void *) apr_pcalloc(apr_pool_t *p, apr_size_t size)
{
    return memset(apr_palloc(p, size), 0, size);
}

APR_DECLARE(void) apr_pool_clear(apr_pool_t *p)
{
    if (real_clear == NULL) {
        real_clear = (void (*)(apr_pool_t *))next_symbol("apr_pool_clear");
    }
    real_clear(p);
    release(take(p));
}

APR_DECLARE(void) apr_pool_destroy(apr_pool_t *p)
{
    if (real_destroy == NULL) {
        real_destroy =
            (void (*)(apr_pool_t *))next_symbol("apr_pool_destroy");
    }
    real_destroy(p);
    release(take(p));
}
