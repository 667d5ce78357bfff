#ifndef CRM_FILTER_H
#define CRM_FILTER_H

#include <stddef.h>

#include "node.h"

/*
 * Filters as crm(1) FILTERS describes them, all terms ANDed:
 *   tag:T, +T     has tag T          -T           lacks tag T
 *   field:value   field equals value (any element of a list field;
 *                 empty value: the field is absent); case and accents
 *                 do not matter
 *   field.before:D, field.after:D   a date field (due, close, created,
 *                 or any custom one) before / after date D
 *   field.over:N, field.under:N     an amount (value) above / below N
 *   field.has:text                  the field contains text
 *   has:F         the record has field F, not empty (has:conflicts)
 *   word          text anywhere in the card
 */
enum crm_filter_op {
	CRM_FILTER_TEXT,
	CRM_FILTER_TAG,
	CRM_FILTER_NOT_TAG,
	CRM_FILTER_FIELD,
	CRM_FILTER_HAS,		/* has:<field>, the field is there, not empty */
};

enum crm_filter_cmp {
	CRM_CMP_EQ = 0,
	CRM_CMP_BEFORE,
	CRM_CMP_AFTER,
	CRM_CMP_OVER,
	CRM_CMP_UNDER,
	CRM_CMP_HAS,
};

struct crm_filter_term {
	enum crm_filter_op op;
	enum crm_filter_cmp cmp;
	char *key;
	char *value;
	long long day;		/* BEFORE/AFTER: days since 1970 */
	long long amount;	/* OVER/UNDER: crm_money */
};

struct crm_filter {
	struct crm_filter_term *terms;
	size_t n, alloc;
};

int crm_filter_parse(struct crm_filter *f, const char *const *args,
		     size_t nargs);
void crm_filter_release(struct crm_filter *f);
/*
 * Whether `record` matches.  `entry` is a deal or follow-up being
 * listed, or NULL: its own keys take precedence over the record's.
 */
int crm_filter_match(const struct crm_filter *f,
		     const struct crm_node *record,
		     const struct crm_node *entry);

#endif
