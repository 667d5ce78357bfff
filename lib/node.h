#ifndef CRM_NODE_H
#define CRM_NODE_H

#include <stddef.h>

/*
 * A YAML document as an ordered tree.  Records keep every key in the
 * order it was read, including keys crm does not know, so writing a
 * record back never drops or reorders a custom field.
 */
enum crm_node_kind {
	CRM_NODE_SCALAR = 1,
	CRM_NODE_SEQ,
	CRM_NODE_MAP,
};

/*
 * How a scalar is to be read by YAML loaders.  A STR is text and is
 * quoted on output whenever a plain scalar would read as something else
 * (a number, a date, a boolean).  A PLAIN scalar is written bare: it is
 * a number, date, boolean or null, as read from a plain scalar or as set
 * by crm for typed fields such as `created` or a follow-up's `id`.
 */
enum crm_scalar_type {
	CRM_SCALAR_STR = 0,
	CRM_SCALAR_PLAIN,
};

/*
 * How a scalar was written when read, so an untouched value is written
 * back the same way ("+44 20" stays quoted if it was).  AUTO, for values
 * crm makes, lets the emitter choose.
 */
enum crm_scalar_style {
	CRM_STYLE_AUTO = 0,
	CRM_STYLE_PLAIN,
	CRM_STYLE_SINGLE,
	CRM_STYLE_DOUBLE,
	CRM_STYLE_LITERAL,
	CRM_STYLE_FOLDED,
};

struct crm_node {
	enum crm_node_kind kind;
	enum crm_scalar_type type;	/* scalars only */
	enum crm_scalar_style style;	/* scalars only */
	unsigned flow : 1;		/* seq/map: written in flow style */
	unsigned str_inline : 1;	/* str shares the node's allocation */
	char *str;			/* scalar text, NUL-terminated */
	size_t len;
	/* seq: items; map: items[2i] is a key, items[2i + 1] its value */
	struct crm_node **items;
	size_t nitems;
	size_t alloc;
	size_t line, column;		/* 1-based; 0 when made by crm */
};

struct crm_node *crm_node_new_str(const char *s);
struct crm_node *crm_node_new_strn(const char *s, size_t len);
struct crm_node *crm_node_new_plain(const char *s);
/* Replace a scalar's text; its type and style are the caller's. */
void crm_node_set_strn(struct crm_node *n, char *owned, size_t len);
struct crm_node *crm_node_new_seq(int flow);
struct crm_node *crm_node_new_map(void);
void crm_node_free(struct crm_node *n);
struct crm_node *crm_node_dup(const struct crm_node *n);
/* Deep equality of value and type; style and positions are ignored. */
int crm_node_equal(const struct crm_node *a, const struct crm_node *b);

/* The text of a scalar, or NULL if `n` is NULL or not a scalar. */
const char *crm_node_str(const struct crm_node *n);

/* Maps. */
size_t crm_map_len(const struct crm_node *map);
const char *crm_map_key(const struct crm_node *map, size_t i);
struct crm_node *crm_map_value(const struct crm_node *map, size_t i);
struct crm_node *crm_map_get(const struct crm_node *map, const char *key);
const char *crm_map_get_str(const struct crm_node *map, const char *key);
/* Index of `key`, or -1. */
long crm_map_find(const struct crm_node *map, const char *key);
/*
 * Set `key` to `value` (ownership passes to the map).  An existing key
 * keeps its place; a new one is inserted at `pos` (clamped to the end).
 */
void crm_map_set_at(struct crm_node *map, const char *key,
		    struct crm_node *value, size_t pos);
void crm_map_set(struct crm_node *map, const char *key, struct crm_node *value);
int crm_map_remove(struct crm_node *map, const char *key);

/* Sequences. */
void crm_seq_append(struct crm_node *seq, struct crm_node *item);
void crm_seq_insert(struct crm_node *seq, size_t pos, struct crm_node *item);
void crm_seq_remove(struct crm_node *seq, size_t i);

#endif
