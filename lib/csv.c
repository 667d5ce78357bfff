/*
 * CSV reading and writing on top of libcsv.
 *
 * libcsv does the quoting state machine; crm adds what it leaves out:
 * decoding the bytes to UTF-8 first, line numbers (libcsv has none: the
 * text is fed one line at a time, so the line a row starts on is known
 * when its first byte goes in), finding the header below a preamble,
 * and limits that keep hostile files cheap to refuse.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>
#include <unistr.h>

#include "csv.h"
#include "error.h"
#include "util.h"

/* How far down a file the header of a known export is looked for. */
#define HEADER_SCAN_RECORDS 50
#define HEADER_SCAN_BYTES ((size_t)1 << 20)
/* A header cell longer than this is no column name anyone exports. */
#define HEADER_NAME_MAX 256

/* Windows-1252 0x80..0x9F; 0 marks the five bytes it leaves undefined. */
static const uint16_t cp1252_high[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

static void add_utf8(struct strbuf *out, unsigned c)
{
	if (c < 0x80) {
		strbuf_addch(out, (int)c);
	} else if (c < 0x800) {
		strbuf_addch(out, (int)(0xc0 | (c >> 6)));
		strbuf_addch(out, (int)(0x80 | (c & 0x3f)));
	} else {
		strbuf_addch(out, (int)(0xe0 | (c >> 12)));
		strbuf_addch(out, (int)(0x80 | ((c >> 6) & 0x3f)));
		strbuf_addch(out, (int)(0x80 | (c & 0x3f)));
	}
}

/* The 1-based line of byte `off`, counting CRLF, LF and lone CR. */
static size_t line_at(const unsigned char *s, size_t off)
{
	size_t i, line = 1;

	for (i = 0; i < off; i++)
		if (s[i] == '\n' || (s[i] == '\r' && s[i + 1] != '\n'))
			line++;
	return line;
}

static int from_cp1252(struct strbuf *out, const unsigned char *s,
		       size_t len, const char *name)
{
	size_t i, run = 0;

	for (i = 0; i < len; i++) {
		unsigned c = s[i];

		if (c < 0x80)
			continue;
		strbuf_add(out, s + run, i - run);
		if (c < 0xa0) {
			if (!cp1252_high[c - 0x80]) {
				crm_error_set(CRM_EPARSE, "%s:%zu: byte 0x%02x is "
					      "not Windows-1252 text", name,
					      line_at(s, i), c);
				return CRM_EPARSE;
			}
			c = cp1252_high[c - 0x80];
		}
		add_utf8(out, c);
		run = i + 1;
	}
	strbuf_add(out, s + run, len - run);
	return 0;
}

static int from_utf16(struct strbuf *out, const unsigned char *s,
		      size_t len, int big_endian, const char *name)
{
	uint16_t *units = NULL;
	uint8_t *text = NULL;
	size_t i, n = len / 2, textlen = 0;
	int rc = 0;

	if (len % 2) {
		crm_error_set(CRM_EPARSE, "%s: UTF-16 text with an odd number "
			      "of bytes", name);
		rc = CRM_EPARSE;
		goto done;
	}
	if (!n)
		goto done;
	units = xmalloc(n * sizeof(*units));
	for (i = 0; i < n; i++)
		units[i] = big_endian ?
			   (uint16_t)(s[2 * i] << 8 | s[2 * i + 1]) :
			   (uint16_t)(s[2 * i] | s[2 * i + 1] << 8);
	text = u16_to_u8(units, n, NULL, &textlen);
	if (!text) {
		if (errno == ENOMEM)
			crm_die_oom();
		crm_error_set(CRM_EPARSE, "%s: invalid UTF-16 text", name);
		rc = CRM_EPARSE;
		goto done;
	}
	strbuf_add(out, text, textlen);
done:
	free(units);
	free(text);
	return rc;
}

/*
 * Whether text that is not valid UTF-8 still holds valid multi-byte
 * sequences: then it is UTF-8 with a few broken bytes, and reading it
 * as Windows-1252 would turn every accent in it into mojibake.
 */
static int has_utf8_sequences(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		ucs4_t uc;
		int n;

		if (s[i] < 0x80) {
			i++;
			continue;
		}
		n = u8_mbtoucr(&uc, s + i, len - i);
		if (n > 1)
			return 1;
		i++;
	}
	return 0;
}

/*
 * The last pass over UTF-8 text: line ends made "\n", control
 * characters refused.  Runs of ordinary bytes are copied whole: this
 * pass sees every byte of a file that may be hundreds of megabytes.
 */
static int normalise(struct strbuf *out, const unsigned char *s, size_t len,
		     const char *name)
{
	size_t i, run = 0, line = 1;

	strbuf_grow(out, len);
	for (i = 0; i < len; i++) {
		unsigned c = s[i];

		if (c >= 0x20 && c != 0x7f && c != 0xc2)
			continue;
		if (c == 0xc2 && !(i + 1 < len && s[i + 1] >= 0x80 &&
				   s[i + 1] <= 0x9f))
			continue;
		strbuf_add(out, s + run, i - run);
		run = i + 1;
		if (c == '\t') {
			strbuf_addch(out, '\t');
			continue;
		}
		if (c == '\n' || c == '\r') {
			strbuf_addch(out, '\n');
			if (c == '\r' && i + 1 < len && s[i + 1] == '\n')
				run = ++i + 1;
			line++;
			continue;
		}
		if (!c)
			crm_error_set(CRM_EPARSE, "%s:%zu: NUL byte: this is a "
				      "binary file, not text", name, line);
		else if (c == 0xc2)
			crm_error_set(CRM_EPARSE, "%s:%zu: control character "
				      "U+%04X", name, line, s[i + 1]);
		else
			crm_error_set(CRM_EPARSE, "%s:%zu: control character "
				      "0x%02x", name, line, c);
		return CRM_EPARSE;
	}
	strbuf_add(out, s + run, len - run);
	return 0;
}

int crm_csv_decode(struct strbuf *out, const char **converted_from,
		   const char *buf, size_t len, const char *name)
{
	struct strbuf conv = STRBUF_INIT;
	const unsigned char *s = (const unsigned char *)buf;
	const char *from = NULL;
	const uint8_t *bad;
	int bom = 0, rc = 0;

	*converted_from = NULL;
	if (len > CRM_CSV_MAX_FILE) {
		crm_error_set(CRM_EPARSE, "%s: the file is larger than 512 MiB",
			      name);
		rc = CRM_EPARSE;
		goto done;
	}
	if (len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) {
		bom = 1;
		s += 3;
		len -= 3;
	} else if (len >= 2 && ((s[0] == 0xff && s[1] == 0xfe) ||
				(s[0] == 0xfe && s[1] == 0xff))) {
		from = s[0] == 0xfe ? "UTF-16BE" : "UTF-16LE";
		if ((rc = from_utf16(&conv, s + 2, len - 2, s[0] == 0xfe,
				     name)))
			goto done;
		s = (const unsigned char *)conv.buf;
		len = conv.len;
		bom = 1;
	}
	bad = u8_check(s, len);
	if (bad) {
		size_t off = (size_t)(bad - s);

		if (bom || has_utf8_sequences(s, len)) {
			crm_error_set(CRM_EPARSE, "%s:%zu: invalid UTF-8 byte "
				      "0x%02x (the rest of the file is UTF-8: "
				      "save it again as UTF-8)", name,
				      line_at(s, off), *bad);
			rc = CRM_EPARSE;
			goto done;
		}
		if ((rc = from_cp1252(&conv, s, len, name)))
			goto done;
		s = (const unsigned char *)conv.buf;
		len = conv.len;
		from = "Windows-1252";
	}
	if ((rc = normalise(out, s, len, name)))
		goto done;
	*converted_from = from;
done:
	strbuf_release(&conv);
	return rc;
}

/* ---- finding the header ---- */

struct header_guess {
	size_t off, line;
	int delimiter;
};

/* The end of the record at `off`: its unquoted '\n', or `len`. */
static size_t record_end(const char *s, size_t len, size_t off)
{
	int quoted = 0;

	for (; off < len; off++) {
		if (s[off] == '"')
			quoted = !quoted;
		else if (s[off] == '\n' && !quoted)
			break;
	}
	return off;
}

static int record_blank(const char *s, size_t from, size_t to)
{
	for (; from < to; from++)
		if (!strchr(" \t,;\"", s[from]))
			return 0;
	return 1;
}

/* How many cells of the record [from, to) `known` recognises. */
static size_t count_known(const char *s, size_t from, size_t to, int delim,
			  int (*known)(const char *))
{
	struct strbuf cell = STRBUF_INIT;
	size_t i, cells = 0, nknown = 0;
	int quoted = 0, too_long = 0;

	for (i = from; i <= to && cells <= CRM_CSV_MAX_COLUMNS; i++) {
		if (i == to || (s[i] == delim && !quoted)) {
			if (!too_long && known(cell.buf))
				nknown++;
			strbuf_reset(&cell);
			too_long = 0;
			cells++;
		} else if (s[i] == '"') {
			if (quoted && i + 1 < to && s[i + 1] == '"')
				strbuf_addch(&cell, s[i++]);
			else
				quoted = !quoted;
		} else if (cell.len < HEADER_NAME_MAX) {
			strbuf_addch(&cell, s[i]);
		} else {
			too_long = 1;
		}
	}
	strbuf_release(&cell);
	return nknown;
}

static size_t count_unquoted(const char *s, size_t from, size_t to, int c)
{
	size_t n = 0;
	int quoted = 0;

	for (; from < to; from++) {
		if (s[from] == '"')
			quoted = !quoted;
		else if (s[from] == c && !quoted)
			n++;
	}
	return n;
}

static void find_header(struct header_guess *g, const char *s, size_t len,
			const struct crm_csv_options *opt)
{
	static const int candidates[] = { ',', ';', '\t' };
	int fixed = opt ? opt->delimiter : 0;
	size_t off = 0, line = 1, records = 0, i;
	int found_first = 0;

	g->off = 0;
	g->line = 1;
	g->delimiter = fixed ? fixed : ',';
	while (off < len && records < HEADER_SCAN_RECORDS &&
	       off < HEADER_SCAN_BYTES) {
		size_t end = record_end(s, len, off), nl = 0;

		if (!record_blank(s, off, end)) {
			size_t best = 0;
			int best_delim = 0;

			if (!found_first) {
				found_first = 1;
				g->off = off;
				g->line = line;
			}
			for (i = 0; opt && opt->known_header &&
			     i < ARRAY_SIZE(candidates); i++) {
				int d = fixed ? fixed : candidates[i];
				size_t k = count_known(s, off, end, d,
						       opt->known_header);

				if (k > best) {
					best = k;
					best_delim = d;
				}
				if (fixed)
					break;
			}
			if (best >= 2) {
				g->off = off;
				g->line = line;
				g->delimiter = best_delim;
				return;
			}
			records++;
		}
		for (i = off; i < end; i++)
			nl += s[i] == '\n';
		line += nl + 1;
		off = end + 1;
	}
	if (!fixed && found_first) {
		size_t end = record_end(s, len, g->off), best = 0;

		for (i = 0; i < ARRAY_SIZE(candidates); i++) {
			size_t n = count_unquoted(s, g->off, end,
						  candidates[i]);

			if (n > best) {
				best = n;
				g->delimiter = candidates[i];
			}
		}
	}
}

/* ---- parsing with libcsv ---- */

struct parse_state {
	struct crm_csv_table *t;
	const char *name;
	struct strbuf cells;	/* this row's cells, each NUL-terminated */
	size_t *offsets;	/* where each cell starts in `cells` */
	size_t nfields, alloc;
	size_t row_line;	/* where the row being read started */
	int open;		/* a row has begun and not ended */
	int have_header;
	int failed;		/* an error is set: ignore the rest */
};

/* Spaces are data: libcsv would otherwise trim them around cells. */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* Line ends are "\n" by now (crm_csv_decode). */
static int line_feed(unsigned char c)
{
	return c == '\n';
}

/*
 * libcsv grows its cell buffer with this; refusing past the limit makes
 * it stop with CSV_ENOMEM at once instead of reading a 50 MB "cell".
 * The byte over the limit is the one libcsv asks for before it knows
 * the cell has ended.
 */
static void *limited_realloc(void *p, size_t n)
{
	void *q;

	if (n > CRM_CSV_MAX_FIELD + 1)
		return NULL;
	q = realloc(p, n);
	if (!q)
		crm_die_oom();
	return q;
}

static void on_field(void *field, size_t len, void *data)
{
	struct parse_state *st = data;

	if (st->failed)
		return;
	if (st->nfields == CRM_CSV_MAX_COLUMNS) {
		crm_error_set(CRM_EPARSE, "%s:%zu: more than %d columns",
			      st->name, st->row_line, CRM_CSV_MAX_COLUMNS);
		st->failed = 1;
		return;
	}
	ALLOC_GROW(st->offsets, st->nfields + 1, st->alloc);
	st->offsets[st->nfields++] = st->cells.len;
	if (len)
		strbuf_add(&st->cells, field, len);
	strbuf_addch(&st->cells, '\0');
}

/* One allocation holds a row: the cell pointers, then the text. */
static char **make_cells(const struct parse_state *st, size_t ncols)
{
	size_t ptrs = ncols * sizeof(char *), i;
	char **cells = xmalloc(ptrs + st->cells.len + 1);
	char *text = (char *)cells + ptrs;

	memcpy(text, st->cells.buf, st->cells.len);
	text[st->cells.len] = '\0';
	for (i = 0; i < ncols; i++)
		cells[i] = text + (i < st->nfields ? st->offsets[i] :
				   st->cells.len);
	return cells;
}

static int row_blank(const struct parse_state *st)
{
	size_t i;

	for (i = 0; i < st->cells.len; i++)
		if (!strchr(" \t", st->cells.buf[i]) && st->cells.buf[i])
			return 0;
	return 1;
}

static void on_row(int c, void *data)
{
	struct parse_state *st = data;
	struct crm_csv_table *t = st->t;

	(void)c;
	if (st->failed || row_blank(st))
		goto next;
	if (!st->have_header) {
		t->ncols = st->nfields;
		t->header.cells = make_cells(st, t->ncols);
		t->header.line = st->row_line;
		st->have_header = 1;
	} else if (st->nfields > t->ncols) {
		crm_error_set(CRM_EPARSE, "%s:%zu: %zu fields, the header has "
			      "%zu", st->name, st->row_line, st->nfields,
			      t->ncols);
		st->failed = 1;
	} else {
		ALLOC_GROW(t->rows, t->nrows + 1, t->alloc);
		t->rows[t->nrows].cells = make_cells(st, t->ncols);
		t->rows[t->nrows].line = st->row_line;
		t->nrows++;
	}
next:
	st->nfields = 0;
	strbuf_reset(&st->cells);
	st->open = 0;
}

static void parse_error(struct csv_parser *p, const struct parse_state *st,
			size_t line)
{
	struct strbuf hint = STRBUF_INIT;

	if (st->row_line != line)
		strbuf_addf(&hint, " (the row began on line %zu: is a quote "
			    "unbalanced there?)", st->row_line);
	if (csv_error(p) != CSV_EPARSE)
		crm_error_set(CRM_EPARSE, "%s:%zu: a cell is longer than 1 MiB%s",
			      st->name, line, hint.buf);
	else if (p->quoted)
		crm_error_set(CRM_EPARSE, "%s:%zu: text after the closing quote "
			      "of a cell (a quote inside a quoted cell is "
			      "written twice)%s", st->name, line, hint.buf);
	else
		crm_error_set(CRM_EPARSE, "%s:%zu: a quote inside a cell that "
			      "does not begin with one%s", st->name, line,
			      hint.buf);
	strbuf_release(&hint);
}

static int valid_delimiter(int d)
{
	return d > 0 && d < 0x80 && d != '"' && d != '\n' && d != '\r' &&
	       !(d >= '0' && d <= '9') && !(d >= 'a' && d <= 'z') &&
	       !(d >= 'A' && d <= 'Z');
}

int crm_csv_read(struct crm_csv_table *out, const char *buf, size_t len,
		 const struct crm_csv_options *opt, const char *name)
{
	struct strbuf text = STRBUF_INIT;
	struct parse_state st;
	struct csv_parser p;
	struct header_guess g;
	int parser_ready = 0, rc = 0;
	size_t off, line;

	memset(out, 0, sizeof(*out));
	memset(&st, 0, sizeof(st));
	strbuf_init(&st.cells);
	st.t = out;
	st.name = name;
	if (opt && opt->delimiter && !valid_delimiter(opt->delimiter)) {
		crm_error_set(CRM_EINVALID, "'%c' cannot be a CSV delimiter",
			      opt->delimiter);
		rc = CRM_EINVALID;
		goto done;
	}
	if ((rc = crm_csv_decode(&text, &out->converted_from, buf, len,
				 name)))
		goto done;
	find_header(&g, text.buf, text.len, opt);
	out->delimiter = g.delimiter;
	out->preamble_lines = g.line - 1;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI)) {
		crm_error_set(CRM_ERROR, "cannot set up the CSV parser");
		rc = CRM_ERROR;
		goto done;
	}
	parser_ready = 1;
	csv_set_delim(&p, (unsigned char)g.delimiter);
	csv_set_space_func(&p, no_space);
	csv_set_term_func(&p, line_feed);
	csv_set_realloc_func(&p, limited_realloc);
	csv_set_blk_size(&p, 64 * 1024);

	/* One line at a time, so that a row knows the line it began on. */
	for (off = g.off, line = g.line; off < text.len && !st.failed;
	     line++) {
		const char *nl = memchr(text.buf + off, '\n', text.len - off);
		size_t end = nl ? (size_t)(nl - text.buf) + 1 : text.len;

		if (!st.open && text.buf[off] != '\n') {
			st.open = 1;
			st.row_line = line;
		}
		if (csv_parse(&p, text.buf + off, end - off, on_field, on_row,
			      &st) != end - off) {
			parse_error(&p, &st, line);
			rc = CRM_EPARSE;
			goto done;
		}
		off = end;
	}
	if (!st.failed && csv_fini(&p, on_field, on_row, &st)) {
		crm_error_set(CRM_EPARSE, "%s:%zu: unbalanced quote: a quoted "
			      "cell that begins in this row never ends", name,
			      st.row_line);
		rc = CRM_EPARSE;
		goto done;
	}
	if (st.failed) {
		rc = CRM_EPARSE;
		goto done;
	}
	if (!st.have_header) {
		crm_error_set(CRM_EPARSE, "%s: no header line: the file is "
			      "empty", name);
		rc = CRM_EPARSE;
	}
done:
	if (parser_ready)
		csv_free(&p);
	free(st.offsets);
	strbuf_release(&st.cells);
	strbuf_release(&text);
	return rc;
}

void crm_csv_table_release(struct crm_csv_table *t)
{
	size_t i;

	if (!t)
		return;
	free(t->header.cells);
	for (i = 0; i < t->nrows; i++)
		free(t->rows[i].cells);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

/* ---- writing ---- */

static int formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
	       c == '\r';
}

/*
 * What after an apostrophe makes crm_csv_unneutralise drop it: a
 * formula character, another apostrophe, or the line end a CR in a
 * cell is read back as.  Such a cell is written with one more
 * apostrophe, so every value comes back exactly.
 */
static int after_apostrophe(char c)
{
	return c && (formula_start(c) || c == '\'' || c == '\n');
}

int crm_csv_needs_neutralising(const char *cell)
{
	if (!cell || !*cell)
		return 0;
	if (formula_start(cell[0]))
		return 1;
	return cell[0] == '\'' && after_apostrophe(cell[1]);
}

const char *crm_csv_unneutralise(const char *cell)
{
	if (cell[0] == '\'' && after_apostrophe(cell[1]))
		return cell + 1;
	return cell;
}

void crm_csv_write_row(struct strbuf *out, const char *const *cells,
		       size_t n, int crlf, int neutralise_formulas)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *c = cells[i] ? cells[i] : "";
		int quote = strpbrk(c, ",\"\r\n") != NULL;

		if (i)
			strbuf_addch(out, ',');
		if (quote)
			strbuf_addch(out, '"');
		if (neutralise_formulas && crm_csv_needs_neutralising(c))
			strbuf_addch(out, '\'');
		for (; *c; c++) {
			if (*c == '"')
				strbuf_addch(out, '"');
			strbuf_addch(out, *c);
		}
		if (quote)
			strbuf_addch(out, '"');
	}
	strbuf_addstr(out, crlf ? "\r\n" : "\n");
}
