/*
 * Loading, resolving and saving records for the commands.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/error.h"
#include "../lib/slug.h"
#include "../lib/text.h"
#include "../lib/util.h"

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

static int email_matches(const struct crm_record *r, const char *who)
{
	const struct crm_node *emails = crm_map_get(r->root, "emails");
	size_t i;

	for (i = 0; emails && i < emails->nitems; i++)
		if (emails->items[i]->str &&
		    !ascii_casecmp(emails->items[i]->str, who))
			return 1;
	return 0;
}

static int name_equals(const struct crm_record *r, const char *who)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	const char *name = crm_record_get(r, "name");
	int eq;

	if (!name)
		return 0;
	crm_text_fold(&a, name);
	crm_text_fold(&b, who);
	eq = !strcmp(a.buf, b.buf);
	strbuf_release(&a);
	strbuf_release(&b);
	return eq;
}

static int name_contains(const struct crm_record *r, const char *who)
{
	const char *name = crm_record_get(r, "name");

	return name && crm_text_matches(name, who);
}

/*
 * The tiers of crm(1) WHO, most exact first: the first tier with any
 * match decides, and more than one match there is ambiguous.
 */
enum who_tier { TIER_ID_PREFIX, TIER_EMAIL, TIER_NAME, TIER_NAME_PART,
		TIER_COUNT };

static int tier_matches(enum who_tier t, const struct crm_record *r,
			const char *who)
{
	switch (t) {
	case TIER_ID_PREFIX:
		return starts_with(r->id, who);
	case TIER_EMAIL:
		return email_matches(r, who);
	case TIER_NAME:
		return name_equals(r, who);
	case TIER_NAME_PART:
		return name_contains(r, who);
	default:
		return 0;
	}
}

static void report_ambiguous(const char *who, struct crm_record **m, size_t n)
{
	size_t i;

	cmd_error("'%s' matches %zu customers; say which:", who, n);
	for (i = 0; i < n; i++)
		fprintf(stderr, "  %-24s %s\n", m[i]->id,
			crm_record_get(m[i], "name"));
}

int who_load(struct crm_record **out, struct crm_ctx *ctx, const char *who)
{
	struct strbuf path = STRBUF_INIT;
	struct crm_record **matches = NULL;
	struct catalog cat;
	size_t nmatch = 0, alloc = 0, i;
	int t, rc = 1;

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
	for (i = 0; i < cat.n; i++)
		if (!strcmp(cat.records[i]->id, who)) {
			/* a file placed in another shard by hand */
			*out = cat.records[i];
			cat.records[i] = NULL;
			rc = 0;
			goto done;
		}
	for (t = 0; t < TIER_COUNT && !nmatch; t++)
		for (i = 0; i < cat.n; i++)
			if (tier_matches(t, cat.records[i], who)) {
				ALLOC_GROW(matches, nmatch + 1, alloc);
				matches[nmatch++] = cat.records[i];
			}
	if (!nmatch) {
		cmd_error("no customer matches '%s'", who);
	} else if (nmatch > 1) {
		report_ambiguous(who, matches, nmatch);
	} else {
		for (i = 0; i < cat.n; i++)
			if (cat.records[i] == matches[0])
				cat.records[i] = NULL;
		*out = matches[0];
		rc = 0;
	}
done:
	free(matches);
	for (i = 0; i < cat.n; i++)
		crm_record_free(cat.records[i]);
	free(cat.records);
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
