/*
 * Replacing entries of a git index in place (see index-patch.h).
 * The format is git's Documentation/gitformat-index.txt: a 12-byte header
 * ("DIRC", version, entry count), the entries, the extensions (a 4-byte
 * signature and a 4-byte size each), and the SHA-1 of all that.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "index-patch.h"
#include "util.h"

#define HEADER_LEN 12
#define HASH_LEN 20
/* ctime, mtime (s and ns), dev, ino, mode, uid, gid, size: 4 bytes each */
#define STAT_LEN 40
#define FLAG_EXTENDED 0x4000
#define STAGE_MASK 0x3000
#define MAX_TREE_DEPTH 64

void crm_sha1_2(unsigned char out[20], const void *a, size_t alen,
		const void *b, size_t blen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int n = 0;

	if (!ctx)
		crm_die_oom();
	if (!EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) ||
	    !EVP_DigestUpdate(ctx, a, alen) || !EVP_DigestUpdate(ctx, b, blen) ||
	    !EVP_DigestFinal_ex(ctx, out, &n))
		memset(out, 0, 20);	/* matches no index: the patch declines */
	EVP_MD_CTX_free(ctx);
}

void crm_blob_id(unsigned char out[20], const void *data, size_t len)
{
	char header[32];
	int n = snprintf(header, sizeof(header), "blob %zu", len);

	/* the header's NUL is part of what is hashed */
	crm_sha1_2(out, header, (size_t)n + 1, data, len);
}

static uint32_t get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* git's varint.c: how many bytes of the previous path an entry keeps. */
static int get_varint(const unsigned char **p, const unsigned char *end,
		      size_t *out)
{
	const unsigned char *q = *p;
	size_t val;
	unsigned char c;

	if (q >= end)
		return -1;
	c = *q++;
	val = c & 127;
	while (c & 128) {
		if (q >= end || val >= ((size_t)1 << 48))
			return -1;
		val += 1;
		c = *q++;
		val = (val << 7) + (c & 127);
	}
	*p = q;
	*out = val;
	return 0;
}

static void write_stat(unsigned char *e, const struct crm_index_update *u)
{
	const uint32_t v[10] = { u->ctime_s, u->ctime_ns, u->mtime_s,
				 u->mtime_ns, u->dev, u->ino, u->mode,
				 u->uid, u->gid, u->size };
	size_t i;

	for (i = 0; i < 10; i++)
		put_be32(e + 4 * i, v[i]);
	memcpy(e + STAT_LEN, u->id, HASH_LEN);
}

static int is_regular_file_mode(uint32_t mode)
{
	return mode == 0100644 || mode == 0100755;
}

/*
 * Read the path of the entry at `e` whose fixed part ends at *p into
 * `path`: version 4 strips a prefix of the previous path and ends with
 * a NUL; versions 2 and 3 hold it whole, padded with NULs to 8 bytes.
 */
static int read_path(struct strbuf *path, const unsigned char *e,
		     const unsigned char **p, const unsigned char *end,
		     unsigned version)
{
	size_t keep, len = strnlen((const char *)*p, (size_t)(end - *p));

	if (version == 4) {
		if (get_varint(p, end, &keep) || keep > path->len)
			return -1;
		len = strnlen((const char *)*p, (size_t)(end - *p));
		if (*p + len >= end)
			return -1;
		strbuf_setlen(path, path->len - keep);
		strbuf_add(path, *p, len);
		*p += len + 1;
		return 0;
	}
	strbuf_reset(path);
	strbuf_add(path, *p, len);
	/* git's align_flex_name: at least one NUL, to a multiple of 8 */
	*p = e + ((size_t)(*p - e) + len + 8) / 8 * 8;
	return *p > end ? -1 : 0;
}

/*
 * Walk the entries of the index in `base`, patching those in `up`.
 * Returns the offset where the extensions begin, or 0 to decline.
 */
static size_t patch_entries(unsigned char *base, size_t len,
			    const struct crm_index_update *up, size_t nup,
			    uint32_t index_mtime_s, crm_index_same_fn same,
			    void *data)
{
	unsigned version = get_be32(base + 4);
	const unsigned char *p = base + HEADER_LEN, *end = base + len - HASH_LEN;
	uint32_t count = get_be32(base + 8), i;
	struct strbuf path = STRBUF_INIT;
	size_t next = 0, at = 0;

	for (i = 0; i < count; i++) {
		unsigned char *e = (unsigned char *)p;
		unsigned flags;
		int c = 1;

		if ((size_t)(end - p) < STAT_LEN + HASH_LEN + 2)
			goto decline;
		flags = (unsigned)p[STAT_LEN + HASH_LEN] << 8 |
			p[STAT_LEN + HASH_LEN + 1];
		if ((flags & FLAG_EXTENDED) && version < 3)
			goto decline;
		p += STAT_LEN + HASH_LEN + 2 + (flags & FLAG_EXTENDED ? 2 : 0);
		if (p >= end || read_path(&path, e, &p, end, version))
			goto decline;
		if (next < nup && (c = strcmp(up[next].path, path.buf)) < 0)
			goto decline;	/* a path the index does not have */
		if (c == 0) {
			if ((flags & (STAGE_MASK | FLAG_EXTENDED)) ||
			    !is_regular_file_mode(get_be32(e + 24)))
				goto decline;
			write_stat(e, &up[next++]);
			continue;
		}
		/* racily clean: git would trust its stat data from now on */
		if (get_be32(e + 8) >= index_mtime_s &&
		    (!same || !same(path.buf, e + STAT_LEN, data)))
			put_be32(e + 36, 0);
	}
	if (next < nup)
		goto decline;
	at = (size_t)(p - base);
	strbuf_release(&path);
	return at;
decline:
	strbuf_release(&path);
	return 0;
}

struct tree_reader {
	const unsigned char *p, *end;
};

/* Is any updated path inside the directory `dir` ("" or "a/b/")? */
static int touches(const char *dir, size_t dirlen,
		   const struct crm_index_update *up, size_t nup)
{
	size_t i;

	for (i = 0; i < nup; i++)
		if (!strncmp(up[i].path, dir, dirlen))
			return 1;
	return 0;
}

/*
 * Copy one cache-tree node and its subtrees, invalidating (entry count
 * -1, no tree id) those that hold an updated path.  `dir` is the node's
 * parent directory with a trailing slash.
 */
static int copy_tree_node(struct strbuf *out, struct tree_reader *r,
			  struct strbuf *dir, const struct crm_index_update *up,
			  size_t nup, int depth)
{
	const unsigned char *name = r->p, *nl;
	size_t namelen = strnlen((const char *)name, (size_t)(r->end - r->p));
	size_t dirlen = dir->len;
	long entries, subtrees, i;
	char *num_end;
	char counts[64];

	if (depth > MAX_TREE_DEPTH || name + namelen >= r->end)
		return -1;
	r->p = name + namelen + 1;
	nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	if (!nl || (size_t)(nl - r->p) >= sizeof(counts))
		return -1;
	memcpy(counts, r->p, (size_t)(nl - r->p));
	counts[nl - r->p] = '\0';
	entries = strtol(counts, &num_end, 10);
	if (*num_end != ' ')
		return -1;
	subtrees = strtol(num_end + 1, &num_end, 10);
	if (*num_end || subtrees < 0 || entries < -1)
		return -1;
	r->p = nl + 1;
	if (entries >= 0) {
		if ((size_t)(r->end - r->p) < HASH_LEN)
			return -1;
		r->p += HASH_LEN;
	}
	if (namelen) {
		strbuf_add(dir, name, namelen);
		strbuf_addch(dir, '/');
	}
	strbuf_add(out, name, namelen + 1);
	if (entries >= 0 && !touches(dir->buf, dir->len, up, nup)) {
		strbuf_add(out, counts, strlen(counts));
		strbuf_addch(out, '\n');
		strbuf_add(out, r->p - HASH_LEN, HASH_LEN);
	} else {
		strbuf_addf(out, "-1 %ld\n", subtrees);
	}
	for (i = 0; i < subtrees; i++)
		if (copy_tree_node(out, r, dir, up, nup, depth + 1))
			return -1;
	strbuf_setlen(dir, dirlen);
	return 0;
}

static int copy_tree_extension(struct strbuf *out, const unsigned char *ext,
			       size_t len, const struct crm_index_update *up,
			       size_t nup)
{
	struct tree_reader r = { ext, ext + len };
	struct strbuf dir = STRBUF_INIT;
	size_t start = out->len;
	int rc = 0;

	strbuf_add(out, "TREE\0\0\0\0", 8);
	while (!rc && r.p < r.end)
		rc = copy_tree_node(out, &r, &dir, up, nup, 0);
	put_be32((unsigned char *)out->buf + start + 4,
		 (uint32_t)(out->len - start - 8));
	strbuf_release(&dir);
	return rc;
}

int crm_index_patch(unsigned char *buf, size_t len,
		    const struct crm_index_update *up, size_t nup,
		    uint32_t index_mtime_s, crm_index_same_fn same, void *data,
		    size_t *keep, struct strbuf *tail)
{
	unsigned char sum[HASH_LEN];
	const unsigned char *ext, *end = buf + len - HASH_LEN;
	size_t at, i;

	for (i = 0; i + 1 < nup; i++)
		if (strcmp(up[i].path, up[i + 1].path) >= 0)
			return 1;
	if (len < HEADER_LEN + HASH_LEN || memcmp(buf, "DIRC", 4) ||
	    get_be32(buf + 4) < 2 || get_be32(buf + 4) > 4)
		return 1;
	crm_sha1_2(sum, buf, len - HASH_LEN, "", 0);
	if (memcmp(sum, end, HASH_LEN))
		return 1;
	at = patch_entries(buf, len, up, nup, index_mtime_s, same, data);
	if (!at)
		return 1;
	strbuf_reset(tail);
	for (ext = buf + at; ext < end;) {
		uint32_t size;

		if ((size_t)(end - ext) < 8)
			return 1;
		size = get_be32(ext + 4);
		if ((size_t)(end - ext) - 8 < size)
			return 1;
		/* any other extension may depend on the entries: let libgit2 */
		if (memcmp(ext, "TREE", 4) ||
		    copy_tree_extension(tail, ext + 8, size, up, nup))
			return 1;
		ext += 8 + size;
	}
	crm_sha1_2(sum, buf, at, tail->buf, tail->len);
	strbuf_add(tail, sum, HASH_LEN);
	*keep = at;
	return 0;
}
