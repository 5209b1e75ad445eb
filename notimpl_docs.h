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

/* notimpl_docs.h — the 501 document a request gets.  What depends only
 * on the configuration and the format (the document around the method:
 * implemented list, alternative) is made at start-up per server scope and
 * shared by hosts that would make the same; a request fills in its method.
 * Directory scopes and transfer codings are made whole per request. */
#ifndef NOTIMPL_DOCS_H
#define NOTIMPL_DOCS_H

#include "httpd.h"

#include "notimpl_config.h"

/* post_config, after notimpl_compile_all(): every server scope's. */
void notimpl_docs_make(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *s);
/* r's document in fmt (concrete), set as its custom 501 response;
 * returns extra (at least 1) zeroed bytes of the same allocation for the
 * caller, or NULL, setting nothing, where an ErrorDocument 501 applies
 * to r: it wins over the module's. */
void *notimpl_docs_respond(request_rec *r, const notimpl_conf_t *dir,
                           const notimpl_conf_t *srv, notimpl_format_e fmt,
                           const char *coding, apr_size_t extra);

#endif
