#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "util.h"

void crm_node_inline(struct strbuf *out, const struct crm_node *n)
{
	size_t i;

	if (!n)
		return;
	if (n->kind == CRM_NODE_SCALAR) {
		strbuf_addstr(out, n->str);
		return;
	}
	if (n->kind == CRM_NODE_SEQ) {
		strbuf_addch(out, '[');
		for (i = 0; i < n->nitems; i++) {
			if (i)
				strbuf_addstr(out, ", ");
			crm_node_inline(out, n->items[i]);
		}
		strbuf_addch(out, ']');
		return;
	}
	strbuf_addch(out, '{');
	for (i = 0; i < crm_map_len(n); i++) {
		if (i)
			strbuf_addstr(out, ", ");
		strbuf_addf(out, "%s: ", crm_map_key(n, i));
		crm_node_inline(out, crm_map_value(n, i));
	}
	strbuf_addch(out, '}');
}

static char *inline_or_null(const struct crm_node *n)
{
	struct strbuf sb = STRBUF_INIT;

	if (!n)
		return NULL;
	crm_node_inline(&sb, n);
	return strbuf_detach(&sb, NULL);
}

static void add_change(struct crm_record_diff *d, const char *field,
		       const struct crm_node *a, const struct crm_node *b)
{
	struct crm_field_change *c;

	ALLOC_GROW(d->items, d->n + 1, d->alloc);
	c = &d->items[d->n++];
	c->field = xstrdup(field);
	c->before = inline_or_null(a);
	c->after = inline_or_null(b);
}

/* Entries of log/deals/followups are matched by id (log: by position). */
static const struct crm_node *find_entry(const struct crm_node *seq,
					 const char *id)
{
	size_t i;

	for (i = 0; seq && seq->kind == CRM_NODE_SEQ && i < seq->nitems; i++) {
		const char *eid = crm_map_get_str(seq->items[i], "id");

		if (eid && !strcmp(eid, id))
			return seq->items[i];
	}
	return NULL;
}

static void diff_maps(struct crm_record_diff *d, const char *prefix,
		      const struct crm_node *a, const struct crm_node *b);

static void diff_entries(struct crm_record_diff *d, const char *key,
			 const struct crm_node *a, const struct crm_node *b)
{
	struct strbuf field = STRBUF_INIT;
	size_t i;

	for (i = 0; b && i < b->nitems; i++) {
		const char *id = crm_map_get_str(b->items[i], "id");
		const struct crm_node *old = id ? find_entry(a, id) : NULL;

		strbuf_reset(&field);
		strbuf_addf(&field, "%s/%s", key, id ? id : "?");
		if (!old)
			add_change(d, field.buf, NULL, b->items[i]);
		else
			diff_maps(d, field.buf, old, b->items[i]);
	}
	for (i = 0; a && i < a->nitems; i++) {
		const char *id = crm_map_get_str(a->items[i], "id");

		if (id && !find_entry(b, id)) {
			strbuf_reset(&field);
			strbuf_addf(&field, "%s/%s", key, id);
			add_change(d, field.buf, a->items[i], NULL);
		}
	}
	strbuf_release(&field);
}

static void diff_log(struct crm_record_diff *d, const struct crm_node *a,
		     const struct crm_node *b)
{
	size_t i, j;

	/* log entries are appended; report the ones not on the other side */
	for (i = 0; b && i < b->nitems; i++) {
		int found = 0;

		for (j = 0; a && j < a->nitems && !found; j++)
			found = crm_node_equal(a->items[j], b->items[i]);
		if (!found)
			add_change(d, "log", NULL, b->items[i]);
	}
	for (i = 0; a && i < a->nitems; i++) {
		int found = 0;

		for (j = 0; b && j < b->nitems && !found; j++)
			found = crm_node_equal(a->items[i], b->items[j]);
		if (!found)
			add_change(d, "log", a->items[i], NULL);
	}
}

static void diff_field(struct crm_record_diff *d, const char *prefix,
		       const char *key, const struct crm_node *a,
		       const struct crm_node *b)
{
	struct strbuf field = STRBUF_INIT;

	if (a && b && crm_node_equal(a, b))
		return;
	if (*prefix)
		strbuf_addf(&field, "%s.%s", prefix, key);
	else
		strbuf_addstr(&field, key);
	if (!*prefix && (!strcmp(key, "deals") || !strcmp(key, "followups")) &&
	    (!a || a->kind == CRM_NODE_SEQ) && (!b || b->kind == CRM_NODE_SEQ))
		diff_entries(d, key, a, b);
	else if (!*prefix && !strcmp(key, "log") &&
		 (!a || a->kind == CRM_NODE_SEQ) &&
		 (!b || b->kind == CRM_NODE_SEQ))
		diff_log(d, a, b);
	else
		add_change(d, field.buf, a, b);
	strbuf_release(&field);
}

static void diff_maps(struct crm_record_diff *d, const char *prefix,
		      const struct crm_node *a, const struct crm_node *b)
{
	size_t i;

	for (i = 0; i < crm_map_len(b); i++) {
		const char *key = crm_map_key(b, i);

		diff_field(d, prefix, key, crm_map_get(a, key),
			   crm_map_value(b, i));
	}
	for (i = 0; i < crm_map_len(a); i++) {
		const char *key = crm_map_key(a, i);

		if (!crm_map_get(b, key))
			diff_field(d, prefix, key, crm_map_value(a, i), NULL);
	}
}

void crm_record_diff(struct crm_record_diff *out, const struct crm_node *a,
		     const struct crm_node *b)
{
	diff_maps(out, "", a, b);
}

void crm_record_diff_release(struct crm_record_diff *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->items[i].field);
		free(d->items[i].before);
		free(d->items[i].after);
	}
	free(d->items);
	memset(d, 0, sizeof(*d));
}
