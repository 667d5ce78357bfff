#include <string.h>

#include "slug.h"
#include "text.h"
#include "util.h"

static const char *const reserved[] = {
	"con", "prn", "aux", "nul",
	"com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
	"com8", "com9", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5",
	"lpt6", "lpt7", "lpt8", "lpt9",
};

int crm_id_reserved(const char *id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reserved); i++)
		if (!strcmp(id, reserved[i]))
			return 1;
	return 0;
}

int crm_id_valid(const char *id)
{
	size_t n = strlen(id), i;

	if (!n || n > CRM_SLUG_MAX + 8 || id[0] == '-' || id[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++) {
		char c = id[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return 0;
		if (c == '-' && id[i + 1] == '-')
			return 0;
	}
	return !crm_id_reserved(id);
}


void crm_slug(struct strbuf *out, const char *name)
{
	struct strbuf folded = STRBUF_INIT, nfc = STRBUF_INIT;
	struct strbuf slug = STRBUF_INIT;
	size_t i;
	int pending_hyphen = 0;

	crm_text_fold(&folded, name);
	for (i = 0; i < folded.len; i++) {
		char c = folded.buf[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
			pending_hyphen = slug.len > 0;
			continue;
		}
		if (pending_hyphen)
			strbuf_addch(&slug, '-');
		pending_hyphen = 0;
		strbuf_addch(&slug, c);
	}
	if (slug.len > CRM_SLUG_MAX) {
		/* cut at a word boundary when one is not too far back */
		size_t cut = CRM_SLUG_MAX;

		if (slug.buf[cut] != '-') {
			char *hyphen = memrchr(slug.buf, '-', cut);

			if (hyphen && (size_t)(hyphen - slug.buf) >= CRM_SLUG_MAX / 2)
				cut = (size_t)(hyphen - slug.buf);
		}
		strbuf_setlen(&slug, cut);
		while (slug.len && slug.buf[slug.len - 1] == '-')
			strbuf_setlen(&slug, slug.len - 1);
	}
	if (!slug.len) {
		if (crm_text_nfc(&nfc, name, strlen(name)) < 0)
			strbuf_addstr(&nfc, name);
		strbuf_addf(&slug, "c-%08llx",
			    (unsigned long long)crm_fnv1a(nfc.buf) &
			    0xffffffffULL);
	}
	if (crm_id_reserved(slug.buf))
		strbuf_addstr(&slug, "-1");
	strbuf_add(out, slug.buf, slug.len);
	strbuf_release(&slug);
	strbuf_release(&folded);
	strbuf_release(&nfc);
}
