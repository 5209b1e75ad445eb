/* notimpl_status.h — the demand counters inside httpd (SPEC
 * "Observability"): the shared-memory table, counting on the refusal
 * path, the notimpl-status handler and a section in mod_status.
 *
 * The table (notimpl_counters.h) lives in shared memory created once per
 * parent process and kept in httpd's retained data, so it survives a
 * graceful restart; it starts afresh at start-up and on a full restart,
 * the moments httpd also clears its scoreboard. */
#ifndef NOTIMPL_STATUS_H
#define NOTIMPL_STATUS_H

#include "httpd.h"
#include "scoreboard.h"

#define NOTIMPL_STATUS_HANDLER "notimpl-status"

/* post_config: finds the retained table or creates it, and gives an
 * exact slot to every method httpd has registered and to each name of
 * `declared` (const char *, the method names the configuration declares;
 * may be NULL).  Names beyond the exact slots are counted in the shared
 * pool, said once in an info line (NI0103).  Returns OK, or an error that
 * stops the start (with one log line naming the cause). */
int notimpl_status_post_config(apr_pool_t *pconf, server_rec *s,
                               const apr_array_header_t *declared);

/* pre_mpm hook: restarts counting, exact names kept (httpd runs it at
 * start-up and on a full restart, never on a graceful one). */
int notimpl_status_pre_mpm(apr_pool_t *p, ap_scoreboard_e sb_type);

/* Counts one module 501: for coding when it is not NULL, else for
 * method.  Called once per refusal, so each 501 counts once.  With
 * would_refuse, a ReportOnly scope's decision that let the request go on:
 * counted apart, never in the real 501s' numbers. */
void notimpl_status_count(const char *method, const char *coding,
                          int would_refuse);

/* handler hook: SetHandler notimpl-status.  GET and HEAD only; JSON, or
 * Prometheus text with ?format=prometheus. */
int notimpl_status_handler(request_rec *r);

/* mod_status's optional status_hook: an HTML section in /server-status,
 * "NotImpl...: value" lines in ?auto.  Independent of ExtendedStatus. */
int notimpl_status_hook(request_rec *r, int flags);

#endif
