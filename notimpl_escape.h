/* notimpl_escape.h — one escaper per output language.
 *
 * Every renderer echoes untrusted bytes (the request method, a transfer
 * coding) only through these.  Bytes that are not printable ASCII are
 * always escaped, never copied raw: no CR or LF can reach a body, a log
 * line or a header through them.  Hex digits are lowercase.  Each
 * returns a new string from p, or s itself when no byte of it needs
 * escaping (the usual method name: no allocation, no copy); NULL
 * escapes to "". */
#ifndef NOTIMPL_ESCAPE_H
#define NOTIMPL_ESCAPE_H

#include <apr_pools.h>

/* JSON string contents (without the quotes): \" \\ and \u00XX for
 * control bytes, DEL, bytes >= 0x80 (each byte as one code point, so
 * invalid UTF-8 still yields valid JSON) and for < > & (safe to embed). */
const char *notimpl_escape_json(apr_pool_t *p, const char *s);

/* HTML text: &lt; &gt; &amp; &quot; &#39;; other non-printable bytes as
 * the visible text \xNN. */
const char *notimpl_escape_html(apr_pool_t *p, const char *s);

/* Plain text and log lines: printable ASCII as is, backslash as \\,
 * everything else as \xNN. */
const char *notimpl_escape_text(apr_pool_t *p, const char *s);

#endif
