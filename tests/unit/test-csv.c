#include "unit.h"

#include <time.h>

#include "../../lib/csv.h"
#include "../../lib/error.h"
#include "../../lib/import.h"
#include "../../lib/util.h"

/* tests/data, from the top of the tree or from tests/ (make check) */
static char *fixture(const char *name, size_t *len)
{
	static const char *const dirs[] = {
		"tests/data", "data", "../tests/data", "../../tests/data",
	};
	const char *env = getenv("CRM_TEST_DATA");
	char path[512];
	size_t i;

	for (i = 0; i <= ARRAY_SIZE(dirs); i++) {
		const char *dir = i ? dirs[i - 1] : env;
		FILE *f;
		char *buf;
		long size;

		if (!dir)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
		    sizeof(path))
			continue;
		if (!(f = fopen(path, "rb")))
			continue;
		fseek(f, 0, SEEK_END);
		size = ftell(f);
		fseek(f, 0, SEEK_SET);
		buf = xmalloc((size_t)size + 1);
		*len = fread(buf, 1, (size_t)size, f);
		buf[*len] = '\0';
		fclose(f);
		return buf;
	}
	fail_msg("fixture %s not found (set CRM_TEST_DATA)", name);
	return NULL;
}

static int read_str(struct crm_csv_table *t, const char *text,
		    const struct crm_csv_options *opt)
{
	return crm_csv_read(t, text, strlen(text), opt, "t.csv");
}

static void expect_fail(int rc, int code, const char *message)
{
	assert_int_equal(rc, code);
	if (!strstr(crm_error_last(), message))
		fail_msg("'%s' not in '%s'", message, crm_error_last());
}

static void test_csv__rfc4180_quoting_and_lines(void **state)
{
	struct crm_csv_table t;
	const char *text =
		"name,notes,email\r\n"
		"Jane,\"She said \"\"hi\"\"\r\nand left, twice\",jane@x.example\r\n"
		"Bob,plain,bob@x.example\r\n"
		"\"\",\"\",\"\"\r\n"
		"Carl,,\r\n";

	(void)state;
	assert_int_equal(read_str(&t, text, NULL), 0);
	assert_int_equal(t.ncols, 3);
	assert_int_equal(t.delimiter, ',');
	assert_null(t.converted_from);
	assert_string_equal(t.header.cells[1], "notes");
	assert_int_equal(t.header.line, 1);
	assert_int_equal(t.nrows, 3);	/* the row of empty cells is left out */
	assert_string_equal(t.rows[0].cells[1],
			    "She said \"hi\"\nand left, twice");
	assert_int_equal(t.rows[0].line, 2);
	assert_string_equal(t.rows[1].cells[0], "Bob");
	assert_int_equal(t.rows[1].line, 4);
	assert_string_equal(t.rows[2].cells[0], "Carl");
	assert_string_equal(t.rows[2].cells[2], "");
	assert_int_equal(t.rows[2].line, 6);
	crm_csv_table_release(&t);
}

static void test_csv__spaces_kept_and_short_rows_padded(void **state)
{
	struct crm_csv_table t;

	(void)state;
	assert_int_equal(read_str(&t, "a,b,c\n x , y\nlast\n", NULL), 0);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(t.rows[0].cells[0], " x ");
	assert_string_equal(t.rows[0].cells[1], " y");
	assert_string_equal(t.rows[0].cells[2], "");
	assert_string_equal(t.rows[1].cells[0], "last");
	assert_string_equal(t.rows[1].cells[1], "");
	crm_csv_table_release(&t);

	/* no line end at the end of the file, then blank lines and CR only */
	assert_int_equal(read_str(&t, "a,b\r1,2\r\r3,4", NULL), 0);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(t.rows[1].cells[1], "4");
	assert_int_equal(t.rows[1].line, 4);
	crm_csv_table_release(&t);

	/* a quoted last cell with no line end after it */
	assert_int_equal(read_str(&t, "a,b\n1,\"2 \"\"x\"\"\"", NULL), 0);
	assert_string_equal(t.rows[0].cells[1], "2 \"x\"");
	crm_csv_table_release(&t);
}

static void test_csv__delimiter_detected_outside_quotes(void **state)
{
	struct crm_csv_table t;
	struct crm_csv_options opt = { ';', NULL };

	(void)state;
	assert_int_equal(read_str(&t, "Name;E-mail;Firma\nA;a@x.example;\"B, C\"\n",
				  NULL), 0);
	assert_int_equal(t.delimiter, ';');
	assert_int_equal(t.ncols, 3);
	assert_string_equal(t.rows[0].cells[2], "B, C");
	crm_csv_table_release(&t);

	assert_int_equal(read_str(&t, "\"a;b;c\",d\n1,2\n", NULL), 0);
	assert_int_equal(t.delimiter, ',');
	assert_string_equal(t.header.cells[0], "a;b;c");
	crm_csv_table_release(&t);

	assert_int_equal(read_str(&t, "name\temail\nA B\ta@x.example\n", NULL), 0);
	assert_int_equal(t.delimiter, '\t');
	assert_string_equal(t.rows[0].cells[0], "A B");
	crm_csv_table_release(&t);

	assert_int_equal(read_str(&t, "single\n\"value, with comma\"\n", NULL),
			 0);
	assert_int_equal(t.delimiter, ',');
	assert_string_equal(t.rows[0].cells[0], "value, with comma");
	crm_csv_table_release(&t);

	/* --delimiter wins */
	assert_int_equal(read_str(&t, "a,b;c\n1,2;3\n", &opt), 0);
	assert_int_equal(t.ncols, 2);
	assert_string_equal(t.rows[0].cells[0], "1,2");
	crm_csv_table_release(&t);

	opt.delimiter = '"';
	expect_fail(read_str(&t, "a\n", &opt), CRM_EINVALID,
		    "cannot be a CSV delimiter");
	crm_csv_table_release(&t);
}

static void test_csv__bom_and_utf16(void **state)
{
	struct crm_csv_table t;
	static const char utf16[] =
		"\xff\xfen\0a\0m\0e\0\t\0c\0i\0t\0y\0\r\0\n\0"
		"Z\0o\0\xeb\0\t\0K\0\xf6\0l\0n\0\r\0\n\0";
	size_t len;
	char *buf = fixture("plain-bom.csv", &len);

	(void)state;
	assert_int_equal(crm_csv_read(&t, buf, len, NULL, "plain-bom.csv"), 0);
	assert_string_equal(t.header.cells[0], "Name");
	assert_null(t.converted_from);
	assert_string_equal(t.rows[0].cells[0], "\xc3\x85sa Berg");
	crm_csv_table_release(&t);
	free(buf);

	assert_int_equal(crm_csv_read(&t, utf16, sizeof(utf16) - 1, NULL,
				      "u.txt"), 0);
	assert_string_equal(t.converted_from, "UTF-16LE");
	assert_int_equal(t.delimiter, '\t');
	assert_string_equal(t.rows[0].cells[0], "Zo\xc3\xab");
	assert_string_equal(t.rows[0].cells[1], "K\xc3\xb6ln");
	crm_csv_table_release(&t);

	expect_fail(crm_csv_read(&t, "\xff\xfe" "a", 3, NULL, "odd.txt"),
		    CRM_EPARSE, "odd.txt: UTF-16 text with an odd number");
	crm_csv_table_release(&t);
}

static void test_csv__windows_1252_excel_export(void **state)
{
	struct crm_csv_table t;
	size_t len;
	char *buf = fixture("excel-semicolon-cp1252.csv", &len);

	(void)state;
	assert_int_equal(crm_csv_read(&t, buf, len, NULL,
				      "excel-semicolon-cp1252.csv"), 0);
	assert_string_equal(t.converted_from, "Windows-1252");
	assert_int_equal(t.delimiter, ';');
	assert_int_equal(t.ncols, 7);
	assert_int_equal(t.nrows, 3);	/* ";;;;;;" at the end is no row */
	assert_string_equal(t.rows[0].cells[0], "Zo\xc3\xab");
	assert_string_equal(t.rows[0].cells[6],
			    "Preis: 12,50 \xe2\x82\xac \xe2\x80\x93 netto");
	assert_string_equal(t.rows[1].cells[4], "Soci\xc3\xa9t\xc3\xa9 "
			    "G\xc3\xa9n\xc3\xa9rale; Paris");
	assert_string_equal(t.rows[1].cells[6], "Zwei\nZeilen");
	assert_int_equal(t.rows[1].line, 3);
	assert_int_equal(t.rows[2].line, 5);
	assert_string_equal(t.rows[2].cells[1], "Wei\xc3\x9f");
	crm_csv_table_release(&t);
	free(buf);
}

static int known(const char *cell)
{
	return crm_import_header_known(cell);
}

static void test_csv__linkedin_notes_before_the_header(void **state)
{
	struct crm_csv_table t;
	struct crm_csv_options opt = { 0, known };
	size_t len;
	char *buf = fixture("linkedin-connections.csv", &len);

	(void)state;
	assert_int_equal(crm_csv_read(&t, buf, len, &opt,
				      "Connections.csv"), 0);
	assert_int_equal(t.header.line, 4);
	assert_int_equal(t.preamble_lines, 3);
	assert_int_equal(t.ncols, 7);
	assert_string_equal(t.header.cells[0], "First Name");
	assert_string_equal(t.header.cells[6], "Connected On");
	assert_int_equal(t.nrows, 3);
	assert_int_equal(t.rows[0].line, 5);
	assert_string_equal(t.rows[1].cells[4], "Smith, Jones & Co");
	crm_csv_table_release(&t);

	/* without the hint the first line is the header, as asked */
	assert_int_equal(crm_csv_read(&t, buf, len, NULL, "Connections.csv"),
			 CRM_EPARSE);
	crm_csv_table_release(&t);
	free(buf);
}

static void test_csv__real_exports_parse(void **state)
{
	static const struct {
		const char *file;
		size_t ncols, nrows;
		int delimiter;
	} files[] = {
		{ "google-contacts.csv", 36, 5, ',' },
		{ "google-contacts-old.csv", 56, 3, ',' },
		{ "outlook-contacts.csv", 92, 2, ',' },
		{ "outlook-web-contacts.csv", 62, 2, ',' },
		{ "hubspot-contacts.csv", 16, 2, ',' },
		{ "plain-crlf-multiline.csv", 7, 3, ',' },
		{ "plain-tabs.tsv", 3, 1, '\t' },
	};
	struct crm_csv_options opt = { 0, known };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		struct crm_csv_table t;
		size_t len;
		char *buf = fixture(files[i].file, &len);

		if (crm_csv_read(&t, buf, len, &opt, files[i].file))
			fail_msg("%s: %s", files[i].file, crm_error_last());
		if (t.ncols != files[i].ncols || t.nrows != files[i].nrows ||
		    t.delimiter != files[i].delimiter)
			fail_msg("%s: %zu columns, %zu rows, '%c'", files[i].file,
				 t.ncols, t.nrows, t.delimiter);
		crm_csv_table_release(&t);
		free(buf);
	}
}

static void test_csv__cells_keep_their_line_breaks(void **state)
{
	struct crm_csv_table t;
	struct crm_csv_options opt = { 0, known };
	size_t len;
	char *buf = fixture("outlook-contacts.csv", &len);

	(void)state;
	assert_int_equal(crm_csv_read(&t, buf, len, &opt, "o.csv"), 0);
	assert_string_equal(t.header.cells[0], "Title");
	assert_string_equal(t.rows[0].cells[77],
			    "Renewal due in March.\nCall before 10am Pacific.");
	assert_int_equal(t.rows[0].line, 2);
	assert_int_equal(t.rows[1].line, 4);
	crm_csv_table_release(&t);
	free(buf);
}

static void expect_file_error(const char *file, const char *message)
{
	struct crm_csv_table t;
	size_t len;
	char *buf = fixture(file, &len);

	expect_fail(crm_csv_read(&t, buf, len, NULL, file), CRM_EPARSE,
		    message);
	crm_csv_table_release(&t);
	free(buf);
}

static void test_csv__broken_files_name_the_row(void **state)
{
	(void)state;
	expect_file_error("bad-unbalanced-quote.csv",
			  "bad-unbalanced-quote.csv:3: unbalanced quote");
	expect_file_error("bad-too-many-fields.csv",
			  "bad-too-many-fields.csv:7: 9 fields, the header has 8");
	expect_file_error("bad-cp1252-undefined.csv",
			  "bad-cp1252-undefined.csv:3: byte 0x81 is not "
			  "Windows-1252 text");
	expect_file_error("bad-nul.csv", "bad-nul.csv:2: NUL byte");
}

static void test_csv__stray_quotes_and_bad_bytes(void **state)
{
	struct crm_csv_table t;

	(void)state;
	expect_fail(read_str(&t, "a,b\n1,x\"y\n", NULL), CRM_EPARSE,
		    "t.csv:2: a quote inside a cell");
	crm_csv_table_release(&t);
	expect_fail(read_str(&t, "a,b\n1,\"x\"y\n", NULL), CRM_EPARSE,
		    "t.csv:2: text after the closing quote");
	crm_csv_table_release(&t);
	/* an unbalanced quote swallows lines until the next quote */
	expect_fail(read_str(&t, "a,b\n1,\"x\n2,y\n3,\"z\"\n", NULL),
		    CRM_EPARSE, "t.csv:4: text after the closing quote of a "
		    "cell (a quote inside a quoted cell is written twice) "
		    "(the row began on line 2");
	crm_csv_table_release(&t);
	expect_fail(read_str(&t, "a,b\n1,\x01\n", NULL), CRM_EPARSE,
		    "t.csv:2: control character 0x01");
	crm_csv_table_release(&t);
	expect_fail(read_str(&t, "a,b\n1,\xc2\x85\n", NULL), CRM_EPARSE,
		    "t.csv:2: control character U+0085");
	crm_csv_table_release(&t);
	/* UTF-8 with one broken byte is refused, not made mojibake */
	expect_fail(read_str(&t, "a,b\nZo\xc3\xab,x\nK\xf6ln,y\n", NULL),
		    CRM_EPARSE, "t.csv:3: invalid UTF-8 byte 0xf6");
	crm_csv_table_release(&t);
	expect_fail(read_str(&t, "\xef\xbb\xbf" "a\nK\xf6ln\n", NULL),
		    CRM_EPARSE, "t.csv:2: invalid UTF-8 byte 0xf6");
	crm_csv_table_release(&t);
	expect_fail(read_str(&t, "", NULL), CRM_EPARSE, "t.csv: no header");
	crm_csv_table_release(&t);
	expect_fail(read_str(&t, "\n\n,,\n", NULL), CRM_EPARSE,
		    "t.csv: no header");
	crm_csv_table_release(&t);
}

static double seconds_since(clock_t start)
{
	return (double)(clock() - start) / CLOCKS_PER_SEC;
}

static void test_csv__hostile_sizes_refused_quickly(void **state)
{
	struct crm_csv_table t;
	struct strbuf sb = STRBUF_INIT;
	clock_t start;
	size_t i;

	(void)state;
	/* a million columns */
	for (i = 0; i < 1000000; i++)
		strbuf_addstr(&sb, "a,");
	strbuf_addstr(&sb, "a\n");
	start = clock();
	expect_fail(crm_csv_read(&t, sb.buf, sb.len, NULL, "wide.csv"),
		    CRM_EPARSE, "wide.csv:1: more than 10000 columns");
	assert_true(seconds_since(start) < 2.0);
	crm_csv_table_release(&t);

	/* a 50 MB cell */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "name,notes\nJane,\"");
	strbuf_addchars(&sb, 'x', (size_t)50 << 20);
	strbuf_addstr(&sb, "\"\n");
	start = clock();
	expect_fail(crm_csv_read(&t, sb.buf, sb.len, NULL, "big.csv"),
		    CRM_EPARSE, "big.csv:2: a cell is longer than 1 MiB");
	assert_true(seconds_since(start) < 5.0);
	crm_csv_table_release(&t);

	/* a cell of exactly 1 MiB is fine */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "name,notes\nJane,");
	strbuf_addchars(&sb, 'y', CRM_CSV_MAX_FIELD);
	strbuf_addstr(&sb, "\n");
	assert_int_equal(crm_csv_read(&t, sb.buf, sb.len, NULL, "ok.csv"), 0);
	assert_int_equal(strlen(t.rows[0].cells[1]), CRM_CSV_MAX_FIELD);
	crm_csv_table_release(&t);

	/* an unbalanced quote that runs through a big file */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "name,notes\nJane,\"open\n");
	for (i = 0; i < 200000; i++)
		strbuf_addstr(&sb, "Bob,more text here\n");
	expect_fail(crm_csv_read(&t, sb.buf, sb.len, NULL, "q.csv"),
		    CRM_EPARSE, "(the row began on line 2: is a quote "
		    "unbalanced there?)");
	crm_csv_table_release(&t);

	/* over 512 MiB: refused before a byte is read */
	expect_fail(crm_csv_read(&t, "x", CRM_CSV_MAX_FILE + 1, NULL,
				 "huge.csv"),
		    CRM_EPARSE, "huge.csv: the file is larger than 512 MiB");
	crm_csv_table_release(&t);
	strbuf_release(&sb);
}

static void test_csv__binary_garbage_refused(void **state)
{
	struct crm_csv_table t;
	struct strbuf sb = STRBUF_INIT;
	unsigned long x = 12345;
	size_t i;
	int seed;

	(void)state;
	for (seed = 0; seed < 20; seed++) {
		strbuf_reset(&sb);
		for (i = 0; i < 4096; i++) {
			x = x * 1103515245 + 12345 + (unsigned long)seed;
			strbuf_addch(&sb, (int)((x >> 16) & 0xff));
		}
		assert_int_equal(crm_csv_read(&t, sb.buf, sb.len, NULL, "b.bin"),
				 CRM_EPARSE);
		crm_csv_table_release(&t);
	}
	/* a PNG signature and header */
	expect_fail(crm_csv_read(&t, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, NULL,
				 "p.png"), CRM_EPARSE, "p.png:");
	crm_csv_table_release(&t);
	strbuf_release(&sb);
}

static void test_csv__write_quotes_and_line_ends(void **state)
{
	struct strbuf out = STRBUF_INIT;
	const char *cells[] = {
		"plain", "a,b", "say \"hi\"", "two\nlines", NULL, " spaced ",
		"cr\rhere",
	};

	(void)state;
	crm_csv_write_row(&out, cells, ARRAY_SIZE(cells), 1, 0);
	assert_string_equal(out.buf, "plain,\"a,b\",\"say \"\"hi\"\"\","
			    "\"two\nlines\",, spaced ,\"cr\rhere\"\r\n");
	strbuf_reset(&out);
	crm_csv_write_row(&out, cells, 1, 0, 0);
	assert_string_equal(out.buf, "plain\n");
	strbuf_release(&out);
}

static void test_csv__formulas_neutralised_and_restored(void **state)
{
	static const char *const values[] = {
		"=1+2", "+44 20 7946 0000", "-12.50", "@SUM(A1)", "\tx", "\rx",
		"=HYPERLINK(\"http://x\",\"y\")", "'=already", "''", "'plain",
		"plain", "", "'", "a=b", "12", "-",
	};
	struct strbuf out = STRBUF_INIT;
	struct crm_csv_table t;
	const char *header[] = { "v" };
	size_t i;

	(void)state;
	assert_true(crm_csv_needs_neutralising("=1"));
	assert_true(crm_csv_needs_neutralising("+44 20 7946 0000"));
	assert_true(crm_csv_needs_neutralising("-12.50"));
	assert_true(crm_csv_needs_neutralising("@x"));
	assert_true(crm_csv_needs_neutralising("'=x"));
	assert_false(crm_csv_needs_neutralising("'plain"));
	assert_false(crm_csv_needs_neutralising("plain"));
	assert_false(crm_csv_needs_neutralising(""));

	crm_csv_write_row(&out, (const char *const *)values, 2, 1, 1);
	assert_string_equal(out.buf, "'=1+2,'+44 20 7946 0000\r\n");
	strbuf_reset(&out);

	/* every value comes back exactly after a write and a read */
	crm_csv_write_row(&out, header, 1, 1, 1);
	for (i = 0; i < ARRAY_SIZE(values); i++) {
		const char *row[] = { values[i] };

		/* an empty row would be skipped: give it a marker column */
		if (!*values[i])
			continue;
		crm_csv_write_row(&out, row, 1, 1, 1);
	}
	assert_int_equal(crm_csv_read(&t, out.buf, out.len, NULL, "n.csv"), 0);
	assert_int_equal(t.nrows, ARRAY_SIZE(values) - 1);
	for (i = 0; i < t.nrows; i++) {
		const char *want = values[i < 11 ? i : i + 1];
		const char *got = crm_csv_unneutralise(t.rows[i].cells[0]);

		/* a CR in a cell is read back as a line end, "\n" */
		if (!strcmp(want, "\rx"))
			want = "\nx";
		if (strcmp(got, want))
			fail_msg("'%s' came back as '%s'", want, got);
	}
	crm_csv_table_release(&t);
	strbuf_release(&out);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_csv__rfc4180_quoting_and_lines),
	cmocka_unit_test(test_csv__spaces_kept_and_short_rows_padded),
	cmocka_unit_test(test_csv__delimiter_detected_outside_quotes),
	cmocka_unit_test(test_csv__bom_and_utf16),
	cmocka_unit_test(test_csv__windows_1252_excel_export),
	cmocka_unit_test(test_csv__linkedin_notes_before_the_header),
	cmocka_unit_test(test_csv__real_exports_parse),
	cmocka_unit_test(test_csv__cells_keep_their_line_breaks),
	cmocka_unit_test(test_csv__broken_files_name_the_row),
	cmocka_unit_test(test_csv__stray_quotes_and_bad_bytes),
	cmocka_unit_test(test_csv__hostile_sizes_refused_quickly),
	cmocka_unit_test(test_csv__binary_garbage_refused),
	cmocka_unit_test(test_csv__write_quotes_and_line_ends),
	cmocka_unit_test(test_csv__formulas_neutralised_and_restored),
};

UNIT_MAIN(tests)
