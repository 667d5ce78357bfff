/*
 * Rewriting history to forget a person (crm forget --purge-history).
 * A store file: it talks to libgit2.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "forget.h"
#include "scan.h"
#include "store-internal.h"
#include "strmap.h"
#include "util.h"
#include "yaml.h"

struct rewrite {
	struct crm_store *s;
	const char *path;
	const struct crm_secrets *secrets;
	struct crm_strmap memo;		/* old oid (and prefix) -> slot */
	git_oid *memo_oids;
	size_t nmemo, memo_alloc;
};

static int memo_get(struct rewrite *rw, const char *key, git_oid *out)
{
	size_t at;

	if (!crm_strmap_get(&rw->memo, key, &at))
		return 0;
	git_oid_cpy(out, &rw->memo_oids[at]);
	return 1;
}

static void memo_put(struct rewrite *rw, const char *key, const git_oid *id)
{
	ALLOC_GROW(rw->memo_oids, rw->nmemo + 1, rw->memo_alloc);
	git_oid_cpy(&rw->memo_oids[rw->nmemo], id);
	crm_strmap_put(&rw->memo, key, rw->nmemo++);
}

/* A blob without the secrets: a record is scrubbed field by field. */
static int rewrite_blob(struct rewrite *rw, const git_oid *old, git_oid *out)
{
	char key[GIT_OID_HEXSZ + 2];
	struct strbuf text = STRBUF_INIT, clean = STRBUF_INIT;
	struct crm_node *root = NULL;
	git_blob *blob = NULL;
	int rc = 0;

	key[0] = 'b';
	git_oid_tostr(key + 1, sizeof(key) - 1, old);
	if (memo_get(rw, key, out))
		return 0;
	if (git_blob_lookup(&blob, rw->s->repo, old))
		return crm_git_error("cannot read a blob");
	strbuf_add(&text, git_blob_rawcontent(blob),
		   (size_t)git_blob_rawsize(blob));
	if (!crm_secrets_in(rw->secrets, text.buf, text.len)) {
		git_oid_cpy(out, old);
	} else {
		if (!memchr(text.buf, '\0', text.len) &&
		    !crm_yaml_parse(&root, text.buf, text.len, "history")) {
			crm_scrub_node(root, rw->secrets);
			rc = crm_yaml_emit(&clean, root);
		} else {
			/* not a record we can read: scrub the bytes */
			crm_error_clear();
			crm_scrub_text(&clean, text.buf, rw->secrets);
		}
		if (!rc && git_blob_create_from_buffer(out, rw->s->repo,
						       clean.buf, clean.len))
			rc = crm_git_error("cannot write a blob");
	}
	if (!rc)
		memo_put(rw, key, out);
	crm_node_free(root);
	git_blob_free(blob);
	strbuf_release(&text);
	strbuf_release(&clean);
	return rc;
}

static int rewrite_tree(struct rewrite *rw, const git_tree *tree,
			const char *prefix, git_oid *out, int *empty)
{
	struct strbuf key = STRBUF_INIT, full = STRBUF_INIT;
	git_treebuilder *tb = NULL;
	size_t i;
	int rc = 0;

	/* the removed path is under one prefix only: memo by both */
	strbuf_addf(&key, "t%s:%s", git_oid_tostr_s(git_tree_id(tree)), prefix);
	if (memo_get(rw, key.buf, out)) {
		*empty = 0;
		goto done;
	}
	if (git_treebuilder_new(&tb, rw->s->repo, NULL)) {
		rc = crm_git_error("cannot build a tree");
		goto done;
	}
	for (i = 0; i < git_tree_entrycount(tree) && !rc; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		git_oid id;

		strbuf_reset(&full);
		strbuf_addf(&full, "%s%s", prefix, name);
		if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
			git_tree *sub = NULL;
			int sub_empty = 0;

			strbuf_addch(&full, '/');
			if (git_tree_lookup(&sub, rw->s->repo,
					    git_tree_entry_id(e))) {
				rc = crm_git_error("cannot read a tree");
				break;
			}
			rc = rewrite_tree(rw, sub, full.buf, &id, &sub_empty);
			git_tree_free(sub);
			if (rc || sub_empty)
				continue;
		} else if (!strcmp(full.buf, rw->path)) {
			continue;	/* the person's own record */
		} else if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
			if ((rc = rewrite_blob(rw, git_tree_entry_id(e), &id)))
				break;
		} else {
			git_oid_cpy(&id, git_tree_entry_id(e));
		}
		if (git_treebuilder_insert(NULL, tb, name, &id,
					   git_tree_entry_filemode(e)))
			rc = crm_git_error("cannot build a tree");
	}
	if (rc)
		goto done;
	*empty = git_treebuilder_entrycount(tb) == 0;
	if (git_treebuilder_write(out, tb)) {
		rc = crm_git_error("cannot write a tree");
		goto done;
	}
	memo_put(rw, key.buf, out);
done:
	git_treebuilder_free(tb);
	strbuf_release(&key);
	strbuf_release(&full);
	return rc;
}

/* Every commit of the branch again, parents first, without the person. */
static int rewrite_commits(struct rewrite *rw, git_oid *new_head,
			   size_t *count)
{
	struct crm_strmap done = { NULL, NULL, 0, 0 };
	git_oid *mapped = NULL, id;
	size_t nmapped = 0, alloc = 0;
	git_revwalk *walk = NULL;
	int rc = 0;

	*count = 0;
	if (git_revwalk_new(&walk, rw->s->repo) ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) ||
	    git_revwalk_push_head(walk)) {
		rc = crm_git_error("cannot walk the history");
		goto done;
	}
	while (!rc && !git_revwalk_next(&id, walk)) {
		git_commit *c = NULL;
		git_tree *tree = NULL, *new_tree_obj = NULL;
		const git_commit *parents[16];
		git_commit *owned[16];
		struct strbuf msg = STRBUF_INIT;
		size_t np, i, at;
		git_oid new_tree, new_id;
		int empty = 0;

		if (git_commit_lookup(&c, rw->s->repo, &id) ||
		    git_commit_tree(&tree, c)) {
			rc = crm_git_error("cannot read a commit");
			git_commit_free(c);
			break;
		}
		np = git_commit_parentcount(c);
		if (np > 16)
			np = 16;
		for (i = 0; i < np; i++) {
			owned[i] = NULL;
			if (!crm_strmap_get(&done, git_oid_tostr_s(
						git_commit_parent_id(c, (unsigned)i)),
					    &at) ||
			    git_commit_lookup(&owned[i], rw->s->repo, &mapped[at]))
				rc = crm_git_error("cannot map a parent commit");
			parents[i] = owned[i];
		}
		crm_scrub_text(&msg, git_commit_message(c), rw->secrets);
		if (!rc)
			rc = rewrite_tree(rw, tree, "", &new_tree, &empty);
		if (!rc && (git_tree_lookup(&new_tree_obj, rw->s->repo,
					    &new_tree) ||
			    git_commit_create(&new_id, rw->s->repo, NULL,
					      git_commit_author(c),
					      git_commit_committer(c), NULL,
					      msg.buf, new_tree_obj, np, parents)))
			rc = crm_git_error("cannot write a commit");
		if (!rc) {
			ALLOC_GROW(mapped, nmapped + 1, alloc);
			git_oid_cpy(&mapped[nmapped], &new_id);
			crm_strmap_put(&done, git_oid_tostr_s(&id), nmapped++);
			git_oid_cpy(new_head, &new_id);
			(*count)++;
		}
		for (i = 0; i < np; i++)
			git_commit_free(owned[i]);
		git_tree_free(new_tree_obj);
		git_tree_free(tree);
		git_commit_free(c);
		strbuf_release(&msg);
	}
done:
	git_revwalk_free(walk);
	free(mapped);
	crm_strmap_release(&done);
	return rc;
}

/* Refs other than the branch that still reach the old history. */
static int drop_other_refs(struct crm_store *s, const char *branch,
			   struct strbuf *report)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	int rc = 0;

	if (git_reference_iterator_new(&it, s->repo))
		return crm_git_error("cannot list references");
	while (!git_reference_next(&ref, it)) {
		const char *name = git_reference_name(ref);

		git_reflog_delete(s->repo, name);
		if (strcmp(name, branch) && strcmp(name, "HEAD")) {
			strbuf_addf(report, "removed %s (it still held the old "
				    "history)\n", name);
			if (git_reference_delete(ref))
				rc = crm_git_error("cannot remove a reference");
		}
		git_reference_free(ref);
		ref = NULL;
	}
	git_error_clear();
	git_reflog_delete(s->repo, "HEAD");
	git_reference_iterator_free(it);
	return rc;
}

static void remove_dir_files(const char *dir, const char *keep_prefix)
{
	struct strbuf f = STRBUF_INIT;
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' ||
		    (keep_prefix && starts_with(e->d_name, keep_prefix)))
			continue;
		strbuf_reset(&f);
		strbuf_addf(&f, "%s/%s", dir, e->d_name);
		unlink(f.buf);
	}
	if (d)
		closedir(d);
	strbuf_release(&f);
}

/*
 * libgit2 has no gc: write one pack of what the branch reaches now,
 * then delete every other pack and every loose object.
 */
static int repack(struct crm_store *s)
{
	git_packbuilder *pb = NULL;
	git_revwalk *walk = NULL;
	struct strbuf dir = STRBUF_INIT, keep = STRBUF_INIT;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (git_packbuilder_new(&pb, s->repo) ||
	    git_revwalk_new(&walk, s->repo) || git_revwalk_push_head(walk) ||
	    git_packbuilder_insert_walk(pb, walk) ||
	    git_packbuilder_write(pb, NULL, 0, NULL, NULL)) {
		rc = crm_git_error("cannot write the new pack");
		goto done;
	}
	strbuf_addf(&keep, "pack-%s", git_packbuilder_name(pb));
	strbuf_addf(&dir, "%sobjects/pack", s->gitdir);
	remove_dir_files(dir.buf, keep.buf);
	strbuf_reset(&dir);
	strbuf_addf(&dir, "%sobjects", s->gitdir);
	d = opendir(dir.buf);
	while (d && (e = readdir(d))) {
		struct strbuf sub = STRBUF_INIT;

		/* loose objects live in objects/<two hex digits>/ ("..", too,
		 * has two characters) */
		if (strlen(e->d_name) != 2 ||
		    strspn(e->d_name, "0123456789abcdef") != 2)
			continue;
		strbuf_addf(&sub, "%s/%s", dir.buf, e->d_name);
		remove_dir_files(sub.buf, NULL);
		rmdir(sub.buf);
		strbuf_release(&sub);
	}
	if (d)
		closedir(d);
done:
	git_revwalk_free(walk);
	git_packbuilder_free(pb);
	strbuf_release(&dir);
	strbuf_release(&keep);
	return rc;
}

int crm_store_purge_history(struct crm_store *s, const char *path,
			    const struct crm_secrets *secrets,
			    struct strbuf *report)
{
	struct rewrite rw;
	struct strbuf branch = STRBUF_INIT, f = STRBUF_INIT;
	git_reference *ref = NULL;
	git_oid tip, new_head;
	size_t count = 0;
	int unborn, rc;

	memset(&rw, 0, sizeof(rw));
	rw.s = s;
	rw.path = path;
	rw.secrets = secrets;
	if ((rc = crm_store_head(s, &branch, &tip, &unborn)) || unborn)
		goto done;
	if ((rc = rewrite_commits(&rw, &new_head, &count)))
		goto done;
	if (git_reference_create(&ref, s->repo, branch.buf, &new_head, 1,
				 "crm: forget (history rewritten)")) {
		rc = crm_git_error("cannot move the branch");
		goto done;
	}
	strbuf_addf(report, "rewrote %zu commits\n", count);
	if ((rc = drop_other_refs(s, branch.buf, report)))
		goto done;
	/* what else still names old commits or holds old summaries */
	strbuf_addf(&f, "%sFETCH_HEAD", s->gitdir);
	unlink(f.buf);
	strbuf_reset(&f);
	strbuf_addf(&f, "%sORIG_HEAD", s->gitdir);
	unlink(f.buf);
	/* git gc writes a commit-graph: it names every old commit */
	strbuf_reset(&f);
	strbuf_addf(&f, "%sobjects/info/commit-graph", s->gitdir);
	unlink(f.buf);
	strbuf_reset(&f);
	strbuf_addf(&f, "%sobjects/info/commit-graphs", s->gitdir);
	remove_dir_files(f.buf, NULL);
	rmdir(f.buf);
	crm_store_scan_cache_clear(s);
	rc = repack(s);
done:
	git_reference_free(ref);
	crm_strmap_release(&rw.memo);
	free(rw.memo_oids);
	strbuf_release(&branch);
	strbuf_release(&f);
	return rc;
}
