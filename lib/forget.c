#include <stdlib.h>
#include <string.h>

#include "forget.h"
#include "util.h"

void crm_secrets_add(struct crm_secrets *s, const char *text)
{
	size_t i;

	/* too short to be a person's: it would scrub half the store */
	if (!text || strlen(text) < 3)
		return;
	for (i = 0; i < s->n; i++)
		if (!ascii_casecmp(s->items[i], text))
			return;
	ALLOC_GROW(s->items, s->n + 1, s->alloc);
	s->items[s->n++] = xstrdup(text);
}

void crm_secrets_release(struct crm_secrets *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->items[i]);
	free(s->items);
	memset(s, 0, sizeof(*s));
}

static const char *find_secret(const char *text, size_t len,
			       const struct crm_secrets *s, size_t *which)
{
	const char *best = NULL;
	size_t i, j;

	for (i = 0; i < s->n; i++) {
		size_t n = strlen(s->items[i]);

		for (j = 0; n && j + n <= len; j++) {
			size_t k;

			for (k = 0; k < n; k++) {
				char a = text[j + k], b = s->items[i][k];

				if (a >= 'A' && a <= 'Z')
					a += 32;
				if (b >= 'A' && b <= 'Z')
					b += 32;
				if (a != b)
					break;
			}
			if (k == n) {
				if (!best || text + j < best) {
					best = text + j;
					*which = i;
				}
				break;
			}
		}
	}
	return best;
}

int crm_secrets_in(const struct crm_secrets *s, const char *text, size_t len)
{
	size_t which;

	return find_secret(text, len, s, &which) != NULL;
}

void crm_scrub_text(struct strbuf *out, const char *text,
		    const struct crm_secrets *secrets)
{
	size_t len = strlen(text), which = 0;
	const char *p = text;

	for (;;) {
		const char *hit = find_secret(p, len - (size_t)(p - text),
					      secrets, &which);

		if (!hit) {
			strbuf_addstr(out, p);
			return;
		}
		strbuf_add(out, p, (size_t)(hit - p));
		strbuf_addstr(out, CRM_FORGOTTEN);
		p = hit + strlen(secrets->items[which]);
	}
}

int crm_scrub_node(struct crm_node *n, const struct crm_secrets *secrets)
{
	size_t i;
	int changed = 0;

	if (!n)
		return 0;
	if (n->kind == CRM_NODE_SCALAR) {
		struct strbuf sb = STRBUF_INIT;
		char *text;
		size_t len;

		if (!crm_secrets_in(secrets, n->str, n->len))
			return 0;
		crm_scrub_text(&sb, n->str, secrets);
		text = strbuf_detach(&sb, &len);
		crm_node_set_strn(n, text, len);
		n->type = CRM_SCALAR_STR;
		n->style = CRM_STYLE_AUTO;
		return 1;
	}
	/* values only: a map's keys are field names, not what was said */
	for (i = n->kind == CRM_NODE_MAP ? 1 : 0; i < n->nitems;
	     i += n->kind == CRM_NODE_MAP ? 2 : 1)
		changed |= crm_scrub_node(n->items[i], secrets);
	return changed;
}
