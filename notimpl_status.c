/* notimpl_status.c — where the demand counters meet httpd: shared memory
 * and retained data, the count on each 501, and the two places that show
 * the numbers (see notimpl_status.h). */
#include <string.h>
#include "apr_shm.h"
#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_main.h"
#include "http_protocol.h"
#include "http_request.h"
#include "mod_core.h"
#include "mod_status.h"

#include "notimpl_counters.h"
#include "apr_escape.h"
#include "notimpl_status.h"

APLOG_USE_MODULE(notimpl);

/* httpd unloads and reloads the module on every restart; what must
 * outlive that (the segment, and where it is mapped) is kept here. */
#define RETAINED_KEY "mod_notimpl.c:counters"

typedef struct {
    apr_shm_t *shm;
    notimpl_counters_t *table;
} retained_t;

/* This generation's view of the table.  Children inherit the mapping
 * with the address across fork(), whatever the kind of segment, so no
 * child_init attach is needed. */
static notimpl_counters_t *table;

/* Anonymous memory where the platform has it (nothing on disk to clean
 * up); a named segment under DefaultRuntimeDir otherwise.  Both from the
 * process pool: pconf is cleared on every restart, graceful or not. */
static apr_status_t create_table(server_rec *s, apr_shm_t **shm,
                                 const char **fname)
{
    apr_pool_t *p = s->process->pool;
    apr_status_t rv;

    *fname = NULL;
    rv = apr_shm_create(shm, sizeof(notimpl_counters_t), NULL, p);
    if (rv == APR_ENOTIMPL) {
        *fname = ap_runtime_dir_relative(p, "notimpl-counters.shm");
        /* A segment left by a crashed server would make create fail. */
        apr_shm_remove(*fname, p);
        rv = apr_shm_create(shm, sizeof(notimpl_counters_t), *fname, p);
    }
    return rv;
}

/* The exact names of this generation: every method httpd has
 * registered, then the declared ones (from pconf, rebuilt each time). */
static apr_array_header_t *exact_names;

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

int notimpl_status_post_config(apr_pool_t *pconf, server_rec *s,
                               const apr_array_header_t *declared)
{
    retained_t *kept;
    const char *fname;
    apr_status_t rv;
    int n;

    /* The first of httpd's two start-up passes only checks the config. */
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        return OK;
    }
    exact_names = apr_array_make(pconf, METHODS, sizeof(const char *));
    for (n = 0; n < METHODS; n++) {
        const char *name = n == M_INVALID ? NULL : ap_method_name_of(pconf, n);
        if (name) {
            APR_ARRAY_PUSH(exact_names, const char *) = name;
        }
    }
    if (declared) {
        apr_array_cat(exact_names, declared);
    }
    kept = ap_retained_data_get(RETAINED_KEY);
    if (kept == NULL) {
        kept = ap_retained_data_create(RETAINED_KEY, sizeof(*kept));
    }
    /* A graceful restart keeps a usable table and its counts; a new
     * configuration's new names claim free exact slots below. */
    if (!notimpl_counters_usable(kept->table)) {
        if (kept->shm) {
            /* A graceful restart into a build whose table differs: the
             * old generation's children keep their mapping until exit. */
            ap_log_error(APLOG_MARK, APLOG_INFO, 0, s, "NI0102: demand "
                         "counters restart: the retained table has another "
                         "layout");
            apr_shm_destroy(kept->shm);
        }
        rv = create_table(s, &kept->shm, &fname);
        if (rv != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s, "NI0101: cannot "
                         "create shared memory (%" APR_SIZE_T_FMT " bytes%s"
                         "%s) for the demand counters",
                         sizeof(notimpl_counters_t), fname ? ", " : "",
                         fname ? fname : "");
            kept->shm = NULL;
            kept->table = NULL;
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        kept->table = apr_shm_baseaddr_get(kept->shm);
        notimpl_counters_reset(kept->table, apr_time_now());
    }
    table = kept->table;
    declare_all(s);
    return OK;
}

int notimpl_status_pre_mpm(apr_pool_t *p, ap_scoreboard_e sb_type)
{
    (void)p;
    (void)sb_type;
    /* No child runs now: at start-up there are none yet, and a full
     * restart reaps them all before the MPM runs again.  post_config has
     * said what did not fit. */
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

/* Kept out of line: inlined, its large frame would be set up for every
 * request that merely passes through notimpl_status_handler.  Handler
 * names other than ours that begin with its first letter end here too. */
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
    /* GET (and so HEAD) only: the numbers are read, never changed here.
     * httpd builds Allow from allowed_methods; r->allowed is for modules
     * that still read the older field. */
    r->allowed = (AP_METHOD_BIT << M_GET) | (AP_METHOD_BIT << M_OPTIONS);
    ap_allow_standard_methods(r, REPLACE_ALLOW, M_GET, M_OPTIONS, -1);
    if (r->method_number == M_OPTIONS) {
        /* Answered here: core's default handler would add POST. */
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
    /* Every request that reaches the handler phase passes here: one byte
     * decides for almost all of them, before any call. */
    const char *handler = r->handler;

    if (handler == NULL || handler[0] != NOTIMPL_STATUS_HANDLER[0]) {
        return DECLINED;
    }
    return serve_status(r);
}

/* ?auto: "NotImpl<prefix>Method NAME: N" lines, one per name. */
static void auto_names(request_rec *r, const char *prefix, const char *what,
                       const notimpl_count_t *e, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        ap_rprintf(r, "NotImpl%s%s %s: %" APR_UINT64_T_FMT "\n", prefix,
                   what, apr_pescape_echo(r->pool, e[i].name, 0), e[i].count);
    }
}

/* ?auto: one "Key: value" line each, keys unique.  A name never holds a
 * space (notimpl_counters_add), so "NotImplMethod NAME" splits cleanly
 * at the first ": ". */
static void auto_lines(request_rec *r, const notimpl_snapshot_t *s)
{
    ap_rprintf(r, "NotImplTotal: %" APR_UINT64_T_FMT "\n"
               "NotImplOtherMethods: %" APR_UINT64_T_FMT "\n"
               "NotImplOtherTransferCodings: %" APR_UINT64_T_FMT "\n"
               "NotImplSince: %s\n"
               "NotImplSlotsUsed: %d\n"
               "NotImplSlots: %d\n",
               s->served.total, s->served.other_methods,
               s->served.other_codings,
               notimpl_counters_rfc3339(r->pool, s->since),
               s->slots_used, s->slots);
    auto_names(r, "", "Method", s->served.methods, s->served.n_methods);
    auto_names(r, "", "TransferCoding", s->served.codings,
               s->served.n_codings);
    ap_rprintf(r, "NotImplWouldRefuseTotal: %" APR_UINT64_T_FMT "\n"
               "NotImplWouldRefuseOtherMethods: %" APR_UINT64_T_FMT "\n"
               "NotImplWouldRefuseOtherTransferCodings: %" APR_UINT64_T_FMT
               "\n", s->would.total, s->would.other_methods,
               s->would.other_codings);
    auto_names(r, "WouldRefuse", "Method", s->would.methods,
               s->would.n_methods);
    auto_names(r, "WouldRefuse", "TransferCoding", s->would.codings,
               s->would.n_codings);
}

/* Names are client bytes: the text escaper makes them printable ASCII,
 * then httpd's HTML escaper. */
static void html_rows(request_rec *r, const char *heading, const char *col,
                      const notimpl_count_t *e, int n, const char *other,
                      apr_uint64_t other_count, int table_form)
{
    int i;

    if (table_form) {
        ap_rprintf(r, "<table border=\"0\"><tr><th>%s</th>"
                   "<th>%s</th></tr>\n", heading, col);
    }
    for (i = 0; i <= n; i++) {
        const char *name = i < n
            ? ap_escape_html2(r->pool,
                              apr_pescape_echo(r->pool, e[i].name, 0), 0)
            : apr_pstrcat(r->pool, "<i>", other, "</i>", NULL);
        apr_uint64_t count = i < n ? e[i].count : other_count;

        if (table_form) {
            ap_rprintf(r, "<tr><td>%s</td><td>%" APR_UINT64_T_FMT
                       "</td></tr>\n", name, count);
        }
        else {
            ap_rprintf(r, "%s %s: %" APR_UINT64_T_FMT "<br />\n",
                       heading, name, count);
        }
    }
    if (table_form) {
        ap_rputs("</table>\n", r);
    }
}

static void html_tally(request_rec *r, const notimpl_tally_t *t,
                       const char *what, const char *col, int table_form)
{
    html_rows(r, apr_pstrcat(r->pool, "Method", what, NULL), col,
              t->methods, t->n_methods, "other methods", t->other_methods,
              table_form);
    if (t->n_codings > 0 || t->other_codings > 0) {
        html_rows(r, apr_pstrcat(r->pool, "Transfer coding", what, NULL), col,
                  t->codings, t->n_codings, "other codings", t->other_codings,
                  table_form);
    }
}

int notimpl_status_hook(request_rec *r, int flags)
{
    notimpl_snapshot_t snap;
    int table_form = !(flags & AP_STATUS_NOTABLE);

    if (table == NULL) {
        return OK;
    }
    notimpl_counters_snapshot(r->pool, table, &snap);
    if (flags & AP_STATUS_SHORT) {
        auto_lines(r, &snap);
        return OK;
    }
    ap_rprintf(r, "<hr />\n<h2>mod_notimpl: methods not implemented</h2>\n"
               "<dl><dt>501 responses since %s: %" APR_UINT64_T_FMT "</dt>\n"
               "<dt>Would refuse (NotImplEngine ReportOnly): %"
               APR_UINT64_T_FMT "</dt>\n"
               "<dt>Names counted: %d of %d slots used</dt></dl>\n",
               notimpl_counters_rfc3339(r->pool, snap.since),
               snap.served.total, snap.would.total, snap.slots_used,
               snap.slots);
    html_tally(r, &snap.served, "", "501 responses", table_form);
    if (snap.would.total > 0) {
        html_tally(r, &snap.would, " (would refuse)", "would refuse",
                   table_form);
    }
    return OK;
}
