#ifndef CRM_STRMAP_H
#define CRM_STRMAP_H

#include <stddef.h>

#include "pool.h"

/*
 * A string -> size_t hash map (open addressing), for looking up a few
 * hundred thousand keys -- emails, phones, ids -- during an import.
 * Keys are copied into a pool.  Zeroed memory is an empty map.
 */
struct crm_strmap {
	const char **keys;
	size_t *hashes;		/* each key's, so most probes skip strcmp */
	size_t *values;
	size_t size, count;	/* size is a power of two, or 0 */
	struct crm_pool pool;
};

/* Set `key` to `value`, replacing any value it had. */
void crm_strmap_put(struct crm_strmap *m, const char *key, size_t value);
/* 1 and *value if `key` is there, else 0. */
int crm_strmap_get(const struct crm_strmap *m, const char *key, size_t *value);
void crm_strmap_release(struct crm_strmap *m);

#endif
