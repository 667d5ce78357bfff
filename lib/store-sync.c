/*
 * Sharing a store: clone, fetch, record-by-record merge, push.  Talks
 * to libgit2 (a store file) and uses lib/merge for the records.
 */
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ca-bundle.h"
#include "error.h"
#include "merge.h"
#include "slug.h"
#include "store-internal.h"
#include "strmap.h"
#include "sync.h"
#include "util.h"
#include "yaml.h"

#define SYNC_ATTEMPTS 5
/* Objects read between two crm_release_pack_pages (see crm_store_sync). */
#define SYNC_RELEASE_EVERY 64

/* ---- credentials and host keys, as a git user expects ---- */

struct remote_state {
	int tried_agent;
	int key_index;
	int tried_token;
	int tried_helper;
	struct strbuf message;	/* why authentication or the host failed */
	char *rejected;		/* a push status from the server */
};

static const char *const ssh_keys[] = { "id_ed25519", "id_ecdsa", "id_rsa" };

static int ssh_credentials(git_credential **out, const char *url,
			   const char *user, struct remote_state *st)
{
	struct strbuf priv = STRBUF_INIT, pub = STRBUF_INIT;
	const char *home = getenv("HOME");
	int rc = GIT_EUSER;

	if (!st->tried_agent) {
		st->tried_agent = 1;
		if (getenv("SSH_AUTH_SOCK") &&
		    !git_credential_ssh_key_from_agent(out, user))
			return 0;
	}
	while (home && st->key_index < (int)ARRAY_SIZE(ssh_keys)) {
		const char *key = ssh_keys[st->key_index++];

		strbuf_reset(&priv);
		strbuf_reset(&pub);
		strbuf_addf(&priv, "%s/.ssh/%s", home, key);
		strbuf_addf(&pub, "%s.pub", priv.buf);
		if (access(priv.buf, R_OK))
			continue;
		rc = git_credential_ssh_key_new(out, user,
				access(pub.buf, R_OK) ? NULL : pub.buf,
				priv.buf, NULL);
		goto done;
	}
	strbuf_reset(&st->message);
	strbuf_addf(&st->message, "no SSH key was accepted for '%s' (tried "
		    "ssh-agent, ~/.ssh/id_ed25519, id_ecdsa and id_rsa)", url);
done:
	strbuf_release(&priv);
	strbuf_release(&pub);
	return rc;
}

/*
 * git's credential helpers: `git credential fill` is the documented way
 * for another program to use them (libgit2 has none of its own).
 */
static int helper_credentials(git_credential **out, const char *url)
{
	struct strbuf input = STRBUF_INIT, output = STRBUF_INIT;
	struct strbuf user = STRBUF_INIT, pass = STRBUF_INIT;
	int in[2], outp[2], status, rc = -1;
	const char *line;
	char buf[1024];
	ssize_t n;
	pid_t pid;

	strbuf_addf(&input, "url=%s\n\n", url);
	if (pipe(in) || pipe(outp))
		goto done;
	pid = fork();
	if (pid < 0)
		goto done;
	if (!pid) {
		dup2(in[0], 0);
		dup2(outp[1], 1);
		close(in[1]);
		close(outp[0]);
		setenv("GIT_TERMINAL_PROMPT", "0", 1);
		execlp("git", "git", "credential", "fill", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(outp[1]);
	/* a failed write shows as the helper's silence below */
	if (write(in[1], input.buf, input.len) < 0)
		input.len = 0;
	close(in[1]);
	while ((n = read(outp[0], buf, sizeof(buf))) > 0)
		strbuf_add(&output, buf, (size_t)n);
	close(outp[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		goto done;
	for (line = output.buf; *line; line = strchr(line, '\n') ?
	     strchr(line, '\n') + 1 : line + strlen(line)) {
		size_t len = strcspn(line, "\n");

		if (starts_with(line, "username="))
			strbuf_add(&user, line + 9, len - 9);
		else if (starts_with(line, "password="))
			strbuf_add(&pass, line + 9, len - 9);
	}
	if (pass.len)
		rc = git_credential_userpass_plaintext_new(out, user.buf, pass.buf);
done:
	strbuf_release(&input);
	strbuf_release(&output);
	strbuf_release(&user);
	strbuf_release(&pass);
	return rc;
}

static int credentials(git_credential **out, const char *url,
		       const char *user_from_url, unsigned int allowed,
		       void *payload)
{
	struct remote_state *st = payload;
	const char *user = user_from_url && *user_from_url ? user_from_url :
			   getenv("USER") ? getenv("USER") : "git";
	const char *token;

	if (allowed & GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(out, user);
	if (allowed & GIT_CREDENTIAL_SSH_KEY)
		return ssh_credentials(out, url, user, st);
	if (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
		if (!st->tried_token) {
			st->tried_token = 1;
			token = getenv("CRM_GIT_TOKEN");
			if (token && *token)
				return git_credential_userpass_plaintext_new(out,
					user_from_url ? user_from_url :
					"x-access-token", token);
		}
		if (!st->tried_helper) {
			st->tried_helper = 1;
			if (!helper_credentials(out, url))
				return 0;
		}
		strbuf_reset(&st->message);
		strbuf_addf(&st->message, "no credentials for '%s': set "
			    "CRM_GIT_TOKEN or configure a git credential "
			    "helper", url);
	}
	return GIT_EUSER;
}

/* Host keys: libgit2 checks ~/.ssh/known_hosts; an unknown host is refused. */
static int certificate_check(git_cert *cert, int valid, const char *host,
			     void *payload)
{
	struct remote_state *st = payload;

	if (valid)
		return 0;
	strbuf_reset(&st->message);
	if (cert->cert_type == GIT_CERT_HOSTKEY_LIBSSH2)
		strbuf_addf(&st->message, "the SSH host key of '%s' is not "
			    "in ~/.ssh/known_hosts or does not match it; if "
			    "you trust the host, add its key with "
			    "'ssh-keyscan %s >> ~/.ssh/known_hosts' (check "
			    "the fingerprint first)", host, host);
	else
		strbuf_addf(&st->message, "the certificate of '%s' is not "
			    "valid", host);
	return GIT_ECERTIFICATE;
}

static int push_status(const char *refname, const char *status, void *data)
{
	struct remote_state *st = data;

	(void)refname;
	if (status && !st->rejected)
		st->rejected = xstrdup(status);
	return 0;
}

static void callbacks_init(git_remote_callbacks *cb, struct remote_state *st)
{
	/* each connection tries every credential again */
	st->tried_agent = 0;
	st->key_index = 0;
	st->tried_token = 0;
	st->tried_helper = 0;
	cb->credentials = credentials;
	cb->certificate_check = certificate_check;
	cb->push_update_reference = push_status;
	cb->payload = st;
}

static int remote_error(struct remote_state *st, const char *what,
			const char *remote)
{
	const git_error *e = git_error_last();

	if (st->message.len)
		crm_error_set(CRM_ERROR, "%s '%s': %s", what, remote,
			      st->message.buf);
	else
		crm_error_set(CRM_ERROR, "%s '%s': %s", what, remote,
			      e && e->message ? e->message : "libgit2 error");
	return CRM_ERROR;
}

/* ---- setup ---- */

int crm_store_setup_merge_driver(struct crm_store *s)
{
	git_config *cfg = NULL;
	int rc = 0;

	if (git_repository_config(&cfg, s->repo) ||
	    git_config_set_string(cfg, "merge.crm.name",
				  "crm: merge customer records field by field") ||
	    git_config_set_string(cfg, "merge.crm.driver",
				  "crm merge-driver %O %A %B %P"))
		rc = crm_git_error("cannot configure the merge driver");
	git_config_free(cfg);
	return rc;
}

int crm_store_add_remote(struct crm_store *s, const char *name,
			 const char *url)
{
	git_remote *remote = NULL;
	int rc = 0;

	if (git_remote_create(&remote, s->repo, name, url))
		rc = crm_git_error("cannot add the remote");
	git_remote_free(remote);
	return rc;
}

/*
 * A bare remote made with `git init --bare` may point its HEAD at a
 * branch that does not exist (master) while crm pushed main: then
 * check out main.
 */
static int checkout_main(git_repository *repo)
{
	git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
	git_reference *remote_ref = NULL, *branch = NULL;
	git_commit *commit = NULL;
	int rc = 0;

	if (git_repository_head_unborn(repo) != 1)
		return 0;
	if (git_reference_lookup(&remote_ref, repo, "refs/remotes/origin/main")) {
		git_error_clear();
		goto done;	/* an empty remote: nothing to check out */
	}
	co.checkout_strategy = GIT_CHECKOUT_SAFE;
	if (git_commit_lookup(&commit, repo, git_reference_target(remote_ref)) ||
	    git_branch_create(&branch, repo, "main", commit, 0) ||
	    git_branch_set_upstream(branch, "origin/main") ||
	    git_repository_set_head(repo, "refs/heads/main") ||
	    git_checkout_head(repo, &co))
		rc = crm_git_error("cannot check out main");
done:
	git_reference_free(remote_ref);
	git_reference_free(branch);
	git_commit_free(commit);
	return rc;
}

static int remove_entry(const char *path, const struct stat *st, int type,
			struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static void remove_tree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int crm_store_clone(struct crm_store **out, const char *url, const char *dir)
{
	git_clone_options opts = GIT_CLONE_OPTIONS_INIT;
	git_repository *repo = NULL;
	struct remote_state st;
	struct strbuf cfg = STRBUF_INIT;
	struct stat sb;
	int rc = 0, existed;

	*out = NULL;
	memset(&st, 0, sizeof(st));
	strbuf_init(&st.message);
	crm_store_library_init();
	crm_ca_bundle_load();
	existed = !stat(dir, &sb);
	callbacks_init(&opts.fetch_opts.callbacks, &st);
	if (git_clone(&repo, url, dir, &opts)) {
		rc = remote_error(&st, "cannot clone", url);
		goto done;
	}
	if ((rc = checkout_main(repo)))
		goto done;
	git_repository_free(repo);
	repo = NULL;
	chmod(dir, 0700);
	strbuf_addf(&cfg, "%s/%s", dir, CRM_CONFIG_FILE);
	if (stat(cfg.buf, &sb)) {
		crm_error_set(CRM_ENOSTORE, "'%s' is a git repository but not "
			      "a crm store (it has no %s)", url,
			      CRM_CONFIG_FILE);
		rc = CRM_ENOSTORE;
		/* a failed clone leaves nothing behind (the directory we
		 * were given stays, empty, as it was) */
		remove_tree(dir);
		if (existed)
			mkdir(dir, 0700);
		goto done;
	}
	if ((rc = crm_store_open(out, dir)) ||
	    (rc = crm_store_setup_merge_driver(*out)))
		goto done;
done:
	git_repository_free(repo);
	strbuf_release(&st.message);
	free(st.rejected);
	strbuf_release(&cfg);
	return rc;
}

/* ---- the report ---- */

static void list_add(struct crm_sync_list *l, const char *s)
{
	ALLOC_GROW(l->items, l->n + 1, l->alloc);
	l->items[l->n++] = xstrdup(s);
}

static void list_release(struct crm_sync_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

void crm_sync_report_release(struct crm_sync_report *r)
{
	list_release(&r->in_added);
	list_release(&r->in_changed);
	list_release(&r->in_removed);
	list_release(&r->out_added);
	list_release(&r->out_changed);
	list_release(&r->out_removed);
	list_release(&r->merged);
	list_release(&r->notes);
	memset(r, 0, sizeof(*r));
}

/* The customer id of a record path, customers/<shard>/<id>.yml, or NULL. */
static char *record_id(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!starts_with(path, CRM_CUSTOMERS_DIR "/") || !slash)
		return NULL;
	n = strlen(slash + 1);
	if (n <= 4 || strcmp(slash + 1 + n - 4, ".yml"))
		return NULL;
	return xstrndup(slash + 1, n - 4);
}

/* Sort the paths changed between `a` and `b` into added/changed/removed. */
static int classify(struct crm_store *s, git_commit *a, git_commit *b,
		    struct crm_sync_list *added, struct crm_sync_list *changed,
		    struct crm_sync_list *removed)
{
	struct path_list paths = { NULL, 0, 0 };
	git_tree *ta = NULL, *tb = NULL;
	size_t i;
	int rc = 0;

	if ((a && git_commit_tree(&ta, a)) || git_commit_tree(&tb, b)) {
		rc = crm_git_error("cannot read a commit");
		goto done;
	}
	if ((rc = crm_tree_diff(s, ta, tb, "", &paths)))
		goto done;
	for (i = 0; i < paths.n; i++) {
		char *id = record_id(paths.items[i]);
		git_oid before, after;

		if (!id)
			continue;
		crm_blob_at(&before, a, paths.items[i]);
		crm_blob_at(&after, b, paths.items[i]);
		list_add(git_oid_is_zero(&before) ? added :
			 git_oid_is_zero(&after) ? removed : changed, id);
		free(id);
	}
done:
	crm_path_list_release(&paths);
	git_tree_free(ta);
	git_tree_free(tb);
	return rc;
}

/* ---- merging two histories ---- */

struct plan {
	struct crm_change *changes;
	struct strbuf *data;
	size_t n, alloc;
	git_commit *ours, *theirs;
	struct crm_strmap given;	/* ids this merge gave to renamed records */
};

static struct strbuf *plan_add(struct plan *p, const char *path)
{
	size_t old = p->alloc;

	ALLOC_GROW(p->changes, p->n + 1, p->alloc);
	if (p->alloc != old) {
		p->data = xrealloc(p->data, p->alloc * sizeof(*p->data));
	}
	memset(&p->changes[p->n], 0, sizeof(p->changes[p->n]));
	p->changes[p->n].path = xstrdup(path);
	strbuf_init(&p->data[p->n]);
	return &p->data[p->n++];
}

static void plan_release(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free((char *)p->changes[i].path);
		strbuf_release(&p->data[i]);
	}
	free(p->changes);
	free(p->data);
	crm_strmap_release(&p->given);
}

static int blob_text(struct strbuf *out, struct crm_store *s,
		     const git_oid *id)
{
	git_blob *blob = NULL;

	if (git_oid_is_zero(id))
		return 1;	/* absent */
	if (git_blob_lookup(&blob, s->repo, id))
		return crm_git_error("cannot read a blob");
	strbuf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return 0;
}

static void note(struct crm_sync_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct crm_sync_report *r, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	list_add(&r->notes, sb.buf);
	strbuf_release(&sb);
}

/* Whether neither side has a record `id`, nor did this merge give it out. */
static int id_is_free(struct plan *p, const char *id)
{
	struct strbuf path = STRBUF_INIT;
	git_oid ours, theirs;
	size_t dummy;

	if (crm_strmap_get(&p->given, id, &dummy))
		return 0;
	/* looked up one by one: listing every id of both trees would read
	 * all their shards, for a rename that is rare */
	crm_store_record_path(&path, id);
	crm_blob_at(&ours, p->ours, path.buf);
	crm_blob_at(&theirs, p->theirs, path.buf);
	strbuf_release(&path);
	return git_oid_is_zero(&ours) && git_oid_is_zero(&theirs);
}

/* A free id for the other of two different customers added as `id`. */
static void rename_id(struct strbuf *out, struct plan *p, const char *id)
{
	int n;

	for (n = 2;; n++) {
		strbuf_reset(out);
		strbuf_addf(out, "%s-%d", id, n);
		if (id_is_free(p, out->buf))
			break;
	}
	crm_strmap_put(&p->given, out->buf, 0);
}

static int merge_record(struct crm_store *s, struct plan *p, const char *path,
			const char *id, const git_oid *b, const git_oid *o,
			const git_oid *t, const char *theirs_commit,
			struct crm_sync_report *rep)
{
	struct strbuf text[3] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	struct crm_node *node[3] = { NULL, NULL, NULL };
	const git_oid *ids[3] = { b, o, t };
	static const char *const side[3] = { "base", "ours", "theirs" };
	struct crm_merge_result res;
	struct strbuf *out;
	size_t i;
	int rc = 0;

	memset(&res, 0, sizeof(res));
	for (i = 0; i < 3; i++) {
		int absent = blob_text(&text[i], s, ids[i]);

		if (absent < 0) {
			rc = absent;
			goto done;
		}
		if (!absent && crm_yaml_parse(&node[i], text[i].buf,
					      text[i].len, path)) {
			/* a record one side broke by hand: keep ours, say so */
			note(rep, "%s: cannot merge, %s has a broken record (%s); "
			     "kept ours, theirs is in commit %.7s", id, side[i],
			     crm_error_last(), theirs_commit);
			goto done;
		}
	}
	if ((rc = crm_merge_records(&res, id, node[0], node[1], node[2])))
		goto done;
	for (i = 0; i < res.nnotes; i++)
		list_add(&rep->notes, res.notes[i].text);
	rep->conflicts += res.conflicts;
	list_add(&rep->merged, id);
	out = plan_add(p, path);
	if (res.merged) {
		if ((rc = crm_yaml_emit(out, res.merged)))
			goto done;
		p->changes[p->n - 1].data = out->buf;
		p->changes[p->n - 1].len = out->len;
	}
	if (res.theirs_renamed) {
		struct strbuf new_id = STRBUF_INIT, new_path = STRBUF_INIT;

		rename_id(&new_id, p, id);
		crm_map_set(res.theirs_renamed, "id",
			    crm_node_new_str(new_id.buf));
		crm_store_record_path(&new_path, new_id.buf);
		out = plan_add(p, new_path.buf);
		if (!(rc = crm_yaml_emit(out, res.theirs_renamed))) {
			p->changes[p->n - 1].data = out->buf;
			p->changes[p->n - 1].len = out->len;
		}
		note(rep, "%s: two different customers were added as '%s'; "
		     "theirs is now '%s'", id, id, new_id.buf);
		strbuf_release(&new_id);
		strbuf_release(&new_path);
	}
done:
	/* the change's data pointer was taken before any later growth */
	crm_merge_result_release(&res);
	for (i = 0; i < 3; i++) {
		crm_node_free(node[i]);
		strbuf_release(&text[i]);
	}
	return rc;
}

/* A file that is not a record (.crm.yml ...): git's text merge, or ours. */
static int merge_other(struct crm_store *s, struct plan *p, const char *path,
		       const git_oid *b, const git_oid *o, const git_oid *t,
		       const char *theirs_commit, struct crm_sync_report *rep)
{
	struct strbuf text[3] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	git_merge_file_input in[3];
	git_merge_file_result res;
	const git_oid *ids[3] = { b, o, t };
	size_t i;
	int rc = 0;

	memset(&res, 0, sizeof(res));
	for (i = 0; i < 3; i++) {
		if (blob_text(&text[i], s, ids[i]) < 0) {
			rc = CRM_ERROR;
			goto done;
		}
		git_merge_file_input_init(&in[i], GIT_MERGE_FILE_INPUT_VERSION);
		in[i].ptr = text[i].buf;
		in[i].size = text[i].len;
		in[i].path = path;
		in[i].mode = git_oid_is_zero(ids[i]) ? 0 : GIT_FILEMODE_BLOB;
	}
	if (!git_oid_is_zero(o) && !git_oid_is_zero(t) &&
	    !git_merge_file(&res, &in[0], &in[1], &in[2], NULL) &&
	    res.automergeable) {
		struct strbuf *out = plan_add(p, path);

		strbuf_add(out, res.ptr, res.len);
		p->changes[p->n - 1].data = out->buf;
		p->changes[p->n - 1].len = out->len;
	} else {
		git_error_clear();
		note(rep, "%s: changed on both sides; kept ours, theirs is in "
		     "commit %.7s", path, theirs_commit);
		rep->conflicts++;
	}
done:
	git_merge_file_result_free(&res);
	for (i = 0; i < 3; i++)
		strbuf_release(&text[i]);
	return rc;
}

/*
 * Plan the merge of `theirs` into `ours`: a file only they changed
 * is taken from them; a record both changed is merged field by field
 * (lib/merge); any other file both changed goes through git's text
 * merge, or ours is kept and the conflict reported.
 */
static int plan_merge(struct crm_store *s, git_commit *base, git_commit *ours,
		      git_commit *theirs, struct plan *p,
		      struct crm_sync_report *rep)
{
	struct path_list our_paths = { NULL, 0, 0 }, their_paths = { NULL, 0, 0 };
	git_tree *tb = NULL, *to = NULL, *tt = NULL;
	struct crm_strmap ours_changed = { NULL, NULL, 0, 0 };
	char theirs_hex[GIT_OID_HEXSZ + 1];
	size_t i, dummy;
	int rc;

	git_oid_tostr(theirs_hex, sizeof(theirs_hex), git_commit_id(theirs));
	if (git_commit_tree(&tb, base) || git_commit_tree(&to, ours) ||
	    git_commit_tree(&tt, theirs)) {
		rc = crm_git_error("cannot read the commits to merge");
		goto done;
	}
	p->ours = ours;
	p->theirs = theirs;
	if ((rc = crm_tree_diff(s, tb, to, "", &our_paths)) ||
	    (rc = crm_tree_diff(s, tb, tt, "", &their_paths)))
		goto done;
	for (i = 0; i < our_paths.n; i++)
		crm_strmap_put(&ours_changed, our_paths.items[i], 0);
	for (i = 0; i < their_paths.n && !rc; i++) {
		const char *path = their_paths.items[i];
		git_oid b, o, t;
		char *id;

		crm_blob_at(&b, base, path);
		crm_blob_at(&o, ours, path);
		crm_blob_at(&t, theirs, path);
		if (!crm_strmap_get(&ours_changed, path, &dummy)) {
			struct strbuf *out = plan_add(p, path);
			int absent = blob_text(out, s, &t);

			if (absent < 0) {
				rc = absent;
				break;
			}
			if (!absent) {
				p->changes[p->n - 1].data = out->buf;
				p->changes[p->n - 1].len = out->len;
			}
			continue;
		}
		if (git_oid_equal(&o, &t))
			continue;
		id = record_id(path);
		rc = id ? merge_record(s, p, path, id, &b, &o, &t, theirs_hex, rep) :
			  merge_other(s, p, path, &b, &o, &t, theirs_hex, rep);
		free(id);
	}
	/* the data pointers were taken as each change was made: a later
	 * growth of the array moves the strbufs, not their buffers */
done:
	crm_strmap_release(&ours_changed);
	crm_path_list_release(&our_paths);
	crm_path_list_release(&their_paths);
	git_tree_free(tb);
	git_tree_free(to);
	git_tree_free(tt);
	return rc;
}

/* ---- sync ---- */

struct session {
	struct crm_store *s;
	git_remote *remote;
	struct remote_state st;
	const char *remote_name;
	struct strbuf branch;		/* refs/heads/main */
	struct strbuf tracking;		/* refs/remotes/origin/main */
};

/*
 * A remote that libgit2 reaches with its local transport: "file:///..."
 * without %-escapes, or a path with no ':' naming a directory (a ':'
 * makes libgit2 take it for an ssh remote).  The path to open, or NULL.
 */
static char *remote_local_path(const char *url)
{
	struct stat st;

	if (!url)
		return NULL;
	if (!strncmp(url, "file:///", 8) && !strchr(url, '%'))
		return xstrdup(url + strlen("file://"));
	if (!strchr(url, ':') && !strstr(url, "://") &&
	    stat(url, &st) == 0 && S_ISDIR(st.st_mode))
		return xstrdup(url);
	return NULL;
}

/*
 * Packing what a walk's commits add, for a repository on this machine.
 * libgit2's packbuilder_insert_walk reads every tree of the commits at
 * the edge of the walk to mark what the other side has: 2 x 257 trees at
 * 100k customers, and up to 16 MiB of delta bases cached for them.  A
 * commit's tree is compared with its parents' instead, entry by entry,
 * descending only where ids differ: what is in a parent is either had by
 * the other side (a hidden commit) or packed with that parent (a commit
 * of the walk).  A root commit packs its whole tree.
 */
static int insert_tree_changes(git_packbuilder *pb, git_repository *repo,
			       const git_oid *id, git_tree **bases,
			       size_t nbases);

/* The entry named like `e` in `base`, if it has the same type. */
static const git_tree_entry *same_kind_entry(git_tree *base,
					     const git_tree_entry *e)
{
	const git_tree_entry *b;

	if (!base || !(b = git_tree_entry_byname(base, git_tree_entry_name(e))))
		return NULL;
	return git_tree_entry_type(b) == git_tree_entry_type(e) ? b : NULL;
}

static int insert_subtree_changes(git_packbuilder *pb, git_repository *repo,
				  const git_tree_entry *e, git_tree **bases,
				  size_t nbases)
{
	git_tree **subs = xcalloc(nbases ? nbases : 1, sizeof(*subs));
	size_t i;
	int err = 0;

	for (i = 0; i < nbases && !err; i++) {
		const git_tree_entry *b = same_kind_entry(bases[i], e);

		if (b)
			err = git_tree_lookup(&subs[i], repo, git_tree_entry_id(b));
	}
	if (!err)
		err = insert_tree_changes(pb, repo, git_tree_entry_id(e), subs,
					  nbases);
	for (i = 0; i < nbases; i++)
		git_tree_free(subs[i]);
	free(subs);
	return err;
}

static int insert_tree_changes(git_packbuilder *pb, git_repository *repo,
			       const git_oid *id, git_tree **bases,
			       size_t nbases)
{
	git_tree *tree = NULL;
	size_t i, j, n;
	int err;

	for (j = 0; j < nbases; j++)
		if (bases[j] && git_oid_equal(git_tree_id(bases[j]), id))
			return 0;
	if ((err = git_packbuilder_insert(pb, id, NULL)) ||
	    (err = git_tree_lookup(&tree, repo, id)))
		return err;
	n = git_tree_entrycount(tree);
	for (i = 0; i < n && !err; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		int had = 0;

		for (j = 0; j < nbases && !had; j++) {
			const git_tree_entry *b = same_kind_entry(bases[j], e);

			had = b && git_oid_equal(git_tree_entry_id(b),
						 git_tree_entry_id(e));
		}
		if (had)
			continue;
		if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
			err = insert_subtree_changes(pb, repo, e, bases, nbases);
		else if (git_tree_entry_type(e) == GIT_OBJECT_BLOB)
			err = git_packbuilder_insert(pb, git_tree_entry_id(e),
						     git_tree_entry_name(e));
		/* a gitlink (submodule commit) is not ours to send */
	}
	git_tree_free(tree);
	return err;
}

static int insert_commit_changes(git_packbuilder *pb, git_repository *repo,
				 const git_oid *id)
{
	git_commit *commit = NULL;
	git_tree **bases = NULL;
	size_t i, n = 0;
	int err;

	if ((err = git_commit_lookup(&commit, repo, id)) ||
	    (err = git_packbuilder_insert(pb, id, NULL)))
		goto done;
	n = git_commit_parentcount(commit);
	bases = xcalloc(n ? n : 1, sizeof(*bases));
	for (i = 0; i < n && !err; i++) {
		git_commit *parent = NULL;

		if (!(err = git_commit_parent(&parent, commit, (unsigned)i)))
			err = git_commit_tree(&bases[i], parent);
		git_commit_free(parent);
	}
	if (!err)
		err = insert_tree_changes(pb, repo, git_commit_tree_id(commit),
					  bases, n);
done:
	for (i = 0; i < n; i++)
		git_tree_free(bases[i]);
	free(bases);
	git_commit_free(commit);
	return err;
}

/* Every object the walk's commits add to the hidden ones, into pb. */
static int pack_walk(git_packbuilder *pb, git_repository *repo,
		     git_revwalk *walk)
{
	git_oid id;
	int err;

	while (!(err = git_revwalk_next(&id, walk)))
		if ((err = insert_commit_changes(pb, repo, &id)))
			return err;
	return err == GIT_ITEROVER ? 0 : err;
}

struct pack_sink {
	git_odb_writepack *writepack;
	git_indexer_progress stats;
};

static int append_to_pack(void *buf, size_t len, void *data)
{
	struct pack_sink *sink = data;

	return sink->writepack->append(sink->writepack, buf, len, &sink->stats);
}

/* The pack of `pb`, indexed into the object database of `dst`. */
static int write_pack_into(git_packbuilder *pb, git_repository *dst)
{
	struct pack_sink sink;
	git_odb *odb = NULL;
	int err;

	memset(&sink, 0, sizeof(sink));
	if (!git_packbuilder_object_count(pb))
		return 0;
	if (!(err = git_repository_odb(&odb, dst)) &&
	    !(err = git_odb_write_pack(&sink.writepack, odb, NULL, NULL)) &&
	    !(err = git_packbuilder_foreach(pb, append_to_pack, &sink)))
		err = sink.writepack->commit(sink.writepack, &sink.stats);
	if (sink.writepack)
		sink.writepack->free(sink.writepack);
	git_odb_free(odb);
	return err;
}

/* A branch of the remote and the tracking ref a fetch refspec maps it to. */
struct fetched_tip {
	git_oid id;
	char *dst;
	int force;
	int not_commit;	/* an annotated tag, say: packed on its own */
};

struct path_fetch {
	struct session *ss;
	git_repository *theirs;
	git_revwalk *walk;
	struct fetched_tip *tips;
	size_t ntips, alloc;
};

/* A commit joins the walk; anything else is packed whole, on its own. */
static int walk_or_mark(struct path_fetch *pf, struct fetched_tip *tip)
{
	size_t len;
	git_object_t type;
	git_odb *odb = NULL;
	int err;

	if ((err = git_repository_odb(&odb, pf->theirs)) ||
	    (err = git_odb_read_header(&len, &type, odb, &tip->id)))
		goto done;
	if (type == GIT_OBJECT_COMMIT)
		err = git_revwalk_push(pf->walk, &tip->id);
	else
		tip->not_commit = 1;
done:
	git_odb_free(odb);
	return err;
}

static int want_branch(struct path_fetch *pf, const char *name,
		       const git_oid *id)
{
	git_buf dst = GIT_BUF_INIT;
	size_t i, n = git_remote_refspec_count(pf->ss->remote);
	struct fetched_tip *tip;

	for (i = 0; i < n; i++) {
		const git_refspec *rs = git_remote_get_refspec(pf->ss->remote, i);

		if (git_refspec_direction(rs) != GIT_DIRECTION_FETCH ||
		    !git_refspec_src_matches(rs, name))
			continue;
		if (git_refspec_transform(&dst, rs, name))
			return -1;
		ALLOC_GROW(pf->tips, pf->ntips + 1, pf->alloc);
		tip = &pf->tips[pf->ntips++];
		git_oid_cpy(&tip->id, id);
		tip->dst = xstrdup(dst.ptr);
		tip->force = git_refspec_force(rs);
		git_buf_dispose(&dst);
		return walk_or_mark(pf, tip);
	}
	return 0;
}

static int list_their_branches(struct path_fetch *pf)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	int err;

	if (git_reference_iterator_glob_new(&it, pf->theirs, "refs/heads/*"))
		return -1;
	while (!(err = git_reference_next(&ref, it))) {
		if (git_reference_type(ref) == GIT_REFERENCE_DIRECT)
			err = want_branch(pf, git_reference_name(ref),
					  git_reference_target(ref));
		git_reference_free(ref);
		if (err)
			break;
	}
	git_reference_iterator_free(it);
	return err == GIT_ITEROVER ? 0 : -1;
}

/*
 * What any ref of the receiving side reaches, it has: hide it from a
 * walk of the sending side (git and libgit2 do the same).
 */
static int hide_ref_target(git_reference *ref, void *data)
{
	git_revwalk *walk = data;

	if (git_reference_type(ref) == GIT_REFERENCE_DIRECT &&
	    git_revwalk_hide(walk, git_reference_target(ref)))
		git_error_clear();	/* not on the sending side, or not a commit */
	git_reference_free(ref);
	return 0;
}

static int copy_objects(struct path_fetch *pf)
{
	git_packbuilder *pb = NULL;
	size_t i;
	int err;

	if (!(err = git_reference_foreach(pf->ss->s->repo, hide_ref_target,
					  pf->walk)) &&
	    !(err = git_packbuilder_new(&pb, pf->theirs))) {
		git_packbuilder_set_threads(pb, 1);
		err = pack_walk(pb, pf->theirs, pf->walk);
		for (i = 0; i < pf->ntips && !err; i++)
			if (pf->tips[i].not_commit)
				err = git_packbuilder_insert_recur(pb,
						&pf->tips[i].id, NULL);
		if (!err)
			err = write_pack_into(pb, pf->ss->s->repo);
		pf->ss->s->wrote_objects = 1;
	}
	git_packbuilder_free(pb);
	return err;
}

/* Move each tracking ref as `git fetch` would: forced, or fast-forward. */
static int update_tracking_refs(struct path_fetch *pf)
{
	git_repository *ours = pf->ss->s->repo;
	size_t i;

	for (i = 0; i < pf->ntips; i++) {
		struct fetched_tip *tip = &pf->tips[i];
		git_reference *ref = NULL;
		git_oid old;
		int err = git_reference_name_to_id(&old, ours, tip->dst);
		int have = !err;

		if (err && err != GIT_ENOTFOUND)
			return remote_error(&pf->ss->st, "cannot fetch from",
					    pf->ss->remote_name);
		git_error_clear();
		if (have && git_oid_equal(&old, &tip->id))
			continue;
		if (have && !tip->force &&
		    git_graph_descendant_of(ours, &tip->id, &old) != 1) {
			crm_error_set(CRM_ERROR, "cannot fetch from '%s': %s "
				      "would not fast-forward",
				      pf->ss->remote_name, tip->dst);
			return CRM_ERROR;
		}
		if (git_reference_create(&ref, ours, tip->dst, &tip->id, 1,
					 "crm: sync (fetch)"))
			return remote_error(&pf->ss->st, "cannot fetch from",
					    pf->ss->remote_name);
		git_reference_free(ref);
	}
	return 0;
}

/*
 * Fetch from a repository on this machine without libgit2's local
 * transport, which opens the remote out of our reach: its packbuilder
 * reads every tree of both tips there, and at 100k customers kept 42
 * MiB of the remote's pack index in this process, the peak of a sync.
 * Here the remote is ours to open: pack_walk reads only what changed,
 * and pack pages are let go of every SYNC_RELEASE_EVERY reads.  The
 * same objects reach us, and the same refs move: branches only (no
 * tags, no FETCH_HEAD, which crm never reads).
 */
static int fetch_from_path(struct session *ss, const char *path)
{
	struct path_fetch pf;
	size_t i;
	int rc = 0;

	memset(&pf, 0, sizeof(pf));
	pf.ss = ss;
	strbuf_reset(&ss->st.message);
	if (git_repository_open(&pf.theirs, path) ||
	    crm_repo_release_pages_on_read(pf.theirs, SYNC_RELEASE_EVERY) ||
	    git_revwalk_new(&pf.walk, pf.theirs) ||
	    list_their_branches(&pf) ||
	    copy_objects(&pf))
		rc = remote_error(&ss->st, "cannot fetch from", ss->remote_name);
	else
		rc = update_tracking_refs(&pf);
	for (i = 0; i < pf.ntips; i++)
		free(pf.tips[i].dst);
	free(pf.tips);
	git_revwalk_free(pf.walk);
	git_repository_free(pf.theirs);
	return rc;
}

static int fetch(struct session *ss)
{
	git_fetch_options opts = GIT_FETCH_OPTIONS_INIT;
	char *path = remote_local_path(git_remote_url(ss->remote));

	if (path) {
		int rc = fetch_from_path(ss, path);

		free(path);
		return rc;
	}

	callbacks_init(&opts.callbacks, &ss->st);
	strbuf_reset(&ss->st.message);
	if (git_remote_fetch(ss->remote, NULL, &opts, "crm: sync (fetch)"))
		return remote_error(&ss->st, "cannot fetch from",
				    ss->remote_name);
	ss->s->wrote_objects = 1;	/* a pack, maybe */
	return 0;
}

/*
 * Set the remote's branch to `tip` if it is still at `old` (NULL: if it
 * does not exist): 1 if it moved meanwhile, as a refused push.
 */
static int move_their_branch(struct session *ss, git_repository *theirs,
			     const git_oid *tip, const git_oid *old)
{
	git_reference *ref = NULL;
	int err;

	if (old)
		err = git_reference_create_matching(&ref, theirs,
						    ss->branch.buf, tip, 1,
						    old, "crm: sync (push)");
	else
		err = git_reference_create(&ref, theirs, ss->branch.buf, tip,
					   0, "crm: sync (push)");
	git_reference_free(ref);
	/* moved, made or deleted meanwhile: fetch and merge again */
	if (err == GIT_EMODIFIED || err == GIT_EEXISTS ||
	    err == GIT_ENOTFOUND) {
		git_error_clear();
		return 1;
	}
	return err ? remote_error(&ss->st, "cannot push to", ss->remote_name)
		   : 0;
}

/*
 * Push to a bare repository on this machine, for the reason given at
 * fetch_from_path: libgit2's push reads every tree of both tips.  Our
 * commits that no ref of the remote reaches are packed with pack_walk
 * into the remote's object database, then its branch is moved only if
 * it has not moved meanwhile.  1 if it had, or if ours does not descend
 * from it (fetch and merge again).
 */
static int push_to_path(struct session *ss, const char *path)
{
	git_repository *ours = ss->s->repo, *theirs = NULL;
	git_revwalk *walk = NULL;
	git_packbuilder *pb = NULL;
	git_reference *tracking = NULL;
	git_oid tip, old;
	int have_old, err, rc = 0;

	strbuf_reset(&ss->st.message);
	if (git_reference_name_to_id(&tip, ours, ss->branch.buf) ||
	    git_repository_open(&theirs, path)) {
		rc = remote_error(&ss->st, "cannot push to", ss->remote_name);
		goto done;
	}
	if (!git_repository_is_bare(theirs)) {
		crm_error_set(CRM_ERROR, "cannot push to '%s': '%s' is not a "
			      "bare repository", ss->remote_name, path);
		rc = CRM_ERROR;
		goto done;
	}
	err = git_reference_name_to_id(&old, theirs, ss->branch.buf);
	if (err && err != GIT_ENOTFOUND) {
		rc = remote_error(&ss->st, "cannot push to", ss->remote_name);
		goto done;
	}
	git_error_clear();
	have_old = !err;
	if (have_old && !git_oid_equal(&old, &tip) &&
	    git_graph_descendant_of(ours, &tip, &old) != 1) {
		git_error_clear();
		rc = 1;
		goto done;
	}
	if (!have_old || !git_oid_equal(&old, &tip)) {
		if (git_revwalk_new(&walk, ours) ||
		    git_revwalk_push(walk, &tip) ||
		    git_reference_foreach(theirs, hide_ref_target, walk) ||
		    git_packbuilder_new(&pb, ours)) {
			rc = remote_error(&ss->st, "cannot push to",
					  ss->remote_name);
			goto done;
		}
		git_packbuilder_set_threads(pb, 1);
		if (pack_walk(pb, ours, walk) || write_pack_into(pb, theirs)) {
			rc = remote_error(&ss->st, "cannot push to",
					  ss->remote_name);
			goto done;
		}
		if ((rc = move_their_branch(ss, theirs, &tip,
					    have_old ? &old : NULL)))
			goto done;
		/* each push leaves a pack: what receive-pack does after it */
		crm_repo_start_gc_if_due(theirs, 1);
	}
	if (git_reference_create(&tracking, ours, ss->tracking.buf, &tip, 1,
				 "crm: sync (push)"))
		rc = crm_git_error("cannot update the remote-tracking branch");
done:
	git_reference_free(tracking);
	git_packbuilder_free(pb);
	git_revwalk_free(walk);
	git_repository_free(theirs);
	return rc;
}

/* Push our branch; 1 if the remote refused because it moved on. */
static int push(struct session *ss)
{
	git_push_options opts = GIT_PUSH_OPTIONS_INIT;
	struct strbuf spec = STRBUF_INIT;
	char *specs[1];
	git_strarray refspecs = { specs, 1 };
	const char *url = git_remote_pushurl(ss->remote);
	char *path = remote_local_path(url ? url : git_remote_url(ss->remote));
	int rc = 0, err;

	if (path) {
		rc = push_to_path(ss, path);
		free(path);
		return rc;
	}
	strbuf_addf(&spec, "%s:%s", ss->branch.buf, ss->branch.buf);
	specs[0] = spec.buf;
	callbacks_init(&opts.callbacks, &ss->st);
	strbuf_reset(&ss->st.message);
	free(ss->st.rejected);
	ss->st.rejected = NULL;
	err = git_remote_push(ss->remote, &refspecs, &opts);
	if (err == GIT_ENONFASTFORWARD ||
	    (ss->st.rejected && (strstr(ss->st.rejected, "non-fast-forward") ||
				 strstr(ss->st.rejected, "fetch first") ||
				 strstr(ss->st.rejected, "stale")))) {
		git_error_clear();
		rc = 1;	/* the remote moved on: fetch and merge again */
	} else if (ss->st.rejected) {
		crm_error_set(CRM_ERROR, "'%s' refused the push: %s",
			      ss->remote_name, ss->st.rejected);
		rc = CRM_ERROR;
	} else if (err) {
		rc = remote_error(&ss->st, "cannot push to", ss->remote_name);
	}
	strbuf_release(&spec);
	return rc;
}

static int lookup_commit(git_commit **out, struct crm_store *s,
			 const char *ref)
{
	git_oid id;

	*out = NULL;
	if (git_reference_name_to_id(&id, s->repo, ref)) {
		git_error_clear();
		return 0;
	}
	if (git_commit_lookup(out, s->repo, &id))
		return crm_git_error("cannot read a commit");
	return 0;
}

/* Merge their tip into ours as one merge commit, then push. */
static int merge_and_commit(struct session *ss, git_commit *ours,
			    git_commit *theirs, int dry_run,
			    struct crm_sync_report *rep)
{
	struct crm_store *s = ss->s;
	struct plan p;
	struct strbuf msg = STRBUF_INIT;
	git_oid base_id;
	git_commit *base = NULL;
	size_t i;
	int rc;

	memset(&p, 0, sizeof(p));
	if (git_merge_base(&base_id, s->repo, git_commit_id(ours),
			   git_commit_id(theirs))) {
		git_error_clear();
		crm_error_set(CRM_ERROR, "'%s' shares no history with this "
			      "store; sync needs a common beginning",
			      ss->remote_name);
		rc = CRM_ERROR;
		goto done;
	}
	if (git_commit_lookup(&base, s->repo, &base_id)) {
		rc = crm_git_error("cannot read the merge base");
		goto done;
	}
	if ((rc = classify(s, base, theirs, &rep->in_added, &rep->in_changed,
			   &rep->in_removed)) ||
	    (rc = classify(s, base, ours, &rep->out_added, &rep->out_changed,
			   &rep->out_removed)) ||
	    (rc = plan_merge(s, base, ours, theirs, &p, rep)))
		goto done;
	if (dry_run)
		goto done;
	/* a file the merge rewrites must not hold an uncommitted edit */
	for (i = 0; i < p.n; i++) {
		git_oid here;

		crm_blob_at(&here, ours, p.changes[i].path);
		if ((rc = crm_worktree_check(s, p.changes[i].path, &here)))
			goto done;
	}
	strbuf_addf(&msg, "crm: sync with %s (%zu in, %zu out, %zu merged)",
		    ss->remote_name, rep->in_added.n + rep->in_changed.n +
		    rep->in_removed.n, rep->out_added.n + rep->out_changed.n +
		    rep->out_removed.n, rep->merged.n);
	if (rep->conflicts)
		strbuf_addf(&msg, "\n\n%zu conflict%s kept in the records "
			    "(crm list has:conflicts)\n", rep->conflicts,
			    rep->conflicts == 1 ? "" : "s");
	rc = crm_store_commit_merge(s, p.changes, p.n, msg.buf,
				    git_commit_id(theirs));
done:
	plan_release(&p);
	git_commit_free(base);
	strbuf_release(&msg);
	return rc;
}

/*
 * Start a try afresh, keeping what an earlier try merged and noted: its
 * merge commit stays in the store.
 */
static void reset_report(struct crm_sync_report *rep)
{
	struct crm_sync_list notes = rep->notes, merged = rep->merged;
	size_t conflicts = rep->conflicts;

	memset(&rep->notes, 0, sizeof(rep->notes));
	memset(&rep->merged, 0, sizeof(rep->merged));
	crm_sync_report_release(rep);
	rep->notes = notes;
	rep->merged = merged;
	rep->conflicts = conflicts;
}

static int sync_once(struct session *ss, int dry_run,
		     struct crm_sync_report *rep, int *again)
{
	struct crm_store *s = ss->s;
	git_commit *ours = NULL, *theirs = NULL;
	int rc;

	*again = 0;
	reset_report(rep);
	if ((rc = fetch(ss)) ||
	    (rc = lookup_commit(&ours, s, ss->branch.buf)) ||
	    (rc = lookup_commit(&theirs, s, ss->tracking.buf)))
		goto done;
	if (!ours) {
		crm_error_set(CRM_ERROR, "the store has no commits to sync");
		rc = CRM_ERROR;
		goto done;
	}
	if (!theirs) {
		/* an empty remote: this store is its beginning */
		if ((rc = classify(s, NULL, ours, &rep->out_added,
				   &rep->out_changed, &rep->out_removed)))
			goto done;
		rep->created_remote_branch = 1;
		if (!dry_run) {
			rc = push(ss);
			rep->pushed = rc == 0;
			*again = rc == 1;
			if (rc == 1)
				rc = 0;
		}
		goto done;
	}
	if (git_oid_equal(git_commit_id(ours), git_commit_id(theirs))) {
		rep->up_to_date = 1;
		goto done;
	}
	if (git_graph_descendant_of(s->repo, git_commit_id(ours),
				    git_commit_id(theirs)) == 1) {
		/* only we moved: send ours */
		if ((rc = classify(s, theirs, ours, &rep->out_added,
				   &rep->out_changed, &rep->out_removed)))
			goto done;
	} else if (git_graph_descendant_of(s->repo, git_commit_id(theirs),
					   git_commit_id(ours)) == 1) {
		/* only they moved: take theirs as it is */
		if ((rc = classify(s, ours, theirs, &rep->in_added,
				   &rep->in_changed, &rep->in_removed)))
			goto done;
		rep->fast_forward = 1;
		if (!dry_run)
			rc = crm_store_fast_forward(s, git_commit_id(theirs));
		goto done;
	} else if ((rc = merge_and_commit(ss, ours, theirs, dry_run, rep))) {
		goto done;
	}
	if (!dry_run) {
		rc = push(ss);
		rep->pushed = rc == 0;
		*again = rc == 1;
		if (rc == 1)
			rc = 0;
	}
done:
	git_commit_free(ours);
	git_commit_free(theirs);
	return rc;
}

int crm_store_sync(struct crm_store *s, const char *remote, int dry_run,
		   struct crm_sync_report *report)
{
	struct session ss;
	git_oid tip;
	int unborn, attempt, again = 0, rc;

	memset(&ss, 0, sizeof(ss));
	memset(report, 0, sizeof(*report));
	strbuf_init(&ss.st.message);
	strbuf_init(&ss.branch);
	strbuf_init(&ss.tracking);
	ss.s = s;
	ss.remote_name = remote ? remote : "origin";
	crm_ca_bundle_load();
	if ((rc = crm_store_head(s, &ss.branch, &tip, &unborn)))
		goto done;
	if (git_remote_lookup(&ss.remote, s->repo, ss.remote_name)) {
		git_error_clear();
		crm_error_set(CRM_ERROR, "no remote '%s'; add one with 'crm git "
			      "remote add %s <url>'", ss.remote_name,
			      ss.remote_name);
		rc = CRM_ERROR;
		goto done;
	}
	strbuf_addf(&ss.tracking, "refs/remotes/%s/%s", ss.remote_name,
		    ss.branch.buf + strlen("refs/heads/"));
	/*
	 * A push reads every tree of both tips once (libgit2's packbuilder):
	 * 41 MiB of pack index pages at 100k customers, if kept.
	 */
	if ((rc = crm_store_release_pages_on_read(s, SYNC_RELEASE_EVERY)))
		goto done;
	/* the remote may move on while we merge: fetch and merge again */
	for (attempt = 0; attempt < SYNC_ATTEMPTS; attempt++) {
		rc = sync_once(&ss, dry_run, report, &again);
		if (rc || !again)
			break;
	}
	if (!rc && again) {
		crm_error_set(CRM_ERROR, "'%s' kept moving while crm pushed "
			      "(%d tries); run crm sync again", ss.remote_name,
			      SYNC_ATTEMPTS);
		rc = CRM_ERROR;
	}
done:
	git_remote_free(ss.remote);
	strbuf_release(&ss.st.message);
	free(ss.st.rejected);
	strbuf_release(&ss.branch);
	strbuf_release(&ss.tracking);
	return rc;
}
