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

/* notimpl_config.c — scopes as written: create/merge, the scope each
 * directive sets, compiling into policies that virtual hosts saying the
 * same share (the parsers are notimpl_directives.c's, their typo warnings
 * notimpl_typos.c's, the dump of what they compile to notimpl_dump.c's). */
#include "apr_hash.h"
#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"

#include "notimpl_config_private.h"


/* ap_method_name_of() walks the whole registry on every call: read it
 * once per configuration, when the registry is complete. */
static const char *names_by_number[METHODS];

static const char *name_of(apr_pool_t *p, int n)
{
    (void)p;
    return n >= 0 && n < METHODS ? names_by_number[n] : NULL;
}

static notimpl_resolver_t live = { ap_method_number_of, name_of, 0 };
const notimpl_resolver_t *notimpl_resolver = &live;

/* notimpl_compiled_all (notimpl_config_private.h).  sections: each section that
 * said something before that registers itself, so that those httpd keeps
 * outside its own lists (mod_proxy's <Proxy>) are compiled too. */
int notimpl_compiled_all;
static apr_array_header_t *exact_names, *sections;

int notimpl_config_begin(apr_pool_t *pconf, apr_pool_t *plog,
                         apr_pool_t *ptemp)
{
    (void)pconf, (void)plog;
    notimpl_compiled_all = 0;
    exact_names = sections = NULL;
    notimpl_directives_begin(ptemp);
    notimpl_typos_begin();
    return OK;
}

notimpl_conf_t *notimpl_new_conf(apr_pool_t *p)
{
    notimpl_conf_t *c = apr_pcalloc(p, sizeof(*c));

    c->engine = NOTIMPL_ENGINE_UNSET;
    c->format = NOTIMPL_FMT_UNSET;
    c->transfer_codings = -1;
    return c;
}

/* A scope that has said nothing, never written.  httpd makes a
 * directory config without a path for the main server and every virtual
 * host (their lookup_defaults): directives there set the server scope
 * (notimpl_scope_of), so all share this one instead of a copy per host.  A
 * virtual host's server config is made when the host's first NotImpl
 * directive is read: it starts as this one too, and notimpl_scope_of() or
 * notimpl_cmd_methods() (a line that other hosts share) replaces it. */
notimpl_conf_t notimpl_unset_conf = {
    .engine = NOTIMPL_ENGINE_UNSET, .format = NOTIMPL_FMT_UNSET,
    .transfer_codings = -1
};

void *notimpl_create_config(apr_pool_t *p, char *dir)
{
    return dir ? notimpl_new_conf(p) : &notimpl_unset_conf;
}

/* The main server's is its own: post_config compiles into it whatever
 * it says. */
void *notimpl_create_server_config(apr_pool_t *p, server_rec *s)
{
    return s->is_virtual ? &notimpl_unset_conf : notimpl_new_conf(p);
}

static notimpl_policy_t *compile(apr_pool_t *p, notimpl_conf_t *c, int dir);

#define MERGED(field, unset) (add->field != (unset) ? add->field : base->field)

/* c = base with add's settings over it (c may be add). */
static void merge(apr_pool_t *p, notimpl_conf_t *c, const notimpl_conf_t *base,
                  const notimpl_conf_t *add)
{
    c->engine = MERGED(engine, NOTIMPL_ENGINE_UNSET);
    c->format = MERGED(format, NOTIMPL_FMT_UNSET);
    c->cache_control = MERGED(cache_control, NULL);
    c->transfer_codings = MERGED(transfer_codings, -1);
    c->alternatives = !base->alternatives ? add->alternatives
        : !add->alternatives ? base->alternatives
        : apr_hash_overlay(p, add->alternatives, base->alternatives);
    c->methods = add->methods;
    c->implemented = add->implemented;
    c->lines = add->lines;
}

/* A virtual host's lists are its own: they adjust the main server's set
 * when compiled in post_config, when every name resolves.  add is this
 * host's alone, or shared by hosts with the same one line: merged in
 * place, no second copy per host.  Every virtual host's base is the main
 * server, so a shared config is merged once for all of its hosts. */
void *notimpl_merge_server_config(apr_pool_t *p, void *basev, void *addv)
{
    notimpl_conf_t *add = addv;

    /* A host whose NotImpl directives are all in its sections: its own
     * server scope all the same, not the main server's. */
    if (add == &notimpl_unset_conf) {
        add = notimpl_new_conf(p);
    }
    if (add->shared != 2) {
        merge(p, add, basev, add);
        if (add->shared) {
            add->shared = 2;
        }
    }
    return add;
}

/* Sections that say nothing have no policy and are shared as they are,
 * so a request under them pays no merge; the rest stack compiled sets
 * (their lists, compiled already, are not read again). */
void *notimpl_merge_dir_config(apr_pool_t *p, void *basev, void *addv)
{
    notimpl_conf_t *base = basev, *add = addv, *c;
    notimpl_policy_t *pol;

    /* httpd merges every host's lookup_defaults (both this one) at
     * start-up; a pending base is made ready where it is used. */
    if (add == &notimpl_unset_conf) {
        return base;
    }
    notimpl_conf_ready(base);
    notimpl_conf_ready(add);
    if (!add->policy || !base->policy) {
        return add->policy ? add : base;
    }
    c = notimpl_new_conf(p);
    merge(p, c, base, add);
    pol = apr_palloc(p, sizeof(*pol));
    *pol = *add->policy;
    notimpl_set_then(p, &pol->set, &base->policy->set, &add->policy->set);
    if (pol->engine == NOTIMPL_ENGINE_UNSET) {
        pol->engine = base->policy->engine;
    }
    c->policy = pol;
    return c;
}

int notimpl_by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ------------------------------------------------------------ compiling */

/* httpd merges a .htaccess scope only where a scope above it has a config
 * of this module: the scope may reach a merge as its base, or a request
 * unmerged. */
void notimpl_conf_ready(notimpl_conf_t *c)
{
    if (c->pending) {
        compile(c->pending, c, 1);
    }
}

/* A line's words, w, joined to the scope's lists.  NotImplImplemented
 * lines add up, in place: a copy per line would cost O(N^2) for a scope
 * of N lines, in .htaccess on every request (the first line's array is
 * the scope's own, made for it).  NotImplMethods lines stay apart, in
 * order: each one's signs act on what the ones before left. */
void notimpl_add_line(apr_pool_t *p, notimpl_conf_t *c,
                      apr_array_header_t *w, int allowlist)
{
    if (!allowlist) {
        if (c->methods == NULL) {
            c->methods = apr_array_make(p, 2, sizeof(w));
        }
        APR_ARRAY_PUSH(c->methods, apr_array_header_t *) = w;
    }
    else if (c->implemented == NULL) {
        c->implemented = w;
    }
    else {
        apr_array_cat(c->implemented, w);
    }
}

/* A start-up scope's lines, as the word lists compile() reads;
 * check_line() (notimpl_directives.c) found them well formed already. */
static void read_lines(apr_pool_t *p, notimpl_conf_t *c)
{
    const struct notimpl_line *l;

    if (c->methods || c->implemented) {
        return;                 /* read already: lines stay, for sharing */
    }
    for (l = c->lines; l; l = l->next) {
        const char *args = l->args;
        apr_array_header_t *w = apr_array_make(p, 4, sizeof(char *));

        while (*(args += strspn(args, " \t"))) {
            APR_ARRAY_PUSH(w, const char *) = ap_getword_conf(p, &args);
        }
        notimpl_add_line(p, c, w, l->allowlist);
    }
}

/* What a scope's own lists change.  A directory scope starts from
 * nothing (docs/behaviour.md "Scopes" 2): there, what it changes is what it
 * refuses, as notimpl_set_has() reads a change.  It never decides TRACE: httpd
 * answers TRACE server-wide (TraceEnable) before the directory walk, so
 * a directory allowlist leaves TRACE to the server, and its document
 * lists it wherever the server serves it. */
static notimpl_policy_t *compile(apr_pool_t *p, notimpl_conf_t *c, int dir)
{
    notimpl_policy_t *pol = apr_pcalloc(p, sizeof(*pol));
    int i;

    read_lines(p, c);

    notimpl_set_compile(p, &pol->set, c->methods, c->implemented,
                        notimpl_resolver);
    if (dir) {
        pol->set.bits &= ~NOTIMPL_BIT(M_TRACE);
        pol->set.decides &= ~NOTIMPL_BIT(M_TRACE);
    }
    pol->engine = c->engine;
    c->policy = pol;
    c->pending = NULL;
    /* The counters count exactly every registered method and every name
     * the configuration's lists mention (.htaccess files, read later,
     * aside). */
    for (i = 0; !notimpl_compiled_all && i < pol->set.n_names; i++) {
        APR_ARRAY_PUSH(exact_names, const char *) = pol->set.names[i].name;
    }
    return pol;
}

/* What OPTIONS * lists: never CONNECT where nothing proxies it.  Hosts
 * mostly share a few sets, and a set without extension names lists by
 * its bits alone: those lists are made once per configuration. */
static apr_hash_t *star_lists;
static apr_uint64_t star_leave_out;

static const char *allow_star(apr_pool_t *p, const notimpl_set_t *set,
                              int trace)
{
    apr_uint64_t key[2] = { set->bits, 2u * trace + (set->allowlist == 1) };
    int cached = set->allowlist != 1 || set->n_names == 0;
    const char *list = cached ? apr_hash_get(star_lists, key, sizeof(key))
                              : NULL;

    if (list == NULL) {
        list = apr_array_pstrcat(p, notimpl_set_implemented(
                     p, set, 1, star_leave_out
                     | (trace ? 0 : NOTIMPL_BIT(M_TRACE)), notimpl_resolver),
                 ',');
        if (cached) {
            apr_hash_set(star_lists, apr_pmemdup(p, key, sizeof(key)),
                         sizeof(key), list);
        }
    }
    return list;
}

/* A server scope; *decided, what it would refuse whatever its engine,
 * is what its virtual hosts start from. */
static void compile_server(apr_pool_t *p, notimpl_conf_t *c,
                           const notimpl_set_t *base, notimpl_set_t *decided)
{
    notimpl_policy_t *pol = compile(p, c, 0);

    notimpl_set_then(p, decided, base, &pol->set);
    if (pol->engine == NOTIMPL_ENGINE_UNSET) {
        pol->engine = NOTIMPL_ENGINE_ON;
    }
    pol->set = pol->engine == NOTIMPL_ENGINE_OFF ? notimpl_set_empty
                                                 : *decided;
    pol->codings = pol->engine != NOTIMPL_ENGINE_OFF
        && c->transfer_codings != 0;
    pol->allow_star = allow_star(p, &pol->set, 0);
    pol->allow_star_trace = allow_star(p, &pol->set, 1);
}

/* What a server scope's policy is made of, as a string: its engine, its
 * Transfer-Encoding setting and its lines as written (a line holds no
 * line break).  Lines that differ only in spacing compile apart. */
static const char *server_key(apr_pool_t *p, const notimpl_conf_t *c)
{
    apr_array_header_t *parts = apr_array_make(p, 8, sizeof(char *));
    const struct notimpl_line *l;
    char *head = apr_palloc(p, 3);

    head[0] = (char)('1' + c->engine);
    head[1] = (char)('1' + c->transfer_codings);
    head[2] = '\0';
    APR_ARRAY_PUSH(parts, const char *) = head;
    for (l = c->lines; l; l = l->next) {
        APR_ARRAY_PUSH(parts, const char *) = l->allowlist ? "i" : "m";
        APR_ARRAY_PUSH(parts, const char *) = l->args;
    }
    return apr_array_pstrcat(p, parts, '\n');
}

const apr_array_header_t *notimpl_config_sections(void)
{
    return sections;
}

apr_array_header_t *notimpl_compile_all(apr_pool_t *p, server_rec *main_s)
{
    notimpl_conf_t *main_c = ap_get_module_config(main_s->module_config,
                                                  &notimpl_module);
    notimpl_set_t start, main_set, host_set;
    server_rec *s;
    apr_pool_t *tmp, *one;
    apr_hash_t *compiled;
    const notimpl_policy_t *policy;
    int n;

    exact_names = apr_array_make(p, 32, sizeof(char *));
    memset(names_by_number, 0, sizeof(names_by_number));
    for (n = 0; n < METHODS; n++) {
        names_by_number[n] = n == M_INVALID ? NULL : ap_method_name_of(p, n);
        if (names_by_number[n]) {
            APR_ARRAY_PUSH(exact_names, const char *) = names_by_number[n];
        }
        else if (n > M_INVALID) {
            /* Extension methods are numbered without gaps, and each
             * ap_method_name_of() walks the registry: no need to read on
             * through the unused numbers. */
            break;
        }
    }
    star_lists = apr_hash_make(p);
    star_leave_out = ap_find_linked_module("mod_proxy_connect.c")
        ? 0 : NOTIMPL_BIT(M_CONNECT);
    live.dav_loaded = ap_find_linked_module("mod_dav.c") != NULL;
    notimpl_set_auto(&start, notimpl_resolver);
    compile_server(p, main_c, &start, &main_set);
    /* tmp holds one key per distinct policy; each host's key is made in
     * one, cleared host by host: with thousands of hosts the keys must
     * not pile up. */
    apr_pool_create(&tmp, p);
    apr_pool_create(&one, tmp);
    compiled = apr_hash_make(tmp);
    for (s = main_s->next; s; s = s->next) {
        notimpl_conf_t *c = ap_get_module_config(s->module_config,
                                                 &notimpl_module);
        const char *key;

        /* A virtual host without NotImpl directives shares the main
         * server's config, compiled once (httpd merges no module config
         * into a host that did not set it); hosts with one same line
         * share theirs, compiled for the first of them. */
        if (c == main_c || c->policy) {
            continue;
        }
        /* Hosts whose lists and settings read the same share one policy. */
        apr_pool_clear(one);
        key = server_key(one, c);
        policy = apr_hash_get(compiled, key, APR_HASH_KEY_STRING);
        if (policy == NULL) {
            compile_server(p, c, &main_set, &host_set);
            policy = c->policy;
            apr_hash_set(compiled, apr_pstrdup(tmp, key), APR_HASH_KEY_STRING,
                         policy);
        }
        c->policy = policy;
    }
    apr_pool_destroy(tmp);
    for (n = 0; sections && n < sections->nelts; n++) {
        notimpl_conf_t *c = APR_ARRAY_IDX(sections, n, notimpl_conf_t *);

        compile(p, c, 1);
    }
    notimpl_compiled_all = 1;
    return exact_names;
}

/* ---------------------------------------------------------------- scopes */

/* A virtual host's server config, as it is now. */
notimpl_conf_t *notimpl_host_conf(const cmd_parms *cmd)
{
    return ap_get_module_config(cmd->server->module_config, &notimpl_module);
}

/* Outside any section a directive sets the server scope; in a section or
 * .htaccess, the directory scope.  A host that has said nothing yet, or
 * only a line it shares with other hosts, gets a config of its own here,
 * with that line. */
notimpl_conf_t *notimpl_scope_of(cmd_parms *cmd, void *dconf)
{
    notimpl_conf_t *c, *own;

    if (cmd->path) {
        return dconf;
    }
    c = notimpl_host_conf(cmd);
    if (c != &notimpl_unset_conf && !c->shared) {
        return c;
    }
    own = notimpl_new_conf(cmd->pool);
    if (c->shared) {
        *own = *c;
        own->shared = 0;
        /* Its own copy of the one line, which later lines follow. */
        own->lines = apr_pmemdup(cmd->pool, c->lines, sizeof(*c->lines));
    }
    ap_set_module_config(cmd->server->module_config, &notimpl_module, own);
    return own;
}

/* Each parser's last word, once c holds the directive's value.  Never
 * inside <Limit>: the module's directives decide for every method,
 * whatever it names (the error discards the configuration, value and
 * all).  A section is noted, for the dump, and registered for
 * notimpl_compile_all(); after start-up a directory scope is changed
 * only by .htaccess.  httpd says nothing when a .htaccess file ends, so
 * its scope is compiled when it is first merged, once, over all of its
 * lines: compiling after every line would cost O(N^2) per request. */
const char *notimpl_changed(cmd_parms *cmd, notimpl_conf_t *c)
{
    const char *err;

    /* httpd allows <Limit> only in sections and .htaccess: the server
     * scope's overrides lack OR_LIMIT (ap_process_config_tree). */
    if (!cmd->path) {
        return NULL;
    }
    if ((err = ap_check_cmd_context(cmd, NOT_IN_LIMIT)) != NULL) {
        return err;
    }
    if (notimpl_compiled_all) {
        c->pending = cmd->pool;
        c->policy = NULL;
    }
    else if (c->where == NULL) {
        c->where = cmd->directive;
        c->server = cmd->server;
        if (sections == NULL) {
            sections = apr_array_make(cmd->pool, 16, sizeof(c));
        }
        APR_ARRAY_PUSH(sections, notimpl_conf_t *) = c;
    }
    return NULL;
}
