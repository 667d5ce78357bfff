#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "error.h"
#include "util.h"
#include "yaml.h"

static int config_error(const char *path, const struct crm_node *n,
			const char *msg)
{
	if (n && n->line)
		crm_error_set(CRM_EPARSE, "%s:%zu:%zu: %s", path, n->line,
			      n->column, msg);
	else
		crm_error_set(CRM_EPARSE, "%s: %s", path, msg);
	return CRM_EPARSE;
}

static int parse_percent(const char *s)
{
	int v = 0;

	if (!*s || strlen(s) > 3)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v <= 100 ? v : -1;
}

static int parse_stages(struct crm_config *c, const struct crm_node *seq,
			const char *path)
{
	size_t i;

	if (!seq || seq->kind != CRM_NODE_SEQ || !seq->nitems)
		return config_error(path, seq, "'stages' must be a list of "
				    "{name, probability}");
	c->stages = xcalloc(seq->nitems, sizeof(*c->stages));
	for (i = 0; i < seq->nitems; i++) {
		const struct crm_node *e = seq->items[i];
		const char *name = crm_map_get_str(e, "name");
		const char *p = crm_map_get_str(e, "probability");
		size_t j;

		if (e->kind == CRM_NODE_SCALAR) {
			/* a bare name: no default probability */
			name = e->str;
			p = "0";
		}
		if (!name || !*name || strpbrk(name, " \t:,"))
			return config_error(path, e,
					    "each stage needs a name without "
					    "spaces, ':' or ','");
		if (!p)
			p = "0";
		if (parse_percent(p) < 0)
			return config_error(path, e,
					    "a stage's probability is a whole "
					    "percentage from 0 to 100");
		for (j = 0; j < c->nstages; j++)
			if (!strcmp(c->stages[j].name, name))
				return config_error(path, e,
						    "a stage is listed twice");
		c->stages[c->nstages].name = xstrdup(name);
		c->stages[c->nstages].probability = xstrdup(p);
		c->stages[c->nstages].closes = !strcmp(name, "won") ||
					       !strcmp(name, "lost");
		c->nstages++;
	}
	return 0;
}

int crm_config_parse(struct crm_config *out, const char *buf, size_t len,
		     const char *path)
{
	struct crm_node *root = NULL;
	const char *v;
	int rc;

	memset(out, 0, sizeof(*out));
	out->stale_days = 30;
	if ((rc = crm_yaml_parse(&root, buf, len, path)))
		return rc;
	if (root->kind != CRM_NODE_MAP) {
		rc = config_error(path, root, "settings must be a map");
		goto done;
	}
	if ((rc = parse_stages(out, crm_map_get(root, "stages"), path)))
		goto done;
	v = crm_map_get_str(root, "currency");
	if (v && (strlen(v) != 3 || strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)) {
		rc = config_error(path, crm_map_get(root, "currency"),
				  "'currency' must be a three-letter code like EUR");
		goto done;
	}
	out->currency = xstrdup(v && *v ? v : "EUR");
	v = crm_map_get_str(root, "stale_days");
	if (v) {
		char *end;

		out->stale_days = strtol(v, &end, 10);
		if (*end || end == v || out->stale_days < 1 ||
		    out->stale_days > 100000) {
			rc = config_error(path, crm_map_get(root, "stale_days"),
					  "'stale_days' must be a whole number "
					  "of days");
			goto done;
		}
	}
done:
	crm_node_free(root);
	if (rc)
		crm_config_release(out);
	return rc;
}

void crm_config_release(struct crm_config *c)
{
	size_t i;

	for (i = 0; i < c->nstages; i++) {
		free(c->stages[i].name);
		free(c->stages[i].probability);
	}
	free(c->stages);
	free(c->currency);
	memset(c, 0, sizeof(*c));
}

const struct crm_stage *crm_config_stage(const struct crm_config *c,
					 const char *name)
{
	size_t i;

	for (i = 0; i < c->nstages; i++)
		if (!strcmp(c->stages[i].name, name))
			return &c->stages[i];
	return NULL;
}

void crm_config_stage_list(struct strbuf *out, const struct crm_config *c)
{
	size_t i;

	for (i = 0; i < c->nstages; i++)
		strbuf_addf(out, "%s%s", i ? ", " : "", c->stages[i].name);
}
