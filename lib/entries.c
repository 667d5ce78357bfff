#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "entries.h"
#include "error.h"
#include "slug.h"
#include "util.h"

struct crm_node *crm_log_entry_new(const char *at, const char *type,
				   const char *by, const char *text)
{
	struct crm_node *e = crm_node_new_map();

	crm_map_set(e, "at", crm_node_new_plain(at));
	crm_map_set(e, "type", crm_node_new_str(type));
	if (by && *by)
		crm_map_set(e, "by", crm_node_new_str(by));
	crm_map_set(e, "text", crm_node_new_str(text));
	return e;
}

int crm_entry_instant(time_t *out, const struct crm_node *entry)
{
	const char *at = crm_map_get_str(entry, "at");
	int offset;

	*out = 0;
	if (!at || crm_parse_moment(at, out, &offset))
		return CRM_EPARSE;
	return 0;
}

void crm_log_insert(struct crm_record *r, struct crm_node *entry)
{
	struct crm_node *log = crm_map_get(r->root, "log");
	time_t t, other;
	size_t pos;

	if (!log) {
		log = crm_node_new_seq(0);
		crm_record_set_node(r, "log", log);
	}
	pos = log->nitems;
	if (!crm_entry_instant(&t, entry))
		while (pos > 0 && !crm_entry_instant(&other, log->items[pos - 1]) &&
		       other > t)
			pos--;
	crm_seq_insert(log, pos, entry);
}

int crm_log_last(time_t *out, const struct crm_record *r)
{
	const struct crm_node *log = crm_map_get(r->root, "log");
	size_t i;
	int found = 0;

	*out = 0;
	for (i = 0; log && i < log->nitems; i++) {
		time_t t;

		if (!crm_entry_instant(&t, log->items[i]) && (!found || t > *out)) {
			*out = t;
			found = 1;
		}
	}
	return found ? 0 : -1;
}

int crm_deal_is_open(const struct crm_node *deal)
{
	const char *stage = crm_map_get_str(deal, "stage");

	if (crm_map_get(deal, "closed"))
		return 0;
	return !stage || (strcmp(stage, "won") && strcmp(stage, "lost"));
}

/* A 1-based position: digits only, no leading zero. */
static long position_ref(const char *ref)
{
	char *end;
	long n;

	if (!*ref || *ref == '0')
		return 0;
	n = strtol(ref, &end, 10);
	return *end || n < 1 ? 0 : n;
}

struct crm_node *crm_deal_find_id(const struct crm_record *r, const char *id)
{
	const struct crm_node *deals = crm_map_get(r->root, "deals");
	size_t i;

	for (i = 0; deals && i < deals->nitems; i++) {
		const char *v = crm_map_get_str(deals->items[i], "id");

		if (v && !strcmp(v, id))
			return deals->items[i];
	}
	return NULL;
}

struct crm_node *crm_deal_find(const struct crm_record *r, const char *ref)
{
	const struct crm_node *deals = crm_map_get(r->root, "deals");
	struct crm_node *d = crm_deal_find_id(r, ref);
	long n = position_ref(ref);

	if (d)
		return d;
	if (deals && n > 0 && (size_t)n <= deals->nitems)
		return deals->items[n - 1];
	return NULL;
}

void crm_deal_new_id(struct strbuf *out, const struct crm_record *r,
		     const char *title)
{
	struct strbuf base = STRBUF_INIT;
	int n;

	crm_slug(&base, title);
	/* an all-digit id would read as a position */
	if (position_ref(base.buf))
		strbuf_insertstr(&base, 0, "deal-");
	for (n = 1;; n++) {
		strbuf_reset(out);
		strbuf_addstr(out, base.buf);
		if (n > 1)
			strbuf_addf(out, "-%d", n);
		if (!crm_deal_find(r, out->buf))
			break;
	}
	strbuf_release(&base);
}

int crm_deal_probability(const struct crm_node *deal,
			 const struct crm_config *cfg)
{
	const char *p = crm_map_get_str(deal, "probability");
	const char *stage = crm_map_get_str(deal, "stage");
	const struct crm_stage *st;
	int v;

	st = stage && cfg ? crm_config_stage(cfg, stage) : NULL;
	/* a closed deal is won or lost: its own estimate no longer counts */
	if (st && st->closes && !crm_percent_parse(&v, st->probability))
		return v;
	if (p && !crm_percent_parse(&v, p))
		return v;
	if (st && !crm_percent_parse(&v, st->probability))
		return v;
	return 0;
}

int crm_deal_value(crm_money *out, const struct crm_node *deal)
{
	const char *v = crm_map_get_str(deal, "value");

	*out = 0;
	if (!v || !*v)
		return 0;
	return crm_money_parse(out, v, 0);
}

int crm_followup_is_open(const struct crm_node *f)
{
	const char *done = crm_map_get_str(f, "done");

	return !done || !strcmp(done, "false");
}

struct crm_node *crm_followup_find(const struct crm_record *r,
				   const char *ref)
{
	const struct crm_node *fs = crm_map_get(r->root, "followups");
	size_t i;

	for (i = 0; fs && i < fs->nitems; i++) {
		const char *id = crm_map_get_str(fs->items[i], "id");

		if (id && !strcmp(id, ref))
			return fs->items[i];
	}
	return NULL;
}

long crm_followup_next_id(const struct crm_record *r)
{
	const struct crm_node *fs = crm_map_get(r->root, "followups");
	long max = 0;
	size_t i;

	for (i = 0; fs && i < fs->nitems; i++) {
		const char *id = crm_map_get_str(fs->items[i], "id");
		long v = id ? strtol(id, NULL, 10) : 0;

		if (v > max)
			max = v;
	}
	return max + 1;
}
