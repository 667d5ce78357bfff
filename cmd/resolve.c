#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/diff.h"
#include "../lib/error.h"
#include "../lib/record.h"
#include "../lib/util.h"

static const char *const usage[] = {
	"crm resolve <who>",
	"crm resolve (--ours | --theirs | --value <value>) <who> <field>",
	NULL,
};

static int ours, theirs;
static const char *value;

static const struct cmd_option options[] = {
	{ 0, "ours", OPT_FLAG, &ours, NULL, "keep the value this store had", 0, NULL },
	{ 0, "theirs", OPT_FLAG, &theirs, NULL, "take the value from the other side", 0, NULL },
	{ 0, "value", OPT_STRING, &value, "<value>", "set the field to <value>", 0, NULL },
	OPT_END_MARK,
};

static const enum opt_complete args_complete[] = { COMPLETE_CUSTOMER,
						    COMPLETE_TEXT, COMPLETE_NONE };

const struct cmd_spec spec_resolve = { "resolve", usage, options,
				       args_complete, 0, NULL };

static void show_conflicts(struct strbuf *out, const struct crm_record *r)
{
	const struct crm_node *c = crm_map_get(r->root, "conflicts");
	size_t i;

	for (i = 0; c && c->kind == CRM_NODE_SEQ && i < c->nitems; i++) {
		const struct crm_node *e = c->items[i];
		const char *deleted = crm_map_get_str(e, "deleted");

		strbuf_addf(out, "%s:\n", crm_map_get_str(e, "field") ?
			    crm_map_get_str(e, "field") : "?");
		strbuf_addstr(out, "  ours:   ");
		if (deleted && !strcmp(deleted, "ours"))
			strbuf_addstr(out, "(deleted)");
		else
			crm_node_inline(out, crm_map_get(e, "ours"));
		strbuf_addstr(out, "\n  theirs: ");
		if (deleted && !strcmp(deleted, "theirs"))
			strbuf_addstr(out, "(deleted)");
		else
			crm_node_inline(out, crm_map_get(e, "theirs"));
		if (crm_map_get(e, "base")) {
			strbuf_addstr(out, "\n  base:   ");
			crm_node_inline(out, crm_map_get(e, "base"));
		}
		strbuf_addch(out, '\n');
	}
}

/*
 * The map holding the field a conflict names, and the key in it:
 * "owner", "address.city", "deals/website.stage", "followups/3.due".
 */
static struct crm_node *locate(struct crm_node *root, const char *field,
			       const char **leaf)
{
	struct crm_node *map = root;
	const char *p = field, *slash = strchr(field, '/'), *dot;

	if (slash) {
		char *list = xstrndup(field, (size_t)(slash - field));
		struct crm_node *seq = crm_map_get(root, list);
		size_t idlen = strcspn(slash + 1, "."), i;

		free(list);
		map = NULL;
		for (i = 0; seq && seq->kind == CRM_NODE_SEQ && i < seq->nitems;
		     i++) {
			const char *id = crm_map_get_str(seq->items[i], "id");

			if (id && strlen(id) == idlen &&
			    !strncmp(id, slash + 1, idlen))
				map = seq->items[i];
		}
		if (!map || !slash[1 + idlen])
			return NULL;
		p = slash + 2 + idlen;
	}
	while ((dot = strchr(p, '.'))) {
		char *part = xstrndup(p, (size_t)(dot - p));
		struct crm_node *next = crm_map_get(map, part);

		if (!next) {
			next = crm_node_new_map();
			crm_map_set(map, part, next);
		}
		free(part);
		if (next->kind != CRM_NODE_MAP)
			return NULL;
		map = next;
		p = dot + 1;
	}
	*leaf = p;
	return map;
}

static int apply(struct crm_record *r, const struct crm_node *entry,
		 const char *field)
{
	const char *deleted = crm_map_get_str(entry, "deleted");
	struct crm_node *map;
	const char *leaf;

	if (ours)
		return 0;	/* the field already holds ours */
	if (!strcmp(field, "(record)")) {
		const struct crm_node *t = crm_map_get(entry, "theirs");
		size_t i;

		if (value || !t || t->kind != CRM_NODE_MAP) {
			crm_error_set(CRM_EINVALID, "(record) takes --ours or "
				      "--theirs");
			return CRM_EINVALID;
		}
		for (i = 0; i < crm_map_len(t); i++)
			if (strcmp(crm_map_key(t, i), "id"))
				crm_record_set_node(r, crm_map_key(t, i),
						    crm_node_dup(crm_map_value(t, i)));
		return 0;
	}
	if (value && (crm_field_is_managed(field) ||
		      (!strchr(field, '/') && crm_field_validate(field, value))))
		return crm_field_is_managed(field) ?
		       (crm_error_set(CRM_EINVALID, "'%s' is kept by crm itself",
				      field), CRM_EINVALID) : CRM_EINVALID;
	map = locate(r->root, field, &leaf);
	if (!map) {
		crm_error_set(CRM_EINVALID, "%s: cannot find '%s' in the record",
			      r->id, field);
		return CRM_EINVALID;
	}
	if (theirs && deleted && !strcmp(deleted, "theirs")) {
		crm_map_remove(map, leaf);
		return 0;
	}
	if (map == r->root)
		crm_record_set_node(r, leaf, value ? crm_node_new_str(value) :
				    crm_node_dup(crm_map_get(entry, "theirs")));
	else
		crm_map_set(map, leaf, value ? crm_node_new_str(value) :
			    crm_node_dup(crm_map_get(entry, "theirs")));
	return 0;
}

int cmd_resolve(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf out = STRBUF_INIT, msg = STRBUF_INIT;
	struct crm_record *r = NULL;
	struct crm_node *conflicts;
	size_t i;
	int rc, choices;

	rc = cmd_parse(&spec_resolve, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	choices = !!ours + !!theirs + !!value;
	if (args.n < 1 || args.n > 2 || (args.n == 2 && choices != 1) ||
	    (args.n == 1 && choices)) {
		rc = cmd_usage_error(&spec_resolve, ctx, args.n == 2 ?
				     "say --ours, --theirs or --value, once" :
				     "give a customer (and a field to resolve)");
		goto done;
	}
	if (args.n == 2 && crm_store_lock(ctx->store)) {
		rc = cmd_fail();
		goto done;
	}
	if ((rc = who_load(&r, ctx, args.items[0])))
		goto done;
	conflicts = crm_map_get(r->root, "conflicts");
	if (args.n == 1) {
		show_conflicts(&out, r);
		rc = flush_stdout(&out);
		goto done;
	}
	for (i = 0; conflicts && conflicts->kind == CRM_NODE_SEQ &&
		    i < conflicts->nitems; i++) {
		const char *f = crm_map_get_str(conflicts->items[i], "field");

		if (f && !strcmp(f, args.items[1]))
			break;
	}
	if (!conflicts || conflicts->kind != CRM_NODE_SEQ ||
	    i == conflicts->nitems) {
		cmd_error("%s has no conflict on '%s'", r->id, args.items[1]);
		rc = 1;
		goto done;
	}
	if (apply(r, conflicts->items[i], args.items[1])) {
		rc = cmd_fail();
		goto done;
	}
	crm_seq_remove(conflicts, i);
	if (!conflicts->nitems)
		crm_record_unset(r, "conflicts");
	strbuf_addf(&msg, "crm: resolve %s %s (%s)", r->id, args.items[1],
		    ours ? "ours" : theirs ? "theirs" : "value");
	rc = record_save(ctx, r, msg.buf);
done:
	crm_record_free(r);
	strlist_release(&args);
	strbuf_release(&out);
	strbuf_release(&msg);
	return rc;
}
