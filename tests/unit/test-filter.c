#include "unit.h"

#include "../../lib/error.h"
#include "../../lib/filter.h"
#include "../../lib/yaml.h"

static const char record_text[] =
	"id: jane-doe\n"
	"name: Jane Doé\n"
	"company: Acme\n"
	"tags: [lead, web]\n"
	"owner: alice\n"
	"created: 2026-11-01T10:00:00+01:00\n"
	"address: {city: Paris}\n"
	"notes: Likes tea\n"
	"deals:\n"
	"- id: site\n"
	"  stage: proposal\n"
	"  value: \"8000.00\"\n"
	"  close: 2026-12-15\n"
	"followups:\n"
	"- id: 1\n"
	"  due: 2026-11-28\n";

static struct crm_node *record;

static int setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	setenv("CRM_NOW", "2026-11-23T09:00:00+00:00", 1);
	return crm_yaml_parse(&record, record_text, strlen(record_text), "r");
}

static int teardown(void **state)
{
	(void)state;
	crm_node_free(record);
	return 0;
}

static int matches(const char *a, const char *b)
{
	const char *args[2] = { a, b };
	struct crm_filter f = { NULL, 0, 0 };
	int m;

	if (crm_filter_parse(&f, args, b ? 2 : 1))
		fail_msg("'%s': %s", a, crm_error_last());
	m = crm_filter_match(&f, record, NULL);
	crm_filter_release(&f);
	return m;
}

static void test_filter__tags_and_fields(void **state)
{
	(void)state;
	assert_true(matches("tag:lead", NULL));
	assert_true(matches("+web", NULL));
	assert_false(matches("-lead", NULL));
	assert_true(matches("-vip", NULL));
	assert_true(matches("owner:ALICE", NULL));
	assert_false(matches("owner:bob", NULL));
	assert_true(matches("company:acme", "tag:web"));
	assert_false(matches("company:acme", "tag:vip"));
	assert_true(matches("name:jane doe", NULL));	/* accents folded */
	assert_true(matches("address.city:paris", NULL));
	assert_true(matches("phone:", NULL));		/* absent field */
	assert_false(matches("tag:", NULL));		/* has tags */
	assert_false(matches("nosuch:x", NULL));
}

static void test_filter__entries_and_comparisons(void **state)
{
	(void)state;
	assert_true(matches("stage:proposal", NULL));
	assert_false(matches("stage:lead", NULL));
	assert_true(matches("value.over:7999.99", NULL));
	assert_false(matches("value.over:8000", NULL));
	assert_true(matches("value.under:8000.01", NULL));
	assert_true(matches("close.before:2026-12-16", NULL));
	assert_false(matches("close.before:2026-12-15", NULL));
	assert_true(matches("due.before:eom", NULL));
	assert_true(matches("due.after:today", NULL));
	assert_true(matches("created.before:today", NULL));
	assert_false(matches("created.after:today", NULL));
	assert_true(matches("notes.has:TEA", NULL));
	assert_true(matches("tag.has:le", NULL));
	assert_false(matches("tag.has:vip", NULL));
}

static void test_filter__words(void **state)
{
	(void)state;
	assert_true(matches("paris", NULL));
	assert_true(matches("doe", NULL));
	assert_false(matches("city", NULL));	/* keys are not text */
	assert_false(matches("proposal", NULL));	/* deals are not the card */
	assert_true(matches("10:30", NULL) == 0);	/* a word, not a field */
}

static void expect_bad(const char *arg, const char *why)
{
	const char *args[1] = { arg };
	struct crm_filter f = { NULL, 0, 0 };

	assert_int_equal(crm_filter_parse(&f, args, 1), CRM_EINVALID);
	if (!strstr(crm_error_last(), why))
		fail_msg("'%s' not in '%s'", why, crm_error_last());
	crm_filter_release(&f);
}

static void test_filter__malformed_filters_are_errors(void **state)
{
	(void)state;
	expect_bad(":x", "no field name");
	expect_bad("+", "names no tag");
	expect_bad("due.before:nextweek", "filter 'due.before:nextweek'");
	expect_bad("value.over:1e400", "1000, not 1e3");
	expect_bad("value.under:abc", "not an amount");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_filter__tags_and_fields),
	cmocka_unit_test(test_filter__entries_and_comparisons),
	cmocka_unit_test(test_filter__words),
	cmocka_unit_test(test_filter__malformed_filters_are_errors),
};

int main(void)
{
	size_t total = sizeof(tests) / sizeof(tests[0]);
	int failed = cmocka_run_group_tests(tests, setup, teardown);

	printf("%zu passed, %d failed\n", total - (size_t)failed, failed);
	return failed != 0;
}
