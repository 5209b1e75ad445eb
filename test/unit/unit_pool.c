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

/* unit_pool.c — see unit_pool.h. */
#include <apr_general.h>

#include "unit_pool.h"

apr_pool_t *pool;
char all_bytes[256];

int unit_setup(void **state)
{
    int i;

    (void)state;
    for (i = 1; i < 256; i++) {
        all_bytes[i - 1] = (char)i;
    }
    all_bytes[255] = '\0';
    apr_initialize();
    return apr_pool_create(&pool, NULL) == APR_SUCCESS ? 0 : -1;
}

int unit_teardown(void **state)
{
    (void)state;
    apr_pool_destroy(pool);
    apr_terminate();
    return 0;
}
