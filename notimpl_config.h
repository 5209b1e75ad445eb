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

/* notimpl_config.h — what the administrator wrote at each scope, and the
 * policy compiled from it.
 *
 * One struct serves the server scope (main server, <VirtualHost>) and the
 * directory scope (<Directory>, <Location>, <Files>, <If>, <Proxy>,
 * .htaccess): outside any section a directive sets the server's, inside
 * one the section's (docs/behaviour.md "Scopes").  Method names are resolved
 * once the registry is complete (post_config; .htaccess at its first merge), and
 * a directory merge only stacks compiled sets. */
#ifndef NOTIMPL_CONFIG_H
#define NOTIMPL_CONFIG_H

#include "httpd.h"
#include "http_config.h"

#include "notimpl_policy.h"
#include "notimpl_render.h"

typedef enum {
    NOTIMPL_ENGINE_UNSET = -1,
    NOTIMPL_ENGINE_OFF = 0,
    NOTIMPL_ENGINE_ON,
    NOTIMPL_ENGINE_REPORT        /* decide, count and log; refuse nothing */
} notimpl_engine_e;

typedef struct {
    notimpl_set_t set;           /* what it refuses; a directory scope's
                                  * starts empty, so it is its change */
    notimpl_engine_e engine;     /* a directory's may be UNSET: the server's */
    int codings;                 /* server: check Transfer-Encoding */
    const char *allow_star;      /* server: Allow for OPTIONS * */
    const char *allow_star_trace; /* ... where TraceEnable is on */
} notimpl_policy_t;

typedef struct {
    /* As written; -1, NOTIMPL_FMT_UNSET or NULL where not.  The four
     * ints together: a host's config is one of thousands. */
    int engine;
    notimpl_format_e format;
    int transfer_codings;
    int shared;                       /* server: the config of every host
                                       * whose one directive is this line;
                                       * 2 once merged */
    apr_array_header_t *methods;      /* NotImplMethods lines, word arrays */
    apr_array_header_t *implemented;  /* NotImplImplemented words */
    const char *cache_control;        /* "" for none */
    apr_hash_t *alternatives;         /* method -> text */
    const ap_directive_t *where;      /* a section's first directive */
    server_rec *server;               /* ... and its server, for the dump */

    const notimpl_policy_t *policy;   /* compiled; NULL until then */
    struct notimpl_line *lines;       /* start-up: the list lines as
                                       * written, read when compiled */
    apr_pool_t *pending;              /* .htaccess: compile in this pool at
                                       * the first merge */
    const struct notimpl_docs *docs[2]; /* server: its method documents,
                                       * made at start-up (notimpl_docs.c);
                                       * [1] where TraceEnable is not off */
} notimpl_conf_t;

extern module AP_MODULE_DECLARE_DATA notimpl_module;

void *notimpl_create_config(apr_pool_t *p, char *dir);
void *notimpl_create_server_config(apr_pool_t *p, server_rec *s);
void *notimpl_merge_server_config(apr_pool_t *p, void *base, void *add);
void *notimpl_merge_dir_config(apr_pool_t *p, void *base, void *add);

/* A .htaccess scope is compiled once all of its lines are read: at its
 * first merge, or where the request finds it unmerged. */
void notimpl_conf_ready(notimpl_conf_t *c);

/* qsort() order of an array of C strings (method names, texts). */
int notimpl_by_string(const void *a, const void *b);

/* The parsers of mod_notimpl.c's directive table (notimpl_directives.c). */
const char *notimpl_cmd_engine(cmd_parms *cmd, void *dconf, const char *arg);
const char *notimpl_cmd_methods(cmd_parms *cmd, void *dconf, const char *args);
const char *notimpl_cmd_register(cmd_parms *cmd, void *dconf,
                                 const char *args);
const char *notimpl_cmd_format(cmd_parms *cmd, void *dconf, const char *arg);
const char *notimpl_cmd_cache_control(cmd_parms *cmd, void *dconf,
                                      const char *args);
const char *notimpl_cmd_alternative(cmd_parms *cmd, void *dconf,
                                    const char *args);
const char *notimpl_cmd_transfer_codings(cmd_parms *cmd, void *dconf, int on);

/* httpd's method registry, as notimpl_compile_all() last read it. */
extern const notimpl_resolver_t *notimpl_resolver;

/* pre_config: a new generation of configuration begins. */
int notimpl_config_begin(apr_pool_t *pconf, apr_pool_t *plog,
                         apr_pool_t *ptemp);
/* post_config: compiles every server scope and section; returns the names
 * the counters count exactly (registered methods, then declared names). */
apr_array_header_t *notimpl_compile_all(apr_pool_t *p, server_rec *s);
/* post_config: the start-up warnings (NI0010) once more, now that the
 * ErrorLog is open (notimpl_typos.c). */
void notimpl_config_log_warnings(void);
/* Every section of the configuration that holds a NotImpl directive
 * (notimpl_conf_t *), as registered while it was read; NULL if none. */
const apr_array_header_t *notimpl_config_sections(void);
/* "On", "Off" or "ReportOnly". */
const char *notimpl_engine_name(int engine);

/* test_config (notimpl_dump.c): with -D DUMP_NOTIMPL, prints the
 * effective policies. */
void notimpl_dump(apr_pool_t *p, server_rec *s);

#endif
