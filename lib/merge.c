#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "error.h"
#include "merge.h"
#include "record.h"
#include "strbuf.h"
#include "util.h"

enum field_kind {
	FIELD_ANY = 0,
	FIELD_LOG,
	FIELD_ENTRIES,		/* deals, followups */
};

struct merge {
	struct crm_merge_result *res;
	const char *id;
	/* the merged `conflicts` list, new conflicts appended to it */
	struct crm_node *conflicts;
	/* where we are: "owner", "address.city", "deals/website.stage" */
	struct strbuf path;
};

static void add_note(struct merge *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_note(struct merge *m, const char *fmt, ...)
{
	struct crm_merge_result *r = m->res;
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	size_t i;

	strbuf_addf(&sb, "%s: ", m->id);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	/*
	 * Notes are one line for a terminal: an id or key from a record a
	 * remote sent may hold a newline or an escape sequence.
	 */
	for (i = 0; i < sb.len; i++)
		if ((unsigned char)sb.buf[i] < 0x20 || sb.buf[i] == 0x7f)
			sb.buf[i] = '?';
	ALLOC_GROW(r->notes, r->nnotes + 1, r->alloc);
	r->notes[r->nnotes++].text = strbuf_detach(&sb, NULL);
}

/*
 * A set of nodes under deep equality (crm_node_equal), so that unions of
 * lists stay linear: a log of thousands of entries on each side must not
 * cost millions of tree comparisons.
 */
struct nodeset {
	const struct crm_node **slot;
	uint64_t *hash;
	size_t cap;
};

static void hash_bytes(uint64_t *h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		*h ^= p[i];
		*h *= 1099511628211ULL;	/* FNV-1a */
	}
}

/* Must agree with crm_node_equal: style, flow and positions are ignored. */
static void hash_node(uint64_t *h, const struct crm_node *n)
{
	unsigned char kind = (unsigned char)n->kind;
	size_t i;

	hash_bytes(h, &kind, 1);
	if (n->kind == CRM_NODE_SCALAR) {
		unsigned char type = (unsigned char)n->type;

		hash_bytes(h, &type, 1);
		hash_bytes(h, &n->len, sizeof(n->len));
		hash_bytes(h, n->str, n->len);
		return;
	}
	hash_bytes(h, &n->nitems, sizeof(n->nitems));
	for (i = 0; i < n->nitems; i++)
		hash_node(h, n->items[i]);
}

static uint64_t node_hash(const struct crm_node *n)
{
	uint64_t h = 14695981039346656037ULL;

	hash_node(&h, n);
	return h;
}

static void nodeset_init(struct nodeset *s, size_t expected)
{
	s->cap = 16;
	while (s->cap < 2 * expected + 1)
		s->cap *= 2;
	s->slot = xcalloc(s->cap, sizeof(*s->slot));
	s->hash = xcalloc(s->cap, sizeof(*s->hash));
}

static void nodeset_release(struct nodeset *s)
{
	free(s->slot);
	free(s->hash);
	memset(s, 0, sizeof(*s));
}

/* The slot holding `n`, or the empty slot where it would go. */
static size_t nodeset_slot(const struct nodeset *s, const struct crm_node *n,
			   uint64_t h)
{
	size_t i = (size_t)h & (s->cap - 1);

	while (s->slot[i] &&
	       (s->hash[i] != h || !crm_node_equal(s->slot[i], n)))
		i = (i + 1) & (s->cap - 1);
	return i;
}

static int nodeset_has(const struct nodeset *s, const struct crm_node *n)
{
	return s->slot[nodeset_slot(s, n, node_hash(n))] != NULL;
}

/*
 * Returns 1 if `n` was added, 0 if an equal node was there.  The set
 * borrows `n` and must be sized for all it will hold (probing needs a
 * free slot).
 */
static int nodeset_add(struct nodeset *s, const struct crm_node *n)
{
	uint64_t h = node_hash(n);
	size_t i = nodeset_slot(s, n, h);

	if (s->slot[i])
		return 0;
	s->slot[i] = n;
	s->hash[i] = h;
	return 1;
}

static void nodeset_add_all(struct nodeset *s, const struct crm_node *seq)
{
	size_t i;

	for (i = 0; seq && i < seq->nitems; i++)
		nodeset_add(s, seq->items[i]);
}

static size_t seq_len(const struct crm_node *seq)
{
	return seq ? seq->nitems : 0;
}

static int is_kind(const struct crm_node *n, enum crm_node_kind kind)
{
	return n && n->kind == kind;
}

/* NULL (no list yet) or a sequence. */
static int seq_or_absent(const struct crm_node *n)
{
	return !n || n->kind == CRM_NODE_SEQ;
}

static int scalar_list_or_absent(const struct crm_node *n)
{
	size_t i;

	if (!seq_or_absent(n))
		return 0;
	for (i = 0; i < seq_len(n); i++)
		if (n->items[i]->kind != CRM_NODE_SCALAR)
			return 0;
	return 1;
}

static int seq_flow(const struct crm_node *ours, const struct crm_node *theirs)
{
	return ours ? ours->flow : theirs ? theirs->flow : 0;
}

/*
 * An item kept by a union, and where it came from (log entries whose
 * `at` does not parse borrow the time of the entry before them there).
 */
struct pick {
	const struct crm_node *node;
	int from_theirs;
	size_t pos;			/* index on its side */
	size_t order;			/* ours-then-theirs order */
	long long at;
};

/*
 * The union of ours and theirs as a set: items added on either side are
 * in, items of the base either side removed are out, duplicates once.
 * Ours' order first, then theirs' new items in theirs' order.
 */
static size_t union_picks(struct pick **out, const struct crm_node *base,
			  const struct crm_node *ours,
			  const struct crm_node *theirs)
{
	struct nodeset in_base, in_ours, in_theirs, seen;
	struct pick *picks;
	size_t i, n = 0;

	nodeset_init(&in_base, seq_len(base));
	nodeset_init(&in_ours, seq_len(ours));
	nodeset_init(&in_theirs, seq_len(theirs));
	nodeset_init(&seen, seq_len(ours) + seq_len(theirs));
	nodeset_add_all(&in_base, base);
	nodeset_add_all(&in_ours, ours);
	nodeset_add_all(&in_theirs, theirs);
	picks = xcalloc(seq_len(ours) + seq_len(theirs) + 1, sizeof(*picks));

	for (i = 0; i < seq_len(ours); i++) {
		const struct crm_node *item = ours->items[i];

		if (nodeset_has(&in_base, item) &&
		    !nodeset_has(&in_theirs, item))
			continue;	/* theirs removed it */
		if (!nodeset_add(&seen, item))
			continue;
		picks[n].node = item;
		picks[n].pos = i;
		picks[n].order = n;
		n++;
	}
	for (i = 0; i < seq_len(theirs); i++) {
		const struct crm_node *item = theirs->items[i];

		/* in ours: decided above; in base only: ours removed it */
		if (nodeset_has(&in_ours, item) || nodeset_has(&in_base, item))
			continue;
		if (!nodeset_add(&seen, item))
			continue;
		picks[n].node = item;
		picks[n].from_theirs = 1;
		picks[n].pos = i;
		picks[n].order = n;
		n++;
	}
	nodeset_release(&in_base);
	nodeset_release(&in_ours);
	nodeset_release(&in_theirs);
	nodeset_release(&seen);
	*out = picks;
	return n;
}

/* A list that merged to nothing is dropped, unless a side kept it empty. */
static struct crm_node *list_or_absent(struct crm_node *seq,
				       const struct crm_node *ours,
				       const struct crm_node *theirs)
{
	if (seq->nitems || (ours && !ours->nitems) ||
	    (theirs && !theirs->nitems))
		return seq;
	crm_node_free(seq);
	return NULL;
}

static struct crm_node *seq_from_picks(const struct pick *picks, size_t n,
				       int flow)
{
	struct crm_node *seq = crm_node_new_seq(flow);
	size_t i;

	for (i = 0; i < n; i++)
		crm_seq_append(seq, crm_node_dup(picks[i].node));
	return seq;
}

static struct crm_node *merge_set(const struct crm_node *base,
				  const struct crm_node *ours,
				  const struct crm_node *theirs)
{
	struct pick *picks = NULL;
	size_t n = union_picks(&picks, base, ours, theirs);
	struct crm_node *seq = seq_from_picks(picks, n,
					      seq_flow(ours, theirs));

	free(picks);
	return list_or_absent(seq, ours, theirs);
}

/*
 * The instant of each entry's `at`.  One that does not parse (a hand
 * edit) takes the time of the entry before it on its side, so it stays
 * where the user put it instead of jumping to one end.
 */
static long long *log_times(const struct crm_node *seq)
{
	long long *at = xcalloc(seq_len(seq) + 1, sizeof(*at));
	long long prev = LLONG_MIN;
	size_t i;

	for (i = 0; i < seq_len(seq); i++) {
		const char *s = crm_map_get_str(seq->items[i], "at");
		time_t t;
		int offset;

		if (s && !crm_parse_moment(s, &t, &offset))
			prev = (long long)t;
		at[i] = prev;
	}
	return at;
}

static int pick_cmp(const void *pa, const void *pb)
{
	const struct pick *a = pa, *b = pb;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	/* qsort is not stable; the union order breaks ties */
	return a->order < b->order ? -1 : a->order > b->order;
}

static struct crm_node *merge_log(const struct crm_node *base,
				  const struct crm_node *ours,
				  const struct crm_node *theirs)
{
	long long *ours_at = log_times(ours), *theirs_at = log_times(theirs);
	struct pick *picks = NULL;
	size_t i, n = union_picks(&picks, base, ours, theirs);
	struct crm_node *seq;

	for (i = 0; i < n; i++)
		picks[i].at = picks[i].from_theirs ? theirs_at[picks[i].pos] :
						     ours_at[picks[i].pos];
	qsort(picks, n, sizeof(*picks), pick_cmp);
	seq = seq_from_picks(picks, n, seq_flow(ours, theirs));
	free(picks);
	free(ours_at);
	free(theirs_at);
	return list_or_absent(seq, ours, theirs);
}

/* Entries of deals/followups by id, sorted for binary search. */
struct id_slot {
	const char *id;
	size_t pos;
};

struct id_index {
	struct id_slot *slots;
	size_t n;
};

static int id_slot_cmp(const void *pa, const void *pb)
{
	const struct id_slot *a = pa, *b = pb;
	int c = strcmp(a->id, b->id);

	return c ? c : a->pos < b->pos ? -1 : a->pos > b->pos;
}

/*
 * Index `seq` by id.  Returns -1 if an entry is not a map with an id or
 * an id repeats: matching by id would be a guess, so the caller falls
 * back to treating the list as one value.
 */
static int id_index_build(struct id_index *ix, const struct crm_node *seq)
{
	size_t i;

	ix->n = 0;
	ix->slots = xcalloc(seq_len(seq) + 1, sizeof(*ix->slots));
	for (i = 0; i < seq_len(seq); i++) {
		const char *id = crm_map_get_str(seq->items[i], "id");

		if (!is_kind(seq->items[i], CRM_NODE_MAP) || !id)
			return -1;
		ix->slots[ix->n].id = id;
		ix->slots[ix->n].pos = i;
		ix->n++;
	}
	qsort(ix->slots, ix->n, sizeof(*ix->slots), id_slot_cmp);
	for (i = 1; i < ix->n; i++)
		if (!strcmp(ix->slots[i - 1].id, ix->slots[i].id))
			return -1;
	return 0;
}

static const struct crm_node *id_index_get(const struct id_index *ix,
					   const struct crm_node *seq,
					   const char *id)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(id, ix->slots[mid].id);

		if (!c)
			return seq->items[ix->slots[mid].pos];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static struct crm_node *merge_value(struct merge *m, enum field_kind kind,
				    const char *key,
				    const struct crm_node *base,
				    const struct crm_node *ours,
				    const struct crm_node *theirs);

/* The merge of the entry lists, with their indexes and the ids taken. */
struct entries {
	const char *key;		/* "deals" or "followups" */
	const char *what;		/* "deal" or "follow-up" */
	const struct crm_node *base, *ours, *theirs;
	struct id_index ix_base, ix_ours, ix_theirs;
	char **renamed;			/* ids given to theirs */
	size_t nrenamed, alloc;
	unsigned long long max_number;	/* largest numeric follow-up id */
};

static int id_taken(const struct entries *e, const char *id)
{
	size_t i;

	if (id_index_get(&e->ix_ours, e->ours, id) ||
	    id_index_get(&e->ix_theirs, e->theirs, id) ||
	    id_index_get(&e->ix_base, e->base, id))
		return 1;
	for (i = 0; i < e->nrenamed; i++)
		if (!strcmp(e->renamed[i], id))
			return 1;
	return 0;
}

static void note_number(unsigned long long *max, const struct crm_node *seq)
{
	size_t i;

	for (i = 0; i < seq_len(seq); i++) {
		const char *id = crm_map_get_str(seq->items[i], "id");
		unsigned long long v = 0;
		size_t k;

		/* longer ids would overflow; counting up never meets them */
		if (!id || !*id || strlen(id) > 18)
			continue;
		for (k = 0; id[k] >= '0' && id[k] <= '9'; k++)
			v = v * 10 + (unsigned long long)(id[k] - '0');
		if (!id[k] && v > *max)
			*max = v;
	}
}

/*
 * A free id for theirs' entry that collides with ours: a deal id gets a
 * suffix, a follow-up (numbered) the next number after every one in use
 * on any side, so that it cannot meet another of theirs later.
 */
static char *free_id(struct entries *e, const char *id, int numbered)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned long long n;

	for (n = 2;; n++) {
		strbuf_reset(&sb);
		if (numbered)
			strbuf_addf(&sb, "%llu", ++e->max_number);
		else
			strbuf_addf(&sb, "%s-%llu", id, n);
		if (!id_taken(e, sb.buf))
			break;
	}
	ALLOC_GROW(e->renamed, e->nrenamed + 1, e->alloc);
	e->renamed[e->nrenamed++] = xstrdup(sb.buf);
	return strbuf_detach(&sb, NULL);
}

static void path_push_entry(struct merge *m, const char *id)
{
	strbuf_addch(&m->path, '/');
	strbuf_addstr(&m->path, id);
}

static void merge_entry_lists(struct merge *m, struct entries *e,
			      struct crm_node *out)
{
	size_t len = m->path.len, i;
	int numbered = !strcmp(e->key, "followups");

	for (i = 0; i < seq_len(e->ours); i++) {
		const struct crm_node *o = e->ours->items[i];
		const char *id = crm_map_get_str(o, "id");
		const struct crm_node *b, *t;

		b = id_index_get(&e->ix_base, e->base, id);
		t = id_index_get(&e->ix_theirs, e->theirs, id);

		if (b && t) {
			struct crm_node *v;

			path_push_entry(m, id);
			v = merge_value(m, FIELD_ANY, id, b, o, t);
			strbuf_setlen(&m->path, len);
			if (v)
				crm_seq_append(out, v);
		} else if (b) {
			if (crm_node_equal(b, o))
				continue;	/* deleted on theirs */
			crm_seq_append(out, crm_node_dup(o));
			add_note(m, "%s '%s' deleted on theirs, changed on "
				 "ours; kept", e->what, id);
		} else {
			/*
			 * added on ours; if on theirs too, theirs' comes
			 * below, renamed, unless it is the same entry
			 */
			crm_seq_append(out, crm_node_dup(o));
		}
	}
	for (i = 0; i < seq_len(e->theirs); i++) {
		const struct crm_node *t = e->theirs->items[i];
		const char *id = crm_map_get_str(t, "id");
		const struct crm_node *b, *o;
		struct crm_node *copy;
		char *new_id;

		b = id_index_get(&e->ix_base, e->base, id);
		o = id_index_get(&e->ix_ours, e->ours, id);
		if (o) {
			if (b || crm_node_equal(o, t))
				continue;	/* merged above */
			new_id = free_id(e, id, numbered);
			copy = crm_node_dup(t);
			crm_map_set(copy, "id", numbered ?
				    crm_node_new_plain(new_id) :
				    crm_node_new_str(new_id));
			crm_seq_append(out, copy);
			add_note(m, "%s '%s' added on both sides; theirs kept "
				 "as '%s'", e->what, id, new_id);
			free(new_id);
		} else if (b) {
			if (crm_node_equal(b, t))
				continue;	/* deleted on ours */
			crm_seq_append(out, crm_node_dup(t));
			add_note(m, "%s '%s' deleted on ours, changed on "
				 "theirs; kept", e->what, id);
		} else {
			crm_seq_append(out, crm_node_dup(t));
		}
	}
}

/*
 * deals and followups, matched by id.  Returns 0 and sets *out, or -1
 * when the lists cannot be matched by id (not lists of maps with unique
 * ids), for the caller to merge them as plain values.
 */
static int merge_entries(struct crm_node **out, struct merge *m,
			 const char *key, const struct crm_node *base,
			 const struct crm_node *ours,
			 const struct crm_node *theirs)
{
	struct entries e;
	struct crm_node *seq = NULL;
	size_t i;
	int rc = -1;

	memset(&e, 0, sizeof(e));
	e.key = key;
	e.what = !strcmp(key, "deals") ? "deal" : "follow-up";
	e.base = base;
	e.ours = ours;
	e.theirs = theirs;
	if (!seq_or_absent(base) || !seq_or_absent(ours) ||
	    !seq_or_absent(theirs))
		goto done;
	if (id_index_build(&e.ix_base, base) ||
	    id_index_build(&e.ix_ours, ours) ||
	    id_index_build(&e.ix_theirs, theirs))
		goto done;
	note_number(&e.max_number, base);
	note_number(&e.max_number, ours);
	note_number(&e.max_number, theirs);
	seq = crm_node_new_seq(seq_flow(ours, theirs));
	merge_entry_lists(m, &e, seq);
	*out = list_or_absent(seq, ours, theirs);
	rc = 0;
done:
	free(e.ix_base.slots);
	free(e.ix_ours.slots);
	free(e.ix_theirs.slots);
	for (i = 0; i < e.nrenamed; i++)
		free(e.renamed[i]);
	free(e.renamed);
	return rc;
}

static void conflict_side(struct crm_node *entry, const char *side,
			  const struct crm_node *value)
{
	if (value)
		crm_map_set(entry, side, crm_node_dup(value));
	else
		crm_map_set(entry, "deleted", crm_node_new_str(side));
}

static void record_conflict(struct merge *m, const struct crm_node *base,
			    const struct crm_node *ours,
			    const struct crm_node *theirs)
{
	struct crm_node *entry = crm_node_new_map();
	size_t i;

	crm_map_set(entry, "field", crm_node_new_str(m->path.buf));
	conflict_side(entry, "ours", ours);
	conflict_side(entry, "theirs", theirs);
	if (base)
		crm_map_set(entry, "base", crm_node_dup(base));
	/* a merge repeated before resolving must not pile up copies */
	for (i = 0; i < m->conflicts->nitems; i++) {
		if (crm_node_equal(m->conflicts->items[i], entry)) {
			crm_node_free(entry);
			return;
		}
	}
	crm_seq_append(m->conflicts, entry);
	m->res->conflicts++;
	add_note(m, "conflict in '%s': ours kept, theirs saved under "
		 "'conflicts'", m->path.buf);
}

static struct crm_node *merge_map(struct merge *m, const struct crm_node *base,
				  const struct crm_node *ours,
				  const struct crm_node *theirs, int top);

static struct crm_node *merge_value(struct merge *m, enum field_kind kind,
				    const char *key,
				    const struct crm_node *base,
				    const struct crm_node *ours,
				    const struct crm_node *theirs)
{
	struct crm_node *out = NULL;

	if (crm_node_equal(ours, theirs))
		return crm_node_dup(ours);
	if (crm_node_equal(base, ours))
		return crm_node_dup(theirs);
	if (crm_node_equal(base, theirs))
		return crm_node_dup(ours);

	/* changed on both sides, differently */
	if (kind == FIELD_LOG && seq_or_absent(base) && seq_or_absent(ours) &&
	    seq_or_absent(theirs))
		return merge_log(base, ours, theirs);
	if (kind == FIELD_ENTRIES &&
	    !merge_entries(&out, m, key, base, ours, theirs))
		return out;
	if (is_kind(ours, CRM_NODE_MAP) && is_kind(theirs, CRM_NODE_MAP) &&
	    (!base || base->kind == CRM_NODE_MAP))
		return merge_map(m, base, ours, theirs, 0);
	if (scalar_list_or_absent(base) && scalar_list_or_absent(ours) &&
	    scalar_list_or_absent(theirs))
		return merge_set(base, ours, theirs);
	record_conflict(m, base, ours, theirs);
	return crm_node_dup(ours);
}

static enum field_kind top_kind(const char *key)
{
	if (!strcmp(key, "log"))
		return FIELD_LOG;
	if (!strcmp(key, "deals") || !strcmp(key, "followups"))
		return FIELD_ENTRIES;
	return FIELD_ANY;
}

/* A key new in theirs, in a nested map: after its neighbour in theirs. */
static size_t theirs_position(const struct crm_node *out,
			      const struct crm_node *theirs, size_t i)
{
	while (i-- > 0) {
		long at = crm_map_find(out, crm_map_key(theirs, i));

		if (at >= 0)
			return (size_t)at + 1;
	}
	return 0;
}

static struct crm_node *merge_map(struct merge *m, const struct crm_node *base,
				  const struct crm_node *ours,
				  const struct crm_node *theirs, int top)
{
	struct crm_node *out = crm_node_new_map();
	struct crm_record record;
	size_t len = m->path.len, i;

	out->flow = ours->flow;
	/* the record's insert logic puts theirs' new fields in their place */
	memset(&record, 0, sizeof(record));
	record.root = out;
	for (i = 0; i < crm_map_len(ours); i++) {
		const char *key = crm_map_key(ours, i);
		struct crm_node *v;

		if (top && !strcmp(key, "conflicts"))
			continue;	/* merged apart, placed last */
		if (m->path.len)
			strbuf_addch(&m->path, '.');
		strbuf_addstr(&m->path, key);
		v = merge_value(m, top ? top_kind(key) : FIELD_ANY, key,
				crm_map_get(base, key), crm_map_value(ours, i),
				crm_map_get(theirs, key));
		strbuf_setlen(&m->path, len);
		if (v)
			crm_map_set(out, key, v);
	}
	for (i = 0; i < crm_map_len(theirs); i++) {
		const char *key = crm_map_key(theirs, i);
		struct crm_node *v;

		if (crm_map_find(ours, key) >= 0 ||
		    (top && !strcmp(key, "conflicts")))
			continue;
		if (m->path.len)
			strbuf_addch(&m->path, '.');
		strbuf_addstr(&m->path, key);
		v = merge_value(m, top ? top_kind(key) : FIELD_ANY, key,
				crm_map_get(base, key), NULL,
				crm_map_value(theirs, i));
		strbuf_setlen(&m->path, len);
		if (!v)
			continue;
		if (top)
			crm_record_set_node(&record, key, v);
		else
			crm_map_set_at(out, key, v,
				       theirs_position(out, theirs, i));
	}
	return out;
}

/* A hand-edited `conflicts` that is not a list is kept as its one item. */
static const struct crm_node *as_list(const struct crm_node *n,
				      struct crm_node **wrapped)
{
	*wrapped = NULL;
	if (seq_or_absent(n))
		return n;
	*wrapped = crm_node_new_seq(0);
	crm_seq_append(*wrapped, crm_node_dup(n));
	return *wrapped;
}

static struct crm_node *merge_conflict_lists(const struct crm_node *base,
					     const struct crm_node *ours,
					     const struct crm_node *theirs)
{
	struct crm_node *wb = NULL, *wo = NULL, *wt = NULL, *seq;
	struct pick *picks = NULL;
	size_t n;

	base = as_list(base, &wb);
	ours = as_list(ours, &wo);
	theirs = as_list(theirs, &wt);
	n = union_picks(&picks, base, ours, theirs);
	seq = seq_from_picks(picks, n, 0);
	free(picks);
	crm_node_free(wb);
	crm_node_free(wo);
	crm_node_free(wt);
	return seq;
}

static struct crm_node *merge_record(struct merge *m,
				     const struct crm_node *base,
				     const struct crm_node *ours,
				     const struct crm_node *theirs)
{
	struct crm_node *out;

	if (crm_node_equal(base, ours))
		return crm_node_dup(theirs);
	if (crm_node_equal(base, theirs))
		return crm_node_dup(ours);
	m->conflicts = merge_conflict_lists(crm_map_get(base, "conflicts"),
					    crm_map_get(ours, "conflicts"),
					    crm_map_get(theirs, "conflicts"));
	out = merge_map(m, base, ours, theirs, 1);
	if (m->conflicts->nitems)
		crm_map_set(out, "conflicts", m->conflicts);
	else
		crm_node_free(m->conflicts);
	m->conflicts = NULL;
	return out;
}

int crm_merge_records(struct crm_merge_result *out, const char *id,
		      const struct crm_node *base, const struct crm_node *ours,
		      const struct crm_node *theirs)
{
	struct merge m;
	const struct crm_node *kept;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	memset(&m, 0, sizeof(m));
	m.res = out;
	m.id = id ? id : "record";
	strbuf_init(&m.path);

	if ((base && base->kind != CRM_NODE_MAP) ||
	    (ours && ours->kind != CRM_NODE_MAP) ||
	    (theirs && theirs->kind != CRM_NODE_MAP)) {
		crm_error_set(CRM_EINVALID, "cannot merge '%s': a record must "
			      "be a map of fields", m.id);
		rc = CRM_EINVALID;
		goto done;
	}
	if (!ours && !theirs)
		goto done;	/* deleted on both sides */
	if (!ours || !theirs) {
		kept = ours ? ours : theirs;
		if (base && crm_node_equal(base, kept))
			goto done;	/* deleted; the other side agrees */
		out->merged = crm_node_dup(kept);
		if (base)
			add_note(&m, "kept: deleted on one side, changed on "
				 "the other (deleted on %s)",
				 ours ? "theirs" : "ours");
	} else if (crm_node_equal(ours, theirs)) {
		out->merged = crm_node_dup(ours);
	} else if (!base) {
		out->merged = crm_node_dup(ours);
		out->theirs_renamed = crm_node_dup(theirs);
		add_note(&m, "added on both sides as different records; "
			 "theirs needs a new id");
	} else {
		out->merged = merge_record(&m, base, ours, theirs);
	}

	/* only an invalid input can make this fail; never pass it on */
	if (out->merged && (rc = crm_record_check(out->merged, NULL, m.id)))
		goto done;
	if (out->theirs_renamed &&
	    (rc = crm_record_check(out->theirs_renamed, NULL, m.id)))
		goto done;
done:
	strbuf_release(&m.path);
	if (rc)
		crm_merge_result_release(out);
	return rc;
}

void crm_merge_result_release(struct crm_merge_result *r)
{
	size_t i;

	if (!r)
		return;
	crm_node_free(r->merged);
	crm_node_free(r->theirs_renamed);
	for (i = 0; i < r->nnotes; i++)
		free(r->notes[i].text);
	free(r->notes);
	memset(r, 0, sizeof(*r));
}
