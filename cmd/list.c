#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/filter.h"
#include "../lib/text.h"
#include "../lib/util.h"

static const char *const usage[] = {
	"crm list [--json | --format <format>] [<filter>...]",
	NULL,
};

static int json;
static const char *format;

static const struct cmd_option options[] = {
	OPT_JSON(json),
	OPT_FORMAT(format),
	OPT_END_MARK,
};

static const enum opt_complete args_complete[] = { COMPLETE_FIELD, COMPLETE_NONE };

const struct cmd_spec spec_list = { "list", usage, options, args_complete, 1 };

enum column { COL_ID, COL_NAME, COL_COMPANY, COL_EMAIL, COL_TAGS, COL_OWNER,
	      NCOLS };
static const char *const column_names[NCOLS] = {
	"id", "name", "company", "email", "tags", "owner",
};

static void cell(struct strbuf *out, const struct crm_record *r, enum column c)
{
	const struct crm_node *n;
	size_t i;

	switch (c) {
	case COL_ID:
		strbuf_addstr(out, r->id);
		break;
	case COL_NAME:
	case COL_COMPANY:
	case COL_OWNER: {
		const char *v = crm_record_get(r, column_names[c]);

		strbuf_addstr(out, v ? v : "");
		break;
	}
	case COL_EMAIL:
		n = crm_map_get(r->root, "emails");
		if (n && n->nitems && n->items[0]->str)
			strbuf_addstr(out, n->items[0]->str);
		break;
	case COL_TAGS:
		n = crm_map_get(r->root, "tags");
		for (i = 0; n && i < n->nitems; i++) {
			if (i)
				strbuf_addch(out, ' ');
			strbuf_addstr(out, n->items[i]->str ?
				      n->items[i]->str : "");
		}
		break;
	case NCOLS:
		break;
	}
}

/* Whether no later column has anything to show. */
static int last_column(const size_t *width, int col)
{
	for (col++; col < NCOLS; col++)
		if (width[col])
			return 0;
	return 1;
}

static void print_human(struct strbuf *out, struct crm_record **rs, size_t n,
			struct crm_ctx *ctx)
{
	size_t width[NCOLS] = { 0 };
	struct strbuf c = STRBUF_INIT;
	size_t i;
	int col;

	for (i = 0; i < n; i++)
		for (col = 0; col < NCOLS; col++) {
			size_t w;

			strbuf_reset(&c);
			cell(&c, rs[i], col);
			w = crm_text_width(c.buf);
			if (w > width[col])
				width[col] = w;
		}
	for (i = 0; i < n; i++) {
		for (col = 0; col < NCOLS; col++) {
			if (!width[col])
				continue;
			strbuf_reset(&c);
			cell(&c, rs[i], col);
			if (col == COL_ID)
				strbuf_addstr(out, color(ctx, C_YELLOW));
			if (last_column(width, col))
				strbuf_addstr(out, c.buf);
			else
				pad(out, c.buf, width[col]);
			if (col == COL_ID)
				strbuf_addstr(out, color(ctx, C_RESET));
			strbuf_addstr(out, col < NCOLS - 1 ? "  " : "");
		}
		strbuf_rtrim(out);
		strbuf_addch(out, '\n');
	}
	strbuf_release(&c);
}

static void print_tsv(struct strbuf *out, struct crm_record **rs, size_t n)
{
	struct strbuf c = STRBUF_INIT;
	size_t i;
	int col;

	for (col = 0; col < NCOLS; col++)
		strbuf_addf(out, "%s%c", column_names[col],
			    col < NCOLS - 1 ? '\t' : '\n');
	for (i = 0; i < n; i++)
		for (col = 0; col < NCOLS; col++) {
			strbuf_reset(&c);
			cell(&c, rs[i], col);
			tsv_cell(out, c.buf);
			strbuf_addch(out, col < NCOLS - 1 ? '\t' : '\n');
		}
	strbuf_release(&c);
}

static void print_json(struct strbuf *out, struct crm_record **rs, size_t n)
{
	size_t i;

	strbuf_addch(out, '[');
	for (i = 0; i < n; i++) {
		strbuf_addstr(out, i ? ",\n " : "");
		json_node(out, rs[i]->root);
	}
	strbuf_addstr(out, "]\n");
}

int cmd_list(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf out = STRBUF_INIT;
	struct crm_filter filter = { NULL, 0, 0 };
	struct crm_record **match = NULL;
	struct catalog cat = { NULL, 0, 0, 0 };
	size_t nmatch = 0, i;
	int rc, fmt;

	rc = cmd_parse(&spec_list, argc, argv, &args, ctx);
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
	if (catalog_load(&cat, ctx)) {
		rc = cmd_fail();
		goto done;
	}
	match = xcalloc(cat.n ? cat.n : 1, sizeof(*match));
	for (i = 0; i < cat.n; i++)
		if (crm_filter_match(&filter, cat.records[i]->root, NULL))
			match[nmatch++] = cat.records[i];
	if (fmt == FORMAT_JSON)
		print_json(&out, match, nmatch);
	else if (fmt == FORMAT_TSV)
		print_tsv(&out, match, nmatch);
	else
		print_human(&out, match, nmatch, ctx);
	rc = flush_stdout(&out);
done:
	free(match);
	catalog_release(&cat);
	crm_filter_release(&filter);
	strlist_release(&args);
	strbuf_release(&out);
	return rc;
}
