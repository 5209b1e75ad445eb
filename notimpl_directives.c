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

/* notimpl_directives.c — the parsers of mod_notimpl.c's directive table:
 * each line's words checked, a refusal naming the directive and the word,
 * and start-up lines kept as written (one config for the virtual hosts
 * whose one line reads the same) until notimpl_config.c compiles them. */
#include "apr_hash.h"
#include "apr_lib.h"
#include "apr_strings.h"

#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"

#include "notimpl_config_private.h"

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

void notimpl_directives_begin(apr_pool_t *ptemp)
{
    scratch = NULL;
    /* ptemp lasts until post_config has run: hosts are matched only
     * while the configuration is read. */
    shared_line[0] = apr_hash_make(ptemp);
    shared_line[1] = apr_hash_make(ptemp);
    tail_conf = NULL;
    tail_line = NULL;
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
    if (notimpl_compiled_all) {
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
        *warned |= notimpl_warn_if_typo(cmd, tok, !allowlist && !sign);
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
    apr_hash_t *same = !notimpl_compiled_all && !cmd->path
        && notimpl_host_conf(cmd) == &notimpl_unset_conf
        ? shared_line[allowlist] : NULL;
    apr_array_header_t *w = NULL;
    const char *err;

    /* A virtual host's first directive: a line some host said before
     * passed its checks then. */
    if (same && (c = apr_hash_get(same, args, APR_HASH_KEY_STRING))) {
        ap_set_module_config(cmd->server->module_config, &notimpl_module, c);
        return notimpl_changed(cmd, c);
    }
    /* At start-up the words are only checked: the line is kept as
     * written, and read when compiled. */
    if ((err = check_line(cmd, args, allowlist, &w, &warned)) != NULL) {
        return err;
    }
    if (same && !warned) {
        apr_pool_clear(scratch);
        c = notimpl_new_conf(cmd->pool);
        c->shared = 1;
        c->lines = new_line(cmd, args, allowlist);
        apr_hash_set(same, args, APR_HASH_KEY_STRING, c);
        ap_set_module_config(cmd->server->module_config, &notimpl_module, c);
        return notimpl_changed(cmd, c);
    }
    c = notimpl_scope_of(cmd, dconf);
    if (!notimpl_compiled_all) {
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
    else {
        notimpl_add_line(cmd->pool, c, w, allowlist);
    }
    return notimpl_changed(cmd, c);
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
    notimpl_conf_t *c = notimpl_scope_of(cmd, dconf);
    int e;

    for (e = NOTIMPL_ENGINE_OFF; e <= NOTIMPL_ENGINE_REPORT; e++) {
        if (!ap_cstr_casecmp(arg, engine_names[e])) {
            c->engine = e;
            return notimpl_changed(cmd, c);
        }
    }
    return bad(cmd, "unknown value '%s' (expected On, Off or ReportOnly)",
               arg);
}

const char *notimpl_cmd_format(cmd_parms *cmd, void *dconf, const char *arg)
{
    notimpl_conf_t *c = notimpl_scope_of(cmd, dconf);

    c->format = notimpl_format_from_name(arg);
    if (c->format == NOTIMPL_FMT_UNSET) {
        return bad(cmd, "unknown format '%s' (expected auto, problem, json, "
                   "html or text)", arg);
    }
    return notimpl_changed(cmd, c);
}

/* RAW_ARGS, so that an empty value gets this directive's own message
 * rather than httpd's "takes one argument". */
const char *notimpl_cmd_cache_control(cmd_parms *cmd, void *dconf,
                                      const char *args)
{
    notimpl_conf_t *c = notimpl_scope_of(cmd, dconf);
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
    c->cache_control = ap_cstr_casecmp(arg, "none") ? arg : "";
    return notimpl_changed(cmd, c);
}

/* RAW_ARGS rather than TAKE2: httpd's "takes two arguments" would be
 * all an administrator hears of an empty text or one that lacks quotes. */
const char *notimpl_cmd_alternative(cmd_parms *cmd, void *dconf,
                                    const char *args)
{
    notimpl_conf_t *c = notimpl_scope_of(cmd, dconf);
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
    return notimpl_changed(cmd, c);
}

const char *notimpl_cmd_transfer_codings(cmd_parms *cmd, void *dconf, int on)
{
    notimpl_conf_t *c = notimpl_scope_of(cmd, dconf);

    c->transfer_codings = on;
    return notimpl_changed(cmd, c);
}
