#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "util.h"

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static void grow(struct crm_strmap *m)
{
	struct crm_strmap bigger;
	size_t i;

	bigger.size = m->size ? m->size * 2 : 64;
	bigger.count = 0;
	bigger.keys = xcalloc(bigger.size, sizeof(*bigger.keys));
	bigger.values = xcalloc(bigger.size, sizeof(*bigger.values));
	for (i = 0; i < m->size; i++)
		if (m->keys[i]) {
			size_t at = hash(m->keys[i]) & (bigger.size - 1);

			while (bigger.keys[at])
				at = (at + 1) & (bigger.size - 1);
			bigger.keys[at] = m->keys[i];
			bigger.values[at] = m->values[i];
			bigger.count++;
		}
	free(m->keys);
	free(m->values);
	*m = bigger;
}

void crm_strmap_put(struct crm_strmap *m, const char *key, size_t value)
{
	size_t at;

	if ((m->count + 1) * 4 >= m->size * 3)
		grow(m);
	at = hash(key) & (m->size - 1);
	while (m->keys[at] && strcmp(m->keys[at], key))
		at = (at + 1) & (m->size - 1);
	if (!m->keys[at]) {
		m->keys[at] = xstrdup(key);
		m->count++;
	}
	m->values[at] = value;
}

int crm_strmap_get(const struct crm_strmap *m, const char *key, size_t *value)
{
	size_t at;

	if (!m->size)
		return 0;
	at = hash(key) & (m->size - 1);
	while (m->keys[at]) {
		if (!strcmp(m->keys[at], key)) {
			*value = m->values[at];
			return 1;
		}
		at = (at + 1) & (m->size - 1);
	}
	return 0;
}

void crm_strmap_release(struct crm_strmap *m)
{
	size_t i;

	for (i = 0; i < m->size; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->values);
	memset(m, 0, sizeof(*m));
}
