#ifndef CRM_STORE_H
#define CRM_STORE_H

#include <stddef.h>
#include <time.h>

#include "strbuf.h"

/*
 * The store: a git repository whose working tree holds one YAML file per
 * customer under customers/<shard>/<id>.yml.  The only file that talks
 * to libgit2 (with store-history.c).
 *
 * Reads come from the working tree, so a hand edit is seen at once.
 * Writes go through crm_store_commit(): objects first, then the branch
 * (compare-and-swap), then the working tree and the index, with a
 * journal that lets the next crm finish the job after a crash.
 */
struct crm_store;

#define CRM_CONFIG_FILE ".crm.yml"
#define CRM_CUSTOMERS_DIR "customers"

/* Where the store is by the rules of crm(1): -C, $CRM_DIR, XDG. */
int crm_store_locate(struct strbuf *out, const char *dir_option);

int crm_store_open(struct crm_store **out, const char *dir);
/* Free libgit2's global state (at exit, so leak checkers see none). */
void crm_store_library_shutdown(void);
/*
 * Make a new store at `dir`: a git repository on branch main holding the
 * `nfiles` files given as path/content pairs, in one commit.
 */
int crm_store_init(struct crm_store **out, const char *dir,
		   const char *const (*files)[2], size_t nfiles,
		   const char *message);
void crm_store_free(struct crm_store *s);
const char *crm_store_root(const struct crm_store *s);
/* The repository's .git directory, ending in '/'. */
const char *crm_store_gitdir(const struct crm_store *s);

/*
 * Take the store's write lock (waiting a while if another crm holds it)
 * and finish any commit a crashed crm left half done.  Released by
 * crm_store_free() or process exit.
 */
int crm_store_lock(struct crm_store *s);

/*
 * If a crm was killed in the middle of a commit, finish its work now
 * (the working tree and index catch up with the branch).  Cheap when
 * there is nothing to do; every command calls it.
 */
int crm_store_recover(struct crm_store *s);

/* customers/<shard>/<id>.yml, the shard being the first two hex digits
 * of the git blob id of `id` (`printf %s id | git hash-object --stdin`). */
void crm_store_record_path(struct strbuf *out, const char *id);

/* Read a working-tree file; CRM_ENOTFOUND if it is not there. */
int crm_store_read_file(struct strbuf *out, struct crm_store *s,
			const char *path);
int crm_store_file_exists(struct crm_store *s, const char *path);
/* The absolute path of `path` in the working tree. */
void crm_store_abspath(struct strbuf *out, const struct crm_store *s,
		       const char *path);

/* Replace the file at absolute `path` atomically (temp + fsync + rename). */
int crm_write_file_atomic(const char *path, const char *data, size_t len);
/*
 * The same without the syncs, for what can be rebuilt (caches): a reader
 * sees the old file or the new one, but after a crash it may be torn.
 */
int crm_write_file_replace(const char *path, const char *data, size_t len);

/*
 * The same, written in pieces: crm_file_commit syncs and renames the
 * temporary file over `path`, crm_file_cancel removes it; either ends
 * the writer, as does a failing crm_file_begin.
 */
struct crm_file_writer {
	int fd;
	int staged;
	struct strbuf tmp;
	char *path;
};
int crm_file_begin(struct crm_file_writer *w, const char *path);
int crm_file_write(struct crm_file_writer *w, const void *data, size_t len);
int crm_file_commit(struct crm_file_writer *w);
void crm_file_cancel(struct crm_file_writer *w);

/* Every record file in the working tree, sorted by id. */
struct crm_record_ref {
	char *id;
	char *path;
};
struct crm_record_refs {
	struct crm_record_ref *items;
	size_t n, alloc;
};
int crm_store_list_records(struct crm_record_refs *out, struct crm_store *s);
void crm_record_refs_release(struct crm_record_refs *refs);

struct crm_change {
	const char *path;
	const char *data;	/* NULL removes the file */
	size_t len;
};

/*
 * Commit `changes` on top of the current branch tip as one commit and
 * bring the working tree and index in line.  CRM_EUNCHANGED if the
 * changes leave the tree as it was (nothing is committed).
 */
int crm_store_commit(struct crm_store *s, const struct crm_change *changes,
		     size_t nchanges, const char *message);

enum crm_commit_flags {
	/* many records at once: objects go in one pack, files are synced
	 * together (crm import) */
	CRM_COMMIT_BULK = 1 << 0,
};
int crm_store_commit_ext(struct crm_store *s, const struct crm_change *changes,
			 size_t nchanges, const char *message, unsigned flags);

/* Identity for commits and for log entries ("by"), from git config. */
int crm_store_identity(struct crm_store *s, struct strbuf *name,
		       struct strbuf *email);
/* The short user name crm records as `by`/`owner` (crm(1): IDENTITY). */
int crm_store_user(struct crm_store *s, struct strbuf *user);
/* A git config value, or NULL. */
int crm_store_config_get(struct strbuf *out, struct crm_store *s,
			 const char *key);

/* One commit that changed a path, oldest last, for `crm history`. */
struct crm_change_info {
	char commit[41];
	const char *author;
	const char *email;
	time_t time;
	int offset;		/* minutes east of UTC */
	const char *message;
	const char *old_data;	/* NULL if the file did not exist */
	size_t old_len;
	const char *new_data;	/* NULL if the change removed it */
	size_t new_len;
};
typedef int (*crm_history_cb)(const struct crm_change_info *info, void *data);
/* Walk the first-parent history of HEAD for commits that changed `path`,
 * newest first; a callback returning non-zero stops the walk. */
int crm_store_history(struct crm_store *s, const char *path,
		      crm_history_cb cb, void *data);

/*
 * The last commit on HEAD's first-parent line made at or before `end`
 * (40 hex digits), for reports --as-of; CRM_ENOTFOUND if none is.
 */
int crm_store_commit_before(struct crm_store *s, time_t end, char out[41]);

/*
 * Every change of a deal's stage along HEAD's first-parent history,
 * oldest first, up to `until`: `from` is NULL for a new deal, `to` NULL
 * for a removed one.  Kept in .git/crm-cache/stages, so only the commits
 * since the last call are read.
 */
struct crm_stage_event {
	time_t time;
	const char *customer, *deal;
	const char *from, *to;
};
typedef int (*crm_stage_event_fn)(const struct crm_stage_event *e,
				  void *data);
int crm_store_stage_events(struct crm_store *s, time_t until,
			   crm_stage_event_fn fn, void *data);

/*
 * Undo the latest crm commit not already undone, as a new commit.
 * `summary` receives the subject of the commit undone.
 */
int crm_store_undo(struct crm_store *s, struct strbuf *summary);

#endif
