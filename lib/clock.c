#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "error.h"

static int digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant). */
static long long days_from_civil(long long y, int m, int d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

static int parse_offset(const char *s, int *offset)
{
	int hh, mm, sign;

	if (!strcmp(s, "Z") || !strcmp(s, "z")) {
		*offset = 0;
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
	*offset = sign * (hh * 60 + mm);
	return 0;
}

int crm_parse_moment(const char *s, time_t *t, int *offset)
{
	int y, mo, d, h, mi, sec = 0, off;
	const char *p;

	if (s[0] == '@') {
		char *end;
		long long v = strtoll(s + 1, &end, 10);

		if (end == s + 1 || *end)
			goto bad;
		*t = (time_t)v;
		*offset = 0;
		return 0;
	}
	if (strlen(s) < 16 || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi))
		goto bad;
	p = s + 16;
	if (*p == ':') {
		if (digits(p + 1, 2, &sec))
			goto bad;
		p += 3;
		if (*p == '.')	/* fractions of a second: ignored */
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || sec > 60)
		goto bad;
	if (parse_offset(p, &off))
		goto bad;
	*t = (time_t)(days_from_civil(y, mo, d) * 86400LL + h * 3600 +
		      mi * 60 + sec - off * 60LL);
	*offset = off;
	return 0;
bad:
	crm_error_set(CRM_EINVALID,
		      "'%s' is not a moment like 2026-11-22T10:15:00+01:00", s);
	return CRM_EINVALID;
}

int crm_local_offset(time_t t)
{
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return 0;
	return (int)(tm.tm_gmtoff / 60);
}

int crm_now(time_t *now, int *offset)
{
	const char *pinned = getenv("CRM_NOW");
	int rc;

	if (pinned && *pinned) {
		rc = crm_parse_moment(pinned, now, offset);
		if (rc) {
			crm_error_set(CRM_EINVALID,
				      "CRM_NOW='%s' is not a moment like "
				      "2026-11-22T10:15:00+01:00", pinned);
			return rc;
		}
		/* an @seconds pin has no offset of its own: use the local one */
		if (pinned[0] == '@')
			*offset = crm_local_offset(*now);
		return 0;
	}
	*now = time(NULL);
	*offset = crm_local_offset(*now);
	return 0;
}

void crm_format_moment(char out[CRM_MOMENT_MAX], time_t t, int offset)
{
	time_t shifted = t + (time_t)offset * 60;
	struct tm tm;
	int a = offset < 0 ? -offset : offset;

	gmtime_r(&shifted, &tm);
	snprintf(out, CRM_MOMENT_MAX, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, offset < 0 ? '-' : '+', a / 60, a % 60);
}
