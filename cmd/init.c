#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../lib/error.h"
#include "../lib/sync.h"

static const char *const usage[] = {
	"crm init [--remote <url>] [<dir>]",
	NULL,
};

static const char *remote;

static const struct cmd_option options[] = {
	{ 0, "remote", OPT_STRING, &remote, "<url>", "the git remote to share the store through (origin)", 0, NULL },
	OPT_END_MARK,
};

static const enum opt_complete args_complete[] = { COMPLETE_DIR, COMPLETE_NONE };

const struct cmd_spec spec_init = { "init", usage, options, args_complete, 0 };

static const char default_config[] =
	"# crm store settings, shared by everyone who uses this store.\n"
	"#\n"
	"# stages: the pipeline, in order, each with the default probability\n"
	"# (percent) that a deal at that stage is won.  A deal moved to 'won'\n"
	"# or 'lost' is closed.\n"
	"stages:\n"
	"- name: lead\n"
	"  probability: 10\n"
	"- name: qualified\n"
	"  probability: 25\n"
	"- name: proposal\n"
	"  probability: 50\n"
	"- name: negotiation\n"
	"  probability: 75\n"
	"- name: won\n"
	"  probability: 100\n"
	"- name: lost\n"
	"  probability: 0\n"
	"# currency: the default for deals that name none (ISO 4217 code)\n"
	"currency: EUR\n"
	"# stale_days: a customer with no logged interaction for longer is\n"
	"# stale (crm report stale)\n"
	"stale_days: 30\n";

static const char default_attributes[] =
	"# Customer records merge field by field (crm-merge-driver(1)).\n"
	"customers/**/*.yml merge=crm\n";

int cmd_init(int argc, char **argv, struct crm_ctx *ctx)
{
	static const char *const files[][2] = {
		{ CRM_CONFIG_FILE, default_config },
		{ ".gitattributes", default_attributes },
	};
	struct strlist args = { NULL, 0, 0 };
	struct crm_store *store = NULL;
	const char *dir;
	int rc;

	rc = cmd_parse(&spec_init, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n > 1) {
		rc = cmd_usage_error(&spec_init, ctx, "too many arguments");
		goto done;
	}
	dir = args.n ? args.items[0] : ctx->store_dir;
	if (remote && (!*remote || strpbrk(remote, " \t\n\r"))) {
		rc = cmd_usage_error(&spec_init, ctx,
				     "--remote '%s' is not a url", remote);
		goto done;
	}
	if (crm_store_init(&store, dir, files, 2, "crm: init") ||
	    crm_store_setup_merge_driver(store) ||
	    (remote && crm_store_add_remote(store, "origin", remote))) {
		rc = cmd_fail();
		goto done;
	}
	printf("Initialized a crm store in %s\n", crm_store_root(store));
	if (remote)
		printf("Its remote is %s: 'crm sync' shares it\n", remote);
done:
	crm_store_free(store);
	strlist_release(&args);
	return rc;
}
