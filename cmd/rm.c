#include <stdio.h>

#include "cmd.h"

static const char *const usage[] = {
	"crm rm <who>",
	NULL,
};

static const struct cmd_option options[] = {
	OPT_END_MARK,
};

static const enum opt_complete args_complete[] = { COMPLETE_CUSTOMER, COMPLETE_NONE };

const struct cmd_spec spec_rm = { "rm", usage, options, args_complete, 0 };

int cmd_rm(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf msg = STRBUF_INIT;
	struct crm_record *r = NULL;
	struct crm_change change;
	int rc;

	rc = cmd_parse(&spec_rm, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n != 1) {
		rc = cmd_usage_error(&spec_rm, ctx, "give one customer");
		goto done;
	}
	if ((rc = who_load(&r, ctx, args.items[0])))
		goto done;
	strbuf_addf(&msg, "crm: rm %s", r->id);
	change.path = r->path;
	change.data = NULL;
	change.len = 0;
	if (crm_store_commit(ctx->store, &change, 1, msg.buf)) {
		rc = cmd_fail();
		goto done;
	}
	printf("removed %s (%s); 'crm undo' brings it back\n", r->id,
	       crm_record_get(r, "name"));
done:
	crm_record_free(r);
	strlist_release(&args);
	strbuf_release(&msg);
	return rc;
}
