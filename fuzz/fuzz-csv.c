/*
 * The CSV reader and writer (lib/csv.h): any bytes go to crm_csv_read,
 * with the delimiter detected and with a header recogniser (so that the
 * search for the header below a preamble runs too).  Checked:
 *
 *   - it returns 0 or CRM_EPARSE, and the table is released either way;
 *   - a table read has a delimiter ',' ';' or tab, its header and every
 *     row ncols cells, each NUL-free valid UTF-8 without CR or control
 *     characters other than tab and "\n", and rows in line order after
 *     the header;
 *   - the table written back (crm_csv_write_row, formulas neutralised,
 *     LF or CRLF) and read again with ',' gives the same cells
 *     (crm_csv_unneutralise taking the apostrophes off), as crm export
 *     followed by crm import needs.
 */
#include <stdio.h>
#include <string.h>

#include <unistr.h>

#include "../lib/csv.h"
#include "../lib/error.h"
#include "../lib/strbuf.h"
#include "../lib/util.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_fix_clock();
	return 0;
}

/* A few names that exports use, as crm_import_header_known would say. */
static int known_header(const char *cell)
{
	static const char *const names[] = {
		"name", "first name", "last name", "email", "e-mail address",
		"phone", "company", "notes", "tags", "id",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!ascii_casecmp(cell, names[i]))
			return 1;
	return 0;
}

static void check_cell(const char *cell, const char *what)
{
	const char *p;

	if (u8_check((const uint8_t *)cell, strlen(cell)))
		fuzz_fail("%s: invalid UTF-8 in a cell", what);
	for (p = cell; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
			fuzz_fail("%s: control character 0x%02x in a cell",
				  what, c);
		if (c == 0xc2 && (unsigned char)p[1] >= 0x80 &&
		    (unsigned char)p[1] <= 0x9f)
			fuzz_fail("%s: C1 control U+%04X in a cell", what,
				  (unsigned char)p[1]);
	}
}

static void check_table(const struct crm_csv_table *t, const char *what)
{
	size_t r, c, line = t->header.line;

	if (t->delimiter != ',' && t->delimiter != ';' && t->delimiter != '\t')
		fuzz_fail("%s: delimiter %d", what, t->delimiter);
	if (!t->header.cells || !t->ncols)
		fuzz_fail("%s: no header, or a header of no cells", what);
	for (c = 0; c < t->ncols; c++)
		check_cell(t->header.cells[c], what);
	for (r = 0; r < t->nrows; r++) {
		if (t->rows[r].line <= line)
			fuzz_fail("%s: row %zu on line %zu, after line %zu",
				  what, r, t->rows[r].line, line);
		line = t->rows[r].line;
		for (c = 0; c < t->ncols; c++)
			check_cell(t->rows[r].cells[c], what);
	}
}

static void check_row_back(char **orig, char **back, size_t ncols,
			   const char *what, const char *written)
{
	size_t c;

	for (c = 0; c < ncols; c++)
		if (strcmp(orig[c], crm_csv_unneutralise(back[c])))
			fuzz_fail("%s: cell %zu was '%s', reads back as '%s'\n"
				  "--- written:\n%s", what, c, orig[c],
				  back[c], written);
}

static void round_trip(const struct crm_csv_table *t, int crlf)
{
	struct crm_csv_options comma = { ',', NULL };
	struct crm_csv_table back;
	struct strbuf out = STRBUF_INIT;
	size_t r;
	int rc;

	/* a first cell that starts with U+FEFF would be taken for a BOM */
	if (!strncmp(t->header.cells[0], "\xef\xbb\xbf", 3))
		return;
	crm_csv_write_row(&out, (const char *const *)t->header.cells,
			  t->ncols, crlf, 1);
	for (r = 0; r < t->nrows; r++)
		crm_csv_write_row(&out, (const char *const *)t->rows[r].cells,
				  t->ncols, crlf, 1);
	rc = crm_csv_read(&back, out.buf, out.len, &comma, "written.csv");
	if (rc)
		fuzz_fail("what crm wrote does not read back: %s\n"
			  "--- written:\n%s", crm_error_last(), out.buf);
	if (back.ncols != t->ncols || back.nrows != t->nrows)
		fuzz_fail("%zu columns and %zu rows read back as %zu and %zu\n"
			  "--- written:\n%s", t->ncols, t->nrows, back.ncols,
			  back.nrows, out.buf);
	check_row_back(t->header.cells, back.header.cells, t->ncols, "header",
		       out.buf);
	for (r = 0; r < t->nrows; r++)
		check_row_back(t->rows[r].cells, back.rows[r].cells, t->ncols,
			       "row", out.buf);
	crm_csv_table_release(&back);
	strbuf_release(&out);
}

static void read_with(const uint8_t *data, size_t size,
		      const struct crm_csv_options *opt, int crlf)
{
	struct crm_csv_table t;
	int rc = crm_csv_read(&t, (const char *)data, size, opt, "fuzz.csv");

	if (rc) {
		if (rc != CRM_EPARSE)
			fuzz_fail("crm_csv_read returned %d", rc);
		if (strchr(crm_error_last(), '\n'))
			fuzz_fail("message of several lines: %s",
				  crm_error_last());
	} else {
		check_table(&t, "read");
		round_trip(&t, crlf);
	}
	crm_csv_table_release(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crm_csv_options scan = { 0, known_header };
	int crlf = size && (data[size - 1] & 1);

	read_with(data, size, NULL, crlf);
	read_with(data, size, &scan, !crlf);
	return 0;
}
