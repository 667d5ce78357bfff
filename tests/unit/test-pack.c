#include "unit.h"

#include <dirent.h>
#include <git2.h>

#include "../../lib/error.h"
#include "../../lib/pack.h"
#include "../../lib/strbuf.h"
#include "../../lib/store-internal.h"
#include "../../lib/util.h"

/*
 * crm_pack_write packs loose objects of a fresh repository; the loose
 * copies are then deleted, so what libgit2 reads back comes from the
 * pack (and its index, written by libgit2's indexer).
 */
#define NBLOBS 1300		/* three batches: both threads deflate and feed */

struct fixture {
	char dir[64];
	git_repository *repo;
	git_oid ids[NBLOBS + 1];
	struct strbuf texts[NBLOBS];
};

/* Sizes around the header's 4- and 11-bit steps, empty and large ones. */
static void make_text(struct strbuf *sb, size_t i)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 2047, 2048,
					200000 };
	size_t len = i < ARRAY_SIZE(sizes) ? sizes[i] : 40 + i % 300, k;

	strbuf_init(sb);
	strbuf_addf(sb, "id: blob-%zu\n", i);
	for (k = 0; sb->len < len; k++)
		strbuf_addch(sb, (int)('a' + (k * 7 + i) % 26));
	strbuf_setlen(sb, len);
}

/* A new bare repository in a temporary directory. */
static void init_repo(struct fixture *f)
{
	git_libgit2_init();
	strcpy(f->dir, "/tmp/crm-pack-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(git_repository_init(&f->repo, f->dir, 1), 0);
}

static void remove_repo(struct fixture *f)
{
	char cmd[128];

	git_repository_free(f->repo);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	git_libgit2_shutdown();
}

static void setup(struct fixture *f)
{
	size_t i;

	init_repo(f);
	for (i = 0; i < NBLOBS; i++) {
		make_text(&f->texts[i], i);
		assert_int_equal(git_blob_create_from_buffer(&f->ids[i],
				 f->repo, f->texts[i].buf, f->texts[i].len), 0);
	}
}

static void teardown(struct fixture *f)
{
	size_t i;

	for (i = 0; i < NBLOBS; i++)
		strbuf_release(&f->texts[i]);
	remove_repo(f);
}

/* How many files in objects/pack end in `suffix`. */
static int count_pack_files(const struct fixture *f, const char *suffix)
{
	char path[128];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "%s/objects/pack", f->dir);
	assert_non_null(d = opendir(path));
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name), slen = strlen(suffix);

		if (len > slen && !strcmp(de->d_name + len - slen, suffix))
			n++;
	}
	closedir(d);
	return n;
}

static void drop_loose_objects(struct fixture *f)
{
	char cmd[128];

	git_repository_free(f->repo);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'/objects/[0-9a-f][0-9a-f]",
		 f->dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(git_repository_open(&f->repo, f->dir), 0);
}

static void test_pack__holds_every_object_as_it_was(void **state)
{
	struct fixture f;
	char cmd[160];
	size_t i;

	(void)state;
	setup(&f);
	assert_int_equal(crm_pack_write(f.repo, f.ids, NBLOBS), 0);
	assert_int_equal(count_pack_files(&f, ".pack"), 1);
	assert_int_equal(count_pack_files(&f, ".idx"), 1);
	drop_loose_objects(&f);
	for (i = 0; i < NBLOBS; i++) {
		git_blob *blob;

		assert_int_equal(git_blob_lookup(&blob, f.repo, &f.ids[i]), 0);
		assert_int_equal(git_blob_rawsize(blob), f.texts[i].len);
		assert_memory_equal(git_blob_rawcontent(blob), f.texts[i].buf,
				    f.texts[i].len);
		git_blob_free(blob);
	}
	/* and git itself accepts the pack, checksum and all */
	snprintf(cmd, sizeof(cmd), "git verify-pack '%s'/objects/pack/*.idx "
		 ">/dev/null", f.dir);
	assert_int_equal(system(cmd), 0);
	teardown(&f);
}

static void test_pack__a_missing_object_writes_no_pack(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f);
	/* an id no object has, in the second of three batches */
	memset(f.ids[700].id, 0xab, sizeof(f.ids[700].id));
	assert_int_equal(crm_pack_write(f.repo, f.ids, NBLOBS), CRM_ERROR);
	assert_non_null(strstr(crm_error_last(),
			       "cannot read an object to pack"));
	assert_int_equal(count_pack_files(&f, ".pack"), 0);
	assert_int_equal(count_pack_files(&f, ".idx"), 0);
	teardown(&f);
}

/* The resident KiB of this process's mappings of pack files. */
static long pack_rss_kb(void)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int in_pack = 0;
	long kb = 0, v;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (strchr(line, '-') && strchr(line, ' ') &&
		    strchr(line, '-') < strchr(line, ' '))
			in_pack = strstr(line, "/objects/pack/pack-") != NULL;
		else if (in_pack && sscanf(line, "Rss: %ld kB", &v) == 1)
			kb += v;
	}
	fclose(f);
	return kb;
}

/* 64 blobs of 64 KiB that do not compress: a pack of 4 MiB. */
#define NBIG 64
#define BIG (64 * 1024)

static void make_big_pack(struct fixture *f, unsigned char **texts)
{
	unsigned long x = 88172645463325252UL;
	size_t i, k;

	init_repo(f);
	for (i = 0; i < NBIG; i++) {
		texts[i] = xmalloc(BIG);
		for (k = 0; k < BIG; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			texts[i][k] = (unsigned char)x;
		}
		assert_int_equal(git_blob_create_from_buffer(&f->ids[i],
				 f->repo, texts[i], BIG), 0);
	}
	assert_int_equal(crm_pack_write(f->repo, f->ids, NBIG), 0);
	drop_loose_objects(f);
}

static void read_big_blobs(struct fixture *f, unsigned char **texts)
{
	size_t i, len;
	git_object_t type;
	git_odb *odb;

	assert_int_equal(git_repository_odb(&odb, f->repo), 0);
	for (i = 0; i < NBIG; i++) {
		git_blob *blob;

		assert_int_equal(git_odb_read_header(&len, &type, odb,
						     &f->ids[i]), 0);
		assert_int_equal(len, BIG);
		assert_int_equal(git_blob_lookup(&blob, f->repo, &f->ids[i]), 0);
		assert_int_equal(git_blob_rawsize(blob), BIG);
		assert_memory_equal(git_blob_rawcontent(blob), texts[i], BIG);
		git_blob_free(blob);
	}
	git_odb_free(odb);
}

static void test_pack__pages_let_go_are_read_again(void **state)
{
	struct fixture f;
	struct crm_store s;
	unsigned char *texts[NBIG];
	long full;
	size_t i;

	(void)state;
	make_big_pack(&f, texts);
	/* objects read once each: no cache keeps them out of the pack */
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	read_big_blobs(&f, texts);
	full = pack_rss_kb();
	assert_true(full >= 3 * 1024);
	crm_release_pack_pages();
	assert_int_equal(pack_rss_kb(), 0);
	read_big_blobs(&f, texts);
	assert_true(pack_rss_kb() >= 3 * 1024);

	/* a release every read: at most the last object's pages stay */
	crm_release_pack_pages();
	memset(&s, 0, sizeof(s));
	s.repo = f.repo;
	assert_int_equal(crm_store_release_pages_on_read(&s, 1), 0);
	read_big_blobs(&f, texts);
	assert_true(pack_rss_kb() <= 512);
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 1);
	for (i = 0; i < NBIG; i++)
		free(texts[i]);
	remove_repo(&f);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_pack__pages_let_go_are_read_again),
	cmocka_unit_test(test_pack__holds_every_object_as_it_was),
	cmocka_unit_test(test_pack__a_missing_object_writes_no_pack),
};

UNIT_MAIN(tests)
