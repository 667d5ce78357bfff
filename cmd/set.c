#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/error.h"
#include "../lib/text.h"
#include "../lib/util.h"

static const char *const usage[] = {
	"crm set <who> <key>=<value>... | <key>+=<value>... | <key>-=<value>...",
	NULL,
};

static const struct cmd_option options[] = {
	OPT_END_MARK,
};

static const enum opt_complete args_complete[] = { COMPLETE_CUSTOMER, COMPLETE_FIELD, COMPLETE_NONE };

const struct cmd_spec spec_set = { "set", usage, options, args_complete, 0 };

enum set_op { SET_ASSIGN, SET_APPEND, SET_REMOVE };

struct assignment {
	enum set_op op;
	char *key;		/* canonical: emails, not email */
	const char *value;
};

static int parse_assignment(struct assignment *a, const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t keylen;

	if (!eq || eq == arg) {
		crm_error_set(CRM_EINVALID,
			      "'%s' is not <key>=<value>, <key>+=<value> or "
			      "<key>-=<value>", arg);
		return CRM_EINVALID;
	}
	keylen = (size_t)(eq - arg);
	a->op = SET_ASSIGN;
	if (arg[keylen - 1] == '+' || arg[keylen - 1] == '-') {
		a->op = arg[keylen - 1] == '+' ? SET_APPEND : SET_REMOVE;
		keylen--;
	}
	a->key = xstrndup(arg, keylen);
	a->value = eq + 1;
	if (!crm_field_name_valid(a->key)) {
		crm_error_set(CRM_EINVALID, "'%s' is not a field name "
			      "(lowercase letters, digits, _ and -)", a->key);
		return CRM_EINVALID;
	}
	{
		char *canon = xstrdup(crm_field_canonical(a->key));

		free(a->key);
		a->key = canon;
	}
	if (strchr(a->key, '.')) {
		char *top = xstrndup(a->key, strcspn(a->key, "."));
		int known = crm_field_is_known(top);

		free(top);
		if (known) {
			crm_error_set(CRM_EINVALID, "'%s' cannot hold fields; "
				      "only custom fields nest", a->key);
			return CRM_EINVALID;
		}
	}
	if (!strcmp(a->key, "id") || !strcmp(a->key, "created")) {
		crm_error_set(CRM_EINVALID, "'%s' is kept by crm itself and "
			      "does not change", a->key);
		return CRM_EINVALID;
	}
	if (crm_field_is_managed(a->key)) {
		crm_error_set(CRM_EINVALID,
			      "'%s' is kept by crm itself; use 'crm %s'",
			      a->key,
			      !strcmp(a->key, "deals") ? "deal" :
			      !strcmp(a->key, "followups") ? "followup" :
			      !strcmp(a->key, "log") ? "log" : "edit");
		return CRM_EINVALID;
	}
	return 0;
}

static void put(struct crm_record *r, struct crm_node *parent,
		const char *leaf, struct crm_node *value)
{
	if (parent == r->root)
		crm_record_set_node(r, leaf, value);
	else
		crm_map_set(parent, leaf, value);
}

/* tags=a,b replaces the whole list; an empty list removes the field. */
static int assign_list(struct crm_record *r, struct crm_node *parent,
		       const char *leaf, const char *key, const char *value)
{
	struct crm_node *seq = crm_node_new_seq(1);
	const char *p = value;
	int rc = 0;

	while (*p && !rc) {
		const char *comma = strchr(p, ',');
		char *item = xstrndup(p, comma ? (size_t)(comma - p) : strlen(p));
		char *s = item, *e;

		while (*s == ' ')
			s++;
		e = s + strlen(s);
		while (e > s && e[-1] == ' ')
			*--e = '\0';
		if (*s && !(rc = crm_field_validate(key, s)) &&
		    !crm_list_contains(seq, s))
			crm_seq_append(seq, crm_node_new_str(s));
		free(item);
		p = comma ? comma + 1 : p + strlen(p);
	}
	if (rc || !seq->nitems) {
		crm_node_free(seq);
		if (!rc)
			crm_map_remove(parent, leaf);
		return rc;
	}
	put(r, parent, leaf, seq);
	return 0;
}

static int list_add(struct crm_record *r, struct crm_node *parent,
		    const char *leaf, const char *value)
{
	struct crm_node *seq = crm_map_get(parent, leaf);

	if (!seq) {
		seq = crm_node_new_seq(1);
		put(r, parent, leaf, seq);
	}
	if (!crm_list_contains(seq, value))
		crm_seq_append(seq, crm_node_new_str(value));
	return 0;
}

static int list_remove(struct crm_node *parent, const char *leaf,
		       const char *key, const char *value)
{
	struct crm_node *seq = crm_map_get(parent, leaf);
	size_t i;

	for (i = 0; seq && seq->kind == CRM_NODE_SEQ && i < seq->nitems; i++)
		if (seq->items[i]->str && !strcmp(seq->items[i]->str, value)) {
			crm_seq_remove(seq, i);
			if (!seq->nitems)
				crm_map_remove(parent, leaf);
			return 0;
		}
	crm_error_set(CRM_EINVALID, "%s has no '%s'", key, value);
	return CRM_EINVALID;
}

static int apply(struct crm_record *r, const struct assignment *a)
{
	struct strbuf nfc = STRBUF_INIT;
	struct crm_node *parent, *existing;
	const char *leaf;
	int rc, is_list, removing;

	if ((rc = crm_text_nfc(&nfc, a->value, strlen(a->value))))
		goto done;
	removing = a->op == SET_REMOVE || (a->op == SET_ASSIGN && !nfc.len);
	parent = crm_record_parent(r, a->key, !removing, &leaf);
	if (!parent) {
		if (a->op == SET_ASSIGN && removing)
			goto done;	/* removing what is not there */
		crm_error_set(CRM_EINVALID, "'%s': a part of it is not a map",
			      a->key);
		rc = CRM_EINVALID;
		goto done;
	}
	existing = crm_map_get(parent, leaf);
	is_list = (parent == r->root && crm_field_is_list(leaf)) ||
		  (existing && existing->kind == CRM_NODE_SEQ);
	switch (a->op) {
	case SET_ASSIGN:
		if (!nfc.len && !strcmp(a->key, "name")) {
			crm_error_set(CRM_EINVALID, "a name cannot be empty");
			rc = CRM_EINVALID;
		} else if (!nfc.len) {
			crm_map_remove(parent, leaf);
		} else if (is_list) {
			rc = assign_list(r, parent, leaf, a->key, nfc.buf);
		} else if (!(rc = crm_field_validate(a->key, nfc.buf))) {
			put(r, parent, leaf, crm_node_new_str(nfc.buf));
		}
		break;
	case SET_APPEND:
		if (existing && !is_list) {
			crm_error_set(CRM_EINVALID,
				      "'%s' is not a list; use %s=<value>",
				      a->key, a->key);
			rc = CRM_EINVALID;
		} else if (!(rc = crm_field_validate(a->key, nfc.buf))) {
			rc = list_add(r, parent, leaf, nfc.buf);
		}
		break;
	case SET_REMOVE:
		rc = list_remove(parent, leaf, a->key, nfc.buf);
		break;
	}
done:
	strbuf_release(&nfc);
	return rc;
}

int cmd_set(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf msg = STRBUF_INIT, before = STRBUF_INIT;
	struct assignment *as = NULL;
	struct crm_record *r = NULL;
	struct crm_node *original = NULL;
	size_t i;
	int rc;

	rc = cmd_parse(&spec_set, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n < 2) {
		rc = cmd_usage_error(&spec_set, ctx,
				     "give a customer and at least one "
				     "<key>=<value>");
		goto done;
	}
	as = xcalloc(args.n, sizeof(*as));
	for (i = 1; i < args.n; i++)
		if (parse_assignment(&as[i], args.items[i])) {
			cmd_fail();
			rc = 2;
			goto done;
		}
	if ((rc = who_load(&r, ctx, args.items[0])))
		goto done;
	original = crm_node_dup(r->root);
	for (i = 1; i < args.n; i++)
		if (apply(r, &as[i])) {
			rc = cmd_fail();
			goto done;
		}
	if (crm_node_equal(original, r->root)) {
		fprintf(stderr, "crm: nothing changed\n");
		goto done;
	}
	strbuf_addf(&msg, "crm: set %s", r->id);
	for (i = 1; i < args.n; i++)
		strbuf_addf(&msg, "%s%s", i > 1 ? ", " : " ", as[i].key);
	rc = record_save(ctx, r, msg.buf);
done:
	if (as)
		for (i = 0; i < args.n; i++)
			free(as[i].key);
	free(as);
	crm_node_free(original);
	crm_record_free(r);
	strlist_release(&args);
	strbuf_release(&msg);
	strbuf_release(&before);
	return rc;
}
