#include <string.h>

#include "error.h"
#include "money.h"

static int money_error(const char *s, const char *why)
{
	crm_error_set(CRM_EINVALID, "'%s' is not an amount: %s", s, why);
	return CRM_EINVALID;
}

int crm_money_parse(crm_money *out, const char *s, int allow_negative)
{
	const char *p = s;
	int negative = 0, decimals = -1;
	__int128 v = 0;

	if (*p == '-') {
		if (!allow_negative)
			return money_error(s, "it must not be negative");
		negative = 1;
		p++;
	} else if (*p == '+') {
		p++;
	}
	if (!*p)
		return money_error(s, "no digits");
	if (*p == '.')
		return money_error(s, "write 0.5, not .5");
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (decimals >= CRM_MONEY_DECIMALS)
				return money_error(s, "more than four decimals");
			v = v * 10 + (*p - '0');
			if (decimals >= 0)
				decimals++;
			if (v > (__int128)INT64_MAX)
				return money_error(s, "too large");
		} else if (*p == '.' && decimals < 0) {
			decimals = 0;
		} else if (*p == ',') {
			return money_error(s, "use '.' for decimals and no "
					   "thousands separators (12.50, 1234.56)");
		} else if (*p == 'e' || *p == 'E') {
			return money_error(s, "write it out in full (1000, not 1e3)");
		} else {
			return money_error(s, "only digits and one '.' are allowed");
		}
	}
	if (decimals == 0)
		return money_error(s, "no digits after '.'");
	for (decimals = decimals < 0 ? 0 : decimals;
	     decimals < CRM_MONEY_DECIMALS; decimals++) {
		v *= 10;
		if (v > (__int128)INT64_MAX)
			return money_error(s, "too large");
	}
	*out = (crm_money)(negative ? -v : v);
	return 0;
}

/* Divide rounding half to even; d > 0. */
static __int128 div_round_even(__int128 n, __int128 d)
{
	__int128 q = n / d, r = n % d;

	if (r < 0) {
		q--;
		r += d;
	}
	if (2 * r > d || (2 * r == d && (q & 1)))
		q++;
	return q;
}

void crm_money_format(struct strbuf *out, crm_money m, int decimals)
{
	static const int64_t pow10[] = { 1, 10, 100, 1000, 10000 };
	__int128 v;
	unsigned long long whole, frac;
	int negative;

	if (decimals < 0)
		decimals = 0;
	if (decimals > CRM_MONEY_DECIMALS)
		decimals = CRM_MONEY_DECIMALS;
	v = div_round_even(m, pow10[CRM_MONEY_DECIMALS - decimals]);
	negative = v < 0;
	if (negative)
		v = -v;
	whole = (unsigned long long)(v / pow10[decimals]);
	frac = (unsigned long long)(v % pow10[decimals]);
	strbuf_addf(out, "%s%llu", negative ? "-" : "", whole);
	if (decimals)
		strbuf_addf(out, ".%0*llu", decimals, frac);
}

void crm_money_format_value(struct strbuf *out, crm_money m)
{
	int decimals = 2;

	/* cents always; more only when the amount has them */
	while (decimals < CRM_MONEY_DECIMALS) {
		crm_money unit = 1;
		int i;

		for (i = decimals; i < CRM_MONEY_DECIMALS; i++)
			unit *= 10;
		if (m % unit == 0)
			break;
		decimals++;
	}
	crm_money_format(out, m, decimals);
}

int crm_money_add(crm_money *out, crm_money a, crm_money b)
{
	if (__builtin_add_overflow(a, b, out)) {
		crm_error_set(CRM_EINVALID, "the sum of amounts is too large");
		return CRM_EINVALID;
	}
	return 0;
}

int crm_money_percent(crm_money *out, crm_money a, int percent)
{
	__int128 v = div_round_even((__int128)a * percent, 100);

	if (v > INT64_MAX || v < INT64_MIN) {
		crm_error_set(CRM_EINVALID, "amount too large");
		return CRM_EINVALID;
	}
	*out = (crm_money)v;
	return 0;
}

int crm_percent_parse(int *out, const char *s)
{
	int v = 0;
	const char *p = s;

	/* "50%" reads as 50 */
	for (; *p && *p != '%'; p++) {
		if (*p < '0' || *p > '9' || v > 100)
			goto bad;
		v = v * 10 + (*p - '0');
	}
	if (p == s || (*p == '%' && p[1]) || v > 100)
		goto bad;
	*out = v;
	return 0;
bad:
	crm_error_set(CRM_EINVALID,
		      "'%s' is not a probability (a whole percentage, 0 to 100)",
		      s);
	return CRM_EINVALID;
}
