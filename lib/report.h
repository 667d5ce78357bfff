#ifndef CRM_REPORT_H
#define CRM_REPORT_H

#include <stddef.h>

#include "config.h"
#include "date.h"
#include "money.h"
#include "node.h"

/*
 * The numbers behind `crm report` (crm-report(1)), added up one record
 * at a time so a store of any size is reported in bounded memory.  No
 * I/O: cmd/report.c feeds records (from the working tree, or from a
 * past commit for --as-of) and prints.
 */

#define CRM_REPORT_CURRENCIES 16

/* Sums of money per currency. */
struct crm_money_sum {
	char code[8];
	size_t count;
	crm_money total, weighted;
};

struct crm_money_sums {
	struct crm_money_sum items[CRM_REPORT_CURRENCIES];
	size_t n;
};

int crm_money_sums_add(struct crm_money_sums *s, const char *code,
		       crm_money value, crm_money weighted);

/* A count per name (a log type, a user, a week). */
struct crm_tally {
	char **names;
	size_t *counts;
	size_t n, alloc;
};
void crm_tally_add(struct crm_tally *t, const char *name, size_t count);
void crm_tally_sort_by_name(struct crm_tally *t);
void crm_tally_release(struct crm_tally *t);

struct crm_stale_customer {
	char *id, *name;
	long long days;		/* since the last interaction */
};

struct crm_rotting_deal {
	char *ref;		/* <who>/<deal> */
	char *stage;
	long long days;		/* in that stage */
};

struct crm_report {
	/* inputs */
	const struct crm_config *cfg;
	struct crm_date today;		/* "now", or the --as-of day */
	struct crm_date since, until;	/* the period, both days included */
	int forecast_months;
	long stale_days;		/* customers */
	long rotting_days;		/* deals */
	int deals_only;			/* no activity nor stale customers:
					   log entries need not be read */

	/* pipeline: per stage (cfg order, then "other") */
	struct crm_money_sums *stages;	/* cfg->nstages + 1 */
	struct crm_money_sums pipeline_total;

	/* forecast: [0] overdue, [1..months] month by month, [months+1] later, [months+2] no date */
	struct crm_money_sums *months;

	/* won and lost in the period */
	struct crm_money_sums won, lost;
	long long cycle_days;		/* sum over closed deals with a created date */
	size_t cycle_deals;

	/* activity in the period */
	struct crm_tally by_type, by_user, by_week;
	size_t interactions;

	/* stale customers and rotting deals */
	struct crm_stale_customer *stale;
	size_t nstale, stale_alloc;
	struct crm_rotting_deal *rotting;
	size_t nrotting, rotting_alloc;

	size_t customers;
};

void crm_report_init(struct crm_report *r, const struct crm_config *cfg,
		     const struct crm_date *today, const struct crm_date *since,
		     const struct crm_date *until, int forecast_months,
		     long stale_days, long rotting_days);
/* Add one customer's record (a summary: log entries need no text). */
int crm_report_add(struct crm_report *r, const char *id,
		   const struct crm_node *record);
void crm_report_release(struct crm_report *r);

/* The first day of the forecast bucket `i` (1..months), as YYYY-MM. */
void crm_report_month_name(char out[12], const struct crm_report *r, int i);

/* ISO week of a date: "2026-W48". */
void crm_report_week_name(char out[16], const struct crm_date *d);

#endif
