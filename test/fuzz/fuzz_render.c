/* libFuzzer harness: every document rendered from untrusted bytes is
 * printable ASCII plus newlines; JSON documents are one valid JSON object;
 * HTML carries no '<' but the page's own markup. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>

#include "notimpl_render.h"
#include "json_check.h"

static apr_pool_t *root;

static void check_ascii(const char *body, apr_size_t len)
{
    apr_size_t i;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)body[i];
        if ((c < 0x20 && c != '\n') || c > 0x7e) {
            abort();
        }
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

    /* First byte picks the options; the rest is method NUL alternative. */
    buf = apr_pcalloc(p, size + 2);
    if (size > 0) {
        memcpy(buf, data + 1, size - 1);
    }
    alt = buf + strlen(buf) + 1;
    memset(&doc, 0, sizeof(doc));
    doc.method = buf;
    if (size > 0 && (data[0] & 1)) doc.alternative = alt;
    if (size > 0 && (data[0] & 2)) doc.transfer_coding = alt;
    if (size > 0 && (data[0] & 4)) {
        impl[0] = "GET"; impl[1] = buf; impl[2] = alt;
        doc.implemented = impl;
        doc.n_implemented = 3;
    }

    for (fmt = NOTIMPL_FMT_PROBLEM; fmt <= NOTIMPL_FMT_TEXT; fmt++) {
        apr_size_t len;
        const char *body = notimpl_render(p, (notimpl_format_e)fmt, &doc, &len);
        if (strlen(body) != len) {
            abort();
        }
        check_ascii(body, len);
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
