#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>
#include <uniwidth.h>

#include "error.h"
#include "text.h"
#include "util.h"

int crm_text_nfc(struct strbuf *out, const char *s, size_t len)
{
	size_t n = 0;
	uint8_t *r;

	if (u8_check((const uint8_t *)s, len)) {
		crm_error_set(CRM_EINVALID, "invalid UTF-8 in '%.*s'",
			      (int)(len > 40 ? 40 : len), s);
		return CRM_EINVALID;
	}
	r = u8_normalize(UNINORM_NFC, (const uint8_t *)s, len, NULL, &n);
	if (!r)
		crm_die_oom();
	strbuf_add(out, r, n);
	free(r);
	return 0;
}

/* Latin letters that have no decomposition to a base letter. */
static const char *fold_special(ucs4_t c)
{
	switch (c) {
	case 0x00df: return "ss";	/* ß */
	case 0x00e6: case 0x00c6: return "ae";
	case 0x00f8: case 0x00d8: return "o";
	case 0x0111: case 0x0110: return "d";
	case 0x00f0: case 0x00d0: return "d";
	case 0x0142: case 0x0141: return "l";
	case 0x0153: case 0x0152: return "oe";
	case 0x00fe: case 0x00de: return "th";
	case 0x0131: return "i";
	case 0x0127: case 0x0126: return "h";
	case 0x0167: case 0x0166: return "t";
	case 0x014b: case 0x014a: return "ng";
	case 0x1e9e: return "ss";
	}
	return NULL;
}

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s & 0x80)
			return 0;
	return 1;
}

void crm_text_fold(struct strbuf *out, const char *s)
{
	size_t n = 0;
	uint8_t *d;
	const uint8_t *p, *end;

	/* most text is ASCII: no normalization to do, only case */
	if (is_ascii(s)) {
		for (; *s; s++)
			strbuf_addch(out, (*s >= 'A' && *s <= 'Z') ? *s + 32 : *s);
		return;
	}

	d = u8_normalize(UNINORM_NFKD, (const uint8_t *)s, strlen(s), NULL,
			 &n);
	if (!d) {
		/* invalid input: fold only ASCII */
		for (; *s; s++)
			if (!((unsigned char)*s & 0x80))
				strbuf_addch(out, (*s >= 'A' && *s <= 'Z') ?
					     *s + 32 : *s);
		return;
	}
	p = d;
	end = d + n;
	while (p < end) {
		ucs4_t c;
		int len = u8_mbtouc(&c, p, (size_t)(end - p));
		const char *special;

		if (uc_is_general_category(c, UC_CATEGORY_M)) {
			p += len;
			continue;
		}
		special = fold_special(c);
		if (special)
			strbuf_addstr(out, special);
		else if (c < 0x80)
			strbuf_addch(out, (c >= 'A' && c <= 'Z') ?
				     (int)c + 32 : (int)c);
		else {
			ucs4_t lower = uc_tolower(c);
			uint8_t buf[6];
			int w = u8_uctomb(buf, lower, sizeof(buf));

			if (w > 0)
				strbuf_add(out, buf, (size_t)w);
		}
		p += len;
	}
	free(d);
}

int crm_text_has_controls(const char *s, int allow_newlines)
{
	const uint8_t *p = (const uint8_t *)s;
	const uint8_t *end = p + strlen(s);

	while (p < end) {
		ucs4_t c;
		int len = u8_mbtouc(&c, p, (size_t)(end - p));

		if (c == 0xfffd && len == 1)
			return 1;	/* invalid byte */
		if (allow_newlines && (c == '\n' || c == '\t'))
			;
		else if (uc_is_general_category(c, UC_CATEGORY_Cc) ||
			 uc_is_general_category(c, UC_CATEGORY_Cf) ||
			 c == 0x2028 || c == 0x2029)
			return 1;
		p += len;
	}
	return 0;
}

size_t crm_text_width(const char *s)
{
	const char *p = s;
	int w;

	/* printable ASCII, most text: a column a byte, and quick to tell */
	while (*p >= ' ' && *p <= '~')
		p++;
	if (!*p)
		return (size_t)(p - s);
	w = u8_strwidth((const uint8_t *)s, "UTF-8");

	return w < 0 ? strlen(s) : (size_t)w;
}

int crm_text_equal(const char *a, const char *b)
{
	struct strbuf fa = STRBUF_INIT, fb = STRBUF_INIT;
	int eq;

	if (is_ascii(a) && is_ascii(b))
		return !ascii_casecmp(a, b);
	crm_text_fold(&fa, a);
	crm_text_fold(&fb, b);
	eq = !strcmp(fa.buf, fb.buf);
	strbuf_release(&fa);
	strbuf_release(&fb);
	return eq;
}

int crm_text_matches(const char *haystack, const char *needle)
{
	struct strbuf h = STRBUF_INIT, n = STRBUF_INIT;
	int found;

	if (is_ascii(haystack) && is_ascii(needle))
		return ascii_strcasestr(haystack, needle) != NULL;

	crm_text_fold(&h, haystack);
	crm_text_fold(&n, needle);
	found = strstr(h.buf, n.buf) != NULL;
	strbuf_release(&h);
	strbuf_release(&n);
	return found;
}
