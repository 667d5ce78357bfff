/*
 * crm dedupe: likely duplicate customers, a pair a line, with the reason.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../lib/dedupe.h"
#include "../lib/filter.h"
#include "../lib/util.h"

static const char *const usage[] = {
	"crm dedupe [--json | --format <format>] [<filter>...]",
	NULL,
};

static int json;
static const char *format;

static const struct cmd_option options[] = {
	OPT_JSON(json),
	OPT_FORMAT(format),
	OPT_END_MARK,
};

static const enum opt_complete args_complete[] = { COMPLETE_FIELD,
						    COMPLETE_NONE };

const struct cmd_spec spec_dedupe = { "dedupe", usage, options, args_complete,
				      1, NULL };

struct dedupe_scan {
	const struct crm_filter *filter;
	struct crm_dedupe d;
};

static int dedupe_match(const struct crm_node *summary, void *data)
{
	const struct dedupe_scan *ds = data;

	return crm_filter_match(ds->filter, summary, NULL);
}

static int dedupe_visit(const char *id, const char *path,
			const struct crm_node *summary, void *data)
{
	struct dedupe_scan *ds = data;

	(void)path;
	crm_dedupe_add(&ds->d, id, summary);
	return 0;
}

static void print_pairs(struct strbuf *out, const struct crm_dedupe *d,
			enum output_format fmt, const struct crm_ctx *ctx)
{
	size_t i, wa = 0, wb = 0;

	if (fmt == FORMAT_JSON)
		strbuf_addch(out, '[');
	for (i = 0; fmt == FORMAT_HUMAN && i < d->npairs; i++) {
		wa = strlen(d->pairs[i].a) > wa ? strlen(d->pairs[i].a) : wa;
		wb = strlen(d->pairs[i].b) > wb ? strlen(d->pairs[i].b) : wb;
	}
	for (i = 0; i < d->npairs; i++) {
		const struct crm_dedupe_pair *p = &d->pairs[i];

		switch (fmt) {
		case FORMAT_JSON:
			strbuf_addstr(out, i ? ",\n {\"a\": " : "{\"a\": ");
			json_string(out, p->a);
			strbuf_addstr(out, ", \"b\": ");
			json_string(out, p->b);
			strbuf_addstr(out, ", \"reasons\": ");
			json_string(out, p->reasons);
			strbuf_addch(out, '}');
			break;
		case FORMAT_TSV:
			tsv_cell(out, p->a);
			strbuf_addch(out, '\t');
			tsv_cell(out, p->b);
			strbuf_addch(out, '\t');
			tsv_cell(out, p->reasons);
			strbuf_addch(out, '\n');
			break;
		default:
			strbuf_addstr(out, color(ctx, C_BOLD));
			pad(out, p->a, wa);
			strbuf_addstr(out, "  ");
			pad(out, p->b, wb);
			strbuf_addstr(out, color(ctx, C_RESET));
			strbuf_addf(out, "  %s\n", p->reasons);
		}
		flush_if_big(out);
	}
	if (fmt == FORMAT_JSON)
		strbuf_addstr(out, "]\n");
}

int cmd_dedupe(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf out = STRBUF_INIT;
	struct crm_filter filter;
	struct dedupe_scan ds;
	int rc, fmt;

	memset(&filter, 0, sizeof(filter));
	memset(&ds, 0, sizeof(ds));
	crm_dedupe_init(&ds.d);
	rc = cmd_parse(&spec_dedupe, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if ((fmt = cmd_output_format(json, format)) < 0) {
		rc = 2;
		goto done;
	}
	if (crm_filter_parse(&filter, (const char *const *)args.items,
			     args.n)) {
		cmd_fail();
		rc = 2;
		goto done;
	}
	ds.filter = &filter;
	if (records_each(ctx, dedupe_match, dedupe_visit, &ds)) {
		rc = cmd_fail();
		goto done;
	}
	crm_dedupe_finish(&ds.d);
	if (ds.d.skipped_groups)
		cmd_warn("%zu companies have more than %d people: their names "
			 "were not compared", ds.d.skipped_groups,
			 CRM_DEDUPE_MAX_GROUP);
	print_pairs(&out, &ds.d, (enum output_format)fmt, ctx);
	rc = flush_stdout(&out);
done:
	crm_dedupe_release(&ds.d);
	crm_filter_release(&filter);
	strlist_release(&args);
	strbuf_release(&out);
	return rc;
}
