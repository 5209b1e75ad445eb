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

/* pool_probe.c — mod_bench_pool, a measuring aid for bench/run, never
 * installed: notes how many bytes of its request pool each request used,
 * for the access log (%{bench-pool-bytes}n).
 *
 * APR has no public "bytes used" call outside APR_POOL_DEBUG builds, and
 * malloc-level tools (massif, dhat) see nothing per request because pools
 * recycle their 8 KiB blocks.  So this walks the pool's blocks instead:
 * apr_memnode_t is public (apr_allocator.h), and APR 1.x places a pool's
 * apr_pool_t at the start of its first block, right after the node
 * header.  Every block of the pool is on that node's ring.  The walk is
 * checked for sanity; a layout it does not recognise gives "-1". */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "apr_allocator.h"
#include "apr_strings.h"

static long pool_bytes_used(apr_pool_t *pool)
{
    apr_memnode_t *self = (apr_memnode_t *)((char *)pool - APR_MEMNODE_T_SIZE);
    apr_memnode_t *node = self;
    long used = 0;
    int blocks = 0;

    do {
        char *start = (char *)node + APR_MEMNODE_T_SIZE;
        if (node == NULL || node->first_avail < start
            || node->first_avail > node->endp
            || (node->endp - (char *)node) % 4096 != 0
            || ++blocks > 100000) {
            return -1;
        }
        used += node->first_avail - start;
        node = node->next;
    } while (node != self);
    return used;
}

/* First among log_transaction hooks, so that mod_log_config (which runs
 * later) finds the note: what the request used up to logging. */
static int bench_pool_log(request_rec *r)
{
    apr_table_setn(r->notes, "bench-pool-bytes",
                   apr_ltoa(r->pool, pool_bytes_used(r->pool)));
    return DECLINED;
}

static void bench_pool_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_log_transaction(bench_pool_log, NULL, NULL, APR_HOOK_REALLY_FIRST);
}

AP_DECLARE_MODULE(bench_pool) = {
    STANDARD20_MODULE_STUFF, NULL, NULL, NULL, NULL, NULL, bench_pool_hooks,
    AP_MODULE_FLAG_NONE
};
