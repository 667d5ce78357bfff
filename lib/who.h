#ifndef CRM_WHO_H
#define CRM_WHO_H

#include <stddef.h>

#include "record.h"

/*
 * Resolving <who> (crm(1) WHO) among loaded records.  The tiers, most
 * exact first: an exact id, an id prefix, an email (any case), the
 * whole name (case and accents ignored), part of the name.  The first
 * tier with any match decides; more than one match there is ambiguous.
 */
enum crm_who_tier {
	CRM_WHO_ID,
	CRM_WHO_ID_PREFIX,
	CRM_WHO_EMAIL,
	CRM_WHO_NAME,
	CRM_WHO_NAME_PART,
	CRM_WHO_TIERS,
};

/*
 * The most exact tier at which the record `id` with fields `root`
 * matches `who` (folded_who: crm_text_fold(who)), or -1.
 */
int crm_who_tier(const char *id, const struct crm_node *root, const char *who,
		 const char *folded_who);

/*
 * Fill `matches` (indexes into `records`) with the deciding tier's
 * matches; returns their number (0: no match, >1: ambiguous).
 */
size_t crm_who_match(size_t **matches, struct crm_record *const *records,
		     size_t n, const char *who);

#endif
