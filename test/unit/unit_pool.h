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
