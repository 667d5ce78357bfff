#ifndef CRM_CSV_H
#define CRM_CSV_H

#include <stddef.h>

#include "strbuf.h"

/*
 * CSV as spreadsheets really write it, and as they read it back.  This
 * is the only file that talks to libcsv.
 *
 * Reading (crm_csv_read): RFC 4180 quoting, doubled quotes inside quoted
 * fields, line breaks inside quoted fields, CRLF, LF or CR line ends, a
 * UTF-8 byte-order mark, a `,` `;` or tab delimiter detected from the
 * header line, blank lines (and rows of empty cells, as Excel leaves
 * at the end of a sheet) skipped, spaces kept as written.
 *
 * Text: valid UTF-8 is used as is.  Anything else is read as
 * Windows-1252 (what Excel writes for "CSV" on Windows in western
 * Europe; a superset of the printable Latin-1) and converted, unless it
 * is mostly UTF-8 with a few broken bytes, which is refused rather than
 * turned into mojibake.  UTF-16 with a byte-order mark (Excel's "Unicode
 * Text") is converted too.  NUL bytes and control characters other than
 * tab and line ends are refused: a file that has them is not a
 * spreadsheet export.  Every line end in a cell comes back as "\n".
 *
 * Errors are CRM_EPARSE with a message naming the file and the line
 * where the row starts: "contacts.csv:7: 9 fields, the header has 8".
 */

/* Limits against hostile input, each refused with a message. */
#define CRM_CSV_MAX_COLUMNS 10000
#define CRM_CSV_MAX_FIELD ((size_t)1 << 20)		/* bytes in a cell */
#define CRM_CSV_MAX_FILE ((size_t)512 << 20)		/* bytes in a file */

struct crm_csv_options {
	/* ',', ';' or '\t'; 0 to detect it from the header line. */
	int delimiter;
	/*
	 * Whether a header cell is a column name some export uses
	 * (crm_import_header_known).  With it, lines before the real
	 * header, such as the notes LinkedIn puts at the top of
	 * Connections.csv, are skipped: the header is the first of the
	 * first 50 lines with two or more known names.  Without it, or if
	 * no line qualifies, the header is the first non-blank line.
	 */
	int (*known_header)(const char *cell);
};

struct crm_csv_row {
	/* ncols cells, NUL-terminated UTF-8; missing ones are "". */
	char **cells;
	/* 1-based line in the file where the row starts. */
	size_t line;
};

struct crm_csv_table {
	struct crm_csv_row header;
	size_t ncols;
	struct crm_csv_row *rows;	/* the data rows, blank ones left out */
	size_t nrows, alloc;
	int delimiter;
	/* NULL for UTF-8; else "Windows-1252", "UTF-16LE" or "UTF-16BE" */
	const char *converted_from;
	size_t preamble_lines;		/* lines skipped before the header */
};

/*
 * Read all of `buf` (the contents of the file `name`) into `out`, which
 * the caller releases with crm_csv_table_release even on failure.
 * A row with more fields than the header is an error; one with fewer is
 * padded with empty cells.  `opt` may be NULL.
 */
int crm_csv_read(struct crm_csv_table *out, const char *buf, size_t len,
		 const struct crm_csv_options *opt, const char *name);
void crm_csv_table_release(struct crm_csv_table *t);

/*
 * Decode a text file for crm: the byte-order mark dropped, UTF-16 and
 * Windows-1252 converted to UTF-8 (`*converted_from` says from what, or
 * is NULL), every CRLF or lone CR turned into "\n", and NUL bytes,
 * control characters and bytes that are not text refused with
 * "name:line: ..." (CRM_EPARSE).  Shared with the vCard reader.
 */
int crm_csv_decode(struct strbuf *out, const char **converted_from,
		   const char *buf, size_t len, const char *name);

/*
 * Append one CSV row to `out`: cells separated by ',', quoted when they
 * hold a comma, a quote, CR or LF, quotes doubled, ended by CRLF when
 * `crlf` (what Excel expects) or LF.  A NULL cell is empty.
 *
 * With `neutralise_formulas`, a cell that a spreadsheet would run as a
 * formula is made inert (OWASP "CSV Injection"): a cell that begins
 * with '=', '+', '-', '@', tab or CR gets a leading apostrophe, which
 * Excel, LibreOffice and Google Sheets read as "this is text".  The
 * rule applies to every such cell, numbers and phone numbers too:
 * "+44 20 7946 0000" is a formula to Excel (the space is its
 * intersection operator), and telling a harmless "-12.50" from a
 * harmful "-1+cmd|..." is the kind of cleverness attacks get through.
 * A cell that already begins with an apostrophe followed by one of
 * those characters, a line feed or another apostrophe gets one more,
 * so that crm_csv_unneutralise gives every original value back exactly
 * (a CR in a cell reads back as a line feed, as crm_csv_read says).
 */
void crm_csv_write_row(struct strbuf *out, const char *const *cells,
		       size_t n, int crlf, int neutralise_formulas);

/* Whether crm_csv_write_row would prefix `cell` with an apostrophe. */
int crm_csv_needs_neutralising(const char *cell);

/*
 * `cell` without the apostrophe that crm_csv_write_row (or a spreadsheet
 * that does the same) put before it, or `cell` itself.
 */
const char *crm_csv_unneutralise(const char *cell);

#endif
