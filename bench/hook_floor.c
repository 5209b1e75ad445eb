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

/* hook_floor.c — mod_bench_floor, a measuring aid for bench/run, never
 * installed: a module that does nothing, wired into httpd exactly where
 * mod_notimpl is.  It has a per-directory and a per-server configuration
 * with merge functions, and the three hooks every request passes through
 * (post_read_request last, header_parser first, handler), each of which
 * returns at once, except that post_read_request answers an unregistered
 * method with a bare 501.  (mod_notimpl's insert_error_filter
 * hook has no counterpart here: it runs only for an error response.)
 *
 * What httpd spends on such a module per request (calling its hooks,
 * merging its configuration slots, the larger per-request vectors) is the
 * floor under any module with that shape; bench/run measures it in the
 * same run as stock httpd and mod_notimpl, so the module's own share of an
 * allowed GET can be told apart from the cost of being loaded at all, and
 * its 501 from the cost of deciding after the request headers. */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"

module AP_MODULE_DECLARE_DATA bench_floor_module;

typedef struct {
    int set;
} floor_conf_t;

static void *floor_create(apr_pool_t *p, char *dir)
{
    (void)dir;
    return apr_pcalloc(p, sizeof(floor_conf_t));
}

static void *floor_create_server(apr_pool_t *p, server_rec *s)
{
    (void)s;
    return apr_pcalloc(p, sizeof(floor_conf_t));
}

/* Like mod_notimpl's: a section that says nothing shares its parent. */
static void *floor_merge(apr_pool_t *p, void *base, void *add)
{
    (void)p;
    return ((floor_conf_t *)add)->set ? add : base;
}

/* An unregistered method gets the cheapest 501 a module can give once
 * the headers are read: httpd's canned page, no work of its own. */
static int floor_post_read_request(request_rec *r)
{
    const floor_conf_t *c =
        ap_get_module_config(r->server->module_config, &bench_floor_module);
    if (r->method_number == M_INVALID) {
        return HTTP_NOT_IMPLEMENTED;
    }
    return c->set ? OK : DECLINED;
}

static int floor_header_parser(request_rec *r)
{
    const floor_conf_t *c =
        ap_get_module_config(r->per_dir_config, &bench_floor_module);
    return c->set ? OK : DECLINED;
}

static int floor_handler(request_rec *r)
{
    (void)r;
    return DECLINED;
}

/* BenchFloorLine: a directive that only marks its server, so that a
 * host's one-line policy can be told apart from httpd's cost of reading,
 * dispatching and merging any one-line directive. */
static const char *floor_line(cmd_parms *cmd, void *dconf, const char *args)
{
    floor_conf_t *c =
        ap_get_module_config(cmd->server->module_config, &bench_floor_module);

    (void)dconf, (void)args;
    c->set = 1;
    return NULL;
}

static const command_rec floor_cmds[] = {
    AP_INIT_RAW_ARGS("BenchFloorLine", floor_line, NULL, RSRC_CONF,
                     "anything: marks the server"),
    { NULL, { NULL }, NULL, 0, RAW_ARGS, NULL }
};

static void floor_hooks(apr_pool_t *p)
{
    static const char *const after[] = { "mod_proxy.c", "mod_http2.c", NULL };

    (void)p;
    ap_hook_post_read_request(floor_post_read_request, after, NULL,
                              APR_HOOK_LAST);
    ap_hook_header_parser(floor_header_parser, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_handler(floor_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(bench_floor) = {
    STANDARD20_MODULE_STUFF,
    floor_create, floor_merge, floor_create_server, floor_merge, floor_cmds,
    floor_hooks,
#if AP_MODULE_MAGIC_AT_LEAST(20120211, 70)
    0                           /* like mod_notimpl: no ALWAYS_MERGE */
#endif
};
