#include "unit.h"

#include <fcntl.h>
#include <git2.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../lib/index-patch.h"
#include "../../lib/strbuf.h"

/*
 * Each test builds a repository with libgit2, patches its index with
 * crm_index_patch, and reads the result back with libgit2: the patched
 * file must be an index libgit2 accepts, holding what it should.
 */
struct fixture {
	char dir[64];
	git_repository *repo;
	git_oid blob[4];		/* old a/x, old a/y, b/z, new a/y */
	struct strbuf path;		/* .git/index */
};

static const char *const paths[] = { "a/x.yml", "a/y.yml", "b/z.yml" };

static void add_entry(git_index *index, const char *path, const git_oid *id,
		      uint32_t mtime)
{
	git_index_entry e;

	memset(&e, 0, sizeof(e));
	e.mode = GIT_FILEMODE_BLOB;
	e.mtime.seconds = (int32_t)mtime;
	e.file_size = 10;
	git_oid_cpy(&e.id, id);
	e.path = path;
	assert_int_equal(git_index_add(index, &e), 0);
}

/* A version `version` index of the three paths, with a cache tree. */
static void setup_repo(struct fixture *f, unsigned version, int cache_tree)
{
	static const char *const texts[] = { "x: 1\n", "y: 1\n", "z: 1\n",
					     "y: 2\n" };
	git_index *index;
	git_oid tree_id;
	git_tree *tree;
	size_t i;

	git_libgit2_init();
	strcpy(f->dir, "/tmp/crm-index-patch-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(git_repository_init(&f->repo, f->dir, 0), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(git_blob_create_from_buffer(&f->blob[i],
				 f->repo, texts[i], strlen(texts[i])), 0);
	assert_int_equal(git_repository_index(&index, f->repo), 0);
	for (i = 0; i < 3; i++)
		add_entry(index, paths[i], &f->blob[i], 1000);
	assert_int_equal(git_index_set_version(index, version), 0);
	if (cache_tree) {
		/* reading a tree into the index fills its cache tree */
		assert_int_equal(git_index_write_tree(&tree_id, index), 0);
		assert_int_equal(git_tree_lookup(&tree, f->repo, &tree_id), 0);
		assert_int_equal(git_index_read_tree(index, tree), 0);
		git_tree_free(tree);
	}
	assert_int_equal(git_index_write(index), 0);
	git_index_free(index);
	strbuf_init(&f->path);
	strbuf_addf(&f->path, "%s/.git/index", f->dir);
}

static void teardown_repo(struct fixture *f)
{
	char cmd[128];

	git_repository_free(f->repo);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	strbuf_release(&f->path);
	git_libgit2_shutdown();
}

static void read_index_file(struct fixture *f, struct strbuf *out)
{
	char buf[4096];
	ssize_t n;
	int fd = open(f->path.buf, O_RDONLY);

	assert_true(fd >= 0);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		strbuf_add(out, buf, (size_t)n);
	close(fd);
}

static void write_index_file(struct fixture *f, const struct strbuf *head,
			     size_t keep, const struct strbuf *tail)
{
	int fd = open(f->path.buf, O_WRONLY | O_TRUNC);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, head->buf, keep), (ssize_t)keep);
	assert_int_equal(write(fd, tail->buf, tail->len), (ssize_t)tail->len);
	close(fd);
}

static struct crm_index_update new_y(const struct fixture *f)
{
	struct crm_index_update u;

	memset(&u, 0, sizeof(u));
	u.path = "a/y.yml";
	u.mtime_s = 2000;
	u.mtime_ns = 5;
	u.ino = 77;
	u.mode = 0100644;
	u.size = 5;
	memcpy(u.id, f->blob[3].id, 20);
	return u;
}

static int patch(struct fixture *f, struct strbuf *in,
		 const struct crm_index_update *up, size_t n,
		 crm_index_same_fn same, uint32_t index_mtime)
{
	struct strbuf tail = STRBUF_INIT;
	size_t keep = 0;
	int rc;

	read_index_file(f, in);
	rc = crm_index_patch((unsigned char *)in->buf, in->len, up, n,
			     index_mtime, same, NULL, &keep, &tail);
	if (!rc)
		write_index_file(f, in, keep, &tail);
	strbuf_release(&tail);
	return rc;
}

static const git_index_entry *entry(git_index *index, const char *path)
{
	const git_index_entry *e = git_index_get_bypath(index, path, 0);

	assert_non_null(e);
	return e;
}

static git_index *reopen(struct fixture *f)
{
	git_index *index;

	assert_int_equal(git_index_open(&index, f->path.buf), 0);
	return index;
}

static void replaces_one_entry(unsigned version)
{
	struct fixture f;
	struct strbuf in = STRBUF_INIT;
	struct crm_index_update u;
	git_index *index;
	const git_index_entry *e;

	setup_repo(&f, version, 0);
	u = new_y(&f);
	assert_int_equal(patch(&f, &in, &u, 1, NULL, 5000), 0);
	index = reopen(&f);
	assert_int_equal(git_index_entrycount(index), 3);
	e = entry(index, "a/y.yml");
	assert_true(git_oid_equal(&e->id, &f.blob[3]));
	assert_int_equal(e->file_size, 5);
	assert_int_equal(e->mtime.seconds, 2000);
	assert_int_equal(e->mtime.nanoseconds, 5);
	assert_int_equal(e->ino, 77);
	assert_true(git_oid_equal(&entry(index, "a/x.yml")->id, &f.blob[0]));
	assert_true(git_oid_equal(&entry(index, "b/z.yml")->id, &f.blob[2]));
	assert_int_equal(entry(index, "b/z.yml")->file_size, 10);
	/* libgit2 writes a version 3 index without extended flags as 2 */
	assert_int_equal(git_index_version(index), version == 3 ? 2 : version);
	git_index_free(index);
	strbuf_release(&in);
	teardown_repo(&f);
}

static void test_index_patch__replaces_one_entry(void **state)
{
	(void)state;
	replaces_one_entry(2);
	replaces_one_entry(3);
	replaces_one_entry(4);
}

/* The cache tree must lose a/ and the root, or git reuses stale trees. */
static void test_index_patch__invalidates_the_cache_tree(void **state)
{
	struct fixture f;
	struct strbuf in = STRBUF_INIT;
	struct crm_index_update u;
	git_index *index;
	git_oid tree_id;
	git_tree *tree;
	git_tree_entry *te;

	(void)state;
	setup_repo(&f, 4, 1);
	u = new_y(&f);
	assert_int_equal(patch(&f, &in, &u, 1, NULL, 5000), 0);
	index = reopen(&f);
	assert_int_equal(git_index_write_tree_to(&tree_id, index, f.repo), 0);
	assert_int_equal(git_tree_lookup(&tree, f.repo, &tree_id), 0);
	assert_int_equal(git_tree_entry_bypath(&te, tree, "a/y.yml"), 0);
	assert_true(git_oid_equal(git_tree_entry_id(te), &f.blob[3]));
	git_tree_entry_free(te);
	assert_int_equal(git_tree_entry_bypath(&te, tree, "b/z.yml"), 0);
	assert_true(git_oid_equal(git_tree_entry_id(te), &f.blob[2]));
	git_tree_entry_free(te);
	git_tree_free(tree);
	git_index_free(index);
	strbuf_release(&in);
	teardown_repo(&f);
}

static int never_same(const char *path, const unsigned char id[20], void *data)
{
	(void)path;
	(void)id;
	(void)data;
	return 0;
}

static int always_same(const char *path, const unsigned char id[20],
		       void *data)
{
	(void)path;
	(void)id;
	(void)data;
	return 1;
}

/* An entry as new as the index it was read from may hide a change. */
static void test_index_patch__smudges_a_changed_racy_entry(void **state)
{
	struct fixture f;
	struct strbuf in = STRBUF_INIT;
	struct crm_index_update u;
	git_index *index;

	(void)state;
	setup_repo(&f, 4, 0);
	u = new_y(&f);
	assert_int_equal(patch(&f, &in, &u, 1, never_same, 1000), 0);
	index = reopen(&f);
	assert_int_equal(entry(index, "a/x.yml")->file_size, 0);
	assert_int_equal(entry(index, "b/z.yml")->file_size, 0);
	assert_int_equal(entry(index, "a/y.yml")->file_size, 5);
	git_index_free(index);
	strbuf_reset(&in);
	assert_int_equal(patch(&f, &in, &u, 1, always_same, 0), 0);
	index = reopen(&f);
	assert_int_equal(entry(index, "a/x.yml")->file_size, 0);
	git_index_free(index);
	strbuf_release(&in);
	teardown_repo(&f);
}

static void test_index_patch__a_racy_entry_unchanged_is_kept(void **state)
{
	struct fixture f;
	struct strbuf in = STRBUF_INIT;
	struct crm_index_update u;
	git_index *index;

	(void)state;
	setup_repo(&f, 4, 0);
	u = new_y(&f);
	assert_int_equal(patch(&f, &in, &u, 1, always_same, 1000), 0);
	index = reopen(&f);
	assert_int_equal(entry(index, "a/x.yml")->file_size, 10);
	git_index_free(index);
	strbuf_release(&in);
	teardown_repo(&f);
}

static void expect_decline(struct fixture *f, struct strbuf *in,
			   const struct crm_index_update *up, size_t n)
{
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;

	read_index_file(f, &before);
	assert_int_equal(patch(f, in, up, n, NULL, 5000), 1);
	read_index_file(f, &after);
	assert_int_equal(before.len, after.len);
	assert_memory_equal(before.buf, after.buf, before.len);
	strbuf_release(&before);
	strbuf_release(&after);
}

static void test_index_patch__declines_what_it_cannot_do(void **state)
{
	struct fixture f;
	struct strbuf in = STRBUF_INIT;
	struct crm_index_update u[2];

	(void)state;
	setup_repo(&f, 4, 0);
	u[0] = new_y(&f);
	u[0].path = "a/new.yml";	/* not in the index */
	expect_decline(&f, &in, u, 1);
	strbuf_reset(&in);
	u[0] = new_y(&f);
	u[1] = new_y(&f);		/* the same path twice */
	expect_decline(&f, &in, u, 2);
	strbuf_reset(&in);
	u[1].path = "a/x.yml";		/* not sorted */
	expect_decline(&f, &in, u, 2);
	strbuf_reset(&in);
	u[0].path = "b/z.yml";
	u[1].path = "c/none.yml";	/* the last one missing */
	expect_decline(&f, &in, u, 2);
	strbuf_release(&in);
	teardown_repo(&f);
}

/* Patch the index bytes `in` (a copy); 1 if the patch declines. */
static int patch_bytes(struct strbuf *in, const struct crm_index_update *u)
{
	struct strbuf tail = STRBUF_INIT;
	size_t keep;
	int rc = crm_index_patch((unsigned char *)in->buf, in->len, u, 1, 5000,
				 NULL, NULL, &keep, &tail);

	strbuf_release(&tail);
	return rc;
}

/* A checksum that matches again after the bytes were changed. */
static void rehash(struct strbuf *in)
{
	unsigned char sum[20];

	crm_sha1_2(sum, in->buf, in->len - 20, "", 0);
	memcpy(in->buf + in->len - 20, sum, 20);
}

/* Each case changes the index of a fresh repository before the patch. */
static void declines(void (*change)(struct strbuf *in))
{
	struct fixture f;
	struct strbuf in = STRBUF_INIT;
	struct crm_index_update u;

	setup_repo(&f, 4, 0);
	u = new_y(&f);
	read_index_file(&f, &in);
	change(&in);
	assert_int_equal(patch_bytes(&in, &u), 1);
	strbuf_release(&in);
	teardown_repo(&f);
}

static void version_to_come(struct strbuf *in)
{
	in->buf[7] = 5;
	rehash(in);
}

static void test_index_patch__declines_other_versions(void **state)
{
	(void)state;
	declines(version_to_come);
}

static void flip_a_stat_bit(struct strbuf *in)
{
	in->buf[20] ^= 1;		/* the first entry's stat data */
}

static void cut_short(struct strbuf *in)
{
	strbuf_setlen(in, 30);
}

static void test_index_patch__declines_a_bad_checksum(void **state)
{
	(void)state;
	declines(flip_a_stat_bit);
	declines(cut_short);
}

/* An extension crm does not know may depend on the entries. */
static void add_untracked_cache(struct strbuf *in)
{
	strbuf_setlen(in, in->len - 20);
	strbuf_add(in, "UNTR\0\0\0\2ab", 10);
	strbuf_addchars(in, 0, 20);
	rehash(in);
}

static void test_index_patch__declines_an_unknown_extension(void **state)
{
	(void)state;
	declines(add_untracked_cache);
}

/* The scan cache keys records by blob id: it must be git's. */
static void test_index_patch__blob_id_is_gits(void **state)
{
	static const char *const texts[] = { "", "id: a\n", "x" };
	unsigned char mine[20];
	git_oid theirs;
	size_t i;

	(void)state;
	git_libgit2_init();
	for (i = 0; i < 3; i++) {
		crm_blob_id(mine, texts[i], strlen(texts[i]));
		assert_int_equal(git_odb_hash(&theirs, texts[i],
					      strlen(texts[i]),
					      GIT_OBJECT_BLOB), 0);
		assert_memory_equal(mine, theirs.id, 20);
	}
	git_libgit2_shutdown();
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_index_patch__blob_id_is_gits),
	cmocka_unit_test(test_index_patch__replaces_one_entry),
	cmocka_unit_test(test_index_patch__invalidates_the_cache_tree),
	cmocka_unit_test(test_index_patch__smudges_a_changed_racy_entry),
	cmocka_unit_test(test_index_patch__a_racy_entry_unchanged_is_kept),
	cmocka_unit_test(test_index_patch__declines_what_it_cannot_do),
	cmocka_unit_test(test_index_patch__declines_other_versions),
	cmocka_unit_test(test_index_patch__declines_a_bad_checksum),
	cmocka_unit_test(test_index_patch__declines_an_unknown_extension),
};

UNIT_MAIN(tests)
