/*
 * The store: everything that touches libgit2 for reading and writing
 * the current state.  History and undo live in store-history.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ca-bundle.h"
#include "clock.h"
#include "error.h"
#include "forget.h"
#include "index-patch.h"
#include "pack.h"
#include "parallel.h"
#include "store.h"
#include "store-internal.h"
#include "strmap.h"
#include "util.h"
#include "yaml.h"

#define JOURNAL_FILE "crm-journal"
#define LOCK_FILE "crm.lock"
#define LOCK_WAIT_SECONDS 30

/*
 * A test-only hook: CRM_CRASH_AT=<point> kills crm with SIGKILL when it
 * reaches that point of a commit, so tests can check that a crash at any
 * step leaves a sound store.
 */
static void crash_point(const char *point)
{
	const char *at = getenv("CRM_CRASH_AT");

	if (at && !strcmp(at, point))
		kill(getpid(), SIGKILL);
}

int crm_git_error(const char *what)
{
	const git_error *e = git_error_last();

	crm_error_set(CRM_ERROR, "%s: %s", what,
		      e && e->message ? e->message : "libgit2 error");
	return CRM_ERROR;
}

static int libgit2_ready;

void crm_store_library_shutdown(void)
{
	if (libgit2_ready)
		git_libgit2_shutdown();
	libgit2_ready = 0;
}

void crm_store_library_init(void)
{
	if (libgit2_ready)
		return;
	crm_ca_bundle_defer(1);
	git_libgit2_init();
	crm_ca_bundle_defer(0);
	/* objects, refs and the index are fsynced before they are used */
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
	/* a store is ours; refs are checked by the CAS anyway */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	/*
	 * Memory stays bounded however long the history: libgit2 would map
	 * a pack in 1 GiB windows up to 8 GiB and cache 256 MiB of objects,
	 * which a walk of a year of commits at 100k customers fills.
	 */
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)4 << 20);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)16 << 20);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)4 << 20);
	libgit2_ready = 1;
}

int crm_store_locate(struct strbuf *out, const char *dir_option)
{
	const char *v;

	if (dir_option && *dir_option) {
		strbuf_addstr(out, dir_option);
		return 0;
	}
	if ((v = getenv("CRM_DIR")) && *v) {
		strbuf_addstr(out, v);
		return 0;
	}
	if ((v = getenv("XDG_DATA_HOME")) && *v && v[0] == '/') {
		strbuf_addf(out, "%s/crm", v);
		return 0;
	}
	if ((v = getenv("HOME")) && *v) {
		strbuf_addf(out, "%s/.local/share/crm", v);
		return 0;
	}
	crm_error_set(CRM_ENOSTORE, "no store: set CRM_DIR or HOME, or use -C");
	return CRM_ENOSTORE;
}

static struct crm_store *store_new(git_repository *repo)
{
	struct crm_store *s = xcalloc(1, sizeof(*s));
	const char *workdir = git_repository_workdir(repo);
	size_t n = strlen(workdir);

	s->repo = repo;
	while (n > 1 && workdir[n - 1] == '/')
		n--;
	s->root = xstrndup(workdir, n);
	s->gitdir = xstrdup(git_repository_path(repo));
	s->lock_fd = -1;
	return s;
}

int crm_store_open(struct crm_store **out, const char *dir)
{
	git_repository *repo = NULL;
	struct strbuf cfg = STRBUF_INIT;
	struct stat st;
	int rc;

	*out = NULL;
	crm_store_library_init();
	strbuf_addf(&cfg, "%s/%s", dir, CRM_CONFIG_FILE);
	if (stat(dir, &st) || !S_ISDIR(st.st_mode) || stat(cfg.buf, &st)) {
		crm_error_set(CRM_ENOSTORE,
			      "no store at '%s' (run 'crm init' to make one)",
			      dir);
		rc = CRM_ENOSTORE;
		goto done;
	}
	if (git_repository_open_ext(&repo, dir,
				    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL)) {
		crm_error_set(CRM_ENOSTORE,
			      "'%s' has a %s but is not a git repository",
			      dir, CRM_CONFIG_FILE);
		rc = CRM_ENOSTORE;
		goto done;
	}
	if (git_repository_is_bare(repo)) {
		crm_error_set(CRM_ENOSTORE, "'%s' is a bare repository", dir);
		rc = CRM_ENOSTORE;
		goto done;
	}
	*out = store_new(repo);
	repo = NULL;
	rc = 0;
done:
	git_repository_free(repo);
	strbuf_release(&cfg);
	return rc;
}

/* Entries of a directory whose names are `len` characters ending in `suffix`. */
static long count_names(const char *dir, size_t len, const char *suffix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t slen = strlen(suffix);
	long n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		size_t elen = strlen(e->d_name);

		if ((!len || elen == len) && elen >= slen &&
		    !strcmp(e->d_name + elen - slen, suffix))
			n++;
	}
	closedir(d);
	return n;
}

/* git's settings for an automatic gc, with git's defaults. */
struct gc_settings {
	int32_t loose;		/* gc.auto */
	int32_t packs;		/* gc.autoPackLimit */
	int maintenance;	/* maintenance.auto */
	int after_push;		/* receive.autogc */
};

static void read_gc_settings(git_repository *repo, struct gc_settings *g)
{
	git_config *cfg = NULL;

	g->loose = 6700;
	g->packs = 50;
	g->maintenance = 1;
	g->after_push = 1;
	if (!git_repository_config_snapshot(&cfg, repo)) {
		if (git_config_get_int32(&g->loose, cfg, "gc.auto"))
			g->loose = 6700;
		if (git_config_get_int32(&g->packs, cfg, "gc.autopacklimit"))
			g->packs = 50;
		if (git_config_get_bool(&g->maintenance, cfg,
					"maintenance.auto"))
			g->maintenance = 1;
		if (git_config_get_bool(&g->after_push, cfg, "receive.autogc"))
			g->after_push = 1;
	}
	git_error_clear();
	git_config_free(cfg);
}

/* Did a detached gc, less than a day ago, leave a warning (gc.log)? */
static int gc_log_is_fresh(const char *gitdir)
{
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	int fresh;

	strbuf_addf(&path, "%sgc.log", gitdir);
	fresh = !stat(path.buf, &st) && time(NULL) - st.st_mtime < 86400;
	strbuf_release(&path);
	return fresh;
}

/*
 * Does the store want `git gc --auto`?  git's own estimate: more loose
 * objects in objects/17 than gc.auto / 256 (6,700 by default), or more
 * packs (not kept by a .keep) than gc.autoPackLimit (50); not when
 * maintenance.auto is false, nor after a push into a repository that
 * sets receive.autogc false, nor for a day after a gc left gc.log (git
 * waits too).  One config snapshot, two directory reads.
 */
static int wants_gc(git_repository *repo, const char *gitdir,
		    int after_push)
{
	struct strbuf dir = STRBUF_INIT;
	struct gc_settings g;
	int want = 0;

	read_gc_settings(repo, &g);
	if (!g.maintenance || (after_push && !g.after_push) ||
	    gc_log_is_fresh(gitdir))
		return 0;
	if (g.loose > 0) {
		strbuf_addf(&dir, "%sobjects/17", gitdir);
		want = count_names(dir.buf, 38, "") > (g.loose + 255) / 256;
	}
	if (!want && g.packs > 0) {
		strbuf_reset(&dir);
		strbuf_addf(&dir, "%sobjects/pack", gitdir);
		want = count_names(dir.buf, 0, ".idx") -
		       count_names(dir.buf, 0, ".keep") > g.packs;
	}
	strbuf_release(&dir);
	return want;
}

/*
 * What a git run by a hook inherits about "its" repository: git's own
 * list of repository-local variables (git rev-parse --local-env-vars),
 * and the quarantine of a pre-receive hook.
 */
static const char *const git_repo_env[] = {
	"GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CONFIG",
	"GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT", "GIT_OBJECT_DIRECTORY",
	"GIT_DIR", "GIT_WORK_TREE", "GIT_IMPLICIT_WORK_TREE",
	"GIT_GRAFT_FILE", "GIT_INDEX_FILE", "GIT_NO_REPLACE_OBJECTS",
	"GIT_REPLACE_REF_BASE", "GIT_PREFIX", "GIT_SHALLOW_FILE",
	"GIT_COMMON_DIR", "GIT_QUARANTINE_PATH",
};

/* In a child: `git gc --auto` in `gitdir`, nothing inherited. */
static void exec_gc(const char *gitdir)
{
	int null = open("/dev/null", O_RDWR);
	size_t i;

	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	for (i = 0; i < ARRAY_SIZE(git_repo_env); i++)
		unsetenv(git_repo_env[i]);
	if (chdir(gitdir))
		_exit(127);
	execlp("git", "git", "--git-dir", gitdir, "gc", "--auto", "--quiet",
	       (char *)NULL);
	_exit(127);
}

/*
 * libgit2 has no gc, and every crm commit adds loose objects (a year of
 * one-record commits would leave millions of files), every fetch a pack.
 * Like git after a commit, run `git gc --auto` when the store wants it:
 * git decides again (its config, its gc.pid lock), keeping recent
 * unreachable objects, so a crm writing meanwhile loses nothing (and
 * crm forget waits for it: crm_store_hold_gc_lock).  Two forks: the
 * gc is nobody's child, so crm never waits for it, even with
 * gc.autoDetach false.  Without git on PATH, nothing happens; a failure
 * is git's to report in gc.log, never crm's.
 */
void crm_repo_start_gc_if_due(git_repository *repo, int after_push)
{
	const char *gitdir = git_repository_path(repo);	/* ends with '/' */
	pid_t pid;
	int status;

	if (!gitdir || !wants_gc(repo, gitdir, after_push))
		return;
	pid = fork();
	if (pid == 0) {
		setsid();
		if (fork() == 0)
			exec_gc(gitdir);
		_exit(0);
	}
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
}

/*
 * git's gc lock, as git takes it: gc.pid ("<pid> <host>"), written
 * through gc.pid.lock.  A gc holds it if the file is under 12 hours old
 * and names a live process of this host.  crm forget takes it, so no gc
 * packs the history it is deleting.
 */
static int gc_lock_held(const char *pidfile, const char *host)
{
	char other[256];
	unsigned long pid;
	struct stat st;
	FILE *f = fopen(pidfile, "r");
	int held;

	if (!f)
		return 0;
	held = !fstat(fileno(f), &st) && time(NULL) - st.st_mtime <= 12 * 3600 &&
	       fscanf(f, "%lu %255s", &pid, other) == 2 &&
	       (strcmp(other, host) || !kill((pid_t)pid, 0) || errno == EPERM);
	fclose(f);
	return held;
}

int crm_store_hold_gc_lock(struct crm_store *s)
{
	struct strbuf lock = STRBUF_INIT, pidfile = STRBUF_INIT;
	char host[256];
	int fd, rc = 0;

	if (gethostname(host, sizeof(host)))
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	strbuf_addf(&pidfile, "%sgc.pid", s->gitdir);
	strbuf_addf(&lock, "%s.lock", pidfile.buf);
	fd = open(lock.buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		crm_error_set_errno(CRM_ERROR, "cannot take git's gc lock '%s'",
				    lock.buf);
		rc = CRM_ERROR;
	} else if (gc_lock_held(pidfile.buf, host)) {
		crm_error_set(CRM_ERROR, "a git gc is running in '%s'; try "
			      "again when it has finished", s->gitdir);
		rc = CRM_ERROR;
	} else if (dprintf(fd, "%lu %s", (unsigned long)getpid(), host) < 0 ||
		   rename(lock.buf, pidfile.buf)) {
		crm_error_set_errno(CRM_ERROR, "cannot write '%s'", pidfile.buf);
		rc = CRM_ERROR;
	}
	if (fd >= 0) {
		close(fd);
		if (rc)
			unlink(lock.buf);
	}
	strbuf_release(&lock);
	strbuf_release(&pidfile);
	return rc;
}

void crm_store_drop_gc_lock(struct crm_store *s)
{
	struct strbuf pidfile = STRBUF_INIT;

	strbuf_addf(&pidfile, "%sgc.pid", s->gitdir);
	unlink(pidfile.buf);
	strbuf_release(&pidfile);
}

void crm_store_free(struct crm_store *s)
{
	if (!s)
		return;
	/* after the lock goes: gc must not hold it (it may run for minutes) */
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	if (s->wrote_objects)
		crm_repo_start_gc_if_due(s->repo, 0);
	git_repository_free(s->repo);
	free(s->root);
	free(s->gitdir);
	free(s);
}

const char *crm_store_root(const struct crm_store *s)
{
	return s->root;
}

const char *crm_store_gitdir(const struct crm_store *s)
{
	return s->gitdir;
}

void crm_store_abspath(struct strbuf *out, const struct crm_store *s,
		       const char *path)
{
	strbuf_addf(out, "%s/%s", s->root, path);
}

static int dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return 1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			empty = 0;
			break;
		}
	closedir(d);
	return empty;
}

/*
 * Index version 4 compresses the paths: at 100,000 records it is a
 * quarter smaller, and every commit reads and writes it whole.
 */
static int set_index_version(struct crm_store *s)
{
	git_index *index = NULL;
	int rc = 0;

	if (git_repository_index(&index, s->repo) ||
	    git_index_set_version(index, 4) || git_index_write(index))
		rc = crm_git_error("cannot set up the index");
	git_index_free(index);
	return rc;
}

int crm_store_init(struct crm_store **out, const char *dir,
		   const char *const (*files)[2], size_t nfiles,
		   const char *message)
{
	git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
	git_repository *repo = NULL;
	struct crm_change *changes = NULL;
	struct strbuf path = STRBUF_INIT;
	struct crm_store *s = NULL;
	struct stat st;
	size_t i;
	int rc;

	*out = NULL;
	crm_store_library_init();
	strbuf_addf(&path, "%s/%s", dir, CRM_CONFIG_FILE);
	if (!stat(path.buf, &st)) {
		crm_error_set(CRM_EEXISTS, "a store already exists at '%s'",
			      dir);
		rc = CRM_EEXISTS;
		goto done;
	}
	if (!stat(dir, &st) && (!S_ISDIR(st.st_mode) || !dir_is_empty(dir))) {
		crm_error_set(CRM_EEXISTS,
			      "'%s' exists and is not an empty directory", dir);
		rc = CRM_EEXISTS;
		goto done;
	}
	/* personal data: the store itself is private to its owner */
	opts.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
	opts.mode = GIT_REPOSITORY_INIT_SHARED_UMASK;
	opts.initial_head = "main";
	if (git_repository_init_ext(&repo, dir, &opts)) {
		rc = crm_git_error("cannot create the store");
		goto done;
	}
	if (chmod(dir, 0700)) {
		crm_error_set_errno(CRM_ERROR, "cannot make '%s' private", dir);
		rc = CRM_ERROR;
		goto done;
	}
	s = store_new(repo);
	repo = NULL;
	if ((rc = set_index_version(s)))
		goto done;
	changes = xcalloc(nfiles ? nfiles : 1, sizeof(*changes));
	for (i = 0; i < nfiles; i++) {
		changes[i].path = files[i][0];
		changes[i].data = files[i][1];
		changes[i].len = strlen(files[i][1]);
	}
	if ((rc = crm_store_lock(s)) ||
	    (rc = crm_store_commit(s, changes, nfiles, message)))
		goto done;
	*out = s;
	s = NULL;
done:
	free(changes);
	crm_store_free(s);
	git_repository_free(repo);
	strbuf_release(&path);
	return rc;
}

void crm_store_record_path(struct strbuf *out, const char *id)
{
	git_oid oid;
	char hex[GIT_OID_HEXSZ + 1];

	crm_store_library_init();
	git_odb_hash(&oid, id, strlen(id), GIT_OBJECT_BLOB);
	git_oid_tostr(hex, sizeof(hex), &oid);
	strbuf_addf(out, "%s/%.2s/%s.yml", CRM_CUSTOMERS_DIR, hex, id);
}

int crm_store_read_file(struct strbuf *out, struct crm_store *s,
			const char *path)
{
	struct strbuf full = STRBUF_INIT;
	struct stat st;
	int fd = -1, rc = 0;

	crm_store_abspath(&full, s, path);
	/* never blocks: a FIFO named like a record is refused, not waited on */
	fd = open(full.buf, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR) {
			crm_error_set(CRM_ENOTFOUND, "'%s' does not exist",
				      path);
			rc = CRM_ENOTFOUND;
		} else if (errno == ELOOP) {
			crm_error_set(CRM_EPARSE,
				      "'%s' is a symbolic link; refusing to follow it",
				      path);
			rc = CRM_EPARSE;
		} else {
			crm_error_set_errno(CRM_ERROR, "cannot open '%s'", path);
			rc = CRM_ERROR;
		}
		goto done;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		crm_error_set(CRM_EPARSE, "'%s' is not a regular file", path);
		rc = CRM_EPARSE;
		goto done;
	}
	if ((unsigned long long)st.st_size > CRM_YAML_MAX_SIZE) {
		crm_error_set(CRM_EPARSE, "%s: too large (%lld bytes, limit %u)",
			      path, (long long)st.st_size, CRM_YAML_MAX_SIZE);
		rc = CRM_EPARSE;
		goto done;
	}
	strbuf_grow(out, (size_t)st.st_size + 1);
	for (;;) {
		ssize_t n;

		strbuf_grow(out, 4096);
		n = read(fd, out->buf + out->len, out->alloc - out->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			crm_error_set_errno(CRM_ERROR, "cannot read '%s'", path);
			rc = CRM_ERROR;
			goto done;
		}
		if (!n)
			break;
		strbuf_setlen(out, out->len + (size_t)n);
		if (out->len > CRM_YAML_MAX_SIZE) {
			crm_error_set(CRM_EPARSE, "%s: too large (limit %u bytes)",
				      path, CRM_YAML_MAX_SIZE);
			rc = CRM_EPARSE;
			goto done;
		}
	}
done:
	if (fd >= 0)
		close(fd);
	strbuf_release(&full);
	return rc;
}

int crm_store_file_exists(struct crm_store *s, const char *path)
{
	struct strbuf full = STRBUF_INIT;
	struct stat st;
	int exists;

	crm_store_abspath(&full, s, path);
	exists = lstat(full.buf, &st) == 0;
	strbuf_release(&full);
	return exists;
}

static int ref_cmp(const void *a, const void *b)
{
	return strcmp(((const struct crm_record_ref *)a)->id,
		      ((const struct crm_record_ref *)b)->id);
}

static int is_record_name(const char *name, size_t *idlen)
{
	size_t n = strlen(name);

	if (name[0] == '.' || n <= 4 || strcmp(name + n - 4, ".yml"))
		return 0;
	*idlen = n - 4;
	return 1;
}

static void scan_shard(struct crm_record_refs *out, const char *dir,
		       const char *shard)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct crm_record_ref *ref;
		struct strbuf path = STRBUF_INIT;
		size_t idlen;

		if (!is_record_name(e->d_name, &idlen))
			continue;
		ALLOC_GROW(out->items, out->n + 1, out->alloc);
		ref = &out->items[out->n++];
		ref->id = xstrndup(e->d_name, idlen);
		strbuf_addf(&path, "%s/%s/%s", CRM_CUSTOMERS_DIR, shard,
			    e->d_name);
		ref->path = strbuf_detach(&path, NULL);
	}
	closedir(d);
}

int crm_store_list_records(struct crm_record_refs *out, struct crm_store *s)
{
	struct strbuf dir = STRBUF_INIT;
	DIR *d;
	struct dirent *e;

	crm_store_abspath(&dir, s, CRM_CUSTOMERS_DIR);
	d = opendir(dir.buf);
	if (d) {
		size_t base = dir.len;

		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			strbuf_setlen(&dir, base);
			strbuf_addf(&dir, "/%s", e->d_name);
			scan_shard(out, dir.buf, e->d_name);
		}
		closedir(d);
	}
	strbuf_release(&dir);
	if (out->n)
		qsort(out->items, out->n, sizeof(*out->items), ref_cmp);
	return 0;
}

void crm_record_refs_release(struct crm_record_refs *refs)
{
	size_t i;

	for (i = 0; i < refs->n; i++) {
		free(refs->items[i].id);
		free(refs->items[i].path);
	}
	free(refs->items);
	refs->items = NULL;
	refs->n = refs->alloc = 0;
}

int crm_store_config_get(struct strbuf *out, struct crm_store *s,
			 const char *key)
{
	git_config *cfg = NULL;
	git_buf buf = GIT_BUF_INIT;
	int rc = CRM_ENOTFOUND;

	if (git_repository_config_snapshot(&cfg, s->repo))
		return crm_git_error("cannot read git config");
	if (!git_config_get_string_buf(&buf, cfg, key)) {
		strbuf_add(out, buf.ptr, buf.size);
		rc = 0;
	}
	git_buf_dispose(&buf);
	git_config_free(cfg);
	if (rc)
		git_error_clear();
	return rc;
}

/*
 * Who commits, as git decides it: GIT_<who>_NAME/EMAIL from the
 * environment, then user.name/user.email from git config, then the
 * passwd entry and login@host.
 */
static void identity_for(struct crm_store *s, const char *who,
			 struct strbuf *name, struct strbuf *email)
{
	struct strbuf var = STRBUF_INIT;
	struct passwd *pw = getpwuid(getuid());
	const char *login = getenv("USER");
	const char *v;

	if (!login || !*login)
		login = pw ? pw->pw_name : "crm";
	strbuf_addf(&var, "GIT_%s_NAME", who);
	if ((v = getenv(var.buf)) && *v)
		strbuf_addstr(name, v);
	else if (crm_store_config_get(name, s, "user.name") || !name->len) {
		strbuf_reset(name);
		if (pw && pw->pw_gecos && *pw->pw_gecos)
			strbuf_add(name, pw->pw_gecos,
				   strcspn(pw->pw_gecos, ","));
		if (!name->len)
			strbuf_addstr(name, login);
	}
	strbuf_reset(&var);
	strbuf_addf(&var, "GIT_%s_EMAIL", who);
	if ((v = getenv(var.buf)) && *v)
		strbuf_addstr(email, v);
	else if (crm_store_config_get(email, s, "user.email") || !email->len) {
		char host[256];

		strbuf_reset(email);
		if ((v = getenv("EMAIL")) && *v) {
			strbuf_addstr(email, v);
		} else {
			if (gethostname(host, sizeof(host)))
				snprintf(host, sizeof(host), "localhost");
			host[sizeof(host) - 1] = '\0';
			strbuf_addf(email, "%s@%s", login, host);
		}
	}
	strbuf_release(&var);
}

int crm_store_identity(struct crm_store *s, struct strbuf *name,
		       struct strbuf *email)
{
	identity_for(s, "AUTHOR", name, email);
	return 0;
}

int crm_store_user(struct crm_store *s, struct strbuf *user)
{
	struct strbuf name = STRBUF_INIT, email = STRBUF_INIT;
	const char *v;

	if ((v = getenv("CRM_USER")) && *v) {
		strbuf_addstr(user, v);
		return 0;
	}
	if (!crm_store_config_get(user, s, "crm.user") && user->len)
		return 0;
	strbuf_reset(user);
	crm_store_identity(s, &name, &email);
	v = strchr(email.buf, '@');
	if (v && v > email.buf)
		strbuf_add(user, email.buf, (size_t)(v - email.buf));
	else
		strbuf_addstr(user, name.buf);
	strbuf_release(&name);
	strbuf_release(&email);
	return 0;
}

/*
 * A git date as git accepts it in GIT_AUTHOR_DATE: "@<seconds> <+hhmm>",
 * "<seconds> <+hhmm>" or an ISO 8601 moment.
 */
static int parse_git_date(const char *v, time_t *t, int *offset)
{
	char *end;
	long long secs;

	secs = strtoll(v[0] == '@' ? v + 1 : v, &end, 10);
	if (end != v && *end == ' ' && (end[1] == '+' || end[1] == '-') &&
	    strlen(end + 1) == 5) {
		int tz = atoi(end + 2);

		*t = (time_t)secs;
		*offset = (end[1] == '-' ? -1 : 1) * (tz / 100 * 60 + tz % 100);
		return 0;
	}
	return crm_parse_moment(v, t, offset);
}

/*
 * A signature for `who` (AUTHOR or COMMITTER).  GIT_<who>_DATE is read
 * in git's raw and ISO forms; a date in another form is ignored and the
 * commit gets the current time rather than failing every write.
 */
static int make_signature(git_signature **out, struct crm_store *s,
			  const char *who)
{
	struct strbuf name = STRBUF_INIT, email = STRBUF_INIT, var = STRBUF_INIT;
	const char *v;
	time_t t;
	int offset, rc = 0;

	identity_for(s, who, &name, &email);
	strbuf_addf(&var, "GIT_%s_DATE", who);
	v = getenv(var.buf);
	if (!v || !*v || parse_git_date(v, &t, &offset))
		rc = crm_now(&t, &offset);
	if (!rc && git_signature_new(out, name.buf, email.buf, (git_time_t)t,
				     offset))
		rc = crm_git_error("cannot make a commit signature");
	strbuf_release(&name);
	strbuf_release(&email);
	strbuf_release(&var);
	return rc;
}

/*
 * libgit2 maps each pack and its index whole and reads them in place, and
 * the kernel maps 64 KiB around every page touched: a walk over a year
 * of history, or a push's look at every tree, leaves most of a 100 MiB
 * index and much of the pack counted as the process's memory, though no
 * page is used twice.  Dropping the pages from the mappings (they are
 * read-only, so nothing is lost; the page cache keeps them, and a later
 * read maps them again) keeps the process small without closing the
 * packs, which would also drop libgit2's cache of delta bases.  The
 * mappings are found by name in /proc/self/maps: on a system without
 * it this does nothing.
 */
void crm_release_pack_pages(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[4096];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char perms[8];
		int at = 0;
		const char *name;
		size_t n;

		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %n", &lo, &hi, perms,
			   &at) < 3 || !at || perms[0] != 'r' || perms[1] != '-')
			continue;
		name = line + at;
		n = strcspn(name, "\n");
		if (!strstr(name, "/objects/pack/pack-") ||
		    !((n > 4 && !memcmp(name + n - 4, ".idx", 4)) ||
		      (n > 5 && !memcmp(name + n - 5, ".pack", 5))))
			continue;
		madvise((void *)lo, hi - lo, MADV_DONTNEED);
	}
	fclose(f);
}

/*
 * An object database backend that holds nothing: asked first for every
 * object read, it lets go of the pack pages every so many reads and
 * passes the read on.  For a libgit2 call that reads many objects once
 * without coming back to us: a push reads every tree of both tips.
 */
struct releasing_backend {
	git_odb_backend parent;
	unsigned long every, reads;
};

static void count_read(git_odb_backend *backend)
{
	struct releasing_backend *b = (struct releasing_backend *)backend;

	if (++b->reads % b->every == 0)
		crm_release_pack_pages();
}

static int releasing_read(void **data, size_t *len, git_object_t *type,
			  git_odb_backend *backend, const git_oid *id)
{
	(void)data;
	(void)len;
	(void)type;
	(void)id;
	count_read(backend);
	return GIT_PASSTHROUGH;
}

static int releasing_read_header(size_t *len, git_object_t *type,
				 git_odb_backend *backend, const git_oid *id)
{
	(void)len;
	(void)type;
	(void)id;
	count_read(backend);
	return GIT_PASSTHROUGH;
}

static void releasing_free(git_odb_backend *backend)
{
	free(backend);
}

int crm_store_release_pages_on_read(struct crm_store *s, unsigned long every)
{
	return crm_repo_release_pages_on_read(s->repo, every);
}

int crm_repo_release_pages_on_read(git_repository *repo, unsigned long every)
{
	struct releasing_backend *b = xcalloc(1, sizeof(*b));
	git_odb *odb = NULL;
	int rc = 0;

	if (git_odb_init_backend(&b->parent, GIT_ODB_BACKEND_VERSION)) {
		free(b);
		return crm_git_error("cannot prepare the object database");
	}
	b->every = every ? every : 1;
	b->parent.read = releasing_read;
	b->parent.read_header = releasing_read_header;
	b->parent.free = releasing_free;
	/* above the packs and loose objects (priorities 1 and 2) */
	if (git_repository_odb(&odb, repo) ||
	    git_odb_add_backend(odb, &b->parent, 3000)) {
		free(b);
		rc = crm_git_error("cannot prepare the object database");
	}
	git_odb_free(odb);
	return rc;
}

int crm_store_head(struct crm_store *s, struct strbuf *branch, git_oid *tip,
		   int *unborn)
{
	git_reference *head = NULL;
	int rc = 0, err;

	if (git_reference_lookup(&head, s->repo, "HEAD"))
		return crm_git_error("cannot read HEAD");
	if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC) {
		crm_error_set(CRM_ERROR,
			      "HEAD is detached in '%s'; check out a branch "
			      "with 'crm git switch main'", s->root);
		rc = CRM_ERROR;
		goto done;
	}
	strbuf_addstr(branch, git_reference_symbolic_target(head));
	err = git_reference_name_to_id(tip, s->repo, branch->buf);
	*unborn = err == GIT_ENOTFOUND;
	if (err && !*unborn)
		rc = crm_git_error("cannot read the branch");
	if (*unborn) {
		memset(tip, 0, sizeof(*tip));
		git_error_clear();
	}
done:
	git_reference_free(head);
	return rc;
}

static void lock_path(struct strbuf *out, struct crm_store *s,
		      const char *name)
{
	strbuf_addf(out, "%s%s", s->gitdir, name);
}

static int write_file_via(const char *tmpdir, const char *path,
			  const char *data, size_t len, int durable);

#define STAGING_DIR "crm-tmp"

static int make_leading_dirs(const char *path);

/* 0, or -1 with errno set. */
static int write_all(int fd, const char *data, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

/*
 * A bulk commit writes its files in place, without a temporary file or a
 * sync each, and syncs the file system once: 100,000 renames and syncs
 * cost more than the import itself.  It is safe because the branch has
 * moved and the journal names every file: after a crash the next crm
 * writes them again from HEAD.
 */
static int write_in_place(const char *path, const char *data, size_t len,
			  struct stat *st)
{
	int fd, bad;

	/* private, as every record file crm writes (mkstemp's 0600) */
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	/* the directories are there but for a new shard: mkdir only then */
	if (fd < 0 && errno == ENOENT && !make_leading_dirs(path))
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
			  O_CLOEXEC, 0600);
	if (fd < 0) {
		crm_error_set_errno(CRM_ERROR, "cannot write '%s'", path);
		return CRM_ERROR;
	}
	bad = write_all(fd, data, len) || fstat(fd, st);
	if (close(fd) || bad) {
		crm_error_set_errno(CRM_ERROR, "cannot write '%s'", path);
		return CRM_ERROR;
	}
	return 0;
}

/*
 * Write a working-tree file durably, staged in .git/crm-tmp and renamed
 * into place, so a crash leaves the old file or the new one; `st` gets
 * its stat data, for the index.
 */
static int write_worktree_file(struct crm_store *s, const char *path,
			       const char *data, size_t len, struct stat *st)
{
	struct strbuf dir = STRBUF_INIT;
	int rc;

	lock_path(&dir, s, STAGING_DIR);
	rc = write_file_via(dir.buf, path, data, len, 1);
	strbuf_release(&dir);
	/* after the rename, which changes the file's ctime */
	if (!rc && lstat(path, st)) {
		crm_error_set_errno(CRM_ERROR, "cannot stat '%s'", path);
		rc = CRM_ERROR;
	}
	return rc;
}

/* Files a killed crm left half-written; we hold the lock, so none is ours. */
static void clean_staging(struct crm_store *s)
{
	struct strbuf dir = STRBUF_INIT, f = STRBUF_INIT;
	DIR *d;
	struct dirent *e;

	lock_path(&dir, s, STAGING_DIR);
	d = opendir(dir.buf);
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		strbuf_reset(&f);
		strbuf_addf(&f, "%s/%s", dir.buf, e->d_name);
		unlink(f.buf);
	}
	if (d)
		closedir(d);
	strbuf_release(&dir);
	strbuf_release(&f);
}

/*
 * A git lock file (index.lock, refs/heads/main.lock) left by a process
 * that was killed would block every write forever.  We hold crm's own
 * lock, so no crm is using it; git itself holds such a lock for
 * milliseconds.  One older than STALE_LOCK_SECONDS is taken as left
 * over and removed.  Returns 1 if it removed one.
 */
#define STALE_LOCK_SECONDS 30

static int lock_exists(struct crm_store *s, const char *name)
{
	struct strbuf path = STRBUF_INIT;
	int exists;

	lock_path(&path, s, name);
	exists = !access(path.buf, F_OK);
	strbuf_release(&path);
	return exists;
}

static int remove_stale_lock(struct crm_store *s, const char *name)
{
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	int removed = 0;

	lock_path(&path, s, name);
	if (!lstat(path.buf, &st) &&
	    time(NULL) - st.st_mtime > STALE_LOCK_SECONDS &&
	    !unlink(path.buf))
		removed = 1;
	strbuf_release(&path);
	if (removed)
		git_error_clear();
	return removed;
}

static int fsync_dir_of(const char *path)
{
	struct strbuf dir = STRBUF_INIT;
	const char *slash = strrchr(path, '/');
	int fd, rc = 0;

	strbuf_add(&dir, path, slash ? (size_t)(slash - path) : 1);
	fd = open(dir.buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		if (fsync(fd) && errno != EINVAL)
			rc = -1;
		close(fd);
	}
	strbuf_release(&dir);
	return rc;
}

/* mkdir -p of the directories leading to `path` (a file). */
static int make_leading_dirs(const char *path)
{
	struct strbuf dir = STRBUF_INIT;
	const char *p;
	int rc = 0;

	for (p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		strbuf_reset(&dir);
		strbuf_add(&dir, path, (size_t)(p - path));
		if (mkdir(dir.buf, 0777) && errno != EEXIST) {
			crm_error_set_errno(CRM_ERROR, "cannot create '%s'",
					    dir.buf);
			rc = CRM_ERROR;
			break;
		}
	}
	strbuf_release(&dir);
	return rc;
}

/*
 * Replace `path` atomically: a temporary file in the same directory,
 * fsynced, renamed over the old one, and the directory fsynced, so a
 * crash leaves either the old content or the new, never a mix.
 */
int crm_write_file_atomic(const char *path, const char *data, size_t len)
{
	return write_file_via(NULL, path, data, len, 1);
}

int crm_write_file_replace(const char *path, const char *data, size_t len)
{
	return write_file_via(NULL, path, data, len, 0);
}

static int replace_file(const char *tmp, const char *path, int staged)
{
	if (!rename(tmp, path))
		return 0;
	/* staged in another directory: the file's own may not exist yet */
	if (errno == ENOENT && staged) {
		if (make_leading_dirs(path))
			return CRM_ERROR;
		if (!rename(tmp, path))
			return 0;
	}
	crm_error_set_errno(CRM_ERROR, "cannot replace '%s'", path);
	return CRM_ERROR;
}

/*
 * The temporary file goes in `tmpdir` (on the same file system) when one
 * is given, else next to `path`: working-tree files are staged under
 * .git so a crm killed mid-write leaves nothing for `git status` to see.
 */
static int begin_file_via(struct crm_file_writer *w, const char *tmpdir,
			  const char *path)
{
	const char *slash = strrchr(path, '/');

	strbuf_init(&w->tmp);
	w->path = xstrdup(path);
	w->staged = tmpdir != NULL;
	if (tmpdir)
		strbuf_addf(&w->tmp, "%s/", tmpdir);
	else
		strbuf_add(&w->tmp, path,
			   slash ? (size_t)(slash - path + 1) : 0);
	strbuf_addf(&w->tmp, ".%s.tmp-XXXXXX", slash ? slash + 1 : path);
	w->fd = mkstemp(w->tmp.buf);
	/* directories are made when missing, not tried every time */
	if (w->fd < 0 && errno == ENOENT) {
		if (!tmpdir && make_leading_dirs(path))
			goto fail;
		if (tmpdir && mkdir(tmpdir, 0700) && errno != EEXIST) {
			crm_error_set_errno(CRM_ERROR, "cannot create '%s'",
					    tmpdir);
			goto fail;
		}
		/* mkstemp replaced the Xs of the name it tried */
		memcpy(w->tmp.buf + w->tmp.len - 6, "XXXXXX", 6);
		w->fd = mkstemp(w->tmp.buf);
	}
	if (w->fd >= 0)
		return 0;
	crm_error_set_errno(CRM_ERROR, "cannot create a file next to '%s'",
			    path);
fail:
	/* nothing was created: nothing to unlink */
	strbuf_reset(&w->tmp);
	crm_file_cancel(w);
	return CRM_ERROR;
}

int crm_file_begin(struct crm_file_writer *w, const char *path)
{
	return begin_file_via(w, NULL, path);
}

int crm_file_write(struct crm_file_writer *w, const void *data, size_t len)
{
	if (!write_all(w->fd, data, len))
		return 0;
	crm_error_set_errno(CRM_ERROR, "cannot write '%s'", w->tmp.buf);
	return CRM_ERROR;
}

static int finish_file(struct crm_file_writer *w, int durable)
{
	int rc = CRM_ERROR;

	if (durable && fsync(w->fd)) {
		crm_error_set_errno(CRM_ERROR, "cannot sync '%s'", w->tmp.buf);
		goto done;
	}
	if (close(w->fd)) {
		w->fd = -1;
		crm_error_set_errno(CRM_ERROR, "cannot write '%s'", w->tmp.buf);
		goto done;
	}
	w->fd = -1;
	if (replace_file(w->tmp.buf, w->path, w->staged))
		goto done;
	if (durable)
		fsync_dir_of(w->path);
	/* renamed: nothing left to unlink */
	strbuf_reset(&w->tmp);
	rc = 0;
done:
	crm_file_cancel(w);
	return rc;
}

int crm_file_commit(struct crm_file_writer *w)
{
	return finish_file(w, 1);
}

void crm_file_cancel(struct crm_file_writer *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	if (w->tmp.len)
		unlink(w->tmp.buf);
	strbuf_release(&w->tmp);
	free(w->path);
	w->path = NULL;
}

static int write_file_via(const char *tmpdir, const char *path,
			  const char *data, size_t len, int durable)
{
	struct crm_file_writer w;

	if (begin_file_via(&w, tmpdir, path))
		return CRM_ERROR;
	if (crm_file_write(&w, data, len)) {
		crm_file_cancel(&w);
		return CRM_ERROR;
	}
	return finish_file(&w, durable);
}

static int remove_worktree_file(const char *path)
{
	struct strbuf dir = STRBUF_INIT;
	const char *slash = strrchr(path, '/');

	if (unlink(path) && errno != ENOENT) {
		crm_error_set_errno(CRM_ERROR, "cannot remove '%s'", path);
		return CRM_ERROR;
	}
	/* an emptied shard directory goes too, as git would leave it */
	if (slash) {
		strbuf_add(&dir, path, (size_t)(slash - path));
		rmdir(dir.buf);
	}
	fsync_dir_of(path);
	strbuf_release(&dir);
	return 0;
}

/*
 * git holds index.lock for milliseconds while it works: wait a little
 * for it, and remove one left by a killed process.
 */
static int write_index(struct crm_store *s, git_index *index)
{
	int attempt, err = 0;

	for (attempt = 0; attempt < 200; attempt++) {
		err = git_index_write(index);
		if (err != GIT_ELOCKED)
			break;
		if (remove_stale_lock(s, "index.lock"))
			continue;
		git_error_clear();
		usleep(10000);
	}
	return err ? crm_git_error("cannot write the index") : 0;
}

/* An index entry for a file we just wrote, without hashing it again. */
static void stat_written(struct crm_index_update *u, const char *path,
			 const struct stat *st, const git_oid *id)
{
	memset(u, 0, sizeof(*u));
	u->path = path;
	u->ctime_s = (uint32_t)st->st_ctim.tv_sec;
	u->ctime_ns = (uint32_t)st->st_ctim.tv_nsec;
	u->mtime_s = (uint32_t)st->st_mtim.tv_sec;
	u->mtime_ns = (uint32_t)st->st_mtim.tv_nsec;
	u->dev = (uint32_t)st->st_dev;
	u->ino = (uint32_t)st->st_ino;
	u->mode = GIT_FILEMODE_BLOB;
	u->uid = (uint32_t)st->st_uid;
	u->gid = (uint32_t)st->st_gid;
	u->size = (uint32_t)st->st_size;
	memcpy(u->id, id->id, GIT_OID_RAWSZ);
}

static int index_add_written(git_index *index, const struct crm_index_update *u)
{
	git_index_entry e;

	memset(&e, 0, sizeof(e));
	e.ctime.seconds = (int32_t)u->ctime_s;
	e.ctime.nanoseconds = u->ctime_ns;
	e.mtime.seconds = (int32_t)u->mtime_s;
	e.mtime.nanoseconds = u->mtime_ns;
	e.dev = u->dev;
	e.ino = u->ino;
	e.mode = u->mode;
	e.uid = u->uid;
	e.gid = u->gid;
	e.file_size = u->size;
	memcpy(e.id.id, u->id, GIT_OID_RAWSZ);
	e.path = u->path;
	if (git_index_add(index, &e))
		return crm_git_error("cannot update the index");
	return 0;
}

static int update_cmp(const void *a, const void *b)
{
	return strcmp(((const struct crm_index_update *)a)->path,
		      ((const struct crm_index_update *)b)->path);
}

/* The working-tree file is still the blob the index names (racy check). */
static int worktree_same(const char *path, const unsigned char id[20],
			 void *data)
{
	struct crm_store *s = data;
	struct strbuf full = STRBUF_INIT;
	git_oid now;
	int same;

	crm_store_abspath(&full, s, path);
	same = !git_odb_hashfile(&now, full.buf, GIT_OBJECT_BLOB) &&
	       !memcmp(now.id, id, GIT_OID_RAWSZ);
	git_error_clear();
	strbuf_release(&full);
	return same;
}

/* Take .git/index.lock as git does; wait for git to let it go. */
static int take_index_lock(struct crm_store *s, const char *lock)
{
	int attempt, fd = -1;

	for (attempt = 0; attempt < 200 && fd < 0; attempt++) {
		fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			break;
		if (!remove_stale_lock(s, "index.lock"))
			usleep(10000);
	}
	if (fd < 0)
		crm_error_set_errno(CRM_ERROR, "cannot lock the index "
				    "('%s')", lock);
	return fd;
}

/*
 * The fast path of index-patch.h, under the index lock.  Returns 0 when
 * the index was written, 1 when the patch does not apply (nothing
 * written), or an error.
 */
static int patch_index(struct crm_store *s, const struct crm_index_update *up,
		       size_t n)
{
	struct strbuf index = STRBUF_INIT, lock = STRBUF_INIT;
	struct strbuf tail = STRBUF_INIT;
	unsigned char *map = MAP_FAILED;
	struct stat st;
	size_t keep = 0;
	int fd, in = -1, bad, rc = 1;

	strbuf_addf(&index, "%sindex", crm_store_gitdir(s));
	strbuf_addf(&lock, "%s.lock", index.buf);
	fd = take_index_lock(s, lock.buf);
	if (fd < 0) {
		rc = CRM_ERROR;
		goto done;
	}
	/*
	 * A private, writable mapping: the patched pages are copied, the
	 * rest is the page cache, mapped in one call (reading 8 MB into
	 * fresh memory at 100k records cost more than all the rest).
	 */
	in = open(index.buf, O_RDONLY | O_CLOEXEC);
	if (in >= 0 && !fstat(in, &st) && st.st_size > 0)
		map = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_POPULATE, in, 0);
	if (map == MAP_FAILED ||
	    crm_index_patch(map, (size_t)st.st_size, up, n,
			    (uint32_t)st.st_mtim.tv_sec, worktree_same, s,
			    &keep, &tail)) {
		close(fd);
		unlink(lock.buf);
		goto done;
	}
	bad = write_all(fd, (const char *)map, keep) ||
	      write_all(fd, tail.buf, tail.len);
	if (close(fd) || bad || rename(lock.buf, index.buf)) {
		crm_error_set_errno(CRM_ERROR, "cannot write the index");
		unlink(lock.buf);
		rc = CRM_ERROR;
		goto done;
	}
	rc = 0;
done:
	if (map != MAP_FAILED)
		munmap(map, (size_t)st.st_size);
	if (in >= 0)
		close(in);
	strbuf_release(&index);
	strbuf_release(&lock);
	strbuf_release(&tail);
	return rc;
}

/* The index the slow way: libgit2 reads it whole and writes it whole. */
static int update_index(struct crm_store *s,
			const struct crm_index_update *up, size_t n,
			const char *const *removed, size_t nremoved)
{
	git_index *index = NULL;
	size_t i;
	int rc = 0;

	if (git_repository_index(&index, s->repo) ||
	    git_index_read(index, 0)) {
		rc = crm_git_error("cannot read the index");
		goto done;
	}
	for (i = 0; i < nremoved && !rc; i++)
		if (git_index_remove_bypath(index, removed[i]))
			rc = crm_git_error("cannot update the index");
	for (i = 0; i < n && !rc; i++)
		rc = index_add_written(index, &up[i]);
	if (!rc)
		rc = write_index(s, index);
done:
	git_index_free(index);
	return rc;
}

/*
 * The directories of a tree, each read once: git_tree_entry_bypath reads
 * every directory on the path again, and libgit2 keeps no tree over 4 KB
 * in its cache -- a shard of 400 records is 20 KB -- so an import of
 * 100,000 records inflated and parsed 100,000 shard trees.
 */
struct dir_trees {
	struct crm_strmap index;	/* directory -> position in trees */
	git_tree **trees;		/* NULL: the directory is not there */
	size_t n, alloc;
};

/* `path`'s entry in `root`, or NULL when there is none. */
static int dir_trees_find(struct dir_trees *d, struct crm_store *s,
			  git_tree *root, const char *path,
			  const git_tree_entry **out)
{
	const char *slash = strrchr(path, '/');
	struct strbuf dir = STRBUF_INIT;
	git_tree_entry *e = NULL;
	git_tree *t = NULL;
	size_t at;
	int rc = 0;

	*out = NULL;
	if (!slash) {
		*out = git_tree_entry_byname(root, path);
		return 0;
	}
	strbuf_add(&dir, path, (size_t)(slash - path));
	if (!crm_strmap_get(&d->index, dir.buf, &at)) {
		if (!git_tree_entry_bypath(&e, root, dir.buf) &&
		    git_tree_entry_type(e) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&t, s->repo, git_tree_entry_id(e)))
			rc = crm_git_error("cannot read a tree");
		git_error_clear();
		git_tree_entry_free(e);
		ALLOC_GROW(d->trees, d->n + 1, d->alloc);
		at = d->n;
		d->trees[d->n++] = t;
		crm_strmap_put(&d->index, dir.buf, at);
	}
	if (!rc && d->trees[at])
		*out = git_tree_entry_byname(d->trees[at], slash + 1);
	strbuf_release(&dir);
	return rc;
}

static void dir_trees_release(struct dir_trees *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		git_tree_free(d->trees[i]);
	free(d->trees);
	crm_strmap_release(&d->index);
}

/*
 * A file of a bulk commit, to be written on one of several threads: an
 * import writes 100,000 of them, and creating a file is mostly kernel
 * work that two cores do side by side.
 */
struct bulk_file {
	char *full;
	const char *path;
	const void *content;
	size_t len;
	git_blob *blob;			/* holds content when read back */
	git_oid id;
};

struct bulk_job {
	struct bulk_file *files;
	struct crm_index_update *up;	/* up[i] for files[i] */
	size_t n, next;
	size_t failed;			/* the first file that failed, or n */
	struct strbuf message;
	pthread_mutex_t lock;
};

static void bulk_worker(void *arg)
{
	struct bulk_job *job = arg;

	for (;;) {
		struct stat st;
		size_t i;

		pthread_mutex_lock(&job->lock);
		i = job->failed < job->n ? job->n : job->next++;
		pthread_mutex_unlock(&job->lock);
		if (i >= job->n)
			break;
		if (write_in_place(job->files[i].full, job->files[i].content,
				   job->files[i].len, &st)) {
			pthread_mutex_lock(&job->lock);
			if (i < job->failed) {
				job->failed = i;
				strbuf_reset(&job->message);
				strbuf_addstr(&job->message, crm_error_last());
			}
			pthread_mutex_unlock(&job->lock);
			continue;
		}
		crash_point("worktree");
		stat_written(&job->up[i], job->files[i].path, &st,
			     &job->files[i].id);
	}
}

#define BULK_THREADS 2

static int write_bulk(struct bulk_file *files, size_t n,
		      struct crm_index_update *up)
{
	struct bulk_job job;
	int rc = 0;

	memset(&job, 0, sizeof(job));
	job.files = files;
	job.up = up;
	job.n = n;
	job.failed = n;
	strbuf_init(&job.message);
	pthread_mutex_init(&job.lock, NULL);
	/* below a few hundred files a thread costs more than it saves */
	crm_parallel(n >= 256 ? BULK_THREADS : 1, bulk_worker, &job);
	pthread_mutex_destroy(&job.lock);
	if (job.failed < n) {
		crm_error_set(CRM_ERROR, "%s", job.message.buf);
		rc = CRM_ERROR;
	}
	strbuf_release(&job.message);
	return rc;
}

/*
 * Make the working-tree file and index entry of each path match `tree`
 * (or be absent).  `data`, when given, holds each path's content (it is
 * in `tree` already: no need to read the blob back).  Used after a
 * commit moved the branch, and by crash recovery.
 */
static int sync_worktree(struct crm_store *s, git_tree *tree,
			 const char *const *paths, size_t npaths,
			 const struct crm_change *data, int bulk)
{
	struct strbuf full = STRBUF_INIT;
	struct crm_index_update *up = xcalloc(npaths ? npaths : 1, sizeof(*up));
	const char **removed = xcalloc(npaths ? npaths : 1, sizeof(*removed));
	struct bulk_file *files = NULL;
	struct dir_trees dirs;
	size_t i, nup = 0, nremoved = 0, nfiles = 0;
	int rc = 0;

	memset(&dirs, 0, sizeof(dirs));
	if (bulk)
		files = xcalloc(npaths ? npaths : 1, sizeof(*files));
	for (i = 0; i < npaths && !rc; i++) {
		const git_tree_entry *entry;
		git_blob *blob = NULL;
		const void *content;
		struct stat st;
		size_t len;

		strbuf_reset(&full);
		crm_store_abspath(&full, s, paths[i]);
		if ((rc = dir_trees_find(&dirs, s, tree, paths[i], &entry)))
			break;
		if (!entry) {
			rc = remove_worktree_file(full.buf);
			removed[nremoved++] = paths[i];
			continue;
		}
		if (data && data[i].data) {
			content = data[i].data;
			len = data[i].len;
		} else if (git_blob_lookup(&blob, s->repo,
					   git_tree_entry_id(entry))) {
			rc = crm_git_error("cannot read a blob");
			break;
		} else {
			content = git_blob_rawcontent(blob);
			len = (size_t)git_blob_rawsize(blob);
		}
		if (bulk) {
			struct bulk_file *f = &files[nfiles++];

			f->full = xstrdup(full.buf);
			f->path = paths[i];
			f->content = content;
			f->len = len;
			f->blob = blob;
			git_oid_cpy(&f->id, git_tree_entry_id(entry));
			continue;
		}
		rc = write_worktree_file(s, full.buf, content, len, &st);
		crash_point("worktree");
		if (!rc)
			stat_written(&up[nup++], paths[i], &st,
				     git_tree_entry_id(entry));
		git_blob_free(blob);
	}
	dir_trees_release(&dirs);
	if (bulk && !rc) {
		rc = write_bulk(files, nfiles, up);
		nup = nfiles;
	}
	for (i = 0; i < nfiles; i++) {
		free(files[i].full);
		git_blob_free(files[i].blob);
	}
	free(files);
	/*
	 * Sorted by path, as the patch needs; and libgit2 inserts each entry
	 * at its place in one array, so an import in file order moved half
	 * of it every time.
	 */
	qsort(up, nup, sizeof(*up), update_cmp);
	if (!rc && (nremoved || !nup || (rc = patch_index(s, up, nup)) == 1))
		rc = update_index(s, up, nup, removed, nremoved);
	/* a bulk commit made its files durable all at once */
	if (!rc && bulk) {
		int fd = open(s->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (fd >= 0) {
			syncfs(fd);
			close(fd);
		}
	}
	free(up);
	free(removed);
	strbuf_release(&full);
	return rc;
}

static int journal_write(struct crm_store *s, const git_oid *commit,
			 const struct crm_change *changes, size_t n)
{
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;
	int rc;

	git_oid_tostr(hex, sizeof(hex), commit);
	strbuf_addf(&body, "%s\n", hex);
	for (i = 0; i < n; i++)
		strbuf_addf(&body, "%s\n", changes[i].path);
	lock_path(&path, s, JOURNAL_FILE);
	rc = crm_write_file_atomic(path.buf, body.buf, body.len);
	strbuf_release(&path);
	strbuf_release(&body);
	return rc;
}

static void journal_remove(struct crm_store *s)
{
	struct strbuf path = STRBUF_INIT;

	lock_path(&path, s, JOURNAL_FILE);
	unlink(path.buf);
	strbuf_release(&path);
}

/*
 * The journal says a crm died mid-commit.  A git lock file made after
 * the journal was made by that crm (it takes the branch lock and the
 * index lock after writing the journal, and we hold crm's lock now), so
 * it is removed at once rather than blocking writes until it is stale.
 */
static void remove_locks_of_dead_crm(struct crm_store *s, const char *journal,
				     const char *branch)
{
	struct strbuf lock = STRBUF_INIT;
	struct stat jst, lst;
	const char *names[2];
	size_t i;

	if (stat(journal, &jst))
		return;
	names[0] = "index";
	names[1] = branch;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		strbuf_reset(&lock);
		lock_path(&lock, s, names[i]);
		strbuf_addstr(&lock, ".lock");
		if (!lstat(lock.buf, &lst) &&
		    (lst.st_mtim.tv_sec > jst.st_mtim.tv_sec ||
		     (lst.st_mtim.tv_sec == jst.st_mtim.tv_sec &&
		      lst.st_mtim.tv_nsec >= jst.st_mtim.tv_nsec)))
			unlink(lock.buf);
	}
	strbuf_release(&lock);
}

/*
 * A crm killed between moving the branch and updating the working tree
 * left a journal naming its commit and paths.  If the branch is at that
 * commit, finish the job (roll forward); otherwise the branch never
 * moved and the working tree was never touched, so there is nothing to
 * undo.
 */
static int journal_recover(struct crm_store *s)
{
	struct strbuf path = STRBUF_INIT, body = STRBUF_INIT, branch = STRBUF_INIT;
	const char **paths = NULL;
	size_t npaths = 0, alloc = 0;
	git_oid journal_commit, tip;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	char *line, *next;
	int unborn, rc = 0;
	FILE *f;

	lock_path(&path, s, JOURNAL_FILE);
	f = fopen(path.buf, "r");
	if (!f)
		goto done;
	{
		char buf[4096];
		size_t n;

		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			strbuf_add(&body, buf, n);
		fclose(f);
	}
	next = strchr(body.buf, '\n');
	if (!next || git_oid_fromstrn(&journal_commit, body.buf,
				      (size_t)(next - body.buf)))
		goto remove;	/* torn journal: written before the ref moved */
	for (line = next + 1; *line; line = next + 1) {
		next = strchr(line, '\n');
		if (!next)
			break;
		*next = '\0';
		ALLOC_GROW(paths, npaths + 1, alloc);
		paths[npaths++] = line;
	}
	if ((rc = crm_store_head(s, &branch, &tip, &unborn)))
		goto done;
	remove_locks_of_dead_crm(s, path.buf, branch.buf);
	if (!unborn && git_oid_equal(&tip, &journal_commit)) {
		if (git_commit_lookup(&commit, s->repo, &tip) ||
		    git_commit_tree(&tree, commit)) {
			rc = crm_git_error("cannot read HEAD");
			goto done;
		}
		if ((rc = sync_worktree(s, tree, paths, npaths, NULL, 0)))
			goto done;
	}
remove:
	journal_remove(s);
done:
	git_tree_free(tree);
	git_commit_free(commit);
	free(paths);
	strbuf_release(&path);
	strbuf_release(&body);
	strbuf_release(&branch);
	return rc;
}

int crm_store_recover(struct crm_store *s)
{
	struct strbuf path = STRBUF_INIT;
	int pending;

	lock_path(&path, s, JOURNAL_FILE);
	pending = !access(path.buf, F_OK);
	strbuf_release(&path);
	/* a crm died mid-commit: take the lock, which finishes its work */
	return pending ? crm_store_lock(s) : 0;
}

int crm_store_lock(struct crm_store *s)
{
	struct strbuf path = STRBUF_INIT;
	int waited_ms = 0, rc = 0;

	if (s->lock_fd >= 0)
		return 0;
	lock_path(&path, s, LOCK_FILE);
	s->lock_fd = open(path.buf, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (s->lock_fd < 0) {
		crm_error_set_errno(CRM_ERROR, "cannot open '%s'", path.buf);
		rc = CRM_ERROR;
		goto done;
	}
	/*
	 * flock, not a lock file: the kernel drops it when a holder dies,
	 * so a killed crm can never leave the store locked.
	 */
	while (flock(s->lock_fd, LOCK_EX | LOCK_NB)) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			crm_error_set_errno(CRM_ERROR, "cannot lock '%s'",
					    path.buf);
			rc = CRM_ERROR;
			break;
		}
		if (waited_ms >= LOCK_WAIT_SECONDS * 1000) {
			crm_error_set(CRM_ELOCKED,
				      "another crm has been writing to '%s' for "
				      "%d seconds; try again later", s->root,
				      LOCK_WAIT_SECONDS);
			rc = CRM_ELOCKED;
			break;
		}
		/* short naps: a crm write takes milliseconds */
		usleep(2000 + (unsigned)(rand() % 3000));
		waited_ms += 4;
	}
	if (rc) {
		close(s->lock_fd);
		s->lock_fd = -1;
		goto done;
	}
	clean_staging(s);
	rc = journal_recover(s);
done:
	strbuf_release(&path);
	return rc;
}

/*
 * A bulk commit's blob ids, hashed on several threads: libgit2 would
 * hash each with its slower collision-detecting SHA-1 and, before
 * writing it, look for it in every pack and as a loose file, then
 * rescan the pack directory when it is not found -- most of the time
 * of writing 100,000 new blobs.
 */
struct blob_hash_job {
	const struct crm_change *changes;
	git_tree_update *updates;
};

#define HASH_BATCH 256

static void hash_blobs(size_t begin, size_t end, void *arg)
{
	struct blob_hash_job *job = arg;
	size_t i;

	for (i = begin; i < end; i++)
		if (job->changes[i].data)
			crm_blob_id(job->updates[i].id.id, job->changes[i].data,
				    job->changes[i].len);
}

/*
 * Put the new blobs straight into the in-memory backend: they reach
 * the repository in the pack that bulk_write_pack makes of them.
 */
static int write_blobs_bulk(git_odb_backend *mempack,
			    const struct crm_change *changes,
			    git_tree_update *updates, size_t n)
{
	struct blob_hash_job job = { changes, updates };
	size_t i;

	crm_parallel_batches(2, n, HASH_BATCH, hash_blobs, &job);
	for (i = 0; i < n; i++)
		if (changes[i].data &&
		    mempack->write(mempack, &updates[i].id, changes[i].data,
				   changes[i].len, GIT_OBJECT_BLOB))
			return crm_git_error("cannot store a record");
	return 0;
}

static int build_tree(git_oid *out, struct crm_store *s, git_tree *base,
		      const struct crm_change *changes, size_t n,
		      git_odb_backend *mempack)
{
	git_tree_update *updates = xcalloc(n ? n : 1, sizeof(*updates));
	size_t i;
	int rc = 0;

	for (i = 0; i < n; i++) {
		updates[i].path = changes[i].path;
		if (!changes[i].data) {
			updates[i].action = GIT_TREE_UPDATE_REMOVE;
			continue;
		}
		updates[i].action = GIT_TREE_UPDATE_UPSERT;
		updates[i].filemode = GIT_FILEMODE_BLOB;
		if (!mempack &&
		    git_blob_create_from_buffer(&updates[i].id, s->repo,
						changes[i].data, changes[i].len)) {
			rc = crm_git_error("cannot store a record");
			goto done;
		}
	}
	if (mempack && (rc = write_blobs_bulk(mempack, changes, updates, n)))
		goto done;
	/* a NULL base (the first commit) starts from an empty tree */
	if (git_tree_create_updated(out, s->repo, base, n, updates))
		rc = crm_git_error("cannot build the tree");
done:
	free(updates);
	return rc;
}

static int update_ref(struct crm_store *s, git_reference **ref,
		      const char *branch, const git_oid *id,
		      const git_oid *expected, const char *message)
{
	s->wrote_objects = 1;
	if (!expected)
		return git_reference_create(ref, s->repo, branch, id, 0,
					    message);
	return git_reference_create_matching(ref, s->repo, branch, id, 1,
					     expected, message);
}

static int commit_once(struct crm_store *s, const struct crm_change *changes,
		       size_t nchanges, const char *message, int bulk,
		       const git_oid *second_parent);

#define COMMIT_ATTEMPTS 50

int crm_store_commit(struct crm_store *s, const struct crm_change *changes,
		     size_t nchanges, const char *message)
{
	return crm_store_commit_ext(s, changes, nchanges, message, 0);
}

int crm_store_commit_ext(struct crm_store *s, const struct crm_change *changes,
			 size_t nchanges, const char *message, unsigned flags)
{
	int attempt, rc = 0;

	/*
	 * Other crm processes wait for our lock, but a plain `git commit`
	 * does not: if the branch moved under us, build on the new tip.
	 */
	for (attempt = 0; attempt < COMMIT_ATTEMPTS; attempt++) {
		rc = commit_once(s, changes, nchanges, message,
				 !!(flags & CRM_COMMIT_BULK), NULL);
		if (rc != CRM_EMODIFIED && rc != CRM_ELOCKED)
			break;
		/* backoff: 1, 2, 4 ... ms, then up to 64 ms, with jitter */
		usleep((useconds_t)(1000 << (attempt < 6 ? attempt : 6)) +
		       (useconds_t)(rand() % 2000));
	}
	return rc;
}

/*
 * Bulk commits (an import of 100,000 customers) keep their new objects
 * in memory and write them as one pack: one file to sync instead of a
 * loose object, its directory and its sync for every record.
 */
static int bulk_begin(struct crm_store *s, git_odb_backend **mempack)
{
	git_odb *odb = NULL;
	int rc = 0;

	*mempack = NULL;
	if (git_repository_odb(&odb, s->repo) || git_mempack_new(mempack) ||
	    git_odb_add_backend(odb, *mempack, 1000)) {
		rc = crm_git_error("cannot prepare a bulk commit");
		if (*mempack)
			(*mempack)->free(*mempack);
		*mempack = NULL;
	}
	git_odb_free(odb);
	return rc;
}

struct object_ids {
	git_oid *ids;
	size_t n, alloc;
};

static void object_ids_add(struct object_ids *l, const git_oid *id)
{
	ALLOC_GROW(l->ids, l->n + 1, l->alloc);
	git_oid_cpy(&l->ids[l->n++], id);
}

/*
 * Collect for the pack what `tree` has that `base` has not: trees whose
 * ids differ are read, the same subtree id is skipped whole, so a small
 * import into a large store packs a few trees and its own blobs.
 * (git_mempack_dump packs every object the commit reaches: a two-row
 * import into 100,000 customers wrote all of them again.)
 */
static int new_objects(struct object_ids *out, git_repository *repo,
		       const git_tree *tree, const git_tree *base)
{
	size_t i, n = git_tree_entrycount(tree);

	object_ids_add(out, git_tree_id(tree));
	for (i = 0; i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const git_tree_entry *old = base ?
			git_tree_entry_byname(base, git_tree_entry_name(e)) : NULL;
		git_object_t type = git_tree_entry_type(e);
		git_tree *sub = NULL, *old_sub = NULL;
		int rc;

		if (old && git_tree_entry_type(old) == type &&
		    git_oid_equal(git_tree_entry_id(old), git_tree_entry_id(e)))
			continue;
		if (type == GIT_OBJECT_BLOB) {
			object_ids_add(out, git_tree_entry_id(e));
			continue;
		}
		if (type != GIT_OBJECT_TREE)
			continue;
		rc = git_tree_lookup(&sub, repo, git_tree_entry_id(e));
		if (!rc && old && git_tree_entry_type(old) == GIT_OBJECT_TREE)
			rc = git_tree_lookup(&old_sub, repo,
					     git_tree_entry_id(old));
		if (!rc)
			rc = new_objects(out, repo, sub, old_sub);
		git_tree_free(sub);
		git_tree_free(old_sub);
		if (rc)
			return -1;
	}
	return 0;
}

static int bulk_write_pack(struct crm_store *s, git_odb_backend *mempack,
			   const git_oid *commit, const git_tree *tree,
			   const git_tree *base)
{
	struct object_ids objects = { NULL, 0, 0 };
	int rc;

	object_ids_add(&objects, commit);
	if (new_objects(&objects, s->repo, tree, base))
		rc = crm_git_error("cannot write the pack");
	else
		rc = crm_pack_write(s->repo, objects.ids, objects.n);
	git_mempack_reset(mempack);
	free(objects.ids);
	return rc;
}

/* Drop the in-memory backend: reopen the repository. */
static int bulk_end(struct crm_store *s)
{
	git_repository *repo = NULL;

	if (git_repository_open_ext(&repo, s->root,
				    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL))
		return crm_git_error("cannot reopen the store");
	git_repository_free(s->repo);
	s->repo = repo;
	return 0;
}

int crm_store_commit_merge(struct crm_store *s,
			   const struct crm_change *changes, size_t n,
			   const char *message, const git_oid *second_parent)
{
	return commit_once(s, changes, n, message, 0, second_parent);
}

static int commit_once(struct crm_store *s, const struct crm_change *changes,
		       size_t nchanges, const char *message, int bulk,
		       const git_oid *second_parent)
{
	git_odb_backend *mempack = NULL;
	git_commit *other = NULL;
	const git_commit *parents[2];
	size_t nparents = 0;
	struct strbuf branch = STRBUF_INIT, msg = STRBUF_INIT;
	git_signature *author = NULL, *committer = NULL;
	git_commit *parent = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_reference *ref = NULL;
	git_oid tip, tree_id, commit_id;
	const char **paths = NULL;
	size_t i;
	int unborn, rc;

	if (s->lock_fd < 0) {
		crm_error_set(CRM_ERROR, "internal error: commit without the lock");
		return CRM_ERROR;
	}
	if ((rc = crm_store_head(s, &branch, &tip, &unborn)))
		goto done;
	if (!unborn && (git_commit_lookup(&parent, s->repo, &tip) ||
			git_commit_tree(&base, parent))) {
		rc = crm_git_error("cannot read the branch tip");
		goto done;
	}
	if (bulk && (rc = bulk_begin(s, &mempack)))
		goto done;
	if ((rc = build_tree(&tree_id, s, base, changes, nchanges, mempack)))
		goto done;
	crash_point("objects");
	if (!second_parent && base && git_oid_equal(&tree_id, git_tree_id(base))) {
		crm_error_set(CRM_EUNCHANGED, "nothing changed");
		rc = CRM_EUNCHANGED;
		goto done;
	}
	if (git_tree_lookup(&tree, s->repo, &tree_id)) {
		rc = crm_git_error("cannot read the new tree");
		goto done;
	}
	if ((rc = make_signature(&author, s, "AUTHOR")) ||
	    (rc = make_signature(&committer, s, "COMMITTER")))
		goto done;
	strbuf_addstr(&msg, message);
	if (!msg.len || msg.buf[msg.len - 1] != '\n')
		strbuf_addch(&msg, '\n');
	if (parent)
		parents[nparents++] = parent;
	if (second_parent) {
		if (git_commit_lookup(&other, s->repo, second_parent)) {
			rc = crm_git_error("cannot read the commit to merge");
			goto done;
		}
		parents[nparents++] = other;
	}
	if (git_commit_create(&commit_id, s->repo, NULL, author, committer,
			      NULL, msg.buf, tree, nparents, parents)) {
		rc = crm_git_error("cannot create the commit");
		goto done;
	}
	if (mempack &&
	    (rc = bulk_write_pack(s, mempack, &commit_id, tree, base)))
		goto done;
	crash_point("commit");
	if ((rc = journal_write(s, &commit_id, changes, nchanges)))
		goto done;
	crash_point("journal");
	/* compare-and-swap: fails if anyone moved the branch meanwhile */
	rc = update_ref(s, &ref, branch.buf, &commit_id, unborn ? NULL : &tip,
			message);
	if (rc && rc != GIT_EMODIFIED && rc != GIT_EEXISTS) {
		/* libgit2 1.5 reports a held ref lock as a plain error */
		struct strbuf name = STRBUF_INIT;

		strbuf_addf(&name, "%s.lock", branch.buf);
		if (remove_stale_lock(s, name.buf))
			rc = update_ref(s, &ref, branch.buf, &commit_id,
					unborn ? NULL : &tip, message);
		else if (lock_exists(s, name.buf)) {
			/* git is committing: try again, a little later */
			crm_error_set(CRM_ELOCKED, "'%s%s' is held by another "
				      "program (git?); if none is running, "
				      "remove it", s->gitdir, name.buf);
			strbuf_release(&name);
			journal_remove(s);
			rc = CRM_ELOCKED;
			goto done;
		}
		strbuf_release(&name);
	}
	if (rc) {
		if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS) {
			crm_error_set(CRM_EMODIFIED,
				      "the branch moved while crm was writing");
			rc = CRM_EMODIFIED;
		} else {
			rc = crm_git_error("cannot update the branch");
		}
		journal_remove(s);
		goto done;
	}
	crash_point("ref");
	paths = xcalloc(nchanges ? nchanges : 1, sizeof(*paths));
	for (i = 0; i < nchanges; i++)
		paths[i] = changes[i].path;
	if ((rc = sync_worktree(s, tree, paths, nchanges, changes, bulk)))
		goto done;	/* the journal stays: the next crm finishes */
	crash_point("index");
	journal_remove(s);
done:
	free(paths);
	git_reference_free(ref);
	git_signature_free(author);
	git_signature_free(committer);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(parent);
	git_commit_free(other);
	strbuf_release(&branch);
	strbuf_release(&msg);
	if (mempack) {
		int err = bulk_end(s);

		if (!rc)
			rc = err;
	}
	return rc;
}

int crm_store_fast_forward(struct crm_store *s, const git_oid *to)
{
	struct strbuf branch = STRBUF_INIT;
	struct path_list paths = { NULL, 0, 0 };
	struct crm_change *journaled = NULL;
	git_commit *old = NULL, *new = NULL;
	git_tree *old_tree = NULL, *new_tree = NULL;
	git_reference *ref = NULL;
	git_oid tip;
	size_t i;
	int unborn, rc;

	if ((rc = crm_store_head(s, &branch, &tip, &unborn)))
		goto done;
	if ((!unborn && (git_commit_lookup(&old, s->repo, &tip) ||
			 git_commit_tree(&old_tree, old))) ||
	    git_commit_lookup(&new, s->repo, to) ||
	    git_commit_tree(&new_tree, new)) {
		rc = crm_git_error("cannot read the commits");
		goto done;
	}
	if ((rc = crm_tree_diff(s, old_tree, new_tree, "", &paths)))
		goto done;
	/* files the move would rewrite must not hold uncommitted edits */
	for (i = 0; i < paths.n; i++) {
		git_oid here;

		if ((rc = crm_blob_at(&here, old, paths.items[i])) ||
		    (rc = crm_worktree_check(s, paths.items[i], &here)))
			goto done;
	}
	journaled = xcalloc(paths.n ? paths.n : 1, sizeof(*journaled));
	for (i = 0; i < paths.n; i++)
		journaled[i].path = paths.items[i];
	if ((rc = journal_write(s, to, journaled, paths.n)))
		goto done;
	rc = update_ref(s, &ref, branch.buf, to, unborn ? NULL : &tip,
			"crm: sync (fast-forward)");
	if (rc) {
		journal_remove(s);
		rc = rc == GIT_EMODIFIED ? (crm_error_set(CRM_EMODIFIED,
			"the branch moved while crm was writing"), CRM_EMODIFIED) :
			crm_git_error("cannot update the branch");
		goto done;
	}
	if ((rc = sync_worktree(s, new_tree, (const char *const *)paths.items,
				paths.n, NULL, 0)))
		goto done;
	journal_remove(s);
done:
	free(journaled);
	crm_path_list_release(&paths);
	git_reference_free(ref);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	git_commit_free(old);
	git_commit_free(new);
	strbuf_release(&branch);
	return rc;
}
