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

/* notimpl_status.c — where the demand counters meet httpd (see
 * notimpl_status.h); their documents are made in notimpl_report.c. */
#include <string.h>
#include "apr_hash.h"
#include "apr_shm.h"
#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "mod_core.h"
#include "mod_status.h"

#include "notimpl_report.h"
#include "notimpl_status.h"

APLOG_USE_MODULE(notimpl);

/* httpd unloads and reloads the module on every restart: the segment
 * outlives that in retained data. */
#define RETAINED_KEY "mod_notimpl.c:counters"

/* docs/observability.md: the IANA HTTP Method Registry, then two methods
 * in wide use that it does not list (yet). */
static const char *const iana_methods[] = {
    "ACL", "BASELINE-CONTROL", "BIND", "CHECKIN", "CHECKOUT", "CONNECT",
    "COPY", "DELETE", "GET", "HEAD", "LABEL", "LINK", "LOCK", "MERGE",
    "MKACTIVITY", "MKCALENDAR", "MKCOL", "MKREDIRECTREF", "MKWORKSPACE",
    "MOVE", "OPTIONS", "ORDERPATCH", "PATCH", "POST", "PRI", "PROPFIND",
    "PROPPATCH", "PUT", "REBIND", "REPORT", "SEARCH", "TRACE", "UNBIND",
    "UNCHECKOUT", "UNLINK", "UNLOCK", "UPDATE", "UPDATEREDIRECTREF",
    "VERSION-CONTROL", "QUERY", "PURGE"
};

/* Set in the parent, read-only in the children (inherited across fork()
 * at the same address, so no child_init attach): the block, the closed
 * set and where each of its names counts. */
static notimpl_counters_t *table;
static apr_array_header_t *names;
static notimpl_count_ref_t *refs;                   /* one per name */
static const notimpl_count_ref_t *by_number[METHODS];
/* Extension names -> refs[]: open addressing, at most half full, so a
 * name outside the closed set (most of what clients invent) mostly meets
 * an empty slot at once (counting costs a 501 about 90 Ir in all:
 * bench/README.md).  A client that aims at the longest run of taken
 * slots walks at most the closed set. */
typedef struct {
    const char *name;
    const notimpl_count_ref_t *ref;
} name_slot_t;
static name_slot_t *name_slots;
static apr_size_t name_slots_mask;

static apr_size_t name_hash(const char *s)
{
    apr_size_t h = 5381;

    for (; *s; s++) {
        h = h * 33 + (unsigned char)*s;
    }
    return h;
}

/* The generation's names into the block (refs[] rewritten in place, so
 * by_number and name_slots stay valid); with s, says in one line which
 * found no slot (NI0103). */
static void declare_names(server_rec *s)
{
    const char *const *n = (const char *const *)names->elts;
    int i, misfits, listed = 0;
    const char *list = "";

    misfits = notimpl_counters_declare(table, n, names->nelts, refs);
    if (misfits == 0 || !s) {
        return;
    }
    for (i = 0; i < names->nelts && listed < 10; i++) {
        if (!refs[i].named) {
            list = apr_pstrcat(names->pool, list, listed++ ? " " : "",
                               ap_escape_logitem(names->pool, n[i]), NULL);
        }
    }
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, "NI0103: demand counters: "
                 "%d method name(s) found no slot (all %d taken, or not a "
                 "token of at most %d bytes) and count under other: %s%s",
                 misfits, NOTIMPL_COUNTERS_METHODS, NOTIMPL_COUNTERS_NAME_MAX,
                 list, misfits > listed ? " ..." : "");
}

/* The closed set, each name once, and the lookups into refs[].  Slots go
 * first to the methods httpd has registered, then to the IANA names, then
 * to what the configuration declares, so a configuration with more names
 * than slots never pushes a registered or IANA name out. */
static void closed_set(apr_pool_t *p, const apr_array_header_t *declared)
{
    apr_hash_t *seen = apr_hash_make(p);
    int i, pass, num;

    names = apr_array_make(p, declared->nelts + 64, sizeof(const char *));
    for (pass = 0; pass < 3; pass++) {
        int n = pass == 1 ? (int)(sizeof(iana_methods)
                                  / sizeof(*iana_methods)) : declared->nelts;

        for (i = 0; i < n; i++) {
            const char *name = pass == 1 ? iana_methods[i]
                : APR_ARRAY_IDX(declared, i, const char *);

            if (pass != 1 && (ap_method_number_of(name) != M_INVALID)
                != (pass == 0)) {
                continue;
            }
            if (!apr_hash_get(seen, name, APR_HASH_KEY_STRING)) {
                apr_hash_set(seen, name, APR_HASH_KEY_STRING, name);
                APR_ARRAY_PUSH(names, const char *) = name;
            }
        }
    }
    refs = apr_pcalloc(p, sizeof(*refs) * names->nelts);
    for (name_slots_mask = 7; name_slots_mask < 2u * (apr_size_t)names->nelts;
         name_slots_mask = 2 * name_slots_mask + 1) {
    }
    name_slots = apr_pcalloc(p, sizeof(*name_slots) * (name_slots_mask + 1));
    memset(by_number, 0, sizeof(by_number));
    for (i = 0; i < names->nelts; i++) {
        const char *name = APR_ARRAY_IDX(names, i, const char *);
        apr_size_t at;

        num = ap_method_number_of(name);
        if (num >= 0 && num < METHODS && num != M_INVALID) {
            by_number[num] = &refs[i];
            continue;
        }
        for (at = name_hash(name) & name_slots_mask; name_slots[at].name;
             at = (at + 1) & name_slots_mask) {
        }
        name_slots[at].name = name;
        name_slots[at].ref = &refs[i];
    }
}

int notimpl_status_post_config(server_rec *s,
                               const apr_array_header_t *declared)
{
    apr_pool_t *p = s->process->pool;
    const char *fname = NULL;
    apr_shm_t **shm;
    apr_status_t rv;

    /* The first of httpd's two start-up passes only checks the config. */
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        return OK;
    }
    closed_set(declared->pool, declared);
    shm = ap_retained_data_get(RETAINED_KEY);
    if (shm == NULL) {
        shm = ap_retained_data_create(RETAINED_KEY, sizeof(*shm));
    }
    table = *shm ? apr_shm_baseaddr_get(*shm) : NULL;
    /* A graceful restart keeps a usable block, counts and all. */
    if (!notimpl_counters_usable(table)) {
        if (*shm) {
            /* Retained from another build; the old generation's children
             * keep their mapping until they exit. */
            ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, "NI0102: demand "
                         "counters restart: the retained table has another "
                         "layout");
            apr_shm_destroy(*shm);
        }
        /* Anonymous memory where the platform has it (nothing on disk to
         * clean up), else a named segment under DefaultRuntimeDir.  From
         * the process pool: pconf is cleared on every restart. */
        rv = apr_shm_create(shm, sizeof(*table), NULL, p);
        if (rv == APR_ENOTIMPL) {
            fname = ap_runtime_dir_relative(p, "notimpl-counters.shm");
            apr_shm_remove(fname, p);   /* left by a crashed server */
            rv = apr_shm_create(shm, sizeof(*table), fname, p);
        }
        if (rv != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, "NI0101: cannot "
                         "create shared memory (%" APR_SIZE_T_FMT " bytes%s"
                         "%s) for the demand counters", sizeof(*table),
                         fname ? ", " : "", fname ? fname : "");
            *shm = NULL;
            table = NULL;
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        table = apr_shm_baseaddr_get(*shm);
        notimpl_counters_reset(table, apr_time_now());
    }
    declare_names(s);
    return OK;
}

int notimpl_status_pre_mpm(apr_pool_t *p, ap_scoreboard_e sb_type)
{
    (void)p;
    (void)sb_type;
    /* No child runs now (none yet, or a full restart reaped them all);
     * post_config has said what did not fit. */
    if (table) {
        notimpl_counters_reset(table, apr_time_now());
        declare_names(NULL);
    }
    return OK;
}

/* Where a name outside the closed set counts. */
static const notimpl_count_ref_t other_method = {
    NOTIMPL_COUNT_METHOD, 0, -1, 0
};

/* Where a method counts: its slot's ref, or other_method. */
static APR_INLINE const notimpl_count_ref_t *method_ref(int method_number,
                                            const char *method)
{
    apr_size_t at;

    if (method_number >= 0 && method_number < METHODS
        && method_number != M_INVALID) {
        return by_number[method_number] ? by_number[method_number]
                                        : &other_method;
    }
    for (at = name_slots ? name_hash(method) & name_slots_mask : 0;
         name_slots && name_slots[at].name; at = (at + 1) & name_slots_mask) {
        if (strcmp(name_slots[at].name, method) == 0) {
            return name_slots[at].ref;
        }
    }
    return &other_method;
}

void notimpl_status_ref(int method_number, const char *method,
                        const char *coding, notimpl_count_ref_t *ref)
{
    if (coding) {
        notimpl_counters_coding(coding, ref);
    }
    else {
        *ref = *method_ref(method_number, method);
    }
}

/* Out of line: a refused transfer coding is rare, and its ref on the
 * stack would cost every refused method a stack-protector check. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void refused_coding(const char *coding)
{
    notimpl_count_ref_t ref;

    notimpl_counters_coding(coding, &ref);
    notimpl_counters_add(table, &ref, NOTIMPL_REFUSED);
}

void notimpl_status_refused(int method_number, const char *method,
                            const char *coding)
{
    if (table == NULL) {
        return;
    }
    if (coding) {
        refused_coding(coding);
        return;
    }
    notimpl_counters_add(table, method_ref(method_number, method),
                         NOTIMPL_REFUSED);
}

void notimpl_status_count(const notimpl_count_ref_t *ref,
                          notimpl_outcome_e outcome)
{
    if (table) {
        notimpl_counters_add(table, ref, outcome);
    }
}

/* Out of line: inlined, its large frame would be set up for every
 * request that merely passes through notimpl_status_handler (bench/README.md,
 * "Why notimpl_status.c keeps serve_status out of line"). */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int serve_status(request_rec *r)
{
    notimpl_snapshot_t snap;
    notimpl_report_e report;
    const char *body;

    if (strcmp(r->handler, NOTIMPL_STATUS_HANDLER) != 0) {
        return DECLINED;
    }
    /* Read-only: GET (so HEAD) and OPTIONS, answered here as core's
     * default handler would add POST.  r->allowed for older readers. */
    r->allowed = (AP_METHOD_BIT << M_GET) | (AP_METHOD_BIT << M_OPTIONS);
    ap_allow_standard_methods(r, REPLACE_ALLOW, M_GET, M_OPTIONS, -1);
    if (r->method_number == M_OPTIONS) {
        return ap_send_http_options(r);
    }
    if (r->method_number != M_GET) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    report = notimpl_report_from_args(r->args);
    if (report == NOTIMPL_REPORT_BAD) {
        return HTTP_BAD_REQUEST;
    }
    if (table == NULL) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    notimpl_counters_snapshot(r->pool, table, &snap);
    if (report == NOTIMPL_REPORT_PROMETHEUS) {
        body = notimpl_report_prometheus(r->pool, &snap);
        ap_set_content_type(r, "text/plain; version=0.0.4; charset=utf-8");
    }
    else {
        body = notimpl_report_json(r->pool, &snap);
        ap_set_content_type(r, "application/json; charset=utf-8");
    }
    ap_set_content_length(r, strlen(body));
    if (!r->header_only) {
        ap_rputs(body, r);
    }
    return OK;
}

int notimpl_status_handler(request_rec *r)
{
    /* Every request passes here: one byte decides for almost all. */
    if (r->handler == NULL || r->handler[0] != NOTIMPL_STATUS_HANDLER[0]) {
        return DECLINED;
    }
    return serve_status(r);
}

int notimpl_status_hook(request_rec *r, int flags)
{
    notimpl_snapshot_t snap;

    if (table == NULL) {
        return OK;
    }
    notimpl_counters_snapshot(r->pool, table, &snap);
    ap_rputs(flags & AP_STATUS_SHORT ? notimpl_report_auto(r->pool, &snap)
             : notimpl_report_html(r->pool, &snap,
                                   !(flags & AP_STATUS_NOTABLE)), r);
    return OK;
}
