/*
 * The object database backend that reads packs and loose objects with
 * pread (lib/pack-read.h).  The input is a small objects directory:
 *
 *   byte 0      bits 0-2: N - 1, the pack's 1 to 8 objects; bit 3: a
 *               loose object follows; bit 4: the first object's offset
 *               goes through the index's table of 8-byte offsets
 *   2N bytes    the objects' offsets in the pack file, 16-bit big-endian
 *               (the first entry is at 12, after the pack's header)
 *   [2 + L]     with bit 3: a 16-bit big-endian length L and L bytes,
 *               the file objects/09/0909... (the loose object LOOSE_ID)
 *   the rest    the pack after its header "PACK", version 2, N
 *
 * Object i (from 0) has the id of 20 bytes i + 1, so that a REF_DELTA
 * names its base in the pack as 20 bytes 01..08, or 09 the loose
 * object.  The index is a valid version 2 index of those ids and
 * offsets: the damage is in the pack and the loose object, where git
 * checks nothing before reading (an index git itself has written and
 * checked).  Every id is read, and three that may be absent.  Checked:
 *
 *   - read and read_header answer 0 or GIT_PASSTHROUGH, nothing else;
 *   - an object read is a commit, tree, blob or tag, its data ends in a
 *     NUL at [len], and read_header gives the same type and length;
 *   - the delta base cache changes no answer: a second backend reading
 *     the ids in the other order gives the same objects, byte for byte;
 *   - libgit2's own pack and loose backends, where they read an object
 *     too, read the same one.
 *
 * The files are written once per input into one directory made at the
 * start (mkdtemp in $TMPDIR, /dev/shm or /tmp) and removed at exit; the backends
 * are new for every input, as they keep open files and a cache.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>
#include <git2/sys/odb_backend.h>
#include <zlib.h>

#include "fuzz.h"

/*
 * The backend is compiled here, its malloc() failing above ALLOC_LIMIT.
 * An entry's header says how big the object is, up to MAX_OBJECT (1 GiB),
 * and the reader allocates that much before it inflates a byte, as git
 * does; glibc leaves the pages it never touches alone, but ASan poisons
 * the shadow of every byte of it when it is freed: 20 times fewer inputs
 * a second.  A cap in ASAN_OPTIONS (max_allocation_size_mb) would hit
 * libFuzzer's own 20 MB tables and print a warning for every refusal.
 * Failing here also tries the paths where the backend's malloc fails.
 * The copy in build/lib/pack-read.o is linked in too, unused.
 */
#define ALLOC_LIMIT ((size_t)4 << 20)
static void *fuzz_malloc(size_t size)
{
	return size > ALLOC_LIMIT ? NULL : malloc(size);
}
#define malloc(size) fuzz_malloc(size)
#define crm_pack_read_backend fuzz_pack_read_backend
#define crm_repo_read_without_mappings fuzz_repo_read_without_mappings
#include "../lib/pack-read.c"
#undef malloc

#define MAX_OBJECTS 8
#define LOOSE_ID 9
/* read too: absent, before every id and after every id */
#define ABSENT_LOW 0x00
#define ABSENT_HIGH 0xff
#define NIDS (MAX_OBJECTS + 3)

static char dir[96];		/* .../crm-fuzz-pack.XXXXXX/objects */
static char pack_dir[128], idx_path[160], pack_path[160];
static char loose_dir[128], loose_path[192];

static void remove_top(void)
{
	unlink(idx_path);
	unlink(pack_path);
	unlink(loose_path);
	rmdir(loose_dir);
	rmdir(pack_dir);
	rmdir(dir);
	*strrchr(dir, '/') = '\0';
	rmdir(dir);
}

static void path_or_die(char *buf, size_t size, const char *fmt,
			const char *a, const char *b)
{
	int n = snprintf(buf, size, fmt, a, b);

	if (n < 0 || (size_t)n >= size)
		fuzz_fail("path too long: %s", a);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	char top[64], hex[GIT_OID_HEXSZ + 1];
	struct stat st;
	int n;

	(void)argc;
	(void)argv;
	fuzz_fix_clock();
	git_libgit2_init();
	for (n = 0; n < GIT_OID_HEXSZ; n++)
		hex[n] = n % 2 ? '0' + LOOSE_ID : '0';
	hex[GIT_OID_HEXSZ] = '\0';
	/* in memory if we can: three files written for every input */
	if (!tmp || !*tmp)
		tmp = !stat("/dev/shm", &st) && S_ISDIR(st.st_mode) &&
		      !access("/dev/shm", W_OK) ? "/dev/shm" : "/tmp";
	n = snprintf(top, sizeof(top), "%s/crm-fuzz-pack.XXXXXX", tmp);
	if (n < 0 || (size_t)n >= sizeof(top) || !mkdtemp(top))
		fuzz_fail("cannot make a directory in %s: %s", tmp,
			  strerror(errno));
	path_or_die(dir, sizeof(dir), "%s/%s", top, "objects");
	path_or_die(pack_dir, sizeof(pack_dir), "%s/%s", dir, "pack");
	path_or_die(idx_path, sizeof(idx_path), "%s/%s", pack_dir,
		    "pack-x.idx");
	path_or_die(pack_path, sizeof(pack_path), "%s/%s", pack_dir,
		    "pack-x.pack");
	path_or_die(loose_dir, sizeof(loose_dir), "%s/%.2s", dir, hex);
	path_or_die(loose_path, sizeof(loose_path), "%s/%s", loose_dir,
		    hex + 2);
	/* removed at exit, in the reverse order */
	atexit(remove_top);
	if (mkdir(dir, 0700) || mkdir(pack_dir, 0700) ||
	    mkdir(loose_dir, 0700))
		fuzz_fail("cannot make %s: %s", loose_dir, strerror(errno));
	return 0;
}

/*
 * One write of the whole file, or the run stops: no input's fault.  Not
 * O_TRUNC: ext4 writes a file truncated to nothing out to disk when it
 * is closed (auto_da_alloc), which would be most of the time of a run.
 */
static void write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0 || pwrite(fd, buf, len, 0) != (ssize_t)len ||
	    ftruncate(fd, (off_t)len) || close(fd))
		fuzz_fail("cannot write %s: %s", path, strerror(errno));
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/*
 * The version 2 index of objects 1..n at `offsets`.  Its checksum of the
 * pack is the pack's last 20 bytes, as libgit2 checks; its own is zeros.
 */
static void write_index(const uint32_t *offsets, size_t n, int large,
			const unsigned char *pack_tail)
{
	enum { MAX_SIZE = 8 + 256 * 4 + MAX_OBJECTS * 28 + 8 + 40 };
	unsigned char idx[MAX_SIZE], *p = idx;
	size_t i;

	memset(idx, 0, sizeof(idx));
	memcpy(p, "\377tOc\0\0\0\2", 8);
	p += 8;
	for (i = 0; i < 256; i++, p += 4)
		put_be32(p, (uint32_t)(i >= n ? n : i));	/* ids 1..n */
	for (i = 0; i < n; i++, p += GIT_OID_RAWSZ)
		memset(p, (int)(i + 1), GIT_OID_RAWSZ);
	p += 4 * n;					/* CRCs */
	for (i = 0; i < n; i++, p += 4)
		put_be32(p, large && !i ? 0x80000000u : offsets[i]);
	if (large) {
		put_be32(p, 0);
		put_be32(p + 4, offsets[0]);
		p += 8;
	}
	memcpy(p, pack_tail, GIT_OID_RAWSZ);
	p += 2 * GIT_OID_RAWSZ;
	write_file(idx_path, idx, (size_t)(p - idx));
}

/* What a backend answered for one id. */
struct answer {
	int rc, header_rc;
	void *data;
	size_t len, header_len;
	git_object_t type, header_type;
};

static void ask(git_odb_backend *b, const git_oid *id, struct answer *a)
{
	memset(a, 0, sizeof(*a));
	a->rc = b->read(&a->data, &a->len, &a->type, b, id);
	a->header_rc = b->read_header ?
		b->read_header(&a->header_len, &a->header_type, b, id) :
		GIT_PASSTHROUGH;
	if (a->rc)
		a->data = NULL;
}

static void release(git_odb_backend *b, struct answer *a)
{
	if (a->data)
		git_odb_backend_data_free(b, a->data);
	a->data = NULL;
}

static void check_answer(const struct answer *a, const char *id)
{
	if (a->rc != 0 && a->rc != GIT_PASSTHROUGH)
		fuzz_fail("read %s returned %d", id, a->rc);
	if (a->header_rc != 0 && a->header_rc != GIT_PASSTHROUGH)
		fuzz_fail("read_header %s returned %d", id, a->header_rc);
	if (a->rc != a->header_rc)
		fuzz_fail("read %s returned %d but read_header %d", id, a->rc,
			  a->header_rc);
	if (a->rc)
		return;
	if (a->type < GIT_OBJECT_COMMIT || a->type > GIT_OBJECT_TAG)
		fuzz_fail("read %s gave type %d", id, (int)a->type);
	if (!a->data || ((const char *)a->data)[a->len])
		fuzz_fail("read %s: no data, or no NUL at [%zu]", id, a->len);
	if (a->header_type != a->type || a->header_len != a->len)
		fuzz_fail("read %s gave %d, %zu bytes, read_header %d, %zu",
			  id, (int)a->type, a->len, (int)a->header_type,
			  a->header_len);
}

static int same_object(const struct answer *a, const struct answer *b)
{
	return a->type == b->type && a->len == b->len &&
	       !memcmp(a->data, b->data, a->len);
}

static void new_backend(git_odb_backend **b)
{
	if (crm_pack_read_backend(b, dir))
		fuzz_fail("crm_pack_read_backend failed on %s", dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char id_bytes[NIDS] = {
		1, 2, 3, 4, 5, 6, 7, 8, LOOSE_ID, ABSENT_LOW, ABSENT_HIGH
	};
	struct answer first[NIDS], second[NIDS], theirs;
	git_odb_backend *b = NULL, *libgit2_pack = NULL, *libgit2_loose = NULL;
	unsigned char *pack, tail[GIT_OID_RAWSZ];
	uint32_t offsets[MAX_OBJECTS];
	git_oid ids[NIDS];
	char hex[NIDS][GIT_OID_HEXSZ + 1];
	size_t n, i, at, loose_len, pack_len, nids, nread;
	int large;

	if (size < 1)
		return -1;
	n = (data[0] & 7) + 1;
	large = data[0] & 0x10;
	at = 1 + 2 * n;
	if (size < at)
		return -1;
	for (i = 0; i < n; i++)
		offsets[i] = (uint32_t)data[1 + 2 * i] << 8 | data[2 + 2 * i];
	if (data[0] & 8) {
		if (size < at + 2)
			return -1;
		loose_len = (size_t)data[at] << 8 | data[at + 1];
		at += 2;
		if (loose_len > size - at)
			loose_len = size - at;
		write_file(loose_path, data + at, loose_len);
		at += loose_len;
	} else if (unlink(loose_path) && errno != ENOENT) {
		fuzz_fail("cannot remove %s: %s", loose_path, strerror(errno));
	}

	pack_len = 12 + size - at;
	if (!(pack = malloc(pack_len)))
		abort();
	memcpy(pack, "PACK\0\0\0\2", 8);
	put_be32(pack + 8, (uint32_t)n);
	memcpy(pack + 12, data + at, size - at);
	write_file(pack_path, pack, pack_len);
	/* its checksum, for libgit2, is its last 20 bytes */
	memset(tail, 0, sizeof(tail));
	memcpy(tail, pack + pack_len - (pack_len < sizeof(tail) ? pack_len :
					  sizeof(tail)),
	       pack_len < sizeof(tail) ? pack_len : sizeof(tail));
	free(pack);
	write_index(offsets, n, large, tail);

	/* the objects, the loose one, and two absent ones */
	nids = 0;
	for (i = 0; i < NIDS; i++) {
		unsigned char raw[GIT_OID_RAWSZ];

		if (id_bytes[i] <= MAX_OBJECTS && id_bytes[i] > n)
			continue;
		memset(raw, id_bytes[i], sizeof(raw));
		git_oid_fromraw(&ids[nids], raw);
		git_oid_tostr(hex[nids], sizeof(hex[nids]), &ids[nids]);
		nids++;
	}

	new_backend(&b);
	for (i = 0; i < nids; i++) {
		ask(b, &ids[i], &first[i]);
		check_answer(&first[i], hex[i]);
	}
	b->free(b);

	/*
	 * Only deltas go through the cache: no need for another backend
	 * unless two objects were read.
	 */
	for (i = 0, nread = 0; i < nids; i++)
		nread += !first[i].rc;
	if (nread < 2)
		goto done;

	/* the other way round, with another cache */
	new_backend(&b);
	for (i = nids; i-- > 0;) {
		ask(b, &ids[i], &second[i]);
		check_answer(&second[i], hex[i]);
		if (second[i].rc != first[i].rc)
			fuzz_fail("%s: read returned %d, then %d from another "
				  "backend, read in another order", hex[i],
				  first[i].rc, second[i].rc);
		if (!second[i].rc && !same_object(&first[i], &second[i]))
			fuzz_fail("%s: another object from another backend, "
				  "read in another order", hex[i]);
		release(b, &second[i]);
	}
	b->free(b);

	/*
	 * libgit2 checks no hash in its backends either, only the odb
	 * does: where both read an object, it must be the same.
	 */
	if (git_odb_backend_pack(&libgit2_pack, dir) ||
	    git_odb_backend_loose(&libgit2_loose, dir, -1, 0, 0, 0))
		fuzz_fail("libgit2's backends: %s", git_error_last() ?
			  git_error_last()->message : "failed");
	for (i = 0; i < nids; i++) {
		git_odb_backend *lb = i < n ? libgit2_pack : libgit2_loose;

		if (first[i].rc)
			continue;
		memset(&theirs, 0, sizeof(theirs));
		if (lb->read(&theirs.data, &theirs.len, &theirs.type, lb,
			     &ids[i]))
			continue;
		if (!same_object(&first[i], &theirs))
			fuzz_fail("%s: %d, %zu bytes, but libgit2 reads %d, "
				  "%zu bytes", hex[i], (int)first[i].type,
				  first[i].len, (int)theirs.type, theirs.len);
		git_odb_backend_data_free(lb, theirs.data);
	}
	libgit2_pack->free(libgit2_pack);
	libgit2_loose->free(libgit2_loose);
done:
	for (i = 0; i < nids; i++)
		git_odb_backend_data_free(NULL, first[i].data);
	return 0;
}
