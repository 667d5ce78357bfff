/*
 * The record scan and its cache (see scan.h); a store file, since it
 * names each record by its git blob id.
 *
 * Cache file .git/crm-cache/<shard>: "CRMC3\n", the time the shard was
 * checked (ns), the shard directory's mtime, ctime (ns) and inode as they
 * were before it was listed, the entry count, then entries sorted by name:
 *
 *	u16 name length, name (the file name without .yml)
 *	i64 mtime ns, i64 ctime ns, u64 size, u64 inode
 *	20 bytes: the git blob id of the file (reports --as-of find a
 *	record's summary by the blob a past commit names)
 *	u8 status (0 summary, 1 broken), u32 length, bytes
 *
 * and a trailer: the file's length as u64, and the magic again.  Cache
 * files are not synced (they are rebuilt from the records at will), so
 * after a crash one may be cut short or end in zeros: the trailer tells.
 *
 * A summary is its node and child-pointer counts (u32 each), so that it
 * is read back in one pass, then the node tree in preorder: one byte of
 * kind, type, style and flow bits; then for a scalar a u32 length and
 * the text with its NUL; for a list or map a u32 count and the children.  It is read back
 * into a per-thread arena whose strings point into the cache bytes, so
 * visiting a record allocates nothing.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "parallel.h"
#include "index-patch.h"
#include "record.h"
#include "scan.h"
#include "store-internal.h"
#include "strmap.h"
#include "util.h"
#include "yaml.h"

#define CACHE_DIR "crm-cache"
#define CACHE_MAGIC "CRMC4\n"
#define MAGIC_LEN 6
/*
 * A file changed within this long of the check may change again in the
 * same clock tick without its stat data changing ("racy git"); such an
 * entry is parsed again until it is older.
 */
#define RACY_NS 2000000000LL

struct entry {
	const char *name;	/* not NUL-terminated in a cache buffer */
	size_t namelen;
	int64_t mtime, ctime;
	uint64_t size, ino;
	int broken;
	const unsigned char *data;
	uint32_t len;
	int fresh;		/* parsed on this scan: data is at fresh_off */
	size_t fresh_off;
	unsigned char blob[20];	/* the git blob id of the content */
};

/* ---- little helpers for the binary format ---- */

static void put_u16(struct strbuf *b, uint16_t v)
{
	strbuf_add(b, &v, sizeof(v));
}

static void put_u32(struct strbuf *b, uint32_t v)
{
	strbuf_add(b, &v, sizeof(v));
}

static void put_u64(struct strbuf *b, uint64_t v)
{
	strbuf_add(b, &v, sizeof(v));
}

struct reader {
	const unsigned char *p, *end;
	int bad;
};

static int take(struct reader *r, void *out, size_t n)
{
	if ((size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return -1;
	}
	memcpy(out, r->p, n);
	r->p += n;
	return 0;
}

/* ---- summaries ---- */

static void summary_node(struct strbuf *b, const struct crm_node *n,
			 uint32_t *nodes, uint32_t *ptrs)
{
	size_t i;

	(*nodes)++;
	strbuf_addch(b, (int)(n->kind | (n->type << 2) | (n->flow << 3) |
			      (n->style << 4)));
	if (n->kind == CRM_NODE_SCALAR) {
		put_u32(b, (uint32_t)n->len);
		strbuf_add(b, n->str, n->len + 1);
		return;
	}
	put_u32(b, (uint32_t)n->nitems);
	*ptrs += (uint32_t)n->nitems;
	for (i = 0; i < n->nitems; i++)
		summary_node(b, n->items[i], nodes, ptrs);
}

/* The record without the text of its log entries: what scans need. */
static void make_summary(struct strbuf *b, struct crm_node *root)
{
	struct crm_node *log = crm_map_get(root, "log");
	uint32_t nodes = 0, ptrs = 0;
	size_t i, at = b->len;

	for (i = 0; log && log->kind == CRM_NODE_SEQ && i < log->nitems; i++)
		if (log->items[i]->kind == CRM_NODE_MAP)
			crm_map_remove(log->items[i], "text");
	put_u32(b, 0);
	put_u32(b, 0);
	summary_node(b, root, &nodes, &ptrs);
	memcpy(b->buf + at, &nodes, 4);
	memcpy(b->buf + at + 4, &ptrs, 4);
}

/*
 * Summaries are read into blocks that are reused, not freed, between
 * batches: a scan decodes 100,000 of them, and malloc would be most of it.
 * A summary's nodes and child pointers lie in one block; a rejected
 * record's space is taken back (arena_rewind), so a batch holds only the
 * records that reach the callback.
 */
struct arena_block {
	struct arena_block *next;
	size_t cap, used;		/* in bytes */
	max_align_t data[];
};

struct arena {
	struct arena_block *first, *cur;
};

struct arena_mark {
	struct arena_block *block;
	size_t used;
};

#define ARENA_BLOCK_MIN (256 * 1024)

static void *arena_alloc(struct arena *a, size_t bytes)
{
	struct arena_block *b = a->cur;

	bytes = (bytes + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (b && b->cap - b->used >= bytes)
		goto take;
	if (b && b->next && b->next->cap >= bytes) {
		b = b->next;
		b->used = 0;
	} else {
		size_t cap = bytes > ARENA_BLOCK_MIN ? bytes : ARENA_BLOCK_MIN;
		struct arena_block *nb = xmalloc(sizeof(*nb) + cap);

		nb->cap = cap;
		nb->used = 0;
		if (b) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = a->first;
			a->first = nb;
		}
		b = nb;
	}
	a->cur = b;
take:
	b->used += bytes;
	return (char *)b->data + b->used - bytes;
}

static struct arena_mark arena_mark(const struct arena *a)
{
	struct arena_mark m = { a->cur, a->cur ? a->cur->used : 0 };

	return m;
}

static void arena_reset(struct arena *a)
{
	a->cur = a->first;
	if (a->cur)
		a->cur->used = 0;
}

static void arena_rewind(struct arena *a, struct arena_mark m)
{
	/*
	 * A mark taken before the first block existed is the start: left
	 * NULL, the next allocation would add a block before the others,
	 * and a scan that rewinds every record (followup's) made one per
	 * record of its first shard (100 MB, 382 blocks a thread at 100k).
	 */
	if (!m.block) {
		arena_reset(a);
		return;
	}
	a->cur = m.block;
	m.block->used = m.used;
}

struct node_slab {
	struct crm_node *nodes;
	struct crm_node **ptrs;
	size_t nnodes, nptrs;		/* used */
	size_t maxnodes, maxptrs;	/* as the summary said */
};

/*
 * Read one node and its children.  The bytes come from a file that may
 * be damaged: every length is checked against what is left, and the
 * counts against what the summary said it holds.
 */
static struct crm_node *build_nodes(struct reader *r, struct node_slab *a,
				    int depth)
{
	struct crm_node *n;
	unsigned char tag;
	uint32_t count, i;

	if (depth > CRM_YAML_MAX_DEPTH + 2 || a->nnodes >= a->maxnodes ||
	    take(r, &tag, 1) || take(r, &count, 4))
		return NULL;
	n = &a->nodes[a->nnodes++];
	memset(n, 0, sizeof(*n));
	n->kind = tag & 3;
	n->type = (tag >> 2) & 1;
	n->flow = (tag >> 3) & 1;
	n->style = (tag >> 4) & 7;
	if (n->kind == CRM_NODE_SCALAR) {
		if ((size_t)(r->end - r->p) < (size_t)count + 1 ||
		    r->p[count] != '\0')
			return NULL;
		n->str = (char *)r->p;
		n->len = count;
		r->p += count + 1;
		return n;
	}
	if (count > a->maxptrs - a->nptrs)
		return NULL;
	n->items = a->ptrs + a->nptrs;
	n->nitems = count;
	a->nptrs += count;
	for (i = 0; i < count; i++)
		if (!(n->items[i] = build_nodes(r, a, depth + 1)))
			return NULL;
	return n;
}

/* Read a summary into the arena; NULL if it is corrupt. */
static const struct crm_node *arena_load(struct arena *a,
					 const unsigned char *data,
					 size_t len)
{
	struct reader r = { data, data + len, 0 };
	struct node_slab slab;
	struct arena_mark mark = arena_mark(a);
	const struct crm_node *root;
	uint32_t nodes, ptrs;

	memset(&slab, 0, sizeof(slab));
	/* a node takes at least 5 bytes, a child pointer one node */
	if (take(&r, &nodes, 4) || take(&r, &ptrs, 4) || !nodes ||
	    nodes > len / 5 || ptrs >= nodes)
		return NULL;
	slab.maxnodes = nodes;
	slab.maxptrs = ptrs;
	slab.nodes = arena_alloc(a, nodes * sizeof(*slab.nodes) +
				    ptrs * sizeof(*slab.ptrs));
	slab.ptrs = (struct crm_node **)(slab.nodes + nodes);
	root = build_nodes(&r, &slab, 0);
	if (!root || r.p != r.end || slab.nnodes != nodes ||
	    slab.nptrs != ptrs) {
		arena_rewind(a, mark);
		return NULL;
	}
	return root;
}

static void arena_release(struct arena *a)
{
	while (a->first) {
		struct arena_block *next = a->first->next;

		free(a->first);
		a->first = next;
	}
	a->cur = NULL;
}

/* ---- the per-shard cache ---- */

/* What a directory's stat data says about the names in it. */
struct dir_stamp {
	int64_t mtime, ctime;
	uint64_t ino;
};

struct shard {
	char name[256];
	struct strbuf old;		/* the cache file as read */
	struct entry *old_entries;
	size_t nold;
	int old_complete;		/* every entry of the file was read */
	int64_t old_written;		/* when the cache file was checked */
	struct dir_stamp old_dir;	/* the directory when it was listed */
	struct dir_stamp dir;		/* the directory now */
	struct strbuf fresh;		/* entries made on this scan */
	struct entry *entries;		/* the shard now, sorted by name */
	size_t n, alloc;
	int dirty;
	int damaged;			/* a summary did not read back */
};

static int64_t ts_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static int64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return ts_ns(&t);
}

/* The magic at both ends and the length the trailer says. */
static int cache_file_whole(const struct strbuf *f)
{
	const char *trailer;
	uint64_t len;

	if (f->len < 2 * MAGIC_LEN + 8 || memcmp(f->buf, CACHE_MAGIC, MAGIC_LEN))
		return 0;
	trailer = f->buf + f->len - 8 - MAGIC_LEN;
	memcpy(&len, trailer, 8);
	return len == f->len && !memcmp(trailer + 8, CACHE_MAGIC, MAGIC_LEN);
}

static void load_old_cache(struct shard *sh, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct reader r;
	struct stat file;
	uint64_t written;
	uint32_t count, i;
	ssize_t got;

	if (fd < 0)
		return;
	/* straight into the buffer, which is reused from shard to shard */
	strbuf_reset(&sh->old);
	if (!fstat(fd, &file) && file.st_size > 0)
		strbuf_grow(&sh->old, (size_t)file.st_size + 1);
	do {
		if (sh->old.alloc <= sh->old.len + 1)
			strbuf_grow(&sh->old, 65536);
		got = read(fd, sh->old.buf + sh->old.len,
			   sh->old.alloc - sh->old.len - 1);
		if (got > 0)
			strbuf_setlen(&sh->old, sh->old.len + (size_t)got);
	} while (got > 0);
	close(fd);
	if (!cache_file_whole(&sh->old))
		return;
	r.p = (const unsigned char *)sh->old.buf;
	r.end = r.p + sh->old.len - 8 - MAGIC_LEN;
	r.bad = 0;
	r.p += MAGIC_LEN;
	if (take(&r, &written, 8) || take(&r, &sh->old_dir.mtime, 8) ||
	    take(&r, &sh->old_dir.ctime, 8) || take(&r, &sh->old_dir.ino, 8) ||
	    take(&r, &count, 4) || count > (uint32_t)(sh->old.len / 8))
		return;
	sh->old_written = (int64_t)written;
	sh->old_entries = xcalloc(count ? count : 1, sizeof(*sh->old_entries));
	for (i = 0; i < count; i++) {
		struct entry *e = &sh->old_entries[i];
		uint16_t nl;
		unsigned char st;

		if (take(&r, &nl, 2) || (size_t)(r.end - r.p) < nl)
			break;
		e->name = (const char *)r.p;
		e->namelen = nl;
		r.p += nl;
		if (take(&r, &e->mtime, 8) || take(&r, &e->ctime, 8) ||
		    take(&r, &e->size, 8) || take(&r, &e->ino, 8) ||
		    take(&r, e->blob, 20) ||
		    take(&r, &st, 1) || take(&r, &e->len, 4) ||
		    (size_t)(r.end - r.p) < e->len)
			break;
		e->broken = st;
		e->data = r.p;
		r.p += e->len;
		/* entries written less than RACY_NS before the check are not trusted */
		if (e->mtime >= (int64_t)written - RACY_NS)
			e->mtime = -1;
		sh->nold++;
	}
	if (i < count || r.p != r.end)
		sh->nold = 0;	/* a torn or foreign file: start over */
	else
		sh->old_complete = 1;
}

static const struct entry *find_old(const struct shard *sh, const char *name,
				    size_t len)
{
	size_t lo = 0, hi = sh->nold;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct entry *e = &sh->old_entries[mid];
		int c = memcmp(e->name, name, e->namelen < len ? e->namelen : len);

		if (!c)
			c = e->namelen < len ? -1 : e->namelen > len ? 1 : 0;
		if (!c)
			return e;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Read a record file whose stat data said `expect` bytes.  A read that
 * returns fewer bytes than asked for has reached the end of a regular
 * file: when that is the size stat said, no second read is needed to
 * see the end (100,000 system calls in a first scan).  Anything else,
 * a file that changed since, is read on until read() says so.
 */
static int read_record(struct strbuf *buf, int fd, size_t expect,
		       const char *path)
{
	size_t want = expect < CRM_YAML_MAX_SIZE ? expect + 1 : 65536;
	ssize_t got;

	for (;;) {
		strbuf_grow(buf, want);
		got = read(fd, buf->buf + buf->len, want);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			crm_error_set(CRM_EPARSE, "%s: %s", path,
				      strerror(errno));
			return CRM_EPARSE;
		}
		strbuf_setlen(buf, buf->len + (size_t)got);
		if (buf->len > CRM_YAML_MAX_SIZE) {
			crm_error_set(CRM_EPARSE, "%s: too large (limit %u "
				      "bytes)", path, CRM_YAML_MAX_SIZE);
			return CRM_EPARSE;
		}
		if (!got || ((size_t)got < want && buf->len == expect))
			return 0;
		want = 65536;
	}
}

/* Never blocks: a FIFO named like a record must not hang a scan. */
static int open_record(int dirfd, const char *file)
{
	return openat(dirfd, file,
		      O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
}

/*
 * A FIFO, socket or device named like a record (a directory or symbolic
 * link is named by the error opening or reading it gives).
 */
static int is_special(const struct stat *st)
{
	return st->st_mode && !S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode) &&
	       !S_ISLNK(st->st_mode);
}

/*
 * Parse one record file into a fresh entry (summary or error); `fd` is
 * the file if already open (and is closed), else -1; `st` its stat data.
 */
static void parse_entry(struct shard *sh, struct entry *e, int dirfd, int fd,
			const struct stat *st, const char *file,
			const char *path, const char *id)
{
	struct strbuf buf = STRBUF_INIT, out = STRBUF_INIT;
	struct crm_node *root = NULL;
	int rc = 0;

	if (is_special(st)) {
		if (fd >= 0)
			close(fd);
		crm_error_set(CRM_EPARSE, "%s: not a regular file", path);
		rc = CRM_EPARSE;
	} else {
		if (fd < 0)
			fd = open_record(dirfd, file);
		if (fd < 0) {
			crm_error_set(CRM_EPARSE, "%s: %s", path,
				      errno == ELOOP ? "is a symbolic link; "
				      "refusing to follow it" : strerror(errno));
			rc = CRM_EPARSE;
		} else {
			rc = read_record(&buf, fd, (size_t)e->size, path);
			close(fd);
		}
	}
	crm_blob_id(e->blob, buf.buf, buf.len);
	if (!rc && !(rc = crm_yaml_parse(&root, buf.buf, buf.len, path)))
		rc = crm_record_check(root, id, path);
	e->broken = rc != 0;
	if (rc)
		strbuf_addstr(&out, crm_error_last());
	else
		make_summary(&out, root);
	/* `fresh` may move as it grows: keep an offset until it is done */
	e->fresh = 1;
	e->fresh_off = sh->fresh.len;
	e->len = (uint32_t)out.len;
	strbuf_add(&sh->fresh, out.buf, out.len);
	crm_node_free(root);
	strbuf_release(&buf);
	strbuf_release(&out);
}

static int write_cache(struct shard *sh, const char *path, int64_t checked)
{
	struct strbuf b = STRBUF_INIT;
	size_t i;
	int rc;

	strbuf_add(&b, CACHE_MAGIC, MAGIC_LEN);
	put_u64(&b, (uint64_t)checked);
	put_u64(&b, (uint64_t)sh->dir.mtime);
	put_u64(&b, (uint64_t)sh->dir.ctime);
	put_u64(&b, sh->dir.ino);
	put_u32(&b, (uint32_t)sh->n);
	for (i = 0; i < sh->n; i++) {
		const struct entry *e = &sh->entries[i];

		put_u16(&b, (uint16_t)e->namelen);
		strbuf_add(&b, e->name, e->namelen);
		put_u64(&b, (uint64_t)e->mtime);
		put_u64(&b, (uint64_t)e->ctime);
		put_u64(&b, e->size);
		put_u64(&b, e->ino);
		strbuf_add(&b, e->blob, 20);
		strbuf_addch(&b, e->broken);
		put_u32(&b, e->len);
		strbuf_add(&b, e->data, e->len);
	}
	put_u64(&b, (uint64_t)b.len + 8 + MAGIC_LEN);
	strbuf_add(&b, CACHE_MAGIC, MAGIC_LEN);
	rc = crm_write_file_replace(path, b.buf, b.len);
	strbuf_release(&b);
	return rc;
}

struct scan_job {
	const char *root;		/* customers directory */
	const char *cache_dir;
	char **shards;
	size_t nshards;
	size_t next;			/* the next shard to take */
	unsigned threads;		/* started so far */
	crm_scan_match_fn match;
	crm_scan_fn fn;
	void *data;
	int rc;				/* first non-zero callback result */
	struct strbuf message;		/* its error, from whichever thread */
	int cache_writable;
	struct crm_scan_stats stats;
	pthread_mutex_t lock;
};

static void shard_release(struct shard *sh, char **names, size_t nnames)
{
	size_t i;

	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	free(sh->old_entries);
	free(sh->entries);
	strbuf_release(&sh->fresh);
}

/* The record files of a shard directory, sorted, without ".yml". */
static size_t list_shard(char ***out, int dirfd)
{
	char **names = NULL;
	size_t n = 0, alloc = 0;
	struct dirent *de;
	int fd = dup(dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (!d && fd >= 0)
		close(fd);
	while (d && (de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len <= 4 ||
		    strcmp(de->d_name + len - 4, ".yml"))
			continue;
		ALLOC_GROW(names, n + 1, alloc);
		names[n++] = xstrndup(de->d_name, len - 4);
	}
	if (d)
		closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), name_cmp);
	*out = names;
	return n;
}

static void stamp_dir(struct dir_stamp *out, int dirfd)
{
	struct stat st;

	memset(out, 0, sizeof(*out));
	if (dirfd >= 0 && !fstat(dirfd, &st)) {
		out->mtime = ts_ns(&st.st_mtim);
		out->ctime = ts_ns(&st.st_ctim);
		out->ino = (uint64_t)st.st_ino;
	}
}

/*
 * Adding, removing or renaming a file changes its directory's mtime, so
 * a directory whose stat data is as it was when the cache listed it
 * holds the same names: they need not be read again (a large share of a
 * warm scan).  As for files, a directory changed just before it was
 * listed may change again within the same clock tick: it is listed again.
 */
static size_t names_from_cache(char ***out, const struct shard *sh)
{
	char **names;
	size_t i;

	*out = NULL;
	if (!sh->old_complete || !sh->nold || !sh->dir.mtime ||
	    sh->dir.mtime != sh->old_dir.mtime ||
	    sh->dir.ctime != sh->old_dir.ctime ||
	    sh->dir.ino != sh->old_dir.ino ||
	    sh->dir.mtime >= sh->old_written - RACY_NS)
		return 0;
	names = xcalloc(sh->nold, sizeof(*names));
	for (i = 0; i < sh->nold; i++)
		names[i] = xstrndup(sh->old_entries[i].name,
				    sh->old_entries[i].namelen);
	*out = names;
	return sh->nold;
}

static int same_stat(const struct entry *a, const struct entry *b)
{
	return a->mtime == b->mtime && a->ctime == b->ctime &&
	       a->size == b->size && a->ino == b->ino;
}

/*
 * Bring one shard's cache up to date: reuse the entries whose stat data
 * is unchanged, parse the rest.  Returns how many were parsed.
 */
static size_t refresh_shard(struct shard *sh, char **names, size_t nnames,
			    int dirfd, const char *shard_name)
{
	struct strbuf file = STRBUF_INIT, path = STRBUF_INIT;
	size_t i, parsed = 0;

	sh->entries = xcalloc(nnames ? nnames : 1, sizeof(*sh->entries));
	for (i = 0; i < nnames; i++) {
		struct entry *e = &sh->entries[sh->n++];
		const struct entry *old;
		struct stat st;
		int fd;

		strbuf_reset(&file);
		strbuf_addstr(&file, names[i]);
		strbuf_addstr(&file, ".yml");
		e->name = names[i];
		e->namelen = strlen(names[i]);
		old = find_old(sh, e->name, e->namelen);
		/*
		 * A file the cache does not know (all of them, the first time)
		 * is read anyway: open it first and stat the open file, one
		 * path lookup instead of two.
		 */
		fd = old ? -1 : open_record(dirfd, file.buf);
		if (fd >= 0 && fstat(fd, &st)) {
			close(fd);
			fd = -1;
		}
		if (fd < 0 && fstatat(dirfd, file.buf, &st, AT_SYMLINK_NOFOLLOW))
			memset(&st, 0, sizeof(st));
		e->mtime = ts_ns(&st.st_mtim);
		e->ctime = ts_ns(&st.st_ctim);
		e->size = (uint64_t)st.st_size;
		e->ino = (uint64_t)st.st_ino;
		if (old && same_stat(old, e)) {
			e->broken = old->broken;
			e->data = old->data;
			e->len = old->len;
			memcpy(e->blob, old->blob, 20);
			continue;
		}
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s/%s", CRM_CUSTOMERS_DIR, shard_name,
			    file.buf);
		parse_entry(sh, e, dirfd, fd, &st, file.buf, path.buf,
			    names[i]);
		parsed++;
		sh->dirty = 1;
	}
	for (i = 0; i < sh->n; i++)
		if (sh->entries[i].fresh)
			sh->entries[i].data = (const unsigned char *)
				sh->fresh.buf + sh->entries[i].fresh_off;
	if (sh->nold != sh->n)
		sh->dirty = 1;	/* files were removed */
	strbuf_release(&file);
	strbuf_release(&path);
	return parsed;
}

/*
 * A record on its way to the callback: matched (or broken) on the
 * scanning thread, handed over with the others of its batch.
 */
struct pending {
	const struct entry *e;
	const struct crm_node *summary;
	const char *error;		/* for a summary that did not read back */
};

/*
 * Enough to make taking the lock rare, few enough that the arena, which
 * holds a batch's summaries, stays small: at 256 it grew to ~1.8 MB a
 * thread, each new page a fault; at 64, warm `crm report pipeline` at
 * 100k: page faults 2,741 -> 2,127, context switches 77 -> 193, median
 * of 15 alternated runs 222.3 -> 213.6 ms.
 */
#define BATCH 64

struct batch {
	struct pending items[BATCH];
	size_t n;
};

static void set_record_names(struct strbuf *id, struct strbuf *path,
			     size_t prefix, const struct entry *e)
{
	strbuf_reset(id);
	strbuf_add(id, e->name, e->namelen);
	strbuf_setlen(path, prefix);
	strbuf_add(path, e->name, e->namelen);
	strbuf_addstr(path, ".yml");
}

/*
 * Hand a batch to the callback under the lock, once for all of it: a
 * lock taken per record made the threads wait on each other (followup
 * spent more time switching than scanning).  The first non-zero result
 * stops every thread; its message is kept for the caller.
 */
static void flush_batch(struct scan_job *job, struct batch *bt,
			unsigned thread, struct strbuf *id, struct strbuf *path,
			size_t prefix)
{
	struct strbuf msg = STRBUF_INIT;
	size_t i;

	pthread_mutex_lock(&job->lock);
	for (i = 0; i < bt->n && !job->rc; i++) {
		const struct pending *p = &bt->items[i];
		struct crm_scan_record r;
		int rc;

		set_record_names(id, path, prefix, p->e);
		memset(&r, 0, sizeof(r));
		r.id = id->buf;
		r.path = path->buf;
		r.summary = p->summary;
		r.error = p->error;
		r.thread = thread;
		if (p->e->broken) {
			/* the message is stored without its NUL */
			strbuf_reset(&msg);
			strbuf_add(&msg, p->e->data, p->e->len);
			r.error = msg.buf;
			job->stats.broken++;
		}
		rc = job->fn(&r, job->data);
		if (rc) {
			job->rc = rc;
			strbuf_addstr(&job->message, crm_error_last());
		}
	}
	pthread_mutex_unlock(&job->lock);
	bt->n = 0;
	strbuf_release(&msg);
}

static void visit_shard(struct scan_job *job, struct shard *sh,
			const char *shard_name, unsigned thread,
			struct arena *arena, struct batch *bt)
{
	struct strbuf id = STRBUF_INIT, path = STRBUF_INIT;
	size_t i, prefix;

	strbuf_addf(&path, "%s/%s/", CRM_CUSTOMERS_DIR, shard_name);
	prefix = path.len;
	arena_reset(arena);
	bt->n = 0;
	for (i = 0; i < sh->n; i++) {
		const struct entry *e = &sh->entries[i];
		struct pending *p = &bt->items[bt->n];
		struct arena_mark mark = arena_mark(arena);

		memset(p, 0, sizeof(*p));
		p->e = e;
		if (!e->broken) {
			struct crm_scan_record r;

			set_record_names(&id, &path, prefix, e);
			memset(&r, 0, sizeof(r));
			r.id = id.buf;
			r.path = path.buf;
			r.thread = thread;
			r.summary = p->summary = arena_load(arena, e->data,
							    e->len);
			if (!p->summary) {
				/* dropped below, so the next scan parses it again */
				p->error = "the crm cache was damaged and will be "
					   "rebuilt; run the command again";
				sh->damaged = 1;
			} else if (job->match && !job->match(&r, job->data)) {
				arena_rewind(arena, mark);
				continue;
			}
		}
		if (++bt->n == BATCH) {
			flush_batch(job, bt, thread, &id, &path, prefix);
			arena_reset(arena);
		}
	}
	if (bt->n)
		flush_batch(job, bt, thread, &id, &path, prefix);
	strbuf_release(&id);
	strbuf_release(&path);
}

/* What each scanning thread keeps from shard to shard. */
struct worker_state {
	unsigned thread;		/* its index, for crm_scan_record */
	struct arena arena;
	struct batch batch;
	/*
	 * Cache files are read into this, kept from shard to shard: a new
	 * buffer each time was fresh pages from the kernel, and faulting
	 * them in cost more than reading.
	 */
	struct strbuf cache_file;
};

static void scan_one(struct scan_job *job, const char *shard_name,
		     struct worker_state *w)
{
	struct shard sh;
	struct strbuf dir = STRBUF_INIT, cache = STRBUF_INIT;
	char **names = NULL;
	size_t nnames = 0, parsed;
	int64_t checked = now_ns();
	int dirfd;

	memset(&sh, 0, sizeof(sh));
	sh.old = w->cache_file;
	strbuf_init(&sh.fresh);
	strbuf_addf(&dir, "%s/%s", job->root, shard_name);
	strbuf_addf(&cache, "%s/%s", job->cache_dir, shard_name);
	dirfd = open(dir.buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* stamped before listing: a change meanwhile shows next time */
	stamp_dir(&sh.dir, dirfd);
	load_old_cache(&sh, cache.buf);
	nnames = names_from_cache(&names, &sh);
	if (!nnames && dirfd >= 0) {
		nnames = list_shard(&names, dirfd);
		/* record the new stamp, or a check no longer racy */
		sh.dirty = 1;
	}
	parsed = refresh_shard(&sh, names, nnames, dirfd, shard_name);
	if (dirfd >= 0)
		close(dirfd);
	/* best effort: a read-only store still works, only slower */
	if (sh.dirty && job->cache_writable) {
		if (!nnames)
			unlink(cache.buf);
		else
			write_cache(&sh, cache.buf, checked);
	}
	pthread_mutex_lock(&job->lock);
	job->stats.records += sh.n;
	job->stats.parsed += parsed;
	pthread_mutex_unlock(&job->lock);
	visit_shard(job, &sh, shard_name, w->thread, &w->arena, &w->batch);
	if (sh.damaged)
		unlink(cache.buf);
	w->cache_file = sh.old;
	shard_release(&sh, names, nnames);
	strbuf_release(&dir);
	strbuf_release(&cache);
}

static void worker(void *arg)
{
	struct scan_job *job = arg;
	struct worker_state *w = xcalloc(1, sizeof(*w));

	strbuf_init(&w->cache_file);
	pthread_mutex_lock(&job->lock);
	w->thread = job->threads++;
	pthread_mutex_unlock(&job->lock);
	for (;;) {
		size_t i;
		int stop;

		pthread_mutex_lock(&job->lock);
		i = job->next++;
		stop = job->rc != 0;
		pthread_mutex_unlock(&job->lock);
		if (stop || i >= job->nshards)
			break;
		scan_one(job, job->shards[i], w);
	}
	arena_release(&w->arena);
	strbuf_release(&w->cache_file);
	free(w);
}

static int thread_count(size_t nshards)
{
	const char *v = getenv("CRM_THREADS");
	long n = v && *v ? strtol(v, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	if (n > CRM_SCAN_MAX_THREADS)
		n = CRM_SCAN_MAX_THREADS;
	if ((size_t)n > nshards)
		n = nshards ? (long)nshards : 1;
	return (int)n;
}

int crm_store_scan(struct crm_store *s, crm_scan_match_fn match,
		   crm_scan_fn fn, void *data, struct crm_scan_stats *stats)
{
	struct strbuf root = STRBUF_INIT, cache_dir = STRBUF_INIT;
	struct scan_job job;
	size_t alloc = 0, i;
	DIR *d;
	struct dirent *de;

	memset(&job, 0, sizeof(job));
	strbuf_init(&job.message);
	crm_store_abspath(&root, s, CRM_CUSTOMERS_DIR);
	strbuf_addf(&cache_dir, "%s%s", crm_store_gitdir(s), CACHE_DIR);
	job.cache_writable = !mkdir(cache_dir.buf, 0700) || errno == EEXIST;
	job.root = root.buf;
	job.cache_dir = cache_dir.buf;
	job.match = match;
	job.fn = fn;
	job.data = data;
	pthread_mutex_init(&job.lock, NULL);
	d = opendir(root.buf);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= 255)
			continue;
		ALLOC_GROW(job.shards, job.nshards + 1, alloc);
		job.shards[job.nshards++] = xstrdup(de->d_name);
	}
	if (d)
		closedir(d);
	if (job.nshards)
		qsort(job.shards, job.nshards, sizeof(*job.shards), name_cmp);
	crm_parallel(thread_count(job.nshards), worker, &job);
	pthread_mutex_destroy(&job.lock);
	if (job.rc && job.message.len)
		crm_error_set(job.rc, "%s", job.message.buf);
	strbuf_release(&job.message);
	if (stats)
		*stats = job.stats;
	for (i = 0; i < job.nshards; i++)
		free(job.shards[i]);
	free(job.shards);
	strbuf_release(&root);
	strbuf_release(&cache_dir);
	return job.rc;
}

int crm_store_scan_cache_clear(struct crm_store *s)
{
	struct strbuf dir = STRBUF_INIT, f = STRBUF_INIT;
	DIR *d;
	struct dirent *de;

	strbuf_addf(&dir, "%s%s", crm_store_gitdir(s), CACHE_DIR);
	d = opendir(dir.buf);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		strbuf_reset(&f);
		strbuf_addf(&f, "%s/%s", dir.buf, de->d_name);
		unlink(f.buf);
	}
	if (d)
		closedir(d);
	rmdir(dir.buf);
	strbuf_release(&dir);
	strbuf_release(&f);
	return 0;
}

/* ---- records as a past commit had them (crm report --as-of) ---- */

struct blob_index {
	struct shard sh;
	struct crm_strmap by_blob;	/* hex blob id -> entry */
};

/* Index a shard's cache by blob id: most records did not change since. */
static void index_shard(struct blob_index *bi, const char *cache_dir,
			const char *shard)
{
	struct strbuf path = STRBUF_INIT;
	char hex[41];
	size_t i, j;

	memset(bi, 0, sizeof(*bi));
	strbuf_init(&bi->sh.old);
	strbuf_init(&bi->sh.fresh);
	strbuf_addf(&path, "%s/%s", cache_dir, shard);
	load_old_cache(&bi->sh, path.buf);
	for (i = 0; i < bi->sh.nold; i++) {
		if (bi->sh.old_entries[i].broken)
			continue;
		for (j = 0; j < 20; j++)
			snprintf(hex + 2 * j, 3, "%02x",
				 bi->sh.old_entries[i].blob[j]);
		crm_strmap_put(&bi->by_blob, hex, i);
	}
	strbuf_release(&path);
}

static void blob_index_release(struct blob_index *bi)
{
	strbuf_release(&bi->sh.old);
	shard_release(&bi->sh, NULL, 0);
	crm_strmap_release(&bi->by_blob);
}

static int visit_blob(struct crm_store *s, const git_tree_entry *te,
		      const char *shard, struct blob_index *bi,
		      struct arena *arena, crm_scan_match_fn match,
		      crm_scan_fn fn, void *data)
{
	const char *name = git_tree_entry_name(te);
	size_t n = strlen(name), at;
	struct strbuf id = STRBUF_INIT, path = STRBUF_INIT, sum = STRBUF_INIT;
	struct crm_scan_record r;
	char hex[GIT_OID_HEXSZ + 1];
	git_blob *blob = NULL;
	struct crm_node *root = NULL;
	int rc = 0;

	if (n <= 4 || strcmp(name + n - 4, ".yml") ||
	    git_tree_entry_type(te) != GIT_OBJECT_BLOB)
		return 0;
	strbuf_add(&id, name, n - 4);
	strbuf_addf(&path, "%s/%s/%s", CRM_CUSTOMERS_DIR, shard, name);
	memset(&r, 0, sizeof(r));
	r.id = id.buf;
	r.path = path.buf;
	git_oid_tostr(hex, sizeof(hex), git_tree_entry_id(te));
	arena_reset(arena);	/* one record at a time here */
	if (crm_strmap_get(&bi->by_blob, hex, &at)) {
		const struct entry *e = &bi->sh.old_entries[at];

		r.summary = arena_load(arena, e->data, e->len);
	}
	if (!r.summary) {
		if (git_blob_lookup(&blob, s->repo, git_tree_entry_id(te))) {
			rc = crm_git_error("cannot read a record of the past");
			goto done;
		}
		if (crm_yaml_parse(&root, git_blob_rawcontent(blob),
				   (size_t)git_blob_rawsize(blob), path.buf) ||
		    crm_record_check(root, id.buf, path.buf)) {
			r.error = crm_error_last();
		} else {
			make_summary(&sum, root);
			r.summary = arena_load(arena,
					       (const unsigned char *)sum.buf,
					       sum.len);
		}
	}
	if (r.summary && match && !match(&r, data))
		goto done;
	rc = fn(&r, data);
done:
	crm_node_free(root);
	git_blob_free(blob);
	strbuf_release(&id);
	strbuf_release(&path);
	strbuf_release(&sum);
	return rc;
}

int crm_store_scan_commit(struct crm_store *s, const char *commit_hex,
			  crm_scan_match_fn match, crm_scan_fn fn, void *data)
{
	struct strbuf cache_dir = STRBUF_INIT;
	git_commit *commit = NULL;
	git_tree *tree = NULL, *customers = NULL;
	git_tree_entry *entry = NULL;
	struct arena arena;
	git_oid oid;
	size_t i, j;
	int rc = 0;

	memset(&arena, 0, sizeof(arena));
	strbuf_addf(&cache_dir, "%s%s", crm_store_gitdir(s), CACHE_DIR);
	if (git_oid_fromstr(&oid, commit_hex) ||
	    git_commit_lookup(&commit, s->repo, &oid) ||
	    git_commit_tree(&tree, commit)) {
		rc = crm_git_error("cannot read the commit");
		goto done;
	}
	if (git_tree_entry_bypath(&entry, tree, CRM_CUSTOMERS_DIR)) {
		git_error_clear();
		goto done;	/* no customers yet then */
	}
	if (git_tree_lookup(&customers, s->repo, git_tree_entry_id(entry))) {
		rc = crm_git_error("cannot read a tree");
		goto done;
	}
	for (i = 0; i < git_tree_entrycount(customers) && !rc; i++) {
		const git_tree_entry *se = git_tree_entry_byindex(customers, i);
		struct blob_index bi;
		git_tree *shard = NULL;

		if (git_tree_entry_type(se) != GIT_OBJECT_TREE)
			continue;
		if (git_tree_lookup(&shard, s->repo, git_tree_entry_id(se))) {
			rc = crm_git_error("cannot read a tree");
			break;
		}
		index_shard(&bi, cache_dir.buf, git_tree_entry_name(se));
		for (j = 0; j < git_tree_entrycount(shard) && !rc; j++)
			rc = visit_blob(s, git_tree_entry_byindex(shard, j),
					git_tree_entry_name(se), &bi, &arena,
					match, fn, data);
		blob_index_release(&bi);
		git_tree_free(shard);
	}
done:
	arena_release(&arena);
	git_tree_entry_free(entry);
	git_tree_free(customers);
	git_tree_free(tree);
	git_commit_free(commit);
	strbuf_release(&cache_dir);
	return rc;
}
