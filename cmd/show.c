#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/entries.h"
#include "../lib/text.h"
#include "../lib/util.h"
#include "../lib/yaml.h"

static const char *const usage[] = {
	"crm show [--json] [--log <n>] <who>",
	NULL,
};

static int json;
static const char *log_count;

static const struct cmd_option options[] = {
	{ 0, "json", OPT_FLAG, &json, NULL, "print the whole record as JSON", 0, NULL },
	{ 0, "log", OPT_STRING, &log_count, "<n>", "show the last <n> log entries (default 10; 'all')", 0, NULL },
	OPT_END_MARK,
};

static const enum opt_complete args_complete[] = { COMPLETE_CUSTOMER, COMPLETE_NONE };

const struct cmd_spec spec_show = { "show", usage, options, args_complete, 0 };

/* One line for a value of any shape: lists joined, maps as flow YAML. */
static void inline_value(struct strbuf *out, const struct crm_node *n)
{
	size_t i;

	if (n->kind == CRM_NODE_SCALAR) {
		strbuf_addstr(out, n->str);
		return;
	}
	if (n->kind == CRM_NODE_SEQ) {
		for (i = 0; i < n->nitems; i++) {
			if (i)
				strbuf_addstr(out, ", ");
			inline_value(out, n->items[i]);
		}
		return;
	}
	strbuf_addch(out, '{');
	for (i = 0; i < crm_map_len(n); i++) {
		if (i)
			strbuf_addstr(out, ", ");
		strbuf_addf(out, "%s: ", crm_map_key(n, i));
		inline_value(out, crm_map_value(n, i));
	}
	strbuf_addch(out, '}');
}

static int is_section(const char *key)
{
	return !strcmp(key, "log") || !strcmp(key, "deals") ||
	       !strcmp(key, "conflicts") ||
	       !strcmp(key, "followups") || !strcmp(key, "notes") ||
	       !strcmp(key, "id") || !strcmp(key, "name");
}

static void show_card(struct strbuf *out, const struct crm_record *r,
		      struct crm_ctx *ctx)
{
	size_t i, width = 0;

	strbuf_addf(out, "%s%s%s  %s(%s)%s\n", color(ctx, C_BOLD),
		    crm_record_get(r, "name"), color(ctx, C_RESET),
		    color(ctx, C_DIM), r->id, color(ctx, C_RESET));
	for (i = 0; i < crm_map_len(r->root); i++) {
		const char *key = crm_map_key(r->root, i);

		if (!is_section(key) && strlen(key) > width)
			width = strlen(key);
	}
	for (i = 0; i < crm_map_len(r->root); i++) {
		const char *key = crm_map_key(r->root, i);

		if (is_section(key))
			continue;
		strbuf_addf(out, "  %s", color(ctx, C_CYAN));
		pad(out, key, width);
		strbuf_addf(out, "%s  ", color(ctx, C_RESET));
		inline_value(out, crm_map_value(r->root, i));
		strbuf_addch(out, '\n');
	}
}

/* A merge kept both values: shown first, in red, with the way out. */
static void show_conflicts(struct strbuf *out, const struct crm_record *r,
			   struct crm_ctx *ctx)
{
	const struct crm_node *c = crm_map_get(r->root, "conflicts");
	size_t i;

	if (!c || c->kind != CRM_NODE_SEQ || !c->nitems)
		return;
	strbuf_addf(out, "\n%sConflicts (crm resolve %s <field> --ours|--theirs|"
		    "--value V)%s\n", color(ctx, C_RED), r->id,
		    color(ctx, C_RESET));
	for (i = 0; i < c->nitems; i++) {
		const struct crm_node *e = c->items[i];
		const char *deleted = crm_map_get_str(e, "deleted");

		strbuf_addf(out, "  %s%s%s: ours ", color(ctx, C_RED),
			    crm_map_get_str(e, "field") ?
			    crm_map_get_str(e, "field") : "?",
			    color(ctx, C_RESET));
		if (deleted && !strcmp(deleted, "ours"))
			strbuf_addstr(out, "(deleted)");
		else
			inline_value(out, crm_map_get(e, "ours") ?
				     crm_map_get(e, "ours") : crm_map_get(e, "field"));
		strbuf_addstr(out, ", theirs ");
		if (deleted && !strcmp(deleted, "theirs"))
			strbuf_addstr(out, "(deleted)");
		else if (crm_map_get(e, "theirs"))
			inline_value(out, crm_map_get(e, "theirs"));
		strbuf_addch(out, '\n');
	}
}

static void show_notes(struct strbuf *out, const struct crm_record *r,
		       struct crm_ctx *ctx)
{
	const char *notes = crm_record_get(r, "notes");
	const char *p, *nl;

	if (!notes || !*notes)
		return;
	strbuf_addf(out, "\n%sNotes%s\n", color(ctx, C_BOLD),
		    color(ctx, C_RESET));
	for (p = notes; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		strbuf_addstr(out, "  ");
		strbuf_add(out, p, nl ? (size_t)(nl - p) : strlen(p));
		strbuf_addch(out, '\n');
		if (!nl)
			break;
	}
}

static void show_deals(struct strbuf *out, const struct crm_record *r,
		       struct crm_ctx *ctx)
{
	const struct crm_node *deals = crm_map_get(r->root, "deals");
	size_t i, open = 0;

	for (i = 0; deals && i < deals->nitems; i++) {
		const struct crm_node *d = deals->items[i];
		const char *stage = crm_map_get_str(d, "stage");
		const char *value = crm_map_get_str(d, "value");
		const char *close = crm_map_get_str(d, "close");
		const char *cur = crm_map_get_str(d, "currency");

		if (!crm_deal_is_open(d))
			continue;
		if (!open++)
			strbuf_addf(out, "\n%sOpen deals%s\n",
				    color(ctx, C_BOLD), color(ctx, C_RESET));
		strbuf_addf(out, "  %s/%s  %s", r->id, crm_map_get_str(d, "id"),
			    crm_map_get_str(d, "title") ?
			    crm_map_get_str(d, "title") : "");
		if (stage)
			strbuf_addf(out, "  [%s]", stage);
		if (value)
			strbuf_addf(out, "  %s%s%s", value, cur ? " " : "",
				    cur ? cur : "");
		if (close)
			strbuf_addf(out, "  close %s", close);
		strbuf_addch(out, '\n');
	}
}

static void show_followups(struct strbuf *out, const struct crm_record *r,
			   struct crm_ctx *ctx)
{
	const struct crm_node *fs = crm_map_get(r->root, "followups");
	size_t i, open = 0;

	for (i = 0; fs && i < fs->nitems; i++) {
		const struct crm_node *f = fs->items[i];
		if (!crm_followup_is_open(f))
			continue;
		if (!open++)
			strbuf_addf(out, "\n%sFollow-ups%s\n",
				    color(ctx, C_BOLD), color(ctx, C_RESET));
		strbuf_addf(out, "  %s/%s  due %s  %s\n", r->id,
			    crm_map_get_str(f, "id"),
			    crm_map_get_str(f, "due") ?
			    crm_map_get_str(f, "due") : "-",
			    crm_map_get_str(f, "text") ?
			    crm_map_get_str(f, "text") : "");
	}
}

static void show_log(struct strbuf *out, const struct crm_record *r,
		     struct crm_ctx *ctx, size_t limit)
{
	const struct crm_node *log = crm_map_get(r->root, "log");
	size_t i, first;

	if (!log || !log->nitems || !limit)
		return;
	first = log->nitems > limit ? log->nitems - limit : 0;
	strbuf_addf(out, "\n%sLog%s", color(ctx, C_BOLD), color(ctx, C_RESET));
	if (first)
		strbuf_addf(out, " (last %zu of %zu)", limit, log->nitems);
	strbuf_addch(out, '\n');
	for (i = first; i < log->nitems; i++) {
		const struct crm_node *e = log->items[i];
		const char *at = crm_map_get_str(e, "at");
		const char *type = crm_map_get_str(e, "type");
		const char *by = crm_map_get_str(e, "by");
		const char *text = crm_map_get_str(e, "text");

		strbuf_addf(out, "  %s%.16s%s  ", color(ctx, C_DIM),
			    at ? at : "", color(ctx, C_RESET));
		pad(out, type ? type : "note", 8);
		strbuf_addstr(out, "  ");
		if (by)
			strbuf_addf(out, "%s: ", by);
		strbuf_addstr(out, text ? text : "");
		strbuf_addch(out, '\n');
	}
}

int cmd_show(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf out = STRBUF_INIT;
	struct crm_record *r = NULL;
	size_t limit = 10;
	int rc;

	rc = cmd_parse(&spec_show, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n != 1) {
		rc = cmd_usage_error(&spec_show, ctx, "give one customer");
		goto done;
	}
	if (log_count) {
		char *end;
		long n = strtol(log_count, &end, 10);

		if (!strcmp(log_count, "all"))
			limit = (size_t)-1;
		else if (*end || end == log_count || n < 0) {
			rc = cmd_usage_error(&spec_show, ctx,
					     "--log '%s' is not a number",
					     log_count);
			goto done;
		} else
			limit = (size_t)n;
	}
	if ((rc = who_load(&r, ctx, args.items[0])))
		goto done;
	if (json) {
		json_node(&out, r->root);
		strbuf_addch(&out, '\n');
	} else {
		show_card(&out, r, ctx);
		show_conflicts(&out, r, ctx);
		show_notes(&out, r, ctx);
		show_deals(&out, r, ctx);
		show_followups(&out, r, ctx);
		show_log(&out, r, ctx, limit);
	}
	rc = flush_stdout(&out);
done:
	crm_record_free(r);
	strlist_release(&args);
	strbuf_release(&out);
	return rc;
}
