/*
 * The date parser (crm-date(1)): the input, cut at the first NUL and at
 * MAX_EXPR bytes, is read as a date, a moment and an interval against a
 * few fixed "now"s in FUZZ_TZ (which has summer time and, before 1911,
 * an offset in seconds).  Checked:
 *
 *   - a date that parses is valid, and its YYYY-MM-DD form reads back
 *     (crm_date_from_iso, and crm_date_parse itself) as the same date;
 *   - a moment that parses, written as crm stores it (crm_format_moment),
 *     reads back (crm_parse_moment) as the same instant and offset;
 *   - every date expression is a moment expression too, and the reverse
 *     (but for "now");
 *   - an interval that parses has a unit d, w, m or y; added to a date
 *     (crm_date_add) it gives a valid date the right distance away, and
 *     as a date expression it means today plus that interval;
 *   - a failure leaves the out-parameter alone and sets a one-line
 *     message with CRM_EINVALID.
 *
 * Raw struct values go through crm_date_add too, for its range checks.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../lib/clock.h"
#include "../lib/date.h"
#include "../lib/error.h"
#include "../lib/util.h"
#include "fuzz.h"

#define MAX_EXPR 256

/*
 * 2026-11-23T08:00Z (the SPEC's Monday), 2028-02-29T12:00Z (a leap day),
 * 2026-03-29T00:30Z (the night Paris springs forward), and the ends of
 * the range: 9999-12-31T22:00Z (23:00 in Paris) and 0001-01-01T12:00Z.
 */
static const time_t nows[] = {
	1795420800, 1835438400, 1774744200, 253402293600LL, -62135553600LL,
};

static const struct crm_date fixed_dates[] = {
	{ 1, 1, 1 }, { 2026, 1, 31 }, { 2028, 2, 29 }, { 2026, 11, 23 },
	{ 9999, 12, 31 },
};

static void check_failure(int rc, const char *what, const char *expr)
{
	const char *msg = crm_error_last();

	if (rc != CRM_EINVALID)
		fuzz_fail("%s('%s') returned %d", what, expr, rc);
	if (strchr(msg, '\n'))
		fuzz_fail("%s('%s'): message of several lines: %s", what,
			  expr, msg);
}

static int same_date(const struct crm_date *a, const struct crm_date *b)
{
	return a->year == b->year && a->month == b->month && a->day == b->day;
}

static void check_date(const struct crm_date *d, const char *expr,
		       time_t now)
{
	char iso[CRM_DATE_MAX];
	struct crm_date back, again;

	if (!crm_date_valid(d))
		fuzz_fail("'%s' at %lld: invalid date %d-%d-%d", expr,
			  (long long)now, d->year, d->month, d->day);
	crm_date_format(iso, d);
	if (crm_date_from_iso(&back, iso) || !same_date(&back, d))
		fuzz_fail("'%s' at %lld: %s does not read back: %s", expr,
			  (long long)now, iso, crm_error_last());
	if (crm_date_parse(&again, iso, now) || !same_date(&again, d))
		fuzz_fail("'%s' at %lld: %s is not itself as an expression",
			  expr, (long long)now, iso);
	crm_date_from_days(&back, crm_date_to_days(d));
	if (!same_date(&back, d))
		fuzz_fail("%s: day number %lld gives another date", iso,
			  crm_date_to_days(d));
	if (crm_date_weekday(d) < 1 || crm_date_weekday(d) > 7)
		fuzz_fail("%s: weekday %d", iso, crm_date_weekday(d));
}

static void check_moment(const struct crm_moment *m, const char *expr,
			 time_t now)
{
	char iso[CRM_MOMENT_MAX];
	time_t t;
	int offset;

	if (m->offset <= -24 * 60 || m->offset >= 24 * 60)
		fuzz_fail("'%s' at %lld: offset %d", expr, (long long)now,
			  m->offset);
	crm_format_moment(iso, m->t, m->offset);
	if (crm_parse_moment(iso, &t, &offset))
		fuzz_fail("'%s' at %lld: stored as %s, which does not read "
			  "back: %s", expr, (long long)now, iso,
			  crm_error_last());
	if (t != m->t || offset != m->offset)
		fuzz_fail("'%s' at %lld: %lld%+d stored as %s reads back as "
			  "%lld%+d", expr, (long long)now, (long long)m->t,
			  m->offset, iso, (long long)t, offset);
}

/* `d` + `iv` and back: the distance in days or months is the interval. */
static void check_add(const struct crm_date *d, const struct crm_interval *iv)
{
	struct crm_date out = { -1, -1, -1 }, back;
	struct crm_interval minus = *iv;
	long long months;
	int rc = crm_date_add(&out, d, iv);

	if (rc) {
		if (out.year != -1)
			fuzz_fail("crm_date_add failed but wrote its result");
		check_failure(rc, "crm_date_add", "");
		return;
	}
	if (!crm_date_valid(&out))
		fuzz_fail("%d-%d-%d %+d%c: invalid %d-%d-%d", d->year,
			  d->month, d->day, iv->n, iv->unit, out.year,
			  out.month, out.day);
	switch (iv->unit) {
	case 'd':
	case 'w':
		if (crm_date_to_days(&out) - crm_date_to_days(d) !=
		    (long long)iv->n * (iv->unit == 'w' ? 7 : 1))
			fuzz_fail("%d-%d-%d %+d%c: wrong distance",
				  d->year, d->month, d->day, iv->n, iv->unit);
		if (iv->n == INT_MIN)
			break;
		minus.n = -iv->n;
		if (crm_date_add(&back, &out, &minus) || !same_date(&back, d))
			fuzz_fail("%d-%d-%d %+d%c: does not go back",
				  d->year, d->month, d->day, iv->n, iv->unit);
		break;
	case 'm':
	case 'y':
		months = (out.year - d->year) * 12LL + (out.month - d->month);
		if (months != (long long)iv->n * (iv->unit == 'y' ? 12 : 1) ||
		    out.day > d->day)
			fuzz_fail("%d-%d-%d %+d%c: gives %d-%d-%d", d->year,
				  d->month, d->day, iv->n, iv->unit, out.year,
				  out.month, out.day);
		break;
	default:
		fuzz_fail("crm_date_add accepted unit %d", iv->unit);
	}
}

static int local_year_in_range(time_t t)
{
	struct tm tm;

	return localtime_r(&t, &tm) && tm.tm_year >= 1 - 1900 &&
	       tm.tm_year <= 9999 - 1900;
}

static void fuzz_expr(const char *expr, time_t now)
{
	struct crm_date d = { -1, -1, -1 }, today, from_iv;
	struct crm_moment m = { -1, -1 };
	struct crm_interval iv = { -1, 'x' };
	int date_rc, moment_rc, iv_rc, add_rc;
	size_t i;

	date_rc = crm_date_parse(&d, expr, now);
	if (date_rc) {
		if (d.year != -1)
			fuzz_fail("crm_date_parse('%s') failed but wrote", expr);
		check_failure(date_rc, "crm_date_parse", expr);
	} else {
		check_date(&d, expr, now);
	}

	moment_rc = crm_moment_parse(&m, expr, now);
	if (moment_rc) {
		if (m.t != -1)
			fuzz_fail("crm_moment_parse('%s') failed but wrote",
				  expr);
		check_failure(moment_rc, "crm_moment_parse", expr);
	} else if (local_year_in_range(now) || (ascii_casecmp(expr, "now") &&
						ascii_casecmp(expr, "today"))) {
		/* "now" past 9999 in $TZ has no stored form: no clock says so */
		check_moment(&m, expr, now);
	}
	if (!date_rc && moment_rc)
		fuzz_fail("'%s' at %lld is a date but not a moment: %s", expr,
			  (long long)now, crm_error_last());
	/*
	 * A moment is a date too, unless it is "now" or its local date
	 * lies outside 0001..9999 (9999-12-31T23:00-05:00 is a moment, but
	 * not a date: in Paris it falls in the year 10000).
	 */
	if (date_rc && !moment_rc && ascii_casecmp(expr, "now") &&
	    local_year_in_range(m.t))
		fuzz_fail("'%s' at %lld is a moment but not a date", expr,
			  (long long)now);

	iv_rc = crm_interval_parse(&iv, expr);
	if (iv_rc) {
		if (iv.n != -1 || iv.unit != 'x')
			fuzz_fail("crm_interval_parse('%s') failed but wrote",
				  expr);
		check_failure(iv_rc, "crm_interval_parse", expr);
		return;
	}
	if (!iv.unit || !strchr("dwmy", iv.unit))
		fuzz_fail("'%s': unit %d", expr, iv.unit);
	for (i = 0; i < ARRAY_SIZE(fixed_dates); i++)
		check_add(&fixed_dates[i], &iv);

	/*
	 * "+3d" as a date is today + 3d, and out of range when that is
	 * (crm_date_today clamps a today outside the range: skip those)
	 */
	if (!local_year_in_range(now))
		return;
	crm_date_today(&today, now);
	if (!crm_date_valid(&today))
		fuzz_fail("today at %lld is %d-%d-%d", (long long)now,
			  today.year, today.month, today.day);
	add_rc = crm_date_add(&from_iv, &today, &iv);
	if (!add_rc != !date_rc)
		fuzz_fail("'%s' at %lld: as a date %s, but today + the "
			  "interval %s", expr, (long long)now,
			  date_rc ? "fails" : "reads",
			  add_rc ? "fails" : "is a date");
	if (!date_rc && !same_date(&d, &from_iv))
		fuzz_fail("'%s' at %lld: %d-%d-%d, but today + the interval "
			  "is %d-%d-%d", expr, (long long)now, d.year, d.month,
			  d.day, from_iv.year, from_iv.month, from_iv.day);
	if (!add_rc)
		check_add(&today, &iv);
}

/* The first bytes as a crm_date and a crm_interval, unchecked. */
static void fuzz_raw_add(const uint8_t *data, size_t size)
{
	struct crm_date d, out;
	struct crm_interval iv;
	int32_t n;

	if (size < 9)
		return;
	d.year = (int)(data[0] | data[1] << 8) - 1000;
	d.month = (signed char)data[2];
	d.day = (signed char)data[3];
	memcpy(&n, data + 4, sizeof(n));
	iv.n = n;
	iv.unit = (char)data[8];
	if (!crm_date_add(&out, &d, &iv) && !crm_date_valid(&out))
		fuzz_fail("raw %d-%d-%d %+d%c gives %d-%d-%d", d.year,
			  d.month, d.day, iv.n, iv.unit, out.year, out.month,
			  out.day);
	if (crm_date_valid(&d) && strchr("dwmy", iv.unit) && iv.unit)
		check_add(&d, &iv);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_fix_clock();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char expr[MAX_EXPR + 1];
	size_t len = size < MAX_EXPR ? size : MAX_EXPR, i;

	memcpy(expr, data, len);
	expr[len] = '\0';
	for (i = 0; i < ARRAY_SIZE(nows); i++)
		fuzz_expr(expr, nows[i]);
	fuzz_raw_add(data, size);
	return 0;
}
