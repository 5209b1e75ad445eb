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
