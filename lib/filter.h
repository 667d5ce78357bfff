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
 *   word          text anywhere in the card
 */
enum crm_filter_op {
	CRM_FILTER_TEXT,
	CRM_FILTER_TAG,
	CRM_FILTER_NOT_TAG,
	CRM_FILTER_FIELD,
};

struct crm_filter_term {
	enum crm_filter_op op;
	char *key;
	char *value;
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
