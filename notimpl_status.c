/* notimpl_status.c — where the demand counters meet httpd (see
 * notimpl_status.h). */
#include <string.h>
#include "apr_escape.h"
#include "apr_shm.h"

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "mod_core.h"
#include "mod_status.h"

#include "notimpl_counters.h"
#include "notimpl_status.h"

APLOG_USE_MODULE(notimpl);

#define U64 "%" APR_UINT64_T_FMT

/* httpd unloads and reloads the module on every restart: the segment
 * outlives that in retained data. */
#define RETAINED_KEY "mod_notimpl.c:counters"

/* Children inherit the mapping at the same address across fork(): no
 * child_init attach. */
static notimpl_counters_t *table;
static const apr_array_header_t *exact_names;

/* Gives each exact name its slot; with s, says which found none. */
static void declare_all(server_rec *s)
{
    int i;

    for (i = 0; i < exact_names->nelts; i++) {
        const char *name = APR_ARRAY_IDX(exact_names, i, const char *);

        if (!notimpl_counters_declare(table, name) && s) {
            ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, "NI0103: demand "
                         "counters: no exact slot left for method %s, "
                         "counted in the shared pool",
                         ap_escape_logitem(exact_names->pool, name));
        }
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
    exact_names = declared;
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
    declare_all(s);
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
        declare_all(NULL);
    }
    return OK;
}

void notimpl_status_count(const char *method, const char *coding,
                          int would_refuse)
{
    if (table) {
        notimpl_counters_add(table, coding ? NOTIMPL_COUNT_CODING
                                           : NOTIMPL_COUNT_METHOD,
                             coding ? coding : method, would_refuse);
    }
}

/* Out of line: inlined, its large frame would be set up for every
 * request that merely passes through notimpl_status_handler.  With the
 * first-byte test below, this saves 44 instructions per GET (bench/run
 * instructions: 76 inside the module, 120 with a plain strcmp). */
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
    report = notimpl_counters_report_from_args(r->args);
    if (report == NOTIMPL_REPORT_BAD) {
        return HTTP_BAD_REQUEST;
    }
    if (table == NULL) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    notimpl_counters_snapshot(r->pool, table, &snap);
    if (report == NOTIMPL_REPORT_PROMETHEUS) {
        body = notimpl_counters_prometheus(r->pool, &snap);
        ap_set_content_type(r, "text/plain; version=0.0.4; charset=utf-8");
    }
    else {
        body = notimpl_counters_json(r->pool, &snap);
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

/* Tally w in ?auto: "Key: value" lines, keys unique.  A name never holds
 * a space (notimpl_counters_add), so "NotImplMethod NAME" splits at ": ". */
static void auto_tally(request_rec *r, const notimpl_snapshot_t *s, int w)
{
    static const char *const key[2] = { "Method", "TransferCoding" };
    const notimpl_tally_t *t = w ? &s->would : &s->served;
    const char *pre = w ? "NotImplWouldRefuse" : "NotImpl";
    int k, i;

    ap_rprintf(r, "%sTotal: " U64 "\n%sOtherMethods: " U64 "\n"
               "%sOtherTransferCodings: " U64 "\n", pre, t->total, pre,
               t->other[NOTIMPL_COUNT_METHOD], pre,
               t->other[NOTIMPL_COUNT_CODING]);
    if (w == 0) {
        ap_rprintf(r, "NotImplSince: %s\nNotImplSlotsUsed: %d\n"
                   "NotImplSlots: %d\n", notimpl_counters_rfc3339(r->pool,
                   s->since), s->slots_used, s->slots);
    }
    for (k = 0; k < 2; k++) {
        for (i = 0; i < t->n[k]; i++) {
            ap_rprintf(r, "%s%s %s: " U64 "\n", pre, key[k],
                       apr_pescape_echo(r->pool, t->rows[k][i].name, 0),
                       t->rows[k][i].count);
        }
    }
}

/* Tally w in HTML, in tables unless ?notable; the coding rows only once
 * one was seen.  Names are client bytes: the text escaper makes them
 * printable ASCII, then httpd's HTML escaper. */
static void html_tally(request_rec *r, const notimpl_tally_t *t, int w,
                       int tables)
{
    static const char *const heading[2] = { "Method", "Transfer coding" };
    static const char *const other_name[2] = { "<i>other methods</i>",
                                               "<i>other codings</i>" };
    const char *what = w ? " (would refuse)" : "";
    int k, i;

    for (k = 0; k < 2 && (k == 0 || t->n[k] > 0 || t->other[k] > 0); k++) {
        if (tables) {
            ap_rprintf(r, "<table border=\"0\"><tr><th>%s%s</th><th>%s</th>"
                       "</tr>\n", heading[k], what,
                       w ? "would refuse" : "501 responses");
        }
        for (i = 0; i <= t->n[k]; i++) {
            const char *name = i < t->n[k] ? ap_escape_html2(r->pool,
                apr_pescape_echo(r->pool, t->rows[k][i].name, 0), 0)
                : other_name[k];
            apr_uint64_t count = i < t->n[k] ? t->rows[k][i].count
                                             : t->other[k];

            if (tables) {
                ap_rprintf(r, "<tr><td>%s</td><td>" U64 "</td></tr>\n",
                           name, count);
            }
            else {
                ap_rprintf(r, "%s%s %s: " U64 "<br />\n", heading[k], what,
                           name, count);
            }
        }
        if (tables) {
            ap_rputs("</table>\n", r);
        }
    }
}

int notimpl_status_hook(request_rec *r, int flags)
{
    notimpl_snapshot_t snap;

    if (table == NULL) {
        return OK;
    }
    notimpl_counters_snapshot(r->pool, table, &snap);
    if (flags & AP_STATUS_SHORT) {
        auto_tally(r, &snap, 0);
        auto_tally(r, &snap, 1);
        return OK;
    }
    ap_rprintf(r, "<hr />\n<h2>mod_notimpl: methods not implemented</h2>\n"
               "<dl><dt>501 responses since %s: " U64 "</dt>\n<dt>Would "
               "refuse (NotImplEngine ReportOnly): " U64 "</dt>\n<dt>Names "
               "counted: %d of %d slots used</dt></dl>\n",
               notimpl_counters_rfc3339(r->pool, snap.since),
               snap.served.total, snap.would.total, snap.slots_used,
               snap.slots);
    html_tally(r, &snap.served, 0, !(flags & AP_STATUS_NOTABLE));
    if (snap.would.total > 0) {
        html_tally(r, &snap.would, 1, !(flags & AP_STATUS_NOTABLE));
    }
    return OK;
}
