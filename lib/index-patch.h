#ifndef CRM_INDEX_PATCH_H
#define CRM_INDEX_PATCH_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/*
 * A fast path for the commonest index update: files already in the index
 * got new content (crm log, set, deal...).  libgit2 1.5 reads a
 * 100,000-entry index into one allocation per entry, sorts and hashes it,
 * and writes it all again: ~200 ms of a 230 ms `crm log`.  In index
 * versions 2 to 4 an entry's size depends only on its path, so new stat
 * data and blob id can be written over the old ones; the cache-tree
 * extension loses the trees on the changed paths, as git's own update
 * does; an entry git would take as racily clean has its file checked,
 * as git does when it writes an index; the checksum is computed again.
 *
 * Anything else -- another index version, a path not in the index or in
 * conflict, an extension other than the cache tree, a checksum that does
 * not match -- is left to libgit2: the patch then declines and changes
 * nothing.
 */
struct crm_index_update {
	const char *path;		/* as in the index: customers/ab/x.yml */
	/* the file's stat data as git stores it (truncated to 32 bits) */
	uint32_t ctime_s, ctime_ns, mtime_s, mtime_ns;
	uint32_t dev, ino, mode, uid, gid, size;
	unsigned char id[20];		/* the blob id of its content */
};

/*
 * Is the file at `path` (an index path) still the blob `id`?  Asked of
 * an entry git would take as racily clean: one modified in the second
 * the index was written.  If not, its size is zeroed in the new index
 * (git's "smudge"), so that git and libgit2 look at its content.
 */
typedef int (*crm_index_same_fn)(const char *path, const unsigned char id[20],
				 void *data);

/*
 * Patch the index file in `buf` (its `len` bytes, writable, typically a
 * private mapping of .git/index) for the entries of `up` (sorted by
 * path, no duplicates).  On success the new index is buf[0, *keep)
 * followed by `tail` (the extensions and the checksum): the entries are
 * patched where they lie, and only what follows them is written anew.
 * `index_mtime_s` is the mtime (in seconds, as git compares it) of the
 * file `buf` was read from.  Returns 0, or 1 (buf and tail unspecified)
 * when the fast path does not apply.
 */
int crm_index_patch(unsigned char *buf, size_t len,
		    const struct crm_index_update *up, size_t nup,
		    uint32_t index_mtime_s, crm_index_same_fn same, void *data,
		    size_t *keep, struct strbuf *tail);

/*
 * git's id of a blob with this content (git hash-object), without the
 * collision detection of libgit2's SHA-1, which is several times slower:
 * used for the scan cache's keys, never to name an object git stores.
 */
void crm_blob_id(unsigned char out[20], const void *data, size_t len);

/* SHA-1 of two buffers one after the other (the index checksum). */
void crm_sha1_2(unsigned char out[20], const void *a, size_t alen,
		const void *b, size_t blen);

#endif
