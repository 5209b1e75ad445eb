/* notimpl_format.c — format names and media types (see notimpl_format.h). */
#include <apr_cstr.h>

#include "notimpl_format.h"

static const struct {
    const char *name;
    notimpl_format_e fmt;
} names[] = {
    { "auto", NOTIMPL_FMT_AUTO },
    { "problem", NOTIMPL_FMT_PROBLEM },
    { "json", NOTIMPL_FMT_JSON },
    { "html", NOTIMPL_FMT_HTML },
    { "text", NOTIMPL_FMT_TEXT },
};

notimpl_format_e notimpl_format_from_name(const char *name)
{
    apr_size_t i;

    if (name == NULL) {
        return NOTIMPL_FMT_UNSET;
    }
    /* apr_cstr_casecmp: locale-independent, like httpd's ap_cstr_casecmp. */
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (apr_cstr_casecmp(name, names[i].name) == 0) {
            return names[i].fmt;
        }
    }
    return NOTIMPL_FMT_UNSET;
}

const char *notimpl_format_content_type(notimpl_format_e fmt)
{
    switch (fmt) {
    case NOTIMPL_FMT_PROBLEM:
        return "application/problem+json; charset=utf-8";
    case NOTIMPL_FMT_HTML:
        return "text/html; charset=utf-8";
    case NOTIMPL_FMT_TEXT:
        return "text/plain; charset=utf-8";
    default:
        /* AUTO or UNSET here is a caller bug; JSON is what the renderer
         * writes for them too, so header and body still agree. */
        return "application/json; charset=utf-8";
    }
}
