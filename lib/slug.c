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

/* FNV-1a: small, stable across machines and versions, good enough. */
static unsigned long long fnv1a(const char *s)
{
	unsigned long long h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

void crm_slug(struct strbuf *out, const char *name)
{
	struct strbuf folded = STRBUF_INIT, nfc = STRBUF_INIT;
	size_t start = out->len, i;
	int pending_hyphen = 0;

	crm_text_fold(&folded, name);
	for (i = 0; i < folded.len; i++) {
		char c = folded.buf[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

		if (!alnum) {
			pending_hyphen = out->len > start;
			continue;
		}
		if (out->len - start >= CRM_SLUG_MAX)
			break;
		if (pending_hyphen) {
			if (out->len - start + 2 > CRM_SLUG_MAX)
				break;
			strbuf_addch(out, '-');
		}
		pending_hyphen = 0;
		strbuf_addch(out, c);
	}
	if (out->len == start) {
		if (crm_text_nfc(&nfc, name, strlen(name)) < 0)
			strbuf_addstr(&nfc, name);
		strbuf_addf(out, "c-%08llx", fnv1a(nfc.buf) & 0xffffffffULL);
	}
	if (crm_id_reserved(out->buf + start))
		strbuf_addstr(out, "-1");
	strbuf_release(&folded);
	strbuf_release(&nfc);
}
