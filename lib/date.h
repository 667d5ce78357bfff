#ifndef CRM_DATE_H
#define CRM_DATE_H

#include <time.h>

/*
 * The one date parser crm uses everywhere (--due, --close, --at, --since,
 * filters, reports), so that every command accepts the same words.
 *
 * Two kinds of time: a calendar date (a follow-up's due day, a deal's
 * close day) has no time zone and never shifts when $TZ changes; a moment
 * (a log entry) is an instant kept with the UTC offset it was written in.
 * Words such as "today" mean the local calendar date of `now` in $TZ.
 *
 * Dates run from 0001-01-01 to 9999-12-31; anything outside is refused as
 * out of range, never wrapped.  On failure every function leaves its
 * out-parameter unchanged and returns a negative CRM_E* code (always
 * CRM_EINVALID here) with a one-line message for crm_error_last().
 */

/* A calendar date, no time zone. */
struct crm_date {
	int year, month, day;
};

/* An instant and its UTC offset in minutes east. */
struct crm_moment {
	time_t t;
	int offset;
};

/* "3d", "2w", "1m", "1y": recurring follow-ups, cadences, +3d. */
struct crm_interval {
	int n;		/* may be negative ("-3d") */
	char unit;	/* 'd', 'w', 'm' or 'y' */
};

/* Room for "YYYY-MM-DD" and its NUL. */
#define CRM_DATE_MAX 11

/*
 * Parse a calendar-date expression relative to `now`, in $TZ: YYYY-MM-DD;
 * an ISO moment (its local date; without an offset, its date as written);
 * today, tomorrow, yesterday; a weekday (monday..sunday, mon..sun: the
 * next one strictly after today) optionally preceded by "next " with the
 * same meaning; an interval (+3d, 3d, -3d, 2w, 1m, 1y) from today; eow,
 * sow (Sunday and Monday of the current ISO week), eom, som, eoy, soy.
 * Words are case-insensitive; surrounding spaces are refused.
 */
int crm_date_parse(struct crm_date *out, const char *expr, time_t now);

/*
 * Parse a moment expression (a log entry's --at, --since): "now" and
 * "today" are `now`; YYYY-MM-DDTHH:MM[:SS] with Z, +HH:MM or +HHMM keeps
 * its offset; without one it is local time in $TZ; any other date
 * expression is the start of that local day (see crm_date_start).
 * The offset of a local moment is the local UTC offset at that instant.
 */
int crm_moment_parse(struct crm_moment *out, const char *expr, time_t now);

/* Strict YYYY-MM-DD, as stored in records (due:, close:). */
int crm_date_from_iso(struct crm_date *out, const char *s);

/* YYYY-MM-DD; `d` must be a valid date (crm_date_valid). */
void crm_date_format(char out[CRM_DATE_MAX], const struct crm_date *d);

/* Whether `d` is a real date between 0001-01-01 and 9999-12-31. */
int crm_date_valid(const struct crm_date *d);

/* Days since 1970-01-01 (negative before), and back. */
long long crm_date_to_days(const struct crm_date *d);
/* `days` must lie within the valid range for the year to fit an int. */
void crm_date_from_days(struct crm_date *out, long long days);

/* <0, 0 or >0 as `a` is before, the same as or after `b`. */
int crm_date_cmp(const struct crm_date *a, const struct crm_date *b);

/* The ISO weekday of `d`: 1 for Monday .. 7 for Sunday. */
int crm_date_weekday(const struct crm_date *d);
/* "Monday" .. "Sunday" for 1..7; "?" for anything else. */
const char *crm_weekday_name(int weekday);

/* The local calendar date of `now` in $TZ. */
void crm_date_today(struct crm_date *out, time_t now);

/*
 * The local calendar date, in $TZ, of a stored moment such as
 * 2026-11-22T10:15:00+01:00 (the offset is required).
 */
int crm_date_of_moment(struct crm_date *out, const char *iso);

/*
 * The first instant of local day `d` in $TZ: 00:00, or, where a DST
 * change skips midnight, the first local time that exists that day.
 */
int crm_date_start(struct crm_moment *out, const struct crm_date *d);

/*
 * "3d", "+3d", "-3d", "2w", "1m", "1y" (unit case-insensitive).  Callers
 * that need a positive interval (a cadence) check n > 0 themselves.
 */
int crm_interval_parse(struct crm_interval *out, const char *s);

/*
 * `d` plus `iv` (n may be negative).  Months and years keep the day of
 * the month, clamped to the month's last day: Jan 31 + 1m = Feb 28 or 29,
 * 2028-02-29 + 1y = 2029-02-28.  `out` may be `d`.
 */
int crm_date_add(struct crm_date *out, const struct crm_date *d,
		 const struct crm_interval *iv);

#endif
