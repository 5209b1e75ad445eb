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
