#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/clock.h"
#include "../lib/date.h"
#include "../lib/entries.h"
#include "../lib/error.h"
#include "../lib/filter.h"
#include "../lib/pool.h"
#include "../lib/scan.h"
#include "../lib/text.h"
#include "../lib/util.h"

static const char *due, *every, *owner, *format;
static int json, all;

static const char *const add_usage[] = {
	"crm followup add --due <date> [--every <interval>] [--owner <owner>] <who> <text>...",
	NULL,
};
static const struct cmd_option add_options[] = {
	{ 'd', "due", OPT_STRING, &due, "<date>", "when it is due (required)", 0, NULL },
	{ 0, "every", OPT_STRING, &every, "<interval>", "repeat: 3d, 2w, 1m, 1y after each done", 0, NULL },
	{ 'o', "owner", OPT_STRING, &owner, "<owner>", "who should do it (default: the customer's owner)", 0, NULL },
	OPT_END_MARK,
};
static const enum opt_complete add_args[] = { COMPLETE_CUSTOMER, COMPLETE_TEXT, COMPLETE_NONE };
static const struct cmd_spec spec_followup_add = { "add", add_usage,
	add_options, add_args, 0, NULL };

static const char *const done_usage[] = {
	"crm followup done <followup>",
	NULL,
};
static const struct cmd_option no_options[] = {
	OPT_END_MARK,
};
static const enum opt_complete followup_arg[] = { COMPLETE_FOLLOWUP, COMPLETE_NONE };
static const struct cmd_spec spec_followup_done = { "done", done_usage,
	no_options, followup_arg, 0, NULL };

static const char *const snooze_usage[] = {
	"crm followup snooze <followup> <date>",
	NULL,
};
static const enum opt_complete snooze_args[] = { COMPLETE_FOLLOWUP, COMPLETE_TEXT, COMPLETE_NONE };
static const struct cmd_spec spec_followup_snooze = { "snooze", snooze_usage,
	no_options, snooze_args, 0, NULL };

static const char *const rm_usage[] = {
	"crm followup rm <followup>",
	NULL,
};
static const struct cmd_spec spec_followup_rm = { "rm", rm_usage, no_options,
	followup_arg, 0, NULL };

static const char *const list_usage[] = {
	"crm followup [list] [--due <date>] [--owner <owner>] [--all] [--json | --format <format>] [<filter>...]",
	NULL,
};
static const struct cmd_option list_options[] = {
	{ 'd', "due", OPT_STRING, &due, "<date>", "what is due by <date> (default: today)", 0, NULL },
	{ 'o', "owner", OPT_STRING, &owner, "<owner>", "only follow-ups of <owner>", 0, NULL },
	{ 'a', "all", OPT_FLAG, &all, NULL, "every open follow-up, whenever due", 0, NULL },
	OPT_JSON(json),
	{ 0, "format", OPT_STRING, &format, "<format>", "'tsv', 'json', or 'mail' for a digest to send", COMPLETE_WORDS, "tsv json mail" },
	OPT_END_MARK,
};
static const enum opt_complete filter_arg[] = { COMPLETE_FIELD, COMPLETE_NONE };
static const struct cmd_spec spec_followup_list = { "list", list_usage,
	list_options, filter_arg, 1, NULL };

static const struct cmd_spec *const followup_subcommands[] = {
	&spec_followup_add, &spec_followup_done, &spec_followup_snooze,
	&spec_followup_rm, &spec_followup_list, NULL,
};

static const char *const usage[] = {
	"crm followup add --due <date> [--every <interval>] [--owner <owner>] <who> <text>...",
	"crm followup done <followup>",
	"crm followup snooze <followup> <date>",
	"crm followup rm <followup>",
	"crm followup [list] [--due <date>] [--owner <owner>] [--all] [--json | --format <format>] [<filter>...]",
	NULL,
};

const struct cmd_spec spec_followup = { "followup", usage, list_options,
	filter_arg, 1, followup_subcommands };

static int today(struct crm_date *out, time_t *now_out)
{
	time_t now;
	int offset;

	if (crm_now(&now, &offset))
		return CRM_EINVALID;
	crm_date_today(out, now);
	if (now_out)
		*now_out = now;
	return 0;
}

/* An interval for --every or a cadence: 0d or -3d would never move on. */
static int positive_interval(struct crm_interval *iv, const char *s)
{
	if (crm_interval_parse(iv, s))
		return CRM_EINVALID;
	if (iv->n <= 0) {
		crm_error_set(CRM_EINVALID, "interval '%s' must be positive, "
			      "like 3d, 2w, 1m or 1y", s);
		return CRM_EINVALID;
	}
	return 0;
}

static int parse_due(char iso[11], const char *expr)
{
	struct crm_date d;
	time_t now;
	int offset;

	if (crm_now(&now, &offset) || crm_date_parse(&d, expr, now))
		return CRM_EINVALID;
	crm_date_format(iso, &d);
	return 0;
}

static int followup_add(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf text = STRBUF_INIT, nfc = STRBUF_INIT, msg = STRBUF_INIT;
	struct strbuf id = STRBUF_INIT;
	struct crm_record *r = NULL;
	struct crm_node *f = NULL, *list;
	struct crm_interval iv;
	char due_iso[11], created[11];
	struct crm_date d;
	size_t i;
	int rc;

	rc = cmd_parse(&spec_followup_add, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n < 2) {
		rc = cmd_usage_error(&spec_followup_add, ctx,
				     "give a customer and what to do");
		goto done;
	}
	if (!due) {
		rc = cmd_usage_error(&spec_followup_add, ctx,
				     "--due <date> is required");
		goto done;
	}
	for (i = 1; i < args.n; i++)
		strbuf_addf(&text, "%s%s", i > 1 ? " " : "", args.items[i]);
	strbuf_rtrim(&text);
	if (!text.len || text.buf[strspn(text.buf, " ")] == '\0') {
		rc = cmd_usage_error(&spec_followup_add, ctx,
				     "say what to do: the text is empty");
		goto done;
	}
	if (crm_text_nfc(&nfc, text.buf, text.len) ||
	    crm_field_validate("text", nfc.buf) ||
	    parse_due(due_iso, due) ||
	    (every && positive_interval(&iv, every)) ||
	    (owner && crm_field_validate("owner", owner)) || today(&d, NULL)) {
		rc = cmd_fail();
		goto done;
	}
	crm_date_format(created, &d);
	if (crm_store_lock(ctx->store)) {
		rc = cmd_fail();
		goto done;
	}
	if ((rc = who_load(&r, ctx, args.items[0])))
		goto done;
	strbuf_addf(&id, "%ld", crm_followup_next_id(r));
	f = crm_node_new_map();
	crm_map_set(f, "id", crm_node_new_plain(id.buf));
	crm_map_set(f, "due", crm_node_new_plain(due_iso));
	crm_map_set(f, "text", crm_node_new_str(nfc.buf));
	crm_map_set(f, "done", crm_node_new_plain("false"));
	if (every)
		crm_map_set(f, "every", crm_node_new_str(every[0] == '+' ?
							 every + 1 : every));
	if (owner)
		crm_map_set(f, "owner", crm_node_new_str(owner));
	crm_map_set(f, "created", crm_node_new_plain(created));
	list = crm_map_get(r->root, "followups");
	if (!list) {
		list = crm_node_new_seq(0);
		crm_record_set_node(r, "followups", list);
	}
	crm_seq_append(list, f);
	f = NULL;
	strbuf_addf(&msg, "crm: followup add %s/%s", r->id, id.buf);
	if ((rc = record_save(ctx, r, msg.buf)))
		goto done;
	printf("%s/%s\n", r->id, id.buf);
done:
	crm_node_free(f);
	crm_record_free(r);
	strlist_release(&args);
	strbuf_release(&text);
	strbuf_release(&nfc);
	strbuf_release(&msg);
	strbuf_release(&id);
	return rc;
}

/* Load the follow-up a subcommand acts on, refusing one already done. */
static int load_open(struct crm_record **r, struct crm_node **f,
		     struct crm_ctx *ctx, const char *ref)
{
	int rc;

	if (crm_store_lock(ctx->store))
		return cmd_fail();
	if ((rc = entry_load(r, f, ctx, ref, ENTRY_FOLLOWUP)))
		return rc;
	if (!crm_followup_is_open(*f)) {
		cmd_error("%s/%s is already done", (*r)->id,
			  crm_map_get_str(*f, "id"));
		crm_record_free(*r);
		*r = NULL;
		return 1;
	}
	return 0;
}

/*
 * Done: a one-off follow-up is marked done; a recurring one moves its
 * due date to the done date plus its interval, keeping its id.
 */
static int followup_done(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf msg = STRBUF_INIT;
	struct crm_record *r = NULL;
	struct crm_node *f;
	struct crm_date d, next;
	struct crm_interval iv;
	char iso[11], next_iso[11];
	const char *repeat;
	int rc;

	rc = cmd_parse(&spec_followup_done, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n != 1) {
		rc = cmd_usage_error(&spec_followup_done, ctx,
				     "give one follow-up");
		goto done;
	}
	if ((rc = load_open(&r, &f, ctx, args.items[0])))
		goto done;
	if (today(&d, NULL)) {
		rc = cmd_fail();
		goto done;
	}
	crm_date_format(iso, &d);
	repeat = crm_map_get_str(f, "every");
	if (repeat) {
		if (positive_interval(&iv, repeat) ||
		    crm_date_add(&next, &d, &iv)) {
			rc = cmd_fail();
			goto done;
		}
		crm_date_format(next_iso, &next);
		crm_map_set(f, "due", crm_node_new_plain(next_iso));
		crm_map_set(f, "last_done", crm_node_new_plain(iso));
		printf("%s/%s done; next due %s\n", r->id,
		       crm_map_get_str(f, "id"), next_iso);
	} else {
		crm_map_set(f, "done", crm_node_new_plain("true"));
		crm_map_set(f, "completed", crm_node_new_plain(iso));
	}
	strbuf_addf(&msg, "crm: followup done %s/%s", r->id,
		    crm_map_get_str(f, "id"));
	rc = record_save(ctx, r, msg.buf);
done:
	crm_record_free(r);
	strlist_release(&args);
	strbuf_release(&msg);
	return rc;
}

static int followup_snooze(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf msg = STRBUF_INIT;
	struct crm_record *r = NULL;
	struct crm_node *f;
	char iso[11];
	int rc;

	rc = cmd_parse(&spec_followup_snooze, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n != 2) {
		rc = cmd_usage_error(&spec_followup_snooze, ctx,
				     "give a follow-up and a date");
		goto done;
	}
	if (parse_due(iso, args.items[1])) {
		rc = cmd_fail();
		goto done;
	}
	if ((rc = load_open(&r, &f, ctx, args.items[0])))
		goto done;
	crm_map_set(f, "due", crm_node_new_plain(iso));
	strbuf_addf(&msg, "crm: followup snooze %s/%s to %s", r->id,
		    crm_map_get_str(f, "id"), iso);
	rc = record_save(ctx, r, msg.buf);
done:
	crm_record_free(r);
	strlist_release(&args);
	strbuf_release(&msg);
	return rc;
}

static int followup_rm(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf msg = STRBUF_INIT;
	struct crm_record *r = NULL;
	struct crm_node *f, *list;
	size_t i;
	int rc;

	rc = cmd_parse(&spec_followup_rm, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n != 1) {
		rc = cmd_usage_error(&spec_followup_rm, ctx,
				     "give one follow-up");
		goto done;
	}
	if (crm_store_lock(ctx->store)) {
		rc = cmd_fail();
		goto done;
	}
	if ((rc = entry_load(&r, &f, ctx, args.items[0], ENTRY_FOLLOWUP)))
		goto done;
	strbuf_addf(&msg, "crm: followup rm %s/%s", r->id,
		    crm_map_get_str(f, "id"));
	list = crm_map_get(r->root, "followups");
	for (i = 0; i < list->nitems; i++)
		if (list->items[i] == f) {
			crm_seq_remove(list, i);
			break;
		}
	if (!list->nitems)
		crm_record_unset(r, "followups");
	rc = record_save(ctx, r, msg.buf);
done:
	crm_record_free(r);
	strlist_release(&args);
	strbuf_release(&msg);
	return rc;
}

/*
 * What is due: open follow-ups due by the limit, and customers whose
 * `cadence` says it is time to get in touch again.
 */
struct due_item {
	const char *id, *name, *email, *cadence;	/* the customer's */
	/* a follow-up's, NULL for a cadence reminder */
	const char *followup_ref;	/* its id, as written */
	const char *text;
	const char *followup_json;	/* the whole follow-up, for --json */
	long followup_id;		/* its number, to sort by */
	struct crm_date due;
	long long late;				/* days; negative: not yet */
	char last_contact[11];
};

static int item_cmp(const void *a, const void *b)
{
	const struct due_item *x = *(const struct due_item *const *)a;
	const struct due_item *y = *(const struct due_item *const *)b;
	int c = crm_date_cmp(&x->due, &y->due);

	if (c)
		return c;
	c = strcmp(x->id, y->id);
	if (c)
		return c;
	if (!x->followup_ref || !y->followup_ref)
		return x->followup_ref ? -1 : y->followup_ref ? 1 : 0;
	return (x->followup_id > y->followup_id) -
	       (x->followup_id < y->followup_id);
}

/*
 * Items, in blocks that never move (one growing array was copied whole
 * as it grew: page faults and all), and a pool for their strings.
 */
#define ITEMS_PER_BLOCK 1024

struct due_block {
	struct due_block *next;
	size_t n;
	struct due_item items[ITEMS_PER_BLOCK];
};

struct due_items {
	struct due_block *first, *last;
	size_t n;
	struct crm_pool strings;
};

struct due_list {
	/*
	 * Collected on the scanning threads, each into its own part (no
	 * lock to wait on), then sorted by pointer: nothing is copied.
	 */
	struct due_items part[CRM_SCAN_MAX_THREADS];
	const struct due_item **sorted;
	size_t n;
	struct crm_date today, limit;
	const struct crm_filter *filter;
	int want_json;			/* keep each follow-up as JSON */
};

static int owner_matches(const struct crm_record *r, const struct crm_node *f)
{
	const char *o = f ? crm_map_get_str(f, "owner") : NULL;

	if (!owner)
		return 1;
	if (!o)
		o = crm_record_get(r, "owner");
	return o && !ascii_casecmp(o, owner);
}

static const char *pool_copy(struct due_items *to, const char *s)
{
	return s ? crm_pool_strdup(&to->strings, s) : NULL;
}

static struct due_item *add_item(struct due_items *to,
				 const struct due_list *dl,
				 const struct crm_record *r,
				 const struct crm_node *f,
				 const struct crm_date *d)
{
	const struct crm_node *emails = crm_map_get(r->root, "emails");
	const char *name = crm_record_get(r, "name");
	struct due_item *it;

	if (!to->last || to->last->n == ITEMS_PER_BLOCK) {
		struct due_block *b = xmalloc(sizeof(*b));

		b->next = NULL;
		b->n = 0;
		if (to->last)
			to->last->next = b;
		else
			to->first = b;
		to->last = b;
	}
	it = &to->last->items[to->last->n++];
	to->n++;
	memset(it, 0, sizeof(*it));
	it->id = pool_copy(to, r->id);
	it->name = pool_copy(to, name ? name : "");
	if (emails && emails->kind == CRM_NODE_SEQ && emails->nitems)
		it->email = pool_copy(to, emails->items[0]->str);
	it->cadence = pool_copy(to, crm_record_get(r, "cadence"));
	if (f) {
		const char *ref = crm_map_get_str(f, "id");
		const char *text = crm_map_get_str(f, "text");

		it->followup_ref = pool_copy(to, ref ? ref : "");
		it->followup_id = strtol(it->followup_ref, NULL, 10);
		it->text = pool_copy(to, text ? text : "");
		if (dl->want_json) {
			struct strbuf js = STRBUF_INIT;

			json_node(&js, f);
			it->followup_json = pool_copy(to, js.buf);
			strbuf_release(&js);
		}
	}
	it->due = *d;
	it->late = crm_date_to_days(&dl->today) - crm_date_to_days(d);
	return it;
}

static void collect_followups(const struct due_list *dl, struct due_items *to,
			      const struct crm_record *r)
{
	const struct crm_node *fs = crm_map_get(r->root, "followups");
	size_t i;

	for (i = 0; fs && i < fs->nitems; i++) {
		const struct crm_node *f = fs->items[i];
		const char *d = crm_map_get_str(f, "due");
		struct crm_date date;

		if (!crm_followup_is_open(f))
			continue;
		if (!d || crm_date_from_iso(&date, d)) {
			cmd_warn("%s: follow-up %s has no valid due date",
				 r->path, crm_map_get_str(f, "id"));
			continue;
		}
		if ((!all && crm_date_cmp(&date, &dl->limit) > 0) ||
		    !owner_matches(r, f) ||
		    !crm_filter_match(dl->filter, r->root, f))
			continue;
		add_item(to, dl, r, f, &date);
	}
}

static void collect_cadence(const struct due_list *dl, struct due_items *to,
			    const struct crm_record *r)
{
	const char *cadence = crm_record_get(r, "cadence");
	struct crm_interval iv;
	struct crm_date last, next;
	time_t t;

	if (!cadence)
		return;
	if (positive_interval(&iv, cadence)) {
		cmd_warn("%s: cadence '%s' is not an interval like 30d",
			 r->path, cadence);
		return;
	}
	if (!crm_log_last(&t, r)) {
		char iso[CRM_MOMENT_MAX];

		crm_format_moment(iso, t, 0);
		if (crm_date_of_moment(&last, iso))
			return;
	} else if (!crm_record_get(r, "created") ||
		   crm_date_of_moment(&last, crm_record_get(r, "created"))) {
		return;
	}
	if (crm_date_add(&next, &last, &iv))
		return;
	if ((!all && crm_date_cmp(&next, &dl->limit) > 0) ||
	    !owner_matches(r, NULL) ||
	    !crm_filter_match(dl->filter, r->root, NULL))
		return;
	crm_date_format(add_item(to, dl, r, NULL, &next)->last_contact, &last);
}

/* On a scanning thread: the record's part is its thread's. */
static void collect_due(const char *id, const char *path,
			const struct crm_node *summary, unsigned thread,
			void *data)
{
	struct due_list *dl = data;
	struct crm_record r = { (char *)id, (char *)path,
				(struct crm_node *)summary };

	collect_followups(dl, &dl->part[thread], &r);
	collect_cadence(dl, &dl->part[thread], &r);
}

static void sort_parts(struct due_list *dl)
{
	size_t t, i;

	dl->n = 0;
	for (t = 0; t < CRM_SCAN_MAX_THREADS; t++)
		dl->n += dl->part[t].n;
	dl->sorted = xcalloc(dl->n ? dl->n : 1, sizeof(*dl->sorted));
	dl->n = 0;
	for (t = 0; t < CRM_SCAN_MAX_THREADS; t++) {
		const struct due_block *b;

		for (b = dl->part[t].first; b; b = b->next)
			for (i = 0; i < b->n; i++)
				dl->sorted[dl->n++] = &b->items[i];
	}
	qsort(dl->sorted, dl->n, sizeof(*dl->sorted), item_cmp);
}

static void release_items(struct due_items *its)
{
	while (its->first) {
		struct due_block *next = its->first->next;

		free(its->first);
		its->first = next;
	}
	crm_pool_release(&its->strings);
	memset(its, 0, sizeof(*its));
}

static void lateness(struct strbuf *out, long long late)
{
	if (late == 0)
		strbuf_addstr(out, "today");
	else if (late > 0)
		strbuf_addf(out, "%lld day%s late", late, late == 1 ? "" : "s");
	else
		strbuf_addf(out, "in %lld day%s", -late, late == -1 ? "" : "s");
}

static const char *item_text(const struct due_item *it)
{
	return it->followup_ref ? it->text : "stay in touch";
}

static void print_human(struct strbuf *out, const struct due_list *dl,
			struct crm_ctx *ctx)
{
	struct strbuf ref = STRBUF_INIT, late = STRBUF_INIT;
	size_t i;

	for (i = 0; i < dl->n; i++) {
		const struct due_item *it = dl->sorted[i];
		char iso[11];

		strbuf_reset(&ref);
		strbuf_reset(&late);
		if (it->followup_ref)
			strbuf_addf(&ref, "%s/%s", it->id, it->followup_ref);
		else
			strbuf_addstr(&ref, it->id);
		lateness(&late, it->late);
		crm_date_format(iso, &it->due);
		strbuf_addf(out, "%s  %s", iso,
			    color(ctx, it->late > 0 ? C_RED : C_GREEN));
		pad(out, late.buf, 13);
		strbuf_addf(out, "%s  %s", color(ctx, C_RESET),
			    color(ctx, C_YELLOW));
		pad(out, ref.buf, 24);
		strbuf_addf(out, "%s  %s: %s", color(ctx, C_RESET),
			    it->name, item_text(it));
		if (!it->followup_ref)
			strbuf_addf(out, " (last contact %s, every %s)",
				    it->last_contact,
				    it->cadence);
		strbuf_addch(out, '\n');
		flush_if_big(out);
	}
	strbuf_release(&ref);
	strbuf_release(&late);
}

static void print_mail(struct strbuf *out, const struct due_list *dl)
{
	static const char *const sections[] = { "Overdue", "Due today",
						"Coming up", "Stay in touch" };
	size_t i, overdue = 0, s;
	char iso[11];

	for (i = 0; i < dl->n; i++)
		if (dl->sorted[i]->followup_ref && dl->sorted[i]->late > 0)
			overdue++;
	crm_date_format(iso, &dl->today);
	strbuf_addf(out, "%zu thing%s to follow up on %s", dl->n,
		    dl->n == 1 ? "" : "s", iso);
	if (overdue)
		strbuf_addf(out, " (%zu overdue)", overdue);
	strbuf_addstr(out, ".\n");
	for (s = 0; s < ARRAY_SIZE(sections); s++) {
		int header = 0;

		for (i = 0; i < dl->n; i++) {
			const struct due_item *it = dl->sorted[i];
			size_t sec = !it->followup_ref ? 3 : it->late > 0 ? 0 :
				     it->late == 0 ? 1 : 2;
			struct strbuf late = STRBUF_INIT;

			if (sec != s)
				continue;
			if (!header++)
				strbuf_addf(out, "\n%s\n", sections[s]);
			crm_date_format(iso, &it->due);
			lateness(&late, it->late);
			strbuf_addf(out, "- %s", it->name);
			if (it->email)
				strbuf_addf(out, " <%s>", it->email);
			if (it->followup_ref)
				strbuf_addf(out, ": %s\n  due %s (%s), done with: "
					    "crm followup done %s/%s\n",
					    item_text(it), iso, late.buf,
					    it->id, it->followup_ref);
			else
				strbuf_addf(out, "\n  last contact %s, every %s; "
					    "log it with: crm log %s <text>\n",
					    it->last_contact,
					    it->cadence,
					    it->id);
			strbuf_release(&late);
			flush_if_big(out);
		}
	}
}

static void print_tsv(struct strbuf *out, const struct due_list *dl)
{
	size_t i;

	strbuf_addstr(out, "due\tlate\tcustomer\tfollowup\ttext\n");
	for (i = 0; i < dl->n; i++) {
		const struct due_item *it = dl->sorted[i];
		char iso[11];

		crm_date_format(iso, &it->due);
		strbuf_addf(out, "%s\t%lld\t%s\t%s\t", iso, it->late,
			    it->id, it->followup_ref ? it->followup_ref : "");
		tsv_cell(out, item_text(it));
		strbuf_addch(out, '\n');
		flush_if_big(out);
	}
}

static void print_json(struct strbuf *out, const struct due_list *dl)
{
	size_t i;

	strbuf_addch(out, '[');
	for (i = 0; i < dl->n; i++) {
		const struct due_item *it = dl->sorted[i];
		char iso[11];

		crm_date_format(iso, &it->due);
		strbuf_addstr(out, i ? ",\n {\"customer\": " : "{\"customer\": ");
		json_string(out, it->id);
		strbuf_addstr(out, ", \"name\": ");
		json_string(out, it->name);
		strbuf_addf(out, ", \"kind\": \"%s\", \"due\": \"%s\", "
			    "\"late_days\": %lld, \"followup\": ",
			    it->followup_ref ? "followup" : "cadence", iso,
			    it->late);
		if (it->followup_json)
			strbuf_addstr(out, it->followup_json);
		else
			strbuf_addstr(out, "null");
		strbuf_addch(out, '}');
		flush_if_big(out);
	}
	strbuf_addstr(out, "]\n");
}

static int followup_list(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf out = STRBUF_INIT;
	struct crm_filter filter = { NULL, 0, 0 };
	struct due_list dl;
	time_t now;
	size_t i;
	int rc, mail = 0, fmt = FORMAT_HUMAN;

	memset(&dl, 0, sizeof(dl));
	rc = cmd_parse(&spec_followup_list, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (format && !strcmp(format, "mail")) {
		mail = 1;
		if (json) {
			rc = cmd_usage_error(&spec_followup_list, ctx,
					     "--json and --format mail do not go together");
			goto done;
		}
	} else if ((fmt = cmd_output_format(json, format)) < 0) {
		rc = 2;
		goto done;
	}
	if (crm_filter_parse(&filter, args.items, args.n)) {
		cmd_fail();
		rc = 2;
		goto done;
	}
	if (today(&dl.today, &now) ||
	    (due && crm_date_parse(&dl.limit, due, now))) {
		rc = cmd_fail();
		goto done;
	}
	if (!due)
		dl.limit = dl.today;
	dl.filter = &filter;
	dl.want_json = !mail && fmt == FORMAT_JSON;
	if (records_each_parallel(ctx, collect_due, &dl)) {
		rc = cmd_fail();
		goto done;
	}
	sort_parts(&dl);
	/* the cron contract: nothing due, nothing printed */
	if (mail && dl.n)
		print_mail(&out, &dl);
	else if (fmt == FORMAT_JSON)
		print_json(&out, &dl);
	else if (fmt == FORMAT_TSV)
		print_tsv(&out, &dl);
	else if (fmt == FORMAT_HUMAN && !mail)
		print_human(&out, &dl, ctx);
	rc = flush_stdout(&out);
done:
	for (i = 0; i < CRM_SCAN_MAX_THREADS; i++)
		release_items(&dl.part[i]);
	free(dl.sorted);
	crm_filter_release(&filter);
	strlist_release(&args);
	strbuf_release(&out);
	return rc;
}

int cmd_followup(int argc, char **argv, struct crm_ctx *ctx)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **, struct crm_ctx *);
	} subs[] = {
		{ "add", followup_add }, { "done", followup_done },
		{ "snooze", followup_snooze }, { "rm", followup_rm },
		{ "list", followup_list },
	};
	size_t i;

	for (i = 0; argc > 1 && i < ARRAY_SIZE(subs); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].fn(argc - 1, argv + 1, ctx);
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		cmd_usage(stdout, &spec_followup);
		return 0;
	}
	if (argc > 1 && refuse_subcommand_synonym("followup", argv[1], "add done snooze rm list"))
		return 2;
	return followup_list(argc, argv, ctx);
}
