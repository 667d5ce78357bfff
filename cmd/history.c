#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../lib/clock.h"
#include "../lib/diff.h"
#include "../lib/yaml.h"

static const char *const usage[] = {
	"crm history [--json | --format <format>] <who>",
	NULL,
};

static int json;
static const char *format;

static const struct cmd_option options[] = {
	OPT_JSON(json),
	OPT_FORMAT(format),
	OPT_END_MARK,
};

static const enum opt_complete args_complete[] = { COMPLETE_CUSTOMER, COMPLETE_NONE };

const struct cmd_spec spec_history = { "history", usage, options,
				       args_complete, 0 };

struct history_state {
	struct strbuf *out;
	struct crm_ctx *ctx;
	int fmt;
	size_t count;
};

static struct crm_node *parse_version(const char *data, size_t len)
{
	struct crm_node *n = NULL;

	if (data && crm_yaml_parse(&n, data, len, "history"))
		n = NULL;
	return n;
}

static void subject(struct strbuf *out, const char *message)
{
	const char *nl = strchr(message, '\n');

	strbuf_add(out, message, nl ? (size_t)(nl - message) : strlen(message));
}

static void human_entry(struct history_state *st,
			const struct crm_change_info *info,
			const struct crm_record_diff *d)
{
	struct strbuf *out = st->out;
	char when[CRM_MOMENT_MAX];
	size_t i;

	crm_format_moment(when, info->time, info->offset);
	strbuf_addf(out, "%s%.7s%s %.10s %.5s  %s  ",
		    color(st->ctx, C_YELLOW), info->commit,
		    color(st->ctx, C_RESET), when, when + 11, info->author);
	subject(out, info->message);
	strbuf_addch(out, '\n');
	if (!info->old_data || !info->new_data) {
		/* every field of a new or removed record would be noise */
		strbuf_addf(out, "    %s%s%s\n",
			    color(st->ctx, info->old_data ? C_RED : C_GREEN),
			    info->old_data ? "removed" : "created",
			    color(st->ctx, C_RESET));
		return;
	}
	for (i = 0; i < d->n; i++) {
		const struct crm_field_change *c = &d->items[i];

		if (!c->before)
			strbuf_addf(out, "    %s%s: + %s%s\n",
				    color(st->ctx, C_GREEN), c->field,
				    c->after, color(st->ctx, C_RESET));
		else if (!c->after)
			strbuf_addf(out, "    %s%s: - %s%s\n",
				    color(st->ctx, C_RED), c->field,
				    c->before, color(st->ctx, C_RESET));
		else
			strbuf_addf(out, "    %s: %s -> %s\n", c->field,
				    c->before, c->after);
	}
}

static void json_entry(struct history_state *st,
		       const struct crm_change_info *info,
		       const struct crm_record_diff *d)
{
	struct strbuf *out = st->out;
	struct strbuf subj = STRBUF_INIT;
	char when[CRM_MOMENT_MAX];
	size_t i;

	crm_format_moment(when, info->time, info->offset);
	subject(&subj, info->message);
	strbuf_addstr(out, st->count ? ",\n {" : "{");
	strbuf_addf(out, "\"commit\": \"%s\", \"date\": \"%s\", \"author\": ",
		    info->commit, when);
	json_string(out, info->author);
	strbuf_addstr(out, ", \"email\": ");
	json_string(out, info->email);
	strbuf_addstr(out, ", \"subject\": ");
	json_string(out, subj.buf);
	strbuf_addstr(out, ", \"changes\": [");
	for (i = 0; i < d->n; i++) {
		strbuf_addstr(out, i ? ", {\"field\": " : "{\"field\": ");
		json_string(out, d->items[i].field);
		strbuf_addstr(out, ", \"before\": ");
		if (d->items[i].before)
			json_string(out, d->items[i].before);
		else
			strbuf_addstr(out, "null");
		strbuf_addstr(out, ", \"after\": ");
		if (d->items[i].after)
			json_string(out, d->items[i].after);
		else
			strbuf_addstr(out, "null");
		strbuf_addch(out, '}');
	}
	strbuf_addstr(out, "]}");
	strbuf_release(&subj);
}

static void tsv_entry(struct history_state *st,
		      const struct crm_change_info *info)
{
	struct strbuf subj = STRBUF_INIT;
	char when[CRM_MOMENT_MAX];

	crm_format_moment(when, info->time, info->offset);
	subject(&subj, info->message);
	strbuf_addf(st->out, "%s\t%s\t", info->commit, when);
	tsv_cell(st->out, info->author);
	strbuf_addch(st->out, '\t');
	tsv_cell(st->out, subj.buf);
	strbuf_addch(st->out, '\n');
	strbuf_release(&subj);
}

static int on_change(const struct crm_change_info *info, void *data)
{
	struct history_state *st = data;
	struct crm_node *a = parse_version(info->old_data, info->old_len);
	struct crm_node *b = parse_version(info->new_data, info->new_len);
	struct crm_record_diff d = { NULL, 0, 0 };

	crm_record_diff(&d, a, b);
	if (st->fmt == FORMAT_JSON)
		json_entry(st, info, &d);
	else if (st->fmt == FORMAT_TSV)
		tsv_entry(st, info);
	else
		human_entry(st, info, &d);
	st->count++;
	crm_record_diff_release(&d);
	crm_node_free(a);
	crm_node_free(b);
	return 0;
}

int cmd_history(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf out = STRBUF_INIT;
	struct crm_record *r = NULL;
	struct history_state st;
	int rc;

	rc = cmd_parse(&spec_history, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n != 1) {
		rc = cmd_usage_error(&spec_history, ctx, "give one customer");
		goto done;
	}
	memset(&st, 0, sizeof(st));
	st.out = &out;
	st.ctx = ctx;
	if ((st.fmt = cmd_output_format(json, format)) < 0) {
		rc = 2;
		goto done;
	}
	if ((rc = who_load(&r, ctx, args.items[0])))
		goto done;
	if (st.fmt == FORMAT_JSON)
		strbuf_addch(&out, '[');
	else if (st.fmt == FORMAT_TSV)
		strbuf_addstr(&out, "commit\tdate\tauthor\tsubject\n");
	if (crm_store_history(ctx->store, r->path, on_change, &st)) {
		rc = cmd_fail();
		goto done;
	}
	if (st.fmt == FORMAT_JSON)
		strbuf_addstr(&out, "]\n");
	rc = flush_stdout(&out);
done:
	crm_record_free(r);
	strlist_release(&args);
	strbuf_release(&out);
	return rc;
}
