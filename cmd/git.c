#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "../lib/util.h"

static const char *const usage[] = {
	"crm git <git-args>...",
	NULL,
};

static const struct cmd_option options[] = {
	OPT_END_MARK,
};

const struct cmd_spec spec_git = { "git", usage, options, NULL, 0 };

/*
 * A passthrough for the user: every argument goes to git unchanged,
 * with the store as git's working directory.  crm itself runs git only
 * for what libgit2 lacks (gc, credential helpers); this is the user's
 * own git.
 */
int cmd_git(int argc, char **argv, struct crm_ctx *ctx)
{
	const char **gargv;
	int i;

	if (!ctx->store) {
		/* only `crm git -h` runs without the store */
		cmd_usage(stdout, &spec_git);
		return 0;
	}
	gargv = xcalloc((size_t)argc + 3, sizeof(*gargv));
	gargv[0] = "git";
	gargv[1] = "-C";
	gargv[2] = crm_store_root(ctx->store);
	for (i = 1; i < argc; i++)
		gargv[i + 2] = argv[i];
	fflush(stdout);
	execvp("git", (char *const *)gargv);
	cmd_error("cannot run git: %s", strerror(errno));
	free(gargv);
	return 1;
}
