#include "unit.h"

#include <time.h>

#include "../../lib/clock.h"
#include "../../lib/error.h"
#include "../../lib/merge.h"
#include "../../lib/record.h"
#include "../../lib/strbuf.h"
#include "../../lib/yaml.h"

static struct crm_node *parse(const char *text)
{
	struct crm_node *n = NULL;

	if (!text)
		return NULL;
	if (crm_yaml_parse(&n, text, strlen(text), "t"))
		fail_msg("cannot parse test input: %s", crm_error_last());
	return n;
}

static char *emit(const struct crm_node *n)
{
	struct strbuf sb = STRBUF_INIT;

	if (!n)
		return NULL;
	assert_int_equal(crm_yaml_emit(&sb, n), 0);
	return strbuf_detach(&sb, NULL);
}

/*
 * Every merge a test makes goes through here: whatever else the test
 * checks, the result is a valid record that survives a write and a
 * read, with no conflict markers in it.
 */
static void check_valid(const struct crm_node *n)
{
	struct crm_node *again;
	char *text;

	if (!n)
		return;
	if (crm_record_check(n, NULL, "merged"))
		fail_msg("invalid merge: %s", crm_error_last());
	text = emit(n);
	assert_null(strstr(text, "<<<<<<<"));
	assert_null(strstr(text, ">>>>>>>"));
	again = parse(text);
	assert_int_equal(crm_record_check(again, NULL, "merged"), 0);
	crm_node_free(again);
	free(text);
}

static void merge_texts(struct crm_merge_result *r, const char *base,
			const char *ours, const char *theirs)
{
	struct crm_node *b = parse(base), *o = parse(ours), *t = parse(theirs);
	int rc = crm_merge_records(r, "jane-doe", b, o, t);

	if (rc)
		fail_msg("merge failed: %s", crm_error_last());
	check_valid(r->merged);
	check_valid(r->theirs_renamed);
	crm_node_free(b);
	crm_node_free(o);
	crm_node_free(t);
}

static void assert_yaml(const struct crm_node *n, const char *expected)
{
	char *text = emit(n);

	if (!expected) {
		if (text)
			fail_msg("expected no record, got:\n%s", text);
		return;
	}
	if (!text)
		fail_msg("expected a record, got none");
	if (strcmp(text, expected))
		fail_msg("got:\n%s\nexpected:\n%s", text, expected);
	free(text);
}

/* Merge, compare the result, count conflicts; returns the notes' text. */
static char *expect_merge(const char *base, const char *ours,
			  const char *theirs, const char *expected,
			  size_t conflicts)
{
	struct crm_merge_result r;
	struct strbuf notes = STRBUF_INIT;
	size_t i;

	merge_texts(&r, base, ours, theirs);
	assert_yaml(r.merged, expected);
	assert_null(r.theirs_renamed);
	assert_int_equal(r.conflicts, conflicts);
	for (i = 0; i < r.nnotes; i++)
		strbuf_addf(&notes, "%s\n", r.notes[i].text);
	crm_merge_result_release(&r);
	return strbuf_detach(&notes, NULL);
}

static void expect_notes(char *notes, const char *expected)
{
	if (strcmp(notes, expected))
		fail_msg("notes:\n%s\nexpected:\n%s", notes, expected);
	free(notes);
}

static void test_merge__different_fields_changed_on_both_sides_are_kept(
	void **state)
{
	(void)state;
	expect_notes(expect_merge(
		"id: jane-doe\nname: Jane Doe\ncompany: acme\nowner: alice\n"
		"notes: hi\n",
		/* ours: owner, and a custom field */
		"id: jane-doe\nname: Jane Doe\ncompany: acme\nowner: bob\n"
		"notes: hi\nshoe_size: 42\n",
		/* theirs: company, notes removed, kind and phones added */
		"id: jane-doe\nname: Jane Doe\nkind: person\ncompany: globex\n"
		"phones: [\"+1 555 0100\"]\nowner: alice\n",
		"id: jane-doe\nname: Jane Doe\nkind: person\ncompany: globex\n"
		"phones: [\"+1 555 0100\"]\nowner: bob\nshoe_size: 42\n", 0),
		"");
}

static void test_merge__theirs_new_fields_take_their_canonical_place(
	void **state)
{
	(void)state;
	expect_notes(expect_merge(
		"id: jane-doe\nname: Jane Doe\ncustom: 1\nlog:\n"
		"- at: 2026-01-01T00:00:00Z\n",
		"id: jane-doe\nname: Jane Doe\ncustom: 2\nlog:\n"
		"- at: 2026-01-01T00:00:00Z\n",
		"id: jane-doe\nname: Jane Doe\ntags: [vip]\nowner: bob\n"
		"custom: 1\nhobby: chess\nlog:\n- at: 2026-01-01T00:00:00Z\n"
		"followups:\n- id: 1\n  due: 2026-02-01\n",
		"id: jane-doe\nname: Jane Doe\ntags: [vip]\nowner: bob\n"
		"custom: 2\nhobby: chess\nlog:\n- at: 2026-01-01T00:00:00Z\n"
		"followups:\n- id: 1\n  due: 2026-02-01\n", 0),
		"");
}

static void test_merge__scalar_lists_merge_as_sets(void **state)
{
	(void)state;
	expect_notes(expect_merge(
		"id: jane-doe\nname: Jane Doe\n"
		"emails: [a@x.example, b@x.example]\n"
		"tags: [lead, web, old]\nlanguages:\n- en\n- fr\n",
		/* ours: -old +vip; -b +c +d; +de */
		"id: jane-doe\nname: Jane Doe\n"
		"emails: [a@x.example, c@x.example, d@x.example]\n"
		"tags: [lead, web, vip]\nlanguages:\n- en\n- fr\n- de\n",
		/* theirs: -web +hot; -a +d; +es */
		"id: jane-doe\nname: Jane Doe\n"
		"emails: [d@x.example, b@x.example]\n"
		"tags: [hot, lead, old]\nlanguages:\n- en\n- es\n- fr\n",
		"id: jane-doe\nname: Jane Doe\n"
		"emails: [c@x.example, d@x.example]\n"
		"tags: [lead, vip, hot]\nlanguages:\n- en\n- fr\n- de\n- es\n",
		0), "");
}

static void test_merge__a_list_emptied_by_both_sides_is_dropped(void **state)
{
	(void)state;
	expect_notes(expect_merge(
		"id: jane-doe\nname: Jane Doe\ntags: [a, b]\n",
		"id: jane-doe\nname: Jane Doe\ntags: [a]\n",
		"id: jane-doe\nname: Jane Doe\ntags: [b]\n",
		"id: jane-doe\nname: Jane Doe\n", 0), "");
	/* a list removed on one side keeps only what the other added */
	expect_notes(expect_merge(
		"id: jane-doe\nname: Jane Doe\ntags: [a, b]\n",
		"id: jane-doe\nname: Jane Doe\n",
		"id: jane-doe\nname: Jane Doe\ntags: [a, b, c]\n",
		"id: jane-doe\nname: Jane Doe\ntags: [c]\n", 0), "");
}

#define E0 "- at: 2026-11-22T10:15:00+01:00\n  text: base\n"
#define T1 "- at: 2026-11-22T05:00:00-05:00\n  text: theirs 1\n"
#define O1 "- at: 2026-11-23T09:00:00+01:00\n  text: ours 1\n"
#define T2 "- at: 2026-11-23T08:30:00+00:00\n  text: theirs 2\n"
#define S1 "- at: 2026-11-23T12:00:00Z\n  text: both\n"
#define O2 "- at: 2026-11-24T12:00:00Z\n  text: ours 2\n"
#define O3 "- at: 2026-11-25T10:00:00+01:00\n  text: ours 3\n"
#define T3 "- at: 2026-11-25T09:00:00Z\n  text: theirs 3\n"

static void test_merge__log_entries_of_both_sides_sorted_by_instant(
	void **state)
{
	(void)state;
	/*
	 * By string, T1 would come before E0 and T2 before O1; by instant
	 * (10:00Z after 09:15Z, 08:30Z after 08:00Z) they come after.
	 * S1 was logged on both sides: once.  O3 and T3 are the same
	 * instant: ours first.
	 */
	expect_notes(expect_merge(
		"id: jane-doe\nname: Jane Doe\nlog:\n" E0,
		"id: jane-doe\nname: Jane Doe\nlog:\n" E0 O1 S1 O2 O3,
		"id: jane-doe\nname: Jane Doe\nlog:\n" E0 T1 T2 S1 T3,
		"id: jane-doe\nname: Jane Doe\nlog:\n" E0 T1 O1 T2 S1 O2 O3 T3,
		0), "");
}

static void test_merge__log_entry_removed_on_one_side_stays_removed(
	void **state)
{
	(void)state;
	/* ours removes T1 and edits O1; theirs removes O1 and adds O2:
	 * the edit survives the removal of what it edited */
	expect_notes(expect_merge(
		"id: jane-doe\nname: Jane Doe\nlog:\n" E0 T1 O1,
		"id: jane-doe\nname: Jane Doe\nlog:\n" E0
		"- at: 2026-11-23T09:00:00+01:00\n  text: ours 1, edited\n",
		"id: jane-doe\nname: Jane Doe\nlog:\n" E0 T1 O2,
		"id: jane-doe\nname: Jane Doe\nlog:\n" E0
		"- at: 2026-11-23T09:00:00+01:00\n  text: ours 1, edited\n" O2,
		0), "");
}

#define DEALS_BASE \
	"id: jane-doe\nname: Jane Doe\ndeals:\n" \
	"- id: website\n  title: Website\n  stage: lead\n" \
	"- id: hosting\n  title: Hosting\n  stage: lead\n" \
	"followups:\n- id: 1\n  due: 2026-11-28\n  text: Send\n  done: false\n"

static void test_merge__deals_edited_on_different_entries(void **state)
{
	(void)state;
	expect_notes(expect_merge(DEALS_BASE,
		"id: jane-doe\nname: Jane Doe\ndeals:\n"
		"- id: website\n  title: Website\n  stage: proposal\n"
		"- id: hosting\n  title: Hosting\n  stage: lead\n"
		"followups:\n- id: 1\n  due: 2026-11-28\n  text: Send\n"
		"  done: false\n- id: 2\n  due: 2026-12-01\n  text: Call\n",
		"id: jane-doe\nname: Jane Doe\ndeals:\n"
		"- id: website\n  title: Website\n  stage: lead\n"
		"- id: hosting\n  title: Hosting\n  stage: won\n"
		"  value: \"100.00\"\n"
		"followups:\n- id: 1\n  due: 2026-11-28\n  text: Send\n"
		"  done: true\n",
		"id: jane-doe\nname: Jane Doe\ndeals:\n"
		"- id: website\n  title: Website\n  stage: proposal\n"
		"- id: hosting\n  title: Hosting\n  stage: won\n"
		"  value: \"100.00\"\n"
		"followups:\n- id: 1\n  due: 2026-11-28\n  text: Send\n"
		"  done: true\n- id: 2\n  due: 2026-12-01\n  text: Call\n", 0),
		"");
}

static void test_merge__same_deal_field_changed_differently_conflicts(
	void **state)
{
	(void)state;
	expect_notes(expect_merge(DEALS_BASE,
		"id: jane-doe\nname: Jane Doe\ndeals:\n"
		"- id: website\n  title: Website\n  stage: won\n"
		"- id: hosting\n  title: Hosting\n  stage: lead\n"
		"followups:\n- id: 1\n  due: 2026-11-28\n  text: Send\n"
		"  done: false\n",
		"id: jane-doe\nname: Jane Doe\ndeals:\n"
		"- id: website\n  title: New website\n  stage: lost\n"
		"- id: hosting\n  title: Hosting\n  stage: lead\n"
		"followups:\n- id: 1\n  due: 2026-11-29\n  text: Send\n"
		"  done: false\n",
		"id: jane-doe\nname: Jane Doe\ndeals:\n"
		"- id: website\n  title: New website\n  stage: won\n"
		"- id: hosting\n  title: Hosting\n  stage: lead\n"
		"followups:\n- id: 1\n  due: 2026-11-29\n  text: Send\n"
		"  done: false\n"
		"conflicts:\n- field: deals/website.stage\n  ours: won\n"
		"  theirs: lost\n  base: lead\n", 1),
		"jane-doe: conflict in 'deals/website.stage': ours kept, theirs "
		"saved under 'conflicts'\n");
}

static void test_merge__deal_added_on_both_sides_differently_is_renamed(
	void **state)
{
	(void)state;
	expect_notes(expect_merge(
		"id: jane-doe\nname: Jane Doe\n",
		"id: jane-doe\nname: Jane Doe\ndeals:\n"
		"- id: website\n  title: Website\n  value: \"8000.00\"\n",
		"id: jane-doe\nname: Jane Doe\ndeals:\n"
		"- id: website\n  title: Website\n  value: \"9000.00\"\n"
		"- id: seo\n  title: SEO\n",
		"id: jane-doe\nname: Jane Doe\ndeals:\n"
		"- id: website\n  title: Website\n  value: \"8000.00\"\n"
		"- id: website-2\n  title: Website\n  value: \"9000.00\"\n"
		"- id: seo\n  title: SEO\n", 0),
		"jane-doe: deal 'website' added on both sides; theirs kept as "
		"'website-2'\n");
	/* -2 is taken (theirs has one): the next free suffix */
	expect_notes(expect_merge(
		"id: jane-doe\nname: Jane Doe\ndeals:\n- id: old\n",
		"id: jane-doe\nname: Jane Doe\ndeals:\n- id: old\n"
		"- id: website\n  title: A\n",
		"id: jane-doe\nname: Jane Doe\ndeals:\n- id: old\n"
		"- id: website\n  title: B\n- id: website-2\n  title: C\n",
		"id: jane-doe\nname: Jane Doe\ndeals:\n- id: old\n"
		"- id: website\n  title: A\n- id: website-3\n  title: B\n"
		"- id: website-2\n  title: C\n", 0),
		"jane-doe: deal 'website' added on both sides; theirs kept as "
		"'website-3'\n");
}

static void test_merge__deal_added_on_both_sides_identically_is_one(
	void **state)
{
	(void)state;
	expect_notes(expect_merge(
		"id: jane-doe\nname: Jane Doe\nowner: alice\n",
		"id: jane-doe\nname: Jane Doe\nowner: bob\ndeals:\n"
		"- id: website\n  title: Website\n",
		"id: jane-doe\nname: Jane Doe\nowner: alice\ndeals:\n"
		"- id: website\n  title: Website\n",
		"id: jane-doe\nname: Jane Doe\nowner: bob\ndeals:\n"
		"- id: website\n  title: Website\n", 0), "");
}

static void test_merge__followup_id_collision_takes_max_plus_one(
	void **state)
{
	(void)state;
	/* 6 added on both sides; 7, the largest id, on theirs: so 8 */
	expect_notes(expect_merge(
		"id: jane-doe\nname: Jane Doe\nfollowups:\n- id: 1\n  text: A\n"
		"- id: 5\n  text: B\n",
		"id: jane-doe\nname: Jane Doe\nfollowups:\n- id: 1\n  text: A\n"
		"- id: 5\n  text: B\n- id: 6\n  text: ours\n",
		"id: jane-doe\nname: Jane Doe\nfollowups:\n- id: 1\n  text: A\n"
		"- id: 5\n  text: B\n- id: 6\n  text: theirs\n"
		"- id: 7\n  text: theirs too\n",
		"id: jane-doe\nname: Jane Doe\nfollowups:\n- id: 1\n  text: A\n"
		"- id: 5\n  text: B\n- id: 6\n  text: ours\n"
		"- id: 8\n  text: theirs\n- id: 7\n  text: theirs too\n", 0),
		"jane-doe: follow-up '6' added on both sides; theirs kept as "
		"'8'\n");
}

static void test_merge__entry_deleted_on_one_side_changed_on_other_is_kept(
	void **state)
{
	(void)state;
	/* website: deleted on ours, changed on theirs; hosting: the other
	 * way round; seo: deleted on ours, untouched on theirs, so gone */
	expect_notes(expect_merge(
		"id: jane-doe\nname: Jane Doe\ndeals:\n"
		"- id: website\n  stage: lead\n- id: hosting\n  stage: lead\n"
		"- id: seo\n  stage: lead\n",
		"id: jane-doe\nname: Jane Doe\ndeals:\n"
		"- id: hosting\n  stage: won\n",
		"id: jane-doe\nname: Jane Doe\ndeals:\n"
		"- id: website\n  stage: proposal\n- id: seo\n  stage: lead\n",
		"id: jane-doe\nname: Jane Doe\ndeals:\n"
		"- id: hosting\n  stage: won\n- id: website\n  stage: proposal\n",
		0),
		"jane-doe: deal 'hosting' deleted on theirs, changed on ours; "
		"kept\n"
		"jane-doe: deal 'website' deleted on ours, changed on theirs; "
		"kept\n");
}

static void test_merge__same_field_changed_differently_is_a_conflict(
	void **state)
{
	(void)state;
	expect_notes(expect_merge(
		"id: jane-doe\nname: Jane Doe\nowner: alice\nlog:\n" E0,
		"id: jane-doe\nname: Jane Doe\nowner: bob\nlog:\n" E0,
		"id: jane-doe\nname: Jane Doe\nowner: carol\nlog:\n" E0,
		"id: jane-doe\nname: Jane Doe\nowner: bob\nlog:\n" E0
		"conflicts:\n- field: owner\n  ours: bob\n  theirs: carol\n"
		"  base: alice\n", 1),
		"jane-doe: conflict in 'owner': ours kept, theirs saved under "
		"'conflicts'\n");
	/* added on both sides: no base; values of any shape, whole */
	expect_notes(expect_merge(
		"id: jane-doe\nname: Jane Doe\n",
		"id: jane-doe\nname: Jane Doe\nsize: [1, 2]\nextra: x\n",
		"id: jane-doe\nname: Jane Doe\nsize: big\n",
		"id: jane-doe\nname: Jane Doe\nsize: [1, 2]\nextra: x\n"
		"conflicts:\n- field: size\n  ours: [1, 2]\n  theirs: big\n", 1),
		"jane-doe: conflict in 'size': ours kept, theirs saved under "
		"'conflicts'\n");
}

static void test_merge__same_change_on_both_sides_is_not_a_conflict(
	void **state)
{
	(void)state;
	expect_notes(expect_merge(
		"id: jane-doe\nname: Jane Doe\ncompany: acme\nowner: alice\n"
		"log:\n" E0,
		"id: jane-doe\nname: Jane Doe\ncompany: globex\ntags: [vip]\n"
		"owner: bob\nlog:\n" E0 O1,
		"id: jane-doe\nname: Jane Doe\ncompany: acme\ntags: [vip]\n"
		"owner: bob\nlog:\n" E0 O1,
		"id: jane-doe\nname: Jane Doe\ncompany: globex\ntags: [vip]\n"
		"owner: bob\nlog:\n" E0 O1, 0), "");
}

static void test_merge__field_deleted_on_one_side_changed_on_other(
	void **state)
{
	(void)state;
	/* company: deleted on ours (stays deleted, theirs kept in the
	 * conflict); notes: deleted on theirs (ours stays) */
	expect_notes(expect_merge(
		"id: jane-doe\nname: Jane Doe\ncompany: acme\nnotes: old\n",
		"id: jane-doe\nname: Jane Doe\nnotes: new\n",
		"id: jane-doe\nname: Jane Doe\ncompany: globex\n",
		"id: jane-doe\nname: Jane Doe\nnotes: new\n"
		"conflicts:\n"
		"- field: notes\n  ours: new\n  deleted: theirs\n  base: old\n"
		"- field: company\n  deleted: ours\n  theirs: globex\n"
		"  base: acme\n", 2),
		"jane-doe: conflict in 'notes': ours kept, theirs saved under "
		"'conflicts'\n"
		"jane-doe: conflict in 'company': ours kept, theirs saved under "
		"'conflicts'\n");
}

static void test_merge__nested_custom_maps_merge_key_by_key(void **state)
{
	(void)state;
	expect_notes(expect_merge(
		"id: jane-doe\nname: Jane Doe\n"
		"address:\n  city: Paris\n  zip: \"75001\"\n",
		"id: jane-doe\nname: Jane Doe\n"
		"address:\n  city: Lyon\n  zip: \"69001\"\n",
		"id: jane-doe\nname: Jane Doe\n"
		"address:\n  city: Nice\n  country: FR\n  zip: \"75001\"\n",
		"id: jane-doe\nname: Jane Doe\n"
		"address:\n  city: Lyon\n  country: FR\n  zip: \"69001\"\n"
		"conflicts:\n- field: address.city\n  ours: Lyon\n"
		"  theirs: Nice\n  base: Paris\n", 1),
		"jane-doe: conflict in 'address.city': ours kept, theirs saved "
		"under 'conflicts'\n");
}

#define CONFLICT_A "- field: owner\n  ours: a\n  theirs: b\n"
#define CONFLICT_B "- field: company\n  ours: o1\n  theirs: t1\n  base: b1\n"
#define CONFLICT_C "- field: notes\n  ours: x\n  theirs: y\n"

static void test_merge__records_already_in_conflict(void **state)
{
	(void)state;
	/*
	 * A was resolved on theirs; B came from an earlier merge on ours;
	 * C from one on theirs.  company conflicts again just as B says:
	 * not listed twice.  owner is a new conflict, listed last.
	 */
	expect_notes(expect_merge(
		"id: jane-doe\nname: Jane Doe\ncompany: b1\nowner: alice\n"
		"conflicts:\n" CONFLICT_A,
		"id: jane-doe\nname: Jane Doe\ncompany: o1\nowner: bob\n"
		"conflicts:\n" CONFLICT_A CONFLICT_B "log:\n" E0,
		"id: jane-doe\nname: Jane Doe\ncompany: t1\nowner: carol\n"
		"log:\n" E0 "conflicts:\n" CONFLICT_C,
		"id: jane-doe\nname: Jane Doe\ncompany: o1\nowner: bob\n"
		"log:\n" E0 "conflicts:\n" CONFLICT_B CONFLICT_C
		"- field: owner\n  ours: bob\n  theirs: carol\n  base: alice\n",
		1),
		"jane-doe: conflict in 'owner': ours kept, theirs saved under "
		"'conflicts'\n");
	/* every conflict resolved on one side: the list goes */
	expect_notes(expect_merge(
		"id: jane-doe\nname: Jane Doe\nconflicts:\n" CONFLICT_A,
		"id: jane-doe\nname: Jane Doe\nowner: b\n",
		"id: jane-doe\nname: Jane Doe\nkind: person\nconflicts:\n"
		CONFLICT_A,
		"id: jane-doe\nname: Jane Doe\nkind: person\nowner: b\n", 0),
		"");
}

static void test_merge__record_deleted_on_one_side_changed_on_other(
	void **state)
{
	static const char base[] = "id: jane-doe\nname: Jane Doe\n";
	static const char changed[] =
		"id: jane-doe\nname: Jane Doe\nowner: bob\n";

	(void)state;
	expect_notes(expect_merge(base, NULL, changed, changed, 0),
		"jane-doe: kept: deleted on one side, changed on the other "
		"(deleted on ours)\n");
	expect_notes(expect_merge(base, changed, NULL, changed, 0),
		"jane-doe: kept: deleted on one side, changed on the other "
		"(deleted on theirs)\n");
}

static void test_merge__record_deleted_and_unchanged_is_deleted(void **state)
{
	static const char base[] = "id: jane-doe\nname: Jane Doe\n";
	static const char other[] = "id: jane-doe\nname: Jane\n";

	(void)state;
	expect_notes(expect_merge(base, NULL, base, NULL, 0), "");
	expect_notes(expect_merge(base, base, NULL, NULL, 0), "");
	expect_notes(expect_merge(base, NULL, NULL, NULL, 0), "");
	expect_notes(expect_merge(NULL, NULL, NULL, NULL, 0), "");
	/* added on one side only */
	expect_notes(expect_merge(NULL, NULL, other, other, 0), "");
	expect_notes(expect_merge(NULL, other, NULL, other, 0), "");
}

static void test_merge__record_added_on_both_sides(void **state)
{
	static const char ours[] = "id: jane-doe\nname: Jane Doe\n";
	static const char theirs[] =
		"id: jane-doe\nname: Jane Dough\nowner: bob\n";
	struct crm_merge_result r;

	(void)state;
	merge_texts(&r, NULL, ours, theirs);
	assert_yaml(r.merged, ours);
	assert_yaml(r.theirs_renamed, theirs);
	assert_int_equal(r.conflicts, 0);
	assert_int_equal(r.nnotes, 1);
	assert_string_equal(r.notes[0].text, "jane-doe: added on both sides "
			    "as different records; theirs needs a new id");
	crm_merge_result_release(&r);
	assert_null(r.merged);
	/* the same record added twice is one */
	expect_notes(expect_merge(NULL, theirs, theirs, theirs, 0), "");
}

static void test_merge__invalid_input_is_refused_not_merged(void **state)
{
	struct crm_node *seq = crm_node_new_seq(0);
	struct crm_node *ours = parse("id: jane-doe\nname: Jane\n"
				      "emails: a@x.example\n");
	struct crm_node *theirs = parse("id: jane-doe\nname: Jane\n"
					"emails: [b@x.example]\n");
	struct crm_merge_result r;

	(void)state;
	assert_int_equal(crm_merge_records(&r, "jane-doe", NULL, seq, NULL),
			 CRM_EINVALID);
	assert_null(r.merged);
	assert_int_equal(r.nnotes, 0);
	/* an ours that is not a record cannot make a merged one */
	assert_int_equal(crm_merge_records(&r, "jane-doe", NULL, ours, ours),
			 CRM_EPARSE);
	assert_non_null(strstr(crm_error_last(), "'emails' must be a list"));
	assert_null(r.merged);
	assert_int_equal(crm_merge_records(&r, "jane-doe", theirs, ours,
					   theirs), CRM_EPARSE);
	assert_null(r.merged);
	crm_node_free(seq);
	crm_node_free(ours);
	crm_node_free(theirs);
}

/*
 * Versions of one record that touch every rule; the property tests
 * merge every (base, ours, theirs) among them and NULL.
 */
static const char *const variants[] = {
	NULL,
	"id: jane-doe\nname: Jane Doe\ncompany: acme\ntags: [lead, web]\n"
	"owner: alice\nnotes: first\naddress:\n  city: Paris\nlog:\n" E0
	"deals:\n- id: website\n  title: Website\n  stage: lead\n"
	"followups:\n- id: 1\n  text: Send\n  done: false\n",

	"id: jane-doe\nname: Jane Doe\ncompany: acme\ntags: [lead, web, vip]\n"
	"owner: bob\nnotes: first\naddress:\n  city: Paris\nlog:\n" E0 O1
	"deals:\n- id: website\n  title: Website\n  stage: proposal\n"
	"followups:\n- id: 1\n  text: Send\n  done: false\n",

	"id: jane-doe\nname: Jane Doe\ncompany: acme\ntags: [web, hot]\n"
	"owner: carol\nnotes: second\naddress:\n  city: Lyon\n  zip: \"1\"\n"
	"log:\n" E0 T1 "deals:\n- id: website\n  title: Website\n  stage: won\n"
	"followups:\n- id: 1\n  text: Send\n  done: false\n"
	"- id: 2\n  text: Call back\n",

	"id: jane-doe\nname: Jane Doe\ntags: [lead, web]\nowner: alice\n"
	"notes: first\naddress: somewhere\nlog:\n" E0 T2
	"deals:\n- id: hosting\n  title: Hosting\n"
	"followups:\n- id: 1\n  text: Send\n  done: true\n"
	"conflicts:\n" CONFLICT_C,

	"id: jane-doe\nname: Jane D.\n",

	"id: jane-doe\nname: Jane Doe\nkind: company\nlanguages: [en, fr]\n"
	"address:\n  city: Nice\n"
	"deals:\n- id: website\n  title: Other\n"
	"followups:\n- id: 1\n  text: Other\n",
};

static void scalars_of(struct strbuf *out, const struct crm_node *n)
{
	size_t i;

	if (!n)
		return;
	if (n->kind == CRM_NODE_SCALAR) {
		strbuf_addf(out, "%s\n", n->str);
		return;
	}
	/* values only: map keys are not data anyone could lose */
	for (i = 0; i < n->nitems; i++)
		if (n->kind != CRM_NODE_MAP || i % 2)
			scalars_of(out, n->items[i]);
}

/*
 * Every value new on `side` (in no field of the base) is somewhere in
 * the result: in its field, in `conflicts` or in theirs_renamed.
 */
static void check_nothing_dropped(const struct crm_node *base,
				  const struct crm_node *side,
				  const struct crm_merge_result *r)
{
	struct strbuf in_base = STRBUF_INIT, values = STRBUF_INIT;
	struct strbuf needle = STRBUF_INIT;
	char *merged = emit(r->merged), *renamed = emit(r->theirs_renamed);
	char *line, *next;

	strbuf_addch(&in_base, '\n');
	scalars_of(&in_base, base);
	scalars_of(&values, side);
	for (line = values.buf; *line; line = next + 1) {
		next = strchr(line, '\n');
		*next = '\0';
		strbuf_reset(&needle);
		strbuf_addf(&needle, "\n%s\n", line);
		if (strstr(in_base.buf, needle.buf))
			continue;
		if (!(merged && strstr(merged, line)) &&
		    !(renamed && strstr(renamed, line)))
			fail_msg("'%s' was dropped:\n%s", line,
				 merged ? merged : "(deleted)");
	}
	strbuf_release(&in_base);
	strbuf_release(&values);
	strbuf_release(&needle);
	free(merged);
	free(renamed);
}

static void test_merge__every_merge_is_valid_and_drops_nothing(void **state)
{
	size_t nv = sizeof(variants) / sizeof(variants[0]), b, o, t;
	struct crm_node *nodes[sizeof(variants) / sizeof(variants[0])];

	(void)state;
	for (b = 0; b < nv; b++)
		nodes[b] = parse(variants[b]);
	for (b = 0; b < nv; b++) {
		for (o = 0; o < nv; o++) {
			for (t = 0; t < nv; t++) {
				struct crm_merge_result r;

				if (crm_merge_records(&r, "jane-doe", nodes[b],
						      nodes[o], nodes[t]))
					fail_msg("merge %zu %zu %zu: %s", b, o,
						 t, crm_error_last());
				check_valid(r.merged);
				check_valid(r.theirs_renamed);
				check_nothing_dropped(nodes[b], nodes[o], &r);
				check_nothing_dropped(nodes[b], nodes[t], &r);
				crm_merge_result_release(&r);
			}
		}
	}
	for (b = 0; b < nv; b++)
		crm_node_free(nodes[b]);
}

static void test_merge__is_deterministic_and_idempotent(void **state)
{
	size_t nv = sizeof(variants) / sizeof(variants[0]), b, o, t, i;
	struct crm_node *nodes[sizeof(variants) / sizeof(variants[0])];

	(void)state;
	for (b = 0; b < nv; b++)
		nodes[b] = parse(variants[b]);
	for (b = 0; b < nv; b++) {
		for (o = 0; o < nv; o++) {
			struct crm_merge_result same;

			/* merge(base, x, x) == x */
			assert_int_equal(crm_merge_records(&same, "jane-doe",
					 nodes[b], nodes[o], nodes[o]), 0);
			assert_true(crm_node_equal(same.merged, nodes[o]));
			assert_int_equal(same.nnotes, 0);
			crm_merge_result_release(&same);
			for (t = 0; t < nv; t++) {
				struct crm_merge_result r1, r2;
				char *y1, *y2;

				assert_int_equal(crm_merge_records(&r1, "j",
					nodes[b], nodes[o], nodes[t]), 0);
				assert_int_equal(crm_merge_records(&r2, "j",
					nodes[b], nodes[o], nodes[t]), 0);
				y1 = emit(r1.merged);
				y2 = emit(r2.merged);
				assert_true(y1 == y2 || !strcmp(y1, y2));
				assert_int_equal(r1.nnotes, r2.nnotes);
				for (i = 0; i < r1.nnotes; i++)
					assert_string_equal(r1.notes[i].text,
							    r2.notes[i].text);
				free(y1);
				free(y2);
				crm_merge_result_release(&r1);
				crm_merge_result_release(&r2);
			}
		}
	}
	for (b = 0; b < nv; b++)
		crm_node_free(nodes[b]);
}

/* A log of `n` entries a minute apart from `start`, written at `offset`. */
static void add_log(struct strbuf *sb, time_t start, size_t n, int step,
		    int offset, const char *who)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char at[CRM_MOMENT_MAX];

		crm_format_moment(at, start + (time_t)i * step, offset);
		strbuf_addf(sb, "- at: %s\n  type: call\n  by: %s\n"
			    "  text: call number %zu\n", at, who, i);
	}
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_merge__long_logs_merge_in_near_linear_time(void **state)
{
	static const size_t per_side[] = { 200, 3000 };
	const time_t start = 1767225600;	/* 2026-01-01T00:00:00Z */
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(per_side) / sizeof(per_side[0]); k++) {
		struct strbuf b = STRBUF_INIT, o = STRBUF_INIT, t = STRBUF_INIT;
		struct crm_node *base, *ours, *theirs;
		struct crm_merge_result r;
		struct crm_node *log;
		struct timespec t0;
		long long prev = 0;
		double took;
		size_t i, n = per_side[k];

		strbuf_addstr(&b, "id: jane-doe\nname: Jane Doe\nlog:\n");
		add_log(&b, start, 1000, 60, 0, "base");
		strbuf_addstr(&o, b.buf);
		strbuf_addstr(&t, b.buf);
		/* interleaved, at other offsets: the sort has work to do */
		add_log(&o, start + 100000, n, 60, 60, "ours");
		add_log(&t, start + 100030, n, 60, -300, "theirs");
		base = parse(b.buf);
		ours = parse(o.buf);
		theirs = parse(t.buf);

		clock_gettime(CLOCK_MONOTONIC, &t0);
		assert_int_equal(crm_merge_records(&r, "jane-doe", base, ours,
						   theirs), 0);
		took = seconds_since(&t0);
		if (took > 1.0)
			fail_msg("%zu entries per side took %.2fs", n, took);

		log = crm_map_get(r.merged, "log");
		assert_int_equal(log->nitems, 1000 + 2 * n);
		for (i = 0; i < log->nitems; i++) {
			time_t at;
			int off;

			assert_int_equal(crm_parse_moment(crm_map_get_str(
				log->items[i], "at"), &at, &off), 0);
			assert_true((long long)at >= prev);
			prev = (long long)at;
		}
		/* ours and theirs alternate after the common part */
		assert_string_equal(crm_map_get_str(log->items[1000], "by"),
				    "ours");
		assert_string_equal(crm_map_get_str(log->items[1001], "by"),
				    "theirs");
		assert_int_equal(r.conflicts, 0);
		crm_merge_result_release(&r);
		crm_node_free(base);
		crm_node_free(ours);
		crm_node_free(theirs);
		strbuf_release(&b);
		strbuf_release(&o);
		strbuf_release(&t);
	}
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(
		test_merge__different_fields_changed_on_both_sides_are_kept),
	cmocka_unit_test(
		test_merge__theirs_new_fields_take_their_canonical_place),
	cmocka_unit_test(test_merge__scalar_lists_merge_as_sets),
	cmocka_unit_test(test_merge__a_list_emptied_by_both_sides_is_dropped),
	cmocka_unit_test(
		test_merge__log_entries_of_both_sides_sorted_by_instant),
	cmocka_unit_test(
		test_merge__log_entry_removed_on_one_side_stays_removed),
	cmocka_unit_test(test_merge__deals_edited_on_different_entries),
	cmocka_unit_test(
		test_merge__same_deal_field_changed_differently_conflicts),
	cmocka_unit_test(
		test_merge__deal_added_on_both_sides_differently_is_renamed),
	cmocka_unit_test(
		test_merge__deal_added_on_both_sides_identically_is_one),
	cmocka_unit_test(
		test_merge__followup_id_collision_takes_max_plus_one),
	cmocka_unit_test(
	test_merge__entry_deleted_on_one_side_changed_on_other_is_kept),
	cmocka_unit_test(
		test_merge__same_field_changed_differently_is_a_conflict),
	cmocka_unit_test(
		test_merge__same_change_on_both_sides_is_not_a_conflict),
	cmocka_unit_test(
		test_merge__field_deleted_on_one_side_changed_on_other),
	cmocka_unit_test(test_merge__nested_custom_maps_merge_key_by_key),
	cmocka_unit_test(test_merge__records_already_in_conflict),
	cmocka_unit_test(
		test_merge__record_deleted_on_one_side_changed_on_other),
	cmocka_unit_test(test_merge__record_deleted_and_unchanged_is_deleted),
	cmocka_unit_test(test_merge__record_added_on_both_sides),
	cmocka_unit_test(test_merge__invalid_input_is_refused_not_merged),
	cmocka_unit_test(test_merge__every_merge_is_valid_and_drops_nothing),
	cmocka_unit_test(test_merge__is_deterministic_and_idempotent),
	cmocka_unit_test(test_merge__long_logs_merge_in_near_linear_time),
};

UNIT_MAIN(tests)
