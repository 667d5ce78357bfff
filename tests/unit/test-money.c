#include "unit.h"

#include "../../lib/error.h"
#include "../../lib/money.h"

static crm_money parse(const char *s)
{
	crm_money m = 0;

	if (crm_money_parse(&m, s, 1))
		fail_msg("'%s': %s", s, crm_error_last());
	return m;
}

static void expect_format(crm_money m, int decimals, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	crm_money_format(&sb, m, decimals);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void expect_refused(const char *s, const char *why)
{
	crm_money m = 42;

	assert_int_equal(crm_money_parse(&m, s, 0), CRM_EINVALID);
	assert_int_equal(m, 42);
	if (!strstr(crm_error_last(), why))
		fail_msg("'%s' not in '%s'", why, crm_error_last());
}

static void test_money__decimal_sums_are_exact(void **state)
{
	crm_money sum;

	(void)state;
	assert_int_equal(crm_money_add(&sum, parse("0.10"), parse("0.20")), 0);
	expect_format(sum, 2, "0.30");
	assert_int_equal(sum, parse("0.3"));
	expect_format(parse("8000"), 2, "8000.00");
	expect_format(parse("-12.5"), 2, "-12.50");
	expect_format(parse("0.0001"), 4, "0.0001");
}

static void test_money__rounding_is_half_to_even(void **state)
{
	(void)state;
	expect_format(parse("0.125"), 2, "0.12");
	expect_format(parse("0.135"), 2, "0.14");
	expect_format(parse("-0.125"), 2, "-0.12");
	expect_format(parse("2.5"), 0, "2");
	expect_format(parse("3.5"), 0, "4");
}

static void test_money__weighted_values(void **state)
{
	crm_money w;

	(void)state;
	assert_int_equal(crm_money_percent(&w, parse("8000.00"), 37), 0);
	expect_format(w, 2, "2960.00");
	assert_int_equal(crm_money_percent(&w, parse("0.01"), 33), 0);
	expect_format(w, 4, "0.0033");
	assert_int_equal(crm_money_percent(&w, parse("100"), 0), 0);
	assert_int_equal(w, 0);
}

static void test_money__format_value_keeps_needed_decimals(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	crm_money_format_value(&sb, parse("8000"));
	assert_string_equal(sb.buf, "8000.00");
	strbuf_reset(&sb);
	crm_money_format_value(&sb, parse("1.005"));
	assert_string_equal(sb.buf, "1.005");
	strbuf_release(&sb);
}

static void test_money__bad_amounts_are_refused(void **state)
{
	(void)state;
	expect_refused("1e3", "1000, not 1e3");
	expect_refused("12,5", "use '.' for decimals");
	expect_refused("1,234.56", "use '.'");
	expect_refused("-5", "must not be negative");
	expect_refused("", "no digits");
	expect_refused("12.", "no digits after");
	expect_refused(".5", "0.5");
	expect_refused("1.23456", "more than four decimals");
	expect_refused("€5", "only digits");
	expect_refused("5 000", "only digits");
	expect_refused("1.2.3", "only digits");
	expect_refused("99999999999999999999", "too large");
	expect_refused("922337203685478", "too large");
	expect_refused("1e400", "1000, not 1e3");
}

static void test_money__overflowing_sums_are_refused(void **state)
{
	crm_money sum = 0;

	(void)state;
	assert_int_equal(crm_money_add(&sum, INT64_MAX, 1), CRM_EINVALID);
}

static void test_money__percent_parse(void **state)
{
	int p = -1;

	(void)state;
	assert_int_equal(crm_percent_parse(&p, "50"), 0);
	assert_int_equal(p, 50);
	assert_int_equal(crm_percent_parse(&p, "100%"), 0);
	assert_int_equal(p, 100);
	assert_int_equal(crm_percent_parse(&p, "101"), CRM_EINVALID);
	assert_int_equal(crm_percent_parse(&p, "-1"), CRM_EINVALID);
	assert_int_equal(crm_percent_parse(&p, "5.5"), CRM_EINVALID);
	assert_int_equal(crm_percent_parse(&p, ""), CRM_EINVALID);
	assert_int_equal(crm_percent_parse(&p, "%"), CRM_EINVALID);
	assert_int_equal(crm_percent_parse(&p, "99999999999999"), CRM_EINVALID);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_money__decimal_sums_are_exact),
	cmocka_unit_test(test_money__rounding_is_half_to_even),
	cmocka_unit_test(test_money__weighted_values),
	cmocka_unit_test(test_money__format_value_keeps_needed_decimals),
	cmocka_unit_test(test_money__bad_amounts_are_refused),
	cmocka_unit_test(test_money__overflowing_sums_are_refused),
	cmocka_unit_test(test_money__percent_parse),
};

UNIT_MAIN(tests)
