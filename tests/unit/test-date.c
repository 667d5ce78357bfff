#include "unit.h"

#include <limits.h>
#include <time.h>

#include "../../lib/clock.h"
#include "../../lib/date.h"
#include "../../lib/error.h"
#include "../../lib/util.h"

/* Monday 2026-11-23, 09:00 in Paris: the "now" of most tests. */
#define MONDAY "2026-11-23T09:00:00+01:00"

static const char date_forms[] =
	"use YYYY-MM-DD, today, tomorrow, yesterday, a weekday, last friday, "
	"+3d, -2w, 1m, 3 days ago, in 2 weeks, eow, eom, eoy, sow, som or soy";

static void use_tz(const char *tz)
{
	struct crm_date d;

	assert_int_equal(setenv("TZ", tz, 1), 0);
	/* crm reads $TZ again only when it changes: let it see this one */
	crm_date_today(&d, 0);
}

static time_t instant(const char *iso)
{
	time_t t;
	int offset;

	if (crm_parse_moment(iso, &t, &offset))
		fail_msg("bad instant in test: %s", iso);
	return t;
}

static void expect_date(const char *now, const char *expr, const char *want)
{
	struct crm_date d;
	char got[CRM_DATE_MAX];

	if (crm_date_parse(&d, expr, instant(now)))
		fail_msg("'%s' at %s: %s", expr, now, crm_error_last());
	crm_date_format(got, &d);
	if (strcmp(got, want))
		fail_msg("'%s' at %s: got %s, want %s", expr, now, got, want);
}

static void expect_moment(const char *now, const char *expr, const char *want)
{
	struct crm_moment m;
	char got[CRM_MOMENT_MAX];

	if (crm_moment_parse(&m, expr, instant(now)))
		fail_msg("'%s' at %s: %s", expr, now, crm_error_last());
	crm_format_moment(got, m.t, m.offset);
	if (strcmp(got, want))
		fail_msg("'%s' at %s: got %s, want %s", expr, now, got, want);
}

static void expect_message(const char *input, const char *message)
{
	if (!strstr(crm_error_last(), message))
		fail_msg("'%s': '%s' not in '%s'", input, message,
			 crm_error_last());
}

/* Refused with `message`, and the out-parameter left alone. */
static void expect_date_refused(const char *now, const char *expr,
				const char *message)
{
	struct crm_date d = { 7, 7, 7 };

	crm_error_clear();
	if (crm_date_parse(&d, expr, instant(now)) != CRM_EINVALID)
		fail_msg("'%s' was accepted as %04d-%02d-%02d", expr, d.year,
			 d.month, d.day);
	assert_int_equal(crm_error_code(), CRM_EINVALID);
	assert_true(d.year == 7 && d.month == 7 && d.day == 7);
	expect_message(expr, message);
}

static void expect_moment_refused(const char *now, const char *expr,
				  const char *message)
{
	struct crm_moment m = { 77, 7 };

	crm_error_clear();
	if (crm_moment_parse(&m, expr, instant(now)) != CRM_EINVALID)
		fail_msg("'%s' was accepted", expr);
	assert_true(m.t == 77 && m.offset == 7);
	expect_message(expr, message);
}

static struct crm_date ymd(int y, int m, int d)
{
	struct crm_date date = { y, m, d };

	return date;
}

static void test_date__iso_dates(void **state)
{
	(void)state;
	use_tz("Europe/Paris");
	expect_date(MONDAY, "2026-11-22", "2026-11-22");
	expect_date(MONDAY, "2028-02-29", "2028-02-29");
	expect_date(MONDAY, "0001-01-01", "0001-01-01");
	expect_date(MONDAY, "9999-12-31", "9999-12-31");
}

static void test_date__iso_moment_gives_its_local_date(void **state)
{
	(void)state;
	use_tz("Europe/Paris");
	expect_date(MONDAY, "2026-11-22T10:15:00+01:00", "2026-11-22");
	/* 05:30 the next morning in Paris */
	expect_date(MONDAY, "2026-11-22T23:30:00-05:00", "2026-11-23");
	expect_date(MONDAY, "2026-11-22T23:30Z", "2026-11-23");
	expect_date(MONDAY, "2026-11-22t23:30:00.250z", "2026-11-23");
	expect_date(MONDAY, "2026-11-22 10:15:00+0100", "2026-11-22");
	/* without an offset it is local time already */
	expect_date(MONDAY, "2026-11-22T23:30", "2026-11-22");
	use_tz("America/New_York");
	expect_date(MONDAY, "2026-11-23T02:00:00+01:00", "2026-11-22");
}

static void test_date__today_tomorrow_yesterday(void **state)
{
	(void)state;
	use_tz("Europe/Paris");
	expect_date(MONDAY, "today", "2026-11-23");
	expect_date(MONDAY, "TODAY", "2026-11-23");
	expect_date(MONDAY, "tomorrow", "2026-11-24");
	expect_date(MONDAY, "Tomorrow", "2026-11-24");
	expect_date(MONDAY, "yesterday", "2026-11-22");
	expect_date("2026-03-01T12:00:00+01:00", "yesterday", "2026-02-28");
	expect_date("2028-03-01T12:00:00+01:00", "yesterday", "2028-02-29");
}

static void test_date__today_is_the_local_date_of_now(void **state)
{
	const char *late = "2026-11-23T23:30:00Z";
	struct crm_date d;

	(void)state;
	use_tz("Europe/Paris");
	expect_date(late, "today", "2026-11-24");
	crm_date_today(&d, instant(late));
	assert_true(d.year == 2026 && d.month == 11 && d.day == 24);
	use_tz("America/New_York");
	expect_date(late, "today", "2026-11-23");
	expect_date(late, "tomorrow", "2026-11-24");
	use_tz("UTC");
	expect_date(late, "today", "2026-11-23");
	crm_date_today(&d, instant(late));
	assert_true(d.year == 2026 && d.month == 11 && d.day == 23);
}

static void test_date__today_outside_the_range_is_clamped(void **state)
{
	struct crm_date d;

	(void)state;
	use_tz("UTC");
	crm_date_today(&d, instant("@253402300800"));	/* 10000-01-01 */
	assert_true(d.year == 9999 && d.month == 12 && d.day == 31);
	crm_date_today(&d, instant("@-62135596801"));	/* 0000-12-31 */
	assert_true(d.year == 1 && d.month == 1 && d.day == 1);
}

static void test_date__weekday_is_strictly_after_today(void **state)
{
	(void)state;
	use_tz("Europe/Paris");
	/* today is Monday: "monday" is a week away, never today */
	expect_date(MONDAY, "monday", "2026-11-30");
	expect_date(MONDAY, "mon", "2026-11-30");
	expect_date(MONDAY, "tuesday", "2026-11-24");
	expect_date(MONDAY, "Wed", "2026-11-25");
	expect_date(MONDAY, "THURSDAY", "2026-11-26");
	expect_date(MONDAY, "fri", "2026-11-27");
	expect_date(MONDAY, "saturday", "2026-11-28");
	expect_date(MONDAY, "sun", "2026-11-29");
	expect_date("2026-11-29T09:00:00+01:00", "sunday", "2026-12-06");
	expect_date("2026-11-29T09:00:00+01:00", "monday", "2026-11-30");
}

static void test_date__next_weekday_is_the_weekday(void **state)
{
	(void)state;
	use_tz("Europe/Paris");
	expect_date(MONDAY, "next monday", "2026-11-30");
	expect_date(MONDAY, "next fri", "2026-11-27");
	expect_date(MONDAY, "Next Sunday", "2026-11-29");
	expect_date(MONDAY, "NEXT TUE", "2026-11-24");
}

static void test_date__intervals_count_from_today(void **state)
{
	(void)state;
	use_tz("Europe/Paris");
	expect_date(MONDAY, "+3d", "2026-11-26");
	expect_date(MONDAY, "3d", "2026-11-26");
	expect_date(MONDAY, "3D", "2026-11-26");
	expect_date(MONDAY, "-3d", "2026-11-20");
	expect_date(MONDAY, "+0d", "2026-11-23");
	expect_date(MONDAY, "2w", "2026-12-07");
	expect_date(MONDAY, "-2w", "2026-11-09");
	expect_date(MONDAY, "1m", "2026-12-23");
	expect_date(MONDAY, "-1m", "2026-10-23");
	expect_date(MONDAY, "1y", "2027-11-23");
	expect_date(MONDAY, "+010d", "2026-12-03");
	/* across a month and a year */
	expect_date("2026-11-29T09:00:00+01:00", "+3d", "2026-12-02");
	expect_date("2026-03-01T09:00:00+01:00", "-3d", "2026-02-26");
	expect_date("2026-12-30T09:00:00+01:00", "+3d", "2027-01-02");
	expect_date("2026-12-15T09:00:00+01:00", "1m", "2027-01-15");
	expect_date("2027-01-15T09:00:00+01:00", "-1m", "2026-12-15");
}

static void test_date__months_and_years_clamp_to_month_end(void **state)
{
	(void)state;
	use_tz("Europe/Paris");
	expect_date("2026-01-31T09:00:00+01:00", "1m", "2026-02-28");
	expect_date("2028-01-31T09:00:00+01:00", "1m", "2028-02-29");
	expect_date("2026-03-31T09:00:00+02:00", "-1m", "2026-02-28");
	expect_date("2026-05-31T09:00:00+02:00", "1m", "2026-06-30");
	expect_date("2026-01-31T09:00:00+01:00", "13m", "2027-02-28");
	expect_date("2028-02-29T09:00:00+01:00", "1y", "2029-02-28");
	expect_date("2028-02-29T09:00:00+01:00", "4y", "2032-02-29");
	expect_date("2028-02-29T09:00:00+01:00", "-1y", "2027-02-28");
	/* the clamp does not stick: it is always from today's day */
	expect_date("2026-01-31T09:00:00+01:00", "2m", "2026-03-31");
}

static void test_date__week_month_and_year_bounds(void **state)
{
	const char *wednesday = "2026-11-25T09:00:00+01:00";
	const char *sunday = "2026-11-29T09:00:00+01:00";

	(void)state;
	use_tz("Europe/Paris");
	expect_date(wednesday, "eow", "2026-11-29");
	expect_date(wednesday, "sow", "2026-11-23");
	expect_date(sunday, "eow", "2026-11-29");
	expect_date(sunday, "sow", "2026-11-23");
	expect_date(MONDAY, "sow", "2026-11-23");
	expect_date(MONDAY, "EOW", "2026-11-29");
	expect_date(MONDAY, "eom", "2026-11-30");
	expect_date(MONDAY, "som", "2026-11-01");
	expect_date(MONDAY, "eoy", "2026-12-31");
	expect_date(MONDAY, "soy", "2026-01-01");
	expect_date("2026-02-10T09:00:00+01:00", "eom", "2026-02-28");
	expect_date("2028-02-10T09:00:00+01:00", "eom", "2028-02-29");
	expect_date("2028-02-10T09:00:00+01:00", "Som", "2028-02-01");
	expect_date("2026-12-31T09:00:00+01:00", "eom", "2026-12-31");
}

static void test_date__year_end(void **state)
{
	const char *dec31 = "2026-12-31T09:00:00+01:00";	/* a Thursday */

	(void)state;
	use_tz("Europe/Paris");
	expect_date(dec31, "tomorrow", "2027-01-01");
	expect_date(dec31, "+1d", "2027-01-01");
	expect_date(dec31, "eow", "2027-01-03");
	expect_date(dec31, "sow", "2026-12-28");
	expect_date(dec31, "eoy", "2026-12-31");
	expect_date(dec31, "soy", "2026-01-01");
	expect_date(dec31, "friday", "2027-01-01");
	expect_date(dec31, "thursday", "2027-01-07");
	expect_date("2027-01-01T09:00:00+01:00", "yesterday", "2026-12-31");
	expect_date("2027-01-01T09:00:00+01:00", "sow", "2026-12-28");
	/* 23:30 on Dec 31 in New York is already next year in UTC */
	use_tz("America/New_York");
	expect_date("2027-01-01T04:30:00Z", "today", "2026-12-31");
	expect_date("2027-01-01T04:30:00Z", "tomorrow", "2027-01-01");
}

static void test_date__spoken_intervals_and_last_weekday(void **state)
{
	(void)state;
	use_tz("Europe/Paris");
	expect_date(MONDAY, "3 days ago", "2026-11-20");
	expect_date(MONDAY, "1 day ago", "2026-11-22");
	expect_date(MONDAY, "1w ago", "2026-11-16");
	expect_date(MONDAY, "2 Weeks Ago", "2026-11-09");
	expect_date(MONDAY, "1 month ago", "2026-10-23");
	expect_date(MONDAY, "1 year ago", "2025-11-23");
	expect_date(MONDAY, "in 2 weeks", "2026-12-07");
	expect_date(MONDAY, "in 3d", "2026-11-26");
	expect_date(MONDAY, "in 1 month", "2026-12-23");
	expect_date(MONDAY, "0 days ago", "2026-11-23");
	/* strictly before today: on a Monday, "last monday" is a week ago */
	expect_date(MONDAY, "last friday", "2026-11-20");
	expect_date(MONDAY, "last sunday", "2026-11-22");
	expect_date(MONDAY, "last monday", "2026-11-16");
	expect_date(MONDAY, "Last Tue", "2026-11-17");
	expect_moment(MONDAY, "last friday", "2026-11-20T00:00:00+01:00");
	expect_date_refused(MONDAY, "99999999999 days ago", "out of range");
}

static void test_date__garbage_is_refused_with_the_forms(void **state)
{
	static const char *const garbage[] = {
		"31/02", "nextweek", "next week", "2026-02-30", "", " today",
		"today ", "next  monday", "next", "next today", "next 3d",
		"nextmonday", "next\tmonday", "nextxmonday", "2026-1-1",
		"2026-11-22x", "26-11-22", "3",
		"d", "+d", "3days", "+-3d", "3 d", "1h", "tues", "monday ",
		"2026-13-01", "2026-00-10", "2026-11-00", "2027-02-29",
		"2026-11-22T25:00", "2026-11-22T10:60", "2026-11-22T10:15:60",
		"2026-11-22T10:15+01", "2026-11-22T10:15+24:00",
		"2026-11-22T10:15:00+01:00x", "2026-11-22T10:15:00.",
		"2026-11-22T", "2026-11-22X10:15", "99999999999999999999x",
		"10000-13-01", "in 3 days ago", "3 days", "in -3d", "+3d ago",
		"in  3 days", "3  days ago", "3 fortnights ago", "in days",
		"ago", " ago", "in ", "last", "last week", "last 3d",
		"3 days ago ", "3 dayss ago",
	};
	size_t i;

	(void)state;
	use_tz("Europe/Paris");
	for (i = 0; i < ARRAY_SIZE(garbage); i++)
		expect_date_refused(MONDAY, garbage[i], "is not a date; use");
	expect_date_refused(MONDAY, "31/02", "'31/02' is not a date; use ");
	assert_string_equal(crm_error_last() +
			    strlen("'31/02' is not a date; "), date_forms);
	expect_date_refused(MONDAY, "", "'' is not a date");
	expect_date_refused(MONDAY, "2026-02-30", "'2026-02-30' is not a date");
}

static void test_date__overflow_is_out_of_range(void **state)
{
	static const char *const huge[] = {
		"+99999999999d", "99999999999999999999d", "-99999999999w",
		"2147483648d", "2147483647d", "+9999999d", "-9999999d",
		"7974y", "-2026y", "95928m", "0000-01-01", "10000-01-01",
		"99999-12-31T10:00Z", "0000-06-01T10:00+01:00",
		"0001-01-01T00:30:00+01:00",
	};
	size_t i;

	(void)state;
	use_tz("UTC");
	for (i = 0; i < ARRAY_SIZE(huge); i++)
		expect_date_refused(MONDAY, huge[i], "is out of range");
	expect_date_refused(MONDAY, "+99999999999d",
			    "'+99999999999d' is out of range; dates run from "
			    "0001-01-01 to 9999-12-31");
	/* the edges themselves are fine */
	expect_date(MONDAY, "7973y", "9999-11-23");
	expect_date(MONDAY, "-2025y", "0001-11-23");
	expect_date("9999-12-31T09:00:00Z", "today", "9999-12-31");
	expect_date_refused("9999-12-31T09:00:00Z", "tomorrow", "out of range");
	expect_date_refused("9999-12-31T09:00:00Z", "eow", "out of range");
	expect_date_refused("0001-01-01T09:00:00Z", "yesterday",
			    "out of range");
	expect_date_refused("0001-01-01T09:00:00Z", "-1w", "out of range");
	/* 0001-01-01 was a Monday: its week starts in range */
	expect_date("0001-01-01T09:00:00Z", "sow", "0001-01-01");
}

static void test_date__a_now_outside_the_range_has_no_today(void **state)
{
	(void)state;
	use_tz("UTC");
	expect_date_refused("@253402300800", "today",
			    "'today' is out of range");
	expect_date_refused("@253402300800", "1d", "out of range");
	/* a date that does not depend on now still works */
	expect_date("@253402300800", "2026-11-22", "2026-11-22");
}

static void test_date__messages_stay_on_one_short_line(void **state)
{
	char long_input[301];

	(void)state;
	use_tz("UTC");
	expect_date_refused(MONDAY, "to\nday\t", "'to?day?' is not a date");
	memset(long_input, 'x', sizeof(long_input) - 1);
	long_input[sizeof(long_input) - 1] = '\0';
	expect_date_refused(MONDAY, long_input, "xxx...' is not a date");
	assert_true(strlen(crm_error_last()) < 250);
	/* a cut never splits a UTF-8 character: é is bytes 59 and 60 */
	memset(long_input, 'x', 59);
	memcpy(long_input + 59, "\xc3\xa9", 2);
	expect_date_refused(MONDAY, long_input, "x\xc3\xa9...' is not");
}

/*
 * localtime_r need not notice that $TZ changed; crm must, or a test
 * (or a long-lived caller) that sets TZ would get the old zone.
 */
static void test_date__a_changed_tz_is_noticed(void **state)
{
	/* 20:00 UTC: already the 24th in Kiritimati (UTC+14) */
	time_t now = instant("2026-11-23T20:00:00Z");
	struct crm_moment m;
	struct crm_date d;
	char got[CRM_MOMENT_MAX];

	(void)state;
	use_tz("UTC");
	assert_int_equal(setenv("TZ", "Pacific/Kiritimati", 1), 0);
	assert_int_equal(crm_date_parse(&d, "today", now), 0);
	assert_int_equal(d.day, 24);

	use_tz("UTC");
	assert_int_equal(setenv("TZ", "Pacific/Kiritimati", 1), 0);
	crm_date_today(&d, now);
	assert_int_equal(d.day, 24);

	use_tz("UTC");
	assert_int_equal(setenv("TZ", "Pacific/Kiritimati", 1), 0);
	assert_int_equal(crm_date_of_moment(&d, "2026-11-23T20:00:00Z"), 0);
	assert_int_equal(d.day, 24);

	use_tz("UTC");
	assert_int_equal(setenv("TZ", "Pacific/Kiritimati", 1), 0);
	assert_int_equal(crm_moment_parse(&m, "now", now), 0);
	assert_int_equal(m.offset, 14 * 60);

	use_tz("UTC");
	assert_int_equal(setenv("TZ", "Pacific/Kiritimati", 1), 0);
	d = ymd(2026, 11, 24);
	assert_int_equal(crm_date_start(&m, &d), 0);
	crm_format_moment(got, m.t, m.offset);
	assert_string_equal(got, "2026-11-24T00:00:00+14:00");
	use_tz("UTC");
}

static void test_date__from_iso_is_strict(void **state)
{
	static const char *const refused[] = {
		"today", "2026-11-22T10:00Z", "2026-2-3", "2026-02-29",
		" 2026-11-22", "2026-11-22 ", "", "2026/11/22", "20261122",
	};
	struct crm_date d = { 7, 7, 7 };
	size_t i;

	(void)state;
	assert_int_equal(crm_date_from_iso(&d, "2026-11-22"), 0);
	assert_true(d.year == 2026 && d.month == 11 && d.day == 22);
	assert_int_equal(crm_date_from_iso(&d, "2028-02-29"), 0);
	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		d = ymd(7, 7, 7);
		assert_int_equal(crm_date_from_iso(&d, refused[i]),
				 CRM_EINVALID);
		assert_true(d.year == 7);
		expect_message(refused[i], "is not a date; use YYYY-MM-DD");
	}
	assert_int_equal(crm_date_from_iso(&d, ""), CRM_EINVALID);
	expect_message("", "'' is not a date; use YYYY-MM-DD");
	assert_int_equal(crm_date_from_iso(&d, "0000-01-01"), CRM_EINVALID);
	expect_message("0000-01-01", "'0000-01-01' is out of range");
	assert_true(d.year == 7);
}

static void test_date__days_round_trip_over_the_whole_range(void **state)
{
	struct crm_date d = { 1, 1, 1 }, back;
	long long days, first, last;

	(void)state;
	assert_int_equal(crm_date_to_days(&d), -719162);
	d = ymd(1970, 1, 1);
	assert_int_equal(crm_date_to_days(&d), 0);
	d = ymd(2000, 3, 1);
	assert_int_equal(crm_date_to_days(&d), 11017);
	d = ymd(9999, 12, 31);
	assert_int_equal(crm_date_to_days(&d), 2932896);
	d = ymd(1969, 12, 31);
	assert_int_equal(crm_date_to_days(&d), -1);

	first = -719162;
	last = 2932896;
	d = ymd(1, 1, 1);
	for (days = first; days <= last; days++) {
		crm_date_from_days(&back, days);
		if (crm_date_cmp(&back, &d) || crm_date_to_days(&d) != days)
			fail_msg("day %lld: %d-%d-%d", days, back.year,
				 back.month, back.day);
		/* step d by hand, the slow obvious way */
		d.day++;
		if (!crm_date_valid(&d)) {
			d.day = 1;
			if (++d.month > 12) {
				d.month = 1;
				d.year++;
			}
		}
	}
	assert_true(d.year == 10000 && d.month == 1 && d.day == 1);
}

static void test_date__valid_format_cmp_weekday(void **state)
{
	struct crm_date a = { 2026, 11, 23 }, b = { 2026, 11, 24 };
	struct crm_date c = { 2026, 12, 1 }, e = { 2027, 1, 1 };
	char out[CRM_DATE_MAX];

	(void)state;
	assert_true(crm_date_cmp(&a, &b) < 0);
	assert_true(crm_date_cmp(&b, &a) > 0);
	assert_true(crm_date_cmp(&a, &a) == 0);
	assert_true(crm_date_cmp(&b, &c) < 0);
	assert_true(crm_date_cmp(&e, &c) > 0);

	b = ymd(1, 2, 3);
	crm_date_format(out, &b);
	assert_string_equal(out, "0001-02-03");
	crm_date_format(out, &a);
	assert_string_equal(out, "2026-11-23");

	b = ymd(2026, 2, 29);
	assert_false(crm_date_valid(&b));
	b = ymd(2000, 2, 29);
	assert_true(crm_date_valid(&b));
	b = ymd(1900, 2, 29);
	assert_false(crm_date_valid(&b));
	b = ymd(0, 1, 1);
	assert_false(crm_date_valid(&b));
	b = ymd(10000, 1, 1);
	assert_false(crm_date_valid(&b));
	b = ymd(2026, 13, 1);
	assert_false(crm_date_valid(&b));
	b = ymd(2026, 4, 31);
	assert_false(crm_date_valid(&b));

	assert_int_equal(crm_date_weekday(&a), 1);
	b = ymd(2026, 11, 29);
	assert_int_equal(crm_date_weekday(&b), 7);
	b = ymd(1970, 1, 1);
	assert_int_equal(crm_date_weekday(&b), 4);
	b = ymd(1969, 12, 29);
	assert_int_equal(crm_date_weekday(&b), 1);
	b = ymd(1969, 12, 28);
	assert_int_equal(crm_date_weekday(&b), 7);
	b = ymd(1, 1, 1);
	assert_int_equal(crm_date_weekday(&b), 1);
	assert_string_equal(crm_weekday_name(1), "Monday");
	assert_string_equal(crm_weekday_name(7), "Sunday");
	assert_string_equal(crm_weekday_name(0), "?");
	assert_string_equal(crm_weekday_name(8), "?");
}

static void test_date__interval_parse(void **state)
{
	static const char *const refused[] = {
		"", "3", "d", "3x", "3dd", " 3d", "3d ", "+", "-", "3 d",
		"+-3d", "1.5d", "3\xc3\xa9",
	};
	struct crm_interval iv = { 0, 0 };
	size_t i;

	(void)state;
	assert_int_equal(crm_interval_parse(&iv, "3d"), 0);
	assert_true(iv.n == 3 && iv.unit == 'd');
	assert_int_equal(crm_interval_parse(&iv, "+3d"), 0);
	assert_true(iv.n == 3 && iv.unit == 'd');
	assert_int_equal(crm_interval_parse(&iv, "-3d"), 0);
	assert_true(iv.n == -3 && iv.unit == 'd');
	assert_int_equal(crm_interval_parse(&iv, "2W"), 0);
	assert_true(iv.n == 2 && iv.unit == 'w');
	assert_int_equal(crm_interval_parse(&iv, "1m"), 0);
	assert_true(iv.n == 1 && iv.unit == 'm');
	assert_int_equal(crm_interval_parse(&iv, "1y"), 0);
	assert_true(iv.n == 1 && iv.unit == 'y');
	assert_int_equal(crm_interval_parse(&iv, "2147483647d"), 0);
	assert_true(iv.n == INT_MAX);
	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		iv.n = 42;
		assert_int_equal(crm_interval_parse(&iv, refused[i]),
				 CRM_EINVALID);
		assert_int_equal(iv.n, 42);
		expect_message(refused[i], "is not an interval; use a number "
			       "and d, w, m or y, like 3d, 2w, 1m or 1y");
	}
	assert_int_equal(crm_interval_parse(&iv, "3x"), CRM_EINVALID);
	expect_message("3x", "'3x' is not an interval");
	assert_int_equal(crm_interval_parse(&iv, "99999999999d"),
			 CRM_EINVALID);
	expect_message("99999999999d",
		       "'99999999999d' is out of range; "
		       "use at most 2147483647");
	assert_int_equal(crm_interval_parse(&iv, "-2147483648d"),
			 CRM_EINVALID);
	assert_int_equal(iv.n, 42);
}

static void test_date__add(void **state)
{
	struct crm_date d = { 2026, 1, 31 }, out;
	struct crm_interval iv = { 1, 'm' };

	(void)state;
	assert_int_equal(crm_date_add(&out, &d, &iv), 0);
	assert_true(out.year == 2026 && out.month == 2 && out.day == 28);
	iv = (struct crm_interval){ -1, 'y' };
	assert_int_equal(crm_date_add(&out, &d, &iv), 0);
	assert_true(out.year == 2025 && out.month == 1 && out.day == 31);
	iv = (struct crm_interval){ -31, 'd' };
	assert_int_equal(crm_date_add(&out, &d, &iv), 0);
	assert_true(out.year == 2025 && out.month == 12 && out.day == 31);
	iv = (struct crm_interval){ 3, 'w' };
	assert_int_equal(crm_date_add(&out, &d, &iv), 0);
	assert_true(out.year == 2026 && out.month == 2 && out.day == 21);
	/* out may be the input */
	d = ymd(2028, 2, 29);
	iv = (struct crm_interval){ 1, 'y' };
	assert_int_equal(crm_date_add(&d, &d, &iv), 0);
	assert_true(d.year == 2029 && d.month == 2 && d.day == 28);
	/* the extremes of n do not overflow */
	iv = (struct crm_interval){ INT_MAX, 'y' };
	assert_int_equal(crm_date_add(&out, &d, &iv), CRM_EINVALID);
	iv = (struct crm_interval){ INT_MIN, 'w' };
	assert_int_equal(crm_date_add(&out, &d, &iv), CRM_EINVALID);
}

static void test_date__add_errors(void **state)
{
	struct crm_date d = { 9999, 12, 31 }, out = { 7, 7, 7 };
	struct crm_interval iv = { 1, 'd' };

	(void)state;
	assert_int_equal(crm_date_add(&out, &d, &iv), CRM_EINVALID);
	expect_message("+1d", "'9999-12-31 +1d' is out of range; dates run "
		       "from 0001-01-01 to 9999-12-31");
	d = ymd(1, 1, 31);
	iv = (struct crm_interval){ -1, 'm' };
	assert_int_equal(crm_date_add(&out, &d, &iv), CRM_EINVALID);
	expect_message("-1m", "'0001-01-31 -1m' is out of range");
	d = ymd(2026, 2, 30);
	iv = (struct crm_interval){ 1, 'd' };
	assert_int_equal(crm_date_add(&out, &d, &iv), CRM_EINVALID);
	expect_message("2026-2-30", "'2026-2-30' is not a date");
	d = ymd(2026, 2, 3);
	iv = (struct crm_interval){ 1, 'x' };
	assert_int_equal(crm_date_add(&out, &d, &iv), CRM_EINVALID);
	expect_message("x", "'x' is not an interval unit; use d, w, m or y");
	iv = (struct crm_interval){ 1, '\0' };
	assert_int_equal(crm_date_add(&out, &d, &iv), CRM_EINVALID);
	expect_message("NUL", "interval unit 0 is not d, w, m or y");
	assert_true(out.year == 7 && out.month == 7 && out.day == 7);
}

static void test_date__moment_now_and_today_are_now(void **state)
{
	(void)state;
	use_tz("Europe/Paris");
	expect_moment(MONDAY, "now", "2026-11-23T09:00:00+01:00");
	expect_moment(MONDAY, "NOW", "2026-11-23T09:00:00+01:00");
	expect_moment(MONDAY, "today", "2026-11-23T09:00:00+01:00");
	/* now's offset is the local one, whatever offset pinned it */
	expect_moment("2026-07-01T08:00:00Z", "now",
		      "2026-07-01T10:00:00+02:00");
}

static void test_date__moment_iso_keeps_its_offset(void **state)
{
	(void)state;
	use_tz("Europe/Paris");
	expect_moment(MONDAY, "2026-11-22T10:15:00-05:00",
		      "2026-11-22T10:15:00-05:00");
	expect_moment(MONDAY, "2026-11-22T10:15Z", "2026-11-22T10:15:00+00:00");
	expect_moment(MONDAY, "2026-11-22t10:15:07z",
		      "2026-11-22T10:15:07+00:00");
	expect_moment(MONDAY, "2026-11-22T10:15:00+0530",
		      "2026-11-22T10:15:00+05:30");
	expect_moment(MONDAY, "2026-11-22 10:15:00.999+01:00",
		      "2026-11-22T10:15:00+01:00");
	expect_moment(MONDAY, "0001-01-01T00:00:00+01:00",
		      "0001-01-01T00:00:00+01:00");
	expect_moment(MONDAY, "9999-12-31T23:59:59-12:00",
		      "9999-12-31T23:59:59-12:00");
}

static void test_date__moment_without_offset_is_local(void **state)
{
	(void)state;
	use_tz("Europe/Paris");
	expect_moment(MONDAY, "2026-07-01T10:00", "2026-07-01T10:00:00+02:00");
	expect_moment(MONDAY, "2026-12-01T10:00:30",
		      "2026-12-01T10:00:30+01:00");
	use_tz("America/New_York");
	expect_moment(MONDAY, "2026-12-01T10:00", "2026-12-01T10:00:00-05:00");
}

static void test_date__moment_of_a_date_is_local_midnight(void **state)
{
	(void)state;
	use_tz("Europe/Paris");
	expect_moment(MONDAY, "2026-11-22", "2026-11-22T00:00:00+01:00");
	expect_moment(MONDAY, "tomorrow", "2026-11-24T00:00:00+01:00");
	expect_moment(MONDAY, "yesterday", "2026-11-22T00:00:00+01:00");
	expect_moment(MONDAY, "friday", "2026-11-27T00:00:00+01:00");
	expect_moment(MONDAY, "1m", "2026-12-23T00:00:00+01:00");
	expect_moment(MONDAY, "eoy", "2026-12-31T00:00:00+01:00");
	use_tz("Asia/Kolkata");
	expect_moment(MONDAY, "2026-11-22", "2026-11-22T00:00:00+05:30");
}

static void test_date__moment_on_paris_dst_days(void **state)
{
	const char *spring_monday = "2026-03-23T09:00:00+01:00";
	const char *autumn_monday = "2026-10-19T09:00:00+02:00";

	(void)state;
	use_tz("Europe/Paris");
	/* the day clocks go forward starts before the change */
	expect_moment(MONDAY, "2026-03-28", "2026-03-28T00:00:00+01:00");
	expect_moment(MONDAY, "2026-03-29", "2026-03-29T00:00:00+01:00");
	expect_moment(MONDAY, "2026-03-30", "2026-03-30T00:00:00+02:00");
	expect_moment(spring_monday, "sunday", "2026-03-29T00:00:00+01:00");
	expect_moment(spring_monday, "+7d", "2026-03-30T00:00:00+02:00");
	expect_moment(autumn_monday, "sunday", "2026-10-25T00:00:00+02:00");
	expect_moment(MONDAY, "2026-10-26", "2026-10-26T00:00:00+01:00");
	/* local times either side of the change, in the gap, in the overlap */
	expect_moment(MONDAY, "2026-03-29T01:59", "2026-03-29T01:59:00+01:00");
	expect_moment(MONDAY, "2026-03-29T02:30", "2026-03-29T03:30:00+02:00");
	expect_moment(MONDAY, "2026-03-29T03:00", "2026-03-29T03:00:00+02:00");
	expect_moment(MONDAY, "2026-10-25T01:59", "2026-10-25T01:59:00+02:00");
	expect_moment(MONDAY, "2026-10-25T02:30", "2026-10-25T02:30:00+02:00");
	expect_moment(MONDAY, "2026-10-25T03:00", "2026-10-25T03:00:00+01:00");
	/* "now" takes the offset in force at that instant */
	expect_moment("2026-03-29T00:59:59Z", "now",
		      "2026-03-29T01:59:59+01:00");
	expect_moment("2026-03-29T01:00:00Z", "now",
		      "2026-03-29T03:00:00+02:00");
	expect_moment("2026-10-25T00:30:00Z", "now",
		      "2026-10-25T02:30:00+02:00");
	expect_moment("2026-10-25T01:30:00Z", "now",
		      "2026-10-25T02:30:00+01:00");
	/* the calendar does not care */
	expect_date("2026-03-29T01:30:00Z", "today", "2026-03-29");
	expect_date("2026-03-29T01:30:00Z", "tomorrow", "2026-03-30");
}

static void test_date__skipped_midnight_starts_at_the_first_valid_time(
	void **state)
{
	struct crm_moment m;
	struct crm_date d = { 2026, 3, 8 };
	char got[CRM_MOMENT_MAX];

	(void)state;
	/* Havana springs forward at midnight: 00:00 -> 01:00 */
	use_tz("America/Havana");
	expect_moment(MONDAY, "2026-03-08", "2026-03-08T01:00:00-04:00");
	expect_moment("2026-03-02T09:00:00-05:00", "sunday",
		      "2026-03-08T01:00:00-04:00");
	expect_moment(MONDAY, "2026-03-07", "2026-03-07T00:00:00-05:00");
	expect_moment(MONDAY, "2026-03-08T00:30", "2026-03-08T01:30:00-04:00");
	expect_date(MONDAY, "2026-03-08", "2026-03-08");
	assert_int_equal(crm_date_start(&m, &d), 0);
	crm_format_moment(got, m.t, m.offset);
	assert_string_equal(got, "2026-03-08T01:00:00-04:00");
	/* and falls back at 01:00 to midnight: the first midnight counts */
	expect_moment(MONDAY, "2026-11-01", "2026-11-01T00:00:00-04:00");
	expect_moment(MONDAY, "2026-11-01T00:30", "2026-11-01T00:30:00-04:00");
	use_tz("America/Sao_Paulo");
	expect_moment(MONDAY, "2018-11-04", "2018-11-04T01:00:00-02:00");
	expect_moment(MONDAY, "2019-02-17", "2019-02-17T00:00:00-03:00");
	use_tz("Asia/Beirut");
	expect_moment(MONDAY, "2026-03-29", "2026-03-29T01:00:00+03:00");
	/*
	 * Toronto sprang forward from 23:30 to 00:30 in 1919: that day
	 * starts at 00:30, though 00:00 as a time of day moves a full hour
	 */
	use_tz("America/Toronto");
	expect_moment(MONDAY, "1919-03-31", "1919-03-31T00:30:00-04:00");
	expect_moment(MONDAY, "1919-03-31T00:00", "1919-03-31T01:00:00-04:00");
	expect_moment(MONDAY, "1919-03-30T23:29",
		      "1919-03-30T23:29:00-05:00");
	/* Samoa skipped 2011-12-30 whole: it starts when the 31st does */
	use_tz("Pacific/Apia");
	expect_moment(MONDAY, "2011-12-30", "2011-12-31T00:00:00+14:00");
	expect_moment(MONDAY, "2011-12-29", "2011-12-29T00:00:00-10:00");
	expect_date(MONDAY, "2011-12-30", "2011-12-30");
}

static void test_date__calendar_dates_do_not_shift_with_the_zone(void **state)
{
	static const char *const zones[] = {
		"UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago",
		"America/Los_Angeles", "Asia/Kolkata",
	};
	struct crm_date d = { 2026, 11, 22 };
	struct crm_moment m;
	char got[CRM_MOMENT_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(zones); i++) {
		use_tz(zones[i]);
		expect_date(MONDAY, "2026-11-22", "2026-11-22");
		expect_date(MONDAY, "2028-02-29", "2028-02-29");
	}
	use_tz("Pacific/Kiritimati");
	assert_int_equal(crm_date_start(&m, &d), 0);
	crm_format_moment(got, m.t, m.offset);
	assert_string_equal(got, "2026-11-22T00:00:00+14:00");
	use_tz("Pacific/Pago_Pago");
	assert_int_equal(crm_date_start(&m, &d), 0);
	crm_format_moment(got, m.t, m.offset);
	assert_string_equal(got, "2026-11-22T00:00:00-11:00");
}

static void test_date__start_refuses_a_bad_date(void **state)
{
	struct crm_date d = { 2026, 2, 30 };
	struct crm_moment m = { 77, 7 };

	(void)state;
	assert_int_equal(crm_date_start(&m, &d), CRM_EINVALID);
	expect_message("2026-2-30", "'2026-2-30' is not a date");
	assert_true(m.t == 77 && m.offset == 7);
}

static void test_date__moment_errors(void **state)
{
	static const char *const garbage[] = {
		"soon", "", " now", "now ", "2026-11-22T24:00",
		"2026-11-22T10:15:00+25:00", "2026-11-22T10:15:00+01",
		"2026-02-30T10:00Z", "2026-11-22T10", "@1700000000",
		"2026-11-22T10:15:00Zulu",
	};
	size_t i;

	(void)state;
	use_tz("Europe/Paris");
	for (i = 0; i < ARRAY_SIZE(garbage); i++)
		expect_moment_refused(MONDAY, garbage[i], "is not a moment");
	expect_moment_refused(MONDAY, "soon", "'soon' is not a moment; use "
			      "now, YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM], "
			      "YYYY-MM-DD, today, tomorrow, yesterday, a "
			      "weekday, last friday, +3d, -2w, 1m, 3 days ago, "
			      "in 2 weeks, eow, eom, eoy, sow, som or soy");
	expect_moment_refused(MONDAY, "+99999999999d",
			      "'+99999999999d' is out of range");
	expect_moment_refused(MONDAY, "0000-01-01T00:00Z",
			      "'0000-01-01T00:00Z' is out of range");
	expect_moment_refused(MONDAY, "10000-01-01T00:00Z", "out of range");
	expect_moment_refused(MONDAY, "0000-01-01", "out of range");
}

static void test_date__date_of_moment_across_the_date_line(void **state)
{
	struct crm_date d;

	(void)state;
	/* 23:30 in New York is 04:30 the next day in UTC */
	use_tz("UTC");
	assert_int_equal(crm_date_of_moment(&d, "2026-11-22T23:30:00-05:00"),
			 0);
	assert_true(d.year == 2026 && d.month == 11 && d.day == 23);
	use_tz("America/New_York");
	assert_int_equal(crm_date_of_moment(&d, "2026-11-22T23:30:00-05:00"),
			 0);
	assert_true(d.year == 2026 && d.month == 11 && d.day == 22);
	/* across the date line, a day off where it was written */
	use_tz("Pacific/Kiritimati");
	assert_int_equal(crm_date_of_moment(&d, "2026-11-22T10:00:00-10:00"),
			 0);
	assert_true(d.year == 2026 && d.month == 11 && d.day == 23);
	use_tz("Pacific/Pago_Pago");
	assert_int_equal(crm_date_of_moment(&d, "2026-11-23T00:30:00+14:00"),
			 0);
	assert_true(d.year == 2026 && d.month == 11 && d.day == 21);
	/* a year boundary */
	use_tz("Europe/Paris");
	assert_int_equal(crm_date_of_moment(&d, "2026-12-31T23:30:00Z"), 0);
	assert_true(d.year == 2027 && d.month == 1 && d.day == 1);
}

static void test_date__date_of_moment_errors(void **state)
{
	static const char *const refused[] = {
		"2026-11-22T10:15:00", "2026-11-22", "today", "",
		"2026-11-22T10:15:00+1:00", "2026-13-22T10:15:00Z",
	};
	struct crm_date d = { 7, 7, 7 };
	size_t i;

	(void)state;
	use_tz("UTC");
	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		assert_int_equal(crm_date_of_moment(&d, refused[i]),
				 CRM_EINVALID);
		expect_message(refused[i], "is not a moment; use "
			       "YYYY-MM-DDTHH:MM:SS+HH:MM");
	}
	assert_int_equal(crm_date_of_moment(&d, "0000-01-01T10:00:00Z"),
			 CRM_EINVALID);
	expect_message("0000", "'0000-01-01T10:00:00Z' is out of range");
	assert_int_equal(crm_date_of_moment(&d, "0001-01-01T00:30:00+01:00"),
			 CRM_EINVALID);
	expect_message("0001", "is out of range");
	assert_true(d.year == 7 && d.month == 7 && d.day == 7);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_date__iso_dates),
	cmocka_unit_test(test_date__iso_moment_gives_its_local_date),
	cmocka_unit_test(test_date__today_tomorrow_yesterday),
	cmocka_unit_test(test_date__today_is_the_local_date_of_now),
	cmocka_unit_test(test_date__today_outside_the_range_is_clamped),
	cmocka_unit_test(test_date__weekday_is_strictly_after_today),
	cmocka_unit_test(test_date__next_weekday_is_the_weekday),
	cmocka_unit_test(test_date__intervals_count_from_today),
	cmocka_unit_test(test_date__months_and_years_clamp_to_month_end),
	cmocka_unit_test(test_date__week_month_and_year_bounds),
	cmocka_unit_test(test_date__year_end),
	cmocka_unit_test(test_date__spoken_intervals_and_last_weekday),
	cmocka_unit_test(test_date__garbage_is_refused_with_the_forms),
	cmocka_unit_test(test_date__overflow_is_out_of_range),
	cmocka_unit_test(test_date__a_now_outside_the_range_has_no_today),
	cmocka_unit_test(test_date__messages_stay_on_one_short_line),
	cmocka_unit_test(test_date__a_changed_tz_is_noticed),
	cmocka_unit_test(test_date__from_iso_is_strict),
	cmocka_unit_test(test_date__days_round_trip_over_the_whole_range),
	cmocka_unit_test(test_date__valid_format_cmp_weekday),
	cmocka_unit_test(test_date__interval_parse),
	cmocka_unit_test(test_date__add),
	cmocka_unit_test(test_date__add_errors),
	cmocka_unit_test(test_date__moment_now_and_today_are_now),
	cmocka_unit_test(test_date__moment_iso_keeps_its_offset),
	cmocka_unit_test(test_date__moment_without_offset_is_local),
	cmocka_unit_test(test_date__moment_of_a_date_is_local_midnight),
	cmocka_unit_test(test_date__moment_on_paris_dst_days),
	cmocka_unit_test(
		test_date__skipped_midnight_starts_at_the_first_valid_time),
	cmocka_unit_test(test_date__calendar_dates_do_not_shift_with_the_zone),
	cmocka_unit_test(test_date__start_refuses_a_bad_date),
	cmocka_unit_test(test_date__moment_errors),
	cmocka_unit_test(test_date__date_of_moment_across_the_date_line),
	cmocka_unit_test(test_date__date_of_moment_errors),
};

UNIT_MAIN(tests)
