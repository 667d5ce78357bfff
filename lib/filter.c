#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "date.h"
#include "error.h"
#include "filter.h"
#include "money.h"
#include "text.h"
#include "util.h"

static const char *const field_aliases[][2] = {
	{ "tag", "tags" }, { "email", "emails" }, { "phone", "phones" },
};

static const char *canonical_key(const char *key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(field_aliases); i++)
		if (!strcmp(key, field_aliases[i][0]))
			return field_aliases[i][1];
	return key;
}

static int valid_key(const char *key, size_t len)
{
	size_t i;

	/* a key starts with a letter: "10:30" is a word, not a field */
	if (!len || !((key[0] >= 'a' && key[0] <= 'z') ||
		      (key[0] >= 'A' && key[0] <= 'Z')))
		return 0;
	for (i = 0; i < len; i++) {
		char c = key[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.'))
			return 0;
	}
	return 1;
}

static struct crm_filter_term *add_term(struct crm_filter *f,
				       enum crm_filter_op op, const char *key,
				       size_t keylen, const char *value)
{
	struct crm_filter_term *t;

	ALLOC_GROW(f->terms, f->n + 1, f->alloc);
	t = &f->terms[f->n++];
	memset(t, 0, sizeof(*t));
	t->op = op;
	t->key = key ? xstrndup(key, keylen) : NULL;
	t->value = xstrdup(value);
	return t;
}

static const struct {
	const char *suffix;
	enum crm_filter_cmp cmp;
} modifiers[] = {
	{ ".before", CRM_CMP_BEFORE }, { ".after", CRM_CMP_AFTER },
	{ ".over", CRM_CMP_OVER }, { ".under", CRM_CMP_UNDER },
	{ ".has", CRM_CMP_HAS },
};

/*
 * A field term, with its modifier (due.before:) parsed and its value
 * checked now, so a bad date or amount is an error, not "no match".
 */
static int add_field_term(struct crm_filter *f, const char *key,
			  const char *value, const char *arg)
{
	size_t keylen = strlen(key), i;
	enum crm_filter_cmp cmp = CRM_CMP_EQ;
	struct crm_filter_term *t;

	for (i = 0; i < ARRAY_SIZE(modifiers); i++) {
		size_t n = strlen(modifiers[i].suffix);

		if (keylen > n && !strcmp(key + keylen - n, modifiers[i].suffix)) {
			cmp = modifiers[i].cmp;
			keylen -= n;
			break;
		}
	}
	{
		/* email.has: is emails.has: */
		char *base = xstrndup(key, keylen);
		const char *canon = canonical_key(base);

		t = add_term(f, CRM_FILTER_FIELD, canon, strlen(canon), value);
		free(base);
	}
	t->cmp = cmp;
	if (cmp == CRM_CMP_BEFORE || cmp == CRM_CMP_AFTER) {
		struct crm_date d;
		time_t now;
		int offset;

		if (crm_now(&now, &offset) || crm_date_parse(&d, value, now)) {
			crm_error_set(CRM_EINVALID, "filter '%s': %s", arg,
				      crm_error_last());
			return CRM_EINVALID;
		}
		t->day = crm_date_to_days(&d);
	} else if (cmp == CRM_CMP_OVER || cmp == CRM_CMP_UNDER) {
		crm_money m;

		if (crm_money_parse(&m, value, 1)) {
			crm_error_set(CRM_EINVALID, "filter '%s': %s", arg,
				      crm_error_last());
			return CRM_EINVALID;
		}
		t->amount = m;
	}
	return 0;
}

int crm_filter_parse(struct crm_filter *f, const char *const *args,
		     size_t nargs)
{
	size_t i;

	for (i = 0; i < nargs; i++) {
		const char *a = args[i];
		const char *colon = strchr(a, ':');

		if ((a[0] == '+' || a[0] == '-') && !colon) {
			if (!a[1]) {
				crm_error_set(CRM_EINVALID,
					      "filter '%s' names no tag", a);
				return CRM_EINVALID;
			}
			add_term(f, a[0] == '+' ? CRM_FILTER_TAG :
				 CRM_FILTER_NOT_TAG, NULL, 0, a + 1);
		} else if (colon == a) {
			crm_error_set(CRM_EINVALID,
				      "filter '%s' has no field name before ':'",
				      a);
			return CRM_EINVALID;
		} else if (colon && colon[1] != ' ' &&
			   valid_key(a, (size_t)(colon - a))) {
			char *raw = xstrndup(a, (size_t)(colon - a));
			const char *key = canonical_key(raw);

			int rc = 0;

			if (!strcmp(key, "has") && !colon[1]) {
				free(raw);
				crm_error_set(CRM_EINVALID,
					      "filter 'has:' names no field");
				return CRM_EINVALID;
			} else if (!strcmp(key, "has"))
				add_term(f, CRM_FILTER_HAS, NULL, 0,
					 canonical_key(colon + 1));
			else if (!strcmp(key, "tags"))
				add_term(f, CRM_FILTER_TAG, NULL, 0, colon + 1);
			else if (!strcmp(raw, "tag.has") || !strcmp(raw, "tags.has"))
				rc = add_field_term(f, "tags.has", colon + 1, a);
			else
				rc = add_field_term(f, key, colon + 1, a);
			free(raw);
			if (rc)
				return rc;
		} else {
			/* "10:30" or "re: proposal" are words, not fields */
			add_term(f, CRM_FILTER_TEXT, NULL, 0, a);
		}
	}
	return 0;
}

void crm_filter_release(struct crm_filter *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->terms[i].key);
		free(f->terms[i].value);
	}
	free(f->terms);
	memset(f, 0, sizeof(*f));
}

/* The day of a date or moment value, or -1 if it is neither. */
static int value_day(const char *s, long long *day)
{
	struct crm_date d;

	if (!crm_date_from_iso(&d, s) ||
	    (strlen(s) > 10 && !crm_date_of_moment(&d, s))) {
		*day = crm_date_to_days(&d);
		return 0;
	}
	return -1;
}

/* A scalar against a comparison term. */
static int scalar_compares(const struct crm_filter_term *t, const char *s)
{
	long long day;
	crm_money m;

	switch (t->cmp) {
	case CRM_CMP_BEFORE:
		return !value_day(s, &day) && day < t->day;
	case CRM_CMP_AFTER:
		return !value_day(s, &day) && day > t->day;
	case CRM_CMP_OVER:
		return !crm_money_parse(&m, s, 1) && m > t->amount;
	case CRM_CMP_UNDER:
		return !crm_money_parse(&m, s, 1) && m < t->amount;
	case CRM_CMP_HAS:
		return crm_text_matches(s, t->value);
	case CRM_CMP_EQ:
		break;
	}
	return 0;
}

/* Whether `value` equals `n` or, for a list, any of its elements. */
static int node_has_value(const struct crm_node *n, const char *value)
{
	size_t i;

	if (!n)
		return 0;
	if (n->kind == CRM_NODE_SCALAR)
		return crm_text_equal(n->str, value);
	if (n->kind == CRM_NODE_SEQ)
		for (i = 0; i < n->nitems; i++)
			if (node_has_value(n->items[i], value))
				return 1;
	return 0;
}

/* Text in any value (not in keys: "city" must not match every address). */
static int node_contains_text(const struct crm_node *n, const char *text)
{
	size_t i;

	if (!n)
		return 0;
	if (n->kind == CRM_NODE_SCALAR)
		return crm_text_matches(n->str, text);
	for (i = n->kind == CRM_NODE_MAP ? 1 : 0; i < n->nitems;
	     i += n->kind == CRM_NODE_MAP ? 2 : 1)
		if (node_contains_text(n->items[i], text))
			return 1;
	return 0;
}

/* A dotted key walks into maps: address.city */
static const struct crm_node *lookup(const struct crm_node *map,
				     const char *key)
{
	const char *dot;
	const struct crm_node *v;
	char *head;

	if (!map || map->kind != CRM_NODE_MAP)
		return NULL;
	if ((v = crm_map_get(map, key)))
		return v;
	dot = strchr(key, '.');
	if (!dot)
		return NULL;
	head = xstrndup(key, (size_t)(dot - key));
	v = crm_map_get(map, head);
	free(head);
	return lookup(v, dot + 1);
}

static int node_matches(const struct crm_filter_term *t,
			const struct crm_node *n)
{
	size_t i;

	if (!n)
		return 0;
	if (t->cmp == CRM_CMP_EQ)
		return node_has_value(n, t->value);
	if (n->kind == CRM_NODE_SCALAR)
		return scalar_compares(t, n->str);
	if (n->kind == CRM_NODE_SEQ)
		for (i = 0; i < n->nitems; i++)
			if (node_matches(t, n->items[i]))
				return 1;
	return 0;
}

/*
 * A key the record does not have may belong to its deals or follow-ups
 * (stage:proposal lists customers with a deal at that stage).
 */
static int entries_have(const struct crm_node *record,
			const struct crm_filter_term *t)
{
	static const char *const lists[] = { "deals", "followups" };
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		const struct crm_node *seq = crm_map_get(record, lists[i]);

		for (j = 0; seq && seq->kind == CRM_NODE_SEQ &&
			    j < seq->nitems; j++)
			if (node_matches(t, lookup(seq->items[j], t->key)))
				return 1;
	}
	return 0;
}

static int term_matches(const struct crm_filter_term *t,
			const struct crm_node *record,
			const struct crm_node *entry)
{
	const struct crm_node *v;
	static const char *const text_fields[] = { "log", "deals",
						   "followups" };
	size_t i;

	switch (t->op) {
	case CRM_FILTER_TAG:
		v = crm_map_get(record, "tags");
		/* "tag:" with no value: customers without tags */
		if (!*t->value)
			return !v || (v->kind == CRM_NODE_SEQ && !v->nitems);
		return node_has_value(v, t->value);
	case CRM_FILTER_NOT_TAG:
		return !node_has_value(crm_map_get(record, "tags"), t->value);
	case CRM_FILTER_FIELD:
		v = entry ? lookup(entry, t->key) : NULL;
		if (!v)
			v = lookup(record, t->key);
		if (!*t->value && t->cmp == CRM_CMP_EQ)
			return !v || (v->kind == CRM_NODE_SCALAR && !*v->str);
		if (v)
			return node_matches(t, v);
		return !entry && entries_have(record, t);
	case CRM_FILTER_HAS:
		v = entry ? lookup(entry, t->value) : NULL;
		if (!v)
			v = lookup(record, t->value);
		return v && (v->kind == CRM_NODE_SCALAR ? *v->str != '\0' :
			     v->nitems > 0);
	case CRM_FILTER_TEXT:
		if (entry && node_contains_text(entry, t->value))
			return 1;
		/* the card, not the whole timeline: log text is for crm log */
		for (i = 0; i < crm_map_len(record); i++) {
			const char *key = crm_map_key(record, i);
			size_t k;
			int skip = 0;

			for (k = 0; k < ARRAY_SIZE(text_fields); k++)
				skip |= !strcmp(key, text_fields[k]);
			if (!skip && node_contains_text(crm_map_value(record, i),
							t->value))
				return 1;
		}
		return 0;
	}
	return 0;
}

int crm_filter_match(const struct crm_filter *f,
		     const struct crm_node *record,
		     const struct crm_node *entry)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!term_matches(&f->terms[i], record, entry))
			return 0;
	return 1;
}
