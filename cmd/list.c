#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/filter.h"
#include "../lib/pool.h"
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

/*
 * A matching customer: the cells to print, as offsets into one pool of
 * text (a hundred thousand rows must not mean 700,000 allocations).
 */
struct row {
	const char *cells[NCOLS];
	const char *path;
};

struct rows {
	struct row *items;
	size_t n, alloc;
	struct crm_pool pool;
	const struct crm_filter *filter;
};

#define CELL(rows, i, c) ((rows)->items[i].cells[c])

static void cell(struct strbuf *out, const char *id, const struct crm_node *r,
		 enum column c)
{
	const struct crm_node *n;
	const char *v;
	size_t i;

	switch (c) {
	case COL_ID:
		strbuf_addstr(out, id);
		break;
	case COL_NAME:
	case COL_COMPANY:
	case COL_OWNER:
		v = crm_map_get_str(r, column_names[c]);
		strbuf_addstr(out, v ? v : "");
		break;
	case COL_EMAIL:
		n = crm_map_get(r, "emails");
		if (n && n->kind == CRM_NODE_SEQ && n->nitems && n->items[0]->str)
			strbuf_addstr(out, n->items[0]->str);
		break;
	case COL_TAGS:
		n = crm_map_get(r, "tags");
		for (i = 0; n && n->kind == CRM_NODE_SEQ && i < n->nitems; i++) {
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

/* On the scanning threads: the filter only reads. */
static int list_match(const struct crm_node *summary, void *data)
{
	const struct rows *rows = data;

	return crm_filter_match(rows->filter, summary, NULL);
}

static int visit(const char *id, const char *path,
		 const struct crm_node *summary, void *data)
{
	struct rows *rows = data;
	struct strbuf text = STRBUF_INIT;
	struct row *row;
	int c;

	ALLOC_GROW(rows->items, rows->n + 1, rows->alloc);
	row = &rows->items[rows->n++];
	for (c = 0; c < NCOLS; c++) {
		strbuf_reset(&text);
		cell(&text, id, summary, c);
		row->cells[c] = crm_pool_strndup(&rows->pool, text.buf,
						 text.len);
	}
	row->path = crm_pool_strdup(&rows->pool, path);
	strbuf_release(&text);
	return 0;
}

static int row_cmp(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->cells[COL_ID],
		      ((const struct row *)b)->cells[COL_ID]);
}

/* Whether no later column has anything to show. */
static int last_column(const size_t *width, int col)
{
	for (col++; col < NCOLS; col++)
		if (width[col])
			return 0;
	return 1;
}

static void print_human(struct strbuf *out, const struct rows *rows,
			struct crm_ctx *ctx)
{
	size_t width[NCOLS] = { 0 };
	size_t i;
	int col;

	for (i = 0; i < rows->n; i++)
		for (col = 0; col < NCOLS; col++) {
			size_t w = crm_text_width(CELL(rows, i, col));

			if (w > width[col])
				width[col] = w;
		}
	for (i = 0; i < rows->n; i++) {
		for (col = 0; col < NCOLS; col++) {
			const char *c = CELL(rows, i, col);

			if (!width[col])
				continue;
			if (col == COL_ID)
				strbuf_addstr(out, color(ctx, C_YELLOW));
			if (last_column(width, col))
				strbuf_addstr(out, c);
			else
				pad(out, c, width[col]);
			if (col == COL_ID)
				strbuf_addstr(out, color(ctx, C_RESET));
			strbuf_addstr(out, col < NCOLS - 1 ? "  " : "");
		}
		strbuf_rtrim(out);
		strbuf_addch(out, '\n');
		flush_if_big(out);
	}
}

static void print_tsv(struct strbuf *out, const struct rows *rows)
{
	size_t i;
	int col;

	for (col = 0; col < NCOLS; col++)
		strbuf_addf(out, "%s%c", column_names[col],
			    col < NCOLS - 1 ? '\t' : '\n');
	for (i = 0; i < rows->n; i++)
		for (col = 0; col < NCOLS; col++) {
			tsv_cell(out, CELL(rows, i, col));
			strbuf_addch(out, col < NCOLS - 1 ? '\t' : '\n');
			flush_if_big(out);
		}
}

/* JSON is the whole record: read each match in full, one at a time. */
static int print_json(struct strbuf *out, const struct rows *rows,
		      struct crm_ctx *ctx)
{
	size_t i;

	strbuf_addch(out, '[');
	for (i = 0; i < rows->n; i++) {
		struct crm_record *r;

		if (record_load(&r, ctx, CELL(rows, i, COL_ID),
				rows->items[i].path))
			return cmd_fail();
		strbuf_addstr(out, i ? ",\n " : "");
		json_node(out, r->root);
		crm_record_free(r);
		flush_if_big(out);
	}
	strbuf_addstr(out, "]\n");
	return 0;
}

static void rows_release(struct rows *rows)
{
	free(rows->items);
	crm_pool_release(&rows->pool);
}

int cmd_list(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf out = STRBUF_INIT;
	struct crm_filter filter = { NULL, 0, 0 };
	struct rows rows;
	int rc, fmt;

	memset(&rows, 0, sizeof(rows));
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
	rows.filter = &filter;
	if (records_each(ctx, list_match, visit, &rows)) {
		rc = cmd_fail();
		goto done;
	}
	if (rows.n)
		qsort(rows.items, rows.n, sizeof(*rows.items), row_cmp);
	if (fmt == FORMAT_JSON)
		rc = print_json(&out, &rows, ctx);
	else if (fmt == FORMAT_TSV)
		print_tsv(&out, &rows);
	else
		print_human(&out, &rows, ctx);
	if (!rc)
		rc = flush_stdout(&out);
done:
	rows_release(&rows);
	crm_filter_release(&filter);
	strlist_release(&args);
	strbuf_release(&out);
	return rc;
}
