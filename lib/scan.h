#ifndef CRM_SCAN_H
#define CRM_SCAN_H

#include <stddef.h>

#include "node.h"
#include "store.h"

/*
 * Visiting every record fast, for list, followup, deal, reports and
 * <who> lookups.  A per-shard cache under .git/crm-cache/ keeps each
 * record's parsed summary -- the record without the text of its log
 * entries -- keyed by the file's stat data, as git's index is, so a
 * hand edit in the working tree is seen at once while an unchanged
 * store is never parsed twice.  Shards are checked on several threads;
 * memory stays bounded by one shard per thread, whatever the store's
 * size.
 */
struct crm_scan_record {
	const char *id;
	const char *path;		/* customers/<shard>/<id>.yml */
	/* the record without log texts; NULL when the file is broken */
	const struct crm_node *summary;
	const char *error;		/* why it is broken, or NULL */
	/*
	 * The scanning thread it is visited on, below CRM_SCAN_MAX_THREADS:
	 * a match may keep what it finds per thread, without a lock.
	 */
	unsigned thread;
};

#define CRM_SCAN_MAX_THREADS 4

/*
 * Called once per record, never on two threads at once, in no
 * particular order.  A non-zero return stops the scan and is returned.
 */
typedef int (*crm_scan_fn)(const struct crm_scan_record *r, void *data);

struct crm_scan_stats {
	size_t records;		/* files visited */
	size_t parsed;		/* ... that had to be parsed */
	size_t broken;		/* ... that did not parse */
};

/*
 * `match`, if not NULL, runs first on the scanning thread, outside the
 * lock, and must be thread-safe: a record it rejects never reaches `fn`.
 * It is where the expensive part of a filter belongs.
 */
typedef int (*crm_scan_match_fn)(const struct crm_scan_record *r, void *data);

int crm_store_scan(struct crm_store *s, crm_scan_match_fn match,
		   crm_scan_fn fn, void *data, struct crm_scan_stats *stats);

/*
 * Visit the records of a past commit (40 hex digits), for reports
 * --as-of: summaries come from the cache where the blob is unchanged,
 * else from the blob.  One thread; `match` as above.
 */
int crm_store_scan_commit(struct crm_store *s, const char *commit_hex,
			  crm_scan_match_fn match, crm_scan_fn fn, void *data);

/* Remove the cache (it is rebuilt on the next scan). */
int crm_store_scan_cache_clear(struct crm_store *s);

#endif
