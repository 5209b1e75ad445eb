/* notimpl_status.c — where the demand counters meet httpd, and the one
 * place their documents are made: JSON, Prometheus text, mod_status HTML
 * and ?auto (see notimpl_status.h).
 *
 * Names need no escaping for JSON, Prometheus labels or ?auto: every name
 * in the block is an RFC 9110 token of the closed set (notimpl_counters.c
 * gives no other a slot), and tokens hold no quote, backslash, colon,
 * space or control byte.  HTML escapes them (a token may hold & or '). */
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

#include "notimpl_status.h"

APLOG_USE_MODULE(notimpl);

#define U64 "%" APR_UINT64_T_FMT
#define PUSH(a, ...) \
    (APR_ARRAY_PUSH(a, const char *) = apr_psprintf(p, __VA_ARGS__))
#define M NOTIMPL_COUNT_METHOD
#define C NOTIMPL_COUNT_CODING
#define SERVED NOTIMPL_WOULD_SERVED
#define WREFUSED NOTIMPL_WOULD_REFUSED

/* httpd unloads and reloads the module on every restart: the segment
 * outlives that in retained data. */
#define RETAINED_KEY "mod_notimpl.c:counters"

/* SPEC "Observability": the IANA HTTP Method Registry, then two methods
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
static apr_hash_t *by_name;                         /* extension names */

/* The generation's names into the block (refs[] rewritten in place, so
 * by_number and by_name stay valid); with s, says in one line which
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
    by_name = apr_hash_make(p);
    memset(by_number, 0, sizeof(by_number));
    for (i = 0; i < names->nelts; i++) {
        const char *name = APR_ARRAY_IDX(names, i, const char *);

        num = ap_method_number_of(name);
        if (num >= 0 && num < METHODS && num != M_INVALID) {
            by_number[num] = &refs[i];
        }
        else {
            apr_hash_set(by_name, name, APR_HASH_KEY_STRING, &refs[i]);
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

void notimpl_status_ref(int method_number, const char *method,
                        const char *coding, notimpl_count_ref_t *ref)
{
    const notimpl_count_ref_t *found = NULL;

    if (coding) {
        notimpl_counters_coding(coding, ref);
        return;
    }
    if (method_number >= 0 && method_number < METHODS
        && method_number != M_INVALID) {
        found = by_number[method_number];
    }
    else if (by_name) {
        found = apr_hash_get(by_name, method, APR_HASH_KEY_STRING);
    }
    if (found) {
        *ref = *found;
    }
    else {
        memset(ref, 0, sizeof(*ref));
        ref->kind = NOTIMPL_COUNT_METHOD;
        ref->slot = -1;
    }
}

void notimpl_status_count(const notimpl_count_ref_t *ref,
                          notimpl_outcome_e outcome)
{
    if (table) {
        notimpl_counters_add(table, ref, outcome);
    }
}

/* ------------------------------------------------------------ documents */

/* RFC 3339 in UTC, e.g. "2024-05-01T12:00:00Z". */
static const char *rfc3339(apr_pool_t *p, apr_time_t t)
{
    apr_time_exp_t tm;

    apr_time_exp_gmt(&tm, t);
    return apr_psprintf(p, "%04d-%02d-%02dT%02d:%02d:%02dZ",
                        tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                        tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static apr_uint64_t would(const apr_uint64_t *n)
{
    return n[SERVED] + n[WREFUSED];
}

/* The line that, added to the configuration, keeps working everything a
 * ReportOnly scope let through and the server then served (SPEC
 * "Observability"): "NotImplMethods -A -B" over the served names, by name;
 * then, as "# " lines (comments, so the whole text can still be pasted),
 * what no line can name: served methods counted under other, whose names
 * only the NI0003 lines and the access log hold, and served requests with
 * a transfer coding.  Empty when nothing was served. */
static const char *suggest(apr_pool_t *p, const notimpl_snapshot_t *s)
{
    const char *line = "";
    apr_uint64_t codings = s->other[C][SERVED];
    int i;

    for (i = 0; i < s->n[M]; i++) {
        if (s->rows[M][i].n[SERVED]) {
            line = apr_pstrcat(p, *line ? line : "NotImplMethods", " -",
                               s->rows[M][i].name, NULL);
        }
    }
    if (s->other[M][SERVED]) {
        line = apr_psprintf(p, "%s%s# " U64 " served request(s) used methods "
                            "counted under other: find their names in the "
                            "NI0003 lines of the error log (LogLevel "
                            "notimpl:info) and add each as -NAME", line,
                            *line ? "\n" : "", s->other[M][SERVED]);
    }
    for (i = 0; i < s->n[C]; i++) {
        codings += s->rows[C][i].n[SERVED];
    }
    if (codings) {
        line = apr_psprintf(p, "%s%s# " U64 " served request(s) had a "
                            "transfer coding the server would refuse: "
                            "NotImplTransferCodings Off keeps them working",
                            line, *line ? "\n" : "", codings);
    }
    return line;
}

/* The first line of suggest(), for one-line forms (?auto). */
static const char *suggest_line(apr_pool_t *p, const notimpl_snapshot_t *s)
{
    const char *all = suggest(p, s);

    return all[0] == '#' ? "" : apr_pstrndup(p, all, strcspn(all, "\n"));
}

/* {"NAME":count,...} over the rows of kind k, count from n[from..to]. */
static const char *json_map(apr_pool_t *p, const notimpl_snapshot_t *s,
                            int k, int from, int to)
{
    apr_array_header_t *map = apr_array_make(p, s->n[k] + 1, sizeof(char *));
    int i, o;

    for (i = 0; i < s->n[k]; i++) {
        apr_uint64_t n = 0;

        for (o = from; o <= to; o++) {
            n += s->rows[k][i].n[o];
        }
        if (n) {
            PUSH(map, "\"%s\":" U64, s->rows[k][i].name, n);
        }
    }
    return apr_pstrcat(p, "{", apr_array_pstrcat(p, map, ','), "}", NULL);
}

/* suggest() as a JSON string: its only byte to escape is the newline. */
static const char *json_suggest(apr_pool_t *p, const notimpl_snapshot_t *s)
{
    const char *text = suggest(p, s), *nl;
    const char *out = "";

    while ((nl = strchr(text, '\n')) != NULL) {
        out = apr_pstrcat(p, out, apr_pstrmemdup(p, text, nl - text), "\\n",
                          NULL);
        text = nl + 1;
    }
    return apr_pstrcat(p, out, text, NULL);
}

static const char *json(apr_pool_t *p, const notimpl_snapshot_t *s)
{
    return apr_psprintf(p,
        "{\"total\":" U64 ",\"methods\":%s,\"other_methods\":" U64 ","
        "\"transfer_codings\":%s,\"other_transfer_codings\":" U64 ","
        "\"since\":\"%s\",\"slots\":%d,\"slots_used\":%d,"
        "\"would_refuse\":{\"total\":" U64 ",\"methods\":%s,"
        "\"other_methods\":" U64 ",\"transfer_codings\":%s,"
        "\"other_transfer_codings\":" U64 ",\"served\":%s,"
        "\"other_served\":" U64 ",\"transfer_codings_served\":%s,"
        "\"other_transfer_codings_served\":" U64 ",\"suggest\":\"%s\"}}\n",
        s->total[NOTIMPL_REFUSED], json_map(p, s, M, 0, 0),
        s->other[M][NOTIMPL_REFUSED], json_map(p, s, C, 0, 0),
        s->other[C][NOTIMPL_REFUSED], rfc3339(p, s->since), s->slots,
        s->slots_used, would(s->total), json_map(p, s, M, SERVED, WREFUSED),
        would(s->other[M]), json_map(p, s, C, SERVED, WREFUSED),
        would(s->other[C]), json_map(p, s, M, SERVED, SERVED),
        s->other[M][SERVED], json_map(p, s, C, SERVED, SERVED),
        s->other[C][SERVED], json_suggest(p, s));
}

/* Per family: name and help.  One family per meaning, so that sum() over
 * a family never adds a total to its own parts; the would-refuse ones
 * carry the outcome label. */
static const char *const families[2][5][2] = {
    {
        { "notimpl_responses_total", "Requests mod_notimpl refused as not "
          "implemented (a 501, or what ErrorDocument 501 made of it), by "
          "method." },
        { "notimpl_other_method_responses_total", "Refusals of methods "
          "outside the closed set of names (registered, IANA, QUERY, PURGE, "
          "declared)." },
        { "notimpl_transfer_coding_responses_total", "Requests refused for "
          "a transfer coding the server does not implement, by coding." },
        { "notimpl_other_transfer_coding_responses_total", "Refusals for "
          "transfer codings outside the IANA registry." },
        { "notimpl_all_responses_total", "Every request mod_notimpl "
          "refused." }
    }, {
        { "notimpl_would_refuse_requests_total", "Requests a ReportOnly "
          "scope would have refused, by method and by what the server then "
          "answered: served (below 400) or refused." },
        { "notimpl_would_refuse_other_method_requests_total", "Would-refuse "
          "requests for methods outside the closed set of names, by "
          "outcome." },
        { "notimpl_would_refuse_transfer_coding_requests_total", "Requests "
          "a ReportOnly scope would have refused for their transfer coding, "
          "by coding and outcome." },
        { "notimpl_would_refuse_other_transfer_coding_requests_total",
          "Would-refuse requests for transfer codings outside the IANA "
          "registry, by outcome." },
        { "notimpl_would_refuse_all_requests_total", "Every request a "
          "ReportOnly scope would have refused, by outcome." }
    }
};

static const char *const outcome_name[NOTIMPL_OUTCOMES] = {
    NULL, "served", "refused"
};

static const char *prometheus(apr_pool_t *p, const notimpl_snapshot_t *s)
{
    apr_array_header_t *lines = apr_array_make(p, 64, sizeof(char *));
    int w, f, i, o;

    for (w = 0; w < 2; w++) {
        for (f = 0; f < 5; f++) {
            const char *name = families[w][f][0];
            int k = f / 2;

            PUSH(lines, "# HELP %s %s\n# TYPE %s counter\n", name,
                 families[w][f][1], name);
            for (o = w ? SERVED : NOTIMPL_REFUSED;
                 o <= (w ? WREFUSED : NOTIMPL_REFUSED); o++) {
                const char *out = w ? apr_pstrcat(p, "outcome=\"",
                    outcome_name[o], "\"", NULL) : "";
                const apr_uint64_t *n = f == 4 ? s->total : s->other[k];

                if (f % 2 || f == 4) {
                    PUSH(lines, "%s%s%s%s " U64 "\n", name, w ? "{" : "",
                         out, w ? "}" : "", n[o]);
                    continue;
                }
                /* A name with any count of the family shows every
                 * outcome, so that increase() sees the first of each. */
                for (i = 0; i < s->n[k]; i++) {
                    const apr_uint64_t *rn = s->rows[k][i].n;

                    if (w ? would(rn) : rn[o]) {
                        PUSH(lines, "%s{%s=\"%s\"%s%s} " U64 "\n", name,
                             k ? "coding" : "method", s->rows[k][i].name,
                             w ? "," : "", out, rn[o]);
                    }
                }
            }
        }
        if (w == 0) {
            PUSH(lines, "# HELP notimpl_counters_start_time_seconds When "
                 "counting started, in seconds since the Unix epoch.\n"
                 "# TYPE notimpl_counters_start_time_seconds gauge\n"
                 "notimpl_counters_start_time_seconds %" APR_TIME_T_FMT
                 "\n", apr_time_sec(s->since));
        }
    }
    return apr_array_pstrcat(p, lines, 0);
}

typedef enum { REPORT_BAD = -1, REPORT_JSON, REPORT_PROMETHEUS } report_e;

/* Only format= is read, at & or ; (as some forms write).  Any value but
 * the two is an error, not a silent JSON answer to a scraper that asked
 * for something else. */
static report_e report_from_args(const char *args)
{
    report_e report = REPORT_JSON;

    while (args && *args && report != REPORT_BAD) {
        apr_size_t len = strcspn(args, "&;");

        if (strncmp(args, "format=", 7) == 0) {
            report = len == 11 && !strncmp(args + 7, "json", 4)
                ? REPORT_JSON
                : len == 17 && !strncmp(args + 7, "prometheus", 10)
                ? REPORT_PROMETHEUS : REPORT_BAD;
        }
        args += len + (args[len] != '\0');
    }
    return report;
}

/* Out of line: inlined, its large frame would be set up for every
 * request that merely passes through notimpl_status_handler. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static int serve_status(request_rec *r)
{
    notimpl_snapshot_t snap;
    report_e report;
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
    report = report_from_args(r->args);
    if (report == REPORT_BAD) {
        return HTTP_BAD_REQUEST;
    }
    if (table == NULL) {
        return HTTP_SERVICE_UNAVAILABLE;
    }
    notimpl_counters_snapshot(r->pool, table, &snap);
    if (report == REPORT_PROMETHEUS) {
        body = prometheus(r->pool, &snap);
        ap_set_content_type(r, "text/plain; version=0.0.4; charset=utf-8");
    }
    else {
        body = json(r->pool, &snap);
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

/* ?auto: "Key: value" lines, keys unique; "NotImplMethod NAME" splits at
 * ": " (a token holds no colon or space). */
static void auto_lines(request_rec *r, const notimpl_snapshot_t *s)
{
    static const char *const key[2] = { "Method", "TransferCoding" };
    int w, k, i;

    ap_rprintf(r, "NotImplSince: %s\nNotImplSlotsUsed: %d\nNotImplSlots: "
               "%d\n", rfc3339(r->pool, s->since), s->slots_used, s->slots);
    for (w = 0; w < 2; w++) {
        const char *pre = w ? "NotImplWouldRefuse" : "NotImpl";
        apr_uint64_t t = w ? would(s->total) : s->total[NOTIMPL_REFUSED];

        ap_rprintf(r, "%sTotal: " U64 "\n%sOtherMethods: " U64 "\n"
                   "%sOtherTransferCodings: " U64 "\n", pre, t, pre,
                   w ? would(s->other[M]) : s->other[M][0], pre,
                   w ? would(s->other[C]) : s->other[C][0]);
        for (k = 0; k < 2; k++) {
            for (i = 0; i < s->n[k]; i++) {
                const apr_uint64_t *n = s->rows[k][i].n;

                if (w ? would(n) : n[0]) {
                    ap_rprintf(r, "%s%s %s: " U64 "\n", pre, key[k],
                               s->rows[k][i].name, w ? would(n) : n[0]);
                }
                if (w && k == M && n[SERVED]) {
                    ap_rprintf(r, "NotImplWouldRefuseServed %s: " U64 "\n",
                               s->rows[k][i].name, n[SERVED]);
                }
            }
        }
    }
    ap_rprintf(r, "NotImplWouldRefuseOtherServed: " U64 "\n"
               "NotImplSuggest: %s\n", s->other[M][SERVED],
               suggest_line(r->pool, s));
}

/* One kind of tally w in HTML, in tables unless ?notable; the coding rows
 * only once one was seen.  Would-refuse rows show served and refused. */
static void html_kind(request_rec *r, const notimpl_snapshot_t *s, int w,
                      int k, int tables)
{
    static const char *const heading[2] = { "Method", "Transfer coding" };
    static const char *const other_name[2] = { "<i>other methods</i>",
                                               "<i>other codings</i>" };
    const char *what = w ? " (would refuse)" : "";
    int i;

    if (tables) {
        ap_rprintf(r, "<table border=\"0\"><tr><th>%s%s</th>%s</tr>\n",
                   heading[k], what, w ? "<th>served</th><th>refused</th>"
                                       : "<th>refused</th>");
    }
    for (i = 0; i <= s->n[k]; i++) {
        const apr_uint64_t *n = i < s->n[k] ? s->rows[k][i].n : s->other[k];
        const char *name = i < s->n[k]
            ? ap_escape_html2(r->pool, s->rows[k][i].name, 0) : other_name[k];

        if (i < s->n[k] && !(w ? would(n) : n[0])) {
            continue;
        }
        if (tables && w) {
            ap_rprintf(r, "<tr><td>%s</td><td>" U64 "</td><td>" U64
                       "</td></tr>\n", name, n[SERVED], n[WREFUSED]);
        }
        else if (tables) {
            ap_rprintf(r, "<tr><td>%s</td><td>" U64 "</td></tr>\n", name,
                       n[0]);
        }
        else if (w) {
            ap_rprintf(r, "%s%s %s: " U64 " served, " U64 " refused<br />\n",
                       heading[k], what, name, n[SERVED], n[WREFUSED]);
        }
        else {
            ap_rprintf(r, "%s %s: " U64 " refused<br />\n", heading[k], name,
                       n[0]);
        }
    }
    if (tables) {
        ap_rputs("</table>\n", r);
    }
}

/* Has tally w (refusals, or would-refuse) any count of kind k? */
static int counted(const notimpl_snapshot_t *s, int w, int k)
{
    int i;

    for (i = 0; i < s->n[k]; i++) {
        if (w ? would(s->rows[k][i].n) : s->rows[k][i].n[0]) {
            return 1;
        }
    }
    return w ? would(s->other[k]) != 0 : s->other[k][0] != 0;
}

int notimpl_status_hook(request_rec *r, int flags)
{
    notimpl_snapshot_t snap;
    int w, k, tables = !(flags & AP_STATUS_NOTABLE);
    const char *line;

    if (table == NULL) {
        return OK;
    }
    notimpl_counters_snapshot(r->pool, table, &snap);
    if (flags & AP_STATUS_SHORT) {
        auto_lines(r, &snap);
        return OK;
    }
    ap_rprintf(r, "<hr />\n<h2>mod_notimpl: methods not implemented</h2>\n"
               "<dl><dt>Requests refused since %s: " U64 "</dt>\n<dt>Would "
               "refuse (NotImplEngine ReportOnly): " U64 " (" U64 " served, "
               U64 " refused)</dt>\n<dt>Names counted: %d of %d slots "
               "used</dt></dl>\n", rfc3339(r->pool, snap.since),
               snap.total[NOTIMPL_REFUSED], would(snap.total),
               snap.total[SERVED], snap.total[WREFUSED], snap.slots_used,
               snap.slots);
    /* The method tables always (the would-refuse one once there is
     * any), a coding table once it has a count. */
    for (w = 0; w < 2; w++) {
        for (k = 0; k < 2; k++) {
            if (k == M ? w == 0 || would(snap.total) : counted(&snap, w, k)) {
                html_kind(r, &snap, w, k, tables);
            }
        }
    }
    if (snap.total[SERVED]) {
        line = ap_escape_html2(r->pool, suggest(r->pool, &snap), 0);
        ap_rprintf(r, "<p>To keep working what was served, add "
                   "(NotImplMethods lines also in the directory scopes that "
                   "report):</p>\n<pre>%s</pre>\n", line);
    }
    return OK;
}
