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

/* notimpl_status.h — the demand counters inside httpd
 * (docs/observability.md): the block of notimpl_counters.h in shared
 * memory, kept in retained data over a graceful restart and started afresh
 * at start-up and on a full restart (when httpd clears its scoreboard too);
 * where each name counts, found once in the parent; the notimpl-status
 * handler and the mod_status section, which serve the documents of
 * notimpl_report.h. */
#ifndef NOTIMPL_STATUS_H
#define NOTIMPL_STATUS_H

#include "httpd.h"
#include "scoreboard.h"

#include "notimpl_counters.h"

#define NOTIMPL_STATUS_HANDLER "notimpl-status"

/* post_config: finds or creates the block and gives a slot to each name
 * of the closed set: declared (const char *, in pconf: the registered
 * methods, then the names the configuration declares), the IANA method
 * registry, QUERY and PURGE; says at info which found none (NI0103).  OK,
 * or a logged error that stops the start. */
int notimpl_status_post_config(server_rec *s,
                               const apr_array_header_t *declared);
/* pre_mpm (start-up and full restart only): counting starts afresh. */
int notimpl_status_pre_mpm(apr_pool_t *p, ap_scoreboard_e sb_type);
/* Where a refusal of coding (if not NULL) or of the method counts: by
 * method number for a method httpd knows, else by name; other for a name
 * outside the closed set. */
void notimpl_status_ref(int method_number, const char *method,
                        const char *coding, notimpl_count_ref_t *ref);
/* Counts a real refusal of method (or coding, when not NULL). */
void notimpl_status_refused(int method_number, const char *method,
                            const char *coding);
/* One count, from any child or thread. */
void notimpl_status_count(const notimpl_count_ref_t *ref,
                          notimpl_outcome_e outcome);
/* SetHandler notimpl-status: GET and HEAD; JSON or ?format=prometheus. */
int notimpl_status_handler(request_rec *r);
/* mod_status's status_hook, also without ExtendedStatus. */
int notimpl_status_hook(request_rec *r, int flags);

#endif
