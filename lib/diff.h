#ifndef CRM_DIFF_H
#define CRM_DIFF_H

#include "node.h"
#include "strbuf.h"

/*
 * What changed between two versions of a record, field by field, as
 * `crm history` shows it: "owner: alice -> bob", "tags: +vip -lead",
 * "deal website: stage: lead -> proposal", "log: + call ...".
 * Either side may be NULL (the record was added or removed).
 */
struct crm_field_change {
	char *field;	/* "owner", "tags", "deals/website.stage", ... */
	char *before;	/* NULL when added */
	char *after;	/* NULL when removed */
};

struct crm_record_diff {
	struct crm_field_change *items;
	size_t n, alloc;
};

void crm_record_diff(struct crm_record_diff *out, const struct crm_node *a,
		     const struct crm_node *b);
void crm_record_diff_release(struct crm_record_diff *d);

/* A value of any shape on one line (lists joined, maps in braces). */
void crm_node_inline(struct strbuf *out, const struct crm_node *n);

#endif
