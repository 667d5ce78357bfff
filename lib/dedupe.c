/*
 * Likely duplicates and merging two customers (see dedupe.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dedupe.h"
#include "entries.h"
#include "import.h"
#include "strbuf.h"
#include "text.h"
#include "util.h"

/* A name or company to compare: folded, spaces collapsed, trimmed. */
void crm_name_fold(struct strbuf *out, const char *s)
{
	struct strbuf folded = STRBUF_INIT;
	const char *p;
	int space = 0;

	crm_text_fold(&folded, s ? s : "");
	strbuf_reset(out);
	for (p = folded.buf; *p; p++) {
		if (*p == ' ' || *p == '\t') {
			space = out->len > 0;
			continue;
		}
		if (space)
			strbuf_addch(out, ' ');
		space = 0;
		strbuf_addch(out, *p);
	}
	strbuf_release(&folded);
}

void crm_dedupe_init(struct crm_dedupe *d)
{
	memset(d, 0, sizeof(*d));
}

/* Whether "a; b; c" has the item `item`, whole. */
static int has_item(const char *list, const char *item)
{
	size_t len = strlen(item);
	const char *p;

	for (p = list; (p = strstr(p, item)); p++)
		if ((p == list || (p >= list + 2 && p[-2] == ';' &&
				   p[-1] == ' ')) &&
		    (p[len] == '\0' || p[len] == ';'))
			return 1;
	return 0;
}

/* The pair of customers i and j, made if new, with one more reason. */
static void add_reason(struct crm_dedupe *d, size_t i, size_t j,
		       const char *reason)
{
	struct strbuf key = STRBUF_INIT, sb = STRBUF_INIT;
	const char *a = d->ids[i], *b = d->ids[j];
	struct crm_dedupe_pair *p;
	size_t at;

	if (i == j)
		return;
	if (strcmp(a, b) > 0) {
		const char *t = a;

		a = b;
		b = t;
	}
	strbuf_addf(&key, "%s\t%s", a, b);
	if (!crm_strmap_get(&d->by_pair, key.buf, &at)) {
		ALLOC_GROW(d->pairs, d->npairs + 1, d->pairs_alloc);
		at = d->npairs++;
		d->pairs[at].a = xstrdup(a);
		d->pairs[at].b = xstrdup(b);
		d->pairs[at].reasons = xstrdup("");
		crm_strmap_put(&d->by_pair, key.buf, at);
	}
	p = &d->pairs[at];
	if (!has_item(p->reasons, reason)) {
		strbuf_addstr(&sb, p->reasons);
		if (sb.len)
			strbuf_addstr(&sb, "; ");
		strbuf_addstr(&sb, reason);
		free(p->reasons);
		p->reasons = strbuf_detach(&sb, NULL);
	}
	strbuf_release(&key);
	strbuf_release(&sb);
}

/* "email:jane@x" -> "same email jane@x" */
static void key_reason(struct strbuf *out, const char *key)
{
	const char *colon = strchr(key, ':');

	strbuf_reset(out);
	strbuf_addf(out, "same %.*s %s", (int)(colon - key), key, colon + 1);
}

/* Customer `who` joins the group of `key` in `map`, made if new. */
static void join_group(struct crm_dedupe *d, struct crm_strmap *map,
		       const char *key, const char *reason, size_t who)
{
	size_t g;

	if (!crm_strmap_get(map, key, &g)) {
		if (d->ngroups == d->groups_alloc) {
			d->groups_alloc = d->groups_alloc ? 2 * d->groups_alloc : 64;
			d->groups = xrealloc(d->groups, d->groups_alloc *
					     sizeof(*d->groups));
			d->group_len = xrealloc(d->group_len, d->groups_alloc *
						sizeof(*d->group_len));
			d->group_alloc = xrealloc(d->group_alloc,
						  d->groups_alloc *
						  sizeof(*d->group_alloc));
			d->group_reason = xrealloc(d->group_reason,
						   d->groups_alloc *
						   sizeof(*d->group_reason));
		}
		g = d->ngroups++;
		d->groups[g] = NULL;
		d->group_len[g] = d->group_alloc[g] = 0;
		d->group_reason[g] = reason ? xstrdup(reason) : NULL;
		crm_strmap_put(map, key, g);
	}
	ALLOC_GROW(d->groups[g], d->group_len[g] + 1, d->group_alloc[g]);
	d->groups[g][d->group_len[g]++] = who;
}

void crm_dedupe_add(struct crm_dedupe *d, const char *id,
		    const struct crm_node *record)
{
	struct crm_import_keys keys;
	struct strbuf folded = STRBUF_INIT, reason = STRBUF_INIT;
	const char *name = crm_map_get_str(record, "name");
	const char *company = crm_map_get_str(record, "company");
	size_t who, i;

	ALLOC_GROW(d->ids, d->n + 1, d->alloc);
	d->names = xrealloc(d->names, d->alloc * sizeof(*d->names));
	who = d->n++;
	d->ids[who] = xstrdup(id);
	crm_name_fold(&folded, name);
	d->names[who] = strbuf_detach(&folded, NULL);
	strbuf_init(&folded);

	memset(&keys, 0, sizeof(keys));
	crm_import_keys(&keys, record);
	for (i = 0; i < keys.n; i++) {
		key_reason(&reason, keys.items[i]);
		join_group(d, &d->by_key, keys.items[i], reason.buf, who);
	}
	crm_import_keys_release(&keys);
	crm_name_fold(&folded, company);
	if (folded.len)
		join_group(d, &d->by_company, folded.buf, NULL, who);
	strbuf_release(&folded);
	strbuf_release(&reason);
}

int crm_names_alike(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), shorter = la < lb ? la : lb;
	size_t limit = shorter >= 8 ? 2 : shorter >= 4 ? 1 : 0;

	if (!la || !lb)
		return 0;
	return edit_distance(a, b, limit) <= limit;
}

static int pair_order(const void *x, const void *y)
{
	const struct crm_dedupe_pair *a = x, *b = y;
	int c = strcmp(a->a, b->a);

	return c ? c : strcmp(a->b, b->b);
}

static int member_order(const void *x, const void *y, void *ids)
{
	char *const *id = ids;

	return strcmp(id[*(const size_t *)x], id[*(const size_t *)y]);
}

/*
 * Pairs come from groups: customers sharing an email or phone are all
 * paired; customers of one company are paired when their names are
 * alike.  Members are sorted by id first, so the pairs (and which ones a
 * cap leaves out) do not depend on the order the scan found them in.
 */
static void pair_group(struct crm_dedupe *d, size_t g, struct strbuf *reason)
{
	size_t *m = d->groups[g], n = d->group_len[g], i, j;

	qsort_r(m, n, sizeof(*m), member_order, d->ids);
	if (d->group_reason[g]) {
		if (n > CRM_DEDUPE_MAX_SHARED) {
			d->capped_keys++;
			n = CRM_DEDUPE_MAX_SHARED;
		}
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				add_reason(d, m[i], m[j], d->group_reason[g]);
		return;
	}
	/* pairwise: a company of thousands would take minutes */
	if (n > CRM_DEDUPE_MAX_GROUP) {
		d->skipped_groups++;
		return;
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			const char *a = d->names[m[i]], *b = d->names[m[j]];

			if (!crm_names_alike(a, b))
				continue;
			strbuf_reset(reason);
			strbuf_addstr(reason, strcmp(a, b) ?
				      "similar names at the same company" :
				      "same name at the same company");
			add_reason(d, m[i], m[j], reason->buf);
		}
}

void crm_dedupe_finish(struct crm_dedupe *d)
{
	struct strbuf reason = STRBUF_INIT;
	size_t g;

	for (g = 0; g < d->ngroups; g++)
		pair_group(d, g, &reason);
	if (d->npairs)
		qsort(d->pairs, d->npairs, sizeof(*d->pairs), pair_order);
	strbuf_release(&reason);
}

void crm_dedupe_release(struct crm_dedupe *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->ids[i]);
		free(d->names[i]);
	}
	free(d->ids);
	free(d->names);
	for (i = 0; i < d->ngroups; i++) {
		free(d->groups[i]);
		free(d->group_reason[i]);
	}
	free(d->groups);
	free(d->group_reason);
	free(d->group_len);
	free(d->group_alloc);
	for (i = 0; i < d->npairs; i++) {
		free(d->pairs[i].a);
		free(d->pairs[i].b);
		free(d->pairs[i].reasons);
	}
	free(d->pairs);
	crm_strmap_release(&d->by_key);
	crm_strmap_release(&d->by_company);
	crm_strmap_release(&d->by_pair);
	memset(d, 0, sizeof(*d));
}

/* ---- merging two customers ---- */

static int seq_has_equal(const struct crm_node *seq, const struct crm_node *n)
{
	size_t i;

	for (i = 0; seq && i < seq->nitems; i++)
		if (crm_node_equal(seq->items[i], n))
			return 1;
	return 0;
}

/* keep's deals or follow-ups, made (in block style, as crm writes them) */
static struct crm_node *entry_list(struct crm_record *keep, const char *key)
{
	struct crm_node *seq = crm_map_get(keep->root, key);

	if (!seq) {
		seq = crm_node_new_seq(0);
		crm_record_set_node(keep, key, seq);
	}
	return seq;
}

/*
 * Entries are compared with keep's as they were before the merge: two
 * equal entries of other's are both kept, as they were in other.
 */
static void merge_log(struct crm_record *keep, const struct crm_node *was,
		      const struct crm_node *log)
{
	size_t i;

	for (i = 0; log && log->kind == CRM_NODE_SEQ && i < log->nitems; i++)
		if (!seq_has_equal(was, log->items[i]))
			crm_log_insert(keep, crm_node_dup(log->items[i]));
}

/* A deal or follow-up without its id, to compare two across customers. */
static struct crm_node *without_id(const struct crm_node *entry)
{
	struct crm_node *copy = crm_node_dup(entry);

	if (copy->kind == CRM_NODE_MAP)
		crm_map_remove(copy, "id");
	return copy;
}

/*
 * Whether keep's deals or follow-ups (`key`) hold `entry` but for its id:
 * the same deal or follow-up recorded on both, or merged in before.
 */
static int has_same_entry(const struct crm_node *list,
			  const struct crm_node *entry)
{
	struct crm_node *want = without_id(entry);
	size_t i;
	int found = 0;

	for (i = 0; list && list->kind == CRM_NODE_SEQ && i < list->nitems &&
		    !found; i++) {
		struct crm_node *have = without_id(list->items[i]);

		found = crm_node_equal(have, want);
		crm_node_free(have);
	}
	crm_node_free(want);
	return found;
}

static void merge_deals(struct crm_record *keep, const struct crm_node *was,
			const struct crm_node *deals)
{
	struct strbuf id = STRBUF_INIT;
	size_t i, n;

	for (i = 0; deals && deals->kind == CRM_NODE_SEQ &&
		    i < deals->nitems; i++) {
		const struct crm_node *deal = deals->items[i];
		const char *did = crm_map_get_str(deal, "id");
		struct crm_node *copy;

		if (deal->kind != CRM_NODE_MAP || has_same_entry(was, deal))
			continue;
		copy = crm_node_dup(deal);
		/* one id, two different deals: the newcomer is renamed */
		if (did && crm_deal_find_id(keep, did)) {
			for (n = 2;; n++) {
				strbuf_reset(&id);
				strbuf_addf(&id, "%s-%zu", did, n);
				if (!crm_deal_find_id(keep, id.buf))
					break;
			}
			crm_map_set(copy, "id", crm_node_new_str(id.buf));
		}
		crm_seq_append(entry_list(keep, "deals"), copy);
	}
	strbuf_release(&id);
}

static void merge_followups(struct crm_record *keep, const struct crm_node *was,
			    const struct crm_node *followups)
{
	char num[32];
	size_t i;

	for (i = 0; followups && followups->kind == CRM_NODE_SEQ &&
		    i < followups->nitems; i++) {
		const struct crm_node *f = followups->items[i];
		struct crm_node *copy;

		if (f->kind != CRM_NODE_MAP || has_same_entry(was, f))
			continue;
		copy = crm_node_dup(f);
		/* ids are numbers within a customer: take keep's next one */
		snprintf(num, sizeof(num), "%ld", crm_followup_next_id(keep));
		crm_map_set(copy, "id", crm_node_new_plain(num));
		crm_seq_append(entry_list(keep, "followups"), copy);
	}
}

/* A copy of keep's `key` list as it is now (NULL if it has none). */
static struct crm_node *snapshot(const struct crm_record *keep, const char *key)
{
	const struct crm_node *list = crm_map_get(keep->root, key);

	return list ? crm_node_dup(list) : NULL;
}

size_t crm_customer_merge(struct crm_record *keep,
			  const struct crm_record *other)
{
	struct crm_node *log = snapshot(keep, "log");
	struct crm_node *deals = snapshot(keep, "deals");
	struct crm_node *followups = snapshot(keep, "followups");
	size_t noted = 0;

	crm_merge_fields_into(keep->root, other->root, "merge", other->id,
			      &noted);
	merge_log(keep, log, crm_map_get(other->root, "log"));
	merge_deals(keep, deals, crm_map_get(other->root, "deals"));
	merge_followups(keep, followups, crm_map_get(other->root, "followups"));
	crm_node_free(log);
	crm_node_free(deals);
	crm_node_free(followups);
	return noted;
}
