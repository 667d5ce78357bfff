#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/clock.h"
#include "../lib/date.h"
#include "../lib/entries.h"
#include "../lib/error.h"
#include "../lib/filter.h"
#include "../lib/text.h"
#include "../lib/util.h"

static const char *const usage[] = {
	"crm log [--type <type>] [--at <date>] <who> <text>...",
	"crm log [--since <date>] [--until <date>] [--type <type>] [--by <user>] [-n <count>] [--json | --format <format>] [<who>]",
	NULL,
};

static const char *opt_type, *opt_at, *since, *until, *opt_by, *count, *format;
static int json;

static const struct cmd_option options[] = {
	{ 't', "type", OPT_STRING, &opt_type, "<type>", "call, email, meeting, note (default), ...", COMPLETE_WORDS, "call email meeting note" },
	{ 0, "at", OPT_STRING, &opt_at, "<date>", "when it happened (default: now)", 0, NULL },
	{ 0, "since", OPT_STRING, &since, "<date>", "only entries at or after <date>", 0, NULL },
	{ 0, "until", OPT_STRING, &until, "<date>", "only entries before the end of <date>", 0, NULL },
	{ 0, "by", OPT_STRING, &opt_by, "<user>", "only entries logged by <user>", 0, NULL },
	{ 'n', "count", OPT_STRING, &count, "<count>", "only the last <count> entries", 0, NULL },
	OPT_JSON(json),
	OPT_FORMAT(format),
	OPT_END_MARK,
};

static const enum opt_complete args_complete[] = { COMPLETE_CUSTOMER, COMPLETE_TEXT, COMPLETE_NONE };

const struct cmd_spec spec_log = { "log", usage, options, args_complete, 0 };

static int valid_type(const char *t)
{
	size_t i;

	if (!*t || strlen(t) > 32)
		return 0;
	for (i = 0; t[i]; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || t[i] == '-' ||
		      (t[i] >= '0' && t[i] <= '9')))
			return 0;
	return 1;
}

static int append(struct crm_ctx *ctx, const struct strlist *args)
{
	struct strbuf text = STRBUF_INIT, nfc = STRBUF_INIT, user = STRBUF_INIT;
	struct strbuf msg = STRBUF_INIT;
	struct crm_record *r = NULL;
	struct crm_moment when;
	char moment[CRM_MOMENT_MAX];
	time_t now;
	int offset, rc = 0;
	size_t i;

	if (since || until || opt_by || count || json || format) {
		rc = cmd_usage_error(&spec_log, ctx,
				     "--since, --until, --by, -n, --json and "
				     "--format are for reading the log, not "
				     "writing to it");
		goto done;
	}
	for (i = 1; i < args->n; i++)
		strbuf_addf(&text, "%s%s", i > 1 ? " " : "", args->items[i]);
	strbuf_trim_trailing_newlines(&text);
	if (!text.len) {
		rc = cmd_usage_error(&spec_log, ctx, "the text is empty");
		goto done;
	}
	if (opt_type && !valid_type(opt_type)) {
		cmd_error("type '%s' is not a word (a-z, 0-9, -)", opt_type);
		rc = 1;
		goto done;
	}
	if (crm_text_nfc(&nfc, text.buf, text.len) ||
	    crm_field_validate("notes", nfc.buf) || crm_now(&now, &offset)) {
		rc = cmd_fail();
		goto done;
	}
	when.t = now;
	when.offset = offset;
	if (opt_at && crm_moment_parse(&when, opt_at, now)) {
		rc = cmd_fail();
		goto done;
	}
	if (crm_store_lock(ctx->store)) {
		rc = cmd_fail();
		goto done;
	}
	if ((rc = who_load(&r, ctx, args->items[0])))
		goto done;
	crm_format_moment(moment, when.t, when.offset);
	crm_store_user(ctx->store, &user);
	crm_log_insert(r, crm_log_entry_new(moment, opt_type ? opt_type : "note",
					    user.buf, nfc.buf));
	strbuf_addf(&msg, "crm: log %s", r->id);
	rc = record_save(ctx, r, msg.buf);
done:
	crm_record_free(r);
	strbuf_release(&text);
	strbuf_release(&nfc);
	strbuf_release(&user);
	strbuf_release(&msg);
	return rc;
}

struct timeline_item {
	char *id, *name;
	struct crm_node *entry;		/* a copy */
	time_t t;
};

static int item_cmp(const void *a, const void *b)
{
	const struct timeline_item *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return strcmp(x->id, y->id);
}

struct timeline {
	struct timeline_item *items;
	size_t n, alloc;
	time_t since, until;
	int has_since, has_until;
	struct strlist ids, paths;	/* customers with entries to show */
};

static int entry_wanted(const struct timeline *tl, const struct crm_node *e,
			time_t *t)
{
	const char *etype = crm_map_get_str(e, "type");
	const char *eby = crm_map_get_str(e, "by");

	if (crm_entry_instant(t, e))
		return 0;
	if ((tl->has_since && *t < tl->since) ||
	    (tl->has_until && *t >= tl->until))
		return 0;
	if (opt_type && (!etype || strcmp(etype, opt_type)))
		return 0;
	if (opt_by && (!eby || ascii_casecmp(eby, opt_by)))
		return 0;
	return 1;
}

static void collect(struct timeline *tl, const struct crm_record *r)
{
	const struct crm_node *log = crm_map_get(r->root, "log");
	const char *name = crm_record_get(r, "name");
	size_t i;

	for (i = 0; log && i < log->nitems; i++) {
		struct timeline_item *it;
		time_t t;

		if (!entry_wanted(tl, log->items[i], &t))
			continue;
		ALLOC_GROW(tl->items, tl->n + 1, tl->alloc);
		it = &tl->items[tl->n++];
		it->id = xstrdup(r->id);
		it->name = xstrdup(name ? name : "");
		it->entry = crm_node_dup(log->items[i]);
		it->t = t;
	}
}

/* Pass one: which customers have entries to show (summaries have no
 * log texts, so those records are read in full afterwards). */
static int find_candidates(const char *id, const char *path,
			   const struct crm_node *summary, void *data)
{
	struct timeline *tl = data;
	const struct crm_node *log = crm_map_get(summary, "log");
	size_t i;
	time_t t;

	for (i = 0; log && log->kind == CRM_NODE_SEQ && i < log->nitems; i++)
		if (entry_wanted(tl, log->items[i], &t)) {
			strlist_add(&tl->ids, xstrdup(id));
			strlist_add(&tl->paths, xstrdup(path));
			break;
		}
	return 0;
}

static void print_item(struct strbuf *out, const struct timeline_item *it,
		       int fmt, struct crm_ctx *ctx, int first)
{
	const char *at = crm_map_get_str(it->entry, "at");
	const char *etype = crm_map_get_str(it->entry, "type");
	const char *eby = crm_map_get_str(it->entry, "by");
	const char *text = crm_map_get_str(it->entry, "text");
	char local[CRM_MOMENT_MAX];

	if (fmt == FORMAT_JSON) {
		strbuf_addstr(out, first ? "{\"customer\": " : ",\n {\"customer\": ");
		json_string(out, it->id);
		strbuf_addstr(out, ", \"name\": ");
		json_string(out, it->name);
		strbuf_addstr(out, ", \"entry\": ");
		json_node(out, it->entry);
		strbuf_addch(out, '}');
		return;
	}
	if (fmt == FORMAT_TSV) {
		tsv_cell(out, at);
		strbuf_addch(out, '\t');
		tsv_cell(out, it->id);
		strbuf_addch(out, '\t');
		tsv_cell(out, etype);
		strbuf_addch(out, '\t');
		tsv_cell(out, eby);
		strbuf_addch(out, '\t');
		tsv_cell(out, text);
		strbuf_addch(out, '\n');
		return;
	}
	/* shown in local time, the order they are sorted in */
	crm_format_moment(local, it->t, crm_local_offset(it->t));
	strbuf_addf(out, "%s%.10s %.5s%s  %s%s%s  ", color(ctx, C_DIM), local,
		    local + 11, color(ctx, C_RESET),
		    color(ctx, C_YELLOW), it->id, color(ctx, C_RESET));
	pad(out, etype ? etype : "note", 7);
	strbuf_addstr(out, "  ");
	if (eby)
		strbuf_addf(out, "%s: ", eby);
	/* continuation lines of a multi-line entry stay indented */
	for (; text && *text; text++) {
		strbuf_addch(out, *text);
		if (*text == '\n' && text[1])
			strbuf_addstr(out, "    ");
	}
	strbuf_addch(out, '\n');
}

/*
 * A bound of --since/--until: a moment as written (it has a time), or a
 * date meaning the whole day, so --since today starts at midnight and
 * --until today includes all of today.
 */
static int parse_bound(time_t *out, const char *expr, int end_of_day,
		       time_t now)
{
	struct crm_moment m;
	struct crm_date d;

	if (strchr(expr, ':') || !strcmp(expr, "now")) {
		if (crm_moment_parse(&m, expr, now))
			return CRM_EINVALID;
		*out = m.t;
		return 0;
	}
	if (crm_date_parse(&d, expr, now))
		return CRM_EINVALID;
	if (end_of_day) {
		struct crm_interval one = { 1, 'd' };

		if (crm_date_add(&d, &d, &one))
			return CRM_EINVALID;
	}
	if (crm_date_start(&m, &d))
		return CRM_EINVALID;
	*out = m.t;
	return 0;
}

static int show(struct crm_ctx *ctx, const struct strlist *args)
{
	struct timeline tl;
	struct strbuf out = STRBUF_INIT;
	struct crm_record *one = NULL;
	size_t i, first = 0;
	time_t now;
	int offset, fmt, rc = 0;

	memset(&tl, 0, sizeof(tl));
	if (opt_at) {
		rc = cmd_usage_error(&spec_log, ctx,
				     "--at is for writing a log entry; give "
				     "<who> and <text>");
		goto done;
	}
	if ((fmt = cmd_output_format(json, format)) < 0) {
		rc = 2;
		goto done;
	}
	if (count) {
		char *end;
		long n = strtol(count, &end, 10);

		if (*end || end == count || n < 0) {
			rc = cmd_usage_error(&spec_log, ctx,
					     "-n '%s' is not a count", count);
			goto done;
		}
	}
	if (crm_now(&now, &offset) ||
	    (since && parse_bound(&tl.since, since, 0, now)) ||
	    (until && parse_bound(&tl.until, until, 1, now))) {
		rc = cmd_fail();
		goto done;
	}
	tl.has_since = since != NULL;
	tl.has_until = until != NULL;
	if (args->n == 1) {
		if ((rc = who_load(&one, ctx, args->items[0])))
			goto done;
		collect(&tl, one);
	} else {
		if (records_each(ctx, NULL, find_candidates, &tl)) {
			rc = cmd_fail();
			goto done;
		}
		for (i = 0; i < tl.ids.n; i++) {
			struct crm_record *r;

			if (record_load(&r, ctx, tl.ids.items[i],
					tl.paths.items[i])) {
				rc = cmd_fail();
				goto done;
			}
			collect(&tl, r);
			crm_record_free(r);
		}
	}
	if (tl.n)
		qsort(tl.items, tl.n, sizeof(*tl.items), item_cmp);
	if (count && (size_t)strtol(count, NULL, 10) < tl.n)
		first = tl.n - (size_t)strtol(count, NULL, 10);
	if (fmt == FORMAT_JSON)
		strbuf_addch(&out, '[');
	else if (fmt == FORMAT_TSV)
		strbuf_addstr(&out, "at\tcustomer\ttype\tby\ttext\n");
	for (i = first; i < tl.n; i++)
		print_item(&out, &tl.items[i], fmt, ctx, i == first);
	if (fmt == FORMAT_JSON)
		strbuf_addstr(&out, "]\n");
	rc = flush_stdout(&out);
done:
	for (i = 0; i < tl.n; i++) {
		free(tl.items[i].id);
		free(tl.items[i].name);
		crm_node_free(tl.items[i].entry);
	}
	free(tl.items);
	for (i = 0; i < tl.ids.n; i++) {
		free((char *)tl.ids.items[i]);
		free((char *)tl.paths.items[i]);
	}
	strlist_release(&tl.ids);
	strlist_release(&tl.paths);
	crm_record_free(one);
	strbuf_release(&out);
	return rc;
}

int cmd_log(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	int rc;

	rc = cmd_parse(&spec_log, argc, argv, &args, ctx);
	if (rc)
		rc = CMD_PARSE_EXIT(rc);
	else if (args.n >= 2)
		rc = append(ctx, &args);
	else
		rc = show(ctx, &args);
	strlist_release(&args);
	return rc;
}
