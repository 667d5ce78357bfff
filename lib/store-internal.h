#ifndef CRM_STORE_INTERNAL_H
#define CRM_STORE_INTERNAL_H

#include <git2.h>

#include "store.h"

/* Shared by store.c and store-history.c only. */
struct crm_store {
	git_repository *repo;
	char *root;		/* the working tree, no trailing slash */
	char *gitdir;		/* ends with a slash */
	int lock_fd;
};

/* Report the last libgit2 error as "what: message"; returns CRM_ERROR. */
int crm_git_error(const char *what);

/* The branch HEAD points at, and its tip (NULL oid if unborn). */
int crm_store_head(struct crm_store *s, struct strbuf *branch,
		   git_oid *tip, int *unborn);

#endif
