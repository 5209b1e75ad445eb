/* notimpl_status.h — the demand counters inside httpd (SPEC
 * "Observability"): the block of notimpl_counters.h in shared memory, kept
 * in retained data over a graceful restart and started afresh at start-up
 * and on a full restart (when httpd clears its scoreboard too); the count
 * on each refusal; the notimpl-status handler; a mod_status section. */
#ifndef NOTIMPL_STATUS_H
#define NOTIMPL_STATUS_H

#include "httpd.h"
#include "scoreboard.h"

#define NOTIMPL_STATUS_HANDLER "notimpl-status"

/* post_config: finds or creates the block and gives an exact slot to
 * each name of declared (const char *: the registered methods, then the
 * names the configuration declares; may be NULL); a name left without one
 * is said in an info line (NI0103).  OK, or an error that stops the
 * start, logged. */
int notimpl_status_post_config(apr_pool_t *pconf, server_rec *s,
                               const apr_array_header_t *declared);
/* pre_mpm: restarts counting, exact names kept (start-up and full
 * restart only: httpd never runs it on a graceful one). */
int notimpl_status_pre_mpm(apr_pool_t *p, ap_scoreboard_e sb_type);
/* One refusal, for coding if not NULL, else method; with would_refuse, a
 * ReportOnly decision, counted apart from the real 501s. */
void notimpl_status_count(const char *method, const char *coding,
                          int would_refuse);
/* SetHandler notimpl-status: GET and HEAD; JSON or ?format=prometheus. */
int notimpl_status_handler(request_rec *r);
/* mod_status's status_hook: an HTML section, and NotImpl* lines in ?auto;
 * independent of ExtendedStatus. */
int notimpl_status_hook(request_rec *r, int flags);

#endif
