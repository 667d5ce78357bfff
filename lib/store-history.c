/*
 * Reading the store's past: per-record history and undo.
 */
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "yaml.h"
#include "pack-read.h"
#include "store-internal.h"
#include "util.h"

/* The blob at `path` in `commit`'s tree, or a zero oid if absent. */
int crm_blob_at(git_oid *out, git_commit *commit, const char *path)
{
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!commit)
		return 0;
	if (git_commit_tree(&tree, commit))
		return crm_git_error("cannot read a commit");
	if (!git_tree_entry_bypath(&entry, tree, path))
		git_oid_cpy(out, git_tree_entry_id(entry));
	else
		git_error_clear();
	git_tree_entry_free(entry);
	git_tree_free(tree);
	return rc;
}

static int load_blob(git_blob **out, struct crm_store *s, const git_oid *id)
{
	*out = NULL;
	if (git_oid_is_zero(id))
		return 0;
	if (git_blob_lookup(out, s->repo, id))
		return crm_git_error("cannot read a blob");
	return 0;
}

static int report_change(struct crm_store *s, git_commit *c,
			 const git_oid *old_id, const git_oid *new_id,
			 crm_history_cb cb, void *data)
{
	const git_signature *sig = git_commit_author(c);
	struct crm_change_info info;
	git_blob *old_blob = NULL, *new_blob = NULL;
	int rc;

	memset(&info, 0, sizeof(info));
	if ((rc = load_blob(&old_blob, s, old_id)) ||
	    (rc = load_blob(&new_blob, s, new_id)))
		goto done;
	git_oid_tostr(info.commit, sizeof(info.commit), git_commit_id(c));
	info.author = sig->name;
	info.email = sig->email;
	info.time = (time_t)sig->when.time;
	info.offset = sig->when.offset;
	info.message = git_commit_message(c);
	if (old_blob) {
		info.old_data = git_blob_rawcontent(old_blob);
		info.old_len = (size_t)git_blob_rawsize(old_blob);
	}
	if (new_blob) {
		info.new_data = git_blob_rawcontent(new_blob);
		info.new_len = (size_t)git_blob_rawsize(new_blob);
	}
	rc = cb(&info, data);
done:
	git_blob_free(old_blob);
	git_blob_free(new_blob);
	return rc;
}

/*
 * Before a walk through much of the history: its objects are read with
 * pread, not through libgit2's mappings of the packs, which such a walk
 * makes resident whole (see pack-read.h).  Without that backend the walk
 * only takes more memory, so failing to add it is not an error.
 */
static void before_long_walk(struct crm_store *s)
{
	if (s->read_without_mappings)
		return;
	if (crm_repo_read_without_mappings(s->repo))
		git_error_clear();
	s->read_without_mappings = 1;
}

int crm_store_history(struct crm_store *s, const char *path,
		      crm_history_cb cb, void *data)
{
	struct strbuf branch = STRBUF_INIT;
	git_commit *c = NULL, *parent = NULL;
	git_oid tip, here, before;
	int unborn, rc;

	if ((rc = crm_store_head(s, &branch, &tip, &unborn)) || unborn)
		goto done;
	if (git_commit_lookup(&c, s->repo, &tip)) {
		rc = crm_git_error("cannot read HEAD");
		goto done;
	}
	if ((rc = crm_blob_at(&here, c, path)))
		goto done;
	/* each commit is read once: libgit2's cache would only fill up */
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	before_long_walk(s);
	/* first parent only: a merge shows as one change, as git log does */
	while (c) {
		if (git_commit_parentcount(c) &&
		    git_commit_parent(&parent, c, 0)) {
			rc = crm_git_error("cannot read a parent commit");
			goto done;
		}
		if ((rc = crm_blob_at(&before, parent, path)))
			goto done;
		if (!git_oid_equal(&here, &before)) {
			rc = report_change(s, c, &before, &here, cb, data);
			if (rc)
				goto done;
		}
		git_commit_free(c);
		c = parent;
		parent = NULL;
		here = before;
	}
done:
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 1);
	git_commit_free(c);
	git_commit_free(parent);
	strbuf_release(&branch);
	return rc > 0 ? 0 : rc;
}

/* crm's own commits say "crm: ..."; undo commits name what they undo. */
#define UNDO_TRAILER "Undoes: "

static int is_crm_commit(git_commit *c)
{
	return starts_with(git_commit_message(c), "crm: ");
}

static int undone_commit(git_commit *c, git_oid *out)
{
	const char *m = strstr(git_commit_message(c), "\n" UNDO_TRAILER);

	if (!m || !starts_with(git_commit_message(c), "crm: undo "))
		return 0;
	return !git_oid_fromstrn(out, m + 1 + strlen(UNDO_TRAILER),
				 GIT_OID_HEXSZ);
}

struct oid_set {
	git_oid *items;
	size_t n, alloc;
};

static int oid_set_has(const struct oid_set *set, const git_oid *id)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (git_oid_equal(&set->items[i], id))
			return 1;
	return 0;
}

/*
 * Collect every file that differs between two trees, descending only
 * into subtrees whose ids differ: a one-record commit in a store of
 * 100,000 customers costs a few tree reads, not a walk of every file.
 */
void crm_path_list_add(struct path_list *l, const char *prefix,
			  const char *name)
{
	struct strbuf p = STRBUF_INIT;
	size_t alloc = l->alloc;

	strbuf_addf(&p, "%s%s", prefix, name);
	ALLOC_GROW(l->items, l->n + 1, l->alloc);
	if (l->alloc != alloc) {
		l->old_ids = xrealloc(l->old_ids, l->alloc * sizeof(git_oid));
		l->new_ids = xrealloc(l->new_ids, l->alloc * sizeof(git_oid));
	}
	memset(&l->old_ids[l->n], 0, sizeof(git_oid));
	memset(&l->new_ids[l->n], 0, sizeof(git_oid));
	l->items[l->n++] = strbuf_detach(&p, NULL);
}

/* A changed file, with its blob on either side (NULL: none). */
static void add_change(struct path_list *l, const char *prefix,
		       const git_tree_entry *ea, const git_tree_entry *eb)
{
	crm_path_list_add(l, prefix, git_tree_entry_name(ea ? ea : eb));
	if (ea)
		git_oid_cpy(&l->old_ids[l->n - 1], git_tree_entry_id(ea));
	if (eb)
		git_oid_cpy(&l->new_ids[l->n - 1], git_tree_entry_id(eb));
}

void crm_path_list_release(struct path_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	free(l->old_ids);
	free(l->new_ids);
}


static int diff_entry(struct crm_store *s, const git_tree_entry *ea,
		      const git_tree_entry *eb, const char *prefix,
		      struct path_list *out)
{
	const git_tree_entry *e = ea ? ea : eb;
	int a_dir = ea && git_tree_entry_type(ea) == GIT_OBJECT_TREE;
	int b_dir = eb && git_tree_entry_type(eb) == GIT_OBJECT_TREE;
	git_tree *ta = NULL, *tb = NULL;
	struct strbuf sub = STRBUF_INIT;
	int rc = 0;

	if (ea && eb && git_oid_equal(git_tree_entry_id(ea),
				      git_tree_entry_id(eb)))
		return 0;
	if (!a_dir && !b_dir) {
		add_change(out, prefix, ea, eb);
		return 0;
	}
	if ((a_dir && git_tree_lookup(&ta, s->repo, git_tree_entry_id(ea))) ||
	    (b_dir && git_tree_lookup(&tb, s->repo, git_tree_entry_id(eb)))) {
		rc = crm_git_error("cannot read a tree");
		goto done;
	}
	/* a file replaced by a directory (or back) changes both */
	if (ea && !a_dir)
		add_change(out, prefix, ea, NULL);
	if (eb && !b_dir)
		add_change(out, prefix, NULL, eb);
	strbuf_addf(&sub, "%s%s/", prefix, git_tree_entry_name(e));
	rc = crm_tree_diff(s, ta, tb, sub.buf, out);
done:
	git_tree_free(ta);
	git_tree_free(tb);
	strbuf_release(&sub);
	return rc;
}

/* git's tree order: a tree's name sorts as if it ended in '/' */
static int entry_cmp(const git_tree_entry *a, const git_tree_entry *b)
{
	const char *na = git_tree_entry_name(a), *nb = git_tree_entry_name(b);
	unsigned char ca, cb;

	for (; *na && *na == *nb; na++, nb++)
		;
	ca = *na ? (unsigned char)*na :
	     git_tree_entry_type(a) == GIT_OBJECT_TREE ? '/' : 0;
	cb = *nb ? (unsigned char)*nb :
	     git_tree_entry_type(b) == GIT_OBJECT_TREE ? '/' : 0;
	return (int)ca - (int)cb;
}

int crm_tree_diff(struct crm_store *s, git_tree *a, git_tree *b,
		  const char *prefix, struct path_list *out)
{
	size_t i = 0, j = 0;
	size_t na = a ? git_tree_entrycount(a) : 0;
	size_t nb = b ? git_tree_entrycount(b) : 0;
	int rc = 0;

	while (!rc && (i < na || j < nb)) {
		const git_tree_entry *ea = i < na ?
			git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *eb = j < nb ?
			git_tree_entry_byindex(b, j) : NULL;
		int cmp = !ea ? 1 : !eb ? -1 : entry_cmp(ea, eb);

		if (cmp == 0) {
			rc = diff_entry(s, ea, eb, prefix, out);
			i++;
			j++;
		} else if (cmp < 0) {
			rc = diff_entry(s, ea, NULL, prefix, out);
			i++;
		} else {
			rc = diff_entry(s, NULL, eb, prefix, out);
			j++;
		}
	}
	return rc;
}

static int find_undo_target(git_commit *head, git_commit **out)
{
	struct oid_set undone = { NULL, 0, 0 };
	git_commit *c = NULL, *next = NULL;
	int rc = 0;

	*out = NULL;
	if (git_commit_dup(&c, head))
		return crm_git_error("cannot read HEAD");
	while (c) {
		git_oid target;

		if (!is_crm_commit(c)) {
			crm_error_set(CRM_ERROR,
				      "the last change (%.7s) was not made by "
				      "crm; undo it with 'crm git revert'",
				      git_oid_tostr_s(git_commit_id(c)));
			rc = CRM_ERROR;
			break;
		}
		if (undone_commit(c, &target)) {
			ALLOC_GROW(undone.items, undone.n + 1, undone.alloc);
			undone.items[undone.n++] = target;
		} else if (!oid_set_has(&undone, git_commit_id(c))) {
			if (!git_commit_parentcount(c)) {
				crm_error_set(CRM_ERROR,
					      "nothing to undo: only the store's "
					      "creation is left");
				rc = CRM_ERROR;
			} else if (git_commit_parentcount(c) > 1) {
				crm_error_set(CRM_ERROR,
					      "the last change is a merge; "
					      "undo it with git");
				rc = CRM_ERROR;
			} else {
				*out = c;
				c = NULL;
			}
			break;
		}
		if (!git_commit_parentcount(c)) {
			crm_error_set(CRM_ERROR, "nothing to undo");
			rc = CRM_ERROR;
			break;
		}
		if (git_commit_parent(&next, c, 0)) {
			rc = crm_git_error("cannot read a parent commit");
			break;
		}
		git_commit_free(c);
		c = next;
		next = NULL;
	}
	git_commit_free(c);
	free(undone.items);
	return rc;
}

/*
 * Undo rewrites files: refuse when the working-tree file holds a hand
 * edit that is not committed, rather than silently replacing it.
 */
int crm_worktree_check(struct crm_store *s, const char *path,
			  const git_oid *head_id)
{
	struct strbuf full = STRBUF_INIT;
	git_oid file_id;
	int rc = 0, exists;

	crm_store_abspath(&full, s, path);
	exists = !access(full.buf, F_OK);
	if (!exists && git_oid_is_zero(head_id))
		goto done;
	if (!exists || git_odb_hashfile(&file_id, full.buf, GIT_OBJECT_BLOB) ||
	    !git_oid_equal(&file_id, head_id)) {
		git_error_clear();
		crm_error_set(CRM_ECONFLICT,
			      "'%s' has changes that are not committed; commit "
			      "or discard them first (crm git status)", path);
		rc = CRM_ECONFLICT;
	}
done:
	strbuf_release(&full);
	return rc;
}

int crm_store_undo(struct crm_store *s, struct strbuf *summary)
{
	struct strbuf branch = STRBUF_INIT, msg = STRBUF_INIT;
	struct path_list paths = { NULL, 0, 0 };
	struct crm_change *changes = NULL;
	git_blob **blobs = NULL;
	git_commit *head = NULL, *target = NULL, *parent = NULL;
	git_tree *t_tree = NULL, *p_tree = NULL;
	git_oid tip;
	size_t i;
	int unborn, rc;

	if ((rc = crm_store_head(s, &branch, &tip, &unborn)))
		goto done;
	if (unborn) {
		crm_error_set(CRM_ERROR, "nothing to undo");
		rc = CRM_ERROR;
		goto done;
	}
	if (git_commit_lookup(&head, s->repo, &tip)) {
		rc = crm_git_error("cannot read HEAD");
		goto done;
	}
	if ((rc = find_undo_target(head, &target)))
		goto done;
	if (git_commit_parent(&parent, target, 0) ||
	    git_commit_tree(&t_tree, target) ||
	    git_commit_tree(&p_tree, parent)) {
		rc = crm_git_error("cannot read the change to undo");
		goto done;
	}
	if ((rc = crm_tree_diff(s, p_tree, t_tree, "", &paths)))
		goto done;
	changes = xcalloc(paths.n ? paths.n : 1, sizeof(*changes));
	blobs = xcalloc(paths.n ? paths.n : 1, sizeof(*blobs));
	for (i = 0; i < paths.n; i++) {
		git_oid now_id, then_id, before_id;

		if ((rc = crm_blob_at(&now_id, head, paths.items[i])) ||
		    (rc = crm_blob_at(&then_id, target, paths.items[i])) ||
		    (rc = crm_blob_at(&before_id, parent, paths.items[i])))
			goto done;
		/* a later change to the same file would be lost: refuse */
		if (!git_oid_equal(&now_id, &then_id)) {
			crm_error_set(CRM_ECONFLICT,
				      "cannot undo '%s': '%s' has changed since",
				      git_commit_summary(target), paths.items[i]);
			rc = CRM_ECONFLICT;
			goto done;
		}
		if ((rc = crm_worktree_check(s, paths.items[i], &now_id)))
			goto done;
		changes[i].path = paths.items[i];
		if ((rc = load_blob(&blobs[i], s, &before_id)))
			goto done;
		if (blobs[i]) {
			changes[i].data = git_blob_rawcontent(blobs[i]);
			changes[i].len = (size_t)git_blob_rawsize(blobs[i]);
		}
	}
	strbuf_addstr(summary, git_commit_summary(target));
	strbuf_addf(&msg, "crm: undo %s\n\n%s%s\n",
		    starts_with(summary->buf, "crm: ") ? summary->buf + 5 :
		    summary->buf, UNDO_TRAILER,
		    git_oid_tostr_s(git_commit_id(target)));
	rc = crm_store_commit(s, changes, paths.n, msg.buf);
done:
	if (blobs)
		for (i = 0; i < paths.n; i++)
			git_blob_free(blobs[i]);
	free(blobs);
	free(changes);
	crm_path_list_release(&paths);
	git_tree_free(t_tree);
	git_tree_free(p_tree);
	git_commit_free(parent);
	git_commit_free(target);
	git_commit_free(head);
	strbuf_release(&branch);
	strbuf_release(&msg);
	return rc;
}

/* ---- the past, for reports ---- */

int crm_store_commit_before(struct crm_store *s, time_t end, char out[41])
{
	struct strbuf branch = STRBUF_INIT;
	git_commit *c = NULL, *parent = NULL;
	git_oid tip;
	int unborn, rc;

	out[0] = '\0';
	if ((rc = crm_store_head(s, &branch, &tip, &unborn)))
		goto done;
	if (unborn || git_commit_lookup(&c, s->repo, &tip)) {
		rc = CRM_ENOTFOUND;
		goto none;
	}
	/* first parent: the store's own line, as `git log --first-parent` */
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	before_long_walk(s);
	while (c && (time_t)git_commit_time(c) > end) {
		if (!git_commit_parentcount(c) ||
		    git_commit_parent(&parent, c, 0)) {
			git_error_clear();
			git_commit_free(c);
			c = NULL;
			break;
		}
		git_commit_free(c);
		c = parent;
		parent = NULL;
	}
	if (!c) {
		rc = CRM_ENOTFOUND;
		goto none;
	}
	git_oid_tostr(out, 41, git_commit_id(c));
	goto done;
none:
	crm_error_set(CRM_ENOTFOUND, "the store has no commit that old");
done:
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 1);
	git_commit_free(c);
	strbuf_release(&branch);
	return rc;
}

/*
 * Stage changes.  Walking the history oldest first, each record path
 * remembers its last version and that version's deals as "id\tstage\n"
 * lines: the "before" side of the next change to it, so most versions
 * are read once and memory grows with the customers, not the commits.
 *
 * The memory is one slot per hash of the path, not a map of the paths
 * (which took 13 MB at 100k customers): a slot is used only when it
 * holds the very version wanted, by blob id, and a version's deals
 * depend on nothing else.  Two paths that share a slot only cost a
 * version read again.
 */
#define MEMO_SLOTS (1u << 18)

struct stage_memo {
	git_oid *ids;		/* the version a slot holds; zero: none */
	char **deals;		/* its deals; NULL: none */
};

static void stage_memo_init(struct stage_memo *m)
{
	m->ids = xcalloc(MEMO_SLOTS, sizeof(*m->ids));
	m->deals = xcalloc(MEMO_SLOTS, sizeof(*m->deals));
}

static size_t memo_slot(const char *path)
{
	uint64_t h = crm_fnv1a(path);

	return (size_t)(h ^ h >> 32) & (MEMO_SLOTS - 1);
}

static void stage_memo_release(struct stage_memo *m)
{
	size_t i;

	for (i = 0; m->deals && i < MEMO_SLOTS; i++)
		free(m->deals[i]);
	free(m->deals);
	free(m->ids);
}

/*
 * The deals of one version of a record, as "id\tstage\n" lines in *out
 * (NULL for none); CRM_ERROR if the blob cannot be read (a damaged store:
 * better no funnel than a wrong one cached for good).  A version that is
 * not valid YAML has no deals.
 */
static int read_deal_stages(struct crm_store *s, const git_oid *id,
			    char **out)
{
	struct strbuf lines = STRBUF_INIT;
	struct crm_node *root = NULL;
	git_blob *blob = NULL;
	const char *text;
	size_t len, i;

	*out = NULL;
	if (git_oid_is_zero(id))
		return 0;
	if (git_blob_lookup(&blob, s->repo, id))
		return crm_git_error("cannot read a record's past version");
	text = git_blob_rawcontent(blob);
	len = (size_t)git_blob_rawsize(blob);
	/*
	 * Most versions of most records have no deals: no need to parse
	 * one without the word (nor a backslash, which could spell it).
	 */
	if ((memmem(text, len, "deals", 5) || memchr(text, '\\', len)) &&
	    !crm_yaml_parse(&root, text, len, "history")) {
		const struct crm_node *deals = crm_map_get(root, "deals");

		for (i = 0; deals && deals->kind == CRM_NODE_SEQ &&
			    i < deals->nitems; i++) {
			const char *did = crm_map_get_str(deals->items[i], "id");
			const char *st = crm_map_get_str(deals->items[i], "stage");

			if (did && st && !strpbrk(did, "\t\n") &&
			    !strpbrk(st, "\t\n"))
				strbuf_addf(&lines, "%s\t%s\n", did, st);
		}
	}
	git_error_clear();
	crm_node_free(root);
	git_blob_free(blob);
	/* a copy of the exact size: the memo holds one per record */
	if (lines.len)
		*out = xstrndup(lines.buf, lines.len);
	strbuf_release(&lines);
	return 0;
}

/* The stage of deal `id` in "id\tstage\n" lines, or NULL. */
static char *stage_in(const char *lines, const char *id, size_t idlen)
{
	const char *p = lines;

	while (*p) {
		const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');

		if (!tab || !nl)
			break;
		if ((size_t)(tab - p) == idlen && !strncmp(p, id, idlen))
			return xstrndup(tab + 1, (size_t)(nl - tab - 1));
		p = nl + 1;
	}
	return NULL;
}

/* Append the stage changes between two versions as cache lines. */
static void diff_stages(struct strbuf *out, time_t when, const char *customer,
			const char *before, const char *after)
{
	const char *p;

	for (p = after; *p;) {
		const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
		char *old, *now;

		if (!tab || !nl)
			break;
		old = stage_in(before, p, (size_t)(tab - p));
		now = xstrndup(tab + 1, (size_t)(nl - tab - 1));
		if (!old || strcmp(old, now))
			strbuf_addf(out, "%lld\t%s\t%.*s\t%s\t%s\n",
				    (long long)when, customer, (int)(tab - p), p,
				    old ? old : "-", now);
		free(old);
		free(now);
		p = nl + 1;
	}
	for (p = before; *p;) {
		const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
		char *now, *old;

		if (!tab || !nl)
			break;
		now = stage_in(after, p, (size_t)(tab - p));
		old = xstrndup(tab + 1, (size_t)(nl - tab - 1));
		if (!now)	/* the deal was removed */
			strbuf_addf(out, "%lld\t%s\t%.*s\t%s\t-\n",
				    (long long)when, customer, (int)(tab - p), p,
				    old);
		free(now);
		free(old);
		p = nl + 1;
	}
}

/* The stage changes one commit made, against its first parent's tree. */
static int commit_stage_events(struct crm_store *s, git_commit *c,
			       git_tree *before, git_tree *after,
			       struct stage_memo *memo, struct strbuf *out)
{
	struct path_list paths = { NULL, 0, 0 };
	size_t i;
	int rc;

	if ((rc = crm_tree_diff(s, before, after, "", &paths)))
		goto done;
	for (i = 0; i < paths.n; i++) {
		const char *path = paths.items[i], *slash = strrchr(path, '/');
		size_t n = slash ? strlen(slash + 1) : 0, at;
		git_oid a, b;
		char *customer, *now;

		if (!starts_with(path, CRM_CUSTOMERS_DIR "/") || n <= 4 ||
		    strcmp(slash + 1 + n - 4, ".yml"))
			continue;
		git_oid_cpy(&a, &paths.old_ids[i]);
		git_oid_cpy(&b, &paths.new_ids[i]);
		at = memo_slot(path);
		/* not seen yet: a walk that began mid-history, a shared slot */
		if (!git_oid_equal(&memo->ids[at], &a)) {
			free(memo->deals[at]);
			memset(&memo->ids[at], 0, sizeof(git_oid));
			if ((rc = read_deal_stages(s, &a, &memo->deals[at])))
				goto done;
			git_oid_cpy(&memo->ids[at], &a);
		}
		if ((rc = read_deal_stages(s, &b, &now)))
			goto done;
		customer = xstrndup(slash + 1, n - 4);
		diff_stages(out, (time_t)git_commit_time(c), customer,
			    memo->deals[at] ? memo->deals[at] : "",
			    now ? now : "");
		free(memo->deals[at]);
		memo->deals[at] = now;
		git_oid_cpy(&memo->ids[at], &b);
		free(customer);
	}
done:
	crm_path_list_release(&paths);
	return rc;
}

/*
 * The line of first parents is walked newest first but its changes are
 * needed oldest first.  Rather than every commit id (744,029 of them, a
 * year at 100k customers), the first walk keeps one id in this many; each
 * stretch is walked again from its mark, its commits held, and handed
 * over oldest first.
 */
#define WALK_STRETCH 1024

struct line_walk {
	struct crm_store *s;
	git_oid *marks;		/* every WALK_STRETCH-th commit, newest first */
	size_t nmarks, alloc;
	size_t n;		/* commits in the line */
	git_oid stop;		/* parent of the oldest, zero for a root */
	int found;		/* the line stopped at the given commit */
};

/*
 * Walk the first parents from `tip` back to `stop` (not included; NULL for
 * none), or to the root; keep the marks.
 */
static int walk_line(struct line_walk *w, const git_oid *tip,
		     const git_oid *stop)
{
	git_oid id;

	git_oid_cpy(&id, tip);
	for (;;) {
		git_commit *c = NULL;

		if (stop && git_oid_equal(&id, stop)) {
			w->found = 1;
			git_oid_cpy(&w->stop, &id);
			return 0;
		}
		if (git_commit_lookup(&c, w->s->repo, &id)) {
			if (!w->n)
				return crm_git_error("cannot read HEAD");
			/* the oldest commit's parent, to be read as such */
			git_error_clear();
			git_oid_cpy(&w->stop, &id);
			return 0;
		}
		if (w->n++ % WALK_STRETCH == 0) {
			ALLOC_GROW(w->marks, w->nmarks + 1, w->alloc);
			git_oid_cpy(&w->marks[w->nmarks++], &id);
		}
		if (!git_commit_parentcount(c)) {
			git_commit_free(c);
			memset(&w->stop, 0, sizeof(w->stop));
			return 0;
		}
		git_oid_cpy(&id, git_commit_parent_id(c, 0));
		git_commit_free(c);
	}
}

/* The commits of stretch `k` (0 is the newest), newest first. */
static int read_stretch(struct line_walk *w, size_t k, git_commit **out,
			size_t *len)
{
	size_t i, n = w->n - k * WALK_STRETCH;

	*len = 0;
	if (n > WALK_STRETCH)
		n = WALK_STRETCH;
	for (i = 0; i < n; i++) {
		const git_oid *id = i ? git_commit_parent_id(out[i - 1], 0)
				      : &w->marks[k];

		if (!id || git_commit_lookup(&out[i], w->s->repo, id)) {
			while (i > 0)
				git_commit_free(out[--i]);
			return crm_git_error("cannot read a commit");
		}
	}
	*len = n;
	return 0;
}

#define STAGES_CACHE "crm-cache/stages"
#define STAGES_MAGIC "crm-stages 1 "

/* Hand the events of "time\tcustomer\tdeal\tfrom\tto\n" lines to `fn`. */
static int emit_events(const char *lines, time_t until,
		       crm_stage_event_fn fn, void *data)
{
	const char *p = lines;
	int rc = 0;

	while (*p && !rc) {
		const char *nl = strchr(p, '\n');
		char *line = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));
		char *f[5], *q = line;
		struct crm_stage_event e;
		int k;

		for (k = 0; k < 5; k++) {
			f[k] = q;
			q = strchr(q, '\t');
			if (!q && k < 4)
				break;
			if (q)
				*q++ = '\0';
		}
		if (k == 5) {
			e.time = (time_t)strtoll(f[0], NULL, 10);
			e.customer = f[1];
			e.deal = f[2];
			e.from = strcmp(f[3], "-") ? f[3] : NULL;
			e.to = strcmp(f[4], "-") ? f[4] : NULL;
			if (e.time <= until)
				rc = fn(&e, data);
		}
		free(line);
		p = nl ? nl + 1 : p + strlen(p);
	}
	return rc;
}

/*
 * Events go to the caller as they are found and to the new cache file in
 * pieces of this size: neither the cached nor the new ones are held.
 */
#define EVENTS_FLUSH (64 * 1024)

struct stage_output {
	time_t until;
	crm_stage_event_fn fn;
	void *data;
	struct crm_file_writer cache;
	int caching;		/* the new cache file is being written */
	struct strbuf pending;	/* for the cache file */
};

static void drop_cache(struct stage_output *o)
{
	if (o->caching)
		crm_file_cancel(&o->cache);
	o->caching = 0;
}

static int put_events(struct stage_output *o, const char *lines, size_t len)
{
	if (o->caching) {
		strbuf_add(&o->pending, lines, len);
		if (o->pending.len >= EVENTS_FLUSH) {
			/* a full disk only means the history is read again */
			if (crm_file_write(&o->cache, o->pending.buf,
					   o->pending.len)) {
				drop_cache(o);
				crm_error_clear();
			}
			strbuf_reset(&o->pending);
		}
	}
	return emit_events(lines, o->until, o->fn, o->data);
}

/* Stream the events of the old cache file, its header line read. */
static int put_cached_events(struct stage_output *o, FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = 0;

	while (!rc && (len = getline(&line, &cap, f)) > 0)
		rc = put_events(o, line, (size_t)len);
	free(line);
	return rc;
}

/* The changes of the line, oldest first. */
static int put_line_events(struct stage_output *o, struct line_walk *w)
{
	struct stage_memo memo;
	struct strbuf lines = STRBUF_INIT;
	git_commit **stretch = xcalloc(WALK_STRETCH, sizeof(*stretch));
	git_commit *stop = NULL;
	git_tree *before = NULL, *after = NULL;
	size_t k, i, len = 0;
	int rc = 0;

	stage_memo_init(&memo);
	if (!git_oid_is_zero(&w->stop) &&
	    (git_commit_lookup(&stop, w->s->repo, &w->stop) ||
	     git_commit_tree(&before, stop)))
		rc = crm_git_error("cannot read a parent commit");
	git_commit_free(stop);
	for (k = w->nmarks; k > 0 && !rc; k--) {
		if ((rc = read_stretch(w, k - 1, stretch, &len)))
			break;
		for (i = len; i > 0 && !rc; i--) {
			git_commit *c = stretch[i - 1];

			if (git_commit_tree(&after, c)) {
				rc = crm_git_error("cannot read a commit");
				break;
			}
			strbuf_reset(&lines);
			rc = commit_stage_events(w->s, c, before, after, &memo,
						 &lines);
			if (!rc)
				rc = put_events(o, lines.buf, lines.len);
			git_tree_free(before);
			before = after;
			after = NULL;
		}
		for (i = 0; i < len; i++)
			git_commit_free(stretch[i]);
	}
	git_tree_free(before);
	free(stretch);
	strbuf_release(&lines);
	stage_memo_release(&memo);
	return rc;
}

/* The head a cache file was written for, from its first line; 0 if none. */
static int read_cached_head(FILE *f, git_oid *out)
{
	char line[128];
	size_t m = strlen(STAGES_MAGIC);

	return f && fgets(line, sizeof(line), f) &&
	       starts_with(line, STAGES_MAGIC) &&
	       strlen(line) == m + GIT_OID_HEXSZ + 1 &&
	       line[m + GIT_OID_HEXSZ] == '\n' &&
	       !git_oid_fromstrn(out, line + m, GIT_OID_HEXSZ);
}

int crm_store_stage_events(struct crm_store *s, time_t until,
			   crm_stage_event_fn fn, void *data)
{
	struct strbuf path = STRBUF_INIT, branch = STRBUF_INIT;
	struct stage_output o;
	struct line_walk w;
	char head_hex[GIT_OID_HEXSZ + 1];
	git_oid tip, cached;
	FILE *f = NULL;
	int unborn, has_cache, rc;

	memset(&o, 0, sizeof(o));
	memset(&w, 0, sizeof(w));
	o.until = until;
	o.fn = fn;
	o.data = data;
	strbuf_init(&o.pending);
	w.s = s;
	if ((rc = crm_store_head(s, &branch, &tip, &unborn)) || unborn)
		goto done;
	git_oid_tostr(head_hex, sizeof(head_hex), &tip);
	strbuf_addf(&path, "%s%s", s->gitdir, STAGES_CACHE);
	f = fopen(path.buf, "r");
	has_cache = read_cached_head(f, &cached);
	/* the walk reads each object once: libgit2's cache would fill up */
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	before_long_walk(s);
	rc = walk_line(&w, &tip, has_cache ? &cached : NULL);
	if (rc)
		goto done;
	if (w.n) {
		/* best effort: a read-only store only rereads its history */
		o.caching = !crm_file_begin(&o.cache, path.buf);
		if (!o.caching)
			crm_error_clear();
		strbuf_addf(&o.pending, "%s%s\n", STAGES_MAGIC, head_hex);
	}
	/* a cache of another line of history is not built upon */
	if (w.found)
		rc = put_cached_events(&o, f);
	if (!rc && w.n)
		rc = put_line_events(&o, &w);
	if (!rc && o.caching) {
		if (crm_file_write(&o.cache, o.pending.buf, o.pending.len))
			drop_cache(&o);
		else
			crm_file_commit(&o.cache);
		o.caching = 0;
		crm_error_clear();
	}
done:
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 1);
	drop_cache(&o);
	if (f)
		fclose(f);
	free(w.marks);
	strbuf_release(&o.pending);
	strbuf_release(&path);
	strbuf_release(&branch);
	return rc;
}
