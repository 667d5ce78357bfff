#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/error.h"
#include "../lib/forget.h"
#include "../lib/pool.h"
#include "../lib/util.h"

static const char *const usage[] = {
	"crm forget [--purge-history] <who>",
	NULL,
};

static int purge;

static const struct cmd_option options[] = {
	{ 0, "purge-history", OPT_FLAG, &purge, NULL, "also rewrite the local history so no commit holds the data", 0, NULL },
	OPT_END_MARK,
};

static const enum opt_complete args_complete[] = { COMPLETE_CUSTOMER,
						    COMPLETE_NONE };

const struct cmd_spec spec_forget = { "forget", usage, options, args_complete,
				      0, NULL };

struct others {
	const char *self;
	struct crm_pool pool;
	const char **ids, **paths;
	size_t n, alloc;
};

static int collect(const char *id, const char *path,
		   const struct crm_node *summary, void *data)
{
	struct others *o = data;

	(void)summary;
	if (!strcmp(id, o->self))
		return 0;
	ALLOC_GROW(o->ids, o->n + 1, o->alloc);
	o->paths = xrealloc(o->paths, o->alloc * sizeof(*o->paths));
	o->ids[o->n] = crm_pool_strdup(&o->pool, id);
	o->paths[o->n++] = crm_pool_strdup(&o->pool, path);
	return 0;
}

static void list_secrets(struct crm_secrets *s, const struct crm_record *r)
{
	static const char *const lists[] = { "emails", "phones" };
	size_t i, j;

	crm_secrets_add(s, crm_record_get(r, "name"));
	crm_secrets_add(s, r->id);
	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		const struct crm_node *seq = crm_map_get(r->root, lists[i]);

		for (j = 0; seq && seq->kind == CRM_NODE_SEQ && j < seq->nitems; j++)
			crm_secrets_add(s, seq->items[j]->str);
	}
}

/* Every name, email and phone the record ever had, from its history. */
static int past_secrets(const struct crm_change_info *info, void *data)
{
	struct crm_secrets *s = data;
	struct crm_record *r = NULL;

	if (info->new_data &&
	    !crm_record_parse(&r, NULL, "history", info->new_data,
			      info->new_len))
		list_secrets(s, r);
	crm_error_clear();
	crm_record_free(r);
	return 0;
}

int cmd_forget(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct crm_secrets secrets = { NULL, 0, 0 };
	struct strbuf *data = NULL, report = STRBUF_INIT;
	struct crm_change *changes = NULL;
	struct crm_record *r = NULL;
	struct others o;
	size_t i, n = 0, scrubbed = 0;
	int held_gc = 0, rc;

	memset(&o, 0, sizeof(o));
	rc = cmd_parse(&spec_forget, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n != 1) {
		rc = cmd_usage_error(&spec_forget, ctx, "give one customer");
		goto done;
	}
	if (crm_store_lock(ctx->store)) {
		rc = cmd_fail();
		goto done;
	}
	/* before the first change: a gc may be packing the old history */
	if (purge) {
		if (crm_store_hold_gc_lock(ctx->store)) {
			rc = cmd_fail();
			goto done;
		}
		held_gc = 1;
	}
	if ((rc = who_load(&r, ctx, args.items[0])))
		goto done;
	list_secrets(&secrets, r);
	if (crm_store_history(ctx->store, r->path, past_secrets, &secrets)) {
		rc = cmd_fail();
		goto done;
	}
	o.self = r->id;
	if (records_each(ctx, NULL, collect, &o)) {
		rc = cmd_fail();
		goto done;
	}
	changes = xcalloc(o.n + 1, sizeof(*changes));
	data = xcalloc(o.n + 1, sizeof(*data));
	changes[n++].path = r->path;	/* removed: data NULL */
	/* the log of other customers is where a person is mentioned */
	for (i = 0; i < o.n; i++) {
		struct strbuf raw = STRBUF_INIT;
		struct crm_record *other = NULL;

		if (crm_store_read_file(&raw, ctx->store, o.paths[i]) ||
		    !crm_secrets_in(&secrets, raw.buf, raw.len)) {
			strbuf_release(&raw);
			continue;
		}
		if (crm_record_parse(&other, o.ids[i], o.paths[i], raw.buf,
				     raw.len)) {
			cmd_warn("not scrubbed: %s", crm_error_last());
			strbuf_release(&raw);
			continue;
		}
		crm_scrub_node(other->root, &secrets);
		strbuf_init(&data[n]);
		crm_record_serialize(&data[n], other);
		changes[n].path = o.paths[i];
		changes[n].data = data[n].buf;
		changes[n].len = data[n].len;
		n++;
		scrubbed++;
		crm_record_free(other);
		strbuf_release(&raw);
	}
	/* the message names nobody: history is what we are cleaning */
	if (crm_store_commit(ctx->store, changes, n, "crm: forget a customer")) {
		rc = cmd_fail();
		goto done;
	}
	printf("forgot %s: the record is removed and %zu other record%s "
	       "scrubbed\n", r->id, scrubbed, scrubbed == 1 ? "" : "s");
	if (!purge) {
		printf("the history still holds the data; 'crm forget "
		       "--purge-history' rewrites it\n");
		goto done;
	}
	if (crm_store_purge_history(ctx->store, r->path, &secrets, &report)) {
		rc = cmd_fail();
		goto done;
	}
	fputs(report.buf, stdout);
	fprintf(stderr, "crm: warning: only this store's history was "
		"rewritten.  Every clone, the remote and any backup still "
		"hold the data: force-push ('crm git push --force origin "
		"main'), have every teammate clone the store again, and "
		"purge the backups.\n");
done:
	if (held_gc)
		crm_store_drop_gc_lock(ctx->store);
	for (i = 0; data && i < n; i++)
		strbuf_release(&data[i]);
	free(data);
	free(changes);
	free(o.ids);
	free(o.paths);
	crm_pool_release(&o.pool);
	crm_secrets_release(&secrets);
	crm_record_free(r);
	strlist_release(&args);
	strbuf_release(&report);
	return rc;
}
