#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "util.h"

#define CHUNK (256u << 10)

const char *crm_pool_strndup(struct crm_pool *p, const char *s, size_t len)
{
	char *at;

	if (!p->nchunks || p->used + len + 1 > CHUNK) {
		size_t size = len + 1 > CHUNK ? len + 1 : CHUNK;

		ALLOC_GROW(p->chunks, p->nchunks + 1, p->alloc);
		p->chunks[p->nchunks++] = xmalloc(size);
		/* an oversized string gets a chunk of its own, then a fresh one */
		p->used = 0;
		if (size > CHUNK) {
			memcpy(p->chunks[p->nchunks - 1], s, len);
			p->chunks[p->nchunks - 1][len] = '\0';
			p->used = CHUNK;
			return p->chunks[p->nchunks - 1];
		}
	}
	at = p->chunks[p->nchunks - 1] + p->used;
	memcpy(at, s, len);
	at[len] = '\0';
	p->used += len + 1;
	return at;
}

const char *crm_pool_strdup(struct crm_pool *p, const char *s)
{
	return crm_pool_strndup(p, s, strlen(s));
}

void crm_pool_release(struct crm_pool *p)
{
	size_t i;

	for (i = 0; i < p->nchunks; i++)
		free(p->chunks[i]);
	free(p->chunks);
	memset(p, 0, sizeof(*p));
}
