#ifndef CRM_VCARD_H
#define CRM_VCARD_H

#include <stddef.h>

#include "node.h"
#include "strbuf.h"

/*
 * vCard (RFC 2426 3.0, RFC 6350 4.0, and the 2.1 that old phones still
 * write) to and from customer records.  No I/O.
 *
 * Reading: one or many BEGIN:VCARD ... END:VCARD cards; folded lines
 * (CRLF or LF and a space or tab) unfolded; groups ("item1.EMAIL")
 * ignored; parameters with several and quoted values; \, \; \n \\
 * unescaped; 2.1 and 3.0 QUOTED-PRINTABLE values (with their soft line
 * breaks) decoded, their CHARSET honoured (UTF-8 as is, anything else
 * read as Windows-1252, which covers Latin-1); a file that is not UTF-8
 * converted as crm_csv_decode does.  Each card becomes a map as
 * crm_import_row makes one:
 *
 *   FN                name (else N's given, additional and family
 *                     names; else ORG, with kind: company; else EMAIL)
 *   N                 its prefix and suffix: name_prefix, name_suffix
 *   KIND:org, X-ABShowAs:COMPANY   kind: company
 *   EMAIL, TEL        emails, phones (a tel: URI's ";ext=" as " x")
 *   ORG               company; its second part: department
 *   CATEGORIES        tags (crm_import_tag_slug)
 *   NOTE              notes (several joined by line ends)
 *   TITLE, ROLE       title, role
 *   ADR               address (then address_2 ...): a map with po_box,
 *                     extended, street, city, region, postal_code, country
 *   BDAY, ANNIVERSARY birthday, anniversary (YYYYMMDD as YYYY-MM-DD)
 *   URL, NICKNAME, GENDER, IMPP   url, nickname, gender, im (then _2 ...)
 *   UID               uid: kept, so that writing the card back gives a
 *                     phone the UID it knows and it updates, not adds
 *   X-CRM-FIELD;NAME=f   the field f (what crm_vcard_write writes for
 *                     owner and custom fields vCard has no property for)
 *
 * PHOTO, LOGO, SOUND, KEY (binary), PRODID, REV, VERSION and other
 * properties are skipped.  Errors (CRM_EPARSE, or CRM_EINVALID for a
 * value crm cannot store) are "file:line: message".
 */

/*
 * Parse all the cards in `buf` (the file `name`).  On success `*records`
 * holds `*n` maps, each with `line` set to its BEGIN:VCARD line; free
 * them with crm_vcard_records_free.  A file with no card is an error.
 */
int crm_vcard_read(struct crm_node ***records, size_t *n, const char *buf,
		   size_t len, const char *name);
void crm_vcard_records_free(struct crm_node **records, size_t n);

/*
 * Append `record` (a root map) as a vCard 4.0: VERSION, KIND:org for a
 * company, FN, N (a person's name split at its last space: "Ludwig van
 * Beethoven" is given "Ludwig van", family "Beethoven"), NICKNAME, ORG,
 * TITLE, ROLE, EMAIL, TEL, ADR, BDAY, ANNIVERSARY, URL, GENDER, IMPP,
 * CATEGORIES, NOTE, UID, X-CRM-ID (the id), then X-CRM-FIELD for the
 * owner and every other custom field (lists and maps as flow YAML, with
 * X-FORMAT=yaml).  UID is the record's `uid` field when it has one,
 * else crm_vcard_uuid(id); reading a card whose UID is the one its
 * X-CRM-ID gives does not store it as `uid`, and keeps its categories
 * as written, so that a card crm wrote reads back to the same fields.
 * ADR comes from the `address` maps' po_box, extended, street, city,
 * region, postal_code and country (a `formatted` key is not written).  No REV: the same record gives the same bytes.
 * Text escaped, lines folded at 75 octets without splitting a UTF-8
 * character, CRLF line ends, as khard, vobject and phones expect.
 */
void crm_vcard_write(struct strbuf *out, const struct crm_node *record);

/*
 * "urn:uuid:" and the name-based (version 5, SHA-1) UUID of "crm:<id>"
 * in the URL namespace: the same id always gives the same UID, as
 * Python's uuid.uuid5(uuid.NAMESPACE_URL, "crm:" + id) does.
 */
#define CRM_VCARD_UID_MAX 46
void crm_vcard_uuid(char out[CRM_VCARD_UID_MAX], const char *id);

#endif
