#ifndef CRM_CONFIG_H
#define CRM_CONFIG_H

#include <stddef.h>

#include "strbuf.h"

/*
 * The store's shared settings, .crm.yml (crm-record(5)): pipeline
 * stages in order with default win probabilities, the default currency
 * and the stale threshold.
 */
struct crm_stage {
	char *name;
	char *probability;	/* a whole percentage, "0".."100" */
	int closes;		/* won or lost: moving here closes the deal */
};

struct crm_config {
	struct crm_stage *stages;
	size_t nstages;
	char *currency;
	long stale_days;
};

/* Parse the text of .crm.yml; `path` names it in errors. */
int crm_config_parse(struct crm_config *out, const char *buf, size_t len,
		     const char *path);
void crm_config_release(struct crm_config *c);
const struct crm_stage *crm_config_stage(const struct crm_config *c,
					 const char *name);
/* "lead, qualified, ..." for error messages. */
void crm_config_stage_list(struct strbuf *out, const struct crm_config *c);

#endif
