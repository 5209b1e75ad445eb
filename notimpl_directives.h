/* notimpl_directives.h — the directive parsers named in mod_notimpl.c's
 * command table.  Each error names the directive and the bad token. */
#ifndef NOTIMPL_DIRECTIVES_H
#define NOTIMPL_DIRECTIVES_H

#include "httpd.h"
#include "http_config.h"

const char *notimpl_cmd_engine(cmd_parms *cmd, void *dconf, int on);
const char *notimpl_cmd_methods(cmd_parms *cmd, void *dconf,
                                const char *args);
const char *notimpl_cmd_implemented(cmd_parms *cmd, void *dconf,
                                    const char *args);
const char *notimpl_cmd_register(cmd_parms *cmd, void *dconf,
                                 const char *args);
const char *notimpl_cmd_format(cmd_parms *cmd, void *dconf, const char *arg);
const char *notimpl_cmd_cache_control(cmd_parms *cmd, void *dconf,
                                      const char *arg);
const char *notimpl_cmd_alternative(cmd_parms *cmd, void *dconf,
                                    const char *method, const char *text);
const char *notimpl_cmd_transfer_codings(cmd_parms *cmd, void *dconf,
                                         int on);

#endif
