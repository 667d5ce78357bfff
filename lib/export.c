/*
 * CSV and ICS export of customers.  See export.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csv.h"
#include "date.h"
#include "entries.h"
#include "export.h"
#include "record.h"
#include "util.h"
#include "yaml.h"

/* ---- flow YAML ---- */

/* Whether `s` can be written bare inside a flow collection. */
static int flow_plain(const struct crm_node *n)
{
	const char *s = n->str ? n->str : "";
	size_t i, len = strlen(s);

	if (!len || s[len - 1] == ' ' || s[len - 1] == ':')
		return 0;
	if (n->type != CRM_SCALAR_PLAIN &&
	    (!crm_yaml_plain_is_string(s) ||
	     strchr("-?:,[]{}#&*!|>'\"%@` \t", s[0])))
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || strchr(",[]{}", c))
			return 0;
		if ((c == ':' && s[i + 1] == ' ') ||
		    (c == '#' && i && s[i - 1] == ' '))
			return 0;
	}
	return 1;
}

static void flow_quoted(struct strbuf *out, const char *s)
{
	strbuf_addch(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			strbuf_addch(out, '\\');
			strbuf_addch(out, c);
		} else if (c == '\n') {
			strbuf_addstr(out, "\\n");
		} else if (c == '\t') {
			strbuf_addstr(out, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			strbuf_addf(out, "\\x%02x", c);
		} else {
			strbuf_addch(out, c);
		}
	}
	strbuf_addch(out, '"');
}

void crm_export_flow_yaml(struct strbuf *out, const struct crm_node *n)
{
	size_t i;

	if (!n) {
		strbuf_addstr(out, "null");
		return;
	}
	switch (n->kind) {
	case CRM_NODE_SCALAR:
		if (flow_plain(n))
			strbuf_addstr(out, n->str);
		else
			flow_quoted(out, n->str ? n->str : "");
		break;
	case CRM_NODE_SEQ:
		strbuf_addch(out, '[');
		for (i = 0; i < n->nitems; i++) {
			if (i)
				strbuf_addstr(out, ", ");
			crm_export_flow_yaml(out, n->items[i]);
		}
		strbuf_addch(out, ']');
		break;
	case CRM_NODE_MAP:
		strbuf_addch(out, '{');
		for (i = 0; i < crm_map_len(n); i++) {
			if (i)
				strbuf_addstr(out, ", ");
			crm_export_flow_yaml(out, n->items[2 * i]);
			strbuf_addstr(out, ": ");
			crm_export_flow_yaml(out, n->items[2 * i + 1]);
		}
		strbuf_addch(out, '}');
		break;
	}
}

/* ---- line folding and TEXT escaping (RFC 5545 3.1, RFC 6350 3.2) ---- */

static size_t utf8_len(unsigned char c)
{
	if (c >= 0xf0 && c < 0xf8)
		return 4;
	if (c >= 0xe0)
		return c < 0xf0 ? 3 : 1;
	if (c >= 0xc0)
		return 2;
	return 1;
}

void crm_export_fold_line(struct strbuf *out, const char *line, size_t len)
{
	size_t i = 0, col = 0;

	while (i < len) {
		size_t n = utf8_len((unsigned char)line[i]);

		if (n > len - i)
			n = len - i;
		if (col + n > 75) {
			strbuf_addstr(out, "\r\n ");
			col = 1;
		}
		strbuf_add(out, line + i, n);
		col += n;
		i += n;
	}
	strbuf_addstr(out, "\r\n");
}

void crm_export_escape_text(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\':
		case ',':
		case ';':
			strbuf_addch(out, '\\');
			strbuf_addch(out, *s);
			break;
		case '\r':
			if (s[1] != '\n')
				strbuf_addstr(out, "\\n");
			break;
		case '\n':
			strbuf_addstr(out, "\\n");
			break;
		default:
			strbuf_addch(out, *s);
		}
	}
}

/* ---- CSV ---- */

static const char *const csv_fields[] = {
	"id", "name", "kind", "company", "emails", "phones", "tags", "owner",
	"created", "notes",
};

struct names {
	const char **v;
	size_t n, alloc;
};

static void names_add(struct names *names, const char *name)
{
	size_t i;

	for (i = 0; i < names->n; i++)
		if (!strcmp(names->v[i], name))
			return;
	ALLOC_GROW(names->v, names->n + 1, names->alloc);
	names->v[names->n++] = name;
}

static void cell_text(struct strbuf *out, const struct crm_node *v,
		      const char *field, int custom)
{
	size_t i;

	if (!v)
		return;
	if (v->kind == CRM_NODE_SEQ && crm_field_is_list(field)) {
		for (i = 0; i < v->nitems; i++) {
			if (i)
				strbuf_addstr(out, ", ");
			if (v->items[i]->kind == CRM_NODE_SCALAR)
				strbuf_addstr(out, v->items[i]->str);
			else
				crm_export_flow_yaml(out, v->items[i]);
		}
	} else if (v->kind != CRM_NODE_SCALAR) {
		crm_export_flow_yaml(out, v);
	} else if (custom && v->str && v->str[0] &&
		   strchr("[{\"", v->str[0])) {
		/* would read back as flow YAML: write it as such */
		flow_quoted(out, v->str);
	} else if (v->str) {
		strbuf_addstr(out, v->str);
	}
}

void crm_export_csv_begin(struct crm_export_csv *x, struct strbuf *out,
			  const char *const *custom, size_t ncustom,
			  unsigned flags)
{
	size_t i, nfixed = ARRAY_SIZE(csv_fields);

	memset(x, 0, sizeof(*x));
	x->flags = flags;
	x->ncolumns = nfixed + ncustom;
	x->columns = xcalloc(x->ncolumns, sizeof(*x->columns));
	for (i = 0; i < nfixed; i++)
		x->columns[i] = xstrdup(csv_fields[i]);
	for (i = 0; i < ncustom; i++)
		x->columns[nfixed + i] = xstrdup(custom[i]);
	if (flags & CRM_EXPORT_BOM)
		strbuf_addstr(out, "\xef\xbb\xbf");
	crm_csv_write_row(out, (const char *const *)x->columns, x->ncolumns,
			  1, 0);
}

void crm_export_csv_record(struct crm_export_csv *x, struct strbuf *out,
			   const struct crm_node *record)
{
	size_t nfixed = ARRAY_SIZE(csv_fields), j;
	struct strbuf *cells = xcalloc(x->ncolumns, sizeof(*cells));
	const char **texts = xcalloc(x->ncolumns, sizeof(*texts));

	for (j = 0; j < x->ncolumns; j++) {
		strbuf_init(&cells[j]);
		cell_text(&cells[j], crm_map_get(record, x->columns[j]),
			  x->columns[j], j >= nfixed);
		texts[j] = cells[j].buf;
	}
	crm_csv_write_row(out, texts, x->ncolumns, 1,
			  !!(x->flags & CRM_EXPORT_NEUTRALISE));
	for (j = 0; j < x->ncolumns; j++)
		strbuf_release(&cells[j]);
	free(cells);
	free(texts);
}

void crm_export_csv_end(struct crm_export_csv *x)
{
	size_t i;

	for (i = 0; i < x->ncolumns; i++)
		free(x->columns[i]);
	free(x->columns);
	memset(x, 0, sizeof(*x));
}

void crm_export_csv_customers(struct strbuf *out,
			      struct crm_node *const *records, size_t n,
			      unsigned flags)
{
	struct names custom = { NULL, 0, 0 };
	struct crm_export_csv x;
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < crm_map_len(records[i]); j++) {
			const char *key = crm_map_key(records[i], j);

			if (!crm_field_is_known(key))
				names_add(&custom, key);
		}
	crm_export_csv_begin(&x, out, custom.v, custom.n, flags);
	for (i = 0; i < n; i++)
		crm_export_csv_record(&x, out, records[i]);
	crm_export_csv_end(&x);
	free(custom.v);
}

/* ---- ICS ---- */

static void ics_prop(struct strbuf *out, const char *name, const char *text)
{
	struct strbuf line = STRBUF_INIT;

	strbuf_addf(&line, "%s:", name);
	crm_export_escape_text(&line, text);
	crm_export_fold_line(out, line.buf, line.len);
	strbuf_release(&line);
}

static void ics_raw(struct strbuf *out, const char *line)
{
	crm_export_fold_line(out, line, strlen(line));
}

struct ics_event {
	const char *uid_kind;	/* "followup" or "deal" */
	const char *customer;	/* the record's id */
	const char *entry;	/* the follow-up's or deal's id */
	const char *summary;
	const char *description;	/* or NULL */
	struct crm_date day;
};

static void ics_event(struct strbuf *out, const struct ics_event *e,
		      const char *stamp)
{
	struct strbuf sb = STRBUF_INIT;
	struct crm_date next;

	crm_date_from_days(&next, crm_date_to_days(&e->day) + 1);
	ics_raw(out, "BEGIN:VEVENT");
	strbuf_addf(&sb, "%s-%s-%s@crm", e->uid_kind, e->customer, e->entry);
	ics_prop(out, "UID", sb.buf);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "DTSTAMP:%s", stamp);
	ics_raw(out, sb.buf);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "DTSTART;VALUE=DATE:%04d%02d%02d", e->day.year,
		    e->day.month, e->day.day);
	ics_raw(out, sb.buf);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "DTEND;VALUE=DATE:%04d%02d%02d", next.year,
		    next.month, next.day);
	ics_raw(out, sb.buf);
	ics_prop(out, "SUMMARY", e->summary);
	if (e->description)
		ics_prop(out, "DESCRIPTION", e->description);
	/* a reminder, not a meeting: it does not make the day busy */
	ics_raw(out, "TRANSP:TRANSPARENT");
	ics_raw(out, "END:VEVENT");
	strbuf_release(&sb);
}

/* A summary is one line: runs of white space made one space. */
static void one_line(struct strbuf *out, const char *s)
{
	size_t start = out->len;
	int pending = 0;

	for (; *s; s++) {
		if (strchr(" \t\r\n", *s)) {
			pending = out->len > start;
			continue;
		}
		if (pending)
			strbuf_addch(out, ' ');
		pending = 0;
		strbuf_addch(out, *s);
	}
}

/* The id of an entry (a follow-up's is a number, a deal's a slug). */
static const char *entry_id(const struct crm_node *entry)
{
	const char *id = crm_map_get_str(entry, "id");

	return id && *id ? id : NULL;
}

void crm_export_ics_begin(struct crm_export_ics *x, struct strbuf *out,
			  const char *prodid, time_t now)
{
	struct tm tm;

	memset(x, 0, sizeof(*x));
	snprintf(x->stamp, sizeof(x->stamp), "19700101T000000Z");
	if (gmtime_r(&now, &tm))
		strftime(x->stamp, sizeof(x->stamp), "%Y%m%dT%H%M%SZ", &tm);
	ics_raw(out, "BEGIN:VCALENDAR");
	ics_raw(out, "VERSION:2.0");
	ics_prop(out, "PRODID", prodid);
	ics_raw(out, "CALSCALE:GREGORIAN");
	ics_raw(out, "METHOD:PUBLISH");
}

void crm_export_ics_record(struct crm_export_ics *x, struct strbuf *out,
			   const struct crm_node *r)
{
	struct strbuf summary = STRBUF_INIT, desc = STRBUF_INIT;
	const char *id = crm_map_get_str(r, "id");
	const char *name = crm_map_get_str(r, "name");
	const char *stamp = x->stamp;
	const struct crm_node *seq;
	size_t j;

	if (!id)
		return;
	if (!name)
		name = id;
	seq = crm_map_get(r, "followups");
	for (j = 0; seq && seq->kind == CRM_NODE_SEQ && j < seq->nitems; j++) {
		const struct crm_node *f = seq->items[j];
		const char *text = crm_map_get_str(f, "text");
		const char *due = crm_map_get_str(f, "due");
		struct ics_event e = { "followup", id, entry_id(f),
				       NULL, NULL, { 0, 0, 0 } };

		if (f->kind != CRM_NODE_MAP || !e.entry || !due ||
		    !crm_followup_is_open(f) ||
		    crm_date_from_iso(&e.day, due))
			continue;
		strbuf_reset(&summary);
		one_line(&summary, text && *text ? text : "Follow-up");
		strbuf_addf(&summary, " \xe2\x80\x94 %s", name);
		e.summary = summary.buf;
		/* the whole text where the summary had to join lines */
		e.description = text && strchr(text, '\n') ? text : NULL;
		ics_event(out, &e, stamp);
		x->events++;
	}
	seq = crm_map_get(r, "deals");
	for (j = 0; seq && seq->kind == CRM_NODE_SEQ && j < seq->nitems; j++) {
		const struct crm_node *d = seq->items[j];
		const char *title = crm_map_get_str(d, "title");
		const char *close = crm_map_get_str(d, "close");
		const char *stage = crm_map_get_str(d, "stage");
		const char *value = crm_map_get_str(d, "value");
		const char *currency = crm_map_get_str(d, "currency");
		struct ics_event e = { "deal", id, entry_id(d), NULL,
				       NULL, { 0, 0, 0 } };

		if (d->kind != CRM_NODE_MAP || !e.entry || !close ||
		    !crm_deal_is_open(d) || crm_date_from_iso(&e.day, close))
			continue;
		strbuf_reset(&summary);
		strbuf_addstr(&summary, "Close: ");
		one_line(&summary, title && *title ? title : e.entry);
		strbuf_addf(&summary, " \xe2\x80\x94 %s", name);
		e.summary = summary.buf;
		strbuf_reset(&desc);
		if (stage)
			strbuf_addf(&desc, "Stage: %s", stage);
		if (value)
			strbuf_addf(&desc, "%sValue: %s%s%s",
				    desc.len ? "\n" : "", value,
				    currency ? " " : "", currency ? currency : "");
		e.description = desc.len ? desc.buf : NULL;
		ics_event(out, &e, stamp);
		x->events++;
	}
	strbuf_release(&summary);
	strbuf_release(&desc);
}

size_t crm_export_ics_end(struct crm_export_ics *x, struct strbuf *out)
{
	ics_raw(out, "END:VCALENDAR");
	return x->events;
}

size_t crm_export_ics(struct strbuf *out, struct crm_node *const *records,
		      size_t n, const char *prodid, time_t now)
{
	struct crm_export_ics x;
	size_t i;

	crm_export_ics_begin(&x, out, prodid, now);
	for (i = 0; i < n; i++)
		crm_export_ics_record(&x, out, records[i]);
	return crm_export_ics_end(&x, out);
}
