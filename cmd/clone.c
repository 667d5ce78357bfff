#include <stdio.h>

#include "cmd.h"
#include "../lib/sync.h"

static const char *const usage[] = {
	"crm clone <url> [<dir>]",
	NULL,
};

static const struct cmd_option options[] = {
	OPT_END_MARK,
};

static const enum opt_complete args_complete[] = { COMPLETE_TEXT, COMPLETE_DIR,
						    COMPLETE_NONE };

const struct cmd_spec spec_clone = { "clone", usage, options, args_complete,
				     0, NULL };

int cmd_clone(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct crm_store *store = NULL;
	int rc;

	rc = cmd_parse(&spec_clone, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n < 1 || args.n > 2) {
		rc = cmd_usage_error(&spec_clone, ctx,
				     "give the url of a store (and a directory)");
		goto done;
	}
	if (crm_store_clone(&store, args.items[0],
			    args.n == 2 ? args.items[1] : ctx->store_dir)) {
		rc = cmd_fail();
		goto done;
	}
	printf("Cloned %s into %s\n", args.items[0], crm_store_root(store));
done:
	crm_store_free(store);
	strlist_release(&args);
	return rc;
}
