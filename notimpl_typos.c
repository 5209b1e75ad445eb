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

/* notimpl_typos.c — NI0010: a word that looks like a typo of a method or
 * group is accepted, and said out loud once per start on the terminal
 * and in the ErrorLog, and once per child from .htaccess. */
#include "apr_atomic.h"
#include "apr_hash.h"
#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"

#include "notimpl_config_private.h"

APLOG_USE_MODULE(notimpl);

/* Start-up warnings (warning_t) for the ErrorLog, once it is open. */
static apr_array_header_t *warnings;

void notimpl_typos_begin(void)
{
    warnings = NULL;
}

/* A start-up warning waiting for the ErrorLog: while httpd reads its
 * configuration no log is open, and what is logged then reaches only the
 * terminal that started it. */
typedef struct {
    server_rec *s;
    const char *text;
} warning_t;

void notimpl_config_log_warnings(void)
{
    int i;

    /* post_config runs once in the pre-config pass of a start (whose
     * warnings went to the terminal), then once per generation that
     * serves: log there, once per start and restart. */
    if (ap_state_query(AP_SQ_MAIN_STATE) != AP_SQ_MS_CREATE_CONFIG) {
        return;
    }
    for (i = 0; warnings && i < warnings->nelts; i++) {
        const warning_t *w = &APR_ARRAY_IDX(warnings, i, warning_t);

        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, w->s, "%s", w->text);
    }
}

/* .htaccess is read on every request, so its typos are warned once per
 * child process for each file, line and token: the first sight of each
 * is a hash taken into a fixed table, lock-free for threaded MPMs.  A
 * fixed 64 slots, because users write .htaccess files and neither the
 * log nor a child's memory may grow with what they write; 64 distinct
 * typos are more than an administrator needs to see to act, and those
 * beyond them (or one whose hash collides, 1 in 2^31) stay unwarned. */
#define HTACCESS_TYPOS 64
static apr_uint32_t htaccess_typos[HTACCESS_TYPOS];

static int first_sight(apr_pool_t *p, const ap_directive_t *d, const char *tok)
{
    const char *key = apr_psprintf(p, "%s:%d:%s", d->filename, d->line_num,
                                   tok);
    apr_ssize_t len = APR_HASH_KEY_STRING;
    apr_uint32_t h = apr_hashfunc_default(key, &len) | 1, seen;
    int i;

    /* Read before writing: the same file's typo, read again by every
     * request, finds its own slot without a compare-and-swap. */
    for (i = 0; i < HTACCESS_TYPOS; i++) {
        seen = apr_atomic_read32(&htaccess_typos[i]);
        if (seen == 0) {
            seen = apr_atomic_cas32(&htaccess_typos[i], h, 0);
        }
        if (seen == 0 || seen == h) {
            return seen == 0;
        }
    }
    return 0;
}

/* Likely typos are accepted (method names are case-sensitive, and
 * `webdab` may be real) but said out loud (docs/directives.md): at start-up
 * on the terminal and, once the logs are open, in the ErrorLog; from
 * .htaccess in the ErrorLog, once per child.  unsigned_list: the word is
 * in a NotImplMethods line without signs, which replaces the inherited
 * set: a typo there has taken away everything else too. */
int notimpl_warn_if_typo(cmd_parms *cmd, const char *tok, int unsigned_list)
{
    char *upper;
    const char *like, *text;
    warning_t *w;

    if (ap_method_number_of(tok) != M_INVALID || notimpl_is_group(tok)) {
        return 0;
    }
    upper = apr_pstrdup(cmd->temp_pool, tok);
    ap_str_toupper(upper);
    like = strcmp(upper, tok) != 0 && ap_method_number_of(upper) != M_INVALID
        ? upper : notimpl_group_like(tok);
    if (like == NULL
        || (notimpl_compiled_all
            && !first_sight(cmd->temp_pool, cmd->directive, tok))) {
        return 0;
    }
    /* tok is a method token: nothing in it needs escaping. */
    text = apr_psprintf(cmd->pool, "NI0010: %s: '%s' (%s:%d) is taken as a "
                        "method name; did you mean '%s'?%s", cmd->cmd->name,
                        tok, cmd->directive->filename,
                        cmd->directive->line_num, like, !unsigned_list ? ""
                        : apr_psprintf(cmd->temp_pool, " The line has no + "
                                       "or - sign, so it also replaces the "
                                       "whole inherited set (write +%s to "
                                       "add to it)", like));
    if (notimpl_compiled_all
        || ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, cmd->server, "%s", text);
    }
    if (!notimpl_compiled_all) {
        if (warnings == NULL) {
            warnings = apr_array_make(cmd->pool, 4, sizeof(*w));
        }
        w = apr_array_push(warnings);
        w->s = cmd->server;
        w->text = text;
    }
    return 1;
}
