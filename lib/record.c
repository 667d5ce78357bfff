#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <unistr.h>

#include "error.h"
#include "record.h"
#include "text.h"
#include "util.h"
#include "yaml.h"

const char *const crm_record_fields[] = {
	"id", "name", "kind", "company", "emails", "phones", "tags", "owner",
	"created", "notes", NULL,
};

/* Kept last, after any custom field, so the card reads first. */
static const char *const trailing_fields[] = {
	"log", "deals", "followups", NULL,
};

static const char *const list_fields[] = { "emails", "phones", "tags", NULL };

static int in_list(const char *const *list, const char *key)
{
	for (; *list; list++)
		if (!strcmp(*list, key))
			return 1;
	return 0;
}

int crm_field_is_list(const char *key)
{
	return in_list(list_fields, key);
}

int crm_field_is_managed(const char *key)
{
	return !strcmp(key, "id") || !strcmp(key, "created") ||
	       in_list(trailing_fields, key);
}

int crm_field_is_known(const char *key)
{
	return in_list(crm_record_fields, key) ||
	       in_list(trailing_fields, key);
}

static long field_rank(const char *key)
{
	long i;

	for (i = 0; crm_record_fields[i]; i++)
		if (!strcmp(crm_record_fields[i], key))
			return i;
	return -1;
}

void crm_record_free(struct crm_record *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->path);
	crm_node_free(r->root);
	free(r);
}

static int fail_at(const char *path, const struct crm_node *n,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail_at(const char *path, const struct crm_node *n,
		   const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	if (n && n->line)
		crm_error_set(CRM_EPARSE, "%s:%zu:%zu: %s", path, n->line,
			      n->column, msg.buf);
	else
		crm_error_set(CRM_EPARSE, "%s: %s", path, msg.buf);
	strbuf_release(&msg);
	return CRM_EPARSE;
}

static int check_scalar(const struct crm_node *map, const char *key,
			const char *path, const char *what)
{
	const struct crm_node *v = crm_map_get(map, key);

	if (v && v->kind != CRM_NODE_SCALAR)
		return fail_at(path, v, "%s%s'%s' must be a single value, "
			       "not a list or map", what ? what : "",
			       what ? " " : "", key);
	return 0;
}

static int check_scalar_list(const struct crm_node *map, const char *key,
			     const char *path)
{
	const struct crm_node *v = crm_map_get(map, key);
	size_t i;

	if (!v)
		return 0;
	if (v->kind != CRM_NODE_SEQ)
		return fail_at(path, v, "'%s' must be a list", key);
	for (i = 0; i < v->nitems; i++)
		if (v->items[i]->kind != CRM_NODE_SCALAR)
			return fail_at(path, v->items[i],
				       "each of '%s' must be a single value",
				       key);
	return 0;
}

/*
 * log, deals and followups are lists of maps whose own known keys are
 * single values; `required` names keys every entry must have.
 */
static int check_entries(const struct crm_node *root, const char *key,
			 const char *const *scalars, const char *required,
			 const char *path)
{
	const struct crm_node *v = crm_map_get(root, key);
	size_t i;
	int rc;

	if (!v)
		return 0;
	if (v->kind != CRM_NODE_SEQ)
		return fail_at(path, v, "'%s' must be a list", key);
	for (i = 0; i < v->nitems; i++) {
		const struct crm_node *e = v->items[i];
		const char *const *s;

		if (e->kind != CRM_NODE_MAP)
			return fail_at(path, e, "each entry of '%s' must be a map",
				       key);
		for (s = scalars; *s; s++)
			if ((rc = check_scalar(e, *s, path, key)))
				return rc;
		if (required && !crm_map_get_str(e, required))
			return fail_at(path, e, "%s entry has no '%s'", key,
				       required);
	}
	return 0;
}

static const char *const log_scalars[] = { "at", "type", "by", "text", NULL };
static const char *const deal_scalars[] = {
	"id", "title", "stage", "value", "currency", "close", "probability",
	"created", "closed", "owner", "stage_since", NULL,
};
static const char *const followup_scalars[] = {
	"id", "due", "text", "done", "every", "owner", "created", "completed",
	"last_done", NULL,
};

int crm_record_check(const struct crm_node *root, const char *id,
		     const char *path)
{
	static const char *const scalars[] = {
		"id", "name", "kind", "company", "owner", "created", "notes",
		NULL,
	};
	const char *const *s;
	const char *v;
	int rc;

	if (root->kind != CRM_NODE_MAP)
		return fail_at(path, root, "%s", "a record must be a map of fields");
	for (s = scalars; *s; s++)
		if ((rc = check_scalar(root, *s, path, NULL)))
			return rc;
	for (s = list_fields; *s; s++)
		if ((rc = check_scalar_list(root, *s, path)))
			return rc;
	if ((rc = check_entries(root, "log", log_scalars, "at", path)) ||
	    (rc = check_entries(root, "deals", deal_scalars, "id", path)) ||
	    (rc = check_entries(root, "followups", followup_scalars, "id",
				path)))
		return rc;

	v = crm_map_get_str(root, "id");
	if (!v)
		return fail_at(path, NULL, "%s", "no 'id' field");
	if (id && strcmp(v, id))
		return fail_at(path, crm_map_get(root, "id"),
			       "id '%s' does not match the file name", v);
	v = crm_map_get_str(root, "name");
	if (!v || !*v)
		return fail_at(path, crm_map_get(root, "name"), "%s",
			       "no 'name' field");
	v = crm_map_get_str(root, "kind");
	if (v && strcmp(v, "person") && strcmp(v, "company"))
		return fail_at(path, crm_map_get(root, "kind"),
			       "kind '%s' is not 'person' or 'company'", v);
	return 0;
}

int crm_record_parse(struct crm_record **out, const char *id,
		     const char *path, const char *buf, size_t len)
{
	struct crm_node *root = NULL;
	struct crm_record *r;
	int rc;

	*out = NULL;
	if ((rc = crm_yaml_parse(&root, buf, len, path)))
		return rc;
	if ((rc = crm_record_check(root, id, path))) {
		crm_node_free(root);
		return rc;
	}
	r = xcalloc(1, sizeof(*r));
	r->root = root;
	r->id = xstrdup(crm_map_get_str(root, "id"));
	r->path = xstrdup(path);
	*out = r;
	return 0;
}

int crm_record_serialize(struct strbuf *out, const struct crm_record *r)
{
	return crm_yaml_emit(out, r->root);
}

struct crm_record *crm_record_new(const char *id, const char *path,
				  const char *name, const char *created)
{
	struct crm_record *r = xcalloc(1, sizeof(*r));

	r->id = xstrdup(id);
	r->path = xstrdup(path);
	r->root = crm_node_new_map();
	crm_record_set(r, "id", id);
	crm_record_set(r, "name", name);
	crm_record_set_node(r, "created", crm_node_new_plain(created));
	return r;
}

const char *crm_record_get(const struct crm_record *r, const char *key)
{
	return crm_map_get_str(r->root, key);
}

/*
 * Where a new key goes: a known field after the last field that comes
 * before it in the canonical order; a custom field before log, deals
 * and followups; those three at the end in their own order.
 */
static size_t insert_position(const struct crm_node *map, const char *key)
{
	size_t i, n = crm_map_len(map), pos = 0;
	long rank = field_rank(key);

	if (rank >= 0) {
		for (i = 0; i < n; i++) {
			long r = field_rank(crm_map_key(map, i));

			if (r >= 0 && r < rank)
				pos = i + 1;
		}
		return pos;
	}
	if (in_list(trailing_fields, key)) {
		const char *const *t;

		pos = n;
		for (t = trailing_fields; *t && strcmp(*t, key); t++)
			;
		/* before any trailing field that comes after this one */
		for (t++; *t; t++) {
			long at = crm_map_find(map, *t);

			if (at >= 0 && (size_t)at < pos)
				pos = (size_t)at;
		}
		return pos;
	}
	for (i = 0; i < n; i++)
		if (in_list(trailing_fields, crm_map_key(map, i)))
			return i;
	return n;
}

void crm_record_set_node(struct crm_record *r, const char *key,
			 struct crm_node *value)
{
	crm_map_set_at(r->root, key, value, insert_position(r->root, key));
}

void crm_record_set(struct crm_record *r, const char *key, const char *value)
{
	crm_record_set_node(r, key, crm_node_new_str(value));
}

int crm_record_unset(struct crm_record *r, const char *key)
{
	return crm_map_remove(r->root, key);
}

struct crm_node *crm_record_list(struct crm_record *r, const char *key)
{
	struct crm_node *seq = crm_map_get(r->root, key);

	if (!seq) {
		seq = crm_node_new_seq(1);
		crm_record_set_node(r, key, seq);
	}
	return seq;
}

int crm_list_contains(const struct crm_node *seq, const char *value)
{
	size_t i;

	if (!seq)
		return 0;
	for (i = 0; i < seq->nitems; i++)
		if (seq->items[i]->str && !strcmp(seq->items[i]->str, value))
			return 1;
	return 0;
}

int crm_record_list_add(struct crm_record *r, const char *key,
			const char *value)
{
	struct crm_node *seq = crm_record_list(r, key);

	if (crm_list_contains(seq, value))
		return 0;
	crm_seq_append(seq, crm_node_new_str(value));
	return 1;
}

int crm_record_list_remove(struct crm_record *r, const char *key,
			   const char *value)
{
	struct crm_node *seq = crm_map_get(r->root, key);
	size_t i;

	if (!seq)
		return 0;
	for (i = 0; i < seq->nitems; i++) {
		if (seq->items[i]->str && !strcmp(seq->items[i]->str, value)) {
			crm_seq_remove(seq, i);
			if (!seq->nitems)
				crm_map_remove(r->root, key);
			return 1;
		}
	}
	return 0;
}

const char *crm_field_canonical(const char *key)
{
	if (!strcmp(key, "email"))
		return "emails";
	if (!strcmp(key, "phone"))
		return "phones";
	if (!strcmp(key, "tag"))
		return "tags";
	return key;
}

int crm_field_name_valid(const char *key)
{
	size_t i, n = strlen(key);

	if (!n || n > 64 || !(key[0] >= 'a' && key[0] <= 'z'))
		return 0;
	for (i = 0; i < n; i++) {
		char c = key[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return 0;
		if (c == '.' && (key[i + 1] == '.' || !key[i + 1]))
			return 0;
	}
	return 1;
}

static int invalid(const char *key, const char *value, const char *why)
{
	crm_error_set(CRM_EINVALID, "%s '%.60s%s' %s", key, value,
		      strlen(value) > 60 ? "..." : "", why);
	return CRM_EINVALID;
}

static int valid_email(const char *v)
{
	const char *at = strchr(v, '@');

	return at && at > v && at[1] && !strchr(at + 1, '@') &&
	       !strpbrk(v, " \t,;<>\"") && strchr(at + 1, '.') &&
	       at[strlen(at) - 1] != '.';
}

static int valid_phone(const char *v)
{
	int digits = 0;

	for (; *v; v++) {
		if (*v >= '0' && *v <= '9')
			digits++;
		else if (!strchr("+-(). /x", *v))
			return 0;
	}
	return digits >= 3;
}

int crm_field_validate(const char *key, const char *value)
{
	int multiline = !strcmp(key, "notes");

	if (crm_yaml_check_text(value, strlen(value), key))
		return invalid(key, "", "is not valid UTF-8 text");
	if (crm_text_has_controls(value, multiline))
		return invalid(key, value, multiline ?
			       "contains control characters" :
			       "contains control or invisible formatting "
			       "characters");
	if (strlen(value) > CRM_FIELD_MAX)
		return invalid(key, value, "is too long");
	if (!strcmp(key, "name")) {
		const char *p = value;

		while (*p == ' ')
			p++;
		if (!*p) {
			crm_error_set(CRM_EINVALID, "a name cannot be empty");
			return CRM_EINVALID;
		}
		if (u8_mbsnlen((const uint8_t *)value, strlen(value)) >
		    CRM_NAME_MAX)
			return invalid(key, value, "is longer than 200 characters");
	} else if (!strcmp(key, "emails")) {
		if (!valid_email(value))
			return invalid("email", value,
				       "is not an email address");
	} else if (!strcmp(key, "phones")) {
		if (!valid_phone(value))
			return invalid("phone", value,
				       "is not a phone number (digits, spaces, "
				       "+ - ( ) . / and x for an extension)");
	} else if (!strcmp(key, "tags")) {
		if (!*value || strpbrk(value, " \t,:") || value[0] == '-' ||
		    value[0] == '+')
			return invalid("tag", value,
				       "is not a tag (no spaces, commas or "
				       "colons; not starting with + or -)");
	} else if (!strcmp(key, "kind")) {
		if (strcmp(value, "person") && strcmp(value, "company"))
			return invalid(key, value,
				       "is not 'person' or 'company'");
	}
	return 0;
}

struct crm_node *crm_record_parent(struct crm_record *r, const char *key,
				   int create, const char **leaf)
{
	struct crm_node *map = r->root;
	const char *dot;

	*leaf = key;
	while ((dot = strchr(*leaf, '.'))) {
		char *part = xstrndup(*leaf, (size_t)(dot - *leaf));
		struct crm_node *next = crm_map_get(map, part);

		if (!next && create) {
			next = crm_node_new_map();
			if (map == r->root)
				crm_record_set_node(r, part, next);
			else
				crm_map_set(map, part, next);
		}
		free(part);
		if (!next || next->kind != CRM_NODE_MAP)
			return NULL;
		map = next;
		*leaf = dot + 1;
	}
	return map;
}

int crm_record_check_values(const struct crm_node *root, const char *path)
{
	static const char *const scalars[] = { "name", "kind", "company",
					       "owner", NULL };
	const char *const *k;
	size_t i;
	int rc;

	for (k = scalars; *k; k++) {
		const char *v = crm_map_get_str(root, *k);

		if (v && (rc = crm_field_validate(*k, v)))
			goto fail;
	}
	for (k = list_fields; *k; k++) {
		const struct crm_node *seq = crm_map_get(root, *k);

		for (i = 0; seq && i < seq->nitems; i++)
			if ((rc = crm_field_validate(*k, seq->items[i]->str)))
				goto fail;
	}
	return 0;
fail:
	crm_error_set(rc, "%s: %s", path, crm_error_last());
	return rc;
}
