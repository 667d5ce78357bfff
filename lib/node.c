#include <stdlib.h>
#include <string.h>

#include "node.h"
#include "util.h"

static struct crm_node *node_new(enum crm_node_kind kind)
{
	struct crm_node *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	return n;
}

/*
 * A scalar and its text in one allocation: a record has hundreds of
 * scalars, and parsing a store of them is mostly malloc and free.
 */
struct crm_node *crm_node_new_strn(const char *s, size_t len)
{
	struct crm_node *n = xcalloc(1, sizeof(*n) + len + 1);

	n->kind = CRM_NODE_SCALAR;
	n->str = (char *)(n + 1);
	n->str_inline = 1;
	memcpy(n->str, s, len);
	n->str[len] = '\0';
	n->len = len;
	n->type = CRM_SCALAR_STR;
	return n;
}

void crm_node_set_strn(struct crm_node *n, char *owned, size_t len)
{
	if (!n->str_inline)
		free(n->str);
	n->str = owned;
	n->len = len;
	n->str_inline = 0;
}

struct crm_node *crm_node_new_str(const char *s)
{
	return crm_node_new_strn(s, strlen(s));
}

struct crm_node *crm_node_new_plain(const char *s)
{
	struct crm_node *n = crm_node_new_str(s);

	n->type = CRM_SCALAR_PLAIN;
	return n;
}

struct crm_node *crm_node_new_seq(int flow)
{
	struct crm_node *n = node_new(CRM_NODE_SEQ);

	n->flow = flow ? 1 : 0;
	return n;
}

struct crm_node *crm_node_new_map(void)
{
	return node_new(CRM_NODE_MAP);
}

void crm_node_free(struct crm_node *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->nitems; i++)
		crm_node_free(n->items[i]);
	free(n->items);
	if (!n->str_inline)
		free(n->str);
	free(n);
}

struct crm_node *crm_node_dup(const struct crm_node *n)
{
	struct crm_node *d;
	size_t i;

	if (!n)
		return NULL;
	d = node_new(n->kind);
	d->type = n->type;
	d->style = n->style;
	d->flow = n->flow;
	d->line = n->line;
	d->column = n->column;
	if (n->str) {
		d->str = xstrndup(n->str, n->len);
		d->len = n->len;
	}
	if (n->nitems) {
		d->items = xmalloc(n->nitems * sizeof(*d->items));
		d->alloc = d->nitems = n->nitems;
		for (i = 0; i < n->nitems; i++)
			d->items[i] = crm_node_dup(n->items[i]);
	}
	return d;
}

int crm_node_equal(const struct crm_node *a, const struct crm_node *b)
{
	size_t i;

	if (!a || !b)
		return a == b;
	if (a->kind != b->kind || a->nitems != b->nitems)
		return 0;
	if (a->kind == CRM_NODE_SCALAR)
		return a->type == b->type && a->len == b->len &&
		       memcmp(a->str, b->str, a->len) == 0;
	for (i = 0; i < a->nitems; i++)
		if (!crm_node_equal(a->items[i], b->items[i]))
			return 0;
	return 1;
}

const char *crm_node_str(const struct crm_node *n)
{
	return n && n->kind == CRM_NODE_SCALAR ? n->str : NULL;
}

size_t crm_map_len(const struct crm_node *map)
{
	return map && map->kind == CRM_NODE_MAP ? map->nitems / 2 : 0;
}

const char *crm_map_key(const struct crm_node *map, size_t i)
{
	return map->items[2 * i]->str;
}

struct crm_node *crm_map_value(const struct crm_node *map, size_t i)
{
	return map->items[2 * i + 1];
}

long crm_map_find(const struct crm_node *map, const char *key)
{
	size_t i, n = crm_map_len(map);

	/* the first byte rules out most keys without a call (a first scan
	 * looks up every known field of every log entry, deal and follow-up) */
	for (i = 0; i < n; i++) {
		const char *k = crm_map_key(map, i);

		if (k[0] == key[0] && !strcmp(k, key))
			return (long)i;
	}
	return -1;
}

struct crm_node *crm_map_get(const struct crm_node *map, const char *key)
{
	long i = crm_map_find(map, key);

	return i < 0 ? NULL : crm_map_value(map, (size_t)i);
}

const char *crm_map_get_str(const struct crm_node *map, const char *key)
{
	return crm_node_str(crm_map_get(map, key));
}

static void items_insert(struct crm_node *n, size_t pos, struct crm_node *item)
{
	ALLOC_GROW(n->items, n->nitems + 1, n->alloc);
	memmove(n->items + pos + 1, n->items + pos,
		(n->nitems - pos) * sizeof(*n->items));
	n->items[pos] = item;
	n->nitems++;
}

void crm_map_set_at(struct crm_node *map, const char *key,
		    struct crm_node *value, size_t pos)
{
	long i = crm_map_find(map, key);

	if (i >= 0) {
		crm_node_free(map->items[2 * i + 1]);
		map->items[2 * i + 1] = value;
		return;
	}
	if (pos > crm_map_len(map))
		pos = crm_map_len(map);
	items_insert(map, 2 * pos, value);
	items_insert(map, 2 * pos, crm_node_new_str(key));
}

void crm_map_set(struct crm_node *map, const char *key, struct crm_node *value)
{
	crm_map_set_at(map, key, value, crm_map_len(map));
}

int crm_map_remove(struct crm_node *map, const char *key)
{
	long i = crm_map_find(map, key);

	if (i < 0)
		return 0;
	crm_node_free(map->items[2 * i]);
	crm_node_free(map->items[2 * i + 1]);
	memmove(map->items + 2 * i, map->items + 2 * i + 2,
		(map->nitems - 2 * (size_t)i - 2) * sizeof(*map->items));
	map->nitems -= 2;
	return 1;
}

void crm_seq_append(struct crm_node *seq, struct crm_node *item)
{
	items_insert(seq, seq->nitems, item);
}

void crm_seq_insert(struct crm_node *seq, size_t pos, struct crm_node *item)
{
	items_insert(seq, pos > seq->nitems ? seq->nitems : pos, item);
}

void crm_seq_remove(struct crm_node *seq, size_t i)
{
	crm_node_free(seq->items[i]);
	memmove(seq->items + i, seq->items + i + 1,
		(seq->nitems - i - 1) * sizeof(*seq->items));
	seq->nitems--;
}
