#ifndef CRM_FORGET_H
#define CRM_FORGET_H

#include "node.h"
#include "store.h"
#include "strbuf.h"

/*
 * Erasing a person (crm forget): their record goes, and their name,
 * emails and phones are replaced by "[forgotten]" wherever other records
 * mention them; with history purged, in every commit too, and the
 * objects that held them are deleted.
 */
#define CRM_FORGOTTEN "[forgotten]"

struct crm_secrets {
	char **items;
	size_t n, alloc;
};

void crm_secrets_add(struct crm_secrets *s, const char *text);
void crm_secrets_release(struct crm_secrets *s);

/* Replace every secret in every text of `n` (not keys); 1 if any was. */
int crm_scrub_node(struct crm_node *n, const struct crm_secrets *secrets);
/* Whether `text` (of `len` bytes) holds any secret, ignoring case. */
int crm_secrets_in(const struct crm_secrets *s, const char *text, size_t len);
/* `text` with every secret replaced. */
void crm_scrub_text(struct strbuf *out, const char *text,
		    const struct crm_secrets *secrets);

/*
 * git's gc lock (gc.pid), taken as git takes it; an error if a gc holds
 * it.  A gc running while history is purged would put the old history
 * back in a pack: take it before the first change, drop it at the end.
 */
int crm_store_hold_gc_lock(struct crm_store *s);
void crm_store_drop_gc_lock(struct crm_store *s);

/*
 * Rewrite the branch's whole history without `path` (the record) and
 * with every secret scrubbed from other records and commit messages,
 * then drop reflogs and remote-tracking refs that still reach the old
 * history and repack the object database so no object holds a secret.
 * `report` gets how many commits were rewritten.  Call it holding the
 * gc lock (crm_store_hold_gc_lock).
 */
int crm_store_purge_history(struct crm_store *s, const char *path,
			    const struct crm_secrets *secrets,
			    struct strbuf *report);

#endif
