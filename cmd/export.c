#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/clock.h"
#include "../lib/csv.h"
#include "../lib/entries.h"
#include "../lib/error.h"
#include "../lib/export.h"
#include "../lib/filter.h"
#include "../lib/pool.h"
#include "../lib/slug.h"
#include "../lib/store.h"
#include "../lib/util.h"
#include "../lib/vcard.h"
#include "../lib/who.h"

static const char *const usage[] = {
	"crm export [--format <format>] [--excel] [--raw] [--output <file>] [customers | deals | log | followups] [<filter>...]",
	"crm export --person <who> [--output <file>]",
	NULL,
};

static const char *format, *output, *person;
static int excel, raw;

static const struct cmd_option options[] = {
	{ 'f', "format", OPT_STRING, &format, "<format>", "csv (default), json, vcard (customers) or ics (follow-ups and deal close dates)", COMPLETE_WORDS, "csv json vcard ics" },
	{ 0, "excel", OPT_FLAG, &excel, NULL, "start CSV with a byte-order mark, for Excel", 0, NULL },
	{ 0, "raw", OPT_FLAG, &raw, NULL, "do not neutralise cells a spreadsheet would run as formulas", 0, NULL },
	{ 'o', "output", OPT_STRING, &output, "<file>", "write to <file> instead of standard output", COMPLETE_FILE, NULL },
	{ 0, "person", OPT_STRING, &person, "<who>", "everything crm holds about one person, as JSON", COMPLETE_CUSTOMER, NULL },
	OPT_END_MARK,
};

static const enum opt_complete args_complete[] = { COMPLETE_WORDS, COMPLETE_FIELD, COMPLETE_NONE };

const struct cmd_spec spec_export = { "export", usage, options,
				      args_complete, 1, NULL };

enum dataset { DATA_CUSTOMERS, DATA_DEALS, DATA_LOG, DATA_FOLLOWUPS };
static const char *const dataset_names[] = { "customers", "deals", "log",
					     "followups" };

enum export_format { EXPORT_CSV, EXPORT_JSON, EXPORT_VCARD, EXPORT_ICS };

struct selection {
	const struct crm_filter *filter;
	struct crm_pool pool;
	const char **ids, **paths;
	size_t n, alloc;
	const char **custom;	/* custom field names, for CSV columns */
	size_t ncustom, custom_alloc;
};

static int select_match(const struct crm_node *summary, void *data)
{
	const struct selection *sel = data;

	return crm_filter_match(sel->filter, summary, NULL);
}

static void add_custom(struct selection *sel, const char *key)
{
	size_t i;

	for (i = 0; i < sel->ncustom; i++)
		if (!strcmp(sel->custom[i], key))
			return;
	ALLOC_GROW(sel->custom, sel->ncustom + 1, sel->custom_alloc);
	sel->custom[sel->ncustom++] = crm_pool_strdup(&sel->pool, key);
}

static int select_record(const char *id, const char *path,
			 const struct crm_node *summary, void *data)
{
	struct selection *sel = data;
	size_t i;

	ALLOC_GROW(sel->ids, sel->n + 1, sel->alloc);
	sel->paths = xrealloc(sel->paths, sel->alloc * sizeof(*sel->paths));
	sel->ids[sel->n] = crm_pool_strdup(&sel->pool, id);
	sel->paths[sel->n] = crm_pool_strdup(&sel->pool, path);
	sel->n++;
	for (i = 0; i < crm_map_len(summary); i++)
		if (!crm_field_is_known(crm_map_key(summary, i)))
			add_custom(sel, crm_map_key(summary, i));
	return 0;
}

static int str_order(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sort the selection by id (paths follow their ids). */
static void sort_selection(struct selection *sel)
{
	const char **pairs = xcalloc(sel->n ? sel->n * 2 : 1, sizeof(*pairs));
	size_t i;

	for (i = 0; i < sel->n; i++) {
		pairs[2 * i] = sel->ids[i];
		pairs[2 * i + 1] = sel->paths[i];
	}
	if (sel->n)
		qsort(pairs, sel->n, 2 * sizeof(*pairs), str_order);
	for (i = 0; i < sel->n; i++) {
		sel->ids[i] = pairs[2 * i];
		sel->paths[i] = pairs[2 * i + 1];
	}
	free(pairs);
	if (sel->ncustom)
		qsort(sel->custom, sel->ncustom, sizeof(*sel->custom),
		      str_order);
}

static void selection_release(struct selection *sel)
{
	free(sel->ids);
	free(sel->paths);
	free(sel->custom);
	crm_pool_release(&sel->pool);
}

struct writer {
	struct strbuf out;
	FILE *to_stdout;	/* NULL: collect everything for --output */
	int failed;
};

/* Standard output is written as we go; a file is written whole at the end. */
static void writer_flush(struct writer *w)
{
	if (w->to_stdout && w->out.len >= (1 << 20)) {
		w->failed |= flush_stdout(&w->out);
		strbuf_reset(&w->out);
	}
}

static void csv_row(struct writer *w, const char *const *cells, size_t n)
{
	crm_csv_write_row(&w->out, cells, n, 1, !raw);
}

static void export_entries(struct writer *w, const struct crm_record *r,
			   enum dataset ds, enum export_format fmt,
			   const struct crm_filter *filter, int *first)
{
	const char *key = ds == DATA_DEALS ? "deals" :
			  ds == DATA_LOG ? "log" : "followups";
	const struct crm_node *seq = crm_map_get(r->root, key);
	const char *name = crm_record_get(r, "name");
	size_t i;

	for (i = 0; seq && i < seq->nitems; i++) {
		const struct crm_node *e = seq->items[i];

		if (ds != DATA_LOG && !crm_filter_match(filter, r->root, e))
			continue;
		if (fmt == EXPORT_JSON) {
			strbuf_addstr(&w->out, *first ? "{\"customer\": " :
				      ",\n {\"customer\": ");
			json_string(&w->out, r->id);
			strbuf_addstr(&w->out, ", \"name\": ");
			json_string(&w->out, name ? name : "");
			strbuf_addf(&w->out, ", \"%s\": ",
				    ds == DATA_LOG ? "entry" : ds == DATA_DEALS ?
				    "deal" : "followup");
			json_node(&w->out, e);
			strbuf_addch(&w->out, '}');
		} else if (ds == DATA_DEALS) {
			const char *cells[] = {
				r->id, crm_map_get_str(e, "id"),
				crm_map_get_str(e, "title"),
				crm_map_get_str(e, "stage"),
				crm_map_get_str(e, "value"),
				crm_map_get_str(e, "currency"),
				crm_map_get_str(e, "probability"),
				crm_map_get_str(e, "close"),
				crm_map_get_str(e, "created"),
				crm_map_get_str(e, "closed"),
			};
			size_t k;

			for (k = 0; k < ARRAY_SIZE(cells); k++)
				if (!cells[k])
					cells[k] = "";
			csv_row(w, cells, ARRAY_SIZE(cells));
		} else if (ds == DATA_LOG) {
			const char *cells[] = {
				crm_map_get_str(e, "at"), r->id,
				crm_map_get_str(e, "type"),
				crm_map_get_str(e, "by"),
				crm_map_get_str(e, "text"),
			};
			size_t k;

			for (k = 0; k < ARRAY_SIZE(cells); k++)
				if (!cells[k])
					cells[k] = "";
			csv_row(w, cells, ARRAY_SIZE(cells));
		} else {
			const char *cells[] = {
				r->id, crm_map_get_str(e, "id"),
				crm_map_get_str(e, "due"),
				crm_map_get_str(e, "text"),
				crm_map_get_str(e, "done"),
				crm_map_get_str(e, "every"),
				crm_map_get_str(e, "owner"),
			};
			size_t k;

			for (k = 0; k < ARRAY_SIZE(cells); k++)
				if (!cells[k])
					cells[k] = "";
			csv_row(w, cells, ARRAY_SIZE(cells));
		}
		*first = 0;
		writer_flush(w);
	}
}

/*
 * The calendar of one dataset: a copy of the record holding only the
 * deals (or follow-ups) that pass the filter.
 */
static void ics_entries(struct crm_export_ics *ics, struct strbuf *out,
			const struct crm_record *r, enum dataset ds,
			const struct crm_filter *filter)
{
	const char *keep = ds == DATA_DEALS ? "deals" : "followups";
	const struct crm_node *seq = crm_map_get(r->root, keep);
	struct crm_node *copy = crm_node_new_map(), *list = crm_node_new_seq(0);
	size_t i;

	crm_map_set(copy, "id", crm_node_new_str(r->id));
	if (crm_record_get(r, "name"))
		crm_map_set(copy, "name",
			    crm_node_new_str(crm_record_get(r, "name")));
	for (i = 0; seq && i < seq->nitems; i++)
		if (crm_filter_match(filter, r->root, seq->items[i]))
			crm_seq_append(list, crm_node_dup(seq->items[i]));
	crm_map_set(copy, keep, list);
	crm_export_ics_record(ics, out, copy);
	crm_node_free(copy);
}

static const char *const entry_headers[][10] = {
	{ NULL },
	{ "customer", "id", "title", "stage", "value", "currency",
	  "probability", "close", "created", "closed" },
	{ "at", "customer", "type", "by", "text" },
	{ "customer", "id", "due", "text", "done", "every", "owner" },
};
static const size_t entry_ncols[] = { 0, 10, 5, 7 };

static int write_out(struct writer *w)
{
	if (w->to_stdout)
		return flush_stdout(&w->out) || w->failed;
	if (crm_write_file_atomic(output, w->out.buf, w->out.len)) {
		cmd_fail();
		return 1;
	}
	return 0;
}

static int export_dataset(struct crm_ctx *ctx, enum dataset ds,
			  enum export_format fmt, const struct crm_filter *f)
{
	struct selection sel;
	struct writer w;
	struct crm_export_csv csv;
	struct crm_export_ics ics;
	size_t i;
	time_t now;
	int offset, first = 1, rc = 0;

	memset(&sel, 0, sizeof(sel));
	memset(&w, 0, sizeof(w));
	strbuf_init(&w.out);
	w.to_stdout = output ? NULL : stdout;
	sel.filter = f;
	/* deals and follow-ups are filtered one by one, below */
	if (crm_now(&now, &offset) ||
	    records_each(ctx, ds == DATA_CUSTOMERS || ds == DATA_LOG ?
			 select_match : NULL, select_record, &sel)) {
		rc = cmd_fail();
		goto done;
	}
	sort_selection(&sel);
	if (excel && fmt == EXPORT_CSV)
		strbuf_addstr(&w.out, "\xef\xbb\xbf");
	if (fmt == EXPORT_CSV && ds == DATA_CUSTOMERS)
		crm_export_csv_begin(&csv, &w.out, sel.custom, sel.ncustom,
				     raw ? 0 : CRM_EXPORT_NEUTRALISE);
	else if (fmt == EXPORT_CSV)
		crm_csv_write_row(&w.out, entry_headers[ds], entry_ncols[ds], 1,
				  0);
	else if (fmt == EXPORT_ICS)
		crm_export_ics_begin(&ics, &w.out, "-//crm//crm export//EN", now);
	else if (fmt == EXPORT_JSON)
		strbuf_addch(&w.out, '[');
	for (i = 0; i < sel.n; i++) {
		struct crm_record *r;

		if (record_load(&r, ctx, sel.ids[i], sel.paths[i])) {
			cmd_warn("skipping %s", crm_error_last());
			continue;
		}
		if (ds != DATA_CUSTOMERS && fmt != EXPORT_ICS)
			export_entries(&w, r, ds, fmt, f, &first);
		else if (fmt == EXPORT_CSV)
			crm_export_csv_record(&csv, &w.out, r->root);
		else if (fmt == EXPORT_VCARD)
			crm_vcard_write(&w.out, r->root);
		else if (fmt == EXPORT_ICS && ds != DATA_CUSTOMERS)
			ics_entries(&ics, &w.out, r, ds, f);
		else if (fmt == EXPORT_ICS)
			crm_export_ics_record(&ics, &w.out, r->root);
		else {
			strbuf_addstr(&w.out, first ? "" : ",\n ");
			json_node(&w.out, r->root);
			first = 0;
		}
		crm_record_free(r);
		writer_flush(&w);
	}
	if (fmt == EXPORT_CSV && ds == DATA_CUSTOMERS)
		crm_export_csv_end(&csv);
	else if (fmt == EXPORT_ICS)
		crm_export_ics_end(&ics, &w.out);
	else if (fmt == EXPORT_JSON)
		strbuf_addstr(&w.out, "]\n");
	rc = write_out(&w);
done:
	selection_release(&sel);
	strbuf_release(&w.out);
	return rc;
}

/*
 * A subject access request: the person's record, every log entry of
 * another customer that names them, and every commit that changed
 * their record -- what crm holds about them, in one JSON document.
 */
struct mentions {
	const char *name, *email;
	struct strbuf *out;
	struct crm_ctx *ctx;
	const char *self;
	struct crm_pool pool;
	const char **ids, **paths;
	size_t n, alloc;
};

static int mention_candidate(const char *id, const char *path,
			     const struct crm_node *summary, void *data)
{
	struct mentions *m = data;

	(void)summary;
	if (!strcmp(id, m->self))
		return 0;
	ALLOC_GROW(m->ids, m->n + 1, m->alloc);
	m->paths = xrealloc(m->paths, m->alloc * sizeof(*m->paths));
	m->ids[m->n] = crm_pool_strdup(&m->pool, id);
	m->paths[m->n] = crm_pool_strdup(&m->pool, path);
	m->n++;
	return 0;
}

static int history_entry(const struct crm_change_info *info, void *data)
{
	struct strbuf *out = data;
	char when[CRM_MOMENT_MAX];
	const char *nl = strchr(info->message, '\n');
	struct strbuf subject = STRBUF_INIT;

	crm_format_moment(when, info->time, info->offset);
	strbuf_add(&subject, info->message,
		   nl ? (size_t)(nl - info->message) : strlen(info->message));
	if (out->buf[out->len - 1] != '[')
		strbuf_addstr(out, ", ");
	strbuf_addf(out, "{\"commit\": \"%s\", \"date\": \"%s\", \"author\": ",
		    info->commit, when);
	json_string(out, info->author);
	strbuf_addstr(out, ", \"subject\": ");
	json_string(out, subject.buf);
	strbuf_addch(out, '}');
	strbuf_release(&subject);
	return 0;
}

static int export_person(struct crm_ctx *ctx, const char *who)
{
	struct writer w;
	struct crm_record *r = NULL;
	struct mentions m;
	const struct crm_node *emails;
	size_t i, j;
	int rc, first = 1;

	memset(&w, 0, sizeof(w));
	memset(&m, 0, sizeof(m));
	strbuf_init(&w.out);
	w.to_stdout = output ? NULL : stdout;
	if ((rc = who_load(&r, ctx, who)))
		goto done;
	m.self = r->id;
	m.name = crm_record_get(r, "name");
	emails = crm_map_get(r->root, "emails");
	strbuf_addstr(&w.out, "{\"customer\": ");
	json_node(&w.out, r->root);
	strbuf_addstr(&w.out, ",\n \"mentioned_in\": [");
	if (records_each(ctx, NULL, mention_candidate, &m)) {
		rc = cmd_fail();
		goto done;
	}
	for (i = 0; i < m.n; i++) {
		struct crm_record *other;
		const struct crm_node *log;

		if (record_load(&other, ctx, m.ids[i], m.paths[i]))
			continue;
		log = crm_map_get(other->root, "log");
		for (j = 0; log && j < log->nitems; j++) {
			const char *text = crm_map_get_str(log->items[j], "text");
			size_t k;
			int hit = text && m.name && strstr(text, m.name);

			for (k = 0; !hit && text && emails && k < emails->nitems; k++)
				hit = emails->items[k]->str &&
				      strstr(text, emails->items[k]->str);
			if (!hit)
				continue;
			strbuf_addstr(&w.out, first ? "{\"customer\": " :
				      ", {\"customer\": ");
			json_string(&w.out, other->id);
			strbuf_addstr(&w.out, ", \"entry\": ");
			json_node(&w.out, log->items[j]);
			strbuf_addch(&w.out, '}');
			first = 0;
		}
		crm_record_free(other);
	}
	strbuf_addstr(&w.out, "],\n \"history\": [");
	if (crm_store_history(ctx->store, r->path, history_entry, &w.out)) {
		rc = cmd_fail();
		goto done;
	}
	strbuf_addstr(&w.out, "]}\n");
	rc = write_out(&w);
done:
	crm_record_free(r);
	free(m.ids);
	free(m.paths);
	crm_pool_release(&m.pool);
	strbuf_release(&w.out);
	return rc;
}

static int names_customer(struct crm_ctx *ctx, const char *word)
{
	struct strbuf path = STRBUF_INIT;
	int yes = 0;

	if (strchr(word, '@') && !strchr(word, ':'))
		return 1;
	if (crm_id_valid(word)) {
		crm_store_record_path(&path, word);
		yes = crm_store_file_exists(ctx->store, path.buf);
	}
	strbuf_release(&path);
	return yes;
}

static int parse_format(enum export_format *out, enum dataset ds)
{
	if (!format || !strcmp(format, "csv"))
		*out = EXPORT_CSV;
	else if (!strcmp(format, "json"))
		*out = EXPORT_JSON;
	else if (!strcmp(format, "vcard") && ds == DATA_CUSTOMERS)
		*out = EXPORT_VCARD;
	else if (!strcmp(format, "ics") &&
		 (ds == DATA_CUSTOMERS || ds == DATA_DEALS ||
		  ds == DATA_FOLLOWUPS))
		*out = EXPORT_ICS;
	else {
		cmd_error("cannot export %s as '%s' (csv, json%s)",
			  dataset_names[ds], format,
			  ds == DATA_CUSTOMERS ? ", vcard, ics" :
			  ds == DATA_LOG ? "" : ", ics");
		return -1;
	}
	return 0;
}

int cmd_export(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct crm_filter filter = { NULL, 0, 0 };
	enum dataset ds = DATA_CUSTOMERS;
	enum export_format fmt;
	size_t first_filter = 0, i;
	int rc;

	rc = cmd_parse(&spec_export, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (person) {
		if (args.n || format || excel || raw) {
			rc = cmd_usage_error(&spec_export, ctx,
					     "--person takes no other options "
					     "or filters");
			goto done;
		}
		rc = export_person(ctx, person);
		goto done;
	}
	for (i = 0; args.n && i < ARRAY_SIZE(dataset_names); i++)
		if (!strcmp(args.items[0], dataset_names[i])) {
			ds = (enum dataset)i;
			first_filter = 1;
		}
	/*
	 * `crm export jane-doe --format json`: one person, when the word is
	 * a customer's id or email (anything else is a filter word).
	 */
	if (!first_filter && args.n == 1 && format && !strcmp(format, "json") &&
	    names_customer(ctx, args.items[0])) {
		rc = export_person(ctx, args.items[0]);
		goto done;
	}
	if (parse_format(&fmt, ds)) {
		rc = 2;
		goto done;
	}
	if (args.n > first_filter &&
	    crm_filter_parse(&filter, args.items + first_filter,
			     args.n - first_filter)) {
		cmd_fail();
		rc = 2;
		goto done;
	}
	rc = export_dataset(ctx, ds, fmt, &filter);
done:
	crm_filter_release(&filter);
	strlist_release(&args);
	return rc;
}
