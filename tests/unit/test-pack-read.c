#include "unit.h"

#include <git2.h>
#include <git2/sys/odb_backend.h>
#include <unistd.h>

#include "../../lib/pack-read.h"
#include "../../lib/strbuf.h"
#include "../../lib/util.h"

/*
 * A history like a store's -- records in shards, each commit changing
 * one, each version a little longer -- so that packs hold long delta
 * chains.  Every object is read through the pread backend alone and
 * compared with what libgit2 reads; the ids are listed while all are
 * loose, before any pack exists.
 */
#define NCOMMITS 400
#define NRECORDS 24

struct fixture {
	char dir[64], objects[96];
	git_repository *repo;
	git_oid *ids;
	size_t n, alloc;
	struct strbuf *data;	/* what each id holds, read before packing */
	git_object_t *types;
};

static void record_text(struct strbuf *sb, size_t record, size_t version)
{
	size_t k;

	strbuf_reset(sb);
	strbuf_addf(sb, "id: r%zu\nname: Record %zu\nlog:\n", record, record);
	for (k = 0; k < version; k++)
		strbuf_addf(sb, "  - at: 2026-01-%02zuT10:00:00Z\n"
			    "    text: call number %zu about the offer\n",
			    1 + k % 28, k);
}

static void commit_version(struct fixture *f, git_oid *tip, size_t i)
{
	struct strbuf text = STRBUF_INIT, path = STRBUF_INIT;
	git_tree_update up;
	git_oid blob, tree;
	git_tree *base = NULL, *next;
	git_commit *parent = NULL;
	git_signature *sig;
	size_t record = i * 7 % NRECORDS;

	record_text(&text, record, i / NRECORDS + 1);
	strbuf_addf(&path, "customers/%02zx/r%zu.yml", record % 4, record);
	assert_int_equal(git_blob_create_from_buffer(&blob, f->repo, text.buf,
						     text.len), 0);
	if (i) {
		assert_int_equal(git_commit_lookup(&parent, f->repo, tip), 0);
		assert_int_equal(git_commit_tree(&base, parent), 0);
	}
	memset(&up, 0, sizeof(up));
	up.action = GIT_TREE_UPDATE_UPSERT;
	git_oid_cpy(&up.id, &blob);
	up.filemode = GIT_FILEMODE_BLOB;
	up.path = path.buf;
	if (base) {
		assert_int_equal(git_tree_create_updated(&tree, f->repo, base,
							 1, &up), 0);
	} else {
		git_treebuilder *tb;
		git_oid empty;

		assert_int_equal(git_treebuilder_new(&tb, f->repo, NULL), 0);
		assert_int_equal(git_treebuilder_write(&empty, tb), 0);
		git_treebuilder_free(tb);
		assert_int_equal(git_tree_lookup(&base, f->repo, &empty), 0);
		assert_int_equal(git_tree_create_updated(&tree, f->repo, base,
							 1, &up), 0);
	}
	assert_int_equal(git_tree_lookup(&next, f->repo, &tree), 0);
	assert_int_equal(git_signature_new(&sig, "T", "t@example.org",
					   1700000000 + (git_time_t)i, 0), 0);
	assert_int_equal(git_commit_create_v(tip, f->repo, "refs/heads/main",
					     sig, sig, NULL, path.buf, next,
					     parent ? 1 : 0, parent), 0);
	git_signature_free(sig);
	git_tree_free(next);
	git_tree_free(base);
	git_commit_free(parent);
	strbuf_release(&text);
	strbuf_release(&path);
}

static int list_object(const git_oid *id, void *payload)
{
	struct fixture *f = payload;

	ALLOC_GROW(f->ids, f->n + 1, f->alloc);
	git_oid_cpy(&f->ids[f->n++], id);
	return 0;
}

static void setup(struct fixture *f)
{
	git_odb *odb;
	git_oid tip;
	size_t i;

	memset(f, 0, sizeof(*f));
	git_libgit2_init();
	strcpy(f->dir, "/tmp/crm-pack-read-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->objects, sizeof(f->objects), "%s/objects", f->dir);
	assert_int_equal(git_repository_init(&f->repo, f->dir, 1), 0);
	for (i = 0; i < NCOMMITS; i++)
		commit_version(f, &tip, i);
	assert_int_equal(git_repository_odb(&odb, f->repo), 0);
	assert_int_equal(git_odb_foreach(odb, list_object, f), 0);
	f->data = xcalloc(f->n, sizeof(*f->data));
	f->types = xcalloc(f->n, sizeof(*f->types));
	for (i = 0; i < f->n; i++) {
		git_odb_object *o;

		assert_int_equal(git_odb_read(&o, odb, &f->ids[i]), 0);
		strbuf_init(&f->data[i]);
		strbuf_add(&f->data[i], git_odb_object_data(o),
			   git_odb_object_size(o));
		f->types[i] = git_odb_object_type(o);
		git_odb_object_free(o);
	}
	git_odb_free(odb);
	/* the packs are git's to write; nothing of libgit2's stays open */
	git_repository_free(f->repo);
	f->repo = NULL;
}

static void teardown(struct fixture *f)
{
	char cmd[128];
	size_t i;

	for (i = 0; i < f->n; i++)
		strbuf_release(&f->data[i]);
	free(f->data);
	free(f->types);
	free(f->ids);
	git_repository_free(f->repo);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	git_libgit2_shutdown();
}

static void git(const struct fixture *f, const char *args)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "git --git-dir='%s' %s >/dev/null 2>&1",
		 f->dir, args);
	assert_int_equal(system(cmd), 0);
}

/* A shell script, run in the repository with GIT_DIR set. */
static void shell(const struct fixture *f, const char *script)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "cd '%s' && GIT_DIR=. && export GIT_DIR "
		 "&& { %s; } >/dev/null 2>&1", f->dir, script);
	assert_int_equal(system(cmd), 0);
}

/* An object database with the pread backend alone. */
static git_odb *pread_odb(const struct fixture *f)
{
	git_odb_backend *backend;
	git_odb *odb;

	assert_int_equal(git_odb_new(&odb), 0);
	assert_int_equal(crm_pack_read_backend(&backend, f->objects), 0);
	assert_int_equal(git_odb_add_backend(odb, backend, 1), 0);
	return odb;
}

/* Whether this process maps any file of a pack. */
static int maps_a_pack(void)
{
	FILE *maps = fopen("/proc/self/maps", "r");
	char line[512];
	int found = 0;

	assert_non_null(maps);
	while (fgets(line, sizeof(line), maps))
		found |= strstr(line, "/objects/pack/pack-") != NULL;
	fclose(maps);
	return found;
}

/* Every object, read as it was; the pack never mapped. */
static void assert_reads_every_object(const struct fixture *f)
{
	git_odb *odb = pread_odb(f);
	size_t i;

	for (i = 0; i < f->n; i++) {
		git_odb_object *o;

		assert_int_equal(git_odb_read(&o, odb, &f->ids[i]), 0);
		assert_int_equal(git_odb_object_type(o), f->types[i]);
		assert_int_equal(git_odb_object_size(o), f->data[i].len);
		assert_memory_equal(git_odb_object_data(o), f->data[i].buf,
				    f->data[i].len);
		git_odb_object_free(o);
	}
	assert_false(maps_a_pack());
	git_odb_free(odb);
}

/* The "chain length = N: M objects" lines of git verify-pack -v. */
static int longest_chain(const struct fixture *f)
{
	char cmd[256], line[256];
	FILE *out;
	int longest = 0, len;

	snprintf(cmd, sizeof(cmd), "git verify-pack -v '%s'/objects/pack/"
		 "*.idx", f->dir);
	assert_non_null(out = popen(cmd, "r"));
	while (fgets(line, sizeof(line), out))
		if (sscanf(line, "chain length = %d", &len) == 1 &&
		    len > longest)
			longest = len;
	assert_int_equal(pclose(out), 0);
	return longest;
}

static void test_pack_read__loose_objects(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f);
	assert_reads_every_object(&f);
	teardown(&f);
}

static void test_pack_read__a_pack_of_long_delta_chains(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f);
	/* OFS_DELTAs, chains up to 50 (git's default depth) */
	git(&f, "repack -a -d -f -q --window=50 --depth=50");
	assert_true(longest_chain(&f) >= 10);
	assert_reads_every_object(&f);
	teardown(&f);
}

static void test_pack_read__deltas_by_id_and_several_packs(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f);
	/*
	 * The first 200 commits in one pack, the next 150 in another, both
	 * of REF_DELTAs (a base named by id, not by offset); the last 50
	 * loose.
	 */
	shell(&f, "t=$(git rev-parse main) && "
		  "git update-ref refs/heads/main $t~200 && "
		  "git -c repack.useDeltaBaseOffset=false repack -a -d -f -q && "
		  "git update-ref refs/heads/main $t~50 && "
		  "git -c repack.useDeltaBaseOffset=false repack -d -q && "
		  "git update-ref refs/heads/main $t && "
		  "test $(ls objects/pack/*.pack | wc -l) = 2 && "
		  "test $(git count-objects | cut -d' ' -f1) -gt 100");
	assert_reads_every_object(&f);
	teardown(&f);
}

static void test_pack_read__an_absent_object_is_passed_on(void **state)
{
	struct fixture f;
	git_odb_object *o;
	git_odb *odb;
	git_oid none;

	(void)state;
	setup(&f);
	git(&f, "repack -a -d -q");
	odb = pread_odb(&f);
	memset(none.id, 0xab, sizeof(none.id));
	assert_int_equal(git_odb_read(&o, odb, &none), GIT_ENOTFOUND);
	git_odb_free(odb);
	teardown(&f);
}

/*
 * A damaged pack: every object reads either as it was or not at all
 * (libgit2 checks each object's hash); nothing crashes.
 */
static void damage_and_read(struct fixture *f, const char *how)
{
	char cmd[512];
	size_t i, read_back = 0;
	git_odb *odb;

	snprintf(cmd, sizeof(cmd), "cd '%s'/objects/pack && p=$(ls *.pack) && "
		 "chmod u+w $p && %s", f->dir, how);
	assert_int_equal(system(cmd), 0);
	odb = pread_odb(f);
	for (i = 0; i < f->n; i++) {
		git_odb_object *o;

		if (git_odb_read(&o, odb, &f->ids[i]))
			continue;
		read_back++;
		assert_int_equal(git_odb_object_type(o), f->types[i]);
		assert_int_equal(git_odb_object_size(o), f->data[i].len);
		assert_memory_equal(git_odb_object_data(o), f->data[i].buf,
				    f->data[i].len);
		git_odb_object_free(o);
	}
	/* some objects come before the damage, some not after */
	assert_true(read_back > 0 && read_back < f->n);
	git_odb_free(odb);
}

static void test_pack_read__a_damaged_pack(void **state)
{
	struct fixture f;

	(void)state;
	setup(&f);
	git(&f, "repack -a -d -f -q --depth=50");
	/* 4 KiB of ones from the middle on */
	damage_and_read(&f, "s=$(stat -c %s $p) && "
			"head -c 4096 /dev/zero | tr '\\0' '\\377' | "
			"dd of=$p bs=1 seek=$((s / 2)) conv=notrunc "
			"2>/dev/null");
	teardown(&f);
	setup(&f);
	git(&f, "repack -a -d -f -q --depth=50");
	damage_and_read(&f, "truncate -s $(($(stat -c %s $p) * 2 / 3)) $p");
	teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pack_read__loose_objects),
		cmocka_unit_test(test_pack_read__a_pack_of_long_delta_chains),
		cmocka_unit_test(test_pack_read__deltas_by_id_and_several_packs),
		cmocka_unit_test(test_pack_read__an_absent_object_is_passed_on),
		cmocka_unit_test(test_pack_read__a_damaged_pack),
	};
	size_t total = sizeof(tests) / sizeof(tests[0]);
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	printf("%zu passed, %d failed\n", total - (size_t)failed, failed);
	return failed != 0;
}
