/* notimpl_escape.c — the JSON, HTML and plain-text escapers (see
 * notimpl_escape.h).  Each measures its output first and then fills one
 * allocation, so a long method costs one pass per step and no regrowth;
 * a string with nothing to escape is returned as it is.  A NULL input
 * escapes to "": the renderers echo optional fields. */
#include <string.h>
#include <apr_strings.h>

#include "notimpl_escape.h"

static const char hex[] = "0123456789abcdef";

static int printable(unsigned char c)
{
    return c >= 0x20 && c <= 0x7e;
}

/* The escape for c, or NULL when c is copied as is.  buf holds numeric
 * escapes and must have room for 7 bytes. */
typedef const char *(*escape_fn)(unsigned char c, char *buf);

static const char *json_byte(unsigned char c, char *buf)
{
    switch (c) {
    case '"':
        return "\\\"";
    case '\\':
        return "\\\\";
    case '<': case '>': case '&':
        break;      /* so the string is safe inside HTML or XML */
    default:
        if (printable(c)) {
            return NULL;
        }
    }
    /* Each byte >= 0x80 becomes one code point (U+0080..U+00FF): invalid
     * UTF-8 in the method still gives valid JSON, and the client can
     * recover every byte that was sent. */
    buf[0] = '\\';
    buf[1] = 'u';
    buf[2] = '0';
    buf[3] = '0';
    buf[4] = hex[c >> 4];
    buf[5] = hex[c & 0x0f];
    buf[6] = '\0';
    return buf;
}

static const char *hex_byte(unsigned char c, char *buf)
{
    buf[0] = '\\';
    buf[1] = 'x';
    buf[2] = hex[c >> 4];
    buf[3] = hex[c & 0x0f];
    buf[4] = '\0';
    return buf;
}

/* A backslash stays raw: the HTML escaping set is the five characters
 * with markup meaning (notimpl_escape.h). */
static const char *html_byte(unsigned char c, char *buf)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    default:
        return printable(c) ? NULL : hex_byte(c, buf);
    }
}

/* The backslash is escaped so that a literal "\x0a" sent by a client
 * cannot be mistaken for an escaped line feed. */
static const char *text_byte(unsigned char c, char *buf)
{
    if (c == '\\') {
        return "\\\\";
    }
    return printable(c) ? NULL : hex_byte(c, buf);
}

static const char *escape(apr_pool_t *p, const char *s, escape_fn esc)
{
    const unsigned char *in;
    apr_size_t n = 0;
    int changed = 0;
    char buf[8], *out, *o;

    if (s == NULL) {
        return "";
    }
    for (in = (const unsigned char *)s; *in; in++) {
        const char *e = esc(*in, buf);
        if (e) {
            n += strlen(e);
            changed = 1;
        }
        else {
            n++;
        }
    }
    if (!changed) {
        return s;
    }
    o = out = apr_palloc(p, n + 1);
    for (in = (const unsigned char *)s; *in; in++) {
        const char *e = esc(*in, buf);
        if (e) {
            apr_size_t k = strlen(e);
            memcpy(o, e, k);
            o += k;
        }
        else {
            *o++ = (char)*in;
        }
    }
    *o = '\0';
    return out;
}

const char *notimpl_escape_json(apr_pool_t *p, const char *s)
{
    return escape(p, s, json_byte);
}

const char *notimpl_escape_html(apr_pool_t *p, const char *s)
{
    return escape(p, s, html_byte);
}

const char *notimpl_escape_text(apr_pool_t *p, const char *s)
{
    return escape(p, s, text_byte);
}
