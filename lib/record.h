#ifndef CRM_RECORD_H
#define CRM_RECORD_H

#include "node.h"
#include "strbuf.h"

/*
 * A customer record: one YAML file, kept as an ordered node tree so that
 * fields crm does not know survive every change untouched.
 */
struct crm_record {
	char *id;
	char *path;		/* relative to the store root */
	struct crm_node *root;	/* always a map */
};

/* The canonical order of the fields crm knows (crm-record(5)). */
extern const char *const crm_record_fields[];

/*
 * Parse `buf` (read from `path`) as the record `id`, and check it
 * against the schema.  Errors name the path, line and column.
 */
int crm_record_parse(struct crm_record **out, const char *id,
		     const char *path, const char *buf, size_t len);
/* Check a node tree against the record schema. */
int crm_record_check(const struct crm_node *root, const char *id,
		     const char *path);
int crm_record_serialize(struct strbuf *out, const struct crm_record *r);
void crm_record_free(struct crm_record *r);

/* A new record with `id`, `name` and `created` set. */
struct crm_record *crm_record_new(const char *id, const char *path,
				  const char *name, const char *created);

const char *crm_record_get(const struct crm_record *r, const char *key);
/* Set a top-level field, keeping the canonical place of known keys. */
void crm_record_set_node(struct crm_record *r, const char *key,
			 struct crm_node *value);
void crm_record_set(struct crm_record *r, const char *key, const char *value);
int crm_record_unset(struct crm_record *r, const char *key);

/* List fields (emails, phones, tags). */
int crm_field_is_list(const char *key);
struct crm_node *crm_record_list(struct crm_record *r, const char *key);
/* Add `value` unless present; returns 1 if added. */
int crm_record_list_add(struct crm_record *r, const char *key,
			const char *value);
/* Remove `value`; returns 1 if it was there. */
int crm_record_list_remove(struct crm_record *r, const char *key,
			   const char *value);
int crm_list_contains(const struct crm_node *seq, const char *value);

/* Whether `key` is one crm manages itself (not settable by `crm set`). */
int crm_field_is_managed(const char *key);
int crm_field_is_known(const char *key);

#endif

/*
 * The map that holds `key` ("address.city" -> the `address` map), with
 * the last part in `leaf`; missing maps are made when `create`.  NULL if
 * a part of the path is not a map.
 */
struct crm_node *crm_record_parent(struct crm_record *r, const char *key,
				   int create, const char **leaf);

/* Limits on what a user can type into one field. */
#define CRM_NAME_MAX 200	/* characters */
#define CRM_FIELD_MAX 65536	/* bytes, for notes and custom text */

/*
 * Check a value a user gives for `key` (after NFC): a one-line field
 * without control characters, an email or phone that looks like one, a
 * tag without spaces.  The error names the field.
 */
int crm_field_validate(const char *key, const char *value);
/*
 * The values of the known fields pass crm_field_validate (an email
 * looks like one ...): stricter than crm_record_check, for what a user
 * hands crm to store (crm edit, crm import), not for reading.
 */
int crm_record_check_values(const struct crm_node *root, const char *path);
/* Whether `key` may be a custom field name: [a-z][a-z0-9_-]* (dots nest). */
int crm_field_name_valid(const char *key);
/* "email" -> "emails", "tag" -> "tags", "phone" -> "phones". */
const char *crm_field_canonical(const char *key);
