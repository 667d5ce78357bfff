/*
 * Loading, resolving and saving records for the commands.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/config.h"
#include "../lib/entries.h"
#include "../lib/error.h"
#include "../lib/slug.h"
#include "../lib/scan.h"
#include "../lib/text.h"
#include "../lib/util.h"
#include "../lib/who.h"

int record_load(struct crm_record **out, struct crm_ctx *ctx, const char *id,
		const char *path)
{
	struct strbuf buf = STRBUF_INIT;
	int rc;

	rc = crm_store_read_file(&buf, ctx->store, path);
	if (!rc)
		rc = crm_record_parse(out, id, path, buf.buf, buf.len);
	strbuf_release(&buf);
	return rc;
}

/* Warnings about broken records: the first few, then a count. */
#define BROKEN_WARNINGS 5

struct each_state {
	record_match_fn match;
	record_fn fn;
	record_thread_fn thread_fn;
	void *data;
	size_t broken;
};

static int each_match(const struct crm_scan_record *r, void *data)
{
	struct each_state *st = data;

	return st->match(r->summary, st->data);
}

static int each_record(const struct crm_scan_record *r, void *data)
{
	struct each_state *st = data;

	if (!r->summary) {
		/* one bad file must not hide every other customer */
		if (st->broken++ < BROKEN_WARNINGS)
			cmd_warn("skipping %s", r->error);
		return 0;
	}
	/* records_each_parallel visits every readable record on its thread */
	return st->fn ? st->fn(r->id, r->path, r->summary, st->data) : 0;
}

static int warn_more_broken(const struct each_state *st, int rc)
{
	if (st->broken > BROKEN_WARNINGS)
		cmd_warn("... and %zu more records that cannot be read",
			 st->broken - BROKEN_WARNINGS);
	return rc;
}

int records_each(struct crm_ctx *ctx, record_match_fn match, record_fn fn,
		 void *data)
{
	struct each_state st = { match, fn, NULL, data, 0 };

	return warn_more_broken(&st, crm_store_scan(ctx->store,
		match ? each_match : NULL, each_record, &st, NULL));
}

/*
 * The scan's match runs on every thread, outside its lock: the whole
 * visit happens there, and only broken records go on to each_record.
 */
static int each_on_thread(const struct crm_scan_record *r, void *data)
{
	struct each_state *st = data;

	st->thread_fn(r->id, r->path, r->summary, r->thread, st->data);
	return 0;
}

int records_each_parallel(struct crm_ctx *ctx, record_thread_fn fn,
			  void *data)
{
	struct each_state st = { NULL, NULL, fn, data, 0 };

	return warn_more_broken(&st, crm_store_scan(ctx->store,
		each_on_thread, each_record, &st, NULL));
}

struct who_search {
	const char *who;
	struct strbuf folded;
	int best;			/* the most exact tier seen */
	size_t broken;			/* records skipped as unreadable */
	struct strlist ids, paths, names;	/* matches at that tier */
};

static void who_clear(struct who_search *ws)
{
	size_t i;

	for (i = 0; i < ws->ids.n; i++) {
		free((char *)ws->ids.items[i]);
		free((char *)ws->paths.items[i]);
		free((char *)ws->names.items[i]);
	}
	ws->ids.n = ws->paths.n = ws->names.n = 0;
}

static int who_visit(const char *id, const char *path,
		     const struct crm_node *summary, void *data)
{
	struct who_search *ws = data;
	int tier = crm_who_tier(id, summary, ws->who, ws->folded.buf);
	const char *name = crm_map_get_str(summary, "name");

	if (tier < 0 || tier > ws->best)
		return 0;
	if (tier < ws->best) {
		who_clear(ws);
		ws->best = tier;
	}
	strlist_add(&ws->ids, xstrdup(id));
	strlist_add(&ws->paths, xstrdup(path));
	strlist_add(&ws->names, xstrdup(name ? name : ""));
	return 0;
}

/*
 * A record crm cannot parse still has its id, from its file name: if that
 * is what the user named, loading it says what is wrong and where, which
 * "no customer matches" would hide.
 */
static int who_visit_any(const struct crm_scan_record *r, void *data)
{
	struct who_search *ws = data;
	int tier;

	if (r->summary)
		return who_visit(r->id, r->path, r->summary, ws);
	tier = !strcmp(r->id, ws->who) ? CRM_WHO_ID :
	       starts_with(r->id, ws->who) ? CRM_WHO_ID_PREFIX : -1;
	if (tier < 0) {
		if (ws->broken++ < BROKEN_WARNINGS)
			cmd_warn("skipping %s", r->error);
		return 0;
	}
	if (tier > ws->best)
		return 0;
	if (tier < ws->best) {
		who_clear(ws);
		ws->best = tier;
	}
	strlist_add(&ws->ids, xstrdup(r->id));
	strlist_add(&ws->paths, xstrdup(r->path));
	strlist_add(&ws->names, xstrdup("(cannot be read)"));
	return 0;
}

static int id_order(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "'x' matches 3 customers; say which:", then one line each, by id */
static void who_list_candidates(const struct who_search *ws)
{
	struct strbuf line = STRBUF_INIT;
	char **lines = xcalloc(ws->ids.n, sizeof(*lines));
	size_t i;

	cmd_error("'%s' matches %zu customers; say which:", ws->who,
		  ws->ids.n);
	for (i = 0; i < ws->ids.n; i++) {
		strbuf_reset(&line);
		strbuf_addf(&line, "  %-24s %s", ws->ids.items[i],
			    ws->names.items[i]);
		lines[i] = xstrdup(line.buf);
	}
	qsort(lines, ws->ids.n, sizeof(*lines), id_order);
	for (i = 0; i < ws->ids.n; i++) {
		fprintf(stderr, "%s\n", lines[i]);
		free(lines[i]);
	}
	free(lines);
	strbuf_release(&line);
}

int who_find(struct crm_ctx *ctx, const char *who, char **id, char **path)
{
	struct strbuf exact = STRBUF_INIT;
	struct who_search ws;
	int rc = 1, scan_rc;

	*id = *path = NULL;
	if (!*who) {
		cmd_error("no customer given");
		return 2;
	}
	/* an exact id needs no scan */
	if (crm_id_valid(who)) {
		crm_store_record_path(&exact, who);
		if (crm_store_file_exists(ctx->store, exact.buf)) {
			*id = xstrdup(who);
			*path = strbuf_detach(&exact, NULL);
			return 0;
		}
	}
	strbuf_release(&exact);
	memset(&ws, 0, sizeof(ws));
	ws.who = who;
	ws.best = CRM_WHO_TIERS;
	strbuf_init(&ws.folded);
	crm_text_fold(&ws.folded, who);
	scan_rc = crm_store_scan(ctx->store, NULL, who_visit_any, &ws, NULL);
	if (ws.broken > BROKEN_WARNINGS)
		cmd_warn("... and %zu more records that cannot be read",
			 ws.broken - BROKEN_WARNINGS);
	if (scan_rc) {
		rc = cmd_fail();
	} else if (!ws.ids.n) {
		cmd_error("no customer matches '%s'", who);
	} else if (ws.ids.n > 1) {
		who_list_candidates(&ws);
	} else {
		*id = xstrdup(ws.ids.items[0]);
		*path = xstrdup(ws.paths.items[0]);
		rc = 0;
	}
	who_clear(&ws);
	strlist_release(&ws.ids);
	strlist_release(&ws.paths);
	strlist_release(&ws.names);
	strbuf_release(&ws.folded);
	return rc;
}

int who_load(struct crm_record **out, struct crm_ctx *ctx, const char *who)
{
	char *id, *path;
	int rc;

	*out = NULL;
	if ((rc = who_find(ctx, who, &id, &path)))
		return rc;
	rc = record_load(out, ctx, id, path) ? cmd_fail() : 0;
	free(id);
	free(path);
	return rc;
}

int record_save(struct crm_ctx *ctx, struct crm_record *r, const char *message)
{
	struct strbuf data = STRBUF_INIT;
	struct crm_change change;
	int rc;

	if ((rc = crm_record_serialize(&data, r)))
		goto done;
	/* what crm writes, it must be able to read back */
	if ((rc = crm_record_check(r->root, r->id, r->path)))
		goto done;
	change.path = r->path;
	change.data = data.buf;
	change.len = data.len;
	rc = crm_store_commit(ctx->store, &change, 1, message);
	if (rc == CRM_EUNCHANGED)
		rc = 0;
done:
	strbuf_release(&data);
	return rc ? cmd_fail() : 0;
}

int config_load(struct crm_config *cfg, struct crm_ctx *ctx)
{
	struct strbuf buf = STRBUF_INIT;
	int rc;

	rc = crm_store_read_file(&buf, ctx->store, CRM_CONFIG_FILE);
	if (!rc)
		rc = crm_config_parse(cfg, buf.buf, buf.len, CRM_CONFIG_FILE);
	strbuf_release(&buf);
	return rc ? cmd_fail() : 0;
}

struct deal_search {
	const char *deal;
	struct strlist ids, paths;
};

static int deal_visit(const char *id, const char *path,
		      const struct crm_node *summary, void *data)
{
	struct deal_search *ds = data;
	const struct crm_node *deals = crm_map_get(summary, "deals");
	size_t i;

	for (i = 0; deals && deals->kind == CRM_NODE_SEQ && i < deals->nitems;
	     i++) {
		const char *d = crm_map_get_str(deals->items[i], "id");

		if (d && !strcmp(d, ds->deal)) {
			strlist_add(&ds->ids, xstrdup(id));
			strlist_add(&ds->paths, xstrdup(path));
			break;
		}
	}
	return 0;
}

/*
 * "<who>/<ref>" names a deal or follow-up of one customer.  A deal may
 * also be named by its id alone when no other customer has a deal with
 * that id.
 */
int entry_load(struct crm_record **out, struct crm_node **entry,
	       struct crm_ctx *ctx, const char *ref, enum entry_kind kind)
{
	const char *slash = strrchr(ref, '/');
	const char *what = kind == ENTRY_DEAL ? "deal" : "follow-up";
	struct crm_record *r = NULL;
	struct deal_search ds;
	size_t i;
	char *who;
	int rc;

	*out = NULL;
	*entry = NULL;
	if (slash && slash != ref && slash[1]) {
		who = xstrndup(ref, (size_t)(slash - ref));
		rc = who_load(&r, ctx, who);
		free(who);
		if (rc)
			return rc;
		*entry = kind == ENTRY_DEAL ? crm_deal_find(r, slash + 1) :
			 crm_followup_find(r, slash + 1);
		if (!*entry) {
			cmd_error("%s has no %s '%s'", r->id, what, slash + 1);
			crm_record_free(r);
			return 1;
		}
		*out = r;
		return 0;
	}
	if (kind != ENTRY_DEAL) {
		cmd_error("name a follow-up as <who>/<n>, not '%s'", ref);
		return 2;
	}
	memset(&ds, 0, sizeof(ds));
	ds.deal = ref;
	if (records_each(ctx, NULL, deal_visit, &ds)) {
		rc = cmd_fail();
	} else if (ds.ids.n == 1) {
		if (record_load(out, ctx, ds.ids.items[0], ds.paths.items[0])) {
			rc = cmd_fail();
		} else {
			*entry = crm_deal_find_id(*out, ref);
			rc = *entry ? 0 : 1;
		}
	} else if (!ds.ids.n) {
		cmd_error("no deal '%s'; name it as <who>/<deal>", ref);
		rc = 1;
	} else {
		cmd_error("deal '%s' is in %zu customers; say which:", ref,
			  ds.ids.n);
		for (i = 0; i < ds.ids.n; i++)
			fprintf(stderr, "  %s/%s\n", ds.ids.items[i], ref);
		rc = 1;
	}
	for (i = 0; i < ds.ids.n; i++) {
		free((char *)ds.ids.items[i]);
		free((char *)ds.paths.items[i]);
	}
	strlist_release(&ds.ids);
	strlist_release(&ds.paths);
	return rc;
}

int refuse_subcommand_synonym(const char *command, const char *word,
			      const char *subcommands)
{
	static const struct {
		const char *word, *meant;
	} synonyms[] = {
		{ "delete", "rm" }, { "del", "rm" }, { "remove", "rm" },
		{ "new", "add" }, { "create", "add" },
		{ "edit", "set" }, { "update", "set" }, { "move", "set" },
		{ "complete", "done" }, { "finish", "done" },
		{ "postpone", "snooze" }, { "defer", "snooze" },
		{ "ls", "list" },
	};
	size_t i, n;
	const char *p;

	for (i = 0; i < ARRAY_SIZE(synonyms); i++) {
		if (ascii_casecmp(word, synonyms[i].word))
			continue;
		n = strlen(synonyms[i].meant);
		/* only a subcommand this command has */
		for (p = subcommands; (p = strstr(p, synonyms[i].meant));
		     p += n)
			if ((p == subcommands || p[-1] == ' ') &&
			    (!p[n] || p[n] == ' ')) {
				cmd_error("'%s' is not a %s command; did you "
					  "mean 'crm %s %s'?", word, command,
					  command, synonyms[i].meant);
				return 2;
			}
	}
	return 0;
}
