#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "entries.h"
#include "error.h"
#include "report.h"
#include "util.h"

int crm_money_sums_add(struct crm_money_sums *s, const char *code,
		       crm_money value, crm_money weighted)
{
	size_t i;
	int cmp = 1;

	/*
	 * Kept in the order of the codes: records are not always read in
	 * the same order (a first scan reads them on two threads), and a
	 * report must not change with it.
	 */
	for (i = 0; i < s->n && (cmp = strcmp(s->items[i].code, code)) < 0;
	     i++)
		;
	if (i == s->n || cmp) {
		if (s->n == CRM_REPORT_CURRENCIES) {
			crm_error_set(CRM_EINVALID, "more than %d currencies",
				      CRM_REPORT_CURRENCIES);
			return CRM_EINVALID;
		}
		memmove(&s->items[i + 1], &s->items[i],
			(s->n - i) * sizeof(s->items[i]));
		memset(&s->items[i], 0, sizeof(s->items[i]));
		snprintf(s->items[i].code, sizeof(s->items[i].code), "%s", code);
		s->n++;
	}
	s->items[i].count++;
	if (crm_money_add(&s->items[i].total, s->items[i].total, value) ||
	    crm_money_add(&s->items[i].weighted, s->items[i].weighted,
			  weighted))
		return CRM_EINVALID;
	return 0;
}

void crm_tally_add(struct crm_tally *t, const char *name, size_t count)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->names[i], name)) {
			t->counts[i] += count;
			return;
		}
	if (t->n == t->alloc) {
		t->alloc = t->alloc ? t->alloc * 2 : 8;
		t->names = xrealloc(t->names, t->alloc * sizeof(*t->names));
		t->counts = xrealloc(t->counts, t->alloc * sizeof(*t->counts));
	}
	t->names[t->n] = xstrdup(name);
	t->counts[t->n++] = count;
}

void crm_tally_sort_by_name(struct crm_tally *t)
{
	size_t i, j;

	/* a few dozen names at most: insertion sort keeps the pairs */
	for (i = 1; i < t->n; i++)
		for (j = i; j > 0 && strcmp(t->names[j - 1], t->names[j]) > 0; j--) {
			char *name = t->names[j];
			size_t count = t->counts[j];

			t->names[j] = t->names[j - 1];
			t->counts[j] = t->counts[j - 1];
			t->names[j - 1] = name;
			t->counts[j - 1] = count;
		}
}

void crm_tally_release(struct crm_tally *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->names[i]);
	free(t->names);
	free(t->counts);
	memset(t, 0, sizeof(*t));
}

void crm_report_init(struct crm_report *r, const struct crm_config *cfg,
		     const struct crm_date *today, const struct crm_date *since,
		     const struct crm_date *until, int forecast_months,
		     long stale_days, long rotting_days)
{
	memset(r, 0, sizeof(*r));
	r->cfg = cfg;
	r->today = *today;
	r->since = *since;
	r->until = *until;
	r->forecast_months = forecast_months;
	r->stale_days = stale_days;
	r->rotting_days = rotting_days;
	r->stages = xcalloc(cfg->nstages + 1, sizeof(*r->stages));
	r->months = xcalloc((size_t)forecast_months + 3, sizeof(*r->months));
}

void crm_report_release(struct crm_report *r)
{
	size_t i;

	free(r->stages);
	free(r->months);
	crm_tally_release(&r->by_type);
	crm_tally_release(&r->by_user);
	crm_tally_release(&r->by_week);
	for (i = 0; i < r->nstale; i++) {
		free(r->stale[i].id);
		free(r->stale[i].name);
	}
	free(r->stale);
	for (i = 0; i < r->nrotting; i++) {
		free(r->rotting[i].ref);
		free(r->rotting[i].stage);
	}
	free(r->rotting);
	memset(r, 0, sizeof(*r));
}

void crm_report_week_name(char out[16], const struct crm_date *d)
{
	/* ISO 8601: the week with the year's first Thursday is week 1 */
	long long days = crm_date_to_days(d);
	int weekday = crm_date_weekday(d);	/* 1 = Monday */
	struct crm_date thursday, jan1;
	long long week;

	crm_date_from_days(&thursday, days + 4 - weekday);
	jan1.year = thursday.year;
	jan1.month = 1;
	jan1.day = 1;
	week = (crm_date_to_days(&thursday) - crm_date_to_days(&jan1)) / 7 + 1;
	snprintf(out, 16, "%04d-W%02d", thursday.year % 10000, (int)(week % 100));
}

void crm_report_month_name(char out[12], const struct crm_report *r, int i)
{
	int m = r->today.month - 1 + (i - 1);

	snprintf(out, 12, "%04d-%02d", (r->today.year + m / 12) % 10000,
		 (m % 12 + 1) % 100);
}

static int stage_index(const struct crm_config *cfg, const char *stage)
{
	size_t i;

	for (i = 0; stage && i < cfg->nstages; i++)
		if (!strcmp(cfg->stages[i].name, stage))
			return (int)i;
	return (int)cfg->nstages;
}

static const char *currency_of(const struct crm_node *deal,
			       const struct crm_config *cfg)
{
	const char *c = crm_map_get_str(deal, "currency");

	return c && *c ? c : cfg->currency;
}

/* The forecast bucket of an open deal: 0 overdue, 1..N months, N+1 later, N+2 undated. */
static int month_bucket(const struct crm_report *r, const struct crm_node *d)
{
	const char *close = crm_map_get_str(d, "close");
	struct crm_date c;
	int months;

	if (!close || crm_date_from_iso(&c, close))
		return r->forecast_months + 2;
	if (crm_date_cmp(&c, &r->today) < 0)
		return 0;
	months = (c.year - r->today.year) * 12 + (c.month - r->today.month);
	return months < r->forecast_months ? months + 1 :
	       r->forecast_months + 1;
}

static int in_period(const struct crm_report *r, const struct crm_date *d)
{
	return crm_date_cmp(d, &r->since) >= 0 && crm_date_cmp(d, &r->until) <= 0;
}

static int add_deal(struct crm_report *r, const char *id,
		    const struct crm_node *d)
{
	const char *stage = crm_map_get_str(d, "stage");
	const char *cur = currency_of(d, r->cfg);
	crm_money value, weighted;
	struct crm_date closed, created;
	int rc;

	if ((rc = crm_deal_value(&value, d)))
		return rc;
	if (crm_deal_is_open(d)) {
		const char *since = crm_map_get_str(d, "stage_since");
		struct crm_date moved;

		if ((rc = crm_money_percent(&weighted, value,
					    crm_deal_probability(d, r->cfg))) ||
		    (rc = crm_money_sums_add(&r->stages[stage_index(r->cfg,
								    stage)],
					     cur, value, weighted)) ||
		    (rc = crm_money_sums_add(&r->pipeline_total, cur, value,
					     weighted)) ||
		    (rc = crm_money_sums_add(&r->months[month_bucket(r, d)],
					     cur, value, weighted)))
			return rc;
		/* rotting: no stage change for too long */
		if (!since)
			since = crm_map_get_str(d, "created");
		if (r->rotting_days > 0 && since &&
		    !crm_date_from_iso(&moved, since) &&
		    crm_date_to_days(&r->today) - crm_date_to_days(&moved) >
		    r->rotting_days) {
			struct crm_rotting_deal *rd;
			struct strbuf ref = STRBUF_INIT;

			ALLOC_GROW(r->rotting, r->nrotting + 1, r->rotting_alloc);
			rd = &r->rotting[r->nrotting++];
			strbuf_addf(&ref, "%s/%s", id, crm_map_get_str(d, "id"));
			rd->ref = strbuf_detach(&ref, NULL);
			rd->stage = xstrdup(stage ? stage : "");
			rd->days = crm_date_to_days(&r->today) -
				   crm_date_to_days(&moved);
		}
		return 0;
	}
	/* closed: won or lost in the period */
	if (!crm_map_get_str(d, "closed") ||
	    crm_date_from_iso(&closed, crm_map_get_str(d, "closed")) ||
	    !in_period(r, &closed))
		return 0;
	if ((rc = crm_money_sums_add(stage && !strcmp(stage, "lost") ?
				     &r->lost : &r->won, cur, value, value)))
		return rc;
	if (crm_map_get_str(d, "created") &&
	    !crm_date_from_iso(&created, crm_map_get_str(d, "created"))) {
		r->cycle_days += crm_date_to_days(&closed) -
				 crm_date_to_days(&created);
		r->cycle_deals++;
	}
	return 0;
}

static void add_activity(struct crm_report *r, const struct crm_node *log,
			 struct crm_date *last, int *has_last)
{
	size_t i;

	for (i = 0; log && log->kind == CRM_NODE_SEQ && i < log->nitems; i++) {
		const struct crm_node *e = log->items[i];
		const char *at = crm_map_get_str(e, "at");
		const char *type = crm_map_get_str(e, "type");
		const char *by = crm_map_get_str(e, "by");
		struct crm_date day;
		char week[16];

		if (!at || crm_date_of_moment(&day, at))
			continue;
		if (crm_date_cmp(&day, &r->today) <= 0 &&
		    (!*has_last || crm_date_cmp(&day, last) > 0)) {
			*last = day;
			*has_last = 1;
		}
		if (!in_period(r, &day))
			continue;
		r->interactions++;
		crm_tally_add(&r->by_type, type ? type : "note", 1);
		crm_tally_add(&r->by_user, by ? by : "(nobody)", 1);
		crm_report_week_name(week, &day);
		crm_tally_add(&r->by_week, week, 1);
	}
}

int crm_report_add(struct crm_report *r, const char *id,
		   const struct crm_node *record)
{
	const struct crm_node *deals = crm_map_get(record, "deals");
	const char *created = crm_map_get_str(record, "created");
	struct crm_date last;
	size_t i;
	int has_last = 0, rc;

	r->customers++;
	for (i = 0; deals && deals->kind == CRM_NODE_SEQ && i < deals->nitems;
	     i++)
		if ((rc = add_deal(r, id, deals->items[i])))
			return rc;
	if (r->deals_only)
		return 0;
	add_activity(r, crm_map_get(record, "log"), &last, &has_last);
	/* stale: nothing logged for longer than the threshold */
	if (!has_last && created && !crm_date_of_moment(&last, created))
		has_last = 1;
	if (has_last && r->stale_days > 0 &&
	    crm_date_to_days(&r->today) - crm_date_to_days(&last) >
	    r->stale_days) {
		struct crm_stale_customer *sc;
		const char *name = crm_map_get_str(record, "name");

		ALLOC_GROW(r->stale, r->nstale + 1, r->stale_alloc);
		sc = &r->stale[r->nstale++];
		sc->id = xstrdup(id);
		sc->name = xstrdup(name ? name : "");
		sc->days = crm_date_to_days(&r->today) - crm_date_to_days(&last);
	}
	return 0;
}
