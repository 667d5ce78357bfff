/*
 * Loading, resolving and saving records for the commands.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/config.h"
#include "../lib/entries.h"
#include "../lib/error.h"
#include "../lib/slug.h"
#include "../lib/util.h"
#include "../lib/who.h"

int record_load(struct crm_record **out, struct crm_ctx *ctx, const char *id,
		const char *path)
{
	struct strbuf buf = STRBUF_INIT;
	int rc;

	rc = crm_store_read_file(&buf, ctx->store, path);
	if (!rc)
		rc = crm_record_parse(out, id, path, buf.buf, buf.len);
	strbuf_release(&buf);
	return rc;
}

int catalog_load(struct catalog *cat, struct crm_ctx *ctx)
{
	struct crm_record_refs refs = { NULL, 0, 0 };
	size_t i;
	int rc;

	memset(cat, 0, sizeof(*cat));
	if ((rc = crm_store_list_records(&refs, ctx->store)))
		return rc;
	for (i = 0; i < refs.n; i++) {
		struct crm_record *r;

		if (record_load(&r, ctx, refs.items[i].id, refs.items[i].path)) {
			/* one bad file must not hide every other customer */
			cmd_warn("skipping %s", crm_error_last());
			cat->broken++;
			continue;
		}
		ALLOC_GROW(cat->records, cat->n + 1, cat->alloc);
		cat->records[cat->n++] = r;
	}
	crm_record_refs_release(&refs);
	return 0;
}

void catalog_release(struct catalog *cat)
{
	size_t i;

	for (i = 0; i < cat->n; i++)
		crm_record_free(cat->records[i]);
	free(cat->records);
	memset(cat, 0, sizeof(*cat));
}

static void report_ambiguous(const char *who, struct crm_record *const *rs,
			     const size_t *m, size_t n)
{
	size_t i;

	cmd_error("'%s' matches %zu customers; say which:", who, n);
	for (i = 0; i < n; i++)
		fprintf(stderr, "  %-24s %s\n", rs[m[i]]->id,
			crm_record_get(rs[m[i]], "name"));
}

int who_load(struct crm_record **out, struct crm_ctx *ctx, const char *who)
{
	struct strbuf path = STRBUF_INIT;
	size_t *matches = NULL, nmatch;
	struct catalog cat;
	int rc = 1;

	*out = NULL;
	if (!*who) {
		cmd_error("no customer given");
		return 2;
	}
	/* an exact id needs no scan */
	if (crm_id_valid(who)) {
		crm_store_record_path(&path, who);
		if (crm_store_file_exists(ctx->store, path.buf)) {
			rc = record_load(out, ctx, who, path.buf) ? cmd_fail() : 0;
			strbuf_release(&path);
			return rc;
		}
	}
	strbuf_release(&path);
	if (catalog_load(&cat, ctx))
		return cmd_fail();
	nmatch = crm_who_match(&matches, cat.records, cat.n, who);
	if (!nmatch) {
		cmd_error("no customer matches '%s'", who);
	} else if (nmatch > 1) {
		report_ambiguous(who, cat.records, matches, nmatch);
	} else {
		*out = cat.records[matches[0]];
		cat.records[matches[0]] = NULL;
		rc = 0;
	}
	free(matches);
	catalog_release(&cat);
	return rc;
}

int record_save(struct crm_ctx *ctx, struct crm_record *r, const char *message)
{
	struct strbuf data = STRBUF_INIT;
	struct crm_change change;
	int rc;

	if ((rc = crm_record_serialize(&data, r)))
		goto done;
	/* what crm writes, it must be able to read back */
	if ((rc = crm_record_check(r->root, r->id, r->path)))
		goto done;
	change.path = r->path;
	change.data = data.buf;
	change.len = data.len;
	rc = crm_store_commit(ctx->store, &change, 1, message);
	if (rc == CRM_EUNCHANGED)
		rc = 0;
done:
	strbuf_release(&data);
	return rc ? cmd_fail() : 0;
}

int config_load(struct crm_config *cfg, struct crm_ctx *ctx)
{
	struct strbuf buf = STRBUF_INIT;
	int rc;

	rc = crm_store_read_file(&buf, ctx->store, CRM_CONFIG_FILE);
	if (!rc)
		rc = crm_config_parse(cfg, buf.buf, buf.len, CRM_CONFIG_FILE);
	strbuf_release(&buf);
	return rc ? cmd_fail() : 0;
}

/*
 * "<who>/<ref>" names a deal or follow-up of one customer.  A deal may
 * also be named by its id alone when no other customer has a deal with
 * that id.
 */
int entry_load(struct crm_record **out, struct crm_node **entry,
	       struct crm_ctx *ctx, const char *ref, enum entry_kind kind)
{
	const char *slash = strrchr(ref, '/');
	const char *what = kind == ENTRY_DEAL ? "deal" : "follow-up";
	struct crm_record *r = NULL;
	struct catalog cat;
	size_t *matches = NULL, nmatch = 0, alloc = 0, i;
	char *who;
	int rc;

	*out = NULL;
	*entry = NULL;
	if (slash && slash != ref && slash[1]) {
		who = xstrndup(ref, (size_t)(slash - ref));
		rc = who_load(&r, ctx, who);
		free(who);
		if (rc)
			return rc;
		*entry = kind == ENTRY_DEAL ? crm_deal_find(r, slash + 1) :
			 crm_followup_find(r, slash + 1);
		if (!*entry) {
			cmd_error("%s has no %s '%s'", r->id, what, slash + 1);
			crm_record_free(r);
			return 1;
		}
		*out = r;
		return 0;
	}
	if (kind != ENTRY_DEAL) {
		cmd_error("name a follow-up as <who>/<n>, not '%s'", ref);
		return 2;
	}
	if (catalog_load(&cat, ctx))
		return cmd_fail();
	for (i = 0; i < cat.n; i++)
		if (crm_deal_find_id(cat.records[i], ref)) {
			ALLOC_GROW(matches, nmatch + 1, alloc);
			matches[nmatch++] = i;
		}
	if (nmatch == 1) {
		*out = cat.records[matches[0]];
		cat.records[matches[0]] = NULL;
		*entry = crm_deal_find_id(*out, ref);
		rc = 0;
	} else if (!nmatch) {
		cmd_error("no deal '%s'; name it as <who>/<deal>", ref);
		rc = 1;
	} else {
		cmd_error("deal '%s' is in %zu customers; say which:", ref,
			  nmatch);
		for (i = 0; i < nmatch; i++)
			fprintf(stderr, "  %s/%s\n", cat.records[matches[i]]->id,
				ref);
		rc = 1;
	}
	free(matches);
	catalog_release(&cat);
	return rc;
}
