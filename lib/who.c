#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "util.h"
#include "who.h"

static int email_matches(const struct crm_node *root, const char *who)
{
	const struct crm_node *emails = crm_map_get(root, "emails");
	size_t i;

	for (i = 0; emails && i < emails->nitems; i++)
		if (emails->items[i]->str &&
		    !ascii_casecmp(emails->items[i]->str, who))
			return 1;
	return 0;
}

static int tier_matches(enum crm_who_tier t, const char *id,
			const struct crm_node *root, const char *who,
			const char *folded_who)
{
	const char *name = crm_map_get_str(root, "name");
	struct strbuf folded = STRBUF_INIT;
	int match = 0;

	switch (t) {
	case CRM_WHO_ID:
		return !strcmp(id, who);
	case CRM_WHO_ID_PREFIX:
		return starts_with(id, who);
	case CRM_WHO_EMAIL:
		return email_matches(root, who);
	case CRM_WHO_NAME:
	case CRM_WHO_NAME_PART:
		if (!name)
			return 0;
		crm_text_fold(&folded, name);
		match = t == CRM_WHO_NAME ? !strcmp(folded.buf, folded_who) :
			strstr(folded.buf, folded_who) != NULL;
		strbuf_release(&folded);
		return match;
	case CRM_WHO_TIERS:
		break;
	}
	return 0;
}

int crm_who_tier(const char *id, const struct crm_node *root, const char *who,
		 const char *folded_who)
{
	int t;

	for (t = 0; t < CRM_WHO_TIERS; t++)
		if (tier_matches(t, id, root, who, folded_who))
			return t;
	return -1;
}

size_t crm_who_match(size_t **matches, struct crm_record *const *records,
		     size_t n, const char *who)
{
	struct strbuf folded_who = STRBUF_INIT;
	size_t nmatch = 0, alloc = 0, i;
	int t;

	*matches = NULL;
	if (!*who)
		return 0;
	crm_text_fold(&folded_who, who);
	for (t = 0; t < CRM_WHO_TIERS && !nmatch; t++)
		for (i = 0; i < n; i++)
			if (tier_matches(t, records[i]->id, records[i]->root,
					 who, folded_who.buf)) {
				ALLOC_GROW(*matches, nmatch + 1, alloc);
				(*matches)[nmatch++] = i;
			}
	strbuf_release(&folded_who);
	return nmatch;
}
