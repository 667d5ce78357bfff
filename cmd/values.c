/*
 * `crm --complete-values <kind>`: the words shell completion offers,
 * one per line.  Quiet on any error: a completion must never spew.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "../lib/config.h"
#include "../lib/util.h"

static void add_unique(struct strlist *seen, const char *v)
{
	size_t i;

	for (i = 0; i < seen->n; i++)
		if (!strcmp(seen->items[i], v))
			return;
	strlist_add(seen, xstrdup(v));
}

static void entry_refs(struct strbuf *out, const struct crm_record *r,
		       const char *key)
{
	const struct crm_node *seq = crm_map_get(r->root, key);
	size_t i;

	for (i = 0; seq && i < seq->nitems; i++) {
		const char *id = crm_map_get_str(seq->items[i], "id");

		if (id)
			strbuf_addf(out, "%s/%s\n", r->id, id);
	}
}

struct words {
	struct strbuf *out;
	struct strlist *seen;
	const char *kind;
};

static void record_words(struct strbuf *out, struct strlist *seen,
			 const struct crm_record *r, const char *kind)
{
	size_t i;

	if (!strcmp(kind, "customers")) {
		strbuf_addf(out, "%s\n", r->id);
	} else if (!strcmp(kind, "tags")) {
		const struct crm_node *tags = crm_map_get(r->root, "tags");

		for (i = 0; tags && i < tags->nitems; i++)
			if (tags->items[i]->str)
				add_unique(seen, tags->items[i]->str);
	} else if (!strcmp(kind, "fields")) {
		for (i = 0; i < crm_map_len(r->root); i++)
			add_unique(seen, crm_map_key(r->root, i));
	} else if (!strcmp(kind, "deals")) {
		entry_refs(out, r, "deals");
	} else if (!strcmp(kind, "followups")) {
		entry_refs(out, r, "followups");
	}
}

static void stage_words(struct strbuf *out, struct crm_ctx *ctx)
{
	struct strbuf buf = STRBUF_INIT;
	struct crm_config cfg;
	size_t i;

	if (crm_store_read_file(&buf, ctx->store, CRM_CONFIG_FILE) ||
	    crm_config_parse(&cfg, buf.buf, buf.len, CRM_CONFIG_FILE)) {
		strbuf_release(&buf);
		return;
	}
	for (i = 0; i < cfg.nstages; i++)
		strbuf_addf(out, "%s\n", cfg.stages[i].name);
	crm_config_release(&cfg);
	strbuf_release(&buf);
}

static int visit(const char *id, const char *path,
		 const struct crm_node *summary, void *data)
{
	struct words *w = data;
	struct crm_record r = { (char *)id, (char *)path,
				(struct crm_node *)summary };

	record_words(w->out, w->seen, &r, w->kind);
	return 0;
}

int complete_values(struct crm_ctx *ctx, const char *kind)
{
	struct strbuf out = STRBUF_INIT;
	struct strlist seen = { NULL, 0, 0 };
	struct words w = { &out, &seen, kind };
	size_t i;

	if (!strcmp(kind, "stages")) {
		stage_words(&out, ctx);
	} else {
		/* warnings about broken records would corrupt the prompt */
		cmd_quiet = 1;
		records_each(ctx, NULL, visit, &w);
	}
	for (i = 0; i < seen.n; i++) {
		strbuf_addf(&out, "%s\n", seen.items[i]);
		free((char *)seen.items[i]);
	}
	flush_stdout(&out);
	strlist_release(&seen);
	strbuf_release(&out);
	return 0;
}
