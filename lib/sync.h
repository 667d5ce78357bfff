#ifndef CRM_SYNC_H
#define CRM_SYNC_H

#include "store.h"
#include "strbuf.h"

/*
 * Sharing a store through a git remote: clone, and sync (fetch, merge
 * record by record with lib/merge, push).  lib/store-sync.c.
 */

struct crm_sync_list {
	char **items;
	size_t n, alloc;
};

struct crm_sync_report {
	/* customer ids, by what happened to them */
	struct crm_sync_list in_added, in_changed, in_removed;	/* theirs */
	struct crm_sync_list out_added, out_changed, out_removed; /* ours */
	struct crm_sync_list merged;	/* changed on both sides */
	struct crm_sync_list notes;	/* renames, kept deletions, conflicts */
	size_t conflicts;
	int up_to_date, fast_forward, pushed, created_remote_branch;
};

void crm_sync_report_release(struct crm_sync_report *r);

/*
 * Fetch from `remote` (NULL: origin), merge, push; retried a few times
 * when the remote moves on meanwhile.  With `dry_run`, fetches (the
 * remote-tracking branch only) and reports what would happen.
 */
int crm_store_sync(struct crm_store *s, const char *remote, int dry_run,
		   struct crm_sync_report *report);

/* Clone `url` into `dir` and make it a crm store (merge driver set up). */
int crm_store_clone(struct crm_store **out, const char *url, const char *dir);

/* Add the remote `name` (origin) pointing at `url`. */
int crm_store_add_remote(struct crm_store *s, const char *name,
			 const char *url);

/* Set the store's git config so plain `git merge` uses `crm merge-driver`. */
int crm_store_setup_merge_driver(struct crm_store *s);

#endif
