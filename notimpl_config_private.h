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

/* notimpl_config_private.h — what notimpl_config.c, notimpl_directives.c
 * and notimpl_typos.c share while the configuration is read; no other
 * file includes it. */
#ifndef NOTIMPL_CONFIG_PRIVATE_H
#define NOTIMPL_CONFIG_PRIVATE_H

#include "httpd.h"
#include "http_config.h"

#include "notimpl_config.h"

/* A NotImplMethods or NotImplImplemented line read at start-up, kept as
 * httpd holds it (the configuration tree's copy) until compiled: a
 * shared-hosting server has thousands of hosts with a line each, and
 * hosts with the same lines share one compiled policy. */
struct notimpl_line {
    const char *args;
    int allowlist;
    struct notimpl_line *next;
};

/* notimpl_config.c */

/* Set by notimpl_compile_all(): the registry is complete, so a directive
 * read now is from .htaccess, and its scope is compiled at its first
 * merge (notimpl_changed()). */
extern int notimpl_compiled_all;
/* The config of every scope that has said nothing: compared, never
 * written. */
extern notimpl_conf_t notimpl_unset_conf;
notimpl_conf_t *notimpl_new_conf(apr_pool_t *p);
/* A virtual host's server config, as it is now. */
notimpl_conf_t *notimpl_host_conf(const cmd_parms *cmd);
/* The config a directive sets: the server scope's (a host's own, made on
 * its first directive) or the section's. */
notimpl_conf_t *notimpl_scope_of(cmd_parms *cmd, void *dconf);
/* Each parser's last word, once c holds the directive's value. */
const char *notimpl_changed(cmd_parms *cmd, notimpl_conf_t *c);
/* Joins a line's words to c's lists (NotImplImplemented's in place). */
void notimpl_add_line(apr_pool_t *p, notimpl_conf_t *c,
                      apr_array_header_t *w, int allowlist);

/* notimpl_directives.c: pre_config, before the first directive is read;
 * ptemp lasts until post_config has run. */
void notimpl_directives_begin(apr_pool_t *ptemp);

/* notimpl_typos.c */

/* pre_config: no start-up warning is waiting yet. */
void notimpl_typos_begin(void);
/* Warns if tok looks like a typo of a method or group (NI0010); returns
 * whether it does.  unsigned_list: tok is in a NotImplMethods line
 * without signs. */
int notimpl_warn_if_typo(cmd_parms *cmd, const char *tok, int unsigned_list);

#endif
