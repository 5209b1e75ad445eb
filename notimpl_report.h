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

/* notimpl_report.h — every document made from the demand counters
 * (docs/observability.md), in this one place: notimpl-status's JSON and
 * Prometheus text, mod_status's HTML section and ?auto lines, and the suggest
 * line they share.  Pure (APR only): a snapshot in, text out, so the unit
 * tests read them without httpd. */
#ifndef NOTIMPL_REPORT_H
#define NOTIMPL_REPORT_H

#include <apr_pools.h>
#include "notimpl_counters.h"

typedef enum {
    NOTIMPL_REPORT_BAD = -1, NOTIMPL_REPORT_JSON, NOTIMPL_REPORT_PROMETHEUS
} notimpl_report_e;

/* format=json (the default) or format=prometheus, among arguments split
 * at & or ;. */
notimpl_report_e notimpl_report_from_args(const char *args);

/* RFC 3339 in UTC, e.g. "2024-05-01T12:00:00Z". */
const char *notimpl_report_rfc3339(apr_pool_t *p, apr_time_t t);
/* The configuration that keeps working what ReportOnly let through and
 * the server served: "NotImplMethods -A -B" over the served names, then
 * "# " comment lines for what no line can name; "" when nothing was
 * served. */
const char *notimpl_report_suggest(apr_pool_t *p,
                                   const notimpl_snapshot_t *s);

const char *notimpl_report_json(apr_pool_t *p, const notimpl_snapshot_t *s);
/* Text exposition format 0.0.4. */
const char *notimpl_report_prometheus(apr_pool_t *p,
                                      const notimpl_snapshot_t *s);
/* mod_status ?auto: "Key: value" lines, each key once. */
const char *notimpl_report_auto(apr_pool_t *p, const notimpl_snapshot_t *s);
/* mod_status's section: tables, or lines for ?notable. */
const char *notimpl_report_html(apr_pool_t *p, const notimpl_snapshot_t *s,
                                int tables);

#endif
