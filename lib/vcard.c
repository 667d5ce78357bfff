/*
 * vCard reading and writing.  See vcard.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unistr.h>

#include "csv.h"
#include "error.h"
#include "export.h"
#include "import.h"
#include "record.h"
#include "text.h"
#include "util.h"
#include "slug.h"
#include "vcard.h"
#include "yaml.h"

/* ---- SHA-1, for name-based UUIDs (RFC 4122 4.3) ---- */

static uint32_t rol32(uint32_t x, int n)
{
	return (x << n) | (x >> (32 - n));
}

static void sha1_block(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (; i < 80; i++)
		w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	for (i = 0; i < 80; i++) {
		uint32_t f, k, t;

		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = rol32(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol32(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

static void sha1(unsigned char out[20], const unsigned char *data, size_t len)
{
	uint32_t h[5] = {
		0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0,
	};
	unsigned char tail[128];
	uint64_t bits = (uint64_t)len * 8;
	size_t i, rest, padded;

	for (i = 0; i + 64 <= len; i += 64)
		sha1_block(h, data + i);
	rest = len - i;
	memset(tail, 0, sizeof(tail));
	memcpy(tail, data + i, rest);
	tail[rest] = 0x80;
	padded = rest + 1 + 8 <= 64 ? 64 : 128;
	for (i = 0; i < 8; i++)
		tail[padded - 1 - i] = (unsigned char)(bits >> (8 * i));
	sha1_block(h, tail);
	if (padded == 128)
		sha1_block(h, tail + 64);
	for (i = 0; i < 5; i++) {
		out[4 * i] = (unsigned char)(h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(h[i] >> 8);
		out[4 * i + 3] = (unsigned char)h[i];
	}
}

void crm_vcard_uuid(char out[CRM_VCARD_UID_MAX], const char *id)
{
	/* RFC 4122's URL namespace, 6ba7b811-9dad-11d1-80b4-00c04fd430c8 */
	static const unsigned char url_ns[16] = {
		0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
		0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
	};
	struct strbuf name = STRBUF_INIT;
	unsigned char hash[20];
	size_t i, pos;

	strbuf_add(&name, url_ns, sizeof(url_ns));
	strbuf_addstr(&name, "crm:");
	strbuf_addstr(&name, id);
	sha1(hash, (const unsigned char *)name.buf, name.len);
	strbuf_release(&name);
	hash[6] = (unsigned char)((hash[6] & 0x0f) | 0x50);
	hash[8] = (unsigned char)((hash[8] & 0x3f) | 0x80);
	memcpy(out, "urn:uuid:", 9);
	pos = 9;
	for (i = 0; i < 16; i++) {
		static const char hex[] = "0123456789abcdef";

		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[pos++] = '-';
		out[pos++] = hex[hash[i] >> 4];
		out[pos++] = hex[hash[i] & 15];
	}
	out[pos] = '\0';
}

/* ---- reading ---- */

struct parts {
	char **v;
	size_t n, alloc;
};

static void parts_add(struct parts *p, const char *s, size_t len)
{
	ALLOC_GROW(p->v, p->n + 1, p->alloc);
	p->v[p->n++] = xstrndup(s, len);
}

static void parts_release(struct parts *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

struct param {
	char *name;	/* uppercase */
	char *value;	/* several values joined by ',' */
};

struct prop {
	char *name;	/* uppercase, without its group */
	struct param *params;
	size_t nparams, alloc;
	const char *value;	/* points into the logical line */
	size_t line;
};

static void prop_release(struct prop *p)
{
	size_t i;

	free(p->name);
	for (i = 0; i < p->nparams; i++) {
		free(p->params[i].name);
		free(p->params[i].value);
	}
	free(p->params);
	memset(p, 0, sizeof(*p));
}

static char *upper_dup(const char *s, size_t len)
{
	char *u = xstrndup(s, len);
	size_t i;

	for (i = 0; i < len; i++)
		if (u[i] >= 'a' && u[i] <= 'z')
			u[i] = (char)(u[i] - 32);
	return u;
}

static const char *param(const struct prop *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nparams; i++)
		if (!strcmp(p->params[i].name, name))
			return p->params[i].value;
	return NULL;
}

static int fail(const char *file, size_t line, const char *msg)
{
	crm_error_set(CRM_EPARSE, "%s:%zu: %s", file, line, msg);
	return CRM_EPARSE;
}

static void add_param(struct prop *p, char *name, char *value)
{
	ALLOC_GROW(p->params, p->nparams + 1, p->alloc);
	p->params[p->nparams].name = name;
	p->params[p->nparams].value = value;
	p->nparams++;
}

/* NAME;PARAM=a,"b;c";BARE:value, with an optional "group." prefix. */
static int parse_prop(struct prop *p, const char *s, size_t line,
		      const char *file)
{
	const char *q = s, *dot;
	struct strbuf value = STRBUF_INIT;
	int rc = 0;

	p->line = line;
	while (*q && *q != ';' && *q != ':')
		q++;
	if (*q != ':' && *q != ';') {
		rc = fail(file, line, "not a vCard property (no ':')");
		goto done;
	}
	dot = memrchr(s, '.', (size_t)(q - s));
	if (dot)
		s = dot + 1;
	if (q == s) {
		rc = fail(file, line, "a property without a name");
		goto done;
	}
	p->name = upper_dup(s, (size_t)(q - s));
	while (*q == ';') {
		const char *start = ++q;
		char *name;

		while (*q && *q != '=' && *q != ';' && *q != ':')
			q++;
		if (*q != '=') {
			/* vCard 2.1: TEL;WORK;VOICE, EMAIL;QUOTED-PRINTABLE */
			char *bare = upper_dup(start, (size_t)(q - start));

			if (!strcmp(bare, "QUOTED-PRINTABLE") ||
			    !strcmp(bare, "BASE64"))
				add_param(p, xstrdup("ENCODING"), bare);
			else
				add_param(p, xstrdup("TYPE"), bare);
			continue;
		}
		name = upper_dup(start, (size_t)(q - start));
		strbuf_reset(&value);
		do {
			q++;	/* past '=' or ',' */
			if (value.len)
				strbuf_addch(&value, ',');
			if (*q == '"') {
				const char *end = strchr(q + 1, '"');

				if (!end) {
					free(name);
					rc = fail(file, line, "a quoted parameter "
						  "value does not end");
					goto done;
				}
				strbuf_add(&value, q + 1, (size_t)(end - q - 1));
				q = end + 1;
			} else {
				start = q;
				while (*q && *q != ',' && *q != ';' && *q != ':')
					q++;
				strbuf_add(&value, start, (size_t)(q - start));
			}
		} while (*q == ',');
		add_param(p, name, strbuf_detach(&value, NULL));
	}
	if (*q != ':') {
		rc = fail(file, line, "not a vCard property (no ':')");
		goto done;
	}
	p->value = q + 1;
done:
	strbuf_release(&value);
	return rc;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	while (list && *list) {
		const char *comma = strchr(list, ',');
		size_t len = comma ? (size_t)(comma - list) : strlen(list);

		if (len == n && !strncasecmp(list, word, n))
			return 1;
		list = comma ? comma + 1 : NULL;
	}
	return 0;
}

/*
 * The value as UTF-8 text, still escaped: quoted-printable decoded,
 * its charset converted.  The file as a whole is UTF-8 already.
 */
static int prop_value(struct strbuf *out, const struct prop *p,
		      const char *file)
{
	const char *encoding = param(p, "ENCODING");
	const char *charset = param(p, "CHARSET");
	struct strbuf bytes = STRBUF_INIT;
	const char *s = p->value, *from;
	int rc = 0;

	if (!encoding || ascii_casecmp(encoding, "QUOTED-PRINTABLE")) {
		strbuf_addstr(out, s);
		return 0;
	}
	while (*s) {
		int hi, lo;

		if (*s == '=' && (hi = hexval(s[1])) >= 0 &&
		    (lo = hexval(s[2])) >= 0) {
			strbuf_addch(&bytes, hi << 4 | lo);
			s += 3;
		} else {
			strbuf_addch(&bytes, *s++);
		}
	}
	if (!u8_check((const uint8_t *)bytes.buf, bytes.len)) {
		size_t i;

		/* "=0D=0A" is a line end, "\n" as everywhere in crm */
		for (i = 0; i < bytes.len; i++) {
			if (bytes.buf[i] != '\r')
				strbuf_addch(out, bytes.buf[i]);
			else if (i + 1 == bytes.len || bytes.buf[i + 1] != '\n')
				strbuf_addch(out, '\n');
		}
	} else if (charset && (!ascii_casecmp(charset, "UTF-8") ||
			       !ascii_casecmp(charset, "UTF8"))) {
		rc = fail(file, p->line, "the value is not valid UTF-8");
	} else if (crm_csv_decode(out, &from, bytes.buf, bytes.len, file)) {
		crm_error_set(CRM_EPARSE, "%s:%zu: the value is not text in "
			      "its charset (%s)", file, p->line,
			      charset ? charset : "none given");
		rc = CRM_EPARSE;
	}
	strbuf_release(&bytes);
	return rc;
}

/* Undo \\ \, \; \: \n; split at unescaped `sep` (0: do not split). */
static void unescape_split(struct parts *out, const char *s, char sep)
{
	struct strbuf cur = STRBUF_INIT;

	for (;; s++) {
		if (!*s || (sep && *s == sep)) {
			parts_add(out, cur.buf, cur.len);
			strbuf_reset(&cur);
			if (!*s)
				break;
			continue;
		}
		if (*s == '\\' && s[1]) {
			s++;
			strbuf_addch(&cur, (*s == 'n' || *s == 'N') ? '\n' : *s);
			continue;
		}
		strbuf_addch(&cur, *s);
	}
	strbuf_release(&cur);
}

struct card {
	struct crm_node *root;
	size_t line;			/* of BEGIN:VCARD */
	struct strbuf fn, notes;
	struct parts n;			/* N: family;given;additional;... */
	struct parts categories;
	char *org;
	char *uid, *crm_id;
	int nadr, nurl, nimpp;
};

static void card_release(struct card *c)
{
	crm_node_free(c->root);
	strbuf_release(&c->fn);
	strbuf_release(&c->notes);
	parts_release(&c->n);
	parts_release(&c->categories);
	free(c->org);
	free(c->uid);
	free(c->crm_id);
	memset(c, 0, sizeof(*c));
}

static void trim_copy(struct strbuf *out, const char *s)
{
	size_t len;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	len = strlen(s);
	while (len && strchr(" \t\n", s[len - 1]))
		len--;
	strbuf_add(out, s, len);
}

static int check_text(const char *field, const char *v)
{
	if (!strchr(v, '\n'))
		return crm_field_validate(field, v);
	if (crm_text_has_controls(v, 1) || strlen(v) > CRM_FIELD_MAX) {
		crm_error_set(CRM_EINVALID, "%s '%.60s' is not text crm can "
			      "store", field, v);
		return CRM_EINVALID;
	}
	return 0;
}

/* A YYYY-MM-DD date is written bare in YAML, as crm writes due dates. */
static int iso_date(const char *v)
{
	size_t i;

	for (i = 0; i < 10; i++)
		if (!v[i] || (i == 4 || i == 7 ? v[i] != '-' :
			      v[i] < '0' || v[i] > '9'))
			return 0;
	return !v[10];
}

static int set_field(struct card *c, const char *field, const char *v)
{
	struct crm_record rec = { NULL, NULL, c->root };
	struct strbuf nfc = STRBUF_INIT;
	int rc;

	if ((rc = crm_text_nfc(&nfc, v, strlen(v))) ||
	    (rc = check_text(field, nfc.buf)))
		goto done;
	if (nfc.len && !crm_map_get(c->root, field))
		crm_record_set_node(&rec, field, iso_date(nfc.buf) ?
				    crm_node_new_plain(nfc.buf) :
				    crm_node_new_str(nfc.buf));
done:
	strbuf_release(&nfc);
	return rc;
}

/* url, url_2, url_3 ... */
static int set_numbered(struct card *c, const char *field, int *count,
			const char *v)
{
	struct strbuf name = STRBUF_INIT;
	int rc;

	if (!*v)
		return 0;
	strbuf_addstr(&name, field);
	if (*count)
		strbuf_addf(&name, "_%d", *count + 1);
	(*count)++;
	rc = set_field(c, name.buf, v);
	strbuf_release(&name);
	return rc;
}

static int add_list(struct card *c, const char *key, const char *v)
{
	struct strbuf nfc = STRBUF_INIT;
	int rc = 0;

	if (!*v)
		return 0;
	if (!(rc = crm_text_nfc(&nfc, v, strlen(v))))
		rc = crm_import_list_add(c->root, key, nfc.buf);
	strbuf_release(&nfc);
	return rc;
}

static int take_address(struct card *c, const struct parts *adr)
{
	static const char *const keys[] = {
		"po_box", "extended", "street", "city", "region",
		"postal_code", "country",
	};
	struct crm_record rec = { NULL, NULL, c->root };
	struct crm_node *map = crm_node_new_map();
	struct strbuf name = STRBUF_INIT, nfc = STRBUF_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; i < ARRAY_SIZE(keys) && i < adr->n; i++) {
		strbuf_reset(&nfc);
		if ((rc = crm_text_nfc(&nfc, adr->v[i], strlen(adr->v[i]))) ||
		    (rc = check_text(keys[i], nfc.buf)))
			goto done;
		if (nfc.len)
			crm_map_set(map, keys[i], crm_node_new_str(nfc.buf));
	}
	if (!crm_map_len(map))
		goto done;
	strbuf_addstr(&name, "address");
	if (c->nadr)
		strbuf_addf(&name, "_%d", c->nadr + 1);
	c->nadr++;
	crm_record_set_node(&rec, name.buf, map);
	map = NULL;
done:
	crm_node_free(map);
	strbuf_release(&name);
	strbuf_release(&nfc);
	return rc;
}

/* BDAY:19850412 is the 1985-04-12 a person would type. */
static void date_text(struct strbuf *out, const char *v)
{
	size_t i;

	for (i = 0; i < 8 && v[i] >= '0' && v[i] <= '9'; i++)
		;
	if (i == 8 && !v[8])
		strbuf_addf(out, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
	else
		strbuf_addstr(out, v);
}

/* X-CRM-FIELD;NAME=f: what crm_vcard_write had no property for. */
static int take_crm_field(struct card *c, const struct prop *p,
			  const char *v)
{
	struct crm_record rec = { NULL, NULL, c->root };
	const char *field = param(p, "NAME"), *format = param(p, "X-FORMAT");
	struct crm_node *node = NULL;
	struct strbuf lower = STRBUF_INIT;
	int rc = 0;

	if (!field)
		return 0;
	for (; *field; field++)
		strbuf_addch(&lower, *field >= 'A' && *field <= 'Z' ?
			     *field + 32 : *field);
	if (!crm_field_name_valid(lower.buf) || strchr(lower.buf, '.') ||
	    (crm_field_is_known(lower.buf) && strcmp(lower.buf, "owner")) ||
	    crm_map_get(c->root, lower.buf))
		goto done;
	if (format && !ascii_casecmp(format, "yaml")) {
		if (crm_yaml_parse(&node, v, strlen(v), "X-CRM-FIELD")) {
			crm_error_set(CRM_EPARSE, "X-CRM-FIELD '%s' is not "
				      "valid YAML", lower.buf);
			rc = CRM_EPARSE;
			goto done;
		}
		crm_record_set_node(&rec, lower.buf, node);
		goto done;
	}
	rc = set_field(c, lower.buf, v);
done:
	strbuf_release(&lower);
	return rc;
}

static int take_prop(struct card *c, const struct prop *p, const char *raw)
{
	struct parts v = { NULL, 0, 0 };
	struct strbuf text = STRBUF_INIT;
	const char *name = p->name;
	size_t i;
	int rc = 0;

	if (!strcmp(name, "N") || !strcmp(name, "ORG") ||
	    !strcmp(name, "ADR"))
		unescape_split(&v, raw, ';');
	else if (!strcmp(name, "CATEGORIES"))
		unescape_split(&v, raw, ',');
	else
		unescape_split(&v, raw, 0);
	trim_copy(&text, v.v[0]);

	if (!strcmp(name, "FN")) {
		if (!c->fn.len)
			strbuf_add(&c->fn, text.buf, text.len);
	} else if (!strcmp(name, "N")) {
		if (!c->n.n)
			for (i = 0; i < v.n; i++)
				parts_add(&c->n, v.v[i], strlen(v.v[i]));
	} else if (!strcmp(name, "EMAIL")) {
		rc = add_list(c, "emails", text.buf);
	} else if (!strcmp(name, "TEL")) {
		struct strbuf tel = STRBUF_INIT;
		const char *t = text.buf, *ext;

		if (!strncasecmp(t, "tel:", 4))
			t += 4;
		ext = ascii_strcasestr(t, ";ext=");
		strbuf_add(&tel, t, ext ? (size_t)(ext - t) : strlen(t));
		if (ext)
			strbuf_addf(&tel, " x%s", ext + 5);
		rc = add_list(c, "phones", tel.buf);
		strbuf_release(&tel);
	} else if (!strcmp(name, "ORG")) {
		strbuf_reset(&text);
		trim_copy(&text, v.v[0]);
		if (text.len && !c->org) {
			c->org = xstrdup(text.buf);
			rc = set_field(c, "company", text.buf);
			strbuf_reset(&text);
			if (!rc && v.n > 1)
				trim_copy(&text, v.v[1]);
			if (!rc && text.len)
				rc = set_field(c, "department", text.buf);
		}
	} else if (!strcmp(name, "TITLE")) {
		rc = set_field(c, "title", text.buf);
	} else if (!strcmp(name, "ROLE")) {
		rc = set_field(c, "role", text.buf);
	} else if (!strcmp(name, "NICKNAME")) {
		rc = set_field(c, "nickname", text.buf);
	} else if (!strcmp(name, "GENDER")) {
		rc = set_field(c, "gender", text.buf);
	} else if (!strcmp(name, "CATEGORIES")) {
		/* kept until the card ends: X-CRM-ID may say crm wrote them */
		for (i = 0; i < v.n; i++)
			parts_add(&c->categories, v.v[i], strlen(v.v[i]));
	} else if (!strcmp(name, "NOTE")) {
		/* as written: a note's last line end is part of it */
		if (*v.v[0]) {
			if (c->notes.len)
				strbuf_addch(&c->notes, '\n');
			strbuf_addstr(&c->notes, v.v[0]);
		}
	} else if (!strcmp(name, "ADR")) {
		rc = take_address(c, &v);
	} else if (!strcmp(name, "BDAY") || !strcmp(name, "ANNIVERSARY")) {
		struct strbuf date = STRBUF_INIT;

		date_text(&date, text.buf);
		rc = set_field(c, *name == 'B' ? "birthday" : "anniversary",
			       date.buf);
		strbuf_release(&date);
	} else if (!strcmp(name, "URL")) {
		rc = set_numbered(c, "url", &c->nurl, text.buf);
	} else if (!strcmp(name, "IMPP")) {
		rc = set_numbered(c, "im", &c->nimpp, text.buf);
	} else if (!strcmp(name, "UID")) {
		if (!c->uid && text.len)
			c->uid = xstrdup(text.buf);
	} else if (!strcmp(name, "X-CRM-ID")) {
		if (!c->crm_id && text.len)
			c->crm_id = xstrdup(text.buf);
	} else if (!strcmp(name, "KIND")) {
		if (!ascii_casecmp(text.buf, "org") ||
		    !ascii_casecmp(text.buf, "organization"))
			rc = set_field(c, "kind", "company");
		else if (!ascii_casecmp(text.buf, "individual"))
			rc = set_field(c, "kind", "person");
	} else if (!strcmp(name, "X-ABSHOWAS")) {
		if (!ascii_casecmp(text.buf, "company"))
			rc = set_field(c, "kind", "company");
	} else if (!strcmp(name, "X-CRM-FIELD")) {
		rc = take_crm_field(c, p, text.buf);
	}
	parts_release(&v);
	strbuf_release(&text);
	return rc;
}

static void join_words(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		if (strchr(" \t\n", *s)) {
			if (out->len && out->buf[out->len - 1] != ' ')
				strbuf_addch(out, ' ');
			continue;
		}
		strbuf_addch(out, *s);
	}
	while (out->len && out->buf[out->len - 1] == ' ')
		strbuf_setlen(out, out->len - 1);
}

static int finish_card(struct card *c, const char *file)
{
	struct crm_record rec = { NULL, NULL, c->root };
	struct strbuf name = STRBUF_INIT, nfc = STRBUF_INIT;
	const struct crm_node *emails;
	/* N is family;given;additional: a name reads given first */
	static const size_t order[] = { 1, 2, 0 };
	char uid[CRM_VCARD_UID_MAX];
	size_t i;
	int rc = 0;

	join_words(&name, c->fn.buf);
	if (!name.len) {
		struct strbuf joined = STRBUF_INIT;

		for (i = 0; i < ARRAY_SIZE(order); i++) {
			if (order[i] >= c->n.n || !*c->n.v[order[i]])
				continue;
			if (joined.len)
				strbuf_addch(&joined, ' ');
			strbuf_addstr(&joined, c->n.v[order[i]]);
		}
		join_words(&name, joined.buf);
		strbuf_release(&joined);
	}
	if (!name.len && c->org) {
		strbuf_addstr(&name, c->org);
		if (!crm_map_get(c->root, "kind"))
			rc = set_field(c, "kind", "company");
	}
	emails = crm_map_get(c->root, "emails");
	if (!name.len && emails && emails->nitems)
		strbuf_addstr(&name, crm_node_str(emails->items[0]));
	if (!name.len) {
		rc = fail(file, c->line, "card has no name or email");
		goto done;
	}
	if ((rc = crm_text_nfc(&nfc, name.buf, name.len)) ||
	    (rc = crm_field_validate("name", nfc.buf)))
		goto fail;
	crm_record_set(&rec, "name", nfc.buf);
	if (c->n.n > 3 && *c->n.v[3] && (rc = set_field(c, "name_prefix",
							 c->n.v[3])))
		goto fail;
	if (c->n.n > 4 && *c->n.v[4] && (rc = set_field(c, "name_suffix",
							 c->n.v[4])))
		goto fail;
	/*
	 * Categories become tags as a label does (crm_import_tag_slug),
	 * except in a card crm wrote (X-CRM-ID), whose tags are crm's own.
	 */
	for (i = 0; i < c->categories.n; i++) {
		strbuf_reset(&nfc);
		if (c->crm_id)
			strbuf_addstr(&nfc, c->categories.v[i]);
		else
			crm_import_tag_slug(&nfc, c->categories.v[i]);
		if ((rc = add_list(c, "tags", nfc.buf)))
			goto fail;
	}
	if (c->notes.len) {
		strbuf_reset(&nfc);
		if ((rc = crm_text_nfc(&nfc, c->notes.buf, c->notes.len)) ||
		    (rc = crm_field_validate("notes", nfc.buf)))
			goto fail;
		crm_record_set(&rec, "notes", nfc.buf);
	}
	/* a UID crm made from the id says nothing the id does not */
	if (c->uid && c->crm_id) {
		crm_vcard_uuid(uid, c->crm_id);
		if (!strcmp(uid, c->uid)) {
			free(c->uid);
			c->uid = NULL;
		}
	}
	if (c->uid && (rc = set_field(c, "uid", c->uid)))
		goto fail;
	/* a card crm wrote names its record: the importer keeps that id */
	if (c->crm_id && crm_id_valid(c->crm_id))
		crm_map_set_at(c->root, "id", crm_node_new_str(c->crm_id), 0);
	c->root->line = c->line;
	goto done;
fail:
	crm_error_set(rc, "%s:%zu: %s", file, c->line, crm_error_last());
done:
	strbuf_release(&name);
	strbuf_release(&nfc);
	return rc;
}

/* Whether the logical line is a quoted-printable property. */
static int is_qp(const struct strbuf *line)
{
	const char *colon = strchr(line->buf, ':');
	struct strbuf head = STRBUF_INIT;
	int qp;

	if (!colon)
		return 0;
	strbuf_add(&head, line->buf, (size_t)(colon - line->buf));
	qp = ascii_strcasestr(head.buf, "QUOTED-PRINTABLE") != NULL;
	strbuf_release(&head);
	return qp;
}

struct reader {
	const char *file;
	struct crm_node **records;
	size_t n, alloc;
	struct card card;
	int in_card;
	/*
	 * vCard 2.1 writers (old Nokia and Android phones) put a PHOTO's
	 * base64 on unindented lines after it: skip those.
	 */
	int in_base64;
};

static int take_line(struct reader *r, const char *s, size_t line)
{
	struct prop p;
	struct strbuf value = STRBUF_INIT;
	int rc = 0;

	memset(&p, 0, sizeof(p));
	if (r->in_base64 && !strchr(s, ':'))
		goto done;
	r->in_base64 = 0;
	if ((rc = parse_prop(&p, s, line, r->file)))
		goto done;
	if (!strcmp(p.name, "BEGIN")) {
		if (ascii_casecmp(p.value, "VCARD")) {
			rc = fail(r->file, line, "BEGIN of something that is "
				  "not a vCard");
		} else if (r->in_card) {
			rc = fail(r->file, line, "BEGIN:VCARD inside a card "
				  "(END:VCARD missing above?)");
		} else {
			r->in_card = 1;
			strbuf_init(&r->card.fn);
			strbuf_init(&r->card.notes);
			r->card.root = crm_node_new_map();
			r->card.line = line;
		}
		goto done;
	}
	if (!r->in_card) {
		crm_error_set(CRM_EPARSE, "%s:%zu: '%s' outside BEGIN:VCARD "
			      "... END:VCARD", r->file, line, p.name);
		rc = CRM_EPARSE;
		goto done;
	}
	if (!strcmp(p.name, "END")) {
		if ((rc = finish_card(&r->card, r->file)))
			goto done;
		ALLOC_GROW(r->records, r->n + 1, r->alloc);
		r->records[r->n++] = r->card.root;
		r->card.root = NULL;
		card_release(&r->card);
		r->in_card = 0;
		goto done;
	}
	/* binary (PHOTO, LOGO, SOUND, KEY) is of no use to crm */
	if (has_word(param(&p, "ENCODING"), "B") ||
	    has_word(param(&p, "ENCODING"), "BASE64")) {
		r->in_base64 = 1;
		goto done;
	}
	if ((rc = prop_value(&value, &p, r->file)))
		goto done;
	if ((rc = take_prop(&r->card, &p, value.buf)))
		crm_error_set(rc, "%s:%zu: %s", r->file, line, crm_error_last());
done:
	prop_release(&p);
	strbuf_release(&value);
	return rc;
}

int crm_vcard_read(struct crm_node ***records, size_t *n, const char *buf,
		   size_t len, const char *name)
{
	struct strbuf text = STRBUF_INIT, cur = STRBUF_INIT;
	struct reader r;
	const char *from;
	size_t off = 0, line = 0, cur_line = 0;
	int rc;

	*records = NULL;
	*n = 0;
	memset(&r, 0, sizeof(r));
	strbuf_init(&r.card.fn);
	strbuf_init(&r.card.notes);
	r.file = name;
	if ((rc = crm_csv_decode(&text, &from, buf, len, name)))
		goto done;
	while (off < text.len) {
		const char *nl = memchr(text.buf + off, '\n', text.len - off);
		size_t end = nl ? (size_t)(nl - text.buf) : text.len;
		const char *s = text.buf + off;
		size_t slen = end - off;

		line++;
		off = end + 1;
		if (slen && (s[0] == ' ' || s[0] == '\t') && cur.len) {
			strbuf_add(&cur, s + 1, slen - 1);
		} else if (cur.len && is_qp(&cur) &&
			   cur.buf[cur.len - 1] == '=') {
			/* a quoted-printable soft line break */
			strbuf_setlen(&cur, cur.len - 1);
			strbuf_add(&cur, s, slen);
		} else {
			if (cur.len && (rc = take_line(&r, cur.buf, cur_line)))
				goto done;
			strbuf_reset(&cur);
			strbuf_add(&cur, s, slen);
			cur_line = line;
		}
	}
	if (cur.len && (rc = take_line(&r, cur.buf, cur_line)))
		goto done;
	if (r.in_card) {
		rc = fail(name, r.card.line, "card not closed (no END:VCARD)");
		goto done;
	}
	if (!r.n) {
		crm_error_set(CRM_EPARSE, "%s: no vCard in the file (no "
			      "BEGIN:VCARD)", name);
		rc = CRM_EPARSE;
		goto done;
	}
	*records = r.records;
	*n = r.n;
	r.records = NULL;
	r.n = 0;
done:
	crm_vcard_records_free(r.records, r.n);
	card_release(&r.card);
	strbuf_release(&text);
	strbuf_release(&cur);
	return rc;
}

void crm_vcard_records_free(struct crm_node **records, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		crm_node_free(records[i]);
	free(records);
}

/* ---- writing ---- */

static void vc_line(struct strbuf *out, const struct strbuf *line)
{
	crm_export_fold_line(out, line->buf, line->len);
}

static void vc_text(struct strbuf *out, const char *prop, const char *text)
{
	struct strbuf line = STRBUF_INIT;

	strbuf_addf(&line, "%s:", prop);
	crm_export_escape_text(&line, text);
	vc_line(out, &line);
	strbuf_release(&line);
}

static const char *str_field(const struct crm_node *record, const char *key)
{
	const struct crm_node *v = crm_map_get(record, key);

	return v && v->kind == CRM_NODE_SCALAR && v->str && *v->str ?
	       v->str : NULL;
}

/* Custom fields written as their own property, not X-CRM-FIELD. */
static int has_property(const struct crm_node *record, const char *key,
			int person)
{
	static const char *const simple[] = {
		"title", "role", "nickname", "birthday", "anniversary",
		"gender", "uid",
	};
	const char *digits;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(simple); i++)
		if (!strcmp(key, simple[i]))
			return str_field(record, key) != NULL;
	if (!strcmp(key, "name_prefix") || !strcmp(key, "name_suffix"))
		return person && str_field(record, key);
	if (!strcmp(key, "department"))
		return str_field(record, "company") && str_field(record, key);
	if (starts_with(key, "url") || starts_with(key, "im")) {
		digits = key + (key[0] == 'u' ? 3 : 2);
		if (*digits == '_')
			digits++;
		else if (*digits)
			return 0;
		for (i = 0; digits[i]; i++)
			if (digits[i] < '0' || digits[i] > '9')
				return 0;
		return str_field(record, key) != NULL;
	}
	if (starts_with(key, "address")) {
		const struct crm_node *v = crm_map_get(record, key);

		digits = key + 7;
		if (*digits == '_')
			digits++;
		else if (*digits)
			return 0;
		for (i = 0; digits[i]; i++)
			if (digits[i] < '0' || digits[i] > '9')
				return 0;
		if (!v || v->kind != CRM_NODE_MAP)
			return 0;
		for (i = 0; i < crm_map_len(v); i++)
			if (crm_map_value(v, i)->kind != CRM_NODE_SCALAR)
				return 0;
		return 1;
	}
	return 0;
}

static void write_adr(struct strbuf *out, const struct crm_node *adr)
{
	static const char *const keys[] = {
		"po_box", "extended", "street", "city", "region",
		"postal_code", "country",
	};
	struct strbuf line = STRBUF_INIT;
	size_t i;

	strbuf_addstr(&line, "ADR:");
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		const char *v = crm_map_get_str(adr, keys[i]);

		if (i)
			strbuf_addch(&line, ';');
		if (v)
			crm_export_escape_text(&line, v);
	}
	vc_line(out, &line);
	strbuf_release(&line);
}

static void write_n(struct strbuf *out, const struct crm_node *record,
		    const char *name)
{
	const char *space = strrchr(name, ' ');
	const char *prefix = str_field(record, "name_prefix");
	const char *suffix = str_field(record, "name_suffix");
	struct strbuf line = STRBUF_INIT, given = STRBUF_INIT;

	strbuf_addstr(&line, "N:");
	if (space) {
		crm_export_escape_text(&line, space + 1);
		strbuf_add(&given, name, (size_t)(space - name));
	} else {
		strbuf_addstr(&given, name);
	}
	strbuf_addch(&line, ';');
	crm_export_escape_text(&line, given.buf);
	strbuf_addstr(&line, ";;");
	if (prefix)
		crm_export_escape_text(&line, prefix);
	strbuf_addch(&line, ';');
	if (suffix)
		crm_export_escape_text(&line, suffix);
	vc_line(out, &line);
	strbuf_release(&line);
	strbuf_release(&given);
}

static void write_list(struct strbuf *out, const struct crm_node *record,
		       const char *key, const char *prop)
{
	const struct crm_node *seq = crm_map_get(record, key);
	size_t i;

	for (i = 0; seq && seq->kind == CRM_NODE_SEQ && i < seq->nitems; i++)
		if (crm_node_str(seq->items[i]))
			vc_text(out, prop, crm_node_str(seq->items[i]));
}

static void write_date(struct strbuf *out, const char *prop, const char *v)
{
	struct strbuf line = STRBUF_INIT;
	size_t i;
	int iso = strlen(v) == 10 && v[4] == '-' && v[7] == '-';

	for (i = 0; iso && i < 10; i++)
		if (i != 4 && i != 7 && (v[i] < '0' || v[i] > '9'))
			iso = 0;
	if (iso) {
		strbuf_addf(&line, "%s:%.4s%.2s%.2s", prop, v, v + 5, v + 8);
	} else {
		strbuf_addf(&line, "%s;VALUE=text:", prop);
		crm_export_escape_text(&line, v);
	}
	vc_line(out, &line);
	strbuf_release(&line);
}

void crm_vcard_write(struct strbuf *out, const struct crm_node *record)
{
	const char *name = crm_map_get_str(record, "name");
	const char *id = crm_map_get_str(record, "id");
	const char *kind = crm_map_get_str(record, "kind");
	const char *company = str_field(record, "company");
	const char *v;
	const struct crm_node *tags;
	struct strbuf line = STRBUF_INIT;
	char uid[CRM_VCARD_UID_MAX];
	int person = !kind || strcmp(kind, "company");
	size_t i;

	if (!name)
		name = id ? id : "";
	strbuf_addstr(out, "BEGIN:VCARD\r\nVERSION:4.0\r\n");
	if (kind && !strcmp(kind, "company"))
		strbuf_addstr(out, "KIND:org\r\n");
	else if (kind && !strcmp(kind, "person"))
		strbuf_addstr(out, "KIND:individual\r\n");
	vc_text(out, "FN", name);
	if (person)
		write_n(out, record, name);
	if ((v = str_field(record, "nickname")))
		vc_text(out, "NICKNAME", v);
	if (company) {
		strbuf_addstr(&line, "ORG:");
		crm_export_escape_text(&line, company);
		if ((v = str_field(record, "department"))) {
			strbuf_addch(&line, ';');
			crm_export_escape_text(&line, v);
		}
		vc_line(out, &line);
	}
	if ((v = str_field(record, "title")))
		vc_text(out, "TITLE", v);
	if ((v = str_field(record, "role")))
		vc_text(out, "ROLE", v);
	write_list(out, record, "emails", "EMAIL");
	write_list(out, record, "phones", "TEL");
	for (i = 0; i < crm_map_len(record); i++) {
		const char *key = crm_map_key(record, i);

		if (starts_with(key, "address") && has_property(record, key, 0))
			write_adr(out, crm_map_value(record, i));
	}
	if ((v = str_field(record, "birthday")))
		write_date(out, "BDAY", v);
	if ((v = str_field(record, "anniversary")))
		write_date(out, "ANNIVERSARY", v);
	for (i = 0; i < crm_map_len(record); i++) {
		const char *key = crm_map_key(record, i);

		if ((starts_with(key, "url") || starts_with(key, "im")) &&
		    has_property(record, key, person)) {
			strbuf_reset(&line);
			strbuf_addf(&line, "%s:%s", key[0] == 'u' ? "URL" : "IMPP",
				    str_field(record, key));
			vc_line(out, &line);
		}
	}
	if ((v = str_field(record, "gender")))
		vc_text(out, "GENDER", v);
	tags = crm_map_get(record, "tags");
	if (tags && tags->kind == CRM_NODE_SEQ && tags->nitems) {
		strbuf_reset(&line);
		strbuf_addstr(&line, "CATEGORIES:");
		for (i = 0; i < tags->nitems; i++) {
			const char *tag = crm_node_str(tags->items[i]);

			if (i)
				strbuf_addch(&line, ',');
			if (tag)
				crm_export_escape_text(&line, tag);
		}
		vc_line(out, &line);
	}
	if ((v = str_field(record, "notes")))
		vc_text(out, "NOTE", v);
	if ((v = str_field(record, "uid"))) {
		strbuf_reset(&line);
		strbuf_addf(&line, "UID:%s", v);
		vc_line(out, &line);
	} else if (id) {
		crm_vcard_uuid(uid, id);
		strbuf_reset(&line);
		strbuf_addf(&line, "UID:%s", uid);
		vc_line(out, &line);
	}
	if (id)
		vc_text(out, "X-CRM-ID", id);
	for (i = 0; i < crm_map_len(record); i++) {
		const char *key = crm_map_key(record, i);
		const struct crm_node *value = crm_map_value(record, i);

		if ((crm_field_is_known(key) && strcmp(key, "owner")) ||
		    has_property(record, key, person))
			continue;
		strbuf_reset(&line);
		strbuf_addf(&line, "X-CRM-FIELD;NAME=%s", key);
		if (value->kind == CRM_NODE_SCALAR) {
			strbuf_addch(&line, ':');
			crm_export_escape_text(&line, value->str ? value->str : "");
		} else {
			struct strbuf yaml = STRBUF_INIT;

			crm_export_flow_yaml(&yaml, value);
			strbuf_addstr(&line, ";X-FORMAT=yaml:");
			crm_export_escape_text(&line, yaml.buf);
			strbuf_release(&yaml);
		}
		vc_line(out, &line);
	}
	strbuf_addstr(out, "END:VCARD\r\n");
	strbuf_release(&line);
}
