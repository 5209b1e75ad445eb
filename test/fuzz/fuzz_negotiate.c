/* libFuzzer harness: Accept negotiation must return one of the four
 * concrete formats for any bytes, without reading out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "notimpl_render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *accept = malloc(size + 1);
    notimpl_format_e f;

    memcpy(accept, data, size);
    accept[size] = '\0';
    f = notimpl_negotiate(accept);
    if (f != NOTIMPL_FMT_PROBLEM && f != NOTIMPL_FMT_JSON
        && f != NOTIMPL_FMT_HTML && f != NOTIMPL_FMT_TEXT) {
        abort();
    }
    free(accept);
    return 0;
}
