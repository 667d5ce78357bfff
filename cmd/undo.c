#include <stdio.h>

#include "cmd.h"

static const char *const usage[] = {
	"crm undo",
	NULL,
};

static const struct cmd_option options[] = {
	OPT_END_MARK,
};

const struct cmd_spec spec_undo = { "undo", usage, options, NULL, 0 };

int cmd_undo(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf summary = STRBUF_INIT;
	int rc;

	rc = cmd_parse(&spec_undo, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n) {
		rc = cmd_usage_error(&spec_undo, ctx, "undo takes no arguments");
		goto done;
	}
	if (crm_store_undo(ctx->store, &summary)) {
		rc = cmd_fail();
		goto done;
	}
	printf("undid '%s'\n", summary.buf);
done:
	strlist_release(&args);
	strbuf_release(&summary);
	return rc;
}
