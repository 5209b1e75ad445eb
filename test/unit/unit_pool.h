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

/* unit_pool.h — what every unit test program starts from: APR, one pool
 * for the whole group, and the bytes 0x01..0xff as a C string. */
#ifndef UNIT_POOL_H
#define UNIT_POOL_H

#include <apr_pools.h>

extern apr_pool_t *pool;
extern char all_bytes[256];

/* cmocka group setup and teardown. */
int unit_setup(void **state);
int unit_teardown(void **state);

#endif
