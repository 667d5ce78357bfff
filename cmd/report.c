#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "../lib/clock.h"
#include "../lib/config.h"
#include "../lib/date.h"
#include "../lib/error.h"
#include "../lib/filter.h"
#include "../lib/report.h"
#include "../lib/scan.h"
#include "../lib/strmap.h"
#include "../lib/util.h"

static const char *const usage[] = {
	"crm report [--since <date>] [--until <date>] [--as-of <date>] [--owner <owner>] [--days <n>] [--months <n>] [--json | --format <format>] [pipeline | forecast | winloss | activity | stale | funnel | all] [<filter>...]",
	NULL,
};

static const char *since, *until, *as_of, *owner, *days, *months, *format;
static int json;

static const struct cmd_option options[] = {
	{ 0, "since", OPT_STRING, &since, "<date>", "start of the period (default: 30 days ago; funnel: all history)", 0, NULL },
	{ 0, "until", OPT_STRING, &until, "<date>", "end of the period, included (default: today)", 0, NULL },
	{ 0, "as-of", OPT_STRING, &as_of, "<date>", "the store as it stood at the end of <date>, from git history", 0, NULL },
	{ 'o', "owner", OPT_STRING, &owner, "<owner>", "only customers of <owner>", 0, NULL },
	{ 0, "days", OPT_STRING, &days, "<n>", "stale after <n> days (default: stale_days of .crm.yml)", 0, NULL },
	{ 0, "months", OPT_STRING, &months, "<n>", "forecast this many months ahead (default 6)", 0, NULL },
	{ 0, "json", OPT_FLAG, &json, NULL, "print one JSON object, a member per report", 0, NULL },
	OPT_FORMAT(format),
	OPT_END_MARK,
};

static const enum opt_complete args_complete[] = { COMPLETE_WORDS, COMPLETE_FIELD,
						    COMPLETE_NONE };

const struct cmd_spec spec_report = { "report", usage, options, args_complete,
				      1, NULL };

enum which {
	R_PIPELINE = 1 << 0, R_FORECAST = 1 << 1, R_WINLOSS = 1 << 2,
	R_ACTIVITY = 1 << 3, R_STALE = 1 << 4, R_FUNNEL = 1 << 5,
	R_ALL = (1 << 6) - 1,
};

static const struct {
	const char *name;
	enum which which;
} reports[] = {
	{ "pipeline", R_PIPELINE }, { "forecast", R_FORECAST },
	{ "winloss", R_WINLOSS }, { "activity", R_ACTIVITY },
	{ "stale", R_STALE }, { "funnel", R_FUNNEL }, { "all", R_ALL },
};

/*
 * "crm report pipline" would be a filter that matches nothing and print
 * an empty pipeline: a first word that close to a report name is taken
 * for a typo.  To filter by such a word, name a report first.
 */
static int refuse_misspelt_report(const char *word)
{
	size_t len = strlen(word), typos = len >= 8 ? 2 : 1, i;

	if (len < 4 || strpbrk(word, ":+-=@."))
		return 0;
	/* "all" is too short to guess at: "call" and "paul" are names */
	for (i = 0; i < ARRAY_SIZE(reports); i++)
		if (strlen(reports[i].name) >= 4 &&
		    edit_distance(word, reports[i].name, typos) <= typos) {
			cmd_error("'%s' is not a report; did you mean '%s'? "
				  "(to filter by it, name a report first)",
				  word, reports[i].name);
			return 2;
		}
	return 0;
}

/* ---- output helpers: tables and bars ---- */

struct out {
	struct strbuf sb;
	struct crm_ctx *ctx;
	int fmt;
	int unicode;	/* block characters for bars */
	int first;	/* JSON: no comma before the first member */
};

static int use_unicode(void)
{
	const char *codeset = nl_langinfo(CODESET);

	return isatty(1) && codeset && !strcmp(codeset, "UTF-8");
}

/* A bar `width` columns at most, for `part` of `whole`. */
static void bar(struct out *o, crm_money part, crm_money whole, int width)
{
	static const char *const eighths[] = { "", "\u258f", "\u258e", "\u258d",
		"\u258c", "\u258b", "\u258a", "\u2589" };
	long long units;
	int i;

	if (whole <= 0 || part <= 0)
		return;
	units = (long long)((__int128)part * width * 8 / whole);
	if (!o->unicode) {
		for (i = 0; i < (units + 4) / 8; i++)
			strbuf_addch(&o->sb, '#');
		return;
	}
	for (i = 0; i < units / 8; i++)
		strbuf_addstr(&o->sb, "\u2588");
	strbuf_addstr(&o->sb, eighths[units % 8]);
}

static void money(struct strbuf *sb, crm_money m)
{
	crm_money_format(sb, m, 2);
}

static void heading(struct out *o, const char *title)
{
	if (o->fmt == FORMAT_HUMAN)
		strbuf_addf(&o->sb, "%s%s%s\n", color(o->ctx, C_BOLD), title,
			    color(o->ctx, C_RESET));
}

static crm_money max_weighted(const struct crm_money_sums *sums, size_t n,
			      const char *code)
{
	crm_money max = 0;
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < sums[i].n; j++)
			if (!strcmp(sums[i].items[j].code, code) &&
			    sums[i].items[j].weighted > max)
				max = sums[i].items[j].weighted;
	return max;
}

/* One row per currency of a bucket: human, TSV or JSON. */
static int sum_cmp(const void *a, const void *b)
{
	return strcmp(((const struct crm_money_sum *)a)->code,
		      ((const struct crm_money_sum *)b)->code);
}

static void sums_rows(struct out *o, const char *report, const char *label,
		      const struct crm_money_sums *unsorted,
		      const struct crm_money_sums *all, size_t nall)
{
	struct crm_money_sums sorted = *unsorted;
	const struct crm_money_sums *s = &sorted;
	size_t j;

	/* by currency code, whatever order the records came in */
	qsort(sorted.items, sorted.n, sizeof(*sorted.items), sum_cmp);
	for (j = 0; j < s->n; j++) {
		const struct crm_money_sum *m = &s->items[j];
		struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

		money(&a, m->total);
		money(&b, m->weighted);
		if (o->fmt == FORMAT_TSV) {
			strbuf_addf(&o->sb, "%s\t", report);
			tsv_cell(&o->sb, label);
			strbuf_addf(&o->sb, "\t%s\t%zu\t%s\t%s\n", m->code,
				    m->count, a.buf, b.buf);
		} else if (o->fmt == FORMAT_JSON) {
			strbuf_addstr(&o->sb, o->first ? "" : ", ");
			strbuf_addstr(&o->sb, "{\"name\": ");
			json_string(&o->sb, label);
			strbuf_addf(&o->sb, ", \"currency\": \"%s\", \"count\": "
				    "%zu, \"total\": \"%s\", \"weighted\": \"%s\"}",
				    m->code, m->count, a.buf, b.buf);
			o->first = 0;
		} else {
			strbuf_addstr(&o->sb, "  ");
			pad(&o->sb, label, 14);
			strbuf_addf(&o->sb, " %4zu  %14s %s  %14s  ", m->count,
				    a.buf, m->code, b.buf);
			bar(o, m->weighted, max_weighted(all, nall, m->code), 30);
			strbuf_rtrim(&o->sb);
			strbuf_addch(&o->sb, '\n');
		}
		strbuf_release(&a);
		strbuf_release(&b);
	}
}

static void json_open(struct out *o, const char *key, int object)
{
	if (o->fmt != FORMAT_JSON)
		return;
	strbuf_addf(&o->sb, "%s\"%s\": %c", o->sb.len > 1 ? ",\n " : "", key,
		    object ? '{' : '[');
	o->first = 1;
}

static void json_close(struct out *o, int object)
{
	if (o->fmt == FORMAT_JSON)
		strbuf_addch(&o->sb, object ? '}' : ']');
}

/* ---- the reports ---- */

static void print_pipeline(struct out *o, const struct crm_report *r)
{
	size_t i, n = r->cfg->nstages + 1;

	heading(o, "Pipeline: open deals by stage (count, total, weighted)");
	json_open(o, "pipeline", 0);
	for (i = 0; i < n; i++)
		sums_rows(o, "pipeline", i < r->cfg->nstages ?
			  r->cfg->stages[i].name : "(other)", &r->stages[i],
			  r->stages, n);
	sums_rows(o, "pipeline", "total", &r->pipeline_total, r->stages, 0);
	json_close(o, 0);
}

static void print_forecast(struct out *o, const struct crm_report *r)
{
	int i, n = r->forecast_months + 3;

	heading(o, "Forecast: weighted value of open deals by expected close month");
	json_open(o, "forecast", 0);
	for (i = 0; i < n; i++) {
		char name[16];

		if (i == 0)
			snprintf(name, sizeof(name), "overdue");
		else if (i <= r->forecast_months)
			crm_report_month_name(name, r, i);
		else if (i == r->forecast_months + 1)
			snprintf(name, sizeof(name), "later");
		else
			snprintf(name, sizeof(name), "no date");
		sums_rows(o, "forecast", name, &r->months[i], r->months,
			  (size_t)n);
		if (i == 0 && r->months[0].n && o->fmt == FORMAT_HUMAN)
			strbuf_addf(&o->sb, "  %s(overdue: close dates already "
				    "past)%s\n", color(o->ctx, C_RED),
				    color(o->ctx, C_RESET));
	}
	json_close(o, 0);
}

static void print_winloss(struct out *o, const struct crm_report *r)
{
	char from[11], to[11];
	size_t won = 0, lost = 0, i;
	struct strbuf rate = STRBUF_INIT, cycle = STRBUF_INIT;

	for (i = 0; i < r->won.n; i++)
		won += r->won.items[i].count;
	for (i = 0; i < r->lost.n; i++)
		lost += r->lost.items[i].count;
	if (won + lost)
		strbuf_addf(&rate, "%lld.%01lld%%",
			    (long long)(won * 1000 / (won + lost)) / 10,
			    (long long)(won * 1000 / (won + lost)) % 10);
	else
		strbuf_addstr(&rate, "-");
	if (r->cycle_deals)
		strbuf_addf(&cycle, "%lld", r->cycle_days /
			    (long long)r->cycle_deals);
	else
		strbuf_addstr(&cycle, "-");
	crm_date_format(from, &r->since);
	crm_date_format(to, &r->until);
	if (o->fmt == FORMAT_HUMAN) {
		strbuf_addf(&o->sb, "%sWon and lost, %s to %s%s\n",
			    color(o->ctx, C_BOLD), from, to,
			    color(o->ctx, C_RESET));
		strbuf_addf(&o->sb, "  won %zu, lost %zu, win rate %s, average "
			    "cycle %s days\n", won, lost, rate.buf, cycle.buf);
		for (i = 0; i < r->won.n; i++) {
			struct strbuf v = STRBUF_INIT, avg = STRBUF_INIT;

			money(&v, r->won.items[i].total);
			money(&avg, r->won.items[i].total /
			      (crm_money)r->won.items[i].count);
			strbuf_addf(&o->sb, "  won  %s %s, average deal %s %s\n",
				    v.buf, r->won.items[i].code, avg.buf,
				    r->won.items[i].code);
			strbuf_release(&v);
			strbuf_release(&avg);
		}
		for (i = 0; i < r->lost.n; i++) {
			struct strbuf v = STRBUF_INIT;

			money(&v, r->lost.items[i].total);
			strbuf_addf(&o->sb, "  lost %s %s\n", v.buf,
				    r->lost.items[i].code);
			strbuf_release(&v);
		}
	} else if (o->fmt == FORMAT_TSV) {
		strbuf_addf(&o->sb, "winloss\twon\t\t%zu\t\t\nwinloss\tlost\t\t%zu\t\t\n"
			    "winloss\twin_rate\t\t%s\t\t\nwinloss\tcycle_days\t\t%s\t\t\n",
			    won, lost, rate.buf, cycle.buf);
		o->first = 1;
		sums_rows(o, "winloss", "won", &r->won, NULL, 0);
		sums_rows(o, "winloss", "lost", &r->lost, NULL, 0);
	} else {
		json_open(o, "winloss", 1);
		strbuf_addf(&o->sb, "\"since\": \"%s\", \"until\": \"%s\", "
			    "\"won\": %zu, \"lost\": %zu, \"win_rate\": ",
			    from, to, won, lost);
		json_string(&o->sb, rate.buf);
		strbuf_addstr(&o->sb, ", \"average_cycle_days\": ");
		json_string(&o->sb, cycle.buf);
		strbuf_addstr(&o->sb, ", \"won_value\": [");
		o->first = 1;
		sums_rows(o, "winloss", "won", &r->won, NULL, 0);
		strbuf_addstr(&o->sb, "], \"lost_value\": [");
		o->first = 1;
		sums_rows(o, "winloss", "lost", &r->lost, NULL, 0);
		strbuf_addch(&o->sb, ']');
		json_close(o, 1);
	}
	strbuf_release(&rate);
	strbuf_release(&cycle);
}

static void print_tally(struct out *o, const char *report, const char *what,
			const struct crm_tally *t)
{
	size_t i, max = 0;

	for (i = 0; i < t->n; i++)
		if (t->counts[i] > max)
			max = t->counts[i];
	if (o->fmt == FORMAT_JSON) {
		strbuf_addf(&o->sb, "%s\"%s\": {", o->first ? "" : ", ", what);
		for (i = 0; i < t->n; i++) {
			strbuf_addstr(&o->sb, i ? ", " : "");
			json_string(&o->sb, t->names[i]);
			strbuf_addf(&o->sb, ": %zu", t->counts[i]);
		}
		strbuf_addch(&o->sb, '}');
		o->first = 0;
		return;
	}
	for (i = 0; i < t->n; i++) {
		if (o->fmt == FORMAT_TSV) {
			strbuf_addf(&o->sb, "%s\t%s\t", report, what);
			tsv_cell(&o->sb, t->names[i]);
			strbuf_addf(&o->sb, "\t%zu\t\t\n", t->counts[i]);
			continue;
		}
		strbuf_addf(&o->sb, "  %-7s ", what);
		pad(&o->sb, t->names[i], 14);
		strbuf_addf(&o->sb, " %6zu  ", t->counts[i]);
		bar(o, (crm_money)t->counts[i], (crm_money)max, 30);
		strbuf_rtrim(&o->sb);
		strbuf_addch(&o->sb, '\n');
	}
}

static void print_activity(struct out *o, struct crm_report *r)
{
	char from[11], to[11];

	crm_date_format(from, &r->since);
	crm_date_format(to, &r->until);
	crm_tally_sort_by_name(&r->by_type);
	crm_tally_sort_by_name(&r->by_user);
	crm_tally_sort_by_name(&r->by_week);
	if (o->fmt == FORMAT_HUMAN)
		strbuf_addf(&o->sb, "%sActivity, %s to %s: %zu interactions%s\n",
			    color(o->ctx, C_BOLD), from, to, r->interactions,
			    color(o->ctx, C_RESET));
	json_open(o, "activity", 1);
	if (o->fmt == FORMAT_JSON) {
		strbuf_addf(&o->sb, "\"since\": \"%s\", \"until\": \"%s\", "
			    "\"interactions\": %zu", from, to, r->interactions);
		o->first = 0;
	}
	print_tally(o, "activity", "type", &r->by_type);
	print_tally(o, "activity", "by", &r->by_user);
	print_tally(o, "activity", "week", &r->by_week);
	json_close(o, 1);
}

static int stale_cmp(const void *a, const void *b)
{
	const struct crm_stale_customer *x = a, *y = b;

	if (x->days != y->days)
		return x->days > y->days ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int rotting_cmp(const void *a, const void *b)
{
	const struct crm_rotting_deal *x = a, *y = b;

	if (x->days != y->days)
		return x->days > y->days ? -1 : 1;
	return strcmp(x->ref, y->ref);
}

static void print_stale(struct out *o, struct crm_report *r)
{
	size_t i;

	if (r->nstale)
		qsort(r->stale, r->nstale, sizeof(*r->stale), stale_cmp);
	if (r->nrotting)
		qsort(r->rotting, r->nrotting, sizeof(*r->rotting), rotting_cmp);
	if (o->fmt == FORMAT_HUMAN) {
		strbuf_addf(&o->sb, "%sStale: %zu customer%s with no interaction "
			    "for more than %ld days%s\n", color(o->ctx, C_BOLD),
			    r->nstale, r->nstale == 1 ? "" : "s", r->stale_days,
			    color(o->ctx, C_RESET));
		for (i = 0; i < r->nstale; i++)
			strbuf_addf(&o->sb, "  %-28s %5lld days  %s\n",
				    r->stale[i].id, r->stale[i].days,
				    r->stale[i].name);
		strbuf_addf(&o->sb, "%sRotting: %zu open deal%s in one stage for "
			    "more than %ld days%s\n", color(o->ctx, C_BOLD),
			    r->nrotting, r->nrotting == 1 ? "" : "s",
			    r->rotting_days, color(o->ctx, C_RESET));
		for (i = 0; i < r->nrotting; i++)
			strbuf_addf(&o->sb, "  %-28s %5lld days  %s\n",
				    r->rotting[i].ref, r->rotting[i].days,
				    r->rotting[i].stage);
		return;
	}
	if (o->fmt == FORMAT_TSV) {
		for (i = 0; i < r->nstale; i++) {
			strbuf_addstr(&o->sb, "stale\tcustomer\t");
			tsv_cell(&o->sb, r->stale[i].id);
			strbuf_addf(&o->sb, "\t%lld\t\t\n", r->stale[i].days);
		}
		for (i = 0; i < r->nrotting; i++) {
			strbuf_addstr(&o->sb, "stale\tdeal\t");
			tsv_cell(&o->sb, r->rotting[i].ref);
			strbuf_addf(&o->sb, "\t%lld\t", r->rotting[i].days);
			/* a stage comes from the record, as hand-edited */
			tsv_cell(&o->sb, r->rotting[i].stage);
			strbuf_addstr(&o->sb, "\t\n");
		}
		return;
	}
	json_open(o, "stale", 1);
	strbuf_addf(&o->sb, "\"days\": %ld, \"customers\": [", r->stale_days);
	for (i = 0; i < r->nstale; i++) {
		strbuf_addstr(&o->sb, i ? ", {\"id\": " : "{\"id\": ");
		json_string(&o->sb, r->stale[i].id);
		strbuf_addf(&o->sb, ", \"days\": %lld}", r->stale[i].days);
	}
	strbuf_addf(&o->sb, "], \"rotting_days\": %ld, \"deals\": [",
		    r->rotting_days);
	for (i = 0; i < r->nrotting; i++) {
		strbuf_addstr(&o->sb, i ? ", {\"deal\": " : "{\"deal\": ");
		json_string(&o->sb, r->rotting[i].ref);
		strbuf_addstr(&o->sb, ", \"stage\": ");
		json_string(&o->sb, r->rotting[i].stage);
		strbuf_addf(&o->sb, ", \"days\": %lld}", r->rotting[i].days);
	}
	strbuf_addch(&o->sb, ']');
	json_close(o, 1);
}

/* ---- the funnel, from the stage changes git remembers ---- */

struct deal_track {
	int max_rank;		/* the furthest stage reached, -1 none */
	int current;		/* stage index now, -1 none */
	time_t entered;
	time_t first;		/* when the deal appeared */
	int lost;		/* its last stage is lost */
};

struct funnel {
	const struct crm_config *cfg;
	time_t since;
	int has_since;
	struct crm_strmap index;
	struct deal_track *deals;
	size_t n, alloc;
	long long **stays;	/* per stage, seconds */
	size_t *nstays, *stays_alloc;
};

static int stage_of(const struct crm_config *cfg, const char *name)
{
	size_t i;

	for (i = 0; name && i < cfg->nstages; i++)
		if (!strcmp(cfg->stages[i].name, name))
			return (int)i;
	return -1;
}

static int on_stage_event(const struct crm_stage_event *e, void *data)
{
	struct funnel *f = data;
	struct strbuf key = STRBUF_INIT;
	struct deal_track *t;
	size_t at;
	int to;

	strbuf_addf(&key, "%s/%s", e->customer, e->deal);
	if (!crm_strmap_get(&f->index, key.buf, &at)) {
		ALLOC_GROW(f->deals, f->n + 1, f->alloc);
		at = f->n++;
		f->deals[at].max_rank = -1;
		f->deals[at].current = -1;
		f->deals[at].first = e->time;
		f->deals[at].lost = 0;
		crm_strmap_put(&f->index, key.buf, at);
	}
	strbuf_release(&key);
	t = &f->deals[at];
	if (t->current >= 0) {
		size_t c = (size_t)t->current;

		ALLOC_GROW(f->stays[c], f->nstays[c] + 1, f->stays_alloc[c]);
		f->stays[c][f->nstays[c]++] = (long long)(e->time - t->entered);
	}
	to = stage_of(f->cfg, e->to);
	t->current = to;
	t->entered = e->time;
	t->lost = e->to && !strcmp(e->to, "lost");
	if (to >= 0 && !t->lost && to > t->max_rank)
		t->max_rank = to;
	return 0;
}

static int ll_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static void print_funnel(struct out *o, struct funnel *f)
{
	const struct crm_config *cfg = f->cfg;
	size_t i, j, lost = 0, prev = 0, shown = 0;

	for (j = 0; j < f->n; j++)
		if (f->deals[j].lost &&
		    (!f->has_since || f->deals[j].first >= f->since))
			lost++;
	heading(o, "Funnel: deals that reached each stage, conversion, median days in the stage");
	json_open(o, "funnel", 0);
	for (i = 0; i < cfg->nstages; i++) {
		size_t reached = 0;
		struct strbuf conv = STRBUF_INIT, median = STRBUF_INIT;

		if (!strcmp(cfg->stages[i].name, "lost"))
			continue;
		for (j = 0; j < f->n; j++)
			if (f->deals[j].max_rank >= (int)i &&
			    (!f->has_since || f->deals[j].first >= f->since))
				reached++;
		if (shown && prev)
			strbuf_addf(&conv, "%zu%%", (reached * 100 + prev / 2) / prev);
		else
			strbuf_addstr(&conv, shown ? "-" : "");
		if (f->nstays[i]) {
			long long *v = f->stays[i];
			size_t n = f->nstays[i];
			long long m;

			qsort(v, n, sizeof(*v), ll_cmp);
			m = n % 2 ? v[n / 2] * 2 : v[n / 2 - 1] + v[n / 2];
			/* tenths of a day, from twice the median in seconds */
			m = (m * 10 + 86400) / (2 * 86400);
			strbuf_addf(&median, "%lld.%lld", m / 10, m % 10);
		} else {
			strbuf_addstr(&median, "-");
		}
		if (o->fmt == FORMAT_HUMAN) {
			strbuf_addstr(&o->sb, "  ");
			pad(&o->sb, cfg->stages[i].name, 14);
			strbuf_addf(&o->sb, " %6zu  %5s  %6s days  ", reached,
				    conv.buf, median.buf);
			bar(o, (crm_money)reached, (crm_money)(f->n ? f->n : 1), 30);
			strbuf_rtrim(&o->sb);
			strbuf_addch(&o->sb, '\n');
		} else if (o->fmt == FORMAT_TSV) {
			strbuf_addstr(&o->sb, "funnel\t");
			tsv_cell(&o->sb, cfg->stages[i].name);
			strbuf_addf(&o->sb, "\t\t%zu\t%s\t%s\n", reached,
				    conv.buf, median.buf);
		} else {
			strbuf_addstr(&o->sb, shown ? ", {\"stage\": " :
				      "{\"stage\": ");
			json_string(&o->sb, cfg->stages[i].name);
			strbuf_addf(&o->sb, ", \"reached\": %zu, \"conversion\": ",
				    reached);
			json_string(&o->sb, conv.buf);
			strbuf_addstr(&o->sb, ", \"median_days\": ");
			json_string(&o->sb, median.buf);
			strbuf_addch(&o->sb, '}');
		}
		prev = reached;
		shown++;
		strbuf_release(&conv);
		strbuf_release(&median);
	}
	if (o->fmt == FORMAT_HUMAN)
		strbuf_addf(&o->sb, "  %-14s %6zu\n", "lost", lost);
	else if (o->fmt == FORMAT_TSV)
		strbuf_addf(&o->sb, "funnel\tlost\t\t%zu\t\t\n", lost);
	else
		strbuf_addf(&o->sb, ", {\"stage\": \"lost\", \"reached\": %zu}",
			    lost);
	json_close(o, 0);
}

static void funnel_release(struct funnel *f)
{
	size_t i;

	for (i = 0; i < f->cfg->nstages; i++)
		free(f->stays[i]);
	free(f->stays);
	free(f->nstays);
	free(f->stays_alloc);
	free(f->deals);
	crm_strmap_release(&f->index);
}

/* ---- running it ---- */

struct feed {
	struct crm_report *r;
	const struct crm_filter *filter;
	size_t broken;
};

static int feed_match(const struct crm_node *summary, void *data)
{
	const struct feed *fd = data;

	/* here, on every thread, rather than one at a time in the report */
	if (fd->r->deals_only && !crm_map_get(summary, "deals"))
		return 0;
	return crm_filter_match(fd->filter, summary, NULL);
}

static int feed_record(const char *id, const char *path,
		       const struct crm_node *summary, void *data)
{
	struct feed *fd = data;

	(void)path;
	return crm_report_add(fd->r, id, summary);
}

/* --as-of: records of a past commit come through lib/scan directly */
static int feed_past_match(const struct crm_scan_record *rec, void *data)
{
	return feed_match(rec->summary, data);
}

static int feed_past(const struct crm_scan_record *rec, void *data)
{
	struct feed *fd = data;

	if (!rec->summary) {
		if (fd->broken++ < 5)
			cmd_warn("skipping %s", rec->error);
		return 0;
	}
	return crm_report_add(fd->r, rec->id, rec->summary);
}

static int parse_count(const char *s, long *out, long max)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*end || end == s || v < 1 || v > max)
		return -1;
	*out = v;
	return 0;
}

/* The end of a local day, as an instant: everything up to then counts. */
static int end_of_day(time_t *out, const struct crm_date *d)
{
	struct crm_interval one = { 1, 'd' };
	struct crm_date next;
	struct crm_moment m;

	if (crm_date_add(&next, d, &one) || crm_date_start(&m, &next))
		return CRM_EINVALID;
	*out = m.t - 1;
	return 0;
}

int cmd_report(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct crm_filter filter = { NULL, 0, 0 };
	struct crm_config cfg;
	struct crm_report r;
	struct funnel fn;
	struct feed fd;
	struct out o;
	struct crm_date today, from, to;
	struct crm_interval back = { -30, 'd' };
	char commit[41] = "";
	time_t now, until_end = 0;
	long ndays = 0, nmonths = 6;
	unsigned which = 0;
	size_t first_filter = 0, i;
	int offset, rc, have_cfg = 0, have_report = 0, have_funnel = 0;

	memset(&o, 0, sizeof(o));
	memset(&fn, 0, sizeof(fn));
	strbuf_init(&o.sb);
	rc = cmd_parse(&spec_report, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	o.ctx = ctx;
	if ((o.fmt = cmd_output_format(json, format)) < 0) {
		rc = 2;
		goto done;
	}
	o.unicode = use_unicode() && o.fmt == FORMAT_HUMAN;
	for (; first_filter < args.n; first_filter++) {
		int known = 0;

		for (i = 0; i < ARRAY_SIZE(reports); i++)
			if (!strcmp(args.items[first_filter], reports[i].name)) {
				which |= reports[i].which;
				known = 1;
			}
		if (!known)
			break;
	}
	if (!which && first_filter < args.n &&
	    (rc = refuse_misspelt_report(args.items[first_filter])))
		goto done;
	if (!which)
		which = R_PIPELINE;
	if ((days && parse_count(days, &ndays, 100000)) ||
	    (months && parse_count(months, &nmonths, 120))) {
		rc = cmd_usage_error(&spec_report, ctx,
				     "--days and --months take a whole number");
		goto done;
	}
	{
		struct strbuf term = STRBUF_INIT;
		const char **terms = xcalloc(args.n + 1, sizeof(*terms));
		size_t n = 0;

		for (i = first_filter; i < args.n; i++)
			terms[n++] = args.items[i];
		if (owner) {
			strbuf_addf(&term, "owner:%s", owner);
			terms[n++] = term.buf;
		}
		rc = crm_filter_parse(&filter, terms, n);
		free(terms);
		strbuf_release(&term);
		if (rc) {
			cmd_fail();
			rc = 2;
			goto done;
		}
	}
	if ((rc = config_load(&cfg, ctx)))
		goto done;
	have_cfg = 1;
	if (crm_now(&now, &offset)) {
		rc = cmd_fail();
		goto done;
	}
	crm_date_today(&today, now);
	if (as_of) {
		if (crm_date_parse(&today, as_of, now) ||
		    end_of_day(&until_end, &today) ||
		    crm_store_commit_before(ctx->store, until_end, commit)) {
			rc = cmd_fail();
			goto done;
		}
	} else {
		until_end = now;
	}
	to = today;
	if ((until && crm_date_parse(&to, until, now)) ||
	    (since && crm_date_parse(&from, since, now))) {
		rc = cmd_fail();
		goto done;
	}
	if (!since)
		crm_date_add(&from, &to, &back);
	if (crm_date_cmp(&from, &to) > 0) {
		cmd_error("--since is after --until");
		rc = 2;
		goto done;
	}
	if (which & ~R_FUNNEL) {
		crm_report_init(&r, &cfg, &today, &from, &to, (int)nmonths,
				ndays ? ndays : cfg.stale_days,
				ndays ? ndays : cfg.stale_days);
		r.deals_only = !(which & (R_ACTIVITY | R_STALE));
		have_report = 1;
		memset(&fd, 0, sizeof(fd));
		fd.r = &r;
		fd.filter = &filter;
		if (*commit)
			rc = crm_store_scan_commit(ctx->store, commit,
						   feed_past_match, feed_past, &fd);
		else
			rc = records_each(ctx, feed_match, feed_record, &fd);
		if (rc) {
			rc = cmd_fail();
			goto done;
		}
	}
	if (o.fmt == FORMAT_JSON) {
		char d[11];

		crm_date_format(d, &today);
		strbuf_addf(&o.sb, "{\"as_of\": \"%s\"", d);
		if (*commit)
			strbuf_addf(&o.sb, ", \"commit\": \"%s\"", commit);
	} else if (o.fmt == FORMAT_TSV) {
		strbuf_addstr(&o.sb, "report\tname\tcurrency\tcount\ttotal\tweighted\n");
	} else if (*commit) {
		char d[11];

		crm_date_format(d, &today);
		strbuf_addf(&o.sb, "%sAs of the end of %s (commit %.7s)%s\n",
			    color(ctx, C_DIM), d, commit, color(ctx, C_RESET));
	}
	if (which & R_PIPELINE)
		print_pipeline(&o, &r);
	if (which & R_FORECAST)
		print_forecast(&o, &r);
	if (which & R_WINLOSS)
		print_winloss(&o, &r);
	if (which & R_ACTIVITY)
		print_activity(&o, &r);
	if (which & R_STALE)
		print_stale(&o, &r);
	/*
	 * The other reports are written, and their data let go, before the
	 * funnel walks the history: at 100k customers a first walk is what
	 * takes most memory.
	 */
	if (have_report) {
		crm_report_release(&r);
		have_report = 0;
	}
	if (which & R_FUNNEL) {
		time_t since_t = 0;
		struct crm_moment m;

		fn.cfg = &cfg;
		fn.stays = xcalloc(cfg.nstages, sizeof(*fn.stays));
		fn.nstays = xcalloc(cfg.nstages, sizeof(*fn.nstays));
		fn.stays_alloc = xcalloc(cfg.nstages, sizeof(*fn.stays_alloc));
		have_funnel = 1;
		if (since && !crm_date_start(&m, &from)) {
			since_t = m.t;
			fn.has_since = 1;
			fn.since = since_t;
		}
		if (crm_store_stage_events(ctx->store, until_end, on_stage_event,
					   &fn)) {
			rc = cmd_fail();
			goto done;
		}
		print_funnel(&o, &fn);
	}
	if (o.fmt == FORMAT_JSON)
		strbuf_addstr(&o.sb, "}\n");
	rc = flush_stdout(&o.sb);
done:
	if (have_report)
		crm_report_release(&r);
	if (have_funnel)
		funnel_release(&fn);
	if (have_cfg)
		crm_config_release(&cfg);
	crm_filter_release(&filter);
	strlist_release(&args);
	strbuf_release(&o.sb);
	return rc;
}
