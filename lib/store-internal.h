#ifndef CRM_STORE_INTERNAL_H
#define CRM_STORE_INTERNAL_H

#include <git2.h>
#include <git2/sys/repository.h>

#include "store.h"

/* Shared by store.c and store-history.c only. */
struct crm_store {
	git_repository *repo;
	char *root;		/* the working tree, no trailing slash */
	char *gitdir;		/* ends with a slash */
	int lock_fd;
	int wrote_objects;	/* a commit or a fetch: crm_repo_start_gc_if_due */
	int read_without_mappings;	/* crm_repo_read_without_mappings */
};

/* libgit2 set up once, with fsync of the git directory on. */
void crm_store_library_init(void);

/*
 * Let go of this process's pages of the pack files libgit2 has mapped
 * (they stay in the page cache): see store.c.
 */
void crm_release_pack_pages(void);
/* From now on, crm_release_pack_pages every `every` objects read. */
int crm_store_release_pages_on_read(struct crm_store *s, unsigned long every);
/* The same for any repository (one crm opened itself, say). */
int crm_repo_release_pages_on_read(git_repository *repo, unsigned long every);
/*
 * `git gc --auto` in the background if git's estimate says `repo` wants
 * it (see store.c): after crm wrote to it.  `after_push`: crm pushed
 * into it, as git's receive-pack would (receive.autogc applies).
 */
void crm_repo_start_gc_if_due(git_repository *repo, int after_push);

/* Report the last libgit2 error as "what: message"; returns CRM_ERROR. */
int crm_git_error(const char *what);

/* The branch HEAD points at, and its tip (NULL oid if unborn). */
int crm_store_head(struct crm_store *s, struct strbuf *branch,
		   git_oid *tip, int *unborn);

/* Paths that differ between two trees (see crm_tree_diff). */
struct path_list {
	char **items;
	size_t n, alloc;
	/* from crm_tree_diff: each path's blob on either side, or zero */
	git_oid *old_ids, *new_ids;
};
void crm_path_list_add(struct path_list *l, const char *prefix,
		       const char *name);
void crm_path_list_release(struct path_list *l);
/*
 * Every file that differs between trees `a` and `b` (either may be
 * NULL), descending only into subtrees whose ids differ.
 */
int crm_tree_diff(struct crm_store *s, git_tree *a, git_tree *b,
		  const char *prefix, struct path_list *out);

/* The blob at `path` in `commit` (a zero oid if absent or no commit). */
int crm_blob_at(git_oid *out, git_commit *commit, const char *path);

/*
 * CRM_ECONFLICT if the working-tree file at `path` is not `head_id`
 * (a hand edit not committed), which an operation rewriting the file
 * would lose.
 */
int crm_worktree_check(struct crm_store *s, const char *path,
		       const git_oid *head_id);

/*
 * Commit `changes` on the branch tip with `second_parent` as the other
 * parent (a merge), or move the branch to `fast_forward` (changes
 * NULL), bringing the working tree and index along; journaled and
 * compare-and-swap like any crm commit.
 */
int crm_store_commit_merge(struct crm_store *s,
			   const struct crm_change *changes, size_t n,
			   const char *message, const git_oid *second_parent);
int crm_store_fast_forward(struct crm_store *s, const git_oid *to);

#endif
