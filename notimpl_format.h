/* notimpl_format.h — the error-document formats and their media types.
 *
 * Shared by the negotiator (which picks one) and the renderer (which
 * writes one); the configuration stores the administrator's choice. */
#ifndef NOTIMPL_FORMAT_H
#define NOTIMPL_FORMAT_H

typedef enum {
    NOTIMPL_FMT_UNSET = -1,     /* config sentinel: inherit */
    NOTIMPL_FMT_AUTO = 0,       /* negotiate on Accept */
    NOTIMPL_FMT_PROBLEM,        /* application/problem+json (RFC 9457) */
    NOTIMPL_FMT_JSON,           /* application/json */
    NOTIMPL_FMT_HTML,           /* text/html */
    NOTIMPL_FMT_TEXT            /* text/plain */
} notimpl_format_e;

/* "auto", "problem", "json", "html", "text" -> format; -1 (UNSET) when
 * the word is none of them.  Case-insensitive, like httpd's keywords. */
notimpl_format_e notimpl_format_from_name(const char *name);

/* Full Content-Type value, always with charset=utf-8 (SPEC: UTF-8
 * everywhere).  fmt must be a concrete format, not AUTO. */
const char *notimpl_format_content_type(notimpl_format_e fmt);

#endif
