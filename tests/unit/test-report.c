#include "unit.h"

#include "../../lib/config.h"
#include "../../lib/report.h"
#include "../../lib/yaml.h"

static const char cfg_text[] =
	"stages:\n- name: lead\n  probability: 10\n- name: proposal\n"
	"  probability: 50\n- name: won\n  probability: 100\n- name: lost\n"
	"  probability: 0\ncurrency: EUR\nstale_days: 30\n";

static struct crm_config cfg;

static int setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	return crm_config_parse(&cfg, cfg_text, strlen(cfg_text), ".crm.yml");
}

static int teardown(void **state)
{
	(void)state;
	crm_config_release(&cfg);
	return 0;
}

static void add(struct crm_report *r, const char *id, const char *yaml)
{
	struct crm_node *n = NULL;

	assert_int_equal(crm_yaml_parse(&n, yaml, strlen(yaml), id), 0);
	assert_int_equal(crm_report_add(r, id, n), 0);
	crm_node_free(n);
}

static void init(struct crm_report *r, const char *today, const char *since)
{
	struct crm_date t, s;

	crm_date_from_iso(&t, today);
	crm_date_from_iso(&s, since);
	crm_report_init(r, &cfg, &t, &s, &t, 3, 30, 30);
}

static void test_report__pipeline_sums_exactly_per_stage_and_currency(void **state)
{
	struct crm_report r;

	(void)state;
	init(&r, "2026-11-23", "2026-11-01");
	add(&r, "a", "deals:\n- {id: x, stage: lead, value: \"0.10\"}\n"
		     "- {id: y, stage: lead, value: \"0.20\"}\n"
		     "- {id: z, stage: proposal, value: \"100\", currency: USD, probability: 33}\n"
		     "- {id: w, stage: won, value: \"5\", closed: 2026-11-02}\n");
	assert_int_equal(r.stages[0].n, 1);
	assert_int_equal(r.stages[0].items[0].count, 2);
	assert_int_equal(r.stages[0].items[0].total, 3000);	/* 0.30 */
	assert_int_equal(r.stages[0].items[0].weighted, 300);	/* 0.03 */
	assert_string_equal(r.stages[1].items[0].code, "USD");
	assert_int_equal(r.stages[1].items[0].weighted, 330000);	/* 33.00 */
	assert_int_equal(r.won.items[0].count, 1);
	crm_report_release(&r);
}

/* Whatever order the records come in, the currencies come out sorted. */
static void test_report__currencies_in_the_order_of_their_codes(void **state)
{
	static const char *orders[][3] = {
		{ "USD", "EUR", "GBP" }, { "GBP", "USD", "EUR" },
		{ "EUR", "GBP", "USD" },
	};
	struct crm_money_sums sums;
	size_t k, i;

	(void)state;
	for (k = 0; k < 3; k++) {
		memset(&sums, 0, sizeof(sums));
		for (i = 0; i < 3; i++)
			assert_int_equal(crm_money_sums_add(&sums,
					 orders[k][i], 100, 10), 0);
		assert_int_equal(crm_money_sums_add(&sums, orders[k][0], 5,
						    1), 0);
		assert_int_equal(sums.n, 3);
		assert_string_equal(sums.items[0].code, "EUR");
		assert_string_equal(sums.items[1].code, "GBP");
		assert_string_equal(sums.items[2].code, "USD");
		for (i = 0; i < 3; i++) {
			int first = !strcmp(sums.items[i].code, orders[k][0]);

			assert_int_equal(sums.items[i].count, first ? 2 : 1);
			assert_int_equal(sums.items[i].total, first ? 105 : 100);
			assert_int_equal(sums.items[i].weighted, first ? 11 : 10);
		}
	}
}

static void test_report__forecast_buckets(void **state)
{
	struct crm_report r;

	(void)state;
	init(&r, "2026-11-23", "2026-11-01");
	add(&r, "a", "deals:\n- {id: p, stage: lead, value: \"1\", close: 2026-11-22}\n"
		     "- {id: q, stage: lead, value: \"1\", close: 2026-11-30}\n"
		     "- {id: s, stage: lead, value: \"1\", close: 2027-01-01}\n"
		     "- {id: t, stage: lead, value: \"1\", close: 2027-02-01}\n"
		     "- {id: u, stage: lead, value: \"1\"}\n");
	assert_int_equal(r.months[0].items[0].count, 1);	/* overdue */
	assert_int_equal(r.months[1].items[0].count, 1);	/* 2026-11 */
	assert_int_equal(r.months[2].n, 0);			/* 2026-12 */
	assert_int_equal(r.months[3].items[0].count, 1);	/* 2027-01 */
	assert_int_equal(r.months[4].items[0].count, 1);	/* later */
	assert_int_equal(r.months[5].items[0].count, 1);	/* no date */
	crm_report_release(&r);
}

static void test_report__activity_and_stale(void **state)
{
	struct crm_report r;
	char week[16];
	struct crm_date d = { 2026, 12, 31 };

	(void)state;
	init(&r, "2026-11-23", "2026-11-01");
	add(&r, "old", "created: 2026-01-01T00:00:00+00:00\nlog:\n"
		       "- {at: 2026-09-01T10:00:00+02:00, type: call, by: al}\n");
	add(&r, "new", "created: 2026-11-20T00:00:00+00:00\nlog:\n"
		       "- {at: 2026-11-02T10:00:00+00:00, type: call, by: al}\n"
		       "- {at: 2026-11-03T23:30:00-05:00, type: email, by: bo}\n");
	assert_int_equal(r.interactions, 2);
	assert_int_equal(r.nstale, 1);
	assert_string_equal(r.stale[0].id, "old");
	assert_int_equal(r.stale[0].days, 83);
	crm_report_week_name(week, &d);
	assert_string_equal(week, "2026-W53");
	crm_report_release(&r);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_report__pipeline_sums_exactly_per_stage_and_currency),
	cmocka_unit_test(test_report__currencies_in_the_order_of_their_codes),
	cmocka_unit_test(test_report__forecast_buckets),
	cmocka_unit_test(test_report__activity_and_stale),
};

int main(void)
{
	size_t total = sizeof(tests) / sizeof(tests[0]);
	int failed = cmocka_run_group_tests(tests, setup, teardown);

	printf("%zu passed, %d failed\n", total - (size_t)failed, failed);
	return failed != 0;
}
