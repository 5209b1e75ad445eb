/* notimpl_directives.c — parsing the NotImpl* directives into the scope
 * config.  Validation happens here, so a bad line fails `apachectl
 * configtest` (or, in .htaccess, gives httpd's usual 500 naming the file). */
#include <string.h>
#include "apr_strings.h"
#include "apr_lib.h"

#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"

#include "notimpl_config.h"
#include "notimpl_directives.h"

/* Outside any section a directive sets the server scope (main server or
 * <VirtualHost>); in a section or .htaccess, the directory scope. */
static notimpl_scope_t *scope_of(cmd_parms *cmd, void *dconf)
{
    if (cmd->path == NULL) {
        return ap_get_module_config(cmd->server->module_config,
                                    &notimpl_module);
    }
    return dconf;
}

const char *notimpl_cmd_engine(cmd_parms *cmd, void *dconf, int on)
{
    scope_of(cmd, dconf)->engine = on;
    return NULL;
}

/* The words of a directive line.  RAW_ARGS rather than TAKE_ARGV:
 * httpd's TAKE_ARGV silently keeps only the first 64 words of a line, and
 * a method list may be longer. */
static char **words(cmd_parms *cmd, const char *args, int *argc)
{
    apr_array_header_t *list = apr_array_make(cmd->temp_pool, 16,
                                              sizeof(char *));
    const char *w;

    while (*args && *(w = ap_getword_conf(cmd->pool, &args)) != '\0') {
        APR_ARRAY_PUSH(list, char *) = (char *)w;
    }
    *argc = list->nelts;
    return (char **)list->elts;
}

const char *notimpl_cmd_methods(cmd_parms *cmd, void *dconf,
                                const char *args)
{
    int i, argc;
    char **argv = words(cmd, args, &argc);

    /* httpd's core answers TRACE in map_to_storage, before the directory
     * walk that directory scopes wait for: there +TRACE could never take
     * effect, so say so instead of doing nothing. */
    for (i = 0; cmd->path && i < argc; i++) {
        const char *tok = argv[i] + (*argv[i] == '+');
        if (*argv[i] != '-' && strcmp(tok, "TRACE") == 0) {
            return apr_psprintf(cmd->pool, "%s: TRACE can only be declared "
                                "not implemented at server scope (httpd "
                                "answers TRACE before the directory walk); "
                                "declare it outside %s%s", cmd->cmd->name,
                                cmd->directive->parent
                                ? cmd->directive->parent->directive
                                : ".htaccess",
                                cmd->directive->parent ? ">" : "");
        }
    }
    return notimpl_parse_methods(cmd->pool, cmd->cmd->name, argc, argv,
                                 &scope_of(cmd, dconf)->ops);
}

const char *notimpl_cmd_implemented(cmd_parms *cmd, void *dconf,
                                    const char *args)
{
    int argc;
    char **argv = words(cmd, args, &argc);

    return notimpl_parse_implemented(cmd->pool, cmd->cmd->name, argc, argv,
                                     &scope_of(cmd, dconf)->implemented);
}

const char *notimpl_cmd_register(cmd_parms *cmd, void *dconf,
                                 const char *args)
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    int i, argc;
    char **argv = words(cmd, args, &argc);

    (void)dconf;
    if (err) {
        return err;
    }
    if (argc == 0) {
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           ": at least one method is required", NULL);
    }
    for (i = 0; i < argc; i++) {
        if (!notimpl_is_token(argv[i]) || notimpl_is_group(argv[i])) {
            return apr_psprintf(cmd->pool, "%s: '%s' is not a method name "
                                "(an RFC 9110 token such as PURGE)",
                                cmd->cmd->name, argv[i]);
        }
    }
    for (i = 0; i < argc; i++) {
        /* The registry lives in pconf and is rebuilt on every restart,
         * exactly as long as this configuration. */
        if (ap_method_register(cmd->pool, argv[i]) == M_INVALID) {
            return apr_psprintf(cmd->pool, "%s: cannot register '%s': "
                                "httpd's table of extension methods is full",
                                cmd->cmd->name, argv[i]);
        }
    }
    return NULL;
}

const char *notimpl_cmd_format(cmd_parms *cmd, void *dconf, const char *arg)
{
    notimpl_format_e f = notimpl_format_from_name(arg);
    if (f == NOTIMPL_FMT_UNSET) {
        return apr_psprintf(cmd->pool, "%s: unknown format '%s' (expected "
                            "auto, problem, json, html or text)",
                            cmd->cmd->name, arg);
    }
    scope_of(cmd, dconf)->format = f;
    return NULL;
}

const char *notimpl_cmd_cache_control(cmd_parms *cmd, void *dconf,
                                      const char *arg)
{
    notimpl_scope_t *c = scope_of(cmd, dconf);
    const char *s;

    /* The value goes into a response header verbatim: only visible ASCII
     * and spaces, so no line break can split the header block. */
    for (s = arg; *s; s++) {
        if (!apr_isprint((unsigned char)*s)) {
            return apr_psprintf(cmd->pool, "%s: '%s' contains a control or "
                                "non-ASCII byte", cmd->cmd->name,
                                ap_escape_logitem(cmd->pool, arg));
        }
    }
    if (*arg == '\0') {
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": empty value (use "
                           "'none' to send no Cache-Control)", NULL);
    }
    c->cache_control_set = 1;
    c->cache_control = strcasecmp(arg, "none") == 0 ? NULL
                                                    : apr_pstrdup(cmd->pool, arg);
    return NULL;
}

const char *notimpl_cmd_alternative(cmd_parms *cmd, void *dconf,
                                    const char *method, const char *text)
{
    notimpl_scope_t *c = scope_of(cmd, dconf);

    if (!notimpl_is_token(method) || notimpl_is_group(method)) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a method name (an "
                            "RFC 9110 token such as PATCH)", cmd->cmd->name,
                            method);
    }
    if (*text == '\0') {
        return apr_psprintf(cmd->pool, "%s: empty text for '%s'",
                            cmd->cmd->name, method);
    }
    if (c->alternatives == NULL) {
        c->alternatives = apr_hash_make(cmd->pool);
    }
    apr_hash_set(c->alternatives, apr_pstrdup(cmd->pool, method),
                 APR_HASH_KEY_STRING, apr_pstrdup(cmd->pool, text));
    return NULL;
}

const char *notimpl_cmd_transfer_codings(cmd_parms *cmd, void *dconf,
                                         int on)
{
    scope_of(cmd, dconf)->transfer_codings = on;
    return NULL;
}
