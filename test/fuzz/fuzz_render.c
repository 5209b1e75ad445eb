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

/* libFuzzer harness: every document rendered from untrusted bytes is
 * printable ASCII plus newlines, but for the configuration text's own
 * UTF-8; JSON documents are one valid JSON object; HTML carries no '<'
 * but the page's own markup.
 *
 * Client bytes (the method, the transfer coding) are anything.  The
 * alternative and the implemented names are configuration text, so they
 * are used only when the directives would accept them: the alternative
 * valid UTF-8 without control characters, the names RFC 9110 tokens. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "notimpl_render.h"
#include "json_check.h"

static apr_pool_t *root;

/* Raw bytes: printable ASCII and '\n', plus exactly the high bytes of
 * the configuration text (it appears once in every document). */
static void check_bytes(const char *body, apr_size_t len, const char *conf)
{
    apr_size_t i, high = 0, conf_high = 0;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)body[i];
        if ((c < 0x20 && c != '\n') || c == 0x7f) {
            abort();
        }
        high += c >= 0x80;
    }
    for (; conf && *conf; conf++) {
        conf_high += (unsigned char)*conf >= 0x80;
    }
    if (high != conf_high) {
        abort();
    }
}

/* The HTML page's own tags; any other '<' came from the input. */
static void check_html(const char *body)
{
    static const char *const tags[] = {
        "<!DOCTYPE html>", "<html lang=\"en\">", "</html>", "<head>",
        "</head>", "<meta charset=\"utf-8\">", "<title>", "</title>",
        "<body>", "</body>", "<h1>", "</h1>", "<p>", "</p>", "<code>",
        "</code>", NULL
    };
    const char *s = body;
    while ((s = strchr(s, '<')) != NULL) {
        int i, ok = 0;
        for (i = 0; tags[i]; i++) {
            if (strncmp(s, tags[i], strlen(tags[i])) == 0) {
                ok = 1;
                break;
            }
        }
        if (!ok) {
            abort();
        }
        s++;
    }
}

/* What NotImplAlternative accepts (notimpl_directives.c). */
static int conf_text(const char *s)
{
    const char *c;

    for (c = s; *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f) {
            return 0;
        }
    }
    return *s && notimpl_utf8_valid(s);
}

/* RFC 9110 tchar, as the method lists require. */
static int is_token(const char *s)
{
    if (*s == '\0') {
        return 0;
    }
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9') || strchr("!#$%&'*+-.^_`|~", c))) {
            return 0;
        }
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    notimpl_doc_t doc;
    const char *impl[3];
    char *buf, *alt;
    int fmt;

    if (root == NULL) {
        apr_initialize();
        apr_pool_create(&root, NULL);
    }
    apr_pool_create(&p, root);

    /* First byte picks the options; the rest is method NUL second string
     * (the alternative, or the transfer coding). */
    buf = apr_pcalloc(p, size + 2);
    if (size > 0) {
        memcpy(buf, data + 1, size - 1);
    }
    alt = buf + strlen(buf) + 1;
    memset(&doc, 0, sizeof(doc));
    doc.method = buf;
    if (size > 0 && (data[0] & 1) && conf_text(alt)) {
        doc.alternative = alt;
    }
    if (size > 0 && (data[0] & 2)) {
        doc.transfer_coding = alt;
    }
    if (size > 0 && (data[0] & 4)) {
        impl[0] = "GET";
        impl[1] = is_token(buf) ? buf : "M-SEARCH";
        impl[2] = is_token(alt) ? alt : "A&B'C";
        doc.implemented = impl;
        doc.n_implemented = (data[0] & 8) ? 0 : 3;
    }

    /* The JSON escaper alone: a client's bytes become a printable ASCII
     * JSON string; configuration text a valid one keeping its UTF-8. */
    {
        const char *e = notimpl_escape_json(p, buf, 0);
        const char *s = apr_pstrcat(p, "{\"m\":\"", e, "\"}\n", NULL);
        check_bytes(e, strlen(e), NULL);
        if (!json_check_object(s)) {
            abort();
        }
        if (doc.alternative) {
            e = notimpl_escape_json(p, alt, 1);
            s = apr_pstrcat(p, "{\"a\":\"", e, "\"}\n", NULL);
            check_bytes(e, strlen(e), alt);
            if (!json_check_object(s) || strpbrk(e, "<>&")) {
                abort();
            }
        }
    }

    for (fmt = NOTIMPL_FMT_PROBLEM; fmt <= NOTIMPL_FMT_TEXT; fmt++) {
        apr_size_t len;
        const char *body = notimpl_render(p, (notimpl_format_e)fmt, &doc, &len);
        if (strlen(body) != len) {
            abort();
        }
        check_bytes(body, len, doc.alternative);
        if (fmt == NOTIMPL_FMT_PROBLEM || fmt == NOTIMPL_FMT_JSON) {
            if (!json_check_object(body)) {
                abort();
            }
        }
        if (fmt == NOTIMPL_FMT_HTML) {
            check_html(body);
        }
    }
    apr_pool_destroy(p);
    return 0;
}
