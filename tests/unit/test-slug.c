#include "unit.h"

#include "../../lib/record.h"
#include "../../lib/slug.h"
#include "../../lib/text.h"
#include "../../lib/util.h"
#include "../../lib/who.h"

static void expect_slug(const char *name, const char *id)
{
	struct strbuf sb = STRBUF_INIT;

	crm_slug(&sb, name);
	assert_string_equal(sb.buf, id);
	assert_true(crm_id_valid(sb.buf));
	strbuf_release(&sb);
}

static void test_slug__names_fold_to_ascii(void **state)
{
	(void)state;
	expect_slug("Jane Doe", "jane-doe");
	expect_slug("José Müller-Straße", "jose-muller-strasse");
	expect_slug("Łukasz Żółć", "lukasz-zolc");
	expect_slug("Ærø Øster", "aero-oster");
	expect_slug("O'Brien & Co.", "o-brien-co");
	expect_slug("  A  B  ", "a-b");
	expect_slug("\xef\xac\x81nn", "finn");	/* the ﬁ ligature */
}

static void test_slug__nfc_and_nfd_are_the_same_id(void **state)
{
	(void)state;
	expect_slug("Jos\xc3\xa9", "jose");
	expect_slug("Jose\xcc\x81", "jose");
}

static void test_slug__path_tricks_and_device_names(void **state)
{
	(void)state;
	expect_slug("../../etc/passwd", "etc-passwd");
	expect_slug(".git", "git");
	expect_slug("-rf", "rf");
	expect_slug("con", "con-1");
	expect_slug("LPT1", "lpt1-1");
	expect_slug("...", "c-ec4b1219");
	assert_false(crm_id_valid(".."));
	assert_false(crm_id_valid("a/b"));
	assert_false(crm_id_valid("-a"));
	assert_false(crm_id_valid("a--b"));
	assert_false(crm_id_valid("con"));
	assert_false(crm_id_valid(""));
}

static void test_slug__no_latin_letters_gets_a_stable_short_id(void **state)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

	(void)state;
	crm_slug(&a, "山田太郎");
	crm_slug(&b, "山田太郎");
	assert_string_equal(a.buf, b.buf);
	assert_int_equal(a.len, 10);
	assert_memory_equal(a.buf, "c-", 2);
	strbuf_release(&a);
	strbuf_release(&b);
}

static void test_slug__long_names_are_cut_at_a_word(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	crm_slug(&sb, "Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa");
	assert_true(sb.len <= CRM_SLUG_MAX);
	assert_string_equal(sb.buf, "alpha-beta-gamma-delta-epsilon-zeta-eta-theta");
	strbuf_release(&sb);
}

static struct crm_record *rec(const char *id, const char *name,
			      const char *email)
{
	struct crm_record *r = crm_record_new(id, id, name, "2026-01-01");

	if (email)
		crm_record_list_add(r, "emails", email);
	return r;
}

static void test_who__tiers_decide_in_order(void **state)
{
	struct crm_record *rs[4];
	size_t *m = NULL, n;

	(void)state;
	rs[0] = rec("jane-doe", "Jane Doe", "jane@acme.example");
	rs[1] = rec("jane-smith", "Jane Smith", "js@x.example");
	rs[2] = rec("bob", "Bob Jané", NULL);
	rs[3] = rec("zed", "Zoë Jones", "JD@Y.example");

	n = crm_who_match(&m, rs, 4, "bob");	/* exact id */
	assert_int_equal(n, 1);
	assert_int_equal(m[0], 2);
	free(m);
	n = crm_who_match(&m, rs, 4, "jane");	/* id prefix: ambiguous */
	assert_int_equal(n, 2);
	free(m);
	n = crm_who_match(&m, rs, 4, "jane-s");	/* unique prefix */
	assert_int_equal(n, 1);
	assert_int_equal(m[0], 1);
	free(m);
	n = crm_who_match(&m, rs, 4, "jd@y.EXAMPLE");	/* email, any case */
	assert_int_equal(n, 1);
	assert_int_equal(m[0], 3);
	free(m);
	n = crm_who_match(&m, rs, 4, "zoe jones");	/* name, folded */
	assert_int_equal(n, 1);
	assert_int_equal(m[0], 3);
	free(m);
	n = crm_who_match(&m, rs, 4, "smith");	/* part of a name */
	assert_int_equal(n, 1);
	assert_int_equal(m[0], 1);
	free(m);
	n = crm_who_match(&m, rs, 4, "nobody");
	assert_int_equal(n, 0);
	assert_null(m);
	n = crm_who_match(&m, rs, 4, "");
	assert_int_equal(n, 0);
	for (n = 0; n < 4; n++)
		crm_record_free(rs[n]);
}

static void test_text__fold_and_controls(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	crm_text_fold(&sb, "ÉCOLE Straße");
	assert_string_equal(sb.buf, "ecole strasse");
	assert_true(crm_text_has_controls("a\xe2\x80\xae" "b", 0));	/* RLO */
	assert_true(crm_text_has_controls("a\tb", 0));
	assert_false(crm_text_has_controls("a\nb", 1));
	assert_false(crm_text_has_controls("Zoë", 0));
	assert_true(crm_text_matches("Müller GmbH", "muller"));
	strbuf_release(&sb);
}

static void test_util__edit_distance(void **state)
{
	(void)state;
	assert_int_equal(edit_distance("pipeline", "pipeline", 2), 0);
	assert_int_equal(edit_distance("pipline", "pipeline", 2), 1);
	assert_int_equal(edit_distance("stael", "stale", 2), 1);	/* a swap */
	assert_int_equal(edit_distance("funel", "funnel", 2), 1);
	assert_int_equal(edit_distance("", "abc", 5), 3);
	assert_int_equal(edit_distance("kitten", "sitting", 5), 3);
	/* beyond the limit, limit + 1 */
	assert_int_equal(edit_distance("kitten", "sitting", 2), 3);
	assert_int_equal(edit_distance("a", "abcdefgh", 2), 3);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_slug__names_fold_to_ascii),
	cmocka_unit_test(test_slug__nfc_and_nfd_are_the_same_id),
	cmocka_unit_test(test_slug__path_tricks_and_device_names),
	cmocka_unit_test(test_slug__no_latin_letters_gets_a_stable_short_id),
	cmocka_unit_test(test_slug__long_names_are_cut_at_a_word),
	cmocka_unit_test(test_who__tiers_decide_in_order),
	cmocka_unit_test(test_text__fold_and_controls),
	cmocka_unit_test(test_util__edit_distance),
};

UNIT_MAIN(tests)
