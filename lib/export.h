#ifndef CRM_EXPORT_H
#define CRM_EXPORT_H

#include <stddef.h>
#include <time.h>

#include "node.h"
#include "strbuf.h"

/*
 * Writing customers for other programs: CSV for spreadsheets, ICS for
 * calendars (vCard is lib/vcard.h).  Records are root maps as loaded
 * (struct crm_record's `root`).  Nothing here does I/O.
 */

enum crm_export_flags {
	CRM_EXPORT_BOM = 1 << 0,	/* start with a UTF-8 byte-order mark */
	CRM_EXPORT_NEUTRALISE = 1 << 1,	/* make formula-like cells inert */
};

/*
 * Customers as CSV that Excel, LibreOffice and Google Sheets open as
 * they should: UTF-8 (with a byte-order mark under CRM_EXPORT_BOM,
 * which Excel needs to read UTF-8), comma-separated, CRLF line ends,
 * RFC 4180 quoting, a header row.
 *
 * Columns: id, name, kind, company, emails, phones, tags, owner,
 * created, notes, then the custom fields: crm_export_csv_customers
 * takes them in the order first met going through the records; the
 * streaming form below takes them as given (crm export sorts them by
 * name).  log, deals and followups are not customer columns:
 * `crm export deals|log|followups` writes them.
 *
 * Lists (emails, phones, tags) are joined with ", " in one cell: a comma
 * occurs in no email, phone or tag crm accepts, so the cell splits back
 * exactly.  A custom list or map is written as flow YAML
 * ("{city: Paris}"), as is a custom text that begins with '[', '{' or
 * '"', so that crm_import reads each back as it was.  A multi-line note
 * stays one quoted cell.
 *
 * With CRM_EXPORT_NEUTRALISE (the default of `crm export`; `--raw`
 * turns it off), a cell beginning with '=', '+', '-', '@', tab or CR is
 * prefixed with an apostrophe: the OWASP rule, applied to every such
 * cell, numbers and phone numbers included (crm_csv_write_row says
 * why).  crm import removes the apostrophe again.
 *
 * The header names are the ones lib/import.h reads as crm's own
 * export, so exporting and importing into an empty store gives the
 * same customers (ids and created times included); custom values come
 * back as text.  Under --raw (no CRM_EXPORT_NEUTRALISE) a value that
 * itself begins with an apostrophe and a formula character ("'=x")
 * comes back without its apostrophe: import cannot tell it from a
 * neutralised cell.
 */
void crm_export_csv_customers(struct strbuf *out,
			      struct crm_node *const *records, size_t n,
			      unsigned flags);

/*
 * The same, a record at a time, so a store of any size is exported in
 * bounded memory: the custom columns are named up front.
 */
struct crm_export_csv {
	char **columns;
	size_t ncolumns;
	unsigned flags;
};
void crm_export_csv_begin(struct crm_export_csv *x, struct strbuf *out,
			  const char *const *custom, size_t ncustom,
			  unsigned flags);
void crm_export_csv_record(struct crm_export_csv *x, struct strbuf *out,
			   const struct crm_node *record);
void crm_export_csv_end(struct crm_export_csv *x);

/*
 * An RFC 5545 calendar: one all-day event per open follow-up (SUMMARY
 * "<text> — <name>", on its due date; a text of several lines is joined
 * into one for the summary and given whole as DESCRIPTION) and per open
 * deal with a close date (SUMMARY "Close: <title> — <name>",
 * DESCRIPTION its stage and value).  Events are TRANSP:TRANSPARENT:
 * reminders do not make a day busy.  UIDs are stable across
 * exports ("followup-<id>-<n>@crm", "deal-<id>-<deal>@crm"), so a
 * calendar subscribed to the file updates its events instead of
 * duplicating them.  DTSTAMP is `now` in UTC (the caller passes the
 * time, for reproducible output).  Text is escaped, lines are folded at
 * 75 octets without splitting a UTF-8 character, lines end in CRLF.
 * An entry whose date is not a valid YYYY-MM-DD is left out.  Returns
 * the number of events written.
 */
size_t crm_export_ics(struct strbuf *out, struct crm_node *const *records,
		      size_t n, const char *prodid, time_t now);

/* The same, a record at a time. */
struct crm_export_ics {
	char stamp[32];
	size_t events;
};
void crm_export_ics_begin(struct crm_export_ics *x, struct strbuf *out,
			  const char *prodid, time_t now);
void crm_export_ics_record(struct crm_export_ics *x, struct strbuf *out,
			   const struct crm_node *record);
size_t crm_export_ics_end(struct crm_export_ics *x, struct strbuf *out);

/*
 * A node as one line of flow YAML: "[a, b]", "{city: Paris}", a plain
 * scalar as is, other text double-quoted.  crm_yaml_parse reads it back
 * to an equal node.  Also used for the notes lines that record a
 * value merged away, and by the vCard writer.
 */
void crm_export_flow_yaml(struct strbuf *out, const struct crm_node *n);

/*
 * Append `line` (without its line end) to `out` folded as RFC 5545 and
 * RFC 6350 fold: at most 75 octets a line, continuation lines begin
 * with a space, a UTF-8 character never split, CRLF line ends.
 */
void crm_export_fold_line(struct strbuf *out, const char *line, size_t len);

/*
 * Append `s` escaped as iCalendar / vCard TEXT: backslash, comma and
 * semicolon backslash-escaped, a line end written "\n".
 */
void crm_export_escape_text(struct strbuf *out, const char *s);

#endif
