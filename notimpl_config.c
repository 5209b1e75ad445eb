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

/* notimpl_config.c — scopes as written: create/merge, the directive
 * parsers and their warnings, compiling into policies (the dump of
 * what they compile to is notimpl_dump.c's). */
#include "apr_atomic.h"
#include "apr_hash.h"
#include "apr_lib.h"
#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"

#include "notimpl_config.h"

APLOG_USE_MODULE(notimpl);

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

/* compiled_all: the registry is complete, so a directive read now is
 * from .htaccess and compiled at once.  sections: each section that said
 * something before that registers itself, so that those httpd keeps
 * outside its own lists (mod_proxy's <Proxy>) are compiled too. */
static int compiled_all;
static apr_array_header_t *exact_names, *sections;
/* Start-up warnings (warning_t) for the ErrorLog, once it is open. */
static apr_array_header_t *warnings;

/* A NotImplMethods or NotImplImplemented line read at start-up, kept as
 * httpd holds it (the configuration tree's copy) until compiled: a
 * shared-hosting server has thousands of hosts with a line each, and
 * hosts with the same lines share one compiled policy. */
struct notimpl_line {
    const char *args;
    int allowlist;
    struct notimpl_line *next;
};

/* Where a start-up line's words are checked, emptied line by line. */
static apr_pool_t *scratch;
/* Shared-hosting servers have thousands of virtual hosts whose only
 * NotImpl directive is one line, mostly the same few lines.  A host's
 * config is that line's, shared with every host that says the same
 * (shared_line[allowlist]: line as written -> notimpl_conf_t): a host
 * costs no memory of this module, and its line is checked and compiled
 * once.  Only lines that passed their checks without a warning are
 * shared, so a line found here is not checked again (NotImplRegister
 * forgets them: a new name changes what looks like a typo). */
static apr_hash_t *shared_line[2];
/* Where notimpl_cmd_methods appended the last start-up line. */
static const notimpl_conf_t *tail_conf;
static struct notimpl_line *tail_line;

int notimpl_config_begin(apr_pool_t *pconf, apr_pool_t *plog,
                         apr_pool_t *ptemp)
{
    (void)pconf, (void)plog;
    compiled_all = 0;
    exact_names = sections = warnings = NULL;
    scratch = NULL;
    /* ptemp lasts until post_config has run: hosts are matched only
     * while the configuration is read. */
    shared_line[0] = apr_hash_make(ptemp);
    shared_line[1] = apr_hash_make(ptemp);
    tail_conf = NULL;
    tail_line = NULL;
    return OK;
}

static notimpl_conf_t *new_conf(apr_pool_t *p)
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
 * (scope_of), so all share this one instead of a copy per host.  A
 * virtual host's server config is made when the host's first NotImpl
 * directive is read: it starts as this one too, and scope_of() or
 * notimpl_cmd_methods() (a line that other hosts share) replaces it. */
static notimpl_conf_t unset_conf = {
    .engine = NOTIMPL_ENGINE_UNSET, .format = NOTIMPL_FMT_UNSET,
    .transfer_codings = -1
};

void *notimpl_create_config(apr_pool_t *p, char *dir)
{
    return dir ? new_conf(p) : &unset_conf;
}

/* The main server's is its own: post_config compiles into it whatever
 * it says. */
void *notimpl_create_server_config(apr_pool_t *p, server_rec *s)
{
    return s->is_virtual ? &unset_conf : new_conf(p);
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
    if (add == &unset_conf) {
        add = new_conf(p);
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
    if (add == &unset_conf) {
        return base;
    }
    notimpl_conf_ready(base);
    notimpl_conf_ready(add);
    if (!add->policy || !base->policy) {
        return add->policy ? add : base;
    }
    c = new_conf(p);
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

/* What a scope's own lists change.  A directory scope starts from
 * nothing (docs/behaviour.md "Scopes" 2): there, what it changes is what it
 * refuses, as notimpl_set_has() reads a change.  It never decides TRACE: httpd
 * answers TRACE server-wide (TraceEnable) before the directory walk, so
 * a directory allowlist leaves TRACE to the server, and its document
 * lists it wherever the server serves it. */
/* A start-up scope's lines, as the word lists compile() reads; words()
 * found them well formed already. */
/* NotImplImplemented lines add up.  In place: a copy per line would
 * cost O(N^2) for a scope of N lines, in .htaccess on every request.  The
 * first line's array is the scope's own (made for it by its parser). */
static void add_implemented(notimpl_conf_t *c, apr_array_header_t *w)
{
    if (c->implemented == NULL) {
        c->implemented = w;
    }
    else {
        apr_array_cat(c->implemented, w);
    }
}

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
        if (l->allowlist) {
            add_implemented(c, w);
        }
        else {
            if (c->methods == NULL) {
                c->methods = apr_array_make(p, 2, sizeof(w));
            }
            APR_ARRAY_PUSH(c->methods, apr_array_header_t *) = w;
        }
    }
}

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
    for (i = 0; !compiled_all && i < pol->set.n_names; i++) {
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
    compiled_all = 1;
    return exact_names;
}

/* ------------------------------------------------------------ directives */

/* A virtual host's server config, as it is now. */
static notimpl_conf_t *host_conf(const cmd_parms *cmd)
{
    return ap_get_module_config(cmd->server->module_config, &notimpl_module);
}

/* Outside any section a directive sets the server scope; in a section or
 * .htaccess, the directory scope.  A host that has said nothing yet, or
 * only a line it shares with other hosts, gets a config of its own here,
 * with that line. */
static notimpl_conf_t *scope_of(cmd_parms *cmd, void *dconf)
{
    notimpl_conf_t *c, *own;

    if (cmd->path) {
        return dconf;
    }
    c = host_conf(cmd);
    if (c != &unset_conf && !c->shared) {
        return c;
    }
    own = new_conf(cmd->pool);
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
static const char *changed(cmd_parms *cmd, notimpl_conf_t *c)
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
    if (compiled_all) {
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

/* The message names the directive and quotes arg as written: httpd
 * escapes control bytes and bad UTF-8 itself (ap_escape_errorlog_item(),
 * on the terminal and in the ErrorLog alike), so escaping here would
 * show each of them with a doubled backslash. */
static const char *bad(cmd_parms *cmd, const char *fmt, const char *arg)
{
    return apr_pstrcat(cmd->pool, cmd->cmd->name, ": ",
                       apr_psprintf(cmd->pool, fmt, arg), NULL);
}

/* Allow headers (and other servers' configurations) separate methods
 * with commas; the module's lists, like <Limit>'s, are words. */
static const char *comma_hint(const char *word)
{
    return strchr(word, ',') ? ": separate methods with spaces, not commas"
                             : "";
}

static int is_token(const char *s)
{
    return *s && *ap_scan_http_token(s) == '\0';
}

/* + and - are tchars, but a method name that begins with one is always a
 * misplaced sign ("+POST" where no sign belongs, "++PATCH"): refused, or
 * it would be taken for a method nobody sends. */
static const char *signed_name(cmd_parms *cmd, const char *word,
                               const char *name)
{
    return *name == '+' || *name == '-'
        ? bad(cmd, "'%s': a method name does not begin with + or - (signs "
              "belong only to NotImplMethods changes, one sign per word)",
              word)
        : NULL;
}

/* Where a line's words are made: in .htaccess, the request's pool (the
 * scope keeps them); at start-up, scratch, for checking only. */
static apr_pool_t *words_pool(cmd_parms *cmd)
{
    if (compiled_all) {
        return cmd->pool;
    }
    if (scratch == NULL) {
        apr_pool_create(&scratch, cmd->temp_pool);
    }
    return scratch;
}

/* The words of a line, with httpd's own quoting (ap_getword_conf).
 * RAW_ARGS rather than TAKE_ARGV, which keeps only the first 64 words.
 * An empty word or a quoted word holding a space is refused: either
 * would be taken for something the administrator did not mean. */
static const char *words(cmd_parms *cmd, const char *args,
                         apr_array_header_t **out)
{
    apr_pool_t *p = words_pool(cmd);
    apr_array_header_t *w = apr_array_make(p, 8, sizeof(char *));

    while (*args) {
        const char *word = ap_getword_conf(p, &args);

        if (*word == '\0') {
            return bad(cmd, "an empty word (\"\") is not a method name%s", "");
        }
        if (word[strcspn(word, " \t")]) {
            return bad(cmd, "'%s' holds white space: write one method or "
                       "group per word", word);
        }
        APR_ARRAY_PUSH(w, const char *) = word;
    }
    if (w->nelts == 0) {
        return bad(cmd, "at least one method is required%s", "");
    }
    *out = w;
    return NULL;
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

    for (i = 0; i < HTACCESS_TYPOS; i++) {
        seen = apr_atomic_cas32(&htaccess_typos[i], h, 0);
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
static int warn_if_typo(cmd_parms *cmd, const char *tok, int unsigned_list)
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
        || (compiled_all && !first_sight(cmd->temp_pool, cmd->directive,
                                         tok))) {
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
    if (compiled_all
        || ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, cmd->server, "%s", text);
    }
    if (!compiled_all) {
        if (warnings == NULL) {
            warnings = apr_array_make(cmd->pool, 4, sizeof(*w));
        }
        w = apr_array_push(warnings);
        w->s = cmd->server;
        w->text = text;
    }
    return 1;
}

/* The words of one NotImplMethods or NotImplImplemented line, checked;
 * *warned: whether a word was said to look like a typo. */
static const char *check_line(cmd_parms *cmd, const char *args,
                              int allowlist, apr_array_header_t **out,
                              int *warned)
{
    const char *first[2] = { NULL, NULL };  /* unsigned, signed word */
    apr_array_header_t *w;
    const char *err = words(cmd, args, &w);
    int i;

    if (err) {
        return err;
    }
    for (i = 0; i < w->nelts; i++) {
        const char *word = APR_ARRAY_IDX(w, i, const char *);
        int sign = !allowlist && (*word == '+' || *word == '-');
        const char *tok = word + sign;

        if (first[sign] == NULL) {
            first[sign] = word;
        }
        if ((err = signed_name(cmd, word, tok)) != NULL) {
            return err;
        }
        if (!is_token(tok)) {
            /* Only the groups this directive takes. */
            return bad(cmd, apr_pstrcat(cmd->temp_pool, "'%s' is neither a "
                       "method name (an RFC 9110 token such as PATCH or BREW) "
                       "nor a group (", allowlist ? "webdav or deltav"
                       : "unknown, webdav, deltav or auto", ")",
                       comma_hint(word), NULL), word);
        }
        if (allowlist && (!strcmp(tok, "unknown") || !strcmp(tok, "auto"))) {
            return bad(cmd, "the group '%s' cannot be listed as implemented "
                       "(name the methods, or the groups webdav and deltav)",
                       tok);
        }
        if (!allowlist && *word != '-'
            && (!strcmp(tok, "GET") || !strcmp(tok, "HEAD"))) {
            return bad(cmd, "%s cannot be declared not implemented (RFC 9110 "
                       "section 9.1: every server supports GET and HEAD)",
                       tok);
        }
        /* httpd answers TRACE before the directory walk, server-wide. */
        if (!allowlist && *word != '-' && cmd->path && !strcmp(tok, "TRACE")) {
            return bad(cmd, "%s is decided for the whole server: use "
                       "TraceEnable, or NotImplMethods +TRACE in the server "
                       "or <VirtualHost> scope, not in a directory scope",
                       tok);
        }
        *warned |= warn_if_typo(cmd, tok, !allowlist && !sign);
    }
    if (first[0] && first[1]) {
        return apr_psprintf(cmd->pool, "%s: '%s' and '%s' mix a signed change "
                            "with an unsigned list; use either a full list or "
                            "only +/- changes on one line", cmd->cmd->name,
                            first[0], first[1]);
    }
    *out = w;
    return NULL;
}

/* A start-up line, kept as written. */
static struct notimpl_line *new_line(cmd_parms *cmd, const char *args,
                                     int allowlist)
{
    struct notimpl_line *l = apr_palloc(cmd->pool, sizeof(*l));

    l->args = args;             /* the configuration tree's: it lasts */
    l->allowlist = allowlist;
    l->next = NULL;
    return l;
}

/* NotImplMethods, and NotImplImplemented (cmd->info set): one line. */
const char *notimpl_cmd_methods(cmd_parms *cmd, void *dconf, const char *args)
{
    notimpl_conf_t *c;
    int allowlist = cmd->info != NULL, warned = 0;
    apr_hash_t *same = !compiled_all && !cmd->path
        && host_conf(cmd) == &unset_conf ? shared_line[allowlist] : NULL;
    apr_array_header_t *w = NULL;
    const char *err;

    /* A virtual host's first directive: a line some host said before
     * passed its checks then. */
    if (same && (c = apr_hash_get(same, args, APR_HASH_KEY_STRING))) {
        ap_set_module_config(cmd->server->module_config, &notimpl_module, c);
        return changed(cmd, c);
    }
    /* At start-up the words are only checked: the line is kept as
     * written, and read when compiled. */
    if ((err = check_line(cmd, args, allowlist, &w, &warned)) != NULL) {
        return err;
    }
    if (same && !warned) {
        apr_pool_clear(scratch);
        c = new_conf(cmd->pool);
        c->shared = 1;
        c->lines = new_line(cmd, args, allowlist);
        apr_hash_set(same, args, APR_HASH_KEY_STRING, c);
        ap_set_module_config(cmd->server->module_config, &notimpl_module, c);
        return changed(cmd, c);
    }
    c = scope_of(cmd, dconf);
    if (!compiled_all) {
        struct notimpl_line *l = new_line(cmd, args, allowlist);
        struct notimpl_line **end = &c->lines;

        apr_pool_clear(scratch);
        /* Lines of one scope come one after another: append where the
         * last one went, not after a walk of the list (O(N^2) for a
         * section of N lines). */
        if (c == tail_conf) {
            end = &tail_line->next;
        }
        while (*end) {
            end = &(*end)->next;
        }
        *end = l;
        tail_conf = c;
        tail_line = l;
    }
    else if (allowlist) {
        add_implemented(c, w);
    }
    else {
        if (c->methods == NULL) {
            c->methods = apr_array_make(cmd->pool, 2, sizeof(w));
        }
        APR_ARRAY_PUSH(c->methods, apr_array_header_t *) = w;
    }
    return changed(cmd, c);
}

const char *notimpl_cmd_register(cmd_parms *cmd, void *dconf, const char *args)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    apr_array_header_t *w;
    int i;

    (void)dconf;
    if (err || (err = words(cmd, args, &w))) {
        return err;
    }
    /* A newly registered name changes what looks like a typo of it.
     * (GLOBAL_ONLY: never read once the hosts are compiled.) */
    apr_hash_clear(shared_line[0]);
    apr_hash_clear(shared_line[1]);
    for (i = 0; i < w->nelts; i++) {
        const char *m = APR_ARRAY_IDX(w, i, const char *);

        if ((err = signed_name(cmd, m, m)) != NULL) {
            return err;
        }
        if (!is_token(m) || notimpl_is_group(m)) {
            return bad(cmd, apr_pstrcat(cmd->temp_pool, "'%s' is not a "
                       "method name (an RFC 9110 token such as PURGE)",
                       comma_hint(m), NULL), m);
        }
        /* The registry lives as long as this configuration: it is
         * rebuilt on every restart.  It keeps the name itself, and the
         * words are scratch. */
        if (ap_method_register(cmd->pool, apr_pstrdup(cmd->pool, m))
            == M_INVALID) {
            return bad(cmd, "cannot register '%s': httpd's table of "
                       "extension methods is full", m);
        }
    }
    return NULL;
}

static const char *const engine_names[] = { "Off", "On", "ReportOnly" };

const char *notimpl_engine_name(int engine)
{
    return engine >= NOTIMPL_ENGINE_OFF && engine <= NOTIMPL_ENGINE_REPORT
        ? engine_names[engine] : "(unset)";
}

const char *notimpl_cmd_engine(cmd_parms *cmd, void *dconf, const char *arg)
{
    notimpl_conf_t *c = scope_of(cmd, dconf);
    int e;

    for (e = NOTIMPL_ENGINE_OFF; e <= NOTIMPL_ENGINE_REPORT; e++) {
        if (!strcasecmp(arg, engine_names[e])) {
            c->engine = e;
            return changed(cmd, c);
        }
    }
    return bad(cmd, "unknown value '%s' (expected On, Off or ReportOnly)",
               arg);
}

const char *notimpl_cmd_format(cmd_parms *cmd, void *dconf, const char *arg)
{
    notimpl_conf_t *c = scope_of(cmd, dconf);

    c->format = notimpl_format_from_name(arg);
    if (c->format == NOTIMPL_FMT_UNSET) {
        return bad(cmd, "unknown format '%s' (expected auto, problem, json, "
                   "html or text)", arg);
    }
    return changed(cmd, c);
}

/* TAKE1 and TAKE2 arguments are already copies in cmd->pool. */
/* RAW_ARGS, so that an empty value gets this directive's own message
 * rather than httpd's "takes one argument". */
const char *notimpl_cmd_cache_control(cmd_parms *cmd, void *dconf,
                                      const char *args)
{
    notimpl_conf_t *c = scope_of(cmd, dconf);
    const char *arg = ap_getword_conf(cmd->pool, &args), *s;

    if (*args) {
        return bad(cmd, "'%s' follows the value: quote a value that holds "
                   "spaces", ap_getword_conf(cmd->temp_pool, &args));
    }

    /* Sent verbatim as a header: visible ASCII and spaces only, so no
     * line break can split the header block. */
    for (s = arg; apr_isprint(*s); s++) {
    }
    if (*s) {
        return bad(cmd, "'%s' contains a control or non-ASCII byte", arg);
    }
    if (*arg == '\0') {
        return bad(cmd, "empty value (use 'none' to send no "
                   "Cache-Control)%s", "");
    }
    c->cache_control = strcasecmp(arg, "none") ? arg : "";
    return changed(cmd, c);
}

/* RAW_ARGS rather than TAKE2: httpd's "takes two arguments" would be
 * all an administrator hears of an empty text or one that lacks quotes. */
const char *notimpl_cmd_alternative(cmd_parms *cmd, void *dconf,
                                    const char *args)
{
    notimpl_conf_t *c = scope_of(cmd, dconf);
    const char *method = ap_getword_conf(cmd->pool, &args);
    int missing = *args == '\0';
    const char *text = ap_getword_conf(cmd->pool, &args);
    const char *s, *err;

    if (*method == '\0' && missing) {
        return bad(cmd, "a method and its alternative are required (e.g. "
                   "NotImplAlternative PATCH \"Send the whole document with "
                   "PUT.\")%s", "");
    }
    if ((err = signed_name(cmd, method, method)) != NULL) {
        return err;
    }
    if (!is_token(method) || notimpl_is_group(method)) {
        return bad(cmd, apr_pstrcat(cmd->temp_pool, "'%s' is not a method "
                   "name (an RFC 9110 token such as PATCH)", strchr(method,
                   ',') ? ": one NotImplAlternative line per method" : "",
                   NULL), method);
    }
    if (*text == '\0') {
        return bad(cmd, missing ? "no text after '%s': name the supported "
                   "alternative, in quotes" : "the text for '%s' is empty: "
                   "name the supported alternative", method);
    }
    if (*args) {
        return apr_psprintf(cmd->pool, "%s: '%s' follows the text for '%s': "
                            "quote a text that holds spaces", cmd->cmd->name,
                            ap_getword_conf(cmd->pool, &args), method);
    }
    /* The text reaches every format as written (docs/directives.md):
     * it must be UTF-8, and a control byte has no place in it. */
    for (s = text; *s && !apr_iscntrl(*s); s++) {
    }
    if (*s || !notimpl_utf8_valid(text)) {
        return bad(cmd, *s ? "the text '%s' contains a control character"
                           : "the text '%s' is not valid UTF-8", text);
    }
    if (c->alternatives == NULL) {
        c->alternatives = apr_hash_make(cmd->pool);
    }
    apr_hash_set(c->alternatives, method, APR_HASH_KEY_STRING, text);
    return changed(cmd, c);
}

const char *notimpl_cmd_transfer_codings(cmd_parms *cmd, void *dconf, int on)
{
    notimpl_conf_t *c = scope_of(cmd, dconf);

    c->transfer_codings = on;
    return changed(cmd, c);
}
