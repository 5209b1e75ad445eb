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

/* post_config: finds or creates the block and gives an exact slot to each
 * of declared (const char *, in pconf: the registered methods, then the
 * names the configuration declares), saying at info which found none
 * (NI0103).  OK, or a logged error that stops the start. */
int notimpl_status_post_config(server_rec *s,
                               const apr_array_header_t *declared);
/* pre_mpm (start-up and full restart only): counting starts afresh. */
int notimpl_status_pre_mpm(apr_pool_t *p, ap_scoreboard_e sb_type);
/* One refusal, of coding if not NULL, else of method; would_refuse for a
 * ReportOnly decision. */
void notimpl_status_count(const char *method, const char *coding,
                          int would_refuse);
/* SetHandler notimpl-status: GET and HEAD; JSON or ?format=prometheus. */
int notimpl_status_handler(request_rec *r);
/* mod_status's status_hook, also without ExtendedStatus. */
int notimpl_status_hook(request_rec *r, int flags);

#endif
