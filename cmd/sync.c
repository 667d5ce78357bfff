#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../lib/sync.h"

static const char *const usage[] = {
	"crm sync [--remote <remote>] [--dry-run]",
	NULL,
};

static const char *remote;
static int dry_run;

static const struct cmd_option options[] = {
	{ 'r', "remote", OPT_STRING, &remote, "<remote>", "the git remote to sync with (default: origin)", 0, NULL },
	{ 'n', "dry-run", OPT_FLAG, &dry_run, NULL, "show what would come in and go out; change nothing", 0, NULL },
	OPT_END_MARK,
};

const struct cmd_spec spec_sync = { "sync", usage, options, NULL, 0, NULL };

static void list(struct strbuf *out, const char *what,
		 const struct crm_sync_list *l)
{
	size_t i;

	if (!l->n)
		return;
	strbuf_addf(out, "  %s (%zu):", what, l->n);
	for (i = 0; i < l->n && i < 20; i++)
		strbuf_addf(out, " %s", l->items[i]);
	if (l->n > 20)
		strbuf_addf(out, " ... and %zu more", l->n - 20);
	strbuf_addch(out, '\n');
}

static void report(struct strbuf *out, const struct crm_sync_report *r,
		   struct crm_ctx *ctx)
{
	size_t i, in = r->in_added.n + r->in_changed.n + r->in_removed.n;
	size_t sent = r->out_added.n + r->out_changed.n + r->out_removed.n;
	const char *rname = remote ? remote : "origin";

	if (r->up_to_date) {
		strbuf_addf(out, "up to date with %s\n", rname);
		return;
	}
	strbuf_addf(out, "%s %s: %zu customer%s in, %zu out%s\n",
		    dry_run ? "would sync with" : "synced with", rname, in,
		    in == 1 ? "" : "s", sent,
		    r->fast_forward ? " (fast-forward)" : "");
	list(out, "in, added", &r->in_added);
	list(out, "in, changed", &r->in_changed);
	list(out, "in, removed", &r->in_removed);
	list(out, "out, added", &r->out_added);
	list(out, "out, changed", &r->out_changed);
	list(out, "out, removed", &r->out_removed);
	list(out, "merged", &r->merged);
	for (i = 0; i < r->notes.n; i++)
		strbuf_addf(out, "  %s%s%s\n", color(ctx, C_YELLOW),
			    r->notes.items[i], color(ctx, C_RESET));
	if (r->conflicts)
		strbuf_addf(out, "%s%zu conflict%s: both sides kept (crm list "
			    "has:conflicts; crm resolve)%s\n",
			    color(ctx, C_RED), r->conflicts,
			    r->conflicts == 1 ? "" : "s", color(ctx, C_RESET));
	if (dry_run)
		strbuf_addstr(out, "nothing changed (--dry-run)\n");
}

int cmd_sync(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf out = STRBUF_INIT;
	struct crm_sync_report rep;
	int rc;

	memset(&rep, 0, sizeof(rep));
	rc = cmd_parse(&spec_sync, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n) {
		rc = cmd_usage_error(&spec_sync, ctx, "sync takes no arguments");
		goto done;
	}
	if (crm_store_lock(ctx->store) ||
	    crm_store_sync(ctx->store, remote, dry_run, &rep)) {
		rc = cmd_fail();
		goto done;
	}
	report(&out, &rep, ctx);
	rc = flush_stdout(&out);
done:
	crm_sync_report_release(&rep);
	strlist_release(&args);
	strbuf_release(&out);
	return rc;
}
