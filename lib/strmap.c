#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "util.h"

static size_t hash(const char *s)
{
	return (size_t)crm_fnv1a(s);
}

static void grow(struct crm_strmap *m)
{
	size_t size = m->size ? m->size * 2 : 64, i;
	const char **keys = xcalloc(size, sizeof(*keys));
	size_t *hashes = xcalloc(size, sizeof(*hashes));
	size_t *values = xcalloc(size, sizeof(*values));

	for (i = 0; i < m->size; i++)
		if (m->keys[i]) {
			size_t at = m->hashes[i] & (size - 1);

			while (keys[at])
				at = (at + 1) & (size - 1);
			keys[at] = m->keys[i];
			hashes[at] = m->hashes[i];
			values[at] = m->values[i];
		}
	free(m->keys);
	free(m->hashes);
	free(m->values);
	m->keys = keys;
	m->hashes = hashes;
	m->values = values;
	m->size = size;
}

/* The slot of `key`, or the empty slot where it belongs. */
static size_t find(const struct crm_strmap *m, const char *key, size_t h)
{
	size_t at = h & (m->size - 1);

	while (m->keys[at] && (m->hashes[at] != h || strcmp(m->keys[at], key)))
		at = (at + 1) & (m->size - 1);
	return at;
}

void crm_strmap_put(struct crm_strmap *m, const char *key, size_t value)
{
	size_t h = hash(key), at;

	/* at most half full: a miss (most lookups in an import) ends soon */
	if ((m->count + 1) * 2 > m->size)
		grow(m);
	at = find(m, key, h);
	if (!m->keys[at]) {
		m->keys[at] = crm_pool_strdup(&m->pool, key);
		m->hashes[at] = h;
		m->count++;
	}
	m->values[at] = value;
}

int crm_strmap_get(const struct crm_strmap *m, const char *key, size_t *value)
{
	size_t at;

	if (!m->size)
		return 0;
	at = find(m, key, hash(key));
	if (!m->keys[at])
		return 0;
	*value = m->values[at];
	return 1;
}

void crm_strmap_release(struct crm_strmap *m)
{
	free(m->keys);
	free(m->hashes);
	free(m->values);
	crm_pool_release(&m->pool);
	memset(m, 0, sizeof(*m));
}
