#ifndef CRM_POOL_H
#define CRM_POOL_H

#include <stddef.h>

/*
 * A string pool: copies of many small strings in large chunks that never
 * move, freed all at once.  Listings of 100,000 customers keep their
 * cells here instead of in 700,000 separate allocations.
 */
struct crm_pool {
	char **chunks;
	size_t nchunks, alloc;
	size_t used;		/* bytes used in the last chunk */
};

#define CRM_POOL_INIT { NULL, 0, 0, 0 }

const char *crm_pool_strndup(struct crm_pool *p, const char *s, size_t len);
const char *crm_pool_strdup(struct crm_pool *p, const char *s);
void crm_pool_release(struct crm_pool *p);

#endif
