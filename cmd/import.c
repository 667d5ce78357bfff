#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "../lib/dedupe.h"
#include "../lib/clock.h"
#include "../lib/csv.h"
#include "../lib/error.h"
#include "../lib/import.h"
#include "../lib/parallel.h"
#include "../lib/pool.h"
#include "../lib/slug.h"
#include "../lib/strmap.h"
#include "../lib/util.h"
#include "../lib/vcard.h"

static const char *const usage[] = {
	"crm import [--map <column>=<field>]... [--dry-run] [--on-duplicate <mode>] [--delimiter <char>] [--tag <tag>]... <file>",
	NULL,
};

static struct strlist maps, tags;
static const char *on_duplicate, *delimiter;
static int dry_run;

static const struct cmd_option options[] = {
	{ 'm', "map", OPT_LIST, &maps, "<column>=<field>", "read <column> as <field> ('-' skips it; repeatable)", 0, NULL },
	{ 'n', "dry-run", OPT_FLAG, &dry_run, NULL, "show what would be added, updated and skipped; change nothing", 0, NULL },
	{ 0, "on-duplicate", OPT_STRING, &on_duplicate, "<mode>", "a row matching a customer: update (default), skip or new", COMPLETE_WORDS, "update skip new" },
	{ 'd', "delimiter", OPT_STRING, &delimiter, "<char>", "the CSV delimiter (default: detected: , ; or tab)", 0, NULL },
	{ 't', "tag", OPT_LIST, &tags, "<tag>", "tag every imported customer (repeatable)", COMPLETE_TAG, NULL },
	OPT_END_MARK,
};

static const enum opt_complete args_complete[] = { COMPLETE_FILE, COMPLETE_NONE };

const struct cmd_spec spec_import = { "import", usage, options, args_complete,
				      0, NULL };

enum dup_mode { DUP_UPDATE, DUP_SKIP, DUP_NEW };

/* A customer the import adds or changes, after merging its rows. */
struct item {
	struct crm_node *root;		/* new: the fields; update: the record */
	const char *id;			/* update: the existing id */
	const char *path;		/* update: its file */
	const char *want_id;		/* crm's own export: the id it had */
	const char *created;
	size_t line;			/* the first row */
	int update;
	int changed;
};

struct import {
	const char *file;
	enum dup_mode dup;
	struct item *items;
	size_t nitems, alloc;
	struct crm_strmap item_keys;	/* key -> item */
	/* the store as it was: keys and ids -> existing customer */
	struct crm_strmap existing_keys, existing_ids, existing_item;
	struct crm_pool pool;
	const char **ex_ids, **ex_paths;
	size_t nexisting, ex_alloc;
	size_t skipped;
	struct strbuf report;		/* --dry-run lines */
};

static int read_file(struct strbuf *out, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char buf[65536];
	ssize_t n;

	if (fd < 0) {
		crm_error_set_errno(CRM_ERROR, "cannot open '%s'", path);
		return CRM_ERROR;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		strbuf_add(out, buf, (size_t)n);
		if (out->len > CRM_CSV_MAX_FILE) {
			close(fd);
			crm_error_set(CRM_EINVALID, "%s: larger than %lu MiB",
				      path, (unsigned long)(CRM_CSV_MAX_FILE >> 20));
			return CRM_EINVALID;
		}
	}
	close(fd);
	if (n < 0) {
		crm_error_set_errno(CRM_ERROR, "cannot read '%s'", path);
		return CRM_ERROR;
	}
	return 0;
}

/*
 * The map key for a duplicate key of `rec`.  A phone number may be a
 * switchboard that several people share: it matches only a customer of
 * the same name (case, accents and spaces ignored), so that Anna and
 * Bernd at one number stay two customers.  An email matches alone.
 */
static void map_key(struct strbuf *out, const char *key,
		    const struct crm_node *rec)
{
	strbuf_reset(out);
	strbuf_addstr(out, key);
	if (starts_with(key, "phone:")) {
		struct strbuf name = STRBUF_INIT;

		crm_name_fold(&name, crm_map_get_str(rec, "name"));
		strbuf_addch(out, '\n');
		strbuf_add(out, name.buf, name.len);
		strbuf_release(&name);
	}
}

/* The keys `rec` is matched by, as the maps hold them (see map_key). */
static void match_keys(struct crm_import_keys *out, const struct crm_node *rec)
{
	struct strbuf key = STRBUF_INIT;
	size_t i;

	crm_import_keys(out, rec);
	for (i = 0; i < out->n; i++) {
		map_key(&key, out->items[i], rec);
		free(out->items[i]);
		out->items[i] = strbuf_detach(&key, NULL);
	}
	strbuf_release(&key);
}

static int existing_record(const char *id, const char *path,
			   const struct crm_node *summary, void *data)
{
	struct import *im = data;
	struct crm_import_keys keys = { NULL, 0, 0 };
	size_t i, at = im->nexisting;

	ALLOC_GROW(im->ex_ids, im->nexisting + 1, im->ex_alloc);
	im->ex_paths = xrealloc(im->ex_paths,
				im->ex_alloc * sizeof(*im->ex_paths));
	im->ex_ids[at] = crm_pool_strdup(&im->pool, id);
	im->ex_paths[at] = crm_pool_strdup(&im->pool, path);
	im->nexisting++;
	crm_strmap_put(&im->existing_ids, id, at);
	match_keys(&keys, summary);
	for (i = 0; i < keys.n; i++)
		crm_strmap_put(&im->existing_keys, keys.items[i], at);
	crm_import_keys_release(&keys);
	return 0;
}

static struct item *new_item(struct import *im)
{
	struct item *it;

	ALLOC_GROW(im->items, im->nitems + 1, im->alloc);
	it = &im->items[im->nitems++];
	memset(it, 0, sizeof(*it));
	return it;
}

static void remember_keys(struct import *im,
			  const struct crm_import_keys *keys, size_t item)
{
	size_t i;

	for (i = 0; i < keys->n; i++)
		crm_strmap_put(&im->item_keys, keys->items[i], item);
}

/* The first of `keys` found in `map`. */
static int lookup_keys(const struct crm_strmap *map,
		       const struct crm_import_keys *keys, size_t *at)
{
	size_t i;

	for (i = 0; i < keys->n; i++)
		if (crm_strmap_get(map, keys->items[i], at))
			return 1;
	return 0;
}

/*
 * One row: merged into an earlier row of the file for the same person,
 * into the existing customer it matches, or a customer of its own.
 */
static int take_row(struct import *im, struct crm_ctx *ctx,
		    struct crm_node *rec, const struct crm_import_keys *keys,
		    const char *row_id, const char *created, size_t line)
{
	size_t at, ex;
	int found_existing;

	if (lookup_keys(&im->item_keys, keys, &at)) {
		struct item *it = &im->items[at];

		if (crm_import_merge_into(it->root, rec, im->file, line) > 0)
			it->changed = 1;
		remember_keys(im, keys, at);
		crm_node_free(rec);
		return 0;
	}
	found_existing = (row_id && crm_strmap_get(&im->existing_ids, row_id,
						   &ex)) ||
			 lookup_keys(&im->existing_keys, keys, &ex);
	if (found_existing && im->dup == DUP_SKIP) {
		im->skipped++;
		if (dry_run)
			strbuf_addf(&im->report, "skip    %s:%zu (matches %s)\n",
				    im->file, line, im->ex_ids[ex]);
		crm_node_free(rec);
		return 0;
	}
	if (found_existing && im->dup == DUP_UPDATE) {
		struct item *it;

		if (!crm_strmap_get(&im->existing_item, im->ex_ids[ex], &at)) {
			struct crm_record *r;

			if (record_load(&r, ctx, im->ex_ids[ex], im->ex_paths[ex])) {
				crm_node_free(rec);
				return CRM_EPARSE;
			}
			it = new_item(im);
			at = im->nitems - 1;
			it->update = 1;
			it->id = im->ex_ids[ex];
			it->path = im->ex_paths[ex];
			it->root = r->root;
			it->line = line;
			r->root = NULL;
			crm_record_free(r);
			crm_strmap_put(&im->existing_item, it->id, at);
		}
		it = &im->items[at];
		if (crm_import_merge_into(it->root, rec, im->file, line) > 0)
			it->changed = 1;
		remember_keys(im, keys, at);
		crm_node_free(rec);
		return 0;
	}
	{
		struct item *it = new_item(im);

		it->root = rec;
		it->line = line;
		it->changed = 1;
		it->want_id = row_id ? crm_pool_strdup(&im->pool, row_id) : NULL;
		it->created = created ? crm_pool_strdup(&im->pool, created) : NULL;
		remember_keys(im, keys, im->nitems - 1);
	}
	return 0;
}

static void progress(const char *what, size_t done, size_t total)
{
	/* isatty() is a system call: asked once per thousand rows */
	if (total < 2000 || (done % 1000 && done != total) || !isatty(2))
		return;
	fprintf(stderr, "\rcrm: %s %zu/%zu%s", what, done, total,
		done == total ? "\n" : "");
}

/*
 * Rows become records on two threads, each with its duplicate keys;
 * they are then taken in order on one, since a row is matched against
 * the rows before it.  A row that cannot be read keeps its message for
 * when its turn comes: the first bad row in the file is the one named.
 */
struct row {
	struct crm_node *rec;
	struct crm_import_keys keys;
	char *error;
	int rc;
};

struct row_job {
	const struct crm_import_plan *plan;
	const struct crm_csv_table *table;
	const char *file;
	struct row *rows;
};

#define ROW_BATCH 256

static void make_rows(size_t begin, size_t end, void *arg)
{
	struct row_job *job = arg;
	size_t i;

	for (i = begin; i < end; i++) {
		const struct crm_csv_row *csv = &job->table->rows[i];
		struct row *row = &job->rows[i];

		row->rc = crm_import_row(&row->rec, job->plan,
					 (const char *const *)csv->cells,
					 job->table->ncols, job->file,
					 csv->line);
		if (row->rc)
			row->error = xstrdup(crm_error_last());
		else
			match_keys(&row->keys, row->rec);
	}
}

static int take_rows(struct import *im, struct crm_ctx *ctx,
		     const struct crm_import_plan *plan,
		     const struct crm_csv_table *table, struct row *rows)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < table->nrows && !rc; i++) {
		const char *const *cells =
			(const char *const *)table->rows[i].cells;
		struct row *row = &rows[i];

		if (row->rc) {
			crm_error_set(row->rc, "%s", row->error);
			return row->rc;
		}
		rc = take_row(im, ctx, row->rec, &row->keys,
			      crm_import_row_id(plan, cells, table->ncols),
			      crm_import_row_created(plan, cells, table->ncols),
			      table->rows[i].line);
		row->rec = NULL;	/* take_row keeps or frees it */
		progress("reading rows", i + 1, table->nrows);
	}
	return rc;
}

static int read_csv(struct import *im, struct crm_ctx *ctx,
		    const struct strbuf *buf)
{
	struct crm_csv_options opt;
	struct crm_csv_table table;
	struct crm_import_plan plan;
	struct row_job job;
	struct row *rows = NULL;
	size_t i;
	int rc, have_plan = 0;

	memset(&opt, 0, sizeof(opt));
	memset(&table, 0, sizeof(table));
	if (delimiter) {
		if (!strcmp(delimiter, "tab") || !strcmp(delimiter, "\\t"))
			opt.delimiter = '\t';
		else if (strlen(delimiter) == 1)
			opt.delimiter = (unsigned char)delimiter[0];
		else {
			crm_error_set(CRM_EINVALID, "--delimiter '%s' is not one "
				      "character (or 'tab')", delimiter);
			return CRM_EINVALID;
		}
	}
	opt.known_header = crm_import_header_known;
	if ((rc = crm_csv_read(&table, buf->buf, buf->len, &opt, im->file)))
		goto done;
	if ((rc = crm_import_plan(&plan, (const char *const *)table.header.cells,
				  table.ncols, maps.items, maps.n)))
		goto done;
	have_plan = 1;
	if (dry_run)
		strbuf_addf(&im->report, "%s: %s layout, %zu rows%s%s\n",
			    im->file, crm_import_layout_name(plan.layout),
			    table.nrows, table.converted_from ?
			    ", converted from " : "",
			    table.converted_from ? table.converted_from : "");
	rows = xcalloc(table.nrows ? table.nrows : 1, sizeof(*rows));
	job.plan = &plan;
	job.table = &table;
	job.file = im->file;
	job.rows = rows;
	crm_parallel_batches(2, table.nrows, ROW_BATCH, make_rows, &job);
	rc = take_rows(im, ctx, &plan, &table, rows);
done:
	for (i = 0; rows && i < table.nrows; i++) {
		crm_node_free(rows[i].rec);
		crm_import_keys_release(&rows[i].keys);
		free(rows[i].error);
	}
	free(rows);
	if (have_plan)
		crm_import_plan_release(&plan);
	crm_csv_table_release(&table);
	return rc;
}

static int read_vcards(struct import *im, struct crm_ctx *ctx,
		       const struct strbuf *buf)
{
	struct crm_node **cards = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = crm_vcard_read(&cards, &n, buf->buf, buf->len, im->file)))
		return rc;
	for (i = 0; i < n && !rc; i++) {
		struct crm_node *rec = cards[i];
		const char *id = crm_map_get_str(rec, "id");
		char *row_id = id ? xstrdup(id) : NULL;
		struct crm_import_keys keys = { NULL, 0, 0 };

		cards[i] = NULL;
		/* a card crm wrote carries its id: keep it */
		crm_map_remove(rec, "id");
		match_keys(&keys, rec);
		rc = take_row(im, ctx, rec, &keys, row_id, NULL,
			      rec->line ? rec->line : i + 1);
		crm_import_keys_release(&keys);
		free(row_id);
	}
	crm_vcard_records_free(cards, n);
	return rc;
}

static int is_vcard(const char *file, const struct strbuf *buf)
{
	const char *p = buf->buf;
	size_t n = strlen(file);

	if ((n > 4 && !strcasecmp(file + n - 4, ".vcf")) ||
	    (n > 6 && !strcasecmp(file + n - 6, ".vcard")))
		return 1;
	if (buf->len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (*p == ' ' || *p == '\r' || *p == '\n' || *p == '\t')
		p++;
	return !strncasecmp(p, "BEGIN:VCARD", 11);
}

/*
 * The id a new item gets: the one crm's own export gave it, or its
 * name's slug, with a number added if another customer has it.  Ids are
 * given in the file's order, so the first of two namesakes gets the
 * plain one.
 */
static const char *new_id(struct import *im, const struct item *it,
			  struct crm_strmap *taken)
{
	struct strbuf base = STRBUF_INIT, id = STRBUF_INIT;
	const char *name = crm_map_get_str(it->root, "name");
	const char *out;
	size_t dummy;
	int n;

	if (it->want_id && crm_id_valid(it->want_id))
		strbuf_addstr(&base, it->want_id);
	else
		crm_slug(&base, name ? name : "");
	for (n = 1;; n++) {
		strbuf_reset(&id);
		strbuf_addstr(&id, base.buf);
		if (n > 1)
			strbuf_addf(&id, "-%d", n);
		if (!crm_strmap_get(&im->existing_ids, id.buf, &dummy) &&
		    !crm_strmap_get(taken, id.buf, &dummy))
			break;
	}
	crm_strmap_put(taken, id.buf, 0);
	out = crm_pool_strdup(&im->pool, id.buf);
	strbuf_release(&base);
	strbuf_release(&id);
	return out;
}

/* A new item as the record it becomes, with its path and created time. */
static struct crm_record *new_record(const struct item *it, const char *id,
				     const char *now, const char *user)
{
	struct strbuf path = STRBUF_INIT;
	const char *name = crm_map_get_str(it->root, "name");
	struct crm_record *r;
	size_t i;

	crm_store_record_path(&path, id);
	r = crm_record_new(id, path.buf, name ? name : id,
			   it->created ? it->created : now);
	for (i = 0; i < crm_map_len(it->root); i++) {
		const char *key = crm_map_key(it->root, i);

		if (strcmp(key, "name"))
			crm_record_set_node(r, key,
					    crm_node_dup(crm_map_value(it->root, i)));
	}
	if (!crm_record_get(r, "owner") && user && *user)
		crm_record_set(r, "owner", user);
	strbuf_release(&path);
	return r;
}

static int add_tags(struct crm_record *r)
{
	size_t i;
	int changed = 0, rc;

	for (i = 0; i < tags.n; i++) {
		if ((rc = crm_field_validate("tags", tags.items[i])))
			return rc;
		changed |= crm_record_list_add(r, "tags", tags.items[i]);
	}
	return changed;
}

struct outcome {
	struct crm_change *changes;
	struct strbuf *data;
	size_t n;
	size_t added, updated, unchanged;
};

/*
 * Items become records, are checked and written out as YAML on two
 * threads, each into its own slot; the slots are then gathered in
 * order, so the first item in the file that fails is the one named.
 */
struct change_slot {
	struct strbuf data;
	char *path;
	char *dry_run_line;
	char *error;
	int rc;
	int unchanged;			/* an update that changes nothing */
};

struct change_job {
	struct import *im;
	const char **ids;		/* a new item's id */
	const char *now, *user;
	struct change_slot *slots;
};

#define CHANGE_BATCH 256

static void make_change(struct change_job *job, size_t i)
{
	struct item *it = &job->im->items[i];
	struct change_slot *slot = &job->slots[i];
	struct crm_record *r;
	int tagged;

	if (it->update) {
		r = xcalloc(1, sizeof(*r));
		r->id = xstrdup(it->id);
		r->path = xstrdup(it->path);
		r->root = it->root;
		it->root = NULL;
	} else {
		r = new_record(it, job->ids[i], job->now, job->user);
	}
	if ((tagged = add_tags(r)) < 0) {
		slot->rc = tagged;
		slot->error = xstrdup(crm_error_last());
	} else if (it->update && !it->changed && !tagged) {
		slot->unchanged = 1;
	} else if ((slot->rc = crm_record_check(r->root, r->id, r->path)) ||
		   (slot->rc = crm_record_check_values(r->root, r->path))) {
		struct strbuf msg = STRBUF_INIT;

		strbuf_addf(&msg, "%s:%zu: %s", job->im->file, it->line,
			    crm_error_last());
		slot->error = strbuf_detach(&msg, NULL);
	} else {
		crm_record_serialize(&slot->data, r);
		slot->path = xstrdup(r->path);
		if (dry_run) {
			struct strbuf line = STRBUF_INIT;

			strbuf_addf(&line, "%s %s  %s\n",
				    it->update ? "update " : "add    ", r->id,
				    crm_record_get(r, "name"));
			slot->dry_run_line = strbuf_detach(&line, NULL);
		}
	}
	crm_record_free(r);
}

static void make_changes(size_t begin, size_t end, void *arg)
{
	size_t i;

	for (i = begin; i < end; i++)
		make_change(arg, i);
}

/* Take the slots in order into the outcome; the first error stops it. */
static int gather_changes(struct outcome *o, struct import *im,
			  struct change_slot *slots)
{
	size_t i;

	o->changes = xcalloc(im->nitems ? im->nitems : 1, sizeof(*o->changes));
	o->data = xcalloc(im->nitems ? im->nitems : 1, sizeof(*o->data));
	for (i = 0; i < im->nitems; i++) {
		struct change_slot *slot = &slots[i];

		if (slot->error) {
			crm_error_set(slot->rc, "%s", slot->error);
			return slot->rc;
		}
		if (slot->unchanged) {
			o->unchanged++;
			continue;
		}
		o->data[o->n] = slot->data;
		strbuf_init(&slot->data);
		o->changes[o->n].path = slot->path;
		slot->path = NULL;
		o->changes[o->n].data = o->data[o->n].buf;
		o->changes[o->n].len = o->data[o->n].len;
		o->n++;
		if (im->items[i].update)
			o->updated++;
		else
			o->added++;
		if (slot->dry_run_line)
			strbuf_addstr(&im->report, slot->dry_run_line);
	}
	return 0;
}

static int build_changes(struct outcome *o, struct import *im,
			 struct crm_ctx *ctx)
{
	struct crm_strmap taken;
	struct strbuf user = STRBUF_INIT;
	char now[CRM_MOMENT_MAX];
	struct change_job job;
	time_t t;
	size_t i;
	int offset, rc;

	memset(&taken, 0, sizeof(taken));
	if ((rc = crm_now(&t, &offset)))
		return rc;
	crm_format_moment(now, t, offset);
	crm_store_user(ctx->store, &user);
	job.im = im;
	job.ids = xcalloc(im->nitems ? im->nitems : 1, sizeof(*job.ids));
	job.now = now;
	job.user = user.buf;
	job.slots = xcalloc(im->nitems ? im->nitems : 1, sizeof(*job.slots));
	for (i = 0; i < im->nitems; i++) {
		strbuf_init(&job.slots[i].data);
		if (!im->items[i].update)
			job.ids[i] = new_id(im, &im->items[i], &taken);
	}
	crm_parallel_batches(2, im->nitems, CHANGE_BATCH, make_changes, &job);
	rc = gather_changes(o, im, job.slots);
	for (i = 0; i < im->nitems; i++) {
		strbuf_release(&job.slots[i].data);
		free(job.slots[i].path);
		free(job.slots[i].dry_run_line);
		free(job.slots[i].error);
	}
	free(job.slots);
	free(job.ids);
	crm_strmap_release(&taken);
	strbuf_release(&user);
	return rc;
}

static void outcome_release(struct outcome *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		free((char *)o->changes[i].path);
		strbuf_release(&o->data[i]);
	}
	free(o->changes);
	free(o->data);
}

static void import_release(struct import *im)
{
	size_t i;

	for (i = 0; i < im->nitems; i++)
		crm_node_free(im->items[i].root);
	free(im->items);
	crm_strmap_release(&im->item_keys);
	crm_strmap_release(&im->existing_keys);
	crm_strmap_release(&im->existing_ids);
	crm_strmap_release(&im->existing_item);
	free(im->ex_ids);
	free(im->ex_paths);
	crm_pool_release(&im->pool);
	strbuf_release(&im->report);
}

int cmd_import(int argc, char **argv, struct crm_ctx *ctx)
{
	struct strlist args = { NULL, 0, 0 };
	struct strbuf buf = STRBUF_INIT, msg = STRBUF_INIT;
	struct outcome o;
	struct import im;
	const char *base;
	int rc;

	memset(&im, 0, sizeof(im));
	memset(&o, 0, sizeof(o));
	strbuf_init(&im.report);
	rc = cmd_parse(&spec_import, argc, argv, &args, ctx);
	if (rc) {
		rc = CMD_PARSE_EXIT(rc);
		goto done;
	}
	if (args.n != 1) {
		rc = cmd_usage_error(&spec_import, ctx, "give one file to import");
		goto done;
	}
	if (!on_duplicate || !strcmp(on_duplicate, "update"))
		im.dup = DUP_UPDATE;
	else if (!strcmp(on_duplicate, "skip"))
		im.dup = DUP_SKIP;
	else if (!strcmp(on_duplicate, "new"))
		im.dup = DUP_NEW;
	else {
		rc = cmd_usage_error(&spec_import, ctx,
				     "--on-duplicate '%s': use update, skip or new",
				     on_duplicate);
		goto done;
	}
	im.file = args.items[0];
	if (!dry_run && crm_store_lock(ctx->store)) {
		rc = cmd_fail();
		goto done;
	}
	if (read_file(&buf, im.file) ||
	    records_each(ctx, NULL, existing_record, &im) ||
	    (is_vcard(im.file, &buf) ? read_vcards(&im, ctx, &buf) :
				       read_csv(&im, ctx, &buf)) ||
	    build_changes(&o, &im, ctx)) {
		rc = cmd_fail();
		goto done;
	}
	base = strrchr(im.file, '/') ? strrchr(im.file, '/') + 1 : im.file;
	if (dry_run) {
		strbuf_addf(&im.report, "would import %s: %zu added, %zu "
			    "updated, %zu skipped, %zu unchanged; nothing "
			    "changed (--dry-run)\n", base, o.added, o.updated,
			    im.skipped, o.unchanged);
		rc = flush_stdout(&im.report);
		goto done;
	}
	if (o.n) {
		strbuf_addf(&msg, "crm: import %s (%zu added, %zu updated)",
			    base, o.added, o.updated);
		if (isatty(2) && o.n >= 2000)
			fprintf(stderr, "crm: writing %zu customers...\n", o.n);
		rc = crm_store_commit_ext(ctx->store, o.changes, o.n, msg.buf,
					  CRM_COMMIT_BULK);
		if (rc == CRM_EUNCHANGED)
			rc = 0;
		if (rc) {
			rc = cmd_fail();
			goto done;
		}
	}
	printf("imported %s: %zu added, %zu updated, %zu skipped\n", base,
	       o.added, o.updated, im.skipped);
done:
	outcome_release(&o);
	import_release(&im);
	strlist_release(&args);
	strbuf_release(&buf);
	strbuf_release(&msg);
	return rc;
}
