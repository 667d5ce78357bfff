#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/clock.h"
#include "../lib/error.h"
#include "../lib/slug.h"
#include "../lib/text.h"
#include "../lib/util.h"

static const char *const usage[] = {
	"crm add [--email <email>]... [--phone <phone>]... [--company <company>] [--tag <tag>]... [--owner <owner>] [--kind <kind>] [--set <key>=<value>]... <name>",
	NULL,
};

static struct strlist emails, phones, tags, sets;
static const char *company, *owner, *kind;

static const struct cmd_option options[] = {
	{ 'e', "email", OPT_LIST, &emails, "<email>", "an email address (repeatable)", 0, NULL },
	{ 'p', "phone", OPT_LIST, &phones, "<phone>", "a phone number (repeatable)", 0, NULL },
	{ 'c', "company", OPT_STRING, &company, "<company>", "the company they work for", 0, NULL },
	{ 't', "tag", OPT_LIST, &tags, "<tag>", "a tag (repeatable)", COMPLETE_TAG, NULL },
	{ 'o', "owner", OPT_STRING, &owner, "<owner>", "who looks after them (default: you)", 0, NULL },
	{ 'k', "kind", OPT_STRING, &kind, "<kind>", "'person' (default) or 'company'", COMPLETE_WORDS, "person company" },
	{ 's', "set", OPT_LIST, &sets, "<key>=<value>", "any other field (repeatable)", COMPLETE_FIELD, NULL },
	OPT_END_MARK,
};

const struct cmd_spec spec_add = { "add", usage, options, NULL, 0 };

/* The first free id for `name`: its slug, then slug-2, slug-3, ... */
static void free_id(struct strbuf *id, struct strbuf *path,
		    struct crm_ctx *ctx, const char *name)
{
	struct strbuf base = STRBUF_INIT;
	int n;

	crm_slug(&base, name);
	for (n = 1;; n++) {
		strbuf_reset(id);
		strbuf_reset(path);
		strbuf_addstr(id, base.buf);
		if (n > 1)
			strbuf_addf(id, "-%d", n);
		crm_store_record_path(path, id->buf);
		if (!crm_store_file_exists(ctx->store, path->buf))
			break;
	}
	strbuf_release(&base);
}

static int add_list(struct crm_record *r, const char *key,
		    const struct strlist *values)
{
	size_t i;
	int rc;

	for (i = 0; i < values->n; i++) {
		if ((rc = crm_field_validate(key, values->items[i])))
			return rc;
		crm_record_list_add(r, key, values->items[i]);
	}
	return 0;
}

static int set_scalar(struct crm_record *r, const char *key, const char *value)
{
	int rc;

	if (!value)
		return 0;
	if ((rc = crm_field_validate(key, value)))
		return rc;
	crm_record_set(r, key, value);
	return 0;
}

static int apply_sets(struct crm_record *r)
{
	size_t i;
	int rc;

	for (i = 0; i < sets.n; i++) {
		const char *eq = strchr(sets.items[i], '=');
		char *key;

		if (!eq) {
			crm_error_set(CRM_EINVALID,
				      "--set '%s' is not <key>=<value>",
				      sets.items[i]);
			return CRM_EINVALID;
		}
		key = xstrndup(sets.items[i], (size_t)(eq - sets.items[i]));
		if (!crm_field_name_valid(key) || crm_field_is_managed(key)) {
			crm_error_set(CRM_EINVALID,
				      "--set: '%s' is not a field you can set",
				      key);
			free(key);
			return CRM_EINVALID;
		}
		if (crm_field_is_list(crm_field_canonical(key)))
			rc = crm_field_validate(crm_field_canonical(key), eq + 1);
		else
			rc = crm_field_validate(key, eq + 1);
		if (!rc && crm_field_is_list(crm_field_canonical(key))) {
			crm_record_list_add(r, crm_field_canonical(key), eq + 1);
		} else if (!rc) {
			/* address.city=Paris nests, as with crm set */
			const char *leaf;
			struct crm_node *parent = crm_record_parent(r, key, 1,
								    &leaf);

			if (!parent) {
				crm_error_set(CRM_EINVALID, "--set: '%s': a part "
					      "of it is not a map", key);
				rc = CRM_EINVALID;
			} else if (parent == r->root) {
				crm_record_set(r, leaf, eq + 1);
			} else {
				crm_map_set(parent, leaf, crm_node_new_str(eq + 1));
			}
		}
		free(key);
		if (rc)
			return rc;
	}
	return 0;
}

int cmd_add(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf name = STRBUF_INIT, id = STRBUF_INIT, path = STRBUF_INIT;
	struct strbuf user = STRBUF_INIT, msg = STRBUF_INIT;
	struct crm_record *r = NULL;
	char created[CRM_MOMENT_MAX];
	time_t now;
	int offset, rc;

	rc = cmd_parse(&spec_add, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n != 1) {
		rc = cmd_usage_error(&spec_add, ctx, args.n ?
				     "give the name as one argument (quote it)" :
				     "a name is required");
		goto done;
	}
	if (crm_field_validate("name", args.items[0]) ||
	    crm_text_nfc(&name, args.items[0], strlen(args.items[0])) ||
	    crm_now(&now, &offset)) {
		rc = cmd_fail();
		goto done;
	}
	free_id(&id, &path, ctx, name.buf);
	crm_format_moment(created, now, offset);
	r = crm_record_new(id.buf, path.buf, name.buf, created);
	if (!owner) {
		crm_store_user(ctx->store, &user);
		owner = user.buf;
	}
	if (set_scalar(r, "kind", kind) ||
	    set_scalar(r, "company", company) ||
	    add_list(r, "emails", &emails) || add_list(r, "phones", &phones) ||
	    add_list(r, "tags", &tags) || set_scalar(r, "owner", owner) ||
	    apply_sets(r)) {
		rc = cmd_fail();
		goto done;
	}
	strbuf_addf(&msg, "crm: add %s", id.buf);
	if ((rc = record_save(ctx, r, msg.buf)))
		goto done;
	printf("%s\n", id.buf);
done:
	crm_record_free(r);
	strlist_release(&args);
	strbuf_release(&name);
	strbuf_release(&id);
	strbuf_release(&path);
	strbuf_release(&user);
	strbuf_release(&msg);
	return rc;
}
