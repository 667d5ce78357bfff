#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"

static const char *const usage[] = {
	"crm path [--relative] <who>",
	NULL,
};

static int relative;

static const struct cmd_option options[] = {
	{ 0, "relative", OPT_FLAG, &relative, NULL, "print the path inside the store", 0, NULL },
	OPT_END_MARK,
};

static const enum opt_complete args_complete[] = { COMPLETE_CUSTOMER, COMPLETE_NONE };

const struct cmd_spec spec_path = { "path", usage, options, args_complete, 0 };

int cmd_path(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	char *id = NULL, *path = NULL;
	int rc;

	rc = cmd_parse(&spec_path, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n != 1) {
		rc = cmd_usage_error(&spec_path, ctx, "give one customer");
		goto done;
	}
	/* found, not parsed: the path of a broken record is how to fix it */
	if ((rc = who_find(ctx, args.items[0], &id, &path)))
		goto done;
	if (relative)
		printf("%s\n", path);
	else
		printf("%s/%s\n", crm_store_root(ctx->store), path);
done:
	free(id);
	free(path);
	strlist_release(&args);
	return rc;
}
