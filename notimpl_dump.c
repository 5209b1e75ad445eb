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

/* notimpl_dump.c — `apache2ctl -t -D DUMP_NOTIMPL`: the effective policy
 * of the main server, of every virtual host and of every section that
 * changes it (docs/observability.md), in the order the configuration
 * writes them, each section under its host; and a note for every
 * directive that has no effect (docs/behaviour.md "Scopes").
 *
 * Order and line numbers come from httpd's configuration tree
 * (ap_conftree), still whole when test_config runs: httpd's list of
 * virtual hosts runs opposite to the file, and a section's config knows
 * only its first directive. */
#include <stdlib.h>

#include "apr_hash.h"
#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "util_cfgtree.h"

#include "notimpl_config.h"

/* A scope being printed, and the printed sections it is nested in. */
typedef struct scope_t {
    const notimpl_conf_t *c;
    const ap_directive_t *node;  /* the section or <VirtualHost>; NULL for
                                  * the main server */
    const struct scope_t *up;    /* the enclosing printed section */
    const notimpl_conf_t *srv;   /* the server the scope is in */
    server_rec *s;
    int depth;
} scope_t;

typedef struct {
    apr_pool_t *p;
    apr_file_t *f;
    apr_hash_t *unplaced;        /* section node -> notimpl_conf_t * */
} dump_t;

static void line(dump_t *d, int depth, const char *label, const char *value)
{
    apr_file_printf(d->f, "%*s%s: %s\n", 4 * depth, "", label, value);
}

/* ------------------------------------------------------------ values */

/* A set in words: `unknown` when it takes every unregistered name, the
 * registered methods, then the names decided one by one ("-NAME" for an
 * exemption from unknown). */
static const char *describe(apr_pool_t *p, const notimpl_set_t *set)
{
    apr_array_header_t *w = apr_array_make(p, 16, sizeof(char *));
    int n;

    if (set->unknown == 1) {
        APR_ARRAY_PUSH(w, const char *) = "unknown";
    }
    for (n = M_GET + 1; n < METHODS; n++) {
        const char *name = notimpl_resolver->name_of(p, n);

        if ((set->bits & NOTIMPL_BIT(n)) && name) {
            APR_ARRAY_PUSH(w, const char *) = name;
        }
    }
    for (n = 0; n < set->n_names; n++) {
        if (set->names[n].refused != (set->unknown == 1)) {
            APR_ARRAY_PUSH(w, const char *) = apr_pstrcat(p,
                set->names[n].refused ? "" : "-", set->names[n].name, NULL);
        }
    }
    return w->nelts ? apr_array_pstrcat(p, w, ' ') : "(none)";
}

static int has_engine(const notimpl_conf_t *c)
{
    return c->engine != NOTIMPL_ENGINE_UNSET;
}

static int has_format(const notimpl_conf_t *c)
{
    return c->format != NOTIMPL_FMT_UNSET;
}

static int has_cache_control(const notimpl_conf_t *c)
{
    return c->cache_control != NULL;
}

/* Where a section's setting comes from, as notimpl_merge_dir_config()
 * and the hooks take it: the section itself, else the nearest enclosing
 * section that sets it, else (NULL) its server. */
static const scope_t *setter(const scope_t *sc,
                             int (*sets)(const notimpl_conf_t *))
{
    while (sc && sc->node && sc->c != sc->srv && !sets(sc->c)) {
        sc = sc->up;
    }
    return sc && sc->c != sc->srv && sets(sc->c) ? sc : NULL;
}

static const char *origin(const scope_t *sc, const scope_t *at)
{
    return sc->c == sc->srv || at == sc ? ""
         : at ? " (inherited)" : " (the server's)";
}

static int scope_engine(const scope_t *sc)
{
    const scope_t *at = setter(sc, has_engine);

    return (at ? at->c : sc->srv)->policy->engine;
}

/* A section's own alternatives, then those it takes from enclosing
 * sections and its server (decide() looks in both), by method. */
static const char *alternatives(apr_pool_t *p, const scope_t *sc)
{
    apr_hash_t *seen = apr_hash_make(p);
    apr_array_header_t *w = apr_array_make(p, 4, sizeof(char *));
    const scope_t *at = sc;
    int done = 0, i;

    while (!done) {
        const notimpl_conf_t *c = at ? at->c : sc->srv;
        apr_hash_index_t *hi;

        done = at == NULL || c == sc->srv;
        for (hi = c->alternatives ? apr_hash_first(p, c->alternatives) : NULL;
             hi; hi = apr_hash_next(hi)) {
            const char *m = apr_hash_this_key(hi);

            if (!apr_hash_get(seen, m, APR_HASH_KEY_STRING)) {
                apr_hash_set(seen, m, APR_HASH_KEY_STRING, m);
                APR_ARRAY_PUSH(w, const char *) = apr_psprintf(p,
                    "%s \"%s\"%s", m, (const char *)apr_hash_this_val(hi),
                    origin(sc, at));
            }
        }
        at = at ? at->up : NULL;
    }
    qsort(w->elts, w->nelts, sizeof(char *), notimpl_by_string);
    for (i = 1; i < w->nelts; i++) {
        APR_ARRAY_IDX(w, i, const char *) = apr_pstrcat(p, "; ",
            APR_ARRAY_IDX(w, i, const char *), NULL);
    }
    return w->nelts ? apr_array_pstrcat(p, w, 0) : "(none)";
}

/* ------------------------------------------------------------ notes */

/* "line N" within the scope's file, else "FILE:N". */
static const char *at_line(apr_pool_t *p, const scope_t *sc,
                           const ap_directive_t *dir)
{
    const char *file = sc->node ? sc->node->filename
                     : ap_conftree ? ap_conftree->filename : NULL;

    return file && !strcmp(file, dir->filename)
        ? apr_psprintf(p, "line %d", dir->line_num)
        : apr_psprintf(p, "%s:%d", dir->filename, dir->line_num);
}

static int is_directive(const ap_directive_t *dir, const char *name)
{
    return !ap_cstr_casecmp(dir->directive, name);
}

/* The words of a directive's arguments, with httpd's quoting. */
static apr_array_header_t *words_of(apr_pool_t *p, const ap_directive_t *dir)
{
    apr_array_header_t *w = apr_array_make(p, 8, sizeof(char *));
    const char *args = dir->args;

    while (*args) {
        APR_ARRAY_PUSH(w, const char *) = ap_getword_conf(p, &args);
    }
    return w;
}

/* What of token the server scope refuses itself, when it is On: a
 * directory scope cannot take that back (docs/behaviour.md "Scopes" 2).  NULL
 * when nothing. */
static const char *server_keeps(apr_pool_t *p, const scope_t *sc,
                                const char *token)
{
    const notimpl_set_t *srv = &sc->srv->policy->set;
    apr_array_header_t *lines, *one;
    notimpl_set_t t;

    if (sc->srv->policy->engine != NOTIMPL_ENGINE_ON) {
        return NULL;
    }
    if (!notimpl_is_group(token)) {
        return notimpl_set_has(srv, notimpl_resolver->number_of(token), token)
            ? token : NULL;
    }
    one = apr_array_make(p, 1, sizeof(char *));
    lines = apr_array_make(p, 1, sizeof(one));
    APR_ARRAY_PUSH(one, const char *) = token;
    APR_ARRAY_PUSH(lines, apr_array_header_t *) = one;
    notimpl_set_compile(p, &t, lines, NULL, notimpl_resolver);
    t.bits &= srv->bits;
    t.unknown = t.unknown == 1 && srv->unknown == 1;
    return t.bits || t.unknown ? describe(p, &t) : NULL;
}

static void note(dump_t *d, const scope_t *sc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void note(dump_t *d, const scope_t *sc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    line(d, sc->depth + 1, "note", apr_pvsprintf(d->p, fmt, ap));
    va_end(ap);
}

/* The key under which a later directive replaces an earlier one at the
 * same scope: its name, and for NotImplAlternative the method too. */
static const char *replaced_by(apr_pool_t *p, const ap_directive_t *dir,
                               const apr_array_header_t *w)
{
    char *key = apr_pstrcat(p, dir->directive, " ",
                            is_directive(dir, "NotImplAlternative")
                            && w->nelts ? APR_ARRAY_IDX(w, 0, const char *)
                                        : "", NULL);

    ap_str_tolower(key);
    return key;
}

/* GET and HEAD are never refused, in any scope; a section's removals
 * and allowlist cannot take back what its server refuses. */
static void note_words(dump_t *d, const scope_t *sc, const ap_directive_t *dir,
                       const apr_array_header_t *w, const char *where,
                       int section)
{
    int allowlist = is_directive(dir, "NotImplImplemented"), i;

    for (i = 0; i < w->nelts; i++) {
        const char *word = APR_ARRAY_IDX(w, i, const char *), *kept;

        if (!allowlist && *word != '-') {
            continue;
        }
        word += !allowlist;
        if (!strcmp(word, "GET") || !strcmp(word, "HEAD")) {
            if (!allowlist) {
                note(d, sc, "%s -%s (%s) has no effect: GET and HEAD are "
                     "always implemented", dir->directive, word, where);
            }
        }
        else if (section && !allowlist && !strcmp(word, "TRACE")) {
            note(d, sc, "%s -TRACE (%s) has no effect: TRACE is decided for "
                 "the whole server (TraceEnable), never by a directory "
                 "scope", dir->directive, where);
        }
        else if (section && (kept = server_keeps(d->p, sc, word)) != NULL) {
            note(d, sc, "%s %s%s (%s) has no effect on %s: the server scope "
                 "refuses %s, and a directory scope can only add",
                 dir->directive, allowlist ? "" : "-", word, where, kept,
                 strchr(kept, ' ') ? "them" : "it");
        }
    }
}

/* Whether a section and those it is nested in refuse nothing: then its
 * format, Cache-Control and alternatives are never used, as they are
 * for directory scopes' 501s (docs/behaviour.md "Scopes"), unless a section
 * that is not nested around it refuses something at the same URL. */
static int refuses_nothing(const scope_t *sc)
{
    int n;

    for (; sc && sc->node && sc->c != sc->srv; sc = sc->up) {
        const notimpl_set_t *set = &sc->c->policy->set;

        if (set->bits || set->unknown == 1 || set->allowlist == 1) {
            return 0;
        }
        for (n = 0; n < set->n_names; n++) {
            if (set->names[n].refused) {
                return 0;
            }
        }
    }
    return 1;
}

/* A note for each directive written directly in one scope (a section,
 * a <VirtualHost>, the main server's top level) that has no effect. */
static void notes(dump_t *d, const scope_t *sc, const ap_directive_t *first)
{
    apr_pool_t *p = d->p;
    int section = sc->node && !is_directive(sc->node, "<VirtualHost");
    int engine = scope_engine(sc);
    const ap_directive_t *dir, *allowlist = NULL, *last_list = NULL;
    apr_hash_t *last = apr_hash_make(p);

    for (dir = first; dir; dir = dir->next) {
        apr_array_header_t *w;

        if (ap_cstr_casecmpn(dir->directive, "NotImpl", 7) != 0) {
            continue;
        }
        w = words_of(p, dir);
        apr_hash_set(last, replaced_by(p, dir, w), APR_HASH_KEY_STRING, dir);
        if (is_directive(dir, "NotImplImplemented")) {
            allowlist = dir;
        }
        else if (is_directive(dir, "NotImplMethods") && w->nelts
                 && !strchr("+-", *APR_ARRAY_IDX(w, 0, const char *))) {
            last_list = dir;
        }
    }
    for (dir = first; dir; dir = dir->next) {
        const char *name = dir->directive, *where, *kept;
        const ap_directive_t *later;
        apr_array_header_t *w;
        int list = is_directive(dir, "NotImplMethods")
                   || is_directive(dir, "NotImplImplemented");

        if (ap_cstr_casecmpn(name, "NotImpl", 7) != 0) {
            continue;
        }
        where = at_line(p, sc, dir);
        w = words_of(p, dir);
        later = apr_hash_get(last, replaced_by(p, dir, w),
                             APR_HASH_KEY_STRING);
        if (dir == last_list) {
            last_list = NULL;       /* the lines after it count */
        }
        if (is_directive(dir, "NotImplMethods") && (allowlist || last_list)) {
            note(d, sc, "%s (%s) has no effect: %s (%s) %s", name, where,
                 allowlist ? "NotImplImplemented" : "the list without signs",
                 at_line(p, sc, allowlist ? allowlist : last_list),
                 allowlist ? "takes precedence in the same scope"
                           : "replaces it");
        }
        else if (later != dir && !list
                 && !is_directive(dir, "NotImplRegister")) {
            note(d, sc, "%s%s%s (%s) has no effect: %s sets it again", name,
                 is_directive(dir, "NotImplAlternative") ? " " : "",
                 is_directive(dir, "NotImplAlternative")
                 ? APR_ARRAY_IDX(w, 0, const char *) : "", where,
                 at_line(p, sc, later));
        }
        else if (is_directive(dir, "NotImplAlternative") && w->nelts
                 && (!strcmp(APR_ARRAY_IDX(w, 0, const char *), "GET")
                     || !strcmp(APR_ARRAY_IDX(w, 0, const char *), "HEAD"))) {
            note(d, sc, "%s %s (%s) has no effect: GET and HEAD are always "
                 "implemented", name, APR_ARRAY_IDX(w, 0, const char *),
                 where);
        }
        /* The main server's lists are where its virtual hosts start,
         * whatever its own engine. */
        else if (engine == NOTIMPL_ENGINE_OFF && sc->node
                 && (list || is_directive(dir, "NotImplTransferCodings"))) {
            note(d, sc, "%s (%s) has no effect: the engine is Off here",
                 name, where);
        }
        else if (section && is_directive(dir, "NotImplEngine")
                 && sc->c->engine == NOTIMPL_ENGINE_OFF
                 && sc->srv->policy->engine == NOTIMPL_ENGINE_ON
                 && strcmp(kept = describe(p, &sc->srv->policy->set),
                           "(none)") != 0) {
            note(d, sc, "NotImplEngine Off (%s) turns off only what directory "
                 "scopes add: the server scope still refuses %s", where,
                 kept);
        }
        else if (section && (is_directive(dir, "NotImplFormat")
                             || is_directive(dir, "NotImplCacheControl")
                             || is_directive(dir, "NotImplAlternative"))
                 && refuses_nothing(sc)) {
            note(d, sc, "%s (%s) has no effect unless another section "
                 "refuses something here: it is for the 501s of directory "
                 "scopes, and this section and those around it refuse "
                 "nothing (the server scope's 501s take the server's)",
                 name, where);
        }
        else if (list) {
            note_words(d, sc, dir, w, where, section);
        }
    }
}

/* ------------------------------------------------------------ scopes */

/* A section's -TOKEN words that count: those after its last list
 * without signs; NULL when none. */
static apr_array_header_t *removals(apr_pool_t *p, const notimpl_conf_t *c)
{
    apr_array_header_t *out = apr_array_make(p, 4, sizeof(char *));
    int i, j;

    for (i = 0; !c->implemented && c->methods && i < c->methods->nelts; i++) {
        const apr_array_header_t *w =
            APR_ARRAY_IDX(c->methods, i, const apr_array_header_t *);

        for (j = 0; j < w->nelts; j++) {
            const char *word = APR_ARRAY_IDX(w, j, const char *);

            if (j == 0 && *word != '+' && *word != '-') {
                apr_array_clear(out);
            }
            if (*word == '-') {
                APR_ARRAY_PUSH(out, const char *) = word + 1;
            }
        }
    }
    return out->nelts ? out : NULL;
}

static void print_scope(dump_t *d, const scope_t *sc, const char *title)
{
    apr_pool_t *p = d->p;
    const notimpl_policy_t *pol = sc->c->policy;
    int depth = sc->depth + 1, server = sc->c == sc->srv || !sc->node
        || is_directive(sc->node, "<VirtualHost");
    int engine = scope_engine(sc);
    const scope_t *at;
    apr_array_header_t *impl = notimpl_set_implemented(p, &pol->set, 0, 0,
                                                       notimpl_resolver);

    apr_file_printf(d->f, "%*s%s\n", 4 * sc->depth, "", title);
    at = setter(sc, has_engine);
    line(d, depth, "engine", apr_pstrcat(p, notimpl_engine_name(engine),
                                         origin(sc, at), NULL));
    if (impl) {
        line(d, depth, "allowlist", apr_array_pstrcat(p, impl, ' '));
    }
    else if (server) {
        line(d, depth, "not implemented", describe(p, &pol->set));
    }
    else {
        /* What the section's own lists change (docs/behaviour.md "Scopes" 2).
         * */
        line(d, depth, pol->set.unknown >= 0 && pol->set.decides
             == notimpl_set_empty.decides ? "adds (in place of what "
             "enclosing sections add)" : "adds", describe(p, &pol->set));
        if ((impl = removals(p, sc->c)) != NULL) {
            line(d, depth, "removes (what enclosing sections add)",
                 apr_array_pstrcat(p, impl, ' '));
        }
    }
    at = setter(sc, has_format);
    line(d, depth, "format", apr_pstrcat(p, notimpl_format_name(
             (at ? at->c : sc->srv)->format), origin(sc, at), NULL));
    at = setter(sc, has_cache_control);
    line(d, depth, "Cache-Control", apr_pstrcat(p,
         (at ? at->c : sc->srv)->cache_control
         && *(at ? at->c : sc->srv)->cache_control
         ? (at ? at->c : sc->srv)->cache_control : "none",
         origin(sc, at), NULL));
    line(d, depth, "alternatives", alternatives(p, sc));
    if (server) {
        core_server_config *core =
            ap_get_core_module_config(sc->s->module_config);
        int on = engine == NOTIMPL_ENGINE_ON;

        line(d, depth, "transfer codings other than chunked",
             !pol->codings ? "passed on" : on ? "501" : "reported");
        line(d, depth, "OPTIONS * Allow",
             !on ? "(none added: the engine is not On)"
             : notimpl_set_has(&pol->set, M_OPTIONS, "OPTIONS")
             ? "(none: OPTIONS is not implemented here, so OPTIONS * gets "
               "the 501)"
             : core->trace_enable == AP_TRACE_DISABLE
             ? pol->allow_star : pol->allow_star_trace);
    }
}

/* Every section under node (and its siblings) that says something, at
 * the depth of its nesting among those printed. */
static void walk(dump_t *d, const ap_directive_t *node, const scope_t *up)
{
    for (; node; node = node->next) {
        const notimpl_conf_t *c = apr_hash_get(d->unplaced, &node,
                                               sizeof(node));

        if (c) {
            scope_t sc = { c, node, up->c != up->srv ? up : NULL, up->srv, up->s,
                           up->depth + 1 };

            apr_hash_set(d->unplaced, &node, sizeof(node), NULL);
            print_scope(d, &sc, apr_psprintf(d->p, "%s %s (%s:%d)",
                        node->directive, node->args, node->filename,
                        node->line_num));
            notes(d, &sc, node->first_child);
            walk(d, node->first_child, &sc);
        }
        else if (node->first_child && !is_directive(node, "<VirtualHost")) {
            walk(d, node->first_child, up);
        }
    }
}

static void print_host(dump_t *d, server_rec *s, const ap_directive_t *node,
                       const notimpl_conf_t *main_c)
{
    const notimpl_conf_t *c = ap_get_module_config(s->module_config,
                                                   &notimpl_module);
    scope_t sc = { c, node, NULL, c, s, 0 };

    print_scope(d, &sc, node == NULL
                ? apr_psprintf(d->p, "main server %s", s->server_hostname)
                : apr_psprintf(d->p, "<VirtualHost %s:%u> %s (%s:%d)%s",
                               s->addrs ? s->addrs->virthost : "*",
                               s->addrs ? s->addrs->host_port : 0,
                               s->server_hostname, s->defn_name,
                               s->defn_line_number,
                               c == main_c ? ", as the main server" : ""));
    notes(d, &sc, node ? node->first_child : ap_conftree);
    /* The main server's sections are those outside every <VirtualHost>. */
    walk(d, node ? node->first_child : ap_conftree, &sc);
}

void notimpl_dump(apr_pool_t *p, server_rec *main_s)
{
    const notimpl_conf_t *main_c = ap_get_module_config(main_s->module_config,
                                                        &notimpl_module);
    const apr_array_header_t *sections;
    const ap_directive_t *node;
    dump_t d = { p, NULL, apr_hash_make(p) };
    apr_hash_index_t *hi;
    server_rec *s;
    int i;

    if (!ap_exists_config_define("DUMP_NOTIMPL")) {
        return;
    }
    notimpl_compile_all(p, main_s);
    sections = notimpl_config_sections();
    for (i = 0; sections && i < sections->nelts; i++) {
        const notimpl_conf_t *c = APR_ARRAY_IDX(sections, i, notimpl_conf_t *);
        const ap_directive_t *section = c->where->parent;

        apr_hash_set(d.unplaced, apr_pmemdup(p, &section, sizeof(section)),
                     sizeof(section), c);
    }
    apr_file_open_stdout(&d.f, p);
    apr_file_printf(d.f, "mod_notimpl policy:\n");
    print_host(&d, main_s, NULL, main_c);
    /* Virtual hosts as the file writes them: <VirtualHost> is allowed
     * only at the top level (Include and <IfModule> are spliced in). */
    for (node = ap_conftree; node; node = node->next) {
        for (s = main_s->next; is_directive(node, "<VirtualHost") && s;
             s = s->next) {
            if ((int)s->defn_line_number == node->line_num && s->defn_name
                && !strcmp(s->defn_name, node->filename)) {
                print_host(&d, s, node, main_c);
                break;
            }
        }
    }
    /* Anything the walk did not reach is printed still, not lost. */
    for (hi = apr_hash_first(p, d.unplaced); hi; hi = apr_hash_next(hi)) {
        const ap_directive_t *const *section = apr_hash_this_key(hi);
        const notimpl_conf_t *c = apr_hash_this_val(hi);
        scope_t sc = { c, *section, NULL,
                       ap_get_module_config(c->server->module_config,
                                            &notimpl_module), c->server, 1 };

        print_scope(&d, &sc, apr_psprintf(p, "%s %s (%s:%d), in server %s",
                    (*section)->directive, (*section)->args,
                    (*section)->filename, (*section)->line_num,
                    c->server->server_hostname));
    }
}
