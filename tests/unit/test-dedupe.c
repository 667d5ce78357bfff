#include "unit.h"

#include "../../lib/dedupe.h"
#include "../../lib/yaml.h"

static struct crm_node *parse(const char *yaml)
{
	struct crm_node *root = NULL;

	assert_int_equal(crm_yaml_parse(&root, yaml, strlen(yaml), "test"), 0);
	return root;
}

static struct crm_record *record(const char *id, const char *yaml)
{
	struct crm_record *r = NULL;

	assert_int_equal(crm_record_parse(&r, id, "customers/00/x.yml", yaml,
					  strlen(yaml)), 0);
	return r;
}

static void add(struct crm_dedupe *d, const char *id, const char *yaml)
{
	struct crm_node *root = parse(yaml);

	crm_dedupe_add(d, id, root);
	crm_node_free(root);
}

static void test_dedupe__keys_and_names(void **state)
{
	struct crm_dedupe d;

	(void)state;
	crm_dedupe_init(&d);
	add(&d, "zed", "name: Zed\nemails: [Z@X.example]\n");
	add(&d, "alpha", "name: Alpha\nemails: [z@x.example]\n"
			 "phones: [\"+1 555 010 0000\"]\n");
	add(&d, "beta", "name: Beta\nphones: [\"001 555 010 0000 x9\"]\n");
	/* names: one typo allowed from 4 letters, two from 8, same company */
	add(&d, "eve", "name: Eve\ncompany: Co\n");
	add(&d, "ava", "name: Ava\ncompany: Co\n");
	add(&d, "mark", "name: Mark\ncompany: Co\n");
	add(&d, "marc", "name: Marc\ncompany: co\n");
	add(&d, "christopher", "name: Christopher Lee\ncompany: Co\n");
	add(&d, "kristopher", "name: Kristopher Lee\ncompany: CO\n");
	add(&d, "other-mark", "name: Mark\ncompany: Elsewhere\n");
	add(&d, "no-company", "name: Mark\n");
	crm_dedupe_finish(&d);

	assert_int_equal(d.npairs, 4);
	assert_string_equal(d.pairs[0].a, "alpha");
	assert_string_equal(d.pairs[0].b, "beta");
	assert_string_equal(d.pairs[0].reasons, "same phone +15550100000");
	assert_string_equal(d.pairs[1].a, "alpha");
	assert_string_equal(d.pairs[1].b, "zed");
	assert_string_equal(d.pairs[1].reasons, "same email z@x.example");
	assert_string_equal(d.pairs[2].a, "christopher");
	assert_string_equal(d.pairs[2].b, "kristopher");
	assert_string_equal(d.pairs[3].a, "marc");
	assert_string_equal(d.pairs[3].b, "mark");
	assert_string_equal(d.pairs[3].reasons,
			    "similar names at the same company");
	crm_dedupe_release(&d);
}

static void test_merge__nothing_is_lost(void **state)
{
	struct crm_record *keep = record("jane",
		"id: jane\nname: Jane\nemails: [jane@x.example]\ncity: Berlin\n"
		"log:\n"
		"- {at: 2026-11-02T10:00:00Z, type: call, by: a, text: two}\n"
		"deals:\n- {id: site, title: Site, stage: lead, value: \"1.00\"}\n"
		"followups:\n- {id: 1, due: 2026-12-01, text: ring, done: false}\n");
	struct crm_record *other = record("jane-2",
		"id: jane-2\nname: Jane Q\nemails: [JANE@x.example, q@x.example]\n"
		"city: Paris\nsource: fair\nnotes: met at the fair\n"
		"log:\n"
		"- {at: 2026-11-01T10:00:00Z, type: note, by: b, text: one}\n"
		"- {at: 2026-11-02T10:00:00Z, type: call, by: a, text: two}\n"
		"deals:\n- {id: site, title: Site, stage: lead, value: \"2.00\"}\n"
		"- {id: site, title: Site, stage: lead, value: \"1.00\"}\n"
		"followups:\n- {id: 1, due: 2026-12-01, text: ring, done: false}\n"
		"- {id: 2, due: 2026-12-09, text: mail, done: false}\n");
	const struct crm_node *n;

	(void)state;
	assert_int_equal(crm_customer_merge(keep, other), 2);
	assert_string_equal(crm_record_get(keep, "name"), "Jane");
	assert_string_equal(crm_record_get(keep, "city"), "Berlin");
	assert_string_equal(crm_record_get(keep, "source"), "fair");
	assert_string_equal(crm_record_get(keep, "notes"),
			    "met at the fair\n"
			    "merge: name was 'Jane Q' in jane-2\n"
			    "merge: city was 'Paris' in jane-2");
	n = crm_map_get(keep->root, "emails");
	assert_int_equal(n->nitems, 2);
	assert_string_equal(n->items[1]->str, "q@x.example");
	n = crm_map_get(keep->root, "log");
	assert_int_equal(n->nitems, 2);
	assert_string_equal(crm_map_get_str(n->items[0], "text"), "one");
	n = crm_map_get(keep->root, "deals");
	assert_int_equal(n->nitems, 2);
	assert_string_equal(crm_map_get_str(n->items[1], "id"), "site-2");
	assert_string_equal(crm_map_get_str(n->items[1], "value"), "2.00");
	n = crm_map_get(keep->root, "followups");
	assert_int_equal(n->nitems, 2);
	assert_string_equal(crm_map_get_str(n->items[1], "id"), "2");
	assert_string_equal(crm_map_get_str(n->items[1], "text"), "mail");
	assert_int_equal(crm_record_check(keep->root, keep->id, keep->path), 0);
	/* merging the same again adds nothing */
	assert_int_equal(crm_customer_merge(keep, other), 0);
	assert_int_equal(crm_map_get(keep->root, "deals")->nitems, 2);
	crm_record_free(keep);
	crm_record_free(other);
}

static void test_dedupe__every_pair_sharing_a_key(void **state)
{
	struct crm_dedupe d;

	(void)state;
	crm_dedupe_init(&d);
	/* added in any order, the pairs are the same */
	add(&d, "c", "name: C\nemails: [a@x.com, s@x.example]\n");
	add(&d, "a", "name: A\nemails: [s@x.example, a@x.co]\n");
	add(&d, "b", "name: B\nemails: [S@X.example, a@x.com]\n");
	crm_dedupe_finish(&d);
	assert_int_equal(d.npairs, 3);
	assert_string_equal(d.pairs[0].a, "a");
	assert_string_equal(d.pairs[0].b, "b");
	assert_string_equal(d.pairs[0].reasons, "same email s@x.example");
	assert_string_equal(d.pairs[1].a, "a");
	assert_string_equal(d.pairs[1].b, "c");
	assert_string_equal(d.pairs[2].a, "b");
	assert_string_equal(d.pairs[2].b, "c");
	/* "a@x.co" is no part of "a@x.com": both reasons are given */
	assert_true(strstr(d.pairs[2].reasons, "same email a@x.com") != NULL);
	assert_true(strstr(d.pairs[2].reasons, "same email s@x.example") != NULL);
	crm_dedupe_release(&d);
}

static void test_merge__others_own_repeats_and_notes_stay(void **state)
{
	struct crm_record *keep = record("k",
		"id: k\nname: K\nnotes: |-\n  not VIP\n  merge: city was 'X' in j-2\n");
	struct crm_record *other = record("j",
		"id: j\nname: K\nnotes: VIP\ncity: Y\n"
		"log:\n"
		"- {at: 2026-11-01T10:00:00Z, type: call, by: a, text: hi}\n"
		"- {at: 2026-11-01T10:00:00Z, type: call, by: a, text: hi}\n");
	struct crm_record *more = record("j",
		"id: j\nname: K\ncity: Z\n");

	(void)state;
	assert_int_equal(crm_customer_merge(keep, other), 0);
	assert_string_equal(crm_record_get(keep, "notes"),
			    "not VIP\nmerge: city was 'X' in j-2\nVIP");
	assert_string_equal(crm_record_get(keep, "city"), "Y");
	assert_int_equal(crm_map_get(keep->root, "log")->nitems, 2);
	/* one new line, however many "merge:" lines the notes had */
	assert_int_equal(crm_customer_merge(keep, more), 1);
	crm_record_free(keep);
	crm_record_free(other);
	crm_record_free(more);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_dedupe__keys_and_names),
	cmocka_unit_test(test_merge__nothing_is_lost),
	cmocka_unit_test(test_dedupe__every_pair_sharing_a_key),
	cmocka_unit_test(test_merge__others_own_repeats_and_notes_stay),
};

UNIT_MAIN(tests)
