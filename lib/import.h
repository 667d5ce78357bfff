#ifndef CRM_IMPORT_H
#define CRM_IMPORT_H

#include <stddef.h>

#include "node.h"
#include "strbuf.h"

/*
 * Turning the rows of a contacts export into customer records: which
 * column is which field (the plan), one row into one record, the keys
 * that find a duplicate, and merging a duplicate into the customer it
 * duplicates.  No I/O and no git: cmd/import.c reads the file
 * (lib/csv.h) and commits.
 *
 * Header recognition.  A header cell is compared case-insensitively,
 * accents folded, with any run of spaces, '_', '/' or " - " as one
 * separator and a '-' or '\'' inside a word dropped: "E-mail 1 - Value",
 * "e-mail 1 value" and "EMAIL_1_VALUE" are one name.  Recognised:
 *
 *   name      Name, Full Name, Display Name, Contact Name
 *   name parts  First Name / Given Name / Vorname / Prénom,
 *             Middle Name / Additional Name, Last Name / Family Name /
 *             Surname / Nachname / Nom: joined with single spaces
 *   emails    Email, Emails, E-mail, E-mail Address, Email Address, Mail,
 *             E-mail N - Value (Google), E-mail N Address (Outlook) ...
 *   phones    Phone, Phones, Phone Number, Telephone, Mobile, Mobile Phone,
 *             Business Phone, Home Phone, Phone N - Value ...
 *   company   Company, Company Name, Organization, Organization Name,
 *             Organization 1 - Name, Firma, Société, HubSpot's
 *             Associated Company
 *   tags      Tags, Tag: split on ',' ';' and spaces, each slugged
 *             (lowercase, runs of spaces and punctuation made one '-')
 *   groups    Labels, Group Membership (Google), Categories (Outlook):
 *             split on ":::" ';' ',', the '*' of Google's system
 *             groups removed, "myContacts" and "Other Contacts"
 *             dropped, the rest slugged into tags
 *   owner     Owner, Contact owner (HubSpot), Account Owner
 *   notes     Notes, Note, Comments
 *   kind      kind
 *
 * A job title (Job Title, Position, Organization Title, Title) becomes
 * the custom field `title`, the name vCard's TITLE has and crm's export
 * writes; in a file that also has "Job Title" (Outlook), "Title" is the
 * honorific and becomes `name_prefix`.  The label columns of Google and
 * Outlook ("E-mail 1 - Label", "Phone 1 - Type", "E-mail Display Name")
 * and Google's Photo URL are skipped: they hold nothing crm can store
 * beside the values.  Outlook's placeholders for "nothing" (0/0/00,
 * Gender "Unspecified", Priority and Sensitivity "Normal", Private
 * "False") are skipped too.
 *
 * When two columns are one single-value field (HubSpot's Company Name
 * and Associated Company, Name and Display Name), a --map wins, then
 * the more usual name, then the first column; the other one becomes a
 * custom field (`associated_company`) that fills the field in a row
 * where the first one is empty.
 *
 * Every other column becomes a custom field named by its header made a
 * field name: lowercase ASCII, words joined with '_' ("Connected On" ->
 * `connected_on`), a first "N - Value" dropped ("Website 1 - Value" ->
 * `website`, "Website 2 - Value" -> `website_2`).  Google's
 * "Address N - Part" columns go into one map, `address` (then
 * `address_2` ...) with the keys street, city, region, postal_code,
 * country, po_box, extended and formatted, as vCard's ADR does.  A name
 * that is taken gets "_2", "_3" ...; a header with no Latin letter or
 * digit becomes `column_N`.
 *
 * crm's own export (a header whose first column is "id" and that has
 * "name" and "created", in lowercase, as crm_export_csv_customers
 * writes) is read exactly, values untrimmed: each column is the field it names, lists are split on ','
 * only, tags are kept as written, a custom cell that begins with '[',
 * '{' or '"' is read as the flow YAML crm_export_csv_customers wrote,
 * and `id` and `created` are offered to the command through
 * crm_import_row_id and crm_import_row_created.  In any other file a
 * column named id, created, log, deals or followups becomes the custom
 * field csv_id, csv_created ...: crm manages those.
 *
 * HubSpot's Record ID becomes `hubspot_id`.
 *
 * Values: a leading apostrophe that neutralised a formula is removed
 * (crm_csv_unneutralise), spaces and line ends around a value are
 * trimmed (not in crm's own export), the text is NFC-normalised, empty
 * cells are skipped, and every value is checked as `crm set` would
 * check it.  Emails are split on ',' ';' and spaces, and "Name
 * <address>" gives the address; phones are split on ',' and ';', and
 * "ext." or "ext" before an extension becomes crm's 'x'.  A custom
 * value may span lines.  Imported custom values are text (YAML
 * strings), so a value a hand-edited record had as a number or a date
 * (`since: 2020`) comes back from a CSV round trip as the text "2020".
 */

enum crm_import_layout {
	CRM_LAYOUT_PLAIN = 0,	/* name,email,phone,... or anything else */
	CRM_LAYOUT_CRM,		/* crm export's own header */
	CRM_LAYOUT_GOOGLE,	/* Google Contacts, First Name/Labels layout */
	CRM_LAYOUT_GOOGLE_OLD,	/* Google, Given Name/Group Membership */
	CRM_LAYOUT_OUTLOOK,
	CRM_LAYOUT_LINKEDIN,	/* Connections.csv */
	CRM_LAYOUT_HUBSPOT,
};

enum crm_import_role {
	CRM_IMPORT_SKIP = 0,
	CRM_IMPORT_NAME,
	CRM_IMPORT_FIRST,
	CRM_IMPORT_MIDDLE,
	CRM_IMPORT_LAST,
	CRM_IMPORT_KIND,
	CRM_IMPORT_COMPANY,
	CRM_IMPORT_EMAILS,
	CRM_IMPORT_PHONES,
	CRM_IMPORT_TAGS,
	CRM_IMPORT_GROUPS,	/* Google labels, Outlook categories */
	CRM_IMPORT_OWNER,
	CRM_IMPORT_NOTES,
	CRM_IMPORT_CUSTOM,	/* `field` names it ("address.city" nests) */
	CRM_IMPORT_ID,		/* crm's own export only */
	CRM_IMPORT_CREATED,	/* crm's own export only */
};

struct crm_import_column {
	char *header;		/* as written in the file */
	enum crm_import_role role;
	char *field;		/* CRM_IMPORT_CUSTOM: the field; else NULL */
	int mapped;		/* decided by a --map */
	/*
	 * A second column for a single-value field (HubSpot's Associated
	 * Company beside Company Name) is a custom field, but fills that
	 * field in a row where the first column is empty.
	 */
	enum crm_import_role fallback;
};

struct crm_import_plan {
	enum crm_import_layout layout;
	struct crm_import_column *columns;
	size_t ncols;
};

/* Whether `cell` is a column name that an export crm knows uses. */
int crm_import_header_known(const char *cell);

/*
 * Decide what each column of `header` is.  `maps` are --map values,
 * "column=field": the column is named as in the header (any case), the
 * field is name, name.first, name.middle, name.last, kind, company,
 * email(s), phone(s), tag(s), owner, notes, a custom field name, or
 * "-" to skip the column.  A map naming a column the file does not have,
 * a field crm manages (id, created, log, deals, followups), a field name
 * that is not one, or two columns mapped to one single-value field is
 * CRM_EINVALID.  Release `out` with crm_import_plan_release; a failure
 * leaves nothing to release.
 */
int crm_import_plan(struct crm_import_plan *out, const char *const *header,
		    size_t ncols, const char *const *maps, size_t nmaps);
void crm_import_plan_release(struct crm_import_plan *plan);

/* "Google Contacts", "Outlook", "LinkedIn", ... for messages. */
const char *crm_import_layout_name(enum crm_import_layout layout);

/*
 * What a column becomes, for --dry-run: "name", "name (first)",
 * "emails", "tags", the custom field's name, or "-" when skipped.
 */
const char *crm_import_column_target(const struct crm_import_column *col);

/*
 * Build the record for one row: a map with name, kind, company,
 * emails, phones, tags, owner, notes and custom fields, in crm's field
 * order, without id or created (the command adds them).  The name is
 * the name column, else the name parts joined, else the first email,
 * else the company (and kind: company); a row with none of these is
 * "file:line: no name or email".  Errors (CRM_EINVALID) name the file
 * and line: "contacts.csv:12: email 'x' is not an email address".
 * Cells past `ncells` are empty.
 */
int crm_import_row(struct crm_node **out, const struct crm_import_plan *plan,
		   const char *const *cells, size_t ncells, const char *file,
		   size_t line);

/*
 * crm's own export: the row's id and created cells (checked by
 * crm_import_row), or NULL when the file has none or the cell is empty.
 */
const char *crm_import_row_id(const struct crm_import_plan *plan,
			      const char *const *cells, size_t ncells);
const char *crm_import_row_created(const struct crm_import_plan *plan,
				   const char *const *cells, size_t ncells);

/*
 * Check `value` as crm set would for the list `key` (emails, phones or
 * tags) and add it to `record` unless an equal entry is there (emails
 * in any case, phones by crm_import_phone_key).  CRM_EINVALID with the
 * validator's message if it cannot be stored.
 */
int crm_import_list_add(struct crm_node *record, const char *key,
			const char *value);

/*
 * A tag from a label ("VIP Clients" -> "vip-clients"): ASCII letters
 * lowercased, runs of spaces and , : ; / \ | made one '-', a leading
 * '+' or '-' dropped.  Other characters are kept.
 */
void crm_import_tag_slug(struct strbuf *out, const char *label);

/*
 * Keys that identify a customer for duplicate detection: "email:" and
 * the address in lowercase, "phone:" and the number's digits.  Two
 * records that share a key are the same customer.
 */
struct crm_import_keys {
	char **items;
	size_t n, alloc;
};
void crm_import_keys(struct crm_import_keys *out, const struct crm_node *record);
void crm_import_keys_release(struct crm_import_keys *keys);

/*
 * The digits of a phone number for comparing: a leading '+' kept, a
 * leading "00" (the international prefix in most of the world) made
 * '+', the trunk prefix "(0)" written after a country code dropped
 * ("+44 (0)20 7946-0000" -> "+442079460000"), everything from an
 * extension ('x') on ignored.  A national number stays national:
 * "020 7946 0000" does not match "+44 20 7946 0000", since the country
 * is not known.  Returns 0 (and appends nothing) for fewer than seven
 * digits, too short to tell two customers apart.
 */
int crm_import_phone_key(struct strbuf *out, const char *phone);

/*
 * Merge `row` (from crm_import_row or crm_vcard_read) into `existing`
 * (a record's root map), which is kept: lists are unioned (emails
 * compared in any case, phones by crm_import_phone_key), a field
 * `existing` lacks is added, maps are merged key by key, and for a
 * field whose value differs the existing value stays and a line
 * "import: company was 'X' in file:line" is added to the notes, so that
 * nothing is dropped silently.  Differing notes are appended.  Returns
 * 1 if `existing` changed, 0 if the row added nothing.
 */
int crm_import_merge_into(struct crm_node *existing,
			  const struct crm_node *row, const char *file,
			  size_t line);
/*
 * The same, for any source: a differing value goes into the notes as
 * "<verb>: company was 'X' in <source>", and *noted (if not NULL) counts
 * those lines.  id, created, log, deals and followups of `row` are left
 * to the caller.
 */
int crm_merge_fields_into(struct crm_node *existing,
			  const struct crm_node *row, const char *verb,
			  const char *source, size_t *noted);

#endif
