/* notimpl_config.h — the module's configuration: one struct for a scope,
 * used both as the server config (main server, <VirtualHost>) and as the
 * per-directory config (<Directory>, <Location>, <Files>, .htaccess).
 *
 * The two are separate policies (SPEC "Scopes"): the server scope is
 * decided in post_read_request from the server config; a directory scope
 * can only add methods, so its set starts empty and grows with the
 * directory walk.  A directive outside any section therefore writes to the
 * server config, inside one to the directory config. */
#ifndef NOTIMPL_CONFIG_H
#define NOTIMPL_CONFIG_H

#include "httpd.h"
#include "http_config.h"

#include "notimpl_format.h"
#include "notimpl_policy.h"

typedef struct notimpl_scope_t notimpl_scope_t;

struct notimpl_scope_t {
    /* As written at this scope; -1, NULL or UNSET where not written. */
    int engine;
    apr_array_header_t *ops;          /* NotImplMethods, in order */
    apr_array_header_t *implemented;  /* NotImplImplemented names */
    notimpl_format_e format;
    int cache_control_set;
    const char *cache_control;        /* NULL: send none */
    apr_hash_t *alternatives;         /* method -> text; NULL: none here */
    int transfer_codings;             /* server scope only */

    /* Server scope: the main server's scope, which a <VirtualHost> adjusts
     * (NULL for the main server).  Compiled in post_config. */
    const notimpl_scope_t *parent;

    /* The compiled policy: the methods refused here (already empty when
     * the engine is off), so the request path is one test of `set`. */
    notimpl_set_t set;
    int active;   /* the engine is on (and, for a directory, set is not empty) */
    /* The method numbers a request path must look at more closely: those
     * in `set`, M_INVALID when names decide, and for the server scope
     * OPTIONS (for OPTIONS *).  Zero when inactive.  Every other method
     * passes with one bit test and no function call. */
    apr_uint64_t attention;
    int check_codings;        /* server scope: look at Transfer-Encoding */
    const char *allow_star;   /* server scope: Allow for OPTIONS * */
};

extern module AP_MODULE_DECLARE_DATA notimpl_module;
extern const command_rec notimpl_cmds[];

void *notimpl_create_server_config(apr_pool_t *p, server_rec *s);
void *notimpl_merge_server_config(apr_pool_t *p, void *base, void *add);
void *notimpl_create_dir_config(apr_pool_t *p, char *dir);
void *notimpl_merge_dir_config(apr_pool_t *p, void *base, void *add);

/* Resolves method names against httpd's registry as it stands now. */
const notimpl_resolver_t *notimpl_resolver(void);

/* post_config: fixes what `auto` means and compiles every server scope
 * once the method registry is complete. */
void notimpl_compile_servers(apr_pool_t *p, server_rec *main_server);

/* Effective settings of a scope, falling back to the server scope. */
notimpl_format_e notimpl_scope_format(const notimpl_scope_t *dir,
                                      const notimpl_scope_t *srv);
const char *notimpl_scope_cache_control(const notimpl_scope_t *dir,
                                        const notimpl_scope_t *srv);
const char *notimpl_scope_alternative(const notimpl_scope_t *dir,
                                      const notimpl_scope_t *srv,
                                      const char *method);

#endif
