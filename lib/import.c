/*
 * From the rows of a contacts export to customer records.  See
 * import.h for what is recognised and why.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "csv.h"
#include "error.h"
#include "export.h"
#include "import.h"
#include "record.h"
#include "slug.h"
#include "text.h"
#include "util.h"
#include "yaml.h"

#define FIELD_NAME_MAX 64	/* crm_field_name_valid's limit */

struct known_name {
	const char *key;	/* as made by header_key */
	enum crm_import_role role;
	const char *field;	/* CRM_IMPORT_CUSTOM: the field */
	int rank;		/* of two columns for one field, the lower wins */
};

static const struct known_name known_names[] = {
	{ "name", CRM_IMPORT_NAME, NULL, 0 },
	{ "full name", CRM_IMPORT_NAME, NULL, 0 },
	{ "fullname", CRM_IMPORT_NAME, NULL, 0 },
	{ "display name", CRM_IMPORT_NAME, NULL, 1 },
	{ "contact name", CRM_IMPORT_NAME, NULL, 1 },

	{ "first name", CRM_IMPORT_FIRST, NULL, 0 },
	{ "firstname", CRM_IMPORT_FIRST, NULL, 0 },
	{ "first", CRM_IMPORT_FIRST, NULL, 0 },
	{ "given name", CRM_IMPORT_FIRST, NULL, 0 },
	{ "givenname", CRM_IMPORT_FIRST, NULL, 0 },
	{ "forename", CRM_IMPORT_FIRST, NULL, 0 },
	{ "prenom", CRM_IMPORT_FIRST, NULL, 0 },
	{ "vorname", CRM_IMPORT_FIRST, NULL, 0 },
	{ "nombre", CRM_IMPORT_FIRST, NULL, 0 },

	{ "middle name", CRM_IMPORT_MIDDLE, NULL, 0 },
	{ "middlename", CRM_IMPORT_MIDDLE, NULL, 0 },
	{ "middle", CRM_IMPORT_MIDDLE, NULL, 0 },
	{ "additional name", CRM_IMPORT_MIDDLE, NULL, 0 },
	{ "additional names", CRM_IMPORT_MIDDLE, NULL, 0 },

	{ "last name", CRM_IMPORT_LAST, NULL, 0 },
	{ "lastname", CRM_IMPORT_LAST, NULL, 0 },
	{ "last", CRM_IMPORT_LAST, NULL, 0 },
	{ "surname", CRM_IMPORT_LAST, NULL, 0 },
	{ "family name", CRM_IMPORT_LAST, NULL, 0 },
	{ "familyname", CRM_IMPORT_LAST, NULL, 0 },
	{ "nom", CRM_IMPORT_LAST, NULL, 0 },
	{ "nom de famille", CRM_IMPORT_LAST, NULL, 0 },
	{ "nachname", CRM_IMPORT_LAST, NULL, 0 },
	{ "apellido", CRM_IMPORT_LAST, NULL, 0 },
	{ "apellidos", CRM_IMPORT_LAST, NULL, 0 },

	{ "email", CRM_IMPORT_EMAILS, NULL, 0 },
	{ "emails", CRM_IMPORT_EMAILS, NULL, 0 },
	{ "email address", CRM_IMPORT_EMAILS, NULL, 0 },
	{ "email addresses", CRM_IMPORT_EMAILS, NULL, 0 },
	{ "emailaddress", CRM_IMPORT_EMAILS, NULL, 0 },
	{ "mail", CRM_IMPORT_EMAILS, NULL, 0 },
	{ "primary email", CRM_IMPORT_EMAILS, NULL, 0 },
	{ "work email", CRM_IMPORT_EMAILS, NULL, 0 },
	{ "personal email", CRM_IMPORT_EMAILS, NULL, 0 },
	{ "other email", CRM_IMPORT_EMAILS, NULL, 0 },
	{ "courriel", CRM_IMPORT_EMAILS, NULL, 0 },
	{ "adresse email", CRM_IMPORT_EMAILS, NULL, 0 },
	{ "emailadresse", CRM_IMPORT_EMAILS, NULL, 0 },
	{ "correo", CRM_IMPORT_EMAILS, NULL, 0 },
	{ "correo electronico", CRM_IMPORT_EMAILS, NULL, 0 },

	{ "phone", CRM_IMPORT_PHONES, NULL, 0 },
	{ "phones", CRM_IMPORT_PHONES, NULL, 0 },
	{ "phone number", CRM_IMPORT_PHONES, NULL, 0 },
	{ "phone numbers", CRM_IMPORT_PHONES, NULL, 0 },
	{ "phonenumber", CRM_IMPORT_PHONES, NULL, 0 },
	{ "telephone", CRM_IMPORT_PHONES, NULL, 0 },
	{ "telephone number", CRM_IMPORT_PHONES, NULL, 0 },
	{ "tel", CRM_IMPORT_PHONES, NULL, 0 },
	{ "mobile", CRM_IMPORT_PHONES, NULL, 0 },
	{ "mobile phone", CRM_IMPORT_PHONES, NULL, 0 },
	{ "mobile phone number", CRM_IMPORT_PHONES, NULL, 0 },
	{ "mobile number", CRM_IMPORT_PHONES, NULL, 0 },
	{ "cell", CRM_IMPORT_PHONES, NULL, 0 },
	{ "cell phone", CRM_IMPORT_PHONES, NULL, 0 },
	{ "cellphone", CRM_IMPORT_PHONES, NULL, 0 },
	{ "work phone", CRM_IMPORT_PHONES, NULL, 0 },
	{ "home phone", CRM_IMPORT_PHONES, NULL, 0 },
	{ "business phone", CRM_IMPORT_PHONES, NULL, 0 },
	{ "primary phone", CRM_IMPORT_PHONES, NULL, 0 },
	{ "other phone", CRM_IMPORT_PHONES, NULL, 0 },
	{ "car phone", CRM_IMPORT_PHONES, NULL, 0 },
	{ "company main phone", CRM_IMPORT_PHONES, NULL, 0 },
	{ "telefon", CRM_IMPORT_PHONES, NULL, 0 },
	{ "telefono", CRM_IMPORT_PHONES, NULL, 0 },
	{ "portable", CRM_IMPORT_PHONES, NULL, 0 },
	{ "handy", CRM_IMPORT_PHONES, NULL, 0 },
	{ "mobil", CRM_IMPORT_PHONES, NULL, 0 },
	{ "mobiltelefon", CRM_IMPORT_PHONES, NULL, 0 },

	{ "company", CRM_IMPORT_COMPANY, NULL, 0 },
	{ "company name", CRM_IMPORT_COMPANY, NULL, 0 },
	{ "companyname", CRM_IMPORT_COMPANY, NULL, 0 },
	{ "org", CRM_IMPORT_COMPANY, NULL, 0 },
	{ "organization", CRM_IMPORT_COMPANY, NULL, 0 },
	{ "organisation", CRM_IMPORT_COMPANY, NULL, 0 },
	{ "organization name", CRM_IMPORT_COMPANY, NULL, 0 },
	{ "organisation name", CRM_IMPORT_COMPANY, NULL, 0 },
	{ "account name", CRM_IMPORT_COMPANY, NULL, 0 },
	{ "firma", CRM_IMPORT_COMPANY, NULL, 0 },
	{ "societe", CRM_IMPORT_COMPANY, NULL, 0 },
	{ "entreprise", CRM_IMPORT_COMPANY, NULL, 0 },
	{ "empresa", CRM_IMPORT_COMPANY, NULL, 0 },
	{ "unternehmen", CRM_IMPORT_COMPANY, NULL, 0 },
	{ "employer", CRM_IMPORT_COMPANY, NULL, 1 },
	{ "associated company", CRM_IMPORT_COMPANY, NULL, 1 },

	{ "job title", CRM_IMPORT_CUSTOM, "title", 0 },
	{ "jobtitle", CRM_IMPORT_CUSTOM, "title", 0 },
	{ "title", CRM_IMPORT_CUSTOM, "title", 0 },
	{ "position", CRM_IMPORT_CUSTOM, "title", 0 },
	{ "organization title", CRM_IMPORT_CUSTOM, "title", 0 },
	{ "organisation title", CRM_IMPORT_CUSTOM, "title", 0 },
	{ "organization department", CRM_IMPORT_CUSTOM, "department", 0 },
	{ "department", CRM_IMPORT_CUSTOM, "department", 0 },
	{ "name prefix", CRM_IMPORT_CUSTOM, "name_prefix", 0 },
	{ "name suffix", CRM_IMPORT_CUSTOM, "name_suffix", 0 },
	{ "suffix", CRM_IMPORT_CUSTOM, "name_suffix", 0 },
	{ "nickname", CRM_IMPORT_CUSTOM, "nickname", 0 },
	{ "birthday", CRM_IMPORT_CUSTOM, "birthday", 0 },
	{ "url", CRM_IMPORT_CUSTOM, "url", 0 },
	{ "web page", CRM_IMPORT_CUSTOM, "website", 0 },
	{ "website", CRM_IMPORT_CUSTOM, "website", 0 },
	{ "connected on", CRM_IMPORT_CUSTOM, "connected_on", 0 },
	{ "lifecycle stage", CRM_IMPORT_CUSTOM, "lifecycle_stage", 0 },
	{ "lead status", CRM_IMPORT_CUSTOM, "lead_status", 0 },

	{ "tags", CRM_IMPORT_TAGS, NULL, 0 },
	{ "tag", CRM_IMPORT_TAGS, NULL, 0 },
	{ "labels", CRM_IMPORT_GROUPS, NULL, 0 },
	{ "group membership", CRM_IMPORT_GROUPS, NULL, 0 },
	{ "groups", CRM_IMPORT_GROUPS, NULL, 0 },
	{ "categories", CRM_IMPORT_GROUPS, NULL, 0 },
	{ "category", CRM_IMPORT_GROUPS, NULL, 0 },

	{ "owner", CRM_IMPORT_OWNER, NULL, 0 },
	{ "contact owner", CRM_IMPORT_OWNER, NULL, 0 },
	{ "account owner", CRM_IMPORT_OWNER, NULL, 0 },
	{ "lead owner", CRM_IMPORT_OWNER, NULL, 0 },
	{ "record owner", CRM_IMPORT_OWNER, NULL, 0 },

	{ "notes", CRM_IMPORT_NOTES, NULL, 0 },
	{ "note", CRM_IMPORT_NOTES, NULL, 0 },
	{ "comments", CRM_IMPORT_NOTES, NULL, 0 },
	{ "comment", CRM_IMPORT_NOTES, NULL, 0 },
	{ "notizen", CRM_IMPORT_NOTES, NULL, 0 },
	{ "notiz", CRM_IMPORT_NOTES, NULL, 0 },
	{ "bemerkungen", CRM_IMPORT_NOTES, NULL, 0 },
	{ "remarques", CRM_IMPORT_NOTES, NULL, 0 },
	{ "notas", CRM_IMPORT_NOTES, NULL, 0 },

	{ "kind", CRM_IMPORT_KIND, NULL, 0 },

	/* labels of a value, and what points at Google's servers */
	{ "email type", CRM_IMPORT_SKIP, NULL, 0 },
	{ "email display name", CRM_IMPORT_SKIP, NULL, 0 },
	{ "photo", CRM_IMPORT_SKIP, NULL, 0 },
};

/* Fields crm manages: never filled from someone else's column. */
static const char *const managed_fields[] = {
	"id", "created", "log", "deals", "followups",
};

static int is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int all_digits(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return len > 0;
}

/* The comparable form of a header: see import.h. */
static void header_key(struct strbuf *out, const char *header)
{
	struct strbuf folded = STRBUF_INIT;
	size_t i;
	int sep = 0;

	crm_text_fold(&folded, header);
	for (i = 0; i < folded.len; i++) {
		char c = folded.buf[i];

		if (is_alnum(c)) {
			if (sep && out->len)
				strbuf_addch(out, ' ');
			sep = 0;
			strbuf_addch(out, c);
		} else if ((c == '-' || c == '\'') && i > 0 &&
			   is_alnum(folded.buf[i - 1]) && i + 1 < folded.len &&
			   is_alnum(folded.buf[i + 1])) {
			continue;	/* "E-mail", "Manager's": one word */
		} else {
			sep = 1;
		}
	}
	strbuf_release(&folded);
}

/*
 * "email 2 address" -> base "email", number 2, rest "address": the
 * numbered columns of Google ("Phone 3 - Value") and Outlook ("E-mail 2
 * Address", "Business Phone 2").
 */
static int split_numbered(const char *key, struct strbuf *base,
			  unsigned long *n, struct strbuf *rest)
{
	const char *p = strchr(key, ' ');

	while (p) {
		const char *word = p + 1, *end = strchr(word, ' ');
		size_t len = end ? (size_t)(end - word) : strlen(word);

		if (all_digits(word, len) && len <= 4) {
			strbuf_add(base, key, (size_t)(p - key));
			*n = strtoul(word, NULL, 10);
			if (end)
				strbuf_addstr(rest, end + 1);
			return 1;
		}
		p = end;
	}
	return 0;
}

static const struct known_name *lookup(const char *key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(known_names); i++)
		if (!strcmp(known_names[i].key, key))
			return &known_names[i];
	return NULL;
}

/* A field name from a header key: words joined with '_'. */
static void key_to_field(struct strbuf *out, const char *key, size_t col)
{
	struct strbuf base = STRBUF_INIT, rest = STRBUF_INIT;
	struct strbuf words = STRBUF_INIT;
	unsigned long n = 0;
	size_t i;

	if (split_numbered(key, &base, &n, &rest)) {
		/* "Website 1 - Value" is the website; "User 1" keeps its 1 */
		strbuf_addstr(&words, base.buf);
		if (n != 1 || !rest.len)
			strbuf_addf(&words, " %lu", n);
		if (rest.len && strcmp(rest.buf, "value"))
			strbuf_addf(&words, " %s", rest.buf);
	} else {
		strbuf_addstr(&words, key);
	}
	if (words.len && words.buf[0] >= '0' && words.buf[0] <= '9')
		strbuf_addstr(out, "f_");
	for (i = 0; i < words.len; i++)
		strbuf_addch(out, words.buf[i] == ' ' ? '_' : words.buf[i]);
	if (out->len > FIELD_NAME_MAX) {
		strbuf_setlen(out, FIELD_NAME_MAX);
		while (out->len && out->buf[out->len - 1] == '_')
			strbuf_setlen(out, out->len - 1);
	}
	if (!out->len)
		strbuf_addf(out, "column_%zu", col + 1);
	strbuf_release(&base);
	strbuf_release(&rest);
	strbuf_release(&words);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* The key of an "Address N - Part" column in the address map. */
static const char *address_part(const char *rest)
{
	static const char *const parts[][2] = {
		{ "street", "street" }, { "city", "city" },
		{ "po box", "po_box" }, { "region", "region" },
		{ "postal code", "postal_code" }, { "country", "country" },
		{ "extended address", "extended" },
		{ "formatted", "formatted" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(parts); i++)
		if (!strcmp(parts[i][0], rest))
			return parts[i][1];
	return NULL;
}

static void words_to_field(struct strbuf *out, const char *words)
{
	for (; *words; words++)
		strbuf_addch(out, *words == ' ' ? '_' : *words);
}

/* What an unmapped column of a file that is not crm's own export is. */
static void recognise(struct crm_import_column *col, int *rank,
		      const char *key, size_t index,
		      enum crm_import_layout layout, int has_job_title)
{
	struct strbuf base = STRBUF_INIT, rest = STRBUF_INIT;
	struct strbuf field = STRBUF_INIT;
	const struct known_name *k;
	unsigned long n = 0;

	col->role = CRM_IMPORT_CUSTOM;
	*rank = 0;
	if (layout == CRM_LAYOUT_HUBSPOT && !strcmp(key, "record id")) {
		strbuf_addstr(&field, "hubspot_id");
		goto done;
	}
	/* Outlook: "Title" is Mr or Dr when "Job Title" is the job */
	if (has_job_title && !strcmp(key, "title")) {
		strbuf_addstr(&field, "name_prefix");
		goto done;
	}
	if ((k = lookup(key))) {
		col->role = k->role;
		*rank = k->rank;
		if (k->field)
			strbuf_addstr(&field, k->field);
		goto done;
	}
	if (split_numbered(key, &base, &n, &rest)) {
		const char *b = base.buf, *r = rest.buf;
		int label = !strcmp(r, "type") || !strcmp(r, "label") ||
			    !strcmp(r, "display name");

		if (!strcmp(b, "email") && (!*r || !strcmp(r, "value") ||
					    !strcmp(r, "address"))) {
			col->role = CRM_IMPORT_EMAILS;
			goto done;
		}
		if ((!strcmp(b, "phone") && (!*r || !strcmp(r, "value"))) ||
		    (!*r && ends_with(b, " phone"))) {
			col->role = CRM_IMPORT_PHONES;
			goto done;
		}
		if ((!strcmp(b, "organization") ||
		     !strcmp(b, "organisation")) && n == 1) {
			if (!strcmp(r, "name")) {
				col->role = CRM_IMPORT_COMPANY;
				goto done;
			}
			if (!strcmp(r, "title") || !strcmp(r, "department")) {
				strbuf_addstr(&field, *r == 't' ? "title" :
					      "department");
				goto done;
			}
		}
		if (!strcmp(b, "address") && !label) {
			const char *part = address_part(r);

			if (n == 1)
				strbuf_addstr(&field, "address.");
			else
				strbuf_addf(&field, "address_%lu.", n);
			if (part)
				strbuf_addstr(&field, part);
			else if (*r)
				words_to_field(&field, r);
			else
				strbuf_addstr(&field, "value");
			goto done;
		}
		if (label && strcmp(b, "custom field")) {
			col->role = CRM_IMPORT_SKIP;
			goto done;
		}
	}
	key_to_field(&field, key, index);
done:
	if (col->role == CRM_IMPORT_CUSTOM)
		col->field = strbuf_detach(&field, NULL);
	strbuf_release(&field);
	strbuf_release(&base);
	strbuf_release(&rest);
}

int crm_import_header_known(const char *cell)
{
	struct strbuf key = STRBUF_INIT, base = STRBUF_INIT;
	struct strbuf rest = STRBUF_INIT;
	unsigned long n;
	int known;

	header_key(&key, cell);
	known = lookup(key.buf) != NULL;
	if (!known && split_numbered(key.buf, &base, &n, &rest))
		known = !strcmp(base.buf, "email") ||
			!strcmp(base.buf, "phone") ||
			!strcmp(base.buf, "organization") ||
			!strcmp(base.buf, "address") ||
			ends_with(base.buf, " phone");
	strbuf_release(&key);
	strbuf_release(&base);
	strbuf_release(&rest);
	return known;
}

static int has_key(const struct strbuf *keys, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(keys[i].buf, key))
			return 1;
	return 0;
}

static int has_cell(const char *const *header, size_t n, const char *cell)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (header[i] && !strcmp(header[i], cell))
			return 1;
	return 0;
}

static enum crm_import_layout detect_layout(const char *const *header,
					    const struct strbuf *keys,
					    size_t n)
{
	struct strbuf base = STRBUF_INIT, rest = STRBUF_INIT;
	int labels = 0, types = 0;
	unsigned long num;
	size_t i;

	if (n && header[0] && !strcmp(header[0], "id") &&
	    has_cell(header, n, "name") && has_cell(header, n, "created"))
		return CRM_LAYOUT_CRM;
	if (has_key(keys, n, "connected on"))
		return CRM_LAYOUT_LINKEDIN;
	if (has_key(keys, n, "record id") &&
	    (has_key(keys, n, "contact owner") ||
	     has_key(keys, n, "lifecycle stage") ||
	     has_key(keys, n, "lead status") ||
	     has_key(keys, n, "create date")))
		return CRM_LAYOUT_HUBSPOT;
	/* before Google's: Outlook has "E-mail 2 Type" too */
	if (has_key(keys, n, "email address") &&
	    (has_key(keys, n, "email display name") ||
	     has_key(keys, n, "email 2 address") ||
	     has_key(keys, n, "job title") ||
	     has_key(keys, n, "business phone") ||
	     has_key(keys, n, "mobile phone") ||
	     has_key(keys, n, "categories")))
		return CRM_LAYOUT_OUTLOOK;
	for (i = 0; i < n; i++) {
		strbuf_reset(&base);
		strbuf_reset(&rest);
		if (!split_numbered(keys[i].buf, &base, &num, &rest))
			continue;
		if (!strcmp(rest.buf, "label"))
			labels = 1;
		if (!strcmp(rest.buf, "type") && (!strcmp(base.buf, "email") ||
						  !strcmp(base.buf, "phone")))
			types = 1;
	}
	strbuf_release(&base);
	strbuf_release(&rest);
	if ((has_key(keys, n, "given name") && has_key(keys, n, "family name")) ||
	    has_key(keys, n, "group membership") || types)
		return CRM_LAYOUT_GOOGLE_OLD;
	if (labels || has_key(keys, n, "file as") ||
	    (has_key(keys, n, "labels") && has_key(keys, n, "first name")))
		return CRM_LAYOUT_GOOGLE;
	return CRM_LAYOUT_PLAIN;
}

/* A column of crm's own export: the field it names. */
static void crm_column(struct crm_import_column *col, const char *key,
		       size_t index)
{
	static const struct {
		const char *name;
		enum crm_import_role role;
	} fields[] = {
		{ "id", CRM_IMPORT_ID }, { "name", CRM_IMPORT_NAME },
		{ "kind", CRM_IMPORT_KIND }, { "company", CRM_IMPORT_COMPANY },
		{ "emails", CRM_IMPORT_EMAILS }, { "phones", CRM_IMPORT_PHONES },
		{ "tags", CRM_IMPORT_TAGS }, { "owner", CRM_IMPORT_OWNER },
		{ "created", CRM_IMPORT_CREATED }, { "notes", CRM_IMPORT_NOTES },
	};
	struct strbuf field = STRBUF_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		if (!strcmp(col->header, fields[i].name)) {
			col->role = fields[i].role;
			return;
		}
	}
	col->role = CRM_IMPORT_CUSTOM;
	if (crm_field_name_valid(col->header) &&
	    !crm_field_is_known(col->header))
		strbuf_addstr(&field, col->header);
	else
		key_to_field(&field, key, index);
	col->field = strbuf_detach(&field, NULL);
}

static void trim(struct strbuf *sb)
{
	size_t start = 0;

	while (start < sb->len && strchr(" \t\r\n", sb->buf[start]))
		start++;
	while (sb->len > start && strchr(" \t\r\n", sb->buf[sb->len - 1]))
		strbuf_setlen(sb, sb->len - 1);
	if (start) {
		memmove(sb->buf, sb->buf + start, sb->len - start);
		strbuf_setlen(sb, sb->len - start);
	}
}

static int is_scalar_role(enum crm_import_role role)
{
	switch (role) {
	case CRM_IMPORT_NAME:
	case CRM_IMPORT_FIRST:
	case CRM_IMPORT_MIDDLE:
	case CRM_IMPORT_LAST:
	case CRM_IMPORT_KIND:
	case CRM_IMPORT_COMPANY:
	case CRM_IMPORT_OWNER:
	case CRM_IMPORT_NOTES:
	case CRM_IMPORT_ID:
	case CRM_IMPORT_CREATED:
		return 1;
	default:
		return 0;
	}
}

static int is_managed(const char *field)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(managed_fields); i++)
		if (!strcmp(managed_fields[i], field))
			return 1;
	return 0;
}

static int map_target(enum crm_import_role *role, const char *field)
{
	static const struct {
		const char *name;
		enum crm_import_role role;
	} targets[] = {
		{ "-", CRM_IMPORT_SKIP }, { "name", CRM_IMPORT_NAME },
		{ "name.first", CRM_IMPORT_FIRST },
		{ "name.middle", CRM_IMPORT_MIDDLE },
		{ "name.last", CRM_IMPORT_LAST }, { "kind", CRM_IMPORT_KIND },
		{ "company", CRM_IMPORT_COMPANY },
		{ "emails", CRM_IMPORT_EMAILS }, { "phones", CRM_IMPORT_PHONES },
		{ "tags", CRM_IMPORT_TAGS }, { "owner", CRM_IMPORT_OWNER },
		{ "notes", CRM_IMPORT_NOTES },
	};
	const char *canonical = crm_field_canonical(field);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(targets); i++) {
		if (!strcmp(targets[i].name, canonical)) {
			*role = targets[i].role;
			return 0;
		}
	}
	*role = CRM_IMPORT_CUSTOM;
	if (is_managed(field))
		return -1;
	return crm_field_name_valid(field) ? 0 : -2;
}

static int apply_map(struct crm_import_plan *plan, const struct strbuf *keys,
		     const char *map)
{
	struct strbuf column = STRBUF_INIT, field = STRBUF_INIT;
	struct strbuf key = STRBUF_INIT, header = STRBUF_INIT;
	struct crm_import_column *col;
	enum crm_import_role role;
	const char *eq = strrchr(map, '=');
	long found = -1;
	size_t i;
	int rc = 0, why;

	if (eq) {
		strbuf_add(&column, map, (size_t)(eq - map));
		strbuf_addstr(&field, eq + 1);
		trim(&column);
		trim(&field);
	}
	if (!column.len || !field.len) {
		crm_error_set(CRM_EINVALID, "--map '%s': write it as "
			      "column=field", map);
		rc = CRM_EINVALID;
		goto done;
	}
	for (i = 0; i < plan->ncols && found < 0; i++) {
		strbuf_reset(&header);
		strbuf_addstr(&header, plan->columns[i].header);
		trim(&header);
		if (!ascii_casecmp(header.buf, column.buf))
			found = (long)i;
	}
	header_key(&key, column.buf);
	for (i = 0; i < plan->ncols && found < 0 && key.len; i++)
		if (!strcmp(keys[i].buf, key.buf))
			found = (long)i;
	if (found < 0) {
		crm_error_set(CRM_EINVALID, "--map '%s': the file has no column "
			      "'%s'", map, column.buf);
		rc = CRM_EINVALID;
		goto done;
	}
	if ((why = map_target(&role, field.buf))) {
		if (why == -1)
			crm_error_set(CRM_EINVALID, "--map '%s': crm sets '%s' "
				      "itself", map, field.buf);
		else
			crm_error_set(CRM_EINVALID, "--map '%s': '%s' is not a "
				      "field name (lowercase letters, digits, "
				      "'_' and '-', starting with a letter)",
				      map, field.buf);
		rc = CRM_EINVALID;
		goto done;
	}
	col = &plan->columns[found];
	if (col->mapped) {
		crm_error_set(CRM_EINVALID, "--map '%s': column '%s' is mapped "
			      "twice", map, col->header);
		rc = CRM_EINVALID;
		goto done;
	}
	for (i = 0; i < plan->ncols; i++) {
		const struct crm_import_column *other = &plan->columns[i];

		if (!other->mapped || other->role != role)
			continue;
		if (is_scalar_role(role) || (role == CRM_IMPORT_CUSTOM &&
					     !strcmp(other->field, field.buf))) {
			crm_error_set(CRM_EINVALID, "--map '%s': '%s' already "
				      "comes from column '%s'", map, field.buf,
				      other->header);
			rc = CRM_EINVALID;
			goto done;
		}
	}
	col->mapped = 1;
	col->role = role;
	if (role == CRM_IMPORT_CUSTOM)
		col->field = strbuf_detach(&field, NULL);
done:
	strbuf_release(&column);
	strbuf_release(&field);
	strbuf_release(&key);
	strbuf_release(&header);
	return rc;
}

/*
 * One column per single-value field: a --map wins, then the better
 * rank, then the first column; the others become custom fields.
 */
static void resolve_scalars(struct crm_import_plan *plan, const int *ranks,
			    const struct strbuf *keys)
{
	size_t i, j;

	for (i = 0; i < plan->ncols; i++) {
		struct crm_import_column *win = &plan->columns[i];
		size_t w = i;

		if (!is_scalar_role(win->role))
			continue;
		for (j = 0; j < plan->ncols; j++) {
			struct crm_import_column *c = &plan->columns[j];

			if (c->role != win->role || c == win || win->mapped)
				continue;
			if (c->mapped || ranks[j] < ranks[w]) {
				win = c;
				w = j;
			}
		}
		for (j = 0; j < plan->ncols; j++) {
			struct crm_import_column *c = &plan->columns[j];
			struct strbuf field = STRBUF_INIT;

			if (c->role != win->role || c == win)
				continue;
			key_to_field(&field, keys[j].buf, j);
			c->fallback = c->role;
			c->role = CRM_IMPORT_CUSTOM;
			c->field = strbuf_detach(&field, NULL);
		}
	}
}

static int field_taken(const struct crm_import_plan *plan, size_t upto,
		       const char *field)
{
	size_t i;

	for (i = 0; i < plan->ncols; i++) {
		const struct crm_import_column *c = &plan->columns[i];

		if (i != upto && c->role == CRM_IMPORT_CUSTOM && c->field &&
		    (c->mapped || i < upto) && !strcmp(c->field, field))
			return 1;
	}
	return 0;
}

/*
 * Custom field names unique and free: a managed name gets "csv_", a
 * known one or one already taken "_2", "_3" ...; a nested "p.q" whose
 * "p" is another column's plain field is flattened to "p_q".
 */
static void resolve_fields(struct crm_import_plan *plan)
{
	size_t i, j;

	for (i = 0; i < plan->ncols; i++) {
		struct crm_import_column *c = &plan->columns[i];
		char *dot;

		if (c->role != CRM_IMPORT_CUSTOM || !(dot = strchr(c->field, '.')))
			continue;
		for (j = 0; j < plan->ncols; j++) {
			const struct crm_import_column *o = &plan->columns[j];

			if (o->role == CRM_IMPORT_CUSTOM &&
			    strlen(o->field) == (size_t)(dot - c->field) &&
			    !strncmp(o->field, c->field, (size_t)(dot - c->field)))
				*dot = '_';
		}
	}
	for (i = 0; i < plan->ncols; i++) {
		struct crm_import_column *c = &plan->columns[i];
		struct strbuf name = STRBUF_INIT;
		char *dot;
		size_t base, n = 2;

		if (c->role != CRM_IMPORT_CUSTOM || c->mapped)
			continue;
		dot = strchr(c->field, '.');
		strbuf_add(&name, c->field,
			   dot ? (size_t)(dot - c->field) : strlen(c->field));
		if (is_managed(name.buf))
			strbuf_insertstr(&name, 0, "csv_");
		if (name.len > FIELD_NAME_MAX - 4)
			strbuf_setlen(&name, FIELD_NAME_MAX - 4);
		base = name.len;
		if (dot)
			strbuf_addstr(&name, dot);
		while (crm_field_is_known(name.buf) ||
		       strcmp(crm_field_canonical(name.buf), name.buf) ||
		       field_taken(plan, i, name.buf)) {
			struct strbuf next = STRBUF_INIT;

			strbuf_add(&next, name.buf, base);
			strbuf_addf(&next, "_%zu", n++);
			if (dot)
				strbuf_addstr(&next, dot);
			strbuf_release(&name);
			name = next;
		}
		free(c->field);
		c->field = strbuf_detach(&name, NULL);
	}
}

int crm_import_plan(struct crm_import_plan *out, const char *const *header,
		    size_t ncols, const char *const *maps, size_t nmaps)
{
	struct strbuf *keys = NULL;
	int *ranks = NULL;
	int has_job_title, rc = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->columns = xcalloc(ncols ? ncols : 1, sizeof(*out->columns));
	out->ncols = ncols;
	keys = xcalloc(ncols ? ncols : 1, sizeof(*keys));
	ranks = xcalloc(ncols ? ncols : 1, sizeof(*ranks));
	for (i = 0; i < ncols; i++) {
		strbuf_init(&keys[i]);
		out->columns[i].header = xstrdup(header[i] ? header[i] : "");
		header_key(&keys[i], out->columns[i].header);
	}
	out->layout = detect_layout(header, keys, ncols);
	for (i = 0; i < nmaps; i++)
		if ((rc = apply_map(out, keys, maps[i])))
			goto done;
	has_job_title = has_key(keys, ncols, "job title") ||
			has_key(keys, ncols, "jobtitle");
	for (i = 0; i < ncols; i++) {
		struct crm_import_column *c = &out->columns[i];

		if (c->mapped)
			continue;
		if (out->layout == CRM_LAYOUT_CRM)
			crm_column(c, keys[i].buf, i);
		else
			recognise(c, &ranks[i], keys[i].buf, i, out->layout,
				  has_job_title);
	}
	resolve_scalars(out, ranks, keys);
	resolve_fields(out);
done:
	for (i = 0; i < ncols; i++)
		strbuf_release(&keys[i]);
	free(keys);
	free(ranks);
	if (rc)
		crm_import_plan_release(out);
	return rc;
}

void crm_import_plan_release(struct crm_import_plan *plan)
{
	size_t i;

	if (!plan)
		return;
	for (i = 0; i < plan->ncols; i++) {
		free(plan->columns[i].header);
		free(plan->columns[i].field);
	}
	free(plan->columns);
	memset(plan, 0, sizeof(*plan));
}

const char *crm_import_layout_name(enum crm_import_layout layout)
{
	switch (layout) {
	case CRM_LAYOUT_CRM:
		return "crm";
	case CRM_LAYOUT_GOOGLE:
		return "Google Contacts";
	case CRM_LAYOUT_GOOGLE_OLD:
		return "Google Contacts (older layout)";
	case CRM_LAYOUT_OUTLOOK:
		return "Outlook";
	case CRM_LAYOUT_LINKEDIN:
		return "LinkedIn";
	case CRM_LAYOUT_HUBSPOT:
		return "HubSpot";
	case CRM_LAYOUT_PLAIN:
		break;
	}
	return "plain";
}

const char *crm_import_column_target(const struct crm_import_column *col)
{
	switch (col->role) {
	case CRM_IMPORT_SKIP:
		return "-";
	case CRM_IMPORT_NAME:
		return "name";
	case CRM_IMPORT_FIRST:
		return "name (first)";
	case CRM_IMPORT_MIDDLE:
		return "name (middle)";
	case CRM_IMPORT_LAST:
		return "name (last)";
	case CRM_IMPORT_KIND:
		return "kind";
	case CRM_IMPORT_COMPANY:
		return "company";
	case CRM_IMPORT_EMAILS:
		return "emails";
	case CRM_IMPORT_PHONES:
		return "phones";
	case CRM_IMPORT_TAGS:
	case CRM_IMPORT_GROUPS:
		return "tags";
	case CRM_IMPORT_OWNER:
		return "owner";
	case CRM_IMPORT_NOTES:
		return "notes";
	case CRM_IMPORT_CUSTOM:
		return col->field;
	case CRM_IMPORT_ID:
		return "id";
	case CRM_IMPORT_CREATED:
		return "created";
	}
	return "-";
}

/* ---- one row ---- */

struct pieces {
	char **v;
	size_t n, alloc;
};

static void pieces_release(struct pieces *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/*
 * Split `s` at any byte of `seps`, trimming each piece and leaving out
 * empty ones.  ":::" (Google's separator of several values in a cell)
 * splits too when '\n' is one of `seps`.
 */
static void split(struct pieces *out, const char *s, const char *seps)
{
	struct strbuf buf = STRBUF_INIT, piece = STRBUF_INIT;
	size_t i, start = 0;

	while (*s) {
		if (!strncmp(s, ":::", 3) && strchr(seps, '\n')) {
			strbuf_addch(&buf, '\n');
			s += 3;
		} else {
			strbuf_addch(&buf, *s++);
		}
	}
	for (i = 0; i <= buf.len; i++) {
		if (i < buf.len && !strchr(seps, buf.buf[i]))
			continue;
		strbuf_reset(&piece);
		strbuf_add(&piece, buf.buf + start, i - start);
		trim(&piece);
		if (piece.len) {
			ALLOC_GROW(out->v, out->n + 1, out->alloc);
			out->v[out->n++] = strbuf_detach(&piece, NULL);
		}
		start = i + 1;
	}
	strbuf_release(&buf);
	strbuf_release(&piece);
}

static int list_has(const struct crm_node *seq, const char *key,
		    const char *value)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	size_t i;
	int found = 0;

	if (!seq || seq->kind != CRM_NODE_SEQ)
		return 0;
	if (!strcmp(key, "phones"))
		crm_import_phone_key(&a, value);
	for (i = 0; i < seq->nitems && !found; i++) {
		const char *item = crm_node_str(seq->items[i]);

		if (!item)
			continue;
		if (!strcmp(key, "emails")) {
			found = !ascii_casecmp(item, value);
		} else if (!strcmp(key, "phones") && a.len) {
			strbuf_reset(&b);
			crm_import_phone_key(&b, item);
			found = !strcmp(a.buf, b.buf) || !strcmp(item, value);
		} else {
			found = !strcmp(item, value);
		}
	}
	strbuf_release(&a);
	strbuf_release(&b);
	return found;
}

/* Validate `value` as an entry of list `key` and add it unless there. */
static int list_add(struct crm_record *rec, const char *key,
		    const char *value)
{
	int rc;

	if ((rc = crm_field_validate(key, value)))
		return rc;
	if (!list_has(crm_map_get(rec->root, key), key, value))
		crm_seq_append(crm_record_list(rec, key),
			       crm_node_new_str(value));
	return 0;
}

int crm_import_list_add(struct crm_node *record, const char *key,
			const char *value)
{
	struct crm_record rec = { NULL, NULL, record };

	return list_add(&rec, key, value);
}

static int add_emails(struct crm_record *rec, const char *v)
{
	struct pieces p = { NULL, 0, 0 }, words = { NULL, 0, 0 };
	size_t i, j;
	int rc = 0;

	split(&p, v, ",;\n");
	for (i = 0; i < p.n && !rc; i++) {
		char *lt = strchr(p.v[i], '<'), *gt = strrchr(p.v[i], '>');

		/* "Jane Doe <jane@example.com>", as mail programs write */
		if (lt && gt > lt) {
			*gt = '\0';
			split(&words, lt + 1, " \t");
		} else {
			split(&words, p.v[i], " \t");
		}
		for (j = 0; j < words.n && !rc; j++)
			rc = list_add(rec, "emails", words.v[j]);
		pieces_release(&words);
	}
	pieces_release(&p);
	return rc;
}

/* "ext. 12", "Ext 12" -> "x 12": the extension mark crm accepts. */
static void phone_extension(struct strbuf *out, const char *s)
{
	while (*s) {
		if (!strncasecmp(s, "ext", 3) && out->len &&
		    strchr(" 0123456789", out->buf[out->len - 1])) {
			strbuf_addch(out, 'x');
			s += 3;
			if (*s == '.')
				s++;
		} else {
			strbuf_addch(out, *s++);
		}
	}
}

static int add_phones(struct crm_record *rec, const char *v)
{
	struct pieces p = { NULL, 0, 0 };
	struct strbuf phone = STRBUF_INIT;
	size_t i;
	int rc = 0;

	split(&p, v, ",;\n");
	for (i = 0; i < p.n && !rc; i++) {
		strbuf_reset(&phone);
		phone_extension(&phone, p.v[i]);
		rc = list_add(rec, "phones", phone.buf);
	}
	strbuf_release(&phone);
	pieces_release(&p);
	return rc;
}

void crm_import_tag_slug(struct strbuf *out, const char *s)
{
	int pending = 0;

	for (; *s; s++) {
		char c = *s;

		if (strchr(" \t\n,:;/\\|", c)) {
			pending = out->len > 0;
			continue;
		}
		if (pending)
			strbuf_addch(out, '-');
		pending = 0;
		if (c == '-' && !out->len)
			continue;
		if (c == '+' && !out->len)
			continue;
		strbuf_addch(out, c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	while (out->len && out->buf[out->len - 1] == '-')
		strbuf_setlen(out, out->len - 1);
}

/* Google's own groups: every contact is in them. */
static int system_group(const char *label)
{
	struct strbuf key = STRBUF_INIT;
	int system;

	header_key(&key, label);
	system = !strcmp(key.buf, "mycontacts") ||
		 !strcmp(key.buf, "my contacts") ||
		 !strcmp(key.buf, "other contacts") ||
		 !strcmp(key.buf, "othercontacts");
	strbuf_release(&key);
	return system;
}

static int add_tags(struct crm_record *rec, const char *v, int exact,
		    int groups)
{
	struct pieces p = { NULL, 0, 0 };
	struct strbuf tag = STRBUF_INIT;
	size_t i;
	int rc = 0;

	split(&p, v, exact ? "," : groups ? ",;\n" : ",; \t\n");
	for (i = 0; i < p.n && !rc; i++) {
		const char *label = p.v[i];

		strbuf_reset(&tag);
		if (exact) {
			strbuf_addstr(&tag, label);
		} else {
			while (*label == '*' || *label == ' ')
				label++;
			if (groups && system_group(label))
				continue;
			crm_import_tag_slug(&tag, label);
		}
		if (tag.len)
			rc = list_add(rec, "tags", tag.buf);
	}
	strbuf_release(&tag);
	pieces_release(&p);
	return rc;
}

/* A custom text: may span lines, unlike crm set's one-line fields. */
static int check_custom_text(const char *field, const char *v)
{
	if (!strchr(v, '\n'))
		return crm_field_validate(field, v);
	if (crm_text_has_controls(v, 1)) {
		crm_error_set(CRM_EINVALID, "%s '%.60s' contains control "
			      "characters", field, v);
		return CRM_EINVALID;
	}
	if (strlen(v) > CRM_FIELD_MAX) {
		crm_error_set(CRM_EINVALID, "%s '%.60s...' is too long", field, v);
		return CRM_EINVALID;
	}
	return 0;
}

static int add_custom(struct crm_record *rec, const char *field,
		      const char *v, int crm_layout)
{
	struct crm_node *node = NULL, *parent;
	const char *leaf;
	int rc;

	/* crm's export writes lists, maps and such text as flow YAML */
	if (crm_layout && strchr("[{\"", v[0])) {
		if (crm_yaml_parse(&node, v, strlen(v), field)) {
			node = NULL;
			crm_error_clear();
		}
	}
	if (!node) {
		if ((rc = check_custom_text(field, v)))
			return rc;
		node = crm_node_new_str(v);
	}
	if (!strchr(field, '.')) {
		crm_record_set_node(rec, field, node);
		return 0;
	}
	parent = crm_record_parent(rec, field, 1, &leaf);
	if (!parent) {
		crm_node_free(node);
		crm_error_set(CRM_EINVALID, "%s: a part of it is not a map", field);
		return CRM_EINVALID;
	}
	crm_map_set(parent, leaf, node);
	return 0;
}

/* Outlook writes these where a field has no value. */
static int outlook_placeholder(const char *header, const char *v)
{
	struct strbuf key = STRBUF_INIT;
	int placeholder = 0;

	if (!strcmp(v, "0/0/00") || !strcmp(v, "00.00.00") ||
	    !strcmp(v, "0.0.00") || !strcmp(v, "00/00/0000"))
		return 1;
	header_key(&key, header);
	if (!strcmp(key.buf, "gender"))
		placeholder = !ascii_casecmp(v, "unspecified");
	else if (!strcmp(key.buf, "priority") || !strcmp(key.buf, "sensitivity"))
		placeholder = !ascii_casecmp(v, "normal");
	else if (!strcmp(key.buf, "private"))
		placeholder = !ascii_casecmp(v, "false");
	strbuf_release(&key);
	return placeholder;
}

static int set_scalar(struct crm_record *rec, const char *key, const char *v)
{
	int rc;

	if ((rc = crm_field_validate(key, v)))
		return rc;
	crm_record_set(rec, key, v);
	return 0;
}

static int take_value(struct crm_record *rec, struct strbuf *name,
		      struct strbuf *parts, const struct crm_import_plan *plan,
		      const struct crm_import_column *col,
		      enum crm_import_role role, const char *v)
{
	int crm_layout = plan->layout == CRM_LAYOUT_CRM;
	struct strbuf kind = STRBUF_INIT;
	time_t t;
	int offset, rc = 0;

	switch (role) {
	case CRM_IMPORT_SKIP:
		break;
	case CRM_IMPORT_NAME:
		strbuf_addstr(name, v);
		break;
	case CRM_IMPORT_FIRST:
	case CRM_IMPORT_MIDDLE:
	case CRM_IMPORT_LAST:
		strbuf_addstr(&parts[role - CRM_IMPORT_FIRST], v);
		break;
	case CRM_IMPORT_KIND:
		for (; *v; v++)
			strbuf_addch(&kind, *v >= 'A' && *v <= 'Z' ? *v + 32 : *v);
		rc = set_scalar(rec, "kind", kind.buf);
		break;
	case CRM_IMPORT_COMPANY:
		rc = set_scalar(rec, "company", v);
		break;
	case CRM_IMPORT_OWNER:
		rc = set_scalar(rec, "owner", v);
		break;
	case CRM_IMPORT_NOTES:
		rc = set_scalar(rec, "notes", v);
		break;
	case CRM_IMPORT_EMAILS:
		rc = add_emails(rec, v);
		break;
	case CRM_IMPORT_PHONES:
		rc = add_phones(rec, v);
		break;
	case CRM_IMPORT_TAGS:
		rc = add_tags(rec, v, crm_layout, 0);
		break;
	case CRM_IMPORT_GROUPS:
		rc = add_tags(rec, v, 0, 1);
		break;
	case CRM_IMPORT_CUSTOM:
		rc = add_custom(rec, col->field, v, crm_layout);
		break;
	case CRM_IMPORT_ID:
		if (!crm_id_valid(v)) {
			crm_error_set(CRM_EINVALID, "id '%.60s' is not a crm id "
				      "(lowercase letters, digits and single "
				      "hyphens)", v);
			rc = CRM_EINVALID;
		}
		break;
	case CRM_IMPORT_CREATED:
		if (crm_parse_moment(v, &t, &offset)) {
			crm_error_set(CRM_EINVALID, "created '%.60s' is not a "
				      "moment such as 2026-11-22T10:15:00+01:00",
				      v);
			rc = CRM_EINVALID;
		}
		break;
	}
	strbuf_release(&kind);
	return rc;
}

/* Runs of white space, line ends included, made one space; trimmed. */
static void collapse_spaces(struct strbuf *out, const char *s)
{
	int pending = 0;

	for (; *s; s++) {
		if (strchr(" \t\r\n", *s)) {
			pending = out->len > 0;
			continue;
		}
		if (pending)
			strbuf_addch(out, ' ');
		pending = 0;
		strbuf_addch(out, *s);
	}
}

/* The cell as a value: apostrophe, surrounding space, NFC. */
static int clean_value(struct strbuf *out, const char *raw, int exact)
{
	struct strbuf trimmed = STRBUF_INIT;
	const char *s;
	int rc;

	strbuf_addstr(&trimmed, raw);
	if (!exact)
		trim(&trimmed);
	s = crm_csv_unneutralise(trimmed.buf);
	rc = crm_text_nfc(out, s, strlen(s));
	if (!rc && !exact)
		trim(out);
	strbuf_release(&trimmed);
	return rc;
}

int crm_import_row(struct crm_node **out, const struct crm_import_plan *plan,
		   const char *const *cells, size_t ncells, const char *file,
		   size_t line)
{
	struct crm_record rec = { NULL, NULL, NULL };
	struct strbuf value = STRBUF_INIT, name = STRBUF_INIT;
	struct strbuf joined = STRBUF_INIT;
	struct strbuf parts[3] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	int exact = plan->layout == CRM_LAYOUT_CRM;
	char filled[CRM_IMPORT_CREATED + 1] = { 0 };
	const struct crm_node *emails;
	size_t i;
	int rc = 0;

	*out = NULL;
	rec.root = crm_node_new_map();
	/* which single-value fields this row fills from their own column */
	for (i = 0; i < plan->ncols && i < ncells; i++)
		if (is_scalar_role(plan->columns[i].role) && cells[i] &&
		    cells[i][strspn(cells[i], " \t\r\n")])
			filled[plan->columns[i].role] = 1;
	for (i = 0; i < plan->ncols; i++) {
		const struct crm_import_column *col = &plan->columns[i];
		const char *raw = i < ncells && cells[i] ? cells[i] : "";
		enum crm_import_role role = col->role;

		if (role == CRM_IMPORT_SKIP || !*raw)
			continue;
		strbuf_reset(&value);
		if ((rc = clean_value(&value, raw, exact)))
			goto fail;
		if (!value.len)
			continue;
		if (plan->layout == CRM_LAYOUT_OUTLOOK &&
		    outlook_placeholder(col->header, value.buf))
			continue;
		if (role == CRM_IMPORT_CUSTOM && col->fallback &&
		    !filled[col->fallback]) {
			role = col->fallback;
			filled[role] = 1;
		}
		if ((rc = take_value(&rec, &name, parts, plan, col, role,
				     value.buf)))
			goto fail;
	}

	if (!name.len) {
		for (i = 0; i < 3; i++) {
			if (!parts[i].len)
				continue;
			if (joined.len)
				strbuf_addch(&joined, ' ');
			strbuf_add(&joined, parts[i].buf, parts[i].len);
		}
		collapse_spaces(&name, joined.buf);
	} else if (!exact) {
		strbuf_add(&joined, name.buf, name.len);
		strbuf_reset(&name);
		collapse_spaces(&name, joined.buf);
	}
	emails = crm_map_get(rec.root, "emails");
	if (!name.len && emails && emails->nitems)
		strbuf_addstr(&name, crm_node_str(emails->items[0]));
	if (!name.len && crm_map_get_str(rec.root, "company")) {
		strbuf_addstr(&name, crm_map_get_str(rec.root, "company"));
		if (!crm_map_get(rec.root, "kind"))
			crm_record_set(&rec, "kind", "company");
	}
	if (!name.len) {
		crm_error_set(CRM_EINVALID, "%s:%zu: no name or email", file,
			      line);
		rc = CRM_EINVALID;
		goto done;
	}
	if ((rc = crm_field_validate("name", name.buf)))
		goto fail;
	crm_record_set(&rec, "name", name.buf);
	*out = rec.root;
	rec.root = NULL;
	goto done;
fail:
	crm_error_set(rc, "%s:%zu: %s", file, line, crm_error_last());
done:
	crm_node_free(rec.root);
	strbuf_release(&value);
	strbuf_release(&name);
	strbuf_release(&joined);
	for (i = 0; i < 3; i++)
		strbuf_release(&parts[i]);
	return rc;
}

static const char *cell_of_role(const struct crm_import_plan *plan,
				enum crm_import_role role,
				const char *const *cells, size_t ncells)
{
	size_t i;

	for (i = 0; i < plan->ncols && i < ncells; i++)
		if (plan->columns[i].role == role && cells[i] && *cells[i])
			return cells[i];
	return NULL;
}

const char *crm_import_row_id(const struct crm_import_plan *plan,
			      const char *const *cells, size_t ncells)
{
	return cell_of_role(plan, CRM_IMPORT_ID, cells, ncells);
}

const char *crm_import_row_created(const struct crm_import_plan *plan,
				   const char *const *cells, size_t ncells)
{
	return cell_of_role(plan, CRM_IMPORT_CREATED, cells, ncells);
}

/* ---- duplicates ---- */

int crm_import_phone_key(struct strbuf *out, const char *phone)
{
	struct strbuf key = STRBUF_INIT;
	const char *p = phone;
	size_t digits = 0;
	int plus;

	int international_00 = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	plus = *p == '+';
	if (!plus) {
		/* 0044 ... and (0044) ... are +44 ...: the first digits tell */
		const char *d = p + strspn(p, " \t(");

		international_00 = d[0] == '0' && d[1] == '0' ? 2 : 0;
		plus = international_00 > 0;
	}
	for (; *p; p++) {
		if (*p == 'x' || *p == 'X')
			break;	/* an extension is not the number */
		if (international_00 && *p == '0') {
			/* the two zeros of the international prefix */
			international_00--;
			continue;
		}
		if (plus && !strncmp(p, "(0)", 3)) {
			/* the trunk prefix after a country code */
			p += 2;
			continue;
		}
		if (*p >= '0' && *p <= '9') {
			strbuf_addch(&key, *p);
			digits++;
		}
	}
	if (digits >= 7) {
		if (plus)
			strbuf_addch(out, '+');
		strbuf_add(out, key.buf, key.len);
	}
	strbuf_release(&key);
	return digits >= 7;
}

static void keys_add(struct crm_import_keys *out, const char *key)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		if (!strcmp(out->items[i], key))
			return;
	ALLOC_GROW(out->items, out->n + 1, out->alloc);
	out->items[out->n++] = xstrdup(key);
}

void crm_import_keys(struct crm_import_keys *out, const struct crm_node *record)
{
	const struct crm_node *emails = crm_map_get(record, "emails");
	const struct crm_node *phones = crm_map_get(record, "phones");
	struct strbuf key = STRBUF_INIT;
	size_t i;

	for (i = 0; emails && emails->kind == CRM_NODE_SEQ &&
		    i < emails->nitems; i++) {
		const char *e = crm_node_str(emails->items[i]);

		if (!e || !*e)
			continue;
		strbuf_reset(&key);
		strbuf_addstr(&key, "email:");
		for (; *e; e++)
			strbuf_addch(&key, *e >= 'A' && *e <= 'Z' ? *e + 32 : *e);
		keys_add(out, key.buf);
	}
	for (i = 0; phones && phones->kind == CRM_NODE_SEQ &&
		    i < phones->nitems; i++) {
		const char *ph = crm_node_str(phones->items[i]);

		strbuf_reset(&key);
		strbuf_addstr(&key, "phone:");
		if (ph && crm_import_phone_key(&key, ph))
			keys_add(out, key.buf);
	}
	strbuf_release(&key);
}

void crm_import_keys_release(struct crm_import_keys *keys)
{
	size_t i;

	if (!keys)
		return;
	for (i = 0; i < keys->n; i++)
		free(keys->items[i]);
	free(keys->items);
	memset(keys, 0, sizeof(*keys));
}

/* A value for a notes line: one line, flow YAML for lists and maps. */
static void value_text(struct strbuf *out, const struct crm_node *v)
{
	struct strbuf text = STRBUF_INIT;

	if (v->kind == CRM_NODE_SCALAR)
		strbuf_addstr(&text, v->str ? v->str : "");
	else
		crm_export_flow_yaml(&text, v);
	collapse_spaces(out, text.buf);
	strbuf_release(&text);
}

static void merge_node(struct crm_node *have, const struct crm_node *v,
		       const char *path, struct strbuf *lines, int *changed,
		       const char *verb, const char *source)
{
	size_t i;

	if (crm_node_equal(have, v))
		return;
	if (have->kind == CRM_NODE_MAP && v->kind == CRM_NODE_MAP) {
		for (i = 0; i < crm_map_len(v); i++) {
			const char *k = crm_map_key(v, i);
			struct crm_node *sub = crm_map_get(have, k);
			struct strbuf subpath = STRBUF_INIT;

			if (!sub) {
				crm_map_set(have, k,
					    crm_node_dup(crm_map_value(v, i)));
				*changed = 1;
				continue;
			}
			strbuf_addf(&subpath, "%s.%s", path, k);
			merge_node(sub, crm_map_value(v, i), subpath.buf, lines,
				   changed, verb, source);
			strbuf_release(&subpath);
		}
		return;
	}
	if (have->kind == CRM_NODE_SEQ && v->kind == CRM_NODE_SEQ) {
		for (i = 0; i < v->nitems; i++) {
			size_t j;
			int found = 0;

			for (j = 0; j < have->nitems && !found; j++)
				found = crm_node_equal(have->items[j],
						       v->items[i]);
			if (!found) {
				crm_seq_append(have, crm_node_dup(v->items[i]));
				*changed = 1;
			}
		}
		return;
	}
	strbuf_addf(lines, "%s: %s was '", verb, path);
	value_text(lines, v);
	strbuf_addf(lines, "' in %s\n", source);
}

/* Whether `text` is in `notes` as whole lines, not part of a longer one. */
static int has_lines(const char *notes, const char *text)
{
	size_t len = strlen(text);
	const char *p;

	for (p = notes; (p = strstr(p, text)); p++)
		if ((p == notes || p[-1] == '\n') &&
		    (p[len] == '\0' || p[len] == '\n'))
			return 1;
	return 0;
}

/* Append `text` to the notes on a line of its own, unless there. */
static int notes_append(struct crm_record *rec, const char *text)
{
	const char *notes = crm_map_get_str(rec->root, "notes");
	struct strbuf sb = STRBUF_INIT;

	if (notes && has_lines(notes, text))
		return 0;
	if (notes && *notes) {
		strbuf_addstr(&sb, notes);
		strbuf_trim_trailing_newlines(&sb);
		strbuf_addch(&sb, '\n');
	}
	strbuf_addstr(&sb, text);
	crm_record_set(rec, "notes", sb.buf);
	strbuf_release(&sb);
	return 1;
}

int crm_import_merge_into(struct crm_node *existing,
			  const struct crm_node *row, const char *file,
			  size_t line)
{
	struct strbuf source = STRBUF_INIT;
	int changed;

	strbuf_addf(&source, "%s:%zu", file, line);
	changed = crm_merge_fields_into(existing, row, "import", source.buf,
					NULL);
	strbuf_release(&source);
	return changed;
}

int crm_merge_fields_into(struct crm_node *existing,
			  const struct crm_node *row, const char *verb,
			  const char *source, size_t *noted)
{
	struct crm_record rec = { NULL, NULL, existing };
	struct strbuf lines = STRBUF_INIT, one = STRBUF_INIT;
	const char *notes, *p;
	int changed = 0;
	size_t i, j;

	for (i = 0; i < crm_map_len(row); i++) {
		const char *key = crm_map_key(row, i);
		const struct crm_node *v = crm_map_value(row, i);
		struct crm_node *have;

		if (is_managed(key) || !strcmp(key, "notes"))
			continue;
		have = crm_map_get(existing, key);
		if (crm_field_is_list(key) && v->kind == CRM_NODE_SEQ &&
		    (!have || have->kind == CRM_NODE_SEQ)) {
			for (j = 0; j < v->nitems; j++) {
				const char *item = crm_node_str(v->items[j]);

				if (!item || list_has(have, key, item))
					continue;
				crm_seq_append(crm_record_list(&rec, key),
					       crm_node_new_str(item));
				have = crm_map_get(existing, key);
				changed = 1;
			}
			continue;
		}
		if (!have) {
			crm_record_set_node(&rec, key, crm_node_dup(v));
			changed = 1;
			continue;
		}
		merge_node(have, v, key, &lines, &changed, verb, source);
	}
	notes = crm_map_get_str(row, "notes");
	if (notes && *notes)
		changed |= notes_append(&rec, notes);
	for (p = lines.buf; *p; ) {
		const char *nl = strchr(p, '\n');

		strbuf_reset(&one);
		strbuf_add(&one, p, (size_t)(nl - p));
		if (notes_append(&rec, one.buf)) {
			changed = 1;
			if (noted)
				(*noted)++;
		}
		p = nl + 1;
	}
	strbuf_release(&lines);
	strbuf_release(&one);
	return changed;
}
