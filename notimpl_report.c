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

/* notimpl_report.c — every document made from the demand counters (see
 * notimpl_report.h).
 *
 * Names need no escaping for JSON, Prometheus labels or ?auto: every name
 * in the block is an RFC 9110 token of the closed set (notimpl_counters.c
 * gives no other a slot), and tokens hold no quote, backslash, colon,
 * space or control byte.  HTML escapes them (a token may hold & or '). */
#include <string.h>
#include <apr_escape.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "notimpl_report.h"

#define U64 "%" APR_UINT64_T_FMT
#define PUSH(a, ...) \
    (APR_ARRAY_PUSH(a, const char *) = apr_psprintf(p, __VA_ARGS__))
#define M NOTIMPL_COUNT_METHOD
#define C NOTIMPL_COUNT_CODING
#define SERVED NOTIMPL_WOULD_SERVED
#define WREFUSED NOTIMPL_WOULD_REFUSED

/* RFC 3339 in UTC, e.g. "2024-05-01T12:00:00Z". */
const char *notimpl_report_rfc3339(apr_pool_t *p, apr_time_t t)
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
 * ReportOnly scope let through and the server then served
 * (docs/observability.md): "NotImplMethods -A -B" over the served names, by
 * name; then, as "# " lines (comments, so the whole text can still be pasted),
 * what no line can name: served methods counted under other, whose names only
 * the NI0003 lines and the access log hold, and served requests with a
 * transfer coding.  Empty when nothing was served. */
const char *notimpl_report_suggest(apr_pool_t *p,
                                   const notimpl_snapshot_t *s)
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

/* The first line of the suggest text, for one-line forms (?auto). */
static const char *suggest_line(apr_pool_t *p, const notimpl_snapshot_t *s)
{
    const char *all = notimpl_report_suggest(p, s);

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

/* The suggest line as a JSON string: its only byte to escape is the newline. */
static const char *json_suggest(apr_pool_t *p, const notimpl_snapshot_t *s)
{
    const char *text = notimpl_report_suggest(p, s), *nl;
    const char *out = "";

    while ((nl = strchr(text, '\n')) != NULL) {
        out = apr_pstrcat(p, out, apr_pstrmemdup(p, text, nl - text), "\\n",
                          NULL);
        text = nl + 1;
    }
    return apr_pstrcat(p, out, text, NULL);
}

const char *notimpl_report_json(apr_pool_t *p, const notimpl_snapshot_t *s)
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
        s->other[C][NOTIMPL_REFUSED], notimpl_report_rfc3339(p, s->since), s->slots,
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

const char *notimpl_report_prometheus(apr_pool_t *p,
                                      const notimpl_snapshot_t *s)
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

/* Only format= is read, at & or ; (as some forms write).  Any value but
 * the two is an error, not a silent JSON answer to a scraper that asked
 * for something else. */
notimpl_report_e notimpl_report_from_args(const char *args)
{
    notimpl_report_e report = NOTIMPL_REPORT_JSON;

    while (args && *args && report != NOTIMPL_REPORT_BAD) {
        apr_size_t len = strcspn(args, "&;");

        if (strncmp(args, "format=", 7) == 0) {
            report = len == 11 && !strncmp(args + 7, "json", 4)
                ? NOTIMPL_REPORT_JSON
                : len == 17 && !strncmp(args + 7, "prometheus", 10)
                ? NOTIMPL_REPORT_PROMETHEUS : NOTIMPL_REPORT_BAD;
        }
        args += len + (args[len] != '\0');
    }
    return report;
}

/* Each key once; "NotImplMethod NAME" splits at ": " (a token holds no
 * colon or space). */
const char *notimpl_report_auto(apr_pool_t *p, const notimpl_snapshot_t *s)
{
    static const char *const key[2] = { "Method", "TransferCoding" };
    apr_array_header_t *lines = apr_array_make(p, 32, sizeof(char *));
    int w, k, i;

    PUSH(lines, "NotImplSince: %s\nNotImplSlotsUsed: %d\nNotImplSlots: %d\n",
         notimpl_report_rfc3339(p, s->since), s->slots_used, s->slots);
    for (w = 0; w < 2; w++) {
        const char *pre = w ? "NotImplWouldRefuse" : "NotImpl";

        PUSH(lines, "%sTotal: " U64 "\n%sOtherMethods: " U64 "\n"
             "%sOtherTransferCodings: " U64 "\n", pre,
             w ? would(s->total) : s->total[NOTIMPL_REFUSED], pre,
             w ? would(s->other[M]) : s->other[M][0], pre,
             w ? would(s->other[C]) : s->other[C][0]);
        for (k = 0; k < 2; k++) {
            for (i = 0; i < s->n[k]; i++) {
                const apr_uint64_t *n = s->rows[k][i].n;

                if (w ? would(n) : n[0]) {
                    PUSH(lines, "%s%s %s: " U64 "\n", pre, key[k],
                         s->rows[k][i].name, w ? would(n) : n[0]);
                }
                if (w && k == M && n[SERVED]) {
                    PUSH(lines, "NotImplWouldRefuseServed %s: " U64 "\n",
                         s->rows[k][i].name, n[SERVED]);
                }
            }
        }
    }
    PUSH(lines, "NotImplWouldRefuseOtherServed: " U64 "\nNotImplSuggest: "
         "%s\n", s->other[M][SERVED], suggest_line(p, s));
    return apr_array_pstrcat(p, lines, 0);
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

/* One kind of tally w, in a table or as lines; would-refuse rows show
 * served and refused. */
static void html_kind(apr_pool_t *p, apr_array_header_t *out,
                      const notimpl_snapshot_t *s, int w, int k, int tables)
{
    static const char *const heading[2] = { "Method", "Transfer coding" };
    static const char *const other_name[2] = { "<i>other methods</i>",
                                               "<i>other codings</i>" };
    const char *what = w ? " (would refuse)" : "";
    int i;

    if (tables) {
        PUSH(out, "<table border=\"0\"><tr><th>%s%s</th>%s</tr>\n",
             heading[k], what, w ? "<th>served</th><th>refused</th>"
                                 : "<th>refused</th>");
    }
    for (i = 0; i <= s->n[k]; i++) {
        const apr_uint64_t *n = i < s->n[k] ? s->rows[k][i].n : s->other[k];
        const char *name = i < s->n[k]
            ? apr_pescape_entity(p, s->rows[k][i].name, 0) : other_name[k];

        if (i < s->n[k] && !(w ? would(n) : n[0])) {
            continue;
        }
        if (tables && w) {
            PUSH(out, "<tr><td>%s</td><td>" U64 "</td><td>" U64
                 "</td></tr>\n", name, n[SERVED], n[WREFUSED]);
        }
        else if (tables) {
            PUSH(out, "<tr><td>%s</td><td>" U64 "</td></tr>\n", name, n[0]);
        }
        else if (w) {
            PUSH(out, "%s%s %s: " U64 " served, " U64 " refused<br />\n",
                 heading[k], what, name, n[SERVED], n[WREFUSED]);
        }
        else {
            PUSH(out, "%s %s: " U64 " refused<br />\n", heading[k], name,
                 n[0]);
        }
    }
    if (tables) {
        PUSH(out, "</table>\n");
    }
}

const char *notimpl_report_html(apr_pool_t *p, const notimpl_snapshot_t *s,
                                int tables)
{
    apr_array_header_t *out = apr_array_make(p, 16, sizeof(char *));
    int w, k;

    PUSH(out, "<hr />\n<h2>mod_notimpl: methods not implemented</h2>\n"
         "<dl><dt>Requests refused since %s: " U64 "</dt>\n<dt>Would "
         "refuse (NotImplEngine ReportOnly): " U64 " (" U64 " served, " U64
         " refused)</dt>\n<dt>Names counted: %d of %d slots used</dt></dl>"
         "\n", notimpl_report_rfc3339(p, s->since),
         s->total[NOTIMPL_REFUSED], would(s->total), s->total[SERVED],
         s->total[WREFUSED], s->slots_used, s->slots);
    /* The method tables always (the would-refuse one once there is
     * any), a coding table once it has a count. */
    for (w = 0; w < 2; w++) {
        for (k = 0; k < 2; k++) {
            if (k == M ? w == 0 || would(s->total) : counted(s, w, k)) {
                html_kind(p, out, s, w, k, tables);
            }
        }
    }
    if (s->total[SERVED]) {
        PUSH(out, "<p>To keep working what was served, add (NotImplMethods "
             "lines also in the directory scopes that report):</p>\n"
             "<pre>%s</pre>\n",
             apr_pescape_entity(p, notimpl_report_suggest(p, s), 0));
    }
    return apr_array_pstrcat(p, out, 0);
}
