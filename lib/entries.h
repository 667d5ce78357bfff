#ifndef CRM_ENTRIES_H
#define CRM_ENTRIES_H

#include <time.h>

#include "config.h"
#include "money.h"
#include "record.h"

/*
 * The lists inside a record: the interaction log, deals and
 * follow-ups (crm-record(5)).
 */

/* A log entry {at, type, by, text}; `by` may be NULL. */
struct crm_node *crm_log_entry_new(const char *at, const char *type,
				   const char *by, const char *text);
/* Insert keeping the log in time order (after entries at the same instant). */
void crm_log_insert(struct crm_record *r, struct crm_node *entry);
/* The instant of a log entry; 0 and CRM_EPARSE if `at` is unreadable. */
int crm_entry_instant(time_t *out, const struct crm_node *entry);
/* The latest log instant, or -1 if the record has no readable entry. */
int crm_log_last(time_t *out, const struct crm_record *r);

/* Deals. */
int crm_deal_is_open(const struct crm_node *deal);
/* The deal `ref` names: its id, or its 1-based position. */
struct crm_node *crm_deal_find(const struct crm_record *r, const char *ref);
/* The deal with exactly this id (no positions). */
struct crm_node *crm_deal_find_id(const struct crm_record *r, const char *id);
/* A new deal id from its title, unique in the record. */
void crm_deal_new_id(struct strbuf *out, const struct crm_record *r,
		     const char *title);
/* The deal's own probability, else its stage's default, else 0. */
int crm_deal_probability(const struct crm_node *deal,
			 const struct crm_config *cfg);
/* The deal's value (0 when it has none); CRM_EINVALID if unreadable. */
int crm_deal_value(crm_money *out, const struct crm_node *deal);

/* Follow-ups. */
int crm_followup_is_open(const struct crm_node *f);
struct crm_node *crm_followup_find(const struct crm_record *r,
				   const char *ref);
long crm_followup_next_id(const struct crm_record *r);

#endif
