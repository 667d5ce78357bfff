/*
 * Reading packs and loose objects without mapping them (see pack-read.h).
 *
 * The formats are git's (Documentation/gitformat-pack.txt):
 *
 * - A version 2 pack index is "\377tOc", version 2, 256 cumulative
 *   counts by first byte, the sorted object ids, their CRCs, their
 *   offsets in the pack as big-endian u32s (with the top bit set: an
 *   index into a table of u64s that follows), and two checksums.
 * - A pack entry is a header -- type and inflated size, seven bits a
 *   byte as in pack.c -- then for an OFS_DELTA the distance back to its
 *   base, for a REF_DELTA the base's id, then one zlib stream.
 * - A delta is the sizes of its base and of its result as varints, then
 *   instructions: copy a range of the base, or insert the bytes that
 *   follow.
 * - A loose object is one zlib stream of "<type> <size>\0<content>".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "pack-read.h"
#include "strbuf.h"
#include "util.h"

/* One id in this many of an index is kept in memory. */
#define SAMPLE_EVERY 64
/*
 * Delta bases kept, by pack offset, as git's own delta base cache does.
 * The first report all at 100k: 8 MiB here, 56.2 MB and 241 s; 4 MiB,
 * 50.2 MB and 245 s.
 */
#define CACHE_SLOTS 1024
#define CACHE_BYTES ((size_t)4 << 20)
#define CACHE_MAX_OBJECT ((size_t)1 << 20)
/* Anything longer is a damaged pack (git's --depth goes up to 4095). */
#define MAX_CHAIN 4096
/* A REF_DELTA whose base is in another pack, and so on. */
#define MAX_DEPTH 16
/* Bigger objects are left to libgit2. */
#define MAX_OBJECT ((size_t)1 << 30)
/* The first read of an entry: its header and most deltas whole. */
#define FIRST_READ 4096
#define NEXT_READ 65536

enum { OBJ_OFS_DELTA = 6, OBJ_REF_DELTA = 7 };

struct pack {
	int idx_fd, pack_fd;
	uint32_t n;			/* objects */
	off_t ids_at, offsets_at, large_at;
	off_t pack_size;
	unsigned char *sample;		/* ids 0, SAMPLE_EVERY, ... */
	size_t nsample;
	int sampled;			/* 1 done, -1 failed */
};

struct cached_base {
	const struct pack *pack;	/* NULL: a free slot */
	uint64_t offset;
	git_object_t type;
	unsigned char *data;
	size_t len;
};

struct pread_backend {
	git_odb_backend parent;
	char *objects_dir;
	struct pack *packs;
	size_t npacks;
	struct cached_base cache[CACHE_SLOTS];
	size_t cached_bytes, evict_next;
	unsigned char buf[NEXT_READ];	/* for read_entry, one at a time */
	pthread_mutex_t lock;
};

/* A whole object: `data` holds len + 1 bytes, the last a NUL. */
struct object {
	git_object_t type;
	unsigned char *data;
	size_t len;
};

static uint32_t get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* `len` bytes at `at`, or -1 (a short file counts as failure). */
static int pread_all(int fd, void *buf, size_t len, off_t at)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(fd, (char *)buf + got, len - got,
				  at + (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

/* Up to `len` bytes at `at`: how many, or -1. */
static ssize_t pread_some(int fd, void *buf, size_t len, off_t at)
{
	ssize_t n;

	do
		n = pread(fd, buf, len, at);
	while (n < 0 && errno == EINTR);
	return n;
}

static void close_pack(struct pack *p)
{
	if (p->idx_fd >= 0)
		close(p->idx_fd);
	if (p->pack_fd >= 0)
		close(p->pack_fd);
	free(p->sample);
}

/* Open one pack by the path of its index; 0, or -1 to leave it alone. */
static int open_pack(struct pack *p, const char *idx_path)
{
	struct strbuf pack_path = STRBUF_INIT;
	unsigned char head[8 + 256 * 4], pack_head[12];
	struct stat st, pack_st;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	p->idx_fd = open(idx_path, O_RDONLY | O_CLOEXEC);
	strbuf_add(&pack_path, idx_path, strlen(idx_path) - 4);
	strbuf_addstr(&pack_path, ".pack");
	p->pack_fd = open(pack_path.buf, O_RDONLY | O_CLOEXEC);
	if (p->idx_fd < 0 || p->pack_fd < 0 ||
	    pread_all(p->idx_fd, head, sizeof(head), 0) ||
	    memcmp(head, "\377tOc\0\0\0\2", 8) ||
	    pread_all(p->pack_fd, pack_head, sizeof(pack_head), 0) ||
	    memcmp(pack_head, "PACK", 4) || fstat(p->idx_fd, &st) ||
	    fstat(p->pack_fd, &pack_st))
		goto done;
	p->pack_size = pack_st.st_size;
	p->n = get_be32(head + 8 + 255 * 4);
	p->ids_at = (off_t)sizeof(head);
	p->offsets_at = p->ids_at + (off_t)p->n * (GIT_OID_RAWSZ + 4);
	p->large_at = p->offsets_at + (off_t)p->n * 4;
	/* the two checksums at least follow the offsets */
	if (st.st_size < p->large_at + 2 * GIT_OID_RAWSZ)
		goto done;
	rc = 0;
done:
	strbuf_release(&pack_path);
	if (rc)
		close_pack(p);
	return rc;
}

/* Every SAMPLE_EVERY-th id of the index, read once, in big pieces. */
static int read_sample(struct pack *p)
{
	enum { PER_READ = SAMPLE_EVERY * 51 };	/* ids: just under 64 KiB */
	unsigned char *buf;
	size_t at;
	int rc = 0;

	if (p->sampled)
		return p->sampled > 0 ? 0 : -1;
	p->nsample = (p->n + SAMPLE_EVERY - 1) / SAMPLE_EVERY;
	p->sample = xmalloc(p->nsample * GIT_OID_RAWSZ + 1);
	buf = xmalloc((size_t)PER_READ * GIT_OID_RAWSZ);
	for (at = 0; at < p->n && !rc; at += PER_READ) {
		size_t count = p->n - at < PER_READ ? p->n - at : PER_READ;
		size_t k;

		rc = pread_all(p->idx_fd, buf, count * GIT_OID_RAWSZ,
			       p->ids_at + (off_t)(at * GIT_OID_RAWSZ));
		for (k = 0; !rc && k < count; k += SAMPLE_EVERY)
			memcpy(p->sample + (at + k) / SAMPLE_EVERY *
					   GIT_OID_RAWSZ,
			       buf + k * GIT_OID_RAWSZ, GIT_OID_RAWSZ);
	}
	free(buf);
	p->sampled = rc ? -1 : 1;
	return rc;
}

/* The offset of `id` in pack `p`: 1 if there, 0 if not, -1 on error. */
static int find_offset(struct pack *p, const git_oid *id, uint64_t *offset)
{
	unsigned char ids[SAMPLE_EVERY * GIT_OID_RAWSZ], word[8];
	size_t lo = 0, hi, first, count;
	uint32_t v;

	if (!p->n)
		return 0;
	if (read_sample(p))
		return -1;
	/* the last sampled id not after `id` starts its run of ids */
	hi = p->nsample;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (memcmp(p->sample + mid * GIT_OID_RAWSZ, id->id,
			   GIT_OID_RAWSZ) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return 0;
	first = (lo - 1) * SAMPLE_EVERY;
	count = p->n - first < SAMPLE_EVERY ? p->n - first : SAMPLE_EVERY;
	if (pread_all(p->idx_fd, ids, count * GIT_OID_RAWSZ,
		      p->ids_at + (off_t)(first * GIT_OID_RAWSZ)))
		return -1;
	for (lo = 0, hi = count; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = memcmp(ids + mid * GIT_OID_RAWSZ, id->id,
				 GIT_OID_RAWSZ);

		if (!cmp) {
			lo = mid;
			break;
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= count || memcmp(ids + lo * GIT_OID_RAWSZ, id->id,
				  GIT_OID_RAWSZ))
		return 0;
	if (pread_all(p->idx_fd, word, 4,
		      p->offsets_at + (off_t)((first + lo) * 4)))
		return -1;
	v = get_be32(word);
	if (!(v & 0x80000000u)) {
		*offset = v;
		return 1;
	}
	if (pread_all(p->idx_fd, word, 8,
		      p->large_at + (off_t)(v & 0x7fffffffu) * 8))
		return -1;
	*offset = (uint64_t)get_be32(word) << 32 | get_be32(word + 4);
	return 1;
}

/* One entry of a pack, its content inflated (a delta for a delta). */
struct entry {
	uint64_t offset;
	int type;
	uint64_t base_offset;		/* of an OFS_DELTA */
	git_oid base_id;		/* of a REF_DELTA */
	unsigned char *data;		/* size + 1 bytes */
	size_t size;
};

/* Parse an entry's header from `buf`; its length, or 0 if damaged. */
static size_t parse_header(struct entry *e, const unsigned char *buf,
			   size_t len)
{
	size_t i = 1, shift = 4;
	uint64_t size, back;
	unsigned char c;

	if (!len)
		return 0;
	c = buf[0];
	e->type = (c >> 4) & 7;
	size = c & 0x0f;
	while (c & 0x80) {
		if (i >= len || shift > 57)
			return 0;
		c = buf[i++];
		size += (uint64_t)(c & 0x7f) << shift;
		shift += 7;
	}
	if (size > MAX_OBJECT)
		return 0;
	e->size = (size_t)size;
	if (e->type == OBJ_OFS_DELTA) {
		if (i >= len)
			return 0;
		c = buf[i++];
		back = c & 0x7f;
		while (c & 0x80) {
			if (i >= len || back > (UINT64_MAX >> 8))
				return 0;
			c = buf[i++];
			back = ((back + 1) << 7) | (c & 0x7f);
		}
		if (!back || back > e->offset)
			return 0;
		e->base_offset = e->offset - back;
	} else if (e->type == OBJ_REF_DELTA) {
		if (i + GIT_OID_RAWSZ > len)
			return 0;
		git_oid_fromraw(&e->base_id, buf + i);
		i += GIT_OID_RAWSZ;
	} else if (e->type < GIT_OBJECT_COMMIT || e->type > GIT_OBJECT_TAG) {
		return 0;
	}
	return i;
}

/*
 * Inflate into `out` (room for size + 1) exactly `size` bytes from a
 * zlib stream whose first `have` bytes are at `first` and the rest in
 * `fd` from `at`, to be read into `buf`.  The spare byte catches a
 * stream that is too long.
 */
static int inflate_exactly(unsigned char *out, size_t size,
			   unsigned char *first, size_t have,
			   unsigned char *buf, size_t bufsize, int fd, off_t at)
{
	z_stream z;
	int zrc = Z_OK;

	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return -1;
	z.next_out = out;
	z.avail_out = (uInt)(size + 1);
	z.next_in = first;
	z.avail_in = (uInt)have;
	for (;;) {
		if (!z.avail_in) {
			ssize_t n = pread_some(fd, buf, bufsize, at);

			if (n <= 0)
				break;
			at += n;
			z.next_in = buf;
			z.avail_in = (uInt)n;
		}
		zrc = inflate(&z, Z_NO_FLUSH);
		if (zrc == Z_STREAM_END ||
		    (zrc != Z_OK && !(zrc == Z_BUF_ERROR && !z.avail_in)))
			break;
	}
	inflateEnd(&z);
	if (zrc != Z_STREAM_END || z.total_out != size)
		return -1;
	out[size] = '\0';
	return 0;
}

/* Read the entry at `offset`: 0, or -1 if it cannot be read whole. */
static int read_entry(struct pread_backend *b, struct pack *p, uint64_t offset,
		      struct entry *e)
{
	unsigned char *buf = b->buf;
	ssize_t got;
	size_t head;
	int rc = -1;

	memset(e, 0, sizeof(*e));
	e->offset = offset;
	got = pread_some(p->pack_fd, buf, FIRST_READ, (off_t)offset);
	if (got <= 0 || !(head = parse_header(e, buf, (size_t)got)))
		goto done;
	/*
	 * zlib makes at most 1032 bytes of one: a size the rest of the pack
	 * cannot hold is damage, not worth allocating for.
	 */
	if (e->size / 1032 > (uint64_t)(p->pack_size - (off_t)offset) - head)
		goto done;
	if (!(e->data = malloc(e->size + 1)))
		goto done;
	rc = inflate_exactly(e->data, e->size, buf + head, (size_t)got - head,
			     buf, NEXT_READ, p->pack_fd, (off_t)offset + got);
done:
	if (rc) {
		free(e->data);
		e->data = NULL;
	}
	return rc;
}

/* A varint of a delta's header; 0, or -1 past the end. */
static int delta_size(const unsigned char **p, const unsigned char *end,
		      size_t *out)
{
	size_t size = 0, shift = 0;
	unsigned char c;

	do {
		if (*p >= end || shift > 8 * sizeof(size_t) - 7)
			return -1;
		c = *(*p)++;
		size |= (size_t)(c & 0x7f) << shift;
		shift += 7;
	} while (c & 0x80);
	*out = size;
	return 0;
}

/* `base` with `delta` applied, in `out` (malloc'd, NUL-ended); 0 or -1. */
static int apply_delta(const struct object *base, const unsigned char *delta,
		       size_t delta_len, struct object *out)
{
	const unsigned char *p = delta, *end = delta + delta_len;
	size_t src, dst, at = 0;

	if (delta_size(&p, end, &src) || delta_size(&p, end, &dst) ||
	    src != base->len || dst > MAX_OBJECT ||
	    !(out->data = malloc(dst + 1)))
		return -1;
	out->type = base->type;
	out->len = dst;
	while (p < end) {
		unsigned char cmd = *p++;
		size_t off = 0, len = 0;
		int bit;

		if (cmd & 0x80) {
			for (bit = 0; bit < 4; bit++)
				if (cmd & (1 << bit)) {
					if (p >= end)
						goto bad;
					off |= (size_t)*p++ << (8 * bit);
				}
			for (bit = 0; bit < 3; bit++)
				if (cmd & (0x10 << bit)) {
					if (p >= end)
						goto bad;
					len |= (size_t)*p++ << (8 * bit);
				}
			if (!len)
				len = 0x10000;
			if (off > base->len || len > base->len - off ||
			    len > dst - at)
				goto bad;
			memcpy(out->data + at, base->data + off, len);
		} else if (cmd) {
			len = cmd;
			if (len > (size_t)(end - p) || len > dst - at)
				goto bad;
			memcpy(out->data + at, p, len);
			p += len;
		} else {
			goto bad;	/* reserved */
		}
		at += len;
	}
	if (at != dst)
		goto bad;
	out->data[dst] = '\0';
	return 0;
bad:
	free(out->data);
	out->data = NULL;
	return -1;
}

static size_t cache_slot(const struct pread_backend *b, const struct pack *p,
			 uint64_t offset)
{
	uint64_t h = (offset + (uint64_t)(p - b->packs) * 0x9e3779b9u) *
		     0x9e3779b97f4a7c15ull;

	return (size_t)(h >> 54) % CACHE_SLOTS;
}

static void cache_drop(struct pread_backend *b, struct cached_base *c)
{
	if (!c->pack)
		return;
	b->cached_bytes -= c->len;
	free(c->data);
	memset(c, 0, sizeof(*c));
}

/* A copy of the base at `offset`, if cached. */
static int cache_get(struct pread_backend *b, const struct pack *p,
		     uint64_t offset, struct object *out)
{
	struct cached_base *c = &b->cache[cache_slot(b, p, offset)];

	if (c->pack != p || c->offset != offset)
		return 0;
	out->type = c->type;
	out->len = c->len;
	out->data = xmalloc(c->len + 1);
	memcpy(out->data, c->data, c->len + 1);
	return 1;
}

static void cache_put(struct pread_backend *b, const struct pack *p,
		      uint64_t offset, const struct object *o)
{
	struct cached_base *c = &b->cache[cache_slot(b, p, offset)];

	if (o->len > CACHE_MAX_OBJECT)
		return;
	cache_drop(b, c);
	/* over the budget, slots go in turn, as in git's first cache */
	while (b->cached_bytes + o->len > CACHE_BYTES) {
		cache_drop(b, &b->cache[b->evict_next]);
		b->evict_next = (b->evict_next + 1) % CACHE_SLOTS;
	}
	c->pack = p;
	c->offset = offset;
	c->type = o->type;
	c->len = o->len;
	c->data = xmalloc(o->len + 1);
	memcpy(c->data, o->data, o->len + 1);
	b->cached_bytes += o->len;
}

static int read_object(struct pread_backend *b, const git_oid *id,
		       struct object *out, int depth);

/* Whether the entry at `offset` is in the chain already: a loop. */
static int in_chain(const struct entry *chain, size_t n, uint64_t offset)
{
	while (n > 0)
		if (chain[--n].offset == offset)
			return 1;
	return 0;
}

/*
 * The object at `offset` of pack `p`: its chain of deltas is read down
 * to a base (whole, or cached), then applied back up, each result on
 * the way cached as the base it may be for another object.
 */
static int unpack(struct pread_backend *b, struct pack *p, uint64_t offset,
		  struct object *out, int depth)
{
	struct entry *chain = NULL, e;
	size_t n = 0, alloc = 0;
	struct object base = { GIT_OBJECT_INVALID, NULL, 0 };
	int rc = -1;

	for (;;) {
		uint64_t found;
		int where;

		if (cache_get(b, p, offset, &base))
			break;
		if (n >= MAX_CHAIN || read_entry(b, p, offset, &e))
			goto done;
		if (e.type != OBJ_OFS_DELTA && e.type != OBJ_REF_DELTA) {
			base.type = (git_object_t)e.type;
			base.data = e.data;
			base.len = e.size;
			if (n)
				cache_put(b, p, offset, &base);
			break;
		}
		ALLOC_GROW(chain, n + 1, alloc);
		chain[n++] = e;
		if (e.type == OBJ_OFS_DELTA) {
			offset = e.base_offset;
		} else {
			where = find_offset(p, &e.base_id, &found);
			if (where < 0)
				goto done;
			if (!where) {
				/* a base elsewhere: another pack, or loose */
				if (depth >= MAX_DEPTH ||
				    read_object(b, &e.base_id, &base,
						depth + 1))
					goto done;
				break;
			}
			offset = found;
		}
		/* a base by id can lead back, in a damaged pack */
		if (in_chain(chain, n, offset))
			goto done;
	}
	while (n > 0) {
		struct object next;

		e = chain[--n];
		rc = apply_delta(&base, e.data, e.size, &next);
		free(e.data);
		if (rc)
			goto done;
		free(base.data);
		base = next;
		if (n)
			cache_put(b, p, e.offset, &base);
	}
	*out = base;
	base.data = NULL;
	rc = 0;
done:
	while (n > 0)
		free(chain[--n].data);
	free(chain);
	free(base.data);
	return rc;
}

/* Inflate a loose object's header and content; 0, or -1 if damaged. */
static int inflate_loose(z_stream *z, struct object *out)
{
	char head[64], *nul, *space, *end;
	size_t produced, header_len, copied, size;
	int zrc;

	/* the header first, then the content straight into its buffer */
	z->next_out = (Bytef *)head;
	z->avail_out = sizeof(head);
	zrc = inflate(z, Z_SYNC_FLUSH);
	produced = sizeof(head) - z->avail_out;
	if ((zrc != Z_OK && zrc != Z_STREAM_END) ||
	    !(nul = memchr(head, '\0', produced)) ||
	    !(space = memchr(head, ' ', (size_t)(nul - head))))
		return -1;
	*space = '\0';
	out->type = git_object_string2type(head);
	errno = 0;
	size = strtoul(space + 1, &end, 10);
	header_len = (size_t)(nul - head) + 1;
	copied = produced - header_len;
	if (end != nul || errno || size > MAX_OBJECT || copied > size ||
	    out->type < GIT_OBJECT_COMMIT || out->type > GIT_OBJECT_TAG ||
	    !(out->data = malloc(size + 1)))
		return -1;
	out->len = size;
	memcpy(out->data, nul + 1, copied);
	/* the spare byte catches a stream that is too long */
	z->next_out = out->data + copied;
	z->avail_out = (uInt)(size + 1 - copied);
	while (zrc == Z_OK)
		zrc = inflate(z, Z_FINISH);
	if (zrc != Z_STREAM_END || z->total_out != header_len + size)
		return -1;
	out->data[size] = '\0';
	return 0;
}

/* A loose object: 1 read, 0 absent, -1 damaged or unreadable. */
static int read_loose(struct pread_backend *b, const git_oid *id,
		      struct object *out)
{
	char hex[GIT_OID_HEXSZ + 1];
	struct strbuf path = STRBUF_INIT;
	unsigned char *raw = NULL;
	struct stat st;
	z_stream z;
	int fd, rc = -1;

	git_oid_tostr(hex, sizeof(hex), id);
	strbuf_addf(&path, "%s/%.2s/%s", b->objects_dir, hex, hex + 2);
	fd = open(path.buf, O_RDONLY | O_CLOEXEC);
	strbuf_release(&path);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	memset(&z, 0, sizeof(z));
	memset(out, 0, sizeof(*out));
	if (!fstat(fd, &st) && st.st_size > 0 &&
	    (uint64_t)st.st_size <= MAX_OBJECT &&
	    (raw = malloc((size_t)st.st_size)) &&
	    !pread_all(fd, raw, (size_t)st.st_size, 0) &&
	    inflateInit(&z) == Z_OK) {
		z.next_in = raw;
		z.avail_in = (uInt)st.st_size;
		rc = inflate_loose(&z, out) ? -1 : 1;
		inflateEnd(&z);
	}
	free(raw);
	close(fd);
	if (rc != 1) {
		free(out->data);
		memset(out, 0, sizeof(*out));
	}
	return rc;
}

/* 0 read, 1 absent, -1 not readable here. */
static int read_object(struct pread_backend *b, const git_oid *id,
		       struct object *out, int depth)
{
	size_t i;
	int rc;

	for (i = 0; i < b->npacks; i++) {
		uint64_t offset;

		rc = find_offset(&b->packs[i], id, &offset);
		if (rc < 0)
			return -1;
		if (rc)
			return unpack(b, &b->packs[i], offset, out, depth) ?
				       -1 : 0;
	}
	rc = read_loose(b, id, out);
	return rc < 0 ? -1 : rc ? 0 : 1;
}

/* read_object under the backend's lock: 0, or -1 for anything else. */
static int locked_read(git_odb_backend *backend, const git_oid *id,
		       struct object *o)
{
	struct pread_backend *b = (struct pread_backend *)backend;
	int rc;

	pthread_mutex_lock(&b->lock);
	rc = read_object(b, id, o, 0);
	pthread_mutex_unlock(&b->lock);
	return rc ? -1 : 0;
}

static int backend_read(void **data, size_t *len, git_object_t *type,
			git_odb_backend *backend, const git_oid *id)
{
	struct object o;

	if (locked_read(backend, id, &o))
		return GIT_PASSTHROUGH;
	*data = git_odb_backend_data_alloc(backend, o.len + 1);
	if (*data) {
		memcpy(*data, o.data, o.len + 1);
		*len = o.len;
		*type = o.type;
	}
	free(o.data);
	return *data ? 0 : GIT_PASSTHROUGH;
}

static int backend_read_header(size_t *len, git_object_t *type,
			       git_odb_backend *backend, const git_oid *id)
{
	struct object o;

	if (locked_read(backend, id, &o))
		return GIT_PASSTHROUGH;
	*len = o.len;
	*type = o.type;
	free(o.data);
	return 0;
}

static void backend_free(git_odb_backend *backend)
{
	struct pread_backend *b = (struct pread_backend *)backend;
	size_t i;

	for (i = 0; i < CACHE_SLOTS; i++)
		cache_drop(b, &b->cache[i]);
	for (i = 0; i < b->npacks; i++)
		close_pack(&b->packs[i]);
	free(b->packs);
	free(b->objects_dir);
	pthread_mutex_destroy(&b->lock);
	free(b);
}

/* The packs of objects/pack with a version 2 index. */
static void open_packs(struct pread_backend *b)
{
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT;
	struct dirent *d;
	size_t alloc = 0;
	DIR *dh;

	strbuf_addf(&dir, "%s/pack", b->objects_dir);
	dh = opendir(dir.buf);
	while (dh && (d = readdir(dh))) {
		size_t n = strlen(d->d_name);

		if (n <= 4 || strcmp(d->d_name + n - 4, ".idx") ||
		    strncmp(d->d_name, "pack-", 5))
			continue;
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", dir.buf, d->d_name);
		ALLOC_GROW(b->packs, b->npacks + 1, alloc);
		if (!open_pack(&b->packs[b->npacks], path.buf))
			b->npacks++;
	}
	if (dh)
		closedir(dh);
	strbuf_release(&dir);
	strbuf_release(&path);
}

int crm_pack_read_backend(git_odb_backend **out, const char *objects_dir)
{
	struct pread_backend *b = xcalloc(1, sizeof(*b));
	size_t n = strlen(objects_dir);

	if (git_odb_init_backend(&b->parent, GIT_ODB_BACKEND_VERSION)) {
		free(b);
		return -1;
	}
	while (n > 1 && objects_dir[n - 1] == '/')
		n--;
	b->objects_dir = xstrndup(objects_dir, n);
	pthread_mutex_init(&b->lock, NULL);
	open_packs(b);
	b->parent.read = backend_read;
	b->parent.read_header = backend_read_header;
	b->parent.free = backend_free;
	*out = &b->parent;
	return 0;
}

int crm_repo_read_without_mappings(git_repository *repo)
{
	struct strbuf dir = STRBUF_INIT;
	git_odb_backend *backend = NULL;
	git_odb *odb = NULL;
	int rc = -1;

	strbuf_addf(&dir, "%sobjects", git_repository_path(repo));
	if (git_repository_odb(&odb, repo) ||
	    crm_pack_read_backend(&backend, dir.buf))
		goto done;
	/* above libgit2's packs and loose objects (priorities 2 and 1) */
	if (git_odb_add_backend(odb, backend, 1000)) {
		backend->free(backend);
		goto done;
	}
	rc = 0;
done:
	git_odb_free(odb);
	strbuf_release(&dir);
	return rc;
}
