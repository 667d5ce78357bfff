#ifndef CRM_DEDUPE_H
#define CRM_DEDUPE_H

#include <stddef.h>

#include "node.h"
#include "record.h"
#include "strbuf.h"
#include "strmap.h"

/*
 * Likely duplicate customers (crm dedupe) and merging two customers into
 * one (crm merge).  No I/O: the commands scan and commit.
 *
 * Two customers are likely the same person when they share an email
 * address (in any case) or a phone number (compared as crm import
 * compares them, crm_import_phone_key), or when they are at the same
 * company (compared folded: case and accents ignored) and their names,
 * folded, are the same or nearly so: one edit apart for names of four
 * to seven letters, two from eight on.  Namesakes at different companies,
 * or with no company, are not: a store of 100,000 has many Maria Garcias.
 */

/* `name` folded for comparing: case, accents and extra spaces ignored. */
void crm_name_fold(struct strbuf *out, const char *name);
/*
 * Whether two folded names are one person's, allowing for typos: equal,
 * or one edit apart from four letters on, two from eight on.
 */
int crm_names_alike(const char *a, const char *b);

struct crm_dedupe_pair {
	char *a, *b;		/* the two ids, a before b */
	char *reasons;		/* "same email jane@x.example; ..." */
};

struct crm_dedupe {
	/* what was added */
	char **ids, **names;
	size_t n, alloc;
	struct crm_strmap by_key;	/* email or phone key -> group */
	struct crm_strmap by_company;	/* folded company -> group */
	size_t **groups;		/* customers of each key or company */
	size_t *group_len, *group_alloc;
	char **group_reason;		/* "same email x", or NULL: names */
	size_t ngroups, groups_alloc;
	/* what was found */
	struct crm_strmap by_pair;	/* "a\tb" -> pair */
	struct crm_dedupe_pair *pairs;
	size_t npairs, pairs_alloc;
	size_t skipped_groups;		/* companies too large to compare */
	size_t capped_keys;		/* keys shared by too many */
};

/*
 * Companies with more people than this are not compared name by name,
 * and of more customers sharing one email or phone, only the first
 * (by id) are paired: thousands sharing info@ would be millions of pairs.
 */
#define CRM_DEDUPE_MAX_GROUP 2000
#define CRM_DEDUPE_MAX_SHARED 100

void crm_dedupe_init(struct crm_dedupe *d);
/* Add one customer (a record or a scan summary). */
void crm_dedupe_add(struct crm_dedupe *d, const char *id,
		    const struct crm_node *record);
/* Compare names within companies and sort the pairs by their ids. */
void crm_dedupe_finish(struct crm_dedupe *d);
void crm_dedupe_release(struct crm_dedupe *d);

/*
 * Merge customer `other` into `keep`, which is changed; `other` is not.
 * Lists are unioned; a field `keep` lacks is taken from `other`; where
 * both have a different value, keep's stays and a line "merge: <field>
 * was '<value>' in <other id>" goes into the notes, so nothing is lost.
 * Log entries are combined in time order, without repeats; other's deals
 * are added (one whose id keep already uses for a different deal gets a
 * new id) and its follow-ups too, numbered after keep's; a deal or
 * follow-up keep has, the same but for its id, is not added twice.
 * `keep` keeps its id and `created`.  Returns how many values went to
 * the notes.
 */
size_t crm_customer_merge(struct crm_record *keep,
			  const struct crm_record *other);

#endif
