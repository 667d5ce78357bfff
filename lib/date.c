/*
 * Calendar dates, moments and the date expressions every command takes.
 * Arithmetic is done on day numbers (days since 1970-01-01) in long long,
 * so that an absurd "+99999999999d" is caught by a range check instead of
 * wrapping an int into a plausible-looking date.
 */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "date.h"
#include "error.h"
#include "strbuf.h"
#include "util.h"

#define MIN_YEAR 1
#define MAX_YEAR 9999

static const char date_range[] = "dates run from 0001-01-01 to 9999-12-31";

static const char date_forms[] =
	"YYYY-MM-DD, today, tomorrow, yesterday, a weekday, last friday, +3d, "
	"-2w, 1m, 3 days ago, in 2 weeks, eow, eom, eoy, sow, som or soy";

static const char moment_forms[] =
	"now, YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM], YYYY-MM-DD, today, tomorrow, "
	"yesterday, a weekday, last friday, +3d, -2w, 1m, 3 days ago, "
	"in 2 weeks, eow, eom, eoy, sow, som or soy";

/*
 * localtime_r need not notice a changed $TZ; tzset makes it.  But with
 * TZ unset, tzset stats /etc/localtime on every call, tens of thousands
 * of times in a report: so call it only when $TZ is not what it was.
 */
static void tz_refresh(void)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static char *seen;
	static int ready;
	const char *tz;

	pthread_mutex_lock(&lock);
	tz = getenv("TZ");
	if (!ready || (tz ? !seen || strcmp(seen, tz) : seen != NULL)) {
		free(seen);
		seen = tz ? xstrdup(tz) : NULL;
		ready = 1;
		tzset();
	}
	pthread_mutex_unlock(&lock);
}

/*
 * How an internal parse failed.  Only the public functions write the
 * message, because only they know the whole input the user typed.
 */
enum parse_result { PARSE_OK = 0, PARSE_BAD, PARSE_RANGE };

static const char *const weekday_names[] = {
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
	"Sunday",
};

static const char *const weekday_abbrevs[] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun",
};

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static long long floor_div(long long a, long long b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static long long floor_mod(long long a, long long b)
{
	return a - floor_div(a, b) * b;
}

static int is_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(long long y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31 };

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant). */
static long long days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil; the year stays wide for range checks. */
static void civil_from_days(long long z, long long *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static long long min_days(void)
{
	return days_from_civil(MIN_YEAR, 1, 1);
}

static long long max_days(void)
{
	return days_from_civil(MAX_YEAR, 12, 31);
}

/* The date `days` after 1970-01-01, if it lies within the range. */
static enum parse_result date_of_days(struct crm_date *out, long long days)
{
	if (days < min_days() || days > max_days())
		return PARSE_RANGE;
	crm_date_from_days(out, days);
	return PARSE_OK;
}

static int weekday_of_days(long long days)
{
	/* 1970-01-01 was a Thursday, ISO weekday 4 */
	return (int)floor_mod(days + 3, 7) + 1;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Whether `s` starts with `prefix`, ignoring ASCII case. */
static int starts_with_ci(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (lower((unsigned char)*s) != *prefix)
			return 0;
	return 1;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/*
 * The input as an error message quotes it: control characters would
 * break the one-line message and a pasted paragraph would bury it.
 */
static void quote_input(struct strbuf *sb, const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		/* cut only at the start of a UTF-8 character */
		if (i >= 60 && (c & 0xc0) != 0x80) {
			strbuf_addstr(sb, "...");
			return;
		}
		strbuf_addch(sb, c < 0x20 || c == 0x7f ? '?' : c);
	}
}

static int refuse(enum parse_result r, const char *input, const char *noun,
		  const char *forms)
{
	struct strbuf q = STRBUF_INIT;

	quote_input(&q, input);
	if (r == PARSE_RANGE)
		crm_error_set(CRM_EINVALID, "'%s' is out of range; %s", q.buf,
			      date_range);
	else
		crm_error_set(CRM_EINVALID, "'%s' is not %s; use %s", q.buf,
			      noun, forms);
	strbuf_release(&q);
	return CRM_EINVALID;
}

/* The local UTC offset in seconds at `t`, per $TZ. */
static long offset_at(time_t t)
{
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return 0;
	return tm.tm_gmtoff;
}

static enum parse_result local_date_of(struct crm_date *out, time_t t)
{
	struct tm tm;

	if (!localtime_r(&t, &tm) || tm.tm_year > MAX_YEAR - 1900 ||
	    tm.tm_year < MIN_YEAR - 1900)
		return PARSE_RANGE;
	out->year = tm.tm_year + 1900;
	out->month = tm.tm_mon + 1;
	out->day = tm.tm_mday;
	return PARSE_OK;
}

/*
 * The instant at which the clock on the wall in $TZ reads `local`
 * (seconds since 1970-01-01T00:00 of the local calendar).
 *
 * mktime() leaves the times a DST change skips or repeats to the C
 * library (glibc and musl disagree), so the offsets either side are
 * looked up with localtime_r and tried instead.  A repeated time is the
 * earlier instant.  A skipped time is read with the offset from before
 * the change, which moves it forward by the gap (02:30 on the night
 * Paris springs forward is 03:30), as java.time and JavaScript's Temporal
 * do.  With `day_start`, a skipped time is the instant of the change
 * itself, the first local time that exists: a day whose midnight is
 * skipped starts at 01:00, and a day skipped whole (Apia, 2011-12-30)
 * starts when the next one does.  The offsets are sampled a day either
 * side, so two changes of offset less than a day apart would confuse it.
 */
static time_t local_to_instant(long long local, int day_start)
{
	long before = offset_at((time_t)(local - 86400));
	long after = offset_at((time_t)(local + 86400));
	time_t read_before = (time_t)(local - before);
	time_t read_after = (time_t)(local - after);
	time_t lo, hi;

	/*
	 * In an overlap both readings are right, and the offset from before
	 * the change (the larger one) gives the earlier instant.
	 */
	if (offset_at(read_before) == before)
		return read_before;
	if (offset_at(read_after) == after)
		return read_after;
	if (!day_start)
		return read_before;
	/* the change lies between the two readings: find its first second */
	lo = read_before < read_after ? read_before : read_after;
	hi = read_before < read_after ? read_after : read_before;
	while (hi - lo > 1) {
		time_t mid = lo + (hi - lo) / 2;

		if (offset_at(mid) == before)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

/* YYYY-MM-DD at the start of `s` (which is at least that long). */
static enum parse_result parse_ymd(const char *s, struct crm_date *out)
{
	int y, m, d;

	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) ||
	    s[7] != '-' || digits(s + 8, 2, &d))
		return PARSE_BAD;
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return PARSE_BAD;
	if (y < MIN_YEAR)
		return PARSE_RANGE;
	out->year = y;
	out->month = m;
	out->day = d;
	return PARSE_OK;
}

/* Z, +HH:MM or +HHMM (or -), the whole rest of the string. */
static int parse_offset(const char *s, int *minutes)
{
	int hh, mm, sign;

	if ((s[0] == 'Z' || s[0] == 'z') && !s[1]) {
		*minutes = 0;
		return 0;
	}
	if (s[0] != '+' && s[0] != '-')
		return -1;
	sign = s[0] == '-' ? -1 : 1;
	if (digits(s + 1, 2, &hh))
		return -1;
	s += 3;
	if (*s == ':')
		s++;
	if (digits(s, 2, &mm) || s[2] || hh > 23 || mm > 59)
		return -1;
	*minutes = sign * (hh * 60 + mm);
	return 0;
}

/* A moment as written, before any time zone is applied. */
struct iso_moment {
	struct crm_date date;
	int seconds;		/* into the day */
	int has_offset;
	int offset;		/* minutes east, if has_offset */
};

/*
 * YYYY-MM-DD(T|t| )HH:MM[:SS[.fraction]][Z|+HH:MM|+HHMM].  Fractions of
 * a second are accepted and dropped: moments are kept to the second.
 */
static enum parse_result parse_iso_moment(const char *s, struct iso_moment *out)
{
	enum parse_result r = parse_ymd(s, &out->date);
	int h, mi, sec = 0;
	const char *p;

	if (r == PARSE_BAD || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi))
		return PARSE_BAD;
	p = s + 16;
	if (*p == ':') {
		if (digits(p + 1, 2, &sec))
			return PARSE_BAD;
		p += 3;
		if (*p == '.') {
			if (!is_digit(p[1]))
				return PARSE_BAD;
			for (p++; is_digit(*p); p++)
				;
		}
	}
	if (h > 23 || mi > 59 || sec > 59)
		return PARSE_BAD;
	out->has_offset = 0;
	out->offset = 0;
	if (*p) {
		if (parse_offset(p, &out->offset))
			return PARSE_BAD;
		out->has_offset = 1;
	}
	out->seconds = h * 3600 + mi * 60 + sec;
	return r;
}

static time_t iso_moment_instant(const struct iso_moment *m)
{
	long long local = crm_date_to_days(&m->date) * 86400LL + m->seconds;

	if (m->has_offset)
		return (time_t)(local - m->offset * 60LL);
	return local_to_instant(local, 0);
}

/* How many digits `s` starts with, if a '-' follows (an ISO form). */
static size_t iso_year_digits(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n >= 4 && s[n] == '-' ? n : 0;
}

/*
 * YYYY-MM-DD, or an ISO moment's local date.  A year of five digits or
 * more in an otherwise good date is out of range rather than garbage.
 */
static enum parse_result parse_iso_date(struct crm_date *out, const char *s,
					size_t year_digits)
{
	struct iso_moment m;
	enum parse_result r;

	if (year_digits > 4) {
		r = parse_iso_date(out, s + year_digits - 4, 4);
		return r == PARSE_BAD ? PARSE_BAD : PARSE_RANGE;
	}
	if (strlen(s) == 10)
		return parse_ymd(s, out);
	if ((r = parse_iso_moment(s, &m)) != PARSE_OK)
		return r;
	if (!m.has_offset) {
		/* local time already: its date is the one written */
		*out = m.date;
		return PARSE_OK;
	}
	return local_date_of(out, iso_moment_instant(&m));
}

/* Monday..Sunday as 1..7 for a full or three-letter name, else 0. */
static int weekday_word(const char *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(weekday_names); i++)
		if (!ascii_casecmp(s, weekday_names[i]) ||
		    !ascii_casecmp(s, weekday_abbrevs[i]))
			return (int)i + 1;
	return 0;
}

static enum parse_result parse_interval(struct crm_interval *out,
					const char *s)
{
	int neg = 0, over = 0, unit;
	long long n = 0;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (!is_digit(*s))
		return PARSE_BAD;
	for (; is_digit(*s); s++) {
		int digit = *s - '0';

		/* keep scanning after an overflow: garbage beats range */
		if (over || n > (INT_MAX - digit) / 10)
			over = 1;
		else
			n = n * 10 + digit;
	}
	unit = lower((unsigned char)*s);
	if (!unit || !strchr("dwmy", unit) || s[1])
		return PARSE_BAD;
	if (over)
		return PARSE_RANGE;
	out->n = (int)(neg ? -n : n);
	out->unit = (char)unit;
	return PARSE_OK;
}

/*
 * What people type for an interval in words: "3 days ago", "in 2 weeks",
 * "1w ago", "in 1 month". One space between the words, as for "next".
 */
static enum parse_result parse_spoken_interval(struct crm_interval *out,
					       const char *s)
{
	static const struct {
		const char *word;
		char unit;
	} units[] = {
		{ "d", 'd' }, { "day", 'd' }, { "days", 'd' },
		{ "w", 'w' }, { "week", 'w' }, { "weeks", 'w' },
		{ "m", 'm' }, { "month", 'm' }, { "months", 'm' },
		{ "y", 'y' }, { "year", 'y' }, { "years", 'y' },
	};
	char compact[16], word[8];
	size_t len, digits = 0, i;
	int ahead, ago;
	enum parse_result r;

	ahead = starts_with_ci(s, "in ");
	if (ahead)
		s += 3;
	len = strlen(s);
	ago = len > 4 && !ascii_casecmp(s + len - 4, " ago");
	if (ago)
		len -= 4;
	if (ahead == ago)
		return PARSE_BAD;
	while (digits < len && is_digit(s[digits]))
		digits++;
	/* the digits, then the unit right after them or after one space */
	i = digits < len && s[digits] == ' ' ? digits + 1 : digits;
	if (!digits || digits > 13 || len - i >= sizeof(word) || i == len)
		return PARSE_BAD;
	memcpy(word, s + i, len - i);
	word[len - i] = '\0';
	for (i = 0; i < ARRAY_SIZE(units); i++)
		if (!ascii_casecmp(word, units[i].word))
			break;
	if (i == ARRAY_SIZE(units))
		return PARSE_BAD;
	memcpy(compact, s, digits);
	compact[digits] = units[i].unit;
	compact[digits + 1] = '\0';
	if ((r = parse_interval(out, compact)) == PARSE_OK && ago)
		out->n = -out->n;
	return r;
}

static enum parse_result add_interval(struct crm_date *out,
				      const struct crm_date *d,
				      const struct crm_interval *iv)
{
	long long months, y;
	int m;

	switch (iv->unit) {
	case 'd':
		return date_of_days(out, crm_date_to_days(d) + iv->n);
	case 'w':
		return date_of_days(out, crm_date_to_days(d) + 7LL * iv->n);
	case 'm':
	case 'y':
		months = d->year * 12LL + (d->month - 1) +
			 (iv->unit == 'y' ? 12LL * iv->n : iv->n);
		y = floor_div(months, 12);
		m = (int)floor_mod(months, 12) + 1;
		if (y < MIN_YEAR || y > MAX_YEAR)
			return PARSE_RANGE;
		out->year = (int)y;
		out->month = m;
		/* Jan 31 + 1m: the month has no 31st, so its last day */
		out->day = d->day < days_in_month(y, m) ? d->day :
			   days_in_month(y, m);
		return PARSE_OK;
	default:
		return PARSE_BAD;
	}
}

/* The words that name a day from today's day number and date. */
static enum parse_result parse_word(struct crm_date *out, const char *s,
				    long long today,
				    const struct crm_date *now)
{
	int weekday = weekday_of_days(today), target;

	if (!ascii_casecmp(s, "today"))
		return date_of_days(out, today);
	if (!ascii_casecmp(s, "tomorrow"))
		return date_of_days(out, today + 1);
	if (!ascii_casecmp(s, "yesterday"))
		return date_of_days(out, today - 1);
	if (!ascii_casecmp(s, "eow"))
		return date_of_days(out, today + 7 - weekday);
	if (!ascii_casecmp(s, "sow"))
		return date_of_days(out, today - (weekday - 1));
	if (!ascii_casecmp(s, "eom") || !ascii_casecmp(s, "som")) {
		out->year = now->year;
		out->month = now->month;
		out->day = lower((unsigned char)s[0]) == 'e' ?
			   days_in_month(now->year, now->month) : 1;
		return PARSE_OK;
	}
	if (!ascii_casecmp(s, "eoy") || !ascii_casecmp(s, "soy")) {
		int end = lower((unsigned char)s[0]) == 'e';

		out->year = now->year;
		out->month = end ? 12 : 1;
		out->day = end ? 31 : 1;
		return PARSE_OK;
	}
	/* "last friday": strictly before today, as "friday" is after it */
	if (starts_with_ci(s, "last ") && (target = weekday_word(s + 5))) {
		int behind = (int)floor_mod(weekday - target, 7);

		return date_of_days(out, today - (behind ? behind : 7));
	}
	/* "next monday" says what "monday" means; both are accepted */
	if (starts_with_ci(s, "next "))
		s += 5;
	if ((target = weekday_word(s))) {
		int ahead = (int)floor_mod(target - weekday, 7);

		/* strictly after today: on a Monday, "monday" is a week away */
		return date_of_days(out, today + (ahead ? ahead : 7));
	}
	return PARSE_BAD;
}

static enum parse_result parse_date(struct crm_date *out, const char *s,
				    time_t now)
{
	struct crm_date today;
	struct crm_interval iv;
	size_t year_digits = iso_year_digits(s);
	enum parse_result r;

	if (year_digits)
		return parse_iso_date(out, s, year_digits);
	r = parse_interval(&iv, s);
	if (r == PARSE_BAD)
		r = parse_spoken_interval(&iv, s);
	if (r == PARSE_RANGE)
		return r;
	/* a `now` outside the range has no today to count from */
	if (local_date_of(&today, now) != PARSE_OK)
		return PARSE_RANGE;
	if (r == PARSE_OK)
		return add_interval(out, &today, &iv);
	return parse_word(out, s, crm_date_to_days(&today), &today);
}

int crm_date_parse(struct crm_date *out, const char *expr, time_t now)
{
	struct crm_date d;
	enum parse_result r;

	tz_refresh();
	r = parse_date(&d, expr, now);
	if (r != PARSE_OK)
		return refuse(r, expr, "a date", date_forms);
	*out = d;
	return 0;
}

int crm_date_start(struct crm_moment *out, const struct crm_date *d)
{
	time_t t;

	if (!crm_date_valid(d)) {
		crm_error_set(CRM_EINVALID, "'%d-%d-%d' is not a date",
			      d->year, d->month, d->day);
		return CRM_EINVALID;
	}
	tz_refresh();
	t = local_to_instant(crm_date_to_days(d) * 86400LL, 1);
	out->t = t;
	out->offset = crm_local_offset(t);
	return 0;
}

int crm_moment_parse(struct crm_moment *out, const char *expr, time_t now)
{
	struct iso_moment m;
	struct crm_date d;
	enum parse_result r;
	time_t t;

	tz_refresh();
	/* a log entry "--at today" happened now, not at midnight */
	if (!ascii_casecmp(expr, "now") || !ascii_casecmp(expr, "today")) {
		out->t = now;
		out->offset = crm_local_offset(now);
		return 0;
	}
	if (iso_year_digits(expr) == 4 && strlen(expr) > 10) {
		if ((r = parse_iso_moment(expr, &m)) != PARSE_OK)
			return refuse(r, expr, "a moment", moment_forms);
		t = iso_moment_instant(&m);
		out->t = t;
		out->offset = m.has_offset ? m.offset : crm_local_offset(t);
		return 0;
	}
	if ((r = parse_date(&d, expr, now)) != PARSE_OK)
		return refuse(r, expr, "a moment", moment_forms);
	return crm_date_start(out, &d);
}

int crm_date_from_iso(struct crm_date *out, const char *s)
{
	struct crm_date d;
	enum parse_result r = PARSE_BAD;

	if (strlen(s) == 10)
		r = parse_ymd(s, &d);
	if (r != PARSE_OK)
		return refuse(r, s, "a date", "YYYY-MM-DD");
	*out = d;
	return 0;
}

int crm_date_of_moment(struct crm_date *out, const char *iso)
{
	struct iso_moment m;
	struct crm_date d;
	enum parse_result r = PARSE_BAD;

	tz_refresh();
	if (iso_year_digits(iso) == 4 && strlen(iso) > 10)
		r = parse_iso_moment(iso, &m);
	if (r == PARSE_OK && !m.has_offset)
		r = PARSE_BAD;
	if (r == PARSE_OK)
		r = local_date_of(&d, iso_moment_instant(&m));
	if (r != PARSE_OK)
		return refuse(r, iso, "a moment",
			      "YYYY-MM-DDTHH:MM:SS+HH:MM");
	*out = d;
	return 0;
}

static void put_digits(char *p, int value, int n)
{
	unsigned v = value < 0 ? 0 : (unsigned)value;

	while (n--) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

void crm_date_format(char out[CRM_DATE_MAX], const struct crm_date *d)
{
	/* by hand: fixed widths, so there is no truncation to go wrong */
	put_digits(out, d->year, 4);
	out[4] = '-';
	put_digits(out + 5, d->month, 2);
	out[7] = '-';
	put_digits(out + 8, d->day, 2);
	out[10] = '\0';
}

int crm_date_valid(const struct crm_date *d)
{
	return d->year >= MIN_YEAR && d->year <= MAX_YEAR &&
	       d->month >= 1 && d->month <= 12 && d->day >= 1 &&
	       d->day <= days_in_month(d->year, d->month);
}

long long crm_date_to_days(const struct crm_date *d)
{
	return days_from_civil(d->year, d->month, d->day);
}

void crm_date_from_days(struct crm_date *out, long long days)
{
	long long y;

	civil_from_days(days, &y, &out->month, &out->day);
	out->year = (int)y;
}

int crm_date_cmp(const struct crm_date *a, const struct crm_date *b)
{
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	if (a->month != b->month)
		return a->month < b->month ? -1 : 1;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return 0;
}

int crm_date_weekday(const struct crm_date *d)
{
	return weekday_of_days(crm_date_to_days(d));
}

const char *crm_weekday_name(int weekday)
{
	if (weekday < 1 || weekday > 7)
		return "?";
	return weekday_names[weekday - 1];
}

void crm_date_today(struct crm_date *out, time_t now)
{
	tz_refresh();
	/* beyond year 9999 there is no local time to give: keep it in range */
	if (local_date_of(out, now) != PARSE_OK)
		crm_date_from_days(out, now < 0 ? min_days() : max_days());
}

int crm_interval_parse(struct crm_interval *out, const char *s)
{
	struct crm_interval iv;
	struct strbuf q = STRBUF_INIT;
	enum parse_result r = parse_interval(&iv, s);

	if (r == PARSE_OK) {
		*out = iv;
		return 0;
	}
	quote_input(&q, s);
	if (r == PARSE_RANGE)
		crm_error_set(CRM_EINVALID,
			      "'%s' is out of range; use at most %d", q.buf,
			      INT_MAX);
	else
		crm_error_set(CRM_EINVALID,
			      "'%s' is not an interval; use a number and d, w, "
			      "m or y, like 3d, 2w, 1m or 1y", q.buf);
	strbuf_release(&q);
	return CRM_EINVALID;
}

int crm_date_add(struct crm_date *out, const struct crm_date *d,
		 const struct crm_interval *iv)
{
	struct crm_date result;
	char from[CRM_DATE_MAX];

	if (!crm_date_valid(d)) {
		crm_error_set(CRM_EINVALID, "'%d-%d-%d' is not a date",
			      d->year, d->month, d->day);
		return CRM_EINVALID;
	}
	switch (add_interval(&result, d, iv)) {
	case PARSE_OK:
		*out = result;
		return 0;
	case PARSE_RANGE:
		crm_date_format(from, d);
		crm_error_set(CRM_EINVALID, "'%s %+d%c' is out of range; %s",
			      from, iv->n, iv->unit, date_range);
		return CRM_EINVALID;
	default:
		/* a NUL or control character would cut the message short */
		if (iv->unit > ' ' && iv->unit < 0x7f)
			crm_error_set(CRM_EINVALID, "'%c' is not an interval "
				      "unit; use d, w, m or y", iv->unit);
		else
			crm_error_set(CRM_EINVALID, "interval unit %d is not "
				      "d, w, m or y", iv->unit);
		return CRM_EINVALID;
	}
}
