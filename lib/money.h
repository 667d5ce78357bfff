#ifndef CRM_MONEY_H
#define CRM_MONEY_H

#include <stdint.h>

#include "strbuf.h"

/*
 * Exact money: an integer count of ten-thousandths, never a float, so
 * 0.10 + 0.20 is 0.30 and a year of deals sums to the cent.  Four
 * decimals hold every ISO 4217 minor unit (at most three) and leave room
 * for probability-weighted values; the range is about ±922 trillion.
 */
#define CRM_MONEY_SCALE 10000
#define CRM_MONEY_DECIMALS 4

typedef int64_t crm_money;

/*
 * Parse a plain decimal: digits, an optional '.' and at most four
 * decimals, an optional leading '-' when `allow_negative`.  Refused,
 * with a message saying why: exponents (1e3), a decimal comma (12,5),
 * thousands separators, currency signs, spaces, more decimals, overflow.
 */
int crm_money_parse(crm_money *out, const char *s, int allow_negative);
/* Format with exactly `decimals` (0..4) decimals, rounding half to even. */
void crm_money_format(struct strbuf *out, crm_money m, int decimals);
/* The shortest exact form: "8000.00" keeps two decimals; "8000.5" -> "8000.50". */
void crm_money_format_value(struct strbuf *out, crm_money m);
int crm_money_add(crm_money *out, crm_money a, crm_money b);
/* a * percent / 100, rounded half to even at four decimals. */
int crm_money_percent(crm_money *out, crm_money a, int percent);

/* A probability as stored: a whole number 0..100. */
int crm_percent_parse(int *out, const char *s);

#endif
