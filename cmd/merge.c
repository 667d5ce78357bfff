/*
 * crm merge: two customers who are one person become one record, in one
 * commit that crm undo reverts.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../lib/dedupe.h"
#include "../lib/error.h"
#include "../lib/util.h"

static const char *const usage[] = {
	"crm merge [--dry-run] <keep> <other>",
	NULL,
};

static int dry_run;

static const struct cmd_option options[] = {
	{ 'n', "dry-run", OPT_FLAG, &dry_run, NULL, "print the merged record; change nothing", 0, NULL },
	OPT_END_MARK,
};

static const enum opt_complete args_complete[] = { COMPLETE_CUSTOMER,
						    COMPLETE_NONE };

const struct cmd_spec spec_merge = { "merge", usage, options, args_complete,
				     0, NULL };

/* keep's new content and other's removal, as one commit */
static int commit_merge(struct crm_ctx *ctx, const struct crm_record *keep,
			const struct crm_record *other)
{
	struct strbuf data = STRBUF_INIT, msg = STRBUF_INIT;
	struct crm_change changes[2];
	int rc;

	if ((rc = crm_record_serialize(&data, keep)) ||
	    (rc = crm_record_check(keep->root, keep->id, keep->path)))
		goto done;
	changes[0].path = keep->path;
	changes[0].data = data.buf;
	changes[0].len = data.len;
	changes[1].path = other->path;
	changes[1].data = NULL;
	changes[1].len = 0;
	strbuf_addf(&msg, "crm: merge %s into %s", other->id, keep->id);
	rc = crm_store_commit(ctx->store, changes, 2, msg.buf);
done:
	strbuf_release(&data);
	strbuf_release(&msg);
	return rc;
}

int cmd_merge(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct crm_record *keep = NULL, *other = NULL;
	struct strbuf out = STRBUF_INIT;
	size_t noted;
	int rc;

	rc = cmd_parse(&spec_merge, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n != 2) {
		rc = cmd_usage_error(&spec_merge, ctx,
				     "give the customer to keep and the one "
				     "to merge into it");
		goto done;
	}
	if ((rc = who_load(&keep, ctx, args.items[0])) ||
	    (rc = who_load(&other, ctx, args.items[1])))
		goto done;
	if (!strcmp(keep->id, other->id)) {
		cmd_error("'%s' and '%s' are the same customer (%s)",
			  args.items[0], args.items[1], keep->id);
		rc = 1;
		goto done;
	}
	noted = crm_customer_merge(keep, other);
	if (dry_run) {
		if (crm_record_serialize(&out, keep)) {
			rc = cmd_fail();
			goto done;
		}
		rc = flush_stdout(&out);
		fprintf(stderr, "crm: would merge %s into %s and remove %s; "
			"nothing changed (--dry-run)\n", other->id, keep->id,
			other->id);
		goto done;
	}
	if (commit_merge(ctx, keep, other)) {
		rc = cmd_fail();
		goto done;
	}
	printf("merged %s into %s", other->id, keep->id);
	if (noted)
		printf("; %zu differing value%s kept in its notes", noted,
		       noted == 1 ? "" : "s");
	printf("; 'crm undo' splits them again\n");
done:
	crm_record_free(keep);
	crm_record_free(other);
	strlist_release(&args);
	strbuf_release(&out);
	return rc;
}
