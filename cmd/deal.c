#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/clock.h"
#include "../lib/config.h"
#include "../lib/date.h"
#include "../lib/entries.h"
#include "../lib/error.h"
#include "../lib/filter.h"
#include "../lib/money.h"
#include "../lib/pool.h"
#include "../lib/text.h"
#include "../lib/util.h"

static const char *value, *currency, *stage, *close_date, *probability;
static const char *title, *format;
static int json, all;

#define DEAL_FIELD_OPTIONS \
	{ 0, "value", OPT_STRING, &value, "<amount>", "the deal's value, e.g. 8000 or 8000.00", 0, NULL }, \
	{ 0, "currency", OPT_STRING, &currency, "<currency>", "ISO 4217 code (default: .crm.yml's)", 0, NULL }, \
	{ 0, "stage", OPT_STRING, &stage, "<stage>", "a pipeline stage from .crm.yml", COMPLETE_STAGE, NULL }, \
	{ 0, "close", OPT_STRING, &close_date, "<date>", "expected close date", 0, NULL }, \
	{ 0, "probability", OPT_STRING, &probability, "<percent>", "chance of winning, 0-100 (default: the stage's)", 0, NULL }

static const char *const add_usage[] = {
	"crm deal add [--value <amount>] [--currency <currency>] [--stage <stage>] [--close <date>] [--probability <percent>] <who> <title>",
	NULL,
};
static const struct cmd_option add_options[] = {
	DEAL_FIELD_OPTIONS,
	OPT_END_MARK,
};
static const enum opt_complete add_args[] = { COMPLETE_CUSTOMER, COMPLETE_TEXT, COMPLETE_NONE };
static const struct cmd_spec spec_deal_add = { "add", add_usage, add_options,
					       add_args, 0, NULL };

static const char *const set_usage[] = {
	"crm deal set [--stage <stage>] [--value <amount>] [--currency <currency>] [--close <date>] [--probability <percent>] [--title <title>] <deal>",
	NULL,
};
static const struct cmd_option set_options[] = {
	DEAL_FIELD_OPTIONS,
	{ 0, "title", OPT_STRING, &title, "<title>", "a new title", 0, NULL },
	OPT_END_MARK,
};
static const enum opt_complete deal_arg[] = { COMPLETE_DEAL, COMPLETE_NONE };
static const struct cmd_spec spec_deal_set = { "set", set_usage, set_options,
					       deal_arg, 0, NULL };

static const char *const rm_usage[] = {
	"crm deal rm <deal>",
	NULL,
};
static const struct cmd_option no_options[] = {
	OPT_END_MARK,
};
static const struct cmd_spec spec_deal_rm = { "rm", rm_usage, no_options,
					      deal_arg, 0, NULL };

static const char *const list_usage[] = {
	"crm deal [list] [--all] [--json | --format <format>] [<filter>...]",
	NULL,
};
static const struct cmd_option list_options[] = {
	{ 'a', "all", OPT_FLAG, &all, NULL, "include won and lost deals", 0, NULL },
	OPT_JSON(json),
	OPT_FORMAT(format),
	OPT_END_MARK,
};
static const enum opt_complete filter_arg[] = { COMPLETE_FIELD, COMPLETE_NONE };
static const struct cmd_spec spec_deal_list = { "list", list_usage,
						list_options, filter_arg, 1,
						NULL };

static const struct cmd_spec *const deal_subcommands[] = {
	&spec_deal_add, &spec_deal_set, &spec_deal_rm, &spec_deal_list, NULL,
};

static const char *const usage[] = {
	"crm deal add [--value <amount>] [--currency <currency>] [--stage <stage>] [--close <date>] [--probability <percent>] <who> <title>",
	"crm deal set [--stage <stage>] [--value <amount>] [--currency <currency>] [--close <date>] [--probability <percent>] [--title <title>] <deal>",
	"crm deal rm <deal>",
	"crm deal [list] [--all] [--json | --format <format>] [<filter>...]",
	NULL,
};

const struct cmd_spec spec_deal = { "deal", usage, list_options, filter_arg,
				    1, deal_subcommands };

/* ISO 4217 shape: three letters (eur is read as EUR). */
static int valid_currency(const char *c)
{
	size_t i;

	if (strlen(c) != 3)
		return 0;
	for (i = 0; i < 3; i++)
		if (!((c[i] >= 'A' && c[i] <= 'Z') || (c[i] >= 'a' && c[i] <= 'z')))
			return 0;
	return 1;
}

static int today_iso(char out[11])
{
	struct crm_date d;
	time_t now;
	int offset;

	if (crm_now(&now, &offset))
		return CRM_EINVALID;
	crm_date_today(&d, now);
	crm_date_format(out, &d);
	return 0;
}

/*
 * Apply the options common to add and set to `deal`, checking each
 * against .crm.yml; moving to won or lost closes the deal, moving back
 * to an open stage reopens it.
 */
static int apply_fields(struct crm_node *deal, const struct crm_config *cfg)
{
	struct strbuf sb = STRBUF_INIT;
	const char *old_stage;
	crm_money m;
	int p, moved, rc = 0;

	if (value) {
		if ((rc = crm_money_parse(&m, value, 0)))
			goto done;
		crm_money_format_value(&sb, m);
		crm_map_set(deal, "value", crm_node_new_str(sb.buf));
	}
	if (currency) {
		char code[4];

		if (!valid_currency(currency)) {
			crm_error_set(CRM_EINVALID, "currency '%s' is not a "
				      "three-letter code like EUR or USD",
				      currency);
			rc = CRM_EINVALID;
			goto done;
		}
		for (p = 0; p < 3; p++)
			code[p] = (char)(currency[p] & ~0x20);
		code[3] = '\0';
		crm_map_set(deal, "currency", crm_node_new_str(code));
	}
	if (stage) {
		const struct crm_stage *st = crm_config_stage(cfg, stage);
		char today[11];

		if (!st) {
			strbuf_reset(&sb);
			crm_config_stage_list(&sb, cfg);
			crm_error_set(CRM_EINVALID, "stage '%s' is not in %s; "
				      "use one of: %s", stage, CRM_CONFIG_FILE,
				      sb.buf);
			rc = CRM_EINVALID;
			goto done;
		}
		old_stage = crm_map_get_str(deal, "stage");
		moved = !old_stage || strcmp(old_stage, stage);
		crm_map_set(deal, "stage", crm_node_new_str(stage));
		/* when it moved, for deals rotting in one stage */
		if (moved) {
			char since[11];

			if ((rc = today_iso(since)))
				goto done;
			crm_map_set(deal, "stage_since", crm_node_new_plain(since));
		}
		/* won, lost, or a correction from one to the other: today */
		if (st->closes && (moved || !crm_map_get(deal, "closed"))) {
			if ((rc = today_iso(today)))
				goto done;
			crm_map_set(deal, "closed", crm_node_new_plain(today));
		} else if (!st->closes) {
			crm_map_remove(deal, "closed");
		}
	}
	if (close_date) {
		struct crm_date d;
		time_t now;
		int offset;
		char iso[11];

		if ((rc = crm_now(&now, &offset)) ||
		    (rc = crm_date_parse(&d, close_date, now)))
			goto done;
		crm_date_format(iso, &d);
		crm_map_set(deal, "close", crm_node_new_plain(iso));
	}
	if (probability) {
		if ((rc = crm_percent_parse(&p, probability)))
			goto done;
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%d", p);
		crm_map_set(deal, "probability", crm_node_new_plain(sb.buf));
	}
	if (title) {
		strbuf_reset(&sb);
		if ((rc = crm_text_nfc(&sb, title, strlen(title))) ||
		    (rc = crm_field_validate("title", sb.buf)))
			goto done;
		strbuf_rtrim(&sb);
		if (!sb.len || sb.buf[strspn(sb.buf, " ")] == '\0') {
			crm_error_set(CRM_EINVALID, "a title cannot be empty");
			rc = CRM_EINVALID;
			goto done;
		}
		crm_map_set(deal, "title", crm_node_new_str(sb.buf));
	}
done:
	strbuf_release(&sb);
	return rc;
}

static int deal_add(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf id = STRBUF_INIT, msg = STRBUF_INIT, text = STRBUF_INIT;
	struct crm_record *r = NULL;
	struct crm_config cfg;
	struct crm_node *deal = NULL, *deals;
	char today[11];
	size_t i;
	int rc, have_cfg = 0;

	rc = cmd_parse(&spec_deal_add, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n < 2) {
		rc = cmd_usage_error(&spec_deal_add, ctx,
				     "give a customer and a title");
		goto done;
	}
	for (i = 1; i < args.n; i++)
		strbuf_addf(&text, "%s%s", i > 1 ? " " : "", args.items[i]);
	title = text.buf;
	if ((rc = config_load(&cfg, ctx)))
		goto done;
	have_cfg = 1;
	if (crm_store_lock(ctx->store)) {
		rc = cmd_fail();
		goto done;
	}
	if ((rc = who_load(&r, ctx, args.items[0])))
		goto done;
	if (today_iso(today)) {
		rc = cmd_fail();
		goto done;
	}
	deal = crm_node_new_map();
	crm_map_set(deal, "id", crm_node_new_str(""));
	crm_map_set(deal, "title", crm_node_new_str(""));
	crm_map_set(deal, "stage", crm_node_new_str(cfg.stages[0].name));
	crm_map_set(deal, "value", crm_node_new_str("0.00"));
	crm_map_set(deal, "currency", crm_node_new_str(cfg.currency));
	crm_map_set(deal, "created", crm_node_new_plain(today));
	if (apply_fields(deal, &cfg)) {
		rc = cmd_fail();
		goto done;
	}
	crm_deal_new_id(&id, r, crm_map_get_str(deal, "title"));
	crm_map_set(deal, "id", crm_node_new_str(id.buf));
	deals = crm_map_get(r->root, "deals");
	if (!deals) {
		deals = crm_node_new_seq(0);
		crm_record_set_node(r, "deals", deals);
	}
	crm_seq_append(deals, deal);
	deal = NULL;
	strbuf_addf(&msg, "crm: deal add %s/%s", r->id, id.buf);
	if ((rc = record_save(ctx, r, msg.buf)))
		goto done;
	printf("%s/%s\n", r->id, id.buf);
done:
	crm_node_free(deal);
	crm_record_free(r);
	if (have_cfg)
		crm_config_release(&cfg);
	strlist_release(&args);
	strbuf_release(&id);
	strbuf_release(&msg);
	strbuf_release(&text);
	return rc;
}

static int deal_set(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf msg = STRBUF_INIT;
	struct crm_record *r = NULL;
	struct crm_node *deal, *before = NULL;
	struct crm_config cfg;
	int rc, have_cfg = 0;

	rc = cmd_parse(&spec_deal_set, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n != 1) {
		rc = cmd_usage_error(&spec_deal_set, ctx, "give one deal");
		goto done;
	}
	if (!value && !currency && !stage && !close_date && !probability &&
	    !title) {
		rc = cmd_usage_error(&spec_deal_set, ctx,
				     "say what to change");
		goto done;
	}
	if ((rc = config_load(&cfg, ctx)))
		goto done;
	have_cfg = 1;
	if (crm_store_lock(ctx->store)) {
		rc = cmd_fail();
		goto done;
	}
	if ((rc = entry_load(&r, &deal, ctx, args.items[0], ENTRY_DEAL)))
		goto done;
	before = crm_node_dup(deal);
	if (apply_fields(deal, &cfg)) {
		rc = cmd_fail();
		goto done;
	}
	if (crm_node_equal(before, deal)) {
		fprintf(stderr, "crm: nothing changed\n");
		goto done;
	}
	strbuf_addf(&msg, "crm: deal set %s/%s", r->id,
		    crm_map_get_str(deal, "id"));
	if (stage)
		strbuf_addf(&msg, " stage=%s", stage);
	rc = record_save(ctx, r, msg.buf);
done:
	crm_node_free(before);
	crm_record_free(r);
	if (have_cfg)
		crm_config_release(&cfg);
	strlist_release(&args);
	strbuf_release(&msg);
	return rc;
}

static int deal_rm(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf msg = STRBUF_INIT;
	struct crm_record *r = NULL;
	struct crm_node *deal, *deals;
	size_t i;
	int rc;

	rc = cmd_parse(&spec_deal_rm, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n != 1) {
		rc = cmd_usage_error(&spec_deal_rm, ctx, "give one deal");
		goto done;
	}
	if (crm_store_lock(ctx->store)) {
		rc = cmd_fail();
		goto done;
	}
	if ((rc = entry_load(&r, &deal, ctx, args.items[0], ENTRY_DEAL)))
		goto done;
	strbuf_addf(&msg, "crm: deal rm %s/%s", r->id,
		    crm_map_get_str(deal, "id"));
	deals = crm_map_get(r->root, "deals");
	for (i = 0; i < deals->nitems; i++)
		if (deals->items[i] == deal) {
			crm_seq_remove(deals, i);
			break;
		}
	if (!deals->nitems)
		crm_record_unset(r, "deals");
	rc = record_save(ctx, r, msg.buf);
done:
	crm_record_free(r);
	strlist_release(&args);
	strbuf_release(&msg);
	return rc;
}

/*
 * The pipeline: open deals by stage in the order of .crm.yml, with a
 * count, a total and a probability-weighted total per currency.
 */
static const char *const deal_keys[] = { "id", "title", "stage", "close",
					 "currency" };

struct pipeline_row {
	const char *id;			/* the customer's */
	const char *name;
	/*
	 * The deal's fields the pipeline prints, copied into a pool
	 * (summaries do not outlast the scan; at 100,000 customers this is
	 * what stays in memory), and the whole deal only for JSON.
	 */
	const char *fields[5];		/* as deal_keys */
	struct crm_node *deal;		/* JSON only */
	size_t position;		/* in the customer's deals */
	crm_money value, weighted;
	int probability;
};

struct currency_sum {
	char code[8];
	crm_money total, weighted;
	size_t count;
};

struct sums {
	struct currency_sum items[16];
	size_t n;
};

static int sum_add(struct sums *s, const char *code, crm_money v, crm_money w)
{
	size_t i;

	for (i = 0; i < s->n && strcmp(s->items[i].code, code); i++)
		;
	if (i == s->n) {
		if (s->n == ARRAY_SIZE(s->items)) {
			crm_error_set(CRM_EINVALID, "more than %zu currencies",
				      ARRAY_SIZE(s->items));
			return CRM_EINVALID;
		}
		memset(&s->items[i], 0, sizeof(s->items[i]));
		snprintf(s->items[i].code, sizeof(s->items[i].code), "%s", code);
		s->n++;
	}
	s->items[i].count++;
	if (crm_money_add(&s->items[i].total, s->items[i].total, v) ||
	    crm_money_add(&s->items[i].weighted, s->items[i].weighted, w))
		return CRM_EINVALID;
	return 0;
}

static const char *field(const struct pipeline_row *row, const char *key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(deal_keys); i++)
		if (!strcmp(deal_keys[i], key))
			return row->fields[i];
	return NULL;
}

static const char *row_currency(const struct pipeline_row *row,
				const struct crm_config *cfg)
{
	const char *c = field(row, "currency");

	return c && *c ? c : cfg->currency;
}

static void money_str(struct strbuf *out, crm_money m)
{
	crm_money_format(out, m, 2);
}

static void print_sums(struct strbuf *out, const struct sums *s,
		       const char *indent)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		strbuf_addf(out, "%s%zu deal%s  ", indent, s->items[i].count,
			    s->items[i].count == 1 ? "" : "s");
		money_str(out, s->items[i].total);
		strbuf_addf(out, " %s  weighted ", s->items[i].code);
		money_str(out, s->items[i].weighted);
		strbuf_addf(out, " %s\n", s->items[i].code);
	}
}

static void print_row_human(struct strbuf *out, const struct pipeline_row *row,
			    const struct crm_config *cfg, struct crm_ctx *ctx)
{
	struct strbuf ref = STRBUF_INIT;
	const char *close = field(row, "close");
	const char *t = field(row, "title");

	strbuf_addf(&ref, "%s/%s", row->id,
		    field(row, "id"));
	strbuf_addf(out, "  %s", color(ctx, C_YELLOW));
	pad(out, ref.buf, 32);
	strbuf_addf(out, "%s  ", color(ctx, C_RESET));
	pad(out, t ? t : "", 28);
	strbuf_addstr(out, "  ");
	strbuf_reset(&ref);
	money_str(&ref, row->value);
	strbuf_addchars(out, ' ', ref.len < 12 ? 12 - ref.len : 0);
	strbuf_addf(out, "%s %s  %3d%%", ref.buf, row_currency(row, cfg),
		    row->probability);
	if (close)
		strbuf_addf(out, "  close %s", close);
	strbuf_addch(out, '\n');
	strbuf_release(&ref);
}

static void print_row_tsv(struct strbuf *out, const struct pipeline_row *row,
			  const struct crm_config *cfg)
{
	struct strbuf m = STRBUF_INIT;
	const char *const keys[] = { "id", "title", "stage" };
	size_t i;

	tsv_cell(out, row->id);
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		strbuf_addch(out, '\t');
		tsv_cell(out, field(row, keys[i]));
	}
	money_str(&m, row->value);
	strbuf_addf(out, "\t%s\t%s\t%d\t", m.buf, row_currency(row, cfg),
		    row->probability);
	strbuf_reset(&m);
	crm_money_format(&m, row->weighted, 2);
	strbuf_addf(out, "%s\t", m.buf);
	tsv_cell(out, field(row, "close"));
	strbuf_addch(out, '\n');
	strbuf_release(&m);
}

static void print_row_json(struct strbuf *out, const struct pipeline_row *row,
			   const struct crm_config *cfg, int first)
{
	struct strbuf m = STRBUF_INIT;

	strbuf_addstr(out, first ? "{\"customer\": " : ",\n {\"customer\": ");
	json_string(out, row->id);
	strbuf_addstr(out, ", \"name\": ");
	json_string(out, row->name);
	strbuf_addstr(out, ", \"currency\": ");
	json_string(out, row_currency(row, cfg));
	strbuf_addf(out, ", \"probability\": %d, \"weighted\": ",
		    row->probability);
	crm_money_format(&m, row->weighted, 2);
	json_string(out, m.buf);
	strbuf_addstr(out, ", \"deal\": ");
	json_node(out, row->deal);
	strbuf_addch(out, '}');
	strbuf_release(&m);
}

struct collect {
	struct pipeline_row *rows;
	size_t n, alloc;
	const struct crm_filter *filter;
	const struct crm_config *cfg;
	int json;
	struct crm_pool pool;
};

static void keep_fields(struct pipeline_row *row, const struct crm_node *d,
			struct crm_pool *pool)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(deal_keys); i++) {
		const char *v = crm_map_get_str(d, deal_keys[i]);

		row->fields[i] = v ? crm_pool_strdup(pool, v) : NULL;
	}
}

static int collect_deals(const char *id, const char *path,
			 const struct crm_node *summary, void *data)
{
	struct collect *c = data;
	const struct crm_node *deals = crm_map_get(summary, "deals");
	const char *name = crm_map_get_str(summary, "name");
	size_t j;

	for (j = 0; deals && deals->kind == CRM_NODE_SEQ && j < deals->nitems;
	     j++) {
		const struct crm_node *d = deals->items[j];
		struct pipeline_row *row;

		if ((!all && !crm_deal_is_open(d)) ||
		    !crm_filter_match(c->filter, summary, d))
			continue;
		ALLOC_GROW(c->rows, c->n + 1, c->alloc);
		row = &c->rows[c->n++];
		memset(row, 0, sizeof(*row));
		row->id = crm_pool_strdup(&c->pool, id);
		row->name = crm_pool_strdup(&c->pool, name ? name : "");
		keep_fields(row, d, &c->pool);
		row->deal = c->json ? crm_node_dup(d) : NULL;
		row->position = j;
		row->probability = crm_deal_probability(d, c->cfg);
		if (crm_deal_value(&row->value, d)) {
			crm_error_set(CRM_EPARSE, "%s: deal '%s': %s", path,
				      crm_map_get_str(d, "id"), crm_error_last());
			return CRM_EPARSE;
		}
		if (crm_money_percent(&row->weighted, row->value,
				      row->probability))
			return CRM_EINVALID;
	}
	return 0;
}

static int row_cmp(const void *a, const void *b)
{
	const struct pipeline_row *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	return x->position < y->position ? -1 : x->position > y->position;
}

static void rows_release(struct collect *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		crm_node_free(c->rows[i].deal);
	free(c->rows);
	crm_pool_release(&c->pool);
}

/* Stages in .crm.yml order, then any stage a hand edit invented. */
static int stage_rank(const struct crm_config *cfg, const char *name)
{
	size_t i;

	for (i = 0; name && i < cfg->nstages; i++)
		if (!strcmp(cfg->stages[i].name, name))
			return (int)i;
	return (int)cfg->nstages;
}

static int print_pipeline(struct strbuf *out, struct pipeline_row *rows,
			  size_t n, const struct crm_config *cfg,
			  struct crm_ctx *ctx, int fmt)
{
	struct sums grand;
	size_t s, i, printed = 0;

	memset(&grand, 0, sizeof(grand));
	if (fmt == FORMAT_TSV)
		strbuf_addstr(out, "customer\tid\ttitle\tstage\tvalue\tcurrency"
			      "\tprobability\tweighted\tclose\n");
	if (fmt == FORMAT_JSON)
		strbuf_addch(out, '[');
	for (s = 0; s <= cfg->nstages; s++) {
		struct sums stage_sums;
		size_t count = 0;

		memset(&stage_sums, 0, sizeof(stage_sums));
		for (i = 0; i < n; i++) {
			const char *st = field(&rows[i], "stage");

			if (stage_rank(cfg, st) != (int)s)
				continue;
			if (sum_add(&stage_sums, row_currency(&rows[i], cfg),
				    rows[i].value, rows[i].weighted) ||
			    sum_add(&grand, row_currency(&rows[i], cfg),
				    rows[i].value, rows[i].weighted))
				return CRM_EINVALID;
			if (fmt == FORMAT_JSON) {
				print_row_json(out, &rows[i], cfg, !printed++);
				continue;
			}
			if (fmt == FORMAT_TSV) {
				print_row_tsv(out, &rows[i], cfg);
				continue;
			}
			if (!count++)
				strbuf_addf(out, "%s%s%s\n", color(ctx, C_BOLD),
					    s < cfg->nstages ?
					    cfg->stages[s].name : "(other stages)",
					    color(ctx, C_RESET));
			print_row_human(out, &rows[i], cfg, ctx);
		}
		if (count && fmt == FORMAT_HUMAN)
			print_sums(out, &stage_sums, "  = ");
	}
	if (fmt == FORMAT_JSON)
		strbuf_addstr(out, "]\n");
	if (fmt == FORMAT_HUMAN && n) {
		strbuf_addf(out, "%sTotal%s\n", color(ctx, C_BOLD),
			    color(ctx, C_RESET));
		print_sums(out, &grand, "  ");
	}
	return 0;
}

static int deal_list(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf out = STRBUF_INIT;
	struct crm_filter filter = { NULL, 0, 0 };
	struct collect c;
	struct crm_config cfg;
	int rc, fmt, have_cfg = 0;

	memset(&c, 0, sizeof(c));
	rc = cmd_parse(&spec_deal_list, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if ((fmt = cmd_output_format(json, format)) < 0) {
		rc = 2;
		goto done;
	}
	if (crm_filter_parse(&filter, args.items, args.n)) {
		cmd_fail();
		rc = 2;
		goto done;
	}
	if ((rc = config_load(&cfg, ctx)))
		goto done;
	have_cfg = 1;
	c.filter = &filter;
	c.cfg = &cfg;
	c.json = fmt == FORMAT_JSON;
	if (records_each(ctx, NULL, collect_deals, &c)) {
		rc = cmd_fail();
		goto done;
	}
	if (c.n)
		qsort(c.rows, c.n, sizeof(*c.rows), row_cmp);
	if (print_pipeline(&out, c.rows, c.n, &cfg, ctx, fmt)) {
		rc = cmd_fail();
		goto done;
	}
	rc = flush_stdout(&out);
done:
	rows_release(&c);
	crm_filter_release(&filter);
	if (have_cfg)
		crm_config_release(&cfg);
	strlist_release(&args);
	strbuf_release(&out);
	return rc;
}

int cmd_deal(int argc, char **argv, struct crm_ctx *ctx)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **, struct crm_ctx *);
	} subs[] = {
		{ "add", deal_add }, { "set", deal_set }, { "rm", deal_rm },
		{ "list", deal_list },
	};
	size_t i;

	for (i = 0; argc > 1 && i < ARRAY_SIZE(subs); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].fn(argc - 1, argv + 1, ctx);
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		cmd_usage(stdout, &spec_deal);
		return 0;
	}
	if (argc > 1 && refuse_subcommand_synonym("deal", argv[1], "add set rm list"))
		return 2;
	return deal_list(argc, argv, ctx);
}
